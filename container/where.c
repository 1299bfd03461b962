/* Where a decoder stopped (issue 17 §3): the byte at which the bad element
 * starts and the ASN.1 field it was meant to be, so that a finding can say
 * "header.key: ... (primaryCertificate at byte 68)" instead of a bare
 * code. The cursor layer records the position and the decoders the field
 * names, innermost first, without changing their signatures. The state is
 * per thread: cpkit-list decodes containers on several threads at once. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static _Thread_local struct {
	const unsigned char	*at;
	char			 field[CPK_WHERE_FIELD_MAX];
} last;

void
cpk_where_reset(void)
{
	last.at = NULL;
	last.field[0] = '\0';
}

void
cpk_where_at(const unsigned char *p)
{
	if (last.at == NULL)	/* the innermost failure knows best */
		last.at = p;
}

void
cpk_where_field(const char *name)
{
	char buf[CPK_WHERE_FIELD_MAX];

	/* outer names go in front: params.publicKeyParamSet */
	/* a path longer than the buffer is cut, never overrun */
	if (snprintf(buf, sizeof(buf), "%s%s%s", name, last.field[0] ? "." :
	    "", last.field) < 0)
		return;
	memcpy(last.field, buf, sizeof(buf));
}

void
cpk_where_take(const unsigned char *base, size_t len, cpk_where *out)
{
	uintptr_t a = (uintptr_t)last.at, b = (uintptr_t)base;

	memset(out, 0, sizeof(*out));
	memcpy(out->field, last.field, sizeof(out->field));
	if (last.at != NULL && base != NULL && a >= b && a - b <= len) {
		out->offset = (size_t)(a - b);
		out->has_offset = 1;
	}
	cpk_where_reset();
}
