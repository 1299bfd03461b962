/* libFuzzer target for cpkit-passwd recover's inputs: the word list and
 * the mask with its custom sets (recovery/space.c). The input is split at
 * NUL bytes: flags, mask, custom sets ?1-?4, then the word list (the rest,
 * NULs and all). Whatever it is, building the space must not crash, and
 * a space that builds must hand out its first, middle and last candidate
 * within the buffer and refuse the index past its end; so must its last
 * part (1 to 7 parts, by the input's length). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "recovery.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FIELDS	6	/* flags, mask, ?1, ?2, ?3, ?4 */

static void
check(int ok)
{
	if (!ok)
		abort();
}

static void
probe(const cpk_space *s, uint64_t i)
{
	char out[CPK_SPACE_MAX_PW];

	memset(out, 0x5a, sizeof(out));
	if (cpk_space_get(s, i, out, sizeof(out)) == CPK_OK)
		check(memchr(out, '\0', sizeof(out)) != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *field[FIELDS] = { NULL };
	const char *custom[4];
	size_t at = 0, k = 0;
	cpk_blob *words = NULL;
	cpk_space *s = NULL;
	uint64_t total;
	uint32_t n;
	int have_mask;

	if (size > 1024 * 1024 || (copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	while (k < FIELDS && at <= size) {
		field[k++] = copy + at;
		at += strlen(copy + at) + 1;
	}
	if (cpk_space_new(field[0] != NULL && (field[0][0] & 1),
	    field[0] != NULL && field[0][0] ?
	    ((unsigned char)field[0][0] >> 1) & 7 : 0,
	    field[0] != NULL && field[0][0] ?
	    ((unsigned char)field[0][0] >> 4) & 15 : 0, &s) != CPK_OK) {
		free(copy);
		return 0;
	}
	for (int i = 0; i < 4; i++)
		custom[i] = field[2 + i] != NULL && field[2 + i][0] ?
		    field[2 + i] : NULL;
	if (at < size && cpk_blob_new(copy + at, size - at, &words) ==
	    CPK_OK) {
		(void)cpk_space_words(s, words);
		cpk_blob_free(&words);
	}
	have_mask = field[1] != NULL && field[1][0] != '\0';
	if (have_mask)
		(void)cpk_space_mask(s, field[1], custom);
	if (cpk_space_finish(s) == CPK_OK) {
		total = cpk_space_total(s);
		check(total > 0 && total == cpk_space_whole(s));
		probe(s, 0);
		probe(s, total / 2);
		probe(s, total - 1);
		check(cpk_space_get(s, total, (char[8]){ 0 }, 8) != CPK_OK);
		/* a part of the space: its last candidate is the whole's */
		n = (uint32_t)(size % 7) + 1;
		check(cpk_space_part(s, n, n) == CPK_OK);
		if (cpk_space_total(s) > 0) {
			check(cpk_space_index(s, cpk_space_total(s) - 1) <
			    total);
			probe(s, cpk_space_total(s) - 1);
		}
	}
	cpk_space_free(&s);
	free(copy);
	return 0;
}
