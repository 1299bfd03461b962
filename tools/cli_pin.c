/* A token's user PIN on the command line of the tools that read media
 * (cpkit-list, cpkit-test, cpkit-export, cpkit-diag): where it comes
 * from, and what to tell the user when the token refused it or cpkit
 * refused to send it (TOKENS.md §6.2). */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "tokens.h"

void
cli_pin_init(cli_pin *p)
{
	memset(p, 0, sizeof(*p));
	p->min_tries = CPK_MIN_TRIES_DEFAULT;
}

int
cli_pin_opt(int ch, const char *arg, cli_pin *p)
{
	switch (ch) {
	case CLI_OPT_PIN_FILE:
		p->src.file = arg;
		break;
	case CLI_OPT_PIN_ENV:
		p->src.env = arg;
		break;
	case CLI_OPT_ASK_PIN:
		p->src.ask = 1;
		break;
	case CLI_OPT_MIN_TRIES:
		/* 1 at least: the last try is never risked */
		if (cli_parse_u32(arg, 1, 15, &p->min_tries) != CPK_OK) {
			cli_error(_("--min-tries: a number from 1 to 15"));
			return -1;
		}
		break;
	case CLI_OPT_PIN_ENCODING:
		return cli_pin_encoding_arg(arg, &p->enc);
	}
	return 0;
}

int
cli_pin_encoding_arg(const char *arg, enum cpk_pinenc *out)
{
	if (strcmp(arg, "cp1251") == 0)
		*out = CPK_PINENC_CP1251;
	else if (strcmp(arg, "utf8") == 0)
		*out = CPK_PINENC_UTF8;
	else {
		cli_error(_("--pin-encoding: cp1251 or utf8"));
		return -1;
	}
	return 0;
}

int
cli_pin_encode(enum cpk_pinenc enc, const char *pin, const char *what,
    unsigned char *out, size_t cap, size_t *len)
{
	switch (cpk_pin_encode(enc, pin, strlen(pin), out, cap, len)) {
	case CPK_OK:
		return 0;
	case CPK_E_ARG:
		/* TRANSLATORS: %s is "the token PIN", "the new PIN"... */
		cli_error(_("%s has non-Latin characters: name how the token "
		    "holds them with --pin-encoding cp1251 or utf8, as the "
		    "Rutoken driver's PINENCODING was set (ANSI, the default, "
		    "is cp1251; UTF8 exists on Rutoken ECP only). A wrong "
		    "guess costs one of the PIN's tries, so no PIN was sent."),
		    what);
		break;
	case CPK_E_RANGE:
		cli_error(_("%s has a character that CP1251 does not have; no "
		    "PIN was sent"), what);
		break;
	case CPK_E_TOO_BIG:
		cli_error(P_("%s is longer than %zu byte once encoded; no PIN "
		    "was sent", "%s is longer than %zu bytes once encoded; no "
		    "PIN was sent", cap), what, cap);
		break;
	case CPK_E_UNSUPPORTED:
		cli_error(_("%s: CP1251 conversion is not available (iconv); "
		    "no PIN was sent"), what);
		return CPK_EXIT_ENV;
	default:
		cli_error(_("%s is not valid UTF-8 text; no PIN was sent"),
		    what);
		break;
	}
	return CPK_EXIT_USAGE;
}

int
cli_pin_model_ok(enum cpk_pinenc enc, const char *reader,
    const cpk_tok_model *m)
{
	if (enc != CPK_PINENC_UTF8 || cpk_tok_pin_utf8_ok(m))
		return 0;
	cli_error(_("%s: %s holds PINs in CP1251 only (UTF8 exists on "
	    "Rutoken ECP only); --pin-encoding utf8 refused, no PIN sent"),
	    cli_disp(reader), cli_disp(m->name));
	return CPK_EXIT_USAGE;
}

static int
has_high(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] >= 0x80)
			return 1;
	return 0;
}

cpk_err
cli_pin_read(cli_pin *p)
{
	cpk_err r;

	p->mo.min_tries = p->min_tries;
	if (cli_secret_count(&p->src) == 0)
		return CPK_OK;
	if (cli_secret_count(&p->src) > 1) {
		cli_error(_("give the token PIN one way only"));
		return CPK_E_NO_PIN;
	}
	if ((r = cli_secret_read(&p->src, _("Token user PIN: "), p->buf,
	    sizeof(p->buf))) != CPK_OK)
		return CPK_E_NO_PIN;
	if (p->buf[0] == '\0') {
		cli_error(_("the token PIN is empty"));
		return CPK_E_NO_PIN;
	}
	if (cli_pin_encode(p->enc, p->buf, _("the token PIN"), p->sent,
	    sizeof(p->sent), &p->mo.pin_len) != 0)
		return CPK_E_NO_PIN;
	OPENSSL_cleanse(p->buf, sizeof(p->buf));	/* only sent[] goes on */
	p->mo.pin = (const char *)p->sent;
	/* bytes that are not ASCII, as utf8 sends them: ECP only */
	p->mo.pin_utf8 = p->enc == CPK_PINENC_UTF8 &&
	    has_high(p->sent, p->mo.pin_len);
	return CPK_OK;
}

void
cli_pin_wipe(cli_pin *p)
{
	OPENSSL_cleanse(p->buf, sizeof(p->buf));
	OPENSSL_cleanse(p->sent, sizeof(p->sent));
	p->mo.pin = NULL;
	p->mo.pin_len = 0;
}

int
cli_pin_report(const cli_pin *p)
{
	const cpk_media_opts *o = &p->mo;

	switch (o->pin_result) {
	case CPK_OK:
		return CPK_EXIT_OK;
	case CPK_E_PIN_WRONG:
		if (o->tries_known)
			cli_error(P_("the token's user PIN is wrong: %u tries "
			    "left; cpkit does not try again", "the token's user "
			    "PIN is wrong: %u tries left; cpkit does not try "
			    "again", o->tries), o->tries);
		else
			cli_error(_("the token's user PIN is wrong"));
		break;
	case CPK_E_PIN_LOW:
		cli_error(P_("the token's user PIN has %u tries left: no PIN "
		    "sent (a wrong one would leave fewer than --min-tries %u)",
		    "the token's user PIN has %u tries left: no PIN sent (a "
		    "wrong one would leave fewer than --min-tries %u)",
		    o->tries), o->tries, o->min_tries);
		break;
	case CPK_E_PIN_BLOCKED:
		cli_error(_("the token's user PIN is blocked: unblock it with "
		    "the admin PIN (cpkit-token unblock); if the admin PIN "
		    "is blocked too, only formatting the token helps, and "
		    "that deletes every key on it"));
		break;
	case CPK_E_PIN_UNKNOWN:
		cli_error(_("the PIN tries left cannot be read safely on this "
		    "token: no PIN sent"));
		break;
	case CPK_E_UNSUPPORTED:		/* media_token.c: utf8 on no ECP */
		cli_error(_("this token holds PINs in CP1251 only (UTF8 "
		    "exists on Rutoken ECP only); --pin-encoding utf8 "
		    "refused, no PIN sent"));
		return CPK_EXIT_USAGE;
	default:
		cli_error(_("token PIN: %s"), cpk_err_text(o->pin_result));
		return (int)cli_exit_for(o->pin_result);
	}
	return CPK_EXIT_DATA;
}

void
cli_token_where(const char *uri, const cpk_where *w)
{
	char text[CPK_WHERE_PATH_MAX + 160];

	/* "pcsc: the token..." rather than "pcsc:: the token..." */
	if (w->op != NULL)
		cli_error(_("%s%sthe token stopped at %s"), cli_disp(uri),
		    uri[0] != '\0' && uri[strlen(uri) - 1] == ':' ? " " :
		    ": ", cpk_where_text(w, text, sizeof(text)));
}

int
cli_token_error(const char *uri, cpk_err r)
{
	/* "pcsc: no token..." rather than "pcsc:: no token..." */
	const char *sep = uri[5] != '\0' ? ": " : " ";

	switch (r) {
	case CPK_E_CARD_REMOVED:
		cli_error(_("%s%s%s; nothing was written"), uri, sep,
		    cpk_err_text(r));
		return CPK_EXIT_ENV;
	default:
		cli_error("%s%s%s", uri, sep, cpk_err_text(r));
		return (int)cli_exit_for(r);
	}
}
