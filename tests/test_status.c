/* Statuses and passwords (issue 15): the one order of statuses (diag/
 * findings.c), a wrong password making a sound container locked and
 * never damaged, password files read as text (container/pwtext.c: BOM,
 * CP1251), and password lists tried in order on a real sample. */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "../diag/internal.h"
#include "helpers.h"

Test(status, order_is_one_table)
{
	static const char *const order[] = {
		"ok", "warning", "locked", "incomplete", "damaged"
	};

	for (int i = 0; i < 5; i++)
		cr_assert_eq(cpk_status_rank(order[i]), i, "%s", order[i]);
	cr_assert_eq(cpk_status_rank("nonsense"), 5);
	cr_assert_eq(cpk_status_rank(NULL), 5);
	cr_assert_str_eq(cpk_status_worse("ok", "locked"), "locked");
	cr_assert_str_eq(cpk_status_worse("locked", "warning"), "locked");
	cr_assert_str_eq(cpk_status_worse("incomplete", "locked"),
	    "incomplete");
	cr_assert_str_eq(cpk_status_worse("damaged", "incomplete"), "damaged");
	cr_assert_str_eq(cpk_status_worse("warning", "warning"), "warning");
}

/* ids, NULL-terminated, and the status they make */
struct row {
	const char	*ids[4];
	const char	*want;
};

/* rows by index: the parameters cross into another process, and the
 * pointers in a row would not */
static const struct row rows[] = {
	{ { NULL }, "ok" },
	{ { "key-ok", NULL }, "ok" },
	{ { "cert-expired", NULL }, "warning" },
	{ { "password-wrong", NULL }, "locked" },
	{ { "cert-expired", "password-wrong", NULL }, "locked" },
	{ { "password-wrong", "masks-mac", NULL }, "damaged" },
	{ { "header-mac", "password-wrong", NULL }, "damaged" },
	{ { "password-wrong", "file-missing", NULL }, "incomplete" },
	{ { "copy-incomplete", "password-wrong", NULL }, "locked" },
	{ { "copy-unlock-failed", NULL }, "damaged" },
};
#define NROWS	(sizeof(rows) / sizeof(rows[0]))

ParameterizedTestParameters(status, from_findings)
{
	static int idx[NROWS];

	for (size_t i = 0; i < NROWS; i++)
		idx[i] = (int)i;
	return cr_make_param_array(int, idx, NROWS);
}

ParameterizedTest(int *i, status, from_findings)
{
	const struct row *r = &rows[*i];
	cpk_findings l = { NULL, 0, 0, 0 };

	for (int k = 0; r->ids[k] != NULL; k++)
		cr_assert_not_null(cpk_finding_add(&l, r->ids[k], "x"));
	cr_assert_str_eq(cpk_status(&l), r->want);
	cpk_findings_clear(&l);
}

Test(status, wrong_password_is_a_warning_in_plain_words)
{
	cpk_findings l = { NULL, 0, 0, 0 };
	cpk_container *c = load_container("samples/flash/locked.000");

	cr_assert_eq(cpk_check_password(c, "12345678", &l), CPK_OK);
	cr_assert_eq(l.n, 1);
	cr_assert_str_eq(l.v[0].id, "password-wrong");
	cr_assert_eq(l.v[0].sev, CPK_SEV_WARN);
	cr_assert_str_eq(l.v[0].message,
	    "the password does not unlock this container");
	cr_assert_not_null(strstr(l.v[0].evidence, "hmacPassword [2]"));
	cr_assert_str_eq(cpk_status(&l), "locked");
	cpk_findings_clear(&l);
	cpk_container_free(&c);
}

/* ---- password files as text ---- */
struct text_row {
	const char	*in;
	size_t		 len;
	cpk_err		 r;
	const char	*out;
	enum cpk_pwtext	 how;
};

static const struct text_row texts[] = {
	{ "12345678", 8, CPK_OK, "12345678", CPK_PWT_UTF8 },
	{ "", 0, CPK_OK, "", CPK_PWT_UTF8 },
	{ "\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c", 12,
	  CPK_OK, "пароль", CPK_PWT_UTF8 },
		/* Notepad's BOM is not part of the password */
	{ "\xef\xbb\xbf\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c",
	  15, CPK_OK, "пароль", CPK_PWT_UTF8_BOM },
	{ "\xef\xbb\xbf", 3, CPK_OK, "", CPK_PWT_UTF8_BOM },
		/* "пароль" saved in CP1251 */
	{ "\xef\xe0\xf0\xee\xeb\xfc", 6, CPK_OK, "пароль",
	  CPK_PWT_CP1251 },
	{ "ab\xc0\xc1", 4, CPK_OK, "abАБ", CPK_PWT_CP1251 },
		/* UTF-16LE: NUL bytes, not text */
	{ "1\0002\000", 4, CPK_E_FORMAT, "", CPK_PWT_UTF8 },
		/* a BOM before bytes that are not UTF-8: not trusted */
	{ "\xef\xbb\xbf\xef\xe0", 5, CPK_E_FORMAT, "",
	  CPK_PWT_UTF8_BOM },
		/* 0x98 is the one byte CP1251 leaves undefined */
	{ "\x98\xef", 2, CPK_E_RANGE, "", CPK_PWT_UTF8 },
};
#define NTEXTS	(sizeof(texts) / sizeof(texts[0]))

ParameterizedTestParameters(pwtext, decode)
{
	static int idx[NTEXTS];

	for (size_t i = 0; i < NTEXTS; i++)
		idx[i] = (int)i;
	return cr_make_param_array(int, idx, NTEXTS);
}

ParameterizedTest(int *i, pwtext, decode)
{
	const struct text_row *t = &texts[*i];
	char out[64];
	enum cpk_pwtext how;

	memset(out, 'x', sizeof(out));
	cr_assert_eq(cpk_pw_text((const unsigned char *)t->in, t->len, out,
	    sizeof(out), &how), t->r);
	cr_assert_str_eq(out, t->out);
	if (t->r == CPK_OK)
		cr_assert_eq(how, t->how);
}

Test(pwtext, too_long_for_the_buffer)
{
	char out[4];
	enum cpk_pwtext how;

	cr_assert_eq(cpk_pw_text((const unsigned char *)"abcd", 4, out,
	    sizeof(out), &how), CPK_E_TOO_BIG);
	/* CP1251 doubles in UTF-8: three letters need seven bytes */
	cr_assert_eq(cpk_pw_text((const unsigned char *)"\xef\xe0\xf0", 3,
	    out, sizeof(out), &how), CPK_E_TOO_BIG);
	cr_assert_str_eq(cpk_pwtext_name(CPK_PWT_CP1251), "cp1251");
	cr_assert_str_eq(cpk_pwtext_name(CPK_PWT_UTF8_BOM), "utf-8 (BOM)");
}

/* ---- password lists on locked.000 (password 87654321) ---- */
Test(pwlist, first_that_opens_wins)
{
	cpk_container *c = load_container("samples/flash/locked.000");
	cpk_pw_try v[4] = {
	{ "12345678", 1, 1, CPK_PWT_UTF8 },
	{ "", 2, 1, CPK_PWT_UTF8 },
	{ "87654321", 5, 1, CPK_PWT_UTF8 },
	{ "87654321", 6, 1, CPK_PWT_UTF8 },
	};
	cpk_findings l = { NULL, 0, 0, 0 };
	size_t used = 99;
	int none = 1;

	cr_assert_eq(cpk_password_pick(c, v, 4, &none), 2);
	cr_assert_eq(none, 0);
	cr_assert_eq(cpk_check_passwords(c, v, 4, &used, &l), CPK_OK);
	cr_assert_eq(used, 2);
	cr_assert_eq(l.n, 2);
	cr_assert_str_eq(l.v[0].id, "password-list");
	cr_assert_str_eq(l.v[0].message, "line 5 of the password list unlocks "
	    "this container (3 passwords tried)");
	cr_assert_str_eq(l.v[0].evidence, "password_line 5");
	cr_assert_str_eq(l.v[1].id, "key-ok");
	cr_assert_str_eq(cpk_status(&l), "ok");
	for (size_t i = 0; i < l.n; i++)	/* never the password */
		cr_assert_null(strstr(l.v[i].message, "87654321"));
	cpk_findings_clear(&l);
	cpk_container_free(&c);
}

Test(pwlist, none_opens_locked)
{
	cpk_container *c = load_container("samples/flash/locked.000");
	cpk_pw_try v[2] = {
	{ "12345678", 1, 1, CPK_PWT_UTF8 },
	{ "1", 3, 1, CPK_PWT_UTF8 },
	};
	cpk_findings l = { NULL, 0, 0, 0 };
	size_t used = 0;
	int none = 1;

	cr_assert_eq(cpk_password_pick(c, v, 2, &none), 2);
	cr_assert_eq(cpk_check_passwords(c, v, 2, &used, &l), CPK_OK);
	cr_assert_eq(used, 2);
	cr_assert_eq(l.n, 1);
	cr_assert_str_eq(l.v[0].id, "password-wrong");
	cr_assert_str_eq(l.v[0].message, "no password of the list unlocks "
	    "this container (2 passwords tried)");
	cr_assert_str_eq(cpk_status(&l), "locked");
	cpk_findings_clear(&l);
	cpk_container_free(&c);
}

/* a CP1251 file: the finding says how it was read and which form of the
 * password entered the KDF */
Test(pwlist, cp1251_file_reported)
{
	cpk_container *c = load_container("samples/flash/5f3a9c1d.000");
	cpk_pw_try v[1] = { { "пароль", 0, 1, CPK_PWT_CP1251 } };
	cpk_findings l = { NULL, 0, 0, 0 };
	size_t used = 9;

	cr_assert_eq(cpk_check_passwords(c, v, 1, &used, &l), CPK_OK);
	cr_assert_eq(used, 0);
	cr_assert_str_eq(l.v[0].id, "password-encoding");
	cr_assert_str_eq(l.v[0].message, "the password file was read as "
	    "cp1251; the password entered the key derivation as utf-32le");
	cr_assert(cpk_findings_has(&l, "key-ok"));
	cpk_findings_clear(&l);
	cpk_container_free(&c);
}
