/* The two PINs (references 01 admin, 02 user) and their retry counters:
 * VERIFY (20) with and without data, CHANGE REFERENCE DATA (24), RESET
 * RETRY COUNTER (2C) and Aktiv's reset of access rights (80 40), with the
 * status words of TOKENS.md §4.3 and §6.1. One role is logged in at most. */
#include <string.h>

#include "vtoken.h"

void
vt_pin_wipe(vt_pin *p)
{
	explicit_bzero(p->val, sizeof(p->val));
	p->len = 0;
}

/* Compares without an early exit on the first differing byte. */
static int
pin_equal(const vt_pin *p, const unsigned char *d, size_t len)
{
	unsigned diff = 0;
	size_t i;

	if (len != p->len)
		return 0;
	for (i = 0; i < len; i++)
		diff |= (unsigned)(p->val[i] ^ d[i]);
	return diff == 0;
}

static uint16_t
tries_sw(unsigned tries)
{
	return (uint16_t)(0x63C0 | (tries > 15 ? 15 : tries));
}

/* Empty VERIFY: asks, does not try. Counts as a failure only on a card
 * made with --count-empty (the case OpenSC warns about, §6.1). */
static uint16_t
verify_empty(vt_card *c, vt_pin *p, int role)
{
	if (p->tries == 0)
		return 0x6983;
	if (c->logged == role)
		return 0x9000;
	if (c->count_empty && --p->tries == 0)
		return 0x6983;
	return tries_sw(p->tries);
}

void
vt_cmd_verify(vt_card *c, const vt_apdu *a, vt_resp *r)
{
	vt_pin *p;
	int role;

	if (a->lc == 0)
		c->verify_empty++;
	else
		c->verify_data++;
	if (a->p1 != 0x00) {
		r->sw = 0x6A86;
		return;
	}
	if (a->p2 != VT_ROLE_ADMIN && a->p2 != VT_ROLE_USER) {
		r->sw = 0x6A88;
		return;
	}
	role = a->p2;
	p = &c->pin[role - 1];
	if (a->lc == 0)
		r->sw = verify_empty(c, p, role);
	else if (p->tries == 0)
		r->sw = 0x6983;		/* blocked: the right PIN too */
	else if (c->model != VT_S && c->logged != VT_NOBODY)
		r->sw = 0x6F86;		/* already logged in (card-rtecp) */
	else if (pin_equal(p, a->data, a->lc)) {
		p->tries = p->max;
		c->logged = role;
		r->sw = 0x9000;
	} else {
		c->logged = VT_NOBODY;
		if (--p->tries == 0)
			r->sw = 0x6983;
		else
			r->sw = c->model == VT_S ? tries_sw(p->tries) : 0x6300;
	}
}

/* Lite/ECP data: 80 02 <len hi> <len lo> A5 <len> <new PIN>, every length
 * agreeing with the others and with Lc (OpenSC card-rtecp.c). Rutoken S
 * takes the new PIN as it is (card-rutoken.c) and answers 6A80 to data in
 * the ECP form, as OpenSC's check against vtoken expects. Returns the PIN
 * length, 0 when malformed. */
static size_t
new_pin(const vt_card *c, const vt_apdu *a, const unsigned char **pin)
{
	const unsigned char *d = a->data;
	size_t len;

	if (c->model == VT_S) {
		if (a->lc == 0 || a->lc > VT_MAX_PIN ||
		    (a->lc >= 6 && d[0] == 0x80 && d[1] == 0x02 &&
		    d[4] == 0xA5))
			return 0;
		*pin = d;
		return a->lc;
	}
	if (a->lc < 6 || d[0] != 0x80 || d[1] != 0x02 || d[4] != 0xA5)
		return 0;
	len = (size_t)d[2] << 8 | d[3];
	if (len != d[5] || len != a->lc - 6 || len > VT_MAX_PIN)
		return 0;
	*pin = d + 6;
	return len;
}

void
vt_cmd_change(vt_card *c, const vt_apdu *a, vt_resp *r)
{
	const unsigned char *pin = NULL;
	vt_pin *p;
	size_t len;

	if (a->p1 != 0x01) {
		r->sw = 0x6A86;
		return;
	}
	if (a->p2 != VT_ROLE_ADMIN && a->p2 != VT_ROLE_USER) {
		r->sw = 0x6A88;
		return;
	}
	if (c->logged != VT_ROLE_ADMIN &&
	    (a->p2 == VT_ROLE_ADMIN || c->logged != VT_ROLE_USER)) {
		r->sw = 0x6982;
		return;
	}
	if ((len = new_pin(c, a, &pin)) == 0) {
		r->sw = 0x6A80;
		return;
	}
	p = &c->pin[a->p2 - 1];
	vt_pin_wipe(p);
	memcpy(p->val, pin, len);
	p->len = len;
	p->tries = p->max;
	r->sw = 0x9000;
}

void
vt_cmd_unblock(vt_card *c, const vt_apdu *a, vt_resp *r)
{
	if (a->p1 != 0x03)
		r->sw = 0x6A86;
	else if (a->p2 != VT_ROLE_USER)
		r->sw = 0x6A88;
	else if (a->lc != 0)
		r->sw = 0x6700;
	else if (c->logged != VT_ROLE_ADMIN)
		r->sw = 0x6982;
	else {
		c->pin[VT_ROLE_USER - 1].tries = c->pin[VT_ROLE_USER - 1].max;
		r->sw = 0x9000;
	}
}

void
vt_cmd_logout(vt_card *c, const vt_apdu *a, vt_resp *r)
{
	if (a->p1 != 0x00 || a->p2 != 0x00) {
		r->sw = 0x6A86;
		return;
	}
	c->logged = VT_NOBODY;
	r->sw = 0x9000;
}
