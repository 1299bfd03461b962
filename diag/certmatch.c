/* Certificates matched to containers without a password: the header's
 * primaryFP [10] (secondaryFP [11]) is the first 8 bytes of the key's
 * little-endian X, which the certificate's public key OCTET STRING starts
 * with (FORMATS.md §12.5). With the password d*G proves it. cpkit-list
 * --cert and cpkit-test --cert. */
#include <string.h>

#include "internal.h"

int
cpk_cert_holds(const cpk_container *c, const cpk_cert_info *ci)
{
	const unsigned char *fp;

	if (c == NULL || c->header == NULL || ci->pub_len < 8)
		return 0;
	for (int sec = 0; sec < 2; sec++)
		if ((fp = cpk_header_fp(c->header, sec)) != NULL &&
		    memcmp(fp, ci->pub, 8) == 0)
			return sec + 1;
	return 0;
}

/* d*G of the key the password unlocks (either copy, any encoding; the
 * empty password first when none is set), compared with the certificate's
 * key: 1 equal, 0 different, -1 not unlocked. */
static int
dg_equals(const cpk_container *c, int sec, const char *pw,
    const cpk_cert_info *ci)
{
	enum cpk_pwenc order[3];
	size_t n = cpk_pw_encodings(pw, order), len;
	const char *try[2] = { "", pw };
	const unsigned char *pub;
	cpk_key *k = NULL;
	int res = -1;

	for (int t = (cpk_header_attrs(c->header) & CPK_CA_PASSWORD) ? 1 : 0;
	    t < 2 && k == NULL; t++)
		for (size_t e = 0; e < n && k == NULL; e++)
			for (int copy = 0; copy < 2 && k == NULL; copy++)
				if ((sec ? cpk_key_unlock_secondary(c, copy,
				    try[t], order[e], &k) : cpk_key_unlock(c,
				    copy, try[t], order[e], &k)) != CPK_OK)
					k = NULL;
	if (k != NULL) {
		pub = cpk_key_public(k, &len);
		res = len == ci->pub_len && memcmp(pub, ci->pub, len) == 0;
	}
	cpk_key_free(&k);
	return res;
}

/* The given certificate against the one header.key holds for that key:
 * a newer one given is worth installing (a renewal). */
static void
compare_held(const cpk_container *c, int sec, const cpk_cert_info *ci,
    time_t now, cpk_findings *out)
{
	const cpk_blob *cur = cpk_header_cert(c->header, sec);
	cpk_cert_info held;
	int gv = now >= ci->not_before && now <= ci->not_after, hv;
	char t[40];

	if (cur == NULL || cpk_cert_parse(cur->ptr, cur->len, &held) != CPK_OK ||
	    memcmp(held.pub, ci->pub, 8) != 0)
		return;			/* cert-missing, -damaged, -key-mismatch */
	hv = now >= held.not_before && now <= held.not_after;
	if ((gv && !hv) || (gv == hv && (ci->not_after > held.not_after ||
	    (ci->not_after == held.not_after &&
	    ci->not_before > held.not_before))))
		cpk_finding_add(out, "cert-given-newer", _("the certificate "
		    "given (serial %s, until %s) is newer than the one in "
		    "header.key (serial %s)"), ci->serial,
		    cpk_time_text(ci->not_after, t, sizeof(t)), held.serial);
}

cpk_err
cpk_check_cert_given(const cpk_container *c, const cpk_cert_info *ci,
    const char *pw, time_t now, cpk_findings *out)
{
	const unsigned char *fp;
	int sec = cpk_cert_holds(c, ci), dg;
	cpk_finding *f;
	char a[20], b[20];

	if (c->header == NULL)
		return CPK_OK;		/* file-missing / file-damaged say it */
	if (sec == 0) {
		fp = cpk_header_fp(c->header, 0);
		f = cpk_finding_add(out, "cert-given-mismatch", _("the "
		    "certificate given (\"%s\", serial %s) does not hold this "
		    "container's key: its public key does not start with "
		    "primaryFP [10]"), ci->subject, ci->serial);
		cpk_finding_evidence(f, _("certificate X[0:8] %s, primaryFP "
		    "%s"), cpk_hex(ci->pub, 8, a, sizeof(a)),
		    fp ? cpk_hex(fp, 8, b, sizeof(b)) : C_("value", "absent"));
		return cpk_findings_state(out);
	}
	sec--;
	dg = pw != NULL ? dg_equals(c, sec, pw, ci) : -1;
	if (dg == 0) {
		cpk_finding_add(out, "cert-pubkey-mismatch", _("the key's "
		    "public point d*G differs from the public key of the "
		    "certificate given (\"%s\", serial %s)"), ci->subject,
		    ci->serial);
		return cpk_findings_state(out);
	}
	f = cpk_finding_add(out, "cert-given-match", dg == 1 ?
	    (sec ? _("the certificate given (\"%s\", serial %s) holds this "
	    "container's secondary key: d*G equals its public key") :
	    _("the certificate given (\"%s\", serial %s) holds this "
	    "container's key: d*G equals its public key")) :
	    (sec ? _("the certificate given (\"%s\", serial %s) holds this "
	    "container's secondary key: its public key starts with "
	    "secondaryFP [11]") : _("the certificate given (\"%s\", serial "
	    "%s) holds this container's key: its public key starts with "
	    "primaryFP [10]")), ci->subject, ci->serial);
	cpk_finding_evidence(f, "%s %s", sec ? "secondaryFP" : "primaryFP",
	    cpk_hex(ci->pub, 8, a, sizeof(a)));
	compare_held(c, sec, ci, now, out);
	return cpk_findings_state(out);
}

static const char *
key_word(int which)
{
	/* TRANSLATORS: which key of a container a certificate holds */
	return which == 2 ? C_("key", "secondary") : C_("key", "primary");
}

size_t
cpk_render_certmatch_text(FILE *o, const cpk_cert_list *l,
    const cpk_scan *scan)
{
	cpk_display_ring ring, *d = &ring;
	cpk_cert_info ci;
	char a[16], b[16];
	size_t alone = 0, hits;
	int which;

	for (size_t i = 0; i < l->n; i++) {
		if (cpk_cert_parse(l->v[i]->ptr, l->v[i]->len, &ci) != CPK_OK)
			continue;
		fprintf(o, _("%s: \"%s\", serial %s, %s - %s\n"),
		    cpk_display(d, l->file && l->file[i] ? l->file[i] : "-"),
		    cpk_display(d, ci.subject), cpk_display(d, ci.serial),
		    cpk_day_text(ci.not_before, a, sizeof(a)),
		    cpk_day_text(ci.not_after, b, sizeof(b)));
		hits = 0;
		for (size_t j = 0; j < scan->n; j++) {
			if ((which = cpk_cert_holds(scan->v[j].c, &ci)) == 0)
				continue;
			hits++;
			fprintf(o, _("  %s (%s key)\n    %s\n"), cpk_display(d,
			    scan->v[j].summary.fqcn), key_word(which),
			    cpk_display(d, scan->v[j].summary.location));
		}
		if (hits == 0) {
			alone++;
			fputs(_("  no container found holds this key\n"), o);
		}
	}
	return alone;
}

size_t
cpk_render_certmatch_json(FILE *o, const cpk_cert_list *l,
    const cpk_scan *scan)
{
	cpk_cert_info ci;
	char a[32];
	struct tm tm;
	int which, hit;
	size_t alone = 0;
	cpk_json j;

	cpk_json_doc(&j, o, CPK_JSON_SCHEMA_CERTMATCH);
	cpk_json_key(&j, "certificates");
	cpk_json_arr(&j);
	for (size_t i = 0; i < l->n; i++) {
		if (cpk_cert_parse(l->v[i]->ptr, l->v[i]->len, &ci) != CPK_OK)
			continue;
		cpk_json_obj(&j);
		cpk_json_kv_str(&j, "file", l->file ? l->file[i] : NULL);
		cpk_json_kv_str(&j, "subject", ci.subject);
		cpk_json_kv_str(&j, "serial", ci.serial);
		for (int k = 0; k < 2; k++) {
			time_t t = k ? ci.not_after : ci.not_before;
			cpk_json_kv_str(&j, k ? "not_after" : "not_before",
			    gmtime_r(&t, &tm) != NULL && strftime(a,
			    sizeof(a), "%Y-%m-%dT%H:%M:%SZ", &tm) > 0 ? a :
			    NULL);
		}
		cpk_json_kv_str(&j, "primary_fp", cpk_hex(ci.pub, 8, a,
		    sizeof(a)));
		cpk_json_key(&j, "containers");
		cpk_json_arr(&j);
		hit = 0;
		for (size_t n = 0; n < scan->n; n++) {
			if ((which = cpk_cert_holds(scan->v[n].c, &ci)) == 0)
				continue;
			hit++;
			cpk_json_obj(&j);
			cpk_json_kv_str(&j, "fqcn", scan->v[n].summary.fqcn);
			cpk_json_kv_str(&j, "location",
			    scan->v[n].summary.location);
			cpk_json_kv_str(&j, "key", which == 2 ? "secondary" :
			    "primary");
			cpk_json_obj_end(&j);
		}
		cpk_json_arr_end(&j);
		cpk_json_obj_end(&j);
		alone += hit == 0;
	}
	cpk_json_arr_end(&j);
	cpk_json_obj_end(&j);
	return alone;
}
