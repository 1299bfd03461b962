/* Certificates for the tests and the samples' generators (issue 17 §1:
 * the library issues none): subject's public key signed by issuer with
 * gost-engine, self-signed when both are the same key. */
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "../container/internal.h"
#include "certissue.h"

static cpk_err
set_name(X509_NAME *n, const char *cn)
{
	if (!X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8,
	    (const unsigned char *)"cpkit samples", -1, -1, 0))
		return cpk_ossl_err(__func__);
	return CPK_OK;
}

cpk_err
cpk_cert_issue(const cpk_key *subject, const cpk_key *issuer,
    const char *cn, const char *issuer_cn, time_t nb, time_t na,
    long serial, cpk_blob **out)
{
	return cpk_cert_issue_pkup(subject, issuer, cn, issuer_cn, nb, na, 0,
	    0, serial, out);
}

/* PrivateKeyUsagePeriod: GeneralizedTime bounds [0] and [1], each
 * optional (RFC 3280 4.2.1.4). */
static cpk_err
add_pkup(X509 *x, time_t nb, time_t na)
{
	PKEY_USAGE_PERIOD *u;
	int ok;

	if (nb == 0 && na == 0)
		return CPK_OK;
	if ((u = PKEY_USAGE_PERIOD_new()) == NULL)
		return CPK_E_CRYPTO;
	ok = (nb == 0 || (u->notBefore = ASN1_GENERALIZEDTIME_set(NULL, nb)) !=
	    NULL) && (na == 0 || (u->notAfter = ASN1_GENERALIZEDTIME_set(NULL,
	    na)) != NULL) && X509_add1_ext_i2d(x, NID_private_key_usage_period,
	    u, 0, X509V3_ADD_DEFAULT) == 1;
	PKEY_USAGE_PERIOD_free(u);
	return ok ? CPK_OK : CPK_E_CRYPTO;
}

cpk_err
cpk_cert_issue_pkup(const cpk_key *subject, const cpk_key *issuer,
    const char *cn, const char *issuer_cn, time_t nb, time_t na,
    time_t pnb, time_t pna, long serial, cpk_blob **out)
{
	EVP_PKEY *pub = NULL, *sign = NULL;
	X509 *x = NULL;
	cpk_blob *p8 = NULL;
	const unsigned char *pk;
	unsigned char *der = NULL;
	enum cpk_hash h = cpk_key_profile(issuer) == CPK_P_2001 ? CPK_H94 :
	    cpk_key_profile(issuer) == CPK_P_2012_512 ? CPK_S512 : CPK_S256;
	const EVP_MD *md;
	ENGINE *e;
	size_t plen;
	int n;
	cpk_err r;

	*out = NULL;
	/* the engine first: it parses the GOST keys below */
	if ((r = cpk_engine_md(h, &md, &e)) != CPK_OK)
		return r;
	pk = cpk_key_public(subject, &plen);
	if ((r = cpk_engine_pkey_public(cpk_oid_signature_alg(cpk_key_alg(
	    subject)), cpk_key_curve(subject), pk, plen, &pub)) != CPK_OK ||
	    (r = cpk_key_pkcs8(issuer, &p8)) != CPK_OK ||
	    (r = cpk_engine_pkey_private(p8, &sign)) != CPK_OK)
		goto out;
	r = CPK_E_CRYPTO;
	if ((x = X509_new()) == NULL || !X509_set_version(x, 2) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(x), serial) ||
	    X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &nb) == NULL ||
	    X509_time_adj_ex(X509_getm_notAfter(x), 0, 0, &na) == NULL ||
	    !X509_set_pubkey(x, pub))
		goto out;
	if ((r = add_pkup(x, pnb, pna)) != CPK_OK ||
	    (r = set_name(X509_get_subject_name(x), cn)) != CPK_OK ||
	    (r = set_name(X509_get_issuer_name(x), issuer_cn)) != CPK_OK)
		goto out;
	r = CPK_E_CRYPTO;
	if (X509_sign(x, sign, md) <= 0 ||
	    (n = i2d_X509(x, &der)) <= 0)
		goto out;
	r = cpk_blob_new(der, (size_t)n, out);
out:
	if (r == CPK_E_CRYPTO)
		cpk_ossl_err(__func__);
	OPENSSL_free(der);
	X509_free(x);
	EVP_PKEY_free(pub);
	EVP_PKEY_free(sign);
	cpk_blob_free(&p8);
	return r;
}
