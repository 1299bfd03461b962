/* Read access to an opaque cpk_container for programs (container.h). A
 * copy index other than 0 or 1, or a file id out of range, reads as
 * absent rather than past the arrays. */
#include "internal.h"

const cpk_header *
cpk_container_header(const cpk_container *c)
{
	return c->header;
}

const cpk_masks *
cpk_container_masks(const cpk_container *c, int copy)
{
	return copy == 0 || copy == 1 ? c->masks[copy] : NULL;
}

const cpk_primary *
cpk_container_primary(const cpk_container *c, int copy)
{
	return copy == 0 || copy == 1 ? c->primary[copy] : NULL;
}

const char *
cpk_container_name(const cpk_container *c)
{
	return c->name;
}

const cpk_blob *
cpk_container_name_raw(const cpk_container *c)
{
	return c->name_raw;
}

const char *
cpk_container_name_enc(const cpk_container *c)
{
	return c->name_enc;
}

cpk_err
cpk_container_file_err(const cpk_container *c, enum cpk_file_id id)
{
	return (unsigned)id < CPK_F_COUNT ? c->err[id] : CPK_E_ARG;
}

const cpk_where *
cpk_container_file_where(const cpk_container *c, enum cpk_file_id id)
{
	return (unsigned)id < CPK_F_COUNT ? &c->where[id] : NULL;
}

enum cpk_profile
cpk_container_profile(const cpk_container *c)
{
	return c->profile;
}

const cpk_curve *
cpk_container_curve(const cpk_container *c)
{
	return c->curve;
}
