/*
 * regls: the live registry backend (media/win/media_reg_live.c) alone,
 * under wine, for tests/win/e2e_registry.sh: container/ and the backend
 * with a stand-in for the media core below (the three calls the backend
 * makes), so the backend's own output is seen apart from the scan's;
 * cpkit-list.exe registry: is tested beside it. Also the test's set-up:
 * a key nobody may read.
 *
 *   regls [PASSWORD]         every container: location, name, SID, scope,
 *                            the files; with PASSWORD each is unlocked
 *   regls --deny KEY         (test set-up) gives HKLM\KEY, in the 32-bit
 *                            view, an empty DACL: nobody may read it
 *
 * Exit status: 0 all listed (and unlocked), 1 otherwise, 2 usage.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

#include "media_int.h"

/* ---- the stand-in media core: what media.c does, minus the rest ---- */
cpk_err
cpk_media_add(cpk_media *m, const char *fqcn, const char *location,
    const char *name, const char *media, const char *sid, const char *user,
    cpk_files *files)
{
	media_item *it;

	if ((it = realloc(m->items, (m->n + 1) * sizeof(*it))) == NULL) {
		cpk_files_free(&files);
		return CPK_E_NOMEM;
	}
	m->items = it;
	it = &m->items[m->n++];
	memset(it, 0, sizeof(*it));
	it->files = files;
	it->ref.fqcn = strdup(fqcn);
	it->ref.location = strdup(location);
	it->ref.name = strdup(name);
	it->ref.media = strdup(media);
	it->ref.sid = sid ? strdup(sid) : NULL;
	it->ref.user = user ? strdup(user) : NULL;
	return CPK_OK;
}

void
cpk_media_warn(cpk_media *m, const char *fmt, ...)
{
	va_list ap;

	(void)m;
	printf("warning: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void
cpk_media_cut(cpk_media *m, enum media_limit kind, const char *fmt, ...)
{
	va_list ap;

	(void)m;
	printf("limit %d: ", (int)kind);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* ---- the program ---- */
static int
unlock(cpk_files *fs, const char *pw)
{
	cpk_container *c = NULL;
	cpk_key *k = NULL;
	const cpk_blob *cert;
	cpk_err r;

	if ((r = cpk_container_decode(fs, &c)) != CPK_OK) {
		printf("  decode: %s\n", cpk_err_name(r));
		return 0;
	}
	r = cpk_container_unlock(c, pw, &k);
	printf("  unlock: %s\n", cpk_err_name(r));
	cert = cpk_container_header(c) ?
	    cpk_header_cert(cpk_container_header(c), 0) : NULL;
	if (r == CPK_OK && cert != NULL) {
		r = cpk_key_cert_match(k, cert);
		printf("  certificate's key: %s\n", cpk_err_name(r));
	}
	cpk_key_free(&k);
	cpk_container_free(&c);
	return r == CPK_OK;
}

static int
list(const char *pw)
{
	static const char *const scope[] = { "none", "user", "machine" };
	cpk_media m;
	cpk_err r;
	int ok = 1;

	memset(&m, 0, sizeof(m));
	r = cpk_media_reg_live_add(&m);
	printf("result: %s\ncount: %zu\n", cpk_err_name(r), m.n);
	for (size_t i = 0; i < m.n; i++) {
		const cpk_ref *ref = &m.items[i].ref;
		cpk_files *f = m.items[i].files;

		printf("container: %s\n  fqcn: %s\n  name: %s\n  sid: %s\n"
		    "  user: %s\n  scope: %s\n", ref->location, ref->fqcn,
		    ref->name, ref->sid ? ref->sid : "-",
		    ref->user ? ref->user : "-", scope[ref->scope]);
		for (int k = 0; k < CPK_F_COUNT; k++)
			printf("  %s: %s %llu\n",
			    cpk_file_name((enum cpk_file_id)k),
			    cpk_err_name(f->err[k]),
			    (unsigned long long)f->size[k]);
		if (pw != NULL && !unlock(f, pw))
			ok = 0;
	}
	return r == CPK_OK && ok ? 0 : 1;
}

static int
deny(const char *key)
{
	wchar_t wkey[1024];
	SECURITY_DESCRIPTOR sd;
	ACL acl;
	HKEY h;
	LSTATUS e;

	if (MultiByteToWideChar(CP_UTF8, 0, key, -1, wkey, 1024) <= 0)
		return 2;
	e = RegOpenKeyExW(HKEY_LOCAL_MACHINE, wkey, 0, WRITE_DAC |
	    KEY_WOW64_32KEY, &h);
	if (e != ERROR_SUCCESS) {
		printf("open: error %lu\n", (unsigned long)e);
		return 1;
	}
	if (!InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION) ||
	    !InitializeAcl(&acl, sizeof(acl), ACL_REVISION) ||
	    !SetSecurityDescriptorDacl(&sd, TRUE, &acl, FALSE) ||
	    (e = RegSetKeySecurity(h, DACL_SECURITY_INFORMATION, &sd)) !=
	    ERROR_SUCCESS) {
		printf("set: error %lu\n", (unsigned long)e);
		RegCloseKey(h);
		return 1;
	}
	RegCloseKey(h);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--deny") == 0)
		return deny(argv[2]);
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: regls [PASSWORD] | --deny KEY\n");
		return 2;
	}
	return list(argc == 2 ? argv[1] : NULL);
}
