/* Redaction for bundles sent outside the company: user names, host names,
 * container names and the personal fields of certificate subjects become
 * stable placeholders (the same input gives the same placeholder, so a
 * colleague can still tell containers apart). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "internal.h"

static void
tag(const char *kind, const char *v, char *out, size_t cap)
{
	unsigned char h[32];
	unsigned int n = 0;

	EVP_Digest(v, strlen(v), h, &n, EVP_sha256(), NULL);
	snprintf(out, cap, "%s-%02x%02x%02x", kind, h[0], h[1], h[2]);
}

/* Replaces every occurrence of `what` in s (in place, bounded). The
 * search goes on after each replacement, so a placeholder that contains
 * the word ("user" -> "<user>") is not replaced again. */
void
cpk_redact_replace(char *s, size_t cap, const char *what, const char *with)
{
	char buf[2048];
	size_t wl = strlen(what), at = 0, wlen = strlen(with);
	char *p;

	if (wl < 2)
		return;
	while (at < strlen(s) && (p = strstr(s + at, what)) != NULL) {
		size_t pos = (size_t)(p - s);
		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)pos, s, with,
		    p + wl);
		snprintf(s, cap, "%s", buf);
		at = pos + wlen;
	}
}

void
cpk_redact_text(char *s, size_t cap, const cpk_facts *f)
{
	const char *home = getenv("HOME");

	if (home != NULL && strlen(home) > 1)
		cpk_redact_replace(s, cap, home, "<home>");
	cpk_redact_replace(s, cap, f->user, "<user>");
	cpk_redact_replace(s, cap, f->host, "<host>");
}

/* RFC 2253 subject: personal attributes replaced, O, OU, C, ST kept. */
void
cpk_redact_subject(char *s, size_t cap)
{
	static const char *const personal[] = { "CN", "SN", "GN",
	    "givenName", "surname", "emailAddress", "street", "title",
	    "SNILS", "INN", "INNLE", "OGRNIP", "OGRN", "UID", "L",
	    "serialNumber", "pseudonym", "initials" };
	char out[1024] = "", ph[32], part[512];
	const char *p = s;

	tag("person", s, ph, sizeof(ph));
	while (*p != '\0') {
		size_t n = 0;
		int keep = 1;
		while (p[n] != '\0' && !(p[n] == ',' && (n == 0 ||
		    p[n - 1] != '\\')))
			n++;
		snprintf(part, sizeof(part), "%.*s", (int)n, p);
		for (size_t i = 0; i < sizeof(personal) / sizeof(personal[0]);
		    i++) {
			size_t k = strlen(personal[i]);
			if (strncasecmp(part, personal[i], k) == 0 &&
			    part[k] == '=')
				keep = 0;
		}
		if (!keep)
			snprintf(part + strcspn(part, "=") + 1,
			    sizeof(part) - strcspn(part, "=") - 1, "%s", ph);
		strncat(out, out[0] ? "," : "", sizeof(out) - strlen(out) - 1);
		strncat(out, part, sizeof(out) - strlen(out) - 1);
		p += n + (p[n] == ',');
	}
	snprintf(s, cap, "%s", out);
}

void
cpk_redact_name(char *s, size_t cap)
{
	char ph[32];

	tag("container", s, ph, sizeof(ph));
	snprintf(s, cap, "%s", ph);
}
