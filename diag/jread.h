/* A small bounded JSON reader (jread.c) for cpkit-diag --merge: one line
 * of a fetched cpkit.jsonl or a status.json at a time, parsed into a flat
 * array of nodes the caller gives (no allocation, so a hostile line costs
 * at most that array). Internal to diag/. */
#ifndef CPKIT_JREAD_H
#define CPKIT_JREAD_H

#include <stddef.h>
#include <stdint.h>

#include "container.h"

enum cpk_jtype { CPK_J_NULL, CPK_J_FALSE, CPK_J_TRUE, CPK_J_NUM,
	CPK_J_STR, CPK_J_ARR, CPK_J_OBJ };

/* Nodes in document order: a container's members follow it, and end is
 * the index after its last descendant, so the next sibling of node i is
 * node v[i].end. Offsets are into the text: a string's between its
 * quotes (escapes not yet decoded), a key's likewise (koff, klen; klen 0
 * and koff UINT32_MAX for array members and the root). */
typedef struct cpk_jnode {
	uint8_t		 type;
	uint32_t	 parent;	/* the root's is UINT32_MAX */
	uint32_t	 end;
	uint32_t	 koff, klen;
	uint32_t	 off, len;
} cpk_jnode;

#define CPK_JREAD_DEPTH	32	/* nesting; deeper is CPK_E_DEPTH */

typedef struct cpk_jdoc {
	const char	*text;
	size_t		 len;
	cpk_jnode	*v;		/* the caller's array of cap nodes */
	size_t		 n, cap;
} cpk_jdoc;

/* Parses exactly one JSON value (RFC 8259) filling d->v (cap nodes):
 * CPK_E_FORMAT for any syntax error or trailing bytes, CPK_E_DEPTH past
 * CPK_JREAD_DEPTH, CPK_E_TOO_BIG for more nodes than cap or a text of
 * 4 GB. Bytes inside strings are not checked as UTF-8 (the writers
 * replace invalid UTF-8 when they print), controls are refused. */
cpk_err	cpk_jdoc_parse(cpk_jdoc *d, const char *text, size_t len);
/* The member `key` of object node obj (its raw key compared byte for
 * byte), or -1: not an object, or no such member. */
long	cpk_jdoc_get(const cpk_jdoc *d, long obj, const char *key);
/* The first member of array or object node i, or -1 when empty; the
 * next is cpk_jdoc_next. */
long	cpk_jdoc_first(const cpk_jdoc *d, long i);
long	cpk_jdoc_next(const cpk_jdoc *d, long i);
/* A string node decoded into buf (cap > 0, always NUL-terminated, cut at
 * a character boundary); \u0000 and lone surrogates become U+FFFD. 0; -1
 * when i is not a string (buf is ""); 1 when it was cut. */
int	cpk_jdoc_str(const cpk_jdoc *d, long i, char *buf, size_t cap);
/* A number node as an integer (no fraction or exponent, within long
 * long): 0, else -1. */
int	cpk_jdoc_int(const cpk_jdoc *d, long i, long long *out);
/* 1 when node i exists and has type t. */
int	cpk_jdoc_is(const cpk_jdoc *d, long i, enum cpk_jtype t);

#endif
