/*
 * open_memstream for the Windows build (posix.h maps open_memstream and
 * fclose here; the C runtime has neither open_memstream nor a way to give
 * a FILE functions of our own). diag/bundle.c writes each report into a
 * memory stream, closes it, then uses the buffer: here the stream is a
 * temporary file that Windows deletes when it is closed, and closing it
 * reads it back into a malloc'd, NUL-ended buffer, as glibc leaves it.
 * Every other FILE goes to the C runtime's fclose unchanged.
 */
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#undef fclose
#undef open_memstream

FILE	*cpk_win_open_memstream(char **buf, size_t *len);
int	 cpk_win_fclose(FILE *f);
char	*cpk_win_strndup(const char *s, size_t n);

struct memstream {
	struct memstream *next;
	FILE		*f;
	char		**buf;
	size_t		*len;
};

static struct memstream	*streams;
static SRWLOCK		 streams_lock = SRWLOCK_INIT;

/* a file in the user's temp folder, readable and writable by this handle
 * only, gone when the last handle closes (also when cpkit is killed) */
static FILE *
temp_stream(void)
{
	wchar_t dir[MAX_PATH + 1], path[MAX_PATH + 1];
	HANDLE h;
	FILE *f;
	int fd;

	if (GetTempPathW(MAX_PATH + 1, dir) == 0 ||
	    GetTempFileNameW(dir, L"cpk", 0, path) == 0)
		return NULL;
	h = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL,
	    CREATE_ALWAYS, FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE,
	    NULL);
	if (h == INVALID_HANDLE_VALUE) {
		DeleteFileW(path);
		return NULL;
	}
	if ((fd = _open_osfhandle((intptr_t)h, _O_RDWR | _O_BINARY)) < 0) {
		CloseHandle(h);
		return NULL;
	}
	if ((f = _fdopen(fd, "w+b")) == NULL)
		_close(fd);
	return f;
}

FILE *
cpk_win_open_memstream(char **buf, size_t *len)
{
	struct memstream *m;

	if (buf == NULL || len == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if ((m->f = temp_stream()) == NULL) {
		free(m);
		errno = EIO;
		return NULL;
	}
	m->buf = buf;
	m->len = len;
	*buf = NULL;
	*len = 0;
	AcquireSRWLockExclusive(&streams_lock);
	m->next = streams;
	streams = m;
	ReleaseSRWLockExclusive(&streams_lock);
	return m->f;
}

/* the stream's bytes into *buf, NUL-ended; 0, or EOF with errno */
static int
read_back(struct memstream *m)
{
	long long size;
	char *p;

	if (fflush(m->f) != 0 || (size = _ftelli64(m->f)) < 0 ||
	    (unsigned long long)size >= SIZE_MAX ||
	    fseek(m->f, 0, SEEK_SET) != 0)
		return EOF;
	if ((p = malloc((size_t)size + 1)) == NULL)
		return EOF;
	if (fread(p, 1, (size_t)size, m->f) != (size_t)size) {
		free(p);
		errno = EIO;
		return EOF;
	}
	p[size] = '\0';
	*m->buf = p;
	*m->len = (size_t)size;
	return 0;
}

int
cpk_win_fclose(FILE *f)
{
	struct memstream **pp, *m = NULL;
	int r = 0;

	AcquireSRWLockExclusive(&streams_lock);
	for (pp = &streams; *pp != NULL; pp = &(*pp)->next)
		if ((*pp)->f == f) {
			m = *pp;
			*pp = m->next;
			break;
		}
	ReleaseSRWLockExclusive(&streams_lock);
	if (m != NULL) {
		r = read_back(m);
		free(m);
	}
	if (fclose(f) != 0)
		r = EOF;
	return r;
}

char *
cpk_win_strndup(const char *s, size_t n)
{
	size_t l = strnlen(s, n);
	char *p = malloc(l + 1);

	if (p != NULL) {
		memcpy(p, s, l);
		p[l] = '\0';
	}
	return p;
}
