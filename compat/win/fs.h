/*
 * Included by posix.h in every Windows compilation unit: the POSIX file
 * and folder calls cpkit uses, done over the wide-character Win32 API
 * (compat/win/fs_*.c) with the hostile-media rules of docs/WINDOWS.md
 * §5.3, so that media/, recovery/ and the tools compile unchanged.
 *
 * - Paths are UTF-8 inside cpkit; fs_path.c converts them. '/' and '\'
 *   are both separators; "/tmp/x" is the root of the current drive, which
 *   under wine (a Unix working folder) is Z:, the Unix root. A drive
 *   alone, "E:" (the parent of E:/cont, as cpkit splits it), is the
 *   drive's root, not the drive's current folder.
 * - Every descriptor is a CRT one over a HANDLE (_open_osfhandle, binary
 *   mode), opened with FILE_SHARE_DELETE so that a file cpkit holds open
 *   can still be renamed or removed, as on Linux. A folder descriptor is
 *   an open folder HANDLE too: the *at calls join the name to the
 *   folder's final path (GetFinalPathNameByHandleW).
 * - O_NOFOLLOW opens the reparse point itself and fails with ELOOP when
 *   it is a link (a name surrogate: symbolic link, junction, mount
 *   point); lstat reports one as S_IFLNK, readdir as DT_LNK.
 * - Modes: fchmod to an owner-only mode (0600) sets a protected DACL for
 *   the current user alone, where the file system has ACLs (best effort:
 *   FAT and wine keep the folder's); other modes, and mkdir's, leave the
 *   ACL inherited from the folder.
 * - Not emulated: RENAME_EXCHANGE (EINVAL: the callers' fallback moves
 *   the original aside first, see recovery/replace.c), fsync of a folder
 *   (a no-op: NTFS logs its metadata).
 *
 * The names are macros over cpk_w_*, defined after the system headers
 * that declare the CRT's own versions, so that those are never seen.
 */
#ifndef CPKIT_COMPAT_WIN_FS_H
#define CPKIT_COMPAT_WIN_FS_H

#include <sys/types.h>
#include <sys/stat.h>
#include <direct.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* cpkit's path buffers hold UTF-8: the CRT's PATH_MAX, 260 bytes, would
 * cut a path of Cyrillic names at 130 characters, well before Windows'
 * own limit of 260 UTF-16 units (up to 3 bytes each in UTF-8) */
#undef PATH_MAX
#define PATH_MAX	1024

/* open() flags Linux has and the CRT has not: bits the CRT does not use */
#define O_NOFOLLOW	0x01000000
#define O_DIRECTORY	0x02000000
#define O_CLOEXEC	0x04000000	/* handles are never inherited */
#define O_NONBLOCK	0x08000000	/* no FIFOs on a Windows folder */

/* a full quota (ERROR_NOT_ENOUGH_QUOTA); Winsock's number, not the CRT's */
#ifndef EDQUOT
#define EDQUOT		10069
#endif

#define S_IFLNK		0xA000
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)

/* the fields cpkit reads; st_dev/st_ino are the volume serial number and
 * the file index, so that two names of one file compare equal */
typedef uint64_t	cpk_w_dev_t;
typedef uint64_t	cpk_w_ino_t;
#define dev_t	cpk_w_dev_t	/* the CRT's ino_t is 16 bits */
#define ino_t	cpk_w_ino_t
struct cpk_w_stat {
	dev_t		st_dev;
	ino_t		st_ino;
	mode_t		st_mode;
	unsigned	st_nlink;
	int64_t		st_size;
	time_t		st_atime;
	time_t		st_mtime;
	time_t		st_ctime;
};
#undef stat
#undef fstat
#define stat	cpk_w_stat
#define fstat	cpk_w_fstat
#define lstat	cpk_w_lstat
#define fstatat	cpk_w_fstatat
int	cpk_w_stat(const char *, struct cpk_w_stat *);
int	cpk_w_lstat(const char *, struct cpk_w_stat *);
int	cpk_w_fstat(int, struct cpk_w_stat *);
int	cpk_w_fstatat(int, const char *, struct cpk_w_stat *, int);

#define AT_FDCWD		(-100)
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_REMOVEDIR		0x200
#define RENAME_NOREPLACE	1
#define RENAME_EXCHANGE		2

#define open	cpk_w_open
#define openat	cpk_w_openat
int	cpk_w_open(const char *, int, ...);
int	cpk_w_openat(int, const char *, int, ...);

/* the CRT's take an unsigned int count */
#define read(fd, p, n)	cpk_w_read(fd, p, n)
#define write(fd, p, n)	cpk_w_write(fd, p, n)
ssize_t	cpk_w_read(int, void *, size_t);
ssize_t	cpk_w_write(int, const void *, size_t);
#define pread	cpk_w_pread
ssize_t	cpk_w_pread(int, void *, size_t, off_t);

#define fsync	cpk_w_fsync
#define fchmod	cpk_w_fchmod
int	cpk_w_fsync(int);
int	cpk_w_fchmod(int, mode_t);

#define LOCK_SH	1
#define LOCK_EX	2
#define LOCK_NB	4
#define LOCK_UN	8
#define flock	cpk_w_flock
int	cpk_w_flock(int, int);

#undef mkdir
#define mkdir(p, m)	cpk_w_mkdir(p, m)
#define rmdir		cpk_w_rmdir
#define unlink		cpk_w_unlink
#define rename		cpk_w_rename
#define renameat2	cpk_w_renameat2
#define unlinkat	cpk_w_unlinkat
int	cpk_w_mkdir(const char *, mode_t);
int	cpk_w_rmdir(const char *);
int	cpk_w_unlink(const char *);
int	cpk_w_rename(const char *, const char *);
int	cpk_w_renameat2(int, const char *, int, const char *, unsigned);
int	cpk_w_unlinkat(int, const char *, int);

#define mkstemp		cpk_w_mkstemp
#define mkdtemp		cpk_w_mkdtemp
int	cpk_w_mkstemp(char *);
char	*cpk_w_mkdtemp(char *);

#define readlink	cpk_w_readlink
#define realpath	cpk_w_realpath
ssize_t	cpk_w_readlink(const char *, char *, size_t);
char	*cpk_w_realpath(const char *, char *);

/* The last separator of a path: cpkit looks for '/' only (the folder
 * of a file, the name of a container folder, the parent of a staging
 * folder); on Windows '\\' is one too and can be in no file name, so
 * "E:\\keys\\cont" splits as "E:/keys/cont" does. Other characters are
 * the CRT's strrchr. */
#define strrchr(s, c)	cpk_w_strrchr(s, c)
char	*cpk_w_strrchr(const char *, int);

/* the CRT's fopen takes the ANSI code page: UTF-8 names through _wfopen */
#define fopen		cpk_w_fopen
FILE	*cpk_w_fopen(const char *, const char *);

#endif
