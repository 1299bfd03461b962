/* Certificates in header [5]/[6] (FORMATS.md §6.6): X.509 through OpenSSL;
 * the GOST public key is read from the raw SPKI, so no engine is needed. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "internal.h"

static void
name_text(const X509_NAME *n, char *out, size_t cap)
{
	BIO *b = BIO_new(BIO_s_mem());
	int len;

	out[0] = '\0';
	if (b == NULL)
		return;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 &
	    ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
	    (len = BIO_read(b, out, (int)cap - 1)) > 0)
		out[len] = '\0';
	BIO_free(b);
}

static cpk_err
asn1_time(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;

	if (!ASN1_TIME_to_tm(t, &tm))
		return CPK_E_CERT;
	*out = timegm(&tm);
	return CPK_OK;
}

static cpk_err
spki(X509 *x, cpk_cert_info *ci)
{
	const ASN1_OBJECT *obj;
	const void *pval;
	const unsigned char *pk;
	int ptype, pklen;
	X509_ALGOR *alg;
	X509_PUBKEY *xp = X509_get_X509_PUBKEY(x);
	cpk_cur c;
	cpk_tlv t;

	if (xp == NULL || !X509_PUBKEY_get0_param(NULL, &pk, &pklen, &alg, xp))
		return CPK_E_CERT;
	X509_ALGOR_get0(&obj, &ptype, &pval, alg);
	if (OBJ_obj2txt(ci->alg, sizeof(ci->alg), obj, 1) <= 0)
		return CPK_E_CERT;
	if (ptype == V_ASN1_SEQUENCE) {
		const ASN1_STRING *s = pval;
		c.p = ASN1_STRING_get0_data(s);
		c.left = (size_t)ASN1_STRING_length(s);
		if (cpk_tlv_expect(&c, 0x30, &t) == CPK_OK)
			c = t.val;
		if (cpk_tlv_expect(&c, 0x06, &t) == CPK_OK)
			cpk_oid_to_text(&t.val, ci->curve, sizeof(ci->curve));
		if (cpk_tlv_expect(&c, 0x06, &t) == CPK_OK)
			cpk_oid_to_text(&t.val, ci->digest, sizeof(ci->digest));
	}
	/* the BIT STRING holds OCTET STRING { LE X || LE Y } */
	c.p = pk;
	c.left = (size_t)pklen;
	if (cpk_tlv_expect(&c, 0x04, &t) != CPK_OK ||
	    (t.val.left != 64 && t.val.left != 128))
		return CPK_E_CERT;
	memcpy(ci->pub, t.val.p, t.val.left);
	ci->pub_len = t.val.left;
	return CPK_OK;
}

/* PrivateKeyUsagePeriod (2.5.29.16): CAs put the key's end of use here;
 * a rebuilt header carries it as its key validity extension. */
static void
pkup(X509 *x, cpk_cert_info *ci)
{
	PKEY_USAGE_PERIOD *u;

	if ((u = X509_get_ext_d2i(x, NID_private_key_usage_period, NULL,
	    NULL)) == NULL)
		return;
	if (u->notAfter != NULL)
		asn1_time(u->notAfter, &ci->pkup_not_after);
	PKEY_USAGE_PERIOD_free(u);
}

/* keyEncipherment or keyAgreement: CryptoPro's AT_KEYEXCHANGE keys. The
 * extension is decoded alone: X509_get_key_usage() would first cache every
 * extension and a SHA-1 of the whole certificate. */
static int
exchange_usage(X509 *x)
{
	ASN1_BIT_STRING *ku;
	int hint;

	if ((ku = X509_get_ext_d2i(x, NID_key_usage, NULL, NULL)) == NULL)
		return 0;
	hint = ASN1_BIT_STRING_get_bit(ku, 2) || ASN1_BIT_STRING_get_bit(ku, 4);
	ASN1_BIT_STRING_free(ku);
	return hint;
}

/* d2i_X509 in OpenSSL 3.0 decodes the subject key through every decoder
 * the library context offers (a third of cpkit-list's time over a tree of
 * containers). The key is read from the raw SPKI above, so certificates
 * are parsed in a context that offers only the "null" provider. */
static OSSL_LIB_CTX *parse_ctx;
static pthread_once_t parse_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;

static void
parse_ctx_init(void)
{
	if ((parse_ctx = OSSL_LIB_CTX_new()) != NULL &&
	    OSSL_PROVIDER_load(parse_ctx, "null") == NULL) {
		OSSL_LIB_CTX_free(parse_ctx);
		parse_ctx = NULL;
	}
}

static cpk_err cert_parse(const unsigned char *, size_t, cpk_cert_info *);

/* A container's certificate is parsed by its summary and again by its
 * checks; the last result of each thread is kept, keyed by the whole DER
 * (a certificate is public, so the copy holds nothing secret). */
#define CERT_MEMO_MAX	4096
static _Thread_local struct {
	size_t		len;
	unsigned char	der[CERT_MEMO_MAX];
	cpk_cert_info	ci;
	cpk_err		r;
} memo;

cpk_err
cpk_cert_parse(const unsigned char *der, size_t len, cpk_cert_info *ci)
{
	if (len > 0 && len == memo.len && memcmp(der, memo.der, len) == 0) {
		*ci = memo.ci;
		return memo.r;
	}
	/* gost-engine's decoding of the subject key, which d2i_X509 reaches,
	 * is not safe on several threads at once: under ASan a threaded scan
	 * of 6,000 containers leaked an EC_GROUP made by its
	 * fill_GOST_EC_params. One certificate at a time; the memo above
	 * spares most calls. */
	pthread_mutex_lock(&parse_lock);
	memo.r = cert_parse(der, len, ci);
	pthread_mutex_unlock(&parse_lock);
	memo.len = 0;
	if (len <= CERT_MEMO_MAX) {
		memcpy(memo.der, der, len);
		memo.ci = *ci;
		memo.len = len;
	}
	return memo.r;
}

static cpk_err
cert_parse(const unsigned char *der, size_t len, cpk_cert_info *ci)
{
	const unsigned char *p = der;
	X509 *x = NULL;
	BIGNUM *bn = NULL;
	char *hex = NULL;
	cpk_err r = CPK_E_CERT;

	memset(ci, 0, sizeof(*ci));
	pthread_once(&parse_once, parse_ctx_init);
	if (len > CPK_FILE_MAX || (x = X509_new_ex(parse_ctx, NULL)) == NULL)
		goto out;
	if (d2i_X509(&x, &p, (long)len) == NULL) {
		x = NULL;	/* freed by d2i on failure */
		goto out;
	}
	name_text(X509_get_subject_name(x), ci->subject, sizeof(ci->subject));
	name_text(X509_get_issuer_name(x), ci->issuer, sizeof(ci->issuer));
	if ((bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL)) ==
	    NULL || (hex = BN_bn2hex(bn)) == NULL)
		goto out;
	snprintf(ci->serial, sizeof(ci->serial), "%s", hex);
	if ((r = asn1_time(X509_get0_notBefore(x), &ci->not_before)) !=
	    CPK_OK || (r = asn1_time(X509_get0_notAfter(x), &ci->not_after)) !=
	    CPK_OK || (r = spki(x, ci)) != CPK_OK)
		goto out;
	pkup(x, ci);
	ci->exchange_hint = exchange_usage(x);
out:
	ERR_clear_error();	/* a bad certificate is a finding, not a log */
	OPENSSL_free(hex);
	BN_free(bn);
	X509_free(x);
	return r;
}

/* A certificate in DER or PEM as DER; takes raw (freed, or handed back
 * as *out when it is DER already). */
cpk_err
cpk_cert_to_der(cpk_blob *raw, cpk_blob **out)
{
	BIO *b = NULL;
	X509 *x = NULL;
	unsigned char *der = NULL;
	int n;
	cpk_err r;

	*out = NULL;
	if (raw->len > 0 && raw->ptr[0] == 0x30) {	/* DER as is */
		*out = raw;
		return CPK_OK;
	}
	r = CPK_E_CERT;
	if ((b = BIO_new_mem_buf(raw->ptr, (int)raw->len)) == NULL ||
	    (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) == NULL ||
	    (n = i2d_X509(x, &der)) <= 0)
		goto out;
	r = cpk_blob_new(der, (size_t)n, out);
out:
	ERR_clear_error();
	OPENSSL_free(der);
	X509_free(x);
	BIO_free(b);
	cpk_blob_free(&raw);
	return r;
}
