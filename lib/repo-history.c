/* repo-history.c: the history of main, read for the audit. */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "error.h"
#include "repo.h"
#include "repo-int.h"
#include "rows.h"

/* --- history, for the audit ---
 *
 * The audit reads every commit of main once, oldest first: its signature
 * as git wrote it, and the files it changed, as a tree diff that skips
 * every subtree whose ID did not change (so a commit touching one product
 * costs the same among ten or ten thousand).  Blob contents are read only
 * when asked for, by ID.
 */

struct pki_walk {
	struct pki_repo *r;
	git_revwalk *rw;
	char since[GIT_OID_HEXSZ + 1];
};

void pki_deltas_free(struct pki_delta *v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

const struct pki_delta *pki_delta_find(const struct pki_delta *v, size_t n, const char *path)
{
	size_t lo = 0, hi = n, mid;
	int d;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((d = strcmp(path, v[mid].path)) == 0)
			return &v[mid];
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void pki_commit_release(struct pki_commit *c)
{
	if (c == NULL)
		return;
	free(c->parents);
	free(c->message);
	free(c->author_name);
	free(c->author_email);
	pki_buf_release(&c->payload);
	pki_buf_release(&c->signature);
	pki_deltas_free(c->deltas, c->ndeltas);
	memset(c, 0, sizeof(*c));
}

static int oid_parse(git_oid *out, const char *hex)
{
	if (strlen(hex) != GIT_OID_HEXSZ || git_oid_fromstr(out, hex) < 0)
		return pki_error(PKI_EUSAGE, "'%.64s' is not an object ID", hex);
	return 0;
}

/* The tree of a commit given by hex ID; NULL hex gives a NULL tree. */
static int tree_of(struct pki_repo *r, const char *hex, git_tree **out)
{
	git_commit *c = NULL;
	git_oid id;
	int rc = 0;

	*out = NULL;
	if (hex == NULL)
		return 0;
	if ((rc = oid_parse(&id, hex)) < 0)
		return rc;
	if (git_commit_lookup(&c, r->git, &id) < 0 || git_commit_tree(out, c) < 0)
		rc = repo_fail(PKI_EDATA, "cannot read commit %s", hex);
	git_commit_free(c);
	return rc;
}

/*
 * The files that differ between two trees, as a diff of paths and IDs
 * would list them.  libgit2's git_diff_tree_to_tree walks every entry of
 * both trees, equal subtrees included: with 10,000 products it spent
 * 23 M instructions a commit, most of an audit.  This walk descends only
 * into subtrees whose IDs differ, so a commit costs the buckets it
 * touched.  Submodules count as unmodified, as GIT_DIFF_IGNORE_SUBMODULES
 * has it, unless added or removed.
 */
struct deltas {
	struct pki_delta *v;
	size_t n, cap;
};

static int delta_add(struct deltas *d, const char *path, const git_tree_entry *old,
		     const git_tree_entry *new)
{
	struct pki_delta *v, *x;

	if ((v = pki_row_grow(d->v, d->n, &d->cap, sizeof(*v))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "diff");
	d->v = v;
	x = &d->v[d->n];
	memset(x, 0, sizeof(*x));
	if ((x->path = strdup(path)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "diff");
	if (old != NULL && git_tree_entry_filemode(old) != GIT_FILEMODE_COMMIT)
		git_oid_tostr(x->old_id, sizeof(x->old_id), git_tree_entry_id(old));
	if (new != NULL && git_tree_entry_filemode(new) != GIT_FILEMODE_COMMIT)
		git_oid_tostr(x->new_id, sizeof(x->new_id), git_tree_entry_id(new));
	d->n++;
	return 0;
}

static bool is_tree(const git_tree_entry *e)
{
	return e != NULL && git_tree_entry_type(e) == GIT_OBJECT_TREE;
}

static int diff_trees(git_repository *git, const git_tree *a, const git_tree *b,
		      struct pki_buf *path, struct deltas *d);

/* One name present in a, in b or in both (old, new): its files' deltas. */
static int diff_entry(git_repository *git, const git_tree_entry *old,
		      const git_tree_entry *new, struct pki_buf *path, struct deltas *d)
{
	git_tree *ta = NULL, *tb = NULL;
	size_t len = path->len;
	int rc;

	if (old != NULL && new != NULL && git_tree_entry_filemode(old) == git_tree_entry_filemode(new) &&
	    (git_oid_equal(git_tree_entry_id(old), git_tree_entry_id(new)) ||
	     git_tree_entry_filemode(old) == GIT_FILEMODE_COMMIT))
		return 0;
	if ((rc = pki_buf_printf(path, "%s%s", len > 0 ? "/" : "",
				 git_tree_entry_name(old != NULL ? old : new))) < 0)
		return rc;
	/* A file on either side is a delta; a tree on either side is walked. */
	if ((old != NULL && !is_tree(old)) || (new != NULL && !is_tree(new)))
		rc = delta_add(d, path->ptr, is_tree(old) ? NULL : old, is_tree(new) ? NULL : new);
	if (rc == 0 && (is_tree(old) || is_tree(new))) {
		if ((is_tree(old) && git_tree_lookup(&ta, git, git_tree_entry_id(old)) < 0) ||
		    (is_tree(new) && git_tree_lookup(&tb, git, git_tree_entry_id(new)) < 0))
			rc = repo_fail(PKI_EDATA, "cannot read the tree of '%s'", path->ptr);
		else
			rc = diff_trees(git, ta, tb, path, d);
	}
	git_tree_free(ta);
	git_tree_free(tb);
	pki_buf_truncate(path, len);
	return rc;
}

/* Both trees are sorted in git's order, which git_tree_entry_cmp gives. */
static int diff_trees(git_repository *git, const git_tree *a, const git_tree *b,
		      struct pki_buf *path, struct deltas *d)
{
	size_t na = a != NULL ? git_tree_entrycount(a) : 0;
	size_t nb = b != NULL ? git_tree_entrycount(b) : 0;
	size_t i = 0, j = 0;
	const git_tree_entry *ea, *eb;
	int cmp, rc = 0;

	while (rc == 0 && (i < na || j < nb)) {
		ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		cmp = ea == NULL ? 1 : eb == NULL ? -1 : git_tree_entry_cmp(ea, eb);
		if (cmp == 0 && strcmp(git_tree_entry_name(ea), git_tree_entry_name(eb)) != 0)
			cmp = strcmp(git_tree_entry_name(ea), git_tree_entry_name(eb));
		if (cmp < 0)
			rc = diff_entry(git, ea, NULL, path, d), i++;
		else if (cmp > 0)
			rc = diff_entry(git, NULL, eb, path, d), j++;
		else
			rc = diff_entry(git, ea, eb, path, d), i++, j++;
	}
	return rc;
}

static int delta_cmp(const void *x, const void *y)
{
	return strcmp(((const struct pki_delta *)x)->path, ((const struct pki_delta *)y)->path);
}

static int tree_deltas(git_repository *git, git_tree *a, git_tree *b,
		       struct pki_delta **out, size_t *n)
{
	struct pki_buf path = PKI_BUF_INIT;
	struct deltas d = { 0 };
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = pki_buf_printf(&path, "%s", "")) == 0)
		rc = diff_trees(git, a, b, &path, &d);
	pki_buf_release(&path);
	if (rc < 0) {
		pki_deltas_free(d.v, d.n);
		return rc;
	}
	/* In path order, as a diff lists them. */
	if (d.n > 1)
		qsort(d.v, d.n, sizeof(*d.v), delta_cmp);
	*out = d.v;
	*n = d.n;
	return 0;
}

int pki_repo_diff(struct pki_repo *r, const char *from, const char *to,
		  struct pki_delta **out, size_t *n)
{
	git_tree *a = NULL, *b = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = tree_of(r, from, &a)) == 0 && (rc = tree_of(r, to, &b)) == 0)
		rc = tree_deltas(r->git, a, b, out, n);
	git_tree_free(a);
	git_tree_free(b);
	return rc;
}

int pki_walk_begin(struct pki_walk **out, struct pki_repo *r, const char *since)
{
	struct pki_walk *w;
	git_object *obj = NULL, *peeled = NULL;
	int rc = 0;

	*out = NULL;
	/* Each commit's diff reads its parent's trees again: keep the large
	 * ones (a bucket of a thousand products) in libgit2's cache, which
	 * by default keeps none over 4 KiB. */
	if (git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
			     (size_t)(1024 * 1024)) < 0)
		return repo_fail(PKI_EINTERNAL, "libgit2");
	/* But not every tree of the history: the default 256 MiB of cache
	 * fills with trees no later commit reads again (massif: 60 % of the
	 * heap of an audit of 10,000 commits), and a walk needs only the
	 * parent's.  8 MiB holds the buckets a month of commits touches: at
	 * 10,000 commits the audit's peak went from 135 to 92 MiB with 32
	 * MiB -> 8, its time unchanged (bench/README). */
	if (git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)(8 * 1024 * 1024)) < 0)
		return repo_fail(PKI_EINTERNAL, "libgit2");
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "history");
	w->r = r;
	if (git_revwalk_new(&w->rw, r->git) < 0 ||
	    git_revwalk_sorting(w->rw, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push_ref(w->rw, PKI_BRANCH) < 0) {
		rc = repo_fail(PKI_EDATA, "cannot walk %s", PKI_BRANCH);
		goto out;
	}
	if (since != NULL) {
		if (git_revparse_single(&obj, r->git, since) < 0 ||
		    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
			rc = pki_error(PKI_EUSAGE, "'%.64s' names no commit", since);
			goto out;
		}
		if (git_revwalk_hide(w->rw, git_object_id(peeled)) < 0) {
			rc = repo_fail(PKI_EDATA, "cannot walk %s", PKI_BRANCH);
			goto out;
		}
		git_oid_tostr(w->since, sizeof(w->since), git_object_id(peeled));
	}
	*out = w;
	w = NULL;
out:
	git_object_free(peeled);
	git_object_free(obj);
	pki_walk_free(w);
	return rc;
}

const char *pki_walk_since(const struct pki_walk *w)
{
	return w->since;
}

void pki_walk_free(struct pki_walk *w)
{
	if (w == NULL)
		return;
	git_revwalk_free(w->rw);
	free(w);
}

/* The signature and the bytes it covers; an unsigned commit leaves both empty. */
static int commit_signature(git_repository *git, git_oid *id, struct pki_commit *c)
{
	git_buf sig = GIT_BUF_INIT, data = GIT_BUF_INIT;
	int err, rc = 0;

	err = git_commit_extract_signature(&sig, &data, git, id, NULL);
	if (err == GIT_ENOTFOUND)
		return 0;
	if (err < 0)
		return repo_fail(PKI_EDATA, "cannot read the signature of %s", c->id);
	if ((rc = pki_buf_add(&c->payload, data.ptr, data.size)) == 0)
		rc = pki_buf_add(&c->signature, sig.ptr, sig.size);
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	return rc;
}

static int commit_fill(struct pki_walk *w, git_commit *gc, struct pki_commit *c)
{
	git_tree *tree = NULL, *ptree = NULL;
	git_commit *parent = NULL;
	git_oid id;
	size_t i;
	int rc = 0;

	git_oid_cpy(&id, git_commit_id(gc));
	git_oid_tostr(c->id, sizeof(c->id), &id);
	c->nparents = git_commit_parentcount(gc);
	c->when = (time_t)git_commit_author(gc)->when.time;
	if ((c->parents = calloc(c->nparents + 1, sizeof(*c->parents))) == NULL ||
	    (c->message = strdup(git_commit_message(gc) != NULL ? git_commit_message(gc) : "")) == NULL ||
	    (c->author_name = strdup(git_commit_author(gc)->name != NULL ?
				     git_commit_author(gc)->name : "")) == NULL ||
	    (c->author_email = strdup(git_commit_author(gc)->email != NULL ?
				      git_commit_author(gc)->email : "")) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "history");
	for (i = 0; i < c->nparents; i++)
		git_oid_tostr(c->parents[i], 41, git_commit_parent_id(gc, (unsigned int)i));
	if ((rc = commit_signature(w->r->git, &id, c)) < 0)
		return rc;
	if (git_commit_tree(&tree, gc) < 0 ||
	    (c->nparents > 0 && (git_commit_parent(&parent, gc, 0) < 0 ||
				 git_commit_tree(&ptree, parent) < 0))) {
		rc = repo_fail(PKI_EDATA, "cannot read commit %s", c->id);
		goto out;
	}
	rc = tree_deltas(w->r->git, ptree, tree, &c->deltas, &c->ndeltas);
out:
	git_tree_free(ptree);
	git_commit_free(parent);
	git_tree_free(tree);
	return rc;
}

int pki_walk_next(struct pki_walk *w, struct pki_commit *c)
{
	git_commit *gc = NULL;
	git_oid id;
	int err, rc;

	memset(c, 0, sizeof(*c));
	err = git_revwalk_next(&id, w->rw);
	if (err == GIT_ITEROVER)
		return 0;
	if (err < 0 || git_commit_lookup(&gc, w->r->git, &id) < 0)
		return repo_fail(PKI_EDATA, "cannot walk %s", PKI_BRANCH);
	rc = commit_fill(w, gc, c);
	git_commit_free(gc);
	if (rc < 0) {
		pki_commit_release(c);
		return rc;
	}
	return 1;
}

/* --- reading at a commit --- */

static int entry_at(struct pki_repo *r, const char *commit, const char *path,
		    git_tree_entry **out)
{
	git_tree *t = NULL;
	int rc;

	*out = NULL;
	if ((rc = tree_of(r, commit, &t)) < 0)
		return rc;
	if (git_tree_entry_bypath(out, t, path) < 0)
		rc = pki_error(PKI_ENOINPUT, "'%s' does not exist at %.12s", path, commit);
	git_tree_free(t);
	return rc;
}

int pki_repo_id_at(struct pki_repo *r, const char *commit, const char *path, char id[41])
{
	git_tree_entry *e = NULL;
	int rc;

	id[0] = '\0';
	if ((rc = entry_at(r, commit, path, &e)) < 0)
		return rc;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		rc = pki_error(PKI_ENOINPUT, "'%s' is not a file at %.12s", path, commit);
	else
		git_oid_tostr(id, 41, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return rc;
}

int pki_repo_read_at(struct pki_repo *r, const char *commit, const char *path,
		     size_t max, struct pki_buf *out)
{
	char id[41];
	int rc;

	if ((rc = pki_repo_id_at(r, commit, path, id)) < 0)
		return rc;
	if ((rc = pki_repo_blob(r, id, max, false, out)) < 0)
		return pki_error_wrap(-rc, "'%s' at %.12s", path, commit);
	return 0;
}

/* The entries and their names in one allocation: freed with free(). */
static int entries_of(git_tree *t, struct pki_entry **out, size_t *n)
{
	size_t count = git_tree_entrycount(t), names = 0, len, i;
	struct pki_entry *v;
	char *p;

	for (i = 0; i < count; i++)
		names += strlen(git_tree_entry_name(git_tree_entry_byindex(t, i))) + 1;
	if ((v = calloc(1, (count + 1) * sizeof(*v) + names)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "list");
	p = (char *)(v + count + 1);
	for (i = 0; i < count; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);

		len = strlen(git_tree_entry_name(e)) + 1;
		v[i].name = memcpy(p, git_tree_entry_name(e), len);
		p += len;
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB)
			git_oid_tostr(v[i].id, 41, git_tree_entry_id(e));
	}
	*out = v;
	*n = count;
	return 0;
}

int pki_repo_list_at(struct pki_repo *r, const char *commit, const char *dir,
		     struct pki_entry **out, size_t *n)
{
	git_tree *root = NULL, *sub = NULL;
	git_tree_entry *e = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = tree_of(r, commit, &root)) < 0)
		return rc;
	if (dir == NULL || *dir == '\0') {
		rc = entries_of(root, out, n);
		goto out;
	}
	if (git_tree_entry_bypath(&e, root, dir) < 0 || git_tree_entry_type(e) != GIT_OBJECT_TREE) {
		/* No such directory: no entries. */
		if ((*out = calloc(1, sizeof(**out))) == NULL)
			rc = pki_error_errno(PKI_EINTERNAL, "list");
		goto out;
	}
	if (git_tree_lookup(&sub, r->git, git_tree_entry_id(e)) < 0)
		rc = repo_fail(PKI_EDATA, "cannot read '%s' at %.12s", dir, commit);
	else
		rc = entries_of(sub, out, n);
out:
	git_tree_free(sub);
	git_tree_entry_free(e);
	git_tree_free(root);
	return rc;
}

/* The first max bytes of a stream; then the reading stops. */
struct head {
	struct pki_buf *out;
	size_t max;
	bool full;
};

static int head_write(void *ctx, const void *data, size_t len)
{
	struct head *h = ctx;
	size_t room = h->max - h->out->len;
	int rc;

	if ((rc = pki_buf_add(h->out, data, len < room ? len : room)) < 0)
		return rc;
	if (h->out->len < h->max)
		return 0;
	h->full = true;
	return -PKI_EIO;	/* enough: not an error, see pki_repo_blob */
}

int pki_repo_blob(struct pki_repo *r, const char *id, size_t max, bool head,
		  struct pki_buf *out)
{
	struct head h = { out, max, false };
	struct pki_sink sink = { head_write, &h };
	git_oid oid;
	int rc;

	pki_buf_reset(out);
	if (head) {
		/* A large product's head, without reading the whole of it. */
		rc = max > 0 ? pki_repo_blob_stream(r, id, &sink) : 0;
		return rc < 0 && h.full ? 0 : rc;
	}
	if ((rc = oid_parse(&oid, id)) < 0)
		return rc;
	return repo_blob_read(r->git, &oid, id, max, out);
}

int pki_repo_blob_stream(struct pki_repo *r, const char *id, struct pki_sink *out)
{
	git_oid oid;
	int rc;

	if ((rc = oid_parse(&oid, id)) < 0)
		return rc;
	return repo_id_to_sink(r->git, &oid, id, out);
}

/*
 * The same, blob id being what the tip has at path: a large one from
 * its work-tree copy when the index vouches for it (as re-encryption
 * reads it), since libgit2 maps a whole loose object and inflates a
 * packed one whole.  The caller checks what it read: the audit hashes a
 * ciphertext against its label's SHA-256.
 */
int pki_repo_blob_stream_path(struct pki_repo *r, const char *id, const char *path,
			      struct pki_sink *out)
{
	git_oid oid;
	int fd, rc;

	if ((rc = oid_parse(&oid, id)) < 0 || (rc = repo_worktree_fd(r, path, &oid, &fd)) < 0)
		return rc;
	if (fd < 0)
		return repo_id_to_sink(r->git, &oid, path, out);
	rc = repo_fd_to_sink(fd, out);
	close(fd);
	return rc;
}


/* --- the shape of the history ---
 *
 * The audit trusts no graph shape a signer chose: it asks which commits
 * a merge brings in from each side, and from which common state.
 */

int pki_repo_commit_time(struct pki_repo *r, const char *hex, time_t *when)
{
	git_commit *c = NULL;
	git_oid id;
	int rc;

	if ((rc = oid_parse(&id, hex)) < 0)
		return rc;
	if (git_commit_lookup(&c, r->git, &id) < 0)
		return repo_fail(PKI_EDATA, "cannot read commit %s", hex);
	*when = (time_t)git_commit_author(c)->when.time;
	git_commit_free(c);
	return 0;
}

int pki_repo_merge_base(struct pki_repo *r, const char *a, const char *b, char out[41])
{
	git_oid x, y, base;
	int err, rc;

	out[0] = '\0';
	if ((rc = oid_parse(&x, a)) < 0 || (rc = oid_parse(&y, b)) < 0)
		return rc;
	err = git_merge_base(&base, r->git, &x, &y);
	if (err == GIT_ENOTFOUND)
		return 0;
	if (err < 0)
		return repo_fail(PKI_EDATA, "cannot find the common ancestor of %.12s and %.12s", a, b);
	git_oid_tostr(out, 41, &base);
	return 0;
}

int pki_repo_descends(struct pki_repo *r, const char *tip, const char *ancestor, bool *yes)
{
	git_oid t, a;
	int rc, err;

	if ((rc = oid_parse(&t, tip)) < 0 || (rc = oid_parse(&a, ancestor)) < 0)
		return rc;
	if (git_oid_equal(&t, &a)) {
		*yes = true;
		return 0;
	}
	if ((err = git_graph_descendant_of(r->git, &t, &a)) < 0)
		return repo_fail(PKI_EDATA, "cannot compare %.12s with %.12s", tip, ancestor);
	*yes = err == 1;
	return 0;
}

int pki_repo_only_in(struct pki_repo *r, const char (*tips)[41], size_t ntips,
		     const char *hide, char (**out)[41], size_t *n)
{
	git_revwalk *rw = NULL;
	char (*v)[41] = NULL, (*grown)[41];
	size_t count = 0, cap = 0, i;
	git_oid id;
	int err, rc = 0;

	*out = NULL;
	*n = 0;
	if (git_revwalk_new(&rw, r->git) < 0)
		return repo_fail(PKI_EINTERNAL, "history");
	for (i = 0; i < ntips && rc == 0; i++)
		if ((rc = oid_parse(&id, tips[i])) == 0 && git_revwalk_push(rw, &id) < 0)
			rc = repo_fail(PKI_EDATA, "cannot walk from %.12s", tips[i]);
	if (rc == 0 && (rc = oid_parse(&id, hide)) == 0 && git_revwalk_hide(rw, &id) < 0)
		rc = repo_fail(PKI_EDATA, "cannot walk from %.12s", hide);
	while (rc == 0 && (err = git_revwalk_next(&id, rw)) != GIT_ITEROVER) {
		if (err < 0) {
			rc = repo_fail(PKI_EDATA, "cannot walk %s", PKI_BRANCH);
			break;
		}
		if ((grown = pki_row_grow(v, count, &cap, sizeof(*v))) == NULL) {
			rc = pki_error_errno(PKI_EINTERNAL, "history");
			break;
		}
		v = grown;
		git_oid_tostr(v[count++], 41, &id);
	}
	git_revwalk_free(rw);
	if (rc < 0) {
		free(v);
		return rc;
	}
	*out = v;
	*n = count;
	return 0;
}

int pki_repo_resolve(struct pki_repo *r, const char *rev, char hex[41])
{
	git_object *obj = NULL, *peeled = NULL;
	int rc = 0;

	hex[0] = '\0';
	if (git_revparse_single(&obj, r->git, rev) < 0 ||
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0)
		rc = pki_error(PKI_EUSAGE, "'%.64s' names no commit", rev);
	else
		git_oid_tostr(hex, 41, git_object_id(peeled));
	git_object_free(peeled);
	git_object_free(obj);
	return rc;
}
