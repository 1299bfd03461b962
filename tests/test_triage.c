/* The triage of a diagnostic report (issue 18, diag/triage.c): blocks
 * damaged, incomplete, locked, warning, then the nearest end, then as
 * found; counts by status, medium and the 30/90-day windows; the three
 * urgent remedies distinct; plain headlines (titles.c). */
#include <string.h>

#include <criterion/criterion.h>

#include "../diag/internal.h"

#define DAY	86400
static const time_t now = 1748736000;	/* 2025-06-01 */

/* A summary with one finding of id (NULL: none), its status, medium,
 * and a certificate ending at `end` (0: none). */
static void
mk(cpk_summary *s, cpk_cert_info *ci, const char *id, const char *media,
    time_t end)
{
	memset(s, 0, sizeof(*s));
	s->media = media;
	s->fqcn = media;
	if (id != NULL)
		cr_assert_not_null(cpk_finding_add(&s->findings, id, "%s",
		    id));
	s->status = cpk_status(&s->findings);
	if (end != 0) {
		memset(ci, 0, sizeof(*ci));
		ci->not_after = end;
		s->cert = ci;
		s->has_cert = 1;
	}
}

Test(triage, order_counts_urgent)
{
	cpk_summary s[7];
	cpk_cert_info ci[7];
	const cpk_summary *v[7];
	cpk_triage t;
	/* found order: ok, warning (ends in 60 d), damaged, warning (ends
	 * in 10 d), locked, incomplete, damaged (again header-mac) */
	mk(&s[0], &ci[0], NULL, "FLASH", now + 400 * DAY);
	mk(&s[1], &ci[1], "cert-missing", "FLASH", now + 60 * DAY);
	mk(&s[2], &ci[2], "header-mac", "REGISTRY", 0);
	mk(&s[3], &ci[3], "cert-missing", "FLASH", now + 10 * DAY);
	mk(&s[4], &ci[4], "password-wrong", "HDIMAGE", now - DAY);
	mk(&s[5], &ci[5], "file-missing", "FLASH", 0);
	mk(&s[6], &ci[6], "header-mac", "FLASH", now + 5 * DAY);
	cr_assert_str_eq(s[5].status, "incomplete");
	for (int i = 0; i < 7; i++)
		v[i] = &s[i];
	cr_assert_eq(cpk_triage_make(v, 7, NULL, now, &t), CPK_OK);
	/* damaged 6 (ends in 5 d) before damaged 2 (no end), incomplete,
	 * locked, then the warnings nearest first */
	size_t want[] = { 6, 2, 5, 4, 3, 1 };
	cr_assert_eq(t.nblocks, 6);
	for (size_t b = 0; b < 6; b++)
		cr_assert_eq(t.order[b], want[b], "block %zu: %zu", b,
		    t.order[b]);
	cr_assert_eq(t.by_status[0], 1);	/* ok */
	cr_assert_eq(t.by_status[1], 2);	/* warning */
	cr_assert_eq(t.by_status[2], 1);	/* locked */
	cr_assert_eq(t.by_status[3], 1);	/* incomplete */
	cr_assert_eq(t.by_status[4], 2);	/* damaged */
	cr_assert_eq(t.nmedia, 3);
	cr_assert_str_eq(t.media[0], "FLASH");
	cr_assert_eq(t.by_media[0], 5);
	cr_assert_eq(t.by_media[1], 1);
	cr_assert_eq(t.by_media[2], 1);
	/* 5 and 10 days within 30; 60 too within 90; the expired not */
	cr_assert_eq(t.exp30, 2);
	cr_assert_eq(t.exp90, 3);
	/* header-mac's remedy once, though two blocks have it */
	cr_assert_str_eq(t.urgent[0], s[6].findings.v[0].remedy);
	cr_assert_str_eq(t.urgent[1], s[5].findings.v[0].remedy);
	cr_assert_str_eq(t.urgent[2], s[4].findings.v[0].remedy);
	cpk_triage_clear(&t);
	for (int i = 0; i < 7; i++)
		cpk_findings_clear(&s[i].findings);
}

Test(triage, headlines_in_words)
{
	cpk_findings l = { 0 };
	cpk_finding *f = cpk_finding_add(&l, "header-mac", "header.key: "
	    "hmacKeyContainerContent does not match the header");

	cr_assert_not_null(f);
	cr_assert_str_eq(cpk_finding_title(f), "The header's checksum is "
	    "wrong: the header is damaged or was edited");
	cpk_findings_clear(&l);
}
