/* Export helpers: CryptoPro's folder naming rule (FORMATS.md §3.3), and
 * the names of an export's outputs: clashes found, renames made. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/rand.h>

#include "internal.h"

/* CSP is reported to show flash-drive folders whose names hold only
 * Latin letters, digits, '.' and '-' (FORMATS.md §3.3). */
static int
plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

cpk_err
cpk_folder_name(const char *parent, const char *name, char *out, size_t cap)
{
	char stem[9];
	unsigned char rnd[4];
	size_t n = 0;
	struct stat st;

	/* the first 8 characters of an ASCII name; 8 hex digits otherwise */
	for (const unsigned char *p = (const unsigned char *)name;
	    *p != '\0' && n < 8; p++) {
		if (*p >= 0x80) {
			n = 0;
			break;
		}
		stem[n++] = plain(*p) ? (char)*p : '-';
	}
	if (n == 0) {
		if (RAND_bytes(rnd, sizeof(rnd)) != 1)
			return CPK_E_CRYPTO;
		n = (size_t)snprintf(stem, sizeof(stem), "%02x%02x%02x%02x",
		    rnd[0], rnd[1], rnd[2], rnd[3]);
	}
	stem[n] = '\0';
	/* the first free extension .000-.999 */
	for (int ext = 0; ext <= 999; ext++) {
		if (snprintf(out, cap, "%s/%s.%03d", parent, stem, ext) >=
		    (int)cap)
			return CPK_E_RANGE;
		if (lstat(out, &st) != 0)
			return CPK_OK;
	}
	return CPK_E_EXISTS;
}

cpk_err
cpk_export_pem(const cpk_container *c, const cpk_key *k, cpk_blob **out)
{
	const cpk_blob *cert = cpk_header_cert(c->header, 0);
	cpk_blob *p8 = NULL;
	cpk_err r;

	*out = NULL;
	if ((r = cpk_key_pkcs8(k, &p8)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, out)) != CPK_OK ||
	    (cert != NULL && (r = cpk_pem_encode("CERTIFICATE", cert, *out)) !=
	    CPK_OK) ||
	    (r = cpk_pem_encode("PRIVATE KEY", p8, *out)) != CPK_OK)
		cpk_blob_free(out);
	cpk_blob_free(&p8);
	return r;
}

cpk_err
cpk_export_rename(cpk_files *f, const char *name)
{
	cpk_blob *nk = NULL;
	cpk_err r;

	if ((r = cpk_name_encode(name, &nk)) != CPK_OK)
		return r;
	cpk_blob_free(&f->f[CPK_F_NAME]);
	f->f[CPK_F_NAME] = nk;
	f->err[CPK_F_NAME] = CPK_OK;
	f->size[CPK_F_NAME] = nk->len;
	return CPK_OK;
}

/* The registry compares key names without case, and a .reg keeps users
 * apart; CSP is assumed to compare FQCNs the same way (REGISTRY.md §3.6). */
static int
clash(const char *const *names, const char *const *sids, size_t i, size_t j)
{
	if (sids != NULL && ((sids[i] == NULL) != (sids[j] == NULL) ||
	    (sids[i] != NULL && strcasecmp(sids[i], sids[j]) != 0)))
		return 0;
	return cpk_reg_name_same(names[i], names[j]);
}

int
cpk_export_clash(const char *const *names, const char *const *sids,
    size_t n, size_t from, size_t *a, size_t *b)
{
	for (size_t j = from > 0 ? from : 1; j < n; j++)
		for (size_t i = 0; i < j; i++)
			if (clash(names, sids, i, j)) {
				*a = i;
				*b = j;
				return 1;
			}
	return 0;
}

cpk_err
cpk_export_free_name(const char **names, const char *const *sids, size_t n,
    size_t j, char **out)
{
	const char *base = names[j];
	size_t len = strlen(base) + 8;
	int taken;

	*out = NULL;
	if ((*out = malloc(len)) == NULL)
		return CPK_E_NOMEM;
	for (unsigned k = 2; k <= 999; k++) {
		snprintf(*out, len, "%s (%u)", base, k);
		names[j] = *out;
		taken = 0;
		for (size_t i = 0; i < n && !taken; i++)
			taken = i != j && clash(names, sids, i, j);
		names[j] = base;
		if (!taken)
			return CPK_OK;
	}
	free(*out);
	*out = NULL;
	return CPK_E_EXISTS;
}

cpk_err
cpk_export_allowed(const cpk_container *c, int override_flag)
{
	const cpk_keyparams *kp;

	if (c->header == NULL || (kp = cpk_header_params(c->header, 0)) ==
	    NULL)
		return CPK_E_MISSING;
	/* CSP's rule; the owner of the key may lift it (FORMATS.md §6.3) */
	return (kp->attrs & CPK_KA_EXPORTABLE) != 0 || override_flag ?
	    CPK_OK : CPK_E_NOT_EXPORTABLE;
}
