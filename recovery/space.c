/* The candidate space of a password search, indexable so that threads can
 * share it in chunks and a run can resume at any index: factory PINs and
 * common defaults (TOKENS.md §6.3, PIN-POLICY.md), then a word list, then
 * a mask - or every word followed by every mask expansion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "internal.h"

struct space_char {
	char	 c[4];			/* one UTF-8 character */
	size_t	 len;
};
struct space_pos {
	struct space_char *ch;
	size_t	 n;
};
struct cpk_space {
	int		 use_defaults;
	char		*words;		/* the word list, NUL-separated */
	size_t		*word;		/* offsets of the words */
	size_t		 words_len, nwords, long_words;
	struct space_pos pos[CPK_SPACE_MAX_POS];
	size_t		 npos;
	size_t		 min_len, max_len;	/* mask prefix lengths */
	uint64_t	 mask_total, total;	/* total: the whole space */
	uint64_t	 first, step, part_total;	/* the part's view */
	int		 parted;		/* _part done: once only */
};

cpk_err
cpk_space_new(int use_defaults, size_t min_len, size_t max_len,
    cpk_space **out)
{
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return CPK_E_NOMEM;
	(*out)->use_defaults = use_defaults;
	(*out)->min_len = min_len;
	(*out)->max_len = max_len;
	(*out)->step = 1;
	return CPK_OK;
}

static const char *const defaults[] = {
	"", "12345678", "87654321", "1234567890", "0987654321", "11111111",
	"00000000", "123456", "1234", "0000", "1111", "111111", "000000",
	"12345", "123", "1", "password", "Password", "qwerty", "123qwe",
	"1q2w3e", "1q2w3e4r", "qwerty123", "pin", "admin",
};

static const char set_d[] = "0123456789";
static const char set_l[] = "abcdefghijklmnopqrstuvwxyz";
static const char set_u[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
static const char set_s[] = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

static size_t
utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
	    (c & 0xf8) == 0xf0 ? 4 : 1;
}

/* A set as its characters (UTF-8 sequences, so Cyrillic sets work). */
static cpk_err
add_set(struct space_pos *pos, const char *chars)
{
	size_t n = 0, k;

	/* a lead byte must not promise bytes past the end: "\xd0" alone
	 * would step over the NUL (found by fuzz_space) */
	for (const char *p = chars; *p != '\0'; p += k, n++) {
		k = utf8_len((unsigned char)*p);
		if (strnlen(p, k) < k)
			return CPK_E_ARG;
	}
	if (n == 0)
		return CPK_E_ARG;
	if ((pos->ch = calloc(n, sizeof(*pos->ch))) == NULL)
		return CPK_E_NOMEM;
	for (const char *p = chars; *p != '\0';) {
		k = utf8_len((unsigned char)*p);
		memcpy(pos->ch[pos->n].c, p, k);
		pos->ch[pos->n++].len = k;
		p += k;
	}
	return CPK_OK;
}

cpk_err
cpk_space_mask(cpk_space *s, const char *mask, const char *const custom[4])
{
	char all[128];
	const char *set;
	char lit[5];
	cpk_err r;

	snprintf(all, sizeof(all), "%s%s%s%s", set_l, set_u, set_d, set_s);
	for (const char *p = mask; *p != '\0';) {
		if (s->npos == CPK_SPACE_MAX_POS)
			return CPK_E_RANGE;
		if (*p == '?' && p[1] != '\0') {
			switch (p[1]) {
			case 'd': set = set_d; break;
			case 'l': set = set_l; break;
			case 'u': set = set_u; break;
			case 's': set = set_s; break;
			case 'a': set = all; break;
			case '?': set = "?"; break;
			case '1': case '2': case '3': case '4':
				if ((set = custom[p[1] - '1']) == NULL)
					return CPK_E_ARG;
				break;
			default:
				return CPK_E_ARG;
			}
			p += 2;
		} else {
			size_t k = utf8_len((unsigned char)*p);
			if (strnlen(p, k) < k)
				return CPK_E_ARG;
			memcpy(lit, p, k);
			lit[k] = '\0';
			set = lit;
			p += k;
		}
		if ((r = add_set(&s->pos[s->npos++], set)) != CPK_OK)
			return r;
	}
	if (s->npos == 0)
		return CPK_E_ARG;
	if (s->min_len == 0 || s->min_len > s->npos)
		s->min_len = s->npos;
	if (s->max_len == 0 || s->max_len > s->npos)
		s->max_len = s->npos;
	return s->min_len <= s->max_len ? CPK_OK : CPK_E_ARG;
}

cpk_err
cpk_space_words(cpk_space *s, const cpk_blob *text)
{
	size_t cap = 0, start = 0, end, *v;
	int junk;

	if ((s->words = malloc(text->len + 1)) == NULL)
		return CPK_E_NOMEM;
	memcpy(s->words, text->ptr, text->len);
	s->words[text->len] = '\0';
	s->words_len = text->len + 1;
	/* Lines by length, not by NUL: a stray NUL byte (binary junk, a
	 * UTF-16 file) drops the lines it is in, not the rest of the list */
	for (size_t i = 0; i <= text->len; i++) {
		if (i < text->len && s->words[i] != '\n')
			continue;
		end = i;
		if (end > start && s->words[end - 1] == '\r')
			end--;
		s->words[end] = '\0';
		/* binary junk (a NUL inside) is no word */
		junk = memchr(s->words + start, '\0', end - start) != NULL;
		if (!junk && end - start >= CPK_SPACE_MAX_PW / 2)
			s->long_words++;	/* reported, not lost quietly */
		else if (!junk && end > start) {
			if (s->nwords == cap) {
				cap = cap ? cap * 2 : 1024;
				if ((v = realloc(s->word, cap * sizeof(*v))) ==
				    NULL)
					return CPK_E_NOMEM;
				s->word = v;
			}
			s->word[s->nwords++] = start;
		}
		start = i + 1;
	}
	return CPK_OK;
}

static uint64_t
mask_count(const cpk_space *s)
{
	uint64_t total = 0, n;

	if (s->npos == 0)
		return 0;
	for (size_t len = s->min_len; len <= s->max_len; len++) {
		n = 1;
		for (size_t i = 0; i < len; i++) {
			if (n > UINT64_MAX / s->pos[i].n)
				return UINT64_MAX;
			n *= s->pos[i].n;
		}
		if (total > UINT64_MAX - n)
			return UINT64_MAX;
		total += n;
	}
	return total;
}

cpk_err
cpk_space_finish(cpk_space *s)
{
	uint64_t m = mask_count(s), w = s->nwords, d = s->use_defaults ?
	    sizeof(defaults) / sizeof(defaults[0]) : 0;

	s->mask_total = m;
	if (m == UINT64_MAX)
		return CPK_E_RANGE;
	if (w > 0 && m > 0) {
		if (m > UINT64_MAX / w)
			return CPK_E_RANGE;
		s->total = d + w * m;
	} else
		s->total = d + w + m;
	s->first = 0;
	s->step = 1;
	s->part_total = s->total;
	return s->total > 0 ? CPK_OK : CPK_E_ARG;
}

/* Mask expansion number i (last position fastest, shorter first). */
static cpk_err
mask_get(const cpk_space *s, uint64_t i, char *out, size_t cap, size_t *n)
{
	size_t len, digits[CPK_SPACE_MAX_POS];

	for (len = s->min_len; len <= s->max_len; len++) {
		uint64_t cnt = 1;
		for (size_t k = 0; k < len; k++)
			cnt *= s->pos[k].n;
		if (i < cnt)
			break;
		i -= cnt;
	}
	if (len > s->max_len)
		return CPK_E_RANGE;
	for (size_t k = len; k-- > 0;) {
		digits[k] = (size_t)(i % s->pos[k].n);
		i /= s->pos[k].n;
	}
	for (size_t k = 0; k < len; k++) {
		const struct space_char *c = &s->pos[k].ch[digits[k]];
		if (*n + c->len >= cap)
			return CPK_E_RANGE;
		memcpy(out + *n, c->c, c->len);
		*n += c->len;
	}
	out[*n] = '\0';
	return CPK_OK;
}

cpk_err
cpk_space_part(cpk_space *s, uint32_t k, uint32_t n)
{
	if (n < 1 || n > CPK_SPACE_MAX_PARTS || k < 1 || k > n ||
	    s->total == 0 || s->parted)
		return CPK_E_ARG;
	s->parted = 1;
	s->first = k - 1;
	s->step = n;
	/* the numbers k-1, k-1+n, ... below total, without overflow */
	s->part_total = s->total > s->first ?
	    (s->total - s->first - 1) / n + 1 : 0;
	return CPK_OK;
}

uint64_t
cpk_space_total(const cpk_space *s)
{
	return s->part_total;
}

uint64_t
cpk_space_whole(const cpk_space *s)
{
	return s->total;
}

uint64_t
cpk_space_index(const cpk_space *s, uint64_t i)
{
	return s->first + i * s->step;
}

size_t
cpk_space_nwords(const cpk_space *s)
{
	return s->nwords;
}

size_t
cpk_space_long_words(const cpk_space *s)
{
	return s->long_words;
}

/* Candidate i of the whole space. */
static cpk_err
whole_get(const cpk_space *s, uint64_t i, char *out, size_t cap)
{
	size_t nd = s->use_defaults ? sizeof(defaults) / sizeof(defaults[0]) :
	    0, n = 0;
	const char *w;

	out[0] = '\0';
	if (i >= s->total)
		return CPK_E_RANGE;
	if (i < nd) {
		snprintf(out, cap, "%s", defaults[i]);
		return CPK_OK;
	}
	i -= nd;
	if (s->nwords > 0 && s->mask_total > 0) {	/* word + mask */
		w = s->words + s->word[i / s->mask_total];
		n = strlen(w);
		if (n >= cap)
			return CPK_E_RANGE;
		memcpy(out, w, n);
		return mask_get(s, i % s->mask_total, out, cap, &n);
	}
	if (i < s->nwords) {
		snprintf(out, cap, "%s", s->words + s->word[i]);
		return CPK_OK;
	}
	return mask_get(s, i - s->nwords, out, cap, &n);
}

cpk_err
cpk_space_get(const cpk_space *s, uint64_t i, char *out, size_t cap)
{
	out[0] = '\0';
	if (i >= s->part_total)
		return CPK_E_RANGE;
	return whole_get(s, cpk_space_index(s, i), out, cap);
}

void
cpk_space_free(cpk_space **sp)
{
	cpk_space *s;

	if (sp == NULL || (s = *sp) == NULL)
		return;
	for (size_t i = 0; i < s->npos; i++)
		free(s->pos[i].ch);
	/* words may be passwords the user remembers: wiped like them */
	if (s->words != NULL)
		OPENSSL_cleanse(s->words, s->words_len);
	free(s->words);
	free(s->word);
	free(s);
	*sp = NULL;
}
