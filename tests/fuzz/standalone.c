/* Replays files through a libFuzzer target without libFuzzer, so `make
 * test` runs each corpus with plain gcc (STYLE.md §15). A target that
 * crashes or aborts fails the replay; an unreadable input exits 2. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Reads the whole file; inputs are small, but a corpus entry over 64 KiB
 * is legitimate (it tests the size cap), so nothing is capped here. */
static int
slurp(const char *path, uint8_t **out, size_t *len)
{
	FILE *f;
	uint8_t *buf = NULL, *tmp;
	size_t cap = 0, n = 0, got;
	int r = -1;

	*out = NULL;
	*len = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((tmp = realloc(buf, cap)) == NULL)
				goto out;
			buf = tmp;
		}
		if ((got = fread(buf + n, 1, cap - n, f)) == 0)
			break;
		n += got;
	}
	if (ferror(f))
		goto out;
	*out = buf;
	*len = n;
	buf = NULL;
	r = 0;
out:
	fclose(f);
	free(buf);
	return r;
}

int
main(int argc, char **argv)
{
	uint8_t *data;
	size_t len;
	int i;

	for (i = 1; i < argc; i++) {
		if (slurp(argv[i], &data, &len) != 0) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 2;
		}
		LLVMFuzzerTestOneInput(data, len);
		free(data);
	}
	printf("%d inputs replayed\n", argc - 1);
	return 0;
}
