/* READ BINARY (B0) and UPDATE BINARY (D6) on the current EF, gated by the
 * conditions of its tag 86. The test switches live here too: --busy
 * answers 6F 84 to the first READs, --pull-after-reads pulls the card
 * after the Nth READ. Every READ and UPDATE is counted, whatever its
 * answer, so the tests can prove that a client never wrote. */
#include <string.h>

#include "vtoken.h"

/* A condition names one role: the admin PIN does not open what needs the
 * user PIN (the conditions are key references, not levels). */
int
vt_cond_met(const vt_card *c, unsigned char cond)
{
	switch (cond) {
	case VT_FREE:
		return 1;
	case VT_USER:
		return c->logged == VT_ROLE_USER;
	case VT_ADMIN:
		return c->logged == VT_ROLE_ADMIN;
	default:
		return 0;
	}
}

static void
read_ef(const vt_card *c, const vt_apdu *a, vt_resp *r)
{
	const vt_node *ef = c->cur_ef;
	size_t off = (size_t)a->p1 << 8 | a->p2, n;

	if (ef == NULL) {
		r->sw = 0x6986;
		return;
	}
	if (!vt_cond_met(c, ef->read_cond)) {
		r->sw = 0x6982;
		return;
	}
	if (a->lc != 0 || !a->has_le) {
		r->sw = 0x6700;
		return;
	}
	if (off > ef->size) {
		r->sw = 0x6B00;
		return;
	}
	n = ef->size - off;
	if (n > a->ne)
		n = a->ne;
	if (n > VT_MAX_DATA)
		n = VT_MAX_DATA;
	memcpy(r->data, ef->data + off, n);	/* off + n <= size */
	r->len = n;
	r->sw = n < a->ne ? 0x6282 : 0x9000;	/* end of file before Le */
}

void
vt_cmd_read(vt_card *c, const vt_apdu *a, vt_resp *r)
{
	c->reads++;
	if (c->busy > 0) {
		c->busy--;
		r->sw = 0x6F84;
	} else {
		read_ef(c, a, r);
	}
	if (c->pull_after != 0 && c->reads == c->pull_after)
		c->pull_now = 1;
}

void
vt_cmd_update(vt_card *c, const vt_apdu *a, vt_resp *r)
{
	vt_node *ef = c->cur_ef;
	size_t off = (size_t)a->p1 << 8 | a->p2;

	c->updates++;
	if (ef == NULL)
		r->sw = 0x6986;
	else if (!vt_cond_met(c, VT_USER))
		r->sw = 0x6982;
	else if (a->lc == 0)
		r->sw = 0x6700;
	else if (off > ef->size)
		r->sw = 0x6B00;
	else if (a->lc > ef->size - off)
		r->sw = 0x6A84;		/* no room: nothing written */
	else {
		memcpy(ef->data + off, a->data, a->lc);
		r->sw = 0x9000;
	}
}
