/* cpk_files -> cpk_container: decode whatever is present, record per-file
 * results, pick the profile and curve from the header (FORMATS.md §9). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const file_names[CPK_F_COUNT] = {
	"header.key", "name.key", "masks.key", "primary.key", "masks2.key",
	"primary2.key"
};

const char *
cpk_file_name(enum cpk_file_id id)
{
	return (unsigned)id < CPK_F_COUNT ? file_names[id] : "?";
}

cpk_err
cpk_files_new(cpk_files **out)
{
	*out = calloc(1, sizeof(**out));
	if (*out == NULL)
		return CPK_E_NOMEM;
	for (int i = 0; i < CPK_F_COUNT; i++)
		(*out)->err[i] = CPK_E_MISSING;
	return CPK_OK;
}

void
cpk_files_free(cpk_files **fp)
{
	if (fp == NULL || *fp == NULL)
		return;
	for (int i = 0; i < CPK_F_COUNT; i++) {
		cpk_blob_free(&(*fp)->f[i]);
		free((*fp)->link[i]);
	}
	free(*fp);
	*fp = NULL;
}

void
cpk_container_free(cpk_container **cp)
{
	cpk_container *c;

	if (cp == NULL || (c = *cp) == NULL)
		return;
	cpk_header_free(&c->header);
	for (int i = 0; i < 2; i++) {
		cpk_masks_free(&c->masks[i]);
		cpk_primary_free(&c->primary[i]);
	}
	free(c->name);
	cpk_blob_free(&c->name_raw);
	free(c);
	*cp = NULL;
}

static cpk_err
decode_one(cpk_container *c, const cpk_files *f, enum cpk_file_id id)
{
	const cpk_blob *b = f->f[id];
	int copy = id == CPK_F_MASKS2 || id == CPK_F_PRIMARY2;

	if (b == NULL)
		return f->err[id] != CPK_OK ? f->err[id] : CPK_E_MISSING;
	switch (id) {
	case CPK_F_HEADER:
		return cpk_header_decode(b->ptr, b->len, &c->header);
	case CPK_F_NAME:
		if (cpk_blob_new(b->ptr, b->len, &c->name_raw) != CPK_OK)
			return CPK_E_NOMEM;
		return cpk_name_decode(b->ptr, b->len, &c->name, &c->name_enc);
	case CPK_F_MASKS:
	case CPK_F_MASKS2:
		return cpk_masks_decode(b->ptr, b->len, &c->masks[copy]);
	case CPK_F_PRIMARY:
	case CPK_F_PRIMARY2:
		return cpk_primary_decode(b->ptr, b->len, &c->primary[copy]);
	case CPK_F_COUNT:
		break;
	}
	return CPK_E_ARG;
}

cpk_err
cpk_container_decode(const cpk_files *f, cpk_container **out)
{
	cpk_container *c;
	const cpk_keyparams *kp;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return CPK_E_NOMEM;
	for (int i = 0; i < CPK_F_COUNT; i++) {
		const cpk_blob *b = f->f[i];

		cpk_where_reset();
		c->err[i] = decode_one(c, f, (enum cpk_file_id)i);
		/* header.c names its own fields; for the other files only a
		 * cut is located (their decoders probe optional elements,
		 * and a probe's note is no place of failure) */
		if (i != CPK_F_HEADER) {
			cpk_where_reset();
			if (c->err[i] == CPK_E_TRUNCATED && b != NULL)
				cpk_where_at(cpk_der_cut_at(b->ptr, b->len));
		}
		if (c->err[i] != CPK_OK && b != NULL)
			cpk_where_take(b->ptr, b->len, &c->where[i]);
		if (c->err[i] == CPK_E_NOMEM) {
			cpk_container_free(&c);
			return CPK_E_NOMEM;
		}
	}
	if (c->header != NULL &&
	    (kp = cpk_header_params(c->header, 0)) != NULL) {
		c->profile = cpk_profile_by_oid(kp->alg);
		c->curve = cpk_curve_by_oid(kp->curve);
	}
	*out = c;
	return CPK_OK;
}

/* Re-encodes every part that parsed; name.key is never rewritten (§3.2:
 * CSP ignored a copy whose name.key was re-encoded), so its stored bytes
 * are carried over. */
cpk_err
cpk_container_encode(const cpk_container *c, cpk_files **out)
{
	cpk_files *f = NULL;
	cpk_err r = CPK_OK;

	*out = NULL;
	if ((r = cpk_files_new(&f)) != CPK_OK)
		return r;
	if (c->header != NULL &&
	    (r = cpk_header_encode(c->header, &f->f[CPK_F_HEADER])) != CPK_OK)
		goto out;
	if (c->name != NULL && c->name_raw != NULL &&
	    (r = cpk_blob_new(c->name_raw->ptr, c->name_raw->len,
	    &f->f[CPK_F_NAME])) != CPK_OK)
		goto out;
	for (int i = 0; i < 2; i++) {
		if (c->masks[i] != NULL && (r = cpk_masks_encode(c->masks[i],
		    &f->f[i ? CPK_F_MASKS2 : CPK_F_MASKS])) != CPK_OK)
			goto out;
		if (c->primary[i] != NULL && (r = cpk_primary_encode(
		    c->primary[i], &f->f[i ? CPK_F_PRIMARY2 : CPK_F_PRIMARY]))
		    != CPK_OK)
			goto out;
	}
	for (int i = 0; i < CPK_F_COUNT; i++)
		f->err[i] = f->f[i] != NULL ? CPK_OK : CPK_E_MISSING;
	*out = f;
	f = NULL;
out:
	cpk_files_free(&f);
	return r;
}
