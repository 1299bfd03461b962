/* The bounded JSON reader of cpkit-diag --merge (diag/jread.c) on any
 * bytes: a line of a cpkit.jsonl or a status.json fetched from a host
 * that may be hostile. Aborts when a parsed document breaks the reader's
 * own promises: nodes in document order, each inside its parent, ends
 * that step to the next sibling, offsets inside the input; a decoded
 * string holds no NUL and stays inside the buffer, cut or not. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jread.h"

#define NODES	512

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cpk_jnode v[NODES];
	cpk_jdoc d;
	char small[8], big[4096];
	long long ll;

	memset(&d, 0, sizeof(d));
	d.v = v;
	d.cap = NODES;
	if (cpk_jdoc_parse(&d, (const char *)data, size) != CPK_OK)
		return 0;
	if (d.n == 0 || d.v[0].end != d.n || d.v[0].parent != UINT32_MAX)
		abort();
	for (size_t i = 0; i < d.n; i++) {
		const cpk_jnode *nd = &d.v[i];
		if (nd->end <= i || nd->end > d.n)
			abort();
		if (i > 0 && (nd->parent >= i || nd->end >
		    d.v[nd->parent].end))
			abort();
		if ((size_t)nd->off + nd->len > size || (nd->klen > 0 &&
		    (size_t)nd->koff + nd->klen > size))
			abort();
		if (cpk_jdoc_is(&d, (long)i, CPK_J_STR)) {
			int cut = cpk_jdoc_str(&d, (long)i, small,
			    sizeof(small));
			if (cut < 0 || strlen(small) >= sizeof(small))
				abort();
			if (cpk_jdoc_str(&d, (long)i, big, sizeof(big)) < 0)
				abort();
		}
		(void)cpk_jdoc_int(&d, (long)i, &ll);
		/* every member found by its key is that member or an
		 * earlier one of the same key */
		if (nd->klen > 0 && nd->klen < sizeof(big)) {
			long got;

			memcpy(big, data + nd->koff, nd->klen);
			big[nd->klen] = '\0';
			/* a key with a NUL in it cannot be looked up */
			if (strlen(big) == nd->klen) {
				got = cpk_jdoc_get(&d, (long)nd->parent, big);
				if (got < 0 || got > (long)i)
					abort();
			}
		}
	}
	for (long i = cpk_jdoc_first(&d, 0), k = 0; i >= 0;
	    i = cpk_jdoc_next(&d, i), k++)
		if (d.v[i].parent != 0 || k > (long)d.n)
			abort();
	return 0;
}
