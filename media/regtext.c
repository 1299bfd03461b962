/* .reg text encodings (REGISTRY.md §3.1, §3.5 rule 1): UTF-16LE with BOM
 * (regedit 5.00), UTF-8 with or without BOM, or CP1251 (REGEDIT4 and
 * 5.00-headed files written in the ANSI code page). Decoding is exact, so
 * text decoded and encoded again in the same encoding gives the same
 * bytes. Forms editors leave are read too and reported in t->odd:
 * UTF-16LE without its BOM, UTF-16BE with or without one (told from
 * UTF-16LE by where the zero bytes of the ASCII header are), and lines
 * ending in CR CR LF (read as CR LF; written back as CR LF). */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "media_int.h"

/* Encodes cp into u[0..4); returns the byte count. */
static size_t
utf8_of(unsigned long cp, unsigned char u[4])
{
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return n;
}

/* UTF-16 (be: big-endian) to UTF-8; a lone surrogate or a NUL is an error whose line
 * number goes to *line. Characters gather in a local buffer that goes to
 * the blob a few KiB at a time (one append per character was a fifth of
 * the time a 40 MB .reg took). */
static cpk_err
from_utf16(const unsigned char *p, size_t len, int be, cpk_blob *out,
    size_t *line)
{
	unsigned char buf[4096];
	unsigned long u, lo;
	size_t i, n = 0, hi = be ? 0 : 1, lw = be ? 1 : 0;
	cpk_err r = CPK_OK;

	*line = 1;
	if (len % 2 != 0)
		return CPK_E_LENGTH;
	for (i = 0; i < len && r == CPK_OK; i += 2) {
		u = (unsigned long)p[i + lw] | (unsigned long)p[i + hi] << 8;
		if (u >= 0xd800 && u <= 0xdbff && i + 3 < len) {
			lo = (unsigned long)p[i + 2 + lw] |
			    (unsigned long)p[i + 2 + hi] << 8;
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 2;
			}
		}
		if (u == 0 || (u >= 0xd800 && u <= 0xdfff)) {
			r = CPK_E_FORMAT;	/* a NUL or a lone surrogate */
			break;
		}
		if (u == '\n')
			(*line)++;
		if (n + 4 > sizeof(buf)) {
			r = cpk_blob_append(out, buf, n);
			n = 0;
		}
		n += utf8_of(u, buf + n);
	}
	if (r == CPK_OK)
		r = cpk_blob_append(out, buf, n);
	OPENSSL_cleanse(buf, sizeof(buf));	/* hex of key files */
	return r;
}

static int
valid_utf8(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = p[i] < 0x80 ? 1 : (p[i] & 0xe0) == 0xc0 &&
		    p[i] >= 0xc2 ? 2 : (p[i] & 0xf0) == 0xe0 ? 3 :
		    (p[i] & 0xf8) == 0xf0 && p[i] < 0xf5 ? 4 : 0;
		if (k == 0 || k > n - i || p[i] == 0)
			return 0;
		for (size_t j = 1; j < k; j++)
			if ((p[i + j] & 0xc0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

static cpk_err
convert(const char *to, const char *from, const unsigned char *in,
    size_t len, cpk_blob *out)
{
	iconv_t cd;
	char buf[4096], *ip = (char *)(uintptr_t)in, *op;
	size_t il = len, ol;
	cpk_err r = CPK_OK;

	if ((cd = iconv_open(to, from)) == (iconv_t)-1)
		return CPK_E_UNSUPPORTED;
	while (il > 0 && r == CPK_OK) {
		op = buf;
		ol = sizeof(buf);
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 &&
		    errno != E2BIG)
			r = CPK_E_RANGE;	/* not representable */
		if (r == CPK_OK)
			r = cpk_blob_append(out, buf, sizeof(buf) - ol);
	}
	iconv_close(cd);
	return r;
}

/* "\r\r\n" to "\r\n" in place; the count of lines changed. */
static size_t
undouble_cr(cpk_blob *b)
{
	unsigned char *p = b->ptr;
	size_t i, o = 0, n = 0;

	for (i = 0; i < b->len; i++) {
		if (p[i] == '\r' && i + 2 < b->len && p[i + 1] == '\r' &&
		    p[i + 2] == '\n') {
			n++;
			continue;
		}
		p[o++] = p[i];
	}
	b->len = o;
	return n;
}

cpk_err
cpk_regtext_decode(const unsigned char *p, size_t len, cpk_regtext *t,
    size_t *bad_line)
{
	cpk_blob *b = NULL;
	cpk_err r;

	memset(t, 0, sizeof(*t));
	*bad_line = 0;
	if ((r = cpk_blob_new(NULL, 0, &b)) != CPK_OK)
		return r;
	if (len >= 2 && p[0] == 0xff && p[1] == 0xfe) {
		t->enc = CPK_RT_UTF16LE;
		r = from_utf16(p + 2, len - 2, 0, b, bad_line);
	} else if (len >= 2 && p[0] == 0xfe && p[1] == 0xff) {
		t->enc = CPK_RT_UTF16BE;
		t->odd |= CPK_RTO_UTF16BE;
		r = from_utf16(p + 2, len - 2, 1, b, bad_line);
	} else if (len >= 4 && p[0] != 0 && p[1] == 0 && p[2] != 0 &&
	    p[3] == 0) {		/* "R\0E\0" or "W\0i\0": no BOM */
		t->enc = CPK_RT_UTF16LE_NOBOM;
		t->odd |= CPK_RTO_NOBOM;
		r = from_utf16(p, len, 0, b, bad_line);
	} else if (len >= 4 && p[0] == 0 && p[1] != 0 && p[2] == 0 &&
	    p[3] != 0) {
		t->enc = CPK_RT_UTF16BE_NOBOM;
		t->odd |= CPK_RTO_UTF16BE | CPK_RTO_NOBOM;
		r = from_utf16(p, len, 1, b, bad_line);
	} else if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		t->enc = CPK_RT_UTF8_BOM;
		r = valid_utf8(p + 3, len - 3) ?
		    cpk_blob_append(b, p + 3, len - 3) : CPK_E_FORMAT;
	} else if (valid_utf8(p, len)) {
		t->enc = CPK_RT_UTF8;
		r = cpk_blob_append(b, p, len);
	} else if (memchr(p, 0, len) != NULL)
		r = CPK_E_FORMAT;
	else {
		t->enc = CPK_RT_CP1251;
		r = convert("UTF-8", "CP1251", p, len, b);
	}
	if (r == CPK_OK && (t->crcr = undouble_cr(b)) > 0)
		t->odd |= CPK_RTO_CRCR;
	if (r == CPK_OK)
		r = cpk_blob_append(b, "", 1);		/* NUL-terminated */
	if (r != CPK_OK) {
		OPENSSL_cleanse(b->ptr, b->len);
		cpk_blob_free(&b);
		return r;
	}
	t->text = b;
	return CPK_OK;
}

cpk_err
cpk_regtext_encode(const char *utf8, size_t len, enum cpk_rtenc enc,
    cpk_blob **out)
{
	cpk_err r;

	if ((r = cpk_blob_new(NULL, 0, out)) != CPK_OK)
		return r;
	switch (enc) {
	case CPK_RT_UTF16LE:
		if ((r = cpk_blob_append(*out, "\xff\xfe", 2)) == CPK_OK)
			r = convert("UTF-16LE", "UTF-8",
			    (const unsigned char *)utf8, len, *out);
		break;
	case CPK_RT_UTF16LE_NOBOM:
		r = convert("UTF-16LE", "UTF-8", (const unsigned char *)utf8,
		    len, *out);
		break;
	case CPK_RT_UTF16BE:
		if ((r = cpk_blob_append(*out, "\xfe\xff", 2)) == CPK_OK)
			r = convert("UTF-16BE", "UTF-8",
			    (const unsigned char *)utf8, len, *out);
		break;
	case CPK_RT_UTF16BE_NOBOM:
		r = convert("UTF-16BE", "UTF-8", (const unsigned char *)utf8,
		    len, *out);
		break;
	case CPK_RT_UTF8_BOM:
		if ((r = cpk_blob_append(*out, "\xef\xbb\xbf", 3)) == CPK_OK)
			r = cpk_blob_append(*out, utf8, len);
		break;
	case CPK_RT_UTF8:
		r = cpk_blob_append(*out, utf8, len);
		break;
	case CPK_RT_CP1251:
		r = convert("CP1251", "UTF-8", (const unsigned char *)utf8,
		    len, *out);
		break;
	}
	if (r != CPK_OK)
		cpk_blob_free(out);
	return r;
}

void
cpk_regtext_clear(cpk_regtext *t)
{
	cpk_blob_free(&t->text);
}
