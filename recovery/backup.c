/* The backup of cpkit-fix --in-place (ARCHITECTURE.md safety rule 1): one
 * zip archive beside the container, DIR.cpkit-backup-TIME[-N].zip, holding
 * every regular file of the folder, built inside the staging folder (a
 * killed run leaves no partial backup in sight), renamed without replacing
 * anything, 0600, synced, then reopened and checked member by member
 * against the files on disk. */
#define _GNU_SOURCE		/* renameat2, RENAME_NOREPLACE */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include <openssl/crypto.h>

#include "internal.h"

#define SNAP_MAX_ENTRIES	4096
#define SNAP_FILE_MAX		(16u << 20)	/* one file in the backup */
#define SNAP_TOTAL_MAX		(64u << 20)	/* the whole backup */

static int
is_key_name(const char *name)
{
	for (int i = 0; i < CPK_F_COUNT; i++)
		if (strcmp(name, cpk_file_name((enum cpk_file_id)i)) == 0)
			return 1;
	return 0;
}

/* Reads one regular file by its descriptor, capped. */
static cpk_err
read_entry(int dfd, const char *name, size_t *total, cpk_blob **out)
{
	unsigned char buf[8192];
	struct stat st;
	ssize_t n;
	int fd;
	cpk_err r = CPK_OK;

	*out = NULL;
	/* only regular files are opened: opening a device may act on it */
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return CPK_E_IO;
	if (!S_ISREG(st.st_mode))
		return CPK_E_FORMAT;
	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) < 0)
		return errno == ELOOP ? CPK_E_FORMAT : CPK_E_IO;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return CPK_E_FORMAT;
	}
	if ((uint64_t)st.st_size > SNAP_FILE_MAX ||
	    (uint64_t)st.st_size > SNAP_TOTAL_MAX - *total) {
		close(fd);
		return CPK_E_TOO_BIG;
	}
	if ((r = cpk_blob_new(NULL, 0, out)) != CPK_OK)
		goto out;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (*out)->len + (size_t)n > SNAP_FILE_MAX) {
			r = n < 0 ? CPK_E_IO : CPK_E_TOO_BIG;
			goto out;
		}
		if ((r = cpk_blob_append(*out, buf, (size_t)n)) != CPK_OK)
			goto out;
	}
	*total += (*out)->len;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	close(fd);
	if (r != CPK_OK)
		cpk_blob_free(out);
	return r;
}

void
cpk_snap_clear(struct snap *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].name);
		cpk_blob_free(&s->v[i].data);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Every entry of the folder; a file that cannot be read is noted, not an
 * error: --in-place must take every container --out takes. */
cpk_err
cpk_snap_read(const char *dir, struct snap *s)
{
	struct dirent *de;
	DIR *d = NULL;
	size_t total = 0;
	cpk_err r = CPK_OK;

	memset(s, 0, sizeof(*s));
	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? CPK_E_NOT_FOUND : CPK_E_IO;
	if ((s->v = calloc(SNAP_MAX_ENTRIES, sizeof(*s->v))) == NULL) {
		r = CPK_E_NOMEM;
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		struct snap_entry *e = &s->v[s->n];

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (s->n == SNAP_MAX_ENTRIES) {
			r = CPK_E_TOO_BIG;
			goto out;
		}
		if ((e->name = strdup(de->d_name)) == NULL) {
			r = CPK_E_NOMEM;
			goto out;
		}
		s->n++;
		e->key = is_key_name(e->name);
		e->err = read_entry(dirfd(d), e->name, &total, &e->data);
		if (e->err == CPK_E_NOMEM) {
			r = CPK_E_NOMEM;
			goto out;
		}
	}
out:
	closedir(d);
	if (r != CPK_OK)
		cpk_snap_clear(s);
	return r;
}

/* The archive, written inside the staging folder (a killed run leaves no
 * partial backup in sight), closed, 0600, synced. */
static cpk_err
zip_write(const char *path, const struct snap *s)
{
	zip_t *z;
	zip_source_t *src;
	int err, fd;
	cpk_err r = CPK_OK;

	if ((z = zip_open(path, ZIP_CREATE | ZIP_EXCL, &err)) == NULL)
		return CPK_E_IO;
	for (size_t i = 0; i < s->n; i++) {
		const cpk_blob *b = s->v[i].data;

		if (b == NULL)
			continue;
		if ((src = zip_source_buffer(z, b->ptr, b->len, 0)) == NULL ||
		    zip_file_add(z, s->v[i].name, src, ZIP_FL_ENC_GUESS) < 0) {
			zip_source_free(src);
			zip_discard(z);
			return CPK_E_IO;
		}
	}
	/* libzip writes the archive here (to a temp name it renames); a
	 * full disk is its system error ENOSPC */
	if (zip_close(z) != 0) {
		zip_error_t *ze = zip_get_error(z);

		r = zip_error_system_type(ze) == ZIP_ET_SYS ?
		    cpk_err_from_errno(zip_error_code_system(ze)) : CPK_E_IO;
		zip_discard(z);
		unlink(path);
		return r;
	}
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return cpk_err_from_errno(errno);
	if (fchmod(fd, 0600) != 0 || fsync(fd) != 0)
		r = cpk_err_from_errno(errno);
	close(fd);
	return r;
}

/* One member against the snapshot and against the file in the folder
 * now, byte for byte. */
static cpk_err
member_check(zip_t *z, zip_uint64_t at, const char *dir,
    const struct snap_entry *e)
{
	char fpath[PATH_MAX];
	zip_stat_t zs;
	zip_file_t *zf;
	cpk_blob *now = NULL;
	unsigned char *buf = NULL;
	size_t blen = e->data->len + 1;
	zip_int64_t got;
	cpk_err r = CPK_E_IO;

	if (zip_stat_index(z, at, 0, &zs) != 0 || zs.size != e->data->len ||
	    snprintf(fpath, sizeof(fpath), "%s/%s", dir, e->name) >=
	    (int)sizeof(fpath) ||
	    cpk_file_read(fpath, SNAP_FILE_MAX, &now) != CPK_OK ||
	    !cpk_blob_eq(now, e->data) || (buf = malloc(blen)) == NULL ||
	    (zf = zip_fopen_index(z, at, 0)) == NULL)
		goto out;
	got = zip_fread(zf, buf, blen);
	zip_fclose(zf);
	if (got >= 0 && (size_t)got == e->data->len && (e->data->len == 0 ||
	    memcmp(buf, e->data->ptr, e->data->len) == 0))
		r = CPK_OK;
out:
	if (buf != NULL) {
		OPENSSL_cleanse(buf, blen);
		free(buf);
	}
	cpk_blob_free(&now);
	return r;
}

/* Every member equals the file in the folder now, byte for byte, each
 * backed-up file is a member once, and the archive holds nothing else.
 * Members go by index and raw name: libzip's lookup by name misses names
 * that are not UTF-8. */
static cpk_err
zip_verify(const char *path, const char *dir, const struct snap *s)
{
	zip_t *z;
	unsigned char *seen = NULL;
	zip_int64_t n;
	size_t members = 0, k;
	const char *name;
	int err;
	cpk_err r = CPK_E_IO;

	if ((z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err)) == NULL)
		return CPK_E_IO;
	if ((seen = calloc(s->n + 1, 1)) == NULL) {
		r = CPK_E_NOMEM;
		goto out;
	}
	for (k = 0; k < s->n; k++)
		members += s->v[k].data != NULL;
	if ((n = zip_get_num_entries(z, 0)) < 0 || (size_t)n != members)
		goto out;
	for (zip_uint64_t i = 0; i < (zip_uint64_t)n; i++) {
		if ((name = zip_get_name(z, i, ZIP_FL_ENC_RAW)) == NULL)
			goto out;
		for (k = 0; k < s->n; k++)
			if (s->v[k].data != NULL && !seen[k] &&
			    strcmp(s->v[k].name, name) == 0)
				break;
		if (k == s->n || member_check(z, i, dir, &s->v[k]) != CPK_OK)
			goto out;
		seen[k] = 1;
	}
	r = CPK_OK;
out:
	free(seen);
	zip_discard(z);
	return r;
}

/* The archive's final name, DIR.cpkit-backup-TIME.zip, or with -2, -3...
 * when a run in the same second took it; never replaces a file. */
cpk_err
cpk_backup_write(const char *dir, const cpk_stage *st, const struct snap *s,
    char *out, size_t cap)
{
	char tmp[PATH_MAX], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	cpk_err r;
	int n;

	if (snprintf(tmp, sizeof(tmp), "%s/backup.zip", st->path) >=
	    (int)sizeof(tmp))
		return CPK_E_RANGE;
	if ((r = zip_write(tmp, s)) != CPK_OK)
		goto out;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (n = 1; n < 1000; n++) {
		if ((n == 1 ? snprintf(out, cap, "%s%s%s.zip", dir,
		    CPK_BACKUP_TAG, stamp) : snprintf(out, cap, "%s%s%s-%d.zip",
		    dir, CPK_BACKUP_TAG, stamp, n)) >= (int)cap) {
			r = CPK_E_RANGE;
			goto out;
		}
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, out,
		    RENAME_NOREPLACE) == 0)
			break;
		if (errno != EEXIST) {
			r = CPK_E_IO;
			goto out;
		}
	}
	if (n == 1000) {
		r = CPK_E_EXISTS;
		goto out;
	}
	tmp[0] = '\0';
	if ((r = zip_verify(out, dir, s)) != CPK_OK) {
		unlink(out);		/* no unverified backup is left */
		goto out;
	}
	r = cpk_dir_sync(st->path);
out:
	if (tmp[0] != '\0')
		unlink(tmp);
	if (r != CPK_OK)
		out[0] = '\0';
	return r;
}

