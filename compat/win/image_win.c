/*
 * Images and devices for carving on Windows (recovery/image.c; POSIX:
 * recovery/image_sys.c): a file image, or a disk as Windows names it raw,
 * \\.\PhysicalDriveN or \\.\X: (a volume). Opened read-only and shared
 * (the disk is in use by others), its size from the file or, for a
 * device, IOCTL_DISK_GET_LENGTH_INFO. Reads are positioned ReadFile
 * calls; a device takes only whole sectors at sector offsets, so a read
 * that is not is done through an aligned bounce buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <winioctl.h>

/* recovery/'s own internal header, not container/'s (first in -I) */
#include "../../recovery/internal.h"

/* larger than any sector size in use (512, 4096) and a multiple of each */
#define ALIGN	4096

static int
is_device_path(const char *path)
{
	return strncmp(path, "\\\\.\\", 4) == 0 ||
	    strncmp(path, "//./", 4) == 0;
}

cpk_err
cpk_image_sys_open(const char *path, int *fd, uint64_t *size)
{
	GET_LENGTH_INFORMATION li;
	LARGE_INTEGER fsz;
	wchar_t *w;
	HANDLE h;
	DWORD got, err;
	int dev = is_device_path(path);

	*fd = -1;
	if ((w = cpk_proc_wide(path)) == NULL)
		return CPK_E_NOT_FOUND;
	/* the image is the path the user typed: a link is followed, as on
	 * Linux; a folder is not an image */
	h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE |
	    FILE_SHARE_DELETE, NULL, OPEN_EXISTING, 0, NULL);
	err = GetLastError();
	free(w);
	if (h == INVALID_HANDLE_VALUE) {
		if (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND)
			return CPK_E_NOT_FOUND;
		/* a folder opened without backup semantics */
		return err == ERROR_ACCESS_DENIED && !dev ? CPK_E_FORMAT :
		    CPK_E_IO;
	}
	if (dev) {
		if (!DeviceIoControl(h, IOCTL_DISK_GET_LENGTH_INFO, NULL, 0,
		    &li, sizeof(li), &got, NULL) || li.Length.QuadPart < 0) {
			CloseHandle(h);
			return CPK_E_IO;
		}
		*size = (uint64_t)li.Length.QuadPart;
	} else {
		if (GetFileType(h) != FILE_TYPE_DISK ||
		    !GetFileSizeEx(h, &fsz) || fsz.QuadPart < 0) {
			CloseHandle(h);
			return CPK_E_FORMAT;
		}
		*size = (uint64_t)fsz.QuadPart;
	}
	/* a descriptor, as the rest of cpk_image keeps and closes */
	if ((*fd = _open_osfhandle((intptr_t)h, _O_RDONLY | _O_BINARY)) < 0) {
		CloseHandle(h);
		return CPK_E_IO;
	}
	return CPK_OK;
}

static ssize_t
read_at(HANDLE h, void *buf, DWORD len, uint64_t off)
{
	OVERLAPPED ov;
	DWORD got = 0;

	memset(&ov, 0, sizeof(ov));
	ov.Offset = (DWORD)(off & 0xffffffffU);
	ov.OffsetHigh = (DWORD)(off >> 32);
	if (!ReadFile(h, buf, len, &got, &ov)) {
		if (GetLastError() == ERROR_HANDLE_EOF)
			return 0;
		errno = EIO;
		return -1;
	}
	return (ssize_t)got;
}

ssize_t
cpk_image_sys_pread(int fd, void *buf, size_t len, uint64_t off)
{
	HANDLE h = (HANDLE)_get_osfhandle(fd);
	uint64_t start = off - off % ALIGN;
	size_t span;
	unsigned char *bounce;
	ssize_t n;

	if (h == INVALID_HANDLE_VALUE) {
		errno = EBADF;
		return -1;
	}
	if (len > 1U << 30)
		len = 1U << 30;	/* a short read, as pread may give */
	if (off % ALIGN == 0 && len % ALIGN == 0)
		return read_at(h, buf, (DWORD)len, off);
	span = (size_t)(off - start) + len;
	span += (ALIGN - span % ALIGN) % ALIGN;
	if ((bounce = malloc(span)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	n = read_at(h, bounce, (DWORD)span, start);
	if (n > (ssize_t)(off - start)) {
		n -= (ssize_t)(off - start);
		if ((size_t)n > len)
			n = (ssize_t)len;
		memcpy(buf, bounce + (off - start), (size_t)n);
	} else if (n >= 0)
		n = 0;
	free(bounce);
	return n;
}
