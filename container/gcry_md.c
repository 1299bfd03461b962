/*
 * libgcrypt's hashes for the CPKDF (issue 20): its GOST R 34.11-94 with
 * the CryptoPro parameters (GCRY_MD_GOSTR3411_CP) runs 2-3 times as fast
 * as gost-engine's on the same machine, its Streebog-256 as fast or
 * faster (docs/PERFORMANCE.md). Only the KDF's hashes come from here;
 * gost-engine keeps every public-key operation and every MAC.
 *
 * libgcrypt wants one initialisation per process, by the program. A host
 * program that finished its own is left alone (its version is only
 * checked); otherwise it is done here, once, without the secure memory
 * pool: the KDF's contexts are ordinary memory that gcry_md_close wipes,
 * and a pool started by a library would lock pages and may drop a host's
 * privileges.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gcrypt.h>

#include "internal.h"

/* Streebog and the CryptoPro GOST R 34.11-94 are in libgcrypt from 1.6. */
#define GCRY_MIN	"1.6.0"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *version;	/* libgcrypt's own string; NULL: unusable */

static void
init(void)
{
	if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
		version = gcry_check_version(GCRY_MIN);
		return;
	}
	if ((version = gcry_check_version(GCRY_MIN)) == NULL)
		return;
	gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
}

const char *
cpk_gcry_version(void)
{
	pthread_once(&once, init);
	return version;
}

struct cpk_gcry_md {
	gcry_md_hd_t	 hd;
	int		 algo;
};

cpk_err
cpk_gcry_md_new(enum cpk_hash h, cpk_gcry_md **out)
{
	int algo = h == CPK_H94 ? GCRY_MD_GOSTR3411_CP :
	    h == CPK_S256 ? GCRY_MD_STRIBOG256 : 0;
	gcry_error_t e;

	*out = NULL;
	if (algo == 0)
		return CPK_E_ARG;
	if (cpk_gcry_version() == NULL)
		return CPK_E_UNSUPPORTED;
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return CPK_E_NOMEM;
	(*out)->algo = algo;
	if ((e = gcry_md_open(&(*out)->hd, algo, 0)) != 0) {
		free(*out);
		*out = NULL;
		return gcry_err_code(e) == GPG_ERR_ENOMEM ? CPK_E_NOMEM :
		    CPK_E_UNSUPPORTED;
	}
	return CPK_OK;
}

/* One whole hash of p: a reset handle is the cheapest fresh state (a
 * memset and the algorithm's init; gcry_md_hash_buffer allocates a
 * handle per call, measured 5% slower here). */
cpk_err
cpk_gcry_md_run(cpk_gcry_md *m, const unsigned char *p, size_t len,
    unsigned char out[32])
{
	const unsigned char *d;

	gcry_md_reset(m->hd);
	gcry_md_write(m->hd, p, len);
	if ((d = gcry_md_read(m->hd, m->algo)) == NULL)
		return CPK_E_UNSUPPORTED;
	memcpy(out, d, 32);
	return CPK_OK;
}

/* gcry_md_close wipes the handle and its contexts before freeing them. */
void
cpk_gcry_md_free(cpk_gcry_md **mp)
{
	if (mp == NULL || *mp == NULL)
		return;
	gcry_md_close((*mp)->hd);
	free(*mp);
	*mp = NULL;
}
