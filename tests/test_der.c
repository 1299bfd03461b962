/* The DER writer and OID text <-> bytes (FORMATS.md §7, §8.1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "helpers.h"
#include "internal.h"

/* ---- DER writer and OIDs (§7, §8.1) ---- */

Test(codec_der, put_bits_table)
{
	static const struct { unsigned bits; const char *der; } t[] = {
		{ 0, "030100" },
		{ 1u << 0, "03020780" },
		{ 1u << 0 | 1u << 1, "030206c0" },
		{ 1u << 1, "03020640" },
		{ 1u << 2, "03020520" },
		{ 1u << 0 | 1u << 2, "030205a0" },
		{ 1u << 7, "03020001" },
		{ 1u << 8, "0303070080" },
		{ 1u << 31, "030500" "00000001" },
	};
	cpk_blob *b = NULL;
	cpk_cur c;
	unsigned got;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cr_assert_eq(cpk_blob_new(NULL, 0, &b), CPK_OK);
		cr_assert_eq(cpk_der_put_bits(b, t[i].bits), CPK_OK);
		cr_assert_str_eq(hexs(b->ptr, b->len), t[i].der, "bits %#x",
		    t[i].bits);
		c.p = b->ptr + 2;
		c.left = b->len - 2;
		cr_assert_eq(cpk_bits_decode(&c, &got), CPK_OK);
		cr_assert_eq(got, t[i].bits);
		cpk_blob_free(&b);
	}
	/* a reader ignores bits inside the unused count (§8.1) */
	c.p = (const unsigned char *)"\x06\xc1";
	c.left = 2;
	cr_assert_eq(cpk_bits_decode(&c, &got), CPK_OK);
	cr_assert_eq(got, 3);
}

Test(codec_der, put_hdr_lengths)
{
	static const struct { size_t len; const char *hdr; } t[] = {
		{ 0, "0400" }, { 0x7f, "047f" }, { 0x80, "048180" },
		{ 0xff, "0481ff" }, { 0x100, "04820100" },
		{ 0xffff, "0482ffff" }, { 0x10000, "0483010000" },
	};
	cpk_blob *b = NULL;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cr_assert_eq(cpk_blob_new(NULL, 0, &b), CPK_OK);
		cr_assert_eq(cpk_der_put_hdr(b, 0x04, t[i].len), CPK_OK);
		cr_assert_str_eq(hexs(b->ptr, b->len), t[i].hdr);
		cpk_blob_free(&b);
	}
	cr_assert_eq(cpk_blob_new(NULL, 0, &b), CPK_OK);
	cr_assert_eq(cpk_der_put_hdr(b, 0x04, 0x1000000), CPK_E_RANGE);
	cpk_blob_free(&b);
}

/* Every OID of FORMATS.md §7 with the DER given there (NULL: none given,
 * round trip only). */
static const struct { const char *text, *der; } oids[] = {
	{ "1.2.643.2.2.37.2.1", "06082a85030202250201" },
	{ "1.2.643.2.2.37.2", "06072a850302022502" },
	{ "1.2.643.2.2.37.2.2", "06082a85030202250202" },
	{ "1.2.643.2.2.37.1", "06072a850302022501" },
	{ "1.2.643.2.2.19", "06062a8503020213" },
	{ "1.2.643.2.2.98", "06062a8503020262" },
	{ "1.2.643.7.1.1.1.1", "06082a85030701010101" },
	{ "1.2.643.7.1.1.6.1", "06082a85030701010601" },
	{ "1.2.643.7.1.1.1.2", "06082a85030701010102" },
	{ "1.2.643.7.1.1.6.2", "06082a85030701010602" },
	{ "1.2.643.2.2.35.1", "06072a850302022301" },
	{ "1.2.643.2.2.35.2", "06072a850302022302" },
	{ "1.2.643.2.2.35.3", "06072a850302022303" },
	{ "1.2.643.2.2.36.0", "06072a850302022400" },
	{ "1.2.643.2.2.36.1", "06072a850302022401" },
	{ "1.2.643.7.1.2.1.1.1", "06092a8503070102010101" },
	{ "1.2.643.7.1.2.1.1.2", "06092a8503070102010102" },
	{ "1.2.643.7.1.2.1.1.3", "06092a8503070102010103" },
	{ "1.2.643.7.1.2.1.1.4", "06092a8503070102010104" },
	{ "1.2.643.7.1.2.1.2.1", "06092a8503070102010201" },
	{ "1.2.643.7.1.2.1.2.2", "06092a8503070102010202" },
	{ "1.2.643.7.1.2.1.2.3", "06092a8503070102010203" },
	{ "1.2.643.2.2.30.1", "06072a850302021e01" },
	{ "1.2.643.7.1.1.2.2", "06082a85030701010202" },
	{ "1.2.643.7.1.1.2.3", "06082a85030701010203" },
	{ "1.2.643.2.2.30.0", "06072a850302021e00" },
	{ "1.2.643.2.2.31.1", "06072a850302021f01" },
	{ "1.2.643.7.1.2.5.1.1", "06092a8503070102050101" },
	{ "1.2.643.2.2.37.3.1", "06082a85030202250301" },
	{ "1.2.643.2.2.37.3.10", "06082a8503020225030a" },
	{ "1.2.643.2.2.35.0", NULL }, { "1.2.643.7.1.2.1.2.0", NULL },
	{ "1.2.643.2.2.31.0", NULL }, { "1.2.643.2.2.31.4", NULL },
	{ "1.2.643.2.2.37.3.2", NULL }, { "1.2.643.2.2.37.3.3", NULL },
	{ "1.2.643.2.2.37.3.4", NULL }, { "1.2.643.2.2.37.3.5", NULL },
	{ "1.2.643.2.2.37.3.9", NULL }, { "1.2.643.2.2.37.3.11", NULL },
	{ "1.2.643.2.2.37.3.13", NULL }, { "1.2.643.2.2.37.3.17", NULL },
	{ "2.999.268435455", "06068837ffffff7f" },
};

Test(codec_der, oid_round_trip)
{
	cpk_blob *b = NULL;
	cpk_cur c;
	char text[64];

	for (size_t i = 0; i < sizeof(oids) / sizeof(oids[0]); i++) {
		cr_assert_eq(cpk_blob_new(NULL, 0, &b), CPK_OK);
		cr_assert_eq(cpk_oid_from_text(oids[i].text, b), CPK_OK, "%s",
		    oids[i].text);
		if (oids[i].der != NULL)
			cr_assert_str_eq(hexs(b->ptr, b->len), oids[i].der);
		cr_assert_eq(b->ptr[0], 0x06);
		cr_assert_eq(b->ptr[1], b->len - 2);
		c.p = b->ptr + 2;
		c.left = b->len - 2;
		cr_assert_eq(cpk_oid_to_text(&c, text, sizeof(text)), CPK_OK);
		cr_assert_str_eq(text, oids[i].text);
		cpk_blob_free(&b);
	}
}

Test(codec_der, oid_rejects)
{
	static const char *const text[] = {
		"", "1", "3.1", "1.2.", "1..2", "1.2.x", ".1.2", "1.2.643 ",
		"1.2.99999999999", "1.45", "0.40",
	};
	static const char *const der[] = {
		"",			/* empty */
		"2a85",		/* ends inside an arc */
		"2a8fffffffff7f",	/* arc over 32 bits */
	};
	unsigned char buf[80];
	cpk_blob *b = NULL;
	cpk_cur c;
	char out[64];

	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		cr_assert_eq(cpk_blob_new(NULL, 0, &b), CPK_OK);
		cr_assert_eq(cpk_oid_from_text(text[i], b), CPK_E_ARG, "'%s'",
		    text[i]);
		cr_assert_eq(b->len, 0);
		cpk_blob_free(&b);
	}
	for (size_t i = 0; i < sizeof(der) / sizeof(der[0]); i++) {
		c.p = buf;
		c.left = unhex(der[i], buf, sizeof(buf));
		cr_assert_eq(cpk_oid_to_text(&c, out, sizeof(out)),
		    CPK_E_FORMAT, "%s", der[i]);
	}
	memset(buf, 0x01, 65);		/* 65 content bytes: refused */
	c.p = buf;
	c.left = 65;
	cr_assert_eq(cpk_oid_to_text(&c, out, sizeof(out)), CPK_E_FORMAT);
	/* the reader takes arcs up to 32 bits; the writer caps lower */
	c.left = unhex("88378fffffff7f", buf, sizeof(buf));
	c.p = buf;
	cr_assert_eq(cpk_oid_to_text(&c, out, sizeof(out)), CPK_OK);
	cr_assert_str_eq(out, "2.999.4294967295");
	/* a dotted text that does not fit the caller's buffer */
	c.p = (const unsigned char *)"\x2a\x85\x03\x02\x02\x25\x02\x01";
	c.left = 8;
	cr_assert_eq(cpk_oid_to_text(&c, out, 12), CPK_E_RANGE);
}
