/* PIN quality policy (PIN-POLICY.md): parameters, scoring, rules, verdict.
 * Every expected number is worked out by hand in the comment beside it:
 * L = min(100, 10 * chars), C = 100 * (classes - 1) / 3 (0 for runs and
 * common PINs), score = (w * L + (100 - w) * C) / 100, w = 73 by default. */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "pinq.h"

/* A policy from the vendor defaults and NAME=VALUE arguments. */
static cpk_pin_policy
policy(const char *const *args)
{
	cpk_pin_policy p;

	cpk_pin_policy_default(&p);
	for (size_t i = 0; args != NULL && args[i] != NULL; i++)
		cr_assert_eq(cpk_pin_policy_set(&p, args[i], NULL), CPK_OK,
		    "%s", args[i]);
	cr_assert_eq(cpk_pin_policy_check(&p), CPK_OK);
	return p;
}

static cpk_pinq_result
rate(const cpk_pin_policy *p, const char *pin, const char *current,
    const char *const *factory)
{
	cpk_pinq_result res;
	cpk_err r;

	r = cpk_pin_quality(p, pin, strlen(pin), current, factory, &res);
	cr_assert_eq(r, CPK_OK, "%s: %s", pin, cpk_err_name(r));
	return res;
}

static void
expect(const char *what, const cpk_pinq_result *got,
    const cpk_pinq_result *want)
{
	cr_assert_eq(got->level, want->level, "%s: level %s", what,
	    cpk_pinq_level_name(got->level));
	cr_assert_eq(got->score, want->score, "%s: score %u", what,
	    got->score);
	cr_assert_eq(got->length_score, want->length_score, "%s: L %u", what,
	    got->length_score);
	cr_assert_eq(got->class_score, want->class_score, "%s: C %u", what,
	    got->class_score);
	cr_assert_eq(got->classes, want->classes, "%s: classes %u", what,
	    got->classes);
	cr_assert_eq(got->chars, want->chars, "%s: chars %u", what,
	    got->chars);
	cr_assert_eq(got->sequence, want->sequence, "%s: sequence", what);
	cr_assert_eq(got->common, want->common, "%s: common", what);
	cr_assert_eq(got->broken, want->broken, "%s: broken %#x", what,
	    got->broken);
	cr_assert_eq(got->action, want->action, "%s: action %s", what,
	    cpk_pinq_action_name(got->action));
}

/* ---- scoring with the vendor defaults ---- */

Test(pinq_score, factory_sequence_is_medium)
{
	cpk_pin_policy p = policy(NULL);
	cpk_pinq_result r = rate(&p, "12345678", NULL, NULL);
	/* L = 80, one class and a run: C = 0; 73 * 80 / 100 = 58.4 */
	cpk_pinq_result want = { .level = CPK_PINQ_MEDIUM, .score = 58,
	    .length_score = 80, .class_score = 0, .classes = 1, .chars = 8,
	    .sequence = 1, .action = CPK_PINQ_ALLOW };

	expect("12345678", &r, &want);
}

Test(pinq_score, four_classes_is_strong)
{
	cpk_pin_policy p = policy(NULL);
	cpk_pinq_result r = rate(&p, "Abc!1234xyZ", NULL, NULL);
	/* 11 chars: L = 100; digits, a-z, A-Z, "!": C = 100; score 100 */
	cpk_pinq_result want = { .level = CPK_PINQ_STRONG, .score = 100,
	    .length_score = 100, .class_score = 100, .classes = 4,
	    .chars = 11, .action = CPK_PINQ_ALLOW };

	expect("Abc!1234xyZ", &r, &want);
}

Test(pinq_score, cyrillic_counts_characters)
{
	cpk_pin_policy p = policy(NULL);
	cpk_pinq_result r = rate(&p, "пароль12", NULL, NULL);
	/* 14 bytes, 8 chars: L = 80; digits + other: C = 33;
	 * (73 * 80 + 27 * 33) / 100 = (5840 + 891) / 100 = 67 */
	cpk_pinq_result want = { .level = CPK_PINQ_MEDIUM, .score = 67,
	    .length_score = 80, .class_score = 33, .classes = 2, .chars = 8,
	    .action = CPK_PINQ_ALLOW };

	cr_assert_eq(strlen("пароль12"), 14);
	expect("пароль12", &r, &want);
}

Test(pinq_score, keyboard_column_zeroes_classes)
{
	cpk_pin_policy p = policy(NULL);
	cpk_pinq_result r = rate(&p, "1qaz2wsx", NULL, NULL);
	/* digits + a-z would give C = 33 (score 67); a walk gives 0: 58 */
	cpk_pinq_result want = { .level = CPK_PINQ_MEDIUM, .score = 58,
	    .length_score = 80, .class_score = 0, .classes = 2, .chars = 8,
	    .sequence = 1, .action = CPK_PINQ_ALLOW };

	expect("1qaz2wsx", &r, &want);
}

Test(pinq_score, common_word_zeroes_classes)
{
	cpk_pin_policy p = policy(NULL);
	cpk_pinq_result r = rate(&p, "P@ssw0rd", NULL, NULL);
	/* A-Z, a-z, "@", digits: C would be 100 (score 85); common: 0;
	 * 73 * 80 / 100 = 58 */
	cpk_pinq_result want = { .level = CPK_PINQ_MEDIUM, .score = 58,
	    .length_score = 80, .class_score = 0, .classes = 4, .chars = 8,
	    .common = 1, .action = CPK_PINQ_ALLOW };

	expect("P@ssw0rd", &r, &want);
	r = rate(&p, "ПАРОЛЬ", NULL, NULL);	/* folded: "пароль" */
	cr_assert_eq(r.common, 1);
	cr_assert_eq(r.classes, 1);
	cr_assert_eq(r.score, 43);		/* 73 * 60 / 100 = 43.8 */
}

Test(pinq_score, length_weight)
{
	static const char *const w0[] = { "PPPINLENGTHWEIGHT=0", NULL };
	static const char *const w100[] = { "PPPINLENGTHWEIGHT=100", NULL };
	cpk_pin_policy p0 = policy(w0), p100 = policy(w100);
	cpk_pin_policy p73 = policy(NULL);

	/* "xk7mq2": L = 60, C = 33 */
	cr_assert_eq(rate(&p0, "xk7mq2", NULL, NULL).score, 33);
	cr_assert_eq(rate(&p100, "xk7mq2", NULL, NULL).score, 60);
	/* w = 73: (4380 + 891) / 100 = 52.71 */
	cr_assert_eq(rate(&p73, "xk7mq2", NULL, NULL).score, 52);
}

Test(pinq_score, long_pin_caps_length)
{
	cpk_pin_policy p = policy(NULL);
	char pin[65];
	cpk_pinq_result r;

	memset(pin, 'k', 64);			/* 64 bytes: the maximum */
	pin[0] = '9';
	pin[64] = '\0';
	r = rate(&p, pin, NULL, NULL);
	/* L = min(100, 640) = 100, C = 33: 73 + 27 * 33 / 100 = 81 */
	cr_assert_eq(r.chars, 64);
	cr_assert_eq(r.length_score, 100);
	cr_assert_eq(r.score, 81);
}

Test(pinq_score, empty_pin_is_too_short)
{
	cpk_pin_policy p = policy(NULL);
	cpk_pinq_result r = rate(&p, "", NULL, NULL);
	cpk_pinq_result want = { .level = CPK_PINQ_WEAK,
	    .broken = CPK_PINQ_TOO_SHORT, .action = CPK_PINQ_ALLOW };

	expect("empty", &r, &want);
}

/* ---- runs and sequences: the whole PIN, 4 characters or more ---- */

Test(pinq_runs, table)
{
	static const struct { const char *pin; int run; } t[] = {
		{ "1234", 1 }, { "987654", 1 }, { "0123456789", 1 },
		{ "abcdef", 1 }, { "FEDCBA", 1 }, { "абвгд", 1 },
		{ "qwerty", 1 }, { "QwErTy", 1 }, { "asdfgh", 1 },
		{ "zxcvbn", 1 }, { "poiuyt", 1 }, { "1qaz2wsx", 1 },
		{ "zaq1xsw2", 1 }, { "wazwsx", 1 }, { "qazwsx", 1 },
		{ "1q2w3e4r", 1 }, { "!QAZ@WSX", 1 }, { "йцукен", 1 },
		{ "ЙЦУКЕН", 1 }, { "7890", 1 },
		{ "qwe", 0 }, { "123", 0 }, { "1357", 0 }, { "8901", 0 },
		{ "12a4", 0 }, { "abcd1", 0 }, { "Abc!1234xyZ", 0 },
		{ "пароль12", 0 }, { "qqww", 0 }, { "xk7mq2", 0 },
		{ "1qaz2", 0 },
	};
	cpk_pin_policy p = policy(NULL);

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		cr_assert_eq(rate(&p, t[i].pin, NULL, NULL).sequence, t[i].run,
		    "%s", t[i].pin);
}

/* ---- rules ---- */

Test(pinq_rules, one_symbol_and_behavior)
{
	static const char *const on[] = { "PPONESYMBOLPIN=1", NULL };
	static const char *const forbid[] = { "PPONESYMBOLPIN=1",
	    "PPBADPINBEHAVIOR=2", NULL };
	static const char *const warn[] = { "PPONESYMBOLPIN=1",
	    "PPBADPINBEHAVIOR=1", NULL };
	cpk_pin_policy p = policy(on), pf = policy(forbid), pw = policy(warn);
	cpk_pin_policy off = policy(NULL);
	/* L = 60, one class: C = 0; 73 * 60 / 100 = 43.8 */
	cpk_pinq_result want = { .level = CPK_PINQ_WEAK, .score = 43,
	    .length_score = 60, .classes = 1, .chars = 6,
	    .broken = CPK_PINQ_ONE_SYMBOL, .action = CPK_PINQ_ALLOW };
	cpk_pinq_result r;

	r = rate(&p, "aaaaaa", NULL, NULL);
	expect("aaaaaa", &r, &want);
	want.action = CPK_PINQ_FORBID;
	r = rate(&pf, "aaaaaa", NULL, NULL);
	expect("aaaaaa forbid", &r, &want);
	want.action = CPK_PINQ_WARN;
	r = rate(&pw, "aaaaaa", NULL, NULL);
	expect("aaaaaa warn", &r, &want);
	want.level = CPK_PINQ_MEDIUM;
	want.broken = 0;
	want.action = CPK_PINQ_ALLOW;
	r = rate(&off, "aaaaaa", NULL, NULL);
	expect("aaaaaa rule off", &r, &want);
	/* a mixed-case or two-character PIN is not one symbol */
	cr_assert_eq(rate(&p, "aaaAaa", NULL, NULL).broken, 0);
	cr_assert_eq(rate(&p, "жжжж", NULL, NULL).broken,
	    CPK_PINQ_ONE_SYMBOL);
}

Test(pinq_rules, factory_pin)
{
	static const char *const on[] = { "PPDEFAULTPIN=1", NULL };
	cpk_pin_policy p = policy(on), off = policy(NULL);
	/* a descending run: C = 0, L = 80: score 58 */
	cpk_pinq_result want = { .level = CPK_PINQ_WEAK, .score = 58,
	    .length_score = 80, .classes = 1, .chars = 8, .sequence = 1,
	    .broken = CPK_PINQ_FACTORY, .action = CPK_PINQ_ALLOW };
	cpk_pinq_result r;

	r = rate(&p, "87654321", NULL, NULL);	/* Rutoken admin PIN */
	expect("87654321", &r, &want);
	want.level = CPK_PINQ_MEDIUM;
	want.broken = 0;
	r = rate(&off, "87654321", NULL, NULL);
	expect("87654321 rule off", &r, &want);
	/* another vendor's set: Rutoken's PINs pass, eToken's does not */
	cr_assert_eq(rate(&p, "87654321", NULL,
	    cpk_pin_factory_set("etoken")).broken, 0);
	cr_assert_eq(rate(&p, "1234567890", NULL,
	    cpk_pin_factory_set("etoken")).broken, CPK_PINQ_FACTORY);
	cr_assert_eq(rate(&p, "0987654321", NULL,
	    cpk_pin_factory_set("jacarta-gost")).broken, CPK_PINQ_FACTORY);
}

Test(pinq_rules, current_pin)
{
	static const char *const on[] = { "PPCURRENTPIN=1", NULL };
	cpk_pin_policy p = policy(on), off = policy(NULL);
	/* "246813": L = 60, one class, no run: 43 */
	cpk_pinq_result want = { .level = CPK_PINQ_WEAK, .score = 43,
	    .length_score = 60, .classes = 1, .chars = 6,
	    .broken = CPK_PINQ_CURRENT, .action = CPK_PINQ_ALLOW };
	cpk_pinq_result r;

	r = rate(&p, "246813", "246813", NULL);
	expect("same as current", &r, &want);
	cr_assert_eq(rate(&p, "246813", "246814", NULL).broken, 0);
	cr_assert_eq(rate(&p, "246813", "2468130", NULL).broken, 0);
	cr_assert_eq(rate(&p, "246813", NULL, NULL).broken, 0);
	cr_assert_eq(rate(&off, "246813", "246813", NULL).broken, 0);
	/* a PIN is compared byte for byte, case and all */
	cr_assert_eq(rate(&p, "Xk7mq2", "xk7mq2", NULL).broken, 0);
}

Test(pinq_rules, min_length)
{
	static const char *const six[] = { "PPMINPINLENGTH=6", NULL };
	cpk_pin_policy p = policy(six);
	/* L = 40, digits + a-z: C = 33; (2920 + 891) / 100 = 38 */
	cpk_pinq_result want = { .level = CPK_PINQ_WEAK, .score = 38,
	    .length_score = 40, .class_score = 33, .classes = 2, .chars = 4,
	    .broken = CPK_PINQ_TOO_SHORT, .action = CPK_PINQ_ALLOW };
	cpk_pinq_result r = rate(&p, "12a4", NULL, NULL);

	expect("12a4", &r, &want);
	/* six characters, not six bytes: 12 bytes of Cyrillic pass */
	cr_assert_eq(rate(&p, "жукчай", NULL, NULL).broken, 0);
	cr_assert_eq(rate(&p, "жук1", NULL, NULL).broken,
	    CPK_PINQ_TOO_SHORT);
}

Test(pinq_rules, only_numerals_and_letters)
{
	static const char *const num[] = { "PPONLYNUMERALS=1", NULL };
	static const char *const let[] = { "PPONLYLETTERS=1", NULL };
	cpk_pin_policy pn = policy(num), pl = policy(let);

	cr_assert_eq(rate(&pn, "246813", NULL, NULL).broken,
	    CPK_PINQ_ONLY_NUMERALS);
	cr_assert_eq(rate(&pn, "24681a", NULL, NULL).broken, 0);
	cr_assert_eq(rate(&pl, "xkcdQM", NULL, NULL).broken,
	    CPK_PINQ_ONLY_LETTERS);
	/* Cyrillic letters are letters for this rule (class "other") */
	cr_assert_eq(rate(&pl, "жукчай", NULL, NULL).broken,
	    CPK_PINQ_ONLY_LETTERS);
	cr_assert_eq(rate(&pl, "xkcd QM", NULL, NULL).broken, 0);
	cr_assert_eq(rate(&pl, "246813", NULL, NULL).broken, 0);
}

Test(pinq_rules, several_at_once)
{
	static const char *const all[] = { "PPMINPINLENGTH=10",
	    "PPDEFAULTPIN=1", "PPONESYMBOLPIN=1", "PPONLYNUMERALS=1",
	    "PPONLYLETTERS=1", "PPCURRENTPIN=1", "PPBADPINBEHAVIOR=2", NULL };
	cpk_pin_policy p = policy(all);
	cpk_pinq_result r = rate(&p, "11111111", "11111111",
	    cpk_pin_factory_set("jacarta"));

	cr_assert_eq(r.broken, CPK_PINQ_TOO_SHORT | CPK_PINQ_FACTORY |
	    CPK_PINQ_ONE_SYMBOL | CPK_PINQ_ONLY_NUMERALS | CPK_PINQ_CURRENT);
	cr_assert_eq(r.level, CPK_PINQ_WEAK);
	cr_assert_eq(r.action, CPK_PINQ_FORBID);
	cr_assert_eq(r.score, 58);		/* rules do not change it */
}

/* ---- borders ---- */

Test(pinq_borders, bad_40_good_80)
{
	static const char *const b[] = { "PPBADPINBORDER=40",
	    "PPGOODPINBORDER=80", "PPBADPINBEHAVIOR=2",
	    "PPACCEPTABLEPINBEHAVIOR=1", NULL };
	cpk_pin_policy p = policy(b);
	cpk_pinq_result r;

	r = rate(&p, "abc1", NULL, NULL);	/* L 40, C 33: 38 < 40 */
	cr_assert_eq(r.score, 38);
	cr_assert_eq(r.level, CPK_PINQ_WEAK);
	cr_assert_eq(r.broken, 0);
	cr_assert_eq(r.action, CPK_PINQ_FORBID);
	r = rate(&p, "xk7mq2", NULL, NULL);	/* 52: medium */
	cr_assert_eq(r.score, 52);
	cr_assert_eq(r.level, CPK_PINQ_MEDIUM);
	cr_assert_eq(r.action, CPK_PINQ_WARN);
	r = rate(&p, "Tr0ub4dor", NULL, NULL);
	/* 9 chars: L 90; A-Z, a-z, digits: C 66; (6570 + 1782) / 100 */
	cr_assert_eq(r.score, 83);
	cr_assert_eq(r.level, CPK_PINQ_STRONG);
	cr_assert_eq(r.action, CPK_PINQ_ALLOW);
}

Test(pinq_borders, edges)
{
	static const char *const bad52[] = { "PPBADPINBORDER=52", NULL };
	static const char *const bad53[] = { "PPBADPINBORDER=53", NULL };
	static const char *const good52[] = { "PPGOODPINBORDER=52", NULL };
	static const char *const good53[] = { "PPGOODPINBORDER=53", NULL };
	cpk_pin_policy b52 = policy(bad52), b53 = policy(bad53);
	cpk_pin_policy g52 = policy(good52), g53 = policy(good53);

	/* "xk7mq2" scores 52: "below" and "at or above" are exact */
	cr_assert_eq(rate(&b52, "xk7mq2", NULL, NULL).level,
	    CPK_PINQ_MEDIUM);
	cr_assert_eq(rate(&b53, "xk7mq2", NULL, NULL).level, CPK_PINQ_WEAK);
	cr_assert_eq(rate(&g52, "xk7mq2", NULL, NULL).level,
	    CPK_PINQ_STRONG);
	cr_assert_eq(rate(&g53, "xk7mq2", NULL, NULL).level,
	    CPK_PINQ_MEDIUM);
}

/* ---- input that is not a PIN ---- */

static const struct { const char *bytes; size_t len; const char *what; }
bad_pin[] = {
	{ "\xd0", 1, "truncated two-byte character" },
	{ "ab\xd0", 3, "truncated at the end" },
	{ "\x80", 1, "lone continuation byte" },
	{ "\xc0\xaf", 2, "overlong '/'" },
	{ "\xe0\x80\xaf", 3, "overlong three bytes" },
	{ "\xed\xa0\x80", 3, "surrogate D800" },
	{ "\xf4\x90\x80\x80", 4, "beyond U+10FFFF" },
	{ "\xff", 1, "invalid lead byte" },
	{ "\xd0\x41", 2, "bad continuation" },
	{ "ab\0cd", 5, "NUL byte" },
	{ "12345678901234567890123456789012"
	  "345678901234567890123456789012345", 65, "65 bytes" },
	{ "жжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжж", 66, "33 characters, 66 bytes" },
};
#define NBAD	(sizeof(bad_pin) / sizeof(bad_pin[0]))

ParameterizedTestParameters(pinq_bad, rows)
{
	static int idx[NBAD];

	for (size_t i = 0; i < NBAD; i++)
		idx[i] = (int)i;
	return cr_make_param_array(int, idx, NBAD);
}

ParameterizedTest(int *i, pinq_bad, rows)
{
	cpk_pin_policy p = policy(NULL);
	cpk_pinq_result r;
	cpk_err e;

	memset(&r, 0xa5, sizeof(r));
	e = cpk_pin_quality(&p, bad_pin[*i].bytes, bad_pin[*i].len, NULL,
	    NULL, &r);
	cr_assert_eq(e, CPK_E_ARG, "%s: %s", bad_pin[*i].what,
	    cpk_err_name(e));
	cr_assert_eq(r.score, 0, "%s: result not cleared", bad_pin[*i].what);
	cr_assert_eq(r.broken, 0);
}

Test(pinq_bad, arguments_and_policy)
{
	cpk_pin_policy p = policy(NULL);
	cpk_pinq_result r;

	cr_assert_eq(cpk_pin_quality(NULL, "1", 1, NULL, NULL, &r), CPK_E_ARG);
	cr_assert_eq(cpk_pin_quality(&p, NULL, 0, NULL, NULL, &r), CPK_E_ARG);
	cr_assert_eq(cpk_pin_quality(&p, "1", 1, NULL, NULL, NULL),
	    CPK_E_ARG);
	p.length_weight = 101;			/* filled in by hand */
	cr_assert_eq(cpk_pin_quality(&p, "1", 1, NULL, NULL, &r),
	    CPK_E_RANGE);
	/* the limit is in bytes: 64 bytes is 32 Cyrillic characters, and a
	 * length that cuts one is invalid UTF-8 */
	cpk_pin_policy_default(&p);
	cr_assert_eq(cpk_pin_quality(&p, "жжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжж",
	    64, NULL, NULL, &r), CPK_OK);
	cr_assert_eq(r.chars, 32);
	cr_assert_eq(cpk_pin_quality(&p, "aжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжж",
	    64, NULL, NULL, &r), CPK_E_ARG);
}

/* ---- parameters ---- */

Test(pinq_policy, defaults)
{
	static const unsigned want[CPK_PIN_POLICY_NPARAMS] = {
		1, 0, 0, 0, 0, 0, 0, 0, 73, 0, 100, 0
	};
	cpk_pin_policy p;

	cpk_pin_policy_default(&p);
	cr_assert_eq(p.min_length, 1);
	cr_assert_eq(p.length_weight, 73);
	cr_assert_eq(p.good_border, 100);
	for (size_t i = 0; i < CPK_PIN_POLICY_NPARAMS; i++) {
		cr_assert_eq(cpk_pin_policy_get(&p, i), want[i], "%zu", i);
		cr_assert_eq(cpk_pin_policy_param(i)->def, want[i]);
	}
	cr_assert_str_eq(cpk_pin_policy_param(0)->name, "PPMINPINLENGTH");
	cr_assert_str_eq(cpk_pin_policy_param(10)->name, "PPGOODPINBORDER");
	cr_assert_str_eq(cpk_pin_policy_param(11)->name, "PINENCODING");
	cr_assert_str_eq(cpk_pin_policy_param(11)->values[1], "UTF8");
	cr_assert_null(cpk_pin_policy_param(12));
}

Test(pinq_policy, setter)
{
	static const struct { const char *name, *value; cpk_err want; } t[] = {
		{ "PPMINPINLENGTH=0", NULL, CPK_E_RANGE },
		{ "PPMINPINLENGTH=17", NULL, CPK_E_RANGE },
		{ "PPMINPINLENGTH=99999999999999999999", NULL, CPK_E_RANGE },
		{ "PPDEFAULTPIN=2", NULL, CPK_E_RANGE },
		{ "PPBADPINBEHAVIOR=3", NULL, CPK_E_RANGE },
		{ "PPACCEPTABLEPINBEHAVIOR=2", NULL, CPK_E_RANGE },
		{ "PPPINLENGTHWEIGHT=101", NULL, CPK_E_RANGE },
		{ "PPGOODPINBORDER=101", NULL, CPK_E_RANGE },
		{ "PPFOO=1", NULL, CPK_E_ARG },
		{ "PPMINPINLENGTH", NULL, CPK_E_ARG },
		{ "PPMINPINLENGTH=", NULL, CPK_E_ARG },
		{ "=6", NULL, CPK_E_ARG },
		{ "PPMINPINLENGTH=+6", NULL, CPK_E_ARG },
		{ "PPMINPINLENGTH=-1", NULL, CPK_E_ARG },
		{ "PPMINPINLENGTH= 6", NULL, CPK_E_ARG },
		{ "PPMINPINLENGTH=6 ", NULL, CPK_E_ARG },
		{ "PPMINPINLENGTH=6x", NULL, CPK_E_ARG },
		{ " PPMINPINLENGTH=6", NULL, CPK_E_ARG },
		{ "PPMINPINLENGTH=6", "6", CPK_E_ARG },
		{ "PPMINPINLENGTH", "x", CPK_E_ARG },
		{ "DEFPIN=YES", NULL, CPK_E_ARG },
	};
	cpk_pin_policy p, dflt;

	cpk_pin_policy_default(&dflt);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		p = dflt;
		cr_assert_eq(cpk_pin_policy_set(&p, t[i].name, t[i].value),
		    t[i].want, "%s", t[i].name);
		cr_assert_eq(memcmp(&p, &dflt, sizeof(p)), 0,
		    "%s changed the policy", t[i].name);
	}
}

Test(pinq_policy, accepted_forms)
{
	cpk_pin_policy p;

	cpk_pin_policy_default(&p);
	cr_assert_eq(cpk_pin_policy_set(&p, "ppminpinlength=6", NULL), CPK_OK);
	cr_assert_eq(p.min_length, 6);
	cr_assert_eq(cpk_pin_policy_set(&p, "PpMinPinLength", "16"), CPK_OK);
	cr_assert_eq(p.min_length, 16);
	cr_assert_eq(cpk_pin_policy_set(&p, "PPONLYNUMERALS=1", NULL),
	    CPK_OK);
	cr_assert_eq(p.only_numerals, 1);
	cr_assert_eq(cpk_pin_policy_set(&p, "PPBADPINBEHAVIOR=02", NULL),
	    CPK_OK);
	cr_assert_eq(p.bad_behavior, 2);
	cr_assert_eq(cpk_pin_policy_set(&p, "pppinlengthweight", "0"),
	    CPK_OK);
	cr_assert_eq(p.length_weight, 0);
	cr_assert_eq(cpk_pin_policy_get(&p, 0), 16);
	cr_assert_eq(cpk_pin_policy_find("ppgoodpinborder", 15),
	    cpk_pin_policy_param(10));
	cr_assert_null(cpk_pin_policy_find("PPGOODPINBORDE", 14));
}

Test(pinq_policy, border_order)
{
	cpk_pin_policy p;

	cpk_pin_policy_default(&p);
	/* the setter takes either border first; check sees the order */
	cr_assert_eq(cpk_pin_policy_set(&p, "PPBADPINBORDER=60", NULL),
	    CPK_OK);
	cr_assert_eq(cpk_pin_policy_set(&p, "PPGOODPINBORDER=50", NULL),
	    CPK_OK);
	cr_assert_eq(cpk_pin_policy_check(&p), CPK_E_RANGE);
	cr_assert_eq(cpk_pin_policy_set(&p, "PPGOODPINBORDER=60", NULL),
	    CPK_OK);
	cr_assert_eq(cpk_pin_policy_check(&p), CPK_OK);
	p.default_pin = 2;
	cr_assert_eq(cpk_pin_policy_check(&p), CPK_E_RANGE);
	cr_assert_eq(cpk_pin_policy_check(NULL), CPK_E_ARG);
}

/* ---- names ---- */

Test(pinq_names, all)
{
	static const char *const rules[] = { "too-short", "factory",
	    "one-symbol", "only-numerals", "only-letters", "same-as-current",
	    "not-cp1251", "too-long" };
	const char *const *s;

	for (unsigned i = 0; i < CPK_PINQ_RULES; i++)
		cr_assert_str_eq(cpk_pinq_rule_name(1u << i), rules[i]);
	cr_assert_null(cpk_pinq_rule_name(0));
	cr_assert_null(cpk_pinq_rule_name(3));
	cr_assert_null(cpk_pinq_rule_name(1u << CPK_PINQ_RULES));
	cr_assert_str_eq(cpk_pinq_level_name(CPK_PINQ_WEAK), "weak");
	cr_assert_str_eq(cpk_pinq_level_name(CPK_PINQ_MEDIUM), "medium");
	cr_assert_str_eq(cpk_pinq_level_name(CPK_PINQ_STRONG), "strong");
	cr_assert_str_eq(cpk_pinq_action_name(CPK_PINQ_ALLOW), "allow");
	cr_assert_str_eq(cpk_pinq_action_name(CPK_PINQ_WARN), "warn");
	cr_assert_str_eq(cpk_pinq_action_name(CPK_PINQ_FORBID), "forbid");
	s = cpk_pin_factory_set("rutoken");
	cr_assert_str_eq(s[0], "12345678");
	cr_assert_str_eq(s[1], "87654321");
	cr_assert_null(s[2]);
	s = cpk_pin_factory_set("jacarta");
	cr_assert_str_eq(s[0], "11111111");
	cr_assert_str_eq(s[1], "00000000");
	cr_assert_null(s[2]);
	s = cpk_pin_factory_set("esmart");
	cr_assert_str_eq(s[0], "12345678");
	cr_assert_null(s[1]);
	cr_assert_null(cpk_pin_factory_set("Rutoken"));
	cr_assert_str_eq(cpk_pin_factory_name(3), "jacarta-gost");
	cr_assert_null(cpk_pin_factory_name(5));
}
