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
	char		 fqcn[600], location[1200], name[256];
	char		 sha[CPK_F_COUNT][65];
	char		 cert_file[64];
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

static struct entry *
entries(cpk_scan *scan, const cpk_facts *f, const cpk_diag_opts *o)
{
	struct entry *v = calloc(scan->n + 1, sizeof(*v));

	for (size_t i = 0; v != NULL && i < scan->n; i++) {
		cpk_scan_item *it = &scan->v[i];
		struct entry *e = &v[i];
		if (o->password != NULL && cpk_check_password(it->c,
		    o->password, &it->summary.findings) == CPK_OK)
			it->summary.status = cpk_status(&it->summary.findings);
		e->it = it;
		e->s = it->summary;
		snprintf(e->fqcn, sizeof(e->fqcn), "%s", it->summary.fqcn);
		snprintf(e->location, sizeof(e->location), "%s",
		    it->summary.location);
		snprintf(e->name, sizeof(e->name), "%s", it->summary.name);
		if (o->redact) {
			cpk_redact_name(e->name, sizeof(e->name));
			snprintf(e->fqcn, sizeof(e->fqcn), "\\\\.\\%s\\%s",
			    it->ref.media, e->name);
			cpk_redact_text(e->location, sizeof(e->location), f);
			/* a registry key, or a folder, may carry the name */
			cpk_redact_replace(e->location, sizeof(e->location),
			    it->summary.name, e->name);
			if (strcmp(it->ref.name, it->summary.name) != 0)
				cpk_redact_replace(e->location,
				    sizeof(e->location), it->ref.name, e->name);
			cpk_redact_subject(e->s.cert.subject,
			    sizeof(e->s.cert.subject));
			cpk_redact_subject(e->s.cert.issuer,
			    sizeof(e->s.cert.issuer));
			cpk_redact_subject(e->s.cert2.subject,
			    sizeof(e->s.cert2.subject));
			e->s.sid = e->s.sid ? "<sid>" : NULL;
			e->s.user = e->s.user ? "<user>" : NULL;
		}
		e->s.fqcn = e->fqcn;
		e->s.location = e->location;
		e->s.name = e->name;
		for (int k = 0; k < CPK_F_COUNT; k++)
			if (it->files->f[k] != NULL)
				sha256_hex(it->files->f[k]->ptr,
				    it->files->f[k]->len, e->sha[k]);
		if (it->summary.has_cert)
			snprintf(e->cert_file, sizeof(e->cert_file),
			    "certs/%zu.cer", i + 1);
	}
	return v;
}

static void
json_entry(FILE *o, const struct entry *e)
{
	fputs("{\"container\":", o);
	cpk_render_summary_json(o, &e->s, CPK_JSON_SCHEMA_DIAG, -1);
	fputs(",\"sha256\":{", o);
	for (int k = 0, first = 1; k < CPK_F_COUNT; k++)
		if (e->sha[k][0]) {
			fputs(first ? "" : ",", o);
			cpk_json_str(o, cpk_file_name((enum cpk_file_id)k));
			fputc(':', o);
			cpk_json_str(o, e->sha[k]);
			first = 0;
		}
	fputs("},\"certificate_file\":", o);
	cpk_json_str(o, e->cert_file[0] ? e->cert_file : NULL);
	fputs("}", o);
}

static void
json_facts(FILE *o, const cpk_facts *f, int redact)
{
	fputs("{\"os\":", o);
	cpk_json_str(o, f->os);
	fputs(",\"kernel\":", o);
	cpk_json_str(o, f->kernel);
	fputs(",\"host\":", o);
	cpk_json_str(o, redact ? "<host>" : f->host);
	fputs(",\"locale\":", o);
	cpk_json_str(o, f->locale);
	fprintf(o, ",\"pcscd_running\":%s", f->pcscd ? "true" : "false");
	fputs(",\"openssl\":", o);
	cpk_json_str(o, f->openssl);
	fputs(",\"gost_engine\":", o);
	cpk_json_str(o, f->gost_engine);
	fputs(",\"pcsc_lite\":", o);
	cpk_json_str(o, f->pcsclite);
	fputs(",\"libzip\":", o);
	cpk_json_str(o, f->libzip);
	fprintf(o, ",\"cryptopro_csp\":%s", f->csp ? "true" : "false");
	fputs(",\"cryptopro_csp_version\":", o);
	cpk_json_str(o, f->csp ? f->csp_version : NULL);
	fputs("}", o);
}

/* Problems in the order every report gives them: errors, then warnings,
 * each in container order. fn gets the k-th problem; returns how many. */
typedef void problem_fn(const struct entry *, const cpk_finding *, size_t k,
    void *arg);

static size_t
each_problem(const struct entry *v, size_t n, problem_fn *fn, void *arg)
{
	size_t k = 0;

	for (int sev = CPK_SEV_ERROR; sev >= CPK_SEV_WARN; sev--)
		for (size_t i = 0; i < n; i++)
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
	FILE *o = arg;

	fputs(k == 0 ? "{\"fqcn\":" : ",{\"fqcn\":", o);
	cpk_json_str(o, e->fqcn);
	fputs(",\"id\":", o);
	cpk_json_str(o, fd->id);
	fputs(",\"severity\":", o);
	cpk_json_str(o, cpk_sev_name(fd->sev));
	fputs(",\"message\":", o);
	cpk_json_str(o, fd->message);
	fputs(",\"remedy\":", o);
	cpk_json_str(o, fd->remedy);
	fputs("}", o);
}

static void
json_problems(FILE *o, const struct entry *v, size_t n)
{
	fputs("[", o);
	each_problem(v, n, json_problem, o);
	fputs("]", o);
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
typedef void	(*render_fn)(FILE *, const struct entry *, size_t,
		    const cpk_facts *, const cpk_diag_opts *, time_t);

static cpk_err
add_rendered(cpk_diag *d, const char *name, render_fn fn,
    const struct entry *v, size_t n, const cpk_facts *f,
    const cpk_diag_opts *o, time_t now)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	cpk_err r;

	if (m == NULL)
		return CPK_E_NOMEM;
	fn(m, v, n, f, o, now);
	fclose(m);
	r = add(d, name, buf, len);
	free(buf);
	return r;
}

static void
render_json(FILE *o, const struct entry *v, size_t n, const cpk_facts *f,
    const cpk_diag_opts *opt, time_t now)
{
	char t[32];
	size_t problems = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < v[i].s.findings.n; j++)
			problems += v[i].s.findings.v[j].sev != CPK_SEV_INFO;
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	fputs("{\"schema\":\"" CPK_JSON_SCHEMA_DIAG "\",\"generated\":", o);
	cpk_json_str(o, t);
	fprintf(o, ",\"redacted\":%s,\"password_checked\":%s,\"facts\":",
	    opt->redact ? "true" : "false", opt->password ? "true" : "false");
	json_facts(o, f, opt->redact);
	fprintf(o, ",\"summary\":{\"containers\":%zu,\"problems\":%zu}", n,
	    problems);
	fputs(",\"problems\":", o);
	json_problems(o, v, n);
	fputs(",\"containers\":[", o);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",\n" : "\n", o);
		json_entry(o, &v[i]);
	}
	fputs("\n]}\n", o);
}

static void
render_txt(FILE *o, const struct entry *v, size_t n, const cpk_facts *f,
    const cpk_diag_opts *opt, time_t now)
{
	char t[40];

	strftime(t, sizeof(t), "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
	fprintf(o, "cpkit diagnostic report, %s\n\nSystem: %s, %s\nHost: %s, "
	    "locale %s\nOpenSSL: %s; gost-engine %s; pcsc-lite %s; libzip %s\n"
	    "pcscd: %s; CryptoPro CSP: %s %s\n\n", t, f->os, f->kernel,
	    opt->redact ? "<host>" : f->host, f->locale, f->openssl,
	    f->gost_engine, f->pcsclite, f->libzip, f->pcscd ? "running" :
	    "not running", f->csp ? "installed" : "not installed",
	    f->csp ? f->csp_version : "");
	for (size_t i = 0; i < n; i++) {
		cpk_render_test_text(o, &v[i].s, opt->password != NULL);
		fputc('\n', o);
	}
}

static void
html_str(FILE *o, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		switch (*s) {
		case '<': fputs("&lt;", o); break;
		case '>': fputs("&gt;", o); break;
		case '&': fputs("&amp;", o); break;
		case '"': fputs("&quot;", o); break;
		default: fputc(*s, o);
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
		fputs("<td>-</td>", o);
		return;
	}
	strftime(b, sizeof(b), "%Y-%m-%d", gmtime(&t));
	fprintf(o, "<td class=\"%s\">%s</td>", date_class(t, now), b);
}

static void
html_problem(const struct entry *e, const cpk_finding *fd, size_t k,
    void *arg)
{
	FILE *o = arg;

	(void)k;
	fprintf(o, "<li class=\"%s\"><b>", cpk_sev_name(fd->sev));
	html_str(o, e->fqcn);
	fputs("</b> — ", o);
	html_str(o, fd->message);
	fputs("<br><span class=\"remedy\">Remedy / Что делать: ", o);
	html_str(o, fd->remedy);
	fprintf(o, "</span> <code>%s</code></li>\n", fd->id);
}

static void
html_problems(FILE *o, const struct entry *v, size_t n)
{
	fputs("<h2>Problems / Проблемы</h2>\n<ol id=\"problems\">\n", o);
	if (each_problem(v, n, html_problem, o) == 0)
		fputs("<li class=\"ok\">No problems found / Проблем не "
		    "найдено</li>\n", o);
	fputs("</ol>\n", o);
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
				fprintf(o, "<h2>%s</h2>\n<table class=\"media\">"
				    "<tr><th>FQCN</th><th>Location / "
				    "Расположение</th><th>Algorithm / "
				    "Алгоритм</th><th>Certificate / "
				    "Сертификат</th><th>Cert until / "
				    "Сертификат до</th><th>Key until / Ключ "
				    "до</th><th>Files / Файлы</th><th>Status "
				    "/ Состояние</th></tr>\n", media[m]);
			any = 1;
			for (int k = 0; k < CPK_F_COUNT; k++)
				files += s->present[k];
			fputs("<tr><td>", o);
			html_str(o, s->fqcn);
			fputs("</td><td>", o);
			html_str(o, s->location);
			fputs("</td><td>", o);
			html_str(o, s->algorithm ? s->algorithm : "?");
			fputs("</td><td>", o);
			html_str(o, s->has_cert ? s->cert.subject : "-");
			fputs("</td>", o);
			html_date(o, s->has_cert ? s->cert.not_after : 0, now);
			html_date(o, s->key_not_after, now);
			fprintf(o, "<td>%d/6</td><td class=\"st-%s\">%s</td>"
			    "</tr>\n", files, s->status, s->status);
		}
		if (any)
			fputs("</table>\n", o);
	}
}

static void
render_html(FILE *o, const struct entry *v, size_t n, const cpk_facts *f,
    const cpk_diag_opts *opt, time_t now)
{
	char t[40];

	strftime(t, sizeof(t), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8"
	    "\"><title>cpkit diagnostic report</title><style>"
	    "body{font-family:sans-serif;margin:2em;color:#222}"
	    "table{border-collapse:collapse;margin-bottom:1.5em}"
	    "td,th{border:1px solid #bbb;padding:.3em .6em;text-align:left;"
	    "vertical-align:top}th{background:#eee}"
	    "li{margin-bottom:.6em}li.error{color:#a00}li.warning{color:#850}"
	    "li.ok{color:#070}.remedy{color:#222}"
	    "td.expired{background:#f8d0d0;font-weight:bold}"
	    "td.soon{background:#fbeec0}.st-ok{color:#070}.st-damaged,"
	    ".st-incomplete{color:#a00;font-weight:bold}.st-warning{color:"
	    "#850}</style></head><body>\n", o);
	fprintf(o, "<h1>cpkit diagnostic report / Диагностический отчёт "
	    "cpkit</h1>\n<p>%s — %zu container(s) / контейнеров: %zu%s</p>\n",
	    t, n, n, opt->redact ? " — redacted / обезличен" : "");
	html_problems(o, v, n);
	html_tables(o, v, n, now);
	fputs("<h2>System / Система</h2>\n<table id=\"facts\">", o);
	fputs("<tr><th>OS</th><td>", o);
	html_str(o, f->os);
	fputs("</td></tr><tr><th>Kernel</th><td>", o);
	html_str(o, f->kernel);
	fputs("</td></tr><tr><th>Host</th><td>", o);
	html_str(o, opt->redact ? "<host>" : f->host);
	fputs("</td></tr><tr><th>Locale</th><td>", o);
	html_str(o, f->locale);
	fprintf(o, "</td></tr><tr><th>pcscd</th><td>%s</td></tr>",
	    f->pcscd ? "running" : "not running");
	fputs("<tr><th>OpenSSL</th><td>", o);
	html_str(o, f->openssl);
	fputs("</td></tr><tr><th>gost-engine</th><td>", o);
	html_str(o, f->gost_engine);
	fputs("</td></tr><tr><th>CryptoPro CSP</th><td>", o);
	html_str(o, f->csp ? f->csp_version : "not installed");
	fputs("</td></tr></table>\n</body></html>\n", o);
}

static void
urgent(const struct entry *e, const cpk_finding *fd, size_t k, void *arg)
{
	cpk_diag *d = arg;

	(void)e;
	if (k < 3)
		d->urgent[k] = fd->remedy;
}

static void
count(cpk_diag *d, const struct entry *v, size_t n)
{
	d->containers = n;
	d->problems = each_problem(v, n, urgent, d);
}

cpk_err
cpk_diag_build(cpk_scan *scan, const cpk_facts *f, const cpk_diag_opts *o,
    time_t now, cpk_diag *d)
{
	struct entry *v;
	char name[128], manifest_line[200], *mf = NULL;
	size_t mlen = 0;
	FILE *m;
	cpk_err r = CPK_OK;

	memset(d, 0, sizeof(*d));
	if ((v = entries(scan, f, o)) == NULL)
		return CPK_E_NOMEM;
	count(d, v, scan->n);
	if ((r = add_rendered(d, "report.json", render_json, v, scan->n, f, o,
	    now)) != CPK_OK || (r = add_rendered(d, "report.txt", render_txt,
	    v, scan->n, f, o, now)) != CPK_OK ||
	    (r = add_rendered(d, "report.html", render_html, v, scan->n, f, o,
	    now)) != CPK_OK)
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
	if (r != CPK_OK || (m = open_memstream(&mf, &mlen)) == NULL)
		goto out;
	for (size_t i = 0; i < d->n; i++) {
		char hex[65];
		sha256_hex(d->data[i]->ptr, d->data[i]->len, hex);
		snprintf(manifest_line, sizeof(manifest_line), "%s  %s\n", hex,
		    d->name[i]);
		fputs(manifest_line, m);
	}
	fclose(m);
	r = add(d, "manifest.txt", mf, mlen);
	free(mf);
out:
	free(v);
	return r;
}

cpk_err
cpk_diag_jsonl(FILE *out, cpk_scan *scan, const cpk_diag_opts *o)
{
	cpk_facts f;
	struct entry *v;

	cpk_facts_collect(&f);
	if ((v = entries(scan, &f, o)) == NULL)
		return CPK_E_NOMEM;
	for (size_t i = 0; i < scan->n; i++) {
		json_entry(out, &v[i]);
		fputc('\n', out);
	}
	free(v);
	return CPK_OK;
}

cpk_err
cpk_diag_zip(const cpk_diag *d, const char *path)
{
	zip_t *z;
	zip_source_t *src;
	int err = 0;

	if ((z = zip_open(path, ZIP_CREATE | ZIP_EXCL, &err)) == NULL)
		return err == ZIP_ER_EXISTS ? CPK_E_EXISTS : CPK_E_IO;
	for (size_t i = 0; i < d->n; i++) {
		if ((src = zip_source_buffer(z, d->data[i]->ptr,
		    d->data[i]->len, 0)) == NULL ||
		    zip_file_add(z, d->name[i], src, ZIP_FL_ENC_UTF_8) < 0) {
			zip_source_free(src);
			zip_discard(z);
			return CPK_E_IO;
		}
	}
	/* libzip writes the archive here: its result is the write's */
	if (zip_close(z) != 0) {
		zip_discard(z);
		return CPK_E_IO;
	}
	return CPK_OK;
}

void
cpk_diag_free(cpk_diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->name[i]);
		cpk_blob_free(&d->data[i]);
	}
	free(d->name);
	free(d->data);
	memset(d, 0, sizeof(*d));
}
