/* cpkit-fix's choices and refusals: picking the one matching certificate
 * out of 200, refusing another key's certificate, --force, --alg, the
 * password a rebuilt header needs, and the safe writers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <criterion/criterion.h>

/* the damaged inputs are made by editing a decoded header in place */
#include "container_int.h"
#include "helpers.h"
#include "certissue.h"
#include "recovery.h"

#define SAMPLE	"samples/flash/good2012.000"
#define PW	"12345678"

static void
strip_cert(cpk_files *f)
{
	cpk_container *c = NULL;
	cpk_blob *b = NULL;

	cr_assert_eq(cpk_container_decode(f, &c), CPK_OK);
	cr_assert_eq(cpk_header_set_cert(c->header, 0, NULL), CPK_OK);
	cr_assert_eq(cpk_header_update_mac(c->header, c->profile), CPK_OK);
	cr_assert_eq(cpk_header_encode(c->header, &b), CPK_OK);
	cpk_blob_free(&f->f[CPK_F_HEADER]);
	f->f[CPK_F_HEADER] = b;
	cpk_container_free(&c);
}

static cpk_blob *
random_cert(long serial)
{
	const cpk_curve *c = cpk_curve_by_oid("1.2.643.2.2.36.0");
	unsigned char d[32];
	cpk_key *k = NULL;
	cpk_blob *der = NULL;

	for (size_t i = 0; i < 32; i++)
		d[i] = (unsigned char)(serial * 31 + (long)i * 7);
	d[31] = 0x01;
	cr_assert_eq(cpk_key_from_scalar(CPK_P_2012_256, c,
	    "1.2.643.7.1.1.1.1", d, 32, &k), CPK_OK);
	cr_assert_eq(cpk_cert_issue(k, k, "Somebody", "Somebody", 0,
	    2000000000, serial, &der), CPK_OK);
	cpk_key_free(&k);
	return der;
}

static void
write_pem(const char *path, const cpk_blob *der)
{
	const unsigned char *p = der->ptr;
	X509 *x = d2i_X509(NULL, &p, (long)der->len);
	FILE *f = fopen(path, "a");

	cr_assert_not_null(x);
	cr_assert_not_null(f);
	cr_assert(PEM_write_X509(f, x));
	fclose(f);
	X509_free(x);
}

/* A personal store export: 199 certificates of other keys in DER files
 * and one PEM bundle, and the right one in a subfolder. */
Test(fix_cases, picks_the_match_among_200)
{
	const char *store = temp_dir();
	char path[512];
	cpk_files *f = load_files(SAMPLE), *fixed = NULL;
	cpk_blob *right = primary_cert_copy(f), *b;
	cpk_cert_list certs;
	cpk_fix_opts fo = { .alg = CPK_P_NONE };
	cpk_fix_report rep;
	cpk_container *c = NULL;

	for (long i = 0; i < 199; i++) {
		b = random_cert(i + 100);
		if (i < 150) {
			snprintf(path, sizeof(path), "%s/cert%03ld.cer", store,
			    i);
			cr_assert_eq(cpk_file_write_atomic(path, b, 0600),
			    CPK_OK);
		} else {
			snprintf(path, sizeof(path), "%s/bundle.pem", store);
			write_pem(path, b);
		}
		cpk_blob_free(&b);
	}
	snprintf(path, sizeof(path), "%s/mine", store);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/mine/me.crt", store);
	write_pem(path, right);
	cr_assert_eq(cpk_certs_load(store, &certs), CPK_OK);
	cr_assert_eq(certs.n, 200);
	strip_cert(f);
	fo.certs = &certs;
	cr_assert_eq(cpk_fix(f, &fo, &fixed, &rep), CPK_OK, "%s", rep.problem);
	cpk_fix_report_clear(&rep);
	cr_assert_eq(cpk_container_decode(fixed, &c), CPK_OK);
	cr_assert(cpk_blob_eq(cpk_header_cert(c->header, 0), right));
	cr_assert_eq(cpk_header_check_mac(c->header, c->profile), CPK_OK);
	cpk_container_free(&c);
	cpk_files_free(&fixed);
	cpk_certs_clear(&certs);
	cpk_blob_free(&right);
	cpk_files_free(&f);
}

Test(fix_cases, another_keys_certificate_is_refused)
{
	cpk_files *f = load_files(SAMPLE), *fixed = NULL;
	cpk_blob *other = random_cert(7);
	cpk_cert_list certs = { &other, 1, NULL };
	cpk_fix_opts fo = { .certs = &certs, .alg = CPK_P_NONE };
	cpk_fix_report rep;
	cpk_container *c = NULL;
	size_t n;

	strip_cert(f);
	cr_assert_eq(cpk_fix(f, &fo, &fixed, &rep), CPK_E_FINGERPRINT);
	cpk_fix_report_clear(&rep);
	cr_assert_null(fixed);
	cr_assert(strstr(rep.problem, "belongs to another key") != NULL,
	    "%s", rep.problem);
	/* --force installs it, and says it does not match */
	fo.force = 1;
	cr_assert_eq(cpk_fix(f, &fo, &fixed, &rep), CPK_OK);
	cpk_fix_report_clear(&rep);
	cr_assert_not_null(fixed);
	for (n = 0; n < rep.nchange; n++)
		if (strstr(rep.change[n].why, "does NOT match") != NULL)
			break;
	cr_assert_lt(n, rep.nchange, "--force not reported");
	cr_assert_eq(cpk_container_decode(fixed, &c), CPK_OK);
	cr_assert(cpk_blob_eq(cpk_header_cert(c->header, 0), other));
	cpk_container_free(&c);
	cpk_files_free(&fixed);
	cpk_blob_free(&other);
	cpk_files_free(&f);
}

Test(fix_cases, a_lost_header_needs_the_password)
{
	cpk_files *f = load_files(SAMPLE), *fixed = NULL;
	cpk_blob *cert = primary_cert_copy(f);
	cpk_cert_list certs = { &cert, 1, NULL };
	cpk_fix_opts fo = { .certs = &certs, .alg = CPK_P_NONE };
	cpk_fix_report rep;

	cpk_blob_free(&f->f[CPK_F_HEADER]);
	f->err[CPK_F_HEADER] = CPK_E_MISSING;
	cr_assert_eq(cpk_fix(f, &fo, &fixed, &rep), CPK_E_NO_PASSWORD);
	cpk_fix_report_clear(&rep);
	cr_assert_null(fixed);
	fo.password = "wrong";
	cr_assert_eq(cpk_fix(f, &fo, &fixed, &rep), CPK_E_FINGERPRINT);
	cpk_fix_report_clear(&rep);
	cr_assert_null(fixed);
	fo.password = PW;
	cr_assert_eq(cpk_fix(f, &fo, &fixed, &rep), CPK_OK, "%s", rep.problem);
	cpk_fix_report_clear(&rep);
	cr_assert_not_null(fixed->f[CPK_F_HEADER]);
	cpk_files_free(&fixed);
	cpk_blob_free(&cert);
	cpk_files_free(&f);
}

/* Damaged key parameters and no certificate: --alg tells the family. */
Test(fix_cases, alg_forces_the_family)
{
	cpk_files *f = load_files(SAMPLE), *fixed = NULL;
	cpk_fix_opts fo = { .alg = CPK_P_NONE, .password = PW };
	cpk_fix_report rep;
	cpk_container *c = NULL;
	cpk_blob *h;
	size_t i;

	strip_cert(f);
	h = f->f[CPK_F_HEADER];
	/* 1.2.643.7.1.1.6.1 -> 1.2.643.7.1.1.6.9: an unknown algorithm */
	for (i = 0; i + 10 <= h->len; i++)
		if (memcmp(h->ptr + i, "\x06\x08\x2a\x85\x03\x07\x01\x01\x06"
		    "\x01", 10) == 0)
			break;
	cr_assert_lt(i + 10, h->len);
	h->ptr[i + 9] = 0x09;
	cr_assert_eq(cpk_fix(f, &fo, &fixed, &rep), CPK_E_UNSUPPORTED);
	cpk_fix_report_clear(&rep);
	fo.alg = CPK_P_2012_256;
	cr_assert_eq(cpk_fix(f, &fo, &fixed, &rep), CPK_OK, "%s", rep.problem);
	cpk_fix_report_clear(&rep);
	cr_assert_eq(cpk_container_decode(fixed, &c), CPK_OK);
	cr_assert_str_eq(cpk_header_params(c->header, 0)->alg,
	    "1.2.643.7.1.1.6.1");	/* the exchange role is kept */
	cr_assert_eq(cpk_header_check_mac(c->header, c->profile), CPK_OK);
	cpk_container_free(&c);
	cpk_files_free(&fixed);
	cpk_files_free(&f);
}

Test(fix_cases, nothing_to_repair)
{
	cpk_files *f = load_files(SAMPLE), *fixed = NULL;
	cpk_fix_opts fo = { .alg = CPK_P_NONE, .password = PW };
	cpk_fix_report rep;

	cr_assert_eq(cpk_fix(f, &fo, &fixed, &rep), CPK_OK);
	cpk_fix_report_clear(&rep);
	cr_assert_null(fixed);
	cr_assert_eq(rep.nchange, 0);
	cpk_files_free(&f);
}

/* No whole masks/primary pair (issue 15): refused as beyond repair,
 * before the lost header would ask for anything; nothing output. */
Test(fix_cases, no_pair_is_beyond_repair)
{
	static const enum cpk_file_id drop[][4] = {
		{ CPK_F_MASKS, CPK_F_MASKS2, CPK_F_PRIMARY2, CPK_F_COUNT },
		{ CPK_F_PRIMARY, CPK_F_MASKS2, CPK_F_COUNT, CPK_F_COUNT },
		{ CPK_F_HEADER, CPK_F_MASKS, CPK_F_MASKS2, CPK_F_COUNT },
	};

	for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++) {
		cpk_files *f = load_files(SAMPLE), *fixed = NULL;
		cpk_fix_opts fo = { .alg = CPK_P_NONE, .password = PW };
		cpk_fix_report rep;

		for (size_t j = 0; j < 4 && drop[i][j] != CPK_F_COUNT; j++) {
			cpk_blob_free(&f->f[drop[i][j]]);
			f->err[drop[i][j]] = CPK_E_MISSING;
		}
		cr_assert_eq(cpk_fix(f, &fo, &fixed, &rep), CPK_E_MISSING,
		    "case %zu", i);
		cr_assert_null(fixed);
		cr_assert(strstr(rep.problem, "cannot be rebuilt") != NULL,
		    "case %zu: %s", i, rep.problem);
		cpk_files_free(&f);
	}
}

/* Swapped primaries: with the password the pairing that unlocks is put
 * back, from the folder's own files or from the candidates given. */
Test(fix_cases, repairs_a_swapped_pairing)
{
	cpk_files *f = load_files(SAMPLE), *ref = load_files(SAMPLE);
	cpk_files *fixed = NULL;
	cpk_fix_opts fo = { .alg = CPK_P_NONE, .password = PW };
	cpk_fix_report rep;
	cpk_blob *t = f->f[CPK_F_PRIMARY];
	const cpk_blob *alt[1];
	const char *name[1] = { "pairing-candidates/primary-at-1.bin" };

	f->f[CPK_F_PRIMARY] = f->f[CPK_F_PRIMARY2];
	f->f[CPK_F_PRIMARY2] = t;
	cr_assert_eq(cpk_fix(f, &fo, &fixed, &rep), CPK_OK);
	cr_assert_not_null(fixed);
	for (int i = 0; i < CPK_F_COUNT; i++)
		cr_assert(cpk_blob_eq(fixed->f[i], ref->f[i]), "file %d", i);
	cpk_files_free(&fixed);
	/* the main primary lost, the right one only among the candidates */
	cpk_blob_free(&f->f[CPK_F_PRIMARY2]);
	f->err[CPK_F_PRIMARY2] = CPK_E_MISSING;
	alt[0] = ref->f[CPK_F_PRIMARY];
	fo.alt = alt;
	fo.alt_name = name;
	fo.nalt = 1;
	cr_assert_eq(cpk_fix(f, &fo, &fixed, &rep), CPK_OK);
	cr_assert_not_null(fixed);
	cr_assert(cpk_blob_eq(fixed->f[CPK_F_PRIMARY], ref->f[CPK_F_PRIMARY]));
	cr_assert(strstr(rep.change[0].why, name[0]) != NULL, "%s",
	    rep.change[0].why);
	cpk_files_free(&fixed);
	cpk_files_free(&ref);
	cpk_files_free(&f);
}

/* Member `name` of the zip archive at path, or NULL. */
static cpk_blob *
zip_member(const char *path, const char *name)
{
	zip_t *z = zip_open(path, ZIP_RDONLY, NULL);
	zip_stat_t zs;
	zip_file_t *zf;
	cpk_blob *b = NULL;

	cr_assert_not_null(z, "open %s", path);
	if (zip_stat(z, name, 0, &zs) == 0 &&
	    (zf = zip_fopen(z, name, 0)) != NULL) {
		cr_assert_eq(cpk_blob_new(NULL, 0, &b), CPK_OK);
		cr_assert_eq(cpk_blob_append(b, NULL, zs.size + 1), CPK_OK);
		b->len = (size_t)zip_fread(zf, b->ptr, zs.size + 1);
		zip_fclose(zf);
	}
	zip_discard(z);
	return b;
}

Test(fix_cases, safe_writers)
{
	const char *top = temp_dir();
	char dir[512], path[600];
	cpk_replace_report rep;
	struct stat st;
	cpk_files *f = load_files(SAMPLE), *g = load_files(
	    "samples/flash/good2001.000"), *now = NULL;
	cpk_blob *m = NULL, *readme = NULL;

	/* issue 17 §3: a parent that is not there has its own code */
	snprintf(dir, sizeof(dir), "%s/nosuch/c.000", top);
	cr_assert_eq(cpk_dir_write_new(dir, f), CPK_E_NO_FOLDER);
	snprintf(dir, sizeof(dir), "%s/c.000", top);
	cr_assert_eq(cpk_dir_write_new(dir, f), CPK_OK);
	cr_assert_eq(cpk_dir_write_new(dir, g), CPK_E_EXISTS);
	snprintf(path, sizeof(path), "%s/readme.txt", dir);
	cr_assert_eq(cpk_blob_new((const unsigned char *)"note\n", 5, &readme),
	    CPK_OK);
	cr_assert_eq(cpk_file_write_atomic(path, readme, 0600), CPK_OK);
	cr_assert_eq(cpk_dir_replace(dir, g, NULL, &rep), CPK_OK);
	/* DIR.cpkit-backup-TIME.zip beside it, 0600, every file inside */
	cr_assert_eq(strncmp(rep.backup, dir, strlen(dir)), 0);
	cr_assert_eq(strncmp(rep.backup + strlen(dir), ".cpkit-backup-", 14),
	    0, "%s", rep.backup);
	cr_assert_eq(stat(rep.backup, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	now = load_files(dir);
	for (int i = 0; i < CPK_F_COUNT; i++) {
		m = zip_member(rep.backup, cpk_file_name((enum cpk_file_id)i));
		cr_assert(cpk_blob_eq(m, f->f[i]), "backup %d", i);
		cpk_blob_free(&m);
		cr_assert(cpk_blob_eq(now->f[i], g->f[i]), "new %d", i);
	}
	m = zip_member(rep.backup, "readme.txt");
	cr_assert(cpk_blob_eq(m, readme), "readme.txt in the backup");
	cpk_blob_free(&m);
	/* the other file is carried over into the new folder */
	cr_assert_eq(cpk_file_read(path, 100, &m), CPK_OK);
	cr_assert(cpk_blob_eq(m, readme), "readme.txt carried over");
	cpk_blob_free(&m);
	cr_assert_eq(rep.nleft_out, 0);
	cr_assert_str_empty(rep.kept);
	/* no staging folder is left behind: c.000 and the archive */
	snprintf(path, sizeof(path), "ls -a %s | grep -c . | grep -qx 4", top);
	cr_assert_eq(system(path), 0, "stray folders in %s", top);
	cpk_blob_free(&readme);
	cpk_files_free(&now);
	cpk_files_free(&g);
	cpk_files_free(&f);
}

/* Through a symbolic link (the link itself or a folder on the way), the
 * swap would move the link: refused, nothing written. */
Test(fix_cases, replace_refuses_links)
{
	const char *top = temp_dir();
	char real[512], lnk[512], via[600], where[600], cmd[1400];
	cpk_replace_report rep;
	cpk_files *f = load_files(SAMPLE), *g = load_files(
	    "samples/flash/good2001.000"), *now = NULL;

	snprintf(real, sizeof(real), "%s/c.000", top);
	snprintf(lnk, sizeof(lnk), "%s/l.000", top);
	snprintf(via, sizeof(via), "%s/up/c.000", top);
	cr_assert_eq(cpk_dir_write_new(real, f), CPK_OK);
	cr_assert_eq(symlink(real, lnk), 0);
	snprintf(cmd, sizeof(cmd), "%s/up", top);
	cr_assert_eq(symlink(top, cmd), 0);
	cr_assert_eq(cpk_path_link(lnk, where, sizeof(where)), 1);
	cr_assert_str_eq(where, lnk);
	cr_assert_eq(cpk_path_link(via, where, sizeof(where)), 1);
	cr_assert_str_eq(where, cmd);
	cr_assert_eq(cpk_path_link(real, where, sizeof(where)), 0);
	cr_assert_eq(cpk_dir_replace(lnk, g, NULL, &rep), CPK_E_ARG);
	cr_assert_eq(cpk_dir_replace(via, g, NULL, &rep), CPK_E_ARG);
	now = load_files(real);
	for (int i = 0; i < CPK_F_COUNT; i++)
		cr_assert(cpk_blob_eq(now->f[i], f->f[i]), "file %d", i);
	/* c.000, l.000, up: no archive, no staging folder */
	snprintf(cmd, sizeof(cmd), "ls -a %s | grep -c . | grep -qx 5", top);
	cr_assert_eq(system(cmd), 0, "stray files in %s", top);
	cpk_files_free(&now);
	cpk_files_free(&g);
	cpk_files_free(&f);
}

static int nremoved, nbusy;

static void
count_cleanup(const char *path, enum cpk_staging_done done, void *arg)
{
	(void)path;
	(void)arg;
	nremoved += done == CPK_STAGING_REMOVED;
	nbusy += done == CPK_STAGING_BUSY;
}

/* A live staging folder is left alone, a dead one removed, a folder that
 * only looks like one (no marker) kept. */
Test(fix_cases, staging_cleanup)
{
	const char *top = temp_dir();
	char path[4200], cmd[1400];
	cpk_files *f = load_files(SAMPLE);
	cpk_stage st;
	struct stat sb;

	cr_assert_eq(cpk_stage_open(top, &st), CPK_OK);
	snprintf(path, sizeof(path), "%s/c.000", st.path);
	cr_assert_eq(cpk_files_write_dir(f, path), CPK_OK);
	cr_assert_eq(cpk_staging_cleanup(top, count_cleanup, NULL), CPK_OK);
	cr_assert_eq(nbusy, 1);
	cr_assert_eq(nremoved, 0);
	cr_assert_eq(stat(path, &sb), 0, "a live staging folder was touched");
	close(st.lock);			/* as a killed run would */
	st.lock = -1;
	snprintf(cmd, sizeof(cmd), "%s/.cpkit-staging-notours", top);
	cr_assert_eq(mkdir(cmd, 0700), 0);
	cr_assert_eq(cpk_staging_cleanup(top, count_cleanup, NULL), CPK_OK);
	cr_assert_eq(nremoved, 1);
	cr_assert_neq(stat(st.path, &sb), 0, "a dead staging folder stays");
	cr_assert_eq(stat(cmd, &sb), 0, "a folder without marker removed");
	cpk_files_free(&f);
}

static int nrestored;

static void
count_restored(const char *path, enum cpk_staging_done done, void *arg)
{
	(void)path;
	(void)arg;
	nrestored += done == CPK_STAGING_RESTORED;
}

/* A run killed between the two renames of a file system without
 * RENAME_EXCHANGE left the original moved aside: it comes back. */
Test(fix_cases, staging_restores_original)
{
	const char *top = temp_dir();
	char aside[4200], home[600];
	cpk_files *f = load_files(SAMPLE), *now = NULL;
	cpk_stage st;
	struct stat sb;

	cr_assert_eq(cpk_stage_open(top, &st), CPK_OK);
	snprintf(aside, sizeof(aside), "%s/orig.c.000", st.path);
	cr_assert_eq(cpk_files_write_dir(f, aside), CPK_OK);
	close(st.lock);
	cr_assert_eq(cpk_staging_cleanup(top, count_restored, NULL), CPK_OK);
	cr_assert_eq(nrestored, 1);
	snprintf(home, sizeof(home), "%s/c.000", top);
	now = load_files(home);
	for (int i = 0; i < CPK_F_COUNT; i++)
		cr_assert(cpk_blob_eq(now->f[i], f->f[i]), "file %d", i);
	cr_assert_neq(stat(st.path, &sb), 0, "the staging folder stays");
	cpk_files_free(&now);
	cpk_files_free(&f);
}
