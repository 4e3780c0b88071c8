/* csv.h: strict RFC 4180 reading and writing (libcsv only here). */
#ifndef PKI_CSV_H
#define PKI_CSV_H

#include <stddef.h>
#include "buf.h"

/* Bounds on what is read from outside. */
#define PKI_CSV_MAX_FIELD 4096
#define PKI_CSV_MAX_ROWS  1000000

/*
 * A parsed table: rows of ncols NUL-terminated fields (never NULL; an empty
 * field is "").  The header row is checked against `header` and not stored.
 */
struct pki_table {
	size_t nrows, ncols;
	char **cells;	/* nrows * ncols, row-major */
	char *store;	/* one allocation behind cells */
};

static inline const char *pki_table_get(const struct pki_table *t, size_t row, size_t col)
{
	return t->cells[row * t->ncols + col];
}

/*
 * Parse data[0..len) as CSV with exactly the given header (ncols names).
 * Refuses (-PKI_EDATA, with the file name `what` and the line) a wrong
 * header, a row of another width, an unterminated quote, a NUL byte,
 * invalid UTF-8, a field over PKI_CSV_MAX_FIELD, more than
 * PKI_CSV_MAX_ROWS rows.  An empty input (len 0) is an empty table.
 * A record is one line (LF or CRLF): control characters, line breaks in
 * quoted fields included, and blank lines are refused, so data row r is
 * always on line r + 2.  On a line that ends in CRLF (as every line the
 * tools wrote before they wrote LF), a field that begins with a single
 * quote followed by = + - @ or a single quote loses that first quote: the
 * mark the old writer put before a formula.  On an LF line every field is
 * read as it stands.
 */
int pki_table_parse(struct pki_table **out, const char *what,
		    const char *data, size_t len,
		    const char *const *header, size_t ncols);
void pki_table_free(struct pki_table *t);

/*
 * The header of data[0..len) alone, as a table of one row: for a file
 * whose columns are named rather than fixed (a manifest); checked as
 * pki_table_parse checks a row.  Then pki_table_parse with these names.
 */
int pki_csv_header(struct pki_table **out, const char *what, const char *data, size_t len);

/*
 * Append one RFC 4180 row, LF-ended, to out: each field exactly as given,
 * quoted (inner quotes doubled) only when it holds a comma or a quote,
 * begins or ends with a space, or is the empty only field of its row.
 * Fields are checked as pki_table_parse() checks them (UTF-8, no control
 * characters, at most PKI_CSV_MAX_FIELD bytes): -PKI_EUSAGE and out left
 * unchanged.  Formula safety is the callers' (pki_check_free_text).
 */
int pki_csv_row(struct pki_buf *out, const char *const *fields, size_t n);

/*
 * Append one tab-separated row, LF-ended, for cut(1) and awk(1): fields as
 * they are, unquoted, checked as above (no TAB, CR or LF can occur in
 * one), -PKI_EUSAGE and out left unchanged otherwise.
 */
int pki_tsv_row(struct pki_buf *out, const char *const *fields, size_t n);

#endif
