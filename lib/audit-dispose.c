/* audit-dispose.c: a material's disposal (audit checks 3 and 5; policy
 * 11.5.1, 12.6.9).
 *
 * A dispose row is judged by pki_policy_dispose, the rule pki-archive
 * --dispose ran, with what it saw: the label before the commit, the
 * registry of the commit's parent (an archive row for the material: it
 * was transferred before), the signer, the commit's time (A507).  Its
 * commit removes the ciphertext and rewrites the label (audit-sign.c:
 * A204 otherwise), marking it disposed at the row's time (A310).  A label
 * marked disposed never stands beside a ciphertext again (A309).  And a
 * transferred material whose retention has ended is pointed out, as
 * information: the Chair may dispose of it (A704).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-int.h"
#include "error.h"
#include "policy.h"
#include "retention.h"

/* Does one shard (its blob) hold an archive row for id? */
static int archived_in(struct pki_auditor *au, const char *path, const char *blob,
		       const char *id, bool *out)
{
	struct pki_buf b = PKI_BUF_INIT;
	struct pki_arow *rows = NULL;
	size_t n = 0, cap = 0, i;
	char why[256];
	int rc;

	if ((rc = pki_repo_blob(au->repo, blob, PKI_SHARD_MAX, false, &b)) == 0 &&
	    (rc = pki_audit_rows_read(path, b.ptr, b.len, PKI_NO_COMMIT, &rows, &n, &cap,
				      why)) > 0)
		rc = 0;	/* bad lines were reported where they were written */
	for (i = 0; i < n && rc == 0 && !*out; i++)
		*out = strcmp(rows[i].f[PKI_COL_ACTION], "archive") == 0 &&
		       strcmp(rows[i].f[PKI_COL_PRODUCT], id) == 0;
	pki_audit_rows_free(rows, n);
	pki_buf_release(&b);
	return rc;
}

/* Did the registry at commit record a transfer of id (an archive row),
 * in the shards of the months from `from` to `until`? */
static int archived_at(struct pki_auditor *au, const char *commit, const char *id,
		       time_t from, time_t until, bool *out)
{
	char path[32], blob[41];
	struct tm tm, month;
	int rc = 0;
	time_t t;

	*out = false;
	if (gmtime_r(&from, &tm) == NULL)
		return 0;
	memset(&month, 0, sizeof(month));
	month.tm_year = tm.tm_year;
	month.tm_mon = tm.tm_mon;
	month.tm_mday = 1;
	for (; rc == 0 && !*out && (t = timegm(&month)) <= until; month.tm_mon++) {
		pki_registry_shard(t, path);
		if (pki_repo_id_at(au->repo, commit, path, blob) == 0)
			rc = archived_in(au, path, blob, id, out);
	}
	pki_error_clear();
	return rc;
}

int pki_audit_dispose_row(struct pki_auditor *au, const struct pki_acommit *ac,
			  const struct pki_ajudge *jc, const struct pki_principal *actor,
			  const struct pki_arow *r, const struct pki_label *before)
{
	const char *parent = ac->c.nparents > 0 ? ac->c.parents[0] : ac->c.id;
	const struct pki_label *after;
	struct pki_disposal d;
	char object[64], merge[64], when[PKI_TIME_LEN];
	time_t t;
	int rc;

	snprintf(object, sizeof(object), "%s:%zu", r->shard, r->line);
	pki_audit_at_merge(jc, merge);
	/* The label cache may move on the next look-up: its strings stay. */
	d = (struct pki_disposal){
		.actor = actor, .id = r->f[PKI_COL_PRODUCT], .kind = before->kind,
		.retention = before->retention, .created = before->created,
		.disposed = before->disposed, .certificate = r->f[PKI_COL_REFERENCE],
		.at = jc->at,
	};
	if ((rc = archived_at(au, parent, d.id, d.created, jc->at > ac->c.when ? jc->at :
			      ac->c.when, &d.transferred)) < 0)
		return rc;
	if (pki_policy_dispose(&d) < 0)
		return pki_audit_add(au->a, PKI_A_DISPOSE, object, "dispose of %s by '%s' in "
				     "commit %s: %s%s", d.id, actor->name, ac->c.id,
				     pki_error_last(), merge);
	if (strcmp(r->f[PKI_COL_AUTHORITY], "custodian") != 0 &&
	    (rc = pki_audit_add(au->a, PKI_A_AUTHORITY, object, "row %s records authority "
				"'%s'; the rules of its time grant 'custodian'%s",
				r->f[PKI_COL_EVENT], r->f[PKI_COL_AUTHORITY], merge)) < 0)
		return rc;
	if (jc->merge != NULL)
		return 0;	/* the files were judged on the commit's own */
	rc = pki_audit_label_at(au, ac->c.id, d.id, &after);
	if (rc == -PKI_EDATA || rc == -PKI_ENOINPUT) {
		pki_error_clear();
		return 0;	/* A305, A204 say why */
	}
	if (rc < 0 || pki_time_parse("time", r->f[PKI_COL_TIME], &t) < 0 ||
	    after->disposed == t)
		return rc < 0 ? rc : 0;
	if (after->disposed == 0)
		return pki_audit_add(au->a, PKI_A_DISPOSAL_MISMATCH, d.id, "commit %s records its "
				     "disposal (row %s) and leaves its label unmarked (policy "
				     "12.6.9)", ac->c.id, r->f[PKI_COL_EVENT]);
	pki_time_format(after->disposed, when);
	return pki_audit_add(au->a, PKI_A_DISPOSAL_MISMATCH, d.id, "commit %s marks its label "
			     "disposed at %s, its dispose row %s says %s (policy 12.6.9)",
			     ac->c.id, when, r->f[PKI_COL_EVENT], r->f[PKI_COL_TIME]);
}

int pki_audit_disposed_files(struct pki_auditor *au, const struct pki_acommit *ac)
{
	const struct pki_label *l;
	char path[PKI_PRODUCT_PATH_MAX], blob[41], when[PKI_DATE_LEN];
	size_t i;
	int rc;

	for (i = 0; i < ac->ntouch; i++) {
		if (ac->touch[i].gpg == 'D')
			continue;	/* no ciphertext left */
		rc = pki_audit_label_at(au, ac->c.id, ac->touch[i].id, &l);
		if (rc == -PKI_EDATA || rc == -PKI_ENOINPUT) {
			pki_error_clear();
			continue;
		}
		if (rc < 0)
			return rc;
		if (l->disposed == 0 || pki_product_path(ac->touch[i].id, "gpg", path) < 0 ||
		    pki_repo_id_at(au->repo, ac->c.id, path, blob) < 0)
			continue;
		pki_error_clear();
		pki_date_format(l->disposed, when);
		if ((rc = pki_audit_add(au->a, PKI_A_DISPOSED_CIPHERTEXT, ac->touch[i].id,
					"commit %s keeps a ciphertext beside its label, which says "
					"it was disposed of on %s (policy 12.6.9)", ac->c.id,
					when)) < 0)
			return rc;
	}
	pki_error_clear();
	return 0;
}

int pki_audit_retention(struct pki_auditor *au, const struct pki_aproduct *p)
{
	const struct pki_label *l = p->label;
	struct pki_retention r;
	char when[PKI_DATE_LEN];
	time_t end;
	size_t i;

	if (l->kind != PKI_KIND_MATERIAL || l->disposed != 0 ||
	    pki_retention_parse("retention", l->retention, &r) < 0 ||
	    (end = pki_retention_end(l->created, &r)) > au->a->at) {
		pki_error_clear();
		return 0;
	}
	for (i = 0; i < p->nrows; i++)
		if (strcmp(p->rows[i]->f[PKI_COL_ACTION], "archive") == 0)
			break;
	if (i == p->nrows)
		return 0;	/* not transferred yet: A701 says so when overdue */
	pki_date_format(end, when);
	return pki_audit_add(au->a, PKI_A_RETENTION_ENDED, p->id, "its retention %s ended on "
			     "%s and it was transferred to the UN Archives: the Chair may dispose "
			     "of it (pki-archive --dispose; policy 12.6.9)", l->retention, when);
}
