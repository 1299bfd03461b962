/* CPKDF: password + salt -> 32-byte key (FORMATS.md §11). Every buffer
 * that held the password or an intermediate value is wiped. */
#include <iconv.h>
#include <string.h>

#include <openssl/crypto.h>

#include "internal.h"

const char *
cpk_pwenc_name(enum cpk_pwenc e)
{
	switch (e) {
	case CPK_PW_UTF32LE:
		return "utf-32le";
	case CPK_PW_UTF8:
		return "utf-8";
	case CPK_PW_CP1251:
		return "cp1251";
	}
	return "unknown";
}

size_t
cpk_pw_encodings(const char *pw, enum cpk_pwenc out[3])
{
	const unsigned char *p = (const unsigned char *)pw;

	while (*p != '\0' && *p < 0x80)
		p++;
	if (*p == '\0') {
		out[0] = CPK_PW_UTF8;
		return 1;
	}
	out[0] = CPK_PW_UTF32LE;
	out[1] = CPK_PW_UTF8;
	out[2] = CPK_PW_CP1251;
	return 3;
}

/* Next code point of a UTF-8 string; -1 on malformed input. */
static long
utf8_next(const unsigned char **s, size_t *left)
{
	const unsigned char *p = *s;
	size_t n, i;
	long cp;

	if (p[0] < 0x80)
		n = 1, cp = p[0];
	else if ((p[0] & 0xe0) == 0xc0)
		n = 2, cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3, cp = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		n = 4, cp = p[0] & 0x07;
	else
		return -1;
	if (n > *left)
		return -1;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	*s += n;
	*left -= n;
	return cp;
}

static cpk_err
to_cp1251(const char *pw, cpk_blob *out)
{
	iconv_t cd;
	char buf[1024];
	char *in = (char *)(uintptr_t)pw, *o = buf;
	size_t il = strlen(pw), ol = sizeof(buf);
	cpk_err r = CPK_OK;

	if ((cd = iconv_open("CP1251", "UTF-8")) == (iconv_t)-1)
		return CPK_E_UNSUPPORTED;
	if (iconv(cd, &in, &il, &o, &ol) == (size_t)-1)
		r = CPK_E_RANGE;	/* not representable in CP1251 */
	iconv_close(cd);
	for (size_t i = 0; r == CPK_OK && i < sizeof(buf) - ol; i++) {
		unsigned char w[4] = { (unsigned char)buf[i], 0, 0, 0 };
		r = cpk_blob_append(out, w, 4);
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	return r;
}

/* W: each character as 4 bytes (§11.1 step 1, §11.3 for non-ASCII). */
static cpk_err
password_w(const char *pw, enum cpk_pwenc enc, cpk_blob *w)
{
	const unsigned char *s = (const unsigned char *)pw;
	size_t left = strlen(pw);
	cpk_err r = CPK_OK;

	if (enc == CPK_PW_CP1251)
		return to_cp1251(pw, w);
	while (left > 0 && r == CPK_OK) {
		unsigned char c[4] = { 0 };
		if (enc == CPK_PW_UTF8) {
			c[0] = *s++;
			left--;
		} else {
			long cp = utf8_next(&s, &left);
			if (cp < 0)
				return CPK_E_FORMAT;
			for (int i = 0; i < 4; i++)
				c[i] = (unsigned char)((unsigned long)cp >>
				    (8 * i));
		}
		r = cpk_blob_append(w, c, 4);
	}
	return r;
}

/* The hash's library is the process's choice (kdf_hash.c); the tests
 * name one to cross-check the two. */
cpk_err
cpk_kdf(enum cpk_profile p, const char *pw, enum cpk_pwenc enc,
    const unsigned char *salt, size_t salt_len, unsigned char out[32])
{
	if (p == CPK_P_NONE || pw == NULL)
		return CPK_E_ARG;
	return cpk_kdf_with(cpk_kdf_impl_of(cpk_profile_kdf_hash(p)), p, pw,
	    enc, salt, salt_len, out);
}

cpk_err
cpk_kdf_with(enum cpk_kdf_impl impl, enum cpk_profile p, const char *pw,
    enum cpk_pwenc enc, const unsigned char *salt, size_t salt_len,
    unsigned char out[32])
{
	static const char seed[33] = "DENEFH028.760246785.IUEFHWUIO.EF";
	size_t bsz = cpk_profile_kdf_block(p), n;
	unsigned char c[64], h0[32], in[2 * 64 + 64];
	cpk_kdf_hasher *hs = NULL;
	cpk_blob *w = NULL, *m = NULL;
	cpk_err r;

	if (p == CPK_P_NONE || pw == NULL)
		return CPK_E_ARG;
	if ((r = cpk_kdf_hasher_new(impl, cpk_profile_kdf_hash(p), &hs)) !=
	    CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &w)) != CPK_OK ||
	    (r = password_w(pw, enc, w)) != CPK_OK ||
	    (r = cpk_blob_new(salt, salt_len, &m)) != CPK_OK ||
	    (r = cpk_blob_append(m, w->ptr, w->len)) != CPK_OK ||
	    (r = cpk_kdf_hasher_run(hs, m->ptr, m->len, h0)) != CPK_OK)
		goto out;
	memset(c, 0, sizeof(c));
	memcpy(c, seed, 32);
	/* X || h0 || Y || h0: h0 and the upper B-32 bytes of X and Y (C is
	 * zero-extended) never change; only C's 32 bytes are folded in */
	memset(in, 0x36, bsz);
	memcpy(in + bsz, h0, 32);
	memset(in + bsz + 32, 0x5c, bsz);
	memcpy(in + 2 * bsz + 32, h0, 32);
	n = w->len > 0 ? 2000 : 2;
	for (size_t it = 0; it < n; it++) {
		for (size_t i = 0; i < 32; i++) {
			in[i] = (unsigned char)(c[i] ^ 0x36);
			in[bsz + 32 + i] = (unsigned char)(c[i] ^ 0x5c);
		}
		if ((r = cpk_kdf_hasher_run(hs, in, 2 * bsz + 64, c)) !=
		    CPK_OK)
			goto out;
	}
	/* step 6: only 32 bytes of X and Y, then S and W */
	cpk_blob_reset(m);
	for (size_t i = 0; i < 32; i++) {
		in[i] = (unsigned char)(c[i] ^ 0x36);
		in[32 + i] = (unsigned char)(c[i] ^ 0x5c);
	}
	if ((r = cpk_blob_append(m, in, 32)) != CPK_OK ||
	    (r = cpk_blob_append(m, salt, salt_len)) != CPK_OK ||
	    (r = cpk_blob_append(m, in + 32, 32)) != CPK_OK ||
	    (r = cpk_blob_append(m, w->ptr, w->len)) != CPK_OK ||
	    (r = cpk_kdf_hasher_run(hs, m->ptr, m->len, c)) != CPK_OK ||
	    (r = cpk_kdf_hasher_run(hs, c, 32, out)) != CPK_OK)
		goto out;
out:
	OPENSSL_cleanse(c, sizeof(c));
	OPENSSL_cleanse(h0, sizeof(h0));
	OPENSSL_cleanse(in, sizeof(in));
	cpk_kdf_hasher_free(&hs);
	cpk_blob_free(&w);
	cpk_blob_free(&m);
	return r;
}

/* The password check value hmacPassword [2] (FORMATS.md §13.3): the KEK
 * for the fingerprint, then a GOST MAC over 16 zero bytes. */
cpk_err
cpk_password_mac(enum cpk_profile p, const char *pw, enum cpk_pwenc enc,
    const unsigned char fp[8], unsigned char mac[4])
{
	static const unsigned char zero[16];
	unsigned char key[32];
	cpk_err r;

	if ((r = cpk_kdf(p, pw, enc, fp, 8, key)) == CPK_OK)
		r = cpk_gost_mac4(cpk_profile_sbox(p), key, zero, 16, mac);
	OPENSSL_cleanse(key, sizeof(key));
	return r;
}
