/* The .reg reader's key lookup (media/strmap.c, issue 14 point 7):
 * SipHash-2-4 against the published vectors, the map over many keys, and
 * what a key written twice in one .reg becomes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "media_int.h"

static const unsigned char key16[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    11, 12, 13, 14, 15 };

/* The paper's appendix (key 00..0f, message 00..0e) and the empty
 * message, also what `openssl mac -macopt hexkey:0001..0f SIPHASH` says. */
Test(strmap, siphash_vectors)
{
	unsigned char m[15];

	for (int i = 0; i < 15; i++)
		m[i] = (unsigned char)i;
	cr_assert_eq(cpk_siphash(key16, m, 15, 0), 0xa129ca6149be45e5ULL);
	cr_assert_eq(cpk_siphash(key16, m, 0, 0), 0x726fdb47dd0e0e31ULL);
	/* fold_case reads A-Z as a-z and nothing else */
	cr_assert_eq(cpk_siphash(key16, "HKLM\\Software", 13, 1),
	    0x5282b5986f5917dcULL);
	cr_assert_eq(cpk_siphash(key16, "hklm\\software", 13, 0),
	    0x5282b5986f5917dcULL);
	cr_assert_neq(cpk_siphash(key16, "\xd0\x90", 2, 1),
	    cpk_siphash(key16, "\xd0\xb0", 2, 1));	/* А, а */
}

static int
get(const cpk_strmap *m, const char *s, size_t *v)
{
	return cpk_strmap_get(m, s, cpk_strmap_hash(m, s), v);
}

static cpk_err
put(cpk_strmap *m, const char *s, size_t v)
{
	return cpk_strmap_put(m, s, cpk_strmap_hash(m, s), v);
}

Test(strmap, many_keys_without_case)
{
	enum { N = 50000 };
	char **k = calloc(N, sizeof(*k)), up[64];
	cpk_strmap m;
	size_t v;

	cr_assert_not_null(k);
	cr_assert_eq(cpk_strmap_init(&m), CPK_OK);
	cr_assert_eq(get(&m, "x", &v), 0);	/* empty map */
	for (size_t i = 0; i < N; i++) {
		cr_assert_not_null(k[i] = malloc(32));
		snprintf(k[i], 32, "keys\\c%07zu", i);
		cr_assert_eq(put(&m, k[i], i), CPK_OK);
	}
	cr_assert_eq(m.n, N);
	cr_assert_leq(m.n * 2, m.cap);		/* at most half full */
	for (size_t i = 0; i < N; i++) {
		snprintf(up, sizeof(up), "KEYS\\C%07zu", i);
		cr_assert_eq(get(&m, up, &v), 1, "%s", up);
		cr_assert_eq(v, i);
	}
	cr_assert_eq(get(&m, "keys\\c0050000", &v), 0);
	cr_assert_eq(get(&m, "keys\\c000000", &v), 0);
	cr_assert_eq(put(&m, "KEYS\\C0000007", 99), CPK_OK);
	cr_assert_eq(m.n, N);			/* replaced, not added */
	cr_assert_eq(get(&m, k[7], &v), 1);
	cr_assert_eq(v, 99);
	cpk_strmap_clear(&m);
	cr_assert_null(m.slot);
	for (size_t i = 0; i < N; i++)
		free(k[i]);
	free(k);
}

static char *
hexs(const cpk_blob *b)
{
	static char s[256];

	s[0] = '\0';
	for (size_t i = 0; b != NULL && i < b->len && i < 100; i++)
		sprintf(s + 2 * i, "%02x", b->ptr[i]);
	return s;
}

/* A key written twice (ASCII case aside) is one container, as regedit
 * imports it: the first line names it, a later value replaces an earlier
 * one, values of either section are kept. Non-ASCII letters are compared
 * as bytes, as the reader always did. */
Test(reg_lookup, repeated_key_merges)
{
	const char *t = "Windows Registry Editor Version 5.00\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Keys\\a]\r\n"
	    "\"name.key\"=hex:30,03,16,01,61\r\n"
	    "\"masks.key\"=hex:01\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Keys\\b]\r\n"
	    "\"name.key\"=hex:30,03,16,01,62\r\n\r\n"
	    "[hkey_local_machine\\software\\crypto pro\\settings\\keys\\A]\r\n"
	    "\"masks.key\"=hex:02\r\n"
	    "\"primary.key\"=hex:03\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Keys\\"
	    "\xd0\x90]\r\n\"masks.key\"=hex:04\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Keys\\"
	    "\xd0\xb0]\r\n\"masks.key\"=hex:05\r\n";
	cpk_regfile rf;

	cr_assert_eq(cpk_regfile_parse((const unsigned char *)t, strlen(t),
	    &rf), CPK_OK);
	cr_assert_eq(rf.n, 4);
	cr_assert_str_eq(rf.v[0].name, "a");
	cr_assert_eq(rf.v[0].line, 3);
	cr_assert_str_eq(hexs(rf.v[0].files->f[CPK_F_NAME]), "3003160161");
	cr_assert_str_eq(hexs(rf.v[0].files->f[CPK_F_MASKS]), "02");
	cr_assert_str_eq(hexs(rf.v[0].files->f[CPK_F_PRIMARY]), "03");
	cr_assert_str_eq(rf.v[1].name, "b");
	cr_assert_null(rf.v[1].files->f[CPK_F_MASKS]);
	cr_assert_str_eq(rf.v[2].name, "\xd0\x90");
	cr_assert_str_eq(hexs(rf.v[2].files->f[CPK_F_MASKS]), "04");
	cr_assert_str_eq(rf.v[3].name, "\xd0\xb0");
	cr_assert_eq(rf.nwarn, 0);
	cr_assert_null(rf.byname.slot);		/* freed after parsing */
	cpk_regfile_clear(&rf);
}

/* 100,000 container keys, each written twice: 100,000 containers, the
 * second section's value in each (a linear search took minutes here). */
Test(reg_lookup, hundred_thousand_keys_twice, .timeout = 60)
{
	enum { N = 100000 };
	const char *fmt = "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings"
	    "\\Keys\\c%06d]\r\n\"masks.key\"=hex:%02x\r\n\r\n";
	size_t cap = 64 + 2 * (size_t)N * 100, len;
	char *t = malloc(cap);
	cpk_regfile rf;

	cr_assert_not_null(t);
	len = (size_t)sprintf(t, "REGEDIT4\r\n\r\n");
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < N; i++)
			len += (size_t)snprintf(t + len, cap - len, fmt, i,
			    pass);
	cr_assert_eq(cpk_regfile_parse((const unsigned char *)t, len, &rf),
	    CPK_OK);
	cr_assert_eq(rf.n, N);
	for (size_t i = 0; i < N; i += 997) {
		char want[16];
		snprintf(want, sizeof(want), "c%06zu", i);
		cr_assert_str_eq(rf.v[i].name, want);
		cr_assert_eq(rf.v[i].line, 3 + 3 * i);
		cr_assert_str_eq(hexs(rf.v[i].files->f[CPK_F_MASKS]), "01");
	}
	cpk_regfile_clear(&rf);
	free(t);
}

/* A file of more than 200,000 container keys: the first 200,000 are read
 * (a later section of one of them still merges), the rest named once. */
Test(reg_lookup, containers_capped, .timeout = 60)
{
	enum { N = 200005 };
	const char *fmt = "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings"
	    "\\Keys\\c%06d]\r\n\"masks.key\"=hex:%02x\r\n\r\n";
	size_t cap = 64 + (size_t)(N + 1) * 100, len;
	char *t = malloc(cap);
	cpk_regfile rf;

	cr_assert_not_null(t);
	len = (size_t)sprintf(t, "REGEDIT4\r\n\r\n");
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(t + len, cap - len, fmt, i, 1);
	len += (size_t)snprintf(t + len, cap - len, fmt, 7, 2);
	cr_assert_eq(cpk_regfile_parse((const unsigned char *)t, len, &rf),
	    CPK_OK);
	cr_assert_eq(rf.n, 200000);
	cr_assert_str_eq(rf.v[199999].name, "c199999");
	cr_assert_str_eq(hexs(rf.v[7].files->f[CPK_F_MASKS]), "02");
	cr_assert_eq(rf.nwarn, 1);
	cr_assert_str_eq(rf.warn[0], "line 600003: more than 200000 "
	    "containers: this one and the ones after it are not read");
	cpk_regfile_clear(&rf);
	free(t);
}
