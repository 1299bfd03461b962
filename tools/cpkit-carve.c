/* cpkit-carve: deleted containers brought back from a flash drive image
 * or device, read-only; each written to its own folder and checked. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "recovery.h"

static _Noreturn void
usage(int code)
{
	FILE *o = code == 0 ? stdout : stderr;

	if (code != CPK_EXIT_OK)
		cli_usage_hint();	/* one line, not the whole text */
	fputs(_("usage: cpkit-carve [-o DIR] [--raw] [--json] [-q]\n"
	    "                   [--password-file F |\n"
	    "                   --password-env VAR | --empty-password | --ask]\n"
	    "                   IMAGE|DEVICE\n"
	    "\n"
	    "Finds key containers in a raw image or block device, read-only:\n"
	    "on FAT12/16/32 every folder, deleted or not, by its directory\n"
	    "entries (deleted files from their first cluster and size); then\n"
	    "anywhere by structure: headers and masks proven by their MACs,\n"
	    "primary and name files grouped around them (with the password,\n"
	    "every pairing is tried and the key's fingerprint decides;\n"
	    "without, a pairing by distance is labelled \"pairing unproven\"\n"
	    "and the other candidates are kept in pairing-candidates/ for\n"
	    "cpkit-fix). Each container is written to its own folder under\n"
	    "DIR and checked; the report says how sure each one is and which\n"
	    "files are missing.\n"
	    "\n"
	    "  -o DIR    where to write (default ./carved; created)\n"
	    "  --raw     skip the FAT pass\n"
	    "  --json    one JSON object a line per container (certainty,\n"
	    "            pairing, candidates, findings); the rest on stderr\n"
	    "  -q        no progress bar\n"
	    "\n"
	    "Exit status: 0 recovered and sound, 1 recovered with problems,\n"
	    "2 usage (no such IMAGE too), 3 the image cannot be read, 4 "
	    "nothing\n"
	    "carved.\n"), o);
	fputs(_(CLI_PWLIST_HELP), o);
	fputs(_(CLI_PROGRESS_HELP), o);
	exit(code);
}

struct prog {
	double		 t0;
	cli_progress	 bar;
};

static void
progress(uint64_t done, uint64_t total, void *arg)
{
	struct prog *p = arg;
	double t = cpk_mono(), rate;

	rate = (double)done / (t - p->t0 + 1e-9);
	cli_progress_show(&p->bar, done >= total,
	    _("  %5.1f%%  %llu MiB  %.1f MiB/s  ETA %.0fs   "),
	    100.0 * (double)done / (double)total,
	    (unsigned long long)(done >> 20), rate / 1048576.0,
	    rate > 0 ? (double)(total - done) / rate : 0);
}

/* The files absent (or, with k, present but not parsing). */
static const char *
listing(const cpk_files *f, const cpk_container *k, char *buf, size_t cap)
{
	buf[0] = '\0';
	for (int i = 0; i < CPK_F_COUNT; i++)
		if (k == NULL ? f->f[i] == NULL : (f->f[i] != NULL &&
		    cpk_container_file_err(k, (enum cpk_file_id)i) != CPK_OK)) {
			if (buf[0] != '\0')
				strncat(buf, ", ", cap - strlen(buf) - 1);
			strncat(buf, cpk_file_name((enum cpk_file_id)i),
			    cap - strlen(buf) - 1);
		}
	return buf[0] ? buf : C_("files", "none");
}

/* How the pairs were put together, when the key did not prove it. */
static void
pairing_note(const cpk_carved *c)
{
	if (c->pairing == CPK_PAIR_DIRECTORY)
		printf(_("   pairing: by the directory entries\n"));
	else if (c->pairing == CPK_PAIR_REUSED)
		printf(_("   pairing unproven: the deleted directory entries "
		    "point at clusters a later file has taken; the password "
		    "would prove the key (cpkit-test --password-file F)\n"));
	else if (c->pairing == CPK_PAIR_UNPROVEN && c->nalt == 0)
		printf(_("   pairing unproven: masks and primary files were "
		    "paired by their distance from the header; cpkit-fix "
		    "--password-file F tries the other pairings\n"));
	else if (c->pairing == CPK_PAIR_UNPROVEN)
		printf(P_("   pairing unproven: masks and primary files "
		    "were paired by their distance from the header; %zu other "
		    "candidate is in %s/ (cpkit-fix --password-file F tries "
		    "every pairing)\n", "   pairing unproven: masks and primary "
		    "files were paired by their distance from the header; %zu "
		    "other candidates are in %s/ (cpkit-fix --password-file F "
		    "tries every pairing)\n", c->nalt), c->nalt,
		    CPK_CARVE_ALT_DIR);
	if (c->pairing == CPK_PAIR_UNPROVEN && c->alt_left_out > 0)
		printf(P_("   %zu more candidate lay beyond the %d nearest of "
		    "each kind and was not kept\n", "   %zu more candidates "
		    "lay beyond the %d nearest of each kind and were not "
		    "kept\n", c->alt_left_out), c->alt_left_out,
		    CPK_CARVE_MAX_CAND);
}

static const char *
pairing_id(enum cpk_pairing p)
{
	return p == CPK_PAIR_PASSWORD ? "password" : p == CPK_PAIR_DIRECTORY ?
	    "directory" : p == CPK_PAIR_UNPROVEN ? "distance" :
	    p == CPK_PAIR_REUSED ? "reused" : "none";
}

/* The files absent (k NULL) or present but not parsing, as JSON names. */
static void
json_files(cpk_json *j, const cpk_files *f, const cpk_container *k)
{
	cpk_json_arr(j);
	for (int i = 0; i < CPK_F_COUNT; i++)
		if (k == NULL ? f->f[i] == NULL : (f->f[i] != NULL &&
		    cpk_container_file_err(k, (enum cpk_file_id)i) != CPK_OK))
			cpk_json_string(j, cpk_file_name((enum cpk_file_id)i));
	cpk_json_arr_end(j);
}

/* One JSON object a line per container (the schema in cpkit-carve(1)). */
static void
json_one(const cpk_carved *c, size_t i, const char *dir, int written,
    const cpk_container *k, const cpk_findings *l, const char *status)
{
	char name[128];
	cpk_json j;

	cpk_json_init(&j, stdout, CPK_JSON_LINE);
	cpk_json_obj(&j);
	cpk_json_kv_uint(&j, "index", i + 1);
	cpk_json_kv_str(&j, "name", c->name);
	cpk_json_kv_str(&j, "where", c->where);
	cpk_json_kv_str(&j, "folder", written ? dir : NULL);
	cpk_json_kv_bool(&j, "deleted", c->deleted);
	cpk_json_kv_str(&j, "certainty", cpk_certainty_id(c->certainty));
	cpk_json_kv_str(&j, "pairing", pairing_id(c->pairing));
	cpk_json_kv_bool(&j, "pairing_proven", c->pairing !=
	    CPK_PAIR_UNPROVEN && c->pairing != CPK_PAIR_REUSED);
	cpk_json_key(&j, "candidates");
	cpk_json_arr(&j);
	for (size_t n = 0; n < c->nalt; n++) {
		snprintf(name, sizeof(name), "%s/%s-at-%llu.bin",
		    CPK_CARVE_ALT_DIR, c->alt[n].masks ? "masks" : "primary",
		    (unsigned long long)c->alt[n].off);
		cpk_json_string(&j, name);
	}
	cpk_json_arr_end(&j);
	cpk_json_kv_uint(&j, "candidates_left_out", c->alt_left_out);
	cpk_json_key(&j, "missing");
	json_files(&j, c->files, NULL);
	cpk_json_key(&j, "damaged");
	if (k != NULL)
		json_files(&j, c->files, k);
	else
		cpk_json_null(&j);
	cpk_json_kv_str(&j, "status", status);
	cpk_json_key(&j, "findings");
	cpk_json_arr(&j);
	for (size_t n = 0; n < l->n; n++) {
		cpk_json_obj(&j);
		cpk_json_kv_str(&j, "id", l->v[n].id);
		cpk_json_kv_str(&j, "severity", cpk_sev_name(l->v[n].sev));
		cpk_json_kv_str(&j, "message", l->v[n].message);
		cpk_json_obj_end(&j);
	}
	cpk_json_arr_end(&j);
	cpk_json_obj_end(&j);
}

/* Writes and checks one container; 1 when it has problems, 3 when the
 * machine cannot take it (a full disk: the next would fail too). */
static int
report(const cpk_carved *c, size_t i, const char *out, const cli_pwlist *pw,
    int json)
{
	char dir[PATH_MAX], miss[128];
	cpk_container *k = NULL;
	cpk_findings l = { NULL, 0, 0, 0 };
	const char *status;
	size_t used;
	int bad = 0;
	cpk_err r;

	if (!json)
		cli_out(stdout, "%zu. %s  (%s)\n", i + 1, cli_disp(c->name),
		    cli_disp(c->where));
	if ((r = cpk_carve_folder_name(out, c->name, dir, sizeof(dir))) !=
	    CPK_OK || (r = cpk_dir_write_new(dir, c->files)) != CPK_OK ||
	    (r = cpk_carve_write_alt(dir, c)) != CPK_OK) {
		if (json)
			json_one(c, i, dir, 0, NULL, &l, "damaged");
		else
			printf(_("   not written: %s\n"), cpk_err_text(r));
		if (cli_exit_for(r) != CPK_EXIT_ENV)
			return 1;
		cli_error("%s: %s", dir, cpk_err_text(r));
		return CPK_EXIT_ENV;
	}
	if (cpk_container_decode(c->files, &k) != CPK_OK)
		k = NULL;
	if (!json) {
		cli_out(stdout, _("   written to %s\n   certainty: %s; "
		    "missing: %s"), cli_disp(dir),
		    cpk_certainty_name(c->certainty), listing(c->files, NULL,
		    miss, sizeof(miss)));
		printf(_("; damaged: %s\n"), k ? listing(c->files, k, miss,
		    sizeof(miss)) : "?");
		pairing_note(c);
	}
	if (k != NULL) {
		cpk_check_offline(c->files, k, cpk_now(), &l);
		if (pw->n > 0)
			cpk_check_passwords(k, pw->v, pw->n, &used, &l);
	}
	for (size_t j = 0; j < l.n; j++)
		if (l.v[j].sev != CPK_SEV_INFO || strcmp(l.v[j].id,
		    "key-ok") == 0 || strcmp(l.v[j].id, "password-list") == 0) {
			bad |= l.v[j].sev != CPK_SEV_INFO &&
			    strcmp(l.v[j].id, "cert-expired") != 0 &&
			    strcmp(l.v[j].id, "key-expired") != 0;
			if (!json)
				cli_out(stdout, "   [%s] %s: %s\n",
				    cpk_sev_text(l.v[j].sev), l.v[j].id,
				    cli_disp(l.v[j].message));
		}
	status = cpk_status(&l);
	/* nothing proves which masks.key goes with which primary.key */
	if ((c->pairing == CPK_PAIR_UNPROVEN ||
	    c->pairing == CPK_PAIR_REUSED) && strcmp(status, "ok") == 0)
		status = "warning";
	if (json)
		json_one(c, i, dir, 1, k, &l, status);
	else
		printf(_("   status: %s\n"), cpk_status_text(status));
	cpk_findings_clear(&l);
	cpk_container_free(&k);
	return bad || c->certainty == CPK_GUESSED ||
	    c->pairing == CPK_PAIR_UNPROVEN || c->pairing == CPK_PAIR_REUSED;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "raw", no_argument, NULL, 'R' },
		{ "json", no_argument, NULL, 'j' },
		CLI_SECRET_OPTIONS,
		CLI_PWLIST_OPTIONS,
		CLI_PROGRESS_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	cli_pwlist pw;
	cpk_secret_src src = { NULL, NULL, 0, 0, NULL };
	const char *out = "carved";
	cpk_image *img = NULL;
	cpk_carve_opts co;
	cpk_carve_result res;
	struct prog pg;
	int pmode = CLI_PROGRESS_AUTO;
	struct stat st;
	int ch, verbose = 0, code = CPK_EXIT_OK, have_pw = 0, created;
	int json = 0;
	FILE *info;
	cpk_err r;

	cli_init("cpkit-carve", 0);
	memset(&co, 0, sizeof(co));
	memset(&res, 0, sizeof(res));
	memset(&pw, 0, sizeof(pw));
	while ((ch = getopt_long(argc, argv, "ho:qv", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': out = optarg; break;
		case 'R': co.raw_only = 1; break;
		case 'j': json = 1; break;
		case 'q': pmode = CLI_PROGRESS_NEVER; break;
		case CLI_OPT_PROGRESS:
			if (cli_progress_mode(optarg, &pmode) != 0)
				usage(CPK_EXIT_USAGE);
			break;
		CLI_SECRET_CASES: cli_secret_opt(ch, optarg, &src); break;
		case 'v': cli_set_verbose(++verbose); break;
		case 'h': usage(CPK_EXIT_OK);
		default: usage(CPK_EXIT_USAGE);
		}
	}
	cli_secret_one(&src, "");
	cli_operands(argc, argv, optind, 1, "IMAGE");
	if (cli_passwords(&src, &pw, &have_pw) != CPK_OK)
		return CPK_EXIT_USAGE;
	if ((r = cpk_image_open(argv[optind], &img)) != CPK_OK) {
		cli_error("%s: %s", cli_disp(argv[optind]),
		    r == CPK_E_NOT_FOUND ?
		    _("no such file or device") : r == CPK_E_FORMAT ?
		    _("not an image file or block device") :
		    _("cannot be opened"));
		cpk_image_free(&img);
		return r == CPK_E_NOT_FOUND || r == CPK_E_FORMAT ?
		    CPK_EXIT_USAGE : CPK_EXIT_ENV;
	}
	created = mkdir(out, 0700) == 0;
	if (!created && (stat(out, &st) != 0 || !S_ISDIR(st.st_mode))) {
		cli_error(_("%s: cannot create the output folder"),
		    cli_disp(out));
		cpk_image_free(&img);
		return CPK_EXIT_USAGE;
	}
	/* pairing by password takes one password; a list checks each
	 * carved container afterwards */
	co.password = have_pw && src.list == NULL ? pw.v[0].pw : NULL;
	pg.t0 = cpk_mono();
	cli_progress_init(&pg.bar, pmode);
	co.progress = progress;
	co.arg = &pg;
	info = json ? stderr : stdout;	/* JSON: only objects on stdout */
	r = cpk_carve(img, &co, &res);
	cli_progress_end(&pg.bar);
	if (res.fs[0] != '\0')
		cli_out(info, _("%s: %llu of %llu bytes scanned, file "
		    "system %s\n"), cli_disp(cpk_image_path(img)),
		    (unsigned long long)res.scanned,
		    (unsigned long long)cpk_image_size(img), res.fs);
	else
		cli_out(info, _("%s: %llu of %llu bytes scanned\n"),
		    cli_disp(cpk_image_path(img)),
		    (unsigned long long)res.scanned,
		    (unsigned long long)cpk_image_size(img));
	for (size_t i = 0; i < res.nnotes; i++)
		cli_out(info, _("note: %s\n"), cli_disp(res.notes[i]));
	if (r != CPK_OK) {
		cli_error("%s", cpk_err_text(r));
		code = CPK_EXIT_ENV;
	} else if (res.n == 0) {
		cli_error(_("%s: no key container found"),
		    cli_disp(cpk_image_path(img)));
		code = CPK_EXIT_DATA;
	}
	for (size_t i = 0; i < res.n; i++) {
		int rc = report(&res.v[i], i, out, &pw, json);

		if (rc > code)
			code = rc;
		if (rc == CPK_EXIT_ENV)
			break;		/* a full disk takes no more */
	}
	if (created)
		(void)rmdir(out);	/* nothing written: leave nothing behind */
	if (code == CPK_EXIT_OK && res.scanned < cpk_image_size(img))
		code = CPK_EXIT_FINDINGS;	/* part of the image unread */
	cli_pwlist_wipe(&pw);
	cpk_carve_result_clear(&res);
	cpk_image_free(&img);
	return code;
}
