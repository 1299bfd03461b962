/* Folder media (ARCHITECTURE.md): finds containers anywhere under a path -
 * a flash drive root, /var/opt/cprocsp/keys/<user>, any tree - by their
 * files, not by the folder name, and names them as CryptoPro does
 * (REGISTRY.md §7): \\.\HDIMAGE\name under the HDIMAGE store, else
 * \\.\FLASH\name. .reg exports and hive files met on the way are read too.
 * Symbolic links are not followed and every directory is entered once
 * (device, inode), so loops end. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "media_int.h"

#define WALK_MAX_DEPTH	32
#define WALK_MAX_DIRS	100000

/* The folders visited, as an open-addressing set of (device, inode): a
 * walk may meet WALK_MAX_DIRS of them, too many for a linear search. */
static size_t
seen_slot(const struct media_visited *v, size_t cap, dev_t dev, ino_t ino)
{
	size_t i = (size_t)(((unsigned long long)ino * 0x9e3779b97f4a7c15ULL) ^
	    (unsigned long long)dev) & (cap - 1);

	while (v[i].used && (v[i].dev != dev || v[i].ino != ino))
		i = (i + 1) & (cap - 1);
	return i;
}

static int
seen_before(cpk_media *m, const struct stat *st)
{
	struct media_visited *v;
	size_t i;

	/* kept at most half full, so a free slot always ends the probe */
	if (2 * (m->nseen + 1) > m->seen_cap) {
		size_t cap = m->seen_cap ? m->seen_cap * 2 : 64;
		if ((v = calloc(cap, sizeof(*v))) == NULL)
			return 1;
		for (size_t k = 0; k < m->seen_cap; k++)
			if (m->seen[k].used)
				v[seen_slot(v, cap, m->seen[k].dev,
				    m->seen[k].ino)] = m->seen[k];
		free(m->seen);
		m->seen = v;
		m->seen_cap = cap;
	}
	i = seen_slot(m->seen, m->seen_cap, st->st_dev, st->st_ino);
	if (m->seen[i].used)
		return 1;
	m->seen[i].dev = st->st_dev;
	m->seen[i].ino = st->st_ino;
	m->seen[i].used = 1;
	m->nseen++;
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
add_folder(cpk_media *m, const char *dir)
{
	char real[PATH_MAX], fqcn[PATH_MAX + 32];
	const char *media;
	char *name;
	cpk_err r;

	/* links are not followed below the root, so one realpath() of the
	 * root serves every folder under it */
	if (m->root_real != NULL && strncmp(dir, m->root, strlen(m->root)) ==
	    0)
		snprintf(real, sizeof(real), "%s%s", m->root_real,
		    dir + strlen(m->root));
	else if (realpath(dir, real) == NULL)
		snprintf(real, sizeof(real), "%s", dir);
	media = cpk_media_kind(real);
	if ((name = container_name(dir)) == NULL)
		return CPK_E_NOMEM;
	snprintf(fqcn, sizeof(fqcn), "\\\\.\\%s\\%s", media, name);
	r = cpk_media_add(m, fqcn, dir, name, media, NULL, NULL, NULL);
	free(name);
	return r;
}

/* A .reg export or a hive met during the walk; its own problems become
 * warnings, the walk goes on. */
static cpk_err
add_file(cpk_media *m, const char *path)
{
	cpk_err r = CPK_OK;

	switch (cpk_media_sniff(path)) {
	case MF_REG:
		r = cpk_media_reg_add(m, path);
		break;
	case MF_HIVE:
		r = cpk_media_hive_add(m, path);
		break;
	case MF_OTHER:
		return CPK_OK;
	}
	if (r != CPK_OK && r != CPK_E_NOMEM) {
		cpk_media_warn(m, "%s: %s", path, cpk_err_text(r));
		r = CPK_OK;
	}
	return r;
}

static int
is_key_file(const char *name)
{
	for (int i = 0; i < CPK_F_COUNT; i++)
		if (strcmp(name, cpk_file_name((enum cpk_file_id)i)) == 0)
			return 1;
	return 0;
}

/* Files worth opening during a walk: .reg exports and hives go by these
 * names (REGISTRY.md §3, §5), also as backups ("SOFTWARE.bak", "ntuser.dat.old").
 * Opening every file of a home directory to sniff it would read a page of
 * each from disk; a file named on the command line is sniffed whatever its
 * name. */
static int
may_be_registry(const char *name)
{
	static const char *const stems[] = { "ntuser", "usrclass", "software",
	    "system", "default", "sam", "security" };
	static const char *const exts[] = { "reg", "hiv", "hive" };
	const char *dot = strchr(name, '.');
	size_t stem = dot != NULL ? (size_t)(dot - name) : strlen(name);

	for (size_t i = 0; i < sizeof(stems) / sizeof(stems[0]); i++)
		if (stem == strlen(stems[i]) &&
		    strncasecmp(name, stems[i], stem) == 0)
			return 1;
	for (; dot != NULL; dot = strchr(dot + 1, '.'))
		for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
			if (strcasecmp(dot + 1, exts[i]) == 0 ||
			    (strncasecmp(dot + 1, exts[i], strlen(exts[i])) ==
			    0 && dot[1 + strlen(exts[i])] == '.'))
				return 1;
	return 0;
}

/* What cpkit left beside containers (container.h, CPK_STAGING_PREFIX):
 * a staging folder is not entered (a killed run's copy of a key is no
 * container), a backup archive is not opened; both are noted. */
static int
leftover_kind(const char *dir, const char *name, unsigned char type)
{
	char path[PATH_MAX];
	const char *tag;
	struct stat st;
	size_t len = strlen(name);

	/* ours only with cpkit's marker inside; else an ordinary folder */
	if (strncmp(name, CPK_STAGING_PREFIX, strlen(CPK_STAGING_PREFIX)) ==
	    0 && (type == DT_DIR || type == DT_UNKNOWN))
		return snprintf(path, sizeof(path), "%s/%s/%s", dir, name,
		    CPK_STAGING_MARKER) < (int)sizeof(path) &&
		    lstat(path, &st) == 0 && S_ISREG(st.st_mode) ?
		    (int)CPK_LEFT_STAGING : -1;
	if ((tag = strstr(name, CPK_BACKUP_TAG)) != NULL && tag != name &&
	    len > 4 && strcmp(name + len - 4, ".zip") == 0 &&
	    (type == DT_REG || type == DT_UNKNOWN))
		return (int)CPK_LEFT_BACKUP;
	return -1;
}

static cpk_err
leftover_add(cpk_media *m, const char *dir, const char *name,
    enum cpk_leftover kind)
{
	char path[PATH_MAX];
	struct media_left *v;
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path) || lstat(path, &st) != 0 ||
	    (kind == CPK_LEFT_STAGING ? !S_ISDIR(st.st_mode) :
	    !S_ISREG(st.st_mode)) || m->nleft >= WALK_MAX_DIRS)
		return CPK_OK;
	if ((v = realloc(m->left, (m->nleft + 1) * sizeof(*v))) == NULL)
		return CPK_E_NOMEM;
	m->left = v;
	if ((v[m->nleft].path = strdup(path)) == NULL)
		return CPK_E_NOMEM;
	v[m->nleft++].kind = kind;
	return CPK_OK;
}

const char *
cpk_media_leftover(cpk_media *m, size_t i, enum cpk_leftover *kind)
{
	if (i >= m->nleft)
		return NULL;
	*kind = m->left[i].kind;
	return m->left[i].path;
}

static cpk_err walk(cpk_media *, const char *, unsigned);

/* The entries of one directory worth a second look: subdirectories, files
 * named like registry files, and entries whose type d_type does not give. */
struct walk_list {
	char	**name;
	size_t	  n, cap;
};

static int
walk_list_add(struct walk_list *l, const char *name)
{
	char **v;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		if ((v = realloc(l->name, cap * sizeof(*v))) == NULL)
			return -1;
		l->name = v;
		l->cap = cap;
	}
	if ((l->name[l->n] = strdup(name)) == NULL)
		return -1;
	l->n++;
	return 0;
}

static void
walk_list_free(struct walk_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->name[i]);
	free(l->name);
}

/* A path of thousands of bytes, cut for a message to its start and its
 * end (which name the place), at UTF-8 character boundaries. */
static const char *
shortened(const char *p, char *buf, size_t keep)
{
	size_t len = strlen(p), head = keep / 3, tail = keep - head;

	if (len <= keep)
		return p;
	while (head > 0 && ((unsigned char)p[head] & 0xc0) == 0x80)
		head--;
	while (((unsigned char)p[len - tail] & 0xc0) == 0x80)
		tail--;
	snprintf(buf, keep + 8, "%.*s...%s", (int)head, p, p + len - tail);
	return buf;
}

/* One entry kept by walk(): a subdirectory is walked, a file sniffed for
 * .reg and hive content. Only these are stat()ed, for loop detection and
 * size; symbolic links and devices are skipped. */
static cpk_err
walk_entry(cpk_media *m, const char *dir, const char *name, unsigned depth)
{
	char path[PATH_MAX];
	struct stat st;

	if (m->cut_kinds & 1u << ML_DIRS)
		return CPK_OK;		/* the walk has stopped */
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path)) {
		/* the system cannot name it; said, not skipped in silence */
		cpk_media_cut(m, ML_PATH, _("%s: holds a path longer than %d "
		    "bytes, not searched"), shortened(dir, path, 320),
		    PATH_MAX - 1);
		return CPK_OK;
	}
	if (lstat(path, &st) != 0)
		return CPK_OK;
	if (S_ISREG(st.st_mode)) {
		/* a .reg header alone is 8 bytes, a hive 8 KiB: smaller
		 * files are not opened at all */
		return st.st_size >= 8 && may_be_registry(name) ?
		    add_file(m, path) : CPK_OK;
	}
	if (!S_ISDIR(st.st_mode))
		return CPK_OK;
	/* a walk that stops here has listed what readdir() happened to
	 * give first: the scan is reported incomplete, with the limit */
	if (m->nseen >= WALK_MAX_DIRS) {
		cpk_media_cut(m, ML_DIRS, _("%s: the search stopped after %d "
		    "folders, its limit; the folders beyond were not searched"),
		    m->root != NULL ? m->root : dir, WALK_MAX_DIRS);
		return CPK_OK;
	}
	if (seen_before(m, &st)) {
		cpk_media_warn(m, _("%s: directory loop or limit, skipped"),
		    path);
		return CPK_OK;
	}
	return walk(m, path, depth + 1);
}

/* One pass over a directory: if any of its entries is one of the six
 * files it is a container; otherwise the entries kept on the way are
 * visited after the directory is closed (so deep trees do not hold a
 * descriptor per level). Entry types come from d_type: ordinary files
 * with other names cost no system call. */
static cpk_err
walk(cpk_media *m, const char *dir, unsigned depth)
{
	struct walk_list keep = { NULL, 0, 0 };
	struct dirent *de;
	DIR *d;
	cpk_err r = CPK_OK;

	if (depth > WALK_MAX_DEPTH) {
		cpk_media_cut(m, ML_DEPTH, _("%s: too deep (over %d levels), "
		    "not searched further"), dir, WALK_MAX_DEPTH);
		return CPK_OK;
	}
	if ((d = opendir(dir)) == NULL) {
		cpk_media_warn(m, "%s: %s", dir, strerror(errno));
		return CPK_OK;
	}
	while ((de = readdir(d)) != NULL) {
		unsigned char type = de->d_type;
		int left;

		if (is_key_file(de->d_name)) {
			closedir(d);
			walk_list_free(&keep);
			return add_folder(m, dir);
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((left = leftover_kind(dir, de->d_name, type)) >= 0) {
			if ((r = leftover_add(m, dir, de->d_name,
			    (enum cpk_leftover)left)) != CPK_OK)
				break;
			continue;
		}
		if (type == DT_DIR || type == DT_UNKNOWN ||
		    (type == DT_REG && may_be_registry(de->d_name)))
			if (walk_list_add(&keep, de->d_name) != 0) {
				r = CPK_E_NOMEM;
				break;
			}
	}
	closedir(d);
	for (size_t i = 0; r == CPK_OK && i < keep.n; i++)
		r = walk_entry(m, dir, keep.name[i], depth);
	walk_list_free(&keep);
	return r;
}

cpk_err
cpk_media_dir_add(cpk_media *m, const char *uri)
{
	char dir[PATH_MAX];
	struct stat st;
	char *slash;

	if (snprintf(dir, sizeof(dir), "%s", uri) >= (int)sizeof(dir))
		return CPK_E_RANGE;
	if (stat(dir, &st) != 0)
		return CPK_E_NOT_FOUND;
	/* one of the six files given: its folder is the container */
	if (!S_ISDIR(st.st_mode)) {
		if ((slash = strrchr(dir, '/')) == NULL)
			snprintf(dir, sizeof(dir), ".");
		else
			*slash = '\0';
		if (!is_container_dir(dir))
			return CPK_E_NOT_CONTAINER;
	}
	while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = '\0';
	if (stat(dir, &st) == 0)
		seen_before(m, &st);
	free(m->root);
	free(m->root_real);
	m->root = strdup(dir);
	m->root_real = realpath(dir, NULL);
	return walk(m, dir, 0);
}
