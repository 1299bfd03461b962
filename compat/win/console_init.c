/*
 * The standard streams of every cpkit program on Windows (called by
 * wmain before main):
 *
 * - binary mode on stdin, stdout and stderr: the C runtime's text mode
 *   would write CR LF for LF and stop reading stdin at a Ctrl+Z byte,
 *   and cpkit's reports, JSON and word lists are to be the bytes Linux
 *   reads and writes;
 * - UTF-8 on a console: when stdout or stderr is one, its output code
 *   page becomes UTF-8 (65001) while the program runs and the old one
 *   comes back at exit. This catches every write (stdio, libintl's
 *   printf, the message filter of tools/cli.c) without routing them;
 *   WriteConsoleW would need each of them to go through one function.
 *   The known cost: the conhost of Windows 7 and 8.1 miscounts UTF-8
 *   writes (multibyte characters may show twice or be cut); Windows 10
 *   and 11, and Windows Terminal, are right. A program killed before its
 *   exit leaves the console in UTF-8, which cmd.exe and PowerShell show
 *   right as well.
 */
#include <fcntl.h>
#include <io.h>
#include <stdlib.h>
#include <windows.h>

static UINT saved_cp;
static int stdout_pipe;

int
cpk_console_stdout_pipe(void)
{
	return stdout_pipe;
}

static void
restore_cp(void)
{
	if (saved_cp != 0)
		SetConsoleOutputCP(saved_cp);
}

static int
is_console(DWORD which)
{
	DWORD mode;

	return GetConsoleMode(GetStdHandle(which), &mode) != 0;
}

int
cpk_proc_isatty(int fd)
{
	HANDLE h = (HANDLE)_get_osfhandle(fd);
	DWORD mode;

	return h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode) != 0;
}

void
cpk_console_init(void)
{
	_setmode(0, _O_BINARY);
	_setmode(1, _O_BINARY);
	_setmode(2, _O_BINARY);
	stdout_pipe = GetFileType(GetStdHandle(STD_OUTPUT_HANDLE)) ==
	    FILE_TYPE_PIPE;
	if (!is_console(STD_OUTPUT_HANDLE) && !is_console(STD_ERROR_HANDLE))
		return;
	saved_cp = GetConsoleOutputCP();
	if (saved_cp == CP_UTF8 || !SetConsoleOutputCP(CP_UTF8)) {
		saved_cp = 0;
		return;
	}
	atexit(restore_cp);
}
