/* report-int.h: what the files of pki-report share (report.h lists them).
 * Internal to libpki. */
#ifndef PKI_REPORT_INT_H
#define PKI_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "csv.h"
#include "label.h"
#include "matrix.h"
#include "report.h"
#include "requirements.h"

struct pki_repo;

/* --- items --- */

/*
 * The item of key in s, made (value 0, the label given) when it is not
 * there yet; its count then grows by add.  NULL when out of memory (the
 * pki error is set).
 */
struct pki_report_item *pki_report_count(struct pki_report_section *s, const char *key,
					 const char *label, long long add);
/* A new item, without looking for key: for keys that occur once (a
 * product ID, a requirement), where a look-up would cost n each. */
struct pki_report_item *pki_report_append(struct pki_report_section *s, const char *key,
					  const char *label);
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

int pki_report_arrangements(struct pki_rtable *out, struct pki_repo *r);
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

/* --- the computation, shared by report*.c --- */

/* The sections, in the order every format writes them (report.c). */
enum pki_rsec {
	PKI_RS_SOURCES, PKI_RS_PRODUCTS, PKI_RS_LEVEL, PKI_RS_CRITERION, PKI_RS_KIND,
	PKI_RS_ENTITY, PKI_RS_MONTH, PKI_RS_RECEIPTS, PKI_RS_ACTIONS, PKI_RS_DISS,
	PKI_RS_DISS_TYPE, PKI_RS_DISS_MEDIUM, PKI_RS_DISS_AUTHORITY, PKI_RS_DISS_MONTH,
	PKI_RS_EXPORTS, PKI_RS_EXP_RECIPIENT, PKI_RS_EXP_ARRANGEMENT, PKI_RS_EXP_HRDDP,
	PKI_RS_CONSENTS, PKI_RS_CONSENT_REF, PKI_RS_SAFETY, PKI_RS_SAFETY_UNDSS, PKI_RS_REQ,
	PKI_RS_REQ_UNCOVERED, PKI_RS_OVERDUE, PKI_RS_OVERDUE_XFER, PKI_RS_AUDIT,
	PKI_RS_AUDIT_CODE, PKI_RS_N
};

/* A product at the tip, with what the registry says of it. */
struct pki_rprod {
	struct pki_label l;
	time_t origin;		/* its classify or receive row; 0: none */
	time_t undss;		/* first reached a undss principal; 0: never */
	time_t reviewed;	/* its latest review or reclassify row */
	bool archived;
	bool in;		/* created in the window */
};

struct pki_rctx {
	struct pki_repo *r;
	struct pki_report *rep;
	const struct pki_report_opts *o;
	struct pki_rprod *p;
	size_t np, capp;
	struct pki_matrix m;
	struct pki_rtable arr;
	struct pki_requirements req;	/* requirements.csv (pki-ir) */
	bool req_present;
	size_t rows, rows_in;
};

/* The section s of the report being made, and its items: counted, made
 * with their keys so that zeros show ("none" plainly), a decimal. */
struct pki_report_section *pki_rsec(struct pki_rctx *c, enum pki_rsec s);
int pki_rcount(struct pki_rctx *c, enum pki_rsec s, const char *key, const char *label,
	       long long add);
int pki_rseed(struct pki_rctx *c, enum pki_rsec s, const char *const *keys);
int pki_rdecimal(struct pki_rctx *c, enum pki_rsec s, const char *key, double v);
/* Is t in the window? */
bool pki_rin_window(const struct pki_rctx *c, time_t t);
/* "2026-03" for a time. */
void pki_rmonth(time_t t, char out[8]);

/* The passes, in the order pki_report_run makes them. */
int pki_report_read_labels(struct pki_rctx *c);	/* report-rows.c */
int pki_report_read_matrix(struct pki_rctx *c);
int pki_report_read_registry(struct pki_rctx *c);
int pki_report_products(struct pki_rctx *c);	/* report-products.c */
int pki_report_coverage(struct pki_rctx *c);
int pki_report_overdue(struct pki_rctx *c);

#endif
