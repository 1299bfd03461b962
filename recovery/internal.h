/* Internal declarations of recovery/. */
#ifndef CPKIT_RECOVERY_INTERNAL_H
#define CPKIT_RECOVERY_INTERNAL_H

#include <stdint.h>
#include <sys/types.h>

#include "recovery.h"
#include "container_int.h"
#include "i18n.h"

/* Little-endian fields of FAT boot sectors and directory entries. */
static inline uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* An open image (image.c); callers outside recovery/ see it opaque. */
struct cpk_image {
	int		 fd;
	uint64_t	 size;
	uint64_t	 fail_at;	/* test hook: reads past this fail */
	uint64_t	 bad_from;	/* first offset that could not be read */
	char		 path[1024];
};

/* The system's side of cpk_image (image_sys.c; compat/win/image_win.c):
 * open a regular file or a block device read-only, without blocking, and
 * give its size; read at an offset as pread does. */
cpk_err	cpk_image_sys_open(const char *path, int *fd, uint64_t *size);
ssize_t	cpk_image_sys_pread(int fd, void *buf, size_t len, uint64_t off);

/* A candidate certificate, parsed once. */
typedef struct cand {
	const cpk_blob	*der;
	cpk_cert_info	 ci;
} cand;

/* One repair in progress: the working copy of the files and the report. */
typedef struct fixwork {
	cpk_files		*f;
	const cpk_fix_opts	*o;
	cpk_fix_report		*rep;
	cand			*cands;
	size_t			 ncand;
} fixwork;

void	fix_note(fixwork *, enum cpk_file_id, const char *fmt, ...)
	    __attribute__((format(CPK_PRINTF, 3, 4)));
cpk_err	fix_refuse(fixwork *, cpk_err, const char *fmt, ...)
	    __attribute__((format(CPK_PRINTF, 3, 4)));
/* Replaces one file of the working copy with a copy of b (NULL: none). */
cpk_err	fix_set_file(fixwork *, enum cpk_file_id, const cpk_blob *b);
/* Unlocks the primary key from either copy with every encoding the
 * password may have entered the KDF in; *enc gets the one that worked. */
cpk_err	fix_unlock(const cpk_files *, const char *pw, cpk_key **,
	    enum cpk_pwenc *enc);
cpk_err	fix_header(fixwork *);

/* The in-place backup (backup.c): every entry of a container folder, read
 * before anything changes; a file that cannot be read has data NULL and
 * err says why (CPK_E_FORMAT: not a regular file). */
struct snap_entry {
	char		*name;
	cpk_blob	*data;		/* NULL: not in the backup */
	cpk_err		 err;
	int		 key;		/* one of the six key files */
};
struct snap {
	struct snap_entry *v;
	size_t		 n;
};
cpk_err	cpk_snap_read(const char *dir, struct snap *);
void	cpk_snap_clear(struct snap *);
/* Writes, renames and verifies the archive of s; out gets its path. A
 * failure leaves no archive. */
cpk_err	cpk_backup_write(const char *dir, const cpk_stage *, const struct snap *,
	    char *out, size_t cap);

/* Carving (carve.c, fat.c) */
void	cpk_carve_note(cpk_carve_result *, const char *fmt, ...)
	    __attribute__((format(CPK_PRINTF, 2, 3)));
/* Marks image bytes a directory explained: raw carving skips them. */
void	cpk_carve_claim(cpk_carve_result *, uint64_t off, uint64_t len);
/* Appends a carved container (the result owns its files on CPK_OK). */
cpk_err	cpk_carve_add(cpk_carve_result *, const cpk_carved *);
/* Sorted and merged once the FAT pass is over; cpk_carve_claimed() then
 * searches them in log time. */
void	cpk_carve_claims_sort(cpk_carve_result *);
int	cpk_carve_claimed(const cpk_carve_result *, uint64_t off);
cpk_err	cpk_fat_carve(cpk_image *, cpk_carve_result *);
/* FAT directory entries (fatdir.c), walked in order. */
struct cpk_fat_dent {
	char		 name[256];	/* long name, else 8.3 ('_' lost) */
	int		 deleted, dir;
	uint32_t	 cluster, size;
};
struct cpk_fat_dirit {
	const cpk_blob	*d;		/* the directory's bytes */
	size_t		 off, nl;
	unsigned char	 lfn[20][32];	/* long-name parts so far */
};
/* The next file or folder entry (not ., .., labels); 0 at the end. */
int	cpk_fat_dir_next(struct cpk_fat_dirit *, struct cpk_fat_dent *);
/* Which of the six files an entry names, or -1. */
int	cpk_fat_key_slot(const struct cpk_fat_dent *);

#endif
