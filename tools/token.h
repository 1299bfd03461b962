/* The parts of cpkit-token that live outside its main file. The guard is
 * not CPKIT_TOKEN_H: token/tokens.h has that one, and a tool may
 * include both. */
#ifndef CPKIT_TOOLS_TOKEN_H
#define CPKIT_TOOLS_TOKEN_H

#include <stdio.h>

#include "container.h"
#include "pinq.h"

/* cpkit-token pin-quality: argv[0] is "pin-quality"; returns the exit code
 * (enum cpk_exit): 0 strong or medium, 1 weak, 2 usage. The PIN comes from
 * --pin-file, --pin-env or the terminal, never argv, and is wiped. */
int	token_pin_quality(int argc, char **argv);

/* One NAME=VALUE policy argument (change-pin takes them too). On failure
 * prints one line naming the argument and the accepted range on stderr
 * and returns CPK_E_ARG, so cli_exit_for() gives 2. */
cpk_err	token_policy_arg(cpk_pin_policy *, const char *name_eq_value);
/* After the last argument: the border order, with the same contract. */
cpk_err	token_policy_check(const cpk_pin_policy *);

/* The verdict for people (json 0) or as one cpkit.pinq/1 object; never
 * the PIN. change-pin may show it before it refuses or warns. */
void	token_pinq_report(FILE *, const cpk_pin_policy *,
	    const cpk_pinq_result *, int json);

/* The subcommand's synopsis, each line indented by 7 spaces to sit under
 * the caller's "usage: cpkit-token ..." line. */
void	token_pinq_usage(FILE *);

#endif
