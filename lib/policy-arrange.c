/* policy-arrange.c: the register of written arrangements as pure rules:
 * who keeps it, what a row must name, how a row may change, and what an
 * arrangement must be for a share outside the mission to rest on it
 * (policy 11.4.3 originator control, 11.4.4 HRDDP risk assessments,
 * 12.6.10 legal advice).  Nothing here reads a file or the clock.
 */
#include <string.h>

#include "arrangement.h"
#include "error.h"
#include "policy.h"

static bool given(const char *s)
{
	return s != NULL && *s != '\0';
}

int pki_policy_may_arrange(const struct pki_principal *actor)
{
	if (actor->role == PKI_ROLE_HOM || actor->role == PKI_ROLE_CHAIR)
		return 0;
	return pki_error(PKI_EPOLICY, "'%s' is %s: only the Head of Mission or the Chair keep "
			 "the register of arrangements (policy 11.4.3, 12.10)", actor->name,
			 pki_role_name(actor->role));
}

int pki_policy_arrangement_ok(const struct pki_arrangement *x, const struct pki_matrix *m)
{
	size_t i;

	if (pki_matrix_find(m, x->partner) != NULL)
		return 0;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].entity, x->partner) == 0)
			return 0;
	return pki_error(PKI_EPOLICY, "arrangement '%s' names partner '%s', which is neither a "
			 "principal nor the entity of one in the access matrix (policy 11.4.3)",
			 x->id, x->partner);
}

int pki_policy_arrangement_edit(const struct pki_arrangement *old,
				const struct pki_arrangement *nw)
{
	struct pki_arrangement ended = *nw;

	ended.until = old->until;
	if (!pki_arrangement_same(old, &ended))
		return pki_error(PKI_EPOLICY, "arrangement '%s' is rewritten: a recorded "
				 "arrangement is only ever ended, its instrument, partner, kind and "
				 "dates kept (policy 11.4.3, 12.10)", old->id);
	if (nw->until == 0 || (old->until != 0 && nw->until > old->until) || nw->until <= nw->from)
		return pki_error(PKI_EPOLICY, "arrangement '%s' is extended or reopened: a "
				 "recorded arrangement is only ever ended earlier; a renewed one is "
				 "a new row (policy 11.4.3, 12.10)", old->id);
	return 0;
}

/* Which kind each option names, and the paragraph that asks for it. */
static const struct {
	enum pki_arrangement_kind kind;
	const char *option, *para;
} wants[] = {
	{ PKI_ARR_ORCON, "--arrangement", "11.4.3" },
	{ PKI_ARR_HRDDP, "--hrddp", "11.4.4" },
	{ PKI_ARR_CONSENT, "--consent", "11.4.3" },
};

static int one(const struct pki_share_ctx *c, size_t k, const char *id)
{
	const struct pki_principal *r = c->recipient;
	const struct pki_arrangement *x = pki_arrangements_find(c->arrangements, id);
	const char *para = wants[k].para;
	char when[PKI_TIME_LEN];

	if (x == NULL)
		return pki_error(PKI_EPOLICY, "%s '%s' names no arrangement of the register "
				 "(arrangements.csv; policy %s)", wants[k].option, id, para);
	if (x->kind != wants[k].kind)
		return pki_error(PKI_EPOLICY, "arrangement '%s' is %s, not %s (%s, policy %s)",
				 id, pki_arrangement_kind_name(x->kind),
				 pki_arrangement_kind_name(wants[k].kind), wants[k].option, para);
	if (strcmp(x->partner, r->name) != 0 && strcmp(x->partner, r->entity) != 0)
		return pki_error(PKI_EPOLICY, "arrangement '%s' is with '%s', not with '%s' or "
				 "its entity '%s' (policy %s)", id, x->partner, r->name, r->entity,
				 para);
	if (x->until != 0 && c->at >= x->until) {
		pki_time_format(x->until, when);
		return pki_error(PKI_EPOLICY, "arrangement '%s' ended at %s (policy %s)", id,
				 when, para);
	}
	if (c->at < x->from) {
		pki_time_format(x->from, when);
		return pki_error(PKI_EPOLICY, "arrangement '%s' is valid only from %s (policy %s)",
				 id, when, para);
	}
	if (x->kind == PKI_ARR_HRDDP && x->review != 0 && c->at >= x->review) {
		pki_time_format(x->review, when);
		return pki_error(PKI_EPOLICY, "HRDDP risk assessment '%s' was due for review "
				 "by %s: it is regularly reviewed before it is relied on (policy "
				 "11.4.4)", id, when);
	}
	return 0;
}

int pki_policy_share_arrangements(const struct pki_share_ctx *c)
{
	const char *ids[] = { c->arrangement, c->hrddp, c->consent };
	size_t k;
	int rc;

	if (c->arrangements == NULL || c->recipient == NULL)
		return 0;
	for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++)
		if (given(ids[k]) && (rc = one(c, k, ids[k])) < 0)
			return rc;
	return 0;
}
