/* audit-state.c: the products at the tip (audit checks 3 to 7).
 *
 * A full audit checks every product and every row; an audit --since
 * checks the products its commits touched or its rows named, so a
 * nightly run costs what the day added.  Each product: its label is
 * there, valid, and bound to the ciphertext by SHA-256; the registry has
 * its origin and agrees on its level (here); the label, the registry and
 * the ciphertext agree on its distribution list, and a safety product
 * reached UNDSS (audit-lists.c); its review date has not passed
 * (audit-overdue.c).  Then events recorded twice, and the half-years
 * whose products were not all transferred to the archives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-int.h"
#include "error.h"
#include "rows.h"
#include "sha256.h"

struct state {
	struct pki_auditor *au;
	const struct pki_matrix *m;	/* the tip's */
	struct pki_arow *rows;		/* every row at the tip */
	size_t nrows, caprows;
	const struct pki_arow **by;	/* rows sorted by product, then time */
	char **ids;			/* the products to check, sorted */
	size_t nids, capids;
	struct pki_apool pool;		/* names split from rows, per product */
	size_t *ended;			/* per row of m: lists it is on, ended */
};

int pki_audit_label_at(struct pki_auditor *au, const char *commit, const char *id,
		       const struct pki_label **out)
{
	char path[PKI_PRODUCT_PATH_MAX], blob[41];
	const char *why;
	int rc;

	*out = NULL;
	if ((rc = pki_product_path(id, "xml", path)) < 0 ||
	    (rc = pki_repo_id_at(au->repo, commit, path, blob)) < 0 ||
	    (rc = pki_audit_label(au, blob, out, &why)) < 0)
		return rc;
	return *out != NULL ? 0 : pki_error(PKI_EDATA, "%s", why);
}

/* --- what to check --- */

static int add_id(struct state *st, const char *id)
{
	char **grown;

	/* A row naming no product ID was a finding of its own (A206). */
	if (pki_check_product_id(id) < 0)
		return 0;
	if ((grown = pki_row_grow(st->ids, st->nids, &st->capids, sizeof(*grown))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "products");
	st->ids = grown;
	if ((st->ids[st->nids] = strdup(id)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "products");
	st->nids++;
	return 0;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void unique_ids(struct state *st)
{
	size_t i, j;

	if (st->nids == 0)
		return;
	qsort(st->ids, st->nids, sizeof(*st->ids), by_string);
	for (i = j = 0; i < st->nids; i++) {
		if (j > 0 && strcmp(st->ids[j - 1], st->ids[i]) == 0)
			free(st->ids[i]);
		else
			st->ids[j++] = st->ids[i];
	}
	st->nids = j;
}

/* Every product file at the tip, by listing its buckets. */
static int tip_products(struct state *st)
{
	struct pki_entry *b = NULL, *f = NULL;
	size_t nb = 0, nf = 0, i, k, len;
	char dir[256], id[PKI_ID_MAX];
	int rc;

	if ((rc = pki_repo_list_at(st->au->repo, st->au->tip, "products", &b, &nb)) < 0)
		return rc;
	for (i = 0; i < nb && rc == 0; i++) {
		snprintf(dir, sizeof(dir), "products/%s", b[i].name);
		if ((rc = pki_repo_list_at(st->au->repo, st->au->tip, dir, &f, &nf)) < 0)
			break;
		for (k = 0; k < nf && rc == 0; k++) {
			len = strlen(f[k].name);
			if (len < 5 || len - 4 >= PKI_ID_MAX)
				continue;
			memcpy(id, f[k].name, len - 4);
			id[len - 4] = '\0';
			rc = add_id(st, id);
		}
		free(f);
		f = NULL;
	}
	free(b);
	return rc;
}

static int tip_rows(struct state *st)
{
	struct pki_buf b = PKI_BUF_INIT;
	struct pki_entry *v = NULL;
	char path[64], why[256];
	size_t n = 0, i;
	int rc;

	if ((rc = pki_repo_list_at(st->au->repo, st->au->tip, PKI_REGISTRY_DIR, &v, &n)) < 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++) {
		if (v[i].id[0] == '\0' || strlen(v[i].name) > 32)
			continue;
		snprintf(path, sizeof(path), PKI_REGISTRY_DIR "/%s", v[i].name);
		if ((rc = pki_repo_blob(st->au->repo, v[i].id, PKI_SHARD_MAX, false, &b)) < 0)
			break;
		/* Bad lines were reported by the commit that made them. */
		if ((rc = pki_audit_rows_read(path, b.ptr, b.len, PKI_NO_COMMIT, &st->rows,
					      &st->nrows, &st->caprows, why)) > 0)
			rc = 0;
	}
	pki_buf_release(&b);
	free(v);
	return rc;
}

static int by_product(const void *a, const void *b)
{
	const struct pki_arow *x = *(const struct pki_arow *const *)a;
	const struct pki_arow *y = *(const struct pki_arow *const *)b;
	int c;

	if ((c = strcmp(x->f[PKI_COL_PRODUCT], y->f[PKI_COL_PRODUCT])) != 0 ||
	    (c = strcmp(x->f[PKI_COL_TIME], y->f[PKI_COL_TIME])) != 0 ||
	    (c = strcmp(x->shard, y->shard)) != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* The products to check: all of them, or those the walked commits touched. */
static int choose(struct state *st)
{
	struct pki_auditor *au = st->au;
	size_t i, k;
	int rc = 0;

	if ((st->by = calloc(st->nrows + 1, sizeof(*st->by))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "registry");
	for (i = 0; i < st->nrows; i++)
		st->by[i] = &st->rows[i];
	qsort(st->by, st->nrows, sizeof(*st->by), by_product);
	if (au->a->since[0] == '\0') {
		if ((rc = tip_products(st)) < 0)
			return rc;
		for (i = 0; i < st->nrows && rc == 0; i++)
			rc = add_id(st, st->rows[i].f[PKI_COL_PRODUCT]);
	} else {
		for (i = 0; i < au->nc && rc == 0; i++)
			for (k = 0; k < au->cv[i].ntouch && rc == 0; k++)
				rc = add_id(st, au->cv[i].touch[k].id);
		for (i = 0; i < au->nrows && rc == 0; i++)
			rc = add_id(st, au->rows[i].f[PKI_COL_PRODUCT]);
	}
	unique_ids(st);
	return rc;
}

/* --- one product --- */

static int check_files(struct state *st, struct pki_aproduct *p)
{
	struct pki_auditor *au = st->au;
	char path[PKI_PRODUCT_PATH_MAX], object[64];
	const char *why;
	int rc = 0;

	if (pki_product_path(p->id, "gpg", path) < 0 ||
	    pki_repo_id_at(au->repo, au->tip, path, p->gpg) < 0)
		p->gpg[0] = '\0';
	if (pki_product_path(p->id, "xml", path) < 0 ||
	    pki_repo_id_at(au->repo, au->tip, path, p->xml) < 0)
		p->xml[0] = '\0';
	if (p->gpg[0] == '\0' && p->xml[0] == '\0') {
		if (p->nrows == 0)
			return 0;
		snprintf(object, sizeof(object), "%s:%zu", p->rows[0]->shard, p->rows[0]->line);
		return pki_audit_add(au->a, PKI_A_ROW_NO_PRODUCT, object,
				     "row %s names %s, which is not in the repository (policy 11.3.3)",
				     p->rows[0]->f[PKI_COL_EVENT], p->id);
	}
	if (p->xml[0] == '\0')
		return pki_audit_add(au->a, PKI_A_LABEL_MISSING, p->id,
				     "the ciphertext has no label (policy 11.3.3)");
	if ((rc = pki_audit_label(au, p->xml, &p->label, &why)) < 0)
		return rc;
	/* A material disposed of keeps its label alone (policy 12.6.9). */
	if (p->gpg[0] == '\0' && (p->label == NULL || p->label->disposed == 0) &&
	    (rc = pki_audit_add(au->a, PKI_A_CIPHERTEXT_MISSING, p->id,
				"the label has no ciphertext")) < 0)
		return rc;
	if (p->label == NULL)
		return pki_audit_add(au->a, PKI_A_LABEL_INVALID, p->id, "%s", why);
	if (strcmp(p->label->id, p->id) != 0)
		return pki_audit_add(au->a, PKI_A_LABEL_INVALID, p->id,
				     "the label names %s", p->label->id);
	p->labelled = true;
	return 0;
}

/* The ciphertext is read once, for its hash and its packets alike: a
 * product may be a gigabyte, so a large one is read from the work-tree
 * copy the index vouches for, in pieces, and the hash is what proves
 * that copy the one the label binds. */
struct binding {
	struct pki_sha256 h;
	struct pki_pgp_msg *ct;
};

static int binding_write(void *ctx, const void *data, size_t len)
{
	struct binding *b = ctx;
	int rc;

	pki_sha256_update(&b->h, data, len);
	/* The packet reader has judged once it stops: hashing goes on. */
	if (!b->ct->done && (rc = pki_pgp_feed(b->ct, data, len)) < 0 && !b->ct->done)
		return rc;
	return 0;
}

static int check_binding(struct state *st, struct pki_aproduct *p, struct pki_pgp_msg *ct)
{
	struct binding b = { .ct = ct };
	struct pki_sink sink = { binding_write, &b };
	unsigned char d[PKI_SHA256_LEN];
	char hex[65], path[PKI_PRODUCT_PATH_MAX];
	int rc;

	pki_sha256_init(&b.h);
	if ((rc = pki_product_path(p->id, "gpg", path)) < 0 ||
	    (rc = pki_repo_blob_stream_path(st->au->repo, p->gpg, path, &sink)) < 0)
		return rc;
	pki_pgp_finish(ct);
	p->ct = ct;
	pki_sha256_final(&b.h, d);
	pki_sha256_hex(d, hex);
	if (strcmp(hex, p->label->sha256) == 0)
		return 0;
	return pki_audit_add(st->au->a, PKI_A_BINDING, p->id,
			     "the label binds ciphertext %.16s..., the ciphertext is %.16s... "
			     "(label or ciphertext replaced)", p->label->sha256, hex);
}

/* The origin row is there, and the last one to set the level agrees. */
static int check_rows(struct state *st, struct pki_aproduct *p)
{
	const struct pki_arow *origin = NULL, *level = NULL;
	const char *a;
	size_t i;

	for (i = 0; i < p->nrows; i++) {
		a = p->rows[i]->f[PKI_COL_ACTION];
		if (strcmp(a, "classify") == 0 || strcmp(a, "receive") == 0)
			origin = level = p->rows[i];
		else if (strcmp(a, "reclassify") == 0 || strcmp(a, "review") == 0 ||
			 strcmp(a, "relabel") == 0)
			level = p->rows[i];
	}
	p->origin = origin != NULL;
	if (origin == NULL)
		return pki_audit_add(st->au->a, PKI_A_NO_ORIGIN_ROW, p->id,
				     "no classify or receive row records it (policy 11.3.3, 12.10)");
	if (strcmp(level->f[PKI_COL_LEVEL], pki_level_name(p->label->level)) == 0)
		return 0;
	return pki_audit_add(st->au->a, PKI_A_LABEL_REGISTRY, p->id,
			     "the label says %s, the registry %s (%s:%zu)",
			     pki_level_name(p->label->level), level->f[PKI_COL_LEVEL],
			     level->shard, level->line);
}

static int check_product(struct state *st, struct pki_aproduct *p)
{
	struct pki_pgp_msg ct;
	int rc;

	if ((rc = check_files(st, p)) < 0 || !p->labelled)
		return rc;
	pki_pgp_msg_init(&ct);
	if ((p->gpg[0] == '\0' || (rc = check_binding(st, p, &ct)) == 0) &&
	    (rc = check_rows(st, p)) == 0 &&
	    (rc = pki_audit_lists(st->au, st->m, p, &st->pool)) == 0 &&
	    (rc = pki_audit_safety(st->au, st->m, p, &st->pool)) == 0 &&
	    (rc = pki_audit_retention(st->au, p)) == 0 && p->label->disposed == 0 &&
	    (rc = pki_audit_keepers(st->au, st->m, p)) == 0 &&
	    (rc = pki_audit_unheld(st->au, st->m, p)) == 0)
		rc = pki_audit_review(st->au, p);
	/* A material disposed of has nothing left to read: who is on its
	 * list, and its review, are history. */
	if (st->ended != NULL && p->label->disposed == 0)
		pki_audit_ended_count(st->au, st->m, p, st->ended);
	p->ct = NULL;
	pki_pgp_msg_release(&ct);
	return rc;
}

/* --- all of it --- */

static void state_free(struct state *st)
{
	size_t i;

	pki_audit_rows_free(st->rows, st->nrows);
	free(st->by);
	for (i = 0; i < st->nids; i++)
		free(st->ids[i]);
	free(st->ids);
	pki_apool_clear(&st->pool);
	free(st->pool.v);
	free(st->ended);
}

int pki_audit_state(struct pki_auditor *au)
{
	struct state st;
	struct pki_aproduct p;
	char mid[41];
	size_t i, r = 0;
	int rc;

	memset(&st, 0, sizeof(st));
	st.au = au;
	if (pki_repo_id_at(au->repo, au->tip, PKI_MATRIX_FILE, mid) == 0)
		st.m = pki_audit_matrix(au, mid, au->tip);
	if (st.m != NULL && st.m->n > 0 && (st.ended = calloc(st.m->n, sizeof(*st.ended))) == NULL) {
		rc = pki_error_errno(PKI_EINTERNAL, "products");
		goto out;
	}
	if ((rc = tip_rows(&st)) < 0 || (rc = choose(&st)) < 0)
		goto out;
	au->a->rows = st.nrows;
	au->a->products = st.nids;
	for (i = 0; i < st.nids && rc == 0; i++) {
		memset(&p, 0, sizeof(p));
		p.id = st.ids[i];
		/* Both sorted by product: walk the rows along. */
		while (r < st.nrows && strcmp(st.by[r]->f[PKI_COL_PRODUCT], p.id) < 0)
			r++;
		p.rows = st.by + r;
		while (r + p.nrows < st.nrows &&
		       strcmp(st.by[r + p.nrows]->f[PKI_COL_PRODUCT], p.id) == 0)
			p.nrows++;
		rc = check_product(&st, &p);
		pki_apool_clear(&st.pool);
	}
	if (rc == 0 && (rc = pki_audit_ended(au, st.m, st.ended)) == 0 &&
	    (rc = pki_audit_duplicates(au, st.rows, st.nrows)) == 0)
		rc = pki_audit_transfers(au, st.rows, st.nrows);
	if (rc == 0)
		rc = pki_audit_acks(au, st.rows, st.nrows);
	if (rc == 0)
		rc = pki_audit_requirements_due(au);
out:
	state_free(&st);
	return rc;
}
