/* What the tests read: the state file (counters and login, rewritten
 * atomically after every command) and the log (one line per APDU, control
 * message and event). The data of PIN-carrying commands never reaches the
 * log (STYLE.md §8): it is replaced by "**". Responses are not logged at
 * all, only their status words: they carry key material. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vtoken.h"

static const char *state_path;
static FILE *log_file;

int
vt_journal_open(const char *state, const char *log)
{
	int fd;

	state_path = state;
	if (log == NULL)
		return 0;
	fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || (log_file = fdopen(fd, "a")) == NULL) {
		fprintf(stderr, "vtoken: %s: %s\n", log, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return 0;
}

void
vt_journal_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

/* A temporary file beside the state file, renamed over it: a reader sees
 * the old state or the new one. No fsync: only other processes read it,
 * never after a crash. */
void
vt_journal_state(const vt_card *c)
{
	static const char *const who[] = { "none", "admin", "user" };
	char tmp[PATH_MAX], text[512];
	int fd, n;

	if (state_path == NULL)
		return;
	n = snprintf(text, sizeof(text),
	    "user_tries=%u\nadmin_tries=%u\nuser_max=%u\nadmin_max=%u\n"
	    "logged=%s\nverify_data=%lu\nverify_empty=%lu\nupdates=%lu\n"
	    "reads=%lu\napdus=%lu\n",
	    c->pin[1].tries, c->pin[0].tries, c->pin[1].max, c->pin[0].max,
	    who[c->logged], c->verify_data, c->verify_empty, c->updates,
	    c->reads, c->apdus);
	if (n < 0 || (size_t)n >= sizeof(text) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", state_path) >=
	    sizeof(tmp) || (fd = mkstemp(tmp)) < 0) {
		fprintf(stderr, "vtoken: %s: cannot write\n", state_path);
		return;
	}
	if (write(fd, text, (size_t)n) != n || close(fd) != 0 ||
	    rename(tmp, state_path) != 0) {
		fprintf(stderr, "vtoken: %s: %s\n", state_path,
		    strerror(errno));
		unlink(tmp);
	}
}

static void
stamp(void)
{
	struct timespec ts;
	struct tm tm;
	char buf[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(log_file, "%s.%03ldZ ", buf, ts.tv_nsec / 1000000);
}

static void
hex(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(log_file, "%02X", p[i]);
}

void
vt_journal_line(const char *kind, const char *text)
{
	if (log_file == NULL)
		return;
	stamp();
	fprintf(log_file, "%s %s\n", kind, text);
	fflush(log_file);
}

/* VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER, and Aktiv's vendor
 * login (80 10) carry PINs in their data. */
static int
secret(const unsigned char *cmd)
{
	return cmd[1] == 0x20 || cmd[1] == 0x24 || cmd[1] == 0x2C ||
	    (cmd[0] == 0x80 && cmd[1] == 0x10);
}

void
vt_journal_apdu(const unsigned char *cmd, size_t len,
    const unsigned char *resp, size_t rlen, const char *note)
{
	vt_apdu a;
	size_t lcf;

	if (log_file == NULL)
		return;
	stamp();
	fputs("apdu ", log_file);
	if (len < 4 || !secret(cmd) ||
	    (vt_apdu_parse(cmd, len, &a) == 0 && a.lc == 0)) {
		hex(cmd, len);		/* nothing secret, or no data field */
	} else if (vt_apdu_parse(cmd, len, &a) != 0) {
		hex(cmd, 4);		/* malformed: the header only */
		fputs("**", log_file);
	} else {
		lcf = a.extended ? 3 : 1;	/* Lc, then data, then Le */
		hex(cmd, 4 + lcf);
		fputs("**", log_file);
		hex(cmd + 4 + lcf + a.lc, len - 4 - lcf - a.lc);
	}
	if (rlen >= 2)
		fprintf(log_file, " %02X%02X", resp[rlen - 2], resp[rlen - 1]);
	if (note != NULL)
		fprintf(log_file, " %s", note);
	fputc('\n', log_file);
	fflush(log_file);
}
