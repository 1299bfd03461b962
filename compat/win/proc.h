/*
 * Included by posix.h in every Windows compilation unit: processes, the
 * console, the system's facts (docs/WINDOWS.md §5.2, §5.5). The code is
 * in compat/win/proc_*.c, console_*.c, cli_sys_win.c, cpkit_sys_win.c.
 */
#ifndef CPKIT_COMPAT_WIN_PROC_H
#define CPKIT_COMPAT_WIN_PROC_H

#include <stddef.h>
#include <wchar.h>

/* cpkit's printf-like functions hand their formats to a C99 printf
 * (libintl's, or mingw-w64's with __USE_MINGW_ANSI_STDIO): checked as
 * such, not as msvcrt's, which is what GCC takes "printf" for here
 * (container/i18n.h) */
#define CPK_PRINTF	gnu_printf

/* UTF-8 to UTF-16 and back, malloc'd; NULL when the text is not valid
 * or memory runs out (proc_utf.c) */
wchar_t	*cpk_proc_wide(const char *utf8);
char	*cpk_proc_utf8(const wchar_t *wide);
/* the wide copy of a secret wiped and freed */
void	 cpk_proc_wide_wipe(wchar_t *w);

/* the standard streams in binary mode (the bytes Linux writes), and
 * UTF-8 on a console (console_init.c); called by wmain */
void	 cpk_console_init(void);
/* stdout was a pipe at the start (tools/cli_stdout.c: a write to a pipe
 * whose reader is gone fails with EINVAL here, EPIPE on Linux) */
int	 cpk_console_stdout_pipe(void);

/* isatty is the C runtime's _isatty, true for any character device: NUL
 * too, where a prompt would hang unseen and cpkit-passwd would show a
 * found password to nobody. A terminal here is a console (console_init.c) */
int	 cpk_proc_isatty(int fd);
#define isatty(fd)	cpk_proc_isatty(fd)

/* sysconf(_SC_NPROCESSORS_ONLN), the one name cpkit asks for: the
 * processors of every group (proc_sys.c) */
#define _SC_NPROCESSORS_ONLN	84
long	 sysconf(int name);

/* pcsc-lite's names that winscard.dll has not (token/pcsc.c): the ATR
 * buffer (winscard.h's rgbAtr[36]; an ATR is 33 bytes at most) and the
 * text of a code (pcsc_error.c) */
#define MAX_ATR_SIZE	36
const char	*pcsc_stringify_error(long rv);

/* nanosleep is winpthreads' (pthread_time.h), with the POSIX signature */
#include <pthread_time.h>

#endif
