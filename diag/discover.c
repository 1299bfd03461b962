/* Where cpkit-diag and cpkit-list look when given no PATH (issue 18):
 * one list in the library, so that both tools search the same places and
 * say the same thing about them. The places themselves are the system's:
 * discover_places.c (POSIX), compat/win/discover_win.c (Windows). */

#include "internal.h"

cpk_err
cpk_discover_stream(cpk_scan *s, time_t now, int tokens, cpk_media_opts *mo,
    cpk_places *p, cpk_scan_fn *fn, void *arg)
{
	cpk_err r;

	cpk_discover_places(p, tokens);
	for (size_t i = 0; i < p->n; i++) {
		/* an absent place, a token that cannot be read: the others
		 * are still worth the look; only memory stops the search */
		r = fn != NULL ? cpk_scan_stream(s, p->v[i].path, now, mo, fn,
		    arg) : cpk_scan_add_opts(s, p->v[i].path, now, mo);
		if (r == CPK_E_NOMEM)
			return r;
		p->v[i].err = r;
	}
	return CPK_OK;
}

cpk_err
cpk_discover(cpk_scan *s, time_t now, int tokens, cpk_media_opts *mo,
    cpk_places *p)
{
	return cpk_discover_stream(s, now, tokens, mo, p, NULL, NULL);
}
