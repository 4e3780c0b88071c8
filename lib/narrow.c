/* narrow.c: a principal's row narrowed (pki-matrix add on an existing
 * principal, pki-matrix(1)).
 *
 * A lower clearance, fewer areas or a validity ended now: in the same
 * commit every product the principal may no longer hold
 * (pki_policy_may_hold) is re-encrypted without its key, each with a
 * revoke row on the matrix's authority.  It keeps what it originated.
 */
#include <stdio.h>

#include "error.h"
#include "matrix-change.h"
#include "policy.h"
#include "product.h"
#include "registry.h"
#include "session.h"

struct narrowing {
	const struct pki_principal *p;	/* the new row */
	time_t at;
};

static bool no_longer(const struct pki_label *l, void *arg)
{
	const struct narrowing *n = arg;
	struct pki_product x;

	pki_product_of_label(l, &x);
	return pki_policy_may_hold(n->p, &x, n->at) < 0;
}

int pki_matrix_narrow(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		      const char *name, struct pki_buf *msg)
{
	struct narrowing n = { pki_matrix_find(&st->matrix, name), s->now };
	struct pki_row tmpl = { 0 };
	char count[24];
	size_t k;
	int rc;

	if (n.p == NULL)
		return pki_error(PKI_EINTERNAL, "no principal '%s' to narrow", name);
	tmpl.f[PKI_COL_ACTOR] = st->actor->name;
	tmpl.f[PKI_COL_AUTHORITY] = "matrix";
	tmpl.f[PKI_COL_JUSTIFICATION] = "what the principal may receive narrowed in the access matrix";
	if ((rc = pki_product_revoke_if(t, s->gpg, &st->matrix, name, no_longer, &n, &tmpl,
					s->now, &k)) < 0)
		return rc;
	snprintf(count, sizeof(count), "%zu", k);
	return k > 0 ? pki_msg_trailer(msg, "Pki-Revoked", count) : 0;
}
