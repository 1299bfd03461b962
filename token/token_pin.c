/* Token PINs under the rules of TOKENS.md §6.2: the tries left are read
 * before any PIN is sent, with the empty VERIFY that Rutoken answers
 * without counting it; no PIN goes to a token whose tries cannot be read
 * that way, none when a wrong one would leave fewer than min_tries, and
 * none twice. */
#include <string.h>

#include <openssl/crypto.h>

#include "token_int.h"

#define PIN_MAX	32

cpk_err
cpk_token_logout(cpk_token *t)
{
	static const unsigned char cmd[] = { 0x80, 0x40, 0x00, 0x00 };
	unsigned sw;
	cpk_err r;

	/* §4.2 step 1: Aktiv's CLA 80 goes to Rutoken only */
	if (!cpk_tok_family_readable(t->model->family))
		return CPK_OK;
	/* on S in the MF, as OpenSC's rutoken_logout does (§4.1) */
	if (t->model->family == CPK_TOK_RUTOKEN_S &&
	    (r = cpk_tok_select_mf(t)) != CPK_OK)
		return r;
	if ((r = cpk_tok_cmd(t, cmd, sizeof(cmd), &sw)) != CPK_OK)
		return r;
	return cpk_sw_err(sw);
}

cpk_err
cpk_token_pin_state(cpk_token *t, enum cpk_pin_ref ref, cpk_pin_state *st)
{
	const unsigned char cmd[] = { 0x00, 0x20, 0x00, (unsigned char)ref };
	unsigned sw;
	cpk_err r;

	memset(st, 0, sizeof(*st));
	/* §6.2 rule 6: elsewhere the empty VERIFY may cost a try */
	if (!cpk_tok_family_readable(t->model->family))
		return CPK_E_PIN_UNKNOWN;
	if ((r = cpk_tok_cmd(t, cmd, sizeof(cmd), &sw)) != CPK_OK)
		return r;
	if (sw == 0x9000) {
		st->verified = 1;
		return CPK_OK;
	}
	if ((sw & 0xfff0) == 0x63c0) {
		st->known = 1;
		st->tries = sw & 0x0f;
		return CPK_OK;
	}
	if (sw == 0x6983 || sw == 0x6984) {
		st->known = 1;
		st->blocked = 1;
		return CPK_OK;
	}
	return sw == 0x6300 ? CPK_E_PIN_UNKNOWN : cpk_sw_err(sw);
}

/* The checks before a PIN may leave the host. Access rights are reset
 * first so that the empty VERIFY reports the counter, not an earlier
 * login, and the VERIFY does not meet "already logged in" (6F 86). */
static cpk_err
gate(cpk_token *t, enum cpk_pin_ref ref, unsigned min_tries,
    cpk_pin_state *st)
{
	cpk_err r;

	if ((r = cpk_token_logout(t)) != CPK_OK)
		return r;
	if ((r = cpk_token_pin_state(t, ref, st)) != CPK_OK)
		return r;
	if (st->blocked)
		return CPK_E_PIN_BLOCKED;
	if (!st->known)
		return CPK_E_PIN_UNKNOWN;
	if (st->tries <= min_tries)
		return CPK_E_PIN_LOW;
	return CPK_OK;
}

static cpk_err
send_pin(cpk_token *t, const unsigned char *hdr, const unsigned char *data,
    size_t len, unsigned *sw)
{
	unsigned char cmd[5 + 255];
	cpk_err r;

	if (len == 0 || len > 255)
		return CPK_E_ARG;
	memcpy(cmd, hdr, 4);
	cmd[4] = (unsigned char)len;
	memcpy(cmd + 5, data, len);
	t->pins_sent++;
	r = cpk_tok_cmd(t, cmd, 5 + len, sw);
	OPENSSL_cleanse(cmd, sizeof(cmd));
	return r;
}

/* The ECP/Lite form of a new PIN in CHANGE REFERENCE DATA: 80 02 <length
 * hi lo> A5 <length> <PIN> (OpenSC card-rtecp.c,
 * rtecp_change_reference_data). Returns the length written to out, which
 * holds 6 + PIN_MAX bytes. */
static size_t
tlv_pin(unsigned char *out, const char *pin, size_t len)
{
	out[0] = 0x80;
	out[1] = 0x02;
	out[2] = 0x00;
	out[3] = (unsigned char)len;
	out[4] = 0xa5;
	out[5] = (unsigned char)len;
	memcpy(out + 6, pin, len);
	return 6 + len;
}

int
cpk_tok_pin_format_confirmed(enum cpk_tok_family f)
{
	/* No family's CHANGE REFERENCE DATA has been seen on real hardware
	 * yet: OpenSC's drivers are an independent implementation, not a
	 * card (TOKENS.md §6.4). */
	(void)f;
	return 0;
}

static cpk_err
verify_bytes(cpk_token *t, enum cpk_pin_ref ref, const unsigned char *pin,
    size_t len, unsigned min_tries, cpk_pin_state *after)
{
	const unsigned char hdr[] = { 0x00, 0x20, 0x00, (unsigned char)ref };
	unsigned sw;
	cpk_err r;

	if ((r = gate(t, ref, min_tries, after)) != CPK_OK)
		return r;
	if ((r = send_pin(t, hdr, pin, len, &sw)) != CPK_OK)
		return r;
	if (sw == 0x9000) {
		memset(after, 0, sizeof(*after));
		after->verified = 1;
		return CPK_OK;
	}
	if (sw == 0x6300 || (sw & 0xfff0) == 0x63c0) {
		/* Lite/ECP answer 63 00: the count comes from an empty
		 * VERIFY, which costs nothing (§6.1) */
		if (cpk_token_pin_state(t, ref, after) != CPK_OK &&
		    (sw & 0xfff0) == 0x63c0) {
			after->known = 1;
			after->tries = sw & 0x0f;
		}
		return CPK_E_PIN_WRONG;
	}
	if (sw == 0x6983 || sw == 0x6984) {
		memset(after, 0, sizeof(*after));
		after->known = after->blocked = 1;
		return CPK_E_PIN_BLOCKED;
	}
	return sw == 0x6f86 ? CPK_E_CARD : cpk_sw_err(sw);
}

cpk_err
cpk_token_verify(cpk_token *t, enum cpk_pin_ref ref, const char *pin,
    size_t len, unsigned min_tries, cpk_pin_state *after)
{
	if (len == 0 || len > PIN_MAX)
		return CPK_E_ARG;
	return verify_bytes(t, ref, (const unsigned char *)pin, len,
	    min_tries, after);
}

/* A Rutoken S whose PIN an earlier cpkit changed with the ECP form may
 * hold those 6 + n bytes as its PIN (TOKENS.md §6.4): one VERIFY with
 * them, under the same gate. */
cpk_err
cpk_token_verify_legacy_tlv(cpk_token *t, enum cpk_pin_ref ref,
    const char *pin, size_t len, unsigned min_tries, cpk_pin_state *after)
{
	unsigned char data[6 + PIN_MAX];
	cpk_err r;

	if (len == 0 || len > 16)
		return CPK_E_ARG;
	if (t->model->family != CPK_TOK_RUTOKEN_S)
		return CPK_E_UNSUPPORTED;
	r = verify_bytes(t, ref, data, tlv_pin(data, pin, len), min_tries,
	    after);
	OPENSSL_cleanse(data, sizeof(data));
	return r;
}

/* CHANGE REFERENCE DATA 00 24 01 ref: Rutoken S takes the new PIN as it
 * is (OpenSC card-rutoken.c, rutoken_change_reference_data), ECP/Lite in
 * the TLV of tlv_pin() (card-rtecp.c). */
static cpk_err
change_pin(cpk_token *t, enum cpk_pin_ref target, enum cpk_pin_ref auth,
    const char *auth_pin, size_t auth_len, int auth_tlv, const char *new_pin,
    size_t new_len, unsigned min_tries, cpk_pin_state *after)
{
	const unsigned char hdr[] = { 0x00, 0x24, 0x01,
	    (unsigned char)target };
	unsigned char data[6 + PIN_MAX];
	size_t n;
	unsigned sw;
	cpk_err r, r2;

	if (new_len == 0 || new_len > 16 ||
	    (target == CPK_PIN_ADMIN && auth != CPK_PIN_ADMIN))
		return CPK_E_ARG;
	r = auth_tlv ? cpk_token_verify_legacy_tlv(t, auth, auth_pin,
	    auth_len, min_tries, after) : cpk_token_verify(t, auth, auth_pin,
	    auth_len, min_tries, after);
	if (r != CPK_OK)
		return r;
	if (t->model->family == CPK_TOK_RUTOKEN_S) {
		memcpy(data, new_pin, new_len);
		n = new_len;
	} else
		n = tlv_pin(data, new_pin, new_len);
	r = send_pin(t, hdr, data, n, &sw);
	OPENSSL_cleanse(data, sizeof(data));
	if (r == CPK_OK && sw != 0x9000)
		r = sw == 0x6982 ? CPK_E_DENIED : cpk_sw_err(sw);
	r2 = cpk_token_logout(t);
	if (r == CPK_OK && (r = r2) == CPK_OK)
		r = cpk_token_pin_state(t, target, after);
	return r;
}

cpk_err
cpk_token_change_pin(cpk_token *t, enum cpk_pin_ref target,
    enum cpk_pin_ref auth, const char *auth_pin, size_t auth_len,
    const char *new_pin, size_t new_len, unsigned min_tries,
    cpk_pin_state *after)
{
	return change_pin(t, target, auth, auth_pin, auth_len, 0, new_pin,
	    new_len, min_tries, after);
}

/* The way back from an old cpkit's change on a Rutoken S: the current PIN
 * goes in the ECP form it was stored in, the new one raw. */
cpk_err
cpk_token_change_pin_legacy_tlv(cpk_token *t, enum cpk_pin_ref target,
    enum cpk_pin_ref auth, const char *auth_pin, size_t auth_len,
    const char *new_pin, size_t new_len, unsigned min_tries,
    cpk_pin_state *after)
{
	return change_pin(t, target, auth, auth_pin, auth_len, 1, new_pin,
	    new_len, min_tries, after);
}

cpk_err
cpk_token_unblock(cpk_token *t, const char *admin_pin, size_t len,
    unsigned min_tries, cpk_pin_state *after)
{
	static const unsigned char cmd[] = { 0x00, 0x2c, 0x03, 0x02 };
	unsigned sw;
	cpk_err r, r2;

	if ((r = cpk_token_verify(t, CPK_PIN_ADMIN, admin_pin, len,
	    min_tries, after)) != CPK_OK)
		return r;
	if ((r = cpk_tok_cmd(t, cmd, sizeof(cmd), &sw)) == CPK_OK &&
	    sw != 0x9000)
		r = sw == 0x6982 ? CPK_E_DENIED : cpk_sw_err(sw);
	r2 = cpk_token_logout(t);
	if (r == CPK_OK && (r = r2) == CPK_OK)
		r = cpk_token_pin_state(t, CPK_PIN_USER, after);
	return r;
}
