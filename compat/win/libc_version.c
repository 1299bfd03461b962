/* The C runtime's version for container/version.c on Windows (see
 * include/gnu/libc-version.h): the mingw-w64 headers' version, and which
 * CRT they target. */
#include <_mingw.h>

#include <gnu/libc-version.h>

const char *
gnu_get_libc_version(void)
{
	return __MINGW64_VERSION_STR;
}

const char *
gnu_get_libc_release(void)
{
#ifdef _UCRT
	return "mingw-w64, ucrtbase.dll";
#else
	return "mingw-w64, msvcrt.dll";
#endif
}
