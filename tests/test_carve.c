/* Carving on hostile images (issue 14 point 8): the claims the raw pass
 * asks about, FAT chains that loop (the fuzz_fat seeds that
 * tests/fuzz/mkseeds_fat.sh makes), and images that are no images. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "../recovery/internal.h"

Test(carve, claims_sorted_and_merged)
{
	cpk_carve_result res;

	memset(&res, 0, sizeof(res));
	cpk_carve_claim(&res, 100, 10);
	cpk_carve_claim(&res, 50, 10);
	cpk_carve_claim(&res, 105, 20);
	cpk_carve_claim(&res, 200, 0);		/* nothing */
	cpk_carve_claim(&res, 55, 3);
	cpk_carve_claim(&res, UINT64_MAX - 1, 5);	/* wraps: refused */
	cpk_carve_claims_sort(&res);
	cr_assert_eq(res.nclaims, 2);
	cr_assert_eq(res.claims[0][0], 50);
	cr_assert_eq(res.claims[0][1], 10);
	cr_assert_eq(res.claims[1][0], 100);
	cr_assert_eq(res.claims[1][1], 25);
	cr_assert_not(cpk_carve_claimed(&res, 49));
	cr_assert(cpk_carve_claimed(&res, 50));
	cr_assert(cpk_carve_claimed(&res, 59));
	cr_assert_not(cpk_carve_claimed(&res, 60));
	cr_assert_not(cpk_carve_claimed(&res, 99));
	cr_assert(cpk_carve_claimed(&res, 124));
	cr_assert_not(cpk_carve_claimed(&res, 125));
	cr_assert_not(cpk_carve_claimed(&res, UINT64_MAX));
	cpk_carve_result_clear(&res);
}

/* 300,000 claims and a million questions: a linear search took minutes */
Test(carve, many_claims, .timeout = 20)
{
	cpk_carve_result res;
	size_t hits = 0;

	memset(&res, 0, sizeof(res));
	for (uint64_t i = 300000; i-- > 0;)
		cpk_carve_claim(&res, i * 1000, 100);
	cr_assert_eq(res.nclaims, 300000);
	cpk_carve_claims_sort(&res);
	for (uint64_t off = 0; off < 300000000; off += 300)
		hits += (size_t)cpk_carve_claimed(&res, off);
	cr_assert_eq(hits, 100000);	/* 0, 3000, 6000, ...: one in ten */
	cpk_carve_result_clear(&res);
}

static const cpk_blob *
good2001_header(void)
{
	static cpk_files *f;

	if (f == NULL)
		cr_assert_eq(cpk_files_read_dir("samples/flash/good2001.000",
		    &f), CPK_OK);
	return f->f[CPK_F_HEADER];
}

/* Carves one seed; the deleted good2001 must be among the results. */
static void
carve_seed(const char *name, cpk_carve_result *res)
{
	char path[256];
	cpk_carve_opts o = { NULL, NULL, NULL, 0 };
	cpk_image *img = NULL;
	int found = 0;

	snprintf(path, sizeof(path), "tests/fuzz/corpus/fat/%s", name);
	cr_assert_eq(cpk_image_open(path, &img), CPK_OK, "%s", path);
	cr_assert_eq(cpk_carve(img, &o, res), CPK_OK, "%s", name);
	cpk_image_free(&img);
	cr_assert_str_eq(res->fs, "FAT12");
	for (size_t i = 0; i < res->n; i++)
		found |= res->v[i].deleted && cpk_blob_eq(
		    res->v[i].files->f[CPK_F_HEADER], good2001_header());
	cr_assert(found, "%s: the deleted good2001 is not carved", name);
}

static int
noted(const cpk_carve_result *res, const char *what)
{
	for (size_t i = 0; i < res->nnotes; i++)
		if (strstr(res->notes[i], what) != NULL)
			return 1;
	return 0;
}

Test(carve, looping_chains_end)
{
	static const char *seeds[] = { "fat12-dir-self.img",
	    "fat12-dir-loop.img", "fat12-file-self.img",
	    "fat12-file-loop.img" };
	cpk_carve_result res;

	for (size_t i = 0; i < 4; i++) {
		carve_seed(seeds[i], &res);
		cr_assert(noted(&res, "a FAT cluster chain loops"), "%s",
		    seeds[i]);
		cpk_carve_result_clear(&res);
	}
}

/* a live primary.key of 0xFFFFFFF0 bytes on a self-loop is not read */
Test(carve, huge_live_file)
{
	cpk_carve_result res;
	int seen = 0;

	carve_seed("fat12-huge.img", &res);
	for (size_t i = 0; i < res.n; i++)
		if (res.v[i].files->err[CPK_F_PRIMARY] == CPK_E_TOO_BIG) {
			cr_assert_eq(res.v[i].files->size[CPK_F_PRIMARY],
			    0xfffffff0u);
			cr_assert_null(res.v[i].files->f[CPK_F_PRIMARY]);
			seen = 1;
		}
	cr_assert(seen);
	cpk_carve_result_clear(&res);
}

/* A FIFO would block open(): refused before it is opened. */
Test(carve, fifo_refused)
{
	char dir[] = "/tmp/cpkit-test.XXXXXX", path[64];
	cpk_image *img = NULL;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/pipe.img", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_assert_eq(cpk_image_open(path, &img), CPK_E_FORMAT);
	cpk_image_free(&img);
	cr_assert_eq(cpk_image_open(dir, &img), CPK_E_FORMAT);
	cpk_image_free(&img);
	unlink(path);
	rmdir(dir);
	cr_assert_eq(cpk_image_open("/nonexistent/x.img", &img),
	    CPK_E_NOT_FOUND);
	cpk_image_free(&img);
}

/* Folder names never depend on chance (issue 15): a Cyrillic name gets
 * the same hash in every run, a second one of the same name .001. */
Test(carve, folder_names_deterministic)
{
	const char *dir = temp_dir();
	char a[512], b[512];

	cr_assert_eq(cpk_carve_folder_name(dir, "Иванов ИИ 2045", a,
	    sizeof(a)), CPK_OK);
	cr_assert_eq(cpk_carve_folder_name(dir, "Иванов ИИ 2045", b,
	    sizeof(b)), CPK_OK);
	cr_assert_str_eq(a, b);
	cr_assert(strstr(a, "/ed821f69.000") != NULL, "%s", a);
	cr_assert_eq(mkdir(a, 0700), 0);
	cr_assert_eq(cpk_carve_folder_name(dir, "Иванов ИИ 2045", b,
	    sizeof(b)), CPK_OK);
	cr_assert(strstr(b, "/ed821f69.001") != NULL, "%s", b);
	cr_assert_eq(cpk_carve_folder_name(dir, "good2012-256", b,
	    sizeof(b)), CPK_OK);
	cr_assert(strstr(b, "/good2012.000") != NULL, "%s", b);
}
