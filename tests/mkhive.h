/* Building real registry hive files for tests and samples: a minimal empty
 * hive written by hand (hivex cannot create one), then filled through
 * hivex's own write API. */
#ifndef CPKIT_TEST_MKHIVE_H
#define CPKIT_TEST_MKHIVE_H

#include "container.h"

/* Writes an empty hive (root key "ROOT") to path; 0 on success. */
int	mkhive_empty(const char *path);
/* Adds a container under <base>\Crypto Pro\Settings\{Users\<sid>,}\Keys
 * \<name> of the hive at path (base "WOW6432Node" or ""), with one
 * REG_BINARY value per present file; 0 on success. */
int	mkhive_add(const char *path, const char *base, const char *sid,
	    const char *name, const cpk_files *);

/* Adds Microsoft\Windows NT\CurrentVersion\ProfileList\<sid> with a
 * ProfileImagePath (REG_EXPAND_SZ, UTF-16LE) of profile; 0 on success. */
int	mkhive_profile(const char *path, const char *sid, const char *profile);

#endif
