/* matrix-rekey.c: pki-matrix rekey (pki-matrix(1)). */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "error.h"
#include "matrix-change.h"
#include "matrix-rekey.h"
#include "paths.h"
#include "policy.h"
#include "product.h"
#include "session.h"

struct rekey {
	const char *name;
	char fpr[41];		/* the new key's */
	struct pki_buf keydata;	/* armored */
	size_t count;
};

static int build_rekey(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		       struct pki_buf *msg, void *arg)
{
	struct rekey *r = arg;
	struct pki_principal *p;
	const struct pki_principal *owner;
	struct pki_buf out = PKI_BUF_INIT;
	char keypath[PKI_KEY_PATH_MAX], old[41], count[24];
	int rc;

	r->count = 0;
	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_policy_may_change_matrix(st->actor)) < 0)
		return rc;
	if ((p = pki_matrix_find(&st->matrix, r->name)) == NULL)
		return pki_error(PKI_ENOINPUT, "no principal '%s' in the access matrix", r->name);
	if (!pki_principal_valid(p, s->now))
		return pki_error(PKI_EDATA, "principal '%s' is not valid now: nothing to rekey",
				 r->name);
	if (strcmp(p->fpr, r->fpr) == 0)
		return pki_error(PKI_EDATA, "principal '%s' has key %s already", r->name, r->fpr);
	owner = pki_matrix_find_fpr(&st->matrix, r->fpr);
	if (owner != NULL)
		return pki_error(PKI_EDATA, "key %s already belongs to principal '%s'", r->fpr,
				 owner->name);
	memcpy(old, p->fpr, sizeof(old));
	memcpy(p->fpr, r->fpr, sizeof(p->fpr));
	pki_key_path(r->fpr, keypath);
	if ((rc = pki_matrix_format(&st->matrix, &out)) < 0 ||
	    (rc = pki_txn_put(t, PKI_MATRIX_FILE, out.ptr, out.len)) < 0 ||
	    (rc = pki_txn_put(t, keypath, r->keydata.ptr, r->keydata.len)) < 0 ||
	    (rc = pki_product_rekey_all(t, s->gpg, &st->matrix, r->name, &r->count)) < 0)
		goto out;
	snprintf(count, sizeof(count), "%zu", r->count);
	if ((rc = pki_msg_subject(msg, s->prog, "rekey", r->name)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", "matrix-rekey")) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Principal", r->name)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Fingerprint", r->fpr)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Previous-Fingerprint", old)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Rekeyed", count)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Actor", st->actor->name)) < 0)
		goto out;
out:
	pki_buf_release(&out);
	return rc;
}

int pki_matrix_change_rekey(struct pki_session *s, const char *name, const char *key,
			    size_t *count)
{
	struct rekey r = { name, { 0 }, PKI_BUF_INIT, 0 };
	struct pki_key k = { 0 };
	int rc;

	if ((rc = pki_check_principal("principal", name)) < 0)
		return rc;
	if (key == NULL)
		return pki_error(PKI_EUSAGE, "rekey needs --key, the new key");
	if ((rc = pki_matrix_read_key(s, key, &k, &r.keydata)) < 0)
		goto out;
	memcpy(r.fpr, k.fpr, sizeof(r.fpr));
	if ((rc = pki_session_change(s, build_rekey, &r)) == 0 && count != NULL)
		*count = r.count;
out:
	pki_key_release(&k);
	pki_buf_release(&r.keydata);
	return rc;
}
