/* libFuzzer target for offline hives: the input is written to a temporary
 * file (hivex opens paths) and read as media, so hivex's parsing of the
 * hive and cpkit's walk of its keys and values both see hostile bytes. */
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "container.h"
#include "media.h"
#include "fuzz_file.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/cpkit-fuzz-hive.XXXXXX";
	cpk_media *m = NULL;
	const cpk_ref *ref;
	cpk_files *f = NULL;

	if (fuzz_to_file(path, data, size) != 0)
		return 0;
	if (cpk_media_open(path, &m) == CPK_OK) {
		while (cpk_media_next(m, &ref) == CPK_OK)
			if (cpk_media_load(m, ref, &f) == CPK_OK)
				cpk_files_free(&f);
		cpk_media_close(&m);
	}
	unlink(path);
	return 0;
}
