/* Hidden staging folders: PARENT/.cpkit-staging-XXXXXX, one level below
 * the container's parent and so on the same file system, holding a marker
 * file (CPK_STAGING_MARKER) and whatever a write or an in-place repair is
 * building. CSP looks for container folders at the top of a medium and
 * cpkit's walk skips these, so a killed run leaves nothing that looks like
 * a container; the next run reports and removes it. The marker is locked
 * (flock) while its run lives, so a second run never takes a live
 * staging folder for a leftover. */
#define _GNU_SOURCE		/* renameat2, RENAME_NOREPLACE */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static const char marker_text[] = "cpkit staging folder: a repair or a "
    "write in progress; if no cpkit runs, delete it\n";

cpk_err
cpk_stage_open(const char *parent, cpk_stage *st)
{
	int n;

	memset(st, 0, sizeof(*st));
	st->lock = -1;
	if (snprintf(st->path, sizeof(st->path), "%s/%sXXXXXX", parent,
	    CPK_STAGING_PREFIX) >= (int)sizeof(st->path))
		return CPK_E_RANGE;
	if (mkdtemp(st->path) == NULL) {
		st->path[0] = '\0';
		return cpk_err_from_errno(errno);	/* ENOSPC: no space */
	}
	if (snprintf(st->marker, sizeof(st->marker), "%s/%s", st->path,
	    CPK_STAGING_MARKER) >= (int)sizeof(st->marker) ||
	    (st->lock = open(st->marker, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0600)) < 0 ||
	    flock(st->lock, LOCK_EX | LOCK_NB) != 0 ||
	    (n = (int)write(st->lock, marker_text, sizeof(marker_text) - 1)) !=
	    (int)sizeof(marker_text) - 1 || fsync(st->lock) != 0 ||
	    cpk_dir_sync(st->path) != CPK_OK) {
		cpk_err r = cpk_err_from_errno(errno);

		cpk_stage_close(st);
		return r;
	}
	return CPK_OK;
}

/* Removes the marker and the (by now empty) folder; what cannot be
 * removed stays, and st->path says where. */
cpk_err
cpk_stage_close(cpk_stage *st)
{
	char parent[PATH_MAX], *slash;
	cpk_err r = CPK_OK;

	if (st->path[0] == '\0')
		return CPK_OK;
	if (st->marker[0] != '\0')
		unlink(st->marker);
	if (st->lock >= 0)
		close(st->lock);
	st->lock = -1;
	if (rmdir(st->path) != 0)
		return CPK_E_EXISTS;		/* kept: the caller names it */
	snprintf(parent, sizeof(parent), "%s", st->path);
	if ((slash = strrchr(parent, '/')) != NULL) {
		*slash = '\0';
		r = cpk_dir_sync(parent[0] != '\0' ? parent : "/");
	}
	st->path[0] = '\0';
	return r;
}

/* Is this folder (under a staging name) ours: holds our marker? */
static int
is_ours(int pfd, const char *name, int *lock)
{
	char buf[sizeof(marker_text)];
	struct stat st;
	int dfd = -1, fd = -1, ok = 0;
	ssize_t n;

	*lock = -1;
	if (fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISDIR(st.st_mode) ||
	    (dfd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		goto out;
	if ((fd = openat(dfd, CPK_STAGING_MARKER, O_RDONLY | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC)) < 0 || fstat(fd, &st) != 0 ||
	    !S_ISREG(st.st_mode))
		goto out;
	n = read(fd, buf, sizeof(buf) - 1);
	ok = n == (ssize_t)sizeof(marker_text) - 1 &&
	    memcmp(buf, marker_text, (size_t)n) == 0;
	if (ok && flock(fd, LOCK_EX | LOCK_NB) != 0)
		ok = -1;			/* a live run holds it */
	if (ok == 1) {
		*lock = fd;
		fd = -1;
	}
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	return ok;
}

/* Inside a container folder left in staging: regular files only (copies,
 * or an original already in its verified backup); anything else stays. */
static void
clear_files(int dfd)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd;

	if ((fd = dup(dfd)) < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode))
			unlinkat(dfd, de->d_name, 0);
	closedir(d);
}

/* One leftover: an original moved aside (CPK_STAGING_ORIG + its name)
 * whose name is free at the parent comes back (a run killed between the
 * two renames of a file system without RENAME_EXCHANGE); everything else
 * is removed. */
static int
clean_one(int pfd, const char *name)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int sfd, fd, restored = 0;

	if ((sfd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return 0;
	if ((fd = dup(sfd)) < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		close(sfd);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || fstatat(sfd, de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			const char *orig = de->d_name + strlen(CPK_STAGING_ORIG);

			if (strncmp(de->d_name, CPK_STAGING_ORIG,
			    strlen(CPK_STAGING_ORIG)) == 0 && orig[0] != '\0' &&
			    fstatat(pfd, orig, &st, AT_SYMLINK_NOFOLLOW) != 0 &&
			    errno == ENOENT && renameat2(sfd, de->d_name, pfd,
			    orig, RENAME_NOREPLACE) == 0) {
				restored = 1;
				continue;
			}
			if ((fd = openat(sfd, de->d_name, O_RDONLY |
			    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
				clear_files(fd);
				close(fd);
			}
			unlinkat(sfd, de->d_name, AT_REMOVEDIR);
		} else if (S_ISREG(st.st_mode)) {
			unlinkat(sfd, de->d_name, 0);	/* a partial backup */
		}
	}
	closedir(d);
	unlinkat(sfd, CPK_STAGING_MARKER, 0);
	close(sfd);
	return restored;
}

cpk_err
cpk_staging_cleanup(const char *parent, cpk_staging_fn fn, void *arg)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int pfd, lock, ours, restored;

	/* the parent of the container the user named (in-place work on a
	 * path through a link was refused before): followed as typed */
	if ((pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return CPK_OK;			/* nothing to look at */
	if ((d = fdopendir(pfd)) == NULL) {
		close(pfd);
		return CPK_OK;
	}
	while ((de = readdir(d)) != NULL) {
		char path[PATH_MAX];

		if (strncmp(de->d_name, CPK_STAGING_PREFIX,
		    strlen(CPK_STAGING_PREFIX)) != 0 ||
		    (ours = is_ours(pfd, de->d_name, &lock)) == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", parent, de->d_name);
		if (ours < 0) {
			if (fn != NULL)
				fn(path, CPK_STAGING_BUSY, arg);
			continue;
		}
		restored = clean_one(pfd, de->d_name);
		close(lock);
		if (unlinkat(pfd, de->d_name, AT_REMOVEDIR) == 0 ||
		    fstatat(pfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			if (fn != NULL)
				fn(path, restored ? CPK_STAGING_RESTORED :
				    CPK_STAGING_REMOVED, arg);
		} else if (fn != NULL) {
			fn(path, CPK_STAGING_KEPT, arg);
		}
	}
	closedir(d);
	(void)cpk_dir_sync(parent);
	return CPK_OK;
}
