/* The cpkit-token subcommands that send a PIN: verify, change-pin,
 * unblock, check-defaults. Each sends at most one PIN to the card for
 * verification, and only through cpk_token_verify()'s gate (TOKENS.md
 * §6.2). */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "token.h"
#include "token_cmd.h"

#define PIN_CAP	64

/* "admin PIN" or "user PIN", in the user's language */
static const char *
role(int admin)
{
	/* TRANSLATORS: the subject of "%s is wrong", "%s changed" */
	return admin ? C_("PIN role", "admin PIN") :
	    C_("PIN role", "user PIN");
}

int
tok_pin_error(const char *what, cpk_err r, const cpk_pin_state *st,
    const struct tok_opts *o)
{
	int admin = strcmp(what, role(1)) == 0;

	switch (r) {
	case CPK_E_PIN_WRONG:
		if (st->known)
			cli_error(P_("%s is wrong: %u tries left; cpkit does "
			    "not try again", "%s is wrong: %u tries left; cpkit "
			    "does not try again", st->tries), what, st->tries);
		else
			cli_error(_("%s is wrong"), what);
		return CPK_EXIT_DATA;
	case CPK_E_PIN_LOW:
		cli_error(P_("%s has %u tries left: no PIN sent, a wrong one "
		    "would leave fewer than --min-tries %u", "%s has %u tries "
		    "left: no PIN sent, a wrong one would leave fewer than "
		    "--min-tries %u", st->tries), what, st->tries,
		    o->pin.min_tries);
		return CPK_EXIT_DATA;
	case CPK_E_PIN_BLOCKED:
		cli_error(admin ? _("%s is blocked. Only formatting the token "
		    "helps, and that deletes every key and certificate on "
		    "it.") : _("%s is blocked. Unblock it with the admin PIN: "
		    "cpkit-token unblock."), what);
		return CPK_EXIT_DATA;
	case CPK_E_PIN_UNKNOWN:
		cli_error(_("%s: the tries left cannot be read safely on this "
		    "token, so no PIN was sent"), what);
		return CPK_EXIT_DATA;
	case CPK_E_DENIED:
		cli_error(_("%s: the token's policy does not allow this (who "
		    "may change the user PIN is set when it is formatted)"),
		    what);
		return CPK_EXIT_DATA;
	default:
		cli_error("%s: %s", what, cpk_err_text(r));
		return (int)cli_exit_for(r);
	}
}

/* TOKENS.md §6.4: CHANGE REFERENCE DATA and RESET RETRY COUNTER go only
 * to a family whose format was confirmed on real hardware, or with
 * --accept-untested-format. 0 to go on, else the exit code. */
static int
format_gate(const struct tok_opts *o, const struct tok_session *s)
{
	const cpk_tok_model *m = cpk_token_model(s->t);

	if (o->untested || cpk_tok_pin_format_confirmed(m->family))
		return CPK_EXIT_OK;
	cli_error(_("%s: this command's format has not been confirmed on a "
	    "real %s; nothing sent. If the token took it wrongly, its PIN "
	    "could become bytes nobody can type, and a non-exportable key "
	    "on it would be lost for good. Run again with "
	    "--accept-untested-format to take that risk."),
	    cli_disp(s->reader), cli_disp(m->name));
	return CPK_EXIT_USAGE;
}

/* --legacy-tlv: Rutoken S only, and the PIN fits the 16-byte form. */
static int
legacy_ok(const struct tok_opts *o, const struct tok_session *s,
    size_t pin_len)
{
	if (!o->legacy_tlv)
		return CPK_EXIT_OK;
	if (cpk_token_model(s->t)->family != CPK_TOK_RUTOKEN_S) {
		cli_error(_("%s: --legacy-tlv is for Rutoken S only; nothing "
		    "sent"), cli_disp(s->reader));
		return CPK_EXIT_USAGE;
	}
	if (pin_len > 16) {
		cli_error(_("a token PIN has at most 16 bytes; nothing sent"));
		return CPK_EXIT_USAGE;
	}
	return CPK_EXIT_OK;
}

static int
read_pin(const cpk_secret_src *src, const char *prompt, char *buf)
{
	if (cli_secret_count(src) != 1) {
		cli_error(_("give the PIN one way: --pin-file, --pin-env or "
		    "--ask (never on the command line)"));
		return CPK_EXIT_USAGE;
	}
	if (cli_secret_read(src, prompt, buf, PIN_CAP) != CPK_OK)
		return CPK_EXIT_USAGE;
	if (buf[0] == '\0') {
		cli_error(_("the PIN is empty"));
		return CPK_EXIT_USAGE;
	}
	return CPK_EXIT_OK;
}

/* TOKENS.md §6.5: the PIN's bytes under --pin-encoding (or change-pin's
 * PINENCODING); nothing is sent when the encoding must be named. */
static int
encode_pin(const struct tok_opts *o, const char *pin, const char *what,
    unsigned char *out, size_t *len)
{
	return cli_pin_encode(o->pin.enc, pin, what, out, PIN_CAP, len);
}

/* utf8 bytes that are not ASCII go to a Rutoken ECP only. */
static int
model_ok(const struct tok_opts *o, const struct tok_session *s,
    const unsigned char *pin, size_t len)
{
	int ascii = 1;

	for (size_t i = 0; i < len; i++)
		ascii &= pin[i] < 0x80;
	return ascii ? 0 : cli_pin_model_ok(o->pin.enc, s->reader,
	    cpk_token_model(s->t));
}

/* change-pin's PINENCODING=ANSI|UTF8 names the encoding as
 * --pin-encoding cp1251|utf8 does (TOKENS.md §6.5); both must agree.
 * The policy then rates the new PIN in the bytes that will be sent. */
int
tok_one_encoding(struct tok_opts *o, int policy_given)
{
	enum cpk_pinenc p = o->policy.encoding ? CPK_PINENC_UTF8 :
	    CPK_PINENC_CP1251;

	if (policy_given && o->pin.enc == CPK_PINENC_NONE)
		o->pin.enc = p;
	else if (policy_given && o->pin.enc != p) {
		cli_error(_("PINENCODING and --pin-encoding disagree"));
		return CPK_EXIT_USAGE;
	}
	o->policy.encoding = o->pin.enc == CPK_PINENC_UTF8;
	return 0;
}

int
tok_verify(struct tok_opts *o)
{
	struct tok_session s;
	cpk_pin_state st;
	char pin[PIN_CAP];
	unsigned char b[PIN_CAP];
	size_t n = 0;
	enum cpk_pin_ref ref = o->admin ? CPK_PIN_ADMIN : CPK_PIN_USER;
	int code;
	cpk_err r;

	memset(b, 0, sizeof(b));
	if ((code = read_pin(&o->pin.src, o->admin ? _("Admin PIN: ") :
	    _("User PIN: "), pin)) != 0 || (code = encode_pin(o, pin,
	    role(o->admin), b, &n)) != 0)
		goto out;
	if ((code = tok_open(o, &s)) != 0)
		goto out;
	if ((code = model_ok(o, &s, b, n)) != 0 ||
	    (code = legacy_ok(o, &s, n)) != 0) {
		tok_close(&s);
		goto out;
	}
	r = o->legacy_tlv ? cpk_token_verify_legacy_tlv(s.t, ref,
	    (const char *)b, n, o->pin.min_tries, &st) : cpk_token_verify(s.t,
	    ref, (const char *)b, n, o->pin.min_tries, &st);
	(void)cpk_token_logout(s.t);
	if (r == CPK_OK)
		cli_out(stdout, _("%s: %s is correct\n"), cli_disp(s.reader),
		    role(o->admin));
	else
		code = tok_pin_error(role(o->admin), r, &st, o);
	tok_close(&s);
out:
	OPENSSL_cleanse(pin, sizeof(pin));
	OPENSSL_cleanse(b, sizeof(b));
	return code;
}

/* The new PIN twice at a terminal, once from a file or variable. */
static int
read_new_pin(struct tok_opts *o, char *buf)
{
	char again[PIN_CAP];
	int code;

	if (cli_secret_count(&o->new_pin) == 0)
		o->new_pin.ask = 1;
	if ((code = read_pin(&o->new_pin, _("New PIN: "), buf)) != 0)
		return code;
	if (!o->new_pin.ask)
		return CPK_EXIT_OK;
	code = read_pin(&o->new_pin, _("New PIN again: "), again) != 0 ||
	    strcmp(buf, again) != 0;
	OPENSSL_cleanse(again, sizeof(again));
	if (code) {
		cli_error(_("the two new PINs differ; nothing changed"));
		return CPK_EXIT_USAGE;
	}
	return CPK_EXIT_OK;
}

/* PIN-POLICY.md: a weak PIN is allowed, warned about or refused as
 * PPBADPINBEHAVIOR says, a medium one as PPACCEPTABLEPINBEHAVIOR. */
static int
policy_allows(const struct tok_opts *o, const char *pin, const char *cur,
    const cpk_tok_model *m)
{
	const char *factory[3] = { m->user_pin, m->admin_pin, NULL };
	cpk_pinq_result q;

	if (cpk_pin_quality(&o->policy, pin, strlen(pin), cur,
	    m->user_pin ? factory : NULL, &q) != CPK_OK) {
		cli_error(_("the new PIN is not valid UTF-8 text; nothing "
		    "changed"));
		return 0;
	}
	if (q.broken & CPK_PINQ_TOO_LONG) {
		/* counted in the bytes sent (TOKENS.md §6.5) */
		cli_error(_("a token PIN has at most 16 bytes; nothing "
		    "changed"));
		return 0;
	}
	if (q.action == CPK_PINQ_ALLOW)
		return 1;
	token_pinq_report(stderr, &o->policy, &q, 0);
	if (q.action == CPK_PINQ_FORBID) {
		cli_error(_("the PIN policy forbids this PIN; nothing "
		    "changed"));
		return 0;
	}
	return 1;
}

int
tok_change_pin(struct tok_opts *o)
{
	struct tok_session s = { NULL, NULL, NULL };
	enum cpk_pin_ref target = o->admin ? CPK_PIN_ADMIN : CPK_PIN_USER;
	enum cpk_pin_ref auth = o->admin || o->by_admin ? CPK_PIN_ADMIN :
	    CPK_PIN_USER;
	char pin[PIN_CAP], fresh[PIN_CAP];
	unsigned char b[PIN_CAP], nb[PIN_CAP];
	size_t n = 0, nn = 0;
	cpk_pin_state st;
	int code;
	cpk_err r;

	memset(fresh, 0, sizeof(fresh));
	memset(b, 0, sizeof(b));
	memset(nb, 0, sizeof(nb));
	if ((code = read_pin(&o->pin.src, auth == CPK_PIN_ADMIN ?
	    _("Current admin PIN: ") : _("Current user PIN: "), pin)) != 0 ||
	    (code = read_new_pin(o, fresh)) != 0 ||
	    (code = encode_pin(o, pin, role(auth == CPK_PIN_ADMIN), b,
	    &n)) != 0 ||
	    (code = encode_pin(o, fresh, _("the new PIN"), nb, &nn)) != 0)
		goto out;
	if ((code = tok_open(o, &s)) != 0 ||
	    (code = format_gate(o, &s)) != 0 ||
	    (code = model_ok(o, &s, b, n)) != 0 ||
	    (code = model_ok(o, &s, nb, nn)) != 0 ||
	    (code = legacy_ok(o, &s, n)) != 0)
		goto out;
	if (!policy_allows(o, fresh, target == auth ? pin : NULL,
	    cpk_token_model(s.t))) {
		code = CPK_EXIT_DATA;
		goto out;
	}
	r = (o->legacy_tlv ? cpk_token_change_pin_legacy_tlv :
	    cpk_token_change_pin)(s.t, target, auth, (const char *)b, n,
	    (const char *)nb, nn, o->pin.min_tries, &st);
	if (r == CPK_OK)
		cli_out(stdout, _("%s: %s changed\n"), cli_disp(s.reader),
		    role(o->admin));
	else
		code = tok_pin_error(role(auth == CPK_PIN_ADMIN), r, &st, o);
out:
	tok_close(&s);
	OPENSSL_cleanse(pin, sizeof(pin));
	OPENSSL_cleanse(fresh, sizeof(fresh));
	OPENSSL_cleanse(b, sizeof(b));
	OPENSSL_cleanse(nb, sizeof(nb));
	return code;
}

int
tok_unblock(struct tok_opts *o)
{
	struct tok_session s;
	cpk_pin_state st;
	char pin[PIN_CAP];
	unsigned char b[PIN_CAP];
	size_t n = 0;
	int code;
	cpk_err r;

	memset(b, 0, sizeof(b));
	if ((code = read_pin(&o->pin.src, _("Admin PIN: "), pin)) != 0 ||
	    (code = encode_pin(o, pin, role(1), b, &n)) != 0)
		goto out;
	if ((code = tok_open(o, &s)) != 0)
		goto out;
	if ((code = format_gate(o, &s)) != 0 ||
	    (code = model_ok(o, &s, b, n)) != 0) {
		tok_close(&s);
		goto out;
	}
	r = cpk_token_unblock(s.t, (const char *)b, n, o->pin.min_tries, &st);
	if (r == CPK_OK) {
		cli_out(stdout, _("%s: user PIN unblocked"), cli_disp(s.reader));
		if (st.known)
			printf(P_(", %u tries", ", %u tries", st.tries),
			    st.tries);
		printf("\n");
	} else
		code = tok_pin_error(role(1), r, &st, o);
	tok_close(&s);
out:
	OPENSSL_cleanse(pin, sizeof(pin));
	OPENSSL_cleanse(b, sizeof(b));
	return code;
}

/* One factory PIN, one VERIFY, within the tries budget: "still set" is a
 * finding (exit 1); "not the factory PIN" costs one try, which the
 * output says (PIN-POLICY.md: it never means the PIN is lost). */
int
tok_check_defaults(struct tok_opts *o)
{
	struct tok_session s;
	const cpk_tok_model *m;
	const char *pin;
	cpk_pin_state st;
	int code;
	cpk_err r;

	if ((code = tok_open(o, &s)) != 0)
		return code;
	m = cpk_token_model(s.t);
	pin = o->admin ? m->admin_pin : m->user_pin;
	if (pin == NULL) {
		cli_error(_("%s: %s: no factory %s is known for this model"),
		    s.reader, m->name, role(o->admin));
		code = CPK_EXIT_DATA;
		goto out;
	}
	r = cpk_token_verify(s.t, o->admin ? CPK_PIN_ADMIN : CPK_PIN_USER,
	    pin, strlen(pin), o->pin.min_tries, &st);
	(void)cpk_token_logout(s.t);
	if (r == CPK_OK) {
		cli_out(stdout, _("%s: the factory %s is still set: change it "
		    "(cpkit-token change-pin%s)\n"), cli_disp(s.reader),
		    role(o->admin),
		    o->admin ? " --admin" : "");
		code = CPK_EXIT_FINDINGS;
	} else if (r == CPK_E_PIN_WRONG) {
		cli_out(stdout, _("%s: the %s is not the factory one"),
		    cli_disp(s.reader), role(o->admin));
		if (st.known)
			printf(_(" (the check cost one try: %u left)"),
			    st.tries);
		printf("\n");
	} else
		code = tok_pin_error(role(o->admin), r, &st, o);
out:
	tok_close(&s);
	return code;
}
