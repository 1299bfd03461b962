/* Hand-built header.key variants for tests and samples: the key validity
 * extension replaced, the header MAC recomputed (FORMATS.md §13.2). */
#ifndef CPKIT_TEST_HDRPATCH_H
#define CPKIT_TEST_HDRPATCH_H

#include "container.h"

/* hdr with the first element of tag `tag` of its content replaced by the
 * TLV raw[0..n) (the others of that tag dropped; appended when there is
 * none), the header MAC recomputed with profile p's S-box. */
cpk_err	hdr_replace(const cpk_blob *hdr, unsigned tag,
	    const unsigned char *raw, size_t n, enum cpk_profile p,
	    cpk_blob **out);
/* hdr with every extension [12] replaced by one extension (oid, extnValue
 * val[0..n)), the header MAC recomputed with profile p's S-box. */
cpk_err	hdr_with_ext(const cpk_blob *hdr, const char *oid,
	    const unsigned char *val, size_t n, enum cpk_profile p,
	    cpk_blob **out);
/* The same with the key validity extension (.37.3.10) holding only
 * notAfter [1], written as the string gt (any bytes, unchecked). */
cpk_err	hdr_with_not_after(const cpk_blob *hdr, const char *gt,
	    enum cpk_profile p, cpk_blob **out);

#endif
