/* The expiry chart of a diagnostic report: every container's certificate
 * and private key end by month, from the oldest that has expired to two
 * years ahead (later ones in a last column). An inline SVG for
 * report.html (no script: hover titles are <title> elements) and a text
 * histogram for report.txt. One bar per month, kind and class: expired
 * red, within 90 days amber, later blue (certificates) or green (keys). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum { K_CERT, K_KEY };
enum { C_EXPIRED, C_SOON, C_LATER };

struct chart {
	int	 first;		/* months since year 0 of column 0 */
	size_t	 ncol;		/* months, then the "later" column */
	size_t	(*cell)[2][3];
	size_t	 max;		/* the tallest column of one kind */
};

static int
month_of(time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return 0;
	return (tm.tm_year + 1900) * 12 + tm.tm_mon;
}

static int
class_of(time_t t, time_t now)
{
	return t < now ? C_EXPIRED : t - now < 90 * 86400 ? C_SOON : C_LATER;
}

/* Calls fn for every date the chart shows. */
static void
each_date(const cpk_summary *const *v, size_t n,
    void (*fn)(struct chart *, int kind, time_t, time_t), struct chart *c,
    time_t now)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i]->has_cert && v[i]->cert->not_after != 0)
			fn(c, K_CERT, v[i]->cert->not_after, now);
		if (v[i]->key_usage_end != 0)
			fn(c, K_KEY, v[i]->key_usage_end, now);
	}
}

static void
oldest(struct chart *c, int kind, time_t t, time_t now)
{
	(void)kind;
	if (t < now && month_of(t) < c->first)
		c->first = month_of(t);
}

static void
put(struct chart *c, int kind, time_t t, time_t now)
{
	long col = month_of(t) - c->first;

	if (col < 0)
		col = 0;
	if ((size_t)col >= c->ncol)
		col = (long)c->ncol - 1;	/* beyond two years */
	c->cell[col][kind][class_of(t, now)]++;
}

static int
build(struct chart *c, const cpk_summary *const *v, size_t n, time_t now)
{
	int last = month_of(now) + 24;

	c->first = month_of(now);
	each_date(v, n, oldest, c, now);
	c->ncol = (size_t)(last - c->first + 1) + 1;
	if ((c->cell = calloc(c->ncol, sizeof(*c->cell))) == NULL)
		return -1;
	each_date(v, n, put, c, now);
	c->max = 1;
	for (size_t i = 0; i < c->ncol; i++)
		for (int k = 0; k < 2; k++) {
			size_t h = 0;
			for (int l = 0; l < 3; l++)
				h += c->cell[i][k][l];
			if (h > c->max)
				c->max = h;
		}
	return 0;
}

static void
col_name(const struct chart *c, size_t i, char *buf, size_t cap)
{
	int m = c->first + (int)i;

	if (i + 1 == c->ncol)
		/* TRANSLATORS: the expiry chart's last column */
		snprintf(buf, cap, "%s", _("later"));
	else
		snprintf(buf, cap, "%04d-%02d", m / 12, m % 12 + 1);
}

static const char *const fill[2][3] = {
	{ "#c62828", "#f0a30a", "#3a6fb0" },
	{ "#c62828", "#f0a30a", "#4a9a4a" },
};

#define COL_W	12	/* SVG units a month */
#define CHART_H	120
#define TOP	24

static void
legend(FILE *o, int x, const char *color, const char *text)
{
	fprintf(o, "<rect x=\"%d\" y=\"4\" width=\"10\" height=\"10\" "
	    "fill=\"%s\"/><text x=\"%d\" y=\"13\">", x, color, x + 14);
	cpk_html_str(o, text);
	fputs("</text>", o);
}

static void
bar(FILE *o, const struct chart *c, size_t i, int kind, int cls,
    double *y, const char *month)
{
	size_t n = c->cell[i][kind][cls];
	double h = (double)n * (CHART_H - 4) / (double)c->max;
	static const char *const cname[3] = { "expired", "soon", "later" };
	char title[200];

	if (n == 0)
		return;
	*y -= h;
	/* the hover title: "2025-06: 3 certificates, expired" */
	snprintf(title, sizeof(title), "%s: %zu %s, %s", month, n,
	    kind == K_CERT ? P_("certificate", "certificates", n) :
	    P_("private key", "private keys", n),
	    cls == C_EXPIRED ? C_("chart", "expired") : cls == C_SOON ?
	    C_("chart", "within 90 days") : C_("chart", "later"));
	fprintf(o, "<rect class=\"bar %s %s\" data-n=\"%zu\" x=\"%d\" "
	    "y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>",
	    kind == K_CERT ? "cert" : "key", cname[cls], n,
	    (int)i * COL_W + (kind == K_CERT ? 1 : 6), *y, 5, h,
	    fill[kind][cls]);
	cpk_html_str(o, title);
	fputs("</title></rect>", o);
}

static size_t	svg(FILE *, const struct chart *, time_t now);
static void	text(FILE *, const struct chart *);

size_t
cpk_chart_svg(FILE *o, const cpk_summary *const *v, size_t n, time_t now)
{
	struct chart c;
	size_t bars;

	memset(&c, 0, sizeof(c));
	if (build(&c, v, n, now) != 0)
		return 0;
	bars = svg(o, &c, now);
	free(c.cell);
	return bars;
}

static size_t
svg(FILE *o, const struct chart *cp, time_t now)
{
	struct chart c = *cp;
	size_t bars = 0;
	int w, lx;
	char month[32];

	w = (int)c.ncol * COL_W;
	if (w < 640)	/* room for the legend */
		w = 640;
	/* width 100%: a long history scales down instead of scrolling */
	fprintf(o, "<svg id=\"expiry\" "
	    "viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" "
	    "font-size=\"10\">", w, TOP + CHART_H + 16);
	lx = 0;
	legend(o, lx, fill[0][C_EXPIRED], C_("chart", "expired"));
	legend(o, lx += 90, fill[0][C_SOON], C_("chart", "within 90 days"));
	legend(o, lx += 130, fill[0][C_LATER],
	    _("certificate (left bar)"));
	legend(o, lx += 170, fill[1][C_LATER], _("private key (right bar)"));
	fprintf(o, "<g transform=\"translate(0,%d)\">", TOP);
	fprintf(o, "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#888\"/>", CHART_H, w, CHART_H);
	/* the current month */
	fprintf(o, "<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#222\" stroke-dasharray=\"2,2\"><title>%s</title>"
	    "</line>", (month_of(now) - c.first) * COL_W,
	    (month_of(now) - c.first) * COL_W, CHART_H, _("now"));
	for (size_t i = 0; i < c.ncol; i++) {
		col_name(&c, i, month, sizeof(month));
		for (int k = 0; k < 2; k++) {
			double y = CHART_H;
			for (int l = 0; l < 3; l++) {
				bars += c.cell[i][k][l] != 0;
				bar(o, &c, i, k, l, &y, month);
			}
		}
		/* a year label at each January, and the last column's */
		if ((c.first + (int)i) % 12 == 0 || i + 1 == c.ncol) {
			fprintf(o, "<text x=\"%d\" y=\"%d\">", (int)i * COL_W,
			    CHART_H + 12);
			if (i + 1 != c.ncol)
				snprintf(month, sizeof(month), "%d",
				    (c.first + (int)i) / 12);
			cpk_html_str(o, month);
			fputs("</text>", o);
		}
	}
	fputs("</g></svg>\n", o);
	return bars;
}

/* One class's marks in a text bar: ! expired, ~ within 90 days, # later */
static void
marks(FILE *o, size_t n, size_t scale, char ch)
{
	for (size_t k = 0; k < (n + scale - 1) / scale; k++)
		fputc(ch, o);
}

void
cpk_chart_text(FILE *o, const cpk_summary *const *v, size_t n, time_t now)
{
	struct chart c;

	memset(&c, 0, sizeof(c));
	if (build(&c, v, n, now) != 0)
		return;
	text(o, &c);
	free(c.cell);
}

static void
text(FILE *o, const struct chart *cp)
{
	struct chart c = *cp;
	size_t scale;
	char month[32];

	scale = (c.max + 29) / 30;	/* at most 30 marks a bar */
	fprintf(o, "%s\n", _("Expiry by month (C certificates, K private "
	    "keys; ! expired, ~ within 90 days, # later):"));
	for (size_t i = 0; i < c.ncol; i++) {
		size_t t[2] = { 0, 0 };
		for (int k = 0; k < 2; k++)
			for (int l = 0; l < 3; l++)
				t[k] += c.cell[i][k][l];
		if (t[0] + t[1] == 0)
			continue;
		col_name(&c, i, month, sizeof(month));
		fprintf(o, "  %-7s", month);
		for (int k = 0; k < 2; k++) {
			if (t[k] == 0)
				continue;
			fprintf(o, " %c %4zu ", k == K_CERT ? 'C' : 'K', t[k]);
			marks(o, c.cell[i][k][C_EXPIRED], scale, '!');
			marks(o, c.cell[i][k][C_SOON], scale, '~');
			marks(o, c.cell[i][k][C_LATER], scale, '#');
		}
		fputc('\n', o);
	}
	if (scale > 1)
		fprintf(o, _("  (one mark: up to %zu)\n"), scale);
	fputc('\n', o);
}

/* ---- a chart fed one date at a time (cpkit-diag --merge) ----
 * Fixed memory however many dates: months from HIST_BACK before now's to
 * two years ahead, then "later"; older dates count in the first month.
 * Rendered as a view from the oldest month that holds an expired date,
 * which is what build() gives for a report of containers. */
#define HIST_BACK	1200	/* months: a century of expired dates */

struct cpk_chart {
	time_t	 now;
	int	 base;		/* the month of column 0 */
	size_t	 ncol;
	size_t	 (*cell)[2][3];
};

cpk_err
cpk_chart_new(time_t now, cpk_chart **out)
{
	cpk_chart *h;

	*out = NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return CPK_E_NOMEM;
	h->now = now;
	h->base = month_of(now) - HIST_BACK;
	h->ncol = HIST_BACK + 24 + 1 + 1;
	if ((h->cell = calloc(h->ncol, sizeof(*h->cell))) == NULL) {
		free(h);
		return CPK_E_NOMEM;
	}
	*out = h;
	return CPK_OK;
}

void
cpk_chart_add(cpk_chart *h, int key, time_t t)
{
	long col = month_of(t) - h->base;

	if (t == 0)
		return;
	if (col < 0)
		col = 0;
	if ((size_t)col >= h->ncol)
		col = (long)h->ncol - 1;
	h->cell[col][key ? K_KEY : K_CERT][class_of(t, h->now)]++;
}

/* The view build() would give: from the oldest expired month (or now's)
 * to the "later" column. */
static void
view(const cpk_chart *h, struct chart *c)
{
	size_t from = HIST_BACK;

	for (size_t i = 0; i < HIST_BACK; i++)
		if (h->cell[i][K_CERT][C_EXPIRED] + h->cell[i][K_KEY][C_EXPIRED]
		    != 0) {
			from = i;
			break;
		}
	c->first = h->base + (int)from;
	c->ncol = h->ncol - from;
	c->cell = h->cell + from;
	c->max = 1;
	for (size_t i = 0; i < c->ncol; i++)
		for (int k = 0; k < 2; k++) {
			size_t n = 0;
			for (int l = 0; l < 3; l++)
				n += c->cell[i][k][l];
			if (n > c->max)
				c->max = n;
		}
}

size_t
cpk_chart_svg_of(FILE *o, const cpk_chart *h)
{
	struct chart c;

	view(h, &c);
	return svg(o, &c, h->now);
}

void
cpk_chart_text_of(FILE *o, const cpk_chart *h)
{
	struct chart c;

	view(h, &c);
	text(o, &c);
}

void
cpk_chart_free(cpk_chart **hp)
{
	if (hp != NULL && *hp != NULL) {
		free((*hp)->cell);
		free(*hp);
		*hp = NULL;
	}
}
