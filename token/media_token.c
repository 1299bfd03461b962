/* The token backend of cpk_media: every container on the tokens of one
 * reader (pcsc:<reader>) or of all readers (pcsc:), read while the card
 * is held in one transaction. Files are loaded here, not later, so that
 * cpk_media_load stays a copy that threads may share, and so that a card
 * pulled out mid-read fails the whole open: no partial container. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "token_int.h"
#include "token_media.h"

/* The reader part of an FQCN (REGISTRY.md §7): \\.\<reader>\<name> */
static cpk_err
add_one(cpk_media *m, const char *reader, const cpk_tok_cont *c,
    cpk_files *files)
{
	char path[64], loc[512], fqcn[512], fallback[80];
	char *decoded = NULL;
	const char *name = c->name, *enc;
	cpk_err r;

	cpk_tok_path(c, path, sizeof(path));
	if (name == NULL && files->f[CPK_F_NAME] != NULL &&
	    cpk_name_decode(files->f[CPK_F_NAME]->ptr,
	    files->f[CPK_F_NAME]->len, &decoded, &enc) == CPK_OK)
		name = decoded;
	if (name == NULL) {
		/* name.key protected or absent: the DF names it */
		snprintf(fallback, sizeof(fallback), "DF %s", path);
		name = fallback;
	}
	snprintf(loc, sizeof(loc), "pcsc:%s/%s", reader, path);
	snprintf(fqcn, sizeof(fqcn), "\\\\.\\%s\\%s", reader, name);
	r = cpk_media_add(m, fqcn, loc, name, "TOKEN", NULL, NULL, files);
	free(decoded);
	return r;
}

static int
any_needs_pin(const cpk_tok_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].needs_pin)
			return 1;
	return 0;
}

static void
note_pin(cpk_media *m, const char *reader, cpk_media_opts *o, cpk_err r,
    const cpk_pin_state *st)
{
	o->pin_result = r;
	o->tries_known = st->known;
	o->tries = st->tries;
	if (r == CPK_OK)
		return;
	if (st->known && !st->blocked)
		cpk_media_warn(m, P_("%s: user PIN not accepted: %s (%u tries "
		    "left)", "%s: user PIN not accepted: %s (%u tries left)",
		    st->tries), reader, cpk_err_text(r), st->tries);
	else
		cpk_media_warn(m, _("%s: user PIN not accepted: %s"), reader,
		    cpk_err_text(r));
}

/* Which command failed on which file, for the caller to print with the
 * error (issue 17 §3): the media is not kept when its token fails. */
static void
keep_where(const cpk_token *t, cpk_media_opts *o)
{
	if (o != NULL)
		(void)cpk_token_where(t, &o->where);
}

static cpk_err
read_token(cpk_media *m, cpk_token *t, const char *reader,
    cpk_media_opts *o)
{
	const cpk_tok_model *model = cpk_token_model(t);
	cpk_tok_list l;
	cpk_pin_state st;
	cpk_err r;

	if (!cpk_tok_family_readable(model->family)) {
		cpk_media_warn(m, _("%s: %s: cpkit does not read containers "
		    "on this token"), reader, model->name);
		return CPK_OK;
	}
	if ((r = cpk_token_enum(t, &l)) != CPK_OK) {
		keep_where(t, o);
		return r;
	}
	if (l.truncated)
		cpk_media_warn(m, _("%s: the token's file system is deeper or "
		    "larger than cpkit walks (%d levels, %d files); some "
		    "folders were not looked at"), reader, CPK_TOK_MAX_DEPTH,
		    CPK_TOK_MAX_NODES);
	memset(&st, 0, sizeof(st));
	if (o != NULL && o->pin != NULL && any_needs_pin(&l)) {
		unsigned min = o->min_tries ? o->min_tries :
		    CPK_MIN_TRIES_DEFAULT;
		unsigned before = cpk_token_pins_sent(t);

		/* TOKENS.md §6.5: UTF-8 PIN bytes exist on ECP only */
		r = o->pin_utf8 && !cpk_tok_pin_utf8_ok(model) ?
		    CPK_E_UNSUPPORTED : cpk_token_verify(t, CPK_PIN_USER,
		    o->pin, o->pin_len, min, &st);
		o->pin_sent = cpk_token_pins_sent(t) > before;
		note_pin(m, reader, o, r, &st);
		if (r == CPK_E_CARD_REMOVED || r == CPK_E_NOMEM)
			goto out;
	}
	for (size_t i = 0; i < l.n; i++) {
		cpk_files *f = NULL;

		if ((r = cpk_token_read(t, &l.v[i], &f)) != CPK_OK) {
			keep_where(t, o);
			goto out;
		}
		if ((r = add_one(m, reader, &l.v[i], f)) != CPK_OK)
			goto out;
	}
	r = CPK_OK;
out:
	/* §6.2 rule 7: leave no open session behind */
	if (r != CPK_E_CARD_REMOVED)
		(void)cpk_token_logout(t);
	cpk_tok_list_clear(&l);
	return r;
}

cpk_err
cpk_media_token_add(cpk_media *m, const char *reader, cpk_media_opts *o)
{
	cpk_pcsc *p = NULL;
	cpk_token *t = NULL;
	char **names = NULL, *full = NULL;
	size_t n = 0;
	cpk_err r;

	if (o != NULL) {
		o->pin_result = CPK_OK;
		o->pin_sent = o->tries_known = 0;
		memset(&o->where, 0, sizeof(o->where));
	}
	if ((r = cpk_pcsc_open(&p)) != CPK_OK)
		return r;
	if (reader[0] != '\0' || (o != NULL && o->pin != NULL)) {
		/* one token: a PIN never goes to several (§6.2 rule 5) */
		if ((r = cpk_token_connect(p, reader, &t, &full)) == CPK_OK)
			r = read_token(m, t, full, o);
		goto out;
	}
	if ((r = cpk_pcsc_readers(p, &names, &n)) != CPK_OK)
		goto out;
	if (n == 0) {
		r = CPK_E_NO_READER;
		goto out;
	}
	for (size_t i = 0; i < n && r == CPK_OK; i++) {
		cpk_err e = cpk_token_connect(p, names[i], &t, &full);

		if (e == CPK_E_NO_CARD) {
			cpk_media_warn(m, _("%s: no token in the reader"),
			    names[i]);
			continue;
		}
		r = e == CPK_OK ? read_token(m, t, full, o) : e;
		cpk_token_close(&t);
		free(full);
		full = NULL;
	}
out:
	cpk_token_close(&t);
	free(full);
	cpk_pcsc_names_free(names, n);
	cpk_pcsc_close(&p);
	return r;
}
