/* retention.c: retention periods of materials (policy 12.6.9). */
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "retention.h"

/* Digits before unit, at most max of them: the value, or -1 when absent. */
static int part(const char **s, char unit, int max, long *out)
{
	const char *p = *s;
	long v = 0;
	int n = 0;

	while (*p >= '0' && *p <= '9' && n <= max) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (n == 0 || *p != unit) {
		*out = -1;
		return 0;	/* absent: nothing consumed */
	}
	if (n > max)
		return -1;
	*out = v;
	*s = p + 1;
	return 0;
}

int pki_retention_parse(const char *what, const char *s, struct pki_retention *out)
{
	const char *p = s;
	long y, m, d;

	if (s == NULL || *p++ != 'P' || part(&p, 'Y', 3, &y) < 0 ||
	    part(&p, 'M', 4, &m) < 0 || part(&p, 'D', 5, &d) < 0 || *p != '\0' ||
	    (y < 0 && m < 0 && d < 0) || (y <= 0 && m <= 0 && d <= 0))
		return pki_error(PKI_EUSAGE, "%s: invalid retention '%.32s' (an ISO 8601 "
				 "duration of years, months and days, e.g. P5Y, P18M, P2Y6M, "
				 "P90D)", what, s != NULL ? s : "");
	if (out != NULL) {
		out->years = y > 0 ? (int)y : 0;
		out->months = m > 0 ? (int)m : 0;
		out->days = d > 0 ? (int)d : 0;
	}
	return 0;
}

static int month_days(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 1 && leap ? 29 : days[month];
}

time_t pki_retention_end(time_t from, const struct pki_retention *r)
{
	struct tm tm;
	long months;
	int year;

	if (gmtime_r(&from, &tm) == NULL)
		return from;
	months = (long)tm.tm_mon + 12L * r->years + r->months;
	year = tm.tm_year + 1900 + (int)(months / 12);
	tm.tm_mon = (int)(months % 12);
	tm.tm_year = year - 1900;
	if (tm.tm_mday > month_days(year, tm.tm_mon))
		tm.tm_mday = month_days(year, tm.tm_mon);
	tm.tm_mday += r->days;	/* timegm carries the days over */
	tm.tm_isdst = 0;
	return timegm(&tm);
}
