/* policy-share.c: the rules of dissemination, as pure functions: who may
 * give whom a product, inside the mission and outside it, who may take a
 * recipient off a list, and what a principal may go on holding when what
 * it may receive is narrowed.  policy.c has the matrix and the
 * delegations; policy-classify.c a product's filing and label.
 *
 * Every refusal names the rule and the paragraph of the DPO Policy on
 * Peacekeeping-Intelligence (2019) it comes from.  Nothing here reads a
 * file or the clock: callers pass the time an action is judged at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "policy-int.h"
#include "policy.h"

/* --- disseminating (pki-share(1)) --- */

static bool given(const char *s)
{
	return s != NULL && *s != '\0';
}

bool pki_policy_outside(const struct pki_principal *p)
{
	return p->type != PKI_TYPE_MISSION;
}

int pki_policy_channel(const struct pki_principal *recipient, bool export)
{
	if (!export && pki_policy_outside(recipient))
		return pki_error(PKI_EPOLICY, "'%s' is outside the mission: a copy leaves it by "
				 "export, with its own label (policy 11.4.3)", recipient->name);
	if (export && !pki_policy_outside(recipient))
		return pki_error(PKI_EPOLICY, "'%s' is inside the mission: products reach it by "
				 "share, on the distribution list (policy 10.7)", recipient->name);
	return 0;
}

/* 5.3.1: a valid principal with a key, cleared to the product's level. */
static int check_recipient(const struct pki_share_ctx *c)
{
	const struct pki_principal *r = c->recipient;
	char when[PKI_TIME_LEN];

	if (r == NULL)
		return pki_error(PKI_EPOLICY, "'%s' is not a principal of the access matrix "
				 "(policy 11.3.3)", c->recipient_name);
	if (!pki_principal_valid(r, c->at)) {
		pki_time_format(c->at, when);
		return pki_error(PKI_EPOLICY, "'%s' is not a valid principal at %s "
				 "(policy 11.3.3)", r->name, when);
	}
	if (!c->recipient_key && !given(c->medium) && r->fpr[0] == '\0')
		return pki_error(PKI_EPOLICY, "'%s' has no key: it receives only on paper, orally "
				 "or on a display (--medium, policy 9.8, 24)", r->name);
	if (!c->recipient_key && !given(c->medium))
		return pki_error(PKI_EPOLICY, "'%s' has no key in the repository (policy 9.8)",
				 r->name);
	if (r->clearance < c->product->level)
		return pki_error(PKI_EPOLICY, "'%s' is cleared to %s, the product is %s "
				 "(policy 9.8)", r->name, pki_level_name(r->clearance),
				 pki_level_name(c->product->level));
	return 0;
}

/* The window of a delegation that is not valid at `at`. */
static int delegation_window(const struct pki_delegation *x, time_t at, const char *para)
{
	char when[PKI_TIME_LEN];

	if (x->until != 0 && at >= x->until) {
		pki_time_format(x->until, when);
		return pki_error(PKI_EPOLICY, "delegation '%s' expired at %s (policy %s)",
				 x->id, when, para);
	}
	pki_time_format(x->from, when);
	return pki_error(PKI_EPOLICY, "delegation '%s' is valid only from %s (policy %s)",
			 x->id, when, para);
}

/*
 * The delegation the actor invoked (--authority) must hold; each way it
 * can fail is said plainly.  grantor: whom it must come from, NULL for a
 * hom (share-external).
 */
static int check_invoked(const struct pki_delegation **out, const struct pki_share_ctx *c,
			 enum pki_power power, const char *grantor, const char *para)
{
	const struct pki_delegation *x = pki_delegations_find(c->delegations, c->authority);

	if (x == NULL)
		return pki_error(PKI_EPOLICY, "no delegation '%s' (policy %s)", c->authority, para);
	if (strcmp(x->grantee, c->actor->name) != 0)
		return pki_error(PKI_EPOLICY, "delegation '%s' is granted to '%s', not to '%s' "
				 "(policy %s)", x->id, x->grantee, c->actor->name, para);
	if (x->power != power)
		return pki_error(PKI_EPOLICY, "delegation '%s' grants %s, not %s (policy %s)",
				 x->id, pki_power_name(x->power), pki_power_name(power), para);
	if (grantor != NULL && !pki_policy_stands_for(c->delegations, grantor, x->grantor, c->at))
		return pki_error(PKI_EPOLICY, "delegation '%s' was granted by '%s', not by the "
				 "originator '%s' (policy 9.8)", x->id, x->grantor, grantor);
	if (grantor == NULL && !pki_policy_granted_by_role(c->matrix, x))
		return pki_error(PKI_EPOLICY, "delegation '%s' was granted by '%s', who is not "
				 "the Head of Mission (policy 11.4.1)", x->id, x->grantor);
	if (!pki_delegation_valid(x, c->at))
		return delegation_window(x, c->at, para);
	if (!pki_policy_scope_covers(x->scope, c->product))
		return pki_error(PKI_EPOLICY, "delegation '%s' covers '%s', not '%s' (policy %s)",
				 x->id, x->scope, c->product->id, para);
	*out = x;
	return 0;
}

/* 5.3.2 and 5.3.3: who the actor is for this product, or what it holds. */
static int share_authority(const char **out, const struct pki_share_ctx *c, bool outside)
{
	const struct pki_principal *a = c->actor;
	const struct pki_product *p = c->product;
	enum pki_power power = outside ? PKI_POWER_SHARE_EXTERNAL : PKI_POWER_DISSEMINATE;
	const char *grantor = outside ? NULL : p->originator;
	const struct pki_delegation *x = NULL;
	int rc;

	if (given(c->authority)) {
		if ((rc = check_invoked(&x, c, power, grantor, outside ? "11.4.1" : "9.8")) < 0)
			return rc;
	} else if (a->role == PKI_ROLE_HOM) {
		*out = "hom";
		return 0;
	} else if (!outside && pki_policy_stands_for(c->delegations, p->originator, a->name,
						     c->at)) {
		*out = "originator";
		return 0;
	} else {
		x = pki_policy_delegation(c->delegations, c->matrix, NULL, grantor, a->name,
					  power, p, c->at);
	}
	if (x != NULL) {
		*out = x->id;
		return 0;
	}
	if (outside)
		return pki_error(PKI_EPOLICY, "'%s' is %s: only the Head of Mission or the holder "
				 "of a share-external delegation from the Head of Mission shares "
				 "outside the mission (policy 11.4.1)", a->name, pki_role_name(a->role));
	return pki_error(PKI_EPOLICY, "'%s' is neither the originator of '%s' ('%s') nor the "
			 "Head of Mission, and holds no disseminate delegation from the "
			 "originator covering it (policy 9.8, 10.7)", a->name, p->id, p->originator);
}

/* Need to know; an unclassified product, or one without areas, is not
 * compartmented: the default is to share within the mission (11.2.1). */
static int check_need_to_know(const struct pki_share_ctx *c)
{
	const struct pki_product *p = c->product;
	const char *ra = c->recipient->areas;

	if (p->level == PKI_LEVEL_UNCLASSIFIED || !given(p->areas) || pki_areas_meet(ra, p->areas))
		return 0;
	return pki_error(PKI_EPOLICY, "'%s' has no need to know: its areas (%s) do not meet "
			 "the product's (%s) (policy 9.8)", c->recipient->name,
			 given(ra) ? ra : "none", p->areas);
}

/* 5.3.3: what sharing outside the mission must be accompanied by. */
static int check_references(const struct pki_share_ctx *c)
{
	const struct pki_principal *r = c->recipient;
	const struct pki_product *p = c->product;
	const char *what = r->type == PKI_TYPE_SECURITY_FORCE ? "a non-UN security force" :
			   "a non-UN entity";

	if (!given(c->justification))
		return pki_error(PKI_EPOLICY, "sharing '%s' with '%s' outside the mission needs "
				 "a justification in terms of the mandate (-j, policy 11.4.3)",
				 p->id, r->name);
	if (r->type == PKI_TYPE_SECURITY_FORCE && !given(c->hrddp))
		return pki_error(PKI_EPOLICY, "'%s' is %s: an HRDDP risk assessment is required "
				 "(--hrddp, policy 11.4.4)", r->name, what);
	if (r->type != PKI_TYPE_UN && !given(c->arrangement))
		return pki_error(PKI_EPOLICY, "'%s' is %s: a written originator-control "
				 "arrangement is required (--arrangement, policy 11.4.3)",
				 r->name, what);
	if (p->originator_control && !given(c->consent))
		return pki_error(PKI_EPOLICY, "'%s' is under originator control: its "
				 "originator's consent is required (--consent, policy 11.4.3)", p->id);
	return 0;
}

int pki_policy_may_share(const char **authority, const struct pki_share_ctx *c)
{
	const char *auth = NULL;
	bool outside;
	int rc;

	if ((rc = check_recipient(c)) < 0)
		return rc;
	outside = pki_policy_outside(c->recipient);
	/* Safety first: it reaches UNDSS whoever holds it (11.3.2). */
	if (!outside && c->product->safety && c->recipient->role == PKI_ROLE_UNDSS)
		auth = "undss-rule";
	else if ((rc = share_authority(&auth, c, outside)) < 0 ||
		 (rc = outside ? check_references(c) : check_need_to_know(c)) < 0 ||
		 (outside && (rc = pki_policy_share_arrangements(c)) < 0))
		return rc;
	if (authority != NULL)
		*authority = auth;
	return 0;
}

int pki_policy_medium(const char *medium)
{
	if (!given(medium) || strcmp(medium, "paper") == 0 || strcmp(medium, "oral") == 0 ||
	    strcmp(medium, "display") == 0)
		return 0;
	return pki_error(PKI_EUSAGE, "invalid medium '%.32s' (expected paper, oral or display)",
			 medium);
}

/* Who stays on a distribution list while valid. */
static int must_keep(const struct pki_share_ctx *c)
{
	const struct pki_principal *r = c->recipient;

	if (r == NULL || !pki_principal_valid(r, c->at))
		return 0;
	if (r->role == PKI_ROLE_HOM)
		return pki_error(PKI_EPOLICY, "'%s' is the Head of Mission, who decides on all "
				 "dissemination and stays on every distribution list (policy 10.7)",
				 r->name);
	if (r->role == PKI_ROLE_CHAIR)
		return pki_error(PKI_EPOLICY, "'%s' is the Chair, custodian of the distribution "
				 "lists, and stays on every one (policy 12.6.9)", r->name);
	if (r->role == PKI_ROLE_ARCHIVES)
		return pki_error(PKI_EPOLICY, "'%s' receives every product for transfer to the "
				 "UN Archives (policy 11.5.1)", r->name);
	if (r->role == PKI_ROLE_UNDSS && c->product->safety)
		return pki_error(PKI_EPOLICY, "'%s' must receive '%s', which bears on the safety "
				 "of UN personnel (policy 11.3.2)", r->name, c->product->id);
	return 0;
}

int pki_policy_may_revoke(const char **authority, const struct pki_share_ctx *c)
{
	const struct pki_principal *a = c->actor;
	const struct pki_product *p = c->product;
	const char *auth;
	int rc;

	if (pki_policy_stands_for(c->delegations, p->originator, a->name, c->at))
		auth = "originator";
	else if (a->role == PKI_ROLE_HOM)
		auth = "hom";
	else if (a->role == PKI_ROLE_CHAIR)
		auth = "custodian";
	else
		return pki_error(PKI_EPOLICY, "'%s' may not revoke '%s': only its originator "
				 "('%s'), the Head of Mission or the Chair keep its distribution "
				 "list (policy 10.7, 12.6.9)", a->name, p->id, p->originator);
	if (pki_policy_stands_for(c->delegations, p->originator, c->recipient_name, c->at))
		return pki_error(PKI_EPOLICY, "'%s' stands for the originator of '%s' and stays "
				 "on its distribution list (policy 9.8)", c->recipient_name, p->id);
	if ((rc = must_keep(c)) < 0)
		return rc;
	if (authority != NULL)
		*authority = auth;
	return 0;
}

/* --- narrowing a principal (pki-matrix add on an existing one) --- */

/* Is every area of a among b's?  "*" holds all; "" none. */
static bool areas_within(const char *a, const char *b)
{
	char one[128];
	size_t n;

	if (a[0] == '\0' || strcmp(b, "*") == 0)
		return true;
	if (strcmp(a, "*") == 0)
		return false;
	for (;;) {
		n = strcspn(a, ";");
		if (n >= sizeof(one))
			return false;	/* no such area: taken as one b lacks */
		if (n > 0) {
			memcpy(one, a, n);
			one[n] = '\0';
			if (!pki_areas_meet(one, b))
				return false;
		}
		if (a[n] == '\0')
			return true;
		a += n + 1;
	}
}

bool pki_policy_narrows(const struct pki_principal *before, const struct pki_principal *after,
			time_t at)
{
	return after->clearance < before->clearance ||
	       !areas_within(before->areas, after->areas) ||
	       (pki_principal_valid(before, at) && !pki_principal_valid(after, at));
}

int pki_policy_may_hold(const struct pki_principal *p, const struct pki_product *x, time_t at)
{
	char when[PKI_TIME_LEN];

	if (strcmp(p->name, x->originator) == 0)
		return 0;
	if (!pki_principal_valid(p, at)) {
		pki_time_format(at, when);
		return pki_error(PKI_EPOLICY, "'%s' is not a valid principal at %s, and %s is not "
				 "its own (policy 11.3.3)", p->name, when, x->id);
	}
	if (p->clearance < x->level)
		return pki_error(PKI_EPOLICY, "'%s' is cleared to %s, %s is %s (policy 9.8)",
				 p->name, pki_level_name(p->clearance), x->id,
				 pki_level_name(x->level));
	/* On every list by role: no compartment keeps them off (10.7, 12.6.9,
	 * 11.5.1), nor UNDSS off a safety product (11.3.2). */
	if (pki_policy_outside(p) || p->role == PKI_ROLE_HOM || p->role == PKI_ROLE_CHAIR ||
	    p->role == PKI_ROLE_ARCHIVES || (p->role == PKI_ROLE_UNDSS && x->safety))
		return 0;
	if (x->level == PKI_LEVEL_UNCLASSIFIED || !given(x->areas) || pki_areas_meet(p->areas, x->areas))
		return 0;
	return pki_error(PKI_EPOLICY, "'%s' has no need to know %s: its areas (%s) do not meet "
			 "the product's (%s) (policy 9.8)", p->name, x->id,
			 given(p->areas) ? p->areas : "none", x->areas);
}

int pki_policy_narrowed_off(const struct pki_principal *actor, const struct pki_principal *before,
			    const struct pki_principal *after, const char *name,
			    const struct pki_product *x, time_t at)
{
	int rc;

	if ((rc = pki_policy_may_change_matrix(actor)) < 0)
		return rc;
	if (before == NULL || after == NULL || !pki_policy_narrows(before, after, at))
		return pki_error(PKI_EPOLICY, "the change does not narrow what '%s' may receive: "
				 "a revoke on the matrix's authority comes with a narrowed row "
				 "(policy 11.3.3)", name);
	if (pki_policy_may_hold(after, x, at) == 0)
		return pki_error(PKI_EPOLICY, "'%s' may still hold %s after the change: only what "
				 "it may no longer hold leaves its list on the matrix's authority "
				 "(policy 11.3.3)", name, x->id);
	return 0;
}

int pki_policy_list_keepers(const struct pki_matrix *m, enum pki_level level,
			    char *const *list, size_t n, time_t at)
{
	static const struct { enum pki_role role; const char *what; } keepers[] = {
		{ PKI_ROLE_HOM, "hom" },
		{ PKI_ROLE_CHAIR, "chair" },
		{ PKI_ROLE_ARCHIVES, "archives" },
	};
	const struct pki_principal *q;
	char missing[64] = "";
	size_t i, k;
	bool on;

	if (level == PKI_LEVEL_UNCLASSIFIED)
		return 0;
	for (k = 0; k < sizeof(keepers) / sizeof(keepers[0]); k++) {
		if (!pki_policy_has_valid(m, keepers[k].role, at))
			continue;	/* nobody to have: not a list's fault */
		for (i = 0, on = false; i < n && !on; i++)
			on = (q = pki_matrix_find(m, list[i])) != NULL && q->role == keepers[k].role &&
			     pki_principal_valid(q, at);
		if (!on)
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%s%s",
				 missing[0] != '\0' ? ", " : "", keepers[k].what);
	}
	if (missing[0] == '\0')
		return 0;
	return pki_error(PKI_EPOLICY, "its list lacks a valid %s: a handover made without "
			 "pki-matrix succeed? (policy 10.7, 12.6.9, 11.5.1)", missing);
}
