/* Offline hive media through libhivex (REGISTRY.md §5): a SOFTWARE hive
 * from an old Windows disk holds every user's registry containers under
 * [WOW6432Node\]Crypto Pro\Settings\Users\<SID>\Keys and the machine's
 * under Settings\Keys; an NTUSER.DAT is searched under Software too. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hivex.h>

#include "media_int.h"

#define REG_BINARY	3

struct hwalk {
	cpk_media	*m;
	hive_h		*h;
	const char	*file;
	int		 hkcu;	/* under Software: an NTUSER.DAT's own keys */
	/* ProfileList's keys by SID, found once: hivex_node_get_child()
	 * reads every child's name, and once per user that was quadratic */
	cpk_strmap	 profiles;
	hive_node_h	*pnodes;	/* ProfileList's children */
	char		**pnames;	/* their names, the map's keys */
	size_t		 np;
};

static void
load_value(struct hwalk *w, hive_value_h v, cpk_files *f, const char *key)
{
	hive_type type;
	size_t len;
	char *name, *data;
	int slot = -1;

	if ((name = hivex_value_key(w->h, v)) == NULL)
		return;
	for (int i = 0; i < CPK_F_COUNT; i++)
		if (strcasecmp(name, cpk_file_name((enum cpk_file_id)i)) == 0)
			slot = i;
	if (slot < 0 || hivex_value_type(w->h, v, &type, &len) != 0) {
		free(name);
		return;
	}
	if (type != REG_BINARY)
		cpk_media_warn(w->m, _("%s: %s: value \"%s\" is not "
		    "REG_BINARY"),
		    w->file, key, name);
	else if (len > CPK_FILE_MAX) {
		cpk_media_warn(w->m, _("%s: %s: value \"%s\" is larger than "
		    "64 KiB"), w->file, key, name);
		f->err[slot] = CPK_E_TOO_BIG;
	} else if ((data = hivex_value_value(w->h, v, &type, &len)) == NULL)
		cpk_media_warn(w->m, _("%s: %s: value \"%s\" cannot be read: "
		    "%s"),
		    w->file, key, name, strerror(errno));
	else {
		cpk_blob_free(&f->f[slot]);
		if (len > 0 && cpk_blob_new(data, len, &f->f[slot]) == CPK_OK)
			f->err[slot] = CPK_OK;
		else
			f->err[slot] = len == 0 ? CPK_E_EMPTY : CPK_E_NOMEM;
		f->size[slot] = len;
		free(data);
	}
	if (type != REG_BINARY)
		f->err[slot] = CPK_E_FORMAT;
	free(name);
}

static cpk_err
add_container(struct hwalk *w, hive_node_h node, const char *keys_path,
    const char *sid, const char *user)
{
	char *kname = hivex_node_name(w->h, node), *nk = NULL;
	char path[1200], fqcn[600];
	hive_value_h *vals;
	cpk_files *f = NULL;
	const char *enc, *name;
	cpk_err r;

	if (kname == NULL)
		return CPK_OK;
	snprintf(path, sizeof(path), "%s:%s\\%s", w->file, keys_path, kname);
	if ((r = cpk_files_new(&f)) != CPK_OK) {
		free(kname);
		return r;
	}
	if ((vals = hivex_node_values(w->h, node)) == NULL)
		cpk_media_warn(w->m, _("%s: cannot read values: %s"), path,
		    strerror(errno));
	for (size_t i = 0; vals != NULL && vals[i] != 0; i++)
		load_value(w, vals[i], f, path);
	free(vals);
	name = kname;
	if (f->f[CPK_F_NAME] != NULL && cpk_name_decode(f->f[CPK_F_NAME]->ptr,
	    f->f[CPK_F_NAME]->len, &nk, &enc) == CPK_OK)
		name = nk;
	snprintf(fqcn, sizeof(fqcn), "\\\\.\\REGISTRY\\%s", name);
	r = cpk_media_add(w->m, fqcn, path, name, "REGISTRY", sid, user, f);
	/* Users\<SID>\Keys, or the machine's Keys of a SOFTWARE hive; the
	 * Keys of an NTUSER.DAT (§5) belong to no known user or machine */
	if (r == CPK_OK)
		w->m->items[w->m->n - 1].ref.scope = sid != NULL ?
		    CPK_SCOPE_USER : w->hkcu ? CPK_SCOPE_NONE :
		    CPK_SCOPE_MACHINE;
	free(nk);
	free(kname);
	return r;
}

static cpk_err
add_keys(struct hwalk *w, hive_node_h keys, const char *keys_path,
    const char *sid, const char *user)
{
	hive_node_h *kids;
	cpk_err r = CPK_OK;

	if ((kids = hivex_node_children(w->h, keys)) == NULL) {
		cpk_media_warn(w->m, _("%s:%s: cannot list: %s"), w->file,
		    keys_path, strerror(errno));
		return CPK_OK;
	}
	for (size_t i = 0; kids[i] != 0 && r == CPK_OK; i++)
		r = add_container(w, kids[i], keys_path, sid, user);
	free(kids);
	return r;
}

static hive_node_h
child(struct hwalk *w, hive_node_h n, const char *name)
{
	return n != 0 ? hivex_node_get_child(w->h, n, name) : 0;
}

/* Indexes Microsoft\Windows NT\CurrentVersion\ProfileList\<SID>; a
 * key named twice is found by its first name, as hivex finds it. */
static void
index_profiles(struct hwalk *w)
{
	hive_node_h n = hivex_root(w->h);
	size_t i, have;
	uint64_t hash;
	char *name;

	n = child(w, child(w, child(w, child(w, n, "Microsoft"),
	    "Windows NT"), "CurrentVersion"), "ProfileList");
	if (n == 0 || cpk_strmap_init(&w->profiles) != CPK_OK ||
	    (w->pnodes = hivex_node_children(w->h, n)) == NULL)
		return;
	while (w->pnodes[w->np] != 0)
		w->np++;
	if ((w->pnames = calloc(w->np + 1, sizeof(*w->pnames))) == NULL) {
		w->np = 0;
		return;
	}
	for (i = 0; i < w->np; i++) {
		if ((name = hivex_node_name(w->h, w->pnodes[i])) == NULL)
			continue;
		hash = cpk_strmap_hash(&w->profiles, name);
		if (cpk_strmap_get(&w->profiles, name, hash, &have) ||
		    cpk_strmap_put(&w->profiles, name, hash, i) != CPK_OK) {
			free(name);
			continue;
		}
		w->pnames[i] = name;
	}
}

static void
free_profiles(struct hwalk *w)
{
	cpk_strmap_clear(&w->profiles);
	for (size_t i = 0; i < w->np; i++)
		free(w->pnames[i]);
	free(w->pnames);
	free(w->pnodes);
}

/* The user a SID belongs to, from the last component of its profile
 * folder in Microsoft\Windows NT\CurrentVersion\ProfileList (REGISTRY.md
 * §4): "C:\Users\ivanov" is ivanov. NULL when this hive does not say. */
static char *
profile_user(struct hwalk *w, const char *sid)
{
	hive_node_h n;
	hive_value_h v;
	char *path, *base, *user = NULL;
	size_t i;

	if (!cpk_strmap_get(&w->profiles, sid, cpk_strmap_hash(&w->profiles,
	    sid), &i))
		return NULL;
	n = w->pnodes[i];
	if (n == 0 || (v = hivex_node_get_value(w->h, n,
	    "ProfileImagePath")) == 0 ||
	    (path = hivex_value_string(w->h, v)) == NULL)
		return NULL;
	base = strrchr(path, '\\');
	base = base != NULL ? base + 1 : path;
	if (*base != '\0')
		user = strdup(base);
	free(path);
	return user;
}

/* <base>\Crypto Pro\Settings\{Keys, Users\*\Keys} */
static cpk_err
walk_base(struct hwalk *w, const char *base)
{
	hive_node_h settings, n, *users;
	char path[600];
	char *sid;
	cpk_err r = CPK_OK;

	n = base[0] ? child(w, hivex_root(w->h), base) : hivex_root(w->h);
	settings = child(w, child(w, n, "Crypto Pro"), "Settings");
	if (settings == 0)
		return CPK_OK;
	snprintf(path, sizeof(path), "%s%sCrypto Pro\\Settings\\Keys", base,
	    base[0] ? "\\" : "");
	if ((n = child(w, settings, "Keys")) != 0 &&
	    (r = add_keys(w, n, path, NULL, NULL)) != CPK_OK)
		return r;
	if ((n = child(w, settings, "Users")) == 0 ||
	    (users = hivex_node_children(w->h, n)) == NULL)
		return CPK_OK;
	for (size_t i = 0; users[i] != 0 && r == CPK_OK; i++) {
		if ((sid = hivex_node_name(w->h, users[i])) == NULL)
			continue;
		snprintf(path, sizeof(path), "%s%sCrypto Pro\\Settings\\Users\\"
		    "%s\\Keys", base, base[0] ? "\\" : "", sid);
		if ((n = child(w, users[i], "Keys")) != 0) {
			char *user = profile_user(w, sid);
			r = add_keys(w, n, path, sid, user);
			free(user);
		}
		free(sid);
	}
	free(users);
	return r;
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* Windows writes a hive through its transaction logs (HIVE.LOG1/.LOG2, or
 * .LOG before Vista) and libhivex does not replay them (REGISTRY.md §5):
 * a hive whose two header sequence numbers differ was not flushed, and
 * logs newer than the hive hold writes it lacks. Either way containers
 * written last may be missing or incomplete here: said once per hive. */
#define LOG_SLACK	2	/* s: a hive and its logs copied one after another */

static void
warn_if_dirty(cpk_media *m, const char *path, int fd)
{
	static const char *const logs[] = { ".LOG1", ".LOG2", ".LOG",
	    ".log1", ".log2", ".log" };
	unsigned char hdr[12];
	char log[4096];
	struct stat hs, ls;
	int dirty = 0;

	if (pread(fd, hdr, sizeof(hdr), 0) == (ssize_t)sizeof(hdr) &&
	    le32(hdr + 4) != le32(hdr + 8))
		dirty = 1;
	if (fstat(fd, &hs) != 0)
		return;
	if (dirty)
		cpk_media_warn(m, _("%s: the hive was not cleanly saved "
		    "(header sequence numbers %u and %u differ); its latest "
		    "changes are in its .LOG1/.LOG2 files, which are not read: "
		    "recently written containers may be missing or "
		    "incomplete"), path, le32(hdr + 4), le32(hdr + 8));
	for (size_t i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
		if (snprintf(log, sizeof(log), "%s%s", path, logs[i]) >=
		    (int)sizeof(log) || lstat(log, &ls) != 0 ||
		    !S_ISREG(ls.st_mode) || ls.st_size == 0 ||
		    ls.st_mtime <= hs.st_mtime + LOG_SLACK)
			continue;
		cpk_media_warn(m, _("%s: %s is newer than the hive and holds "
		    "changes that are not read: recently written containers "
		    "may be missing or incomplete"), path, log);
		break;
	}
}

cpk_err
cpk_media_hive_add(cpk_media *m, const char *path)
{
	static const char *const bases[] = { "WOW6432Node", "", "Software" };
	struct hwalk w;
	char fdpath[32];
	struct stat st;
	int fd;
	cpk_err r = CPK_OK;

	memset(&w, 0, sizeof(w));
	w.m = m;
	w.file = path;
	/* libhivex opens its file name as it is, following a link: the
	 * hive is opened here without following one (and without blocking
	 * on a FIFO), and libhivex is handed this very file through
	 * /proc/self/fd, so no link can be swapped in between */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW |
	    O_CLOEXEC)) < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		cpk_media_warn(m, _("%s: not a readable registry hive: %s"),
		    path, fd < 0 && errno == ELOOP ? cpk_err_text(CPK_E_LINK) :
		    fd < 0 ? strerror(errno) : cpk_err_text(CPK_E_NOT_REGULAR));
		if (fd >= 0)
			close(fd);
		return CPK_OK;		/* a warning; other media still list */
	}
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	if ((w.h = hivex_open(fdpath, 0)) == NULL && errno == ENOENT)
		w.h = hivex_open(path, 0);	/* no /proc: checked above */
	if (w.h == NULL) {
		cpk_media_warn(m, _("%s: not a readable registry hive: %s"),
		    path, strerror(errno));
		close(fd);
		return CPK_OK;
	}
	warn_if_dirty(m, path, fd);
	close(fd);
	index_profiles(&w);
	for (size_t i = 0; i < 3 && r == CPK_OK; i++) {
		w.hkcu = strcmp(bases[i], "Software") == 0;
		r = walk_base(&w, bases[i]);
	}
	free_profiles(&w);
	hivex_close(w.h);
	return r;
}
