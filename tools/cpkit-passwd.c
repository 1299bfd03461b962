/* cpkit-passwd change: a container re-encrypted under a new password, with
 * a fresh mask and salt for each copy, into a new folder. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "diag.h"
#include "passwd.h"
#include "recovery.h"

static _Noreturn void
usage(int code)
{
	FILE *o = code == 0 ? stdout : stderr;

	if (code != CPK_EXIT_OK)
		cli_usage_hint();	/* one line, not the whole text */
	fputs(_("usage: cpkit-passwd recover CONTAINER [--defaults]\n"
	    "           [--wordlist FILE|-] [--mask MASK] [--charset1..4 SET]\n"
	    "           [--min-len N] [--max-len N] [--threads N]\n"
	    "           [--state FILE] [--save-every SECONDS]\n"
	    "           [--output FILE [--force]] [--part K/N]\n"
	    "           [--count [--json]]\n"
	    "       cpkit-passwd recover --restore STATE [--threads N]\n"
	    "           [--output FILE [--force]]\n"
	    "       cpkit-passwd change CONTAINER --out DIR\n"
	    "           [--password-file OLD | --password-env VAR |\n"
	    "            --empty-password | --ask]\n"
	    "           [--new-password-file NEW | --new-password-env VAR |\n"
	    "            --new-empty-password | --ask]\n"
	    "\n"
	    "recover: finds a forgotten password among the factory PINs and\n"
	    "common defaults, a word list (one per line, '-' for stdin) and\n"
	    "masks (?d ?l ?u ?s ?a, ?1-?4 custom sets, literal characters;\n"
	    "with a word list every word gets every mask as a suffix), on all\n"
	    "cores. The state (--state; by default one file per container and\n"
	    "part in this folder, named cpkit-recover-NAME-HASH[-part-K-of-N]\n"
	    ".state) is saved every minute (--save-every) and on Ctrl-C;\n"
	    "--restore continues from it. The password is shown only on a terminal, or written\n"
	    "to a new 0600 file with --output (--force replaces one); where\n"
	    "it goes is checked before the search starts, and the state is\n"
	    "kept until the password is safely written.\n"
	    "\n"
	    "change: writes the container to DIR (a new folder) under a new password\n"
	    "- or with none: --new-empty-password. Both copies get a fresh\n"
	    "mask and salt; the certificate, name and everything else stay.\n"
	    "The original is left untouched. Passwords never come from the\n"
	    "command line; --ask prompts for the old one and, twice, the new.\n"
	    "\n"
	    "Exit status: 0 found / written and proven, 1 recover stopped\n"
	    "(state saved), 2 usage, 3 environment, 4 not found / the old\n"
	    "password does not unlock the container.\n"), o);
	/* TRANSLATORS: cpkit-passwd change's option for the old password */
	fputs(_("  --password-list FILE  change: old passwords to try, one a line,\n"
	    "                        in order (the output names the line)\n"), o);
	fputs(_("  --part K/N            recover: only the K-th of N interleaved parts\n"
	    "                        of the candidates (1 <= K <= N <= 100000),\n"
	    "                        for N machines or jobs; a part resumes only\n"
	    "                        itself; its word list must be a regular file\n"
	    "  --count               recover: print the number of candidates (of\n"
	    "                        the part with --part) and exit: nothing is\n"
	    "                        derived, the container is not read; --json\n"
	    "                        gives it as one JSON object\n"
	    "  --wordlist FILE|-     a file, a pipe or FIFO such as <(...), or\n"
	    "                        stdin; a search over a pipe or stdin cannot\n"
	    "                        be resumed (no state is saved)\n"), o);
	fputs(_(CLI_PROGRESS_HELP), o);	/* recover's */
	fputs(_("\nchange --container NAME|FQCN: the one container of that "
	    "name among those CONTAINER holds (a .reg file, a hive, a "
	    "folder); a location as cpkit-list prints it names one as well.\n"),
	    o);
	exit(code);
}

/* The new password: from its source, or asked twice. */
static int
read_new(const cpk_secret_src *s, char *buf, size_t cap)
{
	char again[CPK_SECRET_MAX];
	int ok;

	if (cli_secret_read(s, _("New password: "), buf, cap) != CPK_OK)
		return 0;
	if (!s->ask)
		return 1;
	if (cli_secret_read(s, _("Repeat the new password: "), again,
	    sizeof(again)) != CPK_OK)
		return 0;
	ok = strcmp(buf, again) == 0;
	OPENSSL_cleanse(again, sizeof(again));
	if (!ok)
		cli_error(_("the two new passwords differ"));
	return ok;
}

static int
unlock_secondary(const cpk_container *c, const char *pw, cpk_key **k2)
{
	static const enum cpk_pwenc encs[] = { CPK_PW_UTF8, CPK_PW_UTF32LE,
	    CPK_PW_CP1251 };

	for (size_t e = 0; e < 3; e++)
		for (int copy = 0; copy < 2; copy++)
			if (cpk_key_unlock_secondary(c, copy, pw, encs[e], k2) ==
			    CPK_OK)
				return 1;
	return 0;
}

/* The new container unlocks with the new password to the same key. */
static int
prove(const cpk_files *f, const char *pw, const cpk_key *want)
{
	cpk_container *c = NULL;
	cpk_key *k[2] = { NULL, NULL };
	size_t l0, l1;
	int ok = 0;

	if (cpk_container_decode(f, &c) != CPK_OK)
		return 0;
	/* the writer puts every password into the KDF as UTF-32LE */
	for (int copy = 0; copy < 2; copy++) {
		const unsigned char *a, *b;
		if (copy == 1 && cpk_container_masks(c, 1) == NULL)
			break;
		ok = cpk_key_unlock(c, copy, pw, CPK_PW_UTF32LE, &k[copy]) ==
		    CPK_OK;
		if (!ok)
			break;
		a = cpk_key_scalar(k[copy], &l0);
		b = cpk_key_scalar(want, &l1);
		ok = l0 == l1 && CRYPTO_memcmp(a, b, l0) == 0;
		if (!ok)
			break;
	}
	cpk_key_free(&k[0]);
	cpk_key_free(&k[1]);
	cpk_container_free(&c);
	return ok;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "output", required_argument, NULL, 'o' },
		{ "password-file", required_argument, NULL, 'f' },
		{ "password-env", required_argument, NULL, 'e' },
		{ "empty-password", no_argument, NULL, 'E' },
		{ "password-list", required_argument, NULL, 'L' },
		{ "new-password-file", required_argument, NULL, 'F' },
		{ "new-password-env", required_argument, NULL, 'N' },
		{ "new-empty-password", no_argument, NULL, 'Z' },
		{ "ask", no_argument, NULL, 'a' },
		CLI_CONTAINER_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char old[CPK_SECRET_MAX], nw[CPK_SECRET_MAX];
	cpk_secret_src os = { NULL, NULL, 0, 0, NULL };
	cpk_secret_src ns = { NULL, NULL, 0, 0, NULL };
	const char *out = NULL, *want = NULL;
	cpk_scan scan;
	cpk_key *k = NULL, *k2 = NULL;
	cpk_files *f = NULL;
	int ch, verbose = 0, code = CPK_EXIT_DATA;
	cpk_err r;

	cli_init("cpkit-passwd", 0);
	memset(&scan, 0, sizeof(scan));
	old[0] = nw[0] = '\0';
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0))
		usage(CPK_EXIT_OK);
	if (argc >= 2 && strcmp(argv[1], "recover") == 0) {
		optind = 2;
		return passwd_recover(argc, argv);
	}
	if (argc < 2)
		cli_usage_error(_("%s is missing"), "change|recover");
	if (strcmp(argv[1], "change") != 0)
		cli_usage_error(_("unknown command '%s'"), cli_disp(argv[1]));
	optind = 2;
	while ((ch = getopt_long(argc, argv, "hvo:", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': out = optarg; break;
		case 'f': os.file = optarg; break;
		case 'e': os.env = optarg; break;
		case 'E': os.empty = 1; break;
		case 'L': os.list = optarg; break;
		case 'F': ns.file = optarg; break;
		case 'N': ns.env = optarg; break;
		case 'Z': ns.empty = 1; break;
		case 'a': os.ask = ns.ask = 1; break;
		case 'v': cli_set_verbose(++verbose); break;
		case CLI_OPT_CONTAINER: want = optarg; break;
		case 'h': usage(CPK_EXIT_OK);
		default: usage(CPK_EXIT_USAGE);
		}
	}
	if (os.ask && (os.file || os.env || os.empty || os.list))
		os.ask = 0;
	if (ns.ask && (ns.file || ns.env || ns.empty))
		ns.ask = 0;
	cli_secret_one(&os, "");
	cli_secret_one(&ns, "new-");
	if (cli_secret_count(&os) == 0)
		cli_usage_error(_("the current password is missing "
		    "(--password-file, --password-env, --empty-password, "
		    "--password-list or --ask)"));
	if (cli_secret_count(&ns) == 0)
		cli_usage_error(_("the new password is missing "
		    "(--new-password-file, --new-password-env, "
		    "--new-empty-password or --ask)"));
	if (out == NULL)
		cli_usage_error(_("%s is missing"), "--out DIR");
	cli_operands(argc, argv, optind, 1, "CONTAINER");
	if ((r = cpk_scan_add(&scan, argv[optind], cpk_now())) != CPK_OK) {
		code = cli_path_error(argv[optind], r);
		goto done;
	}
	if ((scan.n > 0 && (code = cli_container_pick(&scan, want)) !=
	    CPK_EXIT_OK) ||
	    (code = cli_container_one(&scan, argv[optind])) != CPK_EXIT_OK)
		goto done;
	if ((r = cli_password_for(&os, scan.v[0].c, _("Old password: "), old,
	    sizeof(old))) != CPK_OK || !read_new(&ns, nw, sizeof(nw))) {
		code = r == CPK_E_BAD_PASSWORD ? CPK_EXIT_DATA :
		    CPK_EXIT_USAGE;
		goto done;
	}
	code = CPK_EXIT_DATA;		/* until the new container is written */
	if ((r = cpk_container_unlock(scan.v[0].c, old, &k)) != CPK_OK) {
		cli_error(_("%s: the old password does not unlock the key"),
		    scan.v[0].ref.location);
		goto done;
	}
	if (cpk_header_params(cpk_container_header(scan.v[0].c), 1) != NULL &&
	    !unlock_secondary(scan.v[0].c, old, &k2)) {
		cli_error(_("%s: the secondary key does not unlock"),
		    scan.v[0].ref.location);
		goto done;
	}
	if ((r = cpk_container_rekey(scan.v[0].c, k, k2, nw, &f)) != CPK_OK) {
		cli_error("%s", cpk_err_text(r));
		code = CPK_EXIT_ENV;
		goto done;
	}
	if (!prove(f, nw, k)) {
		cli_error(_("internal error: the re-encrypted container does "
		    "not unlock; nothing written"));
		code = CPK_EXIT_ENV;
		goto done;
	}
	if ((r = cpk_dir_write_new(out, f)) != CPK_OK) {
		cli_error("%s: %s", out, cpk_err_text(r));
		code = r == CPK_E_EXISTS || cpk_err_class(r) ==
		    CPK_ERRCLASS_USAGE ? CPK_EXIT_USAGE : CPK_EXIT_ENV;
		goto done;
	}
	cli_out(stdout, nw[0] ? _("%s: %s written under the new password; the "
	    "original is unchanged\n") : _("%s: %s written without a "
	    "password; the original is unchanged\n"), cli_disp(out),
	    cli_disp(scan.v[0].ref.fqcn));
	code = CPK_EXIT_OK;
done:
	cli_secret_wipe(old, sizeof(old));
	cli_secret_wipe(nw, sizeof(nw));
	cpk_key_free(&k);
	cpk_key_free(&k2);
	cpk_files_free(&f);
	cpk_scan_clear(&scan);
	return code;
}
