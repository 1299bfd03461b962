/* Finding and summarizing every container under a path: the shared core
 * of cpkit-list and cpkit-test. Items keep their own copies of the refs so
 * the media can be closed. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
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

static void
item_free(cpk_scan_item *it)
{
	cpk_summary_clear(&it->summary);
	cpk_container_free(&it->c);
	cpk_files_free(&it->files);
	free(it->ref.fqcn);
	free(it->ref.location);
	free(it->ref.name);
	free(it->ref.media);
	free(it->ref.sid);
	free(it->ref.user);
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
/* The progress the threads share: each counts its items atomically and
 * reports only when it gets the lock without waiting, so the caller's
 * callback never runs twice at once and no thread queues behind it;
 * scan_items reports the last state itself after the join. */
struct scan_progress {
	atomic_size_t	 done;
	pthread_mutex_t	 lock;
	size_t		 shown, base, total;	/* shown: under lock */
};

static void
progress_tick(cpk_scan *s, struct scan_progress *p)
{
	size_t k;

	atomic_fetch_add(&p->done, 1);
	if (s->progress == NULL || pthread_mutex_trylock(&p->lock) != 0)
		return;
	/* read under the lock: what another thread counted meanwhile is
	 * included, and the numbers shown only grow */
	k = atomic_load(&p->done);
	if (k > p->shown) {
		p->shown = k;
		s->progress(s->progress_arg, p->base + k, p->total);
	}
	pthread_mutex_unlock(&p->lock);
}

struct scan_job {
	struct scan_progress *p;
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
		progress_tick(j->s, j->p);
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
	struct scan_progress pg;
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
	atomic_init(&pg.done, 0);
	pthread_mutex_init(&pg.lock, NULL);
	pg.shown = 0;
	pg.base = from;
	pg.total = s->n;
	for (size_t t = 0; t < n; t++)
		job[t] = (struct scan_job){ &pg, s, m, refs, from, from + t,
		    s->n, n, now, CPK_OK };
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
	/* the last state, which a busy lock may have skipped; one thread
	 * is left */
	if (s->progress != NULL && atomic_load(&pg.done) > pg.shown)
		s->progress(s->progress_arg, from + atomic_load(&pg.done),
		    s->n);
	pthread_mutex_destroy(&pg.lock);
	for (size_t t = 0; t < n && r == CPK_OK; t++)
		r = job[t].r;
	return r;
}

/* Two container names as CSP compares them: regardless of case, for
 * Latin and Cyrillic letters (Windows folds both); other bytes as they
 * are. */
static uint32_t
fold(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0x410 && c <= 0x42f)		/* А-Я */
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40f)		/* Ѐ-Џ, Ё among them */
		return c + 0x50;
	return c;
}

int
cpk_name_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), na, nb;
	uint32_t ca, cb;

	while (la > 0 && lb > 0) {
		na = cpk_utf8_decode((const unsigned char *)a, la, &ca);
		nb = cpk_utf8_decode((const unsigned char *)b, lb, &cb);
		if (na == 0 || nb == 0) {	/* not UTF-8: the byte itself */
			na = nb = 1;
			ca = (unsigned char)*a;
			cb = (unsigned char)*b;
		}
		if (fold(ca) != fold(cb))
			return 0;
		a += na;
		b += nb;
		la -= na;
		lb -= nb;
	}
	return la == 0 && lb == 0;
}

/* A container folder CSP lists: its name ends in .000-.999 (FORMATS.md
 * §3.3). cpkit-fix's X.000-fixed is left outside that on purpose. */
static int
csp_folder(const char *location)
{
	const char *base = strrchr(location, '/');
	size_t n;

	base = base != NULL ? base + 1 : location;
	n = strlen(base);
	return n >= 5 && base[n - 4] == '.' &&
	    strspn(base + n - 3, "0123456789") == 3;
}

/* The place whose containers CSP lists together (docs/FORMATS.md §3.4):
 * the folder holding a container folder, the Keys key of a .reg or hive
 * (file and key path); tokens are told apart by the reader in their
 * FQCN. The length of that prefix of the location, or 0. */
static size_t
store_len(const cpk_ref *r)
{
	const char *sep;

	if (strcmp(r->media, "TOKEN") == 0)
		return 0;
	sep = strrchr(r->location, strcmp(r->media, "REGISTRY") == 0 ?
	    '\\' : '/');
	return sep != NULL ? (size_t)(sep - r->location) : 0;
}

static int
listed(const cpk_ref *r)
{
	return strcmp(r->media, "REGISTRY") == 0 ||
	    strcmp(r->media, "TOKEN") == 0 || csp_folder(r->location);
}

/* One code point back to UTF-8; how many bytes (out has room for 4). */
static size_t
put_utf8(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* The key two containers CSP would show as one share: media, place and
 * the FQCN folded (cpk_name_equal), joined by bytes no name holds. */
static char *
dup_key(const cpk_ref *r)
{
	size_t ls = store_len(r), lm = strlen(r->media), lf = strlen(r->fqcn);
	size_t k, n, left;
	uint32_t c;
	char *key;

	/* a folded letter is never longer than the letter */
	if ((key = malloc(lm + ls + lf + 3)) == NULL)
		return NULL;
	memcpy(key, r->media, lm);
	key[lm] = '\x01';
	memcpy(key + lm + 1, r->location, ls);
	k = lm + 1 + ls;
	key[k++] = '\x01';
	for (const unsigned char *p = (const unsigned char *)r->fqcn;
	    (left = lf - (size_t)(p - (const unsigned char *)r->fqcn)) > 0;
	    p += n) {
		if ((n = cpk_utf8_decode(p, left, &c)) == 0) {
			key[k++] = (char)*p;
			n = 1;
			continue;
		}
		k += put_utf8(fold(c), key + k);
	}
	key[k] = '\0';
	return key;
}

struct dup_item {
	char	*key;
	size_t	 i;
};

static int
dup_cmp(const void *a, const void *b)
{
	const struct dup_item *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c != 0 ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* duplicate-name on item it, the g-th of one group v[from..to) of equal
 * keys; loc(arg, i) is the location of the container of index i. The
 * evidence names the other locations, as many as it holds. */
static cpk_err
mark_one(cpk_scan_item *it, const struct dup_item *v, size_t from,
    size_t to, size_t g, const char *(*loc)(const void *, size_t),
    const void *arg)
{
	char ev[CPK_FINDING_EVIDENCE_MAX];
	size_t count = to - from, len = 0;
	cpk_finding *f;

	ev[0] = '\0';
	for (size_t o = from; o < to && len < sizeof(ev); o++)
		if (o != g)
			len += (size_t)snprintf(ev + len, sizeof(ev) - len,
			    "%s%s", len ? "; " : "", loc(arg, v[o].i));
	f = cpk_finding_add(&it->summary.findings, "duplicate-name",
	    P_("%s is the name of %zu container in one place (names "
	    "compared regardless of case, as CSP does): CSP shows only "
	    "one of them", "%s is the name of %zu containers in one "
	    "place (names compared regardless of case, as CSP does): "
	    "CSP shows only one of them", count), it->ref.fqcn, count);
	if (f == NULL)
		return CPK_E_NOMEM;
	cpk_finding_evidence(f, "%s", ev);
	it->summary.status = cpk_status(&it->summary.findings);
	return CPK_OK;
}

static const char *
item_loc(const void *arg, size_t i)
{
	return ((const cpk_scan *)arg)->v[i].ref.location;
}

static cpk_err
mark_group(cpk_scan *s, const struct dup_item *v, size_t from, size_t to)
{
	cpk_err r = CPK_OK;

	for (size_t g = from; g < to && r == CPK_OK; g++)
		r = mark_one(&s->v[v[g].i], v, from, to, g, item_loc, s);
	return r;
}

/* duplicate-name: two or more containers of one FQCN in one place,
 * among the items from `from` on (the containers of one medium); sorted
 * by their keys, so that 100,000 containers cost no 10^10 comparisons. */
static cpk_err
mark_duplicates(cpk_scan *s, size_t from)
{
	struct dup_item *v;
	size_t n = 0, a, b;
	cpk_err r = CPK_OK;

	if (s->n - from < 2)
		return CPK_OK;
	if ((v = calloc(s->n - from, sizeof(*v))) == NULL)
		return CPK_E_NOMEM;
	for (size_t i = from; i < s->n; i++) {
		if (!listed(&s->v[i].ref))
			continue;
		if ((v[n].key = dup_key(&s->v[i].ref)) == NULL) {
			r = CPK_E_NOMEM;
			goto out;
		}
		v[n++].i = i;
	}
	qsort(v, n, sizeof(*v), dup_cmp);
	for (a = 0; a < n && r == CPK_OK; a = b) {
		for (b = a + 1; b < n && strcmp(v[a].key, v[b].key) == 0; b++)
			;
		if (b - a > 1)
			r = mark_group(s, v, a, b);
	}
out:
	for (size_t i = 0; i < n; i++)
		free(v[i].key);
	free(v);
	return r;
}

static int
wanted(const cpk_ref *r, const char *want)
{
	return cpk_name_equal(r->name, want) ||
	    cpk_name_equal(r->fqcn, want) || strcmp(r->location, want) == 0;
}

cpk_err
cpk_scan_pick(cpk_scan *s, const char *want, size_t *matched)
{
	size_t k = 0;

	*matched = 0;
	for (size_t i = 0; i < s->n; i++)
		*matched += wanted(&s->v[i].ref, want) ? 1u : 0u;
	if (*matched == 0)
		return CPK_E_NOT_FOUND;
	for (size_t i = 0; i < s->n; i++) {
		if (wanted(&s->v[i].ref, want)) {
			s->v[k++] = s->v[i];
			continue;
		}
		item_free(&s->v[i]);
	}
	s->n = k;
	return k == 1 ? CPK_OK : CPK_E_EXISTS;
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
		/* a big tree lists for a while: the total grows meanwhile */
		if (s->progress != NULL)
			s->progress(s->progress_arg, from, from + nrefs);
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
	/* the items hold copies of all they need: the media's own copies go
	 * before the duplicate check's keys are made (on a 100,000-key .reg
	 * both at once were the peak of cpkit-list's memory) */
	free(refs);
	refs = NULL;
	cpk_media_close(&m);
	if (r == CPK_OK)
		r = mark_duplicates(s, from);
out:
	free(refs);
	cpk_media_close(&m);
	return r;
}

/* ---- streaming (cpkit-list --json/--csv, cpkit-diag --jsonl) ----
 * The refs are listed first, as above, and duplicate-name is judged on
 * them (it needs names only); then the containers are read, decoded and
 * summarized STREAM_CHUNK at a time (on the threads), handed to fn in
 * the media's order and freed: memory holds the refs and one chunk, not
 * a decoded container per container. */
#define STREAM_CHUNK	256

struct dups {
	struct dup_item	*v;	/* keys freed once grouped: .i only */
	size_t		 n;
	uint32_t	*pos;	/* per ref: its index in v, or UINT32_MAX */
	uint32_t	*a, *b;	/* per ref: its group v[a..b), a == b none */
};

static const char *
ref_loc(const void *arg, size_t i)
{
	return ((const cpk_ref *const *)arg)[i]->location;
}

static void
dups_free(struct dups *d)
{
	free(d->v);
	free(d->pos);
	free(d->a);
	free(d->b);
}

static cpk_err
dups_of_refs(const cpk_ref **refs, size_t nrefs, struct dups *d)
{
	size_t a, b;
	cpk_err r = CPK_OK;

	memset(d, 0, sizeof(*d));
	if (nrefs >= UINT32_MAX)
		return CPK_E_TOO_BIG;
	if ((d->v = calloc(nrefs + 1, sizeof(*d->v))) == NULL ||
	    (d->pos = malloc((nrefs + 1) * sizeof(*d->pos))) == NULL ||
	    (d->a = calloc(nrefs + 1, sizeof(*d->a))) == NULL ||
	    (d->b = calloc(nrefs + 1, sizeof(*d->b))) == NULL)
		return CPK_E_NOMEM;
	for (size_t i = 0; i < nrefs; i++) {
		d->pos[i] = UINT32_MAX;
		if (!listed(refs[i]))
			continue;
		if ((d->v[d->n].key = dup_key(refs[i])) == NULL) {
			r = CPK_E_NOMEM;
			goto out;
		}
		d->v[d->n++].i = i;
	}
	qsort(d->v, d->n, sizeof(*d->v), dup_cmp);
	for (a = 0; a < d->n; a = b) {
		for (b = a + 1; b < d->n && strcmp(d->v[a].key,
		    d->v[b].key) == 0; b++)
			;
		for (size_t g = a; b - a > 1 && g < b; g++) {
			d->pos[d->v[g].i] = (uint32_t)g;
			d->a[d->v[g].i] = (uint32_t)a;
			d->b[d->v[g].i] = (uint32_t)b;
		}
	}
out:
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].key);
		d->v[i].key = NULL;
	}
	return r;
}

cpk_err
cpk_scan_stream(cpk_scan *s, const char *path, time_t now,
    cpk_media_opts *o, cpk_scan_fn *fn, void *arg)
{
	cpk_media *m = NULL;
	const cpk_ref *ref;
	const char *w;
	const cpk_ref **refs = NULL;
	size_t nrefs = 0, caprefs = 0;
	struct dups d;
	cpk_scan c;
	cpk_err r;

	memset(&d, 0, sizeof(d));
	memset(&c, 0, sizeof(c));
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
	if (r != CPK_E_NOT_FOUND || (r = dups_of_refs(refs, nrefs, &d)) !=
	    CPK_OK || (r = reserve(&c, nrefs < STREAM_CHUNK ? nrefs :
	    STREAM_CHUNK)) != CPK_OK)
		goto out;
	for (size_t off = 0; off < nrefs && r == CPK_OK; off += STREAM_CHUNK) {
		size_t k = nrefs - off < STREAM_CHUNK ? nrefs - off :
		    STREAM_CHUNK;

		for (size_t i = 0; i < k && r == CPK_OK; i++)
			r = add_item(&c, refs[off + i]);
		if (r == CPK_OK)
			r = scan_items(&c, m, refs + off, 0, now);
		for (size_t i = 0; i < k && r == CPK_OK; i++) {
			size_t j = off + i;
			if (d.pos[j] != UINT32_MAX)
				r = mark_one(&c.v[i], d.v, d.a[j], d.b[j],
				    d.pos[j], ref_loc, refs);
			if (r == CPK_OK)
				r = fn(arg, &c.v[i]);
		}
		for (size_t i = 0; i < c.n; i++)
			item_free(&c.v[i]);
		c.n = 0;
	}
	for (size_t i = 0; r == CPK_OK && (w = cpk_media_warning(m, i)) !=
	    NULL; i++)
		r = add_warning(s, w);
	if (r == CPK_OK)
		r = add_leftovers(s, m);
	for (size_t i = 0; r == CPK_OK && (w = cpk_media_limit(m, i)) !=
	    NULL; i++)
		if (cpk_finding_add(&s->found, "scan-incomplete", "%s",
		    w) == NULL)
			r = CPK_E_NOMEM;
out:
	for (size_t i = 0; i < c.n; i++)
		item_free(&c.v[i]);
	c.n = 0;
	cpk_scan_clear(&c);
	dups_free(&d);
	free(refs);
	cpk_media_close(&m);
	return r;
}

void
cpk_scan_clear(cpk_scan *s)
{
	for (size_t i = 0; i < s->n; i++)
		item_free(&s->v[i]);
	for (size_t i = 0; i < s->nwarn; i++)
		free(s->warn[i]);
	cpk_findings_clear(&s->found);
	free(s->v);
	free(s->warn);
	memset(s, 0, sizeof(*s));
}
