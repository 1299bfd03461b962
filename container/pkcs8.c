/* PKCS#8 GOST private keys (FORMATS.md §19): read in every encoding
 * gost-engine accepts - the little-endian OCTET STRING cpkit writes, a
 * big-endian INTEGER, bare little-endian bytes - and PEM wrapping of keys
 * and certificates. Key bytes only pass through wiped buffers. */
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "internal.h"

static cpk_err
key_bytes(const cpk_cur *c, size_t want, unsigned char *le)
{
	cpk_cur in = *c;
	cpk_tlv t;

	if (in.left == want) {			/* bare little-endian */
		memcpy(le, in.p, want);
		return CPK_OK;
	}
	if (cpk_tlv_next(&in, &t) != CPK_OK || in.left != 0)
		return CPK_E_FORMAT;
	if (t.tag == 0x04 && t.val.left == want) {
		memcpy(le, t.val.p, want);
		return CPK_OK;
	}
	if (t.tag == 0x02) {			/* big-endian INTEGER */
		const unsigned char *p = t.val.p;
		size_t n = t.val.left;
		while (n > 0 && p[0] == 0) {
			p++;
			n--;
		}
		if (n > want)
			return CPK_E_LENGTH;
		memset(le, 0, want);
		for (size_t i = 0; i < n; i++)
			le[i] = p[n - 1 - i];
		return CPK_OK;
	}
	return CPK_E_FORMAT;
}

cpk_err
cpk_key_from_pkcs8(const unsigned char *der, size_t len, cpk_key **out)
{
	char alg[48], curve[48];
	unsigned char d[64];
	const cpk_curve *c;
	enum cpk_profile p;
	cpk_cur root, alg_c, ps;
	cpk_tlv t, a;
	size_t trailing;
	cpk_err r;

	*out = NULL;
	if ((r = cpk_der_root(der, len, &t, &trailing)) != CPK_OK)
		return r;
	if (t.tag != 0x30)
		return CPK_E_TAG;
	root = t.val;
	if ((r = cpk_tlv_expect(&root, 0x02, &t)) != CPK_OK ||
	    (r = cpk_tlv_expect(&root, 0x30, &a)) != CPK_OK)
		return r;
	alg_c = a.val;
	if ((r = cpk_tlv_expect(&alg_c, 0x06, &t)) != CPK_OK ||
	    (r = cpk_oid_to_text(&t.val, alg, sizeof(alg))) != CPK_OK)
		return r;
	if ((p = cpk_profile_by_oid(alg)) == CPK_P_NONE)
		return CPK_E_UNSUPPORTED;	/* RSA, ECDSA...: not GOST */
	if ((r = cpk_tlv_expect(&alg_c, 0x30, &t)) != CPK_OK)
		return r;
	ps = t.val;
	if ((r = cpk_tlv_expect(&ps, 0x06, &t)) != CPK_OK ||
	    (r = cpk_oid_to_text(&t.val, curve, sizeof(curve))) != CPK_OK)
		return r;
	if ((c = cpk_curve_by_oid(curve)) == NULL ||
	    cpk_curve_len(c) != cpk_profile_key_len(p))
		return CPK_E_UNSUPPORTED;
	if ((r = cpk_tlv_expect(&root, 0x04, &t)) != CPK_OK)
		return r;
	if ((r = key_bytes(&t.val, cpk_curve_len(c), d)) == CPK_OK) {
		if (!cpk_curve_scalar_ok(c, d))
			r = CPK_E_RANGE;
		else
			r = cpk_key_from_scalar(p, c, alg, d, cpk_curve_len(c),
			    out);
	}
	OPENSSL_cleanse(d, sizeof(d));
	return r;
}

/* The first PEM block with this label, as DER. */
cpk_err
cpk_pem_decode(const cpk_blob *text, const char *label, cpk_blob **der)
{
	BIO *b;
	char *name = NULL, *hdr = NULL;
	unsigned char *data = NULL;
	long n = 0;
	cpk_err r = CPK_E_NOT_FOUND;

	*der = NULL;
	if ((b = BIO_new_mem_buf(text->ptr, (int)text->len)) == NULL)
		return CPK_E_NOMEM;
	while (PEM_read_bio(b, &name, &hdr, &data, &n) == 1) {
		int match = strcmp(name, label) == 0;
		if (match)
			r = cpk_blob_new(data, (size_t)n, der);
		OPENSSL_free(name);
		OPENSSL_free(hdr);
		OPENSSL_clear_free(data, (size_t)n);
		name = hdr = NULL;
		data = NULL;
		if (match)
			break;
	}
	ERR_clear_error();
	BIO_free(b);
	return r;
}

/* Appends a PEM block (base64 in 64-character lines). */
cpk_err
cpk_pem_encode(const char *label, const cpk_blob *der, cpk_blob *out)
{
	BIO *b;
	char *p;
	long n;
	cpk_err r = CPK_E_CRYPTO;

	if ((b = BIO_new(BIO_s_secmem())) == NULL)
		return CPK_E_NOMEM;
	if (PEM_write_bio(b, label, "", der->ptr, (long)der->len) > 0 &&
	    (n = BIO_get_mem_data(b, &p)) > 0)
		r = cpk_blob_append(out, p, (size_t)n);
	BIO_free(b);
	return r;
}
