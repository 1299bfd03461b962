/*
 * cpkit: one front door to the cpkit-* binaries, as git is to git-*.
 * `cpkit COMMAND ARGS...` runs cpkit-COMMAND from the folder of the cpkit
 * binary itself (so a copy of the tree, or an install under any prefix,
 * runs its own tools), else from PATH; the command's exit status is
 * cpkit's. Besides: help (the list, or a command's man page) and
 * --version (cpkit's and every library's, text or JSON).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cpkit_sys.h"
#include "diag.h"

static const struct cmd {
	const char	*name;
	const char	*what;
} cmds[] = {
	{ "list", N_("list key containers on flash drives, disks, .reg files "
	    "and hives") },
	{ "test", N_("check a key container, and unlock it with its "
	    "password") },
	{ "fix", N_("repair a container: certificate, header, reserve copy, "
	    "name") },
	{ "export", N_("copy containers to folders, .reg files, PEM or "
	    "PKCS#12") },
	{ "import", N_("build a container from a GOST key in PEM, PKCS#8 or "
	    "PKCS#12") },
	{ "passwd", N_("find a forgotten password; change, set or remove "
	    "one") },
	{ "carve", N_("bring deleted containers back from images and "
	    "devices") },
	{ "diag", N_("collect everything about containers into one bundle") },
	{ "token", N_("smart-card tokens: readers, PIN status, PIN checks and "
	    "changes") },
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

static _Noreturn void
usage(int code)
{
	FILE *o = code == 0 ? stdout : stderr;

	fputs(_("usage: cpkit COMMAND [ARGS...]\n"
	    "       cpkit help [COMMAND]\n"
	    "       cpkit --version [--json]\n"
	    "\n"
	    "Runs cpkit-COMMAND with ARGS: the one beside the cpkit binary,\n"
	    "else the first in PATH. `cpkit COMMAND --help` is its short\n"
	    "help, `cpkit help COMMAND` its manual page.\n"
	    "\n"
	    "Commands:\n"), o);
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(o, "  %-8s %s\n", cmds[i].name, _(cmds[i].what));
	fprintf(o, _("  help     this text, or a command's manual page\n"
	    "  version  cpkit's version and the libraries it runs on\n"
	    "\n"
	    "  --version     the same as `cpkit version`\n"
	    "  --json        with --version: one JSON object (schema\n"
	    "                %s)\n"
	    "  -h, --help    this text\n"
	    "\n"
	    "Exit status: the command's own (0 done, 1 findings, 2 usage,\n"
	    "3 environment, 4 data); 2 for an unknown command, 3 when a\n"
	    "command or man cannot be run.\n"), CPK_JSON_SCHEMA_VERSION);
	exit(code);
}

static _Noreturn void
unknown(const char *name)
{
	cli_error(_("'%s' is not a cpkit command; see cpkit --help"), name);
	exit(CPK_EXIT_USAGE);
}

static int
listed(const char *name)
{
	for (size_t i = 0; i < NCMDS; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return 1;
	return 0;
}

/* A command name is what follows "cpkit-" in a file name: no path, no
 * option, nothing a shell would need quoted. */
static int
valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || s[0] == '-')
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* argv[0] is the command name; becomes cpkit-NAME for the child, whose
 * messages then name it. */
static _Noreturn void
run(char **argv)
{
	char path[PATH_MAX], arg0[80];

	if (!valid_name(argv[0]))
		unknown(argv[0]);
	if (!cpkit_find(argv[0], path, sizeof(path))) {
		if (!listed(argv[0]))
			unknown(argv[0]);
		/* one of ours, but not installed: the machine, not the user */
		cli_error(_("cpkit-%s is neither beside cpkit nor in PATH"),
		    argv[0]);
		exit(CPK_EXIT_ENV);
	}
	snprintf(arg0, sizeof(arg0), "cpkit-%s", argv[0]);
	argv[0] = arg0;
	cpkit_exec(path, argv);
	cli_error(_("cannot run %s: %s"), path, strerror(errno));
	exit(CPK_EXIT_ENV);
}

/* A command cpkit itself describes, or another cpkit-NAME it can run. */
static int
known(const char *name)
{
	char path[PATH_MAX];

	return listed(name) ||
	    (valid_name(name) && cpkit_find(name, path, sizeof(path)));
}

/* `cpkit help NAME`: the page of cpkit-NAME, waited for so that the exit
 * status stays in the shared scheme (man's own codes mean something
 * else); cpkit_show_page() finds the page. */
static int
help(int argc, char **argv)
{
	char page[80];
	int st;

	if (argc == 0)
		usage(CPK_EXIT_OK);
	if (argc > 1)
		cli_usage_error(_("'%s': one %s only"), cli_disp(argv[1]),
		    "COMMAND");
	if (strcmp(argv[0], "help") == 0 || strcmp(argv[0], "version") == 0 ||
	    strcmp(argv[0], "cpkit") == 0)
		snprintf(page, sizeof(page), "cpkit");
	else if (known(argv[0]))
		snprintf(page, sizeof(page), "cpkit-%s", argv[0]);
	else
		unknown(argv[0]);
	st = cpkit_show_page(page);
	if (st == 0)
		return CPK_EXIT_OK;
	if (st == 127)
		cli_error(_("cannot run man; try cpkit %s --help"), argv[0]);
	else
		cli_error(_("no manual page %s shown; try cpkit %s --help"),
		    page, argv[0]);
	return CPK_EXIT_ENV;
}

/* The KDF's hash library per profile (issue 20), under these keys. */
static const struct {
	const char	*key;
	enum cpk_profile p;
} kdf_profiles[] = { { "2001", CPK_P_2001 }, { "2012_256", CPK_P_2012_256 },
	{ "2012_512", CPK_P_2012_512 } };
#define N_KDF	(sizeof(kdf_profiles) / sizeof(kdf_profiles[0]))

static void
version_text(const cpk_version_info *v)
{
	const cpk_version_lib *l;

	printf("cpkit %s\n", v->cpkit);
	for (size_t i = 0; i < v->n; i++) {
		l = &v->lib[i];
		printf("%-14s ", l->label);
		if (l->missing)
			fputs(_("not available\n"), stdout);
		else if (l->version == NULL)
			printf(_("version not reported (%s)\n"), l->detail);
		else if (l->build_time)
			printf(_("%s (built with; no run-time version call)\n"),
			    l->version);
		else if (l->detail != NULL)
			printf("%s (%s)\n", l->version, l->detail);
		else
			printf("%s\n", l->version);
	}
	for (size_t i = 0; i < N_KDF; i++)
		printf("KDF %-10s %s\n", kdf_profiles[i].key,
		    cpk_kdf_impl_name(kdf_profiles[i].p));
}

/* Where this cpkit runs from and reads its catalog and pages from, so
 * that a package's test (tests/e2e_deb.sh) or an admin can tell an
 * installed copy from a build tree's. */
static void
version_paths(cpk_json *j)
{
	char self[PATH_MAX], buf[PATH_MAX], man[PATH_MAX];
	int known_self = cli_self_exe(self, sizeof(self));

	cpk_json_key(j, "paths");
	cpk_json_obj(j);
	cpk_json_kv_str(j, "program", known_self ? self : NULL);
	cpk_json_kv_str(j, "localedir", cli_locale_dir(buf, sizeof(buf)));
	cpk_json_kv_str(j, "mandir", cpkit_man_dir(man, sizeof(man)));
	cpk_json_obj_end(j);
}

static void
version_json(const cpk_version_info *v)
{
	const cpk_version_lib *l;
	cpk_json j;

	cpk_json_doc(&j, stdout, CPK_JSON_SCHEMA_VERSION);
	cpk_json_kv_str(&j, "cpkit", v->cpkit);
	cpk_json_key(&j, "libraries");
	cpk_json_obj(&j);
	for (size_t i = 0; i < v->n; i++) {
		l = &v->lib[i];
		cpk_json_key(&j, l->id);
		cpk_json_obj(&j);
		cpk_json_kv_str(&j, "name", l->label);
		cpk_json_kv_str(&j, "version", l->version);
		cpk_json_kv_str(&j, "detail", l->detail);
		cpk_json_kv_str(&j, "source", l->build_time ? "build" :
		    "runtime");
		cpk_json_kv_bool(&j, "available", !l->missing);
		cpk_json_obj_end(&j);
	}
	cpk_json_obj_end(&j);
	cpk_json_key(&j, "kdf");
	cpk_json_obj(&j);
	for (size_t i = 0; i < N_KDF; i++)
		cpk_json_kv_str(&j, kdf_profiles[i].key,
		    cpk_kdf_impl_name(kdf_profiles[i].p));
	cpk_json_obj_end(&j);
	version_paths(&j);
	cpk_json_obj_end(&j);
}

static int
version(int json)
{
	cpk_version_info v;

	cpk_version_get(&v);
	if (json)
		version_json(&v);
	else
		version_text(&v);
	return fflush(stdout) == 0 ? CPK_EXIT_OK : CPK_EXIT_ENV;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "version", no_argument, NULL, 'V' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, want_version = 0, json = 0, want_help = 0;

	cli_init("cpkit", 0);
	/* "+": options end at the command; the rest belongs to it */
	while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (ch) {
		case 'V':
			want_version = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			want_help = 1;
			break;
		default:
			cli_usage_hint();	/* getopt named the option */
		}
	}
	argc -= optind;
	argv += optind;
	if (want_help) {	/* cpkit --help [COMMAND], as cpkit help */
		if (json || want_version)
			cli_usage_error(_("%s and %s cannot be used together"),
			    "--help", json ? "--json" : "--version");
		return help(argc, argv);
	}
	if (argc > 0 && strcmp(argv[0], "version") == 0) {
		want_version = 1;
		argc--;
		argv++;
		if (argc == 1 && strcmp(argv[0], "--json") == 0) {
			json = 1;
			argc--;
		}
	}
	if (want_version) {
		if (argc > 0)
			cli_usage_error(_("'%s': this command takes no "
			    "operand"), cli_disp(argv[0]));
		return version(json);
	}
	if (json)
		cli_usage_error(_("%s needs %s"), "--json", "--version");
	/* no command at all: the list of commands, as git does */
	if (argc == 0)
		usage(CPK_EXIT_USAGE);
	if (strcmp(argv[0], "help") == 0)
		return help(argc - 1, argv + 1);
	run(argv);
}
