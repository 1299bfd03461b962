/* Internal declarations of container/: never included by tools/. */
#ifndef CPKIT_CONTAINER_INTERNAL_H
#define CPKIT_CONTAINER_INTERNAL_H

#include <sys/types.h>

#include <openssl/types.h>

#include "container.h"
#include "i18n.h"

void	cpk_log(int level, const char *func, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
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

/* ---- header internals shared by codec files ---- */
cpk_err	cpk_keyparams_decode(const cpk_cur *, cpk_keyparams *);
cpk_err	cpk_keyparams_encode(const cpk_keyparams *, unsigned tag,
	    cpk_blob *);


/* "HDIMAGE" or "FLASH" for a container folder's real path. */
const char	*cpk_media_kind(const char *real_path);

/* ---- media core (media.c) and its backends ---- */
struct media_visited {
	dev_t	dev;
	ino_t	ino;
	int	used;
};

typedef struct media_item {
	cpk_ref		 ref;
	cpk_files	*files;		/* loaded by the backend, or NULL:
					 * read ref.location as a folder */
	int		 taken;		/* files given away: cpk_media_take */
} media_item;

struct cpk_media {
	media_item	*items;
	size_t		 n, cap, next;
	char		**warn;
	size_t		 nwarn;
	struct media_visited *seen;
	size_t		 nseen, seen_cap;
	char		*root, *root_real;	/* the walk's start, resolved */
	struct media_left {			/* cpk_media_leftover() */
		char		 *path;
		enum cpk_leftover kind;
	} *left;
	size_t		 nleft;

	char		*given;		/* a named .reg/hive link, resolved */
	char		*cut[3];	/* the first cut of each media_limit */
	unsigned	 cut_kinds;
};

/* Adds a container; strings are copied (sid and user may be NULL), files
 * (may be NULL) is taken. */
cpk_err	cpk_media_add(cpk_media *, const char *fqcn, const char *location,
	    const char *name, const char *media, const char *sid,
	    const char *user, cpk_files *files);
void	cpk_media_warn(cpk_media *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* A limit cut the search short (folders, depth, path length): warned at
 * each place, and the first of each kind kept, so the scan is reported
 * incomplete (cpk_media_limit). */
enum media_limit { ML_DIRS, ML_DEPTH, ML_PATH };
void	cpk_media_cut(cpk_media *, enum media_limit, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* What a regular file holds, from its first bytes. */
enum media_file { MF_OTHER, MF_REG, MF_HIVE };
enum media_file	cpk_media_sniff(const char *path);
/* .reg text in any of its encodings, as NUL-terminated UTF-8. */
enum cpk_rtenc { CPK_RT_UTF16LE, CPK_RT_UTF8_BOM, CPK_RT_UTF8, CPK_RT_CP1251,
	CPK_RT_UTF16LE_NOBOM, CPK_RT_UTF16BE, CPK_RT_UTF16BE_NOBOM };
/* forms an editor left (regtext.c): read, and warned about */
#define CPK_RTO_NOBOM	(1u << 0)	/* UTF-16 without a byte order mark */
#define CPK_RTO_UTF16BE	(1u << 1)	/* big-endian UTF-16 */
#define CPK_RTO_CRCR	(1u << 2)	/* lines ending in CR CR LF */
typedef struct cpk_regtext {
	cpk_blob	*text;		/* UTF-8 plus a NUL */
	enum cpk_rtenc	 enc;
	unsigned	 odd;		/* CPK_RTO_* */
	size_t		 crcr;		/* lines that ended in CR CR LF */
} cpk_regtext;
cpk_err	cpk_regtext_decode(const unsigned char *, size_t, cpk_regtext *,
	    size_t *bad_line);
cpk_err	cpk_regtext_encode(const char *utf8, size_t len, enum cpk_rtenc,
	    cpk_blob **);
void	cpk_regtext_free(cpk_regtext *);

/* Strings, compared without ASCII case, to indexes (strmap.c): the keys
 * are the caller's strings, which must outlive the map. */
struct cpk_strmap_slot {
	const char	*key;		/* NULL: empty */
	uint64_t	 hash;
	size_t		 val;
};
typedef struct cpk_strmap {
	struct cpk_strmap_slot	*slot;
	size_t			 cap;	/* a power of two, or 0 */
	size_t			 n;
	unsigned char		 key[16];	/* SipHash key, random */
} cpk_strmap;
uint64_t cpk_siphash(const unsigned char key[16], const void *, size_t,
	    int fold_case);
cpk_err	cpk_strmap_init(cpk_strmap *);
/* h is cpk_strmap_hash() of the string, computed once for get and put */
uint64_t cpk_strmap_hash(const cpk_strmap *, const char *);
int	cpk_strmap_get(const cpk_strmap *, const char *, uint64_t h,
	    size_t *val);
cpk_err	cpk_strmap_put(cpk_strmap *, const char *, uint64_t h, size_t val);
void	cpk_strmap_free(cpk_strmap *);

/* A parsed .reg file: its containers and what was wrong on the way. */
typedef struct cpk_regcont {
	char		*path;		/* key path as written */
	char		*name;		/* the key's last component */
	char		*sid;		/* Users\<SID>, or NULL: machine */
	cpk_files	*files;
	size_t		 line;
} cpk_regcont;
typedef struct cpk_regfile {
	cpk_regcont	*v;
	size_t		 n, cap;
	cpk_strmap	 byname;	/* path -> index in v, while parsing */
	int		 capped;	/* containers beyond the cap skipped */
	char		**warn;		/* "line N: ..." */
	size_t		 nwarn;
	enum cpk_rtenc	 enc;
	unsigned	 odd;		/* CPK_RTO_*: forms an editor left */
	size_t		 crcr;		/* lines that ended in CR CR LF */
	int		 dialect;	/* 5, 4, or 0: no header */
	size_t		 bad_line;	/* of an encoding error */
} cpk_regfile;
cpk_err	cpk_regfile_parse(const unsigned char *, size_t, cpk_regfile *);
void	cpk_regfile_free(cpk_regfile *);

/* Backends: add every container in a .reg file or an offline hive. */
cpk_err	cpk_media_reg_add(cpk_media *, const char *path);
cpk_err	cpk_media_hive_add(cpk_media *, const char *path);
cpk_err	cpk_media_dir_add(cpk_media *, const char *dir);

/* ---- tokens (token.c, token_walk.c, token_pin.c, media_token.c) ---- */
#include "tokens.h"
#define CPK_TOK_DATA_MAX	256	/* one short APDU's answer */
struct cpk_token {
	cpk_transport		 tr;
	const cpk_tok_model	*model;
	unsigned char		 atr[33];
	size_t			 atr_len;
	int			 swapped;	/* little-endian FIDs: probed */
	int			 mf_probed;
	unsigned		 pins_sent;
	char			 at[CPK_WHERE_PATH_MAX];	/* file in hand */
	cpk_where		 where;		/* the last command's failure */
	int			 failed;	/* ... when it failed */
};
/* Sends one command; fetches T=0 answers (61 xx, 6C xx). data gets at
 * most CPK_TOK_DATA_MAX bytes. */
cpk_err	cpk_tok_xfer(cpk_token *, const unsigned char *cmd, size_t len,
	    unsigned char *data, size_t *data_len, unsigned *sw);
/* SW-only commands (data is dropped). */
cpk_err	cpk_tok_cmd(cpk_token *, const unsigned char *cmd, size_t len,
	    unsigned *sw);
cpk_err	cpk_tok_select_mf(cpk_token *);
/* Names the file the next commands are about, for cpk_token_where. */
void	cpk_tok_at(cpk_token *, const unsigned *fids, size_t n);
/* sw.c: the error of an SW from the status-word table */
cpk_err	cpk_sw_lookup(unsigned sw);
/* Absolute path below MF; fcp may be NULL. */
cpk_err	cpk_tok_select_path(cpk_token *, const unsigned *fids, size_t n,
	    cpk_fcp *);
/* Reads the current EF (size bytes at most). */
cpk_err	cpk_tok_read_ef(cpk_token *, size_t size, cpk_blob **);
/* token_walk.c: the file of EF suffix 1..6 (NN01 masks ... NN06 name),
 * CPK_F_COUNT for any other; appends one container to a list. */
enum cpk_file_id	cpk_tok_file_of(unsigned suffix);
cpk_err	cpk_tok_list_add(cpk_tok_list *, const cpk_tok_cont *);
/* token_probe.c: 1000/1003/NN00 and its EFs by path, for a Lite/ECP
 * that refuses listing (TOKENS.md §4.2). */
cpk_err	cpk_tok_probe(cpk_token *, cpk_tok_list *);
cpk_err	cpk_media_token_add(cpk_media *, const char *reader,
	    cpk_media_opts *);

/* ---- gost-engine key operations (container/gost_engine.c) ---- */
/* Loads gost-engine for GOST keys (after it, OpenSSL's EVP_PKEY and
 * PKCS#12 functions know GOST keys). */
cpk_err	cpk_engine_init(void);
/* gost-engine's legacy digest for a hash, and the engine to pass with it
 * (the CPKDF loop's fast path). */
cpk_err	cpk_engine_md(enum cpk_hash, const EVP_MD **, ENGINE **);
cpk_err	cpk_engine_sign_verify(const cpk_blob *pkcs8, const char *sig_alg,
	    const cpk_curve *, const unsigned char *pub, size_t pub_len);
/* What the GOST provider (gost.c) and engine say about themselves, for
 * cpk_version_get(): static strings, NULL when not loaded or not said. */
void	cpk_gost_about(const char **name, const char **version);
const char	*cpk_engine_about(void);

#endif
