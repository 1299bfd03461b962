/* Malformed input to the four decoders: each row {decoder, bytes, the
 * exact cpk_err of the failing layer} (STYLE.md §7, §14). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "helpers.h"
#include "internal.h"

/* ---- malformed input: {decoder, bytes, exact error} (STYLE.md §14) ---- */

#define Z4	"00000000"
#define Z12	Z4 Z4 Z4
#define Z32	Z4 Z4 Z4 Z4 Z4 Z4 Z4 Z4
#define NEST5	"30803080308030803080"	/* 5 indefinite SEQUENCEs */
#define EOC5	"00000000000000000000"	/* and their 00 00 */
#define NEST16	NEST5 NEST5 NEST5 "3080"	/* 16 levels */
#define EOC16	EOC5 EOC5 EOC5 "0000"
#define U8	"0500050005000500" "0500050005000500"	/* 8 NULLs */
/* a minimal V2 header of §6.4's pieces; H_PARAMS is g2001's */
#define H_ALG	"a00a06082a85030202250201"
#define H_ATTRS	"030206c0"
#define H_PARAMS "3022030205a0a01c06062a8503020262301206072a8503020224" \
		"0006072a850302021e01"
#define H_FP	"8a0891e604e1730a0b4b"
#define H_MAC	"0404c4f0371b"
#define MASKS_BODY "0420" Z32 "040c" Z12 "0404" Z4

struct bad {
	const char	*what;
	enum dec	 dec;
	const char	*hex;
	cpk_err		 want;
};

static const struct bad bad[] = {
	{ "empty header", D_HEADER, "", CPK_E_EMPTY },
	{ "empty masks", D_MASKS, "", CPK_E_EMPTY },
	{ "empty primary", D_PRIMARY, "", CPK_E_EMPTY },
	{ "empty name", D_NAME, "", CPK_E_EMPTY },
	{ "tag only", D_HEADER, "30", CPK_E_TRUNCATED },
	{ "long length cut", D_MASKS, "308200", CPK_E_TRUNCATED },
	{ "contents cut", D_PRIMARY, "30220420" Z4, CPK_E_TRUNCATED },
	{ "name cut", D_NAME, "300716056732", CPK_E_TRUNCATED },
	{ "indefinite, no 00 00", D_HEADER, "30803000" H_MAC, CPK_E_TRUNCATED },
	{ "indefinite, half 00 00", D_HEADER, "30803000" H_MAC "00",
	  CPK_E_TRUNCATED },
	{ "inner length past the root", D_MASKS, "30060420" Z4,
	  CPK_E_TRUNCATED },
	/* the file holds the 32 bytes, the enclosing object does not */
	{ "inner length past the root, file long enough", D_PRIMARY,
	  "30040420" Z32, CPK_E_TRUNCATED },
	{ "content past the root", D_HEADER, "30083010" Z4 Z4,
	  CPK_E_TRUNCATED },
	{ "4-byte length past the end", D_MASKS, "3084ffffffff",
	  CPK_E_TRUNCATED },
	{ "mac missing", D_MASKS, "30300420" Z32 "040c" Z12, CPK_E_TRUNCATED },
	{ "header mac missing", D_HEADER, "30023000", CPK_E_TRUNCATED },
	{ "5 length bytes", D_MASKS, "30850000000036" MASKS_BODY,
	  CPK_E_LENGTH },
	{ "5 length bytes, header", D_HEADER, "3085000000000a", CPK_E_LENGTH },
	{ "127 length bytes", D_PRIMARY, "30ff", CPK_E_LENGTH },
	{ "indefinite primitive", D_MASKS, "3006048000000000", CPK_E_LENGTH },
	{ "high tag root", D_HEADER, "1f0100", CPK_E_TAG },
	{ "high tag inner", D_MASKS, "30033f0100", CPK_E_TAG },
	{ "high tag, name", D_NAME, "5f0100", CPK_E_TAG },
	/* 16 levels below the root are walked; the 17th is refused */
	{ "17 indefinite levels", D_MASKS, NEST16 "3080" "0000" EOC16,
	  CPK_E_TAG },
	{ "18 indefinite levels", D_MASKS, NEST16 "30803080" "00000000" EOC16,
	  CPK_E_DEPTH },
	{ "18 indefinite levels, header", D_HEADER,
	  NEST16 "30803080" "00000000" EOC16, CPK_E_DEPTH },
	{ "18 indefinite levels, name", D_NAME,
	  NEST16 "30803080" "00000000" EOC16, CPK_E_DEPTH },
	{ "wrong root tag, header", D_HEADER, "3100", CPK_E_TAG },
	{ "wrong root tag, masks", D_MASKS, "3136" MASKS_BODY, CPK_E_TAG },
	{ "wrong root tag, primary", D_PRIMARY, "04220420" Z32, CPK_E_TAG },
	{ "wrong root tag, name", D_NAME, "3103160141", CPK_E_TAG },
	/* ESMART's leading 01 is the token layer's to strip (§2.1) */
	{ "leading 01 marker", D_MASKS, "013036" MASKS_BODY, CPK_E_TAG },
	{ "31-byte mask", D_MASKS, "3035041f" Z4 Z4 Z4 Z4 Z4 Z4 Z4 "000000"
	  "040c" Z12 "0404" Z4, CPK_E_LENGTH },
	{ "33-byte mask", D_MASKS, "30370421" Z32 "00" "040c" Z12 "0404" Z4,
	  CPK_E_LENGTH },
	{ "11-byte salt", D_MASKS, "30350420" Z32 "040b" Z4 Z4 "000000"
	  "0404" Z4, CPK_E_LENGTH },
	{ "5-byte masks MAC", D_MASKS, "30370420" Z32 "040c" Z12 "0405" Z4 "00",
	  CPK_E_LENGTH },
	{ "salt as [0]", D_MASKS, "30360420" Z32 "800c" Z12 "0404" Z4,
	  CPK_E_TAG },
	{ "fourth masks element", D_MASKS, "3038" MASKS_BODY "0500",
	  CPK_E_FORMAT },
	{ "indefinite masks", D_MASKS, "3080" MASKS_BODY "0000", CPK_OK },
	{ "4-byte non-minimal length", D_MASKS, "308400000036" MASKS_BODY,
	  CPK_OK },
	/* definite nesting is not walked: only the fixed shape is read */
	{ "definite nesting", D_MASKS, "300a3008300630043002300000",
	  CPK_E_TAG },
	{ "33-byte key", D_PRIMARY, "30230421" Z32 "00", CPK_E_LENGTH },
	{ "31-byte key", D_PRIMARY, "3021041f" Z4 Z4 Z4 Z4 Z4 Z4 Z4 "000000",
	  CPK_E_LENGTH },
	{ "extra primary element", D_PRIMARY, "30240420" Z32 "0500",
	  CPK_E_FORMAT },
	{ "two keys", D_PRIMARY, "30440420" Z32 "8020" Z32, CPK_OK },
	{ "old-format hmacKey", D_PRIMARY, "30280420" Z32 "0404" Z4, CPK_OK },
	{ "minimal V2 header", D_HEADER, "3046303e" H_ALG H_ATTRS H_PARAMS
	  H_FP H_MAC, CPK_OK },
	{ "header root with a third element", D_HEADER, "300a3000" H_MAC "0500",
	  CPK_E_UNSUPPORTED },
	{ "header missing attributes", D_HEADER, "3042303a" H_ALG H_PARAMS
	  H_FP H_MAC, CPK_E_FORMAT },
	{ "header missing key parameters", D_HEADER, "3022301a" H_ALG H_ATTRS
	  H_FP H_MAC, CPK_E_FORMAT },
	/* fields are walked in §6.2 order: attributes after params is late */
	{ "attributes after params", D_HEADER, "30303028" H_PARAMS H_ATTRS
	  H_MAC, CPK_E_FORMAT },
	{ "header MAC of 3 bytes", D_HEADER, "300730000403000000",
	  CPK_E_LENGTH },
	{ "content not a SEQUENCE", D_HEADER, "30083100" H_MAC, CPK_E_TAG },
	{ "8 unused bits", D_HEADER, "3046303e" H_ALG "030208c0" H_PARAMS
	  H_FP H_MAC, CPK_E_FORMAT },
	/* optional fields: noted, the header still read (FORMATS.md §2.1;
	 * optional_damage_is_noted below) */
	{ "7-byte fingerprint", D_HEADER, "3045303d" H_ALG H_ATTRS H_PARAMS
	  "8a0791e604e1730a0b" H_MAC, CPK_OK },
	{ "OID ends in a continuation byte", D_HEADER, "3035302da003060180"
	  H_ATTRS H_PARAMS H_MAC, CPK_OK },
	{ "32 header elements", D_HEADER, "306c3064" H_ATTRS H_PARAMS U8 U8 U8
	  "050005000500050005000500" H_MAC, CPK_OK },
	{ "33 header elements", D_HEADER, "306e3066" H_ATTRS H_PARAMS U8 U8 U8
	  "0500050005000500050005000500" H_MAC, CPK_E_RANGE },
	{ "key validity with critical", D_HEADER, "3056304e" H_ATTRS H_PARAMS
	  "ac24302206082a8503020225030a0101ff04133011810f3230323030373031313435"
	  "3731305a" H_MAC, CPK_OK },
	{ "NUL in name", D_NAME, "3005160361" "0062", CPK_E_FORMAT },
	{ "control byte in name", D_NAME, "300316011f", CPK_E_FORMAT },
	{ "DEL in name", D_NAME, "300316017f", CPK_E_FORMAT },
	{ "empty name string", D_NAME, "30021600", CPK_E_EMPTY },
	{ "name as OCTET STRING", D_NAME, "3003040141", CPK_E_TAG },
	{ "byte undefined in CP1251", D_NAME, "3003160198", CPK_E_RANGE },
	{ "UTF8String name", D_NAME, "30030c0141", CPK_OK },
};
#define NBAD	(sizeof(bad) / sizeof(bad[0]))

static unsigned char inbuf[4096];

static size_t
row_bytes(const char *hex)
{
	size_t n = unhex(hex, inbuf, sizeof(inbuf));

	cr_assert_eq(2 * n, strlen(hex), "odd or too long hex: %s", hex);
	return n;
}

ParameterizedTestParameters(codec_malformed, table)
{
	static int idx[NBAD];

	for (size_t i = 0; i < NBAD; i++)
		idx[i] = (int)i;
	return cr_make_param_array(int, idx, NBAD);
}

ParameterizedTest(int *i, codec_malformed, table)
{
	const struct bad *b = &bad[*i];
	size_t n = row_bytes(b->hex);
	cpk_err r = decode_as(b->dec, inbuf, n);

	cr_assert_eq(r, b->want, "%s: got %s, want %s", b->what,
	    cpk_err_name(r), cpk_err_name(b->want));
}

/*
 * Regressions found while writing these tests: cpk_tlv_expect() used to
 * leave the cursor inside a malformed element, so a damaged optional tail
 * of primary.key or a broken `critical` BOOLEAN was taken for "absent" and
 * dropped by the next encode; cpk_name_decode() mapped every error to
 * CPK_E_TAG. A malformed optional element is now an error - in
 * header.key, an error of that field alone (FORMATS.md §2.1, issue 15):
 * the header is read, the field named, its bytes kept, never dropped.
 */
static const struct bad regression[] = {
	{ "primary: [0] secondaryKey cut after its tag", D_PRIMARY,
	  "30230420" Z32 "80", CPK_E_TRUNCATED },
	{ "primary: [0] secondaryKey length past the root", D_PRIMARY,
	  "30250420" Z32 "80050000", CPK_E_TRUNCATED },
	{ "primary: hmacKey length past the root", D_PRIMARY,
	  "30240420" Z32 "0405", CPK_E_TRUNCATED },
	{ "header: extension BOOLEAN length past its SEQUENCE", D_HEADER,
	  "3044303c" H_ATTRS H_PARAMS "ac12301006082a8503020225030a0105"
	  "04023000" H_MAC, CPK_OK },
	{ "name: string length past the root", D_NAME, "3003160541",
	  CPK_E_TRUNCATED },
	{ "name: no name element", D_NAME, "3000", CPK_E_TRUNCATED },
};
#define NBUG	(sizeof(regression) / sizeof(regression[0]))

ParameterizedTestParameters(codec_regression, table)
{
	static int idx[NBUG];

	for (size_t i = 0; i < NBUG; i++)
		idx[i] = (int)i;
	return cr_make_param_array(int, idx, NBUG);
}

ParameterizedTest(int *i, codec_regression, table)
{
	const struct bad *b = &regression[*i];
	size_t n = row_bytes(b->hex);
	cpk_err r = decode_as(b->dec, inbuf, n);

	cr_assert_eq(r, b->want, "%s: got %s, want %s", b->what,
	    cpk_err_name(r), cpk_err_name(b->want));
}

/* The optional header fields of the rows above that no longer fail the
 * header: each is named, and the header re-encodes with its bytes. */
Test(codec_malformed, optional_damage_is_noted)
{
	static const struct {
		const char *hex, *field;
	} rows[] = {
		{ "3045303d" H_ALG H_ATTRS H_PARAMS "8a0791e604e1730a0b" H_MAC,
		  "primaryFP" },
		{ "3035302da003060180" H_ATTRS H_PARAMS H_MAC,
		  "containerAlgoritmIdentifier" },
		{ "3044303c" H_ATTRS H_PARAMS "ac12301006082a8503020225030a0105"
		  "04023000" H_MAC, "extension 1.2.643.2.2.37.3.10" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t n = row_bytes(rows[i].hex);
		cpk_header *h = NULL;
		cpk_blob *e = NULL;
		cpk_err why;

		cr_assert_eq(cpk_header_decode(inbuf, n, &h), CPK_OK);
		cr_assert_eq(cpk_header_unreadable_count(h), 1);
		cr_assert_str_eq(cpk_header_unreadable(h, 0, &why),
		    rows[i].field);
		cr_assert_neq(why, CPK_OK);
		cr_assert_eq(cpk_header_encode(h, &e), CPK_OK);
		cr_assert_eq(e->len, n);
		cr_assert_eq(memcmp(e->ptr, inbuf, n), 0);
		cpk_blob_free(&e);
		cpk_header_free(&h);
	}
}
