/* cpkit-export: a container to a new folder, a regedit-compatible .reg
 * file, PEM (certificate + PKCS#8 key) or a GOST PKCS#12; a .reg export
 * moved to another user's SID. */
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
	fputs(_("usage: cpkit-export --to folder DIR [--name NEW] CONTAINER...\n"
	    "       cpkit-export --to reg FILE [--sid SID | --machine]\n"
	    "                    [--merge-users] [--rename-duplicates]\n"
	    "                    [--regedit4] [--no-wow64] CONTAINER...\n"
	    "       cpkit-export --to reg FILE --sid SID EXPORT.reg\n"
	    "       cpkit-export --to pem FILE [--password-…] CONTAINER\n"
	    "       cpkit-export --to pfx FILE [--password-…]\n"
	    "                    [--pfx-password-file F | --pfx-password-env V]\n"
	    "                    CONTAINER\n"
	    "\n"
	    "Copies key containers (from folders, .reg files or hives):\n"
	    "  folder  a complete container folder under DIR (a flash drive\n"
	    "          root, an HDIMAGE store), named as CryptoPro does: the\n"
	    "          first 8 characters of the name + .000, the next free\n"
	    "          number on a clash; --name renames the container\n"
	    "  reg     a .reg file as regedit writes it (5.00, UTF-16LE);\n"
	    "          each container under its own user's SID or the\n"
	    "          machine's key, as found; a folder or token container\n"
	    "          needs --sid or --machine; given one .reg and --sid,\n"
	    "          the same export for another user, only the SID changed\n"
	    "  pem     the certificate and the private key (PKCS#8) that\n"
	    "          openssl pkey -engine gost reads; needs the password\n"
	    "  pfx     a PKCS#12 with GOST protection (openssl pkcs12 -engine\n"
	    "          gost reads it); needs the password and a PFX password\n"
	    "Folder and reg need no password. Files holding a key are 0600.\n"
	    "\n"
	    "  --password-file F, --password-env VAR, --empty-password, --ask\n"
	    "                        the container's password (never argv)\n"
	    "  --pfx-password-file F, --pfx-password-env VAR\n"
	    "                        the new PFX's password (--ask prompts)\n"
	    "  --pin-file F, --pin-env VAR, --ask-pin, --min-tries N\n"
	    "                        a token's user PIN (CONTAINER pcsc: or\n"
	    "                        pcsc:READER), sent once, never when a\n"
	    "                        wrong one could leave fewer than N tries\n"
	    "  --ignore-export-flag  export a key marked non-exportable (its\n"
	    "                        owner's choice; said in the output)\n"
	    "  --sid SID, --machine, --regedit4, --no-wow64   for reg\n"
	    "  --merge-users         let --sid or --machine put the containers\n"
	    "                        of several users under one\n"
	    "  --rename-duplicates   a container whose name another one has\n"
	    "                        becomes \"NAME (2)\", name.key too (reg:\n"
	    "                        else refused; folder: else a warning)\n"
	    "  --force               replace an existing output FILE\n"
	    "  -q                    no warnings about unreadable media\n"
	    "\n"
	    "Exit status: 0 written, 2 usage (nothing written), 3 environment\n"
	    "(no pcscd or token; a token pulled out: nothing written), 4 data:\n"
	    "no container, wrong password or PIN, key not exportable, files\n"
	    "behind a token PIN that was not given.\n"), o);
	fputs(_(CLI_PWLIST_HELP), o);
	fputs(_(CLI_CONTAINER_HELP), o);
	fputs(_("\nAn incomplete container (a key file missing) is exported as\n"
	    "it is, with a warning naming what is missing, and exit 1.\n"), o);
	exit(code);
}

struct opts {
	const char	*kind, *out, *name, *want;
	cpk_reg_opts	 ro;
	int		 machine, force, ignore_flag, quiet;
	int		 merge_users, rename_dups;
	cpk_secret_src	 pw, pfx;
	cli_pin		 pin;		/* a token's user PIN (pcsc:) */
};

static int
write_file(const char *path, const cpk_blob *b, int force)
{
	struct stat st;
	cpk_err r;

	if (!force && lstat(path, &st) == 0) {
		cli_error(_("%s: already exists (--force replaces it)"), path);
		return CPK_EXIT_USAGE;
	}
	if ((r = cpk_file_write_atomic(path, b, 0600)) != CPK_OK) {
		cli_error("%s: %s", path, cpk_err_text(r));
		/* a folder that is not there is the command line's fault
		 * (CPK_E_NO_FOLDER); anything else the machine's */
		return cpk_err_class(r) == CPK_ERRCLASS_USAGE ?
		    CPK_EXIT_USAGE : CPK_EXIT_ENV;
	}
	return CPK_EXIT_OK;
}

/* Moving an export to another user: rewrite the SIDs, keep the rest.
 * -1: the file holds keys that are not containers (or deletions), so its
 * bytes are not kept; the caller writes its containers anew. */
static int
move_reg(const char *in, const struct opts *o)
{
	cpk_blob *raw = NULL, *moved = NULL;
	size_t n;
	int code;
	cpk_err r;

	if ((r = cpk_file_read_given(in, 128u * 1024 * 1024, &raw)) != CPK_OK)
		return cli_path_error(in, r);
	r = cpk_reg_rewrite_sid(raw->ptr, raw->len, o->ro.sid, &moved, &n);
	cpk_blob_free(&raw);
	if (r == CPK_E_FORMAT) {
		cli_error(_("warning: %s holds registry keys that are not key "
		    "containers, or deletions: its containers are written "
		    "anew and the rest is left out"), in);
		return -1;
	}
	if (r != CPK_OK) {
		cli_error("%s: %s", r == CPK_E_BAD_SID ? cli_disp(o->ro.sid) :
		    in, cpk_err_text(r));
		return r == CPK_E_BAD_SID ? (int)cli_exit_for(r) :
		    CPK_EXIT_DATA;
	}
	if ((code = write_file(o->out, moved, o->force)) == CPK_EXIT_OK)
		cli_out(stdout, P_("%s: %zu key path moved to %s\n",
		    "%s: %zu key paths moved to %s\n", n), cli_disp(o->out), n,
		    o->ro.sid);
	cpk_blob_free(&moved);
	return code;
}

/* Outputs sharing a key path (reg) or an FQCN (folder): refused for a
 * .reg, a warning for folders, or with --rename-duplicates the later one
 * renamed, its name.key too. names[] may be replaced by strings kept in
 * own[]. */
static int
dedupe(const cpk_scan *s, const struct opts *o, const char **names,
    const char *const *sids, char **own)
{
	size_t a, b;
	cpk_err r;

	while (cpk_export_clash(names, sids, s->n, 0, &a, &b)) {
		if (!o->rename_dups && sids == NULL) {
			do
				cli_error(_("warning: %s and %s both hold the "
				    "container \"%s\": CSP would list two "
				    "containers of one name "
				    "(--rename-duplicates renames the second)"),
				    s->v[a].ref.location, s->v[b].ref.location,
				    names[b]);
			while (cpk_export_clash(names, sids, s->n, b + 1, &a,
			    &b));
			return CPK_EXIT_OK;
		}
		if (!o->rename_dups) {
			cli_error(_("%s and %s are both the container \"%s\" "
			    "of %s: in one .reg they would be one registry "
			    "key, and importing it would mix their files; add "
			    "--rename-duplicates (the second becomes \"%s "
			    "(2)\") or export them separately; nothing "
			    "written"), s->v[a].ref.location,
			    s->v[b].ref.location, names[b], sids[b] != NULL ?
			    sids[b] : _("the machine's store"), names[b]);
			return CPK_EXIT_USAGE;
		}
		if ((r = cpk_export_free_name(names, sids, s->n, b, &own[b])) !=
		    CPK_OK) {
			cli_error("%s: %s", s->v[b].ref.location,
			    cpk_err_text(r));
			return r == CPK_E_NOMEM ? CPK_EXIT_ENV : CPK_EXIT_USAGE;
		}
		if ((r = cpk_export_rename(s->v[b].files, own[b])) != CPK_OK) {
			cli_error(_("%s: \"%s\" has no CP1251 form within 127 "
			    "bytes: the container cannot be renamed"),
			    s->v[b].ref.location, own[b]);
			return CPK_EXIT_USAGE;
		}
		names[b] = own[b];
		cli_out(stdout, _("%s: renamed to \"%s\" (another container "
		    "has its name)\n"), cli_disp(s->v[b].ref.location),
		    cli_disp(own[b]));
	}
	return CPK_EXIT_OK;
}

/* The distinct users (SIDs, compared as Windows does) of the containers,
 * into u (room for s->n) when not NULL; how many. */
static size_t
users(const cpk_scan *s, const char **u)
{
	size_t n = 0, k;

	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].ref.scope != CPK_SCOPE_USER)
			continue;
		for (k = 0; k < i; k++)
			if (s->v[k].ref.scope == CPK_SCOPE_USER &&
			    strcasecmp(s->v[k].ref.sid, s->v[i].ref.sid) == 0)
				break;
		if (k == i) {
			if (u != NULL)
				u[n] = s->v[i].ref.sid;
			n++;
		}
	}
	return n;
}

/* A forced user (--sid, --machine) over containers of two or more users
 * merges their keys into one profile: only with --merge-users. */
static int
check_users(const cpk_scan *s, const struct opts *o)
{
	const char **u;
	size_t n, len = 1;
	char *list;
	int code = CPK_EXIT_USAGE;

	if ((o->ro.sid == NULL && !o->machine) || o->merge_users ||
	    users(s, NULL) < 2)
		return CPK_EXIT_OK;
	if ((u = calloc(s->n, sizeof(*u))) == NULL)
		return CPK_EXIT_ENV;
	n = users(s, u);
	for (size_t k = 0; k < n; k++)
		len += strlen(u[k]) + 2;
	if ((list = malloc(len)) == NULL) {
		free(u);
		return CPK_EXIT_ENV;
	}
	list[0] = '\0';
	for (size_t k = 0; k < n; k++) {
		strcat(list, u[k]);
		if (k + 1 < n)
			strcat(list, ", ");
	}
	cli_error(P_("the containers belong to %zu user (%s): putting them "
	    "all under %s merges their keys into one profile; add "
	    "--merge-users if that is meant, or export each user's "
	    "containers separately; nothing written",
	    "the containers belong to %zu users (%s): putting them all "
	    "under %s merges their keys into one profile; add --merge-users "
	    "if that is meant, or export each user's containers separately; "
	    "nothing written", n), n, list,
	    o->ro.sid != NULL ? o->ro.sid : _("the machine's store"));
	free(list);
	free(u);
	return code;
}

/* Where each container goes (REGISTRY.md §4.1): --sid or --machine for
 * all, else each keeps its own user or the machine's store; a container
 * from no registry must be told. Its key name must be one a .reg line
 * can hold. */
static int
reg_targets(const cpk_scan *s, const struct opts *o, const char **names,
    const char **sids)
{
	const cpk_ref *ref;

	for (size_t i = 0; i < s->n; i++) {
		ref = &s->v[i].ref;
		sids[i] = o->ro.sid;
		if (o->ro.sid == NULL && !o->machine) {
			if (ref->scope == CPK_SCOPE_NONE) {
				cli_error(_("%s: \"%s\" is not from a "
				    "registry, so it has no user; say whose it "
				    "is: --sid SID (see 'whoami /user' on "
				    "Windows) or --machine; nothing written"),
				    ref->location, ref->name);
				return CPK_EXIT_USAGE;
			}
			sids[i] = ref->scope == CPK_SCOPE_USER ? ref->sid :
			    NULL;
			if (sids[i] != NULL && !cpk_reg_sid_ok(sids[i])) {
				cli_error(_("%s: \"%s\" in its key path is not "
				    "a SID (S-1-5-21-...): say whose the "
				    "container is with --sid SID; nothing "
				    "written"), ref->location, sids[i]);
				return CPK_EXIT_USAGE;
			}
		}
		if (!cpk_reg_name_ok(names[i])) {
			cli_error(_("%s: the container name \"%s\" cannot be "
			    "a registry key: it holds a line break, another "
			    "control character, '\\' or ']'; export it under "
			    "a name of your choosing with --name NEW; nothing "
			    "written"), ref->location, names[i]);
			return CPK_EXIT_USAGE;
		}
	}
	return CPK_EXIT_OK;
}

static int
to_reg(const cpk_scan *s, struct opts *o)
{
	cpk_reg_entry *v = NULL;
	const char **names = NULL, **sids = NULL;
	char **own = NULL;
	cpk_blob *b = NULL;
	int code = CPK_EXIT_ENV;
	cpk_err r;

	if ((v = calloc(s->n, sizeof(*v))) == NULL ||
	    (names = calloc(s->n, sizeof(*names))) == NULL ||
	    (own = calloc(s->n, sizeof(*own))) == NULL ||
	    (sids = calloc(s->n, sizeof(*sids))) == NULL)
		goto out;
	for (size_t i = 0; i < s->n; i++)
		names[i] = o->name != NULL ? o->name : s->v[i].ref.name;
	if ((code = check_users(s, o)) != CPK_EXIT_OK ||
	    (code = reg_targets(s, o, names, sids)) != CPK_EXIT_OK)
		goto out;
	for (size_t i = 0; o->name != NULL && i < s->n; i++)
		if (cpk_export_rename(s->v[i].files, o->name) != CPK_OK) {
			cli_error(_("--name: \"%s\" has no CP1251 form within "
			    "127 bytes"), o->name);
			code = CPK_EXIT_USAGE;
			goto out;
		}
	if ((code = dedupe(s, o, names, sids, own)) != CPK_EXIT_OK)
		goto out;
	for (size_t i = 0; i < s->n; i++) {
		v[i].name = names[i];
		v[i].files = s->v[i].files;
		v[i].sid = o->ro.sid == NULL ? sids[i] : NULL;
	}
	if ((r = cpk_reg_export(v, s->n, &o->ro, &b)) != CPK_OK) {
		cli_error("%s: %s", r == CPK_E_BAD_SID && o->ro.sid != NULL ?
		    cli_disp(o->ro.sid) : o->out, r == CPK_E_RANGE ?
		    _("a container name has no CP1251 form: REGEDIT4 cannot "
		    "hold it") : cpk_err_text(r));
		code = r == CPK_E_NOMEM ? CPK_EXIT_ENV : CPK_EXIT_USAGE;
		goto out;
	}
	if ((code = write_file(o->out, b, o->force)) == CPK_EXIT_OK &&
	    o->ro.sid != NULL)
		cli_out(stdout, P_("%s: %zu container for %s\n",
		    "%s: %zu containers for %s\n", s->n), cli_disp(o->out), s->n,
		    o->ro.sid);
	else if (code == CPK_EXIT_OK && o->machine)
		cli_out(stdout, P_("%s: %zu container for the machine\n",
		    "%s: %zu containers for the machine\n", s->n),
		    cli_disp(o->out),
		    s->n);
	else if (code == CPK_EXIT_OK)
		cli_out(stdout, P_("%s: %zu container, each for its own user "
		    "or the machine\n", "%s: %zu containers, each for its own "
		    "user or the machine\n", s->n), cli_disp(o->out), s->n);
out:
	for (size_t i = 0; own != NULL && i < s->n; i++)
		free(own[i]);
	cpk_blob_free(&b);
	free(own);
	free(names);
	free(sids);
	free(v);
	return code;
}

/* A link, FIFO or device in place of a key file was not read (it could
 * point at a file of this machine's): the copy lacks that file, which is
 * said, and the export is partial (exit 1). */
static int
not_read(const cpk_scan *s)
{
	int n = 0;

	for (size_t i = 0; i < s->n; i++)
		for (int k = 0; k < CPK_F_COUNT; k++)
			if (s->v[i].files->err[k] == CPK_E_LINK ||
			    s->v[i].files->err[k] == CPK_E_NOT_REGULAR) {
				cli_error(_("%s: %s not copied: %s"),
				    s->v[i].ref.location,
				    cpk_file_name((enum cpk_file_id)k),
				    cpk_err_text(s->v[i].files->err[k]));
				n++;
			}
	return n;
}

/* A container exported without all it needs (FORMATS.md §14 check 1):
 * the copy is as incomplete as the original, which is said, naming the
 * files it lacks as written (a name.key --name wrote counts), and the
 * export is partial (exit 1). A reserve pair absent as a whole is no
 * gap: some CSP versions write none. */
static int
incomplete(const cpk_scan *s)
{
	char list[160];
	const cpk_files *f;
	int n = 0, main_none, reserve_none;

	for (size_t i = 0; i < s->n; i++) {
		f = s->v[i].files;
		main_none = f->f[CPK_F_MASKS] == NULL &&
		    f->f[CPK_F_PRIMARY] == NULL;
		reserve_none = f->f[CPK_F_MASKS2] == NULL &&
		    f->f[CPK_F_PRIMARY2] == NULL;
		list[0] = '\0';
		for (int k = 0; k < CPK_F_COUNT; k++) {
			if (f->f[k] != NULL || f->err[k] == CPK_E_LINK ||
			    f->err[k] == CPK_E_NOT_REGULAR)	/* not_read() */
				continue;
			if ((k == CPK_F_MASKS2 || k == CPK_F_PRIMARY2) &&
			    reserve_none && !main_none)
				continue;
			snprintf(list + strlen(list), sizeof(list) -
			    strlen(list), "%s%s", list[0] ? ", " : "",
			    cpk_file_name((enum cpk_file_id)k));
		}
		if (list[0] == '\0')
			continue;
		cli_error(_("warning: %s: exported incomplete, without %s"),
		    cli_disp(s->v[i].ref.location), list);
		n++;
	}
	return n;
}

/* A token container read without its PIN lacks the protected files:
 * exporting it would write an incomplete copy, so nothing is written. */
static int
pin_locked(const cpk_scan *s)
{
	for (size_t i = 0; i < s->n; i++)
		for (int k = 0; k < CPK_F_COUNT; k++)
			if (s->v[i].files->err[k] == CPK_E_PIN_NEEDED) {
				cli_error(_("%s: %s is %s; give the PIN "
				    "(--pin-file, --pin-env or --ask-pin); "
				    "nothing written"),
				    cli_disp(s->v[i].ref.location),
				    cpk_file_name((enum cpk_file_id)k),
				    cpk_err_text(CPK_E_PIN_NEEDED));
				return 1;
			}
	return 0;
}

/* Each container in a new folder under DIR, named by CryptoPro's rule;
 * --name rewrites name.key too. */
static int
to_folder(const cpk_scan *s, const struct opts *o)
{
	char dir[PATH_MAX];
	const char **names = NULL;
	char **own = NULL;
	struct stat st;
	int code = CPK_EXIT_ENV, created;
	cpk_err r;

	created = mkdir(o->out, 0700) == 0;
	if (!created && (stat(o->out, &st) != 0 || !S_ISDIR(st.st_mode))) {
		cli_error(_("%s: cannot create the folder"), o->out);
		return CPK_EXIT_USAGE;
	}
	if ((names = calloc(s->n, sizeof(*names))) == NULL ||
	    (own = calloc(s->n, sizeof(*own))) == NULL)
		goto out;
	for (size_t i = 0; i < s->n; i++) {
		names[i] = o->name != NULL ? o->name : s->v[i].ref.name;
		if (o->name != NULL && cpk_export_rename(s->v[i].files, o->name) !=
		    CPK_OK) {
			cli_error(_("--name: \"%s\" has no CP1251 form within "
			    "127 bytes"), o->name);
			code = CPK_EXIT_USAGE;
			goto out;
		}
	}
	if ((code = dedupe(s, o, names, NULL, own)) != CPK_EXIT_OK)
		goto out;
	for (size_t i = 0; i < s->n; i++) {
		if ((r = cpk_folder_name(o->out, names[i], dir, sizeof(dir))) !=
		    CPK_OK || (r = cpk_dir_write_new(dir, s->v[i].files)) !=
		    CPK_OK) {
			cli_error("%s: %s", o->out, cpk_err_text(r));
			code = cli_exit_for(r) == CPK_EXIT_DATA ? CPK_EXIT_ENV :
			    (int)cli_exit_for(r);
			if (created)	/* removed only if nothing was written */
				(void)rmdir(o->out);
			goto out;
		}
		cli_out(stdout, "%s -> %s\n", cli_disp(s->v[i].ref.fqcn),
		    cli_disp(dir));
	}
out:
	for (size_t i = 0; own != NULL && i < s->n; i++)
		free(own[i]);
	free(own);
	free(names);
	return code;
}

/* pem and pfx: one container, unlocked, its export flag obeyed. */
static int
to_keyfile(const cpk_scan *s, const struct opts *o, const char *path)
{
	char pw[CPK_SECRET_MAX], pfxpw[CPK_SECRET_MAX];
	const cpk_container *c = s->v[0].c;
	const cpk_keyparams *kp;
	cpk_key *k = NULL;
	cpk_blob *out = NULL;
	int code = CPK_EXIT_DATA, pfx = strcmp(o->kind, "pfx") == 0;
	cpk_err r;

	pw[0] = pfxpw[0] = '\0';
	if ((code = cli_container_one(s, path)) != CPK_EXIT_OK)
		return code;
	code = CPK_EXIT_DATA;
	if ((r = cpk_export_allowed(c, o->ignore_flag)) == CPK_E_MISSING) {
		cli_error(_("%s: header.key is missing or damaged "
		    "(cpkit-fix)"), cli_disp(s->v[0].ref.location));
		return CPK_EXIT_DATA;
	}
	if (r == CPK_E_NOT_EXPORTABLE) {
		cli_error(_("%s: the key is marked non-exportable "
		    "(pkaExportable clear): CSP refuses to export it; as its "
		    "owner you may override with --ignore-export-flag"),
		    cli_disp(s->v[0].ref.location));
		return CPK_EXIT_DATA;
	}
	kp = cpk_header_params(cpk_container_header(c), 0);
	if ((r = cli_password_for(&o->pw, c, _("Container password: "), pw,
	    sizeof(pw))) != CPK_OK || (pfx && cli_secret_read(&o->pfx,
	    _("New PFX password: "), pfxpw, sizeof(pfxpw)) != CPK_OK)) {
		code = r == CPK_E_BAD_PASSWORD ? CPK_EXIT_DATA :
		    CPK_EXIT_USAGE;
		goto out;
	}
	if ((r = cpk_container_unlock(c, pw, &k)) != CPK_OK) {
		cli_error("%s: %s", cli_disp(s->v[0].ref.location),
		    r == CPK_E_FINGERPRINT ||
		    r == CPK_E_BAD_PASSWORD ? _("the password does not unlock "
		    "the key") : cpk_err_text(r));
		goto out;
	}
	if (pfx && cpk_header_cert(cpk_container_header(c), 0) == NULL) {
		cli_error(_("%s: no certificate in the container for the PFX "
		    "(cpkit-fix --cert)"), cli_disp(s->v[0].ref.location));
		goto out;
	}
	r = pfx ? cpk_pfx_export(k, cpk_header_cert(cpk_container_header(c), 0), pfxpw,
	    &out) : cpk_export_pem(c, k, &out);
	if (r != CPK_OK) {
		cli_error("%s: %s", o->out, cpk_err_text(r));
		code = CPK_EXIT_ENV;
		goto out;
	}
	if ((code = write_file(o->out, out, o->force)) == CPK_EXIT_OK)
		cli_out(stdout, (kp->attrs & CPK_KA_EXPORTABLE) ?
		    _("%s: %s key of %s\n") : _("%s: %s key of %s (exported "
		    "although marked non-exportable: --ignore-export-flag)\n"),
		    cli_disp(o->out), cpk_profile_name(cpk_key_profile(k)),
		    cli_disp(s->v[0].ref.fqcn));
out:
	cli_secret_wipe(pw, sizeof(pw));
	cli_secret_wipe(pfxpw, sizeof(pfxpw));
	cpk_blob_free(&out);
	cpk_key_free(&k);
	return code;
}

static void
parse(int argc, char **argv, struct opts *o)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "sid", required_argument, NULL, 's' },
		{ "machine", no_argument, NULL, 'm' },
		{ "merge-users", no_argument, NULL, 'U' },
		{ "rename-duplicates", no_argument, NULL, 'R' },
		{ "regedit4", no_argument, NULL, '4' },
		{ "no-wow64", no_argument, NULL, 'W' },
		{ "force", no_argument, NULL, 'F' },
		{ "ignore-export-flag", no_argument, NULL, 'I' },
		CLI_SECRET_OPTIONS,
		CLI_PWLIST_OPTIONS,
		CLI_PIN_OPTIONS,
		CLI_CONTAINER_OPTIONS,
		{ "pfx-password-file", required_argument, NULL, 'P' },
		{ "pfx-password-env", required_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, verbose = 0;

	while ((ch = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (o->kind != NULL)
				cli_usage_error(_("--to is given twice"));
			if (optind >= argc)
				cli_usage_error(_("--to %s: the output folder "
				    "or file is missing"), cli_disp(optarg));
			o->kind = optarg;
			o->out = argv[optind++];
			break;
		case 'n': o->name = optarg; break;
		case 's': o->ro.sid = optarg; break;
		case 'm': o->machine = 1; break;
		case 'U': o->merge_users = 1; break;
		case 'R': o->rename_dups = 1; break;
		case '4': o->ro.regedit4 = 1; break;
		case 'W': o->ro.wow64 = 0; break;
		case 'F': o->force = 1; break;
		case 'I': o->ignore_flag = 1; break;
		CLI_SECRET_CASES:
			cli_secret_opt(ch, optarg, &o->pw);
			o->pfx.ask |= ch == CLI_OPT_ASK;
			break;
		CLI_PIN_CASES:
			if (cli_pin_opt(ch, optarg, &o->pin) != 0)
				usage(CPK_EXIT_USAGE);
			break;
		case 'P': o->pfx.file = optarg; break;
		case 'V': o->pfx.env = optarg; break;
		case 'q': o->quiet = 1; break;
		case CLI_OPT_CONTAINER: o->want = optarg; break;
		case 'v': cli_set_verbose(++verbose); break;
		case 'h': usage(CPK_EXIT_OK);
		default: usage(CPK_EXIT_USAGE);
		}
	}
	if (o->pfx.ask && (o->pfx.file != NULL || o->pfx.env != NULL))
		o->pfx.ask = 0;	/* --ask for what has no other source */
	if (o->pw.ask && (o->pw.file != NULL || o->pw.env != NULL ||
	    o->pw.empty))
		o->pw.ask = 0;
	if (o->kind == NULL)
		cli_usage_error(_("%s is missing"), "--to KIND OUT");
	if (strcmp(o->kind, "reg") != 0 && strcmp(o->kind, "folder") != 0 &&
	    strcmp(o->kind, "pem") != 0 && strcmp(o->kind, "pfx") != 0)
		cli_usage_error(_("--to %s: use folder, reg, pem or pfx"),
		    cli_disp(o->kind));
	if (o->ro.sid != NULL && o->machine)
		cli_usage_error(_("%s and %s cannot be used together"),
		    "--sid", "--machine");
	if (o->merge_users && o->ro.sid == NULL && !o->machine)
		cli_usage_error(_("--merge-users needs --sid SID or "
		    "--machine"));
	cli_secret_one(&o->pw, "");
	cli_secret_one(&o->pfx, "pfx-");
	if (optind >= argc)
		cli_usage_error(_("%s is missing"), "CONTAINER");
	if ((strcmp(o->kind, "pem") == 0 || strcmp(o->kind, "pfx") == 0) &&
	    cli_secret_count(&o->pw) == 0) {
		cli_error(_("--to %s needs the container's password "
		    "(--password-file, --password-env, --empty-password or "
		    "--ask)"), o->kind);
		exit(CPK_EXIT_USAGE);
	}
	if (strcmp(o->kind, "pfx") == 0 && cli_secret_count(&o->pfx) == 0) {
		cli_error(_("--to pfx needs a PFX password "
		    "(--pfx-password-file, --pfx-password-env or --ask)"));
		exit(CPK_EXIT_USAGE);
	}
}

int
main(int argc, char **argv)
{
	struct opts o;
	cpk_scan scan;
	int code, move;
	cpk_err r;

	cli_init("cpkit-export", 0);
	memset(&o, 0, sizeof(o));
	memset(&scan, 0, sizeof(scan));
	cli_pin_init(&o.pin);
	o.ro.wow64 = 1;
	parse(argc, argv, &o);
	for (int i = optind; i < argc; i++)
		if (cpk_path_same_file(argv[i], o.out)) {
			cli_error(_("%s: the output would overwrite an input"),
			    o.out);
			return CPK_EXIT_USAGE;
		}
	move = strcmp(o.kind, "reg") == 0 && o.ro.sid != NULL &&
	    optind + 1 == argc && !o.ro.regedit4 && o.name == NULL &&
	    o.want == NULL &&
	    cpk_path_is_reg(argv[optind]);
	if (cli_pin_read(&o.pin) != CPK_OK) {
		code = CPK_EXIT_USAGE;
		goto out;
	}
	for (int i = optind; i < argc; i++) {
		if ((r = cpk_scan_add_opts(&scan, argv[i], cpk_now(),
		    &o.pin.mo)) != CPK_OK) {
			code = cli_path_error(argv[i], r);
			goto out;
		}
		if ((code = cli_pin_report(&o.pin)) != CPK_EXIT_OK)
			goto out;
	}
	for (size_t i = 0; !o.quiet && i < scan.nwarn; i++)
		cli_error(_("warning: %s"), cli_disp(scan.warn[i]));
	/* one .reg to another user (REGISTRY.md §4): its bytes kept, the SID
	 * replaced, as long as that moves one user; merged users are
	 * written anew, so that clashing names are caught */
	if (move && ((code = check_users(&scan, &o)) != CPK_EXIT_OK ||
	    users(&scan, NULL) < 2)) {
		if (code == CPK_EXIT_OK)
			code = move_reg(argv[optind], &o);
		if (code >= 0)
			goto out;
	}
	if (scan.n == 0) {
		if (argc - optind == 1)
			cli_error(_("%s: no key container found"), argv[optind]);
		else
			cli_error(_("no key container found"));
		code = CPK_EXIT_DATA;
		goto out;
	}
	if ((code = cli_container_pick(&scan, o.want)) != CPK_EXIT_OK)
		goto out;
	if (pin_locked(&scan)) {
		code = CPK_EXIT_DATA;
		goto out;
	}
	if (strcmp(o.kind, "reg") == 0)
		code = to_reg(&scan, &o);
	else if (strcmp(o.kind, "folder") == 0)
		code = to_folder(&scan, &o);
	else
		code = to_keyfile(&scan, &o, argv[optind]);
	if (code == CPK_EXIT_OK && (strcmp(o.kind, "reg") == 0 ||
	    strcmp(o.kind, "folder") == 0) && (not_read(&scan) +
	    incomplete(&scan)) > 0)
		code = CPK_EXIT_FINDINGS;
out:
	cli_pin_wipe(&o.pin);
	cpk_scan_clear(&scan);
	return code;
}
