/* The layout of cpk_container, for the library's own layers (container/,
 * media/, token/, diag/, recovery/). Programs and the public headers see
 * it opaque: a field added here changes no ABI. */
#ifndef CPKIT_CONTAINER_INT_H
#define CPKIT_CONTAINER_INT_H

#include "container.h"

struct cpk_container {
	cpk_header	*header;
	cpk_masks	*masks[2];	/* [0] masks.key, [1] masks2.key */
	cpk_primary	*primary[2];
	char		*name;		/* UTF-8, NULL when name.key is bad */
	cpk_blob	*name_raw;	/* name.key as stored: never rewritten */
	const char	*name_enc;
	cpk_err		 err[CPK_F_COUNT];	/* decode result per file */
	cpk_where	 where[CPK_F_COUNT];	/* where a failed one stopped */
	enum cpk_profile profile;
	const cpk_curve	*curve;
};

#endif
