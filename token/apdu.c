/* What a token's bytes mean, with no card attached: the ATR table
 * (TOKENS.md §9.1), the FCP of a file and its READ condition (§5), and
 * status words (§4.3). Everything here reads untrusted bytes through a
 * cpk_cur and is fuzzed by tests/fuzz/fuzz_apdu.c. */
#include <string.h>

#include "token_int.h"

/* mask: NULL for an exact ATR; else one hex byte per ATR byte, 00 where
 * any value matches, FF where the byte must be equal - the masks of
 * OpenSC's card-rtecp.c, for the ECP SC and Lite SC cards whose early
 * interface bytes vary (§9.1). The length must always be equal. */
struct atr_entry {
	const char	*hex;		/* upper-case hex, as §9.1 prints it */
	const char	*mask;
	cpk_tok_model	 model;
};

#define RUTOKEN_PINS	"12345678", "87654321"
static const struct atr_entry atrs[] = {
	{ "3B6F00FF00567275546F6B6E73302000009000", NULL,
	    { "Rutoken S", CPK_TOK_RUTOKEN_S, RUTOKEN_PINS } },
	{ "3B6F00FF00567561546F6B6E73302000009000", NULL,
	    { "uaToken S", CPK_TOK_RUTOKEN_S, RUTOKEN_PINS } },
	{ "3B8B015275746F6B656E20445320C1", NULL,
	    { "Rutoken ECP 2.0/3.0 (DS)", CPK_TOK_RUTOKEN, RUTOKEN_PINS } },
	{ "3B8B015275746F6B656E20454350A0", NULL,
	    { "Rutoken ECP", CPK_TOK_RUTOKEN, RUTOKEN_PINS } },
	{ "3B8B015275746F6B656E6C697465C2", NULL,
	    { "Rutoken Lite", CPK_TOK_RUTOKEN, RUTOKEN_PINS } },
	{ "3B8B005275746F6B656E6C745344E3", NULL,
	    { "Rutoken Lite SD", CPK_TOK_RUTOKEN, RUTOKEN_PINS } },
	{ "3B9E96005275746F6B656E4C697465534332",
	    "00000000FFFFFFFFFFFFFFFFFFFFFFFFFFFF",
	    { "Rutoken Lite SC", CPK_TOK_RUTOKEN, RUTOKEN_PINS } },
	{ "3B8B015275746F6B656E44534254D7", NULL,
	    { "Rutoken ECP Bluetooth", CPK_TOK_RUTOKEN, RUTOKEN_PINS } },
	{ "3B8B01527450494E5061642020329C", NULL,
	    { "Rutoken PINPad", CPK_TOK_RUTOKEN, RUTOKEN_PINS } },
	/* exact before masked: the T=1 mask below also covers this one,
	 * and the first match wins */
	{ "3B9C978011405275746F6B656E4543507363C0", NULL,
	    { "Rutoken ECP 3.0 NFC", CPK_TOK_RUTOKEN, RUTOKEN_PINS } },
	{ "3B9C96005275746F6B656E4543507363",
	    "00000000FFFFFFFFFFFFFFFFFFFFFFFF",
	    { "Rutoken ECP SC (T=0)", CPK_TOK_RUTOKEN, RUTOKEN_PINS } },
	{ "3B9C948011405275746F6B656E4543507363C3",
	    "000000000000FFFFFFFFFFFFFFFFFFFFFFFF00",
	    { "Rutoken ECP SC (T=1)", CPK_TOK_RUTOKEN, RUTOKEN_PINS } },
	{ "3B88800152745343778183206A",
	    "00000000FFFFFFFF0000000000",
	    { "Rutoken ECP 3.0 NFC", CPK_TOK_RUTOKEN, RUTOKEN_PINS } },
	{ "3B8C8001505C4B71A152745343778183D9", NULL,
	    { "Rutoken ECP 3.0", CPK_TOK_RUTOKEN, RUTOKEN_PINS } },
	{ "3B88800152744D430081C10061", NULL,
	    { "Rutoken 2151 smart card", CPK_TOK_OTHER, RUTOKEN_PINS } },
	{ "3B781300007275746F6B656E6D", NULL,
	    { "Rutoken Micron", CPK_TOK_OTHER, NULL, NULL } },
	{ "3B7A1300007275746F6B656E6D7363", NULL,
	    { "Rutoken Mikron SC", CPK_TOK_OTHER, NULL, NULL } },
	{ "3B9896008031C072F7418107", NULL,
	    { "Rutoken Magistra", CPK_TOK_OTHER, NULL, NULL } },
	{ "3B88014B415A544F4B454E82", NULL,
	    { "KAZTOKEN", CPK_TOK_KAZTOKEN, "12345678", NULL } },
	{ "3B9896004B415A544F4B454E", NULL,
	    { "KAZTOKEN SC", CPK_TOK_KAZTOKEN, "12345678", NULL } },
	{ "3B7C95000045534D415254474F53543130", NULL,
	    { "ESMART Token GOST", CPK_TOK_ESMART, "12345678", "12345678" } },
	{ "3B9796008073F7C1808105", NULL,
	    { "ESMART Token (bank)", CPK_TOK_ESMART, "12345678", "12345678" } },
	{ "3BBE9600004206210000000000000000009000", NULL,
	    { "ESMART Token", CPK_TOK_ESMART, "12345678", "12345678" } },
	{ "3BDC18FF8111FE8073C82113660106013080018D", NULL,
	    { "JaCarta LT", CPK_TOK_JACARTA, "1234567890", NULL } },
	{ "3BDC18FF8191FE1FC38073C821136601061159000128", NULL,
	    { "JaCarta (PKI / GOST / LT)", CPK_TOK_JACARTA, "11111111",
	    "00000000" } },
	{ "3BD518008131FE7D8073C82110F4", NULL,
	    { "JaCarta PRO / eToken (Java)", CPK_TOK_ETOKEN, "1234567890",
	    NULL } },
	{ "3BD5180081313A7D8073C8211030", NULL,
	    { "eToken PRO (72K Java)", CPK_TOK_ETOKEN, "1234567890", NULL } },
	{ "3BE200FFC11031FE55C8029C", NULL,
	    { "eToken PRO", CPK_TOK_ETOKEN, "1234567890", NULL } },
	{ "3BBE1800004206110000000000000000009000", NULL,
	    { "eToken nano", CPK_TOK_ETOKEN, "1234567890", NULL } },
	{ "3B811F00CC52", NULL,
	    { "eToken R2", CPK_TOK_ETOKEN, "1234567890", NULL } },
	{ "3B90160187", NULL,
	    { "BIFIT iBank2key", CPK_TOK_OTHER, NULL, NULL } },
};

static const cpk_tok_model unknown_model = {
	"unknown token", CPK_TOK_UNKNOWN, NULL, NULL
};

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static unsigned
hexbyte(const char *p)
{
	return (unsigned)(hexval(p[0]) << 4 | hexval(p[1]));
}

/* The table keeps the ATRs as hex, as §9.1 prints them, so that they
 * can be checked against it by eye. A masked entry compares ATR & mask
 * with entry & mask, as OpenSC's _sc_match_atr() does. */
static int
atr_equal(const struct atr_entry *e, const unsigned char *atr, size_t len)
{
	size_t i = 0;

	for (const char *p = e->hex; p[0] != '\0' && p[1] != '\0'; p += 2,
	    i++) {
		unsigned m = e->mask != NULL ? hexbyte(e->mask + 2 * i) : 0xff;

		if (i >= len || (atr[i] & m) != (hexbyte(p) & m))
			return 0;
	}
	return i == len;
}

const cpk_tok_model *
cpk_atr_model(const unsigned char *atr, size_t len)
{
	for (size_t i = 0; i < sizeof(atrs) / sizeof(atrs[0]); i++)
		if (atr_equal(&atrs[i], atr, len))
			return &atrs[i].model;
	return &unknown_model;
}

const char *
cpk_tok_family_name(enum cpk_tok_family f)
{
	static const char *const names[] = { "unknown", "rutoken",
	    "rutoken-s", "kaztoken", "jacarta", "etoken", "esmart", "other" };

	return (size_t)f < sizeof(names) / sizeof(names[0]) ? names[f] :
	    "unknown";
}

int
cpk_tok_family_readable(enum cpk_tok_family f)
{
	return f == CPK_TOK_RUTOKEN || f == CPK_TOK_RUTOKEN_S;
}

const char *
cpk_tok_cond_name(enum cpk_tok_cond c)
{
	switch (c) {
	case CPK_COND_FREE:
		return "free";
	case CPK_COND_USER:
		return "user-pin";
	case CPK_COND_ADMIN:
		return "admin-pin";
	case CPK_COND_NEVER:
		return "never";
	case CPK_COND_UNKNOWN:
		break;
	}
	return "unknown";
}

static enum cpk_tok_cond
cond_of(unsigned method, unsigned key_ref)
{
	if (method == 0x00)
		return CPK_COND_FREE;
	if (method == 0xff)
		return CPK_COND_NEVER;
	return key_ref == 0x01 ? CPK_COND_ADMIN : key_ref == 0x02 ?
	    CPK_COND_USER : CPK_COND_UNKNOWN;
}

/* Tag 86: 15 bytes on Lite/ECP (mode mask, then the condition of mode k
 * at byte 1 + k, the condition being the PIN reference; OpenSC's
 * card-rtecp.c), 40 bytes on Rutoken S (method at byte 1 + k, key
 * reference at byte 8 + 4k; card-rutoken.c). READ is mode 0 of an EF, so
 * byte 1 either way, valid only when mask bit 0 is set (TOKENS.md §5). */
static enum cpk_tok_cond
read_cond(const cpk_cur *v, int swapped)
{
	const unsigned char *b = v->p;

	if (swapped) {
		if (v->left < 9 || (b[0] & 1) == 0)
			return CPK_COND_UNKNOWN;
		return cond_of(b[1], b[8]);
	}
	if (v->left < 2 || (b[0] & 1) == 0)
		return CPK_COND_UNKNOWN;
	return cond_of(b[1], b[1]);
}

static unsigned
two_bytes(const cpk_cur *v, int swapped)
{
	return swapped ? (unsigned)v->p[1] << 8 | v->p[0] :
	    (unsigned)v->p[0] << 8 | v->p[1];
}

cpk_err
cpk_fcp_parse(const unsigned char *b, size_t len, int swapped, cpk_fcp *out)
{
	cpk_cur c = { b, len }, in;
	cpk_tlv t;
	int have_fid = 0, have_type = 0;
	cpk_err r;

	memset(out, 0, sizeof(*out));
	out->read = CPK_COND_UNKNOWN;
	if ((r = cpk_tlv_expect(&c, 0x62, &t)) != CPK_OK || t.indefinite)
		return CPK_E_FORMAT;
	in = t.val;
	while (in.left > 0) {
		if (cpk_tlv_next(&in, &t) != CPK_OK || t.indefinite)
			return CPK_E_FORMAT;
		switch (t.tag) {
		case 0x80:
			if (t.val.left != 2)
				return CPK_E_FORMAT;
			out->size = two_bytes(&t.val, swapped);
			break;
		case 0x82:
			if (t.val.left < 1)
				return CPK_E_FORMAT;
			out->is_df = t.val.p[0] == 0x38;
			have_type = 1;
			break;
		case 0x83:
			if (t.val.left != 2)
				return CPK_E_FORMAT;
			out->fid = two_bytes(&t.val, swapped);
			memcpy(out->fid_raw, t.val.p, 2);
			have_fid = 1;
			break;
		case 0x86:
			out->read = read_cond(&t.val, swapped);
			break;
		default:		/* 81, 8A and the rest: not needed */
			break;
		}
	}
	return have_fid && have_type ? CPK_OK : CPK_E_FORMAT;
}

cpk_err
cpk_sw_err(unsigned sw)
{
	return cpk_sw_lookup(sw);	/* the table in sw.c */
}
