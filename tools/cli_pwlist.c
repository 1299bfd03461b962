/* Password files and password lists (--password-file, --password-list):
 * read as text the way Windows users save them (a UTF-8 BOM, CP1251, CR
 * LF), bounded, wiped after use. A list is tried line by line for each
 * container; what is shown is the line number, never a password. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cli.h"

/* The bytes of a secret file, at most max; more is CPK_E_TOO_BIG, or
 * with cut, left unread (only the first line of a password file counts).
 * A group- or world-readable file gets a warning (STYLE.md §8). */
static cpk_err
slurp(const char *path, size_t max, int cut, unsigned char **out,
    size_t *len)
{
	unsigned char *b;
	size_t got = 0;
	ssize_t n;
	int fd, shared;

	*out = NULL;
	*len = 0;
	if ((fd = cli_secret_open(path, &shared)) < 0) {
		cli_error(_("%s: cannot open password file: %s"),
		    cli_disp(path), strerror(errno));
		return CPK_E_NO_PASSWORD;
	}
	if (shared)
		cli_error(_("warning: %s is readable by other users"),
		    cli_disp(path));
	if ((b = malloc(max + 1)) == NULL) {
		close(fd);
		return CPK_E_NOMEM;
	}
	while (got <= max && (n = read(fd, b + got, max + 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (got > max && cut)
		got = max;
	if (got > max) {
		OPENSSL_cleanse(b, max + 1);
		free(b);
		return CPK_E_TOO_BIG;
	}
	*out = b;
	*len = got;
	return CPK_OK;
}

static void
drop(unsigned char **b, size_t cap)
{
	if (*b != NULL)
		OPENSSL_cleanse(*b, cap);
	free(*b);
	*b = NULL;
}

/* Bytes up to the first LF, without a CR before it. */
static size_t
first_line(const unsigned char *p, size_t n)
{
	const unsigned char *lf = memchr(p, '\n', n);
	size_t k = lf != NULL ? (size_t)(lf - p) : n;

	if (k > 0 && p[k - 1] == '\r')
		k--;
	return k;
}

static void
text_error(const char *path, cpk_err r)
{
	cli_error("%s: %s", cli_disp(path), r == CPK_E_TOO_BIG ?
	    _("the password is too long") : r == CPK_E_FORMAT ?
	    _("not a text file in UTF-8 or CP1251 (UTF-16?)") :
	    _("neither UTF-8 nor CP1251 text"));
}

cpk_err
cli_secret_file(const char *path, char *buf, size_t cap,
    enum cpk_pwtext *how)
{
	unsigned char *b = NULL;
	size_t len, max = 4 * cap;	/* the first line is what counts */
	cpk_err r;

	buf[0] = '\0';
	*how = CPK_PWT_UTF8;
	if ((r = slurp(path, max, 1, &b, &len)) != CPK_OK)
		return CPK_E_NO_PASSWORD;
	r = cpk_pw_text(b, first_line(b, len), buf, cap, how);
	drop(&b, max + 1);
	if (r != CPK_OK) {
		text_error(path, r);
		return CPK_E_NO_PASSWORD;
	}
	return CPK_OK;
}

void
cli_pwlist_wipe(cli_pwlist *l)
{
	if (l->text != NULL)
		OPENSSL_cleanse(l->text, l->cap);
	free(l->text);
	free(l->v);
	OPENSSL_cleanse(l->one, sizeof(l->one));
	l->text = NULL;
	l->v = NULL;
	l->n = l->cap = 0;
}

/* Splits the decoded text into lines in place: LF or CR LF ends a line,
 * an empty line is skipped, a line of CPK_SECRET_MAX bytes or more and
 * more than CLI_PWLIST_MAX lines are refused. */
static cpk_err
split(const char *path, cli_pwlist *l, enum cpk_pwtext how)
{
	char *p = l->text, *lf;
	size_t line = 0, k;

	if ((l->v = calloc(CLI_PWLIST_MAX, sizeof(*l->v))) == NULL)
		return CPK_E_NOMEM;
	for (; *p != '\0'; p += k + (lf != NULL)) {
		lf = strchr(p, '\n');
		k = lf != NULL ? (size_t)(lf - p) : strlen(p);
		line++;
		if (lf != NULL)
			*lf = '\0';
		if (k > 0 && p[k - 1] == '\r')
			p[k - 1] = '\0';
		if (p[0] == '\0')
			continue;
		if (strlen(p) >= CPK_SECRET_MAX) {
			cli_error(_("%s: line %zu is too long for a password"),
			    cli_disp(path), line);
			return CPK_E_NO_PASSWORD;
		}
		if (l->n == CLI_PWLIST_MAX) {
			cli_error(_("%s: more than %d passwords; split the "
			    "list"), cli_disp(path), CLI_PWLIST_MAX);
			return CPK_E_NO_PASSWORD;
		}
		l->v[l->n].pw = p;
		l->v[l->n].line = line;
		l->v[l->n].from_file = 1;
		l->v[l->n].read_as = how;
		l->n++;
	}
	if (l->n == 0) {
		cli_error(_("%s: the password list is empty"), cli_disp(path));
		return CPK_E_NO_PASSWORD;
	}
	return CPK_OK;
}

static cpk_err
read_list(const char *path, cli_pwlist *l)
{
	/* every line may be long, each CP1251 byte two in UTF-8 */
	size_t max = (size_t)CLI_PWLIST_MAX * 64, len;
	unsigned char *b = NULL;
	enum cpk_pwtext how;
	cpk_err r;

	if ((r = slurp(path, max, 0, &b, &len)) == CPK_E_TOO_BIG)
		cli_error(_("%s: the password list is larger than %zu bytes"),
		    cli_disp(path), max);
	if (r != CPK_OK)
		return r == CPK_E_NOMEM ? r : CPK_E_NO_PASSWORD;
	l->cap = 2 * len + 1;
	if ((l->text = malloc(l->cap)) == NULL)
		r = CPK_E_NOMEM;
	else if ((r = cpk_pw_text(b, len, l->text, l->cap, &how)) != CPK_OK) {
		text_error(path, r);
		r = CPK_E_NO_PASSWORD;
	} else
		r = split(path, l, how);
	drop(&b, max + 1);
	return r;
}

cpk_err
cli_passwords(const cpk_secret_src *s, cli_pwlist *l, int *have)
{
	cpk_err r;

	memset(l, 0, sizeof(*l));
	*have = 0;
	if (cli_secret_count(s) == 0)
		return CPK_OK;
	if (s->list != NULL)
		r = read_list(s->list, l);
	else if ((l->v = calloc(1, sizeof(*l->v))) == NULL)
		r = CPK_E_NOMEM;
	else {
		l->v[0].pw = l->one;
		l->v[0].from_file = s->file != NULL;
		l->n = 1;
		r = s->file != NULL ? cli_secret_file(s->file, l->one,
		    sizeof(l->one), &l->v[0].read_as) :
		    cli_secret_read(s, _("Container password: "), l->one,
		    sizeof(l->one));
	}
	if (r != CPK_OK) {
		cli_pwlist_wipe(l);
		return r == CPK_E_NOMEM ? r : CPK_E_NO_PASSWORD;
	}
	*have = 1;
	return CPK_OK;
}

cpk_err
cli_password_for(const cpk_secret_src *s, const cpk_container *c,
    const char *prompt, char *buf, size_t cap)
{
	cli_pwlist l;
	size_t i;
	int have, none;
	cpk_err r;

	if (s->list == NULL)
		return cli_secret_read(s, prompt, buf, cap);
	buf[0] = '\0';
	if (c == NULL || cpk_container_header(c) == NULL) {
		cli_error(_("--password-list needs a readable header.key; give "
		    "the password with --password-file"));
		return CPK_E_NO_PASSWORD;
	}
	if ((r = cli_passwords(s, &l, &have)) != CPK_OK)
		return r;
	i = cpk_password_pick(c, l.v, l.n, &none);
	if (none)
		cli_error(_("the container has no password: the list was not "
		    "needed"));
	else if (i == l.n) {
		cli_error(P_("the password list does not unlock the container "
		    "(%zu password tried)", "no password of the list unlocks "
		    "the container (%zu passwords tried)", l.n), l.n);
		r = CPK_E_BAD_PASSWORD;
	} else if (strlen(l.v[i].pw) >= cap)
		r = CPK_E_NO_PASSWORD;
	else {
		memcpy(buf, l.v[i].pw, strlen(l.v[i].pw) + 1);
		cli_error(_("line %zu of the password list unlocks the "
		    "container (%zu of %zu tried)"), l.v[i].line, i + 1, l.n);
	}
	cli_pwlist_wipe(&l);
	return r;
}
