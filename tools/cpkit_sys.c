/*
 * The front command's POSIX side (cpkit_sys.h): cpkit-NAME beside the
 * binary or in PATH, run with execv; manual pages through man(1).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "cpkit_sys.h"

#ifndef CPK_MANDIR
#define CPK_MANDIR	"/usr/local/share/man"
#endif

static int
executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

/* dir/cpkit-name into out when it can be run; 0 if not or too long. */
static int
try_dir(const char *dir, size_t dlen, const char *name, char *out,
    size_t cap)
{
	int n = snprintf(out, cap, "%.*s/cpkit-%s", (int)dlen, dir, name);

	return n > 0 && (size_t)n < cap && executable(out);
}

/* cpkit-name beside /proc/self/exe, else in PATH (empty entries, the
 * current folder, are skipped: cpkit never runs what lies in the cwd). */
int
cpkit_find(const char *name, char *out, size_t cap)
{
	char self[PATH_MAX];
	const char *path, *p, *end;

	if (cli_self_dir(self, sizeof(self)) &&
	    try_dir(self, strlen(self), name, out, cap))
		return 1;
	if ((path = getenv("PATH")) == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; *p != '\0'; p = *end == ':' ? end + 1 : end) {
		end = p + strcspn(p, ":");
		if (end > p && try_dir(p, (size_t)(end - p), name, out, cap))
			return 1;
	}
	return 0;
}

void
cpkit_exec(const char *path, char **argv)
{
	execv(path, argv);
}

/* Runs man with its arguments and waits: man's exit status, 127 when it
 * cannot be run, -1 when fork or wait fails. */
static int
run_man(const char *a1, const char *a2)
{
	pid_t pid;
	int st;

	fflush(stdout);
	if ((pid = fork()) < 0) {
		cli_error("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		execlp("man", "man", a1, a2, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* dir/page.1 into out when it is a regular file. */
static int
page_in(const char *dir, const char *page, char *out, size_t cap)
{
	struct stat st;
	int n = snprintf(out, cap, "%s/%s.1", dir, page);

	return n > 0 && (size_t)n < cap && stat(out, &st) == 0 &&
	    S_ISREG(st.st_mode);
}

/* A build tree's binary shows the source tree's page beside it
 * (<bin>/../../man: the page of this very build, installed or not); an
 * installed one asks man, and when man's path has no entry (a prefix
 * outside MANPATH) reads MANDIR's page with man -l. */
int
cpkit_show_page(const char *page)
{
	char dir[PATH_MAX], file[PATH_MAX];
	int st;

	if (cli_beside_self("../man", dir, sizeof(dir)) &&
	    page_in(dir, page, file, sizeof(file)))
		st = run_man("-l", file);
	else if ((st = run_man(page, NULL)) > 0 && st != 127 &&
	    page_in(CPK_MANDIR "/man1", page, file, sizeof(file)))
		st = run_man("-l", file);
	return st;
}

const char *
cpkit_man_dir(char *buf, size_t cap)
{
	(void)buf;
	(void)cap;
	return CPK_MANDIR;
}
