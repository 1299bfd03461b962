/*
 * cpkit: GOST primitives, the KDF and MACs, unlocking a container's key
 * (cpk_key). Part of the public API (cpkit.h).
 */
#ifndef CPKIT_KEY_H
#define CPKIT_KEY_H

#include "container.h"

/* ---- GOST primitives (OpenSSL 3 + gost-engine) ---- */
enum cpk_sbox { CPK_SBOX_A, CPK_SBOX_Z };
enum cpk_hash { CPK_H94, CPK_S256, CPK_S512 };

cpk_err	cpk_gost_init(void);		/* loads gostprov; idempotent */
cpk_err	cpk_gost_hash(enum cpk_hash, const unsigned char *, size_t,
	    unsigned char *out);
cpk_err	cpk_gost_ecb(enum cpk_sbox, int encrypt, const unsigned char key[32],
	    const unsigned char *in, size_t len, unsigned char *out);
cpk_err	cpk_gost_mac4(enum cpk_sbox, const unsigned char key[32],
	    const unsigned char *data, size_t len, unsigned char mac[4]);
enum cpk_sbox	cpk_profile_sbox(enum cpk_profile);

/* ---- KDF, MACs, unlock ---- */
/* How a non-ASCII password enters the KDF (FORMATS.md §11.3). */
enum cpk_pwenc { CPK_PW_UTF32LE, CPK_PW_UTF8, CPK_PW_CP1251 };
const char	*cpk_pwenc_name(enum cpk_pwenc);
/* The encodings to try for pw, in FORMATS.md §11.3's order; returns how
 * many. An ASCII password is the same bytes in all three, so it gets one
 * (reported as UTF-8) and costs one KDF, not three. */
size_t	cpk_pw_encodings(const char *pw, enum cpk_pwenc out[3]);
/* How the text of a password file was read (pwtext.c). */
enum cpk_pwtext { CPK_PWT_UTF8, CPK_PWT_UTF8_BOM, CPK_PWT_CP1251 };
const char	*cpk_pwtext_name(enum cpk_pwtext);	/* "cp1251" */
/* A password file's bytes as UTF-8 text in out (NUL-terminated): a UTF-8
 * BOM is dropped; bytes that are not UTF-8 are read as CP1251. Line ends
 * are left to the caller. CPK_E_FORMAT: a NUL byte (UTF-16) or a BOM
 * before bytes that are not UTF-8; CPK_E_TOO_BIG: out is too small;
 * CPK_E_RANGE: not CP1251 either. out is wiped on failure. */
cpk_err	cpk_pw_text(const unsigned char *, size_t, char *out, size_t cap,
	    enum cpk_pwtext *how);

cpk_err	cpk_kdf(enum cpk_profile, const char *pw, enum cpk_pwenc,
	    const unsigned char *salt, size_t salt_len, unsigned char out[32]);
/* Which library computes the profile's KDF hash in this process, for
 * --version: "libgcrypt 1.10.1 GOSTR3411_CP", "gost-engine md_gost94";
 * NULL for CPK_P_NONE. Chosen once, at the first call or KDF
 * (CPKIT_KDF_HASH=engine|gcrypt forces it; cpkit(1)). */
const char	*cpk_kdf_impl_name(enum cpk_profile);
cpk_err	cpk_masks_check_mac(const cpk_masks *, enum cpk_profile);
cpk_err	cpk_header_check_mac(const cpk_header *, enum cpk_profile);
/* The password check value [2] for a password and fingerprint (§13.3). */
cpk_err	cpk_password_mac(enum cpk_profile, const char *pw, enum cpk_pwenc,
	    const unsigned char fp[8], unsigned char mac[4]);
/* Password MAC; call only when the header's password bit is set. */
cpk_err	cpk_password_check(const cpk_container *, const char *pw,
	    enum cpk_pwenc);

typedef struct cpk_key cpk_key;		/* private scalar: wiped on free */

/* Decrypts and unmasks copy 0 (main) or 1 (reserve), proves it by the
 * fingerprint. CPK_E_FINGERPRINT: wrong password or damaged copy. */
cpk_err	cpk_key_unlock(const cpk_container *, int copy, const char *pw,
	    enum cpk_pwenc, cpk_key **);
/* The primary key from whichever copy unlocks, trying each encoding a
 * non-ASCII password may have entered the KDF in. */
cpk_err	cpk_container_unlock(const cpk_container *, const char *pw,
	    cpk_key **);
/* The secondary key of a two-key container (FORMATS.md §16): the [0]
 * element of primary.key, same KEK and mask, described by header [4] and
 * proven by [11]. CPK_E_MISSING when the container has none. */
cpk_err	cpk_key_unlock_secondary(const cpk_container *, int copy,
	    const char *pw, enum cpk_pwenc, cpk_key **);
/* Builds a key from a little-endian scalar (writer, import, tests). */
cpk_err	cpk_key_from_scalar(enum cpk_profile, const cpk_curve *,
	    const char *alg_oid, const unsigned char *d, size_t len,
	    cpk_key **);
void	cpk_key_free(cpk_key **);
const unsigned char	*cpk_key_scalar(const cpk_key *, size_t *len);
/* Public key LE(X) || LE(Y), 2 * curve length bytes. */
const unsigned char	*cpk_key_public(const cpk_key *, size_t *len);
const cpk_curve		*cpk_key_curve(const cpk_key *);
enum cpk_profile	 cpk_key_profile(const cpk_key *);
const char		*cpk_key_alg(const cpk_key *);
/* PKCS#8 PrivateKeyInfo of FORMATS.md §19 (DER, secret). */
cpk_err	cpk_key_pkcs8(const cpk_key *, cpk_blob **);
/* A key from PKCS#8 DER: OCTET STRING (little-endian), INTEGER or bare
 * bytes (§19). CPK_E_UNSUPPORTED: not a GOST key (RSA, ECDSA...). */
cpk_err	cpk_key_from_pkcs8(const unsigned char *, size_t, cpk_key **);
/* PEM: the first block with a label, as DER; and writing one. */
cpk_err	cpk_pem_decode(const cpk_blob *text, const char *label, cpk_blob **);
cpk_err	cpk_pem_encode(const char *label, const cpk_blob *der, cpk_blob *out);
/* PKCS#12 with GOST protection (PBES2 with GOST 28147-89 and HMAC
 * Streebog-512, MAC Streebog-512), readable by openssl pkcs12 -engine gost;
 * and reading one back: the key and its certificate (DER). */
cpk_err	cpk_pfx_export(const cpk_key *, const cpk_blob *cert,
	    const char *pfx_password, cpk_blob **);
cpk_err	cpk_pfx_import(const cpk_blob *pfx, const char *pfx_password,
	    cpk_key **, cpk_blob **cert);
/* Whether the certificate (DER) holds this key: its public key is d*G.
 * CPK_E_CERT when it cannot be parsed, CPK_E_CERT_OTHER_KEY when it
 * holds another key. */
cpk_err	cpk_key_cert_match(const cpk_key *, const cpk_blob *cert);
/* Signs a fresh random message with gost-engine and verifies the
 * signature against the given public key (LE X || LE Y). */
cpk_err	cpk_key_sign_verify(const cpk_key *, const unsigned char *pub,
	    size_t pub_len);

#endif
