/* The text of a password file as the UTF-8 the KDF expects (FORMATS.md
 * §11.3): Notepad's UTF-8 BOM is dropped, and a file that is not UTF-8 is
 * read as CP1251, the Windows code page Russian users save in. The KDF
 * then tries the CP1251 bytes too (CPK_PW_CP1251), so the file's own bytes
 * are among the forms tried. Every buffer that held the text is wiped. */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>

#include <openssl/crypto.h>

#include "internal.h"

static int
valid_utf8(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t used;

	for (; n > 0; p += used, n -= used)
		if ((used = cpk_utf8_decode(p, n, &cp)) == 0)
			return 0;
	return 1;
}

/* CP1251 -> UTF-8 with iconv; 0x98, the one byte CP1251 leaves
 * undefined, makes it fail (CPK_E_RANGE). */
static cpk_err
from_cp1251(const unsigned char *p, size_t n, char *out, size_t cap)
{
	iconv_t cd;
	char *in = (char *)(uintptr_t)p, *o = out;
	size_t il = n, ol = cap - 1;
	cpk_err r = CPK_OK;

	if ((cd = iconv_open("UTF-8", "CP1251")) == (iconv_t)-1)
		return CPK_E_UNSUPPORTED;
	if (iconv(cd, &in, &il, &o, &ol) == (size_t)-1)
		r = errno == E2BIG ? CPK_E_TOO_BIG : CPK_E_RANGE;
	iconv_close(cd);
	*o = '\0';
	if (r != CPK_OK)
		OPENSSL_cleanse(out, cap);
	return r;
}

cpk_err
cpk_pw_text(const unsigned char *p, size_t n, char *out, size_t cap,
    enum cpk_pwtext *how)
{
	int bom = n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf;
	cpk_err r;

	*how = CPK_PWT_UTF8;
	if (cap == 0)
		return CPK_E_ARG;
	out[0] = '\0';
	if (bom) {
		p += 3;
		n -= 3;
		*how = CPK_PWT_UTF8_BOM;
	}
	if (memchr(p, '\0', n) != NULL)
		return CPK_E_FORMAT;	/* UTF-16, or not text at all */
	if (valid_utf8(p, n)) {
		if (n >= cap)
			return CPK_E_TOO_BIG;
		memcpy(out, p, n);
		out[n] = '\0';
		return CPK_OK;
	}
	if (bom)
		return CPK_E_FORMAT;	/* says UTF-8, is not */
	if ((r = from_cp1251(p, n, out, cap)) == CPK_OK)
		*how = CPK_PWT_CP1251;
	return r;
}

const char *
cpk_pwtext_name(enum cpk_pwtext how)
{
	switch (how) {
	case CPK_PWT_UTF8:
		return "utf-8";
	case CPK_PWT_UTF8_BOM:
		return "utf-8 (BOM)";
	case CPK_PWT_CP1251:
		return "cp1251";
	}
	return "unknown";
}
