/* csv.c: strict RFC 4180 reading and writing.  libcsv only here.
 *
 * The tools never write a line break, nor any other control character,
 * inside a field, so every physical line of a file is exactly one record.
 * They write LF line ends and quote a field only when it must be; what
 * they write is the value itself (free text that a spreadsheet would run
 * as a formula is refused before it gets here: pki_check_free_text).
 * Files written before quoted every field, ended lines with CRLF and
 * marked a value beginning with = + - @ or ' with one more single quote:
 * on a CRLF line that mark is taken off again, so old rows read back as
 * the values they were written from.
 * Each line is handed to libcsv on its own and finished with csv_fini():
 * line numbers in messages are then exact, a quote left open is caught on
 * its own line, and data row r of a table is always on line r + 2.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "csv.h"
#include "error.h"
#include "vocab.h"

struct reader {
	const char *what;
	const char *const *header;	/* NULL: line 1 is read as the only row */
	size_t ncols;
	size_t line;		/* 1-based, of the record being read */
	size_t col;		/* fields seen so far in this record */
	bool crlf;		/* the record ends in CRLF: written by the old writer */
	size_t nrows;		/* data rows stored */
	bool bad_header;
	int rc;			/* the first error; later ones are ignored */
	struct pki_buf store;	/* the fields of data rows, each NUL-ended */
};

/* libcsv trims spaces and tabs around unquoted fields by default: don't. */
static int no_space(unsigned char c)
{
	return 0;
}

static void on_field(void *s, size_t len, void *ctx)
{
	struct reader *r = ctx;
	const char *field = s != NULL ? s : "";	/* libcsv may pass NULL for "" */
	size_t col = r->col++;
	int rc;

	if (r->rc < 0 || col >= r->ncols)
		return;		/* the width is checked at the end of the record */
	if (r->crlf && field[0] == '\'' && field[1] != '\0' &&
	    strchr("=+-@'", field[1]) != NULL) {	/* the old writer's mark */
		field++;
		len--;
	}
	if ((rc = pki_check_text(r->header != NULL ? r->header[col] : "header", field,
				 PKI_CSV_MAX_FIELD)) < 0) {
		r->rc = pki_error_wrap(PKI_EDATA, "%s: line %zu", r->what, r->line);
		return;
	}
	if (r->line == 1 && r->header != NULL) {
		if (strcmp(field, r->header[col]) != 0)
			r->bad_header = true;
		return;
	}
	if ((rc = pki_buf_add(&r->store, field, len + 1)) < 0)
		r->rc = rc;
}

static int header_error(const struct reader *r)
{
	char want[512] = "";
	size_t i;

	for (i = 0; i < r->ncols; i++) {
		if (i > 0)
			strncat(want, ",", sizeof(want) - strlen(want) - 1);
		strncat(want, r->header[i], sizeof(want) - strlen(want) - 1);
	}
	return pki_error(PKI_EDATA, "%s: line 1: expected the header '%s'", r->what, want);
}

static void on_record(int c, void *ctx)
{
	struct reader *r = ctx;

	if (r->rc < 0)
		return;
	if (r->header == NULL) {	/* pki_csv_header: this record is the header */
		r->ncols = r->col;
		r->nrows = 1;
	} else if (r->line == 1 && (r->bad_header || r->col != r->ncols))
		r->rc = header_error(r);
	else if (r->col != r->ncols)
		r->rc = pki_error(PKI_EDATA, "%s: line %zu: expected %zu fields, found %zu",
				  r->what, r->line, r->ncols, r->col);
	else if (r->line > 1 && ++r->nrows > PKI_CSV_MAX_ROWS)
		r->rc = pki_error(PKI_EDATA, "%s: more than %d rows",
				  r->what, PKI_CSV_MAX_ROWS);
	r->col = 0;
}

/* Parse one line, its terminator already taken off. */
static int read_line(struct reader *r, struct csv_parser *p, const char *s, size_t n)
{
	if (memchr(s, '\0', n) != NULL)
		return pki_error(PKI_EDATA, "%s: line %zu: NUL byte", r->what, r->line);
	if (memchr(s, '\r', n) != NULL)
		return pki_error(PKI_EDATA, "%s: line %zu: carriage return not "
				 "followed by a line feed", r->what, r->line);
	if (n == 0)
		return pki_error(PKI_EDATA, "%s: line %zu: empty line", r->what, r->line);
	/* Bound what libcsv buffers: every byte a doubled quote, plus quotes. */
	if (n / r->ncols > 2 * PKI_CSV_MAX_FIELD + 4)
		return pki_error(PKI_EDATA, "%s: line %zu: the line is longer than %zu bytes",
				 r->what, r->line, r->ncols * (2 * PKI_CSV_MAX_FIELD + 4));
	if (csv_parse(p, s, n, on_field, on_record, r) != n) {
		if (r->rc < 0)
			return r->rc;
		if (csv_error(p) == CSV_ENOMEM || csv_error(p) == CSV_ETOOBIG)
			return pki_error(PKI_EINTERNAL, "%s: line %zu: %s", r->what,
					 r->line, csv_strerror(csv_error(p)));
		return pki_error(PKI_EDATA, "%s: line %zu: misplaced quote (a quote "
				 "inside an unquoted field, or text after a closing "
				 "quote)", r->what, r->line);
	}
	if (r->rc < 0)
		return r->rc;
	if (csv_fini(p, on_field, on_record, r) != 0)
		return pki_error(PKI_EDATA, "%s: line %zu: unterminated quoted field "
				 "(fields cannot span lines)", r->what, r->line);
	return r->rc;
}

static int read_lines(struct reader *r, const char *data, size_t len)
{
	struct csv_parser p;
	const char *s = data, *end = data + len, *nl;
	size_t n;
	int rc = 0;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return pki_error(PKI_EINTERNAL, "cannot initialise the CSV parser");
	csv_set_space_func(&p, no_space);
	for (r->line = 1; s < end && rc == 0; r->line++) {
		nl = memchr(s, '\n', (size_t)(end - s));
		n = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
		/* A last line without its line end is of its file's era. */
		if (nl != NULL)
			r->crlf = n > 0 && s[n - 1] == '\r';
		if (nl != NULL && r->crlf)
			n--;
		rc = read_line(r, &p, s, n);
		s = nl != NULL ? nl + 1 : end;
	}
	csv_free(&p);
	return rc;
}

/* Point the cells into the store: fields lie end to end, each NUL-ended. */
static int make_table(struct pki_table **out, struct reader *r)
{
	struct pki_table *t = NULL;
	size_t i, ncells = r->nrows * r->ncols;
	char *s;
	int rc = 0;

	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->cells = calloc(ncells > 0 ? ncells : 1, sizeof(*t->cells))) == NULL ||
	    (t->store = pki_buf_detach(&r->store, NULL)) == NULL) {
		rc = pki_error(PKI_EINTERNAL, "out of memory");
		goto out;
	}
	t->nrows = r->nrows;
	t->ncols = r->ncols;
	for (i = 0, s = t->store; i < ncells; i++, s += strlen(s) + 1)
		t->cells[i] = s;
	*out = t;
	t = NULL;
out:
	pki_table_free(t);
	return rc;
}

int pki_table_parse(struct pki_table **out, const char *what,
		    const char *data, size_t len,
		    const char *const *header, size_t ncols)
{
	struct reader r = { .what = what, .header = header, .ncols = ncols,
			    .store = PKI_BUF_INIT };
	int rc;

	*out = NULL;
	/* The row limit keeps nrows * ncols far below SIZE_MAX. */
	if (ncols == 0 || ncols > 1024)
		return pki_error(PKI_EINTERNAL, "%s: bad column count %zu", what, ncols);
	if ((rc = read_lines(&r, data, len)) < 0)
		goto out;
	rc = make_table(out, &r);
out:
	pki_buf_release(&r.store);
	return rc;
}

int pki_csv_header(struct pki_table **out, const char *what, const char *data, size_t len)
{
	struct reader r = { .what = what, .header = NULL, .ncols = 1024,
			    .store = PKI_BUF_INIT };
	const char *nl = memchr(data, '\n', len);
	int rc;

	*out = NULL;
	if (len == 0)
		return pki_error(PKI_EDATA, "%s: empty, no header", what);
	if ((rc = read_lines(&r, data, nl != NULL ? (size_t)(nl - data) + 1 : len)) < 0)
		goto out;
	rc = make_table(out, &r);
out:
	pki_buf_release(&r.store);
	return rc;
}

void pki_table_free(struct pki_table *t)
{
	if (t == NULL)
		return;
	free(t->cells);
	free(t->store);
	free(t);
}

/* Does s need quotes (RFC 4180 §2.6), or keep them for readers that trim
 * spaces around a field, or would the row be a blank line without them? */
static bool needs_quotes(const char *s, size_t nfields)
{
	size_t n = strlen(s);

	if (n == 0)
		return nfields == 1;
	return strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' || s[n - 1] == ' ';
}

/* One field, quoted only when it must be, inner quotes doubled.  It is
 * checked as the reader checks it, which refuses TAB, CR and LF. */
static int write_field(struct pki_buf *out, const char *s, size_t col, size_t nfields)
{
	char what[32];
	const char *q;
	int rc;

	snprintf(what, sizeof(what), "field %zu", col + 1);
	if ((rc = pki_check_text(what, s, PKI_CSV_MAX_FIELD)) < 0)
		return pki_error_wrap(PKI_EUSAGE, "cannot write a CSV row");
	if (!needs_quotes(s, nfields))
		return pki_buf_adds(out, s);
	if ((rc = pki_buf_add(out, "\"", 1)) < 0)
		return rc;
	while ((q = strchr(s, '"')) != NULL) {
		if ((rc = pki_buf_add(out, s, (size_t)(q - s) + 1)) < 0 ||
		    (rc = pki_buf_add(out, "\"", 1)) < 0)
			return rc;
		s = q + 1;
	}
	if ((rc = pki_buf_adds(out, s)) < 0)
		return rc;
	return pki_buf_add(out, "\"", 1);
}

int pki_csv_row(struct pki_buf *out, const char *const *fields, size_t n)
{
	size_t i, start = out->len;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		if (i > 0)
			rc = pki_buf_add(out, ",", 1);
		if (rc == 0)
			rc = write_field(out, fields[i], i, n);
	}
	if (rc == 0)
		rc = pki_buf_add(out, "\n", 1);
	if (rc < 0 && out->ptr != NULL) {	/* no half row */
		out->len = start;
		out->ptr[start] = '\0';
	}
	return rc;
}

int pki_tsv_row(struct pki_buf *out, const char *const *fields, size_t n)
{
	size_t i, start = out->len;
	char what[32];
	int rc = 0;

	/* No quoting: the check refuses TAB, CR and LF, which alone would
	 * need it. */
	for (i = 0; i < n && rc == 0; i++) {
		snprintf(what, sizeof(what), "field %zu", i + 1);
		if ((rc = pki_check_text(what, fields[i], PKI_CSV_MAX_FIELD)) < 0)
			rc = pki_error_wrap(PKI_EUSAGE, "cannot write a TSV row");
		else if ((i > 0 && (rc = pki_buf_add(out, "\t", 1)) < 0) ||
			 (rc = pki_buf_adds(out, fields[i])) < 0)
			break;
	}
	if (rc == 0)
		rc = pki_buf_add(out, "\n", 1);
	if (rc < 0 && out->ptr != NULL) {	/* no half row */
		out->len = start;
		out->ptr[start] = '\0';
	}
	return rc;
}
