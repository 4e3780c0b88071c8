/* policy.c: the rules of SPEC.md §5, as pure functions.
 *
 * Every refusal names the rule and the paragraph of the DPO Policy on
 * Peacekeeping-Intelligence (2019) it comes from.  Nothing here reads a
 * file or the clock: callers pass the time an action is judged at.
 */
#include <string.h>

#include "error.h"
#include "policy.h"

/* --- the access matrix --- */

int pki_policy_may_change_matrix(const struct pki_principal *actor)
{
	if (actor->role == PKI_ROLE_HOM || actor->role == PKI_ROLE_CHAIR)
		return 0;
	return pki_error(PKI_EPOLICY, "'%s' is %s: only the Head of Mission and the Chair "
			 "keep the access matrix (policy 12.10)", actor->name,
			 pki_role_name(actor->role));
}

int pki_policy_may_delegate(const struct pki_principal *actor, enum pki_power power)
{
	if (power == PKI_POWER_SHARE_EXTERNAL) {
		if (actor->role == PKI_ROLE_HOM)
			return 0;
		return pki_error(PKI_EPOLICY, "'%s' is %s: only the Head of Mission delegates "
				 "authority to share outside the mission (policy 11.4.1)",
				 actor->name, pki_role_name(actor->role));
	}
	/* disseminate, declassify: an originator's own power (policy 9.8). */
	if (actor->type == PKI_TYPE_MISSION &&
	    (actor->role == PKI_ROLE_HOM || actor->role == PKI_ROLE_CHAIR ||
	     actor->role == PKI_ROLE_MEMBER || actor->role == PKI_ROLE_UNDSS))
		return 0;
	return pki_error(PKI_EPOLICY, "'%s' is %s: only an originator inside the mission "
			 "delegates '%s' (policy 9.8)", actor->name,
			 pki_role_name(actor->role), pki_power_name(power));
}

static bool scope_covers(const char *scope, const struct pki_product *p)
{
	if (strcmp(scope, "*") == 0)
		return true;
	if (p == NULL)
		return false;
	if (strcmp(scope, p->id) == 0)
		return true;
	return p->areas != NULL && pki_areas_meet(scope, p->areas);
}

const struct pki_delegation *pki_policy_delegation(const struct pki_delegations *d,
	const struct pki_matrix *m, const char *id, const char *grantor,
	const char *grantee, enum pki_power power, const struct pki_product *p, time_t at)
{
	size_t i;

	(void)m;
	for (i = 0; i < d->n; i++) {
		const struct pki_delegation *x = &d->v[i];

		if (id != NULL && strcmp(x->id, id) != 0)
			continue;
		if (x->power != power || strcmp(x->grantee, grantee) != 0)
			continue;
		if (grantor != NULL && strcmp(x->grantor, grantor) != 0)
			continue;
		if (!pki_delegation_valid(x, at) || !scope_covers(x->scope, p))
			continue;
		return x;
	}
	return NULL;
}
