/* Internal declarations of media/ (ARCHITECTURE.md, "media"): the media
 * core and the backends that find containers on folders, .reg exports
 * and offline hives. Never included by tools/, nor by container/ (the
 * codec knows no medium). The token backend is in token/; only the
 * registry (open.c) knows it, through token_media.h. */
#ifndef CPKIT_MEDIA_INT_H
#define CPKIT_MEDIA_INT_H

#include <stdint.h>

#include "internal.h"
#include "media.h"

/* "HDIMAGE" or "FLASH" for a container folder's real path. */
const char	*cpk_media_kind(const char *real_path);

/* ---- the media core (media.c) and its backends ---- */
struct media_visited {
	dev_t	dev;
	ino_t	ino;
	int	used;
};

typedef struct media_item {
	cpk_ref		 ref;
	cpk_files	*files;		/* loaded by the backend, or NULL:
					 * read ref.location as a folder */
	int		 taken;		/* files given away: cpk_media_take */
} media_item;

struct cpk_media {
	media_item	*items;
	size_t		 n, cap, next;
	char		**warn;
	size_t		 nwarn;
	struct media_visited *seen;
	size_t		 nseen, seen_cap;
	char		*root, *root_real;	/* the walk's start, resolved */
	struct media_left {			/* cpk_media_leftover() */
		char		 *path;
		enum cpk_leftover kind;
	} *left;
	size_t		 nleft;

	char		*given;		/* a named .reg/hive link, resolved */
	char		*cut[4];	/* the first cut of each media_limit */
	unsigned	 cut_kinds;
};

/* Adds a container; strings are copied (sid and user may be NULL), files
 * (may be NULL) is taken. */
cpk_err	cpk_media_add(cpk_media *, const char *fqcn, const char *location,
	    const char *name, const char *media, const char *sid,
	    const char *user, cpk_files *files);
void	cpk_media_warn(cpk_media *, const char *fmt, ...)
	    __attribute__((format(CPK_PRINTF, 2, 3)));
/* A limit cut the search short (folders, depth, path length, a registry
 * key the user may not read): warned at each place, and the first of
 * each kind kept, so the scan is reported incomplete (cpk_media_limit). */
enum media_limit { ML_DIRS, ML_DEPTH, ML_PATH, ML_DENIED };
void	cpk_media_cut(cpk_media *, enum media_limit, const char *fmt, ...)
	    __attribute__((format(CPK_PRINTF, 3, 4)));
/* What a regular file holds, from its first bytes; a link is followed
 * only with follow (a path the user typed: open.c). */
enum media_file { MF_OTHER, MF_REG, MF_HIVE };
enum media_file	cpk_media_sniff(const char *path);
enum media_file	cpk_media_sniff_at(const char *path, int follow);
void	cpk_media_item_clear(media_item *);
/* .reg text in any of its encodings, as NUL-terminated UTF-8. */
enum cpk_rtenc { CPK_RT_UTF16LE, CPK_RT_UTF8_BOM, CPK_RT_UTF8, CPK_RT_CP1251,
	CPK_RT_UTF16LE_NOBOM, CPK_RT_UTF16BE, CPK_RT_UTF16BE_NOBOM };
/* forms an editor left (regtext.c): read, and warned about */
#define CPK_RTO_NOBOM	(1u << 0)	/* UTF-16 without a byte order mark */
#define CPK_RTO_UTF16BE	(1u << 1)	/* big-endian UTF-16 */
#define CPK_RTO_CRCR	(1u << 2)	/* lines ending in CR CR LF */
typedef struct cpk_regtext {
	cpk_blob	*text;		/* UTF-8 plus a NUL */
	enum cpk_rtenc	 enc;
	unsigned	 odd;		/* CPK_RTO_* */
	size_t		 crcr;		/* lines that ended in CR CR LF */
} cpk_regtext;
cpk_err	cpk_regtext_decode(const unsigned char *, size_t, cpk_regtext *,
	    size_t *bad_line);
cpk_err	cpk_regtext_encode(const char *utf8, size_t len, enum cpk_rtenc,
	    cpk_blob **);
void	cpk_regtext_clear(cpk_regtext *);

/* Strings, compared without ASCII case, to indexes (strmap.c): the keys
 * are the caller's strings, which must outlive the map. */
struct cpk_strmap_slot {
	const char	*key;		/* NULL: empty */
	uint64_t	 hash;
	size_t		 val;
};
typedef struct cpk_strmap {
	struct cpk_strmap_slot	*slot;
	size_t			 cap;	/* a power of two, or 0 */
	size_t			 n;
	unsigned char		 key[16];	/* SipHash key, random */
} cpk_strmap;
uint64_t cpk_siphash(const unsigned char key[16], const void *, size_t,
	    int fold_case);
cpk_err	cpk_strmap_init(cpk_strmap *);
/* h is cpk_strmap_hash() of the string, computed once for get and put */
uint64_t cpk_strmap_hash(const cpk_strmap *, const char *);
int	cpk_strmap_get(const cpk_strmap *, const char *, uint64_t h,
	    size_t *val);
cpk_err	cpk_strmap_put(cpk_strmap *, const char *, uint64_t h, size_t val);
void	cpk_strmap_clear(cpk_strmap *);

/* A parsed .reg file: its containers and what was wrong on the way. */
typedef struct cpk_regcont {
	char		*path;		/* key path as written */
	char		*name;		/* the key's last component */
	char		*sid;		/* Users\<SID>, or NULL: machine */
	cpk_files	*files;
	size_t		 line;
} cpk_regcont;
typedef struct cpk_regfile {
	cpk_regcont	*v;
	size_t		 n, cap;
	cpk_strmap	 byname;	/* path -> index in v, while parsing */
	int		 capped;	/* containers beyond the cap skipped */
	char		**warn;		/* "line N: ..." */
	size_t		 nwarn;
	enum cpk_rtenc	 enc;
	unsigned	 odd;		/* CPK_RTO_*: forms an editor left */
	size_t		 crcr;		/* lines that ended in CR CR LF */
	int		 dialect;	/* 5, 4, or 0: no header */
	size_t		 bad_line;	/* of an encoding error */
} cpk_regfile;
cpk_err	cpk_regfile_parse(const unsigned char *, size_t, cpk_regfile *);
void	cpk_regfile_clear(cpk_regfile *);

/* Backends: add every container in a .reg file or an offline hive. */
cpk_err	cpk_media_reg_add(cpk_media *, const char *path);
cpk_err	cpk_media_hive_add(cpk_media *, const char *path);
cpk_err	cpk_media_dir_add(cpk_media *, const char *dir);
/* registry: the live registry, every container of both views (Windows:
 * media/win/media_reg_live.c); CPK_E_NO_REGISTRY elsewhere
 * (reg_live_none.c). Locations are "registry:" and the key path. */
#define CPK_REG_LIVE	"registry:"
cpk_err	cpk_media_reg_live_add(cpk_media *);

#endif
