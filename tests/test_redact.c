/* Redaction (diag/redact.c): placeholders are HMAC-SHA-256 under the key
 * (checked against OpenSSL's one-shot HMAC), subjects lose every RDN
 * value however they are escaped or grouped, free text loses the values
 * seen, SIDs, paths and hex runs, in one pass. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "../diag/internal.h"

static const unsigned char key[] = "0123456789abcdef-fleet-key";

static cpk_redactor *
redactor(void)
{
	cpk_redactor *r = NULL;

	cr_assert_eq(cpk_redactor_new(key, sizeof(key) - 1, &r), CPK_OK);
	return r;
}

/* "kind-" and the first 8 bytes of HMAC-SHA-256(key, kind NUL value) */
static void
expect(const char *kind, const char *v, char *out, size_t cap)
{
	unsigned char msg[256], h[32];
	unsigned int hl = 0;
	size_t kl = strlen(kind) + 1, n;

	memcpy(msg, kind, kl);
	memcpy(msg + kl, v, strlen(v));
	cr_assert_not_null(HMAC(EVP_sha256(), key, sizeof(key) - 1, msg,
	    kl + strlen(v), h, &hl));
	n = (size_t)snprintf(out, cap, "%s-", kind);
	for (int i = 0; i < 8; i++)
		n += (size_t)snprintf(out + n, cap - n, "%02x", h[i]);
}

Test(redact, placeholder_is_keyed_hmac)
{
	cpk_redactor *r = redactor(), *other = NULL;
	char got[64], want[64], again[64];

	cpk_redact_value(r, "container", "Ivanov Ivan", got, sizeof(got));
	expect("container", "Ivanov Ivan", want, sizeof(want));
	cr_assert_str_eq(got, want);
	cr_assert_eq(strlen(got), strlen("container-") + 16);
	/* another key, another placeholder; no key: a random one */
	cr_assert_eq(cpk_redactor_new(NULL, 0, &other), CPK_OK);
	cpk_redact_value(other, "container", "Ivanov Ivan", again,
	    sizeof(again));
	cr_assert_str_neq(again, got);
	cpk_redactor_free(&other);
	cr_assert_null(other);
	cpk_redactor_free(&r);
}

Test(redact, every_rdn_value)
{
	cpk_redactor *r = redactor();
	char s[512] = "telephoneNumber=84951234567,CN=Petrov\\, Petr+O=Roga "
	    "i Kopyta,1.3.6.1.4.1.99999.1=#0C0548494444,C=RU";
	char a[64], b[64], c[64], d[64], e[64], want[512];

	cpk_redact_subject(r, s, sizeof(s));
	expect("rdn", "84951234567", a, sizeof(a));
	expect("rdn", "Petrov\\, Petr", b, sizeof(b));	/* the escape kept */
	expect("rdn", "Roga i Kopyta", c, sizeof(c));
	expect("rdn", "#0C0548494444", d, sizeof(d));
	expect("rdn", "RU", e, sizeof(e));
	snprintf(want, sizeof(want), "telephoneNumber=%s,CN=%s+O=%s,"
	    "1.3.6.1.4.1.99999.1=%s,C=%s", a, b, c, d, e);
	cr_assert_str_eq(s, want);
	cpk_redactor_free(&r);
}

Test(redact, escaped_plus_and_truncated_tail)
{
	cpk_redactor *r = redactor();
	char s[512] = "CN=a\\+b,O=x,1.2.64";
	char a[64], b[64], c[64], want[256];

	cpk_redact_subject(r, s, sizeof(s));
	expect("rdn", "a\\+b", a, sizeof(a));
	expect("rdn", "x", b, sizeof(b));
	expect("rdn", "1.2.64", c, sizeof(c));	/* no '=': all of it */
	snprintf(want, sizeof(want), "CN=%s,O=%s,%s", a, b, c);
	cr_assert_str_eq(s, want);
	cpk_redactor_free(&r);
}

Test(redact, free_text)
{
	cpk_redactor *r = redactor();
	char name[64], sid[64], path[64], hex[64], want[512];
	char s[768] = "masks2.key is a link to /home/eng/.ssh/id_rsa; user "
	    "S-1-5-21-1-2-3-1001 owns Ivanov Ivan, FP 0123456789abcdef0a";

	cpk_redact_value(r, "container", "Ivanov Ivan", name, sizeof(name));
	cpk_redact_text(r, s, sizeof(s));
	expect("path", "/home/eng/.ssh/id_rsa", path, sizeof(path));
	expect("sid", "S-1-5-21-1-2-3-1001", sid, sizeof(sid));
	expect("hex", "0123456789abcdef0a", hex, sizeof(hex));
	snprintf(want, sizeof(want), "masks2.key is a link to %s; user %s "
	    "owns %s, FP %s", path, sid, name, hex);
	cr_assert_str_eq(s, want);
	cpk_redactor_free(&r);
}

/* A value that is a word of the placeholders ("user", "container") is
 * replaced once, not inside the placeholders it produced. */
Test(redact, one_pass)
{
	cpk_redactor *r = redactor();
	char u[64], want[256], s[256] = "user user container";

	cpk_redact_value(r, "user", "user", u, sizeof(u));
	cpk_redact_text(r, s, sizeof(s));
	snprintf(want, sizeof(want), "%s %s container", u, u);
	cr_assert_str_eq(s, want);
	cpk_redactor_free(&r);
}

/* Values of one container are forgotten after it: the next one's text
 * keeps a word the first one had as a name. */
Test(redact, forget)
{
	cpk_redactor *r = redactor();
	char ph[64], s[64] = "good2001";
	size_t mark = cpk_redactor_mark(r);

	cpk_redact_value(r, "container", "good2001", ph, sizeof(ph));
	cpk_redactor_forget(r, mark);
	cpk_redact_text(r, s, sizeof(s));
	cr_assert_str_eq(s, "good2001");
	cpk_redactor_free(&r);
}

Test(redact, digest_keyed)
{
	cpk_redactor *r = redactor();
	char a[65], b[65];
	unsigned char plain[32];
	unsigned int n = 0;
	char plainhex[65];

	cpk_redact_digest(r, (const unsigned char *)"name.key", 8, a);
	cpk_redact_digest(r, (const unsigned char *)"name.key", 8, b);
	cr_assert_str_eq(a, b);
	cr_assert_eq(strlen(a), 64);
	EVP_Digest("name.key", 8, plain, &n, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(plainhex + 2 * i, 3, "%02x", plain[i]);
	cr_assert_str_neq(a, plainhex);
	cpk_redactor_free(&r);
}

/* A summary: every string a placeholder, the FQCN's prefix kept, the
 * findings copied and redacted, the scan's own summary untouched. */
Test(redact, summary)
{
	cpk_redactor *r = redactor();
	cpk_findings orig;
	cpk_ref ref;
	cpk_summary s;
	cpk_redacted b;
	char name[64], loc[64], sid[64], want[128];

	memset(&s, 0, sizeof(s));
	memset(&ref, 0, sizeof(ref));
	memset(&orig, 0, sizeof(orig));
	cpk_finding_evidence(cpk_finding_add(&orig, "file-damaged",
	    "Ivanov: bad"), "in /home/ivanov/x");
	cr_assert_eq(orig.n, 1);
	s.fqcn = "\\\\.\\FLASH\\Ivanov";
	s.name = "Ivanov";
	s.location = "/home/ivanov/Ivanov.000";
	s.media = "FLASH";
	s.sid = "S-1-5-21-7-1001";
	s.findings = orig;
	ref.name = (char *)(uintptr_t)"Ivanov";
	cr_assert_eq(cpk_redact_summary(r, &ref, &s, &b), CPK_OK);
	expect("container", "Ivanov", name, sizeof(name));
	expect("location", "/home/ivanov/Ivanov.000", loc, sizeof(loc));
	expect("sid", "S-1-5-21-7-1001", sid, sizeof(sid));
	cr_assert_str_eq(s.name, name);
	snprintf(want, sizeof(want), "\\\\.\\FLASH\\%s", name);
	cr_assert_str_eq(s.fqcn, want);
	cr_assert_str_eq(s.location, loc);
	cr_assert_str_eq(s.sid, sid);
	cr_assert_null(s.user);
	snprintf(want, sizeof(want), "%s: bad", name);
	cr_assert_str_eq(s.findings.v[0].message, want);
	cr_assert_null(strstr(s.findings.v[0].evidence, "ivanov"));
	cr_assert_str_eq(orig.v[0].message, "Ivanov: bad");	/* the original */
	cr_assert_str_eq(orig.v[0].evidence, "in /home/ivanov/x");
	cpk_findings_clear(&s.findings);
	cpk_findings_clear(&orig);
	cpk_redactor_free(&r);
}
