/* The ATR table against OpenSC's match tables (card-rtecp.c,
 * card-rutoken.c, issue 16 point 8): every variant OpenSC accepts is
 * known, a byte under a 00 in OpenSC's mask may change, any other byte
 * may not, and exact entries stay exact. */
#include <string.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "tokens.h"

struct atr_case {
	const char	*hex;
	const char	*name;
	enum cpk_tok_family family;
	int		 masked;	/* byte index a mask lets change, -1 */
	int		 fixed;		/* byte index that must stay */
};

/* The ATRs of OpenSC's rtecp_atrs[] and rutoken_atrs[]; masked is the
 * first byte under a 00 of OpenSC's mask, fixed one under an FF. */
static const struct atr_case cases[] = {
	{ "3B8B015275746F6B656E20454350A0", "Rutoken ECP",
	    CPK_TOK_RUTOKEN, -1, 0 },
	{ "3B8B015275746F6B656E20445320C1", "Rutoken ECP 2.0/3.0 (DS)",
	    CPK_TOK_RUTOKEN, -1, 14 },
	{ "3B9C96005275746F6B656E4543507363", "Rutoken ECP SC (T=0)",
	    CPK_TOK_RUTOKEN, 2, 4 },
	{ "3B9C948011405275746F6B656E4543507363C3", "Rutoken ECP SC (T=1)",
	    CPK_TOK_RUTOKEN, 18, 6 },
	{ "3B88800152745343778183206A", "Rutoken ECP 3.0 NFC",
	    CPK_TOK_RUTOKEN, 9, 7 },
	{ "3B8B015275746F6B656E6C697465C2", "Rutoken Lite",
	    CPK_TOK_RUTOKEN, -1, 10 },
	{ "3B9E96005275746F6B656E4C697465534332", "Rutoken Lite SC",
	    CPK_TOK_RUTOKEN, 1, 17 },
	{ "3B6F00FF00567275546F6B6E73302000009000", "Rutoken S",
	    CPK_TOK_RUTOKEN_S, -1, 3 },
	{ "3B6F00FF00567561546F6B6E73302000009000", "uaToken S",
	    CPK_TOK_RUTOKEN_S, -1, 6 },
};

static const cpk_tok_model *
model_of(const unsigned char *b, size_t n)
{
	return cpk_atr_model(b, n);
}

Test(token_atr, opensc_variants_and_masks)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct atr_case *c = &cases[i];
		unsigned char b[40];
		size_t n = unhex(c->hex, b, sizeof(b));
		const cpk_tok_model *m = model_of(b, n);

		cr_assert_str_eq(m->name, c->name, "%s", c->hex);
		cr_assert_eq(m->family, c->family, "%s", c->hex);
		if (c->masked >= 0) {
			b[c->masked] ^= 0x5a;
			cr_assert_str_eq(model_of(b, n)->name, c->name,
			    "%s, byte %d changed", c->hex, c->masked);
			b[c->masked] ^= 0x5a;
		}
		b[c->fixed] ^= 0x01;
		cr_assert_eq(model_of(b, n)->family, CPK_TOK_UNKNOWN,
		    "%s, byte %d changed", c->hex, c->fixed);
		b[c->fixed] ^= 0x01;
		/* the length is never masked */
		cr_assert_eq(model_of(b, n - 1)->family, CPK_TOK_UNKNOWN,
		    "%s without its last byte", c->hex);
	}
}

Test(token_atr, masked_variants_seen_in_the_field)
{
	/* ECP 3.0 NFC's own T=1 ATR keeps its exact entry, ahead of the
	 * ECP SC T=1 mask that also covers it */
	unsigned char b[40];
	size_t n = unhex("3B9C978011405275746F6B656E4543507363C0", b,
	    sizeof(b));

	cr_assert_str_eq(model_of(b, n)->name, "Rutoken ECP 3.0 NFC");
	/* ECP SC T=1 with other TA1/TCK: OpenSC masks bytes 1-5 and 18 */
	n = unhex("3B9C138011405275746F6B656E4543507363FF", b, sizeof(b));
	cr_assert_str_eq(model_of(b, n)->name, "Rutoken ECP SC (T=1)");
	/* the NFC mask keeps only "RtSC": "RtMC" is the 2151 card */
	n = unhex("3B88800152744D430081C10061", b, sizeof(b));
	cr_assert_str_eq(model_of(b, n)->name, "Rutoken 2151 smart card");
	n = unhex("3B88800152744D4377818320FF", b, sizeof(b));
	cr_assert_eq(model_of(b, n)->family, CPK_TOK_UNKNOWN);
}
