/* Reading a key to import: PEM (PKCS#8 "PRIVATE KEY", with or without its
 * "CERTIFICATE"), DER PKCS#8, or a GOST PKCS#12 (FORMATS.md §19). */
#include <iconv.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "internal.h"

static int
has(const cpk_blob *b, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= b->len; i++)
		if (memcmp(b->ptr + i, s, n) == 0)
			return 1;
	return 0;
}

cpk_err
cpk_import_read(const cpk_blob *in, const char *pfx_pw, cpk_key **key,
    cpk_blob **cert, int *is_pfx)
{
	cpk_blob *der = NULL;
	cpk_err r;

	*key = NULL;
	*cert = NULL;
	*is_pfx = 0;
	if (has(in, "-----BEGIN ENCRYPTED PRIVATE KEY-----"))
		return CPK_E_UNSUPPORTED;
	if (has(in, "-----BEGIN ")) {
		if ((r = cpk_pem_decode(in, "PRIVATE KEY", &der)) != CPK_OK)
			return r == CPK_E_NOT_FOUND ? CPK_E_MISSING : r;
		r = cpk_key_from_pkcs8(der->ptr, der->len, key);
		cpk_blob_free(&der);
		if (r == CPK_OK && cpk_pem_decode(in, "CERTIFICATE", cert) !=
		    CPK_OK)
			*cert = NULL;
		return r;
	}
	/* DER: a PKCS#8 PrivateKeyInfo starts SEQUENCE { INTEGER 0, ... };
	 * anything else is tried as PKCS#12 */
	if (cpk_key_from_pkcs8(in->ptr, in->len, key) == CPK_OK)
		return CPK_OK;
	*is_pfx = 1;
	if (pfx_pw == NULL)
		return CPK_E_NO_PASSWORD;
	return cpk_pfx_import(in, pfx_pw, key, cert);
}

/* 1 when the character (UTF-8 bytes p[0..n)) has a CP1251 form. */
static int
in_cp1251(iconv_t cd, const unsigned char *p, size_t n)
{
	char in[4], out[8], *ip = in, *op = out;
	size_t il = n, ol = sizeof(out);

	memcpy(in, p, n);
	iconv(cd, NULL, NULL, NULL, NULL);
	return iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && il == 0;
}

cpk_err
cpk_import_name(const cpk_blob *cert, char *out, size_t cap)
{
	const unsigned char *der = cert != NULL ? cert->ptr : NULL;
	unsigned char *cn = NULL;
	X509 *x = NULL;
	const X509_NAME *subj;
	iconv_t cd = (iconv_t)-1;
	size_t k = 0, chars = 0, left, n;
	int idx = -1, next, len;
	uint32_t cp;
	cpk_err r = CPK_OK;

	if (cap < 512)
		return CPK_E_ARG;
	snprintf(out, cap, "imported");
	if (der == NULL || cert->len > LONG_MAX ||
	    (x = d2i_X509(NULL, &der, (long)cert->len)) == NULL ||
	    (subj = X509_get_subject_name(x)) == NULL)
		goto out;
	while ((next = X509_NAME_get_index_by_NID(subj, NID_commonName,
	    idx)) >= 0)
		idx = next;			/* the last CN, as RFC 2253 shows first */
	if (idx < 0 || (len = ASN1_STRING_to_UTF8(&cn,
	    X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, idx)))) <= 0)
		goto out;
	if ((cd = iconv_open("CP1251", "UTF-8")) == (iconv_t)-1) {
		r = CPK_E_INTERNAL;
		goto out;
	}
	for (const unsigned char *p = cn; (left = (size_t)len - (size_t)(p -
	    cn)) > 0 && chars < 127 && k + 5 < cap; p += n, chars++) {
		if ((n = cpk_utf8_decode(p, left, &cp)) == 0) {
			n = 1;			/* a stray byte */
			out[k++] = '_';
			continue;
		}
		if (cpk_display_is_control(cp) || cp == '\\' || cp == ']' ||
		    !in_cp1251(cd, p, n)) {
			out[k++] = '_';
			continue;
		}
		memcpy(out + k, p, n);
		k += n;
	}
	while (k > 0 && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
	n = strspn(out, " ");
	memmove(out, out + n, k - n + 1);
	if (out[0] == '\0')
		snprintf(out, cap, "imported");
out:
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	OPENSSL_free(cn);
	X509_free(x);
	return r;
}
