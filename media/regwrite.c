/* Writing .reg files as regedit does (REGISTRY.md §3.2, §3.3, §3.6), and
 * moving an export to another user by rewriting the SID in its key paths
 * with every other byte kept. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media_int.h"

#define HEX_LINE_LEN	77	/* regedit's REG_FILE_HEX_LINE_LEN: 2 + 25*3 */

static const enum cpk_file_id value_order[CPK_F_COUNT] = {
	CPK_F_HEADER, CPK_F_MASKS, CPK_F_MASKS2, CPK_F_NAME, CPK_F_PRIMARY,
	CPK_F_PRIMARY2
};

/* "name"=hex:..., wrapped after the byte whose comma reaches column 77,
 * continuation lines indented by two spaces: 25 bytes each. */
static cpk_err
put_binary(cpk_blob *t, const char *name, const cpk_blob *v)
{
	char head[64], hx[4];
	size_t column;
	int n;
	cpk_err r;

	n = snprintf(head, sizeof(head), "\"%s\"=hex:", name);
	if ((r = cpk_blob_append(t, head, (size_t)n)) != CPK_OK)
		return r;
	column = (size_t)n;
	for (size_t i = 0; i < v->len; i++) {
		snprintf(hx, sizeof(hx), "%02x", v->ptr[i]);
		if ((r = cpk_blob_append(t, hx, 2)) != CPK_OK)
			return r;
		if (i + 1 == v->len)
			break;
		if ((r = cpk_blob_append(t, ",", 1)) != CPK_OK)
			return r;
		column += 3;
		if (column >= HEX_LINE_LEN) {
			if ((r = cpk_blob_append(t, "\\\r\n  ", 5)) != CPK_OK)
				return r;
			column = 2;
		}
	}
	return cpk_blob_append(t, "\r\n", 2);
}

/* S-1-<authority>-<sub>...: "S-1-", then decimal numbers joined by single
 * dashes (REGISTRY.md §4). Nothing else may enter a key path: the SID comes
 * from --sid or from a stranger's .reg or hive. */
int
cpk_reg_sid_ok(const char *s)
{
	size_t digits = 0, len = 0;

	if (s == NULL || strncmp(s, "S-1-", 4) != 0)
		return 0;
	for (s += 4; *s != '\0'; s++, len++) {
		if (len > 180)
			return 0;
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s == '-' && digits > 0)
			digits = 0;
		else
			return 0;
	}
	return digits > 0;
}

/* A key name goes between '[' and ']' on one line of the .reg (§3.2):
 * '\' would make it a path, ']' would end it, and a line break (CR, LF,
 * NEL, U+2028, U+2029) or any other control character (C0, DEL, C1) would
 * start lines of the name's own choosing, such as values or a
 * [-HKEY_LOCAL_MACHINE] that deletes a whole hive on import. Names that
 * are not UTF-8 are refused too: they cannot be written faithfully. */
int
cpk_reg_name_ok(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t left, n;
	uint32_t cp;

	if (p == NULL || *p == '\0')
		return 0;
	/* whole UTF-8 characters only (no overlong, surrogate or stray
	 * byte); none that the display form escapes (C0, DEL, C1 with NEL,
	 * bidi, U+2028/9), no '\\' (a path separator) or ']' (ends the
	 * section line) */
	for (left = strlen(name); left > 0; p += n, left -= n) {
		if ((n = cpk_utf8_decode(p, left, &cp)) == 0 ||
		    cpk_display_is_control(cp) || cp == '\\' || cp == ']')
			return 0;
	}
	return 1;
}

/* One code point of UTF-8, folded the way the registry compares key names:
 * case-insensitively. Windows upcases with its own table; ASCII, Latin-1
 * and Cyrillic cover the names seen. A byte that does not start a whole
 * UTF-8 sequence stands for itself, kept apart from every code point. */
static uint32_t
fold_next(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	size_t more = p[0] >= 0xf0 ? 3 : p[0] >= 0xe0 ? 2 : p[0] >= 0xc0 ? 1 :
	    0;
	uint32_t c = p[0] < 0x80 ? p[0] : (uint32_t)(p[0] & (0x3f >> more));

	for (size_t k = 1; k <= more; k++) {
		if ((p[k] & 0xc0) != 0x80 || p[0] > 0xf4) {
			*pp = p + 1;
			return 0x110000u + p[0];
		}
		c = c << 6 | (p[k] & 0x3f);
	}
	if (p[0] >= 0x80 && more == 0) {
		*pp = p + 1;
		return 0x110000u + p[0];
	}
	*pp = p + 1 + more;
	if ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7) ||
	    (c >= 0x410 && c <= 0x42f))
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;
	return c;
}

int
cpk_reg_name_same(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p != '\0' && *q != '\0')
		if (fold_next(&p) != fold_next(&q))
			return 0;
	return *p == '\0' && *q == '\0';
}

/* The user an entry goes to: its own SID, else the export's, else none
 * (the machine store). */
static const char *
entry_sid(const cpk_reg_entry *e, const cpk_reg_opts *o)
{
	return e->sid != NULL ? e->sid : o->sid;
}

cpk_err
cpk_reg_find_duplicate(const cpk_reg_entry *v, size_t n,
    const cpk_reg_opts *o, size_t *first, size_t *second)
{
	const char *a, *b;

	for (size_t j = 1; j < n; j++)
		for (size_t i = 0; i < j; i++) {
			a = entry_sid(&v[i], o);
			b = entry_sid(&v[j], o);
			if ((a == NULL) != (b == NULL) || (a != NULL &&
			    strcasecmp(a, b) != 0) ||
			    !cpk_reg_name_same(v[i].name, v[j].name))
				continue;
			*first = i;
			*second = j;
			return CPK_E_EXISTS;
		}
	return CPK_OK;
}

cpk_err
cpk_reg_export(const cpk_reg_entry *v, size_t n, const cpk_reg_opts *o,
    cpk_blob **out)
{
	cpk_blob *t = NULL;
	const char *sid;
	char key[1024];
	size_t d1, d2;
	int len;
	cpk_err r;

	*out = NULL;
	if (o->sid != NULL && !cpk_reg_sid_ok(o->sid))
		return CPK_E_BAD_SID;
	for (size_t i = 0; i < n; i++) {
		if (!cpk_reg_name_ok(v[i].name))
			return CPK_E_BAD_NAME;
		if (v[i].sid != NULL && !cpk_reg_sid_ok(v[i].sid))
			return CPK_E_BAD_SID;
	}
	/* two sections of one key merge on import into a container of
	 * neither's files: refused, the caller renames */
	if (cpk_reg_find_duplicate(v, n, o, &d1, &d2) != CPK_OK)
		return CPK_E_EXISTS;
	if ((r = cpk_blob_new(NULL, 0, &t)) != CPK_OK)
		return r;
	r = cpk_blob_append(t, o->regedit4 ? "REGEDIT4\r\n" :
	    "Windows Registry Editor Version 5.00\r\n", o->regedit4 ? 10 : 38);
	for (size_t i = 0; i < n && r == CPK_OK; i++) {
		sid = entry_sid(&v[i], o);
		/* the machine store has no Users\<SID> level (§1) */
		len = snprintf(key, sizeof(key), "\r\n[HKEY_LOCAL_MACHINE\\"
		    "SOFTWARE\\%sCrypto Pro\\Settings\\%s%s%sKeys\\%s]\r\n",
		    o->wow64 ? "WOW6432Node\\" : "", sid ? "Users\\" : "",
		    sid ? sid : "", sid ? "\\" : "", v[i].name);
		if (len < 0 || (size_t)len >= sizeof(key)) {
			r = CPK_E_RANGE;
			break;
		}
		r = cpk_blob_append(t, key, (size_t)len);
		for (int k = 0; k < CPK_F_COUNT && r == CPK_OK; k++)
			if (v[i].files->f[value_order[k]] != NULL)
				r = put_binary(t, cpk_file_name(value_order[k]),
				    v[i].files->f[value_order[k]]);
	}
	if (r == CPK_OK)
		r = cpk_blob_append(t, "\r\n", 2);
	if (r == CPK_OK)
		r = cpk_regtext_encode((const char *)t->ptr, t->len,
		    o->regedit4 ? CPK_RT_CP1251 : CPK_RT_UTF16LE, out);
	cpk_blob_free(&t);
	return r;
}

/* A moved .reg keeps its lines, so each section line must be one cpkit
 * would have written: a CryptoPro Settings key (never a deletion, "[-"),
 * and the container name after Keys\ one that cpk_reg_name_ok() takes.
 * Anything else came from the file's author, not from a container, and
 * would be imported under the engineer's name. */
static int
section_ok(const char *s, const char *nl)
{
	static const char settings[] = "\\Crypto Pro\\Settings";
	const char *p, *keys = NULL, *close;
	char name[512];
	size_t n;
	int in_settings = 0;

	if (s[1] == '-')
		return 0;
	for (close = nl; close > s && close[-1] != ']'; close--)
		;
	if (close == s)
		return 0;
	close--;
	/* the first \Keys after Settings: a SID holds no backslash, and a
	 * name after it none either (cpk_reg_name_ok) */
	for (p = s; p + 5 <= close && keys == NULL; p++) {
		if (!in_settings && (size_t)(close - p) >= sizeof(settings) - 1 &&
		    strncasecmp(p, settings, sizeof(settings) - 1) == 0)
			in_settings = 1;
		if (in_settings && strncasecmp(p, "\\Keys", 5) == 0 &&
		    (p + 5 == close || p[5] == '\\'))
			keys = p + 5;
	}
	if (!in_settings)
		return 0;
	if (keys == NULL || keys == close)
		return 1;			/* Settings, Users\SID, Keys */
	if ((n = (size_t)(close - keys - 1)) >= sizeof(name))
		return 0;
	memcpy(name, keys + 1, n);
	name[n] = '\0';
	return cpk_reg_name_ok(name);
}

/* In every key line, the component after Settings\Users\ becomes sid. */
cpk_err
cpk_reg_rewrite_sid(const unsigned char *in, size_t len, const char *sid,
    cpk_blob **out, size_t *count)
{
	cpk_regtext t;
	cpk_blob *b = NULL;
	const char *s, *nl, *u, *end;
	size_t bad;
	cpk_err r;

	*out = NULL;
	*count = 0;
	if (!cpk_reg_sid_ok(sid))
		return CPK_E_BAD_SID;
	if ((r = cpk_regtext_decode(in, len, &t, &bad)) != CPK_OK)
		return r;
	if ((r = cpk_blob_new(NULL, 0, &b)) != CPK_OK)
		goto out;
	for (s = (const char *)t.text->ptr; *s != '\0' && r == CPK_OK;
	    s = nl) {
		nl = strchr(s, '\n');
		nl = nl ? nl + 1 : s + strlen(s);
		u = NULL;
		if (*s == '[' && !section_ok(s, nl)) {
			r = CPK_E_FORMAT;
			break;
		}
		if (*s == '[')
			for (const char *p = s; p + 16 <= nl; p++)
				if (strncasecmp(p, "\\Settings\\Users\\", 16) ==
				    0) {
					u = p + 16;
					break;
				}
		if (u == NULL || (end = memchr(u, '\\', (size_t)(nl - u))) ==
		    NULL) {
			r = cpk_blob_append(b, s, (size_t)(nl - s));
			continue;
		}
		if ((r = cpk_blob_append(b, s, (size_t)(u - s))) == CPK_OK &&
		    (r = cpk_blob_append(b, sid, strlen(sid))) == CPK_OK)
			r = cpk_blob_append(b, end, (size_t)(nl - end));
		(*count)++;
	}
	if (r == CPK_OK)
		r = cpk_regtext_encode((const char *)b->ptr, b->len, t.enc, out);
out:
	cpk_blob_free(&b);
	cpk_regtext_clear(&t);
	return r;
}
