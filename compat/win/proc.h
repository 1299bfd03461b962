/*
 * Included by posix.h in every Windows compilation unit: processes, the console, the system's facts (docs/WINDOWS.md §5.2, §5.5).
 */
#ifndef CPKIT_COMPAT_WIN_PROC_H
#define CPKIT_COMPAT_WIN_PROC_H

#endif
