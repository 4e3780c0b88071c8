/* period.c: half-years, the unit of transfer to the UN Archives
 * (policy 11.5.1: "on a biannual basis"). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "archive.h"
#include "error.h"

#define YEAR_MIN 1970
#define YEAR_MAX 9999

int pki_period_parse(const char *s, struct pki_period *out)
{
	int i, year = 0;

	for (i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			goto bad;
		year = year * 10 + (s[i] - '0');
	}
	if (s[4] != 'H' || (s[5] != '1' && s[5] != '2') || s[6] != '\0' ||
	    year < YEAR_MIN || year > YEAR_MAX)
		goto bad;
	out->year = year;
	out->half = s[5] - '0';
	return 0;
bad:
	return pki_error(PKI_EUSAGE, "invalid period '%.16s' (expected YYYYH1 for January "
			 "to June or YYYYH2 for July to December)", s);
}

void pki_period_format(const struct pki_period *p, char out[PKI_PERIOD_LEN])
{
	snprintf(out, PKI_PERIOD_LEN, "%04uH%c", (unsigned)p->year % 10000u,
		 p->half == 2 ? '2' : '1');
}

static time_t month_start(int year, int month)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month;
	tm.tm_mday = 1;
	return timegm(&tm);	/* tm_mon 12 rolls over to the next year */
}

void pki_period_bounds(const struct pki_period *p, time_t *start, time_t *end)
{
	int first = p->half == 2 ? 6 : 0;

	*start = month_start(p->year, first);
	*end = month_start(p->year, first + 6);
}

void pki_period_of(time_t t, struct pki_period *out)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL) {
		out->year = YEAR_MIN;
		out->half = 1;
		return;
	}
	out->year = tm.tm_year + 1900;
	out->half = tm.tm_mon < 6 ? 1 : 2;
}

void pki_period_prev(struct pki_period *p)
{
	if (p->half == 2) {
		p->half = 1;
	} else {
		p->half = 2;
		p->year--;
	}
}

/* The period holding t has not ended at t (its end is after t), so the
 * one before it is the latest complete one. */
void pki_period_last_complete(time_t t, struct pki_period *out)
{
	pki_period_of(t, out);
	pki_period_prev(out);
}

int pki_period_cmp(const struct pki_period *a, const struct pki_period *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	return a->half < b->half ? -1 : a->half > b->half;
}
