/* Files from a medium (issue 14): a link is never followed, a FIFO never
 * opened for reading, errno becomes the right cpk_err, and a walk cut
 * short by a limit says so. Each test works in its own temporary folder
 * and removes it. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "media.h"
#include "internal.h"

static char dir[64];

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(p) : unlink(p);
}

static void
setup(void)
{
	strcpy(dir, "/tmp/cpkit-test-fileio.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *
at(const char *name)
{
	static char p[4][128];
	static unsigned slot;
	char *b = p[slot++ % 4];

	snprintf(b, 128, "%s/%s", dir, name);
	return b;
}

static void
put(const char *name, const char *text)
{
	FILE *f = fopen(at(name), "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

TestSuite(fileio, .init = setup, .fini = teardown);

Test(fileio, link_not_followed)
{
	cpk_blob *b = NULL;

	put("secret", "ENGINEER");
	cr_assert_eq(symlink(at("secret"), at("masks.key")), 0);
	cr_assert_eq(cpk_file_read(at("masks.key"), 100, &b), CPK_E_LINK);
	cr_assert_null(b);
	/* typed by the user: followed */
	cr_assert_eq(cpk_file_read_given(at("masks.key"), 100, &b), CPK_OK);
	cr_assert_eq(b->len, 8);
	cr_assert_eq(memcmp(b->ptr, "ENGINEER", 8), 0);
	cpk_blob_free(&b);
}

Test(fileio, dangling_link)
{
	cpk_blob *b = NULL;

	cr_assert_eq(symlink("/nonexistent/x", at("name.key")), 0);
	cr_assert_eq(cpk_file_read(at("name.key"), 100, &b), CPK_E_LINK);
	/* issue 17 §3: a path the user gave that is not there */
	cr_assert_eq(cpk_file_read_given(at("name.key"), 100, &b),
	    CPK_E_NO_PATH);
}

Test(fileio, fifo_not_regular)
{
	cpk_blob *b = NULL;

	cr_assert_eq(mkfifo(at("header.key"), 0600), 0);
	cr_assert_eq(cpk_file_read(at("header.key"), 100, &b),
	    CPK_E_NOT_REGULAR);
	cr_assert_eq(cpk_file_read_given(at("header.key"), 100, &b),
	    CPK_E_NOT_REGULAR);
	cr_assert_null(b);
}

Test(fileio, read_dir_names_the_target)
{
	char target[400];
	cpk_files *f = NULL;

	put("name.key", "x");
	cr_assert_eq(symlink("../elsewhere/masks2", at("masks2.key")), 0);
	/* a target longer than the 200 bytes shown */
	memset(target, 'a', sizeof(target) - 1);
	target[sizeof(target) - 1] = '\0';
	cr_assert_eq(symlink(target, at("header.key")), 0);
	cr_assert_eq(cpk_files_read_dir(dir, &f), CPK_OK);
	cr_assert_eq(f->err[CPK_F_NAME], CPK_OK);
	cr_assert_null(f->link[CPK_F_NAME]);
	cr_assert_eq(f->err[CPK_F_MASKS2], CPK_E_LINK);
	cr_assert_null(f->f[CPK_F_MASKS2]);
	cr_assert_str_eq(f->link[CPK_F_MASKS2], "../elsewhere/masks2");
	cr_assert_eq(f->err[CPK_F_HEADER], CPK_E_LINK);
	cr_assert_eq(strlen(f->link[CPK_F_HEADER]), 203);
	cr_assert_str_eq(f->link[CPK_F_HEADER] + 200, "...");
	cr_assert_eq(f->err[CPK_F_PRIMARY], CPK_E_MISSING);
	cpk_files_free(&f);
}

Test(fileio, errno_mapping)
{
	cr_assert_eq(cpk_err_from_errno(ENOSPC), CPK_E_NO_SPACE);
	cr_assert_eq(cpk_err_from_errno(EDQUOT), CPK_E_NO_SPACE);
	cr_assert_eq(cpk_err_from_errno(EIO), CPK_E_IO);
	cr_assert_eq(cpk_err_from_errno(ENOENT), CPK_E_MISSING);
	cr_assert_eq(cpk_err_from_errno(EEXIST), CPK_E_EXISTS);
	cr_assert_str_eq(cpk_err_name(CPK_E_NO_SPACE), "CPK_E_NO_SPACE");
	cr_assert_str_eq(cpk_err_text(CPK_E_NO_SPACE),
	    "no space left on device");
}

/* 34 levels: deeper than the walk's 32, so the media names the cut */
Test(fileio, depth_limit_is_a_cut)
{
	char p[PATH_MAX];
	cpk_media *m = NULL;
	const char *cut;

	snprintf(p, sizeof(p), "%s", dir);
	for (int i = 0; i < 34; i++) {
		strcat(p, "/d");
		cr_assert_eq(mkdir(p, 0700), 0);
	}
	cr_assert_eq(cpk_media_open(dir, &m), CPK_OK);
	cut = cpk_media_limit(m, 0);
	cr_assert_not_null(cut);
	cr_assert_not_null(strstr(cut, "too deep (over 32 levels)"));
	cr_assert_null(cpk_media_limit(m, 1));
	cpk_media_close(&m);
	/* a shallow tree: no cut */
	cr_assert_eq(cpk_media_open(at("d/d"), &m), CPK_OK);
	cr_assert_null(cpk_media_limit(m, 0));
	cpk_media_close(&m);
}

/* issue 17 §3: a file or container written into a folder that is not
 * there says so with its own code (a usage error), not the "required
 * file missing" of a container's file */
Test(fileio, write_into_missing_folder)
{
	static unsigned char byte = 0x30;
	cpk_blob b = { &byte, 1, 1 };
	cpk_files *f = NULL;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/nosuch/out.reg", dir);
	cr_assert_eq(cpk_file_write_atomic(path, &b, 0600), CPK_E_NO_FOLDER);
	cr_assert_eq(cpk_files_new(&f), CPK_OK);
	snprintf(path, sizeof(path), "%s/nosuch/c.000", dir);
	cr_assert_eq(cpk_files_write_dir(f, path), CPK_E_NO_FOLDER);
	cpk_files_free(&f);
	cr_assert_eq(cpk_err_class(CPK_E_NO_FOLDER), CPK_ERRCLASS_USAGE);
	cr_assert_str_eq(cpk_err_text(CPK_E_NO_FOLDER),
	    "its folder does not exist");
}
