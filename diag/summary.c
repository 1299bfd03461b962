/* One container's summary line: what cpkit-list prints per container. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The certificate's summary on the heap; *out stays NULL when it does
 * not parse (the checks report that), CPK_E_NOMEM only on memory. */
static cpk_err
parsed(const cpk_blob *cert, cpk_cert_info **out)
{
	cpk_cert_info *ci;

	*out = NULL;
	if ((ci = malloc(sizeof(*ci))) == NULL)
		return CPK_E_NOMEM;
	if (cpk_cert_parse(cert->ptr, cert->len, ci) != CPK_OK) {
		free(ci);
		return CPK_OK;
	}
	*out = ci;
	return CPK_OK;
}

cpk_err
cpk_summarize(const cpk_ref *ref, const cpk_files *f, const cpk_container *c,
    time_t now, cpk_summary *s)
{
	const cpk_keyparams *kp = NULL;
	const cpk_blob *cert;
	time_t nb;
	cpk_err r = CPK_OK;

	memset(s, 0, sizeof(*s));
	s->fqcn = ref->fqcn;
	s->location = ref->location;
	s->name = c->name != NULL ? c->name : ref->name;
	s->media = ref->media;
	s->sid = ref->sid;
	s->user = ref->user;
	s->algorithm = c->profile != CPK_P_NONE ?
	    cpk_profile_name(c->profile) : NULL;
	s->exportable = -1;
	if (c->header != NULL && (kp = cpk_header_params(c->header, 0))) {
		s->kind = kp->attrs & CPK_KA_EXCHANGE ? "exchange" :
		    "signature";
		s->exportable = (kp->attrs & CPK_KA_EXPORTABLE) != 0;
	}
	if (c->header != NULL) {
		cert = cpk_header_cert(c->header, 0);
		if (cert != NULL && (r = parsed(cert, &s->cert)) != CPK_OK)
			goto out;
		s->has_cert = s->cert != NULL;
		cpk_header_key_validity(c->header, &nb, &s->key_not_after);
		s->key_usage_end = cpk_key_usage_end(c, s->cert, 0,
		    &s->key_usage_src);
		if ((kp = cpk_header_params(c->header, 1)) != NULL) {
			s->kind2 = kp->attrs & CPK_KA_EXCHANGE ? "exchange" :
			    "signature";
			cert = cpk_header_cert(c->header, 1);
			if (cert != NULL && (r = parsed(cert, &s->cert2)) !=
			    CPK_OK)
				goto out;
			s->has_cert2 = s->cert2 != NULL;
		}
	}
	for (int i = 0; i < CPK_F_COUNT; i++) {
		/* a token file behind the PIN is there, only not read */
		s->present[i] = f->f[i] != NULL ||
		    f->err[i] == CPK_E_PIN_NEEDED;
		s->size[i] = f->size[i];
	}
	if (cpk_check_offline(f, c, now, &s->findings) != CPK_OK) {
		r = CPK_E_NOMEM;
		goto out;
	}
	s->status = cpk_status(&s->findings);
out:
	if (r != CPK_OK)
		cpk_summary_clear(s);
	return r;
}

void
cpk_summary_clear(cpk_summary *s)
{
	cpk_findings_clear(&s->findings);
	free(s->cert);
	free(s->cert2);
	s->cert = s->cert2 = NULL;
	s->has_cert = s->has_cert2 = 0;
}
