/* ir.c: pki-ir(1) -- requirements added, reviewed and closed, each one
 * signed commit; the --ir check; coverage, from the labels alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ir.h"
#include "label.h"
#include "policy.h"
#include "product.h"
#include "repo.h"
#include "session.h"

#define DAY 86400

static int read_table(int rc, struct pki_buf *b, struct pki_requirements *out, bool *exists)
{
	if (exists != NULL)
		*exists = rc == 0;
	if (rc == -PKI_ENOINPUT) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	if (rc < 0)
		return rc;
	return pki_requirements_parse(out, b->ptr, b->len);
}

int pki_ir_load(struct pki_txn *t, struct pki_requirements *out, bool *exists)
{
	struct pki_buf b = PKI_BUF_INIT;
	int rc;

	rc = read_table(pki_txn_read(t, PKI_REQUIREMENTS_FILE, PKI_REQUIREMENTS_MAX, &b), &b,
			out, exists);
	pki_buf_release(&b);
	return rc;
}

int pki_ir_load_repo(struct pki_repo *r, struct pki_requirements *out, bool *exists)
{
	struct pki_buf b = PKI_BUF_INIT;
	int rc;

	rc = read_table(pki_repo_read(r, PKI_REQUIREMENTS_FILE, PKI_REQUIREMENTS_MAX, &b), &b,
			out, exists);
	pki_buf_release(&b);
	return rc;
}

int pki_ir_cited(struct pki_txn *t, char *const *ir, size_t n)
{
	struct pki_requirements reqs;
	int rc;

	if (n == 0)
		return 0;
	if ((rc = pki_ir_load(t, &reqs, NULL)) < 0)
		return rc;
	rc = pki_requirements_cite(&reqs, ir, n);
	pki_requirements_release(&reqs);
	return rc;
}

bool pki_ir_due(const struct pki_requirement *r, time_t at)
{
	return r->open && at >= r->review_due + DAY;
}

/* One year after t, the same day of the month (29 February: 1 March). */
static time_t a_year_on(time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	tm.tm_year++;
	return timegm(&tm);
}

static time_t day_of(time_t t)
{
	return t - t % DAY;
}

static int put_table(struct pki_txn *t, const struct pki_requirements *reqs)
{
	struct pki_buf out = PKI_BUF_INIT;
	int rc;

	if ((rc = pki_requirements_format(reqs, &out)) == 0)
		rc = pki_txn_put(t, PKI_REQUIREMENTS_FILE, out.ptr, out.len);
	pki_buf_release(&out);
	return rc;
}

/* --- add --- */

struct add {
	struct pki_filing f;	/* first: the build is handed &f */
	struct pki_ir_new *n;
	const char *mission;
};

static int build_add(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		     struct pki_buf *msg, void *arg)
{
	struct add *a = arg;
	struct pki_ir_new *n = a->n;
	struct pki_requirements reqs = { 0 };
	struct pki_requirement x = { 0 };
	const char *granted;
	char id[PKI_IR_ID_MAX];
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_policy_may_direct(&st->delegations, &st->matrix, st->actor, s->now,
					&granted)) < 0 ||
	    (rc = pki_policy_may_classify(st->actor, n->level)) < 0 ||
	    (rc = pki_policy_criterion(n->level, n->criterion)) < 0 ||
	    (rc = pki_ir_load(t, &reqs, NULL)) < 0 ||
	    (rc = pki_requirements_parent(&reqs, n->kind, n->parent, true)) < 0 ||
	    (rc = pki_requirements_next_id(&reqs, a->mission, id)) < 0 ||
	    (rc = pki_filing_build(s, t, st, msg, &a->f)) < 0)
		goto out;
	x.ir = id;
	x.kind = n->kind;
	x.parent = (char *)n->parent;
	x.priority = n->priority;
	x.owner = (char *)n->owner;
	x.open = true;
	x.created = day_of(s->now);
	x.deadline = n->deadline != 0 ? day_of(n->deadline) : 0;
	x.review_due = n->review != 0 ? day_of(n->review) : a_year_on(x.created);
	x.product = a->f.id;
	if ((rc = pki_requirements_add(&reqs, &x)) < 0 ||
	    (rc = put_table(t, &reqs)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Requirement", id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Authority", granted)) < 0)
		goto out;
	memcpy(n->id, id, sizeof(id));
	snprintf(n->product, sizeof(n->product), "%s", a->f.id);
out:
	pki_requirements_release(&reqs);
	return rc;
}

int pki_ir_add(struct pki_session *s, struct pki_ir_new *n)
{
	struct add a = { .n = n };
	char why[64], *mission = NULL;
	int rc;

	if (n->parent == NULL)
		n->parent = "";
	if ((rc = pki_check_principal("--owner", n->owner)) < 0 ||
	    (n->parent[0] != '\0' && (rc = pki_check_ir_id("--parent", n->parent)) < 0))
		return rc;
	if (n->priority < 1 || n->priority > 3)
		return pki_error(PKI_EUSAGE, "-p is 1, 2 or 3");
	if (n->review != 0 && day_of(n->review) <= s->now)
		return pki_error(PKI_EUSAGE, "the review date is not in the future");
	if ((rc = pki_repo_conf_get(s->repo, "mission.code", &mission)) < 0)
		return rc;
	if (mission == NULL || pki_check_code("mission.code", mission) < 0) {
		free(mission);
		return pki_error(PKI_ECONFIG, "%s: no valid mission.code", PKI_CONF_FILE);
	}
	a.mission = mission;
	a.f.label.level = n->level;
	a.f.label.criterion = n->criterion;
	a.f.label.areas = (char *)"";
	a.f.label.kind = PKI_KIND_IR;
	a.f.owner = n->owner;
	a.f.action = PKI_ACTION_CLASSIFY;
	a.f.authority = "originator";
	if (n->criterion != 0) {
		snprintf(why, sizeof(why), "ST/SGB/2007/6 1.2(%c) %s", n->criterion,
			 pki_criterion_name(n->criterion));
		a.f.justification = why;
	}
	rc = pki_filing_run(s, &a.f, NULL, NULL, n->file, build_add);
	free(mission);
	return rc;
}

/* --- review, close --- */

struct edit {
	const char *ir;
	time_t next;		/* review */
	const char *reason;	/* close; NULL: a review */
};

static int build_edit(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		      struct pki_buf *msg, void *arg)
{
	const struct edit *e = arg;
	struct pki_requirements reqs = { 0 };
	struct pki_requirement *x;
	const char *granted, *action = e->reason != NULL ? "ir-close" : "ir-review";
	char date[PKI_DATE_LEN];
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_policy_may_direct(&st->delegations, &st->matrix, st->actor, s->now,
					&granted)) < 0 ||
	    (rc = pki_ir_load(t, &reqs, NULL)) < 0)
		goto out;
	if ((x = pki_requirements_find(&reqs, e->ir)) == NULL) {
		rc = pki_error(PKI_ENOINPUT, "no requirement '%s' in %s", e->ir,
			       PKI_REQUIREMENTS_FILE);
		goto out;
	}
	if (!x->open) {
		rc = pki_error(PKI_EDATA, "requirement '%s' is closed", e->ir);
		goto out;
	}
	if (e->reason != NULL)
		x->open = false;
	else
		x->review_due = e->next != 0 ? day_of(e->next) : a_year_on(day_of(s->now));
	pki_date_format(x->review_due, date);
	if ((rc = put_table(t, &reqs)) < 0 ||
	    (rc = pki_msg_subject(msg, s->prog, e->reason != NULL ? "close" : "review",
				  e->ir)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", action)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Requirement", e->ir)) < 0 ||
	    (e->reason == NULL && (rc = pki_msg_trailer(msg, "Pki-Review-Due", date)) < 0) ||
	    (e->reason != NULL && (rc = pki_msg_trailer(msg, "Pki-Reason", e->reason)) < 0) ||
	    (rc = pki_msg_trailer(msg, "Pki-Authority", granted)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Actor", st->actor->name)) < 0)
		goto out;
out:
	pki_requirements_release(&reqs);
	return rc;
}

int pki_ir_review(struct pki_session *s, const char *ir, time_t next)
{
	struct edit e = { ir, next, NULL };
	int rc;

	if ((rc = pki_check_ir_id("requirement", ir)) < 0)
		return rc;
	if (next != 0 && day_of(next) <= s->now)
		return pki_error(PKI_EUSAGE, "the next review date is not in the future");
	return pki_session_change(s, build_edit, &e);
}

int pki_ir_close(struct pki_session *s, const char *ir, const char *reason)
{
	struct edit e = { ir, 0, reason };
	int rc;

	if ((rc = pki_check_ir_id("requirement", ir)) < 0 ||
	    (rc = pki_check_text("--reason", reason, 256)) < 0)
		return rc;
	if (reason[0] == '\0')
		return pki_error(PKI_EUSAGE, "--reason is empty");
	return pki_session_change(s, build_edit, &e);
}
