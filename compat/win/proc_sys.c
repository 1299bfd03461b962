/* sysconf for the one name cpkit asks (diag/scan.c, passwd_recover.c:
 * how many threads to start): the active processors of every processor
 * group, not only of the process's group (more than 64 on big hosts). */
#include <errno.h>
#include <windows.h>

long
sysconf(int name)
{
	if (name != _SC_NPROCESSORS_ONLN) {
		errno = EINVAL;
		return -1;
	}
	return (long)GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
}
