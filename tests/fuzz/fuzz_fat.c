/* libFuzzer target for images: the FAT boot sector, FAT and directory
 * parser and the raw carver see hostile bytes (written to a temporary
 * file: images are read with pread). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "recovery.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/cpkit-fuzz-fat.XXXXXX";
	cpk_carve_opts o = { NULL, NULL, NULL, 0 };
	cpk_carve_result res;
	cpk_image img;
	FILE *fp;
	int fd;

	if ((fd = mkstemp(path)) < 0)
		return 0;
	if ((fp = fdopen(fd, "wb")) == NULL) {
		close(fd);
		unlink(path);
		return 0;
	}
	fwrite(data, 1, size, fp);
	fclose(fp);
	if (cpk_image_open(path, &img) == CPK_OK &&
	    cpk_carve(&img, &o, &res) == CPK_OK)
		cpk_carve_result_free(&res);
	cpk_image_close(&img);
	unlink(path);
	return 0;
}
