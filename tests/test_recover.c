/* The password search: the candidate space's numbering (masks, custom
 * UTF-8 sets, incremental lengths, words with mask suffixes) and the
 * search itself on containers with known passwords, with 1 and 2 threads,
 * a stop and a resume. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "recovery.h"

static const char *const none[4] = { NULL, NULL, NULL, NULL };

static void
get_is(const cpk_space *s, uint64_t i, const char *want)
{
	char out[CPK_SPACE_MAX_PW];

	cr_assert_eq(cpk_space_get(s, i, out, sizeof(out)), CPK_OK);
	cr_assert_str_eq(out, want, "candidate %llu", (unsigned long long)i);
}

Test(space, mask_numbering)
{
	cpk_space *s = NULL;

	cr_assert_eq(cpk_space_new(0, 0, 0, &s), CPK_OK);
	cr_assert_eq(cpk_space_mask(s, "a?d?l", none), CPK_OK);
	cr_assert_eq(cpk_space_finish(s), CPK_OK);
	cr_assert_eq(cpk_space_total(s), 260);
	get_is(s, 0, "a0a");
	get_is(s, 1, "a0b");
	get_is(s, 26, "a1a");
	get_is(s, 259, "a9z");
	cr_assert_eq(cpk_space_get(s, 260, (char[8]){ 0 }, 8), CPK_E_RANGE);
	cpk_space_free(&s);
	cr_assert_null(s);
	cpk_space_free(&s);	/* a no-op once freed */
}

Test(space, incremental_lengths_and_sets)
{
	const char *custom[4] = { "аб", NULL, NULL, NULL };
	cpk_space *s = NULL;

	cr_assert_eq(cpk_space_new(0, 1, 3, &s), CPK_OK);
	cr_assert_eq(cpk_space_mask(s, "?1?d??", custom), CPK_OK);
	cr_assert_eq(cpk_space_finish(s), CPK_OK);
	cr_assert_eq(cpk_space_total(s), 2 + 20 + 20);
	get_is(s, 0, "а");
	get_is(s, 1, "б");
	get_is(s, 2, "а0");
	get_is(s, 21, "б9");
	get_is(s, 22, "а0?");
	cpk_space_free(&s);
	cr_assert_eq(cpk_space_new(0, 0, 0, &s), CPK_OK);
	cr_assert_eq(cpk_space_mask(s, "?3", custom), CPK_E_ARG);
	cpk_space_free(&s);
	/* a custom set ending in a cut UTF-8 character (fuzz_space found
	 * it read past the end) */
	cr_assert_eq(cpk_space_new(0, 0, 0, &s), CPK_OK);
	custom[1] = "б\xd0";
	cr_assert_eq(cpk_space_mask(s, "?2", custom), CPK_E_ARG);
	cpk_space_free(&s);
	cr_assert_eq(cpk_space_new(0, 0, 0, &s), CPK_OK);
	cr_assert_eq(cpk_space_mask(s, "?a?a?a?a?a?a?a?a?a?a?a?a", none),
	    CPK_OK);
	cr_assert_eq(cpk_space_finish(s), CPK_E_RANGE);	/* 95^12 */
	cpk_space_free(&s);
}

Test(space, defaults_words_and_suffixes)
{
	cpk_blob *w = NULL;
	cpk_space *s = NULL;

	cr_assert_eq(cpk_space_new(1, 0, 0, &s), CPK_OK);
	cr_assert_eq(cpk_blob_new("alpha\r\n\nbeta\n", 13, &w), CPK_OK);
	cr_assert_eq(cpk_space_words(s, w), CPK_OK);
	cr_assert_eq(cpk_space_mask(s, "?d", none), CPK_OK);
	cr_assert_eq(cpk_space_finish(s), CPK_OK);
	cr_assert_eq(cpk_space_nwords(s), 2);
	get_is(s, 0, "");		/* the empty password first */
	get_is(s, 1, "12345678");
	get_is(s, 25, "alpha0");
	get_is(s, 34, "alpha9");
	get_is(s, 35, "beta0");
	cr_assert_eq(cpk_space_total(s), 25 + 20);
	cpk_blob_free(&w);
	cpk_space_free(&s);
}

Test(space, nul_bytes_drop_their_line_only)
{
	/* a NUL used to end the whole list: "c" and "d" were lost */
	static const char text[] = "a\0b\nc\r\nd";
	cpk_blob *w = NULL;
	cpk_space *s = NULL;

	cr_assert_eq(cpk_space_new(0, 0, 0, &s), CPK_OK);
	cr_assert_eq(cpk_blob_new(text, sizeof(text) - 1, &w), CPK_OK);
	cr_assert_eq(cpk_space_words(s, w), CPK_OK);
	cr_assert_eq(cpk_space_finish(s), CPK_OK);
	cr_assert_eq(cpk_space_nwords(s), 2);
	cr_assert_eq(cpk_space_long_words(s), 0);	/* junk, not long */
	get_is(s, 0, "c");
	get_is(s, 1, "d");
	cpk_blob_free(&w);
	cpk_space_free(&s);
}

static cpk_container *
made(const char *pw, const char *curve, enum cpk_profile p, const char *alg)
{
	const cpk_curve *c = cpk_curve_by_oid(curve);
	unsigned char d[64];
	cpk_key *k = NULL;
	cpk_files *f = NULL;
	cpk_container *out = NULL;

	for (size_t i = 0; i < sizeof(d); i++)
		d[i] = (unsigned char)(i * 3 + 1);
	d[cpk_curve_len(c) - 1] = 1;
	cr_assert_eq(cpk_key_from_scalar(p, c, alg, d, cpk_curve_len(c), &k),
	    CPK_OK);
	cpk_new_container nc = { "r", k, NULL, pw, 1, 0, 0, 1, NULL, NULL };
	cr_assert_eq(cpk_container_create(&nc, &f), CPK_OK);
	cr_assert_eq(cpk_container_decode(f, &out), CPK_OK);
	cpk_files_free(&f);
	cpk_key_free(&k);
	return out;
}

static volatile int no_stop;

static void
find(cpk_container *c, const char *mask, const char *const custom[4],
    unsigned threads, const char *want, const char *proof)
{
	cpk_space *s = NULL;
	cpk_recover_opts o = { threads, 0, &no_stop, NULL, NULL };
	cpk_recover_result res;

	cr_assert_eq(cpk_space_new(0, 0, 0, &s), CPK_OK);
	cr_assert_eq(cpk_space_mask(s, mask, custom), CPK_OK);
	cr_assert_eq(cpk_space_finish(s), CPK_OK);
	cr_assert_eq(cpk_recover(c, s, &o, &res), CPK_OK);
	if (want == NULL) {
		cr_assert_not(res.found);
		/* honestly exhausted */
		cr_assert_eq(res.tried, cpk_space_total(s));
		cr_assert_eq(res.next, cpk_space_total(s));
	} else {
		cr_assert(res.found, "%s not found", want);
		cr_assert_str_eq(res.password, want);
		cr_assert_str_eq(res.proof, proof);
	}
	cpk_space_free(&s);
}

Test(recover, digits_letters_cyrillic_empty)
{
	const char *ru[4] = { "абвгде", NULL, NULL, NULL };
	cpk_container *c;

	c = made("731", "1.2.643.2.2.36.0", CPK_P_2012_256,
	    "1.2.643.7.1.1.1.1");
	find(c, "?d?d?d", none, 2, "731", "password MAC");
	find(c, "?d?d", none, 1, NULL, NULL);
	cpk_container_free(&c);
	c = made("kz", "1.2.643.2.2.35.1", CPK_P_2001, "1.2.643.2.2.19");
	find(c, "?l?l", none, 1, "kz", "password MAC");
	cpk_container_free(&c);
	c = made("где", "1.2.643.7.1.2.1.2.1", CPK_P_2012_512,
	    "1.2.643.7.1.1.1.2");
	find(c, "?1?1?1", ru, 2, "где", "password MAC");
	cpk_container_free(&c);
	/* no password set: bit 0 clear, the fingerprint decides */
	c = made("", "1.2.643.2.2.36.0", CPK_P_2012_256, "1.2.643.7.1.1.1.1");
	{
		cpk_space *s = NULL;
		cpk_recover_opts o = { 1, 0, &no_stop, NULL, NULL };
		cpk_recover_result res;

		cr_assert_eq(cpk_space_new(1, 0, 0, &s), CPK_OK);
		cr_assert_eq(cpk_space_finish(s), CPK_OK);
		cr_assert_eq(cpk_recover(c, s, &o, &res), CPK_OK);
		cr_assert(res.found);
		cr_assert_str_eq(res.password, "");
		cr_assert_str_eq(res.proof, "fingerprint");
		cpk_space_free(&s);
	}
	cpk_container_free(&c);
}

static volatile int stop_now;
static uint64_t last_resume;
static int resume_broken;

/* The resume index handed to progress never passes the candidates tried
 * and never goes back: a state saved from it loses nothing. */
static void
stopper(uint64_t done, uint64_t resume, uint64_t total, double rate,
    void *arg)
{
	(void)total;
	(void)rate;
	(void)arg;
	if (resume > done || resume < last_resume)
		resume_broken = 1;
	last_resume = resume;
	if (done >= 40)
		stop_now = 1;
}

/* Stopped part-way, resumed from the returned index: no candidate is
 * skipped and the password is found. */
Test(recover, stop_and_resume)
{
	cpk_container *c = made("0777", "1.2.643.2.2.36.0", CPK_P_2012_256,
	    "1.2.643.7.1.1.1.1");
	cpk_space *s = NULL;
	cpk_recover_opts o = { 2, 0, &stop_now, stopper, NULL };
	cpk_recover_result res;

	cr_assert_eq(cpk_space_new(0, 0, 0, &s), CPK_OK);
	cr_assert_eq(cpk_space_mask(s, "?d?d?d?d", none), CPK_OK);
	cr_assert_eq(cpk_space_finish(s), CPK_OK);
	cr_assert_eq(cpk_recover(c, s, &o, &res), CPK_OK);
	cr_assert_not(res.found);
	cr_assert_gt(res.next, 0);
	cr_assert_lt(res.next, 777);
	cr_assert_not(resume_broken);
	cr_assert_geq(res.next, last_resume);
	stop_now = 0;
	o.start = res.next;
	o.progress = NULL;
	cr_assert_eq(cpk_recover(c, s, &o, &res), CPK_OK);
	cr_assert(res.found);
	cr_assert_str_eq(res.password, "0777");
	cpk_space_free(&s);
	cpk_container_free(&c);
}
