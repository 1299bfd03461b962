/*
 * Offline registry hives on Windows: media/media_hive.c reads them with
 * libhivex, which this build lacks (the Debian mirror has no hivex
 * source to cross-build, docs/WINDOWS.md §2, §5.4). A hive met on a
 * medium or named on the command line is refused with a warning naming
 * it, as media_hive.c does with a hive it cannot read; the other media
 * still list. The live registry is media/win/'s "registry:".
 */
#include "media_int.h"

cpk_err
cpk_media_hive_add(cpk_media *m, const char *path)
{
	cpk_media_warn(m, _("%s: offline registry hives need hivex, which "
	    "this Windows build lacks; export the key with reg.exe or "
	    "regedit to a .reg file and give that, or use registry: on the "
	    "PC itself"), path);
	return CPK_OK;
}
