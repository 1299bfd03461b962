/* Writing a repaired container: into a new folder, or over the original
 * after a verified backup, with the two folders swapped in one rename so a
 * crash leaves the old or the new container, never a mix (ARCHITECTURE.md
 * safety rules 1 and 2). Everything is built inside a hidden staging
 * folder (staging.c); the backup is one zip archive beside the container,
 * which CSP never takes for a container and which stays on the medium. */
#define _GNU_SOURCE		/* renameat2, RENAME_EXCHANGE */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static cpk_err
split(const char *dir, char *parent, size_t pcap, const char **base)
{
	const char *slash = strrchr(dir, '/');

	*base = slash != NULL ? slash + 1 : dir;
	if (**base == '\0' || strcmp(*base, ".") == 0 ||
	    strcmp(*base, "..") == 0)
		return CPK_E_ARG;
	if (slash == NULL)
		return snprintf(parent, pcap, ".") < (int)pcap ? CPK_OK :
		    CPK_E_RANGE;
	if (slash == dir)
		return snprintf(parent, pcap, "/") < (int)pcap ? CPK_OK :
		    CPK_E_RANGE;
	return snprintf(parent, pcap, "%.*s", (int)(slash - dir), dir) <
	    (int)pcap ? CPK_OK : CPK_E_RANGE;
}

int
cpk_path_link(const char *path, char *link, size_t cap)
{
	char buf[PATH_MAX], *slash;
	struct stat st;
	size_t len;
	int found = 0;

	if ((len = strlen(path)) >= sizeof(buf))
		return 0;
	memcpy(buf, path, len + 1);
	/* the whole path, then every prefix ending before a separator
	 * (strrchr: '\\' too on Windows); the shortest link is named */
	for (;;) {
		if (buf[0] != '\0' && lstat(buf, &st) == 0 &&
		    S_ISLNK(st.st_mode)) {
			snprintf(link, cap, "%s", buf);
			found = 1;
		}
		if ((slash = strrchr(buf, '/')) == NULL || slash == buf)
			break;
		*slash = '\0';
	}
	return found;
}

/* The new folder in staging: the repaired key files, and the other
 * regular files of the original carried over. */
static cpk_err
stage_new(const char *path, const cpk_files *f, const struct snap *s)
{
	char fpath[PATH_MAX];
	cpk_err r;

	if (mkdir(path, 0700) != 0)
		return cpk_err_from_errno(errno);	/* ENOSPC: no space */
	if ((r = cpk_files_write_dir(f, path)) != CPK_OK)
		return r;
	for (size_t i = 0; s != NULL && i < s->n; i++) {
		if (s->v[i].key || s->v[i].data == NULL)
			continue;
		if (snprintf(fpath, sizeof(fpath), "%s/%s", path,
		    s->v[i].name) >= (int)sizeof(fpath))
			return CPK_E_RANGE;
		if ((r = cpk_file_write_atomic(fpath, s->v[i].data, 0600)) !=
		    CPK_OK)
			return r;
	}
	return cpk_dir_sync(path);
}

/* Empties the folder a staged container was written to, and removes it. */
static void
remove_staged(const char *path, const struct snap *s)
{
	char fpath[PATH_MAX];

	for (int i = 0; i < CPK_F_COUNT; i++)
		if (snprintf(fpath, sizeof(fpath), "%s/%s", path,
		    cpk_file_name((enum cpk_file_id)i)) < (int)sizeof(fpath))
			unlink(fpath);
	for (size_t i = 0; s != NULL && i < s->n; i++)
		if (s->v[i].data != NULL && snprintf(fpath, sizeof(fpath),
		    "%s/%s", path, s->v[i].name) < (int)sizeof(fpath))
			unlink(fpath);
	rmdir(path);
}

cpk_err
cpk_dir_write_new(const char *dir, const cpk_files *f)
{
	char tmp[PATH_MAX], parent[PATH_MAX];
	const char *base;
	cpk_stage st;
	struct stat sb;
	cpk_err r;

	if (lstat(dir, &sb) == 0)
		return CPK_E_EXISTS;
	if ((r = split(dir, parent, sizeof(parent), &base)) != CPK_OK ||
	    (r = cpk_stage_open(parent, &st)) != CPK_OK)
		return r == CPK_E_MISSING ? CPK_E_NO_FOLDER : r;
	if (snprintf(tmp, sizeof(tmp), "%s/%s", st.path, base) >=
	    (int)sizeof(tmp)) {
		r = CPK_E_RANGE;
		goto out;
	}
	if ((r = stage_new(tmp, f, NULL)) != CPK_OK) {
		remove_staged(tmp, NULL);
		goto out;
	}
	/* rename() would replace an empty folder made meanwhile: refuse */
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_NOREPLACE) != 0 &&
	    (errno != EINVAL || lstat(dir, &sb) == 0 || rename(tmp, dir) != 0)) {
		r = cpk_err_from_errno(errno);	/* EEXIST: CPK_E_EXISTS */
		remove_staged(tmp, NULL);
		goto out;
	}
	r = cpk_dir_sync(parent);
out:
	(void)cpk_stage_close(&st);
	return r;
}

/* Two folders trade places; FAT and other file systems cannot exchange:
 * the original moves aside into staging, complete, before the new one
 * takes its name. *old gets where the original is now. */
static cpk_err
swap(const char *staged, const char *dir, const cpk_stage *st,
    const char *base, char *old, size_t cap)
{
	if (renameat2(AT_FDCWD, staged, AT_FDCWD, dir, RENAME_EXCHANGE) == 0)
		return snprintf(old, cap, "%s", staged) < (int)cap ? CPK_OK :
		    CPK_E_RANGE;
	if (errno != EINVAL && errno != ENOSYS)
		return cpk_err_from_errno(errno);
	if (snprintf(old, cap, "%s/%s%s", st->path, CPK_STAGING_ORIG, base) >=
	    (int)cap)
		return CPK_E_RANGE;
	if (rename(dir, old) != 0)
		return cpk_err_from_errno(errno);
	if (rename(staged, dir) != 0) {
		int e = errno;

		rename(old, dir);
		return cpk_err_from_errno(e);
	}
	return CPK_OK;
}

/* The old folder, swapped out: what the backup holds is removed, what it
 * could not hold moves into the new folder (except damaged key files,
 * which the repair replaced). */
static void
retire_old(const char *old, const char *dir, const struct snap *s)
{
	int ofd, nfd;

	if ((ofd = open(old, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return;
	if ((nfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0) {
		close(ofd);
		return;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct snap_entry *e = &s->v[i];

		if (e->data != NULL || e->key) {
			if (unlinkat(ofd, e->name, 0) != 0 && errno == EISDIR)
				unlinkat(ofd, e->name, AT_REMOVEDIR);
		} else {
			(void)renameat2(ofd, e->name, nfd, e->name,
			    RENAME_NOREPLACE);
		}
	}
	(void)cpk_dir_sync(dir);
	close(nfd);
	close(ofd);
	rmdir(old);
}

static void
note_left_out(const struct snap *s, cpk_replace_report *rep)
{
	for (size_t i = 0; i < s->n &&
	    rep->nleft_out < CPK_REPLACE_MAX_LEFT; i++) {
		if (s->v[i].data != NULL)
			continue;
		snprintf(rep->left_out[rep->nleft_out].name,
		    sizeof(rep->left_out[0].name), "%s", s->v[i].name);
		rep->left_out[rep->nleft_out++].err = s->v[i].err;
	}
}

cpk_err
cpk_dir_replace(const char *dir, const cpk_files *f, cpk_step_fn step,
    cpk_replace_report *rep)
{
	char staged[PATH_MAX], old[PATH_MAX], parent[PATH_MAX], lnk[PATH_MAX];
	const char *base;
	struct snap s = { NULL, 0 };
	cpk_stage st;
	cpk_err r;

	memset(rep, 0, sizeof(*rep));
	st.path[0] = '\0';
	/* through a link, the swap would move the link and the cleanup
	 * empty the real folder */
	if (cpk_path_link(dir, lnk, sizeof(lnk)))
		return CPK_E_ARG;
	if ((r = split(dir, parent, sizeof(parent), &base)) != CPK_OK ||
	    (r = cpk_snap_read(dir, &s)) != CPK_OK)
		goto out;
	note_left_out(&s, rep);
	if ((r = cpk_stage_open(parent, &st)) != CPK_OK ||
	    (r = cpk_backup_write(dir, &st, &s, rep->backup, sizeof(rep->backup))) !=
	    CPK_OK)
		goto out;
	if (step != NULL)
		step("backup");
	if (snprintf(staged, sizeof(staged), "%s/%s", st.path, base) >=
	    (int)sizeof(staged)) {
		r = CPK_E_RANGE;
		goto out;
	}
	if ((r = stage_new(staged, f, &s)) != CPK_OK) {
		remove_staged(staged, &s);
		goto unchanged;
	}
	if (step != NULL)
		step("staged");
	if ((r = swap(staged, dir, &st, base, old, sizeof(old))) != CPK_OK) {
		remove_staged(staged, &s);
		goto unchanged;
	}
	if (step != NULL)
		step("swapped");
	retire_old(old, dir, &s);
	r = cpk_dir_sync(parent);
	goto out;
unchanged:
	/* the original stays as it was: no reason to keep a copy of its key */
	unlink(rep->backup);
	rep->backup[0] = '\0';
out:
	if (cpk_stage_close(&st) == CPK_E_EXISTS)
		snprintf(rep->kept, sizeof(rep->kept), "%s", st.path);
	cpk_snap_clear(&s);
	return r;
}
