/* Shared test helpers: hex, fixture copies, loading containers. */
#ifndef CPKIT_TEST_HELPERS_H
#define CPKIT_TEST_HELPERS_H

#include "container.h"

/* Hex of bytes in a rotating static buffer (up to 8 live results). */
const char	*hexs(const unsigned char *, size_t);
size_t		 unhex(const char *, unsigned char *, size_t cap);
/* The real fixtures, or NULL when ../shared/fixtures/real is absent. */
const char	*fixtures_dir(void);
/* Copies fixtures/<rel> into a fresh temp dir; returns the copy's path
 * (static buffer) or NULL when the fixtures are absent. */
const char	*fixture_copy(const char *rel);
/* Reads and decodes a container folder; aborts the test on failure. */
cpk_container	*load_container(const char *dir);
cpk_files	*load_files(const char *dir);
/* A copy of header.key's primary certificate [5]; aborts the test when
 * the header does not decode or has none. */
cpk_blob	*primary_cert_copy(const cpk_files *);
/* A fixed private key on the curve: scalar bytes i * mul + add, the last
 * one 0x01, so tests get the same key on every run. */
cpk_key		*fixed_key(unsigned mul, unsigned add, enum cpk_profile,
		    const char *curve_oid, const char *alg);
/* A fresh temp directory (static buffer). */
const char	*temp_dir(void);

/* Which decoder a malformed-input row goes through. */
enum dec { D_HEADER, D_MASKS, D_PRIMARY, D_NAME };
/* Decodes with one decoder and frees; the error is the only result. */
cpk_err		 decode_as(enum dec, const unsigned char *, size_t);

#endif
