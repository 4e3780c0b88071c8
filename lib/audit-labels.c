/* audit-labels.c: each field of a label changes only by the action that
 * owns it (policy 11.2.1, 11.4.3).
 *
 * The state checks compare a label's level and distribution list with
 * the registry at the tip; the other fields -- originator, caveats,
 * areas, review date and the rest -- the registry does not repeat.  So
 * each commit that rewrites a label is compared with the label at its
 * first parent, field by field (pki_label_diff), and every field that
 * changed must be owned by one of the actions the commit records for
 * that product (pki_policy_label_owns).  A rewrite the commit records no
 * writing action for is A205 already; one whose label no longer parses
 * is A305, here when no later commit replaced it, at the tip otherwise.
 */
#include <stdlib.h>
#include <string.h>

#include "audit-int.h"
#include "error.h"
#include "policy.h"

/* The actions the commit records for product id, as 1u << enum pki_action. */
static unsigned actions_of(const struct pki_auditor *au, const struct pki_acommit *ac,
			   const char *id)
{
	enum pki_action a;
	unsigned set = 0;
	size_t i;

	for (i = ac->row0; i < ac->row0 + ac->nrows; i++)
		if (strcmp(au->rows[i].f[PKI_COL_PRODUCT], id) == 0 &&
		    pki_action_parse(au->rows[i].f[PKI_COL_ACTION], &a) == 0)
			set |= 1u << a;
	return set;
}

/* The commit wrote a label that does not parse: said here, unless it is
 * still the tip's (then the state checks say it). */
static int written_invalid(struct pki_auditor *au, const struct pki_acommit *ac, const char *id)
{
	char path[PKI_PRODUCT_PATH_MAX], here[41], tip[41];
	char *why;
	int rc;

	if ((why = strdup(pki_error_last())) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "labels");
	if ((rc = pki_product_path(id, "xml", path)) < 0 ||
	    (rc = pki_repo_id_at(au->repo, ac->c.id, path, here)) < 0)
		goto out;
	if (pki_repo_id_at(au->repo, au->tip, path, tip) == 0 && strcmp(here, tip) == 0)
		goto out;
	rc = pki_audit_add(au->a, PKI_A_LABEL_INVALID, id, "commit %s writes a label that is "
			   "not valid: %s", ac->c.id, why);
out:
	free(why);
	return rc;
}

static int judge_label(struct pki_auditor *au, const struct pki_acommit *ac, const char *id)
{
	const struct pki_label *old, *nw;
	struct pki_label before;
	unsigned actions = actions_of(au, ac, id), changed;
	int rc;

	if (pki_policy_label_owns(actions) == 0)
		return 0;	/* no action that writes the label: A205 */
	rc = pki_audit_label_at(au, ac->c.parents[0], id, &old);
	if (rc == -PKI_EDATA || rc == -PKI_ENOINPUT)
		return 0;	/* reported where it was written */
	if (rc < 0)
		return rc;
	/* The label cache may move when it grows; the fields it points
	 * to stay where they are. */
	before = *old;
	rc = pki_audit_label_at(au, ac->c.id, id, &nw);
	if (rc == -PKI_EDATA)
		return written_invalid(au, ac, id);
	if (rc == -PKI_ENOINPUT)
		return 0;
	if (rc < 0)
		return rc;
	changed = pki_label_diff(&before, nw);
	if (pki_policy_label_change(actions, changed) == 0)
		return 0;
	return pki_audit_add(au->a, PKI_A_LABEL_FIELD, id, "commit %s %s", ac->c.id,
			     pki_error_last());
}

int pki_audit_label_fields(struct pki_auditor *au, const struct pki_acommit *ac)
{
	size_t i;
	int rc = 0;

	if (ac->c.nparents == 0)
		return 0;
	for (i = 0; i < ac->ntouch && rc == 0; i++)
		if (ac->touch[i].xml == 'M')
			rc = judge_label(au, ac, ac->touch[i].id);
	return rc;
}
