/*
 * iconv for Windows over MultiByteToWideChar / WideCharToMultiByte (see
 * include/iconv.h). The whole input is converted, or nothing: EILSEQ for a byte
 * sequence the source charset does not define or a character the target
 * cannot hold (no best-fit substitution, as glibc without //TRANSLIT),
 * E2BIG when the output does not fit, after the whole characters that
 * fit, as glibc does. Shift states do not exist in these
 * charsets; iconv(cd, NULL, ...) is a no-op.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

#include <iconv.h>

enum cs { CS_UTF8, CS_CP1251, CS_UTF16LE, CS_UTF16BE };

struct cpk_win_iconv {
	enum cs	to, from;
};

static int
charset(const char *name, enum cs *out)
{
	static const struct { const char *n; enum cs c; } t[] = {
		{ "UTF-8", CS_UTF8 }, { "UTF8", CS_UTF8 },
		{ "CP1251", CS_CP1251 }, { "WINDOWS-1251", CS_CP1251 },
		{ "UTF-16LE", CS_UTF16LE }, { "UTF-16BE", CS_UTF16BE },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (_stricmp(name, t[i].n) == 0) {
			*out = t[i].c;
			return 1;
		}
	return 0;
}

iconv_t
iconv_open(const char *to, const char *from)
{
	struct cpk_win_iconv *cd;
	enum cs t, f;

	if (!charset(to, &t) || !charset(from, &f)) {
		errno = EINVAL;
		return (iconv_t)-1;
	}
	if ((cd = malloc(sizeof(*cd))) == NULL)
		return (iconv_t)-1;
	cd->to = t;
	cd->from = f;
	return cd;
}

int
iconv_close(iconv_t cd)
{
	free(cd);
	return 0;
}

/* in -> UTF-16 in host order (a new buffer, *n units); 0 on bad input */
static int
to_wide(enum cs from, const char *in, size_t len, wchar_t **w, size_t *n)
{
	size_t i;
	int k;

	*w = NULL;
	*n = 0;
	if (from == CS_UTF16LE || from == CS_UTF16BE) {
		if (len % 2 != 0)
			return 0;
		if ((*w = malloc(len + 2)) == NULL)
			return 0;
		for (i = 0; i < len / 2; i++) {
			unsigned char a = (unsigned char)in[2 * i];
			unsigned char b = (unsigned char)in[2 * i + 1];
			(*w)[i] = (wchar_t)(from == CS_UTF16LE ?
			    a | b << 8 : b | a << 8);
		}
		*n = len / 2;
		return 1;
	}
	if (len == 0)
		return (*w = malloc(sizeof(wchar_t))) != NULL;
	if (len > INT32_MAX)
		return 0;
	/* 0x98 is the one byte CP1251 leaves undefined: glibc refuses it,
	 * Windows maps it to U+0098 without complaint (MB_ERR_INVALID_CHARS
	 * only concerns multibyte code pages); refused here as on Linux */
	if (from == CS_CP1251 && memchr(in, 0x98, len) != NULL)
		return 0;
	k = MultiByteToWideChar(from == CS_UTF8 ? CP_UTF8 : 1251,
	    MB_ERR_INVALID_CHARS, in, (int)len, NULL, 0);
	if (k <= 0 || (*w = malloc((size_t)k * sizeof(wchar_t))) == NULL)
		return 0;
	MultiByteToWideChar(from == CS_UTF8 ? CP_UTF8 : 1251,
	    MB_ERR_INVALID_CHARS, in, (int)len, *w, k);
	*n = (size_t)k;
	return 1;
}

/* UTF-16 -> to, into out (cap bytes): bytes written, -1 EILSEQ, -2 E2BIG */
static long long
from_wide(enum cs to, const wchar_t *w, size_t n, char *out, size_t cap)
{
	BOOL lossy = FALSE;
	size_t i;
	int k;

	if (to == CS_UTF16LE || to == CS_UTF16BE) {
		if (n * 2 > cap)
			return -2;
		for (i = 0; i < n; i++) {
			unsigned v = (unsigned)w[i];
			out[2 * i] = (char)(to == CS_UTF16LE ? v & 0xff : v >> 8);
			out[2 * i + 1] = (char)(to == CS_UTF16LE ? v >> 8 :
			    v & 0xff);
		}
		return (long long)(n * 2);
	}
	if (n == 0)
		return 0;
	if (n > INT32_MAX)
		return -1;
	/* and U+0098 has no CP1251 byte, as in glibc's table */
	if (to == CS_CP1251 && wmemchr(w, 0x98, n) != NULL)
		return -1;
	/* UTF-8 refuses lone surrogates; CP1251 refuses what it lacks
	 * instead of substituting a best fit or '?' */
	k = WideCharToMultiByte(to == CS_UTF8 ? CP_UTF8 : 1251,
	    to == CS_UTF8 ? WC_ERR_INVALID_CHARS : WC_NO_BEST_FIT_CHARS,
	    w, (int)n, NULL, 0, NULL, to == CS_UTF8 ? NULL : &lossy);
	if (k <= 0 || lossy)
		return -1;
	if ((size_t)k > cap)
		return -2;
	WideCharToMultiByte(to == CS_UTF8 ? CP_UTF8 : 1251,
	    to == CS_UTF8 ? WC_ERR_INVALID_CHARS : WC_NO_BEST_FIT_CHARS,
	    w, (int)n, out, k, NULL, NULL);
	return k;
}

/* The length of the character at in, in bytes, in charset from; 0 when
 * the input ends inside it. */
static size_t
char_len(enum cs from, const unsigned char *in, size_t left)
{
	size_t n = 1;

	switch (from) {
	case CS_CP1251:
		break;
	case CS_UTF8:
		n = in[0] < 0x80 ? 1 : in[0] < 0xe0 ? 2 : in[0] < 0xf0 ? 3 : 4;
		break;
	case CS_UTF16LE:
	case CS_UTF16BE:
		n = 2;
		if (left >= 2 && ((from == CS_UTF16LE ? in[1] : in[0]) & 0xfc) ==
		    0xd8)
			n = 4;	/* a high surrogate: the pair goes whole */
		break;
	}
	return n <= left ? n : 0;
}

/* One piece of input converted into out (cap bytes), as from_wide. */
static long long
convert(const struct cpk_win_iconv *cd, const char *in, size_t len,
    char *out, size_t cap)
{
	wchar_t *w;
	size_t n;
	long long k;

	if (!to_wide(cd->from, in, len, &w, &n))
		return -1;
	k = from_wide(cd->to, w, n, out, cap);
	/* the text may be a password or a PIN (container/kdf.c,
	 * token/token_pinenc.c): the copy is wiped, not just freed */
	SecureZeroMemory(w, n * sizeof(*w));
	free(w);
	return k;
}

size_t
iconv(iconv_t cd, char **in, size_t *in_left, char **out, size_t *out_left)
{
	size_t used_in = 0, used_out = 0, cl;
	long long k;

	if (in == NULL || *in == NULL)
		return 0;
	k = convert(cd, *in, *in_left, *out, *out_left);
	if (k == -2) {
		/* E2BIG: as glibc, the whole characters that fit are
		 * converted and the pointers moved past them, so that a
		 * caller converting through a small buffer
		 * (media/regtext.c) goes on where this call stopped; the
		 * input is known good, since all of it converted but for
		 * the room */
		while (used_in < *in_left) {
			cl = char_len(cd->from,
			    (const unsigned char *)*in + used_in,
			    *in_left - used_in);
			if (cl == 0)
				break;
			k = convert(cd, *in + used_in, cl, *out + used_out,
			    *out_left - used_out);
			if (k < 0)
				break;
			used_in += cl;
			used_out += (size_t)k;
		}
		*in += used_in;
		*in_left -= used_in;
		*out += used_out;
		*out_left -= used_out;
		errno = E2BIG;
		return (size_t)-1;
	}
	if (k < 0) {
		errno = EILSEQ;
		return (size_t)-1;
	}
	*in += *in_left;
	*in_left = 0;
	*out += k;
	*out_left -= (size_t)k;
	return 0;
}
