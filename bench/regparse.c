/* The .reg reader alone, through the public media API: cpk_media_open on
 * one .reg file parses it and lists its containers (no checks, no
 * summaries). Prints "containers seconds"; the peak RSS comes from
 * /usr/bin/time. For the regscale benchmark. */
#include <stdio.h>
#include <time.h>

#include "container.h"
#include "media.h"

int
main(int argc, char **argv)
{
	cpk_media *m = NULL;
	const cpk_ref *ref;
	struct timespec a, b;
	size_t n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: regparse FILE.reg\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (cpk_media_open(argv[1], &m) != CPK_OK)
		return 1;
	while (cpk_media_next(m, &ref) == CPK_OK && ref != NULL)
		n++;
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%zu %.3f\n", n, (double)(b.tv_sec - a.tv_sec) +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	cpk_media_close(&m);
	return 0;
}
