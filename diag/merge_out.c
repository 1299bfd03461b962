/* cpkit-diag --merge's members (merge.c reads): report.html, fleet.json
 * (schema cpkit.fleet/1) and report.txt, written to temporary files from
 * the host rows, the certificates' counters, the chart's months and the
 * problems merge.c streamed to files of their own. */
#include <stdlib.h>
#include <string.h>

#include "merge_int.h"

const char *const cpk_merge_status[5] = { "ok", "warning", "locked",
	"incomplete", "damaged" };

static cpk_display_ring ring;
#define DISP(s)	cpk_display(&ring, (s))

void
cpk_merge_html(FILE *o, const char *s)
{
	size_t run;

	while (s != NULL && *s != '\0') {
		/* printable ASCII the display form keeps as it is and HTML
		 * needs no entity for: written in one go */
		for (run = 0; s[run] >= 0x20 && s[run] < 0x7f &&
		    s[run] != '\\' && s[run] != '<' && s[run] != '>' &&
		    s[run] != '&' && s[run] != '"'; run++)
			;
		if (run > 0) {
			fwrite(s, 1, run, o);
			s += run;
			continue;
		}
		/* a backslash's form depends on what follows it: the rest
		 * the careful way; else up to the next plain byte or
		 * backslash (UTF-8 and controls are read unit by unit, so
		 * the cut changes nothing) */
		if (*s == '\\') {
			cpk_html_str(o, s);
			return;
		}
		for (run = 1; s[run] != '\0' && s[run] != '\\' &&
		    !(s[run] >= 0x20 && s[run] < 0x7f); run++)
			;
		if (s[run] != '\0') {
			char tmp[CPK_DISPLAY_CAP];
			if (run < sizeof(tmp)) {
				memcpy(tmp, s, run);
				tmp[run] = '\0';
				cpk_html_str(o, tmp);
				s += run;
				continue;
			}
		}
		cpk_html_str(o, s);
		return;
	}
}

/* Printable ASCII but for a backslash (and a quote): what both the
 * display form and JSON keep as it is. */
static int
plain(const char *s, int quote)
{
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s >= 0x7f || *s == '\\' ||
		    (quote && *s == '"'))
			return 0;
	return 1;
}

void
cpk_merge_text(FILE *o, const char *s)
{
	fputs(s == NULL ? "" : plain(s, 0) ? s : DISP(s), o);
}

const char *
cpk_merge_state_name(enum merge_state s)
{
	return s == MS_OK ? "ok" : s == MS_UNREACHABLE ? "unreachable" :
	    "failed";
}

static const char *
state_text(enum merge_state s)
{
	/* TRANSLATORS: a host's state in the fleet report */
	return s == MS_OK ? C_("host", "audited") : s == MS_UNREACHABLE ?
	    C_("host", "unreachable") : C_("host", "failed");
}

static void
day(time_t t, char *buf, size_t cap)
{
	struct tm tm;

	if (t == 0 || gmtime_r(&t, &tm) == NULL)
		snprintf(buf, cap, "%s", "-");
	else
		strftime(buf, cap, "%Y-%m-%d", &tm);
}

/* An ISO time, or null for none (0). */
static void
json_iso(cpk_json *j, const char *key, time_t t)
{
	char b[32];
	struct tm tm;

	cpk_json_key(j, key);
	if (t == 0 || gmtime_r(&t, &tm) == NULL) {
		cpk_json_null(j);
		return;
	}
	strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cpk_json_string(j, b);
}

static void
copy(FILE *to, FILE *from)
{
	char b[65536];
	size_t n;

	fflush(from);
	rewind(from);
	while ((n = fread(b, 1, sizeof(b), from)) > 0)
		fwrite(b, 1, n, to);
}

/* Certificates in a stable order: on most hosts first, then most
 * containers, then by key. */
static int
by_spread(const void *a, const void *b)
{
	const struct mcert *x = *(const struct mcert *const *)a;
	const struct mcert *y = *(const struct mcert *const *)b;

	if (x->nhosts != y->nhosts)
		return x->nhosts > y->nhosts ? -1 : 1;
	if (x->containers != y->containers)
		return x->containers > y->containers ? -1 : 1;
	return strcmp(x->key, y->key);
}

static const char *
date_class(time_t t, time_t now)
{
	return t == 0 ? "" : t < now ? " expired" : t - now < 90 * 86400 ?
	    " soon" : "";
}

static void
html_summary(FILE *o, const struct merge *m)
{
	const cpk_merge_stats *s = &m->st;
	struct { const char *k, *label; size_t v; } rows[] = {
		{ "hosts", _("Hosts / Машины"), s->hosts },
		{ "audited", _("Audited / Проверены"), s->audited },
		{ "unreachable", _("Unreachable / Недоступны"),
		    s->unreachable },
		{ "failed", _("Failed / Ошибка"), s->failed },
		{ "containers", _("Containers / Контейнеры"), s->containers },
		{ "problems", _("Problems / Проблемы"), s->problems },
	};

	fputs("<table id=\"fleet-summary\">", o);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		fputs("<tr><th>", o);
		cpk_merge_html(o, rows[i].label);
		fprintf(o, "</th><td class=\"n\" data-k=\"%s\">%zu</td></tr>",
		    rows[i].k, rows[i].v);
	}
	for (int k = 0; k < 5; k++) {
		fputs("<tr><th>", o);
		cpk_merge_html(o, cpk_status_text(cpk_merge_status[k]));
		fprintf(o, "</th><td class=\"n\" data-k=\"status-%s\">%zu"
		    "</td></tr>", cpk_merge_status[k], s->by_status[k]);
	}
	fputs("</table>\n", o);
}

static void
html_hosts(FILE *o, const struct merge *m)
{
	fprintf(o, "<table id=\"hosts\"><tr><th>%s</th><th>%s</th>"
	    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
	    _("Host"), _("State"), _("Containers"), _("Worst status"),
	    _("Next expiry"), _("System, or why not audited"));
	copy(o, m->h_html);
	fputs("</table>\n", o);
}

/* A host's row of report.html. */
static void
host_html(FILE *o, const struct merge *m, const struct mhost *h)
{
	const char *worst = h->worst >= 0 ? cpk_merge_status[h->worst] : "";
	char d[16];

	fputs("<tr class=\"host\" data-host=\"", o);
	cpk_merge_html(o, h->name);
	fprintf(o, "\" data-state=\"%s\" data-containers=\"%zu\" "
	    "data-worst=\"%s\"><td>", cpk_merge_state_name(h->state),
	    h->containers, worst);
	cpk_merge_html(o, h->name);
	fprintf(o, "</td><td class=\"state %s\">",
	    cpk_merge_state_name(h->state));
	cpk_merge_html(o, state_text(h->state));
	fprintf(o, "</td><td class=\"n\">%zu</td><td class=\"st "
	    "st-%s\">", h->containers, worst);
	if (h->worst >= 0)
		cpk_merge_html(o, cpk_status_text(worst));
	day(h->next, d, sizeof(d));
	fprintf(o, "</td><td class=\"d%s\">%s</td><td class=\"why\">",
	    date_class(h->next, m->now), d);
	if (h->state != MS_OK) {
		cpk_merge_html(o, h->reason);
		if (h->has_rc)
			fprintf(o, " (rc %lld)", h->rc);
	} else {
		cpk_merge_html(o, h->hostname);
		fputs(" — ", o);
		cpk_merge_html(o, h->os);
		fputs(" — cpkit ", o);
		cpk_merge_html(o, h->cpkit);
		if (h->bad_lines > 0)
			fprintf(o, " — <b class=\"bad\">%zu %s</b>",
			    h->bad_lines, P_("bad line", "bad lines",
			    h->bad_lines));
	}
	fputs("</td></tr>\n", o);
}

/* A host's object of fleet.json's hosts, a host a line. */
static void
host_json(cpk_json *j, const struct mhost *h)
{
	cpk_json_nl(j);
	cpk_json_obj(j);
	cpk_json_kv_str(j, "host", h->name);
	cpk_json_kv_str(j, "state", cpk_merge_state_name(h->state));
	cpk_json_kv_str(j, "reason", h->reason[0] ? h->reason : NULL);
	cpk_json_key(j, "rc");
	if (h->has_rc)
		cpk_json_int(j, h->rc);
	else
		cpk_json_null(j);
	cpk_json_kv_str(j, "hostname", h->hostname[0] ? h->hostname : NULL);
	cpk_json_kv_str(j, "os", h->os[0] ? h->os : NULL);
	cpk_json_kv_str(j, "cpkit_version", h->cpkit[0] ? h->cpkit : NULL);
	cpk_json_kv_nums(j, (const cpk_json_num[]){
	    { "containers", h->containers }, { "problems", h->problems },
	    { "bad_lines", h->bad_lines } }, 3);
	cpk_json_key(j, "by_status");
	cpk_json_obj(j);
	for (int k = 0; k < 5; k++)
		cpk_json_kv_uint(j, cpk_merge_status[k], h->by_status[k]);
	cpk_json_obj_end(j);
	cpk_json_kv_str(j, "worst", h->worst >= 0 ?
	    cpk_merge_status[h->worst] : NULL);
	json_iso(j, "next_expiry", h->next);
	cpk_json_key(j, "notes");
	cpk_json_arr(j);
	for (size_t k = 0; k < h->nnotes && k < MERGE_NOTES; k++)
		cpk_json_string(j, h->notes[k]);
	cpk_json_arr_end(j);
	cpk_json_kv_uint(j, "notes_total", h->nnotes);
	cpk_json_obj_end(j);
}

/* A host's line of report.txt. */
static void
host_txt(FILE *o, const struct mhost *h)
{
	char d[16];

	day(h->next, d, sizeof(d));
	fprintf(o, "  %-24s %-12s %6zu  %-10s %s", DISP(h->name),
	    state_text(h->state), h->containers, h->worst >= 0 ?
	    cpk_status_text(cpk_merge_status[h->worst]) : "-", d);
	if (h->state != MS_OK)
		fprintf(o, "  %s", DISP(h->reason));
	if (h->bad_lines > 0)
		fprintf(o, P_("  %zu bad line", "  %zu bad lines",
		    h->bad_lines), h->bad_lines);
	fputc('\n', o);
}

void
cpk_merge_host_rows(struct merge *m, const struct mhost *h)
{
	host_html(m->h_html, m, h);
	host_json(&m->hj, h);
	host_txt(m->h_txt, h);
}

static void
html_shared(FILE *o, const struct merge *m, struct mcert *const *v,
    size_t n)
{
	char d[16];

	fprintf(o, "<table id=\"shared\"><tr><th>%s</th><th>%s</th>"
	    "<th>%s</th><th>%s</th></tr>\n", _("Certificate"), _("Ends"),
	    _("Containers"), _("Hosts"));
	for (size_t i = 0; i < n && v[i]->containers > 1; i++) {
		fputs("<tr class=\"cert\" data-key=\"", o);
		cpk_merge_html(o, v[i]->key);
		fprintf(o, "\" data-hosts=\"%u\" data-containers=\"%zu\"><td>",
		    (unsigned)v[i]->nhosts, v[i]->containers);
		cpk_merge_html(o, v[i]->subject);
		day(v[i]->not_after, d, sizeof(d));
		fprintf(o, "</td><td class=\"d%s\">%s</td><td class=\"n\">%zu"
		    "</td><td>", date_class(v[i]->not_after, m->now), d,
		    v[i]->containers);
		for (uint32_t k = 0; k < v[i]->nhosts; k++) {
			fputs(k ? ", " : "", o);
			cpk_merge_html(o, m->id[v[i]->hosts[k]].name);
		}
		fputs("</td></tr>\n", o);
	}
	fputs("</table>\n", o);
}

static void
render_html(FILE *o, struct merge *m, struct mcert *const *v, size_t n)
{
	char t[40];
	struct tm tm;

	if (gmtime_r(&m->now, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	strftime(t, sizeof(t), "%Y-%m-%d %H:%M UTC", &tm);
	fprintf(o, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta "
	    "charset=\"utf-8\"><title>%s</title>", _("en"),
	    _("cpkit fleet report"));
	fputs("<style>"
	    "body{font-family:sans-serif;margin:2em;color:#222}"
	    "table{border-collapse:collapse;margin-bottom:1.5em}"
	    "td,th{border:1px solid #bbb;padding:.3em .6em;text-align:left;"
	    "vertical-align:top;overflow-wrap:anywhere}th{background:#eee}"
	    "td.n,td.d,td.st,td.state{white-space:nowrap}"
	    "td.expired,.bad{background:#f8d0d0;font-weight:bold}"
	    "td.soon{background:#fbeec0}td.unreachable,td.failed{color:#a00;"
	    "font-weight:bold}.st-damaged,.st-incomplete{color:#a00}"
	    ".st-warning{color:#850}.st-locked{color:#05a}"
	    "li.error{color:#a00}li.warning{color:#850}"
	    ".container{border-left:4px solid #bbb;padding-left:1em}"
	    "p.note{color:#a00}p.loc{color:#555}svg{max-width:100%}"
	    "</style></head><body>\n", o);
	fprintf(o, "<h1>%s</h1>\n<p>%s</p>\n",
	    _("cpkit fleet report / Отчёт cpkit по машинам"), t);
	fprintf(o, "<h2>%s</h2>\n", _("Summary / Сводка"));
	html_summary(o, m);
	fprintf(o, "<h2>%s</h2>\n", _("Hosts / Машины"));
	html_hosts(o, m);
	fprintf(o, "<h2>%s</h2>\n", _("Expiry / Сроки"));
	cpk_chart_svg_of(o, m->chart);
	fprintf(o, "<h2>%s</h2>\n",
	    _("Certificates in more than one place / Сертификаты в "
	    "нескольких местах"));
	html_shared(o, m, v, n);
	fprintf(o, "<h2>%s</h2>\n<div id=\"problems\">\n",
	    _("Problems by host / Проблемы по машинам"));
	copy(o, m->p_html);
	fputs("</div>\n</body></html>\n", o);
}

/* The hosts' or the problems' array, built apart as they were read. */
static void
json_part(cpk_json *j, const char *key, cpk_json *part, FILE *f)
{
	cpk_json_nl(part);
	cpk_json_arr_end(part);
	cpk_json_nl(j);
	cpk_json_key(j, key);
	if (cpk_json_done(part) != CPK_OK)
		cpk_json_raw(j, "[]");	/* and the error below */
	else
		cpk_json_raw_file(j, f);
}

static cpk_err
render_json(FILE *o, struct merge *m, struct mcert *const *v, size_t n)
{
	const cpk_merge_stats *s = &m->st;
	cpk_json j;
	const cpk_json_num sum[] = { { "hosts", s->hosts },
	    { "audited", s->audited }, { "unreachable", s->unreachable },
	    { "failed", s->failed }, { "containers", s->containers },
	    { "problems", s->problems }, { "bad_lines", s->bad_lines },
	    { "certificates", s->certificates },
	    { "shared_certificates", s->shared },
	    { "certificates_not_tracked", m->certs_dropped } };

	cpk_json_doc(&j, o, CPK_JSON_SCHEMA_FLEET);
	json_iso(&j, "generated", m->now);
	cpk_json_key(&j, "summary");
	cpk_json_obj(&j);
	cpk_json_kv_nums(&j, sum, sizeof(sum) / sizeof(sum[0]));
	cpk_json_key(&j, "by_status");
	cpk_json_obj(&j);
	for (int k = 0; k < 5; k++)
		cpk_json_kv_uint(&j, cpk_merge_status[k], s->by_status[k]);
	cpk_json_obj_end(&j);
	cpk_json_obj_end(&j);
	json_part(&j, "hosts", &m->hj, m->h_json);
	cpk_json_nl(&j);
	cpk_json_key(&j, "certificates");
	cpk_json_arr(&j);
	for (size_t i = 0; i < n; i++) {
		cpk_json_nl(&j);
		cpk_json_obj(&j);
		cpk_json_kv_str(&j, "fingerprint", v[i]->key);
		cpk_json_kv_str(&j, "subject", v[i]->subject);
		json_iso(&j, "not_after", v[i]->not_after);
		cpk_json_kv_uint(&j, "containers", v[i]->containers);
		cpk_json_key(&j, "hosts");
		cpk_json_arr(&j);
		for (uint32_t k = 0; k < v[i]->nhosts; k++)
			cpk_json_string(&j, m->id[v[i]->hosts[k]].name);
		cpk_json_arr_end(&j);
		cpk_json_obj_end(&j);
	}
	cpk_json_nl(&j);
	cpk_json_arr_end(&j);
	json_part(&j, "problems", &m->pj, m->p_json);
	cpk_json_obj_end(&j);
	if (m->hj.err != CPK_OK)
		return m->hj.err;
	if (m->pj.err != CPK_OK)
		return m->pj.err;
	return cpk_json_done(&j);
}

static void
render_txt(FILE *o, struct merge *m, struct mcert *const *v, size_t n)
{
	const cpk_merge_stats *s = &m->st;
	char d[16], t[40];
	struct tm tm;

	if (gmtime_r(&m->now, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	strftime(t, sizeof(t), "%Y-%m-%d %H:%M UTC", &tm);
	fprintf(o, _("cpkit fleet report, %s\n\n"), t);
	fprintf(o, _("Hosts: %zu (audited %zu, unreachable %zu, failed "
	    "%zu)\n"), s->hosts, s->audited, s->unreachable, s->failed);
	fprintf(o, _("Containers: %zu, problems: %zu\n"), s->containers,
	    s->problems);
	for (int k = 0; k < 5; k++)
		fprintf(o, "  %-12s %zu\n",
		    cpk_status_text(cpk_merge_status[k]), s->by_status[k]);
	fprintf(o, "\n%s\n", _("Hosts:"));
	copy(o, m->h_txt);
	fprintf(o, "\n%s\n", _("Certificates in more than one place:"));
	for (size_t i = 0; i < n && v[i]->containers > 1; i++) {
		day(v[i]->not_after, d, sizeof(d));
		fprintf(o, "  %s  %s  ", DISP(v[i]->subject), d);
		fprintf(o, P_("%zu container", "%zu containers",
		    v[i]->containers), v[i]->containers);
		fputs(": ", o);
		for (uint32_t k = 0; k < v[i]->nhosts; k++)
			fprintf(o, "%s%s", k ? ", " : "",
			    DISP(m->id[v[i]->hosts[k]].name));
		fputc('\n', o);
	}
	fputc('\n', o);
	cpk_chart_text_of(o, m->chart);
	fprintf(o, "%s\n", _("Problems by host:"));
	copy(o, m->p_txt);
}

cpk_err
cpk_merge_write(struct merge *m, FILE *html, FILE *json, FILE *txt)
{
	struct mcert **v = calloc(m->ncert + 1, sizeof(*v));
	size_t n = 0;
	cpk_err r;

	if (v == NULL)
		return CPK_E_NOMEM;
	for (size_t i = 0; i < m->tabcap; i++)
		if (m->tab[i] != NULL) {
			v[n++] = m->tab[i];
			m->st.shared += m->tab[i]->nhosts > 1;
		}
	m->st.certificates = n;
	qsort(v, n, sizeof(*v), by_spread);
	render_html(html, m, v, n);
	r = render_json(json, m, v, n);
	render_txt(txt, m, v, n);
	free(v);
	return r;
}
