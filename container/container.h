/*
 * cpkit container library: the public API of container/.
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

/* One error list: name, stable value, class, text (STYLE.md §3). The
 * texts are English msgids: cpk_err_text() gives them in the user's
 * language. The class says whose the fault is, and so the exit status
 * of every tool (STYLE.md §11): USAGE the command line (2), ENV the
 * machine (3), DATA the media or the key (4). */
#define CPK_ERRORS(X)							\
	X(CPK_OK,		  0, OK, "success")			\
	X(CPK_E_NOMEM,		 -1, ENV, "out of memory")		\
	X(CPK_E_IO,		 -2, ENV, "input/output error")		\
	X(CPK_E_INTERNAL,	 -3, ENV, "internal error")		\
	X(CPK_E_ARG,		 -4, USAGE, "invalid argument")		\
	X(CPK_E_NOT_FOUND,	 -5, DATA, "not found")			\
	X(CPK_E_EXISTS,		 -6, DATA, "already exists")		\
	X(CPK_E_LOOP,		 -7, DATA, "directory loop")		\
	X(CPK_E_NO_PATH,	 -8, USAGE, "no such file or directory") \
	X(CPK_E_TRUNCATED,	-10, DATA, "input ends early")		\
	X(CPK_E_LENGTH,		-11, DATA, "wrong length")		\
	X(CPK_E_TAG,		-12, DATA, "unexpected element")	\
	X(CPK_E_DEPTH,		-13, DATA, "nesting too deep")		\
	X(CPK_E_TOO_BIG,	-14, DATA, "file too large")		\
	X(CPK_E_RANGE,		-15, DATA, "value out of range")	\
	X(CPK_E_FORMAT,		-16, DATA, "malformed structure")	\
	X(CPK_E_UNSUPPORTED,	-17, DATA, "unsupported algorithm or format") \
	X(CPK_E_MAC,		-18, DATA, "integrity code mismatch")	\
	X(CPK_E_FINGERPRINT,	-19, DATA, "public key fingerprint mismatch") \
	X(CPK_E_CERT,		-20, DATA, "certificate cannot be parsed") \
	X(CPK_E_MISSING,	-21, DATA, "required file missing")	\
	X(CPK_E_OLD_FORMAT,	-22, DATA, "old (pre-V2) container format") \
	X(CPK_E_EMPTY,		-23, DATA, "empty file")		\
	X(CPK_E_NO_FOLDER,	-24, USAGE, "its folder does not exist") \
	X(CPK_E_BAD_SID,	-25, USAGE, "not a user SID (expected S-1-5-21-...)") \
	X(CPK_E_BAD_NAME,	-26, USAGE, "a container name the registry cannot hold") \
	X(CPK_E_NOT_EXPORTABLE,	-27, DATA, "the key is marked non-exportable") \
	X(CPK_E_CERT_OTHER_KEY,	 -9, DATA, "the certificate belongs to another key") \
	X(CPK_E_LINK,		-28, DATA, "a symbolic link, not followed") \
	X(CPK_E_NOT_REGULAR,	-29, DATA, "not a regular file")	\
	X(CPK_E_CRYPTO,		-30, ENV, "cryptographic library failure") \
	X(CPK_E_NO_GOST,	-31, ENV, "GOST support (gost-engine) not available") \
	X(CPK_E_NO_SPACE,	-32, ENV, "no space left on device")	\
	X(CPK_E_NO_PCSCD,	-40, ENV, "the PC/SC service (pcscd) is not running") \
	X(CPK_E_NO_READER,	-41, ENV, "no smart-card reader or token found") \
	X(CPK_E_NO_CARD,	-42, ENV, "no token in the reader")	\
	X(CPK_E_CARD_REMOVED,	-43, ENV, "the token was removed or reset during the operation") \
	X(CPK_E_CARD_BUSY,	-44, ENV, "the token is busy (another program is using it)") \
	X(CPK_E_PCSC,		-45, ENV, "PC/SC failure")		\
	X(CPK_E_SEVERAL_TOKENS,	-46, USAGE, "several readers hold a token; name one, e.g. pcsc:\"<reader name>\" (cpkit-token list shows them)") \
	X(CPK_E_READER_AMBIGUOUS, -47, USAGE, "the reader name matches several readers; give more of it (cpkit-token list shows them)") \
	X(CPK_E_NO_SUCH_READER,	-48, ENV, "no reader has that name")	\
	X(CPK_E_BAD_PASSWORD,	-50, DATA, "wrong password")		\
	X(CPK_E_NO_PASSWORD,	-51, USAGE, "no password given")	\
	X(CPK_E_NO_PIN,		-52, USAGE, "no PIN given")		\
	X(CPK_E_CARD,		-60, DATA, "the token answered with an unexpected status") \
	X(CPK_E_PIN_WRONG,	-61, DATA, "wrong PIN")			\
	X(CPK_E_PIN_BLOCKED,	-62, DATA, "the PIN is blocked")	\
	X(CPK_E_PIN_LOW,	-63, DATA, "too few PIN tries left to risk one") \
	X(CPK_E_PIN_UNKNOWN,	-64, DATA, "the PIN tries left cannot be read safely on this token") \
	X(CPK_E_PIN_NEEDED,	-65, DATA, "protected by the token's user PIN") \
	X(CPK_E_DENIED,		-66, DATA, "the token does not allow this operation")

typedef enum cpk_err {
#define X(name, val, class, text) name = val,
	CPK_ERRORS(X)
#undef X
} cpk_err;

const char	*cpk_err_name(cpk_err);	/* "CPK_E_MAC": stable */
const char	*cpk_err_text(cpk_err);	/* for people (gettext) */
enum cpk_err_class {
	CPK_ERRCLASS_OK,	/* CPK_OK */
	CPK_ERRCLASS_USAGE,	/* what the command line asked for is wrong */
	CPK_ERRCLASS_ENV,	/* the machine: memory, disk, engine, PC/SC */
	CPK_ERRCLASS_DATA	/* the media, the container, the password */
};
/* The class column of the list; DATA for a value not in it. */
enum cpk_err_class cpk_err_class(cpk_err);
/* An errno as a cpk_err: ENOSPC and EDQUOT are CPK_E_NO_SPACE (exit 3,
 * "no space left on device"), not an I/O error; unknown ones CPK_E_IO. */
cpk_err		 cpk_err_from_errno(int);

/* Optional log sink: the tools set it, the library never prints. */
typedef void	(*cpk_log_fn)(int level, const char *func, const char *msg);
void		 cpk_log_set(cpk_log_fn);

/* ---- display: names from media shown to people (container/display.c) ----
 * Any bytes in, text out that is safe for a terminal, report.txt and
 * report.html: valid printable UTF-8 passes; C0 controls (TAB, LF, CR
 * too) and DEL show as \xNN, C1 controls, bidi controls and marks
 * (U+061C, U+200E/F, U+202A-E, U+2066-9) and the line/paragraph
 * separators U+2028/9 as \uNNNN, a byte that is not UTF-8 as \xNN; a
 * run of backslashes is doubled only before x, u or an escape (so
 * \\.\FLASH\ stays readable; the reading rule is in display.c).
 * Nothing allocates; every output is bounded by the caller's cap. */
#define CPK_DISPLAY_UNIT	8	/* bytes of one unit, at most */
#define CPK_DISPLAY_CAP		4096	/* one slot of a ring */
#define CPK_DISPLAY_SLOTS	12
/* Strict UTF-8 (RFC 3629): the length of the sequence at p (1-4) and its
 * code point, 0 when p[0] starts no valid sequence within left bytes. */
size_t	cpk_utf8_decode(const unsigned char *p, size_t left, uint32_t *cp);
/* 1 for a code point the display form escapes. */
int	cpk_display_is_control(uint32_t cp);
/* The display form of the first character (or bad byte) of s[0..left):
 * writes at most CPK_DISPLAY_UNIT bytes to out, no NUL; returns their
 * count and sets *used to the input bytes taken (0 only when left is 0). */
size_t	cpk_display_unit(const char *s, size_t left, char *out, size_t *used);
/* The display form of s[0..len) into out, NUL-terminated; when it does
 * not fit in cap, whole units and then "...". Returns the length the
 * whole form needs (like snprintf): out was cut when it is >= cap. */
size_t	cpk_display_text(const char *s, size_t len, char *out, size_t cap);
/* Printf-friendly: the display form of s (NULL: "") in the ring's next
 * slot, valid until CPK_DISPLAY_SLOTS more calls on the same ring. The
 * caller owns the ring (a local or a static one per program). */
typedef struct cpk_display_ring {
	char		slot[CPK_DISPLAY_SLOTS][CPK_DISPLAY_CAP];
	unsigned	next;
} cpk_display_ring;
const char	*cpk_display(cpk_display_ring *, const char *s);
/* One unit of a JSON string's content (RFC 8259 §7): ", \ and every
 * character cpk_display_is_control() names as \uNNNN (C0 as \u00NN,
 * DEL \u007f, C1, bidi), a byte that is not UTF-8 as \ufffd; other
 * characters exact. Same contract as cpk_display_unit(). */
size_t	cpk_display_json_unit(const char *s, size_t left, char *out,
	    size_t *used);
/* CSV field for machine CSV (cpkit-list --csv, RFC 4180): quoted, a quote
 * doubled, every other byte exact. Returns the length needed; when it is
 * >= cap, out is "" (nothing is cut from a machine value). */
size_t	cpk_display_csv_field(const char *s, char *out, size_t cap);
/* Spreadsheet CSV cell: the display form, quoted as above, with a
 * leading ' when the value starts with =, +, -, @, TAB or CR (a formula
 * to Excel or LibreOffice). Same return as cpk_display_csv_field(). */
size_t	cpk_display_csv_cell(const char *s, char *out, size_t cap);

/* ---- blobs: bytes + length, wiped on free (STYLE.md §5) ---- */
typedef struct cpk_blob {
	unsigned char	*ptr;
	size_t		 len;
	size_t		 cap;		/* allocated; appends double it */
} cpk_blob;

cpk_err	cpk_blob_new(const void *data, size_t len, cpk_blob **out);
cpk_err	cpk_blob_append(cpk_blob *, const void *data, size_t len);
void	cpk_blob_reset(cpk_blob *);
void	cpk_blob_free(cpk_blob **);
int	cpk_blob_eq(const cpk_blob *, const cpk_blob *);

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

typedef struct cpk_container {
	cpk_header	*header;
	cpk_masks	*masks[2];	/* [0] masks.key, [1] masks2.key */
	cpk_primary	*primary[2];
	char		*name;		/* UTF-8, NULL when name.key is bad */
	cpk_blob	*name_raw;	/* name.key as stored: never rewritten */
	const char	*name_enc;
	cpk_err		 err[CPK_F_COUNT];	/* decode result per file */
	cpk_where	 where[CPK_F_COUNT];	/* where a failed one stopped */
	enum cpk_profile profile;
	const cpk_curve	*curve;
} cpk_container;

cpk_err	cpk_container_decode(const cpk_files *, cpk_container **);
void	cpk_container_free(cpk_container **);
/* Re-encodes every parsed file; bytes equal the input for DER input.
 * name.key is carried over as stored (FORMATS.md §3.2). */
cpk_err	cpk_container_encode(const cpk_container *, cpk_files **);

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

/* ---- media: folders (ARCHITECTURE.md cpk_media) ---- */
/* Whose a container is where it was found (REGISTRY.md §1): a user's
 * (Settings\Users\<SID>\Keys), the machine's (Settings\Keys), or nobody's
 * in particular (folders, tokens). A .reg export keeps it (§4.1). */
enum cpk_scope { CPK_SCOPE_NONE, CPK_SCOPE_USER, CPK_SCOPE_MACHINE };

typedef struct cpk_ref {
	char	*fqcn;		/* \\.\FLASH\name, \\.\REGISTRY\name */
	char	*location;	/* folder, or FILE:KEY for registry media */
	char	*name;		/* from name.key, else folder or key name */
	char	*media;		/* "FLASH", "HDIMAGE", "REGISTRY" */
	char	*sid;		/* user SID of a registry container, or NULL */
	char	*user;		/* that SID's user, from a hive's ProfileList */
	enum cpk_scope scope;	/* USER: sid is set (maybe not a valid SID) */
} cpk_ref;

typedef struct cpk_media cpk_media;
cpk_err	cpk_media_open(const char *uri, cpk_media **);
/* Media that may need a secret: tokens (pcsc: and pcsc:<reader> URIs,
 * TOKENS.md). The PIN is sent at most once, to one token, and only
 * under the rules of cpk_token_verify(); the result comes back here. */
typedef struct cpk_media_opts {
	const char	*pin;		/* the token's user PIN, or NULL */
	size_t		 pin_len;
	unsigned	 min_tries;	/* 0: CPK_MIN_TRIES_DEFAULT (3) */
	int		 pin_utf8;	/* pin is UTF-8 bytes, not ASCII: only
					 * for a model that takes them
					 * (CPK_E_UNSUPPORTED, nothing sent) */
	/* out */
	cpk_err		 pin_result;	/* why the PIN was refused or not sent */
	int		 pin_sent;
	int		 tries_known;	/* after a refusal or a wrong PIN */
	unsigned	 tries;
	cpk_where	 where;		/* a token that failed: where (op
					 * NULL when none) */
} cpk_media_opts;
cpk_err	cpk_media_open_opts(const char *uri, cpk_media_opts *, cpk_media **);
/* Next container; CPK_E_NOT_FOUND at the end. The ref is the media's. */
cpk_err	cpk_media_next(cpk_media *, const cpk_ref **);
/* The container's files. Several threads may load different refs of one
 * open media at once (the media is only read); a backend that talks to a
 * device must keep that true. */
cpk_err	cpk_media_load(cpk_media *, const cpk_ref *, cpk_files **);
/* The same, but a media that holds the files in memory (.reg, hive,
 * token) hands over its own copy instead of duplicating it: for a caller
 * that loads each ref once (a scan of 100,000 .reg keys would otherwise
 * hold every file twice). A ref taken once cannot be loaded again
 * (CPK_E_NOT_FOUND). Threads may take different refs at once. */
cpk_err	cpk_media_take(cpk_media *, const cpk_ref *, cpk_files **);
/* Problems met while walking (unreadable dirs, loops, bad .reg lines),
 * one per call. */
const char	*cpk_media_warning(cpk_media *, size_t i);
/* What cpkit itself left beside containers (recovery/replace.c): hidden
 * staging folders of a write or repair in progress or killed, and the
 * backup archives of cpkit-fix --in-place, which hold a copy of a key.
 * The walk does not enter the first and reports both. */
#define CPK_STAGING_PREFIX	".cpkit-staging-"
#define CPK_STAGING_MARKER	".cpkit-staging"	/* the file inside */
#define CPK_BACKUP_TAG		".cpkit-backup-"
enum cpk_leftover { CPK_LEFT_BACKUP, CPK_LEFT_STAGING };
/* The i-th such path met by the walk, or NULL past the last. */
const char	*cpk_media_leftover(cpk_media *, size_t i, enum cpk_leftover *);

/* The i-th limit that cut the search short, as a message naming the
 * place and the limit, or NULL: a media with one was not searched
 * completely. */
const char	*cpk_media_limit(const cpk_media *, size_t i);
void	cpk_media_close(cpk_media **);

/* ---- .reg files (REGISTRY.md §3) ---- */
typedef struct cpk_reg_entry {
	const char	*name;		/* the container (key) name, UTF-8 */
	const cpk_files	*files;
	const char	*sid;		/* its user; NULL: the opts' sid */
} cpk_reg_entry;
typedef struct cpk_reg_opts {
	const char	*sid;		/* user SID, or NULL: machine store */
	int		 wow64;		/* under SOFTWARE\WOW6432Node */
	int		 regedit4;	/* REGEDIT4 in CP1251, else 5.00 UTF-16 */
} cpk_reg_opts;
/* A .reg file byte-compatible with regedit's export; each entry under its
 * own SID, else the opts' SID, else the machine's Settings\Keys.
 * CPK_E_RANGE: a name has no CP1251 form (REGEDIT4); CPK_E_ARG: a bad SID
 * or a name cpk_reg_name_ok() refuses; CPK_E_EXISTS: two entries would
 * share one key (cpk_reg_find_duplicate). */
cpk_err	cpk_reg_export(const cpk_reg_entry *, size_t, const cpk_reg_opts *,
	    cpk_blob **);
/* 1 when name can be a key name on a .reg line: UTF-8, not empty, no '\',
 * no ']', no control character (C0, DEL, C1) and no U+2028/U+2029. */
int	cpk_reg_name_ok(const char *name);
/* 1 when s is S-1- followed by decimal numbers joined by single dashes. */
int	cpk_reg_sid_ok(const char *s);
/* 1 when two key names are one key to the registry (case-insensitive). */
int	cpk_reg_name_same(const char *a, const char *b);
/* The first pair of entries that would share a key path (same user or
 * both machine, same name): CPK_E_EXISTS and their indexes, first <
 * second; CPK_OK when every key path is its own. */
cpk_err	cpk_reg_find_duplicate(const cpk_reg_entry *, size_t,
	    const cpk_reg_opts *, size_t *first, size_t *second);
/* The same .reg for another user: the SID after Settings\Users\ in every
 * key line replaced, everything else byte for byte. */
cpk_err	cpk_reg_rewrite_sid(const unsigned char *, size_t, const char *sid,
	    cpk_blob **, size_t *count);

/* 1 when the file's content is a .reg export (not by its name). */
int	cpk_path_is_reg(const char *path);

/* ---- files on disk ---- */
/* A file from a medium, at most cap bytes: a symbolic link is not followed
 * (CPK_E_LINK), a FIFO, device or socket not opened for reading
 * (CPK_E_NOT_REGULAR), so a medium cannot make cpkit read a local file. */
cpk_err	cpk_file_read(const char *path, size_t cap, cpk_blob **);
/* The same for a path the user typed (--cert F, a wordlist, an input
 * file): a link there is the user's choice and is followed. */
cpk_err	cpk_file_read_given(const char *path, size_t cap, cpk_blob **);
cpk_err	cpk_file_write_atomic(const char *path, const cpk_blob *, int mode);
/* 1 when both paths exist and are the same file (device and inode): an
 * output must never overwrite an input. */
int	cpk_path_same_file(const char *a, const char *b);
/* fsync() of a directory, so that entries made or renamed in it last. */
cpk_err	cpk_dir_sync(const char *dir);

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

#endif
