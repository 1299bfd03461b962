/* SELECT (INS A4) as Rutoken answers it (TOKENS.md §4.1): by file ID from
 * the current DF, by absolute path (P1 08), the parent (P1 03), and the
 * listing pair list-first (P1 00, no data) / list-next (P2 02). File IDs
 * in the data field are little-endian on Rutoken S (§3). */
#include "vtoken.h"

static uint16_t
fid_at(const vt_card *c, const unsigned char *p)
{
	if (c->model == VT_S)
		return (uint16_t)(p[1] << 8 | p[0]);
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The child after fid in df; NULL at the end or when fid is no child. */
static vt_node *
list_next(const vt_node *df, uint16_t fid)
{
	vt_node *n = vt_fs_child(df, fid);

	return n != NULL ? n->next : NULL;
}

/* P1 08: the path from the MF, MF omitted, one FID per two bytes. */
static vt_node *
by_path(const vt_card *c, const unsigned char *p, size_t len)
{
	vt_node *n = c->mf;
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		if (!n->is_df)
			return NULL;		/* an EF has no children */
		if ((n = vt_fs_child(n, fid_at(c, p + i))) == NULL)
			return NULL;
	}
	return n;
}

/* Returns the node to select; *sw is set when there is none. */
static vt_node *
target(const vt_card *c, const vt_apdu *a, uint16_t *sw)
{
	vt_node *n = NULL;
	uint16_t fid;

	*sw = 0x6A82;
	switch (a->p1) {
	case 0x00:
		if (a->p2 == 0x02 && a->lc == 2)
			n = list_next(c->cur_df, fid_at(c, a->data));
		else if (a->p2 == 0x02 || (a->lc != 0 && a->lc != 2))
			*sw = 0x6A87;
		else if (a->lc == 0)
			n = c->cur_df->child;		/* list first */
		else {
			fid = fid_at(c, a->data);
			n = fid == 0x3F00 ? c->mf : vt_fs_child(c->cur_df, fid);
		}
		break;
	case 0x03:
		if (a->lc != 0)
			*sw = 0x6A87;
		else
			n = c->cur_df->parent != NULL ? c->cur_df->parent :
			    c->mf;
		break;
	case 0x08:
		if (a->lc == 0 || a->lc % 2 != 0)
			*sw = 0x6A87;
		else
			n = by_path(c, a->data, a->lc);
		break;
	default:
		*sw = 0x6A86;
		break;
	}
	return n;
}

void
vt_cmd_select(vt_card *c, const vt_apdu *a, vt_resp *r)
{
	vt_node *n;

	if ((a->p2 != 0x00 && a->p2 != 0x02 && a->p2 != 0x04 &&
	    a->p2 != 0x0C) || (a->p2 == 0x02 && a->p1 != 0x00)) {
		r->sw = 0x6A86;
		return;
	}
	/* --refuse-0c: the firmware of issue 16, which wants to return the
	 * file info (OpenSC card-rtecp.c: ECP SC T0); --no-listing: one
	 * that refuses list-first/list-next */
	if ((c->refuse_0c && a->p2 == 0x0C) || (c->no_listing &&
	    a->p1 == 0x00 && (a->p2 == 0x02 || a->lc == 0))) {
		r->sw = 0x6A86;
		return;
	}
	/* --protect-sys: a folder closed to listing without a PIN */
	if (c->cur_df->no_list && a->p1 == 0x00 && (a->p2 == 0x02 ||
	    a->lc == 0)) {
		r->sw = 0x6982;
		return;
	}
	if ((n = target(c, a, &r->sw)) == NULL)
		return;			/* a failed SELECT changes nothing */
	if (n->is_df) {
		c->cur_df = n;
		c->cur_ef = NULL;
	} else {
		c->cur_df = n->parent;
		c->cur_ef = n;
	}
	r->sw = 0x9000;
	if (a->p2 != 0x0C)
		r->len = vt_fs_fcp(c, n, r->data);
}
