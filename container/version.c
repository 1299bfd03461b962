/*
 * cpkit's version and those of the libraries it runs on, for --version and
 * bug reports. Each library is asked at run time where it can say (OpenSSL,
 * libzip, glibc, the GOST provider and engine): that is the code actually
 * loaded, which may differ from the one built against. libgcrypt (the
 * KDF's hashes) says its own, once it is initialised. hivex and pcsc-lite
 * have no version call; for them the Makefile passes pkg-config's
 * --modversion at build time, and the entry says so.
 */
#include <string.h>

#include <gnu/libc-version.h>
#include <openssl/crypto.h>
#include <zip.h>

#include "internal.h"

#ifndef CPK_VERSION
#define CPK_VERSION		"unknown"
#endif
#ifndef CPK_HIVEX_VERSION
#define CPK_HIVEX_VERSION	"unknown"
#endif
#ifndef CPK_PCSCLITE_VERSION
#define CPK_PCSCLITE_VERSION	"unknown"
#endif
/* The Windows build (mk/windows.mk) has no hivex, speaks PC/SC through
 * the system's winscard.dll, and runs on mingw-w64's C runtime: the
 * lines say so under their own names (the JSON ids stay). */
#ifndef CPK_HIVEX_MISSING
#define CPK_HIVEX_MISSING	0
#endif
#ifndef CPK_PCSC_LABEL
#define CPK_PCSC_LABEL		"pcsc-lite"
#endif
#ifndef CPK_PCSC_BUILD_TIME
#define CPK_PCSC_BUILD_TIME	1
#endif
#ifndef CPK_LIBC_LABEL
#define CPK_LIBC_LABEL		"glibc"
#endif

/* The table is sized for the list below; a longer list is cut, not
 * overrun. */
static void
add(cpk_version_info *v, cpk_version_lib l)
{
	if (v->n < CPK_VERSION_LIBS)
		v->lib[v->n++] = l;
}

void
cpk_version_get(cpk_version_info *v)
{
	const char *name, *version, *engine, *gcry;

	memset(v, 0, sizeof(*v));
	v->cpkit = CPK_VERSION;
	add(v, (cpk_version_lib){ .id = "openssl", .label = "OpenSSL",
	    .version = OpenSSL_version(OPENSSL_VERSION_STRING),
	    .detail = OpenSSL_version(OPENSSL_VERSION) });
	cpk_gost_about(&name, &version);
	add(v, (cpk_version_lib){ .id = "gost-provider",
	    .label = "GOST provider", .version = version, .detail = name,
	    .missing = name == NULL });
	engine = cpk_engine_about();
	add(v, (cpk_version_lib){ .id = "gost-engine", .label = "GOST engine",
	    .detail = engine, .missing = engine == NULL });
	gcry = cpk_gcry_version();
	add(v, (cpk_version_lib){ .id = "libgcrypt", .label = "libgcrypt",
	    .version = gcry, .missing = gcry == NULL });
	add(v, (cpk_version_lib){ .id = "libzip", .label = "libzip",
	    .version = zip_libzip_version() });
	add(v, (cpk_version_lib){ .id = "hivex", .label = "hivex",
	    .version = CPK_HIVEX_VERSION, .build_time = 1,
	    .missing = CPK_HIVEX_MISSING });
	add(v, (cpk_version_lib){ .id = "pcsc-lite", .label = CPK_PCSC_LABEL,
	    .version = CPK_PCSCLITE_VERSION,
	    .build_time = CPK_PCSC_BUILD_TIME });
	add(v, (cpk_version_lib){ .id = "glibc", .label = CPK_LIBC_LABEL,
	    .version = gnu_get_libc_version(),
	    .detail = gnu_get_libc_release() });
}
