/* libFuzzer target for the file codecs (FORMATS.md §3-§6): every input goes
 * through all four decoders. What decodes is re-encoded, MAC-checked with
 * both profiles and edited; the invariants below abort, so a broken one is
 * a crash. No KDF: the slowest call is one GOST MAC over at most 64 KiB. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Reads every byte the accessors hand out, so ASan sees bad pointers. */
static unsigned
touch(const unsigned char *p, size_t n)
{
	unsigned s = 0;

	for (size_t i = 0; p != NULL && i < n; i++)
		s += p[i];
	return s;
}

static void
check(int ok)
{
	if (!ok)
		abort();
}

static unsigned
header(const uint8_t *data, size_t size)
{
	static const unsigned char small[] = { 0x30, 0x03, 0x02, 0x01, 0x07 };
	cpk_header *h = NULL, *back = NULL;
	cpk_blob *e = NULL, *cert = NULL;
	const cpk_keyparams *kp;
	time_t nb, na;
	unsigned s = 0;

	if (cpk_header_decode(data, size, &h) != CPK_OK)
		return 0;
	/* encode hands back the root element exactly as stored */
	check(cpk_header_encode(h, &e) == CPK_OK);
	check(e->len + cpk_header_trailing(h) == size &&
	    memcmp(e->ptr, data, e->len) == 0);
	cpk_blob_free(&e);
	s += touch((const unsigned char *)cpk_header_version_oid(h),
	    strlen(cpk_header_version_oid(h)));
	s += cpk_header_attrs(h) + (unsigned)cpk_header_is_old(h) +
	    (unsigned)cpk_header_is_ber(h);
	for (int sec = 0; sec < 2; sec++) {
		if ((kp = cpk_header_params(h, sec)) != NULL)
			s += touch((const unsigned char *)kp, sizeof(*kp));
		if (cpk_header_cert(h, sec) != NULL)
			s += touch(cpk_header_cert(h, sec)->ptr,
			    cpk_header_cert(h, sec)->len);
		s += touch(cpk_header_fp(h, sec), 8);
	}
	s += touch(cpk_header_pw_mac(h), 4) + touch(cpk_header_mac(h), 4);
	s += touch(cpk_header_content(h)->ptr, cpk_header_content(h)->len);
	if (cpk_header_key_validity(h, &nb, &na))
		s += (unsigned)(nb != na);
	(void)cpk_header_check_mac(h, CPK_P_2001);
	(void)cpk_header_check_mac(h, CPK_P_2012_256);

	/* edit: the same certificate (or a small one), then a fresh MAC that
	 * must verify, and the result must decode on its own */
	if (cpk_blob_new(cpk_header_cert(h, 0) != NULL ?
	    cpk_header_cert(h, 0)->ptr : small, cpk_header_cert(h, 0) != NULL ?
	    cpk_header_cert(h, 0)->len : sizeof(small), &cert) == CPK_OK &&
	    cpk_header_set_cert(h, 0, cert) == CPK_OK) {
		check(cpk_blob_eq(cpk_header_cert(h, 0), cert));
		if (cpk_header_update_mac(h, CPK_P_2012_256) == CPK_OK) {
			check(cpk_header_check_mac(h, CPK_P_2012_256) ==
			    CPK_OK);
			check(cpk_header_encode(h, &e) == CPK_OK);
			check(cpk_header_decode(e->ptr, e->len, &back) ==
			    CPK_OK);
			check(cpk_header_check_mac(back, CPK_P_2012_256) ==
			    CPK_OK);
		}
	}
	cpk_header_free(&back);
	cpk_blob_free(&e);
	cpk_blob_free(&cert);
	cpk_header_free(&h);
	return s;
}

/* decode(encode(x)) re-encodes to the same bytes, with no trailing. */
static unsigned
masks(const uint8_t *data, size_t size)
{
	cpk_masks *m = NULL, *back = NULL;
	cpk_blob *e = NULL, *e2 = NULL;
	unsigned s;

	if (cpk_masks_decode(data, size, &m) != CPK_OK)
		return 0;
	check(m->mask->len == 32 || m->mask->len == 64);
	check(m->salt->len >= 12 && m->trailing < size);
	s = touch(m->mask->ptr, m->mask->len) +
	    touch(m->salt->ptr, m->salt->len);
	check(cpk_masks_encode(m, &e) == CPK_OK);
	check(e->len <= size - m->trailing);	/* DER is never longer */
	check(cpk_masks_decode(e->ptr, e->len, &back) == CPK_OK);
	check(back->trailing == 0 && cpk_blob_eq(back->mask, m->mask) &&
	    cpk_blob_eq(back->salt, m->salt) &&
	    memcmp(back->mac, m->mac, 4) == 0);
	check(cpk_masks_encode(back, &e2) == CPK_OK && cpk_blob_eq(e, e2));
	cpk_blob_free(&e2);
	cpk_blob_free(&e);
	cpk_masks_free(&back);
	cpk_masks_free(&m);
	return s;
}

static unsigned
primary(const uint8_t *data, size_t size)
{
	cpk_primary *k = NULL, *back = NULL;
	cpk_blob *e = NULL, *e2 = NULL;
	unsigned s;

	if (cpk_primary_decode(data, size, &k) != CPK_OK)
		return 0;
	check(k->key->len == 32 || k->key->len == 64);
	s = touch(k->key->ptr, k->key->len);
	if (k->secondary != NULL)
		s += touch(k->secondary->ptr, k->secondary->len);
	if (k->old_mac != NULL)
		s += touch(k->old_mac->ptr, k->old_mac->len);
	check(cpk_primary_encode(k, &e) == CPK_OK);
	check(cpk_primary_decode(e->ptr, e->len, &back) == CPK_OK);
	check(back->trailing == 0 && cpk_blob_eq(back->key, k->key) &&
	    cpk_blob_eq(back->secondary, k->secondary) &&
	    cpk_blob_eq(back->old_mac, k->old_mac));
	check(cpk_primary_encode(back, &e2) == CPK_OK && cpk_blob_eq(e, e2));
	cpk_blob_free(&e2);
	cpk_blob_free(&e);
	cpk_primary_free(&back);
	cpk_primary_free(&k);
	return s;
}

/* ASCII and CP1251 names survive the CP1251 writer; UTF-8 ones need not
 * (their CP1251 bytes may read back as UTF-8, §3.2). */
static unsigned
name(const uint8_t *data, size_t size)
{
	char *n = NULL, *n2 = NULL;
	const char *enc = NULL, *enc2 = NULL;
	cpk_blob *e = NULL;
	unsigned s;

	if (cpk_name_decode(data, size, &n, &enc) != CPK_OK)
		return 0;
	check(n[0] != '\0' && enc != NULL);
	s = touch((const unsigned char *)n, strlen(n));
	if (strcmp(enc, "utf-8") != 0 && cpk_name_encode(n, &e) == CPK_OK) {
		check(cpk_name_decode(e->ptr, e->len, &n2, &enc2) == CPK_OK);
		check(strcmp(n, n2) == 0 && strcmp(enc, enc2) == 0);
	}
	free(n2);
	cpk_blob_free(&e);
	free(n);
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	volatile unsigned sink;

	sink = header(data, size) + masks(data, size) + primary(data, size) +
	    name(data, size);
	(void)sink;
	return 0;
}
