/* The sample writers' common ground (tests/genkey.h). */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/rand.h>

#include "genkey.h"

const char *gen_prog = "gen";

void
gen_die(const char *what, cpk_err r)
{
	fprintf(stderr, "%s: %s: %s\n", gen_prog, what, cpk_err_text(r));
	exit(1);
}

cpk_key *
gen_key(enum cpk_profile p, const char *curve_oid, const char *alg)
{
	const cpk_curve *c = cpk_curve_by_oid(curve_oid);
	unsigned char d[64];
	cpk_key *k = NULL;
	cpk_err r;

	do {
		if (RAND_priv_bytes(d, (int)cpk_curve_len(c)) != 1)
			gen_die("random", CPK_E_CRYPTO);
	} while (!cpk_curve_scalar_ok(c, d));
	if ((r = cpk_key_from_scalar(p, c, alg, d, cpk_curve_len(c), &k)) !=
	    CPK_OK)
		gen_die("key", r);
	return k;
}
