/* The system's facts for a diagnostic bundle on Linux (facts.c): the
 * distribution, the kernel, the host, the locale, the user, pcscd, and the
 * Debian packages of gost-engine, pcsc-lite and CryptoPro CSP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "internal.h"

static void
os_release(char *out, size_t cap)
{
	char line[256];
	/* this machine's own file, never a medium's: no O_NOFOLLOW needed */
	FILE *f = fopen("/etc/os-release", "r");

	snprintf(out, cap, "unknown");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "PRETTY_NAME=", 12) == 0) {
			char *v = line + 12;
			v[strcspn(v, "\n")] = '\0';
			if (*v == '"') {
				v++;
				v[strcspn(v, "\"")] = '\0';
			}
			snprintf(out, cap, "%.100s", v);
		}
	fclose(f);
}

/* A Debian package's version from dpkg's database, read as a file. */
static void
package_version(const char *pkg, char *out, size_t cap)
{
	char line[512], want[128];
	int in = 0;
	/* this machine's own file, never a medium's */
	FILE *f = fopen("/var/lib/dpkg/status", "r");

	snprintf(out, cap, "not installed");
	if (f == NULL)
		return;
	snprintf(want, sizeof(want), "Package: %s\n", pkg);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "Package: ", 9) == 0)
			in = strcmp(line, want) == 0;
		else if (in && strncmp(line, "Version: ", 9) == 0) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(out, cap, "%.60s", line + 9);
			break;
		}
	}
	fclose(f);
}

void
cpk_facts_system(cpk_facts *f)
{
	struct utsname u;
	struct stat st;
	const char *l;

	os_release(f->os, sizeof(f->os));
	if (uname(&u) == 0)
		snprintf(f->kernel, sizeof(f->kernel), "%.20s %.60s %.20s",
		    u.sysname, u.release, u.machine);
	if (gethostname(f->host, sizeof(f->host) - 1) != 0)
		snprintf(f->host, sizeof(f->host), "unknown");
	l = getenv("LC_ALL");
	if (l == NULL || *l == '\0')
		l = getenv("LANG");
	snprintf(f->locale, sizeof(f->locale), "%s", l && *l ? l : "C");
	snprintf(f->user, sizeof(f->user), "%s", getenv("USER") ?
	    getenv("USER") : "unknown");
	f->pcscd = stat("/run/pcscd/pcscd.comm", &st) == 0;
	package_version("libengine-gost-openssl", f->gost_engine,
	    sizeof(f->gost_engine));
	package_version("libpcsclite1", f->pcsclite, sizeof(f->pcsclite));
	f->csp = stat("/opt/cprocsp", &st) == 0 && S_ISDIR(st.st_mode);
	if (f->csp)
		package_version("lsb-cprocsp-base", f->csp_version,
		    sizeof(f->csp_version));
}
