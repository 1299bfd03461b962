/*
 * The operating system's side of the tools, POSIX: the running binary's
 * folder, the catalog's binding, process hardening, a secret typed at
 * the terminal, a password file opened, the end of a test hook. The Windows build leaves this
 * file out (mk/windows.mk) for compat/win/cli_sys_win.c, which has the
 * same functions over Win32.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

int
cli_self_exe(char *out, size_t cap)
{
	ssize_t n;

	if (cap < 2 || (n = readlink("/proc/self/exe", out, cap - 1)) <= 0 ||
	    (size_t)n >= cap - 1)
		return 0;
	out[n] = '\0';
	return 1;
}

int
cli_self_dir(char *out, size_t cap)
{
	char *slash;

	if (!cli_self_exe(out, cap))
		return 0;
	if ((slash = strrchr(out, '/')) == NULL)
		return 0;
	*slash = '\0';
	return 1;
}

const char *
cli_data_dir(const char *rel, const char *installed, char *buf, size_t cap)
{
	return cli_beside_self(rel, buf, cap) ? buf : installed;
}

void
cli_locale_init(const char *dir)
{
	/* messages in the user's language (LC_ALL, LC_MESSAGES, LANG,
	 * LANGUAGE); a locale's decimal comma reaches only the progress
	 * lines people read: JSON and CSV hold integers and ISO dates,
	 * which no locale changes */
	setlocale(LC_ALL, "");
	bindtextdomain(CPK_TEXTDOMAIN, dir);
	textdomain(CPK_TEXTDOMAIN);
}

void
cli_harden(void)
{
	struct rlimit rl = { 0, 0 };

	umask(077);
	setrlimit(RLIMIT_CORE, &rl);	/* no key material in core dumps */
}

cpk_err
cli_tty_secret(const char *prompt, char *buf, size_t cap)
{
	struct termios old, quiet;
	FILE *tty;
	cpk_err r = CPK_OK;

	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return CPK_E_NOT_FOUND;
	fputs(prompt, tty);
	fflush(tty);
	if (tcgetattr(fileno(tty), &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	}
	if (fgets(buf, (int)cap, tty) == NULL)
		r = CPK_E_NO_PASSWORD;
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	return r;
}

int
cli_reader_gone(int err)
{
	return err == EPIPE;
}

_Noreturn void
cli_die_now(void)
{
	raise(SIGKILL);
	_exit(137);	/* not reached: SIGKILL cannot be caught */
}

int
cli_secret_open(const char *path, int *shared)
{
	struct stat st;
	int fd;

	*shared = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0 &&
	    fstat(fd, &st) == 0 && (st.st_mode & 077) != 0)
		*shared = 1;
	return fd;
}
