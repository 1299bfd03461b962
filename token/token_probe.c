/* Finding containers without listing, on a Rutoken Lite/ECP whose
 * firmware refuses list-first/list-next (issue 16 point 3). CSP's own
 * traces never list: they SELECT 1000/1003/0A00, 0B00, ... by path until
 * 6A82 (TOKENS.md §2.2, §2.3), and this does the same, plus the six EFs
 * NN01..NN06 of each DF found, whose FCPs give sizes and READ
 * conditions as listing would. Every probe counts against the walk's
 * node bound. */
#include <string.h>

#include "token_int.h"

#define PROBE_FIRST	0x0au	/* CSP's first container DF is 0A00 */
#define PROBE_LAST	0xffu	/* the DF number is one byte */

/* One EF probe; *found is set when it is there (6A82: it is not). */
static cpk_err
probe_ef(cpk_token *t, const unsigned *path, cpk_tok_cont *c, int *found)
{
	cpk_tok_file *tf;
	cpk_fcp f;
	cpk_err r;

	r = cpk_tok_select_path(t, path, 4, &f);
	if (r == CPK_E_NOT_FOUND)
		return CPK_OK;
	if (r != CPK_OK)
		return r;
	if (f.is_df)
		return CPK_OK;	/* not a container file */
	tf = &c->f[cpk_tok_file_of(path[3] & 0xff)];
	tf->present = 1;
	tf->size = f.size;
	tf->read = f.read;
	*found = 1;
	return CPK_OK;
}

cpk_err
cpk_tok_probe(cpk_token *t, cpk_tok_list *out)
{
	unsigned path[4] = { 0x1000, 0x1003, 0, 0 };
	unsigned nodes = 0;
	cpk_err r;

	for (unsigned nn = PROBE_FIRST; nn <= PROBE_LAST; nn++) {
		cpk_tok_cont c;
		cpk_fcp f;
		int found = 0;

		if ((nodes += 7) > CPK_TOK_MAX_NODES) {
			out->truncated = 1;
			return CPK_OK;
		}
		path[2] = nn << 8;
		r = cpk_tok_select_path(t, path, 3, &f);
		if (r == CPK_E_NOT_FOUND)
			return CPK_OK;		/* the end, as for CSP */
		if (r != CPK_OK)
			return r;
		if (!f.is_df)
			continue;
		memset(&c, 0, sizeof(c));
		for (unsigned k = 1; k <= 6 && r == CPK_OK; k++) {
			path[3] = nn << 8 | k;
			r = probe_ef(t, path, &c, &found);
		}
		if (r != CPK_OK)
			return r;
		if (!found)
			continue;
		memcpy(c.path, path, 3 * sizeof(path[0]));
		c.depth = 3;
		if ((r = cpk_tok_list_add(out, &c)) != CPK_OK)
			return r;
	}
	out->truncated = 1;	/* 0A00..FF00 all there: none said the end */
	return CPK_OK;
}
