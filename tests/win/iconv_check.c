/*
 * The conversions cpkit asks iconv for, printed as hex with the error,
 * so that tests/win/e2e_iconv.sh can compare glibc's iconv (Linux build)
 * with compat/win/iconv.c (Windows build, under wine): every CP1251 byte
 * from 0x80 to 0xFF alone, Cyrillic both ways, U+0098, UTF-16 of both
 * byte orders, a lone surrogate, and output buffers too small: glibc
 * converts the whole characters that fit and stops there.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

static void
show(const char *to, const char *from, const char *in, size_t n, size_t cap)
{
	char out[64], *ip = (char *)(size_t)in, *op = out;
	size_t il = n, ol = cap;
	iconv_t cd = iconv_open(to, from);
	int e;

	printf("%s<-%s", to, from);
	for (size_t i = 0; i < n; i++)
		printf(" %02x", (unsigned char)in[i]);
	if (cd == (iconv_t)-1) {
		printf(": open failed\n");
		return;
	}
	errno = 0;
	e = iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ? errno : 0;
	iconv_close(cd);
	if (e != 0) {
		printf(": %s", e == EILSEQ ? "EILSEQ" : e == E2BIG ? "E2BIG" :
		    e == EINVAL ? "EINVAL" : "other");
		if (e != E2BIG) {
			printf("\n");
			return;
		}
		/* what fitted, and where the input stopped */
		printf(" after %zu bytes", n - il);
	}
	printf(" ->");
	for (char *p = out; p < op; p++)
		printf(" %02x", (unsigned char)*p);
	printf("\n");
}

int
main(void)
{
	char b[1];

	for (int c = 0x80; c <= 0xff; c++) {
		b[0] = (char)c;
		show("UTF-8", "CP1251", b, 1, sizeof(((char[64]){0})));
	}
	show("CP1251", "UTF-8", "\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c", 12, 64);
	show("CP1251", "UTF-8", "\xc2\x98", 2, 64);
	show("CP1251", "UTF-8", "\xe2\x82\xac\xe2\x84\x96", 6, 64);
	show("CP1251", "UTF-8", "\xc3\xa9", 2, 64);
	show("CP1251", "UTF-8", "\xff", 1, 64);
	show("UTF-8", "UTF-16LE", "\x3f\x04\x30\x04", 4, 64);
	show("UTF-8", "UTF-16BE", "\x04\x3f\x04\x30", 4, 64);
	show("UTF-8", "UTF-16LE", "\x00\xd8\x41\x00", 4, 64);
	show("UTF-16LE", "UTF-8", "\xd0\xbf\x41", 3, 64);
	show("UTF-16BE", "UTF-8", "\xf0\x9f\x94\x91", 4, 64);
	show("UTF-8", "CP1251", "\xef\xe0\xf0\xee\xeb\xfc", 6, 4);
	show("UTF-8", "CP1251", "\xef\xe0\xf0\xee\xeb\xfc", 6, 5);
	show("UTF-16LE", "UTF-8", "ab\xd0\xbf\xf0\x9f\x94\x91" "c", 9, 7);
	show("UTF-16LE", "UTF-8", "ab\xd0\xbf\xf0\x9f\x94\x91" "c", 9, 9);
	show("UTF-8", "UTF-16LE", "\x3d\xd8\x11\xdd\x41\x00", 6, 3);
	show("UTF-8", "UTF-16BE", "\x04\x3f\xd8\x3d\xdd\x11", 6, 5);
	return 0;
}
