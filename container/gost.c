/* GOST primitives through OpenSSL 3 and gost-engine's provider (gostprov):
 * GOST R 34.11-94 (CryptoPro parameters), Streebog and the GOST 28147-89
 * 4-byte MAC with an explicit S-box (FORMATS.md §10). ECB is in
 * gost_engine.c: only the engine's cipher lets us choose the S-box. */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/types.h>
#include <openssl/provider.h>

#include "internal.h"

static CRYPTO_ONCE once = CRYPTO_ONCE_STATIC_INIT;
static int loaded;
static EVP_MD *md[3];
static EVP_MAC *mac[2];
static OSSL_PROVIDER *prov[2];
/* gostprov lives in a library context of its own: loaded into the
 * default one, its GOST 28147 cipher would be fetched by PKCS#12 in place
 * of gost-engine's, and it has no ASN.1 parameters for PBES2. */
static OSSL_LIB_CTX *gctx;

static void
load(void)
{
	/* kept for the life of the process and never freed: at exit the
	 * provider's teardown would touch OpenSSL's global name table after
	 * OpenSSL's own cleanup; the static pointer keeps it reachable */
	if ((gctx = OSSL_LIB_CTX_new()) == NULL ||
	    (prov[0] = OSSL_PROVIDER_load(gctx, "default")) == NULL ||
	    (prov[1] = OSSL_PROVIDER_load(gctx, "gostprov")) == NULL)
		return;
	md[CPK_H94] = EVP_MD_fetch(gctx, "md_gost94", NULL);
	md[CPK_S256] = EVP_MD_fetch(gctx, "md_gost12_256", NULL);
	md[CPK_S512] = EVP_MD_fetch(gctx, "md_gost12_512", NULL);
	mac[CPK_SBOX_A] = EVP_MAC_fetch(gctx, "gost-mac", NULL);
	mac[CPK_SBOX_Z] = EVP_MAC_fetch(gctx, "gost-mac-12", NULL);
	loaded = md[0] && md[1] && md[2] && mac[0] && mac[1];
}

cpk_err
cpk_gost_init(void)
{
	if (!CRYPTO_THREAD_run_once(&once, load) || !loaded) {
		cpk_ossl_err(__func__);
		return CPK_E_NO_GOST;
	}
	return CPK_OK;
}

cpk_err
cpk_gost_hash(enum cpk_hash h, const unsigned char *p, size_t len,
    unsigned char *out)
{
	unsigned int n;
	cpk_err r;

	if ((r = cpk_gost_init()) != CPK_OK)
		return r;
	if (!EVP_Digest(p, len, out, &n, md[h], NULL))
		return cpk_ossl_err(__func__);
	return CPK_OK;
}

/* Full 8-byte MAC state of one run over at most 1024 bytes. */
static cpk_err
mac_run(enum cpk_sbox s, const unsigned char *key, const unsigned char *p,
    size_t len, unsigned char state[8])
{
	EVP_MAC_CTX *ctx = NULL;
	size_t size = 8, n = 0;
	OSSL_PARAM params[2];
	cpk_err r = CPK_E_CRYPTO;

	params[0] = OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &size);
	params[1] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_MAC_CTX_new(mac[s])) == NULL ||
	    !EVP_MAC_init(ctx, key, 32, params) ||
	    !EVP_MAC_update(ctx, p, len) ||
	    !EVP_MAC_final(ctx, state, &n, 8) || n != 8)
		goto out;
	r = CPK_OK;
out:
	if (r != CPK_OK)
		cpk_ossl_err(__func__);
	EVP_MAC_CTX_free(ctx);
	return r;
}

/*
 * MAC4 of FORMATS.md §10.4. gost-engine applies CryptoPro key meshing after
 * every 1024 bytes; the container MACs do not (headers over 1 KiB, e.g. the
 * srv and g2012512 fixtures, only verify without it). So the data is fed in
 * 1024-byte runs: each run starts from a zero state, and folding the
 * previous run's full 8-byte state into the first block of the next one
 * continues the same CBC-MAC chain without ever reaching a meshing point.
 */
cpk_err
cpk_gost_mac4(enum cpk_sbox s, const unsigned char key[32],
    const unsigned char *data, size_t len, unsigned char out[4])
{
	unsigned char state[8] = { 0 }, first[8];
	cpk_blob *run = NULL;
	cpk_err r;
	size_t take;

	if ((r = cpk_gost_init()) != CPK_OK)
		return r;
	if (len < 9)	/* the single-block corner case never arises (§10.4) */
		return CPK_E_LENGTH;
	while (len > 0) {
		take = len > 1024 ? 1024 : len;
		/* never leave a tail run of 8 bytes or less: gost-engine
		 * would append a second block to a one-block message */
		if (len > 1024 && len - 1024 < 9)
			take = 1016;
		if ((r = cpk_blob_new(data, take, &run)) != CPK_OK)
			goto out;
		memcpy(first, run->ptr, 8);
		for (int i = 0; i < 8; i++)
			run->ptr[i] = (unsigned char)(first[i] ^ state[i]);
		if ((r = mac_run(s, key, run->ptr, take, state)) != CPK_OK)
			goto out;
		cpk_blob_free(&run);
		data += take;
		len -= take;
	}
	memcpy(out, state, 4);
out:
	cpk_blob_free(&run);
	return r;
}

/* A digest context kept across the 2002 hashes of one CPKDF: gost-engine's
 * legacy digest, initialised once (GOST R 34.11-94's init expands its
 * S-box tables) and copied for every hash, which for a legacy context is
 * a memcpy into the same buffer. */
struct cpk_hasher {
	EVP_MD_CTX	*ctx;
	EVP_MD_CTX	*fresh;
};

cpk_err
cpk_hasher_new(enum cpk_hash h, cpk_hasher **out)
{
	const EVP_MD *emd;
	ENGINE *e;
	cpk_err r;

	*out = NULL;
	if ((r = cpk_engine_md(h, &emd, &e)) != CPK_OK)
		return r;
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return CPK_E_NOMEM;
	if (((*out)->ctx = EVP_MD_CTX_new()) == NULL ||
	    ((*out)->fresh = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex((*out)->fresh, emd, e)) {
		cpk_hasher_free(out);
		return cpk_ossl_err(__func__);
	}
	return CPK_OK;
}

cpk_err
cpk_hasher_run(cpk_hasher *hs, const unsigned char *p, size_t len,
    unsigned char *out)
{
	unsigned int n;

	if (!EVP_MD_CTX_copy_ex(hs->ctx, hs->fresh) ||
	    !EVP_DigestUpdate(hs->ctx, p, len) ||
	    !EVP_DigestFinal_ex(hs->ctx, out, &n))
		return cpk_ossl_err(__func__);
	return CPK_OK;
}

void
cpk_hasher_free(cpk_hasher **hp)
{
	if (hp == NULL || *hp == NULL)
		return;
	EVP_MD_CTX_free((*hp)->ctx);
	EVP_MD_CTX_free((*hp)->fresh);
	free(*hp);
	*hp = NULL;
}

/* The provider's name and version as it reports them (static strings of
 * the provider; NULL when it is not loaded or does not say). gostprov
 * answers the name but, in gost-engine 3.0, no version. */
void
cpk_gost_about(const char **name, const char **version)
{
	char *n = NULL, *v = NULL;	/* point into the provider */
	OSSL_PARAM params[3];

	*name = *version = NULL;
	(void)cpk_gost_init();		/* loads the provider; errors logged */
	if (prov[1] == NULL)
		return;
	params[0] = OSSL_PARAM_construct_utf8_ptr(OSSL_PROV_PARAM_NAME, &n, 0);
	params[1] = OSSL_PARAM_construct_utf8_ptr(OSSL_PROV_PARAM_VERSION, &v,
	    0);
	params[2] = OSSL_PARAM_construct_end();
	if (!OSSL_PROVIDER_get_params(prov[1], params))
		n = v = NULL;
	*name = n != NULL ? n : OSSL_PROVIDER_get0_name(prov[1]);
	*version = v;
}
