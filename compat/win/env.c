/*
 * getenv in UTF-8 for the Windows build (posix.h maps getenv here). The
 * CRT's getenv converts the environment to the ANSI code page, so a
 * Cyrillic password given by --password-env, or a Cyrillic path in
 * CPKIT_LOCALEDIR, would reach cpkit as '?' on a PC whose code page is
 * not 1251. Each variable asked for is converted from _wgetenv once and
 * kept for the life of the process, like the CRT's own string; a value
 * that changes in between (cpkit never sets its environment) gets a new
 * copy.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

#undef getenv

struct env_copy {
	struct env_copy	*next;
	wchar_t		*wname;
	char		*utf8;
};

static struct env_copy	*copies;
static SRWLOCK		 copies_lock = SRWLOCK_INIT;

const char *cpk_win_getenv(const char *name);

const char *
cpk_win_getenv(const char *name)
{
	struct env_copy *c;
	const wchar_t *wv;
	wchar_t *wname;
	char *v = NULL;

	if ((wname = cpk_proc_wide(name)) == NULL)
		return NULL;
	AcquireSRWLockExclusive(&copies_lock);
	if ((wv = _wgetenv(wname)) == NULL)
		goto out;
	if ((v = cpk_proc_utf8(wv)) == NULL)
		goto out;
	for (c = copies; c != NULL; c = c->next)
		if (wcscmp(c->wname, wname) == 0 && strcmp(c->utf8, v) == 0) {
			free(v);
			v = c->utf8;
			goto out;
		}
	if ((c = malloc(sizeof(*c))) == NULL) {
		free(v);
		v = NULL;
		goto out;
	}
	c->wname = wname;
	c->utf8 = v;
	c->next = copies;
	copies = c;
	wname = NULL;
out:
	ReleaseSRWLockExclusive(&copies_lock);
	free(wname);
	return v;
}
