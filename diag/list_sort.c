/* cpkit-list --sort (issue 18 point 13): the rows in an order a person
 * can audit. Every order ends with the location, the FQCN and the
 * scan's position, so equal keys never fall back to whatever order the
 * file system gave. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct keyed {
	const cpk_summary	*s;
	size_t			 i;
	enum cpk_sort		 by;
};

time_t
cpk_summary_expiry(const cpk_summary *s)
{
	time_t t = s->key_usage_end;

	if (s->has_cert && (t == 0 || s->cert->not_after < t))
		t = s->cert->not_after;
	return t;
}

static int
cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* nearest first; nothing known last */
static int
cmp_expiry(const cpk_summary *a, const cpk_summary *b)
{
	time_t x = cpk_summary_expiry(a), y = cpk_summary_expiry(b);

	if (x == y)
		return 0;
	if (x == 0 || y == 0)
		return x == 0 ? 1 : -1;
	return x < y ? -1 : 1;
}

/* worst first: what needs attention heads the list */
static int
cmp_status(const cpk_summary *a, const cpk_summary *b)
{
	return cpk_status_rank(b->status) - cpk_status_rank(a->status);
}

static int
cmp(const void *pa, const void *pb)
{
	const struct keyed *ka = pa, *kb = pb;
	const cpk_summary *a = ka->s, *b = kb->s;
	int c = 0;

	switch (ka->by) {
	case CPK_SORT_STATUS:
		if ((c = cmp_status(a, b)) == 0)
			c = cmp_expiry(a, b);
		break;
	case CPK_SORT_EXPIRY:
		if ((c = cmp_expiry(a, b)) == 0)
			c = cmp_status(a, b);
		break;
	case CPK_SORT_NAME:
		break;
	}
	if (c == 0)
		c = cmp_str(a->name, b->name);
	if (c == 0)
		c = cmp_str(a->location, b->location);
	if (c == 0)
		c = cmp_str(a->fqcn, b->fqcn);
	if (c == 0)
		c = ka->i < kb->i ? -1 : ka->i > kb->i;
	return c;
}

cpk_err
cpk_sort_rows(const cpk_summary **rows, size_t n, enum cpk_sort by)
{
	struct keyed *k;

	if (n < 2)
		return CPK_OK;
	if ((k = calloc(n, sizeof(*k))) == NULL)
		return CPK_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		k[i].s = rows[i];
		k[i].i = i;
		k[i].by = by;
	}
	qsort(k, n, sizeof(*k), cmp);
	for (size_t i = 0; i < n; i++)
		rows[i] = k[i].s;
	free(k);
	return CPK_OK;
}
