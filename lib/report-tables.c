/* report-tables.c: the tables and columns of the tip that other parts of
 * pki keep, read when they are there: arrangements.csv (pki-matrix
 * arrange) and the registry's medium column (pki-share --medium).  Each
 * is read by the names of its columns, so that the report works on
 * repositories made before and after them; a file that is absent reads
 * as an empty table.  (requirements.csv has its own reader, pki-ir's.)
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "registry.h"
#include "repo.h"
#include "report-int.h"
#include "vocab.h"

#define ARRANGEMENTS_FILE "arrangements.csv"
#define TABLE_MAX (16 * 1024 * 1024)
#define HEADER_COLS 64
#define HEADER_NAME 64

static const char *const arrangement_cols[PKI_ARR_NCOLS] = {
	[PKI_ARR_ID] = "arrangement", [PKI_ARR_KIND] = "kind", [PKI_ARR_PARTNER] = "partner",
	[PKI_ARR_UNTIL] = "valid_until", [PKI_ARR_REVIEW] = "review_due",
};

/* The names of the header line (quoted or not), into names[]. */
static int header_names(const char *file, const char *data, size_t len,
			char names[HEADER_COLS][HEADER_NAME], size_t *n)
{
	size_t i = 0, k = 0;
	bool quoted = false;

	*n = 0;
	for (i = 0; i < len && data[i] != '\n'; i++) {
		char c = data[i];

		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (c == '\r' && !quoted)
			continue;
		if (c == ',' && !quoted) {
			if (++*n >= HEADER_COLS)
				goto bad;
			k = 0;
			continue;
		}
		if (k + 1 >= HEADER_NAME)
			goto bad;
		names[*n][k++] = c;
		names[*n][k] = '\0';
	}
	if (len > 0)
		++*n;
	return 0;
bad:
	return pki_error(PKI_EDATA, "%s: line 1: not a header this report can read", file);
}

static int rtable_read(struct pki_rtable *out, struct pki_repo *r, const char *file,
		       const char *const *want, size_t nwant)
{
	struct pki_buf b = PKI_BUF_INIT;
	char names[HEADER_COLS][HEADER_NAME];
	const char *header[HEADER_COLS];
	size_t i, k, n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(names, 0, sizeof(names));
	for (i = 0; i < PKI_RTABLE_COLS; i++)
		out->col[i] = -1;
	if ((rc = pki_repo_read(r, file, TABLE_MAX, &b)) == -PKI_ENOINPUT) {
		pki_error_clear();
		rc = 0;
		goto out;
	}
	if (rc < 0 || (rc = header_names(file, b.ptr, b.len, names, &n)) < 0)
		goto out;
	out->present = true;
	if (n == 0)
		goto out;
	for (k = 0; k < n; k++)
		header[k] = names[k];
	for (i = 0; i < nwant && i < PKI_RTABLE_COLS; i++)
		for (k = 0; k < n; k++)
			if (strcmp(names[k], want[i]) == 0)
				out->col[i] = (int)k;
	rc = pki_table_parse(&out->t, file, b.ptr, b.len, header, n);
out:
	pki_buf_release(&b);
	return rc;
}

int pki_report_arrangements(struct pki_rtable *out, struct pki_repo *r)
{
	return rtable_read(out, r, ARRANGEMENTS_FILE, arrangement_cols, PKI_ARR_NCOLS);
}

void pki_rtable_release(struct pki_rtable *t)
{
	pki_table_free(t->t);
	t->t = NULL;
}

size_t pki_rtable_rows(const struct pki_rtable *t)
{
	return t->t != NULL ? t->t->nrows : 0;
}

const char *pki_rtable_get(const struct pki_rtable *t, size_t row, int want)
{
	if (t->t == NULL || want < 0 || want >= PKI_RTABLE_COLS || t->col[want] < 0 ||
	    row >= t->t->nrows)
		return "";
	return pki_table_get(t->t, row, (size_t)t->col[want]);
}

long pki_rtable_find(const struct pki_rtable *t, const char *key)
{
	size_t i;

	for (i = 0; i < pki_rtable_rows(t); i++)
		if (strcmp(pki_rtable_get(t, i, 0), key) == 0)
			return (long)i;
	return -1;
}

const char *pki_report_medium(const char *const *fields)
{
	int i, col = -1;

	for (i = 0; i < PKI_REGISTRY_NCOLS; i++)
		if (strcmp(pki_registry_header[i], "medium") == 0)
			col = i;
	if (col < 0 || fields[col] == NULL || fields[col][0] == '\0')
		return "file";
	return fields[col];
}

time_t pki_report_date(const char *s)
{
	time_t t;

	if (s == NULL || s[0] == '\0' || pki_time_parse("date", s, &t) < 0) {
		pki_error_clear();
		return 0;
	}
	return t;
}
