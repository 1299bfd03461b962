/* stat, lstat, fstat, fstatat, readlink and realpath (compat/win/fs.h):
 * a name-surrogate reparse point is S_IFLNK, its size the length of its
 * target as readlink gives it, as Linux's lstat reports a link. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "fs_int.h"

#include <winioctl.h>

/* REPARSE_DATA_BUFFER (ntifs.h, not in the user-mode headers): the two
 * layouts that name a target, symbolic links and mount points */
struct reparse {
	DWORD	tag;
	WORD	len;
	WORD	reserved;
	WORD	sub_off, sub_len, print_off, print_len;
	union {
		struct {
			DWORD	flags;
			WCHAR	path[1];
		} sym;
		struct {
			WCHAR	path[1];
		} mount;
	} u;
};

/* The target named by a reparse point's data (got bytes), in UTF-8,
 * cut to cap bytes (no NUL added); *len its whole length, 0 for a
 * reparse point of a kind that names none. A pure function, so that
 * tests/win/fs_probe.c checks it where wine can make no reparse point. */
int
cpk_w_reparse_text(const void *data, size_t got, char *buf, size_t cap,
    size_t *len)
{
	const struct reparse *r = data;
	const BYTE *end = (const BYTE *)data + got;
	const WCHAR *base, *p;
	size_t n;
	int m;

	*len = 0;
	if (got < offsetof(struct reparse, u)) {
		errno = EIO;
		return -1;
	}
	if (r->tag == IO_REPARSE_TAG_SYMLINK)
		base = r->u.sym.path;
	else if (r->tag == IO_REPARSE_TAG_MOUNT_POINT)
		base = r->u.mount.path;
	else
		return 0;		/* a link of another kind: no text */
	/* the name as shown to users, else the NT name without \??\ */
	if (r->print_len > 0) {
		p = base + r->print_off / sizeof(WCHAR);
		n = r->print_len / sizeof(WCHAR);
	} else {
		p = base + r->sub_off / sizeof(WCHAR);
		n = r->sub_len / sizeof(WCHAR);
		if (n >= 4 && wcsncmp(p, L"\\??\\", 4) == 0) {
			p += 4;
			n -= 4;
		}
	}
	/* offsets from the medium: inside what was read */
	if ((const BYTE *)base > end || (const BYTE *)p > end ||
	    n > (size_t)(end - (const BYTE *)p) / sizeof(WCHAR)) {
		errno = EIO;
		return -1;
	}
	if (n == 0)
		return 0;
	m = WideCharToMultiByte(CP_UTF8, 0, p, (int)n, NULL, 0, NULL, NULL);
	if (m <= 0) {
		errno = EIO;
		return -1;
	}
	*len = (size_t)m;
	if (cap > 0) {
		char *tmp = malloc((size_t)m);

		if (tmp == NULL)
			return -1;
		WideCharToMultiByte(CP_UTF8, 0, p, (int)n, tmp, m, NULL, NULL);
		memcpy(buf, tmp, cap < (size_t)m ? cap : (size_t)m);
		free(tmp);
	}
	return 0;
}

/* The target of the link open as h (cpk_w_reparse_text). */
int
cpk_w_link_text(HANDLE h, char *buf, size_t cap, size_t *len)
{
	BYTE *d;
	DWORD got;
	int r;

	if ((d = malloc(MAXIMUM_REPARSE_DATA_BUFFER_SIZE)) == NULL)
		return -1;
	if (!DeviceIoControl(h, FSCTL_GET_REPARSE_POINT, NULL, 0, d,
	    MAXIMUM_REPARSE_DATA_BUFFER_SIZE, &got, NULL)) {
		free(d);
		return cpk_w_fail(GetLastError());
	}
	r = cpk_w_reparse_text(d, got, buf, cap, len);
	free(d);
	return r;
}

/* st_mode from a file's attributes: a name-surrogate reparse point is a
 * link whatever else it is */
mode_t
cpk_w_mode(DWORD attrs, int link)
{
	if (link)
		return S_IFLNK | 0777;
	if (attrs & FILE_ATTRIBUTE_DIRECTORY)
		return S_IFDIR | 0700;
	return S_IFREG | (attrs & FILE_ATTRIBUTE_READONLY ? 0400 : 0600);
}

static time_t
unix_time(FILETIME ft)
{
	uint64_t t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;

	/* 100 ns ticks since 1601 */
	return (time_t)((t - 116444736000000000ull) / 10000000u);
}

static int
fill(HANDLE h, struct stat *st)
{
	BY_HANDLE_FILE_INFORMATION bi;
	size_t len;

	memset(st, 0, sizeof(*st));
	switch (GetFileType(h)) {
	case FILE_TYPE_DISK:
		break;
	case FILE_TYPE_CHAR:
		st->st_mode = S_IFCHR | 0600;
		return 0;
	case FILE_TYPE_PIPE:
		st->st_mode = S_IFIFO | 0600;
		return 0;
	default:
		return cpk_w_fail(GetLastError());
	}
	if (!GetFileInformationByHandle(h, &bi))
		return cpk_w_fail(GetLastError());
	st->st_dev = bi.dwVolumeSerialNumber;
	st->st_ino = ((uint64_t)bi.nFileIndexHigh << 32) | bi.nFileIndexLow;
	st->st_nlink = bi.nNumberOfLinks;
	st->st_size = (int64_t)(((uint64_t)bi.nFileSizeHigh << 32) |
	    bi.nFileSizeLow);
	st->st_atime = unix_time(bi.ftLastAccessTime);
	st->st_mtime = unix_time(bi.ftLastWriteTime);
	st->st_ctime = unix_time(bi.ftCreationTime);
	st->st_mode = cpk_w_mode(bi.dwFileAttributes,
	    cpk_w_is_link(h, bi.dwFileAttributes));
	if (S_ISLNK(st->st_mode) && cpk_w_link_text(h, NULL, 0, &len) == 0)
		st->st_size = (int64_t)len;
	return 0;
}

/* a file that cannot be opened even for its attributes (in use by the
 * system): what the folder's listing says */
static int
fill_attrs(const wchar_t *w, struct stat *st)
{
	WIN32_FILE_ATTRIBUTE_DATA ad;

	if (!GetFileAttributesExW(w, GetFileExInfoStandard, &ad))
		return cpk_w_fail(GetLastError());
	memset(st, 0, sizeof(*st));
	st->st_nlink = 1;
	st->st_size = (int64_t)(((uint64_t)ad.nFileSizeHigh << 32) |
	    ad.nFileSizeLow);
	st->st_mtime = unix_time(ad.ftLastWriteTime);
	st->st_mode = cpk_w_mode(ad.dwFileAttributes,
	    cpk_w_link_attrs(ad.dwFileAttributes, 0, 0));
	return 0;
}

static int
stat_wide(const wchar_t *w, struct stat *st, int nofollow)
{
	HANDLE h;
	DWORD e;
	int r;

	h = CreateFileW(w, FILE_READ_ATTRIBUTES, CPK_W_SHARE, NULL,
	    OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS |
	    (nofollow ? FILE_FLAG_OPEN_REPARSE_POINT : 0), NULL);
	if (h == INVALID_HANDLE_VALUE) {
		e = GetLastError();
		if (e == ERROR_SHARING_VIOLATION || e == ERROR_ACCESS_DENIED)
			return fill_attrs(w, st);
		return cpk_w_fail(e);
	}
	r = fill(h, st);
	CloseHandle(h);
	return r;
}

static int
stat_at(int dfd, const char *path, struct stat *st, int nofollow)
{
	wchar_t *w;
	int r;

	if ((w = cpk_w_at(dfd, path)) == NULL)
		return -1;
	r = stat_wide(w, st, nofollow);
	free(w);
	return r;
}

int
cpk_w_stat(const char *path, struct stat *st)
{
	return stat_at(AT_FDCWD, path, st, 0);
}

int
cpk_w_lstat(const char *path, struct stat *st)
{
	return stat_at(AT_FDCWD, path, st, 1);
}

int
cpk_w_fstatat(int dfd, const char *path, struct stat *st, int flags)
{
	return stat_at(dfd, path, st, (flags & AT_SYMLINK_NOFOLLOW) != 0);
}

int
cpk_w_fstat(int fd, struct stat *st)
{
	intptr_t h = _get_osfhandle(fd);

	if (h == -1) {
		errno = EBADF;
		return -1;
	}
	return fill((HANDLE)h, st);
}

ssize_t
cpk_w_readlink(const char *path, char *buf, size_t cap)
{
	BY_HANDLE_FILE_INFORMATION bi;
	wchar_t *w;
	HANDLE h;
	size_t len;
	int r;

	if ((w = cpk_w_wide(path)) == NULL)
		return -1;
	h = CreateFileW(w, FILE_READ_ATTRIBUTES, CPK_W_SHARE, NULL,
	    OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS |
	    FILE_FLAG_OPEN_REPARSE_POINT, NULL);
	free(w);
	if (h == INVALID_HANDLE_VALUE)
		return cpk_w_fail(GetLastError());
	if (!GetFileInformationByHandle(h, &bi) ||
	    !cpk_w_is_link(h, bi.dwFileAttributes)) {
		CloseHandle(h);
		errno = EINVAL;		/* not a link */
		return -1;
	}
	r = cpk_w_link_text(h, buf, cap, &len);
	CloseHandle(h);
	if (r != 0)
		return -1;
	return (ssize_t)(len < cap ? len : cap);
}

/* The final path of what path names, links resolved as Linux's
 * realpath does, without the \\?\ prefix: "Z:\tmp\x". resolved, when
 * given, holds PATH_MAX bytes. */
char *
cpk_w_realpath(const char *path, char *resolved)
{
	wchar_t *w, *p;
	char *s;
	HANDLE h;

	if ((w = cpk_w_wide(path)) == NULL)
		return NULL;
	h = CreateFileW(w, FILE_READ_ATTRIBUTES, CPK_W_SHARE, NULL,
	    OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
	free(w);
	if (h == INVALID_HANDLE_VALUE) {
		cpk_w_fail(GetLastError());
		return NULL;
	}
	w = cpk_w_final_path(h);
	CloseHandle(h);
	if (w == NULL)
		return NULL;
	p = w;
	if (wcsncmp(p, L"\\\\?\\UNC\\", 8) == 0) {
		p += 6;
		*p = L'\\';		/* \\?\UNC\srv\share: \\srv\share */
	} else if (wcsncmp(p, L"\\\\?\\", 4) == 0) {
		p += 4;
	}
	s = cpk_w_narrow(p);
	free(w);
	if (s == NULL || resolved == NULL)
		return s;
	if (strlen(s) >= PATH_MAX) {
		free(s);
		errno = ENAMETOOLONG;
		return NULL;
	}
	strcpy(resolved, s);
	free(s);
	return resolved;
}
