/* audit-graph.c: the shape of the history, trusted in nothing a signer
 * chose.
 *
 * A signer chooses a commit's date, its parents and their order.  So the
 * audit pins the history to one root (the one pki-init made, pinned as
 * pki.root in the auditor's clone), refuses time going back along any
 * parent edge, and judges a merge without regard to which parent came
 * first: each commit a merge brings in from one side is judged again by
 * the tables of the other side, merged row by row with its own side's
 * changes (so a principal added on its side is known, and one removed on
 * the other is not valid), at the merge's time.  A principal removed on
 * one side cannot go on acting from a clone that was behind the removal,
 * whatever date it signs and whichever parent its merge names first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-int.h"
#include "error.h"

/* --- the walked commits, by ID --- */

static int by_id(const void *a, const void *b)
{
	return strcmp((*(const struct pki_acommit *const *)a)->c.id,
		      (*(const struct pki_acommit *const *)b)->c.id);
}

static int by_key(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct pki_acommit *const *)elem)->c.id);
}

size_t pki_audit_find(const struct pki_auditor *au, const char *id)
{
	struct pki_acommit *const *hit;

	if (au->byid == NULL)
		return SIZE_MAX;
	hit = bsearch(id, au->byid, au->nc, sizeof(*au->byid), by_key);
	return hit != NULL ? (size_t)(*hit - au->cv) : SIZE_MAX;
}

static int index_commits(struct pki_auditor *au)
{
	size_t i;

	if ((au->byid = calloc(au->nc + 1, sizeof(*au->byid))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "history");
	for (i = 0; i < au->nc; i++)
		au->byid[i] = &au->cv[i];
	qsort(au->byid, au->nc, sizeof(*au->byid), by_id);
	return 0;
}

/* --- --since --- */

int pki_audit_since(struct pki_auditor *au, const char **since)
{
	char hex[41];
	bool on = false;
	int rc;

	*since = NULL;
	if (au->o->since == NULL)
		return 0;
	if ((rc = pki_repo_resolve(au->repo, au->o->since, hex)) < 0 ||
	    (rc = pki_repo_descends(au->repo, au->tip, hex, &on)) < 0)
		return rc;
	if (on) {
		*since = au->o->since;
		return 0;
	}
	/* A history rewritten past REV: what it held is unknown, so all of it. */
	return pki_audit_add(au->a, PKI_A_SINCE_LOST, hex,
			     "--since names commit %s, which is not in the history of main (was "
			     "the history rewritten?): the whole history is audited", hex);
}

/* --- one root, the pinned one --- */

/* A commit ID is the pin itself, whether or not this history holds it
 * (a history replaced whole holds no commit of the mission's); anything
 * else must name a commit. */
static int pin(struct pki_auditor *au, const char *rev, char out[41])
{
	if (strlen(rev) == 40 && strspn(rev, "0123456789abcdef") == 40) {
		memcpy(out, rev, 41);
		return 0;
	}
	return pki_repo_resolve(au->repo, rev, out);
}

/* The pinned root: --root, else this clone's pki.root; "" when none. */
static int pinned_root(struct pki_auditor *au, char out[41])
{
	char *conf = NULL;
	int rc;

	out[0] = '\0';
	if (au->o->root != NULL)
		return pin(au, au->o->root, out);
	if ((rc = pki_repo_local_get(au->repo, "pki.root", &conf)) < 0 || conf == NULL)
		return rc;
	if ((rc = pin(au, conf, out)) < 0)
		rc = pki_error(PKI_ECONFIG, "pki.root: '%.64s' names no commit", conf);
	free(conf);
	return rc;
}

static int judge_roots(struct pki_auditor *au)
{
	char pin[41];
	size_t i, nroots = 0, first = SIZE_MAX;
	bool pinned_seen = false;
	int rc;

	if ((rc = pinned_root(au, pin)) < 0)
		return rc;
	for (i = 0; i < au->nc; i++)
		if (au->cv[i].c.nparents == 0) {
			nroots++;
			first = first == SIZE_MAX ? i : first;
			pinned_seen |= strcmp(au->cv[i].c.id, pin) == 0;
		}
	for (i = 0; i < au->nc && rc == 0; i++) {
		const char *id = au->cv[i].c.id;

		if (au->cv[i].c.nparents > 0 || strcmp(id, pin) == 0)
			continue;
		if (au->a->since[0] != '\0' || pinned_seen || (pin[0] == '\0' && nroots > 1))
			rc = pki_audit_add(au->a, PKI_A_SECOND_ROOT, id, "a second root: a mission's "
					   "history has one, made by pki-init; this one brings in "
					   "a history of its own (policy 12.10)");
		else if (pin[0] != '\0')
			rc = pki_audit_add(au->a, PKI_A_ROOT_MISMATCH, id, "the history's root is not "
					   "the pinned root %s (pki.root): this is another mission's "
					   "history, or a rewritten one", pin);
	}
	if (rc == 0 && pin[0] == '\0' && nroots == 1)
		rc = pki_audit_add(au->a, PKI_A_ROOT_UNPINNED, au->cv[first].c.id,
				   "the root is trusted as found; pin it in this clone with "
				   "'git config pki.root %s'", au->cv[first].c.id);
	return rc;
}

/* --- time goes forward --- */

/* A signer dates its commit: one dated before a parent would be judged
 * by a clock turned back (before a removal, a delegation's end). */
static int judge_times(struct pki_auditor *au)
{
	const struct pki_commit *c;
	char when[PKI_TIME_LEN], pwhen[PKI_TIME_LEN];
	time_t t;
	size_t i, k, p;
	int rc = 0;

	for (i = 0; i < au->nc && rc == 0; i++)
		for (c = &au->cv[i].c, k = 0; k < c->nparents && rc == 0; k++) {
			if ((p = pki_audit_find(au, c->parents[k])) != SIZE_MAX)
				t = au->cv[p].c.when;
			else if ((rc = pki_repo_commit_time(au->repo, c->parents[k], &t)) < 0)
				break;
			if (t <= c->when)
				continue;
			pki_time_format(c->when, when);
			pki_time_format(t, pwhen);
			rc = pki_audit_add(au->a, PKI_A_TIME_BACKWARDS, c->id,
					   "dated %s, before its parent %s (%s): time never goes "
					   "back along the history (policy 12.10)", when, c->parents[k],
					   pwhen);
		}
	return rc;
}

int pki_audit_graph(struct pki_auditor *au)
{
	int rc;

	if ((rc = index_commits(au)) < 0 || (rc = judge_roots(au)) < 0)
		return rc;
	return judge_times(au);
}

/* --- the tables a commit is judged by --- */

static void table_ids(struct pki_auditor *au, const char *commit, char matrix[41],
		      char deleg[41])
{
	(void)pki_audit_table_id(au, commit, PKI_MATRIX_FILE, matrix);
	(void)pki_audit_table_id(au, commit, PKI_DELEGATIONS_FILE, deleg);
}

/*
 * The tables of ours with what theirs changed since their common
 * ancestor merged in.  Histories with no common ancestor share nothing:
 * what the unrelated one holds counts for nothing (theirs NULL: ours'
 * tables alone).
 */
static int judge_by(struct pki_auditor *au, const char *ours, const char *theirs, time_t at,
		    const char *merge, struct pki_ajudge *out)
{
	char base[41] = "", bm[41], bd[41], om[41], od[41], tm[41], td[41];
	char ba[41], oa[41], ta[41];
	int rc;

	out->at = at;
	out->merge = merge;
	if (theirs != NULL && (rc = pki_repo_merge_base(au->repo, ours, theirs, base)) < 0)
		return rc;
	table_ids(au, ours, om, od);
	(void)pki_audit_table_id(au, ours, PKI_ARRANGEMENTS_FILE, oa);
	if (base[0] == '\0') {
		out->m = pki_audit_matrix(au, om, ours);
		out->d = pki_audit_delegations(au, od, ours);
		out->a = pki_audit_arrangements(au, oa, ours);
		return 0;
	}
	table_ids(au, base, bm, bd);
	table_ids(au, theirs, tm, td);
	(void)pki_audit_table_id(au, base, PKI_ARRANGEMENTS_FILE, ba);
	(void)pki_audit_table_id(au, theirs, PKI_ARRANGEMENTS_FILE, ta);
	out->m = pki_audit_matrix_merged(au, bm, om, tm, ours);
	out->d = pki_audit_delegations_merged(au, bd, od, td, ours);
	out->a = pki_audit_arrangements_merged(au, ba, oa, ta, ours);
	return 0;
}

int pki_audit_own(struct pki_auditor *au, struct pki_acommit *ac)
{
	const struct pki_commit *c = &ac->c;

	if (c->nparents >= 2)
		return judge_by(au, c->parents[0], c->parents[1], c->when, NULL, &ac->own);
	ac->own.at = c->when;
	ac->own.merge = NULL;
	ac->own.m = pki_audit_matrix(au, ac->matrix_id, c->id);
	ac->own.d = pki_audit_delegations(au, ac->deleg_id, c->id);
	ac->own.a = pki_audit_arrangements(au, ac->arr_id, c->id);
	return 0;
}

/* --- merges --- */

/* Commit ci, which merge mi brings in from beyond parent k, by the
 * tables of parent k's side at the merge. */
static int judge_brought(struct pki_auditor *au, size_t mi, size_t k, size_t ci)
{
	struct pki_acommit *ac = &au->cv[ci];
	const struct pki_commit *m = &au->cv[mi].c;
	const struct pki_principal *who;
	struct pki_ajudge jc;
	int rc;

	/* What is at fault on its own was reported on its own. */
	if (ac->c.signature.len == 0 || ac->bad != NULL || ac->flagged)
		return 0;
	if ((rc = judge_by(au, m->parents[k], ac->c.nparents > 0 ? ac->c.parents[0] : NULL,
			   m->when, m->id, &jc)) < 0 ||
	    (rc = pki_audit_judge_signer(au, ac, &jc, &who)) < 0 || who == NULL)
		return rc;
	return pki_audit_rules_at(au, ci, &jc, who);
}

/* A merge of more than two parents was judged on its own by the first
 * two's tables: the others' count too. */
static int judge_octopus(struct pki_auditor *au, size_t mi)
{
	struct pki_acommit *ac = &au->cv[mi];
	const struct pki_principal *who;
	struct pki_ajudge jc;
	size_t k;
	int rc = 0;

	for (k = 2; k < ac->c.nparents && rc == 0 && ac->who != NULL && !ac->flagged; k++)
		if ((rc = judge_by(au, ac->c.parents[0], ac->c.parents[k], ac->c.when, ac->c.id,
				   &jc)) == 0 &&
		    (rc = pki_audit_judge_signer(au, ac, &jc, &who)) == 0 && who != NULL)
			rc = pki_audit_rules_at(au, mi, &jc, who);
	return rc;
}

static int judge_merge(struct pki_auditor *au, size_t mi)
{
	const struct pki_commit *m = &au->cv[mi].c;
	char (*others)[41] = NULL, (*brought)[41] = NULL;
	size_t k, i, j, n = 0, ci;
	int rc;

	if ((rc = judge_octopus(au, mi)) < 0)
		return rc;
	if ((others = calloc(m->nparents, sizeof(*others))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "history");
	for (k = 0; k < m->nparents && rc == 0; k++) {
		for (i = j = 0; i < m->nparents; i++)
			if (i != k)
				memcpy(others[j++], m->parents[i], 41);
		free(brought);
		brought = NULL;
		if ((rc = pki_repo_only_in(au->repo, (const char (*)[41])others, j,
					   m->parents[k], &brought, &n)) < 0)
			break;
		/* Oldest first, as the walk found them; those before --since
		 * were judged by an earlier audit. */
		for (i = n; i-- > 0 && rc == 0;)
			if ((ci = pki_audit_find(au, brought[i])) != SIZE_MAX)
				rc = judge_brought(au, mi, k, ci);
	}
	free(brought);
	free(others);
	return rc;
}

int pki_audit_merges(struct pki_auditor *au)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < au->nc && rc == 0; i++)
		if (au->cv[i].c.nparents >= 2)
			rc = judge_merge(au, i);
	return rc;
}
