/* The current time of verdicts and the private key usage period of a
 * certificate (FORMATS.md §6.5). CPKIT_NOW pins "now" for tests; calendar
 * months are counted on UTC dates. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int
leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(long y, int m)	/* m 1..12 */
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* n ASCII digits at s, or -1. */
static long
digits(const char *s, int n)
{
	long v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS with an optional Z; always UTC. */
cpk_err
cpk_time_parse_iso(const char *s, time_t *out)
{
	struct tm tm;
	long y, mo, d, h = 0, mi = 0, se = 0;
	size_t n = strlen(s);

	if (n != 10 && n != 19 && !(n == 20 && s[19] == 'Z'))
		return CPK_E_FORMAT;
	if ((y = digits(s, 4)) < 1970 || s[4] != '-' ||
	    (mo = digits(s + 5, 2)) < 1 || mo > 12 || s[7] != '-' ||
	    (d = digits(s + 8, 2)) < 1 || d > month_days(y, (int)mo))
		return CPK_E_FORMAT;
	if (n > 10 && (s[10] != 'T' || (h = digits(s + 11, 2)) < 0 ||
	    h > 23 || s[13] != ':' || (mi = digits(s + 14, 2)) < 0 ||
	    mi > 59 || s[16] != ':' || (se = digits(s + 17, 2)) < 0 ||
	    se > 59))
		return CPK_E_FORMAT;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)(y - 1900);
	tm.tm_mon = (int)mo - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = (int)h;
	tm.tm_min = (int)mi;
	tm.tm_sec = (int)se;
	*out = timegm(&tm);
	return *out == (time_t)-1 ? CPK_E_RANGE : CPK_OK;
}

cpk_err
cpk_now_check(void)
{
	const char *s = getenv("CPKIT_NOW");
	time_t t;

	return s == NULL || *s == '\0' ? CPK_OK : cpk_time_parse_iso(s, &t);
}

time_t
cpk_now(void)
{
	const char *s = getenv("CPKIT_NOW");
	time_t t;

	if (s != NULL && *s != '\0' && cpk_time_parse_iso(s, &t) == CPK_OK)
		return t;
	return time(NULL);
}

/* t + months calendar months; a day the target month lacks becomes its
 * last day (2025-01-31 + 1 month = 2025-02-28). The time of day stays. */
time_t
cpk_add_months(time_t t, int months)
{
	struct tm tm;
	long m, y;
	int last;

	if (gmtime_r(&t, &tm) == NULL)
		return t;
	m = (long)tm.tm_mon + months;
	y = (long)tm.tm_year + 1900 + (m >= 0 ? m / 12 : -((11 - m) / 12));
	m = ((m % 12) + 12) % 12;
	last = month_days(y, (int)m + 1);
	tm.tm_year = (int)(y - 1900);
	tm.tm_mon = (int)m;
	if (tm.tm_mday > last)
		tm.tm_mday = last;
	tm.tm_isdst = 0;
	return timegm(&tm);
}

time_t
cpk_cert_key_end(const cpk_cert_info *ci, enum cpk_key_src *src)
{
	if (ci->pkup_not_after != 0) {
		*src = CPK_KEY_SRC_PKUP;
		return ci->pkup_not_after;
	}
	*src = CPK_KEY_SRC_15M;
	return cpk_add_months(ci->not_before, CPK_KEY_MONTHS);
}

time_t
cpk_cert_key_end_to_write(const cpk_cert_info *ci)
{
	enum cpk_key_src src;
	time_t end = cpk_cert_key_end(ci, &src);

	return src == CPK_KEY_SRC_15M && ci->not_after < end ? ci->not_after :
	    end;
}

double
cpk_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
