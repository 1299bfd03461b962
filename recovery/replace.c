/* Writing a repaired container: into a new folder, or over the original
 * after a verified backup, with the two folders swapped in one rename so a
 * crash leaves the old or the new container, never a mix (ARCHITECTURE.md
 * safety rules 1 and 2). */
#define _GNU_SOURCE		/* renameat2, RENAME_EXCHANGE */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

static cpk_err
parent_of(const char *dir, char *out, size_t cap)
{
	const char *slash = strrchr(dir, '/');

	if (slash == NULL)
		return snprintf(out, cap, ".") < (int)cap ? CPK_OK : CPK_E_RANGE;
	if (slash == dir)
		return snprintf(out, cap, "/") < (int)cap ? CPK_OK : CPK_E_RANGE;
	return snprintf(out, cap, "%.*s", (int)(slash - dir), dir) < (int)cap ?
	    CPK_OK : CPK_E_RANGE;
}

static void
remove_dir(const char *dir)
{
	char path[PATH_MAX];

	for (int i = 0; i < CPK_F_COUNT; i++)
		if (snprintf(path, sizeof(path), "%s/%s", dir,
		    cpk_file_name((enum cpk_file_id)i)) < (int)sizeof(path))
			unlink(path);
	rmdir(dir);
}

/* A fresh folder beside dir, holding the files, synced. */
static cpk_err
stage(const char *dir, const char *tag, const cpk_files *f, char *out,
    size_t cap)
{
	cpk_err r;

	if (snprintf(out, cap, "%s.%s.XXXXXX", dir, tag) >= (int)cap)
		return CPK_E_RANGE;
	if (mkdtemp(out) == NULL) {
		out[0] = '\0';
		return cpk_err_from_errno(errno);	/* ENOSPC: no space */
	}
	if ((r = cpk_files_write_dir(f, out)) != CPK_OK ||
	    (r = cpk_dir_sync(out)) != CPK_OK) {
		remove_dir(out);
		out[0] = '\0';
	}
	return r;
}

cpk_err
cpk_dir_write_new(const char *dir, const cpk_files *f)
{
	char tmp[PATH_MAX], parent[PATH_MAX];
	struct stat st;
	cpk_err r;

	if (lstat(dir, &st) == 0)
		return CPK_E_EXISTS;
	if ((r = parent_of(dir, parent, sizeof(parent))) != CPK_OK ||
	    (r = stage(dir, "new", f, tmp, sizeof(tmp))) != CPK_OK)
		return r;
	/* rename() would replace an empty folder made meanwhile: refuse */
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_NOREPLACE) != 0 &&
	    (errno != EINVAL || lstat(dir, &st) == 0 || rename(tmp, dir) != 0)) {
		r = cpk_err_from_errno(errno);	/* EEXIST: CPK_E_EXISTS */
		remove_dir(tmp);
		return r;
	}
	return cpk_dir_sync(parent);
}

/* The backup must equal what the original holds, byte for byte. */
static cpk_err
verify_copy(const char *orig, const char *copy)
{
	cpk_files *a = NULL, *b = NULL;
	cpk_err r;

	if ((r = cpk_files_read_dir(orig, &a)) != CPK_OK ||
	    (r = cpk_files_read_dir(copy, &b)) != CPK_OK)
		goto out;
	for (int i = 0; i < CPK_F_COUNT; i++)
		if (!cpk_blob_eq(a->f[i], b->f[i]) || a->err[i] != b->err[i]) {
			r = CPK_E_IO;
			break;
		}
out:
	cpk_files_free(&a);
	cpk_files_free(&b);
	return r;
}

static cpk_err
backup(const char *dir, char *out, size_t cap)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	cpk_files *orig = NULL;
	cpk_err r;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	if (snprintf(out, cap, "%s.backup-%s", dir, stamp) >= (int)cap)
		return CPK_E_RANGE;
	if ((r = cpk_files_read_dir(dir, &orig)) != CPK_OK)
		return r;
	if ((r = cpk_dir_write_new(out, orig)) == CPK_OK)
		r = verify_copy(dir, out);
	cpk_files_free(&orig);
	return r;
}

cpk_err
cpk_dir_replace(const char *dir, const cpk_files *f, cpk_step_fn step,
    char *backup_out, size_t cap)
{
	char staged[PATH_MAX], parent[PATH_MAX];
	cpk_err r;

	if ((r = parent_of(dir, parent, sizeof(parent))) != CPK_OK ||
	    (r = backup(dir, backup_out, cap)) != CPK_OK)
		return r;
	if (step != NULL)
		step("backup");
	if ((r = stage(dir, "new", f, staged, sizeof(staged))) != CPK_OK)
		return r;
	if (step != NULL)
		step("staged");
	if (renameat2(AT_FDCWD, staged, AT_FDCWD, dir, RENAME_EXCHANGE) != 0) {
		/* FAT and other file systems cannot exchange: move the old
		 * folder aside, complete, before the new one takes its name */
		char old[PATH_MAX];
		if (errno != EINVAL && errno != ENOSYS)
			return CPK_E_IO;
		if (snprintf(old, sizeof(old), "%s.old", staged) >=
		    (int)sizeof(old) || rename(dir, old) != 0)
			return CPK_E_IO;
		if (rename(staged, dir) != 0) {
			rename(old, dir);
			return CPK_E_IO;
		}
		snprintf(staged, sizeof(staged), "%s", old);
	}
	if (step != NULL)
		step("swapped");
	/* the old container now sits at the staging name; the verified
	 * backup holds the same bytes */
	remove_dir(staged);
	return cpk_dir_sync(parent);
}
