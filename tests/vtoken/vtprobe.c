/* vtprobe: a tiny PC/SC client for the vtoken tests. It waits for a card
 * (or for its removal) in a reader whose name contains a substring, or
 * sends APDUs in one transaction and prints each answer as "DATA SW" (just
 * "SW" without data), exactly as the card sent it: no GET RESPONSE, no
 * resend on 6C. Exit: 0 done, 2 usage, 3 no pcscd/reader/card, or a
 * transmit that failed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <winscard.h>

#define MAX_APDU	(4 + 3 + 65535 + 3)
#define MAX_RESP	(65536 + 2)

static unsigned char cmd[MAX_APDU], resp[MAX_RESP];

static _Noreturn void
usage(int code)
{
	fputs("usage: vtprobe [--reader SUBSTR] --wait SECONDS\n"
	    "       vtprobe [--reader SUBSTR] --wait-gone SECONDS\n"
	    "       vtprobe [--reader SUBSTR] [--atr] APDU_HEX...\n",
	    code == 0 ? stdout : stderr);
	exit(code);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
nap(void)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

static int
has_card(SCARDCONTEXT ctx, const char *name)
{
	SCARD_READERSTATE rs;

	memset(&rs, 0, sizeof(rs));
	rs.szReader = name;
	rs.dwCurrentState = SCARD_STATE_UNAWARE;
	return SCardGetStatusChange(ctx, 0, &rs, 1) == SCARD_S_SUCCESS &&
	    (rs.dwEventState & SCARD_STATE_PRESENT) != 0;
}

/* Readers whose name contains sub: the first with a card goes to name (1),
 * else the first of them (0); -1 when none matches. The list is a run of
 * NUL-terminated names ended by an empty one; trust only its length. */
static int
pick_reader(SCARDCONTEXT ctx, const char *sub, char *name, size_t cap)
{
	char buf[4096];
	DWORD len = sizeof(buf);
	size_t i = 0, n;
	int r = -1;

	if (SCardListReaders(ctx, NULL, buf, &len) != SCARD_S_SUCCESS ||
	    len == 0 || len > sizeof(buf))
		return -1;
	buf[len - 1] = '\0';
	for (; i < len && buf[i] != '\0'; i += n + 1) {
		n = strlen(buf + i);	/* stops at buf[len - 1] at worst */
		if (strstr(buf + i, sub) == NULL || n >= cap)
			continue;
		if (has_card(ctx, buf + i)) {
			memcpy(name, buf + i, n + 1);
			return 1;
		}
		if (r < 0)
			memcpy(name, buf + i, n + 1);
		r = 0;
	}
	return r;
}

/* 1 card present, 0 absent, -1 no pcscd or no such reader. */
static int
present(const char *sub)
{
	SCARDCONTEXT ctx;
	char name[512];
	int r;

	if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx) !=
	    SCARD_S_SUCCESS)
		return -1;
	r = pick_reader(ctx, sub, name, sizeof(name));
	SCardReleaseContext(ctx);
	return r;
}

static int
wait_for(const char *sub, const char *secs, int want)
{
	char *end;
	long s;
	double until;

	errno = 0;
	s = strtol(secs, &end, 10);
	if (errno != 0 || *secs < '0' || *secs > '9' || *end != '\0' ||
	    s > 3600)
		usage(2);
	until = now() + (double)s;
	do {
		if (present(sub) == want)
			return 0;
		nap();
	} while (now() < until);
	fprintf(stderr, "vtprobe: no %s in a reader matching '%s' after %lds\n",
	    want ? "card" : "removal", sub, s);
	return 3;
}

static int
unhex(const char *s, unsigned char *out, size_t cap, size_t *len)
{
	size_t n = 0;
	int hi = -1, v;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == ':')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			return -1;
		out[n++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	*len = n;
	return hi < 0 && n > 0 ? 0 : -1;
}

static void
print_hex(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02X", p[i]);
}

static int
transmit_all(SCARDHANDLE h, DWORD proto, char **apdus, int n)
{
	const SCARD_IO_REQUEST *pci = proto == SCARD_PROTOCOL_T0 ?
	    SCARD_PCI_T0 : SCARD_PCI_T1;
	DWORD rlen;
	size_t len;
	LONG rv;
	int i;

	for (i = 0; i < n; i++) {
		if (unhex(apdus[i], cmd, sizeof(cmd), &len) != 0) {
			fprintf(stderr, "vtprobe: bad APDU '%s'\n", apdus[i]);
			return 2;
		}
		rlen = sizeof(resp);
		rv = SCardTransmit(h, pci, cmd, (DWORD)len, NULL, resp, &rlen);
		if (rv != SCARD_S_SUCCESS || rlen < 2 || rlen > sizeof(resp)) {
			fprintf(stderr, "vtprobe: transmit %s: %s\n", apdus[i],
			    rv != SCARD_S_SUCCESS ? pcsc_stringify_error(rv) :
			    "short or long answer");
			return 3;
		}
		if (rlen > 2) {
			print_hex(resp, rlen - 2);
			putchar(' ');
		}
		print_hex(resp + rlen - 2, 2);
		putchar('\n');
		fflush(stdout);
	}
	return 0;
}

static int
session(const char *sub, int atr, char **apdus, int n)
{
	SCARDCONTEXT ctx;
	SCARDHANDLE h;
	DWORD proto = 0, rlen = 0, state, alen = 64;
	unsigned char atrb[64];
	char name[512];
	LONG rv;
	int code = 3;

	if ((rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL,
	    &ctx)) != SCARD_S_SUCCESS) {
		fprintf(stderr, "vtprobe: %s\n", pcsc_stringify_error(rv));
		return 3;
	}
	if (pick_reader(ctx, sub, name, sizeof(name)) < 0) {
		fprintf(stderr, "vtprobe: no reader matching '%s'\n", sub);
		goto out;
	}
	if ((rv = SCardConnect(ctx, name, SCARD_SHARE_SHARED,
	    SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &h, &proto)) !=
	    SCARD_S_SUCCESS) {
		fprintf(stderr, "vtprobe: %s: %s\n", name,
		    pcsc_stringify_error(rv));
		goto out;
	}
	if (atr) {
		if (SCardStatus(h, NULL, &rlen, &state, &proto, atrb, &alen) !=
		    SCARD_S_SUCCESS || alen > sizeof(atrb)) {
			fprintf(stderr, "vtprobe: %s: no ATR\n", name);
			goto disconnect;
		}
		print_hex(atrb, alen);
		printf(" T=%d\n", proto == SCARD_PROTOCOL_T0 ? 0 : 1);
	}
	if ((rv = SCardBeginTransaction(h)) != SCARD_S_SUCCESS) {
		fprintf(stderr, "vtprobe: %s\n", pcsc_stringify_error(rv));
		goto disconnect;
	}
	code = transmit_all(h, proto, apdus, n);
	SCardEndTransaction(h, SCARD_LEAVE_CARD);
disconnect:
	SCardDisconnect(h, SCARD_LEAVE_CARD);
out:
	SCardReleaseContext(ctx);
	return code;
}

int
main(int argc, char **argv)
{
	const char *sub = "Virtual PCD", *wait = NULL, *gone = NULL;
	int i = 1, atr = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0)
			usage(0);
		if (strcmp(argv[i], "--atr") == 0) {
			atr = 1;
			continue;
		}
		if (i + 1 == argc)
			usage(2);
		if (strcmp(argv[i], "--reader") == 0)
			sub = argv[++i];
		else if (strcmp(argv[i], "--wait") == 0)
			wait = argv[++i];
		else if (strcmp(argv[i], "--wait-gone") == 0)
			gone = argv[++i];
		else
			usage(2);
	}
	if ((wait != NULL) + (gone != NULL) + (atr || i < argc) != 1)
		usage(2);
	if (wait != NULL)
		return wait_for(sub, wait, 1);
	if (gone != NULL)
		return wait_for(sub, gone, 0);
	return session(sub, atr, argv + i, argc - i);
}
