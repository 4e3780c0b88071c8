/* policy.c: the rules of SPEC.md §5, as pure functions.
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
static bool has_valid(const struct pki_matrix *m, enum pki_role role, time_t at)
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
		if (has_valid(before, keepers[i].role, at) && !has_valid(after, keepers[i].role, at))
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

/* share-external comes from a hom (policy 11.4.1); the other powers from
 * an originator, who may be anyone inside the mission. */
static bool granted_by_role(const struct pki_matrix *m, const struct pki_delegation *x)
{
	const struct pki_principal *g;

	if (x->power != PKI_POWER_SHARE_EXTERNAL)
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
		if (grantor != NULL ? strcmp(x->grantor, grantor) != 0 : !granted_by_role(m, x))
			continue;
		if (!pki_delegation_valid(x, at) || !scope_covers(x->scope, p))
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

	if (grantor == NULL || !pki_principal_valid(grantor, at))
		return pki_error(PKI_EPOLICY, "delegation '%s' is granted by '%s', who is not a "
				 "valid principal of the access matrix (policy 9.8)", x->id,
				 x->grantor);
	if ((rc = pki_policy_may_delegate(grantor, x->power)) < 0)
		return rc;
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

/* --- disseminating (SPEC 5.3) --- */

static bool given(const char *s)
{
	return s != NULL && *s != '\0';
}

bool pki_policy_outside(const struct pki_principal *p)
{
	return p->type != PKI_TYPE_MISSION;
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
	if (!c->recipient_key)
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
	if (grantor != NULL && strcmp(x->grantor, grantor) != 0)
		return pki_error(PKI_EPOLICY, "delegation '%s' was granted by '%s', not by the "
				 "originator '%s' (policy 9.8)", x->id, x->grantor, grantor);
	if (grantor == NULL && !granted_by_role(c->matrix, x))
		return pki_error(PKI_EPOLICY, "delegation '%s' was granted by '%s', who is not "
				 "the Head of Mission (policy 11.4.1)", x->id, x->grantor);
	if (!pki_delegation_valid(x, c->at))
		return delegation_window(x, c->at, para);
	if (!scope_covers(x->scope, c->product))
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
	} else if (!outside && strcmp(a->name, p->originator) == 0) {
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
		 (rc = outside ? check_references(c) : check_need_to_know(c)) < 0)
		return rc;
	if (authority != NULL)
		*authority = auth;
	return 0;
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

	if (strcmp(a->name, p->originator) == 0)
		auth = "originator";
	else if (a->role == PKI_ROLE_HOM)
		auth = "hom";
	else if (a->role == PKI_ROLE_CHAIR)
		auth = "custodian";
	else
		return pki_error(PKI_EPOLICY, "'%s' may not revoke '%s': only its originator "
				 "('%s'), the Head of Mission or the Chair keep its distribution "
				 "list (policy 10.7, 12.6.9)", a->name, p->id, p->originator);
	if (strcmp(c->recipient_name, p->originator) == 0)
		return pki_error(PKI_EPOLICY, "'%s' stands for the originator of '%s' and stays "
				 "on its distribution list (policy 9.8)", c->recipient_name, p->id);
	if ((rc = must_keep(c)) < 0)
		return rc;
	if (authority != NULL)
		*authority = auth;
	return 0;
}

/* --- classifying (SPEC 5.1) --- */

/* Where name is, or would go, in the sorted list. */
static size_t names_pos(const struct pki_names *s, const char *name, bool *found)
{
	size_t lo = 0, hi = s->n, mid;
	int c;

	*found = false;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(s->v[mid], name)) == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int pki_names_add(struct pki_names *s, const char *name)
{
	const char **grown;
	bool found;
	size_t at = names_pos(s, name, &found);

	if (found)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;

		if ((grown = reallocarray(s->v, cap, sizeof(*grown))) == NULL)
			return pki_error(PKI_EINTERNAL, "distribution list: out of memory");
		s->v = grown;
		s->cap = cap;
	}
	memmove(s->v + at + 1, s->v + at, (s->n - at) * sizeof(*s->v));
	s->v[at] = name;
	s->n++;
	return 0;
}

bool pki_names_has(const struct pki_names *s, const char *name)
{
	bool found;

	names_pos(s, name, &found);
	return found;
}

bool pki_names_equal(const struct pki_names *a, const struct pki_names *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

void pki_names_release(struct pki_names *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int pki_names_join(const struct pki_names *s, struct pki_buf *out)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < s->n && rc == 0; i++)
		rc = pki_buf_printf(out, "%s%s", i > 0 ? ";" : "", s->v[i]);
	return rc;
}

static bool originates(const struct pki_principal *p)
{
	return p->type == PKI_TYPE_MISSION &&
	       (p->role == PKI_ROLE_HOM || p->role == PKI_ROLE_CHAIR ||
		p->role == PKI_ROLE_MEMBER || p->role == PKI_ROLE_UNDSS);
}

int pki_policy_may_classify(const struct pki_principal *actor, enum pki_level level)
{
	if (!originates(actor))
		return pki_error(PKI_EPOLICY, "'%s' is %s: only mission personnel originate "
				 "and label products (policy 11.2.1)", actor->name,
				 pki_role_name(actor->role));
	if (actor->clearance < level)
		return pki_error(PKI_EPOLICY, "'%s' is cleared to %s and cannot label a product %s "
				 "(policy 11.3.3)", actor->name, pki_level_name(actor->clearance),
				 pki_level_name(level));
	return 0;
}

int pki_policy_criterion(enum pki_level level, char criterion)
{
	if (level == PKI_LEVEL_UNCLASSIFIED || criterion != 0)
		return 0;
	return pki_error(PKI_EPOLICY, "a %s product needs a criterion of ST/SGB/2007/6 "
			 "section 1.2 (-c a..g) (policy 11.2.1)", pki_level_name(level));
}

/* Does p belong on the initial list of a product at level? */
static bool initially(const struct pki_principal *p, const char *originator,
		      enum pki_level level, bool safety)
{
	if (strcmp(p->name, originator) == 0)
		return true;
	switch (p->role) {
	case PKI_ROLE_HOM:
	case PKI_ROLE_CHAIR:
	case PKI_ROLE_ARCHIVES:
		return true;
	case PKI_ROLE_UNDSS:
		if (safety)
			return true;
		break;
	default:
		break;
	}
	return level == PKI_LEVEL_UNCLASSIFIED && p->type == PKI_TYPE_MISSION;
}

/* A safety product reaches a senior UNDSS representative (policy 11.3.2). */
static int check_undss(const struct pki_matrix *m, enum pki_level level, time_t at)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->v[i].role == PKI_ROLE_UNDSS && pki_principal_valid(&m->v[i], at) &&
		    m->v[i].clearance >= level)
			return 0;
	return pki_error(PKI_EPOLICY, "a safety product must reach the senior UNDSS "
			 "representative, and no valid undss principal is cleared to %s "
			 "(policy 11.3.2)", pki_level_name(level));
}

int pki_policy_initial_list(const struct pki_matrix *m, const char *originator,
			    enum pki_level level, bool safety, time_t at,
			    struct pki_names *out)
{
	size_t i;
	int rc;

	if (safety && (rc = check_undss(m, level, at)) < 0)
		return rc;
	for (i = 0; i < m->n; i++) {
		const struct pki_principal *p = &m->v[i];

		if (!pki_principal_valid(p, at) || p->clearance < level ||
		    !initially(p, originator, level, safety))
			continue;
		if ((rc = pki_names_add(out, p->name)) < 0)
			return rc;
	}
	return 0;
}

int pki_policy_may_reclassify(const struct pki_delegations *d, const struct pki_matrix *m,
			      const struct pki_principal *actor, const struct pki_product *p,
			      const char *authority, time_t at, const char **granted)
{
	const struct pki_delegation *x;

	*granted = NULL;
	if (authority == NULL && strcmp(actor->name, p->originator) == 0)
		*granted = "originator";
	else if (authority == NULL && actor->role == PKI_ROLE_HOM)
		*granted = "hom";
	else if ((x = pki_policy_delegation(d, m, authority, p->originator, actor->name,
					    PKI_POWER_DECLASSIFY, p, at)) != NULL)
		*granted = x->id;
	if (*granted != NULL)
		return 0;
	if (authority != NULL)
		return pki_error(PKI_EPOLICY, "delegation '%s' does not give '%s' a valid declassify "
				 "power from '%s' covering %s (policy 9.8)", authority,
				 actor->name, p->originator, p->id);
	return pki_error(PKI_EPOLICY, "'%s' is neither the originator of %s ('%s') nor the Head "
			 "of Mission, and holds no declassify delegation from the originator "
			 "covering it (policy 9.8)", actor->name, p->id, p->originator);
}

int pki_policy_reclassified_list(const struct pki_matrix *m, const struct pki_product *p,
				 char *const *current, size_t ncurrent, enum pki_level level,
				 time_t at, struct pki_names *out)
{
	const struct pki_principal *r;
	size_t i;
	int rc;

	if ((rc = pki_policy_initial_list(m, p->originator, level, p->safety, at, out)) < 0)
		return rc;
	for (i = 0; i < ncurrent; i++) {
		r = pki_matrix_find(m, current[i]);
		if (r == NULL || !pki_principal_valid(r, at) || r->clearance < level)
			continue;
		if ((rc = pki_names_add(out, r->name)) < 0)
			return rc;
	}
	return 0;
}

int pki_policy_may_receive(const struct pki_principal *actor)
{
	if (actor->type == PKI_TYPE_MISSION &&
	    (actor->role == PKI_ROLE_CHAIR || actor->role == PKI_ROLE_MEMBER))
		return 0;
	return pki_error(PKI_EPOLICY, "'%s' is %s: receipts are registered by the Chair or a "
			 "member of a participating mission entity (policy 12.6.9)", actor->name,
			 pki_role_name(actor->role));
}

/* --- transferring to the archives (SPEC 5.5) --- */

int pki_policy_may_archive(const struct pki_principal *actor)
{
	if (actor->type == PKI_TYPE_MISSION &&
	    (actor->role == PKI_ROLE_CHAIR || actor->role == PKI_ROLE_HOM))
		return 0;
	return pki_error(PKI_EPOLICY, "'%s' is %s: transfers to the UN Archives are made by "
			 "the Chair, custodian of the registry, or the Head of Mission "
			 "(policy 11.5.1, 12.6.9)", actor->name, pki_role_name(actor->role));
}

int pki_policy_archives_recipient(const struct pki_principal *r, const char *name,
				  bool has_key, time_t at)
{
	char when[PKI_TIME_LEN];

	if (r == NULL)
		return pki_error(PKI_EPOLICY, "'%s' is not a principal of the access matrix: "
				 "records are transferred to the UN Archives (policy 11.5.1)", name);
	if (r->role != PKI_ROLE_ARCHIVES)
		return pki_error(PKI_EPOLICY, "'%s' is %s, not the UN Archives: records are "
				 "transferred to the archives principal (policy 11.5.1)", r->name,
				 pki_role_name(r->role));
	if (!pki_principal_valid(r, at)) {
		pki_time_format(at, when);
		return pki_error(PKI_EPOLICY, "'%s' is not a valid principal at %s "
				 "(policy 11.5.1)", r->name, when);
	}
	if (!has_key)
		return pki_error(PKI_EPOLICY, "'%s' has no key in the repository (policy 11.5.1)",
				 r->name);
	if (pki_policy_role_fits(r) < 0)
		return pki_error_wrap(PKI_EPOLICY, "'%s'", r->name);
	return 0;
}

/* --- the label (SPEC 3.4) --- */

/*
 * Which fields of a label each action changes (policy 11.2.1, 11.4.3).
 * The originator's marking -- originator, registrar, creation time,
 * review date, areas, caveats, safety, IR references -- is set once, when
 * the product is classified or received.  A reclassification changes the
 * level and criterion; each re-encryption (reclassify, share, revoke, and
 * the custodian's shares to the archives) the distribution list and the
 * binding to the new ciphertext.  An export gives a copy away and leaves
 * the repository's label as it was; an archive row records a transfer.
 * No action changes a product's ID.  An action missing here owns nothing.
 */
static const unsigned label_owners[] = {
	[PKI_ACTION_RECEIVE] = PKI_LF_ALL & ~PKI_LF_ID,
	[PKI_ACTION_CLASSIFY] = PKI_LF_ALL & ~PKI_LF_ID,
	[PKI_ACTION_RECLASSIFY] = PKI_LF_LEVEL | PKI_LF_CRITERION | PKI_LF_DISTRIBUTION |
				  PKI_LF_BINDING,
	[PKI_ACTION_SHARE] = PKI_LF_DISTRIBUTION | PKI_LF_BINDING,
	[PKI_ACTION_EXPORT] = 0,
	[PKI_ACTION_REVOKE] = PKI_LF_DISTRIBUTION | PKI_LF_BINDING,
	[PKI_ACTION_ARCHIVE] = 0,
};

#define NACTIONS (sizeof(label_owners) / sizeof(label_owners[0]))

unsigned pki_policy_label_owns(unsigned actions)
{
	unsigned owned = 0;
	size_t i;

	for (i = 0; i < NACTIONS; i++)
		if (actions & 1u << i)
			owned |= label_owners[i];
	return owned;
}

/* "a", "a and b", "a, b and c" into out, cut short when it does not fit. */
static void join_words(char *out, size_t size, const char *const *w, size_t n)
{
	size_t i, len = 0;
	int k;

	out[0] = '\0';
	for (i = 0; i < n && len < size; i++) {
		k = snprintf(out + len, size - len, "%s%s",
			     i == 0 ? "" : i + 1 == n ? " and " : ", ", w[i]);
		if (k < 0)
			break;
		len += (size_t)k;
	}
}

int pki_policy_label_change(unsigned actions, unsigned changed)
{
	const char *fields[16], *acts[NACTIONS];
	char f[512], a[256];
	unsigned stray = changed & PKI_LF_ALL & ~pki_policy_label_owns(actions);
	unsigned caveats = PKI_LF_ORIGINATOR_CONTROL | PKI_LF_RELEASABLE;
	const char *para = (stray & caveats) == 0 ? "11.2.1" :
			   (stray & ~caveats) == 0 ? "11.4.3" : "11.2.1, 11.4.3";
	size_t nf = 0, na = 0, i;

	if (stray == 0)
		return 0;
	for (i = 0; 1u << i <= PKI_LF_ALL; i++)
		if (stray & 1u << i)
			fields[nf++] = pki_label_field_name((enum pki_label_field)(1u << i));
	for (i = 0; i < NACTIONS; i++)
		if (actions & 1u << i)
			acts[na++] = pki_action_name((enum pki_action)i);
	join_words(f, sizeof(f), fields, nf);
	join_words(a, sizeof(a), acts, na);
	if (na == 0)
		return pki_error(PKI_EPOLICY, "changes the label's %s, with no action that owns "
				 "it (policy %s)", f, para);
	return pki_error(PKI_EPOLICY, "changes the label's %s, which %s %s not change: each "
			 "field of a label changes only by the action that owns it (policy %s)",
			 f, a, na == 1 ? "does" : "do", para);
}
