/* repo-txn.c: changes to the mission repository.
 *
 * A change is made the way git makes one, but in-process: under a lock,
 * new blobs go to the object store, a tree is derived from the tip's with
 * git_tree_create_updated, the commit buffer is signed and written, and
 * refs/heads/main moves by compare-and-swap.  Only after the branch moved
 * are the index and work tree brought along, so a crash at any instant
 * leaves either the old commit or the new one, never half of either.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <git2.h>
#include <git2/sys/repository.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "progress.h"
#include "error.h"
#include "repo.h"
#include "repo-int.h"
#include "vocab.h"

struct staged {
	char *path;
	git_oid oid;
	bool removed;
	char *shadow;		/* a file in the git directory with the same bytes */
	bool borrowed;		/* the shadow is its maker's to remove, unless moved */
};

struct pki_txn {
	struct pki_repo *r;
	int lockfd;
	git_commit *tip;	/* NULL on an unborn branch */
	git_commit *other;	/* a merge's second parent, or NULL */
	git_tree *tree;		/* the tip's tree, or NULL */
	struct staged *v;
	size_t n, cap;
	/* An open-addressing index of v by path (slot: position + 1, 0
	 * free), so that staging thousands of files (a batch) stays linear. */
	size_t *slot, nslots;
	char commit_hex[GIT_OID_HEXSZ + 1];
	/* The index, read on a thread of its own (index_load). */
	pthread_t loader;
	bool loading;
	git_index *loaded;
	char *index_path;
	/* A bare repository (a central store, a sync hub): no index, no work
	 * tree, so nothing to check before committing or to update after. */
	bool bare;
	const struct pki_progress *progress;	/* the session's, for long work */
};

struct pki_blobw {
	git_writestream *stream;
	int fd;			/* the shadow copy, for the work tree */
	char *shadow;
};

struct pki_blobr {
	int fd;			/* the work-tree copy, when the index vouches for it */
	git_odb *odb;
	git_odb_stream *stream;	/* else a loose object, inflated as read */
	git_blob *blob;		/* else the whole blob */
	size_t off;
};

/* Remove a shadow copy that was not moved into the work tree. */
static void drop_shadow(char **shadow)
{
	if (*shadow != NULL)
		(void)unlink(*shadow);
	free(*shadow);
	*shadow = NULL;
}

/* A staged file's shadow copy, not moved into the work tree: removed,
 * unless it is borrowed from the one who made it (pki_txn_put_blob). */
static void staged_drop_shadow(struct staged *s)
{
	if (s->borrowed) {
		free(s->shadow);
		s->shadow = NULL;
	} else {
		drop_shadow(&s->shadow);
	}
	s->borrowed = false;
}

/* --- the lock --- */

static long lock_timeout_ms(void)
{
	const char *s = getenv("PKI_LOCK_TIMEOUT");
	char *end;
	double secs;

	if (s == NULL || *s == '\0')
		return 10000;
	secs = strtod(s, &end);
	if (*end != '\0' || secs < 0 || secs > 3600)
		return 10000;
	return (long)(secs * 1000);
}

static const char *const git_locks[] = { "refs/heads/main.lock", "index.lock", "HEAD.lock" };
#define NLOCKS (sizeof(git_locks) / sizeof(git_locks[0]))

/*
 * The lock files git makes while it writes the branch or the index.  pki
 * makes them only while .git/pki-updating says it is updating: with that
 * marker there and the repository lock held, they are a killed pki's and
 * go.  Without it they are a git command's, at work or killed: pki waits
 * for none and deletes none, it says so (75), as git itself would.
 */
static int check_git_locks(const char *gitdir)
{
	char path[4096];
	struct stat st;
	bool ours;
	size_t i;

	snprintf(path, sizeof(path), "%spki-updating", gitdir);
	ours = lstat(path, &st) == 0;
	for (i = 0; i < NLOCKS; i++) {
		snprintf(path, sizeof(path), "%s%s", gitdir, git_locks[i]);
		if (ours)
			(void)unlink(path);
		else if (lstat(path, &st) == 0 || errno != ENOENT)
			return pki_error(PKI_EBUSY, "'.git/%s' exists: a git command is at work "
					 "here (if none is, remove the file); try again", git_locks[i]);
	}
	return 0;
}

#define SHADOW_PREFIX "pki-shadow."

/*
 * Shadow copies a killed process left in the git directory.  A living
 * process's are its own: a product encrypted before the lock was taken
 * (pki_repo_blob_begin) waits there for its transaction.
 */
static void remove_stale_shadows(const char *gitdir)
{
	DIR *d = opendir(gitdir);
	struct dirent *e;
	char *end;
	long pid;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, SHADOW_PREFIX, strlen(SHADOW_PREFIX)) != 0)
			continue;
		pid = strtol(e->d_name + strlen(SHADOW_PREFIX), &end, 10);
		if (*end == '.' && pid > 0 && pid <= INT_MAX &&
		    (kill((pid_t)pid, 0) == 0 || errno == EPERM))
			continue;
		(void)unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

/*
 * Who holds the lock, written into it once taken, for the busy message of
 * whoever waits: "PID COMMAND SINCE".  The flock, not the text, is the
 * lock: a holder that died leaves words that nobody reads.
 */
static void lock_say_holder(int fd, time_t now)
{
	char line[128], when[PKI_TIME_LEN];
	int n;

	pki_time_format(now, when);
	n = snprintf(line, sizeof(line), "%ld %.64s %s\n", (long)getpid(),
		     program_invocation_short_name, when);
	if (n > 0 && ftruncate(fd, 0) == 0)
		(void)pwrite(fd, line, (size_t)n, 0);
}

/* The busy message, naming the holder when its line can be read. */
static int lock_busy(int fd, long limit)
{
	char line[128], cmd[65], when[PKI_TIME_LEN];
	ssize_t n = pread(fd, line, sizeof(line) - 1, 0);
	long pid;
	size_t i;

	if (n > 0) {
		line[n] = '\0';
		for (i = 0; i < (size_t)n; i++)	/* a file anyone may write: its words only */
			if ((unsigned char)line[i] < ' ' && line[i] != '\n')
				line[i] = '?';
	}
	/* Words of a holder gone are stale: a process other than pki holds it. */
	if (n > 0 && sscanf(line, "%ld %64s %20s", &pid, cmd, when) == 3 && pid > 0 &&
	    pid <= INT_MAX && (kill((pid_t)pid, 0) == 0 || errno == EPERM))
		return pki_error(PKI_EBUSY, "repository busy: %s (pid %ld) has held the lock since "
				 "%s; try again, or wait longer with PKI_LOCK_TIMEOUT=SECONDS "
				 "(waited %g s)", cmd, pid, when, limit / 1000.0);
	return pki_error(PKI_EBUSY, "repository busy: another process holds the lock; try "
			 "again, or wait longer with PKI_LOCK_TIMEOUT=SECONDS (waited %g s)",
			 limit / 1000.0);
}

static int lock_take(struct pki_repo *r, int *fdp)
{
	char path[4096];
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	long waited = 0, limit = lock_timeout_ms();
	int fd, rc;

	*fdp = -1;
	snprintf(path, sizeof(path), "%spki.lock", pki_repo_gitdir(r));
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return pki_error_errno(PKI_EIO, "cannot open the repository lock '%s'", path);
	/* flock dies with its holder: a crashed process leaves no stale lock. */
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			close(fd);
			return pki_error_errno(PKI_EIO, "cannot lock '%s'", path);
		}
		if (waited >= limit) {
			rc = lock_busy(fd, limit);
			close(fd);
			return rc;
		}
		nanosleep(&nap, NULL);
		waited += 20;
	}
	lock_say_holder(fd, time(NULL));
	if ((rc = check_git_locks(pki_repo_gitdir(r))) < 0) {
		close(fd);
		return rc;
	}
	remove_stale_shadows(pki_repo_gitdir(r));
	*fdp = fd;
	return 0;
}

/* Before committing: every touched path must be writable as a plain file. */
static int check_writable(struct pki_txn *t)
{
	const char *workdir = pki_repo_workdir(t->r), *name;
	struct stat st;
	size_t i;
	int dirfd, rc = 0;

	for (i = 0; i < t->n && rc == 0; i++) {
		if ((rc = repo_open_parent(workdir, t->v[i].path, false, &dirfd, &name)) < 0)
			break;
		if (dirfd < 0)
			continue;
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode))
			rc = pki_error(PKI_EDATA, "'%s' in the work tree is not a regular file",
				       t->v[i].path);
		close(dirfd);
	}
	return rc;
}

/* --- transactions --- */

static int head_on_branch(git_repository *git)
{
	git_reference *head = NULL;
	int rc = 0;

	if (git_reference_lookup(&head, git, "HEAD") < 0)
		return repo_fail(PKI_ECONFIG, "cannot read HEAD");
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC ||
	    strcmp(git_reference_symbolic_target(head), PKI_BRANCH) != 0)
		rc = pki_error(PKI_ECONFIG, "HEAD is not on %s: check out main first", PKI_BRANCH);
	git_reference_free(head);
	return rc;
}

/*
 * The index is read on a thread of its own while the change is built:
 * libgit2 reads and checks the whole file, 110 M instructions with
 * 10,000 products (bench/README), and until the commit the main thread
 * mostly waits for gpg.  The thread only parses a file into an index of
 * its own; the repository takes it over at the first use (txn_index).
 * If the thread cannot be had, the repository reads the index itself.
 */
static void *index_load(void *arg)
{
	struct pki_txn *t = arg;

	if (git_index_open(&t->loaded, t->index_path) < 0)
		t->loaded = NULL;
	git_error_clear();
	return NULL;
}

static void index_load_start(struct pki_txn *t)
{
	if (asprintf(&t->index_path, "%sindex", pki_repo_gitdir(t->r)) < 0) {
		t->index_path = NULL;
		return;
	}
	t->loading = pthread_create(&t->loader, NULL, index_load, t) == 0;
}

static void index_load_join(struct pki_txn *t)
{
	if (t->loading)
		(void)pthread_join(t->loader, NULL);
	t->loading = false;
}

/* The repository's index, taken over from the loader when it has one;
 * git_index_read then reloads it if the file changed meanwhile. */
static int txn_index(struct pki_txn *t, git_index **out)
{
	int rc = 0;

	*out = NULL;
	index_load_join(t);
	if (t->loaded != NULL &&
	    (git_repository_set_index(t->r->git, t->loaded) < 0 ||
	     git_index_set_caps(t->loaded, GIT_INDEX_CAPABILITY_FROM_OWNER) < 0))
		rc = repo_fail(PKI_EIO, "cannot read the index");
	git_index_free(t->loaded);	/* the repository holds it now */
	t->loaded = NULL;
	if (rc == 0 && (git_repository_index(out, t->r->git) < 0 || git_index_read(*out, 0) < 0))
		rc = repo_fail(PKI_EIO, "cannot read the index");
	return rc;
}

int pki_txn_begin(struct pki_txn **out, struct pki_repo *r)
{
	struct pki_txn *t;
	int rc;

	*out = NULL;
	if ((rc = head_on_branch(r->git)) < 0)
		return rc;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "transaction");
	t->r = r;
	t->bare = git_repository_is_bare(r->git);
	/* A change reads the trees on its paths several times (the listing
	 * of a bucket for the next ID, the clean check, the new tree): keep
	 * them in libgit2's cache, which by default keeps no tree over 4 KiB,
	 * and a bucket of a thousand products is fifty. */
	if (git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
			     (size_t)(1024 * 1024)) < 0) {
		free(t);
		return repo_fail(PKI_EINTERNAL, "libgit2");
	}
	if ((rc = lock_take(r, &t->lockfd)) < 0 ||
	    (!t->bare && (rc = repo_marker_recover(r)) < 0) ||
	    (rc = repo_with_tip_tree(r, &t->tip, &t->tree)) < 0) {
		pki_txn_free(t);
		return rc;
	}
	if (!t->bare)
		index_load_start(t);
	*out = t;
	return 0;
}

void pki_txn_free(struct pki_txn *t)
{
	size_t i;

	if (t == NULL)
		return;
	index_load_join(t);
	git_index_free(t->loaded);
	free(t->index_path);
	for (i = 0; i < t->n; i++) {
		free(t->v[i].path);
		staged_drop_shadow(&t->v[i]);
	}
	free(t->v);
	free(t->slot);
	git_tree_free(t->tree);
	git_commit_free(t->other);
	git_commit_free(t->tip);
	if (t->lockfd >= 0) {
		(void)ftruncate(t->lockfd, 0);	/* no holder to name any more */
		close(t->lockfd);	/* releases the flock */
	}
	free(t);
}

static size_t path_hash(const char *s)
{
	size_t h = 14695981039346656037u;	/* FNV-1a */

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

/* The slot of path in the index: its entry's, or the free one to take. */
static size_t *staged_slot(struct pki_txn *t, const char *path)
{
	size_t i = path_hash(path) & (t->nslots - 1);

	while (t->slot[i] != 0 && strcmp(t->v[t->slot[i] - 1].path, path) != 0)
		i = (i + 1) & (t->nslots - 1);
	return &t->slot[i];
}

/* Room for one more entry in the index, at most half full. */
static int staged_index_grow(struct pki_txn *t)
{
	size_t *old = t->slot, nold = t->nslots, i;

	if (2 * (t->n + 1) <= t->nslots)
		return 0;
	t->nslots = nold ? 2 * nold : 64;
	if ((t->slot = calloc(t->nslots, sizeof(*t->slot))) == NULL) {
		t->slot = old;
		t->nslots = nold;
		return pki_error_errno(PKI_EINTERNAL, "transaction");
	}
	for (i = 0; i < t->n; i++)
		*staged_slot(t, t->v[i].path) = i + 1;
	free(old);
	return 0;
}

static struct staged *staged_find(struct pki_txn *t, const char *path)
{
	size_t *slot;

	if (t->nslots == 0)
		return NULL;
	slot = staged_slot(t, path);
	return *slot != 0 ? &t->v[*slot - 1] : NULL;
}

static int stage(struct pki_txn *t, const char *path, const git_oid *oid, bool removed)
{
	struct staged *s = staged_find(t, path), *grown;

	if (s == NULL) {
		if (t->n == t->cap) {
			size_t cap = t->cap ? 2 * t->cap : 8;

			if ((grown = realloc(t->v, cap * sizeof(*grown))) == NULL)
				return pki_error_errno(PKI_EINTERNAL, "transaction");
			t->v = grown;
			t->cap = cap;
		}
		if (staged_index_grow(t) < 0)
			return -PKI_EINTERNAL;
		s = &t->v[t->n];
		s->shadow = NULL;
		s->borrowed = false;
		if ((s->path = strdup(path)) == NULL)
			return pki_error_errno(PKI_EINTERNAL, "transaction");
		*staged_slot(t, path) = t->n + 1;
		t->n++;
	}
	if (oid != NULL)
		git_oid_cpy(&s->oid, oid);
	s->removed = removed;
	staged_drop_shadow(s);
	return 0;
}

/* The blob at path as this transaction has it: staged (*s), or the tip's. */
static int txn_file_id(struct pki_txn *t, const char *path, struct staged **s, git_oid *id)
{
	*s = staged_find(t, path);
	if (*s != NULL && (*s)->removed)
		return pki_error(PKI_ENOINPUT, "'%s' does not exist", path);
	if (*s != NULL) {
		git_oid_cpy(id, &(*s)->oid);
		return 0;
	}
	return repo_tree_file_id(t->tree, path, id);
}

int pki_txn_read(struct pki_txn *t, const char *path, size_t max, struct pki_buf *out)
{
	struct staged *s;
	git_oid id;
	int rc;

	if ((rc = txn_file_id(t, path, &s, &id)) < 0)
		return rc;
	return repo_blob_read(t->r->git, &id, path, max, out);
}

bool pki_txn_exists(struct pki_txn *t, const char *path)
{
	struct staged *s = staged_find(t, path);
	git_tree_entry *e = NULL;

	if (s != NULL)
		return !s->removed;
	if (t->tree == NULL || git_tree_entry_bypath(&e, t->tree, path) < 0)
		return false;
	git_tree_entry_free(e);
	return true;
}

static int strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The first path component of each file staged below dir (a file staged
 * in dir, or a directory staged files make there), sorted and each once. */
static int staged_below(struct pki_txn *t, const char *dir, char ***out, size_t *nout)
{
	size_t i, k, dlen = strlen(dir);
	char **v = NULL;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < t->n; i++) {
		const char *p = t->v[i].path, *name, *slash;

		if (t->v[i].removed || strncmp(p, dir, dlen) != 0 || p[dlen] != '/')
			continue;
		if (v == NULL && (v = calloc(t->n, sizeof(*v))) == NULL)
			return pki_error_errno(PKI_EINTERNAL, "list");
		name = p + dlen + 1;
		slash = strchr(name, '/');
		if ((v[*nout] = strndup(name, slash != NULL ? (size_t)(slash - name) :
					strlen(name))) == NULL) {
			rc = pki_error_errno(PKI_EINTERNAL, "list");
			break;
		}
		++*nout;
	}
	if (rc == 0 && *nout > 1) {
		qsort(v, *nout, sizeof(*v), strp_cmp);
		for (i = 1, k = 1; i < *nout; i++)
			if (strcmp(v[i], v[k - 1]) == 0)
				free(v[i]);
			else
				v[k++] = v[i];
		*nout = k;
	}
	if (rc < 0) {
		while (*nout > 0)
			free(v[--*nout]);
		free(v);
		return rc;
	}
	*out = v;
	return 0;
}

int pki_txn_list(struct pki_txn *t, const char *dir, char ***names, size_t *n)
{
	char **staged = NULL, **tip = NULL;
	size_t i, nstaged = 0, ntip;
	int rc;

	*names = NULL;
	*n = 0;
	if ((rc = repo_tree_list(t->r->git, t->tree, dir, names, n)) < 0 ||
	    (rc = staged_below(t, dir, &staged, &nstaged)) < 0)
		goto fail;
	/* Files staged in dir join the listing, and so do directories that
	 * staged files below dir make (a new bucket of several products
	 * staged in one transaction); each name once, found by a binary
	 * search of the tip's names, so that a transaction of thousands of
	 * files lists a directory in O(n log n). */
	ntip = *n;
	if (nstaged > 0 && ntip > 0) {
		if ((tip = malloc(ntip * sizeof(*tip))) == NULL) {
			rc = pki_error_errno(PKI_EINTERNAL, "list");
			goto fail;
		}
		memcpy(tip, *names, ntip * sizeof(*tip));
		qsort(tip, ntip, sizeof(*tip), strp_cmp);
	}
	for (i = 0; i < nstaged; i++) {
		if (ntip > 0 && bsearch(&staged[i], tip, ntip, sizeof(*tip), strp_cmp) != NULL)
			continue;
		if ((rc = repo_strv_push(names, n, staged[i])) < 0)
			goto fail;
	}
	if (*names == NULL && (*names = calloc(1, sizeof(**names))) == NULL) {
		rc = pki_error_errno(PKI_EINTERNAL, "list");
		goto fail;
	}
	rc = 0;
	goto out;
fail:
	pki_strv_free(*names);
	*names = NULL;
	*n = 0;
out:
	free(tip);
	for (i = 0; i < nstaged; i++)
		free(staged[i]);
	free(staged);
	return rc;
}

int pki_txn_put(struct pki_txn *t, const char *path, const void *data, size_t len)
{
	git_oid oid;

	if (git_blob_create_from_buffer(&oid, t->r->git, data, len) < 0)
		return repo_fail(PKI_EIO, "cannot store '%s'", path);
	return stage(t, path, &oid, false);
}

int pki_txn_remove(struct pki_txn *t, const char *path)
{
	return stage(t, path, NULL, true);
}

/*
 * A streamed blob is also written to a shadow file in the git directory,
 * which becomes the work-tree file by a rename once the branch has moved:
 * reading a large object back from the store would map it whole.
 */
static int blobw_write(void *ctx, const void *data, size_t len)
{
	struct pki_blobw *w = ctx;

	if (w->stream->write(w->stream, data, len) < 0)
		return repo_fail(PKI_EIO, "cannot write to the object store");
	return w->fd >= 0 ? pki_sink_fd(&w->fd, data, len) : 0;
}

static void blobw_free(struct pki_blobw *w)
{
	if (w->fd >= 0)
		close(w->fd);
	drop_shadow(&w->shadow);
	if (w->stream != NULL)
		w->stream->free(w->stream);
	free(w);
}

int pki_repo_blob_begin(struct pki_repo *r, struct pki_blobw **w, struct pki_sink *sink)
{
	static unsigned nshadow;	/* names unique in this process */
	struct pki_buf path = PKI_BUF_INIT;
	struct pki_blobw *bw;
	int rc;

	*w = NULL;
	if ((bw = calloc(1, sizeof(*bw))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "blob");
	bw->fd = -1;
	/* A bare repository has no work tree to shadow. */
	if (git_repository_is_bare(r->git))
		goto stream;
	if ((rc = pki_buf_printf(&path, "%s%s%ld.%u", pki_repo_gitdir(r), SHADOW_PREFIX,
				 (long)getpid(), __atomic_fetch_add(&nshadow, 1,
								    __ATOMIC_RELAXED))) < 0)
		goto fail;
	bw->shadow = pki_buf_detach(&path, NULL);
	bw->fd = open(bw->shadow, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (bw->fd < 0) {
		rc = pki_error_errno(PKI_EIO, "cannot create '%s'", bw->shadow);
		goto fail;
	}
stream:
	if (git_blob_create_from_stream(&bw->stream, r->git, NULL) < 0) {
		rc = repo_fail(PKI_EIO, "cannot write to the object store");
		goto fail;
	}
	sink->write = blobw_write;
	sink->ctx = bw;
	*w = bw;
	return 0;
fail:
	pki_buf_release(&path);
	blobw_free(bw);
	return rc;
}

int pki_txn_blob_begin(struct pki_txn *t, struct pki_blobw **w, struct pki_sink *sink)
{
	return pki_repo_blob_begin(t->r, w, sink);
}

int pki_blobw_end(struct pki_blobw *w, char hex[41], char **shadow)
{
	git_oid oid;
	int rc = 0;

	if (shadow != NULL)
		*shadow = NULL;
	if (hex == NULL) {	/* abandon */
		blobw_free(w);
		return 0;
	}
	if (w->fd >= 0 && close(w->fd) < 0)
		rc = pki_error_errno(PKI_EIO, "cannot write '%s'", w->shadow);
	w->fd = -1;
	if (rc == 0 && git_blob_create_from_stream_commit(&oid, w->stream) < 0)
		rc = repo_fail(PKI_EIO, "cannot store a blob");
	w->stream = NULL;	/* freed by the commit, done or not */
	if (rc == 0) {
		git_oid_tostr(hex, 41, &oid);
		if (shadow != NULL) {
			*shadow = w->shadow;
			w->shadow = NULL;
		}
	}
	blobw_free(w);
	return rc;
}

void pki_shadow_drop(char **shadow)
{
	drop_shadow(shadow);
}

int pki_txn_blob_finish(struct pki_txn *t, struct pki_blobw *w, const char *path)
{
	struct staged *s;
	char hex[41], *shadow = NULL;
	int rc;

	if (path == NULL)
		return pki_blobw_end(w, NULL, NULL);
	if ((rc = pki_blobw_end(w, hex, &shadow)) == 0 &&
	    (rc = pki_txn_put_id(t, path, hex)) == 0 && (s = staged_find(t, path)) != NULL) {
		s->shadow = shadow;
		shadow = NULL;
	}
	drop_shadow(&shadow);
	return rc;
}

int pki_txn_put_blob(struct pki_txn *t, const char *path, const char *hex, const char *shadow)
{
	struct staged *s;
	int rc;

	if ((rc = pki_txn_put_id(t, path, hex)) < 0 || shadow == NULL ||
	    (s = staged_find(t, path)) == NULL)
		return rc;
	/* Borrowed: the commit moves it into the work tree (the file keeps
	 * the stat data the index records); a try that does not commit
	 * leaves it to its maker, for the next.  Without it, the work tree
	 * is written from the object store. */
	if ((s->shadow = strdup(shadow)) != NULL)
		s->borrowed = true;
	return 0;
}

void pki_txn_set_progress(struct pki_txn *t, const struct pki_progress *p)
{
	t->progress = p;
}

const struct pki_progress *pki_txn_progress(const struct pki_txn *t)
{
	return t->progress;
}

int pki_txn_blob_size(struct pki_txn *t, const char *path, uint64_t *size)
{
	git_odb *odb = NULL;
	git_object_t type = GIT_OBJECT_INVALID;
	git_oid oid;
	char hex[41];
	size_t len = 0;
	int rc;

	*size = 0;
	if ((rc = pki_txn_blob_id(t, path, hex)) < 0)
		return rc;
	if (git_oid_fromstr(&oid, hex) < 0 || git_repository_odb(&odb, t->r->git) < 0 ||
	    git_odb_read_header(&len, &type, odb, &oid) < 0)
		rc = repo_fail(PKI_EIO, "cannot read '%s'", path);
	else
		*size = len;
	git_odb_free(odb);
	return rc;
}

/* IDs only: neither reads the blob, which may be as large as a product. */
int pki_txn_blob_id(struct pki_txn *t, const char *path, char hex[41])
{
	struct staged *s = staged_find(t, path);
	git_tree_entry *e = NULL;

	if (s != NULL && !s->removed) {
		git_oid_tostr(hex, 41, &s->oid);
		return 0;
	}
	if (s != NULL || t->tree == NULL || git_tree_entry_bypath(&e, t->tree, path) < 0)
		return pki_error(PKI_ENOINPUT, "'%s' does not exist", path);
	git_oid_tostr(hex, 41, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return 0;
}

int pki_txn_put_id(struct pki_txn *t, const char *path, const char *hex)
{
	git_odb *odb = NULL;
	git_object_t type = GIT_OBJECT_INVALID;
	git_oid oid;
	size_t len;
	int ok;

	ok = strlen(hex) == GIT_OID_HEXSZ && git_oid_fromstrn(&oid, hex, GIT_OID_HEXSZ) == 0 &&
	     git_repository_odb(&odb, t->r->git) == 0 &&
	     git_odb_read_header(&len, &type, odb, &oid) == 0 && type == GIT_OBJECT_BLOB;
	git_odb_free(odb);
	if (!ok)
		return repo_fail(PKI_EINTERNAL, "no blob %.40s for '%s'", hex, path);
	return stage(t, path, &oid, false);
}

/*
 * A descriptor to read a large blob from without the object store (which
 * maps a whole loose object and reads a packed one whole): the shadow
 * copy of a blob streamed in this transaction, else the work-tree copy
 * the index vouches for.  *fd is -1 (and 0 returned) when neither will do.
 */
static int plain_copy(struct pki_txn *t, const struct staged *s, const char *path,
		      const git_oid *id, int *fd)
{
	git_index *index = NULL;
	git_odb *odb = NULL;
	git_object_t type;
	size_t size = 0;
	int rc = 0;

	*fd = -1;
	if (s != NULL) {
		if (s->shadow != NULL)
			*fd = open(s->shadow, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		return 0;
	}
	/* Small blobs come from the object store without waiting for the index. */
	if (!t->bare && git_repository_odb(&odb, t->r->git) == 0 &&
	    git_odb_read_header(&size, &type, odb, id) == 0 && size >= REPO_WORKTREE_READ_MIN &&
	    (rc = txn_index(t, &index)) == 0)
		rc = repo_worktree_blob_fd(t->r, index, path, id, size, fd);
	git_error_clear();
	git_index_free(index);
	git_odb_free(odb);
	return rc;
}

int pki_txn_stream(struct pki_txn *t, const char *path, struct pki_sink *out)
{
	struct staged *s;
	git_oid id;
	int fd, rc;

	if ((rc = txn_file_id(t, path, &s, &id)) < 0 ||
	    (rc = plain_copy(t, s, path, &id, &fd)) < 0)
		return rc;
	if (fd < 0)
		return repo_id_to_sink(t->r->git, &id, path, out);
	rc = repo_fd_to_sink(fd, out);
	close(fd);
	return rc;
}

/*
 * A source over a blob: a loose object is inflated as it is read, so the
 * heap does not grow with its size; a packed one is read whole (libgit2
 * cannot stream it).
 */
static long blobr_read(void *ctx, void *data, size_t len)
{
	struct pki_blobr *rd = ctx;
	size_t size, n;
	int got;

	if (rd->fd >= 0)
		return pki_source_fd(&rd->fd, data, len);
	if (rd->stream != NULL) {
		if (len > INT_MAX)
			len = INT_MAX;
		if ((got = git_odb_stream_read(rd->stream, data, len)) < 0)
			return repo_fail(PKI_EIO, "cannot read a blob");
		return got;
	}
	size = (size_t)git_blob_rawsize(rd->blob);
	n = size - rd->off < len ? size - rd->off : len;
	memcpy(data, (const char *)git_blob_rawcontent(rd->blob) + rd->off, n);
	rd->off += n;
	return (long)n;
}

int pki_txn_blob_reader(struct pki_txn *t, const char *path, struct pki_blobr **rd,
			struct pki_source *src)
{
	struct staged *s;
	struct pki_blobr *r;
	git_object_t type = GIT_OBJECT_INVALID;
	git_oid id;
	size_t len;
	int rc;

	*rd = NULL;
	if ((rc = txn_file_id(t, path, &s, &id)) < 0)
		return rc;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "blob");
	if ((rc = plain_copy(t, s, path, &id, &r->fd)) < 0) {
		free(r);
		return rc;
	}
	if (r->fd >= 0)
		goto done;
	if (git_repository_odb(&r->odb, t->r->git) < 0) {
		free(r);
		return repo_fail(PKI_EINTERNAL, "cannot open the object store");
	}
	if (git_odb_open_rstream(&r->stream, &len, &type, r->odb, &id) < 0 ||
	    type != GIT_OBJECT_BLOB) {
		if (r->stream != NULL)
			git_odb_stream_free(r->stream);
		r->stream = NULL;
		git_error_clear();
		if (git_blob_lookup(&r->blob, t->r->git, &id) < 0) {
			rc = repo_fail(PKI_EDATA, "cannot read '%s'", path);
			pki_blobr_free(r);
			return rc;
		}
	}
done:
	src->read = blobr_read;
	src->ctx = r;
	*rd = r;
	return 0;
}

void pki_blobr_free(struct pki_blobr *rd)
{
	if (rd == NULL)
		return;
	if (rd->fd >= 0)
		close(rd->fd);
	if (rd->stream != NULL)
		git_odb_stream_free(rd->stream);
	git_odb_free(rd->odb);
	git_blob_free(rd->blob);
	free(rd);
}

/* --- committing --- */

/* Refuse to overwrite what a person changed by hand in the work tree. */
static int check_clean(struct pki_txn *t)
{
	git_index *index = NULL;
	struct timespec imtime;
	bool clean = true;
	size_t i;
	int rc;

	if ((rc = txn_index(t, &index)) < 0)
		return rc;
	rc = repo_index_mtime(t->r, &imtime);
	for (i = 0; i < t->n && rc == 0 && clean; i++)
		if ((rc = repo_path_clean(t->r, t->tree, index, t->v[i].path, &imtime,
					    &clean)) == 0 && !clean)
			rc = pki_error(PKI_EDATA, "'%s' has uncommitted changes in the work tree: "
				       "commit or discard them first", t->v[i].path);
	git_index_free(index);
	return rc;
}

static int build_tree(struct pki_txn *t, git_oid *tree_id)
{
	git_tree_update *up;
	size_t i;
	int rc = 0;

	if ((up = calloc(t->n ? t->n : 1, sizeof(*up))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "tree");
	for (i = 0; i < t->n; i++) {
		up[i].action = t->v[i].removed ? GIT_TREE_UPDATE_REMOVE : GIT_TREE_UPDATE_UPSERT;
		git_oid_cpy(&up[i].id, &t->v[i].oid);
		up[i].filemode = GIT_FILEMODE_BLOB;
		up[i].path = t->v[i].path;
	}
	if (git_tree_create_updated(tree_id, t->r->git, t->tree, t->n, up) < 0)
		rc = repo_fail(PKI_EIO, "cannot build the new tree");
	free(up);
	return rc;
}

static int write_commit(struct pki_txn *t, struct pki_gpg *g, const struct pki_ident *who,
			const char *message, const git_oid *tree_id, git_oid *out)
{
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_buf buf = GIT_BUF_INIT;
	struct pki_buf armor = PKI_BUF_INIT;
	const git_commit *parents[2];
	int rc = 0;

	parents[0] = t->tip;
	parents[1] = t->other;
	if (git_signature_new(&sig, who->name, who->email, (git_time_t)who->when, 0) < 0) {
		rc = repo_fail(PKI_EDATA, "cannot make the commit signature from the key's user ID");
		goto out;
	}
	if (git_tree_lookup(&tree, t->r->git, tree_id) < 0 ||
	    git_commit_create_buffer(&buf, t->r->git, sig, sig, NULL, message, tree,
				     t->tip == NULL ? 0 : t->other == NULL ? 1 : 2, parents) < 0) {
		rc = repo_fail(PKI_EIO, "cannot make the commit");
		goto out;
	}
	if ((rc = pki_gpg_sign(g, who->fpr, buf.ptr, buf.size, &armor)) < 0)
		goto out;
	if (git_commit_create_with_signature(out, t->r->git, buf.ptr, armor.ptr, "gpgsig") < 0)
		rc = repo_fail(PKI_EIO, "cannot write the signed commit");
out:
	pki_buf_release(&armor);
	git_buf_dispose(&buf);
	git_tree_free(tree);
	git_signature_free(sig);
	return rc;
}

/* Move the branch only if it is still where the transaction started. */
static int swap_branch(struct pki_txn *t, const git_oid *id, const char *subject)
{
	git_reference *ref = NULL;
	int err;

	if (t->tip != NULL)
		err = git_reference_create_matching(&ref, t->r->git, PKI_BRANCH, id, 1,
						    git_commit_id(t->tip), subject);
	else
		err = git_reference_create(&ref, t->r->git, PKI_BRANCH, id, 0, subject);
	git_reference_free(ref);
	if (err == GIT_EMODIFIED || err == GIT_EEXISTS || err == GIT_ELOCKED)
		return pki_error(PKI_EBUSY, "%s moved while this change was made; try again", PKI_BRANCH);
	if (err < 0)
		return repo_fail(PKI_EIO, "cannot update %s", PKI_BRANCH);
	return 0;
}

/* Bring the index and the touched files of the work tree to the commit. */
static int update_worktree(struct pki_txn *t)
{
	git_index *index = NULL;
	size_t i;
	int rc = 0;

	if ((rc = txn_index(t, &index)) < 0)
		return rc;
	for (i = 0; i < t->n && rc == 0; i++)
		rc = t->v[i].removed ? repo_remove_file(t->r, t->v[i].path, index) :
				       repo_write_file(t->r, t->v[i].path, &t->v[i].oid,
						  &t->v[i].shadow, index);
	if (rc == 0)
		rc = repo_index_write(index);
	git_index_free(index);
	if (rc < 0)
		pki_error_wrap(-rc, "committed, but the work tree was not updated "
			       "(the next pki command finishes it)");
	return rc;
}

/* Record the touched paths before the branch moves (repo-worktree.c). */
static int marker_write(struct pki_txn *t)
{
	struct pki_buf paths = PKI_BUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; i < t->n && rc == 0; i++)
		rc = pki_buf_printf(&paths, "%s\n", t->v[i].path);
	if (rc == 0)
		rc = repo_marker_write(t->r, &paths);
	pki_buf_release(&paths);
	return rc;
}

static void first_line(const char *message, char *out, size_t size)
{
	size_t n = strcspn(message, "\n");

	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), message);
}

int pki_txn_commit(struct pki_txn *t, struct pki_gpg *g, const struct pki_ident *who,
		   const char *message)
{
	git_oid tree_id, commit_id;
	char subject[256];
	int rc;

	if ((!t->bare && ((rc = check_clean(t)) < 0 || (rc = check_writable(t)) < 0)) ||
	    (rc = build_tree(t, &tree_id)) < 0 ||
	    (rc = write_commit(t, g, who, message, &tree_id, &commit_id)) < 0)
		return rc;
	first_line(message, subject, sizeof(subject));
	if (!t->bare && (rc = marker_write(t)) < 0)
		return rc;
	if ((rc = swap_branch(t, &commit_id, subject)) < 0) {
		if (!t->bare)
			repo_marker_remove(t->r);
		return rc;
	}
	git_oid_tostr(t->commit_hex, sizeof(t->commit_hex), &commit_id);
	if (t->bare)
		return 0;
	if ((rc = update_worktree(t)) == 0)
		repo_marker_remove(t->r);
	return rc;
}

static int lookup_commit(struct pki_txn *t, const char *hex, git_commit **out)
{
	git_oid oid;

	if (strlen(hex) != GIT_OID_HEXSZ || git_oid_fromstrn(&oid, hex, GIT_OID_HEXSZ) < 0 ||
	    git_commit_lookup(out, t->r->git, &oid) < 0)
		return repo_fail(PKI_EINTERNAL, "no commit %.40s", hex);
	return 0;
}

int pki_txn_merge_parent(struct pki_txn *t, const char *hex)
{
	if (t->tip == NULL)
		return pki_error(PKI_EINTERNAL, "a merge into an unborn branch");
	git_commit_free(t->other);
	t->other = NULL;
	return lookup_commit(t, hex, &t->other);
}

/* Stage what differs between the tip's tree and to's. */
static int stage_diff(struct pki_txn *t, git_tree *to)
{
	git_diff *diff = NULL;
	git_diff_options o = GIT_DIFF_OPTIONS_INIT;
	const git_diff_delta *d;
	size_t i, n;
	int rc = 0;

	if (git_diff_tree_to_tree(&diff, t->r->git, t->tree, to, &o) < 0)
		return repo_fail(PKI_EIO, "cannot compare the trees");
	for (i = 0, n = git_diff_num_deltas(diff); i < n && rc == 0; i++) {
		d = git_diff_get_delta(diff, i);
		if (d->status == GIT_DELTA_DELETED)
			rc = stage(t, d->old_file.path, NULL, true);
		else if (d->new_file.mode != GIT_FILEMODE_BLOB)
			rc = pki_error(PKI_EDATA, "'%s' is not a plain file", d->new_file.path);
		else
			rc = stage(t, d->new_file.path, &d->new_file.id, false);
	}
	git_diff_free(diff);
	return rc;
}

int pki_txn_fast_forward(struct pki_txn *t, const char *hex)
{
	git_commit *to = NULL;
	git_tree *tree = NULL;
	char subject[256];
	int rc;

	if (t->n > 0)
		return pki_error(PKI_EINTERNAL, "a fast-forward with changes staged");
	if ((rc = lookup_commit(t, hex, &to)) < 0)
		return rc;
	if (t->tip != NULL && git_graph_descendant_of(t->r->git, git_commit_id(to),
						      git_commit_id(t->tip)) != 1) {
		rc = pki_error(PKI_EINTERNAL, "%.40s does not descend from the tip", hex);
		goto out;
	}
	if (git_commit_tree(&tree, to) < 0) {
		rc = repo_fail(PKI_EIO, "cannot read the tree of %.40s", hex);
		goto out;
	}
	if ((rc = stage_diff(t, tree)) < 0 || (rc = check_clean(t)) < 0 ||
	    (rc = check_writable(t)) < 0 || (rc = marker_write(t)) < 0)
		goto out;
	snprintf(subject, sizeof(subject), "pki-sync: fast-forward to %.40s", hex);
	if ((rc = swap_branch(t, git_commit_id(to), subject)) < 0) {
		repo_marker_remove(t->r);
		goto out;
	}
	git_oid_tostr(t->commit_hex, sizeof(t->commit_hex), git_commit_id(to));
	if ((rc = update_worktree(t)) == 0)
		repo_marker_remove(t->r);
out:
	git_tree_free(tree);
	git_commit_free(to);
	return rc;
}

const char *pki_txn_commit_id(const struct pki_txn *t)
{
	return t->commit_hex;
}

bool pki_txn_committed(const struct pki_txn *t)
{
	return t->commit_hex[0] != '\0';
}

time_t pki_txn_tip_time(const struct pki_txn *t)
{
	return t->tip != NULL ? (time_t)git_commit_author(t->tip)->when.time : 0;
}

