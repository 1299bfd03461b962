/* The media core (ARCHITECTURE.md cpk_media): one list of containers from
 * any backend - folders, .reg exports, offline hives, tokens - with the
 * problems met on the way. Which backend reads an address is decided in
 * open.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "media_int.h"

static void
add_warning(cpk_media *m, const char *text)
{
	char **w;

	if (m->nwarn >= 1000)
		return;
	if ((w = realloc(m->warn, (m->nwarn + 1) * sizeof(*w))) == NULL)
		return;
	m->warn = w;
	if ((m->warn[m->nwarn] = strdup(text)) != NULL)
		m->nwarn++;
}

void
cpk_media_warn(cpk_media *m, const char *fmt, ...)
{
	char buf[1024];		/* room for a translated warning */
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	add_warning(m, buf);
}

void
cpk_media_cut(cpk_media *m, enum media_limit kind, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	add_warning(m, buf);
	/* kept apart from the warnings, whose number is capped */
	if ((m->cut_kinds & 1u << kind) == 0 &&
	    (m->cut[kind] = strdup(buf)) != NULL)
		m->cut_kinds |= 1u << kind;
}

const char *
cpk_media_limit(const cpk_media *m, size_t i)
{
	for (size_t k = 0; k < sizeof(m->cut) / sizeof(m->cut[0]); k++)
		if (m->cut[k] != NULL && i-- == 0)
			return m->cut[k];
	return NULL;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

cpk_err
cpk_media_add(cpk_media *m, const char *fqcn, const char *location,
    const char *name, const char *media, const char *sid, const char *user,
    cpk_files *files)
{
	media_item *it;

	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		if ((it = realloc(m->items, cap * sizeof(*it))) == NULL) {
			cpk_files_free(&files);
			return CPK_E_NOMEM;
		}
		m->items = it;
		m->cap = cap;
	}
	it = &m->items[m->n++];
	memset(it, 0, sizeof(*it));
	it->files = files;
	it->ref.fqcn = dup_or_null(fqcn);
	it->ref.location = dup_or_null(location);
	it->ref.name = dup_or_null(name);
	it->ref.media = dup_or_null(media);
	it->ref.sid = dup_or_null(sid);
	it->ref.user = dup_or_null(user);
	if (!it->ref.fqcn || !it->ref.location || !it->ref.name ||
	    !it->ref.media || (sid != NULL && it->ref.sid == NULL) ||
	    (user != NULL && it->ref.user == NULL))
		return CPK_E_NOMEM;
	return CPK_OK;
}

/* regf: a hive; a .reg header after an optional BOM, in UTF-16 (either
 * byte order, BOM or none) or in an 8-bit encoding. A link is not followed unless the user typed it. */
enum media_file
cpk_media_sniff_at(const char *path, int follow)
{
	static const char r5[] = "Windows Registry Editor";
	static const char r4[] = "REGEDIT4";
	unsigned char b[64];
	char narrow[32];
	ssize_t n;
	size_t off = 0, k = 0;
	int fd;
	size_t be;

	fd = open(path, (follow ? 0 : O_NOFOLLOW) | O_RDONLY | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd < 0)
		return MF_OTHER;
	n = read(fd, b, sizeof(b));
	close(fd);
	if (n < 8)
		return MF_OTHER;
	if (memcmp(b, "regf", 4) == 0)
		return MF_HIVE;
	/* UTF-16 with a BOM, or without one (told by the zero bytes of
	 * the ASCII header), in either byte order (regtext.c) */
	if ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff) ||
	    (b[0] != 0 && b[1] == 0) || (b[0] == 0 && b[1] != 0)) {
		be = b[0] == 0xfe || b[0] == 0 ? 1 : 0;
		for (off = b[0] == 0xff || b[0] == 0xfe ? 2 : 0;
		    off + 1 < (size_t)n && k + 1 < sizeof(narrow); off += 2)
			narrow[k++] = b[off + 1 - be] == 0 ? (char)b[off + be] :
			    '?';
	} else {
		off = n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf ?
		    3 : 0;
		for (; off < (size_t)n && k + 1 < sizeof(narrow); off++)
			narrow[k++] = (char)b[off];
	}
	narrow[k] = '\0';
	return strncmp(narrow, r5, sizeof(r5) - 1) == 0 ||
	    strncmp(narrow, r4, sizeof(r4) - 1) == 0 ? MF_REG : MF_OTHER;
}

enum media_file
cpk_media_sniff(const char *path)
{
	return cpk_media_sniff_at(path, 0);
}

/* a path the tool was given */
int
cpk_path_is_reg(const char *path)
{
	return cpk_media_sniff_at(path, 1) == MF_REG;
}

void
cpk_media_item_clear(media_item *it)
{
	cpk_ref *r = &it->ref;

	free(r->fqcn);
	free(r->location);
	free(r->name);
	free(r->media);
	free(r->sid);
	free(r->user);
	cpk_files_free(&it->files);
}

cpk_err
cpk_media_next(cpk_media *m, const cpk_ref **ref)
{
	*ref = NULL;
	if (m->next >= m->n)
		return CPK_E_NOT_FOUND;
	*ref = &m->items[m->next++].ref;
	return CPK_OK;
}

static cpk_err
copy_files(const cpk_files *in, cpk_files **out)
{
	cpk_err r;

	if ((r = cpk_files_new(out)) != CPK_OK)
		return r;
	for (int i = 0; i < CPK_F_COUNT; i++) {
		(*out)->err[i] = in->err[i];
		(*out)->size[i] = in->size[i];
		if (in->f[i] != NULL && (r = cpk_blob_new(in->f[i]->ptr,
		    in->f[i]->len, &(*out)->f[i])) != CPK_OK) {
			cpk_files_free(out);
			return r;
		}
	}
	return CPK_OK;
}

/* A ref handed out by cpk_media_next() is inside m->items: found by its
 * address, not a search, and without writing to anything but that one
 * item, so threads may load different refs of one media at once. */
static media_item *
item_of(cpk_media *m, const cpk_ref *ref)
{
	media_item *it;

	if (m->n == 0 || (const char *)ref < (const char *)m->items ||
	    (const char *)ref >= (const char *)(m->items + m->n))
		return NULL;
	it = &m->items[((size_t)((const char *)ref -
	    (const char *)m->items)) / sizeof(*it)];
	return &it->ref == ref ? it : NULL;
}

cpk_err
cpk_media_load(cpk_media *m, const cpk_ref *ref, cpk_files **out)
{
	const media_item *it;

	*out = NULL;
	if ((it = item_of(m, ref)) == NULL)
		return CPK_E_ARG;
	if (it->taken)
		return CPK_E_NOT_FOUND;
	return it->files != NULL ? copy_files(it->files, out) :
	    cpk_files_read_dir(ref->location, out);
}

cpk_err
cpk_media_take(cpk_media *m, const cpk_ref *ref, cpk_files **out)
{
	media_item *it;

	*out = NULL;
	if ((it = item_of(m, ref)) == NULL)
		return CPK_E_ARG;
	if (it->taken)
		return CPK_E_NOT_FOUND;
	if (it->files == NULL)
		return cpk_files_read_dir(ref->location, out);
	*out = it->files;
	it->files = NULL;
	it->taken = 1;
	return CPK_OK;
}

const char *
cpk_media_warning(cpk_media *m, size_t i)
{
	return i < m->nwarn ? m->warn[i] : NULL;
}

void
cpk_media_close(cpk_media **mp)
{
	cpk_media *m;

	if (mp == NULL || (m = *mp) == NULL)
		return;
	for (size_t i = 0; i < m->n; i++)
		cpk_media_item_clear(&m->items[i]);
	for (size_t i = 0; i < m->nwarn; i++)
		free(m->warn[i]);
	for (size_t i = 0; i < m->nleft; i++)
		free(m->left[i].path);
	free(m->left);
	free(m->items);
	free(m->warn);
	free(m->seen);
	free(m->root);
	free(m->root_real);
	free(m->given);
	for (size_t k = 0; k < sizeof(m->cut) / sizeof(m->cut[0]); k++)
		free(m->cut[k]);
	free(m);
	*mp = NULL;
}
