/* One container's summary line: what cpkit-list prints per container. */
#include <string.h>

#include "internal.h"

cpk_err
cpk_summarize(const cpk_ref *ref, const cpk_files *f, const cpk_container *c,
    time_t now, cpk_summary *s)
{
	const cpk_keyparams *kp = NULL;
	const cpk_blob *cert;
	time_t nb;

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
		s->has_cert = cert != NULL &&
		    cpk_cert_parse(cert->ptr, cert->len, &s->cert) == CPK_OK;
		cpk_header_key_validity(c->header, &nb, &s->key_not_after);
		if ((kp = cpk_header_params(c->header, 1)) != NULL) {
			s->kind2 = kp->attrs & CPK_KA_EXCHANGE ? "exchange" :
			    "signature";
			cert = cpk_header_cert(c->header, 1);
			s->has_cert2 = cert != NULL && cpk_cert_parse(cert->ptr,
			    cert->len, &s->cert2) == CPK_OK;
		}
	}
	for (int i = 0; i < CPK_F_COUNT; i++) {
		/* a token file behind the PIN is there, only not read */
		s->present[i] = f->f[i] != NULL ||
		    f->err[i] == CPK_E_PIN_NEEDED;
		s->size[i] = f->size[i];
	}
	if (cpk_check_offline(f, c, now, &s->findings) != CPK_OK)
		return CPK_E_NOMEM;
	s->status = cpk_status(&s->findings);
	return CPK_OK;
}

void
cpk_summary_free(cpk_summary *s)
{
	cpk_findings_free(&s->findings);
}
