/* sync-merge.c: the semantic merge of lists and labels (sync-merge.h).
 * Pure: labels and lists in, merged ones out. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "error.h"
#include "table-merge.h"

#include "sync-merge.h"
#include "vocab.h"

/* --- distribution lists, from the registry --- */

/* Grow *v (of n, cap elements of size) by one; NULL when out of memory. */
static void *grow(void *v, size_t n, size_t *cap, size_t size)
{
	void *grown;
	size_t c;

	if (n < *cap)
		return v;
	c = *cap ? 2 * *cap : 16;
	if ((grown = realloc(v, c * size)) == NULL)
		return NULL;
	*cap = c;
	return grown;
}

static int hold_table(struct pki_list_rows *r, struct pki_table *t)
{
	struct pki_table **v = grow(r->tables, r->ntables, &r->captables, sizeof(*v));

	if (v == NULL) {
		pki_table_free(t);
		return pki_error_errno(PKI_EINTERNAL, "registry");
	}
	r->tables = v;
	r->tables[r->ntables++] = t;
	return 0;
}

static int hold_str(struct pki_list_rows *r, char *s)
{
	char **v = grow(r->strs, r->nstrs, &r->capstrs, sizeof(*v));

	if (v == NULL) {
		free(s);
		return pki_error_errno(PKI_EINTERNAL, "registry");
	}
	r->strs = v;
	r->strs[r->nstrs++] = s;
	return 0;
}

int pki_list_rows_add(struct pki_list_rows *r, const char *shard, const char *text, size_t len,
		      char *const *ids, size_t nids)
{
	char names[PKI_MERGE_COLS_MAX][PKI_MERGE_KEY_MAX];
	const char *head[PKI_MERGE_COLS_MAX];
	struct pki_table *t = NULL;
	struct pki_list_row *grown;
	long ct, ca, cp, cr;
	char *name;
	size_t n, i, k;
	int rc;

	if ((rc = pki_table_header(shard, text, len, names, &n)) < 0 || n == 0)
		return rc;
	for (i = 0; i < n; i++)
		head[i] = names[i];
	if ((ct = pki_table_column(names, n, "time")) < 0 || (ca = pki_table_column(names, n, "action")) < 0 ||
	    (cp = pki_table_column(names, n, "product")) < 0 || (cr = pki_table_column(names, n, "recipient")) < 0)
		return pki_error(PKI_EDATA, "%s: not a registry shard", shard);
	if ((rc = pki_table_parse(&t, shard, text, len, head, n)) < 0)
		return rc;
	if ((rc = hold_table(r, t)) < 0)
		return rc;
	if ((name = strdup(shard)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "registry");
	if ((rc = hold_str(r, name)) < 0)
		return rc;
	for (i = 0; i < t->nrows; i++) {
		const char *product = pki_table_get(t, i, (size_t)cp);

		for (k = 0; k < nids && strcmp(ids[k], product) != 0; k++)
			;
		if (k == nids)
			continue;
		if ((grown = grow(r->v, r->n, &r->cap, sizeof(*grown))) == NULL)
			return pki_error_errno(PKI_EINTERNAL, "registry");
		r->v = grown;
		r->v[r->n++] = (struct pki_list_row){
			pki_table_get(t, i, (size_t)ct), name, i, product,
			pki_table_get(t, i, (size_t)ca), pki_table_get(t, i, (size_t)cr),
		};
	}
	return 0;
}

void pki_list_rows_release(struct pki_list_rows *r)
{
	size_t i;

	for (i = 0; i < r->ntables; i++)
		pki_table_free(r->tables[i]);
	free(r->tables);
	for (i = 0; i < r->nstrs; i++)
		free(r->strs[i]);
	free(r->strs);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static int by_time(const void *a, const void *b)
{
	const struct pki_list_row *x = *(const struct pki_list_row *const *)a;
	const struct pki_list_row *y = *(const struct pki_list_row *const *)b;
	int c;

	if ((c = strcmp(x->time, y->time)) != 0 || (c = strcmp(x->shard, y->shard)) != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Add the names of a recipient field ("a;b;c") to out. */
static int add_split(struct pki_list_rows *r, const char *field, struct pki_names *out)
{
	char *copy;
	int rc;

	if ((copy = strdup(field)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "distribution list");
	if ((rc = hold_str(r, copy)) < 0)
		return rc;
	return pki_names_split(copy, out);
}

int pki_list_implied(struct pki_names *out, struct pki_list_rows *r, const char *id, bool *any)
{
	const struct pki_list_row **v;
	const char *a;
	size_t i, n = 0;
	int rc = 0;

	*any = false;
	if ((v = calloc(r->n + 1, sizeof(*v))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "distribution list");
	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].product, id) == 0)
			v[n++] = &r->v[i];
	qsort(v, n, sizeof(*v), by_time);
	for (i = 0; i < n && rc == 0; i++) {
		a = v[i]->action;
		if (strcmp(a, "classify") == 0 || strcmp(a, "receive") == 0 ||
		    strcmp(a, "reclassify") == 0 || strcmp(a, "review") == 0) {
			out->n = 0;
			*any = true;
			rc = add_split(r, v[i]->recipient, out);
		} else if (strcmp(a, "share") == 0) {
			rc = add_split(r, v[i]->recipient, out);
		} else if (strcmp(a, "revoke") == 0) {
			pki_names_remove(out, v[i]->recipient);
		}
	}
	free(v);
	return rc;
}

#define SWAP(a, b)                        \
	do {                              \
		__typeof__(a) swap_ = (a); \
		(a) = (b);                \
		(b) = swap_;              \
	} while (0)

/* Move field `bit` from theirs into ours (ours' old value into theirs). */
static void take(struct pki_label *o, struct pki_label *t, unsigned bit)
{
	switch (bit) {
	case PKI_LF_ID: SWAP(o->id, t->id); break;
	case PKI_LF_LEVEL: SWAP(o->level, t->level); break;
	case PKI_LF_CRITERION: SWAP(o->criterion, t->criterion); break;
	case PKI_LF_ORIGINATOR:
		SWAP(o->originator, t->originator);
		SWAP(o->received, t->received);
		break;
	case PKI_LF_REGISTRAR: SWAP(o->registrar, t->registrar); break;
	case PKI_LF_CREATED: SWAP(o->created, t->created); break;
	case PKI_LF_REVIEW: SWAP(o->review, t->review); break;
	case PKI_LF_AREAS: SWAP(o->areas, t->areas); break;
	case PKI_LF_ORIGINATOR_CONTROL: SWAP(o->originator_control, t->originator_control); break;
	case PKI_LF_RELEASABLE: SWAP(o->releasable, t->releasable); break;
	case PKI_LF_SAFETY: SWAP(o->safety, t->safety); break;
	case PKI_LF_IR:
		SWAP(o->ir, t->ir);
		SWAP(o->nir, t->nir);
		break;
	case PKI_LF_KIND: SWAP(o->kind, t->kind); break;
	case PKI_LF_RETENTION: SWAP(o->retention, t->retention); break;
	case PKI_LF_DISPOSED: SWAP(o->disposed, t->disposed); break;
	default: break;
	}
}

unsigned pki_label_merge3(struct pki_label *ours, const struct pki_label *base,
			  struct pki_label *theirs)
{
	const unsigned mine = PKI_LF_ALL & ~(unsigned)(PKI_LF_DISTRIBUTION | PKI_LF_BINDING);
	unsigned dours = pki_label_diff(base, ours) & mine;
	unsigned dtheirs = pki_label_diff(base, theirs) & mine;
	unsigned apart = pki_label_diff(ours, theirs) & mine, conflicts = 0, bit;

	for (bit = 1; bit & PKI_LF_ALL; bit <<= 1) {
		if (!(dtheirs & bit) || !(apart & bit))
			continue;	/* theirs left it, or agrees */
		if (dours & bit)
			conflicts |= bit;
		else
			take(ours, theirs, bit);
	}
	return conflicts;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcmp(s + n - k, tail) == 0;
}

enum pki_merge_kind pki_merge_kind_of(const char *path)
{
	char id[64];

	if (strncmp(path, "registry/", 9) == 0 && strchr(path + 9, '/') == NULL &&
	    ends_with(path, ".csv"))
		return PKI_MERGE_REGISTRY;
	if (strchr(path, '/') == NULL && ends_with(path, ".csv"))
		return PKI_MERGE_TABLE;
	if (pki_merge_product_id(path, id, sizeof(id)))
		return PKI_MERGE_PRODUCT;
	return PKI_MERGE_OTHER;
}

int pki_merge_product_id(const char *path, char *id, size_t size)
{
	const char *name, *dot;

	if (strncmp(path, "products/", 9) != 0 || (name = strchr(path + 9, '/')) == NULL ||
	    strchr(++name, '/') != NULL || (dot = strrchr(name, '.')) == NULL ||
	    (strcmp(dot, ".gpg") != 0 && strcmp(dot, ".xml") != 0) ||
	    (size_t)(dot - name) >= size || dot == name)
		return 0;
	memcpy(id, name, (size_t)(dot - name));
	id[dot - name] = '\0';
	return 1;
}
