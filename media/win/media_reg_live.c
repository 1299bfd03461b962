/* registry: the live registry of the Windows PC cpkit runs on
 * (REGISTRY.md §1, §2, §7), read through the Win32 registry API: every
 * user's Settings\Users\<SID>\Keys and the machine's Settings\Keys, in
 * the 32-bit view (WOW6432Node, where CSP keeps them on 64-bit Windows)
 * and in the native one. The values are the six files, as the .reg and
 * hive backends give them. Replaces media/reg_live_none.c on Windows
 * (mk/windows.mk). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

#include "media_int.h"

/* Bounds of a walk that a machine's registry, not the user, decides:
 * far more than a terminal server holds, as for a .reg (regparse.c). */
#define LIVE_USERS_MAX	10000
#define LIVE_CONT_MAX	200000
#define LIVE_NAME_MAX	256	/* a key name: at most 255 UTF-16 units */
#define LIVE_PATH_MAX	2048	/* bytes of a key path in UTF-8 */

struct live {
	cpk_media	*m;
	REGSAM		 view;		/* KEY_WOW64_32KEY or KEY_WOW64_64KEY */
	char		 root[128];	/* HKEY_LOCAL_MACHINE\...\Settings */
	unsigned char	*buf;		/* CPK_FILE_MAX bytes: one value */
	size_t		 ncont;
	int		 capped;
};

/* UTF-16 to UTF-8, a lone surrogate as U+FFFD; 1 when one was met
 * (the name is shown, but cannot be typed back as registry:KEY). */
static int
utf8_of(const wchar_t *w, char *out, size_t cap)
{
	size_t o = 0;
	int odd = 0;

	for (; *w != 0; w++) {
		unsigned long c = (unsigned long)*w;
		unsigned char b[4];
		size_t n;

		if (c >= 0xd800 && c < 0xdc00 && w[1] >= 0xdc00 &&
		    w[1] < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) +
			    ((unsigned long)w[1] - 0xdc00);
			w++;
		} else if (c >= 0xd800 && c < 0xe000) {
			c = 0xfffd;
			odd = 1;
		}
		if (c < 0x80) {
			b[0] = (unsigned char)c;
			n = 1;
		} else if (c < 0x800) {
			b[0] = (unsigned char)(0xc0 | c >> 6);
			b[1] = (unsigned char)(0x80 | (c & 0x3f));
			n = 2;
		} else if (c < 0x10000) {
			b[0] = (unsigned char)(0xe0 | c >> 12);
			b[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
			b[2] = (unsigned char)(0x80 | (c & 0x3f));
			n = 3;
		} else {
			b[0] = (unsigned char)(0xf0 | c >> 18);
			b[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
			b[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
			b[3] = (unsigned char)(0x80 | (c & 0x3f));
			n = 4;
		}
		if (o + n >= cap)
			break;		/* cannot happen: cap is 4 per unit */
		memcpy(out + o, b, n);
		o += n;
	}
	out[o] = '\0';
	return odd;
}

/* Access denied is the one failure the user can act on (an elevated
 * prompt): it cuts the listing short, so that it is never taken for an
 * empty or a complete one (cpk_media_limit: scan-incomplete). */
static void
denied(struct live *l, const char *path)
{
	cpk_media_cut(l->m, ML_DENIED, _("%s%s: access denied: another "
	    "user's containers are read only from an elevated prompt (Run as "
	    "administrator)"), CPK_REG_LIVE, path);
}

/* A subkey, read-only, in this walk's view; 1 when opened. */
static int
open_sub(struct live *l, HKEY parent, const wchar_t *name, const char *path,
    HKEY *out)
{
	LSTATUS e = RegOpenKeyExW(parent, name, 0, KEY_READ | l->view, out);

	if (e == ERROR_SUCCESS)
		return 1;
	if (e == ERROR_ACCESS_DENIED)
		denied(l, path);
	else if (e != ERROR_FILE_NOT_FOUND)
		cpk_media_warn(l->m, _("%s%s: cannot be opened (Windows error "
		    "%lu)"), CPK_REG_LIVE, path, (unsigned long)e);
	return 0;
}

/* The n-th subkey's name, or 0 at the end (or on an error, warned). */
static int
subkey(struct live *l, HKEY h, DWORD n, const char *path,
    wchar_t name[LIVE_NAME_MAX])
{
	DWORD len = LIVE_NAME_MAX;
	LSTATUS e = RegEnumKeyExW(h, n, name, &len, NULL, NULL, NULL, NULL);

	if (e == ERROR_SUCCESS)
		return 1;
	if (e == ERROR_ACCESS_DENIED)
		denied(l, path);
	else if (e != ERROR_NO_MORE_ITEMS)
		cpk_media_warn(l->m, _("%s%s: cannot be listed (Windows error "
		    "%lu)"), CPK_REG_LIVE, path, (unsigned long)e);
	return 0;
}

/* One value into its slot, at most CPK_FILE_MAX bytes (FORMATS.md
 * §2.1): a larger one is refused, as in a .reg or a hive. */
static void
load_value(struct live *l, HKEY h, enum cpk_file_id id, cpk_files *f,
    const char *loc)
{
	const char *name = cpk_file_name(id);
	wchar_t wname[32];
	DWORD type = 0, len = CPK_FILE_MAX;
	LSTATUS e;
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < sizeof(wname) /
	    sizeof(wname[0]); i++)
		wname[i] = (wchar_t)(unsigned char)name[i];
	wname[i] = 0;
	e = RegQueryValueExW(h, wname, NULL, &type, l->buf, &len);
	if (e == ERROR_FILE_NOT_FOUND)
		return;			/* absent: as cpk_files_new left it */
	if (e == ERROR_MORE_DATA || (e == ERROR_SUCCESS &&
	    len > CPK_FILE_MAX)) {
		cpk_media_warn(l->m, _("%s: value \"%s\" is larger than "
		    "64 KiB"), loc, name);
		f->err[id] = CPK_E_TOO_BIG;
		f->size[id] = len;
	} else if (e != ERROR_SUCCESS) {
		cpk_media_warn(l->m, _("%s: value \"%s\" cannot be read "
		    "(Windows error %lu)"), loc, name, (unsigned long)e);
		f->err[id] = CPK_E_IO;
	} else if (type != REG_BINARY) {
		cpk_media_warn(l->m, _("%s: value \"%s\" is not REG_BINARY"),
		    loc, name);
		f->err[id] = CPK_E_FORMAT;
	} else {
		cpk_blob_free(&f->f[id]);
		f->size[id] = len;
		f->err[id] = len == 0 ? CPK_E_EMPTY : CPK_OK;
		if (len > 0 && cpk_blob_new(l->buf, len, &f->f[id]) != CPK_OK)
			f->err[id] = CPK_E_NOMEM;
	}
	/* key material: the bytes written, or all after a refusal (what
	 * RegQueryValueExW leaves then is not said) */
	SecureZeroMemory(l->buf, e == ERROR_SUCCESS && len <= CPK_FILE_MAX ?
	    len : CPK_FILE_MAX);
}

/* The user a SID belongs to, from the last component of its profile
 * folder in ProfileList (REGISTRY.md §4), as for a hive; NULL when the
 * registry does not say. */
static char *
profile_user(const wchar_t *sid)
{
	static const wchar_t pl[] = L"SOFTWARE\\Microsoft\\Windows NT\\"
	    L"CurrentVersion\\ProfileList\\";
	wchar_t key[LIVE_NAME_MAX + 64], val[MAX_PATH + 1];
	DWORD type, len = sizeof(val) - sizeof(val[0]);
	char *user = NULL, u8[4 * (MAX_PATH + 1)];
	const wchar_t *base;
	HKEY h;

	if (wcslen(sid) >= LIVE_NAME_MAX)
		return NULL;
	wcscpy(key, pl);
	wcscat(key, sid);
	if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, key, 0, KEY_QUERY_VALUE |
	    KEY_WOW64_64KEY, &h) != ERROR_SUCCESS)
		return NULL;
	if (RegQueryValueExW(h, L"ProfileImagePath", NULL, &type,
	    (BYTE *)val, &len) == ERROR_SUCCESS && (type == REG_SZ ||
	    type == REG_EXPAND_SZ)) {
		val[len / sizeof(val[0])] = 0;
		base = wcsrchr(val, L'\\');
		base = base != NULL ? base + 1 : val;
		utf8_of(base, u8, sizeof(u8));
		if (u8[0] != '\0')
			user = strdup(u8);
	}
	RegCloseKey(h);
	return user;
}

static cpk_err
add_container(struct live *l, HKEY keys, const wchar_t *wname,
    const char *keys_path, const char *sid, const char *user)
{
	char kname[4 * LIVE_NAME_MAX], loc[LIVE_PATH_MAX], fqcn[600];
	char *nk = NULL;
	const char *enc, *name;
	cpk_files *f = NULL;
	HKEY h;
	cpk_err r;

	if (utf8_of(wname, kname, sizeof(kname)))
		cpk_media_warn(l->m, _("%s%s\\%s: the key name is not valid "
		    "UTF-16: shown with U+FFFD in its place"), CPK_REG_LIVE,
		    keys_path, kname);
	snprintf(loc, sizeof(loc), "%s%s\\%s", CPK_REG_LIVE, keys_path, kname);
	if (!open_sub(l, keys, wname, loc + strlen(CPK_REG_LIVE), &h))
		return CPK_OK;
	if ((r = cpk_files_new(&f)) != CPK_OK) {
		RegCloseKey(h);
		return r;
	}
	for (int i = 0; i < CPK_F_COUNT; i++)
		load_value(l, h, (enum cpk_file_id)i, f, loc);
	RegCloseKey(h);
	name = kname;
	if (f->f[CPK_F_NAME] != NULL && cpk_name_decode(f->f[CPK_F_NAME]->ptr,
	    f->f[CPK_F_NAME]->len, &nk, &enc) == CPK_OK) {
		if (strcmp(nk, kname) != 0)
			cpk_media_warn(l->m, _("%s: key \"%s\" holds the "
			    "container \"%s\" (name.key)"), loc, kname, nk);
		name = nk;
	}
	snprintf(fqcn, sizeof(fqcn), "\\\\.\\REGISTRY\\%s", name);
	r = cpk_media_add(l->m, fqcn, loc, name, "REGISTRY", sid, user, f);
	if (r == CPK_OK)
		l->m->items[l->m->n - 1].ref.scope = sid != NULL ?
		    CPK_SCOPE_USER : CPK_SCOPE_MACHINE;
	free(nk);
	return r;
}

/* Every container under one Keys key. */
static cpk_err
add_keys(struct live *l, HKEY keys, const char *keys_path, const char *sid,
    const char *user)
{
	wchar_t name[LIVE_NAME_MAX];
	cpk_err r = CPK_OK;

	for (DWORD i = 0; r == CPK_OK && subkey(l, keys, i, keys_path, name);
	    i++) {
		if (l->ncont >= LIVE_CONT_MAX) {
			if (!l->capped)
				cpk_media_warn(l->m, _("%s%s: more than %d "
				    "containers: the ones after them are not "
				    "read"), CPK_REG_LIVE, keys_path,
				    LIVE_CONT_MAX);
			l->capped = 1;
			break;
		}
		l->ncont++;
		r = add_container(l, keys, name, keys_path, sid, user);
	}
	return r;
}

/* Settings\Users\<SID>\Keys for every SID. */
static cpk_err
walk_users(struct live *l, HKEY settings)
{
	wchar_t wsid[LIVE_NAME_MAX];
	char upath[LIVE_PATH_MAX], spath[LIVE_PATH_MAX], kpath[LIVE_PATH_MAX];
	char sid[4 * LIVE_NAME_MAX], *user;
	HKEY users, h, keys;
	cpk_err r = CPK_OK;

	snprintf(upath, sizeof(upath), "%s\\Users", l->root);
	if (!open_sub(l, settings, L"Users", upath, &users))
		return CPK_OK;
	for (DWORD i = 0; r == CPK_OK && subkey(l, users, i, upath, wsid);
	    i++) {
		if (i >= LIVE_USERS_MAX) {
			cpk_media_warn(l->m, _("%s%s: more than %d users: the "
			    "ones after them are not read"), CPK_REG_LIVE,
			    upath, LIVE_USERS_MAX);
			break;
		}
		utf8_of(wsid, sid, sizeof(sid));
		snprintf(spath, sizeof(spath), "%s\\%s", upath, sid);
		snprintf(kpath, sizeof(kpath), "%s\\Keys", spath);
		if (!open_sub(l, users, wsid, spath, &h))
			continue;
		if (open_sub(l, h, L"Keys", kpath, &keys)) {
			user = profile_user(wsid);
			r = add_keys(l, keys, kpath, sid, user);
			free(user);
			RegCloseKey(keys);
		}
		RegCloseKey(h);
	}
	RegCloseKey(users);
	return r;
}

/* One view's Crypto Pro\Settings; 1 in *seen when it exists. */
static cpk_err
walk_view(struct live *l, int *seen)
{
	char path[LIVE_PATH_MAX];
	HKEY settings, keys;
	cpk_err r = CPK_OK;

	if (!open_sub(l, HKEY_LOCAL_MACHINE, L"SOFTWARE\\Crypto Pro\\Settings",
	    l->root, &settings))
		return CPK_OK;
	*seen = 1;
	snprintf(path, sizeof(path), "%s\\Keys", l->root);
	if (open_sub(l, settings, L"Keys", path, &keys)) {
		r = add_keys(l, keys, path, NULL, NULL);
		RegCloseKey(keys);
	}
	if (r == CPK_OK)
		r = walk_users(l, settings);
	RegCloseKey(settings);
	return r;
}

/* Whether Windows has a separate 32-bit view: a 64-bit process, or a
 * 32-bit one under WOW64. On 32-bit Windows both flags name the one
 * registry, which must not be listed twice. */
static int
two_views(void)
{
	BOOL wow = FALSE;

	if (sizeof(void *) == 8)
		return 1;
	return IsWow64Process(GetCurrentProcess(), &wow) && wow;
}

cpk_err
cpk_media_reg_live_add(cpk_media *m)
{
	struct live l;
	int two = two_views(), seen = 0;
	cpk_err r = CPK_OK;

	memset(&l, 0, sizeof(l));
	l.m = m;
	if ((l.buf = malloc(CPK_FILE_MAX)) == NULL)
		return CPK_E_NOMEM;
	/* the 32-bit view first: where CSP keeps its containers */
	if (two) {
		l.view = KEY_WOW64_32KEY;
		snprintf(l.root, sizeof(l.root), "HKEY_LOCAL_MACHINE\\SOFTWARE\\"
		    "WOW6432Node\\Crypto Pro\\Settings");
		r = walk_view(&l, &seen);
	}
	if (r == CPK_OK) {
		l.view = KEY_WOW64_64KEY;
		snprintf(l.root, sizeof(l.root), "HKEY_LOCAL_MACHINE\\SOFTWARE\\"
		    "Crypto Pro\\Settings");
		r = walk_view(&l, &seen);
	}
	if (r == CPK_OK && !seen)
		cpk_media_warn(m, _("%sHKEY_LOCAL_MACHINE\\SOFTWARE\\%sCrypto "
		    "Pro\\Settings: not there (CryptoPro CSP is not installed, "
		    "or has never stored a container in the registry)"),
		    CPK_REG_LIVE, two ? "[WOW6432Node\\]" : "");
	free(l.buf);
	return r;
}
