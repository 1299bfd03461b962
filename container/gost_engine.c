/*
 * gost-engine key operations: the one file that uses the deprecated ENGINE
 * API (STYLE.md §10). gost-engine 3.0's provider has no GOST key management
 * or signatures, so keys, signatures and certificate signing go through the
 * engine, and so does ECB (the provider cannot select an S-box); the rest
 * of the tree only sees cpk_err and bytes.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/engine.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "internal.h"

static CRYPTO_ONCE once = CRYPTO_ONCE_STATIC_INIT;
static ENGINE *gost;

static void
load(void)
{
	ENGINE *e;

	if ((e = ENGINE_by_id("gost")) == NULL)
		return;
	if (!ENGINE_init(e)) {
		ENGINE_free(e);
		return;
	}
	/* keys and ciphers: PKCS#12 needs the engine's GOST 28147 cipher,
	 * which names its GOST HMAC PRF for PBES2 (the provider's would fall
	 * back to HMAC-SHA256). Not digests: a default digest engine makes
	 * every digest context take the global engine lock on each copy. */
	if (!ENGINE_set_default(e, ENGINE_METHOD_PKEY_METHS |
	    ENGINE_METHOD_PKEY_ASN1_METHS | ENGINE_METHOD_CIPHERS)) {
		ENGINE_finish(e);
		ENGINE_free(e);
		return;
	}
	gost = e;
}

cpk_err
cpk_engine_init(void)
{
	cpk_err r;

	if ((r = cpk_gost_init()) != CPK_OK)
		return r;
	if (!CRYPTO_THREAD_run_once(&once, load) || gost == NULL) {
		cpk_ossl_err(__func__);
		return CPK_E_NO_GOST;
	}
	return CPK_OK;
}

static const char *
sbox_name(enum cpk_sbox s)
{
	return s == CPK_SBOX_A ? "id-Gost28147-89-CryptoPro-A-ParamSet" :
	    "id-tc26-gost-28147-param-Z";
}

/* gost-engine has no ECB mode, and its provider ciphers refuse the S-box
 * control, so the engine's own CBC cipher is used; CBC over one block with a zero IV is
 * exactly one ECB block, and CBC never applies CryptoPro key meshing. */
cpk_err
cpk_gost_ecb(enum cpk_sbox s, int encrypt, const unsigned char key[32],
    const unsigned char *in, size_t len, unsigned char *out)
{
	static const unsigned char iv[8];
	EVP_CIPHER_CTX *ctx = NULL;
	const EVP_CIPHER *cbc;
	cpk_err r;
	int n;

	if ((r = cpk_engine_init()) != CPK_OK)
		return r;
	if (len % 8 != 0)
		return CPK_E_LENGTH;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return CPK_E_NOMEM;
	r = CPK_E_CRYPTO;
	if ((cbc = ENGINE_get_cipher(gost, NID_gost89_cbc)) == NULL)
		goto out;
	for (size_t off = 0; off < len; off += 8) {
		if (!EVP_CipherInit_ex(ctx, cbc, gost, NULL, NULL, encrypt) ||
		    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_SET_SBOX, 0,
		    (void *)(uintptr_t)sbox_name(s)) <= 0 ||
		    !EVP_CipherInit_ex(ctx, NULL, NULL, key, iv, encrypt) ||
		    !EVP_CIPHER_CTX_set_padding(ctx, 0) ||
		    !EVP_CipherUpdate(ctx, out + off, &n, in + off, 8) ||
		    n != 8)
			goto out;
	}
	r = CPK_OK;
out:
	if (r != CPK_OK)
		cpk_ossl_err(__func__);
	EVP_CIPHER_CTX_free(ctx);
	return r;
}

/* The engine's own digests for the CPKDF loop: copying a legacy digest
 * context is a memcpy into the same buffer - no allocation, no lock -
 * where provider contexts allocate on every copy and look up the engine
 * table under a global lock on every init; with two threads that alone
 * cost a tenth of the throughput. */
cpk_err
cpk_engine_md(enum cpk_hash h, const EVP_MD **md, ENGINE **e)
{
	static const char *const names[] = { "md_gost94", "md_gost12_256",
	    "md_gost12_512" };
	cpk_err r;

	if ((r = cpk_engine_init()) != CPK_OK)
		return r;
	if ((*md = ENGINE_get_digest(gost, OBJ_sn2nid(names[h]))) == NULL)
		return cpk_ossl_err(__func__);
	*e = NULL;	/* the methods are the engine's; no engine lock */
	return CPK_OK;
}

cpk_err
cpk_engine_pkey_private(const cpk_blob *p8, EVP_PKEY **out)
{
	const unsigned char *p = p8->ptr;

	*out = d2i_AutoPrivateKey(NULL, &p, (long)p8->len);
	return *out != NULL ? CPK_OK : cpk_ossl_err(__func__);
}

/* SubjectPublicKeyInfo with the key as OCTET STRING (RFC 4491/9215). */
cpk_err
cpk_engine_pkey_public(const char *sig_alg, const cpk_curve *c, const unsigned char *pub,
    size_t len, EVP_PKEY **out)
{
	cpk_blob *alg = NULL, *ps = NULL, *bits = NULL, *os = NULL,
	    *body = NULL, *spki = NULL;
	const unsigned char *p;
	cpk_err r;

	*out = NULL;
	if ((r = cpk_blob_new(NULL, 0, &alg)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &ps)) != CPK_OK ||
	    (r = cpk_blob_new("", 1, &bits)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &os)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &body)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &spki)) != CPK_OK)
		goto out;
	if ((r = cpk_oid_from_text(cpk_curve_oid(c), ps)) != CPK_OK ||
	    (r = cpk_oid_from_text(sig_alg, alg)) != CPK_OK ||
	    (r = cpk_der_wrap(alg, 0x30, ps)) != CPK_OK ||
	    (r = cpk_der_put(os, 0x04, pub, len)) != CPK_OK ||
	    (r = cpk_blob_append(bits, os->ptr, os->len)) != CPK_OK ||
	    (r = cpk_der_wrap(body, 0x30, alg)) != CPK_OK ||
	    (r = cpk_der_wrap(body, 0x03, bits)) != CPK_OK ||
	    (r = cpk_der_wrap(spki, 0x30, body)) != CPK_OK)
		goto out;
	p = spki->ptr;
	if ((*out = d2i_PUBKEY(NULL, &p, (long)spki->len)) == NULL)
		r = cpk_ossl_err(__func__);
out:
	cpk_blob_free(&alg);
	cpk_blob_free(&ps);
	cpk_blob_free(&bits);
	cpk_blob_free(&os);
	cpk_blob_free(&body);
	cpk_blob_free(&spki);
	return r;
}

cpk_err
cpk_engine_sign_verify(const cpk_blob *p8, const char *sig_alg,
    const cpk_curve *c, const unsigned char *pub, size_t pub_len)
{
	EVP_PKEY *priv = NULL, *pk = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	unsigned char hash[64], sig[128];
	size_t hlen = cpk_curve_len(c), slen = sizeof(sig);
	cpk_err r;

	if ((r = cpk_engine_init()) != CPK_OK)
		return r;
	if ((r = cpk_engine_pkey_private(p8, &priv)) != CPK_OK ||
	    (r = cpk_engine_pkey_public(sig_alg, c, pub, pub_len, &pk)) != CPK_OK)
		goto out;
	r = CPK_E_CRYPTO;
	if (RAND_bytes(hash, (int)hlen) != 1 ||
	    (ctx = EVP_PKEY_CTX_new(priv, NULL)) == NULL ||
	    EVP_PKEY_sign_init(ctx) <= 0 ||
	    EVP_PKEY_sign(ctx, sig, &slen, hash, hlen) <= 0)
		goto out;
	EVP_PKEY_CTX_free(ctx);
	if ((ctx = EVP_PKEY_CTX_new(pk, NULL)) == NULL ||
	    EVP_PKEY_verify_init(ctx) <= 0)
		goto out;
	/* a signature that does not verify means the key is not the pub */
	r = EVP_PKEY_verify(ctx, sig, slen, hash, hlen) == 1 ? CPK_OK :
	    CPK_E_FINGERPRINT;
out:
	if (r == CPK_E_CRYPTO)
		cpk_ossl_err(__func__);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(priv);
	EVP_PKEY_free(pk);
	return r;
}

/* The engine's own description (static), or NULL when it cannot be
 * loaded. ENGINEs carry no version. */
const char *
cpk_engine_about(void)
{
	if (cpk_engine_init() != CPK_OK)
		return NULL;
	return ENGINE_get_name(gost);
}
