/* cpkit-passwd recover's state file: the options of a search and where to
 * resume it, "key value" lines, never a candidate. A split search (--part)
 * records its part, so that a part resumes only itself; a state without
 * a "part" line (older cpkit, or no --part) is of the whole space. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "passwd_recover.h"

static void
set(char *dst, size_t cap, const char *v)
{
	snprintf(dst, cap, "%s", v != NULL ? v : "");
}

int
recover_state_save(const struct ropts *o, uint64_t next)
{
	char text[8192], part[64] = "";
	cpk_blob b;
	int n;

	if (o->part_n > 0)
		snprintf(part, sizeof(part), "part %u %u\n", o->part_k,
		    o->part_n);
	n = snprintf(text, sizeof(text), "cpkit-recover 1\ncontainer %s\n"
	    "defaults %d\nwordlist %s\nmask %s\ncharset1 %s\ncharset2 %s\n"
	    "charset3 %s\ncharset4 %s\nmin-len %u\nmax-len %u\n%stotal %llu\n"
	    "next %llu\n", o->container, o->defaults, o->wordlist, o->mask,
	    o->charset[0], o->charset[1], o->charset[2], o->charset[3],
	    o->min_len, o->max_len, part, (unsigned long long)o->total,
	    (unsigned long long)next);
	if (n < 0 || (size_t)n >= sizeof(text))
		return -1;
	b.ptr = (unsigned char *)text;
	b.len = b.cap = (size_t)n;
	return cpk_file_write_atomic(o->state, &b, 0600) == CPK_OK ? 0 : -1;
}

int
recover_state_load(const char *path, struct ropts *o)
{
	cpk_blob *b = NULL;
	char *line, *save = NULL, *v;
	unsigned long long x;
	unsigned k, n;
	int ok = 0;

	if (cpk_file_read_given(path, 65536, &b) != CPK_OK ||
	    cpk_blob_append(b, "", 1) != CPK_OK) {
		cpk_blob_free(&b);
		return -1;
	}
	o->part_k = o->part_n = 0;	/* no "part" line: the whole space */
	for (line = strtok_r((char *)b->ptr, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		v = strchr(line, ' ');
		v = v ? v + 1 : line + strlen(line);
		if (strcmp(line, "cpkit-recover 1") == 0)
			ok = 1;
		else if (strncmp(line, "container ", 10) == 0)
			set(o->container, sizeof(o->container), v);
		else if (strncmp(line, "defaults ", 9) == 0)
			o->defaults = atoi(v);
		else if (strncmp(line, "wordlist ", 9) == 0)
			set(o->wordlist, sizeof(o->wordlist), v);
		else if (strncmp(line, "mask ", 5) == 0)
			set(o->mask, sizeof(o->mask), v);
		else if (strncmp(line, "charset", 7) == 0 && line[7] >= '1' &&
		    line[7] <= '4' && line[8] == ' ')
			set(o->charset[line[7] - '1'], 256, v);
		else if (strncmp(line, "min-len ", 8) == 0)
			o->min_len = (unsigned)atoi(v);
		else if (strncmp(line, "max-len ", 8) == 0)
			o->max_len = (unsigned)atoi(v);
		else if (sscanf(line, "part %u %u", &k, &n) == 2) {
			if (k < 1 || k > n || n > CPK_SPACE_MAX_PARTS)
				ok = -1;	/* damaged: not resumed */
			o->part_k = k;
			o->part_n = n;
		} else if (sscanf(line, "total %llu", &x) == 1)
			o->total = x;
		else if (sscanf(line, "next %llu", &x) == 1)
			o->start = x;
	}
	cpk_blob_free(&b);
	return ok == 1 ? 0 : -1;
}

/* The container's name made safe for a file name, and a hash of its whole
 * path: two containers of one name in two folders get two states. FNV-1a
 * is enough: the hash tells names apart, it guards nothing. */
void
recover_state_name(struct ropts *o)
{
	const char *base = strrchr(o->container, '/');
	char safe[64], full[4096], part[48] = "";
	uint64_t h = 14695981039346656037ULL;
	size_t n = 0;

	/* a trailing slash ("g2001.000/") names the folder before it */
	set(full, sizeof(full), o->container);
	while (strlen(full) > 1 && full[strlen(full) - 1] == '/')
		full[strlen(full) - 1] = '\0';
	base = strrchr(full, '/');
	base = base != NULL ? base + 1 : full;
	for (; *base != '\0' && n < sizeof(safe) - 1; base++, n++)
		safe[n] = (*base >= 'a' && *base <= 'z') || (*base >= 'A' &&
		    *base <= 'Z') || (*base >= '0' && *base <= '9') ||
		    *base == '.' || *base == '-' || *base == '_' ? *base : '_';
	safe[n] = '\0';
	if (realpath(o->container, full) == NULL)
		set(full, sizeof(full), o->container);
	for (const char *p = full; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	if (o->part_n > 0)
		snprintf(part, sizeof(part), "-part-%u-of-%u", o->part_k,
		    o->part_n);
	snprintf(o->state, sizeof(o->state), "cpkit-recover-%s-%016llx%s"
	    ".state", safe, (unsigned long long)h, part);
}

static void
part_text(uint32_t k, uint32_t n, char *buf, size_t cap)
{
	if (n == 0)
		snprintf(buf, cap, "%s", _("the whole space (no --part)"));
	else
		snprintf(buf, cap, _("part %u/%u"), k, n);
}

int
recover_part_refused(const char *state, uint32_t was_k, uint32_t was_n,
    uint32_t k, uint32_t n)
{
	char a[128], b[128];

	part_text(was_k, was_n, a, sizeof(a));
	part_text(k, n, b, sizeof(b));
	cli_error(_("%s: this search state is of %s, not of %s: a part "
	    "resumes only itself (give each part its own --state)"),
	    cli_disp(state), a, b);
	return CPK_EXIT_USAGE;
}

int
recover_state_same_part(const struct ropts *o)
{
	struct ropts old;
	struct stat st;

	memset(&old, 0, sizeof(old));
	if (stat(o->state, &st) != 0 || recover_state_load(o->state, &old) !=
	    0 || (old.part_k == o->part_k && old.part_n == o->part_n))
		return CPK_EXIT_OK;
	return recover_part_refused(o->state, old.part_k, old.part_n,
	    o->part_k, o->part_n);
}

int
recover_parse_part(const char *arg, struct ropts *o)
{
	char k[16];
	const char *slash = strchr(arg, '/');
	uint32_t vk, vn;

	if (slash == NULL || (size_t)(slash - arg) >= sizeof(k))
		return -1;
	memcpy(k, arg, (size_t)(slash - arg));
	k[slash - arg] = '\0';
	if (cli_parse_u32(k, 1, CPK_SPACE_MAX_PARTS, &vk) != CPK_OK ||
	    cli_parse_u32(slash + 1, 1, CPK_SPACE_MAX_PARTS, &vn) != CPK_OK ||
	    vk > vn)
		return -1;
	o->part_k = vk;
	o->part_n = vn;
	return 0;
}
