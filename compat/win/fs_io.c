/* read, write and pread with POSIX counts, fsync, fchmod and flock over a
 * CRT descriptor's HANDLE (compat/win/fs.h). */
#include <limits.h>
#include <string.h>

#include "fs_int.h"

#include <aclapi.h>

static HANDLE
handle_of(int fd)
{
	intptr_t h = _get_osfhandle(fd);

	if (h == -1)
		errno = EBADF;
	return (HANDLE)h;
}

ssize_t
cpk_w_read(int fd, void *p, size_t n)
{
	return _read(fd, p, n > INT_MAX ? INT_MAX : (unsigned)n);
}

ssize_t
cpk_w_write(int fd, const void *p, size_t n)
{
	return _write(fd, p, n > INT_MAX ? INT_MAX : (unsigned)n);
}

/* unlike POSIX's, it moves the file position (handles are synchronous):
 * cpkit's callers (disk images) only pread */
ssize_t
cpk_w_pread(int fd, void *p, size_t n, off_t at)
{
	OVERLAPPED ov = { 0 };
	HANDLE h;
	DWORD got;

	if ((h = handle_of(fd)) == INVALID_HANDLE_VALUE)
		return -1;
	if (at < 0) {
		errno = EINVAL;
		return -1;
	}
	ov.Offset = (DWORD)((uint64_t)at & 0xffffffffu);
	ov.OffsetHigh = (DWORD)((uint64_t)at >> 32);
	if (!ReadFile(h, p, n > INT_MAX ? INT_MAX : (DWORD)n, &got, &ov)) {
		if (GetLastError() == ERROR_HANDLE_EOF)
			return 0;
		return cpk_w_fail(GetLastError());
	}
	return (ssize_t)got;
}

/* FlushFileBuffers needs write access: a file opened for reading (the
 * backup archive libzip wrote and closed) is flushed through a second
 * handle; a folder needs nothing (NTFS logs its metadata) */
int
cpk_w_fsync(int fd)
{
	BY_HANDLE_FILE_INFORMATION bi;
	HANDLE h, w;
	DWORD e;

	if ((h = handle_of(fd)) == INVALID_HANDLE_VALUE)
		return -1;
	if (GetFileType(h) != FILE_TYPE_DISK) {
		errno = EINVAL;
		return -1;
	}
	if (FlushFileBuffers(h))
		return 0;
	if ((e = GetLastError()) != ERROR_ACCESS_DENIED)
		return cpk_w_fail(e);
	if (GetFileInformationByHandle(h, &bi) &&
	    (bi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
		return 0;
	w = ReOpenFile(h, GENERIC_WRITE, CPK_W_SHARE,
	    FILE_FLAG_BACKUP_SEMANTICS);
	if (w == INVALID_HANDLE_VALUE)
		return 0;	/* read-only: nothing of ours to flush */
	if (!FlushFileBuffers(w)) {
		e = GetLastError();
		CloseHandle(w);
		return cpk_w_fail(e);
	}
	CloseHandle(w);
	return 0;
}

/* The DACL of the handle's file: the current user alone, full control,
 * nothing inherited (what mode 0600 means on Linux). Through a second
 * handle with WRITE_DAC, which the file's owner always gets. */
static DWORD
owner_only(HANDLE h)
{
	union {
		TOKEN_USER	tu;
		BYTE		b[512];
	} u;
	EXPLICIT_ACCESS_W ea;
	HANDLE tok = NULL, w = INVALID_HANDLE_VALUE;
	PACL acl = NULL;
	DWORD n, e = ERROR_SUCCESS;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok) ||
	    !GetTokenInformation(tok, TokenUser, &u, sizeof(u), &n)) {
		e = GetLastError();
		goto out;
	}
	memset(&ea, 0, sizeof(ea));
	ea.grfAccessPermissions = GENERIC_ALL;
	ea.grfAccessMode = SET_ACCESS;
	ea.grfInheritance = NO_INHERITANCE;
	ea.Trustee.TrusteeForm = TRUSTEE_IS_SID;
	ea.Trustee.TrusteeType = TRUSTEE_IS_USER;
	ea.Trustee.ptstrName = (LPWSTR)u.tu.User.Sid;
	if ((e = SetEntriesInAclW(1, &ea, NULL, &acl)) != ERROR_SUCCESS)
		goto out;
	w = ReOpenFile(h, WRITE_DAC, CPK_W_SHARE, FILE_FLAG_BACKUP_SEMANTICS);
	if (w == INVALID_HANDLE_VALUE) {
		e = GetLastError();
		goto out;
	}
	e = SetSecurityInfo(w, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION |
	    PROTECTED_DACL_SECURITY_INFORMATION, NULL, NULL, acl, NULL);
out:
	if (w != INVALID_HANDLE_VALUE)
		CloseHandle(w);
	if (acl != NULL)
		LocalFree(acl);
	if (tok != NULL)
		CloseHandle(tok);
	return e;
}

/* A mode without group and other bits (cpkit's 0600: key copies, the
 * backup) becomes a DACL for the current user alone; other modes leave
 * the ACL inherited from the folder. Best effort, never an error: a file
 * system without ACLs (FAT, a flash drive) has nothing to set, as
 * Linux's vfat ignores the mode, and wine refuses SetSecurityInfo on
 * files (ERROR_ACCESS_DENIED); the file keeps its folder's ACL. */
int
cpk_w_fchmod(int fd, mode_t mode)
{
	HANDLE h;

	if ((h = handle_of(fd)) == INVALID_HANDLE_VALUE)
		return -1;
	if ((mode & 077) == 0)
		(void)owner_only(h);
	return 0;
}

/* One byte far beyond any end of file is locked, not the contents:
 * LockFileEx's locks are mandatory, and the marker must stay readable
 * by the next run that asks whether it is ours (recovery/staging.c). */
#define LOCK_AT_HIGH	0x7fffffffu

int
cpk_w_flock(int fd, int op)
{
	OVERLAPPED ov = { 0 };
	HANDLE h;
	DWORD fl = 0;

	if ((h = handle_of(fd)) == INVALID_HANDLE_VALUE)
		return -1;
	ov.OffsetHigh = LOCK_AT_HIGH;
	if (op & LOCK_UN)
		return UnlockFileEx(h, 0, 1, 0, &ov) ? 0 :
		    cpk_w_fail(GetLastError());
	if (op & LOCK_EX)
		fl |= LOCKFILE_EXCLUSIVE_LOCK;
	if (op & LOCK_NB)
		fl |= LOCKFILE_FAIL_IMMEDIATELY;
	if (!LockFileEx(h, fl, 0, 1, 0, &ov)) {
		DWORD e = GetLastError();

		if (e == ERROR_LOCK_VIOLATION || e == ERROR_IO_PENDING) {
			errno = EWOULDBLOCK;
			return -1;
		}
		return cpk_w_fail(e);
	}
	return 0;
}
