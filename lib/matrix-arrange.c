/* matrix-arrange.c: pki-matrix arrange and unarrange (pki-matrix(1)). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "error.h"
#include "matrix-arrange.h"
#include "policy.h"
#include "session.h"

#define TABLE_MAX (16 * 1024 * 1024)

int pki_arrangement_new_id(char out[PKI_ARRANGEMENT_ID_LEN])
{
	unsigned char r[5];
	size_t i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return pki_error_errno(PKI_EINTERNAL, "getrandom");
	memcpy(out, "ARR-", 4);
	for (i = 0; i < sizeof(r); i++)
		snprintf(out + 4 + 2 * i, 3, "%02x", r[i]);
	return 0;
}

int pki_arrangements_load(struct pki_txn *t, struct pki_arrangements *out, bool *present)
{
	struct pki_buf b = PKI_BUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	*present = false;
	rc = pki_txn_read(t, PKI_ARRANGEMENTS_FILE, TABLE_MAX, &b);
	if (rc == -PKI_ENOINPUT) {
		pki_error_clear();
		rc = 0;
	} else if (rc == 0) {
		*present = true;
		rc = pki_arrangements_parse(out, b.ptr, b.len);
	}
	pki_buf_release(&b);
	return rc;
}

static int store(struct pki_txn *t, const struct pki_arrangements *a)
{
	struct pki_buf out = PKI_BUF_INIT;
	int rc;

	if ((rc = pki_arrangements_format(a, &out)) == 0)
		rc = pki_txn_put(t, PKI_ARRANGEMENTS_FILE, out.ptr, out.len);
	pki_buf_release(&out);
	return rc;
}

static int message(struct pki_buf *msg, struct pki_session *s, const char *action,
		   const struct pki_arrangement *x, const struct pki_state *st)
{
	char trailer[32];
	int rc;

	snprintf(trailer, sizeof(trailer), "matrix-%s", action);
	if ((rc = pki_msg_subject(msg, s->prog, action, x->id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", trailer)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Arrangement", x->id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Kind", pki_arrangement_kind_name(x->kind))) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Partner", x->partner)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Reference", x->reference)) < 0)
		return rc;
	return pki_msg_trailer(msg, "Pki-Actor", st->actor->name);
}

/* --- arrange --- */

struct arrange {
	struct pki_arrangement x;
	char id[PKI_ARRANGEMENT_ID_LEN];
	char today[PKI_DATE_LEN];
};

static int build_arrange(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			 struct pki_buf *msg, void *arg)
{
	struct arrange *g = arg;
	struct pki_arrangements a = { 0 };
	bool present;
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_policy_may_arrange(st->actor)) < 0 ||
	    (rc = pki_arrangement_new_id(g->id)) < 0)
		return rc;
	g->x.id = g->id;
	if ((rc = pki_policy_arrangement_ok(&g->x, &st->matrix)) < 0 ||
	    (rc = pki_arrangements_load(t, &a, &present)) < 0 ||
	    (rc = pki_arrangements_add(&a, &g->x)) < 0 ||
	    (rc = store(t, &a)) < 0 ||
	    (rc = message(msg, s, "arrange", &g->x, st)) < 0)
		goto out;
out:
	pki_arrangements_release(&a);
	return rc;
}

int pki_matrix_change_arrange(struct pki_session *s, const struct pki_arrangement_req *r,
			      char id[PKI_ARRANGEMENT_ID_LEN])
{
	struct arrange g = { 0 };
	int rc;

	if (r->kind == NULL || r->partner == NULL)
		return pki_error(PKI_EUSAGE, "arrange takes KIND and PARTNER");
	if (r->reference == NULL)
		return pki_error(PKI_EUSAGE, "an arrangement needs --ref, the written instrument "
				 "(policy 11.4.3)");
	if ((rc = pki_arrangement_kind_parse(r->kind, &g.x.kind)) < 0 ||
	    (rc = pki_check_text("--ref", r->reference, 256)) < 0 ||
	    (r->until != NULL && (rc = pki_time_parse_until("--until", r->until, &g.x.until)) < 0) ||
	    (r->review != NULL &&
	     (rc = pki_time_parse_until("--review", r->review, &g.x.review)) < 0))
		return rc;
	if (*r->reference == '\0')
		return pki_error(PKI_EUSAGE, "--ref must name the written instrument");
	if (pki_check_principal("partner", r->partner) < 0 &&
	    pki_check_code("partner", r->partner) < 0)
		return pki_error(PKI_EUSAGE, "invalid partner '%.64s' (expected a principal's name "
				 "or an entity's code)", r->partner);
	pki_error_clear();
	g.x.partner = (char *)r->partner;
	g.x.reference = (char *)r->reference;
	pki_date_format(s->now, g.today);
	g.x.from = s->now - s->now % 86400;
	g.x.from_text = g.today;
	g.x.until_text = (char *)(r->until != NULL ? r->until : "");
	g.x.review_text = (char *)(r->review != NULL ? r->review : "");
	if (g.x.until != 0 && g.x.until <= s->now)
		return pki_error(PKI_EUSAGE, "--until must be in the future");
	if ((rc = pki_session_change(s, build_arrange, &g)) == 0)
		memcpy(id, g.id, sizeof(g.id));
	return rc;
}

/* --- unarrange --- */

static int build_unarrange(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			   struct pki_buf *msg, void *arg)
{
	const char *id = arg;
	struct pki_arrangements a = { 0 };
	struct pki_arrangement *x;
	bool present;
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_policy_may_arrange(st->actor)) < 0 ||
	    (rc = pki_arrangements_load(t, &a, &present)) < 0)
		goto out;
	if ((x = pki_arrangements_find(&a, id)) == NULL) {
		rc = pki_error(PKI_ENOINPUT, "no arrangement '%s' in %s", id, PKI_ARRANGEMENTS_FILE);
		goto out;
	}
	if (x->until != 0 && x->until <= s->now) {
		rc = pki_error(PKI_EDATA, "arrangement '%s' ended at %s: nothing to end", id,
			       x->until_text);
		goto out;
	}
	if (x->from >= s->now) {
		rc = pki_error(PKI_EDATA, "arrangement '%s' is valid from %s, not yet begun: "
			       "nothing to end", id, x->from_text);
		goto out;
	}
	if ((rc = pki_arrangement_end(x, s->now)) < 0 || (rc = store(t, &a)) < 0 ||
	    (rc = message(msg, s, "unarrange", x, st)) < 0)
		goto out;
out:
	pki_arrangements_release(&a);
	return rc;
}

int pki_matrix_change_unarrange(struct pki_session *s, const char *id)
{
	int rc;

	if ((rc = pki_check_text("arrangement", id, 64)) < 0)
		return rc;
	return pki_session_change(s, build_unarrange, (void *)id);
}
