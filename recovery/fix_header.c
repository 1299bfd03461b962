/* Repairing header.key (FORMATS.md §18): the certificate in [5]/[6]
 * chosen by fingerprint, key parameters from the certificate's SPKI, the
 * header MAC, and a whole header rebuilt from the certificate when it is
 * lost - proven by unlocking the key with the password. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static char *
cert_text(const cpk_cert_info *ci, char *buf, size_t cap)
{
	snprintf(buf, cap, _("\"%s\" (serial %s)"), ci->subject, ci->serial);
	return buf;
}

/* Key parameters as the certificate's SPKI says (--alg forces the
 * family); the role is kept when known, else taken from keyUsage. */
static cpk_err
params_from_cert(const fixwork *w, const cpk_cert_info *ci,
    const cpk_keyparams *old, cpk_keyparams *kp)
{
	enum cpk_profile p = w->o->alg != CPK_P_NONE ? w->o->alg :
	    cpk_profile_by_oid(ci->alg);
	int exchange = old != NULL ? (old->attrs & CPK_KA_EXCHANGE) != 0 :
	    ci->exchange_hint;
	const cpk_curve *c = cpk_curve_by_oid(ci->curve);

	if (p == CPK_P_NONE || c == NULL || cpk_curve_len(c) !=
	    cpk_profile_key_len(p))
		return CPK_E_UNSUPPORTED;
	memset(kp, 0, sizeof(*kp));
	/* policy bits of the old header survive; a lost header gets an
	 * exportable key, since its owner is the one repairing it */
	kp->attrs = old != NULL ? old->attrs : (CPK_KA_EXPORTABLE |
	    (exchange ? CPK_KA_EXCHANGE : 0));
	snprintf(kp->alg, sizeof(kp->alg), "%s",
	    cpk_profile_key_oid(p, exchange));
	snprintf(kp->curve, sizeof(kp->curve), "%s", ci->curve);
	snprintf(kp->digest, sizeof(kp->digest), "%s", ci->digest[0] &&
	    w->o->alg == CPK_P_NONE ? ci->digest : cpk_profile_digest_oid(p));
	return CPK_OK;
}

/* Tries to rebuild the header from one candidate with one password
 * encoding; CPK_OK when the key unlocks and d*G is the certificate's. */
static cpk_err
try_rebuild(fixwork *w, const cand *cd, enum cpk_pwenc enc, cpk_blob **out)
{
	const char *pw = w->o->password;
	cpk_header_fields hf;
	unsigned char mac[4];
	cpk_files probe;
	cpk_key *k = NULL;
	enum cpk_pwenc used;
	size_t len;
	const unsigned char *pub;
	cpk_err r;

	*out = NULL;
	memset(&hf, 0, sizeof(hf));
	if ((r = params_from_cert(w, &cd->ci, NULL, &hf.params)) != CPK_OK)
		return r;
	hf.attrs = (pw[0] != '\0' ? CPK_CA_PASSWORD : 0) |
	    (w->f->f[CPK_F_MASKS2] && w->f->f[CPK_F_PRIMARY2] ?
	    CPK_CA_RESERVE : 0);
	hf.cert = cd->der;
	hf.fp = cd->ci.pub;
	/* a header rebuilt from nothing gets the period CSP applies (§6.5) */
	hf.key_not_after = cpk_cert_key_end_to_write(&cd->ci);
	if (pw[0] != '\0') {
		if ((r = cpk_password_mac(cpk_profile_by_oid(hf.params.alg), pw,
		    enc, cd->ci.pub, mac)) != CPK_OK)
			return r;
		hf.pw_mac = mac;
	}
	if ((r = cpk_header_build(&hf, cpk_profile_by_oid(hf.params.alg),
	    out)) != CPK_OK)
		return r;
	probe = *w->f;
	probe.f[CPK_F_HEADER] = *out;
	probe.err[CPK_F_HEADER] = CPK_OK;
	if ((r = fix_unlock(&probe, pw, &k, &used)) == CPK_OK) {
		pub = cpk_key_public(k, &len);
		if (used != enc || len != cd->ci.pub_len ||
		    memcmp(pub, cd->ci.pub, len) != 0)
			r = CPK_E_FINGERPRINT;
	}
	cpk_key_free(&k);
	if (r != CPK_OK)
		cpk_blob_free(out);
	return r;
}

/* missing: header.key is absent, else it does not decode. */
static cpk_err
rebuild_header(fixwork *w, int missing)
{
	static const enum cpk_pwenc encs[] = { CPK_PW_UTF8, CPK_PW_UTF32LE,
	    CPK_PW_CP1251 };
	cpk_cert_pick *pk;
	cand c;
	cpk_blob *h = NULL;
	char t[720];
	cpk_err r;

	if (w->o->password == NULL)
		return fix_refuse(w, CPK_E_NO_PASSWORD, missing ?
		    _("header.key is missing: rebuilding it needs the "
		    "container's password (--password-file, --password-env, "
		    "--empty-password or --ask) to prove the result") :
		    _("header.key is unreadable: rebuilding it needs the "
		    "container's password (--password-file, --password-env, "
		    "--empty-password or --ask) to prove the result"));
	if (w->ncand == 0)
		return fix_refuse(w, CPK_E_MISSING, missing ?
		    _("header.key is missing: rebuilding it needs the "
		    "container's certificate (--cert FILE or DIR)") :
		    _("header.key is unreadable: rebuilding it needs the "
		    "container's certificate (--cert FILE or DIR)"));
	/* the best dates first: every certificate of the key proves it, and
	 * the renewal is the one to keep */
	if ((pk = calloc(1, sizeof(*pk))) == NULL)
		return CPK_E_NOMEM;
	w->rep->pick[0] = pk;
	if ((r = cpk_cert_pick_all(w->o->certs, w->o->now, pk)) != CPK_OK)
		return r;
	for (size_t i = 0; i < pk->n; i++)
		for (size_t e = 0; e < 3; e++) {
			c.der = w->o->certs->v[pk->v[i].index];
			c.ci = pk->v[i].ci;
			if ((r = try_rebuild(w, &c, encs[e], &h)) ==
			    CPK_E_NOMEM)
				return r;
			if (r != CPK_OK)
				continue;
			r = fix_set_file(w, CPK_F_HEADER, h);
			cpk_blob_free(&h);
			cpk_cert_pick_proven(pk, i);
			fix_note(w, CPK_F_HEADER, missing ?
			    _("header.key was missing: rebuilt from the "
			    "certificate %s; proven: the password unlocks the "
			    "key and d*G equals the certificate's key") :
			    _("header.key was unreadable: rebuilt from the "
			    "certificate %s; proven: the password unlocks the "
			    "key and d*G equals the certificate's key"),
			    cert_text(&c.ci, t, sizeof(t)));
			return r;
		}
	/* none proved the key: none holds it, as far as d*G can tell */
	for (size_t i = 0; i < pk->n; i++)
		pk->v[i].matches = 0;
	pk->nmatch = 0;
	pk->by_dg = 1;
	return fix_refuse(w, CPK_E_FINGERPRINT, missing ?
	    P_("header.key is missing, and none of the %zu certificates "
	    "given unlocks to this key with this password", "header.key is "
	    "missing, and none of the %zu certificates given unlocks to this "
	    "key with this password", w->ncand) :
	    P_("header.key is unreadable, and none of the %zu certificates "
	    "given unlocks to this key with this password", "header.key is "
	    "unreadable, and none of the %zu certificates given unlocks to "
	    "this key with this password", w->ncand), w->ncand);
}

/* What header.key held, for "header.key [5] held %s": judged by pk when
 * candidates hold the key, else by the fingerprint alone. */
static const char *
held_text(const fixwork *w, const cpk_cert_pick *pk, const cpk_blob *cur,
    const unsigned char *fp)
{
	cpk_cert_info old;

	/* TRANSLATORS: what header.key held, in "header.key [5] held %s" */
	if (cur == NULL)
		return C_("held", "no certificate");
	if (pk->nmatch == 0 || pk->held_state != CPK_HELD_THIS_KEY)
		return cpk_cert_parse(cur->ptr, cur->len, &old) != CPK_OK ?
		    C_("held", "damaged") : fp == NULL ||
		    memcmp(old.pub, fp, 8) != 0 ?
		    C_("held", "another key's certificate") :
		    C_("held", "a certificate of this key");
	if (pk->forced)
		return C_("held", "a newer certificate of this key");
	if (!pk->held.valid && pk->v[pk->chosen].valid)
		return pk->held.ci.not_after < w->o->now ?
		    C_("held", "an expired certificate of this key") :
		    C_("held", "a certificate of this key not valid yet");
	return C_("held", "an older certificate of this key");
}

/* No candidate holds the key: refused, or with --force and one
 * candidate, that one. */
static cpk_err
no_match(fixwork *w, int sec, const unsigned char *fp, const cand **m)
{
	char hex[20];

	*m = NULL;
	if (sec)
		return CPK_OK;
	if (w->ncand == 1 && w->o->force) {
		*m = &w->cands[0];
		return CPK_OK;
	}
	for (size_t i = 0; fp != NULL && i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02x", fp[i]);
	if (w->ncand == 1)
		return fix_refuse(w, CPK_E_FINGERPRINT, _("the certificate "
		    "given belongs to another key (primaryFP %s): nothing "
		    "changed; --force installs it anyway"), fp ? hex : "?");
	return fix_refuse(w, CPK_E_FINGERPRINT, P_("none of the %zu "
	    "certificates given matches the key (primaryFP %s): nothing "
	    "changed", "none of the %zu certificates given matches the key "
	    "(primaryFP %s): nothing changed", w->ncand), w->ncand,
	    fp ? hex : "?");
}

/* The certificate for [5] (or [6]) as cpk_cert_pick_run() ranks the
 * candidates; a renewal replaces an older certificate of the key, never
 * the reverse without --force. */
static cpk_err
fix_certificate(fixwork *w, cpk_header *h, int sec, int *changed)
{
	const unsigned char *fp = cpk_header_fp(h, sec);
	const cpk_blob *cur = cpk_header_cert(h, sec);
	const char *field = sec ? "[6]" : "[5]";
	cpk_cert_pick *pk;
	cand chosen;
	const cand *m;
	char t[720];
	const char *was;
	cpk_err r;

	if (w->ncand == 0)
		return CPK_OK;
	if ((pk = calloc(1, sizeof(*pk))) == NULL)
		return CPK_E_NOMEM;
	w->rep->pick[sec] = pk;
	if ((r = cpk_cert_pick_run(w->f, w->o->certs, sec, w->o->password,
	    w->o->now, w->o->force, pk)) != CPK_OK)
		return r;
	if (pk->nmatch == 0) {
		if ((r = no_match(w, sec, fp, &m)) != CPK_OK || m == NULL)
			return r;
	} else if (pk->chosen < 0) {
		return CPK_OK;		/* the held certificate is kept */
	} else {
		chosen.der = w->o->certs->v[pk->v[pk->chosen].index];
		chosen.ci = pk->v[pk->chosen].ci;
		m = &chosen;
	}
	if (cpk_blob_eq(cur, m->der))
		return CPK_OK;
	was = held_text(w, pk, cur, fp);
	if ((r = cpk_header_set_cert(h, sec, m->der)) != CPK_OK)
		return r;
	*changed = 1;
	fix_note(w, CPK_F_HEADER, _("header.key %s held %s: installed %s%s"),
	    field, was, cert_text(&m->ci, t, sizeof(t)), pk->nmatch == 0 ?
	    _(" (--force: it does NOT match the key's fingerprint)") :
	    pk->forced ? _(" (--force: it is older than the one it "
	    "replaces)") : "");
	return CPK_OK;
}

/* Key parameters that are damaged, unsupported or disagree with the
 * certificate are rebuilt from it; --alg forces the family. */
static cpk_err
fix_params(fixwork *w, cpk_header *h, int *changed)
{
	const cpk_keyparams *cur = cpk_header_params(h, 0);
	cpk_keyparams copy = *cur, *kp = &copy;	/* h changes below */
	const cpk_blob *cert = cpk_header_cert(h, 0);
	enum cpk_profile p = cpk_profile_by_oid(kp->alg);
	const cpk_curve *c = cpk_curve_by_oid(kp->curve);
	cpk_cert_info ci;
	cpk_keyparams nk;
	int have = cert != NULL &&
	    cpk_cert_parse(cert->ptr, cert->len, &ci) == CPK_OK;
	cpk_err r;

	if (!(p == CPK_P_NONE || c == NULL || (w->o->alg != CPK_P_NONE &&
	    w->o->alg != p) || (have && (cpk_profile_by_oid(ci.alg) != p ||
	    !cpk_curve_same(cpk_curve_by_oid(ci.curve), c)))))
		return CPK_OK;
	if (have)
		r = params_from_cert(w, &ci, kp, &nk);
	else if (w->o->alg != CPK_P_NONE && c != NULL &&
	    cpk_curve_len(c) == cpk_profile_key_len(w->o->alg)) {
		nk = *kp;
		snprintf(nk.alg, sizeof(nk.alg), "%s", cpk_profile_key_oid(
		    w->o->alg, (kp->attrs & CPK_KA_EXCHANGE) != 0));
		snprintf(nk.digest, sizeof(nk.digest), "%s",
		    cpk_profile_digest_oid(w->o->alg));
		r = CPK_OK;
	} else
		r = CPK_E_UNSUPPORTED;
	if (r != CPK_OK)
		return fix_refuse(w, r, _("header.key: the key parameters (%s "
		    "on %s) are damaged or unsupported and no certificate or "
		    "--alg tells the right ones"), kp->alg[0] ? kp->alg : "?",
		    kp->curve[0] ? kp->curve : "?");
	if ((r = cpk_header_set_params(h, 0, &nk)) != CPK_OK)
		return r;
	*changed = 1;
	fix_note(w, CPK_F_HEADER, have ? _("header.key key parameters were "
	    "%s on %s: rebuilt as %s on %s from the certificate") :
	    _("header.key key parameters were %s on %s: rebuilt as %s on %s "
	    "from --alg"), kp->alg[0] ? kp->alg : "?",
	    kp->curve[0] ? kp->curve : "?", nk.alg, nk.curve);
	return CPK_OK;
}

/* With the password, the installed certificate must be the key's. */
static cpk_err
prove(fixwork *w, const cpk_header *h)
{
	const cpk_blob *cert = cpk_header_cert(h, 0);
	cpk_cert_info ci;
	cpk_key *k = NULL;
	enum cpk_pwenc enc;
	const unsigned char *pub;
	size_t len;
	cpk_err r;

	if (w->o->password == NULL || cert == NULL || w->o->force ||
	    cpk_cert_parse(cert->ptr, cert->len, &ci) != CPK_OK)
		return CPK_OK;
	if ((r = fix_unlock(w->f, w->o->password, &k, &enc)) != CPK_OK)
		return fix_refuse(w, r, _("the password does not unlock the "
		    "key, so the repair cannot be proven: nothing changed"));
	pub = cpk_key_public(k, &len);
	r = len == ci.pub_len && memcmp(pub, ci.pub, len) == 0 ? CPK_OK :
	    fix_refuse(w, CPK_E_FINGERPRINT, _("the certificate %s does not "
	    "belong to the key (d*G differs): nothing changed"), ci.subject);
	cpk_key_free(&k);
	return r;
}

cpk_err
fix_header(fixwork *w)
{
	cpk_header *h = NULL;
	cpk_blob *enc = NULL;
	enum cpk_profile p;
	int changed = 0, mac_wrong;
	char hex[12];
	cpk_err r;

	if (w->f->f[CPK_F_HEADER] == NULL)
		return rebuild_header(w, 1);
	r = cpk_header_decode(w->f->f[CPK_F_HEADER]->ptr,
	    w->f->f[CPK_F_HEADER]->len, &h);
	if (r == CPK_E_UNSUPPORTED)
		return fix_refuse(w, r, _("header.key is not a V2 header; "
		    "cpkit does not modify it"));
	if (r != CPK_OK)
		return rebuild_header(w, 0);
	if (cpk_header_is_old(h)) {
		cpk_header_free(&h);
		return fix_refuse(w, CPK_E_OLD_FORMAT, _("header.key is in "
		    "the pre-V2 format; cpkit does not modify it"));
	}
	/* judged before any edit: the stored MAC against the stored bytes */
	p = cpk_profile_by_oid(cpk_header_params(h, 0)->alg);
	mac_wrong = p != CPK_P_NONE && cpk_header_check_mac(h, p) == CPK_E_MAC;
	for (int i = 0; i < 4; i++)
		snprintf(hex + 2 * i, 3, "%02x", cpk_header_mac(h)[i]);
	if ((r = fix_certificate(w, h, 0, &changed)) != CPK_OK ||
	    (cpk_header_params(h, 1) != NULL &&
	    (r = fix_certificate(w, h, 1, &changed)) != CPK_OK) ||
	    (r = fix_params(w, h, &changed)) != CPK_OK)
		goto out;
	p = cpk_profile_by_oid(cpk_header_params(h, 0)->alg);
	if (mac_wrong)
		fix_note(w, CPK_F_HEADER, changed ? _("header.key: the stored "
		    "header MAC %s was wrong: recomputed") : _("header.key: "
		    "the stored header MAC %s was wrong: recomputed (if a "
		    "field was damaged rather than edited, the damage stays)"),
		    hex);
	else if (changed)
		fix_note(w, CPK_F_HEADER, _("header.key: header MAC "
		    "recomputed"));
	changed |= mac_wrong;
	if (!changed)
		goto out;
	if ((r = cpk_header_update_mac(h, p)) != CPK_OK ||
	    (r = cpk_header_encode(h, &enc)) != CPK_OK ||
	    (r = fix_set_file(w, CPK_F_HEADER, enc)) != CPK_OK)
		goto out;
	r = prove(w, h);
out:
	cpk_blob_free(&enc);
	cpk_header_free(&h);
	return r;
}
