/* .reg files (REGISTRY.md §3): the writer's exact bytes, round trips of
 * every fixture and sample, the reader's tolerance and its bad inputs. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "helpers.h"
#include "media_int.h"
#include "mkhive.h"

#define SID	"S-1-5-21-1111111111-2222222222-3333333333-1001"

static cpk_blob *
export_one(const char *name, const cpk_files *f, const char *sid, int r4)
{
	cpk_reg_entry e = { name, f, NULL };
	cpk_reg_opts o = { sid, 1, r4 };
	cpk_blob *b = NULL;

	cr_assert_eq(cpk_reg_export(&e, 1, &o, &b), CPK_OK);
	return b;
}

static char *
as_utf8(const cpk_blob *b)
{
	cpk_regtext t;
	size_t bad;
	char *s;

	cr_assert_eq(cpk_regtext_decode(b->ptr, b->len, &t, &bad), CPK_OK);
	s = strdup((const char *)t.text->ptr);
	cpk_regtext_clear(&t);
	return s;
}

/* The byte-exact lines of REGISTRY.md §3.2 for the g2001 fixture. */
Test(reg, writer_matches_regedit)
{
	const char *dir = fixture_copy("cpcert-samples/g2001.000");
	cpk_files *f;
	cpk_blob *b;
	char *s;

	if (dir == NULL)
		cr_skip_test("../shared/fixtures/real is absent");
	f = load_files(dir);
	b = export_one("g2001", f, SID, 0);
	cr_assert_eq(b->ptr[0], 0xff);
	cr_assert_eq(b->ptr[1], 0xfe);
	s = as_utf8(b);
	cr_assert(strstr(s, "Windows Registry Editor Version 5.00\r\n\r\n["
	    "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Crypto Pro\\Settings"
	    "\\Users\\" SID "\\Keys\\g2001]\r\n\"header.key\"=hex:30,82,03,"
	    "e0,30,82,03,d6,a0,0a,06,08,2a,85,03,02,02,25,02,01,\\\r\n  03,02,"
	    "06,c0,") == s, "%.250s", s);
	cr_assert_not_null(strstr(s, "\"masks.key\"=hex:30,36,04,20,e3,52,3b,"
	    "1e,dd,e1,33,47,35,b2,5b,04,dd,e1,91,59,4e,\\\r\n  dc,3a,d2,5b,ea,"
	    "1f,e7,d9,f4,44,c2,2f,e9,b6,72,04,0c,bb,e0,74,58,6f,13,85,f0,\\\r\n"
	    "  72,21,f5,f6,04,04,28,5a,28,33\r\n"));
	cr_assert_not_null(strstr(s, "\"name.key\"=hex:30,07,16,05,67,32,30,"
	    "30,31\r\n\"primary.key\"=hex:30,22,04,20,bd,40,44,57,f3,16,89,b8,"
	    "d0,28,7a,ee,93,f0,30,03,\\\r\n  f9,3a,fc,5b,3d,15,04,c2,1a,a7,d8,"
	    "2b,cb,7f,04,40\r\n"));
	cr_assert(strcmp(s + strlen(s) - 4, "\r\n\r\n") == 0);
	/* every continuation line is 25 bytes: 2 + 75 characters */
	for (const char *p = strstr(s, "\\\r\n  "); p != NULL;
	    p = strstr(p + 1, "\\\r\n  ")) {
		const char *e = strstr(p + 3, "\r\n");
		if (e[-1] == '\\')
			cr_assert_eq(e - (p + 3), 78);
	}
	free(s);
	cpk_blob_free(&b);
	cpk_files_free(&f);
}

static void
roundtrip_dir(const char *dir, const char *name)
{
	cpk_files *f = load_files(dir);
	cpk_regfile rf, rf4;
	cpk_blob *b = export_one(name, f, SID, 0), *b4;
	cpk_blob *m = export_one(name, f, NULL, 0);

	cr_assert_eq(cpk_regfile_parse(b->ptr, b->len, &rf), CPK_OK);
	cr_assert_eq(rf.n, 1, "%s", dir);
	cr_assert_eq(rf.nwarn, 0, "%s: %s", dir, rf.warn[0]);
	cr_assert_str_eq(rf.v[0].sid, SID);
	cr_assert_str_eq(rf.v[0].name, name);
	for (int i = 0; i < CPK_F_COUNT; i++)
		cr_assert(cpk_blob_eq(rf.v[0].files->f[i], f->f[i]), "%s %s",
		    dir, cpk_file_name((enum cpk_file_id)i));
	cpk_regfile_clear(&rf);
	/* the machine store: Settings\Keys, no SID */
	cr_assert_eq(cpk_regfile_parse(m->ptr, m->len, &rf), CPK_OK);
	cr_assert_eq(rf.n, 1);
	cr_assert_null(rf.v[0].sid);
	cpk_regfile_clear(&rf);
	/* REGEDIT4 (CP1251) lists the same container with the same bytes */
	if (cpk_reg_export(&(cpk_reg_entry){ name, f, NULL }, 1,
	    &(cpk_reg_opts){ SID, 1, 1 }, &b4) == CPK_OK) {
		cr_assert(memcmp(b4->ptr, "REGEDIT4\r\n", 10) == 0);
		cr_assert_eq(cpk_regfile_parse(b4->ptr, b4->len, &rf4), CPK_OK);
		cr_assert_eq(rf4.enc, CPK_RT_CP1251 * (name[0] < 0) +
		    CPK_RT_UTF8 * (name[0] >= 0));
		cr_assert_str_eq(rf4.v[0].name, name);
		for (int i = 0; i < CPK_F_COUNT; i++)
			cr_assert(cpk_blob_eq(rf4.v[0].files->f[i], f->f[i]));
		cpk_regfile_clear(&rf4);
		cpk_blob_free(&b4);
	}
	cpk_blob_free(&m);
	cpk_blob_free(&b);
	cpk_files_free(&f);
}

Test(reg, every_fixture_and_sample_round_trips)
{
	static const char *fx[] = { "cpcert-samples/g2001.000",
	    "cpcert-samples/g2012256.000", "cpcert-samples/g2012512.000",
	    "srv-emptypw.000" };
	char path[512];
	const char *dir;
	struct dirent *de;
	DIR *d;
	int n = 0;

	for (size_t i = 0; i < 4; i++)
		if ((dir = fixture_copy(fx[i])) != NULL)
			roundtrip_dir(dir, "fixture");
	cr_assert_not_null(d = opendir("samples/flash"));
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".000") == NULL)
			continue;
		snprintf(path, sizeof(path), "samples/flash/%s", de->d_name);
		roundtrip_dir(path, strcmp(de->d_name, "5f3a9c1d.000") == 0 ?
		    "Иванов ИИ 2045" : de->d_name);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 14);
}

static cpk_err
parse(const char *text, cpk_regfile *rf)
{
	return cpk_regfile_parse((const unsigned char *)text, strlen(text),
	    rf);
}

Test(reg, reader_tolerance)
{
	const char *t =
	    "Windows Registry Editor Version 5.00\n"
	    "; a comment\n"
	    "\n"
	    "[HKLM\\SOFTWARE\\Crypto Pro\\Settings\\Keys\\machine]\n"
	    "\"name.key\"=hex(3):30,09 , 16,07,6D,61,63,68,69,6E,65,\n"
	    "\"Other\"=dword:00000001\n"
	    "[hkey_local_machine\\SOFTWARE\\WOW6432Node\\crypto pro\\settings"
	    "\\users\\S-1-5-21-1-2-3-1001\\keys\\user]\n"
	    "\"masks.key\"=hex:01,\\\n"
	    "    02,03\n"
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Keys\\machine"
	    "\\sub]\n"
	    "\"header.key\"=hex:05\n"
	    "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Keys\\gone]\n";
	cpk_regfile rf;
	char *name = NULL;
	const char *enc;

	cr_assert_eq(parse(t, &rf), CPK_OK);
	cr_assert_eq(rf.dialect, 5);
	cr_assert_eq(rf.n, 2);
	cr_assert_str_eq(rf.v[0].name, "machine");
	cr_assert_null(rf.v[0].sid);
	cr_assert_eq(cpk_name_decode(rf.v[0].files->f[CPK_F_NAME]->ptr,
	    rf.v[0].files->f[CPK_F_NAME]->len, &name, &enc), CPK_OK);
	cr_assert_str_eq(name, "machine");
	free(name);
	cr_assert_str_eq(rf.v[1].name, "user");
	cr_assert_str_eq(rf.v[1].sid, "S-1-5-21-1-2-3-1001");
	cr_assert_str_eq(hexs(rf.v[1].files->f[CPK_F_MASKS]->ptr,
	    rf.v[1].files->f[CPK_F_MASKS]->len), "010203");
	cr_assert_eq(rf.v[1].files->err[CPK_F_HEADER], CPK_E_MISSING);
	cr_assert_eq(rf.nwarn, 2, "%zu warnings", rf.nwarn);
	cr_assert_not_null(strstr(rf.warn[0], "line 6"));	/* Other */
	cr_assert_not_null(strstr(rf.warn[1], "line 12: delete marker for "
	    "container \"gone\""));
	cpk_regfile_clear(&rf);
}

Test(reg, cp1251_under_a_500_header)
{
	/* CRYptoCopy writes the 5.00 header in the ANSI code page */
	const char *t = "Windows Registry Editor Version 5.00\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Keys\\"
	    "\xca\xeb\xfe\xf7]\r\n\"name.key\"=hex:30,06,16,04,ca,eb,fe,f7\r\n";
	cpk_regfile rf;

	cr_assert_eq(parse(t, &rf), CPK_OK);
	cr_assert_eq(rf.enc, CPK_RT_CP1251);
	cr_assert_str_eq(rf.v[0].name, "Ключ");
	cpk_regfile_clear(&rf);
}

Test(reg, bad_values_leave_the_others)
{
	const char *t = "REGEDIT4\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Keys\\a]\r\n"
	    "\"header.key\"=hex:30,8,00\r\n"
	    "\"masks.key\"=\"text\"\r\n"
	    "\"primary.key\"=-\r\n"
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Keys\\b]\r\n"
	    "\"name.key\"=hex:30,03,16,01,62\r\n"
	    "\"header.key\"=hex:30,\\\r\n";
	cpk_regfile rf;

	cr_assert_eq(parse(t, &rf), CPK_OK);
	cr_assert_eq(rf.dialect, 4);
	cr_assert_eq(rf.n, 2);
	cr_assert_eq(rf.v[0].files->err[CPK_F_HEADER], CPK_E_FORMAT);
	cr_assert_eq(rf.v[0].files->err[CPK_F_MASKS], CPK_E_FORMAT);
	cr_assert_not_null(rf.v[1].files->f[CPK_F_NAME]);
	cr_assert_str_eq(hexs(rf.v[1].files->f[CPK_F_HEADER]->ptr,
	    rf.v[1].files->f[CPK_F_HEADER]->len), "30");
	cr_assert_eq(rf.nwarn, 4);
	cr_assert_not_null(strstr(rf.warn[0], "line 4: [a]: value "
	    "\"header.key\": bad hex digits"), "%s", rf.warn[0]);
	cr_assert_not_null(strstr(rf.warn[1], "line 5: [a]: value "
	    "\"masks.key\" is not REG_BINARY"), "%s", rf.warn[1]);
	cr_assert_not_null(strstr(rf.warn[2], "line 6: [a]: delete marker"));
	cr_assert_not_null(strstr(rf.warn[3], "ends inside a continued line"),
	    "%s", rf.warn[3]);
	cpk_regfile_clear(&rf);
}

Test(reg, lone_surrogate_names_the_line)
{
	static const unsigned char t[] = { 0xff, 0xfe, 'R', 0, 'E', 0, '\n',
	    0, '\n', 0, '[', 0, 0x00, 0xd8, 'A', 0 };
	cpk_regfile rf;

	cr_assert_eq(cpk_regfile_parse(t, sizeof(t), &rf), CPK_E_FORMAT);
	cr_assert_eq(rf.bad_line, 3);
	cpk_regfile_clear(&rf);
	cr_assert_eq(cpk_regfile_parse(t, sizeof(t) - 1, &rf), CPK_E_LENGTH);
	cpk_regfile_clear(&rf);
}

Test(reg, a_50_mb_line_is_skipped)
{
	const char *head = "Windows Registry Editor Version 5.00\n"
	    "[HKLM\\SOFTWARE\\Crypto Pro\\Settings\\Keys\\a]\n"
	    "\"name.key\"=hex:30,03,16,01,61\n\"junk\"=hex:";
	const char *tail = "\n[HKLM\\SOFTWARE\\Crypto Pro\\Settings\\Keys\\b]\n"
	    "\"name.key\"=hex:30,03,16,01,62\n";
	size_t big = 50u * 1024 * 1024, hl = strlen(head), tl = strlen(tail);
	char *t = malloc(hl + big + tl + 1);
	cpk_regfile rf;

	cr_assert_not_null(t);
	memcpy(t, head, hl);
	memset(t + hl, '0', big);
	memcpy(t + hl + big, tail, tl + 1);
	cr_assert_eq(parse(t, &rf), CPK_OK);
	cr_assert_eq(rf.n, 2);
	cr_assert_str_eq(rf.v[1].name, "b");
	cr_assert_eq(rf.nwarn, 1);
	cr_assert_not_null(strstr(rf.warn[0], "line 4: longer than 1 MiB"));
	cpk_regfile_clear(&rf);
	free(t);
}

/* Moving an export to another user changes the SID and nothing else:
 * the result equals an export made for that user directly. */
Test(reg, sid_rewrite_is_byte_exact)
{
	cpk_files *f = load_files("samples/flash/good2012.000");
	cpk_blob *a = export_one("good", f, SID, 0);
	cpk_blob *b = export_one("good", f, "S-1-5-21-9-8-7-1105", 0);
	cpk_blob *m = NULL;
	size_t n;

	cr_assert_eq(cpk_reg_rewrite_sid(a->ptr, a->len, "S-1-5-21-9-8-7-1105",
	    &m, &n), CPK_OK);
	cr_assert_eq(n, 1);
	cr_assert(cpk_blob_eq(m, b));
	cpk_blob_free(&m);
	cr_assert_eq(cpk_reg_rewrite_sid(a->ptr, a->len, "S-1-5-21-", &m, &n),
	    CPK_E_BAD_SID);
	cr_assert_eq(cpk_reg_rewrite_sid(a->ptr, a->len, "Administrator", &m,
	    &n), CPK_E_BAD_SID);
	cpk_blob_free(&a);
	cpk_blob_free(&b);
	cpk_files_free(&f);
}

/* A moved .reg keeps its lines, so one whose keys are not all containers
 * (a deletion, a key outside CryptoPro's Settings, a name no export
 * writes) is not moved: CPK_E_FORMAT, the caller writes it anew. */
Test(reg, sid_rewrite_refuses_foreign_keys)
{
	static const char *const bad_keys[] = {
		"[-HKEY_LOCAL_MACHINE\\SOFTWARE]\r\n",
		"[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\"
		    "CurrentVersion\\Run]\r\n\"x\"=\"calc.exe\"\r\n",
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Users\\"
		    SID "\\Keys\\a\x1b[2Jb]\r\n",
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Users\\"
		    SID "\\Keys\\a\\sub]\r\n",
	};
	cpk_files *f = load_files("samples/flash/good2012.000");
	cpk_blob *a = export_one("good", f, SID, 0), *m = NULL;
	size_t n;

	for (size_t i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++) {
		cpk_blob *t = NULL, *x = NULL;
		cpk_regtext tx;
		size_t nbad;

		cr_assert_eq(cpk_regtext_decode(a->ptr, a->len, &tx, &nbad),
		    CPK_OK);
		cr_assert_eq(cpk_blob_new(tx.text->ptr,
		    strlen((const char *)tx.text->ptr), &t),
		    CPK_OK);
		cr_assert_eq(cpk_blob_append(t, bad_keys[i],
		    strlen(bad_keys[i])), CPK_OK);
		cr_assert_eq(cpk_regtext_encode((const char *)t->ptr, t->len,
		    CPK_RT_UTF16LE, &x), CPK_OK);
		cr_assert_eq(cpk_reg_rewrite_sid(x->ptr, x->len,
		    "S-1-5-21-9-8-7-1105", &m, &n), CPK_E_FORMAT, "row %zu", i);
		cr_assert_null(m);
		cpk_regtext_clear(&tx);
		cpk_blob_free(&t);
		cpk_blob_free(&x);
	}
	cpk_blob_free(&a);
	cpk_files_free(&f);
}

Test(reg, regedit4_refuses_names_without_cp1251)
{
	cpk_files *f = load_files("samples/flash/good2012.000");
	cpk_reg_entry e = { "名前", f, NULL };
	cpk_reg_opts o = { SID, 1, 1 };
	cpk_blob *b = NULL;

	cr_assert_eq(cpk_reg_export(&e, 1, &o, &b), CPK_E_RANGE);
	cr_assert_null(b);
	cpk_files_free(&f);
}

/* Issue 14: key names that would put lines of their own into a .reg. */
#define EVIL	"x]\r\n\"evil\"=dword:00000001\r\n\r\n[-HKEY_LOCAL_MACHINE]\r\nq"

struct name_row {
	const char	*name;
	int		 ok;
};

static const struct name_row name_rows[] = {
	{ "good2001", 1 }, { "Иванов ИИ 2045", 1 }, { "a b [c] \"d\"", 0 },
	{ "a b [c \"d\"", 1 }, { "SAME (2)", 1 }, { "x\xe2\x80\xaeq", 0 },
	{ "", 0 }, { EVIL, 0 }, { "x]y", 0 }, { "a\\b", 0 },
	{ "x\ry", 0 }, { "x\ny", 0 }, { "\x1b]2;T\x07", 0 },
	{ "x\ty", 0 }, { "x\x7fy", 0 }, { "x\xc2\x85y", 0 },
	{ "x\xc2\x9b" "2J", 0 }, { "x\xc2\x9fy", 0 }, { "x\xc2\xa0y", 1 },
	{ "x\xe2\x80\xa8y", 0 }, { "x\xe2\x80\xa9y", 0 },
	{ "\xff", 0 }, { "x\xc3", 0 }, { "\xc0\xaf", 0 },
	{ "\xed\xa0\x80", 0 }, { "\xf4\x90\x80\x80", 0 },
	{ "\xf0\x9f\x94\x91", 1 }, { "x\xe2\x81\xa6y", 0 },
	{ "x\xe2\x80\x8fy", 0 },	/* bidi: regedit would show the name reversed */
};
#define NNAME	(sizeof(name_rows) / sizeof(name_rows[0]))

ParameterizedTestParameters(reg, key_names)
{
	static size_t idx[NNAME];

	for (size_t i = 0; i < NNAME; i++)
		idx[i] = i;
	return cr_make_param_array(size_t, idx, NNAME);
}

ParameterizedTest(size_t *i, reg, key_names)
{
	const struct name_row *row = &name_rows[*i];
	cpk_files *f = load_files("samples/flash/good2001.000");
	cpk_reg_entry e = { row->name, f, NULL };
	cpk_reg_opts o = { NULL, 1, 0 };
	cpk_blob *b = NULL;

	cr_assert_eq(cpk_reg_name_ok(row->name), row->ok, "%s",
	    hexs((const unsigned char *)row->name, strlen(row->name)));
	cr_assert_eq(cpk_reg_export(&e, 1, &o, &b), row->ok ? CPK_OK :
	    CPK_E_BAD_NAME);
	cr_assert((b != NULL) == row->ok);
	cpk_blob_free(&b);
	cpk_files_free(&f);
}

Test(reg, sids_are_checked)
{
	static const char *good[] = { "S-1-5-18", SID, "S-1-5-21-0-0-0-500" };
	static const char *bad[] = { "", "S-1-", "S-1-5-", "S-1-5--18",
	    "s-1-5-18", "S-1-5-18]", "S-1-5-18\r\n[-HKEY_LOCAL_MACHINE]",
	    "S-1-5-18\\Keys", "S-1-5-18 ", "Administrator" };
	cpk_files *f = load_files("samples/flash/good2001.000");
	cpk_reg_entry e = { "good2001", f, NULL };
	cpk_reg_opts o = { NULL, 1, 0 };
	cpk_blob *b = NULL;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_assert(cpk_reg_sid_ok(good[i]), "%s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_not(cpk_reg_sid_ok(bad[i]), "%s", bad[i]);
		e.sid = bad[i];		/* a SID read from a stranger's file */
		cr_assert_eq(cpk_reg_export(&e, 1, &o, &b), CPK_E_BAD_SID);
		cr_assert_null(b);
	}
	cpk_files_free(&f);
}

/* Each entry under its own user or the machine's key, in one file. */
Test(reg, each_entry_keeps_its_user)
{
	cpk_files *f = load_files("samples/flash/good2001.000");
	cpk_reg_entry v[3] = { { "a", f, SID }, { "a", f,
	    "S-1-5-21-9-8-7-1105" }, { "a", f, NULL } };
	cpk_reg_opts o = { NULL, 1, 0 };
	cpk_blob *b = NULL;
	char *t;

	cr_assert_eq(cpk_reg_export(v, 3, &o, &b), CPK_OK);
	t = as_utf8(b);
	cr_assert_not_null(strstr(t, "\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\"
	    "WOW6432Node\\Crypto Pro\\Settings\\Users\\" SID "\\Keys\\a]\r\n"));
	cr_assert_not_null(strstr(t, "\\Settings\\Users\\S-1-5-21-9-8-7-1105"
	    "\\Keys\\a]\r\n"));
	cr_assert_not_null(strstr(t, "\\Crypto Pro\\Settings\\Keys\\a]\r\n"));
	free(t);
	cpk_blob_free(&b);
	cpk_files_free(&f);
}

/* One key path for two entries: refused; names compare without case. */
Test(reg, duplicate_keys_are_refused)
{
	cpk_files *f = load_files("samples/flash/good2001.000");
	cpk_reg_entry v[3] = { { "Иванов Ёж", f, SID }, { "other", f, NULL },
	    { "иванов ёЖ", f, NULL } };
	cpk_reg_opts o = { SID, 1, 0 };
	cpk_blob *b = NULL;
	size_t i = 9, j = 9;

	cr_assert_eq(cpk_reg_find_duplicate(v, 3, &o, &i, &j), CPK_E_EXISTS);
	cr_assert_eq(i, 0);
	cr_assert_eq(j, 2);
	cr_assert_eq(cpk_reg_export(v, 3, &o, &b), CPK_E_EXISTS);
	cr_assert_null(b);
	o.sid = NULL;			/* now the third is the machine's */
	cr_assert_eq(cpk_reg_find_duplicate(v, 3, &o, &i, &j), CPK_OK);
	cr_assert_eq(cpk_reg_export(v, 3, &o, &b), CPK_OK);
	cpk_blob_free(&b);
	cpk_files_free(&f);
	cr_assert(cpk_reg_name_same("Dup", "DUP"));
	cr_assert(cpk_reg_name_same("\xc3\x89t\xc3\xa9", "\xc3\xa9T\xc3\x89"));
	cr_assert_not(cpk_reg_name_same("Dup", "Dup "));
	cr_assert_not(cpk_reg_name_same("a\xc3", "a\xc3\x83"));
	cr_assert(cpk_reg_name_same("a\xc3", "a\xc3"));	/* not UTF-8: bytes */
}

/* A hive key with the name and no name.key: listed as the hive
 * says, scoped as its path says, refused by the writer. */
Test(reg, hostile_hive_key_name)
{
	cpk_files *f = load_files("samples/flash/good2001.000");
	cpk_media *m = NULL;
	const cpk_ref *ref;
	cpk_files *lf = NULL;
	cpk_reg_entry e = { NULL, NULL, NULL };
	cpk_reg_opts o = { NULL, 1, 0 };
	cpk_blob *b = NULL;
	char path[512];
	int seen = 0;

	cpk_blob_free(&f->f[CPK_F_NAME]);
	snprintf(path, sizeof(path), "%s/SOFTWARE", temp_dir());
	cr_assert_eq(mkhive_empty(path), 0);
	cr_assert_eq(mkhive_add(path, "WOW6432Node", SID, EVIL, f), 0);
	cr_assert_eq(mkhive_add(path, "WOW6432Node", NULL, "plain", f), 0);
	/* an NTUSER.DAT's own Keys: no user or machine the hive names */
	cr_assert_eq(mkhive_add(path, "Software", NULL, "hkcu", f), 0);
	cr_assert_eq(cpk_media_open(path, &m), CPK_OK);
	while (cpk_media_next(m, &ref) == CPK_OK) {
		cr_assert_eq(cpk_media_load(m, ref, &lf), CPK_OK);
		e.name = ref->name;
		e.files = lf;
		e.sid = ref->sid;
		if (strcmp(ref->name, EVIL) == 0) {
			cr_assert_eq(ref->scope, CPK_SCOPE_USER);
			cr_assert_str_eq(ref->sid, SID);
			cr_assert_eq(cpk_reg_export(&e, 1, &o, &b), CPK_E_BAD_NAME);
			cr_assert_null(b);
			seen |= 1;
		} else if (strcmp(ref->name, "hkcu") == 0) {
			cr_assert_eq(ref->scope, CPK_SCOPE_NONE);
			cr_assert_null(ref->sid);
			seen |= 4;
		} else {
			cr_assert_str_eq(ref->name, "plain");
			cr_assert_eq(ref->scope, CPK_SCOPE_MACHINE);
			cr_assert_null(ref->sid);
			cr_assert_eq(cpk_reg_export(&e, 1, &o, &b), CPK_OK);
			cpk_blob_free(&b);
			seen |= 2;
		}
		cpk_files_free(&lf);
	}
	cr_assert_eq(seen, 7);
	cpk_media_close(&m);
	cpk_files_free(&f);
}

/* .reg keys: Users\<SID>\Keys is the user's, Settings\Keys the machine's,
 * and Users\\Keys (an empty SID) a user's with a bad SID, never taken
 * for the machine's. */
Test(reg, scope_of_reg_keys)
{
	static const char text[] = "REGEDIT4\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Users\\" SID
	    "\\Keys\\u]\r\n\"header.key\"=hex:30,00\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Keys\\m]\r\n"
	    "\"header.key\"=hex:30,00\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Users\\\\Keys"
	    "\\e]\r\n\"header.key\"=hex:30,00\r\n";
	cpk_blob *t = NULL;
	cpk_media *m = NULL;
	const cpk_ref *ref;
	char path[512];
	int seen = 0;

	snprintf(path, sizeof(path), "%s/scope.reg", temp_dir());
	cr_assert_eq(cpk_blob_new(text, sizeof(text) - 1, &t), CPK_OK);
	cr_assert_eq(cpk_file_write_atomic(path, t, 0600), CPK_OK);
	cpk_blob_free(&t);
	cr_assert_eq(cpk_media_open(path, &m), CPK_OK);
	while (cpk_media_next(m, &ref) == CPK_OK) {
		if (strcmp(ref->name, "u") == 0) {
			cr_assert_eq(ref->scope, CPK_SCOPE_USER);
			cr_assert_str_eq(ref->sid, SID);
			seen |= 1;
		} else if (strcmp(ref->name, "m") == 0) {
			cr_assert_eq(ref->scope, CPK_SCOPE_MACHINE);
			cr_assert_null(ref->sid);
			seen |= 2;
		} else {
			cr_assert_str_eq(ref->name, "e");
			cr_assert_eq(ref->scope, CPK_SCOPE_USER);
			cr_assert_str_eq(ref->sid, "");
			cr_assert_not(cpk_reg_sid_ok(ref->sid));
			seen |= 4;
		}
	}
	cr_assert_eq(seen, 7);
	cpk_media_close(&m);
}

/* ---- .reg exports as editors leave them (issue 15 point 2b) ---- */

/* The bytes of b as UTF-16 of the other byte order. */
static cpk_blob *
swapped(const unsigned char *p, size_t n)
{
	cpk_blob *b = NULL;

	cr_assert_eq(cpk_blob_new(p, n, &b), CPK_OK);
	for (size_t i = 0; i + 1 < n; i += 2) {
		unsigned char t = b->ptr[i];
		b->ptr[i] = b->ptr[i + 1];
		b->ptr[i + 1] = t;
	}
	return b;
}

/* Every "\r\n" of UTF-16LE text (after the BOM) as "\r\r\n". */
static cpk_blob *
doubled_cr16(const cpk_blob *in)
{
	cpk_blob *b = NULL;

	cr_assert_eq(cpk_blob_new(in->ptr, 2, &b), CPK_OK);
	for (size_t i = 2; i + 1 < in->len; i += 2) {
		if (in->ptr[i] == '\r' && in->ptr[i + 1] == 0)
			cr_assert_eq(cpk_blob_append(b, "\r\0", 2), CPK_OK);
		cr_assert_eq(cpk_blob_append(b, in->ptr + i, 2), CPK_OK);
	}
	return b;
}

static void
same_containers(const cpk_regfile *a, const cpk_regfile *b)
{
	cr_assert_eq(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		cr_assert_str_eq(a->v[i].path, b->v[i].path);
		for (int k = 0; k < CPK_F_COUNT; k++)
			cr_assert(cpk_blob_eq(a->v[i].files->f[k],
			    b->v[i].files->f[k]), "%s %s", a->v[i].name,
			    cpk_file_name((enum cpk_file_id)k));
	}
}

Test(reg, editor_forms_are_read_and_named)
{
	cpk_blob *o = NULL, *v[4] = { NULL }, *back = NULL;
	static const unsigned want_odd[4] = { CPK_RTO_NOBOM, CPK_RTO_UTF16BE,
	    CPK_RTO_UTF16BE | CPK_RTO_NOBOM, CPK_RTO_CRCR };
	static const enum cpk_rtenc want_enc[4] = { CPK_RT_UTF16LE_NOBOM,
	    CPK_RT_UTF16BE, CPK_RT_UTF16BE_NOBOM, CPK_RT_UTF16LE };
	cpk_regfile ref, rf;
	cpk_regtext t;
	size_t bad;

	cr_assert_eq(cpk_file_read("samples/registry/export-5.00.reg",
	    CPK_FILE_MAX * 64, &o), CPK_OK);
	cr_assert_eq(o->ptr[0], 0xff);
	cr_assert_eq(cpk_regfile_parse(o->ptr, o->len, &ref), CPK_OK);
	cr_assert_eq(ref.n, 2);
	cr_assert_eq(ref.odd, 0);
	cr_assert_eq(cpk_blob_new(o->ptr + 2, o->len - 2, &v[0]), CPK_OK);
	v[1] = swapped(o->ptr, o->len);			/* FE FF ... */
	v[2] = swapped(o->ptr + 2, o->len - 2);
	v[3] = doubled_cr16(o);
	cr_assert_eq(v[1]->ptr[0], 0xfe);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(cpk_regfile_parse(v[i]->ptr, v[i]->len, &rf),
		    CPK_OK, "form %d", i);
		cr_assert_eq(rf.odd, want_odd[i], "form %d", i);
		cr_assert_eq(rf.enc, want_enc[i], "form %d", i);
		cr_assert_eq(rf.nwarn, 0, "form %d: %s", i, rf.warn[0]);
		same_containers(&ref, &rf);
		cpk_regfile_clear(&rf);
		/* the encoding round trips: the same bytes back (CR CR LF
		 * comes back as CR LF: the original) */
		cr_assert_eq(cpk_regtext_decode(v[i]->ptr, v[i]->len, &t, &bad),
		    CPK_OK);
		cr_assert_eq(cpk_regtext_encode((const char *)t.text->ptr,
		    t.text->len - 1, t.enc, &back), CPK_OK);
		cr_assert(cpk_blob_eq(back, i == 3 ? o : v[i]), "form %d", i);
		if (i == 3)
			cr_assert_gt(t.crcr, 10);
		cpk_blob_free(&back);
		cpk_regtext_clear(&t);
	}
	cpk_regfile_clear(&ref);
	for (int i = 0; i < 4; i++)
		cpk_blob_free(&v[i]);
	cpk_blob_free(&o);
}

/* Through the media: the same containers as the original, and one
 * warning naming the file and its form. */
Test(reg, editor_forms_warn_on_the_medium)
{
	static const char *const form[3] = { "UTF-16LE without a byte order",
	    "UTF-16BE without a byte order", "CR CR LF" };
	const char *dir = temp_dir();
	cpk_blob *o = NULL, *b = NULL;
	char path[600];
	cpk_media *m = NULL;
	const cpk_ref *ref;
	const char *w;
	size_t n;

	cr_assert_eq(cpk_file_read("samples/registry/export-regedit4.reg",
	    CPK_FILE_MAX * 64, &o), CPK_OK);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(cpk_blob_new(NULL, 0, &b), CPK_OK);
		for (size_t k = 0; k < o->len; k++) {
			unsigned char c = o->ptr[k], z = 0;
			if (i == 2) {
				if (c == '\r')
					cr_assert_eq(cpk_blob_append(b, "\r", 1),
					    CPK_OK);
				cr_assert_eq(cpk_blob_append(b, &c, 1), CPK_OK);
			} else if (c < 0x80) {	/* ASCII: REGEDIT4, hex */
				cr_assert_eq(cpk_blob_append(b, i ? &z : &c, 1),
				    CPK_OK);
				cr_assert_eq(cpk_blob_append(b, i ? &c : &z, 1),
				    CPK_OK);
			} else
				cr_skip_test("non-ASCII in the sample");
		}
		snprintf(path, sizeof(path), "%s/form%d.reg", dir, i);
		cr_assert_eq(cpk_file_write_atomic(path, b, 0644), CPK_OK);
		cpk_blob_free(&b);
		cr_assert_eq(cpk_media_open(path, &m), CPK_OK, "%s", path);
		for (n = 0; cpk_media_next(m, &ref) == CPK_OK;)
			n++;
		cr_assert_eq(n, 1, "form %d", i);
		cr_assert_not_null(w = cpk_media_warning(m, 0), "form %d", i);
		cr_assert_not_null(strstr(w, path), "%s", w);
		cr_assert_not_null(strstr(w, form[i]), "%s", w);
		cr_assert_null(cpk_media_warning(m, 1), "%s",
		    cpk_media_warning(m, 1));
		cpk_media_close(&m);
	}
	cpk_blob_free(&o);
}
