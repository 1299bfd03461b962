/* cpkit-list: one row per container found under the given paths. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
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
	    "usage: cpkit-list [--json | --csv | --csv-excel] [--sort BY]\n"
	    "                  [--no-tokens] [-q] [-v] [--pin-file FILE |\n"
	    "                  --pin-env VAR | --ask-pin] [--min-tries N]\n"
	    "                  [PATH...]\n"
	    "\n"
	    "Finds every CryptoPro key container under each PATH (a flash\n"
	    "drive, /var/opt/cprocsp/keys/USER, any folder, a .reg export or\n"
	    "a registry hive, pcsc: for every token, pcsc:READER for one) and\n"
	    "prints one row per container: FQCN, algorithm, key kind,\n"
	    "exportable, certificate and private key expiry, files present,\n"
	    "status. Tokens are read without a PIN where their files allow.\n"
	    "Without PATH it looks where cpkit-diag does: the CSP key folder\n"
	    "(/var/opt/cprocsp/keys/USER), /media, /run/media, /mnt, $HOME\n"
	    "and, when pcscd runs, the tokens; stderr says where it looked.\n"
	    "\n"
	    "  --json                a JSON array (schema %s)\n"
	    "  --csv                 comma-separated values with a header line,\n"
	    "                        exact, for programs\n"),
	    CPK_JSON_SCHEMA_LIST);
	fprintf(o, _("  --cert FILE|DIR       instead, for each certificate (DER, PEM,\n"
	    "                        PKCS#7, folders of them) the containers\n"
	    "                        that hold its key, by the fingerprint\n"
	    "                        (--json: schema %s); exit 1 when some\n"
	    "                        certificate has none\n"),
	    CPK_JSON_SCHEMA_CERTMATCH);
	fputs(_("  --csv-excel           the same columns for a spreadsheet: UTF-8\n"
	    "                        BOM, ';' and CR LF, names in display\n"
	    "                        form, a ' before a cell that would be a\n"
	    "                        formula\n"
	    "  --sort BY             status (worst first), expiry (nearest\n"
	    "                        first) or name; ties by name, location\n"), o);
	fputs(_(CLI_NO_TOKENS_HELP), o);
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

static int
sort_by(const char *s)
{
	if (strcmp(s, "status") == 0)
		return CPK_SORT_STATUS;
	if (strcmp(s, "expiry") == 0)
		return CPK_SORT_EXPIRY;
	if (strcmp(s, "name") == 0)
		return CPK_SORT_NAME;
	cli_error(_("--sort %s: use status, expiry or name; see --help"), s);
	return -1;
}

enum list_fmt { TEXT, JSON, CSV, EXCEL };

static const char *
fmt_name(enum list_fmt f)
{
	return f == JSON ? "--json" : f == CSV ? "--csv" : "--csv-excel";
}

/* Streaming (--json, --csv, --csv-excel without --sort): each row as
 * soon as its container is checked; only the count and the verdict are
 * kept (issue 19 part 4). */
struct stream {
	enum cpk_list_fmt f;
	size_t		 n;
	int		 notok;
};

static cpk_err
stream_row(void *arg, cpk_scan_item *it)
{
	struct stream *st = arg;

	cpk_render_list_row(stdout, st->f, &it->summary, st->n++);
	if (strcmp(it->summary.status, "ok") != 0)
		st->notok = 1;
	return ferror(stdout) ? CPK_E_IO : CPK_OK;
}

/* A PATH that is not there is refused before the first row, as the
 * sorted path refuses it before any output; pcsc: and registry: are
 * addresses, not paths. */
static int
paths_exist(int n, char *const *v)
{
	struct stat st;

	for (int i = 0; i < n; i++)
		if (strncmp(v[i], "pcsc:", 5) != 0 &&
		    strncasecmp(v[i], "registry:", 9) != 0 &&
		    lstat(v[i], &st) != 0)
			return cli_path_error(v[i], CPK_E_NOT_FOUND);
	return CPK_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'c' },
		{ "csv-excel", no_argument, NULL, 'x' },
		{ "sort", required_argument, NULL, 's' },
		CLI_DISCOVER_OPTIONS,
		{ "cert", required_argument, NULL, 'C' },
		CLI_PIN_OPTIONS,
		CLI_CONTAINER_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum list_fmt fmt = TEXT;
	int sort = -1, tokens = 1;
	cpk_places places;
	cpk_scan scan;
	const cpk_summary **rows = NULL;
	cli_pin pin;
	cpk_cert_list certs = { NULL, 0, NULL };
	const char *cert_path = NULL, *want = NULL;
	int ch, quiet = 0, verbose = 0, code = CPK_EXIT_OK, pcode;
	struct stream st = { CPK_LIST_JSON, 0, 0 }, *stream = NULL;
	cpk_err r;

	cli_init("cpkit-list", 0);
	cli_pin_init(&pin);
	memset(&scan, 0, sizeof(scan));
	while ((ch = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
		case 'c':
		case 'x':
			if (fmt != TEXT)
				cli_usage_error(_("%s and %s cannot be used "
				    "together"), fmt_name(fmt), fmt_name(ch ==
				    'j' ? JSON : ch == 'c' ? CSV : EXCEL));
			fmt = ch == 'j' ? JSON : ch == 'c' ? CSV : EXCEL;
			break;
		case 's':
			if ((sort = sort_by(optarg)) < 0)
				return CPK_EXIT_USAGE;	/* said why */
			break;
		case CLI_OPT_NO_TOKENS:
			tokens = 0;
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
	if (cert_path != NULL && (fmt == CSV || fmt == EXCEL))
		cli_usage_error(_("%s and %s cannot be used together"),
		    "--cert", fmt_name(fmt));
	if (!tokens && cli_paths_have_token(argc - optind, argv + optind))
		return CPK_EXIT_USAGE;	/* said why; nothing read yet */
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
	if (fmt != TEXT && sort < 0 && cert_path == NULL && want == NULL) {
		st.f = fmt == JSON ? CPK_LIST_JSON : fmt == CSV ? CPK_LIST_CSV :
		    CPK_LIST_CSV_EXCEL;
		stream = &st;
		if ((code = paths_exist(argc - optind, argv + optind)) !=
		    CPK_EXIT_OK)
			goto out;
		cpk_render_list_head(stdout, st.f);
	}
	if (optind == argc) {
		if (cpk_discover_stream(&scan, cpk_now(), tokens, &pin.mo,
		    &places, stream ? stream_row : NULL, stream) != CPK_OK) {
			cli_error("%s", cpk_err_text(CPK_E_NOMEM));
			code = CPK_EXIT_ENV;
			goto out;
		}
		if ((pcode = cli_pin_report(&pin)) > code)
			code = pcode;
		if (!quiet)
			cli_places_report(&places);
	}
	for (int i = optind; i < argc; i++) {
		if ((r = stream != NULL ? cpk_scan_stream(&scan, argv[i],
		    cpk_now(), &pin.mo, stream_row, stream) :
		    cpk_scan_add_opts(&scan, argv[i], cpk_now(),
		    &pin.mo)) != CPK_OK) {
			code = cli_path_error(argv[i], r);
			cli_token_where(argv[i], &pin.mo.where);
			goto out;
		}
		if ((pcode = cli_pin_report(&pin)) > code)
			code = pcode;
	}
	for (size_t i = 0; !quiet && i < scan.nwarn; i++)
		cli_error(_("warning: %s"), cli_disp(scan.warn[i]));
	if (stream != NULL) {
		cpk_render_list_tail(stdout, st.f, st.n);
		if (st.notok && code < CPK_EXIT_FINDINGS)
			code = CPK_EXIT_FINDINGS;
		goto found;
	}
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
	if (sort >= 0 && cpk_sort_rows(rows, scan.n, (enum cpk_sort)sort) !=
	    CPK_OK) {
		code = CPK_EXIT_ENV;
		goto out;
	}
	if (fmt == JSON)
		cpk_render_list_json(stdout, rows, scan.n);
	else if (fmt == CSV)
		cpk_render_list_csv(stdout, rows, scan.n);
	else if (fmt == EXCEL)
		cpk_render_list_csv_excel(stdout, rows, scan.n);
	else
		cpk_render_list_text(stdout, rows, scan.n);
found:
	/* what cpkit left on the media: after the table, or on stderr when
	 * stdout is for programs */
	if (scan.found.n > 0 && fmt == TEXT)
		fputs("\n", stdout);
	cpk_render_found_text(fmt == TEXT ? stdout : stderr, &scan.found);
	if (cpk_findings_worst(&scan.found) != CPK_SEV_INFO &&
	    code < CPK_EXIT_FINDINGS)
		code = CPK_EXIT_FINDINGS;
	if (scan.n == 0 && (stream == NULL || st.n == 0)) {
		/* a finding, as in every checking tool */
		cli_error(_("no key containers found"));
		if (code < CPK_EXIT_FINDINGS)
			code = CPK_EXIT_FINDINGS;
	}
out:
	cli_pin_wipe(&pin);
	cpk_certs_clear(&certs);
	free(rows);
	cpk_scan_clear(&scan);
	return code;
}
