/* cpkit-fix: repair a container - certificate, key parameters, header MAC,
 * a damaged pair from the reserve copy, name.key, a lost header - into a
 * new folder, or in place after a verified backup. */
#define _GNU_SOURCE		/* asprintf */
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "diag.h"
#include "fix_certs.h"
#include "recovery.h"

static _Noreturn void
usage(int code)
{
	FILE *o = code == 0 ? stdout : stderr;

	if (code != CPK_EXIT_OK)
		cli_usage_hint();	/* one line, not the whole text */
	fputs(_("usage: cpkit-fix [--cert FILE|DIR] [--alg ALG] [--name NAME]\n"
	    "                 [--out DIR | --in-place] [--force] [-q] [-v]\n"
	    "                 [--password-file FILE | --password-env VAR |\n"
	    "                  --empty-password | --ask] CONTAINER\n"
	    "\n"
	    "Repairs a key container folder: puts the matching certificate\n"
	    "into header.key (chosen by fingerprint from a file or a folder\n"
	    "of certificates), rebuilds damaged key parameters from it,\n"
	    "recomputes a wrong header MAC, rebuilds a damaged masks/primary\n"
	    "pair from the sound one, restores a lost name.key, and rebuilds\n"
	    "a lost header.key from the certificate (with the password).\n"
	    "The original is not modified unless --in-place is given.\n"
	    "\n"
	    "  --cert FILE|DIR       certificate(s): DER, PEM, PKCS#7, folders\n"
	    "  --alg ALG             force gost2001, gost2012-256 or gost2012-512\n"
	    "  --name NAME           container name for a lost name.key\n"
	    "  --out DIR             write the repaired container to DIR (new);\n"
	    "                        default: CONTAINER-fixed beside it\n"
	    "  --in-place            back up CONTAINER into a zip archive\n"
	    "                        beside it (CONTAINER.cpkit-backup-TIME.zip),\n"
	    "                        verify it, then swap in the repaired folder;\n"
	    "                        CONTAINER must not be or pass through a\n"
	    "                        symbolic link\n"
	    "  --force               install a certificate that does not match\n"
	    "  --password-file FILE, --password-env VAR, --empty-password,\n"
	    "  --ask                 the password: proves the repair (needed to\n"
	    "                        rebuild header.key)\n"
	    "  -q                    print only problems\n"
	    "  -v                    library diagnostics on stderr\n"
	    "\n"
	    "Exit status: 0 repaired (or nothing to repair) and no problem\n"
	    "left, 1 written but findings remain, 2 usage, 3 environment,\n"
	    "4 refused or not repairable: nothing written.\n"), o);
	fputs(_(CLI_PWLIST_HELP), o);
	fputs(_("\n"
	    "Of several certificates of the key (matched by d*G when the\n"
	    "password is given) the one valid now wins, then the latest\n"
	    "notAfter, then the latest notBefore, whatever the folder order;\n"
	    "every candidate is listed. A certificate of the key already in\n"
	    "the container is replaced only by a newer one; --force installs\n"
	    "an older one too.\n"), o);
	fputs(_(CLI_CONTAINER_HELP), o);
	fputs(_("\nA container inside a .reg file, a hive or on a token is\n"
	    "repaired into a new folder (--out DIR): cpkit does not write\n"
	    "into the registry; cpkit-export --to reg puts it back.\n"), o);
	exit(code);
}

/* Test hook: CPKIT_TEST_KILL_AT=backup|staged|swapped kills the process
 * right after that step of --in-place, as a power cut would. */
static void
step_hook(const char *step)
{
	const char *at = getenv("CPKIT_TEST_KILL_AT");

	if (at != NULL && strcmp(at, step) == 0)
		cli_die_now();
}

/* Checks the written container the way cpkit-test does. */
static int
verify(const char *dir, const char *pw, time_t now, int quiet)
{
	cpk_scan scan;
	int bad = 0;

	memset(&scan, 0, sizeof(scan));
	if (cpk_scan_add(&scan, dir, now) != CPK_OK || scan.n != 1) {
		cli_error(_("%s: cannot read the repaired container back"),
		    dir);
		cpk_scan_clear(&scan);
		return CPK_EXIT_DATA;
	}
	if (pw != NULL)
		cpk_check_password(scan.v[0].c, pw, &scan.v[0].summary.findings);
	for (size_t i = 0; i < scan.v[0].summary.findings.n; i++) {
		const cpk_finding *f = &scan.v[0].summary.findings.v[i];
		if (f->sev == CPK_SEV_INFO && quiet)
			continue;
		bad |= f->sev != CPK_SEV_INFO;
		cli_out(stdout, "  [%s] %s: %s\n", cpk_sev_text(f->sev), f->id,
		    cli_disp(f->message));
	}
	cpk_scan_clear(&scan);
	return bad ? CPK_EXIT_FINDINGS : CPK_EXIT_OK;
}

/* --password-list: the line that opens this container, found through
 * its header before anything is repaired. */
static int
pick_password(const cpk_secret_src *src, const cpk_files *in, char *pw,
    size_t cap)
{
	cpk_container *c = NULL;
	cpk_err r;

	if (cpk_container_decode(in, &c) != CPK_OK)
		c = NULL;
	r = cli_password_for(src, c, "", pw, cap);
	cpk_container_free(&c);
	return r == CPK_OK ? CPK_EXIT_OK : r == CPK_E_BAD_PASSWORD ?
	    CPK_EXIT_DATA : (int)cli_exit_for(r);
}

#define ALT_MAX	32

struct alt {
	cpk_blob	*v[ALT_MAX];
	char		*name[ALT_MAX];
	size_t		 n;
};

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The other candidates a carve kept beside an unproven pairing
 * (DIR/pairing-candidates/), in name order: regular files only, each as
 * large as a key file may be; at most ALT_MAX. */
static void
read_alt(const char *dir, struct alt *a)
{
	char sub[PATH_MAX], path[PATH_MAX], *names[ALT_MAX];
	size_t n = 0;
	struct dirent *de;
	DIR *d;

	memset(a, 0, sizeof(*a));
	if (snprintf(sub, sizeof(sub), "%s/%s", dir, CPK_CARVE_ALT_DIR) >=
	    (int)sizeof(sub) || (d = opendir(sub)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && n < ALT_MAX)
		if (de->d_name[0] != '.' &&
		    (names[n] = strdup(de->d_name)) != NULL)
			n++;
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", sub, names[i]) <
		    (int)sizeof(path) && cpk_file_read(path, CPK_FILE_MAX,
		    &a->v[a->n]) == CPK_OK &&
		    asprintf(&a->name[a->n], "%s/%s", CPK_CARVE_ALT_DIR,
		    names[i]) >= 0)
			a->n++;
		else
			cpk_blob_free(&a->v[a->n]);
		free(names[i]);
	}
}

static void
free_alt(struct alt *a)
{
	for (size_t i = 0; i < a->n; i++) {
		cpk_blob_free(&a->v[i]);
		free(a->name[i]);
	}
	a->n = 0;
}

static int
refused(const char *dir, cpk_err r, const cpk_fix_report *rep)
{
	cli_error("%s: %s", cli_disp(dir), rep->problem[0] ? rep->problem :
	    cpk_err_text(r));
	if (r == CPK_E_NO_PASSWORD)
		return CPK_EXIT_USAGE;
	return r == CPK_E_NOMEM || r == CPK_E_IO || r == CPK_E_NO_GOST ||
	    r == CPK_E_CRYPTO ? CPK_EXIT_ENV : CPK_EXIT_DATA;
}

/* A run killed earlier may have left a staging folder in parent: say so
 * and remove it (cpk_staging_cleanup() takes only what is provably ours). */
static void
staging_note(const char *path, enum cpk_staging_done done, void *arg)
{
	(void)arg;
	switch (done) {
	case CPK_STAGING_REMOVED:
		cli_out(stdout, _("Removed %s, left by an interrupted cpkit "
		    "run\n"), cli_disp(path));
		break;
	case CPK_STAGING_RESTORED:
		cli_out(stdout, _("Removed %s, left by an interrupted cpkit "
		    "run; the container it held is back in its place\n"),
		    cli_disp(path));
		break;
	case CPK_STAGING_KEPT:
		cli_error(_("%s: left by an interrupted cpkit run and not "
		    "removed entirely; look inside, then delete it"), path);
		break;
	case CPK_STAGING_BUSY:
		break;				/* another run's, alive */
	}
}

static void
clean_parent(const char *path)
{
	char parent[PATH_MAX], *slash;

	snprintf(parent, sizeof(parent), "%s", path);
	if ((slash = strrchr(parent, '/')) == NULL)
		snprintf(parent, sizeof(parent), ".");
	else if (slash == parent)
		parent[1] = '\0';
	else
		*slash = '\0';
	(void)cpk_staging_cleanup(parent, staging_note, NULL);
}

/* In place through a symbolic link, the swap would move the link and the
 * cleanup empty the real folder: refused before anything is read. */
static int
refuse_link(const char *dir)
{
	char lnk[PATH_MAX], real[PATH_MAX];

	if (!cpk_path_link(dir, lnk, sizeof(lnk)))
		return 0;
	if (realpath(dir, real) == NULL)
		snprintf(real, sizeof(real), "?");
	cli_error(_("%s: %s is a symbolic link; --in-place works only on the "
	    "real folder: %s"), dir, lnk, real);
	return 1;
}

static void
report_replace(const char *dir, const cpk_replace_report *rep)
{
	for (size_t i = 0; i < rep->nleft_out; i++)
		cli_error(_("%s/%s: not in the backup (%s)"), dir,
		    rep->left_out[i].name, rep->left_out[i].err ==
		    CPK_E_FORMAT ? _("not a regular file") :
		    cpk_err_text(rep->left_out[i].err));
	if (rep->kept[0] != '\0')
		cli_error(_("%s: could not be removed entirely; look inside, "
		    "then delete it"), rep->kept);
}

/* A shell word: as it is when it needs no quoting, else in '' quotes;
 * printed through cli_out, which shows control characters escaped. */
static void
put_word(const char *w)
{
	char buf[4 * PATH_MAX];
	size_t k = 0;

	if (*w != '\0' && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
	    "nopqrstuvwxyz0123456789-_./=:+,@%") == strlen(w)) {
		cli_out(stdout, " %s", w);
		return;
	}
	buf[k++] = '\'';
	for (; *w != '\0' && k + 6 < sizeof(buf); w++) {
		if (*w == '\'') {
			memcpy(buf + k, "'\\''", 4);
			k += 4;
		} else
			buf[k++] = *w;
	}
	buf[k++] = '\'';
	buf[k] = '\0';
	cli_out(stdout, " %s", buf);
}

/* The default output X-fixed is not a folder name CSP lists (it ends in
 * no .000-.999), on purpose: two visible copies of one container would
 * be a duplicate (duplicate-name). Says so, and how to put the repair
 * in its place. */
static void
default_out_note(const char *dir, const char *out, int argc, char **argv)
{
	char backup_word[PATH_MAX + 8];

	cli_out(stdout, _("CSP does not list %s (not a container folder name, "
	    "on purpose: a second visible copy would be a duplicate); it "
	    "still uses %s. To put the repair in its place, run the same "
	    "command with --in-place (a verified backup is made first):\n"),
	    cli_disp(out), cli_disp(dir));
	fputs("  cpkit-fix --in-place", stdout);
	for (int i = 1; i < argc; i++)
		put_word(argv[i]);
	fputs("\n", stdout);
	fputs(_("or swap the folders by hand, keeping the original until the "
	    "repair is confirmed to work:\n"), stdout);
	fputs("  mv", stdout);
	put_word(dir);
	snprintf(backup_word, sizeof(backup_word), "%s.orig", dir);
	put_word(backup_word);
	fputs(" && mv", stdout);
	put_word(out);
	put_word(dir);
	fputs("\n", stdout);
}

static int
write_out(const char *dir, const char *out, int in_place,
    const cpk_files *fixed)
{
	cpk_replace_report rep;
	cpk_err r;

	if (in_place) {
		r = cpk_dir_replace(dir, fixed, step_hook, &rep);
		report_replace(dir, &rep);
		if (r != CPK_OK) {
			cli_error(_("%s: not replaced (%s); the original is "
			    "unchanged"), dir, cpk_err_text(r));
			return cli_exit_for(r) == CPK_EXIT_DATA ?
			    CPK_EXIT_ENV : (int)cli_exit_for(r);
		}
		cli_out(stdout, _("Replaced %s; the original is kept in %s\n"),
		    cli_disp(dir), cli_disp(rep.backup));
		printf(_("The backup holds a copy of the key: delete it once "
		    "the repaired container is confirmed to work\n"));
		return CPK_EXIT_OK;
	}
	if ((r = cpk_dir_write_new(out, fixed)) != CPK_OK) {
		cli_error("%s: %s", out, r == CPK_E_EXISTS ?
		    _("already exists; choose another --out") :
		    cpk_err_text(r));
		return r == CPK_E_EXISTS || cpk_err_class(r) ==
		    CPK_ERRCLASS_USAGE ? CPK_EXIT_USAGE : CPK_EXIT_ENV;
	}
	cli_out(stdout, _("Wrote the repaired container to %s (the original "
	    "is unchanged)\n"), cli_disp(out));
	return CPK_EXIT_OK;
}

/* The one container that path (and --container) names, when path is not
 * a container folder: *in is set to its files for a container inside a
 * .reg, a hive or a token, which is repaired only into a new folder;
 * left NULL for a folder container, read as such. */
static int
pick_one(cpk_scan *scan, const char *path, const char *want, int in_place,
    const char *out_arg, cpk_files **in)
{
	const cpk_ref *ref;
	int code;
	cpk_err r;

	*in = NULL;
	if ((r = cpk_scan_add(scan, path, time(NULL))) != CPK_OK)
		return cli_path_error(path, r == CPK_E_NO_PATH ||
		    r == CPK_E_NOT_FOUND ? r :
		    CPK_E_FORMAT);
	if ((scan->n > 0 && (code = cli_container_pick(scan, want)) !=
	    CPK_EXIT_OK) || (code = cli_container_one(scan, path)) !=
	    CPK_EXIT_OK)
		return code;	/* none: 4, as in every tool that writes */
	ref = &scan->v[0].ref;
	if (strcmp(ref->media, "REGISTRY") != 0 &&
	    strcmp(ref->media, "TOKEN") != 0)
		return CPK_EXIT_OK;
	if (in_place || out_arg == NULL) {
		cli_error(_("%s: a container inside a .reg file, a hive or on "
		    "a token is not repaired in place: give --out DIR for a "
		    "new folder, then put it back with cpkit-export --to reg "
		    "(or copy it to a medium); nothing written"),
		    cli_disp(ref->location));
		return CPK_EXIT_USAGE;
	}
	*in = scan->v[0].files;
	scan->v[0].files = NULL;		/* ours now */
	return CPK_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cert", required_argument, NULL, 'c' },
		{ "alg", required_argument, NULL, 'a' },
		{ "name", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' },
		{ "output", required_argument, NULL, 'o' },
		{ "in-place", no_argument, NULL, 'i' },
		{ "force", no_argument, NULL, 'F' },
		CLI_SECRET_OPTIONS,
		CLI_PWLIST_OPTIONS,
		CLI_CONTAINER_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char pw[CPK_SECRET_MAX], dir[PATH_MAX], out[PATH_MAX];
	cpk_secret_src src = { NULL, NULL, 0, 0, NULL };
	cpk_fix_opts fo;
	cpk_fix_report rep;
	cpk_cert_list certs = { NULL, 0, NULL };
	cpk_files *in = NULL, *fixed = NULL;
	struct alt alt = { { NULL }, { NULL }, 0 };
	const char *cert_path = NULL, *out_arg = NULL, *want = NULL;
	const char *inside = NULL;	/* a registry or token container */
	cpk_scan scan;
	int ch, in_place = 0, quiet = 0, verbose = 0, code, have_pw = 0,
	    present = 0;
	cpk_err r;

	cli_init("cpkit-fix", 0);
	memset(&fo, 0, sizeof(fo));
	memset(&rep, 0, sizeof(rep));
	memset(&scan, 0, sizeof(scan));
	pw[0] = '\0';
	while ((ch = getopt_long(argc, argv, "hqvo:", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			cert_path = optarg;
			break;
		case 'a':
			if ((fo.alg = cpk_profile_by_name(optarg)) ==
			    CPK_P_NONE) {
				cli_usage_error(_("--alg: %s is not gost2001, "
				    "gost2012-256 or gost2012-512"),
				    cli_disp(optarg));
			}
			break;
		case 'n':
			fo.name = optarg;
			break;
		case 'o':
			out_arg = optarg;
			break;
		case 'i':
			in_place = 1;
			break;
		case 'F':
			fo.force = 1;
			break;
		CLI_SECRET_CASES:
			cli_secret_opt(ch, optarg, &src);
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
	if (in_place && out_arg != NULL)
		cli_usage_error(_("%s and %s cannot be used together"),
		    "--in-place", "--out");
	cli_secret_one(&src, "");
	cli_operands(argc, argv, optind, 1, "CONTAINER");
	snprintf(dir, sizeof(dir), "%s", argv[optind]);
	while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = '\0';
	snprintf(out, sizeof(out), "%s", out_arg ? out_arg : dir);
	if (out_arg == NULL)
		strncat(out, "-fixed", sizeof(out) - strlen(out) - 1);
	if (src.list == NULL &&
	    cli_password_opt(&src, pw, sizeof(pw), &have_pw) != CPK_OK) {
		code = CPK_EXIT_USAGE;
		goto done;
	}
	if ((r = cpk_gost_init()) != CPK_OK) {
		cli_error(_("%s: install libengine-gost-openssl"),
		    cpk_err_text(r));
		code = CPK_EXIT_ENV;
		goto done;
	}
	if (in_place && refuse_link(dir)) {
		code = CPK_EXIT_USAGE;
		goto done;
	}
	/* first, so that a container a killed run left staged is back */
	clean_parent(dir);
	if (!in_place)
		clean_parent(out);
	/* a container folder as before; anything else (a .reg, a hive, a
	 * location as cpkit-list prints it, a folder of containers,
	 * --container) through the scan, which must come to one */
	if (want == NULL && cpk_files_read_dir(dir, &in) == CPK_OK)
		for (int i = 0; i < CPK_F_COUNT; i++)
			present += in->f[i] != NULL ||
			    in->err[i] != CPK_E_MISSING;
	if (present == 0) {
		cpk_files_free(&in);
		if ((code = pick_one(&scan, dir, want, in_place, out_arg,
		    &in)) != CPK_EXIT_OK)
			goto done;
		if (in == NULL) {		/* a folder container */
			snprintf(dir, sizeof(dir), "%s", scan.v[0].ref.location);
			snprintf(out, sizeof(out), "%s", out_arg ? out_arg :
			    dir);
			if (out_arg == NULL)
				strncat(out, "-fixed", sizeof(out) -
				    strlen(out) - 1);
			if (in_place && refuse_link(dir)) {
				code = CPK_EXIT_USAGE;
				goto done;
			}
			clean_parent(dir);
			if (!in_place)
				clean_parent(out);
		} else
			inside = scan.v[0].ref.name;
	}
	if (in == NULL && (r = cpk_files_read_dir(dir, &in)) != CPK_OK) {
		code = cli_path_error(dir, r);
		goto done;
	}
	if (src.list != NULL && (code = pick_password(&src, in, pw,
	    sizeof(pw))) != CPK_EXIT_OK)
		goto done;
	have_pw |= src.list != NULL;
	if (cert_path != NULL) {
		if ((r = cpk_certs_load(cert_path, &certs)) != CPK_OK ||
		    certs.n == 0) {
			cli_error("%s: %s", cert_path, r != CPK_OK ?
			    cpk_err_text(r) : _("no certificate found"));
			code = CPK_EXIT_USAGE;
			goto done;
		}
		fo.certs = &certs;
	}
	fo.folder = inside != NULL ? inside : dir;
	fo.password = have_pw ? pw : NULL;
	read_alt(dir, &alt);
	fo.alt = (const cpk_blob *const *)alt.v;
	fo.alt_name = (const char *const *)alt.name;
	fo.nalt = alt.n;
	if (alt.n > 0 && !have_pw)
		cli_out(stdout, _("%s: %s/ holds other masks and primary files "
		    "a carve could not pair; give the password to try every "
		    "pairing\n"), cli_disp(dir), CPK_CARVE_ALT_DIR);
	fo.now = cpk_now();	/* the one clock of this run */
	r = cpk_fix(in, &fo, &fixed, &rep);
	if (!quiet || r != CPK_OK)
		for (int i = 0; i < 2; i++)
			fix_print_pick(&certs, rep.pick[i], i, fo.now);
	if (r != CPK_OK) {
		code = refused(dir, r, &rep);
		goto done;
	}
	if (fixed == NULL) {
		cli_out(stdout, _("Nothing to repair in %s\n"), cli_disp(dir));
		code = verify(dir, fo.password, fo.now, quiet);
		goto done;
	}
	fputs(_("Repairs:\n"), stdout);
	for (size_t i = 0; i < rep.nchange; i++)
		cli_out(stdout, "  %s\n", cli_disp(rep.change[i].why));
	if ((code = write_out(dir, out, in_place, fixed)) != CPK_EXIT_OK)
		goto done;
	fputs(_("Check of the repaired container:\n"), stdout);
	code = verify(in_place ? dir : out, fo.password, fo.now, quiet);
	if (!in_place && out_arg == NULL)
		default_out_note(dir, out, argc, argv);
done:
	cpk_fix_report_clear(&rep);
	cli_secret_wipe(pw, sizeof(pw));
	cpk_certs_clear(&certs);
	free_alt(&alt);
	cpk_files_free(&in);
	cpk_files_free(&fixed);
	cpk_scan_clear(&scan);
	return code;
}
