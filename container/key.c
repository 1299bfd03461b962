/* Decrypting and unmasking the private key (FORMATS.md §12), the masks and
 * password MACs (§13.1, §13.3). The KEK, the decrypted t and the scalar
 * live in wiped memory only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "internal.h"

struct cpk_key {
	enum cpk_profile profile;
	const cpk_curve	*curve;
	char		 alg[48];
	unsigned char	 d[64];		/* little-endian */
	unsigned char	 pub[128];	/* LE X || LE Y */
	size_t		 len;
};

void
cpk_key_free(cpk_key **kp)
{
	if (kp == NULL || *kp == NULL)
		return;
	OPENSSL_cleanse(*kp, sizeof(**kp));
	free(*kp);
	*kp = NULL;
}

const unsigned char *
cpk_key_scalar(const cpk_key *k, size_t *len)
{
	*len = k->len;
	return k->d;
}

const unsigned char *
cpk_key_public(const cpk_key *k, size_t *len)
{
	*len = 2 * k->len;
	return k->pub;
}

const cpk_curve *
cpk_key_curve(const cpk_key *k)
{
	return k->curve;
}

enum cpk_profile
cpk_key_profile(const cpk_key *k)
{
	return k->profile;
}

const char *
cpk_key_alg(const cpk_key *k)
{
	return k->alg;
}

cpk_err
cpk_key_from_scalar(enum cpk_profile p, const cpk_curve *c,
    const char *alg, const unsigned char *d, size_t len, cpk_key **out)
{
	cpk_key *k;
	cpk_err r;

	*out = NULL;
	if (c == NULL || p == CPK_P_NONE || len != cpk_curve_len(c) ||
	    len != cpk_profile_key_len(p))
		return CPK_E_UNSUPPORTED;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return CPK_E_NOMEM;
	k->profile = p;
	k->curve = c;
	k->len = len;
	snprintf(k->alg, sizeof(k->alg), "%s", alg);
	memcpy(k->d, d, len);
	if ((r = cpk_curve_mul_base(c, k->d, k->pub, k->pub + len)) != CPK_OK) {
		cpk_key_free(&k);
		return r;
	}
	*out = k;
	return CPK_OK;
}

cpk_err
cpk_masks_check_mac(const cpk_masks *m, enum cpk_profile p)
{
	unsigned char mac[4];
	cpk_err r;

	/* keyed with the last 32 bytes of the mask (§4) */
	if ((r = cpk_gost_mac4(cpk_profile_sbox(p),
	    m->mask->ptr + m->mask->len - 32, m->salt->ptr, m->salt->len,
	    mac)) != CPK_OK)
		return r;
	return CRYPTO_memcmp(mac, m->mac, 4) == 0 ? CPK_OK : CPK_E_MAC;
}

cpk_err
cpk_password_check(const cpk_container *c, const char *pw,
    enum cpk_pwenc enc)
{
	unsigned char mac[4];
	const unsigned char *fp, *stored;
	cpk_err r;

	if (c->header == NULL || c->profile == CPK_P_NONE)
		return CPK_E_UNSUPPORTED;
	if ((fp = cpk_header_fp(c->header, 0)) == NULL ||
	    (stored = cpk_header_pw_mac(c->header)) == NULL)
		return CPK_E_MISSING;
	if ((r = cpk_password_mac(c->profile, pw, enc, fp, mac)) != CPK_OK)
		return r;
	return CRYPTO_memcmp(mac, stored, 4) == 0 ? CPK_OK :
	    CPK_E_BAD_PASSWORD;
}

/* Decrypts one key of one copy with a KEK already derived (§12.1 steps
 * 3-7, §16 for the secondary key: same KEK and mask, its own curve). */
static cpk_err
unwrap(const cpk_container *c, int copy, int sec, const unsigned char *kek,
    cpk_key **out)
{
	const cpk_masks *m = c->masks[copy];
	const cpk_blob *enc = sec ? c->primary[copy]->secondary :
	    c->primary[copy]->key;
	const cpk_keyparams *kp = cpk_header_params(c->header, sec);
	const unsigned char *fp = cpk_header_fp(c->header, sec);
	const cpk_curve *curve = c->curve;
	enum cpk_profile p = c->profile;
	unsigned char t[64], d[64];
	size_t len;
	cpk_key *k = NULL;
	cpk_err r;

	*out = NULL;
	if (enc == NULL || kp == NULL || fp == NULL)
		return CPK_E_MISSING;
	if (sec) {
		p = cpk_profile_by_oid(kp->alg);
		curve = cpk_curve_by_oid(kp->curve);
	}
	if (p == CPK_P_NONE || curve == NULL)
		return CPK_E_UNSUPPORTED;
	len = cpk_profile_key_len(p);
	/* a secondary key longer or shorter than the mask has no known
	 * masking rule (§16): say so instead of guessing */
	if (m->mask->len != len || enc->len != len || cpk_curve_len(curve) !=
	    len)
		return sec ? CPK_E_UNSUPPORTED : CPK_E_LENGTH;
	if ((r = cpk_gost_ecb(cpk_profile_sbox(c->profile), 0, kek, enc->ptr,
	    len, t)) != CPK_OK ||
	    (r = cpk_curve_unmask(curve, t, len, m->mask->ptr, len, d)) !=
	    CPK_OK)
		goto out;
	if (!cpk_curve_scalar_ok(curve, d)) {
		r = CPK_E_FINGERPRINT;
		goto out;
	}
	if ((r = cpk_key_from_scalar(p, curve, kp->alg, d, len, &k)) != CPK_OK)
		goto out;
	/* the fingerprint is the final oracle (§12.5) */
	if (CRYPTO_memcmp(k->pub, fp, 8) != 0) {
		r = CPK_E_FINGERPRINT;
		goto out;
	}
	*out = k;
	k = NULL;
out:
	OPENSSL_cleanse(t, sizeof(t));
	OPENSSL_cleanse(d, sizeof(d));
	cpk_key_free(&k);
	return r;
}

static cpk_err
unlock(const cpk_container *c, int copy, int sec, const char *pw,
    enum cpk_pwenc enc, cpk_key **out)
{
	unsigned char kek[32];
	const cpk_masks *m;
	cpk_err r;

	*out = NULL;
	if (copy < 0 || copy > 1 || c->header == NULL)
		return CPK_E_ARG;
	m = c->masks[copy];
	if (m == NULL || c->primary[copy] == NULL)
		return CPK_E_MISSING;
	if (c->profile == CPK_P_NONE || c->curve == NULL)
		return CPK_E_UNSUPPORTED;
	/* the KDF salt is randomStatus[0:12] (§4) */
	if ((r = cpk_kdf(c->profile, pw, enc, m->salt->ptr, 12, kek)) ==
	    CPK_OK)
		r = unwrap(c, copy, sec, kek, out);
	OPENSSL_cleanse(kek, sizeof(kek));
	return r;
}

cpk_err
cpk_key_unlock(const cpk_container *c, int copy, const char *pw,
    enum cpk_pwenc enc, cpk_key **out)
{
	return unlock(c, copy, 0, pw, enc, out);
}

cpk_err
cpk_key_unlock_secondary(const cpk_container *c, int copy, const char *pw,
    enum cpk_pwenc enc, cpk_key **out)
{
	return unlock(c, copy, 1, pw, enc, out);
}

/* PrivateKeyInfo with the signature OID and the little-endian scalar in an
 * OCTET STRING (§19); the digest parameter is omitted for 512-bit keys. */
cpk_err
cpk_key_pkcs8(const cpk_key *k, cpk_blob **out)
{
	static const unsigned char version[] = { 0x02, 0x01, 0x00 };
	cpk_blob *ps = NULL, *alg = NULL, *body = NULL;
	const char *sig = cpk_oid_signature_alg(k->alg);
	const char *digest = k->profile == CPK_P_2001 ? "1.2.643.2.2.30.1" :
	    k->profile == CPK_P_2012_256 ? "1.2.643.7.1.1.2.2" : NULL;
	cpk_err r;

	*out = NULL;
	if (sig == NULL)
		return CPK_E_UNSUPPORTED;
	if ((r = cpk_blob_new(NULL, 0, &ps)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &alg)) != CPK_OK ||
	    (r = cpk_blob_new(version, sizeof(version), &body)) != CPK_OK ||
	    (r = cpk_oid_from_text(cpk_curve_oid(k->curve), ps)) != CPK_OK ||
	    (digest != NULL && (r = cpk_oid_from_text(digest, ps)) != CPK_OK) ||
	    (r = cpk_oid_from_text(sig, alg)) != CPK_OK ||
	    (r = cpk_der_wrap(alg, 0x30, ps)) != CPK_OK ||
	    (r = cpk_der_wrap(body, 0x30, alg)) != CPK_OK ||
	    (r = cpk_der_put(body, 0x04, k->d, k->len)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, out)) != CPK_OK ||
	    (r = cpk_der_wrap(*out, 0x30, body)) != CPK_OK)
		cpk_blob_free(out);
	cpk_blob_free(&ps);
	cpk_blob_free(&alg);
	cpk_blob_free(&body);
	return r;
}

cpk_err
cpk_key_sign_verify(const cpk_key *k, const unsigned char *pub, size_t len)
{
	cpk_blob *p8 = NULL;
	cpk_err r;

	if ((r = cpk_key_pkcs8(k, &p8)) != CPK_OK)
		return r;
	r = cpk_engine_sign_verify(p8, cpk_oid_signature_alg(k->alg),
	    k->curve, pub, len);
	cpk_blob_free(&p8);
	return r;
}

cpk_err
cpk_container_unlock(const cpk_container *c, const char *pw, cpk_key **out)
{
	enum cpk_pwenc order[3];
	size_t n = cpk_pw_encodings(pw, order);
	cpk_err r = CPK_E_MISSING, e;

	*out = NULL;
	for (size_t i = 0; i < n; i++)
		for (int copy = 0; copy < 2; copy++) {
			e = cpk_key_unlock(c, copy, pw, order[i], out);
			if (e == CPK_OK || e == CPK_E_NOMEM)
				return e;
			/* the most telling error: a wrong password beats a
			 * missing reserve copy */
			if (r == CPK_E_MISSING)
				r = e;
		}
	return r;
}

cpk_err
cpk_key_cert_match(const cpk_key *k, const cpk_blob *cert)
{
	cpk_cert_info ci;

	if (cpk_cert_parse(cert->ptr, cert->len, &ci) != CPK_OK)
		return CPK_E_CERT;
	return ci.pub_len == 2 * k->len && memcmp(ci.pub, k->pub,
	    2 * k->len) == 0 ? CPK_OK : CPK_E_CERT_OTHER_KEY;
}
