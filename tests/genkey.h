/* Shared by the sample writers (gen_samples, gen_expiry): a fatal error
 * and a fresh random key. */
#ifndef CPKIT_TEST_GENKEY_H
#define CPKIT_TEST_GENKEY_H

#include "container.h"

/* Prints "PROG: what: error" (PROG set by the writer's main) and exits 1. */
extern const char	*gen_prog;
void		 gen_die(const char *what, cpk_err) __attribute__((noreturn));
/* A random valid private key on the curve, for profile p and alg. */
cpk_key		*gen_key(enum cpk_profile p, const char *curve_oid,
		    const char *alg);

#endif
