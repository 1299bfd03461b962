/* Internal declarations of container/: never included by tools/. */
#ifndef CPKIT_CONTAINER_INTERNAL_H
#define CPKIT_CONTAINER_INTERNAL_H

#include <sys/types.h>

#include <openssl/types.h>

#include "container.h"
#include "container_int.h"
#include "i18n.h"

void	cpk_log(int level, const char *func, const char *fmt, ...)
	    __attribute__((format(CPK_PRINTF, 3, 4)));
#define CPK_LOG_ERR	1
#define CPK_LOG_DEBUG	3
/* Drains the OpenSSL error queue into the log; returns CPK_E_CRYPTO. */
cpk_err	cpk_ossl_err(const char *func);

/* ---- checked cursor over untrusted bytes (STYLE.md §6) ---- */
typedef struct cpk_cur {
	const unsigned char	*p;
	size_t			 left;
} cpk_cur;

typedef struct cpk_tlv {
	unsigned	 tag;		/* the single tag byte */
	int		 indefinite;	/* BER 0x80 length */
	int		 nonminimal;	/* BER long form where short would do */
	cpk_cur		 val;		/* contents (without end-of-contents) */
	const unsigned char *raw;	/* the whole element */
	size_t		 raw_len;
} cpk_tlv;

#define CPK_DER_MAX_DEPTH	16

/* where.c: the decoders' note of where they stopped (per thread). The
 * cursor records the position of the element that failed, decoders add
 * field names from the inside out; cpk_where_take() hands both over as
 * an offset into base and clears them. */
void	cpk_where_reset(void);
void	cpk_where_at(const unsigned char *);
void	cpk_where_field(const char *name);
void	cpk_where_take(const unsigned char *base, size_t len, cpk_where *);

cpk_err	cpk_cur_take(cpk_cur *, size_t, cpk_cur *);
/* Reads one element; the cursor moves past it. */
cpk_err	cpk_tlv_next(cpk_cur *, cpk_tlv *);
/* Reads only an element's tag and length octets: the cursor is left at
 * its contents (for a file cut short, at what is there of them). */
cpk_err	cpk_tlv_head(cpk_cur *, unsigned *tag, size_t *len);
/* For bytes cut short: the start of the innermost element that runs past
 * their end (p when nothing smaller can be named). */
const unsigned char *cpk_der_cut_at(const unsigned char *, size_t);
/* Reads element with the expected tag or fails with CPK_E_TAG. */
cpk_err	cpk_tlv_expect(cpk_cur *, unsigned tag, cpk_tlv *);
/* One root element at offset 0; *trailing gets the bytes after it. */
cpk_err	cpk_der_root(const unsigned char *, size_t, cpk_tlv *,
	    size_t *trailing);
/* OID contents to dotted text. */
cpk_err	cpk_oid_to_text(const cpk_cur *, char *, size_t);
cpk_err	cpk_oid_from_text(const char *, cpk_blob *out_tlv_appended);
/* Named BIT STRING contents to bits (bit n = 1u << n). */
cpk_err	cpk_bits_decode(const cpk_cur *, unsigned *);

/* ---- DER writer: appends to a blob ---- */
cpk_err	cpk_der_put(cpk_blob *, unsigned tag, const void *, size_t);
cpk_err	cpk_der_put_hdr(cpk_blob *, unsigned tag, size_t len);
cpk_err	cpk_der_put_bits(cpk_blob *, unsigned bits);
/* Wraps the contents of `in` into tag; frees nothing. */
cpk_err	cpk_der_wrap(cpk_blob *out, unsigned tag, const cpk_blob *in);

/* ---- GeneralizedTime (every BER form; CPK_GT_* in container.h) ---- */
cpk_err	cpk_gentime_decode(const cpk_cur *, time_t *);
cpk_err	cpk_gentime_decode_form(const cpk_cur *, time_t *, unsigned *form);
cpk_err	cpk_gentime_encode(time_t, char out[16]);

/* ---- a reusable digest context (the CPKDF inner loop) ---- */
typedef struct cpk_hasher cpk_hasher;
cpk_err	cpk_hasher_new(enum cpk_hash, cpk_hasher **);
cpk_err	cpk_hasher_run(cpk_hasher *, const unsigned char *, size_t,
	    unsigned char *out);
void	cpk_hasher_free(cpk_hasher **);

/* ---- the CPKDF's hash from libgcrypt (gcry_md.c) ---- */
/* libgcrypt's version, after initialising it once unless the program
 * did; NULL when it is older than 1.6 or missing. */
const char	*cpk_gcry_version(void);
typedef struct cpk_gcry_md cpk_gcry_md;	/* CPK_H94 or CPK_S256 only */
cpk_err	cpk_gcry_md_new(enum cpk_hash, cpk_gcry_md **);
cpk_err	cpk_gcry_md_run(cpk_gcry_md *, const unsigned char *, size_t,
	    unsigned char out[32]);
void	cpk_gcry_md_free(cpk_gcry_md **);	/* wiped */

/* ---- which library computes the KDF's hash (kdf_hash.c) ---- */
enum cpk_kdf_impl { CPK_KDF_ENGINE, CPK_KDF_GCRYPT };
/* Chosen once per process: libgcrypt when it passes its self-test
 * against gost-engine, unless CPKIT_KDF_HASH=engine. */
enum cpk_kdf_impl	cpk_kdf_impl_of(enum cpk_hash);
typedef struct cpk_kdf_hasher cpk_kdf_hasher;
cpk_err	cpk_kdf_hasher_new(enum cpk_kdf_impl, enum cpk_hash,
	    cpk_kdf_hasher **);
cpk_err	cpk_kdf_hasher_run(cpk_kdf_hasher *, const unsigned char *, size_t,
	    unsigned char out[32]);
void	cpk_kdf_hasher_free(cpk_kdf_hasher **);
/* cpk_kdf through the given library, whatever the choice (the tests'
 * cross-check). */
cpk_err	cpk_kdf_with(enum cpk_kdf_impl, enum cpk_profile, const char *pw,
	    enum cpk_pwenc, const unsigned char *salt, size_t salt_len,
	    unsigned char out[32]);

/* ---- profiles and curves ---- */
struct cpk_curve {
	const char	*oid;
	const char	*name;
	int		 group;		/* curves with equal group are equal */
	size_t		 len;
	const char	*p, *a, *b, *q, *x, *y;
};
size_t	cpk_profile_kdf_block(enum cpk_profile);
enum cpk_hash	cpk_profile_kdf_hash(enum cpk_profile);
/* (t * m^-1) mod q on LE byte strings; out has curve len bytes. */
cpk_err	cpk_curve_unmask(const cpk_curve *, const unsigned char *t,
	    size_t tlen, const unsigned char *m, size_t mlen,
	    unsigned char *out);
/* (d * m) mod q: the writer's masking. */
cpk_err	cpk_curve_mask(const cpk_curve *, const unsigned char *d,
	    const unsigned char *m, size_t mlen, unsigned char *out);
int	cpk_curve_mask_ok(const cpk_curve *, const unsigned char *m,
	    size_t mlen);

/* ---- certificates from bytes (cert.c, certs.c; media/certfile.c reads
 * the files) ---- */
/* A certificate in DER or PEM as DER: raw is freed, or is *out. */
cpk_err	cpk_cert_to_der(cpk_blob *raw, cpk_blob **out);
/* Adds every certificate in b (its file's name, or NULL) to l. */
cpk_err	cpk_certs_add(cpk_cert_list *, const cpk_blob *b, const char *file);

/* ---- header internals shared by codec files ---- */
cpk_err	cpk_keyparams_decode(const cpk_cur *, cpk_keyparams *);
cpk_err	cpk_keyparams_encode(const cpk_keyparams *, unsigned tag,
	    cpk_blob *);


/* ---- gost-engine key operations (container/gost_engine.c) ---- */
/* Loads gost-engine for GOST keys (after it, OpenSSL's EVP_PKEY and
 * PKCS#12 functions know GOST keys). */
cpk_err	cpk_engine_init(void);
/* gost-engine's legacy digest for a hash, and the engine to pass with it
 * (the CPKDF loop's fast path). */
cpk_err	cpk_engine_md(enum cpk_hash, const EVP_MD **, ENGINE **);
/* A private key from PKCS#8, a public one from its point (LE X || LE Y)
 * as a SubjectPublicKeyInfo; gost-engine's EVP_PKEYs. */
cpk_err	cpk_engine_pkey_private(const cpk_blob *pkcs8, EVP_PKEY **);
cpk_err	cpk_engine_pkey_public(const char *sig_alg, const cpk_curve *,
	    const unsigned char *pub, size_t len, EVP_PKEY **);
cpk_err	cpk_engine_sign_verify(const cpk_blob *pkcs8, const char *sig_alg,
	    const cpk_curve *, const unsigned char *pub, size_t pub_len);
/* What the GOST provider (gost.c) and engine say about themselves, for
 * cpk_version_get(): static strings, NULL when not loaded or not said. */
void	cpk_gost_about(const char **name, const char **version);
const char	*cpk_engine_about(void);

#endif
