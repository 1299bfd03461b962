/* Redaction for bundles sent outside the company (cpkit-diag --redact).
 * Every identifying value (container and folder names, locations, SIDs,
 * user and host names, certificate serials, every RDN value of a subject
 * or issuer) becomes "kind-" and 16 hex digits: the first 64 bits of
 * HMAC-SHA-256 under a key that is random per bundle and never stored,
 * or the one of --redact-key-file. The same value gives the same
 * placeholder under one key (a fleet audit passes one key to every host),
 * and without the key a dictionary cannot confirm a guessed name.
 * Free text (a finding's message and evidence) gets the values already
 * seen replaced, then SIDs, absolute paths and long hex runs. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "internal.h"

#define PH_BYTES	8	/* 64 bits of the MAC in a placeholder */

struct sub {
	char	*from, *to;
};

struct cpk_redactor {
	EVP_MAC_CTX	*mac;	/* keyed once; duplicated for each value */
	struct sub	*v;	/* values seen, for free text */
	size_t		 n, cap;
};

cpk_err
cpk_redactor_new(const unsigned char *key, size_t len, cpk_redactor **out)
{
	unsigned char rnd[32];
	EVP_MAC *m = NULL;
	cpk_redactor *r = NULL;
	OSSL_PARAM p[2];
	cpk_err err = CPK_E_CRYPTO;

	*out = NULL;
	if (key == NULL) {	/* a key for this bundle only, never stored */
		if (RAND_bytes(rnd, sizeof(rnd)) != 1)
			goto out;
		key = rnd;
		len = sizeof(rnd);
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		err = CPK_E_NOMEM;
		goto out;
	}
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)(uintptr_t)"SHA256", 0);
	p[1] = OSSL_PARAM_construct_end();
	if ((m = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL ||
	    (r->mac = EVP_MAC_CTX_new(m)) == NULL ||
	    EVP_MAC_init(r->mac, key, len, p) != 1)
		goto out;
	*out = r;
	r = NULL;
	err = CPK_OK;
out:
	OPENSSL_cleanse(rnd, sizeof(rnd));
	EVP_MAC_free(m);
	cpk_redactor_free(&r);
	return err;
}

void
cpk_redactor_free(cpk_redactor **rp)
{
	cpk_redactor *r;

	if (rp == NULL || (r = *rp) == NULL)
		return;
	cpk_redactor_forget(r, 0);
	free(r->v);
	EVP_MAC_CTX_free(r->mac);	/* HMAC wipes its key */
	free(r);
	*rp = NULL;
}

/* HMAC-SHA-256(key, kind NUL value) into 2*n hex digits (n <= 32). */
static void
mac_hex(cpk_redactor *r, const char *kind, const void *v, size_t len,
    char *out, size_t n)
{
	unsigned char h[32];
	size_t hl = 0;
	EVP_MAC_CTX *c = EVP_MAC_CTX_dup(r->mac);

	memset(h, 0, sizeof(h));
	if (c == NULL || EVP_MAC_update(c, (const unsigned char *)kind,
	    strlen(kind) + 1) != 1 || EVP_MAC_update(c, v, len) != 1 ||
	    EVP_MAC_final(c, h, &hl, sizeof(h)) != 1)
		memset(h, 0xff, sizeof(h));	/* still no trace of v */
	EVP_MAC_CTX_free(c);
	for (size_t i = 0; i < n && i < sizeof(h); i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

void
cpk_redactor_sub(cpk_redactor *r, const char *from, const char *to)
{
	struct sub *nv;
	char *f, *t;

	/* two letters are too common in free text to be worth it */
	if (from == NULL || strlen(from) < 3)
		return;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].from, from) == 0)
			return;
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		if ((nv = realloc(r->v, cap * sizeof(*nv))) == NULL)
			return;
		r->v = nv;
		r->cap = cap;
	}
	if ((f = strdup(from)) == NULL || (t = strdup(to)) == NULL) {
		free(f);
		return;
	}
	r->v[r->n].from = f;
	r->v[r->n++].to = t;
}

size_t
cpk_redactor_mark(const cpk_redactor *r)
{
	return r->n;
}

void
cpk_redactor_forget(cpk_redactor *r, size_t mark)
{
	while (r->n > mark) {
		r->n--;
		free(r->v[r->n].from);
		free(r->v[r->n].to);
	}
}

void
cpk_redact_value(cpk_redactor *r, const char *kind, const char *v,
    char *out, size_t cap)
{
	char hex[2 * PH_BYTES + 1];
	char ph[128];

	mac_hex(r, kind, v, strlen(v), hex, PH_BYTES);
	snprintf(ph, sizeof(ph), "%s-%s", kind, hex);
	cpk_redactor_sub(r, v, ph);
	snprintf(out, cap, "%s", ph);
}

void
cpk_redact_cert(cpk_redactor *r, const unsigned char *p, size_t n,
    char *out, size_t cap)
{
	char hex[2 * PH_BYTES + 1];

	mac_hex(r, "cert", p, n, hex, PH_BYTES);
	snprintf(out, cap, "cert-%s", hex);
}

void
cpk_redact_digest(cpk_redactor *r, const unsigned char *p, size_t n,
    char out[65])
{
	mac_hex(r, "file", p, n, out, 32);
}

/* An RFC 2253 subject as OpenSSL prints it: RDNs split by ',', the
 * values of a multi-valued RDN by '+', a '\' escaping the next character.
 * Every value (a known attribute, or an OID with its #hex DER) becomes a
 * placeholder; the attribute types and the separators stay. */
void
cpk_redact_subject(cpk_redactor *r, char *s, size_t cap)
{
	char out[1024], val[512], ph[64];
	size_t o = 0, i = 0, start;

	while (s[i] != '\0') {
		size_t eq = SIZE_MAX, n;

		start = i;
		for (; s[i] != '\0' && s[i] != ',' && s[i] != '+'; i++) {
			if (s[i] == '=' && eq == SIZE_MAX)
				eq = i;
			if (s[i] == '\\' && s[i + 1] != '\0')
				i++;
		}
		n = eq == SIZE_MAX ? 0 : eq + 1 - start;	/* "TYPE=" */
		snprintf(val, sizeof(val), "%.*s", (int)(i - start - n),
		    s + start + n);
		cpk_redact_value(r, "rdn", val, ph, sizeof(ph));
		o += (size_t)snprintf(out + o, o < sizeof(out) ?
		    sizeof(out) - o : 0, "%.*s%s%.*s", (int)n, s + start, ph,
		    s[i] != '\0', s + i);
		if (o >= sizeof(out))
			break;
		if (s[i] != '\0')
			i++;
	}
	snprintf(s, cap, "%.*s", (int)(o < sizeof(out) ? o : sizeof(out) - 1),
	    out);
}

/* Lengths of what the generic rules take at s[i], 0 when none. */
static size_t
sid_at(const char *s, size_t i)
{
	size_t n = 4;

	if (strncmp(s + i, "S-1-", 4) != 0 || (i > 0 &&
	    isalnum((unsigned char)s[i - 1])))
		return 0;
	while (isdigit((unsigned char)s[i + n]) || (s[i + n] == '-' &&
	    isdigit((unsigned char)s[i + n + 1])))
		n++;
	return n > 4 ? n : 0;
}

/* An absolute path: "/x..." or "C:\x..." after a blank, a quote, a
 * bracket, '=' or the start, up to a quote, a closing bracket, the end,
 * or ", " "; " ": " " (" (a path with those in it loses only its tail
 * to a second placeholder). */
static size_t
path_at(const char *s, size_t i)
{
	size_t n = 0;
	int win = isalpha((unsigned char)s[i]) && s[i + 1] == ':' &&
	    s[i + 2] == '\\';

	if (i > 0 && strchr(" \t'\"(<[=", s[i - 1]) == NULL)
		return 0;
	if (!win && (s[i] != '/' || s[i + 1] == '\0' || s[i + 1] == ' '))
		return 0;
	for (; s[i + n] != '\0'; n++) {
		char c = s[i + n], d = s[i + n + 1];
		if (strchr("'\")]>", c) != NULL || (strchr(",;:", c) != NULL &&
		    (d == ' ' || d == '\0')) || (c == ' ' && d == '('))
			break;
	}
	return n;
}

/* A run of 16 or more hex digits (a key or fingerprint excerpt, a serial)
 * not inside a word, and not the digits of a placeholder ("kind-hex"). */
static size_t
hex_at(const char *s, size_t i)
{
	size_t n = 0;

	if (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '-'))
		return 0;
	while (isxdigit((unsigned char)s[i + n]))
		n++;
	return n >= 16 && !isalnum((unsigned char)s[i + n]) ? n : 0;
}

static int
longer_first(const void *a, const void *b)
{
	size_t la = strlen(((const struct sub *)a)->from);
	size_t lb = strlen(((const struct sub *)b)->from);

	return la < lb ? 1 : la > lb ? -1 : 0;
}

/* One pass, so that no placeholder is looked at again: at each place the
 * longest value already seen (a location before the folder name in it),
 * else a SID, a path or a hex run, else the character itself. */
void
cpk_redact_text(cpk_redactor *r, char *s, size_t cap)
{
	char out[2048], v[1024], ph[64];
	size_t o = 0, n, known = r->n;
	const char *kind, *with;
	/* a copy: the generic rules add values, which may move r->v */
	struct sub *idx = calloc(known + 1, sizeof(*idx));

	if (idx == NULL)
		known = 0;	/* the generic rules still apply */
	for (size_t k = 0; k < known; k++)
		idx[k] = r->v[k];
	if (known > 0)
		qsort(idx, known, sizeof(*idx), longer_first);
	for (size_t i = 0; s[i] != '\0' && o + 1 < sizeof(out);) {
		with = NULL;
		for (size_t k = 0; k < known && with == NULL; k++)
			if (strncmp(s + i, idx[k].from, n =
			    strlen(idx[k].from)) == 0)
				with = idx[k].to;
		if (with == NULL) {
			if ((n = sid_at(s, i)) != 0)
				kind = "sid";
			else if ((n = path_at(s, i)) != 0)
				kind = "path";
			else if ((n = hex_at(s, i)) != 0)
				kind = "hex";
			else {
				out[o++] = s[i++];
				continue;
			}
			snprintf(v, sizeof(v), "%.*s", (int)n, s + i);
			cpk_redact_value(r, kind, v, ph, sizeof(ph));
			with = ph;
		}
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s", with);
		if (o >= sizeof(out))
			o = sizeof(out) - 1;
		i += n;
	}
	out[o] = '\0';
	snprintf(s, cap, "%s", out);
	free(idx);
}

static void
redact_cert(cpk_redactor *rd, cpk_cert_info *c)
{
	char ph[64];

	cpk_redact_subject(rd, c->subject, sizeof(c->subject));
	cpk_redact_subject(rd, c->issuer, sizeof(c->issuer));
	if (c->serial[0] != '\0') {
		cpk_redact_value(rd, "serial", c->serial, ph, sizeof(ph));
		snprintf(c->serial, sizeof(c->serial), "%s", ph);
	}
}

cpk_err
cpk_redact_finding(cpk_redactor *rd, cpk_finding *f)
{
	char m[CPK_FINDING_MESSAGE_MAX], e[CPK_FINDING_EVIDENCE_MAX];

	snprintf(m, sizeof(m), "%s", f->message);
	snprintf(e, sizeof(e), "%s", f->evidence);
	cpk_redact_text(rd, m, sizeof(m));
	cpk_redact_text(rd, e, sizeof(e));
	return cpk_finding_retext(f, m, e);
}

cpk_err
cpk_redact_summary(cpk_redactor *rd, const cpk_ref *ref, cpk_summary *s,
    cpk_redacted *b)
{
	cpk_findings copy;
	size_t nl = strlen(s->name), fl = strlen(s->fqcn);
	const char *base = strrchr(s->location, '/');
	char ph[64];

	memset(b, 0, sizeof(*b));
	cpk_redact_value(rd, "container", s->name, b->name, sizeof(b->name));
	cpk_redactor_sub(rd, ref->name, b->name);
	/* the FQCN keeps its prefix: \\.\FLASH\, a token's reader */
	if (fl >= nl && strcmp(s->fqcn + fl - nl, s->name) == 0)
		snprintf(b->fqcn, sizeof(b->fqcn), "%.*s%s", (int)(fl - nl),
		    s->fqcn, b->name);
	else
		snprintf(b->fqcn, sizeof(b->fqcn), "\\\\.\\%s\\%s",
		    s->media, b->name);
	cpk_redactor_sub(rd, s->fqcn, b->fqcn);
	/* the folder holds the name's first 8 characters (FORMATS.md §3.3) */
	if (base != NULL && base[1] != '\0')
		cpk_redact_value(rd, "folder", base + 1, ph, sizeof(ph));
	cpk_redact_value(rd, "location", s->location, b->location,
	    sizeof(b->location));
	if (s->sid != NULL)
		cpk_redact_value(rd, "sid", s->sid, b->sid, sizeof(b->sid));
	if (s->user != NULL)
		cpk_redact_value(rd, "user", s->user, b->user, sizeof(b->user));
	s->fqcn = b->fqcn;
	s->location = b->location;
	s->name = b->name;
	s->sid = s->sid != NULL ? b->sid : NULL;
	s->user = s->user != NULL ? b->user : NULL;
	/* the summary's certificates are shared with the scan: copies */
	if (s->cert != NULL) {
		b->cert = *s->cert;
		s->cert = &b->cert;
		redact_cert(rd, s->cert);
	}
	if (s->cert2 != NULL) {
		b->cert2 = *s->cert2;
		s->cert2 = &b->cert2;
		redact_cert(rd, s->cert2);
	}
	if (s->findings.n == 0)
		return CPK_OK;
	/* the texts are the scan's: redacted in a copy of the list */
	if (cpk_findings_copy(&s->findings, &copy) != CPK_OK)
		return CPK_E_NOMEM;
	b->fv = copy.v;
	s->findings = copy;
	for (size_t j = 0; j < s->findings.n; j++)
		if (cpk_redact_finding(rd, &s->findings.v[j]) != CPK_OK)
			return CPK_E_NOMEM;
	return CPK_OK;
}
