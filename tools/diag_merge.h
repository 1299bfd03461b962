/* cpkit-diag --merge (diag_merge.c). */
#ifndef CPKIT_DIAG_MERGE_H
#define CPKIT_DIAG_MERGE_H

#include <time.h>

#include "diag.h"

/* The fleet report of n results folders into out_arg (NULL: a dated
 * name); returns the exit status (STYLE.md §11). */
int	diag_merge(int n, char *const *dirs, const char *out_arg, int quiet,
	    time_t now);

#endif
