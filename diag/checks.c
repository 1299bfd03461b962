/* The checks that need no password: FORMATS.md §14, checks 1-11 and 18,
 * in that order, each finding naming the file and the field. */
#include <string.h>

#include "internal.h"
#include "tokens.h"

#define SOON	(30 * 24 * 3600)	/* "expires soon": 30 days */

static int
is_secret_copy(int i)
{
	return i == CPK_F_MASKS2 || i == CPK_F_PRIMARY2;
}

/* Check 1: presence. A container is usable with name.key, header.key and
 * one complete masks/primary pair (FORMATS.md §1.1). */
static void
list_missing(const int *have, const int *which, size_t n, char *out,
    size_t cap)
{
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (have[which[i]])
			continue;
		if (out[0] != '\0')
			strncat(out, ", ", cap - strlen(out) - 1);
		strncat(out, cpk_file_name((enum cpk_file_id)which[i]),
		    cap - strlen(out) - 1);
	}
}

/* A link, FIFO or device in place of a key file was not read (a link to
 * ~/.ssh/id_rsa would hand the engineer's file to the customer): its own
 * finding, the link's target as evidence. */
static void
unreadable(const cpk_files *f, int i, cpk_findings *out)
{
	const char *name = cpk_file_name((enum cpk_file_id)i);
	int odd = f->err[i] == CPK_E_LINK || f->err[i] == CPK_E_NOT_REGULAR;
	cpk_finding *fd;

	fd = cpk_finding_add(out, odd ? "file-not-regular" : "file-unreadable",
	    _("%s: cannot be read (%s)"), name, cpk_err_text(f->err[i]));
	if (f->err[i] == CPK_E_LINK && f->link[i] != NULL)
		cpk_finding_evidence(fd, _("%s points to %s"), name,
		    f->link[i]);
}

/* A token file behind the user PIN (CPK_E_PIN_NEEDED) is there but not
 * read: it counts as present, and one finding says which files wait for
 * the PIN instead of calling the container incomplete. */
static void
check_presence(const cpk_files *f, cpk_findings *out)
{
	static const int all[] = { CPK_F_HEADER, CPK_F_NAME, CPK_F_MASKS,
	    CPK_F_PRIMARY, CPK_F_MASKS2, CPK_F_PRIMARY2 };
	int have[CPK_F_COUNT], locked[CPK_F_COUNT], main_ok, reserve_ok;
	int nlocked = 0;
	char missing[128];
	cpk_finding *fm;

	for (int i = 0; i < CPK_F_COUNT; i++) {
		locked[i] = f->f[i] == NULL && f->err[i] == CPK_E_PIN_NEEDED;
		nlocked += locked[i];
		have[i] = f->f[i] != NULL || locked[i];
		if (!have[i] && f->err[i] != CPK_E_MISSING)
			unreadable(f, i, out);
	}
	if (nlocked > 0) {
		int unlocked[CPK_F_COUNT];

		for (int i = 0; i < CPK_F_COUNT; i++)
			unlocked[i] = !locked[i];
		list_missing(unlocked, all, 6, missing, sizeof(missing));
		cpk_finding_add(out, "token-pin-needed", "%s: %s",
		    missing, cpk_err_text(CPK_E_PIN_NEEDED));
	}
	main_ok = have[CPK_F_MASKS] && have[CPK_F_PRIMARY];
	reserve_ok = have[CPK_F_MASKS2] && have[CPK_F_PRIMARY2];
	if (!have[CPK_F_HEADER] || !have[CPK_F_NAME] ||
	    (!main_ok && !reserve_ok)) {
		list_missing(have, all, 6, missing, sizeof(missing));
		fm = cpk_finding_add(out, "file-missing", strchr(missing, ',') ?
		    _("the container cannot be used: %s are missing or "
		    "unreadable") : _("the container cannot be used: %s is "
		    "missing or unreadable"), missing);
		if (fm != NULL)
			fm->remedy = cpk_missing_remedy(have[CPK_F_HEADER],
			    have[CPK_F_NAME], main_ok || reserve_ok);
		return;
	}
	if (!main_ok) {
		list_missing(have, all + 2, 2, missing, sizeof(missing));
		cpk_finding_add(out, "copy-incomplete", strchr(missing, ',') ?
		    _("%s are missing: the main copy is incomplete, the "
		    "reserve copy is intact") : _("%s is missing: the main "
		    "copy is incomplete, the reserve copy is intact"),
		    missing);
	}
	if (!have[CPK_F_MASKS2] && !have[CPK_F_PRIMARY2])
		cpk_finding_add(out, "reserve-missing",
		    _("masks2.key and primary2.key are absent: no reserve "
		    "copy"));
	else if (!reserve_ok)
		cpk_finding_add(out, "reserve-incomplete",
		    _("%s is missing: the reserve copy is incomplete"),
		    have[CPK_F_MASKS2] ? "primary2.key" : "masks2.key");
}

static size_t
trailing_of(const cpk_container *c, int i)
{
	int copy = is_secret_copy(i);

	switch (i) {
	case CPK_F_HEADER:
		return c->header ? cpk_header_trailing(c->header) : 0;
	case CPK_F_MASKS:
	case CPK_F_MASKS2:
		return c->masks[copy] ? c->masks[copy]->trailing : 0;
	case CPK_F_PRIMARY:
	case CPK_F_PRIMARY2:
		return c->primary[copy] ? c->primary[copy]->trailing : 0;
	default:
		return 0;
	}
}

/* Checks 2-3: every present file is one well-formed element. */
static void
check_decoding(const cpk_files *f, const cpk_container *c,
    cpk_findings *out)
{
	for (int i = 0; i < CPK_F_COUNT; i++) {
		const char *name = cpk_file_name((enum cpk_file_id)i);
		char at[CPK_WHERE_FIELD_MAX + 32];
		size_t t;

		if (f->f[i] == NULL)
			continue;
		if (c->err[i] == CPK_E_UNSUPPORTED && i == CPK_F_HEADER)
			cpk_finding_add(out, "header-v4", _("header.key: not "
			    "a V2 header (V4 or unknown structure)"));
		else if (c->err[i] != CPK_OK && (cpk_where_text(
		    &c->where[i], at, sizeof(at)))[0] != '\0')
			cpk_finding_add(out, "file-damaged",
			    /* TRANSLATORS: the last %s says where, e.g.
			     * "primaryCertificate at byte 68" */
			    _("%s: cannot be parsed: %s (%s)"), name,
			    cpk_err_text(c->err[i]), at);
		else if (c->err[i] != CPK_OK)
			cpk_finding_add(out, "file-damaged",
			    _("%s: cannot be parsed: %s"), name,
			    cpk_err_text(c->err[i]));
		else if ((t = trailing_of(c, i)) > 0)
			cpk_finding_add(out, "file-trailing",
			    P_("%s: %zu bytes after the data (%s)",
			    "%s: %zu bytes after the data (%s)", t), name, t,
			    f->f[i]->ptr[f->f[i]->len - 1] == 0xff ?
			    _("FF padding") : f->f[i]->ptr[f->f[i]->len - 1] ==
			    0 ? _("00 padding") : _("other bytes"));
	}
}

/* FORMATS.md §2.1: optional fields that did not parse, and key validity
 * times written as local time. */
static void
check_fields(const cpk_header *h, cpk_findings *out)
{
	static const char *const which[2] = { "notBefore", "notAfter" };
	const char *name;
	unsigned form;
	time_t tv[2];
	char t[40];
	cpk_err why;

	for (size_t i = 0; (name = cpk_header_unreadable(h, i, &why)) != NULL;
	    i++)
		cpk_finding_add(out, "header-field-unreadable", _("header.key: "
		    "%s cannot be parsed (%s); the rest of the header was "
		    "read"), name, cpk_err_text(why));
	if (!cpk_header_key_validity(h, &tv[0], &tv[1]))
		return;
	for (int k = 0; k < 2; k++) {
		form = cpk_header_key_validity_form(h, k);
		if (form & CPK_GT_LOCAL)
			cpk_finding_add(out, "header-time-local", _("header.key: "
			    "key validity %s is local time without a time "
			    "zone: read as UTC, %s"), which[k],
			    cpk_time_text(tv[k], t, sizeof(t)));
		else if (form & CPK_GT_OFFSET)
			cpk_finding_add(out, "header-time-local", _("header.key: "
			    "key validity %s is local time with an offset: "
			    "read with its offset, %s"), which[k],
			    cpk_time_text(tv[k], t, sizeof(t)));
	}
}

/* Checks 4-6: header format, MAC, algorithm. 0: stop crypto checks. */
static int
check_header(const cpk_container *c, cpk_findings *out)
{
	const cpk_header *h = c->header;
	const cpk_keyparams *kp;
	const char *v;
	cpk_finding *fd;
	enum cpk_profile other;
	cpk_err r;

	if (h == NULL)
		return 0;
	v = cpk_header_version_oid(h);
	if (cpk_header_is_old(h))
		cpk_finding_add(out, "header-old-format",
		    _("header.key: pre-V2 container format (%s)"),
		    v[0] ? v : _("container name inside the header"));
	else if (strcmp(v, "1.2.643.2.2.37.2.1") != 0)
		cpk_finding_add(out, "header-version",
		    _("header.key: container algorithm %s, not "
		    "1.2.643.2.2.37.2.1"), v[0] ? v : C_("value", "absent"));
	if (cpk_header_is_ber(h))
		cpk_finding_add(out, "header-ber",
		    _("header.key: BER (non-DER) lengths"));
	check_fields(h, out);
	kp = cpk_header_params(h, 0);
	if (c->profile == CPK_P_NONE) {
		cpk_finding_add(out, "alg-unsupported",
		    _("header.key: primaryPrivateKeyParameters: key "
		    "algorithm %s is not supported"), kp ? kp->alg : "?");
		return 0;
	}
	/* only CPK_E_MAC is a mismatch; anything else (the engine failed)
	 * proves nothing either way and must not pass for a good MAC */
	if ((r = cpk_header_check_mac(h, c->profile)) == CPK_E_NOMEM)
		out->lost++;		/* no verdict: the check fails */
	else if (r != CPK_OK && r != CPK_E_MAC)
		cpk_finding_add(out, "header-mac-unchecked", _("header.key: "
		    "hmacKeyContainerContent could not be checked (%s)"),
		    cpk_err_text(r));
	else if (r == CPK_E_MAC) {
		other = c->profile == CPK_P_2001 ? CPK_P_2012_256 : CPK_P_2001;
		if ((r = cpk_header_check_mac(h, other)) == CPK_E_NOMEM)
			out->lost++;
		else if (r == CPK_OK)
			cpk_finding_add(out, "header-sbox-mismatch",
			    _("header.key: hmacKeyContainerContent was "
			    "computed with the %s S-box"), other == CPK_P_2001 ?
			    "CryptoPro-A" : "TC26-Z");
		else {
			char hex[16];
			fd = cpk_finding_add(out, "header-mac",
			    cpk_header_is_ber(h) ? _("header.key: "
			    "hmacKeyContainerContent does not match the header "
			    "(BER input: not verifiable)") : _("header.key: "
			    "hmacKeyContainerContent does not match the "
			    "header"));
			cpk_finding_evidence(fd, _("stored %s"), cpk_hex(
			    cpk_header_mac(h), 4, hex, sizeof(hex)));
		}
	}
	if (c->curve == NULL) {
		cpk_finding_add(out, "curve-unsupported",
		    _("header.key: publicKeyParamSet %s is not a supported "
		    "curve"), kp && kp->curve[0] ? kp->curve : _("(absent)"));
		return 0;
	}
	return 1;
}

/* Checks 7-8 per copy: sizes and the masks MAC. */
static void
check_copies(const cpk_container *c, cpk_findings *out)
{
	size_t want = cpk_profile_key_len(c->profile);

	for (int copy = 0; copy < 2; copy++) {
		const cpk_masks *m = c->masks[copy];
		const cpk_primary *p = c->primary[copy];
		const char *mn = copy ? "masks2.key" : "masks.key";
		const char *pn = copy ? "primary2.key" : "primary.key";
		cpk_err r = CPK_OK;

		if (m != NULL && m->mask->len != want)
			cpk_finding_add(out, "key-size", P_("%s: mask is %zu "
			    "bytes, %s keys need %zu", "%s: mask is %zu bytes, "
			    "%s keys need %zu", m->mask->len), mn, m->mask->len,
			    cpk_profile_name(c->profile), want);
		else if (m != NULL && (r = cpk_masks_check_mac(m,
		    c->profile)) == CPK_E_MAC)
			cpk_finding_add(out, "masks-mac", _("%s: hmacRandom "
			    "does not match mask and salt"), mn);
		else if (r == CPK_E_NOMEM)
			out->lost++;	/* no verdict, not a good MAC */
		else if (r != CPK_OK)
			cpk_finding_add(out, "masks-mac-unchecked", _("%s: "
			    "hmacRandom could not be checked (%s)"), mn,
			    cpk_err_text(r));
		if (p != NULL && p->key->len != want)
			cpk_finding_add(out, "key-size", P_("%s: primaryKey is "
			    "%zu bytes, %s keys need %zu", "%s: primaryKey is "
			    "%zu bytes, %s keys need %zu", p->key->len), pn,
			    p->key->len,
			    cpk_profile_name(c->profile), want);
	}
}

/* Checks 9-10 for the primary key ([5], [10]) or the secondary one ([6],
 * [11], §16). */
static void
check_certificate(const cpk_container *c, int sec, cpk_findings *out,
    cpk_cert_info *ci, int *have)
{
	const cpk_blob *cert = cpk_header_cert(c->header, sec);
	const unsigned char *fp = cpk_header_fp(c->header, sec);
	const cpk_keyparams *kp = cpk_header_params(c->header, sec);
	const char *field = sec ? "secondaryCertificate [6]" :
	    "primaryCertificate [5]";
	const cpk_curve *cc, *key_curve;
	enum cpk_profile key_profile;
	cpk_finding *f;
	char a[20], b[20];

	*have = 0;
	if (kp == NULL)
		return;
	key_profile = cpk_profile_by_oid(kp->alg);
	key_curve = cpk_curve_by_oid(kp->curve);
	if (cert == NULL) {
		cpk_finding_add(out, "cert-missing", _("header.key: no "
		    "certificate in %s"), field);
		return;
	}
	if (cpk_cert_parse(cert->ptr, cert->len, ci) != CPK_OK) {
		cpk_finding_add(out, "cert-damaged", _("header.key: "
		    "%s is not a valid X.509 certificate"), field);
		return;
	}
	*have = 1;
	if (fp == NULL || memcmp(ci->pub, fp, 8) != 0) {
		f = cpk_finding_add(out, "cert-key-mismatch", _("header.key: "
		    "the certificate's public key does not match %s"),
		    sec ? "secondaryFP [11]" : "primaryFP [10]");
		cpk_finding_evidence(f, _("certificate X[0:8] %s, primaryFP "
		    "%s"), cpk_hex(ci->pub, 8, a, sizeof(a)),
		    fp ? cpk_hex(fp, 8, b, sizeof(b)) : C_("value", "absent"));
	}
	cc = cpk_curve_by_oid(ci->curve);
	if (cpk_profile_by_oid(ci->alg) != key_profile ||
	    (ci->curve[0] != '\0' && !cpk_curve_same(cc, key_curve)))
		cpk_finding_add(out, "cert-alg-mismatch", sec ?
		    _("header.key: the secondary certificate is %s on %s, the "
		    "key %s on %s") : _("header.key: the primary certificate "
		    "is %s on %s, the key %s on %s"),
		    cpk_profile_name(cpk_profile_by_oid(ci->alg)),
		    cc ? cpk_curve_name(cc) : ci->curve,
		    cpk_profile_name(key_profile),
		    key_curve ? cpk_curve_name(key_curve) : kp->curve);
}

/* The certificate's own validity. */
static void
check_cert_validity(const cpk_cert_info *ci, int have_cert, time_t now,
    cpk_findings *out)
{
	char t[40];

	if (!have_cert)
		return;
	if (now > ci->not_after)
		cpk_finding_add(out, "cert-expired", _("certificate expired on "
		    "%s"), cpk_time_text(ci->not_after, t, sizeof(t)));
	else if (now < ci->not_before)
		cpk_finding_add(out, "cert-not-yet-valid", _("certificate is "
		    "valid from %s"), cpk_time_text(ci->not_before, t,
		    sizeof(t)));
	else if (ci->not_after - now < SOON)
		cpk_finding_add(out, "cert-expires-soon", _("certificate "
		    "expires on %s"), cpk_time_text(ci->not_after, t,
		    sizeof(t)));
}

static const char *
src_text(enum cpk_key_src s)
{
	switch (s) {
	case CPK_KEY_SRC_PKUP:
		return _("certificate PrivateKeyUsagePeriod");
	case CPK_KEY_SRC_15M:
		return _("certificate notBefore + 15 months");
	case CPK_KEY_SRC_HEADER:
		break;
	}
	return _("header.key key validity");
}

time_t
cpk_key_usage_end(const cpk_container *c, const cpk_cert_info *ci, int sec,
    enum cpk_key_src *src)
{
	const cpk_keyparams *kp = cpk_header_params(c->header, sec);
	enum cpk_key_src csrc = CPK_KEY_SRC_15M;
	time_t hnb, hna = 0, cend = 0;

	*src = CPK_KEY_SRC_HEADER;
	if (c->header == NULL)
		return 0;
	if (sec || !cpk_header_key_validity(c->header, &hnb, &hna))
		hna = 0;
	/* CSP applies the certificate's period to GOST 2012 keys only */
	if (ci != NULL && kp != NULL && cpk_profile_by_oid(kp->alg) !=
	    CPK_P_2001)
		cend = cpk_cert_key_end(ci, &csrc);
	/* the certificate's end wins a tie: it is the rule CSP applies */
	if (cend != 0 && (hna == 0 || cend <= hna)) {
		*src = csrc;
		return cend;
	}
	return hna;
}

const char *
cpk_key_src_name(enum cpk_key_src s)
{
	switch (s) {
	case CPK_KEY_SRC_PKUP:
		return "certificate-private-key-usage-period";
	case CPK_KEY_SRC_15M:
		return "certificate-not-before-plus-15-months";
	case CPK_KEY_SRC_HEADER:
		break;
	}
	return "header";
}

/* Every end that was weighed, for the evidence. */
static void
period_evidence(cpk_finding *f, time_t hna, const cpk_cert_info *ci,
    int have_cert)
{
	char h[40], a[40], b[40], cert[160];
	enum cpk_key_src src;
	time_t end;

	if (f == NULL)
		return;
	if (!have_cert)
		snprintf(cert, sizeof(cert), "%s", _("no certificate in "
		    "header.key"));
	else if ((end = cpk_cert_key_end(ci, &src)) != 0 &&
	    src == CPK_KEY_SRC_PKUP)
		snprintf(cert, sizeof(cert), _("certificate "
		    "PrivateKeyUsagePeriod notAfter %s"), cpk_time_text(end, a,
		    sizeof(a)));
	else
		snprintf(cert, sizeof(cert), _("certificate notBefore %s + 15 "
		    "months = %s (no PrivateKeyUsagePeriod)"), cpk_time_text(
		    ci->not_before, a, sizeof(a)), cpk_time_text(end, b,
		    sizeof(b)));
	cpk_finding_evidence(f, _("header.key key validity %s; %s"), hna != 0 ?
	    cpk_time_text(hna, h, sizeof(h)) : C_("value", "absent"), cert);
}

/* Check 11: the private key usage period (FORMATS.md §6.5), the earliest
 * of the header's key validity (primary key only) and the certificate's
 * period: its PrivateKeyUsagePeriod, else notBefore + 15 months. CryptoPro
 * was seen to enforce the certificate's part for GOST 2012 keys; for 2001
 * keys it is only reported (key-period-2001, info). */
static void
check_key_period(const cpk_container *c, const cpk_cert_info *ci,
    int have_cert, int sec, time_t now, cpk_findings *out)
{
	const cpk_keyparams *kp = cpk_header_params(c->header, sec);
	time_t hnb = 0, hna = 0, cend = 0, end;
	enum cpk_key_src csrc = CPK_KEY_SRC_15M, src = CPK_KEY_SRC_HEADER;
	int g2001 = kp != NULL && cpk_profile_by_oid(kp->alg) == CPK_P_2001;
	cpk_finding *f;
	char t[40];

	if (!sec && !cpk_header_key_validity(c->header, &hnb, &hna))
		hnb = hna = 0;
	if (have_cert)
		cend = cpk_cert_key_end(ci, &csrc);
	end = cpk_key_usage_end(c, have_cert ? ci : NULL, sec, &src);
	if (end != 0 && now > end) {
		f = cpk_finding_add(out, "key-expired", sec ? _("header.key: "
		    "the secondary key's usage period ended on %s (%s)") :
		    _("header.key: private key usage period ended on %s (%s)"),
		    cpk_time_text(end, t, sizeof(t)), src_text(src));
		period_evidence(f, hna, ci, have_cert);
		return;
	}
	if (hnb != 0 && now < hnb) {
		cpk_finding_add(out, "key-not-yet-valid", _("header.key: "
		    "private key usage period starts on %s"), cpk_time_text(hnb,
		    t, sizeof(t)));
		return;
	}
	if (end != 0 && end - now < SOON) {
		f = cpk_finding_add(out, "key-expires-soon", sec ?
		    _("header.key: the secondary key's usage period ends on %s "
		    "(%s)") : _("header.key: private key usage period ends on "
		    "%s (%s)"), cpk_time_text(end, t, sizeof(t)),
		    src_text(src));
		period_evidence(f, hna, ci, have_cert);
		return;
	}
	if (g2001 && cend != 0 && now > cend) {
		f = cpk_finding_add(out, "key-period-2001", _("header.key: by "
		    "the rule CryptoPro applies to GOST 2012 keys, this GOST "
		    "2001 key's usage period ended on %s (%s)"), cpk_time_text(
		    cend, t, sizeof(t)), src_text(csrc));
		period_evidence(f, hna, ci, have_cert);
	}
}

cpk_err
cpk_check_offline(const cpk_files *f, const cpk_container *c, time_t now,
    cpk_findings *out)
{
	const cpk_keyparams *kp;
	cpk_cert_info ci;
	int have_cert = 0;

	check_presence(f, out);
	check_decoding(f, c, out);
	if (!check_header(c, out))
		return cpk_findings_state(out);
	check_copies(c, out);
	check_certificate(c, 0, out, &ci, &have_cert);
	check_cert_validity(&ci, have_cert, now, out);
	check_key_period(c, &ci, have_cert, 0, now, out);
	if (cpk_header_params(c->header, 1) != NULL) {	/* two-key (§16) */
		check_certificate(c, 1, out, &ci, &have_cert);
		check_cert_validity(&ci, have_cert, now, out);
		check_key_period(c, &ci, have_cert, 1, now, out);
	}
	if ((kp = cpk_header_params(c->header, 0)) != NULL &&
	    (kp->attrs & CPK_KA_EXPORTABLE) == 0)
		cpk_finding_add(out, "key-not-exportable", _("header.key: the "
		    "key is marked non-exportable (pkaExportable clear)"));
	return cpk_findings_state(out);
}
