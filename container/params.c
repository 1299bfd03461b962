/* GostPrivateKeyParameters (FORMATS.md §6.3): SEQUENCE { attributes BIT
 * STRING, [0] IMPLICIT AlgorithmIdentifier { key OID, SEQUENCE { curve,
 * digest OPTIONAL, cipher OPTIONAL } } }. */
#include <string.h>

#include "internal.h"

cpk_err
cpk_keyparams_decode(const cpk_cur *contents, cpk_keyparams *kp)
{
	cpk_cur c = *contents, alg, ps;
	cpk_tlv t;
	char *slots[3] = { kp->curve, kp->digest, kp->cipher };
	cpk_err r;

	memset(kp, 0, sizeof(*kp));
	if ((r = cpk_tlv_expect(&c, 0x03, &t)) != CPK_OK ||
	    (r = cpk_bits_decode(&t.val, &kp->attrs)) != CPK_OK ||
	    (r = cpk_tlv_expect(&c, 0xa0, &t)) != CPK_OK)
		return r;
	alg = t.val;
	if ((r = cpk_tlv_expect(&alg, 0x06, &t)) != CPK_OK ||
	    (r = cpk_oid_to_text(&t.val, kp->alg, sizeof(kp->alg))) != CPK_OK)
		return r;
	if (alg.left == 0)
		return CPK_OK;		/* no parameters: curve unknown */
	if ((r = cpk_tlv_expect(&alg, 0x30, &t)) != CPK_OK)
		return r;
	ps = t.val;
	for (int i = 0; i < 3 && ps.left > 0; i++) {
		if ((r = cpk_tlv_expect(&ps, 0x06, &t)) != CPK_OK ||
		    (r = cpk_oid_to_text(&t.val, slots[i], 48)) != CPK_OK)
			return r;
	}
	return CPK_OK;
}

cpk_err
cpk_keyparams_encode(const cpk_keyparams *kp, unsigned tag, cpk_blob *out)
{
	cpk_blob *ps = NULL, *alg = NULL, *seq = NULL;
	const char *slots[3] = { kp->curve, kp->digest, kp->cipher };
	cpk_err r;

	if ((r = cpk_blob_new(NULL, 0, &ps)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &alg)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &seq)) != CPK_OK)
		goto out;
	for (int i = 0; i < 3 && slots[i][0] != '\0'; i++)
		if ((r = cpk_oid_from_text(slots[i], ps)) != CPK_OK)
			goto out;
	if ((r = cpk_oid_from_text(kp->alg, alg)) != CPK_OK ||
	    (ps->len > 0 && (r = cpk_der_wrap(alg, 0x30, ps)) != CPK_OK) ||
	    (r = cpk_der_put_bits(seq, kp->attrs)) != CPK_OK ||
	    (r = cpk_der_wrap(seq, 0xa0, alg)) != CPK_OK ||
	    (r = cpk_der_wrap(out, tag, seq)) != CPK_OK)
		goto out;
out:
	cpk_blob_free(&ps);
	cpk_blob_free(&alg);
	cpk_blob_free(&seq);
	return r;
}
