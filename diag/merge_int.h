/* cpkit-diag --merge inside diag/: what the reader (merge.c) keeps while
 * it streams the hosts, and the writers (merge_out.c) render. Only
 * each host's name and per-certificate keys and counters are kept; each
 * host's rows and each container's problems go straight to temporary
 * files. */
#ifndef CPKIT_MERGE_INT_H
#define CPKIT_MERGE_INT_H

#include <stdio.h>
#include <time.h>

#include "internal.h"

/* Bounds on what a results folder may hold (it comes from many
 * machines): a line, the lines of a host, the hosts, the certificates
 * tracked, a status.json. Past them the host (or the run) says so. */
#define MERGE_LINE_MAX		(1u << 20)
#define MERGE_LINES_MAX		250000
#define MERGE_HOSTS_MAX		100000
#define MERGE_CERTS_MAX		2000000
#define MERGE_STATUS_MAX	65536
#define MERGE_NODES		16384	/* JSON nodes a line */
#define MERGE_NOTES		4	/* notes kept a host (all counted) */

enum merge_state { MS_OK, MS_UNREACHABLE, MS_FAILED };

/* A host as listed: all that is kept of it once read (its name, for the
 * certificates' lists of hosts). */
struct mhost_id {
	char		*name;		/* the folder: inventory_hostname */
	uint32_t	 dir;		/* which DIR it is in */
	int		 self;		/* the DIR is this host's folder */
	int		 link;		/* a symbolic link: listed, not read */
};

/* The host being read; its rows are written when it is done. */
struct mhost {
	const char	*name;
	enum merge_state state;
	char		 reason[384];	/* Ansible's, or what merge found */
	long long	 rc;
	int		 has_rc;
	char		 hostname[128], os[128], cpkit[32];
	size_t		 containers, problems, bad_lines;
	size_t		 by_status[5];
	int		 worst;		/* rank, -1: no container */
	time_t		 next;		/* nearest end; 0: none */
	size_t		 nnotes;
	char		 notes[MERGE_NOTES][160];
};

struct mcert {
	char		 key[80];	/* fingerprint or placeholder */
	char		 subject[160];
	time_t		 not_after;
	size_t		 containers;
	uint32_t	*hosts;		/* indexes into the host rows */
	uint32_t	 nhosts, cap;
};

struct merge {
	time_t		 now;
	struct mhost_id	*id;		/* the hosts in name order */
	size_t		 nh;
	struct mcert	**tab;		/* open addressing, by key */
	size_t		 tabcap, ncert, certs_dropped;
	cpk_chart	*chart;
	/* each host's problems as the reader meets them, in host order */
	FILE		*p_html, *p_txt, *p_json;
	cpk_json	 pj;		/* p_json's writer: an array */
	/* each host's row in the three members, as it is done */
	FILE		*h_html, *h_txt, *h_json;
	cpk_json	 hj;		/* h_json's writer: an array */
	cpk_merge_stats	 st;
};

/* cpk_html_str's output, faster on plain ASCII (merge_out.c): a fleet
 * report escapes millions of strings. */
void	cpk_merge_html(FILE *, const char *);
/* The same for the display form in text. */
void	cpk_merge_text(FILE *, const char *);
/* merge_out.c: a host's rows, written once it is read. */
void	cpk_merge_host_rows(struct merge *, const struct mhost *);
/* merge_out.c: the three members, into temporary files. */
cpk_err	cpk_merge_write(struct merge *, FILE *html, FILE *json, FILE *txt);
/* Ranks and words, cpk_status_rank order. */
extern const char *const cpk_merge_status[5];
const char	*cpk_merge_state_name(enum merge_state);

#endif
