/*
 * PIN quality (PIN-POLICY.md, "Quality policy parameters" and "Scoring").
 * The vendor does not publish its formula; this is cpkit's model:
 *
 *   L = min(100, 10 * characters)
 *   C = 100 * (classes - 1) / 3 over {digits, a-z, A-Z, anything else},
 *       0 when the PIN is a run (below) or in the common list
 *   score = (w * L + (100 - w) * C) / 100, w = PPPINLENGTHWEIGHT
 *
 * all in integers, rounded down. A PIN is a run when the whole of it,
 * case-folded, is at least 4 characters and either
 *   - a sequence: consecutive characters of 0-9, a-z or а-я (with ё),
 *     every step +1 or every step -1 ("1234", "fedcba", "абвг"); or
 *   - a keyboard walk: cut at every pair of keys that do not touch on a
 *     US QWERTY keyboard, it falls into pieces of 3 or more keys
 *     ("qwerty", "1qaz2wsx", "zaq1xsw2", "wazwsx", "1q2w3e4r").
 * Keys touch when they are side by side in a row or overlap in the row
 * above or below. Shifted symbols sit on their unshifted key ("!QAZ" is
 * "1qaz") and Russian ЙЦУКЕН letters on theirs ("йцукен" is "qwerty"),
 * since what makes a walk weak is the finger path, not the glyphs.
 */
#include <stdint.h>
#include <string.h>

#include <openssl/crypto.h>

#include "pinq.h"
#include "tokens.h"

/* Very common PINs and words, matched against the whole case-folded PIN.
 * Small on purpose: a hit only zeroes the class score and sets "common";
 * breadth is the job of password recovery's word lists. Factory PINs are
 * runs already and need no entry. */
static const char *const common[] = {
	"password", "passw0rd", "p@ssw0rd", "pa$$w0rd", "password1",
	"admin", "admin123", "administrator", "root", "user", "guest", "test",
	"letmein", "welcome", "iloveyou", "monkey", "dragon", "master",
	"secret", "login", "abc123", "a1b2c3", "qwe123", "123qwe",
	"qwerty123", "zaq12wsx", "1q2w3e4r5t", "trustno1", "sunshine",
	"princess", "football", "pin", "pincode", "token", "rutoken",
	"kaztoken", "etoken", "jacarta", "esmart", "cryptopro",
	"пароль", "пароль1", "пароль123", "привет", "любовь", "солнышко",
	"админ", "токен", "рутокен", "криптопро",
	"1212", "2580", "6969", "1004", "2000", "121212", "112233", "123123",
	"123321", "131313", "102030", "696969", "147258", "159753",
	"147258369", "5201314",
};

/* Sequences: a step of +1 or -1 along one of these lines. */
static const char *const lines[] = {
	"0123456789",
	"abcdefghijklmnopqrstuvwxyz",
	"абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
};

/* Keyboard rows: unshifted, shifted, Russian letters on the same keys.
 * Column i of each string is the same key. */
static const char *const kb[4][3] = {
	{ "`1234567890-=", "~!@#$%^&*()_+", "ё" },
	{ "qwertyuiop[]\\", "QWERTYUIOP{}|", "йцукенгшщзхъ" },
	{ "asdfghjkl;'", "ASDFGHJKL:\"", "фывапролджэ" },
	{ "zxcvbnm,./", "ZXCVBNM<>?", "ячсмитьбю" },
};
/* Left edge of each row in quarter keys: Tab, Caps Lock and Shift are
 * 1.5, 1.75 and 2.25 keys wide, so "q" sits between "1" and "2". */
static const int kb_off[4] = { 0, 6, 7, 9 };

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* The PIN as code points; wiped by the caller. */
struct pinchars {
	uint32_t	cp[CPK_PIN_MAX_BYTES];
	size_t		n;
};

/* One strict UTF-8 character at s[*i]; 0 for a bad lead or continuation
 * byte, a truncated tail, an overlong form, a surrogate or > U+10FFFF. */
static int
next_cp(const unsigned char *s, size_t len, size_t *i, uint32_t *cp)
{
	static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	unsigned char b = s[*i];
	size_t n;
	uint32_t c;

	if (b < 0x80)
		n = 1, c = b;
	else if ((b & 0xe0) == 0xc0)
		n = 2, c = b & 0x1fu;
	else if ((b & 0xf0) == 0xe0)
		n = 3, c = b & 0x0fu;
	else if ((b & 0xf8) == 0xf0)
		n = 4, c = b & 0x07u;
	else
		return 0;
	if (n > len - *i)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[*i + k] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[*i + k] & 0x3fu);
	}
	if (c < least[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	*i += n;
	return 1;
}

static cpk_err
decode(const char *pin, size_t len, struct pinchars *pc)
{
	const unsigned char *s = (const unsigned char *)pin;
	size_t i = 0;

	if (len > CPK_PIN_MAX_BYTES)
		return CPK_E_ARG;
	while (i < len) {
		if (!next_cp(s, len, &i, &pc->cp[pc->n]) || pc->cp[pc->n] == 0)
			return CPK_E_ARG;	/* a NUL would cut C strings */
		pc->n++;
	}
	return CPK_OK;
}

/* Lower case for Latin and Russian (Cyrillic U+0400-U+042F). */
static uint32_t
fold(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 0x20;
	if (c >= 0x410 && c <= 0x42f)
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;		/* Ё -> ё and the other Ѐ-Џ */
	return c;
}

static int
is_letter(uint32_t c)
{
	c = fold(c);
	return (c >= 'a' && c <= 'z') ||
	    (c >= 0x430 && c <= 0x4ff && (c < 0x482 || c > 0x489));
}

/* Position of c in a (valid, constant) UTF-8 string, or -1. */
static int
index_in(const char *str, uint32_t c)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str), i = 0;
	uint32_t x;
	int k = 0;

	while (i < len && next_cp(s, len, &i, &x)) {
		if (x == c)
			return k;
		k++;
	}
	return -1;
}

/* Key of c (folded) as a row and an x in quarter keys; 0 when c is on
 * no key of the main block. */
static int
key_of(uint32_t c, int *row, int *x)
{
	int col;

	for (int r = 0; r < 4; r++)
		for (int v = 0; v < 3; v++)
			if ((col = index_in(kb[r][v], c)) >= 0) {
				*row = r;
				*x = kb_off[r] + 4 * col;
				return 1;
			}
	return 0;
}

static int
keys_touch(uint32_t a, uint32_t b)
{
	int ra, xa, rb, xb, dx;

	if (!key_of(fold(a), &ra, &xa) || !key_of(fold(b), &rb, &xb))
		return 0;
	dx = xa > xb ? xa - xb : xb - xa;
	if (ra == rb)
		return dx == 4;
	return (ra - rb == 1 || rb - ra == 1) && dx < 4;
}

static int
is_walk(const struct pinchars *pc)
{
	size_t piece = 1;

	for (size_t i = 1; i < pc->n; i++) {
		if (keys_touch(pc->cp[i - 1], pc->cp[i])) {
			piece++;
			continue;
		}
		if (piece < 3)
			return 0;
		piece = 1;
	}
	return piece >= 3;
}

static int
is_sequence(const struct pinchars *pc)
{
	int prev, cur, step = 0;

	for (size_t l = 0; l < NELEM(lines); l++) {
		if ((prev = index_in(lines[l], fold(pc->cp[0]))) < 0)
			continue;
		for (size_t i = 1; i < pc->n; i++) {
			cur = index_in(lines[l], fold(pc->cp[i]));
			if (cur < 0 || (cur - prev != 1 && cur - prev != -1) ||
			    (i > 1 && cur - prev != step))
				return 0;
			step = cur - prev;
			prev = cur;
		}
		return 1;
	}
	return 0;
}

static int
same_folded(const struct pinchars *pc, const char *word)
{
	const unsigned char *s = (const unsigned char *)word;
	size_t len = strlen(word), i = 0, k = 0;
	uint32_t c;

	while (i < len && next_cp(s, len, &i, &c)) {
		if (k == pc->n || fold(pc->cp[k]) != fold(c))
			return 0;
		k++;
	}
	return k == pc->n;
}

static int
is_common(const struct pinchars *pc)
{
	for (size_t i = 0; i < NELEM(common); i++)
		if (same_folded(pc, common[i]))
			return 1;
	return 0;
}

static unsigned
count_classes(const struct pinchars *pc)
{
	unsigned seen = 0, n = 0;

	for (size_t i = 0; i < pc->n; i++) {
		uint32_t c = pc->cp[i];

		seen |= c >= '0' && c <= '9' ? 1u : c >= 'a' && c <= 'z' ?
		    2u : c >= 'A' && c <= 'Z' ? 4u : 8u;
	}
	for (; seen != 0; seen >>= 1)
		n += seen & 1u;
	return n;
}

static void
score(const cpk_pin_policy *p, const struct pinchars *pc,
    cpk_pinq_result *res)
{
	unsigned w = p->length_weight;

	res->chars = (unsigned)pc->n;		/* at most 64 */
	res->length_score = res->chars >= 10 ? 100 : 10 * res->chars;
	res->classes = count_classes(pc);
	res->sequence = pc->n >= 4 && (is_sequence(pc) || is_walk(pc));
	res->common = is_common(pc);
	res->class_score = res->classes == 0 || res->sequence ||
	    res->common ? 0 : 100 * (res->classes - 1) / 3;
	res->score = (w * res->length_score +
	    (100 - w) * res->class_score) / 100;
}

/* Byte for byte: a PIN is what the token compares, case and all. */
static int
pin_is(const char *pin, size_t len, const char *s)
{
	return s != NULL && strlen(s) == len &&
	    CRYPTO_memcmp(pin, s, len) == 0;
}

static int
all_of(const struct pinchars *pc, int (*pred)(uint32_t))
{
	for (size_t i = 0; i < pc->n; i++)
		if (!pred(pc->cp[i]))
			return 0;
	return pc->n > 0;
}

static int
is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

static unsigned
rules(const cpk_pin_policy *p, const struct pinchars *pc, const char *pin,
    size_t len, const char *current, const char *const *factory)
{
	unsigned broken = 0;
	size_t i;

	if (pc->n < p->min_length)
		broken |= CPK_PINQ_TOO_SHORT;
	if (p->default_pin) {
		for (i = 0; factory[i] != NULL; i++)
			if (pin_is(pin, len, factory[i]))
				broken |= CPK_PINQ_FACTORY;
	}
	if (p->one_symbol && pc->n > 0) {
		for (i = 1; i < pc->n && pc->cp[i] == pc->cp[0]; i++)
			;
		if (i == pc->n)
			broken |= CPK_PINQ_ONE_SYMBOL;
	}
	if (p->only_numerals && all_of(pc, is_digit))
		broken |= CPK_PINQ_ONLY_NUMERALS;
	if (p->only_letters && all_of(pc, is_letter))
		broken |= CPK_PINQ_ONLY_LETTERS;
	if (p->current_pin && pin_is(pin, len, current))
		broken |= CPK_PINQ_CURRENT;
	return broken;
}

/* The bytes the token would hold under PINENCODING (TOKENS.md §6.5):
 * a character CP1251 lacks, or more than 16 bytes, can never be set. */
static cpk_err
encoded(const cpk_pin_policy *p, const char *pin, size_t len,
    cpk_pinq_result *res)
{
	unsigned char b[CPK_PIN_MAX_BYTES];
	size_t n = 0;
	cpk_err r;

	r = cpk_pin_encode(p->encoding ? CPK_PINENC_UTF8 : CPK_PINENC_CP1251,
	    pin, len, b, sizeof(b), &n);
	OPENSSL_cleanse(b, sizeof(b));
	if (r == CPK_E_RANGE) {
		res->broken |= CPK_PINQ_NOT_CP1251;
		return CPK_OK;
	}
	if (r != CPK_OK)
		return r;
	res->bytes = (unsigned)n;
	if (n > CPK_PIN_TOKEN_BYTES)
		res->broken |= CPK_PINQ_TOO_LONG;
	return CPK_OK;
}

cpk_err
cpk_pin_quality(const cpk_pin_policy *p, const char *pin, size_t len,
    const char *current, const char *const *factory, cpk_pinq_result *out)
{
	struct pinchars pc;
	cpk_pinq_result res;
	cpk_err r;

	memset(&pc, 0, sizeof(pc));
	memset(&res, 0, sizeof(res));
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (p == NULL || pin == NULL || out == NULL) {
		r = CPK_E_ARG;
		goto out;
	}
	if ((r = cpk_pin_policy_check(p)) != CPK_OK ||
	    (r = decode(pin, len, &pc)) != CPK_OK)
		goto out;
	score(p, &pc, &res);
	res.broken = rules(p, &pc, pin, len, current,
	    factory != NULL ? factory : cpk_pin_factory_set("rutoken"));
	if ((r = encoded(p, pin, len, &res)) != CPK_OK)
		goto out;
	if (res.broken != 0 || res.score < p->bad_border)
		res.level = CPK_PINQ_WEAK;
	else if (res.score >= p->good_border)
		res.level = CPK_PINQ_STRONG;
	else
		res.level = CPK_PINQ_MEDIUM;
	/* The behavior values are the action enum's values by design. */
	res.action = res.broken & (CPK_PINQ_NOT_CP1251 | CPK_PINQ_TOO_LONG) ?
	    CPK_PINQ_FORBID : res.level == CPK_PINQ_WEAK ?
	    (enum cpk_pinq_action)p->bad_behavior :
	    res.level == CPK_PINQ_MEDIUM ?
	    (enum cpk_pinq_action)p->acceptable_behavior : CPK_PINQ_ALLOW;
	*out = res;
out:
	OPENSSL_cleanse(&pc, sizeof(pc));	/* the PIN's characters */
	return r;
}
