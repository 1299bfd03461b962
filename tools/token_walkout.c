/* cpkit-token's report of how the containers were found (issue 16
 * points 3 and 9): by probing paths when the token refused listing, and
 * the folders the walk was not allowed to list. */
#include <stdio.h>

#include "token_cmd.h"

void
tok_walk_text(const cpk_tok_list *l)
{
	char path[64];

	if (l->found_by == CPK_FOUND_PROBING)
		printf(_("  found by   probing 1000/1003/0A00, 0B00, ... by "
		    "path: the token refused listing (SW %04X)\n"),
		    l->list_sw & 0xffff);
	for (size_t i = 0; i < l->nskipped; i++) {
		cpk_tok_fids(l->skipped[i].path, l->skipped[i].depth, path,
		    sizeof(path));
		printf(_("  skipped    folder %s: the token would not list "
		    "it without a PIN (SW %04X)\n"), path,
		    l->skipped[i].sw & 0xffff);
	}
}

void
tok_walk_json(cpk_json *j, const cpk_tok_list *l)
{
	char path[64];

	cpk_json_kv_str(j, "found_by", l->found_by == CPK_FOUND_PROBING ?
	    "probing" : "listing");
	if (l->found_by == CPK_FOUND_PROBING) {
		cpk_json_key(j, "listing_sw");
		cpk_json_stringf(j, "%04X", l->list_sw & 0xffff);
	}
	cpk_json_key(j, "skipped_folders");
	cpk_json_arr(j);
	for (size_t i = 0; i < l->nskipped; i++) {
		cpk_tok_fids(l->skipped[i].path, l->skipped[i].depth, path,
		    sizeof(path));
		cpk_json_obj(j);
		cpk_json_kv_str(j, "df", path);
		cpk_json_key(j, "sw");
		cpk_json_stringf(j, "%04X", l->skipped[i].sw & 0xffff);
		cpk_json_obj_end(j);
	}
	cpk_json_arr_end(j);
}
