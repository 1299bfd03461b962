/* The PIN policy of PIN-POLICY.md: the Rutoken driver kit's PP* installer
 * keys with their ranges and the vendor's defaults, NAME=VALUE parsing,
 * the factory PIN sets of each vendor, and the names the reports use.
 * The scoring itself is in pinq.c. */
#include <string.h>

#include "pinq.h"

enum {
	P_MINLEN, P_DEFPIN, P_ONESYM, P_NUMERALS, P_LETTERS, P_CURRENT,
	P_BADBEH, P_ACCBEH, P_WEIGHT, P_BADBORDER, P_GOODBORDER, P_ENCODING
};

/* PINENCODING's values, as the installer takes them (TOKENS.md §6.5) */
static const char *const encodings[] = { "ANSI", "UTF8", NULL };

static const cpk_pin_param params[CPK_PIN_POLICY_NPARAMS] = {
	[P_MINLEN] = { "PPMINPINLENGTH", 1, 16, 1 },
	[P_DEFPIN] = { "PPDEFAULTPIN", 0, 1, 0 },
	[P_ONESYM] = { "PPONESYMBOLPIN", 0, 1, 0 },
	[P_NUMERALS] = { "PPONLYNUMERALS", 0, 1, 0 },
	[P_LETTERS] = { "PPONLYLETTERS", 0, 1, 0 },
	[P_CURRENT] = { "PPCURRENTPIN", 0, 1, 0 },
	[P_BADBEH] = { "PPBADPINBEHAVIOR", 0, 2, 0 },
	[P_ACCBEH] = { "PPACCEPTABLEPINBEHAVIOR", 0, 1, 0 },
	[P_WEIGHT] = { "PPPINLENGTHWEIGHT", 0, 100, 73 },
	[P_BADBORDER] = { "PPBADPINBORDER", 0, 100, 0 },
	[P_GOODBORDER] = { "PPGOODPINBORDER", 0, 100, 100 },
	[P_ENCODING] = { "PINENCODING", 0, 1, 0, encodings },
};

/* PIN-POLICY.md "Factory PINs of other vendors": user, then admin. */
static const char *const rutoken_pins[] = { "12345678", "87654321", NULL };
static const char *const etoken_pins[] = { "1234567890", NULL };
static const char *const jacarta_pins[] = { "11111111", "00000000", NULL };
static const char *const jgost_pins[] = { "0987654321", "1234567890", NULL };
static const char *const esmart_pins[] = { "12345678", NULL };
static const struct {
	const char		*name;
	const char *const	*pins;
} factory_sets[] = {
	{ "rutoken", rutoken_pins }, { "etoken", etoken_pins },
	{ "jacarta", jacarta_pins }, { "jacarta-gost", jgost_pins },
	{ "esmart", esmart_pins },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

const cpk_pin_param *
cpk_pin_policy_param(size_t i)
{
	return i < NELEM(params) ? &params[i] : NULL;
}

/* Field i of a policy; i < CPK_PIN_POLICY_NPARAMS. */
static unsigned *
field(cpk_pin_policy *p, size_t i)
{
	unsigned *f[CPK_PIN_POLICY_NPARAMS] = {
		[P_MINLEN] = &p->min_length, [P_DEFPIN] = &p->default_pin,
		[P_ONESYM] = &p->one_symbol, [P_NUMERALS] = &p->only_numerals,
		[P_LETTERS] = &p->only_letters, [P_CURRENT] = &p->current_pin,
		[P_BADBEH] = &p->bad_behavior,
		[P_ACCBEH] = &p->acceptable_behavior,
		[P_WEIGHT] = &p->length_weight,
		[P_BADBORDER] = &p->bad_border,
		[P_GOODBORDER] = &p->good_border,
		[P_ENCODING] = &p->encoding,
	};

	return f[i];
}

void
cpk_pin_policy_default(cpk_pin_policy *p)
{
	for (size_t i = 0; i < NELEM(params); i++)
		*field(p, i) = params[i].def;
}

unsigned
cpk_pin_policy_get(const cpk_pin_policy *p, size_t i)
{
	cpk_pin_policy c = *p;

	return i < NELEM(params) ? *field(&c, i) : 0;
}

static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* ASCII-only folding: strcasecmp follows the locale, names do not. */
static int
name_is(const char *s, size_t n, const char *name)
{
	if (strlen(name) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower((unsigned char)s[i]) !=
		    ascii_lower((unsigned char)name[i]))
			return 0;
	return 1;
}

/* Plain decimal: no sign, blank or junk; huge values are out of range,
 * not malformed, so "999999999999" reads as CPK_E_RANGE. A parameter with
 * value names takes those only. */
static cpk_err
parse_value(const char *s, const cpk_pin_param *pp, unsigned *out)
{
	unsigned long v = 0;
	unsigned min = pp->min, max = pp->max;

	for (unsigned i = 0; pp->values != NULL && pp->values[i]; i++)
		if (name_is(s, strlen(s), pp->values[i])) {
			*out = min + i;
			return CPK_OK;
		}
	if (pp->values != NULL || *s == '\0')
		return CPK_E_ARG;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return CPK_E_ARG;
		if (v <= 1000000)
			v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v < min || v > max)
		return CPK_E_RANGE;
	*out = (unsigned)v;
	return CPK_OK;
}

const cpk_pin_param *
cpk_pin_policy_find(const char *name, size_t len)
{
	for (size_t i = 0; name != NULL && i < NELEM(params); i++)
		if (name_is(name, len, params[i].name))
			return &params[i];
	return NULL;
}

cpk_err
cpk_pin_policy_set(cpk_pin_policy *p, const char *name, const char *value)
{
	const cpk_pin_param *pp;
	const char *eq;
	size_t nlen, i;
	unsigned v;
	cpk_err r;

	if (p == NULL || name == NULL)
		return CPK_E_ARG;
	eq = strchr(name, '=');
	if ((value == NULL) == (eq == NULL))
		return CPK_E_ARG;	/* no value, or two of them */
	nlen = eq != NULL ? (size_t)(eq - name) : strlen(name);
	if (value == NULL)
		value = eq + 1;
	if ((pp = cpk_pin_policy_find(name, nlen)) == NULL)
		return CPK_E_ARG;
	i = (size_t)(pp - params);
	if ((r = parse_value(value, &params[i], &v)) != CPK_OK)
		return r;
	*field(p, i) = v;
	return CPK_OK;
}

cpk_err
cpk_pin_policy_check(const cpk_pin_policy *p)
{
	unsigned v;

	if (p == NULL)
		return CPK_E_ARG;
	for (size_t i = 0; i < NELEM(params); i++) {
		v = cpk_pin_policy_get(p, i);
		if (v < params[i].min || v > params[i].max)
			return CPK_E_RANGE;
	}
	if (p->bad_border > p->good_border)
		return CPK_E_RANGE;
	return CPK_OK;
}

static const char *const level_names[] = { "weak", "medium", "strong" };
static const char *const action_names[] = { "allow", "warn", "forbid" };
/* In bit order: CPK_PINQ_TOO_SHORT is bit 0. */
static const char *const rule_names[CPK_PINQ_RULES] = {
	"too-short", "factory", "one-symbol", "only-numerals", "only-letters",
	"same-as-current", "not-cp1251", "too-long",
};

const char *
cpk_pinq_level_name(enum cpk_pinq_level l)
{
	return (size_t)l < NELEM(level_names) ? level_names[l] : "unknown";
}

const char *
cpk_pinq_action_name(enum cpk_pinq_action a)
{
	return (size_t)a < NELEM(action_names) ? action_names[a] : "unknown";
}

const char *
cpk_pinq_rule_name(unsigned bit)
{
	for (unsigned i = 0; i < CPK_PINQ_RULES; i++)
		if (bit == 1u << i)
			return rule_names[i];
	return NULL;
}

const char *const *
cpk_pin_factory_set(const char *name)
{
	for (size_t i = 0; name != NULL && i < NELEM(factory_sets); i++)
		if (strcmp(name, factory_sets[i].name) == 0)
			return factory_sets[i].pins;
	return NULL;
}

const char *
cpk_pin_factory_name(size_t i)
{
	return i < NELEM(factory_sets) ? factory_sets[i].name : NULL;
}
