/* Finding and summarizing every container under a path: the shared core
 * of cpkit-list and cpkit-test. Items keep their own copies of the refs so
 * the media can be closed. */
#include <stdlib.h>
#include <string.h>

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

static cpk_err
copy_ref(const cpk_ref *in, cpk_ref *out)
{
	out->fqcn = strdup(in->fqcn);
	out->location = strdup(in->location);
	out->name = strdup(in->name);
	out->media = strdup(in->media);
	out->sid = in->sid != NULL ? strdup(in->sid) : NULL;
	return out->fqcn && out->location && out->name && out->media &&
	    (in->sid == NULL || out->sid != NULL) ? CPK_OK : CPK_E_NOMEM;
}

static cpk_err
add_item(cpk_scan *s, cpk_media *m, const cpk_ref *ref, time_t now)
{
	cpk_scan_item *it;
	cpk_err r;

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
	if ((r = copy_ref(ref, &it->ref)) != CPK_OK ||
	    (r = cpk_media_load(m, ref, &it->files)) != CPK_OK ||
	    (r = cpk_container_decode(it->files, &it->c)) != CPK_OK)
		return r;
	/* the summary points into the item's own ref and container */
	return cpk_summarize(&it->ref, it->files, it->c, now, &it->summary);
}

cpk_err
cpk_scan_add(cpk_scan *s, const char *path, time_t now)
{
	cpk_media *m = NULL;
	const cpk_ref *ref;
	const char *w;
	cpk_err r;

	if ((r = cpk_media_open(path, &m)) != CPK_OK)
		return r;
	while ((r = cpk_media_next(m, &ref)) == CPK_OK)
		if ((r = add_item(s, m, ref, now)) != CPK_OK)
			goto out;
	r = CPK_OK;
	for (size_t i = 0; (w = cpk_media_warning(m, i)) != NULL; i++)
		if ((r = add_warning(s, w)) != CPK_OK)
			break;
out:
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
	}
	for (size_t i = 0; i < s->nwarn; i++)
		free(s->warn[i]);
	free(s->v);
	free(s->warn);
	memset(s, 0, sizeof(*s));
}
