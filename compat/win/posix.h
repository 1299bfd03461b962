/*
 * Force-included (-include) in every Windows compilation unit by
 * mk/windows.mk: the POSIX calls that mingw-w64 has under another name, so
 * that the library's sources need no #ifdef for them. Calls that need real
 * code (iconv, the folder and file calls of media/) live in compat/win/
 * and docs/WINDOWS.md lists them.
 */
#ifndef CPKIT_COMPAT_WIN_POSIX_H
#define CPKIT_COMPAT_WIN_POSIX_H

/* mingw-w64's <time.h> declares gmtime_r and localtime_r (inline, over
 * gmtime_s) only when asked for the POSIX thread-safe functions */
#ifndef _POSIX_THREAD_SAFE_FUNCTIONS
#define _POSIX_THREAD_SAFE_FUNCTIONS 200112L
#endif
#include <time.h>

/* timegm is the CRT's _mkgmtime: UTC broken-down time to time_t, with
 * the same range (64-bit time_t on x86_64) */
#define timegm(tm)	_mkgmtime(tm)

/* glibc's unlocked stdio write (container/json.c: one thread per
 * stream): msvcrt.dll exports no _fwrite_nolock, so the locked fwrite,
 * the same bytes a little slower */
#include <stdio.h>
#define fwrite_unlocked(p, s, n, f)	fwrite(p, s, n, f)

/* The environment in UTF-8, as on Linux: the CRT's getenv gives the ANSI
 * code page, where `set PW=пароль` for --password-env arrives as '?'.
 * compat/win/env.c reads the wide environment (_wgetenv). */
#include <stdlib.h>
const char	*cpk_win_getenv(const char *name);
#define getenv(name)	cpk_win_getenv(name)

/* strndup (compat/win/strndup.c) */
#include <string.h>
char	*cpk_win_strndup(const char *s, size_t n);
#define strndup(s, n)		cpk_win_strndup(s, n)

/* the rest, by subject: files and folders with the hostile-media rules
 * (fs.h), processes, the console and the system (proc.h) */
#include "fs.h"
#include "proc.h"

#endif
