/* succession.c: pki-matrix succeed, a successor in function (pki-matrix(1),
 * policy 19, 12.10).
 *
 * Two passes over the labels: the first finds every product whose list
 * holds the predecessor and judges the succession before anything is
 * staged (the successor's clearance, the actor's place on each list);
 * the second re-encrypts each of them once, streaming, to its list with
 * the successor added and, unless kept, the predecessor taken off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "policy.h"
#include "product.h"
#include "registry.h"
#include "session.h"
#include "succession.h"

/* A product the successor inherits, or the predecessor leaves. */
struct inherit {
	char *id;
	enum pki_level level;
	bool had_new;		/* the successor was on its list already */
};

struct succession {
	const struct pki_succession_req *req;
	char id[PKI_DELEGATION_ID_LEN];
	char today[PKI_DATE_LEN];
	char why[160];			/* the rows' justification */
	/* One try of build (it may run twice). */
	struct pki_session *s;
	struct pki_txn *t;
	struct pki_state *st;
	const struct pki_principal *nw;
	struct inherit *v;
	size_t n, cap;
	size_t above, shared, revoked;
	char locked[PKI_ID_MAX];	/* the first product the actor is not on */
};

static void forget(struct succession *u)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		free(u->v[i].id);
	free(u->v);
	u->v = NULL;
	u->n = u->cap = u->above = u->shared = u->revoked = 0;
	u->locked[0] = '\0';
}

static int remember(struct succession *u, const struct pki_label *l, bool had_new)
{
	struct inherit *grown;

	if (u->n == u->cap) {
		size_t cap = u->cap ? 2 * u->cap : 16;

		if ((grown = reallocarray(u->v, cap, sizeof(*grown))) == NULL)
			return pki_error(PKI_EINTERNAL, "succession: out of memory");
		u->v = grown;
		u->cap = cap;
	}
	if ((u->v[u->n].id = strdup(l->id)) == NULL)
		return pki_error(PKI_EINTERNAL, "succession: out of memory");
	u->v[u->n].level = l->level;
	u->v[u->n++].had_new = had_new;
	return 0;
}

/* First pass: does the product change hands, and may it? */
static int look(void *arg, const char *id)
{
	struct succession *u = arg;
	struct pki_label l;
	bool old_on = false, new_on = false, actor_on = false;
	size_t i;
	int rc;

	if ((rc = pki_product_label(u->t, id, &l)) < 0)
		return rc;
	/* A material disposed of has no ciphertext left to hand over. */
	for (i = 0; i < l.nrecipients && l.disposed == 0; i++) {
		old_on |= strcmp(l.recipients[i], u->req->old) == 0;
		new_on |= strcmp(l.recipients[i], u->req->nw) == 0;
		actor_on |= strcmp(l.recipients[i], u->st->actor->name) == 0;
	}
	if (old_on && (!new_on || !u->req->keep)) {
		if (!new_on && l.level > u->nw->clearance)
			u->above++;
		if (!actor_on && u->locked[0] == '\0')
			snprintf(u->locked, sizeof(u->locked), "%s", l.id);
		rc = remember(u, &l, new_on);
	}
	pki_label_release(&l);
	return rc;
}

/* Second pass: one product re-encrypted to its new list. */
static int hand_over(struct succession *u, const struct inherit *x)
{
	struct pki_label l;
	struct pki_names list = { 0 };
	size_t i;
	int rc;

	if ((rc = pki_product_label(u->t, x->id, &l)) < 0)
		return rc;
	for (i = 0; i < l.nrecipients && rc == 0; i++)
		if (u->req->keep || strcmp(l.recipients[i], u->req->old) != 0)
			rc = pki_names_add(&list, l.recipients[i]);
	if (rc == 0 && !x->had_new)
		rc = pki_names_add(&list, u->nw->name);
	if (rc == 0)
		rc = pki_product_reencrypt(u->t, u->s->gpg, &u->st->matrix, &l, &list);
	pki_names_release(&list);
	pki_label_release(&l);
	return rc;
}

/* A share row for each product the successor joined, a revoke row for
 * each the predecessor left. */
static int append_rows(struct succession *u)
{
	struct pki_row tmpl = { 0 }, *rows;
	size_t i, n = 0;
	int rc;

	if (u->n == 0)
		return 0;
	if ((rows = calloc(2 * u->n, sizeof(*rows))) == NULL)
		return pki_error(PKI_EINTERNAL, "succession: out of memory");
	tmpl.f[PKI_COL_ACTOR] = u->st->actor->name;
	tmpl.f[PKI_COL_AUTHORITY] = "successor";
	tmpl.f[PKI_COL_JUSTIFICATION] = u->why;
	tmpl.f[PKI_COL_REFERENCE] = u->req->reference;
	for (i = 0; i < u->n; i++) {
		const struct inherit *x = &u->v[i];

		if (!x->had_new) {
			rows[n] = tmpl;
			rows[n].f[PKI_COL_ACTION] = pki_action_name(PKI_ACTION_SHARE);
			rows[n].f[PKI_COL_PRODUCT] = x->id;
			rows[n].f[PKI_COL_LEVEL] = pki_level_name(x->level);
			rows[n++].f[PKI_COL_RECIPIENT] = u->nw->name;
			u->shared++;
		}
		if (!u->req->keep) {
			rows[n] = tmpl;
			rows[n].f[PKI_COL_ACTION] = pki_action_name(PKI_ACTION_REVOKE);
			rows[n].f[PKI_COL_PRODUCT] = x->id;
			rows[n].f[PKI_COL_LEVEL] = pki_level_name(x->level);
			rows[n++].f[PKI_COL_RECIPIENT] = u->req->old;
			u->revoked++;
		}
	}
	rc = n > 0 ? pki_registry_append(u->t, u->s->now, rows, n) : 0;
	free(rows);
	return rc;
}

/* The predecessor's row ends now, unless kept; the keepers stay. */
static int end_old(struct succession *u, struct pki_principal *old)
{
	struct pki_matrix before = { 0 };
	struct pki_buf out = PKI_BUF_INIT;
	size_t i;
	int rc = 0;

	if (u->req->keep)
		return 0;
	for (i = 0; i < u->st->matrix.n && rc == 0; i++)
		rc = pki_matrix_put(&before, &u->st->matrix.v[i]);
	if (rc < 0 || (rc = pki_principal_end(old, u->s->now)) < 0 ||
	    (rc = pki_policy_keepers(&before, &u->st->matrix, u->s->now)) < 0 ||
	    (rc = pki_matrix_format(&u->st->matrix, &out)) < 0 ||
	    (rc = pki_txn_put(u->t, PKI_MATRIX_FILE, out.ptr, out.len)) < 0)
		goto out;
out:
	pki_buf_release(&out);
	pki_matrix_release(&before);
	return rc;
}

/* The successor delegation, predecessor to successor, scope "*". */
static int record(struct succession *u)
{
	struct pki_delegation x = { 0 };
	struct pki_buf out = PKI_BUF_INIT;
	int rc;

	if ((rc = pki_delegation_new_id(u->id)) < 0)
		return rc;
	x.id = u->id;
	x.grantor = (char *)u->req->old;
	x.grantee = (char *)u->req->nw;
	x.power = PKI_POWER_SUCCESSOR;
	x.scope = (char *)"*";
	x.from = u->s->now - u->s->now % 86400;
	x.from_text = u->today;
	x.until_text = (char *)"";
	x.reference = (char *)u->req->reference;
	if ((rc = pki_policy_delegation_ok(&x, &u->st->matrix, u->s->now)) < 0 ||
	    (rc = pki_delegations_add(&u->st->delegations, &x)) < 0 ||
	    (rc = pki_delegations_format(&u->st->delegations, &out)) < 0 ||
	    (rc = pki_txn_put(u->t, PKI_DELEGATIONS_FILE, out.ptr, out.len)) < 0)
		goto out;
out:
	pki_buf_release(&out);
	return rc;
}

static int message(struct succession *u, struct pki_buf *msg)
{
	char shared[24], revoked[24];
	int rc;

	snprintf(shared, sizeof(shared), "%zu", u->shared);
	snprintf(revoked, sizeof(revoked), "%zu", u->revoked);
	if ((rc = pki_msg_subject(msg, u->s->prog, "succeed", u->req->old)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", "matrix-succeed")) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Principal", u->req->old)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Successor", u->req->nw)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Delegation", u->id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Reference", u->req->reference)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Actor", u->st->actor->name)) < 0 ||
	    (u->shared > 0 && (rc = pki_msg_trailer(msg, "Pki-Shared", shared)) < 0) ||
	    (u->revoked > 0 && (rc = pki_msg_trailer(msg, "Pki-Revoked", revoked)) < 0))
		return rc;
	return 0;
}

static int build(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		 struct pki_buf *msg, void *arg)
{
	struct succession *u = arg;
	struct pki_principal *old;
	size_t i;
	int rc;

	forget(u);
	u->s = s, u->t = t, u->st = st;
	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_policy_may_change_matrix(st->actor)) < 0)
		return rc;
	if ((old = pki_matrix_find(&st->matrix, u->req->old)) == NULL)
		return pki_error(PKI_ENOINPUT, "no principal '%s' in the access matrix", u->req->old);
	u->nw = pki_matrix_find(&st->matrix, u->req->nw);
	if ((rc = pki_policy_may_succeed(st->actor, u->req->nw, u->nw, s->now)) < 0)
		return rc;
	/* Judged whole before anything is staged. */
	if ((rc = pki_product_each(t, look, u)) < 0 ||
	    (rc = pki_policy_succession_clearance(u->nw, u->above)) < 0)
		goto out;
	if (u->locked[0] != '\0') {
		rc = pki_error(PKI_EUNAVAIL, "'%s' is not on the distribution list of %s and "
			       "cannot re-encrypt it", st->actor->name, u->locked);
		goto out;
	}
	/* The tables first: the keeper rule refuses before any re-encryption. */
	if ((rc = end_old(u, old)) < 0 || (rc = record(u)) < 0)
		goto out;
	for (i = 0; i < u->n && rc == 0; i++)
		if ((rc = hand_over(u, &u->v[i])) == 0)
			pki_progress_report(s->progress, "Re-encrypting products", i + 1, u->n);
	if (rc < 0 || (rc = append_rows(u)) < 0 || (rc = message(u, msg)) < 0)
		goto out;
out:
	forget(u);
	return rc;
}

int pki_succession_make(struct pki_session *s, const struct pki_succession_req *r,
			char id[PKI_DELEGATION_ID_LEN])
{
	struct succession u = { 0 };
	int rc;

	if ((rc = pki_check_principal("predecessor", r->old)) < 0 ||
	    (rc = pki_check_principal("successor", r->nw)) < 0)
		return rc;
	if (strcmp(r->old, r->nw) == 0)
		return pki_error(PKI_EUSAGE, "'%s' cannot succeed itself", r->old);
	if (r->reference == NULL || *r->reference == '\0')
		return pki_error(PKI_EUSAGE, "a succession needs --ref, the written instrument "
				 "(policy 19)");
	if ((rc = pki_check_free_text("--ref", r->reference, 256)) < 0)
		return rc;
	u.req = r;
	pki_date_format(s->now, u.today);
	snprintf(u.why, sizeof(u.why), "successor in function of '%s'", r->old);
	if ((rc = pki_session_change(s, build, &u)) == 0)
		memcpy(id, u.id, sizeof(u.id));
	return rc;
}
