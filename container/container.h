/*
 * cpkit container library: the six files, their codec, certificates,
 * time and versions (container/). The errors, blobs, display, keys and
 * media have headers of their own; cpkit.h includes them all.
 *
 * Data flows one way (ARCHITECTURE.md): media -> cpk_files (six raw blobs)
 * -> cpk_container (parsed) -> cpk_key (unlocked). The library never prints,
 * exits or prompts; every fallible call returns a cpk_err (0 or negative).
 */
#ifndef CPKIT_CONTAINER_H
#define CPKIT_CONTAINER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "err.h"
#include "blob.h"
#include "display.h"

/* the unlocked key (key.h), named here for the writer and certificates */
typedef struct cpk_key cpk_key;

/* ---- the six files ---- */
enum cpk_file_id {
	CPK_F_HEADER, CPK_F_NAME, CPK_F_MASKS, CPK_F_PRIMARY,
	CPK_F_MASKS2, CPK_F_PRIMARY2, CPK_F_COUNT
};

#define CPK_FILE_MAX	(64u * 1024u)	/* FORMATS.md §2.1: refuse larger */

typedef struct cpk_files {
	cpk_blob	*f[CPK_F_COUNT];	/* NULL: absent or unreadable */
	cpk_err		 err[CPK_F_COUNT];	/* why a file is NULL */
	uint64_t	 size[CPK_F_COUNT];	/* size on the medium */
	char		*link[CPK_F_COUNT];	/* CPK_E_LINK: where it points */
} cpk_files;

const char	*cpk_file_name(enum cpk_file_id);	/* "header.key" */
cpk_err	cpk_files_new(cpk_files **);
void	cpk_files_free(cpk_files **);
/* Reads the six files of a folder; missing ones stay NULL. A symbolic
 * link in place of a file is never read: CPK_E_LINK, its target in link[]. */
cpk_err	cpk_files_read_dir(const char *dir, cpk_files **);
/* Writes the present files into dir (created 0700), each atomically. */
cpk_err	cpk_files_write_dir(const cpk_files *, const char *dir);

/* ---- algorithms ---- */
enum cpk_profile { CPK_P_NONE, CPK_P_2001, CPK_P_2012_256, CPK_P_2012_512 };

typedef struct cpk_curve cpk_curve;		/* opaque, static table */

const char		*cpk_profile_name(enum cpk_profile);	/* gost2001 */
enum cpk_profile	 cpk_profile_by_name(const char *);	/* or NONE */
/* Key algorithm OID of a profile for an exchange or a signature key, and
 * the digest parameter set CryptoPro writes with it. */
const char		*cpk_profile_key_oid(enum cpk_profile, int exchange);
const char		*cpk_profile_digest_oid(enum cpk_profile);
enum cpk_profile	 cpk_profile_by_oid(const char *key_oid);
size_t			 cpk_profile_key_len(enum cpk_profile);
const cpk_curve		*cpk_curve_by_oid(const char *oid);
const char		*cpk_curve_name(const cpk_curve *);
const char		*cpk_curve_oid(const cpk_curve *);
size_t			 cpk_curve_len(const cpk_curve *);	/* 32 or 64 */
int			 cpk_curve_same(const cpk_curve *, const cpk_curve *);
size_t			 cpk_curve_count(void);
const cpk_curve		*cpk_curve_at(size_t);
/* Q = d*P; d, x and y little-endian, cpk_curve_len() bytes each. */
cpk_err	cpk_curve_mul_base(const cpk_curve *, const unsigned char *d,
	    unsigned char *x, unsigned char *y);
/* 1 when 0 < d < q. */
int	cpk_curve_scalar_ok(const cpk_curve *, const unsigned char *d);
/* Signature OID for a key OID (DH OIDs map to signature ones), or NULL. */
const char	*cpk_oid_signature_alg(const char *key_oid);

/* ---- parsed container ---- */
typedef struct cpk_keyparams {
	unsigned	 attrs;		/* bit n of §8.3 is (1u << n) */
	char		 alg[48];	/* key algorithm OID, dotted */
	char		 curve[48];	/* publicKeyParamSet */
	char		 digest[48];	/* digestParamSet, "" when absent */
	char		 cipher[48];	/* encryptionParamSet, "" when absent */
} cpk_keyparams;

#define CPK_KA_EXPORTABLE	(1u << 0)
#define CPK_KA_EXCHANGE		(1u << 2)
#define CPK_CA_PASSWORD		(1u << 0)
#define CPK_CA_RESERVE		(1u << 1)

typedef struct cpk_header cpk_header;
typedef struct cpk_masks {
	cpk_blob	*mask;
	cpk_blob	*salt;		/* randomStatus */
	unsigned char	 mac[4];
	size_t		 trailing;	/* bytes after the root element */
} cpk_masks;
typedef struct cpk_primary {
	cpk_blob	*key;
	cpk_blob	*secondary;	/* [0] secondaryKey, or NULL */
	cpk_blob	*old_mac;	/* pre-V2 hmacKey, or NULL */
	size_t		 trailing;
} cpk_primary;

/* header.key (FORMATS.md §6). Accessors read the decoded fields. */
cpk_err	cpk_header_decode(const unsigned char *, size_t, cpk_header **);
cpk_err	cpk_header_encode(const cpk_header *, cpk_blob **);
void	cpk_header_free(cpk_header **);
const char		*cpk_header_version_oid(const cpk_header *);
unsigned		 cpk_header_attrs(const cpk_header *);
const cpk_keyparams	*cpk_header_params(const cpk_header *, int secondary);
const cpk_blob		*cpk_header_cert(const cpk_header *, int secondary);
/* 8-byte fingerprint, NULL when absent. */
const unsigned char	*cpk_header_fp(const cpk_header *, int secondary);
/* 4-byte password MAC, NULL when absent. */
const unsigned char	*cpk_header_pw_mac(const cpk_header *);
const unsigned char	*cpk_header_mac(const cpk_header *);
/* The keyContainerContent TLV as stored: the header MAC input. */
const cpk_blob		*cpk_header_content(const cpk_header *);
/* Key validity from extension .37.3.5/.9/.10; 0 when absent. */
int	cpk_header_key_validity(const cpk_header *, time_t *not_before,
	    time_t *not_after);
/* How a key validity time was written (notBefore: 0, notAfter: 1). */
#define CPK_GT_BER	(1u << 0)	/* a form DER does not allow */
#define CPK_GT_LOCAL	(1u << 1)	/* no 'Z' and no offset: read as UTC */
#define CPK_GT_OFFSET	(1u << 2)	/* local time with an offset, applied */
unsigned cpk_header_key_validity_form(const cpk_header *, int not_after);
/* Optional fields and extensions that did not parse (FORMATS.md §2.1):
 * the header is still read, their bytes kept as stored. The name is the
 * ASN.1 field name, for an extension "extension OID" (or "#n"). */
size_t	cpk_header_unreadable_count(const cpk_header *);
const char *cpk_header_unreadable(const cpk_header *, size_t, cpk_err *why);
int	cpk_header_is_old(const cpk_header *);	/* pre-V2 markers seen */
size_t	cpk_header_trailing(const cpk_header *);
int	cpk_header_is_ber(const cpk_header *);	/* indefinite lengths */
/* Edits: replace (NULL: remove) a certificate, replace key parameters;
 * then cpk_header_update_mac recomputes the MAC. */
cpk_err	cpk_header_set_cert(cpk_header *, int secondary, const cpk_blob *);
cpk_err	cpk_header_set_params(cpk_header *, int secondary,
	    const cpk_keyparams *);
cpk_err	cpk_header_update_mac(cpk_header *, enum cpk_profile);
/* Sets the password check value [2] and bit 0, or clears both (NULL). */
cpk_err	cpk_header_set_password(cpk_header *, const unsigned char *pw_mac);

/* A new V2 header from typed fields, shaped like CryptoPro's (§18). */
typedef struct cpk_header_fields {
	unsigned	 attrs;		/* container attributes, §8.2 */
	cpk_keyparams	 params;
	const unsigned char *pw_mac;	/* 4 bytes or NULL */
	const cpk_blob	*cert;
	const unsigned char *fp;	/* 8 bytes */
	time_t		 key_not_after;	/* 0: no validity extension */
	cpk_keyparams	 params2;	/* secondary key, when fp2 is set */
	const cpk_blob	*cert2;
	const unsigned char *fp2;
} cpk_header_fields;
cpk_err	cpk_header_build(const cpk_header_fields *, enum cpk_profile,
	    cpk_blob **);
cpk_err	cpk_masks_decode(const unsigned char *, size_t, cpk_masks **);
cpk_err	cpk_masks_encode(const cpk_masks *, cpk_blob **);
void	cpk_masks_free(cpk_masks **);
cpk_err	cpk_primary_decode(const unsigned char *, size_t, cpk_primary **);
cpk_err	cpk_primary_encode(const cpk_primary *, cpk_blob **);
void	cpk_primary_free(cpk_primary **);
/* name.key: name converted to UTF-8; *enc is "ascii", "utf-8", "cp1251". */
cpk_err	cpk_name_decode(const unsigned char *, size_t, char **name,
	    const char **enc);
cpk_err	cpk_name_encode(const char *utf8, cpk_blob **);

/* The whole container: whatever parsed, plus per-file errors. */
/* Where decoding a file stopped: the ASN.1 field (a dotted path, outer
 * first) and the byte at which the bad element starts, each when known.
 * A token failure fills the second part instead (cpk_token_where): the
 * command, the file it was about, the card's status word or the PC/SC
 * code of a transmit that failed. */
#define CPK_WHERE_FIELD_MAX	96
#define CPK_WHERE_PATH_MAX	48
typedef struct cpk_where {
	char		 field[CPK_WHERE_FIELD_MAX];
	size_t		 offset;
	int		 has_offset;
	const char	*op;		/* "SELECT", "READ BINARY"...; NULL */
	char		 path[CPK_WHERE_PATH_MAX];	/* "1000/1003/0A00" */
	unsigned	 sw;		/* when has_sw */
	int		 has_sw;
	unsigned long	 pcsc;		/* SCARD_E_... when has_pcsc */
	int		 has_pcsc;
} cpk_where;
/* cpk_where_text() in tokens.h renders it. */

/* A decoded container: what each of its files holds, or why it could not
 * be read. Opaque; read it through the accessors below. */
typedef struct cpk_container cpk_container;

cpk_err	cpk_container_decode(const cpk_files *, cpk_container **);
void	cpk_container_free(cpk_container **);
/* Re-encodes every parsed file; bytes equal the input for DER input.
 * name.key is carried over as stored (FORMATS.md §3.2). */
cpk_err	cpk_container_encode(const cpk_container *, cpk_files **);

/* header.key decoded, or NULL when it is missing or bad. */
const cpk_header	*cpk_container_header(const cpk_container *);
/* masks.key (copy 0) or masks2.key (copy 1), NULL when missing or bad. */
const cpk_masks		*cpk_container_masks(const cpk_container *,
			    int copy);
const cpk_primary	*cpk_container_primary(const cpk_container *,
			    int copy);
/* The name in UTF-8, NULL when name.key is bad; the bytes as stored, and
 * the encoding they were read in ("utf-8", "cp1251"...). */
const char		*cpk_container_name(const cpk_container *);
const cpk_blob		*cpk_container_name_raw(const cpk_container *);
const char		*cpk_container_name_enc(const cpk_container *);
/* How decoding one file ended (CPK_OK, CPK_E_MISSING...), and where a
 * failed one stopped. */
cpk_err			 cpk_container_file_err(const cpk_container *,
			    enum cpk_file_id);
const cpk_where		*cpk_container_file_where(const cpk_container *,
			    enum cpk_file_id);
enum cpk_profile	 cpk_container_profile(const cpk_container *);
const cpk_curve		*cpk_container_curve(const cpk_container *);

/* ---- certificates ---- */
typedef struct cpk_cert_info {
	char		 subject[512];	/* RFC 2253, UTF-8 */
	char		 issuer[512];
	char		 serial[80];	/* hex */
	time_t		 not_before, not_after;
	char		 alg[48];	/* SPKI algorithm OID */
	char		 curve[48];	/* SPKI publicKeyParamSet, or "" */
	char		 digest[48];	/* SPKI digestParamSet, or "" */
	unsigned char	 pub[128];	/* LE X || LE Y */
	size_t		 pub_len;
	time_t		 pkup_not_after; /* PrivateKeyUsagePeriod, or 0 */
	int		 exchange_hint;	/* keyUsage allows key exchange */
} cpk_cert_info;

/* Certificates found in a file or folder: DER, PEM (one or many, other
 * PEM blocks such as a private key skipped) or PKCS#7 bundles (DER or
 * PEM), each as DER bytes, each certificate once. A folder is read in
 * name order. file[i] is the file v[i] came from (NULL from bytes, or
 * file itself NULL for a list built by hand). */
typedef struct cpk_cert_list {
	cpk_blob	**v;
	size_t		 n;
	char		**file;
} cpk_cert_list;
cpk_err	cpk_certs_load(const char *path, cpk_cert_list *);
/* The same for bytes already in memory (appends to the list). */
cpk_err	cpk_certs_from_bytes(const unsigned char *, size_t, cpk_cert_list *);
void	cpk_certs_clear(cpk_cert_list *);

cpk_err	cpk_cert_parse(const unsigned char *der, size_t len, cpk_cert_info *);

/* ---- time of verdicts (container/now.c) ---- */
/* "Now" for every verdict: CPKIT_NOW (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[Z],
 * UTC; tests only) when set, else the clock. cpk_now_check says whether
 * a CPKIT_NOW that is set is well formed (CPK_E_FORMAT when not). */
time_t	cpk_now(void);
/* Seconds on the monotonic clock, for rates and progress intervals. */
double	cpk_mono(void);
cpk_err	cpk_now_check(void);
cpk_err	cpk_time_parse_iso(const char *, time_t *);
/* t + n calendar months in UTC; a missing day becomes the month's last. */
time_t	cpk_add_months(time_t, int n);
/* The private key usage period CryptoPro applies to a GOST 2012 key
 * (FORMATS.md §6.5): the certificate's PrivateKeyUsagePeriod notAfter when
 * it has one, else its notBefore + 15 months. */
#define CPK_KEY_MONTHS	15
enum cpk_key_src { CPK_KEY_SRC_HEADER, CPK_KEY_SRC_PKUP, CPK_KEY_SRC_15M };
time_t	cpk_cert_key_end(const cpk_cert_info *, enum cpk_key_src *);
/* The end cpkit writes when it creates a header's key validity: the
 * PrivateKeyUsagePeriod, else notBefore + 15 months capped at notAfter. */
time_t	cpk_cert_key_end_to_write(const cpk_cert_info *);
/* Reads a DER or PEM certificate file into DER bytes. */
cpk_err	cpk_cert_read_file(const char *path, cpk_blob **der);

/* ---- writer ---- */
typedef struct cpk_new_container {
	const char	*name;		/* UTF-8; stored as CP1251 */
	const cpk_key	*key;
	const cpk_blob	*cert;		/* DER or NULL */
	const char	*password;	/* NULL or "" for none */
	int		 exportable;
	int		 exchange;	/* key role: exchange or signature */
	/* 0: from the certificate (cpk_cert_key_end_to_write), none without
	 * one; CPK_NO_KEY_VALIDITY: none */
	time_t		 key_not_after;
	int		 reserve;	/* write primary2/masks2 */
	const cpk_key	*key2;		/* secondary key (§16), or NULL */
	const cpk_blob	*cert2;		/* its certificate, or NULL */
} cpk_new_container;

#define CPK_NO_KEY_VALIDITY	((time_t)-1)
cpk_err	cpk_container_create(const cpk_new_container *, cpk_files **);
/* The same container under a new password (§18): fresh mask and salt for
 * each copy it has, the password check value and bit 0 set or cleared, the
 * header MAC recomputed; name.key and everything else in the header kept.
 * key2 is the secondary key of a two-key container, else NULL. */
cpk_err	cpk_container_rekey(const cpk_container *, const cpk_key *key,
	    const cpk_key *key2, const char *new_password, cpk_files **);

/* ---- versions (container/version.c): cpkit --version ----
 * cpkit's version and each library's, for --version in any binary and for
 * bug reports. Every string is static (the library's own, or compiled in);
 * nothing to free. */
#define CPK_JSON_SCHEMA_VERSION	"cpkit.version/1"
#define CPK_VERSION_LIBS	8
typedef struct cpk_version_lib {
	const char	*id;		/* JSON key: "openssl", "gost-engine" */
	const char	*label;		/* for people: "OpenSSL" */
	const char	*version;	/* "3.0.19"; NULL: the library does
					 * not say */
	const char	*detail;	/* its own longer text, or NULL */
	int		 build_time;	/* no run-time call: the version
					 * built against (pkg-config) */
	int		 missing;	/* could not be loaded */
} cpk_version_lib;
typedef struct cpk_version_info {
	const char	*cpkit;		/* the Makefile's VERSION */
	cpk_version_lib	 lib[CPK_VERSION_LIBS];
	size_t		 n;
} cpk_version_info;
/* Fills v; never fails: a library that cannot be loaded (the GOST
 * provider or engine) is marked missing. Loads both to ask them. */
void	cpk_version_get(cpk_version_info *v);

#include "key.h"

#endif
