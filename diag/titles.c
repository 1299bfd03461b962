/* Plain-language headlines of the findings, for the triage report: a
 * support engineer reads "the header's checksum is wrong", not
 * "hmacKeyContainerContent"; the message with its field names and the id
 * stay beside it as small evidence. One line per catalogue id
 * (findings.c); an id without one shows its message. */
#include <string.h>

#include "internal.h"

static const struct {
	const char	*id;
	const char	*title;
} titles[] = {
	{ "file-missing", N_("A key file is missing") },
	{ "reserve-missing", N_("No reserve copy of the key") },
	{ "copy-incomplete", N_("The main copy of the key is incomplete") },
	{ "reserve-incomplete", N_("The reserve copy of the key is "
	  "incomplete") },
	{ "token-pin-needed", N_("Files on the token need its PIN to be "
	  "checked") },
	{ "file-unreadable", N_("A key file cannot be read") },
	{ "file-not-regular", N_("A key file is not an ordinary file") },
	{ "file-damaged", N_("A key file is corrupt") },
	{ "file-trailing", N_("Padding after the data of a key file") },
	{ "header-old-format", N_("The container is in an obsolete format") },
	{ "header-v4", N_("The container's format is not supported yet") },
	{ "header-version", N_("The container names an unusual format "
	  "version") },
	{ "header-ber", N_("The header is written in a lenient encoding") },
	{ "header-field-unreadable", N_("An optional part of the header "
	  "cannot be read") },
	{ "header-time-local", N_("The key's validity date is in local "
	  "time") },
	{ "header-mac", N_("The header's checksum is wrong: the header is "
	  "damaged or was edited") },
	{ "header-sbox-mismatch", N_("The header's checksum was made with "
	  "the wrong parameters") },
	{ "alg-unsupported", N_("The key algorithm is not GOST") },
	{ "curve-unsupported", N_("The key's curve is unknown") },
	{ "key-size", N_("The key files do not fit together") },
	{ "masks-mac", N_("The key's mask file is damaged") },
	{ "cert-missing", N_("No certificate in the container") },
	{ "cert-damaged", N_("The certificate in the container is "
	  "unreadable") },
	{ "cert-key-mismatch", N_("The certificate belongs to another key") },
	{ "cert-alg-mismatch", N_("The certificate's algorithm differs from "
	  "the key's") },
	{ "cert-expired", N_("The certificate has expired") },
	{ "cert-not-yet-valid", N_("The certificate is not valid yet") },
	{ "cert-expires-soon", N_("The certificate expires soon") },
	{ "key-expired", N_("The private key's period of use is over") },
	{ "key-not-yet-valid", N_("The private key's period of use has not "
	  "begun") },
	{ "key-expires-soon", N_("The private key's period of use ends "
	  "soon") },
	{ "key-period-2001", N_("A GOST 2001 key past CryptoPro's usual "
	  "period") },
	{ "key-not-exportable", N_("The key cannot be exported") },
	{ "password-not-set", N_("The container has no password") },
	{ "password-wrong", N_("The password given does not open the "
	  "container") },
	{ "password-encoding", N_("The password works in another "
	  "encoding") },
	{ "password-list", N_("A line of the password list opens the "
	  "container") },
	{ "copy-unlock-failed", N_("One copy of the key does not open") },
	{ "copies-differ", N_("The two copies of the key differ") },
	{ "cert-pubkey-mismatch", N_("The key does not match its "
	  "certificate") },
	{ "cert-given-match", N_("The certificate given matches the key") },
	{ "cert-given-mismatch", N_("The certificate given does not match "
	  "the key") },
	{ "cert-given-newer", N_("The certificate given is newer than the "
	  "one in the container") },
	{ "sign-verify-failed", N_("A test signature failed") },
	{ "scan-incomplete", N_("The search stopped before the end") },
	{ "key-ok", N_("The key opens and signs") },
	{ "backup-copy", N_("A backup archive of cpkit-fix was found") },
	{ "duplicate-name", N_("Several containers have the same name") },
	{ "staging-leftover", N_("A folder left by an interrupted run") },
};

const char *
cpk_finding_title(const cpk_finding *f)
{
	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		if (strcmp(titles[i].id, f->id) == 0)
			return _(titles[i].title);
	return f->message;
}
