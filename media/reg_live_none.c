/* registry: where there is no live registry (every build but Windows,
 * whose media/win/media_reg_live.c replaces this file: mk/windows.mk).
 * A refusal that says what to use instead, never an empty list: the
 * containers of a Windows PC reach Linux as a .reg export or a SOFTWARE
 * hive (REGISTRY.md §3, §5). */
#include "media_int.h"

cpk_err
cpk_media_reg_live_add(cpk_media *m)
{
	(void)m;
	return CPK_E_NO_REGISTRY;
}
