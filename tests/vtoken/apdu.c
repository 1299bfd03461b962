/* Command APDUs: ISO 7816-3 parsing (short and extended, every length
 * checked against what is left), dispatch by CLA/INS, GET DATA, and the
 * framing of Rutoken S: data + SW in one answer as Aktiv's PC/SC driver
 * hands it to applications (the default), or with --raw-t0 the bare T=0
 * chip's 61 xx, 6C xx and GET RESPONSE (TOKENS.md §4.1). */
#include <string.h>

#include "vtoken.h"

static vt_resp resp;		/* 64 KiB: too big for the stack */

/* Returns 0, or -1 when the length bytes do not add up (67 00). */
int
vt_apdu_parse(const unsigned char *b, size_t n, vt_apdu *a)
{
	size_t rest, v;

	memset(a, 0, sizeof(*a));
	if (n < 4)
		return -1;
	a->cla = b[0];
	a->ins = b[1];
	a->p1 = b[2];
	a->p2 = b[3];
	rest = n - 4;
	if (rest == 0)				/* case 1 */
		return 0;
	if (rest == 1) {			/* case 2 short */
		a->has_le = 1;
		a->ne = b[4] != 0 ? b[4] : 256;
		return 0;
	}
	if (b[4] != 0) {			/* case 3 or 4 short */
		a->lc = b[4];
		a->data = b + 5;
		if (rest == 1 + a->lc)
			return 0;
		if (rest != 2 + a->lc)
			return -1;
		a->has_le = 1;
		a->ne = b[5 + a->lc] != 0 ? b[5 + a->lc] : 256;
		return 0;
	}
	if (rest < 3)				/* extended: 00 + two bytes */
		return -1;
	a->extended = 1;
	v = (size_t)b[5] << 8 | b[6];
	if (rest == 3) {			/* case 2 extended */
		a->has_le = 1;
		a->ne = v != 0 ? v : 65536;
		return 0;
	}
	if (v == 0)
		return -1;
	a->lc = v;
	a->data = b + 7;
	if (rest == 3 + a->lc)			/* case 3 extended */
		return 0;
	if (rest != 5 + a->lc)
		return -1;
	v = (size_t)b[7 + a->lc] << 8 | b[8 + a->lc];
	a->has_le = 1;
	a->ne = v != 0 ? v : 65536;
	return 0;
}

/* T=0 data nobody fetched; it may be key material. */
static void
drop_pending(vt_card *c)
{
	explicit_bzero(c->pending, sizeof(c->pending));
	c->npending = 0;
}

/* Power off, reset, removal: back to the MF, nobody logged in. */
void
vt_card_reset(vt_card *c)
{
	c->cur_df = c->mf;
	c->cur_ef = NULL;
	c->logged = VT_NOBODY;
	drop_pending(c);
}

static void
put(vt_resp *r, const unsigned char *p, size_t n)
{
	memcpy(r->data, p, n);		/* n is at most a few dozen here */
	r->len = n;
	r->sw = 0x9000;
}

/* Made-up but plausible info bytes; the first is Aktiv's token class
 * (TOKENS.md §6.1: S 0, ECP 1, Lite 2). */
static void
get_data(vt_card *c, const vt_apdu *a, vt_resp *r)
{
	static const unsigned char info_lite[12] = { 0x02, 0x09, 0x02, 0x00,
	    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x0A };
	static const unsigned char info_ecp[12] = { 0x01, 0x17, 0x02, 0x00,
	    0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x0A };
	static const unsigned char info_s[8] = { 0x00, 0x24, 0x00, 0x00,
	    0x00, 0x01, 0x0A, 0x0A };
	unsigned char sn[8] = { 0 };
	uint32_t s = c->serial;

	if (a->p1 == 0x01 && a->p2 == 0x81 && c->model == VT_S) {
		sn[0] = (unsigned char)(s & 0xFF);	/* reversed (§3) */
		sn[1] = (unsigned char)(s >> 8 & 0xFF);
		sn[2] = (unsigned char)(s >> 16 & 0xFF);
		sn[3] = (unsigned char)(s >> 24);
		put(r, sn, 4);
	} else if (a->p1 == 0x01 && a->p2 == 0x81) {
		sn[4] = (unsigned char)(s >> 24);
		sn[5] = (unsigned char)(s >> 16 & 0xFF);
		sn[6] = (unsigned char)(s >> 8 & 0xFF);
		sn[7] = (unsigned char)(s & 0xFF);
		put(r, sn, 8);
	} else if (a->p1 == 0x01 && a->p2 == 0x89) {
		if (c->model == VT_S)
			put(r, info_s, sizeof(info_s));
		else
			put(r, c->model == VT_ECP ? info_ecp : info_lite, 12);
	} else {
		r->sw = 0x6A88;
	}
}

/* T=0 only: hands out what the last command kept back. */
static void
get_response(vt_card *c, const vt_apdu *a, vt_resp *r)
{
	if (a->p1 != 0 || a->p2 != 0)
		r->sw = 0x6A86;
	else if (a->lc != 0)
		r->sw = 0x6700;
	else if (c->npending == 0)
		r->sw = 0x6985;
	else if (a->ne != 256 && a->ne != c->npending)
		r->sw = (uint16_t)(0x6C00 | (c->npending & 0xFF));
	else {
		put(r, c->pending, c->npending);
		drop_pending(c);
	}
}

static void
dispatch(vt_card *c, const vt_apdu *a, vt_resp *r)
{
	if (a->cla == 0x80 && a->ins == 0x40) {
		vt_cmd_logout(c, a, r);
		return;
	}
	if (a->cla != 0x00 && a->cla != 0x80) {
		r->sw = 0x6E00;
		r->note = "bad-cla";
		return;
	}
	r->sw = 0x6D00;
	r->note = "unknown-ins";
	if (a->cla != 0x00)
		return;
	switch (a->ins) {
	case 0xA4: vt_cmd_select(c, a, r); break;
	case 0xB0: vt_cmd_read(c, a, r); break;
	case 0xD6: vt_cmd_update(c, a, r); break;
	case 0xCA: get_data(c, a, r); break;
	case 0x20: vt_cmd_verify(c, a, r); break;
	case 0x24: vt_cmd_change(c, a, r); break;
	case 0x2C: vt_cmd_unblock(c, a, r); break;
	case 0xC0:		/* Aktiv's driver does GET RESPONSE itself */
		if (c->model == VT_S && c->raw_t0)
			get_response(c, a, r);
		break;
	default:
		return;
	}
	if (r->sw != 0x6D00)
		r->note = NULL;
}

/* Lite/ECP (T=1): the data goes out at once. Le shorter than the answer
 * is 6C xx, except for READ BINARY, where Le sets how much to read. */
static size_t
frame_t1(const vt_apdu *a, const vt_resp *r, unsigned char *out)
{
	if (a->has_le && a->ins != 0xB0 && r->len > a->ne) {
		out[0] = 0x6C;
		out[1] = (unsigned char)(r->len & 0xFF);
		return 2;
	}
	memcpy(out, r->data, r->len);
	out[r->len] = (unsigned char)(r->sw >> 8);
	out[r->len + 1] = (unsigned char)(r->sw & 0xFF);
	return r->len + 2;
}

/* Rutoken S behind Aktiv's driver: the driver answers 61 xx and 6C xx
 * itself, so the application gets all the data and the final SW at once,
 * whatever Le it sent. */
static size_t
frame_driver(const vt_resp *r, unsigned char *out)
{
	memcpy(out, r->data, r->len);
	out[r->len] = (unsigned char)(r->sw >> 8);
	out[r->len + 1] = (unsigned char)(r->sw & 0xFF);
	return r->len + 2;
}

/* Rutoken S (bare T=0, --raw-t0): N data bytes are kept and announced as 61 N; a case-2
 * command whose Le is neither 00 nor N gets 6C N instead. */
static size_t
frame_t0(vt_card *c, const vt_apdu *a, const vt_resp *r, unsigned char *out)
{
	uint16_t sw = r->sw;

	if (a->ins == 0xC0 && r->len > 0)	/* GET RESPONSE hands it out */
		return frame_t1(a, r, out);
	if (r->len > 0 && a->lc == 0 && a->has_le && a->ne != 256 &&
	    a->ne != r->len)
		sw = (uint16_t)(0x6C00 | (r->len & 0xFF));
	else if (r->len > 0) {
		memcpy(c->pending, r->data, r->len);	/* <= 256: checked */
		c->npending = r->len;
		/* 61 00 announces 256 bytes */
		sw = (uint16_t)(0x6100 | (r->len & 0xFF));
	}
	out[0] = (unsigned char)(sw >> 8);
	out[1] = (unsigned char)(sw & 0xFF);
	return 2;
}

/* Handles one command; out holds VT_MAX_MSG bytes. */
size_t
vt_card_apdu(vt_card *c, const unsigned char *cmd, size_t len,
    unsigned char *out, const char **note)
{
	vt_apdu a;
	size_t n;

	c->apdus++;
	resp.len = 0;
	resp.sw = 0x6F00;
	resp.note = NULL;
	if (vt_apdu_parse(cmd, len, &a) != 0) {
		resp.sw = 0x6700;
		resp.note = "bad-length";
	} else if (c->model == VT_S && a.extended) {
		resp.sw = 0x6700;	/* T=0 carries no extended lengths */
		resp.note = "extended-on-t0";
	} else {
		if (!(a.cla == 0x00 && a.ins == 0xC0))
			drop_pending(c);	/* any other command drops it */
		dispatch(c, &a, &resp);
	}
	if (c->model == VT_S && resp.len > sizeof(c->pending)) {
		resp.len = 0;		/* cannot happen: Ne <= 256 on S */
		resp.sw = 0x6F00;
	}
	*note = resp.note;
	if (c->model == VT_S && c->raw_t0)
		n = frame_t0(c, &a, &resp, out);
	else if (c->model == VT_S)
		n = frame_driver(&resp, out);
	else
		n = frame_t1(&a, &resp, out);
	explicit_bzero(resp.data, resp.len);	/* it may be key material */
	return n;
}
