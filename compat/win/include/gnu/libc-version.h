/*
 * Windows stand-in for glibc's <gnu/libc-version.h>, for
 * container/version.c: the "C library" line of --version names the
 * mingw-w64 runtime cpkit was built with (its CRT is the system's
 * msvcrt.dll or ucrtbase.dll, which has no version call).
 */
#ifndef CPKIT_COMPAT_GNU_LIBC_VERSION_H
#define CPKIT_COMPAT_GNU_LIBC_VERSION_H

const char	*gnu_get_libc_version(void);
const char	*gnu_get_libc_release(void);

#endif
