/* audit-tables.c: what the checks share: the access matrix and the
 * delegations of each blob, parsed once however many commits they judge;
 * the principals' keys, looked up once; and the keys an auditor's keyring
 * lacks, imported from keys/ as the history stored them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-int.h"
#include "error.h"
#include "rows.h"

#define TABLE_MAX (16 * 1024 * 1024)
#define KEY_MAX (1024 * 1024)

/* --- the tables of a blob, parsed once --- */

static struct pki_atable *table_find(struct pki_auditor *au, const char *id, enum pki_atable_kind kind)
{
	size_t i;

	if (au->last_table < au->ntables && au->tables[au->last_table]->kind == kind &&
	    strcmp(au->tables[au->last_table]->id, id) == 0)
		return au->tables[au->last_table];
	for (i = 0; i < au->ntables; i++)
		if (au->tables[i]->kind == kind && strcmp(au->tables[i]->id, id) == 0) {
			au->last_table = i;
			return au->tables[i];
		}
	return NULL;
}

/* A new entry of the cache, under key (a blob ID, or three). */
static struct pki_atable *table_new(struct pki_auditor *au, const char *key, enum pki_atable_kind kind)
{
	struct pki_atable *t, **grown;

	if ((grown = pki_row_grow(au->tables, au->ntables, &au->captables, sizeof(*grown))) == NULL)
		return NULL;
	au->tables = grown;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	snprintf(t->id, sizeof(t->id), "%s", key);
	t->kind = kind;
	au->tables[au->ntables++] = t;
	return t;
}

static struct pki_atable *table_load(struct pki_auditor *au, const char *id, enum pki_atable_kind kind,
				     const char *where)
{
	struct pki_buf b = PKI_BUF_INIT;
	struct pki_atable *t;
	const char *file = kind == PKI_AT_MATRIX ? PKI_MATRIX_FILE :
			   kind == PKI_AT_ARRANGEMENTS ? PKI_ARRANGEMENTS_FILE : PKI_DELEGATIONS_FILE;
	int rc;

	if ((t = table_new(au, id, kind)) == NULL)
		return NULL;
	if ((rc = pki_repo_blob(au->repo, id, TABLE_MAX, false, &b)) == 0)
		rc = kind == PKI_AT_MATRIX ? pki_matrix_parse(&t->m, b.ptr, b.len) :
		     kind == PKI_AT_ARRANGEMENTS ? pki_arrangements_parse(&t->a, b.ptr, b.len) :
						   pki_delegations_parse(&t->d, b.ptr, b.len);
	pki_buf_release(&b);
	t->ok = rc == 0;
	/* Reported once, at the first commit judged by it. */
	if (!t->ok && pki_audit_add(au->a, PKI_A_TABLE_INVALID, where,
				    "%s (blob %.12s) cannot be read: %s", file, id,
				    pki_error_last()) < 0)
		return NULL;
	return t;
}

static struct pki_atable *table(struct pki_auditor *au, const char *id, enum pki_atable_kind kind,
				const char *where)
{
	struct pki_atable *t;

	if (id[0] == '\0')
		return NULL;
	if ((t = table_find(au, id, kind)) == NULL)
		t = table_load(au, id, kind, where);
	return t != NULL && t->ok ? t : NULL;
}

const struct pki_matrix *pki_audit_matrix(struct pki_auditor *au, const char *id,
					 const char *where)
{
	struct pki_atable *t = table(au, id, PKI_AT_MATRIX, where);

	return t != NULL ? &t->m : NULL;
}

const struct pki_delegations *pki_audit_delegations(struct pki_auditor *au, const char *id,
						     const char *where)
{
	static const struct pki_delegations none;
	struct pki_atable *t;

	if (id[0] == '\0')
		return &none;	/* no delegations.csv: none granted */
	t = table(au, id, PKI_AT_DELEGATIONS, where);
	return t != NULL ? &t->d : NULL;
}

const struct pki_arrangements *pki_audit_arrangements(struct pki_auditor *au, const char *id,
						      const char *where)
{
	struct pki_atable *t = table(au, id, PKI_AT_ARRANGEMENTS, where);

	return t != NULL ? &t->a : NULL;
}

int pki_audit_table_id(struct pki_auditor *au, const char *commit, const char *path,
		       char id[41])
{
	int rc;

	id[0] = '\0';
	if (commit[0] == '\0')
		return 0;
	if ((rc = pki_repo_id_at(au->repo, commit, path, id)) == -PKI_ENOINPUT) {
		id[0] = '\0';
		pki_error_clear();
		return 0;
	}
	if (rc < 0)
		id[0] = '\0';
	return rc;
}

/* --- the tables of two sides, merged --- */

static int read_table(struct pki_auditor *au, const char *id, struct pki_buf *out)
{
	return id[0] == '\0' ? 0 : pki_repo_blob(au->repo, id, TABLE_MAX, false, out);
}

static struct pki_atable *merged_load(struct pki_auditor *au, const char *key, const char *ids[3],
				      enum pki_atable_kind kind)
{
	struct pki_buf b = PKI_BUF_INIT, o = PKI_BUF_INIT, th = PKI_BUF_INIT;
	struct pki_atable *t;
	struct pki_merge3 in;
	char first[PKI_MERGE_KEY_MAX];
	size_t conflicts;
	int rc;

	if ((t = table_new(au, key, kind)) == NULL)
		return NULL;
	if ((rc = read_table(au, ids[0], &b)) == 0 && (rc = read_table(au, ids[1], &o)) == 0 &&
	    (rc = read_table(au, ids[2], &th)) == 0) {
		in = (struct pki_merge3){ b.ptr, o.ptr, th.ptr, b.len, o.len, th.len };
		rc = kind == PKI_AT_MATRIX ? pki_matrix_merge3(&t->m, &in, &conflicts, first) :
		     kind == PKI_AT_ARRANGEMENTS ?
			     pki_arrangements_merge3(&t->a, &in, &conflicts, first) :
			     pki_delegations_merge3(&t->d, &in, &conflicts, first);
	}
	/* A side's table that does not parse was reported where it was
	 * written (A108); a merge of them judges nothing. */
	t->ok = rc == 0;
	pki_buf_release(&b);
	pki_buf_release(&o);
	pki_buf_release(&th);
	return t;
}

static struct pki_atable *merged(struct pki_auditor *au, const char *base, const char *ours,
				 const char *theirs, enum pki_atable_kind kind, const char *where)
{
	const char *ids[3] = { base, ours, theirs };
	char key[sizeof(((struct pki_atable *)0)->id)];
	struct pki_atable *t;

	/* One side changed nothing since the common state: the other's. */
	if (strcmp(theirs, base) == 0 || strcmp(theirs, ours) == 0)
		return table(au, ours, kind, where);
	if (strcmp(ours, base) == 0)
		return table(au, theirs, kind, where);
	snprintf(key, sizeof(key), "%s:%s:%s", base, ours, theirs);
	if ((t = table_find(au, key, kind)) == NULL)
		t = merged_load(au, key, ids, kind);
	return t != NULL && t->ok ? t : NULL;
}

const struct pki_matrix *pki_audit_matrix_merged(struct pki_auditor *au, const char *base,
						const char *ours, const char *theirs,
						const char *where)
{
	struct pki_atable *t = merged(au, base, ours, theirs, PKI_AT_MATRIX, where);

	return t != NULL ? &t->m : NULL;
}

const struct pki_delegations *pki_audit_delegations_merged(struct pki_auditor *au,
	const char *base, const char *ours, const char *theirs, const char *where)
{
	static const struct pki_delegations none;
	struct pki_atable *t;

	if (ours[0] == '\0' && theirs[0] == '\0')
		return &none;
	t = merged(au, base, ours, theirs, PKI_AT_DELEGATIONS, where);
	return t != NULL ? &t->d : NULL;
}

const struct pki_arrangements *pki_audit_arrangements_merged(struct pki_auditor *au,
	const char *base, const char *ours, const char *theirs, const char *where)
{
	struct pki_atable *t;

	if (ours[0] == '\0' && theirs[0] == '\0')
		return NULL;	/* no register on either side */
	t = merged(au, base, ours, theirs, PKI_AT_ARRANGEMENTS, where);
	return t != NULL ? &t->a : NULL;
}

/* --- labels, by blob --- */

/* Blob IDs are hashes already: their first hex digits make the slot. */
static size_t slot_of(const char *id, size_t nslots)
{
	size_t h = 0, i;

	for (i = 0; i < 8 && id[i] != '\0'; i++)
		h = h << 4 | (size_t)(id[i] <= '9' ? id[i] - '0' : (id[i] | 0x20) - 'a' + 10);
	return h & (nslots - 1);
}

static int rehash(struct pki_auditor *au)
{
	size_t n = au->nlslots ? 2 * au->nlslots : 1024, i, k;
	size_t *v;

	if ((v = calloc(n, sizeof(*v))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "labels");
	for (i = 0; i < au->nlabels; i++) {
		for (k = slot_of(au->labels[i].id, n); v[k] != 0; k = (k + 1) & (n - 1))
			;
		v[k] = i + 1;
	}
	free(au->lslots);
	au->lslots = v;
	au->nlslots = n;
	return 0;
}

static struct pki_alabel *label_add(struct pki_auditor *au, const char *id)
{
	struct pki_alabel *grown;
	size_t k;

	if (2 * (au->nlabels + 1) > au->nlslots && rehash(au) < 0)
		return NULL;
	if ((grown = pki_row_grow(au->labels, au->nlabels, &au->caplabels, sizeof(*grown))) == NULL)
		return NULL;
	au->labels = grown;
	for (k = slot_of(id, au->nlslots); au->lslots[k] != 0; k = (k + 1) & (au->nlslots - 1))
		;
	au->lslots[k] = ++au->nlabels;
	memset(&au->labels[au->nlabels - 1], 0, sizeof(au->labels[0]));
	memcpy(au->labels[au->nlabels - 1].id, id, 41);
	return &au->labels[au->nlabels - 1];
}

int pki_audit_label(struct pki_auditor *au, const char *id, const struct pki_label **out,
		    const char **why)
{
	struct pki_buf b = PKI_BUF_INIT;
	struct pki_alabel *e;
	size_t k;
	int rc = 0;

	*out = NULL;
	for (k = au->nlslots ? slot_of(id, au->nlslots) : 0; au->nlslots && au->lslots[k] != 0;
	     k = (k + 1) & (au->nlslots - 1))
		if (strcmp(au->labels[au->lslots[k] - 1].id, id) == 0) {
			e = &au->labels[au->lslots[k] - 1];
			goto found;
		}
	if ((e = label_add(au, id)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "labels");
	if ((rc = pki_repo_blob(au->repo, id, PKI_LABEL_MAX, false, &b)) == 0)
		rc = pki_label_parse(&e->l, b.ptr, b.len);
	pki_buf_release(&b);
	e->ok = rc == 0;
	if (!e->ok && (e->why = strdup(pki_error_last())) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "labels");
	/* A schema that cannot be loaded is the audit's trouble, not the
	 * label's: the audit stops. */
	if (rc < 0 && rc != -PKI_EDATA)
		return rc;
found:
	*out = e->ok ? &e->l : NULL;
	*why = e->why;
	return 0;
}

static void labels_free(struct pki_auditor *au)
{
	size_t i;

	for (i = 0; i < au->nlabels; i++) {
		pki_label_release(&au->labels[i].l);
		free(au->labels[i].why);
	}
	free(au->labels);
	free(au->lslots);
}

/* --- keys --- */

struct pki_akey *pki_audit_akey(struct pki_auditor *au, const char *fpr, bool add)
{
	struct pki_akey *grown;
	size_t i;

	for (i = 0; i < au->nkeys; i++)
		if (strncmp(au->keys[i].fpr, fpr, 40) == 0)
			return &au->keys[i];
	if (!add)
		return NULL;
	if ((grown = pki_row_grow(au->keys, au->nkeys, &au->capkeys, sizeof(*grown))) == NULL)
		return NULL;
	au->keys = grown;
	memset(&au->keys[au->nkeys], 0, sizeof(au->keys[0]));
	snprintf(au->keys[au->nkeys].fpr, 41, "%.40s", fpr);
	return &au->keys[au->nkeys++];
}

const struct pki_key *pki_audit_key(struct pki_auditor *au, const char *fpr)
{
	struct pki_akey *k;

	if (fpr[0] == '\0')
		return NULL;	/* a principal without a key */
	k = pki_audit_akey(au, fpr, true);

	if (k == NULL)
		return NULL;
	if (!k->looked) {
		k->looked = true;
		k->have = pki_gpg_key(au->gpg, k->fpr, false, &k->key) == 0;
	}
	return k->have ? &k->key : NULL;
}

/* --- every version of the key files --- */

static struct pki_akeyver *kver_find(struct pki_auditor *au, const char *fpr, const char *blob)
{
	size_t i;

	for (i = 0; i < au->nkvers; i++)
		if (strcmp(au->kvers[i].blob, blob) == 0 && strcmp(au->kvers[i].fpr, fpr) == 0)
			return &au->kvers[i];
	return NULL;
}

static struct pki_akeyver *kver_add(struct pki_auditor *au, const char *fpr, const char *blob,
				    const char *commit)
{
	struct pki_akeyver *grown, *v;

	if ((grown = pki_row_grow(au->kvers, au->nkvers, &au->capkvers, sizeof(*grown))) == NULL)
		return NULL;
	au->kvers = grown;
	v = &au->kvers[au->nkvers++];
	memset(v, 0, sizeof(*v));
	snprintf(v->fpr, sizeof(v->fpr), "%.40s", fpr);
	snprintf(v->blob, sizeof(v->blob), "%.40s", blob);
	snprintf(v->commit, sizeof(v->commit), "%.40s", commit);
	return v;
}

/* A key file removed while a row of the access matrix names its key, in
 * the commit's tables, after it, or in any version the walk has read so
 * far (a key replaced by pki-matrix rekey): the signatures that key made
 * could no longer be verified from the history alone. */
static int key_removed(struct pki_auditor *au, const struct pki_acommit *ac, const char *fpr)
{
	const struct pki_principal *p = NULL;
	char after[41];
	size_t i;
	int rc;

	if ((rc = pki_repo_id_at(au->repo, ac->c.id, PKI_MATRIX_FILE, after)) < 0 &&
	    rc != -PKI_ENOINPUT)
		return rc;
	/* Read them, so that the scan below sees them. */
	if (rc == 0)
		(void)pki_audit_matrix(au, after, ac->c.id);
	if (ac->matrix_id[0] != '\0')
		(void)pki_audit_matrix(au, ac->matrix_id, ac->c.id);
	for (i = 0; i < au->ntables && p == NULL; i++)
		if (au->tables[i]->kind == PKI_AT_MATRIX && au->tables[i]->ok)
			p = pki_matrix_find_fpr(&au->tables[i]->m, fpr);
	if (p == NULL)
		return 0;
	return pki_audit_add(au->a, PKI_A_KEY_REMOVED, ac->c.id,
			     "removes keys/%s.asc, the key of principal '%s': history needs it to "
			     "verify what '%s' signed (policy 12.10)", fpr, p->name, p->name);
}

int pki_audit_key_file(struct pki_auditor *au, size_t ci, const char *fpr,
		       const struct pki_delta *d)
{
	struct pki_acommit *ac = &au->cv[ci];
	struct pki_akey *k;

	if (d->new_id[0] == '\0')
		return d->old_id[0] != '\0' ? key_removed(au, ac, fpr) : 0;
	if ((k = pki_audit_akey(au, fpr, true)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "keys");
	memcpy(k->blob, d->new_id, 41);
	if (kver_find(au, fpr, d->new_id) == NULL && kver_add(au, fpr, d->new_id, ac->c.id) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "keys");
	return 0;
}

/* What a version of a key file holds (seen, or why not): a finding, or
 * nothing to say.  commit: the commit that stored it, when known. */
static int key_verdict(struct pki_auditor *au, const char *fpr, const char *commit,
		       const struct pki_key *seen, const char *why)
{
	char object[PKI_KEY_PATH_MAX], where[80] = "";

	pki_key_path(fpr, object);
	if (commit != NULL && commit[0] != '\0')
		snprintf(where, sizeof(where), " (as commit %s stored it)", commit);
	if (why != NULL)
		return pki_audit_add(au->a, PKI_A_KEY_FILE, object,
				     "holds no single OpenPGP key%s: %s", where, why);
	if (strcmp(seen->fpr, fpr) != 0)
		return pki_audit_add(au->a, PKI_A_KEY_FILE, object, "holds the key %s, not %s%s",
				     seen->fpr, fpr, where);
	return 0;
}

/* A key the keyring lacks: its latest file checked, then imported. */
static int import_key(struct pki_auditor *au, struct pki_akey *k)
{
	struct pki_buf b = PKI_BUF_INIT;
	struct pki_key seen = { 0 }, got = { 0 };
	struct pki_akeyver *v = kver_find(au, k->fpr, k->blob);
	char object[PKI_KEY_PATH_MAX];
	int rc;

	pki_key_path(k->fpr, object);
	if ((rc = pki_repo_blob(au->repo, k->blob, KEY_MAX, false, &b)) < 0 ||
	    pki_gpg_inspect(au->gpg, b.ptr, b.len, &seen) < 0) {
		rc = key_verdict(au, k->fpr, v != NULL ? v->commit : NULL, NULL, pki_error_last());
		goto out;
	}
	if (strcmp(seen.fpr, k->fpr) != 0) {
		rc = key_verdict(au, k->fpr, v != NULL ? v->commit : NULL, &seen, NULL);
		goto out;
	}
	if (pki_gpg_import(au->gpg, b.ptr, b.len, &got) < 0)
		rc = pki_audit_add(au->a, PKI_A_KEY_UNAVAILABLE, object, "cannot import it: %s",
				   pki_error_last());
	else if ((rc = pki_audit_add(au->a, PKI_A_KEY_IMPORTED, object,
				     "imported the public key into the auditor's keyring")) == 0)
		au->imported++;
	/* This version is judged: the verifiers need not inspect it. */
	if (rc == 0 && v != NULL && v->seen.fpr[0] == '\0')
		rc = pki_key_copy(&v->seen, &seen);
	if (rc == 0 && !k->looked) {
		/* The key as its file has it: no keyring look-up later. */
		k->key = seen;
		k->looked = k->have = true;
		memset(&seen, 0, sizeof(seen));
	}
out:
	if (v != NULL)
		v->commit[0] = '\0';
	pki_key_release(&got);
	pki_key_release(&seen);
	pki_buf_release(&b);
	return rc;
}

/* The keys stored at the tip, for an audit that did not walk their commits. */
static int tip_keys(struct pki_auditor *au)
{
	struct pki_entry *v = NULL;
	struct pki_akey *k;
	size_t n = 0, i;
	int rc;

	if ((rc = pki_repo_list_at(au->repo, au->tip, "keys", &v, &n)) < 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++) {
		if (strlen(v[i].name) != 44 || strcmp(v[i].name + 40, ".asc") != 0 || !v[i].id[0])
			continue;
		if ((k = pki_audit_akey(au, v[i].name, true)) == NULL)
			rc = pki_error_errno(PKI_EINTERNAL, "keys");
		else if (k->blob[0] == '\0')
			memcpy(k->blob, v[i].id, 41);
	}
	free(v);
	return rc;
}

int pki_audit_tip_keys_missing(struct pki_auditor *au, bool *any)
{
	struct pki_entry *v = NULL;
	const char **fprs = NULL;
	char (*names)[41] = NULL;
	bool *missing = NULL;
	size_t n = 0, nk = 0, i;
	int rc;

	*any = false;
	if ((rc = pki_repo_list_at(au->repo, au->tip, "keys", &v, &n)) < 0)
		return rc;
	if ((fprs = calloc(n + 1, sizeof(*fprs))) == NULL ||
	    (names = calloc(n + 1, sizeof(*names))) == NULL ||
	    (missing = calloc(n + 1, sizeof(*missing))) == NULL) {
		rc = pki_error_errno(PKI_EINTERNAL, "keys");
		goto out;
	}
	/* The names tip_keys takes; gpg remembers what it listed, so that
	 * pki_audit_import_keys asks it again only about the others. */
	for (i = 0; i < n; i++) {
		if (strlen(v[i].name) != 44 || strcmp(v[i].name + 40, ".asc") != 0 || !v[i].id[0])
			continue;
		snprintf(names[nk], sizeof(names[nk]), "%.40s", v[i].name);
		fprs[nk] = names[nk];
		nk++;
	}
	if ((rc = pki_gpg_missing(au->gpg, fprs, nk, missing)) < 0)
		goto out;
	for (i = 0; i < nk; i++)
		*any = *any || missing[i];
out:
	free(missing);
	free(names);
	free(fprs);
	free(v);
	return rc;
}

int pki_audit_import_keys(struct pki_auditor *au)
{
	const char **fprs = NULL;
	bool *missing = NULL;
	size_t i;
	int rc;

	if ((rc = tip_keys(au)) < 0)
		return rc;
	if ((fprs = calloc(au->nkeys + 1, sizeof(*fprs))) == NULL ||
	    (missing = calloc(au->nkeys + 1, sizeof(*missing))) == NULL) {
		rc = pki_error_errno(PKI_EINTERNAL, "keys");
		goto out;
	}
	for (i = 0; i < au->nkeys; i++)
		fprs[i] = au->keys[i].fpr;
	/* One gpg process tells which are missing. */
	if ((rc = pki_gpg_missing(au->gpg, fprs, au->nkeys, missing)) < 0)
		goto out;
	for (i = 0; i < au->nkeys && rc == 0; i++)
		if (au->keys[i].blob[0] != '\0' && missing[i])
			rc = import_key(au, &au->keys[i]);
	/* Every version the walked commits stored (but the ones just
	 * imported): read here, inspected on the verifiers' threads. */
	for (i = 0; i < au->nkvers && rc == 0; i++) {
		struct pki_akeyver *v = &au->kvers[i];

		if (v->commit[0] == '\0')
			continue;
		if (pki_repo_blob(au->repo, v->blob, KEY_MAX, false, &v->data) < 0)
			rc = key_verdict(au, v->fpr, v->commit, NULL, pki_error_last());
		else
			v->inspect = true;
	}
out:
	free(missing);
	free(fprs);
	return rc;
}

int pki_audit_keys_judge(struct pki_auditor *au)
{
	struct pki_akey *k;
	size_t i;
	int rc = 0;

	for (i = 0; i < au->nkvers && rc == 0; i++) {
		struct pki_akeyver *v = &au->kvers[i];

		if (!v->inspect)
			continue;
		if ((rc = key_verdict(au, v->fpr, v->commit, &v->seen, v->why)) < 0 ||
		    v->why != NULL || strcmp(v->seen.fpr, v->fpr) != 0)
			continue;
		/* The latest version stands for the key: no keyring look-up later. */
		k = pki_audit_akey(au, v->fpr, false);
		if (k != NULL && !k->looked && strcmp(k->blob, v->blob) == 0) {
			if ((rc = pki_key_copy(&k->key, &v->seen)) < 0)
				return rc;
			k->looked = k->have = true;
		}
	}
	return rc;
}

int pki_audit_key_revoked_at(struct pki_auditor *au, const char *commit, const char *fpr,
			     const char *signer, int *shown)
{
	struct pki_akeyver *v;
	char path[PKI_KEY_PATH_MAX], id[41];
	int rc;

	*shown = -1;
	pki_key_path(fpr, path);
	if ((rc = pki_repo_id_at(au->repo, commit, path, id)) == -PKI_ENOINPUT)
		return 0;
	if (rc < 0)
		return rc;
	if ((v = kver_find(au, fpr, id)) == NULL && (v = kver_add(au, fpr, id, "")) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "keys");
	/* Not inspected yet (not walked, or imported): read it here, once. */
	if (v->seen.fpr[0] == '\0' && v->why == NULL) {
		if ((rc = pki_repo_blob(au->repo, id, KEY_MAX, false, &v->data)) < 0 ||
		    pki_gpg_inspect(au->gpg, v->data.ptr, v->data.len, &v->seen) < 0) {
			if ((v->why = strdup(pki_error_last())) == NULL)
				return pki_error_errno(PKI_EINTERNAL, "keys");
		}
	}
	if (v->why == NULL && strcmp(v->seen.fpr, fpr) == 0)
		*shown = pki_key_revoked(&v->seen, signer) ? 1 : 0;
	return 0;
}

bool pki_audit_key_revoked_ever(const struct pki_auditor *au, const char *fpr,
				const char *signer)
{
	size_t i;

	for (i = 0; i < au->nkvers; i++)
		if (strcmp(au->kvers[i].fpr, fpr) == 0 && strcmp(au->kvers[i].seen.fpr, fpr) == 0 &&
		    pki_key_revoked(&au->kvers[i].seen, signer))
			return true;
	return false;
}

void pki_audit_tables_free(struct pki_auditor *au)
{
	size_t i;

	for (i = 0; i < au->ntables; i++) {
		pki_matrix_release(&au->tables[i]->m);
		pki_delegations_release(&au->tables[i]->d);
		pki_arrangements_release(&au->tables[i]->a);
		free(au->tables[i]);
	}
	free(au->tables);
	for (i = 0; i < au->nkeys; i++)
		pki_key_release(&au->keys[i].key);
	free(au->keys);
	for (i = 0; i < au->nkvers; i++) {
		pki_key_release(&au->kvers[i].seen);
		pki_buf_release(&au->kvers[i].data);
		free(au->kvers[i].why);
	}
	free(au->kvers);
	labels_free(au);
}
