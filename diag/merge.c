/* cpkit-diag --merge: the Ansible role's results folders into one fleet
 * report. The hosts are listed and sorted by name first (a row each),
 * then each host's status.json and cpkit.jsonl are read, the JSONL line
 * by line: a line is parsed into a fixed node array (jread.c), counted
 * into its host's row, the fleet's totals, the expiry chart's months and
 * its certificate's entry, and its problems are written at once to
 * temporary files that merge_out.c copies into the members. Everything
 * read is hostile: lines, lines a host, hosts and certificates are
 * bounded, a bad line is a note of its host, never the run's failure. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "jread.h"
#include "merge_int.h"

static cpk_display_ring ring;	/* names from hosts, for text */
#define DISP(s)	cpk_display(&ring, (s))

/* ---- reading ---- */

/* A file opened for reading only if it is a regular file, not through a
 * symbolic link (a results folder is written by hosts' data). NULL with
 * errno ENOENT when absent. */
static FILE *
open_plain(const char *dir, const char *name, int self, const char *host,
    const char *file)
{
	char path[4096];
	struct stat st;
	FILE *f;
	int fd;

	if (self)
		snprintf(path, sizeof(path), "%s/%s", dir, file);
	else
		snprintf(path, sizeof(path), "%s/%s/%s", dir, host, file);
	(void)name;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK)) < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (f = fdopen(fd, "r")) == NULL) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	return f;
}

/* Lines of at most MERGE_LINE_MAX bytes from a file, by blocks: a NUL
 * inside a line is seen (fgets would hide it), a longer line is skipped
 * whole and said to be too long. */
struct lines {
	FILE	*f;
	char	*buf;
	size_t	 cap, start, end;
	int	 eof;
};

enum { L_LINE, L_LONG, L_END };

static int
next_line(struct lines *l, char **line, size_t *len)
{
	char *nl;
	int skipping = 0;

	for (;;) {
		nl = memchr(l->buf + l->start, '\n', l->end - l->start);
		if (nl != NULL) {
			size_t s = l->start;
			l->start = (size_t)(nl - l->buf) + 1;
			if (skipping)
				return L_LONG;
			*line = l->buf + s;
			*len = (size_t)(nl - l->buf) - s;
			return L_LINE;
		}
		if (l->eof) {
			size_t s = l->start;
			if (s == l->end)
				return skipping ? L_LONG : L_END;
			l->start = l->end;	/* the last line, no LF */
			if (skipping)
				return L_LONG;
			*line = l->buf + s;
			*len = l->end - s;
			return L_LINE;
		}
		if (l->start > 0) {
			memmove(l->buf, l->buf + l->start, l->end - l->start);
			l->end -= l->start;
			l->start = 0;
		}
		if (l->end == l->cap) {		/* no LF in a whole buffer */
			skipping = 1;
			l->start = l->end = 0;
		}
		size_t got = fread(l->buf + l->end, 1, l->cap - l->end, l->f);
		l->end += got;
		if (got == 0)
			l->eof = 1;
	}
}

static time_t
iso_time(const cpk_jdoc *d, long i)
{
	/* "2045-01-01T00:00:00Z" exactly, as cpkit writes it: digits
	 * where digits go (sscanf was a tenth of the merge's time) */
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	char s[40];
	struct tm tm;
	int y, mo, da, h, mi, se;

	if (cpk_jdoc_str(d, i, s, sizeof(s)) != 0 || strlen(s) != 20)
		return 0;
	for (int k = 0; k < 20; k++)
		if (pat[k] == 'd' ? s[k] < '0' || s[k] > '9' : s[k] != pat[k])
			return 0;
#define N2(p)	((s[p] - '0') * 10 + s[(p) + 1] - '0')
	y = N2(0) * 100 + N2(2);
	mo = N2(5);
	da = N2(8);
	h = N2(11);
	mi = N2(14);
	se = N2(17);
#undef N2
	if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 ||
	    se > 60 || y < 1)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = da;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	return timegm(&tm);
}

static void
note(struct mhost *h, const char *fmt, ...)
    __attribute__((format(CPK_PRINTF, 2, 3)));
static void
note(struct mhost *h, const char *fmt, ...)
{
	va_list ap;

	if (h->nnotes < MERGE_NOTES) {
		va_start(ap, fmt);
		vsnprintf(h->notes[h->nnotes], sizeof(h->notes[0]), fmt, ap);
		va_end(ap);
	}
	h->nnotes++;
}

/* ---- certificates: open addressing by key ---- */

static uint64_t
fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static cpk_err
grow(struct merge *m)
{
	size_t cap = m->tabcap ? m->tabcap * 2 : 1024;
	struct mcert **t = calloc(cap, sizeof(*t));

	if (t == NULL)
		return CPK_E_NOMEM;
	for (size_t i = 0; i < m->tabcap; i++)
		if (m->tab[i] != NULL) {
			size_t k = (size_t)fnv(m->tab[i]->key,
			    strlen(m->tab[i]->key)) & (cap - 1);
			while (t[k] != NULL)
				k = (k + 1) & (cap - 1);
			t[k] = m->tab[i];
		}
	free(m->tab);
	m->tab = t;
	m->tabcap = cap;
	return CPK_OK;
}

static cpk_err
cert_seen(struct merge *m, const char *key, const char *subject,
    time_t not_after, uint32_t host)
{
	struct mcert *c;
	size_t k;
	cpk_err r;

	if (m->ncert * 2 >= m->tabcap && (r = grow(m)) != CPK_OK)
		return r;
	k = (size_t)fnv(key, strlen(key)) & (m->tabcap - 1);
	while ((c = m->tab[k]) != NULL && strcmp(c->key, key) != 0)
		k = (k + 1) & (m->tabcap - 1);
	if (c == NULL) {
		if (m->ncert >= MERGE_CERTS_MAX) {
			m->certs_dropped++;
			return CPK_OK;
		}
		if ((c = calloc(1, sizeof(*c))) == NULL)
			return CPK_E_NOMEM;
		snprintf(c->key, sizeof(c->key), "%s", key);
		snprintf(c->subject, sizeof(c->subject), "%s", subject);
		c->not_after = not_after;
		m->tab[k] = c;
		m->ncert++;
	}
	c->containers++;
	if (c->nhosts == 0 || c->hosts[c->nhosts - 1] != host) {
		if (c->nhosts == c->cap) {
			uint32_t cap = c->cap ? c->cap * 2 : 2;
			uint32_t *v = realloc(c->hosts, cap * sizeof(*v));
			if (v == NULL)
				return CPK_E_NOMEM;
			c->hosts = v;
			c->cap = cap;
		}
		c->hosts[c->nhosts++] = host;
	}
	return CPK_OK;
}

/* ---- problems, as met ---- */

static void
problems_host(struct merge *m, struct mhost *h, int *opened)
{
	if (*opened)
		return;
	*opened = 1;
	fputs("<section class=\"host\" data-host=\"", m->p_html);
	cpk_merge_html(m->p_html, h->name);
	fputs("\"><h3>", m->p_html);
	cpk_merge_html(m->p_html, h->name);
	fputs("</h3>\n", m->p_html);
	fprintf(m->p_txt, "\n== %s\n", DISP(h->name));
}

static void
problem_json(struct merge *m, const struct mhost *h, const char *name,
    const char *location, const char *status, const char *id,
    const char *sev, const char *msg)
{
	cpk_json *j = &m->pj;

	cpk_json_nl(j);		/* a problem a line */
	cpk_json_obj(j);
	cpk_json_kv_str(j, "host", h->name);
	cpk_json_kv_str(j, "container", name);
	cpk_json_kv_str(j, "location", location);
	cpk_json_kv_str(j, "status", status);
	cpk_json_kv_str(j, "id", id);
	cpk_json_kv_str(j, "severity", sev);
	cpk_json_kv_str(j, "message", msg);
	cpk_json_obj_end(j);
}

/* One container line: counters, chart, certificate, problems. */
static cpk_err
container(struct merge *m, struct mhost *h, uint32_t hi, const cpk_jdoc *d,
    long top, long c, int *opened)
{
	char name[256], loc[512], status[32], id[64], sev[16], msg[1024];
	char key[80], subject[160], issuer[160], serial[96];
	long cert, f;
	time_t na = 0, ku, end;
	int rank, any = 0;
	cpk_err r = CPK_OK;

	cpk_jdoc_str(d, cpk_jdoc_get(d, c, "name"), name, sizeof(name));
	cpk_jdoc_str(d, cpk_jdoc_get(d, c, "location"), loc, sizeof(loc));
	cpk_jdoc_str(d, cpk_jdoc_get(d, c, "status"), status, sizeof(status));
	rank = cpk_status_rank(status);
	if (rank < 0 || rank > 4) {
		note(h, _("a container of unknown status \"%.40s\", counted "
		    "as damaged"), DISP(status));
		rank = 4;
		snprintf(status, sizeof(status), "%s", "damaged");
	}
	h->containers++;
	h->by_status[rank]++;
	m->st.containers++;
	m->st.by_status[rank]++;
	if (rank > h->worst)
		h->worst = rank;
	cert = cpk_jdoc_get(d, c, "certificate");
	if (cpk_jdoc_is(d, cert, CPK_J_OBJ)) {
		na = iso_time(d, cpk_jdoc_get(d, cert, "not_after"));
		cpk_chart_add(m->chart, 0, na);
		cpk_jdoc_str(d, cpk_jdoc_get(d, cert, "subject"), subject,
		    sizeof(subject));
		if (cpk_jdoc_str(d, cpk_jdoc_get(d, top,
		    "certificate_fingerprint"), key, sizeof(key)) != 0 ||
		    key[0] == '\0') {
			/* a line of an older cpkit: the issuer and serial
			 * name one certificate (RFC 5280) */
			cpk_jdoc_str(d, cpk_jdoc_get(d, cert, "issuer"),
			    issuer, sizeof(issuer));
			cpk_jdoc_str(d, cpk_jdoc_get(d, cert, "serial"),
			    serial, sizeof(serial));
			snprintf(key, sizeof(key), "issuer-serial:%016llx",
			    (unsigned long long)(fnv(issuer, strlen(issuer) +
			    1) ^ fnv(serial, strlen(serial))));
		}
		if ((r = cert_seen(m, key, subject, na, hi)) != CPK_OK)
			return r;
	}
	ku = iso_time(d, cpk_jdoc_get(d, c, "key_usage_end"));
	cpk_chart_add(m->chart, 1, ku);
	end = na != 0 && (ku == 0 || na < ku) ? na : ku;
	if (end != 0 && (h->next == 0 || end < h->next))
		h->next = end;
	f = cpk_jdoc_get(d, c, "findings");
	for (long i = cpk_jdoc_first(d, f); i >= 0; i = cpk_jdoc_next(d, i)) {
		cpk_finding fd;

		cpk_jdoc_str(d, cpk_jdoc_get(d, i, "severity"), sev,
		    sizeof(sev));
		if (strcmp(sev, "error") != 0 && strcmp(sev, "warning") != 0)
			continue;
		cpk_jdoc_str(d, cpk_jdoc_get(d, i, "id"), id, sizeof(id));
		cpk_jdoc_str(d, cpk_jdoc_get(d, i, "message"), msg,
		    sizeof(msg));
		h->problems++;
		m->st.problems++;
		problems_host(m, h, opened);
		if (!any) {
			fputs("<div class=\"container\"><h4>", m->p_html);
			cpk_merge_html(m->p_html, name);
			fprintf(m->p_html, " <span class=\"st-%s\">",
			    cpk_merge_status[rank]);
			cpk_merge_html(m->p_html, cpk_status_text(status));
			fputs("</span></h4><p class=\"loc\">", m->p_html);
			cpk_merge_html(m->p_html, loc);
			fputs("</p><ul>", m->p_html);
			fprintf(m->p_txt, "  %s [%s]\n    %s\n",
			    DISP(name), cpk_status_text(status),
			    DISP(loc));
			any = 1;
		}
		memset(&fd, 0, sizeof(fd));
		fd.id = id;
		fd.message = msg;
		fprintf(m->p_html, "<li class=\"%s\"><b>",
		    strcmp(sev, "error") == 0 ? "error" : "warning");
		cpk_merge_html(m->p_html, cpk_finding_title(&fd));
		fputs("</b> ", m->p_html);
		cpk_merge_html(m->p_html, msg);
		fputs(" <code>", m->p_html);
		cpk_merge_html(m->p_html, id);
		fputs("</code></li>", m->p_html);
		fprintf(m->p_txt, "    [%s] ", sev);
		cpk_merge_text(m->p_txt, id);
		fputs(": ", m->p_txt);
		cpk_merge_text(m->p_txt, msg);
		fputc('\n', m->p_txt);
		problem_json(m, h, name, loc, status, id, sev, msg);
	}
	if (any)
		fputs("</ul></div>\n", m->p_html);
	return CPK_OK;
}

/* The first line: the host's facts (schema cpkit.host/1). */
static void
host_line(struct mhost *h, const cpk_jdoc *d, long o)
{
	char schema[40];

	cpk_jdoc_str(d, cpk_jdoc_get(d, o, "schema"), schema, sizeof(schema));
	if (strcmp(schema, CPK_JSON_SCHEMA_HOST) != 0)
		note(h, _("the host line's schema is \"%.40s\", not %s"),
		    DISP(schema), CPK_JSON_SCHEMA_HOST);
	cpk_jdoc_str(d, cpk_jdoc_get(d, o, "hostname"), h->hostname,
	    sizeof(h->hostname));
	cpk_jdoc_str(d, cpk_jdoc_get(d, o, "os"), h->os, sizeof(h->os));
	cpk_jdoc_str(d, cpk_jdoc_get(d, o, "cpkit_version"), h->cpkit,
	    sizeof(h->cpkit));
}

static void
bad_line(struct merge *m, struct mhost *h, size_t no, const char *why)
{
	h->bad_lines++;
	m->st.bad_lines++;
	note(h, _("cpkit.jsonl line %zu: %s"), no, why);
}

static cpk_err
read_jsonl(struct merge *m, struct mhost *h, uint32_t hi, FILE *f,
    cpk_jnode *nodes, char *buf, int *opened)
{
	struct lines l = { f, buf, MERGE_LINE_MAX + 1, 0, 0, 0 };
	cpk_jdoc d;
	char *line;
	size_t len, no = 0;
	long top, c;
	int k;
	cpk_err r;

	memset(&d, 0, sizeof(d));
	d.v = nodes;
	d.cap = MERGE_NODES;
	while ((k = next_line(&l, &line, &len)) != L_END) {
		if (++no > MERGE_LINES_MAX) {
			note(h, _("cpkit.jsonl: more than %d lines, the rest "
			    "not read"), MERGE_LINES_MAX);
			break;
		}
		if (k == L_LONG) {
			bad_line(m, h, no, _("longer than 1 MiB"));
			continue;
		}
		if (len == 0)
			continue;
		if (memchr(line, '\0', len) != NULL) {
			bad_line(m, h, no, _("a NUL byte"));
			continue;
		}
		if ((r = cpk_jdoc_parse(&d, line, len)) != CPK_OK) {
			bad_line(m, h, no, cpk_err_text(r));
			continue;
		}
		if ((top = cpk_jdoc_get(&d, 0, "host")) >= 0 &&
		    cpk_jdoc_is(&d, top, CPK_J_OBJ)) {
			if (no == 1)
				host_line(h, &d, top);
			else
				bad_line(m, h, no, _("a second host line"));
			continue;
		}
		if (no == 1)
			note(h, _("cpkit.jsonl has no host line first (a cpkit "
			    "older than 0.9.0?)"));
		c = cpk_jdoc_get(&d, 0, "container");
		if (!cpk_jdoc_is(&d, c, CPK_J_OBJ)) {
			bad_line(m, h, no, _("neither a host nor a container"));
			continue;
		}
		if ((r = container(m, h, hi, &d, 0, c, opened)) != CPK_OK)
			return r;
	}
	if (ferror(f))
		note(h, _("cpkit.jsonl: a read error"));
	return CPK_OK;
}

/* status.json: the playbook's word on the host. */
static void
read_status(struct mhost *h, FILE *f, cpk_jnode *nodes, char *buf)
{
	cpk_jdoc d;
	char schema[40], state[24];
	size_t n = fread(buf, 1, MERGE_STATUS_MAX + 1, f);
	long rc;
	cpk_err r;

	memset(&d, 0, sizeof(d));
	d.v = nodes;
	d.cap = MERGE_NODES;
	h->state = MS_FAILED;
	if (n > MERGE_STATUS_MAX) {
		snprintf(h->reason, sizeof(h->reason), "%s",
		    _("status.json is too large to be the playbook's"));
		return;
	}
	if ((r = cpk_jdoc_parse(&d, buf, n)) != CPK_OK) {
		snprintf(h->reason, sizeof(h->reason), _("status.json: %s"),
		    cpk_err_text(r));
		return;
	}
	cpk_jdoc_str(&d, cpk_jdoc_get(&d, 0, "schema"), schema,
	    sizeof(schema));
	cpk_jdoc_str(&d, cpk_jdoc_get(&d, 0, "state"), state, sizeof(state));
	if (strcmp(schema, CPK_JSON_SCHEMA_FLEET_HOST) != 0) {
		snprintf(h->reason, sizeof(h->reason), _("status.json: the "
		    "schema is not %s"), CPK_JSON_SCHEMA_FLEET_HOST);
		return;
	}
	if (cpk_jdoc_str(&d, cpk_jdoc_get(&d, 0, "reason"), h->reason,
	    sizeof(h->reason)) < 0)
		h->reason[0] = '\0';
	rc = cpk_jdoc_get(&d, 0, "rc");
	h->has_rc = cpk_jdoc_int(&d, rc, &h->rc) == 0;
	if (strcmp(state, "ok") == 0)
		h->state = MS_OK;
	else if (strcmp(state, "unreachable") == 0)
		h->state = MS_UNREACHABLE;
	else if (strcmp(state, "failed") != 0)
		snprintf(h->reason, sizeof(h->reason), _("status.json: "
		    "unknown state \"%.40s\""), DISP(state));
}

static cpk_err
read_host(struct merge *m, const char *const *dirs, uint32_t hi,
    cpk_jnode *nodes, char *buf)
{
	const struct mhost_id *id = &m->id[hi];
	const char *dir = dirs[id->dir];
	struct mhost hr, *h = &hr;
	FILE *sf, *jf;
	int opened = 0, status_errno;
	cpk_err r = CPK_OK;

	memset(h, 0, sizeof(*h));
	h->name = id->name;
	h->worst = -1;
	if (id->link) {
		h->state = MS_FAILED;
		snprintf(h->reason, sizeof(h->reason), "%s", _("the host's "
		    "folder is a symbolic link, not followed"));
		m->st.failed++;
		cpk_merge_host_rows(m, h);
		return CPK_OK;
	}
	sf = open_plain(dir, id->name, id->self, id->name, "status.json");
	status_errno = errno;
	jf = open_plain(dir, id->name, id->self, id->name, "cpkit.jsonl");
	if (sf != NULL) {
		read_status(h, sf, nodes, buf);
		fclose(sf);
	} else if (status_errno != ENOENT)
		snprintf(h->reason, sizeof(h->reason), "%s", _("status.json "
		    "is not a regular file"));
	else if (jf == NULL)
		h->state = MS_FAILED;
	if (sf == NULL && status_errno != ENOENT)
		h->state = MS_FAILED;
	if (h->state == MS_OK && jf == NULL) {
		h->state = MS_FAILED;
		snprintf(h->reason, sizeof(h->reason), "%s",
		    _("no cpkit.jsonl was fetched"));
	}
	if (h->state == MS_FAILED && h->reason[0] == '\0')
		snprintf(h->reason, sizeof(h->reason), "%s",
		    _("neither status.json nor cpkit.jsonl"));
	if (jf != NULL && h->state == MS_OK)
		r = read_jsonl(m, h, hi, jf, nodes, buf, &opened);
	if (jf != NULL)
		fclose(jf);
	if (h->state == MS_OK)
		m->st.audited++;
	else if (h->state == MS_UNREACHABLE)
		m->st.unreachable++;
	else
		m->st.failed++;
	/* the notes under the host's problems too: bad input is said */
	for (size_t i = 0; i < h->nnotes && i < MERGE_NOTES; i++) {
		problems_host(m, h, &opened);
		fputs("<p class=\"note\">", m->p_html);
		cpk_merge_html(m->p_html, h->notes[i]);
		fputs("</p>\n", m->p_html);
		fprintf(m->p_txt, "  ! %s\n", DISP(h->notes[i]));
	}
	if (opened)
		fputs("</section>\n", m->p_html);
	cpk_merge_host_rows(m, h);
	return r;
}

/* ---- listing the hosts ---- */

static int
has_file(const char *dir, const char *file)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return lstat(path, &st) == 0;
}

static cpk_err
add_host(struct merge *m, size_t *cap, const char *name, uint32_t dir,
    int self, int link)
{
	struct mhost_id *h;

	if (m->nh >= MERGE_HOSTS_MAX)
		return CPK_E_TOO_BIG;
	if (m->nh == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		if ((h = realloc(m->id, nc * sizeof(*h))) == NULL)
			return CPK_E_NOMEM;
		m->id = h;
		*cap = nc;
	}
	/* a folder name is at most 255 bytes (NAME_MAX): kept whole */
	h = &m->id[m->nh];
	memset(h, 0, sizeof(*h));
	if ((h->name = strndup(name, 255)) == NULL)
		return CPK_E_NOMEM;
	h->dir = dir;
	h->self = self;
	h->link = link;
	m->nh++;
	return CPK_OK;
}

static cpk_err
list_hosts(struct merge *m, const char *const *dirs, size_t n)
{
	size_t cap = 0;
	cpk_err r;

	for (size_t i = 0; i < n; i++) {
		struct stat st;
		DIR *dp;
		struct dirent *e;

		if (stat(dirs[i], &st) != 0 || !S_ISDIR(st.st_mode))
			return CPK_E_NOT_FOUND;
		if (has_file(dirs[i], "status.json") ||
		    has_file(dirs[i], "cpkit.jsonl")) {
			const char *b = strrchr(dirs[i], '/');
			char base[256];
			snprintf(base, sizeof(base), "%s", b && b[1] ? b + 1 :
			    dirs[i]);
			if ((r = add_host(m, &cap, base, (uint32_t)i, 1, 0)) !=
			    CPK_OK)
				return r;
			continue;
		}
		if ((dp = opendir(dirs[i])) == NULL)
			return CPK_E_IO;
		while ((e = readdir(dp)) != NULL) {
			char path[4096];
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[i],
			    e->d_name);
			/* a link is not followed (the results folder may come
			 * from elsewhere) but not passed over in silence
			 * either: the host is listed as failed, saying why */
			if (lstat(path, &st) != 0 || (!S_ISDIR(st.st_mode) &&
			    !S_ISLNK(st.st_mode)))
				continue;
			if ((r = add_host(m, &cap, e->d_name, (uint32_t)i,
			    0, S_ISLNK(st.st_mode))) != CPK_OK) {
				closedir(dp);
				return r;
			}
		}
		closedir(dp);
	}
	return CPK_OK;
}

static int
by_name(const void *a, const void *b)
{
	const struct mhost_id *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : x->dir < y->dir ? -1 : x->dir > y->dir;
}

/* ---- the zip ---- */

static cpk_err
zip_members(const char *path, FILE *html, FILE *json, FILE *txt)
{
	static const char *const names[3] = { "report.html", "fleet.json",
	    "report.txt" };
	FILE *fv[3] = { html, json, txt };
	zip_t *z;
	zip_source_t *src;
	int err = 0;

	if ((z = zip_open(path, ZIP_CREATE | ZIP_EXCL, &err)) == NULL)
		return err == ZIP_ER_EXISTS ? CPK_E_EXISTS : CPK_E_IO;
	for (int i = 0; i < 3; i++) {
		zip_int64_t idx;
		FILE *own;
		int fd;

		/* libzip reads the file at close, by blocks (a large fleet's
		 * report never sits in memory whole), and closes the FILE it
		 * was given: a FILE of its own, on a copy of the descriptor */
		src = NULL;
		if (fflush(fv[i]) != 0 || (fd = dup(fileno(fv[i]))) < 0)
			own = NULL;
		else if ((own = fdopen(fd, "rb")) == NULL)
			close(fd);
		else
			rewind(own);	/* the offset is shared: at the end */
		if (own == NULL || (src = zip_source_filep_create(own, 0, -1,
		    NULL)) == NULL || (idx = zip_file_add(z, names[i], src,
		    ZIP_FL_ENC_UTF_8)) < 0) {
			if (src != NULL)
				zip_source_free(src);
			else if (own != NULL)
				fclose(own);
			zip_discard(z);
			return CPK_E_IO;
		}
		(void)zip_file_set_external_attributes(z, (zip_uint64_t)idx,
		    0, ZIP_OPSYS_UNIX, (zip_uint32_t)(0100600) << 16);
		/* the fastest deflate: the reports are repetitive text that
		 * level 1 still shrinks tenfold, in a third of the time */
		(void)zip_set_file_compression(z, (zip_uint64_t)idx,
		    ZIP_CM_DEFLATE, 1);
	}
	if (zip_close(z) != 0) {
		zip_discard(z);
		return CPK_E_IO;
	}
	return CPK_OK;
}

cpk_err
cpk_merge(const char *const *dirs, size_t n, const char *zip, time_t now,
    cpk_merge_stats *st)
{
	struct merge m;
	cpk_jnode *nodes = NULL;
	char *buf = NULL;
	FILE *html = NULL, *json = NULL, *txt = NULL;
	cpk_err r;

	memset(&m, 0, sizeof(m));
	memset(st, 0, sizeof(*st));
	m.now = now;
	if ((r = list_hosts(&m, dirs, n)) != CPK_OK)
		goto out;
	qsort(m.id, m.nh, sizeof(*m.id), by_name);
	m.st.hosts = m.nh;
	r = CPK_E_NOMEM;
	if ((nodes = calloc(MERGE_NODES, sizeof(*nodes))) == NULL ||
	    (buf = malloc(MERGE_LINE_MAX + 2)) == NULL ||
	    cpk_chart_new(now, &m.chart) != CPK_OK)
		goto out;
	r = CPK_E_IO;
	if ((m.p_html = tmpfile()) == NULL || (m.p_txt = tmpfile()) == NULL ||
	    (m.p_json = tmpfile()) == NULL || (m.h_html = tmpfile()) == NULL ||
	    (m.h_txt = tmpfile()) == NULL || (m.h_json = tmpfile()) == NULL ||
	    (html = tmpfile()) == NULL ||
	    (json = tmpfile()) == NULL || (txt = tmpfile()) == NULL)
		goto out;
	/* the hosts' and problems' arrays, closed by cpk_merge_write */
	cpk_json_init(&m.pj, m.p_json, 0);
	cpk_json_arr(&m.pj);
	cpk_json_init(&m.hj, m.h_json, 0);
	cpk_json_arr(&m.hj);
	for (size_t i = 0; i < m.nh; i++)
		if ((r = read_host(&m, dirs, (uint32_t)i, nodes, buf)) !=
		    CPK_OK)
			goto out;
	free(buf);
	buf = NULL;
	if ((r = cpk_merge_write(&m, html, json, txt)) != CPK_OK)
		goto out;
	if (fflush(html) != 0 || fflush(json) != 0 || fflush(txt) != 0 ||
	    ferror(html) || ferror(json) || ferror(txt)) {
		r = CPK_E_IO;
		goto out;
	}
	r = zip_members(zip, html, json, txt);
	*st = m.st;
out:
	for (size_t i = 0; i < m.tabcap; i++)
		if (m.tab[i] != NULL) {
			free(m.tab[i]->hosts);
			free(m.tab[i]);
		}
	free(m.tab);
	for (size_t i = 0; i < m.nh; i++)
		free(m.id[i].name);
	free(m.id);
	free(nodes);
	free(buf);
	cpk_chart_free(&m.chart);
	if (m.p_html)
		fclose(m.p_html);
	if (m.p_txt)
		fclose(m.p_txt);
	if (m.p_json)
		fclose(m.p_json);
	if (m.h_html)
		fclose(m.h_html);
	if (m.h_txt)
		fclose(m.h_txt);
	if (m.h_json)
		fclose(m.h_json);
	if (html)
		fclose(html);
	if (json)
		fclose(json);
	if (txt)
		fclose(txt);
	return r;
}
