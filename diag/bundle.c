/* The diagnostic bundle (cpkit-diag): every container's summary and
 * checks, the system facts, rendered as report.json (schema cpkit.diag/1,
 * documented in man/cpkit-diag.1), report.txt and a self-contained
 * report.html; certificates as .cer; a manifest of SHA-256 sums; zipped
 * with libzip. Secret files only with include_containers; no password
 * ever enters any member. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <zip.h>

#include "internal.h"

struct entry {
	cpk_summary	 s;		/* a copy; strings may be redacted */
	cpk_redacted	 red;		/* what a redacted copy points at */
	char		 sha[CPK_F_COUNT][65];
	char		 cert_file[64];
	/* "sha256:" and the hex of the certificate's DER, or redacted a
	 * keyed placeholder "cert-..." (the same key, the same one): how
	 * cpkit-diag --merge knows one certificate on several hosts */
	char		 cert_fp[80];
	const cpk_scan_item *it;
};

static void
sha256_hex(const unsigned char *p, size_t n, char out[65])
{
	unsigned char h[32];
	unsigned int len = 0;

	EVP_Digest(p, n, h, &len, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void
fingerprint(const cpk_blob *der, cpk_redactor *rd, char *out, size_t cap)
{
	char hex[65];

	if (der == NULL)
		return;
	if (rd != NULL) {
		cpk_redact_cert(rd, der->ptr, der->len, out, cap);
		return;
	}
	sha256_hex(der->ptr, der->len, hex);
	snprintf(out, cap, "sha256:%s", hex);
}

static void
free_entries(struct entry *v, size_t n)
{
	/* a redacted entry owns a copy of its findings (red.fv), texts and
	 * all; any other's are the scan's */
	for (size_t i = 0; v != NULL && i < n; i++)
		if (v[i].red.fv != NULL)
			cpk_findings_clear(&v[i].s.findings);
	free(v);
}

/* rd: NULL, or the redactor of a redacted bundle. */
static struct entry *
entries(cpk_scan *scan, const cpk_diag_opts *o, cpk_redactor *rd)
{
	struct entry *v = calloc(scan->n + 1, sizeof(*v));

	for (size_t i = 0; v != NULL && i < scan->n; i++) {
		cpk_scan_item *it = &scan->v[i];
		struct entry *e = &v[i];
		size_t mark, used;

		/* once: --jsonl and the bundle of one run share the scan */
		if (o->npasswords > 0 && !it->summary.password_done &&
		    cpk_check_passwords(it->c,
		    o->passwords, o->npasswords, &used,
		    &it->summary.findings) == CPK_OK) {
			it->summary.status = cpk_status(&it->summary.findings);
			it->summary.password_line = used < o->npasswords ?
			    o->passwords[used].line : 0;
			it->summary.password_done = 1;
		}
		if (o->npasswords > 0 && o->progress != NULL)
			o->progress(o->progress_arg, i + 1, scan->n);
		e->it = it;
		e->s = it->summary;
		if (rd != NULL) {	/* this container's values, then not */
			mark = cpk_redactor_mark(rd);
			if (cpk_redact_summary(rd, &it->ref, &e->s, &e->red) !=
			    CPK_OK) {
				free_entries(v, scan->n);
				return NULL;
			}
			cpk_redactor_forget(rd, mark);
		}
		for (int k = 0; k < CPK_F_COUNT; k++) {
			const cpk_blob *b = it->files->f[k];
			if (b != NULL && rd != NULL)
				cpk_redact_digest(rd, b->ptr, b->len,
				    e->sha[k]);
			else if (b != NULL)
				sha256_hex(b->ptr, b->len, e->sha[k]);
		}
		if (it->summary.has_cert && it->c->header != NULL)
			fingerprint(cpk_header_cert(it->c->header, 0), rd,
			    e->cert_fp, sizeof(e->cert_fp));
		/* redacted: the certificate would give back all of it */
		if (it->summary.has_cert && rd == NULL)
			snprintf(e->cert_file, sizeof(e->cert_file),
			    "certs/%zu.cer", i + 1);
	}
	/* the scan's own findings (scan-incomplete, backup-copy,
	 * staging-leftover) ride in the spare last entry, which has no
	 * container: every report lists them first */
	if (v != NULL) {
		v[scan->n].s.findings = scan->found;
		for (size_t j = 0; rd != NULL && j < scan->found.n; j++)
			if (cpk_redact_finding(rd, &scan->found.v[j]) !=
			    CPK_OK) {
				free_entries(v, scan->n);
				return NULL;
			}
	}
	return v;
}

static void
json_entry(cpk_json *j, const struct entry *e)
{
	cpk_json_obj(j);
	cpk_json_key(j, "container");
	cpk_summary_json(j, &e->s, CPK_JSON_SCHEMA_DIAG, -1);
	cpk_json_key(j, "sha256");
	cpk_json_obj(j);
	for (int k = 0; k < CPK_F_COUNT; k++)
		if (e->sha[k][0])
			cpk_json_kv_str(j, cpk_file_name((enum cpk_file_id)k),
			    e->sha[k]);
	cpk_json_obj_end(j);
	cpk_json_kv_str(j, "certificate_file", e->cert_file[0] ?
	    e->cert_file : NULL);
	cpk_json_kv_str(j, "certificate_fingerprint", e->cert_fp[0] ?
	    e->cert_fp : NULL);
	cpk_json_obj_end(j);
}

static void
json_tries(cpk_json *j, const char *key, int tries, int blocked)
{
	cpk_json_key(j, key);
	cpk_json_obj(j);
	cpk_json_key(j, "tries_left");
	if (tries < 0)
		cpk_json_null(j);
	else
		cpk_json_int(j, tries);
	if (tries == CPK_TRIES_NOT_ASKED)
		cpk_json_kv_bool(j, "read", 0);
	else if (tries >= 0)
		cpk_json_kv_bool(j, "blocked", blocked);
	cpk_json_obj_end(j);
}

/* "10 tries", "BLOCKED", "unknown": the same words in txt and html, in
 * the user's language (a buffer of TRIES_CAP takes any of them). */
#define TRIES_CAP	96
/* found_by: "listing", "probing" or null (not walked); skipped_folders */
static void
json_walk(cpk_json *j, const cpk_fact_reader *r)
{
	cpk_json_kv_str(j, "containers_found_by", r->walk == 2 ? "probing" :
	    r->walk == 1 ? "listing" : NULL);
	if (r->walk == 2) {
		cpk_json_key(j, "listing_sw");
		cpk_json_stringf(j, "%04X", r->list_sw & 0xffff);
	}
	cpk_json_key(j, "skipped_folders");
	cpk_json_arr(j);
	for (size_t k = 0; k < r->nskipped; k++) {
		cpk_json_obj(j);
		cpk_json_kv_str(j, "df", r->skipped[k]);
		cpk_json_key(j, "sw");
		cpk_json_stringf(j, "%04X", r->skipped_sw[k] & 0xffff);
		cpk_json_obj_end(j);
	}
	cpk_json_arr_end(j);
	if (r->walk_where[0] != '\0')
		cpk_json_kv_str(j, "walk_failed_at", r->walk_where);
	if (r->walk_sw != 0) {
		cpk_json_key(j, "walk_failed_sw");
		cpk_json_stringf(j, "%04X", r->walk_sw & 0xffff);
	}
}

static void
walk_text(FILE *o, const cpk_fact_reader *r)
{
	if (r->walk == 2)
		fprintf(o, _("  containers found by probing paths: the token "
		    "refused listing (SW %04X)\n"), r->list_sw & 0xffff);
	for (size_t k = 0; k < r->nskipped; k++)
		fprintf(o, _("  folder %s skipped: the token would not list "
		    "it without a PIN (SW %04X)\n"), r->skipped[k],
		    r->skipped_sw[k] & 0xffff);
	/* the where holds command names, file IDs and table texts only */
	if (r->walk_where[0] != '\0')
		fprintf(o, _("  containers could not be listed: %s\n"),
		    r->walk_where);
}

static void
tries_text(char *buf, size_t cap, int tries, int blocked)
{
	if (tries == CPK_TRIES_NOT_ASKED)
		snprintf(buf, cap, "%s", C_("PIN tries",
		    "not read (--admin-tries)"));
	else if (tries < 0)
		snprintf(buf, cap, "%s", C_("PIN tries", "unknown"));
	else if (blocked)
		snprintf(buf, cap, "%s", _("BLOCKED"));
	else if (tries <= 2)
		snprintf(buf, cap, P_("%d tries left (LOW)",
		    "%d tries left (LOW)", tries), tries);
	else
		snprintf(buf, cap, P_("%d tries left", "%d tries left", tries),
		    tries);
}

/* After a place searched, as the tools' "looked in" line says it. */
/* A place searched that is not there: the media says CPK_E_NO_PATH for a
 * path typed or found that does not exist */
static int
place_absent(cpk_err err)
{
	return err == CPK_E_NO_PATH || err == CPK_E_NOT_FOUND;
}

static const char *
place_note(cpk_err err)
{
	/* TRANSLATORS: after a place searched that does not exist */
	return place_absent(err) ? _(" (absent)") : err != CPK_OK ?
	    _(" (unreadable)") : "";
}

/* A fact's own words ("unknown", "not installed") for people; JSON keeps
 * them as they are. */
static const char *
fact_text(const char *v)
{
	if (strcmp(v, "unknown") == 0)
		return C_("fact", "unknown");
	if (strcmp(v, "not installed") == 0)
		return C_("fact", "not installed");
	return v;
}

static void
json_facts(cpk_json *j, const cpk_facts *f, int redact)
{
	/* host: a placeholder when redacted */
	const char *const sys[][2] = { { "os", f->os },
	    { "kernel", f->kernel }, { "host", f->host },
	    { "locale", f->locale } };
	const char *const libs[][2] = { { "openssl", f->openssl },
	    { "gost_engine", f->gost_engine }, { "pcsc_lite", f->pcsclite },
	    { "libzip", f->libzip } };

	cpk_json_obj(j);
	cpk_json_kv_strs(j, sys, 4);
	cpk_json_kv_bool(j, "pcscd_running", f->pcscd);
	cpk_json_kv_strs(j, libs, 4);
	cpk_json_kv_bool(j, "cryptopro_csp", f->csp);
	cpk_json_kv_str(j, "cryptopro_csp_version", f->csp ? f->csp_version :
	    NULL);
	cpk_json_key(j, "readers");
	cpk_json_readers(j, f, redact);
	/* added in issue 18 (the schema stays cpkit.diag/1): where the
	 * containers were looked for when no PATH was given; [] when the
	 * PATHs were */
	cpk_json_key(j, "searched");
	cpk_json_arr(j);
	for (size_t i = 0; i < f->searched.n; i++) {
		cpk_json_obj(j);
		cpk_json_kv_str(j, "path", f->searched.v[i].path);
		cpk_json_kv_bool(j, "present",
		    !place_absent(f->searched.v[i].err));
		cpk_json_kv_bool(j, "readable", f->searched.v[i].err == CPK_OK);
		cpk_json_obj_end(j);
	}
	cpk_json_arr_end(j);
	cpk_json_obj_end(j);
}

/* The readers array of the facts: report.json's and the JSONL host
 * line's (hostline.c), so that both say the same. */
void
cpk_json_readers(cpk_json *j, const cpk_facts *f, int redact)
{
	cpk_json_arr(j);
	for (size_t i = 0; i < f->nreaders; i++) {
		const cpk_fact_reader *r = &f->readers[i];

		cpk_json_obj(j);
		cpk_json_kv_str(j, "name", r->name);
		cpk_json_kv_bool(j, "token", r->card);
		if (r->card) {
			cpk_json_kv_str(j, "atr", r->atr);
			cpk_json_kv_str(j, "model", r->model);
			cpk_json_kv_str(j, "serial", r->serial[0] == '\0' ?
			    NULL : redact ? "<serial>" : r->serial);
			json_tries(j, "user_pin", r->user_tries,
			    r->user_blocked);
			json_tries(j, "admin_pin", r->admin_tries,
			    r->admin_blocked);
			json_walk(j, r);
		}
		cpk_json_obj_end(j);
	}
	cpk_json_arr_end(j);
}

/* Problems in the order every report gives them: errors, then warnings,
 * each in container order. fn gets the k-th problem; returns how many. */
typedef void problem_fn(const struct entry *, const cpk_finding *, size_t k,
    void *arg);

static size_t
each_problem(const struct entry *v, size_t n, problem_fn *fn, void *arg)
{
	size_t k = 0;

	/* v[n]: the scan's own findings, no container */
	for (int sev = CPK_SEV_ERROR; sev >= CPK_SEV_WARN; sev--)
		for (size_t i = 0; i <= n; i++)
			for (size_t j = 0; j < v[i].s.findings.n; j++)
				if ((int)v[i].s.findings.v[j].sev == sev)
					fn(&v[i], &v[i].s.findings.v[j], k++,
					    arg);
	return k;
}

static void
json_problem(const struct entry *e, const cpk_finding *fd, size_t k,
    void *arg)
{
	cpk_json *j = arg;

	(void)k;
	cpk_json_obj(j);
	cpk_json_kv_str(j, "fqcn", e->s.fqcn);	/* NULL: the scan's own */
	cpk_json_kv_str(j, "id", fd->id);
	cpk_json_kv_str(j, "severity", cpk_sev_name(fd->sev));
	cpk_json_kv_str(j, "message", fd->message);
	cpk_json_kv_str(j, "remedy", fd->remedy);
	cpk_json_obj_end(j);
}

static cpk_err
add(cpk_diag *d, const char *name, const void *p, size_t len)
{
	char **nv;
	cpk_blob **dv;

	if ((nv = realloc(d->name, (d->n + 1) * sizeof(*nv))) == NULL)
		return CPK_E_NOMEM;
	d->name = nv;
	if ((dv = realloc(d->data, (d->n + 1) * sizeof(*dv))) == NULL)
		return CPK_E_NOMEM;
	d->data = dv;
	if ((d->name[d->n] = strdup(name)) == NULL)
		return CPK_E_NOMEM;
	if (cpk_blob_new(p, len, &d->data[d->n]) != CPK_OK) {
		free(d->name[d->n]);
		return CPK_E_NOMEM;
	}
	d->n++;
	return CPK_OK;
}

/* Renders with a stdio stream into memory, then adds the member. */
struct view {			/* the order and counts all three share */
	const cpk_triage	 *t;
	const cpk_summary *const *p;	/* v[i].s */
};
typedef void	(*render_fn)(FILE *, const struct entry *, size_t,
		    const cpk_facts *, const cpk_diag_opts *, time_t,
		    const struct view *);

static cpk_err
add_rendered(cpk_diag *d, const char *name, render_fn fn,
    const struct entry *v, size_t n, const cpk_facts *f,
    const cpk_diag_opts *o, time_t now, const struct view *w)
{
	cpk_memstream ms;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = cpk_memstream_open(&ms);
	cpk_err r;

	if (m == NULL)
		return CPK_E_NOMEM;
	fn(m, v, n, f, o, now, w);
	if ((r = cpk_memstream_close(&ms, &buf, &len)) != CPK_OK)
		return r;
	r = add(d, name, buf, len);
	free(buf);
	return r;
}

/* Containers by status, in cpk_status_rank order (ok ... damaged). */
static const char *const status_names[5] = {
	"ok", "warning", "locked", "incomplete", "damaged"
};

static void
status_counts(const struct entry *v, size_t n, size_t by[5])
{
	memset(by, 0, 5 * sizeof(*by));
	for (size_t i = 0; i < n; i++) {
		int k = cpk_status_rank(v[i].s.status);
		if (k >= 0 && k < 5)
			by[k]++;
	}
}

/* "ok 3, warning 1, locked 2, incomplete 0, damaged 1" for people */
static void
status_line(FILE *o, const struct entry *v, size_t n)
{
	size_t by[5];

	status_counts(v, n, by);
	for (int k = 0; k < 5; k++)
		fprintf(o, "%s%s %zu", k ? ", " : "",
		    cpk_status_text(status_names[k]), by[k]);
}

/* The triage of the containers (triage.c); *pv: their summaries, which
 * the caller frees with the triage. */
static cpk_err
triage_of(const struct entry *v, size_t n, time_t now, cpk_triage *t,
    const cpk_summary ***pv)
{
	const cpk_summary **p = calloc(n + 1, sizeof(*p));
	cpk_err r;

	*pv = p;
	if (p == NULL)
		return CPK_E_NOMEM;
	for (size_t i = 0; i < n; i++)
		p[i] = &v[i].s;
	if ((r = cpk_triage_make(p, n, &v[n].s.findings, now, t)) != CPK_OK) {
		free(p);
		*pv = NULL;
	}
	return r;
}

static void
render_json(FILE *o, const struct entry *v, size_t n, const cpk_facts *f,
    const cpk_diag_opts *opt, time_t now, const struct view *w)
{
	char t[32];
	size_t problems = 0, by[5];
	cpk_json j;

	for (size_t i = 0; i <= n; i++)		/* v[n]: the scan's */
		for (size_t k = 0; k < v[i].s.findings.n; k++)
			problems += v[i].s.findings.v[k].sev != CPK_SEV_INFO;
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	cpk_json_doc(&j, o, CPK_JSON_SCHEMA_DIAG);
	cpk_json_kv_str(&j, "generated", t);
	cpk_json_kv_bool(&j, "redacted", opt->redact);
	cpk_json_kv_bool(&j, "password_checked", opt->npasswords != 0);
	cpk_json_key(&j, "facts");
	json_facts(&j, f, opt->redact);
	/* complete: false when a limit cut the search short */
	status_counts(v, n, by);
	cpk_json_key(&j, "summary");
	cpk_json_obj(&j);
	cpk_json_kv_uint(&j, "containers", n);
	cpk_json_kv_uint(&j, "problems", problems);
	cpk_json_kv_uint(&j, "locked", by[2]);
	cpk_json_kv_bool(&j, "complete", !cpk_findings_has(&v[n].s.findings,
	    "scan-incomplete"));
	cpk_json_key(&j, "by_status");
	cpk_json_obj(&j);
	for (int k = 0; k < 5; k++)
		cpk_json_kv_uint(&j, status_names[k], by[k]);
	cpk_json_obj_end(&j);
	/* added in issue 18, the schema stays cpkit.diag/1: containers by
	 * medium, those whose nearest end is within 30 and 90 days, the
	 * three most urgent remedies, and the containers (indexes into
	 * "containers") in the order of report.html's blocks */
	cpk_json_key(&j, "by_medium");
	cpk_json_obj(&j);
	for (size_t k = 0; k < w->t->nmedia; k++)
		cpk_json_kv_uint(&j, w->t->media[k], w->t->by_media[k]);
	cpk_json_obj_end(&j);
	cpk_json_kv_uint(&j, "expiring_30_days", w->t->exp30);
	cpk_json_kv_uint(&j, "expiring_90_days", w->t->exp90);
	cpk_json_key(&j, "urgent_remedies");
	cpk_json_arr(&j);
	for (int k = 0; k < 3 && w->t->urgent[k] != NULL; k++)
		cpk_json_string(&j, w->t->urgent[k]);
	cpk_json_arr_end(&j);
	cpk_json_key(&j, "block_order");
	cpk_json_arr(&j);
	for (size_t b = 0; b < w->t->nblocks; b++)
		cpk_json_uint(&j, w->t->order[b]);
	cpk_json_arr_end(&j);
	cpk_json_obj_end(&j);
	cpk_json_key(&j, "problems");
	cpk_json_arr(&j);
	each_problem(v, n, json_problem, &j);
	cpk_json_arr_end(&j);
	/* a container a line */
	cpk_json_key(&j, "containers");
	cpk_json_arr(&j);
	for (size_t i = 0; i < n; i++) {
		cpk_json_nl(&j);
		json_entry(&j, &v[i]);
	}
	cpk_json_nl(&j);
	cpk_json_arr_end(&j);
	cpk_json_obj_end(&j);
}

static void
render_txt(FILE *o, const struct entry *v, size_t n, const cpk_facts *f,
    const cpk_diag_opts *opt, time_t now, const struct view *w)
{
	cpk_display_ring ring, *d = &ring;
	char t[40];

	d->next = 0;
	strftime(t, sizeof(t), "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
	fprintf(o, _("cpkit diagnostic report, %s\n\nSystem: %s, %s\nHost: "
	    "%s, locale %s\nOpenSSL: %s; gost-engine %s; pcsc-lite %s; libzip "
	    "%s\npcscd: %s; CryptoPro CSP: %s %s\n\n"), t,
	    cpk_display(d, fact_text(f->os)), cpk_display(d, f->kernel),
	    cpk_display(d, f->host),	/* redacted: a placeholder */
	    cpk_display(d, f->locale), cpk_display(d, f->openssl),
	    cpk_display(d, fact_text(f->gost_engine)),
	    cpk_display(d, fact_text(f->pcsclite)), cpk_display(d, f->libzip),
	    f->pcscd ? C_("pcscd", "running") : C_("pcscd", "not running"),
	    f->csp ? C_("CSP", "installed") : C_("CSP", "not installed"),
	    f->csp ? cpk_display(d, fact_text(f->csp_version)) : "");
	for (size_t i = 0; i < f->nreaders; i++) {
		const cpk_fact_reader *r = &f->readers[i];
		char u[TRIES_CAP], a[TRIES_CAP];

		if (!r->card) {
			fprintf(o, _("Reader %s: no token\n"),
			    cpk_display(d, r->name));
			continue;
		}
		tries_text(u, sizeof(u), r->user_tries, r->user_blocked);
		tries_text(a, sizeof(a), r->admin_tries, r->admin_blocked);
		fprintf(o, _("Reader %s: %s, ATR %s, serial %s; user PIN %s, "
		    "admin PIN %s\n"), cpk_display(d, r->name),
		    cpk_display(d, r->model), cpk_display(d, r->atr),
		    opt->redact ? "<serial>" : cpk_display(d, r->serial), u, a);
		walk_text(o, r);
	}
	if (f->nreaders > 0)
		fputc('\n', o);
	if (f->searched.n > 0) {
		fputs(_("Looked in:"), o);
		for (size_t i = 0; i < f->searched.n; i++)
			fprintf(o, "%s %s%s", i ? "," : "", cpk_display(d,
			    f->searched.v[i].path),
			    place_note(f->searched.v[i].err));
		fputs("\n\n", o);
	}
	/* TRANSLATORS: followed by "ok 3, warning 1, locked 2, ..." */
	fprintf(o, P_("%zu container: ", "%zu containers: ", n), n);
	status_line(o, v, n);
	fputs("\n", o);
	/* the order of report.html: summary, chart, the media's findings,
	 * the containers with problems worst first, then the sound ones */
	cpk_triage_text(o, w->t);
	cpk_chart_text(o, w->p, n, now);
	for (size_t j = 0; j < v[n].s.findings.n; j++) {
		const cpk_finding *fd = &v[n].s.findings.v[j];

		fprintf(o, "[%s] %s: %s\n", cpk_sev_text(fd->sev), fd->id,
		    cpk_display(d, fd->message));
		fprintf(o, _("      remedy:   %s\n"), cpk_display(d,
		    fd->remedy));
		fputc('\n', o);
	}
	for (size_t b = 0; b < w->t->nblocks; b++) {
		cpk_render_test_text(o, w->p[w->t->order[b]],
		    opt->npasswords > 0);
		fputc('\n', o);
	}
	for (size_t i = 0; i < n; i++)
		if (cpk_status_rank(v[i].s.status) == 0) {
			cpk_render_test_text(o, &v[i].s, opt->npasswords > 0);
			fputc('\n', o);
		}
}

/* The display form (no control or bidi character reaches the page,
 * container/display.c), then HTML-escaped. */
void
cpk_html_str(FILE *o, const char *s)
{
	char u[CPK_DISPLAY_UNIT];
	size_t left, used, n;

	for (left = s == NULL ? 0 : strlen(s); left > 0; s += used,
	    left -= used) {
		n = cpk_display_unit(s, left, u, &used);
		for (size_t i = 0; i < n; i++)
			switch (u[i]) {
			case '<': fputs("&lt;", o); break;
			case '>': fputs("&gt;", o); break;
			case '&': fputs("&amp;", o); break;
			case '"': fputs("&quot;", o); break;
			default: fputc(u[i], o);
			}
	}
}

/* The readers' walk notes (probing, skipped folders), as in report.txt */
static void
html_walk(FILE *o, const cpk_facts *f)
{
	cpk_memstream ms;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	for (size_t i = 0; i < f->nreaders; i++) {
		const cpk_fact_reader *r = &f->readers[i];

		if (!r->card || (r->walk != 2 && r->nskipped == 0 &&
		    r->walk_where[0] == '\0'))
			continue;
		if ((m = cpk_memstream_open(&ms)) == NULL)
			return;
		walk_text(m, r);
		if (cpk_memstream_close(&ms, &buf, &len) != CPK_OK)
			return;
		fputs("<pre class=\"walk\">", o);
		cpk_html_str(o, r->name);
		/* line by line: cpk_html_str shows a newline as an escape */
		for (char *line = buf, *nl; *line != '\0'; line = nl + 1) {
			if ((nl = strchr(line, '\n')) == NULL)
				nl = line + strlen(line) - 1;
			else
				*nl = '\0';
			fputs("\n", o);
			cpk_html_str(o, line);
		}
		fputs("</pre>\n", o);
		free(buf);
		buf = NULL;
	}
}

static const char *
date_class(time_t t, time_t now)
{
	return t == 0 ? "" : t < now ? "expired" : t - now < 30 * 86400 ?
	    "soon" : "";
}

static void
html_date(FILE *o, time_t t, time_t now)
{
	char b[16];

	if (t == 0) {
		fputs("<td class=\"d\">-</td>", o);
		return;
	}
	strftime(b, sizeof(b), "%Y-%m-%d", gmtime(&t));
	fprintf(o, "<td class=\"d %s\">%s</td>", date_class(t, now), b);
}

/* Fixed layout with set widths, so that 1,280 px hold the table: names,
 * locations and subjects wrap anywhere, dates and the status never do
 * (the style sheet in render_html). The registry's has a user column. */
static void
media_head(FILE *o, const char *medium, int user)
{
	fprintf(o, "<h3>%s</h3>\n<table class=\"media\"><colgroup>"
	    "<col class=\"c-name\"><col class=\"c-loc\">%s"
	    "<col class=\"c-alg\"><col class=\"c-subj\"><col class=\"c-day\">"
	    "<col class=\"c-day\"><col class=\"c-files\"><col class=\"c-st\">"
	    "</colgroup><tr><th>FQCN</th><th>%s</th>", medium,
	    user ? "<col class=\"c-user\">" : "",
	    _("Location / Расположение"));
	if (user)
		fprintf(o, "<th>%s</th>", _("User / Пользователь"));
	fprintf(o, "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
	    "<th>%s</th></tr>\n", _("Algorithm / Алгоритм"),
	    _("Certificate / Сертификат"), _("Cert until / Сертификат до"),
	    _("Key until / Ключ до"), _("Files / Файлы"),
	    _("Status / Состояние"));
}

/* One table per medium (FLASH, HDIMAGE, REGISTRY). */
static void
html_tables(FILE *o, const struct entry *v, size_t n, time_t now)
{
	static const char *const media[] = { "FLASH", "HDIMAGE", "REGISTRY" };

	for (size_t m = 0; m < 3; m++) {
		int any = 0;
		for (size_t i = 0; i < n; i++) {
			const cpk_summary *s = &v[i].s;
			int files = 0;
			if (strcmp(s->media, media[m]) != 0)
				continue;
			if (!any)
				media_head(o, media[m], m == 2);
			any = 1;
			for (int k = 0; k < CPK_F_COUNT; k++)
				files += s->present[k];
			fputs("<tr><td>", o);
			cpk_html_str(o, s->fqcn);
			fputs("</td><td>", o);
			cpk_html_str(o, s->location);
			if (m == 2) {	/* the user, else the SID */
				fputs("</td><td>", o);
				cpk_html_str(o, s->user ? s->user : s->sid ?
				    s->sid : "-");
			}
			fputs("</td><td>", o);
			cpk_html_str(o, s->algorithm ? s->algorithm : "?");
			fputs("</td><td>", o);
			cpk_html_str(o, s->has_cert ? s->cert->subject : "-");
			fputs("</td>", o);
			html_date(o, s->has_cert ? s->cert->not_after : 0, now);
			html_date(o, s->key_usage_end, now);
			fprintf(o, "<td>%d/6</td><td class=\"st st-%s\">%s</td>"
			    "</tr>\n", files, s->status,
			    cpk_status_text(s->status));
		}
		if (any)
			fputs("</table>\n", o);
	}
}

/* Tokens: a low or blocked PIN is the thing to see first. */
static void
html_readers(FILE *o, const cpk_facts *f, int redact)
{
	char u[TRIES_CAP], a[TRIES_CAP];

	if (f->nreaders == 0)
		return;
	fprintf(o, "<h2>%s</h2>\n<table id=\"readers\"><tr><th>%s</th><th>"
	    "%s</th><th>ATR</th><th>%s</th><th>%s</th><th>%s</th></tr>",
	    _("Tokens / Токены"), _("Reader"), _("Token"), _("Serial"),
	    _("User PIN"), _("Admin PIN"));
	for (size_t i = 0; i < f->nreaders; i++) {
		const cpk_fact_reader *r = &f->readers[i];

		fputs("<tr><td>", o);
		cpk_html_str(o, r->name);
		fputs("</td><td>", o);
		cpk_html_str(o, r->card ? r->model : _("no token"));
		fputs("</td><td>", o);
		cpk_html_str(o, r->atr);
		fputs("</td><td>", o);
		cpk_html_str(o, redact && r->serial[0] ? "<serial>" : r->serial);
		tries_text(u, sizeof(u), r->user_tries, r->user_blocked);
		tries_text(a, sizeof(a), r->admin_tries, r->admin_blocked);
		fprintf(o, "</td><td%s>", r->user_tries >= 0 &&
		    r->user_tries <= 2 ? " class=\"bad\"" : "");
		cpk_html_str(o, r->card ? u : "");
		fprintf(o, "</td><td%s>", r->admin_tries >= 0 &&
		    r->admin_tries <= 2 ? " class=\"bad\"" : "");
		cpk_html_str(o, r->card ? a : "");
		fputs("</td></tr>", o);
	}
	fputs("</table>\n", o);
	html_walk(o, f);
}

/* The English page counts in both languages, "N container(s) /
 * контейнеров: N"; a translated page says it once, in its own words
 * (gettext hands back the English itself when there is no translation). */
static void
html_count(FILE *o, size_t n)
{
	const char *own = P_("%zu container", "%zu containers", n);

	if (strcmp(own, n == 1 ? "%zu container" : "%zu containers") == 0)
		fprintf(o, "%zu container(s) / контейнеров: %zu", n, n);
	else
		fprintf(o, P_("%zu container", "%zu containers", n), n);
}

static void
render_html(FILE *o, const struct entry *v, size_t n, const cpk_facts *f,
    const cpk_diag_opts *opt, time_t now, const struct view *w)
{
	char t[40];

	strftime(t, sizeof(t), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	/* TRANSLATORS: the language code of report.html (lang="en") */
	fprintf(o, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta "
	    "charset=\"utf-8\"><title>%s</title>", _("en"),
	    _("cpkit diagnostic report"));
	/* no horizontal scroll at 1,280 px (issue 18): anything from a
	 * medium wraps anywhere, dates and statuses never; the container
	 * tables have a fixed layout with set column widths */
	fputs("<style>"
	    "body{font-family:sans-serif;margin:2em;color:#222}"
	    "table{border-collapse:collapse;margin-bottom:1.5em}"
	    "td,th{border:1px solid #bbb;padding:.3em .6em;text-align:left;"
	    "vertical-align:top;overflow-wrap:anywhere}th{background:#eee}"
	    "h3{overflow-wrap:anywhere}"
	    "table.media{table-layout:fixed;width:100%}"
	    /* fixed columns: a word breaks only when it cannot fit */
	    "table.media td,table.media th{overflow-wrap:break-word}"
	    "table.media td,table.media th{padding:.3em .4em}"
	    /* a header wraps between its words, never inside one
	     * ("Пользов-атель"): smaller, in columns its longest word
	     * fits (e2e_report.sh measures both) */
	    "table.media th{overflow-wrap:normal;word-break:normal;"
	    "hyphens:manual;font-size:85%}"
	    ".c-name{width:14%}.c-loc{width:15%}.c-user{width:10.5%}"
	    ".c-alg{width:7.5em}.c-day{width:7.5em}.c-files{width:5em}"
	    ".c-st{width:10em}"
	    "td.d,td.st,.badge,td.n{white-space:nowrap;overflow-wrap:normal}"
	    "li{margin-bottom:.6em}li.error{color:#a00}li.warning{color:#850}"
	    "li.ok,p.ok{color:#070}.ev{color:#555}"
	    "#summary{display:flex;flex-wrap:wrap;gap:1.5em}"
	    ".block{border:1px solid #bbb;border-left:6px solid #bbb;"
	    "padding:.2em 1em;margin-bottom:1em}"
	    ".blk-damaged,.blk-incomplete{border-left-color:#a00}"
	    ".blk-locked{border-left-color:#05a}"
	    ".blk-warning{border-left-color:#c80}"
	    ".block table.where th{width:12em}.badge{font-size:85%}"
	    "td.expired,td.bad{background:#f8d0d0;font-weight:bold}"
	    "td.soon{background:#fbeec0}.st-ok{color:#070}.st-damaged,"
	    ".st-incomplete{color:#a00;font-weight:bold}.st-warning{color:"
	    "#850}.st-locked{color:#05a}svg{max-width:100%}"
	    "</style></head><body>\n", o);
	fprintf(o, "<h1>%s</h1>\n<p>%s — ",
	    _("cpkit diagnostic report / Диагностический отчёт cpkit"), t);
	html_count(o, n);
	fprintf(o, "%s</p>\n<p id=\"statuses\">", opt->redact ?
	    _(" — redacted / обезличен") : "");
	status_line(o, v, n);
	fputs("</p>\n", o);
	cpk_triage_html(o, w->t, w->p, &v[n].s.findings, now);
	fprintf(o, "<h2>%s</h2>\n", _("Expiry / Сроки"));
	cpk_chart_svg(o, w->p, n, now);
	fprintf(o, "<h2>%s</h2>\n", _("All containers / Все контейнеры"));
	html_tables(o, v, n, now);
	fprintf(o, "<h2>%s</h2>\n<table id=\"facts\">",
	    _("System / Система"));
	fprintf(o, "<tr><th>%s</th><td>", _("OS"));
	cpk_html_str(o, fact_text(f->os));
	fprintf(o, "</td></tr><tr><th>%s</th><td>", _("Kernel"));
	cpk_html_str(o, f->kernel);
	fprintf(o, "</td></tr><tr><th>%s</th><td>", _("Host"));
	cpk_html_str(o, f->host);
	fprintf(o, "</td></tr><tr><th>%s</th><td>", _("Locale"));
	cpk_html_str(o, f->locale);
	fprintf(o, "</td></tr><tr><th>pcscd</th><td>%s</td></tr>",
	    f->pcscd ? C_("pcscd", "running") : C_("pcscd", "not running"));
	fputs("<tr><th>OpenSSL</th><td>", o);
	cpk_html_str(o, f->openssl);
	fputs("</td></tr><tr><th>gost-engine</th><td>", o);
	cpk_html_str(o, fact_text(f->gost_engine));
	fputs("</td></tr><tr><th>CryptoPro CSP</th><td>", o);
	cpk_html_str(o, f->csp ? fact_text(f->csp_version) :
	    C_("CSP", "not installed"));
	fputs("</td></tr>", o);
	if (f->searched.n > 0) {
		fprintf(o, "<tr><th>%s</th><td id=\"searched\">",
		    _("Looked in"));
		for (size_t i = 0; i < f->searched.n; i++) {
			fputs(i ? ", " : "", o);
			cpk_html_str(o, f->searched.v[i].path);
			cpk_html_str(o, place_note(f->searched.v[i].err));
		}
		fputs("</td></tr>", o);
	}
	fputs("</table>\n", o);
	html_readers(o, f, opt->redact);
	fputs("</body></html>\n", o);
}

static void
no_problem(const struct entry *e, const cpk_finding *fd, size_t k, void *arg)
{
	(void)e, (void)fd, (void)k, (void)arg;
}

static void
count(cpk_diag *d, const struct entry *v, size_t n, const cpk_triage *t)
{
	d->containers = n;
	d->problems = each_problem(v, n, no_problem, NULL);
	status_counts(v, n, d->by_status);
	for (int k = 0; k < 3; k++)	/* the report's own three */
		d->urgent[k] = t->urgent[k];
}

cpk_err
cpk_diag_build(cpk_scan *scan, const cpk_facts *f, const cpk_diag_opts *o,
    time_t now, cpk_diag *d)
{
	struct entry *v = NULL;
	cpk_redactor *rd = NULL;
	cpk_facts rf;
	cpk_triage tr;
	const cpk_summary **p = NULL;
	struct view w;
	char name[128], manifest_line[200], *mf = NULL;
	size_t mlen = 0;
	cpk_memstream ms;
	FILE *m;
	cpk_err r = CPK_OK;

	memset(d, 0, sizeof(*d));
	/* the container files hold the names and certificates redacted */
	if (o->redact && o->include_containers)
		return CPK_E_ARG;
	if (o->redact) {
		if ((r = cpk_redactor_new(o->redact_key, o->redact_key_len,
		    &rd)) != CPK_OK)
			return r;
		rf = *f;
		cpk_redact_value(rd, "host", f->host, rf.host, sizeof(rf.host));
		/* a user's key folder and home name the user; "pcsc:" is
		 * no path */
		for (size_t i = 0; i < rf.searched.n; i++)
			if (strcmp(f->searched.v[i].path, "pcsc:") != 0)
				cpk_redact_value(rd, "location",
				    f->searched.v[i].path,
				    rf.searched.v[i].path,
				    sizeof(rf.searched.v[i].path));
		f = &rf;
	}
	if ((v = entries(scan, o, rd)) == NULL) {
		r = CPK_E_NOMEM;
		goto out;
	}
	if ((r = triage_of(v, scan->n, now, &tr, &p)) != CPK_OK)
		goto out;
	w.t = &tr;
	w.p = p;
	count(d, v, scan->n, &tr);
	if ((r = add_rendered(d, "report.json", render_json, v, scan->n, f, o,
	    now, &w)) != CPK_OK || (r = add_rendered(d, "report.txt",
	    render_txt, v, scan->n, f, o, now, &w)) != CPK_OK ||
	    (r = add_rendered(d, "report.html", render_html, v, scan->n, f, o,
	    now, &w)) != CPK_OK)
		goto out;
	for (size_t i = 0; i < scan->n && r == CPK_OK; i++) {
		const cpk_blob *c = scan->v[i].c->header ?
		    cpk_header_cert(scan->v[i].c->header, 0) : NULL;
		if (v[i].cert_file[0] && c != NULL)
			r = add(d, v[i].cert_file, c->ptr, c->len);
		for (int k = 0; o->include_containers && k < CPK_F_COUNT &&
		    r == CPK_OK; k++)
			if (scan->v[i].files->f[k] != NULL) {
				snprintf(name, sizeof(name), "containers/%zu/%s",
				    i + 1, cpk_file_name((enum cpk_file_id)k));
				r = add(d, name, scan->v[i].files->f[k]->ptr,
				    scan->v[i].files->f[k]->len);
			}
	}
	if (r != CPK_OK || (m = cpk_memstream_open(&ms)) == NULL)
		goto out;
	for (size_t i = 0; i < d->n; i++) {
		char hex[65];
		sha256_hex(d->data[i]->ptr, d->data[i]->len, hex);
		snprintf(manifest_line, sizeof(manifest_line), "%s  %s\n", hex,
		    d->name[i]);
		fputs(manifest_line, m);
	}
	if ((r = cpk_memstream_close(&ms, &mf, &mlen)) != CPK_OK)
		goto out;
	r = add(d, "manifest.txt", mf, mlen);
	free(mf);
out:
	if (p != NULL)
		cpk_triage_clear(&tr);
	free(p);
	free_entries(v, scan->n);
	cpk_redactor_free(&rd);
	return r;
}

cpk_err
cpk_diag_jsonl(FILE *out, cpk_scan *scan, const cpk_diag_opts *o)
{
	struct entry *v;
	cpk_redactor *rd = NULL;
	cpk_json j;
	cpk_err r;

	if (o->redact && (r = cpk_redactor_new(o->redact_key,
	    o->redact_key_len, &rd)) != CPK_OK)
		return r;
	if ((v = entries(scan, o, rd)) == NULL) {
		cpk_redactor_free(&rd);
		return CPK_E_NOMEM;
	}
	cpk_json_init(&j, out, CPK_JSON_LINE);
	for (size_t i = 0; i < scan->n; i++) {
		/* without a bundle there is no certs/N.cer to point at */
		if (!o->bundle)
			v[i].cert_file[0] = '\0';
		json_entry(&j, &v[i]);
	}
	free_entries(v, scan->n);
	cpk_redactor_free(&rd);
	return CPK_OK;
}

cpk_err
cpk_diag_zip(const cpk_diag *d, const char *path)
{
	zip_t *z;
	zip_source_t *src;
	zip_error_t *ze;
	int err = 0;
	cpk_err r;

	if ((z = zip_open(path, ZIP_CREATE | ZIP_EXCL, &err)) == NULL)
		return err == ZIP_ER_EXISTS ? CPK_E_EXISTS : CPK_E_IO;
	for (size_t i = 0; i < d->n; i++) {
		zip_int64_t idx;

		if ((src = zip_source_buffer(z, d->data[i]->ptr,
		    d->data[i]->len, 0)) == NULL ||
		    (idx = zip_file_add(z, d->name[i], src,
		    ZIP_FL_ENC_UTF_8)) < 0) {
			zip_source_free(src);
			zip_discard(z);
			return CPK_E_IO;
		}
		/* a bundle names users and their certificates: unzip
		 * restores Unix modes from these attributes, so members come
		 * out 0600 (a regular file, owner only), not 0666 */
		if (zip_file_set_external_attributes(z, (zip_uint64_t)idx, 0,
		    ZIP_OPSYS_UNIX, (zip_uint32_t)(0100600) << 16) < 0) {
			zip_discard(z);
			return CPK_E_IO;
		}
	}
	/* libzip writes the archive here (into a temporary file it removes
	 * on failure): its result is the write's, with the system's errno */
	if (zip_close(z) != 0) {
		ze = zip_get_error(z);
		r = zip_error_system_type(ze) == ZIP_ET_SYS ?
		    cpk_err_from_errno(zip_error_code_system(ze)) : CPK_E_IO;
		zip_discard(z);
		return r == CPK_E_MISSING ? CPK_E_IO : r;
	}
	return CPK_OK;
}

void
cpk_diag_clear(cpk_diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->name[i]);
		cpk_blob_free(&d->data[i]);
	}
	free(d->name);
	free(d->data);
	memset(d, 0, sizeof(*d));
}
