/* The display sanitizer (container/display.c) on any bytes. Aborts when:
 * the display form holds a byte that is not UTF-8 or a character the
 * sanitizer must escape (C0, DEL, C1, bidi); it does not read back to the
 * input by the documented rule; a cut form is longer than its cap or not
 * clean; the JSON form holds a raw control or, for UTF-8 input, does not
 * decode back to the input; the CSV field does not unquote to the input;
 * the spreadsheet cell is not clean or lacks the formula guard. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"

#define MAX_IN	4096

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : -1;
}

static uint32_t
hexn(const char *p, int n)
{
	uint32_t v = 0;

	for (int i = 0; i < n; i++) {
		if (hexval(p[i]) < 0)
			abort();
		v = v << 4 | (uint32_t)hexval(p[i]);
	}
	return v;
}

/* Valid UTF-8 and no character the display form must escape. */
static void
assert_clean(const char *s, size_t len)
{
	uint32_t c;
	size_t n;

	for (size_t i = 0; i < len; i += n) {
		if ((n = cpk_utf8_decode((const unsigned char *)s + i,
		    len - i, &c)) == 0 || cpk_display_is_control(c))
			abort();
	}
}

static size_t
put_utf8(unsigned char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (unsigned char)(0xc0 | c >> 6);
		o[1] = (unsigned char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (unsigned char)(0xe0 | c >> 12);
		o[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (c & 0x3f));
		return 3;
	}
	abort();
}

/* The reading rule of display.c: a run of k backslashes before x or u is
 * k/2 backslashes (k even) or (k-1)/2 and an escape (k odd); any other
 * run is itself. */
static size_t
read_display(const char *s, size_t len, unsigned char *o)
{
	size_t i = 0, n = 0, k;

	while (i < len) {
		if (s[i] != '\\') {
			o[n++] = (unsigned char)s[i++];
			continue;
		}
		for (k = 0; i + k < len && s[i + k] == '\\'; k++)
			;
		if (i + k == len || (s[i + k] != 'x' && s[i + k] != 'u')) {
			memset(o + n, '\\', k);
			n += k;
			i += k;
			continue;
		}
		memset(o + n, '\\', k / 2);
		n += k / 2;
		i += k;
		if (k % 2 == 0)
			continue;
		if (s[i] == 'x') {
			if (i + 3 > len)
				abort();
			o[n++] = (unsigned char)hexn(s + i + 1, 2);
			i += 3;
		} else {
			if (i + 5 > len)
				abort();
			n += put_utf8(o + n, hexn(s + i + 1, 4));
			i += 5;
		}
	}
	return n;
}

/* JSON string content back to bytes (RFC 8259 escapes cpkit emits). */
static size_t
read_json(const char *s, size_t len, unsigned char *o)
{
	size_t i = 0, n = 0;

	while (i < len) {
		if (s[i] != '\\') {
			if (s[i] == '"')
				abort();	/* a raw quote ends the string */
			o[n++] = (unsigned char)s[i++];
		} else if (i + 1 < len && (s[i + 1] == '"' ||
		    s[i + 1] == '\\')) {
			o[n++] = (unsigned char)s[i + 1];
			i += 2;
		} else if (i + 6 <= len && s[i + 1] == 'u') {
			n += put_utf8(o + n, hexn(s + i + 2, 4));
			i += 6;
		} else
			abort();
	}
	return n;
}

static int
all_utf8(const uint8_t *d, size_t len)
{
	uint32_t c;
	size_t n;

	for (size_t i = 0; i < len; i += n)
		if ((n = cpk_utf8_decode(d + i, len - i, &c)) == 0)
			return 0;
	return 1;
}

static void
check_json(const char *in, size_t len, char *out, unsigned char *back)
{
	size_t pos = 0, used, n;

	for (size_t i = 0; i < len; i += used) {
		n = cpk_display_json_unit(in + i, len - i, out + pos, &used);
		if (used == 0 || n > CPK_DISPLAY_UNIT)
			abort();
		pos += n;
	}
	assert_clean(out, pos);
	if (all_utf8((const uint8_t *)in, len) &&
	    (read_json(out, pos, back) != len || memcmp(back, in, len) != 0))
		abort();
}

static void
check_csv(const char *s, size_t len, char *out, size_t cap)
{
	size_t need, k = 0, i;

	/* machine CSV: exact bytes inside the quotes */
	need = cpk_display_csv_field(s, out, cap);
	if (need >= cap || strlen(out) != need || out[0] != '"' ||
	    out[need - 1] != '"')
		abort();
	for (i = 1; i + 1 < need; i++, k++) {
		if (out[i] == '"' && out[++i] != '"')
			abort();
		if (k >= len || out[i] != s[k])
			abort();
	}
	if (k != len)
		abort();
	/* spreadsheet cell: clean, guarded */
	need = cpk_display_csv_cell(s, out, cap);
	if (need >= cap || strlen(out) != need)
		abort();
	assert_clean(out, need);
	if (len > 0 && strchr("=+-@\t\r", s[0]) != NULL && out[1] != '\'')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = NULL, *out = NULL;
	unsigned char *back = NULL;
	size_t len = size > MAX_IN ? MAX_IN : size, need, got, cap;

	if ((in = malloc(len + 1)) == NULL ||
	    (out = malloc(8 * len + 16)) == NULL ||
	    (back = malloc(4 * len + 16)) == NULL)
		goto out;
	memcpy(in, data, len);
	in[len] = '\0';

	/* the whole display form: clean, and it reads back to the input */
	need = cpk_display_text(in, len, out, 8 * len + 16);
	if (need > 4 * len || strlen(out) != need)
		abort();
	assert_clean(out, need);
	if ((got = read_display(out, need, back)) != len ||
	    memcmp(back, in, len) != 0)
		abort();

	/* cut to a cap from the first byte: bounded, clean, "..." */
	cap = len > 0 ? (size_t)data[0] % 64 : 0;
	if (cpk_display_text(in, len, out, cap) != need)
		abort();
	if (cap > 0) {
		got = strlen(out);
		if (got >= cap)
			abort();
		assert_clean(out, got);
		if (need >= cap && cap >= 4 && (got < 3 ||
		    memcmp(out + got - 3, "...", 3) != 0))
			abort();
	}

	check_json(in, len, out, back);
	/* CSV works on C strings: the input up to its first NUL */
	check_csv(in, strlen(in), out, 8 * len + 16);
out:
	free(in);
	free(out);
	free(back);
	return 0;
}
