/*
 * cpkit tokens: CryptoPro file containers on Rutoken-family tokens, read
 * over PC/SC (TOKENS.md), and the token's PINs, which cpkit must never
 * lock (TOKENS.md §6). Public: cpkit-token and the media core use it.
 *
 * Layers: cpk_transport (PC/SC in media_pcsc.c, or a test's fake) ->
 * cpk_token (APDUs, T=0 response fetching, file-system walk, PIN rules) ->
 * containers as cpk_files.
 */
#ifndef CPKIT_TOKEN_H
#define CPKIT_TOKEN_H

#include <stddef.h>

#include "container.h"

/* The seam between the token logic and PC/SC (STYLE.md §9). transmit()
 * gets a command APDU and returns the card's answer, data then SW1 SW2;
 * *resp_len is the buffer's size on entry. */
typedef struct cpk_transport {
	cpk_err	(*transmit)(void *ctx, const unsigned char *cmd,
		    size_t cmd_len, unsigned char *resp, size_t *resp_len);
	void	(*close)(void *ctx);
	void	 *ctx;
	/* optional: the raw code of the last failed transmit (SCARD_E_...),
	 * 0 when none; it goes into cpk_token_where */
	unsigned long	(*status)(void *ctx);
} cpk_transport;

/* ---- what the ATR says (TOKENS.md §9) ---- */
enum cpk_tok_family {
	CPK_TOK_UNKNOWN,	/* an ATR not in the table */
	CPK_TOK_RUTOKEN,	/* Lite / ECP: ISO byte order */
	CPK_TOK_RUTOKEN_S,	/* Rutoken S: swapped file IDs, T=0 */
	CPK_TOK_KAZTOKEN,
	CPK_TOK_JACARTA,
	CPK_TOK_ETOKEN,
	CPK_TOK_ESMART,
	CPK_TOK_OTHER		/* known, but no CryptoPro file access */
};
typedef struct cpk_tok_model {
	const char		*name;		/* "Rutoken Lite" */
	enum cpk_tok_family	 family;
	const char		*user_pin;	/* factory user PIN or NULL */
	const char		*admin_pin;	/* factory admin PIN or NULL */
} cpk_tok_model;
/* The model for an ATR; an unknown ATR gets the "unknown" entry. */
const cpk_tok_model	*cpk_atr_model(const unsigned char *atr, size_t len);
const char	*cpk_tok_family_name(enum cpk_tok_family);
/* 1 for families whose file system cpkit reads (Rutoken). */
int	cpk_tok_family_readable(enum cpk_tok_family);
/* 1 when the family's CHANGE REFERENCE DATA format has been confirmed on
 * real hardware (TOKENS.md §6.4); 0 for every family so far. */
int	cpk_tok_pin_format_confirmed(enum cpk_tok_family);

/* ---- FCP of a file (TOKENS.md §5) ---- */
enum cpk_tok_cond {
	CPK_COND_FREE, CPK_COND_USER, CPK_COND_ADMIN, CPK_COND_NEVER,
	CPK_COND_UNKNOWN
};
typedef struct cpk_fcp {
	unsigned	 fid;		/* the value, whatever the byte order */
	unsigned char	 fid_raw[2];	/* as the card wrote it in tag 83 */
	size_t		 size;		/* tag 80; 0 when absent */
	int		 is_df;		/* tag 82: 38 */
	enum cpk_tok_cond read;		/* tag 86 */
} cpk_fcp;
/* swapped: Rutoken S's little-endian tags 80, 81, 83 and its 40-byte
 * tag 86. CPK_E_FORMAT names no field: the caller names the file. */
cpk_err	cpk_fcp_parse(const unsigned char *, size_t, int swapped, cpk_fcp *);
const char	*cpk_tok_cond_name(enum cpk_tok_cond);
/* Status words: the library's error for an SW (90 00 is CPK_OK), from
 * the table in sw.c; CPK_E_CARD for one not in it. */
cpk_err	cpk_sw_err(unsigned sw);
/* The meaning of an SW in the user's language, NULL when not in the
 * table; cpk_sw_text() gives "6A82: file or application not found". */
const char	*cpk_sw_meaning(unsigned sw);
const char	*cpk_sw_text(unsigned sw, char *buf, size_t cap);

/* Where a file or a token stopped (cpk_where, container.h):
 * "primaryCertificate at byte 68", "at byte 12",
 * "SELECT 1000/1003: SW 6A86 (incorrect parameters P1-P2)", or "" when
 * nothing is known; in the user's language (token/where_text.c). */
const char	*cpk_where_text(const cpk_where *, char *buf, size_t cap);

/* ---- one card session ---- */
typedef struct cpk_token cpk_token;
/* Takes the transport (closed by cpk_token_close). */
cpk_err	cpk_token_open(cpk_transport *, const unsigned char *atr,
	    size_t atr_len, cpk_token **);
void	cpk_token_close(cpk_token **);
const cpk_tok_model	*cpk_token_model(const cpk_token *);
const unsigned char	*cpk_token_atr(const cpk_token *, size_t *len);
/* Serial number as the vendor's tools print it (hex, upper case) and as
 * a number; GET DATA 01 81. */
cpk_err	cpk_token_serial(cpk_token *, char *hex, size_t cap,
	    unsigned long *num);
/* GET DATA 01 89: the token's information block, raw. */
cpk_err	cpk_token_info(cpk_token *, unsigned char *buf, size_t *len);
/* APDUs sent so far with a PIN in them (VERIFY or CHANGE REFERENCE DATA
 * with data): the tests and the reports count them. */
unsigned	cpk_token_pins_sent(const cpk_token *);
/* Where the last command failed (issue 17 §3): the command, the file it
 * was about, the SW or PC/SC code. 1 and *out filled when the last
 * command sent failed; 0 and *out zeroed when it succeeded. Read it right
 * after the call that returned the error. */
int	cpk_token_where(const cpk_token *, cpk_where *out);

/* ---- containers on the token (TOKENS.md §2, §4.2, §10) ---- */
#define CPK_TOK_MAX_DEPTH	8
#define CPK_TOK_MAX_NODES	1000
typedef struct cpk_tok_file {
	int			 present;
	size_t			 size;
	enum cpk_tok_cond	 read;
} cpk_tok_file;
typedef struct cpk_tok_cont {
	unsigned	 path[CPK_TOK_MAX_DEPTH];	/* DFs below MF */
	size_t		 depth;
	cpk_tok_file	 f[CPK_F_COUNT];
	char		*name;		/* from name.key when free, or NULL */
	int		 nfiles;
	int		 exportable;	/* §10 rule 2 */
	int		 needs_pin;	/* a present file needs the user PIN */
} cpk_tok_cont;
/* A folder the walk could not list (issue 16 point 9): OpenSC's
 * profiles make 1000/1001 and others that a token may keep closed. */
typedef struct cpk_tok_skip {
	unsigned	 path[CPK_TOK_MAX_DEPTH];
	size_t		 depth;
	unsigned	 sw;		/* the refusal, e.g. 0x6982 */
} cpk_tok_skip;
/* How the containers were found: by list-first/list-next, or - on a
 * Lite/ECP that refuses listing - by SELECTing 1000/1003/NN00 and its
 * EFs by path, as CSP does (TOKENS.md §4.2). */
enum cpk_tok_found { CPK_FOUND_LISTING, CPK_FOUND_PROBING };
#define CPK_TOK_MAX_SKIPPED	32
typedef struct cpk_tok_list {
	cpk_tok_cont	*v;
	size_t		 n;
	int		 truncated;	/* the walk hit its depth/node bounds */
	enum cpk_tok_found found_by;
	cpk_tok_skip	 skipped[CPK_TOK_MAX_SKIPPED];
	size_t		 nskipped;	/* a full array sets truncated */
	unsigned	 list_sw;	/* probing: the SW refusing listing */
} cpk_tok_list;
/* Walks the file system without a PIN and lists the container folders,
 * reading name.key when its READ condition is free. A folder below the
 * start that refuses listing with 6982/6985/6986 is skipped and recorded;
 * when listing 1000/1003 itself is refused on Lite/ECP, its containers
 * are probed by path. A list that cannot be read is an error. */
cpk_err	cpk_token_enum(cpk_token *, cpk_tok_list *);
void	cpk_tok_list_clear(cpk_tok_list *);
/* "1000/1003/0A00" */
void	cpk_tok_path(const cpk_tok_cont *, char *buf, size_t cap);
void	cpk_tok_fids(const unsigned *path, size_t depth, char *buf,
	    size_t cap);
/* Reads every present file of one container in one pass, trimmed to its
 * DER object. A file the session may not read is left NULL with
 * CPK_E_PIN_NEEDED. Never writes to the token. */
cpk_err	cpk_token_read(cpk_token *, const cpk_tok_cont *, cpk_files **);

/* ---- PINs (TOKENS.md §6, PIN-POLICY.md) ---- */
enum cpk_pin_ref { CPK_PIN_ADMIN = 1, CPK_PIN_USER = 2 };
typedef struct cpk_pin_state {
	int		 known;		/* tries could be read safely */
	unsigned	 tries;		/* tries left when known */
	int		 verified;	/* already verified in this session */
	int		 blocked;
} cpk_pin_state;
#define CPK_MIN_TRIES_DEFAULT	3
/* Tries left without spending one (empty VERIFY, Rutoken only);
 * CPK_E_PIN_UNKNOWN, with nothing sent, on other families. */
cpk_err	cpk_token_pin_state(cpk_token *, enum cpk_pin_ref, cpk_pin_state *);
/* Sends one PIN once, and only when a wrong one would still leave at
 * least min_tries tries: CPK_E_PIN_LOW otherwise, CPK_E_PIN_BLOCKED,
 * CPK_E_PIN_UNKNOWN when the tries cannot be read. After a wrong PIN
 * (CPK_E_PIN_WRONG) *after holds the tries left; nothing is retried. */
cpk_err	cpk_token_verify(cpk_token *, enum cpk_pin_ref, const char *pin,
	    size_t len, unsigned min_tries, cpk_pin_state *after);
/* Rutoken S only (CPK_E_UNSUPPORTED elsewhere): verifies with the ECP
 * form 80 02 00 n A5 n <PIN>, the bytes an earlier cpkit's change-pin
 * may have stored as the PIN (TOKENS.md §6.4). Same rules as above. */
cpk_err	cpk_token_verify_legacy_tlv(cpk_token *, enum cpk_pin_ref,
	    const char *pin, size_t len, unsigned min_tries,
	    cpk_pin_state *after);
/* Sets target's PIN to new_pin after verifying auth (the same reference,
 * or the admin PIN for the user's), under the verify rules above. The new
 * PIN goes raw to Rutoken S, in 80 02 00 n A5 n <PIN> to ECP/Lite. */
cpk_err	cpk_token_change_pin(cpk_token *, enum cpk_pin_ref target,
	    enum cpk_pin_ref auth, const char *auth_pin, size_t auth_len,
	    const char *new_pin, size_t new_len, unsigned min_tries,
	    cpk_pin_state *after);
/* The same with the current (auth) PIN sent as by
 * cpk_token_verify_legacy_tlv(): Rutoken S only. */
cpk_err	cpk_token_change_pin_legacy_tlv(cpk_token *,
	    enum cpk_pin_ref target, enum cpk_pin_ref auth,
	    const char *auth_pin, size_t auth_len, const char *new_pin,
	    size_t new_len, unsigned min_tries, cpk_pin_state *after);
/* The bytes a PIN typed as UTF-8 is sent as (TOKENS.md §6.5): the
 * PINENCODING of the Rutoken driver, which cpkit cannot read. */
enum cpk_pinenc {
	CPK_PINENC_NONE,	/* none named: pure ASCII PINs only */
	CPK_PINENC_CP1251,	/* PINENCODING=ANSI, the driver's default */
	CPK_PINENC_UTF8		/* PINENCODING=UTF8, Rutoken ECP only */
};
const char	*cpk_pinenc_name(enum cpk_pinenc);	/* "cp1251" */
/* Encodes pin (len bytes of UTF-8) into out. An ASCII PIN is the same
 * bytes whatever enc. CPK_E_ARG: not ASCII and enc is NONE (nothing to
 * send: a guess would cost a try); CPK_E_FORMAT: not valid UTF-8, or a
 * NUL; CPK_E_RANGE: a character CP1251 does not have; CPK_E_TOO_BIG: more
 * than cap bytes encoded. out is wiped on failure; the caller wipes it
 * after use. */
cpk_err	cpk_pin_encode(enum cpk_pinenc, const char *pin, size_t len,
	    unsigned char *out, size_t cap, size_t *out_len);
/* 1 when the model may hold a UTF-8 PIN (Rutoken ECP). */
int	cpk_tok_pin_utf8_ok(const cpk_tok_model *);
/* Resets the user PIN's retry counter with the admin PIN. */
cpk_err	cpk_token_unblock(cpk_token *, const char *admin_pin, size_t len,
	    unsigned min_tries, cpk_pin_state *after);
/* Reset access rights (80 40 00 00): every session ends with it. */
cpk_err	cpk_token_logout(cpk_token *);

/* ---- PC/SC (media_pcsc.c: the one file with <winscard.h>) ---- */
typedef struct cpk_pcsc cpk_pcsc;
cpk_err	cpk_pcsc_open(cpk_pcsc **);
/* Reader names; CPK_OK with n = 0 when there is none. */
cpk_err	cpk_pcsc_readers(cpk_pcsc *, char ***names, size_t *n);
void	cpk_pcsc_names_free(char **, size_t);
/* Connects (shared), begins a transaction so that no other program
 * talks to the card until the transport is closed, and gets the ATR
 * (atr holds at least 33 bytes). CPK_E_NO_CARD when the reader is
 * empty. */
cpk_err	cpk_pcsc_connect(cpk_pcsc *, const char *reader, cpk_transport *,
	    unsigned char *atr, size_t *atr_len);
void	cpk_pcsc_close(cpk_pcsc **);

/* ---- one token, opened by reader name (pcsc:<reader> URIs) ---- */
/* reader NULL or "": the one reader with a card; an exact name, else a
 * unique part of one. *name_out gets the reader's full name. */
cpk_err	cpk_token_connect(cpk_pcsc *, const char *reader, cpk_token **,
	    char **name_out);

#endif
