/* GeneralizedTime (X.680 §46, X.690 §11.7) in every form BER allows:
 * YYYYMMDDHH[MM[SS]][(.|,)fraction][Z|(+|-)HHMM]. The fraction is of the
 * smallest unit given; DER requires seconds, a '.', no trailing zero in the
 * fraction and 'Z'. Local time (no 'Z') is read as UTC, an offset is
 * applied; *form tells the caller which of these it met. Whole seconds:
 * a fraction is cut off, never rounded up. */
#include <string.h>
#include <time.h>

#include "internal.h"

#define GT_MAX_LEN	64	/* 10 digits, a long fraction, an offset */

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

static int
mdays(int y, int mo)
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mo == 2 && leap ? 29 : d[mo - 1];
}

cpk_err
cpk_gentime_decode_form(const cpk_cur *c, time_t *out, unsigned *form)
{
	const unsigned char *p = c->p;
	size_t n = c->left, i = 10, fd = 0;
	int y, mo, d, h, v, mi = 0, s = 0, units = 1, oh = 0, om = 0, sign = 0;
	long long unit, frac_s = 0, num = 0, den = 1;
	struct tm tm;
	unsigned f = 0;
	time_t t;

	if (n < 10 || n > GT_MAX_LEN || digits(p, 4, &y) ||
	    digits(p + 4, 2, &mo) || digits(p + 6, 2, &d) ||
	    digits(p + 8, 2, &h))
		return CPK_E_FORMAT;
	/* minutes, then seconds, each only after the one before */
	if (i + 2 <= n && digits(p + i, 2, &v) == 0) {
		mi = v;
		i += 2;
		units = 2;
		if (i + 2 <= n && digits(p + i, 2, &v) == 0) {
			s = v;
			i += 2;
			units = 3;
		}
	}
	if (units < 3)
		f |= CPK_GT_BER;
	if (i < n && (p[i] == '.' || p[i] == ',')) {
		if (p[i] == ',')
			f |= CPK_GT_BER;
		for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++, fd++)
			if (fd < 9) {	/* nanoseconds are enough */
				num = num * 10 + (p[i] - '0');
				den *= 10;
			}
		if (fd == 0)
			return CPK_E_FORMAT;
		if (p[i - 1] == '0')	/* DER: no trailing zero */
			f |= CPK_GT_BER;
		unit = units == 1 ? 3600 : units == 2 ? 60 : 1;
		frac_s = num * unit / den;
	}
	if (i < n && p[i] == 'Z')
		i++;
	else if (i < n && (p[i] == '+' || p[i] == '-')) {
		sign = p[i] == '+' ? 1 : -1;
		if (i + 5 != n || digits(p + i + 1, 2, &oh) ||
		    digits(p + i + 3, 2, &om) || oh > 23 || om > 59)
			return CPK_E_FORMAT;
		i += 5;
		f |= CPK_GT_OFFSET | CPK_GT_BER;
	} else
		f |= CPK_GT_LOCAL | CPK_GT_BER;
	if (i != n)
		return CPK_E_FORMAT;
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo) ||
	    h > 23 || mi > 59 || s > 60)
		return CPK_E_FORMAT;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	if ((t = timegm(&tm)) == (time_t)-1 && y != 1969)
		return CPK_E_RANGE;
	/* local time = UTC + offset */
	t += (time_t)frac_s - (time_t)sign * (oh * 3600 + om * 60);
	*out = t;
	if (form != NULL)
		*form = f;
	return CPK_OK;
}

cpk_err
cpk_gentime_decode(const cpk_cur *c, time_t *out)
{
	return cpk_gentime_decode_form(c, out, NULL);
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
