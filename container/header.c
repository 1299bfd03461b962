/* header.key, GostKeyContainer (FORMATS.md §6): SEQUENCE {
 * keyContainerContent SEQUENCE {...}, hmacKeyContainerContent OCTET STRING(4)
 * }. The content is an ordered walk of 18 optional fields (§6.2); every
 * element is kept as its raw TLV so untouched fields re-encode byte for byte
 * and unknown ones are preserved, never dropped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "internal.h"

enum hf {
	HF_ALG, HF_NAME, HF_ATTRS, HF_PARAMS, HF_PWMAC, HF_SECENC, HF_PARAMS2,
	HF_CERT, HF_CERT2, HF_ENCNAME, HF_LINK, HF_LINK2, HF_FP, HF_FP2,
	HF_POLICY, HF_LEVEL, HF_EXT, HF_ENCNAME2, HF_COUNT, HF_UNKNOWN = 99
};
static const unsigned hf_tag[HF_COUNT] = {
	0xa0, 0x16, 0x03, 0x30, 0x82, 0xa3, 0xa4, 0x85, 0x86, 0x87, 0xa8,
	0xa9, 0x8a, 0x8b, 0x30, 0x02, 0xac, 0x8d
};

#define HDR_MAX_ELEMS	32
#define HDR_MAX_UNREAD	8

/* ASN.1 names of the fields (§6.1), for findings. */
static const char *const hf_name[HF_COUNT] = {
	"containerAlgoritmIdentifier", "containerName", "attributes",
	"primaryPrivateKeyParameters", "hmacPassword",
	"secondaryEncryptedPrivateKey", "secondaryPrivateKeyParameters",
	"primaryCertificate", "secondaryCertificate",
	"encryptionContainerName", "primaryCertificateLink",
	"secondaryCertificateLink", "primaryFP", "secondaryFP",
	"passwordPolicy", "containerSecurityLevel", "extensions",
	"secondaryEncryptionContainerName"
};

/* An optional field or extension that did not parse (§2.1): its bytes
 * stay in el[], only its typed view is missing. */
struct unread {
	char		 field[80];
	cpk_err		 why;
};

struct elem {
	int		 kind;
	cpk_blob	*raw;
};

struct cpk_header {
	struct elem	 el[HDR_MAX_ELEMS];
	size_t		 nel;
	cpk_blob	*root;		/* root TLV as stored */
	cpk_blob	*content;	/* keyContainerContent TLV as stored */
	unsigned char	 mac[4];
	size_t		 trailing;
	int		 ber, old;
	char		 version[48];
	unsigned	 attrs;
	cpk_keyparams	 params[2];
	int		 has_params[2];
	unsigned char	 pw_mac[4];
	int		 has_pw_mac;
	cpk_blob	*cert[2];
	unsigned char	 fp[2][8];
	int		 has_fp[2];
	time_t		 kv_nb, kv_na;
	int		 has_kv;
	unsigned	 kv_form[2];	/* CPK_GT_* of notBefore, notAfter */
	struct unread	 unread[HDR_MAX_UNREAD];
	size_t		 nunread;
};

static void
note_unreadable(cpk_header *h, const char *field, const char *oid,
    cpk_err why)
{
	struct unread *u;

	if (h->nunread == HDR_MAX_UNREAD)
		return;
	u = &h->unread[h->nunread++];
	snprintf(u->field, sizeof(u->field), "%s%s%s", field,
	    oid != NULL ? " " : "", oid != NULL ? oid : "");
	u->why = why;
}

/* Frees what the header owns, not the header itself. */
static void
release(cpk_header *h)
{
	for (size_t i = 0; i < h->nel; i++)
		cpk_blob_free(&h->el[i].raw);
	cpk_blob_free(&h->root);
	cpk_blob_free(&h->content);
	cpk_blob_free(&h->cert[0]);
	cpk_blob_free(&h->cert[1]);
}

void
cpk_header_free(cpk_header **hp)
{
	if (hp == NULL || *hp == NULL)
		return;
	release(*hp);
	free(*hp);
	*hp = NULL;
}

static cpk_err
decode_oid_in(const cpk_cur *contents, char *out, size_t cap)
{
	cpk_cur c = *contents;
	cpk_tlv t;
	cpk_err r;

	if ((r = cpk_tlv_expect(&c, 0x06, &t)) != CPK_OK)
		return r;
	return cpk_oid_to_text(&t.val, out, cap);
}

/* Key validity (§6.5): SEQUENCE { [0] notBefore, [1] notAfter }; any
 * GeneralizedTime form (gentime.c). Set only when all of it parses. */
static cpk_err
decode_validity(cpk_header *h, const cpk_cur *val)
{
	cpk_cur c = *val, in;
	cpk_tlv t;
	time_t tm[2] = { 0, 0 };
	unsigned form[2] = { 0, 0 };
	cpk_err r;

	if ((r = cpk_tlv_expect(&c, 0x30, &t)) != CPK_OK)
		return r;
	in = t.val;
	while (in.left > 0) {
		if ((r = cpk_tlv_next(&in, &t)) != CPK_OK)
			return r;
		if ((t.tag == 0x80 || t.tag == 0x81) &&
		    (r = cpk_gentime_decode_form(&t.val, &tm[t.tag & 1],
		    &form[t.tag & 1])) != CPK_OK)
			return r;
	}
	h->kv_nb = tm[0];
	h->kv_na = tm[1];
	h->kv_form[0] = form[0];
	h->kv_form[1] = form[1];
	h->has_kv = 1;
	return CPK_OK;
}

/* Every extension on its own: one that does not parse is noted by its
 * OID (or its place) and the others are still read. CPK_OK unless the
 * list itself cannot be walked or memory runs out. */
static cpk_err
decode_extensions(cpk_header *h, const cpk_cur *contents)
{
	cpk_cur c = *contents, e;
	cpk_tlv t, oid, v;
	char name[48], place[32];
	size_t idx = 0;
	cpk_err r;

	while (c.left > 0) {
		if ((r = cpk_tlv_next(&c, &t)) != CPK_OK)
			return r;
		idx++;
		e = t.val;
		name[0] = '\0';
		if (t.tag != 0x30)
			r = CPK_E_TAG;
		else if ((r = cpk_tlv_expect(&e, 0x06, &oid)) == CPK_OK)
			r = cpk_oid_to_text(&oid.val, name, sizeof(name));
		if (r != CPK_OK)
			name[0] = '\0';
		/* critical: optional, its value ignored */
		if (r == CPK_OK && (r = cpk_tlv_expect(&e, 0x01, &v)) ==
		    CPK_E_TAG)
			r = CPK_OK;
		if (r == CPK_OK)
			r = cpk_tlv_expect(&e, 0x04, &v);
		if (r == CPK_OK && (strcmp(name, "1.2.643.2.2.37.3.10") == 0 ||
		    strcmp(name, "1.2.643.2.2.37.3.9") == 0 ||
		    strcmp(name, "1.2.643.2.2.37.3.5") == 0))
			r = decode_validity(h, &v.val);
		if (r == CPK_E_NOMEM)
			return r;
		if (r != CPK_OK) {
			snprintf(place, sizeof(place), "#%zu", idx);
			note_unreadable(h, "extension", name[0] ? name : place,
			    r);
		}
	}
	return CPK_OK;
}

static cpk_err
copy_octets(const cpk_tlv *t, size_t want, unsigned char *out)
{
	if (t->val.left != want)
		return CPK_E_LENGTH;
	memcpy(out, t->val.p, want);
	return CPK_OK;
}

/* Fills the typed view of one element. */
static cpk_err
decode_field(cpk_header *h, int kind, const cpk_tlv *t)
{
	int sec = kind == HF_CERT2 || kind == HF_FP2 || kind == HF_PARAMS2;
	cpk_err r = CPK_OK;

	switch (kind) {
	case HF_ALG:
		r = decode_oid_in(&t->val, h->version, sizeof(h->version));
		if (r == CPK_OK && strcmp(h->version, "1.2.643.2.2.37.1") == 0)
			h->old = 1;
		break;
	case HF_NAME:
		h->old = 1;
		break;
	case HF_ATTRS:
		r = cpk_bits_decode(&t->val, &h->attrs);
		break;
	case HF_PARAMS:
	case HF_PARAMS2:
		r = cpk_keyparams_decode(&t->val, &h->params[sec]);
		h->has_params[sec] = r == CPK_OK;
		break;
	case HF_PWMAC:
		r = copy_octets(t, 4, h->pw_mac);
		h->has_pw_mac = r == CPK_OK;
		break;
	case HF_CERT:
	case HF_CERT2:
		r = cpk_blob_new(t->val.p, t->val.left, &h->cert[sec]);
		break;
	case HF_FP:
	case HF_FP2:
		r = copy_octets(t, 8, h->fp[sec]);
		h->has_fp[sec] = r == CPK_OK;
		break;
	case HF_EXT:
		r = decode_extensions(h, &t->val);
		break;
	default:
		break;
	}
	return r;
}

static cpk_err
add_elem(cpk_header *h, int kind, const unsigned char *p, size_t len)
{
	if (h->nel == HDR_MAX_ELEMS)
		return CPK_E_RANGE;
	h->el[h->nel].kind = kind;
	return cpk_blob_new(p, len, &h->el[h->nel++].raw);
}

/* The field an element with this tag is, when it comes after field pos
 * (the content's fields are in a fixed order, §6.2). */
static const char *
field_of_tag(unsigned tag, int pos)
{
	for (int k = pos; k < HF_COUNT; k++)
		if (hf_tag[k] == tag)
			return hf_name[k];
	return "keyContainerContent";
}

static cpk_err
decode_content(cpk_header *h, const cpk_cur *contents)
{
	cpk_cur c = *contents;
	cpk_tlv t;
	int pos = 0, kind, seen_attrs = 0, seen_params = 0;
	cpk_err r;

	while (c.left > 0) {
		unsigned tag = c.p[0];

		/* what earlier, whole elements noted (an optional part
		 * probed for and absent) is not where this one stops */
		cpk_where_reset();
		if ((r = cpk_tlv_next(&c, &t)) != CPK_OK) {
			cpk_where_field(field_of_tag(tag, pos));
			return r;
		}
		h->ber |= t.indefinite | t.nonminimal;
		kind = HF_UNKNOWN;
		for (int k = pos; k < HF_COUNT; k++)
			if (hf_tag[k] == t.tag) {
				kind = k;
				pos = k + 1;
				break;
			}
		if ((r = add_elem(h, kind, t.raw, t.raw_len)) != CPK_OK)
			return r;
		/* only the required fields and memory fail the header; an
		 * optional one is noted and its bytes kept (§2.1) */
		if ((r = decode_field(h, kind, &t)) != CPK_OK) {
			if (r == CPK_E_NOMEM)
				return r;
			if (kind == HF_ATTRS || kind == HF_PARAMS) {
				cpk_where_at(t.raw);
				cpk_where_field(hf_name[kind]);
				return r;
			}
			if (kind == HF_ALG)
				h->version[0] = '\0';
			note_unreadable(h, hf_name[kind], NULL, r);
		}
		seen_attrs |= kind == HF_ATTRS;
		seen_params |= kind == HF_PARAMS;
	}
	if (seen_attrs && seen_params)
		return CPK_OK;
	cpk_where_reset();
	cpk_where_field(hf_name[seen_attrs ? HF_PARAMS : HF_ATTRS]);
	return CPK_E_FORMAT;		/* a required field is absent */
}

/* A file cut short fails at its root, whose length runs past the end:
 * walk what is there to name the field in which the bytes stop. */
static void
locate_cut(const unsigned char *p, size_t len)
{
	cpk_cur c = { p, len };
	cpk_tlv t;
	unsigned tag;
	size_t clen, end;
	int pos = 0, whole;

	cpk_where_reset();
	if (cpk_tlv_head(&c, &tag, &clen) != CPK_OK || tag != 0x30 ||
	    cpk_tlv_head(&c, &tag, &clen) != CPK_OK || tag != 0x30) {
		cpk_where_at(p);
		return;
	}
	/* the content's elements, up to its end or the cut */
	whole = clen <= c.left;
	end = whole ? c.left - clen : 0;
	while (c.left > end) {
		tag = c.p[0];
		if (cpk_tlv_next(&c, &t) != CPK_OK) {
			cpk_where_field(field_of_tag(tag, pos));
			return;
		}
		for (int k = pos; k < HF_COUNT; k++)
			if (hf_tag[k] == t.tag) {
				pos = k + 1;
				break;
			}
	}
	/* every element is whole: the bytes stop in the MAC after the
	 * content, or between two of the content's elements */
	cpk_where_at(c.p);
	cpk_where_field(whole ? "hmacKeyContainerContent" :
	    "keyContainerContent");
}

cpk_err
cpk_header_decode(const unsigned char *p, size_t len, cpk_header **out)
{
	cpk_header *h = NULL;
	cpk_tlv root, content, mac;
	cpk_cur c;
	cpk_err r;

	*out = NULL;
	if ((r = cpk_der_root(p, len, &root, &len)) != CPK_OK) {
		if (r == CPK_E_TRUNCATED)
			locate_cut(p, len);
		goto fail;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return CPK_E_NOMEM;
	h->trailing = len;
	if (root.tag != 0x30) {
		r = CPK_E_TAG;
		goto fail;
	}
	c = root.val;
	if ((r = cpk_tlv_expect(&c, 0x30, &content)) != CPK_OK) {
		cpk_where_field("keyContainerContent");
		goto fail;
	}
	if ((r = cpk_tlv_expect(&c, 0x04, &mac)) != CPK_OK) {
		cpk_where_field("hmacKeyContainerContent");
		goto fail;
	}
	if (c.left != 0) {	/* a V4 header or other shape (§17.2) */
		r = CPK_E_UNSUPPORTED;
		goto fail;
	}
	if ((r = copy_octets(&mac, 4, h->mac)) != CPK_OK) {
		cpk_where_at(mac.raw);
		cpk_where_field("hmacKeyContainerContent");
		goto fail;
	}
	h->ber = root.indefinite | root.nonminimal | content.indefinite |
	    content.nonminimal;
	if ((r = cpk_blob_new(root.raw, root.raw_len, &h->root)) != CPK_OK ||
	    (r = cpk_blob_new(content.raw, content.raw_len, &h->content)) !=
	    CPK_OK || (r = decode_content(h, &content.val)) != CPK_OK)
		goto fail;
	*out = h;
	return CPK_OK;
fail:
	cpk_header_free(&h);
	return r;
}

cpk_err
cpk_header_encode(const cpk_header *h, cpk_blob **out)
{
	return cpk_blob_new(h->root->ptr, h->root->len, out);
}

/* Re-encodes the content from the elements with the given MAC and decodes
 * the result back into h, so the typed view always matches the bytes. */
static cpk_err
rebuild(cpk_header *h, const unsigned char mac[4])
{
	cpk_blob *content = NULL, *inner = NULL, *root = NULL;
	cpk_header *n = NULL;
	cpk_err r;

	if ((r = cpk_blob_new(NULL, 0, &content)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &inner)) != CPK_OK ||
	    (r = cpk_blob_new(NULL, 0, &root)) != CPK_OK)
		goto out;
	for (size_t i = 0; i < h->nel; i++)
		if ((r = cpk_blob_append(content, h->el[i].raw->ptr,
		    h->el[i].raw->len)) != CPK_OK)
			goto out;
	if ((r = cpk_der_wrap(inner, 0x30, content)) != CPK_OK ||
	    (r = cpk_der_put(inner, 0x04, mac, 4)) != CPK_OK ||
	    (r = cpk_der_wrap(root, 0x30, inner)) != CPK_OK ||
	    (r = cpk_header_decode(root->ptr, root->len, &n)) != CPK_OK)
		goto out;
	release(h);
	*h = *n;
	free(n);
	n = NULL;
out:
	cpk_blob_free(&content);
	cpk_blob_free(&inner);
	cpk_blob_free(&root);
	cpk_header_free(&n);
	return r;
}

/* Replaces the element of one kind, or inserts it before the first known
 * field that comes later (§6.2 order); takes ownership of raw. A NULL raw
 * removes the element. */
static cpk_err
set_element(cpk_header *h, int kind, cpk_blob *raw)
{
	size_t i, at;
	cpk_err r;

	for (i = 0; i < h->nel && h->el[i].kind != kind; i++)
		;
	if (raw == NULL) {
		if (i == h->nel)
			return CPK_OK;
		cpk_blob_free(&h->el[i].raw);
		memmove(&h->el[i], &h->el[i + 1],
		    (h->nel - i - 1) * sizeof(h->el[0]));
		h->nel--;
	} else if (i < h->nel) {
		cpk_blob_free(&h->el[i].raw);
		h->el[i].raw = raw;
	} else {
		if (h->nel == HDR_MAX_ELEMS) {
			cpk_blob_free(&raw);
			return CPK_E_RANGE;
		}
		for (at = 0; at < h->nel; at++)
			if (h->el[at].kind != HF_UNKNOWN &&
			    h->el[at].kind > kind)
				break;
		memmove(&h->el[at + 1], &h->el[at],
		    (h->nel - at) * sizeof(h->el[0]));
		h->el[at].kind = kind;
		h->el[at].raw = raw;
		h->nel++;
	}
	r = rebuild(h, h->mac);
	return r;
}

cpk_err
cpk_header_set_cert(cpk_header *h, int secondary, const cpk_blob *cert)
{
	int kind = secondary ? HF_CERT2 : HF_CERT;
	cpk_blob *raw = NULL;
	cpk_err r;

	if (cert == NULL)
		return set_element(h, kind, NULL);
	if ((r = cpk_blob_new(NULL, 0, &raw)) != CPK_OK ||
	    (r = cpk_der_wrap(raw, hf_tag[kind], cert)) != CPK_OK) {
		cpk_blob_free(&raw);
		return r;
	}
	return set_element(h, kind, raw);
}

cpk_err
cpk_header_set_params(cpk_header *h, int secondary, const cpk_keyparams *kp)
{
	int kind = secondary ? HF_PARAMS2 : HF_PARAMS;
	cpk_blob *raw = NULL;
	cpk_err r;

	if ((r = cpk_blob_new(NULL, 0, &raw)) != CPK_OK ||
	    (r = cpk_keyparams_encode(kp, hf_tag[kind], raw)) != CPK_OK) {
		cpk_blob_free(&raw);
		return r;
	}
	return set_element(h, kind, raw);
}

/* Sets or clears the password: attribute bit 0 (kccaSoftPassword) and
 * the check value [2] go together (§13.3). */
cpk_err
cpk_header_set_password(cpk_header *h, const unsigned char *pw_mac)
{
	unsigned attrs = pw_mac != NULL ? h->attrs | CPK_CA_PASSWORD :
	    h->attrs & ~CPK_CA_PASSWORD;
	cpk_blob *raw = NULL;
	cpk_err r;

	if ((r = cpk_blob_new(NULL, 0, &raw)) != CPK_OK ||
	    (r = cpk_der_put_bits(raw, attrs)) != CPK_OK) {
		cpk_blob_free(&raw);
		return r;
	}
	if ((r = set_element(h, HF_ATTRS, raw)) != CPK_OK)	/* owns raw */
		return r;
	if (pw_mac == NULL)
		return set_element(h, HF_PWMAC, NULL);
	raw = NULL;
	if ((r = cpk_blob_new(NULL, 0, &raw)) != CPK_OK ||
	    (r = cpk_der_put(raw, 0x82, pw_mac, 4)) != CPK_OK) {
		cpk_blob_free(&raw);
		return r;
	}
	return set_element(h, HF_PWMAC, raw);
}

cpk_err
cpk_header_update_mac(cpk_header *h, enum cpk_profile p)
{
	static const unsigned char zero[32];
	unsigned char mac[4];
	cpk_err r;

	if ((r = rebuild(h, h->mac)) != CPK_OK ||
	    (r = cpk_gost_mac4(cpk_profile_sbox(p), zero, h->content->ptr,
	    h->content->len, mac)) != CPK_OK)
		return r;
	return rebuild(h, mac);
}

/* The content SEQUENCE re-encoded with a definite length around the
 * stored elements: the DER form of a BER (indefinite) header. */
static cpk_err
content_der(const cpk_header *h, cpk_blob **out)
{
	cpk_blob *in = NULL;
	cpk_err r;

	*out = NULL;
	if ((r = cpk_blob_new(NULL, 0, &in)) != CPK_OK)
		return r;
	for (size_t i = 0; i < h->nel && r == CPK_OK; i++)
		r = cpk_blob_append(in, h->el[i].raw->ptr, h->el[i].raw->len);
	if (r == CPK_OK && (r = cpk_blob_new(NULL, 0, out)) == CPK_OK &&
	    (r = cpk_der_wrap(*out, 0x30, in)) != CPK_OK)
		cpk_blob_free(out);
	cpk_blob_free(&in);
	return r;
}

/* §13.2: the MAC covers the content TLV as stored; for a BER header the
 * input CSP used is unknown, so the DER re-encoding is tried too. */
cpk_err
cpk_header_check_mac(const cpk_header *h, enum cpk_profile p)
{
	static const unsigned char zero[32];
	unsigned char mac[4];
	cpk_blob *der = NULL;
	cpk_err r;

	if ((r = cpk_gost_mac4(cpk_profile_sbox(p), zero, h->content->ptr,
	    h->content->len, mac)) != CPK_OK)
		return r;
	if (CRYPTO_memcmp(mac, h->mac, 4) == 0)
		return CPK_OK;
	if (!h->ber || content_der(h, &der) != CPK_OK)
		return CPK_E_MAC;
	r = cpk_gost_mac4(cpk_profile_sbox(p), zero, der->ptr, der->len, mac);
	cpk_blob_free(&der);
	if (r != CPK_OK)
		return r;
	return CRYPTO_memcmp(mac, h->mac, 4) == 0 ? CPK_OK : CPK_E_MAC;
}

const char *
cpk_header_version_oid(const cpk_header *h)
{
	return h->version;
}

unsigned
cpk_header_attrs(const cpk_header *h)
{
	return h->attrs;
}

const cpk_keyparams *
cpk_header_params(const cpk_header *h, int sec)
{
	return h->has_params[sec != 0] ? &h->params[sec != 0] : NULL;
}

const cpk_blob *
cpk_header_cert(const cpk_header *h, int sec)
{
	return h->cert[sec != 0];
}

const unsigned char *
cpk_header_fp(const cpk_header *h, int sec)
{
	return h->has_fp[sec != 0] ? h->fp[sec != 0] : NULL;
}

const unsigned char *
cpk_header_pw_mac(const cpk_header *h)
{
	return h->has_pw_mac ? h->pw_mac : NULL;
}

const unsigned char *
cpk_header_mac(const cpk_header *h)
{
	return h->mac;
}

const cpk_blob *
cpk_header_content(const cpk_header *h)
{
	return h->content;
}

int
cpk_header_key_validity(const cpk_header *h, time_t *nb, time_t *na)
{
	*nb = h->kv_nb;
	*na = h->kv_na;
	return h->has_kv;
}

unsigned
cpk_header_key_validity_form(const cpk_header *h, int not_after)
{
	return h->has_kv ? h->kv_form[not_after != 0] : 0;
}

size_t
cpk_header_unreadable_count(const cpk_header *h)
{
	return h->nunread;
}

const char *
cpk_header_unreadable(const cpk_header *h, size_t i, cpk_err *why)
{
	if (i >= h->nunread)
		return NULL;
	if (why != NULL)
		*why = h->unread[i].why;
	return h->unread[i].field;
}

int
cpk_header_is_old(const cpk_header *h)
{
	return h->old;
}

size_t
cpk_header_trailing(const cpk_header *h)
{
	return h->trailing;
}

int
cpk_header_is_ber(const cpk_header *h)
{
	return h->ber;
}
