/* One card session, the public side (cpk_token_*): opening and closing
 * it, what the ATR said, the serial number and information block, where
 * the last command failed. The APDU exchange itself is tok_io.c.
 * TOKENS.md §3, §4.1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "token_int.h"

cpk_err
cpk_token_open(cpk_transport *tr, const unsigned char *atr, size_t atr_len,
    cpk_token **out)
{
	cpk_token *t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		if (tr->close != NULL)
			tr->close(tr->ctx);
		return CPK_E_NOMEM;
	}
	t->tr = *tr;
	t->atr_len = atr_len < sizeof(t->atr) ? atr_len : sizeof(t->atr);
	memcpy(t->atr, atr, t->atr_len);
	t->model = cpk_atr_model(atr, atr_len);
	/* a guess until SELECT MF has been probed (cpk_tok_select_mf) */
	t->swapped = t->model->family == CPK_TOK_RUTOKEN_S;
	*out = t;
	return CPK_OK;
}

void
cpk_token_close(cpk_token **tp)
{
	if (tp == NULL || *tp == NULL)
		return;
	if ((*tp)->tr.close != NULL)
		(*tp)->tr.close((*tp)->tr.ctx);
	free(*tp);
	*tp = NULL;
}

const cpk_tok_model *
cpk_token_model(const cpk_token *t)
{
	return t->model;
}

const unsigned char *
cpk_token_atr(const cpk_token *t, size_t *len)
{
	*len = t->atr_len;
	return t->atr;
}

unsigned
cpk_token_pins_sent(const cpk_token *t)
{
	return t->pins_sent;
}

int
cpk_token_where(const cpk_token *t, cpk_where *out)
{
	if (!t->failed) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	*out = t->where;
	return 1;
}

static void
to_hex(const unsigned char *b, size_t n, char *out, size_t cap)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t k = 0;

	for (size_t i = 0; i < n && k + 2 < cap; i++) {
		out[k++] = hx[b[i] >> 4];
		out[k++] = hx[b[i] & 15];
	}
	out[k] = '\0';
}

/* Lite/ECP answer 8 bytes, the number in the last 4; Rutoken S answers
 * the 4 bytes reversed (§4.1). */
cpk_err
cpk_token_serial(cpk_token *t, char *hex, size_t cap, unsigned long *num)
{
	unsigned char cmd[] = { 0x00, 0xca, 0x01, 0x81, 0x00 };
	unsigned char d[CPK_TOK_DATA_MAX], s[4];
	size_t n;
	unsigned sw;
	cpk_err r;

	if (!cpk_tok_family_readable(t->model->family))
		return CPK_E_UNSUPPORTED;	/* §4.2: no CLA/INS guessing */
	if (t->swapped)
		cmd[4] = 0x04;
	if ((r = cpk_tok_xfer(t, cmd, sizeof(cmd), d, &n, &sw)) != CPK_OK)
		return r;
	if (sw != 0x9000)
		return cpk_sw_err(sw);
	if (n < 4)
		return CPK_E_CARD;
	for (int i = 0; i < 4; i++)
		s[i] = t->swapped ? d[3 - i] : d[n - 4 + (size_t)i];
	to_hex(s, 4, hex, cap);
	*num = (unsigned long)s[0] << 24 | (unsigned long)s[1] << 16 |
	    (unsigned long)s[2] << 8 | s[3];
	return CPK_OK;
}

cpk_err
cpk_token_info(cpk_token *t, unsigned char *buf, size_t *len)
{
	static const unsigned char cmd[] = { 0x00, 0xca, 0x01, 0x89, 0x00 };
	unsigned char d[CPK_TOK_DATA_MAX];
	size_t n;
	unsigned sw;
	cpk_err r;

	if (!cpk_tok_family_readable(t->model->family))
		return CPK_E_UNSUPPORTED;
	if ((r = cpk_tok_xfer(t, cmd, sizeof(cmd), d, &n, &sw)) != CPK_OK)
		return r;
	if (sw != 0x9000)
		return cpk_sw_err(sw);
	if (n > *len)
		n = *len;
	memcpy(buf, d, n);
	*len = n;
	return CPK_OK;
}
