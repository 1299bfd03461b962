/* The bytes a token PIN is sent as (TOKENS.md §6.5): CP1251 for the
 * Rutoken driver's PINENCODING=ANSI, the typed UTF-8 for UTF8, and
 * nothing at all for a non-ASCII PIN whose encoding was not named. */
#include <string.h>

#include <criterion/criterion.h>

#include "pinq.h"
#include "tokens.h"

#define PAROL	"\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c" /* пароль */

static size_t
enc(enum cpk_pinenc e, const char *pin, unsigned char *out, size_t cap,
    cpk_err want)
{
	size_t n = 99;

	cr_assert_eq(cpk_pin_encode(e, pin, strlen(pin), out, cap, &n), want,
	    "%s %s", cpk_pinenc_name(e), pin);
	if (want != CPK_OK)
		cr_assert_eq(n, 0);
	return n;
}

Test(pinenc, cp1251_cyrillic)
{
	static const unsigned char want[] = {
		0xEF, 0xE0, 0xF0, 0xEE, 0xEB, 0xFC
	};
	unsigned char b[64];

	cr_assert_eq(enc(CPK_PINENC_CP1251, PAROL, b, sizeof(b), CPK_OK), 6);
	cr_assert_arr_eq(b, want, sizeof(want));
	/* Ё/ё and № are in CP1251 too: A8, B8, B9 */
	cr_assert_eq(enc(CPK_PINENC_CP1251, "\xd0\x81\xd1\x91\xe2\x84\x96",
	    b, sizeof(b), CPK_OK), 3);
	cr_assert_eq(memcmp(b, "\xa8\xb8\xb9", 3), 0);
}

Test(pinenc, utf8_as_typed)
{
	unsigned char b[64];

	cr_assert_eq(enc(CPK_PINENC_UTF8, PAROL, b, sizeof(b), CPK_OK), 12);
	cr_assert_eq(memcmp(b, PAROL, 12), 0);
}

Test(pinenc, ascii_needs_no_choice)
{
	unsigned char b[64];

	for (int e = CPK_PINENC_NONE; e <= CPK_PINENC_UTF8; e++) {
		cr_assert_eq(enc((enum cpk_pinenc)e, "12345678", b, sizeof(b),
		    CPK_OK), 8);
		cr_assert_eq(memcmp(b, "12345678", 8), 0);
	}
}

Test(pinenc, refusals)
{
	unsigned char b[64];

	/* not ASCII and no encoding named: nothing to send */
	enc(CPK_PINENC_NONE, PAROL, b, sizeof(b), CPK_E_ARG);
	/* the euro sign is 88 in CP1251, but CJK and emoji are not there */
	enc(CPK_PINENC_CP1251, "ab\xe4\xb8\xad", b, sizeof(b), CPK_E_RANGE);
	enc(CPK_PINENC_CP1251, "\xf0\x9f\x98\x80", b, sizeof(b), CPK_E_RANGE);
	/* invalid UTF-8 (a lone CP1251 byte), in every mode */
	enc(CPK_PINENC_CP1251, "\xef\xe0", b, sizeof(b), CPK_E_FORMAT);
	enc(CPK_PINENC_UTF8, "\xef\xe0", b, sizeof(b), CPK_E_FORMAT);
	enc(CPK_PINENC_NONE, "\xef\xe0", b, sizeof(b), CPK_E_FORMAT);
	/* the byte limit counts encoded bytes: 6 in CP1251, 12 in UTF-8 */
	cr_assert_eq(enc(CPK_PINENC_CP1251, PAROL, b, 6, CPK_OK), 6);
	enc(CPK_PINENC_UTF8, PAROL, b, 11, CPK_E_TOO_BIG);
	enc(CPK_PINENC_CP1251, PAROL, b, 5, CPK_E_TOO_BIG);
}

Test(pinenc, utf8_models)
{
	static const unsigned char ecp[] = { 0x3B, 0x8B, 0x01, 0x52, 0x75,
	    0x74, 0x6F, 0x6B, 0x65, 0x6E, 0x20, 0x45, 0x43, 0x50, 0xA0 };
	static const unsigned char lite[] = { 0x3B, 0x8B, 0x01, 0x52, 0x75,
	    0x74, 0x6F, 0x6B, 0x65, 0x6E, 0x6C, 0x69, 0x74, 0x65, 0xC2 };
	static const unsigned char s[] = { 0x3B, 0x6F, 0x00, 0xFF, 0x00, 0x56,
	    0x72, 0x75, 0x54, 0x6F, 0x6B, 0x6E, 0x73, 0x30, 0x20, 0x00, 0x00,
	    0x90, 0x00 };

	cr_assert_eq(cpk_tok_pin_utf8_ok(cpk_atr_model(ecp, sizeof(ecp))), 1);
	cr_assert_eq(cpk_tok_pin_utf8_ok(cpk_atr_model(lite, sizeof(lite))),
	    0);
	cr_assert_eq(cpk_tok_pin_utf8_ok(cpk_atr_model(s, sizeof(s))), 0);
	cr_assert_eq(cpk_tok_pin_utf8_ok(NULL), 0);
}

/* PIN-POLICY.md: PINENCODING=ANSI|UTF8 rates the bytes the token holds */
Test(pinenc, policy)
{
	cpk_pin_policy p;
	cpk_pinq_result q;

	cpk_pin_policy_default(&p);
	cr_assert_eq(p.encoding, 0);
	cr_assert_eq(cpk_pin_policy_set(&p, "pinencoding=utf8", NULL),
	    CPK_OK);
	cr_assert_eq(p.encoding, 1);
	cr_assert_eq(cpk_pin_policy_set(&p, "PINENCODING", "ANSI"), CPK_OK);
	cr_assert_eq(p.encoding, 0);
	cr_assert_eq(cpk_pin_policy_set(&p, "PINENCODING=1", NULL),
	    CPK_E_ARG);
	cr_assert_eq(cpk_pin_policy_set(&p, "PINENCODING=KOI8", NULL),
	    CPK_E_ARG);

	cr_assert_eq(cpk_pin_quality(&p, PAROL "12", 14, NULL, NULL, &q),
	    CPK_OK);
	cr_assert_eq(q.bytes, 8);
	cr_assert_eq(q.broken, 0);
	/* 9 Cyrillic letters: 9 bytes in CP1251, 18 in UTF-8 > 16 */
	cr_assert_eq(cpk_pin_quality(&p, PAROL "\xd0\xb0\xd0\xb1\xd0\xb2", 18,
	    NULL, NULL, &q), CPK_OK);
	cr_assert_eq(q.bytes, 9);
	cr_assert_eq(q.broken, 0);
	p.encoding = 1;
	cr_assert_eq(cpk_pin_quality(&p, PAROL "\xd0\xb0\xd0\xb1\xd0\xb2", 18,
	    NULL, NULL, &q), CPK_OK);
	cr_assert_eq(q.bytes, 18);
	cr_assert_eq(q.broken, CPK_PINQ_TOO_LONG);
	cr_assert_eq(q.action, CPK_PINQ_FORBID);
	/* an emoji: fine as UTF-8, no CP1251 form */
	cr_assert_eq(cpk_pin_quality(&p, "ab\xf0\x9f\x98\x80", 6, NULL, NULL,
	    &q), CPK_OK);
	cr_assert_eq(q.bytes, 6);
	cr_assert_eq(q.broken, 0);
	p.encoding = 0;
	cr_assert_eq(cpk_pin_quality(&p, "ab\xf0\x9f\x98\x80", 6, NULL, NULL,
	    &q), CPK_OK);
	cr_assert_eq(q.bytes, 0);
	cr_assert_eq(q.broken, CPK_PINQ_NOT_CP1251);
	cr_assert_eq(q.action, CPK_PINQ_FORBID);
	cr_assert_eq(q.level, CPK_PINQ_WEAK);
}
