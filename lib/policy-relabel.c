/* policy-relabel.c: the rules of a product's areas, safety flag and IR
 * references once it is filed, as pure functions: the areas no one
 * holds (a warning), and the correction of a label by a relabel
 * (pki-classify(1) --change with -a, --safety or --ir).
 *
 * Every refusal names the rule and the paragraph of the DPO Policy on
 * Peacekeeping-Intelligence (2019) it comes from.  Nothing here reads a
 * file or the clock.
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "policy.h"

/* Does the ';'-list areas name the area [a, a+n) itself ("*" names none)? */
static bool names_area(const char *areas, const char *a, size_t n)
{
	char one[64];

	if (areas == NULL || strcmp(areas, "*") == 0 || n >= sizeof(one))
		return false;
	memcpy(one, a, n);
	one[n] = '\0';
	return pki_areas_meet(one, areas);
}

int pki_policy_unheld_areas(const struct pki_matrix *m, const char *areas, const time_t *at,
			    struct pki_buf *out)
{
	const char *a = areas;
	size_t n, i, count = 0;
	bool held;
	int rc;

	if (a == NULL || a[0] == '\0' || strcmp(a, "*") == 0)
		return 0;
	for (;;) {
		n = strcspn(a, ";");
		for (i = 0, held = false; m != NULL && i < m->n && !held; i++)
			held = (at == NULL || pki_principal_valid(&m->v[i], *at)) &&
			       names_area(m->v[i].areas, a, n);
		if (!held && (rc = pki_buf_printf(out, "%s%.*s", count++ > 0 ? ";" : "",
						  (int)n, a)) < 0)
			return rc;
		if (a[n] == '\0')
			return 0;
		a += n + 1;
	}
}

int pki_policy_relabel_keeps(const struct pki_matrix *m, const struct pki_product *before,
			     const struct pki_product *after, char *const *list, size_t n,
			     time_t at)
{
	const struct pki_principal *q;
	char names[512] = "";
	size_t i, len = 0, count = 0;

	for (i = 0; i < n; i++) {
		q = pki_matrix_find(m, list[i]);
		/* Those already off for another reason are not this change's doing. */
		if (q == NULL || pki_policy_may_hold(q, before, at) < 0 ||
		    pki_policy_may_hold(q, after, at) == 0)
			continue;
		if (len < sizeof(names))
			len += (size_t)snprintf(names + len, sizeof(names) - len, "%s'%s'",
						count > 0 ? ", " : "", q->name);
		count++;
	}
	if (count == 0)
		return 0;
	return pki_error(PKI_EPOLICY, "the areas %s would leave %s on the list of %s without "
			 "need to know; take %s off first (pki-share --revoke %s ...) "
			 "(policy 9.8)", after->areas[0] != '\0' ? after->areas : "(none)",
			 names, after->id, count == 1 ? "it" : "them", after->id);
}

int pki_policy_relabeled_list(const struct pki_matrix *m, const struct pki_product *before,
			      const struct pki_product *after, char *const *current,
			      size_t ncurrent, time_t at, struct pki_names *out)
{
	struct pki_names undss = { 0 };
	size_t i;
	int rc = 0;

	for (i = 0; i < ncurrent && rc == 0; i++)
		rc = pki_names_add(out, current[i]);
	/* Set later, the safety flag reaches UNDSS as it would have at
	 * classification (policy 11.3.2): the initial list of a safety
	 * product, of which only the undss principals are new. */
	if (rc == 0 && after->safety && !before->safety &&
	    (rc = pki_policy_initial_list(m, after->originator, after->level, true, at,
					  &undss)) == 0)
		for (i = 0; i < undss.n && rc == 0; i++) {
			const struct pki_principal *q = pki_matrix_find(m, undss.v[i]);

			if (q != NULL && q->role == PKI_ROLE_UNDSS)
				rc = pki_names_add(out, q->name);
		}
	pki_names_release(&undss);
	return rc;
}

int pki_policy_relabel_undss(const struct pki_matrix *m, const struct pki_product *before,
			     const struct pki_product *after, const struct pki_names *list,
			     time_t at)
{
	const struct pki_principal *q;
	size_t i;

	if (!after->safety || before->safety)
		return 0;
	for (i = 0; i < m->n; i++) {
		q = &m->v[i];
		if (q->role == PKI_ROLE_UNDSS && pki_principal_valid(q, at) &&
		    q->clearance >= after->level && !pki_names_has(list, q->name))
			return pki_error(PKI_EPOLICY, "the safety flag set on %s does not reach "
					 "'%s', the senior UNDSS representative: a safety product "
					 "always does (policy 11.3.2)", after->id, q->name);
	}
	return 0;
}
