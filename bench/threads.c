/* Two threads against one on the password search: a container made in
 * memory, a space that misses its password, the same work twice. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "recovery.h"

static volatile int no_stop;

static double
rate(const cpk_container *c, const cpk_space *s, unsigned threads)
{
	cpk_recover_opts o = { threads, 0, &no_stop, NULL, NULL };
	cpk_recover_result res;
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if (cpk_recover(c, s, &o, &res) != CPK_OK || res.found)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)res.tried / ((double)(b.tv_sec - a.tv_sec) +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e9);
}

int
main(void)
{
	static const char *const ab[4] = { "ab", NULL, NULL, NULL };
	const cpk_curve *cv = cpk_curve_by_oid("1.2.643.2.2.36.0");
	unsigned char d[32] = { 7, 7, 7 };
	cpk_key *k = NULL;
	cpk_files *f = NULL;
	cpk_container *c = NULL;
	cpk_space *s = NULL;
	double one, two;

	cpk_key_from_scalar(CPK_P_2012_256, cv, "1.2.643.7.1.1.1.1", d, 32, &k);
	cpk_new_container nc = { "bench", k, NULL, "not-a-digit", 1, 0, 0, 1,
	    NULL, NULL };
	if (k == NULL || cpk_container_create(&nc, &f) != CPK_OK ||
	    cpk_container_decode(f, &c) != CPK_OK)
		return 3;
	/* 2,000 candidates: long enough that the end is not noise */
	if (cpk_space_new(0, 0, 0, &s) != CPK_OK ||
	    cpk_space_mask(s, "?d?d?d?1", ab) != CPK_OK ||
	    cpk_space_finish(s) != CPK_OK)
		return 3;
	one = rate(c, s, 1);
	two = rate(c, s, 2);
	printf("threads %.2f 1 thread %.1f/s, 2 threads %.1f/s (%llu "
	    "candidates, password MAC oracle)\n", one > 0 ? two / one : 0, one,
	    two, (unsigned long long)cpk_space_total(s));
	cpk_space_free(&s);
	cpk_container_free(&c);
	cpk_files_free(&f);
	cpk_key_free(&k);
	return 0;
}
