/* --progress=auto|always|never for the long runs (cpkit-carve,
 * cpkit-passwd recover; issue 18 point 7). A terminal gets a bar that
 * redraws itself; a file or pipe (a log, a CI job) gets, with always, a
 * plain line every few seconds and the last state at the end, so that a
 * run of hours shows it is alive without filling the log with \r. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define BAR_EVERY	0.5	/* s between redraws on a terminal */
#define LINE_EVERY	2.0	/* s between lines in a file */

int
cli_progress_mode(const char *arg, int *mode)
{
	if (strcmp(arg, "auto") == 0)
		*mode = CLI_PROGRESS_AUTO;
	else if (strcmp(arg, "always") == 0)
		*mode = CLI_PROGRESS_ALWAYS;
	else if (strcmp(arg, "never") == 0)
		*mode = CLI_PROGRESS_NEVER;
	else {
		cli_error(_("--progress %s: use auto, always or never; see "
		    "--help"), arg);
		return -1;
	}
	return 0;
}

void
cli_progress_init(cli_progress *p, int mode)
{
	const char *ms = getenv("CPKIT_PROGRESS_INTERVAL_MS");
	uint32_t v;
	int tty = isatty(STDERR_FILENO);

	memset(p, 0, sizeof(*p));
	p->bar = mode != CLI_PROGRESS_NEVER && tty;
	p->lines = mode == CLI_PROGRESS_ALWAYS && !tty;
	p->every = p->bar ? BAR_EVERY : LINE_EVERY;
	/* a testing aid: the tests cannot wait 2 s per line */
	if (ms != NULL && cli_parse_u32(ms, 0, 60000, &v) == CPK_OK)
		p->every = (double)v / 1000.0;
	p->last = cpk_mono();
}

/* Writes p->text: over the bar on a terminal, as a line in a file. */
static void
put(cli_progress *p)
{
	size_t n;

	p->pending = 0;
	if (p->bar) {
		fputc('\r', stderr);	/* over the last one */
		fputs(p->text, stderr);
		p->drawn = 1;
		return;
	}
	/* a line of a log: no padding meant to cover a longer bar */
	n = strlen(p->text);
	while (n > 0 && p->text[n - 1] == ' ')
		n--;
	fprintf(stderr, "%.*s\n", (int)n, p->text);
	fflush(stderr);
}

void
cli_progress_show(cli_progress *p, int final, const char *fmt, ...)
{
	va_list ap;
	double t;

	if (!p->bar && !p->lines)
		return;
	t = cpk_mono();
	va_start(ap, fmt);
	vsnprintf(p->text, sizeof(p->text), fmt, ap);
	va_end(ap);
	p->pending = 1;
	if (!final && t - p->last < p->every)
		return;
	p->last = t;
	put(p);
}

void
cli_progress_end(cli_progress *p)
{
	if (p->bar && p->drawn)
		fputc('\n', stderr);
	else if (p->lines && p->pending)
		put(p);		/* the last state, not written yet */
	p->drawn = p->pending = 0;
}
