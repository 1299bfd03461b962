/* cpkit-token pin-quality: rates a candidate PIN under the Rutoken quality
 * policy (PIN-POLICY.md) without touching a token. The policy comes from
 * the vendor's installer keys, as NAME=VALUE arguments or one long option
 * per key, so an administrator can paste the rtDrivers.exe command line. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pinq.h"
#include "token.h"

enum {
	OPT_CUR_FILE = 0x180,		/* clear of CLI_OPT_* (0x100...) */
	OPT_CUR_ENV,
	OPT_FACTORY,
	OPT_JSON,
	OPT_PARAM = 0x200		/* + parameter index */
};

#define NAME_MAX_LEN	32		/* "ppacceptablepinbehavior" + NUL */

struct qopts {
	cpk_secret_src	 pin, cur;
	const char *const *factory;	/* NULL: the Rutoken pair */
	cpk_pin_policy	 policy;
	int		 json;
};

static void
synopsis(FILE *o, const char *lead)
{
	/* TRANSLATORS: %s is "usage: " or as many blanks; the other lines
	 * sit 4 columns right of where the command starts */
	fprintf(o, _("%scpkit-token pin-quality "
	    "[--pin-file F | --pin-env VAR | --ask]\n"
	    "           [--current-pin-file F | --current-pin-env VAR]\n"
	    "           [--factory rutoken|etoken|jacarta|jacarta-gost|"
	    "esmart]\n"
	    "           [--json] [NAME=VALUE ...] [--ppminpinlength N ...]\n"),
	    lead);
}

void
token_pinq_usage(FILE *o)
{
	/* TRANSLATORS: blanks as wide as the translation of "usage: " */
	synopsis(o, C_("usage indent", "       "));
}

static void
help(FILE *o)
{
	const cpk_pin_param *pp;
	const char *set;

	synopsis(o, _("usage: "));
	fputs(_("\nRates a PIN under the token PIN quality policy; the PIN is\n"
	    "read from a file, the environment or the terminal, never the\n"
	    "command line. Policy parameters, as NAME=VALUE or --name VALUE\n"
	    "(any case), with their range and vendor default:\n"), o);
	for (size_t i = 0; (pp = cpk_pin_policy_param(i)) != NULL; i++)
		if (pp->values != NULL)
			fprintf(o, "  %-24s %s|%s (%s)\n", pp->name,
			    pp->values[0], pp->values[1],
			    pp->values[pp->def - pp->min]);
		else
			fprintf(o, "  %-24s %u-%u (%u)\n", pp->name, pp->min,
			    pp->max, pp->def);
	fputs(_("PINENCODING says which bytes the token holds (ANSI: CP1251;\n"
	    "UTF8: Rutoken ECP only): a PIN that cannot be written so, or is\n"
	    "longer than 16 bytes so, is forbidden.\n"), o);
	fputs(_("PPDEFAULTPIN refuses the factory PINs of --factory (default\n"
	    "rutoken):"), o);
	for (size_t i = 0; (set = cpk_pin_factory_name(i)) != NULL; i++)
		fprintf(o, " %s", set);
	fputs(_(".\nExit status: 0 strong or medium, 1 weak, 2 usage.\n"), o);
}

/* The message names what the user typed: "X=17" or "--x 17". */
static cpk_err
set_param(cpk_pin_policy *p, const cpk_pin_param *pp, const char *value,
    const char *shown_name, const char *sep)
{
	if (cpk_pin_policy_set(p, pp->name, value) == CPK_OK)
		return CPK_OK;
	if (pp->values != NULL)
		cli_error(_("%s%s%s: %s takes %s or %s"), shown_name, sep,
		    value, pp->name, pp->values[0], pp->values[1]);
	else
		cli_error(_("%s%s%s: %s takes a whole number from %u to %u"),
		    shown_name, sep, value, pp->name, pp->min, pp->max);
	return CPK_E_ARG;
}

cpk_err
token_policy_arg(cpk_pin_policy *p, const char *arg)
{
	const cpk_pin_param *pp;
	const char *eq = strchr(arg, '=');
	char name[NAME_MAX_LEN];
	size_t n;

	if (eq == NULL) {
		cli_error(_("%s: expected NAME=VALUE, e.g. PPMINPINLENGTH=6"),
		    arg);
		return CPK_E_ARG;
	}
	n = (size_t)(eq - arg);
	if ((pp = cpk_pin_policy_find(arg, n)) == NULL) {
		cli_error(_("%.*s: unknown PIN policy parameter"),
		    (int)(n > 64 ? 64 : n), arg);
		return CPK_E_ARG;
	}
	snprintf(name, sizeof(name), "%.*s", (int)n, arg);	/* n < 32 */
	return set_param(p, pp, eq + 1, name, "=");
}

cpk_err
token_policy_check(const cpk_pin_policy *p)
{
	if (cpk_pin_policy_check(p) == CPK_OK)
		return CPK_OK;
	cli_error(_("PPBADPINBORDER (%u) is above PPGOODPINBORDER (%u)"),
	    p->bad_border, p->good_border);
	return CPK_E_ARG;
}

/* The fixed options, then one per policy parameter, lower-case, then the
 * terminator; names[] holds the lower-case copies while getopt runs. */
static void
build_options(struct option *o, size_t nfixed,
    char names[][NAME_MAX_LEN])
{
	const cpk_pin_param *pp;
	size_t i, k;

	for (i = 0; (pp = cpk_pin_policy_param(i)) != NULL; i++) {
		for (k = 0; pp->name[k] != '\0' && k < NAME_MAX_LEN - 1; k++)
			names[i][k] = (char)(pp->name[k] >= 'A' &&
			    pp->name[k] <= 'Z' ? pp->name[k] - 'A' + 'a' :
			    pp->name[k]);
		names[i][k] = '\0';
		o[nfixed + i].name = names[i];
		o[nfixed + i].has_arg = required_argument;
		o[nfixed + i].flag = NULL;
		o[nfixed + i].val = OPT_PARAM + (int)i;
	}
	memset(&o[nfixed + i], 0, sizeof(o[0]));
}

/* After the options: NAME=VALUE arguments, then what needs all of them.
 * Returns -1 to go on, else the exit code. */
static int
finish(int argc, char **argv, struct qopts *q)
{
	for (int i = optind; i < argc; i++)
		if (token_policy_arg(&q->policy, argv[i]) != CPK_OK)
			return CPK_EXIT_USAGE;
	if (token_policy_check(&q->policy) != CPK_OK)
		return CPK_EXIT_USAGE;
	if (cli_secret_count(&q->pin) > 1 || cli_secret_count(&q->cur) > 1) {
		cli_error(_("give one PIN source and at most one current PIN "
		    "source"));
		return CPK_EXIT_USAGE;
	}
	return -1;
}

/* Returns -1 to go on, else the exit code. */
static int
parse(int argc, char **argv, struct qopts *q)
{
	static const struct option fixed[] = {
		{ "pin-file", required_argument, NULL, CLI_OPT_PW_FILE },
		{ "pin-env", required_argument, NULL, CLI_OPT_PW_ENV },
		{ "ask", no_argument, NULL, CLI_OPT_ASK },
		{ "ask-pin", no_argument, NULL, CLI_OPT_ASK },	/* cli_pin's */
		{ "current-pin-file", required_argument, NULL, OPT_CUR_FILE },
		{ "current-pin-env", required_argument, NULL, OPT_CUR_ENV },
		{ "factory", required_argument, NULL, OPT_FACTORY },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
	};
	enum { NFIXED = sizeof(fixed) / sizeof(fixed[0]) };
	struct option opts[NFIXED + CPK_PIN_POLICY_NPARAMS + 1];
	char names[CPK_PIN_POLICY_NPARAMS][NAME_MAX_LEN], shown[40];
	const cpk_pin_param *pp;
	int ch;

	memcpy(opts, fixed, sizeof(fixed));
	build_options(opts, NFIXED, names);
	/* argv[0] is the subcommand and main may have run getopt already:
	 * 0 makes glibc (and musl) rescan from argv[1] with fresh state. */
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		CLI_SECRET_CASES:
			cli_secret_opt(ch, optarg, &q->pin);
			break;
		case OPT_CUR_FILE: q->cur.file = optarg; break;
		case OPT_CUR_ENV: q->cur.env = optarg; break;
		case OPT_JSON: q->json = 1; break;
		case OPT_FACTORY:
			q->factory = cpk_pin_factory_set(optarg);
			if (q->factory == NULL) {
				cli_error(_("--factory %s: unknown set (see "
				    "--help)"), optarg);
				return CPK_EXIT_USAGE;
			}
			break;
		case 'h':
			help(stdout);
			return CPK_EXIT_OK;
		default:
			if (ch < OPT_PARAM || (pp = cpk_pin_policy_param(
			    (size_t)(ch - OPT_PARAM))) == NULL) {
				synopsis(stderr, _("usage: "));
				return CPK_EXIT_USAGE;
			}
			snprintf(shown, sizeof(shown), "--%s",
			    names[ch - OPT_PARAM]);
			if (set_param(&q->policy, pp, optarg, shown, " ") !=
			    CPK_OK)
				return CPK_EXIT_USAGE;
		}
	}
	return finish(argc, argv, q);
}

/* The verdict's words for people; the JSON keeps the English names. */
static const char *
level_text(enum cpk_pinq_level l)
{
	return l == CPK_PINQ_WEAK ? C_("PIN quality", "weak") :
	    l == CPK_PINQ_MEDIUM ? C_("PIN quality", "medium") :
	    l == CPK_PINQ_STRONG ? C_("PIN quality", "strong") :
	    cpk_pinq_level_name(l);
}

static const char *
action_text(enum cpk_pinq_action a)
{
	/* TRANSLATORS: what the token driver does with such a PIN */
	return a == CPK_PINQ_ALLOW ? C_("PIN action", "allow") :
	    a == CPK_PINQ_WARN ? C_("PIN action", "warn") :
	    a == CPK_PINQ_FORBID ? C_("PIN action", "forbid") :
	    cpk_pinq_action_name(a);
}

static const char *
rule_text(unsigned bit)
{
	switch (bit) {
	case CPK_PINQ_TOO_SHORT: return C_("PIN rule", "too-short");
	case CPK_PINQ_FACTORY: return C_("PIN rule", "factory");
	case CPK_PINQ_ONE_SYMBOL: return C_("PIN rule", "one-symbol");
	case CPK_PINQ_ONLY_NUMERALS: return C_("PIN rule", "only-numerals");
	case CPK_PINQ_ONLY_LETTERS: return C_("PIN rule", "only-letters");
	case CPK_PINQ_CURRENT: return C_("PIN rule", "same-as-current");
	case CPK_PINQ_NOT_CP1251: return C_("PIN rule", "not-cp1251");
	case CPK_PINQ_TOO_LONG: return C_("PIN rule", "too-long");
	default: return cpk_pinq_rule_name(bit);
	}
}

static void
report_text(FILE *o, const cpk_pin_policy *p, const cpk_pinq_result *res)
{
	unsigned bit, any = 0;

	fprintf(o, _("PIN quality: %s, score %u of 100\n"),
	    level_text(res->level), res->score);
	fprintf(o, P_("  length: %u characters, score %u\n",
	    "  length: %u characters, score %u\n", res->chars), res->chars,
	    res->length_score);
	if (res->bytes != 0)
		fprintf(o, P_("  on the token: %u byte (PINENCODING=%s)\n",
		    "  on the token: %u bytes (PINENCODING=%s)\n", res->bytes),
		    res->bytes, p->encoding ? "UTF8" : "ANSI");
	fprintf(o, res->sequence ? _("  classes: %u, score %u (a keyboard "
	    "run or sequence)\n") : res->common ? _("  classes: %u, score %u "
	    "(a very common PIN or word)\n") : _("  classes: %u, score "
	    "%u\n"), res->classes, res->class_score);
	fputs(_("  rules broken:"), o);
	for (bit = 1; bit != 0 && bit <= res->broken; bit <<= 1)
		if ((res->broken & bit) != 0 && cpk_pinq_rule_name(bit)) {
			fprintf(o, "%s %s", any++ ? "," : "", rule_text(bit));
		}
	if (any == 0)
		fputs(_(" none"), o);
	if (res->broken == 0 && res->level == CPK_PINQ_WEAK)
		fprintf(o, _(" (the score is below PPBADPINBORDER %u)"),
		    p->bad_border);
	fprintf(o, _("\n  action: %s\n"), action_text(res->action));
	if (res->level != CPK_PINQ_WEAK)
		return;
	fputs(_("Advice:\n"
	    "  - use 6 to 10 characters;\n"
	    "  - mix digits, Latin letters, spaces and punctuation;\n"
	    "  - no words, keyboard runs or personal data (names, dates);\n"
	    "  - a different PIN for each token;\n"
	    "  - never keep the PIN written down next to the token.\n"), o);
}

static void
report_json(FILE *o, const cpk_pin_policy *p, const cpk_pinq_result *res)
{
	const cpk_pin_param *pp;
	unsigned bit;
	cpk_json j;
	const cpk_json_num nums[] = { { "score", res->score },
	    { "length_score", res->length_score },
	    { "class_score", res->class_score },
	    { "classes", res->classes }, { "bytes", res->bytes } };

	cpk_json_doc(&j, o, CPK_JSON_SCHEMA_PINQ);
	cpk_json_kv_str(&j, "level", cpk_pinq_level_name(res->level));
	cpk_json_kv_nums(&j, nums, sizeof(nums) / sizeof(nums[0]));
	cpk_json_kv_bool(&j, "sequence", res->sequence);
	cpk_json_kv_bool(&j, "common", res->common);
	cpk_json_key(&j, "rules_broken");
	cpk_json_arr(&j);
	for (bit = 1; bit != 0 && bit <= res->broken; bit <<= 1)
		if ((res->broken & bit) != 0 && cpk_pinq_rule_name(bit))
			cpk_json_string(&j, cpk_pinq_rule_name(bit));
	cpk_json_arr_end(&j);
	cpk_json_kv_str(&j, "action", cpk_pinq_action_name(res->action));
	cpk_json_key(&j, "policy");
	cpk_json_obj(&j);
	for (size_t i = 0; (pp = cpk_pin_policy_param(i)) != NULL; i++)
		if (pp->values != NULL)
			cpk_json_kv_str(&j, pp->name,
			    pp->values[cpk_pin_policy_get(p, i) - pp->min]);
		else
			cpk_json_kv_uint(&j, pp->name,
			    cpk_pin_policy_get(p, i));
	cpk_json_obj_end(&j);
	cpk_json_obj_end(&j);
}

void
token_pinq_report(FILE *o, const cpk_pin_policy *p,
    const cpk_pinq_result *res, int json)
{
	if (json)
		report_json(o, p, res);
	else
		report_text(o, p, res);
}

int
token_pin_quality(int argc, char **argv)
{
	char pin[CPK_SECRET_MAX], cur[CPK_SECRET_MAX];
	struct qopts q;
	cpk_pinq_result res;
	int code;
	cpk_err r;

	pin[0] = cur[0] = '\0';
	memset(&q, 0, sizeof(q));
	cpk_pin_policy_default(&q.policy);
	if ((code = parse(argc, argv, &q)) >= 0)
		goto out;
	code = CPK_EXIT_USAGE;
	/* A script without a PIN source must fail, not hang on a prompt. */
	if (cli_secret_count(&q.pin) == 0) {
		if (!isatty(STDIN_FILENO)) {
			cli_error(_("no PIN source: use --pin-file, --pin-env "
			    "or --ask"));
			goto out;
		}
		q.pin.ask = 1;
	}
	if (cli_secret_read(&q.pin, _("PIN to rate: "), pin, sizeof(pin)) !=
	    CPK_OK || (cli_secret_count(&q.cur) == 1 &&
	    cli_secret_read(&q.cur, "", cur, sizeof(cur)) != CPK_OK))
		goto out;
	r = cpk_pin_quality(&q.policy, pin, strlen(pin),
	    cli_secret_count(&q.cur) == 1 ? cur : NULL, q.factory, &res);
	if (r != CPK_OK) {
		if (r == CPK_E_ARG)
			cli_error(_("the PIN is not valid UTF-8 or is longer "
			    "than 64 bytes"));
		else
			cli_error(_("the PIN %s"), cpk_err_text(r));
		code = (int)cli_exit_for(r);
		goto out;
	}
	token_pinq_report(stdout, &q.policy, &res, q.json);
	code = res.level == CPK_PINQ_WEAK ? CPK_EXIT_FINDINGS : CPK_EXIT_OK;
out:
	cli_secret_wipe(pin, sizeof(pin));
	cli_secret_wipe(cur, sizeof(cur));
	return code;
}
