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

	if (code != CPK_EXIT_OK)
		cli_usage_hint();	/* one line, not the whole text */
	fprintf(o, _(
	    "usage: cpkit-list [--json | --csv] [-q] [-v] [--pin-file FILE |\n"
	    "                  --pin-env VAR | --ask-pin] [--min-tries N] PATH...\n"
	    "\n"
	    "Finds every CryptoPro key container under each PATH (a flash\n"
	    "drive, /var/opt/cprocsp/keys/USER, any folder, a .reg export or\n"
	    "a registry hive, pcsc: for every token, pcsc:READER for one) and\n"
	    "prints one row per container: FQCN, algorithm, key kind,\n"
	    "exportable, certificate and private key expiry, files present,\n"
	    "status. Tokens are read without a PIN where their files allow.\n"
	    "\n"
	    "  --json                a JSON array (schema %s)\n"
	    "  --csv                 comma-separated values with a header line\n"),
	    CPK_JSON_SCHEMA_LIST);
	fprintf(o, _("  --cert FILE|DIR       instead, for each certificate (DER, PEM,\n"
	    "                        PKCS#7, folders of them) the containers\n"
	    "                        that hold its key, by the fingerprint\n"
	    "                        (--json: schema %s); exit 1 when some\n"
	    "                        certificate has none\n"),
	    CPK_JSON_SCHEMA_CERTMATCH);
	fputs(_(CLI_PIN_HELP), o);
	fputs(_(CLI_CONTAINER_HELP), o);
	fputs(_("  -q                    no warnings about unreadable folders\n"
	    "  -v                    library diagnostics on stderr\n"
	    "  -h, --help            this text\n"
	    "\n"
	    "Exit status: 0 all containers are fine, 1 some have findings\n"
	    "or none was found, 2 usage error, 3 environment problem (no\n"
	    "pcscd, reader or token), 4 the token refused the PIN or cpkit\n"
	    "refused to send it.\n"), o);
	exit(code);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'c' },
		{ "cert", required_argument, NULL, 'C' },
		CLI_PIN_OPTIONS,
		CLI_CONTAINER_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum { TEXT, JSON, CSV } fmt = TEXT;
	cpk_scan scan;
	const cpk_summary **rows = NULL;
	cli_pin pin;
	cpk_cert_list certs = { NULL, 0, NULL };
	const char *cert_path = NULL, *want = NULL;
	int ch, quiet = 0, verbose = 0, code = CPK_EXIT_OK, pcode;
	cpk_err r;

	cli_init("cpkit-list", 0);
	cli_pin_init(&pin);
	memset(&scan, 0, sizeof(scan));
	while ((ch = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
		case 'c':
			if (fmt != TEXT)
				cli_usage_error(_("%s and %s cannot be used "
				    "together"), fmt == JSON ? "--json" :
				    "--csv", ch == 'j' ? "--json" : "--csv");
			fmt = ch == 'j' ? JSON : CSV;
			break;
		case 'C':
			cert_path = optarg;
			break;
		case CLI_OPT_CONTAINER:
			want = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		CLI_PIN_CASES:
			if (cli_pin_opt(ch, optarg, &pin) != 0)
				usage(CPK_EXIT_USAGE);
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
	if (cert_path != NULL && fmt == CSV)
		cli_usage_error(_("%s and %s cannot be used together"),
		    "--cert", "--csv");
	if (optind >= argc)
		cli_usage_error(_("%s is missing"), "PATH");
	if (cert_path != NULL && ((r = cpk_certs_load(cert_path, &certs)) !=
	    CPK_OK || certs.n == 0)) {
		cli_error("%s: %s", cli_disp(cert_path), r != CPK_OK ?
		    cpk_err_text(r) : _("no certificate found"));
		code = CPK_EXIT_USAGE;
		goto out;
	}
	if (cli_pin_read(&pin) != CPK_OK) {
		code = CPK_EXIT_USAGE;
		goto out;
	}
	for (int i = optind; i < argc; i++) {
		if ((r = cpk_scan_add_opts(&scan, argv[i], cpk_now(),
		    &pin.mo)) != CPK_OK) {
			code = cli_path_error(argv[i], r);
			goto out;
		}
		if ((pcode = cli_pin_report(&pin)) > code)
			code = pcode;
	}
	for (size_t i = 0; !quiet && i < scan.nwarn; i++)
		cli_error(_("warning: %s"), cli_disp(scan.warn[i]));
	if (scan.n > 0 && (pcode = cli_container_pick(&scan, want)) !=
	    CPK_EXIT_OK) {
		code = pcode;
		goto out;
	}
	if (cert_path != NULL) {
		if ((fmt == JSON ? cpk_render_certmatch_json(stdout, &certs,
		    &scan) : cpk_render_certmatch_text(stdout, &certs,
		    &scan)) > 0 && code < CPK_EXIT_FINDINGS)
			code = CPK_EXIT_FINDINGS;
		goto out;
	}
	if ((rows = calloc(scan.n + 1, sizeof(*rows))) == NULL) {
		code = CPK_EXIT_ENV;
		goto out;
	}
	for (size_t i = 0; i < scan.n; i++) {
		rows[i] = &scan.v[i].summary;
		if (strcmp(rows[i]->status, "ok") != 0 &&
		    code < CPK_EXIT_FINDINGS)
			code = CPK_EXIT_FINDINGS;
	}
	if (fmt == JSON)
		cpk_render_list_json(stdout, rows, scan.n);
	else if (fmt == CSV)
		cpk_render_list_csv(stdout, rows, scan.n);
	else
		cpk_render_list_text(stdout, rows, scan.n);
	/* what cpkit left on the media: after the table, or on stderr when
	 * stdout is for programs */
	if (scan.found.n > 0 && fmt == TEXT)
		fputs("\n", stdout);
	cpk_render_found_text(fmt == TEXT ? stdout : stderr, &scan.found);
	if (cpk_findings_worst(&scan.found) != CPK_SEV_INFO &&
	    code < CPK_EXIT_FINDINGS)
		code = CPK_EXIT_FINDINGS;
	if (scan.n == 0) {	/* a finding, as in every checking tool */
		cli_error(_("no key containers found"));
		if (code < CPK_EXIT_FINDINGS)
			code = CPK_EXIT_FINDINGS;
	}
out:
	cli_pin_wipe(&pin);
	cpk_certs_free(&certs);
	free(rows);
	cpk_scan_free(&scan);
	return code;
}
