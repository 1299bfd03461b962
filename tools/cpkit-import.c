/* cpkit-import: a new CryptoPro container from an OpenSSL GOST key (PEM
 * or DER PKCS#8) or a GOST PFX and its certificate. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "diag.h"
#include "recovery.h"

static _Noreturn void
usage(int code)
{
	FILE *o = code == 0 ? stdout : stderr;

	if (code != CPK_EXIT_OK)
		cli_usage_hint();	/* one line, not the whole text */
	fputs(_("usage: cpkit-import KEY.pem|KEY.der|FILE.pfx [--cert CERT]\n"
	    "                    (--to folder DIR | --to reg FILE [--sid SID |\n"
	    "                    --machine]) [--name NAME] [--exchange |\n"
	    "                    --signature] [--password-…] [--pfx-password-…]\n"
	    "\n"
	    "Builds a new key container from a GOST private key: fresh mask\n"
	    "and salt for both copies, the certificate in the header, its\n"
	    "fingerprint, the key validity from its PrivateKeyUsagePeriod\n"
	    "(else notBefore + 15 months), all MACs. A certificate that\n"
	    "does not match the key is refused.\n"
	    "\n"
	    "  --cert CERT            the certificate (else the one in the\n"
	    "                         PEM or PFX)\n"
	    "  --to folder DIR        a new container folder under DIR\n"
	    "  --to reg FILE          a .reg file (with --sid or --machine)\n"
	    "  --name NAME            the container name (default: the\n"
	    "                         certificate's CN)\n"
	    "  --exchange, --signature   the key's role (default: from the\n"
	    "                         certificate's key usage)\n"
	    "  --password-file F, --password-env VAR, --empty-password, --ask\n"
	    "                         the new container's password\n"
	    "  --pfx-password-file F, --pfx-password-env VAR\n"
	    "                         the PFX's password (--ask prompts)\n"
	    "\n"
	    "Exit status: 0 written, 2 usage, 3 environment, 4 data (not a\n"
	    "GOST key, wrong PFX password, certificate of another key).\n"), o);
	exit(code);
}

struct opts {
	const char	*in, *cert, *kind, *out, *name, *sid;
	int		 machine, role;		/* role: -1 auto, 0 sig, 1 xchg */
	cpk_secret_src	 pw, pfx;
};

static void
parse(int argc, char **argv, struct opts *o)
{
	static const struct option opts[] = {
		{ "cert", required_argument, NULL, 'c' },
		{ "to", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "sid", required_argument, NULL, 's' },
		{ "machine", no_argument, NULL, 'm' },
		{ "exchange", no_argument, NULL, 'X' },
		{ "signature", no_argument, NULL, 'S' },
		CLI_SECRET_OPTIONS,
		{ "pfx-password-file", required_argument, NULL, 'P' },
		{ "pfx-password-env", required_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, verbose = 0;

	o->role = -1;
	while ((ch = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': o->cert = optarg; break;
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
		case 's': o->sid = optarg; break;
		case 'm': o->machine = 1; break;
		case 'X': o->role = 1; break;
		case 'S': o->role = 0; break;
		CLI_SECRET_CASES:
			cli_secret_opt(ch, optarg, &o->pw);
			o->pfx.ask |= ch == CLI_OPT_ASK;
			break;
		case 'P': o->pfx.file = optarg; break;
		case 'V': o->pfx.env = optarg; break;
		case 'v': cli_set_verbose(++verbose); break;
		case 'h': usage(CPK_EXIT_OK);
		default: usage(CPK_EXIT_USAGE);
		}
	}
	if (o->pfx.ask && (o->pfx.file != NULL || o->pfx.env != NULL))
		o->pfx.ask = 0;
	if (o->pw.ask && (o->pw.file != NULL || o->pw.env != NULL ||
	    o->pw.empty))
		o->pw.ask = 0;
	if (o->kind == NULL)
		cli_usage_error(_("%s is missing"), "--to KIND OUT");
	if (strcmp(o->kind, "folder") != 0 && strcmp(o->kind, "reg") != 0)
		cli_usage_error(_("--to %s: use folder or reg"),
		    cli_disp(o->kind));
	if (o->sid != NULL && o->machine)
		cli_usage_error(_("%s and %s cannot be used together"),
		    "--sid", "--machine");
	cli_secret_one(&o->pw, "");
	cli_secret_one(&o->pfx, "pfx-");
	cli_operands(argc, argv, optind, 1, "KEY");
	o->in = argv[optind];
	if (cli_secret_count(&o->pw) == 0) {
		cli_error(_("say the new container's password: "
		    "--password-file, --password-env, --empty-password or "
		    "--ask"));
		exit(CPK_EXIT_USAGE);
	}
	if (strcmp(o->kind, "reg") == 0 && o->sid == NULL && !o->machine) {
		cli_error(_("--to reg needs --sid SID or --machine"));
		exit(CPK_EXIT_USAGE);
	}
}

/* Why the key file could not be read, for the line naming it. */
static const char *
read_error(cpk_err r)
{
	switch (r) {
	case CPK_E_NO_PASSWORD:
		return _("a PFX: give its password (--pfx-password-file, "
		    "--pfx-password-env or --ask)");
	case CPK_E_BAD_PASSWORD:
		return _("wrong PFX password");
	case CPK_E_UNSUPPORTED:
		return _("not a GOST R 34.10 private key (or an encrypted "
		    "PKCS#8: decrypt it with openssl pkey first)");
	case CPK_E_MISSING:
		return _("no PRIVATE KEY in this PEM");
	default:
		return _("neither a GOST PKCS#8 key nor a PKCS#12 file");
	}
}

static int
write_out(const struct opts *o, const char *name, const cpk_files *f)
{
	char dir[PATH_MAX];
	cpk_reg_entry e = { name, f, NULL };
	cpk_reg_opts ro = { o->sid, 1, 0 };
	cpk_blob *b = NULL;
	struct stat st;
	cpk_err r;

	if (strcmp(o->kind, "reg") == 0) {
		if (lstat(o->out, &st) == 0) {
			cli_error(_("%s: already exists"), o->out);
			return CPK_EXIT_USAGE;
		}
		if ((r = cpk_reg_export(&e, 1, &ro, &b)) == CPK_OK)
			r = cpk_file_write_atomic(o->out, b, 0600);
		cpk_blob_free(&b);
		if (r != CPK_OK) {
			cli_error("%s: %s", o->out, cpk_err_text(r));
			/* CPK_E_BAD_SID, _BAD_NAME, _NO_FOLDER: the
			 * command line's; the rest the machine's */
			return cpk_err_class(r) == CPK_ERRCLASS_USAGE ?
			    CPK_EXIT_USAGE : CPK_EXIT_ENV;
		}
		cli_out(stdout, _("%s: container \"%s\"\n"), cli_disp(o->out),
		    cli_disp(name));
		return CPK_EXIT_OK;
	}
	if ((mkdir(o->out, 0700) != 0 && (stat(o->out, &st) != 0 ||
	    !S_ISDIR(st.st_mode))) ||
	    (r = cpk_folder_name(o->out, name, dir, sizeof(dir))) != CPK_OK ||
	    (r = cpk_dir_write_new(dir, f)) != CPK_OK) {
		cli_error(_("%s: cannot write the container there"), o->out);
		return CPK_EXIT_USAGE;
	}
	cli_out(stdout, _("%s: container \"%s\"\n"), cli_disp(dir),
	    cli_disp(name));
	return CPK_EXIT_OK;
}

int
main(int argc, char **argv)
{
	char pw[CPK_SECRET_MAX], pfxpw[CPK_SECRET_MAX], name[512];
	struct opts o;
	cpk_blob *in = NULL, *cert = NULL, *cert2 = NULL;
	cpk_key *k = NULL;
	cpk_files *f = NULL;
	cpk_cert_info ci;
	int code = CPK_EXIT_DATA, is_pfx, have_pfx = 0;
	cpk_err r;

	cli_init("cpkit-import", 0);
	memset(&o, 0, sizeof(o));
	pw[0] = pfxpw[0] = '\0';
	parse(argc, argv, &o);
	if ((r = cpk_file_read_given(o.in, CPK_FILE_MAX, &in)) != CPK_OK) {
		/* a key file that is not there is CPK_E_NO_PATH: a
		 * mistyped argument (2), as a missing PATH is in every tool */
		code = cli_path_error(o.in, r);
		goto out;
	}
	if (cli_secret_count(&o.pfx) == 1) {
		if (cli_secret_read(&o.pfx, _("PFX password: "), pfxpw,
		    sizeof(pfxpw)) != CPK_OK) {
			code = CPK_EXIT_USAGE;
			goto out;
		}
		have_pfx = 1;
	}
	if ((r = cpk_import_read(in, have_pfx ? pfxpw : NULL, &k, &cert,
	    &is_pfx)) != CPK_OK) {
		cli_error("%s: %s", o.in, read_error(r));
		code = r == CPK_E_NO_PASSWORD ? CPK_EXIT_USAGE : CPK_EXIT_DATA;
		goto out;
	}
	if (o.cert != NULL) {
		cpk_blob_free(&cert);
		if ((r = cpk_cert_read_file(o.cert, &cert)) != CPK_OK) {
			code = cli_path_error(o.cert, r);
			goto out;
		}
	}
	if (cert != NULL) {
		/* ci: the key usage and period below */
		if (cpk_key_cert_match(k, cert) != CPK_OK ||
		    cpk_cert_parse(cert->ptr, cert->len, &ci) != CPK_OK) {
			cli_error(_("%s: the certificate does not belong to "
			    "this key (its public key is not d*G): nothing "
			    "written"), o.cert ? o.cert : o.in);
			goto out;
		}
		if ((r = cpk_import_name(cert, name, sizeof(name))) !=
		    CPK_OK) {
			cli_error("%s", cpk_err_text(r));
			code = CPK_EXIT_ENV;
			goto out;
		}
	} else {
		memset(&ci, 0, sizeof(ci));
		snprintf(name, sizeof(name), "imported");
		cli_error(_("warning: no certificate: the container will have "
		    "none (add it later with cpkit-fix --cert)"));
	}
	if (cli_secret_read(&o.pw, _("New container password: "), pw,
	    sizeof(pw)) != CPK_OK) {
		code = CPK_EXIT_USAGE;
		goto out;
	}
	{
		cpk_new_container nc = { o.name ? o.name : name, k, cert, pw, 1,
		    o.role >= 0 ? o.role : ci.exchange_hint,
		    ci.pkup_not_after, 1, NULL, NULL };
		if ((r = cpk_container_create(&nc, &f)) != CPK_OK) {
			cli_error("%s", r == CPK_E_RANGE || r == CPK_E_LENGTH ?
			    _("the container name has no CP1251 form within "
			    "127 bytes: choose --name") : cpk_err_text(r));
			code = r == CPK_E_RANGE || r == CPK_E_LENGTH ?
			    CPK_EXIT_USAGE : CPK_EXIT_ENV;
			goto out;
		}
		code = write_out(&o, nc.name, f);
	}
out:
	cli_secret_wipe(pw, sizeof(pw));
	cli_secret_wipe(pfxpw, sizeof(pfxpw));
	cpk_files_free(&f);
	cpk_key_free(&k);
	cpk_blob_free(&in);
	cpk_blob_free(&cert);
	cpk_blob_free(&cert2);
	return code;
}
