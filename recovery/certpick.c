/* Which certificate of a key goes into header.key (cpkit-fix --cert):
 * among the candidates that hold the container's key - by primaryFP
 * without the password (FORMATS.md §12.5), by d*G with it - the one valid
 * now, then the latest notAfter, then the latest notBefore, then the
 * lowest SHA-256 of the DER; never the order the files were found in. A
 * certificate the header holds already is replaced only by a better one
 * (a renewal), unless the user forces it (FORMATS.md §18). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "internal.h"

int
cpk_cert_cand_cmp(const cpk_cert_cand *a, const cpk_cert_cand *b,
    enum cpk_cert_why *why)
{
	enum cpk_cert_why w;
	int d;

	if (a->matches != b->matches) {
		w = CPK_WHY_ONLY;
		d = a->matches ? -1 : 1;
	} else if (a->valid != b->valid) {
		w = CPK_WHY_VALID;
		d = a->valid ? -1 : 1;
	} else if (a->ci.not_after != b->ci.not_after) {
		w = CPK_WHY_NOT_AFTER;
		d = a->ci.not_after > b->ci.not_after ? -1 : 1;
	} else if (a->ci.not_before != b->ci.not_before) {
		w = CPK_WHY_NOT_BEFORE;
		d = a->ci.not_before > b->ci.not_before ? -1 : 1;
	} else {
		w = CPK_WHY_DIGEST;
		d = memcmp(a->sha256, b->sha256, sizeof(a->sha256));
		d = d < 0 ? -1 : d > 0;
	}
	if (why != NULL)
		*why = w;
	return d;
}

static int
cand_order(const void *a, const void *b)
{
	return cpk_cert_cand_cmp(a, b, NULL);
}

static cpk_err
cand_fill(cpk_cert_cand *cd, const cpk_blob *der, time_t now)
{
	unsigned int mdlen = 0;

	if (cpk_cert_parse(der->ptr, der->len, &cd->ci) != CPK_OK)
		return CPK_E_CERT;
	cd->valid = now >= cd->ci.not_before && now <= cd->ci.not_after;
	if (!EVP_Digest(der->ptr, der->len, cd->sha256, &mdlen, EVP_sha256(),
	    NULL) || mdlen != sizeof(cd->sha256))
		return CPK_E_CRYPTO;
	return CPK_OK;
}

/* The key's public point when the password unlocks it (primary key
 * only), for matching by d*G. */
static int
key_public(const cpk_files *f, const char *pw, unsigned char *pub,
    size_t *len)
{
	cpk_key *k = NULL;
	enum cpk_pwenc enc;
	const unsigned char *p;
	int ok = 0;

	if (pw != NULL && fix_unlock(f, pw, &k, &enc) == CPK_OK) {
		p = cpk_key_public(k, len);
		if (*len <= 128) {
			memcpy(pub, p, *len);
			ok = 1;
		}
	}
	cpk_key_free(&k);
	return ok;
}

static int
holds(const cpk_cert_pick *pk, const unsigned char *pub, size_t len,
    const cpk_cert_info *ci)
{
	if (pk->by_dg)
		return ci->pub_len == len && memcmp(ci->pub, pub, len) == 0;
	return pk->have_fp && memcmp(ci->pub, pk->fp, 8) == 0;
}

/* The certificate header.key holds now, judged like a candidate. */
static cpk_err
judge_held(cpk_cert_pick *pk, const cpk_header *h, int sec,
    const unsigned char *pub, size_t len, time_t now)
{
	const cpk_blob *cur = cpk_header_cert(h, sec);
	cpk_err r;

	pk->held_state = CPK_HELD_NONE;
	if (cur == NULL)
		return CPK_OK;
	pk->held_state = CPK_HELD_DAMAGED;
	if ((r = cand_fill(&pk->held, cur, now)) == CPK_E_CRYPTO)
		return r;
	if (r != CPK_OK)
		return CPK_OK;
	pk->held.index = SIZE_MAX;
	pk->held.matches = holds(pk, pub, len, &pk->held.ci);
	pk->held_state = pk->held.matches ? CPK_HELD_THIS_KEY :
	    CPK_HELD_OTHER_KEY;
	for (size_t i = 0; i < pk->n; i++)
		if (pk->v[i].matches && memcmp(pk->v[i].sha256,
		    pk->held.sha256, 32) == 0)
			pk->held_given = (int)i + 1;
	return CPK_OK;
}

cpk_err
cpk_cert_pick_run(const cpk_files *f, const cpk_cert_list *l, int sec,
    const char *pw, time_t now, int force, cpk_cert_pick *pk)
{
	cpk_header *h = NULL;
	const unsigned char *fp;
	unsigned char pub[128];
	size_t len = 0;
	enum cpk_cert_why w;
	cpk_err r = CPK_OK;

	memset(pk, 0, sizeof(*pk));
	pk->chosen = -1;
	if (l == NULL || l->n == 0)
		return CPK_OK;
	if ((pk->v = calloc(l->n, sizeof(*pk->v))) == NULL)
		return CPK_E_NOMEM;
	if (f->f[CPK_F_HEADER] != NULL && cpk_header_decode(
	    f->f[CPK_F_HEADER]->ptr, f->f[CPK_F_HEADER]->len, &h) == CPK_OK &&
	    (fp = cpk_header_fp(h, sec)) != NULL) {
		memcpy(pk->fp, fp, 8);
		pk->have_fp = 1;
	}
	pk->by_dg = h != NULL && !sec && key_public(f, pw, pub, &len);
	for (size_t i = 0; i < l->n; i++) {
		if ((r = cand_fill(&pk->v[pk->n], l->v[i], now)) == CPK_E_CRYPTO)
			goto out;
		if (r != CPK_OK)
			continue;	/* not a certificate cpkit can read */
		pk->v[pk->n].index = i;
		pk->v[pk->n].matches = holds(pk, pub, len, &pk->v[pk->n].ci);
		pk->nmatch += pk->v[pk->n].matches != 0;
		pk->n++;
	}
	r = CPK_OK;
	qsort(pk->v, pk->n, sizeof(*pk->v), cand_order);
	if (pk->nmatch == 0)
		goto out;
	pk->why = CPK_WHY_ONLY;
	if (pk->nmatch > 1)
		(void)cpk_cert_cand_cmp(&pk->v[0], &pk->v[1], &pk->why);
	pk->chosen = 0;
	if (h == NULL || (r = judge_held(pk, h, sec, pub, len, now)) != CPK_OK)
		goto out;
	if (pk->held_state != CPK_HELD_THIS_KEY)
		goto out;
	/* a renewal wins by its dates; the same dates keep what is there */
	if (cpk_cert_cand_cmp(&pk->v[0], &pk->held, &w) < 0 &&
	    w != CPK_WHY_DIGEST)
		pk->held_why = w;
	else {
		(void)cpk_cert_cand_cmp(&pk->held, &pk->v[0], &pk->held_why);
		if (pk->held_given == 1 || !force ||
		    pk->held_why == CPK_WHY_DIGEST)
			pk->chosen = -1;	/* kept */
		else
			pk->forced = 1;
	}
out:
	cpk_header_free(&h);
	OPENSSL_cleanse(pub, sizeof(pub));
	return r;
}

void
cpk_cert_pick_clear(cpk_cert_pick *pk)
{
	free(pk->v);
	memset(pk, 0, sizeof(*pk));
	pk->chosen = -1;
}

/* Every candidate in the order a lost header is rebuilt from them: the
 * best dates first (the key is unknown until one of them proves it). */
cpk_err
cpk_cert_pick_all(const cpk_cert_list *l, time_t now, cpk_cert_pick *pk)
{
	cpk_err r;

	memset(pk, 0, sizeof(*pk));
	pk->chosen = -1;
	if (l == NULL || l->n == 0)
		return CPK_OK;
	if ((pk->v = calloc(l->n, sizeof(*pk->v))) == NULL)
		return CPK_E_NOMEM;
	for (size_t i = 0; i < l->n; i++) {
		if ((r = cand_fill(&pk->v[pk->n], l->v[i], now)) ==
		    CPK_E_CRYPTO)
			return r;
		if (r != CPK_OK)
			continue;
		pk->v[pk->n].index = i;
		pk->v[pk->n++].matches = 1;	/* not known yet */
	}
	qsort(pk->v, pk->n, sizeof(*pk->v), cand_order);
	return CPK_OK;
}

/* After the rebuild proved v[won]: which of the others hold that key. */
void
cpk_cert_pick_proven(cpk_cert_pick *pk, size_t won)
{
	cpk_cert_info key = pk->v[won].ci;

	pk->by_dg = 1;
	pk->nmatch = 0;
	for (size_t i = 0; i < pk->n; i++) {
		pk->v[i].matches = pk->v[i].ci.pub_len == key.pub_len &&
		    memcmp(pk->v[i].ci.pub, key.pub, key.pub_len) == 0;
		pk->nmatch += pk->v[i].matches != 0;
	}
	qsort(pk->v, pk->n, sizeof(*pk->v), cand_order);
	pk->chosen = 0;
	pk->why = CPK_WHY_ONLY;
	if (pk->nmatch > 1)
		(void)cpk_cert_cand_cmp(&pk->v[0], &pk->v[1], &pk->why);
}
