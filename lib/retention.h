/* retention.h: a material's retention period, an ISO 8601 duration of
 * years, months and days ("P5Y", "P18M", "P2Y6M", "P90D"; pki-files(5)),
 * and the day it runs out (policy 12.6.9). */
#ifndef PKI_RETENTION_H
#define PKI_RETENTION_H

#include <time.h>

struct pki_retention {
	int years, months, days;
};

/*
 * Parse strictly: "P", then at least one of nY (up to 3 digits), nM (up
 * to 4), nD (up to 5), in that order, with no time part, weeks, signs
 * or fractions, and not all zero -- the forms label.xsd accepts.
 * -PKI_EUSAGE with a message naming `what` otherwise.  out may be NULL.
 */
int pki_retention_parse(const char *what, const char *s, struct pki_retention *out);

/*
 * When a retention that began at `from` runs out: as XML Schema adds a
 * duration to a dateTime, months first (a day past the end of the month
 * it reaches is that month's last), then days.
 */
time_t pki_retention_end(time_t from, const struct pki_retention *r);

#endif
