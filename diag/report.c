/* Renderers for cpkit-list and cpkit-test: a human table, CSV, and JSON of
 * the versioned schemas named in diag.h (documented in man/). The table
 * and the text speak the user's language; CSV and JSON keep their English
 * keys and words, and only a finding's message, remedy and evidence follow
 * the locale there. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *
date_only(time_t t, char *buf, size_t cap)
{
	struct tm tm;

	if (t == 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, cap, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, cap, "-");
	return buf;
}

static const char *
iso(time_t t, char *buf, size_t cap)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, cap, "?");
	return buf;
}

static int
files_present(const cpk_summary *s)
{
	int n = 0;

	for (int i = 0; i < CPK_F_COUNT; i++)
		n += s->present[i];
	return n;
}

static const char *
yesno(int v)
{
	return v < 0 ? "?" : v ? "yes" : "no";
}

/* The text table's words: CSV and JSON keep the English ones. */
static const char *
yesno_text(int v)
{
	/* TRANSLATORS: the EXPORT column of cpkit-list */
	return v < 0 ? "?" : v ? C_("exportable", "yes") :
	    C_("exportable", "no");
}

static const char *
kind_text(const char *kind)
{
	/* TRANSLATORS: a key's kind, in "exchange key" and the KIND column */
	return kind == NULL ? "?" : strcmp(kind, "exchange") == 0 ?
	    C_("key kind", "exchange") : strcmp(kind, "signature") == 0 ?
	    C_("key kind", "signature") : kind;
}

/* Left-aligned in `width` columns counting characters, not bytes, so
 * Cyrillic names line up. */
static void
pad(FILE *o, const char *v, size_t width)
{
	size_t cols = 0;

	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		cols += (*p & 0xc0) != 0x80;
	fputs(v, o);
	for (; cols < width; cols++)
		fputc(' ', o);
	fputc(' ', o);
}

void
cpk_render_list_text(FILE *o, const cpk_summary *const *rows, size_t n)
{
	const cpk_summary *s;
	cpk_display_ring ring, *d = &ring;
	char a[16], b[16];

	/* names from media are shown in their display form (STYLE.md §17) */
	d->next = 0;

	/* TRANSLATORS: column headings of cpkit-list, each at most as
	 * wide as its column: 32, 13, 9, 6, 10, 10 and 5 characters */
	pad(o, _("FQCN"), 32);
	pad(o, _("ALGORITHM"), 13);
	pad(o, _("KIND"), 9);
	pad(o, _("EXPORT"), 6);
	pad(o, _("CERT UNTIL"), 10);
	pad(o, _("KEY UNTIL"), 10);
	pad(o, _("FILES"), 5);
	fprintf(o, "%s\n", _("STATUS"));
	for (size_t i = 0; i < n; i++) {
		s = rows[i];
		pad(o, cpk_display(d, s->fqcn), 32);
		pad(o, s->algorithm ? s->algorithm : "?", 13);
		pad(o, kind_text(s->kind), 9);
		pad(o, yesno_text(s->exportable), 6);
		pad(o, s->has_cert ? date_only(s->cert->not_after, a,
		    sizeof(a)) : "-", 10);
		pad(o, date_only(s->key_usage_end, b, sizeof(b)), 10);
		fprintf(o, "%d/6   %s\n", files_present(s),
		    cpk_status_text(s->status));
		fprintf(o, "    %s\n", cpk_display(d, s->location));
		if (s->user != NULL)
			fprintf(o, _("    user %s\n"), cpk_display(d, s->user));
		if (s->has_cert)
			fprintf(o, _("    %s (serial %s)\n"),
			    cpk_display(d, s->cert->subject),
			    cpk_display(d, s->cert->serial));
	}
}

/* The two CSVs: for programs, exact bytes, ',' and LF; for a person's
 * spreadsheet, the display form with the formula guard, ';' and CR LF
 * (what a Russian-locale Excel splits on), after a UTF-8 BOM. */
struct csv_style {
	int		 sheet;
	const char	*sep, *eol;
};

static void
csv_field(FILE *o, const char *v, const struct csv_style *st, int last)
{
	char small[256], *buf = small;
	size_t need;

	if (!st->sheet) {
		fputc('"', o);
		for (; v != NULL && *v != '\0'; v++) {
			if (*v == '"')
				fputc('"', o);
			fputc(*v, o);
		}
		fputc('"', o);
	} else {
		if ((need = cpk_display_csv_cell(v, small, sizeof(small))) >=
		    sizeof(small) && ((buf = malloc(need + 1)) == NULL ||
		    cpk_display_csv_cell(v, buf, need + 1) > need)) {
			free(buf);	/* no memory: an empty cell, not junk */
			buf = NULL;
		}
		fputs(buf != NULL ? buf : "\"\"", o);
		if (buf != small)
			free(buf);
	}
	fputs(last ? st->eol : st->sep, o);
}

/* The ids of a row's findings, each once, space-separated. */
static char *
finding_ids(const cpk_findings *f)
{
	size_t cap = 1, len = 0;
	char *v;

	for (size_t i = 0; i < f->n; i++)
		cap += strlen(f->v[i].id) + 1;
	if ((v = malloc(cap)) == NULL)
		return NULL;
	v[0] = '\0';
	for (size_t i = 0; i < f->n; i++) {
		size_t k = 0;
		while (k < i && strcmp(f->v[k].id, f->v[i].id) != 0)
			k++;
		if (k < i)
			continue;	/* said already */
		len += (size_t)snprintf(v + len, cap - len, "%s%s",
		    len ? " " : "", f->v[i].id);
	}
	return v;
}

static void
csv_head(FILE *o, const struct csv_style *st)
{
	static const char *const head[] = { "fqcn", "location", "name",
	    "algorithm", "kind", "exportable", "certificate_subject",
	    "certificate_serial", "certificate_not_after", "key_not_after",
	    "files", "status", "finding_ids", "certificate_issuer", "user",
	    "sid" };
	const size_t nhead = sizeof(head) / sizeof(head[0]);

	for (size_t i = 0; i < nhead; i++)
		fprintf(o, "%s%s", head[i], i + 1 < nhead ? st->sep : st->eol);
}

static void
csv_row(FILE *o, const cpk_summary *s, const struct csv_style *st)
{
	char a[32], b[32], files[8], *ids;

	{
		snprintf(files, sizeof(files), "%d", files_present(s));
		ids = finding_ids(&s->findings);
		csv_field(o, s->fqcn, st, 0);
		csv_field(o, s->location, st, 0);
		csv_field(o, s->name, st, 0);
		csv_field(o, s->algorithm, st, 0);
		csv_field(o, s->kind, st, 0);
		csv_field(o, yesno(s->exportable), st, 0);
		csv_field(o, s->has_cert ? s->cert->subject : "", st, 0);
		csv_field(o, s->has_cert ? s->cert->serial : "", st, 0);
		csv_field(o, s->has_cert ? iso(s->cert->not_after, a,
		    sizeof(a)) : "", st, 0);
		csv_field(o, s->key_not_after ? iso(s->key_not_after, b,
		    sizeof(b)) : "", st, 0);
		csv_field(o, files, st, 0);
		csv_field(o, s->status, st, 0);
		csv_field(o, ids, st, 0);
		csv_field(o, s->has_cert ? s->cert->issuer : "", st, 0);
		csv_field(o, s->user, st, 0);
		csv_field(o, s->sid, st, 1);
		free(ids);
	}
}

static const struct csv_style csv_plain = { 0, ",", "\n" };
static const struct csv_style csv_excel = { 1, ";", "\r\n" };

void
cpk_render_list_csv(FILE *o, const cpk_summary *const *rows, size_t n)
{
	cpk_render_list_head(o, CPK_LIST_CSV);
	for (size_t i = 0; i < n; i++)
		csv_row(o, rows[i], &csv_plain);
}

void
cpk_render_list_csv_excel(FILE *o, const cpk_summary *const *rows, size_t n)
{
	cpk_render_list_head(o, CPK_LIST_CSV_EXCEL);
	for (size_t i = 0; i < n; i++)
		csv_row(o, rows[i], &csv_excel);
}

/* The same bytes a row at a time: the head, row i, the tail after n. */
void
cpk_render_list_head(FILE *o, enum cpk_list_fmt f)
{
	cpk_json j;

	cpk_json_init(&j, o, 0);
	if (f == CPK_LIST_JSON)
		cpk_json_arr(&j);
	else if (f == CPK_LIST_CSV)
		csv_head(o, &csv_plain);
	else {
		fputs("\xef\xbb\xbf", o);	/* Excel reads UTF-8 only
						 * after it */
		csv_head(o, &csv_excel);
	}
}

void
cpk_render_list_row(FILE *o, enum cpk_list_fmt f, const cpk_summary *s,
    size_t i)
{
	cpk_json j;

	if (f == CPK_LIST_JSON) {
		/* a container a line */
		cpk_json_init(&j, o, 0);
		cpk_json_resume_arr(&j, i);
		cpk_json_nl(&j);
		cpk_summary_json(&j, s, CPK_JSON_SCHEMA_LIST, -1);
	} else
		csv_row(o, s, f == CPK_LIST_CSV ? &csv_plain : &csv_excel);
}

void
cpk_render_list_tail(FILE *o, enum cpk_list_fmt f, size_t n)
{
	cpk_json j;

	if (f == CPK_LIST_JSON) {
		cpk_json_init(&j, o, CPK_JSON_LINE);
		cpk_json_resume_arr(&j, n);
		cpk_json_nl(&j);
		cpk_json_arr_end(&j);
	}
}

/* A string alone on a bare stream: the writer's (json.h), which is
 * the one place strings are escaped. */
void
cpk_json_str(FILE *o, const char *s)
{
	cpk_json j;

	cpk_json_init(&j, o, 0);
	cpk_json_string(&j, s);
}

/* An ISO time, or null for none (0). */
static void
json_time(cpk_json *j, const char *key, time_t t)
{
	char b[32];

	cpk_json_kv_str(j, key, t == 0 ? NULL : iso(t, b, sizeof(b)));
}

static void
json_findings(cpk_json *j, const cpk_findings *l)
{
	cpk_json_key(j, "findings");
	cpk_json_arr(j);
	for (size_t i = 0; i < l->n; i++) {
		const cpk_finding *f = &l->v[i];
		cpk_json_obj(j);
		cpk_json_kv_str(j, "id", f->id);
		cpk_json_kv_str(j, "severity", cpk_sev_name(f->sev));
		cpk_json_kv_str(j, "message", f->message);
		cpk_json_kv_str(j, "remedy", f->remedy);
		cpk_json_kv_str(j, "evidence", f->evidence[0] ? f->evidence :
		    NULL);
		cpk_json_obj_end(j);
	}
	cpk_json_arr_end(j);
}

static void
json_cert(cpk_json *j, const cpk_cert_info *c)
{
	cpk_json_key(j, "certificate");
	if (c == NULL) {
		cpk_json_null(j);
		return;
	}
	cpk_json_obj(j);
	cpk_json_kv_str(j, "subject", c->subject);
	cpk_json_kv_str(j, "issuer", c->issuer);
	cpk_json_kv_str(j, "serial", c->serial);
	json_time(j, "not_before", c->not_before);
	json_time(j, "not_after", c->not_after);
	cpk_json_obj_end(j);
}

/* pw: -1 for a list row, else whether the password checks ran. */
void
cpk_render_summary_json(FILE *o, const cpk_summary *s, const char *schema,
    int pw)
{
	cpk_json j;

	cpk_json_init(&j, o, 0);
	cpk_summary_json(&j, s, schema, pw);
}

void
cpk_summary_json(cpk_json *j, const cpk_summary *s, const char *schema,
    int pw)
{
	const char *const head[][2] = { { "schema", schema },
	    { "fqcn", s->fqcn }, { "location", s->location },
	    { "name", s->name }, { "media", s->media }, { "sid", s->sid },
	    { "user", s->user }, { "algorithm", s->algorithm },
	    { "key_kind", s->kind } };

	cpk_json_obj(j);
	cpk_json_kv_strs(j, head, sizeof(head) / sizeof(head[0]));
	cpk_json_key(j, "exportable");
	if (s->exportable < 0)
		cpk_json_null(j);
	else
		cpk_json_bool(j, s->exportable);
	json_cert(j, s->has_cert ? s->cert : NULL);
	cpk_json_key(j, "secondary_key");
	if (s->kind2 != NULL) {
		cpk_json_obj(j);
		cpk_json_kv_str(j, "key_kind", s->kind2);
		json_cert(j, s->has_cert2 ? s->cert2 : NULL);
		cpk_json_obj_end(j);
	} else
		cpk_json_null(j);
	json_time(j, "key_not_after", s->key_not_after);
	json_time(j, "key_usage_end", s->key_usage_end);
	cpk_json_kv_str(j, "key_usage_end_source", s->key_usage_end != 0 ?
	    cpk_key_src_name(s->key_usage_src) : NULL);
	cpk_json_key(j, "files");
	cpk_json_obj(j);
	for (int i = 0; i < CPK_F_COUNT; i++) {
		cpk_json_key(j, cpk_file_name((enum cpk_file_id)i));
		if (s->present[i]) {
			cpk_json_obj(j);
			cpk_json_kv_uint(j, "size", s->size[i]);
			cpk_json_obj_end(j);
		} else
			cpk_json_null(j);
	}
	cpk_json_obj_end(j);
	if (pw >= 0)
		cpk_json_kv_bool(j, "password_checked", pw);
	if (s->password_line > 0)	/* which line, never the word */
		cpk_json_kv_uint(j, "password_line", s->password_line);
	cpk_json_kv_str(j, "status", s->status);
	json_findings(j, &s->findings);
	cpk_json_obj_end(j);
}

void
cpk_render_list_json(FILE *o, const cpk_summary *const *rows, size_t n)
{
	cpk_render_list_head(o, CPK_LIST_JSON);
	for (size_t i = 0; i < n; i++)
		cpk_render_list_row(o, CPK_LIST_JSON, rows[i], i);
	cpk_render_list_tail(o, CPK_LIST_JSON, n);
}

void
cpk_render_test_json(FILE *o, const cpk_summary *s, int pw_checked)
{
	cpk_render_summary_json(o, s, CPK_JSON_SCHEMA_TEST, pw_checked != 0);
	fprintf(o, "\n");
}

void
cpk_render_test_text(FILE *o, const cpk_summary *s, int pw_checked)
{
	cpk_display_ring ring, *d = &ring;
	char a[40], b[40];
	size_t problems = 0;

	d->next = 0;
	/* TRANSLATORS: the labels of cpkit-test's header lines line up;
	 * keep them aligned with each other in the translation */
	fprintf(o, _("Container %s\n  location  %s\n"), cpk_display(d,
	    s->fqcn), cpk_display(d, s->location));
	if (s->user != NULL)
		fprintf(o, _("  user      %s (%s)\n"), cpk_display(d, s->user),
		    cpk_display(d, s->sid));
	/* TRANSLATORS: algorithm, key kind ("exchange"), export flag */
	fprintf(o, _("  key       %s %s key, %s\n"), s->algorithm ?
	    s->algorithm : _("unknown algorithm"), kind_text(s->kind),
	    s->exportable > 0 ? _("exportable") : s->exportable == 0 ?
	    _("not exportable") : _("export flag unknown"));
	if (s->has_cert)
		fprintf(o, _("  cert      %s\n            serial %s, valid %s "
		    "to %s\n"), cpk_display(d, s->cert->subject),
		    cpk_display(d, s->cert->serial),
		    cpk_time_text(s->cert->not_before, a, sizeof(a)),
		    cpk_time_text(s->cert->not_after, b, sizeof(b)));
	if (s->key_usage_end != 0)
		fprintf(o, _("  key until %s\n"), cpk_time_text(
		    s->key_usage_end, a, sizeof(a)));
	if (s->kind2 != NULL)
		fprintf(o, _("  key 2     %s key, certificate %s\n"),
		    kind_text(s->kind2), s->has_cert2 ? cpk_display(d,
		    s->cert2->subject) :
		    C_("certificate", "absent"));
	fprintf(o, "\n");
	for (size_t i = 0; i < s->findings.n; i++) {
		const cpk_finding *f = &s->findings.v[i];
		problems += f->sev != CPK_SEV_INFO;
		fprintf(o, "  [%s] %s: %s\n", cpk_sev_text(f->sev), f->id,
		    cpk_display(d, f->message));
		if (f->evidence[0] != '\0')
			fprintf(o, _("      evidence: %s\n"),
			    cpk_display(d, f->evidence));
		if (f->sev != CPK_SEV_INFO)
			fprintf(o, _("      remedy:   %s\n"),
			    cpk_display(d, f->remedy));
	}
	if (s->status != NULL && strcmp(s->status, "locked") == 0)
		fprintf(o, "\n%s", _("Result: locked: the container is sound, "
		    "but the password given does not unlock it"));
	else
		fprintf(o, "\n%s", problems == 0 ?
		    _("Result: no problems found") :
		    _("Result: problems found"));
	if (!pw_checked)
		fputs(_(" (checks without the password; give one with "
		    "--password-file, --password-env, --empty-password or "
		    "--ask to unlock the key)"), o);
	fprintf(o, "\n");
}

void
cpk_render_found_text(FILE *o, const cpk_findings *l)
{
	cpk_display_ring ring, *d = &ring;

	d->next = 0;
	/* a medium's findings: the remedy always, for backup-copy (info)
	 * is there to be acted on; the message names a path of the medium */
	for (size_t i = 0; i < l->n; i++) {
		const cpk_finding *f = &l->v[i];
		fprintf(o, "[%s] %s: %s\n", cpk_sev_text(f->sev), f->id,
		    cpk_display(d, f->message));
		fprintf(o, _("      remedy:   %s\n"), cpk_display(d, f->remedy));
	}
}
