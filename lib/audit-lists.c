/* audit-lists.c: distribution lists (audit checks 4 and 6).
 *
 * Three accounts of who may read a product must agree: the list its label
 * carries, the list the registry implies (classify, receive and
 * reclassify rows give the whole list, shares add to it -- but for a
 * share on paper, orally or on a display -- revokes take off it), and the keys its ciphertext is encrypted to.  The whole ciphertext
 * is read, packet by packet as it streams (pgp-packets.h: no secret key,
 * no decryption): its session key packets name the keys; every principal
 * on the list must hold one of them, and no key may be there that no
 * principal on the list holds.  No more keys, no fewer, and no other way
 * in: no passphrase, no key left unnamed or named twice, nothing beside
 * the encrypted data.  And a product that bears on safety reached UNDSS.
 * As warnings: lists without their keepers, principals ended still on
 * lists, and areas no principal ever held.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit-int.h"
#include "error.h"
#include "pgp-packets.h"
#include "rows.h"
#include "policy.h"

void pki_apool_clear(struct pki_apool *pool)
{
	while (pool->n > 0)
		free(pool->v[--pool->n]);
}

static int pool_split(struct pki_apool *pool, const char *field, struct pki_names *out)
{
	char *copy, **grown;

	if ((grown = pki_row_grow(pool->v, pool->n, &pool->cap, sizeof(*grown))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "distribution list");
	pool->v = grown;
	if ((copy = strdup(field)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "distribution list");
	pool->v[pool->n++] = copy;
	return pki_names_split(copy, out);
}

/* Classify, receive, reclassify, review and relabel rows give the whole
 * list, shares add to it, revokes take off it; exports and archive rows
 * leave it be. */
static int implied_list(struct pki_apool *pool, const struct pki_arow *const *r, size_t n,
			struct pki_names *out)
{
	const char *a;
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		a = r[i]->f[PKI_COL_ACTION];
		if (strcmp(a, "classify") == 0 || strcmp(a, "receive") == 0 ||
		    strcmp(a, "reclassify") == 0 || strcmp(a, "review") == 0 ||
		    strcmp(a, "relabel") == 0) {
			out->n = 0;
			rc = pool_split(pool, r[i]->f[PKI_COL_RECIPIENT], out);
		} else if (strcmp(a, "share") == 0 && r[i]->f[PKI_COL_MEDIUM][0] == '\0') {
			/* A share on another medium leaves the list be. */
			rc = pool_split(pool, r[i]->f[PKI_COL_RECIPIENT], out);
		} else if (strcmp(a, "revoke") == 0) {
			pki_names_remove(out, r[i]->f[PKI_COL_RECIPIENT]);
		}
	}
	return rc;
}

/* --- the ciphertext --- */

/* Whose key holds keyid, among the matrix's principals. */
static const struct pki_principal *owner(struct pki_auditor *au, const struct pki_matrix *m,
					 const char *keyid)
{
	const struct pki_key *k;
	size_t i;

	for (i = 0; i < m->n; i++)
		if ((k = pki_audit_key(au, m->v[i].fpr)) != NULL && pki_key_has(k, keyid))
			return &m->v[i];
	return NULL;
}

static int extra_key(struct pki_auditor *au, const struct pki_matrix *m, const char *id,
		     const char *keyid, const char *whose)
{
	const struct pki_principal *q = owner(au, m, keyid);

	if (q != NULL)
		return pki_audit_add(au->a, PKI_A_RECIPIENTS, id,
				     "encrypted to key %s of '%s', who is not on %s distribution "
				     "list (policy 9.8)", keyid, q->name, whose);
	return pki_audit_add(au->a, PKI_A_RECIPIENTS, id,
			     "encrypted to key %s, which is no principal's (policy 9.8)", keyid);
}

static bool is_wildcard(const char *keyid)
{
	return strspn(keyid, "0") == strlen(keyid);
}

/* Was the i-th session key packet's key named by an earlier one? */
static bool named_before(const struct pki_pgp_msg *ct, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (strcmp(ct->pkesk[j].keyid, ct->pkesk[i].keyid) == 0)
			return true;
	return false;
}

/* Mark the key IDs that k holds; false when it holds none of them. */
static bool holds(const struct pki_key *k, const struct pki_pgp_msg *ct, bool *used)
{
	bool any = false;
	size_t i;

	for (i = 0; i < ct->npkesk; i++)
		if (pki_key_has(k, ct->pkesk[i].keyid))
			any = used[i] = true;
	return any;
}

/* The algorithm of k's subkey keyid; 0 when unknown. */
static int algo_of(const struct pki_key *k, const char *keyid)
{
	size_t i;

	for (i = 0; i < k->nsubkeys && k->algos != NULL; i++)
		if (strcasecmp(k->keyids[i], keyid) == 0)
			return k->algos[i];
	return 0;
}

/* A403 for what is no product's ciphertext, A404 for each other way in:
 * what the reader found, and a packet naming a principal's key made
 * with an algorithm that key does not have (its key ID copied onto a
 * packet for another key). */
static int judge_ciphertext(struct pki_auditor *au, const struct pki_matrix *m, const char *id,
			    const struct pki_pgp_msg *ct)
{
	const struct pki_principal *q;
	const struct pki_key *k;
	const char *keyid;
	size_t i;
	int rc = 0, algo;

	if (ct->malformed)
		return pki_audit_add(au->a, PKI_A_CIPHERTEXT_INVALID, id,
				     "the ciphertext is no OpenPGP message encrypted to public "
				     "keys: %s (policy 9.8)", ct->why);
	for (i = 0; i < ct->nextra && rc == 0; i++)
		rc = pki_audit_add(au->a, PKI_A_CIPHERTEXT_EXTRA, id,
				   "the ciphertext holds %s: a way to read it besides the keys "
				   "of its distribution list (policy 9.8)", ct->extra[i]);
	for (i = 0; i < ct->npkesk && rc == 0; i++) {
		keyid = ct->pkesk[i].keyid;
		if ((q = owner(au, m, keyid)) == NULL ||
		    (k = pki_audit_key(au, q->fpr)) == NULL || (algo = algo_of(k, keyid)) == 0 ||
		    pki_pgp_algo_fits(ct->pkesk[i].algo, algo))
			continue;
		rc = pki_audit_add(au->a, PKI_A_CIPHERTEXT_EXTRA, id,
				   "the ciphertext holds a session key packet for key %s of '%s' "
				   "made with public-key algorithm %d, which that key (algorithm "
				   "%d) cannot open: it may open with another key (policy 9.8)",
				   keyid, q->name, ct->pkesk[i].algo, algo);
	}
	return rc;
}

static int recipients(struct pki_auditor *au, const struct pki_matrix *m, const char *id,
		      const struct pki_pgp_msg *ct, const struct pki_names *list,
		      const char *whose)
{
	const struct pki_principal *q;
	const struct pki_key *k;
	bool *used = NULL, unknown = false;
	size_t i;
	int rc = 0;

	if ((used = calloc(ct->npkesk + 1, sizeof(*used))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "recipients");
	for (i = 0; i < list->n && rc == 0; i++) {
		q = pki_matrix_find(m, list->v[i]);
		k = q != NULL ? pki_audit_key(au, q->fpr) : NULL;
		if (q == NULL) {
			rc = pki_audit_add(au->a, PKI_A_RECIPIENTS, id, "'%s' is on %s distribution "
					   "list but not in the access matrix (policy 11.3.3)",
					   list->v[i], whose);
		} else if (q->fpr[0] == '\0') {
			/* A principal without a key receives no encrypted file (24). */
			rc = pki_audit_add(au->a, PKI_A_KEYLESS_ON_LIST, id, "'%s' has no key and is "
					   "on %s distribution list: it receives only on paper, orally "
					   "or on a display (policy 9.8, 24)", q->name, whose);
		} else if (k == NULL) {
			unknown = true;
			rc = pki_audit_add(au->a, PKI_A_KEY_UNAVAILABLE, id, "cannot check its "
					   "recipients: the key of '%s' is not in the keyring",
					   q->name);
		} else if (!holds(k, ct, used) && !ct->wildcard) {
			/* A wildcard may be anyone's (A404 said so). */
			rc = pki_audit_add(au->a, PKI_A_RECIPIENTS, id, "'%s' is on %s distribution "
					   "list, but the ciphertext is not encrypted to its key "
					   "(policy 9.8)", q->name, whose);
		}
	}
	/* A key no one on the list holds; unsure when a key was unavailable.
	 * A key named twice is one key here (A404 said so). */
	for (i = 0; i < ct->npkesk && rc == 0 && !unknown; i++)
		if (!used[i] && !is_wildcard(ct->pkesk[i].keyid) && !named_before(ct, i))
			rc = extra_key(au, m, id, ct->pkesk[i].keyid, whose);
	free(used);
	return rc;
}

/* --- the lists --- */

static int join(const struct pki_names *s, struct pki_buf *out)
{
	pki_buf_reset(out);
	if (s->n == 0)
		return pki_buf_adds(out, "");
	return pki_names_join(s, out);
}

/* Check 4: the label's list, the registry's, and the ciphertext's keys. */
int pki_audit_lists(struct pki_auditor *au, const struct pki_matrix *m,
		    const struct pki_aproduct *p, struct pki_apool *pool)
{
	struct pki_names label = { 0 }, registry = { 0 };
	struct pki_buf a = PKI_BUF_INIT, b = PKI_BUF_INIT;
	const struct pki_pgp_msg *msg = p->ct;
	bool keys;
	size_t i;
	int rc = 0;

	for (i = 0; i < p->label->nrecipients && rc == 0; i++)
		rc = pki_names_add(&label, p->label->recipients[i]);
	if (rc < 0 || (rc = implied_list(pool, p->rows, p->nrows, &registry)) < 0)
		goto out;
	/* The ciphertext is read once, whatever it is compared with: by
	 * the binding check (audit-state.c), which runs on every product
	 * that has one. */
	if (p->gpg[0] != '\0' && msg == NULL) {
		rc = pki_error(PKI_EINTERNAL, "the ciphertext of %s was not read", p->id);
		goto out;
	}
	if (p->gpg[0] != '\0' && m != NULL && (rc = judge_ciphertext(au, m, p->id, msg)) < 0)
		goto out;
	keys = p->gpg[0] != '\0' && m != NULL && !msg->malformed;
	/* Without its origin row the registry implies nothing (A303 said so). */
	if (p->origin && !pki_names_equal(&label, &registry)) {
		if ((rc = join(&label, &a)) < 0 || (rc = join(&registry, &b)) < 0 ||
		    (rc = pki_audit_add(au->a, PKI_A_LIST_MISMATCH, p->id,
					"the label lists '%s', the registry implies '%s' "
					"(policy 11.3.3)", a.ptr, b.ptr)) < 0)
			goto out;
		if (keys && (rc = recipients(au, m, p->id, msg, &registry, "the registry's")) < 0)
			goto out;
	}
	if (keys)
		rc = recipients(au, m, p->id, msg, &label, "its");
out:
	pki_buf_release(&a);
	pki_buf_release(&b);
	pki_names_release(&label);
	pki_names_release(&registry);
	return rc;
}

/* Check 6: a safety product reached a undss principal (policy 11.3.2). */
int pki_audit_safety(struct pki_auditor *au, const struct pki_matrix *m,
		     const struct pki_aproduct *p, struct pki_apool *pool)
{
	const struct pki_principal *q;
	struct pki_names named = { 0 };
	size_t i, k;
	int rc = 0;

	/* Without a matrix at the tip, no one's role is known (A108). */
	if (!p->label->safety || m == NULL)
		return 0;
	for (i = 0; i < p->nrows && rc == 0; i++)
		rc = pool_split(pool, p->rows[i]->f[PKI_COL_RECIPIENT], &named);
	for (k = 0; k < p->label->nrecipients && rc == 0; k++)
		rc = pki_names_add(&named, p->label->recipients[k]);
	for (k = 0; k < named.n && rc == 0; k++)
		if ((q = pki_matrix_find(m, named.v[k])) != NULL && q->role == PKI_ROLE_UNDSS)
			goto out;
	if (rc == 0)
		rc = pki_audit_add(au->a, PKI_A_SAFETY, p->id,
				   "bears on the safety of UN personnel but never reached a undss "
				   "principal (policy 11.3.2)");
out:
	pki_names_release(&named);
	return rc;
}

/* --- who is on the lists (warnings) --- */

/* A405: a classified product's list keeps a valid hom, chair and
 * archives principal (policy 10.7, 12.6.9, 11.5.1). */
int pki_audit_keepers(struct pki_auditor *au, const struct pki_matrix *m,
		      const struct pki_aproduct *p)
{
	if (m == NULL || pki_policy_list_keepers(m, p->label->level, p->label->recipients,
						 p->label->nrecipients, au->a->at) == 0)
		return 0;
	return pki_audit_add(au->a, PKI_A_LIST_NO_KEEPER, p->id, "%s", pki_error_last());
}

/* A311: an area no principal of the matrix, valid or not, holds: no one
 * ever did, most often a typo, and the product reaches no one by it
 * (policy 9.8).  An area whose holders have all left is not one: their
 * rows, ended, still name it. */
int pki_audit_unheld(struct pki_auditor *au, const struct pki_matrix *m,
		     const struct pki_aproduct *p)
{
	struct pki_buf b = PKI_BUF_INIT;
	int rc;

	if (m == NULL || p->label->disposed != 0)
		return 0;
	if ((rc = pki_policy_unheld_areas(m, p->label->areas, NULL, &b)) == 0 && b.len > 0)
		rc = pki_audit_add(au->a, PKI_A_AREA_UNHELD, p->id,
				   "no principal of the access matrix holds or held %s '%s': it "
				   "reaches no one by %s; pki-classify --change %s -a AREAS corrects "
				   "a typo (policy 9.8)",
				   strchr(b.ptr, ';') != NULL ? "its areas" : "its area", b.ptr,
				   strchr(b.ptr, ';') != NULL ? "them" : "it", p->id);
	pki_buf_release(&b);
	return rc;
}

static bool ended(const struct pki_principal *q, time_t at)
{
	return q->until != 0 && q->until <= at;
}

void pki_audit_ended_count(const struct pki_auditor *au, const struct pki_matrix *m,
			   const struct pki_aproduct *p, size_t *counts)
{
	const struct pki_principal *q;
	size_t i;

	for (i = 0; m != NULL && i < p->label->nrecipients; i++)
		if ((q = pki_matrix_find(m, p->label->recipients[i])) != NULL && ended(q, au->a->at))
			counts[q - m->v]++;
}

/* A406: a principal whose validity has ended, still on lists. */
int pki_audit_ended(struct pki_auditor *au, const struct pki_matrix *m, const size_t *counts)
{
	char when[PKI_TIME_LEN];
	size_t i;
	int rc = 0;

	for (i = 0; m != NULL && i < m->n && rc == 0; i++) {
		if (counts[i] == 0)
			continue;
		pki_time_format(m->v[i].until, when);
		rc = pki_audit_add(au->a, PKI_A_ENDED_ON_LISTS, m->v[i].name,
				   "its validity ended at %s and it is still on the distribution "
				   "list of %zu product%s: pki-matrix remove or succeed takes it off "
				   "(policy 11.3.3)", when, counts[i], counts[i] == 1 ? "" : "s");
	}
	return rc;
}
