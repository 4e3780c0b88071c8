/* audit-walk.c: the walk over history (audit checks 1 and 2).
 *
 * Each commit is read once, oldest first, with the paths it changed
 * against its first parent.  They are sorted into kinds (matrix,
 * delegations, arrangements, keys, settings, products, registry) for the signer checks;
 * the registry shards it changed go to audit-registry.c for the rows it
 * added.  A merge is judged by what it changed against every parent:
 * what it took whole from another side is that side's change, already
 * judged on its own commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-int.h"
#include "error.h"
#include "rows.h"

#define ROW_TIME_SLACK 60	/* seconds a row's time may differ from its commit's */

/* --- sorting paths into kinds --- */

static bool digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool pki_audit_is_shard(const char *path)
{
	const char *s = path + strlen(PKI_REGISTRY_DIR "/");

	return strncmp(path, PKI_REGISTRY_DIR "/", strlen(PKI_REGISTRY_DIR "/")) == 0 &&
	       strlen(s) == 11 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) &&
	       strcmp(s + 7, ".csv") == 0;
}

static bool is_key_file(const char *path, char fpr[41])
{
	if (strncmp(path, "keys/", 5) != 0 || strlen(path) != 5 + 40 + 4 ||
	    strcmp(path + 45, ".asc") != 0)
		return false;
	memcpy(fpr, path + 5, 40);
	fpr[40] = '\0';
	/* Written upper case; anything else is no key file of ours. */
	return strspn(fpr, "0123456789ABCDEF") == 40;
}

/* products/<bucket>/<ID>.gpg or .xml, in the bucket of its ID: the ID
 * and the extension's letter. */
static bool is_product_file(const char *path, char id[PKI_ID_MAX], char *ext)
{
	char want[PKI_PRODUCT_PATH_MAX];
	const char *file, *dot;
	size_t len;

	if (strncmp(path, "products/", 9) != 0 || (file = strrchr(path, '/')) == NULL ||
	    (dot = strrchr(++file, '.')) == NULL || (len = (size_t)(dot - file)) >= PKI_ID_MAX)
		return false;
	memcpy(id, file, len);
	id[len] = '\0';
	*ext = strcmp(dot, ".gpg") == 0 ? 'g' : strcmp(dot, ".xml") == 0 ? 'x' : 0;
	return *ext != 0 && pki_check_product_id(id) == 0 &&
	       pki_product_path(id, dot + 1, want) == 0 && strcmp(want, path) == 0;
}

static int touch(struct pki_acommit *ac, const struct pki_delta *d, const char *id, char ext)
{
	struct pki_atouch *t, *grown;
	char how = d->old_id[0] == '\0' ? 'A' : d->new_id[0] == '\0' ? 'D' : 'M';

	/* Deltas come sorted by path: a product's two files are neighbours. */
	if (ac->ntouch == 0 || strcmp(ac->touch[ac->ntouch - 1].id, id) != 0) {
		grown = pki_row_grow(ac->touch, ac->ntouch, &ac->captouch, sizeof(*grown));
		if (grown == NULL)
			return pki_error_errno(PKI_EINTERNAL, "history");
		ac->touch = grown;
		memset(&grown[ac->ntouch], 0, sizeof(*grown));
		snprintf(grown[ac->ntouch].id, PKI_ID_MAX, "%s", id);
		ac->ntouch++;
	}
	t = &ac->touch[ac->ntouch - 1];
	if (ext == 'g')
		t->gpg = how;
	else
		t->xml = how;
	return 0;
}

/* Attributes tell git how to check files out: "*.gpg text" or a filter
 * would rewrite every ciphertext in every clone made after.  So the one
 * .gitattributes is what pki-init writes, and no other is allowed. */
static int check_attributes(struct pki_auditor *au, const struct pki_acommit *ac,
			    const struct pki_delta *d)
{
	struct pki_buf b = PKI_BUF_INIT;
	bool ours;
	int rc;

	if (d->new_id[0] == '\0')
		return pki_audit_add(au->a, PKI_A_UNEXPECTED_PATH, ac->c.id, "removes %s, which "
				     "makes clones merge the registry as a union",
				     PKI_ATTRIBUTES_FILE);
	rc = pki_repo_blob(au->repo, d->new_id, sizeof(PKI_ATTRIBUTES), false, &b);
	ours = rc == 0 && b.len == strlen(PKI_ATTRIBUTES) &&
	       memcmp(b.ptr, PKI_ATTRIBUTES, b.len) == 0;
	pki_buf_release(&b);
	if (rc < 0 && rc != -PKI_EDATA)
		return rc;
	if (ours)
		return 0;
	return pki_audit_add(au->a, PKI_A_UNEXPECTED_PATH, ac->c.id,
			     "writes a %s that pki never writes: attributes can rewrite every "
			     "product a clone checks out", PKI_ATTRIBUTES_FILE);
}

static int sort_path(struct pki_auditor *au, size_t ci, const struct pki_delta *d)
{
	struct pki_acommit *ac = &au->cv[ci];
	char id[PKI_ID_MAX], fpr[41], ext;

	/* A table is read where it changes, so that one that does not parse
	 * is reported (A108) by the commit that wrote it, even if no later
	 * commit is judged by it. */
	if (strcmp(d->path, PKI_MATRIX_FILE) == 0) {
		ac->changes |= PKI_CH_MATRIX;
		(void)pki_audit_matrix(au, d->new_id, ac->c.id);
	} else if (strcmp(d->path, PKI_DELEGATIONS_FILE) == 0) {
		ac->changes |= PKI_CH_DELEGATIONS;
		memcpy(ac->deleg_new_id, d->new_id, 41);
		(void)pki_audit_delegations(au, d->new_id, ac->c.id);
	} else if (strcmp(d->path, PKI_ARRANGEMENTS_FILE) == 0) {
		ac->changes |= PKI_CH_ARRANGEMENTS;
		if (d->new_id[0] != '\0')
			(void)pki_audit_arrangements(au, d->new_id, ac->c.id);
	} else if (strcmp(d->path, PKI_REQUIREMENTS_FILE) == 0) {
		ac->changes |= PKI_CH_REQUIREMENTS;
		memcpy(ac->req_old_id, d->old_id, 41);
		memcpy(ac->req_new_id, d->new_id, 41);
		(void)pki_audit_requirements(au, d->new_id, ac->c.id);
	} else if (strcmp(d->path, PKI_CONF_FILE) == 0) {
		ac->changes |= PKI_CH_SETTINGS;
	} else if (strcmp(d->path, PKI_ATTRIBUTES_FILE) == 0) {
		ac->changes |= PKI_CH_SETTINGS;
		return check_attributes(au, ac, d);
	} else if (is_key_file(d->path, fpr)) {
		ac->changes |= PKI_CH_KEYS;
		return pki_audit_key_file(au, ci, fpr, d);
	} else if (is_product_file(d->path, id, &ext)) {
		ac->changes |= PKI_CH_PRODUCTS;
		return touch(ac, d, id, ext);
	} else if (pki_audit_is_shard(d->path)) {
		ac->changes |= PKI_CH_REGISTRY;
	} else {
		return pki_audit_add(au->a, PKI_A_UNEXPECTED_PATH, ac->c.id,
				     "changes '%s', which is no part of a mission repository: only "
				     "ciphertexts, labels and the tables may be stored (policy "
				     "11.3.3)", d->path);
	}
	return 0;
}

/* --- one commit --- */

/* A merge: keep only the paths it changed against every parent. */
static void merge_own(struct pki_auditor *au, struct pki_commit *c)
{
	char id[41];
	size_t i, j, k;

	for (i = j = 0; i < c->ndeltas; i++) {
		bool inherited = false;

		for (k = 1; k < c->nparents && !inherited; k++) {
			if (pki_repo_id_at(au->repo, c->parents[k], c->deltas[i].path, id) < 0)
				id[0] = '\0';
			inherited = strcmp(id, c->deltas[i].new_id) == 0;
		}
		if (inherited)
			free(c->deltas[i].path);
		else
			c->deltas[j++] = c->deltas[i];
	}
	c->ndeltas = j;
}

/* A row that names no action, time or product is no row of the registry. */
static int check_row(struct pki_auditor *au, struct pki_acommit *ac, const struct pki_arow *r)
{
	enum pki_action action;
	char object[64];
	time_t t;

	snprintf(object, sizeof(object), "%s:%zu", r->shard, r->line);
	if (pki_action_parse(r->f[PKI_COL_ACTION], &action) < 0 ||
	    pki_time_parse("time", r->f[PKI_COL_TIME], &t) < 0 ||
	    pki_check_product_id(r->f[PKI_COL_PRODUCT]) < 0)
		return pki_audit_add(au->a, PKI_A_REGISTRY_INVALID, object,
				     "row %s added by commit %s: %s", r->f[PKI_COL_EVENT],
				     ac->c.id, pki_error_last());
	/* registry/YYYY-MM.csv holds the rows of that month: a row filed
	 * elsewhere would escape the month's queries and its transfer. */
	if (strncmp(r->f[PKI_COL_TIME], r->shard + strlen(PKI_REGISTRY_DIR "/"), 7) != 0)
		return pki_audit_add(au->a, PKI_A_ROW_SHARD, object,
				     "row %s of %s is filed in %s: a row goes to the shard of "
				     "its month (policy 11.3.3, 11.5.1)", r->f[PKI_COL_EVENT],
				     r->f[PKI_COL_TIME], r->shard);
	if (t > ac->c.when + ROW_TIME_SLACK || t < ac->c.when - ROW_TIME_SLACK) {
		char when[PKI_TIME_LEN];

		pki_time_format(ac->c.when, when);
		return pki_audit_add(au->a, PKI_A_ROW_TIME, object,
				     "row %s says %s, its commit %s was made %s",
				     r->f[PKI_COL_EVENT], r->f[PKI_COL_TIME], ac->c.id, when);
	}
	return 0;
}

static int walk_commit(struct pki_auditor *au, size_t ci)
{
	struct pki_acommit *ac = &au->cv[ci];
	struct pki_commit *c = &ac->c;
	const char *judge = c->nparents > 0 ? c->parents[0] : c->id;
	size_t i;
	int rc = 0;

	/* Unreadable is absent here: the checks that read them say why. */
	(void)pki_audit_table_id(au, judge, PKI_MATRIX_FILE, ac->matrix_id);
	(void)pki_audit_table_id(au, judge, PKI_DELEGATIONS_FILE, ac->deleg_id);
	(void)pki_audit_table_id(au, judge, PKI_ARRANGEMENTS_FILE, ac->arr_id);
	memcpy(ac->deleg_new_id, ac->deleg_id, 41);
	ac->row0 = au->nrows;
	if (c->nparents > 1) {
		if ((rc = pki_audit_merge_rows(au, ci)) < 0 ||
		    (rc = pki_audit_merge_tree(au, ci)) < 0)
			return rc;
		merge_own(au, c);
	} else {
		for (i = 0; i < c->ndeltas && rc == 0; i++)
			if (pki_audit_is_shard(c->deltas[i].path))
				rc = pki_audit_shard(au, ci, c->deltas[i].path, c->deltas[i].old_id,
						     c->deltas[i].new_id, true);
	}
	ac->nrows = au->nrows - ac->row0;
	for (i = 0; i < c->ndeltas && rc == 0; i++)
		rc = sort_path(au, ci, &c->deltas[i]);
	for (i = ac->row0; i < au->nrows && rc == 0; i++)
		rc = check_row(au, ac, &au->rows[i]);
	return rc;
}

int pki_audit_walk(struct pki_auditor *au)
{
	struct pki_walk *w = NULL;
	struct pki_acommit *grown;
	const char *since;
	int rc;

	if ((rc = pki_audit_since(au, &since)) < 0 ||
	    (rc = pki_walk_begin(&w, au->repo, since)) < 0)
		return rc;
	snprintf(au->a->since, sizeof(au->a->since), "%s", pki_walk_since(w));
	for (;;) {
		/* The verifiers read cv as it grows. */
		pki_audit_verifiers_lock(au);
		grown = pki_row_grow(au->cv, au->nc, &au->capc, sizeof(*grown));
		if (grown != NULL)
			au->cv = grown;
		pki_audit_verifiers_unlock(au);
		if (grown == NULL) {
			rc = pki_error_errno(PKI_EINTERNAL, "history");
			break;
		}
		memset(&au->cv[au->nc], 0, sizeof(au->cv[au->nc]));
		if ((rc = pki_walk_next(w, &au->cv[au->nc].c)) <= 0)
			break;
		/* Verified while the walk reads on. */
		pki_audit_verifiers_hand(au, ++au->nc, false);
		if ((rc = walk_commit(au, au->nc - 1)) < 0)
			break;
		pki_progress_report(au->o->progress, "Reading commits", au->nc, 0);
	}
	if (rc == 0) {
		pki_audit_verifiers_hand(au, au->nc, true);
		pki_progress_report(au->o->progress, "Reading commits", au->nc, au->nc);
	}
	pki_walk_free(w);
	return rc;
}
