/* Reading capped regular files and writing atomically (STYLE.md §12):
 * temp name in the target directory, write, fsync, rename, fsync the
 * directory; a crash leaves the old file or the new one, never half. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "media_int.h"

cpk_err
cpk_err_from_errno(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		return CPK_E_MISSING;
	case ENOMEM:
		return CPK_E_NOMEM;
	case ELOOP:
		return CPK_E_LOOP;
	case EEXIST:
		return CPK_E_EXISTS;
	case ENOSPC:
	case EDQUOT:		/* a full quota is a full disk to the user */
		return CPK_E_NO_SPACE;
	default:
		return CPK_E_IO;
	}
}

/* A medium may hold a link named masks.key that points at a file of the
 * engineer's (~/.ssh/id_rsa): O_NOFOLLOW refuses it at the open itself,
 * so no check-then-open race. It guards the last component only; the
 * folders above it were entered by a walk that follows no link, or typed
 * by the user. */
static cpk_err
file_read(const char *path, size_t cap, int follow, cpk_blob **out)
{
	struct stat st;
	cpk_blob *b = NULL;
	size_t room, want;
	ssize_t n;
	int fd;
	cpk_err r = CPK_OK;

	*out = NULL;
	/* O_NONBLOCK: a FIFO named header.key must not hang us */
	fd = open(path, (follow ? 0 : O_NOFOLLOW) | O_RDONLY | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd < 0) {
		r = cpk_err_from_errno(errno);
		/* a path the user typed that is not there: the command
		 * line's mistake, not a container's missing file */
		if (follow && (errno == ENOENT || errno == ENOTDIR))
			r = CPK_E_NO_PATH;
		/* ELOOP from O_NOFOLLOW: the name itself is a link */
		if (!follow && errno == ELOOP && lstat(path, &st) == 0 &&
		    S_ISLNK(st.st_mode))
			r = CPK_E_LINK;
		return r;
	}
	if (fstat(fd, &st) != 0) {
		r = cpk_err_from_errno(errno);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = CPK_E_NOT_REGULAR;
		goto out;
	}
	if ((uint64_t)st.st_size > cap) {
		r = CPK_E_TOO_BIG;
		goto out;
	}
	/* straight into the blob (no stack copy of key material to wipe),
	 * sized by fstat plus one byte, so a file that did not change is
	 * read by one short read */
	want = (size_t)st.st_size + 1;
	if ((r = cpk_blob_new(NULL, 0, &b)) != CPK_OK ||
	    (r = cpk_blob_append(b, NULL, want)) != CPK_OK)
		goto out;
	b->len = 0;
	for (;;) {
		if ((room = b->cap - b->len) == 0) {
			if ((r = cpk_blob_append(b, NULL, 4096)) != CPK_OK)
				goto out;
			b->len -= 4096;
			room = b->cap - b->len;
		}
		if ((n = read(fd, b->ptr + b->len, room)) < 0) {
			if (errno == EINTR)
				continue;
			r = cpk_err_from_errno(errno);
			goto out;
		}
		b->len += (size_t)n;
		if (b->len > cap) {	/* grew while we read */
			r = CPK_E_TOO_BIG;
			goto out;
		}
		if (n == 0 || ((size_t)n < room && b->len ==
		    (size_t)st.st_size))
			break;
	}
	*out = b;
	b = NULL;
out:
	close(fd);
	cpk_blob_free(&b);
	return r;
}

cpk_err
cpk_file_read(const char *path, size_t cap, cpk_blob **out)
{
	return file_read(path, cap, 0, out);
}

cpk_err
cpk_file_read_given(const char *path, size_t cap, cpk_blob **out)
{
	return file_read(path, cap, 1, out);
}

/* A rename or a new entry is durable only once its directory is synced.
 * EINVAL: the file system cannot sync a directory, nothing more to do. */
cpk_err
cpk_dir_sync(const char *dir)
{
	int fd, e;

	/* an output's own folder, which cpkit made or was told to write
	 * into: nothing is read from it (no O_NOFOLLOW needed) */
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return cpk_err_from_errno(errno);
	if (fsync(fd) != 0 && errno != EINVAL) {
		e = errno;
		close(fd);
		return cpk_err_from_errno(e);
	}
	close(fd);
	return CPK_OK;
}

/* The directory holding path. */
static cpk_err
fsync_dir(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return CPK_E_RANGE;
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return cpk_dir_sync(dir);
}

static int
write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

cpk_err
cpk_file_write_atomic(const char *path, const cpk_blob *b, int mode)
{
	char tmp[PATH_MAX];
	int fd = -1;
	cpk_err r = CPK_E_IO;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return CPK_E_RANGE;
	if ((fd = mkstemp(tmp)) < 0) {	/* O_EXCL, 0600 */
		tmp[0] = '\0';
		/* the file is being made: ENOENT can only be its folder */
		r = errno == ENOENT || errno == ENOTDIR ? CPK_E_NO_FOLDER :
		    cpk_err_from_errno(errno);
		goto out;
	}
	/* errno says why: ENOSPC is "no space left", not an I/O error */
	if (fchmod(fd, (mode_t)mode) != 0 ||
	    write_all(fd, b->ptr, b->len) != 0 || fsync(fd) != 0) {
		r = cpk_err_from_errno(errno);
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		r = cpk_err_from_errno(errno);
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		r = cpk_err_from_errno(errno);
		goto out;
	}
	tmp[0] = '\0';			/* renamed: nothing to unlink */
	r = fsync_dir(path);
out:
	if (fd >= 0)
		close(fd);
	if (tmp[0] != '\0')
		unlink(tmp);
	return r;
}

/* Where a link points, for the finding: its own text (readlink, never
 * resolved), cut at LINK_SHOWN bytes. NULL: out of memory. */
#define LINK_SHOWN	200
static char *
link_target(const char *path)
{
	char buf[LINK_SHOWN + 4];
	ssize_t n;

	if ((n = readlink(path, buf, LINK_SHOWN + 1)) < 0)
		n = 0;
	if (n > LINK_SHOWN)
		strcpy(buf + LINK_SHOWN, "...");
	else
		buf[n] = '\0';
	return strdup(buf);
}

cpk_err
cpk_files_read_dir(const char *dir, cpk_files **out)
{
	char path[PATH_MAX];
	cpk_files *f = NULL;
	struct stat st;
	cpk_err r;

	*out = NULL;
	if ((r = cpk_files_new(&f)) != CPK_OK)
		return r;
	for (int i = 0; i < CPK_F_COUNT; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir,
		    cpk_file_name((enum cpk_file_id)i)) >= (int)sizeof(path)) {
			f->err[i] = CPK_E_RANGE;
			continue;
		}
		f->err[i] = cpk_file_read(path, CPK_FILE_MAX, &f->f[i]);
		/* the size on the medium, also of files too big to read */
		if (f->err[i] == CPK_OK)
			f->size[i] = f->f[i]->len;
		else if (f->err[i] != CPK_E_MISSING && lstat(path, &st) == 0)
			f->size[i] = (uint64_t)st.st_size;
		if (f->err[i] == CPK_E_LINK &&
		    (f->link[i] = link_target(path)) == NULL)
			f->err[i] = CPK_E_NOMEM;
		if (f->err[i] == CPK_OK && f->f[i]->len == 0) {
			cpk_blob_free(&f->f[i]);
			f->err[i] = CPK_E_EMPTY;
		}
		if (f->err[i] == CPK_E_NOMEM) {
			cpk_files_free(&f);
			return CPK_E_NOMEM;
		}
	}
	*out = f;
	return CPK_OK;
}

cpk_err
cpk_files_write_dir(const cpk_files *f, const char *dir)
{
	char path[PATH_MAX];
	cpk_err r;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return errno == ENOENT || errno == ENOTDIR ? CPK_E_NO_FOLDER :
		    cpk_err_from_errno(errno);
	for (int i = 0; i < CPK_F_COUNT; i++) {
		if (f->f[i] == NULL)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir,
		    cpk_file_name((enum cpk_file_id)i)) >= (int)sizeof(path))
			return CPK_E_RANGE;
		if ((r = cpk_file_write_atomic(path, f->f[i], 0600)) != CPK_OK)
			return r;
	}
	return CPK_OK;
}

int
cpk_path_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
