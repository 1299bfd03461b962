/* cpkit-export: a container to a regedit-compatible .reg file or to a new
 * folder; a .reg export moved to another user's SID. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "diag.h"
#include "recovery.h"

static _Noreturn void
usage(int code)
{
	FILE *o = code == 0 ? stdout : stderr;

	fputs("usage: cpkit-export --to reg FILE [--sid SID | --machine]\n"
	    "                    [--regedit4] [--no-wow64] [--force] "
	    "CONTAINER...\n"
	    "       cpkit-export --to reg FILE --sid SID EXPORT.reg\n"
	    "       cpkit-export --to folder DIR CONTAINER...\n"
	    "\n"
	    "Copies key containers (from folders, .reg files or hives) into\n"
	    "a .reg file that regedit imports (5.00, UTF-16LE, as regedit\n"
	    "writes it) or into new container folders. Given one .reg file\n"
	    "and --sid, writes the same export for another user: only the\n"
	    "SID in the key paths changes. No password is needed.\n"
	    "\n"
	    "  --to reg FILE     write a .reg file (mode 0600)\n"
	    "  --to folder DIR   one container: DIR itself; several: new\n"
	    "                    folders under DIR named as CryptoPro does\n"
	    "  --sid SID         the user the containers belong to\n"
	    "  --machine         the machine store (Settings\\Keys)\n"
	    "  --regedit4        REGEDIT4 in CP1251 instead of 5.00 UTF-16\n"
	    "  --no-wow64        SOFTWARE\\Crypto Pro (32-bit Windows)\n"
	    "  --force           overwrite an existing FILE\n"
	    "\n"
	    "Exit status: 0 written, 2 usage (nothing written), 3 environment,\n"
	    "4 nothing to export.\n", o);
	exit(code);
}

static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int
write_file(const char *path, const cpk_blob *b, int force)
{
	struct stat st;
	cpk_err r;

	if (!force && lstat(path, &st) == 0) {
		cli_error("%s: already exists (--force replaces it)", path);
		return CPK_EXIT_USAGE;
	}
	if ((r = cpk_file_write_atomic(path, b, 0600)) != CPK_OK) {
		cli_error("%s: %s", path, cpk_err_text(r));
		return CPK_EXIT_ENV;
	}
	return CPK_EXIT_OK;
}

/* Moving an export to another user: rewrite the SIDs, keep the rest. */
static int
move_reg(const char *in, const char *out, const char *sid, int force)
{
	cpk_blob *raw = NULL, *moved = NULL;
	size_t n;
	int code;
	cpk_err r;

	if ((r = cpk_file_read(in, 128u * 1024 * 1024, &raw)) != CPK_OK)
		return cli_path_error(in, r);
	r = cpk_reg_rewrite_sid(raw->ptr, raw->len, sid, &moved, &n);
	cpk_blob_free(&raw);
	if (r != CPK_OK) {
		cli_error("%s: %s", in, r == CPK_E_ARG ? "bad --sid (expected "
		    "S-1-5-21-...)" : cpk_err_text(r));
		return r == CPK_E_ARG ? CPK_EXIT_USAGE : CPK_EXIT_DATA;
	}
	if ((code = write_file(out, moved, force)) == CPK_EXIT_OK)
		printf("%s: %zu key path%s moved to %s\n", out, n, n == 1 ?
		    "" : "s", sid);
	cpk_blob_free(&moved);
	return code;
}

static int
to_reg(const cpk_scan *s, const char *out, cpk_reg_opts *o, int machine,
    int force)
{
	cpk_reg_entry *v;
	cpk_blob *b = NULL;
	int code;
	cpk_err r;

	if ((v = calloc(s->n, sizeof(*v))) == NULL)
		return CPK_EXIT_ENV;
	for (size_t i = 0; i < s->n; i++) {
		v[i].name = s->v[i].ref.name;
		v[i].files = s->v[i].files;
		/* a registry container keeps its user unless told */
		if (o->sid == NULL && !machine)
			o->sid = s->v[i].ref.sid;
	}
	if (o->sid == NULL && !machine) {
		free(v);
		cli_error("say whose containers these are: --sid SID (see "
		    "'whoami /user' on Windows) or --machine");
		return CPK_EXIT_USAGE;
	}
	if ((r = cpk_reg_export(v, s->n, o, &b)) != CPK_OK) {
		free(v);
		cli_error("%s: %s", out, r == CPK_E_RANGE ? "a container name "
		    "has no CP1251 form: REGEDIT4 cannot hold it" : r ==
		    CPK_E_ARG ? "bad --sid (expected S-1-5-21-...) or "
		    "container name" : cpk_err_text(r));
		return r == CPK_E_NOMEM ? CPK_EXIT_ENV : CPK_EXIT_USAGE;
	}
	if ((code = write_file(out, b, force)) == CPK_EXIT_OK)
		printf("%s: %zu container%s for %s\n", out, s->n,
		    s->n == 1 ? "" : "s", o->sid ? o->sid : "the machine");
	cpk_blob_free(&b);
	free(v);
	return code;
}

static int
to_folder(const cpk_scan *s, const char *out)
{
	char dir[PATH_MAX];
	cpk_err r;

	if (s->n > 1 && mkdir(out, 0700) != 0) {
		cli_error("%s: cannot create (it must not exist)", out);
		return CPK_EXIT_USAGE;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (s->n == 1)
			snprintf(dir, sizeof(dir), "%s", out);
		else if ((r = cpk_folder_name(out, s->v[i].ref.name, dir,
		    sizeof(dir))) != CPK_OK) {
			cli_error("%s: %s", out, cpk_err_text(r));
			return CPK_EXIT_ENV;
		}
		if ((r = cpk_dir_write_new(dir, s->v[i].files)) != CPK_OK) {
			cli_error("%s: %s", dir, r == CPK_E_EXISTS ?
			    "already exists" : cpk_err_text(r));
			return r == CPK_E_EXISTS ? CPK_EXIT_USAGE : CPK_EXIT_ENV;
		}
		printf("%s -> %s\n", s->v[i].ref.fqcn, dir);
	}
	return CPK_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "sid", required_argument, NULL, 's' },
		{ "machine", no_argument, NULL, 'm' },
		{ "regedit4", no_argument, NULL, '4' },
		{ "no-wow64", no_argument, NULL, 'W' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	cpk_reg_opts ro = { NULL, 1, 0 };
	cpk_scan scan;
	const char *kind = NULL, *out = NULL;
	int ch, machine = 0, force = 0, verbose = 0, code;
	cpk_err r;

	cli_init("cpkit-export", 0);
	memset(&scan, 0, sizeof(scan));
	while ((ch = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (optind >= argc || kind != NULL)
				usage(CPK_EXIT_USAGE);
			kind = optarg;
			out = argv[optind++];
			break;
		case 's':
			ro.sid = optarg;
			break;
		case 'm':
			machine = 1;
			break;
		case '4':
			ro.regedit4 = 1;
			break;
		case 'W':
			ro.wow64 = 0;
			break;
		case 'F':
			force = 1;
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
	if (kind == NULL || optind >= argc || (ro.sid != NULL && machine) ||
	    (strcmp(kind, "reg") != 0 && strcmp(kind, "folder") != 0))
		usage(CPK_EXIT_USAGE);
	for (int i = optind; i < argc; i++)
		if (same_file(argv[i], out)) {
			cli_error("%s: the output would overwrite an input",
			    out);
			return CPK_EXIT_USAGE;
		}
	if (strcmp(kind, "reg") == 0 && ro.sid != NULL && optind + 1 == argc &&
	    !ro.regedit4 && cpk_path_is_reg(argv[optind]))
		return move_reg(argv[optind], out, ro.sid, force);
	for (int i = optind; i < argc; i++)
		if ((r = cpk_scan_add(&scan, argv[i], time(NULL))) != CPK_OK) {
			code = cli_path_error(argv[i], r);
			goto out;
		}
	for (size_t i = 0; i < scan.nwarn; i++)
		cli_error("warning: %s", scan.warn[i]);
	if (scan.n == 0) {
		cli_error("no key container found");
		code = CPK_EXIT_DATA;
		goto out;
	}
	code = strcmp(kind, "reg") == 0 ? to_reg(&scan, out, &ro, machine,
	    force) : to_folder(&scan, out);
out:
	cpk_scan_free(&scan);
	return code;
}
