/*
 * cpk_memstream on Windows (diag/internal.h): the C runtime has no
 * open_memstream and no way to give a FILE its own writer, so the bytes
 * go to a temporary file in the user's %TEMP%, created new with a random
 * name, deleted when closed (also when the process dies), and read back
 * into memory when the stream is closed. Reports of a bundle only: no
 * key or password goes through it.
 */
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <bcrypt.h>

/* diag/'s own internal header, not container/'s (first in -I) */
#include "../../diag/internal.h"

static HANDLE
temp_file(void)
{
	wchar_t dir[MAX_PATH + 1], path[MAX_PATH + 64];
	unsigned char rnd[8];
	DWORD n = GetTempPathW(MAX_PATH + 1, dir);

	if (n == 0 || n > MAX_PATH || BCryptGenRandom(NULL, rnd, sizeof(rnd),
	    BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
		return INVALID_HANDLE_VALUE;
	_snwprintf(path, MAX_PATH + 64, L"%lscpkit-%02x%02x%02x%02x%02x%02x"
	    L"%02x%02x.tmp", dir, rnd[0], rnd[1], rnd[2], rnd[3], rnd[4],
	    rnd[5], rnd[6], rnd[7]);
	path[MAX_PATH + 63] = L'\0';
	return CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL,
	    CREATE_NEW, FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE,
	    NULL);
}

FILE *
cpk_memstream_open(cpk_memstream *ms)
{
	HANDLE h = temp_file();
	int fd;

	ms->f = NULL;
	ms->buf = NULL;
	ms->len = 0;
	if (h == INVALID_HANDLE_VALUE)
		return NULL;
	if ((fd = _open_osfhandle((intptr_t)h, _O_RDWR | _O_BINARY)) < 0) {
		CloseHandle(h);
		return NULL;
	}
	if ((ms->f = _fdopen(fd, "w+b")) == NULL)
		_close(fd);
	return ms->f;
}

cpk_err
cpk_memstream_close(cpk_memstream *ms, char **buf, size_t *len)
{
	long long size;
	char *b = NULL;
	cpk_err r = CPK_E_IO;

	*buf = NULL;
	*len = 0;
	if (fflush(ms->f) == 0 && (size = _ftelli64(ms->f)) >= 0 &&
	    (unsigned long long)size < SIZE_MAX &&
	    _fseeki64(ms->f, 0, SEEK_SET) == 0) {
		if ((b = malloc((size_t)size + 1)) == NULL)
			r = CPK_E_NOMEM;
		else if (fread(b, 1, (size_t)size, ms->f) == (size_t)size) {
			b[size] = '\0';
			*buf = b;
			*len = (size_t)size;
			b = NULL;
			r = CPK_OK;
		}
	}
	free(b);
	fclose(ms->f);		/* the file goes with its last handle */
	ms->f = NULL;
	return r;
}
