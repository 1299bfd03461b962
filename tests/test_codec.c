/* The six-file codec (FORMATS.md §2-§8, §13.2, §20.1) on temporary copies of
 * ../shared/fixtures/real: every file decodes to the documented values and
 * re-encodes byte for byte; token padding and BER lengths are tolerated as
 * §2.1 says; each malformed input gets the exact cpk_err of its layer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "helpers.h"
#include "internal.h"

struct fx {
	const char	*dir;
	const char	*name;		/* name.key, and its bytes (§3.1) */
	const char	*name_hex;
	enum cpk_profile profile;
	unsigned	 attrs;		/* container attributes, §8.2 */
	const char	*alg, *curve, *digest;
	size_t		 cert_len;
	const char	*fp, *mac, *other_mac, *pw_mac;
	long long	 not_after;	/* key validity, §6.5 */
	size_t		 size[CPK_F_COUNT];	/* enum cpk_file_id order */
};

/* FORMATS.md §20.1; other_mac is the header MAC under the other S-box
 * (§20.7); not_after was checked with calendar.timegm() by hand. */
static const struct fx fixtures[] = {
	{ "cpcert-samples/g2001.000", "g2001", "300716056732303031",
	  CPK_P_2001, 3, "1.2.643.2.2.98", "1.2.643.2.2.36.0",
	  "1.2.643.2.2.30.1", 875, "91e604e1730a0b4b", "c4f0371b", "8721be9a",
	  "d70f43d3", 1593615430, { 996, 9, 56, 36, 56, 36 } },
	{ "cpcert-samples/g2012256.000", "g2012256", "300a16086732303132323536",
	  CPK_P_2012_256, 3, "1.2.643.7.1.1.6.1", "1.2.643.2.2.36.0",
	  "1.2.643.7.1.1.2.2", 878, "22ded110fefd4ede", "fd9da319", "d9e6cbe8",
	  "1a52b832", 1593615525, { 1002, 12, 56, 36, 56, 36 } },
	{ "cpcert-samples/g2012512.000", "g2012512", "300a16086732303132353132",
	  CPK_P_2012_512, 3, "1.2.643.7.1.1.6.2", "1.2.643.7.1.2.1.2.1",
	  "1.2.643.7.1.1.2.3", 947, "281b22ff6d4525f7", "1e3d06c0", "26a7aaaa",
	  "98a7659b", 1593615621, { 1073, 12, 88, 68, 88, 68 } },
	{ "srv-emptypw.000", "srv", "30051603737276",
	  CPK_P_2012_256, 2, "1.2.643.7.1.1.6.1", "1.2.643.2.2.36.0",
	  "1.2.643.7.1.1.2.2", 1314, "aefa90609ba04209", "7de217b5", "34fe8147",
	  "00000000", 1749216118, { 1438, 7, 56, 36, 56, 36 } },
};
#define NFX	(sizeof(fixtures) / sizeof(fixtures[0]))

/* Criterion runs each case in a new process of a PIE binary: parameters
 * are indices, never pointers. */
static int fx_index[] = { 0, 1, 2, 3 };

static const struct fx *
fx_files(int i, cpk_files **out)
{
	const char *dir = fixture_copy(fixtures[i].dir);

	if (dir == NULL)
		cr_skip_test("../shared/fixtures/real is absent");
	*out = load_files(dir);
	for (int id = 0; id < CPK_F_COUNT; id++) {
		cr_assert_not_null((*out)->f[id], "%s", cpk_file_name(
		    (enum cpk_file_id)id));
		cr_assert_eq((*out)->f[id]->len, fixtures[i].size[id],
		    "%s/%s", fixtures[i].dir,
		    cpk_file_name((enum cpk_file_id)id));
	}
	return &fixtures[i];
}

static void
assert_bytes(const cpk_blob *got, const unsigned char *want, size_t len,
    const char *what)
{
	cr_assert_not_null(got, "%s: nothing encoded", what);
	cr_assert_eq(got->len, len, "%s: %zu bytes, want %zu", what, got->len,
	    len);
	cr_assert_eq(memcmp(got->ptr, want, len), 0, "%s: bytes differ", what);
}

static const enum dec dec_of[CPK_F_COUNT] = {
	[CPK_F_HEADER] = D_HEADER, [CPK_F_NAME] = D_NAME,
	[CPK_F_MASKS] = D_MASKS, [CPK_F_PRIMARY] = D_PRIMARY,
	[CPK_F_MASKS2] = D_MASKS, [CPK_F_PRIMARY2] = D_PRIMARY,
};

/* ---- real fixtures: decode, encode, same bytes ---- */

ParameterizedTestParameters(codec_real, each_file_roundtrips)
{
	return cr_make_param_array(int, fx_index, NFX);
}

ParameterizedTest(int *i, codec_real, each_file_roundtrips)
{
	cpk_files *f = NULL;
	const struct fx *x = fx_files(*i, &f);
	const cpk_blob *b;
	cpk_header *h = NULL;
	cpk_masks *m = NULL;
	cpk_primary *k = NULL;
	cpk_blob *e = NULL;
	char *name = NULL;
	const char *enc = NULL;

	b = f->f[CPK_F_HEADER];
	cr_assert_eq(cpk_header_decode(b->ptr, b->len, &h), CPK_OK);
	cr_assert_eq(cpk_header_trailing(h), 0);
	cr_assert_not(cpk_header_is_ber(h));
	cr_assert_not(cpk_header_is_old(h));
	cr_assert_eq(cpk_header_encode(h, &e), CPK_OK);
	assert_bytes(e, b->ptr, b->len, "header.key");
	cpk_blob_free(&e);
	cpk_header_free(&h);

	for (int copy = 0; copy < 2; copy++) {
		b = f->f[copy ? CPK_F_MASKS2 : CPK_F_MASKS];
		cr_assert_eq(cpk_masks_decode(b->ptr, b->len, &m), CPK_OK);
		cr_assert_eq(m->mask->len, cpk_profile_key_len(x->profile));
		cr_assert_eq(m->salt->len, 12);
		cr_assert_eq(m->trailing, 0);
		cr_assert_eq(cpk_masks_encode(m, &e), CPK_OK);
		assert_bytes(e, b->ptr, b->len, "masks.key");
		cpk_blob_free(&e);
		cpk_masks_free(&m);

		b = f->f[copy ? CPK_F_PRIMARY2 : CPK_F_PRIMARY];
		cr_assert_eq(cpk_primary_decode(b->ptr, b->len, &k), CPK_OK);
		cr_assert_eq(k->key->len, cpk_profile_key_len(x->profile));
		cr_assert_null(k->secondary);
		cr_assert_null(k->old_mac);
		cr_assert_eq(k->trailing, 0);
		cr_assert_eq(cpk_primary_encode(k, &e), CPK_OK);
		assert_bytes(e, b->ptr, b->len, "primary.key");
		cpk_blob_free(&e);
		cpk_primary_free(&k);
	}

	b = f->f[CPK_F_NAME];
	cr_assert_str_eq(hexs(b->ptr, b->len), x->name_hex);
	cr_assert_eq(cpk_name_decode(b->ptr, b->len, &name, &enc), CPK_OK);
	cr_assert_str_eq(name, x->name);
	cr_assert_str_eq(enc, "ascii");
	cr_assert_eq(cpk_name_encode(name, &e), CPK_OK);
	assert_bytes(e, b->ptr, b->len, "name.key");
	cpk_blob_free(&e);
	free(name);
	cpk_files_free(&f);
}

ParameterizedTestParameters(codec_real, container_roundtrips)
{
	return cr_make_param_array(int, fx_index, NFX);
}

ParameterizedTest(int *i, codec_real, container_roundtrips)
{
	cpk_files *f = NULL, *e = NULL, *back = NULL;
	const struct fx *x = fx_files(*i, &f);
	cpk_container *c = NULL;
	char out[96];

	cr_assert_eq(cpk_container_decode(f, &c), CPK_OK);
	/* through the public accessors, as a program sees it */
	for (int id = 0; id < CPK_F_COUNT; id++)
		cr_assert_eq(cpk_container_file_err(c, (enum cpk_file_id)id),
		    CPK_OK, "%s", cpk_file_name((enum cpk_file_id)id));
	cr_assert_eq(cpk_container_file_err(c, CPK_F_COUNT), CPK_E_ARG);
	cr_assert_null(cpk_container_file_where(c, CPK_F_COUNT));
	cr_assert_str_eq(cpk_container_file_where(c, CPK_F_HEADER)->field,
	    "");
	cr_assert_eq(cpk_container_profile(c), x->profile);
	cr_assert_not_null(cpk_container_curve(c));
	cr_assert_str_eq(cpk_curve_oid(cpk_container_curve(c)), x->curve);
	cr_assert_str_eq(cpk_container_name(c), x->name);
	cr_assert(cpk_blob_eq(cpk_container_name_raw(c), f->f[CPK_F_NAME]));
	cr_assert_not_null(cpk_container_name_enc(c));
	cr_assert_not_null(cpk_container_header(c));
	for (int k = 0; k < 2; k++) {
		cr_assert_not_null(cpk_container_masks(c, k));
		cr_assert_not_null(cpk_container_primary(c, k));
	}
	cr_assert_null(cpk_container_masks(c, 2));
	cr_assert_null(cpk_container_primary(c, -1));
	cr_assert_eq(cpk_container_encode(c, &e), CPK_OK);
	/* through the disk too: six files, each byte-identical */
	snprintf(out, sizeof(out), "%s/enc.000", temp_dir());
	cr_assert_eq(cpk_files_write_dir(e, out), CPK_OK);
	back = load_files(out);
	for (int id = 0; id < CPK_F_COUNT; id++) {
		assert_bytes(e->f[id], f->f[id]->ptr, f->f[id]->len,
		    cpk_file_name((enum cpk_file_id)id));
		assert_bytes(back->f[id], f->f[id]->ptr, f->f[id]->len,
		    cpk_file_name((enum cpk_file_id)id));
	}
	cpk_files_free(&back);
	cpk_files_free(&e);
	cpk_container_free(&c);
	cpk_files_free(&f);
}

ParameterizedTestParameters(codec_real, header_fields)
{
	return cr_make_param_array(int, fx_index, NFX);
}

ParameterizedTest(int *i, codec_real, header_fields)
{
	static const unsigned char zero[32];
	cpk_files *f = NULL;
	const struct fx *x = fx_files(*i, &f);
	const cpk_blob *b = f->f[CPK_F_HEADER], *content;
	const cpk_keyparams *kp;
	cpk_header *h = NULL;
	time_t nb = 1, na = 0;
	unsigned char mac[4];
	enum cpk_profile other;

	cr_assert_eq(cpk_header_decode(b->ptr, b->len, &h), CPK_OK);
	cr_assert_str_eq(cpk_header_version_oid(h), "1.2.643.2.2.37.2.1");
	cr_assert_eq(cpk_header_attrs(h), x->attrs);
	cr_assert_not_null(kp = cpk_header_params(h, 0));
	cr_assert_eq(kp->attrs, CPK_KA_EXPORTABLE | CPK_KA_EXCHANGE);
	cr_assert_str_eq(kp->alg, x->alg);
	cr_assert_str_eq(kp->curve, x->curve);
	cr_assert_str_eq(kp->digest, x->digest);
	cr_assert_str_eq(kp->cipher, "");
	cr_assert_eq(cpk_header_cert(h, 0)->len, x->cert_len);
	cr_assert_str_eq(hexs(cpk_header_cert(h, 0)->ptr, 2), "3082");
	cr_assert_str_eq(hexs(cpk_header_fp(h, 0), 8), x->fp);
	cr_assert_str_eq(hexs(cpk_header_mac(h), 4), x->mac);
	cr_assert_str_eq(hexs(cpk_header_pw_mac(h), 4), x->pw_mac);
	cr_assert(cpk_header_key_validity(h, &nb, &na));
	cr_assert_eq(nb, 0);		/* notAfter only in every fixture */
	cr_assert_eq((long long)na, x->not_after);
	/* nothing secondary in any fixture (§6.2) */
	cr_assert_null(cpk_header_params(h, 1));
	cr_assert_null(cpk_header_cert(h, 1));
	cr_assert_null(cpk_header_fp(h, 1));
	/* the MAC input is bytes 4 .. len-6: the content TLV as stored */
	content = cpk_header_content(h);
	assert_bytes(content, b->ptr + 4, b->len - 10, "content TLV");
	cr_assert_eq(cpk_header_check_mac(h, x->profile), CPK_OK);
	other = x->profile == CPK_P_2001 ? CPK_P_2012_256 : CPK_P_2001;
	cr_assert_eq(cpk_header_check_mac(h, other), CPK_E_MAC);
	cr_assert_eq(cpk_gost_mac4(cpk_profile_sbox(other), zero, content->ptr,
	    content->len, mac), CPK_OK);
	cr_assert_str_eq(hexs(mac, 4), x->other_mac);
	cpk_header_free(&h);
	cpk_files_free(&f);
}

/* The annotated bytes of FORMATS.md §4, §5 and §6.4. */
Test(codec_real, g2001_annotated_bytes)
{
	cpk_files *f = NULL;
	const cpk_blob *b;
	cpk_header *h = NULL;
	cpk_masks *m = NULL;
	cpk_primary *k = NULL;
	time_t nb, na;
	char gt[16];

	fx_files(0, &f);
	b = f->f[CPK_F_HEADER];
	cr_assert_str_eq(hexs(b->ptr, 24), "308203e0308203d6a00a06082a85030202"
	    "250201030206c0");
	cr_assert_eq(cpk_header_decode(b->ptr, b->len, &h), CPK_OK);
	cr_assert_eq(cpk_header_attrs(h), CPK_CA_PASSWORD | CPK_CA_RESERVE);
	cr_assert_eq(cpk_header_params(h, 0)->attrs, 0x5);
	cr_assert_str_eq(hexs(cpk_header_cert(h, 0)->ptr, 4), "30820367");
	cr_assert_eq(memcmp(cpk_header_cert(h, 0)->ptr, b->ptr + 70, 875), 0);
	cr_assert(cpk_header_key_validity(h, &nb, &na));
	cr_assert_eq(na, (time_t)1593615430);
	cr_assert_eq(cpk_gentime_encode(na, gt), CPK_OK);
	cr_assert_str_eq(gt, "20200701145710Z");
	cr_assert_eq(cpk_header_content(h)->len, 986);

	b = f->f[CPK_F_MASKS];
	cr_assert_eq(cpk_masks_decode(b->ptr, b->len, &m), CPK_OK);
	cr_assert_str_eq(hexs(m->mask->ptr, m->mask->len), "e3523b1edde13347"
	    "35b25b04dde191594edc3ad25bea1fe7d9f444c22fe9b672");
	cr_assert_str_eq(hexs(m->salt->ptr, m->salt->len),
	    "bbe074586f1385f07221f5f6");
	cr_assert_str_eq(hexs(m->mac, 4), "285a2833");

	b = f->f[CPK_F_PRIMARY];
	cr_assert_eq(cpk_primary_decode(b->ptr, b->len, &k), CPK_OK);
	cr_assert_str_eq(hexs(k->key->ptr, k->key->len), "bd404457f31689b8"
	    "d0287aee93f03003f93afc5b3d1504c21aa7d82bcb7f0440");
	cpk_primary_free(&k);
	cpk_masks_free(&m);
	cpk_header_free(&h);
	cpk_files_free(&f);
}

/* Every prefix of every real file is CPK_E_TRUNCATED: the root's length
 * always runs past the end first. */
ParameterizedTestParameters(codec_real, every_prefix_is_truncated)
{
	return cr_make_param_array(int, fx_index, NFX);
}

ParameterizedTest(int *i, codec_real, every_prefix_is_truncated)
{
	cpk_files *f = NULL;

	fx_files(*i, &f);
	for (int id = 0; id < CPK_F_COUNT; id++)
		for (size_t n = 1; n < f->f[id]->len; n++)
			cr_assert_eq(decode_as(dec_of[id], f->f[id]->ptr, n),
			    CPK_E_TRUNCATED, "%s cut at %zu", cpk_file_name(
			    (enum cpk_file_id)id), n);
	cpk_files_free(&f);
}

/* ---- tolerance (§2.1) ---- */

/* Token padding: FF (Rutoken) or 00 (ESMART) after the DER, including the
 * 60/70-byte files of the FNS case. Counted, ignored, never re-encoded. */
ParameterizedTestParameters(codec_tolerance, padding_is_trailing)
{
	return cr_make_param_array(int, fx_index, NFX);
}

ParameterizedTest(int *i, codec_tolerance, padding_is_trailing)
{
	static const size_t pads[] = { 1, 4, 34, 512 };
	unsigned char buf[2048];
	cpk_files *f = NULL;
	const cpk_blob *b;
	cpk_masks *m = NULL;
	cpk_primary *k = NULL;
	cpk_header *h = NULL;
	cpk_blob *e = NULL;

	fx_files(*i, &f);
	for (int fill = 0; fill < 2; fill++) {
		for (size_t j = 0; j < sizeof(pads) / sizeof(pads[0]); j++) {
			b = f->f[CPK_F_MASKS];
			memcpy(buf, b->ptr, b->len);
			memset(buf + b->len, fill ? 0xff : 0x00, pads[j]);
			cr_assert_eq(cpk_masks_decode(buf, b->len + pads[j],
			    &m), CPK_OK);
			cr_assert_eq(m->trailing, pads[j]);
			cr_assert_eq(cpk_masks_encode(m, &e), CPK_OK);
			assert_bytes(e, b->ptr, b->len, "padded masks.key");
			cpk_blob_free(&e);
			cpk_masks_free(&m);

			b = f->f[CPK_F_PRIMARY2];
			memcpy(buf, b->ptr, b->len);
			memset(buf + b->len, fill ? 0xff : 0x00, pads[j]);
			cr_assert_eq(cpk_primary_decode(buf, b->len + pads[j],
			    &k), CPK_OK);
			cr_assert_eq(k->trailing, pads[j]);
			cr_assert_eq(cpk_primary_encode(k, &e), CPK_OK);
			assert_bytes(e, b->ptr, b->len, "padded primary2.key");
			cpk_blob_free(&e);
			cpk_primary_free(&k);

			b = f->f[CPK_F_HEADER];
			memcpy(buf, b->ptr, b->len);
			memset(buf + b->len, fill ? 0xff : 0x00, pads[j]);
			cr_assert_eq(cpk_header_decode(buf, b->len + pads[j],
			    &h), CPK_OK);
			cr_assert_eq(cpk_header_trailing(h), pads[j]);
			cr_assert_eq(cpk_header_check_mac(h, fixtures[*i].
			    profile), CPK_OK);
			cr_assert_eq(cpk_header_encode(h, &e), CPK_OK);
			assert_bytes(e, b->ptr, b->len, "padded header.key");
			cpk_blob_free(&e);
			cpk_header_free(&h);
		}
	}
	cpk_files_free(&f);
}

/* The FNS files of §2.1 exactly: masks.key of 60 and primary.key of 70
 * bytes around 56- and 36-byte DER, padded with FF. */
Test(codec_tolerance, fns_sizes)
{
	unsigned char mk[60], pk[70];
	cpk_files *f = NULL;
	cpk_masks *m = NULL;
	cpk_primary *k = NULL;

	fx_files(1, &f);
	memset(mk, 0xff, sizeof(mk));
	memset(pk, 0xff, sizeof(pk));
	memcpy(mk, f->f[CPK_F_MASKS]->ptr, 56);
	memcpy(pk, f->f[CPK_F_PRIMARY]->ptr, 36);
	cr_assert_eq(cpk_masks_decode(mk, sizeof(mk), &m), CPK_OK);
	cr_assert_eq(m->trailing, 4);
	cr_assert_str_eq(hexs(m->salt->ptr, 12), "bb43a4057f3652f786d5d020");
	cr_assert_eq(cpk_primary_decode(pk, sizeof(pk), &k), CPK_OK);
	cr_assert_eq(k->trailing, 34);
	cr_assert_str_eq(hexs(k->key->ptr, 4), "08e77cca");
	cpk_primary_free(&k);
	cpk_masks_free(&m);
	cpk_files_free(&f);
}

/* Re-encodes a DER header with indefinite outer lengths (30 80 .. 00 00):
 * the root always, the keyContainerContent too when asked. */
static size_t
make_ber(const cpk_blob *der, int content_too, unsigned char *out)
{
	cpk_tlv root, content, mac;
	cpk_cur c;
	size_t trailing, n = 0;

	cr_assert_eq(cpk_der_root(der->ptr, der->len, &root, &trailing),
	    CPK_OK);
	c = root.val;
	cr_assert_eq(cpk_tlv_expect(&c, 0x30, &content), CPK_OK);
	cr_assert_eq(cpk_tlv_expect(&c, 0x04, &mac), CPK_OK);
	out[n++] = 0x30;
	out[n++] = 0x80;
	if (content_too) {
		out[n++] = 0x30;
		out[n++] = 0x80;
		memcpy(out + n, content.val.p, content.val.left);
		n += content.val.left;
		out[n++] = 0;
		out[n++] = 0;
	} else {
		memcpy(out + n, content.raw, content.raw_len);
		n += content.raw_len;
	}
	memcpy(out + n, mac.raw, mac.raw_len);
	n += mac.raw_len;
	out[n++] = 0;
	out[n++] = 0;
	return n;
}

static void
assert_same_fields(const cpk_header *a, const cpk_header *b)
{
	time_t nb1, na1, nb2, na2;

	cr_assert_str_eq(cpk_header_version_oid(a), cpk_header_version_oid(b));
	cr_assert_eq(cpk_header_attrs(a), cpk_header_attrs(b));
	cr_assert_eq(memcmp(cpk_header_params(a, 0), cpk_header_params(b, 0),
	    sizeof(cpk_keyparams)), 0);
	cr_assert(cpk_blob_eq(cpk_header_cert(a, 0), cpk_header_cert(b, 0)));
	cr_assert_eq(memcmp(cpk_header_fp(a, 0), cpk_header_fp(b, 0), 8), 0);
	cr_assert_eq(memcmp(cpk_header_pw_mac(a), cpk_header_pw_mac(b), 4), 0);
	cr_assert_eq(memcmp(cpk_header_mac(a), cpk_header_mac(b), 4), 0);
	cr_assert(cpk_header_key_validity(a, &nb1, &na1));
	cr_assert(cpk_header_key_validity(b, &nb2, &na2));
	cr_assert_eq(na1, na2);
}

/* Only the root indefinite: the content TLV is stored as DER, so the MAC
 * over it as stored (§13.2 step 1) verifies. */
Test(codec_tolerance, ber_root_keeps_the_mac)
{
	unsigned char buf[1100];
	cpk_files *f = NULL;
	const cpk_blob *der;
	cpk_header *d = NULL, *h = NULL;
	cpk_blob *e = NULL;
	size_t n;

	fx_files(0, &f);
	der = f->f[CPK_F_HEADER];
	n = make_ber(der, 0, buf);
	cr_assert_eq(n, der->len);	/* 30 82 LL LL -> 30 80 .. 00 00 */
	cr_assert_eq(cpk_header_decode(der->ptr, der->len, &d), CPK_OK);
	cr_assert_eq(cpk_header_decode(buf, n, &h), CPK_OK);
	cr_assert(cpk_header_is_ber(h));
	cr_assert_eq(cpk_header_trailing(h), 0);
	assert_same_fields(d, h);
	assert_bytes(cpk_header_content(h), der->ptr + 4, der->len - 10,
	    "content as stored");
	cr_assert_eq(cpk_header_check_mac(h, CPK_P_2001), CPK_OK);
	/* encode hands back the stored bytes, BER and all */
	cr_assert_eq(cpk_header_encode(h, &e), CPK_OK);
	assert_bytes(e, buf, n, "BER header as stored");
	cpk_blob_free(&e);
	/* an edit re-encodes the SEQUENCEs in DER (§2.2): the original file */
	cr_assert_eq(cpk_header_update_mac(h, CPK_P_2001), CPK_OK);
	cr_assert_not(cpk_header_is_ber(h));
	cr_assert_eq(cpk_header_encode(h, &e), CPK_OK);
	assert_bytes(e, der->ptr, der->len, "DER after update_mac");
	cpk_blob_free(&e);
	cpk_header_free(&h);
	cpk_header_free(&d);
	cpk_files_free(&f);
}

/*
 * Both SEQUENCEs indefinite. §13.2: the MAC input is the content "as
 * stored"; for BER, which bytes CSP MACed is unknown, so a reader tries the
 * stored bytes, then the DER re-encoding, and reports "not verifiable" when
 * both fail. Over the stored 30 80 .. 00 00 the MAC fails; the DER
 * re-encoding matches, and cpk_header_check_mac() accepts it (step 2).
 */
Test(codec_tolerance, ber_content_mac_falls_back_to_der)
{
	static const unsigned char zero[32];
	unsigned char buf[1100], mac[4];
	cpk_files *f = NULL;
	const cpk_blob *der, *content;
	cpk_header *d = NULL, *h = NULL;
	cpk_blob *e = NULL;
	size_t n;

	fx_files(0, &f);
	der = f->f[CPK_F_HEADER];
	n = make_ber(der, 1, buf);
	cr_assert_eq(cpk_header_decode(der->ptr, der->len, &d), CPK_OK);
	cr_assert_eq(cpk_header_decode(buf, n, &h), CPK_OK);
	cr_assert(cpk_header_is_ber(h));
	assert_same_fields(d, h);
	content = cpk_header_content(h);
	cr_assert_str_eq(hexs(content->ptr, 2), "3080");
	cr_assert_str_eq(hexs(content->ptr + content->len - 2, 2), "0000");
	/* step 1 fails on the stored BER bytes ... */
	cr_assert_eq(cpk_gost_mac4(CPK_SBOX_A, zero, content->ptr,
	    content->len, mac), CPK_OK);
	cr_assert_neq(memcmp(mac, cpk_header_mac(h), 4), 0);
	/* ... step 2, the DER content, matches, so the check passes */
	cr_assert_eq(cpk_gost_mac4(CPK_SBOX_A, zero, der->ptr + 4,
	    der->len - 10, mac), CPK_OK);
	cr_assert_eq(memcmp(mac, cpk_header_mac(h), 4), 0);
	cr_assert_eq(cpk_header_check_mac(h, CPK_P_2001), CPK_OK);
	cr_assert_eq(cpk_header_check_mac(h, CPK_P_2012_256), CPK_E_MAC);
	/* any rebuild (here: the same certificate) yields DER and the MAC
	 * verifies again without being recomputed */
	cr_assert_eq(cpk_header_set_cert(h, 0, cpk_header_cert(d, 0)), CPK_OK);
	cr_assert_not(cpk_header_is_ber(h));
	cr_assert_eq(cpk_header_check_mac(h, CPK_P_2001), CPK_OK);
	cr_assert_eq(cpk_header_encode(h, &e), CPK_OK);
	assert_bytes(e, der->ptr, der->len, "DER after set_cert");
	cpk_blob_free(&e);
	cpk_header_free(&h);
	cpk_header_free(&d);
	cpk_files_free(&f);
}

/* A non-minimal long form (83 00 03 E0 for 82 03 E0) is BER too. */
Test(codec_tolerance, nonminimal_length_is_ber)
{
	unsigned char buf[1100];
	cpk_files *f = NULL;
	const cpk_blob *der;
	cpk_header *h = NULL;

	fx_files(0, &f);
	der = f->f[CPK_F_HEADER];
	buf[0] = 0x30;
	buf[1] = 0x83;
	buf[2] = 0x00;
	memcpy(buf + 3, der->ptr + 2, der->len - 2);
	cr_assert_eq(cpk_header_decode(buf, der->len + 1, &h), CPK_OK);
	cr_assert(cpk_header_is_ber(h));
	cr_assert_eq(cpk_header_check_mac(h, CPK_P_2001), CPK_OK);
	cpk_header_free(&h);
	cpk_files_free(&f);
}

/* 64 KiB is the last accepted size (§2.1); one byte more is refused before
 * any parsing, by every decoder. */
Test(codec_tolerance, size_cap)
{
	static unsigned char buf[CPK_FILE_MAX + 1];
	cpk_files *f = NULL;
	cpk_masks *m = NULL;

	fx_files(0, &f);
	memset(buf, 0xff, sizeof(buf));
	memcpy(buf, f->f[CPK_F_MASKS]->ptr, 56);
	cr_assert_eq(cpk_masks_decode(buf, CPK_FILE_MAX, &m), CPK_OK);
	cr_assert_eq(m->trailing, CPK_FILE_MAX - 56);
	cpk_masks_free(&m);
	for (int d = D_HEADER; d <= D_NAME; d++)
		cr_assert_eq(decode_as((enum dec)d, buf, sizeof(buf)),
		    CPK_E_TOO_BIG, "decoder %d", d);
	cpk_files_free(&f);
}

/* ---- name.key encodings (§3.2) ---- */

Test(codec_name, encodings)
{
	unsigned char in[300];
	char *name = NULL, longname[200];
	const char *enc = NULL;
	cpk_blob *e = NULL;
	size_t n;

	/* writer: CP1251 with the IA5String tag */
	cr_assert_eq(cpk_name_encode("\xd0\xa2\xd0\xb5\xd1\x81\xd1\x82", &e),
	    CPK_OK);				/* "Тест" */
	cr_assert_str_eq(hexs(e->ptr, e->len), "30061604d2e5f1f2");
	cr_assert_eq(cpk_name_decode(e->ptr, e->len, &name, &enc), CPK_OK);
	cr_assert_str_eq(name, "\xd0\xa2\xd0\xb5\xd1\x81\xd1\x82");
	cr_assert_str_eq(enc, "cp1251");
	free(name);
	cpk_blob_free(&e);
	/* UTF-8 bytes with a multi-byte sequence are read as UTF-8 */
	n = unhex("30 06 16 04 d0 a2 d0 b5", in, sizeof(in));
	cr_assert_eq(cpk_name_decode(in, n, &name, &enc), CPK_OK);
	cr_assert_str_eq(name, "\xd0\xa2\xd0\xb5");
	cr_assert_str_eq(enc, "utf-8");
	free(name);
	/* 127 bytes keep a one-byte inner length; 128 are refused */
	memset(longname, 'a', sizeof(longname));
	longname[127] = '\0';
	cr_assert_eq(cpk_name_encode(longname, &e), CPK_OK);
	cr_assert_str_eq(hexs(e->ptr, 5), "308181167f");
	cpk_blob_free(&e);
	longname[127] = 'a';
	longname[128] = '\0';
	cr_assert_eq(cpk_name_encode(longname, &e), CPK_E_LENGTH);
	cr_assert_null(e);
	cr_assert_eq(cpk_name_encode("", &e), CPK_E_LENGTH);
	/* but a reader parses long names properly (not name[4:]) */
	in[0] = 0x30;
	in[1] = 0x81;
	in[2] = 0x83;
	in[3] = 0x16;
	in[4] = 0x81;
	in[5] = 0x80;
	memset(in + 6, 'b', 128);
	cr_assert_eq(cpk_name_decode(in, 134, &name, &enc), CPK_OK);
	cr_assert_eq(strlen(name), 128);
	cr_assert_eq(name[0], 'b');
	free(name);
}

/* ---- certificate edits (§18) ---- */

/* The content elements of an encoded header, in order. */
static size_t
content_elems(const cpk_blob *hdr, cpk_tlv *el, size_t cap)
{
	cpk_tlv root, content;
	cpk_cur c;
	size_t trailing, n = 0;

	cr_assert_eq(cpk_der_root(hdr->ptr, hdr->len, &root, &trailing),
	    CPK_OK);
	c = root.val;
	cr_assert_eq(cpk_tlv_expect(&c, 0x30, &content), CPK_OK);
	c = content.val;
	while (c.left > 0 && n < cap)
		cr_assert_eq(cpk_tlv_next(&c, &el[n++]), CPK_OK);
	return n;
}

Test(codec_edit, set_cert_same_bytes_is_identity)
{
	cpk_files *f = NULL;
	const cpk_blob *der;
	cpk_header *h = NULL;
	cpk_blob *cert = NULL, *e = NULL;

	fx_files(1, &f);
	der = f->f[CPK_F_HEADER];
	cr_assert_eq(cpk_header_decode(der->ptr, der->len, &h), CPK_OK);
	cr_assert_eq(cpk_blob_new(cpk_header_cert(h, 0)->ptr,
	    cpk_header_cert(h, 0)->len, &cert), CPK_OK);
	cr_assert_eq(cpk_header_set_cert(h, 0, cert), CPK_OK);
	cr_assert_eq(cpk_header_update_mac(h, CPK_P_2012_256), CPK_OK);
	cr_assert_str_eq(hexs(cpk_header_mac(h), 4), "fd9da319");
	cr_assert_eq(cpk_header_encode(h, &e), CPK_OK);
	assert_bytes(e, der->ptr, der->len, "header after same cert");
	cpk_blob_free(&e);
	cpk_blob_free(&cert);
	cpk_header_free(&h);
	cpk_files_free(&f);
}

Test(codec_edit, set_cert_changes_only_field_5)
{
	cpk_files *f = NULL;
	const cpk_blob *der;
	cpk_header *h = NULL, *back = NULL;
	cpk_blob *cert = NULL, *e = NULL;
	cpk_tlv a[32], b[32];
	size_t na, nb;

	fx_files(1, &f);
	der = f->f[CPK_F_HEADER];
	cr_assert_eq(cpk_header_decode(der->ptr, der->len, &h), CPK_OK);
	/* a different, shorter DER blob: one-byte length instead of 82 LL LL */
	cr_assert_eq(cpk_blob_new("\x30\x03\x02\x01\x07", 5, &cert), CPK_OK);
	cr_assert_eq(cpk_header_set_cert(h, 0, cert), CPK_OK);
	cr_assert(cpk_blob_eq(cpk_header_cert(h, 0), cert));
	/* set_cert keeps the old MAC: it no longer matches */
	cr_assert_str_eq(hexs(cpk_header_mac(h), 4), "fd9da319");
	cr_assert_eq(cpk_header_check_mac(h, CPK_P_2012_256), CPK_E_MAC);
	cr_assert_eq(cpk_header_update_mac(h, CPK_P_2012_256), CPK_OK);
	cr_assert_eq(cpk_header_check_mac(h, CPK_P_2012_256), CPK_OK);
	cr_assert_str_neq(hexs(cpk_header_mac(h), 4), "fd9da319");

	cr_assert_eq(cpk_header_encode(h, &e), CPK_OK);
	/* 882 bytes of [5] become 7; both SEQUENCE lengths shrink from
	 * 82 LL LL to one byte */
	cr_assert_eq(e->len, der->len - 882 + 7 - 2 - 2);
	na = content_elems(der, a, 32);
	nb = content_elems(e, b, 32);
	cr_assert_eq(na, 7);		/* A0 03 30 82 85 8A AC */
	cr_assert_eq(nb, na);
	for (size_t j = 0; j < na; j++) {
		cr_assert_eq(a[j].tag, b[j].tag);
		if (a[j].tag == 0x85)
			cr_assert_str_eq(hexs(b[j].raw, b[j].raw_len),
			    "85053003020107");
		else
			cr_assert(a[j].raw_len == b[j].raw_len &&
			    memcmp(a[j].raw, b[j].raw, a[j].raw_len) == 0,
			    "element %zu (tag %02x) changed", j, a[j].tag);
	}
	/* the new file decodes on its own, and its MAC verifies there too */
	cr_assert_eq(cpk_header_decode(e->ptr, e->len, &back), CPK_OK);
	cr_assert_eq(cpk_header_check_mac(back, CPK_P_2012_256), CPK_OK);
	cr_assert_str_eq(hexs(cpk_header_fp(back, 0), 8), "22ded110fefd4ede");
	cpk_header_free(&back);
	cpk_blob_free(&e);
	cpk_blob_free(&cert);
	cpk_header_free(&h);
	cpk_files_free(&f);
}

/* A header without [5] gets it inserted before [10] (§6.2 order). */
Test(codec_edit, set_cert_inserts_in_order)
{
	static const unsigned char fp[8] = { 0x22, 0xde, 0xd1, 0x10 };
	cpk_header_fields hf;
	cpk_header *h = NULL;
	cpk_blob *raw = NULL, *cert = NULL, *e = NULL;
	cpk_tlv el[16];
	size_t n;
	char tags[32] = "";

	memset(&hf, 0, sizeof(hf));
	hf.attrs = CPK_CA_RESERVE;
	hf.params.attrs = CPK_KA_EXCHANGE;
	strcpy(hf.params.alg, "1.2.643.7.1.1.6.1");
	strcpy(hf.params.curve, "1.2.643.2.2.36.0");
	strcpy(hf.params.digest, "1.2.643.7.1.1.2.2");
	hf.fp = fp;
	hf.key_not_after = 1749216118;
	cr_assert_eq(cpk_header_build(&hf, CPK_P_2012_256, &raw), CPK_OK);
	cr_assert_eq(cpk_header_decode(raw->ptr, raw->len, &h), CPK_OK);
	cr_assert_null(cpk_header_cert(h, 0));
	cr_assert_eq(cpk_header_check_mac(h, CPK_P_2012_256), CPK_OK);
	cr_assert_eq(cpk_blob_new("\x30\x00", 2, &cert), CPK_OK);
	cr_assert_eq(cpk_header_set_cert(h, 0, cert), CPK_OK);
	cr_assert_eq(cpk_header_update_mac(h, CPK_P_2012_256), CPK_OK);
	cr_assert_eq(cpk_header_encode(h, &e), CPK_OK);
	n = content_elems(e, el, 16);
	for (size_t j = 0; j < n; j++)
		snprintf(tags + strlen(tags), sizeof(tags) - strlen(tags),
		    "%02x", el[j].tag);
	cr_assert_str_eq(tags, "a0033085" "8aac");
	cr_assert_str_eq(hexs(el[3].raw, el[3].raw_len), "85023000");
	cr_assert_eq(cpk_header_check_mac(h, CPK_P_2012_256), CPK_OK);
	cpk_blob_free(&e);
	cpk_blob_free(&cert);
	cpk_blob_free(&raw);
	cpk_header_free(&h);
}
