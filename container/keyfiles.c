/* masks.key (§4), primary.key (§5) and name.key (§3) codecs. Each file is
 * one root element; bytes after it (token padding, FNS-issued files) are
 * counted, never parsed. */
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void
cpk_masks_free(cpk_masks **mp)
{
	if (mp == NULL || *mp == NULL)
		return;
	cpk_blob_free(&(*mp)->mask);
	cpk_blob_free(&(*mp)->salt);
	free(*mp);
	*mp = NULL;
}

void
cpk_primary_free(cpk_primary **pp)
{
	if (pp == NULL || *pp == NULL)
		return;
	cpk_blob_free(&(*pp)->key);
	cpk_blob_free(&(*pp)->secondary);
	cpk_blob_free(&(*pp)->old_mac);
	free(*pp);
	*pp = NULL;
}

/* GostPrivateMasks ::= SEQUENCE { mask, randomStatus, hmacRandom(4) } */
cpk_err
cpk_masks_decode(const unsigned char *p, size_t len, cpk_masks **out)
{
	cpk_masks *m = NULL;
	cpk_tlv root, mask, salt, mac;
	cpk_cur c;
	cpk_err r;

	*out = NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return CPK_E_NOMEM;
	if ((r = cpk_der_root(p, len, &root, &m->trailing)) != CPK_OK)
		goto fail;
	c = root.val;
	if (root.tag != 0x30 ||
	    (r = cpk_tlv_expect(&c, 0x04, &mask)) != CPK_OK ||
	    (r = cpk_tlv_expect(&c, 0x04, &salt)) != CPK_OK ||
	    (r = cpk_tlv_expect(&c, 0x04, &mac)) != CPK_OK) {
		r = r == CPK_OK ? CPK_E_TAG : r;
		goto fail;
	}
	if (c.left != 0) {
		r = CPK_E_FORMAT;
		goto fail;
	}
	/* a 32- or 64-byte mask whose last 32 bytes key the MAC (§4) */
	if ((mask.val.left != 32 && mask.val.left != 64) ||
	    salt.val.left < 12 || salt.val.left > 64 || mac.val.left != 4) {
		r = CPK_E_LENGTH;
		goto fail;
	}
	memcpy(m->mac, mac.val.p, 4);
	if ((r = cpk_blob_new(mask.val.p, mask.val.left, &m->mask)) != CPK_OK ||
	    (r = cpk_blob_new(salt.val.p, salt.val.left, &m->salt)) != CPK_OK)
		goto fail;
	*out = m;
	return CPK_OK;
fail:
	cpk_masks_free(&m);
	return r;
}

cpk_err
cpk_masks_encode(const cpk_masks *m, cpk_blob **out)
{
	cpk_blob *in = NULL;
	cpk_err r;

	*out = NULL;
	if ((r = cpk_blob_new(NULL, 0, &in)) != CPK_OK ||
	    (r = cpk_der_put(in, 0x04, m->mask->ptr, m->mask->len)) != CPK_OK ||
	    (r = cpk_der_put(in, 0x04, m->salt->ptr, m->salt->len)) != CPK_OK ||
	    (r = cpk_der_put(in, 0x04, m->mac, 4)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, out)) != CPK_OK ||
	    (r = cpk_der_wrap(*out, 0x30, in)) != CPK_OK)
		cpk_blob_free(out);
	cpk_blob_free(&in);
	return r;
}

/* GostPrivateKeys ::= SEQUENCE { primaryKey, [0] secondaryKey OPTIONAL,
 * hmacKey OPTIONAL (pre-V2) }: tag 80 is the second key, 04 the old MAC. */
cpk_err
cpk_primary_decode(const unsigned char *p, size_t len, cpk_primary **out)
{
	cpk_primary *k = NULL;
	cpk_tlv root, t;
	cpk_cur c;
	cpk_err r;

	*out = NULL;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return CPK_E_NOMEM;
	if ((r = cpk_der_root(p, len, &root, &k->trailing)) != CPK_OK)
		goto fail;
	c = root.val;
	if (root.tag != 0x30) {
		r = CPK_E_TAG;
		goto fail;
	}
	if ((r = cpk_tlv_expect(&c, 0x04, &t)) != CPK_OK)
		goto fail;
	if (t.val.left != 32 && t.val.left != 64) {
		r = CPK_E_LENGTH;
		goto fail;
	}
	if ((r = cpk_blob_new(t.val.p, t.val.left, &k->key)) != CPK_OK)
		goto fail;
	/* optional: absent at the end or when the next tag differs; a
	 * malformed element is an error, never "absent" */
	if (c.left > 0 && (r = cpk_tlv_expect(&c, 0x80, &t)) == CPK_OK)
		r = cpk_blob_new(t.val.p, t.val.left, &k->secondary);
	if (r != CPK_OK && r != CPK_E_TAG)
		goto fail;
	if (c.left > 0 && (r = cpk_tlv_expect(&c, 0x04, &t)) == CPK_OK)
		r = cpk_blob_new(t.val.p, t.val.left, &k->old_mac);
	if (r != CPK_OK && r != CPK_E_TAG)
		goto fail;
	if (c.left != 0) {
		r = CPK_E_FORMAT;
		goto fail;
	}
	*out = k;
	return CPK_OK;
fail:
	cpk_primary_free(&k);
	return r;
}

cpk_err
cpk_primary_encode(const cpk_primary *k, cpk_blob **out)
{
	cpk_blob *in = NULL;
	cpk_err r;

	*out = NULL;
	if ((r = cpk_blob_new(NULL, 0, &in)) != CPK_OK ||
	    (r = cpk_der_put(in, 0x04, k->key->ptr, k->key->len)) != CPK_OK ||
	    (k->secondary != NULL && (r = cpk_der_put(in, 0x80,
	    k->secondary->ptr, k->secondary->len)) != CPK_OK) ||
	    (k->old_mac != NULL && (r = cpk_der_put(in, 0x04, k->old_mac->ptr,
	    k->old_mac->len)) != CPK_OK) ||
	    (r = cpk_blob_new(NULL, 0, out)) != CPK_OK ||
	    (r = cpk_der_wrap(*out, 0x30, in)) != CPK_OK)
		cpk_blob_free(out);
	cpk_blob_free(&in);
	return r;
}

static int
is_utf8_multibyte(const unsigned char *p, size_t n)
{
	int multi = 0;

	for (size_t i = 0; i < n;) {
		size_t k = p[i] < 0x80 ? 1 : (p[i] & 0xe0) == 0xc0 ? 2 :
		    (p[i] & 0xf0) == 0xe0 ? 3 : (p[i] & 0xf8) == 0xf0 ? 4 : 0;
		if (k == 0 || k > n - i || (k == 2 && p[i] < 0xc2))
			return 0;
		for (size_t j = 1; j < k; j++)
			if ((p[i + j] & 0xc0) != 0x80)
				return 0;
		multi |= k > 1;
		i += k;
	}
	return multi;
}

static cpk_err
convert(const char *to, const char *from, const unsigned char *in,
    size_t len, char **out, size_t *out_len)
{
	iconv_t cd;
	size_t cap = len * 4 + 1, il = len, ol = cap;
	char *buf, *ip = (char *)(uintptr_t)in, *op;

	*out = NULL;
	if ((cd = iconv_open(to, from)) == (iconv_t)-1)
		return CPK_E_UNSUPPORTED;
	if ((buf = calloc(1, cap)) == NULL) {
		iconv_close(cd);
		return CPK_E_NOMEM;
	}
	op = buf;
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
		iconv_close(cd);
		free(buf);
		return CPK_E_RANGE;
	}
	iconv_close(cd);
	*out_len = cap - ol;
	*out = buf;
	return CPK_OK;
}

/* GostKeyContainerName ::= SEQUENCE { IA5String (CP1251 bytes), ANY } */
cpk_err
cpk_name_decode(const unsigned char *p, size_t len, char **name,
    const char **enc)
{
	cpk_tlv root, t;
	cpk_cur c;
	size_t n, i;
	int ascii = 1;
	cpk_err r;

	*name = NULL;
	*enc = NULL;
	if ((r = cpk_der_root(p, len, &root, &n)) != CPK_OK)
		return r;
	c = root.val;
	if (root.tag != 0x30)
		return CPK_E_TAG;
	if ((r = cpk_tlv_next(&c, &t)) != CPK_OK)
		return r;
	if (t.tag != 0x16 && t.tag != 0x0c && t.tag != 0x13)
		return CPK_E_TAG;
	if (t.val.left == 0)
		return CPK_E_EMPTY;
	for (i = 0; i < t.val.left; i++) {
		if (t.val.p[i] < 0x20 || t.val.p[i] == 0x7f)
			return CPK_E_FORMAT;	/* NUL or control bytes */
		ascii &= t.val.p[i] < 0x80;
	}
	if (ascii || is_utf8_multibyte(t.val.p, t.val.left)) {
		*enc = ascii ? "ascii" : "utf-8";
		if ((*name = calloc(1, t.val.left + 1)) == NULL)
			return CPK_E_NOMEM;
		memcpy(*name, t.val.p, t.val.left);
		return CPK_OK;
	}
	*enc = "cp1251";
	return convert("UTF-8", "CP1251", t.val.p, t.val.left, name, &n);
}

/* Always CP1251, at most 127 bytes so the length stays one byte (§3.2). */
cpk_err
cpk_name_encode(const char *utf8, cpk_blob **out)
{
	cpk_blob *in = NULL;
	char *cp = NULL;
	size_t n = 0;
	cpk_err r;

	*out = NULL;
	if ((r = convert("CP1251", "UTF-8", (const unsigned char *)utf8,
	    strlen(utf8), &cp, &n)) != CPK_OK)
		return r;
	if (n == 0 || n > 127) {
		free(cp);
		return CPK_E_LENGTH;
	}
	if ((r = cpk_blob_new(NULL, 0, &in)) != CPK_OK ||
	    (r = cpk_der_put(in, 0x16, cp, n)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, out)) != CPK_OK ||
	    (r = cpk_der_wrap(*out, 0x30, in)) != CPK_OK)
		cpk_blob_free(out);
	free(cp);
	cpk_blob_free(&in);
	return r;
}
