/* Finding CryptoPro containers on a token without a PIN (TOKENS.md §4.2)
 * and reading one in a single pass (§7). A container is a DF NN00 that
 * holds EFs NN01..NN06: masks, primary, header, masks2, primary2, name
 * (§2.2: masks is +1, primary +2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "token_int.h"

static const enum cpk_file_id by_suffix[7] = {
	CPK_F_COUNT, CPK_F_MASKS, CPK_F_PRIMARY, CPK_F_HEADER, CPK_F_MASKS2,
	CPK_F_PRIMARY2, CPK_F_NAME
};

enum cpk_file_id
cpk_tok_file_of(unsigned suffix)
{
	return suffix >= 1 && suffix <= 6 ? by_suffix[suffix] : CPK_F_COUNT;
}

static unsigned
suffix_of(enum cpk_file_id id)
{
	for (unsigned s = 1; s < 7; s++)
		if (by_suffix[s] == id)
			return s;
	return 0;
}

struct walk {
	cpk_token	*t;
	cpk_tok_list	*out;
	unsigned	 path[CPK_TOK_MAX_DEPTH];
	size_t		 depth;
	size_t		 base;		/* depth the walk started at */
	unsigned	 nodes;
	unsigned	 root_sw;	/* the SW that refused listing there */
};

/* *sw: the card's status word, 0 when none came */
static cpk_err
list_cmd(cpk_token *t, const unsigned char *cmd, size_t len, cpk_fcp *f,
    unsigned *sw)
{
	unsigned char d[CPK_TOK_DATA_MAX];
	size_t n;
	cpk_err r;

	*sw = 0;
	if ((r = cpk_tok_xfer(t, cmd, len, d, &n, sw)) != CPK_OK) {
		*sw = 0;
		return r;
	}
	if (*sw != 0x9000)
		return cpk_sw_err(*sw);
	return cpk_fcp_parse(d, n, t->swapped, f) == CPK_OK ? CPK_OK :
	    CPK_E_CARD;
}

static cpk_err
list_first(cpk_token *t, cpk_fcp *f, unsigned *sw)
{
	static const unsigned char cmd[] = { 0x00, 0xa4, 0x00, 0x00, 0x00 };

	return list_cmd(t, cmd, sizeof(cmd), f, sw);
}

static cpk_err
list_next(cpk_token *t, const cpk_fcp *prev, cpk_fcp *f, unsigned *sw)
{
	const unsigned char cmd[] = { 0x00, 0xa4, 0x00, 0x02, 0x02,
	    prev->fid_raw[0], prev->fid_raw[1], 0x00 };

	return list_cmd(t, cmd, sizeof(cmd), f, sw);
}

static cpk_err
select_parent(cpk_token *t)
{
	static const unsigned char cmd[] = { 0x00, 0xa4, 0x03, 0x00, 0x00 };
	cpk_fcp f;
	unsigned sw;

	return list_cmd(t, cmd, sizeof(cmd), &f, &sw);
}

cpk_err
cpk_tok_list_add(cpk_tok_list *l, const cpk_tok_cont *c)
{
	cpk_tok_cont *v;

	if ((v = realloc(l->v, (l->n + 1) * sizeof(*v))) == NULL)
		return CPK_E_NOMEM;
	l->v = v;
	v[l->n++] = *c;
	return CPK_OK;
}

/* 6982 security status, 6985 conditions of use, 6986 command not
 * allowed: this folder is closed to listing without a PIN (OpenSC's
 * profiles make 1000/1001 and others), the rest of the tree is not. */
static int
skippable(unsigned sw)
{
	return sw == 0x6982 || sw == 0x6985 || sw == 0x6986;
}

/* Records the current folder as not listed; past the array, the list
 * says it is incomplete. */
static void
skip(struct walk *w, unsigned sw)
{
	cpk_tok_list *l = w->out;
	cpk_tok_skip *s;

	if (l->nskipped == CPK_TOK_MAX_SKIPPED) {
		l->truncated = 1;
		return;
	}
	s = &l->skipped[l->nskipped++];
	memcpy(s->path, w->path, sizeof(s->path));
	s->depth = w->depth;
	s->sw = sw;
}

/* Lists the current DF (the last of w->path); listing a DF enters it, so
 * after each sub-DF the walk selects the parent again (§4.1). A sub-DF
 * that refuses listing is skipped and recorded; a refusal where the walk
 * started is an error, with the SW kept for cpk_token_enum(). */
static cpk_err
walk_df(struct walk *w)
{
	unsigned df = w->depth > 0 ? w->path[w->depth - 1] : 0x3f00;
	cpk_tok_cont cand;
	cpk_fcp f;
	unsigned sw;
	int found = 0;
	cpk_err r;

	memset(&cand, 0, sizeof(cand));
	/* a refusal names the folder being listed */
	for (cpk_tok_at(w->t, w->path, w->depth), r = list_first(w->t, &f,
	    &sw); r == CPK_OK; cpk_tok_at(w->t, w->path, w->depth),
	    r = list_next(w->t, &f, &f, &sw)) {
		if (++w->nodes > CPK_TOK_MAX_NODES) {
			w->out->truncated = 1;
			return f.is_df ? select_parent(w->t) : CPK_OK;
		}
		if (f.is_df) {
			if (w->depth < CPK_TOK_MAX_DEPTH) {
				w->path[w->depth++] = f.fid;
				r = walk_df(w);
				w->depth--;
				if (r != CPK_OK)
					return r;
			} else
				w->out->truncated = 1;
			if ((r = select_parent(w->t)) != CPK_OK)
				return r;
		} else if ((df & 0xff) == 0 && (f.fid >> 8) == (df >> 8) &&
		    (f.fid & 0xff) >= 1 && (f.fid & 0xff) <= 6) {
			cpk_tok_file *tf = &cand.f[by_suffix[f.fid & 0xff]];
			tf->present = 1;
			tf->size = f.size;
			tf->read = f.read;
			found = 1;
		}
		if (w->out->truncated)
			return CPK_OK;
	}
	if (r != CPK_E_NOT_FOUND) {
		if (w->depth > w->base && skippable(sw)) {
			skip(w, sw);
			return CPK_OK;
		}
		if (w->depth == w->base)
			w->root_sw = sw;
		return r;
	}
	if (!found)
		return CPK_OK;
	memcpy(cand.path, w->path, sizeof(cand.path));
	cand.depth = w->depth;
	return cpk_tok_list_add(w->out, &cand);
}

/* A card's own refusal to list (6A86, 6D00, 6982 ...), which probing by
 * path may get round; not a busy card or a broken answer. */
static int
listing_refused(unsigned sw)
{
	return sw != 0 && sw != 0x9000 && sw != 0x6a82 && sw != 0x6f84 &&
	    (sw >> 8) != 0x61 && (sw >> 8) != 0x6c;
}

static cpk_err
read_one(cpk_token *t, const cpk_tok_cont *c, enum cpk_file_id id,
    cpk_blob **out)
{
	unsigned path[CPK_TOK_MAX_DEPTH + 1];
	unsigned df = c->path[c->depth - 1];
	cpk_fcp f;
	cpk_err r;

	memcpy(path, c->path, c->depth * sizeof(path[0]));
	path[c->depth] = (df & 0xff00) | suffix_of(id);
	if ((r = cpk_tok_select_path(t, path, c->depth + 1, &f)) != CPK_OK)
		return r;
	if (f.is_df)
		return CPK_E_CARD;
	return cpk_tok_read_ef(t, f.size, out);
}

/* EFs are allocated larger than their content and padded with FF or 00
 * (§2.2): keep the one DER object at the start. Bytes that are no DER
 * are kept whole, for the checks to report. */
static void
trim(cpk_blob *b)
{
	cpk_tlv t;
	size_t trailing;

	if (cpk_der_root(b->ptr, b->len, &t, &trailing) == CPK_OK &&
	    t.raw_len < b->len) {
		OPENSSL_cleanse(b->ptr + t.raw_len, b->len - t.raw_len);
		b->len = t.raw_len;
	}
}

static void
finish(cpk_tok_cont *c)
{
	const cpk_tok_file *f = c->f;

	for (int i = 0; i < CPK_F_COUNT; i++) {
		c->nfiles += f[i].present;
		if (f[i].present && f[i].read != CPK_COND_FREE)
			c->needs_pin = 1;
	}
	/* §10 rule 2: name, header and one complete pair */
	c->exportable = f[CPK_F_NAME].present && f[CPK_F_HEADER].present &&
	    ((f[CPK_F_MASKS].present && f[CPK_F_PRIMARY].present) ||
	    (f[CPK_F_MASKS2].present && f[CPK_F_PRIMARY2].present));
}

cpk_err
cpk_token_enum(cpk_token *t, cpk_tok_list *out)
{
	static const unsigned sys[2] = { 0x1000, 0x1003 };
	struct walk w;
	cpk_err r;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	w.t = t;
	w.out = out;
	if (!cpk_tok_family_readable(t->model->family))
		return CPK_E_UNSUPPORTED;
	if ((r = cpk_tok_select_mf(t)) != CPK_OK)
		return r;
	/* Lite/ECP keep containers in 1000/1003; elsewhere, or when it is
	 * missing, the whole tree is walked (§4.2 step 2) */
	if (!t->swapped) {
		if (cpk_tok_select_path(t, sys, 2, NULL) == CPK_OK) {
			memcpy(w.path, sys, sizeof(sys));
			w.depth = w.base = 2;
		} else if ((r = cpk_tok_select_mf(t)) != CPK_OK)
			return r;	/* a failed SELECT may move the card */
	}
	r = walk_df(&w);
	/* Lite/ECP that will not list 1000/1003: find its containers by
	 * path as CSP does (§4.2). Rutoken S is not probed: where its
	 * containers live is known from one trace only (§3). */
	if (r != CPK_OK && w.base == 2 && listing_refused(w.root_sw)) {
		cpk_tok_list_clear(out);
		out->found_by = CPK_FOUND_PROBING;
		out->list_sw = w.root_sw;
		r = cpk_tok_probe(t, out);
	}
	if (r != CPK_OK) {
		cpk_tok_list_clear(out);
		return r;
	}
	for (size_t i = 0; i < out->n; i++) {
		cpk_tok_cont *c = &out->v[i];
		cpk_blob *b = NULL;
		const char *enc;

		finish(c);
		if (!c->f[CPK_F_NAME].present ||
		    c->f[CPK_F_NAME].read != CPK_COND_FREE)
			continue;
		if ((r = read_one(t, c, CPK_F_NAME, &b)) == CPK_OK) {
			trim(b);
			(void)cpk_name_decode(b->ptr, b->len, &c->name, &enc);
		}
		cpk_blob_free(&b);
		if (r == CPK_E_CARD_REMOVED || r == CPK_E_NOMEM) {
			cpk_tok_list_clear(out);
			return r;
		}
	}
	return CPK_OK;
}

void
cpk_tok_list_clear(cpk_tok_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void
cpk_tok_fids(const unsigned *path, size_t depth, char *buf, size_t cap)
{
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < depth && k + 6 < cap; i++)
		k += (size_t)snprintf(buf + k, cap - k, "%s%04X",
		    i ? "/" : "", path[i] & 0xffff);
}

void
cpk_tok_path(const cpk_tok_cont *c, char *buf, size_t cap)
{
	cpk_tok_fids(c->path, c->depth, buf, cap);
}

#define BUSY_PASSES	3

/* All files in one pass, so that primary and masks come from the same
 * state of the token: CSP re-masks them on every use (§2.2). A busy
 * token restarts the pass from the first file (§7 step 3). */
cpk_err
cpk_token_read(cpk_token *t, const cpk_tok_cont *c, cpk_files **out)
{
	cpk_err r = CPK_OK;

	if (c->depth == 0)
		return CPK_E_ARG;
	for (int pass = 0; pass < BUSY_PASSES; pass++) {
		if ((r = cpk_files_new(out)) != CPK_OK)
			return r;
		for (int i = 0; i < CPK_F_COUNT && r == CPK_OK; i++) {
			cpk_files *f = *out;

			if (!c->f[i].present)
				continue;	/* err stays CPK_E_MISSING */
			f->err[i] = read_one(t, c, (enum cpk_file_id)i,
			    &f->f[i]);
			if (f->err[i] == CPK_OK) {
				trim(f->f[i]);
				f->size[i] = f->f[i]->len;
			} else if (cpk_err_class(f->err[i]) ==
			    CPK_ERRCLASS_ENV)
				/* the card refusing a file is that file's
				 * result; the link failing (pcscd gone, the
				 * card pulled or busy, memory) is the whole
				 * read's: no container half read */
				r = f->err[i];
		}
		if (r != CPK_E_CARD_BUSY)
			break;
		cpk_files_free(out);
		nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL);
	}
	if (r != CPK_OK)
		cpk_files_free(out);
	return r;
}
