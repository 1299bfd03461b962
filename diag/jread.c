/* A small bounded JSON reader (jread.h): cpkit-diag --merge reads files
 * fetched from many machines, so every line is hostile. Recursive descent
 * with a depth cap into a node array the caller sized; nothing allocated,
 * every index checked against the text's length. */
#include <limits.h>
#include <string.h>

#include "jread.h"

struct p {
	cpk_jdoc	*d;
	size_t		 i;	/* the next byte */
};

static void
ws(struct p *p)
{
	while (p->i < p->d->len && (p->d->text[p->i] == ' ' ||
	    p->d->text[p->i] == '\t' || p->d->text[p->i] == '\n' ||
	    p->d->text[p->i] == '\r'))
		p->i++;
}

static int
at(const struct p *p, char c)
{
	return p->i < p->d->len && p->d->text[p->i] == c;
}

static int
hex4(const char *s, size_t left, unsigned *v)
{
	*v = 0;
	if (left < 4)
		return -1;
	for (int k = 0; k < 4; k++) {
		char c = s[k];
		unsigned h = c >= '0' && c <= '9' ? (unsigned)(c - '0') :
		    c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) :
		    c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
		if (h == 16)
			return -1;
		*v = *v << 4 | h;
	}
	return 0;
}

/* A string at p->i (its opening quote): *off, *len its inside. */
static cpk_err
string(struct p *p, uint32_t *off, uint32_t *len)
{
	const char *t = p->d->text;
	unsigned v;
	size_t start;

	if (!at(p, '"'))
		return CPK_E_FORMAT;
	start = ++p->i;
	while (p->i < p->d->len && t[p->i] != '"') {
		unsigned char c = (unsigned char)t[p->i];
		/* the common bytes first, in a tight loop */
		if (c >= 0x20 && c != '\\') {
			p->i++;
			while (p->i < p->d->len && (c = (unsigned char)
			    t[p->i]) >= 0x20 && c != '"' && c != '\\')
				p->i++;
			continue;
		}
		if (c < 0x20)
			return CPK_E_FORMAT;
		if (c != '\\') {
			p->i++;
			continue;
		}
		if (++p->i >= p->d->len)
			return CPK_E_FORMAT;
		if (t[p->i] == 'u') {
			if (hex4(t + p->i + 1, p->d->len - p->i - 1, &v) != 0)
				return CPK_E_FORMAT;
			p->i += 5;
		} else if (strchr("\"\\/bfnrt", t[p->i]) != NULL &&
		    t[p->i] != '\0')
			p->i++;
		else
			return CPK_E_FORMAT;
	}
	if (p->i >= p->d->len)
		return CPK_E_FORMAT;
	*off = (uint32_t)start;
	*len = (uint32_t)(p->i - start);
	p->i++;
	return CPK_OK;
}

static int
digit(const struct p *p)
{
	return p->i < p->d->len && p->d->text[p->i] >= '0' &&
	    p->d->text[p->i] <= '9';
}

static cpk_err
number(struct p *p)
{
	if (at(p, '-'))
		p->i++;
	if (at(p, '0'))
		p->i++;
	else if (digit(p))
		while (digit(p))
			p->i++;
	else
		return CPK_E_FORMAT;
	if (at(p, '.')) {
		p->i++;
		if (!digit(p))
			return CPK_E_FORMAT;
		while (digit(p))
			p->i++;
	}
	if (at(p, 'e') || at(p, 'E')) {
		p->i++;
		if (at(p, '+') || at(p, '-'))
			p->i++;
		if (!digit(p))
			return CPK_E_FORMAT;
		while (digit(p))
			p->i++;
	}
	return CPK_OK;
}

static int
word(struct p *p, const char *w)
{
	size_t n = strlen(w);

	if (p->d->len - p->i < n || memcmp(p->d->text + p->i, w, n) != 0)
		return 0;
	p->i += n;
	return 1;
}

static cpk_err value(struct p *, uint32_t parent, uint32_t koff,
    uint32_t klen, int depth);

static cpk_err
members(struct p *p, size_t self, int obj, int depth)
{
	uint32_t koff = UINT32_MAX, klen = 0;
	cpk_err r;

	p->i++;		/* the '{' or '[' */
	ws(p);
	if (at(p, obj ? '}' : ']')) {
		p->i++;
		return CPK_OK;
	}
	for (;;) {
		ws(p);
		if (obj) {
			if ((r = string(p, &koff, &klen)) != CPK_OK)
				return r;
			ws(p);
			if (!at(p, ':'))
				return CPK_E_FORMAT;
			p->i++;
		}
		if ((r = value(p, (uint32_t)self, koff, klen, depth + 1)) !=
		    CPK_OK)
			return r;
		ws(p);
		if (at(p, ',')) {
			p->i++;
			continue;
		}
		if (!at(p, obj ? '}' : ']'))
			return CPK_E_FORMAT;
		p->i++;
		return CPK_OK;
	}
}

static cpk_err
value(struct p *p, uint32_t parent, uint32_t koff, uint32_t klen, int depth)
{
	cpk_jdoc *d = p->d;
	cpk_jnode *nd;
	size_t self = d->n, start;
	cpk_err r = CPK_OK;

	if (depth > CPK_JREAD_DEPTH)
		return CPK_E_DEPTH;
	if (d->n >= d->cap)
		return CPK_E_TOO_BIG;
	nd = &d->v[d->n++];
	memset(nd, 0, sizeof(*nd));
	nd->parent = parent;
	nd->koff = koff;
	nd->klen = klen;
	ws(p);
	start = p->i;
	if (at(p, '{') || at(p, '[')) {
		nd->type = at(p, '{') ? CPK_J_OBJ : CPK_J_ARR;
		r = members(p, self, nd->type == CPK_J_OBJ, depth);
	} else if (at(p, '"')) {
		nd->type = CPK_J_STR;
		r = string(p, &nd->off, &nd->len);
		start = nd->off;
	} else if (word(p, "null"))
		nd->type = CPK_J_NULL;
	else if (word(p, "true"))
		nd->type = CPK_J_TRUE;
	else if (word(p, "false"))
		nd->type = CPK_J_FALSE;
	else {
		nd->type = CPK_J_NUM;
		r = number(p);
	}
	if (r != CPK_OK)
		return r;
	/* d->v may not move (the caller's array): nd is still good */
	if (nd->type != CPK_J_STR) {
		nd->off = (uint32_t)start;
		nd->len = (uint32_t)(p->i - start);
	}
	nd->end = (uint32_t)d->n;
	return CPK_OK;
}

cpk_err
cpk_jdoc_parse(cpk_jdoc *d, const char *text, size_t len)
{
	struct p p = { d, 0 };
	cpk_err r;

	d->text = text;
	d->len = len;
	d->n = 0;
	if (len >= UINT32_MAX || d->cap >= UINT32_MAX)
		return CPK_E_TOO_BIG;
	if ((r = value(&p, UINT32_MAX, UINT32_MAX, 0, 1)) != CPK_OK)
		return r;
	ws(&p);
	return p.i == len ? CPK_OK : CPK_E_FORMAT;
}

int
cpk_jdoc_is(const cpk_jdoc *d, long i, enum cpk_jtype t)
{
	return i >= 0 && (size_t)i < d->n && d->v[i].type == t;
}

long
cpk_jdoc_first(const cpk_jdoc *d, long i)
{
	if (!cpk_jdoc_is(d, i, CPK_J_OBJ) && !cpk_jdoc_is(d, i, CPK_J_ARR))
		return -1;
	return (size_t)i + 1 < d->v[i].end ? i + 1 : -1;
}

long
cpk_jdoc_next(const cpk_jdoc *d, long i)
{
	uint32_t parent;

	if (i < 0 || (size_t)i >= d->n || (parent = d->v[i].parent) ==
	    UINT32_MAX)
		return -1;
	return d->v[i].end < d->v[parent].end ? (long)d->v[i].end : -1;
}

long
cpk_jdoc_get(const cpk_jdoc *d, long obj, const char *key)
{
	size_t kl = strlen(key);

	if (!cpk_jdoc_is(d, obj, CPK_J_OBJ))
		return -1;
	for (long i = cpk_jdoc_first(d, obj); i >= 0; i = cpk_jdoc_next(d, i))
		if (d->v[i].klen == kl && memcmp(d->text + d->v[i].koff, key,
		    kl) == 0)
			return i;
	return -1;
}

/* Appends the UTF-8 of c if it fits whole; 0, or -1 (full). */
static int
put(char *buf, size_t cap, size_t *o, unsigned c)
{
	unsigned char u[4];
	size_t n;

	if (c == 0 || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		c = 0xfffd;
	if (c < 0x80) {
		u[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (unsigned char)(0xc0 | c >> 6);
		u[1] = (unsigned char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (unsigned char)(0xe0 | c >> 12);
		u[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | c >> 18);
		u[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (unsigned char)(0x80 | (c & 0x3f));
		n = 4;
	}
	if (cap - 1 - *o < n)
		return -1;
	memcpy(buf + *o, u, n);
	*o += n;
	return 0;
}

int
cpk_jdoc_str(const cpk_jdoc *d, long i, char *buf, size_t cap)
{
	const char *s;
	size_t n, k = 0, o = 0;
	unsigned c, lo;
	int cut = 0;

	buf[0] = '\0';
	if (!cpk_jdoc_is(d, i, CPK_J_STR))
		return -1;
	s = d->text + d->v[i].off;
	n = d->v[i].len;
	/* no escape (most strings): the bytes as they are, when they fit */
	if (n < cap && memchr(s, '\\', n) == NULL) {
		memcpy(buf, s, n);
		buf[n] = '\0';
		return 0;
	}
	while (k < n && !cut) {
		if (s[k] != '\\') {
			/* raw bytes as they are, a UTF-8 sequence whole: the
			 * lead byte says how long (invalid ones alone) */
			size_t run = 1;
			unsigned char b = (unsigned char)s[k];
			if (b >= 0xf0)
				run = 4;
			else if (b >= 0xe0)
				run = 3;
			else if (b >= 0xc0)
				run = 2;
			if (run > n - k)
				run = n - k;
			if (cap - 1 - o < run) {
				cut = 1;
				break;
			}
			memcpy(buf + o, s + k, run);
			o += run;
			k += run;
			continue;
		}
		k++;		/* the parser saw a valid escape */
		switch (s[k]) {
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			(void)hex4(s + k + 1, n - k - 1, &c);
			k += 4;
			/* a high surrogate and a low one: one character */
			if (c >= 0xd800 && c <= 0xdbff && n - k > 6 &&
			    s[k + 1] == '\\' && s[k + 2] == 'u' &&
			    hex4(s + k + 3, n - k - 3, &lo) == 0 &&
			    lo >= 0xdc00 && lo <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				k += 6;
			}
			break;
		default: c = (unsigned char)s[k]; break;
		}
		k++;
		if (put(buf, cap, &o, c) != 0)
			cut = 1;
	}
	buf[o] = '\0';
	return cut;
}

int
cpk_jdoc_int(const cpk_jdoc *d, long i, long long *out)
{
	const char *s;
	size_t n, k = 0;
	int neg = 0;
	unsigned long long v = 0;

	*out = 0;
	if (!cpk_jdoc_is(d, i, CPK_J_NUM))
		return -1;
	s = d->text + d->v[i].off;
	n = d->v[i].len;
	if (n > 0 && s[0] == '-') {
		neg = 1;
		k++;
	}
	if (k == n)
		return -1;
	for (; k < n; k++) {
		if (s[k] < '0' || s[k] > '9')
			return -1;	/* a fraction or an exponent */
		if (v > ((unsigned long long)LLONG_MAX - (unsigned)(s[k] -
		    '0')) / 10)
			return -1;
		v = v * 10 + (unsigned)(s[k] - '0');
	}
	*out = neg ? -(long long)v : (long long)v;
	return 0;
}
