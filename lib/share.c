/* share.c: disseminating a product inside the mission, handing a copy
 * outside it, or taking recipients off its distribution list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "export.h"
#include "matrix-arrange.h"
#include "paths.h"
#include "policy.h"
#include "product.h"
#include "registry.h"
#include "session.h"
#include "share.h"

#define JUSTIFICATION_MAX 1024
#define REF_MAX 256

#define COPY_PATH_MAX 4096

struct share {
	const struct pki_share_req *g;
	struct pki_export_out *out;	/* one per copy: outside the mission */
	size_t nout;
	bool dir;			/* -o DIR: one copy per recipient there */
	char (*paths)[COPY_PATH_MAX];	/* -o DIR: DIR/<ID>.<R>.gpg */
	const struct pki_arrangements *arr;	/* NULL: no arrangements.csv */
};

/* --- judging --- */

/* What a rule judges a recipient on, as of the transaction and `at`. */
static void context(struct pki_share_ctx *c, const struct share *sh, struct pki_txn *t,
		    const struct pki_state *st, const struct pki_product *p, const char *name,
		    time_t at)
{
	const struct pki_share_req *g = sh->g;
	char keypath[PKI_KEY_PATH_MAX];

	memset(c, 0, sizeof(*c));
	c->actor = st->actor;
	c->product = p;
	c->recipient_name = name;
	c->recipient = pki_matrix_find(&st->matrix, name);
	if (c->recipient != NULL) {
		pki_key_path(c->recipient->fpr, keypath);
		c->recipient_key = pki_txn_exists(t, keypath);
	}
	c->matrix = &st->matrix;
	c->delegations = &st->delegations;
	c->at = at;
	c->authority = g->authority;
	c->justification = g->j;
	c->hrddp = g->hrddp;
	c->arrangement = g->arrangement;
	c->consent = g->consent;
	c->arrangements = sh->arr;
	c->medium = g->medium;
}

static bool on_list(const struct pki_label *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->nrecipients; i++)
		if (strcmp(l->recipients[i], name) == 0)
			return true;
	return false;
}

/*
 * Inside or outside the mission: every recipient on one side.  Unknown
 * recipients are judged (and refused) first, by the rule that names them.
 */
static int which_side(bool *outside, const struct share *sh, struct pki_txn *t,
		      const struct pki_state *st, const struct pki_product *p, time_t now)
{
	const struct pki_share_req *g = sh->g;
	struct pki_share_ctx c;
	size_t i, nout = 0;
	int rc;

	for (i = 0; i < g->n; i++) {
		context(&c, sh, t, st, p, g->names[i], now);
		if (c.recipient == NULL && (rc = pki_policy_may_share(NULL, &c)) < 0)
			return rc;
		nout += pki_policy_outside(c.recipient);
	}
	*outside = nout > 0;
	/* Another medium hands no copy over: each recipient gets its own row,
	 * a share inside the mission, an export outside it. */
	if (g->medium != NULL) {
		if (nout == 0 && (g->hrddp || g->arrangement || g->consent))
			return pki_error(PKI_EUSAGE, "--hrddp, --arrangement and --consent go with "
					 "a dissemination outside the mission");
		return 0;
	}
	if (nout > 0 && nout < g->n)
		return pki_error(PKI_EUSAGE, "recipients inside and outside the mission: "
				 "share with each side in its own call");
	if (nout > 1 && !sh->dir)
		return pki_error(PKI_EUSAGE, "copies for several recipients outside the mission "
				 "go to a directory: -o DIR");
	if (nout == 0 && (g->hrddp || g->arrangement || g->consent || g->out || g->label || g->armor))
		return pki_error(PKI_EUSAGE, "--hrddp, --arrangement, --consent, -o, --label and -a "
				 "go with a share outside the mission");
	return 0;
}

/* Judge every recipient before anything changes: all are allowed or none. */
static int judge_all(const char **auth, const struct share *sh, struct pki_txn *t,
		     const struct pki_state *st, const struct pki_label *l, time_t now)
{
	const struct pki_share_req *g = sh->g;
	struct pki_share_ctx c;
	struct pki_product p;
	size_t i;
	int rc;

	pki_product_of_label(l, &p);
	for (i = 0; i < g->n; i++) {
		context(&c, sh, t, st, &p, g->names[i], now);
		if (g->revoke) {
			if (!on_list(l, g->names[i]))
				return pki_error(PKI_EDATA, "'%s' is not on the distribution list "
						 "of %s", g->names[i], l->id);
			rc = pki_policy_may_revoke(&auth[i], &c);
		} else {
			rc = pki_policy_may_share(&auth[i], &c);
			if (rc == 0 && g->medium == NULL && !pki_policy_outside(c.recipient) &&
			    on_list(l, g->names[i]))
				rc = pki_error(PKI_EDATA, "'%s' already receives %s", g->names[i], l->id);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* --- recording --- */

static int record(struct pki_txn *t, const struct pki_share_req *g, const struct pki_state *st,
		  const struct pki_label *l, const char *const *auth, enum pki_action action,
		  time_t now)
{
	struct pki_row rows[PKI_SHARE_RECIPIENTS_MAX];
	size_t i;

	memset(rows, 0, sizeof(rows));
	for (i = 0; i < g->n; i++) {
		struct pki_row *r = &rows[i];

		/* On another medium the side of each recipient says which. */
		if (g->medium != NULL)
			action = pki_policy_outside(pki_matrix_find(&st->matrix, g->names[i])) ?
				 PKI_ACTION_EXPORT : PKI_ACTION_SHARE;
		r->f[PKI_COL_ACTION] = pki_action_name(action);
		r->f[PKI_COL_MEDIUM] = g->medium;
		r->f[PKI_COL_PRODUCT] = l->id;
		r->f[PKI_COL_LEVEL] = pki_level_name(l->level);
		r->f[PKI_COL_ACTOR] = st->actor->name;
		r->f[PKI_COL_RECIPIENT] = g->names[i];
		r->f[PKI_COL_AUTHORITY] = auth[i];
		r->f[PKI_COL_JUSTIFICATION] = g->j;
		if (action == PKI_ACTION_EXPORT) {
			r->f[PKI_COL_HRDDP] = g->hrddp;
			r->f[PKI_COL_ARRANGEMENT] = g->arrangement;
			r->f[PKI_COL_REFERENCE] = g->consent;
		}
	}
	return pki_registry_append(t, now, rows, g->n);
}

static int message(struct pki_buf *msg, struct pki_session *s, const struct pki_share_req *g,
		   const struct pki_state *st, enum pki_action action,
		   const struct share *copies)
{
	const char *name = pki_action_name(action);
	struct pki_buf object = PKI_BUF_INIT;
	size_t i;
	int rc;

	/* "share ID with jmac, undss": git log --oneline tells the story. */
	rc = pki_buf_printf(&object, "%s %s", g->id, g->revoke ? "from" : "with");
	for (i = 0; i < g->n && rc == 0; i++)
		rc = pki_buf_printf(&object, "%s %s", i > 0 ? "," : "", g->names[i]);
	if (rc == 0)
		rc = pki_msg_subject(msg, s->prog, name, object.ptr);
	pki_buf_release(&object);
	if (rc < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", name)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Product", g->id)) < 0)
		return rc;
	for (i = 0; i < g->n; i++)
		if ((rc = pki_msg_trailer(msg, "Pki-Recipient", g->names[i])) < 0)
			return rc;
	for (i = 0; copies != NULL && i < copies->nout; i++)
		if ((rc = pki_msg_trailer(msg, "Pki-Copy-Sha256", copies->out[i].sha256)) < 0)
			return rc;
	if (g->medium != NULL && (rc = pki_msg_trailer(msg, "Pki-Medium", g->medium)) < 0)
		return rc;
	return pki_msg_trailer(msg, "Pki-Actor", st->actor->name);
}

/* --- inside the mission: share and revoke --- */

/* The label's list, with the recipients added (share) or taken off (revoke). */
static int new_list(struct pki_names *list, const struct pki_label *l,
		    const struct pki_share_req *g)
{
	size_t i, k;
	int rc;

	for (i = 0; i < l->nrecipients; i++) {
		for (k = 0; g->revoke && k < g->n; k++)
			if (strcmp(l->recipients[i], g->names[k]) == 0)
				break;
		if (g->revoke && k < g->n)
			continue;
		if ((rc = pki_names_add(list, l->recipients[i])) < 0)
			return rc;
	}
	for (k = 0; !g->revoke && k < g->n; k++)
		if ((rc = pki_names_add(list, g->names[k])) < 0)
			return rc;
	return 0;
}

static int build_list(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		      struct pki_buf *msg, const struct share *sh, struct pki_label *l)
{
	const struct pki_share_req *g = sh->g;
	const char *auth[PKI_SHARE_RECIPIENTS_MAX];
	struct pki_names list = { 0 };
	enum pki_action action = g->revoke ? PKI_ACTION_REVOKE : PKI_ACTION_SHARE;
	int rc;

	if ((rc = judge_all(auth, sh, t, st, l, s->now)) < 0 ||
	    (rc = new_list(&list, l, g)) < 0)
		goto out;
	/* The registry rows and the message name the recipients as given,
	 * not the list, which the re-encryption hands over to the label. */
	if ((rc = record(t, g, st, l, auth, action, s->now)) < 0 ||
	    (rc = message(msg, s, g, st, action, NULL)) < 0 ||
	    (rc = pki_product_reencrypt(t, s->gpg, &st->matrix, l, &list)) < 0)
		goto out;
out:
	pki_names_release(&list);
	return rc;
}

/* --- outside the mission: export --- */

static int build_export(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			struct pki_buf *msg, struct share *sh, struct pki_label *l)
{
	const struct pki_share_req *g = sh->g;
	const struct pki_principal *r;
	const char *auth[PKI_SHARE_RECIPIENTS_MAX];
	size_t i;
	int rc;

	if ((rc = judge_all(auth, sh, t, st, l, s->now)) < 0 ||
	    (rc = record(t, g, st, l, auth, PKI_ACTION_EXPORT, s->now)) < 0)
		return rc;
	/* A retried change records the copies the first try made.  Each
	 * copy's label is made from the product's, afresh. */
	for (i = 0; i < sh->nout; i++) {
		struct pki_label copy;

		r = pki_matrix_find(&st->matrix, g->names[i]);
		if (sh->out[i].made)
			continue;
		if ((rc = pki_product_label(t, g->id, &copy)) < 0)
			return rc;
		rc = pki_export_write(&sh->out[i], t, s->gpg, &copy, r->name, r->fpr,
				      s->key.fpr, g->armor);
		pki_label_release(&copy);
		if (rc < 0)
			return rc;
	}
	return message(msg, s, g, st, PKI_ACTION_EXPORT, sh);
}

/* --- on another medium --- */

/* The rows alone: the product, its label and its list stay as they are. */
static int build_medium(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			struct pki_buf *msg, const struct share *sh, struct pki_label *l)
{
	const char *auth[PKI_SHARE_RECIPIENTS_MAX];
	int rc;

	if ((rc = judge_all(auth, sh, t, st, l, s->now)) < 0 ||
	    (rc = record(t, sh->g, st, l, auth, PKI_ACTION_SHARE, s->now)) < 0)
		return rc;
	return message(msg, s, sh->g, st, PKI_ACTION_SHARE, NULL);
}

static int build(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		 struct pki_buf *msg, void *arg)
{
	struct share *sh = arg;
	const struct pki_share_req *g = sh->g;
	struct pki_arrangements arr = { 0 };
	struct pki_label l;
	struct pki_product p;
	bool outside = false, present;
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_arrangements_load(t, &arr, &present)) < 0)
		goto done;
	/* Free-text references while the register does not exist yet. */
	sh->arr = present ? &arr : NULL;
	if ((rc = pki_product_label(t, g->id, &l)) < 0)
		goto done;
	pki_product_of_label(&l, &p);
	if (!g->revoke && (rc = which_side(&outside, sh, t, st, &p, s->now)) < 0)
		goto out;
	if (g->medium != NULL)
		rc = build_medium(s, t, st, msg, sh, &l);
	else if (outside)
		rc = build_export(s, t, st, msg, sh, &l);
	else
		rc = build_list(s, t, st, msg, sh, &l);
out:
	pki_label_release(&l);
done:
	sh->arr = NULL;
	pki_arrangements_release(&arr);
	return rc;
}

/* -o DIR: DIR/<ID>.<R>.gpg for each recipient (its label beside it). */
static int dir_paths(struct share *sh)
{
	const struct pki_share_req *g = sh->g;
	size_t i;

	if (g->label != NULL)
		return pki_error(PKI_EUSAGE, "with -o DIR each copy's label is written beside "
				 "it: no --label");
	if ((sh->paths = calloc(g->n, sizeof(*sh->paths))) == NULL)
		return pki_error(PKI_EINTERNAL, "share: out of memory");
	for (i = 0; i < g->n; i++)
		if ((size_t)snprintf(sh->paths[i], COPY_PATH_MAX, "%s/%s.%s.gpg", g->out, g->id,
				     g->names[i]) >= COPY_PATH_MAX - 4)
			return pki_error(PKI_EUSAGE, "-o %s: the path is too long", g->out);
	return 0;
}

int pki_share_run(struct pki_session *s, const struct pki_share_req *g)
{
	struct share sh = { .g = g };
	struct stat st;
	size_t i, n;
	int rc;

	sh.dir = g->out != NULL && g->medium == NULL && !g->revoke &&
		 stat(g->out, &st) == 0 && S_ISDIR(st.st_mode);
	n = sh.dir ? g->n : 1;
	if ((sh.out = calloc(n, sizeof(*sh.out))) == NULL)
		return pki_error(PKI_EINTERNAL, "share: out of memory");
	for (i = 0; i < n; i++)
		sh.out[i].fd = sh.out[i].label_fd = -1;
	/* The files are made before the lock, so that a bad path is refused
	 * before anything is judged; a refusal takes them back. */
	if (sh.dir && (rc = dir_paths(&sh)) < 0)
		goto out;
	for (rc = 0, i = 0; i < n && rc == 0; i++, sh.nout++)
		rc = pki_export_open(&sh.out[i], sh.dir ? sh.paths[i] : g->out,
				     sh.dir ? NULL : g->label);
	if (rc == 0)
		rc = pki_session_change(s, build, &sh);
out:
	for (i = 0; i < sh.nout; i++)
		rc = pki_export_close(&sh.out[i], rc);
	free(sh.out);
	free(sh.paths);
	return rc;
}

int pki_share_check(const struct pki_share_req *g)
{
	size_t i, k;
	int rc;

	if ((rc = pki_check_product_id(g->id)) < 0)
		return rc;
	for (i = 0; i < g->n; i++) {
		if ((rc = pki_check_principal("recipient", g->names[i])) < 0)
			return rc;
		for (k = 0; k < i; k++)
			if (strcmp(g->names[k], g->names[i]) == 0)
				return pki_error(PKI_EUSAGE, "recipient '%s' given twice", g->names[i]);
	}
	if ((g->j && (rc = pki_check_free_text("-j", g->j, JUSTIFICATION_MAX)) < 0) ||
	    (g->authority && (rc = pki_check_free_text("--authority", g->authority, 64)) < 0) ||
	    (g->hrddp && (rc = pki_check_free_text("--hrddp", g->hrddp, REF_MAX)) < 0) ||
	    (g->arrangement && (rc = pki_check_free_text("--arrangement", g->arrangement, REF_MAX)) < 0) ||
	    (g->consent && (rc = pki_check_free_text("--consent", g->consent, REF_MAX)) < 0) ||
	    (rc = pki_policy_medium(g->medium)) < 0)
		return rc;
	if (g->medium != NULL && (g->revoke || g->out || g->label || g->armor))
		return pki_error(PKI_EUSAGE, "--medium records a dissemination that is not a "
				 "file: it takes no --revoke, -o, --label or -a");
	if (g->n > PKI_SHARE_RECIPIENTS_MAX)
		return pki_error(PKI_EUSAGE, "at most %d recipients in one call",
				 PKI_SHARE_RECIPIENTS_MAX);
	return 0;
}
