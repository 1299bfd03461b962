/*
 * cpkit recovery: the public API of recovery/. Repairs work on copies of
 * the six files in memory; writing goes to a new folder, or replaces the
 * original only after a verified backup (ARCHITECTURE.md safety rules).
 */
#ifndef CPKIT_RECOVERY_H
#define CPKIT_RECOVERY_H

#include <stdint.h>

#include "container.h"
#include "media.h"

typedef struct cpk_fix_opts {
	const cpk_cert_list *certs;	/* candidates (--cert), or NULL */
	enum cpk_profile alg;		/* --alg, or CPK_P_NONE */
	const char	*name;		/* --name for a lost name.key */
	const char	*folder;	/* the container folder (name fallback) */
	const char	*password;	/* NULL: no password given */
	int		 force;		/* install a non-matching certificate,
					 * or an older one over a newer */
	time_t		 now;		/* validity of the candidates */
	/* other masks/primary files to pair with the header, told apart by
	 * their structure (a carve's pairing-candidates/): with the
	 * password, a pairing that does not unlock is replaced by one of
	 * these that does */
	const cpk_blob	*const *alt;
	const char	*const *alt_name;	/* for the report */
	size_t		 nalt;
} cpk_fix_opts;

#define CPK_FIX_MAX_CHANGES	24

/* The texts are in the user's language: sized for Cyrillic, two bytes a
 * letter in UTF-8. */
typedef struct cpk_fix_change {
	enum cpk_file_id file;
	char		 why[512];
} cpk_fix_change;

struct cpk_cert_pick;

typedef struct cpk_fix_report {
	cpk_fix_change	 change[CPK_FIX_MAX_CHANGES];
	size_t		 nchange;
	char		 problem[640];	/* why a repair was refused */
	/* the certificate candidates for [5] and [6] as ranked (--cert),
	 * NULL when not considered; cpk_fix_report_clear() frees them */
	struct cpk_cert_pick *pick[2];
} cpk_fix_report;

void	cpk_fix_report_clear(cpk_fix_report *);

/*
 * Repairs what can be repaired (FORMATS.md §15, §18): a lost name.key, a
 * damaged masks/primary pair from the sound one, the certificate in [5]
 * or [6] chosen from the candidates by fingerprint, damaged or mismatching
 * key parameters from the certificate, a wrong header MAC, a lost header
 * rebuilt from the certificate (needs the password), masks and primary
 * files paired anew when the password proves another pairing (a carve's
 * unproven pairs, opts->alt). *out gets the whole repaired container
 * (NULL when nothing changed). A refused repair returns an error and
 * report->problem says why; nothing is output then. A container left with
 * no usable masks/primary pair is refused with CPK_E_MISSING: the key is
 * kept only there and nothing can rebuild it.
 */
cpk_err	cpk_fix(const cpk_files *in, const cpk_fix_opts *, cpk_files **out,
	    cpk_fix_report *report);

/* ---- choosing a certificate for a key (recovery/certpick.c) ---- */
/* Why one candidate ranks before another: the first rule that differs. */
enum cpk_cert_why {
	CPK_WHY_ONLY,		/* it holds the key, the other does not */
	CPK_WHY_VALID,		/* valid now, the other is not */
	CPK_WHY_NOT_AFTER,	/* the later notAfter */
	CPK_WHY_NOT_BEFORE,	/* the same notAfter, the later notBefore */
	CPK_WHY_DIGEST		/* the same dates: the lower SHA-256 */
};

typedef struct cpk_cert_cand {
	size_t		 index;		/* in the cpk_cert_list */
	cpk_cert_info	 ci;
	int		 matches;	/* holds the container's key */
	int		 valid;		/* notBefore <= now <= notAfter */
	unsigned char	 sha256[32];	/* of the DER */
} cpk_cert_cand;

/* Negative when a ranks before b: holds the key, valid now, later
 * notAfter, later notBefore, lower SHA-256. *why (may be NULL) gets the
 * rule that decided. */
int	cpk_cert_cand_cmp(const cpk_cert_cand *a, const cpk_cert_cand *b,
	    enum cpk_cert_why *why);

enum cpk_held { CPK_HELD_NONE, CPK_HELD_DAMAGED, CPK_HELD_OTHER_KEY,
	CPK_HELD_THIS_KEY };

typedef struct cpk_cert_pick {
	cpk_cert_cand	*v;		/* every readable candidate, best first */
	size_t		 n, nmatch;	/* v[0..nmatch) hold the key */
	int		 by_dg;		/* matched by d*G, else by the FP */
	int		 have_fp;
	unsigned char	 fp[8];		/* primaryFP (secondaryFP) */
	enum cpk_cert_why why;		/* v[0] over v[1] (nmatch > 1) */
	enum cpk_held	 held_state;	/* what header.key holds now */
	cpk_cert_cand	 held;		/* it, when CPK_HELD_THIS_KEY */
	int		 held_given;	/* 1 + its index in v, 0: not given */
	enum cpk_cert_why held_why;	/* v[0] over held, or held over v[0] */
	int		 chosen;	/* index in v to install, -1: none
					 * (no match, or the held one kept) */
	int		 forced;	/* chosen over a better held one */
} cpk_cert_pick;

/* Ranks the candidates of l for the primary (sec 0) or secondary key of
 * the container f; with pw (may be NULL) matched by d*G when it unlocks.
 * Without force a held certificate of the key that is as good as the best
 * candidate is kept (chosen -1). pk is the caller's to free. */
cpk_err	cpk_cert_pick_run(const cpk_files *f, const cpk_cert_list *l, int sec,
	    const char *pw, time_t now, int force, cpk_cert_pick *pk);
/* All candidates by their dates alone (matches 1 each), for a header
 * rebuilt from nothing; then _proven(pk, i) once v[i] proved the key. */
cpk_err	cpk_cert_pick_all(const cpk_cert_list *l, time_t now,
	    cpk_cert_pick *pk);
void	cpk_cert_pick_proven(cpk_cert_pick *pk, size_t won);
void	cpk_cert_pick_clear(cpk_cert_pick *);

/* Called between the steps of an in-place replacement with the name of
 * the step just done ("backup", "staged", "swapped"): tests use it to kill
 * the process there. */
typedef void	(*cpk_step_fn)(const char *step);

/* Writes a container into a new folder that must not exist yet: staged in
 * a hidden staging folder beside it, synced, then renamed into place. */
cpk_err	cpk_dir_write_new(const char *dir, const cpk_files *);

#define CPK_REPLACE_MAX_LEFT	16
typedef struct cpk_replace_report {
	char		 backup[4096];	/* the verified backup archive */
	/* entries of the folder not in the backup: not regular files, or
	 * unreadable (err); non-key ones are moved into the new folder */
	struct {
		char	 name[256];
		cpk_err	 err;		/* CPK_E_FORMAT: not a regular file */
	} left_out[CPK_REPLACE_MAX_LEFT];
	size_t		 nleft_out;
	char		 kept[4096];	/* a staging folder not removed, or "" */
} cpk_replace_report;

/*
 * Replaces the container in dir by `files` (ARCHITECTURE.md safety rules):
 * 1. refuses a dir that is or passes through a symbolic link (CPK_E_ARG:
 *    see cpk_path_link());
 * 2. backs the whole folder up into one zip archive beside it,
 *    DIR.cpkit-backup-TIME[-N].zip, 0600, synced, and verifies every
 *    member against the file on disk; a failure removes it;
 * 3. stages the new folder (files, plus the other regular files of the
 *    original) in a hidden staging folder in dir's parent;
 * 4. swaps the two folders in one atomic rename (RENAME_EXCHANGE; where
 *    the file system cannot, two renames, the original complete in the
 *    staging folder in between);
 * 5. moves what the backup could not hold (sub-folders, links, unreadable
 *    files other than the six key files) into the new folder and removes
 *    the old one and the staging folder.
 * A crash leaves the old or the new container, never a mix, and at most a
 * staging folder that cpk_staging_cleanup() removes.
 */
cpk_err	cpk_dir_replace(const char *dir, const cpk_files *files,
	    cpk_step_fn, cpk_replace_report *);

/* 1 when path is a symbolic link or passes through one (every component
 * checked with lstat); link gets the first such component. */
int	cpk_path_link(const char *path, char *link, size_t cap);

/* Staging folders (recovery/staging.c). */
#define CPK_STAGING_ORIG	"orig."	/* an original moved aside */
typedef struct cpk_stage {
	char	 path[4096];		/* PARENT/.cpkit-staging-XXXXXX */
	char	 marker[4096];
	int	 lock;			/* the marker, flock()ed */
} cpk_stage;
cpk_err	cpk_stage_open(const char *parent, cpk_stage *);
/* CPK_E_EXISTS: not empty, kept (st->path names it). */
cpk_err	cpk_stage_close(cpk_stage *);

enum cpk_staging_done {
	CPK_STAGING_REMOVED,	/* a leftover of a killed run, removed */
	CPK_STAGING_RESTORED,	/* ... and the original it held put back */
	CPK_STAGING_KEPT,	/* could not be removed entirely */
	CPK_STAGING_BUSY	/* a running cpkit holds it: left alone */
};
typedef void	(*cpk_staging_fn)(const char *path, enum cpk_staging_done,
		    void *arg);
/* Removes the staging folders left in parent by killed runs: only
 * folders named CPK_STAGING_PREFIX... holding cpkit's marker, and inside
 * them only regular files and the folders they empty. */
cpk_err	cpk_staging_cleanup(const char *parent, cpk_staging_fn, void *arg);

/* A new container folder under parent by CryptoPro's rule: the first 8
 * characters of an ASCII name (8 random hex digits otherwise) and the
 * first free extension .000-.999 (FORMATS.md §3.3). */
cpk_err	cpk_folder_name(const char *parent, const char *name, char *out,
	    size_t cap);

/* name.key of f written anew to hold name (CP1251, FORMATS.md §3.2), as
 * --name and --rename-duplicates do, so that the folder or key name and
 * name.key agree. CPK_E_LENGTH or a conversion error: no CP1251 form
 * within 127 bytes. */
cpk_err	cpk_export_rename(cpk_files *f, const char *name);
/* The outputs of one export, named names[i]; sids[i] their users for a
 * .reg (NULL: the machine's), or sids NULL for folders. 1 and the first
 * pair a < b, b >= from, that CSP would take for one container: the
 * same name compared as the registry compares key names, and for a .reg
 * the same user. */
int	cpk_export_clash(const char *const *names, const char *const *sids,
	    size_t n, size_t from, size_t *a, size_t *b);
/* "NAME (k)" for output j, k the smallest from 2 that clashes with no
 * other output; *out is the caller's to free. CPK_E_EXISTS: none up to
 * 999. */
cpk_err	cpk_export_free_name(const char **names, const char *const *sids,
	    size_t n, size_t j, char **out);

/* Whether the container's key may be exported: CPK_E_MISSING without a
 * readable header or key parameters, CPK_E_NOT_EXPORTABLE when the header
 * marks it non-exportable (pkaExportable clear, as CSP refuses it) and
 * the owner did not override that. */
cpk_err	cpk_export_allowed(const cpk_container *, int override_flag);

/* The PEM export of FORMATS.md §19: the certificate from header [5]
 * (when there is one), then the private key as PKCS#8. Secret. */
cpk_err	cpk_export_pem(const cpk_container *, const cpk_key *, cpk_blob **);

/* The key (and certificate, when the file has one) of a PEM, a DER
 * PKCS#8 or a GOST PKCS#12 file; *is_pfx says which it was.
 * CPK_E_NO_PASSWORD: a PFX needs pfx_pw; CPK_E_UNSUPPORTED: not a GOST
 * key, or an encrypted PKCS#8; CPK_E_BAD_PASSWORD: wrong PFX password. */
cpk_err	cpk_import_read(const cpk_blob *in, const char *pfx_pw, cpk_key **,
	    cpk_blob **cert, int *is_pfx);
/* The default container name for an imported key: the certificate's
 * (last) CN as its characters, not RFC 2253-escaped (a quote stays a
 * quote), made safe for every target: a character that a registry key
 * name refuses (controls, '\\', ']', cpk_reg_name_ok) or that CP1251
 * cannot hold (name.key) becomes '_', blanks at either end go, and the
 * name is cut to 127 characters (name.key's limit, FORMATS.md §3.2).
 * The folder name comes from it by cpk_folder_name's rule. "imported"
 * when there is no usable CN. cap: 512 or more. */
cpk_err	cpk_import_name(const cpk_blob *cert, char *out, size_t cap);

/* ---- carving deleted containers from images (cpkit-carve) ---- */
/* A raw image or block device, read with pread in chunks, read-only. */
typedef struct cpk_image cpk_image;

/* Opens a regular file or a block device (a link is followed: the path is
 * the user's); CPK_E_FORMAT for anything else. */
cpk_err	cpk_image_open(const char *path, cpk_image **);
/* Reads up to len bytes at off; *got may be short at the end or at a read
 * error (then cpk_image_bad_from tells where). */
cpk_err	cpk_image_read(cpk_image *, uint64_t off, unsigned char *, size_t len,
	    size_t *got);
uint64_t	 cpk_image_size(const cpk_image *);
const char	*cpk_image_path(const cpk_image *);
/* The first offset that could not be read, UINT64_MAX while none. */
uint64_t	 cpk_image_bad_from(const cpk_image *);
void	cpk_image_free(cpk_image **);

/* How sure a carve is, weakest first: guessed (a MAC fails or a file is
 * missing), pairing unproven (header and masks proven by their MACs, but
 * which masks.key goes with which primary.key only by distance or by a
 * deleted directory entry whose clusters were reused), MAC-proven (the
 * MACs, and the pairs as an intact directory entry names them), password-
 * proven (the key unlocked: its fingerprint proves every file used). */
enum cpk_certainty { CPK_GUESSED, CPK_PAIRING_UNPROVEN, CPK_MAC_PROVEN,
	CPK_PASSWORD_PROVEN };
/* How sure a carve is, for people: in the user's language (gettext). */
const char	*cpk_certainty_name(enum cpk_certainty);
/* For programs (JSON): "guessed", "pairing-unproven", "MAC-proven",
 * "password-proven". */
const char	*cpk_certainty_id(enum cpk_certainty);

/* What put masks and primary files together. */
enum cpk_pairing {
	CPK_PAIR_NONE,		/* no whole pair was found */
	CPK_PAIR_UNPROVEN,	/* by distance from the header (raw) */
	CPK_PAIR_REUSED,	/* deleted entries whose clusters were taken */
	CPK_PAIR_DIRECTORY,	/* an intact directory entry names them */
	CPK_PAIR_PASSWORD	/* the key unlocked from them */
};

/* A raw carve keeps at most this many masks and this many primary files
 * near a header as candidates (nearest first): with a password every
 * pairing of them is tried; without, those not chosen are kept. */
#define CPK_CARVE_MAX_CAND	8
#define CPK_CARVE_MAX_ALT	(2 * CPK_CARVE_MAX_CAND)
/* The folder inside a carved container that holds the other candidates
 * of an unproven pairing (CSP reads only the six files by name; cpkit-fix
 * with the password tries them). */
#define CPK_CARVE_ALT_DIR	"pairing-candidates"

typedef struct cpk_carve_alt {
	cpk_blob	*bytes;
	uint64_t	 off;		/* byte offset in the image */
	int		 masks;		/* 1 masks.key, 0 primary.key */
} cpk_carve_alt;

typedef struct cpk_carved {
	cpk_files	*files;
	char		 name[256];	/* from the directory or name.key */
	char		 where[256];	/* "FAT: /g2001.000 (deleted)", offset */
	enum cpk_certainty certainty;
	enum cpk_pairing pairing;
	int		 deleted;
	cpk_carve_alt	 alt[CPK_CARVE_MAX_ALT];	/* unproven: the others */
	size_t		 nalt;
	size_t		 alt_left_out;	/* candidates beyond the cap */
} cpk_carved;

typedef struct cpk_carve_result {
	cpk_carved	*v;
	size_t		 n;
	char		 fs[16];	/* "FAT12", "FAT16", "FAT32", "" */
	uint64_t	 scanned;	/* bytes read */
	char		**notes;	/* read errors, damaged directories */
	size_t		 nnotes;
	uint64_t	(*claims)[2];	/* [offset, length] explained */
	size_t		 nclaims;
} cpk_carve_result;

typedef struct cpk_carve_opts {
	const char	*password;	/* NULL: none */
	void		(*progress)(uint64_t done, uint64_t total, void *arg);
	void		*arg;
	int		 raw_only;	/* skip the FAT pass */
} cpk_carve_opts;

/* FAT first (deleted folders by their directory entries), then raw
 * carving by structure for what the directories do not explain. */
cpk_err	cpk_carve(cpk_image *, const cpk_carve_opts *, cpk_carve_result *);
void	cpk_carve_result_clear(cpk_carve_result *);
/* A folder name for a carved container under parent, as CryptoPro names
 * them (FORMATS.md §3.3) but without chance: a name that is not plain
 * ASCII gets 8 hex digits of its own hash, and the first free extension
 * .000-.999 numbers the collisions in the order they are asked for. */
cpk_err	cpk_carve_folder_name(const char *parent, const char *name, char *out,
	    size_t cap);
/* Writes the other candidates of an unproven pairing into
 * dir/CPK_CARVE_ALT_DIR as masks-at-OFFSET.bin and primary-at-OFFSET.bin
 * (OFFSET in the image, decimal). */
cpk_err	cpk_carve_write_alt(const char *dir, const cpk_carved *);

/* ---- password search (cpkit-passwd recover) ---- */
#define CPK_SPACE_MAX_POS	32
#define CPK_SPACE_MAX_PW	256

/* The candidates, numbered 0..total-1: defaults, then words, then mask
 * expansions (or every word with every mask expansion appended). Opaque:
 * the layout is recovery/space.c's own. */
typedef struct cpk_space cpk_space;

/* The most parts a space is split into (--part K/N): far more machines
 * than a search is run on, and a bound that keeps K/N one short token. */
#define CPK_SPACE_MAX_PARTS	100000

/* An empty space: with the defaults first (use_defaults), masks tried at
 * the prefix lengths min_len..max_len (0: the whole mask). */
cpk_err	cpk_space_new(int use_defaults, size_t min_len, size_t max_len,
	    cpk_space **);
/* ?d ?l ?u ?s ?a, ?1-?4 (custom sets, UTF-8), ?? and literal characters. */
cpk_err	cpk_space_mask(cpk_space *, const char *mask,
	    const char *const custom[4]);
/* One word a line, UTF-8, CR and empty lines dropped; a word of
 * CPK_SPACE_MAX_PW / 2 bytes or more is skipped and counted
 * (cpk_space_long_words). */
cpk_err	cpk_space_words(cpk_space *, const cpk_blob *text);
/* Counts the space; CPK_E_RANGE when it does not fit 64 bits. */
cpk_err	cpk_space_finish(cpk_space *);
/*
 * After _finish: from now on the space is part k of n (1 <= k <= n <=
 * CPK_SPACE_MAX_PARTS), candidate i of the part being number k-1 + i*n
 * of the whole. Interleaved, not cut into runs, because the order puts
 * the likely candidates first (defaults, words, short masks): run side by
 * side, the n parts together try the whole space in about its own order,
 * where contiguous runs would leave them all to part 1. Deterministic
 * from n and the whole space alone, so parts can run anywhere, and a part
 * resumes at one index like the whole. A part may be empty (n > total).
 */
cpk_err	cpk_space_part(cpk_space *, uint32_t k, uint32_t n);
/* Candidates of the space (of the part, after _part). */
uint64_t	cpk_space_total(const cpk_space *);
/* Candidates of the whole space, before any _part. */
uint64_t	cpk_space_whole(const cpk_space *);
/* Number in the whole space of candidate i (of the part). */
uint64_t	cpk_space_index(const cpk_space *, uint64_t i);
size_t	cpk_space_nwords(const cpk_space *);
/* Words skipped as CPK_SPACE_MAX_PW / 2 bytes or longer. */
size_t	cpk_space_long_words(const cpk_space *);
/* Candidate i (of the part, after _part). */
cpk_err	cpk_space_get(const cpk_space *, uint64_t i, char *out, size_t cap);
void	cpk_space_free(cpk_space **);

typedef struct cpk_recover_opts {
	unsigned	 threads;
	uint64_t	 start;		/* resume here */
	volatile int	*stop;		/* set by a signal handler */
	/* called every 20 ms from the calling thread; every candidate below
	 * `resume` has been tried, so a run saved there loses nothing */
	void		(*progress)(uint64_t done, uint64_t resume,
			    uint64_t total, double rate, void *arg);
	void		*arg;
} cpk_recover_opts;

typedef struct cpk_recover_result {
	int		 found;
	char		 password[CPK_SPACE_MAX_PW];	/* wiped by the caller */
	enum cpk_pwenc	 enc;		/* how it entered the KDF */
	uint64_t	 next;		/* everything below was tried */
	uint64_t	 tried;
	const char	*proof;		/* "password MAC" or "fingerprint" */
} cpk_recover_result;

/*
 * Searches the space from opts->start with opts->threads threads: the
 * password MAC when the header's bit 0 is set (one CPKDF a try), else the
 * key's fingerprint; every hit is confirmed by a full unlock. Non-ASCII
 * candidates are tried in each KDF encoding (FORMATS.md §11.3). Stops at
 * the first hit, at the end of the space, or when *opts->stop is set.
 */
cpk_err	cpk_recover(const cpk_container *, const cpk_space *,
	    const cpk_recover_opts *, cpk_recover_result *);

#endif
