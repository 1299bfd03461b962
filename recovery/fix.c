/* cpkit-fix's engine: name.key, the two masks/primary pairs, and the
 * driver that runs every repair on a working copy (FORMATS.md §15, §18).
 * The certificate is chosen in certpick.c. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
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
pair_problem(const cpk_container *c, int copy, const char *pw, int *locked)
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
	*locked = r != CPK_OK;
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
	int from, to, locked[2] = { 0, 0 };
	cpk_err r;

	if ((r = cpk_container_decode(w->f, &c)) != CPK_OK)
		return r;
	if (c->header == NULL || c->profile == CPK_P_NONE) {
		cpk_container_free(&c);
		return CPK_OK;		/* fix_header said why */
	}
	bad[0] = pair_problem(c, 0, w->o->password, &locked[0]);
	bad[1] = pair_problem(c, 1, w->o->password, &locked[1]);
	cpk_container_free(&c);
	/* neither copy can hold the key: beyond repair; a copy sound but
	 * for the password is a wrong password, and the check says so */
	if (bad[0] != NULL && bad[1] != NULL && !locked[0] && !locked[1])
		return fix_refuse(w, CPK_E_MISSING, _("neither masks/primary "
		    "pair can be used: the main copy (masks.key, primary.key) "
		    "%s, the reserve copy (masks2.key, primary2.key) %s; the "
		    "key is kept only in these files and cannot be rebuilt; "
		    "restore them from a backup or the original medium"),
		    bad[0], bad[1]);
	if ((bad[0] == NULL) == (bad[1] == NULL))
		return CPK_OK;	/* both sound, or only the password failed */
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

/* The key is kept only in the masks/primary pairs: when neither copy
 * has both files, nothing can rebuild it, and no other repair is worth
 * writing (checked before the header, which would ask for a password
 * and a certificate in vain). */
static cpk_err
fix_key_present(fixwork *w)
{
	static const enum cpk_file_id ids[4] = { CPK_F_MASKS, CPK_F_PRIMARY,
	    CPK_F_MASKS2, CPK_F_PRIMARY2 };
	char lost[160] = "";

	if ((w->f->f[CPK_F_MASKS] && w->f->f[CPK_F_PRIMARY]) ||
	    (w->f->f[CPK_F_MASKS2] && w->f->f[CPK_F_PRIMARY2]))
		return CPK_OK;
	for (size_t i = 0; i < 4; i++)
		if (w->f->f[ids[i]] == NULL) {
			if (lost[0] != '\0')
				strncat(lost, ", ", sizeof(lost) -
				    strlen(lost) - 1);
			strncat(lost, cpk_file_name(ids[i]), sizeof(lost) -
			    strlen(lost) - 1);
		}
	return fix_refuse(w, CPK_E_MISSING, _("no complete masks/primary "
	    "pair is left (missing or unreadable: %s): the key is kept only "
	    "in these files and cannot be rebuilt from anything else; "
	    "restore them from a backup or the original medium"), lost);
}

/* Whether a masks file and a primary file, as the main copy beside the
 * working header, unlock with the password. */
static int
pair_unlocks(fixwork *w, const cpk_blob *m, const cpk_blob *p)
{
	cpk_files probe = *w->f;
	cpk_key *k = NULL;
	enum cpk_pwenc enc;
	int ok;

	probe.f[CPK_F_MASKS] = (cpk_blob *)(uintptr_t)m;
	probe.f[CPK_F_PRIMARY] = (cpk_blob *)(uintptr_t)p;
	probe.f[CPK_F_MASKS2] = probe.f[CPK_F_PRIMARY2] = NULL;
	probe.err[CPK_F_MASKS] = probe.err[CPK_F_PRIMARY] = CPK_OK;
	probe.err[CPK_F_MASKS2] = probe.err[CPK_F_PRIMARY2] = CPK_E_MISSING;
	ok = fix_unlock(&probe, w->o->password, &k, &enc) == CPK_OK;
	cpk_key_free(&k);
	return ok;
}

/* A pair as the working copy holds it, sound in structure (both files
 * parse, the lengths agree, the masks MAC holds) but not unlocking with
 * the password: the pairing itself is in doubt. */
static int
sound_but_locked(fixwork *w, const cpk_container *c, int copy)
{
	size_t len = cpk_profile_key_len(c->profile);
	const cpk_blob *m = w->f->f[copy ? CPK_F_MASKS2 : CPK_F_MASKS];
	const cpk_blob *p = w->f->f[copy ? CPK_F_PRIMARY2 : CPK_F_PRIMARY];

	return m != NULL && p != NULL && c->masks[copy] != NULL &&
	    c->primary[copy] != NULL && c->masks[copy]->mask->len == len &&
	    c->primary[copy]->key->len == len &&
	    cpk_masks_check_mac(c->masks[copy], c->profile) == CPK_OK &&
	    !pair_unlocks(w, m, p);
}

#define PAIR_MAX	(4 + 32)

/* With the password, when a pair sound in structure does not unlock,
 * every pairing of the masks and primary files at hand (the four in the
 * folder and opts->alt) is tried; the first two that unlock, in the
 * order masks.key, masks2.key, then the candidates, become the main and
 * the reserve copy. This is how a carve's unproven pairing is settled. */
static cpk_err
fix_pairing(fixwork *w)
{
	const cpk_blob *mv[PAIR_MAX], *pv[PAIR_MAX];
	const char *mn[PAIR_MAX], *pn[PAIR_MAX];
	size_t nm = 0, np = 0, pm[2], pp[2];
	int found = 0, bad0, bad1;
	cpk_container *c = NULL;
	cpk_masks *mk = NULL;
	cpk_primary *pr = NULL;
	cpk_err r;

	if (w->o->password == NULL ||
	    cpk_container_decode(w->f, &c) != CPK_OK)
		return CPK_OK;
	if (c->header == NULL || c->profile == CPK_P_NONE) {
		cpk_container_free(&c);
		return CPK_OK;
	}
	bad0 = sound_but_locked(w, c, 0);
	bad1 = sound_but_locked(w, c, 1);
	cpk_container_free(&c);
	if (!bad0 && !bad1)
		return CPK_OK;
	for (int i = 0; i < 2; i++) {
		enum cpk_file_id mi = i ? CPK_F_MASKS2 : CPK_F_MASKS;
		enum cpk_file_id pi = i ? CPK_F_PRIMARY2 : CPK_F_PRIMARY;
		if (w->f->f[mi] != NULL) {
			mn[nm] = cpk_file_name(mi);
			mv[nm++] = w->f->f[mi];
		}
		if (w->f->f[pi] != NULL) {
			pn[np] = cpk_file_name(pi);
			pv[np++] = w->f->f[pi];
		}
	}
	for (size_t i = 0; i < w->o->nalt && nm < PAIR_MAX && np < PAIR_MAX;
	    i++) {
		const cpk_blob *b = w->o->alt[i];
		if (cpk_masks_decode(b->ptr, b->len, &mk) == CPK_OK) {
			mn[nm] = w->o->alt_name[i];
			mv[nm++] = b;
		} else if (cpk_primary_decode(b->ptr, b->len, &pr) ==
		    CPK_OK) {
			pn[np] = w->o->alt_name[i];
			pv[np++] = b;
		}
		cpk_masks_free(&mk);
		cpk_primary_free(&pr);
	}
	for (size_t i = 0; i < nm && found < 2; i++)
		for (size_t j = 0; j < np; j++) {
			if (found == 1 && (pp[0] == j || cpk_blob_eq(pv[pp[0]],
			    pv[j]) || cpk_blob_eq(mv[pm[0]], mv[i])))
				continue;
			if (!pair_unlocks(w, mv[i], pv[j]))
				continue;
			pm[found] = i;
			pp[found++] = j;
			break;
		}
	if (found == 0)
		return CPK_OK;		/* the password or the data: not ours */
	{
		cpk_blob *m0 = NULL, *p0 = NULL, *m1 = NULL, *p1 = NULL;

		if ((r = cpk_blob_new(mv[pm[0]]->ptr, mv[pm[0]]->len, &m0)) ||
		    (r = cpk_blob_new(pv[pp[0]]->ptr, pv[pp[0]]->len, &p0)) ||
		    (found == 2 && ((r = cpk_blob_new(mv[pm[1]]->ptr,
		    mv[pm[1]]->len, &m1)) || (r = cpk_blob_new(pv[pp[1]]->ptr,
		    pv[pp[1]]->len, &p1))))) {
			cpk_blob_free(&m0);
			cpk_blob_free(&p0);
			cpk_blob_free(&m1);
			return r;
		}
		if (!cpk_blob_eq(w->f->f[CPK_F_MASKS], m0) ||
		    !cpk_blob_eq(w->f->f[CPK_F_PRIMARY], p0))
			fix_note(w, CPK_F_MASKS, _("masks.key and primary.key: "
			    "paired anew from %s and %s, the pairing that "
			    "unlocks with the password"), mn[pm[0]],
			    pn[pp[0]]);
		if (found == 2 && (!cpk_blob_eq(w->f->f[CPK_F_MASKS2], m1) ||
		    !cpk_blob_eq(w->f->f[CPK_F_PRIMARY2], p1)))
			fix_note(w, CPK_F_MASKS2, _("masks2.key and "
			    "primary2.key: paired anew from %s and %s, the "
			    "pairing that unlocks with the password"),
			    mn[pm[1]], pn[pp[1]]);
		r = fix_set_file(w, CPK_F_MASKS, m0);
		if (r == CPK_OK)
			r = fix_set_file(w, CPK_F_PRIMARY, p0);
		if (r == CPK_OK && found == 2)
			r = fix_set_file(w, CPK_F_MASKS2, m1);
		if (r == CPK_OK && found == 2)
			r = fix_set_file(w, CPK_F_PRIMARY2, p1);
		cpk_blob_free(&m0);
		cpk_blob_free(&p0);
		cpk_blob_free(&m1);
		cpk_blob_free(&p1);
	}
	return r;
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
	    (r = fix_key_present(&w)) != CPK_OK ||
	    (r = fix_name(&w)) != CPK_OK ||
	    (r = fix_header(&w)) != CPK_OK ||
	    (r = fix_pairing(&w)) != CPK_OK ||
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
cpk_fix_report_clear(cpk_fix_report *rep)
{
	for (int i = 0; i < 2; i++)
		if (rep->pick[i] != NULL) {
			cpk_cert_pick_clear(rep->pick[i]);
			free(rep->pick[i]);
			rep->pick[i] = NULL;
		}
}
