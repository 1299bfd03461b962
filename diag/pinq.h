/*
 * Token PIN quality policy (PIN-POLICY.md): the vendor's PP* parameters,
 * cpkit's scoring model and the allow/warn/forbid verdict that
 * `cpkit-token pin-quality` shows and `cpkit-token change-pin` enforces.
 * Pure computation: nothing is printed, stored or logged, and no copy of a
 * PIN outlives a call.
 */
#ifndef CPKIT_PINQ_H
#define CPKIT_PINQ_H

#include <stddef.h>

#include "container.h"

#define CPK_JSON_SCHEMA_PINQ	"cpkit.pinq/1"
#define CPK_PIN_MAX_BYTES	64	/* longer input is CPK_E_ARG */

/* The installer keys of the Rutoken driver kit, vendor defaults from
 * cpk_pin_policy_default(). Flags are 0 or 1. */
typedef struct cpk_pin_policy {
	unsigned min_length;	/* PPMINPINLENGTH 1..16, default 1 */
	unsigned default_pin;	/* PPDEFAULTPIN: factory PIN is weak */
	unsigned one_symbol;	/* PPONESYMBOLPIN: "aaaa" is weak */
	unsigned only_numerals;	/* PPONLYNUMERALS: digits only weak */
	unsigned only_letters;	/* PPONLYLETTERS: letters only weak */
	unsigned current_pin;	/* PPCURRENTPIN: same as current weak */
	unsigned bad_behavior;	/* PPBADPINBEHAVIOR: 0 allow, 1 warn,
				 * 2 forbid a weak PIN */
	unsigned acceptable_behavior;	/* PPACCEPTABLEPINBEHAVIOR: 0 allow,
					 * 1 warn a medium PIN */
	unsigned length_weight;	/* PPPINLENGTHWEIGHT 0..100, default 73 */
	unsigned bad_border;	/* PPBADPINBORDER 0..100, default 0 */
	unsigned good_border;	/* PPGOODPINBORDER 0..100, default 100 */
	unsigned encoding;	/* PINENCODING: 0 ANSI (CP1251, default),
				 * 1 UTF8 */
} cpk_pin_policy;

void	cpk_pin_policy_default(cpk_pin_policy *);
/* One parameter: name and value together ("PPMINPINLENGTH=6", value NULL)
 * or apart ("ppminpinlength", "6"). Names are ASCII case-insensitive;
 * values plain decimal, or one of a parameter's value names (PINENCODING:
 * ANSI, UTF8, any case). CPK_E_ARG: unknown name, no value, or a value that
 * is not a number; CPK_E_RANGE: outside the parameter's range. The policy
 * is untouched on error. Border order is left to cpk_pin_policy_check, so
 * parameters may come in any order. */
cpk_err	cpk_pin_policy_set(cpk_pin_policy *, const char *name,
	    const char *value);
/* CPK_E_RANGE when a field is out of range or PPBADPINBORDER exceeds
 * PPGOODPINBORDER; CPK_E_ARG for NULL. */
cpk_err	cpk_pin_policy_check(const cpk_pin_policy *);

/* The parameters in vendor order, for listing a policy (JSON, usage,
 * getopt tables) without a second copy of the names. */
#define CPK_PIN_POLICY_NPARAMS	12
typedef struct cpk_pin_param {
	const char	*name;		/* "PPMINPINLENGTH" */
	unsigned	 min, max, def;
	const char *const *values;	/* names of min..max, or NULL for a
					 * number ("ANSI", "UTF8") */
} cpk_pin_param;
/* NULL when i >= CPK_PIN_POLICY_NPARAMS. */
const cpk_pin_param	*cpk_pin_policy_param(size_t i);
/* The parameter called name (len bytes, ASCII case-insensitive), or NULL. */
const cpk_pin_param	*cpk_pin_policy_find(const char *name, size_t len);
/* The value of parameter i in a policy (0 when i is out of range). */
unsigned		 cpk_pin_policy_get(const cpk_pin_policy *, size_t i);

enum cpk_pinq_level { CPK_PINQ_WEAK, CPK_PINQ_MEDIUM, CPK_PINQ_STRONG };
enum cpk_pinq_action { CPK_PINQ_ALLOW, CPK_PINQ_WARN, CPK_PINQ_FORBID };

/* Bits of cpk_pinq_result.broken: only enabled rules are reported. */
#define CPK_PINQ_TOO_SHORT	(1u << 0)	/* fewer than PPMINPINLENGTH */
#define CPK_PINQ_FACTORY	(1u << 1)	/* PPDEFAULTPIN */
#define CPK_PINQ_ONE_SYMBOL	(1u << 2)	/* PPONESYMBOLPIN */
#define CPK_PINQ_ONLY_NUMERALS	(1u << 3)	/* PPONLYNUMERALS */
#define CPK_PINQ_ONLY_LETTERS	(1u << 4)	/* PPONLYLETTERS */
#define CPK_PINQ_CURRENT	(1u << 5)	/* PPCURRENTPIN */
/* Always checked, whatever the policy: the token cannot hold such a PIN
 * in PINENCODING's bytes, so the action is "forbid". */
#define CPK_PINQ_NOT_CP1251	(1u << 6)	/* ANSI: a character CP1251
						 * does not have */
#define CPK_PINQ_TOO_LONG	(1u << 7)	/* over 16 bytes encoded */
#define CPK_PINQ_RULES		8
#define CPK_PIN_TOKEN_BYTES	16		/* a Rutoken PIN, at most */

typedef struct cpk_pinq_result {
	enum cpk_pinq_level	level;
	unsigned		score;		/* 0..100 */
	unsigned		length_score;	/* L = min(100, 10 * chars) */
	unsigned		class_score;	/* C, 0 for runs and common */
	unsigned		classes;	/* 0..4 character classes */
	unsigned		chars;		/* length in characters */
	unsigned		bytes;		/* length in PINENCODING's
						 * bytes (0: not encodable) */
	int			sequence;	/* whole PIN a run (pinq.c) */
	int			common;		/* in the built-in list */
	unsigned		broken;		/* CPK_PINQ_* bits */
	enum cpk_pinq_action	action;
} cpk_pinq_result;

/*
 * Rates pin (len bytes of UTF-8; length is counted in characters, one
 * Cyrillic letter is one character of class "other"; the bytes the token
 * would hold follow the policy's PINENCODING). current: the PIN
 * being replaced, NUL-terminated, or NULL when unknown. factory: a
 * NULL-terminated list of the token's factory PINs, NULL for the Rutoken
 * pair. The PIN is compared byte for byte with current and factory PINs,
 * case-insensitively with the built-in word list. Every temporary holding
 * PIN characters is wiped before returning; nothing is kept.
 * CPK_E_ARG: NULL arguments, more than CPK_PIN_MAX_BYTES bytes, a NUL byte
 * or invalid UTF-8 (overlong, surrogate, beyond U+10FFFF); CPK_E_RANGE:
 * the policy fails cpk_pin_policy_check. *out is zeroed on error.
 */
cpk_err	cpk_pin_quality(const cpk_pin_policy *, const char *pin, size_t len,
	    const char *current, const char *const *factory,
	    cpk_pinq_result *out);

const char	*cpk_pinq_level_name(enum cpk_pinq_level);   /* "weak" ... */
const char	*cpk_pinq_action_name(enum cpk_pinq_action); /* "allow" ... */
/* "too-short", "factory", "one-symbol", "only-numerals", "only-letters",
 * "same-as-current" for one CPK_PINQ_* bit; NULL for anything else. */
const char	*cpk_pinq_rule_name(unsigned bit);

/* Factory PIN sets of PIN-POLICY.md (user, then admin when there is one):
 * "rutoken" (also KAZTOKEN), "etoken", "jacarta" (PKI and SE),
 * "jacarta-gost", "esmart" (also JaCarta LT). NULL-terminated static
 * list, or NULL for an unknown name. */
const char *const	*cpk_pin_factory_set(const char *name);
/* The i-th set's name, NULL past the end. */
const char		*cpk_pin_factory_name(size_t i);

#endif
