/* table-merge.c: the three-way merge of a table keyed by its first column.
 *
 * What git's line merge cannot do for a CSV table: two clones that each
 * change a different principal's row, or add a delegation each, change
 * neighbouring lines, and a line merge calls that a conflict.  Keyed by
 * row, it is none.  Pure: texts in, text out.
 */
#include <stdbool.h>
#include <stdio.h>
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
