#define _XOPEN_SOURCE 700	/* nftw */
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"

const char *
hexs(const unsigned char *p, size_t n)
{
	static char bufs[8][1024];
	static unsigned slot;
	char *b = bufs[slot++ % 8];

	b[0] = '\0';
	for (size_t i = 0; i < n && 2 * i + 2 < sizeof(bufs[0]); i++)
		snprintf(b + 2 * i, 3, "%02x", p[i]);
	return b;
}

size_t
unhex(const char *s, unsigned char *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (s[0] != '\0' && s[1] != '\0' && n < cap) {
		if (s[0] == ' ') {
			s++;
			continue;
		}
		if (sscanf(s, "%2x", &v) != 1)
			break;
		out[n++] = (unsigned char)v;
		s += 2;
	}
	return n;
}

const char *
fixtures_dir(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("CPK_FIXTURES");
	struct stat st;

	snprintf(path, sizeof(path), "%s",
	    env != NULL ? env : "../shared/fixtures/real");
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? path : NULL;
}

/* Every folder temp_dir() makes is removed when the test process ends,
 * passed or failed (Criterion ends a failed test by exit()), so the unit
 * run leaves nothing behind; `make unit` checks that. */
#define TEMP_MAX	64
static char temp_made[TEMP_MAX][PATH_MAX];
static int ntemp;

static int
remove_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	(void)remove(path);		/* go on past errors */
	return 0;
}

static void
remove_temps(void)
{
	for (int i = 0; i < ntemp; i++)
		nftw(temp_made[i], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	ntemp = 0;
}

const char *
temp_dir(void)
{
	static char path[PATH_MAX];
	const char *top = getenv("TMPDIR");

	if (top == NULL || top[0] != '/')
		top = "/tmp";
	cr_assert_lt(ntemp, TEMP_MAX, "too many temp_dir() in one test");
	snprintf(path, sizeof(path), "%s/cpkit-test.XXXXXX", top);
	cr_assert_not_null(mkdtemp(path));
	if (ntemp == 0)
		atexit(remove_temps);
	snprintf(temp_made[ntemp++], PATH_MAX, "%s", path);
	return path;
}

const char *
fixture_copy(const char *rel)
{
	static char dst[PATH_MAX];
	char src[PATH_MAX];
	cpk_files *f = NULL;
	const char *top = fixtures_dir();

	if (top == NULL)
		return NULL;
	snprintf(src, sizeof(src), "%s/%s", top, rel);
	snprintf(dst, sizeof(dst), "%s/copy.000", temp_dir());
	cr_assert_eq(cpk_files_read_dir(src, &f), CPK_OK);
	cr_assert_eq(cpk_files_write_dir(f, dst), CPK_OK);
	cpk_files_free(&f);
	return dst;
}

cpk_files *
load_files(const char *dir)
{
	cpk_files *f = NULL;

	cr_assert_eq(cpk_files_read_dir(dir, &f), CPK_OK, "read %s", dir);
	return f;
}

cpk_container *
load_container(const char *dir)
{
	cpk_files *f = load_files(dir);
	cpk_container *c = NULL;

	cr_assert_eq(cpk_container_decode(f, &c), CPK_OK);
	cpk_files_free(&f);
	return c;
}

cpk_err
decode_as(enum dec d, const unsigned char *p, size_t n)
{
	cpk_header *h = NULL;
	cpk_masks *m = NULL;
	cpk_primary *k = NULL;
	char *name = NULL;
	const char *enc = NULL;
	cpk_err r = CPK_E_ARG;

	switch (d) {
	case D_HEADER:
		r = cpk_header_decode(p, n, &h);
		cr_assert((r == CPK_OK) == (h != NULL));
		cpk_header_free(&h);
		break;
	case D_MASKS:
		r = cpk_masks_decode(p, n, &m);
		cr_assert((r == CPK_OK) == (m != NULL));
		cpk_masks_free(&m);
		break;
	case D_PRIMARY:
		r = cpk_primary_decode(p, n, &k);
		cr_assert((r == CPK_OK) == (k != NULL));
		cpk_primary_free(&k);
		break;
	case D_NAME:
		r = cpk_name_decode(p, n, &name, &enc);
		cr_assert((r == CPK_OK) == (name != NULL));
		free(name);
		break;
	}
	return r;
}

cpk_blob *
primary_cert_copy(const cpk_files *f)
{
	cpk_header *h = NULL;
	cpk_blob *c = NULL;

	cr_assert_eq(cpk_header_decode(f->f[CPK_F_HEADER]->ptr,
	    f->f[CPK_F_HEADER]->len, &h), CPK_OK);
	cr_assert_not_null(cpk_header_cert(h, 0));
	cr_assert_eq(cpk_blob_new(cpk_header_cert(h, 0)->ptr,
	    cpk_header_cert(h, 0)->len, &c), CPK_OK);
	cpk_header_free(&h);
	return c;
}

cpk_key *
fixed_key(unsigned mul, unsigned add, enum cpk_profile p,
    const char *curve_oid, const char *alg)
{
	const cpk_curve *c = cpk_curve_by_oid(curve_oid);
	unsigned char d[64];
	cpk_key *k = NULL;

	for (size_t i = 0; i < sizeof(d); i++)
		d[i] = (unsigned char)(i * mul + add);
	d[cpk_curve_len(c) - 1] = 0x01;
	cr_assert_eq(cpk_key_from_scalar(p, c, alg, d, cpk_curve_len(c), &k),
	    CPK_OK);
	return k;
}
