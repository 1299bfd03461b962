/* Creating, removing and renaming names (compat/win/fs.h): rename
 * replaces as POSIX's does; RENAME_NOREPLACE is MoveFileExW without
 * MOVEFILE_REPLACE_EXISTING, atomic on its own; RENAME_EXCHANGE has no
 * Win32 counterpart and fails with EINVAL, which the callers take as a
 * file system that cannot exchange (recovery/replace.c moves the
 * original aside into its staging folder first, and the staging cleanup
 * brings it back when a run dies between the two renames). */
#include <stdlib.h>

#include "fs_int.h"

#include <bcrypt.h>

int
cpk_w_mkdir(const char *path, mode_t mode)
{
	wchar_t *w;
	int r = 0;

	(void)mode;			/* the folder's ACL is inherited */
	if ((w = cpk_w_wide(path)) == NULL)
		return -1;
	if (!CreateDirectoryW(w, NULL))
		r = cpk_w_fail(GetLastError());
	free(w);
	return r;
}

static int
rmdir_wide(const wchar_t *w)
{
	DWORD a;

	if (RemoveDirectoryW(w))
		return 0;
	if (GetLastError() == ERROR_DIRECTORY ||
	    ((a = GetFileAttributesW(w)) != INVALID_FILE_ATTRIBUTES &&
	    !(a & FILE_ATTRIBUTE_DIRECTORY))) {
		errno = ENOTDIR;
		return -1;
	}
	return cpk_w_fail(GetLastError());
}

/* A link to a folder is removed as a folder (the link, not its
 * target); a read-only file goes too, as on Linux, where only the
 * folder's permissions matter. */
static int
unlink_wide(const wchar_t *w)
{
	DWORD a, e;

	if (DeleteFileW(w))
		return 0;
	e = GetLastError();
	if ((a = GetFileAttributesW(w)) == INVALID_FILE_ATTRIBUTES)
		return cpk_w_fail(e);
	if ((a & FILE_ATTRIBUTE_DIRECTORY) &&
	    (a & FILE_ATTRIBUTE_REPARSE_POINT))
		return RemoveDirectoryW(w) ? 0 : cpk_w_fail(GetLastError());
	if (a & FILE_ATTRIBUTE_DIRECTORY) {
		errno = EISDIR;
		return -1;
	}
	if ((a & FILE_ATTRIBUTE_READONLY) && SetFileAttributesW(w,
	    a & ~(DWORD)FILE_ATTRIBUTE_READONLY)) {
		if (DeleteFileW(w))
			return 0;
		e = GetLastError();
		SetFileAttributesW(w, a);
	}
	return cpk_w_fail(e);
}

int
cpk_w_unlinkat(int dfd, const char *path, int flags)
{
	wchar_t *w;
	int r;

	if ((w = cpk_w_at(dfd, path)) == NULL)
		return -1;
	r = flags & AT_REMOVEDIR ? rmdir_wide(w) : unlink_wide(w);
	free(w);
	return r;
}

int
cpk_w_unlink(const char *path)
{
	return cpk_w_unlinkat(AT_FDCWD, path, 0);
}

int
cpk_w_rmdir(const char *path)
{
	return cpk_w_unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

/* A file just written may be held for a moment by a virus scanner or the
 * search indexer, which opened it without FILE_SHARE_DELETE: the rename
 * is tried again for up to a second before its error stands. */
#define MOVE_TRIES	20
#define MOVE_PAUSE_MS	50

static BOOL
move(const wchar_t *from, const wchar_t *to, DWORD flags)
{
	DWORD e;

	for (int i = 0; ; i++) {
		if (MoveFileExW(from, to, flags))
			return TRUE;
		e = GetLastError();
		if ((e != ERROR_SHARING_VIOLATION &&
		    e != ERROR_ACCESS_DENIED) || i + 1 == MOVE_TRIES)
			break;
		Sleep(MOVE_PAUSE_MS);
	}
	SetLastError(e);
	return FALSE;
}

int
cpk_w_renameat2(int ofd, const char *from, int nfd, const char *to,
    unsigned flags)
{
	wchar_t *wf, *wt;
	DWORD mf = MOVEFILE_WRITE_THROUGH;
	int r = 0;

	if (flags & RENAME_EXCHANGE) {
		errno = EINVAL;
		return -1;
	}
	if (!(flags & RENAME_NOREPLACE))
		mf |= MOVEFILE_REPLACE_EXISTING;
	if ((wf = cpk_w_at(ofd, from)) == NULL)
		return -1;
	if ((wt = cpk_w_at(nfd, to)) == NULL) {
		free(wf);
		return -1;
	}
	if (!move(wf, wt, mf))
		r = cpk_w_fail(GetLastError());
	free(wf);
	free(wt);
	return r;
}

int
cpk_w_rename(const char *from, const char *to)
{
	return cpk_w_renameat2(AT_FDCWD, from, AT_FDCWD, to, 0);
}

/* The template's trailing XXXXXX filled from the system's generator. */
int
cpk_w_random_name(char *tmpl)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char rnd[6];
	size_t n = strlen(tmpl);

	if (n < 6 || strcmp(tmpl + n - 6, "XXXXXX") != 0) {
		errno = EINVAL;
		return -1;
	}
	if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, rnd, sizeof(rnd),
	    BCRYPT_USE_SYSTEM_PREFERRED_RNG))) {
		errno = EIO;
		return -1;
	}
	for (size_t i = 0; i < 6; i++)
		tmpl[n - 6 + i] = set[rnd[i] % (sizeof(set) - 1)];
	return 0;
}

#define TEMP_TRIES	100

/* O_EXCL: created here, never an existing file or link */
int
cpk_w_mkstemp(char *tmpl)
{
	size_t n = strlen(tmpl);
	int fd;

	for (int i = 0; i < TEMP_TRIES; i++) {
		if (i > 0)
			memcpy(tmpl + n - 6, "XXXXXX", 6);
		if (cpk_w_random_name(tmpl) != 0)
			return -1;
		if ((fd = open(tmpl, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW,
		    0600)) >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

char *
cpk_w_mkdtemp(char *tmpl)
{
	size_t n = strlen(tmpl);

	for (int i = 0; i < TEMP_TRIES; i++) {
		if (i > 0)
			memcpy(tmpl + n - 6, "XXXXXX", 6);
		if (cpk_w_random_name(tmpl) != 0)
			return NULL;
		if (mkdir(tmpl, 0700) == 0)
			return tmpl;
		if (errno != EEXIST)
			return NULL;
	}
	return NULL;
}
