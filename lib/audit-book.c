/* audit-book.c: the tables a commit leaves, against the rule book
 * (policy 9.8, 11.5.1, 12.10).
 *
 * pki-matrix refuses a change that loses the last valid hom or chair, a
 * role that does not fit its type, a delegation to someone outside the
 * mission or without a written instrument.  A table edited with stock git
 * meets the same rules of lib/policy.c here: each commit that changes
 * access-matrix.csv or delegations.csv is judged on the tables after it,
 * at its time -- the keeper rule against each parent's matrix (A114),
 * every principal whose role, type, clearance or areas it sets (A115),
 * every delegation it adds or edits (A116), every arrangement it removes
 * (A117), adds or edits (A118).  Rows it leaves as its
 * parents had them are history, judged by the commit that wrote them.
 */
#include <stdlib.h>
#include <string.h>

#include "audit-int.h"
#include "error.h"
#include "policy.h"

/* The matrix at a commit: an absent one is empty; NULL (A108 said why)
 * when it does not parse. */
static int matrix_at(struct pki_auditor *au, const char *commit, const char *where,
		     const struct pki_matrix **out)
{
	static const struct pki_matrix empty;
	char id[41];
	int rc;

	*out = NULL;
	if ((rc = pki_audit_table_id(au, commit, PKI_MATRIX_FILE, id)) < 0)
		return rc;
	*out = id[0] != '\0' ? pki_audit_matrix(au, id, where) : &empty;
	return 0;
}

/* The same for the delegations (pki_audit_delegations: absent, none). */
static int delegations_at(struct pki_auditor *au, const char *commit, const char *where,
			  const struct pki_delegations **out)
{
	char id[41];
	int rc;

	*out = NULL;
	if ((rc = pki_audit_table_id(au, commit, PKI_DELEGATIONS_FILE, id)) < 0)
		return rc;
	*out = pki_audit_delegations(au, id, where);
	return 0;
}

/* --- the access matrix --- */

static bool same_role(const struct pki_principal *a, const struct pki_principal *b)
{
	return a->type == b->type && a->role == b->role && a->clearance == b->clearance &&
	       strcmp(a->areas, b->areas) == 0;
}

/* A row as some parent had it is no new row. */
static bool inherited(const struct pki_principal *p, const struct pki_matrix *const *parents,
		      size_t n)
{
	const struct pki_principal *q;
	size_t i;

	for (i = 0; i < n; i++)
		if ((q = pki_matrix_find(parents[i], p->name)) != NULL && same_role(p, q))
			return true;
	return false;
}

static int judge_matrix(struct pki_auditor *au, const struct pki_acommit *ac)
{
	const struct pki_matrix *after, **parents;
	const char *id = ac->c.id;
	size_t i, n = 0;
	int rc;

	if ((rc = matrix_at(au, id, id, &after)) < 0 || after == NULL)
		return rc;	/* A108 */
	if ((parents = calloc(ac->c.nparents + 1, sizeof(*parents))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "history");
	/* A parent's matrix that does not parse: A108, where it was written. */
	for (i = 0; i < ac->c.nparents && rc == 0; i++)
		if ((rc = matrix_at(au, ac->c.parents[i], id, &parents[n])) == 0 && parents[n] != NULL)
			n++;
	for (i = 0; i < n && rc == 0; i++)
		if (pki_policy_keepers(parents[i], after, ac->c.when) < 0) {
			rc = pki_audit_add(au->a, PKI_A_KEEPER, id, "changes the access matrix: %s",
					   pki_error_last());
			break;
		}
	for (i = 0; i < after->n && rc == 0; i++) {
		const struct pki_principal *p = &after->v[i];

		if (!inherited(p, parents, n) && pki_policy_role_fits(p) < 0)
			rc = pki_audit_add(au->a, PKI_A_ROLE_TYPE, id, "sets principal '%s' in the "
					   "access matrix: %s", p->name, pki_error_last());
	}
	free(parents);
	return rc;
}

/* --- the delegations --- */

/* A delegation as some parent had it is no new grant; nor is one a
 * parent had that the commit withdraws (pki_policy_is_withdrawal). */
static bool granted_before(const struct pki_delegation *x,
			   const struct pki_delegations *const *parents, size_t n, time_t at)
{
	const struct pki_delegation *y;
	size_t i;

	for (i = 0; i < n; i++)
		if ((y = pki_delegations_find(parents[i], x->id)) != NULL &&
		    (pki_delegation_same(x, y) || pki_policy_is_withdrawal(y, x, at)))
			return true;
	return false;
}

static int judge_delegations(struct pki_auditor *au, const struct pki_acommit *ac)
{
	const struct pki_delegations *d, **parents;
	const struct pki_matrix *m;
	const char *id = ac->c.id;
	size_t i, n = 0;
	int rc;

	if ((rc = delegations_at(au, id, id, &d)) < 0 || d == NULL ||
	    (rc = matrix_at(au, id, id, &m)) < 0 || m == NULL)
		return rc;	/* A108 */
	if ((parents = calloc(ac->c.nparents + 1, sizeof(*parents))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "history");
	for (i = 0; i < ac->c.nparents && rc == 0; i++)
		if ((rc = delegations_at(au, ac->c.parents[i], id, &parents[n])) == 0 &&
		    parents[n] != NULL)
			n++;
	for (i = 0; i < d->n && rc == 0; i++) {
		const struct pki_delegation *x = &d->v[i];

		if (!granted_before(x, parents, n, ac->c.when) && pki_policy_delegation_ok(x, m, ac->c.when) < 0)
			rc = pki_audit_add(au->a, PKI_A_DELEGATION_INVALID, id, "records delegation "
					   "%s: %s", x->id, pki_error_last());
	}
	free(parents);
	return rc;
}

/* --- the arrangements --- */

/* The register at a commit: *out NULL when there is none; *bad when it
 * does not parse (A108 said why). */
static int arrangements_at(struct pki_auditor *au, const char *commit, const char *where,
			   const struct pki_arrangements **out, bool *bad)
{
	char id[41];
	int rc;

	*out = NULL;
	*bad = false;
	if ((rc = pki_audit_table_id(au, commit, PKI_ARRANGEMENTS_FILE, id)) < 0)
		return rc;
	*out = pki_audit_arrangements(au, id, where);
	*bad = id[0] != '\0' && *out == NULL;
	return 0;
}

/* A row of the register is ended, never removed or rewritten (A117, A118);
 * a new one names a partner the matrix knows (A118). */
static int judge_arrangements(struct pki_auditor *au, const struct pki_acommit *ac)
{
	static const struct pki_arrangements none;
	const struct pki_arrangements *after, *before;
	const struct pki_arrangement *x, *y;
	const struct pki_matrix *m;
	const char *id = ac->c.id;
	size_t i, k;
	bool bad, known;
	int rc;

	if ((rc = arrangements_at(au, id, id, &after, &bad)) < 0 || bad ||
	    (rc = matrix_at(au, id, id, &m)) < 0 || m == NULL)
		return rc;	/* A108 */
	if (after == NULL)
		after = &none;
	for (k = 0; k < ac->c.nparents && rc == 0; k++) {
		if ((rc = arrangements_at(au, ac->c.parents[k], id, &before, &bad)) < 0)
			return rc;
		for (i = 0; before != NULL && i < before->n && rc == 0; i++)
			if (pki_arrangements_find(after, before->v[i].id) == NULL)
				rc = pki_audit_add(au->a, PKI_A_ARRANGEMENT_REMOVED, id, "removes "
						   "arrangement %s (%s with '%s'): a recorded arrangement "
						   "is ended, never removed (policy 11.4.3, 12.10)",
						   before->v[i].id,
						   pki_arrangement_kind_name(before->v[i].kind),
						   before->v[i].partner);
	}
	for (i = 0; i < after->n && rc == 0; i++) {
		x = &after->v[i];
		for (k = 0, known = false, y = NULL; k < ac->c.nparents && rc == 0 && !known; k++) {
			if ((rc = arrangements_at(au, ac->c.parents[k], id, &before, &bad)) < 0)
				return rc;
			if (before != NULL && (y = pki_arrangements_find(before, x->id)) != NULL)
				known = pki_arrangement_same(x, y) ||
					pki_policy_arrangement_edit(y, x) == 0;
		}
		if (known)
			continue;
		if (y != NULL)
			(void)pki_policy_arrangement_edit(y, x);
		if (y != NULL || pki_policy_arrangement_ok(x, m) < 0)
			rc = pki_audit_add(au->a, PKI_A_ARRANGEMENT_INVALID, id, "records "
					   "arrangement %s: %s", x->id, pki_error_last());
	}
	return rc;
}

int pki_audit_table_rules(struct pki_auditor *au, struct pki_acommit *ac)
{
	int rc;

	if ((ac->changes & PKI_CH_MATRIX) && (rc = judge_matrix(au, ac)) < 0)
		return rc;
	if ((ac->changes & PKI_CH_ARRANGEMENTS) && (rc = judge_arrangements(au, ac)) < 0)
		return rc;
	if (ac->changes & PKI_CH_DELEGATIONS)
		return judge_delegations(au, ac);
	return 0;
}
