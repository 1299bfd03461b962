/* The scan's progress callback (cpk_scan.progress, issue 18 point 7):
 * the scanning threads must never call it two at a time, the numbers it
 * gets never go back, and its last call is the total. */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "diag.h"
#include "helpers.h"

#define SAMPLE	"samples/flash/good2001.000"
/* enough for two scanning threads and more (32 items a thread) */
#define COPIES	130

static const char *const files[] = { "header.key", "name.key", "masks.key",
    "primary.key", "masks2.key", "primary2.key" };

static void
copy_file(const char *from, const char *to)
{
	char buf[8192];
	size_t n;
	FILE *in = fopen(from, "rb"), *out;

	if (in == NULL)		/* not every sample has all six */
		return;
	cr_assert_not_null(out = fopen(to, "wb"), "%s", to);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		cr_assert_eq(fwrite(buf, 1, n, out), n);
	fclose(in);
	cr_assert_eq(fclose(out), 0);
}

struct seen {
	atomic_int	 inside;	/* callbacks running now */
	int		 overlaps, back, calls;
	size_t		 done, total;
};

static void
record(void *arg, size_t done, size_t total)
{
	struct seen *s = arg;
	struct timespec nap = { 0, 200000 };	/* 0.2 ms: a wide window */

	if (atomic_fetch_add(&s->inside, 1) != 0)
		s->overlaps++;
	if (done < s->done || total < s->total || done > total)
		s->back++;
	s->done = done;
	s->total = total;
	s->calls++;
	nanosleep(&nap, NULL);
	atomic_fetch_sub(&s->inside, 1);
}

Test(progress, scan_threads_report_one_at_a_time)
{
	char dir[600], from[600], to[700];
	const char *top = temp_dir();
	struct seen s;
	cpk_scan scan;

	for (int i = 0; i < COPIES; i++) {
		snprintf(dir, sizeof(dir), "%s/d%03d.000", top, i);
		cr_assert_eq(mkdir(dir, 0700), 0);
		for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
			snprintf(from, sizeof(from), "%s/%s", SAMPLE, files[k]);
			snprintf(to, sizeof(to), "%s/%s", dir, files[k]);
			copy_file(from, to);
		}
	}
	memset(&s, 0, sizeof(s));
	atomic_init(&s.inside, 0);
	memset(&scan, 0, sizeof(scan));
	scan.progress = record;
	scan.progress_arg = &s;
	cr_assert_eq(cpk_scan_add(&scan, top, 0), CPK_OK);
	cr_assert_eq(scan.n, COPIES);
	cr_assert_eq(s.overlaps, 0, "the callback ran %d times concurrently",
	    s.overlaps);
	cr_assert_eq(s.back, 0, "the numbers went back %d times", s.back);
	cr_assert_eq(s.done, COPIES, "the last call said %zu done", s.done);
	cr_assert_eq(s.total, COPIES);
	/* the listing's calls and at least one of the checking's */
	cr_assert_gt(s.calls, COPIES);
	cpk_scan_clear(&scan);
}
