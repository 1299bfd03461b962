/* Talking to the card (cpk_tok_*, inside the token layer): sending APDUs
 * with the T=0 answer fetching that Rutoken S needs, selecting files in
 * the card's byte order, reading an EF, and noting where a command
 * failed. TOKENS.md §3, §4.1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "token_int.h"

/* For 6C xx: the same command with Le = xx. Our commands are case 1-4
 * short APDUs; Le is the last byte of case 2 and 4. */
static size_t
with_le(const unsigned char *cmd, size_t len, unsigned le, unsigned char *out)
{
	memcpy(out, cmd, len);
	if (len == 5 || (len > 5 && (size_t)cmd[4] + 6 == len)) {
		out[len - 1] = (unsigned char)le;
		return len;
	}
	out[len] = (unsigned char)le;
	return len + 1;
}

void
cpk_tok_at(cpk_token *t, const unsigned *fids, size_t n)
{
	if (n == 0)
		snprintf(t->at, sizeof(t->at), "3F00");
	else
		cpk_tok_fids(fids, n, t->at, sizeof(t->at));
}

/* The command's name as TOKENS.md §4.1 spells it, from CLA INS P1 P2:
 * never the data, which may be a PIN. */
static const char *
op_name(const unsigned char *cmd, size_t len)
{
	switch (cmd[1]) {
	case 0xa4:
		if (cmd[2] == 0x03)
			return "SELECT parent";
		if (cmd[2] == 0x00 && cmd[3] == 0x02)
			return "list-next";
		if (cmd[2] == 0x00 && len == 5)
			return "list-first";
		return "SELECT";
	case 0xb0:
		return "READ BINARY";
	case 0xca:
		return "GET DATA";
	case 0x20:
		return "VERIFY";
	case 0x24:
		return "CHANGE REFERENCE DATA";
	case 0x2c:
		return "RESET RETRY COUNTER";
	case 0x40:
		return "RESET ACCESS RIGHTS";
	default:
		return "APDU";
	}
}

/* Records how a command ended: a failure with its SW (sw, 0 for none)
 * or PC/SC code, or nothing (a success clears the last failure). */
static void
note(cpk_token *t, const unsigned char *cmd, size_t len, cpk_err r,
    unsigned sw)
{
	cpk_where *w = &t->where;
	char text[CPK_WHERE_PATH_MAX + 160];

	t->failed = r != CPK_OK || (sw != 0x9000 && sw != 0x6282);
	if (!t->failed)
		return;
	memset(w, 0, sizeof(*w));
	w->op = op_name(cmd, len);
	memcpy(w->path, t->at, sizeof(w->path));
	if (sw != 0 && sw != 0x9000) {
		w->sw = sw;
		w->has_sw = 1;
	} else if (t->tr.status != NULL &&
	    (w->pcsc = t->tr.status(t->tr.ctx)) != 0)
		w->has_pcsc = 1;
	/* -v shows each refusal; 6A82 ends every listing and probe, and
	 * 63 Cx answers the empty VERIFY that reads the tries, so these
	 * are shown only with -vvv */
	cpk_log(sw == 0x6a82 || (sw & 0xfff0) == 0x63c0 ? CPK_LOG_DEBUG :
	    CPK_LOG_ERR, "token", "%s", cpk_where_text(w, text,
	    sizeof(text)));
}

#define TOK_CMD_MAX	(5 + 255 + 1)
#define TOK_ROUNDS	8	/* 61/6C exchanges before giving up */

cpk_err
cpk_tok_xfer(cpk_token *t, const unsigned char *cmd, size_t len,
    unsigned char *data, size_t *data_len, unsigned *sw)
{
	unsigned char cur[TOK_CMD_MAX + 1], resp[CPK_TOK_DATA_MAX + 2];
	size_t cur_len = len, got = 0, n;
	int resent = 0;
	cpk_err r = CPK_OK;

	if (len < 4 || len > TOK_CMD_MAX)
		return CPK_E_ARG;
	memcpy(cur, cmd, len);
	for (int round = 0; round < TOK_ROUNDS; round++) {
		n = sizeof(resp);
		if ((r = t->tr.transmit(t->tr.ctx, cur, cur_len, resp,
		    &n)) != CPK_OK)
			goto out;
		if (n < 2 || n > sizeof(resp)) {
			r = CPK_E_CARD;
			goto out;
		}
		*sw = (unsigned)resp[n - 2] << 8 | resp[n - 1];
		if ((*sw >> 8) == 0x6c && !resent) {
			/* wrong Le: the card says which; data is not kept */
			cur_len = with_le(cmd, len, *sw & 0xff, cur);
			resent = 1;
			got = 0;
			continue;
		}
		if (got + n - 2 > CPK_TOK_DATA_MAX) {
			r = CPK_E_CARD;
			goto out;
		}
		if (n > 2)
			memcpy(data + got, resp, n - 2);
		got += n - 2;
		if ((*sw >> 8) != 0x61)
			goto out;
		/* T=0: the answer waits for GET RESPONSE */
		cur[0] = 0x00;
		cur[1] = 0xc0;
		cur[2] = 0x00;
		cur[3] = 0x00;
		cur[4] = (unsigned char)(*sw & 0xff);
		cur_len = 5;
	}
	r = CPK_E_CARD;		/* a card that never finishes its answer */
out:
	note(t, cmd, len, r, r == CPK_OK ? *sw : 0);
	*data_len = got;
	OPENSSL_cleanse(cur, sizeof(cur));	/* may hold a PIN */
	OPENSSL_cleanse(resp, sizeof(resp));
	return r;
}

cpk_err
cpk_tok_cmd(cpk_token *t, const unsigned char *cmd, size_t len, unsigned *sw)
{
	unsigned char d[CPK_TOK_DATA_MAX];
	size_t n;

	return cpk_tok_xfer(t, cmd, len, d, &n, sw);
}

static void
put_fid(const cpk_token *t, unsigned fid, unsigned char *p)
{
	p[t->swapped ? 1 : 0] = (unsigned char)(fid >> 8);
	p[t->swapped ? 0 : 1] = (unsigned char)fid;
}

/* Rutoken S sees file IDs little-endian through its driver stack, the
 * others big-endian (§3). Which one a card wants is found by trying MF
 * both ways, the model's likely order first, and remembered. P2 is 00
 * ("return the FCP") on every family, as §4.1 says and as OpenSC sends
 * it: Rutoken ECP SC T0 refuses SELECT without the file info (6A 86). */
cpk_err
cpk_tok_select_mf(cpk_token *t)
{
	unsigned char cmd[] = { 0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00 };
	int order[2];
	unsigned sw = 0;
	cpk_err r;

	cpk_tok_at(t, NULL, 0);
	order[0] = t->swapped;
	order[1] = !t->swapped;
	for (int i = 0; i < (t->mf_probed ? 1 : 2); i++) {
		t->swapped = order[i];
		put_fid(t, 0x3f00, cmd + 5);
		if ((r = cpk_tok_cmd(t, cmd, sizeof(cmd), &sw)) != CPK_OK)
			return r;
		if (sw == 0x9000) {
			t->mf_probed = 1;
			return CPK_OK;
		}
	}
	t->swapped = order[0];
	return sw == 0x6a82 ? CPK_E_NOT_FOUND : cpk_sw_err(sw);
}

cpk_err
cpk_tok_select_path(cpk_token *t, const unsigned *fids, size_t n,
    cpk_fcp *fcp)
{
	unsigned char cmd[5 + 2 * CPK_TOK_MAX_DEPTH + 2 + 1];
	unsigned char d[CPK_TOK_DATA_MAX];
	size_t len = 0, dn;
	unsigned sw;
	cpk_err r;

	if (n == 0 || n > CPK_TOK_MAX_DEPTH + 1)
		return CPK_E_ARG;
	cpk_tok_at(t, fids, n);
	cmd[len++] = 0x00;
	cmd[len++] = 0xa4;
	cmd[len++] = 0x08;
	cmd[len++] = t->swapped ? 0x00 : 0x04;	/* both: "return the FCP" */
	cmd[len++] = (unsigned char)(2 * n);
	for (size_t i = 0; i < n; i++, len += 2)
		put_fid(t, fids[i], cmd + len);
	cmd[len++] = 0x00;
	if ((r = cpk_tok_xfer(t, cmd, len, d, &dn, &sw)) != CPK_OK)
		return r;
	if (sw != 0x9000)
		return cpk_sw_err(sw);
	if (fcp != NULL && cpk_fcp_parse(d, dn, t->swapped, fcp) != CPK_OK) {
		note(t, cmd, len, CPK_E_CARD, 0);	/* its FCP is bad */
		return CPK_E_CARD;
	}
	return CPK_OK;
}

#define TOK_CHUNK	0xf0u	/* ≤ 255 per READ BINARY (§4.1) */

cpk_err
cpk_tok_read_ef(cpk_token *t, size_t size, cpk_blob **out)
{
	unsigned char cmd[5], d[CPK_TOK_DATA_MAX];
	size_t off = 0, n, want;
	unsigned sw;
	cpk_err r;

	if (size > CPK_FILE_MAX)
		return CPK_E_TOO_BIG;
	if ((r = cpk_blob_new(NULL, 0, out)) != CPK_OK)
		return r;
	while (off < size) {
		want = size - off < TOK_CHUNK ? size - off : TOK_CHUNK;
		cmd[0] = 0x00;
		cmd[1] = 0xb0;
		cmd[2] = (unsigned char)(off >> 8);
		cmd[3] = (unsigned char)off;
		cmd[4] = (unsigned char)want;
		if ((r = cpk_tok_xfer(t, cmd, sizeof(cmd), d, &n, &sw)) !=
		    CPK_OK)
			goto fail;
		if (sw != 0x9000 && sw != 0x6282) {
			r = cpk_sw_err(sw);
			goto fail;
		}
		if (n > want) {
			r = CPK_E_CARD;
			goto fail;
		}
		if ((r = cpk_blob_append(*out, d, n)) != CPK_OK)
			goto fail;
		off += n;
		if (sw == 0x6282 || n == 0)	/* end of file came early */
			break;
	}
	OPENSSL_cleanse(d, sizeof(d));
	return CPK_OK;
fail:
	OPENSSL_cleanse(d, sizeof(d));
	cpk_blob_free(out);
	return r;
}
