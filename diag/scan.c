/* Finding and summarizing every container under a path: the shared core
 * of cpkit-list and cpkit-test. Items keep their own copies of the refs so
 * the media can be closed. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static cpk_err
add_warning(cpk_scan *s, const char *w)
{
	char **v;

	if ((v = realloc(s->warn, (s->nwarn + 1) * sizeof(*v))) == NULL)
		return CPK_E_NOMEM;
	s->warn = v;
	if ((s->warn[s->nwarn] = strdup(w)) == NULL)
		return CPK_E_NOMEM;
	s->nwarn++;
	return CPK_OK;
}

/* What cpkit left on the medium becomes a finding of the scan. */
static cpk_err
add_leftovers(cpk_scan *s, cpk_media *m)
{
	enum cpk_leftover kind;
	const char *path;
	cpk_finding *f;

	for (size_t i = 0; (path = cpk_media_leftover(m, i, &kind)) != NULL;
	    i++) {
		if (kind == CPK_LEFT_BACKUP)
			f = cpk_finding_add(&s->found, "backup-copy", _("%s: a "
			    "backup archive made by cpkit-fix --in-place; it "
			    "holds a copy of the key"), path);
		else
			f = cpk_finding_add(&s->found, "staging-leftover",
			    _("%s: a staging folder left by an interrupted "
			    "or incomplete cpkit run"), path);
		if (f == NULL)
			return CPK_E_NOMEM;
	}
	return CPK_OK;
}

static cpk_err
copy_ref(const cpk_ref *in, cpk_ref *out)
{
	out->fqcn = strdup(in->fqcn);
	out->location = strdup(in->location);
	out->name = strdup(in->name);
	out->media = strdup(in->media);
	out->sid = in->sid != NULL ? strdup(in->sid) : NULL;
	out->user = in->user != NULL ? strdup(in->user) : NULL;
	out->scope = in->scope;
	return out->fqcn && out->location && out->name && out->media &&
	    (in->sid == NULL || out->sid != NULL) &&
	    (in->user == NULL || out->user != NULL) ? CPK_OK : CPK_E_NOMEM;
}

/* Room for exactly `more` items: a media lists all its refs before they
 * are added, and doubling would leave up to half the array unused. */
static cpk_err
reserve(cpk_scan *s, size_t more)
{
	cpk_scan_item *it;

	if (more <= s->cap - s->n)
		return CPK_OK;
	if (more > SIZE_MAX / sizeof(*it) - s->n)
		return CPK_E_NOMEM;
	if ((it = realloc(s->v, (s->n + more) * sizeof(*it))) == NULL)
		return CPK_E_NOMEM;
	s->v = it;
	s->cap = s->n + more;
	return CPK_OK;
}

static cpk_err
add_item(cpk_scan *s, const cpk_ref *ref)
{
	cpk_scan_item *it;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		if ((it = realloc(s->v, cap * sizeof(*it))) == NULL)
			return CPK_E_NOMEM;
		s->v = it;
		s->cap = cap;
	}
	it = &s->v[s->n];
	memset(it, 0, sizeof(*it));
	s->n++;
	return copy_ref(ref, &it->ref);
}

/* Reading, decoding and summarizing (certificate parsing, MACs) each item
 * is independent of the others, so the items are shared out between
 * threads: on a tree of 1,000 containers this more than halves
 * cpkit-list's time on two cores (bench/README.md, "scan"). */
struct scan_job {
	cpk_scan	*s;
	cpk_media	*m;
	const cpk_ref	**refs;		/* the media's refs: item base + k */
	size_t		 base, from, to, step;
	time_t		 now;
	cpk_err		 r;
};

static void *
scan_run(void *arg)
{
	struct scan_job *j = arg;

	for (size_t i = j->from; i < j->to && j->r == CPK_OK; i += j->step) {
		cpk_scan_item *it = &j->s->v[i];

		/* each ref once: the media's own copy, not a second one */
		j->r = cpk_media_take(j->m, j->refs[i - j->base], &it->files);
		if (j->r == CPK_OK)
			j->r = cpk_container_decode(it->files, &it->c);
		if (j->r != CPK_OK)
			break;
		/* the summary points into the item's own ref and container */
		j->r = cpk_summarize(&it->ref, it->files, it->c, j->now,
		    &it->summary);
	}
	return NULL;
}

#define SCAN_MAX_THREADS	8
#define SCAN_ITEMS_PER_THREAD	32	/* fewer: a thread costs more */

static cpk_err
scan_items(cpk_scan *s, cpk_media *m, const cpk_ref **refs, size_t from,
    time_t now)
{
	struct scan_job job[SCAN_MAX_THREADS];
	pthread_t tid[SCAN_MAX_THREADS];
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = cores < 1 ? 1 : (size_t)cores, started = 1;
	cpk_err r = CPK_OK;

	if (n > SCAN_MAX_THREADS)
		n = SCAN_MAX_THREADS;
	if (n > (s->n - from) / SCAN_ITEMS_PER_THREAD)
		n = (s->n - from) / SCAN_ITEMS_PER_THREAD;
	if (n < 1)
		n = 1;
	for (size_t t = 0; t < n; t++)
		job[t] = (struct scan_job){ s, m, refs, from, from + t, s->n, n,
		    now, CPK_OK };
	/* share 0 runs here; a thread that cannot start leaves its share to
	 * the loop below */
	for (size_t t = 1; t < n; t++, started++)
		if (pthread_create(&tid[t], NULL, scan_run, &job[t]) != 0)
			break;
	scan_run(&job[0]);
	for (size_t t = 1; t < started; t++)
		pthread_join(tid[t], NULL);
	for (size_t t = started; t < n; t++)
		scan_run(&job[t]);
	for (size_t t = 0; t < n && r == CPK_OK; t++)
		r = job[t].r;
	return r;
}

cpk_err
cpk_scan_add(cpk_scan *s, const char *path, time_t now)
{
	return cpk_scan_add_opts(s, path, now, NULL);
}

cpk_err
cpk_scan_add_opts(cpk_scan *s, const char *path, time_t now,
    cpk_media_opts *o)
{
	cpk_media *m = NULL;
	const cpk_ref *ref;
	const char *w;
	const cpk_ref **refs = NULL;
	size_t from = s->n, nrefs = 0, caprefs = 0;
	cpk_err r;

	if ((r = cpk_media_open_opts(path, o, &m)) != CPK_OK)
		return r;
	while ((r = cpk_media_next(m, &ref)) == CPK_OK) {
		if (nrefs == caprefs) {
			size_t cap = caprefs ? caprefs * 2 : 64;
			const cpk_ref **v = realloc(refs, cap * sizeof(*v));
			if (v == NULL) {
				r = CPK_E_NOMEM;
				goto out;
			}
			refs = v;
			caprefs = cap;
		}
		refs[nrefs++] = ref;
	}
	if (r != CPK_E_NOT_FOUND || (r = reserve(s, nrefs)) != CPK_OK)
		goto out;
	for (size_t i = 0; i < nrefs; i++)
		if ((r = add_item(s, refs[i])) != CPK_OK)
			goto out;
	if ((r = scan_items(s, m, refs, from, now)) != CPK_OK)
		goto out;
	for (size_t i = 0; (w = cpk_media_warning(m, i)) != NULL; i++)
		if ((r = add_warning(s, w)) != CPK_OK)
			goto out;
	r = add_leftovers(s, m);
	/* a limit cut the walk short: what was listed is what readdir()
	 * gave first, so the scan itself is a finding */
	for (size_t i = 0; r == CPK_OK && (w = cpk_media_limit(m, i)) !=
	    NULL; i++)
		if (cpk_finding_add(&s->found, "scan-incomplete", "%s",
		    w) == NULL)
			r = CPK_E_NOMEM;
out:
	free(refs);
	cpk_media_close(&m);
	return r;
}

void
cpk_scan_free(cpk_scan *s)
{
	for (size_t i = 0; i < s->n; i++) {
		cpk_scan_item *it = &s->v[i];
		cpk_summary_free(&it->summary);
		cpk_container_free(&it->c);
		cpk_files_free(&it->files);
		free(it->ref.fqcn);
		free(it->ref.location);
		free(it->ref.name);
		free(it->ref.media);
		free(it->ref.sid);
		free(it->ref.user);
	}
	for (size_t i = 0; i < s->nwarn; i++)
		free(s->warn[i]);
	cpk_findings_free(&s->found);
	free(s->v);
	free(s->warn);
	memset(s, 0, sizeof(*s));
}
