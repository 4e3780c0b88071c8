/* removal.c: taking a principal off distribution lists, or re-encrypting
 * every list it is on to its new key; going through every product
 * (pki_product_each).
 *
 * The one operation that reads every label: a principal leaves the access
 * matrix, or has what it may receive narrowed, rarely, and each product it
 * may no longer read must be re-encrypted without its key in the same
 * commit (pki(7), pki-matrix remove and add); a rekey keeps it on each
 * list, with the key the matrix now gives it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "product.h"
#include "registry.h"
#include "repo.h"

struct revoked {
	char *id;
	enum pki_level level;
};

struct removal {
	struct pki_txn *t;
	struct pki_gpg *g;
	const struct pki_matrix *m;
	const char *name;
	pki_revoke_pred *off;	/* NULL: every product */
	void *arg;
	bool keep;		/* rekey: name stays on the list */
	struct revoked *v;
	size_t n, cap;
	size_t seen, total;	/* products gone through, of all */
};

static int remember(struct removal *r, const struct pki_label *l)
{
	struct revoked *grown;

	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;

		if ((grown = reallocarray(r->v, cap, sizeof(*grown))) == NULL)
			return pki_error(PKI_EINTERNAL, "removal: out of memory");
		r->v = grown;
		r->cap = cap;
	}
	if ((r->v[r->n].id = strdup(l->id)) == NULL)
		return pki_error(PKI_EINTERNAL, "removal: out of memory");
	r->v[r->n++].level = l->level;
	return 0;
}

/* Re-encrypt one product without r->name (with it, for a rekey), when
 * it is on the list. */
static int drop_from(struct removal *r, const char *id)
{
	struct pki_label l;
	struct pki_names rest = { 0 };
	bool on = false;
	size_t i;
	int rc;

	if ((rc = pki_product_label(r->t, id, &l)) < 0)
		return rc;
	/* A material disposed of has no ciphertext left to re-encrypt. */
	for (i = 0; i < l.nrecipients && rc == 0 && l.disposed == 0; i++) {
		if (strcmp(l.recipients[i], r->name) == 0)
			on = true;
		if (r->keep || strcmp(l.recipients[i], r->name) != 0)
			rc = pki_names_add(&rest, l.recipients[i]);
	}
	if (rc == 0 && on && r->off != NULL && !r->off(&l, r->arg))
		on = false;
	if (rc == 0 && on && (rc = pki_product_reencrypt(r->t, r->g, r->m, &l, &rest)) == 0)
		rc = remember(r, &l);
	pki_names_release(&rest);
	pki_label_release(&l);
	return rc;
}

static int drop_one(void *arg, const char *id)
{
	struct removal *r = arg;
	int rc = drop_from(r, id);

	if (rc == 0)
		pki_progress_report(pki_txn_progress(r->t), "Going through products", ++r->seen,
				    r->total);
	return rc;
}

static int count_one(void *arg, const char *id)
{
	(void)id;
	++*(size_t *)arg;
	return 0;
}

static int scan_bucket(struct pki_txn *t, const char *bucket,
		       int (*fn)(void *arg, const char *id), void *arg)
{
	char **names = NULL, dir[PKI_PRODUCT_PATH_MAX], id[PKI_ID_MAX];
	size_t n, i, len;
	int rc;

	snprintf(dir, sizeof(dir), "products/%s", bucket);
	if ((rc = pki_txn_list(t, dir, &names, &n)) < 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++) {
		len = strlen(names[i]);
		if (len < 5 || len - 4 >= sizeof(id) || strcmp(names[i] + len - 4, ".xml") != 0)
			continue;
		snprintf(id, sizeof(id), "%.*s", (int)(len - 4), names[i]);
		if (pki_check_product_id(id) == 0)
			rc = fn(arg, id);
	}
	pki_strv_free(names);
	return rc;
}

int pki_product_each(struct pki_txn *t, int (*fn)(void *arg, const char *id), void *arg)
{
	char **buckets = NULL;
	size_t n, i;
	int rc;

	if ((rc = pki_txn_list(t, "products", &buckets, &n)) < 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++)
		rc = scan_bucket(t, buckets[i], fn, arg);
	pki_strv_free(buckets);
	return rc;
}

static int append_rows(struct removal *r, const struct pki_row *tmpl, time_t when)
{
	struct pki_row *rows;
	size_t i;
	int rc;

	if (r->n == 0)
		return 0;
	if ((rows = calloc(r->n, sizeof(*rows))) == NULL)
		return pki_error(PKI_EINTERNAL, "removal: out of memory");
	for (i = 0; i < r->n; i++) {
		rows[i] = *tmpl;
		rows[i].f[PKI_COL_ACTION] = pki_action_name(PKI_ACTION_REVOKE);
		rows[i].f[PKI_COL_PRODUCT] = r->v[i].id;
		rows[i].f[PKI_COL_LEVEL] = pki_level_name(r->v[i].level);
		rows[i].f[PKI_COL_RECIPIENT] = r->name;
	}
	rc = pki_registry_append(r->t, when, rows, r->n);
	free(rows);
	return rc;
}

/* Every product whose list holds r->name, re-encrypted; then, with a
 * template, a revoke row each.  r's memory is released. */
static int each_product(struct removal *r, const struct pki_row *tmpl, time_t when,
			size_t *count)
{
	size_t i;
	int rc;

	*count = 0;
	/* Listing the products is cheap beside reading their labels: the
	 * count gives the progress a total. */
	if ((rc = pki_product_each(r->t, count_one, &r->total)) == 0)
		rc = pki_product_each(r->t, drop_one, r);
	if (rc == 0 && tmpl != NULL)
		rc = append_rows(r, tmpl, when);
	if (rc == 0)
		*count = r->n;
	for (i = 0; i < r->n; i++)
		free(r->v[i].id);
	free(r->v);
	return rc;
}

int pki_product_revoke_all(struct pki_txn *t, struct pki_gpg *g, const struct pki_matrix *m,
			   const char *name, const struct pki_row *tmpl, time_t when,
			   size_t *count)
{
	return pki_product_revoke_if(t, g, m, name, NULL, NULL, tmpl, when, count);
}

int pki_product_revoke_if(struct pki_txn *t, struct pki_gpg *g, const struct pki_matrix *m,
			  const char *name, pki_revoke_pred *off, void *arg,
			  const struct pki_row *tmpl, time_t when, size_t *count)
{
	struct removal r = { .t = t, .g = g, .m = m, .name = name, .off = off, .arg = arg };

	return each_product(&r, tmpl, when, count);
}

int pki_product_rekey_all(struct pki_txn *t, struct pki_gpg *g, const struct pki_matrix *m,
			  const char *name, size_t *count)
{
	struct removal r = { .t = t, .g = g, .m = m, .name = name, .keep = true };

	return each_product(&r, NULL, 0, count);
}
