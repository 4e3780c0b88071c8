/* policy-ir.c: who directs the collection of intelligence, and who reads
 * a requirement's wording (pki-ir(1); policy 10.2, 12.9). */
#include <string.h>

#include "error.h"
#include "policy-int.h"
#include "policy.h"

int pki_policy_may_direct(const struct pki_delegations *d, const struct pki_matrix *m,
			  const struct pki_principal *actor, time_t at, const char **granted)
{
	const struct pki_delegation *x;

	*granted = NULL;
	if (actor->type == PKI_TYPE_MISSION && actor->role == PKI_ROLE_HOM)
		*granted = "hom";
	else if (actor->type == PKI_TYPE_MISSION && actor->role == PKI_ROLE_CHAIR)
		*granted = "chair";
	else if (d != NULL && actor->type == PKI_TYPE_MISSION &&
		 (x = pki_policy_delegation(d, m, NULL, NULL, actor->name, PKI_POWER_DIRECT,
					    NULL, at)) != NULL)
		*granted = x->id;
	if (*granted != NULL)
		return 0;
	return pki_error(PKI_EPOLICY, "'%s' is %s: intelligence requirements are set and "
			 "reviewed by the Head of Mission, the Chair of the Coordination "
			 "Mechanism, or the holder of a direct delegation from the Head of "
			 "Mission (policy 10.2, 12.9)", actor->name, pki_role_name(actor->role));
}

int pki_policy_ir_list(const struct pki_matrix *m, const char *originator, const char *owner,
		       enum pki_level level, time_t at, struct pki_names *out)
{
	const struct pki_principal *p = pki_matrix_find(m, owner);
	size_t i;
	int rc;

	if (p == NULL || !pki_principal_valid(p, at))
		return pki_error(PKI_EPOLICY, "owner '%s' is not a valid principal of the access "
				 "matrix (policy 10.2)", owner);
	if (p->type != PKI_TYPE_MISSION)
		return pki_error(PKI_EPOLICY, "owner '%s' is outside the mission: requirements "
				 "are answered inside it (policy 10.2)", owner);
	if (p->clearance < level)
		return pki_error(PKI_EPOLICY, "owner '%s' is cleared to %s, the wording is %s "
				 "(policy 9.8)", owner, pki_level_name(p->clearance),
				 pki_level_name(level));
	for (i = 0; i < m->n; i++) {
		p = &m->v[i];
		if (!pki_principal_valid(p, at) || p->clearance < level)
			continue;
		if (strcmp(p->name, originator) != 0 && strcmp(p->name, owner) != 0 &&
		    p->role != PKI_ROLE_HOM && p->role != PKI_ROLE_CHAIR &&
		    p->role != PKI_ROLE_ARCHIVES)
			continue;
		if ((rc = pki_names_add(out, p->name)) < 0)
			return rc;
	}
	return 0;
}
