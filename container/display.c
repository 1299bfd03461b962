/* The one display sanitizer (issue 14): names from media (folder names,
 * name.key, .reg and hive key names, FAT long and 8.3 names, certificate
 * subjects, token labels) are bytes a stranger chose. Shown to a person
 * they pass through here, so that no terminal escape, C1 control or bidi
 * override reaches a terminal, report.txt or report.html. Machine outputs
 * keep exact values: the JSON form escapes per RFC 8259, the CSV field
 * quotes per RFC 4180, the spreadsheet cell adds the formula guard.
 *
 * Display form, one unit per character of the input:
 *   valid printable UTF-8            itself
 *   C0 (TAB, LF, CR too), DEL        \xNN   (\x1b, \x0a, \x7f)
 *   C1 U+0080..U+009F, bidi and      \uNNNN (\u009b, \u202e, \u2066)
 *   marks U+061C U+200E U+200F
 *   U+202A..U+202E U+2066..U+2069,
 *   separators U+2028 U+2029
 *   a byte that starts no valid      \xNN   (\xff, \xc0): strict UTF-8,
 *   UTF-8 sequence                   no overlongs, surrogates, > U+10FFFF
 *   a backslash                      itself, but a run of backslashes
 *                                    followed by x, u or an escape is
 *                                    doubled, so \\.\FLASH\ and registry
 *                                    paths stay as they are
 * Reading it back is unambiguous: a run of k backslashes followed by x or
 * u stands for k/2 backslashes when k is even, for (k-1)/2 backslashes and
 * an escape (\xNN one byte, \uNNNN one character) when k is odd; any
 * other run stands for itself. */
#include <string.h>

#include "internal.h"

static const char hexd[] = "0123456789abcdef";

size_t
cpk_utf8_decode(const unsigned char *p, size_t left, uint32_t *cp)
{
	uint32_t c;
	size_t n, i;

	*cp = 0;
	if (left == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1fu;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0fu;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07u;
	} else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3fu);
	}
	/* overlong forms, UTF-16 surrogates and beyond U+10FFFF are not
	 * UTF-8 (RFC 3629 §3) */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

int
cpk_display_is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c ||
	    c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069);
}

static size_t
put_x(char *out, unsigned b)
{
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hexd[b >> 4 & 0xf];
	out[3] = hexd[b & 0xf];
	return 4;
}

static size_t
put_u(char *out, uint32_t c)
{
	out[0] = '\\';
	out[1] = 'u';
	for (int i = 0; i < 4; i++)
		out[2 + i] = hexd[c >> (12 - 4 * i) & 0xf];
	return 6;
}

/* 1 when the run of backslashes at p is followed by x, u or a unit shown
 * as an escape: then every backslash of the run is doubled. */
static int
run_needs_doubling(const unsigned char *p, size_t left)
{
	uint32_t c;

	while (left > 0 && p[0] == '\\') {
		p++;
		left--;
	}
	if (left == 0)
		return 0;
	if (p[0] == 'x' || p[0] == 'u')
		return 1;
	return cpk_utf8_decode(p, left, &c) == 0 || cpk_display_is_control(c);
}

size_t
cpk_display_unit(const char *s, size_t left, char *out, size_t *used)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;
	size_t n;

	*used = 0;
	if (left == 0)
		return 0;
	if ((n = cpk_utf8_decode(p, left, &c)) == 0) {
		*used = 1;
		return put_x(out, p[0]);
	}
	*used = n;
	if (c == '\\') {
		out[0] = '\\';
		if (!run_needs_doubling(p, left))
			return 1;
		out[1] = '\\';
		return 2;
	}
	if (cpk_display_is_control(c))
		return c < 0x80 ? put_x(out, c) : put_u(out, c);
	memcpy(out, p, n);
	return n;
}

size_t
cpk_display_text(const char *s, size_t len, char *out, size_t cap)
{
	char u[CPK_DISPLAY_UNIT];
	const char *p = s;
	size_t need = 0, pos = 0, left, used, n;

	if (s == NULL)
		len = 0;
	for (left = len; left > 0; p += used, left -= used)
		need += cpk_display_unit(p, left, u, &used);
	if (cap == 0)
		return need;
	/* when it does not fit: whole units only, then "..." */
	for (p = s, left = len; left > 0; p += used, left -= used) {
		n = cpk_display_unit(p, left, u, &used);
		if (need >= cap && (cap < 4 || n > cap - 4 - pos)) {
			if (cap >= 4) {
				memcpy(out + pos, "...", 3);
				pos += 3;
			}
			break;
		}
		memcpy(out + pos, u, n);
		pos += n;
	}
	out[pos] = '\0';
	return need;
}

const char *
cpk_display(cpk_display_ring *r, const char *s)
{
	char *slot;

	if (s == NULL)
		s = "";
	slot = r->slot[r->next++ % CPK_DISPLAY_SLOTS];
	(void)cpk_display_text(s, strlen(s), slot, CPK_DISPLAY_CAP);
	return slot;
}

size_t
cpk_display_json_unit(const char *s, size_t left, char *out, size_t *used)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;
	size_t n;

	*used = 0;
	if (left == 0)
		return 0;
	if ((n = cpk_utf8_decode(p, left, &c)) == 0) {
		/* not UTF-8: the replacement character keeps the JSON
		 * valid; the byte is lost (documented in man/cpkit-list.1) */
		*used = 1;
		return put_u(out, 0xfffd);
	}
	*used = n;
	if (c == '"' || c == '\\') {
		out[0] = '\\';
		out[1] = (char)c;
		return 2;
	}
	if (cpk_display_is_control(c))
		return put_u(out, c);
	memcpy(out, p, n);
	return n;
}

/* One unit of a CSV cell: the display form for a spreadsheet, the
 * exact byte for the plain machine CSV. */
static size_t
csv_unit(const char *p, size_t left, int shown, char *u, size_t *used)
{
	if (shown)
		return cpk_display_unit(p, left, u, used);
	u[0] = p[0];
	*used = 1;
	return 1;
}

/* A quoted CSV field (RFC 4180 §2: quotes around, a quote doubled). */
static size_t
csv_quote(const char *s, int sheet, char *out, size_t cap)
{
	char u[CPK_DISPLAY_UNIT];
	size_t len = s == NULL ? 0 : strlen(s), need = 2, used, n, pos = 0;
	int guard;

	/* the formula guard looks at the raw first byte, so a cell that
	 * starts with TAB or CR is marked although it shows as \x09 */
	guard = sheet && len > 0 && (s[0] == '=' || s[0] == '+' ||
	    s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
	need += (size_t)guard;
	for (size_t i = 0; i < len; i += used) {
		n = csv_unit(s + i, len - i, sheet, u, &used);
		for (size_t k = 0; k < n; k++)
			need += u[k] == '"' ? 2 : 1;
	}
	if (cap < need + 1) {
		if (cap > 0)
			out[0] = '\0';
		return need;
	}
	out[pos++] = '"';
	if (guard)
		out[pos++] = '\'';
	for (size_t i = 0; i < len; i += used) {
		n = csv_unit(s + i, len - i, sheet, u, &used);
		for (size_t k = 0; k < n; k++) {
			if (u[k] == '"')
				out[pos++] = '"';
			out[pos++] = u[k];
		}
	}
	out[pos++] = '"';
	out[pos] = '\0';
	return need;
}

size_t
cpk_display_csv_field(const char *s, char *out, size_t cap)
{
	return csv_quote(s, 0, out, cap);
}

size_t
cpk_display_csv_cell(const char *s, char *out, size_t cap)
{
	return csv_quote(s, 1, out, cap);
}
