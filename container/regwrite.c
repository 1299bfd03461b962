/* Writing .reg files as regedit does (REGISTRY.md §3.2, §3.3, §3.6), and
 * moving an export to another user by rewriting the SID in its key paths
 * with every other byte kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

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

static int
valid_sid(const char *s)
{
	if (strncmp(s, "S-1-", 4) != 0)
		return 0;
	for (s += 4; *s != '\0'; s++)
		if ((*s < '0' || *s > '9') && *s != '-')
			return 0;
	return s[-1] != '-';
}

cpk_err
cpk_reg_export(const cpk_reg_entry *v, size_t n, const cpk_reg_opts *o,
    cpk_blob **out)
{
	cpk_blob *t = NULL;
	char key[1024];
	int len;
	cpk_err r;

	*out = NULL;
	if (o->sid != NULL && !valid_sid(o->sid))
		return CPK_E_ARG;
	if ((r = cpk_blob_new(NULL, 0, &t)) != CPK_OK)
		return r;
	r = cpk_blob_append(t, o->regedit4 ? "REGEDIT4\r\n" :
	    "Windows Registry Editor Version 5.00\r\n", o->regedit4 ? 10 : 38);
	for (size_t i = 0; i < n && r == CPK_OK; i++) {
		if (strchr(v[i].name, '\\') != NULL || v[i].name[0] == '\0') {
			r = CPK_E_ARG;
			break;
		}
		/* the machine store has no Users\<SID> level (§1) */
		len = snprintf(key, sizeof(key), "\r\n[HKEY_LOCAL_MACHINE\\"
		    "SOFTWARE\\%sCrypto Pro\\Settings\\%s%s%sKeys\\%s]\r\n",
		    o->wow64 ? "WOW6432Node\\" : "", o->sid ? "Users\\" : "",
		    o->sid ? o->sid : "", o->sid ? "\\" : "", v[i].name);
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
	if (!valid_sid(sid))
		return CPK_E_ARG;
	if ((r = cpk_regtext_decode(in, len, &t, &bad)) != CPK_OK)
		return r;
	if ((r = cpk_blob_new(NULL, 0, &b)) != CPK_OK)
		goto out;
	for (s = (const char *)t.text->ptr; *s != '\0' && r == CPK_OK;
	    s = nl) {
		nl = strchr(s, '\n');
		nl = nl ? nl + 1 : s + strlen(s);
		u = NULL;
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
	cpk_regtext_free(&t);
	return r;
}
