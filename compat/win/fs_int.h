/* Shared by compat/win/fs_*.c: path conversion, errno from Win32 errors,
 * opening a HANDLE without following a link. Not for the library. */
#ifndef CPKIT_COMPAT_WIN_FS_INT_H
#define CPKIT_COMPAT_WIN_FS_INT_H

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

/* every handle lets others read, write, rename and remove the file, as a
 * POSIX descriptor does */
#define CPK_W_SHARE	\
	(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)

wchar_t	*cpk_w_wide(const char *);
char	*cpk_w_narrow(const wchar_t *);
wchar_t	*cpk_w_at(int, const char *);
wchar_t	*cpk_w_final_path(HANDLE);
int	 cpk_w_fail(DWORD);
int	 cpk_w_is_link(HANDLE, DWORD);
int	 cpk_w_open_wide(const wchar_t *, int);
int	 cpk_w_link_text(HANDLE, char *, size_t, size_t *);
/* pure: what an entry with these attributes is (tests/win/fs_probe.c) */
int	 cpk_w_link_attrs(DWORD, int, DWORD);
mode_t	 cpk_w_mode(DWORD, int);
unsigned char cpk_w_dtype(DWORD, DWORD);
int	 cpk_w_reparse_text(const void *, size_t, char *, size_t, size_t *);
int	 cpk_w_random_name(char *);

#endif
