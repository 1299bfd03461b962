/* The triage of a diagnostic report (issue 18): how bad it is (counts by
 * status and medium, what expires within 30 and 90 days), which
 * containers need someone (the blocks, worst first), and the three most
 * urgent things to do. report.html, report.txt and report.json all take
 * their order and numbers from here, so they agree. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

time_t
cpk_next_expiry(const cpk_summary *s)
{
	time_t t = s->has_cert ? s->cert->not_after : 0;

	if (s->key_usage_end != 0 && (t == 0 || s->key_usage_end < t))
		t = s->key_usage_end;
	return t;
}

/* qsort has no argument: the one being sorted, set just before */
static const cpk_summary *const *sort_v;

static int
block_cmp(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int ri = cpk_status_rank(sort_v[i]->status);
	int rj = cpk_status_rank(sort_v[j]->status);
	time_t ti = cpk_next_expiry(sort_v[i]), tj = cpk_next_expiry(sort_v[j]);

	if (ri != rj)		/* damaged, incomplete, locked, warning */
		return rj - ri;
	if (ti != tj)		/* then the nearest expiry; none last */
		return ti == 0 ? 1 : tj == 0 ? -1 : ti < tj ? -1 : 1;
	return i < j ? -1 : i > j;	/* and as found */
}

/* Adds r unless it is already one of the urgent ones. */
static void
urgent_add(cpk_triage *t, const char *r)
{
	size_t k;

	for (k = 0; k < 3 && t->urgent[k] != NULL; k++)
		if (strcmp(t->urgent[k], r) == 0)
			return;
	if (k < 3)
		t->urgent[k] = r;
}

static void
urgent_from(cpk_triage *t, const cpk_findings *l)
{
	for (int sev = CPK_SEV_ERROR; sev >= CPK_SEV_WARN; sev--)
		for (size_t j = 0; j < l->n; j++)
			if ((int)l->v[j].sev == sev)
				urgent_add(t, l->v[j].remedy);
}

static void
media_count(cpk_triage *t, const char *m)
{
	size_t k;

	m = m != NULL ? m : "?";
	for (k = 0; k < t->nmedia; k++)
		if (strcmp(t->media[k], m) == 0)
			break;
	if (k == t->nmedia) {
		if (k == CPK_TRIAGE_MEDIA)	/* the rest in the last */
			k--;
		else
			t->media[t->nmedia++] = m;
	}
	t->by_media[k]++;
}

cpk_err
cpk_triage_make(const cpk_summary *const *v, size_t n,
    const cpk_findings *found, time_t now, cpk_triage *t)
{
	memset(t, 0, sizeof(*t));
	if ((t->order = calloc(n + 1, sizeof(*t->order))) == NULL)
		return CPK_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		const cpk_summary *s = v[i];
		int k = cpk_status_rank(s->status);
		time_t e = cpk_next_expiry(s);

		if (k >= 0 && k < 5)
			t->by_status[k]++;
		media_count(t, s->media);
		/* still valid, and ending within the window */
		if (e != 0 && e >= now && e - now < 30 * 86400)
			t->exp30++;
		if (e != 0 && e >= now && e - now < 90 * 86400)
			t->exp90++;
		if (k > 0)	/* every status but ok is a block */
			t->order[t->nblocks++] = i;
	}
	sort_v = v;
	qsort(t->order, t->nblocks, sizeof(*t->order), block_cmp);
	for (size_t b = 0; b < t->nblocks; b++)
		urgent_from(t, &v[t->order[b]]->findings);
	if (found != NULL)
		urgent_from(t, found);
	return CPK_OK;
}

void
cpk_triage_clear(cpk_triage *t)
{
	free(t->order);
	t->order = NULL;
}
