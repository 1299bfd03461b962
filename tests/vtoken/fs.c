/* The card's file system (TOKENS.md §2, §3) and its FCP encoding (§5).
 * Nodes come from a fixed pool in the card; children are kept in listing
 * order, the order list-first / list-next walks them. */
#include <stdlib.h>
#include <string.h>

#include "vtoken.h"

static const unsigned char atr_lite[] = { 0x3B, 0x8B, 0x01, 0x52, 0x75, 0x74,
	0x6F, 0x6B, 0x65, 0x6E, 0x6C, 0x69, 0x74, 0x65, 0xC2 };
static const unsigned char atr_ecp[] = { 0x3B, 0x8B, 0x01, 0x52, 0x75, 0x74,
	0x6F, 0x6B, 0x65, 0x6E, 0x20, 0x44, 0x53, 0x20, 0xC1 };
static const unsigned char atr_s[] = { 0x3B, 0x6F, 0x00, 0xFF, 0x00, 0x56,
	0x72, 0x75, 0x54, 0x6F, 0x6B, 0x6E, 0x73, 0x30, 0x20, 0x00, 0x00, 0x90,
	0x00 };

vt_node *
vt_fs_add(vt_card *c, vt_node *parent, uint16_t fid, int is_df)
{
	vt_node *n, **tail;

	if (c->nnodes == VT_MAX_NODES)
		return NULL;
	n = &c->nodes[c->nnodes++];
	memset(n, 0, sizeof(*n));
	n->fid = fid;
	n->is_df = is_df;
	n->parent = parent;
	if (parent != NULL) {
		tail = &parent->child;
		while (*tail != NULL)
			tail = &(*tail)->next;
		*tail = n;
	}
	return n;
}

vt_node *
vt_fs_child(const vt_node *df, uint16_t fid)
{
	vt_node *n;

	for (n = df->child; n != NULL; n = n->next)
		if (n->fid == fid)
			return n;
	return NULL;
}

/* An EF of size bytes: the first len bytes of content, then fill. */
static vt_node *
add_ef(vt_card *c, vt_node *df, uint16_t fid, const unsigned char *content,
    size_t len, size_t size, unsigned char fill)
{
	vt_node *n;

	if ((n = vt_fs_add(c, df, fid, 0)) == NULL ||
	    (n->data = malloc(size)) == NULL)
		return NULL;
	memset(n->data, fill, size);
	if (len > 0)
		memcpy(n->data, content, len);
	n->size = size;
	n->read_cond = VT_FREE;
	return n;
}

/* A DF with unrelated EFs and an empty DF, listed before the containers so
 * that a walk has to enter, leave and skip them. */
static int
add_decoy(vt_card *c, vt_node *parent)
{
	static const unsigned char junk[] = "not a CryptoPro file";
	vt_node *df;

	if ((df = vt_fs_add(c, parent, 0x5000, 1)) == NULL ||
	    add_ef(c, df, 0x5011, junk, sizeof(junk) - 1, 32, 0x00) == NULL ||
	    add_ef(c, df, 0x5012, NULL, 0, 16, 0x5A) == NULL ||
	    vt_fs_add(c, parent, 0x5100, 1) == NULL)
		return -1;
	return 0;
}

/* MF/1000 with 1000 (SysKey-DF) and 1001 (EFs 8001, 8002), OpenSC's
 * profile folders (TOKENS.md §2.1); --protect-sys makes both answer 6982
 * to listing, as a token may keep them closed without a PIN. */
static vt_node *
add_sys(vt_card *c, const vt_config *cfg)
{
	vt_node *sys, *k, *r1;

	if ((sys = vt_fs_add(c, c->mf, 0x1000, 1)) == NULL ||
	    (k = vt_fs_add(c, sys, 0x1000, 1)) == NULL ||
	    (r1 = vt_fs_add(c, sys, 0x1001, 1)) == NULL ||
	    add_ef(c, r1, 0x8001, NULL, 0, 16, 0x00) == NULL ||
	    add_ef(c, r1, 0x8002, NULL, 0, 16, 0x00) == NULL)
		return NULL;
	k->no_list = r1->no_list = cfg->protect_sys;
	return sys;
}

/* Lite/ECP: the Aktiv system tree of §2.1; S: the one observed CryptoPro
 * path 0000/0000/0002 of §3. Returns the DF that holds the containers, or
 * NULL (with *err set) when there is none. */
static vt_node *
build_tree(vt_card *c, const vt_config *cfg, int *err)
{
	vt_node *sys, *where = NULL, *n;

	*err = -1;
	if ((c->mf = vt_fs_add(c, NULL, 0x3F00, 1)) == NULL)
		return NULL;
	if (c->model == VT_S) {
		if ((n = vt_fs_add(c, c->mf, 0x0000, 1)) == NULL ||
		    (n = vt_fs_add(c, n, 0x0000, 1)) == NULL ||
		    (where = vt_fs_add(c, n, 0x0002, 1)) == NULL)
			return NULL;
		/* --protect-sys on S: OpenSC's system folders after it */
		if (cfg->protect_sys && add_sys(c, cfg) == NULL)
			return NULL;
		*err = 0;
		return where;
	}
	if ((sys = add_sys(c, cfg)) == NULL ||
	    vt_fs_add(c, sys, 0x1002, 1) == NULL ||
	    (!cfg->no_1003 && (where = vt_fs_add(c, sys, 0x1003, 1)) == NULL) ||
	    vt_fs_add(c, sys, 0x1004, 1) == NULL)
		return NULL;
	*err = 0;
	if (where == NULL && cfg->decoy)	/* no 1003: decoys in 1000 */
		*err = add_decoy(c, sys);
	return where;
}

int
vt_fs_build(vt_card *c, const vt_config *cfg)
{
	vt_node *where;
	size_t i;
	int err;

	c->model = cfg->model;
	if (cfg->atr_len > 0) {
		memcpy(c->atr, cfg->atr, cfg->atr_len);
		c->atr_len = cfg->atr_len;
	} else if (c->model == VT_S) {
		memcpy(c->atr, atr_s, sizeof(atr_s));
		c->atr_len = sizeof(atr_s);
	} else {
		memcpy(c->atr, c->model == VT_ECP ? atr_ecp : atr_lite,
		    sizeof(atr_lite));
		c->atr_len = sizeof(atr_lite);
	}
	c->serial = cfg->serial;
	memcpy(c->pin, cfg->pin, sizeof(c->pin));
	c->count_empty = cfg->count_empty;
	c->refuse_0c = cfg->refuse_0c;
	c->no_listing = cfg->no_listing;
	c->raw_t0 = cfg->raw_t0;
	c->busy = cfg->busy;
	c->pull_after = cfg->pull_after;
	where = build_tree(c, cfg, &err);
	if (err != 0)
		return -1;
	if (where != NULL && cfg->decoy && add_decoy(c, where) != 0)
		return -1;
	for (i = 0; i < cfg->ndirs; i++)
		if (vt_load_container(c, where, (unsigned)i, cfg->dirs[i],
		    cfg) != 0)
			return -1;
	vt_card_reset(c);
	return 0;
}

static unsigned char *
put2(unsigned char *p, unsigned char tag, unsigned v, int little)
{
	p[0] = tag;
	p[1] = 2;
	p[2] = (unsigned char)(little ? v & 0xFF : v >> 8 & 0xFF);
	p[3] = (unsigned char)(little ? v >> 8 & 0xFF : v & 0xFF);
	return p + 4;
}

/* Tag 86. Lite/ECP: 15 bytes, the access-mode mask, then the condition of
 * mode k at byte 1 + k whether or not the modes before it are in the mask
 * (READ 1, UPDATE 2, DELETE 7), as OpenSC's card-rtecp.c
 * set_acl_from_sec_attr reads it. S: OpenSC's 40-byte SecAttrV2: mask, a
 * method byte per mode at 1 + mode (00 none, 01 PIN, FF never), and a key
 * reference per mode at 8 + 4 * mode (card-rutoken.c, same function). */
static size_t
sec_attr(const vt_card *c, const vt_node *n, unsigned char *p)
{
	unsigned char rc = n->is_df ? VT_FREE : n->read_cond;
	size_t len = c->model == VT_S ? 40 : 15;

	p[0] = 0x86;
	p[1] = (unsigned char)len;
	memset(p + 2, 0, len);
	p[2] = 0x43;		/* modes 0 READ, 1 UPDATE, 6 DELETE */
	if (c->model != VT_S) {
		p[2 + 1] = rc;		/* mode 0 READ */
		p[2 + 2] = VT_USER;	/* mode 1 UPDATE */
		p[2 + 7] = VT_ADMIN;	/* mode 6 DELETE */
		return 2 + len;
	}
	p[2 + 1] = rc == VT_FREE ? 0x00 : rc == VT_NEVER ? 0xFF : 0x01;
	p[2 + 8] = rc == VT_FREE || rc == VT_NEVER ? 0x00 : rc;
	p[2 + 2] = 0x01;		/* UPDATE: user PIN */
	p[2 + 8 + 4] = VT_USER;
	p[2 + 7] = 0x01;		/* DELETE: admin PIN */
	p[2 + 8 + 24] = VT_ADMIN;
	return 2 + len;
}

/* 62 LL 80 81 82 83 8A 86, as Rutoken Lite returns it (§5); sizes and the
 * file ID little-endian on S (§3). out holds VT_FCP_MAX bytes. */
size_t
vt_fs_fcp(const vt_card *c, const vt_node *n, unsigned char *out)
{
	int le = c->model == VT_S;
	unsigned char *p = out + 2;
	unsigned size = (unsigned)(n->size & VT_MAX_EF);	/* 2 bytes */

	p = put2(p, 0x80, size, le);
	p = put2(p, 0x81, size, le);
	p = put2(p, 0x82, n->is_df ? 0x3800 : 0x0100, 0);
	p = put2(p, 0x83, n->fid, le);
	*p++ = 0x8A;
	*p++ = 0x01;
	*p++ = 0x05;			/* life cycle: operational, activated */
	p += sec_attr(c, n, p);
	out[0] = 0x62;
	out[1] = (unsigned char)(p - out - 2);	/* at most 61 */
	return (size_t)(p - out);
}

void
vt_fs_free(vt_card *c)
{
	size_t i;

	for (i = 0; i < c->nnodes; i++) {
		if (c->nodes[i].data != NULL) {
			explicit_bzero(c->nodes[i].data, c->nodes[i].size);
			free(c->nodes[i].data);
			c->nodes[i].data = NULL;
		}
	}
	c->nnodes = 0;
}
