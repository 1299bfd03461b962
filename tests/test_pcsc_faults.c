/* PC/SC failures made on purpose (issue 17 §4). This binary is linked with
 * --wrap for every SCard* call token/pcsc.c makes (Makefile), and the
 * wrappers answer in process with the virtual Rutoken's own card model
 * (tests/vtoken, without its vpcd wire), so that a test can make the Nth
 * PC/SC call fail and watch what reaches the caller: the token medium
 * either fails as a whole or, when the failure came after the reads,
 * gives exactly what a clean run gives. A card lost mid-read never yields
 * a partial container, and nothing leaks (make asan runs this too). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <winscard.h>

#include <criterion/criterion.h>

#include "media.h"
#include "vtoken/vtoken.h"

#define READER	"Virtual Rutoken 00 00"

static vt_card card;
static long calls;		/* SCard* calls so far */
static long fail_at = -1;	/* the call that fails; -1: none */
static LONG fail_rv;		/* what it returns */
static int present = 1;		/* SCardStatus: the card is in */
static int dead;		/* pcscd stopped: every call fails */
static int built;
static int contexts, handles;	/* open ones, to see none leak */

static void
card_new(const char *model)
{
	/* getopt wants char *: the arguments live in writable arrays */
	char a0[] = "vtoken", a1[] = "--model", a2[8],
	    a3[] = "samples/flash/good2001.000",
	    a4[] = "samples/flash/5f3a9c1d.000";
	char *argv[] = { a0, a1, a2, a3, a4, NULL };
	vt_config cfg;

	snprintf(a2, sizeof(a2), "%s", model);
	if (built)
		vt_fs_free(&card);
	memset(&cfg, 0, sizeof(cfg));
	memset(&card, 0, sizeof(card));
	optind = 1;
	vt_opts_parse(5, argv, &cfg);
	cr_assert_eq(vt_fs_build(&card, &cfg), 0);
	built = 1;
	vt_pin_wipe(&cfg.pin[0]);
	vt_pin_wipe(&cfg.pin[1]);
	calls = 0;
	fail_at = -1;
	present = 1;
	dead = 0;
	contexts = handles = 0;
}

/* 1 when this call is the one to fail; a removed card stays removed, a
 * stopped service stays stopped */
static int
fault(void)
{
	if (calls++ != fail_at)
		return dead;
	if (fail_rv == SCARD_W_REMOVED_CARD)
		present = 0;
	if (fail_rv == SCARD_E_NO_SERVICE)
		dead = 1;
	return 1;
}

LONG	__wrap_SCardEstablishContext(DWORD, LPCVOID, LPCVOID, LPSCARDCONTEXT);
LONG	__wrap_SCardReleaseContext(SCARDCONTEXT);
LONG	__wrap_SCardListReaders(SCARDCONTEXT, LPCSTR, LPSTR, LPDWORD);
LONG	__wrap_SCardConnect(SCARDCONTEXT, LPCSTR, DWORD, DWORD,
	    LPSCARDHANDLE, LPDWORD);
LONG	__wrap_SCardDisconnect(SCARDHANDLE, DWORD);
LONG	__wrap_SCardBeginTransaction(SCARDHANDLE);
LONG	__wrap_SCardEndTransaction(SCARDHANDLE, DWORD);
LONG	__wrap_SCardStatus(SCARDHANDLE, LPSTR, LPDWORD, LPDWORD, LPDWORD,
	    LPBYTE, LPDWORD);
LONG	__wrap_SCardTransmit(SCARDHANDLE, const SCARD_IO_REQUEST *, LPCBYTE,
	    DWORD, SCARD_IO_REQUEST *, LPBYTE, LPDWORD);

LONG
__wrap_SCardEstablishContext(DWORD scope, LPCVOID a, LPCVOID b,
    LPSCARDCONTEXT ctx)
{
	(void)scope, (void)a, (void)b;
	if (fault())
		return fail_rv;
	*ctx = 1;
	contexts++;
	return SCARD_S_SUCCESS;
}

LONG
__wrap_SCardReleaseContext(SCARDCONTEXT ctx)
{
	(void)ctx;
	contexts--;
	return fault() ? fail_rv : SCARD_S_SUCCESS;
}

LONG
__wrap_SCardListReaders(SCARDCONTEXT ctx, LPCSTR groups, LPSTR buf,
    LPDWORD len)
{
	static const char names[] = READER "\0";	/* and the final NUL */

	(void)ctx, (void)groups;
	if (fault())
		return fail_rv;
	if (buf != NULL && *len < sizeof(names))
		return SCARD_E_INSUFFICIENT_BUFFER;
	if (buf != NULL)
		memcpy(buf, names, sizeof(names));
	*len = sizeof(names);
	return SCARD_S_SUCCESS;
}

LONG
__wrap_SCardConnect(SCARDCONTEXT ctx, LPCSTR reader, DWORD share,
    DWORD protos, LPSCARDHANDLE h, LPDWORD proto)
{
	(void)ctx, (void)share, (void)protos;
	if (fault())
		return fail_rv;
	if (strcmp(reader, READER) != 0)
		return SCARD_E_UNKNOWN_READER;
	if (!present)
		return SCARD_E_NO_SMARTCARD;
	*h = 2;
	*proto = SCARD_PROTOCOL_T1;
	handles++;
	return SCARD_S_SUCCESS;
}

LONG
__wrap_SCardDisconnect(SCARDHANDLE h, DWORD how)
{
	(void)h, (void)how;
	handles--;
	return fault() ? fail_rv : SCARD_S_SUCCESS;
}

LONG
__wrap_SCardBeginTransaction(SCARDHANDLE h)
{
	(void)h;
	return fault() ? fail_rv : SCARD_S_SUCCESS;
}

LONG
__wrap_SCardEndTransaction(SCARDHANDLE h, DWORD how)
{
	(void)h, (void)how;
	return fault() ? fail_rv : SCARD_S_SUCCESS;
}

LONG
__wrap_SCardStatus(SCARDHANDLE h, LPSTR name, LPDWORD name_len,
    LPDWORD state, LPDWORD proto, LPBYTE atr, LPDWORD atr_len)
{
	(void)h, (void)name, (void)name_len;
	if (fault())
		return fail_rv;
	if (!present)
		return SCARD_W_REMOVED_CARD;
	*state = SCARD_PRESENT | SCARD_SPECIFIC;
	*proto = SCARD_PROTOCOL_T1;
	if (*atr_len < card.atr_len)
		return SCARD_E_INSUFFICIENT_BUFFER;
	memcpy(atr, card.atr, card.atr_len);
	*atr_len = (DWORD)card.atr_len;
	return SCARD_S_SUCCESS;
}

LONG
__wrap_SCardTransmit(SCARDHANDLE h, const SCARD_IO_REQUEST *pci,
    LPCBYTE cmd, DWORD len, SCARD_IO_REQUEST *rpci, LPBYTE out,
    LPDWORD out_len)
{
	unsigned char resp[VT_MAX_MSG];
	const char *note = NULL;
	size_t n;

	(void)h, (void)pci, (void)rpci;
	if (fault())
		return fail_rv;
	if (!present)
		return SCARD_W_REMOVED_CARD;
	n = vt_card_apdu(&card, cmd, len, resp, &note);
	if (n > *out_len)
		return SCARD_E_INSUFFICIENT_BUFFER;
	memcpy(out, resp, n);
	*out_len = (DWORD)n;
	return SCARD_S_SUCCESS;
}

/* What the token medium gave: each container's address and its six
 * files, in order, as one string, or the error. */
struct seen {
	cpk_err	 r;
	size_t	 n, warnings, files;
	char	 why[512];		/* the first warning */
	char	 text[8192];
};

static void
look(struct seen *s, const char *pin)
{
	cpk_media_opts o = { 0 };
	cpk_media *m = NULL;
	const cpk_ref *ref;
	size_t at = 0;

	memset(s, 0, sizeof(*s));
	o.pin = pin;
	o.pin_len = pin != NULL ? strlen(pin) : 0;
	if ((s->r = cpk_media_open_opts("pcsc:", &o, &m)) != CPK_OK) {
		cr_assert_null(m);
		return;
	}
	while (cpk_media_next(m, &ref) == CPK_OK) {
		cpk_files *f = NULL;

		cr_assert_eq(cpk_media_load(m, ref, &f), CPK_OK);
		at += (size_t)snprintf(s->text + at, sizeof(s->text) - at,
		    "%s:", ref->location);
		for (int i = 0; i < CPK_F_COUNT; i++) {
			unsigned char md[32];
			unsigned mdlen = 0;

			s->files += f->f[i] != NULL;
			if (f->f[i] != NULL)
				cr_assert(EVP_Digest(f->f[i]->ptr, f->f[i]->len,
				    md, &mdlen, EVP_sha256(), NULL));
			at += (size_t)snprintf(s->text + at,
			    sizeof(s->text) - at, " %zu/%02x%02x%02x%02x",
			    f->f[i] ? f->f[i]->len : 0, mdlen ? md[0] : 0,
			    mdlen ? md[1] : 0, mdlen ? md[2] : 0,
			    mdlen ? md[3] : 0);
		}
		cr_assert_lt(at, sizeof(s->text) - 1);
		s->text[at++] = '\n';
		s->n++;
		cpk_files_free(&f);
	}
	if (cpk_media_warning(m, 0) != NULL)
		snprintf(s->why, sizeof(s->why), "%s", cpk_media_warning(m, 0));
	while (cpk_media_warning(m, s->warnings) != NULL)
		s->warnings++;
	cpk_media_close(&m);
}

/* Every PC/SC call of a clean read of a Lite and of an ECP, failed in turn
 * as a pulled card does (the call says SCARD_W_REMOVED_CARD, and the card
 * stays out): the read fails as a whole with the reason, or the failure
 * came after the last read and the result is the clean one. Never a
 * partial list, never a context or a card handle left open. */
static void
each_call_fails(const char *model, const char *pin, LONG rv, cpk_err want)
{
	struct seen clean, got;
	long total;
	unsigned long tries;

	card_new(model);
	tries = card.pin[1].tries;
	look(&clean, pin);
	total = calls;
	cr_assert_eq(clean.r, CPK_OK, "%s", cpk_err_name(clean.r));
	cr_assert_eq(clean.n, 2, "%s: %zu containers", model, clean.n);
	/* name and header free; masks and primary behind the user PIN */
	cr_assert_eq(clean.files, pin != NULL ? 12 : 4, "%s: %zu files",
	    model, clean.files);
	cr_assert_eq(contexts, 0);
	cr_assert_eq(handles, 0);
	cr_assert_gt(total, 10);
	for (long k = 0; k < total; k++) {
		built = 1;
		card_new(model);
		fail_rv = rv;
		fail_at = k;
		look(&got, pin);
		/* a lost link is never taken for a wrong PIN */
		cr_assert_eq(card.pin[1].tries, tries, "call %ld: a PIN try "
		    "spent", k);
		cr_assert_eq(contexts, 0, "call %ld: a context left open", k);
		cr_assert_eq(handles, 0, "call %ld: a card left connected", k);
		if (got.r != CPK_OK) {
			cr_assert(got.r == want || got.r == CPK_E_NO_CARD,
			    "%s, call %ld of %ld: %s", model, k, total,
			    cpk_err_name(got.r));
			continue;
		}
		/* only a failure that nothing read depends on passes */
		cr_assert_str_eq(got.text, clean.text, "%s, call %ld of %ld: "
		    "%zu containers, %zu warnings (%s)", model, k, total, got.n,
		    got.warnings, got.why);
	}
	vt_fs_free(&card);
	built = 0;
}

Test(pcsc_faults, pulled_card_lite)
{
	each_call_fails("lite", NULL, SCARD_W_REMOVED_CARD,
	    CPK_E_CARD_REMOVED);
}

Test(pcsc_faults, pulled_card_ecp)
{
	each_call_fails("ecp", NULL, SCARD_W_REMOVED_CARD,
	    CPK_E_CARD_REMOVED);
}

Test(pcsc_faults, pulled_card_s)
{
	each_call_fails("s", NULL, SCARD_W_REMOVED_CARD, CPK_E_CARD_REMOVED);
}

/* with the user PIN: the VERIFY and the protected files in the run */
Test(pcsc_faults, pulled_card_ecp_with_pin)
{
	each_call_fails("ecp", "12345678", SCARD_W_REMOVED_CARD,
	    CPK_E_CARD_REMOVED);
}

/* pcscd gone mid-read: each call answers "no service" once */
Test(pcsc_faults, service_stopped_ecp)
{
	each_call_fails("ecp", NULL, SCARD_E_NO_SERVICE, CPK_E_NO_PCSCD);
}

Test(pcsc_faults, service_stopped_ecp_with_pin)
{
	each_call_fails("ecp", "12345678", SCARD_E_NO_SERVICE,
	    CPK_E_NO_PCSCD);
}
