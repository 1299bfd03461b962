/*
 * The operating system's side of the front command, cpkit (cpkit.c):
 * finding and running cpkit-NAME, showing a manual page. POSIX in
 * cpkit_sys.c, Windows in compat/win/cpkit_sys_win.c.
 */
#ifndef CPKIT_CPKIT_SYS_H
#define CPKIT_CPKIT_SYS_H

#include <stddef.h>

/* The path of cpkit-name into out: beside the cpkit binary, else in PATH
 * (never the current folder); 0 when there is none. */
int	cpkit_find(const char *name, char *out, size_t cap);
/* Runs path with argv (argv[0] the name it is to have), its exit status
 * becoming cpkit's; returns only when it cannot be run, with errno. */
void	cpkit_exec(const char *path, char **argv);
/* Shows the manual page `page` ("cpkit-list"): 0 when shown, 127 when
 * the viewer cannot be run, another status when the page is not shown;
 * -1 when the process calls fail. */
int	cpkit_show_page(const char *page);
/* The folder the manual pages are installed in (version --json). */
const char	*cpkit_man_dir(char *buf, size_t cap);

#endif
