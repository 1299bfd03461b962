/* --no-tokens and the "looked in" line of the tools that search the
 * usual places when given no PATH (cpkit-list, cpkit-diag; issue 18). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int
cli_paths_have_token(int n, char **paths)
{
	for (int i = 0; i < n; i++)
		if (strncmp(paths[i], "pcsc:", 5) == 0) {
			cli_error(_("--no-tokens conflicts with the token "
			    "path %s; see --help"), cli_disp(paths[i]));
			return 1;
		}
	return 0;
}

/* One line on stderr: the user sees where cpkit looked (and what was
 * not there), so that "no containers" does not read as "none exist". */
void
cli_places_report(const cpk_places *p)
{
	char line[2048];
	size_t len = 0;

	line[0] = '\0';
	for (size_t i = 0; i < p->n; i++) {
		const char *path = cli_disp(p->v[i].path);
		/* TRANSLATORS: after a place searched that does not exist */
		const char *note = p->v[i].err == CPK_E_NO_PATH ?
		    _(" (absent)") : p->v[i].err != CPK_OK ?
		    _(" (unreadable)") : "";
		len += (size_t)snprintf(line + len, len < sizeof(line) ?
		    sizeof(line) - len : 0, "%s%s%s", i ? ", " : "", path,
		    note);
		if (len >= sizeof(line))
			break;
	}
	cli_error(_("looked in %s"), line);
}
