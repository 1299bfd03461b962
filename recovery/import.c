/* Reading a key to import: PEM (PKCS#8 "PRIVATE KEY", with or without its
 * "CERTIFICATE"), DER PKCS#8, or a GOST PKCS#12 (FORMATS.md §19). */
#include <string.h>

#include "internal.h"

static int
has(const cpk_blob *b, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= b->len; i++)
		if (memcmp(b->ptr + i, s, n) == 0)
			return 1;
	return 0;
}

cpk_err
cpk_import_read(const cpk_blob *in, const char *pfx_pw, cpk_key **key,
    cpk_blob **cert, int *is_pfx)
{
	cpk_blob *der = NULL;
	cpk_err r;

	*key = NULL;
	*cert = NULL;
	*is_pfx = 0;
	if (has(in, "-----BEGIN ENCRYPTED PRIVATE KEY-----"))
		return CPK_E_UNSUPPORTED;
	if (has(in, "-----BEGIN ")) {
		if ((r = cpk_pem_decode(in, "PRIVATE KEY", &der)) != CPK_OK)
			return r == CPK_E_NOT_FOUND ? CPK_E_MISSING : r;
		r = cpk_key_from_pkcs8(der->ptr, der->len, key);
		cpk_blob_free(&der);
		if (r == CPK_OK && cpk_pem_decode(in, "CERTIFICATE", cert) !=
		    CPK_OK)
			*cert = NULL;
		return r;
	}
	/* DER: a PKCS#8 PrivateKeyInfo starts SEQUENCE { INTEGER 0, ... };
	 * anything else is tried as PKCS#12 */
	if (cpk_key_from_pkcs8(in->ptr, in->len, key) == CPK_OK)
		return CPK_OK;
	*is_pfx = 1;
	if (pfx_pw == NULL)
		return CPK_E_NO_PASSWORD;
	return cpk_pfx_import(in, pfx_pw, key, cert);
}
