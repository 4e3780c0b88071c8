/* matrix-change.c: pki-matrix add, remove and delegate (pki-matrix(1)). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "error.h"
#include "matrix-change.h"
#include "paths.h"
#include "policy.h"
#include "product.h"
#include "registry.h"
#include "session.h"

#define KEY_MAX (1024 * 1024)

struct add {
	struct pki_principal p;	/* the new row, borrowed strings */
	bool has[5];		/* entity, type, role, clearance, areas given */
	struct pki_buf keydata;	/* armored public key */
	time_t now;
	char today[PKI_DATE_LEN];
};

static const char *const add_needs[] = { "--entity", "--type", "--role", "--clearance" };

/* "pki-matrix: <action> <object>" and who did it. */
static int msg_subject_actor(struct pki_buf *msg, struct pki_session *s, const char *action,
			     const char *object, const struct pki_state *st)
{
	char trailer[32];
	int rc;

	snprintf(trailer, sizeof(trailer), "matrix-%s", action);
	if ((rc = pki_msg_subject(msg, s->prog, action, object)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", trailer)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Principal", object)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Actor", st->actor->name)) < 0)
		return rc;
	return 0;
}

/* A deep copy of src: the matrix as it was before a change. */
static int matrix_copy(struct pki_matrix *dst, const struct pki_matrix *src)
{
	size_t i;
	int rc;

	for (i = 0; i < src->n; i++)
		if ((rc = pki_matrix_put(dst, &src->v[i])) < 0)
			return rc;
	return 0;
}

/* --- add --- */

static int check_key(const struct pki_key *k)
{
	if (k->revoked)
		return pki_error(PKI_EDATA, "key %s is revoked", k->fpr);
	if (k->expired)
		return pki_error(PKI_EDATA, "key %s has expired", k->fpr);
	if (k->disabled || k->invalid)
		return pki_error(PKI_EDATA, "key %s is disabled or invalid", k->fpr);
	if (!k->can_encrypt)
		return pki_error(PKI_EDATA, "key %s has no usable encryption subkey", k->fpr);
	if (!k->uid_ok)
		return pki_error(PKI_EDATA, "key %s: its first user ID is not one 'Name <address>'",
				 k->fpr);
	return 0;
}

static int read_key(struct pki_session *s, const char *arg, struct pki_key *k,
		    struct pki_buf *armored)
{
	struct pki_buf raw = PKI_BUF_INIT;
	char fpr[41];
	int fd, rc;

	snprintf(fpr, sizeof(fpr), "%s", arg);
	if (access(arg, F_OK) < 0 && strlen(arg) == 40 && pki_check_fingerprint("key", fpr) == 0) {
		/* A fingerprint: the key comes from the keyring. */
		if ((rc = pki_gpg_key(s->gpg, fpr, false, k)) < 0)
			return rc;
		return pki_gpg_export(s->gpg, k->fpr, armored);
	}
	if ((fd = open(arg, O_RDONLY | O_CLOEXEC)) < 0)
		return pki_error_errno(PKI_ENOINPUT, "cannot open key file '%s'", arg);
	rc = pki_read_fd(fd, KEY_MAX, &raw);
	close(fd);
	if (rc < 0 || (rc = pki_gpg_inspect(s->gpg, raw.ptr, raw.len, k)) < 0) {
		pki_error_wrap(PKI_EDATA, "key file '%s'", arg);
		rc = -PKI_EDATA;
		goto out;
	}
	if ((rc = check_key(k)) < 0)
		goto out;
	/* Validated first, imported after: encrypting to it needs it here. */
	pki_key_release(k);
	if ((rc = pki_gpg_import(s->gpg, raw.ptr, raw.len, k)) == 0)
		rc = pki_gpg_export(s->gpg, k->fpr, armored);
out:
	pki_buf_release(&raw);
	return rc;
}

int pki_matrix_read_key(struct pki_session *s, const char *arg, struct pki_key *k,
			struct pki_buf *armored)
{
	int rc;

	if ((rc = read_key(s, arg, k, armored)) == 0)
		rc = check_key(k);
	return rc;
}

/* Fill the fields not given from the existing row, when updating. */
static int merge_row(struct add *a, struct pki_principal *p, const struct pki_principal *old)
{
	size_t i;

	if (old == NULL) {
		for (i = 0; i < 4; i++)
			if (!a->has[i])
				return pki_error(PKI_EUSAGE, "a new principal needs %s", add_needs[i]);
		if (p->from_text == NULL) {
			/* From today, unless told. */
			pki_date_format(a->now, a->today);
			p->from = a->now - a->now % 86400;
			p->from_text = a->today;
		}
		if (p->until_text == NULL)
			p->until_text = (char *)"";
		return 0;
	}
	if (!a->has[0]) p->entity = old->entity;
	if (!a->has[1]) p->type = old->type;
	if (!a->has[2]) p->role = old->role;
	if (!a->has[3]) p->clearance = old->clearance;
	if (!a->has[4]) p->areas = old->areas;
	if (p->fpr[0] == '\0')
		memcpy(p->fpr, old->fpr, sizeof(p->fpr));
	if (p->from_text == NULL)
		p->from = old->from, p->from_text = old->from_text;
	if (p->until_text == NULL)
		p->until = old->until, p->until_text = old->until_text;
	return 0;
}

static int build_add(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		     struct pki_buf *msg, void *arg)
{
	struct add *a = arg;
	struct pki_principal row = a->p;	/* fresh on every try */
	const struct pki_principal *old, *owner;
	struct pki_matrix before = { 0 };
	struct pki_buf out = PKI_BUF_INIT;
	char keypath[PKI_KEY_PATH_MAX];
	bool narrows;
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_policy_may_change_matrix(st->actor)) < 0)
		return rc;
	old = pki_matrix_find(&st->matrix, row.name);
	if ((rc = merge_row(a, &row, old)) < 0 || (rc = pki_policy_role_fits(&row)) < 0)
		return rc;
	narrows = old != NULL && pki_policy_narrows(old, &row, s->now);
	owner = pki_matrix_find_fpr(&st->matrix, row.fpr);
	if (owner != NULL && strcmp(owner->name, row.name) != 0)
		return pki_error(PKI_EDATA, "key %s already belongs to principal '%s'", row.fpr, owner->name);
	pki_key_path(row.fpr, keypath);
	if ((rc = matrix_copy(&before, &st->matrix)) < 0 ||
	    (rc = pki_matrix_put(&st->matrix, &row)) < 0 ||
	    (rc = pki_policy_keepers(&before, &st->matrix, s->now)) < 0 ||
	    (rc = pki_matrix_format(&st->matrix, &out)) < 0 ||
	    (rc = pki_txn_put(t, PKI_MATRIX_FILE, out.ptr, out.len)) < 0)
		goto out;
	if (a->keydata.len > 0 && (rc = pki_txn_put(t, keypath, a->keydata.ptr, a->keydata.len)) < 0)
		goto out;
	if ((rc = pki_msg_subject(msg, s->prog, old != NULL ? "update" : "add", row.name)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", old != NULL ? "matrix-update" : "matrix-add")) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Principal", row.name)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Role", pki_role_name(row.role))) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Clearance", pki_level_name(row.clearance))) < 0 ||
	    (row.fpr[0] != '\0' &&
	     (rc = pki_msg_trailer(msg, "Pki-Fingerprint", row.fpr)) < 0) ||
	    (rc = pki_msg_trailer(msg, "Pki-Actor", st->actor->name)) < 0 ||
	    (narrows && (rc = pki_matrix_narrow(s, t, st, row.name, msg)) < 0))
		goto out;
out:
	pki_buf_release(&out);
	pki_matrix_release(&before);
	return rc;
}

static int parse_add(struct add *a, const struct pki_principal_req *g)
{
	int rc = 0;

	a->p.name = (char *)g->name;
	a->has[0] = g->entity != NULL;
	a->has[1] = g->type != NULL;
	a->has[2] = g->role != NULL;
	a->has[3] = g->clearance != NULL;
	a->has[4] = g->areas != NULL;
	if ((rc = pki_check_principal("principal", g->name)) < 0 ||
	    (g->entity && (rc = pki_check_code("entity", g->entity)) < 0) ||
	    (g->type && (rc = pki_type_parse(g->type, &a->p.type)) < 0) ||
	    (g->role && (rc = pki_role_parse(g->role, &a->p.role)) < 0) ||
	    (g->clearance && (rc = pki_level_parse(g->clearance, &a->p.clearance)) < 0) ||
	    (g->areas && (rc = pki_check_areas("--areas", g->areas)) < 0) ||
	    (g->from && (rc = pki_time_parse("--from", g->from, &a->p.from)) < 0) ||
	    (g->until && (rc = pki_time_parse_until("--until", g->until, &a->p.until)) < 0))
		return rc;
	if (g->from != NULL && g->until != NULL && a->p.until <= a->p.from)
		return pki_error(PKI_EUSAGE, "--until must come after --from");
	a->p.entity = (char *)g->entity;
	a->p.areas = (char *)(g->areas != NULL ? g->areas : "");
	a->p.from_text = (char *)g->from;
	a->p.until_text = (char *)g->until;
	return 0;
}

int pki_matrix_change_add(struct pki_session *s, const struct pki_principal_req *g)
{
	struct add a = { 0 };
	struct pki_key k = { 0 };
	int rc;

	if ((rc = parse_add(&a, g)) < 0)
		return rc;
	if (g->key != NULL) {
		if ((rc = read_key(s, g->key, &k, &a.keydata)) < 0 || (rc = check_key(&k)) < 0)
			goto out;
		memcpy(a.p.fpr, k.fpr, sizeof(a.p.fpr));
	}
	a.now = s->now;
	rc = pki_session_change(s, build_add, &a);
out:
	pki_key_release(&k);
	pki_buf_release(&a.keydata);
	return rc;
}

/* --- remove --- */

/* Every product the principal could read, re-encrypted without its key. */
static int unlist(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		  const char *name, struct pki_buf *msg)
{
	struct pki_row tmpl = { 0 };
	char count[24];
	size_t n;
	int rc;

	tmpl.f[PKI_COL_ACTOR] = st->actor->name;
	tmpl.f[PKI_COL_AUTHORITY] = st->actor->role == PKI_ROLE_HOM ? "hom" : "custodian";
	tmpl.f[PKI_COL_JUSTIFICATION] = "principal removed from the access matrix";
	if ((rc = pki_product_revoke_all(t, s->gpg, &st->matrix, name, &tmpl, s->now, &n)) < 0)
		return rc;
	snprintf(count, sizeof(count), "%zu", n);
	return n > 0 ? pki_msg_trailer(msg, "Pki-Revoked", count) : 0;
}

static int build_remove(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			struct pki_buf *msg, void *arg)
{
	const char *name = arg;
	struct pki_principal *p;
	struct pki_matrix before = { 0 };
	struct pki_buf out = PKI_BUF_INIT;
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_policy_may_change_matrix(st->actor)) < 0)
		return rc;
	if ((p = pki_matrix_find(&st->matrix, name)) == NULL)
		return pki_error(PKI_ENOINPUT, "no principal '%s' in the access matrix", name);
	if (!pki_principal_valid(p, s->now))
		return pki_error(PKI_EDATA, "principal '%s' is not valid now: nothing to remove", name);
	if ((rc = msg_subject_actor(msg, s, "remove", name, st)) < 0 ||
	    (rc = matrix_copy(&before, &st->matrix)) < 0 ||
	    (rc = pki_principal_end(p, s->now)) < 0 ||
	    (rc = pki_policy_keepers(&before, &st->matrix, s->now)) < 0 ||
	    (rc = pki_matrix_format(&st->matrix, &out)) < 0 ||
	    (rc = pki_txn_put(t, PKI_MATRIX_FILE, out.ptr, out.len)) < 0 ||
	    (rc = unlist(s, t, st, name, msg)) < 0)
		goto out;
out:
	pki_buf_release(&out);
	pki_matrix_release(&before);
	return rc;
}

int pki_matrix_change_remove(struct pki_session *s, const char *name)
{
	if (pki_check_principal("principal", name) < 0)
		return -PKI_EUSAGE;
	return pki_session_change(s, build_remove, (void *)name);
}

/* --- delegate --- */

struct delegate {
	struct pki_delegation x;
	char id[PKI_DELEGATION_ID_LEN];
	char today[PKI_DATE_LEN];
};

int pki_delegation_new_id(char out[PKI_DELEGATION_ID_LEN])
{
	unsigned char r[5];
	size_t i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return pki_error_errno(PKI_EINTERNAL, "getrandom");
	memcpy(out, "DLG-", 4);
	for (i = 0; i < sizeof(r); i++)
		snprintf(out + 4 + 2 * i, 3, "%02x", r[i]);
	return 0;
}

static int build_delegate(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			  struct pki_buf *msg, void *arg)
{
	struct delegate *d = arg;
	struct pki_buf out = PKI_BUF_INIT;
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_policy_may_delegate(st->actor, d->x.power)) < 0 ||
	    (rc = pki_delegation_new_id(d->id)) < 0)
		return rc;
	d->x.id = d->id;
	d->x.grantor = st->actor->name;
	if ((rc = pki_policy_delegation_ok(&d->x, &st->matrix, s->now)) < 0)
		return rc;
	if ((rc = pki_delegations_add(&st->delegations, &d->x)) < 0 ||
	    (rc = pki_delegations_format(&st->delegations, &out)) < 0 ||
	    (rc = pki_txn_put(t, PKI_DELEGATIONS_FILE, out.ptr, out.len)) < 0 ||
	    (rc = msg_subject_actor(msg, s, "delegate", d->id, st)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Grantee", d->x.grantee)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Power", pki_power_name(d->x.power))) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Scope", d->x.scope)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Reference", d->x.reference)) < 0)
		goto out;
out:
	pki_buf_release(&out);
	return rc;
}

int pki_matrix_change_delegate(struct pki_session *s, const struct pki_delegation_req *g,
			       char id[PKI_DELEGATION_ID_LEN])
{
	struct delegate d = { 0 };
	int rc;

	if (g->power == NULL)
		return pki_error(PKI_EUSAGE, "a delegation needs --power");
	if (g->reference == NULL)
		return pki_error(PKI_EUSAGE, "a delegation needs --ref, the written instrument (policy 9.8)");
	d.x.grantee = (char *)g->grantee;
	d.x.scope = (char *)(g->scope != NULL ? g->scope : "*");
	d.x.reference = (char *)g->reference;
	if ((rc = pki_check_principal("grantee", g->grantee)) < 0 ||
	    (rc = pki_power_parse(g->power, &d.x.power)) < 0 ||
	    (rc = pki_check_scope("--scope", d.x.scope)) < 0 ||
	    (rc = pki_check_free_text("--ref", g->reference, 256)) < 0 ||
	    (g->until != NULL && (rc = pki_time_parse_until("--until", g->until, &d.x.until)) < 0))
		return rc;
	if (*g->reference == '\0')
		return pki_error(PKI_EUSAGE, "--ref must name the written instrument");
	pki_date_format(s->now, d.today);
	d.x.from = s->now - s->now % 86400;
	d.x.from_text = d.today;
	d.x.until_text = (char *)(g->until != NULL ? g->until : "");
	if (d.x.until != 0 && d.x.until <= s->now)
		return pki_error(PKI_EUSAGE, "--until must be in the future");
	if ((rc = pki_session_change(s, build_delegate, &d)) == 0)
		memcpy(id, d.id, sizeof(d.id));
	return rc;
}
