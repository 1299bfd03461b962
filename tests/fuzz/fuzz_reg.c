/* libFuzzer target for .reg files: the text decoder (UTF-16LE, UTF-8,
 * CP1251), the line and value parser, the SID rewriter, and the decoders
 * of every container found. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "media_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cpk_regfile rf;
	cpk_container *c = NULL;
	cpk_blob *moved = NULL;
	size_t n;

	if (cpk_regfile_parse(data, size, &rf) == CPK_OK)
		for (size_t i = 0; i < rf.n; i++) {
			if (cpk_container_decode(rf.v[i].files, &c) == CPK_OK)
				cpk_container_free(&c);
		}
	cpk_regfile_clear(&rf);
	if (cpk_reg_rewrite_sid(data, size, "S-1-5-21-1-2-3-1001", &moved,
	    &n) == CPK_OK && cpk_regfile_parse(moved->ptr, moved->len, &rf) ==
	    CPK_OK)
		cpk_regfile_clear(&rf);
	cpk_blob_free(&moved);
	return 0;
}
