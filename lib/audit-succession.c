/* audit-succession.c: the rows of a succession in function (pki-matrix
 * succeed; policy 19, 12.10).
 *
 * A share or revoke row with authority "successor" hands a predecessor's
 * distribution lists to its successor.  It stands only beside the
 * successor delegation that names them both, recorded in the same
 * commit, by a hom or chair (A504).  Acts of the successor afterwards
 * record authority "originator" and are judged by audit-rules.c like
 * any other: lib/policy.c lets a successor stand for the originator.
 */
#include <stdio.h>
#include <string.h>

#include "audit-int.h"
#include "error.h"
#include "policy.h"

/* The successor delegation commit ac adds with `name` as grantee (for a
 * share) or grantor (for a revoke); NULL when it adds none. */
static const struct pki_delegation *added(struct pki_auditor *au, const struct pki_acommit *ac,
					  const struct pki_ajudge *jc, enum pki_action action,
					  const char *name)
{
	const struct pki_delegations *after;
	const struct pki_delegation *x, *y;
	size_t i;

	if (ac->deleg_new_id[0] == '\0' ||
	    (after = pki_audit_delegations(au, ac->deleg_new_id, ac->c.id)) == NULL)
		return NULL;
	for (i = 0; i < after->n; i++) {
		x = &after->v[i];
		if (x->power != PKI_POWER_SUCCESSOR ||
		    strcmp(action == PKI_ACTION_SHARE ? x->grantee : x->grantor, name) != 0)
			continue;
		y = jc->d != NULL ? pki_delegations_find(jc->d, x->id) : NULL;
		if (y == NULL || !pki_delegation_same(x, y))
			return x;
	}
	return NULL;
}

int pki_audit_succession(struct pki_auditor *au, const struct pki_acommit *ac,
			 const struct pki_ajudge *jc, const struct pki_principal *actor,
			 const struct pki_arow *r, enum pki_action action)
{
	const char *name = r->f[PKI_COL_RECIPIENT];
	const struct pki_delegation *x;
	enum pki_level level;
	char object[64], merge[64];

	if (pki_level_parse(r->f[PKI_COL_LEVEL], &level) < 0)
		return 0;	/* A206 says why */
	pki_error_clear();
	x = added(au, ac, jc, action, name);
	if (pki_policy_succession_row(actor, action, name, pki_matrix_find(jc->m, name), level,
				      x, jc->at) == 0)
		return 0;
	snprintf(object, sizeof(object), "%s:%zu", r->shard, r->line);
	return pki_audit_add(au->a, PKI_A_SUCCESSOR, object, "%s of %s to '%s' by '%s' in commit "
			     "%s records authority successor: %s%s", r->f[PKI_COL_ACTION],
			     r->f[PKI_COL_PRODUCT], name, actor->name, ac->c.id, pki_error_last(),
			     pki_audit_at_merge(jc, merge));
}
