/*
 * cpkit: the one error list every call returns (STYLE.md §3), and the
 * optional log sink. Part of the public API (cpkit.h).
 */
#ifndef CPKIT_ERR_H
#define CPKIT_ERR_H

#include <stddef.h>

/* One error list: name, stable value, class, text (STYLE.md §3). The
 * texts are English msgids: cpk_err_text() gives them in the user's
 * language. The class says whose the fault is, and so the exit status
 * of every tool (STYLE.md §11): USAGE the command line (2), ENV the
 * machine (3), DATA the media or the key (4). */
#define CPK_ERRORS(X)							\
	X(CPK_OK,		  0, OK, "success")			\
	X(CPK_E_NOMEM,		 -1, ENV, "out of memory")		\
	X(CPK_E_IO,		 -2, ENV, "input/output error")		\
	X(CPK_E_INTERNAL,	 -3, ENV, "internal error")		\
	X(CPK_E_ARG,		 -4, USAGE, "invalid argument")		\
	X(CPK_E_NOT_FOUND,	 -5, DATA, "not found")			\
	X(CPK_E_EXISTS,		 -6, DATA, "already exists")		\
	X(CPK_E_LOOP,		 -7, DATA, "directory loop")		\
	X(CPK_E_NO_PATH,	 -8, USAGE, "no such file or directory") \
	X(CPK_E_TRUNCATED,	-10, DATA, "input ends early")		\
	X(CPK_E_LENGTH,		-11, DATA, "wrong length")		\
	X(CPK_E_TAG,		-12, DATA, "unexpected element")	\
	X(CPK_E_DEPTH,		-13, DATA, "nesting too deep")		\
	X(CPK_E_TOO_BIG,	-14, DATA, "file too large")		\
	X(CPK_E_RANGE,		-15, DATA, "value out of range")	\
	X(CPK_E_FORMAT,		-16, DATA, "malformed structure")	\
	X(CPK_E_UNSUPPORTED,	-17, DATA, "unsupported algorithm or format") \
	X(CPK_E_MAC,		-18, DATA, "integrity code mismatch")	\
	X(CPK_E_FINGERPRINT,	-19, DATA, "public key fingerprint mismatch") \
	X(CPK_E_CERT,		-20, DATA, "certificate cannot be parsed") \
	X(CPK_E_MISSING,	-21, DATA, "required file missing")	\
	X(CPK_E_OLD_FORMAT,	-22, DATA, "old (pre-V2) container format") \
	X(CPK_E_EMPTY,		-23, DATA, "empty file")		\
	X(CPK_E_NO_FOLDER,	-24, USAGE, "its folder does not exist") \
	X(CPK_E_BAD_SID,	-25, USAGE, "not a user SID (expected S-1-5-21-...)") \
	X(CPK_E_BAD_NAME,	-26, USAGE, "a container name the registry cannot hold") \
	X(CPK_E_NOT_EXPORTABLE,	-27, DATA, "the key is marked non-exportable") \
	X(CPK_E_CERT_OTHER_KEY,	 -9, DATA, "the certificate belongs to another key") \
	X(CPK_E_LINK,		-28, DATA, "a symbolic link, not followed") \
	X(CPK_E_NOT_REGULAR,	-29, DATA, "not a regular file")	\
	X(CPK_E_CRYPTO,		-30, ENV, "cryptographic library failure") \
	X(CPK_E_NO_GOST,	-31, ENV, "GOST support (gost-engine) not available") \
	X(CPK_E_NO_SPACE,	-32, ENV, "no space left on device")	\
	X(CPK_E_NOT_CONTAINER,	-33, USAGE, "not a key container")	\
	X(CPK_E_NO_REGISTRY,	-34, USAGE, "the live registry exists on Windows only; use a .reg export (reg export) or an offline hive") \
	X(CPK_E_NO_PCSCD,	-40, ENV, "the PC/SC service (pcscd) is not running") \
	X(CPK_E_NO_READER,	-41, ENV, "no smart-card reader or token found") \
	X(CPK_E_NO_CARD,	-42, ENV, "no token in the reader")	\
	X(CPK_E_CARD_REMOVED,	-43, ENV, "the token was removed or reset during the operation") \
	X(CPK_E_CARD_BUSY,	-44, ENV, "the token is busy (another program is using it)") \
	X(CPK_E_PCSC,		-45, ENV, "PC/SC failure")		\
	X(CPK_E_SEVERAL_TOKENS,	-46, USAGE, "several readers hold a token; name one, e.g. pcsc:\"<reader name>\" (cpkit-token list shows them)") \
	X(CPK_E_READER_AMBIGUOUS, -47, USAGE, "the reader name matches several readers; give more of it (cpkit-token list shows them)") \
	X(CPK_E_NO_SUCH_READER,	-48, ENV, "no reader has that name")	\
	X(CPK_E_BAD_PASSWORD,	-50, DATA, "wrong password")		\
	X(CPK_E_NO_PASSWORD,	-51, USAGE, "no password given")	\
	X(CPK_E_NO_PIN,		-52, USAGE, "no PIN given")		\
	X(CPK_E_CARD,		-60, DATA, "the token answered with an unexpected status") \
	X(CPK_E_PIN_WRONG,	-61, DATA, "wrong PIN")			\
	X(CPK_E_PIN_BLOCKED,	-62, DATA, "the PIN is blocked")	\
	X(CPK_E_PIN_LOW,	-63, DATA, "too few PIN tries left to risk one") \
	X(CPK_E_PIN_UNKNOWN,	-64, DATA, "the PIN tries left cannot be read safely on this token") \
	X(CPK_E_PIN_NEEDED,	-65, DATA, "protected by the token's user PIN") \
	X(CPK_E_DENIED,		-66, DATA, "the token does not allow this operation")

typedef enum cpk_err {
#define X(name, val, class, text) name = val,
	CPK_ERRORS(X)
#undef X
} cpk_err;

const char	*cpk_err_name(cpk_err);	/* "CPK_E_MAC": stable */
const char	*cpk_err_text(cpk_err);	/* for people (gettext) */
enum cpk_err_class {
	CPK_ERRCLASS_OK,	/* CPK_OK */
	CPK_ERRCLASS_USAGE,	/* what the command line asked for is wrong */
	CPK_ERRCLASS_ENV,	/* the machine: memory, disk, engine, PC/SC */
	CPK_ERRCLASS_DATA	/* the media, the container, the password */
};
/* The class column of the list; DATA for a value not in it. */
enum cpk_err_class cpk_err_class(cpk_err);
/* An errno as a cpk_err: ENOSPC and EDQUOT are CPK_E_NO_SPACE (exit 3,
 * "no space left on device"), not an I/O error; unknown ones CPK_E_IO. */
cpk_err		 cpk_err_from_errno(int);

/* Optional log sink: the tools set it, the library never prints. */
typedef void	(*cpk_log_fn)(int level, const char *func, const char *msg);
void		 cpk_log_set(cpk_log_fn);

#endif
