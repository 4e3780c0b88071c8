/* archive-dispose.c: the disposal of a material after its retention
 * (pki-archive(1) --dispose, policy 11.5.1, 12.6.9).
 *
 * Under the repository lock: read the material's label, look in the
 * registry for a transfer that included it (an archive row), judge by
 * pki_policy_dispose, then take its ciphertext out of the tree, mark the
 * label disposed and append a dispose row whose reference is the
 * certificate of destruction; then the signed commit.  What the history
 * holds stays there: the ciphertext of every earlier commit is still in
 * the object store, readable by its distribution list.
 */
#include <stdio.h>
#include <string.h>

#include "archive.h"
#include "error.h"
#include "policy.h"
#include "product.h"
#include "registry.h"
#include "repo.h"
#include "session.h"

#define CERTIFICATE_MAX 256

struct dispose_job {
	const char *id, *certificate;
	char why[160];
};

static int on_archive(void *arg, const char *const *f)
{
	*(bool *)arg = true;
	return 1;	/* one is enough */
}

/* Did a transfer to the UN Archives include the product?  Its archive
 * rows come after its filing. */
static int transferred(struct pki_session *s, const struct pki_label *l, bool *out)
{
	struct pki_registry_filter f = { l->id, "archive", l->created, 0 };
	int rc;

	*out = false;
	rc = pki_registry_scan(s->repo, &f, on_archive, out);
	return rc > 0 ? 0 : rc;
}

static int dispose_row(struct dispose_job *j, struct pki_session *s, struct pki_txn *t,
		       const struct pki_state *st, const struct pki_label *l)
{
	struct pki_row row = { 0 };

	snprintf(j->why, sizeof(j->why), "retention %s ended: material destroyed "
		 "(policy 12.6.9)", l->retention);
	row.f[PKI_COL_ACTION] = pki_action_name(PKI_ACTION_DISPOSE);
	row.f[PKI_COL_PRODUCT] = l->id;
	row.f[PKI_COL_LEVEL] = pki_level_name(l->level);
	row.f[PKI_COL_ACTOR] = st->actor->name;
	row.f[PKI_COL_AUTHORITY] = "custodian";
	row.f[PKI_COL_JUSTIFICATION] = j->why;
	row.f[PKI_COL_REFERENCE] = j->certificate;
	return pki_registry_append(t, s->now, &row, 1);
}

static int message(struct dispose_job *j, struct pki_session *s, const struct pki_state *st,
		   const struct pki_label *l, struct pki_buf *msg)
{
	const char *action = pki_action_name(PKI_ACTION_DISPOSE);
	int rc;

	if ((rc = pki_msg_subject(msg, s->prog, action, l->id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", action)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Product", l->id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Level", pki_level_name(l->level))) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Certificate", j->certificate)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Actor", st->actor->name)) < 0)
		return rc;
	return 0;
}

static int build(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		 struct pki_buf *msg, void *arg)
{
	struct dispose_job *j = arg;
	struct pki_label l = { 0 };
	struct pki_disposal d;
	char path[PKI_PRODUCT_PATH_MAX];
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_product_label(t, j->id, &l)) < 0)
		goto out;
	d = (struct pki_disposal){
		.actor = st->actor, .id = l.id, .kind = l.kind, .retention = l.retention,
		.created = l.created, .disposed = l.disposed, .certificate = j->certificate,
		.at = s->now,
	};
	if ((rc = transferred(s, &l, &d.transferred)) < 0 ||
	    (rc = pki_policy_dispose(&d)) < 0 ||
	    (rc = pki_product_path(l.id, "gpg", path)) < 0)
		goto out;
	if (!pki_txn_exists(t, path)) {
		rc = pki_error(PKI_EDATA, "product %s has no ciphertext to dispose of (run "
			       "pki-audit)", l.id);
		goto out;
	}
	l.disposed = s->now;
	if ((rc = pki_txn_remove(t, path)) < 0 ||
	    (rc = pki_product_put_label(t, &l)) < 0 ||
	    (rc = dispose_row(j, s, t, st, &l)) < 0)
		goto out;
	rc = message(j, s, st, &l, msg);
out:
	pki_label_release(&l);
	return rc;
}

int pki_archive_dispose(struct pki_session *s, const char *id, const char *certificate)
{
	struct dispose_job j = { id, certificate, "" };
	int rc;

	if ((rc = pki_check_product_id(id)) < 0)
		return rc;
	if (certificate == NULL || *certificate == '\0')
		return pki_error(PKI_EUSAGE, "--certificate REF is required: the reference of "
				 "the certificate of destruction");
	if ((rc = pki_check_text("--certificate", certificate, CERTIFICATE_MAX)) < 0)
		return rc;
	return pki_session_change(s, build, &j);
}
