/* report-int.h: what the files of pki-report share (report.h lists them).
 * Internal to libpki. */
#ifndef PKI_REPORT_INT_H
#define PKI_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "csv.h"
#include "report.h"

struct pki_repo;

/* --- items --- */

/*
 * The item of key in s, made (value 0, the label given) when it is not
 * there yet; its count then grows by add.  NULL when out of memory (the
 * pki error is set).
 */
struct pki_report_item *pki_report_count(struct pki_report_section *s, const char *key,
					 const char *label, long long add);
/* The item of key, its value the text given ("" for none). */
int pki_report_text_item(struct pki_report_section *s, const char *key, const char *label,
			 const char *text);
/* Sort the items of s by key (the sections whose keys come from data). */
void pki_report_sort(struct pki_report_section *s);

/* --- the tables and columns other parts of pki add --- */

/*
 * A table of the tip read by the names of its columns, so that a column
 * added, moved or not there yet changes nothing here: col[i] is the
 * index of want[i] in the file's header, or -1.  A file absent from the
 * tip is an empty table with present false.
 */
#define PKI_RTABLE_COLS 8
struct pki_rtable {
	bool present;
	struct pki_table *t;
	int col[PKI_RTABLE_COLS];
};

/* arrangements.csv (pki-files(5)): the columns the report reads. */
enum { PKI_ARR_ID, PKI_ARR_KIND, PKI_ARR_PARTNER, PKI_ARR_UNTIL, PKI_ARR_REVIEW, PKI_ARR_NCOLS };
/* requirements.csv: the same. */
enum { PKI_IR_ID, PKI_IR_KIND, PKI_IR_PRIORITY, PKI_IR_STATUS, PKI_IR_REVIEW, PKI_IR_NCOLS };

int pki_report_arrangements(struct pki_rtable *out, struct pki_repo *r);
int pki_report_requirements(struct pki_rtable *out, struct pki_repo *r);
void pki_rtable_release(struct pki_rtable *t);
size_t pki_rtable_rows(const struct pki_rtable *t);
/* A cell by the wanted column's number; "" when the file lacks the column. */
const char *pki_rtable_get(const struct pki_rtable *t, size_t row, int want);
/* The row whose first wanted column is key, or -1. */
long pki_rtable_find(const struct pki_rtable *t, const char *key);

/*
 * The medium of a registry row (pki-share --medium): its `medium` column
 * when the registry has one and it is not empty, else "file" (an
 * encrypted file, the only medium before the column).
 */
const char *pki_report_medium(const char *const *fields);

/* A date or a time of a table ("" or unreadable: 0). */
time_t pki_report_date(const char *s);

#endif
