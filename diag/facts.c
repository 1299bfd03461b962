/* System facts for a diagnostic bundle: reported as found, never required
 * (ARCHITECTURE.md diag/). Each fact is a short string or "unknown". Those
 * of the system are facts_system.c's (compat/win/facts_win.c on Windows). */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <zip.h>

#include "internal.h"

void
cpk_facts_collect(cpk_facts *f, int admin_tries, int tokens)
{
	memset(f, 0, sizeof(*f));
	cpk_facts_system(f);
	snprintf(f->openssl, sizeof(f->openssl), "%s",
	    OpenSSL_version(OPENSSL_VERSION));
	snprintf(f->libzip, sizeof(f->libzip), "%s", zip_libzip_version());
	if (f->pcscd && tokens)
		cpk_facts_tokens(f, admin_tries);
}
