/* The split of a password search (--part K/N, cpk_space_part): the parts
 * of a space with defaults, words and a mask cover it exactly once, in
 * the whole's order when taken in turn; the edge cases (more parts than
 * candidates, one part, the last part); words too long for a password
 * counted; and a search of each part finds the password in one part only.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <openssl/evp.h>

#include "helpers.h"
#include "recovery.h"

static const char *const none[4] = { NULL, NULL, NULL, NULL };

/* defaults (25), 3 words each with ?d?1 (10 * 3) appended: 25 + 90 */
static cpk_space *
mixed(void)
{
	static const char words[] = "alpha\nбета\r\ngamma\n";
	const char *ab[4] = { "xyz", NULL, NULL, NULL };
	cpk_blob *w = NULL;
	cpk_space *s = NULL;

	cr_assert_eq(cpk_space_new(1, 0, 0, &s), CPK_OK);
	cr_assert_eq(cpk_blob_new(words, sizeof(words) - 1, &w), CPK_OK);
	cr_assert_eq(cpk_space_words(s, w), CPK_OK);
	cpk_blob_free(&w);
	cr_assert_eq(cpk_space_mask(s, "?d?1", ab), CPK_OK);
	cr_assert_eq(cpk_space_finish(s), CPK_OK);
	cr_assert_eq(cpk_space_total(s), 25 + 3 * 30);
	return s;
}

/* A mask's space, part k of n of it (n 0: the whole). */
static cpk_space *
mask_part(const char *mask, const char *const custom[4], uint32_t k,
    uint32_t n)
{
	cpk_space *s = NULL;

	cr_assert_eq(cpk_space_new(0, 0, 0, &s), CPK_OK);
	cr_assert_eq(cpk_space_mask(s, mask, custom), CPK_OK);
	cr_assert_eq(cpk_space_finish(s), CPK_OK);
	if (n > 0)
		cr_assert_eq(cpk_space_part(s, k, n), CPK_OK);
	return s;
}

/* Every candidate of s (or its part), NUL-terminated strings. */
static char **
all_of(const cpk_space *s, uint64_t *n)
{
	char **v;

	*n = cpk_space_total(s);
	v = calloc(*n ? *n : 1, sizeof(*v));
	cr_assert_not_null(v);
	for (uint64_t i = 0; i < *n; i++) {
		v[i] = calloc(1, CPK_SPACE_MAX_PW);
		cr_assert_not_null(v[i]);
		cr_assert_eq(cpk_space_get(s, i, v[i], CPK_SPACE_MAX_PW),
		    CPK_OK);
	}
	return v;
}

static int
by_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* SHA-256 over the strings in order, each with its NUL. */
static void
digest(char **v, uint64_t n, unsigned char out[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	cr_assert_not_null(c);
	cr_assert(EVP_DigestInit_ex(c, EVP_sha256(), NULL));
	for (uint64_t i = 0; i < n; i++)
		cr_assert(EVP_DigestUpdate(c, v[i], strlen(v[i]) + 1));
	cr_assert(EVP_DigestFinal_ex(c, out, NULL));
	EVP_MD_CTX_free(c);
}

static void
drop(char **v, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

Test(part, seven_parts_cover_the_space_once)
{
	cpk_space *s = mixed();
	char **whole, **merged, **part;
	unsigned char want[32], got[32], want_sorted[32], got_sorted[32];
	uint64_t total, n, sum = 0, at = 0;
	unsigned char *seen;

	whole = all_of(s, &total);
	digest(whole, total, want);
	cr_assert_str_eq(whole[25], "alpha0x");	/* after the defaults */
	merged = calloc(total, sizeof(*merged));
	seen = calloc(total, 1);
	cr_assert(merged != NULL && seen != NULL);
	for (uint32_t k = 1; k <= 7; k++) {
		cpk_space *p = mixed();

		cr_assert_eq(cpk_space_part(p, k, 7), CPK_OK);
		cr_assert_eq(cpk_space_whole(p), total);
		part = all_of(p, &n);
		/* sizes differ by one at most: 115 = 7 * 16 + 3 */
		cr_assert_eq(n, k <= 3 ? 17 : 16, "part %u: %llu", k,
		    (unsigned long long)n);
		for (uint64_t i = 0; i < n; i++) {
			uint64_t at_whole = cpk_space_index(p, i);
			cr_assert_lt(at_whole, total);
			cr_assert_not(seen[at_whole], "%llu twice",
			    (unsigned long long)at_whole);
			seen[at_whole] = 1;
			cr_assert_str_eq(part[i], whole[at_whole]);
			merged[at_whole] = part[i];	/* moved */
		}
		sum += n;
		free(part);	/* the strings live on in merged */
		cpk_space_free(&p);
	}
	cr_assert_eq(sum, total);
	for (uint64_t i = 0; i < total; i++)
		at += seen[i];
	cr_assert_eq(at, total);
	/* taken in turn the parts give the whole in its order ... */
	digest(merged, total, got);
	cr_assert_eq(memcmp(got, want, 32), 0);
	/* ... and as sets (sorted) the same candidates, none lost */
	qsort(whole, total, sizeof(*whole), by_bytes);
	qsort(merged, total, sizeof(*merged), by_bytes);
	digest(whole, total, want_sorted);
	digest(merged, total, got_sorted);
	cr_assert_eq(memcmp(got_sorted, want_sorted, 32), 0);
	drop(whole, total);
	drop(merged, total);
	free(seen);
	cpk_space_free(&s);
}

Test(part, edges)
{
	cpk_space *s = NULL;
	char out[CPK_SPACE_MAX_PW];

	/* 3 candidates in 5 parts: 1, 1, 1, then two empty parts */
	for (uint32_t k = 1; k <= 5; k++) {
		s = mask_part("?1", (const char *[4]){ "abc", NULL, NULL,
		    NULL }, k, 5);
		cr_assert_eq(cpk_space_total(s), k <= 3 ? 1 : 0);
		if (k <= 3) {
			cr_assert_eq(cpk_space_get(s, 0, out, sizeof(out)),
			    CPK_OK);
			cr_assert_eq(out[0], "abc"[k - 1]);
		}
		cr_assert_eq(cpk_space_get(s, k <= 3, out, sizeof(out)),
		    CPK_E_RANGE);
		cpk_space_free(&s);
	}
	/* one part is the whole; the last part of 10 ends at the end */
	cr_assert_eq(cpk_space_new(0, 0, 0, &s), CPK_OK);
	cr_assert_eq(cpk_space_mask(s, "?d?d", none), CPK_OK);
	cr_assert_eq(cpk_space_part(s, 1, 1), CPK_E_ARG);	/* unfinished */
	cr_assert_eq(cpk_space_finish(s), CPK_OK);
	cr_assert_eq(cpk_space_part(s, 0, 1), CPK_E_ARG);
	cr_assert_eq(cpk_space_part(s, 2, 1), CPK_E_ARG);
	cr_assert_eq(cpk_space_part(s, 1, CPK_SPACE_MAX_PARTS + 1), CPK_E_ARG);
	cr_assert_eq(cpk_space_part(s, 1, 1), CPK_OK);
	cr_assert_eq(cpk_space_total(s), 100);
	cr_assert_eq(cpk_space_part(s, 1, 2), CPK_E_ARG);	/* once only */
	cpk_space_free(&s);
	s = mask_part("?d?d", none, 10, 10);
	cr_assert_eq(cpk_space_total(s), 10);
	cr_assert_eq(cpk_space_get(s, 9, out, sizeof(out)), CPK_OK);
	cr_assert_str_eq(out, "99");
	cr_assert_eq(cpk_space_index(s, 9), 99);
	cpk_space_free(&s);
}

Test(part, long_words_counted)
{
	char text[600];
	cpk_blob *w = NULL;
	cpk_space *s = NULL;
	size_t n = 0;

	/* 127 bytes is a word; 128 and 300 are not, and are counted */
	memset(text, 'a', 127);
	n = 127;
	text[n++] = '\n';
	memset(text + n, 'b', 128);
	n += 128;
	text[n++] = '\n';
	memset(text + n, 'c', 300);
	n += 300;
	text[n++] = '\n';
	memcpy(text + n, "ok\n", 3);
	n += 3;
	cr_assert_eq(cpk_space_new(0, 0, 0, &s), CPK_OK);
	cr_assert_eq(cpk_blob_new(text, n, &w), CPK_OK);
	cr_assert_eq(cpk_space_words(s, w), CPK_OK);
	cr_assert_eq(cpk_space_finish(s), CPK_OK);
	cr_assert_eq(cpk_space_nwords(s), 2);
	cr_assert_eq(cpk_space_long_words(s), 2);
	cpk_blob_free(&w);
	cpk_space_free(&s);
}

static volatile int no_stop;

/* "73" in ?d?d split 4 ways: number 73 of the whole, 73 % 4 = 1, so part
 * 2 holds it; the other three are searched to their end. */
Test(part, one_part_finds_it)
{
	cpk_key *k = fixed_key(3, 1, CPK_P_2012_256, "1.2.643.2.2.36.0",
	    "1.2.643.7.1.1.1.1");
	cpk_new_container nc = { "p", k, NULL, "73", 1, 0, 0, 1, NULL, NULL };
	cpk_files *f = NULL;
	cpk_container *c = NULL;

	cr_assert_eq(cpk_container_create(&nc, &f), CPK_OK);
	cr_assert_eq(cpk_container_decode(f, &c), CPK_OK);
	for (uint32_t part = 1; part <= 4; part++) {
		cpk_space *s = mask_part("?d?d", none, part, 4);
		cpk_recover_opts o = { 2, 0, &no_stop, NULL, NULL };
		cpk_recover_result res;

		cr_assert_eq(cpk_recover(c, s, &o, &res), CPK_OK);
		if (part == 2) {
			cr_assert(res.found);
			cr_assert_str_eq(res.password, "73");
		} else {
			cr_assert_not(res.found, "part %u found it", part);
			cr_assert_eq(res.tried, 25);
			cr_assert_eq(res.next, 25);
		}
		cpk_space_free(&s);
	}
	cpk_container_free(&c);
	cpk_files_free(&f);
	cpk_key_free(&k);
}
