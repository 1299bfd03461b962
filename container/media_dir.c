/* Folder media (ARCHITECTURE.md): finds containers anywhere under a path -
 * a flash drive root, /var/opt/cprocsp/keys/<user>, any tree - by their
 * files, not by the folder name, and names them as CryptoPro does
 * (REGISTRY.md §7): \\.\HDIMAGE\name under the HDIMAGE store, else
 * \\.\FLASH\name. Symbolic links are not followed and every directory is
 * entered once (device, inode), so loops end. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

#define WALK_MAX_DEPTH	32
#define WALK_MAX_DIRS	100000

struct visited {
	dev_t	dev;
	ino_t	ino;
};

struct cpk_media {
	cpk_ref		*refs;
	size_t		 nref, cap, next;
	char		**warn;
	size_t		 nwarn;
	struct visited	*seen;
	size_t		 nseen, seen_cap;
};

static void
warn(cpk_media *m, const char *path, const char *what)
{
	char **w;
	char *s;
	size_t n = strlen(path) + strlen(what) + 3;

	if (m->nwarn >= 1000 || (s = malloc(n)) == NULL)
		return;
	snprintf(s, n, "%s: %s", path, what);
	if ((w = realloc(m->warn, (m->nwarn + 1) * sizeof(*w))) == NULL) {
		free(s);
		return;
	}
	m->warn = w;
	m->warn[m->nwarn++] = s;
}

static int
seen_before(cpk_media *m, const struct stat *st)
{
	struct visited *v;

	for (size_t i = 0; i < m->nseen; i++)
		if (m->seen[i].dev == st->st_dev && m->seen[i].ino == st->st_ino)
			return 1;
	if (m->nseen == m->seen_cap) {
		size_t cap = m->seen_cap ? m->seen_cap * 2 : 64;
		if ((v = realloc(m->seen, cap * sizeof(*v))) == NULL)
			return 1;
		m->seen = v;
		m->seen_cap = cap;
	}
	m->seen[m->nseen].dev = st->st_dev;
	m->seen[m->nseen++].ino = st->st_ino;
	return 0;
}

/* CryptoPro's reader names: the HDIMAGE store is /var/opt/cprocsp/keys
 * on Linux; anything else is shown as a flash drive (REGISTRY.md §7). */
const char *
cpk_media_kind(const char *real)
{
	return strncmp(real, "/var/opt/cprocsp/keys/", 22) == 0 ? "HDIMAGE" :
	    "FLASH";
}

static int
is_container_dir(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	for (int i = 0; i < CPK_F_COUNT; i++)
		if (snprintf(path, sizeof(path), "%s/%s", dir,
		    cpk_file_name((enum cpk_file_id)i)) < (int)sizeof(path) &&
		    lstat(path, &st) == 0)
			return 1;
	return 0;
}

static char *
container_name(const char *dir)
{
	char path[PATH_MAX];
	cpk_blob *b = NULL;
	char *name = NULL;
	const char *enc, *base;

	if (snprintf(path, sizeof(path), "%s/name.key", dir) <
	    (int)sizeof(path) && cpk_file_read(path, CPK_FILE_MAX, &b) ==
	    CPK_OK)
		cpk_name_decode(b->ptr, b->len, &name, &enc);
	cpk_blob_free(&b);
	if (name != NULL)
		return name;
	base = strrchr(dir, '/');
	return strdup(base != NULL && base[1] != '\0' ? base + 1 : dir);
}

static cpk_err
add_ref(cpk_media *m, const char *dir)
{
	char real[PATH_MAX];
	cpk_ref *r;
	const char *media;
	size_t n;

	if (m->nref == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		if ((r = realloc(m->refs, cap * sizeof(*r))) == NULL)
			return CPK_E_NOMEM;
		m->refs = r;
		m->cap = cap;
	}
	r = &m->refs[m->nref];
	memset(r, 0, sizeof(*r));
	if (realpath(dir, real) == NULL)
		snprintf(real, sizeof(real), "%s", dir);
	media = cpk_media_kind(real);
	if ((r->location = strdup(dir)) == NULL ||
	    (r->name = container_name(dir)) == NULL ||
	    (r->media = strdup(media)) == NULL)
		goto fail;
	n = strlen(media) + strlen(r->name) + 8;
	if ((r->fqcn = malloc(n)) == NULL)
		goto fail;
	snprintf(r->fqcn, n, "\\\\.\\%s\\%s", media, r->name);
	m->nref++;
	return CPK_OK;
fail:
	free(r->location);
	free(r->name);
	free(r->media);
	return CPK_E_NOMEM;
}

static cpk_err
walk(cpk_media *m, const char *dir, unsigned depth)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;
	cpk_err r = CPK_OK;

	if (depth > WALK_MAX_DEPTH) {
		warn(m, dir, "too deep, not searched further");
		return CPK_OK;
	}
	if (is_container_dir(dir))
		return add_ref(m, dir);
	if ((d = opendir(dir)) == NULL) {
		warn(m, dir, strerror(errno));
		return CPK_OK;
	}
	while (r == CPK_OK && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(path) || lstat(path, &st) != 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		if (seen_before(m, &st) || m->nseen > WALK_MAX_DIRS) {
			warn(m, path, "directory loop or limit, skipped");
			continue;
		}
		r = walk(m, path, depth + 1);
	}
	closedir(d);
	return r;
}

static int
ref_cmp(const void *a, const void *b)
{
	return strcmp(((const cpk_ref *)a)->location,
	    ((const cpk_ref *)b)->location);
}

cpk_err
cpk_media_open(const char *uri, cpk_media **out)
{
	char dir[PATH_MAX];
	struct stat st;
	cpk_media *m;
	char *slash;
	cpk_err r;

	*out = NULL;
	if (stat(uri, &st) != 0)
		return errno == ENOENT ? CPK_E_NOT_FOUND : CPK_E_IO;
	if (snprintf(dir, sizeof(dir), "%s", uri) >= (int)sizeof(dir))
		return CPK_E_RANGE;
	/* one of the six files given: its folder is the container */
	if (!S_ISDIR(st.st_mode)) {
		if ((slash = strrchr(dir, '/')) == NULL)
			snprintf(dir, sizeof(dir), ".");
		else
			*slash = '\0';
		if (!is_container_dir(dir))
			return CPK_E_FORMAT;
	}
	while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = '\0';
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return CPK_E_NOMEM;
	if (stat(dir, &st) == 0)
		seen_before(m, &st);
	if ((r = walk(m, dir, 0)) != CPK_OK) {
		cpk_media_close(&m);
		return r;
	}
	if (m->nref > 1)
		qsort(m->refs, m->nref, sizeof(*m->refs), ref_cmp);
	*out = m;
	return CPK_OK;
}

cpk_err
cpk_media_next(cpk_media *m, const cpk_ref **ref)
{
	*ref = NULL;
	if (m->next >= m->nref)
		return CPK_E_NOT_FOUND;
	*ref = &m->refs[m->next++];
	return CPK_OK;
}

cpk_err
cpk_media_load(cpk_media *m, const cpk_ref *ref, cpk_files **out)
{
	(void)m;
	return cpk_files_read_dir(ref->location, out);
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
	for (size_t i = 0; i < m->nref; i++) {
		free(m->refs[i].fqcn);
		free(m->refs[i].location);
		free(m->refs[i].name);
		free(m->refs[i].media);
	}
	for (size_t i = 0; i < m->nwarn; i++)
		free(m->warn[i]);
	free(m->refs);
	free(m->warn);
	free(m->seen);
	free(m);
	*mp = NULL;
}
