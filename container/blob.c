/* Length-carrying byte strings; every blob is treated as secret and wiped
 * on reset and free (STYLE.md §5). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "internal.h"

cpk_err
cpk_blob_new(const void *data, size_t len, cpk_blob **out)
{
	cpk_blob *b;

	*out = NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return CPK_E_NOMEM;
	if (len > 0 && cpk_blob_append(b, data, len) != CPK_OK) {
		free(b);
		return CPK_E_NOMEM;
	}
	*out = b;
	return CPK_OK;
}

/* No realloc(): it may leave a copy of a key in freed memory. The old
 * buffer is wiped and freed when the capacity doubles, so appending n
 * bytes costs O(n) overall (a 50 MB .reg line is read in one pass). */
cpk_err
cpk_blob_append(cpk_blob *b, const void *data, size_t len)
{
	unsigned char *p;
	size_t cap;

	if (len == 0)
		return CPK_OK;
	if (SIZE_MAX / 2 - b->len < len)
		return CPK_E_RANGE;
	if (b->len + len > b->cap || b->ptr == NULL) {
		cap = b->cap * 2 > b->len + len ? b->cap * 2 : b->len + len;
		if ((p = malloc(cap)) == NULL)
			return CPK_E_NOMEM;
		if (b->len > 0)
			memcpy(p, b->ptr, b->len);
		if (b->ptr != NULL) {
			OPENSSL_cleanse(b->ptr, b->cap);
			free(b->ptr);
		}
		b->ptr = p;
		b->cap = cap;
	}
	if (data != NULL)
		memcpy(b->ptr + b->len, data, len);
	else
		memset(b->ptr + b->len, 0, len);
	b->len += len;
	return CPK_OK;
}

void
cpk_blob_reset(cpk_blob *b)
{
	if (b->ptr != NULL) {
		OPENSSL_cleanse(b->ptr, b->cap);
		free(b->ptr);
	}
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
}

void
cpk_blob_free(cpk_blob **bp)
{
	if (bp != NULL && *bp != NULL) {
		cpk_blob_reset(*bp);
		free(*bp);
		*bp = NULL;
	}
}

int
cpk_blob_eq(const cpk_blob *a, const cpk_blob *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return a->len == b->len &&
	    (a->len == 0 || memcmp(a->ptr, b->ptr, a->len) == 0);
}
