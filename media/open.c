/* The registry of media backends (ARCHITECTURE.md, "media"): which
 * backend reads an address. pcsc: goes to the token backend, registry:
 * to the live registry's (Windows only), a folder to
 * media_dir.c, a .reg export or an offline hive (told by content, never by
 * name) to media_reg.c or media_hive.c; FILE:KEY and pcsc:READER/DF name
 * one container inside them. The one file that knows both media/ and
 * token/. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "media_int.h"
#include "token_media.h"

static int
item_cmp(const void *a, const void *b)
{
	return strcmp(((const media_item *)a)->ref.location,
	    ((const media_item *)b)->ref.location);
}

cpk_err
cpk_media_open(const char *uri, cpk_media **out)
{
	return cpk_media_open_opts(uri, NULL, out);
}

/* The path the user typed is theirs to choose: a mount point, the key
 * store or a home folder is often a link, so a link there is followed
 * (links met below it never are). That a .reg or hive named on the command
 * line was a link is said in a warning, since a shell glob over a
 * stranger's medium can type one the engineer never meant. */
static cpk_err
given_file(cpk_media *m, const char *uri, const struct stat *st,
    const char **file)
{
	struct stat lst;
	char *real;

	*file = uri;
	if (S_ISDIR(st->st_mode) || lstat(uri, &lst) != 0 ||
	    !S_ISLNK(lst.st_mode) || cpk_media_sniff_at(uri, 1) == MF_OTHER)
		return CPK_OK;
	if ((real = realpath(uri, NULL)) == NULL)
		return cpk_err_from_errno(errno);
	cpk_media_warn(m, _("%s: a symbolic link to %s, followed because it "
	    "was named on the command line"), uri, real);
	*file = m->given = real;
	return CPK_OK;
}

/* Keeps the containers whose location ends in sep + tail (the key path
 * of a registry container, compared as Windows compares key names; the
 * DF path of a token's); how many are left. */
static size_t
keep_tail(cpk_media *m, char sep, const char *tail)
{
	size_t k = 0, lt = strlen(tail), ll;

	for (size_t i = 0; i < m->n; i++) {
		const char *loc = m->items[i].ref.location;

		ll = strlen(loc);
		if (ll > lt && loc[ll - lt - 1] == sep &&
		    strcasecmp(loc + ll - lt, tail) == 0)
			m->items[k++] = m->items[i];
		else
			cpk_media_item_clear(&m->items[i]);
	}
	m->n = k;
	return k;
}

static cpk_err
open_token(const char *reader, cpk_media_opts *o, cpk_media **out)
{
	cpk_media *m;
	cpk_err r;

	*out = NULL;
	/* a token: everything is read while the card is held */
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return CPK_E_NOMEM;
	if ((r = cpk_media_token_add(m, reader, o)) != CPK_OK)
		cpk_media_close(&m);
	*out = m;
	return r;
}

/* The DF path that ends a token container's location, as cpk_tok_path()
 * writes it: "/XXXX" groups of four hex digits; where it starts. */
static size_t
df_path_start(const char *s)
{
	size_t n = strlen(s), at = n;

	while (at >= 5 && s[at - 5] == '/' &&
	    strspn(s + at - 4, "0123456789ABCDEFabcdef") >= 4)
		at -= 5;
	return at;
}

/* pcsc:READER/DF/DF, as cpkit-list prints a token container: the reader,
 * then that one container. A reader whose own name ends so is tried
 * whole first. */
static cpk_err
open_token_location(const char *uri, cpk_media_opts *o, cpk_media **out)
{
	char *reader = NULL;
	size_t at = df_path_start(uri);
	cpk_err r, whole;

	*out = NULL;
	whole = open_token(uri + 5, o, out);
	if (whole == CPK_OK || at <= 5 || at == strlen(uri))
		return whole;
	if ((reader = strndup(uri + 5, at - 5)) == NULL)
		return CPK_E_NOMEM;
	r = open_token(reader, o, out);
	free(reader);
	if (r != CPK_OK)
		return whole;
	if (keep_tail(*out, '/', uri + at + 1) == 0) {
		cpk_media_close(out);
		return CPK_E_NOT_FOUND;
	}
	return CPK_OK;
}

/* FILE:KEY, as cpkit-list prints a container inside a .reg export or a
 * hive: the file, then that one container. Only a path that does not
 * exist comes here (an existing path always wins), and each ':' is tried
 * as the split, leftmost first, so a colon in a file or key name does
 * not get in the way. */
static cpk_err
open_location(const char *uri, cpk_media_opts *o, cpk_media **out)
{
	struct stat st;
	const char *c;
	char *file;
	cpk_err r;

	*out = NULL;
	for (c = strchr(uri, ':'); c != NULL; c = strchr(c + 1, ':')) {
		if (c == uri || c[1] == '\0' ||
		    (file = strndup(uri, (size_t)(c - uri))) == NULL)
			continue;
		r = stat(file, &st) == 0 && S_ISREG(st.st_mode) &&
		    cpk_media_sniff_at(file, 1) != MF_OTHER ?
		    cpk_media_open_opts(file, o, out) : CPK_E_NOT_FOUND;
		free(file);
		if (r == CPK_OK && keep_tail(*out, ':', c + 1) > 0)
			return CPK_OK;
		cpk_media_close(out);
		if (r != CPK_OK && r != CPK_E_NOT_FOUND)
			return r;
	}
	return CPK_E_NOT_FOUND;
}

/* registry: (every container of the live registry, REGISTRY.md §7) and
 * registry:KEY, as cpkit-list prints one of them: the key path after the
 * prefix, HKEY_LOCAL_MACHINE or HKLM. A key the user may not read is a
 * limit of the whole listing, not of the one container named. */
static cpk_err
open_registry(const char *uri, cpk_media **out)
{
	const char *tail = uri + strlen(CPK_REG_LIVE);
	char *full = NULL;
	cpk_media *m;
	cpk_err r;

	*out = NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return CPK_E_NOMEM;
	if ((r = cpk_media_reg_live_add(m)) != CPK_OK) {
		cpk_media_close(&m);
		return r;
	}
	if (*tail != '\0') {
		if (strncasecmp(tail, "HKLM\\", 5) == 0) {
			if ((full = malloc(strlen(tail) + 20)) == NULL) {
				cpk_media_close(&m);
				return CPK_E_NOMEM;
			}
			strcpy(full, "HKEY_LOCAL_MACHINE\\");
			strcat(full, tail + 5);
			tail = full;
		}
		r = keep_tail(m, ':', tail) > 0 ? CPK_OK : CPK_E_NOT_FOUND;
		free(full);
		/* not found, but maybe behind a key the user may not read:
		 * the empty listing says so (and is incomplete) */
		if (r != CPK_OK && m->cut[ML_DENIED] == NULL) {
			cpk_media_close(&m);
			return r;
		}
		if (r == CPK_OK) {
			free(m->cut[ML_DENIED]);
			m->cut[ML_DENIED] = NULL;
		}
	}
	if (m->n > 1)
		qsort(m->items, m->n, sizeof(*m->items), item_cmp);
	*out = m;
	return CPK_OK;
}

cpk_err
cpk_media_open_opts(const char *uri, cpk_media_opts *o, cpk_media **out)
{
	struct stat st;
	cpk_media *m;
	const char *file;
	cpk_err r = CPK_E_INTERNAL;

	*out = NULL;
	if (strncmp(uri, "pcsc:", 5) == 0)
		return open_token_location(uri, o, out);
	if (strncasecmp(uri, CPK_REG_LIVE, strlen(CPK_REG_LIVE)) == 0)
		return open_registry(uri, out);
	if (stat(uri, &st) != 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			return CPK_E_IO;
		/* neither a path nor FILE:KEY: what was typed is not there */
		r = open_location(uri, o, out);
		return r == CPK_E_NOT_FOUND ? CPK_E_NO_PATH : r;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return CPK_E_NOMEM;
	/* a .reg or hive the user named through a link is read at the
	 * link's target, named in a warning; a key file is not resolved:
	 * its folder is the container, read without following links */
	if ((r = given_file(m, uri, &st, &file)) != CPK_OK) {
		cpk_media_close(&m);
		return r;
	}
	switch (S_ISDIR(st.st_mode) ? MF_OTHER : cpk_media_sniff_at(file, 0)) {
	case MF_REG:
		r = cpk_media_reg_add(m, file);
		break;
	case MF_HIVE:
		r = cpk_media_hive_add(m, file);
		break;
	case MF_OTHER:
		r = cpk_media_dir_add(m, uri);
		break;
	}
	if (r != CPK_OK) {
		cpk_media_close(&m);
		return r;
	}
	if (m->n > 1)
		qsort(m->items, m->n, sizeof(*m->items), item_cmp);
	*out = m;
	return CPK_OK;
}
