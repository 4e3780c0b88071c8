/* audit-merge.c: a merge's tree is exactly the semantic merge of its
 * parents (pki-sync(1)).
 *
 * A merge commit's signer chooses its tree: nothing ties it to its
 * parents but the audit.  So the merge pki-sync computes is computed
 * again from the parents and their common ancestor, with the same pure
 * functions (table-merge.h, sync-merge.h): a path only one side changed
 * holds that side's version; one neither changed holds the ancestor's; a
 * registry shard both changed holds the union of both sides' rows (A121);
 * a table both changed, the row-by-row merge (A122, as any other file
 * that is not what it should be); a product both changed, the merged
 * label and the distribution list the merge's registry rows imply (A123:
 * its ciphertext is new, and the state checks at the tip read its
 * recipients).  A merge that settles
 * a true conflict one way is a finding too: pki-sync refuses to.
 */
#include <stdlib.h>
#include <string.h>

#include "audit-int.h"
#include "error.h"
#include "label.h"
#include "paths.h"
#include "registry.h"
#include "sync-merge.h"
#include "table-merge.h"

#define MERGE_TEXT_MAX (64 * 1024 * 1024)

struct mtree {
	struct pki_auditor *au;
	struct pki_commit *c;
	char base[41];
	struct pki_delta *d[3];	/* since base: ours, theirs, the merge */
	size_t n[3];
	char **merged;		/* paths both sides changed, merged right */
	size_t nmerged;
	char **products;	/* labels both sides changed, to judge */
	size_t nproducts;
};

static int keep_merged(struct mtree *m, const char *path)
{
	char **grown;

	if ((grown = realloc(m->merged, (m->nmerged + 1) * sizeof(*grown))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "history");
	m->merged = grown;
	if ((grown[m->nmerged] = strdup(path)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "history");
	m->nmerged++;
	return 0;
}

static int text(struct pki_auditor *au, const char *id, struct pki_buf *out)
{
	pki_buf_reset(out);
	return id[0] == '\0' ? 0 : pki_repo_blob(au->repo, id, MERGE_TEXT_MAX, false, out);
}

/* --- registry shards and tables --- */

static int judge_table(struct mtree *m, const char *path, const char *ids[4], bool registry)
{
	struct pki_buf b = PKI_BUF_INIT, o = PKI_BUF_INIT, t = PKI_BUF_INIT, got = PKI_BUF_INIT,
		       want = PKI_BUF_INIT;
	struct pki_merge3 in;
	char first[PKI_MERGE_KEY_MAX];
	size_t conflicts = 0;
	bool same = false;
	int rc;

	if ((rc = text(m->au, ids[0], &b)) < 0 || (rc = text(m->au, ids[1], &o)) < 0 ||
	    (rc = text(m->au, ids[2], &t)) < 0 || (rc = text(m->au, ids[3], &got)) < 0)
		goto out;
	in = (struct pki_merge3){ b.ptr, o.ptr, t.ptr, b.len, o.len, t.len };
	rc = registry ? pki_table_union(&want, path, &in, &conflicts, first) :
			pki_table_merge3_any(&want, path, &in, &conflicts, first);
	if (rc < 0) {	/* a side that does not parse was reported where it was made */
		pki_error_clear();
		rc = 0;
		goto out;
	}
	if (conflicts > 0) {
		rc = pki_audit_add(m->au->a, registry ? PKI_A_MERGE_ROWS : PKI_A_MERGE_TABLE,
				   m->c->id, "merges %s, whose row '%s' its parents changed "
				   "differently: a conflict no merge may settle (policy 11.3.3)",
				   path, first);
		goto out;
	}
	if (pki_table_same_rows(path, want.ptr, want.len, got.ptr, got.len, &same) < 0)
		pki_error_clear();
	if (same)
		rc = keep_merged(m, path);
	else if (registry)
		rc = pki_audit_add(m->au->a, PKI_A_MERGE_ROWS, m->c->id,
				   "%s is not the union of its parents' rows: the merge drops, "
				   "adds or doubles rows (policy 11.3.3)", path);
	else
		rc = pki_audit_add(m->au->a, PKI_A_MERGE_TABLE, m->c->id,
				   "%s is not its parents' tables merged row by row: the merge "
				   "adds, drops or changes rows (policy 12.10)", path);
out:
	pki_buf_release(&want);
	pki_buf_release(&got);
	pki_buf_release(&t);
	pki_buf_release(&o);
	pki_buf_release(&b);
	return rc;
}

/* --- products --- */

static int label_of(struct pki_auditor *au, const char *id, struct pki_label *l, bool *present)
{
	struct pki_buf b = PKI_BUF_INIT;
	int rc = 0;

	memset(l, 0, sizeof(*l));
	*present = false;
	if (id[0] == '\0')
		return 0;
	if ((rc = pki_repo_blob(au->repo, id, PKI_LABEL_MAX, false, &b)) == 0) {
		if (pki_label_parse(l, b.ptr, b.len) == 0)
			*present = true;
		else
			pki_error_clear();	/* A305, where it was written */
	}
	pki_buf_release(&b);
	return rc;
}

static bool same_list(const struct pki_names *want, char *const *v, size_t n)
{
	size_t i;

	if (want->n != n)
		return false;
	for (i = 0; i < n; i++)
		if (!pki_names_has(want, v[i]))
			return false;
	return true;
}

/* The merge's registry rows about the products both sides changed. */
static int load_rows(struct mtree *m, struct pki_list_rows *rows)
{
	struct pki_entry *e = NULL;
	struct pki_buf b = PKI_BUF_INIT, path = PKI_BUF_INIT;
	size_t n = 0, i;
	int rc;

	if ((rc = pki_repo_list_at(m->au->repo, m->c->id, PKI_REGISTRY_DIR, &e, &n)) ==
	    -PKI_ENOINPUT) {
		pki_error_clear();
		return 0;
	}
	for (i = 0; i < n && rc == 0; i++) {
		pki_buf_reset(&path);
		if (e[i].id[0] == '\0' ||
		    (rc = pki_buf_printf(&path, "%s/%s", PKI_REGISTRY_DIR, e[i].name)) < 0 ||
		    (rc = pki_repo_blob(m->au->repo, e[i].id, MERGE_TEXT_MAX, false, &b)) < 0)
			continue;
		if (pki_list_rows_add(rows, path.ptr, b.ptr, b.len, m->products, m->nproducts) < 0)
			pki_error_clear();	/* a shard that does not parse: A2xx */
	}
	free(e);
	pki_buf_release(&path);
	pki_buf_release(&b);
	return rc;
}

/* ids: the label's versions, base, ours, theirs, the merge's. */
static int judge_label(struct mtree *m, struct pki_list_rows *rows, const char *path,
		       const char *ids[4])
{
	const unsigned rest = PKI_LF_ALL & ~(unsigned)(PKI_LF_DISTRIBUTION | PKI_LF_BINDING);
	struct pki_label l[4];
	struct pki_names want = { 0 };
	bool have[4], any;
	unsigned conflicts;
	char pid[PKI_ID_MAX];
	int rc = 0, k;

	memset(l, 0, sizeof(l));
	if (!pki_merge_product_id(path, pid, sizeof(pid)))
		return 0;
	for (k = 0; k < 4 && rc == 0; k++)
		rc = label_of(m->au, ids[k], &l[k], &have[k]);
	if (rc < 0 || !have[1] || !have[2] || !have[3] || !have[0])
		goto out;	/* filed twice, removed, unparsable: other checks */
	if ((conflicts = pki_label_merge3(&l[1], &l[0], &l[2])) != 0) {
		rc = pki_audit_add(m->au->a, PKI_A_MERGE_PRODUCT, pid, "merge %s settles a "
				   "conflict: its parents changed the label's %s differently "
				   "(policy 11.2.1)", m->c->id,
				   pki_label_field_name(conflicts & -conflicts));
		goto out;
	}
	if ((rc = pki_list_implied(&want, rows, pid, &any)) < 0)
		goto out;
	if ((pki_label_diff(&l[1], &l[3]) & rest) != 0)
		rc = pki_audit_add(m->au->a, PKI_A_MERGE_PRODUCT, pid, "merge %s gives the "
				   "label a %s its parents' labels do not merge to (policy 11.2.1)",
				   m->c->id,
				   pki_label_field_name((pki_label_diff(&l[1], &l[3]) & rest) &
							-(pki_label_diff(&l[1], &l[3]) & rest)));
	else if (!any || !same_list(&want, l[3].recipients, l[3].nrecipients))
		rc = pki_audit_add(m->au->a, PKI_A_MERGE_PRODUCT, pid, "merge %s gives a "
				   "distribution list other than its registry rows imply: a "
				   "recipient added or dropped (policy 9.8)", m->c->id);
	else
		rc = keep_merged(m, path);
out:
	pki_names_release(&want);
	for (k = 0; k < 4; k++)
		pki_label_release(&l[k]);
	return rc;
}

/* A label both sides changed: judged once the registry's rows are read. */
static int defer_label(struct mtree *m, const char *path)
{
	char **grown;

	if ((grown = realloc(m->products, (m->nproducts + 1) * sizeof(*grown))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "history");
	m->products = grown;
	if ((grown[m->nproducts] = strdup(path)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "history");
	m->nproducts++;
	return 0;
}

/* The deferred labels, by the merge's registry. */
static int judge_labels(struct mtree *m)
{
	struct pki_list_rows rows = { 0 };
	const struct pki_delta *o, *t, *g;
	const char *ids[4];
	char pid[PKI_ID_MAX], *path;
	size_t i;
	int rc = 0;

	if (m->nproducts == 0)
		return 0;
	/* The rows are read for the products' IDs: the paths become IDs. */
	for (i = 0; i < m->nproducts; i++) {
		path = m->products[i];
		if (!pki_merge_product_id(path, pid, sizeof(pid)))
			pid[0] = '\0';
		if ((m->products[i] = strdup(pid)) == NULL) {
			m->products[i] = path;
			return pki_error_errno(PKI_EINTERNAL, "history");
		}
		free(path);
	}
	if ((rc = load_rows(m, &rows)) < 0)
		goto out;
	for (i = 0; i < m->nproducts && rc == 0; i++) {
		char xml[PKI_PRODUCT_PATH_MAX];

		if (pki_product_path(m->products[i], "xml", xml) < 0) {
			pki_error_clear();
			continue;
		}
		o = pki_delta_find(m->d[0], m->n[0], xml);
		t = pki_delta_find(m->d[1], m->n[1], xml);
		g = pki_delta_find(m->d[2], m->n[2], xml);
		ids[0] = o->old_id;
		ids[1] = o->new_id;
		ids[2] = t->new_id;
		ids[3] = g != NULL ? g->new_id : o->old_id;
		rc = judge_label(m, &rows, xml, ids);
	}
out:
	pki_list_rows_release(&rows);
	return rc;
}

/* --- every path --- */

static int judge_path(struct mtree *m, const char *path)
{
	const struct pki_delta *o = pki_delta_find(m->d[0], m->n[0], path),
			       *t = pki_delta_find(m->d[1], m->n[1], path),
			       *g = pki_delta_find(m->d[2], m->n[2], path);
	const char *base = o != NULL ? o->old_id : t != NULL ? t->old_id : g->old_id;
	const char *got = g != NULL ? g->new_id : base, *want;
	const char *ids[4];
	char pid[PKI_ID_MAX];
	enum pki_merge_kind kind = pki_merge_kind_of(path);

	if (o != NULL && t != NULL && strcmp(o->new_id, t->new_id) != 0) {
		ids[0] = base;
		ids[1] = o->new_id;
		ids[2] = t->new_id;
		ids[3] = got;
		if (o->new_id[0] != '\0' && t->new_id[0] != '\0' && got[0] != '\0') {
			if (kind == PKI_MERGE_REGISTRY || kind == PKI_MERGE_TABLE)
				return judge_table(m, path, ids, kind == PKI_MERGE_REGISTRY);
			if (kind == PKI_MERGE_PRODUCT) {
				size_t len = strlen(path);

				/* The label judges the product; its ciphertext is new. */
				if (len > 4 && strcmp(path + len - 4, ".gpg") == 0)
					return keep_merged(m, path);
				return defer_label(m, path);
			}
		}
		return pki_audit_add(m->au->a, PKI_A_MERGE_TABLE, m->c->id, "its parents changed "
				     "'%s' differently, and no merge may settle that "
				     "(policy 11.3.3)", path);
	}
	want = o != NULL ? o->new_id : t != NULL ? t->new_id : base;
	if (strcmp(got, want) == 0)
		return 0;
	if (kind == PKI_MERGE_REGISTRY)
		return pki_audit_add(m->au->a, PKI_A_MERGE_ROWS, m->c->id,
				     "%s is not the union of its parents' rows: the merge drops, "
				     "adds or doubles rows (policy 11.3.3)", path);
	if (kind == PKI_MERGE_PRODUCT && pki_merge_product_id(path, pid, sizeof(pid)))
		return pki_audit_add(m->au->a, PKI_A_MERGE_PRODUCT, pid, "merge %s changes %s, "
				     "which %s (policy 11.3.3)", m->c->id, path,
				     o != NULL || t != NULL ? "only one parent changed" :
							      "neither parent changed");
	return pki_audit_add(m->au->a, PKI_A_MERGE_TABLE, m->c->id,
			     "changes '%s', which %s: a merge brings its parents together and "
			     "adds nothing (policy 11.3.3)", path,
			     o != NULL || t != NULL ? "only one parent changed" :
						      "neither parent changed");
}

static int by_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The merge's own deltas lose the paths merged right. */
static void drop_merged(struct mtree *m)
{
	struct pki_commit *c = m->c;
	size_t i, j;

	if (m->nmerged == 0)
		return;
	qsort(m->merged, m->nmerged, sizeof(*m->merged), by_path);
	for (i = j = 0; i < c->ndeltas; i++) {
		if (bsearch(&c->deltas[i].path, m->merged, m->nmerged, sizeof(*m->merged),
			    by_path) != NULL)
			free(c->deltas[i].path);
		else
			c->deltas[j++] = c->deltas[i];
	}
	c->ndeltas = j;
}

int pki_audit_merge_tree(struct pki_auditor *au, size_t ci)
{
	struct mtree m = { .au = au, .c = &au->cv[ci].c };
	size_t k, i;
	int rc;

	if (m.c->nparents != 2)
		return 0;	/* an octopus: judged by its signer's rights alone */
	if ((rc = pki_repo_merge_base(au->repo, m.c->parents[0], m.c->parents[1], m.base)) < 0 ||
	    m.base[0] == '\0')
		return rc;	/* unrelated histories: A109 */
	if ((rc = pki_repo_diff(au->repo, m.base, m.c->parents[0], &m.d[0], &m.n[0])) < 0 ||
	    (rc = pki_repo_diff(au->repo, m.base, m.c->parents[1], &m.d[1], &m.n[1])) < 0 ||
	    (rc = pki_repo_diff(au->repo, m.base, m.c->id, &m.d[2], &m.n[2])) < 0)
		goto out;
	/* Each path any of the three changed, once. */
	for (k = 0; k < 3 && rc == 0; k++)
		for (i = 0; i < m.n[k] && rc == 0; i++)
			if ((k < 1 || pki_delta_find(m.d[0], m.n[0], m.d[k][i].path) == NULL) &&
			    (k < 2 || pki_delta_find(m.d[1], m.n[1], m.d[k][i].path) == NULL))
				rc = judge_path(&m, m.d[k][i].path);
	if (rc == 0 && (rc = judge_labels(&m)) == 0)
		drop_merged(&m);
out:
	for (k = 0; k < 3; k++)
		pki_deltas_free(m.d[k], m.n[k]);
	for (i = 0; i < m.nmerged; i++)
		free(m.merged[i]);
	free(m.merged);
	for (i = 0; i < m.nproducts; i++)
		free(m.products[i]);
	free(m.products);
	return rc;
}
