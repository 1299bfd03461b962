/* The CPKDF through libgcrypt and through gost-engine (issue 20): the two
 * hash paths give the same KEK, on the real fixtures (salts read from the
 * containers, KEKs of FORMATS.md §20.3) and on generated passwords in
 * every encoding; the fixtures unlock under each forced choice
 * (CPKIT_KDF_HASH), and by default the profile hashes with libgcrypt.
 * Criterion runs every test in a process of its own, so each one makes
 * its choice afresh. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "internal.h"

struct fx {
	const char	*dir;
	const char	*pw;
	enum cpk_profile profile;
	const char	*salt[2];	/* randomStatus of each copy */
	const char	*kek[2];
	const char	*d;
};

static const struct fx fixtures[] = {
	{ "cpcert-samples/g2001.000", "1", CPK_P_2001,
	  { "bbe074586f1385f07221f5f6", "8978bd0e8e2ee5d384dee86a" },
	  { "ffc614555770fb63504fc509b1d212d34decf972e6e33bdc9ac87ff8b69b34e1",
	    "b9cde94abb0d8dc28a05e29498c52bc3becf7f9bfc8a74f511645e7d426a15e2" },
	  "b52cb428dc96e1a8a8842cb221c7f1565afdd4cc41403fbc11442d28680c89b1" },
	{ "cpcert-samples/g2012256.000", "1", CPK_P_2012_256,
	  { "bb43a4057f3652f786d5d020", "ad65f761a5b561208f09f7fc" },
	  { "2e168a02b3a0b2bc09c833bc4cccd496eb8e56be6db9b73f9c50d38b2cfec589",
	    "08fc3f18798999b12c50564bf490f4ee340b70e404bec0dbdd19199db9cde64f" },
	  "3cfc260415ec96566791cfdd388245882db0f0fc41c05eb24aed208560bf586c" },
	{ "cpcert-samples/g2012512.000", "1", CPK_P_2012_512,
	  { "79f7c43b9e9223fe7425fc52", "b19ed03296587c8545812fd5" },
	  { "ebae849b09d3fe00f4f0527852ae244f2d1f753422092030564b47fde5de4c23",
	    "37b2d1fea226407658f04aa566ccef4e528b8c225379043afe14916ec0dc10fe" },
	  "5c61ceef14fe82c86ef33e07a9be66d79d542c1f44aa8a4b1d0bc1d42892c06b"
	  "7e9be81460e909fe6e6cc77b4c174a1107b90359a2f8c960f866d405499624a6" },
	{ "srv-emptypw.000", "", CPK_P_2012_256,
	  { "ea209d8d01b3042942393727", "42a053128e4422fe181150da" },
	  { "05b7d4e80b423ed635248a829f3634ce29f9100a81b987760aa12b5e15fc7892",
	    "33c1ec2ce5fdca69dd4001999b49b99e45157610472ca2c6e210cea6f97c86a0" },
	  "3e59e7f7235517362a818b9e1f499158d30ef1da5ed6016e1beb70093ef2bbe4" },
};
#define N_FX	(sizeof(fixtures) / sizeof(fixtures[0]))

static const enum cpk_profile profiles[] = { CPK_P_2001, CPK_P_2012_256,
	CPK_P_2012_512 };
static const enum cpk_kdf_impl impls[] = { CPK_KDF_ENGINE, CPK_KDF_GCRYPT };

/* A temporary copy of fixture i, decoded; skips the test when the
 * fixtures are absent. */
static cpk_container *
open_fixture(size_t i)
{
	const char *dir;
	cpk_container *c;

	if (fixtures_dir() == NULL)
		cr_skip_test("../shared/fixtures/real is absent");
	cr_assert_not_null(dir = fixture_copy(fixtures[i].dir));
	c = load_container(dir);
	cr_assert_eq(c->profile, fixtures[i].profile);
	return c;
}

Test(kdf_impl, fixture_keks_through_both_libraries)
{
	unsigned char out[32];
	cpk_container *c;

	for (size_t i = 0; i < N_FX; i++) {
		const struct fx *f = &fixtures[i];

		c = open_fixture(i);
		for (int copy = 0; copy < 2; copy++) {
			const cpk_blob *salt = c->masks[copy]->salt;

			cr_assert_geq(salt->len, 12);
			cr_assert_str_eq(hexs(salt->ptr, 12), f->salt[copy]);
			for (size_t j = 0; j < 2; j++) {
				memset(out, 0, sizeof(out));
				cr_assert_eq(cpk_kdf_with(impls[j], c->profile,
				    f->pw, CPK_PW_UTF8, salt->ptr, 12, out),
				    CPK_OK);
				cr_assert_str_eq(hexs(out, 32), f->kek[copy],
				    "%s copy %d, %s", f->dir, copy,
				    impls[j] == CPK_KDF_GCRYPT ? "libgcrypt" :
				    "gost-engine");
			}
		}
		cpk_container_free(&c);
	}
}

/* li0ard/gost's published vector (FORMATS.md §20.5), through each */
Test(kdf_impl, published_vector_through_both_libraries)
{
	unsigned char salt[12], out[32];

	unhex("98e4f49415555d8ab20567a0", salt, 12);
	for (size_t j = 0; j < 2; j++) {
		cr_assert_eq(cpk_kdf_with(impls[j], CPK_P_2012_256, "qawsqaws",
		    CPK_PW_UTF8, salt, 12, out), CPK_OK);
		cr_assert_str_eq(hexs(out, 32), "b551b39608787399ba85c59c68906b8f83c289ccee3c6141700dfc75ec0fd9f5");
	}
}

/* Every profile, password and encoding: the same KEK (or the same
 * refusal) from both, under a 12-byte salt and an 8-byte fingerprint (the
 * password MAC's salt). */
Test(kdf_impl, generated_passwords_agree)
{
	static const char *const pws[] = { "", "1", "12345678",
	    "P@ss word~\t!", "пароль", "Пароль-2024 ёЁ №", "日本",
	    NULL, NULL };
	static const enum cpk_pwenc encs[] = { CPK_PW_UTF32LE, CPK_PW_UTF8,
	    CPK_PW_CP1251 };
	static const unsigned char salt[12] = { 0x5a, 1, 2, 3, 4, 5, 6, 7,
	    0xf8, 0xf9, 0xfa, 0xfb };
	char lat[201], cyr[241];
	const char *list[sizeof(pws) / sizeof(pws[0])];
	unsigned char a[32], b[32];
	size_t n = 0, agreed = 0;
	cpk_err ra, rb;

	memset(lat, 'x', 200);
	lat[200] = '\0';
	for (size_t i = 0; i < 120; i++)
		memcpy(cyr + 2 * i, "ж", 2);
	cyr[240] = '\0';
	memcpy(list, pws, sizeof(pws));
	list[7] = lat;
	list[8] = cyr;
	for (size_t p = 0; p < 3; p++)
		for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++)
			for (size_t e = 0; e < 3; e++)
				for (size_t s = 8; s <= 12; s += 4) {
					memset(a, 0, 32);
					memset(b, 0xff, 32);
					ra = cpk_kdf_with(CPK_KDF_ENGINE,
					    profiles[p], list[i], encs[e], salt,
					    s, a);
					rb = cpk_kdf_with(CPK_KDF_GCRYPT,
					    profiles[p], list[i], encs[e], salt,
					    s, b);
					cr_assert_eq(ra, rb, "%s %zu %zu",
					    list[i], p, e);
					n++;
					if (ra != CPK_OK)
						continue;
					cr_assert_eq(memcmp(a, b, 32), 0,
					    "profile %zu, password %zu, %s, "
					    "salt %zu: %s vs %s", p, i,
					    cpk_pwenc_name(encs[e]), s,
					    hexs(a, 32), hexs(b, 32));
					agreed++;
				}
	cr_assert_eq(n, 3 * 9 * 3 * 2);
	/* only "日本" in CP1251 is refused (not representable) */
	cr_assert_eq(agreed, n - 3 * 2, "%zu of %zu", agreed, n);
}

static void
unlock_all(void)
{
	const unsigned char *d;
	cpk_container *c;
	cpk_key *k = NULL;
	size_t len;

	for (size_t i = 0; i < N_FX; i++) {
		const struct fx *f = &fixtures[i];

		c = open_fixture(i);
		for (int copy = 0; copy < 2; copy++) {
			cr_assert_eq(cpk_key_unlock(c, copy, f->pw, CPK_PW_UTF8,
			    &k), CPK_OK, "%s copy %d", f->dir, copy);
			d = cpk_key_scalar(k, &len);
			cr_assert_str_eq(hexs(d, len), f->d);
			cpk_key_free(&k);
		}
		cr_assert_eq(cpk_container_unlock(c, f->pw, &k), CPK_OK);
		cpk_key_free(&k);
		cr_assert_eq(cpk_key_unlock(c, 0, "2", CPK_PW_UTF8, &k),
		    CPK_E_FINGERPRINT);
		if (cpk_header_attrs(c->header) & CPK_CA_PASSWORD)
			cr_assert_eq(cpk_password_check(c, f->pw, CPK_PW_UTF8),
			    CPK_OK);
		cpk_container_free(&c);
	}
}

static void
names_start(const char *want)
{
	for (size_t p = 0; p < 3; p++)
		cr_assert_eq(strncmp(cpk_kdf_impl_name(profiles[p]), want,
		    strlen(want)), 0, "%s", cpk_kdf_impl_name(profiles[p]));
}

Test(kdf_impl, fixtures_unlock_with_engine_forced)
{
	cr_assert_eq(setenv("CPKIT_KDF_HASH", "engine", 1), 0);
	names_start("gost-engine md_gost");
	cr_assert_eq(cpk_kdf_impl_of(CPK_H94), CPK_KDF_ENGINE);
	cr_assert_eq(cpk_kdf_impl_of(CPK_S256), CPK_KDF_ENGINE);
	cr_assert_str_eq(cpk_kdf_impl_name(CPK_P_2012_512),
	    "gost-engine md_gost12_256");
	unlock_all();
}

Test(kdf_impl, fixtures_unlock_with_libgcrypt_forced)
{
	cr_assert_eq(setenv("CPKIT_KDF_HASH", "gcrypt", 1), 0);
	names_start("libgcrypt ");
	cr_assert_eq(cpk_kdf_impl_of(CPK_H94), CPK_KDF_GCRYPT);
	cr_assert_eq(cpk_kdf_impl_of(CPK_S256), CPK_KDF_GCRYPT);
	unlock_all();
}

/* The fixed rule: libgcrypt for every profile once it passes its
 * self-test, as it does with Debian's libgcrypt20 */
Test(kdf_impl, libgcrypt_by_default)
{
	cr_assert_eq(unsetenv("CPKIT_KDF_HASH"), 0);
	cr_assert_not_null(strstr(cpk_kdf_impl_name(CPK_P_2001),
	    " GOSTR3411_CP"));
	cr_assert_not_null(strstr(cpk_kdf_impl_name(CPK_P_2012_256),
	    " STRIBOG256"));
	names_start("libgcrypt ");
	cr_assert_null(cpk_kdf_impl_name(CPK_P_NONE));
}
