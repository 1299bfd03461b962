/* GeneralizedTime "YYYYMMDDHHMMSSZ" and UTCTime "YYMMDDHHMMSSZ", UTC only. */
#include <string.h>
#include <time.h>

#include "internal.h"

static int
digits(const unsigned char *p, size_t n, int *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		*v = *v * 10 + (p[i] - '0');
	}
	return 0;
}

cpk_err
cpk_gentime_decode(const cpk_cur *c, time_t *out)
{
	const unsigned char *p = c->p;
	struct tm tm;
	int y, mo, d, h, mi, s;
	size_t yl;

	if (c->left == 15 && p[14] == 'Z')
		yl = 4;
	else if (c->left == 13 && p[12] == 'Z')
		yl = 2;
	else
		return CPK_E_FORMAT;
	if (digits(p, yl, &y) || digits(p + yl, 2, &mo) ||
	    digits(p + yl + 2, 2, &d) || digits(p + yl + 4, 2, &h) ||
	    digits(p + yl + 6, 2, &mi) || digits(p + yl + 8, 2, &s))
		return CPK_E_FORMAT;
	if (yl == 2)
		y += y < 50 ? 2000 : 1900;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    s > 60)
		return CPK_E_FORMAT;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	*out = timegm(&tm);
	return CPK_OK;
}

cpk_err
cpk_gentime_encode(time_t t, char out[16])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 16, "%Y%m%d%H%M%SZ", &tm) != 15)
		return CPK_E_RANGE;
	return CPK_OK;
}
