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
	}
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
	p->mo.pin = p->buf;
	p->mo.pin_len = strlen(p->buf);
	return CPK_OK;
}

void
cli_pin_wipe(cli_pin *p)
{
	OPENSSL_cleanse(p->buf, sizeof(p->buf));
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
	default:
		cli_error(_("token PIN: %s"), cpk_err_text(o->pin_result));
		return (int)cli_exit_for(o->pin_result);
	}
	return CPK_EXIT_DATA;
}

int
cli_token_error(const char *uri, cpk_err r)
{
	/* "pcsc: no token..." rather than "pcsc:: no token..." */
	const char *sep = uri[5] != '\0' ? ": " : " ";

	switch (r) {
	case CPK_E_ARG:
		cli_error(_("%s%sseveral readers hold a token; name one, e.g. "
		    "pcsc:\"<reader name>\" (cpkit-token list shows them)"),
		    uri, sep);
		return CPK_EXIT_USAGE;
	case CPK_E_NO_READER:
		cli_error("%s%s%s", uri, sep, uri[5] != '\0' ?
		    _("no reader has that name") : cpk_err_text(r));
		return CPK_EXIT_ENV;
	case CPK_E_CARD_REMOVED:
		cli_error(_("%s%s%s; nothing was written"), uri, sep,
		    cpk_err_text(r));
		return CPK_EXIT_ENV;
	default:
		cli_error("%s%s%s", uri, sep, cpk_err_text(r));
		return (int)cli_exit_for(r);
	}
}
