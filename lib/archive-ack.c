/* archive-ack.c: the UN Archives' receipt of a transfer (pki-archive(1),
 * policy 11.5.1).
 *
 * Under the repository lock: judge the actor (an archives principal),
 * find the transfer of the half-year in the registry (its archive rows),
 * refuse one never made or already acknowledged, and stage one
 * archive-ack row per product of the transfer, its reference the
 * Archives' accession number; then the signed commit.  No product file
 * changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "error.h"
#include "policy.h"
#include "product.h"
#include "registry.h"
#include "repo.h"
#include "rows.h"
#include "session.h"

#define ACCESSION_MAX 256

struct ack_prod {
	char id[PKI_ID_MAX];
	char level[32];
};

struct ack_job {
	const struct pki_period *period;
	const char *ref;
	char id[64];		/* the transfer ID */
	char just[128];
	struct ack_prod *v;
	size_t n, cap;
	bool acked;
	struct pki_row *rows;
};

static struct ack_prod *find(const struct ack_job *j, const char *id)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		if (strcmp(j->v[i].id, id) == 0)
			return &j->v[i];
	return NULL;
}

/* Rows come in time order: a transfer made again (--force) after an
 * acknowledgement wants a new one. */
static int on_row(void *arg, const char *const *f)
{
	struct ack_job *j = arg;
	const char *action = f[PKI_COL_ACTION], *id = f[PKI_COL_PRODUCT];
	struct ack_prod *p;

	if (strcmp(action, "archive-ack") == 0 && find(j, id) != NULL) {
		j->acked = true;
		return 0;
	}
	if (strcmp(action, "archive") != 0 || strcmp(f[PKI_COL_REFERENCE], j->id) != 0)
		return 0;
	j->acked = false;
	if (find(j, id) != NULL)
		return 0;
	if (pki_check_product_id(id) < 0)
		return pki_error_wrap(PKI_EDATA, "registry");
	if ((p = pki_row_grow(j->v, j->n, &j->cap, sizeof(*p))) == NULL)
		return pki_error(PKI_EINTERNAL, "archive-ack: out of memory");
	j->v = p;
	snprintf(j->v[j->n].id, sizeof(j->v[j->n].id), "%s", id);
	snprintf(j->v[j->n].level, sizeof(j->v[j->n].level), "%s", f[PKI_COL_LEVEL]);
	j->n++;
	return 0;
}

static int transfer_id(struct ack_job *j, struct pki_repo *r)
{
	char p[PKI_PERIOD_LEN];
	char *mission = NULL;
	int rc;

	if ((rc = pki_repo_conf_get(r, "mission.code", &mission)) < 0)
		return rc;
	if (mission == NULL || pki_check_code("mission.code", mission) < 0)
		rc = pki_error(PKI_ECONFIG, "pki.conf: no valid mission.code");
	else {
		pki_period_format(j->period, p);
		snprintf(j->id, sizeof(j->id), "%s-%s", mission, p);
		snprintf(j->just, sizeof(j->just), "receipt of transfer %s (policy 11.5.1)", j->id);
	}
	free(mission);
	return rc;
}

static int build(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		 struct pki_buf *msg, void *arg)
{
	struct ack_job *j = arg;
	struct pki_registry_filter f = { NULL, NULL, 0, 0 };
	time_t until;
	char count[32];
	size_t i;
	int rc;

	j->n = 0;
	j->acked = false;
	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_policy_may_acknowledge(st->actor)) < 0 ||
	    (rc = transfer_id(j, s->repo)) < 0)
		return rc;
	/* A transfer's archive rows come after its half-year. */
	pki_period_bounds(j->period, &f.since, &until);
	if ((rc = pki_registry_scan(s->repo, &f, on_row, j)) < 0)
		return rc;
	if (j->n == 0)
		return pki_error(PKI_EDATA, "'%s' was never transferred to the archives: there "
				 "is no receipt to record (policy 11.5.1)", j->id);
	if (j->acked)
		return pki_error(PKI_EDATA, "the receipt of '%s' was recorded already", j->id);
	free(j->rows);
	if ((j->rows = calloc(j->n, sizeof(*j->rows))) == NULL)
		return pki_error(PKI_EINTERNAL, "archive-ack: out of memory");
	for (i = 0; i < j->n; i++) {
		j->rows[i].f[PKI_COL_ACTION] = "archive-ack";
		j->rows[i].f[PKI_COL_PRODUCT] = j->v[i].id;
		j->rows[i].f[PKI_COL_LEVEL] = j->v[i].level;
		j->rows[i].f[PKI_COL_ACTOR] = st->actor->name;
		j->rows[i].f[PKI_COL_JUSTIFICATION] = j->just;
		j->rows[i].f[PKI_COL_REFERENCE] = j->ref;
	}
	if ((rc = pki_registry_append(t, s->now, j->rows, j->n)) < 0)
		return rc;
	snprintf(count, sizeof(count), "%zu", j->n);
	if ((rc = pki_msg_subject(msg, s->prog, "acknowledge", j->id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", "archive-ack")) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Transfer", j->id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Accession", j->ref)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Records", count)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Actor", st->actor->name)) < 0)
		return rc;
	return 0;
}

int pki_archive_ack(struct pki_session *s, const struct pki_period *period, const char *ref)
{
	struct ack_job j;
	int rc;

	memset(&j, 0, sizeof(j));
	j.period = period;
	j.ref = ref;
	if (ref == NULL || *ref == '\0')
		return pki_error(PKI_EUSAGE, "--accession REF is required: the Archives' "
				 "accession number");
	if ((rc = pki_check_free_text("--accession", ref, ACCESSION_MAX)) < 0)
		return rc;
	rc = pki_session_change(s, build, &j);
	free(j.rows);
	free(j.v);
	return rc;
}
