/* UTF-8 and UTF-16 conversions for the Win32 wide calls (proc.h): cpkit
 * is UTF-8 inside, Windows UTF-16 at its API. Invalid sequences are
 * refused, not replaced, so that a name never silently changes. */
#include <stdlib.h>
#include <windows.h>

wchar_t *
cpk_proc_wide(const char *utf8)
{
	wchar_t *w;
	int n;

	n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1,
	    NULL, 0);
	if (n <= 0 || (w = malloc((size_t)n * sizeof(*w))) == NULL)
		return NULL;
	MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, w, n);
	return w;
}

char *
cpk_proc_utf8(const wchar_t *wide)
{
	char *s;
	int n;

	n = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, wide, -1, NULL,
	    0, NULL, NULL);
	if (n <= 0 || (s = malloc((size_t)n)) == NULL)
		return NULL;
	WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, wide, -1, s, n,
	    NULL, NULL);
	return s;
}

void
cpk_proc_wide_wipe(wchar_t *w)
{
	if (w != NULL)
		SecureZeroMemory(w, wcslen(w) * sizeof(*w));
	free(w);
}
