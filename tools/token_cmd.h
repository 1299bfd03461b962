/* What the subcommands of cpkit-token share: their options and the way
 * they open the one token they work on. */
#ifndef CPKIT_TOOLS_TOKEN_CMD_H
#define CPKIT_TOOLS_TOKEN_CMD_H

#include <stdint.h>

#include "cli.h"
#include "pinq.h"
#include "tokens.h"

struct tok_opts {
	const char	*reader;	/* --reader, or NULL: the one token */
	int		 json;
	int		 admin;		/* --admin: the admin PIN */
	int		 by_admin;	/* change-pin --user --by-admin */
	int		 untested;	/* --accept-untested-format */
	int		 legacy_tlv;	/* verify --legacy-tlv */
	cli_pin		 pin;		/* the PIN to verify with, and
					 * --min-tries (tools/cli_pin.c) */
	cpk_secret_src	 new_pin;	/* change-pin's new PIN */
	cpk_pin_policy	 policy;	/* NAME=VALUE arguments */
};

/* An open token and its reader's name. */
struct tok_session {
	cpk_pcsc	*pcsc;
	cpk_token	*t;
	char		*reader;
};

/* Connects to the token the options name; prints the error and returns
 * the exit code on failure, 0 on success. */
int	tok_open(const struct tok_opts *, struct tok_session *);
void	tok_close(struct tok_session *);
/* Explains a refused or failed PIN operation; the exit code. */
int	tok_pin_error(const char *what, cpk_err, const cpk_pin_state *,
	    const struct tok_opts *);
void	tok_print_state(const char *label, const cpk_pin_state *, cpk_err);

/* After the NAME=VALUE arguments: PINENCODING= (policy_given) and
 * --pin-encoding name one encoding; 0, or the exit code after saying
 * they disagree. */
int	tok_one_encoding(struct tok_opts *, int policy_given);

/* token_walkout.c: found by probing, skipped folders (list, info) */
void	tok_walk_text(const cpk_tok_list *);
void	tok_walk_json(cpk_json *, const cpk_tok_list *);

int	tok_verify(struct tok_opts *);
int	tok_change_pin(struct tok_opts *);
int	tok_unblock(struct tok_opts *);
int	tok_check_defaults(struct tok_opts *);

#endif
