/* .reg media: every container of a regedit export, named
 * \\.\REGISTRY\<name> with its SID, or as the
 * machine's (REGISTRY.md §1, §2, §7). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media_int.h"

#define REG_FILE_MAX	(128u * 1024u * 1024u)

/* A user's key (Settings\Users\<SID>\Keys\<name>), even when its SID
 * component is empty, which the parser reports as no SID: such a
 * container must not pass for the machine's (REGISTRY.md §1). The parser
 * takes the first Crypto Pro\Settings of the path; so does this. */
static int
user_key(const cpk_regcont *c)
{
	static const char cs[] = "Crypto Pro\\Settings\\";
	const char *p = c->path;

	if (c->sid != NULL)
		return 1;
	for (; *p != '\0'; p++)
		if ((p == c->path || p[-1] == '\\') &&
		    strncasecmp(p, cs, sizeof(cs) - 1) == 0)
			return strncasecmp(p + sizeof(cs) - 1, "Users\\", 6) ==
			    0;
	return 0;
}

/* Forms regedit never writes but editors leave (REGISTRY.md §3.1): the
 * file was read all the same; say how, so the user knows it is odd. */
static void
odd_form(cpk_media *m, const char *path, const cpk_regfile *rf)
{
	if ((rf->odd & CPK_RTO_UTF16BE) && (rf->odd & CPK_RTO_NOBOM))
		cpk_media_warn(m, _("%s: UTF-16BE without a byte order mark "
		    "(regedit writes UTF-16LE with one): recognised by its "
		    "content and read"), path);
	else if (rf->odd & CPK_RTO_UTF16BE)
		cpk_media_warn(m, _("%s: UTF-16BE (regedit writes UTF-16LE): "
		    "read"), path);
	else if (rf->odd & CPK_RTO_NOBOM)
		cpk_media_warn(m, _("%s: UTF-16LE without a byte order mark "
		    "(an editor dropped it): recognised by its content and "
		    "read"), path);
	if (rf->odd & CPK_RTO_CRCR)
		cpk_media_warn(m, P_("%s: %zu line ends in CR CR LF (an "
		    "editor doubled the CR): read as CR LF", "%s: %zu lines "
		    "end in CR CR LF (an editor doubled the CR): read as CR LF",
		    rf->crcr), path, rf->crcr);
}

cpk_err
cpk_media_reg_add(cpk_media *m, const char *path)
{
	cpk_regfile rf;
	cpk_blob *raw = NULL;
	char fqcn[600], *loc = NULL, *nk = NULL;
	const char *enc, *name;
	size_t n;
	int user;
	cpk_err r;

	if ((r = cpk_file_read(path, REG_FILE_MAX, &raw)) != CPK_OK)
		return r;
	r = cpk_regfile_parse(raw->ptr, raw->len, &rf);
	cpk_blob_free(&raw);
	if (r != CPK_OK) {
		/* the file's own damage is a warning naming it: the caller
		 * lists whatever else it was given */
		if (r != CPK_E_NOMEM) {
			if (rf.bad_line > 0)
				cpk_media_warn(m, _("%s: line %zu: invalid "
				    "UTF-16 (a lone surrogate or NUL)"), path,
				    rf.bad_line);
			else
				cpk_media_warn(m, "%s: %s", path,
				    cpk_err_text(r));
			r = CPK_OK;
		}
		cpk_regfile_clear(&rf);
		return r;
	}
	odd_form(m, path, &rf);
	for (size_t i = 0; i < rf.nwarn; i++)
		cpk_media_warn(m, "%s: %s", path, rf.warn[i]);
	for (size_t i = 0; i < rf.n && r == CPK_OK; i++) {
		cpk_regcont *c = &rf.v[i];
		const cpk_blob *b = c->files->f[CPK_F_NAME];

		name = c->name;
		if (b != NULL && cpk_name_decode(b->ptr, b->len, &nk, &enc) ==
		    CPK_OK) {
			if (strcmp(nk, c->name) != 0)
				cpk_media_warn(m, _("%s: line %zu: key \"%s\" "
				    "holds the container \"%s\" (name.key)"),
				    path, c->line, c->name, nk);
			name = nk;
		}
		n = strlen(path) + strlen(c->path) + 2;
		if ((loc = malloc(n)) == NULL) {
			r = CPK_E_NOMEM;
			break;
		}
		snprintf(loc, n, "%s:%s", path, c->path);
		snprintf(fqcn, sizeof(fqcn), "\\\\.\\REGISTRY\\%s", name);
		user = user_key(c);
		r = cpk_media_add(m, fqcn, loc, name, "REGISTRY", user ?
		    (c->sid ? c->sid : "") : NULL, NULL, c->files);
		c->files = NULL;		/* the media owns it now */
		if (r == CPK_OK)
			m->items[m->n - 1].ref.scope = user ? CPK_SCOPE_USER :
			    CPK_SCOPE_MACHINE;
		free(loc);
		free(nk);
		nk = NULL;
	}
	cpk_regfile_clear(&rf);
	return r;
}
