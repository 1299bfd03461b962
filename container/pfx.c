/* GOST PKCS#12 through OpenSSL with gost-engine loaded: PBES2 with GOST
 * 28147-89 and PBKDF2-HMAC-Streebog-512 for both bags, and a
 * Streebog-512 MAC - what `openssl pkcs12 -export -engine gost -keypbe
 * gost89 -certpbe gost89 -macalg md_gost12_512` writes. */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "internal.h"

#define PFX_ITER	2048

cpk_err
cpk_pfx_export(const cpk_key *k, const cpk_blob *cert, const char *pw,
    cpk_blob **out)
{
	const unsigned char *p;
	unsigned char *der = NULL;
	cpk_blob *p8 = NULL;
	EVP_PKEY *pkey = NULL;
	X509 *x = NULL;
	PKCS12 *p12 = NULL;
	const EVP_MD *md;
	ENGINE *e;
	int nid = OBJ_sn2nid("gost89"), n;
	cpk_err r;

	*out = NULL;
	if ((r = cpk_engine_init()) != CPK_OK || (r = cpk_key_pkcs8(k, &p8)) !=
	    CPK_OK)
		goto out;
	r = CPK_E_CRYPTO;
	p = p8->ptr;
	if ((pkey = d2i_AutoPrivateKey(NULL, &p, (long)p8->len)) == NULL)
		goto out;
	p = cert->ptr;
	if ((x = d2i_X509(NULL, &p, (long)cert->len)) == NULL) {
		r = CPK_E_CERT;
		goto out;
	}
	if (cpk_engine_md(CPK_S512, &md, &e) != CPK_OK || nid == NID_undef ||
	    (p12 = PKCS12_create(pw, NULL, pkey, x, NULL, nid, nid,
	    PFX_ITER, PFX_ITER, 0)) == NULL ||
	    !PKCS12_set_mac(p12, pw, -1, NULL, 0, PFX_ITER, md) ||
	    (n = i2d_PKCS12(p12, &der)) <= 0)
		goto out;
	r = cpk_blob_new(der, (size_t)n, out);
out:
	if (r == CPK_E_CRYPTO)
		cpk_ossl_err(__func__);
	OPENSSL_free(der);
	PKCS12_free(p12);
	X509_free(x);
	EVP_PKEY_free(pkey);
	cpk_blob_free(&p8);
	return r;
}

cpk_err
cpk_pfx_import(const cpk_blob *pfx, const char *pw, cpk_key **key,
    cpk_blob **cert)
{
	const unsigned char *p = pfx->ptr;
	unsigned char *der = NULL;
	PKCS12 *p12 = NULL;
	EVP_PKEY *pkey = NULL;
	X509 *x = NULL;
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	int n = 0;		/* length of der: cleansed with it */
	cpk_err r;

	*key = NULL;
	*cert = NULL;
	if ((r = cpk_engine_init()) != CPK_OK)
		return r;
	if ((p12 = d2i_PKCS12(NULL, &p, (long)pfx->len)) == NULL) {
		r = CPK_E_FORMAT;
		goto out;
	}
	if (!PKCS12_verify_mac(p12, pw, -1)) {
		r = CPK_E_BAD_PASSWORD;
		goto out;
	}
	if (!PKCS12_parse(p12, pw, &pkey, &x, NULL) || pkey == NULL) {
		r = CPK_E_FORMAT;
		goto out;
	}
	if ((p8 = EVP_PKEY2PKCS8(pkey)) == NULL ||
	    (n = i2d_PKCS8_PRIV_KEY_INFO(p8, &der)) <= 0) {
		r = CPK_E_UNSUPPORTED;
		goto out;
	}
	if ((r = cpk_key_from_pkcs8(der, (size_t)n, key)) != CPK_OK)
		goto out;
	if (x != NULL) {
		unsigned char *c = NULL;
		int cn;
		if ((cn = i2d_X509(x, &c)) > 0)
			r = cpk_blob_new(c, (size_t)cn, cert);
		OPENSSL_free(c);
	}
out:
	ERR_clear_error();
	if (der != NULL)
		OPENSSL_clear_free(der, (size_t)n);
	PKCS8_PRIV_KEY_INFO_free(p8);
	EVP_PKEY_free(pkey);
	X509_free(x);
	PKCS12_free(p12);
	if (r != CPK_OK)
		cpk_key_free(key);
	return r;
}
