/*
 * cpkit: bytes with their length, wiped on free (STYLE.md §5). Part of
 * the public API (cpkit.h).
 */
#ifndef CPKIT_BLOB_H
#define CPKIT_BLOB_H

#include <stddef.h>

#include "err.h"

/* ---- blobs: bytes + length, wiped on free (STYLE.md §5) ---- */
typedef struct cpk_blob {
	unsigned char	*ptr;
	size_t		 len;
	size_t		 cap;		/* allocated; appends double it */
} cpk_blob;

cpk_err	cpk_blob_new(const void *data, size_t len, cpk_blob **out);
cpk_err	cpk_blob_append(cpk_blob *, const void *data, size_t len);
void	cpk_blob_reset(cpk_blob *);
void	cpk_blob_free(cpk_blob **);
int	cpk_blob_eq(const cpk_blob *, const cpk_blob *);

#endif
