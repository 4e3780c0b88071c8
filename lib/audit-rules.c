/* audit-rules.c: each recorded action against the rules of its time
 * (audit check 5).
 *
 * A row is judged by lib/policy.c, the code the command that wrote it
 * ran, with what that command saw: the access matrix and delegations of
 * the commit's parent, the product's label before the change, and the
 * commit's time.  So a row written straight into the registry with stock
 * git meets the same rules as one pki-share wrote, and a delegation that
 * had expired by then is caught however the row came to be.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-int.h"
#include "error.h"
#include "policy.h"

/* --- judging one row --- */

/* What a row is judged with. */
struct judge {
	struct pki_auditor *au;
	const struct pki_acommit *ac;
	const struct pki_ajudge *jc;
	const char *parent;		/* the state judged by (a root: itself) */
	const struct pki_arow *r;
	const struct pki_matrix *m;
	const struct pki_delegations *d;
	time_t at;
	const struct pki_principal *who;	/* the signer's row, NULL when none */
	const struct pki_principal *actor;
	const struct pki_label *label;	/* before the change */
	struct pki_product p;
	char object[64];
	char merge[64];			/* pki_audit_at_merge */
};

static int violation(struct judge *j)
{
	const struct pki_delegation *x;
	const char *auth = j->r->f[PKI_COL_AUTHORITY];
	const char *action = j->r->f[PKI_COL_ACTION];

	/* A delegation invoked out of its time has a finding of its own. */
	if (pki_authority_is_delegation(auth) && (x = pki_delegations_find(j->d, auth)) != NULL &&
	    strcmp(x->grantee, j->actor->name) == 0 && !pki_delegation_valid(x, j->at))
		return pki_audit_add(j->au->a, PKI_A_EXPIRED_DELEGATION, j->object,
				     "%s of %s by '%s' in commit %s invokes delegation %s out of its "
				     "time: %s%s", action, j->r->f[PKI_COL_PRODUCT], j->actor->name,
				     j->ac->c.id, auth, pki_error_last(), j->merge);
	return pki_audit_add(j->au->a, PKI_A_RULE, j->object, "%s of %s by '%s' in commit %s: %s%s",
			     action, j->r->f[PKI_COL_PRODUCT], j->actor->name, j->ac->c.id,
			     pki_error_last(), j->merge);
}

static int granted(struct judge *j, const char *auth)
{
	const char *recorded = j->r->f[PKI_COL_AUTHORITY];

	if (auth == NULL || strcmp(auth, recorded) == 0)
		return 0;
	return pki_audit_add(j->au->a, PKI_A_AUTHORITY, j->object,
			     "row %s records authority '%s'; the rules of its time grant '%s'%s",
			     j->r->f[PKI_COL_EVENT], recorded, auth, j->merge);
}

/* share, export, revoke: the recipient as the matrix of the time knew it. */
static int judge_share(struct judge *j, enum pki_action action)
{
	struct pki_share_ctx c;
	const char *auth = NULL, *f_auth = j->r->f[PKI_COL_AUTHORITY];
	char keypath[PKI_KEY_PATH_MAX], id[41];
	int rc;

	memset(&c, 0, sizeof(c));
	c.actor = j->actor;
	c.product = &j->p;
	c.recipient_name = j->r->f[PKI_COL_RECIPIENT];
	c.recipient = pki_matrix_find(j->m, c.recipient_name);
	if (c.recipient != NULL) {
		pki_key_path(c.recipient->fpr, keypath);
		c.recipient_key = pki_repo_id_at(j->au->repo, j->parent, keypath, id) == 0;
	}
	c.matrix = j->m;
	c.delegations = j->d;
	c.at = j->at;
	c.authority = pki_authority_is_delegation(f_auth) ? f_auth : NULL;
	c.justification = j->r->f[PKI_COL_JUSTIFICATION];
	c.hrddp = j->r->f[PKI_COL_HRDDP];
	c.arrangement = j->r->f[PKI_COL_ARRANGEMENT];
	c.consent = j->r->f[PKI_COL_REFERENCE];
	if (action == PKI_ACTION_REVOKE)
		rc = pki_policy_may_revoke(&auth, &c);
	else
		rc = pki_policy_may_share(&auth, &c);
	/* The row's action must be the one pki-share takes for the recipient. */
	if (rc == 0 && c.recipient != NULL)
		rc = pki_policy_channel(c.recipient, action == PKI_ACTION_EXPORT);
	if (rc < 0)
		return violation(j);
	return granted(j, auth);
}

/* The list a classify, receive, reclassify or review row records, against
 * the rules'. */
static int judge_list(struct judge *j, const struct pki_names *want)
{
	struct pki_buf b = PKI_BUF_INIT;
	int rc;

	if ((rc = pki_names_join(want, &b)) < 0)
		goto out;
	if (strcmp(b.ptr != NULL ? b.ptr : "", j->r->f[PKI_COL_RECIPIENT]) != 0)
		rc = pki_audit_add(j->au->a, PKI_A_RULE, j->object,
				   "%s of %s in commit %s encrypts to '%s'; the rules of its time "
				   "give '%s' (policy 10.7, 11.3.2, 11.5.1)%s", j->r->f[PKI_COL_ACTION],
				   j->r->f[PKI_COL_PRODUCT], j->ac->c.id, j->r->f[PKI_COL_RECIPIENT],
				   b.ptr != NULL ? b.ptr : "", j->merge);
out:
	pki_buf_release(&b);
	return rc;
}

static int judge_reclassify(struct judge *j)
{
	struct pki_names want = { 0 };
	enum pki_level level;
	const char *auth = NULL, *f_auth = j->r->f[PKI_COL_AUTHORITY];
	int rc;

	if (pki_level_parse(j->r->f[PKI_COL_LEVEL], &level) < 0 ||
	    pki_policy_may_reclassify(j->d, j->m, j->actor, &j->p,
				      pki_authority_is_delegation(f_auth) ? f_auth : NULL,
				      j->at, &auth) < 0)
		return violation(j);
	if ((rc = granted(j, auth)) < 0)
		return rc;
	if (pki_policy_reclassified_list(j->m, &j->p, j->label->recipients, j->label->nrecipients,
					 level, j->at, &want) < 0)
		rc = violation(j);
	else
		rc = judge_list(j, &want);
	pki_names_release(&want);
	return rc;
}

/* A review keeps the level and the list: the same actors as a
 * reclassification (policy 9.8, 11.2.1), the row's level the label's, its
 * list the label's as it was. */
static int judge_review(struct judge *j)
{
	struct pki_names want = { 0 };
	const char *auth = NULL, *f_auth = j->r->f[PKI_COL_AUTHORITY];
	size_t i;
	int rc = 0;

	if (pki_policy_may_reclassify(j->d, j->m, j->actor, &j->p,
				      pki_authority_is_delegation(f_auth) ? f_auth : NULL,
				      j->at, &auth) < 0)
		return violation(j);
	if ((rc = granted(j, auth)) < 0)
		return rc;
	if (strcmp(j->r->f[PKI_COL_LEVEL], pki_level_name(j->label->level)) != 0)
		return pki_audit_add(j->au->a, PKI_A_RULE, j->object,
				     "review of %s in commit %s records level %s; a review keeps "
				     "the level, %s (policy 11.2.1)%s", j->r->f[PKI_COL_PRODUCT],
				     j->ac->c.id, j->r->f[PKI_COL_LEVEL],
				     pki_level_name(j->label->level), j->merge);
	for (i = 0; i < j->label->nrecipients && rc == 0; i++)
		rc = pki_names_add(&want, j->label->recipients[i]);
	if (rc == 0)
		rc = judge_list(j, &want);
	pki_names_release(&want);
	return rc;
}

/* A requirement's wording (pki-ir(1) add): filed by who directs, to the
 * list of its requirement's owner in the table the same commit leaves. */
static int judge_wording(struct judge *j, enum pki_action action)
{
	struct pki_names want = { 0 };
	const char *granted, *owner;
	int rc;

	if (action != PKI_ACTION_CLASSIFY)
		return pki_audit_add(j->au->a, PKI_A_RULE, j->object, "%s of %s in commit %s: a "
				     "requirement's wording is classified in the mission by pki-ir, "
				     "never received (policy 10.2)%s", j->r->f[PKI_COL_ACTION],
				     j->r->f[PKI_COL_PRODUCT], j->ac->c.id, j->merge);
	if ((owner = pki_audit_ir_owner(j->au, j->ac->c.id, j->r->f[PKI_COL_PRODUCT])) == NULL)
		return pki_audit_add(j->au->a, PKI_A_RULE, j->object, "classify of %s in commit %s: "
				     "a wording of kind ir that no row of %s names (policy 10.2)%s",
				     j->r->f[PKI_COL_PRODUCT], j->ac->c.id, PKI_REQUIREMENTS_FILE,
				     j->merge);
	if (pki_policy_may_direct(j->d, j->m, j->actor, j->at, &granted) < 0 ||
	    pki_policy_may_classify(j->actor, j->label->level) < 0 ||
	    pki_policy_ir_list(j->m, j->p.originator, owner, j->label->level, j->at, &want) < 0)
		rc = violation(j);
	else
		rc = judge_list(j, &want);
	pki_names_release(&want);
	return rc;
}

/*
 * A relabel corrects areas, safety flag and IR references (A308 judges
 * that it changes nothing else): the actors of a reclassification
 * (policy 9.8), the level kept, no current recipient left without need
 * to know, and the list it records the current one with, when it sets
 * the safety flag, the undss principals (policy 11.3.2; A508 when the
 * label it writes does not reach them).
 */
static int judge_relabel(struct judge *j)
{
	struct pki_label before = *j->label;	/* the cache may move; the fields stay */
	const struct pki_label *nw;
	struct pki_product after;
	struct pki_names want = { 0 }, got = { 0 };
	const char *auth = NULL, *f_auth = j->r->f[PKI_COL_AUTHORITY];
	size_t i;
	int rc;

	if (pki_policy_may_reclassify(j->d, j->m, j->actor, &j->p,
				      pki_authority_is_delegation(f_auth) ? f_auth : NULL,
				      j->at, &auth) < 0)
		return violation(j);
	if ((rc = granted(j, auth)) < 0)
		return rc;
	if (strcmp(j->r->f[PKI_COL_LEVEL], pki_level_name(before.level)) != 0)
		return pki_audit_add(j->au->a, PKI_A_RULE, j->object,
				     "relabel of %s in commit %s records level %s; a relabel keeps "
				     "the level, %s (policy 11.2.1)%s", j->r->f[PKI_COL_PRODUCT],
				     j->ac->c.id, j->r->f[PKI_COL_LEVEL],
				     pki_level_name(before.level), j->merge);
	rc = pki_audit_label_at(j->au, j->ac->c.id, j->r->f[PKI_COL_PRODUCT], &nw);
	if (rc == -PKI_ENOINPUT || rc == -PKI_EDATA)
		return 0;	/* A204, A305 say why */
	if (rc < 0)
		return rc;
	pki_product_of_label(nw, &after);
	for (i = 0; i < nw->nrecipients && rc == 0; i++)
		rc = pki_names_add(&got, nw->recipients[i]);
	if (rc < 0)
		goto out;
	if (pki_policy_relabel_undss(j->m, &j->p, &after, &got, j->at) < 0) {
		rc = pki_audit_add(j->au->a, PKI_A_RELABEL_UNDSS, j->object, "commit %s: %s%s",
				   j->ac->c.id, pki_error_last(), j->merge);
		goto out;
	}
	if (pki_policy_relabel_keeps(j->m, &j->p, &after, before.recipients, before.nrecipients,
				     j->at) < 0 ||
	    pki_policy_relabeled_list(j->m, &j->p, &after, before.recipients,
				      before.nrecipients, j->at, &want) < 0)
		rc = violation(j);
	else
		rc = judge_list(j, &want);
out:
	pki_names_release(&got);
	pki_names_release(&want);
	return rc;
}

/* classify and receive: who files, and the initial list (pki-classify(1), pki-register(1)). */
static int judge_filing(struct judge *j, enum pki_action action)
{
	struct pki_names want = { 0 };
	int rc;

	if (j->label->kind == PKI_KIND_IR)
		return judge_wording(j, action);

	if (action == PKI_ACTION_RECEIVE ? pki_policy_may_receive(j->actor) < 0 :
	    pki_policy_may_classify(j->actor, j->label->level) < 0)
		return violation(j);
	if (pki_policy_initial_list(j->m, j->p.originator, j->label->level, j->label->safety,
				    j->at, &want) < 0)
		rc = violation(j);
	else
		rc = judge_list(j, &want);
	pki_names_release(&want);
	return rc;
}

/* Does the row's commit record an `action` row for the row's product? */
static bool beside(const struct judge *j, const char *action)
{
	size_t i;

	for (i = j->ac->row0; i < j->ac->row0 + j->ac->nrows; i++)
		if (strcmp(j->au->rows[i].f[PKI_COL_ACTION], action) == 0 &&
		    strcmp(j->au->rows[i].f[PKI_COL_PRODUCT], j->r->f[PKI_COL_PRODUCT]) == 0)
			return true;
	return false;
}

/* Transfers to the archives: an archive row, and the share made with it
 * (authority custodian) to re-encrypt a product for the archives. */
static bool archiving(const struct judge *j, enum pki_action action)
{
	if (action == PKI_ACTION_ARCHIVE)
		return true;
	return action == PKI_ACTION_SHARE &&
	       strcmp(j->r->f[PKI_COL_AUTHORITY], "custodian") == 0 && beside(j, "archive");
}

/* A share to UNDSS on the rule, in the commit of a relabel setting the
 * safety flag: judged with the label that commit writes, as a filing's. */
static bool relabel_share(const struct judge *j, enum pki_action action)
{
	return action == PKI_ACTION_SHARE &&
	       strcmp(j->r->f[PKI_COL_AUTHORITY], "undss-rule") == 0 && beside(j, "relabel");
}

/* Who transfers, and to whom: a valid archives principal with its key. */
static int judge_archiving(struct judge *j)
{
	const struct pki_principal *q = pki_matrix_find(j->m, j->r->f[PKI_COL_RECIPIENT]);
	char keypath[PKI_KEY_PATH_MAX], id[41];
	bool key = false;

	if (q != NULL) {
		pki_key_path(q->fpr, keypath);
		key = pki_repo_id_at(j->au->repo, j->parent, keypath, id) == 0;
	}
	if (pki_policy_may_archive(j->actor) < 0 ||
	    pki_policy_archives_recipient(q, j->r->f[PKI_COL_RECIPIENT], key, j->at) < 0)
		return violation(j);
	return 0;
}

/* The access matrix this commit leaves, when it changes it; else NULL. */
static const struct pki_matrix *matrix_after(const struct judge *j)
{
	char id[41];

	if (!(j->ac->changes & PKI_CH_MATRIX) ||
	    pki_repo_id_at(j->au->repo, j->ac->c.id, PKI_MATRIX_FILE, id) < 0)
		return NULL;
	return pki_audit_matrix(j->au, id, j->ac->c.id);
}

/* A revoke made by removing its recipient from the matrix in the same
 * commit (pki-matrix remove): judged as a change of the matrix (A104). */
static bool removal(const struct judge *j, enum pki_action action)
{
	const struct pki_principal *before, *after;
	const struct pki_matrix *m;

	if (action != PKI_ACTION_REVOKE || (m = matrix_after(j)) == NULL)
		return false;
	before = pki_matrix_find(j->m, j->r->f[PKI_COL_RECIPIENT]);
	after = pki_matrix_find(m, j->r->f[PKI_COL_RECIPIENT]);
	return before != NULL && after != NULL && pki_principal_valid(before, j->at) &&
	       !pki_principal_valid(after, j->at);
}

/* A revoke on the matrix's authority (pki-matrix add narrowing its
 * recipient): the same commit narrows the recipient's row, and the
 * product is one it may no longer hold. */
static int judge_narrowing(struct judge *j)
{
	const struct pki_matrix *m = matrix_after(j);
	const char *name = j->r->f[PKI_COL_RECIPIENT];

	if (pki_policy_narrowed_off(j->actor, pki_matrix_find(j->m, name),
				    m != NULL ? pki_matrix_find(m, name) : NULL, name, &j->p,
				    j->at) < 0)
		return violation(j);
	return 0;
}

/* The actor: the signer, or for a commit without a good signature the
 * principal the row names, so that its rules are still judged. */
static const struct pki_principal *row_actor(const struct judge *j)
{
	const struct pki_principal *p;

	if (j->who != NULL)
		return j->who;
	p = pki_matrix_find(j->m, j->r->f[PKI_COL_ACTOR]);
	return p != NULL && pki_principal_valid(p, j->at) ? p : NULL;
}

static int judge_row(struct pki_auditor *au, const struct pki_acommit *ac,
		     const struct pki_ajudge *jc, const struct pki_principal *who,
		     const struct pki_arow *r)
{
	struct judge j;
	enum pki_action action;
	const char *before;
	int rc;

	memset(&j, 0, sizeof(j));
	j.au = au;
	j.ac = ac;
	j.jc = jc;
	j.parent = ac->c.nparents > 0 ? ac->c.parents[0] : ac->c.id;
	j.r = r;
	j.m = jc->m;
	j.d = jc->d;
	j.at = jc->at;
	j.who = who;
	snprintf(j.object, sizeof(j.object), "%s:%zu", r->shard, r->line);
	pki_audit_at_merge(jc, j.merge);
	if (pki_action_parse(r->f[PKI_COL_ACTION], &action) < 0 ||
	    pki_check_product_id(r->f[PKI_COL_PRODUCT]) < 0 || j.m == NULL || j.d == NULL ||
	    (j.actor = row_actor(&j)) == NULL)
		return 0;	/* A206, A108, A103 said why */
	if (strcmp(r->f[PKI_COL_AUTHORITY], "successor") == 0)
		return pki_audit_succession(au, ac, jc, j.actor, r, action);
	if (removal(&j, action) && strcmp(r->f[PKI_COL_AUTHORITY], "matrix") != 0)
		return 0;	/* A104 judged a removal */
	if (archiving(&j, action))
		return judge_archiving(&j);
	/* The Archives' receipt of a transfer touches no product. */
	if (action == PKI_ACTION_ARCHIVE_ACK)
		return pki_policy_may_acknowledge(j.actor) < 0 ? violation(&j) : 0;
	/* The label before the change; a product filed in this commit has
	 * only the one it was filed with. */
	before = action != PKI_ACTION_CLASSIFY && action != PKI_ACTION_RECEIVE &&
		 !relabel_share(&j, action) ? j.parent : ac->c.id;
	rc = pki_audit_label_at(au, before, r->f[PKI_COL_PRODUCT], &j.label);
	if ((rc == -PKI_ENOINPUT || rc == -PKI_EDATA) && before != ac->c.id)
		rc = pki_audit_label_at(au, ac->c.id, r->f[PKI_COL_PRODUCT], &j.label);
	if (rc == -PKI_ENOINPUT || rc == -PKI_EDATA)
		return 0;	/* A204, A301, A305 say why */
	if (rc < 0)
		return rc;
	pki_product_of_label(j.label, &j.p);
	if (action == PKI_ACTION_DISPOSE)
		return pki_audit_dispose_row(au, ac, jc, j.actor, r, j.label);
	if (action == PKI_ACTION_REVOKE && strcmp(r->f[PKI_COL_AUTHORITY], "matrix") == 0)
		return judge_narrowing(&j);
	if (action == PKI_ACTION_SHARE || action == PKI_ACTION_EXPORT || action == PKI_ACTION_REVOKE)
		return judge_share(&j, action);
	if (action == PKI_ACTION_RECLASSIFY)
		return judge_reclassify(&j);
	if (action == PKI_ACTION_REVIEW)
		return judge_review(&j);
	if (action == PKI_ACTION_RELABEL)
		return judge_relabel(&j);
	return judge_filing(&j, action);
}

int pki_audit_rules_at(struct pki_auditor *au, size_t ci, const struct pki_ajudge *jc,
		       const struct pki_principal *who)
{
	const struct pki_acommit *ac = &au->cv[ci];
	size_t k, before;
	int rc = 0;

	for (k = ac->row0; k < ac->row0 + ac->nrows && rc == 0; k++) {
		/* A row found at fault on its own is not reported again. */
		if (jc->merge != NULL && au->rows[k].flagged)
			continue;
		before = au->a->n;
		rc = judge_row(au, ac, jc, who, &au->rows[k]);
		if (jc->merge == NULL)
			au->rows[k].flagged = au->a->n > before;
	}
	return rc;
}

int pki_audit_rules(struct pki_auditor *au)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < au->nc && rc == 0; i++)
		rc = pki_audit_rules_at(au, i, &au->cv[i].own, au->cv[i].who);
	return rc;
}
