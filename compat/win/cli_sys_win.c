/*
 * The tools' operating-system side on Windows (tools/cli.h; the POSIX one
 * is tools/cli_sys.c): the .exe's folder, which holds the catalogs and
 * the manual pages in the zip (<exe dir>\locale, <exe dir>\man); the
 * catalog bound by a wide path; no crash dump; a secret typed at the
 * console without echo; a password file or stdin.
 */
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "cli.h"

/* GetModuleFileNameW's limit: the longest path Windows has (\\?\) */
#define SELF_WMAX	32768

int
cli_self_exe(char *out, size_t cap)
{
	wchar_t *w;
	char *s;
	DWORD n;
	int ok = 0;

	if ((w = malloc(SELF_WMAX * sizeof(*w))) == NULL)
		return 0;
	n = GetModuleFileNameW(NULL, w, SELF_WMAX);
	if (n > 0 && n < SELF_WMAX && (s = cpk_proc_utf8(w)) != NULL) {
		if (strlen(s) < cap) {
			memcpy(out, s, strlen(s) + 1);
			ok = 1;
		}
		free(s);
	}
	free(w);
	return ok;
}

int
cli_self_dir(char *out, size_t cap)
{
	char *sep;

	if (!cli_self_exe(out, cap))
		return 0;
	if ((sep = strrchr(out, '\\')) == NULL &&
	    (sep = strrchr(out, '/')) == NULL)
		return 0;
	*sep = '\0';
	return 1;
}

static int
is_folder(const char *path)
{
	wchar_t *w = cpk_proc_wide(path);
	DWORD a = w != NULL ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;

	free(w);
	return a != INVALID_FILE_ATTRIBUTES &&
	    (a & FILE_ATTRIBUTE_DIRECTORY) != 0;
}

/* <exe dir>\rel (the zip), else the build tree's <exe dir>\..\rel; the
 * compiled-in `installed` is a POSIX prefix, meaningless here. Without
 * either, <exe dir>\rel still: what a message would name. */
const char *
cli_data_dir(const char *rel, const char *installed, char *buf, size_t cap)
{
	char dir[MAX_PATH * 4];
	int n;

	(void)installed;
	if (!cli_self_dir(dir, sizeof(dir)))
		return rel;
	n = snprintf(buf, cap, "%s\\%s", dir, rel);
	if (n <= 0 || (size_t)n >= cap)
		return rel;
	if (is_folder(buf))
		return buf;
	n = snprintf(buf, cap, "%s\\..\\%s", dir, rel);
	if (n > 0 && (size_t)n < cap && is_folder(buf))
		return buf;
	snprintf(buf, cap, "%s\\%s", dir, rel);
	return buf;
}

/* libintl picks the language as on Linux (LANGUAGE, LC_ALL, LC_MESSAGES,
 * LANG), and without them the user's Windows display language. The C
 * runtime's character classes stay "C": in a Windows locale they are
 * those of the ANSI code page (CP1251 makes the bytes of UTF-8 text
 * letters), where glibc's UTF-8 locale has none for single bytes. The
 * folder goes as UTF-16 (wbindtextdomain): bindtextdomain would read it
 * in the ANSI code page, and C:\Users\<Cyrillic name> would be lost. */
void
cli_locale_init(const char *dir)
{
	wchar_t *w;

	setlocale(LC_ALL, "");
	setlocale(LC_CTYPE, "C");
	if ((w = cpk_proc_wide(dir)) != NULL)
		wbindtextdomain(CPK_TEXTDOMAIN, w);
	free(w);
	textdomain(CPK_TEXTDOMAIN);
}

/* The nearest to RLIMIT_CORE 0: a crash ends the process at once with the
 * exception's code, before Windows Error Reporting could write a dump
 * with key material in it; no error dialog box either. (umask has no
 * Windows meaning: new files take their folder's ACL.) */
static LONG WINAPI
no_dump(EXCEPTION_POINTERS *e)
{
	TerminateProcess(GetCurrentProcess(),
	    (UINT)e->ExceptionRecord->ExceptionCode);
	return EXCEPTION_EXECUTE_HANDLER;
}

void
cli_harden(void)
{
	SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX |
	    SEM_NOOPENFILEERRORBOX);
	SetUnhandledExceptionFilter(no_dump);
}

/* The longest secret line read: as many UTF-16 units as bytes asked */
static cpk_err
read_console_line(HANDLE in, wchar_t *w, DWORD cap)
{
	DWORD got = 0, n;

	while (got + 1 < cap) {
		if (!ReadConsoleW(in, w + got, cap - 1 - got, &n, NULL) ||
		    n == 0)
			return got > 0 ? CPK_OK : CPK_E_NO_PASSWORD;
		got += n;
		if (w[got - 1] == L'\n')
			break;
	}
	w[got] = L'\0';
	return CPK_OK;
}

/* CONIN$ and CONOUT$ are the console whatever stdin and stdout are, as
 * /dev/tty is. The echo is off while the line is typed; the line, LF and
 * CR kept (cli.c's chomp takes them off), comes back in UTF-8, cut at a
 * character that fits as fgets would cut bytes. */
cpk_err
cli_tty_secret(const char *prompt, char *buf, size_t cap)
{
	HANDLE in, out;
	DWORD mode, wn, unit = (DWORD)(cap < 65536 ? cap : 65536);
	wchar_t *w = NULL, *wp;
	char *s = NULL;
	cpk_err r;

	in = CreateFileW(L"CONIN$", GENERIC_READ | GENERIC_WRITE,
	    FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
	if (in == INVALID_HANDLE_VALUE)
		return CPK_E_NOT_FOUND;
	if (!GetConsoleMode(in, &mode)) {
		CloseHandle(in);
		return CPK_E_NOT_FOUND;
	}
	out = CreateFileW(L"CONOUT$", GENERIC_READ | GENERIC_WRITE,
	    FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
	if (out != INVALID_HANDLE_VALUE &&
	    (wp = cpk_proc_wide(prompt)) != NULL) {
		WriteConsoleW(out, wp, (DWORD)wcslen(wp), &wn, NULL);
		free(wp);
	}
	if ((w = calloc(unit, sizeof(*w))) == NULL) {
		r = CPK_E_NOMEM;
		goto done;
	}
	SetConsoleMode(in, (mode & ~(DWORD)ENABLE_ECHO_INPUT) |
	    ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT);
	r = read_console_line(in, w, unit);
	SetConsoleMode(in, mode);
	if (out != INVALID_HANDLE_VALUE)
		WriteConsoleW(out, L"\r\n", 2, &wn, NULL);
	if (r == CPK_OK) {
		/* drop whole characters until the UTF-8 fits, as fgets
		 * leaves the rest of a long line unread */
		while ((s = cpk_proc_utf8(w)) != NULL && strlen(s) >= cap &&
		    wcslen(w) > 0) {
			SecureZeroMemory(s, strlen(s));
			free(s);
			s = NULL;
			w[wcslen(w) - 1] = L'\0';
		}
		if (s == NULL)
			r = CPK_E_NO_PASSWORD;
		else
			memcpy(buf, s, strlen(s) + 1);
	}
done:
	if (s != NULL)
		SecureZeroMemory(s, strlen(s));
	free(s);
	if (w != NULL)
		SecureZeroMemory(w, unit * sizeof(*w));
	free(w);
	if (out != INVALID_HANDLE_VALUE)
		CloseHandle(out);
	CloseHandle(in);
	return r;
}

int
cli_reader_gone(int err)
{
	return err == EPIPE || (err == EINVAL && cpk_console_stdout_pipe());
}

/* No handler, no atexit, no flush: what a power cut leaves; 137 is the
 * status a shell gives a SIGKILLed process on Linux. */
_Noreturn void
cli_die_now(void)
{
	TerminateProcess(GetCurrentProcess(), 137);
	ExitProcess(137);
}

/* "/dev/stdin" is stdin here too, so that `... | cpkit-test
 * --password-file /dev/stdin` works as on Linux. Who may read a file is
 * its ACL, not mode bits (the C runtime's st_mode copies the owner's
 * bits to group and others): *shared stays 0. */
int
cli_secret_open(const char *path, int *shared)
{
	wchar_t *w;
	int fd, e;

	*shared = 0;
	if (strcmp(path, "/dev/stdin") == 0) {
		if ((fd = _dup(0)) >= 0)
			_setmode(fd, _O_BINARY);
		return fd;
	}
	if ((w = cpk_proc_wide(path)) == NULL) {
		errno = ENOENT;
		return -1;
	}
	fd = _wopen(w, _O_RDONLY | _O_BINARY | _O_NOINHERIT);
	e = errno;
	free(w);
	errno = e;
	return fd;
}
