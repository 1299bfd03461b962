/* Curve arithmetic through OpenSSL's EC_GROUP/BIGNUM (not deprecated in
 * 3.0). Scalars and coordinates cross this boundary little-endian, as the
 * container and certificates store them (FORMATS.md §12.2). */
#include <openssl/bn.h>
#include <openssl/ec.h>

#include "internal.h"

static cpk_err
group_new(const cpk_curve *c, BN_CTX *bn, EC_GROUP **out, BIGNUM **q)
{
	BIGNUM *p = NULL, *a = NULL, *b = NULL, *x = NULL, *y = NULL;
	EC_GROUP *g = NULL;
	EC_POINT *gen = NULL;
	cpk_err r = CPK_E_CRYPTO;

	*out = NULL;
	*q = NULL;
	if (!BN_hex2bn(&p, c->p) || !BN_hex2bn(&a, c->a) ||
	    !BN_hex2bn(&b, c->b) || !BN_hex2bn(q, c->q) ||
	    !BN_hex2bn(&x, c->x) || !BN_hex2bn(&y, c->y))
		goto out;
	if ((g = EC_GROUP_new_curve_GFp(p, a, b, bn)) == NULL ||
	    (gen = EC_POINT_new(g)) == NULL ||
	    !EC_POINT_set_affine_coordinates(g, gen, x, y, bn) ||
	    !EC_GROUP_set_generator(g, gen, *q, BN_value_one()))
		goto out;
	*out = g;
	g = NULL;
	r = CPK_OK;
out:
	if (r != CPK_OK) {
		cpk_ossl_err(__func__);
		BN_free(*q);
		*q = NULL;
	}
	EC_POINT_free(gen);
	EC_GROUP_free(g);
	BN_free(p);
	BN_free(a);
	BN_free(b);
	BN_free(x);
	BN_free(y);
	return r;
}

static BIGNUM *
le2bn(const unsigned char *p, size_t len)
{
	return BN_lebin2bn(p, (int)len, BN_secure_new());
}

int
cpk_curve_scalar_ok(const cpk_curve *c, const unsigned char *d)
{
	BIGNUM *q = NULL, *k = NULL;
	int ok;

	if (!BN_hex2bn(&q, c->q) || (k = le2bn(d, c->len)) == NULL) {
		BN_free(q);
		return 0;
	}
	ok = !BN_is_zero(k) && BN_cmp(k, q) < 0;
	BN_clear_free(k);
	BN_free(q);
	return ok;
}

cpk_err
cpk_curve_mul_base(const cpk_curve *c, const unsigned char *d,
    unsigned char *x, unsigned char *y)
{
	BN_CTX *bn = NULL;
	EC_GROUP *g = NULL;
	EC_POINT *pt = NULL;
	BIGNUM *q = NULL, *k = NULL, *bx = NULL, *by = NULL;
	cpk_err r = CPK_E_CRYPTO;

	if ((bn = BN_CTX_new()) == NULL ||
	    (r = group_new(c, bn, &g, &q)) != CPK_OK)
		goto out;
	r = CPK_E_CRYPTO;
	if ((k = le2bn(d, c->len)) == NULL || (pt = EC_POINT_new(g)) == NULL ||
	    (bx = BN_new()) == NULL || (by = BN_new()) == NULL)
		goto out;
	if (BN_is_zero(k) || BN_cmp(k, q) >= 0) {
		r = CPK_E_RANGE;
		goto out;
	}
	if (!EC_POINT_mul(g, pt, k, NULL, NULL, bn) ||
	    !EC_POINT_get_affine_coordinates(g, pt, bx, by, bn) ||
	    BN_bn2lebinpad(bx, x, (int)c->len) < 0 ||
	    BN_bn2lebinpad(by, y, (int)c->len) < 0)
		goto out;
	r = CPK_OK;
out:
	if (r == CPK_E_CRYPTO)
		cpk_ossl_err(__func__);
	BN_clear_free(k);
	BN_free(q);
	BN_free(bx);
	BN_free(by);
	EC_POINT_free(pt);
	EC_GROUP_free(g);
	BN_CTX_free(bn);
	return r;
}

/* out = t * m^op mod q, op = -1 (unmask) or +1 (mask). */
static cpk_err
mod_mul(const cpk_curve *c, const unsigned char *t, size_t tlen,
    const unsigned char *m, size_t mlen, int inverse, unsigned char *out)
{
	BN_CTX *bn = NULL;
	BIGNUM *q = NULL, *bt = NULL, *bm = NULL, *res = NULL;
	cpk_err r = CPK_E_CRYPTO;

	if ((bn = BN_CTX_secure_new()) == NULL || !BN_hex2bn(&q, c->q) ||
	    (bt = le2bn(t, tlen)) == NULL || (bm = le2bn(m, mlen)) == NULL ||
	    (res = BN_secure_new()) == NULL)
		goto out;
	/* m is used as a whole integer; only m mod q must be nonzero. */
	if (!BN_nnmod(bm, bm, q, bn))
		goto out;
	if (BN_is_zero(bm)) {
		r = CPK_E_RANGE;
		goto out;
	}
	if (inverse && BN_mod_inverse(bm, bm, q, bn) == NULL)
		goto out;
	if (!BN_mod_mul(res, bt, bm, q, bn) ||
	    BN_bn2lebinpad(res, out, (int)c->len) < 0)
		goto out;
	r = CPK_OK;
out:
	if (r == CPK_E_CRYPTO)
		cpk_ossl_err(__func__);
	BN_clear_free(bt);
	BN_clear_free(bm);
	BN_clear_free(res);
	BN_free(q);
	BN_CTX_free(bn);
	return r;
}

cpk_err
cpk_curve_unmask(const cpk_curve *c, const unsigned char *t, size_t tlen,
    const unsigned char *m, size_t mlen, unsigned char *out)
{
	return mod_mul(c, t, tlen, m, mlen, 1, out);
}

cpk_err
cpk_curve_mask(const cpk_curve *c, const unsigned char *d,
    const unsigned char *m, size_t mlen, unsigned char *out)
{
	return mod_mul(c, d, c->len, m, mlen, 0, out);
}

int
cpk_curve_mask_ok(const cpk_curve *c, const unsigned char *m, size_t mlen)
{
	BIGNUM *q = NULL, *bm = NULL;
	BN_CTX *bn = BN_CTX_new();
	int ok = 0;

	if (bn != NULL && BN_hex2bn(&q, c->q) && (bm = le2bn(m, mlen)) &&
	    BN_nnmod(bm, bm, q, bn))
		ok = !BN_is_zero(bm);
	BN_clear_free(bm);
	BN_free(q);
	BN_CTX_free(bn);
	return ok;
}
