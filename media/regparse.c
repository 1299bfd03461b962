/* The .reg reader (REGISTRY.md §3.5): both dialects, continuation lines,
 * comments, delete markers, any number of containers under every path
 * CryptoPro uses. A bad value or line becomes a warning naming the file's
 * line; the other containers are still read. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media_int.h"

#define REG_LINE_MAX	(1024 * 1024)	/* a 64 KiB value needs ~200 KB */
/* Containers read from one .reg: far more than a terminal server holds,
 * and a bound on what a hostile file of empty keys can make cpkit keep
 * (the 128 MiB file cap alone allows ~900,000). */
#define REG_CONT_MAX	200000

static void
rwarn(cpk_regfile *rf, size_t line, const char *fmt, ...)
{
	char buf[800], **w;	/* room for a translated warning */
	int n;
	va_list ap;

	if (rf->nwarn >= 200)
		return;
	n = snprintf(buf, sizeof(buf), _("line %zu: "), line);
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	if ((w = realloc(rf->warn, (rf->nwarn + 1) * sizeof(*w))) == NULL)
		return;
	rf->warn = w;
	if ((rf->warn[rf->nwarn] = strdup(buf)) != NULL)
		rf->nwarn++;
}

/* Splits a key path; returns the container's name and SID when the key
 * is ...\Crypto Pro\Settings\Keys\<name> or ...\Users\<SID>\Keys\<name>. */
static int
container_path(const char *path, char *name, size_t ncap, char *sid,
    size_t scap)
{
	const char *comp[64];
	size_t len[64], n = 0, i;
	const char *p = path;

	while (n < 64) {
		const char *bs = strchr(p, '\\');
		comp[n] = p;
		len[n] = bs ? (size_t)(bs - p) : strlen(p);
		n++;
		if (bs == NULL)
			break;
		p = bs + 1;
	}
#define IS(k, s)	(len[k] == strlen(s) && strncasecmp(comp[k], s, len[k]) == 0)
	for (i = 0; i + 3 < n; i++)
		if (IS(i, "Crypto Pro") && IS(i + 1, "Settings"))
			break;
	if (i + 3 >= n)
		return 0;
	sid[0] = '\0';
	if (IS(i + 2, "Keys") && n == i + 4) {
		snprintf(name, ncap, "%.*s", (int)len[i + 3], comp[i + 3]);
		return len[i + 3] > 0;
	}
	if (IS(i + 2, "Users") && n == i + 6 && IS(i + 4, "Keys")) {
		snprintf(sid, scap, "%.*s", (int)len[i + 3], comp[i + 3]);
		snprintf(name, ncap, "%.*s", (int)len[i + 5], comp[i + 5]);
		return len[i + 5] > 0;
	}
#undef IS
	return 0;
}

/* The container of a key path: a path seen before (without ASCII case,
 * as regedit merges a key written twice) is the same container, and the
 * later values overwrite the earlier ones. */
static cpk_regcont *
find_or_add(cpk_regfile *rf, const char *path, size_t line)
{
	char name[512], sid[256];
	cpk_regcont *c;
	size_t i, cap;
	uint64_t h;

	if (!container_path(path, name, sizeof(name), sid, sizeof(sid)))
		return NULL;
	h = cpk_strmap_hash(&rf->byname, path);
	if (cpk_strmap_get(&rf->byname, path, h, &i))
		return &rf->v[i];
	if (rf->n >= REG_CONT_MAX) {
		if (!rf->capped)
			rwarn(rf, line, _("more than %d containers: this one "
			    "and the ones after it are not read"),
			    REG_CONT_MAX);
		rf->capped = 1;
		return NULL;
	}
	if (rf->n == rf->cap) {
		cap = rf->cap ? rf->cap * 2 : 16;
		if (cap > SIZE_MAX / sizeof(*c) ||
		    (c = realloc(rf->v, cap * sizeof(*c))) == NULL)
			return NULL;
		rf->v = c;
		rf->cap = cap;
	}
	c = &rf->v[rf->n];
	memset(c, 0, sizeof(*c));
	c->line = line;
	if ((c->path = strdup(path)) == NULL || (c->name = strdup(name)) ==
	    NULL || (sid[0] && (c->sid = strdup(sid)) == NULL) ||
	    cpk_files_new(&c->files) != CPK_OK ||
	    cpk_strmap_put(&rf->byname, c->path, h, rf->n) != CPK_OK) {
		free(c->path);
		free(c->name);
		free(c->sid);
		cpk_files_free(&c->files);
		return NULL;
	}
	rf->n++;
	return c;
}

static int
hexval(int ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ?
	    ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* "30,82,03,e0" with optional blanks and a trailing comma. */
static cpk_err
parse_hex(const char *s, cpk_blob **out)
{
	unsigned char byte;
	int hi, lo;
	cpk_err r;

	if ((r = cpk_blob_new(NULL, 0, out)) != CPK_OK)
		return r;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		if ((hi = hexval(*s)) < 0 || (lo = hexval(s[1])) < 0)
			goto bad;
		s += 2;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s != ',' && *s != '\0')
			goto bad;		/* odd digits or junk */
		if (*s == ',')
			s++;
		if ((*out)->len >= CPK_FILE_MAX) {
			cpk_blob_free(out);
			return CPK_E_TOO_BIG;
		}
		byte = (unsigned char)(hi << 4 | lo);
		if ((r = cpk_blob_append(*out, &byte, 1)) != CPK_OK) {
			cpk_blob_free(out);
			return r;
		}
	}
	return CPK_OK;
bad:
	cpk_blob_free(out);
	return CPK_E_FORMAT;
}

static int
file_slot(const char *name)
{
	for (int i = 0; i < CPK_F_COUNT; i++)
		if (strcasecmp(name, cpk_file_name((enum cpk_file_id)i)) == 0)
			return i;
	return -1;
}

/* "name"=data, @=data; the name unescaped into buf. */
static void
parse_value(cpk_regfile *rf, cpk_regcont *c, char *s, size_t line)
{
	char name[256];
	size_t n = 0;
	const char *data;
	cpk_blob *b = NULL;
	int slot;
	cpk_err r;

	if (*s == '@') {
		s++;
		name[0] = '\0';
	} else {
		for (s++; *s != '\0' && *s != '"'; s++) {
			if (*s == '\\' && (s[1] == '\\' || s[1] == '"'))
				s++;
			if (n + 1 < sizeof(name))
				name[n++] = *s;
		}
		name[n] = '\0';
		if (*s++ != '"') {
			rwarn(rf, line, _("unterminated value name"));
			return;
		}
	}
	while (*s == ' ')
		s++;
	if (*s++ != '=') {
		rwarn(rf, line, _("value \"%s\": no '='"), name);
		return;
	}
	if (c == NULL)
		return;			/* not a container key */
	if ((slot = file_slot(name)) < 0) {
		rwarn(rf, line, _("[%s]: unknown value \"%s\" kept out"),
		    c->name, name);
		return;
	}
	if (strcmp(s, "-") == 0) {
		rwarn(rf, line, _("[%s]: delete marker for \"%s\" ignored"),
		    c->name, name);
		return;
	}
	if (strncasecmp(s, "hex:", 4) == 0)
		data = s + 4;
	else if (strncasecmp(s, "hex(3):", 7) == 0)
		data = s + 7;
	else {
		rwarn(rf, line, _("[%s]: value \"%s\" is not REG_BINARY"),
		    c->name, name);
		c->files->err[slot] = CPK_E_FORMAT;
		return;
	}
	if ((r = parse_hex(data, &b)) != CPK_OK) {
		rwarn(rf, line, _("[%s]: value \"%s\": %s"), c->name, name,
		    r == CPK_E_TOO_BIG ? _("larger than 64 KiB") :
		    _("bad hex digits"));
		c->files->err[slot] = r;
		cpk_blob_free(&c->files->f[slot]);
		return;
	}
	cpk_blob_free(&c->files->f[slot]);
	c->files->f[slot] = b;
	c->files->size[slot] = b->len;
	c->files->err[slot] = b->len == 0 ? CPK_E_EMPTY : CPK_OK;
	if (b->len == 0)
		cpk_blob_free(&c->files->f[slot]);
}

static cpk_regcont *
parse_key(cpk_regfile *rf, char *s, size_t line)
{
	char *end = strrchr(s, ']');
	char name[512], sid[256];

	if (end == NULL) {
		rwarn(rf, line, _("key line without ']'"));
		return NULL;
	}
	*end = '\0';
	if (s[1] == '-') {
		if (container_path(s + 2, name, sizeof(name), sid, sizeof(sid)))
			rwarn(rf, line, _("delete marker for container \"%s\" "
			    "ignored"), name);
		return NULL;
	}
	return find_or_add(rf, s + 1, line);
}

static void
parse_line(cpk_regfile *rf, cpk_regcont **cur, char *s, size_t line)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || *s == ';')
		return;
	if (strcmp(s, "Windows Registry Editor Version 5.00") == 0) {
		rf->dialect = 5;
		return;
	}
	if (strcmp(s, "REGEDIT4") == 0) {
		rf->dialect = 4;
		return;
	}
	if (*s == '[')
		*cur = parse_key(rf, s, line);
	else if (*s == '"' || *s == '@')
		parse_value(rf, *cur, s, line);
	else
		rwarn(rf, line, _("not understood"));
}

cpk_err
cpk_regfile_parse(const unsigned char *p, size_t len, cpk_regfile *rf)
{
	cpk_regtext t;
	cpk_blob *logical = NULL;
	cpk_regcont *cur = NULL;
	size_t line = 1, start, bad;
	char *s, *nl;
	int skip;
	cpk_err r;

	memset(rf, 0, sizeof(*rf));
	if ((r = cpk_strmap_init(&rf->byname)) != CPK_OK)
		return r;
	if ((r = cpk_regtext_decode(p, len, &t, &bad)) != CPK_OK) {
		rf->bad_line = bad;
		cpk_strmap_clear(&rf->byname);
		return r;
	}
	rf->enc = t.enc;
	rf->odd = t.odd;
	rf->crcr = t.crcr;
	s = (char *)t.text->ptr;
	if ((r = cpk_blob_new(NULL, 0, &logical)) != CPK_OK)
		goto out;
	while (*s != '\0') {
		logical->len = 0;	/* the buffer is reused, wiped at out */
		start = line;
		skip = 0;
		/* one logical line: physical lines joined at a final '\' */
		for (;;) {
			size_t n;
			int cont;
			nl = strchr(s, '\n');
			n = nl ? (size_t)(nl - s) : strlen(s);
			if (n > 0 && s[n - 1] == '\r')
				n--;
			cont = n > 0 && s[n - 1] == '\\';
			if (logical->len + n > REG_LINE_MAX)
				skip = 1;
			else if ((r = cpk_blob_append(logical, s,
			    cont ? n - 1 : n)) != CPK_OK)
				goto out;
			s = nl ? nl + 1 : s + strlen(s);
			if (cont && *s == '\0')
				rwarn(rf, line, _("the file ends inside a "
				    "continued line: value truncated?"));
			if (!cont || nl == NULL)
				break;
			line++;
			while (*s == ' ' || *s == '\t')
				s++;
		}
		line++;
		if (skip) {
			rwarn(rf, start, _("longer than 1 MiB: skipped"));
			continue;
		}
		if ((r = cpk_blob_append(logical, "", 1)) != CPK_OK)
			goto out;
		parse_line(rf, &cur, (char *)logical->ptr, start);
	}
	if (rf->dialect == 0)
		rwarn(rf, 1, _("no 'Windows Registry Editor Version 5.00' or "
		    "'REGEDIT4' header"));
out:
	cpk_strmap_clear(&rf->byname);	/* its keys are the paths in v */
	cpk_blob_free(&logical);
	cpk_regtext_clear(&t);
	return r;
}

void
cpk_regfile_clear(cpk_regfile *rf)
{
	for (size_t i = 0; i < rf->n; i++) {
		free(rf->v[i].path);
		free(rf->v[i].name);
		free(rf->v[i].sid);
		cpk_files_free(&rf->v[i].files);
	}
	for (size_t i = 0; i < rf->nwarn; i++)
		free(rf->warn[i]);
	free(rf->v);
	free(rf->warn);
	cpk_strmap_clear(&rf->byname);
	memset(rf, 0, sizeof(*rf));
}
