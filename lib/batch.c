/* batch.c: many products filed in one change (batch.h).
 *
 * The manifest is read whole (bounded) and parsed by csv.c; every row is
 * checked against the words, its file and the rules at the tip before
 * anything is encrypted.  Each product is then encrypted before the lock,
 * one at a time, its plaintext streamed and closed again, so memory stays
 * flat but for one small record per product; the change stages them all
 * (pki_filing_build per product, into one transaction), appends their
 * registry rows to the shard once, and commits once.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "csv.h"
#include "error.h"
#include "ir.h"
#include "registry.h"
#include "requirements.h"
#include "session.h"

#define TEXT_MAX 256

/* The columns, and which are required, of each kind of manifest. */
enum col {
	C_FILE, C_LEVEL, C_CRITERION, C_AREAS, C_IR, C_REVIEW, C_KIND, C_SAFETY,
	C_RETENTION, C_FROM, C_VIA, C_REF, C_ORCON, C_NCOLS
};

static const char *const col_names[C_NCOLS] = {
	"file", "level", "criterion", "areas", "ir", "review", "kind", "safety",
	"retention", "from", "via", "ref", "originator_control",
};

/* 2: required, 1: optional, 0: not of this manifest. */
static const char col_classify[C_NCOLS] = { 2, 2, 2, 2, 1, 1, 1, 1, 1, 0, 0, 0, 0 };
static const char col_receive[C_NCOLS] = { 2, 2, 2, 2, 1, 1, 0, 0, 0, 2, 2, 2, 1 };

struct item {
	struct pki_filing f;
	char *path;		/* the file, relative to the manifest's directory */
	char *why;		/* the registry row's justification */
	char *ir[PKI_IR_CITED_MAX];
	uint64_t size;
};

struct run {
	struct pki_session *s;
	struct pki_batch *b;
	struct pki_table *table;
	int col[C_NCOLS];	/* the table's column of each, -1: absent */
	struct item *items;
	size_t n;
	struct pki_buf rows;	/* every product's registry rows */
	char *mission, *entity, *site;
};

static const char *cell(const struct run *r, size_t row, enum col c)
{
	return r->col[c] < 0 ? "" : pki_table_get(r->table, row, (size_t)r->col[c]);
}

/* --- the manifest --- */

static int read_manifest(const char *path, struct pki_buf *out)
{
	struct stat st;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return pki_error_errno(PKI_ENOINPUT, "cannot open '%s'", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		rc = pki_error(PKI_ENOINPUT, "'%s' is not a regular file", path);
	else if (st.st_size > PKI_BATCH_MAX_BYTES)
		rc = pki_error(PKI_EDATA, "%s: larger than %d bytes", path, PKI_BATCH_MAX_BYTES);
	else
		rc = pki_read_fd(fd, PKI_BATCH_MAX_BYTES, out);
	close(fd);
	return rc;
}

/* The header names the columns: each known to this manifest, once, and
 * every required one present. */
static int columns(struct run *r, const char *what, const char *data, size_t len)
{
	const char *want = r->b->action == PKI_ACTION_RECEIVE ? col_receive : col_classify;
	struct pki_table *h = NULL;
	const char **names = NULL;
	size_t i;
	int c, rc;

	for (c = 0; c < C_NCOLS; c++)
		r->col[c] = -1;
	if ((rc = pki_csv_header(&h, what, data, len)) < 0)
		goto out;
	if (h->nrows == 0) {
		rc = pki_error(PKI_EDATA, "%s: empty; a header row names the columns", what);
		goto out;
	}
	for (i = 0; i < h->ncols; i++) {
		const char *name = pki_table_get(h, 0, i);

		for (c = 0; c < C_NCOLS && (!want[c] || strcmp(name, col_names[c]) != 0); c++)
			;
		if (c == C_NCOLS) {
			rc = pki_error(PKI_EDATA, "%s: line 1: unknown column '%.64s'", what, name);
			goto out;
		}
		if (r->col[c] >= 0) {
			rc = pki_error(PKI_EDATA, "%s: line 1: column '%s' twice", what, name);
			goto out;
		}
		r->col[c] = (int)i;
	}
	for (c = 0; c < C_NCOLS; c++)
		if (want[c] == 2 && r->col[c] < 0) {
			rc = pki_error(PKI_EDATA, "%s: line 1: no column '%s'", what, col_names[c]);
			goto out;
		}
	if ((names = calloc(h->ncols, sizeof(*names))) == NULL) {
		rc = pki_error_errno(PKI_EINTERNAL, "batch");
		goto out;
	}
	for (i = 0; i < h->ncols; i++)
		names[i] = pki_table_get(h, 0, i);
	if ((rc = pki_table_parse(&r->table, what, data, len, names, h->ncols)) < 0)
		goto out;
	if (r->table->nrows == 0)
		rc = pki_error(PKI_EDATA, "%s: no products", what);
	else if (r->table->nrows > PKI_BATCH_MAX_ROWS)
		rc = pki_error(PKI_EDATA, "%s: more than %d products", what, PKI_BATCH_MAX_ROWS);
out:
	free(names);
	pki_table_free(h);
	return rc;
}

/* --- one row --- */

static int parse_bool(const char *what, const char *s, bool dflt, bool *out)
{
	if (*s == '\0')
		*out = dflt;
	else if (strcmp(s, "true") == 0)
		*out = true;
	else if (strcmp(s, "false") == 0)
		*out = false;
	else
		return pki_error(PKI_EUSAGE, "%s '%.32s' is neither true nor false", what, s);
	return 0;
}

static int nonempty_text(const char *what, const char *s)
{
	int rc;

	if ((rc = pki_check_text(what, s, TEXT_MAX)) < 0)
		return rc;
	return *s == '\0' ? pki_error(PKI_EUSAGE, "%s is empty", what) : 0;
}

/* The file: a regular, non-empty file, relative to the manifest's directory. */
static int check_file(struct item *it, const char *dir, const char *file)
{
	struct stat st;
	int rc;

	if ((rc = nonempty_text("file", file)) < 0)
		return rc;
	if (file[0] == '/' || dir[0] == '\0')
		it->path = strdup(file);
	else if (asprintf(&it->path, "%s/%s", dir, file) < 0)
		it->path = NULL;
	if (it->path == NULL)
		return pki_error_errno(PKI_EINTERNAL, "batch");
	if (stat(it->path, &st) < 0)
		return pki_error_errno(PKI_ENOINPUT, "cannot read '%s'", file);
	if (!S_ISREG(st.st_mode))
		return pki_error(PKI_ENOINPUT, "'%s' is not a regular file", file);
	if (st.st_size == 0)
		return pki_error(PKI_ENOINPUT, "'%s' is empty", file);
	it->size = (uint64_t)st.st_size;
	return 0;
}

/* The words of the row into the label, as the options of one product. */
static int check_words(struct run *r, size_t row, struct item *it)
{
	struct pki_label *l = &it->f.label;
	const char *crit = cell(r, row, C_CRITERION), *review = cell(r, row, C_REVIEW);
	const char *kind = cell(r, row, C_KIND);
	char *ir = (char *)cell(r, row, C_IR);
	size_t i;
	int rc;

	if ((rc = pki_level_parse(cell(r, row, C_LEVEL), &l->level)) < 0 ||
	    (*crit && (rc = pki_criterion_parse(crit, &l->criterion)) < 0) ||
	    (rc = pki_check_areas("areas", cell(r, row, C_AREAS))) < 0 ||
	    (*review && (rc = pki_time_parse("review", review, &l->review)) < 0) ||
	    (*kind && (rc = pki_kind_parse(kind, &l->kind)) < 0) ||
	    (rc = parse_bool("safety", cell(r, row, C_SAFETY), false, &l->safety)) < 0 ||
	    (rc = parse_bool("originator_control", cell(r, row, C_ORCON), true,
			     &l->originator_control)) < 0)
		return rc;
	if (*ir && (rc = pki_requirements_split(ir, it->ir, &l->nir, PKI_IR_CITED_MAX)) < 0)
		return rc;
	for (i = 0; i < l->nir; i++)
		if ((rc = pki_check_text("ir", it->ir[i], TEXT_MAX)) < 0)
			return rc;
	if (l->kind == PKI_KIND_IR)
		return pki_error(PKI_EUSAGE, "requirement wordings are filed by pki-ir add");
	if ((rc = pki_filing_retention(l, *cell(r, row, C_RETENTION) ?
					 cell(r, row, C_RETENTION) : NULL)) < 0)
		return rc;
	if (l->criterion != 0 && l->level == PKI_LEVEL_UNCLASSIFIED)
		return pki_error(PKI_EUSAGE, "a criterion goes with confidential and "
				 "strictly-confidential");
	l->areas = (char *)cell(r, row, C_AREAS);
	l->ir = it->ir;
	if (r->b->action == PKI_ACTION_RECEIVE) {
		const char *from = cell(r, row, C_FROM), *via = cell(r, row, C_VIA);
		const char *ref = cell(r, row, C_REF);

		if ((rc = nonempty_text("from", from)) < 0 ||
		    (*via && (rc = pki_check_text("via", via, TEXT_MAX)) < 0) ||
		    (*ref && (rc = pki_check_text("ref", ref, TEXT_MAX)) < 0))
			return rc;
		l->originator = (char *)from;
		l->received = true;
		/* Origin and channel in the justification, as pki-register. */
		if (asprintf(&it->why, "received from %s%s%s", from, *via ? " via " : "",
			     via) < 0) {
			it->why = NULL;
			return pki_error_errno(PKI_EINTERNAL, "batch");
		}
		it->f.justification = it->why;
		it->f.reference = *ref ? ref : NULL;
		it->f.action = PKI_ACTION_RECEIVE;
	} else {
		l->originator_control = false;
		if (l->criterion != 0) {
			/* The registry says why, in the bulletin's terms. */
			if (asprintf(&it->why, "ST/SGB/2007/6 1.2(%c) %s", l->criterion,
				     pki_criterion_name(l->criterion)) < 0) {
				it->why = NULL;
				return pki_error_errno(PKI_EINTERNAL, "batch");
			}
			it->f.justification = it->why;
		}
		it->f.action = PKI_ACTION_CLASSIFY;
		it->f.authority = "originator";
	}
	return 0;
}

/* The rules for the actor at the tip (policy 9, 11.4): as the judge of
 * one product, and the requirements cited open. */
static int judge(const struct pki_state *st, const struct pki_filing *f, const char *fpr)
{
	int rc;

	if ((rc = pki_state_need_actor(st, fpr)) < 0 ||
	    (rc = f->action == PKI_ACTION_RECEIVE ? pki_policy_may_receive(st->actor) :
	     pki_policy_may_classify(st->actor, f->label.level)) < 0)
		return rc;
	return pki_policy_criterion(f->label.level, f->label.criterion);
}

static void item_release(struct item *it)
{
	pki_sealed_release(&it->f.sealed);
	pki_filing_release(&it->f);
	pki_buf_release(&it->f.unheld);
	free(it->path);
	free(it->why);
}

/* Every row, before anything is encrypted: the first bad one refuses. */
static int check_rows(struct run *r, struct pki_state *st, const char *dir)
{
	struct pki_requirements reqs;
	bool have_reqs = false;
	size_t i;
	int rc = 0;

	if ((r->items = calloc(r->table->nrows, sizeof(*r->items))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "batch");
	for (i = 0; i < r->table->nrows && rc == 0; i++, r->n++) {
		struct item *it = &r->items[i];

		it->f.fd = -1;
		it->f.mission = r->mission;
		it->f.entity = r->entity;
		it->f.site = r->site;
		it->f.rows = &r->rows;
		if ((rc = check_words(r, i, it)) == 0 &&
		    (rc = check_file(it, dir, cell(r, i, C_FILE))) == 0 &&
		    (rc = judge(st, &it->f, r->s->key.fpr)) == 0 && it->f.label.nir > 0) {
			if (!have_reqs && (rc = pki_ir_load_repo(r->s->repo, &reqs, NULL)) == 0)
				have_reqs = true;
			if (rc == 0)
				rc = pki_requirements_cite(&reqs, it->ir, it->f.label.nir);
		}
		if (rc < 0)
			rc = pki_error_wrap(PKI_EDATA, "%s: line %zu", r->b->manifest, i + 2);
	}
	if (have_reqs)
		pki_requirements_release(&reqs);
	return rc;
}

/* --- filing --- */

/* Each product encrypted before the lock, one at a time. */
static int seal_all(struct run *r, struct pki_state *st)
{
	const struct pki_progress *progress = r->s->progress;
	struct pki_source src = { pki_source_fd, NULL, 0 };
	size_t i;
	int fd, rc = 0;

	/* Small products draw no line of their own: the batch's count does. */
	r->s->progress = NULL;
	for (i = 0; i < r->n && rc == 0; i++) {
		struct item *it = &r->items[i];

		pki_progress_report(progress, "Encrypting", i, r->n);
		if ((fd = open(it->path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
			rc = pki_error_errno(PKI_ENOINPUT, "cannot open '%s'", it->path);
			break;
		}
		src.ctx = &fd;
		src.size = it->size;
		it->f.src = &src;
		if (it->size > (64u << 20))
			r->s->progress = progress;
		rc = pki_filing_seal(r->s, st, &it->f);
		r->s->progress = NULL;
		it->f.src = NULL;
		close(fd);
	}
	r->s->progress = progress;
	if (rc == 0)
		pki_progress_report(progress, "Encrypting", r->n, r->n);
	return rc;
}

static int message(struct run *r, struct pki_state *st, struct pki_buf *msg)
{
	const char *action = pki_action_name(r->b->action);
	char what[64], count[32];
	int rc;

	snprintf(what, sizeof(what), "%zu product%s", r->n, r->n == 1 ? "" : "s");
	snprintf(count, sizeof(count), "%zu", r->n);
	if ((rc = pki_msg_subject(msg, r->s->prog, action, what)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", action)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Count", count)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-First", r->items[0].f.id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Last", r->items[r->n - 1].f.id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Actor", st->actor->name)) < 0)
		return rc;
	return 0;
}

/* Under the lock, from the tip: every product judged again and staged,
 * the registry rows appended once, one message. */
static int build(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		 struct pki_buf *msg, void *arg)
{
	struct run *r = arg;
	struct pki_buf scratch = PKI_BUF_INIT;
	size_t i;
	int rc = 0;

	pki_buf_reset(&r->rows);
	for (i = 0; i < r->n && rc == 0; i++) {
		struct item *it = &r->items[i];

		pki_progress_report(s->progress, "Filing", i, r->n);
		if ((rc = judge(st, &it->f, s->key.fpr)) < 0) {
			rc = pki_error_wrap(PKI_EDATA, "%s: line %zu", r->b->manifest, i + 2);
			break;
		}
		if (it->f.action == PKI_ACTION_RECEIVE)
			/* The Chair keeps the registry; a member stands for the originator. */
			it->f.authority = st->actor->role == PKI_ROLE_CHAIR ? "custodian" :
					  "originator";
		if (it->f.blob[0] == '\0') {
			/* Nothing was encrypted before the lock, and a batch
			 * keeps no plaintext open to encrypt under it. */
			rc = pki_error(PKI_EBUSY, "%s: line %zu: the access matrix changed "
				       "meanwhile; run the command again", r->b->manifest, i + 2);
			break;
		}
		pki_buf_reset(&scratch);
		if ((rc = pki_filing_build(s, t, st, &scratch, &it->f)) < 0)
			rc = pki_error_wrap(-rc, "%s: line %zu", r->b->manifest, i + 2);
	}
	if (rc == 0)
		pki_progress_report(s->progress, "Filing", r->n, r->n);
	if (rc == 0 && (rc = pki_registry_append_csv(t, s->now, r->rows.ptr, r->rows.len)) == 0)
		rc = message(r, st, msg);
	pki_buf_release(&scratch);
	return rc;
}

/* The manifest's directory: "" for one in the current directory. */
static int manifest_dir(const char *path, char **out)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		*out = strdup("");
	else if (slash == path)
		*out = strdup("/");
	else
		*out = strndup(path, (size_t)(slash - path));
	return *out != NULL ? 0 : pki_error_errno(PKI_EINTERNAL, "batch");
}

static int results(struct run *r)
{
	struct pki_batch *b = r->b;
	size_t i;

	if ((b->ids = calloc(r->n, sizeof(*b->ids))) == NULL ||
	    (b->unheld = calloc(r->n, sizeof(*b->unheld))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "batch");
	for (i = 0; i < r->n; i++, b->n++) {
		memcpy(b->ids[i], r->items[i].f.id, PKI_ID_MAX);
		b->unheld[i] = r->items[i].f.unheld.ptr;
		r->items[i].f.unheld = (struct pki_buf)PKI_BUF_INIT;
	}
	return 0;
}

int pki_batch_run(struct pki_session *s, struct pki_batch *b)
{
	struct run r = { s, b, NULL, { 0 }, NULL, 0, PKI_BUF_INIT, NULL, NULL, NULL };
	struct pki_buf data = PKI_BUF_INIT;
	struct pki_state st;
	bool have_state = false;
	char *dir = NULL;
	size_t i;
	int rc;

	b->n = 0;
	b->ids = NULL;
	b->unheld = NULL;
	if ((rc = pki_filing_where(s->repo, b->entity, b->site, &r.mission, &r.entity,
				   &r.site)) < 0 ||
	    (rc = read_manifest(b->manifest, &data)) < 0 ||
	    (rc = columns(&r, b->manifest, data.ptr != NULL ? data.ptr : "", data.len)) < 0 ||
	    (rc = manifest_dir(b->manifest, &dir)) < 0 ||
	    (rc = pki_state_load_repo(&st, s->repo, s->key.fpr, s->now)) < 0)
		goto out;
	have_state = true;
	if ((rc = pki_state_need_actor(&st, s->key.fpr)) < 0 ||
	    (rc = check_rows(&r, &st, dir)) < 0 ||
	    (rc = seal_all(&r, &st)) < 0)
		goto out;
	pki_state_release(&st);
	have_state = false;
	if ((rc = pki_session_change(s, build, &r)) == 0)
		rc = results(&r);
out:
	if (have_state)
		pki_state_release(&st);
	for (i = 0; i < r.n; i++)
		item_release(&r.items[i]);
	free(r.items);
	pki_table_free(r.table);
	pki_buf_release(&r.rows);
	pki_buf_release(&data);
	free(dir);
	free(r.site);
	free(r.entity);
	free(r.mission);
	return rc;
}

void pki_batch_release(struct pki_batch *b)
{
	size_t i;

	for (i = 0; b->unheld != NULL && i < b->n; i++)
		free(b->unheld[i]);
	free(b->unheld);
	free(b->ids);
	b->unheld = NULL;
	b->ids = NULL;
	b->n = 0;
}
