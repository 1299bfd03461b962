/* sysconf for the one name cpkit asks (diag/scan.c, passwd_recover.c:
 * how many threads to start): the active processors of every processor
 * group, not only of the process's group (more than 64 on big hosts). */
#include <errno.h>
#include <windows.h>
#include <winscard.h>

long
sysconf(int name)
{
	if (name != _SC_NPROCESSORS_ONLN) {
		errno = EINVAL;
		return -1;
	}
	return (long)GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
}

/* The Smart Card service answers (Windows' pcscd): a context can be
 * made. Asked by the places searched without a PATH (discover_win.c)
 * and the system's facts (facts_win.c). */
int
cpk_smart_card_service(void)
{
	SCARDCONTEXT ctx;

	if (SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &ctx) !=
	    SCARD_S_SUCCESS)
		return 0;
	SCardReleaseContext(ctx);
	return 1;
}
