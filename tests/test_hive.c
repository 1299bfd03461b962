/* Offline hives (REGISTRY.md §5): real hive files built with hivex's own
 * write API hold containers under every CryptoPro path, a Cyrillic name
 * among them; they list, load byte for byte and unlock. Damaged hives
 * give an error naming the file. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <hivex.h>

#include "helpers.h"
#include "media.h"
#include "mkhive.h"

#define SID	"S-1-5-21-1111111111-2222222222-3333333333-1001"

static const char *
build(void)
{
	static char path[256];
	cpk_files *a = load_files("samples/flash/good2001.000");
	cpk_files *b = load_files("samples/flash/5f3a9c1d.000");
	cpk_files *c = load_files("samples/flash/good512.000");

	snprintf(path, sizeof(path), "%s/SOFTWARE", temp_dir());
	cr_assert_eq(mkhive_empty(path), 0);
	cr_assert_eq(mkhive_add(path, "WOW6432Node", SID, "good2001", a), 0);
	cr_assert_eq(mkhive_add(path, "", NULL, "Иванов ИИ 2045", b), 0);
	cr_assert_eq(mkhive_add(path, "WOW6432Node", NULL, "good512", c), 0);
	cr_assert_eq(mkhive_profile(path, SID, "C:\\Users\\petrov"), 0);
	cpk_files_free(&a);
	cpk_files_free(&b);
	cpk_files_free(&c);
	return path;
}

Test(hive, lists_and_loads_every_container)
{
	const char *path = build();
	cpk_media *m = NULL;
	const cpk_ref *ref;
	cpk_files *f = NULL, *orig;
	cpk_container *c = NULL;
	cpk_key *k = NULL;
	int seen = 0;

	cr_assert_eq(cpk_media_open(path, &m), CPK_OK);
	while (cpk_media_next(m, &ref) == CPK_OK) {
		cr_assert_str_eq(ref->media, "REGISTRY");
		cr_assert_eq(cpk_media_load(m, ref, &f), CPK_OK);
		if (strcmp(ref->name, "good2001") == 0) {
			cr_assert_str_eq(ref->fqcn, "\\\\.\\REGISTRY\\good2001");
			cr_assert_str_eq(ref->sid, SID);
			cr_assert_str_eq(ref->user, "petrov");
			orig = load_files("samples/flash/good2001.000");
			for (int i = 0; i < CPK_F_COUNT; i++)
				cr_assert(cpk_blob_eq(f->f[i], orig->f[i]));
			cpk_files_free(&orig);
			cr_assert_eq(cpk_container_decode(f, &c), CPK_OK);
			cr_assert_eq(cpk_key_unlock(c, 0, "12345678",
			    CPK_PW_UTF8, &k), CPK_OK);
			cpk_key_free(&k);
			cpk_container_free(&c);
			seen |= 1;
		} else if (strcmp(ref->name, "Иванов ИИ 2045") == 0) {
			cr_assert_null(ref->sid);
			cr_assert_null(ref->user);
			cr_assert_not_null(strstr(ref->location, ":Crypto Pro\\"
			    "Settings\\Keys\\Иванов ИИ 2045"));
			seen |= 2;
		} else if (strcmp(ref->name, "good512") == 0) {
			cr_assert_not_null(strstr(ref->location,
			    ":WOW6432Node\\Crypto Pro\\Settings\\Keys\\good512"));
			seen |= 4;
		}
		cpk_files_free(&f);
	}
	cr_assert_eq(seen, 7);
	cr_assert_null(cpk_media_warning(m, 0));
	cpk_media_close(&m);
}

/* A folder holding a hive and a .reg export lists both. */
Test(hive, found_inside_folders)
{
	const char *path = build();
	char dir[256];
	cpk_media *m = NULL;
	const cpk_ref *ref;
	int n = 0;

	snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(path, '/') - path),
	    path);
	cr_assert_eq(cpk_media_open(dir, &m), CPK_OK);
	while (cpk_media_next(m, &ref) == CPK_OK)
		n++;
	cr_assert_eq(n, 3);
	cpk_media_close(&m);
}

Test(hive, truncated_or_not_a_hive)
{
	const char *path = build();
	char bad[300];
	cpk_media *m = NULL;
	FILE *f;

	const cpk_ref *ref;

	cr_assert_eq(truncate(path, 5000), 0);
	cr_assert_eq(cpk_media_open(path, &m), CPK_OK);
	cr_assert_eq(cpk_media_next(m, &ref), CPK_E_NOT_FOUND);
	cr_assert_not_null(strstr(cpk_media_warning(m, 0),
	    "SOFTWARE: not a readable registry hive"));
	cpk_media_close(&m);
	snprintf(bad, sizeof(bad), "%s.junk", path);
	cr_assert_not_null(f = fopen(bad, "wb"));
	fputs("regf and then nothing a hive would hold", f);
	fclose(f);
	cr_assert_eq(cpk_media_open(bad, &m), CPK_OK);
	cr_assert_eq(cpk_media_next(m, &ref), CPK_E_NOT_FOUND);
	cr_assert_not_null(strstr(cpk_media_warning(m, 0), ".junk: not a "
	    "readable registry hive"));
	cpk_media_close(&m);
}

/* A value that is not REG_BINARY is reported, not loaded. */
Test(hive, value_not_binary)
{
	const char *path = build();
	hive_h *h = hivex_open(path, HIVEX_OPEN_WRITE);
	hive_node_h n;
	char key[] = "header.key", data[] = "x\0\0";
	hive_set_value v = { key, hive_t_REG_SZ, 4, data };
	cpk_media *m = NULL;
	const cpk_ref *ref;
	cpk_files *f = NULL;

	cr_assert_not_null(h);
	n = hivex_node_get_child(h, hivex_root(h), "WOW6432Node");
	n = hivex_node_get_child(h, n, "Crypto Pro");
	n = hivex_node_get_child(h, n, "Settings");
	n = hivex_node_get_child(h, n, "Keys");
	n = hivex_node_get_child(h, n, "good512");
	cr_assert_neq(n, 0);
	cr_assert_eq(hivex_node_set_value(h, n, &v, 0), 0);
	cr_assert_eq(hivex_commit(h, NULL, 0), 0);
	hivex_close(h);
	cr_assert_eq(cpk_media_open(path, &m), CPK_OK);
	while (cpk_media_next(m, &ref) == CPK_OK)
		if (strcmp(ref->name, "good512") == 0) {
			cr_assert_eq(cpk_media_load(m, ref, &f), CPK_OK);
			cr_assert_null(f->f[CPK_F_HEADER]);
			cr_assert_eq(f->err[CPK_F_HEADER], CPK_E_FORMAT);
			cpk_files_free(&f);
		}
	cr_assert_not_null(strstr(cpk_media_warning(m, 0),
	    "value \"header.key\" is not REG_BINARY"));
	cpk_media_close(&m);
}

static size_t
count_and_close(cpk_media **m)
{
	const cpk_ref *ref;
	size_t n = 0;

	while (cpk_media_next(*m, &ref) == CPK_OK)
		n++;
	cpk_media_close(m);
	return n;
}

/* A hive that Windows did not flush: the secondary sequence number is
 * bumped and the header checksum (XOR of its first 127 dwords, at 0x1FC)
 * made right again, as on a real dirty hive, which hivex still opens. */
Test(hive, dirty_header_is_a_warning)
{
	const char *path = build();
	unsigned char hdr[512];
	uint32_t sum = 0, v;
	cpk_media *m = NULL;
	FILE *fp;

	cr_assert_not_null(fp = fopen(path, "r+b"));
	cr_assert_eq(fread(hdr, 1, sizeof(hdr), fp), sizeof(hdr));
	hdr[8]++;
	for (int i = 0; i < 127; i++) {
		memcpy(&v, hdr + 4 * i, 4);	/* little-endian host */
		sum ^= v;
	}
	memcpy(hdr + 0x1fc, &sum, 4);
	cr_assert_eq(fseek(fp, 0, SEEK_SET), 0);
	cr_assert_eq(fwrite(hdr, 1, sizeof(hdr), fp), sizeof(hdr));
	cr_assert_eq(fclose(fp), 0);
	cr_assert_eq(cpk_media_open(path, &m), CPK_OK);
	cr_assert_not_null(cpk_media_warning(m, 0));
	cr_assert_not_null(strstr(cpk_media_warning(m, 0),
	    "was not cleanly saved"), "%s", cpk_media_warning(m, 0));
	cr_assert_eq(count_and_close(&m), 3);
}

/* Transaction logs newer than the hive are named; older ones are not. */
Test(hive, newer_log_is_a_warning)
{
	const char *path = build();
	char log[300];
	cpk_media *m = NULL;
	struct timespec t[2] = { { 0, UTIME_NOW }, { 0, 0 } };
	FILE *fp;

	snprintf(log, sizeof(log), "%s.LOG1", path);
	cr_assert_not_null(fp = fopen(log, "wb"));
	cr_assert_eq(fputs("log", fp) >= 0, 1);
	cr_assert_eq(fclose(fp), 0);
	t[1].tv_sec = time(NULL) - 3600;	/* an hour older than the hive */
	cr_assert_eq(utimensat(AT_FDCWD, log, t, 0), 0);
	cr_assert_eq(cpk_media_open(path, &m), CPK_OK);
	cr_assert_null(cpk_media_warning(m, 0));
	cpk_media_close(&m);
	t[1].tv_sec = time(NULL) + 3600;	/* an hour newer */
	cr_assert_eq(utimensat(AT_FDCWD, log, t, 0), 0);
	cr_assert_eq(cpk_media_open(path, &m), CPK_OK);
	cr_assert_not_null(cpk_media_warning(m, 0));
	cr_assert_not_null(strstr(cpk_media_warning(m, 0),
	    "SOFTWARE.LOG1 is newer than the hive"));
	cr_assert_null(cpk_media_warning(m, 1));
	cr_assert_eq(count_and_close(&m), 3);
}
