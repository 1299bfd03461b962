/* Internal declarations of diag/. */
#ifndef CPKIT_DIAG_INTERNAL_H
#define CPKIT_DIAG_INTERNAL_H

#include "diag.h"
#include "container_int.h"
#include "json.h"
#include "i18n.h"

/* Adds the catalogue entry `id` with a formatted message; the severity
 * and remedy come from the catalogue. Returns the finding (for evidence)
 * or NULL when out of memory. */
cpk_finding	*cpk_finding_add(cpk_findings *, const char *id,
		    const char *fmt, ...)
		    __attribute__((format(CPK_PRINTF, 3, 4)));
/* The remedy of file-missing for what is missing (0: missing). */
const char	*cpk_missing_remedy(int header, int name, int pair);
void		 cpk_finding_evidence(cpk_finding *, const char *fmt, ...)
		    __attribute__((format(CPK_PRINTF, 2, 3)));
/* New texts for a finding (NULL keeps one), e.g. redacted copies. */
cpk_err		 cpk_finding_retext(cpk_finding *, const char *message,
		    const char *evidence);
/* A deep copy of a list (its own texts), freed with cpk_findings_clear. */
cpk_err		 cpk_findings_copy(const cpk_findings *, cpk_findings *);

/* Hex of up to 64 bytes into a caller buffer. */
const char	*cpk_hex(const unsigned char *, size_t, char *, size_t);
/* "2020-07-01 14:57:10 UTC" */
const char	*cpk_time_text(time_t, char *, size_t);

/* Redaction (redact.c): placeholders "kind-" and 16 hex digits of
 * HMAC-SHA-256 under a secret key (a NULL key: a random one, never kept).
 * The values redacted are remembered, so that free text loses them too;
 * cpk_redactor_forget() drops those added since a mark (one container's).
 * The redactor holds the key: cpk_redactor_free() wipes it. */
typedef struct cpk_redactor cpk_redactor;
cpk_err	cpk_redactor_new(const unsigned char *key, size_t len,
	    cpk_redactor **);
void	cpk_redactor_free(cpk_redactor **);
size_t	cpk_redactor_mark(const cpk_redactor *);
void	cpk_redactor_forget(cpk_redactor *, size_t mark);
/* Remembers from -> to for free text (values shorter than 3 bytes not). */
void	cpk_redactor_sub(cpk_redactor *, const char *from, const char *to);
void	cpk_redact_value(cpk_redactor *, const char *kind, const char *v,
	    char *out, size_t cap);
/* Every RDN value of an RFC 2253 name, multi-valued RDNs too. */
void	cpk_redact_subject(cpk_redactor *, char *, size_t);
/* A finding's message or evidence: values seen, SIDs, paths, hex runs. */
void	cpk_redact_text(cpk_redactor *, char *, size_t);
/* A finding's message and evidence the same way (new heap texts). */
cpk_err	cpk_redact_finding(cpk_redactor *, cpk_finding *);
/* One container's summary (a copy, with its ref): every identifying
 * value a placeholder in b, which s then points at; the findings are
 * copied into b->fv (s->findings, which the caller frees with
 * cpk_findings_clear) with their texts redacted. */
typedef struct cpk_redacted {
	char		 fqcn[600], location[1200], name[256];
	char		 sid[128], user[128];
	cpk_cert_info	 cert, cert2;	/* redacted copies */
	cpk_finding	*fv;
} cpk_redacted;
cpk_err	cpk_redact_summary(cpk_redactor *, const cpk_ref *, cpk_summary *s,
	    cpk_redacted *b);
/* 64 hex digits of HMAC-SHA-256 of a file's bytes: a keyed sum. */
void	cpk_redact_digest(cpk_redactor *, const unsigned char *, size_t,
	    char out[65]);

/* A certificate's keyed placeholder, "cert-" and 16 hex digits of its
 * DER's HMAC: the same certificate, the same placeholder under one key. */
void	cpk_redact_cert(cpk_redactor *, const unsigned char *, size_t,
	    char *out, size_t cap);
/* The facts' readers as a JSON array (bundle.c); redact: no serial. */
void	cpk_json_readers(cpk_json *, const cpk_facts *, int redact);
/* cpk_render_summary_json() into a writer, as a member of a bigger
 * document (report.json's containers, the JSONL lines). */
void	cpk_summary_json(cpk_json *, const cpk_summary *, const char *schema,
	    int pw);

/* The triage of a report (triage.c): counts, the blocks' order, the most
 * urgent remedies. */
#define CPK_TRIAGE_MEDIA	8
typedef struct cpk_triage {
	size_t		 by_status[5];	/* cpk_status_rank order */
	const char	*media[CPK_TRIAGE_MEDIA];
	size_t		 by_media[CPK_TRIAGE_MEDIA], nmedia;
	size_t		 exp30, exp90;	/* containers whose nearest expiry
					 * is within 30 / 90 days of now */
	size_t		*order, nblocks; /* containers not ok, worst first */
	const char	*urgent[3];	/* distinct remedies, most urgent
					 * first; NULL: fewer */
} cpk_triage;
/* The earliest of the certificate's end and the key's usage end; 0. */
time_t	cpk_next_expiry(const cpk_summary *);
/* v: the containers; found: the scan's own findings (or NULL). */
cpk_err	cpk_triage_make(const cpk_summary *const *v, size_t n,
	    const cpk_findings *found, time_t now, cpk_triage *);
void	cpk_triage_clear(cpk_triage *);
/* A finding's headline in plain words (titles.c). */
const char	*cpk_finding_title(const cpk_finding *);
/* Display form, then HTML-escaped (bundle.c). */
void	cpk_html_str(FILE *, const char *);
/* The expiry chart (chart.c): an inline SVG, returns its bars; a text
 * histogram for report.txt. */
size_t	cpk_chart_svg(FILE *, const cpk_summary *const *v, size_t n,
	    time_t now);
void	cpk_chart_text(FILE *, const cpk_summary *const *v, size_t n,
	    time_t now);
/* The same chart fed one date at a time, in fixed memory (a fleet's
 * containers are never all held): key 0 a certificate's end, 1 a private
 * key's usage end; a date 0 is none. */
typedef struct cpk_chart cpk_chart;
cpk_err	cpk_chart_new(time_t now, cpk_chart **);
void	cpk_chart_add(cpk_chart *, int key, time_t);
size_t	cpk_chart_svg_of(FILE *, const cpk_chart *);
void	cpk_chart_text_of(FILE *, const cpk_chart *);
void	cpk_chart_free(cpk_chart **);
/* report.html's summary and blocks (triage_html.c). */
void	cpk_triage_html(FILE *, const cpk_triage *,
	    const cpk_summary *const *v, const cpk_findings *found,
	    time_t now);
/* report.txt's summary (triage_html.c). */
void	cpk_triage_text(FILE *, const cpk_triage *);

/* A FILE whose bytes end up in memory: open_memstream (memstream.c);
 * Windows has none: a temporary file deleted on close
 * (compat/win/memstream_win.c). NULL: out of memory. */
typedef struct cpk_memstream {
	FILE	*f;
	char	*buf;
	size_t	 len;
} cpk_memstream;
FILE	*cpk_memstream_open(cpk_memstream *);
/* Closes it; *buf: the bytes and a NUL (free() it), *len: their count. */
cpk_err	 cpk_memstream_close(cpk_memstream *, char **buf, size_t *len);

/* The facts of the system: the OS, kernel, host, locale, user, the PC/SC
 * service, the packages (facts_system.c; compat/win/facts_win.c). */
void	cpk_facts_system(cpk_facts *);

#endif
