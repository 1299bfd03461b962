/* cpkit-diag --merge DIR... [-o FLEET.zip]: the tool's side of the fleet
 * report (the library's is diag/merge.c): the arguments, the one-line
 * summary and the exit status. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "diag_merge.h"

int
diag_merge(int n, char *const *dirs, const char *out_arg, int quiet,
    time_t now)
{
	char out[PATH_MAX];
	cpk_merge_stats st;
	struct stat sb;
	cpk_err r;

	if (n == 0)
		cli_usage_error(_("--merge needs at least one results "
		    "folder"));
	for (int i = 0; i < n; i++)
		if (stat(dirs[i], &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			cli_error(_("%s: not a folder"), cli_disp(dirs[i]));
			return CPK_EXIT_USAGE;
		}
	if (out_arg != NULL)
		snprintf(out, sizeof(out), "%s", out_arg);
	else
		strftime(out, sizeof(out), "cpkit-fleet-%Y%m%d-%H%M%S.zip",
		    localtime(&now));
	r = cpk_merge((const char *const *)dirs, (size_t)n, out, now, &st);
	if (r != CPK_OK) {
		cli_error("%s: %s", cli_disp(out), r == CPK_E_EXISTS ?
		    _("already exists") : r == CPK_E_TOO_BIG ?
		    _("more hosts than a fleet report takes (100,000)") :
		    cpk_err_text(r));
		return r == CPK_E_EXISTS || r == CPK_E_TOO_BIG ?
		    CPK_EXIT_USAGE : CPK_EXIT_ENV;
	}
	if (!quiet) {
		printf(P_("%zu host: ", "%zu hosts: ", st.hosts), st.hosts);
		printf(_("%zu audited, %zu unreachable, %zu failed; "),
		    st.audited, st.unreachable, st.failed);
		printf(P_("%zu container, ", "%zu containers, ",
		    st.containers), st.containers);
		printf(P_("%zu problem. ", "%zu problems. ", st.problems),
		    st.problems);
		cli_out(stdout, _("Fleet report: %s\n"), cli_disp(out));
	}
	/* a host not audited, a problem or a bad line is a finding */
	return st.unreachable + st.failed + st.problems + st.bad_lines > 0 ||
	    st.containers == 0 ? CPK_EXIT_FINDINGS : CPK_EXIT_OK;
}
