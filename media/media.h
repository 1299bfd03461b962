/*
 * cpkit: where containers are found (ARCHITECTURE.md, media): folders,
 * .reg exports, hives and tokens behind one cpk_media, the .reg writer,
 * and files on disk read without following a medium's links. Part of the
 * public API (cpkit.h).
 */
#ifndef CPKIT_MEDIA_H
#define CPKIT_MEDIA_H

#include "container.h"

/* ---- media: folders (ARCHITECTURE.md cpk_media) ---- */
/* Whose a container is where it was found (REGISTRY.md §1): a user's
 * (Settings\Users\<SID>\Keys), the machine's (Settings\Keys), or nobody's
 * in particular (folders, tokens). A .reg export keeps it (§4.1). */
enum cpk_scope { CPK_SCOPE_NONE, CPK_SCOPE_USER, CPK_SCOPE_MACHINE };

typedef struct cpk_ref {
	char	*fqcn;		/* \\.\FLASH\name, \\.\REGISTRY\name */
	char	*location;	/* folder, or FILE:KEY for registry media */
	char	*name;		/* from name.key, else folder or key name */
	char	*media;		/* "FLASH", "HDIMAGE", "REGISTRY" */
	char	*sid;		/* user SID of a registry container, or NULL */
	char	*user;		/* that SID's user, from a hive's ProfileList */
	enum cpk_scope scope;	/* USER: sid is set (maybe not a valid SID) */
} cpk_ref;

typedef struct cpk_media cpk_media;
cpk_err	cpk_media_open(const char *uri, cpk_media **);
/* Media that may need a secret: tokens (pcsc: and pcsc:<reader> URIs,
 * TOKENS.md). The PIN is sent at most once, to one token, and only
 * under the rules of cpk_token_verify(); the result comes back here. */
typedef struct cpk_media_opts {
	const char	*pin;		/* the token's user PIN, or NULL */
	size_t		 pin_len;
	unsigned	 min_tries;	/* 0: CPK_MIN_TRIES_DEFAULT (3) */
	int		 pin_utf8;	/* pin is UTF-8 bytes, not ASCII: only
					 * for a model that takes them
					 * (CPK_E_UNSUPPORTED, nothing sent) */
	/* out */
	cpk_err		 pin_result;	/* why the PIN was refused or not sent */
	int		 pin_sent;
	int		 tries_known;	/* after a refusal or a wrong PIN */
	unsigned	 tries;
	cpk_where	 where;		/* a token that failed: where (op
					 * NULL when none) */
} cpk_media_opts;
cpk_err	cpk_media_open_opts(const char *uri, cpk_media_opts *, cpk_media **);
/* Next container; CPK_E_NOT_FOUND at the end. The ref is the media's. */
cpk_err	cpk_media_next(cpk_media *, const cpk_ref **);
/* The container's files. Several threads may load different refs of one
 * open media at once (the media is only read); a backend that talks to a
 * device must keep that true. */
cpk_err	cpk_media_load(cpk_media *, const cpk_ref *, cpk_files **);
/* The same, but a media that holds the files in memory (.reg, hive,
 * token) hands over its own copy instead of duplicating it: for a caller
 * that loads each ref once (a scan of 100,000 .reg keys would otherwise
 * hold every file twice). A ref taken once cannot be loaded again
 * (CPK_E_NOT_FOUND). Threads may take different refs at once. */
cpk_err	cpk_media_take(cpk_media *, const cpk_ref *, cpk_files **);
/* Problems met while walking (unreadable dirs, loops, bad .reg lines),
 * one per call. */
const char	*cpk_media_warning(cpk_media *, size_t i);
/* What cpkit itself left beside containers (recovery/replace.c): hidden
 * staging folders of a write or repair in progress or killed, and the
 * backup archives of cpkit-fix --in-place, which hold a copy of a key.
 * The walk does not enter the first and reports both. */
#define CPK_STAGING_PREFIX	".cpkit-staging-"
#define CPK_STAGING_MARKER	".cpkit-staging"	/* the file inside */
#define CPK_BACKUP_TAG		".cpkit-backup-"
enum cpk_leftover { CPK_LEFT_BACKUP, CPK_LEFT_STAGING };
/* The i-th such path met by the walk, or NULL past the last. */
const char	*cpk_media_leftover(cpk_media *, size_t i, enum cpk_leftover *);

/* The i-th limit that cut the search short, as a message naming the
 * place and the limit, or NULL: a media with one was not searched
 * completely. */
const char	*cpk_media_limit(const cpk_media *, size_t i);
void	cpk_media_close(cpk_media **);

/* ---- .reg files (REGISTRY.md §3) ---- */
typedef struct cpk_reg_entry {
	const char	*name;		/* the container (key) name, UTF-8 */
	const cpk_files	*files;
	const char	*sid;		/* its user; NULL: the opts' sid */
} cpk_reg_entry;
typedef struct cpk_reg_opts {
	const char	*sid;		/* user SID, or NULL: machine store */
	int		 wow64;		/* under SOFTWARE\WOW6432Node */
	int		 regedit4;	/* REGEDIT4 in CP1251, else 5.00 UTF-16 */
} cpk_reg_opts;
/* A .reg file byte-compatible with regedit's export; each entry under its
 * own SID, else the opts' SID, else the machine's Settings\Keys.
 * CPK_E_RANGE: a name has no CP1251 form (REGEDIT4); CPK_E_ARG: a bad SID
 * or a name cpk_reg_name_ok() refuses; CPK_E_EXISTS: two entries would
 * share one key (cpk_reg_find_duplicate). */
cpk_err	cpk_reg_export(const cpk_reg_entry *, size_t, const cpk_reg_opts *,
	    cpk_blob **);
/* 1 when name can be a key name on a .reg line: UTF-8, not empty, no '\',
 * no ']', no control character (C0, DEL, C1) and no U+2028/U+2029. */
int	cpk_reg_name_ok(const char *name);
/* 1 when s is S-1- followed by decimal numbers joined by single dashes. */
int	cpk_reg_sid_ok(const char *s);
/* 1 when two key names are one key to the registry (case-insensitive). */
int	cpk_reg_name_same(const char *a, const char *b);
/* The first pair of entries that would share a key path (same user or
 * both machine, same name): CPK_E_EXISTS and their indexes, first <
 * second; CPK_OK when every key path is its own. */
cpk_err	cpk_reg_find_duplicate(const cpk_reg_entry *, size_t,
	    const cpk_reg_opts *, size_t *first, size_t *second);
/* The same .reg for another user: the SID after Settings\Users\ in every
 * key line replaced, everything else byte for byte. */
cpk_err	cpk_reg_rewrite_sid(const unsigned char *, size_t, const char *sid,
	    cpk_blob **, size_t *count);

/* 1 when the file's content is a .reg export (not by its name). */
int	cpk_path_is_reg(const char *path);

/* ---- files on disk ---- */
/* A file from a medium, at most cap bytes: a symbolic link is not followed
 * (CPK_E_LINK), a FIFO, device or socket not opened for reading
 * (CPK_E_NOT_REGULAR), so a medium cannot make cpkit read a local file. */
cpk_err	cpk_file_read(const char *path, size_t cap, cpk_blob **);
/* The same for a path the user typed (--cert F, a wordlist, an input
 * file): a link there is the user's choice and is followed. */
cpk_err	cpk_file_read_given(const char *path, size_t cap, cpk_blob **);
cpk_err	cpk_file_write_atomic(const char *path, const cpk_blob *, int mode);
/* 1 when both paths exist and are the same file (device and inode): an
 * output must never overwrite an input. */
int	cpk_path_same_file(const char *a, const char *b);
/* fsync() of a directory, so that entries made or renamed in it last. */
cpk_err	cpk_dir_sync(const char *dir);

#endif
