/* Internal declarations of diag/. */
#ifndef CPKIT_DIAG_INTERNAL_H
#define CPKIT_DIAG_INTERNAL_H

#include "diag.h"
#include "i18n.h"

/* Adds the catalogue entry `id` with a formatted message; the severity
 * and remedy come from the catalogue. Returns the finding (for evidence)
 * or NULL when out of memory. */
cpk_finding	*cpk_finding_add(cpk_findings *, const char *id,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void		 cpk_finding_evidence(cpk_finding *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* Hex of up to 64 bytes into a caller buffer. */
const char	*cpk_hex(const unsigned char *, size_t, char *, size_t);
/* "2020-07-01 14:57:10 UTC" */
const char	*cpk_time_text(time_t, char *, size_t);

/* Redaction (redact.c). */
void	cpk_redact_text(char *, size_t, const cpk_facts *);
void	cpk_redact_replace(char *, size_t, const char *what, const char *with);
void	cpk_redact_subject(char *, size_t);
void	cpk_redact_name(char *, size_t);

#endif
