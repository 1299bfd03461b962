/* Writes the demo media in samples/ with the project's own writer: good
 * containers of each algorithm and the broken cases samples/README.md
 * lists. Run by `make samples`; the output is committed. Keys are random
 * on every run, the cases and passwords are fixed. */
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
#include "hdrpatch.h"
#include "mkhive.h"

#define Y2025	((time_t)1735689600)	/* 2025-01-01 00:00:00 UTC */
#define Y2045	((time_t)2366841600)	/* 2045-01-01 00:00:00 UTC */
#define EXPIRED	((time_t)1719705600)	/* 2024-06-30 00:00:00 UTC */
#define Y2023	((time_t)1672531200)	/* 2023-01-01 00:00:00 UTC */
#define RENEWED	((time_t)1733011200)	/* 2024-12-01 00:00:00 UTC */

static const char *out_dir;
static cpk_key *ca;

static cpk_blob *
cert_for(const cpk_key *k, const char *cn, long serial)
{
	cpk_blob *der = NULL;
	cpk_err r;

	if ((r = cpk_cert_issue(k, ca, cn, "cpkit samples CA", Y2025, Y2045,
	    serial, &der)) != CPK_OK)
		gen_die("certificate", r);
	return der;
}

static char *
folder(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", out_dir, name);
	return path;
}

static void
write_container(const char *dir, const char *name, const cpk_key *k,
    const cpk_blob *cert, const char *pw, time_t key_until, int exchange,
    int exportable)
{
	cpk_new_container nc = { name, k, cert, pw, exportable, exchange,
	    key_until, 1, NULL, NULL };
	cpk_files *f = NULL;
	cpk_err r;

	if ((r = cpk_container_create(&nc, &f)) != CPK_OK)
		gen_die(name, r);
	if ((r = cpk_files_write_dir(f, folder(dir))) != CPK_OK)
		gen_die(dir, r);
	cpk_files_free(&f);
}

static void
write_blob(const char *rel, const cpk_blob *b)
{
	cpk_err r;

	if ((r = cpk_file_write_atomic(folder(rel), b, 0644)) != CPK_OK)
		gen_die(rel, r);
}

static void
remove_file(const char *rel)
{
	if (remove(folder(rel)) != 0)
		gen_die(rel, CPK_E_IO);
}

/* Flips one byte of a file in place (the sample's damage). */
static void
damage(const char *rel, size_t off)
{
	cpk_blob *b = NULL;
	cpk_err r;

	if ((r = cpk_file_read(folder(rel), CPK_FILE_MAX, &b)) != CPK_OK)
		gen_die(rel, r);
	if (off >= b->len)
		gen_die(rel, CPK_E_RANGE);
	b->ptr[off] ^= 0x01;
	write_blob(rel, b);
	cpk_blob_free(&b);
}

/* Offset of a byte string in a file, to damage a chosen field. */
static size_t
find(const char *rel, const char *needle)
{
	cpk_blob *b = NULL;
	size_t n = strlen(needle), off = 0;
	cpk_err r;

	if ((r = cpk_file_read(folder(rel), CPK_FILE_MAX, &b)) != CPK_OK)
		gen_die(rel, r);
	while (off + n <= b->len && memcmp(b->ptr + off, needle, n) != 0)
		off++;
	if (off + n > b->len)
		gen_die(needle, CPK_E_NOT_FOUND);
	cpk_blob_free(&b);
	return off;
}

enum certmode { OWN_CERT, OTHER_CERT, CERT_BESIDE };

static const struct sample {
	const char	*dir, *name;
	enum cpk_profile profile;
	const char	*curve, *alg, *cn, *pw;
	time_t		 until;
	int		 exchange;
	enum certmode	 cert;
	int		 locked;	/* pkaExportable clear */
} samples[] = {
	{ "good2001.000", "good2001", CPK_P_2001, "1.2.643.2.2.35.1",
	  "1.2.643.2.2.19", "Sample 2001 signer", "12345678", Y2045, 0,
	  OWN_CERT, 0 },
	{ "good2012.000", "good2012-256", CPK_P_2012_256, "1.2.643.2.2.36.0",
	  "1.2.643.7.1.1.6.1", "Sample 2012-256 exchange", "12345678", Y2045,
	  1, OWN_CERT, 0 },
	{ "good512.000", "good512", CPK_P_2012_512, "1.2.643.7.1.2.1.2.2",
	  "1.2.643.7.1.1.1.2", "Sample 2012-512 signer", "12345678", Y2045, 0,
	  OWN_CERT, 0 },
	/* a Cyrillic name (CP1251 in name.key) and a Cyrillic password */
	{ "5f3a9c1d.000", "Иванов ИИ 2045", CPK_P_2012_256,
	  "1.2.643.7.1.2.1.1.1", "1.2.643.7.1.1.1.1", "Иванов Иван Иванович",
	  "пароль", Y2045, 0, OWN_CERT, 0 },
	{ "expired.000", "expired-key", CPK_P_2012_256, "1.2.643.2.2.36.0",
	  "1.2.643.7.1.1.1.1", "Sample expired key", "12345678", EXPIRED, 0,
	  OWN_CERT, 0 },
	{ "wrongcrt.000", "wrong-cert", CPK_P_2012_256, "1.2.643.2.2.36.0",
	  "1.2.643.7.1.1.1.1", "Someone else", "12345678", Y2045, 0,
	  OTHER_CERT, 0 },
	{ "nocert.000", "no-cert", CPK_P_2012_256, "1.2.643.2.2.36.0",
	  "1.2.643.7.1.1.1.1", "Sample without certificate", "12345678", Y2045,
	  0, CERT_BESIDE, 0 },
	{ "noprimar.000", "no-primary", CPK_P_2012_256, "1.2.643.2.2.36.0",
	  "1.2.643.7.1.1.1.1", "Sample missing primary", "12345678", Y2045, 0,
	  OWN_CERT, 0 },
	{ "badmasks.000", "bad-masks", CPK_P_2012_256, "1.2.643.2.2.36.0",
	  "1.2.643.7.1.1.1.1", "Sample damaged masks", "12345678", Y2045, 0,
	  OWN_CERT, 0 },
	{ "badhead.000", "bad-header", CPK_P_2012_256, "1.2.643.2.2.36.0",
	  "1.2.643.7.1.1.1.1", "Sample damaged header", "12345678", Y2045, 0,
	  OWN_CERT, 0 },
	{ "badoids.000", "bad-oids", CPK_P_2012_256, "1.2.643.2.2.36.0",
	  "1.2.643.7.1.1.1.1", "Sample damaged key parameters", "12345678",
	  Y2045, 0, OWN_CERT, 0 },
	{ "noname.000", "noname", CPK_P_2001, "1.2.643.2.2.35.1",
	  "1.2.643.2.2.19", "Sample lost name", "12345678", Y2045, 0,
	  OWN_CERT, 0 },
	{ "nohead.000", "no-header", CPK_P_2012_512, "1.2.643.7.1.2.1.2.1",
	  "1.2.643.7.1.1.1.2", "Sample lost header", "12345678", Y2045, 0,
	  CERT_BESIDE, 0 },
	{ "noexport.000", "not-exportable", CPK_P_2012_256,
	  "1.2.643.2.2.36.0", "1.2.643.7.1.1.1.1", "Sample non-exportable key",
	  "12345678", Y2045, 0, OWN_CERT, 1 },
	/* sound, with another password than the demo's 12345678: status
	 * locked, not damaged, when that one is given (issue 15) */
	{ "locked.000", "locked", CPK_P_2012_256, "1.2.643.2.2.36.0",
	  "1.2.643.7.1.1.1.1", "Sample locked by another password",
	  "87654321", Y2045, 0, OWN_CERT, 0 },
};

static void
write_sample(const struct sample *s, long serial)
{
	cpk_key *k = gen_key(s->profile, s->curve, s->alg), *other = NULL;
	cpk_blob *cert;
	char cer[64];

	if (s->cert == OTHER_CERT) {
		other = gen_key(s->profile, s->curve, s->alg);
		cert = cert_for(other, s->cn, serial);
	} else
		cert = cert_for(k, s->cn, serial);
	write_container(s->dir, s->name, k, s->cert == CERT_BESIDE ? NULL :
	    cert, s->pw, s->until, s->exchange, !s->locked);
	if (s->cert == CERT_BESIDE) {
		snprintf(cer, sizeof(cer), "%.*s.cer",
		    (int)(strlen(s->dir) - 4), s->dir);
		write_blob(cer, cert);
	}
	cpk_blob_free(&cert);
	cpk_key_free(&other);
	cpk_key_free(&k);
}

/* A two-key container: an exchange key plus a signature key (§16). */
static void
write_two_keys(void)
{
	cpk_key *k = gen_key(CPK_P_2012_256, "1.2.643.2.2.36.0",
	    "1.2.643.7.1.1.6.1");
	cpk_key *k2 = gen_key(CPK_P_2012_256, "1.2.643.7.1.2.1.1.1",
	    "1.2.643.7.1.1.1.1");
	cpk_blob *cert = cert_for(k, "Sample two-key exchange", 11);
	cpk_blob *cert2 = cert_for(k2, "Sample two-key signer", 12);
	cpk_new_container nc = { "two-keys", k, cert, "12345678", 1, 1, Y2045,
	    1, k2, cert2 };
	cpk_files *f = NULL;
	cpk_err r;

	if ((r = cpk_container_create(&nc, &f)) != CPK_OK ||
	    (r = cpk_files_write_dir(f, folder("two-keys.000"))) != CPK_OK)
		gen_die("two-keys", r);
	cpk_files_free(&f);
	cpk_blob_free(&cert);
	cpk_blob_free(&cert2);
	cpk_key_free(&k);
	cpk_key_free(&k2);
}

/* A renewal: the container still holds the first certificate of its key
 * (2023-01-01 to 2024-06-30, expired), and both that one and the renewed
 * certificate of the same key (2024-12-01 to 2045-01-01) lie beside it,
 * as a user's exported store would hold them (issue 15 point 3). */
static void
write_renewal(void)
{
	cpk_key *k = gen_key(CPK_P_2012_256, "1.2.643.2.2.36.0",
	    "1.2.643.7.1.1.1.1");
	cpk_blob *old = NULL, *renewed = NULL;
	cpk_err r;

	if ((r = cpk_cert_issue(k, ca, "Sample renewal", "cpkit samples CA",
	    Y2023, EXPIRED, 101, &old)) != CPK_OK ||
	    (r = cpk_cert_issue(k, ca, "Sample renewal", "cpkit samples CA",
	    RENEWED, Y2045, 102, &renewed)) != CPK_OK)
		gen_die("renewal certificates", r);
	write_container("renewal.000", "renewal", k, old, "12345678", Y2045,
	    0, 1);
	write_blob("renewal-2024.cer", old);
	write_blob("renewal-2045.cer", renewed);
	cpk_blob_free(&old);
	cpk_blob_free(&renewed);
	cpk_key_free(&k);
}

#define SAMPLE_SID "S-1-5-21-1111111111-2222222222-3333333333-1001"

static cpk_files *
read_sample(const char *dir)
{
	cpk_files *f = NULL;
	cpk_err r;

	if ((r = cpk_files_read_dir(folder(dir), &f)) != CPK_OK)
		gen_die(dir, r);
	return f;
}

/* Registry media: a regedit 5.00 export (UTF-16LE) of one user's two
 * containers, a REGEDIT4 export (CP1251) of a machine container, and a
 * small SOFTWARE hive holding both kinds. */
static void
write_registry(const char *reg_dir)
{
	cpk_files *a = read_sample("good2012.000");
	cpk_files *b = read_sample("5f3a9c1d.000");
	cpk_files *c = read_sample("good2001.000");
	cpk_reg_entry user[2] = { { "good2012-256", a, NULL },
	    { "Иванов ИИ 2045", b, NULL } };
	cpk_reg_entry machine[1] = { { "good2001", c, NULL } };
	cpk_reg_opts o5 = { SAMPLE_SID, 1, 0 }, o4 = { NULL, 1, 1 };
	cpk_blob *out = NULL;
	char path[512];
	cpk_err r;

	mkdir(reg_dir, 0755);
	if ((r = cpk_reg_export(user, 2, &o5, &out)) != CPK_OK)
		gen_die("export-5.00.reg", r);
	snprintf(path, sizeof(path), "%s/export-5.00.reg", reg_dir);
	if ((r = cpk_file_write_atomic(path, out, 0644)) != CPK_OK)
		gen_die(path, r);
	cpk_blob_free(&out);
	if ((r = cpk_reg_export(machine, 1, &o4, &out)) != CPK_OK)
		gen_die("export-regedit4.reg", r);
	snprintf(path, sizeof(path), "%s/export-regedit4.reg", reg_dir);
	if ((r = cpk_file_write_atomic(path, out, 0644)) != CPK_OK)
		gen_die(path, r);
	cpk_blob_free(&out);
	snprintf(path, sizeof(path), "%s/SOFTWARE", reg_dir);
	remove(path);
	if (mkhive_empty(path) != 0 ||
	    mkhive_add(path, "WOW6432Node", SAMPLE_SID, "good2012-256", a) ||
	    mkhive_add(path, "WOW6432Node", NULL, "Иванов ИИ 2045", b) ||
	    mkhive_add(path, "", SAMPLE_SID, "good2001", c) ||
	    mkhive_profile(path, SAMPLE_SID, "C:\\Users\\ivanov"))
		gen_die(path, CPK_E_IO);
	cpk_files_free(&a);
	cpk_files_free(&b);
	cpk_files_free(&c);
}

/* A flash drive root holding two containers of one name (issue 15,
 * duplicate-name): "Duplicate" in dup.000 and "duplicate" in dup.001,
 * as a second copy under a new folder number leaves them; CSP compares
 * names regardless of case and shows one. */
static void
write_duplicates(const char *dir)
{
	const char *keep = out_dir;
	cpk_key *k1 = gen_key(CPK_P_2012_256, "1.2.643.7.1.2.1.1.1",
	    "1.2.643.7.1.1.1.1");
	cpk_key *k2 = gen_key(CPK_P_2012_256, "1.2.643.7.1.2.1.1.1",
	    "1.2.643.7.1.1.1.1");
	cpk_blob *c1 = cert_for(k1, "Sample duplicate, first copy", 21);
	cpk_blob *c2 = cert_for(k2, "Sample duplicate, second copy", 22);

	out_dir = dir;
	mkdir(dir, 0755);
	write_container("dup.000", "Duplicate", k1, c1, "12345678", Y2045, 0,
	    1);
	write_container("dup.001", "duplicate", k2, c2, "12345678", Y2045, 0,
	    1);
	out_dir = keep;
	cpk_blob_free(&c1);
	cpk_blob_free(&c2);
	cpk_key_free(&k1);
	cpk_key_free(&k2);
}

/* Containers as other CryptoPro software writes them (samples/forms/):
 * key validity with fractional seconds, in local time, and a key validity
 * extension that does not parse (FORMATS.md §2.1). The header is the
 * writer's with the extension replaced and the MAC recomputed. */
static void
write_forms(const char *forms_dir)
{
	static const struct {
		const char *dir, *name, *not_after;
	} f[] = {
		{ "fraction.000", "fraction-seconds", "20280307004651.216Z" },
		{ "localtz.000", "local-offset", "20280307034651+0300" },
		{ "localtim.000", "local-time", "202803070046" },
		{ "badext.000", "bad-extension", "2028-03-07T00:46:51Z" },
	};
	char path[512];

	mkdir(forms_dir, 0755);
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		cpk_key *k = gen_key(CPK_P_2012_256, "1.2.643.7.1.2.1.1.1",
		    "1.2.643.7.1.1.1.1");
		cpk_blob *cert = cert_for(k, f[i].name, 101 + (long)i);
		cpk_new_container nc = { f[i].name, k, cert, "12345678", 1, 0,
		    Y2045, 1, NULL, NULL };
		cpk_files *fs = NULL;
		cpk_blob *h = NULL;
		cpk_err r;

		if ((r = cpk_container_create(&nc, &fs)) != CPK_OK ||
		    (r = hdr_with_not_after(fs->f[CPK_F_HEADER], f[i].not_after,
		    CPK_P_2012_256, &h)) != CPK_OK)
			gen_die(f[i].name, r);
		cpk_blob_free(&fs->f[CPK_F_HEADER]);
		fs->f[CPK_F_HEADER] = h;
		snprintf(path, sizeof(path), "%s/%s", forms_dir, f[i].dir);
		if ((r = cpk_files_write_dir(fs, path)) != CPK_OK)
			gen_die(path, r);
		cpk_files_free(&fs);
		cpk_blob_free(&cert);
		cpk_key_free(&k);
	}
}

int
main(int argc, char **argv)
{
	gen_prog = "gen_samples";
	if (argc != 3 && argc != 5) {
		fprintf(stderr, "usage: gen_samples FLASH-DIR REGISTRY-DIR "
		    "[DUPLICATE-DIR FORMS-DIR]\n");
		return 2;
	}
	out_dir = argv[1];
	mkdir(out_dir, 0755);
	ca = gen_key(CPK_P_2012_256, "1.2.643.7.1.2.1.1.1",
	    "1.2.643.7.1.1.1.1");
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		write_sample(&samples[i], (long)i + 1);
	write_two_keys();
	write_renewal();
	/* the damage each broken case is about */
	remove_file("noprimar.000/primary.key");
	damage("badmasks.000/masks.key", 10);		/* inside the mask */
	/* one digit of the key validity date: parses, MAC fails */
	damage("badhead.000/header.key", find("badhead.000/header.key",
	    "20450101") + 3);
	/* the curve OID 1.2.643.2.2.36.0 becomes .36.1 (XchB): the key no
	 * longer matches its certificate's curve */
	damage("badoids.000/header.key", find("badoids.000/header.key",
	    "\x06\x07\x2a\x85\x03\x02\x02\x24\x00") + 8);
	remove_file("noname.000/name.key");
	remove_file("nohead.000/header.key");
	write_registry(argv[2]);
	if (argc == 5) {
		write_duplicates(argv[3]);
		write_forms(argv[4]);
	}
	cpk_key_free(&ca);
	return 0;
}
