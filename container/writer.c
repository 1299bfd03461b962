/* Creating a container from a key (FORMATS.md §12.4, §18): a fresh random
 * mask and salt per copy, CPKDF, ECB, all three MACs, a header shaped like
 * the ones CryptoPro writes. */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "internal.h"

/* The secondary key goes under the same KEK and mask (§16). */
static cpk_err
write_secondary(const cpk_key *k2, const unsigned char *kek,
    const unsigned char *mask, size_t len, unsigned char *enc,
    cpk_blob **out)
{
	unsigned char t[64];
	size_t l2;
	const unsigned char *d2 = cpk_key_scalar(k2, &l2);
	cpk_err r;

	if (l2 != len)
		return CPK_E_UNSUPPORTED;
	if ((r = cpk_curve_mask(cpk_key_curve(k2), d2, mask, len, t)) ==
	    CPK_OK && (r = cpk_gost_ecb(cpk_profile_sbox(cpk_key_profile(k2)),
	    1, kek, t, len, enc)) == CPK_OK)
		r = cpk_blob_new(enc, len, out);
	OPENSSL_cleanse(t, sizeof(t));
	return r;
}

/* One masks/primary pair under its own mask and salt. */
static cpk_err
write_copy(const cpk_key *k, const cpk_key *k2, const char *pw,
    cpk_blob **masks, cpk_blob **primary)
{
	enum cpk_profile p = cpk_key_profile(k);
	const cpk_curve *c = cpk_key_curve(k);
	unsigned char mask[64], salt[12], t[64], kek[32], enc[64], enc2[64];
	cpk_masks m = { NULL, NULL, { 0 }, 0 };
	cpk_primary pr = { NULL, NULL, NULL, 0 };
	size_t len;
	const unsigned char *d = cpk_key_scalar(k, &len);
	cpk_err r;

	do {
		if (RAND_priv_bytes(mask, (int)len) != 1)
			return CPK_E_CRYPTO;
	} while (!cpk_curve_mask_ok(c, mask, len) || (k2 != NULL &&
	    !cpk_curve_mask_ok(cpk_key_curve(k2), mask, len)));
	if (RAND_bytes(salt, sizeof(salt)) != 1)
		return CPK_E_CRYPTO;
	if ((r = cpk_curve_mask(c, d, mask, len, t)) != CPK_OK ||
	    (r = cpk_kdf(p, pw, CPK_PW_UTF32LE, salt, sizeof(salt), kek)) !=
	    CPK_OK ||
	    (r = cpk_gost_ecb(cpk_profile_sbox(p), 1, kek, t, len, enc)) !=
	    CPK_OK ||
	    (r = cpk_gost_mac4(cpk_profile_sbox(p), mask + len - 32, salt,
	    sizeof(salt), m.mac)) != CPK_OK ||
	    (r = cpk_blob_new(mask, len, &m.mask)) != CPK_OK ||
	    (r = cpk_blob_new(salt, sizeof(salt), &m.salt)) != CPK_OK ||
	    (r = cpk_blob_new(enc, len, &pr.key)) != CPK_OK ||
	    (k2 != NULL && (r = write_secondary(k2, kek, mask, len, enc2,
	    &pr.secondary)) != CPK_OK) ||
	    (r = cpk_masks_encode(&m, masks)) != CPK_OK ||
	    (r = cpk_primary_encode(&pr, primary)) != CPK_OK)
		goto out;
out:
	OPENSSL_cleanse(mask, sizeof(mask));
	OPENSSL_cleanse(t, sizeof(t));
	OPENSSL_cleanse(kek, sizeof(kek));
	cpk_blob_free(&m.mask);
	cpk_blob_free(&m.salt);
	cpk_blob_free(&pr.key);
	cpk_blob_free(&pr.secondary);
	return r;
}

/* The header's key validity: as given, else the period CryptoPro applies
 * to the certificate (FORMATS.md §6.5), else none. */
static time_t
key_validity(const cpk_new_container *nc)
{
	cpk_cert_info ci;

	if (nc->key_not_after == CPK_NO_KEY_VALIDITY)
		return 0;
	if (nc->key_not_after != 0 || nc->cert == NULL ||
	    cpk_cert_parse(nc->cert->ptr, nc->cert->len, &ci) != CPK_OK)
		return nc->key_not_after;
	return cpk_cert_key_end_to_write(&ci);
}

cpk_err
cpk_container_create(const cpk_new_container *nc, cpk_files **out)
{
	const cpk_key *k = nc->key;
	enum cpk_profile p = cpk_key_profile(k);
	const char *pw = nc->password != NULL ? nc->password : "";
	cpk_header_fields hf;
	unsigned char pw_mac[4];
	size_t plen;
	const unsigned char *pub = cpk_key_public(k, &plen);
	cpk_files *f = NULL;
	cpk_err r;

	*out = NULL;
	if (cpk_profile_key_oid(p, nc->exchange) == NULL || nc->name == NULL)
		return CPK_E_ARG;
	if ((r = cpk_files_new(&f)) != CPK_OK)
		return r;
	memset(&hf, 0, sizeof(hf));
	hf.attrs = (pw[0] != '\0' ? CPK_CA_PASSWORD : 0) |
	    (nc->reserve ? CPK_CA_RESERVE : 0);
	hf.params.attrs = (nc->exportable ? CPK_KA_EXPORTABLE : 0) |
	    (nc->exchange ? CPK_KA_EXCHANGE : 0);
	snprintf(hf.params.alg, sizeof(hf.params.alg), "%s",
	    cpk_profile_key_oid(p, nc->exchange) ? cpk_profile_key_oid(p, nc->exchange) : "");
	snprintf(hf.params.curve, sizeof(hf.params.curve), "%s",
	    cpk_curve_oid(cpk_key_curve(k)));
	snprintf(hf.params.digest, sizeof(hf.params.digest), "%s",
	    cpk_profile_digest_oid(p));
	hf.cert = nc->cert;
	if (nc->key2 != NULL) {
		const cpk_key *k2 = nc->key2;
		size_t l2;
		if (cpk_key_profile(k2) != p)
			return CPK_E_UNSUPPORTED;	/* one KEK, one S-box */
		/* the secondary key is the other kind (§16) */
		hf.params2.attrs = (nc->exportable ? CPK_KA_EXPORTABLE : 0) |
		    (nc->exchange ? 0 : CPK_KA_EXCHANGE);
		snprintf(hf.params2.alg, sizeof(hf.params2.alg), "%s",
		    hf.params.alg[0] ? cpk_profile_key_oid(p, !nc->exchange) : "");
		snprintf(hf.params2.curve, sizeof(hf.params2.curve), "%s",
		    cpk_curve_oid(cpk_key_curve(k2)));
		snprintf(hf.params2.digest, sizeof(hf.params2.digest), "%s",
		    cpk_profile_digest_oid(p));
		hf.cert2 = nc->cert2;
		hf.fp2 = cpk_key_public(k2, &l2);
	}
	hf.fp = pub;		/* the first 8 bytes of LE X (§12.5) */
	hf.key_not_after = key_validity(nc);
	if (pw[0] != '\0') {
		if ((r = cpk_password_mac(p, pw, CPK_PW_UTF32LE, pub, pw_mac)) !=
		    CPK_OK)
			goto out;
		hf.pw_mac = pw_mac;
	}
	if ((r = cpk_header_build(&hf, p, &f->f[CPK_F_HEADER])) != CPK_OK ||
	    (r = cpk_name_encode(nc->name, &f->f[CPK_F_NAME])) != CPK_OK ||
	    (r = write_copy(k, nc->key2, pw, &f->f[CPK_F_MASKS],
	    &f->f[CPK_F_PRIMARY])) != CPK_OK ||
	    (nc->reserve && (r = write_copy(k, nc->key2, pw,
	    &f->f[CPK_F_MASKS2],
	    &f->f[CPK_F_PRIMARY2])) != CPK_OK))
		goto out;
	for (int i = 0; i < CPK_F_COUNT; i++) {
		f->err[i] = f->f[i] != NULL ? CPK_OK : CPK_E_MISSING;
		f->size[i] = f->f[i] != NULL ? f->f[i]->len : 0;
	}
	*out = f;
	f = NULL;
out:
	cpk_files_free(&f);
	return r;
}

cpk_err
cpk_container_rekey(const cpk_container *c, const cpk_key *k,
    const cpk_key *k2, const char *pw, cpk_files **out)
{
	enum cpk_profile p = cpk_key_profile(k);
	unsigned char mac[4];
	size_t plen;
	const unsigned char *pub = cpk_key_public(k, &plen);
	cpk_header *h = NULL;
	cpk_files *f = NULL;
	cpk_blob *enc = NULL;
	cpk_err r;

	*out = NULL;
	if (c->header == NULL || c->name_raw == NULL)
		return CPK_E_MISSING;
	if ((r = cpk_header_encode(c->header, &enc)) != CPK_OK ||
	    (r = cpk_header_decode(enc->ptr, enc->len, &h)) != CPK_OK)
		goto out;
	cpk_blob_free(&enc);
	if (pw[0] != '\0' && (r = cpk_password_mac(p, pw, CPK_PW_UTF32LE,
	    pub, mac)) != CPK_OK)
		goto out;
	if ((r = cpk_header_set_password(h, pw[0] != '\0' ? mac : NULL)) !=
	    CPK_OK || (r = cpk_header_update_mac(h, p)) != CPK_OK ||
	    (r = cpk_files_new(&f)) != CPK_OK ||
	    (r = cpk_header_encode(h, &f->f[CPK_F_HEADER])) != CPK_OK ||
	    (r = cpk_blob_new(c->name_raw->ptr, c->name_raw->len,
	    &f->f[CPK_F_NAME])) != CPK_OK ||
	    (r = write_copy(k, k2, pw, &f->f[CPK_F_MASKS],
	    &f->f[CPK_F_PRIMARY])) != CPK_OK ||
	    ((c->masks[1] != NULL || c->primary[1] != NULL) &&
	    (r = write_copy(k, k2, pw, &f->f[CPK_F_MASKS2],
	    &f->f[CPK_F_PRIMARY2])) != CPK_OK))
		goto out;
	for (int i = 0; i < CPK_F_COUNT; i++) {
		f->err[i] = f->f[i] != NULL ? CPK_OK : CPK_E_MISSING;
		f->size[i] = f->f[i] != NULL ? f->f[i]->len : 0;
	}
	*out = f;
	f = NULL;
out:
	cpk_blob_free(&enc);
	cpk_header_free(&h);
	cpk_files_free(&f);
	return r;
}
