/* The container writer: what it writes must read back, unlock with the
 * password on both copies, carry every MAC, and look like CryptoPro's
 * headers (FORMATS.md §18). Also the folder media naming. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "media_int.h"

static cpk_container *
create(const cpk_key *k, const char *name, const char *pw, int exchange,
    cpk_files **files)
{
	cpk_new_container nc = { name, k, NULL, pw, 1, exchange, 0, 1, NULL,
	    NULL };
	cpk_container *c = NULL;

	cr_assert_eq(cpk_container_create(&nc, files), CPK_OK);
	cr_assert_eq(cpk_container_decode(*files, &c), CPK_OK);
	return c;
}

static void
roundtrip(enum cpk_profile p, const char *curve, const char *alg,
    const char *pw)
{
	cpk_key *k = fixed_key(13, 5, p, curve, alg), *u = NULL;
	cpk_files *f = NULL, *again = NULL;
	cpk_container *c = create(k, "roundtrip", pw, 0, &f);
	size_t l1, l2;

	cr_assert_eq(c->profile, p);
	cr_assert_eq(cpk_header_check_mac(c->header, p), CPK_OK);
	for (int copy = 0; copy < 2; copy++) {
		cr_assert_eq(cpk_masks_check_mac(c->masks[copy], p), CPK_OK);
		cr_assert_eq(cpk_key_unlock(c, copy, pw, CPK_PW_UTF32LE, &u),
		    CPK_OK, "%s copy %d", curve, copy);
		const unsigned char *a = cpk_key_scalar(u, &l1);
		const unsigned char *b = cpk_key_scalar(k, &l2);
		cr_assert_eq(l1, l2);
		cr_assert_eq(memcmp(a, b, l2), 0);
		cpk_key_free(&u);
	}
	/* a fresh mask and salt per copy */
	cr_assert_neq(memcmp(c->masks[0]->salt->ptr, c->masks[1]->salt->ptr,
	    12), 0);
	cr_assert_eq(cpk_container_encode(c, &again), CPK_OK);
	for (int i = 0; i < CPK_F_COUNT; i++)
		cr_assert(cpk_blob_eq(f->f[i], again->f[i]), "%s",
		    cpk_file_name((enum cpk_file_id)i));
	cpk_files_free(&again);
	cpk_files_free(&f);
	cpk_container_free(&c);
	cpk_key_free(&k);
}

Test(writer, every_profile_round_trips)
{
	roundtrip(CPK_P_2001, "1.2.643.2.2.35.2", "1.2.643.2.2.19", "secret");
	roundtrip(CPK_P_2012_256, "1.2.643.7.1.2.1.1.4", "1.2.643.7.1.1.1.1",
	    "secret");
	roundtrip(CPK_P_2012_512, "1.2.643.7.1.2.1.2.3", "1.2.643.7.1.1.1.2",
	    "secret");
}

Test(writer, password_bit_and_mac)
{
	cpk_key *k = fixed_key(13, 5, CPK_P_2012_256, "1.2.643.2.2.36.0",
	    "1.2.643.7.1.1.6.1");
	cpk_files *f = NULL;
	cpk_container *c = create(k, "pw", "пароль", 1, &f);

	cr_assert_eq(cpk_header_attrs(c->header),
	    CPK_CA_PASSWORD | CPK_CA_RESERVE);
	cr_assert_eq(cpk_header_params(c->header, 0)->attrs,
	    CPK_KA_EXPORTABLE | CPK_KA_EXCHANGE);
	cr_assert_str_eq(cpk_header_params(c->header, 0)->alg,
	    "1.2.643.7.1.1.6.1");
	cr_assert_eq(cpk_password_check(c, "пароль", CPK_PW_UTF32LE), CPK_OK);
	cr_assert_eq(cpk_password_check(c, "пароль", CPK_PW_UTF8),
	    CPK_E_BAD_PASSWORD);
	cpk_files_free(&f);
	cpk_container_free(&c);
	c = create(k, "nopw", "", 1, &f);
	/* like the srv fixture without the placeholder: bit 0 clear, no [2] */
	cr_assert_eq(cpk_header_attrs(c->header), CPK_CA_RESERVE);
	cr_assert_null(cpk_header_pw_mac(c->header));
	cpk_files_free(&f);
	cpk_container_free(&c);
	cpk_key_free(&k);
}

Test(writer, header_bytes_follow_the_fixture_layout)
{
	cpk_key *k = fixed_key(13, 5, CPK_P_2001, "1.2.643.2.2.36.0",
	    "1.2.643.2.2.98");
	cpk_files *f = NULL;
	cpk_container *c = create(k, "g2001", "1", 1, &f);
	const unsigned char *h = f->f[CPK_F_HEADER]->ptr;

	/* §6.4: [0] version OID, attributes 06 C0, key params 05 A0 ... */
	cr_assert_str_eq(hexs(h + 4, 20),
	    "a00a06082a85030202250201030206c030220302");
	cr_assert_str_eq(hexs(f->f[CPK_F_NAME]->ptr, f->f[CPK_F_NAME]->len),
	    "300716056732303031");
	cpk_files_free(&f);
	cpk_container_free(&c);
	cpk_key_free(&k);
}

Test(writer, cyrillic_name_is_cp1251)
{
	cpk_blob *b = NULL;
	char *name = NULL;
	const char *enc;

	cr_assert_eq(cpk_name_encode("Ключ", &b), CPK_OK);
	cr_assert_str_eq(hexs(b->ptr, b->len), "30061604caebfef7");
	cr_assert_eq(cpk_name_decode(b->ptr, b->len, &name, &enc), CPK_OK);
	cr_assert_str_eq(name, "Ключ");
	cr_assert_str_eq(enc, "cp1251");
	free(name);
	cpk_blob_free(&b);
}

Test(media, naming_and_any_folder)
{
	const char *top = temp_dir();
	char dir[512];
	cpk_key *k = fixed_key(13, 5, CPK_P_2012_256, "1.2.643.2.2.36.0",
	    "1.2.643.7.1.1.1.1");
	cpk_files *f = NULL;
	cpk_container *c = create(k, "flash-key", "x", 0, &f);
	cpk_media *m = NULL;
	const cpk_ref *ref;

	snprintf(dir, sizeof(dir), "%s/not-a-000-name", top);
	cr_assert_eq(cpk_files_write_dir(f, dir), CPK_OK);
	cr_assert_eq(cpk_media_open(top, &m), CPK_OK);
	cr_assert_eq(cpk_media_next(m, &ref), CPK_OK);
	cr_assert_str_eq(ref->fqcn, "\\\\.\\FLASH\\flash-key");
	cr_assert_str_eq(ref->location, dir);
	cr_assert_eq(cpk_media_next(m, &ref), CPK_E_NOT_FOUND);
	cpk_media_close(&m);
	cr_assert_str_eq(cpk_media_kind("/var/opt/cprocsp/keys/root/a.000"),
	    "HDIMAGE");
	cr_assert_str_eq(cpk_media_kind("/media/usb/a.000"), "FLASH");
	/* issue 17 §3: a path that is not there has its own code */
	cr_assert_eq(cpk_media_open("/nonexistent/cpkit", &m),
	    CPK_E_NO_PATH);
	cr_assert_eq(cpk_err_class(CPK_E_NO_PATH), CPK_ERRCLASS_USAGE);
	cpk_files_free(&f);
	cpk_container_free(&c);
	cpk_key_free(&k);
}

/* A two-key container (FORMATS.md §16): the secondary key sits in the [0]
 * element of primary.key under the same KEK and mask, with [4], [6], [11]
 * in the header, and unlocks from both copies. */
Test(writer, two_key_container)
{
	cpk_key *k = fixed_key(13, 5, CPK_P_2012_256, "1.2.643.2.2.36.0",
	    "1.2.643.7.1.1.6.1");
	cpk_key *k2 = fixed_key(13, 5, CPK_P_2012_256, "1.2.643.7.1.2.1.1.1",
	    "1.2.643.7.1.1.1.1"), *u = NULL;
	cpk_new_container nc = { "two", k, NULL, "pw", 1, 1, 0, 1, k2, NULL };
	cpk_files *f = NULL, *again = NULL;
	cpk_container *c = NULL;
	const cpk_keyparams *kp2;
	size_t l1, l2, plen;

	cr_assert_eq(cpk_container_create(&nc, &f), CPK_OK);
	cr_assert_eq(cpk_container_decode(f, &c), CPK_OK);
	cr_assert_eq(cpk_header_check_mac(c->header, CPK_P_2012_256), CPK_OK);
	kp2 = cpk_header_params(c->header, 1);
	cr_assert_not_null(kp2);
	cr_assert_str_eq(kp2->alg, "1.2.643.7.1.1.1.1");	/* signature */
	cr_assert_str_eq(kp2->curve, "1.2.643.7.1.2.1.1.1");
	cr_assert_eq(kp2->attrs & CPK_KA_EXCHANGE, 0);
	cr_assert_eq(memcmp(cpk_header_fp(c->header, 1),
	    cpk_key_public(k2, &plen), 8), 0);
	cr_assert_eq(c->primary[0]->secondary->len, 32);
	for (int copy = 0; copy < 2; copy++) {
		cr_assert_eq(cpk_key_unlock_secondary(c, copy, "pw",
		    CPK_PW_UTF8, &u), CPK_OK);
		const unsigned char *a = cpk_key_scalar(u, &l1);
		const unsigned char *b = cpk_key_scalar(k2, &l2);
		cr_assert_eq(l1, l2);
		cr_assert_eq(memcmp(a, b, l1), 0);
		cpk_key_free(&u);
		cr_assert_eq(cpk_key_unlock(c, copy, "pw", CPK_PW_UTF8, &u),
		    CPK_OK);
		cpk_key_free(&u);
	}
	cr_assert_eq(cpk_key_unlock_secondary(c, 0, "bad", CPK_PW_UTF8, &u),
	    CPK_E_FINGERPRINT);
	cr_assert_eq(cpk_container_encode(c, &again), CPK_OK);
	cr_assert(cpk_blob_eq(again->f[CPK_F_PRIMARY], f->f[CPK_F_PRIMARY]));
	cr_assert(cpk_blob_eq(again->f[CPK_F_HEADER], f->f[CPK_F_HEADER]));
	cpk_files_free(&again);
	cpk_container_free(&c);
	cpk_files_free(&f);
	/* a one-key container has no secondary key to unlock */
	c = create(k, "one", "pw", 1, &f);
	cr_assert_eq(cpk_key_unlock_secondary(c, 0, "pw", CPK_PW_UTF8, &u),
	    CPK_E_MISSING);
	cpk_container_free(&c);
	cpk_files_free(&f);
	cpk_key_free(&k);
	cpk_key_free(&k2);
}
