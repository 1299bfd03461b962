/* The places cpk_discover searches on Linux (discover.c): the CryptoPro
 * key folder, the mount points of removable media, $HOME and, when pcscd
 * runs, the tokens. CPKIT_DISCOVERY_ROOT puts the fixed ones under a
 * test folder. Windows has compat/win/discover_win.c instead. */
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
