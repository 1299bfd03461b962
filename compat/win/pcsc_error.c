/*
 * pcsc_stringify_error, which token/pcsc.c logs an unexpected PC/SC code
 * with, is pcsc-lite's: winscard.dll has no such call. The codes are the
 * same (SCARD_* in winerror.h); the texts are short descriptions of
 * their meaning, for the debug log only (never a user's message, which
 * cpk_err_text gives). An unknown code shows as its number.
 */
#include <stdio.h>
#include <windows.h>
#include <winscard.h>

static const struct {
	LONG		 code;
	const char	*text;
} scard_texts[] = {
	{ SCARD_S_SUCCESS, "Command successful." },
	{ SCARD_F_INTERNAL_ERROR, "Internal error." },
	{ SCARD_E_CANCELLED, "Command cancelled." },
	{ SCARD_E_INVALID_HANDLE, "Invalid handle." },
	{ SCARD_E_INVALID_PARAMETER, "Invalid parameter given." },
	{ SCARD_E_INVALID_TARGET, "Invalid target given." },
	{ SCARD_E_NO_MEMORY, "Not enough memory." },
	{ SCARD_F_WAITED_TOO_LONG, "Waited too long." },
	{ SCARD_E_INSUFFICIENT_BUFFER, "Insufficient buffer." },
	{ SCARD_E_UNKNOWN_READER, "Unknown reader specified." },
	{ SCARD_E_TIMEOUT, "Command timeout." },
	{ SCARD_E_SHARING_VIOLATION, "Sharing violation." },
	{ SCARD_E_NO_SMARTCARD, "No smart card inserted." },
	{ SCARD_E_UNKNOWN_CARD, "Unknown card." },
	{ SCARD_E_CANT_DISPOSE, "Cannot dispose handle." },
	{ SCARD_E_PROTO_MISMATCH, "Card protocol mismatch." },
	{ SCARD_E_NOT_READY, "Subsystem not ready." },
	{ SCARD_E_INVALID_VALUE, "Invalid value given." },
	{ SCARD_E_SYSTEM_CANCELLED, "System cancelled." },
	{ SCARD_F_COMM_ERROR, "RPC transport error." },
	{ SCARD_F_UNKNOWN_ERROR, "Unknown error." },
	{ SCARD_E_INVALID_ATR, "Invalid ATR." },
	{ SCARD_E_NOT_TRANSACTED, "Transaction failed." },
	{ SCARD_E_READER_UNAVAILABLE, "Reader is unavailable." },
	{ SCARD_E_PCI_TOO_SMALL, "PCI struct too small." },
	{ SCARD_E_READER_UNSUPPORTED, "Reader is unsupported." },
	{ SCARD_E_DUPLICATE_READER, "Reader already exists." },
	{ SCARD_E_CARD_UNSUPPORTED, "Card is unsupported." },
	{ SCARD_E_NO_SERVICE, "Service not available." },
	{ SCARD_E_SERVICE_STOPPED, "Service was stopped." },
	{ SCARD_E_UNEXPECTED, "Unexpected card error." },
	{ SCARD_E_UNSUPPORTED_FEATURE, "Feature not supported." },
	{ SCARD_E_NO_READERS_AVAILABLE, "Cannot find a smart card reader." },
	{ SCARD_E_COMM_DATA_LOST, "Communication data lost." },
	{ SCARD_E_NO_KEY_CONTAINER, "No key container." },
	{ SCARD_E_SERVER_TOO_BUSY, "Server too busy." },
	{ SCARD_W_UNSUPPORTED_CARD, "Card is not supported." },
	{ SCARD_W_UNRESPONSIVE_CARD, "Card is unresponsive." },
	{ SCARD_W_UNPOWERED_CARD, "Card is unpowered." },
	{ SCARD_W_RESET_CARD, "Card was reset." },
	{ SCARD_W_REMOVED_CARD, "Card was removed." },
	{ SCARD_W_SECURITY_VIOLATION, "Access denied." },
	{ SCARD_W_WRONG_CHV, "Wrong PIN." },
	{ SCARD_W_CHV_BLOCKED, "PIN blocked." },
	{ SCARD_W_EOF, "End of file." },
	{ SCARD_W_CANCELLED_BY_USER, "Cancelled by the user." },
	{ SCARD_W_CARD_NOT_AUTHENTICATED, "Card not authenticated." },
};

const char *
pcsc_stringify_error(long rv)
{
	/* one thread's message at a time is all the debug log needs */
	static _Thread_local char unknown[48];

	for (size_t i = 0; i < sizeof(scard_texts) / sizeof(scard_texts[0]);
	    i++)
		if (scard_texts[i].code == rv)
			return scard_texts[i].text;
	snprintf(unknown, sizeof(unknown), "Unknown error: 0x%08lX",
	    (unsigned long)rv & 0xffffffffUL);
	return unknown;
}
