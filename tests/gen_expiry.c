/* Writes the containers tests/e2e_expiry.sh judges: GOST 2012 and 2001
 * keys whose certificates have or lack a PrivateKeyUsagePeriod
 * (FORMATS.md §6.5), with the project's own writer. Keys are random; the
 * dates are fixed. The password of every container is 12345678. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/rand.h>

#include "container.h"
#include "media.h"
#include "genkey.h"
#include "certissue.h"

static const char *out_dir;
static cpk_key *ca;

static time_t
at(const char *iso)
{
	time_t t;
	cpk_err r;

	if ((r = cpk_time_parse_iso(iso, &t)) != CPK_OK)
		gen_die(iso, r);
	return t;
}

static const char *
path(const char *rel)
{
	static char p[1024];

	snprintf(p, sizeof(p), "%s/%s", out_dir, rel);
	return p;
}

static void
write_blob(const char *rel, const cpk_blob *b)
{
	cpk_err r;

	if ((r = cpk_file_write_atomic(path(rel), b, 0600)) != CPK_OK)
		gen_die(rel, r);
}

struct exp_case {
	const char	*base;		/* BASE.000, .cer, .p8 */
	const char	*name;
	int		 g2001;
	const char	*not_before, *not_after;
	const char	*pkup_not_after;	/* NULL: no extension */
	const char	*key_until;	/* header validity; NULL: none */
	int		 with_cert;	/* certificate in header.key */
};

static const struct exp_case cases[] = {
	{ "plain", "exp-plain", 0, "2025-01-01", "2045-01-01", NULL,
	  "2045-01-01", 1 },
	{ "monthend", "exp-monthend", 0, "2025-01-31", "2045-01-01", NULL,
	  "2045-01-01", 1 },
	{ "late", "exp-pkup-late", 0, "2025-01-01", "2045-01-01",
	  "2027-01-01", "2045-01-01", 1 },
	{ "ended", "exp-pkup-ended", 0, "2025-01-01", "2045-01-01",
	  "2025-03-01", "2045-01-01", 1 },
	{ "g2001", "exp-2001", 1, "2025-01-01", "2045-01-01", NULL,
	  "2045-01-01", 1 },
	{ "short", "exp-short", 0, "2025-01-01", "2025-12-31", NULL,
	  "2045-01-01", 1 },
	{ "nocert", "exp-nocert", 0, "2025-01-01", "2045-01-01", NULL,
	  "2030-01-01", 0 },
};

static void
write_case(const struct exp_case *e, long serial)
{
	cpk_key *k = e->g2001 ? gen_key(CPK_P_2001, "1.2.643.2.2.35.1",
	    "1.2.643.2.2.19") : gen_key(CPK_P_2012_256,
	    "1.2.643.7.1.2.1.1.1", "1.2.643.7.1.1.1.1");
	cpk_blob *cert = NULL, *p8 = NULL;
	cpk_files *f = NULL;
	char rel[64];
	cpk_err r;

	if ((r = cpk_cert_issue_pkup(k, ca, e->name, "cpkit expiry CA",
	    at(e->not_before), at(e->not_after), 0, e->pkup_not_after ?
	    at(e->pkup_not_after) : 0, serial, &cert)) != CPK_OK)
		gen_die(e->name, r);
	{
		cpk_new_container nc = { e->name, k, e->with_cert ? cert :
		    NULL, "12345678", 1, 0, e->key_until ? at(e->key_until) :
		    CPK_NO_KEY_VALIDITY, 1, NULL, NULL };
		if ((r = cpk_container_create(&nc, &f)) != CPK_OK)
			gen_die(e->name, r);
	}
	snprintf(rel, sizeof(rel), "%s.000", e->base);
	if ((r = cpk_files_write_dir(f, path(rel))) != CPK_OK)
		gen_die(rel, r);
	snprintf(rel, sizeof(rel), "%s.cer", e->base);
	write_blob(rel, cert);
	if ((r = cpk_key_pkcs8(k, &p8)) != CPK_OK)
		gen_die("pkcs8", r);
	snprintf(rel, sizeof(rel), "%s.p8", e->base);
	write_blob(rel, p8);
	cpk_blob_free(&p8);
	cpk_blob_free(&cert);
	cpk_files_free(&f);
	cpk_key_free(&k);
}

int
main(int argc, char **argv)
{
	gen_prog = "gen_expiry";
	if (argc != 2) {
		fprintf(stderr, "usage: gen_expiry DIR\n");
		return 2;
	}
	out_dir = argv[1];
	mkdir(out_dir, 0700);
	ca = gen_key(CPK_P_2012_256, "1.2.643.7.1.2.1.1.1",
	    "1.2.643.7.1.1.1.1");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		write_case(&cases[i], (long)i + 1);
	cpk_key_free(&ca);
	return 0;
}
