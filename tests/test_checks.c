/* The offline checks as a table (issue 17 §4): a sample container, one
 * change to its files, the date of the verdict, and the exact set of
 * finding ids cpk_check_offline() must give. A new check is a new row.
 * The changes are made in memory, on the files as read from samples/. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "../diag/internal.h"
#include "helpers.h"

enum change { NONE, DROP, CUT, PAD, EMPTY, FROM };

struct row {
	const char	*sample;	/* in samples/flash */
	enum change	 change;
	enum cpk_file_id id;
	size_t		 arg;		/* CUT: bytes kept; PAD: FF bytes */
	const char	*from;		/* FROM: the sample the file comes from */
	time_t		 now;		/* the verdict's date */
	const char	*ids;		/* sorted, space-separated */
};

#define D	1748736000	/* 2025-06-01, the samples' date (samples/) */
#define Y2026	1780272000	/* 2026-06-01 */
#define Y2046	2398377600	/* 2046-01-01 */
static const struct row rows[] = {
	/* the samples as they are */
	{ "good2001.000", NONE, 0, 0, NULL, D, "" },
	{ "good2012.000", NONE, 0, 0, NULL, D, "" },
	{ "good512.000", NONE, 0, 0, NULL, D, "" },
	{ "two-keys.000", NONE, 0, 0, NULL, D, "" },
	{ "badhead.000", NONE, 0, 0, NULL, D, "header-mac" },
	{ "badmasks.000", NONE, 0, 0, NULL, D, "masks-mac" },
	{ "badoids.000", NONE, 0, 0, NULL, D,
	  "cert-alg-mismatch header-mac" },
	{ "expired.000", NONE, 0, 0, NULL, D, "key-expired" },
	{ "nocert.000", NONE, 0, 0, NULL, D, "cert-missing" },
	{ "noexport.000", NONE, 0, 0, NULL, D, "key-not-exportable" },
	{ "nohead.000", NONE, 0, 0, NULL, D, "file-missing" },
	{ "noname.000", NONE, 0, 0, NULL, D, "file-missing" },
	{ "noprimar.000", NONE, 0, 0, NULL, D, "copy-incomplete" },
	{ "renewal.000", NONE, 0, 0, NULL, D, "cert-expired key-expired" },
	{ "wrongcrt.000", NONE, 0, 0, NULL, D, "cert-key-mismatch" },
	/* files missing */
	{ "good2001.000", DROP, CPK_F_PRIMARY2, 0, NULL, D,
	  "reserve-incomplete" },
	{ "good2001.000", DROP, CPK_F_MASKS, 0, NULL, D, "copy-incomplete" },
	{ "good2001.000", DROP, CPK_F_NAME, 0, NULL, D, "file-missing" },
	{ "good2001.000", EMPTY, CPK_F_MASKS, 0, NULL, D,
	  "copy-incomplete file-unreadable" },
	/* files damaged */
	{ "good2001.000", CUT, CPK_F_HEADER, 100, NULL, D, "file-damaged" },
	{ "good2001.000", CUT, CPK_F_PRIMARY, 20, NULL, D, "file-damaged" },
	{ "good2001.000", PAD, CPK_F_PRIMARY, 4, NULL, D, "file-trailing" },
	{ "good2001.000", PAD, CPK_F_HEADER, 2, NULL, D, "file-trailing" },
	/* a reserve pair from another container: its masks MAC fails */
	{ "good2001.000", FROM, CPK_F_MASKS2, 0, "good2012.000", D,
	  "masks-mac" },
	/* time */
	{ "good2001.000", NONE, 0, 0, NULL, Y2046,
	  "cert-expired key-expired" },
	{ "good2012.000", NONE, 0, 0, NULL, Y2026, "key-expired" },
	{ "two-keys.000", NONE, 0, 0, NULL, Y2046,
	  "cert-expired cert-expired key-expired key-expired" },
};
#define NROWS	(sizeof(rows) / sizeof(rows[0]))

static void
change(cpk_files *f, const struct row *w)
{
	static const unsigned char ff[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};
	cpk_files *src;
	char dir[256];

	switch (w->change) {
	case NONE:
		break;
	case DROP:
	case EMPTY:
		cpk_blob_free(&f->f[w->id]);
		f->err[w->id] = w->change == DROP ? CPK_E_MISSING : CPK_E_EMPTY;
		f->size[w->id] = 0;
		break;
	case CUT:
		cr_assert_lt(w->arg, f->f[w->id]->len);
		f->f[w->id]->len = w->arg;
		break;
	case PAD:
		cr_assert_leq(w->arg, sizeof(ff));
		cr_assert_eq(cpk_blob_append(f->f[w->id], ff, w->arg), CPK_OK);
		break;
	case FROM:
		snprintf(dir, sizeof(dir), "samples/flash/%s", w->from);
		src = load_files(dir);
		cpk_blob_free(&f->f[w->id]);
		f->f[w->id] = src->f[w->id];
		src->f[w->id] = NULL;
		cpk_files_free(&src);
		break;
	}
}

static int
by_id(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* the ids of l, sorted and joined by spaces */
static void
ids_of(const cpk_findings *l, char *out, size_t cap)
{
	const char *v[64];
	size_t n = l->n < 64 ? l->n : 64, k = 0;

	for (size_t i = 0; i < n; i++)
		v[i] = l->v[i].id;
	qsort(v, n, sizeof(v[0]), by_id);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? " " : "",
		    v[i]);
}

ParameterizedTestParameters(checks, table)
{
	static int idx[NROWS];

	for (size_t i = 0; i < NROWS; i++)
		idx[i] = (int)i;
	return cr_make_param_array(int, idx, NROWS);
}

ParameterizedTest(int *i, checks, table)
{
	const struct row *w = &rows[*i];
	cpk_files *f;
	cpk_container *c = NULL;
	cpk_findings l = { NULL, 0, 0, 0 };
	char dir[256], got[1024];

	snprintf(dir, sizeof(dir), "samples/flash/%s", w->sample);
	f = load_files(dir);
	change(f, w);
	cr_assert_eq(cpk_container_decode(f, &c), CPK_OK);
	cr_assert_eq(cpk_check_offline(f, c, w->now, &l), CPK_OK);
	ids_of(&l, got, sizeof(got));
	cr_assert_str_eq(got, w->ids, "row %d (%s, change %d)", *i,
	    w->sample, (int)w->change);
	cpk_findings_clear(&l);
	cpk_container_free(&c);
	cpk_files_free(&f);
}
