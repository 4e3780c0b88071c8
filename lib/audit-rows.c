/* audit-rows.c: registry rows as the audit reads them, and the checks
 * over the whole registry at the tip: no event recorded twice (audit
 * check 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-int.h"
#include "csv.h"
#include "error.h"
#include "rows.h"

void pki_audit_rows_free(struct pki_arow *rows, size_t n)
{
	size_t i;

	if (rows == NULL)
		return;
	for (i = 0; i < n; i++)
		free(rows[i].store);
	free(rows);
}

static int row_copy(struct pki_arow *r, const struct pki_table *t, size_t i)
{
	size_t len = 0, k, l;
	char *p;

	for (k = 0; k < PKI_REGISTRY_NCOLS; k++)
		len += strlen(pki_table_get(t, i, k)) + 1;
	if ((r->store = p = malloc(len)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "registry");
	for (k = 0; k < PKI_REGISTRY_NCOLS; k++) {
		l = strlen(pki_table_get(t, i, k)) + 1;
		memcpy(p, pki_table_get(t, i, k), l);
		r->f[k] = p;
		p += l;
	}
	return 0;
}

int pki_audit_rows_parse(const char *shard, const char *data, size_t len, size_t line,
			 size_t commit, struct pki_arow **rows, size_t *n, size_t *cap)
{
	struct pki_table *t = NULL;
	struct pki_arow *grown;
	size_t i;
	int rc;

	if ((rc = pki_registry_parse(&t, shard, data, len, NULL)) < 0)
		return rc;
	for (i = 0; i < t->nrows; i++) {
		if ((grown = pki_row_grow(*rows, *n, cap, sizeof(*grown))) == NULL) {
			rc = pki_error_errno(PKI_EINTERNAL, "registry");
			break;
		}
		*rows = grown;
		memset(&(*rows)[*n], 0, sizeof(**rows));
		if ((rc = row_copy(&(*rows)[*n], t, i)) < 0)
			break;
		snprintf((*rows)[*n].shard, sizeof((*rows)[*n].shard), "%s", shard);
		(*rows)[*n].line = line + i;
		(*rows)[*n].commit = commit;
		(*n)++;
	}
	pki_table_free(t);
	return rc;
}

/* Line by line: pki writes no row over two lines, so a shard with a bad
 * line still gives its good rows, numbered as in the file. */
static int rows_lenient(const char *shard, const char *data, size_t len, size_t commit,
			struct pki_arow **rows, size_t *n, size_t *cap)
{
	struct pki_buf one = PKI_BUF_INIT;
	const char *p = data, *end = data + len, *nl;
	size_t head, line;
	int rc = 0;

	nl = memchr(data, '\n', len);	/* data is not NUL-terminated */
	head = nl != NULL ? (size_t)(nl - data) : len;
	p = head < len ? data + head + 1 : end;
	for (line = 2; p < end && rc == 0; p = nl + 1, line++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end - 1;
		pki_buf_reset(&one);
		if ((rc = pki_buf_add(&one, data, head + 1 <= len ? head + 1 : len)) < 0 ||
		    (rc = pki_buf_add(&one, p, (size_t)(nl - p) + 1)) < 0)
			break;
		(void)pki_audit_rows_parse(shard, one.ptr, one.len, line, commit, rows, n, cap);
	}
	pki_buf_release(&one);
	return rc;
}

int pki_audit_rows_read(const char *shard, const char *data, size_t len, size_t commit,
			struct pki_arow **rows, size_t *n, size_t *cap, char why[256])
{
	int rc;

	why[0] = '\0';
	if (pki_audit_rows_parse(shard, data, len, 2, commit, rows, n, cap) == 0)
		return 0;
	snprintf(why, 256, "%s", pki_error_last());
	if ((rc = rows_lenient(shard, data, len, commit, rows, n, cap)) < 0)
		return rc;
	return 1;
}

/* --- events --- */

int pki_audit_same_row(const struct pki_arow *a, const struct pki_arow *b)
{
	size_t k;

	for (k = 0; k < PKI_REGISTRY_NCOLS; k++)
		if (strcmp(a->f[k], b->f[k]) != 0)
			return (int)k;
	return -1;
}

static int by_event(const void *a, const void *b)
{
	const struct pki_arow *x = *(const struct pki_arow *const *)a;
	const struct pki_arow *y = *(const struct pki_arow *const *)b;
	int c;

	if ((c = strcmp(x->f[PKI_COL_EVENT], y->f[PKI_COL_EVENT])) != 0 ||
	    (c = strcmp(x->shard, y->shard)) != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Pointers to the rows of v, sorted by event (NULL when out of memory). */
const struct pki_arow **pki_audit_by_events(const struct pki_arow *v, size_t n)
{
	const struct pki_arow **ix;
	size_t i;

	if ((ix = calloc(n + 1, sizeof(*ix))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		ix[i] = &v[i];
	if (n > 0)
		qsort(ix, n, sizeof(*ix), by_event);
	return ix;
}

/* The first of ix (sorted by event) with event, or n. */
size_t pki_audit_first_event(const struct pki_arow *const *ix, size_t n, const char *event)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(ix[mid]->f[PKI_COL_EVENT], event) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Did a walked commit add a row with this event?  (--since: only those.) */
static bool walked_event(const struct pki_auditor *au, const char *event)
{
	size_t i;

	if (au->a->since[0] == '\0')
		return true;
	for (i = 0; i < au->nrows; i++)
		if (strcmp(au->rows[i].f[PKI_COL_EVENT], event) == 0)
			return true;
	return false;
}

int pki_audit_duplicates(struct pki_auditor *au, const struct pki_arow *rows, size_t n)
{
	const struct pki_arow **v;
	char object[64];
	size_t i;
	int rc = 0;

	if ((v = pki_audit_by_events(rows, n)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "registry");
	for (i = 1; i < n && rc == 0; i++) {
		if (strcmp(v[i]->f[PKI_COL_EVENT], v[i - 1]->f[PKI_COL_EVENT]) != 0 ||
		    !walked_event(au, v[i]->f[PKI_COL_EVENT]))
			continue;
		snprintf(object, sizeof(object), "%s:%zu", v[i]->shard, v[i]->line);
		rc = pki_audit_add(au->a, PKI_A_DUPLICATE_EVENT, object,
				   "event %s is recorded again: first at %s:%zu",
				   v[i]->f[PKI_COL_EVENT], v[i - 1]->shard, v[i - 1]->line);
	}
	free(v);
	return rc;
}
