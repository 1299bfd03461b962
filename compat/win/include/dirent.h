/*
 * Stands in for mingw-w64's <dirent.h> (no d_type, ANSI names): folders
 * listed with FindFirstFileExW (compat/win/fs_dir.c), the names in UTF-8,
 * the type from the entry's attributes without following anything: a
 * reparse point that is a name surrogate (symbolic link, junction, mount
 * point) is DT_LNK, as a symbolic link is on Linux.
 */
#ifndef CPKIT_COMPAT_WIN_DIRENT_H
#define CPKIT_COMPAT_WIN_DIRENT_H

#define DT_UNKNOWN	0
#define DT_DIR		4
#define DT_REG		8
#define DT_LNK		10

struct dirent {
	unsigned char	d_type;
	/* 260 UTF-16 units, up to 3 bytes each in UTF-8 */
	char		d_name[260 * 3 + 1];
};

typedef struct cpk_w_dir DIR;

#define opendir		cpk_w_opendir
#define fdopendir	cpk_w_fdopendir
#define readdir		cpk_w_readdir
#define closedir	cpk_w_closedir
#define dirfd		cpk_w_dirfd
DIR		*cpk_w_opendir(const char *);
DIR		*cpk_w_fdopendir(int);
struct dirent	*cpk_w_readdir(DIR *);
int		 cpk_w_closedir(DIR *);
int		 cpk_w_dirfd(DIR *);

#endif
