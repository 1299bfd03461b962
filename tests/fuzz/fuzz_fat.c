/* libFuzzer target for images: the FAT boot sector, FAT and directory
 * parser and the raw carver see hostile bytes (written to a temporary
 * file: images are read with pread). */
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "recovery.h"
#include "fuzz_file.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/cpkit-fuzz-fat.XXXXXX";
	cpk_carve_opts o = { NULL, NULL, NULL, 0 };
	cpk_carve_result res;
	cpk_image *img = NULL;

	if (fuzz_to_file(path, data, size) != 0)
		return 0;
	if (cpk_image_open(path, &img) == CPK_OK &&
	    cpk_carve(img, &o, &res) == CPK_OK)
		cpk_carve_result_clear(&res);
	cpk_image_free(&img);
	unlink(path);
	return 0;
}
