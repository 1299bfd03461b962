/* Collecting certificates from a file or a folder (a user's exported
 * personal store): DER, PEM with any number of certificates, PKCS#7
 * bundles in DER or PEM. Anything else is skipped, not an error. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "internal.h"

#define CERTS_MAX	10000
#define CERTS_DEPTH	4

static cpk_err
add_x509(cpk_cert_list *l, X509 *x)
{
	unsigned char *der = NULL;
	cpk_blob **v;
	int n;
	cpk_err r;

	if (l->n >= CERTS_MAX)
		return CPK_E_RANGE;
	if ((n = i2d_X509(x, &der)) <= 0)
		return CPK_E_CERT;
	if ((v = realloc(l->v, (l->n + 1) * sizeof(*v))) == NULL) {
		OPENSSL_free(der);
		return CPK_E_NOMEM;
	}
	l->v = v;
	r = cpk_blob_new(der, (size_t)n, &l->v[l->n]);
	OPENSSL_free(der);
	if (r == CPK_OK)
		l->n++;
	return r;
}

static cpk_err
add_pkcs7(cpk_cert_list *l, PKCS7 *p7)
{
	STACK_OF(X509) *certs = NULL;
	cpk_err r = CPK_OK;

	if (PKCS7_type_is_signed(p7) && p7->d.sign != NULL)
		certs = p7->d.sign->cert;
	for (int i = 0; certs != NULL && i < sk_X509_num(certs) &&
	    r == CPK_OK; i++)
		r = add_x509(l, sk_X509_value(certs, i));
	return r;
}

static cpk_err
add_pem(cpk_cert_list *l, const cpk_blob *b)
{
	STACK_OF(X509_INFO) *infos;
	BIO *bio;
	PKCS7 *p7;
	cpk_err r = CPK_OK;

	if ((bio = BIO_new_mem_buf(b->ptr, (int)b->len)) == NULL)
		return CPK_E_NOMEM;
	if ((infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL)) != NULL) {
		for (int i = 0; i < sk_X509_INFO_num(infos) && r == CPK_OK;
		    i++) {
			X509_INFO *xi = sk_X509_INFO_value(infos, i);
			if (xi->x509 != NULL)
				r = add_x509(l, xi->x509);
		}
		sk_X509_INFO_pop_free(infos, X509_INFO_free);
	}
	BIO_free(bio);
	if (r != CPK_OK || strstr((const char *)b->ptr, "BEGIN PKCS7") == NULL)
		return r;
	if ((bio = BIO_new_mem_buf(b->ptr, (int)b->len)) == NULL)
		return CPK_E_NOMEM;
	while (r == CPK_OK &&
	    (p7 = PEM_read_bio_PKCS7(bio, NULL, NULL, NULL)) != NULL) {
		r = add_pkcs7(l, p7);
		PKCS7_free(p7);
	}
	BIO_free(bio);
	return r;
}

static cpk_err
add_bytes(cpk_cert_list *l, const cpk_blob *b)
{
	const unsigned char *p = b->ptr;
	cpk_blob *text = NULL;
	X509 *x;
	PKCS7 *p7;
	cpk_err r = CPK_OK;

	if (b->len > 0 && b->ptr[0] == 0x30) {
		if ((x = d2i_X509(NULL, &p, (long)b->len)) != NULL) {
			r = add_x509(l, x);
			X509_free(x);
		} else if (p = b->ptr, (p7 = d2i_PKCS7(NULL, &p,
		    (long)b->len)) != NULL) {
			r = add_pkcs7(l, p7);
			PKCS7_free(p7);
		}
	} else if ((r = cpk_blob_new(b->ptr, b->len, &text)) == CPK_OK &&
	    (r = cpk_blob_append(text, "", 1)) == CPK_OK)	/* NUL end */
		r = add_pem(l, text);
	ERR_clear_error();
	cpk_blob_free(&text);
	return r;
}

cpk_err
cpk_certs_from_bytes(const unsigned char *p, size_t len, cpk_cert_list *l)
{
	cpk_blob b = { (unsigned char *)(uintptr_t)p, len, len };

	if (len > 1024 * 1024)
		return CPK_E_TOO_BIG;
	return add_bytes(l, &b);
}

/* given: the path the user typed (a link there is followed); a file met
 * in a folder is read only if it is not a link */
static cpk_err
add_file(cpk_cert_list *l, const char *path, int given)
{
	cpk_blob *b = NULL;
	cpk_err r;

	if ((r = given ? cpk_file_read_given(path, 1024 * 1024, &b) :
	    cpk_file_read(path, 1024 * 1024, &b)) != CPK_OK)
		return r == CPK_E_NOMEM ? r : CPK_OK;	/* not for us */
	r = add_bytes(l, b);
	cpk_blob_free(&b);
	return r;
}

static cpk_err
add_dir(cpk_cert_list *l, const char *dir, unsigned depth)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;
	cpk_err r = CPK_OK;

	if (depth > CERTS_DEPTH || (d = opendir(dir)) == NULL)
		return CPK_OK;
	while (r == CPK_OK && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || snprintf(path, sizeof(path),
		    "%s/%s", dir, de->d_name) >= (int)sizeof(path) ||
		    lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			r = add_dir(l, path, depth + 1);
		else if (S_ISREG(st.st_mode))
			r = add_file(l, path, 0);
	}
	closedir(d);
	return r;
}

cpk_err
cpk_certs_load(const char *path, cpk_cert_list *l)
{
	struct stat st;

	memset(l, 0, sizeof(*l));
	if (stat(path, &st) != 0)
		return CPK_E_NOT_FOUND;
	return S_ISDIR(st.st_mode) ? add_dir(l, path, 0) : add_file(l, path, 1);
}

void
cpk_certs_free(cpk_cert_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		cpk_blob_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
