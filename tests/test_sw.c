/* The status-word table (issue 17 §3, TOKENS.md §4.3): each SW keeps its
 * raw value, its meaning and the library's error in one place. */
#include <criterion/criterion.h>

#include "tokens.h"

Test(sw, errors_from_the_table)
{
	cr_assert_eq(cpk_sw_err(0x9000), CPK_OK);
	cr_assert_eq(cpk_sw_err(0x6982), CPK_E_PIN_NEEDED);
	cr_assert_eq(cpk_sw_err(0x6983), CPK_E_PIN_BLOCKED);
	cr_assert_eq(cpk_sw_err(0x6984), CPK_E_PIN_BLOCKED);
	cr_assert_eq(cpk_sw_err(0x6a82), CPK_E_NOT_FOUND);
	cr_assert_eq(cpk_sw_err(0x6f84), CPK_E_CARD_BUSY);
	cr_assert_eq(cpk_sw_err(0x6d00), CPK_E_UNSUPPORTED);
	cr_assert_eq(cpk_sw_err(0x6a86), CPK_E_CARD);
	cr_assert_eq(cpk_sw_err(0x6985), CPK_E_CARD);
}

Test(sw, tries_left_63cx)
{
	cr_assert_eq(cpk_sw_err(0x6300), CPK_E_PIN_WRONG);
	for (unsigned x = 0; x < 16; x++)
		cr_assert_eq(cpk_sw_err(0x63c0 | x), CPK_E_PIN_WRONG, "63C%X",
		    x);
	cr_assert_str_eq(cpk_sw_meaning(0x63c2),
	    "authentication failed; the last digit is the tries left");
	/* 63 Dx is no counter */
	cr_assert_eq(cpk_sw_err(0x63d1), CPK_E_CARD);
	cr_assert_null(cpk_sw_meaning(0x63d1));
}

Test(sw, text_with_raw_value)
{
	char buf[128];

	cr_assert_str_eq(cpk_sw_text(0x6a82, buf, sizeof(buf)),
	    "6A82: file or application not found");
	cr_assert_str_eq(cpk_sw_text(0x6a86, buf, sizeof(buf)),
	    "6A86: incorrect parameters P1-P2");
	cr_assert_str_eq(cpk_sw_text(0x6f84, buf, sizeof(buf)),
	    "6F84: the token is busy");
	cr_assert_str_eq(cpk_sw_text(0x6a99, buf, sizeof(buf)),
	    "6A99: status word not known to cpkit");
	/* a short buffer is cut, never overrun */
	cr_assert_str_eq(cpk_sw_text(0x6a82, buf, 8), "6A82: f");
}

/* 61 xx and 6C xx are answered by cpk_tok_xfer (GET RESPONSE, resend
 * with Le): they are no errors and have no meaning in the table */
Test(sw, get_response_and_wrong_le_not_in_table)
{
	cr_assert_null(cpk_sw_meaning(0x6110));
	cr_assert_null(cpk_sw_meaning(0x6c08));
	cr_assert_eq(cpk_sw_err(0x6110), CPK_E_CARD);
	cr_assert_eq(cpk_sw_err(0x6c08), CPK_E_CARD);
}
