/* CPKDF throughput on one thread: derivations per second for the 2001
 * (GOST R 34.11-94, 128-byte messages) and 2012 (Streebog-256, 192-byte
 * messages) profiles. bench/run.sh divides them by the openssl speed bound
 * of PERFORMANCE.md measured in the same run. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "container.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
run(enum cpk_profile p, const char *name, double seconds)
{
	unsigned char salt[12] = { 1, 2, 3 }, out[32];
	double t0 = now(), t;
	unsigned long n = 0;

	do {
		if (cpk_kdf(p, "12345678", CPK_PW_UTF8, salt, 12, out) !=
		    CPK_OK) {
			fprintf(stderr, "kdf failed\n");
			exit(3);
		}
		n++;
		t = now() - t0;
	} while (t < seconds);
	printf("%s %.1f %lu %.2f\n", name, (double)n / t, n, t);
}

int
main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 3.0;

	run(CPK_P_2001, "kdf2001", seconds);
	run(CPK_P_2012_256, "kdf2012", seconds);
	return 0;
}
