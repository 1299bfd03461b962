/* cpkit-fix's engine on broken copies of every real fixture and of the good
 * samples, broken each way issue 5 lists: after cpk_fix the container has
 * no error or warning except expiry, and unlocks to the expected scalar. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "diag.h"
/* the damaged inputs are made by editing a decoded header in place */
#include "container_int.h"
#include "helpers.h"
#include "recovery.h"

/* Verdicts are judged at a fixed date, not the wall clock. */
#define CHECK_NOW	((time_t)1748736000)	/* 2025-06-01 00:00:00 UTC */

struct subject {
	const char	*dir;		/* fixture-relative or samples/flash */
	int		 fixture;
	const char	*pw;
};

static const struct subject subjects[] = {
	{ "cpcert-samples/g2001.000", 1, "1" },
	{ "cpcert-samples/g2012256.000", 1, "1" },
	{ "cpcert-samples/g2012512.000", 1, "1" },
	{ "srv-emptypw.000", 1, "" },
	{ "good2001.000", 0, "12345678" },
	{ "good2012.000", 0, "12345678" },
	{ "good512.000", 0, "12345678" },
	{ "5f3a9c1d.000", 0, "пароль" },
	{ "two-keys.000", 0, "12345678" },
};
#define NSUBJ	(sizeof(subjects) / sizeof(subjects[0]))

enum breakage {
	STRIP_CERT, OTHER_CERT, BAD_MAC, BAD_OIDS, BAD_MASKS, NO_PRIMARY,
	NO_NAME, NO_HEADER, NBREAK
};
static const char *const breakage_name[NBREAK] = {
	"strip the certificate", "another container's certificate",
	"corrupt the header MAC", "damage the key OIDs", "corrupt masks.key",
	"delete primary.key", "delete name.key", "delete header.key"
};

struct row {
	int	subj, brk;
};

static struct row rows[NSUBJ * NBREAK];

ParameterizedTestParameters(fix, repairs)
{
	for (size_t s = 0; s < NSUBJ; s++)
		for (int b = 0; b < NBREAK; b++) {
			rows[s * NBREAK + (size_t)b].subj = (int)s;
			rows[s * NBREAK + (size_t)b].brk = b;
		}
	return cr_make_param_array(struct row, rows, NSUBJ * NBREAK);
}

static cpk_files *
subject_files(const struct subject *s)
{
	char path[1024];
	const char *dir;

	if (s->fixture) {
		if ((dir = fixture_copy(s->dir)) == NULL)
			return NULL;
		return load_files(dir);
	}
	snprintf(path, sizeof(path), "samples/flash/%s", s->dir);
	return load_files(path);
}

static void
edit_header(cpk_files *f, int strip, const cpk_blob *cert, int recompute)
{
	cpk_container *c = NULL;
	cpk_blob *b = NULL;

	cr_assert_eq(cpk_container_decode(f, &c), CPK_OK);
	cr_assert_eq(cpk_header_set_cert(c->header, 0, strip ? NULL : cert),
	    CPK_OK);
	if (recompute)
		cr_assert_eq(cpk_header_update_mac(c->header, c->profile),
		    CPK_OK);
	cr_assert_eq(cpk_header_encode(c->header, &b), CPK_OK);
	cpk_blob_free(&f->f[CPK_F_HEADER]);
	f->f[CPK_F_HEADER] = b;
	cpk_container_free(&c);
}

/* Replaces the curve OID's last arc: an unknown parameter set. */
static void
damage_oids(cpk_files *f)
{
	static const unsigned char xcha[] = { 0x06, 0x07, 0x2a, 0x85, 0x03,
	    0x02, 0x02, 0x24, 0x00 };
	static const unsigned char a512[] = { 0x06, 0x09, 0x2a, 0x85, 0x03,
	    0x07, 0x01, 0x02, 0x01, 0x02 };
	cpk_blob *h = f->f[CPK_F_HEADER];

	for (size_t i = 0; i + sizeof(a512) < h->len; i++) {
		if (memcmp(h->ptr + i, xcha, sizeof(xcha) - 1) == 0 ||
		    memcmp(h->ptr + i, a512, sizeof(a512)) == 0 ||
		    (h->ptr[i] == 0x06 && (h->ptr[i + 1] == 7 ||
		    h->ptr[i + 1] == 9) && h->ptr[i + 2] == 0x2a &&
		    i < 80)) {
			h->ptr[i + 1u + h->ptr[i + 1]] ^= 0x7c;
			return;
		}
	}
	cr_assert_fail("no curve OID found");
}

static void
drop(cpk_files *f, enum cpk_file_id id)
{
	cpk_blob_free(&f->f[id]);
	f->err[id] = CPK_E_MISSING;
}

static void
scalar_of(const cpk_files *f, const char *pw, unsigned char *d, size_t *n)
{
	cpk_container *c = NULL;
	cpk_key *k = NULL;
	const unsigned char *p;

	cr_assert_eq(cpk_container_decode(f, &c), CPK_OK);
	if (cpk_key_unlock(c, 0, pw, CPK_PW_UTF8, &k) != CPK_OK)
		cr_assert_eq(cpk_key_unlock(c, 0, pw, CPK_PW_UTF32LE, &k),
		    CPK_OK);
	p = cpk_key_scalar(k, n);
	memcpy(d, p, *n);
	cpk_key_free(&k);
	cpk_container_free(&c);
}

/* Every finding after the repair is informational or about expiry. */
static void
assert_healthy(const cpk_files *f, const char *pw, const char *what)
{
	cpk_container *c = NULL;
	cpk_findings l = { NULL, 0, 0, 0 };

	cr_assert_eq(cpk_container_decode(f, &c), CPK_OK);
	cr_assert_eq(cpk_check_offline(f, c, CHECK_NOW, &l), CPK_OK);
	cr_assert_eq(cpk_check_password(c, pw, &l), CPK_OK);
	for (size_t i = 0; i < l.n; i++)
		cr_assert(l.v[i].sev == CPK_SEV_INFO ||
		    strcmp(l.v[i].id, "cert-expired") == 0 ||
		    strcmp(l.v[i].id, "key-expired") == 0,
		    "%s: after the repair: %s: %s", what, l.v[i].id,
		    l.v[i].message);
	cr_assert(cpk_findings_has(&l, "key-ok"), "%s: key not proven", what);
	cpk_findings_clear(&l);
	cpk_container_free(&c);
}

/* The breakage is real: the checks see a problem before the repair. */
static void
assert_broken(const cpk_files *f, const char *what)
{
	cpk_container *c = NULL;
	cpk_findings l = { NULL, 0, 0, 0 };
	int bad = 0;

	cr_assert_eq(cpk_container_decode(f, &c), CPK_OK);
	cr_assert_eq(cpk_check_offline(f, c, CHECK_NOW, &l), CPK_OK);
	for (size_t i = 0; i < l.n; i++)
		bad |= l.v[i].sev != CPK_SEV_INFO &&
		    strcmp(l.v[i].id, "cert-expired") != 0 &&
		    strcmp(l.v[i].id, "key-expired") != 0;
	cr_assert(bad, "%s: the checks see nothing wrong before the repair",
	    what);
	cpk_findings_clear(&l);
	cpk_container_free(&c);
}

ParameterizedTest(struct row *row, fix, repairs)
{
	const struct subject *s = &subjects[row->subj];
	const struct subject *other = &subjects[((size_t)row->subj + 1) % NSUBJ];
	cpk_files *f = subject_files(s), *o = NULL, *fixed = NULL;
	cpk_blob *cert, *other_cert;
	cpk_cert_list certs = { NULL, 0, NULL };
	cpk_fix_opts fo;
	cpk_fix_report rep;
	unsigned char want[64], got[64];
	size_t wn, gn;
	char what[200];

	if (f == NULL)
		cr_skip_test("../shared/fixtures/real is absent");
	snprintf(what, sizeof(what), "%s, %s", s->dir,
	    breakage_name[row->brk]);
	scalar_of(f, s->pw, want, &wn);
	cert = primary_cert_copy(f);
	certs.v = &cert;
	certs.n = 1;
	switch (row->brk) {
	case STRIP_CERT:
		edit_header(f, 1, NULL, 1);
		break;
	case OTHER_CERT:
		if ((o = subject_files(other)) == NULL)
			o = load_files("samples/flash/good2001.000");
		other_cert = primary_cert_copy(o);
		edit_header(f, 0, other_cert, 1);
		cpk_blob_free(&other_cert);
		cpk_files_free(&o);
		break;
	case BAD_MAC:
		f->f[CPK_F_HEADER]->ptr[f->f[CPK_F_HEADER]->len - 1] ^= 0x55;
		break;
	case BAD_OIDS:
		damage_oids(f);
		break;
	case BAD_MASKS:
		/* the last salt byte: under the masks MAC for every size
		 * (a 512-bit mask's first half is not, §4) */
		f->f[CPK_F_MASKS]->ptr[f->f[CPK_F_MASKS]->len - 7] ^= 0x01;
		break;
	case NO_PRIMARY:
		drop(f, CPK_F_PRIMARY);
		break;
	case NO_NAME:
		drop(f, CPK_F_NAME);
		break;
	case NO_HEADER:
		drop(f, CPK_F_HEADER);
		break;
	}
	assert_broken(f, what);
	memset(&fo, 0, sizeof(fo));
	fo.certs = &certs;
	fo.folder = "/media/usb/restored.000";
	fo.password = s->pw;
	cr_assert_eq(cpk_fix(f, &fo, &fixed, &rep), CPK_OK, "%s: %s", what,
	    rep.problem);
	cpk_fix_report_clear(&rep);
	cr_assert_not_null(fixed, "%s: nothing changed", what);
	cr_assert_gt(rep.nchange, 0);
	assert_healthy(fixed, s->pw, what);
	scalar_of(fixed, s->pw, got, &gn);
	cr_assert_eq(gn, wn);
	cr_assert_eq(memcmp(got, want, wn), 0, "%s: another key", what);
	if (row->brk == NO_NAME)
		cr_assert_str_eq(hexs(fixed->f[CPK_F_NAME]->ptr,
		    fixed->f[CPK_F_NAME]->len), "300a16087265"
		    "73746f726564");	/* "restored" */
	cpk_files_free(&fixed);
	cpk_blob_free(&cert);
	cpk_files_free(&f);
}
