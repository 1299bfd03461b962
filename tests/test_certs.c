/* Certificates: every form a user's store holds (PEM with a private key
 * beside the certificate, many certificates in one PEM, PKCS#7 in DER and
 * PEM), the order cpkit-fix ranks a key's certificates in, and the
 * primaryFP rule (FORMATS.md §12.5) on every real container. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "diag.h"
#include "helpers.h"
#include "recovery.h"

#define RENEWAL	"samples/flash/renewal.000"
#define OLD	"samples/flash/renewal-2024.cer"
#define NEW	"samples/flash/renewal-2045.cer"
#define NOW	((time_t)1782864000)	/* 2026-07-01 */

static cpk_blob *
read_der(const char *path)
{
	cpk_blob *b = NULL;

	cr_assert_eq(cpk_cert_read_file(path, &b), CPK_OK, "%s", path);
	return b;
}

static X509 *
x509_of(const cpk_blob *der)
{
	const unsigned char *p = der->ptr;
	X509 *x = d2i_X509(NULL, &p, (long)der->len);

	cr_assert_not_null(x);
	return x;
}

/* ---- the ranking ---- */
static cpk_cert_cand
cand(int matches, int valid, time_t nb, time_t na, unsigned char h)
{
	cpk_cert_cand c;

	memset(&c, 0, sizeof(c));
	c.matches = matches;
	c.valid = valid;
	c.ci.not_before = nb;
	c.ci.not_after = na;
	memset(c.sha256, h, sizeof(c.sha256));
	return c;
}

struct rank_row {
	cpk_cert_cand	a, b;		/* a must rank first */
	enum cpk_cert_why why;
};

ParameterizedTestParameters(certs, rank)
{
	static struct rank_row rows[] = {
		/* holding the key beats everything */
		{ { 0 }, { 0 }, CPK_WHY_ONLY },
		/* valid now beats a later notAfter that is not valid yet */
		{ { 0 }, { 0 }, CPK_WHY_VALID },
		{ { 0 }, { 0 }, CPK_WHY_NOT_AFTER },
		{ { 0 }, { 0 }, CPK_WHY_NOT_BEFORE },
		{ { 0 }, { 0 }, CPK_WHY_DIGEST },
		/* two expired: the later notAfter */
		{ { 0 }, { 0 }, CPK_WHY_NOT_AFTER },
	};
	rows[0].a = cand(1, 0, 10, 20, 9);
	rows[0].b = cand(0, 1, 10, 90, 1);
	rows[1].a = cand(1, 1, 10, 50, 9);
	rows[1].b = cand(1, 0, 60, 90, 1);
	rows[2].a = cand(1, 1, 10, 60, 9);
	rows[2].b = cand(1, 1, 20, 50, 1);
	rows[3].a = cand(1, 1, 20, 60, 9);
	rows[3].b = cand(1, 1, 10, 60, 1);
	rows[4].a = cand(1, 1, 10, 60, 1);
	rows[4].b = cand(1, 1, 10, 60, 2);
	rows[5].a = cand(1, 0, 10, 40, 9);
	rows[5].b = cand(1, 0, 10, 30, 1);
	return cr_make_param_array(struct rank_row, rows,
	    sizeof(rows) / sizeof(rows[0]));
}

ParameterizedTest(struct rank_row *row, certs, rank)
{
	enum cpk_cert_why why = CPK_WHY_ONLY, back = CPK_WHY_ONLY;

	cr_assert_lt(cpk_cert_cand_cmp(&row->a, &row->b, &why), 0);
	cr_assert_gt(cpk_cert_cand_cmp(&row->b, &row->a, &back), 0);
	cr_assert_eq(why, row->why);
	cr_assert_eq(back, row->why);
	cr_assert_eq(cpk_cert_cand_cmp(&row->a, &row->a, NULL), 0);
}

/* The same two certificates in either order: the same choice. */
Test(certs, renewal_chosen_in_either_order)
{
	cpk_files *f = load_files(RENEWAL);
	cpk_blob *old = read_der(OLD), *renewed = read_der(NEW);
	cpk_blob *ab[2] = { old, renewed }, *ba[2] = { renewed, old };
	cpk_cert_list l1 = { ab, 2, NULL }, l2 = { ba, 2, NULL };
	cpk_cert_pick p1, p2;

	cr_assert_eq(cpk_cert_pick_run(f, &l1, 0, NULL, NOW, 0, &p1), CPK_OK);
	cr_assert_eq(cpk_cert_pick_run(f, &l2, 0, NULL, NOW, 0, &p2), CPK_OK);
	cr_assert_eq(p1.nmatch, 2);
	cr_assert_eq(p1.chosen, 0);
	cr_assert_eq(p2.chosen, 0);
	cr_assert_eq(l1.v[p1.v[0].index], renewed);
	cr_assert_eq(l2.v[p2.v[0].index], renewed);
	cr_assert_eq(p1.why, CPK_WHY_VALID);
	cr_assert_eq(p1.held_state, CPK_HELD_THIS_KEY);	/* the old one */
	cr_assert_eq(p1.held_why, CPK_WHY_VALID);
	cr_assert_eq(p1.held_given, 2);
	cr_assert_eq(p1.by_dg, 0);
	/* with the password: matched by d*G, the same choice */
	cpk_cert_pick_clear(&p2);
	cr_assert_eq(cpk_cert_pick_run(f, &l2, 0, "12345678", NOW, 0, &p2),
	    CPK_OK);
	cr_assert_eq(p2.by_dg, 1);
	cr_assert_eq(p2.nmatch, 2);
	cr_assert_eq(l2.v[p2.v[0].index], renewed);
	/* both expired (a later "now"): the later notAfter still wins */
	cpk_cert_pick_clear(&p2);
	cr_assert_eq(cpk_cert_pick_run(f, &l2, 0, NULL, (time_t)2400000000,
	    0, &p2), CPK_OK);
	cr_assert_eq(p2.why, CPK_WHY_NOT_AFTER);
	cr_assert_eq(l2.v[p2.v[0].index], renewed);
	cpk_cert_pick_clear(&p1);
	cpk_cert_pick_clear(&p2);
	cpk_blob_free(&old);
	cpk_blob_free(&renewed);
	cpk_files_free(&f);
}

/* A container holding the renewal keeps it: not replaced by the old
 * certificate without --force, and cpk_fix changes nothing. */
Test(certs, renewal_in_the_container_is_kept)
{
	cpk_files *f = load_files(RENEWAL), *fixed = NULL, *again = NULL;
	cpk_blob *old = read_der(OLD), *renewed = read_der(NEW);
	cpk_blob *one[1] = { renewed }, *only_old[1] = { old };
	cpk_cert_list l = { one, 1, NULL }, lo = { only_old, 1, NULL };
	cpk_fix_opts fo;
	cpk_fix_report rep;
	cpk_cert_pick pk;
	cpk_container *c = NULL;

	memset(&fo, 0, sizeof(fo));
	fo.certs = &l;
	fo.now = NOW;
	cr_assert_eq(cpk_fix(f, &fo, &fixed, &rep), CPK_OK, "%s", rep.problem);
	cr_assert_not_null(fixed);
	cr_assert(strstr(rep.change[0].why, "held an expired certificate of "
	    "this key") != NULL, "%s", rep.change[0].why);
	cpk_fix_report_clear(&rep);
	fo.certs = &lo;
	cr_assert_eq(cpk_fix(fixed, &fo, &again, &rep), CPK_OK);
	cr_assert_null(again, "the renewal was replaced by the old one");
	cr_assert_eq(rep.pick[0]->chosen, -1);
	cr_assert_eq(rep.pick[0]->held_why, CPK_WHY_VALID);
	cpk_fix_report_clear(&rep);
	/* --force does it, and says so */
	fo.force = 1;
	cr_assert_eq(cpk_fix(fixed, &fo, &again, &rep), CPK_OK);
	cr_assert_not_null(again);
	cr_assert(strstr(rep.change[0].why, "held a newer certificate of this "
	    "key") != NULL, "%s", rep.change[0].why);
	cr_assert_eq(cpk_container_decode(again, &c), CPK_OK);
	cr_assert(cpk_blob_eq(cpk_header_cert(cpk_container_header(c), 0), old));
	cpk_fix_report_clear(&rep);
	cr_assert_eq(cpk_cert_pick_run(fixed, &lo, 0, NULL, NOW, 1, &pk),
	    CPK_OK);
	cr_assert_eq(pk.forced, 1);
	cpk_cert_pick_clear(&pk);
	cpk_container_free(&c);
	cpk_files_free(&again);
	cpk_files_free(&fixed);
	cpk_blob_free(&old);
	cpk_blob_free(&renewed);
	cpk_files_free(&f);
}

/* A lost header is rebuilt from the best certificate of the key. */
Test(certs, lost_header_rebuilt_from_the_renewal)
{
	cpk_files *f = load_files(RENEWAL), *fixed = NULL;
	cpk_blob *old = read_der(OLD), *renewed = read_der(NEW);
	cpk_blob *ab[2] = { old, renewed };
	cpk_cert_list l = { ab, 2, NULL };
	cpk_fix_opts fo;
	cpk_fix_report rep;
	cpk_container *c = NULL;

	cpk_blob_free(&f->f[CPK_F_HEADER]);
	f->err[CPK_F_HEADER] = CPK_E_MISSING;
	memset(&fo, 0, sizeof(fo));
	fo.certs = &l;
	fo.now = NOW;
	fo.password = "12345678";
	cr_assert_eq(cpk_fix(f, &fo, &fixed, &rep), CPK_OK, "%s", rep.problem);
	cr_assert_eq(rep.pick[0]->nmatch, 2);
	cr_assert_eq(rep.pick[0]->why, CPK_WHY_VALID);
	cpk_fix_report_clear(&rep);
	cr_assert_eq(cpk_container_decode(fixed, &c), CPK_OK);
	cr_assert(cpk_blob_eq(cpk_header_cert(cpk_container_header(c), 0), renewed));
	cpk_container_free(&c);
	cpk_files_free(&fixed);
	cpk_blob_free(&old);
	cpk_blob_free(&renewed);
	cpk_files_free(&f);
}

/* ---- the forms a store holds ---- */
static char *
pem_of(const cpk_blob *der)
{
	X509 *x = x509_of(der);
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *out;
	long n;

	cr_assert(PEM_write_bio_X509(b, x));
	n = BIO_get_mem_data(b, &p);
	out = strndup(p, (size_t)n);
	BIO_free(b);
	X509_free(x);
	return out;
}

/* A SignedData holding the certificates, as a .p7b; pem: its PEM form. */
static cpk_blob *
p7b_of(cpk_blob *const *v, size_t n, int pem)
{
	PKCS7 *p7 = PKCS7_new();
	unsigned char *der = NULL;
	BIO *b = NULL;
	cpk_blob *out = NULL;
	char *p;
	long len;
	int dn;

	cr_assert(PKCS7_set_type(p7, NID_pkcs7_signed));
	cr_assert(PKCS7_content_new(p7, NID_pkcs7_data));
	for (size_t i = 0; i < n; i++) {
		X509 *x = x509_of(v[i]);
		cr_assert(PKCS7_add_certificate(p7, x));
		X509_free(x);
	}
	if (pem) {
		b = BIO_new(BIO_s_mem());
		cr_assert(PEM_write_bio_PKCS7(b, p7));
		len = BIO_get_mem_data(b, &p);
		cr_assert_eq(cpk_blob_new(p, (size_t)len, &out), CPK_OK);
		BIO_free(b);
	} else {
		cr_assert_gt(dn = i2d_PKCS7(p7, &der), 0);
		cr_assert_eq(cpk_blob_new(der, (size_t)dn, &out), CPK_OK);
		OPENSSL_free(der);
	}
	PKCS7_free(p7);
	return out;
}

static int
has(const cpk_cert_list *l, const cpk_blob *b)
{
	for (size_t i = 0; i < l->n; i++)
		if (cpk_blob_eq(l->v[i], b))
			return 1;
	return 0;
}

Test(certs, every_form)
{
	cpk_blob *old = read_der(OLD), *renewed = read_der(NEW);
	cpk_blob *both[2] = { old, renewed }, *p7 = NULL;
	char *a = pem_of(old), *b = pem_of(renewed), text[8192];
	cpk_cert_list l;

	/* two certificates, a private key and junk between them */
	snprintf(text, sizeof(text), "Bag Attributes\n%s-----BEGIN PRIVATE "
	    "KEY-----\nMEMCAQAwHAYGKoUDAgITMBIGByqFAwICJAAGByqFAwICHgEEIDA=\n"
	    "-----END PRIVATE KEY-----\n%s", a, b);
	memset(&l, 0, sizeof(l));
	cr_assert_eq(cpk_certs_from_bytes((unsigned char *)text, strlen(text),
	    &l), CPK_OK);
	cr_assert_eq(l.n, 2);
	cr_assert(has(&l, old) && has(&l, renewed));
	cpk_certs_clear(&l);
	/* a damaged certificate block does not hide the next one */
	snprintf(text, sizeof(text), "-----BEGIN CERTIFICATE-----\n!!!!\n"
	    "-----END CERTIFICATE-----\n%s", b);
	cr_assert_eq(cpk_certs_from_bytes((unsigned char *)text, strlen(text),
	    &l), CPK_OK);
	cr_assert_eq(l.n, 1);
	cr_assert(has(&l, renewed));
	cpk_certs_clear(&l);
	for (int pem = 0; pem < 2; pem++) {
		p7 = p7b_of(both, 2, pem);
		cr_assert_eq(cpk_certs_from_bytes(p7->ptr, p7->len, &l),
		    CPK_OK);
		cr_assert_eq(l.n, 2, "PKCS#7 %s", pem ? "PEM" : "DER");
		cr_assert(has(&l, old) && has(&l, renewed));
		cpk_certs_clear(&l);
		cpk_blob_free(&p7);
	}
	/* the same certificate twice is one candidate */
	cr_assert_eq(cpk_certs_from_bytes(old->ptr, old->len, &l), CPK_OK);
	cr_assert_eq(cpk_certs_from_bytes(old->ptr, old->len, &l), CPK_OK);
	cr_assert_eq(l.n, 1);
	cpk_certs_clear(&l);
	free(a);
	free(b);
	cpk_blob_free(&old);
	cpk_blob_free(&renewed);
}

/* ---- primaryFP = LE(X)[0:8] on every real container ---- */
static const struct real {
	const char	*dir, *pem, *d;
} reals[] = {
	{ "cpcert-samples/g2001.000", "cpcert-samples/g2001.pem",
	  "b52cb428dc96e1a8a8842cb221c7f1565afdd4cc41403fbc11442d28680c89b1" },
	{ "cpcert-samples/g2012256.000", "cpcert-samples/g2012256.pem",
	  "3cfc260415ec96566791cfdd388245882db0f0fc41c05eb24aed208560bf586c" },
	{ "cpcert-samples/g2012512.000", "cpcert-samples/g2012512.pem",
	  "5c61ceef14fe82c86ef33e07a9be66d79d542c1f44aa8a4b1d0bc1d42892c06b"
	  "7e9be81460e909fe6e6cc77b4c174a1107b90359a2f8c960f866d405499624a6" },
	{ "srv-emptypw.000", NULL, NULL },
};

Test(certs, primary_fp_rule_on_real_fixtures)
{
	char path[1024];
	unsigned char d[64], x[64], y[64];
	size_t dn;

	if (fixtures_dir() == NULL)
		cr_skip_test("../shared/fixtures/real is absent");
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		cpk_container *c;
		const cpk_blob *cert;
		const unsigned char *fp;
		cpk_cert_info ci, pi;
		cpk_cert_list l;

		snprintf(path, sizeof(path), "%s/%s", fixtures_dir(),
		    reals[i].dir);
		c = load_container(path);
		fp = cpk_header_fp(cpk_container_header(c), 0);
		cert = cpk_header_cert(cpk_container_header(c), 0);
		cr_assert_not_null(fp);
		cr_assert_not_null(cert);
		cr_assert_eq(cpk_cert_parse(cert->ptr, cert->len, &ci), CPK_OK);
		/* the certificate's key OCTET STRING starts with primaryFP */
		cr_assert_eq(memcmp(ci.pub, fp, 8), 0, "%s", reals[i].dir);
		cr_assert_eq(cpk_cert_holds(c, &ci), 1);
		if (reals[i].d != NULL) {
			/* d*G's X, little-endian, starts with it too */
			dn = unhex(reals[i].d, d, sizeof(d));
			cr_assert_eq(cpk_curve_mul_base(cpk_container_curve(c), d, x, y),
			    CPK_OK);
			cr_assert_eq(memcmp(x, fp, 8), 0, "%s", reals[i].dir);
			cr_assert_eq(memcmp(ci.pub, x, dn), 0);
			/* the .pem beside it: certificate and private key;
			 * the certificate is read, the key skipped */
			snprintf(path, sizeof(path), "%s/%s", fixtures_dir(),
			    reals[i].pem);
			cr_assert_eq(cpk_certs_load(path, &l), CPK_OK);
			cr_assert_eq(l.n, 1, "%s", reals[i].pem);
			cr_assert(cpk_blob_eq(l.v[0], cert));
			cr_assert_eq(cpk_cert_parse(l.v[0]->ptr, l.v[0]->len,
			    &pi), CPK_OK);
			cr_assert_eq(cpk_cert_holds(c, &pi), 1);
			cpk_certs_clear(&l);
		}
		cpk_container_free(&c);
	}
}
