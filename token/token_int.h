/* Internal declarations of token/ (ARCHITECTURE.md, "token"): one card
 * session, APDUs, the PIN-free walk, PINs. Never included by tools/,
 * container/ or media/. */
#ifndef CPKIT_TOKEN_INT_H
#define CPKIT_TOKEN_INT_H

#include "internal.h"
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

#endif
