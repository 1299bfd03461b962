/* The files-and-folders port layer (compat/win/fs_*.c) on its own, under
 * wine (tests/win/e2e_fs.sh): each POSIX call cpkit's media/ and
 * recovery/ use, with the outcome Linux gives. argv[1] is an empty
 * scratch folder; argv[2], when given, the name of a symbolic link in
 * it (to a file) that e2e_fs.sh made from the Unix side.
 * Prints "ok NAME" or "FAIL NAME: why" per check, "info" lines for what
 * wine reports; exit 1 when a check failed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include "fs_int.h"

static int failed;

static void
check(const char *name, int ok, const char *why)
{
	if (ok)
		printf("ok %s\n", name);
	else {
		printf("FAIL %s: %s (errno %d)\n", name, why, errno);
		failed = 1;
	}
}

static int
put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);

	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* A REPARSE_DATA_BUFFER as the file system returns it: the substitute
 * name, then the print name, after the flags of a symbolic link. */
static size_t
reparse_buf(unsigned char *b, DWORD tag, const wchar_t *sub,
    const wchar_t *print)
{
	size_t hdr = tag == IO_REPARSE_TAG_SYMLINK ? 20 : 16;
	WORD sl = (WORD)(wcslen(sub) * 2), pl = (WORD)(wcslen(print) * 2);
	WORD v[4] = { 0, sl, (WORD)(sl + 2), pl };

	memset(b, 0, 1024);
	memcpy(b, &tag, 4);
	memcpy(b + 8, v, sizeof(v));
	memcpy(b + hdr, sub, sl);
	memcpy(b + hdr + sl + 2, print, pl);
	return hdr + sl + 2 + pl + 2;
}

/* What wine cannot make (it has no reparse points): the decisions on
 * attributes and tags, and the parsing of a reparse point's data. */
static void
pure(void)
{
	unsigned char b[1024];
	char out[64];
	size_t n, len;
	int r;

	check("attr-plain", !cpk_w_link_attrs(FILE_ATTRIBUTE_ARCHIVE, 1, 0),
	    "plain file a link");
	check("attr-symlink", cpk_w_link_attrs(FILE_ATTRIBUTE_REPARSE_POINT, 1,
	    IO_REPARSE_TAG_SYMLINK), "symlink not a link");
	check("attr-junction", cpk_w_link_attrs(FILE_ATTRIBUTE_REPARSE_POINT |
	    FILE_ATTRIBUTE_DIRECTORY, 1, IO_REPARSE_TAG_MOUNT_POINT),
	    "junction not a link");
	check("attr-dedup", !cpk_w_link_attrs(FILE_ATTRIBUTE_REPARSE_POINT, 1,
	    IO_REPARSE_TAG_DEDUP), "deduplicated file a link");
	check("attr-untagged", cpk_w_link_attrs(FILE_ATTRIBUTE_REPARSE_POINT,
	    0, 0), "unknown tag followed");
	check("mode-junction", S_ISLNK(cpk_w_mode(FILE_ATTRIBUTE_DIRECTORY |
	    FILE_ATTRIBUTE_REPARSE_POINT, 1)), "not S_IFLNK");
	check("mode-dir", S_ISDIR(cpk_w_mode(FILE_ATTRIBUTE_DIRECTORY, 0)),
	    "not S_IFDIR");
	check("mode-file", S_ISREG(cpk_w_mode(FILE_ATTRIBUTE_READONLY, 0)),
	    "not S_IFREG");
	check("dtype-junction", cpk_w_dtype(FILE_ATTRIBUTE_DIRECTORY |
	    FILE_ATTRIBUTE_REPARSE_POINT, IO_REPARSE_TAG_MOUNT_POINT) ==
	    DT_LNK, "not DT_LNK");
	check("dtype-symlink", cpk_w_dtype(FILE_ATTRIBUTE_REPARSE_POINT,
	    IO_REPARSE_TAG_SYMLINK) == DT_LNK, "not DT_LNK");
	check("dtype-dedup", cpk_w_dtype(FILE_ATTRIBUTE_REPARSE_POINT,
	    IO_REPARSE_TAG_DEDUP) == DT_REG, "not DT_REG");
	check("dtype-dir", cpk_w_dtype(FILE_ATTRIBUTE_DIRECTORY, 0) == DT_DIR,
	    "not DT_DIR");

	n = reparse_buf(b, IO_REPARSE_TAG_SYMLINK,
	    L"\\??\\C:\\Users\\u\\.ssh\\id_rsa", L"C:\\Users\\u\\.ssh\\id_rsa");
	r = cpk_w_reparse_text(b, n, out, sizeof(out), &len);
	check("reparse-symlink", r == 0 && len == 22 &&
	    memcmp(out, "C:\\Users\\u\\.ssh\\id_rsa", 22) == 0, "text");
	n = reparse_buf(b, IO_REPARSE_TAG_MOUNT_POINT, L"\\??\\D:\\keys", L"");
	r = cpk_w_reparse_text(b, n, out, sizeof(out), &len);
	check("reparse-junction", r == 0 && len == 7 &&
	    memcmp(out, "D:\\keys", 7) == 0, "text");
	r = cpk_w_reparse_text(b, n, out, 3, &len);
	check("reparse-cut", r == 0 && len == 7 && memcmp(out, "D:\\", 3) == 0,
	    "cut");
	errno = 0;
	r = cpk_w_reparse_text(b, 18, out, sizeof(out), &len);
	check("reparse-short", r != 0 && errno == EIO, "read past the data");
	n = reparse_buf(b, IO_REPARSE_TAG_DEDUP, L"x", L"");
	r = cpk_w_reparse_text(b, n, out, sizeof(out), &len);
	check("reparse-other", r == 0 && len == 0, "a text for a dedup tag");
}

static void
links(const char *dir, const char *link)
{
	char path[512], buf[256];
	struct stat st;
	struct dirent *de;
	DIR *d;
	ssize_t n;
	int fd, seen = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, link);
	if (lstat(path, &st) != 0) {
		check("link-lstat", 0, "lstat");
		return;
	}
	printf("info link lstat mode %o size %lld\n", (unsigned)st.st_mode,
	    (long long)st.st_size);
	if (!S_ISLNK(st.st_mode)) {
		printf("info wine reports the link as no reparse point\n");
		return;
	}
	check("link-lstat", 1, "");
	errno = 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW);
	check("link-nofollow-eloop", fd < 0 && errno == ELOOP, "opened");
	if (fd >= 0)
		close(fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	printf("info readlink %zd %.*s\n", n, n > 0 ? (int)n : 0, buf);
	check("link-readlink", n > 0, "readlink");
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (strcmp(de->d_name, link) == 0)
				seen = de->d_type;
		closedir(d);
	}
	check("link-dtype", seen == DT_LNK, "d_type not DT_LNK");
}

int
main(int argc, char **argv)
{
	char path[512], other[512], tmp[512], buf[64], *real;
	struct stat st, st2;
	struct dirent *de;
	DIR *d;
	int dfd, fd, fd2, n, saw;

	if (argc < 2)
		return 2;
	snprintf(path, sizeof(path), "%s/a.key", argv[1]);
	check("create-excl", put(path, "first") == 0, "create");
	check("create-excl-again", put(path, "x") != 0 && errno == EEXIST,
	    "not EEXIST");
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	check("open-nofollow-regular", fd >= 0, "open");
	check("fstat-regular", fd >= 0 && fstat(fd, &st) == 0 &&
	    S_ISREG(st.st_mode) && st.st_size == 5, "fstat");
	n = fd >= 0 ? (int)read(fd, buf, sizeof(buf)) : -1;
	check("read", n == 5 && memcmp(buf, "first", 5) == 0, "read");
	if (fd >= 0)
		close(fd);

	/* a folder: O_DIRECTORY, openat, fstatat, and a file is no folder */
	dfd = open(argv[1], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	check("open-directory", dfd >= 0, "open dir");
	errno = 0;
	fd = open(path, O_RDONLY | O_DIRECTORY);
	check("open-directory-file", fd < 0 && errno == ENOTDIR, "opened");
	fd = openat(dfd, "a.key", O_RDONLY | O_NOFOLLOW);
	check("openat", fd >= 0 && fstat(fd, &st2) == 0 &&
	    st2.st_ino == st.st_ino && st.st_ino != 0, "openat or st_ino");
	if (fd >= 0)
		close(fd);
	check("fstatat", fstatat(dfd, "a.key", &st2, AT_SYMLINK_NOFOLLOW) ==
	    0 && S_ISREG(st2.st_mode), "fstatat");
	check("fstatat-dir", fstatat(dfd, ".", &st2, AT_SYMLINK_NOFOLLOW) ==
	    0 && S_ISDIR(st2.st_mode), "fstatat .");
	errno = 0;
	check("fstatat-missing", fstatat(dfd, "none", &st2,
	    AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT, "not ENOENT");

	/* rename replaces; NOREPLACE refuses; EXCHANGE is EINVAL */
	snprintf(other, sizeof(other), "%s/b.key", argv[1]);
	check("create-b", put(other, "second") == 0, "create");
	errno = 0;
	check("renameat2-noreplace", renameat2(dfd, "b.key", dfd, "a.key",
	    RENAME_NOREPLACE) != 0 && errno == EEXIST, "not EEXIST");
	errno = 0;
	check("renameat2-exchange", renameat2(AT_FDCWD, other, AT_FDCWD, path,
	    RENAME_EXCHANGE) != 0 && errno == EINVAL, "not EINVAL");
	check("rename-replace", rename(other, path) == 0 && stat(path, &st) ==
	    0 && st.st_size == 6, "rename");

	/* a folder inside: readdir types, EISDIR, AT_REMOVEDIR */
	snprintf(tmp, sizeof(tmp), "%s/sub", argv[1]);
	check("mkdir", mkdir(tmp, 0700) == 0, "mkdir");
	errno = 0;
	check("mkdir-again", mkdir(tmp, 0700) != 0 && errno == EEXIST,
	    "not EEXIST");
	saw = 0;
	if ((d = opendir(argv[1])) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, "sub") == 0 &&
			    de->d_type == DT_DIR)
				saw |= 1;
			if (strcmp(de->d_name, "a.key") == 0 &&
			    de->d_type == DT_REG)
				saw |= 2;
			if (strcmp(de->d_name, ".") == 0)
				saw |= 4;
		}
		check("dirfd", dirfd(d) >= 0, "dirfd");
		closedir(d);
	}
	check("readdir-types", saw == 7, "entries or types");
	errno = 0;
	check("unlinkat-dir-eisdir", unlinkat(dfd, "sub", 0) != 0 &&
	    errno == EISDIR, "not EISDIR");
	check("unlinkat-removedir", unlinkat(dfd, "sub", AT_REMOVEDIR) == 0,
	    "rmdir");

	/* flock: a second open of the locked file is refused the lock
	 * and can still read it (recovery/staging.c's marker) */
	fd = open(path, O_RDONLY | O_NOFOLLOW);
	fd2 = open(path, O_RDONLY | O_NOFOLLOW);
	check("flock", fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0, "lock");
	errno = 0;
	check("flock-busy", fd2 >= 0 && flock(fd2, LOCK_EX | LOCK_NB) != 0 &&
	    errno == EWOULDBLOCK, "second lock");
	check("flock-read", fd2 >= 0 && read(fd2, buf, sizeof(buf)) == 6,
	    "read locked");
	/* a file open is removed (delete pending until closed) */
	check("unlink-open", unlink(path) == 0, "unlink");
	close(fd2);
	close(fd);
	errno = 0;
	check("unlinked", stat(path, &st) != 0 && errno == ENOENT,
	    "still there");

	/* temporary names, fsync of a file and of a folder */
	snprintf(tmp, sizeof(tmp), "%s/.stage-XXXXXX", argv[1]);
	check("mkdtemp", mkdtemp(tmp) != NULL && strstr(tmp, "XXXXXX") ==
	    NULL && stat(tmp, &st) == 0 && S_ISDIR(st.st_mode), "mkdtemp");
	snprintf(other, sizeof(other), "%s/f.XXXXXX", tmp);
	fd = mkstemp(other);
	check("mkstemp", fd >= 0 && write(fd, "abc", 3) == 3 &&
	    fsync(fd) == 0 && fchmod(fd, 0600) == 0, "mkstemp");
	if (fd >= 0)
		close(fd);
	fd = open(other, O_RDONLY);
	check("fsync-readonly", fd >= 0 && fsync(fd) == 0, "fsync");
	if (fd >= 0)
		close(fd);
	fd = open(tmp, O_RDONLY | O_DIRECTORY);
	check("fsync-dir", fd >= 0 && fsync(fd) == 0, "fsync dir");
	if (fd >= 0)
		close(fd);
	check("unlink", unlink(other) == 0, "unlink");
	check("rmdir", rmdir(tmp) == 0, "rmdir");
	real = realpath(argv[1], NULL);
	printf("info realpath %s\n", real != NULL ? real : "(null)");
	check("realpath", real != NULL, "realpath");
	free(real);
	errno = 0;
	check("readlink-regular", readlink(argv[1], buf, sizeof(buf)) < 0 &&
	    errno == EINVAL, "not EINVAL");
	close(dfd);
	pure();
	if (argc > 2)
		links(argv[1], argv[2]);
	return failed;
}
