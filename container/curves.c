/* Profiles (FORMATS.md §9) and curves (§7.3, Appendix A, RFC 4357 §11.4,
 * RFC 7836). Aliases share a group number; twisted Edwards sets are given
 * in their Weierstrass form. */
#include <string.h>

#include "internal.h"

#define CPA_P "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd97"
#define CPA_A "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd94"
#define CPA_B "a6"
#define CPA_Q "ffffffffffffffffffffffffffffffff6c611070995ad10045841b09b761b893"
#define CPA_X "1"
#define CPA_Y "8d91e471e0989cda27df505a453f2b7635294f2ddf23e3b122acc99c9e9f1e14"
#define CPA CPA_P, CPA_A, CPA_B, CPA_Q, CPA_X, CPA_Y

#define CPB_P "8000000000000000000000000000000000000000000000000000000000000c99"
#define CPB_A "8000000000000000000000000000000000000000000000000000000000000c96"
#define CPB_B "3e1af419a269a5f866a7d3c25c3df80ae979259373ff2b182f49d4ce7e1bbc8b"
#define CPB_Q "800000000000000000000000000000015f700cfff1a624e5e497161bcc8a198f"
#define CPB_X "1"
#define CPB_Y "3fa8124359f96680b83d1c3eb2c070e5c545c9858d03ecfb744bf8d717717efc"
#define CPB CPB_P, CPB_A, CPB_B, CPB_Q, CPB_X, CPB_Y

#define CPC_P "9b9f605f5a858107ab1ec85e6b41c8aacf846e86789051d37998f7b9022d759b"
#define CPC_A "9b9f605f5a858107ab1ec85e6b41c8aacf846e86789051d37998f7b9022d7598"
#define CPC_B "805a"
#define CPC_Q "9b9f605f5a858107ab1ec85e6b41c8aa582ca3511eddfb74f02f3a6598980bb9"
#define CPC_X "0"
#define CPC_Y "41ece55743711a8c3cbf3783cd08c0ee4d4dc440d4641a8f366e550dfdb3bb67"
#define CPC CPC_P, CPC_A, CPC_B, CPC_Q, CPC_X, CPC_Y

static const cpk_curve curves[] = {
	{ "1.2.643.2.2.35.1", "CryptoPro-A", 1, 32, CPA },
	{ "1.2.643.2.2.35.2", "CryptoPro-B", 2, 32, CPB },
	{ "1.2.643.2.2.35.3", "CryptoPro-C", 3, 32, CPC },
	{ "1.2.643.2.2.36.0", "CryptoPro-XchA", 1, 32, CPA },
	{ "1.2.643.2.2.36.1", "CryptoPro-XchB", 3, 32, CPC },
	{ "1.2.643.7.1.2.1.1.1", "tc26-256-A", 4, 32,
	  "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd97",
	  "c2173f1513981673af4892c23035a27ce25e2013bf95aa33b22c656f277e7335",
	  "295f9bae7428ed9ccc20e7c359a9d41a22fccd9108e17bf7ba9337a6f8ae9513",
	  "400000000000000000000000000000000fd8cddfc87b6635c115af556c360c67",
	  "91e38443a5e82c0d880923425712b2bb658b9196932e02c78b2582fe742daa28",
	  "32879423ab1a0375895786c4bb46e9565fde0b5344766740af268adb32322e5c" },
	{ "1.2.643.7.1.2.1.1.2", "tc26-256-B", 1, 32, CPA },
	{ "1.2.643.7.1.2.1.1.3", "tc26-256-C", 2, 32, CPB },
	{ "1.2.643.7.1.2.1.1.4", "tc26-256-D", 3, 32, CPC },
	{ "1.2.643.7.1.2.1.2.1", "tc26-512-A", 5, 64,
	  "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	  "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffdc7",
	  "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	  "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffdc4",
	  "e8c2505dedfc86ddc1bd0b2b6667f1da34b82574761cb0e879bd081cfd0b6265"
	  "ee3cb090f30d27614cb4574010da90dd862ef9d4ebee4761503190785a71c760",
	  "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	  "27e69532f48d89116ff22b8d4e0560609b4b38abfad2b85dcacdb1411f10b275",
	  "3",
	  "7503cfe87a836ae3a61b8816e25450e6ce5e1c93acf1abc1778064fdcbefa921"
	  "df1626be4fd036e93d75e6a50e3a41e98028fe5fc235f5b889a589cb5215f2a4" },
	{ "1.2.643.7.1.2.1.2.2", "tc26-512-B", 6, 64,
	  "8000000000000000000000000000000000000000000000000000000000000000"
	  "000000000000000000000000000000000000000000000000000000000000006f",
	  "8000000000000000000000000000000000000000000000000000000000000000"
	  "000000000000000000000000000000000000000000000000000000000000006c",
	  "687d1b459dc841457e3e06cf6f5e2517b97c7d614af138bcbf85dc806c4b289f"
	  "3e965d2db1416d217f8b276fad1ab69c50f78bee1fa3106efb8ccbc7c5140116",
	  "8000000000000000000000000000000000000000000000000000000000000001"
	  "49a1ec142565a545acfdb77bd9d40cfa8b996712101bea0ec6346c54374f25bd",
	  "2",
	  "1a8f7eda389b094c2c071e3647a8940f3c123b697578c213be6dd9e6c8ec7335"
	  "dcb228fd1edf4a39152cbcaaf8c0398828041055f94ceeec7e21340780fe41bd" },
	{ "1.2.643.7.1.2.1.2.3", "tc26-512-C", 7, 64,
	  "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	  "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffdc7",
	  "dc9203e514a721875485a529d2c722fb187bc8980eb866644de41c68e1430645"
	  "46e861c0e2c9edd92ade71f46fcf50ff2ad97f951fda9f2a2eb6546f39689bd3",
	  "b4c4ee28cebc6c2c8ac12952cf37f16ac7efb6a9f69f4b57ffda2e4f0de5ade0"
	  "38cbc2fff719d2c18de0284b8bfef3b52b8cc7a5f5bf0a3c8d2319a5312557e1",
	  "3fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	  "c98cdba46506ab004c33a9ff5147502cc8eda9e7a769a12694623cef47f023ed",
	  "e2e31edfc23de7bdebe241ce593ef5de2295b7a9cbaef021d385f7074cea043a"
	  "a27272a7ae602bf2a7b9033db9ed3610c6fb85487eae97aac5bc7928c1950148",
	  "f5ce40d95b5eb899abbccff5911cb8577939804d6527378b8c108c3d2090ff9b"
	  "e18e2d33e3021ed2ef32d85822423b6304f726aa854bae07d0396e9a9addc40f" },
};

size_t
cpk_curve_count(void)
{
	return sizeof(curves) / sizeof(curves[0]);
}

const cpk_curve *
cpk_curve_at(size_t i)
{
	return i < cpk_curve_count() ? &curves[i] : NULL;
}

const cpk_curve *
cpk_curve_by_oid(const char *oid)
{
	for (size_t i = 0; oid != NULL && i < cpk_curve_count(); i++)
		if (strcmp(curves[i].oid, oid) == 0)
			return &curves[i];
	return NULL;
}

const char *
cpk_curve_name(const cpk_curve *c)
{
	return c->name;
}

const char *
cpk_curve_oid(const cpk_curve *c)
{
	return c->oid;
}

size_t
cpk_curve_len(const cpk_curve *c)
{
	return c->len;
}

int
cpk_curve_same(const cpk_curve *a, const cpk_curve *b)
{
	return a != NULL && b != NULL && a->group == b->group;
}

/* Key algorithm OIDs (§7.2): each profile has a DH and a signature OID. */
static const struct {
	const char	*oid;
	const char	*sig;
	enum cpk_profile p;
} algs[] = {
	{ "1.2.643.2.2.98", "1.2.643.2.2.19", CPK_P_2001 },
	{ "1.2.643.2.2.19", "1.2.643.2.2.19", CPK_P_2001 },
	{ "1.2.643.7.1.1.6.1", "1.2.643.7.1.1.1.1", CPK_P_2012_256 },
	{ "1.2.643.7.1.1.1.1", "1.2.643.7.1.1.1.1", CPK_P_2012_256 },
	{ "1.2.643.7.1.1.6.2", "1.2.643.7.1.1.1.2", CPK_P_2012_512 },
	{ "1.2.643.7.1.1.1.2", "1.2.643.7.1.1.1.2", CPK_P_2012_512 },
};

enum cpk_profile
cpk_profile_by_oid(const char *oid)
{
	for (size_t i = 0; oid != NULL && i < sizeof(algs) / sizeof(algs[0]);
	    i++)
		if (strcmp(algs[i].oid, oid) == 0)
			return algs[i].p;
	return CPK_P_NONE;
}

const char *
cpk_oid_signature_alg(const char *oid)
{
	for (size_t i = 0; oid != NULL && i < sizeof(algs) / sizeof(algs[0]);
	    i++)
		if (strcmp(algs[i].oid, oid) == 0)
			return algs[i].sig;
	return NULL;
}

const char *
cpk_profile_name(enum cpk_profile p)
{
	switch (p) {
	case CPK_P_2001:
		return "gost2001";
	case CPK_P_2012_256:
		return "gost2012-256";
	case CPK_P_2012_512:
		return "gost2012-512";
	case CPK_P_NONE:
		break;
	}
	return "unknown";
}

size_t
cpk_profile_key_len(enum cpk_profile p)
{
	return p == CPK_P_2012_512 ? 64 : p == CPK_P_NONE ? 0 : 32;
}

/* The KDF uses Streebog-256 even for 512-bit keys (§9). */
enum cpk_hash
cpk_profile_kdf_hash(enum cpk_profile p)
{
	return p == CPK_P_2001 ? CPK_H94 : CPK_S256;
}

size_t
cpk_profile_kdf_block(enum cpk_profile p)
{
	return p == CPK_P_2001 ? 32 : 64;
}

enum cpk_sbox
cpk_profile_sbox(enum cpk_profile p)
{
	return p == CPK_P_2001 ? CPK_SBOX_A : CPK_SBOX_Z;
}

enum cpk_profile
cpk_profile_by_name(const char *name)
{
	static const enum cpk_profile all[] = { CPK_P_2001, CPK_P_2012_256,
	    CPK_P_2012_512 };

	for (size_t i = 0; name != NULL && i < 3; i++)
		if (strcmp(cpk_profile_name(all[i]), name) == 0)
			return all[i];
	return CPK_P_NONE;
}

const char *
cpk_profile_key_oid(enum cpk_profile p, int exchange)
{
	switch (p) {
	case CPK_P_2001:
		return exchange ? "1.2.643.2.2.98" : "1.2.643.2.2.19";
	case CPK_P_2012_256:
		return exchange ? "1.2.643.7.1.1.6.1" : "1.2.643.7.1.1.1.1";
	case CPK_P_2012_512:
		return exchange ? "1.2.643.7.1.1.6.2" : "1.2.643.7.1.1.1.2";
	case CPK_P_NONE:
		break;
	}
	return NULL;
}

/* As in every fixture header (§20.1), 512-bit keys included. */
const char *
cpk_profile_digest_oid(enum cpk_profile p)
{
	switch (p) {
	case CPK_P_2001:
		return "1.2.643.2.2.30.1";
	case CPK_P_2012_256:
		return "1.2.643.7.1.1.2.2";
	case CPK_P_2012_512:
		return "1.2.643.7.1.1.2.3";
	case CPK_P_NONE:
		break;
	}
	return NULL;
}
