/* cpkit-passwd recover's own parts (tools/passwd_*.c): the options, the
 * state file and the candidate space built from them. */
#ifndef CPKIT_PASSWD_RECOVER_H
#define CPKIT_PASSWD_RECOVER_H

#include <stdint.h>

#include "recovery.h"

struct ropts {
	char	 container[1024], wordlist[1024], mask[256], state[1024];
	char	 charset[4][256];
	char	*output;
	int	 defaults, force;
	int	 count, json;	/* --count [--json]: the size only */
	int	 resumable;	/* 0: the word list is a pipe or stdin */
	unsigned threads, min_len, max_len;
	unsigned save_every;	/* s between state saves while running */
	int	 progress;	/* --progress: CLI_PROGRESS_* */
	uint32_t part_k, part_n;	/* --part K/N; 0/0: the whole space */
	uint64_t start;		/* resume here (in the part) */
	uint64_t total;		/* of the whole space, from a state */
};

/* passwd_state.c: "key value" lines; 0 or -1. */
int	recover_state_save(const struct ropts *, uint64_t next);
int	recover_state_load(const char *path, struct ropts *);
/* The default state file: one per container and part, in the current
 * folder. */
void	recover_state_name(struct ropts *);
/* CPK_EXIT_OK when the state file at o->state may be written by this
 * run (none there, or one of the same part); else said, CPK_EXIT_USAGE. */
int	recover_state_same_part(const struct ropts *);
/* Says that the state file holds part was_k/was_n (0/0: the whole space),
 * not k/n; CPK_EXIT_USAGE. */
int	recover_part_refused(const char *state, uint32_t was_k, uint32_t was_n,
	    uint32_t k, uint32_t n);
/* "K/N" into o->part_k, o->part_n; -1 when it is not one. */
int	recover_parse_part(const char *, struct ropts *);

/* passwd_space.c: the space of o (its part, with --part); said on error,
 * the exit code. */
int	recover_space(struct ropts *, cpk_space **);
/* --count: the size of the space or part on stdout. */
int	recover_count(const struct ropts *, const cpk_space *);

#endif
