/*
 * The Windows entry point of every cpkit program (linked with -municode):
 * the command line as Windows holds it, in UTF-16, converted to UTF-8 for
 * the program's own main (renamed cpk_main, see wmain.h). A plain main()
 * would get its arguments in the ANSI code page, where a Cyrillic
 * password or path on a PC whose code page is not 1251 is lost before
 * cpkit sees it.
 */
#include <stdlib.h>
#include <wchar.h>
#include <windows.h>

#include "wmain.h"
#include "proc.h"

int wmain(int argc, wchar_t **wargv);

int
wmain(int argc, wchar_t **wargv)
{
	char **argv;
	int i, n;

	if ((argv = calloc((size_t)argc + 1, sizeof(*argv))) == NULL)
		return 3;	/* STYLE.md §11: the environment failed */
	for (i = 0; i < argc; i++) {
		n = WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, NULL, 0,
		    NULL, NULL);
		if (n <= 0 || (argv[i] = malloc((size_t)n)) == NULL)
			return 3;
		WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, argv[i], n,
		    NULL, NULL);
	}
	/* binary streams, UTF-8 on a console (console_init.c) */
	cpk_console_init();
	/* the strings live as long as the process, as argv does */
	return cpk_main(argc, argv);
}
