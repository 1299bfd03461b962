/* A map from strings, compared without ASCII case, to indexes: the .reg
 * reader finds the container a repeated key path names in constant time
 * (issue 14: a linear search made 100,000 keys take minutes). Open
 * addressing with linear probing, at most half full. Slots are hashed with
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012) under a random key drawn per map, so a hostile .reg cannot choose
 * key paths that collide and make the lookup linear again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "media_int.h"

#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void
sipround(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = ROTL(v[1], 13);
	v[1] ^= v[0];
	v[0] = ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = ROTL(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = ROTL(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = ROTL(v[1], 17);
	v[1] ^= v[2];
	v[2] = ROTL(v[2], 32);
}

static unsigned char
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

static uint64_t
le64(const unsigned char *p)
{
	uint64_t x = 0;

	for (int i = 7; i >= 0; i--)
		x = x << 8 | p[i];
	return x;
}

/* SipHash-2-4 of p[0..len), with A-Z read as a-z when fold_case is set. */
uint64_t
cpk_siphash(const unsigned char key[16], const void *data, size_t len,
    int fold_case)
{
	const unsigned char *p = data;
	uint64_t k0 = le64(key), k1 = le64(key + 8), m, v[4];
	unsigned char w[8];
	size_t i = 0, j;

	v[0] = k0 ^ 0x736f6d6570736575ULL;
	v[1] = k1 ^ 0x646f72616e646f6dULL;
	v[2] = k0 ^ 0x6c7967656e657261ULL;
	v[3] = k1 ^ 0x7465646279746573ULL;
	for (;;) {
		for (j = 0; j < 8 && i < len; j++, i++)
			w[j] = fold_case ? fold(p[i]) : p[i];
		if (j < 8)
			break;
		m = le64(w);
		v[3] ^= m;
		sipround(v);
		sipround(v);
		v[0] ^= m;
	}
	/* the last block: 0-7 bytes, then the length's low byte on top */
	memset(w + j, 0, 8 - j);
	w[7] = (unsigned char)(len & 0xff);
	m = le64(w);
	v[3] ^= m;
	sipround(v);
	sipround(v);
	v[0] ^= m;
	v[2] ^= 0xff;
	for (j = 0; j < 4; j++)
		sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static int
same(const char *a, const char *b)
{
	for (; *a != '\0' && fold((unsigned char)*a) ==
	    fold((unsigned char)*b); a++, b++)
		;
	return *a == *b;
}

cpk_err
cpk_strmap_init(cpk_strmap *m)
{
	memset(m, 0, sizeof(*m));
	if (RAND_bytes(m->key, sizeof(m->key)) != 1)
		return CPK_E_CRYPTO;
	return CPK_OK;
}

/* The slot holding s, or the empty slot where it would go. */
static struct cpk_strmap_slot *
probe(const cpk_strmap *m, const char *s, uint64_t h)
{
	size_t mask = m->cap - 1, i = (size_t)h & mask;

	while (m->slot[i].key != NULL &&
	    (m->slot[i].hash != h || !same(m->slot[i].key, s)))
		i = (i + 1) & mask;
	return &m->slot[i];
}

uint64_t
cpk_strmap_hash(const cpk_strmap *m, const char *s)
{
	return cpk_siphash(m->key, s, strlen(s), 1);
}

int
cpk_strmap_get(const cpk_strmap *m, const char *s, uint64_t h, size_t *val)
{
	struct cpk_strmap_slot *e;

	if (m->cap == 0)
		return 0;
	e = probe(m, s, h);
	if (e->key == NULL)
		return 0;
	*val = e->val;
	return 1;
}

static cpk_err
grow(cpk_strmap *m)
{
	struct cpk_strmap_slot *old = m->slot, *e;
	size_t ocap = m->cap, cap = ocap ? ocap * 2 : 64;

	if (cap > SIZE_MAX / sizeof(*old) / 2)
		return CPK_E_NOMEM;
	if ((m->slot = calloc(cap, sizeof(*old))) == NULL) {
		m->slot = old;
		return CPK_E_NOMEM;
	}
	m->cap = cap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].key != NULL) {
			e = probe(m, old[i].key, old[i].hash);
			*e = old[i];
		}
	free(old);
	return CPK_OK;
}

cpk_err
cpk_strmap_put(cpk_strmap *m, const char *s, uint64_t h, size_t val)
{
	struct cpk_strmap_slot *e;
	cpk_err r;

	if ((m->n + 1) * 2 > m->cap && (r = grow(m)) != CPK_OK)
		return r;
	e = probe(m, s, h);
	if (e->key == NULL) {
		e->key = s;
		e->hash = h;
		m->n++;
	}
	e->val = val;
	return CPK_OK;
}

void
cpk_strmap_clear(cpk_strmap *m)
{
	free(m->slot);
	memset(m, 0, sizeof(*m));
}
