/* cpkit-test: every check of a container, and with a password the unlock
 * of both copies, the certificate match and a real signature. */
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

	fprintf(o, _("usage: cpkit-test [--json] [-v] [--password-file FILE |\n"
	    "                  --password-env VAR | --empty-password | --ask]\n"
	    "                  [--pin-file FILE | --pin-env VAR | --ask-pin]\n"
	    "                  [--min-tries N] CONTAINER\n"
	    "\n"
	    "Checks a key container folder (or every container under a\n"
	    "folder): files, structure, MACs, certificate against the key,\n"
	    "algorithm, validity of the certificate and the private key.\n"
	    "With a password it also unlocks both copies of the key, proves\n"
	    "the fingerprint and d*G against the certificate, and signs and\n"
	    "verifies a test message with gost-engine. The password is never\n"
	    "taken from the command line. CONTAINER may be pcsc: (every\n"
	    "container on the one token present) or pcsc:READER; the files\n"
	    "a token protects are read after its user PIN, sent once.\n"
	    "\n"
	    "  --json                one JSON object per container (schema\n"
	    "                        %s)\n"
	    "  --password-file FILE  read the password from FILE's first line\n"
	    "  --password-env VAR    read the password from variable VAR\n"
	    "  --empty-password      the container has an empty password\n"
	    "  --ask                 prompt on the terminal, echo off\n"),
	    CPK_JSON_SCHEMA_TEST);
	fputs(_(CLI_PIN_HELP), o);
	fputs(_(CLI_CONTAINER_HELP), o);
	fputs(_("  -q                    no warnings about unreadable media\n"), o);
	fputs(_("  -v                    library diagnostics on stderr\n"
	    "  -h, --help            this text\n"
	    "\n"
	    "Exit status: 0 nothing wrong, 1 findings, 2 usage error,\n"
	    "3 environment problem (e.g. gost-engine, pcscd or the token\n"
	    "missing), 4 the token refused the PIN or cpkit refused to\n"
	    "send it.\n"), o);
	exit(code);
}

static int
test_one(cpk_scan_item *it, const char *pw, int json)
{
	if (pw != NULL &&
	    cpk_check_password(it->c, pw, &it->summary.findings) == CPK_OK)
		it->summary.status = cpk_status(&it->summary.findings);
	if (json)
		cpk_render_test_json(stdout, &it->summary, pw != NULL);
	else
		cpk_render_test_text(stdout, &it->summary, pw != NULL);
	return cpk_findings_worst(&it->summary.findings) > CPK_SEV_INFO;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		CLI_SECRET_OPTIONS,
		CLI_PIN_OPTIONS,
		CLI_CONTAINER_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char pw[CPK_SECRET_MAX];
	const char *want = NULL;
	cpk_secret_src src = { NULL, NULL, 0, 0 };
	cpk_scan scan;
	cli_pin pin;
	int ch, json = 0, verbose = 0, quiet = 0, code = CPK_EXIT_OK;
	int have_pw = 0;
	cpk_err r;

	cli_init("cpkit-test", 0);
	cli_pin_init(&pin);
	memset(&scan, 0, sizeof(scan));
	while ((ch = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		CLI_SECRET_CASES:
			cli_secret_opt(ch, optarg, &src);
			break;
		CLI_PIN_CASES:
			if (cli_pin_opt(ch, optarg, &pin) != 0)
				usage(CPK_EXIT_USAGE);
			break;
		case CLI_OPT_CONTAINER:
			want = optarg;
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
	if (optind + 1 != argc || cli_secret_count(&src) > 1)
		usage(CPK_EXIT_USAGE);
	if (cli_password_opt(&src, pw, sizeof(pw), &have_pw) != CPK_OK) {
		code = CPK_EXIT_USAGE;
		goto out;
	}
	if ((r = cpk_gost_init()) != CPK_OK) {
		cli_error(_("%s: install libengine-gost-openssl"),
		    cpk_err_text(r));
		code = CPK_EXIT_ENV;
		goto out;
	}
	if (cli_pin_read(&pin) != CPK_OK) {
		code = CPK_EXIT_USAGE;
		goto out;
	}
	if ((r = cpk_scan_add_opts(&scan, argv[optind], time(NULL),
	    &pin.mo)) != CPK_OK) {
		code = cli_path_error(argv[optind], r);
		goto out;
	}
	code = cli_pin_report(&pin);
	for (size_t i = 0; !quiet && i < scan.nwarn; i++)
		cli_error(_("warning: %s"), cli_disp(scan.warn[i]));
	if (scan.n == 0) {
		cli_error(_("%s: no key container found"),
		    cli_disp(argv[optind]));
		code = CPK_EXIT_USAGE;
		goto out;
	}
	if ((ch = cli_container_pick(&scan, want)) != CPK_EXIT_OK) {
		code = ch;
		goto out;
	}
	for (size_t i = 0; i < scan.n; i++) {
		if (!json && i > 0)
			fputs("\n", stdout);
		if (test_one(&scan.v[i], have_pw ? pw : NULL, json) &&
		    code < CPK_EXIT_FINDINGS)
			code = CPK_EXIT_FINDINGS;
	}
	/* what cpkit left on the medium: after the containers, or on
	 * stderr when stdout is JSON */
	if (scan.found.n > 0 && !json)
		fputs("\n", stdout);
	cpk_render_found_text(json ? stderr : stdout, &scan.found);
	if (cpk_findings_worst(&scan.found) != CPK_SEV_INFO &&
	    code < CPK_EXIT_FINDINGS)
		code = CPK_EXIT_FINDINGS;
out:
	cli_pin_wipe(&pin);
	cli_secret_wipe(pw, sizeof(pw));
	cpk_scan_free(&scan);
	return code;
}
