/* Where cpkit-diag and cpkit-list look when given no PATH (issue 18):
 * one list in the library, so that both tools search the same places and
 * say the same thing about them. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* pcsc-lite's socket: pcscd is running, so tokens can be asked */
#define PCSCD_SOCKET	"/run/pcscd/pcscd.comm"

static void
place(cpk_places *p, const char *root, const char *path)
{
	if (p->n < CPK_PLACES_MAX)
		snprintf(p->v[p->n++].path, sizeof(p->v[0].path), "%s%s",
		    root, path);
}

void
cpk_discover_places(cpk_places *p, int tokens)
{
	const char *root = getenv("CPKIT_DISCOVERY_ROOT");
	const char *home = getenv("HOME");
	struct passwd *pw;
	char keys[160];
	struct stat st;

	memset(p, 0, sizeof(*p));
	if (root == NULL)
		root = "";
	/* root reads every user's keys; anyone else only their own (the
	 * others' folders are 0700 and would only give warnings) */
	if (geteuid() == 0 || (pw = getpwuid(geteuid())) == NULL)
		snprintf(keys, sizeof(keys), "/var/opt/cprocsp/keys");
	else
		snprintf(keys, sizeof(keys), "/var/opt/cprocsp/keys/%.100s",
		    pw->pw_name);
	place(p, root, keys);
	place(p, root, "/media");
	place(p, root, "/run/media");
	place(p, root, "/mnt");
	/* $HOME is the caller's own: not under the testing root */
	if (home != NULL && *home != '\0')
		place(p, "", home);
	if (tokens && stat(PCSCD_SOCKET, &st) == 0)
		place(p, "", "pcsc:");
}

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
