/* open() and openat() over CreateFileW with the hostile-media rules:
 * O_NOFOLLOW opens the reparse point itself and refuses a link with
 * ELOOP (no check-then-open race), O_DIRECTORY refuses a file; every
 * descriptor is binary and shares delete (compat/win/fs.h). */
#include <stdarg.h>
#include <stdlib.h>

#include "fs_int.h"

/* A reparse point that stands for another name (symbolic link, junction,
 * mount point) is a link; others (cloud placeholders, deduplicated
 * files) are the file itself. */
int
cpk_w_link_attrs(DWORD attrs, int tag_known, DWORD tag)
{
	if (!(attrs & FILE_ATTRIBUTE_REPARSE_POINT))
		return 0;
	if (!tag_known)
		return 1;		/* tag unknown: the safe side */
	return IsReparseTagNameSurrogate(tag) ? 1 : 0;
}

int
cpk_w_is_link(HANDLE h, DWORD attrs)
{
	FILE_ATTRIBUTE_TAG_INFO ti;

	if (!(attrs & FILE_ATTRIBUTE_REPARSE_POINT))
		return 0;
	if (GetFileInformationByHandleEx(h, FileAttributeTagInfo, &ti,
	    sizeof(ti)))
		return cpk_w_link_attrs(attrs, 1, ti.ReparseTag);
	return cpk_w_link_attrs(attrs, 0, 0);
}

int
cpk_w_open_wide(const wchar_t *w, int flags)
{
	BY_HANDLE_FILE_INFORMATION bi;
	DWORD access, disp, fl;
	HANDLE h;
	int fd, crt;

	switch (flags & O_ACCMODE) {
	case O_WRONLY:
		access = GENERIC_WRITE;
		break;
	case O_RDWR:
		access = GENERIC_READ | GENERIC_WRITE;
		break;
	default:
		access = GENERIC_READ;
		break;
	}
	if (flags & O_CREAT)
		disp = flags & O_EXCL ? CREATE_NEW : flags & O_TRUNC ?
		    CREATE_ALWAYS : OPEN_ALWAYS;
	else
		disp = flags & O_TRUNC ? TRUNCATE_EXISTING : OPEN_EXISTING;
	/* BACKUP_SEMANTICS: a folder opens too (fstat then says what it
	 * is, as on Linux) */
	fl = FILE_FLAG_BACKUP_SEMANTICS;
	if (flags & O_NOFOLLOW)
		fl |= FILE_FLAG_OPEN_REPARSE_POINT;
	h = CreateFileW(w, access, CPK_W_SHARE, NULL, disp, fl, NULL);
	if (h == INVALID_HANDLE_VALUE)
		return cpk_w_fail(GetLastError());
	if (GetFileType(h) == FILE_TYPE_DISK) {
		if (!GetFileInformationByHandle(h, &bi)) {
			DWORD e = GetLastError();

			CloseHandle(h);
			return cpk_w_fail(e);
		}
		if ((flags & O_NOFOLLOW) &&
		    cpk_w_is_link(h, bi.dwFileAttributes)) {
			CloseHandle(h);
			errno = ELOOP;	/* as Linux's O_NOFOLLOW */
			return -1;
		}
		if ((flags & O_DIRECTORY) &&
		    !(bi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
			CloseHandle(h);
			errno = ENOTDIR;
			return -1;
		}
	} else if (flags & O_DIRECTORY) {
		CloseHandle(h);
		errno = ENOTDIR;
		return -1;
	}
	crt = _O_BINARY | (flags & O_APPEND ? _O_APPEND : 0) |
	    ((flags & O_ACCMODE) == O_RDONLY ? _O_RDONLY : 0);
	if ((fd = _open_osfhandle((intptr_t)h, crt)) < 0) {
		CloseHandle(h);
		errno = EMFILE;
		return -1;
	}
	return fd;
}

/* the mode is not emulated: the file inherits its folder's ACL */
int
cpk_w_openat(int dfd, const char *path, int flags, ...)
{
	wchar_t *w;
	int fd;

	if ((w = cpk_w_at(dfd, path)) == NULL)
		return -1;
	fd = cpk_w_open_wide(w, flags);
	free(w);
	return fd;
}

int
cpk_w_open(const char *path, int flags, ...)
{
	return cpk_w_openat(AT_FDCWD, path, flags);
}

FILE *
cpk_w_fopen(const char *path, const char *mode)
{
	wchar_t *w, *m;
	FILE *f;

	if ((w = cpk_w_wide(path)) == NULL)
		return NULL;
	if ((m = cpk_w_wide(mode)) == NULL) {
		free(w);
		errno = EINVAL;
		return NULL;
	}
	f = _wfopen(w, m);
	free(w);
	free(m);
	return f;
}
