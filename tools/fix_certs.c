/* cpkit-fix's listing of the certificate candidates (--cert): every one
 * considered for header.key [5] or [6], best first, and why the chosen
 * one won or why the container's own certificate stays. */
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "fix_certs.h"

static const char *
cand_file(const cpk_cert_list *l, size_t i)
{
	return l->file != NULL && l->file[i] != NULL ? l->file[i] :
	    C_("cert file", "(no file)");
}

static const char *
validity(const cpk_cert_cand *c, time_t now)
{
	return c->valid ? C_("cert", "valid now") : now > c->ci.not_after ?
	    C_("cert", "expired") : C_("cert", "not valid yet");
}

/* Why the winner ranks before the runner-up: the rule that decided. */
static void
print_why(const cpk_cert_list *l, const cpk_cert_cand *a,
    const cpk_cert_cand *b, enum cpk_cert_why why)
{
	char d1[16], d2[16];

	switch (why) {
	case CPK_WHY_ONLY:
		fputs(_("the only certificate given that holds this key"),
		    stdout);
		break;
	case CPK_WHY_VALID:
		cli_out(stdout, _("valid now, unlike %s"),
		    cli_disp(cand_file(l, b->index)));
		break;
	case CPK_WHY_NOT_AFTER:
		cli_out(stdout, _("the latest notAfter (%s; %s: %s)"),
		    cpk_day_text(a->ci.not_after, d1, sizeof(d1)),
		    cli_disp(cand_file(l, b->index)),
		    cpk_day_text(b->ci.not_after, d2, sizeof(d2)));
		break;
	case CPK_WHY_NOT_BEFORE:
		cli_out(stdout, _("the same notAfter as %s and the later "
		    "notBefore (%s against %s)"),
		    cli_disp(cand_file(l, b->index)),
		    cpk_day_text(a->ci.not_before, d1, sizeof(d1)),
		    cpk_day_text(b->ci.not_before, d2, sizeof(d2)));
		break;
	case CPK_WHY_DIGEST:
		cli_out(stdout, _("the same dates as %s: the lower SHA-256 "
		    "decides"), cli_disp(cand_file(l, b->index)));
		break;
	}
}

/* Every candidate considered for [5] or [6], best first, and why the
 * chosen one won (or why the container's own certificate stays). */
void
fix_print_pick(const cpk_cert_list *l, const cpk_cert_pick *pk, int sec,
    time_t now)
{
	char fp[20], d1[16], d2[16];

	if (pk == NULL || pk->n == 0)
		return;
	for (size_t i = 0; i < 8; i++)
		snprintf(fp + 2 * i, 3, "%02x", pk->fp[i]);
	if (!pk->have_fp && pk->by_dg)
		cli_out(stdout, _("Certificates considered for header.key %s "
		    "(matched by d*G):\n"), sec ? "[6]" : "[5]");
	else
		cli_out(stdout, _("Certificates considered for header.key %s "
		    "(%s %s, matched by %s):\n"), sec ? "[6]" : "[5]",
		    sec ? "secondaryFP" : "primaryFP", pk->have_fp ? fp : "?",
		    pk->by_dg ? "d*G" : C_("matched by", "fingerprint"));
	for (size_t i = 0; i < pk->n; i++) {
		const cpk_cert_cand *c = &pk->v[i];
		cli_out(stdout, _("  %s %s: \"%s\", serial %s, %s - %s, %s, "
		    "holds the key: %s\n"), (int)i == pk->chosen ? "*" : " ",
		    cli_disp(cand_file(l, c->index)), cli_disp(c->ci.subject),
		    c->ci.serial, cpk_day_text(c->ci.not_before, d1, sizeof(d1)),
		    cpk_day_text(c->ci.not_after, d2, sizeof(d2)), validity(c, now),
		    c->matches ? C_("holds", "yes") : C_("holds", "no"));
	}
	if (pk->nmatch == 0)
		return;
	if (pk->chosen < 0) {
		cli_out(stdout, _("  kept: the certificate in the container "
		    "(serial %s, %s - %s, %s): "), pk->held.ci.serial,
		    cpk_day_text(pk->held.ci.not_before, d1, sizeof(d1)),
		    cpk_day_text(pk->held.ci.not_after, d2, sizeof(d2)),
		    validity(&pk->held, now));
		if (pk->held_given)
			fputs(_("it is the best of the certificates given"),
			    stdout);
		else if (pk->held_why == CPK_WHY_DIGEST)
			fputs(_("no certificate given has later dates"),
			    stdout);
		else
			cli_out(stdout, _("no certificate given is newer "
			    "(--force installs %s)"),
			    cli_disp(cand_file(l, pk->v[0].index)));
		fputs("\n", stdout);
		return;
	}
	cli_out(stdout, _("  chosen: %s: "),
	    cli_disp(cand_file(l, pk->v[pk->chosen].index)));
	if (pk->nmatch > 1)
		print_why(l, &pk->v[0], &pk->v[1], pk->why);
	else
		print_why(l, &pk->v[0], NULL, CPK_WHY_ONLY);
	if (pk->held_state == CPK_HELD_THIS_KEY && !pk->held_given) {
		fputs("; ", stdout);
		cli_out(stdout, pk->forced ? _("it replaces a newer "
		    "certificate of this key (serial %s, until %s): --force") :
		    _("it replaces an older certificate of this key (serial "
		    "%s, until %s)"), pk->held.ci.serial,
		    cpk_day_text(pk->held.ci.not_after, d1, sizeof(d1)));
	}
	fputs("\n", stdout);
}
