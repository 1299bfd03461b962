/* GeneralizedTime in every form X.680/X.690 allow (container/gentime.c),
 * and header.key with its key validity written in each of them, or with
 * an optional field or extension that does not parse (FORMATS.md §2.1):
 * hand-built headers (tests/hdrpatch.c) from a sample's, MAC recomputed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "hdrpatch.h"
#include "helpers.h"
#include "internal.h"

#define T	((time_t)1836002811)	/* 2028-03-07 00:46:51 UTC */
#define BER	CPK_GT_BER
#define LOC	(CPK_GT_LOCAL | CPK_GT_BER)
#define OFF	(CPK_GT_OFFSET | CPK_GT_BER)

struct gt {
	char		 s[40];	/* inline: parameters cross processes */
	cpk_err		 r;
	long long	 t;
	unsigned	 form;
};

static const struct gt forms[] = {
	{ "20280307004651Z", CPK_OK, T, 0 },			/* DER */
	{ "20280307004651.216Z", CPK_OK, T, 0 },		/* DER too */
	{ "20280307004651.2160Z", CPK_OK, T, BER },	/* trailing 0 */
	{ "20280307004651,216Z", CPK_OK, T, BER },	/* comma */
	{ "20280307004651.999999999999Z", CPK_OK, T, 0 },	/* cut off */
	{ "202803070046Z", CPK_OK, T - 51, BER },		/* no seconds */
	{ "202803070046.85Z", CPK_OK, T, BER },		/* 0.85 min = 51 s */
	{ "2028030700Z", CPK_OK, T - 2811, BER },	/* hour only */
	{ "2028030700.5Z", CPK_OK, T - 2811 + 1800, BER },	/* half hour */
	{ "20280307004651", CPK_OK, T, LOC },		/* local: as UTC */
	{ "202803070046", CPK_OK, T - 51, LOC },
	{ "20280307004651.216", CPK_OK, T, LOC },
	{ "20280307034651+0300", CPK_OK, T, OFF },	/* Moscow */
	{ "20280306214651-0300", CPK_OK, T, OFF },
	{ "20280307004651.5+0130", CPK_OK, T - 5400, OFF },
	{ "2028030703+0300", CPK_OK, T - 2811, OFF },
	{ "20280307004651+0000", CPK_OK, T, OFF },
	{ "20161231235960Z", CPK_OK, 1483228800, 0 },	/* leap second */
	{ "20280229000000Z", CPK_OK, 1835395200, 0 },
	{ "20270229000000Z", CPK_E_FORMAT, 0, 0 },	/* not a leap year */
	{ "20280332004651Z", CPK_E_FORMAT, 0, 0 },
	{ "20281307004651Z", CPK_E_FORMAT, 0, 0 },
	{ "20280307244651Z", CPK_E_FORMAT, 0, 0 },
	{ "20280307006051Z", CPK_E_FORMAT, 0, 0 },
	{ "20280307004661Z", CPK_E_FORMAT, 0, 0 },
	{ "20280307004651.Z", CPK_E_FORMAT, 0, 0 },	/* no digits */
	{ "20280307004651Z ", CPK_E_FORMAT, 0, 0 },
	{ "20280307004651.216ZZ", CPK_E_FORMAT, 0, 0 },
	{ "20280307004651+03", CPK_E_FORMAT, 0, 0 },
	{ "20280307004651+2400", CPK_E_FORMAT, 0, 0 },
	{ "20280307004651+0360", CPK_E_FORMAT, 0, 0 },
	{ "20280307004Z", CPK_E_FORMAT, 0, 0 },		/* odd digits */
	{ "2028-03-07T00:46:51Z", CPK_E_FORMAT, 0, 0 },	/* ISO 8601 */
	{ "280307004651Z", CPK_E_FORMAT, 0, 0 },		/* UTCTime */
	{ "202803070", CPK_E_FORMAT, 0, 0 },
	{ "", CPK_E_FORMAT, 0, 0 },
};

ParameterizedTestParameters(gentime, every_form)
{
	return cr_make_param_array(struct gt, forms,
	    sizeof(forms) / sizeof(forms[0]));
}

ParameterizedTest(const struct gt *g, gentime, every_form)
{
	cpk_cur c = { (const unsigned char *)g->s, strlen(g->s) };
	time_t t = 0;
	unsigned form = 99;
	cpk_err r = cpk_gentime_decode_form(&c, &t, &form);

	cr_assert_eq(r, g->r, "%s: %d", g->s, r);
	if (r != CPK_OK)
		return;
	cr_assert_eq((long long)t, g->t, "%s: %lld", g->s, (long long)t);
	cr_assert_eq(form, g->form, "%s: form %u", g->s, form);
}

Test(gentime, encode_is_der)
{
	char out[16];
	cpk_cur c = { (const unsigned char *)out, 15 };
	time_t t;
	unsigned form;

	cr_assert_eq(cpk_gentime_encode(T, out), CPK_OK);
	cr_assert_str_eq(out, "20280307004651Z");
	cr_assert_eq(cpk_gentime_decode_form(&c, &t, &form), CPK_OK);
	cr_assert_eq(t, T);
	cr_assert_eq(form, 0);
}

/* ---- headers ------------------------------------------------------------ */

static cpk_blob *
sample_header(void)
{
	cpk_files *f = load_files("samples/flash/good2012.000");
	cpk_blob *h = NULL;

	cr_assert_eq(cpk_blob_new(f->f[CPK_F_HEADER]->ptr,
	    f->f[CPK_F_HEADER]->len, &h), CPK_OK);
	cpk_files_free(&f);
	return h;
}

/* The header decodes, its MAC holds, nothing is unreadable. */
static cpk_header *
decoded(const cpk_blob *b)
{
	cpk_header *h = NULL;

	cr_assert_eq(cpk_header_decode(b->ptr, b->len, &h), CPK_OK);
	cr_assert_eq(cpk_header_check_mac(h, CPK_P_2012_256), CPK_OK);
	return h;
}

/* Key validity notAfter in each accepted form: read into the header with
 * the form noted; the certificate, fingerprint and parameters still
 * there. */
Test(gentime, header_with_each_form)
{
	cpk_blob *base = sample_header();

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		const struct gt *g = &forms[i];
		cpk_blob *b = NULL;
		cpk_header *h;
		time_t nb = 1, na = 0;
		cpk_err why;

		if (g->r != CPK_OK)
			continue;
		cr_assert_eq(hdr_with_not_after(base, g->s, CPK_P_2012_256, &b),
		    CPK_OK);
		h = decoded(b);
		cr_assert(cpk_header_key_validity(h, &nb, &na), "%s", g->s);
		cr_assert_eq(nb, 0);
		cr_assert_eq((long long)na, g->t, "%s", g->s);
		cr_assert_eq(cpk_header_key_validity_form(h, 1), g->form, "%s",
		    g->s);
		cr_assert_eq(cpk_header_key_validity_form(h, 0), 0);
		cr_assert_eq(cpk_header_unreadable_count(h), 0, "%s: %s", g->s,
		    cpk_header_unreadable(h, 0, &why));
		cr_assert_not_null(cpk_header_cert(h, 0));
		cr_assert_not_null(cpk_header_fp(h, 0));
		cr_assert_not_null(cpk_header_params(h, 0));
		cpk_header_free(&h);
		cpk_blob_free(&b);
	}
	cpk_blob_free(&base);
}

/* A key validity that does not parse: the header is read, the extension
 * named, no validity reported, every other field there. */
Test(gentime, header_with_each_bad_time)
{
	cpk_blob *base = sample_header();

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		const struct gt *g = &forms[i];
		cpk_blob *b = NULL;
		cpk_header *h;
		time_t nb, na;
		cpk_err why = CPK_OK;

		if (g->r == CPK_OK)
			continue;
		cr_assert_eq(hdr_with_not_after(base, g->s, CPK_P_2012_256, &b),
		    CPK_OK);
		h = decoded(b);
		cr_assert_not(cpk_header_key_validity(h, &nb, &na), "%s", g->s);
		cr_assert_eq(cpk_header_unreadable_count(h), 1, "%s", g->s);
		cr_assert_str_eq(cpk_header_unreadable(h, 0, &why),
		    "extension 1.2.643.2.2.37.3.10");
		cr_assert_eq(why, CPK_E_FORMAT);
		cr_assert_null(cpk_header_unreadable(h, 1, &why));
		cr_assert_not_null(cpk_header_cert(h, 0));
		cr_assert_not_null(cpk_header_fp(h, 0));
		cpk_header_free(&h);
		cpk_blob_free(&b);
	}
	cpk_blob_free(&base);
}

/* [12] holding: an extension without an OID, an unknown one without its
 * extnValue, and a good key validity: the third is read, the first two
 * named (by place, by OID). */
Test(gentime, each_extension_on_its_own)
{
	static const unsigned char ac[] = {
		0xac, 0x2c,
		0x30, 0x03, 0x01, 0x01, 0xff,		/* no extnID */
		0x30, 0x05, 0x06, 0x03, 0x2a, 0x03, 0x04,	/* 1.2.3.4 */
		0x30, 0x1e, 0x06, 0x08, 0x2a, 0x85, 0x03, 0x02, 0x02, 0x25,
		0x03, 0x0a, 0x04, 0x12, 0x30, 0x10, 0x81, 0x0e,
		'2', '0', '2', '8', '0', '3', '0', '7', '0', '0', '4', '6',
		'5', '1'			/* no Z: local time */
	};
	cpk_blob *base = sample_header(), *b = NULL;
	cpk_header *h;
	time_t nb, na;
	cpk_err why;

	cr_assert_eq(sizeof(ac), 0x2e);
	cr_assert_eq(hdr_replace(base, 0xac, ac, sizeof(ac), CPK_P_2012_256,
	    &b), CPK_OK);
	h = decoded(b);
	cr_assert_eq(cpk_header_unreadable_count(h), 2);
	cr_assert_str_eq(cpk_header_unreadable(h, 0, &why), "extension #1");
	cr_assert_str_eq(cpk_header_unreadable(h, 1, &why), "extension 1.2.3.4");
	cr_assert_neq(why, CPK_OK);	/* no extnValue */
	cr_assert(cpk_header_key_validity(h, &nb, &na));
	cr_assert_eq(na, T);
	cr_assert_eq(cpk_header_key_validity_form(h, 1), LOC);
	cpk_header_free(&h);
	cpk_blob_free(&b);
	cpk_blob_free(&base);
}

/* Optional fields that do not parse are named by their ASN.1 names; the
 * required ones still fail the header. */
Test(gentime, optional_and_required_fields)
{
	static const unsigned char fp7[] = { 0x8a, 0x07, 1, 2, 3, 4, 5, 6, 7 };
	static const unsigned char pw3[] = { 0x82, 0x03, 1, 2, 3 };
	static const unsigned char alg[] = { 0xa0, 0x02, 0x05, 0x00 };
	static const unsigned char attrs[] = { 0x03, 0x00 };
	cpk_blob *base = sample_header(), *b = NULL;
	cpk_header *h;
	cpk_err why;

	cr_assert_eq(hdr_replace(base, 0x8a, fp7, sizeof(fp7), CPK_P_2012_256,
	    &b), CPK_OK);
	h = decoded(b);
	cr_assert_eq(cpk_header_unreadable_count(h), 1);
	cr_assert_str_eq(cpk_header_unreadable(h, 0, &why), "primaryFP");
	cr_assert_eq(why, CPK_E_LENGTH);
	cr_assert_null(cpk_header_fp(h, 0));
	cr_assert_not_null(cpk_header_cert(h, 0));
	cpk_header_free(&h);
	cpk_blob_free(&b);

	cr_assert_eq(hdr_replace(base, 0x82, pw3, sizeof(pw3), CPK_P_2012_256,
	    &b), CPK_OK);
	h = decoded(b);
	cr_assert_str_eq(cpk_header_unreadable(h, 0, &why), "hmacPassword");
	cr_assert_null(cpk_header_pw_mac(h));
	cpk_header_free(&h);
	cpk_blob_free(&b);

	cr_assert_eq(hdr_replace(base, 0xa0, alg, sizeof(alg), CPK_P_2012_256,
	    &b), CPK_OK);
	h = decoded(b);
	cr_assert_str_eq(cpk_header_unreadable(h, 0, &why),
	    "containerAlgoritmIdentifier");
	cr_assert_str_eq(cpk_header_version_oid(h), "");
	cpk_header_free(&h);
	cpk_blob_free(&b);

	cr_assert_eq(hdr_replace(base, 0x03, attrs, sizeof(attrs),
	    CPK_P_2012_256, &b), CPK_OK);
	h = NULL;
	cr_assert_neq(cpk_header_decode(b->ptr, b->len, &h), CPK_OK);
	cr_assert_null(h);
	cpk_blob_free(&b);
	cpk_blob_free(&base);
}

/* An edit (a new certificate, the MAC recomputed: what cpkit-fix does)
 * keeps the bytes of an extension that does not parse. */
Test(gentime, edits_keep_unreadable_bytes)
{
	static const char bad[] = "2028-03-07T00:46:51Z";
	cpk_blob *base = sample_header(), *b = NULL, *out = NULL, *cert = NULL;
	cpk_header *h;
	const unsigned char *p;
	size_t n;

	cr_assert_eq(hdr_with_not_after(base, bad, CPK_P_2012_256, &b), CPK_OK);
	h = decoded(b);
	cr_assert_eq(cpk_blob_new(cpk_header_cert(h, 0)->ptr,
	    cpk_header_cert(h, 0)->len, &cert), CPK_OK);
	cr_assert_eq(cpk_header_set_cert(h, 0, NULL), CPK_OK);
	cr_assert_eq(cpk_header_set_cert(h, 0, cert), CPK_OK);
	cr_assert_eq(cpk_header_update_mac(h, CPK_P_2012_256), CPK_OK);
	cr_assert_eq(cpk_header_encode(h, &out), CPK_OK);
	cr_assert(cpk_blob_eq(out, b), "the header changed");
	cr_assert_eq(cpk_header_unreadable_count(h), 1);
	/* the extension's bad time is in the output as it was */
	for (n = 0, p = NULL; n + sizeof(bad) - 1 <= out->len && p == NULL;
	    n++)
		if (memcmp(out->ptr + n, bad, sizeof(bad) - 1) == 0)
			p = out->ptr + n;
	cr_assert_not_null(p);
	cpk_header_free(&h);
	cpk_blob_free(&out);
	cpk_blob_free(&cert);
	cpk_blob_free(&b);
	cpk_blob_free(&base);
}
