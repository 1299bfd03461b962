/* UTF-8 paths to wide ones and back, the *at calls' joined paths, and
 * errno from a Win32 error (compat/win/fs.h). */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "fs_int.h"

/* NULL with errno ENOENT for a name that is not UTF-8 (it cannot name a
 * file on Windows), ENOMEM when out of memory */
wchar_t *
cpk_w_wide(const char *s)
{
	wchar_t *w;
	int n;

	if (s == NULL || s[0] == '\0') {
		errno = ENOENT;
		return NULL;
	}
	/* "E:": the drive's root (fs.h) */
	if (((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')) &&
	    s[1] == ':' && s[2] == '\0') {
		if ((w = malloc(4 * sizeof(*w))) == NULL)
			return NULL;
		w[0] = (wchar_t)s[0];
		w[1] = L':';
		w[2] = L'\\';
		w[3] = L'\0';
		return w;
	}
	if ((n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1,
	    NULL, 0)) <= 0) {
		errno = ENOENT;
		return NULL;
	}
	if ((w = malloc((size_t)n * sizeof(*w))) == NULL)
		return NULL;
	MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n);
	return w;
}

/* a name that is not valid UTF-16 (a lone surrogate) gets U+FFFD: it
 * is shown, and opening it again fails */
char *
cpk_w_narrow(const wchar_t *w)
{
	char *s;
	int n;

	if ((n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL,
	    NULL)) <= 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((s = malloc((size_t)n)) == NULL)
		return NULL;
	WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
	return s;
}

/* The folder's path now, with its \\?\ prefix (no name rewriting when a
 * child is joined to it). */
wchar_t *
cpk_w_final_path(HANDLE h)
{
	/* a volume mounted without a drive letter: by its GUID name */
	DWORD vol = VOLUME_NAME_DOS;
	wchar_t *w;
	DWORD n;

	if ((n = GetFinalPathNameByHandleW(h, NULL, 0, vol)) == 0) {
		vol = VOLUME_NAME_GUID;
		if ((n = GetFinalPathNameByHandleW(h, NULL, 0, vol)) == 0) {
			cpk_w_fail(GetLastError());
			return NULL;
		}
	}
	if ((w = malloc(((size_t)n + 1) * sizeof(*w))) == NULL)
		return NULL;
	if (GetFinalPathNameByHandleW(h, w, n + 1, vol) == 0) {
		cpk_w_fail(GetLastError());
		free(w);
		return NULL;
	}
	return w;
}

static int
is_absolute(const char *p)
{
	return p[0] == '/' || p[0] == '\\' || (p[0] != '\0' && p[1] == ':');
}

/* name relative to the folder open as dfd (AT_FDCWD: the working
 * folder), as openat() takes it */
wchar_t *
cpk_w_at(int dfd, const char *name)
{
	wchar_t *dir, *w, *out;
	size_t dl, nl;
	intptr_t h;

	if (dfd == AT_FDCWD || name == NULL || is_absolute(name))
		return cpk_w_wide(name);
	if ((h = _get_osfhandle(dfd)) == -1) {
		errno = EBADF;
		return NULL;
	}
	if ((w = cpk_w_wide(name)) == NULL)
		return NULL;
	if ((dir = cpk_w_final_path((HANDLE)h)) == NULL) {
		free(w);
		return NULL;
	}
	if (wcscmp(w, L".") == 0) {
		free(w);
		return dir;
	}
	dl = wcslen(dir);
	nl = wcslen(w);
	if ((out = malloc((dl + nl + 2) * sizeof(*out))) == NULL) {
		free(dir);
		free(w);
		return NULL;
	}
	memcpy(out, dir, dl * sizeof(*out));
	if (dl > 0 && out[dl - 1] != L'\\')
		out[dl++] = L'\\';
	/* no Win32 rewriting after \\?\: the separators must be its own */
	for (size_t i = 0; i <= nl; i++)
		out[dl + i] = w[i] == L'/' ? L'\\' : w[i];
	free(dir);
	free(w);
	return out;
}

/* errno from a Win32 error; returns -1 for the callers' convenience */
int
cpk_w_fail(DWORD e)
{
	switch (e) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_NAME:
	case ERROR_BAD_PATHNAME:
	case ERROR_INVALID_DRIVE:
	case ERROR_BAD_NETPATH:
	case ERROR_BAD_NET_NAME:
		errno = ENOENT;
		break;
	case ERROR_DIRECTORY:
		errno = ENOTDIR;
		break;
	case ERROR_ACCESS_DENIED:
	case ERROR_WRITE_PROTECT:
	case ERROR_PRIVILEGE_NOT_HELD:
		errno = EACCES;
		break;
	case ERROR_SHARING_VIOLATION:
	case ERROR_BUSY:
		errno = EBUSY;
		break;
	case ERROR_LOCK_VIOLATION:
	case ERROR_IO_PENDING:
		errno = EWOULDBLOCK;
		break;
	case ERROR_FILE_EXISTS:
	case ERROR_ALREADY_EXISTS:
		errno = EEXIST;
		break;
	case ERROR_DIR_NOT_EMPTY:
		errno = ENOTEMPTY;
		break;
	case ERROR_DISK_FULL:
	case ERROR_HANDLE_DISK_FULL:
		errno = ENOSPC;
		break;
	case ERROR_NOT_ENOUGH_QUOTA:
		errno = EDQUOT;
		break;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
		errno = ENOMEM;
		break;
	case ERROR_CANT_RESOLVE_FILENAME:
#ifdef ERROR_STOPPED_ON_SYMLINK
	case ERROR_STOPPED_ON_SYMLINK:
#endif
		errno = ELOOP;
		break;
	case ERROR_FILENAME_EXCED_RANGE:
		errno = ENAMETOOLONG;
		break;
	case ERROR_NOT_SAME_DEVICE:
		errno = EXDEV;
		break;
	case ERROR_INVALID_HANDLE:
		errno = EBADF;
		break;
	case ERROR_INVALID_PARAMETER:
	case ERROR_INVALID_FUNCTION:
	case ERROR_NOT_SUPPORTED:
		errno = EINVAL;
		break;
	default:
		errno = EIO;
		break;
	}
	return -1;
}

#undef strrchr
char *
cpk_w_strrchr(const char *s, int c)
{
	char *a = strrchr(s, c), *b;

	if (c != '/' || (b = strrchr(s, '\\')) == NULL)
		return a;
	return a == NULL || b > a ? b : a;
}
