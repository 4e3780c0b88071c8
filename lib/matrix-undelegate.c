/* matrix-undelegate.c: pki-matrix undelegate (pki-matrix(1)). */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "matrix-undelegate.h"
#include "policy.h"
#include "rows.h"
#include "session.h"

struct undelegate {
	const char *id, *reference;
};

static int build_undelegate(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			    struct pki_buf *msg, void *arg)
{
	const struct undelegate *u = arg;
	struct pki_delegation *x, ended;
	struct pki_buf out = PKI_BUF_INIT;
	char when[PKI_TIME_LEN];
	char *text = NULL;
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0)
		return rc;
	if ((x = pki_delegations_find(&st->delegations, u->id)) == NULL)
		return pki_error(PKI_ENOINPUT, "no delegation '%s' in %s", u->id,
				 PKI_DELEGATIONS_FILE);
	if (x->until != 0 && x->until <= s->now)
		return pki_error(PKI_EDATA, "delegation '%s' ended at %s: nothing to withdraw",
				 u->id, x->until_text);
	if (x->from >= s->now)
		return pki_error(PKI_EDATA, "delegation '%s' is valid from %s, not yet begun: "
				 "nothing to withdraw", u->id, x->from_text);
	pki_time_format(s->now, when);
	ended = *x;
	ended.until = s->now;
	ended.until_text = when;
	if ((rc = pki_policy_may_withdraw(st->actor, x, &ended, s->now)) < 0 ||
	    (rc = pki_row_strdup(&text, when)) < 0)
		return rc;
	free(x->until_text);
	x->until_text = text;
	x->until = s->now;
	if ((rc = pki_delegations_format(&st->delegations, &out)) < 0 ||
	    (rc = pki_txn_put(t, PKI_DELEGATIONS_FILE, out.ptr, out.len)) < 0 ||
	    (rc = pki_msg_subject(msg, s->prog, "undelegate", u->id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", "matrix-undelegate")) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Delegation", u->id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Grantee", x->grantee)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Reference", u->reference)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Actor", st->actor->name)) < 0)
		goto out;
out:
	pki_buf_release(&out);
	return rc;
}

int pki_matrix_change_undelegate(struct pki_session *s, const char *id, const char *reference)
{
	struct undelegate u = { id, reference };
	int rc;

	if (reference == NULL)
		return pki_error(PKI_EUSAGE, "a withdrawal needs --ref, the written instrument "
				 "(policy 9.8)");
	if ((rc = pki_check_free_text("--ref", reference, 256)) < 0 ||
	    (rc = pki_check_text("delegation", id, 64)) < 0)
		return rc;
	if (*reference == '\0')
		return pki_error(PKI_EUSAGE, "--ref must name the written instrument");
	return pki_session_change(s, build_undelegate, &u);
}
