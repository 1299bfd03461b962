/* Shared command-line helpers of the cpkit tools (STYLE.md §8, §11). */
#ifndef CPKIT_CLI_H
#define CPKIT_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "container.h"

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
} cpk_secret_src;

#define CPK_SECRET_MAX	1024

/* The options that say where the password comes from, for a getopt_long
 * table (long only: their codes cannot clash with a tool's letters). */
enum {
	CLI_OPT_PW_FILE = 0x100,
	CLI_OPT_PW_ENV,
	CLI_OPT_PW_EMPTY,
	CLI_OPT_ASK
};
#define CLI_SECRET_OPTIONS \
	{ "password-file", required_argument, NULL, CLI_OPT_PW_FILE }, \
	{ "password-env", required_argument, NULL, CLI_OPT_PW_ENV }, \
	{ "empty-password", no_argument, NULL, CLI_OPT_PW_EMPTY }, \
	{ "ask", no_argument, NULL, CLI_OPT_ASK }
#define CLI_SECRET_CASES \
	case CLI_OPT_PW_FILE: case CLI_OPT_PW_ENV: case CLI_OPT_PW_EMPTY: \
	case CLI_OPT_ASK
/* Records one of those options (ch from getopt_long, its argument). */
void	cli_secret_opt(int ch, const char *arg, cpk_secret_src *);

/* Process set-up every tool does first: umask 077, no core dumps, the
 * library log sink on stderr at the given verbosity. */
void	cli_init(const char *prog, int verbose);
void	cli_set_verbose(int);
/* Number of sources set; more than one is a usage error. */
int	cli_secret_count(const cpk_secret_src *);
/* Reads the secret into buf (NUL-terminated); the caller wipes it.
 * Returns CPK_E_NO_PASSWORD (exit 2) when the source cannot be used. */
cpk_err	cli_secret_read(const cpk_secret_src *, const char *prompt, char *buf,
	    size_t cap);
void	cli_secret_wipe(char *buf, size_t cap);
/* The exit code for a library error (environment vs data). */
enum cpk_exit	cli_exit_for(cpk_err);
/* Strict number parsing: no sign, blanks, junk or overflow. */
cpk_err	cli_parse_u32(const char *, uint32_t min, uint32_t max, uint32_t *);
/* Reports why a path could not be scanned; returns the exit code. */
int	cli_path_error(const char *path, cpk_err);
/* Reads a whole stream (a word list on stdin) up to cap bytes. */
cpk_err	cli_read_stream(FILE *, size_t cap, cpk_blob **);
/* "prog: msg" on stderr. */
void	cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
