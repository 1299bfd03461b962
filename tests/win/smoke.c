/*
 * cpkit-smoke: the Windows port's first program (issue 21, docs/WINDOWS.md).
 * It uses container/ only, so it builds before media/ and the tools are
 * ported, and it is built for Linux too so that tests/win_smoke.sh can
 * compare the two outputs byte for byte.
 *
 *   cpkit-smoke --version        versions of cpkit and its libraries
 *   cpkit-smoke DIR [PASSWORD]   decodes the six files of DIR, unlocks the
 *                                key with PASSWORD and says whether it is
 *                                the certificate's (no secret is printed)
 *
 * The folder is read with plain stdio (ASCII paths), not media/, which
 * is not ported yet. Exit status: 0 all read and unlocked, 1 otherwise,
 * 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cpkit.h"

static void
version(void)
{
	cpk_version_info v;
	size_t i;

	cpk_version_get(&v);
	printf("cpkit %s\n", v.cpkit);
	for (i = 0; i < v.n; i++)
		printf("%s: %s%s%s\n", v.lib[i].id,
		    v.lib[i].missing ? "missing" :
		    v.lib[i].version ? v.lib[i].version : "-",
		    v.lib[i].detail ? " / " : "",
		    v.lib[i].detail ? v.lib[i].detail : "");
}

/* one file of the folder, or NULL with why (missing or unreadable) */
static cpk_blob *
slurp(const char *dir, const char *name, cpk_err *why)
{
	unsigned char buf[4096];
	cpk_blob *b = NULL;
	char path[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL) {
		*why = CPK_E_MISSING;
		return NULL;
	}
	*why = cpk_blob_new(NULL, 0, &b);
	while (*why == CPK_OK && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		*why = cpk_blob_append(b, buf, n);
	if (*why == CPK_OK && ferror(f))
		*why = CPK_E_IO;
	fclose(f);
	if (*why != CPK_OK)
		cpk_blob_free(&b);
	return b;
}

static void
hex(const char *label, const unsigned char *p, size_t n)
{
	size_t i;

	printf("%s: ", label);
	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

static int
container(const char *dir, const char *pw)
{
	cpk_container *c = NULL;
	cpk_files *fs = NULL;
	cpk_cert_info ci;
	const cpk_blob *cert;
	const cpk_curve *cv;
	const unsigned char *pub;
	cpk_key *k = NULL;
	cpk_err r;
	size_t n;
	int i, ok = 1;

	if ((r = cpk_files_new(&fs)) != CPK_OK)
		return printf("files: %s\n", cpk_err_name(r)), 1;
	for (i = 0; i < CPK_F_COUNT; i++)
		fs->f[i] = slurp(dir, cpk_file_name((enum cpk_file_id)i),
		    &fs->err[i]);
	if ((r = cpk_container_decode(fs, &c)) != CPK_OK) {
		printf("decode: %s\n", cpk_err_name(r));
		cpk_files_free(&fs);
		return 1;
	}
	for (i = 0; i < CPK_F_COUNT; i++)
		printf("%s: %s\n", cpk_file_name((enum cpk_file_id)i),
		    cpk_err_name(cpk_container_file_err(c,
		    (enum cpk_file_id)i)));
	printf("name: %s (%s)\n", cpk_container_name(c) ?
	    cpk_container_name(c) : "-", cpk_container_name_enc(c) ?
	    cpk_container_name_enc(c) : "-");
	printf("profile: %s\n", cpk_profile_name(cpk_container_profile(c)));
	cv = cpk_container_curve(c);
	printf("curve: %s\n", cv ? cpk_curve_name(cv) : "-");
	cert = cpk_container_header(c) ?
	    cpk_header_cert(cpk_container_header(c), 0) : NULL;
	if (cert != NULL && cpk_cert_parse(cert->ptr, cert->len, &ci) ==
	    CPK_OK)
		printf("subject: %s\nserial: %s\n", ci.subject, ci.serial);
	if (pw != NULL) {
		r = cpk_container_unlock(c, pw, &k);
		printf("unlock: %s\n", cpk_err_name(r));
		ok = r == CPK_OK;
		if (ok && (pub = cpk_key_public(k, &n)) != NULL)
			hex("public", pub, n);
		if (ok && cert != NULL) {
			r = cpk_key_cert_match(k, cert);
			printf("certificate's key: %s\n", cpk_err_name(r));
			ok = r == CPK_OK;
		}
		cpk_key_free(&k);
	}
	cpk_container_free(&c);
	cpk_files_free(&fs);
	return ok ? 0 : 1;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		version();
		return 0;
	}
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: cpkit-smoke --version | DIR [PASSWORD]\n");
		return 2;
	}
	return container(argv[1], argc == 3 ? argv[2] : NULL);
}
