/* vtoken's command line: strict parsing into a vt_config. The PINs given
 * here are a test card's, not a user's, but they are still wiped from argv
 * once copied so that ps does not show them. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtoken.h"

enum {
	OPT_USER_PIN = 256, OPT_ADMIN_PIN, OPT_TRIES, OPT_USER_LEFT,
	OPT_ADMIN_LEFT, OPT_SERIAL, OPT_ATR, OPT_PAD, OPT_COND,
	OPT_COUNT_EMPTY, OPT_BUSY, OPT_PULL, OPT_NO_1003, OPT_DECOY,
	OPT_STATE, OPT_LOG, OPT_REFUSE_0C, OPT_NO_LISTING, OPT_USER_PIN_HEX,
	OPT_RAW_T0, OPT_PROTECT_SYS
};

static const struct option longopts[] = {
	{ "port",		required_argument, NULL, 'p' },
	{ "model",		required_argument, NULL, 'm' },
	{ "user-pin",		required_argument, NULL, OPT_USER_PIN },
	{ "admin-pin",		required_argument, NULL, OPT_ADMIN_PIN },
	{ "user-pin-hex",	required_argument, NULL, OPT_USER_PIN_HEX },
	{ "tries",		required_argument, NULL, OPT_TRIES },
	{ "user-left",		required_argument, NULL, OPT_USER_LEFT },
	{ "admin-left",		required_argument, NULL, OPT_ADMIN_LEFT },
	{ "serial",		required_argument, NULL, OPT_SERIAL },
	{ "atr",		required_argument, NULL, OPT_ATR },
	{ "pad",		required_argument, NULL, OPT_PAD },
	{ "cond",		required_argument, NULL, OPT_COND },
	{ "count-empty",	no_argument,	   NULL, OPT_COUNT_EMPTY },
	{ "busy",		required_argument, NULL, OPT_BUSY },
	{ "pull-after-reads",	required_argument, NULL, OPT_PULL },
	{ "no-1003",		no_argument,	   NULL, OPT_NO_1003 },
	{ "decoy",		no_argument,	   NULL, OPT_DECOY },
	{ "refuse-0c",		no_argument,	   NULL, OPT_REFUSE_0C },
	{ "no-listing",		no_argument,	   NULL, OPT_NO_LISTING },
	{ "raw-t0",		no_argument,	   NULL, OPT_RAW_T0 },
	{ "protect-sys",	no_argument,	   NULL, OPT_PROTECT_SYS },
	{ "state",		required_argument, NULL, OPT_STATE },
	{ "log",		required_argument, NULL, OPT_LOG },
	{ "help",		no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static const char *const kind_names[VT_KINDS] = {
	"masks", "primary", "header", "masks2", "primary2", "name"
};

static _Noreturn void
usage(int code)
{
	FILE *f = code == 0 ? stdout : stderr;

	fputs("usage: vtoken [--port N] [--model lite|ecp|s] [--user-pin P]\n"
	    "    [--admin-pin P] [--user-pin-hex HEX] [--tries N]\n"
	    "    [--user-left N] [--admin-left N]\n"
	    "    [--serial HEX8] [--atr HEX] [--pad 00|FF]\n"
	    "    [--cond FILE=free|user|admin|never]... [--count-empty]\n"
	    "    [--busy N] [--pull-after-reads N] [--no-1003] [--decoy]\n"
	    "    [--refuse-0c] [--no-listing] [--raw-t0] [--protect-sys]\n"
	    "    [--state FILE] [--log FILE] CONTAINER_DIR...\n"
	    "FILE for --cond: masks primary header masks2 primary2 name\n"
	    "--raw-t0: Rutoken S answers 61xx/6Cxx like the bare chip; by\n"
	    "    default it answers data + 90 00 as Aktiv's PC/SC driver does\n"
	    "signals: USR1 pulls the card out, USR2 puts it back\n", f);
	exit(code);
}

static _Noreturn void
bad(const char *what, const char *arg)
{
	fprintf(stderr, "vtoken: bad %s: '%s'\n", what, arg);
	usage(2);
}

static unsigned long
number(const char *s, unsigned long min, unsigned long max, const char *what)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')	/* empty, sign or blank */
		bad(what, s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		bad(what, s);
	return (unsigned long)v;
}

static int
nibble(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Exactly cap bytes when exact, else 1..cap; returns the count. */
static size_t
hex(const char *s, unsigned char *out, size_t cap, int exact, const char *what)
{
	size_t n = strlen(s), i;
	int hi, lo;

	if (n == 0 || n % 2 != 0 || n / 2 > cap || (exact && n / 2 != cap))
		bad(what, s);
	for (i = 0; i < n / 2; i++) {
		hi = nibble(s[2 * i]);
		lo = nibble(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			bad(what, s);
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return n / 2;
}

static void
pin(char *arg, vt_pin *p)
{
	size_t n = strlen(arg);

	if (n == 0 || n > VT_MAX_PIN)
		bad("PIN (1 to 16 bytes)", "...");
	memcpy(p->val, arg, n);
	p->len = n;
	memset(arg, 'x', n);	/* out of ps(1); plain memset is enough */
}

static void
cond(const char *arg, vt_config *cfg)
{
	static const char *const names[] = { "free", "user", "admin", "never" };
	static const unsigned char codes[] = { VT_FREE, VT_USER, VT_ADMIN,
	    VT_NEVER };
	const char *eq = strchr(arg, '=');
	size_t k, c, klen;

	if (eq == NULL)
		bad("--cond", arg);
	klen = (size_t)(eq - arg);	/* eq points into arg */
	for (k = 0; k < VT_KINDS; k++)
		if (strlen(kind_names[k]) == klen &&
		    strncmp(arg, kind_names[k], klen) == 0)
			break;
	for (c = 0; c < 4; c++)
		if (strcmp(eq + 1, names[c]) == 0)
			break;
	if (k == VT_KINDS || c == 4)
		bad("--cond", arg);
	cfg->cond[k] = codes[c];
}

static void
defaults(vt_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->port = VT_DEFAULT_PORT;
	cfg->model = VT_LITE;
	cfg->serial = 0x1A2B3C4Du;
	cfg->pad = 0xFF;
	cfg->cond[VT_MASKS] = cfg->cond[VT_PRIMARY] = VT_USER;
	cfg->cond[VT_MASKS2] = cfg->cond[VT_PRIMARY2] = VT_USER;
	cfg->cond[VT_HEADER] = cfg->cond[VT_NAME] = VT_FREE;
	memcpy(cfg->pin[0].val, "87654321", 8);
	cfg->pin[0].len = 8;
	memcpy(cfg->pin[1].val, "12345678", 8);
	cfg->pin[1].len = 8;
	cfg->pin[0].max = cfg->pin[1].max = 10;
}

/* What the card is: returns 0 when ch is none of these. */
static int
card_option(int ch, vt_config *cfg, unsigned long left[2])
{
	unsigned char b[4];

	switch (ch) {
	case 'p':
		cfg->port = (uint16_t)number(optarg, 1, 65535, "--port");
		break;
	case 'm':
		if (strcmp(optarg, "lite") == 0)
			cfg->model = VT_LITE;
		else if (strcmp(optarg, "ecp") == 0)
			cfg->model = VT_ECP;
		else if (strcmp(optarg, "s") == 0)
			cfg->model = VT_S;
		else
			bad("--model", optarg);
		break;
	case OPT_USER_PIN:
	case OPT_ADMIN_PIN:
		pin(optarg, &cfg->pin[ch == OPT_USER_PIN]);
		break;
	case OPT_USER_PIN_HEX:	/* e.g. the TLV an old cpkit stored */
		cfg->pin[1].len = hex(optarg, cfg->pin[1].val, VT_MAX_PIN, 0,
		    "--user-pin-hex");
		break;
	case OPT_TRIES:
		cfg->pin[0].max = cfg->pin[1].max =
		    (unsigned)number(optarg, 1, 255, "--tries");
		break;
	case OPT_USER_LEFT:
	case OPT_ADMIN_LEFT:
		left[ch == OPT_USER_LEFT] = number(optarg, 0, 255,
		    "tries left");
		break;
	case OPT_SERIAL:
		hex(optarg, b, sizeof(b), 1, "--serial");
		cfg->serial = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		    (uint32_t)b[2] << 8 | b[3];
		break;
	case OPT_ATR:
		cfg->atr_len = hex(optarg, cfg->atr, sizeof(cfg->atr), 0,
		    "--atr");
		break;
	case OPT_PAD:
		hex(optarg, &cfg->pad, 1, 1, "--pad");
		if (cfg->pad != 0x00 && cfg->pad != 0xFF)
			bad("--pad", optarg);
		break;
	case OPT_COND:
		cond(optarg, cfg);
		break;
	default:
		return 0;
	}
	return 1;
}

/* How it behaves in a test, and where it reports. */
static void
test_option(int ch, vt_config *cfg)
{
	switch (ch) {
	case OPT_COUNT_EMPTY:
		cfg->count_empty = 1;
		break;
	case OPT_BUSY:
		cfg->busy = number(optarg, 0, 1000000, "--busy");
		break;
	case OPT_PULL:
		cfg->pull_after = number(optarg, 1, 1000000,
		    "--pull-after-reads");
		break;
	case OPT_NO_1003:
		cfg->no_1003 = 1;
		break;
	case OPT_DECOY:
		cfg->decoy = 1;
		break;
	case OPT_REFUSE_0C:
		cfg->refuse_0c = 1;
		break;
	case OPT_NO_LISTING:
		cfg->no_listing = 1;
		break;
	case OPT_RAW_T0:
		cfg->raw_t0 = 1;
		break;
	case OPT_PROTECT_SYS:
		cfg->protect_sys = 1;
		break;
	case OPT_STATE:
		cfg->state = optarg;
		break;
	case OPT_LOG:
		cfg->log = optarg;
		break;
	case 'h':
		usage(0);
	default:
		usage(2);
	}
}

void
vt_opts_parse(int argc, char **argv, vt_config *cfg)
{
	unsigned long left[2] = { 256, 256 };	/* 256: not given, use max */
	int ch, i;

	defaults(cfg);
	while ((ch = getopt_long(argc, argv, "p:m:h", longopts, NULL)) != -1)
		if (!card_option(ch, cfg, left))
			test_option(ch, cfg);
	for (i = 0; i < 2; i++) {
		if (left[i] != 256 && left[i] > cfg->pin[i].max)
			bad("tries left (more than --tries)", "");
		cfg->pin[i].tries = left[i] == 256 ? cfg->pin[i].max :
		    (unsigned)left[i];
	}
	if (argc - optind > VT_MAX_CONTAINERS)
		bad("container count (at most 8)", argv[optind]);
	if (cfg->no_1003 && cfg->model != VT_S && argc > optind)
		bad("--no-1003 with containers (there is no DF to hold them)",
		    argv[optind]);
	if (cfg->raw_t0 && cfg->model != VT_S)
		bad("--raw-t0 without --model s (Lite and ECP speak T=1)",
		    "--raw-t0");
	cfg->dirs = argv + optind;
	cfg->ndirs = (size_t)(argc - optind);	/* optind <= argc */
}
