/* Where a damaged file stops being readable (issue 17 §3): a decoder's
 * failure names the ASN.1 field and the byte at which the bad element
 * starts. The offsets are those of samples/flash/good2001.000, read with
 * `openssl asn1parse -inform DER -i` (header.key: attributes at 20,
 * primaryPrivateKeyParameters at 24, hmacPassword at 60,
 * primaryCertificate at 66, hmacKeyContainerContent at 467). */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "../container/internal.h"
#include "tokens.h"
#include "helpers.h"

#define GOOD	"samples/flash/good2001.000"

/* file, bytes kept (or, with patch_at > 0, the whole file with one byte
 * changed), the error and where it is */
struct row {
	enum cpk_file_id id;
	size_t		 keep;
	long		 patch_at;
	unsigned char	 patch;
	cpk_err		 err;
	const char	*where;
};

static const struct row rows[] = {
	{ CPK_F_HEADER, 3, -1, 0, CPK_E_TRUNCATED, "at byte 0" },
	{ CPK_F_HEADER, 10, -1, 0, CPK_E_TRUNCATED,
	  "containerAlgoritmIdentifier at byte 8" },
	{ CPK_F_HEADER, 30, -1, 0, CPK_E_TRUNCATED,
	  "primaryPrivateKeyParameters at byte 24" },
	/* cut between two elements of the content */
	{ CPK_F_HEADER, 60, -1, 0, CPK_E_TRUNCATED,
	  "keyContainerContent at byte 60" },
	{ CPK_F_HEADER, 62, -1, 0, CPK_E_TRUNCATED, "hmacPassword at byte 60" },
	{ CPK_F_HEADER, 100, -1, 0, CPK_E_TRUNCATED,
	  "primaryCertificate at byte 66" },
	{ CPK_F_HEADER, 470, -1, 0, CPK_E_TRUNCATED,
	  "hmacKeyContainerContent at byte 467" },
	/* the MAC is not an OCTET STRING */
	{ CPK_F_HEADER, 0, 467, 0x05, CPK_E_TAG,
	  "hmacKeyContainerContent at byte 467" },
	/* attributes is a BIT STRING: an INTEGER there is read as a later
	 * field, and the header lacks its required attributes */
	{ CPK_F_HEADER, 0, 20, 0x02, CPK_E_FORMAT, "attributes" },
	/* inside a required field: the innermost element that failed */
	{ CPK_F_HEADER, 0, 26, 0x05, CPK_E_TAG,
	  "primaryPrivateKeyParameters at byte 26" },
	{ CPK_F_PRIMARY, 20, -1, 0, CPK_E_TRUNCATED, "at byte 2" },
	{ CPK_F_PRIMARY, 1, -1, 0, CPK_E_TRUNCATED, "at byte 0" },
};
#define NROWS	(sizeof(rows) / sizeof(rows[0]))

ParameterizedTestParameters(where, damaged_files)
{
	static int idx[NROWS];

	for (size_t i = 0; i < NROWS; i++)
		idx[i] = (int)i;
	return cr_make_param_array(int, idx, NROWS);
}

ParameterizedTest(int *i, where, damaged_files)
{
	const struct row *w = &rows[*i];
	cpk_files *f = load_files(GOOD);
	cpk_blob *b;
	cpk_container *c = NULL;
	char text[160];

	cr_assert_not_null(f);
	b = f->f[w->id];
	if (w->patch_at >= 0) {
		cr_assert_lt((size_t)w->patch_at, b->len);
		b->ptr[w->patch_at] = w->patch;
	} else
		b->len = w->keep;
	cr_assert_eq(cpk_container_decode(f, &c), CPK_OK);
	cr_assert_eq(c->err[w->id], w->err, "row %d: %s", *i,
	    cpk_err_text(c->err[w->id]));
	cr_assert_str_eq(cpk_where_text(&c->where[w->id], text,
	    sizeof(text)), w->where, "row %d: \"%s\"", *i, text);
	/* the files that decoded have no where */
	cr_assert_str_eq(cpk_where_text(&c->where[CPK_F_NAME], text,
	    sizeof(text)), "");
	cpk_container_free(&c);
	cpk_files_free(&f);
}
