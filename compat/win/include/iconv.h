/*
 * Windows stand-in for <iconv.h>: the conversions cpkit asks for (UTF-8,
 * CP1251, UTF-16LE, UTF-16BE, in any pair) over the Win32 code page API,
 * so that the library's iconv callers build unchanged. Debian has no
 * mingw-w64 iconv to cross-build (no win-iconv or libiconv source package
 * in bookworm). compat/win/iconv.c says how it differs from glibc's.
 */
#ifndef CPKIT_COMPAT_ICONV_H
#define CPKIT_COMPAT_ICONV_H

#include <stddef.h>

typedef struct cpk_win_iconv *iconv_t;

iconv_t	iconv_open(const char *to, const char *from);
size_t	iconv(iconv_t, char **in, size_t *in_left, char **out,
	    size_t *out_left);
int	iconv_close(iconv_t);

#endif
