/* relabel.c: correcting a product's areas, safety flag and IR references
 * (relabel.h). */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ir.h"
#include "product.h"
#include "registry.h"
#include "relabel.h"
#include "session.h"

#define LABEL_IR_MAX 64	/* label.xsd */

static bool has_ir(const struct pki_label *l, const char *ir)
{
	size_t i;

	for (i = 0; i < l->nir; i++)
		if (strcmp(l->ir[i], ir) == 0)
			return true;
	return false;
}

/* The new areas into the label; "areas OLD -> NEW" into why. */
static int set_areas(const struct pki_relabel *r, struct pki_label *l, struct pki_buf *why)
{
	char *areas;
	int rc;

	if (r->areas == NULL || strcmp(r->areas, l->areas) == 0)
		return 0;
	if ((rc = pki_buf_printf(why, "%sareas %s -> %s", why->len > 0 ? "; " : "",
				 l->areas[0] != '\0' ? l->areas : "(none)",
				 r->areas[0] != '\0' ? r->areas : "(none)")) < 0)
		return rc;
	if ((areas = strdup(r->areas)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "relabel");
	free(l->areas);
	l->areas = areas;
	return 0;
}

static int set_safety(const struct pki_relabel *r, struct pki_label *l, struct pki_buf *why)
{
	if (!r->safety || l->safety)
		return 0;
	l->safety = true;
	return pki_buf_printf(why, "%ssafety set", why->len > 0 ? "; " : "");
}

/* The IR references not yet on the label, added; "ir A, B added". */
static int add_irs(const struct pki_relabel *r, struct pki_label *l, struct pki_buf *why)
{
	char **grown;
	size_t i, added = 0;
	int rc = 0;

	for (i = 0; i < r->nir && rc == 0; i++) {
		if (has_ir(l, r->ir[i]))
			continue;
		if (l->nir == LABEL_IR_MAX)
			return pki_error(PKI_EUSAGE, "a label holds at most %d IR references",
					 LABEL_IR_MAX);
		if ((grown = reallocarray(l->ir, l->nir + 1, sizeof(*grown))) == NULL)
			return pki_error_errno(PKI_EINTERNAL, "relabel");
		l->ir = grown;
		if ((l->ir[l->nir] = strdup(r->ir[i])) == NULL)
			return pki_error_errno(PKI_EINTERNAL, "relabel");
		l->nir++;
		rc = pki_buf_printf(why, "%s%s", added++ == 0 ? why->len > 0 ? "; ir " : "ir " :
				    ", ", r->ir[i]);
	}
	if (rc == 0 && added > 0)
		rc = pki_buf_adds(why, " added");
	return rc;
}

/* The relabel row (the whole list) and a share row for each undss
 * principal the safety flag brings onto it (authority undss-rule, as at
 * classification: filing.c). */
static int stage_rows(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		      const struct pki_label *l, const struct pki_names *was,
		      const struct pki_names *list, const char *granted, const char *why)
{
	struct pki_row *rows;
	struct pki_buf all = PKI_BUF_INIT;
	size_t n = 1, i;
	int rc;

	if ((rows = calloc(1 + list->n, sizeof(*rows))) == NULL)
		return pki_error(PKI_EINTERNAL, "relabel: out of memory");
	if ((rc = pki_names_join(list, &all)) < 0)
		goto out;
	rows[0].f[PKI_COL_ACTION] = pki_action_name(PKI_ACTION_RELABEL);
	rows[0].f[PKI_COL_RECIPIENT] = all.ptr;
	rows[0].f[PKI_COL_AUTHORITY] = granted;
	rows[0].f[PKI_COL_JUSTIFICATION] = why;
	for (i = 0; i < list->n; i++) {
		if (pki_names_has(was, list->v[i]))
			continue;
		rows[n].f[PKI_COL_ACTION] = pki_action_name(PKI_ACTION_SHARE);
		rows[n].f[PKI_COL_RECIPIENT] = list->v[i];
		rows[n].f[PKI_COL_AUTHORITY] = "undss-rule";
		rows[n++].f[PKI_COL_JUSTIFICATION] = PKI_UNDSS_JUSTIFICATION;
	}
	for (i = 0; i < n; i++) {
		rows[i].f[PKI_COL_PRODUCT] = l->id;
		rows[i].f[PKI_COL_LEVEL] = pki_level_name(l->level);
		rows[i].f[PKI_COL_ACTOR] = st->actor->name;
	}
	rc = pki_registry_append(t, s->now, rows, n);
out:
	pki_buf_release(&all);
	free(rows);
	return rc;
}

static int build(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		 struct pki_buf *msg, void *arg)
{
	struct pki_relabel *r = arg;
	struct pki_label l = { 0 };
	struct pki_product before, after;
	struct pki_names was = { 0 }, list = { 0 };
	struct pki_buf why = PKI_BUF_INIT;
	char *old_areas = NULL;
	const char *granted;
	size_t i;
	int rc;

	pki_buf_reset(&r->unheld);
	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_product_label(t, r->id, &l)) < 0)
		goto out;
	/* The product as it was, its areas kept while the label's change. */
	if ((old_areas = strdup(l.areas)) == NULL) {
		rc = pki_error_errno(PKI_EINTERNAL, "relabel");
		goto out;
	}
	pki_product_of_label(&l, &before);
	before.areas = old_areas;
	if ((rc = pki_policy_may_reclassify(&st->delegations, &st->matrix, st->actor, &before,
					    r->authority, s->now, &granted)) < 0 ||
	    (rc = set_areas(r, &l, &why)) < 0 || (rc = set_safety(r, &l, &why)) < 0 ||
	    (rc = pki_ir_cited(t, r->ir, r->nir)) < 0 ||
	    (rc = add_irs(r, &l, &why)) < 0)
		goto out;
	if (why.len == 0) {
		rc = pki_error(PKI_EUSAGE, "%s already has %s", l.id,
			       r->areas != NULL ? "these areas" :
			       r->safety ? "the safety flag" : "these IR references");
		goto out;
	}
	pki_product_of_label(&l, &after);
	for (i = 0; i < l.nrecipients && rc == 0; i++)
		rc = pki_names_add(&was, l.recipients[i]);
	if (rc < 0 ||
	    (rc = pki_policy_relabel_keeps(&st->matrix, &before, &after, l.recipients,
					   l.nrecipients, s->now)) < 0 ||
	    (rc = pki_policy_relabeled_list(&st->matrix, &before, &after, l.recipients,
					    l.nrecipients, s->now, &list)) < 0)
		goto out;
	/* The rows first: was and list borrow the label's names, which a
	 * re-encryption replaces.  A new reader needs a new ciphertext;
	 * otherwise the label alone changes. */
	if ((rc = stage_rows(s, t, st, &l, &was, &list, granted, why.ptr)) < 0)
		goto out;
	if (pki_names_equal(&was, &list))
		rc = pki_product_put_label(t, &l);
	else
		rc = pki_product_reencrypt(t, s->gpg, &st->matrix, &l, &list);
	pki_names_release(&list);
	pki_names_release(&was);
	if (rc < 0 ||
	    (rc = pki_msg_label_change(msg, s->prog, PKI_ACTION_RELABEL, l.id, l.level,
				       granted, st->actor->name)) < 0)
		goto out;
	if (r->areas != NULL)
		rc = pki_policy_unheld_areas(&st->matrix, l.areas, &s->now, &r->unheld);
out:
	pki_buf_release(&why);
	pki_names_release(&list);
	pki_names_release(&was);
	free(old_areas);
	pki_label_release(&l);
	return rc;
}

int pki_relabel_run(struct pki_session *s, struct pki_relabel *r)
{
	return pki_session_change(s, build, r);
}
