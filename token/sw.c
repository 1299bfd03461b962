/* Status words (TOKENS.md §4.3): each SW the token layer may meet, its
 * meaning and the library's error, in one table, as OpenSC keeps its
 * iso7816_errors[]. 90 00 is success; 61 xx and 6C xx are handled by
 * cpk_tok_xfer() (GET RESPONSE, resend with Le) and never looked up. */
#include <stdio.h>

#include "token_int.h"

struct sw_entry {
	unsigned	 sw;
	unsigned	 mask;		/* FFFF exact; FFF0 for 63 Cx */
	const char	*text;		/* msgid: N_() */
	cpk_err		 err;
};

static const struct sw_entry sws[] = {
	{ 0x9000, 0xffff, N_("success"), CPK_OK },
	{ 0x6281, 0xffff, N_("part of the returned data may be corrupted"),
	    CPK_E_CARD },
	{ 0x6282, 0xffff, N_("end of file reached before Le bytes"),
	    CPK_E_CARD },
	{ 0x6283, 0xffff, N_("selected file invalidated"), CPK_E_CARD },
	{ 0x6300, 0xffff, N_("authentication failed"), CPK_E_PIN_WRONG },
	{ 0x63c0, 0xfff0, N_("authentication failed; the last digit is the "
	    "tries left"), CPK_E_PIN_WRONG },
	{ 0x6400, 0xffff, N_("execution error"), CPK_E_CARD },
	{ 0x6581, 0xffff, N_("memory failure"), CPK_E_CARD },
	{ 0x6700, 0xffff, N_("wrong length"), CPK_E_CARD },
	{ 0x6800, 0xffff, N_("functions in CLA not supported"), CPK_E_CARD },
	{ 0x6881, 0xffff, N_("logical channel not supported"), CPK_E_CARD },
	{ 0x6882, 0xffff, N_("secure messaging not supported"), CPK_E_CARD },
	{ 0x6900, 0xffff, N_("command not allowed"), CPK_E_CARD },
	{ 0x6981, 0xffff, N_("command incompatible with file structure"),
	    CPK_E_CARD },
	{ 0x6982, 0xffff, N_("security status not satisfied"),
	    CPK_E_PIN_NEEDED },
	{ 0x6983, 0xffff, N_("authentication method blocked"),
	    CPK_E_PIN_BLOCKED },
	{ 0x6984, 0xffff, N_("referenced data invalidated"),
	    CPK_E_PIN_BLOCKED },
	{ 0x6985, 0xffff, N_("conditions of use not satisfied"), CPK_E_CARD },
	{ 0x6986, 0xffff, N_("command not allowed (no current EF)"),
	    CPK_E_CARD },
	{ 0x6a80, 0xffff, N_("incorrect parameters in the data field"),
	    CPK_E_CARD },
	{ 0x6a81, 0xffff, N_("function not supported"), CPK_E_UNSUPPORTED },
	{ 0x6a82, 0xffff, N_("file or application not found"),
	    CPK_E_NOT_FOUND },
	{ 0x6a83, 0xffff, N_("record not found"), CPK_E_CARD },
	{ 0x6a84, 0xffff, N_("not enough memory space in the file"),
	    CPK_E_CARD },
	{ 0x6a86, 0xffff, N_("incorrect parameters P1-P2"), CPK_E_CARD },
	{ 0x6a87, 0xffff, N_("Lc inconsistent with P1-P2"), CPK_E_CARD },
	{ 0x6a88, 0xffff, N_("referenced data not found"), CPK_E_CARD },
	{ 0x6b00, 0xffff, N_("wrong parameters (offset outside the EF)"),
	    CPK_E_CARD },
	{ 0x6d00, 0xffff, N_("instruction code not supported or invalid"),
	    CPK_E_UNSUPPORTED },
	{ 0x6e00, 0xffff, N_("class not supported"), CPK_E_UNSUPPORTED },
	{ 0x6f00, 0xffff, N_("no precise diagnosis"), CPK_E_CARD },
	/* Rutoken's own (OpenSC's card-rutoken.c, card-rtecp.c) */
	{ 0x6f84, 0xffff, N_("the token is busy"), CPK_E_CARD_BUSY },
	{ 0x6f86, 0xffff, N_("already logged in"), CPK_E_CARD },
};

/* NULL for an SW not in the table (and for 61 xx, 6C xx) */
static const struct sw_entry *
find(unsigned sw)
{
	for (size_t i = 0; i < sizeof(sws) / sizeof(sws[0]); i++)
		if ((sw & sws[i].mask) == sws[i].sw)
			return &sws[i];
	return NULL;
}

cpk_err
cpk_sw_lookup(unsigned sw)
{
	const struct sw_entry *e = find(sw);

	return e != NULL ? e->err : CPK_E_CARD;
}

const char *
cpk_sw_meaning(unsigned sw)
{
	const struct sw_entry *e = find(sw);

	return e != NULL ? _(e->text) : NULL;
}

const char *
cpk_sw_text(unsigned sw, char *buf, size_t cap)
{
	const char *m = cpk_sw_meaning(sw);

	snprintf(buf, cap, "%04X: %s", sw & 0xffff, m != NULL ? m :
	    _("status word not known to cpkit"));
	return buf;
}
