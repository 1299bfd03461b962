/*
 * The front command's Windows side (tools/cpkit_sys.h): cpkit-NAME.exe
 * beside cpkit.exe or in PATH, run as a child whose exit status becomes
 * cpkit's (Windows has no exec); manual pages as the zip's text files,
 * <exe dir>\man\cpkit-NAME.txt, copied to stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "cli.h"
#include "cpkit_sys.h"

#define PATH_CAP	(MAX_PATH * 4)

static int
is_file(const char *path)
{
	wchar_t *w = cpk_proc_wide(path);
	DWORD a = w != NULL ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;

	free(w);
	return a != INVALID_FILE_ATTRIBUTES && (a & (FILE_ATTRIBUTE_DIRECTORY |
	    FILE_ATTRIBUTE_REPARSE_POINT)) == 0;
}

static int
try_dir(const char *dir, size_t dlen, const char *name, char *out,
    size_t cap)
{
	int n = snprintf(out, cap, "%.*s\\cpkit-%s.exe", (int)dlen, dir,
	    name);

	return n > 0 && (size_t)n < cap && is_file(out);
}

/* As on Linux: beside cpkit.exe, then PATH (';' between entries; empty
 * ones, the current folder, skipped: Windows would look there first,
 * cpkit does not). */
int
cpkit_find(const char *name, char *out, size_t cap)
{
	char self[PATH_CAP];
	const char *path, *p, *end;

	if (cli_self_dir(self, sizeof(self)) &&
	    try_dir(self, strlen(self), name, out, cap))
		return 1;
	if ((path = getenv("PATH")) == NULL)
		return 0;
	for (p = path; *p != '\0'; p = *end == ';' ? end + 1 : end) {
		end = p + strcspn(p, ";");
		if (end > p && try_dir(p, (size_t)(end - p), name, out, cap))
			return 1;
	}
	return 0;
}

/* One argument as the C runtime's parser (CommandLineToArgvW's rules)
 * gives it back: in quotes when it is empty or holds a blank or a quote;
 * a quote escaped with a backslash, and the backslashes before a quote,
 * or before the closing one, doubled. Returns the length written. */
static size_t
quote_arg(const wchar_t *a, wchar_t *o)
{
	size_t n = 0, bs;

	if (*a != L'\0' && wcspbrk(a, L" \t\n\v\"") == NULL) {
		wcscpy(o, a);
		return wcslen(a);
	}
	o[n++] = L'"';
	for (; ; a++) {
		for (bs = 0; *a == L'\\'; a++)
			bs++;
		if (*a == L'\0') {
			for (bs *= 2; bs > 0; bs--)
				o[n++] = L'\\';
			break;
		}
		if (*a == L'"')
			bs = bs * 2 + 1;
		for (; bs > 0; bs--)
			o[n++] = L'\\';
		o[n++] = *a;
	}
	o[n++] = L'"';
	return n;
}

/* The command line of argv, UTF-16; NULL when an argument is not UTF-8
 * or memory runs out. At most 2n+2 units per argument of n. */
static wchar_t *
command_line(char **argv)
{
	wchar_t *line, *w;
	size_t cap = 1, n = 0;
	int i;

	for (i = 0; argv[i] != NULL; i++)
		cap += 2 * strlen(argv[i]) + 3;
	if ((line = malloc(cap * sizeof(*line))) == NULL)
		return NULL;
	for (i = 0; argv[i] != NULL; i++) {
		if ((w = cpk_proc_wide(argv[i])) == NULL) {
			cpk_proc_wide_wipe(line);
			return NULL;
		}
		if (i > 0)
			line[n++] = L' ';
		line[n] = L'\0';
		n += quote_arg(w, line + n);
		cpk_proc_wide_wipe(w);
	}
	line[n] = L'\0';
	return line;
}

static void
pass_std_handle(DWORD which)
{
	HANDLE h = GetStdHandle(which);

	if (h != NULL && h != INVALID_HANDLE_VALUE)
		SetHandleInformation(h, HANDLE_FLAG_INHERIT,
		    HANDLE_FLAG_INHERIT);
}

/* While the child runs, the console's events (Ctrl+Break, the window
 * closed) are the child's alone to act on: cpkit goes on waiting. */
static BOOL WINAPI
leave_to_child(DWORD ev)
{
	(void)ev;
	return TRUE;
}

/* The child gets cpkit's standard handles and console; cpkit waits for it
 * and exits with its status. Ctrl+C is then the child's alone to act on
 * (cpkit-passwd saves its state): cpkit ignores it once the child runs,
 * which the child, created before, does not inherit. */
void
cpkit_exec(const char *path, char **argv)
{
	STARTUPINFOW si;
	PROCESS_INFORMATION pi;
	wchar_t *wpath, *line;
	DWORD status = CPK_EXIT_ENV;
	BOOL ok;

	if ((wpath = cpk_proc_wide(path)) == NULL ||
	    (line = command_line(argv)) == NULL) {
		free(wpath);
		errno = EINVAL;
		return;
	}
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	si.dwFlags = STARTF_USESTDHANDLES;
	si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
	si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
	si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
	pass_std_handle(STD_INPUT_HANDLE);
	pass_std_handle(STD_OUTPUT_HANDLE);
	pass_std_handle(STD_ERROR_HANDLE);
	fflush(stdout);
	fflush(stderr);
	ok = CreateProcessW(wpath, line, NULL, NULL, TRUE, 0, NULL, NULL, &si,
	    &pi);
	cpk_proc_wide_wipe(line);	/* it may hold a password's path */
	free(wpath);
	if (!ok) {
		errno = GetLastError() == ERROR_FILE_NOT_FOUND ? ENOENT :
		    GetLastError() == ERROR_ACCESS_DENIED ? EACCES : ENOEXEC;
		return;
	}
	SetConsoleCtrlHandler(NULL, TRUE);
	SetConsoleCtrlHandler(leave_to_child, TRUE);
	WaitForSingleObject(pi.hProcess, INFINITE);
	if (!GetExitCodeProcess(pi.hProcess, &status))
		status = CPK_EXIT_ENV;
	CloseHandle(pi.hThread);
	CloseHandle(pi.hProcess);
	exit((int)status);
}

/* <exe dir>\man\page.txt to stdout: 0 when shown, 1 when there is none
 * (cpkit.c says so and points to --help). */
int
cpkit_show_page(const char *page)
{
	char dir[PATH_CAP], file[PATH_CAP + 80], buf[8192];
	wchar_t *w;
	FILE *f;
	size_t n;
	int k;

	if (!cli_self_dir(dir, sizeof(dir)))
		return 1;
	k = snprintf(file, sizeof(file), "%s\\man\\%s.txt", dir, page);
	if (k <= 0 || (size_t)k >= sizeof(file) || !is_file(file) ||
	    (w = cpk_proc_wide(file)) == NULL)
		return 1;
	f = _wfopen(w, L"rb");
	free(w);
	if (f == NULL)
		return 1;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
	return fflush(stdout) == 0 ? 0 : -1;
}

const char *
cpkit_man_dir(char *buf, size_t cap)
{
	char dir[PATH_CAP];
	int n;

	if (!cli_self_dir(dir, sizeof(dir)))
		return NULL;
	n = snprintf(buf, cap, "%s\\man", dir);
	return n > 0 && (size_t)n < cap ? buf : NULL;
}
