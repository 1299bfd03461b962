/* Images and block devices, read-only, by pread in caller-sized chunks:
 * never mapped whole. A failed read is remembered, not fatal. Opening and
 * reading are the system's: image_sys.c (POSIX), compat/win/image_win.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* The open steps on an allocated image; on failure the caller frees it. */
static cpk_err
image_open(const char *path, cpk_image *img)
{
	const char *fail;
	cpk_err r;

	img->fd = -1;
	img->bad_from = UINT64_MAX;
	img->fail_at = UINT64_MAX;
	snprintf(img->path, sizeof(img->path), "%s", path);
	if ((r = cpk_image_sys_open(path, &img->fd, &img->size)) != CPK_OK)
		return r;
	/* simulated failing device for the tests */
	if ((fail = getenv("CPKIT_TEST_READ_ERROR_AT")) != NULL)
		img->fail_at = strtoull(fail, NULL, 10);
	return CPK_OK;
}

cpk_err
cpk_image_read(cpk_image *img, uint64_t off, unsigned char *buf, size_t len,
    size_t *got)
{
	ssize_t n;

	*got = 0;
	if (off >= img->size)
		return CPK_OK;
	if (len > img->size - off)
		len = (size_t)(img->size - off);
	while (*got < len) {
		uint64_t at = off + *got;
		size_t want = len - *got;
		if (at >= img->fail_at) {
			errno = EIO;
			n = -1;
		} else {
			if (want > img->fail_at - at)	/* stop at the bad spot */
				want = (size_t)(img->fail_at - at);
			n = cpk_image_sys_pread(img->fd, buf + *got, want, at);
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (at < img->bad_from)
				img->bad_from = at;
			return n < 0 ? CPK_E_IO : CPK_OK;
		}
		*got += (size_t)n;
	}
	return CPK_OK;
}

cpk_err
cpk_image_open(const char *path, cpk_image **out)
{
	cpk_image *img;
	cpk_err r;

	*out = NULL;
	if ((img = calloc(1, sizeof(*img))) == NULL)
		return CPK_E_NOMEM;
	if ((r = image_open(path, img)) != CPK_OK) {
		cpk_image_free(&img);
		return r;
	}
	*out = img;
	return CPK_OK;
}

uint64_t
cpk_image_size(const cpk_image *img)
{
	return img->size;
}

const char *
cpk_image_path(const cpk_image *img)
{
	return img->path;
}

uint64_t
cpk_image_bad_from(const cpk_image *img)
{
	return img->bad_from;
}

void
cpk_image_free(cpk_image **img)
{
	if (img == NULL || *img == NULL)
		return;
	if ((*img)->fd >= 0)
		close((*img)->fd);
	free(*img);
	*img = NULL;
}
