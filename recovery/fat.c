/* FAT12/16/32 (Microsoft's FAT specification): every directory, live or
 * deleted, walked from the root; a folder holding any of the six files is
 * a container. Deleted files come back from their first cluster and size
 * on the contiguous-allocation assumption undelete tools make; live ones
 * follow their cluster chains. Names come from the long-name entries when
 * they survive, else from the 8.3 entry with its lost first character. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define DIR_MAX_CLUSTERS	64	/* a deleted directory: 2 MiB at most */
#define FAT_MAX_DEPTH		16

struct fat {
	cpk_image	*img;
	cpk_carve_result *res;
	int		 type;
	uint32_t	 bps, spc, csize, nclusters, root_cluster;
	uint64_t	 fat_off, fat_bytes, root_off, root_bytes, data_off;
	unsigned char	*fatbuf;
	unsigned char	*seen;		/* directories entered, by cluster */
};

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static cpk_err
boot(struct fat *f)
{
	unsigned char b[512];
	size_t got;
	uint32_t rsv, nfats, rootents, total, fatsz, rootsecs, datasecs;

	if (cpk_image_read(f->img, 0, b, sizeof(b), &got) != CPK_OK ||
	    got < sizeof(b) || b[510] != 0x55 || b[511] != 0xaa)
		return CPK_E_FORMAT;
	f->bps = le16(b + 11);
	f->spc = b[13];
	rsv = le16(b + 14);
	nfats = b[16];
	rootents = le16(b + 17);
	total = le16(b + 19) ? le16(b + 19) : le32(b + 32);
	fatsz = le16(b + 22) ? le16(b + 22) : le32(b + 36);
	if ((f->bps != 512 && f->bps != 1024 && f->bps != 2048 &&
	    f->bps != 4096) || f->spc == 0 || (f->spc & (f->spc - 1)) ||
	    rsv == 0 || nfats == 0 || fatsz == 0 || total == 0)
		return CPK_E_FORMAT;
	rootsecs = (rootents * 32 + f->bps - 1) / f->bps;
	if ((uint64_t)rsv + (uint64_t)nfats * fatsz + rootsecs >= total)
		return CPK_E_FORMAT;
	datasecs = total - rsv - nfats * fatsz - rootsecs;
	f->nclusters = datasecs / f->spc;
	f->type = f->nclusters < 4085 ? 12 : f->nclusters < 65525 ? 16 : 32;
	f->csize = f->bps * f->spc;
	f->fat_off = (uint64_t)rsv * f->bps;
	f->fat_bytes = (uint64_t)fatsz * f->bps;
	f->root_off = f->fat_off + (uint64_t)nfats * f->fat_bytes;
	f->root_bytes = (uint64_t)rootsecs * f->bps;
	f->data_off = f->root_off + f->root_bytes;
	f->root_cluster = f->type == 32 ? le32(b + 44) : 0;
	if (f->fat_bytes > 64u * 1024 * 1024)
		return CPK_E_TOO_BIG;
	snprintf(f->res->fs, sizeof(f->res->fs), "FAT%d", f->type);
	return CPK_OK;
}

static uint32_t
fat_next(const struct fat *f, uint32_t c)
{
	uint64_t off;

	if (f->type == 12) {
		off = c + c / 2;
		if (off + 1 >= f->fat_bytes)
			return 0x0fffffff;
		uint16_t v = le16(f->fatbuf + off);
		v = (c & 1) ? (uint16_t)(v >> 4) : (uint16_t)(v & 0xfff);
		return v >= 0xff8 ? 0x0fffffff : v;
	}
	off = (uint64_t)c * (f->type == 16 ? 2 : 4);
	if (off + (f->type == 16 ? 1u : 3u) >= f->fat_bytes)
		return 0x0fffffff;
	if (f->type == 16) {
		uint16_t v = le16(f->fatbuf + off);
		return v >= 0xfff8 ? 0x0fffffff : v;
	}
	return le32(f->fatbuf + off) & 0x0fffffff;
}

static int
valid_cluster(const struct fat *f, uint32_t c)
{
	return c >= 2 && c < (uint64_t)f->nclusters + 2;
}

static uint64_t
cluster_off(const struct fat *f, uint32_t c)
{
	return f->data_off + (uint64_t)(c - 2) * f->csize;
}

/* len bytes from cluster c: by its chain when live, else contiguous. */
static cpk_err
read_clusters(struct fat *f, uint32_t c, uint64_t len, int chain,
    cpk_blob **out)
{
	unsigned char *buf = NULL;
	size_t got, take;
	cpk_err r;

	if ((r = cpk_blob_new(NULL, 0, out)) != CPK_OK)
		return r;
	if (len == 0)
		return CPK_OK;
	if ((buf = malloc(f->csize)) == NULL) {
		cpk_blob_free(out);
		return CPK_E_NOMEM;
	}
	for (uint32_t n = 0; (*out)->len < len && valid_cluster(f, c) &&
	    n <= f->nclusters; n++) {
		take = len - (*out)->len > f->csize ? f->csize :
		    (size_t)(len - (*out)->len);
		if ((r = cpk_image_read(f->img, cluster_off(f, c), buf, take,
		    &got)) != CPK_OK || got < take) {
			r = r == CPK_OK ? CPK_E_TRUNCATED : r;
			break;
		}
		if ((r = cpk_blob_append(*out, buf, take)) != CPK_OK)
			break;
		c = chain ? fat_next(f, c) : c + 1;
	}
	free(buf);
	/* UINT64_MAX: a live chain read to its end */
	if (r == CPK_OK && len != UINT64_MAX && (*out)->len < len)
		r = CPK_E_TRUNCATED;
	return r;
}

struct dent {
	char		 name[256];
	int		 deleted, dir;
	uint32_t	 cluster, size;
};

/* The long name collected from LFN entries (UCS-2, stored last part
 * first), as UTF-8; non-ASCII becomes '?', which only names a folder. */
static void
lfn_text(unsigned char lfn[][32], size_t n, char *out, size_t cap)
{
	static const int pos[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24,
	    28, 30 };
	size_t k = 0;

	for (size_t e = n; e-- > 0;)
		for (int i = 0; i < 13 && k + 1 < cap; i++) {
			uint16_t ch = le16(lfn[e] + pos[i]);
			if (ch == 0 || ch == 0xffff)
				break;
			out[k++] = ch < 0x80 ? (char)ch : '?';
		}
	out[k] = '\0';
}

static unsigned char
tolower_ascii(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static void
sfn_text(const unsigned char *e, char *out, size_t cap)
{
	char base[9], ext[4];
	int lb = e[12] & 0x08, le = e[12] & 0x10;	/* NT lower-case bits */
	size_t n;

	for (n = 0; n < 8 && e[n] != ' '; n++)
		base[n] = (char)(lb ? tolower_ascii(e[n]) : e[n]);
	base[n] = '\0';
	for (n = 0; n < 3 && e[8 + n] != ' '; n++)
		ext[n] = (char)(le ? tolower_ascii(e[8 + n]) : e[8 + n]);
	ext[n] = '\0';
	if (base[0] == (char)0xe5 || base[0] == (char)0x05)
		base[0] = '_';			/* the deleted first letter */
	snprintf(out, cap, "%s%s%s", base, ext[0] ? "." : "", ext);
}

static size_t
parse_dir(const cpk_blob *d, struct dent *v, size_t cap)
{
	unsigned char lfn[20][32];
	size_t nl = 0, n = 0;

	for (size_t off = 0; off + 32 <= d->len && n < cap; off += 32) {
		const unsigned char *e = d->ptr + off;
		if (e[0] == 0x00)
			break;			/* end of the directory */
		if (e[11] == 0x0f) {		/* long-name part */
			if (nl < 20)
				memcpy(lfn[nl++], e, 32);
			continue;
		}
		if ((e[11] & 0x08) || e[0] == '.') {	/* label, . and .. */
			nl = 0;
			continue;
		}
		memset(&v[n], 0, sizeof(v[n]));
		v[n].deleted = e[0] == 0xe5;
		v[n].dir = (e[11] & 0x10) != 0;
		v[n].cluster = (uint32_t)le16(e + 20) << 16 | le16(e + 26);
		v[n].size = le32(e + 28);
		if (nl > 0)
			lfn_text(lfn, nl, v[n].name, sizeof(v[n].name));
		if (v[n].name[0] == '\0')
			sfn_text(e, v[n].name, sizeof(v[n].name));
		nl = 0;
		n++;
	}
	return n;
}

/* Which of the six files a directory entry names; a deleted 8.3 name
 * has lost its first letter, so only the rest is compared then. */
static int
key_slot(const struct dent *e)
{
	for (int i = 0; i < CPK_F_COUNT; i++) {
		const char *k = cpk_file_name((enum cpk_file_id)i);
		if (strcasecmp(e->name, k) == 0 || (e->name[0] == '_' &&
		    strcasecmp(e->name + 1, k + 1) == 0))
			return i;
	}
	return -1;
}

static cpk_err walk(struct fat *, const cpk_blob *, const char *, int,
    unsigned);

static cpk_err
container(struct fat *f, const struct dent *v, size_t n, const char *path,
    int deleted)
{
	cpk_carved c;
	cpk_carved *grown;
	cpk_blob *b = NULL;
	int any = 0;
	cpk_err r;

	memset(&c, 0, sizeof(c));
	if ((r = cpk_files_new(&c.files)) != CPK_OK)
		return r;
	for (size_t i = 0; i < n; i++) {
		int slot = key_slot(&v[i]);
		if (slot < 0 || v[i].dir || c.files->f[slot] != NULL)
			continue;
		any = 1;
		deleted |= v[i].deleted;
		r = read_clusters(f, v[i].cluster, v[i].size, !v[i].deleted,
		    &b);
		if (r == CPK_E_NOMEM) {
			cpk_files_free(&c.files);
			return r;
		}
		c.files->err[slot] = r == CPK_OK ? (b->len ? CPK_OK :
		    CPK_E_EMPTY) : r;
		c.files->size[slot] = v[i].size;
		if (r == CPK_OK && b->len > 0)
			c.files->f[slot] = b;
		else
			cpk_blob_free(&b);
		b = NULL;
		cpk_carve_claim(f->res, cluster_off(f, v[i].cluster),
		    v[i].size);
	}
	if (!any) {
		cpk_files_free(&c.files);
		return CPK_OK;
	}
	snprintf(c.where, sizeof(c.where), "%s %s%s", f->res->fs, path,
	    deleted ? _(" (deleted)") : "");
	snprintf(c.name, sizeof(c.name), "%s", strrchr(path, '/') ?
	    strrchr(path, '/') + 1 : path);
	c.deleted = deleted;
	if ((grown = realloc(f->res->v, (f->res->n + 1) * sizeof(*grown))) ==
	    NULL) {
		cpk_files_free(&c.files);
		return CPK_E_NOMEM;
	}
	f->res->v = grown;
	f->res->v[f->res->n++] = c;
	return CPK_OK;
}

static cpk_err
enter(struct fat *f, const struct dent *e, const char *path, int deleted,
    unsigned depth)
{
	char sub[1024];
	cpk_blob *d = NULL;
	cpk_err r;

	if (!valid_cluster(f, e->cluster) || f->seen[e->cluster / 8] &
	    (1u << (e->cluster % 8)))
		return CPK_OK;
	f->seen[e->cluster / 8] |= (unsigned char)(1u << (e->cluster % 8));
	snprintf(sub, sizeof(sub), "%s/%s", path, e->name);
	/* a deleted directory's chain is gone: read a run of clusters */
	r = read_clusters(f, e->cluster, e->deleted ? (uint64_t)f->csize *
	    DIR_MAX_CLUSTERS : UINT64_MAX, !e->deleted, &d);
	if (r == CPK_E_NOMEM)
		return r;
	if (d != NULL && d->len > 0)
		r = walk(f, d, sub, deleted || e->deleted, depth + 1);
	else
		r = CPK_OK;
	cpk_blob_free(&d);
	return r;
}

static cpk_err
walk(struct fat *f, const cpk_blob *d, const char *path, int deleted,
    unsigned depth)
{
	struct dent *v;
	size_t n;
	cpk_err r = CPK_OK;

	if (depth > FAT_MAX_DEPTH)
		return CPK_OK;
	if ((v = calloc(d->len / 32 + 1, sizeof(*v))) == NULL)
		return CPK_E_NOMEM;
	n = parse_dir(d, v, d->len / 32 + 1);
	if ((r = container(f, v, n, path, deleted)) != CPK_OK)
		goto out;
	for (size_t i = 0; i < n && r == CPK_OK; i++)
		if (v[i].dir)
			r = enter(f, &v[i], path, deleted, depth);
out:
	free(v);
	return r;
}

cpk_err
cpk_fat_carve(cpk_image *img, cpk_carve_result *res)
{
	struct fat f;
	cpk_blob *root = NULL;
	size_t got;
	cpk_err r;

	memset(&f, 0, sizeof(f));
	f.img = img;
	f.res = res;
	if ((r = boot(&f)) != CPK_OK)
		return r;
	if ((f.fatbuf = malloc(f.fat_bytes)) == NULL ||
	    (f.seen = calloc((size_t)f.nclusters / 8 + 2, 1)) == NULL) {
		r = CPK_E_NOMEM;
		goto out;
	}
	if (cpk_image_read(img, f.fat_off, f.fatbuf, f.fat_bytes, &got) !=
	    CPK_OK || got < f.fat_bytes)
		cpk_carve_note(res, _("%s: the FAT could not be read whole"),
		    img->path);
	if (f.type == 32)
		r = read_clusters(&f, f.root_cluster, UINT64_MAX, 1, &root);
	else if ((r = cpk_blob_new(NULL, (size_t)f.root_bytes, &root)) ==
	    CPK_OK && (cpk_image_read(img, f.root_off, root->ptr,
	    root->len, &got) != CPK_OK || got < root->len))
		r = CPK_E_TRUNCATED;
	if (r != CPK_OK && r != CPK_E_NOMEM && root != NULL && root->len > 0)
		r = CPK_OK;		/* whatever of the root was read */
	if (r == CPK_OK)
		r = walk(&f, root, "", 0, 0);
out:
	cpk_blob_free(&root);
	free(f.fatbuf);
	free(f.seen);
	return r;
}
