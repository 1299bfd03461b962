/* Shared command-line helpers of the cpkit tools (STYLE.md §8, §11). */
#ifndef CPKIT_CLI_H
#define CPKIT_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "container.h"
#include "diag.h"
#include "json.h"
#include "i18n.h"
#include "tokens.h"

/* Exit codes shared by every binary (STYLE.md §11). */
enum cpk_exit {
	CPK_EXIT_OK = 0,	/* done, nothing to report */
	CPK_EXIT_FINDINGS = 1,	/* done; findings in the report */
	CPK_EXIT_USAGE = 2,	/* bad option or argument; nothing touched */
	CPK_EXIT_ENV = 3,	/* environment: gost-engine, memory, disk */
	CPK_EXIT_DATA = 4	/* data: damaged beyond repair, no output */
};

/* Where a password comes from; never argv. */
typedef struct cpk_secret_src {
	const char	*file;		/* --password-file */
	const char	*env;		/* --password-env */
	int		 empty;		/* --empty-password */
	int		 ask;		/* --ask: prompt on /dev/tty */
	const char	*list;		/* --password-list: one a line */
} cpk_secret_src;

#define CPK_SECRET_MAX	1024

/* The options that say where the password comes from, for a getopt_long
 * table (long only: their codes cannot clash with a tool's letters). */
enum {
	CLI_OPT_PW_FILE = 0x100,
	CLI_OPT_PW_ENV,
	CLI_OPT_PW_EMPTY,
	CLI_OPT_ASK,
	CLI_OPT_PW_LIST
};
#define CLI_SECRET_OPTIONS \
	{ "password-file", required_argument, NULL, CLI_OPT_PW_FILE }, \
	{ "password-env", required_argument, NULL, CLI_OPT_PW_ENV }, \
	{ "empty-password", no_argument, NULL, CLI_OPT_PW_EMPTY }, \
	{ "ask", no_argument, NULL, CLI_OPT_ASK }
/* Tools that read an existing container's password take a list too
 * (cpkit-import, which sets a new one, does not). */
#define CLI_PWLIST_OPTIONS \
	{ "password-list", required_argument, NULL, CLI_OPT_PW_LIST }
#define CLI_SECRET_CASES \
	case CLI_OPT_PW_FILE: case CLI_OPT_PW_ENV: case CLI_OPT_PW_EMPTY: \
	case CLI_OPT_ASK: case CLI_OPT_PW_LIST
/* printed with _(CLI_PWLIST_HELP) */
#define CLI_PWLIST_HELP N_( \
	"  --password-list FILE  passwords to try, one a line, in order, for\n" \
	"                        each container (at most 1000 lines); the\n" \
	"                        output names the line, never the password\n")
/* Records one of those options (ch from getopt_long, its argument). */
void	cli_secret_opt(int ch, const char *arg, cpk_secret_src *);

/* A token's user PIN for pcsc: paths (cli_pin.c): --pin-file,
 * --pin-env, --ask-pin, --min-tries, --pin-encoding. Never from argv. */
enum {
	CLI_OPT_PIN_FILE = 0x110,
	CLI_OPT_PIN_ENV,
	CLI_OPT_ASK_PIN,
	CLI_OPT_MIN_TRIES,
	CLI_OPT_PIN_ENCODING
};
#define CLI_PIN_OPTIONS \
	{ "pin-file", required_argument, NULL, CLI_OPT_PIN_FILE }, \
	{ "pin-env", required_argument, NULL, CLI_OPT_PIN_ENV }, \
	{ "ask-pin", no_argument, NULL, CLI_OPT_ASK_PIN }, \
	{ "min-tries", required_argument, NULL, CLI_OPT_MIN_TRIES }, \
	{ "pin-encoding", required_argument, NULL, CLI_OPT_PIN_ENCODING }
#define CLI_PIN_CASES \
	case CLI_OPT_PIN_FILE: case CLI_OPT_PIN_ENV: case CLI_OPT_ASK_PIN: \
	case CLI_OPT_MIN_TRIES: case CLI_OPT_PIN_ENCODING
/* printed with _(CLI_PIN_HELP); N_() marks it for xgettext */
#define CLI_PIN_HELP N_( \
	"  --pin-file FILE       a token's user PIN, from FILE's first line\n" \
	"  --pin-env VAR         a token's user PIN, from variable VAR\n" \
	"  --ask-pin             prompt for the token's user PIN, echo off\n" \
	"  --min-tries N         send no PIN that could leave fewer than N\n" \
	"                        tries (default 3)\n" \
	"  --pin-encoding cp1251|utf8  how a PIN with non-Latin letters is\n" \
	"                        sent, as the Rutoken driver's PINENCODING\n" \
	"                        (ANSI is cp1251); needed for such a PIN\n")
typedef struct cli_pin {
	cpk_secret_src	 src;
	uint32_t	 min_tries;
	enum cpk_pinenc	 enc;		/* --pin-encoding */
	char		 buf[64];	/* as typed, UTF-8 */
	unsigned char	 sent[64];	/* as encoded for the token */
	cpk_media_opts	 mo;
} cli_pin;
void	cli_pin_init(cli_pin *);
/* Records one of the options; exits with usage on a bad --min-tries. */
int	cli_pin_opt(int ch, const char *arg, cli_pin *);
/* Reads the PIN when a source was given and points mo at it. */
cpk_err	cli_pin_read(cli_pin *);
void	cli_pin_wipe(cli_pin *);
/* After a scan: says why a PIN was refused; the exit code it adds. */
int	cli_pin_report(const cli_pin *);
/* --pin-encoding's argument; -1 (message printed) when unknown. */
int	cli_pin_encoding_arg(const char *, enum cpk_pinenc *);
/* The bytes of pin (UTF-8, NUL-terminated) to send to a token, in out
 * (cap bytes); what names the PIN in a message ("the token PIN"). 0, or
 * CPK_EXIT_USAGE after saying why nothing can be sent. */
int	cli_pin_encode(enum cpk_pinenc, const char *pin, const char *what,
	    unsigned char *out, size_t cap, size_t *len);
/* 0 when a PIN in enc may go to model; else CPK_EXIT_USAGE, said. */
int	cli_pin_model_ok(enum cpk_pinenc, const char *reader,
	    const cpk_tok_model *);
/* Reports why a pcsc: path could not be read; returns the exit code. */
int	cli_token_error(const char *uri, cpk_err);
/* "pcsc: the token stopped at SELECT 1000/1003: SW 6A86 (...)" when w
 * says where a token failed; nothing when its op is NULL. */
void	cli_token_where(const char *uri, const cpk_where *w);

/* Picking one container (cli.c): --container NAME|FQCN among those a
 * path holds; a location as cpkit-list prints it (FILE:KEY, a folder,
 * pcsc:READER/DF) names one by itself (cpk_media_open). */
enum { CLI_OPT_CONTAINER = 0x130 };
#define CLI_CONTAINER_OPTIONS \
	{ "container", required_argument, NULL, CLI_OPT_CONTAINER }
/* printed with _(CLI_CONTAINER_HELP) */
#define CLI_CONTAINER_HELP N_( \
	"  --container NAME|FQCN the one container of that name (compared\n" \
	"                        as CSP does, regardless of case) among\n" \
	"                        those found; a location as cpkit-list\n" \
	"                        prints it names one as well\n")
struct cpk_scan;
/* Keeps the container want names (NULL: all kept). 0, or says why not
 * (none of that name, or several: each listed) and returns exit 2. */
int	cli_container_pick(struct cpk_scan *, const char *want);
/* 0 when the scan holds exactly one container; else says so (listing
 * them, with how to name one) and returns the exit code: 2 for several,
 * 4 for none. */
int	cli_container_one(const struct cpk_scan *, const char *path);

/* No PATH (cli_discover.c): --no-tokens skips the tokens even when
 * pcscd runs; the places searched are said on stderr. */
enum { CLI_OPT_NO_TOKENS = 0x140 };
#define CLI_DISCOVER_OPTIONS \
	{ "no-tokens", no_argument, NULL, CLI_OPT_NO_TOKENS }
/* printed with _(CLI_NO_TOKENS_HELP) */
#define CLI_NO_TOKENS_HELP N_( \
	"  --no-tokens           read no token, even when pcscd runs\n")
/* 1 (said on stderr) when one of the paths is a pcsc: one */
int	cli_paths_have_token(int n, char **paths);
/* "looked in /media, /mnt (absent), ..." on stderr */
void	cli_places_report(const cpk_places *);

/* --progress=auto|always|never (cli_progress.c): auto draws a bar on a
 * terminal; always also writes a plain line every 2 s (and the last
 * state at the end) when stderr is a file or pipe; never is silent.
 * CPKIT_PROGRESS_INTERVAL_MS, a testing aid, changes the interval. */
enum { CLI_OPT_PROGRESS = 0x150 };
enum { CLI_PROGRESS_AUTO, CLI_PROGRESS_ALWAYS, CLI_PROGRESS_NEVER };
#define CLI_PROGRESS_OPTIONS \
	{ "progress", required_argument, NULL, CLI_OPT_PROGRESS }
/* printed with _(CLI_PROGRESS_HELP) */
#define CLI_PROGRESS_HELP N_( \
	"  --progress=WHEN       auto (a bar on a terminal; the default),\n" \
	"                        always (also a line every 2 s into a file\n" \
	"                        or pipe), never\n")
typedef struct cli_progress {
	int	 bar, lines;	/* a bar on a tty; lines into a file */
	int	 drawn, pending;
	double	 every, last;	/* s; CLOCK_MONOTONIC */
	char	 text[256];
} cli_progress;
/* 0, or says what is wrong and returns -1 */
int	cli_progress_mode(const char *arg, int *mode);
void	cli_progress_init(cli_progress *, int mode);
/* The state now (printf-like); shown when due, or at once with final. */
void	cli_progress_show(cli_progress *, int final, const char *fmt, ...)
	    __attribute__((format(CPK_PRINTF, 3, 4)));
/* Ends the bar's line, or writes the last state not yet written. */
void	cli_progress_end(cli_progress *);

/* Process set-up every tool does first: the user's locale and the "cpkit"
 * message catalog (CPKIT_LOCALEDIR, else <bin>/../locale as `make`
 * leaves it, else the installed one), umask 077,
 * no core dumps, the library log sink on stderr at the given verbosity. */
void	cli_init(const char *prog, int verbose);
/* At exit: stdout that could not be written (disk full) is exit 3 with a
 * message; cli_init() arms it. */
void	cli_stdout_checked(void);
/* The operating system's side (cli_sys.c; compat/win/cli_sys_win.c on
 * Windows). The running binary's path and its folder (/proc/self/exe);
 * 0 when unknown. */
int	cli_self_exe(char *out, size_t cap);
int	cli_self_dir(char *out, size_t cap);
/* The folder of the data named rel ("locale"): the build tree's beside
 * the binary, else `installed` (Windows: the folder beside the .exe). */
const char	*cli_data_dir(const char *rel, const char *installed, char *buf,
		    size_t cap);
/* setlocale and the "cpkit" catalog in dir (cli_init). */
void	cli_locale_init(const char *dir);
/* No core dump (key material), files for the owner only (cli_init). */
void	cli_harden(void);
/* A line typed at the terminal without echo, its end of line kept:
 * CPK_E_NOT_FOUND without a terminal, CPK_E_NO_PASSWORD at its end. */
cpk_err	cli_tty_secret(const char *prompt, char *buf, size_t cap);
/* The write error err is stdout's reader gone (cpkit-list | head):
 * EPIPE; Windows: a pipe's ERROR_NO_DATA, which the C runtime gives as
 * EINVAL. */
int	cli_reader_gone(int err);
/* Ends the process at once, as a power cut would (a test hook):
 * SIGKILL; Windows: TerminateProcess. */
_Noreturn void	cli_die_now(void);
/* A password file opened for reading (a descriptor, or -1 with errno);
 * *shared: other users may read it. */
int	cli_secret_open(const char *path, int *shared);
/* <bin>/../rel into out when it is a folder (the build tree's locale/,
 * ../man); 0 otherwise. */
int	cli_beside_self(const char *rel, char *out, size_t cap);
/* The folder the "cpkit" catalog is read from, in cli_init's order; buf
 * holds it when it is the build tree's. */
const char	*cli_locale_dir(char *buf, size_t cap);
void	cli_set_verbose(int);
/* The name given to cli_init, for messages. */
const char	*cli_prog(void);

/* A command line that cannot run (cli_usage.c, STYLE.md §11): one line
 * saying exactly what is wrong, pointing at --help, then exit 2 before
 * any work; never the whole usage text on stderr. */
_Noreturn void	cli_usage_error(const char *fmt, ...)
	    __attribute__((format(CPK_PRINTF, 1, 2)));
/* After getopt's own complaint (it names the option): the pointer alone. */
_Noreturn void	cli_usage_hint(void);
/* Exits through cli_usage_error naming two of the sources when more than
 * one is set. pre is the options' prefix: "" (--password-file...), "new-"
 * (--new-password-file...) or "pfx-" (--pfx-password-file...). */
void	cli_secret_one(const cpk_secret_src *, const char *pre);
/* Exits through cli_usage_error unless exactly want operands are left:
 * what names the missing one ("PATH", "IMAGE"). */
void	cli_operands(int argc, char **argv, int optind, int want,
	    const char *what);
/* Number of sources set; more than one is a usage error. */
int	cli_secret_count(const cpk_secret_src *);
/* Reads the secret into buf (NUL-terminated); the caller wipes it.
 * Returns CPK_E_NO_PASSWORD (exit 2) when the source cannot be used. */
cpk_err	cli_secret_read(const cpk_secret_src *, const char *prompt, char *buf,
	    size_t cap);
void	cli_secret_wipe(char *buf, size_t cap);
/* The container's password when a source was given (*have 1), else an
 * empty buf and *have 0; CPK_E_NO_PASSWORD when the source fails. */
cpk_err	cli_password_opt(const cpk_secret_src *, char *buf, size_t cap,
	    int *have);
/* The passwords to try (cli_pwlist.c): the lines of --password-list
 * (empty lines skipped), or the one password of another source. Files
 * are read as text: a UTF-8 BOM dropped, CP1251 when not UTF-8, LF or
 * CR LF line ends. At most CLI_PWLIST_MAX lines of fewer than
 * CPK_SECRET_MAX bytes; wiped by cli_pwlist_wipe. */
#define CLI_PWLIST_MAX	1000
typedef struct cli_pwlist {
	cpk_pw_try	*v;
	size_t		 n;
	char		*text;		/* the decoded list, lines split */
	size_t		 cap;
	char		 one[CPK_SECRET_MAX];
} cli_pwlist;
/* *have 0: no source given (l->n 0). CPK_E_NO_PASSWORD (exit 2): the
 * source cannot be used; a message says why. */
cpk_err	cli_passwords(const cpk_secret_src *, cli_pwlist *, int *have);
void	cli_pwlist_wipe(cli_pwlist *);
/* For tools that use one password themselves (fix, export, passwd): the
 * password for container c into buf. With --password-list the first line
 * that opens c, and a line on stderr says which and how many were tried;
 * CPK_E_BAD_PASSWORD (exit 4) when none does. Otherwise as
 * cli_secret_read. */
cpk_err	cli_password_for(const cpk_secret_src *, const cpk_container *c,
	    const char *prompt, char *buf, size_t cap);
/* A password file's first line as text (BOM, CP1251, CR LF), for
 * cli_secret_read and cli_passwords; *how: how it was read. */
cpk_err	cli_secret_file(const char *path, char *buf, size_t cap,
	    enum cpk_pwtext *how);
/* The exit code for a library error (environment vs data). */
enum cpk_exit	cli_exit_for(cpk_err);
/* Strict number parsing: no sign, blanks, junk or overflow. */
cpk_err	cli_parse_u32(const char *, uint32_t min, uint32_t max, uint32_t *);
/* Reports why a path could not be scanned; returns the exit code. */
int	cli_path_error(const char *path, cpk_err);
/* Reads a whole stream (a word list on stdin) up to cap bytes. */
cpk_err	cli_read_stream(FILE *, size_t cap, cpk_blob **);
/* "prog: msg" on stderr; no control or bidi character gets through
 * (cli_out), but give names from media through cli_disp() too, so that
 * LF and TAB in them show as \x0a, \x09. */
void	cli_error(const char *fmt, ...)
	    __attribute__((format(CPK_PRINTF, 1, 2)));
/* The display form of a name from media (container/display.c) for a
 * printf argument; one of CPK_DISPLAY_SLOTS buffers, reused in turn. */
const char	*cli_disp(const char *);
/* printf to a human's stream with cli_error's last line of defence:
 * controls other than LF and TAB, bidi characters and bytes that are not
 * UTF-8 shown escaped; names should still go through cli_disp(). */
void	cli_out(FILE *, const char *fmt, ...)
	    __attribute__((format(CPK_PRINTF, 2, 3)));

#endif
