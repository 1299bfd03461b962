/* Collecting certificates from bytes (media/certfile.c reads the files
 * and folders): DER, PEM with any number of certificates (other blocks
 * such as a PRIVATE KEY beside them are skipped unread), PKCS#7 bundles
 * in DER or PEM. Anything else is skipped, not an error. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "internal.h"

#define CERTS_MAX	10000

/* Appends a copy of der (and the name of its file) unless the list holds
 * the same certificate already: one found twice is one candidate. */
static cpk_err
add_der(cpk_cert_list *l, const unsigned char *der, size_t len,
    const char *file)
{
	cpk_blob **v;
	char **fv;
	cpk_err r;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i]->len == len && memcmp(l->v[i]->ptr, der, len) == 0)
			return CPK_OK;
	if (l->n >= CERTS_MAX)
		return CPK_E_RANGE;
	if ((v = realloc(l->v, (l->n + 1) * sizeof(*v))) == NULL)
		return CPK_E_NOMEM;
	l->v = v;
	if ((fv = realloc(l->file, (l->n + 1) * sizeof(*fv))) == NULL)
		return CPK_E_NOMEM;
	l->file = fv;
	l->file[l->n] = NULL;
	if (file != NULL && (l->file[l->n] = strdup(file)) == NULL)
		return CPK_E_NOMEM;
	if ((r = cpk_blob_new(der, len, &l->v[l->n])) != CPK_OK) {
		free(l->file[l->n]);
		return r;
	}
	l->n++;
	return CPK_OK;
}

static cpk_err
add_x509(cpk_cert_list *l, X509 *x, const char *file)
{
	unsigned char *der = NULL;
	int n;
	cpk_err r;

	if ((n = i2d_X509(x, &der)) <= 0)
		return CPK_E_CERT;
	r = add_der(l, der, (size_t)n, file);
	OPENSSL_free(der);
	return r;
}

/* The certificates of a SignedData (.p7b); other content types hold none. */
static cpk_err
add_pkcs7(cpk_cert_list *l, PKCS7 *p7, const char *file)
{
	STACK_OF(X509) *certs = NULL;
	cpk_err r = CPK_OK;

	if (PKCS7_type_is_signed(p7) && p7->d.sign != NULL)
		certs = p7->d.sign->cert;
	for (int i = 0; certs != NULL && i < sk_X509_num(certs) &&
	    r == CPK_OK; i++)
		r = add_x509(l, sk_X509_value(certs, i), file);
	return r;
}

/* One DER object: a certificate or a PKCS#7 bundle; 0 when neither. */
static cpk_err
add_der_object(cpk_cert_list *l, const unsigned char *der, long len,
    const char *file, int *found)
{
	const unsigned char *p = der;
	X509 *x;
	PKCS7 *p7;
	cpk_err r = CPK_OK;

	*found = 0;
	if ((x = d2i_X509(NULL, &p, len)) != NULL) {
		r = add_x509(l, x, file);
		X509_free(x);
		*found = 1;
	} else if (p = der, (p7 = d2i_PKCS7(NULL, &p, len)) != NULL) {
		r = add_pkcs7(l, p7, file);
		PKCS7_free(p7);
		*found = 1;
	}
	return r;
}

static int
cert_label(const char *name)
{
	return strcmp(name, PEM_STRING_X509) == 0 ||
	    strcmp(name, PEM_STRING_X509_OLD) == 0 ||
	    strcmp(name, PEM_STRING_X509_TRUSTED) == 0;
}

static int
pkcs7_label(const char *name)
{
	return strcmp(name, PEM_STRING_PKCS7) == 0 ||
	    strcmp(name, PEM_STRING_PKCS7_SIGNED) == 0 ||
	    strcmp(name, PEM_STRING_CMS) == 0;
}

/* Every PEM block in turn through OpenSSL's reader: CERTIFICATE (and its
 * old and TRUSTED forms) and PKCS7 blocks are taken, everything else (a
 * PRIVATE KEY, a CSR, parameters) is skipped without being decoded. A
 * block that does not decode is skipped too; the reader moves past it,
 * so the loop ends at the end of the text. */
static cpk_err
add_pem(cpk_cert_list *l, const cpk_blob *b, const char *file, int *found)
{
	char *name = NULL, *header = NULL;
	unsigned char *data = NULL;
	const unsigned char *p;
	long len;
	X509 *x;
	BIO *bio;
	int f;
	unsigned long e;
	size_t left;
	cpk_err r = CPK_OK;

	*found = 0;
	if (b->len > INT_MAX || (bio = BIO_new_mem_buf(b->ptr, (int)b->len)) ==
	    NULL)
		return CPK_E_NOMEM;
	while (r == CPK_OK) {
		ERR_clear_error();
		left = BIO_ctrl_pending(bio);
		if (!PEM_read_bio(bio, &name, &header, &data, &len)) {
			e = ERR_peek_last_error();
			if ((ERR_GET_LIB(e) == ERR_LIB_PEM &&
			    ERR_GET_REASON(e) == PEM_R_NO_START_LINE) ||
			    BIO_ctrl_pending(bio) >= left)
				break;		/* the end, or no progress */
			continue;		/* a bad block, passed */
		}
		if (cert_label(name)) {
			p = data;
			x = strcmp(name, PEM_STRING_X509_TRUSTED) == 0 ?
			    d2i_X509_AUX(NULL, &p, len) :
			    d2i_X509(NULL, &p, len);
			if (x != NULL) {
				r = add_x509(l, x, file);
				X509_free(x);
				*found = 1;
			}
		} else if (pkcs7_label(name)) {
			r = add_der_object(l, data, len, file, &f);
			*found |= f;
		}
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(data);
		name = header = NULL;
		data = NULL;
	}
	BIO_free(bio);
	return r;
}

cpk_err
cpk_certs_add(cpk_cert_list *l, const cpk_blob *b, const char *file)
{
	int found = 0;
	cpk_err r = CPK_OK;

	if (b->len > 0 && b->ptr[0] == 0x30)
		r = add_der_object(l, b->ptr, (long)b->len, file, &found);
	if (r == CPK_OK && !found)	/* text, even one starting with '0' */
		r = add_pem(l, b, file, &found);
	ERR_clear_error();
	return r;
}

cpk_err
cpk_certs_from_bytes(const unsigned char *p, size_t len, cpk_cert_list *l)
{
	cpk_blob b = { (unsigned char *)(uintptr_t)p, len, len };

	if (len > 1024 * 1024)
		return CPK_E_TOO_BIG;
	return cpk_certs_add(l, &b, NULL);
}

void
cpk_certs_clear(cpk_cert_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		cpk_blob_free(&l->v[i]);
		if (l->file != NULL)
			free(l->file[i]);
	}
	free(l->v);
	free(l->file);
	memset(l, 0, sizeof(*l));
}
