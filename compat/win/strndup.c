/*
 * strndup for the Windows build (posix.h maps it here): the C runtime has
 * strdup but not its bounded form, which media/open.c and diag/merge.c use.
 */
#include <stdlib.h>
#include <string.h>

char	*cpk_win_strndup(const char *s, size_t n);

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
