/* The checks that need the password: FORMATS.md §14, checks 12-17. The
 * password is only read here, never stored, logged or put in a finding. */
#include <string.h>

#include <openssl/crypto.h>

#include "internal.h"

/* What choose_password learnt: the password and encoding to unlock with,
 * and whether the password MAC proved it (then a copy that does not
 * unlock is damaged, not locked). */
struct choice {
	const char	*use;
	enum cpk_pwenc	 enc;
	int		 proved;
};

/* "the password does not unlock this container": the plain words lead,
 * the field that said so goes to the evidence. */
static void
wrong(cpk_findings *out, const char *why)
{
	cpk_finding *f = cpk_finding_add(out, "password-wrong",
	    _("the password does not unlock this container"));

	cpk_finding_evidence(f, "%s", why);
}

/* A password read from a file: how its text was read, and the form that
 * entered the key derivation (§11.3). */
static void
note_encoding(const cpk_pw_try *t, size_t nenc, enum cpk_pwenc enc,
    cpk_findings *out)
{
	if (t->from_file && t->read_as != CPK_PWT_UTF8)
		cpk_finding_add(out, "password-encoding", _("the password "
		    "file was read as %s; the password entered the key "
		    "derivation as %s"), cpk_pwtext_name(t->read_as),
		    cpk_pwenc_name(enc));
	else if (nenc > 1)
		cpk_finding_add(out, "password-encoding", _("the non-ASCII "
		    "password entered the key derivation as %s"),
		    cpk_pwenc_name(enc));
}

/* Check 12 (or 13 when no password is set): which password and encoding
 * open the container. 0: stop. */
static int
choose_password(const cpk_container *c, const cpk_pw_try *t,
    struct choice *ch, cpk_findings *out)
{
	enum cpk_pwenc order[3];
	size_t n = cpk_pw_encodings(t->pw, order);
	cpk_key *k = NULL;

	ch->use = t->pw;
	ch->enc = order[0];
	ch->proved = 0;
	if ((cpk_header_attrs(c->header) & CPK_CA_PASSWORD) == 0) {
		/* no password set: try the empty one first (§14 check 13) */
		for (int copy = 0; copy < 2; copy++)
			if (cpk_key_unlock(c, copy, "", CPK_PW_UTF8, &k) ==
			    CPK_OK) {
				cpk_key_free(&k);
				if (t->pw[0] != '\0')
					cpk_finding_add(out,
					    "password-not-set", _("header.key: "
					    "no password is set "
					    "(kccaSoftPassword clear)"));
				ch->use = "";
				ch->proved = 1;
				return 1;
			}
		return 1;
	}
	if (cpk_header_pw_mac(c->header) == NULL)
		return 1;	/* no check value: the fingerprint decides */
	for (size_t i = 0; i < n; i++) {
		cpk_err r = cpk_password_check(c, t->pw, order[i]);

		if (r == CPK_OK) {
			ch->enc = order[i];
			ch->proved = 1;
			note_encoding(t, n, ch->enc, out);
			return 1;
		}
		if (r == CPK_E_NOMEM) {	/* no verdict, not "wrong" */
			out->lost++;
			return 0;
		}
	}
	wrong(out, _("header.key: the password check value hmacPassword [2] "
	    "does not match"));
	return 0;
}

/* Checks 16-17: the key against the certificate, and a real signature. */
static void
check_key(const cpk_container *c, const cpk_key *k, int copy, int sec,
    cpk_findings *out)
{
	const cpk_blob *cert = cpk_header_cert(c->header, sec);
	const unsigned char *pub;
	size_t plen;
	cpk_cert_info ci;
	cpk_finding *f;
	char fp[20];
	cpk_err r;
	int have = cert != NULL &&
	    cpk_cert_parse(cert->ptr, cert->len, &ci) == CPK_OK;

	pub = cpk_key_public(k, &plen);
	if (have && (ci.pub_len != plen || memcmp(ci.pub, pub, plen) != 0)) {
		cpk_finding_add(out, "cert-pubkey-mismatch", _("the key's "
		    "public point d*G differs from the certificate's key"));
		have = 0;
	}
	if ((r = cpk_key_sign_verify(k, have ? ci.pub : pub, plen)) ==
	    CPK_E_NOMEM) {
		out->lost++;		/* no verdict, not a bad key */
		return;
	}
	if (r != CPK_OK) {
		cpk_finding_add(out, "sign-verify-failed", have ? _("a test "
		    "signature made with the key did not verify against the "
		    "certificate") : _("a test signature made with the key did "
		    "not verify"));
		return;
	}
	/* TRANSLATORS: "primary" and "secondary" name the key, "main" and
	 * "reserve" the copy it came from (masks/primary, masks2/primary2) */
	f = cpk_finding_add(out, "key-ok", _("%s private key unlocked from "
	    "the %s copy, fingerprint matches%s; test signature verified"),
	    sec ? C_("key", "secondary") : C_("key", "primary"),
	    copy ? C_("from copy", "reserve") : C_("from copy", "main"),
	    have ? _(", d*G equals the certificate's key") : "");
	cpk_finding_evidence(f, "%s %s", sec ? "secondaryFP" : "primaryFP",
	    cpk_hex(pub, 8, fp, sizeof(fp)));
}

/* Checks 14-17 for the primary key (sec 0) or the secondary key of a
 * two-key container (sec 1), on both copies. */
static void
check_copies(const cpk_container *c, int sec, const struct choice *ch,
    cpk_findings *out)
{
	cpk_key *k[2] = { NULL, NULL };
	cpk_err r[2] = { CPK_E_MISSING, CPK_E_MISSING };
	size_t l0, l1;
	int good = -1;

	for (int copy = 0; copy < 2; copy++) {
		if (c->masks[copy] == NULL || c->primary[copy] == NULL)
			continue;
		r[copy] = sec ?
		    cpk_key_unlock_secondary(c, copy, ch->use, ch->enc,
		    &k[copy]) : cpk_key_unlock(c, copy, ch->use, ch->enc,
		    &k[copy]);
		if (r[copy] == CPK_OK && good < 0)
			good = copy;
		if (r[copy] == CPK_E_NOMEM) {
			out->lost++;	/* no verdict on this password */
			cpk_key_free(&k[0]);
			cpk_key_free(&k[1]);
			return;
		}
	}
	/* nothing proved the password: no copy unlocking says it is wrong
	 * (or both copies are damaged, which the offline checks would
	 * mostly have shown) */
	if (!sec && good < 0 && !ch->proved &&
	    (r[0] != CPK_E_MISSING || r[1] != CPK_E_MISSING))
		wrong(out, _("no copy's fingerprint matches with this password "
		    "(wrong password, or both copies damaged)"));
	for (int copy = 0; copy < 2; copy++)
		if (r[copy] != CPK_OK && r[copy] != CPK_E_MISSING &&
		    !cpk_findings_has(out, "password-wrong"))
			cpk_finding_add(out, "copy-unlock-failed", sec ?
			    _("%s/%s: the secondary key does not unlock (%s)") :
			    _("%s/%s: the key does not unlock (%s)"), copy ?
			    "masks2.key" : "masks.key", copy ? "primary2.key" :
			    "primary.key", cpk_err_text(r[copy]));
	if (k[0] != NULL && k[1] != NULL) {
		const unsigned char *d0 = cpk_key_scalar(k[0], &l0);
		const unsigned char *d1 = cpk_key_scalar(k[1], &l1);
		if (l0 != l1 || CRYPTO_memcmp(d0, d1, l0) != 0)
			cpk_finding_add(out, "copies-differ", sec ?
			    _("primary.key and primary2.key hold different "
			    "secondary keys") : _("primary.key and "
			    "primary2.key hold different keys"));
	}
	if (good >= 0)
		check_key(c, k[good], good, sec, out);
	cpk_key_free(&k[0]);
	cpk_key_free(&k[1]);
}

static cpk_err
check_one(const cpk_container *c, const cpk_pw_try *t, cpk_findings *out)
{
	struct choice ch;

	if (c->header == NULL || c->profile == CPK_P_NONE || c->curve == NULL)
		return CPK_E_UNSUPPORTED;
	if (!choose_password(c, t, &ch, out))
		return cpk_findings_state(out);
	check_copies(c, 0, &ch, out);
	if (cpk_header_params(c->header, 1) != NULL)
		check_copies(c, 1, &ch, out);
	return cpk_findings_state(out);
}

cpk_err
cpk_check_password(const cpk_container *c, const char *pw,
    cpk_findings *out)
{
	cpk_pw_try t = { pw, 0, 0, CPK_PWT_UTF8 };

	return check_one(c, &t, out);
}

/* Whether pw opens c: the password MAC when the header has one (one KDF
 * a form), else an unlock of either copy. */
static int
opens(const cpk_container *c, const char *pw)
{
	enum cpk_pwenc order[3];
	size_t n = cpk_pw_encodings(pw, order);
	cpk_key *k = NULL;

	if ((cpk_header_attrs(c->header) & CPK_CA_PASSWORD) != 0 &&
	    cpk_header_pw_mac(c->header) != NULL) {
		for (size_t i = 0; i < n; i++)
			if (cpk_password_check(c, pw, order[i]) == CPK_OK)
				return 1;
		return 0;
	}
	if (cpk_container_unlock(c, pw, &k) != CPK_OK)
		return 0;
	cpk_key_free(&k);
	return 1;
}

size_t
cpk_password_pick(const cpk_container *c, const cpk_pw_try *v, size_t n,
    int *none)
{
	*none = 0;
	if (c->header == NULL || c->profile == CPK_P_NONE || c->curve == NULL)
		return n;
	if ((cpk_header_attrs(c->header) & CPK_CA_PASSWORD) == 0 &&
	    opens(c, "")) {
		*none = 1;
		return n;
	}
	for (size_t i = 0; i < n; i++)
		if (opens(c, v[i].pw))
			return i;
	return n;
}

cpk_err
cpk_check_passwords(const cpk_container *c, const cpk_pw_try *v, size_t n,
    size_t *used, cpk_findings *out)
{
	cpk_finding *f;
	size_t i;
	int none;

	*used = n;
	if (n == 0)
		return CPK_E_ARG;
	if (n == 1 && v[0].line == 0) {		/* one password: as ever */
		cpk_err r = check_one(c, &v[0], out);

		if (r != CPK_OK)
			return r == CPK_E_NOMEM ? r : CPK_E_UNSUPPORTED;
		if (!cpk_findings_has(out, "password-wrong"))
			*used = 0;
		return CPK_OK;
	}
	if (c->header == NULL || c->profile == CPK_P_NONE || c->curve == NULL)
		return CPK_E_UNSUPPORTED;
	i = cpk_password_pick(c, v, n, &none);
	if (none)		/* no password set: password-not-set says so */
		return check_one(c, &v[0], out);
	if (i == n) {
		f = cpk_finding_add(out, "password-wrong", P_("the password "
		    "does not unlock this container (%zu password tried)",
		    "no password of the list unlocks this container (%zu "
		    "passwords tried)", n), n);
		cpk_finding_evidence(f, "%s", cpk_header_pw_mac(c->header) ?
		    _("header.key: the password check value hmacPassword [2] "
		    "matches none of them") : _("no copy's fingerprint matches "
		    "with any of them"));
		return cpk_findings_state(out);
	}
	*used = i;
	f = cpk_finding_add(out, "password-list", P_("line %zu of the "
	    "password list unlocks this container (%zu password tried)",
	    "line %zu of the password list unlocks this container (%zu "
	    "passwords tried)", i + 1), v[i].line, i + 1);
	cpk_finding_evidence(f, "password_line %zu", v[i].line);
	return check_one(c, &v[i], out);
}
