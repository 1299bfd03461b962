/* cpkit-token: tokens over PC/SC. What is plugged in, what is on it,
 * how the PINs stand, and the PIN changes the vendor's control panel
 * makes, without ever locking a token (TOKENS.md §6). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "token.h"
#include "token_cmd.h"

#define SCHEMA	"cpkit.token/1"

static _Noreturn void
usage(int code)
{
	FILE *o = code == 0 ? stdout : stderr;

	if (code != CPK_EXIT_OK)
		cli_usage_hint();	/* one line, not the whole text */
	fputs(_("usage: cpkit-token list [--json]\n"
	    "       cpkit-token info [--reader R] [--json]\n"
	    "       cpkit-token pin-status [--reader R] [--json]\n"
	    "       cpkit-token verify [--admin] [--reader R] PIN-SOURCE\n"
	    "       cpkit-token change-pin --user [--by-admin] | --admin\n"
	    "                   [--reader R] PIN-SOURCE [--new-pin-file F |\n"
	    "                   --new-pin-env VAR] [NAME=VALUE...]\n"
	    "       cpkit-token unblock [--reader R] PIN-SOURCE\n"
	    "       cpkit-token check-defaults [--admin] [--reader R]\n"), o);
	token_pinq_usage(o);
	fprintf(o, _("\n"
	    "Lists readers and tokens (model from the ATR, serial number),\n"
	    "the CryptoPro containers on Rutoken tokens with each file's read\n"
	    "condition and whether the container can be exported, and the\n"
	    "PINs' tries left, read without spending a try. PIN commands send\n"
	    "one PIN, once, and none when a wrong one would leave fewer than\n"
	    "--min-tries tries; a blocked PIN is reported with its remedy.\n"
	    "\n"
	    "  --reader R            the reader (its name or a unique part);\n"
	    "                        needed when several hold a token\n"
	    "  --json                one JSON object (schema %s)\n"
	    "  --admin               the admin PIN instead of the user PIN\n"
	    "  --user                change-pin: the user PIN (default)\n"
	    "  --by-admin            change-pin --user with the admin PIN\n"
	    "  --pin-file FILE       PIN-SOURCE: the PIN from FILE's first line\n"
	    "  --pin-env VAR         PIN-SOURCE: the PIN from variable VAR\n"
	    "  --ask, --ask-pin      PIN-SOURCE: prompt, echo off\n"
	    "  --new-pin-file FILE   change-pin: the new PIN from FILE\n"
	    "  --new-pin-env VAR     change-pin: the new PIN from VAR\n"
	    "                        (else a prompt, twice)\n"
	    "  --min-tries N         send no PIN that could leave fewer than N\n"
	    "                        tries (1-15, default 3)\n"
	    "  NAME=VALUE            change-pin: PIN policy (PPMINPINLENGTH=6,\n"
	    "                        ...; see pin-quality)\n"
	    "  -v                    library diagnostics on stderr\n"
	    "  -h, --help            this text\n"
	    "\n"
	    "Exit status: 0 done, 1 findings (a blocked PIN, the factory PIN\n"
	    "still set, a weak PIN), 2 usage error, 3 no pcscd, reader or\n"
	    "token, 4 wrong PIN, or no PIN sent because too few tries are\n"
	    "left or they cannot be read safely.\n"), SCHEMA);
	fputs(_("\n"
	    "info and pin-status read the admin PIN's tries only with\n"
	    "--admin; list never does (the empty VERIFY that reads them is\n"
	    "not sent otherwise). A container list that could not be read\n"
	    "is exit 3.\n"), o);
	fputs(_("\n"
	    "PIN formats (cpkit-token(1), PIN FORMATS):\n"
	    "  --accept-untested-format  change-pin, unblock: send although\n"
	    "                        the command's format is not confirmed on\n"
	    "                        this model's hardware (else exit 2)\n"
	    "  --legacy-tlv          verify, change-pin, Rutoken S only: send\n"
	    "                        the current PIN in the form an earlier\n"
	    "                        cpkit's change-pin stored it in\n"), o);
	fputs(_("\n"
	    "PINs with non-Latin letters (cpkit-token(1), PIN ENCODING):\n"
	    "  --pin-encoding cp1251|utf8  verify, change-pin, unblock: the\n"
	    "                        bytes such a PIN is sent as, as the\n"
	    "                        Rutoken driver's PINENCODING was set\n"
	    "                        (ANSI, the default: cp1251; UTF8: Rutoken\n"
	    "                        ECP only). Without it such a PIN is not\n"
	    "                        sent (exit 2): a wrong guess costs a try.\n"
	    "                        change-pin's PINENCODING=ANSI|UTF8 says\n"
	    "                        the same.\n"), o);
	exit(code);
}

int
tok_open(const struct tok_opts *o, struct tok_session *s)
{
	char uri[300];
	cpk_err r;

	memset(s, 0, sizeof(*s));
	snprintf(uri, sizeof(uri), "pcsc:%s", o->reader ? o->reader : "");
	if ((r = cpk_pcsc_open(&s->pcsc)) == CPK_OK)
		r = cpk_token_connect(s->pcsc, o->reader, &s->t, &s->reader);
	if (r == CPK_OK)
		return 0;
	tok_close(s);
	if (r == CPK_E_NO_CARD && o->reader == NULL) {
		cli_error(_("no token found in any reader"));
		return CPK_EXIT_ENV;
	}
	return cli_token_error(uri, r);
}

void
tok_close(struct tok_session *s)
{
	cpk_token_close(&s->t);
	cpk_pcsc_close(&s->pcsc);
	free(s->reader);
	s->reader = NULL;
}

static void
print_hex(FILE *f, const unsigned char *b, size_t n, const char *sep)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%02X", i ? sep : "", b[i]);
}

/* Bytes (an ATR: 33 at most; the info block: 64) as one hex string. */
static void
json_hex(cpk_json *j, const unsigned char *b, size_t n)
{
	char h[2 * 64 + 1] = "";

	for (size_t i = 0; i < n && i < 64; i++)
		snprintf(h + 2 * i, 3, "%02X", b[i]);
	cpk_json_string(j, h);
}

/* label: translated; padded to 10 columns counting characters, not
 * bytes, so that a Cyrillic label lines up too */
void
tok_print_state(const char *label, const cpk_pin_state *st, cpk_err r)
{
	int cols = 0;

	for (const char *p = label; *p != '\0'; p++)
		cols += ((unsigned char)*p & 0xc0) != 0x80;
	printf("  %s%*s ", label, cols < 10 ? 10 - cols : 0, "");
	if (r != CPK_OK)
		printf(_("unknown (%s)\n"), cpk_err_text(r));
	else if (st->blocked)
		fputs(_("BLOCKED\n"), stdout);
	else if (st->verified)
		fputs(_("verified (a program is logged in)\n"), stdout);
	else if (st->tries <= 2)
		printf(P_("%u tries left - LOW\n", "%u tries left - LOW\n",
		    st->tries), st->tries);
	else
		printf(P_("%u tries left\n", "%u tries left\n", st->tries),
		    st->tries);
}

/* A file's read condition for people; the JSON keeps the names. */
static const char *
cond_text(enum cpk_tok_cond c)
{
	/* TRANSLATORS: what reading a file on the token takes */
	switch (c) {
	case CPK_COND_FREE: return C_("read condition", "free");
	case CPK_COND_USER: return C_("read condition", "user-pin");
	case CPK_COND_ADMIN: return C_("read condition", "admin-pin");
	case CPK_COND_NEVER: return C_("read condition", "never");
	default: return cpk_tok_cond_name(c);
	}
}

static void
json_state(cpk_json *j, const char *key, const cpk_pin_state *st, cpk_err r)
{
	cpk_json_key(j, key);
	cpk_json_obj(j);
	cpk_json_kv_bool(j, "known", r == CPK_OK && !st->verified);
	if (r == CPK_OK && st->known) {
		cpk_json_kv_uint(j, "tries_left", st->tries);
		cpk_json_kv_bool(j, "blocked", st->blocked);
	}
	if (r == CPK_OK && st->verified)
		cpk_json_kv_bool(j, "verified", 1);
	cpk_json_obj_end(j);
}

/* The admin PIN when its tries were not read: not asked for (only
 * --admin sends the empty VERIFY for it, issue 16 point 5). */
static void
label_not_read(const char *label)
{
	int cols = 0;

	for (const char *p = label; *p != '\0'; p++)
		cols += ((unsigned char)*p & 0xc0) != 0x80;
	printf("  %s%*s %s\n", label, cols < 10 ? 10 - cols : 0, "",
	    _("not read (only --admin reads it)"));
}

static void
json_not_read(cpk_json *j, const char *key)
{
	cpk_json_key(j, key);
	cpk_json_obj(j);
	cpk_json_kv_bool(j, "known", 0);
	cpk_json_kv_bool(j, "read", 0);
	cpk_json_key(j, "tries_left");
	cpk_json_null(j);
	cpk_json_obj_end(j);
}

static void
cont_text(const cpk_tok_cont *c)
{
	char path[64];

	cpk_tok_path(c, path, sizeof(path));
	cli_out(stdout, _("  container %s  %s\n"), path, c->name ?
	    cli_disp(c->name) :
	    _("(name not readable without the PIN)"));
	printf(c->exportable ? _("    files %d of 6, exportable (name, "
	    "header and a complete key pair)\n") : _("    files %d of 6, NOT "
	    "exportable: fewer than name, header and one complete "
	    "masks/primary pair\n"), c->nfiles);
	for (int i = 0; i < CPK_F_COUNT; i++)
		if (c->f[i].present)
			printf(_("    %-13s %5zu bytes  read: %s\n"),
			    cpk_file_name((enum cpk_file_id)i), c->f[i].size,
			    cond_text(c->f[i].read));
}

static void
cont_json(cpk_json *j, const cpk_tok_cont *c)
{
	char path[64];

	cpk_tok_path(c, path, sizeof(path));
	cpk_json_obj(j);
	cpk_json_kv_str(j, "df", path);
	cpk_json_kv_str(j, "name", c->name);
	cpk_json_kv_int(j, "files", c->nfiles);
	cpk_json_kv_bool(j, "exportable", c->exportable);
	cpk_json_kv_bool(j, "needs_pin", c->needs_pin);
	cpk_json_key(j, "read");
	cpk_json_obj(j);
	for (int i = 0; i < CPK_F_COUNT; i++)
		if (c->f[i].present)
			cpk_json_kv_str(j, cpk_file_name((enum cpk_file_id)i),
			    cpk_tok_cond_name(c->f[i].read));
	cpk_json_obj_end(j);
	cpk_json_obj_end(j);
}

/* Everything about one token that needs no PIN. The admin PIN's tries
 * are read only with_admin: a firmware that counted the empty VERIFY
 * would lose admin tries on every run (TOKENS.md §6.2 rule 9). A
 * container list that could not be read is exit 3, never success. */
static int
describe(struct tok_session *s, cpk_json *j, int with_conts, int with_pins,
    int with_admin)
{
	const cpk_tok_model *m = cpk_token_model(s->t);
	const unsigned char *atr;
	unsigned char info[64];
	size_t atr_len, info_len = sizeof(info);
	char serial[16] = "";
	unsigned long num = 0;
	cpk_pin_state us, as;
	cpk_err ru = CPK_E_PIN_UNKNOWN, ra = CPK_E_PIN_UNKNOWN, ri, rl;
	cpk_tok_list l;
	cpk_where w;
	char where[CPK_WHERE_PATH_MAX + 160];
	int code = CPK_EXIT_OK;

	memset(&l, 0, sizeof(l));
	atr = cpk_token_atr(s->t, &atr_len);
	(void)cpk_token_serial(s->t, serial, sizeof(serial), &num);
	ri = cpk_token_info(s->t, info, &info_len);
	if (with_pins) {
		ru = cpk_token_pin_state(s->t, CPK_PIN_USER, &us);
		if (with_admin)
			ra = cpk_token_pin_state(s->t, CPK_PIN_ADMIN, &as);
		else
			memset(&as, 0, sizeof(as));
		if ((ru == CPK_OK && us.blocked) || (ra == CPK_OK && as.blocked))
			code = CPK_EXIT_FINDINGS;
	}
	rl = with_conts ? cpk_token_enum(s->t, &l) : CPK_E_UNSUPPORTED;
	/* where the walk failed, before another command clears it */
	if (rl == CPK_OK || !cpk_token_where(s->t, &w))
		w.op = NULL;
	else
		cpk_where_text(&w, where, sizeof(where));
	if (rl == CPK_E_CARD_REMOVED || rl == CPK_E_NOMEM) {
		if (j != NULL)	/* the document stays whole */
			cpk_json_null(j);
		cli_token_where("pcsc:", &w);
		return cli_token_error("pcsc:", rl);
	}
	/* not a Rutoken: no containers cpkit can read, which is no error */
	if (with_conts && rl != CPK_OK && rl != CPK_E_UNSUPPORTED)
		code = CPK_EXIT_ENV;
	if (j != NULL) {
		cpk_json_obj(j);
		cpk_json_kv_str(j, "reader", s->reader);
		cpk_json_kv_str(j, "model", m->name);
		cpk_json_kv_str(j, "family", cpk_tok_family_name(m->family));
		cpk_json_key(j, "atr");
		json_hex(j, atr, atr_len);
		cpk_json_kv_str(j, "serial", serial[0] ? serial : NULL);
		if (serial[0])
			cpk_json_kv_uint(j, "serial_decimal", num);
		if (ri == CPK_OK) {
			cpk_json_key(j, "info");
			json_hex(j, info, info_len);
		}
		if (with_pins) {
			cpk_json_key(j, "pins");
			cpk_json_obj(j);
			json_state(j, "user", &us, ru);
			if (with_admin)
				json_state(j, "admin", &as, ra);
			else
				json_not_read(j, "admin");
			cpk_json_obj_end(j);
		}
		if (rl == CPK_OK) {
			cpk_json_key(j, "containers");
			cpk_json_arr(j);
			for (size_t i = 0; i < l.n; i++)
				cont_json(j, &l.v[i]);
			cpk_json_arr_end(j);
			cpk_json_kv_bool(j, "walk_truncated", l.truncated);
			tok_walk_json(j, &l);
		} else if (code == CPK_EXIT_ENV) {
			cpk_json_key(j, "containers");
			cpk_json_null(j);
			cpk_json_kv_str(j, "containers_error",
			    cpk_err_text(rl));
			if (w.op != NULL)
				cpk_json_kv_str(j, "containers_where", where);
			if (w.op != NULL && w.has_sw) {
				cpk_json_key(j, "containers_sw");
				cpk_json_stringf(j, "%04X", w.sw);
			}
		}
		cpk_json_obj_end(j);
	} else {
		cli_out(stdout, _("%s\n  model      %s%s\n  ATR        "),
		    cli_disp(s->reader),
		    m->name, m->family == CPK_TOK_UNKNOWN ?
		    _(" (ATR not in cpkit's table)") : "");
		print_hex(stdout, atr, atr_len, " ");
		if (serial[0])
			printf(_("\n  serial     %s (%lu)"), serial, num);
		if (ri == CPK_OK) {
			fputs(_("\n  info       "), stdout);
			print_hex(stdout, info, info_len, " ");
		}
		printf("\n");
		if (with_pins) {
			/* TRANSLATORS: labels of 10 columns at most */
			tok_print_state(C_("PIN label", "user PIN"), &us, ru);
			if (with_admin)
				tok_print_state(C_("PIN label", "admin PIN"),
				    &as, ra);
			else
				label_not_read(C_("PIN label", "admin PIN"));
			if (ru == CPK_E_PIN_UNKNOWN)
				fputs(_("  (no safe way to read the tries on "
				    "this token: assume few are left)\n"),
				    stdout);
		}
		if (rl == CPK_OK) {
			tok_walk_text(&l);
			if (l.n == 0)
				fputs(_("  no CryptoPro containers\n"), stdout);
			for (size_t i = 0; i < l.n; i++)
				cont_text(&l.v[i]);
		} else if (with_conts && w.op != NULL)
			printf(_("  containers: not read (%s) [%s]\n"),
			    cpk_err_text(rl), where);
		else if (with_conts)
			printf(_("  containers: not read (%s)\n"),
			    cpk_err_text(rl));
	}
	if (code == CPK_EXIT_ENV && w.op != NULL)
		cli_error(_("%s: the containers could not be read: %s [%s]"),
		    cli_disp(s->reader), cpk_err_text(rl), where);
	else if (code == CPK_EXIT_ENV)
		cli_error(_("%s: the containers could not be read: %s"),
		    cli_disp(s->reader), cpk_err_text(rl));
	cpk_tok_list_clear(&l);
	return code;
}

static int
one_token(struct tok_opts *o, int with_conts, int with_pins, int with_admin)
{
	struct tok_session s;
	cpk_json j;
	int code;

	if ((code = tok_open(o, &s)) != 0)
		return code;
	cpk_json_init(&j, stdout, CPK_JSON_LINE);
	if (o->json) {
		cpk_json_obj(&j);
		cpk_json_kv_str(&j, "schema", SCHEMA);
		cpk_json_key(&j, "token");
	}
	code = describe(&s, o->json ? &j : NULL, with_conts, with_pins,
	    with_admin);
	if (o->json)
		cpk_json_obj_end(&j);
	tok_close(&s);
	return code;
}

/* Every reader, with or without a token. */
static int
list_all(struct tok_opts *o)
{
	cpk_pcsc *p = NULL;
	char **names = NULL;
	size_t n = 0;
	int code = CPK_EXIT_OK, c;
	cpk_json j;
	cpk_err r;

	if ((r = cpk_pcsc_open(&p)) != CPK_OK ||
	    (r = cpk_pcsc_readers(p, &names, &n)) != CPK_OK) {
		cpk_pcsc_close(&p);
		return cli_token_error("pcsc:", r);
	}
	cpk_json_init(&j, stdout, CPK_JSON_LINE);
	if (o->json) {
		cpk_json_obj(&j);
		cpk_json_kv_str(&j, "schema", SCHEMA);
		cpk_json_key(&j, "readers");
		cpk_json_arr(&j);
	}
	for (size_t i = 0; i < n; i++) {
		struct tok_session s = { p, NULL, NULL };
		char *full = NULL;

		r = cpk_token_connect(p, names[i], &s.t, &full);
		s.reader = full;
		if (o->json) {
			cpk_json_obj(&j);
			cpk_json_kv_str(&j, "reader", r != CPK_OK ? names[i] :
			    full);
			cpk_json_key(&j, "token");
			if (r != CPK_OK)
				cpk_json_null(&j);
			else if ((c = describe(&s, &j, 1, 1, 0)) ==
			    CPK_EXIT_ENV)
				code = c;
			cpk_json_obj_end(&j);
		} else if (r != CPK_OK)
			cli_out(stdout, "%s\n  %s\n", cli_disp(names[i]),
			    cpk_err_text(r));
		else if ((c = describe(&s, 0, 1, 1, 0)) == CPK_EXIT_ENV)
			code = c;
		cpk_token_close(&s.t);
		free(full);
		if (r == CPK_E_CARD_REMOVED)
			code = CPK_EXIT_ENV;
	}
	if (o->json) {
		cpk_json_arr_end(&j);
		cpk_json_obj_end(&j);
	} else if (n == 0)
		fputs(_("no smart-card readers (is the token plugged in?)\n"),
		    stdout);
	cpk_pcsc_names_free(names, n);
	cpk_pcsc_close(&p);
	return code;
}

enum {
	OPT_READER = 0x200, OPT_JSON, OPT_ADMIN, OPT_USER, OPT_BY_ADMIN,
	OPT_NEW_FILE, OPT_NEW_ENV, OPT_ASK, OPT_UNTESTED, OPT_LEGACY_TLV
};

static void
parse(int argc, char **argv, struct tok_opts *o)
{
	static const struct option opts[] = {
		{ "reader", required_argument, NULL, OPT_READER },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "admin", no_argument, NULL, OPT_ADMIN },
		{ "user", no_argument, NULL, OPT_USER },
		{ "by-admin", no_argument, NULL, OPT_BY_ADMIN },
		CLI_PIN_OPTIONS,
		{ "ask", no_argument, NULL, OPT_ASK },
		{ "new-pin-file", required_argument, NULL, OPT_NEW_FILE },
		{ "new-pin-env", required_argument, NULL, OPT_NEW_ENV },
		{ "accept-untested-format", no_argument, NULL, OPT_UNTESTED },
		{ "legacy-tlv", no_argument, NULL, OPT_LEGACY_TLV },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, verbose = 0, user = 0, enc_given = 0;
	const cpk_pin_param *pp;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		switch (ch) {
		case OPT_READER:
			o->reader = strncmp(optarg, "pcsc:", 5) == 0 ?
			    optarg + 5 : optarg;
			break;
		case OPT_JSON:
			o->json = 1;
			break;
		case OPT_ADMIN:
			o->admin = 1;
			break;
		case OPT_USER:
			user = 1;
			break;
		case OPT_BY_ADMIN:
			o->by_admin = 1;
			break;
		case OPT_ASK:		/* --ask here means the PIN prompt */
		CLI_PIN_CASES:
			if (cli_pin_opt(ch == OPT_ASK ? CLI_OPT_ASK_PIN : ch,
			    optarg, &o->pin) != 0)
				usage(CPK_EXIT_USAGE);
			break;
		case OPT_NEW_FILE:
			o->new_pin.file = optarg;
			break;
		case OPT_NEW_ENV:
			o->new_pin.env = optarg;
			break;
		case OPT_UNTESTED:
			o->untested = 1;
			break;
		case OPT_LEGACY_TLV:
			o->legacy_tlv = 1;
			break;
		case 'v':
			cli_set_verbose(++verbose);
			break;
		case 'h':
			usage(CPK_EXIT_OK);
		default:
			usage(CPK_EXIT_USAGE);
		}
	}
	if (user && o->admin)
		cli_usage_error(_("%s and %s cannot be used together"),
		    "--user", "--admin");
	if (o->by_admin && o->admin)
		cli_usage_error(_("%s and %s cannot be used together"),
		    "--by-admin", "--admin");
	for (int i = optind; i < argc; i++) {
		if (strchr(argv[i], '=') == NULL)
			cli_usage_error(_("'%s': this command takes no "
			    "operand"), cli_disp(argv[i]));
		if (token_policy_arg(&o->policy, argv[i]) != CPK_OK)
			usage(CPK_EXIT_USAGE);	/* it said why */
		pp = cpk_pin_policy_find(argv[i],
		    (size_t)(strchr(argv[i], '=') - argv[i]));
		enc_given |= strcmp(pp->name, "PINENCODING") == 0;
	}
	if (token_policy_check(&o->policy) != CPK_OK)
		usage(CPK_EXIT_USAGE);
	if (tok_one_encoding(o, enc_given) != 0)
		usage(CPK_EXIT_USAGE);
}

int
main(int argc, char **argv)
{
	struct tok_opts o;
	const char *cmd;

	cli_init("cpkit-token", 0);
	memset(&o, 0, sizeof(o));
	cli_pin_init(&o.pin);
	cpk_pin_policy_default(&o.policy);
	if (argc < 2)
		cli_usage_error(_("%s is missing"), "COMMAND");
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0)
		usage(CPK_EXIT_OK);
	if (strcmp(cmd, "pin-quality") == 0)
		return token_pin_quality(argc - 1, argv + 1);
	parse(argc - 1, argv + 1, &o);
	if (strcmp(cmd, "list") == 0)
		return o.reader ? one_token(&o, 1, 1, 0) : list_all(&o);
	if (strcmp(cmd, "info") == 0)
		return one_token(&o, 1, 1, o.admin);
	if (strcmp(cmd, "pin-status") == 0)
		return one_token(&o, 0, 1, o.admin);
	if (strcmp(cmd, "verify") == 0)
		return tok_verify(&o);
	if (strcmp(cmd, "change-pin") == 0)
		return tok_change_pin(&o);
	if (strcmp(cmd, "unblock") == 0)
		return tok_unblock(&o);
	if (strcmp(cmd, "check-defaults") == 0)
		return tok_check_defaults(&o);
	cli_usage_error(_("unknown command '%s'"), cli_disp(cmd));
}
