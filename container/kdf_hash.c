/*
 * The CPKDF's hash (FORMATS.md §11): which library computes it, chosen
 * once per process, and the context that runs the chosen one. GOST R
 * 34.11-94 serves the 2001 profile, Streebog-256 both 2012 profiles.
 *
 * The choice is a fixed rule, measured (docs/PERFORMANCE.md): libgcrypt
 * whenever it loads and passes the self-test below, because its GOST R
 * 34.11-94 ran 2-3 times as fast as gost-engine's and its Streebog-256
 * as fast or faster on every machine measured. No timing at start-up: a
 * few milliseconds on a shared machine would pick at random between two
 * equal Streebogs, and the choice (and --version) would change from run
 * to run.
 *
 * The self-test: libgcrypt's digest must equal gost-engine's (the
 * reference every other path is proven against) on fixed messages of the
 * KDF's sizes and on a short one that ends in a partial block; if not,
 * or if libgcrypt cannot be loaded, gost-engine is used.
 *
 * CPKIT_KDF_HASH=engine forces gost-engine, =gcrypt libgcrypt (still only
 * after its self-test), so that the tests and the bench run both paths.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum { N_HASH = 2 };		/* CPK_H94, CPK_S256: the KDF's two */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static enum cpk_kdf_impl pick[N_HASH];
static char names[N_HASH][96];

static int
same_digests(enum cpk_hash h)
{
	static const size_t lens[] = { 41, 128, 192 };
	unsigned char m[192], a[32], b[32];
	cpk_gcry_md *g = NULL;
	int ok;

	for (size_t i = 0; i < sizeof(m); i++)
		m[i] = (unsigned char)(i * 167 + 13);
	ok = cpk_gcry_md_new(h, &g) == CPK_OK;
	for (size_t i = 0; ok && i < sizeof(lens) / sizeof(lens[0]); i++)
		ok = cpk_gost_hash(h, m, lens[i], a) == CPK_OK &&
		    cpk_gcry_md_run(g, m, lens[i], b) == CPK_OK &&
		    memcmp(a, b, 32) == 0;
	cpk_gcry_md_free(&g);
	return ok;
}

static void
choose(void)
{
	static const char *const eng[N_HASH] = { "md_gost94", "md_gost12_256" };
	static const char *const gc[N_HASH] = { "GOSTR3411_CP", "STRIBOG256" };
	const char *force = getenv("CPKIT_KDF_HASH"), *v;
	int engine_only = force != NULL && strcmp(force, "engine") == 0;

	for (int h = 0; h < N_HASH; h++) {
		pick[h] = CPK_KDF_ENGINE;
		if (engine_only) {
			snprintf(names[h], sizeof(names[h]), "gost-engine %s",
			    eng[h]);
		} else if ((v = cpk_gcry_version()) == NULL) {
			snprintf(names[h], sizeof(names[h]),
			    "gost-engine %s (libgcrypt not available)", eng[h]);
		} else if (!same_digests((enum cpk_hash)h)) {
			snprintf(names[h], sizeof(names[h]),
			    "gost-engine %s (libgcrypt %s failed the self-test)",
			    eng[h], v);
		} else {
			pick[h] = CPK_KDF_GCRYPT;
			snprintf(names[h], sizeof(names[h]), "libgcrypt %s %s",
			    v, gc[h]);
		}
	}
}

static int
hash_index(enum cpk_hash h)
{
	return h == CPK_H94 ? 0 : 1;
}

enum cpk_kdf_impl
cpk_kdf_impl_of(enum cpk_hash h)
{
	pthread_once(&once, choose);
	return pick[hash_index(h)];
}

const char *
cpk_kdf_impl_name(enum cpk_profile p)
{
	if (p == CPK_P_NONE)
		return NULL;
	pthread_once(&once, choose);
	return names[hash_index(cpk_profile_kdf_hash(p))];
}

struct cpk_kdf_hasher {
	cpk_hasher	*engine;
	cpk_gcry_md	*gcry;
};

cpk_err
cpk_kdf_hasher_new(enum cpk_kdf_impl impl, enum cpk_hash h,
    cpk_kdf_hasher **out)
{
	cpk_err r;

	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return CPK_E_NOMEM;
	r = impl == CPK_KDF_GCRYPT ? cpk_gcry_md_new(h, &(*out)->gcry) :
	    cpk_hasher_new(h, &(*out)->engine);
	if (r != CPK_OK)
		cpk_kdf_hasher_free(out);
	return r;
}

cpk_err
cpk_kdf_hasher_run(cpk_kdf_hasher *hs, const unsigned char *p, size_t len,
    unsigned char out[32])
{
	if (hs->gcry != NULL)
		return cpk_gcry_md_run(hs->gcry, p, len, out);
	return cpk_hasher_run(hs->engine, p, len, out);
}

void
cpk_kdf_hasher_free(cpk_kdf_hasher **hp)
{
	if (hp == NULL || *hp == NULL)
		return;
	cpk_gcry_md_free(&(*hp)->gcry);
	cpk_hasher_free(&(*hp)->engine);
	free(*hp);
	*hp = NULL;
}
