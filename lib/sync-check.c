/* sync-check.c: what pki-sync refuses before it merges, because the
 * audit would reject the merge.
 *
 * The audit judges each commit a merge brings in by the other side's
 * tables (merged with its own side's), at the merge's time: a share or
 * an export one side made to a principal the other side has removed
 * meanwhile is work the other side's tables no longer allow.
 */
#include <stdbool.h>
#include <string.h>

#include "csv.h"
#include "error.h"
#include "matrix.h"
#include "repo.h"
#include "sync-check.h"
#include "sync-merge.h"
#include "table-merge.h"

#define TABLE_MAX (64 * 1024 * 1024)

/* A blob by ID ("" : absent, an empty text). */
static int blob(struct pki_repo *r, const char *id, struct pki_buf *out)
{
	pki_buf_reset(out);
	return id[0] == '\0' ? 0 : pki_repo_blob(r, id, TABLE_MAX, false, out);
}

/* The access matrix at a commit (an empty one when it has none). */
static int matrix_at(struct pki_repo *r, const char *commit, struct pki_matrix *out)
{
	struct pki_buf b = PKI_BUF_INIT;
	int rc;

	if ((rc = pki_repo_read_at(r, commit, PKI_MATRIX_FILE, TABLE_MAX, &b)) == -PKI_ENOINPUT) {
		pki_error_clear();
		rc = 0;
	}
	if (rc == 0)
		rc = pki_matrix_parse(out, b.ptr, b.len);
	pki_buf_release(&b);
	return rc;
}

/* The shares and exports one side added to shard d since base, each to
 * a principal valid by the base's tables: none may be one the other side
 * ended meanwhile. */
static int check_shard(const struct pki_sync_sides *m, const struct pki_delta *d, const char *side,
		       const char *other_side, const struct pki_matrix *base,
		       const struct pki_matrix *other)
{
	char names[PKI_MERGE_COLS_MAX][PKI_MERGE_KEY_MAX];
	const char *head[PKI_MERGE_COLS_MAX];
	struct pki_buf ob = PKI_BUF_INIT, nb = PKI_BUF_INIT;
	struct pki_table *old = NULL, *nw = NULL;
	const struct pki_principal *pb, *po;
	long ce, ca, cr, cp;
	size_t n, i, k;
	int rc;

	if ((rc = blob(m->repo, d->old_id, &ob)) < 0 || (rc = blob(m->repo, d->new_id, &nb)) < 0 ||
	    (rc = pki_table_header(d->path, nb.ptr, nb.len, names, &n)) < 0 || n == 0)
		goto out;
	for (i = 0; i < n; i++)
		head[i] = names[i];
	if ((ce = pki_table_column(names, n, "event")) < 0 || (ca = pki_table_column(names, n, "action")) < 0 ||
	    (cr = pki_table_column(names, n, "recipient")) < 0 || (cp = pki_table_column(names, n, "product")) < 0 ||
	    pki_table_parse(&old, d->path, ob.ptr, ob.len, head, n) < 0 ||
	    pki_table_parse(&nw, d->path, nb.ptr, nb.len, head, n) < 0) {
		pki_error_clear();	/* the merge of the shard says what is wrong */
		goto out;
	}
	for (i = 0; i < nw->nrows && rc == 0; i++) {
		const char *a = pki_table_get(nw, i, (size_t)ca), *who;

		if (strcmp(a, "share") != 0 && strcmp(a, "export") != 0)
			continue;
		for (k = 0; k < old->nrows; k++)
			if (strcmp(pki_table_get(old, k, (size_t)ce),
				   pki_table_get(nw, i, (size_t)ce)) == 0)
				break;
		if (k < old->nrows)
			continue;	/* in the base already */
		who = pki_table_get(nw, i, (size_t)cr);
		pb = pki_matrix_find(base, who);
		po = pki_matrix_find(other, who);
		if (pb != NULL && pki_principal_valid(pb, m->now) &&
		    (po == NULL || !pki_principal_valid(po, m->now)))
			rc = pki_error(PKI_EPOLICY, "refused: %s %s %s with '%s', whom %s has "
				       "removed from the access matrix meanwhile: the audit would "
				       "reject the merge (policy 12.10)",
				       side, strcmp(a, "share") == 0 ? "shares" : "exports",
				       pki_table_get(nw, i, (size_t)cp), who, other_side);
	}
out:
	pki_table_free(nw);
	pki_table_free(old);
	pki_buf_release(&nb);
	pki_buf_release(&ob);
	return rc;
}

static int check_side(const struct pki_sync_sides *m, const struct pki_delta *d, size_t n, const char *side,
		      const char *other_side, const struct pki_matrix *base,
		      const struct pki_matrix *other)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++)
		if (d[i].new_id[0] != '\0' && pki_merge_kind_of(d[i].path) == PKI_MERGE_REGISTRY)
			rc = check_shard(m, &d[i], side, other_side, base, other);
	return rc;
}

int pki_sync_check_shares(const struct pki_sync_sides *m)
{
	struct pki_matrix b, o, t;
	int rc;

	memset(&b, 0, sizeof(b));
	memset(&o, 0, sizeof(o));
	memset(&t, 0, sizeof(t));
	if ((rc = matrix_at(m->repo, m->base, &b)) == 0 &&
	    (rc = matrix_at(m->repo, m->ours, &o)) == 0 &&
	    (rc = matrix_at(m->repo, m->theirs, &t)) == 0 &&
	    (rc = check_side(m, m->dours, m->nours, "this clone", m->remote, &b,
			     &t)) == 0)
		rc = check_side(m, m->dtheirs, m->ntheirs, m->remote, "this clone",
				&b, &o);
	pki_matrix_release(&t);
	pki_matrix_release(&o);
	pki_matrix_release(&b);
	return rc;
}
