/* The display sanitizer (container/display.c): exact display, JSON and
 * CSV forms for each class of character a name from media can hold. */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "container.h"

struct row {
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	const char	*shown;
};

#define R(in, shown)	{ in, sizeof(in) - 1, shown }

/* Rows are indexed: Criterion runs each test in a new process, where a
 * pointer from the parameter array would not be valid. */
static const struct row rows[] = {
	R("good2012.000", "good2012.000"),
	R("Иванов И.И. 2024", "Иванов И.И. 2024"),
	/* C0, TAB/LF/CR included, and DEL */
	R("\x1b]2;PWNED\a\x1b[2JX.000",
	    "\\x1b]2;PWNED\\x07\\x1b[2JX.000"),
	R("a\tb\nc\rd", "a\\x09b\\x0ac\\x0dd"),
	R("nul\0end", "nul\\x00end"),
	R("del\x7f", "del\\x7f"),
	/* C1: U+0080, U+009B (CSI), U+009F */
	R("\xc2\x80\xc2\x9b[2J\xc2\x9f", "\\u0080\\u009b[2J\\u009f"),
	R("\xc2\xa0nbsp", "\xc2\xa0nbsp"),	/* U+00A0 is text */
	/* bidi embeddings/overrides, isolates, marks, separators */
	R("exe\xe2\x80\xaetxt.000", "exe\\u202etxt.000"),
	R("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
	    "\\u202a\\u202b\\u202c\\u202d"),
	R("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
	    "\\u2066\\u2067\\u2068\\u2069"),
	R("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\\u200e\\u200f\\u061c"),
	R("\xe2\x80\xa8\xe2\x80\xa9", "\\u2028\\u2029"),
	R("\xe2\x80\xa7\xe2\x80\xaf", "\xe2\x80\xa7\xe2\x80\xaf"),
	/* not UTF-8: stray continuation, bad lead, overlong,
	 * surrogate, beyond U+10FFFF, cut sequence */
	R("\x80x", "\\x80x"),
	R("\xff\xfe", "\\xff\\xfe"),
	R("\xc0\xaf", "\\xc0\\xaf"),
	R("\xe0\x80\xaf", "\\xe0\\x80\\xaf"),
	R("\xed\xa0\x80", "\\xed\\xa0\\x80"),
	R("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"),
	R("ab\xe2\x80", "ab\\xe2\\x80"),
	R("\xf0\x9f\x94\x91", "\xf0\x9f\x94\x91"),	/* U+1F511 */
	/* backslashes: runs stay unless x, u or an escape follows */
	R("\\\\.\\FLASH\\name", "\\\\.\\FLASH\\name"),
	R("HKLM\\SOFTWARE\\Keys\\a", "HKLM\\SOFTWARE\\Keys\\a"),
	R("Keys\\xyz", "Keys\\\\xyz"),
	R("a\\u202e", "a\\\\u202e"),
	R("\\\x1b", "\\\\\\x1b"),
	R("\\\\x1b", "\\\\\\\\x1b"),
	R("end\\", "end\\"),
};
#define NROWS	(sizeof(rows) / sizeof(rows[0]))

ParameterizedTestParameters(display, classes)
{
	static int idx[NROWS];

	for (size_t i = 0; i < NROWS; i++)
		idx[i] = (int)i;
	return cr_make_param_array(int, idx, NROWS);
}

ParameterizedTest(int *i, display, classes)
{
	const struct row *r = &rows[*i];
	char out[256];
	size_t need;

	need = cpk_display_text(r->in, r->len, out, sizeof(out));
	cr_assert_str_eq(out, r->shown, "input of %zu bytes", r->len);
	cr_assert_eq(need, strlen(r->shown));
}

Test(display, cut_whole_units)
{
	const char *in = "abc\x1b" "def";
	char out[16];

	/* "abc\x1bdef" needs 10 bytes: a cap of 9 keeps whole units */
	cr_assert_eq(cpk_display_text(in, strlen(in), out, 9), 10);
	cr_assert_str_eq(out, "abc...");
	cr_assert_eq(cpk_display_text(in, strlen(in), out, 11), 10);
	cr_assert_str_eq(out, "abc\\x1bdef");
	cr_assert_eq(cpk_display_text(in, strlen(in), out, 3), 10);
	cr_assert_str_eq(out, "");
	cr_assert_eq(cpk_display_text(in, strlen(in), NULL, 0), 10);
	/* never half a character */
	cr_assert_eq(cpk_display_text("ЖЖЖЖ", 8, out, 7), 8);
	cr_assert_str_eq(out, "Ж...");
}

Test(display, ring)
{
	static cpk_display_ring ring;
	const char *a, *b;

	a = cpk_display(&ring, "\xc2\x9b" "1");
	b = cpk_display(&ring, NULL);
	cr_assert_str_eq(a, "\\u009b1");
	cr_assert_str_eq(b, "");
	for (int i = 0; i < CPK_DISPLAY_SLOTS - 2; i++)
		(void)cpk_display(&ring, "x");
	cr_assert_str_eq(a, "\\u009b1", "a slot lasts SLOTS calls");
}

static const char *
json(const char *in, size_t len)
{
	static char out[512];
	size_t pos = 0, used;

	for (size_t i = 0; i < len; i += used)
		pos += cpk_display_json_unit(in + i, len - i, out + pos, &used);
	out[pos] = '\0';
	return out;
}

Test(display, json_escapes)
{
	cr_assert_str_eq(json("q\"b\\", 4), "q\\\"b\\\\");
	cr_assert_str_eq(json("\x1b[2J\n\t\x7f", 7),
	    "\\u001b[2J\\u000a\\u0009\\u007f");
	cr_assert_str_eq(json("\0", 1), "\\u0000");
	cr_assert_str_eq(json("\xc2\x9b\xe2\x80\xae\xe2\x81\xa9", 8),
	    "\\u009b\\u202e\\u2069");
	cr_assert_str_eq(json("\xe2\x80\xa8", 3), "\\u2028");
	cr_assert_str_eq(json("Иванов/x", 14), "Иванов/x");
	/* not UTF-8: U+FFFD per bad byte, the JSON stays valid */
	cr_assert_str_eq(json("a\xff\xc0\xaf", 4), "a\\ufffd\\ufffd\\ufffd");
}

Test(display, csv_field_exact)
{
	char out[64];

	cr_assert_eq(cpk_display_csv_field("plain", out, sizeof(out)), 7);
	cr_assert_str_eq(out, "\"plain\"");
	cpk_display_csv_field("a,b", out, sizeof(out));
	cr_assert_str_eq(out, "\"a,b\"");
	cpk_display_csv_field("say \"hi\"", out, sizeof(out));
	cr_assert_str_eq(out, "\"say \"\"hi\"\"\"");
	cpk_display_csv_field("l1\r\nl2", out, sizeof(out));
	cr_assert_str_eq(out, "\"l1\r\nl2\"");
	/* machine CSV keeps exact bytes, ESC too */
	cpk_display_csv_field("\x1b[2J", out, sizeof(out));
	cr_assert_str_eq(out, "\"\x1b[2J\"");
	cpk_display_csv_field(NULL, out, sizeof(out));
	cr_assert_str_eq(out, "\"\"");
	/* too small: nothing cut from a machine value */
	cr_assert_eq(cpk_display_csv_field("abcdef", out, 8), 8);
	cr_assert_str_eq(out, "");
}

struct cell {
	const char	*in;
	const char	*cell;
};

static const struct cell cells[] = {
	{ "=1+2", "\"'=1+2\"" },
	{ "+7 900", "\"'+7 900\"" },
	{ "-2+3", "\"'-2+3\"" },
	{ "@SUM(A1)", "\"'@SUM(A1)\"" },
	{ "\tx", "\"'\\x09x\"" },
	{ "\rx", "\"'\\x0dx\"" },
	{ "=HYPERLINK(\"http://e\")",
	    "\"'=HYPERLINK(\"\"http://e\"\")\"" },
	{ "a=b", "\"a=b\"" },
	{ "Иванов", "\"Иванов\"" },
	{ "x\x1b]2;t\ay", "\"x\\x1b]2;t\\x07y\"" },
	{ "\xe2\x80\xaegpj.exe", "\"\\u202egpj.exe\"" },
	{ "a,b\nc", "\"a,b\\x0ac\"" },
	{ "", "\"\"" },
};
#define NCELLS	(sizeof(cells) / sizeof(cells[0]))

ParameterizedTestParameters(display, csv_cell)
{
	static int idx[NCELLS];

	for (size_t i = 0; i < NCELLS; i++)
		idx[i] = (int)i;
	return cr_make_param_array(int, idx, NCELLS);
}

ParameterizedTest(int *i, display, csv_cell)
{
	const struct cell *c = &cells[*i];
	char out[128];

	cr_assert_eq(cpk_display_csv_cell(c->in, out, sizeof(out)),
	    strlen(c->cell));
	cr_assert_str_eq(out, c->cell);
}

Test(display, utf8_decode)
{
	uint32_t c;

	cr_assert_eq(cpk_utf8_decode((const unsigned char *)"\xd0\x96", 2,
	    &c), 2);
	cr_assert_eq(c, 0x416);
	cr_assert_eq(cpk_utf8_decode((const unsigned char *)"\xd0\x96", 1,
	    &c), 0, "cut sequence");
	cr_assert_eq(cpk_utf8_decode((const unsigned char *)"\xf4\x8f\xbf"
	    "\xbf", 4, &c), 4);
	cr_assert_eq(c, 0x10ffff);
	cr_assert_eq(cpk_utf8_decode((const unsigned char *)"", 0, &c), 0);
}
