/* The bytes a token PIN is sent as (TOKENS.md §6.5). The Rutoken driver
 * stores a PIN typed with non-Latin letters in the encoding its
 * installer's PINENCODING key chose: ANSI (CP1251, the default) or UTF8
 * (Rutoken ECP only). cpkit cannot read that key, and a wrong guess costs
 * a try, so a PIN that is not pure ASCII is only encoded when the user
 * names the encoding. */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>

#include <openssl/crypto.h>

#include "token_int.h"

const char *
cpk_pinenc_name(enum cpk_pinenc e)
{
	return e == CPK_PINENC_CP1251 ? "cp1251" :
	    e == CPK_PINENC_UTF8 ? "utf8" : "none";
}

/* Whole text valid UTF-8 without NUL; *ascii says whether every byte is
 * below 0x80. */
static int
valid_utf8(const char *s, size_t len, int *ascii)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	*ascii = 1;
	while (len > 0) {
		if ((n = cpk_utf8_decode(p, len, &cp)) == 0 || cp == 0)
			return 0;
		*ascii &= n == 1;
		p += n;
		len -= n;
	}
	return 1;
}

/* glibc's iconv: its CP1251 table is the one Windows uses, and it
 * refuses (EILSEQ) a character the code page does not have. */
static cpk_err
to_cp1251(const char *pin, size_t len, unsigned char *out, size_t cap,
    size_t *out_len)
{
	char *in = (char *)(uintptr_t)pin, *o = (char *)out;
	size_t il = len, ol = cap;
	cpk_err r = CPK_OK;
	iconv_t cd;

	if ((cd = iconv_open("CP1251", "UTF-8")) == (iconv_t)-1)
		return CPK_E_UNSUPPORTED;
	if (iconv(cd, &in, &il, &o, &ol) == (size_t)-1)
		r = errno == E2BIG ? CPK_E_TOO_BIG : CPK_E_RANGE;
	iconv_close(cd);
	*out_len = cap - ol;
	return r;
}

cpk_err
cpk_pin_encode(enum cpk_pinenc enc, const char *pin, size_t len,
    unsigned char *out, size_t cap, size_t *out_len)
{
	int ascii;
	cpk_err r;

	if (out_len == NULL)
		return CPK_E_ARG;
	*out_len = 0;
	if (pin == NULL || out == NULL)
		return CPK_E_ARG;
	if (!valid_utf8(pin, len, &ascii))
		return CPK_E_FORMAT;
	if (ascii || enc == CPK_PINENC_UTF8) {
		/* ASCII is the same bytes in every encoding; utf8 sends the
		 * bytes as typed */
		if (len > cap)
			return CPK_E_TOO_BIG;
		memcpy(out, pin, len);
		*out_len = len;
		return CPK_OK;
	}
	if (enc != CPK_PINENC_CP1251)
		return CPK_E_ARG;	/* not ASCII, and no encoding named */
	if ((r = to_cp1251(pin, len, out, cap, out_len)) != CPK_OK) {
		OPENSSL_cleanse(out, cap);
		*out_len = 0;
	}
	return r;
}

int
cpk_tok_pin_utf8_ok(const cpk_tok_model *m)
{
	/* PINENCODING=UTF8 exists for Rutoken ECP only (PIN-POLICY.md); the
	 * ATR table tells ECP from Lite by name only, as they share a
	 * family. Rutoken S, Lite and the rest keep CP1251. */
	return m != NULL && m->family == CPK_TOK_RUTOKEN &&
	    strstr(m->name, "ECP") != NULL;
}
