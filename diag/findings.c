/* The catalogue of findings: every id with its severity and remedy, in one
 * table so renderers, translations and the JSON schema agree. A remedy,
 * like a message, is in the user's language (gettext); ids, severities
 * and statuses stay English words for programs. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct entry {
	const char	*id;
	enum cpk_sev	 sev;
	const char	*remedy;
};

static const struct entry catalogue[] = {
	{ "file-missing", CPK_SEV_ERROR,
	  N_("Copy the whole container folder again from the original medium; "
	  "a container needs name.key, header.key and one complete "
	  "masks/primary pair.") },
	{ "reserve-missing", CPK_SEV_INFO,
	  N_("Nothing to do: some CSP versions write no reserve copy.") },
	{ "copy-incomplete", CPK_SEV_WARN,
	  N_("Rebuild the main masks/primary pair from the intact reserve copy "
	  "(cpkit-fix), or copy the missing file again.") },
	{ "reserve-incomplete", CPK_SEV_WARN,
	  N_("One file of the reserve copy is missing: copy it again, or "
	  "rebuild the reserve pair from the main one (cpkit-fix).") },
	{ "token-pin-needed", CPK_SEV_INFO,
	  N_("These files are protected by the token's user PIN and were not "
	  "checked. Give the PIN (--pin-file, --pin-env or --ask-pin) to check "
	  "them; cpkit sends it once and never when few tries are left.") },
	{ "file-unreadable", CPK_SEV_ERROR,
	  N_("Check the medium and the file's permissions; copy the file "
	  "again.") },
	{ "file-not-regular", CPK_SEV_ERROR,
	  N_("A key file must be an ordinary file; this one is a symbolic "
	  "link, FIFO or device, perhaps planted to make a tool read another "
	  "file, and was not read. Copy the container's own files again from "
	  "the original medium.") },
	{ "file-damaged", CPK_SEV_ERROR,
	  N_("The file is corrupt. Restore it from a backup; for masks/primary "
	  "the reserve copy can rebuild it (cpkit-fix).") },
	{ "file-trailing", CPK_SEV_INFO,
	  N_("Nothing to do: token copies carry padding after the data.") },
	{ "header-old-format", CPK_SEV_ERROR,
	  N_("This is a pre-V2 container; current CSP versions refuse it. "
	  "Export the key with the CSP version that created it.") },
	{ "header-v4", CPK_SEV_ERROR,
	  N_("This header format is not supported by cpkit yet; do not modify "
	  "the container.") },
	{ "header-version", CPK_SEV_WARN,
	  N_("The header names an unusual format version; CSP may refuse "
	  "it.") },
	{ "header-ber", CPK_SEV_INFO,
	  N_("Nothing to do: some CAs write headers with BER lengths.") },
	{ "header-field-unreadable", CPK_SEV_WARN,
	  N_("An optional field or extension of header.key is written in a "
	  "form cpkit cannot parse. The rest of the header was read, unlocked "
	  "and tested (the header MAC covers the bytes, so it still proves "
	  "them), and cpkit-fix keeps the field's bytes unchanged. If CSP "
	  "refuses the container, compare header.key with a backup.") },
	{ "header-time-local", CPK_SEV_WARN,
	  N_("The key validity time in header.key is local time (no 'Z'), "
	  "which DER does not allow: cpkit read it as UTC, or with its offset "
	  "when one is given. Other software may read it hours apart; check "
	  "the date against the certificate.") },
	{ "header-mac", CPK_SEV_ERROR,
	  N_("header.key is damaged or was edited by a third-party tool; CSP "
	  "will likely refuse the container. Restore header.key from a backup "
	  "or rebuild it against the certificate (cpkit-fix).") },
	{ "header-mac-unchecked", CPK_SEV_WARN,
	  N_("The header's MAC could not be computed, so header.key is not "
	  "proven intact. Check that gost-engine works (cpkit --version) and "
	  "run the check again.") },
	{ "masks-mac-unchecked", CPK_SEV_WARN,
	  N_("The masks' MAC could not be computed, so the mask is not proven "
	  "intact. Check that gost-engine works (cpkit --version) and run the "
	  "check again.") },
	{ "header-sbox-mismatch", CPK_SEV_WARN,
	  N_("header.key was written by a tool that used the wrong S-box; "
	  "recompute the header MAC (cpkit-fix).") },
	{ "alg-unsupported", CPK_SEV_ERROR,
	  N_("The key algorithm is not a GOST R 34.10 algorithm cpkit "
	  "knows.") },
	{ "curve-unsupported", CPK_SEV_ERROR,
	  N_("The curve parameters are unknown or a test set.") },
	{ "key-size", CPK_SEV_ERROR,
	  N_("The key files do not fit the algorithm: they come from different "
	  "containers or are damaged. Use the other copy or a backup.") },
	{ "masks-mac", CPK_SEV_ERROR,
	  N_("This masks file is damaged. If the other copy is intact, rebuild "
	  "this pair from it (cpkit-fix); otherwise restore from a backup.") },
	{ "cert-missing", CPK_SEV_WARN,
	  N_("The container holds no certificate, so CSP cannot link the key "
	  "to it. Put the certificate into header.key (cpkit-fix --cert).") },
	{ "cert-damaged", CPK_SEV_ERROR,
	  N_("The certificate in header.key cannot be parsed; replace it "
	  "(cpkit-fix --cert).") },
	{ "cert-key-mismatch", CPK_SEV_ERROR,
	  N_("The certificate in the container belongs to another key. Find "
	  "the certificate issued for this key and install it (cpkit-fix "
	  "--cert).") },
	{ "cert-alg-mismatch", CPK_SEV_ERROR,
	  N_("The certificate's algorithm or curve differs from the key's; "
	  "install the matching certificate.") },
	{ "cert-expired", CPK_SEV_WARN,
	  N_("The certificate has expired: request a new certificate from the "
	  "CA.") },
	{ "cert-not-yet-valid", CPK_SEV_WARN,
	  N_("The certificate is not valid yet: check the computer's clock.") },
	{ "cert-expires-soon", CPK_SEV_INFO,
	  N_("Renew the certificate before it expires.") },
	{ "key-expired", CPK_SEV_WARN,
	  N_("The private key's usage period is over: CSP refuses to sign with "
	  "it (0x80090010). The real fix is a new key and certificate. Until "
	  "then, CSP's ControlKeyTimeValidity setting 0 allows signing with an "
	  "expired key (1, the default, refuses).") },
	{ "key-not-yet-valid", CPK_SEV_WARN,
	  N_("The private key's usage period has not started: check the "
	  "clock.") },
	{ "key-expires-soon", CPK_SEV_INFO,
	  N_("Plan a new key and certificate: once the private key's usage "
	  "period ends, CSP refuses to sign with it unless its "
	  "ControlKeyTimeValidity setting is 0 (1 is the default).") },
	{ "key-period-2001", CPK_SEV_INFO,
	  N_("Nothing to do now: CryptoPro was seen to refuse GOST 2012 keys "
	  "past this date; its behaviour with GOST 2001 keys was not observed. "
	  "If CSP refuses to sign, its ControlKeyTimeValidity setting 0 allows "
	  "it (1 is the default); a new key and certificate are the real "
	  "fix.") },
	{ "key-not-exportable", CPK_SEV_INFO,
	  N_("CSP will refuse to copy or export this key (0x8009000B).") },
	{ "password-not-set", CPK_SEV_INFO,
	  N_("The container has no password; the one given was not needed.") },
	{ "password-wrong", CPK_SEV_WARN,
	  N_("The container is sound but locked: give its own password "
	  "(--password-file, or several with --password-list). Passwords "
	  "cannot be reset, only found (cpkit-passwd recover).") },
	{ "password-encoding", CPK_SEV_INFO,
	  N_("Nothing to do: reported so the encoding question can be "
	  "settled.") },
	{ "password-list", CPK_SEV_INFO,
	  N_("Nothing to do: says which line of the password list unlocks "
	  "this container; the password itself is never shown.") },
	{ "copy-unlock-failed", CPK_SEV_ERROR,
	  N_("This copy of the key is damaged or from another snapshot; "
	  "rebuild it from the good copy (cpkit-fix).") },
	{ "copies-differ", CPK_SEV_ERROR,
	  N_("The two copies hold different keys; one is stale. Keep the one "
	  "that matches the certificate (cpkit-fix).") },
	{ "cert-pubkey-mismatch", CPK_SEV_ERROR,
	  N_("The key does not match the certificate's public key: install the "
	  "right certificate (cpkit-fix --cert).") },
	/* cpkit-test --cert: a certificate given against the container */
	{ "cert-given-match", CPK_SEV_INFO,
	  N_("Nothing to do: this certificate belongs to this container's "
	  "key.") },
	{ "cert-given-mismatch", CPK_SEV_ERROR,
	  N_("This certificate was issued for another key: its container is "
	  "elsewhere. Look for it with cpkit-list --cert FILE on every "
	  "medium.") },
	{ "cert-given-newer", CPK_SEV_WARN,
	  N_("A renewed certificate of this key: install it into the "
	  "container (cpkit-fix --cert FILE), so that CSP uses it.") },
	{ "sign-verify-failed", CPK_SEV_ERROR,
	  N_("The key could not sign a test message that verifies; do not use "
	  "this container until the cause is found.") },
	{ "scan-incomplete", CPK_SEV_WARN,
	  N_("The search stopped at a limit, so containers beyond it are not "
	  "in this report. Name the folders to search on the command line, "
	  "deeper down; for another user's registry keys, run from an "
	  "elevated prompt (Run as administrator).") },
	{ "key-ok", CPK_SEV_INFO,
	  N_("Nothing to do: the private key was recovered and proven.") },
	/* of a medium, not of one container (cpk_scan.found) */
	{ "backup-copy", CPK_SEV_INFO,
	  N_("A copy of a key is here: delete this archive once the repaired "
	  "container is confirmed to work.") },
	{ "duplicate-name", CPK_SEV_WARN,
	  N_("CSP lists one container of a name in one place, and which one "
	  "is not defined. Keep the copy that works (cpkit-test says which): "
	  "give the other a new name (cpkit-export --to folder DIR --name "
	  "NEW writes a renamed copy, name.key too), or remove the stale "
	  "copy.") },
	{ "staging-leftover", CPK_SEV_WARN,
	  N_("The next cpkit-fix on this folder removes it. The key files in "
	  "it are copies; look at anything else in it before deleting it by "
	  "hand.") },
};

/* file-missing's remedy by what is missing: cpkit-fix writes name.key
 * (--name, or the folder's name) and header.key (from the certificate,
 * proven with the password) anew; a masks/primary pair only from the
 * other, complete pair, which is copy-incomplete, not this. */
const char *
cpk_missing_remedy(int header, int name, int pair)
{
	if (!pair)
		return _("Copy the whole container folder again from the "
		    "original medium: no complete masks/primary pair is left, "
		    "and nothing can rebuild one. A container needs name.key, "
		    "header.key and one complete masks/primary pair.");
	if (!header && !name)
		return _("cpkit-fix rebuilds both: header.key from the "
		    "container's certificate and the password (cpkit-fix "
		    "--cert CERT --password-file FILE), name.key with --name "
		    "NAME or from the folder's name. Or copy the whole "
		    "container again from the original medium.");
	if (!header)
		return _("cpkit-fix rebuilds header.key from the container's "
		    "certificate and the password (cpkit-fix --cert CERT "
		    "--password-file FILE). Or copy the whole container again "
		    "from the original medium.");
	return _("cpkit-fix writes name.key anew, with --name NAME or from "
	    "the folder's name. Or copy the whole container again from the "
	    "original medium.");
}

static const struct entry *
lookup(const char *id)
{
	for (size_t i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
		if (strcmp(catalogue[i].id, id) == 0)
			return &catalogue[i];
	return NULL;
}

/* The evidence of a finding that has none: shared, never freed. */
static char no_evidence[1];

static void
text_free(cpk_finding *f)
{
	free(f->message);
	if (f->evidence != no_evidence)
		free(f->evidence);
	f->message = NULL;
	f->evidence = no_evidence;
}

cpk_err
cpk_finding_retext(cpk_finding *f, const char *message, const char *evidence)
{
	char *m = NULL, *e = no_evidence;

	if ((message != NULL && (m = strdup(message)) == NULL) ||
	    (evidence != NULL && evidence[0] != '\0' &&
	    (e = strdup(evidence)) == NULL)) {
		free(m);
		return CPK_E_NOMEM;
	}
	if (message != NULL) {
		free(f->message);
		f->message = m;
	}
	if (evidence != NULL) {
		if (f->evidence != no_evidence)
			free(f->evidence);
		f->evidence = e;
	}
	return CPK_OK;
}

cpk_err
cpk_findings_copy(const cpk_findings *from, cpk_findings *to)
{
	memset(to, 0, sizeof(*to));
	to->lost = from->lost;
	if (from->n == 0)
		return CPK_OK;
	if ((to->v = calloc(from->n, sizeof(*to->v))) == NULL)
		return CPK_E_NOMEM;
	to->cap = from->n;
	for (; to->n < from->n; to->n++) {
		cpk_finding *f = &to->v[to->n];

		*f = from->v[to->n];
		f->message = NULL;
		f->evidence = no_evidence;
		if (cpk_finding_retext(f, from->v[to->n].message,
		    from->v[to->n].evidence) != CPK_OK) {
			cpk_findings_clear(to);
			return CPK_E_NOMEM;
		}
	}
	return CPK_OK;
}

cpk_finding *
cpk_finding_add(cpk_findings *l, const char *id, const char *fmt, ...)
{
	const struct entry *e = lookup(id);
	char buf[CPK_FINDING_MESSAGE_MAX];
	cpk_finding *f;
	va_list ap;

	if (e == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1;
		if (cap > SIZE_MAX / sizeof(*f) / 2 ||
		    (f = realloc(l->v, cap * sizeof(*f))) == NULL) {
			l->lost++;
			return NULL;
		}
		l->v = f;
		l->cap = cap;
	}
	f = &l->v[l->n];
	memset(f, 0, sizeof(*f));
	f->evidence = no_evidence;
	if ((f->message = strdup(buf)) == NULL) {
		l->lost++;
		return NULL;
	}
	l->n++;
	f->id = e->id;
	f->sev = e->sev;
	f->remedy = _(e->remedy);
	return f;
}

void
cpk_finding_evidence(cpk_finding *f, const char *fmt, ...)
{
	va_list ap;

	char buf[CPK_FINDING_EVIDENCE_MAX];

	if (f == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* out of memory: the finding stands without its evidence */
	(void)cpk_finding_retext(f, NULL, buf);
}

void
cpk_findings_clear(cpk_findings *l)
{
	for (size_t i = 0; l->v != NULL && i < l->n; i++)
		text_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

cpk_err
cpk_findings_state(const cpk_findings *l)
{
	return l->lost > 0 ? CPK_E_NOMEM : CPK_OK;
}

enum cpk_sev
cpk_findings_worst(const cpk_findings *l)
{
	/* a lost finding may have been an error: never report less */
	enum cpk_sev w = l->lost > 0 ? CPK_SEV_ERROR : CPK_SEV_INFO;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].sev > w)
			w = l->v[i].sev;
	return w;
}

int
cpk_findings_has(const cpk_findings *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0)
			return 1;
	return 0;
}

const char *
cpk_sev_name(enum cpk_sev s)
{
	return s == CPK_SEV_ERROR ? "error" : s == CPK_SEV_WARN ? "warning" :
	    "info";
}

const char *
cpk_sev_text(enum cpk_sev s)
{
	/* TRANSLATORS: a finding's severity, as in "[error] header-mac: ..." */
	return s == CPK_SEV_ERROR ? C_("severity", "error") :
	    s == CPK_SEV_WARN ? C_("severity", "warning") :
	    C_("severity", "info");
}

/* The one order of statuses, best first: every tool, report, sort and
 * "worst of" uses it (issue 15). locked: the structure is sound, and the
 * key did not unlock with the passwords given. */
static const char *const status_order[] = {
	"ok", "warning", "locked", "incomplete", "damaged"
};
#define NSTATUS	(sizeof(status_order) / sizeof(status_order[0]))

int
cpk_status_rank(const char *status)
{
	for (size_t i = 0; status != NULL && i < NSTATUS; i++)
		if (strcmp(status, status_order[i]) == 0)
			return (int)i;
	return (int)NSTATUS;	/* unknown: after every known one */
}

const char *
cpk_status_worse(const char *a, const char *b)
{
	return cpk_status_rank(b) > cpk_status_rank(a) ? b : a;
}

const char *
cpk_status(const cpk_findings *l)
{
	enum cpk_sev w = CPK_SEV_INFO;
	int locked = 0;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, "file-missing") == 0)
			return "incomplete";
	/* a wrong password is not damage: it makes the container locked
	 * unless something else is broken */
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, "password-wrong") == 0)
			locked = 1;
		else if (l->v[i].sev > w)
			w = l->v[i].sev;
	if (w == CPK_SEV_ERROR)
		return "damaged";
	if (locked)
		return "locked";
	return w == CPK_SEV_WARN ? "warning" : "ok";
}

const char *
cpk_status_text(const char *status)
{
	/* TRANSLATORS: a container's status in cpkit-list's STATUS column */
	if (strcmp(status, "ok") == 0)
		return C_("status", "ok");
	if (strcmp(status, "warning") == 0)
		return C_("status", "warning");
	/* TRANSLATORS: a sound container the password given did not
	 * unlock */
	if (strcmp(status, "locked") == 0)
		return C_("status", "locked");
	if (strcmp(status, "damaged") == 0)
		return C_("status", "damaged");
	if (strcmp(status, "incomplete") == 0)
		return C_("status", "incomplete");
	return status;
}

const char *
cpk_hex(const unsigned char *p, size_t n, char *out, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n && 2 * i + 2 < cap; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * i] = '\0';
	return out;
}

const char *
cpk_time_text(time_t t, char *out, size_t cap)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, cap, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(out, cap, "?");
	return out;
}

const char *
cpk_day_text(time_t t, char *out, size_t cap)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, cap, "%Y-%m-%d", &tm) == 0)
		snprintf(out, cap, "?");
	return out;
}
