/* The checks that need the password: FORMATS.md §14, checks 12-17. The
 * password is only read here, never stored, logged or put in a finding. */
#include <string.h>

#include <openssl/crypto.h>

#include "internal.h"

/* Check 12 (or 13 when no password is set): which password and encoding
 * open the container. 0: stop. */
static int
choose_password(const cpk_container *c, const char *pw, const char **use,
    enum cpk_pwenc *enc, cpk_findings *out)
{
	enum cpk_pwenc order[3];
	size_t n = cpk_pw_encodings(pw, order);
	cpk_key *k = NULL;

	*use = pw;
	*enc = order[0];
	if ((cpk_header_attrs(c->header) & CPK_CA_PASSWORD) == 0) {
		/* no password set: try the empty one first (§14 check 13) */
		for (int copy = 0; copy < 2; copy++)
			if (cpk_key_unlock(c, copy, "", CPK_PW_UTF8, &k) ==
			    CPK_OK) {
				cpk_key_free(&k);
				if (pw[0] != '\0')
					cpk_finding_add(out,
					    "password-not-set", _("header.key: "
					    "no password is set "
					    "(kccaSoftPassword clear)"));
				*use = "";
				return 1;
			}
		return 1;
	}
	if (cpk_header_pw_mac(c->header) == NULL)
		return 1;	/* no check value: the fingerprint decides */
	for (size_t i = 0; i < n; i++)
		if (cpk_password_check(c, pw, order[i]) == CPK_OK) {
			*enc = order[i];
			if (n > 1)
				cpk_finding_add(out, "password-encoding",
				    _("the non-ASCII password entered the key "
				    "derivation as %s"), cpk_pwenc_name(*enc));
			return 1;
		}
	cpk_finding_add(out, "password-wrong", _("header.key: the password "
	    "does not match hmacPassword [2]"));
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
	int have = cert != NULL &&
	    cpk_cert_parse(cert->ptr, cert->len, &ci) == CPK_OK;

	pub = cpk_key_public(k, &plen);
	if (have && (ci.pub_len != plen || memcmp(ci.pub, pub, plen) != 0)) {
		cpk_finding_add(out, "cert-pubkey-mismatch", _("the key's "
		    "public point d*G differs from the certificate's key"));
		have = 0;
	}
	if (cpk_key_sign_verify(k, have ? ci.pub : pub, plen) != CPK_OK) {
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
check_copies(const cpk_container *c, int sec, const char *use,
    enum cpk_pwenc enc, cpk_findings *out)
{
	cpk_key *k[2] = { NULL, NULL };
	cpk_err r[2] = { CPK_E_MISSING, CPK_E_MISSING };
	size_t l0, l1;
	int good = -1;

	for (int copy = 0; copy < 2; copy++) {
		if (c->masks[copy] == NULL || c->primary[copy] == NULL)
			continue;
		r[copy] = sec ?
		    cpk_key_unlock_secondary(c, copy, use, enc, &k[copy]) :
		    cpk_key_unlock(c, copy, use, enc, &k[copy]);
		if (r[copy] == CPK_OK && good < 0)
			good = copy;
	}
	if (!sec && good < 0 &&
	    (cpk_header_attrs(c->header) & CPK_CA_PASSWORD) == 0 &&
	    !cpk_findings_has(out, "password-not-set"))
		cpk_finding_add(out, "password-wrong", _("no copy unlocks with "
		    "this password (wrong password, or both copies "
		    "damaged)"));
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

cpk_err
cpk_check_password(const cpk_container *c, const char *pw,
    cpk_findings *out)
{
	const char *use;
	enum cpk_pwenc enc;

	if (c->header == NULL || c->profile == CPK_P_NONE || c->curve == NULL)
		return CPK_E_UNSUPPORTED;
	if (!choose_password(c, pw, &use, &enc, out))
		return CPK_OK;
	check_copies(c, 0, use, enc, out);
	if (cpk_header_params(c->header, 1) != NULL)
		check_copies(c, 1, use, enc, out);
	return CPK_OK;
}
