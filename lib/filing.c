/* filing.c: filing a new product, classified in the mission or received.
 *
 * One transaction: the ID allocated under the lock, the ciphertext
 * streamed into the object store, the label bound to it, the registry
 * rows, one commit message.  Standard input is read once, so a try that
 * lost the race for the branch leaves its ciphertext for the next.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "ir.h"
#include "product.h"
#include "registry.h"
#include "retention.h"
#include "session.h"

void pki_filing_release(struct pki_filing *f)
{
	size_t i;

	for (i = 0; i < f->nnames; i++)
		free(f->names[i]);
	free(f->names);
	f->names = NULL;
	f->nnames = 0;
}

static int keep_list(struct pki_filing *f, const struct pki_names *list)
{
	size_t i;

	pki_filing_release(f);
	if ((f->names = calloc(list->n ? list->n : 1, sizeof(*f->names))) == NULL)
		return pki_error(PKI_EINTERNAL, "filing: out of memory");
	for (i = 0; i < list->n; i++, f->nnames++)
		if ((f->names[i] = strdup(list->v[i])) == NULL)
			return pki_error(PKI_EINTERNAL, "filing: out of memory");
	return 0;
}

static bool same_list(const struct pki_filing *f, const struct pki_names *list)
{
	size_t i;

	if (f->nnames != list->n)
		return false;
	for (i = 0; i < list->n; i++)
		if (strcmp(f->names[i], list->v[i]) != 0)
			return false;
	return true;
}

/* The plaintext again from its start, when it is a file. */
static bool rewind_input(struct pki_filing *f)
{
	struct stat st;

	return f->fd >= 0 && fstat(f->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	       lseek(f->fd, 0, SEEK_SET) == 0;
}

/*
 * The ciphertext made before the lock, when the list the tip implies
 * now is the one it was made for; else (the matrix changed meanwhile,
 * or nothing was made) encrypted here, under the lock.  A later try
 * stages the same ciphertext again.
 */
static int stage_ciphertext(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			    struct pki_filing *f, const struct pki_names *list)
{
	char path[PKI_PRODUCT_PATH_MAX];
	int rc;

	if ((rc = pki_product_path(f->id, "gpg", path)) < 0)
		return rc;
	if (f->blob[0] != '\0' && same_list(f, list))
		return pki_txn_put_blob(t, path, f->blob,
					strcmp(f->blob, f->sealed.blob) == 0 ? f->sealed.shadow : NULL);
	if (f->blob[0] != '\0' && !rewind_input(f))
		return pki_error(PKI_EBUSY, "the access matrix changed while the product "
				 "was being encrypted; run the command again");
	f->blob[0] = '\0';
	if ((rc = pki_product_encrypt(t, s->gpg, &st->matrix, list, f->src, f->id,
				      f->sha256)) < 0 ||
	    (rc = pki_txn_blob_id(t, path, f->blob)) < 0)
		return rc;
	return keep_list(f, list);
}

/* The list a new product starts with (pki_policy_initial_list). */
static int initial_list(struct pki_session *s, struct pki_state *st, const struct pki_filing *f,
			struct pki_names *list)
{
	const char *originator = f->label.received ? st->actor->name :
		f->label.originator != NULL ? f->label.originator : st->actor->name;

	if (f->label.kind == PKI_KIND_IR)
		return pki_policy_ir_list(&st->matrix, originator, f->owner, f->label.level, s->now,
					  list);
	return pki_policy_initial_list(&st->matrix, originator, f->label.level,
				       f->label.safety, s->now, list);
}

/* The classify or receive row; for a safety product, the undss shares. */
static int stage_rows(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		      const struct pki_filing *f, const struct pki_names *list)
{
	const struct pki_principal *p;
	struct pki_row *rows;
	struct pki_buf all = PKI_BUF_INIT;
	size_t n = 1, i;
	int rc;

	if ((rows = calloc(1 + list->n, sizeof(*rows))) == NULL)
		return pki_error(PKI_EINTERNAL, "filing: out of memory");
	if ((rc = pki_names_join(list, &all)) < 0)
		goto out;
	rows[0].f[PKI_COL_ACTION] = pki_action_name(f->action);
	rows[0].f[PKI_COL_RECIPIENT] = all.ptr;
	rows[0].f[PKI_COL_AUTHORITY] = f->authority;
	rows[0].f[PKI_COL_JUSTIFICATION] = f->justification;
	rows[0].f[PKI_COL_REFERENCE] = f->reference;
	for (i = 0; f->label.safety && i < list->n; i++) {
		p = pki_matrix_find(&st->matrix, list->v[i]);
		if (p == NULL || p->role != PKI_ROLE_UNDSS)
			continue;
		rows[n].f[PKI_COL_ACTION] = pki_action_name(PKI_ACTION_SHARE);
		rows[n].f[PKI_COL_RECIPIENT] = p->name;
		rows[n].f[PKI_COL_AUTHORITY] = "undss-rule";
		rows[n++].f[PKI_COL_JUSTIFICATION] = PKI_UNDSS_JUSTIFICATION;
	}
	for (i = 0; i < n; i++) {
		rows[i].f[PKI_COL_PRODUCT] = f->id;
		rows[i].f[PKI_COL_LEVEL] = pki_level_name(f->label.level);
		rows[i].f[PKI_COL_ACTOR] = st->actor->name;
	}
	rc = f->rows != NULL ? pki_registry_rows_csv(f->rows, s->now, rows, n) :
	     pki_registry_append(t, s->now, rows, n);
out:
	pki_buf_release(&all);
	free(rows);
	return rc;
}

static int message(struct pki_session *s, struct pki_state *st, const struct pki_filing *f,
		   struct pki_buf *msg)
{
	const char *action = pki_action_name(f->action);
	int rc;

	if ((rc = pki_msg_subject(msg, s->prog, action, f->id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", action)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Product", f->id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Level", pki_level_name(f->label.level))) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Actor", st->actor->name)) < 0)
		return rc;
	return 0;
}

/* The label as filed: the caller's, with ID, time, list and binding. */
static int stage_label(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		       const struct pki_filing *f, const struct pki_names *list)
{
	struct pki_label l = f->label;
	int rc;

	l.id = (char *)f->id;
	l.created = s->now;
	if (l.originator == NULL)
		l.originator = st->actor->name;
	if (l.received && l.registrar == NULL)
		l.registrar = st->actor->name;
	l.recipients = NULL;
	l.nrecipients = 0;
	memcpy(l.sha256, f->sha256, sizeof(l.sha256));
	if ((rc = pki_product_set_list(&l, list)) == 0)
		rc = pki_product_put_label(t, &l);
	while (l.nrecipients > 0)
		free(l.recipients[--l.nrecipients]);
	free(l.recipients);
	return rc;
}

int pki_filing_build(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		     struct pki_buf *msg, struct pki_filing *f)
{
	const char *entity = f->entity != NULL ? f->entity : st->actor->entity;
	struct pki_names list = { 0 };
	int rc;

	if ((rc = pki_check_code("entity", entity)) < 0 ||
	    (f->site != NULL && (rc = pki_check_code("site", f->site)) < 0) ||
	    (rc = initial_list(s, st, f, &list)) < 0 ||
	    (rc = pki_ir_cited(t, f->label.ir, f->label.nir)) < 0 ||
	    (rc = pki_product_next_id(t, f->mission, entity, f->site, s->now, f->id)) < 0 ||
	    (rc = stage_ciphertext(s, t, st, f, &list)) < 0 ||
	    (rc = stage_label(s, t, st, f, &list)) < 0 ||
	    (rc = stage_rows(s, t, st, f, &list)) < 0 ||
	    (rc = message(s, st, f, msg)) < 0)
		goto out;
	pki_buf_reset(&f->unheld);
	rc = pki_policy_unheld_areas(&st->matrix, f->label.areas, &s->now, &f->unheld);
out:
	pki_names_release(&list);
	return rc;
}

int pki_filing_retention(struct pki_label *l, const char *retention)
{
	int rc;

	if (retention == NULL)
		return l->kind != PKI_KIND_MATERIAL ? 0 :
			pki_error(PKI_EUSAGE, "--kind material needs --retention DURATION, "
				  "e.g. P5Y");
	if (l->kind != PKI_KIND_MATERIAL)
		return pki_error(PKI_EUSAGE, "--retention goes with --kind material: products "
				 "and plans are kept permanently");
	if ((rc = pki_retention_parse("--retention", retention, NULL)) < 0)
		return rc;
	l->retention = (char *)retention;
	return 0;
}

/* The plaintext: FILE, or standard input (*fd 0) for NULL or "-"; its
 * size when it is a regular file, for progress. */
static int open_input(const char *file, int *fd, uint64_t *size)
{
	struct stat st;

	*fd = 0;
	*size = 0;
	if (file != NULL && strcmp(file, "-") != 0 &&
	    (*fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return pki_error_errno(PKI_ENOINPUT, "cannot open '%s'", file);
	if (fstat(*fd, &st) == 0 && S_ISDIR(st.st_mode))
		return pki_error(PKI_ENOINPUT, "'%s' is a directory", file);
	if (S_ISREG(st.st_mode) && st.st_size > 0)
		*size = (uint64_t)st.st_size;
	return 0;
}

/*
 * Encrypt before the lock, to the list the tip implies: a large product
 * then holds no other command up.  What the judge would refuse, an actor
 * the tip does not know, or a list that cannot be made is not encrypted
 * here: the build refuses it under the lock, in its own order (a clock
 * behind the tip first), before it encrypts anything.
 */
int pki_filing_seal(struct pki_session *s, struct pki_state *st, struct pki_filing *f)
{
	struct pki_names list = { 0 };
	int rc = 0;

	if (st->actor == NULL || initial_list(s, st, f, &list) < 0)
		goto out;
	if ((rc = pki_product_seal(s->repo, s->gpg, &st->matrix, &list, f->src, s->progress,
				   &f->sealed)) < 0 ||
	    (rc = keep_list(f, &list)) < 0)
		goto out;
	memcpy(f->blob, f->sealed.blob, sizeof(f->blob));
	memcpy(f->sha256, f->sealed.sha256, sizeof(f->sha256));
out:
	pki_names_release(&list);
	return rc;
}

static int seal_early(struct pki_session *s, struct pki_filing *f)
{
	struct pki_state st;
	int rc;

	if (pki_state_load_repo(&st, s->repo, s->key.fpr, s->now) < 0)
		return 0;
	/* What the judge refuses is refused by the build, in its order. */
	rc = f->judge == NULL || f->judge(&st, f, s->key.fpr) == 0 ? pki_filing_seal(s, &st, f) : 0;
	pki_state_release(&st);
	return rc;
}

/* A code of this clone: the one given, else the git config key's, else NULL. */
static int local_code(struct pki_repo *r, const char *given, const char *key, char **out)
{
	int rc;

	*out = NULL;
	if (given != NULL)
		return (*out = strdup(given)) != NULL ? 0 :
			pki_error_errno(PKI_EINTERNAL, "%s", key);
	if ((rc = pki_repo_local_get(r, key, out)) < 0)
		return rc;
	if (*out != NULL && pki_check_code(key, *out) < 0)
		return pki_error_wrap(PKI_ECONFIG, "git config");
	return 0;
}

/* mission.code; the entity given, else pki.entity, else NULL (the actor's);
 * the site given, else pki.site, else NULL (none). */
int pki_filing_where(struct pki_repo *r, const char *given, const char *site,
		 char **mission, char **entity, char **site_out)
{
	int rc;

	*mission = *entity = *site_out = NULL;
	if ((rc = pki_repo_conf_get(r, "mission.code", mission)) < 0)
		return rc;
	if (*mission == NULL || pki_check_code("mission.code", *mission) < 0)
		return pki_error(PKI_ECONFIG, "%s: no valid mission.code", PKI_CONF_FILE);
	if ((rc = local_code(r, given, "pki.entity", entity)) < 0)
		return rc;
	return local_code(r, site, "pki.site", site_out);
}

static int run(struct pki_session *s, struct pki_filing *f, const char *entity,
	       const char *site, const char *file, struct pki_source *given, pki_build_fn build)
{
	struct pki_source src = { pki_source_fd, NULL };
	char *mission = NULL, *ent = NULL, *st = NULL;
	int fd = -1, rc;

	f->fd = -1;
	if ((rc = pki_filing_where(s->repo, entity, site, &mission, &ent, &st)) < 0 ||
	    (given == NULL && (rc = open_input(file, &fd, &src.size)) < 0))
		goto out;
	src.ctx = &fd;
	if (given != NULL)
		src = *given;
	f->fd = fd;
	f->mission = mission;
	f->entity = ent;
	f->site = st;
	f->src = &src;
	if ((rc = seal_early(s, f)) == 0)
		rc = pki_session_change(s, build, f);
out:
	if (fd > 0)
		close(fd);
	pki_sealed_release(&f->sealed);
	f->fd = -1;
	pki_filing_release(f);
	f->mission = f->entity = f->site = NULL;
	f->src = NULL;
	free(st);
	free(ent);
	free(mission);
	return rc;
}

int pki_filing_run(struct pki_session *s, struct pki_filing *f, const char *entity,
		   const char *site, const char *file, pki_build_fn build)
{
	return run(s, f, entity, site, file, NULL, build);
}

int pki_filing_run_source(struct pki_session *s, struct pki_filing *f, const char *entity,
			  const char *site, struct pki_source *src, pki_build_fn build)
{
	return run(s, f, entity, site, NULL, src, build);
}
