/* Command lines that cannot run: one line that says what is wrong, then
 * where the help is (issue 18 point 5). The whole usage text belongs to
 * --help; on a mistake it buried the one line that mattered. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

void
cli_usage_error(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* TRANSLATORS: a mistake on the command line, then the program */
	cli_error(_("%s; see %s --help"), buf, cli_prog());
	exit(CPK_EXIT_USAGE);
}

void
cli_usage_hint(void)
{
	cli_error(_("see %s --help"), cli_prog());
	exit(CPK_EXIT_USAGE);
}

/* The options behind a source, in the order of cpk_secret_src. */
static int
source_names(const cpk_secret_src *s, const char *pre, char names[][40])
{
	int n = 0;

	if (s->file != NULL)
		snprintf(names[n++], 40, "--%spassword-file", pre);
	if (s->env != NULL)
		snprintf(names[n++], 40, "--%spassword-env", pre);
	if (s->empty)
		snprintf(names[n++], 40, "--%sempty-password", pre);
	if (s->ask)
		snprintf(names[n++], 40, "--ask");
	if (s->list != NULL)
		snprintf(names[n++], 40, "--%spassword-list", pre);
	return n;
}

void
cli_secret_one(const cpk_secret_src *s, const char *pre)
{
	char names[5][40];

	if (source_names(s, pre, names) > 1)
		cli_usage_error(_("%s and %s cannot be used together"),
		    names[0], names[1]);
}

void
cli_operands(int argc, char **argv, int optind, int want, const char *what)
{
	if (argc - optind < want)
		cli_usage_error(_("%s is missing"), what);
	if (argc - optind > want)
		cli_usage_error(_("'%s': one %s only"),
		    cli_disp(argv[optind + want]), what);
}
