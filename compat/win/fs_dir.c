/* opendir/readdir over FindFirstFileExW (compat/win/include/dirent.h):
 * the folder is held open as a descriptor (dirfd) for the listing's
 * life, and listed by its final path, so a folder renamed meanwhile is
 * still the one listed. Types come from the entry, never followed. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <dirent.h>

#include "fs_int.h"

struct cpk_w_dir {
	int		fd;
	HANDLE		find;
	int		first;	/* data: an entry not yet read */
	WIN32_FIND_DATAW data;
	struct dirent	de;
};

/* dwReserved0 is the reparse tag of a reparse point (0: not given) */
unsigned char
cpk_w_dtype(DWORD attrs, DWORD tag)
{
	if (cpk_w_link_attrs(attrs, tag != 0, tag))
		return DT_LNK;
	return attrs & FILE_ATTRIBUTE_DIRECTORY ? DT_DIR : DT_REG;
}

DIR *
cpk_w_fdopendir(int fd)
{
	struct stat st;
	wchar_t *dir, *pat;
	size_t n;
	DIR *d;
	DWORD e;

	if (fstat(fd, &st) != 0)
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	if ((dir = cpk_w_final_path((HANDLE)_get_osfhandle(fd))) == NULL)
		return NULL;
	n = wcslen(dir);
	if ((pat = malloc((n + 3) * sizeof(*pat))) == NULL ||
	    (d = calloc(1, sizeof(*d))) == NULL) {
		free(pat);
		free(dir);
		return NULL;
	}
	memcpy(pat, dir, n * sizeof(*pat));
	if (n > 0 && pat[n - 1] != L'\\')
		pat[n++] = L'\\';
	pat[n++] = L'*';
	pat[n] = L'\0';
	free(dir);
	d->fd = fd;
	d->find = FindFirstFileExW(pat, FindExInfoStandard, &d->data,
	    FindExSearchNameMatch, NULL, 0);
	free(pat);
	if (d->find == INVALID_HANDLE_VALUE) {
		/* a drive's root has no "." or "..": it may be empty */
		if ((e = GetLastError()) != ERROR_FILE_NOT_FOUND &&
		    e != ERROR_NO_MORE_FILES) {
			free(d);
			cpk_w_fail(e);
			return NULL;
		}
	} else {
		d->first = 1;
	}
	return d;
}

DIR *
cpk_w_opendir(const char *path)
{
	DIR *d;
	int fd;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY)) < 0)
		return NULL;
	if ((d = fdopendir(fd)) == NULL) {
		int e = errno;

		_close(fd);
		errno = e;
	}
	return d;
}

struct dirent *
cpk_w_readdir(DIR *d)
{
	const WIN32_FIND_DATAW *f = &d->data;

	if (d->find == INVALID_HANDLE_VALUE)
		return NULL;
	if (!d->first && !FindNextFileW(d->find, &d->data))
		return NULL;		/* ERROR_NO_MORE_FILES: the end */
	d->first = 0;
	if (WideCharToMultiByte(CP_UTF8, 0, f->cFileName, -1, d->de.d_name,
	    (int)sizeof(d->de.d_name), NULL, NULL) <= 0)
		snprintf(d->de.d_name, sizeof(d->de.d_name), "?");
	d->de.d_type = cpk_w_dtype(f->dwFileAttributes, f->dwReserved0);
	return &d->de;
}

int
cpk_w_closedir(DIR *d)
{
	if (d == NULL) {
		errno = EBADF;
		return -1;
	}
	if (d->find != INVALID_HANDLE_VALUE)
		FindClose(d->find);
	_close(d->fd);
	free(d);
	return 0;
}

int
cpk_w_dirfd(DIR *d)
{
	return d->fd;
}
