/* report.h: pki-report(1), the statistics the Head of Mission answers for
 * (policy 14.3, 27) and Headquarters compares across missions (13.1.2).
 *
 * Made from what the tip holds in the clear -- the registry, the labels,
 * the access matrix and the other tables -- and, unless told not to, an
 * audit run in-process: nothing is decrypted and no key is needed.
 *
 * A report is a list of sections, each a list of items: a key, a value
 * (a count, a decimal, or empty) and an optional label that names the
 * key for a reader.  The sections and their keys are fixed by
 * pki-report(1) and share/pki/report.xsd; every format writes the same
 * items in the same order.
 *
 *   report.c          the sections and items, the order of the passes, the audit
 *   report-rows.c     the labels, the access matrix, the registry rows
 *   report-products.c products, safety, requirements answered, overdue work
 *   report-tables.c   the optional tables and columns, read when present
 *   report-out.c      text and CSV
 *   xml-report.c      XML (share/pki/report.xsd)
 *   xml-xslt.c        the HTML page: the XML through share/pki/report.xsl
 */
#ifndef PKI_REPORT_H
#define PKI_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "progress.h"

struct pki_gpg;
struct pki_repo;

#define PKI_REPORT_NS "urn:x-pki:report:1"

struct pki_report_item {
	char *key;
	char *label;		/* NULL: none */
	char *text;		/* the value when it is not a count; "" for none */
	long long n;		/* the value when text is NULL */
};

struct pki_report_section {
	const char *name;	/* "products-by-level" */
	const char *title;	/* "Products by level" */
	struct pki_report_item *v;
	size_t n, cap;
};

struct pki_report_opts {
	time_t since, until;	/* rows and products of [since, until); 0: open */
	const char *period;	/* "2026H1" when --period named the window */
	time_t at;		/* now: overdue work is judged as of this time */
	bool audit;		/* run the audit and count its findings */
	const struct pki_progress *progress;
};

struct pki_report {
	char *mission, *mission_name;	/* from pki.conf; name may be NULL */
	char tip[41];
	time_t at, since, until;
	char period[8];		/* "" when none */
	bool audited;
	struct pki_report_section *s;
	size_t ns;
};

/*
 * Compute the report of the repository into rep (released with
 * pki_report_release).  g is used by the audit only (public keys).
 */
int pki_report_run(struct pki_report *rep, struct pki_repo *r, struct pki_gpg *g,
		   const struct pki_report_opts *o);
void pki_report_release(struct pki_report *rep);

/* A section by name; NULL when the report has none of that name. */
const struct pki_report_section *pki_report_section(const struct pki_report *rep,
						     const char *name);

/*
 * The formats.  Text: a heading and one "key  value" line per item, for
 * a terminal.  CSV: one table, section,key,value,label.  XML: valid
 * against share/pki/report.xsd.  HTML: the XML through
 * share/pki/report.xsl, one page, as xsltproc makes it.
 */
int pki_report_text(const struct pki_report *rep, struct pki_buf *out);
int pki_report_csv(const struct pki_report *rep, struct pki_buf *out);
int pki_report_xml(const struct pki_report *rep, struct pki_buf *out);
int pki_report_html(const struct pki_report *rep, struct pki_buf *out);

#endif
