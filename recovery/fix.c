/* cpkit-fix's engine: name.key, the two masks/primary pairs, and the
 * driver that runs every repair on a working copy (FORMATS.md §15, §18).
 * The certificate is chosen in certpick.c. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void
fix_note(fixwork *w, enum cpk_file_id id, const char *fmt, ...)
{
	cpk_fix_change *c;
	va_list ap;

	if (w->rep->nchange == CPK_FIX_MAX_CHANGES)
		return;
	c = &w->rep->change[w->rep->nchange++];
	c->file = id;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
}

cpk_err
fix_refuse(fixwork *w, cpk_err r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->rep->problem, sizeof(w->rep->problem), fmt, ap);
	va_end(ap);
	return r;
}

cpk_err
fix_set_file(fixwork *w, enum cpk_file_id id, const cpk_blob *b)
{
	cpk_blob_free(&w->f->f[id]);
	w->f->err[id] = CPK_E_MISSING;
	if (b == NULL)
		return CPK_OK;
	w->f->err[id] = CPK_OK;
	w->f->size[id] = b->len;
	return cpk_blob_new(b->ptr, b->len, &w->f->f[id]);
}

cpk_err
fix_unlock(const cpk_files *f, const char *pw, cpk_key **out,
    enum cpk_pwenc *enc)
{
	enum cpk_pwenc order[3];
	size_t n = cpk_pw_encodings(pw, order);
	cpk_container *c = NULL;
	cpk_err r;

	*out = NULL;
	if ((r = cpk_container_decode(f, &c)) != CPK_OK)
		return r;
	r = CPK_E_FINGERPRINT;
	for (size_t i = 0; i < n && r != CPK_OK; i++)
		for (int copy = 0; copy < 2 && r != CPK_OK; copy++)
			if ((r = cpk_key_unlock(c, copy, pw, order[i], out)) ==
			    CPK_OK)
				*enc = order[i];
	cpk_container_free(&c);
	return r;
}

/* name.key from --name, else from the folder name without its ".000"
 * extension (FORMATS.md §3.3); never rewritten when it decodes. */
static cpk_err
fix_name(fixwork *w)
{
	char *name = NULL, stem[256];
	const char *enc, *base;
	int missing;
	cpk_blob *b = NULL;
	size_t n;
	cpk_err r;

	if (w->f->f[CPK_F_NAME] != NULL &&
	    cpk_name_decode(w->f->f[CPK_F_NAME]->ptr,
	    w->f->f[CPK_F_NAME]->len, &name, &enc) == CPK_OK) {
		free(name);
		return CPK_OK;
	}
	missing = w->f->f[CPK_F_NAME] == NULL;
	if (w->o->name != NULL)
		snprintf(stem, sizeof(stem), "%s", w->o->name);
	else {
		base = w->o->folder ? strrchr(w->o->folder, '/') : NULL;
		base = base ? base + 1 : w->o->folder ? w->o->folder : "";
		snprintf(stem, sizeof(stem), "%s", base);
		n = strlen(stem);
		if (n > 4 && stem[n - 4] == '.' && isdigit((unsigned char)
		    stem[n - 3]) && isdigit((unsigned char)stem[n - 2]) &&
		    isdigit((unsigned char)stem[n - 1]))
			stem[n - 4] = '\0';
	}
	if (stem[0] == '\0')
		return fix_refuse(w, CPK_E_MISSING, missing ?
		    _("name.key is missing and no name is known: give one "
		    "with --name") : _("name.key is unreadable and no name is "
		    "known: give one with --name"));
	if ((r = cpk_name_encode(stem, &b)) != CPK_OK)
		return fix_refuse(w, r, _("name.key: \"%s\" cannot be written "
		    "in CP1251 within 127 bytes"), stem);
	r = fix_set_file(w, CPK_F_NAME, b);
	cpk_blob_free(&b);
	if (w->o->name != NULL)
		fix_note(w, CPK_F_NAME, missing ? _("name.key was missing: "
		    "written with the name \"%s\" from --name") :
		    _("name.key was unreadable: written with the name \"%s\" "
		    "from --name"), stem);
	else
		fix_note(w, CPK_F_NAME, missing ? _("name.key was missing: "
		    "written with the name \"%s\" from the folder name") :
		    _("name.key was unreadable: written with the name \"%s\" "
		    "from the folder name"), stem);
	return r;
}

/* Why a masks/primary pair cannot be used, or NULL when it is sound: a
 * predicate of "the main copy ..." in the user's language. */
static const char *
pair_problem(const cpk_container *c, int copy, const char *pw)
{
	enum cpk_file_id mi = copy ? CPK_F_MASKS2 : CPK_F_MASKS;
	enum cpk_file_id pi = copy ? CPK_F_PRIMARY2 : CPK_F_PRIMARY;
	size_t len = cpk_profile_key_len(c->profile);
	cpk_key *k = NULL;
	cpk_err r;

	if (c->err[mi] == CPK_E_MISSING && c->err[pi] == CPK_E_MISSING)
		return C_("copy", "is missing");
	if (c->err[mi] == CPK_E_MISSING || c->err[pi] == CPK_E_MISSING)
		return c->err[mi] == CPK_E_MISSING ?
		    C_("copy", "lacks its masks file") :
		    C_("copy", "lacks its primary file");
	if (c->masks[copy] == NULL || c->primary[copy] == NULL)
		return C_("copy", "does not parse");
	if (c->masks[copy]->mask->len != len ||
	    c->primary[copy]->key->len != len)
		return C_("copy", "has the wrong length");
	if (cpk_masks_check_mac(c->masks[copy], c->profile) != CPK_OK)
		return C_("copy", "fails its masks MAC");
	if (pw == NULL)
		return NULL;
	r = cpk_key_unlock(c, copy, pw, CPK_PW_UTF8, &k);
	if (r != CPK_OK && r != CPK_E_NOMEM)
		r = cpk_key_unlock(c, copy, pw, CPK_PW_UTF32LE, &k);
	if (r != CPK_OK && r != CPK_E_NOMEM)
		r = cpk_key_unlock(c, copy, pw, CPK_PW_CP1251, &k);
	cpk_key_free(&k);
	return r == CPK_OK ? NULL : C_("copy", "does not unlock to the key");
}

/* A damaged pair is rebuilt by copying the sound one: the pairs are
 * self-contained (§15). */
static cpk_err
fix_pairs(fixwork *w)
{
	static const enum cpk_file_id pair[2][2] = {
		{ CPK_F_MASKS, CPK_F_PRIMARY }, { CPK_F_MASKS2, CPK_F_PRIMARY2 }
	};
	cpk_container *c = NULL;
	const char *bad[2];
	int from, to;
	cpk_err r;

	if ((r = cpk_container_decode(w->f, &c)) != CPK_OK)
		return r;
	if (c->header == NULL || c->profile == CPK_P_NONE) {
		cpk_container_free(&c);
		return CPK_OK;		/* fix_header said why */
	}
	bad[0] = pair_problem(c, 0, w->o->password);
	bad[1] = pair_problem(c, 1, w->o->password);
	cpk_container_free(&c);
	if ((bad[0] == NULL) == (bad[1] == NULL))
		return CPK_OK;	/* both sound, or nothing sound to copy */
	from = bad[0] != NULL;
	to = !from;
	/* no reserve at all is a valid container: leave it so */
	if (to == 1 && w->f->f[CPK_F_MASKS2] == NULL &&
	    w->f->f[CPK_F_PRIMARY2] == NULL)
		return CPK_OK;
	for (int i = 0; i < 2; i++) {
		if ((r = fix_set_file(w, pair[to][i], w->f->f[pair[from][i]])) !=
		    CPK_OK)
			return r;
		fix_note(w, pair[to][i], to ? _("the reserve copy %s: %s "
		    "rebuilt from %s") : _("the main copy %s: %s rebuilt from "
		    "%s"), bad[to], cpk_file_name(pair[to][i]),
		    cpk_file_name(pair[from][i]));
	}
	return CPK_OK;
}

static cpk_err
load_candidates(fixwork *w)
{
	const cpk_cert_list *l = w->o->certs;

	if (l == NULL || l->n == 0)
		return CPK_OK;
	if ((w->cands = calloc(l->n, sizeof(*w->cands))) == NULL)
		return CPK_E_NOMEM;
	for (size_t i = 0; i < l->n; i++)
		if (cpk_cert_parse(l->v[i]->ptr, l->v[i]->len,
		    &w->cands[w->ncand].ci) == CPK_OK)
			w->cands[w->ncand++].der = l->v[i];
	return CPK_OK;
}

static int
same_files(const cpk_files *a, const cpk_files *b)
{
	for (int i = 0; i < CPK_F_COUNT; i++)
		if (!cpk_blob_eq(a->f[i], b->f[i]))
			return 0;
	return 1;
}

cpk_err
cpk_fix(const cpk_files *in, const cpk_fix_opts *o, cpk_files **out,
    cpk_fix_report *rep)
{
	fixwork w;
	cpk_err r;

	*out = NULL;
	memset(rep, 0, sizeof(*rep));
	memset(&w, 0, sizeof(w));
	w.o = o;
	w.rep = rep;
	if ((r = cpk_files_new(&w.f)) != CPK_OK)
		return r;
	for (int i = 0; i < CPK_F_COUNT; i++) {
		w.f->err[i] = in->err[i];
		w.f->size[i] = in->size[i];
		if (in->f[i] != NULL && (r = cpk_blob_new(in->f[i]->ptr,
		    in->f[i]->len, &w.f->f[i])) != CPK_OK)
			goto out;
	}
	if ((r = load_candidates(&w)) != CPK_OK ||
	    (r = fix_name(&w)) != CPK_OK ||
	    (r = fix_header(&w)) != CPK_OK ||
	    (r = fix_pairs(&w)) != CPK_OK)
		goto out;
	if (!same_files(in, w.f)) {
		*out = w.f;
		w.f = NULL;
	}
out:
	free(w.cands);
	cpk_files_free(&w.f);
	return r;
}

void
cpk_fix_report_free(cpk_fix_report *rep)
{
	for (int i = 0; i < 2; i++)
		if (rep->pick[i] != NULL) {
			cpk_cert_pick_free(rep->pick[i]);
			free(rep->pick[i]);
			rep->pick[i] = NULL;
		}
}
