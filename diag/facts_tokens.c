/* The readers and tokens of a diagnostic bundle: name, ATR, model, serial
 * and the PINs' tries left - what a support engineer asks first when a
 * signature fails on a token (REGISTRY.md §8 items 8 and 12). Nothing
 * here sends a PIN; the tries are read only where that spends none, and
 * the admin PIN's only when asked (--admin-tries). The walk of the file
 * system says how containers were found and what was skipped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tokens.h"

static void
tries(cpk_token *t, enum cpk_pin_ref ref, int *left, int *blocked)
{
	cpk_pin_state st;

	*left = -1;
	*blocked = 0;
	if (cpk_token_pin_state(t, ref, &st) != CPK_OK || !st.known)
		return;
	*left = (int)st.tries;
	*blocked = st.blocked;
}

/* How the containers can be found without a PIN, and which folders the
 * token keeps closed to listing: what a support engineer needs when a
 * container CSP sees does not show up. */
static void
walk(cpk_token *t, cpk_fact_reader *r)
{
	cpk_tok_list l;
	cpk_where w;

	if (cpk_token_enum(t, &l) != CPK_OK) {
		if (cpk_token_where(t, &w)) {
			cpk_where_text(&w, r->walk_where,
			    sizeof(r->walk_where));
			r->walk_sw = w.has_sw ? w.sw : 0;
		}
		return;
	}
	r->walk = l.found_by == CPK_FOUND_PROBING ? 2 : 1;
	r->list_sw = l.list_sw;
	for (size_t i = 0; i < l.nskipped && i < CPK_FACTS_SKIPPED; i++) {
		cpk_tok_fids(l.skipped[i].path, l.skipped[i].depth,
		    r->skipped[i], sizeof(r->skipped[i]));
		r->skipped_sw[i] = l.skipped[i].sw;
		r->nskipped = i + 1;
	}
	cpk_tok_list_clear(&l);
}

static void
one(cpk_pcsc *p, const char *name, cpk_fact_reader *r, int admin_tries)
{
	const unsigned char *atr;
	cpk_token *t = NULL;
	char *full = NULL;
	unsigned long num;
	size_t n, k = 0;

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->user_tries = r->admin_tries = -1;
	if (cpk_token_connect(p, name, &t, &full) != CPK_OK)
		return;
	r->card = 1;
	atr = cpk_token_atr(t, &n);
	for (size_t i = 0; i < n && k + 3 < sizeof(r->atr); i++)
		k += (size_t)snprintf(r->atr + k, sizeof(r->atr) - k, "%02X",
		    atr[i]);
	snprintf(r->model, sizeof(r->model), "%s", cpk_token_model(t)->name);
	if (cpk_token_serial(t, r->serial, sizeof(r->serial), &num) !=
	    CPK_OK)
		r->serial[0] = '\0';
	walk(t, r);
	tries(t, CPK_PIN_USER, &r->user_tries, &r->user_blocked);
	if (admin_tries)
		tries(t, CPK_PIN_ADMIN, &r->admin_tries, &r->admin_blocked);
	else
		r->admin_tries = CPK_TRIES_NOT_ASKED;
	cpk_token_close(&t);
	free(full);
}

void
cpk_facts_tokens(cpk_facts *f, int admin_tries)
{
	cpk_pcsc *p = NULL;
	char **names = NULL;
	size_t n = 0;

	f->nreaders = 0;
	if (cpk_pcsc_open(&p) != CPK_OK)
		return;
	if (cpk_pcsc_readers(p, &names, &n) == CPK_OK)
		for (size_t i = 0; i < n && f->nreaders < CPK_FACTS_READERS;
		    i++)
			one(p, names[i], &f->readers[f->nreaders++],
			    admin_tries);
	cpk_pcsc_names_free(names, n);
	cpk_pcsc_close(&p);
}
