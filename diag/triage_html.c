/* report.html's first part, in the order a support engineer asks: how bad
 * is it (the summary), which container and what to do (one block per
 * container that is not ok, worst first); and report.txt's summary. */
#include <string.h>

#include "internal.h"

static const char *const status_names[5] = {
	"ok", "warning", "locked", "incomplete", "damaged"
};
/* the summary's order: good, then worse and worse as the blocks are */
static const int summary_order[5] = { 0, 1, 2, 4, 3 };

static void
count_row(FILE *o, const char *id, const char *label, size_t n)
{
	fprintf(o, "<tr><th>%s</th><td id=\"%s\" class=\"n\">%zu</td></tr>",
	    label, id, n);
}

static void
summary(FILE *o, const cpk_triage *t)
{
	char id[40];

	fprintf(o, "<h2>%s</h2>\n<div id=\"summary\"><table class=\"counts\">"
	    "<tr><th colspan=\"2\">%s</th></tr>", _("Summary / Сводка"),
	    _("Status / Состояние"));
	for (int j = 0; j < 5; j++) {
		int k = summary_order[j];
		snprintf(id, sizeof(id), "n-%s", status_names[k]);
		count_row(o, id, cpk_status_text(status_names[k]),
		    t->by_status[k]);
	}
	fprintf(o, "</table><table class=\"counts\"><tr><th colspan=\"2\">"
	    "%s</th></tr>", _("Medium / Носитель"));
	for (size_t k = 0; k < t->nmedia; k++) {
		fputs("<tr><th>", o);
		cpk_html_str(o, t->media[k]);
		fprintf(o, "</th><td class=\"n\">%zu</td></tr>",
		    t->by_media[k]);
	}
	fprintf(o, "</table><table class=\"counts\"><tr><th colspan=\"2\">"
	    "%s</th></tr>", _("Expiring / Истекает"));
	count_row(o, "n-exp30", _("within 30 days / за 30 дней"), t->exp30);
	count_row(o, "n-exp90", _("within 90 days / за 90 дней"), t->exp90);
	fputs("</table></div>\n", o);
	fprintf(o, "<h3>%s</h3>\n<ol id=\"urgent\">",
	    _("Most urgent / Срочнее всего"));
	for (int k = 0; k < 3 && t->urgent[k] != NULL; k++) {
		fputs("<li>", o);
		cpk_html_str(o, t->urgent[k]);
		fputs("</li>", o);
	}
	if (t->urgent[0] == NULL)
		fprintf(o, "<li class=\"ok\">%s</li>",
		    _("Nothing to do / Ничего делать не нужно"));
	fputs("</ol>\n", o);
}

static void
where_row(FILE *o, const char *label, const char *v)
{
	if (v == NULL || *v == '\0')
		return;
	fprintf(o, "<tr><th>%s</th><td>", label);
	cpk_html_str(o, v);
	fputs("</td></tr>", o);
}

/* The findings that are problems, then their remedies, each once. */
static void
findings(FILE *o, const cpk_findings *l)
{
	fputs("<ul class=\"findings\">", o);
	for (int sev = CPK_SEV_ERROR; sev >= CPK_SEV_WARN; sev--)
		for (size_t j = 0; j < l->n; j++) {
			const cpk_finding *f = &l->v[j];
			if ((int)f->sev != sev)
				continue;
			fprintf(o, "<li class=\"%s\"><b>", cpk_sev_name(sev));
			cpk_html_str(o, cpk_finding_title(f));
			fputs("</b><br><small class=\"ev\">", o);
			cpk_html_str(o, f->message);
			if (f->evidence[0] != '\0') {
				fputs(" — ", o);
				cpk_html_str(o, f->evidence);
			}
			fprintf(o, " <code>%s</code></small></li>", f->id);
		}
	fprintf(o, "</ul><p class=\"todo\">%s</p><ol class=\"remedies\">",
	    _("What to do / Что делать:"));
	for (int sev = CPK_SEV_ERROR; sev >= CPK_SEV_WARN; sev--)
		for (size_t j = 0; j < l->n; j++) {
			const cpk_finding *f = &l->v[j];
			int seen = 0;
			if ((int)f->sev != sev)
				continue;
			/* said once: earlier, by a worse or an equal one */
			for (size_t i = 0; i < l->n && !seen; i++)
				seen = i != j && l->v[i].sev >= CPK_SEV_WARN &&
				    (l->v[i].sev > f->sev || (l->v[i].sev ==
				    f->sev && i < j)) &&
				    strcmp(l->v[i].remedy, f->remedy) == 0;
			if (seen)
				continue;
			fputs("<li>", o);
			cpk_html_str(o, f->remedy);
			fputs("</li>", o);
		}
	fputs("</ol>", o);
}

static void
block(FILE *o, const cpk_summary *s, time_t now)
{
	char user[300], day[16];
	time_t e = cpk_next_expiry(s);

	fprintf(o, "<section class=\"block blk-%s\" data-status=\"%s\"><h3>"
	    "<span class=\"badge st-%s\">%s</span> ", s->status, s->status,
	    s->status, cpk_status_text(s->status));
	cpk_html_str(o, s->fqcn);
	fputs("</h3><table class=\"where\">", o);
	where_row(o, _("Medium / Носитель"), s->media);
	where_row(o, _("Location / Расположение"), s->location);
	if (s->sid != NULL || s->user != NULL) {
		snprintf(user, sizeof(user), "%s%s%s%s",
		    s->user ? s->user : "", s->user && s->sid ? " (" : "",
		    s->sid ? s->sid : "", s->user && s->sid ? ")" : "");
		where_row(o, _("User / Пользователь"), user);
	}
	where_row(o, _("Certificate / Сертификат"), s->has_cert ?
	    s->cert->subject : NULL);
	if (e != 0) {
		strftime(day, sizeof(day), "%Y-%m-%d", gmtime(&e));
		fprintf(o, "<tr><th>%s</th><td class=\"d%s\">%s</td></tr>",
		    _("Expires / Истекает"), e < now ? " expired" :
		    e - now < 90 * 86400 ? " soon" : "", day);
	}
	fputs("</table>", o);
	findings(o, &s->findings);
	fputs("</section>\n", o);
}

void
cpk_triage_html(FILE *o, const cpk_triage *t, const cpk_summary *const *v,
    const cpk_findings *found, time_t now)
{
	int any = 0;

	summary(o, t);
	fprintf(o, "<h2>%s</h2>\n<div id=\"blocks\">\n",
	    _("Containers with problems / Контейнеры с проблемами"));
	/* the media's own (a search cut short, leftovers) come first */
	for (size_t j = 0; found != NULL && j < found->n; j++)
		any |= found->v[j].sev >= CPK_SEV_WARN;
	if (any) {
		fprintf(o, "<section class=\"block blk-warning\" "
		    "data-status=\"media\"><h3>%s</h3>",
		    _("The media / Носители"));
		findings(o, found);
		fputs("</section>\n", o);
	}
	for (size_t b = 0; b < t->nblocks; b++)
		block(o, v[t->order[b]], now);
	if (t->nblocks == 0 && !any)
		fprintf(o, "<p class=\"ok\">%s</p>\n",
		    _("No problems found / Проблем не найдено"));
	fputs("</div>\n", o);
}

void
cpk_triage_text(FILE *o, const cpk_triage *t)
{
	cpk_display_ring ring, *d = &ring;

	d->next = 0;
	/* the counts by status are the line before (bundle.c) */
	fputs(_("By medium:"), o);
	for (size_t k = 0; k < t->nmedia; k++)
		fprintf(o, "%s %s %zu", k ? "," : "",
		    cpk_display(d, t->media[k]), t->by_media[k]);
	fprintf(o, _("\nExpiring within 30 days: %zu; within 90 days: %zu\n"),
	    t->exp30, t->exp90);
	if (t->urgent[0] != NULL)
		fprintf(o, "%s\n", _("Most urgent:"));
	for (int k = 0; k < 3 && t->urgent[k] != NULL; k++)
		fprintf(o, "  %d. %s\n", k + 1, cpk_display(d, t->urgent[k]));
	fputc('\n', o);
}
