/* FAT directory entries (Microsoft's FAT specification): 32-byte entries
 * read in order, long-name parts (UCS-2, stored last part first) gathered
 * before the 8.3 entry they belong to; a deleted entry's first byte is
 * 0xE5 and its 8.3 name has lost its first letter. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* The long name collected from LFN entries (UCS-2, stored last part
 * first), as UTF-8; non-ASCII becomes '?', which only names a folder. */
static void
lfn_text(unsigned char lfn[][32], size_t n, char *out, size_t cap)
{
	static const int pos[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24,
	    28, 30 };
	size_t k = 0;

	for (size_t e = n; e-- > 0;)
		for (int i = 0; i < 13 && k + 1 < cap; i++) {
			uint16_t ch = le16(lfn[e] + pos[i]);
			if (ch == 0 || ch == 0xffff)
				break;
			out[k++] = ch < 0x80 ? (char)ch : '?';
		}
	out[k] = '\0';
}

static unsigned char
tolower_ascii(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static void
sfn_text(const unsigned char *e, char *out, size_t cap)
{
	char base[9], ext[4];
	int lb = e[12] & 0x08, le = e[12] & 0x10;	/* NT lower-case bits */
	size_t n;

	for (n = 0; n < 8 && e[n] != ' '; n++)
		base[n] = (char)(lb ? tolower_ascii(e[n]) : e[n]);
	base[n] = '\0';
	for (n = 0; n < 3 && e[8 + n] != ' '; n++)
		ext[n] = (char)(le ? tolower_ascii(e[8 + n]) : e[8 + n]);
	ext[n] = '\0';
	if (base[0] == (char)0xe5 || base[0] == (char)0x05)
		base[0] = '_';			/* the deleted first letter */
	snprintf(out, cap, "%s%s%s", base, ext[0] ? "." : "", ext);
}


int
cpk_fat_dir_next(struct cpk_fat_dirit *it, struct cpk_fat_dent *v)
{
	for (; it->off + 32 <= it->d->len; it->off += 32) {
		const unsigned char *e = it->d->ptr + it->off;
		if (e[0] == 0x00)
			return 0;		/* end of the directory */
		if (e[11] == 0x0f) {		/* long-name part */
			if (it->nl < 20)
				memcpy(it->lfn[it->nl++], e, 32);
			continue;
		}
		if ((e[11] & 0x08) || e[0] == '.') {	/* label, . and .. */
			it->nl = 0;
			continue;
		}
		memset(v, 0, sizeof(*v));
		v->deleted = e[0] == 0xe5;
		v->dir = (e[11] & 0x10) != 0;
		v->cluster = (uint32_t)le16(e + 20) << 16 | le16(e + 26);
		v->size = le32(e + 28);
		if (it->nl > 0)
			lfn_text(it->lfn, it->nl, v->name, sizeof(v->name));
		if (v->name[0] == '\0')
			sfn_text(e, v->name, sizeof(v->name));
		it->nl = 0;
		it->off += 32;
		return 1;
	}
	return 0;
}

/* Which of the six files a directory entry names; a deleted 8.3 name
 * has lost its first letter, so only the rest is compared then. */
int
cpk_fat_key_slot(const struct cpk_fat_dent *e)
{
	for (int i = 0; i < CPK_F_COUNT; i++) {
		const char *k = cpk_file_name((enum cpk_file_id)i);
		if (strcasecmp(e->name, k) == 0 || (e->name[0] == '_' &&
		    strcasecmp(e->name + 1, k + 1) == 0))
			return i;
	}
	return -1;
}
