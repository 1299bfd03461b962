/*
 * The one JSON writer (json.h). Compact output; the caller's state says
 * where a comma goes, so no caller counts members. Strings are escaped
 * here only (RFC 8259 §7 through cpk_display_json_unit: quote,
 * backslash, every control character; a byte that is not UTF-8 becomes
 * U+FFFD), so no raw control byte reaches a JSON file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "display.h"
#include "json.h"

/* A write the stream refused; errno says which (a full disk is ENV too,
 * but has its own words). Unlocked: a member is a handful of writes and
 * a 100,000-container list millions of them, and one thread writes a
 * stream at a time (json.h). */
static void
put(cpk_json *j, const char *s, size_t n)
{
	if (j->err != CPK_OK || n == 0)
		return;
	if (fwrite_unlocked(s, 1, n, j->o) != n)
		j->err = errno == ENOSPC ? CPK_E_NO_SPACE : CPK_E_IO;
}

static void
misuse(cpk_json *j)
{
	if (j->err == CPK_OK)
		j->err = CPK_E_INTERNAL;
}

/* Before a key (key 1) or a value: the comma between members, then a
 * newline asked for; 0 when nothing may be written. */
static int
before(cpk_json *j, int key)
{
	unsigned d;

	if (j->err != CPK_OK)
		return 0;
	if (j->depth == 0) {
		if (key || j->keyed)
			misuse(j);
	} else {
		d = j->depth - 1;
		if (key != (j->obj[d] && !j->keyed) && j->obj[d])
			misuse(j);	/* two keys, or a value with none */
		else if (key && !j->obj[d])
			misuse(j);	/* a key in an array */
		else if (key || !j->obj[d]) {
			if (j->any[d])
				put(j, ",", 1);
			j->any[d] = 1;
		}
	}
	if (j->err == CPK_OK && j->nl) {
		put(j, "\n", 1);
		j->nl = 0;
	}
	j->keyed = (unsigned char)key;
	return j->err == CPK_OK;
}

/* After a whole value: a JSON Lines record ends at the top level. */
static void
after(cpk_json *j)
{
	if (j->depth == 0 && (j->flags & CPK_JSON_LINE))
		put(j, "\n", 1);
}

static void
quoted(cpk_json *j, const char *s)
{
	char u[CPK_DISPLAY_UNIT];
	size_t left, used, n;

	put(j, "\"", 1);
	for (left = strlen(s); left > 0; s += used, left -= used) {
		/* a run of printable ASCII needs no escape: one write for
		 * it (a 100,000-container list is 100 MB of JSON), the rest
		 * a unit at a time */
		for (used = 0; used < left && (unsigned char)s[used] >= 0x20 &&
		    (unsigned char)s[used] < 0x7f && s[used] != '"' &&
		    s[used] != '\\'; used++)
			;
		if (used > 0) {
			put(j, s, used);
			continue;
		}
		n = cpk_display_json_unit(s, left, u, &used);
		put(j, u, n);
	}
	put(j, "\"", 1);
}

void
cpk_json_init(cpk_json *j, FILE *o, unsigned flags)
{
	memset(j, 0, sizeof(*j));
	j->o = o;
	j->flags = flags;
	j->err = CPK_OK;
}

void
cpk_json_clear(cpk_json *j)
{
	cpk_json_init(j, j->o, j->flags);
}

cpk_err
cpk_json_done(cpk_json *j)
{
	if (j->err == CPK_OK && (j->depth != 0 || j->keyed))
		j->err = CPK_E_INTERNAL;
	/* stdio tells of a failed write only when its buffer is flushed */
	if (fflush(j->o) != 0 || ferror(j->o)) {
		if (j->err == CPK_OK)
			j->err = errno == ENOSPC ? CPK_E_NO_SPACE : CPK_E_IO;
	}
	return j->err;
}

static void
open_level(cpk_json *j, int obj)
{
	if (!before(j, 0))
		return;
	if (j->depth == CPK_JSON_DEPTH) {
		j->err = CPK_E_DEPTH;
		return;
	}
	put(j, obj ? "{" : "[", 1);
	j->obj[j->depth] = (unsigned char)obj;
	j->any[j->depth] = 0;
	j->depth++;
}

static void
close_level(cpk_json *j, int obj)
{
	if (j->err != CPK_OK)
		return;
	if (j->depth == 0 || j->obj[j->depth - 1] != obj || j->keyed) {
		misuse(j);
		return;
	}
	if (j->nl) {
		put(j, "\n", 1);
		j->nl = 0;
	}
	put(j, obj ? "}" : "]", 1);
	j->depth--;
	after(j);
}

void
cpk_json_obj(cpk_json *j)
{
	open_level(j, 1);
}

void
cpk_json_obj_end(cpk_json *j)
{
	close_level(j, 1);
}

void
cpk_json_arr(cpk_json *j)
{
	open_level(j, 0);
}

void
cpk_json_arr_end(cpk_json *j)
{
	close_level(j, 0);
}

void
cpk_json_key(cpk_json *j, const char *k)
{
	if (k == NULL) {
		misuse(j);
		return;
	}
	if (!before(j, 1))
		return;
	quoted(j, k);
	put(j, ":", 1);
}

void
cpk_json_raw(cpk_json *j, const char *text)
{
	if (!before(j, 0))
		return;
	put(j, text, strlen(text));
	after(j);
}

void
cpk_json_raw_file(cpk_json *j, FILE *in)
{
	char b[16384];
	size_t n;

	if (!before(j, 0))
		return;
	if (fflush(in) != 0 || fseek(in, 0, SEEK_SET) != 0) {
		j->err = CPK_E_IO;
		return;
	}
	while ((n = fread(b, 1, sizeof(b), in)) > 0)
		put(j, b, n);
	if (ferror(in) && j->err == CPK_OK)
		j->err = CPK_E_IO;
	after(j);
}

void
cpk_json_string(cpk_json *j, const char *s)
{
	if (s == NULL) {
		cpk_json_raw(j, "null");
		return;
	}
	if (!before(j, 0))
		return;
	quoted(j, s);
	after(j);
}

void
cpk_json_stringf(cpk_json *j, const char *fmt, ...)
{
	char small[256], *s = small;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		misuse(j);
		return;
	}
	if ((size_t)n >= sizeof(small)) {
		if ((s = malloc((size_t)n + 1)) == NULL) {
			if (j->err == CPK_OK)
				j->err = CPK_E_NOMEM;
			return;
		}
		va_start(ap, fmt);
		(void)vsnprintf(s, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	cpk_json_string(j, s);
	if (s != small)
		free(s);
}

void
cpk_json_int(cpk_json *j, long long v)
{
	char b[32];

	(void)snprintf(b, sizeof(b), "%lld", v);
	cpk_json_raw(j, b);
}

void
cpk_json_uint(cpk_json *j, unsigned long long v)
{
	char b[32];

	(void)snprintf(b, sizeof(b), "%llu", v);
	cpk_json_raw(j, b);
}

void
cpk_json_bool(cpk_json *j, int v)
{
	cpk_json_raw(j, v ? "true" : "false");
}

void
cpk_json_null(cpk_json *j)
{
	cpk_json_raw(j, "null");
}

void
cpk_json_resume_arr(cpk_json *j, size_t members)
{
	if (j->err != CPK_OK)
		return;
	if (j->depth == CPK_JSON_DEPTH) {
		j->err = CPK_E_DEPTH;
		return;
	}
	j->obj[j->depth] = 0;
	j->any[j->depth] = members > 0;
	j->depth++;
}

void
cpk_json_nl(cpk_json *j)
{
	if (j->err != CPK_OK)
		return;
	if (j->depth == 0)
		put(j, "\n", 1);
	else
		j->nl = 1;
}

void
cpk_json_kv_str(cpk_json *j, const char *key, const char *s)
{
	cpk_json_key(j, key);
	cpk_json_string(j, s);
}

void
cpk_json_kv_int(cpk_json *j, const char *key, long long v)
{
	cpk_json_key(j, key);
	cpk_json_int(j, v);
}

void
cpk_json_kv_uint(cpk_json *j, const char *key, unsigned long long v)
{
	cpk_json_key(j, key);
	cpk_json_uint(j, v);
}

void
cpk_json_kv_bool(cpk_json *j, const char *key, int v)
{
	cpk_json_key(j, key);
	cpk_json_bool(j, v);
}

void
cpk_json_doc(cpk_json *j, FILE *o, const char *schema)
{
	cpk_json_init(j, o, CPK_JSON_LINE);
	cpk_json_obj(j);
	cpk_json_kv_str(j, "schema", schema);
}

void
cpk_json_kv_strs(cpk_json *j, const char *const (*kv)[2], size_t n)
{
	for (size_t i = 0; i < n; i++)
		cpk_json_kv_str(j, kv[i][0], kv[i][1]);
}

void
cpk_json_kv_nums(cpk_json *j, const cpk_json_num *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cpk_json_kv_uint(j, v[i].key, v[i].v);
}
