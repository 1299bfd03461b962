/* cpkit-diag: everything a colleague needs about the containers on this
 * machine or these media, in one zip bundle (or JSON lines for audits). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "cli.h"
#include "diag.h"
#include "diag_merge.h"

static _Noreturn void
usage(int code)
{
	FILE *o = code == 0 ? stdout : stderr;

	if (code != CPK_EXIT_OK)
		cli_usage_hint();	/* one line, not the whole text */
	fprintf(o, _("usage: cpkit-diag [-o BUNDLE.zip] [--jsonl] [--redact]\n"
	    "                  [--redact-key-file F]\n"
	    "                  [--include-containers] [--fail-on LIST] [-q]\n"
	    "                  [--password-file F | --password-env VAR |\n"
	    "                   --empty-password | --ask] [PATH...]\n"
	    "\n"
	    "Collects every container with the checks of cpkit-test, the\n"
	    "certificates, file sizes and SHA-256 sums, and the system facts\n"
	    "into one zip: report.html (open it in a browser), report.json\n"
	    "(schema %s), report.txt, certs/*.cer and a\n"
	    "manifest. Without PATH it looks in /media, /run/media, /mnt,\n"
	    "/var/opt/cprocsp/keys, $HOME and, when pcscd runs, the tokens\n"
	    "(read without a PIN; pcsc: as a PATH does the same). The facts\n"
	    "list every reader, its token's model, ATR, serial and the PINs'\n"
	    "tries left, read without spending one. No password, PIN or key enters\n"
	    "the bundle; the secret container files only with\n"
	    "--include-containers.\n"
	    "\n"
	    "  -o FILE               the bundle (default cpkit-diag-DATE.zip)\n"
	    "  --jsonl               one JSON object per container on stdout\n"
	    "                        (no bundle unless -o is given)\n"
	    "  --redact              keyed placeholders for every name,\n"
	    "                        location, SID, serial and certificate\n"
	    "                        field; no certificate files\n"
	    "  --redact-key-file F   the placeholders' key, from F's first\n"
	    "                        line (the same on every host of an\n"
	    "                        audit); without it a random key, never\n"
	    "                        stored\n"
	    "  --fail-on LIST        exit 1 only for these: expired,\n"
	    "                        expiring:30d, damaged, any (default)\n"
	    "\n"
	    "Exit status: 0 nothing to report, 1 problems (per --fail-on),\n"
	    "2 usage, 3 environment (the bundle cannot be written).\n"),
	    CPK_JSON_SCHEMA_DIAG);
	fputs(_(CLI_PWLIST_HELP), o);
	fputs(_("  --admin-tries         read the admin PIN's tries too (an empty\n"
	    "                        VERIFY; without it only the user PIN's)\n"),
	    o);
	fputs(_("  --fail-on locked      exit 1 too for containers the password\n"
	    "                        (or list) given does not unlock\n"), o);
	fputs(_(CLI_NO_TOKENS_HELP), o);
	fputs(_(CLI_PROGRESS_HELP), o);
	fputs(_("\n"
	    "       cpkit-diag --merge [-o FLEET.zip] [-q] DIR...\n"
	    "  --merge               one fleet report from the results of\n"
	    "                        many hosts' --jsonl runs (the Ansible\n"
	    "                        role's results/ folder, or one host's\n"
	    "                        folder): report.html, fleet.json\n"
	    "                        (schema cpkit.fleet/1), report.txt;\n"
	    "                        exit 1 when a host was not audited or\n"
	    "                        has problems\n"), o);
	exit(code);
}

struct fail_on {
	int	 any, expired, damaged, locked;
	long	 expiring_days;
};

static int
parse_fail_on(const char *s, struct fail_on *f)
{
	char buf[256], *tok, *save = NULL;
	uint32_t d;

	memset(f, 0, sizeof(*f));
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",",
	    &save)) {
		if (strcmp(tok, "any") == 0)
			f->any = 1;
		else if (strcmp(tok, "expired") == 0)
			f->expired = 1;
		else if (strcmp(tok, "damaged") == 0)
			f->damaged = 1;
		else if (strcmp(tok, "locked") == 0)
			f->locked = 1;
		else if (strncmp(tok, "expiring:", 9) == 0 &&
		    strlen(tok) > 10 && tok[strlen(tok) - 1] == 'd') {
			tok[strlen(tok) - 1] = '\0';
			if (cli_parse_u32(tok + 9, 1, 36500, &d) != CPK_OK)
				return -1;
			f->expiring_days = (long)d;	/* up to 36500 */
		} else
			return -1;
	}
	return 0;
}

/* One container against --fail-on. */
static int
fails_item(const cpk_summary *m, const struct fail_on *f, time_t now)
{
	time_t until = m->key_usage_end;

	if (m->has_cert && (until == 0 || m->cert->not_after < until))
		until = m->cert->not_after;
	if (f->any && cpk_findings_worst(&m->findings) > CPK_SEV_INFO)
		return 1;
	/* damaged takes incomplete too: both rank above locked */
	if (f->damaged && cpk_status_rank(m->status) >
	    cpk_status_rank("locked"))
		return 1;
	if (f->locked && strcmp(m->status, "locked") == 0)
		return 1;
	if (f->expired && until != 0 && until < now)
		return 1;
	if (f->expiring_days && until != 0 &&
	    until < now + f->expiring_days * 86400)
		return 1;
	return 0;
}

static int
fails(const cpk_scan *s, const struct fail_on *f, time_t now)
{
	/* an incomplete search fails whatever --fail-on asks: what it
	 * did not reach may be expired or damaged */
	if (cpk_findings_has(&s->found, "scan-incomplete") ||
	    (f->any && cpk_findings_worst(&s->found) > CPK_SEV_INFO))
		return 1;
	for (size_t i = 0; i < s->n; i++)
		if (fails_item(&s->v[i].summary, f, now))
			return 1;
	return 0;
}

/* --progress: the containers checked of those listed, then, with
 * passwords, those tried; the library calls one at a time, and its
 * last call for each path is the total, shown at once. */
static void
scan_progress(void *arg, size_t done, size_t total)
{
	cli_progress_show(arg, done >= total, P_("%zu of %zu container "
	    "checked   ", "%zu of %zu containers checked   ", total), done,
	    total);
}

static void
password_progress(void *arg, size_t done, size_t total)
{
	cli_progress_show(arg, done >= total, P_("passwords tried on %zu "
	    "of %zu container   ", "passwords tried on %zu of %zu "
	    "containers   ", total), done, total);
}

/* --jsonl without a bundle streams (issue 19 part 4): each container's
 * line as soon as it is checked; only the count and the verdict are
 * kept. */
struct stream {
	const cpk_diag_opts	*o;
	const struct fail_on	*fo;
	time_t			 now;
	size_t			 n;
	int			 fails;
};

static cpk_err
stream_line(void *arg, cpk_scan_item *it)
{
	struct stream *st = arg;
	cpk_scan one;
	cpk_err r;

	memset(&one, 0, sizeof(one));
	one.v = it;
	one.n = 1;
	/* the container's line as cpk_diag_jsonl writes a scan's: the
	 * passwords tried, the redaction, the sums */
	if ((r = cpk_diag_jsonl(stdout, &one, st->o)) != CPK_OK)
		return r;
	st->n++;
	if (fails_item(&it->summary, st->fo, st->now))
		st->fails = 1;
	return ferror(stdout) ? CPK_E_IO : CPK_OK;
}

/* The redaction key: F's first line, read like a password file (a
 * warning when others can read it); at least 16 bytes. */
#define KEY_MIN	16
static int
read_key(const char *path, char *buf, size_t cap, size_t *len)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		cli_error(_("%s: cannot open the redaction key file: %s"),
		    path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && (st.st_mode & 077) != 0)
		cli_error(_("warning: %s is readable by other users"), path);
	while (got < cap - 1 && (n = read(fd, buf + got, cap - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';	/* the first line only */
	if ((*len = strlen(buf)) < KEY_MIN) {
		cli_error(_("%s: the redaction key must be at least %d "
		    "characters on its first line (for example: openssl rand "
		    "-hex 32 > FILE)"), path, KEY_MIN);
		return -1;
	}
	return 0;
}

/* cpkit-diag --jsonl without -o: the host line, then each container's
 * line as it is checked. Returns the exit status. */
static int
jsonl_stream(int n, char *const *paths, int tokens, int admin_tries,
    int quiet, const cpk_diag_opts *o, const struct fail_on *fo, time_t now)
{
	struct stream st = { o, fo, now, 0, 0 };
	struct stat sb;
	cpk_searched *sv = NULL;
	cpk_places places;
	cpk_facts facts;
	cpk_scan scan;
	size_t ns;
	int code = CPK_EXIT_OK;
	cpk_err r;

	memset(&scan, 0, sizeof(scan));
	/* a PATH that is not there is refused before any line */
	for (int i = 0; i < n; i++)
		if (strncmp(paths[i], "pcsc:", 5) != 0 &&
		    strncasecmp(paths[i], "registry:", 9) != 0 &&
		    lstat(paths[i], &sb) != 0)
			return cli_path_error(paths[i], CPK_E_NO_PATH);
	cpk_facts_collect(&facts, admin_tries, tokens);
	/* the places the search will try, said present when they exist */
	if (n == 0)
		cpk_discover_places(&places, tokens);
	ns = n == 0 ? places.n : (size_t)n;
	if ((sv = calloc(ns + 1, sizeof(*sv))) == NULL) {
		cli_error("%s", cpk_err_text(CPK_E_NOMEM));
		return CPK_EXIT_ENV;
	}
	for (size_t i = 0; i < ns; i++) {
		sv[i].path = n == 0 ? places.v[i].path : paths[i];
		sv[i].present = n != 0 || strncmp(sv[i].path, "pcsc:", 5) ==
		    0 || strncasecmp(sv[i].path, "registry:", 9) == 0 ||
		    stat(sv[i].path, &sb) == 0;
	}
	if (cpk_diag_host_line(stdout, &facts, sv, ns, o, now) != CPK_OK) {
		code = CPK_EXIT_ENV;
		goto out;
	}
	if (n == 0) {
		if (cpk_discover_stream(&scan, now, tokens, NULL, &places,
		    stream_line, &st) != CPK_OK) {
			cli_error("%s", cpk_err_text(CPK_E_NOMEM));
			code = CPK_EXIT_ENV;
			goto out;
		}
		if (!quiet)
			cli_places_report(&places);
	}
	for (int i = 0; i < n; i++)
		if ((r = cpk_scan_stream(&scan, paths[i], now, NULL,
		    stream_line, &st)) != CPK_OK) {
			code = r == CPK_E_IO ? CPK_EXIT_ENV :
			    cli_path_error(paths[i], r);
			goto out;
		}
	for (size_t i = 0; !quiet && i < scan.nwarn; i++)
		cli_error(_("warning: %s"), cli_disp(scan.warn[i]));
	if (!quiet)
		cpk_render_found_text(stderr, &scan.found);
	if (st.fails || fails(&scan, fo, now))
		code = CPK_EXIT_FINDINGS;
	if (st.n == 0) {
		cli_error(_("no key containers found"));
		if (code < CPK_EXIT_FINDINGS)
			code = CPK_EXIT_FINDINGS;
	}
out:
	free(sv);
	cpk_scan_clear(&scan);
	return code;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "jsonl", no_argument, NULL, 'j' },
		{ "redact", no_argument, NULL, 'r' },
		{ "redact-key-file", required_argument, NULL, 'K' },
		{ "include-containers", no_argument, NULL, 'I' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "admin-tries", no_argument, NULL, 'A' },
		{ "merge", no_argument, NULL, 'M' },
		CLI_DISCOVER_OPTIONS,
		CLI_PROGRESS_OPTIONS,
		CLI_SECRET_OPTIONS,
		CLI_PWLIST_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char out[PATH_MAX], key[CPK_SECRET_MAX];
	cli_pwlist pw;
	cpk_secret_src src = { NULL, NULL, 0, 0, NULL };
	cpk_diag_opts o = { 0, 0, NULL, 0, NULL, 0, 0, NULL, NULL };
	cli_progress bar;
	cpk_places places;
	struct fail_on fo = { 1, 0, 0, 0, 0 };
	const char *out_arg = NULL, *key_file = NULL;
	cpk_scan scan;
	cpk_facts facts;
	cpk_searched *sv = NULL;
	cpk_diag d;
	time_t now = cpk_now();
	int ch, jsonl = 0, quiet = 0, admin_tries = 0, verbose = 0, code = CPK_EXIT_OK, have_pw;
	int tokens = 1, pmode = CLI_PROGRESS_AUTO, merge = 0;
	cpk_err r;

	cli_init("cpkit-diag", 0);
	memset(&scan, 0, sizeof(scan));
	memset(&d, 0, sizeof(d));
	memset(&pw, 0, sizeof(pw));
	key[0] = '\0';
	while ((ch = getopt_long(argc, argv, "ho:qv", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': out_arg = optarg; break;
		case 'j': jsonl = 1; break;
		case 'r': o.redact = 1; break;
		case 'K': key_file = optarg; o.redact = 1; break;
		case 'I': o.include_containers = 1; break;
		case 'A': admin_tries = 1; break;
		case 'M': merge = 1; break;
		case CLI_OPT_NO_TOKENS: tokens = 0; break;
		case CLI_OPT_PROGRESS:
			if (cli_progress_mode(optarg, &pmode) != 0)
				usage(CPK_EXIT_USAGE);
			break;
		case 'F':
			if (parse_fail_on(optarg, &fo) != 0) {
				cli_usage_error(_("--fail-on %s: use expired, "
				    "expiring:NNd, damaged, locked, any"),
				    cli_disp(optarg));
			}
			break;
		CLI_SECRET_CASES: cli_secret_opt(ch, optarg, &src); break;
		case 'q': quiet = 1; pmode = CLI_PROGRESS_NEVER; break;
		case 'v': cli_set_verbose(++verbose); break;
		case 'h': usage(CPK_EXIT_OK);
		default: usage(CPK_EXIT_USAGE);
		}
	}
	/* a fleet report reads results folders, scans nothing */
	if (merge) {
		if (jsonl || o.redact || o.include_containers)
			cli_usage_error(_("--merge reads the results of "
			    "cpkit-diag --jsonl runs: --jsonl, --redact and "
			    "--include-containers belong to those runs"));
		return diag_merge(argc - optind, argv + optind, out_arg,
		    quiet, now);
	}
	cli_secret_one(&src, "");
	if (o.redact && o.include_containers)
		cli_usage_error(_("--redact and --include-containers: the "
		    "container files hold the names and certificates that "
		    "--redact removes"));
	if (cli_passwords(&src, &pw, &have_pw) != CPK_OK)
		return CPK_EXIT_USAGE;
	/* one key for the run, so that --jsonl and the bundle agree: the
	 * fleet's, or a random one that goes with the process */
	if (key_file != NULL) {
		if (read_key(key_file, key, sizeof(key),
		    &o.redact_key_len) != 0) {
			code = CPK_EXIT_USAGE;
			goto done;
		}
	} else if (o.redact) {
		if (RAND_bytes((unsigned char *)key, 32) != 1) {
			cli_error("%s", cpk_err_text(CPK_E_CRYPTO));
			code = CPK_EXIT_ENV;
			goto done;
		}
		o.redact_key_len = 32;
	}
	if (o.redact)
		o.redact_key = (const unsigned char *)key;
	o.passwords = pw.v;
	o.npasswords = have_pw ? pw.n : 0;
	if (!tokens && cli_paths_have_token(argc - optind, argv + optind)) {
		code = CPK_EXIT_USAGE;
		goto done;
	}
	o.bundle = !jsonl || out_arg != NULL;
	cli_progress_init(&bar, pmode);
	scan.progress = scan_progress;
	scan.progress_arg = &bar;
	places.n = 0;
	if (jsonl && out_arg == NULL) {
		code = jsonl_stream(argc - optind, argv + optind, tokens,
		    admin_tries, quiet, &o, &fo, now);
		goto done;
	}
	if (optind == argc) {
		if (cpk_discover(&scan, now, tokens, NULL, &places) !=
		    CPK_OK) {
			cli_progress_end(&bar);
			cli_error("%s", cpk_err_text(CPK_E_NOMEM));
			code = CPK_EXIT_ENV;
			goto done;
		}
	}
	for (int i = optind; i < argc; i++)
		if ((r = cpk_scan_add(&scan, argv[i], now)) != CPK_OK) {
			cli_progress_end(&bar);
			code = cli_path_error(argv[i], r);
			goto done;
		}
	cli_progress_end(&bar);
	if (!quiet && optind == argc)
		cli_places_report(&places);
	for (size_t i = 0; !quiet && i < scan.nwarn; i++)
		cli_error(_("warning: %s"), cli_disp(scan.warn[i]));
	/* what cpkit left on the media (backup-copy, staging-leftover) */
	if (!quiet)
		cpk_render_found_text(stderr, &scan.found);
	/* the password checks of --jsonl or the bundle, once */
	if (o.npasswords > 0) {
		cli_progress_init(&bar, pmode);
		o.progress = password_progress;
		o.progress_arg = &bar;
	}
	cpk_facts_collect(&facts, admin_tries, tokens);
	facts.searched = places;
	if (jsonl) {
		/* the host's facts first (schema cpkit.host/1): the places
		 * searched, or the PATHs, all of which were found */
		size_t ns = optind == argc ? places.n : (size_t)(argc - optind);

		if ((sv = calloc(ns + 1, sizeof(*sv))) == NULL) {
			cli_progress_end(&bar);
			cli_error("%s", cpk_err_text(CPK_E_NOMEM));
			code = CPK_EXIT_ENV;
			goto done;
		}
		for (size_t i = 0; i < ns; i++) {
			sv[i].path = optind == argc ? places.v[i].path :
			    argv[optind + (int)i];
			sv[i].present = optind == argc ?
			    places.v[i].err != CPK_E_NOT_FOUND &&
			    places.v[i].err != CPK_E_NO_PATH : 1;
		}
		if ((r = cpk_diag_host_line(stdout, &facts, sv, ns, &o,
		    now)) == CPK_OK)
			r = cpk_diag_jsonl(stdout, &scan, &o);
		cli_progress_end(&bar);
		o.progress = NULL;	/* the bundle's pass tries none again */
		if (r != CPK_OK) {
			code = CPK_EXIT_ENV;
			goto done;
		}
		if (out_arg == NULL)
			goto verdict;
	}
	r = cpk_diag_build(&scan, &facts, &o, now, &d);
	cli_progress_end(&bar);
	if (r != CPK_OK) {
		cli_error("%s", cpk_err_text(r));
		code = CPK_EXIT_ENV;
		goto done;
	}
	if (out_arg != NULL)
		snprintf(out, sizeof(out), "%s", out_arg);
	else
		strftime(out, sizeof(out), "cpkit-diag-%Y%m%d-%H%M%S.zip",
		    localtime(&now));
	if ((r = cpk_diag_zip(&d, out)) != CPK_OK) {
		cli_error("%s: %s", out, r == CPK_E_EXISTS ?
		    _("already exists") : r == CPK_E_IO ?
		    _("cannot be written") : cpk_err_text(r));
		code = r == CPK_E_EXISTS ? CPK_EXIT_USAGE : CPK_EXIT_ENV;
		goto done;
	}
	if (!jsonl) {
		printf(P_("%zu container, ", "%zu containers, ",
		    d.containers), d.containers);
		printf(P_("%zu problem. ", "%zu problems. ", d.problems),
		    d.problems);
		if (d.by_status[2] > 0)	/* sound, but not unlocked */
			printf(P_("%zu locked. ", "%zu locked. ",
			    d.by_status[2]), d.by_status[2]);
		cli_out(stdout, _("Bundle: %s\n"), cli_disp(out));
		for (size_t i = 0; i < 3 && d.urgent[i] != NULL; i++)
			cli_out(stdout, "  %zu. %s\n", i + 1,
			    cli_disp(d.urgent[i]));
	}
verdict:
	if (fails(&scan, &fo, now))
		code = CPK_EXIT_FINDINGS;
	/* nothing found is a finding in every checking tool (STYLE.md
	 * §11); the bundle of the machine's facts is written all the same,
	 * for whoever asks why there is nothing */
	if (scan.n == 0) {
		cli_error(_("no key containers found"));
		if (code < CPK_EXIT_FINDINGS)
			code = CPK_EXIT_FINDINGS;
	}
done:
	free(sv);
	cli_pwlist_wipe(&pw);
	OPENSSL_cleanse(key, sizeof(key));
	cpk_diag_clear(&d);
	cpk_scan_clear(&scan);
	return code;
}
