/* Hand-built header.key variants (hdrpatch.h): every element of the
 * content kept as stored except the extensions, which are written anew. */
#include <string.h>

#include "internal.h"
#include "hdrpatch.h"

cpk_err
hdr_replace(const cpk_blob *hdr, unsigned tag, const unsigned char *raw,
    size_t n, enum cpk_profile p, cpk_blob **out)
{
	static const unsigned char zero[32];
	cpk_blob *elems = NULL, *content = NULL, *inner = NULL;
	cpk_tlv root, ct, t;
	cpk_cur c, in;
	unsigned char mac[4];
	size_t trailing;
	int done = 0;
	cpk_err r;

	*out = NULL;
	if ((r = cpk_der_root(hdr->ptr, hdr->len, &root, &trailing)) !=
	    CPK_OK)
		return r;
	c = root.val;
	if ((r = cpk_tlv_expect(&c, 0x30, &ct)) != CPK_OK)
		return r;
	if ((r = cpk_blob_new(NULL, 0, &elems)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &content)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &inner)) != CPK_OK)
		goto out;
	in = ct.val;
	while (in.left > 0 && r == CPK_OK) {
		if ((r = cpk_tlv_next(&in, &t)) != CPK_OK)
			goto out;
		if (t.tag != tag)
			r = cpk_blob_append(elems, t.raw, t.raw_len);
		else if (!done) {
			done = 1;
			r = cpk_blob_append(elems, raw, n);
		}
	}
	if (r == CPK_OK && !done)
		r = cpk_blob_append(elems, raw, n);
	if (r != CPK_OK ||
	    (r = cpk_der_wrap(content, 0x30, elems)) != CPK_OK ||
	    (r = cpk_gost_mac4(cpk_profile_sbox(p), zero, content->ptr,
	    content->len, mac)) != CPK_OK ||
	    (r = cpk_blob_append(inner, content->ptr, content->len)) !=
	    CPK_OK || (r = cpk_der_put(inner, 0x04, mac, 4)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, out)) != CPK_OK ||
	    (r = cpk_der_wrap(*out, 0x30, inner)) != CPK_OK)
		cpk_blob_free(out);
out:
	cpk_blob_free(&elems);
	cpk_blob_free(&content);
	cpk_blob_free(&inner);
	return r;
}

cpk_err
hdr_with_ext(const cpk_blob *hdr, const char *oid, const unsigned char *val,
    size_t n, enum cpk_profile p, cpk_blob **out)
{
	cpk_blob *seq = NULL, *ext = NULL, *ac = NULL;
	cpk_err r;

	*out = NULL;
	/* [12] { Extension ::= SEQUENCE { extnID, extnValue } } */
	if ((r = cpk_blob_new(NULL, 0, &seq)) == CPK_OK &&
	    (r = cpk_blob_new(NULL, 0, &ext)) == CPK_OK &&
	    (r = cpk_blob_new(NULL, 0, &ac)) == CPK_OK &&
	    (r = cpk_oid_from_text(oid, seq)) == CPK_OK &&
	    (r = cpk_der_put(seq, 0x04, val, n)) == CPK_OK &&
	    (r = cpk_der_wrap(ext, 0x30, seq)) == CPK_OK &&
	    (r = cpk_der_wrap(ac, 0xac, ext)) == CPK_OK)
		r = hdr_replace(hdr, 0xac, ac->ptr, ac->len, p, out);
	cpk_blob_free(&seq);
	cpk_blob_free(&ext);
	cpk_blob_free(&ac);
	return r;
}

cpk_err
hdr_with_not_after(const cpk_blob *hdr, const char *gt, enum cpk_profile p,
    cpk_blob **out)
{
	cpk_blob *v = NULL, *s = NULL;
	cpk_err r;

	*out = NULL;
	if ((r = cpk_blob_new(NULL, 0, &v)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &s)) != CPK_OK ||
	    (r = cpk_der_put(v, 0x81, gt, strlen(gt))) != CPK_OK ||
	    (r = cpk_der_wrap(s, 0x30, v)) != CPK_OK)
		goto out;
	r = hdr_with_ext(hdr, "1.2.643.2.2.37.3.10", s->ptr, s->len, p, out);
out:
	cpk_blob_free(&v);
	cpk_blob_free(&s);
	return r;
}
