/* A new header.key (FORMATS.md §6, §18): the fields CryptoPro writes, in
 * the fixtures' order, then the MAC. The writer and cpkit-fix use it. */
#include <string.h>

#include "internal.h"

/* Extension 1.2.643.2.2.37.3.10 (exchange) or .9 (signature) with
 * notAfter only, as in every fixture (§6.5). */
static cpk_err
put_validity(cpk_blob *out, time_t not_after, int exchange)
{
	cpk_blob *v = NULL, *ext = NULL, *exts = NULL, *tmp = NULL;
	char gt[16];
	cpk_err r;

	if ((r = cpk_gentime_encode(not_after, gt)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &v)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &ext)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &exts)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &tmp)) != CPK_OK)
		goto out;
	if ((r = cpk_der_put(tmp, 0x81, gt, 15)) != CPK_OK ||
	    (r = cpk_der_wrap(v, 0x30, tmp)) != CPK_OK ||
	    (r = cpk_oid_from_text(exchange ? "1.2.643.2.2.37.3.10" :
	    "1.2.643.2.2.37.3.9", ext)) != CPK_OK ||
	    (r = cpk_der_wrap(ext, 0x04, v)) != CPK_OK ||
	    (r = cpk_der_wrap(exts, 0x30, ext)) != CPK_OK ||
	    (r = cpk_der_wrap(out, 0xac, exts)) != CPK_OK)
		goto out;
out:
	cpk_blob_free(&v);
	cpk_blob_free(&ext);
	cpk_blob_free(&exts);
	cpk_blob_free(&tmp);
	return r;
}

/* A V2 header shaped like the fixtures' (§18): fields #1, #3, #4, #5, #8,
 * #13, #17 in order (with #7, #9, #14 for a secondary key), then the
 * header MAC. */
cpk_err
cpk_header_build(const cpk_header_fields *f, enum cpk_profile p,
    cpk_blob **out)
{
	static const unsigned char zero[32];
	cpk_blob *c = NULL, *alg = NULL, *content = NULL, *inner = NULL;
	unsigned char mac[4];
	cpk_err r;

	*out = NULL;
	if ((r = cpk_blob_new(NULL, 0, &c)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &alg)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &content)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &inner)) != CPK_OK)
		goto out;
	if ((r = cpk_oid_from_text("1.2.643.2.2.37.2.1", alg)) != CPK_OK ||
	    (r = cpk_der_wrap(c, 0xa0, alg)) != CPK_OK ||
	    (r = cpk_der_put_bits(c, f->attrs)) != CPK_OK ||
	    (r = cpk_keyparams_encode(&f->params, 0x30, c)) != CPK_OK ||
	    (f->pw_mac != NULL &&
	    (r = cpk_der_put(c, 0x82, f->pw_mac, 4)) != CPK_OK) ||
	    (f->fp2 != NULL &&
	    (r = cpk_keyparams_encode(&f->params2, 0xa4, c)) != CPK_OK) ||
	    (f->cert != NULL && (r = cpk_der_wrap(c, 0x85, f->cert)) !=
	    CPK_OK) ||
	    (f->cert2 != NULL && (r = cpk_der_wrap(c, 0x86, f->cert2)) !=
	    CPK_OK) ||
	    (r = cpk_der_put(c, 0x8a, f->fp, 8)) != CPK_OK ||
	    (f->fp2 != NULL && (r = cpk_der_put(c, 0x8b, f->fp2, 8)) !=
	    CPK_OK) ||
	    (f->key_not_after != 0 && (r = put_validity(c, f->key_not_after,
	    (f->params.attrs & CPK_KA_EXCHANGE) != 0)) != CPK_OK) ||
	    (r = cpk_der_wrap(content, 0x30, c)) != CPK_OK ||
	    (r = cpk_gost_mac4(cpk_profile_sbox(p), zero, content->ptr,
	    content->len, mac)) != CPK_OK ||
	    (r = cpk_blob_append(inner, content->ptr, content->len)) !=
	    CPK_OK || (r = cpk_der_put(inner, 0x04, mac, 4)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, out)) != CPK_OK ||
	    (r = cpk_der_wrap(*out, 0x30, inner)) != CPK_OK)
		goto out;
out:
	if (r != CPK_OK)
		cpk_blob_free(out);
	cpk_blob_free(&c);
	cpk_blob_free(&alg);
	cpk_blob_free(&content);
	cpk_blob_free(&inner);
	return r;
}
