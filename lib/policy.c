/* policy.c: the rules of the tools (pki(7), pki-files(5)), as pure functions:
 * who keeps the access matrix and the delegations, withdrawals, new keys,
 * succession in function.  policy-share.c has dissemination and what a
 * principal may hold; policy-classify.c a product's filing,
 * classification, transfer and label.
 *
 * Every refusal names the rule and the paragraph of the DPO Policy on
 * Peacekeeping-Intelligence (2019) it comes from.  Nothing here reads a
 * file or the clock: callers pass the time an action is judged at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "policy-int.h"
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

/* Is there a principal of role, valid at `at`? */
bool pki_policy_has_valid(const struct pki_matrix *m, enum pki_role role, time_t at)
{
	size_t i;

	for (i = 0; m != NULL && i < m->n; i++)
		if (m->v[i].role == role && pki_principal_valid(&m->v[i], at))
			return true;
	return false;
}

int pki_policy_keepers(const struct pki_matrix *before, const struct pki_matrix *after,
		       time_t at)
{
	static const struct { enum pki_role role; const char *title; } keepers[] = {
		{ PKI_ROLE_HOM, "Head of Mission" },
		{ PKI_ROLE_CHAIR, "Chair" },
	};
	size_t i;

	for (i = 0; i < sizeof(keepers) / sizeof(keepers[0]); i++)
		if (pki_policy_has_valid(before, keepers[i].role, at) &&
		    !pki_policy_has_valid(after, keepers[i].role, at))
			return pki_error(PKI_EPOLICY, "the access matrix must keep a valid %s: "
					 "add the next one first (policy 12.10)", keepers[i].title);
	return 0;
}

int pki_policy_role_fits(const struct pki_principal *p)
{
	bool inside = p->type == PKI_TYPE_MISSION;

	switch (p->role) {
	case PKI_ROLE_HOM:
	case PKI_ROLE_CHAIR:
	case PKI_ROLE_MEMBER:
	case PKI_ROLE_UNDSS:
		if (!inside)
			return pki_error(PKI_EUSAGE, "a %s principal's type is mission (policy 21)",
					 pki_role_name(p->role));
		break;
	case PKI_ROLE_EXTERNAL:
		if (inside)
			return pki_error(PKI_EUSAGE, "an external principal's type is un, non-un or "
					 "security-force (policy 11.4)");
		break;
	case PKI_ROLE_ARCHIVES:
		if (p->type != PKI_TYPE_UN)
			return pki_error(PKI_EUSAGE, "an archives principal is the UN Archives, a UN "
					 "entity outside the mission: its type is un (policy 11.5.1)");
		if (p->clearance != PKI_LEVEL_STRICTLY_CONFIDENTIAL)
			return pki_error(PKI_EUSAGE, "an archives principal receives every product on "
					 "transfer: its clearance is strictly-confidential (policy 11.5.1)");
		if (strcmp(p->areas, "*") != 0)
			return pki_error(PKI_EUSAGE, "an archives principal receives every product on "
					 "transfer: its areas are '*' (policy 11.5.1)");
		break;
	case PKI_ROLE_AUDITOR:
		break;
	}
	return 0;
}

int pki_policy_author(const struct pki_principal *signer, const char *author_email,
		      char *const *emails, size_t nemails)
{
	size_t i;

	for (i = 0; i < nemails; i++)
		if (strcasecmp(author_email, emails[i]) == 0)
			return 0;
	if (nemails == 0)
		return pki_error(PKI_EPOLICY, "the key of '%s' has no user ID 'Name <address>' to "
				 "author a change in: changes are made in the signer's name "
				 "(policy 12.10)", signer->name);
	return pki_error(PKI_EPOLICY, "'%s' is no address of the key of '%s', who signed: "
			 "changes are made in the signer's name (policy 12.10)", author_email,
			 signer->name);
}

int pki_policy_may_delegate(const struct pki_principal *actor, enum pki_power power)
{
	if (power == PKI_POWER_SUCCESSOR)
		return pki_error(PKI_EPOLICY, "a successor in function is named by the Head of "
				 "Mission or the Chair with pki-matrix succeed, which hands over "
				 "the distribution lists with it, not delegated (policy 19, 12.10)");
	if (power == PKI_POWER_SHARE_EXTERNAL) {
		if (actor->role == PKI_ROLE_HOM)
			return 0;
		return pki_error(PKI_EPOLICY, "'%s' is %s: only the Head of Mission delegates "
				 "authority to share outside the mission (policy 11.4.1)",
				 actor->name, pki_role_name(actor->role));
	}
	if (power == PKI_POWER_DIRECT) {
		if (actor->role == PKI_ROLE_HOM)
			return 0;
		return pki_error(PKI_EPOLICY, "'%s' is %s: only the Head of Mission delegates "
				 "the setting of intelligence requirements (policy 10.2, 12.9)",
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

bool pki_policy_scope_covers(const char *scope, const struct pki_product *p)
{
	if (strcmp(scope, "*") == 0)
		return true;
	if (p == NULL)
		return false;
	if (strcmp(scope, p->id) == 0)
		return true;
	return p->areas != NULL && pki_areas_meet(scope, p->areas);
}

/* share-external and direct come from a hom (policy 11.4.1, 10.2); the
 * other powers from an originator, who may be anyone inside the mission. */
bool pki_policy_granted_by_role(const struct pki_matrix *m, const struct pki_delegation *x)
{
	const struct pki_principal *g;

	if (x->power != PKI_POWER_SHARE_EXTERNAL && x->power != PKI_POWER_DIRECT)
		return true;
	g = pki_matrix_find(m, x->grantor);
	return g != NULL && g->role == PKI_ROLE_HOM;
}

const struct pki_delegation *pki_policy_delegation(const struct pki_delegations *d,
	const struct pki_matrix *m, const char *id, const char *grantor,
	const char *grantee, enum pki_power power, const struct pki_product *p, time_t at)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct pki_delegation *x = &d->v[i];

		if (id != NULL && strcmp(x->id, id) != 0)
			continue;
		if (x->power != power || strcmp(x->grantee, grantee) != 0)
			continue;
		/* An originator's successor in function delegates as it would (19). */
		if (grantor != NULL ? !pki_policy_stands_for(d, grantor, x->grantor, at) :
		    !pki_policy_granted_by_role(m, x))
			continue;
		if (!pki_delegation_valid(x, at) || !pki_policy_scope_covers(x->scope, p))
			continue;
		return x;
	}
	return NULL;
}

int pki_policy_delegation_ok(const struct pki_delegation *x, const struct pki_matrix *m,
			     time_t at)
{
	const struct pki_principal *grantor = pki_matrix_find(m, x->grantor);
	const struct pki_principal *grantee = pki_matrix_find(m, x->grantee);
	int rc;

	if (x->power == PKI_POWER_SUCCESSOR) {
		/* The predecessor has usually left: it need only have been one. */
		if (grantor == NULL)
			return pki_error(PKI_EPOLICY, "delegation '%s' names '%s' as predecessor, who "
					 "is no principal of the access matrix (policy 19)", x->id,
					 x->grantor);
		if (strcmp(x->scope, "*") != 0)
			return pki_error(PKI_EPOLICY, "delegation '%s': a successor in function takes "
					 "over everything, its scope is '*' (policy 19)", x->id);
		if (strcmp(x->grantor, x->grantee) == 0)
			return pki_error(PKI_EPOLICY, "delegation '%s': '%s' cannot succeed itself "
					 "(policy 19)", x->id, x->grantee);
	} else if (grantor == NULL || !pki_principal_valid(grantor, at)) {
		return pki_error(PKI_EPOLICY, "delegation '%s' is granted by '%s', who is not a "
				 "valid principal of the access matrix (policy 9.8)", x->id,
				 x->grantor);
	} else if ((rc = pki_policy_may_delegate(grantor, x->power)) < 0) {
		return rc;
	}
	if (grantee == NULL || !pki_principal_valid(grantee, at))
		return pki_error(PKI_EPOLICY, "'%s' is not a valid principal of the access matrix "
				 "(policy 9.8)", x->grantee);
	if (grantee->type != PKI_TYPE_MISSION)
		return pki_error(PKI_EPOLICY, "'%s' is outside the mission: authority is delegated "
				 "within it (policy 9.8)", x->grantee);
	if (x->reference == NULL || x->reference[0] == '\0')
		return pki_error(PKI_EPOLICY, "delegation '%s' names no written instrument "
				 "(policy 9.8)", x->id);
	if (pki_check_scope("scope", x->scope) < 0)
		return pki_error_wrap(PKI_EPOLICY, "delegation '%s' (policy 9.8)", x->id);
	return 0;
}

/* --- withdrawing a delegation, rekeying a principal --- */

#define DAY_SECONDS (24 * 60 * 60)

bool pki_policy_is_withdrawal(const struct pki_delegation *old, const struct pki_delegation *nw,
			      time_t at)
{
	time_t day = at - at % DAY_SECONDS;

	return strcmp(old->grantor, nw->grantor) == 0 && strcmp(old->grantee, nw->grantee) == 0 &&
	       old->power == nw->power && strcmp(old->scope, nw->scope) == 0 &&
	       old->from == nw->from && strcmp(old->reference, nw->reference) == 0 &&
	       nw->until != 0 && (old->until == 0 || nw->until < old->until) &&
	       nw->until >= day && nw->until <= day + DAY_SECONDS;
}

int pki_policy_may_withdraw(const struct pki_principal *actor, const struct pki_delegation *old,
			    const struct pki_delegation *nw, time_t at)
{
	if (actor->role == PKI_ROLE_HOM || actor->role == PKI_ROLE_CHAIR)
		return 0;
	if (strcmp(actor->name, old->grantor) != 0)
		return pki_error(PKI_EPOLICY, "'%s' is %s and did not grant delegation %s: only its "
				 "grantor, the Head of Mission and the Chair withdraw it (policy "
				 "9.8, 11.4.1)", actor->name, pki_role_name(actor->role), old->id);
	if (!pki_policy_is_withdrawal(old, nw, at))
		return pki_error(PKI_EPOLICY, "'%s' granted delegation %s, and may only withdraw "
				 "it, ending it today; any other edit is for the Head of Mission "
				 "and the Chair (policy 9.8, 12.10)", actor->name, old->id);
	return 0;
}

const char *pki_policy_rekeyed(const struct pki_matrix *before, const struct pki_matrix *after)
{
	const struct pki_principal *p, *q;
	const char *name = NULL;
	size_t i;

	for (i = 0; i < after->n; i++) {
		p = &after->v[i];
		if ((q = pki_matrix_find(before, p->name)) == NULL || strcmp(p->fpr, q->fpr) == 0)
			continue;
		if (name != NULL)
			return NULL;
		name = p->name;
	}
	return name;
}

int pki_policy_rekey_rewrite(const char *rekeyed, const struct pki_names *list,
			     unsigned changed)
{
	if (rekeyed == NULL)
		return pki_error(PKI_EPOLICY, "no registry row records the change, and the commit "
				 "rekeys no principal (policy 11.3.3)");
	if (!pki_names_has(list, rekeyed))
		return pki_error(PKI_EPOLICY, "no registry row records the change, and '%s', whose "
				 "key the commit replaces, is not on its list (policy 11.3.3)",
				 rekeyed);
	if ((changed & ~(unsigned)PKI_LF_BINDING) != 0)
		return pki_error(PKI_EPOLICY, "no registry row records the change, and a rekey of "
				 "'%s' rewrites only the ciphertext and the label's binding "
				 "(policy 11.3.3)", rekeyed);
	return 0;
}

/* --- succession in function (pki-matrix succeed) --- */

bool pki_policy_stands_for(const struct pki_delegations *d, const char *originator,
			   const char *who, time_t at)
{
	struct pki_names reached = { 0 };
	bool found = false, grew = true;
	size_t i;

	if (strcmp(originator, who) == 0)
		return true;
	if (d == NULL || pki_names_add(&reached, originator) < 0) {
		pki_error_clear();
		return false;
	}
	/* Each round adds every successor of one reached; at most d->n rounds. */
	while (grew && !found) {
		grew = false;
		for (i = 0; i < d->n && !found; i++) {
			const struct pki_delegation *x = &d->v[i];

			if (x->power != PKI_POWER_SUCCESSOR || !pki_delegation_valid(x, at) ||
			    !pki_names_has(&reached, x->grantor) ||
			    pki_names_has(&reached, x->grantee))
				continue;
			if (pki_names_add(&reached, x->grantee) < 0) {
				pki_error_clear();
				break;
			}
			grew = true;
			found = strcmp(x->grantee, who) == 0;
		}
	}
	pki_names_release(&reached);
	return found;
}

int pki_policy_may_succeed(const struct pki_principal *actor, const char *new_name,
			   const struct pki_principal *nw, time_t at)
{
	char when[PKI_TIME_LEN];
	int rc;

	if ((rc = pki_policy_may_change_matrix(actor)) < 0)
		return rc;
	if (nw == NULL)
		return pki_error(PKI_EPOLICY, "'%s' is not a principal of the access matrix: a "
				 "successor is added first (policy 19, 12.10)", new_name);
	if (!pki_principal_valid(nw, at)) {
		pki_time_format(at, when);
		return pki_error(PKI_EPOLICY, "'%s' is not a valid principal at %s: a successor "
				 "takes up its function now (policy 19, 12.10)", nw->name, when);
	}
	if (nw->type != PKI_TYPE_MISSION)
		return pki_error(PKI_EPOLICY, "'%s' is outside the mission: a successor in "
				 "function is of the mission (policy 19, 9.8)", nw->name);
	return 0;
}

int pki_policy_succession_clearance(const struct pki_principal *nw, size_t above)
{
	if (above == 0)
		return 0;
	return pki_error(PKI_EPOLICY, "%zu product%s above the clearance of '%s' (%s): a "
			 "successor is cleared for everything it inherits (policy 9.8, 19)",
			 above, above == 1 ? " is" : "s are", nw->name,
			 pki_level_name(nw->clearance));
}

int pki_policy_succession_row(const struct pki_principal *actor, enum pki_action action,
			      const char *recipient, const struct pki_principal *r,
			      enum pki_level level, const struct pki_delegation *x, time_t at)
{
	if (action != PKI_ACTION_SHARE && action != PKI_ACTION_REVOKE)
		return pki_error(PKI_EPOLICY, "authority successor records only the shares and "
				 "revokes of a succession (policy 19)");
	if (pki_policy_may_change_matrix(actor) < 0)
		return pki_error_wrap(PKI_EPOLICY, "a succession is made by the Head of Mission "
				      "or the Chair");
	if (x == NULL)
		return pki_error(PKI_EPOLICY, "the commit records no successor delegation %s "
				 "'%s' (policy 19)", action == PKI_ACTION_SHARE ? "to" : "from",
				 recipient);
	if (action == PKI_ACTION_SHARE && (r == NULL || !pki_principal_valid(r, at)))
		return pki_error(PKI_EPOLICY, "'%s' is not a valid principal: a successor takes up "
				 "its function now (policy 19, 12.10)", recipient);
	if (action == PKI_ACTION_SHARE && r->clearance < level)
		return pki_error(PKI_EPOLICY, "'%s' is cleared to %s, the product is %s "
				 "(policy 9.8, 19)", recipient, pki_level_name(r->clearance),
				 pki_level_name(level));
	return 0;
}
