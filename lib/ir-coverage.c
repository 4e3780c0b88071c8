/* ir-coverage.c: pki-ir coverage -- which products and receipts answer
 * each open requirement, from the labels at the tip (policy 12.6.1-2).
 *
 * Every label is read once, bucket by bucket, straight from the object
 * store; the requirements are found by binary search on their IDs.
 * Memory holds the table and one label at a time, whatever the number of
 * products.  Nothing is decrypted: the labels say all that is counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ir.h"
#include "label.h"
#include "matrix.h"
#include "repo.h"
#include "session.h"

#define PRODUCTS_DIR "products"

struct scan {
	struct pki_repo *r;
	const struct pki_matrix *m;
	time_t since;
	struct pki_ir_cover *v;	/* one per open requirement */
	struct pki_ir_cover **ix;	/* v sorted by requirement ID */
	size_t n;
};

static int by_ir(const void *a, const void *b)
{
	const struct pki_ir_cover *x = *(const struct pki_ir_cover *const *)a;
	const struct pki_ir_cover *y = *(const struct pki_ir_cover *const *)b;

	return strcmp(x->req->ir, y->req->ir);
}

static struct pki_ir_cover *find(const struct scan *sc, const char *ir)
{
	size_t lo = 0, hi = sc->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(ir, sc->ix[mid]->req->ir)) == 0)
			return sc->ix[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Keep entity e among c's, sorted and distinct. */
static int add_entity(struct pki_ir_cover *c, const char *e)
{
	size_t i;
	int cmp = 1;
	char *copy;

	for (i = 0; i < c->nentities && (cmp = strcmp(e, c->entities[i])) > 0; i++)
		;
	if (cmp == 0)
		return 0;
	if (c->nentities == PKI_IR_ENTITIES_MAX) {
		c->more = true;
		return 0;
	}
	if ((copy = strdup(e)) == NULL)
		return pki_error(PKI_EINTERNAL, "coverage: out of memory");
	memmove(&c->entities[i + 1], &c->entities[i], (c->nentities - i) * sizeof(char *));
	c->entities[i] = copy;
	c->nentities++;
	return 0;
}

/* Where the answer came from: a received product's origin; a mission
 * product's originator's entity (the ID's, when the matrix lost it). */
static const char *entity_of(const struct scan *sc, const struct pki_label *l,
			     char buf[PKI_CODE_MAX])
{
	const struct pki_principal *p;
	struct pki_product_id pid;

	if (l->received)
		return l->originator;
	if ((p = pki_matrix_find(sc->m, l->originator)) != NULL)
		return p->entity;
	if (pki_product_id_parse(l->id, &pid) < 0)
		return "?";
	memcpy(buf, pid.entity, PKI_CODE_MAX);
	return buf;
}

static int count_label(struct scan *sc, const struct pki_label *l)
{
	struct pki_ir_cover *c;
	char buf[PKI_CODE_MAX];
	size_t i;
	int rc;

	if (l->kind == PKI_KIND_IR || l->created < sc->since)
		return 0;
	for (i = 0; i < l->nir; i++) {
		if ((c = find(sc, l->ir[i])) == NULL)
			continue;
		if (l->received)
			c->receipts++;
		else
			c->products++;
		if (l->created > c->latest)
			c->latest = l->created;
		if ((rc = add_entity(c, entity_of(sc, l, buf))) < 0)
			return rc;
	}
	return 0;
}

static bool is_label(const char *name)
{
	size_t len = strlen(name);

	return len > 4 && strcmp(name + len - 4, ".xml") == 0;
}

static int scan_bucket(struct scan *sc, const char *tip, const char *bucket)
{
	struct pki_entry *e = NULL;
	struct pki_buf b = PKI_BUF_INIT;
	struct pki_label l;
	char dir[128];
	size_t n = 0, i;
	int rc;

	snprintf(dir, sizeof(dir), PRODUCTS_DIR "/%s", bucket);
	if ((rc = pki_repo_list_at(sc->r, tip, dir, &e, &n)) < 0)
		goto out;
	for (i = 0; i < n && rc == 0; i++) {
		if (e[i].id[0] == '\0' || !is_label(e[i].name))
			continue;
		if ((rc = pki_repo_blob(sc->r, e[i].id, PKI_LABEL_MAX, false, &b)) < 0)
			break;
		memset(&l, 0, sizeof(l));
		if ((rc = pki_label_scan(&l, b.ptr, b.len)) < 0) {
			rc = pki_error_wrap(PKI_EDATA, "%s/%s", dir, e[i].name);
			break;
		}
		rc = count_label(sc, &l);
		pki_label_release(&l);
	}
out:
	pki_buf_release(&b);
	free(e);
	return rc;
}

int pki_ir_coverage(struct pki_repo *r, const struct pki_requirements *reqs, time_t since,
		    struct pki_ir_cover **out, size_t *nout)
{
	struct scan sc = { r, NULL, since, NULL, NULL, 0 };
	struct pki_state st = { 0 };
	struct pki_entry *buckets = NULL;
	char tip[41];
	size_t nb = 0, i;
	int rc;

	*out = NULL;
	*nout = 0;
	if ((sc.v = calloc(reqs->n + 1, sizeof(*sc.v))) == NULL ||
	    (sc.ix = calloc(reqs->n + 1, sizeof(*sc.ix))) == NULL) {
		rc = pki_error(PKI_EINTERNAL, "coverage: out of memory");
		goto out;
	}
	for (i = 0; i < reqs->n; i++)
		if (reqs->v[i].open) {
			sc.v[sc.n].req = &reqs->v[i];
			sc.ix[sc.n] = &sc.v[sc.n];
			sc.n++;
		}
	qsort(sc.ix, sc.n, sizeof(*sc.ix), by_ir);
	if ((rc = pki_state_load_repo(&st, r, NULL, 0)) < 0 || (rc = pki_repo_tip(r, tip)) < 0)
		goto out;
	sc.m = &st.matrix;
	if (tip[0] != '\0') {
		rc = pki_repo_list_at(r, tip, PRODUCTS_DIR, &buckets, &nb);
		if (rc == -PKI_ENOINPUT)
			rc = 0, nb = 0;
		else if (rc < 0)
			goto out;
	}
	for (i = 0; i < nb && rc == 0; i++)
		if (buckets[i].id[0] == '\0')
			rc = scan_bucket(&sc, tip, buckets[i].name);
	if (rc < 0)
		goto out;
	*out = sc.v;
	*nout = sc.n;
	sc.v = NULL;
	sc.n = 0;
out:
	pki_ir_coverage_free(sc.v, sc.n);
	free(sc.ix);
	free(buckets);
	pki_state_release(&st);
	return rc;
}

void pki_ir_coverage_free(struct pki_ir_cover *v, size_t n)
{
	size_t i, k;

	for (i = 0; v != NULL && i < n; i++)
		for (k = 0; k < v[i].nentities; k++)
			free(v[i].entities[k]);
	free(v);
}
