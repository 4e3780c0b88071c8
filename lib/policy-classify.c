/* policy-classify.c: the rules of a product's life, as pure functions:
 * distribution lists, classifying and reclassifying, receiving, the
 * transfer to the archives, and which action owns which label field.
 * policy.c has the access matrix, the delegations and dissemination.
 *
 * Every refusal names the rule and the paragraph of the DPO Policy on
 * Peacekeeping-Intelligence (2019) it comes from.  Nothing here reads a
 * file or the clock: callers pass the time an action is judged at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "policy.h"
#include "retention.h"

/* --- classifying (pki-classify(1)) --- */

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

void pki_names_remove(struct pki_names *s, const char *name)
{
	bool found;
	size_t at = names_pos(s, name, &found);

	if (!found)
		return;
	memmove(s->v + at, s->v + at + 1, (s->n - at - 1) * sizeof(*s->v));
	s->n--;
}

int pki_names_split(char *field, struct pki_names *out)
{
	char *p, *next;
	int rc = 0;

	for (p = field; *p != '\0' && rc == 0; p = next) {
		next = p + strcspn(p, ";");
		if (*next == ';')
			*next++ = '\0';
		if (*p != '\0')
			rc = pki_names_add(out, p);
	}
	return rc;
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

		/* A principal without a key receives no encrypted file (24). */
		if (!pki_principal_valid(p, at) || p->clearance < level || p->fpr[0] == '\0' ||
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
	if (authority == NULL && pki_policy_stands_for(d, p->originator, actor->name, at))
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
		if (r == NULL || !pki_principal_valid(r, at) || r->clearance < level ||
		    r->fpr[0] == '\0')
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

/* --- transferring to the archives (pki-archive(1)) --- */

int pki_policy_may_archive(const struct pki_principal *actor)
{
	if (actor->type == PKI_TYPE_MISSION &&
	    (actor->role == PKI_ROLE_CHAIR || actor->role == PKI_ROLE_HOM))
		return 0;
	return pki_error(PKI_EPOLICY, "'%s' is %s: transfers to the UN Archives are made by "
			 "the Chair, custodian of the registry, or the Head of Mission "
			 "(policy 11.5.1, 12.6.9)", actor->name, pki_role_name(actor->role));
}

int pki_policy_may_acknowledge(const struct pki_principal *actor)
{
	if (actor->role == PKI_ROLE_ARCHIVES)
		return 0;
	return pki_error(PKI_EPOLICY, "'%s' is %s: only the UN Archives, an archives "
			 "principal, acknowledge the receipt of a transfer (policy 11.5.1)",
			 actor->name, pki_role_name(actor->role));
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

/* --- materials and their disposal (pki-archive(1) --dispose) --- */

int pki_policy_dispose(const struct pki_disposal *d)
{
	struct pki_retention r;
	char when[PKI_DATE_LEN];
	time_t end;

	if (d->actor->role != PKI_ROLE_CHAIR || d->actor->type != PKI_TYPE_MISSION)
		return pki_error(PKI_EPOLICY, "'%s' is %s: materials are destroyed by the Chair, "
				 "who implements the retention schedules (policy 12.6.9)",
				 d->actor->name, pki_role_name(d->actor->role));
	if (d->kind != PKI_KIND_MATERIAL)
		return pki_error(PKI_EPOLICY, "%s is %s: products, plans and requirements are "
				 "permanent records, transferred to the UN Archives and never "
				 "disposed of (policy 11.5.1)", d->id,
				 d->kind == PKI_KIND_PLAN ? "a plan" :
				 d->kind == PKI_KIND_IR ? "the wording of a requirement" : "a product");
	if (d->disposed != 0) {
		pki_date_format(d->disposed, when);
		return pki_error(PKI_EPOLICY, "%s was disposed of on %s already (policy 12.6.9)",
				 d->id, when);
	}
	if (pki_retention_parse("retention", d->retention, &r) < 0)
		return pki_error(PKI_EPOLICY, "%s has no valid retention: a material is destroyed "
				 "only after its retention (policy 12.6.9)", d->id);
	if ((end = pki_retention_end(d->created, &r)) > d->at) {
		pki_date_format(end, when);
		return pki_error(PKI_EPOLICY, "the retention of %s (%s) runs until %s: a material "
				 "is destroyed only after its retention (policy 12.6.9)", d->id,
				 d->retention, when);
	}
	if (!d->transferred)
		return pki_error(PKI_EPOLICY, "%s was never transferred to the UN Archives: records "
				 "are transferred before materials are destroyed (policy 11.5.1, "
				 "12.6.9)", d->id);
	if (d->certificate == NULL || d->certificate[0] == '\0')
		return pki_error(PKI_EPOLICY, "the disposal of %s names no certificate of "
				 "destruction (policy 12.6.9)", d->id);
	return 0;
}

/* --- the label (pki-files(5)) --- */

/*
 * Which fields of a label each action changes (policy 11.2.1, 11.4.3).
 * The originator's marking -- originator, registrar, creation time,
 * areas, caveats, safety, IR references -- is set when the product is
 * classified or received; a relabel corrects its areas, safety flag and
 * IR references (policy-relabel.c), with the list and binding when the
 * safety flag brings UNDSS onto it.  A reclassification changes the level and
 * criterion and may set the next review date; a review that keeps the
 * level moves the review date only.  Each re-encryption (reclassify,
 * share, revoke, and the custodian's shares to the archives) changes the
 * distribution list and the binding to the new ciphertext.  An export gives a copy away and leaves
 * the repository's label as it was; an archive row records a transfer,
 * an archive-ack row the Archives' receipt of it.
 * No action changes a product's ID.  An action missing here owns nothing.
 */
static const unsigned label_owners[] = {
	[PKI_ACTION_RECEIVE] = PKI_LF_ALL & ~PKI_LF_ID,
	[PKI_ACTION_CLASSIFY] = PKI_LF_ALL & ~PKI_LF_ID,
	[PKI_ACTION_RECLASSIFY] = PKI_LF_LEVEL | PKI_LF_CRITERION | PKI_LF_REVIEW |
				  PKI_LF_DISTRIBUTION | PKI_LF_BINDING,
	[PKI_ACTION_SHARE] = PKI_LF_DISTRIBUTION | PKI_LF_BINDING,
	[PKI_ACTION_EXPORT] = 0,
	[PKI_ACTION_REVOKE] = PKI_LF_DISTRIBUTION | PKI_LF_BINDING,
	[PKI_ACTION_ARCHIVE] = 0,
	[PKI_ACTION_REVIEW] = PKI_LF_REVIEW,
	[PKI_ACTION_ARCHIVE_ACK] = 0,
	[PKI_ACTION_DISPOSE] = PKI_LF_DISPOSED,
	[PKI_ACTION_RELABEL] = PKI_LF_AREAS | PKI_LF_SAFETY | PKI_LF_IR |
			       PKI_LF_DISTRIBUTION | PKI_LF_BINDING,
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
	const char *fields[32], *acts[NACTIONS];
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
