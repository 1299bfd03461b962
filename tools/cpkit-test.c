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

	if (code != CPK_EXIT_OK)
		cli_usage_hint();	/* one line, not the whole text */
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
	fputs(_(CLI_PWLIST_HELP), o);
	fputs(_("  --cert FILE           also check the container against the\n"
	    "                        certificate(s) in FILE: the fingerprint\n"
	    "                        without a password, d*G with one\n"
	    "                        (cert-given-match, cert-given-mismatch,\n"
	    "                        cert-given-newer)\n"), o);
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
test_one(cpk_scan_item *it, const cli_pwlist *pw, const cpk_cert_list *certs,
    time_t now, int json)
{
	const char *unlocked = NULL;
	cpk_cert_info ci;
	size_t used;

	if (pw->n > 0 && cpk_check_passwords(it->c, pw->v, pw->n, &used,
	    &it->summary.findings) == CPK_OK) {
		it->summary.status = cpk_status(&it->summary.findings);
		it->summary.password_line = used < pw->n ? pw->v[used].line :
		    0;
		if (used < pw->n)
			unlocked = pw->v[used].pw;
	}
	/* d*G against a given certificate needs the password that worked */
	for (size_t i = 0; it->c != NULL && i < certs->n; i++)
		if (cpk_cert_parse(certs->v[i]->ptr, certs->v[i]->len, &ci) ==
		    CPK_OK && cpk_check_cert_given(it->c, &ci, unlocked, now,
		    &it->summary.findings) == CPK_OK)
			it->summary.status = cpk_status(&it->summary.findings);
	if (json)
		cpk_render_test_json(stdout, &it->summary, pw->n > 0);
	else
		cpk_render_test_text(stdout, &it->summary, pw->n > 0);
	return cpk_findings_worst(&it->summary.findings) > CPK_SEV_INFO;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "cert", required_argument, NULL, 'C' },
		CLI_SECRET_OPTIONS,
		CLI_PWLIST_OPTIONS,
		CLI_PIN_OPTIONS,
		CLI_CONTAINER_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	cli_pwlist pw;
	const char *want = NULL;
	cpk_secret_src src = { NULL, NULL, 0, 0, NULL };
	cpk_scan scan;
	cli_pin pin;
	cpk_cert_list certs = { NULL, 0, NULL };
	const char *cert_path = NULL;
	time_t now;			/* the one clock of this run */
	int ch, json = 0, verbose = 0, quiet = 0, code = CPK_EXIT_OK;
	int have_pw = 0;
	cpk_err r;

	memset(&pw, 0, sizeof(pw));
	cli_init("cpkit-test", 0);
	now = cpk_now();
	cli_pin_init(&pin);
	memset(&scan, 0, sizeof(scan));
	while ((ch = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'C':
			cert_path = optarg;
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
	cli_secret_one(&src, "");
	cli_operands(argc, argv, optind, 1, "PATH");
	if (cli_passwords(&src, &pw, &have_pw) != CPK_OK) {
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
	if (cert_path != NULL && ((r = cpk_certs_load(cert_path, &certs)) !=
	    CPK_OK || certs.n == 0)) {
		cli_error("%s: %s", cli_disp(cert_path), r != CPK_OK ?
		    cpk_err_text(r) : _("no certificate found"));
		code = CPK_EXIT_USAGE;
		goto out;
	}
	if ((r = cpk_scan_add_opts(&scan, argv[optind], now,
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
		/* a finding, as in list and diag (STYLE.md §11) */
		code = CPK_EXIT_FINDINGS;
		goto out;
	}
	if ((ch = cli_container_pick(&scan, want)) != CPK_EXIT_OK) {
		code = ch;
		goto out;
	}
	for (size_t i = 0; i < scan.n; i++) {
		if (!json && i > 0)
			fputs("\n", stdout);
		if (test_one(&scan.v[i], &pw, &certs, now, json) &&
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
	cpk_certs_clear(&certs);
	cli_pwlist_wipe(&pw);
	cpk_scan_clear(&scan);
	return code;
}
