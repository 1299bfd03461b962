/* cpkit-passwd recover: finding a forgotten container password from the
 * factory defaults, a word list and masks, on all cores, resumable, and
 * split over machines (--part K/N). The state file (passwd_state.c) holds
 * the options and the resume index, never a candidate. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "passwd.h"
#include "passwd_recover.h"
#include "recovery.h"

static volatile int stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
duration(double s, char *buf, size_t cap)
{
	if (s < 120)
		snprintf(buf, cap, _("%.0fs"), s);
	else if (s < 7200)
		snprintf(buf, cap, _("%.0fm"), s / 60);
	else if (s < 172800)
		snprintf(buf, cap, _("%.1fh"), s / 3600);
	else
		snprintf(buf, cap, _("%.1f days"), s / 86400);
}

struct progress {
	const struct ropts *o;
	double	 saved;		/* CLOCK_MONOTONIC, s */
	int	 warned;
	cli_progress bar;
};

/* The state is also saved every --save-every seconds (a minute by
 * default) while the search runs, so a power cut or kill -9 loses at most
 * that much of it (SIGINT and SIGTERM save it at once on the way out). */

static void
progress(uint64_t done, uint64_t resume, uint64_t total, double rate,
    void *arg)
{
	struct progress *p = arg;
	double t = cpk_mono(), eta;
	char e[32];

	if (p->bar.bar || p->bar.lines) {
		eta = rate > 0 ? (double)(total - done) / rate : 0;
		duration(eta, e, sizeof(e));
		cli_progress_show(&p->bar, done >= total,
		    _("  %llu/%llu  %5.1f%%  %.1f/s  ETA %s   "),
		    (unsigned long long)done, (unsigned long long)total,
		    100.0 * (double)done / (double)total, rate, e);
	}
	if (p->o->resumable && p->o->state[0] != '\0' &&
	    t - p->saved >= (double)p->o->save_every && resume > p->o->start) {
		if (recover_state_save(p->o, resume) != 0 && !p->warned++)
			cli_error(_("%s: cannot save the search state"),
			    p->o->state);
		p->saved = t;
	}
}

/* res->proof is an English word for programs ("password MAC" or
 * "fingerprint"); people read it in "proven by the %s". */
static const char *
proof_text(const char *proof)
{
	/* TRANSLATORS: fills "proven by the %s and a full unlock" */
	return strcmp(proof, "fingerprint") == 0 ? C_("proof", "fingerprint") :
	    C_("proof", "password MAC");
}

/* Where the found password will go, checked before the search starts:
 * a search of hours must not end with nowhere to put its result. A
 * terminal, or an --output that is new (or --force), not the state file,
 * in a folder where a file can be created: the probe makes and removes
 * the same "<output>.XXXXXX" temp name the atomic writer will use. */
static int
check_output(const struct ropts *o)
{
	struct stat st, st2;
	char probe[4096];
	int fd;

	if (o->output == NULL) {
		if (isatty(STDOUT_FILENO))
			return CPK_EXIT_OK;
		cli_error(_("standard output is not a terminal: a found "
		    "password would have nowhere to go; give --output FILE "
		    "(a new 0600 file)"));
		return CPK_EXIT_USAGE;
	}
	if (lstat(o->output, &st) == 0) {
		if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
			cli_error(_("%s: not a regular file"), o->output);
			return CPK_EXIT_USAGE;
		}
		if (!o->force) {
			cli_error(_("%s: already exists; give a new --output "
			    "file, or --force to replace it"), o->output);
			return CPK_EXIT_USAGE;
		}
		if (strcmp(o->output, o->state) == 0 || (stat(o->state,
		    &st2) == 0 && st2.st_dev == st.st_dev &&
		    st2.st_ino == st.st_ino)) {
			cli_error(_("%s: the --output file cannot be the "
			    "state file"), o->output);
			return CPK_EXIT_USAGE;
		}
	} else if (strcmp(o->output, o->state) == 0) {
		cli_error(_("%s: the --output file cannot be the state file"),
		    o->output);
		return CPK_EXIT_USAGE;
	}
	if (snprintf(probe, sizeof(probe), "%s.XXXXXX", o->output) >=
	    (int)sizeof(probe) || (fd = mkstemp(probe)) < 0) {
		cli_error(_("%s: a file cannot be created there (%s)"),
		    o->output, strerror(errno));
		return CPK_EXIT_USAGE;
	}
	close(fd);
	unlink(probe);
	return CPK_EXIT_OK;
}

/* 0 once the password is safely stored (a synced 0600 file renamed into
 * place) or shown on the terminal; -1 when it could not be. */
static int
report_found(const cpk_recover_result *res, const struct ropts *o)
{
	struct stat st;
	cpk_blob b;
	cpk_err r;

	if (o->output == NULL) {
		if (!isatty(STDOUT_FILENO))
			return -1;	/* check_output() refused this */
		printf(_("Password found: %s\n  (entered the key derivation "
		    "as %s; proven by the %s and a full unlock)\n"),
		    res->password, cpk_pwenc_name(res->enc),
		    proof_text(res->proof));
		return 0;
	}
	/* the check was before the search: a file that appeared since is
	 * someone else's, and is not replaced without --force */
	if (!o->force && lstat(o->output, &st) == 0) {
		cli_error(_("%s: appeared during the search; not replaced"),
		    o->output);
		return -1;
	}
	b.ptr = (unsigned char *)(uintptr_t)res->password;
	b.len = b.cap = strlen(res->password);
	if ((r = cpk_file_write_atomic(o->output, &b, 0600)) != CPK_OK) {
		cli_error(_("%s: cannot write: %s"), o->output,
		    cpk_err_text(r));
		return -1;
	}
	cli_out(stdout, _("Password found (%s, proven by the %s and a full "
	    "unlock): written to %s\n"), cpk_pwenc_name(res->enc),
	    proof_text(res->proof), cli_disp(o->output));
	return 0;
}

/* The password was found but could not be stored: the state stays (or
 * is written, at this run's start) so that the search can be run again
 * into a place that works. */
static int
keep_state(const struct ropts *o)
{
	struct stat st;

	if (o->resumable && o->state[0] != '\0' && (stat(o->state, &st) == 0 ||
	    recover_state_save(o, o->start) == 0)) {
		cli_error(_("the password was found but not stored; the "
		    "search state is kept in %s: run 'cpkit-passwd recover "
		    "--restore %s --output FILE' to find it again"), o->state,
		    o->state);
	} else
		cli_error(_("the password was found but not stored, and the "
		    "search state cannot be saved either: run the search "
		    "again with --output FILE"));
	return CPK_EXIT_ENV;
}

/* Where a part lies in the whole, said once before a split search. */
static void
say_part(const struct ropts *o, const cpk_space *s)
{
	if (o->part_n == 0)
		return;
	cli_out(stderr, _("part %u/%u: %llu of the %llu candidates (every "
	    "%u-th of the whole search, from number %u)\n"), o->part_k,
	    o->part_n, (unsigned long long)cpk_space_total(s),
	    (unsigned long long)cpk_space_whole(s), o->part_n, o->part_k);
}

static int
run(struct ropts *o)
{
	cpk_scan scan;
	cpk_space *s = NULL;
	cpk_recover_opts ro;
	cpk_recover_result res;
	struct progress pg;
	unsigned char salt[12] = { 0 }, key[32];
	char eta[32];
	double one;
	uint64_t total;
	int code;
	cpk_err r;

	memset(&scan, 0, sizeof(scan));
	memset(&res, 0, sizeof(res));
	memset(&pg, 0, sizeof(pg));
	pg.o = o;
	cli_progress_init(&pg.bar, o->progress);
	/* --count reads neither the container nor --output: the head node
	 * of a cluster may size the work without either */
	if (o->count) {
		if ((code = recover_space(o, &s)) == CPK_EXIT_OK)
			code = recover_count(o, s);
		goto out;
	}
	if ((code = check_output(o)) != CPK_EXIT_OK ||
	    (code = recover_space(o, &s)) != CPK_EXIT_OK)
		goto out;	/* a word list may be loaded already */
	if (o->resumable && (code = recover_state_same_part(o)) != CPK_EXIT_OK)
		goto out;
	if ((r = cpk_scan_add(&scan, o->container, cpk_now())) != CPK_OK) {
		code = cli_path_error(o->container, r);
		goto out;
	}
	/* none, or a damaged header: data (4); several: the command (2) */
	if (scan.n == 0) {
		cli_error(_("%s: no key container found"),
		    cli_disp(o->container));
		code = CPK_EXIT_DATA;
		goto out;
	}
	if (scan.n != 1 || cpk_container_profile(scan.v[0].c) == CPK_P_NONE) {
		cli_error("%s: %s", cli_disp(o->container), scan.n != 1 ?
		    _("name exactly one container") :
		    _("the header is damaged (cpkit-fix)"));
		code = scan.n != 1 ? CPK_EXIT_USAGE : CPK_EXIT_DATA;
		goto out;
	}
	if (o->total != 0 && o->total != cpk_space_whole(s)) {
		cli_error(_("the search space changed since the state was "
		    "saved (word list or mask): cannot resume"));
		code = CPK_EXIT_USAGE;
		goto out;
	}
	o->total = cpk_space_whole(s);
	total = cpk_space_total(s);
	/* the estimate the user needs before a long run: one derivation */
	one = cpk_mono();
	cpk_kdf(cpk_container_profile(scan.v[0].c), "12345678", CPK_PW_UTF8, salt, 12, key);
	one = cpk_mono() - one;
	duration(one * (double)(total - o->start) / o->threads, eta,
	    sizeof(eta));
	say_part(o, s);
	cli_out(stderr, P_("%s: %llu candidates to try on %u thread, about "
	    "%s at %.0f/s\n", "%s: %llu candidates to try on %u threads, "
	    "about %s at %.0f/s\n", o->threads), cli_disp(scan.v[0].ref.fqcn),
	    (unsigned long long)(total - o->start), o->threads, eta,
	    (double)o->threads / one);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	pg.saved = cpk_mono();
	ro.threads = o->threads;
	ro.start = o->start;
	ro.stop = &stop;
	ro.progress = progress;
	ro.arg = &pg;
	r = cpk_recover(scan.v[0].c, s, &ro, &res);
	cli_progress_end(&pg.bar);
	if (r != CPK_OK) {
		cli_error("%s", cpk_err_text(r));
		code = CPK_EXIT_ENV;
	} else if (res.found) {
		/* the state goes only once the password is safe */
		if (report_found(&res, o) != 0)
			code = keep_state(o);
		else {
			if (o->resumable && o->state[0] != '\0')
				unlink(o->state);
			code = CPK_EXIT_OK;
		}
	} else if (stop) {
		if (!o->resumable)
			cli_out(stdout, _("Stopped after %llu candidates; a "
			    "search over a pipe or standard input cannot be "
			    "resumed\n"), (unsigned long long)res.next);
		else if (recover_state_save(o, res.next) == 0)
			cli_out(stdout, _("Stopped after %llu candidates; "
			    "resume with --restore %s\n"),
			    (unsigned long long)res.next, cli_disp(o->state));
		code = CPK_EXIT_FINDINGS;
	} else {
		if (o->part_n > 0)
			printf(_("Not found in part %u/%u: all %llu of its "
			    "candidates tried\n"), o->part_k, o->part_n,
			    (unsigned long long)total);
		else
			printf(_("Not found: all %llu candidates tried\n"),
			    (unsigned long long)total);
		if (o->resumable && o->state[0] != '\0')
			unlink(o->state);
		code = CPK_EXIT_DATA;
	}
	cli_secret_wipe(res.password, sizeof(res.password));
out:
	cpk_space_free(&s);
	cpk_scan_clear(&scan);
	return code;
}

static void
set(char *dst, size_t cap, const char *v)
{
	snprintf(dst, cap, "%s", v != NULL ? v : "");
}

int
passwd_recover(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "defaults", no_argument, NULL, 'D' },
		{ "wordlist", required_argument, NULL, 'w' },
		{ "mask", required_argument, NULL, 'm' },
		{ "charset1", required_argument, NULL, '1' },
		{ "charset2", required_argument, NULL, '2' },
		{ "charset3", required_argument, NULL, '3' },
		{ "charset4", required_argument, NULL, '4' },
		{ "min-len", required_argument, NULL, 'n' },
		{ "max-len", required_argument, NULL, 'x' },
		{ "threads", required_argument, NULL, 't' },
		{ "restore", required_argument, NULL, 'r' },
		{ "state", required_argument, NULL, 's' },
		{ "save-every", required_argument, NULL, 'S' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "part", required_argument, NULL, 'P' },
		{ "count", no_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'J' },
		CLI_PROGRESS_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct ropts o;
	const char *restore = NULL;
	uint32_t v, part_k, part_n;
	int state_given = 0;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int ch;

	memset(&o, 0, sizeof(o));
	o.threads = cores > 0 && cores < 1024 ? (unsigned)cores : 1;
	o.save_every = 60;
	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (ch) {
		case 'D': o.defaults = 1; break;
		case 'w': set(o.wordlist, sizeof(o.wordlist), optarg); break;
		case 'm': set(o.mask, sizeof(o.mask), optarg); break;
		case '1': case '2': case '3': case '4':
			set(o.charset[ch - '1'], 256, optarg);
			break;
		case 'S':
			if (cli_parse_u32(optarg, 1, 86400, &v) != CPK_OK) {
				cli_error(_("bad number: %s"), optarg);
				return CPK_EXIT_USAGE;
			}
			o.save_every = v;
			break;
		case 'n': case 'x': case 't':
			if (cli_parse_u32(optarg, 1, ch == 't' ? 1024 : 32, &v) !=
			    CPK_OK) {
				cli_error(_("bad number: %s"), optarg);
				return CPK_EXIT_USAGE;
			}
			if (ch == 'n')
				o.min_len = v;
			else if (ch == 'x')
				o.max_len = v;
			else
				o.threads = v;
			break;
		case 'r': restore = optarg; break;
		case 's':
			set(o.state, sizeof(o.state), optarg);
			state_given = 1;
			break;
		case 'o': o.output = optarg; break;
		case 'f': o.force = 1; break;
		case 'P':
			if (recover_parse_part(optarg, &o) != 0)
				cli_usage_error(_("--part %s: give K/N, whole "
				    "numbers with 1 <= K <= N <= %d"),
				    cli_disp(optarg), CPK_SPACE_MAX_PARTS);
			break;
		case 'C': o.count = 1; break;
		case 'J': o.json = 1; break;
		case CLI_OPT_PROGRESS:
			if (cli_progress_mode(optarg, &o.progress) != 0)
				return CPK_EXIT_USAGE;
			break;
		default:
			cli_error(_("see 'cpkit-passwd --help'"));
			return CPK_EXIT_USAGE;
		}
	}
	if (o.json && !o.count)
		cli_usage_error(_("--json needs --count (the search itself "
		    "reports in text)"));
	if (restore != NULL) {
		unsigned threads = o.threads, save_every = o.save_every;
		char *output = o.output;
		int force = o.force, pmode = o.progress;
		part_k = o.part_k;
		part_n = o.part_n;
		if (optind != argc || recover_state_load(restore, &o) != 0) {
			cli_error(_("%s: not a cpkit-recover state file"),
			    restore);
			return CPK_EXIT_USAGE;
		}
		if (strcmp(o.wordlist, "-") == 0) {
			cli_error(_("a word list read from standard input "
			    "cannot be resumed"));
			return CPK_EXIT_USAGE;
		}
		/* the part is the state's; one given must be the same */
		if (part_n > 0 && (part_k != o.part_k || part_n != o.part_n))
			return recover_part_refused(restore, o.part_k,
			    o.part_n, part_k, part_n);
		o.threads = threads;
		o.save_every = save_every;
		o.output = output;
		o.force = force;
		o.progress = pmode;
		set(o.state, sizeof(o.state), restore);
	} else {
		if (optind + 1 != argc) {
			cli_error(_("usage: cpkit-passwd recover CONTAINER "
			    "[--defaults] [--wordlist FILE] [--mask MASK] ... "
			    "(see --help)"));
			return CPK_EXIT_USAGE;
		}
		set(o.container, sizeof(o.container), argv[optind]);
		if (!state_given)
			recover_state_name(&o);
	}
	return run(&o);
}
