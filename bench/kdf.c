/* CPKDF throughput on one thread against the hash speed of both libraries
 * that can compute it, measured in the same run: derivations per second
 * for the 2001 (GOST R 34.11-94, 128-byte messages) and 2012
 * (Streebog-256, 192-byte messages) profiles, then hashes per second of
 * libgcrypt (gcry_md_hash_buffer) and of gost-engine (EVP_Digest through
 * gostprov, as `openssl speed -evp` does) on messages of that size, the
 * three timed in alternating slices so that a neighbour's load falls on
 * all of them. bench/run.sh turns them into the kdf lines (PERFORMANCE.md).
 * One line per profile:
 *   NAME KDF_PER_S GCRYPT_HASHES_PER_S ENGINE_HASHES_PER_S IMPLEMENTATION
 * CPKIT_KDF_HASH=engine|gcrypt runs the KDF through the one named. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gcrypt.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include "key.h"

enum { SLICES = 6 };

static OSSL_LIB_CTX *gctx;	/* gostprov's, as cpkit keeps it apart */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
kdf_slice(enum cpk_profile p, double seconds, double *n, double *t)
{
	unsigned char salt[12] = { 1, 2, 3 }, out[32];
	double t0 = now(), e;

	do {
		if (cpk_kdf(p, "12345678", CPK_PW_UTF8, salt, 12, out) !=
		    CPK_OK) {
			fprintf(stderr, "kdf failed\n");
			exit(3);
		}
		*n += 1;
		e = now() - t0;
	} while (e < seconds);
	*t += e;
}

/* Hashes of len-byte messages for about `seconds`, in batches of 256;
 * adds the count and the time taken to *n and *t. */
static void
gcry_slice(int algo, size_t len, double seconds, double *n, double *t)
{
	unsigned char msg[192] = { 7 }, out[32];
	double t0 = now(), e;

	do {
		for (int i = 0; i < 256; i++)
			gcry_md_hash_buffer(algo, out, msg, len);
		*n += 256;
		e = now() - t0;
	} while (e < seconds);
	*t += e;
}

static void
evp_slice(const EVP_MD *md, size_t len, double seconds, double *n,
    double *t)
{
	unsigned char msg[192] = { 7 }, out[32];
	double t0 = now(), e;

	do {
		for (int i = 0; i < 256; i++)
			if (!EVP_Digest(msg, len, out, NULL, md, NULL)) {
				fprintf(stderr, "EVP_Digest failed\n");
				exit(3);
			}
		*n += 256;
		e = now() - t0;
	} while (e < seconds);
	*t += e;
}

static void
run(enum cpk_profile p, const char *name, int algo, const char *evp,
    size_t len, double seconds)
{
	double kn = 0, kt = 0, gn = 0, gt = 0, en = 0, et = 0;
	EVP_MD *md = EVP_MD_fetch(gctx, evp, NULL);

	if (md == NULL) {
		fprintf(stderr, "%s: not in gostprov\n", evp);
		exit(3);
	}
	for (int i = 0; i < SLICES; i++) {
		kdf_slice(p, seconds / SLICES, &kn, &kt);
		gcry_slice(algo, len, seconds / SLICES, &gn, &gt);
		evp_slice(md, len, seconds / SLICES, &en, &et);
	}
	EVP_MD_free(md);
	printf("%s %.1f %.0f %.0f %s\n", name, kn / kt, gn / gt, en / et,
	    cpk_kdf_impl_name(p));
}

int
main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 3.0;

	/* as a program that uses libgcrypt itself would; the library then
	 * leaves the initialisation alone */
	if (gcry_check_version(NULL) == NULL)
		return 3;
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	if (cpk_gost_init() != CPK_OK || (gctx = OSSL_LIB_CTX_new()) == NULL ||
	    OSSL_PROVIDER_load(gctx, "default") == NULL ||
	    OSSL_PROVIDER_load(gctx, "gostprov") == NULL)
		return 3;
	run(CPK_P_2001, "kdf2001", GCRY_MD_GOSTR3411_CP, "md_gost94", 128,
	    seconds);
	run(CPK_P_2012_256, "kdf2012", GCRY_MD_STRIBOG256, "md_gost12_256",
	    192, seconds);
	return 0;
}
