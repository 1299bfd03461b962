/* Shared CLI code: process hardening, password sources, exit codes. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "diag.h"

/* Where the message catalogs are installed: $(PREFIX)/share/locale, from
 * the Makefile; CPKIT_LOCALEDIR points elsewhere (the build tree's, in the
 * tests) without reinstalling. */
#ifndef CPK_LOCALEDIR
#define CPK_LOCALEDIR	"/usr/local/share/locale"
#endif

/* dir/../rel into out when that is a folder: the build tree keeps the
 * catalogs and man pages beside bin/, so `make` alone is enough. */
int
cli_beside_self(const char *rel, char *out, size_t cap)
{
	char dir[PATH_MAX];
	struct stat st;
	int n;

	if (!cli_self_dir(dir, sizeof(dir)))
		return 0;
	n = snprintf(out, cap, "%s/../%s", dir, rel);
	return n > 0 && (size_t)n < cap && stat(out, &st) == 0 &&
	    S_ISDIR(st.st_mode);
}

/* CPKIT_LOCALEDIR first (tests, a catalog elsewhere); then the build
 * tree's, beside the binary; then the installed one. */
const char *
cli_locale_dir(char *buf, size_t cap)
{
	const char *dir = getenv("CPKIT_LOCALEDIR");

	if (dir != NULL && *dir != '\0')
		return dir;
	return cli_data_dir("locale", CPK_LOCALEDIR, buf, cap);
}

static const char *progname = "cpkit";
static int verbosity;

/* The last line of defence for messages: whatever a message holds (a
 * path, a name from media put in by a format string), no control or bidi
 * character and no byte that is not UTF-8 reaches the terminal. Unlike
 * the display form it keeps LF and TAB (a message may have several
 * lines) and leaves backslashes alone (the names in it may already be
 * in display form: cli_disp()). */
static void
put_message(FILE *o, const char *s)
{
	char u[CPK_DISPLAY_UNIT];
	size_t left, used, n;
	uint32_t c;

	for (left = strlen(s); left > 0; s += used, left -= used) {
		n = cpk_utf8_decode((const unsigned char *)s, left, &c);
		if (n > 0 && (c == '\n' || c == '\t' || c == '\\' ||
		    !cpk_display_is_control(c))) {
			fwrite(s, 1, n, o);
			used = n;
			continue;
		}
		n = cpk_display_unit(s, left, u, &used);
		fwrite(u, 1, n, o);
	}
}

static void
log_sink(int level, const char *func, const char *msg)
{
	if (level <= verbosity) {
		fprintf(stderr, "%s: %s: ", progname, func);
		put_message(stderr, msg);
		fputc('\n', stderr);
	}
}

const char *
cli_disp(const char *s)
{
	static cpk_display_ring ring;

	return cpk_display(&ring, s);
}

void
cli_out(FILE *o, const char *fmt, ...)
{
	char buf[4 * CPK_DISPLAY_CAP];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put_message(o, buf);
}

const char *
cli_prog(void)
{
	return progname;
}

void
cli_set_verbose(int v)
{
	verbosity = v;
}

void
cli_init(const char *prog, int verbose)
{
	char dir[PATH_MAX];

	cli_locale_init(cli_locale_dir(dir, sizeof(dir)));
	progname = prog;
	verbosity = verbose;
	cli_harden();
	cpk_log_set(log_sink);
	cli_stdout_checked();
	/* the time of every verdict (tests pin it): a bad one is a usage
	 * error before anything is judged */
	if (cpk_now_check() != CPK_OK) {
		cli_error(_("CPKIT_NOW: not a date (YYYY-MM-DD or "
		    "YYYY-MM-DDTHH:MM:SSZ, UTC)"));
		exit(CPK_EXIT_USAGE);
	}
}

void
cli_error(const char *fmt, ...)
{
	char buf[4 * CPK_DISPLAY_CAP];
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put_message(stderr, buf);
	fputc('\n', stderr);
}

void
cli_secret_opt(int ch, const char *arg, cpk_secret_src *s)
{
	switch (ch) {
	case CLI_OPT_PW_FILE:
		s->file = arg;
		break;
	case CLI_OPT_PW_ENV:
		s->env = arg;
		break;
	case CLI_OPT_PW_EMPTY:
		s->empty = 1;
		break;
	case CLI_OPT_ASK:
		s->ask = 1;
		break;
	case CLI_OPT_PW_LIST:
		s->list = arg;
		break;
	}
}

int
cli_secret_count(const cpk_secret_src *s)
{
	return (s->file != NULL) + (s->env != NULL) + (s->empty != 0) +
	    (s->ask != 0) + (s->list != NULL);
}

void
cli_secret_wipe(char *buf, size_t cap)
{
	OPENSSL_cleanse(buf, cap);
}

static void
chomp(char *buf)
{
	size_t n = strlen(buf);

	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '\r')
		buf[n - 1] = '\0';
}

static cpk_err
from_file(const char *path, char *buf, size_t cap)
{
	enum cpk_pwtext how;

	return cli_secret_file(path, buf, cap, &how);
}

static cpk_err
from_tty(const char *prompt, char *buf, size_t cap)
{
	cpk_err r = cli_tty_secret(prompt, buf, cap);

	if (r == CPK_E_NOT_FOUND) {
		cli_error(_("--ask needs a terminal; use --password-file or "
		    "--password-env"));
		return CPK_E_NO_PASSWORD;
	}
	if (r == CPK_OK)
		chomp(buf);
	return r;
}

cpk_err
cli_secret_read(const cpk_secret_src *s, const char *prompt, char *buf,
    size_t cap)
{
	const char *v;

	buf[0] = '\0';
	if (s->empty)
		return CPK_OK;
	if (s->file != NULL)
		return from_file(s->file, buf, cap);
	if (s->env != NULL) {
		if ((v = getenv(s->env)) == NULL) {
			cli_error(_("environment variable %s is not set"),
			    s->env);
			return CPK_E_NO_PASSWORD;
		}
		if (strlen(v) >= cap) {
			cli_error(_("the password in %s is too long"), s->env);
			return CPK_E_NO_PASSWORD;
		}
		memcpy(buf, v, strlen(v) + 1);
		return CPK_OK;
	}
	if (s->ask)
		return from_tty(prompt, buf, cap);
	return CPK_E_NO_PASSWORD;
}

cpk_err
cli_password_opt(const cpk_secret_src *s, char *buf, size_t cap, int *have)
{
	*have = 0;
	buf[0] = '\0';
	if (cli_secret_count(s) == 0)
		return CPK_OK;
	if (cli_secret_read(s, _("Container password: "), buf, cap) != CPK_OK)
		return CPK_E_NO_PASSWORD;
	*have = 1;
	return CPK_OK;
}

enum cpk_exit
cli_exit_for(cpk_err e)
{
	switch (cpk_err_class(e)) {
	case CPK_ERRCLASS_OK:
		return CPK_EXIT_OK;
	case CPK_ERRCLASS_USAGE:
		return CPK_EXIT_USAGE;
	case CPK_ERRCLASS_ENV:
		return CPK_EXIT_ENV;
	case CPK_ERRCLASS_DATA:
		break;
	}
	return CPK_EXIT_DATA;
}

cpk_err
cli_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return CPK_E_ARG;	/* empty, sign or blank */
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return CPK_E_ARG;
	*out = (uint32_t)v;
	return CPK_OK;
}

int
cli_path_error(const char *path, cpk_err r)
{
	if (strncmp(path, "pcsc:", 5) == 0)
		return cli_token_error(path, r);
	cli_error("%s: %s", cli_disp(path), cpk_err_text(r));
	return r == CPK_E_NOT_FOUND || r == CPK_E_NOT_REGULAR ?
	    (int)CPK_EXIT_USAGE : (int)cli_exit_for(r);
}

cpk_err
cli_read_stream(FILE *f, size_t cap, cpk_blob **out)
{
	char buf[65536];
	size_t n;
	cpk_err r;

	if ((r = cpk_blob_new(NULL, 0, out)) != CPK_OK)
		return r;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if ((*out)->len + n > cap) {
			cpk_blob_free(out);
			return CPK_E_TOO_BIG;
		}
		if ((r = cpk_blob_append(*out, buf, n)) != CPK_OK) {
			cpk_blob_free(out);
			return r;
		}
	}
	return CPK_OK;
}

/* Each container of the scan on one line, its FQCN and where it is:
 * the first 50 of them (a medium may hold 100,000). */
#define CLI_LIST_MAX	50

static void
list_containers(const cpk_scan *s)
{
	for (size_t i = 0; i < s->n && i < CLI_LIST_MAX; i++)
		cli_out(stderr, "  %s  %s\n", cli_disp(s->v[i].ref.fqcn),
		    cli_disp(s->v[i].ref.location));
	if (s->n > CLI_LIST_MAX)
		cli_out(stderr, P_("  ... and %zu more\n",
		    "  ... and %zu more\n", s->n - CLI_LIST_MAX),
		    s->n - CLI_LIST_MAX);
}

int
cli_container_pick(cpk_scan *s, const char *want)
{
	size_t n;
	cpk_err r;

	if (want == NULL)
		return CPK_EXIT_OK;
	if ((r = cpk_scan_pick(s, want, &n)) == CPK_OK)
		return CPK_EXIT_OK;
	if (r == CPK_E_NOT_FOUND) {
		cli_error(P_("--container %s: none of the %zu container found "
		    "has that name; it is:", "--container %s: none of the %zu "
		    "containers found has that name; they are:", s->n),
		    cli_disp(want), s->n);
		list_containers(s);
		return CPK_EXIT_USAGE;
	}
	cli_error(_("--container %s: %zu containers have that name; give "
	    "the location of one as cpkit-list prints it:"), cli_disp(want),
	    n);
	list_containers(s);
	return CPK_EXIT_USAGE;
}

int
cli_container_one(const cpk_scan *s, const char *path)
{
	if (s->n == 1)
		return CPK_EXIT_OK;
	if (s->n == 0) {
		cli_error(_("%s: no key container found"), cli_disp(path));
		return CPK_EXIT_DATA;
	}
	cli_error(_("%s: %zu containers found: name one with --container "
	    "NAME, or give its location as cpkit-list prints it:"),
	    cli_disp(path), s->n);
	list_containers(s);
	return CPK_EXIT_USAGE;
}
