/* Opening an image or a block device and reading it at an offset, POSIX
 * (image.c; Windows: compat/win/image_win.c). */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/fs.h>

#include "internal.h"

cpk_err
cpk_image_sys_open(const char *path, int *fd, uint64_t *size)
{
	struct stat st;
	unsigned long long sz = 0;

	/* A FIFO or a terminal would block open() or read(): only regular
	 * files and block devices are opened, and without blocking, in case
	 * the path changes between the stat and the open. The image is the
	 * path the user typed, not a file met on a medium, so a link is
	 * followed: /dev/disk/by-id/... names are links to the device. */
	if (stat(path, &st) != 0)
		return errno == ENOENT || errno == ENOTDIR ? CPK_E_NOT_FOUND :
		    CPK_E_IO;
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return CPK_E_FORMAT;
	if ((*fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return errno == ENOENT ? CPK_E_NOT_FOUND : CPK_E_IO;
	if (fstat(*fd, &st) != 0)
		return CPK_E_IO;
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(*fd, BLKGETSIZE64, &sz) != 0)
			return CPK_E_IO;
		*size = sz;
	} else if (S_ISREG(st.st_mode))
		*size = (uint64_t)st.st_size;
	else
		return CPK_E_FORMAT;
	return CPK_OK;
}

ssize_t
cpk_image_sys_pread(int fd, void *buf, size_t len, uint64_t off)
{
	return pread(fd, buf, len, (off_t)off);
}
