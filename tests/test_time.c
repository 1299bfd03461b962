/* The time of verdicts (CPKIT_NOW), calendar months, and the private key
 * usage period CryptoPro applies (FORMATS.md §6.5): what cpkit reports and
 * what it writes into a header it creates. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "diag.h"
#include "helpers.h"
#include "certissue.h"
#include "internal.h"

static time_t
iso(const char *s)
{
	time_t t = 0;

	cr_assert_eq(cpk_time_parse_iso(s, &t), CPK_OK, "%s", s);
	return t;
}

static const char *
text(time_t t)
{
	static char b[4][32];
	static unsigned slot;
	char *o = b[slot++ % 4];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(o, sizeof(b[0]), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return o;
}

Test(time, parse_iso_forms)
{
	cr_assert_eq(iso("2025-06-01"), (time_t)1748736000);
	cr_assert_eq(iso("2025-06-01T00:00:00Z"), (time_t)1748736000);
	cr_assert_eq(iso("2025-06-01T12:34:56"), (time_t)1748736000 + 45296);
	cr_assert_eq(iso("2024-02-29"), (time_t)1709164800);
	cr_assert_eq(iso("1970-01-01"), (time_t)0);
}

Test(time, parse_iso_rejects)
{
	static const char *const bad[] = { "", "2025", "2025-6-01",
	    "2025-06-1", "2025/06/01", "2025-13-01", "2025-00-10",
	    "2025-02-29", "2025-04-31", "2025-06-00", "2025-06-01T24:00:00Z",
	    "2025-06-01T12:60:00Z", "2025-06-01T12:00:60Z",
	    "2025-06-01 12:00:00", "2025-06-01T12:00Z", "2025-06-01Z",
	    "2025-06-01T12:00:00+03", "2025-06-01T12:00:00ZZ", "1969-12-31",
	    "２０２５-06-01", " 2025-06-01", "2025-06-01\n", "yesterday" };
	time_t t = 7;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(cpk_time_parse_iso(bad[i], &t), CPK_E_FORMAT,
		    "\"%s\" accepted", bad[i]);
		cr_assert_eq(t, 7, "\"%s\" wrote a time", bad[i]);
	}
}

Test(time, now_from_environment)
{
	cr_assert_eq(setenv("CPKIT_NOW", "2026-01-15T12:00:00Z", 1), 0);
	cr_assert_eq(cpk_now_check(), CPK_OK);
	cr_assert_eq(cpk_now(), iso("2026-01-15T12:00:00Z"));
	cr_assert_eq(setenv("CPKIT_NOW", "2026-01-15", 1), 0);
	cr_assert_eq(cpk_now(), iso("2026-01-15"));
	cr_assert_eq(setenv("CPKIT_NOW", "15.01.2026", 1), 0);
	cr_assert_eq(cpk_now_check(), CPK_E_FORMAT);
	cr_assert_eq(setenv("CPKIT_NOW", "", 1), 0);	/* empty: the clock */
	cr_assert_eq(cpk_now_check(), CPK_OK);
	cr_assert_geq(cpk_now(), iso("2026-01-01"));
	cr_assert_eq(unsetenv("CPKIT_NOW"), 0);
	cr_assert_eq(cpk_now_check(), CPK_OK);
	cr_assert_geq(cpk_now(), iso("2026-01-01"));
}

Test(time, calendar_months)
{
	static const struct { const char *from; int n; const char *to; } v[] = {
		{ "2025-01-01T00:00:00Z", 15, "2026-04-01T00:00:00Z" },
		{ "2025-01-31T00:00:00Z", 15, "2026-04-30T00:00:00Z" },
		{ "2025-01-31T10:20:30Z", 1, "2025-02-28T10:20:30Z" },
		{ "2023-11-30T00:00:00Z", 3, "2024-02-29T00:00:00Z" },
		{ "2023-11-29T23:59:59Z", 15, "2025-02-28T23:59:59Z" },
		{ "2024-02-29T00:00:00Z", 12, "2025-02-28T00:00:00Z" },
		{ "2024-02-29T00:00:00Z", 48, "2028-02-29T00:00:00Z" },
		{ "2025-03-31T00:00:00Z", 15, "2026-06-30T00:00:00Z" },
		{ "2025-10-31T00:00:00Z", 15, "2027-01-31T00:00:00Z" },
		{ "2025-12-15T06:00:00Z", 0, "2025-12-15T06:00:00Z" },
		{ "2025-03-31T00:00:00Z", -1, "2025-02-28T00:00:00Z" },
		{ "2025-01-15T00:00:00Z", -13, "2023-12-15T00:00:00Z" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		cr_assert_str_eq(text(cpk_add_months(iso(v[i].from), v[i].n)),
		    v[i].to, "%s + %d months", v[i].from, v[i].n);
}

/* ---- the period of a certificate, and the checks --------------------- */

static cpk_key *
key2012(void)
{
	return fixed_key(7, 3, CPK_P_2012_256, "1.2.643.7.1.2.1.1.1",
	    "1.2.643.7.1.1.1.1");
}

static cpk_blob *
cert(const cpk_key *k, const char *nb, const char *na, const char *pna)
{
	cpk_blob *der = NULL;

	cr_assert_eq(cpk_cert_issue_pkup(k, k, "period", "period", iso(nb),
	    iso(na), 0, pna ? iso(pna) : 0, 1, &der), CPK_OK);
	return der;
}

static cpk_cert_info
info(const cpk_blob *der)
{
	cpk_cert_info ci;

	cr_assert_eq(cpk_cert_parse(der->ptr, der->len, &ci), CPK_OK);
	return ci;
}

Test(time, cert_period_sources)
{
	cpk_key *k = key2012();
	cpk_blob *plain = cert(k, "2025-01-31", "2045-01-01", NULL);
	cpk_blob *pkup = cert(k, "2025-01-31", "2045-01-01", "2027-05-05");
	cpk_blob *shortc = cert(k, "2025-01-01", "2025-12-31", NULL);
	cpk_cert_info ci;
	enum cpk_key_src src;

	ci = info(plain);
	cr_assert_eq(ci.pkup_not_after, 0);
	cr_assert_str_eq(text(cpk_cert_key_end(&ci, &src)),
	    "2026-04-30T00:00:00Z");
	cr_assert_eq(src, CPK_KEY_SRC_15M);
	cr_assert_str_eq(text(cpk_cert_key_end_to_write(&ci)),
	    "2026-04-30T00:00:00Z");
	ci = info(pkup);
	cr_assert_str_eq(text(cpk_cert_key_end(&ci, &src)),
	    "2027-05-05T00:00:00Z");
	cr_assert_eq(src, CPK_KEY_SRC_PKUP);
	cr_assert_str_eq(text(cpk_cert_key_end_to_write(&ci)),
	    "2027-05-05T00:00:00Z");
	/* what cpkit writes is capped at notAfter; what it judges is not */
	ci = info(shortc);
	cr_assert_str_eq(text(cpk_cert_key_end(&ci, &src)),
	    "2026-04-01T00:00:00Z");
	cr_assert_str_eq(text(cpk_cert_key_end_to_write(&ci)),
	    "2025-12-31T00:00:00Z");
	cpk_blob_free(&plain);
	cpk_blob_free(&pkup);
	cpk_blob_free(&shortc);
	cpk_key_free(&k);
}

static cpk_container *
make(const cpk_key *k, const cpk_blob *c, time_t until, cpk_files **f)
{
	cpk_new_container nc = { "period", k, c, "", 1, 0, until, 1, NULL,
	    NULL };
	cpk_container *out = NULL;

	cr_assert_eq(cpk_container_create(&nc, f), CPK_OK);
	cr_assert_eq(cpk_container_decode(*f, &out), CPK_OK);
	return out;
}

static time_t
header_end(const cpk_container *c)
{
	time_t nb, na;

	if (!cpk_header_key_validity(c->header, &nb, &na))
		return 0;
	return na;
}

Test(time, writer_period)
{
	cpk_key *k = key2012();
	cpk_blob *plain = cert(k, "2025-01-31", "2045-01-01", NULL);
	cpk_blob *pkup = cert(k, "2025-01-31", "2045-01-01", "2025-03-01");
	cpk_blob *shortc = cert(k, "2025-01-01", "2025-12-31", NULL);
	cpk_files *f = NULL;
	cpk_container *c;

	c = make(k, plain, 0, &f);
	cr_assert_str_eq(text(header_end(c)), "2026-04-30T00:00:00Z");
	cpk_container_free(&c);
	cpk_files_free(&f);
	c = make(k, pkup, 0, &f);
	cr_assert_str_eq(text(header_end(c)), "2025-03-01T00:00:00Z");
	cpk_container_free(&c);
	cpk_files_free(&f);
	c = make(k, shortc, 0, &f);
	cr_assert_str_eq(text(header_end(c)), "2025-12-31T00:00:00Z");
	cpk_container_free(&c);
	cpk_files_free(&f);
	c = make(k, plain, iso("2045-01-01"), &f);	/* given: kept */
	cr_assert_str_eq(text(header_end(c)), "2045-01-01T00:00:00Z");
	cpk_container_free(&c);
	cpk_files_free(&f);
	c = make(k, plain, CPK_NO_KEY_VALIDITY, &f);
	cr_assert_eq(header_end(c), 0);
	cpk_container_free(&c);
	cpk_files_free(&f);
	c = make(k, NULL, 0, &f);			/* no certificate */
	cr_assert_eq(header_end(c), 0);
	cpk_container_free(&c);
	cpk_files_free(&f);
	cpk_blob_free(&plain);
	cpk_blob_free(&pkup);
	cpk_blob_free(&shortc);
	cpk_key_free(&k);
}

/* The one key-period finding at `now`, or NULL. */
static const cpk_finding *
period_finding(const cpk_files *f, const cpk_container *c, const char *now,
    cpk_findings *l)
{
	static const char *const ids[] = { "key-expired", "key-expires-soon",
	    "key-period-2001", "key-not-yet-valid" };
	const cpk_finding *hit = NULL;

	cr_assert_eq(cpk_check_offline(f, c, iso(now), l), CPK_OK);
	for (size_t i = 0; i < l->n; i++)
		for (size_t j = 0; j < 4; j++)
			if (strcmp(l->v[i].id, ids[j]) == 0) {
				cr_assert_null(hit, "two period findings");
				hit = &l->v[i];
			}
	return hit;
}

static void
expect(const cpk_key *k, const cpk_blob *crt, time_t until, const char *now,
    const char *id, const char *in_message)
{
	cpk_files *f = NULL;
	cpk_container *c = make(k, crt, until, &f);
	cpk_findings l = { NULL, 0, 0, 0 };
	const cpk_finding *hit = period_finding(f, c, now, &l);

	if (id == NULL)
		cr_assert_null(hit, "at %s: %s: %s", now, hit ? hit->id : "",
		    hit ? hit->message : "");
	else {
		cr_assert_not_null(hit, "at %s: no %s", now, id);
		cr_assert_str_eq(hit->id, id, "at %s", now);
		cr_assert_eq(hit->sev, strcmp(id, "key-expired") == 0 ?
		    CPK_SEV_WARN : CPK_SEV_INFO, "%s severity", id);
		cr_assert(strstr(hit->message, in_message) != NULL,
		    "at %s: \"%s\" lacks \"%s\"", now, hit->message,
		    in_message);
	}
	cpk_findings_clear(&l);
	cpk_container_free(&c);
	cpk_files_free(&f);
}

Test(time, checks_2012)
{
	cpk_key *k = key2012();
	cpk_blob *plain = cert(k, "2025-01-31", "2045-01-01", NULL);
	cpk_blob *late = cert(k, "2025-01-31", "2045-01-01", "2027-05-05");
	cpk_blob *ended = cert(k, "2025-01-31", "2045-01-01", "2025-03-01");
	time_t y2045 = iso("2045-01-01");

	/* a header validity of 2045 does not extend notBefore + 15 months */
	expect(k, plain, y2045, "2026-05-01", "key-expired",
	    "ended on 2026-04-30 00:00:00 UTC (certificate notBefore + 15 "
	    "months)");
	expect(k, plain, y2045, "2026-04-20", "key-expires-soon",
	    "ends on 2026-04-30 00:00:00 UTC (certificate notBefore + 15 "
	    "months)");
	expect(k, plain, y2045, "2026-03-01", NULL, NULL);
	/* a PrivateKeyUsagePeriod replaces the 15 months, both ways */
	expect(k, late, y2045, "2026-05-01", NULL, NULL);
	expect(k, late, y2045, "2027-06-01", "key-expired",
	    "ended on 2027-05-05 00:00:00 UTC (certificate "
	    "PrivateKeyUsagePeriod)");
	expect(k, ended, y2045, "2025-06-01", "key-expired",
	    "ended on 2025-03-01 00:00:00 UTC (certificate "
	    "PrivateKeyUsagePeriod)");
	/* an earlier header end wins */
	expect(k, late, iso("2025-05-01"), "2025-06-01", "key-expired",
	    "ended on 2025-05-01 00:00:00 UTC (header.key key validity)");
	/* no certificate: the header alone */
	expect(k, NULL, iso("2025-05-01"), "2025-06-01", "key-expired",
	    "(header.key key validity)");
	expect(k, NULL, CPK_NO_KEY_VALIDITY, "2040-06-01", NULL, NULL);
	cpk_blob_free(&plain);
	cpk_blob_free(&late);
	cpk_blob_free(&ended);
	cpk_key_free(&k);
}

Test(time, checks_2001_info_only)
{
	cpk_key *k = fixed_key(7, 3, CPK_P_2001, "1.2.643.2.2.35.1",
	    "1.2.643.2.2.19");
	cpk_blob *plain = cert(k, "2025-01-31", "2045-01-01", NULL);
	cpk_blob *ended = cert(k, "2025-01-31", "2045-01-01", "2025-03-01");
	time_t y2045 = iso("2045-01-01");

	expect(k, plain, y2045, "2026-05-01", "key-period-2001",
	    "ended on 2026-04-30 00:00:00 UTC (certificate notBefore + 15 "
	    "months)");
	expect(k, ended, y2045, "2025-06-01", "key-period-2001",
	    "(certificate PrivateKeyUsagePeriod)");
	expect(k, plain, y2045, "2026-03-01", NULL, NULL);
	/* the header's own end still expires a 2001 key */
	expect(k, plain, iso("2025-05-01"), "2025-06-01", "key-expired",
	    "(header.key key validity)");
	cpk_blob_free(&plain);
	cpk_blob_free(&ended);
	cpk_key_free(&k);
}
