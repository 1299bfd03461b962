/* Certificates for tests and sample generators (tests/certissue.c). */
#ifndef CPKIT_TESTS_CERTISSUE_H
#define CPKIT_TESTS_CERTISSUE_H

#include <time.h>

#include "container.h"

/* Issues an X.509 certificate for subject's public key, signed by issuer
 * (self-signed when both are the same key). */
cpk_err	cpk_cert_issue(const cpk_key *subject, const cpk_key *issuer,
	    const char *cn, const char *issuer_cn, time_t not_before,
	    time_t not_after, long serial, cpk_blob **der);
/* The same with a PrivateKeyUsagePeriod extension (2.5.29.16); a 0 bound
 * is left out. */
cpk_err	cpk_cert_issue_pkup(const cpk_key *subject, const cpk_key *issuer,
	    const char *cn, const char *issuer_cn, time_t not_before,
	    time_t not_after, time_t pkup_not_before, time_t pkup_not_after,
	    long serial, cpk_blob **der);

#endif
