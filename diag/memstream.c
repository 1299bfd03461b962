/* cpk_memstream over open_memstream (diag/internal.h); Windows, which has
 * no open_memstream, has compat/win/memstream_win.c. */
#include <stdio.h>

#include "internal.h"

FILE *
cpk_memstream_open(cpk_memstream *ms)
{
	ms->buf = NULL;
	ms->len = 0;
	return ms->f = open_memstream(&ms->buf, &ms->len);
}

cpk_err
cpk_memstream_close(cpk_memstream *ms, char **buf, size_t *len)
{
	fclose(ms->f);
	*buf = ms->buf;
	*len = ms->len;
	return CPK_OK;
}
