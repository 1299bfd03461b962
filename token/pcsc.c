/* PC/SC through pcsc-lite: the only file that includes <winscard.h>
 * (STYLE.md §9). It turns readers and cards into cpk_transports; all
 * card logic lives above it, in token*.c. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <winscard.h>

#include "token_int.h"

struct cpk_pcsc {
	SCARDCONTEXT	ctx;
};

struct pcsc_card {
	SCARDHANDLE	h;
	DWORD		proto;
	LONG		last;	/* the last transmit's failure, or 0 */
};

static cpk_err
map_rv(LONG rv)
{
	switch (rv) {
	case SCARD_S_SUCCESS:
		return CPK_OK;
	case SCARD_E_NO_SERVICE:
	case SCARD_E_SERVICE_STOPPED:
		return CPK_E_NO_PCSCD;
	case SCARD_E_NO_READERS_AVAILABLE:
	case SCARD_E_UNKNOWN_READER:
	case SCARD_E_READER_UNAVAILABLE:
		return CPK_E_NO_READER;
	case SCARD_E_NO_SMARTCARD:
		return CPK_E_NO_CARD;
	case SCARD_W_REMOVED_CARD:
	case SCARD_W_RESET_CARD:
	case SCARD_W_UNPOWERED_CARD:
	case SCARD_W_UNRESPONSIVE_CARD:
		return CPK_E_CARD_REMOVED;
	case SCARD_E_SHARING_VIOLATION:
		return CPK_E_CARD_BUSY;
	case SCARD_E_NO_MEMORY:
		return CPK_E_NOMEM;
	default:
		cpk_log(CPK_LOG_DEBUG, __func__, "PC/SC: %s",
		    pcsc_stringify_error(rv));
		return CPK_E_PCSC;
	}
}

cpk_err
cpk_pcsc_open(cpk_pcsc **out)
{
	cpk_pcsc *p;
	LONG rv;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return CPK_E_NOMEM;
	if ((rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL,
	    &p->ctx)) != SCARD_S_SUCCESS) {
		free(p);
		return map_rv(rv);
	}
	*out = p;
	return CPK_OK;
}

void
cpk_pcsc_close(cpk_pcsc **pp)
{
	if (pp == NULL || *pp == NULL)
		return;
	SCardReleaseContext((*pp)->ctx);
	free(*pp);
	*pp = NULL;
}

void
cpk_pcsc_names_free(char **v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

#define READERS_MAX	64

cpk_err
cpk_pcsc_readers(cpk_pcsc *p, char ***names, size_t *n)
{
	DWORD len = 0;
	char *buf = NULL, **v = NULL;
	size_t k = 0;
	LONG rv;
	cpk_err r = CPK_OK;

	*names = NULL;
	*n = 0;
	rv = SCardListReaders(p->ctx, NULL, NULL, &len);
	if (rv == SCARD_E_NO_READERS_AVAILABLE)
		return CPK_OK;
	if (rv != SCARD_S_SUCCESS)
		return map_rv(rv);
	if (len < 1 || len > 65536 || (buf = malloc(len + 1)) == NULL)
		return len < 1 || len > 65536 ? CPK_E_PCSC : CPK_E_NOMEM;
	if ((rv = SCardListReaders(p->ctx, NULL, buf, &len)) !=
	    SCARD_S_SUCCESS) {
		r = rv == SCARD_E_NO_READERS_AVAILABLE ? CPK_OK : map_rv(rv);
		goto out;
	}
	buf[len] = '\0';	/* a multi-string: names, then an empty one */
	if ((v = calloc(READERS_MAX, sizeof(*v))) == NULL) {
		r = CPK_E_NOMEM;
		goto out;
	}
	for (char *s = buf; s < buf + len && *s != '\0' && k < READERS_MAX;
	    s += strlen(s) + 1)
		if ((v[k++] = strdup(s)) == NULL) {
			r = CPK_E_NOMEM;
			goto out;
		}
	*names = v;
	*n = k;
	v = NULL;
out:
	cpk_pcsc_names_free(v, k);
	free(buf);
	return r;
}

/* pcscd reports a card pulled out mid-command in several ways (a failed
 * transaction, a comm error, "no smart card"), and its reader thread may
 * notice the removal a moment after the failed command: ask the reader
 * whether the card is still there, for up to a second. */
static int
gone(struct pcsc_card *c)
{
	DWORD state, proto, alen, rlen;
	BYTE a[MAX_ATR_SIZE];
	LONG rv;

	for (int i = 0; i < 10; i++) {
		state = 0;
		alen = sizeof(a);
		rlen = 0;
		rv = SCardStatus(c->h, NULL, &rlen, &state, &proto, a, &alen);
		/* pcscd itself is gone: nothing will change by waiting */
		if (rv == SCARD_E_NO_SERVICE || rv == SCARD_E_SERVICE_STOPPED)
			return 0;
		if (rv == SCARD_W_REMOVED_CARD || rv == SCARD_E_NO_SMARTCARD ||
		    rv == SCARD_W_RESET_CARD ||
		    rv == SCARD_E_READER_UNAVAILABLE ||
		    (rv == SCARD_S_SUCCESS && (state & SCARD_PRESENT) == 0))
			return 1;
		nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL);
	}
	return 0;
}

static cpk_err
card_transmit(void *ctx, const unsigned char *cmd, size_t cmd_len,
    unsigned char *resp, size_t *resp_len)
{
	struct pcsc_card *c = ctx;
	DWORD rl = (DWORD)*resp_len;
	LONG rv;

	rv = SCardTransmit(c->h, c->proto == SCARD_PROTOCOL_T0 ?
	    SCARD_PCI_T0 : SCARD_PCI_T1, cmd, (DWORD)cmd_len, NULL, resp,
	    &rl);
	c->last = rv;
	if (rv != SCARD_S_SUCCESS)
		return gone(c) ? CPK_E_CARD_REMOVED : map_rv(rv);
	if (rl > *resp_len)
		return CPK_E_PCSC;
	*resp_len = (size_t)rl;
	return CPK_OK;
}

static unsigned long
card_status(void *ctx)
{
	/* SCARD_E_... are 32-bit codes held in a LONG */
	return (unsigned long)((struct pcsc_card *)ctx)->last & 0xffffffffUL;
}

static void
card_close(void *ctx)
{
	struct pcsc_card *c = ctx;

	(void)SCardEndTransaction(c->h, SCARD_LEAVE_CARD);
	(void)SCardDisconnect(c->h, SCARD_LEAVE_CARD);
	free(c);
}

cpk_err
cpk_pcsc_connect(cpk_pcsc *p, const char *reader, cpk_transport *tr,
    unsigned char *atr, size_t *atr_len)
{
	struct pcsc_card *c;
	BYTE a[MAX_ATR_SIZE];
	DWORD alen = sizeof(a), state, proto, rlen = 0;
	LONG rv;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return CPK_E_NOMEM;
	rv = SCardConnect(p->ctx, reader, SCARD_SHARE_SHARED,
	    SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &c->h, &c->proto);
	if (rv != SCARD_S_SUCCESS) {
		free(c);
		return map_rv(rv);
	}
	/* nobody else talks to the card until card_close(): primary and
	 * masks come from one state of the token (TOKENS.md §2.2) */
	if ((rv = SCardBeginTransaction(c->h)) != SCARD_S_SUCCESS ||
	    (rv = SCardStatus(c->h, NULL, &rlen, &state, &proto, a,
	    &alen)) != SCARD_S_SUCCESS) {
		(void)SCardDisconnect(c->h, SCARD_LEAVE_CARD);
		free(c);
		return map_rv(rv);
	}
	if (alen > 33)
		alen = 33;
	memcpy(atr, a, alen);
	*atr_len = alen;
	tr->transmit = card_transmit;
	tr->close = card_close;
	tr->status = card_status;
	tr->ctx = c;
	return CPK_OK;
}

static cpk_err
pick_reader(char **names, size_t n, const char *want, size_t *idx)
{
	size_t hits = 0;

	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], want) == 0) {
			*idx = i;
			return CPK_OK;
		}
	for (size_t i = 0; i < n; i++)
		if (strstr(names[i], want) != NULL) {
			*idx = i;
			hits++;
		}
	return hits == 1 ? CPK_OK : hits == 0 ? CPK_E_NO_SUCH_READER :
	    CPK_E_READER_AMBIGUOUS;
}

cpk_err
cpk_token_connect(cpk_pcsc *p, const char *reader, cpk_token **out,
    char **name_out)
{
	char **names = NULL;
	unsigned char atr[33];
	size_t n = 0, atr_len, idx = 0, cards = 0;
	cpk_transport tr;
	cpk_err r;

	*out = NULL;
	*name_out = NULL;
	if ((r = cpk_pcsc_readers(p, &names, &n)) != CPK_OK)
		return r;
	if (n == 0) {
		r = CPK_E_NO_READER;
		goto out;
	}
	if (reader != NULL && reader[0] != '\0') {
		if ((r = pick_reader(names, n, reader, &idx)) != CPK_OK)
			goto out;
	} else {
		/* no reader named: the one reader that holds a card */
		for (size_t i = 0; i < n; i++) {
			if (cpk_pcsc_connect(p, names[i], &tr, atr,
			    &atr_len) != CPK_OK)
				continue;
			tr.close(tr.ctx);
			idx = i;
			cards++;
		}
		if (cards != 1) {
			r = cards == 0 ? CPK_E_NO_CARD : CPK_E_SEVERAL_TOKENS;
			goto out;
		}
	}
	if ((r = cpk_pcsc_connect(p, names[idx], &tr, atr, &atr_len)) !=
	    CPK_OK)
		goto out;
	if ((r = cpk_token_open(&tr, atr, atr_len, out)) != CPK_OK)
		goto out;
	if ((*name_out = strdup(names[idx])) == NULL) {
		cpk_token_close(out);
		r = CPK_E_NOMEM;
	}
out:
	cpk_pcsc_names_free(names, n);
	return r;
}
