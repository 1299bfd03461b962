/*
 * cpkit: the one JSON writer (container/json.c). Every JSON document
 * cpkit prints goes through it (docs/STYLE.md §11): it places the commas
 * and colons, escapes strings in one place, bounds the nesting and
 * remembers the first error, so no tool or renderer prints JSON by hand.
 * Part of the public API (cpkit.h).
 */
#ifndef CPKIT_JSON_H
#define CPKIT_JSON_H

#include <stdio.h>

#include "err.h"

/* Objects and arrays open at once, at most; one more is CPK_E_DEPTH. */
#define CPK_JSON_DEPTH		16
/* cpk_json_init flags: a newline after each top-level value (JSON Lines);
 * without it the values follow each other as written. */
#define CPK_JSON_LINE		1u

/* The caller's writer state; only the functions below touch it. The
 * output is compact; cpk_json_nl() places the newlines of a layout that
 * puts, say, one array member a line. The first error (a failed write,
 * a level past CPK_JSON_DEPTH, a key outside an object) stops all
 * further output and is what cpk_json_done() returns. The writer takes
 * no stdio lock: one thread writes a stream at a time. */
typedef struct cpk_json {
	FILE		*o;
	unsigned	 flags;
	unsigned	 depth;			/* objects and arrays open */
	cpk_err		 err;
	unsigned char	 obj[CPK_JSON_DEPTH];	/* 1: that level an object */
	unsigned char	 any[CPK_JSON_DEPTH];	/* 1: it has a member */
	unsigned char	 keyed;			/* a key waits for its value */
	unsigned char	 nl;			/* a newline before the next */
} cpk_json;

void	cpk_json_init(cpk_json *, FILE *, unsigned flags);
/* Back to the state of init, on the same stream and flags. */
void	cpk_json_clear(cpk_json *);
/* Flushes the stream; CPK_OK, or the first error: CPK_E_IO (or
 * CPK_E_NO_SPACE) for a write the stream refused, CPK_E_DEPTH, or
 * CPK_E_INTERNAL for calls out of order or a level left open. */
cpk_err	cpk_json_done(cpk_json *);

void	cpk_json_obj(cpk_json *);
void	cpk_json_obj_end(cpk_json *);
void	cpk_json_arr(cpk_json *);
void	cpk_json_arr_end(cpk_json *);
/* A member's name in an object; the next call writes its value. */
void	cpk_json_key(cpk_json *, const char *);
/* A string (cpk_display_json_unit escapes it; NULL writes null). */
void	cpk_json_string(cpk_json *, const char *);
/* A string made by printf; for values that are text already known to be
 * plain (hex, status words); it is escaped all the same. */
void	cpk_json_stringf(cpk_json *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	cpk_json_int(cpk_json *, long long);
void	cpk_json_uint(cpk_json *, unsigned long long);
void	cpk_json_bool(cpk_json *, int);
void	cpk_json_null(cpk_json *);
/* A value the caller has as JSON text already (a number it formatted, a
 * line read back from a results file), written as it is. */
void	cpk_json_raw(cpk_json *, const char *);
/* The same for a value built apart, in a stream of its own (the fleet
 * report's hosts and problems, written as each host is read): all of it,
 * from its start. A read error is CPK_E_IO. */
void	cpk_json_raw_file(cpk_json *, FILE *);
/* For an array written a member at a time by calls that keep no writer
 * (cpk_render_list_row: cpkit-list streams its rows): a fresh writer
 * takes up inside an array that has `members` members already, so that
 * the next member or the closing bracket gets its comma. Writes nothing. */
void	cpk_json_resume_arr(cpk_json *, size_t members);
/* A newline before the next member or closing bracket, after its comma
 * (at the top level: now). */
void	cpk_json_nl(cpk_json *);

/* A document of a versioned schema: init with CPK_JSON_LINE, the object
 * opened and its "schema" member written. */
void	cpk_json_doc(cpk_json *, FILE *, const char *schema);

/* A schema's plain members from a table, in its order: strings (kv[i][0]
 * the key, kv[i][1] the value or NULL) and counts. */
void	cpk_json_kv_strs(cpk_json *, const char *const (*kv)[2], size_t n);
typedef struct cpk_json_num {
	const char		*key;
	unsigned long long	 v;
} cpk_json_num;
void	cpk_json_kv_nums(cpk_json *, const cpk_json_num *, size_t n);

/* Key and value in one call. */
void	cpk_json_kv_str(cpk_json *, const char *key, const char *);
void	cpk_json_kv_int(cpk_json *, const char *key, long long);
void	cpk_json_kv_uint(cpk_json *, const char *key, unsigned long long);
void	cpk_json_kv_bool(cpk_json *, const char *key, int);

#endif
