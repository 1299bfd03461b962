/* cpkit-list: one row per container found under the given paths. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "diag.h"

static _Noreturn void
usage(int code)
{
	FILE *o = code == 0 ? stdout : stderr;

	fputs("usage: cpkit-list [--json | --csv] [-q] [-v] PATH...\n"
	    "\n"
	    "Finds every CryptoPro key container under each PATH (a flash\n"
	    "drive, /var/opt/cprocsp/keys/USER, any folder) and prints one\n"
	    "row per container: FQCN, algorithm, key kind, exportable,\n"
	    "certificate and private key expiry, files present, status.\n"
	    "\n"
	    "  --json     a JSON array (schema " CPK_JSON_SCHEMA_LIST ")\n"
	    "  --csv      comma-separated values with a header line\n"
	    "  -q         no warnings about unreadable folders\n"
	    "  -v         library diagnostics on stderr\n"
	    "  -h, --help this text\n"
	    "\n"
	    "Exit status: 0 all containers are fine, 1 some have findings\n"
	    "or none was found, 2 usage error, 3 environment problem.\n", o);
	exit(code);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum { TEXT, JSON, CSV } fmt = TEXT;
	cpk_scan scan;
	cpk_summary *rows = NULL;
	int ch, quiet = 0, verbose = 0, code = CPK_EXIT_OK;
	cpk_err r;

	cli_init("cpkit-list", 0);
	while ((ch = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
		case 'c':
			if (fmt != TEXT)
				usage(CPK_EXIT_USAGE);
			fmt = ch == 'j' ? JSON : CSV;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'v':
			cli_set_verbose(++verbose);
			break;
		case 'h':
			usage(CPK_EXIT_OK);
		default:
			usage(CPK_EXIT_USAGE);
		}
	}
	if (optind >= argc)
		usage(CPK_EXIT_USAGE);
	memset(&scan, 0, sizeof(scan));
	for (int i = optind; i < argc; i++) {
		if ((r = cpk_scan_add(&scan, argv[i], time(NULL))) != CPK_OK) {
			code = cli_path_error(argv[i], r);
			goto out;
		}
	}
	for (size_t i = 0; !quiet && i < scan.nwarn; i++)
		cli_error("warning: %s", scan.warn[i]);
	if ((rows = calloc(scan.n + 1, sizeof(*rows))) == NULL) {
		code = CPK_EXIT_ENV;
		goto out;
	}
	for (size_t i = 0; i < scan.n; i++) {
		rows[i] = scan.v[i].summary;
		if (strcmp(rows[i].status, "ok") != 0)
			code = CPK_EXIT_FINDINGS;
	}
	if (fmt == JSON)
		cpk_render_list_json(stdout, rows, scan.n);
	else if (fmt == CSV)
		cpk_render_list_csv(stdout, rows, scan.n);
	else
		cpk_render_list_text(stdout, rows, scan.n);
	if (scan.n == 0) {
		cli_error("no key containers found");
		code = CPK_EXIT_FINDINGS;
	}
out:
	free(rows);
	cpk_scan_free(&scan);
	return code;
}
