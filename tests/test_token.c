/* Token logic against a scripted card: the exact APDUs cpkit sends, for
 * ATR identification, FCP parsing, T=0 answer fetching and, above all,
 * the PIN rules - a script that ends where the rules say cpkit must stop
 * proves it sent nothing more. The same logic runs end to end against a
 * real pcscd and the virtual Rutoken in tests/e2e_token.sh. */
#include <string.h>
#include <strings.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "tokens.h"

struct step {
	const char	*cmd;		/* hex the card must receive */
	const char	*resp;		/* hex it answers, SW included */
};

struct script {
	const struct step	*s;
	size_t			 n, at;
	int			 closed;
};

static cpk_err
script_tx(void *ctx, const unsigned char *cmd, size_t len,
    unsigned char *resp, size_t *resp_len)
{
	struct script *sc = ctx;
	const char *got = hexs(cmd, len);

	cr_assert_lt(sc->at, sc->n, "unexpected APDU %s after the script's "
	    "end", got);
	cr_assert_eq(strcasecmp(got, sc->s[sc->at].cmd), 0, "APDU %zu: sent "
	    "%s, the script has %s", sc->at, got, sc->s[sc->at].cmd);
	*resp_len = unhex(sc->s[sc->at].resp, resp, *resp_len);
	sc->at++;
	return CPK_OK;
}

static void
script_close(void *ctx)
{
	((struct script *)ctx)->closed = 1;
}

static const unsigned char atr_lite[] = { 0x3b, 0x8b, 0x01, 0x52, 0x75,
	0x74, 0x6f, 0x6b, 0x65, 0x6e, 0x6c, 0x69, 0x74, 0x65, 0xc2 };
static const unsigned char atr_s[] = { 0x3b, 0x6f, 0x00, 0xff, 0x00, 0x56,
	0x72, 0x75, 0x54, 0x6f, 0x6b, 0x6e, 0x73, 0x30, 0x20, 0x00, 0x00,
	0x90, 0x00 };
static const unsigned char atr_jacarta[] = { 0x3b, 0xdc, 0x18, 0xff, 0x81,
	0x91, 0xfe, 0x1f, 0xc3, 0x80, 0x73, 0xc8, 0x21, 0x13, 0x66, 0x01,
	0x06, 0x11, 0x59, 0x00, 0x01, 0x28 };

static cpk_token *
open_with(struct script *sc, const struct step *s, size_t n,
    const unsigned char *atr, size_t atr_len)
{
	cpk_transport tr = { script_tx, script_close, sc, NULL };
	cpk_token *t = NULL;

	memset(sc, 0, sizeof(*sc));
	sc->s = s;
	sc->n = n;
	cr_assert_eq(cpk_token_open(&tr, atr, atr_len, &t), CPK_OK);
	return t;
}

#define OPEN(sc, steps, atr) \
	open_with(&(sc), (steps), sizeof(steps) / sizeof((steps)[0]), \
	    (atr), sizeof(atr))

Test(token, atr_table)
{
	static const unsigned char unknown[] = { 0x3b, 0x00 };
	const cpk_tok_model *m;

	m = cpk_atr_model(atr_lite, sizeof(atr_lite));
	cr_assert_str_eq(m->name, "Rutoken Lite");
	cr_assert_eq(m->family, CPK_TOK_RUTOKEN);
	cr_assert_str_eq(m->user_pin, "12345678");
	cr_assert_str_eq(m->admin_pin, "87654321");
	m = cpk_atr_model(atr_s, sizeof(atr_s));
	cr_assert_eq(m->family, CPK_TOK_RUTOKEN_S);
	m = cpk_atr_model(atr_jacarta, sizeof(atr_jacarta));
	cr_assert_eq(m->family, CPK_TOK_JACARTA);
	cr_assert_str_eq(m->user_pin, "11111111");
	cr_assert_eq(cpk_tok_family_readable(m->family), 0);
	/* a prefix of a known ATR is not that ATR */
	m = cpk_atr_model(atr_lite, sizeof(atr_lite) - 1);
	cr_assert_eq(m->family, CPK_TOK_UNKNOWN);
	m = cpk_atr_model(unknown, sizeof(unknown));
	cr_assert_str_eq(m->name, "unknown token");
}

Test(token, fcp_lite_and_s)
{
	unsigned char b[64];
	size_t n;
	cpk_fcp f;

	/* an EF 0A02 of 70 bytes that needs the user PIN to read */
	n = unhex("6224 80020046 81020046 82020100 83020A02 8A0105"
	    "860F 43020201 0000000000000000000000", b, sizeof(b));
	cr_assert_eq(cpk_fcp_parse(b, n, 0, &f), CPK_OK);
	cr_assert_eq(f.fid, 0x0a02);
	cr_assert_eq(f.size, 70);
	cr_assert_eq(f.is_df, 0);
	cr_assert_eq(f.read, CPK_COND_USER);
	/* the same on Rutoken S: little-endian, 40-byte tag 86, free */
	n = unhex("623D 80024600 81024600 82020100 8302020A 8A0105 8628"
	    "0100000000000000000000000000000000000000"
	    "0000000000000000000000000000000000000000", b, sizeof(b));
	cr_assert_eq(cpk_fcp_parse(b, n, 1, &f), CPK_OK);
	cr_assert_eq(f.fid, 0x0a02);
	cr_assert_str_eq(hexs(f.fid_raw, 2), "020a");
	cr_assert_eq(f.size, 70);
	cr_assert_eq(f.read, CPK_COND_FREE);
	/* a DF, never readable by this rule, no size */
	n = unhex("620C82023800830210038602" "01FF", b, sizeof(b));
	cr_assert_eq(cpk_fcp_parse(b, n, 0, &f), CPK_OK);
	cr_assert_eq(f.is_df, 1);
	cr_assert_eq(f.fid, 0x1003);
	cr_assert_eq(f.read, CPK_COND_NEVER);
	/* no file ID; a length past the end; not an FCP at all */
	n = unhex("62048202 0100", b, sizeof(b));
	cr_assert_eq(cpk_fcp_parse(b, n, 0, &f), CPK_E_FORMAT);
	n = unhex("62088302 0A02 80050001", b, sizeof(b));
	cr_assert_eq(cpk_fcp_parse(b, n, 0, &f), CPK_E_FORMAT);
	n = unhex("6F02 8300", b, sizeof(b));
	cr_assert_eq(cpk_fcp_parse(b, n, 0, &f), CPK_E_FORMAT);
}

/* Tag 86 as OpenSC's card-rtecp.c reads it: the condition of access mode k
 * at byte 1 + k, present or not (DELETE, mode 6, at byte 7). READ is always
 * byte 1; only the mask says whether it is there (issue 16 point 6). */
Test(token, fcp_access_bytes_by_mode)
{
	unsigned char b[64];
	size_t n;
	cpk_fcp f;

	/* READ admin, UPDATE user, DELETE never at byte 7 (OpenSC's layout) */
	n = unhex("6224 80020046 81020046 82020100 83020A02 8A0105"
	    "860F 43 01 02 00000000 FF 00000000000000", b, sizeof(b));
	cr_assert_eq(cpk_fcp_parse(b, n, 0, &f), CPK_OK);
	cr_assert_eq(f.read, CPK_COND_ADMIN);
	/* UPDATE and DELETE only: in bit order byte 1 would be UPDATE's user
	 * PIN; by position it is READ's, absent, so READ is not known */
	n = unhex("6224 80020046 81020046 82020100 83020A02 8A0105"
	    "860F 42 02 01 00000000 01 00000000000000", b, sizeof(b));
	cr_assert_eq(cpk_fcp_parse(b, n, 0, &f), CPK_OK);
	cr_assert_eq(f.read, CPK_COND_UNKNOWN);
	/* READ free and DELETE admin: bit order would put DELETE at byte 2,
	 * OpenSC at byte 7; byte 1 stays READ's either way */
	n = unhex("6224 80020046 81020046 82020100 83020A02 8A0105"
	    "860F 41 00 FF 00000000 01 00000000000000", b, sizeof(b));
	cr_assert_eq(cpk_fcp_parse(b, n, 0, &f), CPK_OK);
	cr_assert_eq(f.read, CPK_COND_FREE);
	/* Rutoken S (card-rutoken.c): READ by user PIN, method 01 at byte 1
	 * and key reference 02 at byte 8; DELETE method at byte 7 and key at
	 * byte 32 do not change it */
	n = unhex("623D 80024600 81024600 82020100 8302020A 8A0105 8628"
	    "43 01 01 00000000 01 02 000000 02 000000"
	    "00000000000000000000000000000000 01 00000000000000",
	    b, sizeof(b));
	cr_assert_eq(cpk_fcp_parse(b, n, 1, &f), CPK_OK);
	cr_assert_eq(f.read, CPK_COND_USER);
}

Test(token, t0_get_response_and_wrong_le)
{
	/* Rutoken S: 6C gives the right Le, 61 the answer's length */
	static const struct step s[] = {
		{ "00CA018104", "6C04" },
		{ "00CA018104", "6104" },
		{ "00C0000004", "4D3C2B1A9000" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_s);
	char hex[16];
	unsigned long num = 0;

	cr_assert_eq(cpk_token_serial(t, hex, sizeof(hex), &num), CPK_OK);
	cr_assert_str_eq(hex, "1A2B3C4D");
	cr_assert_eq(num, 0x1a2b3c4dul);
	cr_assert_eq(sc.at, 3);
	cpk_token_close(&t);
	cr_assert_eq(sc.closed, 1);
}

Test(token, serial_lite)
{
	static const struct step s[] = {
		{ "00CA018100", "000000001A2B3C4D9000" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_lite);
	char hex[16];
	unsigned long num = 0;

	cr_assert_eq(cpk_token_serial(t, hex, sizeof(hex), &num), CPK_OK);
	cr_assert_str_eq(hex, "1A2B3C4D");
	cr_assert_eq(num, 439041101ul);
	cpk_token_close(&t);
}

Test(token, few_tries_no_pin_sent)
{
	/* 3 tries left, min 3: a wrong PIN would leave 2 - nothing sent */
	static const struct step s[] = {
		{ "80400000", "9000" },
		{ "00200002", "63C3" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_lite);
	cpk_pin_state st;

	cr_assert_eq(cpk_token_verify(t, CPK_PIN_USER, "12345678", 8, 3,
	    &st), CPK_E_PIN_LOW);
	cr_assert_eq(st.tries, 3);
	cr_assert_eq(sc.at, 2);
	cr_assert_eq(cpk_token_pins_sent(t), 0);
	cpk_token_close(&t);
}

Test(token, wrong_pin_once_then_stop)
{
	static const struct step s[] = {
		{ "80400000", "9000" },
		{ "00200002", "63CA" },
		{ "00200002083131313131313131", "6300" },
		{ "00200002", "63C9" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_lite);
	cpk_pin_state st;

	cr_assert_eq(cpk_token_verify(t, CPK_PIN_USER, "11111111", 8, 3,
	    &st), CPK_E_PIN_WRONG);
	cr_assert_eq(st.known, 1);
	cr_assert_eq(st.tries, 9);
	cr_assert_eq(cpk_token_pins_sent(t), 1);
	cr_assert_eq(sc.at, 4);
	cpk_token_close(&t);
}

Test(token, blocked_pin_not_tried)
{
	static const struct step s[] = {
		{ "80400000", "9000" },
		{ "00200001", "6983" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_lite);
	cpk_pin_state st;

	cr_assert_eq(cpk_token_unblock(t, "87654321", 8, 3, &st),
	    CPK_E_PIN_BLOCKED);
	cr_assert_eq(st.blocked, 1);
	cr_assert_eq(cpk_token_pins_sent(t), 0);
	cpk_token_close(&t);
}

Test(token, no_safe_query_no_apdu)
{
	/* JaCarta: the empty VERIFY may cost a try there; nothing is sent */
	static const struct step none[1] = { { "", "" } };
	struct script sc;
	cpk_token *t = open_with(&sc, none, 0, atr_jacarta,
	    sizeof(atr_jacarta));
	cpk_pin_state st;

	cr_assert_eq(cpk_token_pin_state(t, CPK_PIN_USER, &st),
	    CPK_E_PIN_UNKNOWN);
	cr_assert_eq(cpk_token_verify(t, CPK_PIN_USER, "11111111", 8, 3,
	    &st), CPK_E_PIN_UNKNOWN);
	cr_assert_eq(sc.at, 0);
	cpk_token_close(&t);
}

Test(token, change_pin_apdu)
{
	static const struct step s[] = {
		{ "80400000", "9000" },
		{ "00200002", "63CA" },
		{ "0020000207" "31323334353637", "9000" },
		{ "002401020C" "80020006A506" "303132333435", "9000" },
		{ "80400000", "9000" },
		{ "00200002", "63CA" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_lite);
	cpk_pin_state st;

	cr_assert_eq(cpk_token_change_pin(t, CPK_PIN_USER, CPK_PIN_USER,
	    "1234567", 7, "012345", 6, 3, &st), CPK_OK);
	cr_assert_eq(st.tries, 10);
	cr_assert_eq(sc.at, 6);
	cpk_token_close(&t);
}

Test(token, select_mf_p2_00_and_listing_refused)
{
	/* issue 16 point 2: SELECT MF with P2 00 (TOKENS.md §4.1) on
	 * Lite/ECP, never 0C; a list that cannot be read is an error */
	static const struct step s[] = {
		{ "00A40000023F00", "9000" },
		{ "00A40804041000100300", "6A82" },
		{ "00A40000023F00", "9000" },
		{ "00A4000000", "6A86" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_lite);
	cpk_tok_list l;

	cr_assert_neq(cpk_token_enum(t, &l), CPK_OK);
	cr_assert_eq(sc.at, 4);
	cpk_token_close(&t);
}

Test(token, logout_on_s_selects_mf_first)
{
	/* issue 16 point 7: 80 40 00 00 in the MF on Rutoken S, as OpenSC
	 * does; the MF selected with P2 00 and the swapped FID (§3) */
	static const struct step s[] = {
		{ "00A4000002003F", "9000" },
		{ "80400000", "9000" },
		{ "00A4000002003F", "9000" },
		{ "80400000", "9000" },
		{ "00200002", "63C3" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_s);
	cpk_pin_state st;

	cr_assert_eq(cpk_token_logout(t), CPK_OK);
	/* the gate before a PIN logs out the same way */
	cr_assert_eq(cpk_token_verify(t, CPK_PIN_USER, "12345678", 8, 3,
	    &st), CPK_E_PIN_LOW);
	cr_assert_eq(sc.at, 5);
	cr_assert_eq(cpk_token_pins_sent(t), 0);
	cpk_token_close(&t);
}

Test(token, logout_on_lite_where_it_is)
{
	static const struct step s[] = {
		{ "80400000", "9000" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_lite);

	cr_assert_eq(cpk_token_logout(t), CPK_OK);
	cr_assert_eq(sc.at, 1);
	cpk_token_close(&t);
}

/* Rutoken S takes the new PIN raw (OpenSC card-rutoken.c,
 * rutoken_change_reference_data): never the ECP TLV of the test above. */
Test(token, change_pin_apdu_s_raw)
{
	static const struct step s[] = {
		{ "00A4000002003F", "9000" },
		{ "80400000", "9000" },
		{ "00200002", "63CA" },
		{ "0020000207" "31323334353637", "9000" },
		{ "0024010206" "303132333435", "9000" },
		{ "00A4000002003F", "9000" },
		{ "80400000", "9000" },
		{ "00200002", "63CA" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_s);
	cpk_pin_state st;

	cr_assert_eq(cpk_token_change_pin(t, CPK_PIN_USER, CPK_PIN_USER,
	    "1234567", 7, "012345", 6, 3, &st), CPK_OK);
	cr_assert_eq(st.tries, 10);
	cr_assert_eq(sc.at, 8);
	cpk_token_close(&t);
}

Test(token, change_admin_pin_apdu_per_family)
{
	static const struct step lite[] = {
		{ "80400000", "9000" },
		{ "00200001", "63CA" },
		{ "0020000108" "3837363534333231", "9000" },
		{ "002401010E" "80020008A508" "3131323233333434", "9000" },
		{ "80400000", "9000" },
		{ "00200001", "63CA" },
	};
	static const struct step s[] = {
		{ "00A4000002003F", "9000" },
		{ "80400000", "9000" },
		{ "00200001", "63CA" },
		{ "0020000108" "3837363534333231", "9000" },
		{ "0024010108" "3131323233333434", "9000" },
		{ "00A4000002003F", "9000" },
		{ "80400000", "9000" },
		{ "00200001", "63CA" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, lite, atr_lite);
	cpk_pin_state st;

	cr_assert_eq(cpk_token_change_pin(t, CPK_PIN_ADMIN, CPK_PIN_ADMIN,
	    "87654321", 8, "11223344", 8, 3, &st), CPK_OK);
	cr_assert_eq(sc.at, 6);
	cpk_token_close(&t);
	t = OPEN(sc, s, atr_s);
	cr_assert_eq(cpk_token_change_pin(t, CPK_PIN_ADMIN, CPK_PIN_ADMIN,
	    "87654321", 8, "11223344", 8, 3, &st), CPK_OK);
	cr_assert_eq(sc.at, 8);
	cpk_token_close(&t);
}

/* RESET RETRY COUNTER is 00 2C 03 02 without data on both families
 * (card-rutoken.c rutoken_reset_retry_counter, card-rtecp.c
 * rtecp_reset_retry_counter), after cpkit's own admin VERIFY. */
Test(token, unblock_apdu_per_family)
{
	static const struct step lite[] = {
		{ "80400000", "9000" },
		{ "00200001", "63CA" },
		{ "0020000108" "3837363534333231", "9000" },
		{ "002C0302", "9000" },
		{ "80400000", "9000" },
		{ "00200002", "63CA" },
	};
	static const struct step s[] = {
		{ "00A4000002003F", "9000" },
		{ "80400000", "9000" },
		{ "00200001", "63CA" },
		{ "0020000108" "3837363534333231", "9000" },
		{ "002C0302", "9000" },
		{ "00A4000002003F", "9000" },
		{ "80400000", "9000" },
		{ "00200002", "63CA" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, lite, atr_lite);
	cpk_pin_state st;

	cr_assert_eq(cpk_token_unblock(t, "87654321", 8, 3, &st), CPK_OK);
	cr_assert_eq(sc.at, 6);
	cpk_token_close(&t);
	t = OPEN(sc, s, atr_s);
	cr_assert_eq(cpk_token_unblock(t, "87654321", 8, 3, &st), CPK_OK);
	cr_assert_eq(st.tries, 10);
	cr_assert_eq(sc.at, 8);
	cpk_token_close(&t);
}

/* verify --legacy-tlv: the 14 bytes an old cpkit stored on an S, sent
 * once behind the same gate; nothing on ECP/Lite, and no family's format
 * counts as confirmed on hardware yet. */
Test(token, legacy_tlv_verify)
{
	static const struct step s[] = {
		{ "00A4000002003F", "9000" },
		{ "80400000", "9000" },
		{ "00200002", "63CA" },
		{ "002000020E" "80020008A508" "3132333435363738", "9000" },
	};
	static const struct step low[] = {
		{ "00A4000002003F", "9000" },
		{ "80400000", "9000" },
		{ "00200002", "63C3" },
	};
	static const struct step none[1] = { { "", "" } };
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_s);
	cpk_pin_state st;

	cr_assert_eq(cpk_token_verify_legacy_tlv(t, CPK_PIN_USER, "12345678",
	    8, 3, &st), CPK_OK);
	cr_assert_eq(st.verified, 1);
	cr_assert_eq(cpk_token_pins_sent(t), 1);
	cpk_token_close(&t);
	t = OPEN(sc, low, atr_s);
	cr_assert_eq(cpk_token_verify_legacy_tlv(t, CPK_PIN_USER, "12345678",
	    8, 3, &st), CPK_E_PIN_LOW);
	cr_assert_eq(cpk_token_pins_sent(t), 0);
	cpk_token_close(&t);
	t = open_with(&sc, none, 0, atr_lite, sizeof(atr_lite));
	cr_assert_eq(cpk_token_verify_legacy_tlv(t, CPK_PIN_USER, "12345678",
	    8, 3, &st), CPK_E_UNSUPPORTED);
	cr_assert_eq(sc.at, 0);
	cpk_token_close(&t);
	cr_assert_eq(cpk_tok_pin_format_confirmed(CPK_TOK_RUTOKEN), 0);
	cr_assert_eq(cpk_tok_pin_format_confirmed(CPK_TOK_RUTOKEN_S), 0);
}

/* change-pin --legacy-tlv on S: the current PIN in the old TLV, the new
 * one raw. */
Test(token, change_pin_legacy_tlv_s)
{
	static const struct step s[] = {
		{ "00A4000002003F", "9000" },
		{ "80400000", "9000" },
		{ "00200002", "63CA" },
		{ "002000020E" "80020008A508" "3132333435363738", "9000" },
		{ "0024010208" "3132333435363738", "9000" },
		{ "00A4000002003F", "9000" },
		{ "80400000", "9000" },
		{ "00200002", "63CA" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_s);
	cpk_pin_state st;

	cr_assert_eq(cpk_token_change_pin_legacy_tlv(t, CPK_PIN_USER,
	    CPK_PIN_USER, "12345678", 8, "12345678", 8, 3, &st), CPK_OK);
	cr_assert_eq(sc.at, 8);
	cpk_token_close(&t);
}

/* FCPs for the walk and probe scripts: Lite/ECP big-endian, a two-byte
 * tag 86 (mode mask 01, then the READ condition: 00 free, 02 user) */
#define DF_1003		"620882023800830210039000"
#define EF_LITE(fid, size, cond) \
	"6210" "8002" size "82020100" "8302" fid "860201" cond "9000"
#define NAME_TEST	"3006160474657374FFFFFFFFFFFFFFFF9000"

Test(token, probe_by_path_when_listing_refused_lite)
{
	/* issue 16 point 3: 1000/1003 will not list (6A 86): CSP's probe
	 * by path, 0A00 and its six EFs, up to the 6A 82 of 0B00 */
	static const struct step s[] = {
		{ "00A40000023F00", "9000" },
		{ "00A40804041000100300", DF_1003 },
		{ "00A4000000", "6A86" },
		{ "00A408040610001003" "0A00" "00", "620882023800830"
		    "20A009000" },
		{ "00A408040810001003" "0A000A01" "00",
		    EF_LITE("0A01", "003C", "02") },
		{ "00A408040810001003" "0A000A02" "00",
		    EF_LITE("0A02", "0046", "02") },
		{ "00A408040810001003" "0A000A03" "00",
		    EF_LITE("0A03", "0500", "00") },
		{ "00A408040810001003" "0A000A04" "00", "6A82" },
		{ "00A408040810001003" "0A000A05" "00", "6A82" },
		{ "00A408040810001003" "0A000A06" "00",
		    EF_LITE("0A06", "0010", "00") },
		{ "00A408040610001003" "0B00" "00", "6A82" },
		/* name.key is free: read as after listing */
		{ "00A408040810001003" "0A000A06" "00",
		    EF_LITE("0A06", "0010", "00") },
		{ "00B0000010", NAME_TEST },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_lite);
	cpk_tok_list l;
	char path[64];

	cr_assert_eq(cpk_token_enum(t, &l), CPK_OK);
	cr_assert_eq(sc.at, sizeof(s) / sizeof(s[0]));
	cr_assert_eq(l.found_by, CPK_FOUND_PROBING);
	cr_assert_eq(l.list_sw, 0x6a86);
	cr_assert_eq(l.truncated, 0);
	cr_assert_eq(l.n, 1);
	cpk_tok_path(&l.v[0], path, sizeof(path));
	cr_assert_str_eq(path, "1000/1003/0A00");
	cr_assert_eq(l.v[0].f[CPK_F_MASKS].present, 1);
	cr_assert_eq(l.v[0].f[CPK_F_MASKS].size, 60);
	cr_assert_eq(l.v[0].f[CPK_F_MASKS].read, CPK_COND_USER);
	cr_assert_eq(l.v[0].f[CPK_F_PRIMARY].size, 70);
	cr_assert_eq(l.v[0].f[CPK_F_HEADER].read, CPK_COND_FREE);
	cr_assert_eq(l.v[0].f[CPK_F_MASKS2].present, 0);
	cr_assert_eq(l.v[0].f[CPK_F_PRIMARY2].present, 0);
	cr_assert_eq(l.v[0].nfiles, 4);
	cr_assert_eq(l.v[0].exportable, 1);
	cr_assert_eq(l.v[0].needs_pin, 1);
	cr_assert_str_eq(l.v[0].name, "test");
	cpk_tok_list_clear(&l);
	cpk_token_close(&t);
}

Test(token, probe_refused_too_is_an_error)
{
	/* listing refused and the probe's path SELECT refused as well:
	 * the list could not be read, which is never success */
	static const struct step s[] = {
		{ "00A40000023F00", "9000" },
		{ "00A40804041000100300", DF_1003 },
		{ "00A4000000", "6D00" },
		{ "00A408040610001003" "0A00" "00", "6A86" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_lite);
	cpk_tok_list l;

	cr_assert_eq(cpk_token_enum(t, &l), CPK_E_CARD);
	cr_assert_eq(sc.at, 4);
	cr_assert_eq(l.n, 0);
	cpk_token_close(&t);
}

Test(token, s_listing_refused_not_probed)
{
	/* Rutoken S: where its containers live is known from one trace
	 * only (TOKENS.md §3), so nothing is probed: an error, and no
	 * APDU after the refusal */
	static const struct step s[] = {
		{ "00A4000002003F", "9000" },
		{ "00A4000000", "6A86" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_s);
	cpk_tok_list l;

	cr_assert_eq(cpk_token_enum(t, &l), CPK_E_CARD);
	cr_assert_eq(sc.at, 2);
	cpk_token_close(&t);
}

/* Rutoken S FCPs: IDs little-endian, tag 86 long enough for the key
 * reference at byte 8 */
#define DF_S(fid)	"6208820238008302" fid "9000"
#define EF_S_NAME	"6217" "80021000" "82020100" "8302060A" \
			"8609010000000000000000" "9000"

Test(token, walk_skips_folders_it_may_not_list)
{
	/* issue 16 point 9: 1000/1001 answers 6982 and 1000/1002 6985 to
	 * list-first; both are recorded, the walk goes on to 0A00 */
	static const struct step s[] = {
		{ "00A4000002003F", "9000" },
		{ "00A4000000", DF_S("0010") },
		{ "00A4000000", DF_S("0110") },
		{ "00A4000000", "6982" },
		{ "00A4030000", DF_S("0010") },
		{ "00A40002020110" "00", DF_S("0210") },
		{ "00A4000000", "6985" },
		{ "00A4030000", DF_S("0010") },
		{ "00A40002020210" "00", "6A82" },
		{ "00A4030000", DF_S("003F") },
		{ "00A40002020010" "00", DF_S("000A") },
		{ "00A4000000", EF_S_NAME },
		{ "00A4000202060A" "00", "6A82" },
		{ "00A4030000", DF_S("003F") },
		{ "00A4000202000A" "00", "6A82" },
		{ "00A4080004000A060A00", EF_S_NAME },
		{ "00B0000010", NAME_TEST },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_s);
	cpk_tok_list l;
	char path[64];

	cr_assert_eq(cpk_token_enum(t, &l), CPK_OK);
	cr_assert_eq(sc.at, sizeof(s) / sizeof(s[0]));
	cr_assert_eq(l.found_by, CPK_FOUND_LISTING);
	cr_assert_eq(l.nskipped, 2);
	cpk_tok_fids(l.skipped[0].path, l.skipped[0].depth, path,
	    sizeof(path));
	cr_assert_str_eq(path, "1000/1001");
	cr_assert_eq(l.skipped[0].sw, 0x6982);
	cpk_tok_fids(l.skipped[1].path, l.skipped[1].depth, path,
	    sizeof(path));
	cr_assert_str_eq(path, "1000/1002");
	cr_assert_eq(l.skipped[1].sw, 0x6985);
	cr_assert_eq(l.n, 1);
	cpk_tok_path(&l.v[0], path, sizeof(path));
	cr_assert_str_eq(path, "0A00");
	cr_assert_str_eq(l.v[0].name, "test");
	cpk_tok_list_clear(&l);
	cpk_token_close(&t);
}

Test(token, walk_other_refusal_still_aborts)
{
	/* only 6982/6985/6986 mean "closed folder": 6A86 in a sub-DF is a
	 * card cpkit does not understand, and the list is not read */
	static const struct step s[] = {
		{ "00A4000002003F", "9000" },
		{ "00A4000000", DF_S("0010") },
		{ "00A4000000", "6A86" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_s);
	cpk_tok_list l;

	cr_assert_eq(cpk_token_enum(t, &l), CPK_E_CARD);
	cr_assert_eq(sc.at, 3);
	cpk_token_close(&t);
}

/* ---- where a token failure happened (issue 17 §3) ---- */

static const char *
where_of(const cpk_token *t, char *buf, size_t cap)
{
	cpk_where w;

	cr_assert_eq(cpk_token_where(t, &w), 1, "no failure recorded");
	return cpk_where_text(&w, buf, cap);
}

Test(token, where_refused_select)
{
	static const struct step s[] = {
		{ "00A40000023F00", "9000" },
		{ "00A40804041000100300", DF_1003 },
		{ "00A4000000", "6D00" },
		{ "00A408040610001003" "0A00" "00", "6A86" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_lite);
	cpk_tok_list l;
	cpk_where w;
	char text[160];

	cr_assert_eq(cpk_token_enum(t, &l), CPK_E_CARD);
	cr_assert_eq(cpk_token_where(t, &w), 1);
	cr_assert_str_eq(w.op, "SELECT");
	cr_assert_str_eq(w.path, "1000/1003/0A00");
	cr_assert_eq(w.has_sw, 1);
	cr_assert_eq(w.sw, 0x6a86);
	cr_assert_eq(w.has_pcsc, 0);
	cr_assert_str_eq(cpk_where_text(&w, text, sizeof(text)),
	    "SELECT 1000/1003/0A00: SW 6A86 (incorrect parameters P1-P2)");
	cpk_token_close(&t);
}

Test(token, where_refused_listing)
{
	/* a sub-DF that answers list-first with 6A86: the folder listed */
	static const struct step s[] = {
		{ "00A4000002003F", "9000" },
		{ "00A4000000", DF_S("0010") },
		{ "00A4000000", "6A86" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_s);
	cpk_tok_list l;
	char text[160];

	cr_assert_eq(cpk_token_enum(t, &l), CPK_E_CARD);
	cr_assert_str_eq(where_of(t, text, sizeof(text)),
	    "list-first 1000: SW 6A86 (incorrect parameters P1-P2)");
	cpk_token_close(&t);
}

Test(token, where_refused_read_names_the_file)
{
	static const struct step s[] = {
		{ "00A408040810001003" "0A000A06" "00",
		    EF_LITE("0A06", "0010", "00") },
		{ "00B0000010", "6B00" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_lite);
	cpk_tok_cont c;
	cpk_files *f = NULL;
	char text[160];

	memset(&c, 0, sizeof(c));
	c.path[0] = 0x1000;
	c.path[1] = 0x1003;
	c.path[2] = 0x0a00;
	c.depth = 3;
	c.f[CPK_F_NAME].present = 1;
	cr_assert_eq(cpk_token_read(t, &c, &f), CPK_OK);
	cr_assert_eq(f->err[CPK_F_NAME], CPK_E_CARD);
	cr_assert_str_eq(where_of(t, text, sizeof(text)), "READ BINARY "
	    "1000/1003/0A00/0A06: SW 6B00 (wrong parameters (offset outside "
	    "the EF))");
	cpk_files_free(&f);
	cpk_token_close(&t);
}

Test(token, where_is_the_last_command)
{
	/* the failed SELECT of 1000/1003 is followed by a good SELECT MF;
	 * then 6A82 ends the listing and is the last failure; a good
	 * GET DATA after it clears it */
	static const struct step s[] = {
		{ "00A40000023F00", "9000" },
		{ "00A40804041000100300", "6A82" },
		{ "00A40000023F00", "9000" },
		{ "00A4000000", "6A82" },
		{ "00CA018100", "00000000123456789000" },
	};
	struct script sc;
	cpk_token *t = OPEN(sc, s, atr_lite);
	cpk_tok_list l;
	cpk_where w;
	char hex[16];
	unsigned long num;

	cr_assert_eq(cpk_token_enum(t, &l), CPK_OK);
	cr_assert_eq(l.n, 0);
	cr_assert_eq(cpk_token_where(t, &w), 1);
	cr_assert_str_eq(w.op, "list-first");
	cr_assert_str_eq(w.path, "3F00");
	cr_assert_eq(w.sw, 0x6a82);
	cr_assert_eq(cpk_token_serial(t, hex, sizeof(hex), &num), CPK_OK);
	cr_assert_eq(cpk_token_where(t, &w), 0);
	cr_assert_null(w.op);
	cr_assert_eq(w.has_sw, 0);
	cpk_tok_list_clear(&l);
	cpk_token_close(&t);
}

/* a PC/SC transmit that fails: the raw code comes from the transport */
static cpk_err
gone_tx(void *ctx, const unsigned char *cmd, size_t len,
    unsigned char *resp, size_t *resp_len)
{
	(void)ctx;
	(void)cmd;
	(void)len;
	(void)resp;
	(void)resp_len;
	return CPK_E_CARD_REMOVED;
}

static unsigned long
gone_status(void *ctx)
{
	(void)ctx;
	return 0x80100069UL;	/* SCARD_W_REMOVED_CARD */
}

Test(token, where_pcsc_code)
{
	cpk_transport tr = { gone_tx, NULL, NULL, gone_status };
	cpk_token *t = NULL;
	cpk_tok_list l;
	char text[160];

	cr_assert_eq(cpk_token_open(&tr, atr_lite, sizeof(atr_lite), &t),
	    CPK_OK);
	cr_assert_eq(cpk_token_enum(t, &l), CPK_E_CARD_REMOVED);
	cr_assert_str_eq(where_of(t, text, sizeof(text)),
	    "SELECT 3F00: PC/SC code 0x80100069");
	cpk_token_close(&t);
}
