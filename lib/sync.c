/* sync.c: pki-sync, bringing a clone and another repository together.
 *
 * The merge is computed file by file from the paths each side changed
 * since the common ancestor: what one side alone changed is taken as it
 * is; what both changed is merged by kind (sync-merge.h), or is a true
 * conflict that leaves the clone as it was.  The merged tree is staged
 * in one transaction and committed with both tips as parents, signed by
 * the acting principal; the branch moves last, as for any change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "label.h"
#include "product.h"
#include "registry.h"
#include "progress.h"
#include "repo.h"
#include "session.h"
#include "sync.h"
#include "sync-check.h"
#include "sync-merge.h"
#include "table-merge.h"

#define TABLE_MAX (64 * 1024 * 1024)	/* a registry shard, a table: bytes */

/* One merge being built. */
struct merge {
	struct pki_session *s;
	struct pki_txn *t;
	const char *remote;
	const struct pki_progress *progress;
	char base[41], ours[41], theirs[41];
	struct pki_delta *dours, *dtheirs;
	size_t nours, ntheirs;
	char **products;	/* IDs both sides changed */
	size_t nproducts;
	struct pki_list_rows rows;	/* their rows in the merged registry */
	size_t reencrypted;
};

static const char *remote_name(const char *remote)
{
	return remote != NULL ? remote : "origin";
}

/* A blob by ID ("" : absent, an empty text). */
static int blob(struct pki_repo *r, const char *id, struct pki_buf *out)
{
	pki_buf_reset(out);
	return id[0] == '\0' ? 0 : pki_repo_blob(r, id, TABLE_MAX, false, out);
}

/* The base version's ID of a path: from whichever side's delta has it. */
static const char *base_id(const struct pki_delta *o, const struct pki_delta *t)
{
	return o != NULL ? o->old_id : t->old_id;
}

static int stage_id(struct pki_txn *t, const char *path, const char *id)
{
	if (id[0] == '\0')
		return pki_txn_exists(t, path) ? pki_txn_remove(t, path) : 0;
	return pki_txn_put_id(t, path, id);
}

/* --- tables and registry shards --- */

static int merge_table(struct merge *m, const struct pki_delta *o, const struct pki_delta *t,
		       bool registry)
{
	struct pki_buf b = PKI_BUF_INIT, ob = PKI_BUF_INIT, tb = PKI_BUF_INIT, out = PKI_BUF_INIT;
	struct pki_merge3 in;
	char first[PKI_MERGE_KEY_MAX];
	size_t conflicts = 0;
	int rc;

	if ((rc = blob(m->s->repo, base_id(o, t), &b)) < 0 ||
	    (rc = blob(m->s->repo, o->new_id, &ob)) < 0 ||
	    (rc = blob(m->s->repo, t->new_id, &tb)) < 0)
		goto out;
	in = (struct pki_merge3){ b.ptr, ob.ptr, tb.ptr, b.len, ob.len, tb.len };
	rc = registry ? pki_table_union(&out, o->path, &in, &conflicts, first) :
			pki_table_merge3_any(&out, o->path, &in, &conflicts, first);
	if (rc < 0)
		goto out;
	if (conflicts > 0) {
		rc = pki_error(PKI_EDATA, "conflict: %s: the row '%s' was changed differently on "
			       "both sides%s", o->path, first,
			       conflicts > 1 ? " (and others)" : "");
		goto out;
	}
	rc = pki_txn_put(m->t, o->path, out.ptr, out.len);
out:
	pki_buf_release(&out);
	pki_buf_release(&tb);
	pki_buf_release(&ob);
	pki_buf_release(&b);
	return rc;
}

/* --- products --- */

static int note_product(struct merge *m, const char *path)
{
	char id[PKI_ID_MAX], **grown;
	size_t i;

	if (!pki_merge_product_id(path, id, sizeof(id)))
		return pki_error(PKI_EINTERNAL, "'%s' is not a product's file", path);
	for (i = 0; i < m->nproducts; i++)
		if (strcmp(m->products[i], id) == 0)
			return 0;
	if ((grown = realloc(m->products, (m->nproducts + 1) * sizeof(*grown))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "sync");
	m->products = grown;
	if ((grown[m->nproducts] = strdup(id)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "sync");
	m->nproducts++;
	return 0;
}

/* A product's label at a commit; *present false when it has none. */
static int label_at(struct pki_repo *r, const char *commit, const char *path,
		    struct pki_label *l, bool *present)
{
	struct pki_buf b = PKI_BUF_INIT;
	int rc;

	memset(l, 0, sizeof(*l));
	*present = false;
	if ((rc = pki_repo_read_at(r, commit, path, PKI_LABEL_MAX, &b)) == -PKI_ENOINPUT) {
		pki_error_clear();
		rc = 0;
	} else if (rc == 0 && (rc = pki_label_parse(l, b.ptr, b.len)) == 0) {
		*present = true;
	}
	pki_buf_release(&b);
	return rc;
}

static int id_at(struct pki_repo *r, const char *commit, const char *path, char id[41])
{
	int rc = pki_repo_id_at(r, commit, path, id);

	if (rc == -PKI_ENOINPUT) {
		pki_error_clear();
		id[0] = '\0';
		return 0;
	}
	return rc;
}

static bool names_are(const struct pki_names *list, char *const *v, size_t n)
{
	size_t i;

	if (list->n != n)
		return false;
	for (i = 0; i < n; i++)
		if (!pki_names_has(list, v[i]))
			return false;
	return true;
}

/* Both files of a product as one side has them. */
static int take_side(struct merge *m, const char *commit, const char *xml, const char *gpg)
{
	char xid[41], gid[41];
	int rc;

	if ((rc = id_at(m->s->repo, commit, xml, xid)) < 0 ||
	    (rc = id_at(m->s->repo, commit, gpg, gid)) < 0 ||
	    (rc = stage_id(m->t, xml, xid)) < 0)
		return rc;
	return stage_id(m->t, gpg, gid);
}

static int merge_product(struct merge *m, const struct pki_matrix *matrix, const char *id)
{
	const unsigned rest = PKI_LF_ALL & ~(unsigned)(PKI_LF_DISTRIBUTION | PKI_LF_BINDING);
	struct pki_label b, o, t;
	struct pki_names list = { 0 };
	char xml[PKI_PRODUCT_PATH_MAX], gpg[PKI_PRODUCT_PATH_MAX];
	bool hb, ho, ht, any;
	unsigned dbo, dbt, dot, conflicts, taken, bit;
	int rc;

	memset(&b, 0, sizeof(b));
	memset(&o, 0, sizeof(o));
	memset(&t, 0, sizeof(t));
	if ((rc = pki_product_path(id, "xml", xml)) < 0 ||
	    (rc = pki_product_path(id, "gpg", gpg)) < 0 ||
	    (rc = label_at(m->s->repo, m->base, xml, &b, &hb)) < 0 ||
	    (rc = label_at(m->s->repo, m->ours, xml, &o, &ho)) < 0 ||
	    (rc = label_at(m->s->repo, m->theirs, xml, &t, &ht)) < 0)
		goto out;
	if (!ho || !ht || !hb) {
		/* Added on both sides (one ID twice), or removed on one. */
		if (ho && ht && pki_label_diff(&o, &t) == 0)
			goto out;
		rc = pki_error(PKI_EDATA, "conflict: product %s was %s", id,
			       hb ? "removed on one side and changed on the other" :
				    "filed on both sides, differently");
		goto out;
	}
	dbo = pki_label_diff(&b, &o) & rest;
	dbt = pki_label_diff(&b, &t) & rest;
	dot = pki_label_diff(&o, &t) & rest;
	if ((conflicts = dbt & dot & dbo) != 0) {
		for (bit = 1; !(conflicts & bit); bit <<= 1)
			;
		rc = pki_error(PKI_EDATA, "conflict: product %s: its %s was changed differently "
			       "on both sides", id, pki_label_field_name(bit));
		goto out;
	}
	taken = dbt & dot;
	if ((rc = pki_list_implied(&list, &m->rows, id, &any)) < 0)
		goto out;
	if (!any) {
		rc = pki_error(PKI_EDATA, "product %s: no registry row gives its list", id);
		goto out;
	}
	/* One side's product is the merge already: no new ciphertext. */
	if (taken == 0 && names_are(&list, o.recipients, o.nrecipients)) {
		rc = take_side(m, m->ours, xml, gpg);
		goto out;
	}
	if (taken == dot && names_are(&list, t.recipients, t.nrecipients)) {
		rc = take_side(m, m->theirs, xml, gpg);
		goto out;
	}
	(void)pki_label_merge3(&o, &b, &t);
	/* Re-encrypt ours' ciphertext (which o's binding names) to the list. */
	if ((rc = take_side(m, m->ours, xml, gpg)) < 0 ||
	    (rc = pki_product_reencrypt(m->t, m->s->gpg, matrix, &o, &list)) < 0)
		goto out;
	m->reencrypted++;
out:
	pki_names_release(&list);
	pki_label_release(&t);
	pki_label_release(&o);
	pki_label_release(&b);
	return rc;
}

/* The rows of the merged registry about the products both sides changed. */
static int load_rows(struct merge *m)
{
	struct pki_buf b = PKI_BUF_INIT, path = PKI_BUF_INIT;
	char **names = NULL;
	size_t n = 0, i;
	int rc;

	if (m->nproducts == 0)
		return 0;
	if ((rc = pki_txn_list(m->t, PKI_REGISTRY_DIR, &names, &n)) < 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++) {
		pki_buf_reset(&path);
		if ((rc = pki_buf_printf(&path, "%s/%s", PKI_REGISTRY_DIR, names[i])) == 0 &&
		    (rc = pki_txn_read(m->t, path.ptr, PKI_SHARD_MAX, &b)) == 0)
			rc = pki_list_rows_add(&m->rows, path.ptr, b.ptr, b.len, m->products,
					       m->nproducts);
	}
	pki_strv_free(names);
	pki_buf_release(&path);
	pki_buf_release(&b);
	return rc;
}

/* --- the merge --- */

/* Each path theirs changed: taken, already the same, or merged. */
static int merge_paths(struct merge *m)
{
	const struct pki_delta *t, *o;
	size_t i;
	int rc = 0;

	for (i = 0; i < m->ntheirs && rc == 0; i++) {
		t = &m->dtheirs[i];
		o = pki_delta_find(m->dours, m->nours, t->path);
		if (o == NULL) {
			rc = stage_id(m->t, t->path, t->new_id);
			continue;
		}
		if (strcmp(o->new_id, t->new_id) == 0)
			continue;
		switch (pki_merge_kind_of(t->path)) {
		case PKI_MERGE_REGISTRY:
		case PKI_MERGE_TABLE:
			if (o->new_id[0] == '\0' || t->new_id[0] == '\0')
				rc = pki_error(PKI_EDATA, "conflict: %s was removed on one side and "
					       "changed on the other", t->path);
			else
				rc = merge_table(m, o, t,
						 pki_merge_kind_of(t->path) == PKI_MERGE_REGISTRY);
			break;
		case PKI_MERGE_PRODUCT:
			rc = note_product(m, t->path);
			break;
		default:
			rc = pki_error(PKI_EDATA, "conflict: %s was changed differently on both sides",
				       t->path);
		}
	}
	return rc;
}

static int merge_message(struct merge *m, const struct pki_state *st, struct pki_buf *msg)
{
	char object[256];
	int rc;

	snprintf(object, sizeof(object), "%.12s from %s", m->theirs, remote_name(m->remote));
	if ((rc = pki_msg_subject(msg, m->s->prog, "merge", object)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", "merge")) < 0)
		return rc;
	if (m->reencrypted > 0 &&
	    (rc = pki_buf_printf(msg, "Pki-Reencrypted: %zu\n", m->reencrypted)) < 0)
		return rc;
	return pki_msg_trailer(msg, "Pki-Actor", st->actor->name);
}

/* A merge commit is dated after both its parents (the audit's A107). */
static int clock_after(struct merge *m, const char *commit)
{
	char now[PKI_TIME_LEN], then[PKI_TIME_LEN];
	time_t when;
	int rc;

	if ((rc = pki_repo_commit_time(m->s->repo, commit, &when)) < 0 || m->s->now >= when)
		return rc;
	pki_time_format(m->s->now, now);
	pki_time_format(when, then);
	return pki_error(PKI_EBUSY, "%.12s is dated %s, after this clock's %s: time never goes "
			 "back along the history; try again then, or set the clock right",
			 commit, then, now);
}

static int merge_build(struct merge *m)
{
	struct pki_buf msg = PKI_BUF_INIT;
	struct pki_state st;
	struct pki_ident who;
	size_t i;
	int rc;

	memset(&st, 0, sizeof(st));
	if ((rc = clock_after(m, m->ours)) < 0 || (rc = clock_after(m, m->theirs)) < 0 ||
	    (rc = pki_repo_diff(m->s->repo, m->base, m->ours, &m->dours, &m->nours)) < 0 ||
	    (rc = pki_repo_diff(m->s->repo, m->base, m->theirs, &m->dtheirs, &m->ntheirs)) < 0 ||
	    (rc = merge_paths(m)) < 0)
		goto out;
	/* The products are judged by the tables as merged. */
	if ((rc = pki_state_load(&st, m->t, m->s->key.fpr, m->s->now)) < 0 ||
	    (rc = pki_state_need_actor(&st, m->s->key.fpr)) < 0 ||
	    (rc = pki_sync_check_shares(&(struct pki_sync_sides){
			m->s->repo, m->base, m->ours, m->theirs, m->dours, m->nours, m->dtheirs,
			m->ntheirs, remote_name(m->remote), m->s->now })) < 0 ||
	    (rc = load_rows(m)) < 0)
		goto out;
	for (i = 0; i < m->nproducts && rc == 0; i++) {
		pki_progress_report(m->progress, "Merging products", i, m->nproducts);
		rc = merge_product(m, &st.matrix, m->products[i]);
	}
	if (rc < 0)
		goto out;
	pki_progress_report(m->progress, "Merging products", m->nproducts, m->nproducts);
	who = (struct pki_ident){ m->s->key.fpr,
				  m->s->key.name[0] != '\0' ? m->s->key.name : m->s->key.email,
				  m->s->key.email, m->s->now };
	if ((rc = merge_message(m, &st, &msg)) < 0 ||
	    (rc = pki_txn_merge_parent(m->t, m->theirs)) < 0)
		goto out;
	rc = pki_txn_commit(m->t, m->s->gpg, &who, msg.ptr);
out:
	pki_state_release(&st);
	pki_buf_release(&msg);
	return rc;
}

static void merge_release(struct merge *m)
{
	size_t i;

	pki_deltas_free(m->dours, m->nours);
	pki_deltas_free(m->dtheirs, m->ntheirs);
	for (i = 0; i < m->nproducts; i++)
		free(m->products[i]);
	free(m->products);
	pki_list_rows_release(&m->rows);
}

/* One round's bringing together, under the lock, from the tip. */
static int bring(struct pki_session *s, const struct pki_sync_req *r, const char *theirs,
		 struct pki_sync_result *res)
{
	struct merge m = { .s = s, .remote = r->remote, .progress = r->progress };
	int rc;

	if ((rc = pki_txn_begin(&m.t, s->repo)) < 0 || (rc = pki_repo_tip(s->repo, m.ours)) < 0)
		goto out;
	memcpy(m.theirs, theirs, 41);
	res->done = PKI_SYNC_NOTHING;
	if (theirs[0] == '\0' || strcmp(m.ours, theirs) == 0) {
		res->done = theirs[0] == '\0' ? PKI_SYNC_AHEAD : PKI_SYNC_NOTHING;
		goto out;
	}
	if ((rc = pki_repo_merge_base(s->repo, m.ours, theirs, m.base)) < 0)
		goto out;
	if (m.base[0] == '\0') {
		rc = pki_error(PKI_EDATA, "%s shares no history with this clone: another mission's "
			       "repository?", remote_name(r->remote));
		goto out;
	}
	if (strcmp(m.base, theirs) == 0) {
		res->done = PKI_SYNC_AHEAD;
	} else if (strcmp(m.base, m.ours) == 0) {
		if ((rc = pki_txn_fast_forward(m.t, theirs)) == 0)
			res->done = PKI_SYNC_FORWARD;
	} else if ((rc = merge_build(&m)) == 0) {
		res->done = PKI_SYNC_MERGED;
		res->reencrypted += m.reencrypted;
	}
out:
	merge_release(&m);
	pki_txn_free(m.t);
	return rc;
}

int pki_sync_run(struct pki_session *s, const struct pki_sync_req *r,
		 struct pki_sync_result *out)
{
	char theirs[41], tip[41];
	int rc = 0, round;

	memset(out, 0, sizeof(*out));
	if (!s->have_key)
		return pki_error(PKI_EINTERNAL, "a sync needs an acting key");
	for (round = 0; round < PKI_SYNC_ROUNDS; round++) {
		if ((rc = pki_repo_fetch(s->repo, r->remote, r->progress, theirs)) < 0 ||
		    (rc = bring(s, r, theirs, out)) < 0 || (rc = pki_repo_tip(s->repo, tip)) < 0)
			return rc;
		memcpy(out->tip, tip, sizeof(tip));
		if (r->no_push || strcmp(tip, theirs) == 0)
			return 0;
		if ((rc = pki_repo_push(s->repo, r->remote, r->progress)) == 0) {
			out->pushed = true;
			return 0;
		}
		if (rc != -PKI_EBUSY)
			return rc;
		pki_error_clear();
	}
	return pki_error(PKI_EBUSY, "%s kept moving during %d rounds of fetch, merge and push: "
			 "try again", remote_name(r->remote), PKI_SYNC_ROUNDS);
}
