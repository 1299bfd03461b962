/* A minimal regf hive: a 4 KiB base block and one 4 KiB hbin holding the
 * root nk cell, one sk cell (hivex needs the parent's security cell to add
 * children) and a free cell. Field layout as in hivex's and the Windows
 * regf format's documentation; checksum = XOR of the first 127 dwords. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hivex.h>

#include "mkhive.h"

static void
le32(unsigned char *p, unsigned long v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void
le16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

int
mkhive_empty(const char *path)
{
	static unsigned char h[0x2000];
	unsigned char *bin = h + 0x1000, *nk = bin + 0x20, *sk;
	unsigned long sum = 0;
	const size_t nk_size = 88, sk_size = 48;	/* 8-aligned */
	const size_t nk_off = 0x20, sk_off = 0x20 + 88;
	FILE *f;

	memset(h, 0, sizeof(h));
	memcpy(h, "regf", 4);
	le32(h + 0x04, 1);		/* sequence numbers: equal = clean */
	le32(h + 0x08, 1);
	le32(h + 0x14, 1);		/* version 1.3 */
	le32(h + 0x18, 3);
	le32(h + 0x20, 1);		/* file format: direct memory load */
	le32(h + 0x24, nk_off);		/* root cell, relative to 0x1000 */
	le32(h + 0x28, 0x1000);		/* size of the hive bins */
	le32(h + 0x2c, 1);		/* clustering factor */
	for (int i = 0; i < 127; i++)
		sum ^= (unsigned long)h[4 * i] | (unsigned long)h[4 * i + 1] <<
		    8 | (unsigned long)h[4 * i + 2] << 16 |
		    (unsigned long)h[4 * i + 3] << 24;
	le32(h + 0x1fc, sum);

	memcpy(bin, "hbin", 4);
	le32(bin + 0x04, 0);		/* offset of this bin */
	le32(bin + 0x08, 0x1000);	/* its size */

	le32(nk, (unsigned long)-(long)nk_size);	/* used cell */
	memcpy(nk + 4, "nk", 2);
	le16(nk + 6, 0x2c);		/* root, no delete, ASCII name */
	le32(nk + 0x14, 0xffffffff);	/* parent */
	le32(nk + 0x20, 0xffffffff);	/* subkey list */
	le32(nk + 0x24, 0xffffffff);	/* volatile subkey list */
	le32(nk + 0x2c, 0xffffffff);	/* value list */
	le32(nk + 0x30, sk_off);	/* security cell */
	le32(nk + 0x34, 0xffffffff);	/* class name */
	le16(nk + 0x4c, 4);		/* name length */
	memcpy(nk + 0x50, "ROOT", 4);

	sk = bin + sk_off;
	le32(sk, (unsigned long)-(long)sk_size);
	memcpy(sk + 4, "sk", 2);
	le32(sk + 0x08, sk_off);	/* a one-element ring */
	le32(sk + 0x0c, sk_off);
	le32(sk + 0x10, 1);		/* reference count */
	le32(sk + 0x14, 20);		/* descriptor length */
	sk[0x18] = 1;			/* self-relative, NULL DACL */
	le16(sk + 0x1a, 0x8004);

	/* the rest of the bin is one free cell */
	le32(bin + sk_off + sk_size, 0x1000 - sk_off - sk_size);

	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	if (fwrite(h, 1, sizeof(h), f) != sizeof(h)) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

static hive_node_h
get_or_add(hive_h *h, hive_node_h parent, const char *name)
{
	hive_node_h n = hivex_node_get_child(h, parent, name);

	return n != 0 ? n : hivex_node_add_child(h, parent, name);
}

int
mkhive_add(const char *path, const char *base, const char *sid,
    const char *name, const cpk_files *f)
{
	hive_h *h;
	hive_node_h n;
	hive_set_value vals[CPK_F_COUNT];
	size_t nv = 0;
	int rc = -1;

	if ((h = hivex_open(path, HIVEX_OPEN_WRITE)) == NULL)
		return -1;
	n = hivex_root(h);
	if (base[0] != '\0')
		n = get_or_add(h, n, base);
	n = get_or_add(h, get_or_add(h, n, "Crypto Pro"), "Settings");
	if (sid != NULL)
		n = get_or_add(h, get_or_add(h, n, "Users"), sid);
	n = get_or_add(h, get_or_add(h, n, "Keys"), name);
	for (int i = 0; n != 0 && i < CPK_F_COUNT; i++)
		if (f->f[i] != NULL) {
			vals[nv].key = (char *)(uintptr_t)cpk_file_name(
			    (enum cpk_file_id)i);
			vals[nv].t = hive_t_REG_BINARY;
			vals[nv].len = f->f[i]->len;
			vals[nv].value = (char *)f->f[i]->ptr;
			nv++;
		}
	if (n != 0 && hivex_node_set_values(h, n, nv, vals, 0) == 0 &&
	    hivex_commit(h, path, 0) == 0)
		rc = 0;
	hivex_close(h);
	return rc;
}

int
mkhive_profile(const char *path, const char *sid, const char *profile)
{
	hive_h *h;
	hive_node_h n;
	hive_set_value v;
	char utf16[512];
	size_t len = 0;
	int rc = -1;

	/* ASCII profile paths only: enough for the tests */
	for (const char *p = profile; *p != '\0' && len + 4 <= sizeof(utf16);
	    p++) {
		utf16[len++] = *p;
		utf16[len++] = '\0';
	}
	utf16[len++] = '\0';
	utf16[len++] = '\0';
	if ((h = hivex_open(path, HIVEX_OPEN_WRITE)) == NULL)
		return -1;
	n = get_or_add(h, get_or_add(h, get_or_add(h, get_or_add(h,
	    get_or_add(h, hivex_root(h), "Microsoft"), "Windows NT"),
	    "CurrentVersion"), "ProfileList"), sid);
	v.key = (char *)(uintptr_t)"ProfileImagePath";
	v.t = hive_t_REG_EXPAND_SZ;
	v.len = len;
	v.value = utf16;
	if (n != 0 && hivex_node_set_values(h, n, 1, &v, 0) == 0 &&
	    hivex_commit(h, path, 0) == 0)
		rc = 0;
	hivex_close(h);
	return rc;
}
