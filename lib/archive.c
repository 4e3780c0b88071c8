/* archive.c: transfers to the UN Archives (pki-archive(1), policy 11.5.1, 12.6.9).
 *
 * Under the repository lock: judge the actor, choose what to transfer
 * from the registry, build the bag beside its final name, re-encrypt what
 * the archives cannot read, and stage one archive row per record; then
 * the signed commit; then, and only then, the bag is renamed into place.
 * A refusal or a failure anywhere before the commit leaves neither a
 * commit nor a bag.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "paths.h"
#include "policy.h"
#include "registry.h"
#include "repo.h"
#include "session.h"
#include "transfer.h"

/* pki_session_change hands a positive build result back untouched:
 * --due found nothing to transfer, and nothing is committed. */
#define NOTHING_DUE 1

#define MISSION_NAME_MAX 256

static int read_mission(struct pki_xfer_job *j, struct pki_repo *r)
{
	int rc;

	if ((rc = pki_repo_conf_get(r, "mission.code", &j->mission)) < 0)
		return rc;
	if (j->mission == NULL || pki_check_code("mission.code", j->mission) < 0)
		return pki_error(PKI_ECONFIG, "pki.conf: no valid mission.code");
	if ((rc = pki_repo_conf_get(r, "mission.name", &j->mission_name)) < 0)
		return rc;
	/* A name the bag and the transfer list cannot carry is left out. */
	if (j->mission_name != NULL &&
	    (j->mission_name[0] == '\0' ||
	     pki_check_text("mission.name", j->mission_name, MISSION_NAME_MAX) < 0)) {
		free(j->mission_name);
		j->mission_name = NULL;
	}
	pki_error_clear();
	return 0;
}

/* The valid archives principals: there must be one (policy 11.5.1), and
 * each is one the records may go to. */
static int find_archives(struct pki_xfer_job *j, struct pki_txn *t, const struct pki_state *st,
			 time_t now)
{
	const struct pki_principal *p;
	struct pki_buf names = PKI_BUF_INIT;
	char keypath[PKI_KEY_PATH_MAX];
	size_t i;
	int rc = 0;

	for (i = 0; i < st->matrix.n && rc == 0; i++) {
		p = &st->matrix.v[i];
		if (p->role != PKI_ROLE_ARCHIVES || !pki_principal_valid(p, now))
			continue;
		pki_key_path(p->fpr, keypath);
		if ((rc = pki_policy_archives_recipient(p, p->name, pki_txn_exists(t, keypath),
							now)) == 0)
			rc = pki_names_add(&j->archives, p->name);
	}
	if (rc == 0 && j->archives.n == 0)
		rc = pki_error(PKI_ECONFIG, "no valid archives principal in the access matrix: "
			       "add the UN Archives with pki-matrix add --role archives");
	if (rc == 0 && (rc = pki_names_join(&j->archives, &names)) == 0 &&
	    names.len >= sizeof(j->archives_list))
		rc = pki_error(PKI_ECONFIG, "too many archives principals");
	if (rc == 0)
		memcpy(j->archives_list, names.ptr, names.len + 1);
	pki_buf_release(&names);
	return rc;
}

static void period_id(struct pki_xfer_job *j)
{
	char p[PKI_PERIOD_LEN];

	pki_period_format(&j->period, p);
	snprintf(j->id, sizeof(j->id), "%s-%s", j->mission, p);
	pki_period_bounds(&j->period, &j->from, &j->until);
}

static int already(const struct pki_xfer_job *j)
{
	return pki_error(PKI_EPOLICY, "'%s' was transferred to the archives already: a "
			 "transfer is made once (policy 11.5.1; --force makes it again)", j->id);
}

static int nothing(const struct pki_xfer_job *j)
{
	return pki_error(PKI_ENOINPUT, "no product was classified or received %s: nothing "
			 "to transfer as '%s'", j->o->mode == PKI_ARCHIVE_FINAL ?
			 "in the mission" : "in the period", j->id);
}

static int choose_period(struct pki_xfer_job *j, struct pki_repo *r, time_t now)
{
	char p[PKI_PERIOD_LEN];
	int rc;

	j->period = j->o->period;
	period_id(j);
	if (j->until > now) {
		pki_period_format(&j->period, p);
		return pki_error(PKI_EPOLICY, "the half-year %s is not over: a transfer takes "
				 "a whole half-year (policy 11.5.1)", p);
	}
	pki_xscan_reset(&j->scan, j->from, j->until);
	if ((rc = pki_xscan_run(&j->scan, r, j->from, 0)) < 0)
		return rc;
	if (pki_xscan_transferred(&j->scan, j->id) && !j->o->force)
		return already(j);
	return j->scan.n > 0 ? 0 : nothing(j);
}

static int choose_final(struct pki_xfer_job *j, struct pki_repo *r, time_t now)
{
	char date[PKI_DATE_LEN];
	int rc;

	pki_date_format(now, date);
	snprintf(j->id, sizeof(j->id), "%s-FINAL-%.4s%.2s%.2s", j->mission, date, date + 5,
		 date + 8);
	if ((rc = pki_xscan_first_month(r, &j->from)) < 0)
		return rc;
	j->until = now + 1;
	if (j->from == 0 || j->from > now)
		j->from = now;
	pki_xscan_reset(&j->scan, 0, j->until);
	if ((rc = pki_xscan_run(&j->scan, r, 0, 0)) < 0)
		return rc;
	if (pki_xscan_transferred(&j->scan, j->id) && !j->o->force)
		return already(j);
	return j->scan.n > 0 ? 0 : nothing(j);
}

/*
 * The latest complete half-year not transferred, walking back from the
 * last complete one: a half-year with no product in it is passed over,
 * and the walk stops at the first one transferred (a gap before it is
 * for --period, and pki-audit reports it) or before the first shard.
 * Each step reads the shards of one more half-year: the archive rows of
 * a transfer come after its half-year, so those of every later step are
 * already seen.
 */
static int choose_due(struct pki_xfer_job *j, struct pki_repo *r, time_t now)
{
	time_t first, window_until = 0;
	int rc;

	if ((rc = pki_xscan_first_month(r, &first)) < 0)
		return rc;
	if (first == 0)
		return NOTHING_DUE;
	for (pki_period_last_complete(now, &j->period);; pki_period_prev(&j->period)) {
		period_id(j);
		if (j->until <= first)
			return NOTHING_DUE;
		pki_xscan_reset(&j->scan, j->from, j->until);
		if ((rc = pki_xscan_run(&j->scan, r, j->from, window_until)) < 0)
			return rc;
		if (pki_xscan_transferred(&j->scan, j->id))
			return NOTHING_DUE;
		if (j->scan.n > 0)
			return 0;
		window_until = j->from;
	}
}

/* One archive row per record and archives principal. */
static int archive_rows(struct pki_xfer_job *j, const struct pki_state *st)
{
	const char *authority = st->actor->role == PKI_ROLE_HOM ? "hom" : "custodian";
	struct pki_row *row;
	size_t i, k;

	for (i = 0; i < j->scan.n; i++)
		for (k = 0; k < j->archives.n; k++) {
			if ((row = pki_xfer_job_row(j)) == NULL)
				return pki_error(PKI_EINTERNAL, "archive: out of memory");
			row->f[PKI_COL_ACTION] = "archive";
			row->f[PKI_COL_PRODUCT] = j->scan.v[i].id;
			row->f[PKI_COL_LEVEL] = pki_level_name(j->scan.v[i].level);
			row->f[PKI_COL_ACTOR] = st->actor->name;
			row->f[PKI_COL_RECIPIENT] = j->archives.v[k];
			row->f[PKI_COL_AUTHORITY] = authority;
			row->f[PKI_COL_JUSTIFICATION] = "transfer to the UN Archives (policy 11.5.1)";
			row->f[PKI_COL_REFERENCE] = j->id;
		}
	return 0;
}

static int message(struct pki_xfer_job *j, struct pki_session *s, const struct pki_state *st,
		   struct pki_buf *msg)
{
	char period[PKI_PERIOD_LEN], count[32], reenc[32];
	int rc;

	if (j->o->mode == PKI_ARCHIVE_FINAL)
		snprintf(period, sizeof(period), "final");
	else
		pki_period_format(&j->period, period);
	snprintf(count, sizeof(count), "%zu", j->scan.n);
	snprintf(reenc, sizeof(reenc), "%zu", j->reencrypted);
	if ((rc = pki_msg_subject(msg, s->prog, "transfer", j->id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", "archive")) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Transfer", j->id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Period", period)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Records", count)) < 0 ||
	    (j->reencrypted > 0 && (rc = pki_msg_trailer(msg, "Pki-Reencrypted", reenc)) < 0) ||
	    (rc = pki_msg_trailer(msg, "Pki-Recipient", j->archives_list)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Payload-Oxum", j->oxum)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Manifest-Sha256", j->manifest)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Actor", st->actor->name)) < 0)
		return rc;
	return 0;
}

/* A try from the start: what an earlier try left is dropped. */
static void job_reset(struct pki_xfer_job *j)
{
	pki_bag_free(j->bag);
	j->bag = NULL;
	pki_xscan_release(&j->scan);
	pki_names_release(&j->archives);
	j->archives_list[0] = '\0';
	j->nrows = 0;
	j->reencrypted = 0;
}

static int choose(struct pki_xfer_job *j, struct pki_session *s)
{
	switch (j->o->mode) {
	case PKI_ARCHIVE_PERIOD:
		return choose_period(j, s->repo, s->now);
	case PKI_ARCHIVE_FINAL:
		return choose_final(j, s->repo, s->now);
	case PKI_ARCHIVE_DUE:
		return choose_due(j, s->repo, s->now);
	}
	return pki_error(PKI_EINTERNAL, "archive: unknown mode");
}

static int build(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		 struct pki_buf *msg, void *arg)
{
	struct pki_xfer_job *j = arg;
	int rc;

	job_reset(j);
	/* The registry is read at the tip, which under the lock is the
	 * transaction's starting point. */
	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_policy_may_archive(st->actor)) < 0 ||
	    (rc = find_archives(j, t, st, s->now)) < 0 ||
	    (rc = choose(j, s)) != 0)
		return rc;
	pki_xscan_sort(&j->scan);
	if ((rc = pki_bag_create(&j->bag, j->o->outdir, j->id)) < 0 ||
	    (rc = pki_xfer_fill(j, s, t, st)) < 0 ||
	    (rc = archive_rows(j, st)) < 0 ||
	    (rc = pki_registry_append(t, s->now, j->rows, j->nrows)) < 0)
		return rc;
	return message(j, s, st, msg);
}

int pki_archive_run(struct pki_session *s, const struct pki_archive_opts *o, char **path)
{
	struct pki_xfer_job j;
	int rc;

	*path = NULL;
	memset(&j, 0, sizeof(j));
	j.o = o;
	if ((rc = read_mission(&j, s->repo)) < 0)
		goto out;
	rc = pki_session_change(s, build, &j);
	if (rc == NOTHING_DUE) {
		rc = 0;
		goto out;
	}
	if (rc < 0)
		goto out;
	/* Recorded: from here on the bag stays, even if it cannot be renamed. */
	if ((rc = pki_bag_publish(j.bag)) < 0)
		goto out;
	if ((*path = strdup(pki_bag_path(j.bag))) == NULL)
		rc = pki_error_errno(PKI_EINTERNAL, "archive");
out:
	job_reset(&j);
	free(j.rows);
	free(j.mission);
	free(j.mission_name);
	return rc;
}
