/*
 * cpkit diagnostics: the public API of diag/. Checks turn a container into
 * findings (FORMATS.md §14 order); renderers turn findings and summaries
 * into text, CSV and JSON. Checks never print; renderers write only to the
 * stream they are given.
 */
#ifndef CPKIT_DIAG_H
#define CPKIT_DIAG_H

#include <stdio.h>

#include "container.h"
#include "media.h"

/* Version of the JSON documents cpkit-list and cpkit-test print. */
#define CPK_JSON_SCHEMA_LIST	"cpkit.list/1"
#define CPK_JSON_SCHEMA_TEST	"cpkit.test/1"
#define CPK_JSON_SCHEMA_DIAG	"cpkit.diag/1"
#define CPK_JSON_SCHEMA_CERTMATCH	"cpkit.list-cert/1"
#define CPK_JSON_SCHEMA_HOST	"cpkit.host/1"
#define CPK_JSON_SCHEMA_FLEET	"cpkit.fleet/1"
#define CPK_JSON_SCHEMA_FLEET_HOST	"cpkit.fleet-host/1"

enum cpk_sev { CPK_SEV_INFO, CPK_SEV_WARN, CPK_SEV_ERROR };

/* message, remedy and evidence are in the user's language (gettext:
 * LC_ALL, LC_MESSAGES, LANG), in JSON too; id and severity never change.
 * The buffers leave room for Cyrillic, two bytes a letter in UTF-8. */
#define CPK_FINDING_MESSAGE_MAX		768	/* bytes, with the NUL */
#define CPK_FINDING_EVIDENCE_MAX	256
/* The texts are on the heap, as long as they are (a 100,000-container
 * .reg has a finding on nearly each; fixed buffers made that a GB), and
 * owned by the list: cpk_findings_clear() frees them. evidence is "" when
 * there is none, never NULL. */
typedef struct cpk_finding {
	const char	*id;		/* stable, e.g. "header-mac" */
	enum cpk_sev	 sev;
	char		*message;	/* names the file and field */
	const char	*remedy;	/* what to do about it */
	char		*evidence;	/* values that prove it */
} cpk_finding;

typedef struct cpk_findings {
	cpk_finding	*v;
	size_t		 n, cap;
	/* findings cpk_finding_add() could not store (out of memory): a
	 * list that lost one is no verdict, see cpk_findings_state() */
	size_t		 lost;
} cpk_findings;

void		 cpk_findings_clear(cpk_findings *);
/* CPK_E_NOMEM when a finding was lost, else CPK_OK: every check that
 * fills a list returns it, so that a dropped finding is never read as a
 * clean container. */
cpk_err		 cpk_findings_state(const cpk_findings *);
enum cpk_sev	 cpk_findings_worst(const cpk_findings *);
int		 cpk_findings_has(const cpk_findings *, const char *id);
const char	*cpk_sev_name(enum cpk_sev);	/* "error": JSON, CSV */
const char	*cpk_sev_text(enum cpk_sev);	/* the same for people */
/* "2026-04-01" (UTC), or "?": dates in tables and candidate lists. */
const char	*cpk_day_text(time_t, char *, size_t);

/* One container, as cpkit-list shows it. */
typedef struct cpk_summary {
	const char	*fqcn, *location, *name, *media;
	const char	*sid;		/* registry containers: the user */
	const char	*user;		/* the SID's user name, when known */
	const char	*algorithm;	/* gost2001, gost2012-256, ... */
	const char	*kind;		/* "signature", "exchange", NULL */
	int		 exportable;	/* -1 unknown */
	/* the certificates, when present and parsed (has_cert, has_cert2):
	 * on the heap, so a container without one costs a pointer, not
	 * 1.4 KB (a 100,000-key .reg is mostly such) */
	int		 has_cert;
	cpk_cert_info	*cert;
	time_t		 key_not_after;	/* header.key's; 0: not recorded */
	/* the end CSP applies (FORMATS.md §6.5): the earliest of the
	 * header's and, for GOST 2012, the certificate's period; 0: none */
	time_t		 key_usage_end;
	enum cpk_key_src key_usage_src;
	const char	*kind2;		/* secondary key (§16), or NULL */
	int		 has_cert2;
	cpk_cert_info	*cert2;
	int		 present[CPK_F_COUNT];
	uint64_t	 size[CPK_F_COUNT];
	const char	*status;	/* ok, warning, locked, incomplete,
					 * damaged (cpk_status_rank) */
	size_t		 password_line;	/* the line of --password-list that
					 * unlocked it; 0: none or no list */
	int		 password_done;	/* the password checks have run */
	cpk_findings	 findings;
} cpk_summary;

/* The private key usage period's end that CSP applies to the primary
 * (sec 0) or secondary key: the earliest of header.key's key validity
 * (primary only) and, for a GOST 2012 key, the certificate's period (ci,
 * or NULL); 0 when neither is known. src says which one gave it. */
time_t	cpk_key_usage_end(const cpk_container *, const cpk_cert_info *ci,
	    int sec, enum cpk_key_src *src);
/* "header", "certificate-private-key-usage-period",
 * "certificate-not-before-plus-15-months": for JSON */
const char	*cpk_key_src_name(enum cpk_key_src);

/* Checks 1-11 and 18 of FORMATS.md §14: everything that needs no
 * password. `now` is the time validity is judged against. */
cpk_err	cpk_check_offline(const cpk_files *, const cpk_container *,
	    time_t now, cpk_findings *);

/* Checks 12-17: password MAC (only when the header's bit is set), unlock
 * of both copies, fingerprint, d*G against the certificate, a sign/verify
 * round trip through gost-engine. Non-ASCII passwords are tried in every
 * known encoding (§11.3). */
cpk_err	cpk_check_password(const cpk_container *, const char *pw,
	    cpk_findings *);

/* One password to try, and where it came from; never shown. */
typedef struct cpk_pw_try {
	const char	*pw;		/* UTF-8 */
	size_t		 line;		/* its line in a password list; 0: the
					 * one password of a file, variable or
					 * prompt */
	int		 from_file;	/* read from a file: read_as says how */
	enum cpk_pwtext	 read_as;
} cpk_pw_try;

/* The password checks with the first of n passwords that opens the
 * container, tried in order (each in every encoding of §11.3, one KDF a
 * form): the password MAC when the header has one, else an unlock.
 * *used: its index, or n when none did (then password-wrong, counting
 * the passwords tried). A list's line number is a password-list finding. */
cpk_err	cpk_check_passwords(const cpk_container *, const cpk_pw_try *,
	    size_t n, size_t *used, cpk_findings *);
/* The index of the first of n passwords that opens the container, or n:
 * for tools that then use the password themselves (fix, export, passwd).
 * A container with no password set opens with the empty one, whatever
 * the list holds: *used is n then too, and *none is 1. */
size_t	cpk_password_pick(const cpk_container *, const cpk_pw_try *,
	    size_t n, int *none);

/* Fills a summary (and its findings) for one container. */
cpk_err	cpk_summarize(const cpk_ref *, const cpk_files *,
	    const cpk_container *, time_t now, cpk_summary *);
void	cpk_summary_clear(cpk_summary *);
/* "ok", "warning", "locked", "incomplete" or "damaged": a wrong
 * password (password-wrong) alone makes a container locked, not damaged. */
const char	*cpk_status(const cpk_findings *);
/* The one order of statuses, best first: ok < warning < locked <
 * incomplete < damaged; an unknown word ranks after them all. */
int		 cpk_status_rank(const char *status);
/* The worse of two statuses by that order. */
const char	*cpk_status_worse(const char *, const char *);
/* One of those words for people, in the user's language. */
const char	*cpk_status_text(const char *status);

/* Progress of a long run (cpkit-diag --progress): done of total items
 * so far; total may grow while a walk is still listing. Never called by
 * two threads at once, and done never goes back. */
typedef void cpk_progress_fn(void *arg, size_t done, size_t total);

/* Every container under some paths, decoded and summarized. */
typedef struct cpk_scan_item {
	cpk_ref		 ref;
	cpk_files	*files;
	cpk_container	*c;
	cpk_summary	 summary;
} cpk_scan_item;

typedef struct cpk_scan {
	cpk_scan_item	*v;
	size_t		 n, cap;
	char		**warn;		/* unreadable folders, loops */
	size_t		 nwarn;
	/* findings of the scan and the media, not of a container: a limit
	 * that cut the walk short (scan-incomplete), cpkit-fix's backup
	 * archives (backup-copy), staging folders of killed runs
	 * (staging-leftover) */
	cpk_findings	 found;
	/* set by the caller before cpk_scan_add, or NULL: containers
	 * checked of those listed, over every path added so far */
	cpk_progress_fn	*progress;
	void		*progress_arg;
} cpk_scan;

/* Adds every container found under path (a folder, or a file inside a
 * container folder). CPK_E_NOT_FOUND: the path does not exist. */
cpk_err	cpk_scan_add(cpk_scan *, const char *path, time_t now);
/* The same with media options: a token's PIN (pcsc: URIs). */
cpk_err	cpk_scan_add_opts(cpk_scan *, const char *path, time_t now,
	    cpk_media_opts *);
void	cpk_scan_clear(cpk_scan *);
/* The same, streaming: fn gets each container as soon as it is checked
 * (duplicate-name included, judged on the names first), in the media's
 * order; the item is freed when fn returns, so memory holds the media's
 * list and a few hundred containers, not all of them. The scan gets the
 * warnings and media findings only (s->n stays 0). fn's error stops it. */
typedef cpk_err	cpk_scan_fn(void *arg, cpk_scan_item *);
cpk_err	cpk_scan_stream(cpk_scan *, const char *path, time_t now,
	    cpk_media_opts *, cpk_scan_fn *fn, void *arg);
/* The places a tool searches when given no PATH (discover.c): the CSP
 * key folder (/var/opt/cprocsp/keys/USER, all of it for root), /media,
 * /run/media, /mnt, $HOME, and "pcsc:" when tokens is set and pcscd
 * runs. CPKIT_DISCOVERY_ROOT, a testing aid, is put before each of
 * the first four. */
#define CPK_PLACES_MAX	8
typedef struct cpk_place {
	char	 path[512];
	cpk_err	 err;		/* CPK_OK: searched; CPK_E_NOT_FOUND: absent */
} cpk_place;
typedef struct cpk_places {
	cpk_place	 v[CPK_PLACES_MAX];
	size_t		 n;
} cpk_places;
void	cpk_discover_places(cpk_places *, int tokens);
/* Adds what the places hold to the scan (mo: a token's PIN, or NULL);
 * fails only for want of memory. */
cpk_err	cpk_discover(cpk_scan *, time_t now, int tokens, cpk_media_opts *mo,
	    cpk_places *);
/* The same through cpk_scan_stream. */
cpk_err	cpk_discover_stream(cpk_scan *, time_t now, int tokens,
	    cpk_media_opts *mo, cpk_places *, cpk_scan_fn *fn, void *arg);
/* Keeps the containers whose name or FQCN is want (compared as CSP
 * compares names: regardless of case, Latin and Cyrillic) or whose
 * location is want; *matched says how many. CPK_OK: exactly one is left;
 * CPK_E_EXISTS: several are (the caller lists them); CPK_E_NOT_FOUND:
 * none, and the scan is unchanged. */
cpk_err	cpk_scan_pick(cpk_scan *, const char *want, size_t *matched);
/* Container names equal as CSP compares them (duplicate-name). */
int	cpk_name_equal(const char *, const char *);
/* The media findings as "[severity] id: message" lines, then the remedy
 * indented: for the text outputs of cpkit-list, -test and -diag. */
void	cpk_render_found_text(FILE *, const cpk_findings *);

/* A reader and its token, for a diagnostic bundle: read without a PIN;
 * the tries come from Rutoken's empty VERIFY, which spends none; how the
 * containers were found and the folders the token would not list come
 * from a PIN-free walk. */
#define CPK_FACTS_READERS	8
#define CPK_TRIES_NOT_ASKED	(-2)
#define CPK_FACTS_SKIPPED	8
typedef struct cpk_fact_reader {
	char	 name[128];
	int	 card;			/* a token is in it */
	char	 atr[80], model[64], serial[16];
	/* -1: not read safely; CPK_TRIES_NOT_ASKED: the admin PIN's,
	 * read only with cpkit-diag --admin-tries (TOKENS.md §6.2) */
	int	 user_tries, admin_tries;
	int	 user_blocked, admin_blocked;
	/* the PIN-free walk (issue 16 points 3, 9): 0 not walked (not a
	 * Rutoken, or it failed), 1 by listing, 2 by probing paths */
	int	 walk;
	unsigned list_sw;		/* probing: what refused listing */
	size_t	 nskipped;		/* folders it would not list */
	char	 skipped[CPK_FACTS_SKIPPED][48];
	unsigned skipped_sw[CPK_FACTS_SKIPPED];
	/* a walk that failed: where (issue 17 §3), "" when it did not */
	char	 walk_where[CPK_WHERE_PATH_MAX + 160];
	unsigned walk_sw;		/* its SW, 0 when none */
} cpk_fact_reader;

/* System facts for a diagnostic bundle. */
typedef struct cpk_facts {
	char	 os[128], kernel[128], host[128], locale[64], user[64];
	int	 pcscd;			/* the pcscd socket exists */
	char	 openssl[64], gost_engine[64], pcsclite[64], libzip[32];
	int	 csp;			/* /opt/cprocsp exists */
	char	 csp_version[64];
	size_t	 nreaders;
	cpk_fact_reader readers[CPK_FACTS_READERS];
	/* the places searched for want of a PATH (cpk_discover), set by
	 * the caller; n 0: the PATHs were given */
	cpk_places searched;
} cpk_facts;
/* admin_tries: also send the empty VERIFY for the admin PIN (a firmware
 * that counted it would lose admin tries on every fleet audit) */
/* tokens 0 (--no-tokens): no reader is asked, even when pcscd runs */
void	cpk_facts_collect(cpk_facts *, int admin_tries, int tokens);
/* The readers part only (facts_tokens.c); no PIN is ever sent. */
void	cpk_facts_tokens(cpk_facts *, int admin_tries);

/* ---- diagnostic bundles (cpkit-diag) ---- */
typedef struct cpk_diag_opts {
	int		 redact;	/* placeholders for personal data */
	int		 include_containers;	/* secret files too */
	/* the passwords to try on each container, in order (--password-
	 * list, or the one given); npasswords 0: checks without one */
	const cpk_pw_try *passwords;
	size_t		 npasswords;
	/* the redaction key (HMAC-SHA-256): the same key gives the same
	 * placeholders; NULL: a random one for each call, never stored */
	const unsigned char *redact_key;
	size_t		 redact_key_len;
	/* cpk_diag_jsonl: a bundle goes with the lines, so they may name
	 * its certs/N.cer; 0: certificate_file is null */
	int		 bundle;
	/* or NULL: containers whose passwords were tried, of all (the long
	 * part of a bundle with a password list, one KDF a try) */
	cpk_progress_fn	*progress;
	void		*progress_arg;
} cpk_diag_opts;

/* The bundle's members, built from a scan: report.json (schema
 * cpkit.diag/1), report.txt, report.html, certs/N.cer, optionally
 * containers/N/ (the six files), and manifest.txt with the SHA-256 of each.
 * Redacted: no certificate and no container file (CPK_E_ARG with
 * include_containers), every identifying value a keyed placeholder. */
typedef struct cpk_diag {
	char		**name;
	cpk_blob	**data;
	size_t		 n;
	size_t		 containers, problems;
	/* containers by status: ok, warning, locked, incomplete, damaged
	 * (cpk_status_rank order) */
	size_t		 by_status[5];
	const char	*urgent[3];	/* the most urgent remedies */
} cpk_diag;

cpk_err	cpk_diag_build(cpk_scan *, const cpk_facts *, const cpk_diag_opts *,
	    time_t now, cpk_diag *);
/* One JSON line per container (the objects of report.json). */
cpk_err	cpk_diag_jsonl(FILE *, cpk_scan *, const cpk_diag_opts *);
/* A place searched, for the host line: a PATH given, or one the search
 * without PATH tried (present: it exists). */
typedef struct cpk_searched {
	const char	*path;
	int		 present;
} cpk_searched;
/* The first line of --jsonl: the host's facts, schema cpkit.host/1
 * (hostline.c; man/cpkit-diag.1), redacted as the report's facts. */
cpk_err	cpk_diag_host_line(FILE *, const cpk_facts *, const cpk_searched *,
	    size_t n, const cpk_diag_opts *, time_t now);
/* Writes the members into a zip file with libzip (checked at close). */
cpk_err	cpk_diag_zip(const cpk_diag *, const char *path);
void	cpk_diag_clear(cpk_diag *);

/* ---- fleet reports (cpkit-diag --merge; merge.c, merge_out.c) ----
 * Each DIR is a results folder of the Ansible role (one folder a host:
 * cpkit.jsonl, the host's --jsonl, and status.json, schema
 * cpkit.fleet-host/1) or one host's folder. The zip gets report.html,
 * fleet.json (schema cpkit.fleet/1, man/cpkit-diag.1) and report.txt.
 * Each host's file is read line by line: memory holds a row a host and
 * a key and counters a certificate, never a container. A host's bad
 * input (a line that is no JSON, too long, too many) is reported for
 * that host. CPK_E_EXISTS: the zip exists; CPK_E_NOT_FOUND: a DIR is not
 * a folder; CPK_E_TOO_BIG: more hosts than the bound. */
typedef struct cpk_merge_stats {
	size_t	 hosts, audited, unreachable, failed;
	size_t	 containers, problems, bad_lines;
	size_t	 by_status[5];	/* cpk_status_rank order */
	size_t	 certificates, shared;	/* shared: in more than one host */
} cpk_merge_stats;
cpk_err	cpk_merge(const char *const *dirs, size_t n, const char *zip,
	    time_t now, cpk_merge_stats *);

/* ---- certificates and containers (certmatch.c) ---- */
/* Which key of c the certificate holds by the header's fingerprints
 * (FORMATS.md §12.5, no password): 1 primary, 2 secondary, 0 neither. */
int	cpk_cert_holds(const cpk_container *c, const cpk_cert_info *);
/* cpkit-test --cert: cert-given-match (info) or cert-given-mismatch by the
 * fingerprint; with pw, d*G against the certificate's key
 * (cert-pubkey-mismatch when it differs); cert-given-newer when it is a
 * renewal of the certificate header.key holds. */
cpk_err	cpk_check_cert_given(const cpk_container *c, const cpk_cert_info *,
	    const char *pw, time_t now, cpk_findings *);
/* cpkit-list --cert: for each certificate of l, the containers of scan
 * that hold its key (schema CPK_JSON_SCHEMA_CERTMATCH); both return how
 * many certificates no container holds. */
size_t	cpk_render_certmatch_text(FILE *, const cpk_cert_list *,
	    const cpk_scan *);
size_t	cpk_render_certmatch_json(FILE *, const cpk_cert_list *,
	    const cpk_scan *);

/* Renderers. */
/* rows: the summaries in the order to show, pointers into the scan (a
 * copy of each would double cpkit-list's memory on a huge .reg) */
void	cpk_render_list_text(FILE *, const cpk_summary *const *rows, size_t n);
/* CSV for programs: exact values, ',' and LF (RFC 4180 quoting). */
void	cpk_render_list_csv(FILE *, const cpk_summary *const *rows, size_t n);
/* CSV for people in a spreadsheet (Russian-locale Excel): a UTF-8 BOM,
 * ';' and CR LF, each cell in display form with the formula guard
 * (cpk_display_csv_cell); the same columns as cpk_render_list_csv. */
void	cpk_render_list_csv_excel(FILE *, const cpk_summary *const *rows,
	    size_t n);
/* The list's JSON and CSVs a row at a time (cpkit-list streaming when no
 * --sort is asked): exactly the bytes of the functions above. */
enum cpk_list_fmt { CPK_LIST_JSON, CPK_LIST_CSV, CPK_LIST_CSV_EXCEL };
void	cpk_render_list_head(FILE *, enum cpk_list_fmt);
void	cpk_render_list_row(FILE *, enum cpk_list_fmt, const cpk_summary *,
	    size_t i);
void	cpk_render_list_tail(FILE *, enum cpk_list_fmt, size_t n);
/* cpkit-list --sort (list_sort.c): status (worst first, then nearest
 * expiry), expiry (nearest first, none last, then worst status) or name;
 * ties by name, location, FQCN, then the rows' given order. */
enum cpk_sort { CPK_SORT_STATUS, CPK_SORT_EXPIRY, CPK_SORT_NAME };
cpk_err	cpk_sort_rows(const cpk_summary **rows, size_t n, enum cpk_sort);
/* The earlier of the certificate's end and the key's usage end; 0: none */
time_t	cpk_summary_expiry(const cpk_summary *);
void	cpk_render_list_json(FILE *, const cpk_summary *const *rows, size_t n);
void	cpk_render_test_text(FILE *, const cpk_summary *, int pw_checked);
void	cpk_render_test_json(FILE *, const cpk_summary *, int pw_checked);
/* One container as a JSON object of the given schema; pw: -1 for a list
 * row, else whether the password checks ran. */
void	cpk_render_summary_json(FILE *, const cpk_summary *, const char *schema,
	    int pw);
/* A JSON string alone, NULL as null: cpk_json_string() of the writer
 * (json.h) for a caller that has none. */
void	cpk_json_str(FILE *, const char *);

#endif
