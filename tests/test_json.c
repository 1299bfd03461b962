/* The JSON writer (container/json.c): the exact bytes of nesting, commas,
 * newlines of a layout and escapes, and the errors it remembers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cpkit.h"

/* A writer on a memory stream; out() closes it and gives the text. */
static FILE *mem;
static char *buf;
static size_t len;
static cpk_json j;

static void
start(unsigned flags)
{
	mem = open_memstream(&buf, &len);
	cr_assert_not_null(mem);
	cpk_json_init(&j, mem, flags);
}

static const char *
out(void)
{
	cr_assert_eq(cpk_json_done(&j), CPK_OK);
	fclose(mem);
	return buf;
}

static void
done(void)
{
	free(buf);
	buf = NULL;
}

TestSuite(json, .fini = done);

Test(json, nesting_and_commas)
{
	start(0);
	cpk_json_obj(&j);
	cpk_json_kv_str(&j, "a", "x");
	cpk_json_key(&j, "b");
	cpk_json_arr(&j);
	cpk_json_int(&j, -1);
	cpk_json_uint(&j, 18446744073709551615ull);
	cpk_json_obj(&j);
	cpk_json_obj_end(&j);
	cpk_json_arr(&j);
	cpk_json_arr_end(&j);
	cpk_json_bool(&j, 1);
	cpk_json_bool(&j, 0);
	cpk_json_null(&j);
	cpk_json_string(&j, NULL);
	cpk_json_raw(&j, "1.5");
	cpk_json_arr_end(&j);
	cpk_json_kv_bool(&j, "c", 0);
	cpk_json_kv_int(&j, "d", 7);
	cpk_json_kv_uint(&j, "e", 0);
	cpk_json_obj_end(&j);
	cr_assert_str_eq(out(), "{\"a\":\"x\",\"b\":[-1,18446744073709551615,"
	    "{},[],true,false,null,null,1.5],\"c\":false,\"d\":7,\"e\":0}");
}

Test(json, lines_end_each_top_value)
{
	start(CPK_JSON_LINE);
	cpk_json_obj(&j);
	cpk_json_kv_uint(&j, "n", 1);
	cpk_json_obj_end(&j);
	cpk_json_obj(&j);
	cpk_json_obj_end(&j);
	cpk_json_string(&j, "s");
	cr_assert_str_eq(out(), "{\"n\":1}\n{}\n\"s\"\n");
}

/* The layout of cpkit-list --json and report.json: a member a line, the
 * newline after the comma, one before the closing bracket. */
Test(json, newlines_after_commas)
{
	start(0);
	cpk_json_arr(&j);
	for (int i = 0; i < 2; i++) {
		cpk_json_nl(&j);
		cpk_json_obj(&j);
		cpk_json_kv_int(&j, "i", i);
		cpk_json_obj_end(&j);
	}
	cpk_json_nl(&j);
	cpk_json_arr_end(&j);
	cpk_json_nl(&j);
	cr_assert_str_eq(out(), "[\n{\"i\":0},\n{\"i\":1}\n]\n");
}

Test(json, escapes)
{
	start(0);
	cpk_json_arr(&j);
	cpk_json_string(&j, "q\"b\\s/");
	cpk_json_string(&j, "\x01\t\n\r\x1f\x7f");
	cpk_json_string(&j, "Иванов");
	cpk_json_string(&j, "\xc2\x9b\xe2\x80\xae");	/* C1 CSI, bidi RLO */
	cpk_json_string(&j, "a\xff" "b\xc3");	/* not UTF-8; cut short */
	cpk_json_string(&j, "");
	cpk_json_arr_end(&j);
	cr_assert_str_eq(out(), "[\"q\\\"b\\\\s/\","
	    "\"\\u0001\\u0009\\u000a\\u000d\\u001f\\u007f\","
	    "\"Иванов\",\"\\u009b\\u202e\",\"a\\ufffdb\\ufffd\",\"\"]");
}

Test(json, keys_escaped_like_strings)
{
	start(0);
	cpk_json_obj(&j);
	cpk_json_kv_str(&j, "k\"\n", "v");
	cpk_json_obj_end(&j);
	cr_assert_str_eq(out(), "{\"k\\\"\\u000a\":\"v\"}");
}

Test(json, stringf_long)
{
	char want[1100];

	start(0);
	cpk_json_stringf(&j, "%04X", 0x6a82u);
	cpk_json_stringf(&j, "%0*d", 1000, 5);	/* past the stack buffer */
	memset(want, '0', sizeof(want));
	memcpy(want, "\"6A82\"\"", 7);	/* no LINE flag: no separator */
	strcpy(want + 7 + 999, "5\"");
	cr_assert_str_eq(out(), want);
}

Test(json, depth_bound)
{
	start(0);
	for (int i = 0; i < CPK_JSON_DEPTH; i++)
		cpk_json_arr(&j);
	cpk_json_arr(&j);		/* one too many: nothing written */
	cpk_json_int(&j, 1);
	cr_assert_eq(cpk_json_done(&j), CPK_E_DEPTH);
	fclose(mem);
	cr_assert_eq(len, CPK_JSON_DEPTH);
	cr_assert_eq(strspn(buf, "["), CPK_JSON_DEPTH);
}

Test(json, misuse_stops_output)
{
	start(0);
	cpk_json_obj(&j);
	cpk_json_int(&j, 1);		/* a value without a key */
	cpk_json_kv_int(&j, "a", 2);
	cpk_json_obj_end(&j);
	cr_assert_eq(cpk_json_done(&j), CPK_E_INTERNAL);
	fclose(mem);
	cr_assert_str_eq(buf, "{");
}

Test(json, misuse_key_in_array_and_wrong_end)
{
	start(0);
	cpk_json_arr(&j);
	cpk_json_key(&j, "a");
	cr_assert_eq(cpk_json_done(&j), CPK_E_INTERNAL);
	cpk_json_clear(&j);
	cpk_json_arr(&j);
	cpk_json_obj_end(&j);
	cr_assert_eq(cpk_json_done(&j), CPK_E_INTERNAL);
	cpk_json_clear(&j);
	cpk_json_obj(&j);		/* left open */
	cr_assert_eq(cpk_json_done(&j), CPK_E_INTERNAL);
	fclose(mem);
	cr_assert_str_eq(buf, "[[{");
}

/* A small document to a stream that refuses it. */
static cpk_err
write_to(FILE *f)
{
	cr_assert_not_null(f);
	cpk_json_init(&j, f, CPK_JSON_LINE);
	cpk_json_obj(&j);
	cpk_json_kv_str(&j, "abcdef", "ghijkl");
	cpk_json_obj_end(&j);
	return cpk_json_done(&j);
}

Test(json, full_stream_is_an_error)
{
	FILE *f = fopen("/dev/full", "w");

	cr_assert_eq(write_to(f), CPK_E_NO_SPACE);
	fclose(f);
}

Test(json, short_buffer_is_an_error)
{
	char small[8];
	FILE *f = fmemopen(small, sizeof(small), "w");

	setvbuf(f, NULL, _IONBF, 0);	/* the failure at the write itself */
	cr_assert_neq(write_to(f), CPK_OK);
	fclose(f);
}

Test(json, doc_and_tables)
{
	const char *const kv[][2] = { { "a", "x" }, { "b", NULL } };
	const cpk_json_num n[] = { { "c", 1 }, { "d", 20 } };
	FILE *f;

	f = open_memstream(&buf, &len);
	cpk_json_doc(&j, f, "cpkit.t/1");
	cpk_json_kv_strs(&j, kv, 2);
	cpk_json_kv_nums(&j, n, 2);
	cpk_json_obj_end(&j);
	mem = f;
	cr_assert_str_eq(out(), "{\"schema\":\"cpkit.t/1\",\"a\":\"x\","
	    "\"b\":null,\"c\":1,\"d\":20}\n");
}

/* diag's cpk_json_str is the writer's string, on a bare stream. */
Test(json, json_str_wrapper)
{
	start(0);
	cpk_json_str(mem, "a\"\x01");
	cpk_json_str(mem, NULL);
	fclose(mem);
	cr_assert_str_eq(buf, "\"a\\\"\\u0001\"null");
}

/* A value built apart (the fleet report's hosts) goes in whole, with the
 * comma and newline the writer owes before it. */
Test(json, raw_file_spliced)
{
	FILE *part = tmpfile();
	cpk_json p;

	cr_assert_not_null(part);
	cpk_json_init(&p, part, 0);
	cpk_json_arr(&p);
	cpk_json_nl(&p);
	cpk_json_string(&p, "h1");
	cpk_json_nl(&p);
	cpk_json_arr_end(&p);
	cr_assert_eq(cpk_json_done(&p), CPK_OK);
	start(CPK_JSON_LINE);
	cpk_json_obj(&j);
	cpk_json_kv_int(&j, "n", 1);
	cpk_json_nl(&j);
	cpk_json_key(&j, "hosts");
	cpk_json_raw_file(&j, part);
	cpk_json_obj_end(&j);
	cr_assert_str_eq(out(), "{\"n\":1,\n\"hosts\":[\n\"h1\"\n]}\n");
	fclose(part);
}

/* cpkit-list's rows, each by a call with a writer of its own. */
Test(json, resumed_array_rows)
{
	cpk_json r;

	start(0);
	cpk_json_arr(&j);
	for (size_t i = 0; i < 2; i++) {
		cpk_json_init(&r, mem, 0);
		cpk_json_resume_arr(&r, i);
		cpk_json_nl(&r);
		cpk_json_uint(&r, i);
	}
	cpk_json_init(&r, mem, CPK_JSON_LINE);
	cpk_json_resume_arr(&r, 2);
	cpk_json_nl(&r);
	cpk_json_arr_end(&r);
	cpk_json_init(&j, mem, 0);	/* the head's writer is done too */
	cr_assert_str_eq(out(), "[\n0,\n1\n]\n");
}
