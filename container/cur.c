/* Checked DER/BER reading (STYLE.md §6, FORMATS.md §2.1): single-byte tags,
 * up to 4 length bytes, BER indefinite lengths walked inside `left` with a
 * depth cap, one root element per file with the rest counted as trailing. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

cpk_err
cpk_cur_take(cpk_cur *c, size_t n, cpk_cur *sub)
{
	if (n > c->left)		/* compare lengths, not pointers */
		return CPK_E_TRUNCATED;
	sub->p = c->p;
	sub->left = n;
	c->p += n;
	c->left -= n;
	return CPK_OK;
}

static cpk_err
read_byte(cpk_cur *c, unsigned *b)
{
	if (c->left < 1)
		return CPK_E_TRUNCATED;
	*b = c->p[0];
	c->p++;
	c->left--;
	return CPK_OK;
}

/* Length octets: short form, 81..84 long form, or 80 (indefinite). */
static cpk_err
read_len(cpk_cur *c, size_t *len, int *indef, int *nonmin)
{
	unsigned b, n, i, v;
	size_t l = 0;
	cpk_err r;

	*indef = 0;
	*nonmin = 0;
	if ((r = read_byte(c, &b)) != CPK_OK)
		return r;
	if (b < 0x80) {
		*len = b;
		return CPK_OK;
	}
	if (b == 0x80) {
		*indef = 1;
		*len = 0;
		return CPK_OK;
	}
	n = b & 0x7f;
	if (n > 4)
		return CPK_E_LENGTH;
	for (i = 0; i < n; i++) {
		if ((r = read_byte(c, &v)) != CPK_OK)
			return r;
		l = l << 8 | v;
	}
	if (l < 0x80 || (n > 1 && l >> (8 * (n - 1))) == 0)
		*nonmin = 1;
	*len = l;
	return CPK_OK;
}

static cpk_err tlv_read(cpk_cur *, cpk_tlv *, unsigned depth);

/* Walks nested elements up to the end-of-contents marker 00 00. */
static cpk_err
skip_indefinite(cpk_cur *c, unsigned depth, size_t *content_len)
{
	const unsigned char *start = c->p, *el;
	cpk_tlv t;
	cpk_err r;

	for (;;) {
		if (c->left >= 2 && c->p[0] == 0 && c->p[1] == 0) {
			*content_len = (size_t)(c->p - start);
			c->p += 2;
			c->left -= 2;
			return CPK_OK;
		}
		if (c->left == 0)
			return CPK_E_TRUNCATED;
		el = c->p;
		if ((r = tlv_read(c, &t, depth + 1)) != CPK_OK) {
			cpk_where_at(el);
			return r;
		}
	}
}

static cpk_err
tlv_read(cpk_cur *c, cpk_tlv *t, unsigned depth)
{
	const unsigned char *start = c->p;
	size_t len, clen;
	cpk_cur body;
	cpk_err r;

	memset(t, 0, sizeof(*t));
	if (depth > CPK_DER_MAX_DEPTH)
		return CPK_E_DEPTH;
	if ((r = read_byte(c, &t->tag)) != CPK_OK)
		return r;
	if ((t->tag & 0x1f) == 0x1f)	/* high-tag-number form: not ours */
		return CPK_E_TAG;
	if ((r = read_len(c, &len, &t->indefinite, &t->nonminimal)) != CPK_OK)
		return r;
	if (t->indefinite) {
		if ((t->tag & 0x20) == 0)	/* only constructed may be */
			return CPK_E_LENGTH;
		body = *c;
		if ((r = skip_indefinite(c, depth, &clen)) != CPK_OK)
			return r;
		t->val.p = body.p;
		t->val.left = clen;
	} else if ((r = cpk_cur_take(c, len, &t->val)) != CPK_OK)
		return r;
	t->raw = start;
	t->raw_len = (size_t)(c->p - start);
	return CPK_OK;
}

cpk_err
cpk_tlv_next(cpk_cur *c, cpk_tlv *t)
{
	const unsigned char *start = c->p;
	cpk_err r;

	if ((r = tlv_read(c, t, 0)) != CPK_OK)
		cpk_where_at(start);	/* nested failures noted theirs */
	return r;
}

cpk_err
cpk_tlv_head(cpk_cur *c, unsigned *tag, size_t *len)
{
	int indef, nonmin;
	cpk_err r;

	if ((r = read_byte(c, tag)) != CPK_OK)
		return r;
	return read_len(c, len, &indef, &nonmin);
}

const unsigned char *
cpk_der_cut_at(const unsigned char *p, size_t len)
{
	cpk_cur c = { p, len }, save;
	const unsigned char *at = p;
	cpk_tlv t;
	unsigned tag, depth = 0;
	size_t l;

	while (c.left > 0 && depth <= CPK_DER_MAX_DEPTH) {
		save = c;
		if (tlv_read(&c, &t, 0) == CPK_OK)
			continue;		/* a whole sibling: past it */
		c = save;
		at = c.p;
		/* a cut primitive, or a cut in the tag and length: here */
		if (cpk_tlv_head(&c, &tag, &l) != CPK_OK || !(tag & 0x20) ||
		    l <= c.left)
			break;
		depth++;		/* into the cut constructed element */
	}
	return at;
}

cpk_err
cpk_tlv_expect(cpk_cur *c, unsigned tag, cpk_tlv *t)
{
	cpk_cur save = *c;
	cpk_err r;

	if ((r = cpk_tlv_next(c, t)) != CPK_OK) {
		*c = save;		/* a broken element is not consumed */
		return r;
	}
	if (t->tag != tag) {
		*c = save;
		cpk_where_at(save.p);
		return CPK_E_TAG;
	}
	return CPK_OK;
}

cpk_err
cpk_der_root(const unsigned char *p, size_t len, cpk_tlv *t, size_t *trailing)
{
	cpk_cur c = { p, len };
	cpk_err r;

	if (len == 0)
		return CPK_E_EMPTY;
	if (len > CPK_FILE_MAX)
		return CPK_E_TOO_BIG;
	if ((r = cpk_tlv_next(&c, t)) != CPK_OK)
		return r;
	*trailing = c.left;
	return CPK_OK;
}

/* Arcs are capped at 32 bits: GOST OIDs are small, bigger is garbage. */
cpk_err
cpk_oid_to_text(const cpk_cur *oid, char *out, size_t cap)
{
	size_t i, n = 0;
	unsigned long v = 0;
	int first = 1, w;

	if (oid->left == 0 || oid->left > 64 || cap < 8)
		return CPK_E_FORMAT;
	out[0] = '\0';
	for (i = 0; i < oid->left; i++) {
		if (v > 0x1ffffff)
			return CPK_E_FORMAT;
		v = v << 7 | (oid->p[i] & 0x7fu);
		if (oid->p[i] & 0x80) {
			if (i + 1 == oid->left)
				return CPK_E_FORMAT;
			continue;
		}
		if (first) {
			unsigned long a = v < 40 ? 0 : v < 80 ? 1 : 2;
			w = snprintf(out + n, cap - n, "%lu.%lu", a, v - a * 40);
			first = 0;
		} else
			w = snprintf(out + n, cap - n, ".%lu", v);
		if (w < 0 || (size_t)w >= cap - n)
			return CPK_E_RANGE;
		n += (size_t)w;
		v = 0;
	}
	return CPK_OK;
}

static int
parse_arc(const char **s, unsigned long *v)
{
	unsigned long x = 0;
	int digits = 0;

	while (**s >= '0' && **s <= '9') {
		if (x > 0x1ffffff)
			return -1;
		x = x * 10 + (unsigned long)(**s - '0');
		(*s)++;
		digits++;
	}
	*v = x;
	return digits > 0 ? 0 : -1;
}

/* Appends the full OID TLV (06 LL ...) for a dotted string. */
cpk_err
cpk_oid_from_text(const char *s, cpk_blob *out)
{
	unsigned char buf[64];
	size_t n = 0;
	unsigned long a, b, v;
	unsigned char tmp[5];
	int k, arcs = 0;

	if (parse_arc(&s, &a) != 0 || *s++ != '.' || parse_arc(&s, &b) != 0 ||
	    a > 2 || (a < 2 && b >= 40))	/* X.660: 0.x and 1.x stop at 39 */
		return CPK_E_ARG;
	v = a * 40 + b;
	for (;;) {
		k = 0;
		do {
			tmp[k++] = (unsigned char)(v & 0x7f);
			v >>= 7;
		} while (v != 0 && k < 5);
		if (n + (size_t)k > sizeof(buf))
			return CPK_E_RANGE;
		while (k > 0) {
			k--;
			buf[n++] = (unsigned char)(tmp[k] | (k > 0 ? 0x80 : 0));
		}
		if (*s == '\0')
			break;
		if (*s++ != '.' || parse_arc(&s, &v) != 0 || ++arcs > 30)
			return CPK_E_ARG;
	}
	return cpk_der_put(out, 0x06, buf, n);
}

/* Bit n is 0x80 >> (n % 8) of byte n / 8 (FORMATS.md §8.1). */
cpk_err
cpk_bits_decode(const cpk_cur *bs, unsigned *bits)
{
	size_t i;
	unsigned unused;

	*bits = 0;
	if (bs->left < 1 || (unused = bs->p[0]) > 7 ||
	    (bs->left == 1 && unused != 0))
		return CPK_E_FORMAT;
	for (i = 1; i < bs->left && i <= 4; i++) {
		unsigned byte = bs->p[i];
		if (i + 1 == bs->left)
			byte &= 0xffu << unused;
		for (unsigned j = 0; j < 8; j++)
			if (byte & (0x80u >> j))
				*bits |= 1u << ((i - 1) * 8 + j);
	}
	return CPK_OK;
}
