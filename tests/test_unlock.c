/* Unlocking the real CryptoPro containers of ../shared/fixtures/real
 * (temporary copies): scalars from the fixture README, both copies, the
 * MACs and fingerprints of FORMATS.md §20. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "helpers.h"

struct fx {
	const char	*dir;
	const char	*pw;
	enum cpk_profile profile;
	const char	*d;
	const char	*fp;
	const char	*pem;
};

static const struct fx fixtures[] = {
	{ "cpcert-samples/g2001.000", "1", CPK_P_2001,
	  "b52cb428dc96e1a8a8842cb221c7f1565afdd4cc41403fbc11442d28680c89b1",
	  "91e604e1730a0b4b", "cpcert-samples/g2001.pem" },
	{ "cpcert-samples/g2012256.000", "1", CPK_P_2012_256,
	  "3cfc260415ec96566791cfdd388245882db0f0fc41c05eb24aed208560bf586c",
	  "22ded110fefd4ede", "cpcert-samples/g2012256.pem" },
	{ "cpcert-samples/g2012512.000", "1", CPK_P_2012_512,
	  "5c61ceef14fe82c86ef33e07a9be66d79d542c1f44aa8a4b1d0bc1d42892c06b"
	  "7e9be81460e909fe6e6cc77b4c174a1107b90359a2f8c960f866d405499624a6",
	  "281b22ff6d4525f7", "cpcert-samples/g2012512.pem" },
	{ "srv-emptypw.000", "", CPK_P_2012_256,
	  "3e59e7f7235517362a818b9e1f499158d30ef1da5ed6016e1beb70093ef2bbe4",
	  "aefa90609ba04209", NULL },
};

/* Criterion runs each case in a new process of a PIE binary: parameters
 * are indices, never pointers. */
static int fx_index[] = { 0, 1, 2, 3 };

ParameterizedTestParameters(unlock_real, both_copies)
{
	return cr_make_param_array(int, fx_index, 4);
}

ParameterizedTest(int *i, unlock_real, both_copies)
{
	const struct fx *f = &fixtures[*i];
	const char *dir;
	cpk_container *c;
	cpk_key *k = NULL;
	const unsigned char *d;
	size_t len;

	if ((dir = fixture_copy(f->dir)) == NULL)
		cr_skip_test("../shared/fixtures/real is absent");
	c = load_container(dir);
	cr_assert_eq(cpk_container_profile(c), f->profile);
	cr_assert_str_eq(hexs(cpk_header_fp(cpk_container_header(c), 0), 8), f->fp);
	for (int copy = 0; copy < 2; copy++) {
		cr_assert_eq(cpk_key_unlock(c, copy, f->pw, CPK_PW_UTF8, &k),
		    CPK_OK, "%s copy %d", f->dir, copy);
		d = cpk_key_scalar(k, &len);
		cr_assert_str_eq(hexs(d, len), f->d, "%s copy %d", f->dir,
		    copy);
		cpk_key_free(&k);
	}
	cpk_container_free(&c);
}

ParameterizedTestParameters(unlock_real, macs_and_certificate)
{
	return cr_make_param_array(int, fx_index, 4);
}

ParameterizedTest(int *i, unlock_real, macs_and_certificate)
{
	const struct fx *f = &fixtures[*i];
	const char *dir;
	char pem[1024];
	cpk_container *c;
	cpk_blob *shipped = NULL;
	cpk_cert_info ci;
	cpk_key *k = NULL;
	const unsigned char *pub;
	size_t plen;

	if ((dir = fixture_copy(f->dir)) == NULL)
		cr_skip_test("../shared/fixtures/real is absent");
	c = load_container(dir);
	cr_assert_eq(cpk_header_check_mac(cpk_container_header(c), cpk_container_profile(c)), CPK_OK);
	cr_assert_eq(cpk_masks_check_mac(cpk_container_masks(c, 0), cpk_container_profile(c)), CPK_OK);
	cr_assert_eq(cpk_masks_check_mac(cpk_container_masks(c, 1), cpk_container_profile(c)), CPK_OK);
	if (cpk_header_attrs(cpk_container_header(c)) & CPK_CA_PASSWORD) {
		cr_assert_eq(cpk_password_check(c, f->pw, CPK_PW_UTF8), CPK_OK);
		cr_assert_eq(cpk_password_check(c, "2", CPK_PW_UTF8),
		    CPK_E_BAD_PASSWORD);
	}
	if (f->pem != NULL) {
		snprintf(pem, sizeof(pem), "%s/%s", fixtures_dir(), f->pem);
		cr_assert_eq(cpk_cert_read_file(pem, &shipped), CPK_OK);
		cr_assert(cpk_blob_eq(shipped, cpk_header_cert(cpk_container_header(c), 0)),
		    "certificate in [5] differs from %s", f->pem);
		cpk_blob_free(&shipped);
	}
	/* d*G equals the certificate key, and gost-engine agrees */
	cr_assert_eq(cpk_cert_parse(cpk_header_cert(cpk_container_header(c), 0)->ptr,
	    cpk_header_cert(cpk_container_header(c), 0)->len, &ci), CPK_OK);
	cr_assert_eq(cpk_key_unlock(c, 0, f->pw, CPK_PW_UTF8, &k), CPK_OK);
	pub = cpk_key_public(k, &plen);
	cr_assert_eq(plen, ci.pub_len);
	cr_assert_eq(memcmp(pub, ci.pub, plen), 0);
	cr_assert_eq(cpk_key_sign_verify(k, ci.pub, ci.pub_len), CPK_OK);
	cpk_key_free(&k);
	cpk_container_free(&c);
}

Test(unlock_real, srv_password_mac_is_gated_on_the_bit)
{
	const char *dir = fixture_copy("srv-emptypw.000");
	cpk_container *c;

	if (dir == NULL)
		cr_skip_test("../shared/fixtures/real is absent");
	c = load_container(dir);
	cr_assert_eq(cpk_header_attrs(cpk_container_header(c)) & CPK_CA_PASSWORD, 0);
	/* the stored placeholder 00000000 does not match the empty password
	 * (§20.7): checking it anyway would call a good container broken */
	cr_assert_str_eq(hexs(cpk_header_pw_mac(cpk_container_header(c)), 4), "00000000");
	cr_assert_eq(cpk_password_check(c, "", CPK_PW_UTF8),
	    CPK_E_BAD_PASSWORD);
	cpk_container_free(&c);
}

Test(unlock_real, wrong_password_fails_the_fingerprint)
{
	const char *dir = fixture_copy("srv-emptypw.000");
	cpk_container *c;
	cpk_key *k = NULL;

	if (dir == NULL)
		cr_skip_test("../shared/fixtures/real is absent");
	c = load_container(dir);
	cr_assert_eq(cpk_key_unlock(c, 0, "11111111", CPK_PW_UTF8, &k),
	    CPK_E_FINGERPRINT);
	cr_assert_null(k);
	cpk_container_free(&c);
}

Test(unlock_real, pkcs8_matches_the_shipped_key)
{
	const char *dir = fixture_copy("cpcert-samples/g2012512.000");
	cpk_container *c;
	cpk_key *k = NULL;
	cpk_blob *p8 = NULL;

	if (dir == NULL)
		cr_skip_test("../shared/fixtures/real is absent");
	c = load_container(dir);
	cr_assert_eq(cpk_key_unlock(c, 0, "1", CPK_PW_UTF8, &k), CPK_OK);
	cr_assert_eq(cpk_key_pkcs8(k, &p8), CPK_OK);
	/* FORMATS.md §19 reference bytes: no digest OID for 512-bit keys */
	cr_assert_str_eq(hexs(p8->ptr, 32),
	    "305e020100301706082a85030701010102300b06092a85030701020102010440");
	cr_assert_eq(p8->len, 0x60);
	cpk_blob_free(&p8);
	cpk_key_free(&k);
	cpk_container_free(&c);
}
