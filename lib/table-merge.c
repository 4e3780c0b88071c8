/* table-merge.c: the three-way merge of a table keyed by its first column.
 *
 * What git's line merge cannot do for a CSV table: two clones that each
 * change a different principal's row, or add a delegation each, change
 * neighbouring lines, and a line merge calls that a conflict.  Keyed by
 * row, it is none.  Pure: texts in, text out.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "error.h"
#include "table-merge.h"

struct side {
	struct pki_table *t;
};

/* The row of t keyed `key`, or -1.  Tables are small (a matrix of a few
 * hundred principals) and merges rare: a linear search will do. */
static long find(const struct pki_table *t, const char *key)
{
	size_t r;

	for (r = 0; t != NULL && r < t->nrows; r++)
		if (strcmp(pki_table_get(t, r, 0), key) == 0)
			return (long)r;
	return -1;
}

static bool same(const struct pki_table *a, long ra, const struct pki_table *b, long rb)
{
	size_t c;

	if (ra < 0 || rb < 0)
		return ra < 0 && rb < 0;
	for (c = 0; c < a->ncols; c++)
		if (strcmp(pki_table_get(a, (size_t)ra, c), pki_table_get(b, (size_t)rb, c)) != 0)
			return false;
	return true;
}

static int emit(struct pki_buf *out, const struct pki_table *t, long r)
{
	return pki_csv_row(out, (const char *const *)&t->cells[(size_t)r * t->ncols], t->ncols);
}

static void conflict(const char *key, size_t *conflicts, char first[PKI_MERGE_KEY_MAX])
{
	if ((*conflicts)++ == 0)
		snprintf(first, PKI_MERGE_KEY_MAX, "%s", key);
}

/* A row of ours: kept, replaced by theirs' change, or dropped as theirs did. */
static int merge_ours(struct pki_buf *out, const struct pki_table *b, const struct pki_table *o,
		      const struct pki_table *t, size_t r, size_t *conflicts,
		      char first[PKI_MERGE_KEY_MAX])
{
	const char *key = pki_table_get(o, r, 0);
	long rb = find(b, key), rt = find(t, key), ro = (long)r;

	if ((rb < 0 && rt < 0) || same(o, ro, t, rt) || (rb >= 0 && same(b, rb, t, rt)))
		return emit(out, o, ro);	/* ours added it, theirs agrees or left it */
	if (rb >= 0 && same(b, rb, o, ro))
		return rt < 0 ? 0 : emit(out, t, rt);	/* only theirs changed it */
	conflict(key, conflicts, first);	/* both did, differently */
	return emit(out, o, ro);
}

/* A row only theirs has: added there, or removed here. */
static int merge_theirs(struct pki_buf *out, const struct pki_table *b, const struct pki_table *t,
			size_t r, size_t *conflicts, char first[PKI_MERGE_KEY_MAX])
{
	const char *key = pki_table_get(t, r, 0);
	long rb = find(b, key);

	if (rb < 0)
		return emit(out, t, (long)r);
	if (!same(b, rb, t, (long)r))
		conflict(key, conflicts, first);	/* we removed what they changed */
	return 0;
}

int pki_table_merge3(struct pki_buf *out, const char *what, const char *const *header,
		     size_t ncols, const struct pki_merge3 *in, size_t *conflicts,
		     char first[PKI_MERGE_KEY_MAX])
{
	struct pki_table *b = NULL, *o = NULL, *t = NULL;
	size_t r;
	int rc;

	*conflicts = 0;
	first[0] = '\0';
	pki_buf_reset(out);
	if ((rc = pki_table_parse(&b, what, in->base, in->nbase, header, ncols)) < 0 ||
	    (rc = pki_table_parse(&o, what, in->ours, in->nours, header, ncols)) < 0 ||
	    (rc = pki_table_parse(&t, what, in->theirs, in->ntheirs, header, ncols)) < 0 ||
	    (rc = pki_csv_row(out, header, ncols)) < 0)
		goto out;
	for (r = 0; r < o->nrows && rc == 0; r++)
		rc = merge_ours(out, b, o, t, r, conflicts, first);
	for (r = 0; r < t->nrows && rc == 0; r++)
		if (find(o, pki_table_get(t, r, 0)) < 0)
			rc = merge_theirs(out, b, t, r, conflicts, first);
out:
	pki_table_free(t);
	pki_table_free(o);
	pki_table_free(b);
	return rc;
}

/* --- tables pki does not know by name --- */

int pki_table_header(const char *what, const char *data, size_t len,
		     char names[PKI_MERGE_COLS_MAX][PKI_MERGE_KEY_MAX], size_t *n)
{
	size_t i = 0, k;

	*n = 0;
	while (i < len && data[i] != '\n') {
		char *name;

		if (*n == PKI_MERGE_COLS_MAX)
			return pki_error(PKI_EDATA, "%s: line 1: more than %d columns", what,
					 PKI_MERGE_COLS_MAX);
		name = names[(*n)++];
		/* Names are plain words, quoted by the writer or not. */
		for (k = 0; i < len && data[i] != ',' && data[i] != '\n'; i++) {
			if (data[i] == '"' || (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
				continue;
			if (k + 1 == PKI_MERGE_KEY_MAX || (unsigned char)data[i] < 0x20 ||
			    data[i] == '\'')
				return pki_error(PKI_EDATA, "%s: line 1: not a header", what);
			name[k++] = data[i];
		}
		name[k] = '\0';
		if (i < len && data[i] == ',')
			i++;
	}
	return 0;
}

long pki_table_column(char names[PKI_MERGE_COLS_MAX][PKI_MERGE_KEY_MAX], size_t n,
		      const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (long)i;
	return -1;
}

/* The header of the first version present, as pki_table_parse wants it. */
static int any_header(const char *what, const struct pki_merge3 *in,
		      char names[PKI_MERGE_COLS_MAX][PKI_MERGE_KEY_MAX],
		      const char *head[PKI_MERGE_COLS_MAX], size_t *n)
{
	const char *text = in->nours > 0 ? in->ours : in->ntheirs > 0 ? in->theirs : in->base;
	size_t len = in->nours > 0 ? in->nours : in->ntheirs > 0 ? in->ntheirs : in->nbase, i;
	int rc;

	if ((rc = pki_table_header(what, text, len, names, n)) < 0)
		return rc;
	for (i = 0; i < *n; i++)
		head[i] = names[i];
	return 0;
}

int pki_table_merge3_any(struct pki_buf *out, const char *what, const struct pki_merge3 *in,
			 size_t *conflicts, char first[PKI_MERGE_KEY_MAX])
{
	char names[PKI_MERGE_COLS_MAX][PKI_MERGE_KEY_MAX];
	const char *head[PKI_MERGE_COLS_MAX];
	size_t n;
	int rc;

	*conflicts = 0;
	first[0] = '\0';
	if ((rc = any_header(what, in, names, head, &n)) < 0)
		return rc;
	if (n == 0) {	/* all three empty */
		pki_buf_reset(out);
		return 0;
	}
	return pki_table_merge3(out, what, head, n, in, conflicts, first);
}

int pki_table_union(struct pki_buf *out, const char *what, const struct pki_merge3 *in,
		    size_t *conflicts, char first[PKI_MERGE_KEY_MAX])
{
	char names[PKI_MERGE_COLS_MAX][PKI_MERGE_KEY_MAX];
	const char *head[PKI_MERGE_COLS_MAX];
	struct pki_table *o = NULL, *t = NULL;
	size_t n, r;
	long ro;
	int rc;

	*conflicts = 0;
	first[0] = '\0';
	pki_buf_reset(out);
	if ((rc = any_header(what, in, names, head, &n)) < 0 || n == 0)
		return rc;
	if ((rc = pki_table_parse(&o, what, in->ours, in->nours, head, n)) < 0 ||
	    (rc = pki_table_parse(&t, what, in->theirs, in->ntheirs, head, n)) < 0 ||
	    (rc = pki_csv_row(out, head, n)) < 0)
		goto out;
	for (r = 0; r < o->nrows && rc == 0; r++)
		rc = emit(out, o, (long)r);
	for (r = 0; r < t->nrows && rc == 0; r++) {
		if ((ro = find(o, pki_table_get(t, r, 0))) < 0)
			rc = emit(out, t, (long)r);
		else if (!same(o, ro, t, (long)r))
			conflict(pki_table_get(t, r, 0), conflicts, first);
	}
out:
	pki_table_free(t);
	pki_table_free(o);
	return rc;
}

/* --- the same rows --- */

static int row_cmp(const void *a, const void *b, void *arg)
{
	const struct pki_table *t = arg;
	size_t ra = *(const size_t *)a, rb = *(const size_t *)b, c;
	int d;

	for (c = 0; c < t->ncols; c++)
		if ((d = strcmp(pki_table_get(t, ra, c), pki_table_get(t, rb, c))) != 0)
			return d;
	return 0;
}

static size_t *sorted_rows(const struct pki_table *t)
{
	size_t *v = calloc(t->nrows + 1, sizeof(*v)), r;

	if (v == NULL)
		return NULL;
	for (r = 0; r < t->nrows; r++)
		v[r] = r;
	qsort_r(v, t->nrows, sizeof(*v), row_cmp, (void *)t);
	return v;
}

int pki_table_same_rows(const char *what, const char *a, size_t na, const char *b, size_t nb,
			bool *same_rows)
{
	char names[PKI_MERGE_COLS_MAX][PKI_MERGE_KEY_MAX];
	const char *head[PKI_MERGE_COLS_MAX];
	struct pki_merge3 in = { a, a, b, na, na, nb };
	struct pki_table *ta = NULL, *tb = NULL;
	size_t *va = NULL, *vb = NULL, n, r;
	int rc;

	*same_rows = false;
	if ((rc = any_header(what, &in, names, head, &n)) < 0)
		return rc;
	if (n == 0) {
		*same_rows = nb == 0;
		return 0;
	}
	if ((rc = pki_table_parse(&ta, what, a, na, head, n)) < 0 ||
	    (rc = pki_table_parse(&tb, what, b, nb, head, n)) < 0)
		goto out;
	if (ta->nrows != tb->nrows)
		goto out;
	if ((va = sorted_rows(ta)) == NULL || (vb = sorted_rows(tb)) == NULL) {
		rc = pki_error_errno(PKI_EINTERNAL, "%s", what);
		goto out;
	}
	for (r = 0; r < ta->nrows; r++)
		if (!same(ta, (long)va[r], tb, (long)vb[r]))
			goto out;
	*same_rows = true;
out:
	free(vb);
	free(va);
	pki_table_free(tb);
	pki_table_free(ta);
	return rc;
}
