/* DER writing: definite minimal lengths, named BIT STRINGs without
 * trailing zero bits (FORMATS.md §2.2, §8.1). */
#include "internal.h"

cpk_err
cpk_der_put_hdr(cpk_blob *b, unsigned tag, size_t len)
{
	unsigned char h[6];
	size_t n = 0;

	if (len > 0xffffffu)
		return CPK_E_RANGE;
	h[n++] = (unsigned char)tag;
	if (len < 0x80)
		h[n++] = (unsigned char)len;
	else if (len <= 0xff) {
		h[n++] = 0x81;
		h[n++] = (unsigned char)len;
	} else if (len <= 0xffff) {
		h[n++] = 0x82;
		h[n++] = (unsigned char)(len >> 8);
		h[n++] = (unsigned char)len;
	} else {
		h[n++] = 0x83;
		h[n++] = (unsigned char)(len >> 16);
		h[n++] = (unsigned char)(len >> 8);
		h[n++] = (unsigned char)len;
	}
	return cpk_blob_append(b, h, n);
}

cpk_err
cpk_der_put(cpk_blob *b, unsigned tag, const void *p, size_t len)
{
	cpk_err r;

	if ((r = cpk_der_put_hdr(b, tag, len)) != CPK_OK)
		return r;
	return cpk_blob_append(b, p, len);
}

cpk_err
cpk_der_wrap(cpk_blob *out, unsigned tag, const cpk_blob *in)
{
	return cpk_der_put(out, tag, in->ptr, in->len);
}

cpk_err
cpk_der_put_bits(cpk_blob *b, unsigned bits)
{
	unsigned char v[5] = { 0 };
	size_t nbytes = 0;
	unsigned last = 0, unused;
	int n;

	for (n = 31; n >= 0; n--)
		if (bits & (1u << n))
			break;
	if (n < 0)
		return cpk_der_put(b, 0x03, v, 1);	/* 03 01 00 */
	for (unsigned i = 0; i <= (unsigned)n; i++)
		if (bits & (1u << i))
			v[1 + i / 8] |= (unsigned char)(0x80u >> (i % 8));
	nbytes = (size_t)n / 8 + 1;
	last = (unsigned)n % 8;
	unused = 7 - last;
	v[0] = (unsigned char)unused;
	return cpk_der_put(b, 0x03, v, nbytes + 1);
}
