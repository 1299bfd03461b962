/* Carving containers out of raw images (FORMATS.md §4-§6 shapes): after
 * the FAT pass, every masks.key is found by its structure and proven by
 * its MAC, every header by its structure and MAC, primary and name files
 * by structure; they are grouped around each proven header by distance,
 * key length and S-box, and with a password the fingerprint decides which
 * pairs belong to it. The image is read in chunks, never mapped. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

#define CHUNK		(8u * 1024 * 1024)
#define OVERLAP		(64u * 1024 + 16)	/* the largest header */
#define WINDOW		(1u * 1024 * 1024)	/* grouping distance */

enum kind { K_HEADER, K_MASKS, K_PRIMARY, K_NAME };

struct hit {
	enum kind	 kind;
	uint64_t	 off;
	cpk_blob	*bytes;
	enum cpk_profile profile;	/* headers, proven masks */
	size_t		 keylen;
	int		 proven, used;
};

struct hits {
	struct hit	*v;
	size_t		 n, cap;
	size_t		 tries;		/* unlocks tried, all headers */
};

/* Each unlock costs a KDF and a scalar multiplication (a millisecond or
 * so): a hostile image of many headers and files is tried this far. */
#define TRIES_MAX	4096

const char *
cpk_certainty_name(enum cpk_certainty c)
{
	return c == CPK_PASSWORD_PROVEN ? _("password-proven") :
	    c == CPK_MAC_PROVEN ? _("MAC-proven") :
	    c == CPK_PAIRING_UNPROVEN ? _("pairing unproven") : _("guessed");
}

const char *
cpk_certainty_id(enum cpk_certainty c)
{
	return c == CPK_PASSWORD_PROVEN ? "password-proven" :
	    c == CPK_MAC_PROVEN ? "MAC-proven" :
	    c == CPK_PAIRING_UNPROVEN ? "pairing-unproven" : "guessed";
}

void
cpk_carve_note(cpk_carve_result *res, const char *fmt, ...)
{
	char buf[800], **v;	/* room for a translated note */
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (res->nnotes >= 100 ||
	    (v = realloc(res->notes, (res->nnotes + 1) * sizeof(*v))) == NULL)
		return;
	res->notes = v;
	if ((v[res->nnotes] = strdup(buf)) != NULL)
		res->nnotes++;
}

/* Claims and carved containers grow by doubling without a capacity field:
 * at 0 and at every power of two from 16 on. */
static int
full(size_t n)
{
	return n == 0 || (n >= 16 && (n & (n - 1)) == 0);
}

void
cpk_carve_claim(cpk_carve_result *res, uint64_t off, uint64_t len)
{
	uint64_t (*v)[2];
	size_t cap = res->nclaims ? res->nclaims * 2 : 16;

	if (len == 0 || len > UINT64_MAX - off)
		return;
	if (full(res->nclaims)) {
		if (cap > SIZE_MAX / sizeof(*v) ||
		    (v = realloc(res->claims, cap * sizeof(*v))) == NULL)
			return;
		res->claims = v;
	}
	res->claims[res->nclaims][0] = off;
	res->claims[res->nclaims][1] = len;
	res->nclaims++;
}

static int
claim_cmp(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Sorts the claims and merges the overlapping ones, for the binary search
 * of cpk_carve_claimed(): the raw pass asks at every 0x30 byte, and a
 * hostile FAT can claim for hundreds of thousands of files. */
void
cpk_carve_claims_sort(cpk_carve_result *res)
{
	size_t k = 0;

	if (res->nclaims == 0)
		return;
	qsort(res->claims, res->nclaims, sizeof(*res->claims), claim_cmp);
	for (size_t i = 1; i < res->nclaims; i++) {
		uint64_t *last = res->claims[k], *c = res->claims[i];
		if (c[0] <= last[0] + last[1]) {
			if (c[0] + c[1] > last[0] + last[1])
				last[1] = c[0] + c[1] - last[0];
		} else {
			k++;
			res->claims[k][0] = c[0];
			res->claims[k][1] = c[1];
		}
	}
	res->nclaims = k + 1;
}

cpk_err
cpk_carve_add(cpk_carve_result *res, const cpk_carved *c)
{
	cpk_carved *v;
	size_t cap = res->n ? res->n * 2 : 16;

	if (full(res->n)) {
		if (cap > SIZE_MAX / sizeof(*v) ||
		    (v = realloc(res->v, cap * sizeof(*v))) == NULL)
			return CPK_E_NOMEM;
		res->v = v;
	}
	res->v[res->n++] = *c;
	return CPK_OK;
}

int
cpk_carve_claimed(const cpk_carve_result *res, uint64_t off)
{
	size_t lo = 0, hi = res->nclaims;

	/* lo: one past the last claim that starts at or before off */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (res->claims[mid][0] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && off - res->claims[lo - 1][0] < res->claims[lo - 1][1];
}

static cpk_err
add_hit(struct hits *h, enum kind k, uint64_t off, const unsigned char *p,
    size_t len)
{
	struct hit *v;

	if (h->n >= 100000)
		return CPK_OK;		/* pathological images */
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		if ((v = realloc(h->v, cap * sizeof(*v))) == NULL)
			return CPK_E_NOMEM;
		h->v = v;
		h->cap = cap;
	}
	v = &h->v[h->n];
	memset(v, 0, sizeof(*v));
	v->kind = k;
	v->off = off;
	if (cpk_blob_new(p, len, &v->bytes) != CPK_OK)
		return CPK_E_NOMEM;
	h->n++;
	return CPK_OK;
}

/* masks.key: 30 36 04 20 <32> 04 0C <12> 04 04 <4>, or the 512-bit form
 * with 30 56 04 40 <64>; proven by its MAC under either S-box. */
static int
masks_at(const unsigned char *p, size_t left, struct hit *h)
{
	size_t kl = p[1] == 0x36 ? 32 : p[1] == 0x56 ? 64 : 0, n = kl + 24;
	cpk_masks *m = NULL;

	if (kl == 0 || left < n || p[2] != 0x04 || p[3] != kl ||
	    p[4 + kl] != 0x04 || p[5 + kl] != 0x0c || p[18 + kl] != 0x04 ||
	    p[19 + kl] != 0x04 || cpk_masks_decode(p, n, &m) != CPK_OK)
		return 0;
	h->keylen = kl;
	if (cpk_masks_check_mac(m, CPK_P_2012_256) == CPK_OK)
		h->profile = kl == 64 ? CPK_P_2012_512 : CPK_P_2012_256;
	else if (kl == 32 && cpk_masks_check_mac(m, CPK_P_2001) == CPK_OK)
		h->profile = CPK_P_2001;
	h->proven = h->profile != CPK_P_NONE;
	cpk_masks_free(&m);
	return (int)n;
}

/* primary.key: 30 22 04 20 <32>, 30 42 04 40 <64>, or a two-key
 * 30 44 04 20 <32> 80 20 <32>: structure only. */
static int
primary_at(const unsigned char *p, size_t left, struct hit *h)
{
	if (left >= 36 && p[1] == 0x22 && p[2] == 0x04 && p[3] == 0x20) {
		h->keylen = 32;
		return 36;
	}
	if (left >= 68 && p[1] == 0x42 && p[2] == 0x04 && p[3] == 0x40) {
		h->keylen = 64;
		return 68;
	}
	if (left >= 70 && p[1] == 0x44 && p[2] == 0x04 && p[3] == 0x20 &&
	    p[36] == 0x80 && p[37] == 0x20) {
		h->keylen = 32;
		return 70;
	}
	return 0;
}

/* header.key: 30 82 LL LL 30 82 LL LL A0 0A 06 08 <…37.2.1>, proven by
 * its MAC. */
static int
header_at(const unsigned char *p, size_t left, struct hit *h)
{
	static const unsigned char v2[] = { 0xa0, 0x0a, 0x06, 0x08, 0x2a,
	    0x85, 0x03, 0x02, 0x02, 0x25, 0x02, 0x01 };
	cpk_header *hd = NULL;
	size_t n;

	if (left < 20 || p[1] != 0x82 || p[4] != 0x30 || p[5] != 0x82 ||
	    memcmp(p + 8, v2, sizeof(v2)) != 0)
		return 0;
	n = 4 + ((size_t)p[2] << 8 | p[3]);
	if (n > left || cpk_header_decode(p, n, &hd) != CPK_OK)
		return 0;
	if (cpk_header_params(hd, 0) != NULL)
		h->profile = cpk_profile_by_oid(cpk_header_params(hd, 0)->alg);
	h->keylen = cpk_profile_key_len(h->profile);
	h->proven = h->profile != CPK_P_NONE &&
	    cpk_header_check_mac(hd, h->profile) == CPK_OK;
	cpk_header_free(&hd);
	return h->profile != CPK_P_NONE ? (int)n : 0;
}

/* name.key: 30 LL 16 LL-2 and printable bytes (only kept near headers). */
static int
name_at(const unsigned char *p, size_t left)
{
	size_t n;

	if (left < 5 || p[2] != 0x16 || p[1] < 3 || p[1] > 0x7f ||
	    p[3] != p[1] - 2 || (n = (size_t)p[1] + 2) > left)
		return 0;
	for (size_t i = 4; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			return 0;
	return (int)n;
}

static cpk_err
scan_chunk(const cpk_carve_result *res, struct hits *hs,
    const unsigned char *buf, size_t len, size_t limit, uint64_t base)
{
	struct hit h;
	int n;
	cpk_err r = CPK_OK;

	for (size_t i = 0; i < limit && r == CPK_OK; i++) {
		const unsigned char *p = memchr(buf + i, 0x30, limit - i);
		if (p == NULL)
			break;
		i = (size_t)(p - buf);
		if (cpk_carve_claimed(res, base + i))
			continue;
		memset(&h, 0, sizeof(h));
		if ((n = header_at(p, len - i, &h)) > 0) {
			if (h.proven)
				r = add_hit(hs, K_HEADER, base + i, p,
				    (size_t)n);
		} else if ((n = masks_at(p, len - i, &h)) > 0) {
			if (h.proven && (r = add_hit(hs, K_MASKS, base + i, p,
			    (size_t)n)) == CPK_OK) {
				hs->v[hs->n - 1].profile = h.profile;
				hs->v[hs->n - 1].keylen = h.keylen;
				hs->v[hs->n - 1].proven = 1;
			}
		} else if ((n = primary_at(p, len - i, &h)) > 0) {
			if ((r = add_hit(hs, K_PRIMARY, base + i, p,
			    (size_t)n)) == CPK_OK)
				hs->v[hs->n - 1].keylen = h.keylen;
		} else if ((n = name_at(p, len - i)) > 0)
			r = add_hit(hs, K_NAME, base + i, p, (size_t)n);
		if (r == CPK_OK && hs->n > 0 && hs->v[hs->n - 1].off ==
		    base + i && hs->v[hs->n - 1].kind == K_HEADER) {
			hs->v[hs->n - 1].profile = h.profile;
			hs->v[hs->n - 1].keylen = h.keylen;
			hs->v[hs->n - 1].proven = 1;
		}
	}
	return r;
}

static cpk_err
scan(cpk_image *img, const cpk_carve_opts *o, cpk_carve_result *res,
    struct hits *hs)
{
	unsigned char *buf;
	uint64_t off = 0;
	size_t got, limit;
	cpk_err r = CPK_OK;

	if ((buf = malloc(CHUNK + OVERLAP)) == NULL)
		return CPK_E_NOMEM;
	while (off < img->size && r == CPK_OK) {
		if ((r = cpk_image_read(img, off, buf, CHUNK + OVERLAP, &got)) !=
		    CPK_OK) {
			cpk_carve_note(res, _("%s: read error at byte %llu: "
			    "scanned %llu of %llu bytes"), img->path,
			    (unsigned long long)img->bad_from,
			    (unsigned long long)img->bad_from,
			    (unsigned long long)img->size);
			r = CPK_OK;
			if (got == 0)
				break;
		}
		/* a match must start in this chunk; the overlap lets the
		 * last ones end in the next */
		limit = got > CHUNK ? CHUNK : got;
		r = scan_chunk(res, hs, buf, got, limit, off);
		res->scanned = off + limit;
		if (o->progress != NULL)
			o->progress(res->scanned, img->size, o->arg);
		if (got < CHUNK + OVERLAP && off + got < img->size)
			break;		/* a read error cut the image short */
		off += CHUNK;
	}
	free(buf);
	return r;
}

static uint64_t
dist(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

/* Whether a hit may belong to the header: unused, within the window, of
 * the header's key length (masks also of its S-box profile). */
static int
fits(const struct hit *h, enum kind k, const struct hit *hd, int any)
{
	return h->kind == k && (any || !h->used) &&
	    dist(h->off, hd->off) <= WINDOW &&
	    h->keylen == hd->keylen && (k != K_MASKS ||
	    h->profile == hd->profile);
}

/* Whether a hit's bytes are one of the files already chosen. */
static int
chosen(const cpk_files *f, const struct hit *h)
{
	for (int i = 0; i < CPK_F_COUNT; i++)
		if (f->f[i] != NULL && cpk_blob_eq(f->f[i], h->bytes))
			return 1;
	return 0;
}

/* Nearer first; at equal distance the lower offset: the order never
 * depends on anything but the image. */
static int
nearer(const struct hit *a, const struct hit *b, const struct hit *hd)
{
	return dist(a->off, hd->off) < dist(b->off, hd->off) ||
	    (dist(a->off, hd->off) == dist(b->off, hd->off) && a->off < b->off);
}

/* The candidates of a kind near a header, nearest first, at most
 * CPK_CARVE_MAX_CAND; *more counts those left out. With any, those
 * already taken by a header count too, but not the files of f. */
static size_t
candidates_of(struct hits *hs, enum kind k, const struct hit *hd, int any,
    const cpk_files *f, struct hit **out, size_t *more)
{
	size_t n = 0;

	*more = 0;
	for (size_t i = 0; i < hs->n; i++) {
		struct hit *h = &hs->v[i];
		size_t j;

		if (!fits(h, k, hd, any) || (f != NULL && chosen(f, h)))
			continue;
		/* the same bytes twice are one candidate, the nearer */
		for (j = 0; j < n && !cpk_blob_eq(out[j]->bytes, h->bytes); j++)
			;
		if (j < n) {
			if (!nearer(h, out[j], hd))
				continue;
			memmove(out + j, out + j + 1, (n - j - 1) * sizeof(*out));
			n--;
		}
		if (n == CPK_CARVE_MAX_CAND) {
			(*more)++;
			if (!nearer(h, out[n - 1], hd))
				continue;
			n--;		/* the farthest makes room */
		}
		for (j = n; j > 0 && nearer(h, out[j - 1], hd); j--)
			out[j] = out[j - 1];
		out[j] = h;
		n++;
	}
	return n;
}

static size_t
candidates(struct hits *hs, enum kind k, const struct hit *hd,
    struct hit **out, size_t *more)
{
	return candidates_of(hs, k, hd, 0, NULL, out, more);
}

static int
unlocks(const cpk_files *f, const char *pw, int copy)
{
	enum cpk_pwenc enc[3];
	size_t ne = cpk_pw_encodings(pw, enc);
	cpk_container *c = NULL;
	cpk_key *k = NULL;
	int ok = 0;

	if (cpk_container_decode(f, &c) != CPK_OK)
		return 0;
	for (size_t i = 0; i < ne && !ok; i++)
		ok = cpk_key_unlock(c, copy, pw, enc[i], &k) == CPK_OK;
	cpk_key_free(&k);
	cpk_container_free(&c);
	return ok;
}

/* Whether pw can be the header's password: the password MAC when the
 * header has one (FORMATS.md §13.3) costs one KDF, where trying every
 * pairing costs one for each. */
static int
may_open(const struct hit *hd, const char *pw)
{
	enum cpk_pwenc enc[3];
	size_t ne = cpk_pw_encodings(pw, enc);
	cpk_files *f = NULL;
	cpk_container *c = NULL;
	int ok = 0;

	if (cpk_files_new(&f) != CPK_OK)
		return 0;
	if (cpk_blob_new(hd->bytes->ptr, hd->bytes->len,
	    &f->f[CPK_F_HEADER]) == CPK_OK) {
		f->err[CPK_F_HEADER] = CPK_OK;
		if (cpk_container_decode(f, &c) == CPK_OK &&
		    c->header != NULL) {
			if (!(cpk_header_attrs(c->header) & CPK_CA_PASSWORD))
				ok = 1;
			for (size_t i = 0; i < ne && !ok; i++)
				ok = cpk_password_check(c, pw, enc[i]) ==
				    CPK_OK;
		}
	}
	cpk_container_free(&c);
	cpk_files_free(&f);
	return ok;
}

/* Whether the header says the container has no password (bit 0 clear):
 * then the empty password proves its pairs (FORMATS.md §14, step 13). */
static int
no_password(const struct hit *hd)
{
	cpk_header *h = NULL;
	int none = 0;

	if (cpk_header_decode(hd->bytes->ptr, hd->bytes->len, &h) == CPK_OK)
		none = !(cpk_header_attrs(h) & CPK_CA_PASSWORD);
	cpk_header_free(&h);
	return none;
}

static void
put(cpk_files *f, enum cpk_file_id id, struct hit *h)
{
	if (h == NULL || f->f[id] != NULL)
		return;
	if (cpk_blob_new(h->bytes->ptr, h->bytes->len, &f->f[id]) == CPK_OK) {
		f->err[id] = CPK_OK;
		f->size[id] = h->bytes->len;
		h->used = 1;
	}
}

/* Whether masks m and primary p, as the main copy beside header hd,
 * unlock with pw: the unmasked key proves itself by the header's
 * fingerprint (FORMATS.md §12.5). */
static int
pair_unlocks(struct hits *hs, const struct hit *hd, const struct hit *m,
    const struct hit *p, const char *pw)
{
	cpk_files probe;

	if (hs->tries >= TRIES_MAX)
		return 0;
	hs->tries++;
	memset(&probe, 0, sizeof(probe));
	for (int i = 0; i < CPK_F_COUNT; i++)
		probe.err[i] = CPK_E_MISSING;
	probe.f[CPK_F_HEADER] = hd->bytes;
	probe.f[CPK_F_MASKS] = m->bytes;
	probe.f[CPK_F_PRIMARY] = p->bytes;
	probe.err[CPK_F_HEADER] = probe.err[CPK_F_MASKS] =
	    probe.err[CPK_F_PRIMARY] = CPK_OK;
	return unlocks(&probe, pw, 0);
}

/* With a password that may open the header, every masks/primary pairing
 * among the nearest candidates is tried; the first two that unlock,
 * nearest masks first, become the main and the reserve copy. */
static int
pair_by_password(struct hits *hs, struct hit *hd, cpk_files *f,
    const char *pw)
{
	struct hit *m[CPK_CARVE_MAX_CAND], *p[CPK_CARVE_MAX_CAND];
	size_t nm, np, more;
	int pairs = 0;

	if (!may_open(hd, pw))
		return 0;
	nm = candidates(hs, K_MASKS, hd, m, &more);
	np = candidates(hs, K_PRIMARY, hd, p, &more);
	for (size_t i = 0; i < nm && pairs < 2; i++)
		for (size_t j = 0; j < np; j++) {
			if (p[j]->used || !pair_unlocks(hs, hd, m[i], p[j], pw))
				continue;
			put(f, pairs ? CPK_F_MASKS2 : CPK_F_MASKS, m[i]);
			put(f, pairs ? CPK_F_PRIMARY2 : CPK_F_PRIMARY, p[j]);
			pairs++;
			break;
		}
	return pairs;
}

/* The passwords that may prove a header's pairs: the empty one first
 * when the header says it has none (FORMATS.md §14, step 13), then the
 * one given. */
static int
prove(struct hits *hs, struct hit *hd, cpk_files *f, const char *pw)
{
	int none = no_password(hd), pairs = 0;

	if (none)
		pairs = pair_by_password(hs, hd, f, "");
	if (pairs == 0 && pw != NULL && (pw[0] != '\0' || !none))
		pairs = pair_by_password(hs, hd, f, pw);
	return pairs;
}

/* The nearest candidate left, or NULL. */
static struct hit *
nearest(struct hits *hs, enum kind k, const struct hit *hd)
{
	struct hit *v[CPK_CARVE_MAX_CAND];
	size_t more;

	return candidates(hs, k, hd, v, &more) > 0 ? v[0] : NULL;
}

/* Keeps the candidates that were not chosen, for a later cpkit-fix with
 * the password to try (cpk_carved.alt): those another header took as a
 * guess too, since that guess may be the wrong one. */
static void
keep_alternatives(struct hits *hs, struct hit *hd, cpk_carved *c)
{
	struct hit *v[CPK_CARVE_MAX_CAND];
	size_t n, more;

	c->alt_left_out = 0;
	for (int k = 0; k < 2; k++) {
		n = candidates_of(hs, k ? K_PRIMARY : K_MASKS, hd, 1, c->files,
		    v, &more);
		c->alt_left_out += more;
		for (size_t i = 0; i < n; i++) {
			if (c->nalt == CPK_CARVE_MAX_ALT) {
				c->alt_left_out++;
				continue;
			}
			if (cpk_blob_new(v[i]->bytes->ptr, v[i]->bytes->len,
			    &c->alt[c->nalt].bytes) != CPK_OK)
				continue;
			c->alt[c->nalt].off = v[i]->off;
			c->alt[c->nalt].masks = !k;
			c->nalt++;
		}
	}
}

/* The nearest name.key left near a header. */
static struct hit *
nearest_name(struct hits *hs, const struct hit *hd)
{
	struct hit *best = NULL;

	for (size_t i = 0; i < hs->n; i++) {
		struct hit *h = &hs->v[i];
		if (h->kind == K_NAME && !h->used &&
		    dist(h->off, hd->off) <= WINDOW &&
		    (best == NULL || nearer(h, best, hd)))
			best = h;
	}
	return best;
}

static int
paired(const cpk_files *f)
{
	return (f->f[CPK_F_MASKS] != NULL && f->f[CPK_F_PRIMARY] != NULL) ||
	    (f->f[CPK_F_MASKS2] != NULL && f->f[CPK_F_PRIMARY2] != NULL);
}

/* Two passes over the proven headers, in the image's order: first each
 * header a password proves takes the pairs that unlock (the empty
 * password serves headers that say they have none), so that no guess
 * takes them; then every other header gets the nearest candidates left,
 * labelled as an unproven pairing, and the other candidates are kept
 * for a later cpkit-fix with the password. */
static cpk_err
group(struct hits *hs, const cpk_carve_opts *o, cpk_carve_result *res)
{
	size_t first = res->n, k = first;

	for (size_t i = 0; i < hs->n; i++) {
		struct hit *hd = &hs->v[i];
		cpk_carved c;
		int pairs;

		if (hd->kind != K_HEADER || hd->used)
			continue;
		memset(&c, 0, sizeof(c));
		if (cpk_files_new(&c.files) != CPK_OK)
			return CPK_E_NOMEM;
		put(c.files, CPK_F_HEADER, hd);
		pairs = prove(hs, hd, c.files, o->password);
		c.pairing = pairs > 0 ? CPK_PAIR_PASSWORD : CPK_PAIR_NONE;
		c.certainty = pairs > 0 ? CPK_PASSWORD_PROVEN : CPK_MAC_PROVEN;
		c.deleted = 1;
		snprintf(c.where, sizeof(c.where), _("raw, header at byte "
		    "%llu"), (unsigned long long)hd->off);
		if (cpk_carve_add(res, &c) != CPK_OK) {
			cpk_files_free(&c.files);
			return CPK_E_NOMEM;
		}
	}
	for (size_t i = 0; i < hs->n && k < res->n; i++) {
		struct hit *hd = &hs->v[i];
		cpk_carved *c;
		const char *enc;
		char *nm = NULL;

		if (hd->kind != K_HEADER)
			continue;
		c = &res->v[k++];
		if (c->pairing == CPK_PAIR_NONE) {
			put(c->files, CPK_F_MASKS, nearest(hs, K_MASKS, hd));
			put(c->files, CPK_F_PRIMARY, nearest(hs, K_PRIMARY, hd));
			put(c->files, CPK_F_MASKS2, nearest(hs, K_MASKS, hd));
			put(c->files, CPK_F_PRIMARY2, nearest(hs, K_PRIMARY,
			    hd));
			if (paired(c->files)) {
				c->pairing = CPK_PAIR_UNPROVEN;
				c->certainty = CPK_PAIRING_UNPROVEN;
				keep_alternatives(hs, hd, c);
			}
		}
		put(c->files, CPK_F_NAME, nearest_name(hs, hd));
		if (c->files->f[CPK_F_NAME] != NULL && cpk_name_decode(
		    c->files->f[CPK_F_NAME]->ptr, c->files->f[CPK_F_NAME]->len,
		    &nm, &enc) == CPK_OK)
			snprintf(c->name, sizeof(c->name), "%s", nm);
		else
			snprintf(c->name, sizeof(c->name), "carved-%llu",
			    (unsigned long long)hd->off);
		free(nm);
	}
	return CPK_OK;
}

/* How sure a directory-recovered container is: its MACs and how its
 * pairs were put together (fat.c), or the key. Its name comes from
 * name.key: a deleted directory entry has lost its first letter. */
static void
judge(cpk_carved *c, const char *pw)
{
	cpk_container *k = NULL;
	int none = 0;

	c->certainty = CPK_GUESSED;
	if (cpk_container_decode(c->files, &k) != CPK_OK)
		return;
	if (k->name != NULL)
		snprintf(c->name, sizeof(c->name), "%s", k->name);
	if (k->header != NULL && k->profile != CPK_P_NONE &&
	    cpk_header_check_mac(k->header, k->profile) == CPK_OK &&
	    ((k->masks[0] && cpk_masks_check_mac(k->masks[0], k->profile) ==
	    CPK_OK) || (k->masks[1] && cpk_masks_check_mac(k->masks[1],
	    k->profile) == CPK_OK)))
		c->certainty = c->pairing == CPK_PAIR_REUSED ?
		    CPK_PAIRING_UNPROVEN : CPK_MAC_PROVEN;
	none = k->header != NULL &&
	    !(cpk_header_attrs(k->header) & CPK_CA_PASSWORD);
	cpk_container_free(&k);
	for (int copy = 0; copy < 2; copy++)
		if ((none && unlocks(c->files, "", copy)) || (pw != NULL &&
		    unlocks(c->files, pw, copy))) {
			c->certainty = CPK_PASSWORD_PROVEN;
			c->pairing = CPK_PAIR_PASSWORD;
			break;
		}
}

/* FNV-1a: 8 hex digits that depend on the name alone. */
static uint32_t
name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

cpk_err
cpk_carve_folder_name(const char *parent, const char *name, char *out,
    size_t cap)
{
	char stem[16];
	int plain = name[0] != '\0';

	/* cpk_folder_name() takes the first 8 characters when they are
	 * ASCII, and draws random digits otherwise */
	for (size_t i = 0; name[i] != '\0' && i < 8; i++)
		plain &= (unsigned char)name[i] < 0x80;
	if (plain)
		return cpk_folder_name(parent, name, out, cap);
	snprintf(stem, sizeof(stem), "%08x", (unsigned)name_hash(name));
	return cpk_folder_name(parent, stem, out, cap);
}

cpk_err
cpk_carve_write_alt(const char *dir, const cpk_carved *c)
{
	char sub[4096], path[4200];
	cpk_err r = CPK_OK;

	if (c->nalt == 0)
		return CPK_OK;
	if (snprintf(sub, sizeof(sub), "%s/%s", dir, CPK_CARVE_ALT_DIR) >=
	    (int)sizeof(sub))
		return CPK_E_RANGE;
	if (mkdir(sub, 0700) != 0)
		return cpk_err_from_errno(errno);
	for (size_t i = 0; i < c->nalt && r == CPK_OK; i++) {
		snprintf(path, sizeof(path), "%s/%s-at-%llu.bin", sub,
		    c->alt[i].masks ? "masks" : "primary",
		    (unsigned long long)c->alt[i].off);
		r = cpk_file_write_atomic(path, c->alt[i].bytes, 0600);
	}
	if (r == CPK_OK)
		r = cpk_dir_sync(sub);
	if (r == CPK_OK)
		r = cpk_dir_sync(dir);
	return r;
}

cpk_err
cpk_carve(cpk_image *img, const cpk_carve_opts *o, cpk_carve_result *res)
{
	struct hits hs = { NULL, 0, 0, 0 };
	size_t fat_n;
	cpk_err r = CPK_OK;

	memset(res, 0, sizeof(*res));
	if (img->size == 0) {
		cpk_carve_note(res, _("%s: the image is empty"), img->path);
		return CPK_OK;
	}
	/* whatever the file-system pass met, the raw pass still runs: it is
	 * what finds containers a hostile or broken FAT hides */
	if (!o->raw_only && (r = cpk_fat_carve(img, res)) != CPK_OK) {
		if (r == CPK_E_FORMAT)
			cpk_carve_note(res, _("%s: no FAT file system: carving "
			    "by structure alone"), img->path);
		else
			cpk_carve_note(res, _("%s: the FAT file-system pass "
			    "failed (%s): carving by structure alone"),
			    img->path, cpk_err_text(r));
	}
	cpk_carve_claims_sort(res);
	fat_n = res->n;
	for (size_t i = 0; i < fat_n; i++)
		judge(&res->v[i], o->password);
	if ((r = scan(img, o, res, &hs)) == CPK_OK)
		r = group(&hs, o, res);
	if (r == CPK_OK && hs.tries >= TRIES_MAX)
		cpk_carve_note(res, _("%s: the pairing search stopped after "
		    "%d unlocks, its limit; the containers after that are "
		    "labelled \"pairing unproven\""), img->path, TRIES_MAX);
	for (size_t i = 0; i < hs.n; i++)
		cpk_blob_free(&hs.v[i].bytes);
	free(hs.v);
	return r;
}

void
cpk_carve_result_clear(cpk_carve_result *res)
{
	for (size_t i = 0; i < res->n; i++) {
		cpk_files_free(&res->v[i].files);
		for (size_t j = 0; j < res->v[i].nalt; j++)
			cpk_blob_free(&res->v[i].alt[j].bytes);
	}
	for (size_t i = 0; i < res->nnotes; i++)
		free(res->notes[i]);
	free(res->v);
	free(res->notes);
	free(res->claims);
	memset(res, 0, sizeof(*res));
}
