/* Error paths under fault injection (issue 17 §4), after libfido2's
 * fuzz/wrap.c: the binary is linked with --wrap for malloc, calloc,
 * realloc and strdup, and the input says which of the library's
 * allocations fails. Input: 2 bytes N (big-endian), then the six files
 * of a container, each as a 2-byte length and its bytes (header, name,
 * masks, primary, masks2, primary2; a short input leaves the rest out).
 *
 * The container is decoded and checked once with no fault, then again
 * with allocation N failing. The faulty run must end in CPK_E_NOMEM, or
 * give exactly the findings of the clean run: no crash, no leak (ASan),
 * and no silent success with findings missing. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "diag.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

void	*__real_malloc(size_t);
void	*__real_calloc(size_t, size_t);
void	*__real_realloc(void *, size_t);
char	*__real_strdup(const char *);
void	*__wrap_malloc(size_t);
void	*__wrap_calloc(size_t, size_t);
void	*__wrap_realloc(void *, size_t);
char	*__wrap_strdup(const char *);

static long fail_at = -1;	/* allocations left before the fault */
static int failed;		/* the fault happened in this run */

static int
fault(void)
{
	if (fail_at < 0 || fail_at-- > 0)
		return 0;
	failed = 1;
	return 1;
}

void *
__wrap_malloc(size_t n)
{
	return fault() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t m)
{
	return fault() ? NULL : __real_calloc(n, m);
}

void *
__wrap_realloc(void *p, size_t n)
{
	return fault() ? NULL : __real_realloc(p, n);
}

char *
__wrap_strdup(const char *s)
{
	return fault() ? NULL : __real_strdup(s);
}

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* The files from the input; CPK_E_NOMEM when an allocation failed. */
static cpk_err
files_of(const uint8_t *p, size_t n, cpk_files **out)
{
	cpk_files *f;
	cpk_err r;

	if ((r = cpk_files_new(&f)) != CPK_OK)
		return r;
	for (int i = 0; i < CPK_F_COUNT; i++) {
		size_t len;

		if (n < 2)
			break;
		len = (size_t)p[0] << 8 | p[1];
		p += 2;
		n -= 2;
		if (len > n)
			len = n;
		if (len > 0 && (r = cpk_blob_new(p, len, &f->f[i])) != CPK_OK) {
			cpk_files_free(&f);
			return r;
		}
		f->err[i] = len > 0 ? CPK_OK : CPK_E_EMPTY;
		f->size[i] = len;
		p += len;
		n -= len;
	}
	*out = f;
	return CPK_OK;
}

/* Decodes and checks; the finding ids go into ids (joined). */
static cpk_err
run(const uint8_t *p, size_t n, char *ids, size_t cap)
{
	cpk_files *f = NULL;
	cpk_container *c = NULL;
	cpk_findings l;
	size_t k = 0;
	cpk_err r;

	memset(&l, 0, sizeof(l));
	ids[0] = '\0';
	if ((r = files_of(p, n, &f)) != CPK_OK)
		return r;
	if ((r = cpk_container_decode(f, &c)) == CPK_OK)
		r = cpk_check_offline(f, c, 1748736000, &l);
	for (size_t i = 0; r == CPK_OK && i < l.n; i++) {
		size_t m = strlen(l.v[i].id);

		if (k + m + 2 > cap)
			break;
		memcpy(ids + k, l.v[i].id, m);
		k += m;
		ids[k++] = ' ';
		ids[k] = '\0';
	}
	cpk_findings_clear(&l);
	cpk_container_free(&c);
	cpk_files_free(&f);
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char clean[4096], faulty[4096];
	cpk_err r;
	long at;

	if (size < 2 || size > 6 * 4096)
		return 0;
	at = (long)(data[0] << 8 | data[1]);
	fail_at = -1;
	if (run(data + 2, size - 2, clean, sizeof(clean)) != CPK_OK)
		return 0;	/* the clean run itself failed: nothing to hold */
	failed = 0;
	fail_at = at;
	r = run(data + 2, size - 2, faulty, sizeof(faulty));
	fail_at = -1;
	if (!failed)
		check(r == CPK_OK && strcmp(clean, faulty) == 0);
	else
		check(r == CPK_E_NOMEM || (r == CPK_OK &&
		    strcmp(clean, faulty) == 0));
	return 0;
}
