/*
 * Included by posix.h in every Windows compilation unit: processes, the
 * console, the system's facts (docs/WINDOWS.md §5.2, §5.5).
 */
#ifndef CPKIT_COMPAT_WIN_PROC_H
#define CPKIT_COMPAT_WIN_PROC_H

/* cpkit's printf-like functions hand their formats to a C99 printf
 * (libintl's, or mingw-w64's with __USE_MINGW_ANSI_STDIO): checked as
 * such, not as msvcrt's, which is what GCC takes "printf" for here
 * (container/i18n.h) */
#define CPK_PRINTF	gnu_printf

#endif
