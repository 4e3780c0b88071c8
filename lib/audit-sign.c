/* audit-sign.c: signatures and who made each change (audit checks 1, 2).
 *
 * Verification is the audit's one process per commit, so it runs on
 * every core, beside the walk (audit-verify.c); the judging here runs in
 * history order, each commit once its own signature is verified.  Keys
 * the auditor's keyring lacks are imported first, from keys/ as the
 * history stored them (audit-tables.c; public keys only: an auditor
 * needs no secret).
 *
 * A signer is judged by the tables of pki_audit_own (its parent's, at its
 * time; a merge's: its parents' merged), and again at each merge that
 * brings its commit in (audit-graph.c): the rules in lib/policy.c say
 * which roles may change the matrix, the keys, the settings and the
 * delegations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit-int.h"
#include "error.h"
#include "policy.h"

/* The key files the walk saw, as gpg reads them: what each holds, or
 * why it holds no key (a few processes, while the threads verify). */
static int inspect_keys(struct pki_auditor *au)
{
	struct pki_akeyver *k;
	size_t i;

	for (i = 0; i < au->nkvers; i++) {
		k = &au->kvers[i];
		if (!k->inspect || pki_gpg_inspect(au->gpg, k->data.ptr, k->data.len, &k->seen) == 0)
			continue;
		if ((k->why = strdup(pki_error_last())) == NULL)
			return pki_error_errno(PKI_EINTERNAL, "keys");
	}
	return 0;
}

/* One verifier more than cores: each waits for its helper's gpg to start
 * and end, and the walk and the judging take a core of their own (2
 * cores: 3 verifiers, 13 % faster than 2 on 511 commits, for 1.4 % more
 * CPU). */
unsigned pki_audit_threads(const struct pki_auditor *au)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = au->o->threads;

	if (n == 0)
		n = cores > 0 ? (unsigned)cores + 1 : 2;
	return n > PKI_AUDIT_THREADS_MAX ? PKI_AUDIT_THREADS_MAX : n;
}

/* --- judging --- */

/* The signer's row: by primary fingerprint, else by a subkey of a principal's key. */
static const struct pki_principal *signer_row(struct pki_auditor *au, const struct pki_matrix *m,
					      const char *signer)
{
	const struct pki_principal *p;
	const struct pki_key *k;
	size_t i;

	if (strlen(signer) == 40 && (p = pki_matrix_find_fpr(m, signer)) != NULL)
		return p;
	for (i = 0; i < m->n; i++)
		if ((k = pki_audit_key(au, m->v[i].fpr)) != NULL && pki_key_has(k, signer))
			return &m->v[i];
	return NULL;
}

const char *pki_audit_at_merge(const struct pki_ajudge *jc, char buf[64])
{
	buf[0] = '\0';
	if (jc->merge != NULL)
		snprintf(buf, 64, " (judged at merge %.12s)", jc->merge);
	return buf;
}

/* New delegations: the signer grants them, with a power its role may
 * delegate; edited or dropped ones are the matrix keepers' business, but
 * for a grantor withdrawing its own (pki_policy_may_withdraw), on the day
 * of the commit itself, also when a merge judges it later. */
static int judge_delegations(struct pki_auditor *au, struct pki_acommit *ac,
			     const struct pki_principal *who, const struct pki_ajudge *jc)
{
	const struct pki_delegations *old = jc->d, *nw;
	const struct pki_delegation *x, *y;
	const char *id = ac->c.id;
	char merge[64];
	size_t i;
	int rc = 0;

	pki_audit_at_merge(jc, merge);
	nw = ac->deleg_new_id[0] != '\0' ? pki_audit_delegations(au, ac->deleg_new_id, id) : NULL;
	for (i = 0; nw != NULL && i < nw->n && rc == 0; i++) {
		x = &nw->v[i];
		y = old != NULL ? pki_delegations_find(old, x->id) : NULL;
		if (y != NULL && pki_delegation_same(x, y))
			continue;
		if (y != NULL) {
			if (pki_policy_may_withdraw(who, y, x, ac->c.when) < 0)
				rc = pki_audit_add(au->a, PKI_A_ROLE, id, "edits delegation %s: %s%s",
						   x->id, pki_error_last(), merge);
		} else if (x->power == PKI_POWER_SUCCESSOR) {
			/* Named by a keeper of the matrix, not granted (pki-matrix succeed). */
			if (pki_policy_may_change_matrix(who) < 0)
				rc = pki_audit_add(au->a, PKI_A_ROLE, id, "records successor "
						   "delegation %s: %s%s", x->id, pki_error_last(),
						   merge);
		} else if (strcmp(x->grantor, who->name) != 0) {
			rc = pki_audit_add(au->a, PKI_A_ROLE, id, "records delegation %s as granted by "
					   "'%s', but '%s' signed it (policy 9.8)%s", x->id,
					   x->grantor, who->name, merge);
		} else if (pki_policy_may_delegate(who, x->power) < 0) {
			rc = pki_audit_add(au->a, PKI_A_ROLE, id, "grants delegation %s: %s%s", x->id,
					   pki_error_last(), merge);
		}
	}
	for (i = 0; old != NULL && i < old->n && rc == 0; i++)
		if ((nw == NULL || pki_delegations_find(nw, old->v[i].id) == NULL) &&
		    pki_policy_may_change_matrix(who) < 0)
			rc = pki_audit_add(au->a, PKI_A_ROLE, id, "removes delegation %s: %s%s",
					   old->v[i].id, pki_error_last(), merge);
	return rc;
}

static int judge_role(struct pki_auditor *au, struct pki_acommit *ac,
		      const struct pki_principal *who, const struct pki_ajudge *jc)
{
	static const struct { unsigned bit; const char *what; } kinds[] = {
		{ PKI_CH_MATRIX, "the access matrix" },
		{ PKI_CH_KEYS, "the principals' keys" },
		{ PKI_CH_SETTINGS, "the mission settings" },
	};
	char merge[64];
	size_t i;
	int rc;

	pki_audit_at_merge(jc, merge);
	if (ac->c.nparents == 0 && pki_policy_may_change_matrix(who) < 0)
		return pki_audit_add(au->a, PKI_A_ROLE, ac->c.id, "makes the repository: %s%s",
				     pki_error_last(), merge);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (ac->c.nparents > 0 && (ac->changes & kinds[i].bit) &&
		    pki_policy_may_change_matrix(who) < 0)
			return pki_audit_add(au->a, PKI_A_ROLE, ac->c.id, "changes %s: %s%s",
					     kinds[i].what, pki_error_last(), merge);
	/* The register of arrangements: kept as the matrix is (policy 11.4.3). */
	if ((ac->changes & PKI_CH_ARRANGEMENTS) && pki_policy_may_arrange(who) < 0)
		return pki_audit_add(au->a, PKI_A_ROLE, ac->c.id, "changes the register of "
				     "arrangements: %s%s", pki_error_last(), merge);
	if ((ac->changes & PKI_CH_REQUIREMENTS) && jc->d != NULL &&
	    (rc = pki_audit_requirements_change(au, ac, who, jc)) < 0)
		return rc;
	if ((ac->changes & PKI_CH_DELEGATIONS) && jc->d != NULL)
		return judge_delegations(au, ac, who, jc);
	return 0;
}

/*
 * A good signature by a key that is revoked now, in the verifying keyring
 * or in a version of keys/ the audit read.  Dates are the signer's to
 * choose, so the history alone says when: good (info A004, and 0) when
 * keys/<FPR>.asc at the commit's first parent (a root: its own) did not
 * yet show the key revoked; bad (A102, and 1) when it did, whatever the
 * auditor's keyring says, or when gpg holds it revoked and no such file
 * tells otherwise.  A full audit inspected every version stored: when
 * none shows the key revoked, there is nothing to look up.
 */
static int judge_revoked(struct pki_auditor *au, const struct pki_acommit *ac)
{
	const char *before = ac->c.nparents > 0 ? ac->c.parents[0] : ac->c.id;
	const struct pki_principal *p = NULL;
	const char *fpr;
	bool known;
	int shown, rc;

	if (ac->own.m != NULL)
		p = signer_row(au, ac->own.m, ac->signer);
	fpr = p != NULL ? p->fpr : ac->signer;
	known = ac->revoked || pki_audit_key_revoked_ever(au, fpr, ac->signer);
	if (!known && au->a->since[0] == '\0')
		return 0;
	if ((rc = pki_audit_key_revoked_at(au, before, fpr, ac->signer, &shown)) < 0)
		return rc;
	if (shown == 0 || (shown < 0 && !ac->revoked))
		return !known ? 0 : pki_audit_add(au->a, PKI_A_KEY_REVOKED_LATER, ac->c.id,
						   "signed by key %s, revoked since: keys/%s.asc did "
						   "not show it revoked before this commit", ac->signer, fpr);
	rc = pki_audit_add(au->a, PKI_A_BAD_SIGNATURE, ac->c.id, shown > 0 ?
			   "signed by key %s, which keys/%s.asc showed revoked before this commit" :
			   "signed by key %s, which is revoked, and no keys/%s.asc before this "
			   "commit shows it was not then", ac->signer, fpr);
	return rc < 0 ? rc : 1;
}

/* The signature itself: 1 when good, else 0 with its finding. */
static int judge_signature(struct pki_auditor *au, struct pki_acommit *ac)
{
	int rc;

	if (ac->c.signature.len == 0)
		rc = pki_audit_add(au->a, PKI_A_UNSIGNED, ac->c.id,
				   "not signed: every change is signed by the principal who made "
				   "it (policy 12.10)");
	else if (ac->bad != NULL)
		rc = pki_audit_add(au->a, PKI_A_BAD_SIGNATURE, ac->c.id,
				   "the signature does not verify: %s", ac->bad);
	else if ((rc = judge_revoked(au, ac)) == 0)
		return 1;
	else if (rc > 0)
		ac->flagged = true, rc = 0;	/* no merge judges it again */
	return rc;
}

/* The commit is authored in its signer's name (its key's address). */
static int judge_author(struct pki_auditor *au, const struct pki_acommit *ac,
			const struct pki_principal *p)
{
	const struct pki_key *k = pki_audit_key(au, p->fpr);

	if (k == NULL || pki_policy_author(p, ac->c.author_email, k->emails, k->nemails) == 0)
		return 0;	/* no key: its signature did not verify (A102) */
	return pki_audit_add(au->a, PKI_A_AUTHOR, ac->c.id, "authored by '%s <%s>': %s",
			     ac->c.author_name, ac->c.author_email, pki_error_last());
}

int pki_audit_judge_signer(struct pki_auditor *au, struct pki_acommit *ac,
			   const struct pki_ajudge *jc, const struct pki_principal **who)
{
	const struct pki_principal *p;
	char when[PKI_TIME_LEN], merge[64];

	*who = NULL;
	pki_audit_at_merge(jc, merge);
	if (jc->m == NULL && jc->merge == NULL && ac->c.nparents < 2 && ac->matrix_id[0] == '\0')
		return pki_audit_add(au->a, PKI_A_NOT_PRINCIPAL, ac->c.id,
				     "signed by %s with no access matrix to judge it by (policy 12.10)",
				     ac->signer);
	if (jc->m == NULL)
		return 0;	/* A108 said why */
	if ((p = signer_row(au, jc->m, ac->signer)) == NULL)
		return pki_audit_add(au->a, PKI_A_NOT_PRINCIPAL, ac->c.id,
				     "signed by key %s, which is not in the access matrix (policy "
				     "12.10)%s", ac->signer, merge);
	pki_time_format(jc->at, when);
	if (!pki_principal_valid(p, jc->at))
		return pki_audit_add(au->a, PKI_A_NOT_PRINCIPAL, ac->c.id,
				     "signed by '%s', who was not a valid principal at %s (policy "
				     "12.10)%s", p->name, when, merge);
	*who = p;
	return judge_role(au, ac, p, jc);
}

/* Each row the commit added names its signer as actor. */
static int judge_actors(struct pki_auditor *au, const struct pki_acommit *ac)
{
	char object[64];
	size_t i;
	int rc = 0;

	for (i = ac->row0; i < ac->row0 + ac->nrows && rc == 0; i++) {
		const struct pki_arow *r = &au->rows[i];

		if (strcmp(r->f[PKI_COL_ACTOR], ac->who->name) == 0)
			continue;
		snprintf(object, sizeof(object), "%s:%zu", r->shard, r->line);
		rc = pki_audit_add(au->a, PKI_A_ROW_ACTOR, object,
				   "row %s names '%s' as actor, but '%s' signed commit %s (policy 11.3.3)",
				   r->f[PKI_COL_EVENT], r->f[PKI_COL_ACTOR], ac->who->name, ac->c.id);
	}
	return rc;
}

static const struct pki_atouch *touched(const struct pki_acommit *ac, const char *id)
{
	size_t i;

	for (i = 0; i < ac->ntouch; i++)
		if (strcmp(ac->touch[i].id, id) == 0)
			return &ac->touch[i];
	return NULL;
}

/* Which file changes a row's action makes: 'A' adds both files, 'W'
 * writes them (adds or rewrites), 'L' rewrites the label and leaves the
 * ciphertext as it was (a review, a relabel), 'X' removes the ciphertext
 * and rewrites the label (a disposal), 0 none (export, archive,
 * archive-ack, and a share on paper, orally or on a display). */
static char row_writes(const struct pki_arow *r)
{
	const char *action = r->f[PKI_COL_ACTION];

	if (r->f[PKI_COL_MEDIUM][0] != '\0')
		return 0;
	if (strcmp(action, "classify") == 0 || strcmp(action, "receive") == 0)
		return 'A';
	if (strcmp(action, "review") == 0 || strcmp(action, "relabel") == 0)
		return 'L';
	if (strcmp(action, "dispose") == 0)
		return 'X';
	if (strcmp(action, "reclassify") == 0 || strcmp(action, "share") == 0 ||
	    strcmp(action, "revoke") == 0)
		return 'W';
	return 0;
}

static bool wrote(char how, char want)
{
	return want == 'A' ? how == 'A' : how == 'A' || how == 'M';
}

/* Does the commit record a row of action for product id? */
static bool has_row(const struct pki_auditor *au, const struct pki_acommit *ac, const char *id,
		    const char *action)
{
	size_t j;

	for (j = ac->row0; j < ac->row0 + ac->nrows; j++)
		if (strcmp(au->rows[j].f[PKI_COL_PRODUCT], id) == 0 &&
		    strcmp(au->rows[j].f[PKI_COL_ACTION], action) == 0)
			return true;
	return false;
}

/* The principal a commit rekeys (pki_policy_rekeyed: the one matrix row
 * whose fingerprint it changes), NULL when none; < 0 only when the audit
 * cannot go on. */
static int rekeyed_by(struct pki_auditor *au, const struct pki_acommit *ac, const char **name)
{
	const struct pki_matrix *before, *after;
	char id[41];
	int rc;

	*name = NULL;
	if (ac->c.nparents != 1 || !(ac->changes & PKI_CH_MATRIX))
		return 0;
	if ((rc = pki_repo_id_at(au->repo, ac->c.parents[0], PKI_MATRIX_FILE, id)) < 0)
		goto absent;
	if ((before = pki_audit_matrix(au, id, ac->c.id)) == NULL)
		return 0;	/* A108 */
	if ((rc = pki_repo_id_at(au->repo, ac->c.id, PKI_MATRIX_FILE, id)) < 0)
		goto absent;
	if ((after = pki_audit_matrix(au, id, ac->c.id)) == NULL)
		return 0;
	*name = pki_policy_rekeyed(before, after);
	return 0;
absent:
	if (rc != -PKI_ENOINPUT)
		return rc;
	pki_error_clear();
	return 0;
}

/* A product the commit rewrote with no row: 0 when a rekey allows it
 * (pki_policy_rekey_rewrite), else 1 with the rule's message. */
static int rekey_rewrite(struct pki_auditor *au, const struct pki_acommit *ac,
			 const struct pki_atouch *t, const char *rekeyed)
{
	const struct pki_label *old, *nw;
	struct pki_label before;
	struct pki_names list = { 0 };
	size_t i;
	int rc;

	if (rekeyed == NULL || t->gpg != 'M' || t->xml != 'M')
		return pki_policy_rekey_rewrite(NULL, &list, 0) < 0 ? 1 : 0;
	if ((rc = pki_audit_label_at(au, ac->c.parents[0], t->id, &old)) < 0)
		return rc == -PKI_EDATA || rc == -PKI_ENOINPUT ? 1 : rc;
	before = *old;	/* the cache may move; the fields stay */
	if ((rc = pki_audit_label_at(au, ac->c.id, t->id, &nw)) < 0)
		return rc == -PKI_EDATA || rc == -PKI_ENOINPUT ? 1 : rc;
	for (i = 0; i < nw->nrecipients && rc == 0; i++)
		rc = pki_names_add(&list, nw->recipients[i]);
	if (rc == 0)
		rc = pki_policy_rekey_rewrite(rekeyed, &list, pki_label_diff(&before, nw)) < 0;
	pki_names_release(&list);
	return rc;
}

/* A review or relabel row: its commit rewrites the label, and the
 * ciphertext only when another of its rows for the product re-encrypts
 * it (the undss shares of a relabel that sets the safety flag). */
static int judge_review_files(struct pki_auditor *au, const struct pki_acommit *ac,
			      const struct pki_arow *r, const struct pki_atouch *t)
{
	const char *id = r->f[PKI_COL_PRODUCT];
	char object[64];
	size_t j;

	snprintf(object, sizeof(object), "%s:%zu", r->shard, r->line);
	if (t == NULL || t->xml != 'M')
		return pki_audit_add(au->a, PKI_A_ROW_NO_CHANGE, object,
				     "a %s row for %s, but commit %s does not rewrite its label",
				     r->f[PKI_COL_ACTION], id, ac->c.id);
	if (t->gpg == 0)
		return 0;
	for (j = ac->row0; j < ac->row0 + ac->nrows; j++)
		if (strcmp(au->rows[j].f[PKI_COL_PRODUCT], id) == 0 &&
		    row_writes(&au->rows[j]) == 'W')
			return 0;
	return pki_audit_add(au->a, PKI_A_CHANGE_NO_ROW, ac->c.id,
			     "rewrites the ciphertext of %s with only a %s row: a %s "
			     "changes the label alone (policy 11.2.1, 11.3.3)", id,
			     r->f[PKI_COL_ACTION], r->f[PKI_COL_ACTION]);
}

/* Each row's product files changed as its action says, and no product
 * changed without a row (but for a rekey's). */
static int judge_files(struct pki_auditor *au, const struct pki_acommit *ac)
{
	const struct pki_atouch *t;
	const struct pki_arow *medium;
	const char *rekeyed;
	char object[64], want;
	size_t i, j;
	int rc;

	if ((rc = rekeyed_by(au, ac, &rekeyed)) < 0)
		return rc;
	for (i = ac->row0; i < ac->row0 + ac->nrows && rc == 0; i++) {
		const struct pki_arow *r = &au->rows[i];

		if ((want = row_writes(r)) == 0)
			continue;
		t = touched(ac, r->f[PKI_COL_PRODUCT]);
		if (want == 'L') {
			rc = judge_review_files(au, ac, r, t);
			continue;
		}
		if (want == 'X' ? t != NULL && t->gpg == 'D' && t->xml == 'M' :
		    t != NULL && wrote(t->gpg, want) && wrote(t->xml, want))
			continue;
		snprintf(object, sizeof(object), "%s:%zu", r->shard, r->line);
		if (want == 'X')
			rc = pki_audit_add(au->a, PKI_A_ROW_NO_CHANGE, object,
					   "a dispose row for %s, but commit %s does not remove its "
					   "ciphertext and rewrite its label", r->f[PKI_COL_PRODUCT],
					   ac->c.id);
		else
			rc = pki_audit_add(au->a, PKI_A_ROW_NO_CHANGE, object,
					   "a %s row for %s, but commit %s does not %s its ciphertext "
					   "and label", r->f[PKI_COL_ACTION], r->f[PKI_COL_PRODUCT],
					   ac->c.id, want == 'A' ? "add" : "write");
	}
	for (i = 0; i < ac->ntouch && rc == 0; i++) {
		t = &ac->touch[i];
		for (j = ac->row0, medium = NULL; j < ac->row0 + ac->nrows; j++) {
			if (strcmp(au->rows[j].f[PKI_COL_PRODUCT], t->id) != 0)
				continue;
			if (row_writes(&au->rows[j]) != 0)
				break;
			if (au->rows[j].f[PKI_COL_MEDIUM][0] != '\0')
				medium = &au->rows[j];
		}
		/* A material's ciphertext leaves the tree by its disposal alone
		 * (pki-archive --dispose, judged by audit-dispose.c). */
		if (t->gpg == 'D' && t->xml == 'M' && has_row(au, ac, t->id, "dispose"))
			continue;
		if (j == ac->row0 + ac->nrows && medium != NULL && t->gpg != 'D' && t->xml != 'D') {
			snprintf(object, sizeof(object), "%s:%zu", medium->shard, medium->line);
			rc = pki_audit_add(au->a, PKI_A_MEDIUM_CHANGE, object,
					   "a %s of %s on %s, but commit %s rewrites the product: a "
					   "dissemination on another medium changes neither its "
					   "ciphertext nor its list (policy 11.3.3, 24)",
					   medium->f[PKI_COL_ACTION], t->id, medium->f[PKI_COL_MEDIUM],
					   ac->c.id);
		} else if (t->gpg == 'D' || t->xml == 'D')
			rc = pki_audit_add(au->a, PKI_A_CHANGE_NO_ROW, ac->c.id,
					   "deletes files of %s: products are kept for the archives (policy 11.5.1)",
					   t->id);
		else if (j == ac->row0 + ac->nrows && (rc = rekey_rewrite(au, ac, t, rekeyed)) > 0)
			rc = pki_audit_add(au->a, PKI_A_CHANGE_NO_ROW, ac->c.id,
					   "changes %s with no registry row to record it (policy 11.3.3)", t->id);
	}
	return rc;
}

/* The signature, then the signer by the commit's own tables. */
static int judge_signer(struct pki_auditor *au, struct pki_acommit *ac)
{
	size_t errors = au->a->count[PKI_SEV_ERROR];
	int rc;

	if ((rc = pki_audit_own(au, ac)) < 0 || (rc = judge_signature(au, ac)) <= 0 ||
	    (rc = pki_audit_judge_signer(au, ac, &ac->own, &ac->who)) < 0 ||
	    (ac->who != NULL && (rc = judge_author(au, ac, ac->who)) < 0))
		return rc;
	ac->flagged = au->a->count[PKI_SEV_ERROR] > errors;
	return 0;
}

int pki_audit_sign(struct pki_auditor *au)
{
	size_t i;
	int rc, all = 0;

	if ((rc = pki_audit_import_keys(au)) < 0)
		return rc;
	pki_audit_verifiers_keyed(au, au->imported > 0);
	if ((rc = inspect_keys(au)) < 0 || (rc = pki_audit_keys_judge(au)) < 0)
		return rc;
	for (i = 0; i < au->nc && rc == 0; i++) {
		if ((rc = all = pki_audit_verified(au, i)) < 0 ||
		    (rc = judge_signer(au, &au->cv[i])) < 0)
			break;
		if (au->cv[i].who != NULL && (rc = judge_actors(au, &au->cv[i])) < 0)
			break;
		if ((rc = pki_audit_table_rules(au, &au->cv[i])) < 0)
			break;
		if ((rc = pki_audit_label_fields(au, &au->cv[i])) < 0 ||
		    (rc = pki_audit_disposed_files(au, &au->cv[i])) < 0 ||
		    (rc = pki_audit_ir_cited(au, &au->cv[i])) < 0)
			break;
		rc = judge_files(au, &au->cv[i]);
		/* One line at a time: the checking shows once all are verified. */
		if (all > 0)
			pki_progress_report(au->o->progress, "Checking commits", i + 1, au->nc);
	}
	return rc;
}
