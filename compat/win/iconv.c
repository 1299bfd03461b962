/*
 * iconv for Windows over MultiByteToWideChar / WideCharToMultiByte (see
 * include/iconv.h). Every caller in cpkit converts one whole buffer per
 * call, so this converts the whole input or nothing: EILSEQ for a byte
 * sequence the source charset does not define or a character the target
 * cannot hold (no best-fit substitution, as glibc without //TRANSLIT),
 * E2BIG when the output does not fit. Shift states do not exist in these
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

size_t
iconv(iconv_t cd, char **in, size_t *in_left, char **out, size_t *out_left)
{
	wchar_t *w;
	size_t n;
	long long k;

	if (in == NULL || *in == NULL)
		return 0;
	if (!to_wide(cd->from, *in, *in_left, &w, &n)) {
		errno = EILSEQ;
		return (size_t)-1;
	}
	k = from_wide(cd->to, w, n, *out, *out_left);
	/* the text may be a password or a PIN (container/kdf.c,
	 * token/token_pinenc.c): the copy is wiped, not just freed */
	SecureZeroMemory(w, n * sizeof(*w));
	free(w);
	if (k < 0) {
		errno = k == -2 ? E2BIG : EILSEQ;
		return (size_t)-1;
	}
	*in += *in_left;
	*in_left = 0;
	*out += k;
	*out_left -= (size_t)k;
	return 0;
}
