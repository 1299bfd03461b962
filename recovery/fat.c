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

#define DIR_MAX_CLUSTERS	64	/* a deleted directory's run */
#define DIR_MAX_BYTES	(65536u * 32)	/* the spec's 65,536 entries */
#define FAT_MAX_DEPTH		16

/* Hostile images (issue 14): a chain that loops, chains that cross, a
 * live file of 4 GiB on a self-loop. Every chain is walked with a visited
 * set over the clusters that really exist (in the FAT and in the image);
 * a cluster is read as part of a live directory once in the whole walk;
 * key files are read up to 64 KiB, directories up to 2 MiB, and all
 * directory reads together up to twice the image plus 16 MiB. */
enum how { FILE_RUN, DIR_RUN, FILE_CHAIN, DIR_CHAIN };

struct fat {
	cpk_image	*img;
	cpk_carve_result *res;
	int		 type;
	uint32_t	 bps, spc, csize, nclusters, root_cluster;
	uint32_t	 limit;		/* clusters in the FAT and the image */
	uint64_t	 fat_off, fat_bytes, root_off, root_bytes, data_off;
	uint64_t	 dir_budget;	/* directory bytes left to read */
	unsigned char	*fatbuf;
	unsigned char	*seen;		/* directories entered, by cluster */
	unsigned char	*dirc;		/* clusters read in live directories */
	unsigned char	*chain;		/* the file chain being read */
	int		 looped;	/* a note about loops was made */
};

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

/* The clusters that exist: counted by the boot sector, held by the FAT
 * as read, and inside the image. Only these are ever followed. */
static void
set_limit(struct fat *f)
{
	uint64_t n = f->nclusters, in_fat, in_img;

	in_fat = f->type == 12 ? f->fat_bytes * 2 / 3 : f->type == 16 ?
	    f->fat_bytes / 2 : f->fat_bytes / 4;
	in_fat = in_fat > 2 ? in_fat - 2 : 0;
	in_img = f->img->size > f->data_off ? (f->img->size - f->data_off +
	    f->csize - 1) / f->csize : 0;
	if (in_fat < n)
		n = in_fat;
	if (in_img < n)
		n = in_img;
	f->limit = (uint32_t)n;
	f->dir_budget = f->img->size * 2 + 16u * 1024 * 1024;
}

static int
test_and_set(unsigned char *bits, uint32_t c)
{
	unsigned char m = (unsigned char)(1u << (c % 8));
	int was = (bits[c / 8] & m) != 0;

	bits[c / 8] |= m;
	return was;
}

static void
loop_note(struct fat *f)
{
	if (!f->looped)
		cpk_carve_note(f->res, _("%s: a FAT cluster chain loops or "
		    "runs into another one; it was followed up to there"),
		    f->img->path);
	f->looped = 1;
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
	return c >= 2 && c < (uint64_t)f->limit + 2;
}

static uint64_t
cluster_off(const struct fat *f, uint32_t c)
{
	return f->data_off + (uint64_t)(c - 2) * f->csize;
}

/* A directory ends at its first entry starting with a NUL byte. */
static int
has_end(const unsigned char *p, size_t n)
{
	for (size_t off = 0; off + 32 <= n; off += 32)
		if (p[off] == 0x00)
			return 1;
	return 0;
}

/* Clears the marks a file chain of n clusters from c left. */
static void
unmark(struct fat *f, uint32_t c, uint32_t n)
{
	for (; n > 0 && valid_cluster(f, c); n--) {
		f->chain[c / 8] &= (unsigned char)~(1u << (c % 8));
		c = fat_next(f, c);
	}
}

/* Up to len bytes from cluster c: a contiguous run (deleted entries), a
 * file's chain or a live directory's chain. A file must be read whole; a
 * directory ends at its end entry, its chain's end, a loop or a cluster
 * another directory had. */
static cpk_err
read_clusters(struct fat *f, uint32_t c, uint64_t len, enum how how,
    cpk_blob **out)
{
	unsigned char *buf = NULL;
	size_t got, take;
	uint32_t n = 0, c0 = c;
	int dir = how == DIR_RUN || how == DIR_CHAIN;
	cpk_err r;

	if ((r = cpk_blob_new(NULL, 0, out)) != CPK_OK)
		return r;
	if (len == 0)
		return CPK_OK;
	if ((buf = malloc(f->csize)) == NULL) {
		cpk_blob_free(out);
		return CPK_E_NOMEM;
	}
	while ((*out)->len < len && valid_cluster(f, c)) {
		if ((how == FILE_CHAIN && test_and_set(f->chain, c)) ||
		    (how == DIR_CHAIN && test_and_set(f->dirc, c))) {
			loop_note(f);
			r = how == FILE_CHAIN ? CPK_E_FORMAT : CPK_OK;
			break;
		}
		n++;
		if (dir && f->dir_budget < f->csize) {
			if (f->dir_budget != 0)		/* said once */
				cpk_carve_note(f->res, _("%s: the directories "
				    "hold more than twice the image: the rest "
				    "was not read"), f->img->path);
			f->dir_budget = 0;
			break;
		}
		take = len - (*out)->len > f->csize ? f->csize :
		    (size_t)(len - (*out)->len);
		if ((r = cpk_image_read(f->img, cluster_off(f, c), buf, take,
		    &got)) != CPK_OK || got < take) {
			r = r == CPK_OK ? CPK_E_TRUNCATED : r;
			break;
		}
		if ((r = cpk_blob_append(*out, buf, take)) != CPK_OK)
			break;
		if (dir) {
			f->dir_budget -= f->csize;
			if (has_end(buf, take))
				break;
		}
		c = how == FILE_RUN || how == DIR_RUN ? c + 1 : fat_next(f, c);
	}
	free(buf);
	if (how == FILE_CHAIN)
		unmark(f, c0, n);
	if (r == CPK_OK && !dir && (*out)->len < len)
		r = CPK_E_TRUNCATED;
	return r;
}

static cpk_err walk(struct fat *, const cpk_blob *, const char *, int,
    unsigned);

/* Whether a deleted file's clusters are still free in the FAT: a file
 * written since may have taken them, and then they hold its bytes. */
static int
still_free(const struct fat *f, const struct cpk_fat_dent *e)
{
	uint64_t n = ((uint64_t)e->size + f->csize - 1) / f->csize;
	uint32_t c = e->cluster;

	for (; n > 0; n--, c++)
		if (!valid_cluster(f, c) || fat_next(f, c) != 0)
			return 0;
	return 1;
}

/* One key file: read when it is not larger than a key file may be.
 * *reused is set when a deleted file's clusters were taken since. */
static cpk_err
key_file(struct fat *f, const struct cpk_fat_dent *e, cpk_files *files,
    int slot, int *reused)
{
	cpk_blob *b = NULL;
	cpk_err r;

	files->size[slot] = e->size;
	if (e->size > CPK_FILE_MAX) {
		files->err[slot] = CPK_E_TOO_BIG;
		return CPK_OK;
	}
	r = read_clusters(f, e->cluster, e->size, e->deleted ? FILE_RUN :
	    FILE_CHAIN, &b);
	if (r == CPK_E_NOMEM)
		return r;
	files->err[slot] = r == CPK_OK ? (b->len ? CPK_OK : CPK_E_EMPTY) : r;
	if (r == CPK_OK && b->len > 0) {
		if (e->deleted && !still_free(f, e))
			*reused = 1;
		files->f[slot] = b;
		b = NULL;
		cpk_carve_claim(f->res, cluster_off(f, e->cluster), e->size);
	}
	cpk_blob_free(&b);
	return CPK_OK;
}

/* The directory is a container when it names any of the six files; the
 * first entry of each name counts. */
static cpk_err
container(struct fat *f, const cpk_blob *d, const char *path, int deleted)
{
	struct cpk_fat_dirit it;
	struct cpk_fat_dent e;
	cpk_carved c;
	int any = 0, tried[CPK_F_COUNT] = { 0 }, slot, reused = 0, other = 0;
	cpk_err r;

	memset(&c, 0, sizeof(c));
	memset(&it, 0, sizeof(it));
	it.d = d;
	if ((r = cpk_files_new(&c.files)) != CPK_OK)
		return r;
	while (cpk_fat_dir_next(&it, &e)) {
		if ((slot = cpk_fat_key_slot(&e)) < 0 || e.dir || tried[slot])
			continue;
		tried[slot] = any = 1;
		deleted |= e.deleted;
		if ((r = key_file(f, &e, c.files, slot, slot ==
		    CPK_F_HEADER || slot == CPK_F_NAME ? &other : &reused)) !=
		    CPK_OK) {
			cpk_files_free(&c.files);
			return r;
		}
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
	/* the directory pairs the files when its entries are intact: live,
	 * or deleted with their clusters still free; a cluster reused since
	 * holds another file's bytes, and a primary.key has no MAC to say so */
	if ((c.files->f[CPK_F_MASKS] && c.files->f[CPK_F_PRIMARY]) ||
	    (c.files->f[CPK_F_MASKS2] && c.files->f[CPK_F_PRIMARY2]))
		c.pairing = reused ? CPK_PAIR_REUSED : CPK_PAIR_DIRECTORY;
	if (cpk_carve_add(f->res, &c) != CPK_OK) {
		cpk_files_free(&c.files);
		return CPK_E_NOMEM;
	}
	return CPK_OK;
}

static cpk_err
enter(struct fat *f, const struct cpk_fat_dent *e, const char *path,
    int deleted, unsigned depth)
{
	char sub[1024];
	cpk_blob *d = NULL;
	uint64_t run = (uint64_t)f->csize * DIR_MAX_CLUSTERS;
	cpk_err r;

	if (!valid_cluster(f, e->cluster) ||
	    test_and_set(f->seen, e->cluster))
		return CPK_OK;
	snprintf(sub, sizeof(sub), "%s/%s", path, e->name);
	/* a deleted directory's chain is gone: read a run of clusters */
	r = read_clusters(f, e->cluster, e->deleted ? (run < DIR_MAX_BYTES ?
	    run : DIR_MAX_BYTES) : DIR_MAX_BYTES, e->deleted ? DIR_RUN :
	    DIR_CHAIN, &d);
	if (r == CPK_E_NOMEM)
		return r;
	if (d != NULL && d->len > 0)
		r = walk(f, d, sub, deleted || e->deleted, depth + 1);
	else
		r = CPK_OK;
	cpk_blob_free(&d);
	return r;
}

/* The entries are read twice, for the key files, then for the folders:
 * nothing but the directory's own bytes is held per level. */
static cpk_err
walk(struct fat *f, const cpk_blob *d, const char *path, int deleted,
    unsigned depth)
{
	struct cpk_fat_dirit it;
	struct cpk_fat_dent e;
	cpk_err r;

	if (depth > FAT_MAX_DEPTH)
		return CPK_OK;
	if ((r = container(f, d, path, deleted)) != CPK_OK)
		return r;
	memset(&it, 0, sizeof(it));
	it.d = d;
	while (r == CPK_OK && cpk_fat_dir_next(&it, &e))
		if (e.dir)
			r = enter(f, &e, path, deleted, depth);
	return r;
}

cpk_err
cpk_fat_carve(cpk_image *img, cpk_carve_result *res)
{
	struct fat f;
	cpk_blob *root = NULL;
	size_t got, nbits;
	cpk_err r;

	memset(&f, 0, sizeof(f));
	f.img = img;
	f.res = res;
	if ((r = boot(&f)) != CPK_OK)
		return r;
	/* no more FAT than the image holds */
	if (f.fat_off >= img->size)
		return CPK_E_FORMAT;
	if (f.fat_bytes > img->size - f.fat_off)
		f.fat_bytes = img->size - f.fat_off;
	if ((f.fatbuf = malloc(f.fat_bytes)) == NULL) {
		r = CPK_E_NOMEM;
		goto out;
	}
	if (cpk_image_read(img, f.fat_off, f.fatbuf, f.fat_bytes, &got) !=
	    CPK_OK || got < f.fat_bytes) {
		cpk_carve_note(res, _("%s: the FAT could not be read whole"),
		    img->path);
		f.fat_bytes = got;
	}
	set_limit(&f);
	nbits = (size_t)f.limit / 8 + 2;
	if ((f.seen = calloc(nbits, 1)) == NULL ||
	    (f.dirc = calloc(nbits, 1)) == NULL ||
	    (f.chain = calloc(nbits, 1)) == NULL) {
		r = CPK_E_NOMEM;
		goto out;
	}
	if (f.type == 32)
		r = read_clusters(&f, f.root_cluster, DIR_MAX_BYTES, DIR_CHAIN,
		    &root);
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
	free(f.dirc);
	free(f.chain);
	return r;
}
