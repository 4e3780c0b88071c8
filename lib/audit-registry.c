/* audit-registry.c: the registry only ever grows (audit check 2).
 *
 * Each shard a commit changed is compared with its parent's: when the old
 * shard is a byte prefix of the new one only the appended lines are
 * parsed, so a month's hundredth row costs what its first did; otherwise
 * both are parsed and each row that vanished or changed is a finding.  A
 * merge is judged against every parent: rows from the other side are not
 * its rows, and rows it dropped from either side are removed rows.
 * audit-rows.c reads the rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-int.h"
#include "error.h"
#include "rows.h"

/* --- comparing one shard with its parent's --- */

struct rowset {
	struct pki_arow *v;
	size_t n, cap;
};

static void rowset_free(struct rowset *s)
{
	pki_audit_rows_free(s->v, s->n);
	memset(s, 0, sizeof(*s));
}

static size_t count_lines(const char *p, size_t len)
{
	size_t n = 0;
	const char *e = p + len;

	while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/* Among the rows of nw with o's event not seen yet: the same row, else
 * the first (edited), else none (-1).  *same says which. */
static long match(const struct pki_arow *o, const struct rowset *nw,
		  const struct pki_arow *const *ix, const bool *seen, bool *same)
{
	size_t k = pki_audit_first_event(ix, nw->n, o->f[PKI_COL_EVENT]);
	long edited = -1, at;

	*same = false;
	for (; k < nw->n && strcmp(ix[k]->f[PKI_COL_EVENT], o->f[PKI_COL_EVENT]) == 0; k++) {
		at = ix[k] - nw->v;
		if (seen[at])
			continue;
		if (pki_audit_same_row(o, ix[k]) < 0) {
			*same = true;
			return at;
		}
		if (edited < 0)
			edited = at;
	}
	return edited;
}

/* Rows of old that are not, unchanged, in new: a finding each.  Marks in
 * seen[] the rows of new that old accounts for. */
static int find_lost(struct pki_auditor *au, const char *commit, const struct rowset *old,
		     const struct rowset *nw, bool *seen)
{
	const struct pki_arow **ix;
	char object[64];
	bool same;
	size_t i;
	long at;
	int rc = 0, col;

	if ((ix = pki_audit_by_events(nw->v, nw->n)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "registry");
	for (i = 0; i < old->n && rc == 0; i++) {
		const struct pki_arow *o = &old->v[i], *edited;

		at = match(o, nw, ix, seen, &same);
		snprintf(object, sizeof(object), "%s:%zu", o->shard, o->line);
		if (at >= 0)
			seen[at] = true;
		if (same)
			continue;
		if (at >= 0) {
			edited = &nw->v[at];
			col = pki_audit_same_row(o, edited);
			rc = pki_audit_add(au->a, PKI_A_ROW_CHANGED, object,
					   "row %s (%s %s) edited in place by commit %s: %s was '%s', "
					   "now '%s' (policy 11.3.3)", o->f[PKI_COL_EVENT],
					   o->f[PKI_COL_ACTION], o->f[PKI_COL_PRODUCT], commit,
					   pki_registry_header[col], o->f[col], edited->f[col]);
		} else {
			rc = pki_audit_add(au->a, PKI_A_ROW_REMOVED, object,
					   "row %s (%s %s) removed by commit %s (policy 11.3.3)",
					   o->f[PKI_COL_EVENT], o->f[PKI_COL_ACTION], o->f[PKI_COL_PRODUCT],
					   commit);
		}
	}
	free(ix);
	return rc;
}

static int read_shard(struct pki_auditor *au, const char *id, struct pki_buf *b)
{
	pki_buf_reset(b);
	if (id[0] == '\0')
		return 0;
	return pki_repo_blob(au->repo, id, PKI_SHARD_MAX, false, b);
}

/* The cached version of path, when it is blob id. */
static struct pki_ashard *shard_cached(struct pki_auditor *au, const char *path, const char *id)
{
	size_t i;

	for (i = 0; i < PKI_SHARD_CACHE; i++)
		if (strcmp(au->shards[i].id, id) == 0 && strcmp(au->shards[i].path, path) == 0)
			return &au->shards[i];
	return NULL;
}

/* Keep n (its memory) as the latest version of path. */
static void shard_keep(struct pki_auditor *au, const char *path, const char *id,
		       struct pki_buf *n, size_t lines)
{
	struct pki_ashard *e = NULL;
	size_t i;

	for (i = 0; i < PKI_SHARD_CACHE && e == NULL; i++)
		if (strcmp(au->shards[i].path, path) == 0)
			e = &au->shards[i];
	if (e == NULL)
		e = &au->shards[au->next_shard++ % PKI_SHARD_CACHE];
	pki_buf_release(&e->data);
	e->data = *n;
	memset(n, 0, sizeof(*n));
	snprintf(e->path, sizeof(e->path), "%s", path);
	memcpy(e->id, id, 41);
	e->lines = lines;
}

/* Appended: the header and the new lines only (0), or not so simple (1).
 * olines: the lines of o. */
static int parse_tail(const char *path, const struct pki_buf *o, const struct pki_buf *n,
		      size_t olines, size_t ci, struct rowset *nw)
{
	struct pki_buf tail = PKI_BUF_INIT;
	size_t head;
	int rc;

	if (o->len == 0 || o->ptr[o->len - 1] != '\n' || n->len < o->len ||
	    memcmp(o->ptr, n->ptr, o->len) != 0)
		return 1;
	head = strcspn(n->ptr, "\n") + 1;
	if ((rc = pki_buf_add(&tail, n->ptr, head)) == 0 &&
	    (rc = pki_buf_add(&tail, n->ptr + o->len, n->len - o->len)) == 0 &&
	    pki_audit_rows_parse(path, tail.ptr, tail.len, olines + 1,
				 ci, &nw->v, &nw->n, &nw->cap) < 0) {
		rowset_free(nw);
		rc = 1;
	}
	pki_buf_release(&tail);
	return rc;
}

/* Both versions whole: the new one's bad lines are a finding. */
static int parse_both(struct pki_auditor *au, size_t ci, const char *path,
		      const struct pki_buf *o, const struct pki_buf *n,
		      struct rowset *old, struct rowset *nw)
{
	char why[256];
	int rc;

	if ((rc = pki_audit_rows_read(path, n->ptr, n->len, ci, &nw->v, &nw->n, &nw->cap, why)) < 0)
		return rc;
	if (rc == 1 && (rc = pki_audit_add(au->a, PKI_A_REGISTRY_INVALID, path, "as of commit %s: %s",
					   au->cv[ci].c.id, why)) < 0)
		return rc;
	/* An old version's bad lines were reported when they were made. */
	if (o->len > 0 &&
	    (rc = pki_audit_rows_read(path, o->ptr, o->len, ci, &old->v, &old->n, &old->cap, why)) < 0)
		return rc;
	return 0;
}

/* Keep the rows of nw that seen[] does not mark: they are new. */
static int take_new(struct pki_auditor *au, struct rowset *nw, const bool *seen)
{
	struct pki_arow *grown;
	size_t i;

	for (i = 0; i < nw->n; i++) {
		if (seen[i])
			continue;
		if ((grown = pki_row_grow(au->rows, au->nrows, &au->caprows, sizeof(*grown))) == NULL)
			return pki_error_errno(PKI_EINTERNAL, "registry");
		au->rows = grown;
		au->rows[au->nrows++] = nw->v[i];
		nw->v[i].store = NULL;
	}
	return 0;
}

/*
 * Compare a shard between a parent version (old_id) and the commit's
 * (new_id).  With collect, the rows the commit added go to au->rows.
 */
int pki_audit_shard(struct pki_auditor *au, size_t ci, const char *path,
		    const char *old_id, const char *new_id, bool collect)
{
	const char *commit = au->cv[ci].c.id;
	struct pki_buf o = PKI_BUF_INIT, n = PKI_BUF_INIT;
	const struct pki_buf *op = &o;
	struct pki_ashard *hit = shard_cached(au, path, old_id);
	struct rowset old = { 0 }, nw = { 0 };
	bool *seen = NULL;
	size_t olines;
	int rc = 0;

	if (hit != NULL)
		op = &hit->data;
	else if ((rc = read_shard(au, old_id, &o)) < 0)
		goto out;
	olines = hit != NULL ? hit->lines : count_lines(op->ptr, op->len);
	if ((rc = read_shard(au, new_id, &n)) < 0)
		goto out;
	if (new_id[0] == '\0') {
		rc = pki_audit_add(au->a, PKI_A_ROW_REMOVED, path,
				   "shard deleted with its %zu lines by commit %s (policy 11.3.3)",
				   olines, commit);
		goto out;
	}
	if ((rc = parse_tail(path, op, &n, olines, ci, &nw)) == 1)
		rc = parse_both(au, ci, path, op, &n, &old, &nw);
	if (rc < 0)
		goto out;
	if ((seen = calloc(nw.n + 1, sizeof(*seen))) == NULL) {
		rc = pki_error_errno(PKI_EINTERNAL, "registry");
		goto out;
	}
	if ((rc = find_lost(au, commit, &old, &nw, seen)) == 0 && collect) {
		rc = take_new(au, &nw, seen);
		/* The first parent's line: this version is the next one's old. */
		shard_keep(au, path, new_id, &n, count_lines(n.ptr, n.len));
	}
out:
	free(seen);
	rowset_free(&old);
	rowset_free(&nw);
	pki_buf_release(&n);
	pki_buf_release(&o);
	return rc;
}

/* A merge's registry: nothing lost from any side; new rows are those no parent had. */
static int merge_compare(struct pki_auditor *au, size_t ci)
{
	struct pki_commit *c = &au->cv[ci].c;
	struct pki_delta *d = NULL;
	size_t nd = 0, k, i;
	int rc = 0;

	for (i = 0; i < c->ndeltas && rc == 0; i++)
		if (pki_audit_is_shard(c->deltas[i].path))
			rc = pki_audit_shard(au, ci, c->deltas[i].path, c->deltas[i].old_id,
					     c->deltas[i].new_id, true);
	for (k = 1; k < c->nparents && rc == 0; k++) {
		if ((rc = pki_repo_diff(au->repo, c->parents[k], c->id, &d, &nd)) < 0)
			break;
		for (i = 0; i < nd && rc == 0; i++)
			if (pki_audit_is_shard(d[i].path))
				rc = pki_audit_shard(au, ci, d[i].path, d[i].old_id, d[i].new_id, false);
		pki_deltas_free(d, nd);
		d = NULL;
	}
	return rc;
}

/* Mark in had[] the rows since row0 that a parent's version of shard holds. */
static int parent_had(struct pki_auditor *au, size_t ci, const char *parent,
		      const char *shard, bool *had)
{
	struct pki_acommit *ac = &au->cv[ci];
	struct pki_buf b = PKI_BUF_INIT;
	struct rowset other = { 0 };
	const struct pki_arow **ix = NULL;
	char id[41];
	size_t i, k;
	int rc = 0;

	if (pki_repo_id_at(au->repo, parent, shard, id) < 0)
		return 0;
	if ((rc = read_shard(au, id, &b)) < 0)
		goto out;
	if (pki_audit_rows_parse(shard, b.ptr, b.len, 2, ci, &other.v, &other.n, &other.cap) < 0)
		goto out;	/* reported when that parent was made */
	if ((ix = pki_audit_by_events(other.v, other.n)) == NULL) {
		rc = pki_error_errno(PKI_EINTERNAL, "registry");
		goto out;
	}
	for (i = ac->row0; i < au->nrows; i++) {
		if (strcmp(au->rows[i].shard, shard) != 0)
			continue;
		for (k = pki_audit_first_event(ix, other.n, au->rows[i].f[PKI_COL_EVENT]);
		     k < other.n && !had[i - ac->row0] &&
		     strcmp(ix[k]->f[PKI_COL_EVENT], au->rows[i].f[PKI_COL_EVENT]) == 0; k++)
			had[i - ac->row0] = pki_audit_same_row(&au->rows[i], ix[k]) < 0;
	}
out:
	free(ix);
	rowset_free(&other);
	pki_buf_release(&b);
	return rc;
}

/* A merge keeps the rows it added that no other parent had. */
static int merge_drop_inherited(struct pki_auditor *au, size_t ci)
{
	struct pki_acommit *ac = &au->cv[ci];
	size_t i, k, keep = ac->row0, n = au->nrows - ac->row0;
	bool *had;
	int rc = 0;

	if ((had = calloc(n + 1, sizeof(*had))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "history");
	for (k = 1; k < ac->c.nparents && rc == 0; k++)
		for (i = ac->row0; i < au->nrows && rc == 0; i++)
			/* Once per shard: at its first row. */
			if (i == ac->row0 || strcmp(au->rows[i].shard, au->rows[i - 1].shard) != 0)
				rc = parent_had(au, ci, ac->c.parents[k], au->rows[i].shard, had);
	for (i = ac->row0; i < au->nrows; i++) {
		if (had[i - ac->row0])
			free(au->rows[i].store);
		else
			au->rows[keep++] = au->rows[i];
	}
	au->nrows = keep;
	free(had);
	return rc;
}

int pki_audit_merge_rows(struct pki_auditor *au, size_t ci)
{
	int rc;

	if ((rc = merge_compare(au, ci)) < 0)
		return rc;
	return merge_drop_inherited(au, ci);
}

