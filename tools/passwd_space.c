/* cpkit-passwd recover's candidate space from its options: the word list
 * as users give it (a file, a pipe or FIFO such as bash's <(...), or '-'
 * for stdin), the mask, and the part of a split search (--part K/N). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "passwd_recover.h"

/* The most a word list may hold, counted as read from a pipe. */
#define WORDLIST_MAX	(256u * 1024 * 1024)

/* A regular file is read whole and can be read again on --restore;
 * anything else readable (stdin, a pipe, a FIFO, a character device) is
 * read once as a stream, bounded, and the search over it cannot resume:
 * the same words may never come again. */
static cpk_err
read_words(struct ropts *o, cpk_blob **text)
{
	struct stat st;
	FILE *f;
	cpk_err r;

	if (strcmp(o->wordlist, "-") != 0 && stat(o->wordlist, &st) == 0 &&
	    S_ISREG(st.st_mode))
		return cpk_file_read_given(o->wordlist, WORDLIST_MAX, text);
	o->resumable = 0;
	if (strcmp(o->wordlist, "-") == 0)
		return cli_read_stream(stdin, WORDLIST_MAX, text);
	if ((f = fopen(o->wordlist, "r")) == NULL)
		return cpk_err_from_errno(errno);
	r = cli_read_stream(f, WORDLIST_MAX, text);
	if (ferror(f) && r == CPK_OK)
		r = CPK_E_IO;
	fclose(f);
	return r;
}

/* A split needs the same space on every machine: a pipe or stdin may
 * give each part other words. Refused before anything is read. */
static int
pipe_part(const struct ropts *o)
{
	struct stat st;

	if (o->part_n == 0 || o->wordlist[0] == '\0')
		return 0;
	return strcmp(o->wordlist, "-") == 0 || stat(o->wordlist, &st) != 0 ||
	    !S_ISREG(st.st_mode);
}

static int
load_words(struct ropts *o, cpk_space *s)
{
	cpk_blob *text = NULL;
	size_t nlong;
	cpk_err r;

	if (pipe_part(o))
		cli_usage_error(_("%s: --part needs the word list in a regular "
		    "file: a pipe or standard input may not give every part "
		    "the same words"), cli_disp(o->wordlist));
	if ((r = read_words(o, &text)) != CPK_OK) {
		cli_error("%s: %s", cli_disp(o->wordlist), cpk_err_text(r));
		return CPK_EXIT_USAGE;
	}
	r = cpk_space_words(s, text);
	cpk_blob_free(&text);
	if (r != CPK_OK)
		return CPK_EXIT_ENV;
	if ((nlong = cpk_space_long_words(s)) > 0)
		cli_error(P_("%s: %zu word of %d bytes or more skipped (too "
		    "long for a password)", "%s: %zu words of %d bytes or more "
		    "skipped (too long for a password)", nlong),
		    cli_disp(o->wordlist), nlong, CPK_SPACE_MAX_PW / 2);
	if (!o->resumable && !o->count)
		cli_error(_("warning: the word list %s is a pipe or standard "
		    "input: this search cannot be resumed (no state is "
		    "saved)"), cli_disp(o->wordlist));
	if (cpk_space_nwords(s) == 0 && !o->defaults && o->mask[0] == '\0') {
		cli_error(_("%s: the word list has no words: nothing "
		    "to try"), cli_disp(o->wordlist));
		return CPK_EXIT_USAGE;
	}
	return CPK_EXIT_OK;
}

int
recover_space(struct ropts *o, cpk_space **sp)
{
	const char *custom[4];
	cpk_space *s;
	int code;
	cpk_err r;

	o->resumable = 1;
	if (cpk_space_new(o->defaults, o->min_len, o->max_len, sp) != CPK_OK)
		return CPK_EXIT_ENV;
	s = *sp;
	for (int i = 0; i < 4; i++)
		custom[i] = o->charset[i][0] ? o->charset[i] : NULL;
	if (o->wordlist[0] != '\0' && (code = load_words(o, s)) != CPK_EXIT_OK)
		return code;
	if (o->mask[0] != '\0' &&
	    (r = cpk_space_mask(s, o->mask, custom)) != CPK_OK) {
		cli_error("--mask %s: %s", o->mask, r == CPK_E_RANGE ?
		    _("too many positions") : _("bad mask (?d ?l ?u ?s ?a "
		    "?1-?4 ??, a custom set not given, or --min-len/--max-len "
		    "out of range)"));
		return CPK_EXIT_USAGE;
	}
	if ((r = cpk_space_finish(s)) != CPK_OK) {
		cli_error("%s", r == CPK_E_RANGE ? _("the search space does "
		    "not fit 64 bits: narrow the mask") : _("nothing to try: "
		    "give --defaults, --wordlist or --mask"));
		return CPK_EXIT_USAGE;
	}
	if (o->part_n > 0 && cpk_space_part(s, o->part_k, o->part_n) !=
	    CPK_OK)
		return CPK_EXIT_ENV;	/* checked when parsed */
	return CPK_EXIT_OK;
}

/* The number alone on stdout, for scripts that split the work; --json
 * adds what it is made of. */
int
recover_count(const struct ropts *o, const cpk_space *s)
{
	if (!o->json) {
		printf("%llu\n", (unsigned long long)cpk_space_total(s));
		return CPK_EXIT_OK;
	}
	printf("{\"schema\":\"cpkit.space/1\",\"candidates\":%llu,"
	    "\"whole\":%llu,", (unsigned long long)cpk_space_total(s),
	    (unsigned long long)cpk_space_whole(s));
	if (o->part_n > 0)
		printf("\"part\":{\"k\":%u,\"n\":%u},", o->part_k, o->part_n);
	else
		printf("\"part\":null,");
	printf("\"words\":%zu,\"long_words\":%zu}\n", cpk_space_nwords(s),
	    cpk_space_long_words(s));
	return CPK_EXIT_OK;
}
