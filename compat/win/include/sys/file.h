/* <sys/file.h> for flock: declared by compat/win/fs.h (force-included);
 * this file only has to exist. */
#ifndef CPKIT_COMPAT_WIN_SYS_FILE_H
#define CPKIT_COMPAT_WIN_SYS_FILE_H
#endif
