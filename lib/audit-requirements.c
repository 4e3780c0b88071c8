/* audit-requirements.c: the intelligence requirements (policy 10.2, 12.9,
 * 11.5.1).
 *
 *   A119  requirements.csv changed by other than a hom, a chair or the
 *         holder of a direct delegation from a hom (pki_policy_may_direct,
 *         judged with the commit's tables at its time, and again at merges);
 *   A120  a requirement removed from the table, or its ID, kind, parent,
 *         creation date or wording product changed: requirements are
 *         closed, never deleted, and go to the archives whole;
 *   A312  a label citing a requirement that is not an open one of the
 *         table the same commit leaves (pki_requirements_cite, the check
 *         pki-classify and pki-register run);
 *   A705  an open requirement past its review date (warning).
 *
 * History from before the table: a label written by a commit whose tree
 * has no requirements.csv yet cites free text, which was all pki-classify
 * --ir took then; it stays valid.  From the first commit that has the
 * table on, every IR reference a commit newly writes on a label is judged.
 * A reference a label already carried is not judged again when a later
 * commit rewrites the label for another reason, nor when its requirement
 * closes later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-int.h"
#include "error.h"
#include "ir.h"
#include "policy.h"
#include "rows.h"

struct pki_areqs {
	char id[41];
	bool ok;
	struct pki_requirements r;
};

const struct pki_requirements *pki_audit_requirements(struct pki_auditor *au, const char *id,
						      const char *where)
{
	static const struct pki_requirements none;
	struct pki_areqs *v, *x;
	struct pki_buf b = PKI_BUF_INIT;
	size_t i;
	int rc;

	if (id[0] == '\0')
		return &none;
	for (i = 0; i < au->nreqs; i++)
		if (strcmp(au->reqs[i].id, id) == 0)
			return au->reqs[i].ok ? &au->reqs[i].r : NULL;
	if ((v = pki_row_grow(au->reqs, au->nreqs, &au->capreqs, sizeof(*v))) == NULL)
		return NULL;
	au->reqs = v;
	x = &v[au->nreqs++];
	memset(x, 0, sizeof(*x));
	memcpy(x->id, id, 41);
	if ((rc = pki_repo_blob(au->repo, id, PKI_REQUIREMENTS_MAX, false, &b)) == 0)
		rc = pki_requirements_parse(&x->r, b.ptr, b.len);
	pki_buf_release(&b);
	x->ok = rc == 0;
	if (!x->ok)
		(void)pki_audit_add(au->a, PKI_A_TABLE_INVALID, where, "%s: %s",
				    PKI_REQUIREMENTS_FILE, pki_error_last());
	return x->ok ? &x->r : NULL;
}

void pki_audit_requirements_free(struct pki_auditor *au)
{
	size_t i;

	for (i = 0; i < au->nreqs; i++)
		pki_requirements_release(&au->reqs[i].r);
	free(au->reqs);
	au->reqs = NULL;
	au->nreqs = au->capreqs = 0;
}

/* --- who changes the table, and how (A119, A120) --- */

static const char *identity_change(const struct pki_requirement *a,
				   const struct pki_requirement *b)
{
	if (a->kind != b->kind)
		return "kind";
	if (strcmp(a->parent, b->parent) != 0)
		return "parent";
	if (a->created != b->created)
		return "creation date";
	if (strcmp(a->product, b->product) != 0)
		return "wording product";
	return NULL;
}

int pki_audit_requirements_change(struct pki_auditor *au, const struct pki_acommit *ac,
				  const struct pki_principal *who, const struct pki_ajudge *jc)
{
	const struct pki_requirements *old, *nw;
	const struct pki_requirement *x;
	const char *granted, *what;
	char merge[64];
	size_t i;
	int rc = 0;

	pki_audit_at_merge(jc, merge);
	if (pki_policy_may_direct(jc->d, jc->m, who, jc->at, &granted) < 0 &&
	    (rc = pki_audit_add(au->a, PKI_A_REQUIREMENTS_ACTOR, ac->c.id, "changes %s: %s%s",
				PKI_REQUIREMENTS_FILE, pki_error_last(), merge)) < 0)
		return rc;
	if (jc->merge != NULL)
		return 0;	/* the rows were judged on the commit itself */
	old = pki_audit_requirements(au, ac->req_old_id, ac->c.id);
	nw = pki_audit_requirements(au, ac->req_new_id, ac->c.id);
	if (old == NULL || nw == NULL)
		return 0;	/* A108 */
	for (i = 0; i < old->n && rc == 0; i++) {
		if ((x = pki_requirements_find(nw, old->v[i].ir)) == NULL)
			rc = pki_audit_add(au->a, PKI_A_REQUIREMENT_REMOVED, ac->c.id,
					   "removes requirement %s from %s: requirements are "
					   "closed, never deleted, and go to the archives (policy "
					   "12.9, 11.5.1)", old->v[i].ir, PKI_REQUIREMENTS_FILE);
		else if ((what = identity_change(&old->v[i], x)) != NULL)
			rc = pki_audit_add(au->a, PKI_A_REQUIREMENT_REMOVED, ac->c.id,
					   "changes the %s of requirement %s: a requirement "
					   "keeps what it was set as; a new one is added instead "
					   "(policy 10.2, 12.9)", what, x->ir);
	}
	return rc;
}

/* --- what labels cite (A312) --- */

static bool cited_before(const struct pki_label *old, const char *ir)
{
	size_t i;

	for (i = 0; old != NULL && i < old->nir; i++)
		if (strcmp(old->ir[i], ir) == 0)
			return true;
	return false;
}

static int judge_cites(struct pki_auditor *au, const struct pki_acommit *ac,
		       const struct pki_requirements *reqs, const struct pki_atouch *t)
{
	const struct pki_label *nw, *old = NULL;
	struct pki_label before;
	char *one;
	size_t i;
	int rc;

	if (t->xml == 'M' && ac->c.nparents > 0) {
		rc = pki_audit_label_at(au, ac->c.parents[0], t->id, &old);
		if (rc == 0) {
			before = *old;	/* the cache may move; the fields stay */
			old = &before;
		} else if (rc == -PKI_EDATA || rc == -PKI_ENOINPUT) {
			old = NULL;
		} else {
			return rc;
		}
	}
	rc = pki_audit_label_at(au, ac->c.id, t->id, &nw);
	if (rc == -PKI_EDATA || rc == -PKI_ENOINPUT)
		return 0;	/* A305, A301 */
	if (rc < 0)
		return rc;
	for (i = 0; i < nw->nir; i++) {
		if (cited_before(old, nw->ir[i]))
			continue;
		one = nw->ir[i];
		if (pki_requirements_cite(reqs, &one, 1) < 0)
			return pki_audit_add(au->a, PKI_A_IR_UNKNOWN, t->id, "commit %s cites what is no open "
					     "requirement: %s",
					     ac->c.id, pki_error_last());
	}
	return 0;
}

int pki_audit_ir_cited(struct pki_auditor *au, const struct pki_acommit *ac)
{
	const struct pki_requirements *reqs;
	char id[41];
	size_t i;
	int rc = 0;

	if (!(ac->changes & PKI_CH_PRODUCTS))
		return 0;
	for (i = 0; i < ac->ntouch; i++)
		if (ac->touch[i].xml == 'A' || ac->touch[i].xml == 'M')
			break;
	if (i == ac->ntouch)
		return 0;
	if ((rc = pki_audit_table_id(au, ac->c.id, PKI_REQUIREMENTS_FILE, id)) < 0)
		return rc;
	if (id[0] == '\0')
		return 0;	/* before requirements.csv: free-text references */
	if ((reqs = pki_audit_requirements(au, id, ac->c.id)) == NULL)
		return 0;	/* A108 */
	for (i = 0; i < ac->ntouch && rc == 0; i++)
		if (ac->touch[i].xml == 'A' || ac->touch[i].xml == 'M')
			rc = judge_cites(au, ac, reqs, &ac->touch[i]);
	return rc;
}

/* --- a wording's owner, for its list --- */

const char *pki_audit_ir_owner(struct pki_auditor *au, const char *commit, const char *product)
{
	const struct pki_requirements *reqs;
	char id[41];
	size_t i;

	if (pki_audit_table_id(au, commit, PKI_REQUIREMENTS_FILE, id) < 0 || id[0] == '\0' ||
	    (reqs = pki_audit_requirements(au, id, commit)) == NULL)
		return NULL;
	for (i = 0; i < reqs->n; i++)
		if (strcmp(reqs->v[i].product, product) == 0)
			return reqs->v[i].owner;
	return NULL;
}

/* --- overdue reviews at the tip (A705) --- */

int pki_audit_requirements_due(struct pki_auditor *au)
{
	const struct pki_requirements *reqs;
	char id[41], due[PKI_DATE_LEN];
	size_t i;
	int rc;

	if ((rc = pki_audit_table_id(au, au->tip, PKI_REQUIREMENTS_FILE, id)) < 0 || id[0] == '\0')
		return rc;
	if ((reqs = pki_audit_requirements(au, id, au->tip)) == NULL)
		return 0;
	for (i = 0; i < reqs->n && rc == 0; i++) {
		if (!pki_ir_due(&reqs->v[i], au->a->at))
			continue;
		pki_date_format(reqs->v[i].review_due, due);
		rc = pki_audit_add(au->a, PKI_A_REQUIREMENT_REVIEW, reqs->v[i].ir,
				   "open %s of '%s' was due for review on %s: requirements are "
				   "reviewed at least annually (policy 12.9)",
				   pki_ir_kind_name(reqs->v[i].kind), reqs->v[i].owner, due);
	}
	return rc;
}
