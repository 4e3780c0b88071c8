/* repo.c: the mission repository.  The only file that includes git2.h.
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

struct pki_repo {
	git_repository *git;
};

struct staged {
	char *path;
	git_oid oid;
	bool removed;
	char *shadow;		/* a file in the git directory with the same bytes */
};

struct pki_txn {
	struct pki_repo *r;
	int lockfd;
	git_commit *tip;	/* NULL on an unborn branch */
	git_tree *tree;		/* the tip's tree, or NULL */
	struct staged *v;
	size_t n, cap;
	char commit_hex[GIT_OID_HEXSZ + 1];
	unsigned nshadow;
};

struct pki_blobw {
	git_writestream *stream;
	int fd;			/* the shadow copy, for the work tree */
	char *shadow;
};

struct pki_blobr {
	git_odb *odb;
	git_odb_stream *stream;	/* a loose object, inflated as read */
	git_blob *blob;		/* else the whole blob */
	size_t off;
};

/* Our message, then libgit2's own. */
__attribute__((format(printf, 2, 3)))
static int git_fail(int code, const char *fmt, ...)
{
	const git_error *e = git_error_last();
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e != NULL && e->message != NULL)
		return pki_error(code, "%s: %s", msg, e->message);
	return pki_error(code, "%s", msg);
}

/* Remove a shadow copy that was not moved into the work tree. */
static void drop_shadow(char **shadow)
{
	if (*shadow != NULL)
		(void)unlink(*shadow);
	free(*shadow);
	*shadow = NULL;
}

/* --- opening --- */

static bool durable(void)
{
	const char *s = getenv("PKI_FSYNC");

	return s != NULL && strcmp(s, "1") == 0;
}

static int repo_new(struct pki_repo **out)
{
	struct pki_repo *r;

	if (git_libgit2_init() < 0)
		return git_fail(PKI_EINTERNAL, "libgit2");
	/* Durable writes on request: objects, refs and index fsync'd. */
	if (durable() && git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1) < 0) {
		git_libgit2_shutdown();
		return git_fail(PKI_EINTERNAL, "libgit2");
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		git_libgit2_shutdown();
		return pki_error_errno(PKI_EINTERNAL, "repository");
	}
	*out = r;
	return 0;
}

void pki_repo_free(struct pki_repo *r)
{
	if (r == NULL)
		return;
	git_repository_free(r->git);
	free(r);
	git_libgit2_shutdown();
}

int pki_repo_open(struct pki_repo **out, const char *dir)
{
	struct pki_repo *r = NULL;
	int rc;

	*out = NULL;
	if ((rc = repo_new(&r)) < 0)
		return rc;
	if (git_repository_open_ext(&r->git, dir != NULL ? dir : ".", 0, NULL) < 0) {
		rc = pki_error(PKI_ENOINPUT, "'%s' is not in a pki repository (no git repository found)",
			       dir != NULL ? dir : ".");
		goto fail;
	}
	if (git_repository_is_bare(r->git)) {
		rc = pki_error(PKI_ECONFIG, "a pki repository needs a work tree; '%s' is bare",
			       git_repository_path(r->git));
		goto fail;
	}
	if (!pki_repo_exists(r, PKI_CONF_FILE)) {
		rc = pki_error(PKI_ECONFIG, "'%s' is not a pki repository (no %s on main)",
			       git_repository_workdir(r->git), PKI_CONF_FILE);
		goto fail;
	}
	*out = r;
	return 0;
fail:
	pki_repo_free(r);
	return rc;
}

int pki_repo_create(struct pki_repo **out, const char *dir)
{
	git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
	git_repository *existing = NULL;
	struct pki_repo *r = NULL;
	int rc;

	*out = NULL;
	if ((rc = repo_new(&r)) < 0)
		return rc;
	if (git_repository_open_ext(&existing, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0) {
		git_repository_free(existing);
		rc = pki_error(PKI_EUSAGE, "'%s' is already a git repository", dir);
		goto fail;
	}
	opts.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	opts.mode = GIT_REPOSITORY_INIT_SHARED_UMASK;
	opts.initial_head = "main";
	if (git_repository_init_ext(&r->git, dir, &opts) < 0) {
		rc = git_fail(PKI_EIO, "cannot create a repository in '%s'", dir);
		goto fail;
	}
	*out = r;
	return 0;
fail:
	pki_repo_free(r);
	return rc;
}

const char *pki_repo_workdir(const struct pki_repo *r)
{
	return git_repository_workdir(r->git);
}

const char *pki_repo_gitdir(const struct pki_repo *r)
{
	return git_repository_path(r->git);
}

/* --- configuration --- */

static int config_get(git_config *cfg, const char *key, char **out)
{
	git_buf value = GIT_BUF_INIT;
	int err;

	*out = NULL;
	err = git_config_get_string_buf(&value, cfg, key);
	if (err == GIT_ENOTFOUND)
		return 0;
	if (err < 0)
		return git_fail(PKI_ECONFIG, "cannot read '%s'", key);
	*out = strdup(value.ptr);
	git_buf_dispose(&value);
	return *out != NULL ? 0 : pki_error_errno(PKI_EINTERNAL, "config");
}

int pki_repo_conf_get(struct pki_repo *r, const char *key, char **out)
{
	struct pki_buf path = PKI_BUF_INIT;
	git_config *cfg = NULL;
	int rc;

	/* The work tree matches the tip for the files pki owns (commits
	 * refuse otherwise), and libgit2 parses config only from files. */
	if ((rc = pki_buf_printf(&path, "%s%s", pki_repo_workdir(r), PKI_CONF_FILE)) < 0)
		return rc;
	if (git_config_open_ondisk(&cfg, path.ptr) < 0)
		rc = git_fail(PKI_ECONFIG, "cannot read '%s'", path.ptr);
	else
		rc = config_get(cfg, key, out);
	git_config_free(cfg);
	pki_buf_release(&path);
	return rc;
}

int pki_repo_local_get(struct pki_repo *r, const char *key, char **out)
{
	git_config *cfg = NULL, *snap = NULL;
	int rc;

	/* Without a repository (pki-init): the global and system files. */
	if (r == NULL && git_libgit2_init() < 0)
		return git_fail(PKI_EINTERNAL, "libgit2");
	if ((r != NULL ? git_repository_config(&cfg, r->git) : git_config_open_default(&cfg)) < 0 ||
	    git_config_snapshot(&snap, cfg) < 0)
		rc = git_fail(PKI_ECONFIG, "cannot read git configuration for '%s'", key);
	else
		rc = config_get(snap, key, out);
	git_config_free(snap);
	git_config_free(cfg);
	if (r == NULL)
		git_libgit2_shutdown();
	return rc;
}

int pki_repo_local_set(struct pki_repo *r, const char *key, const char *value)
{
	git_config *cfg = NULL, *local = NULL;
	int rc = 0;

	if (git_repository_config(&cfg, r->git) < 0 ||
	    git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0 ||
	    git_config_set_string(local, key, value) < 0)
		rc = git_fail(PKI_EIO, "cannot set '%s'", key);
	git_config_free(local);
	git_config_free(cfg);
	return rc;
}

int pki_repo_conf_format(struct pki_repo *r, const char *const *kv, size_t n,
			 struct pki_buf *out)
{
	struct pki_buf path = PKI_BUF_INIT;
	git_config *cfg = NULL;
	size_t i;
	int fd = -1, rc;

	/* Let libgit2 write the git-config syntax into a scratch file in
	 * the git directory (no secrets: mission settings), then read it. */
	if ((rc = pki_buf_printf(&path, "%spki.conf.new", pki_repo_gitdir(r))) < 0)
		return rc;
	(void)unlink(path.ptr);
	if (git_config_open_ondisk(&cfg, path.ptr) < 0) {
		rc = git_fail(PKI_EIO, "cannot write '%s'", path.ptr);
		goto out;
	}
	for (i = 0; i + 1 < 2 * n; i += 2)
		if (git_config_set_string(cfg, kv[i], kv[i + 1]) < 0) {
			rc = git_fail(PKI_EIO, "cannot set '%s'", kv[i]);
			goto out;
		}
	if ((fd = open(path.ptr, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		rc = pki_error_errno(PKI_EIO, "cannot read '%s'", path.ptr);
		goto out;
	}
	pki_buf_reset(out);
	rc = pki_read_fd(fd, 64 * 1024, out);
out:
	if (fd >= 0)
		close(fd);
	git_config_free(cfg);
	(void)unlink(path.ptr);
	pki_buf_release(&path);
	return rc;
}

/* --- reading the tip --- */

static int tip_commit(git_repository *git, git_commit **out)
{
	git_oid id;
	int err;

	*out = NULL;
	err = git_reference_name_to_id(&id, git, PKI_BRANCH);
	if (err == GIT_ENOTFOUND)
		return 0;
	if (err < 0 || git_commit_lookup(out, git, &id) < 0)
		return git_fail(PKI_EDATA, "cannot read %s", PKI_BRANCH);
	return 0;
}

int pki_repo_tip(struct pki_repo *r, char hex[41])
{
	git_commit *c = NULL;
	int rc;

	hex[0] = '\0';
	if ((rc = tip_commit(r->git, &c)) < 0)
		return rc;
	if (c != NULL)
		git_oid_tostr(hex, 41, git_commit_id(c));
	git_commit_free(c);
	return 0;
}

/* Look path up in tree; -PKI_ENOINPUT when absent or not a file. */
static int tree_blob(git_repository *git, git_tree *tree, const char *path, git_blob **out)
{
	git_tree_entry *e = NULL;
	int rc = 0;

	*out = NULL;
	if (tree == NULL || git_tree_entry_bypath(&e, tree, path) < 0)
		return pki_error(PKI_ENOINPUT, "'%s' does not exist", path);
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		rc = pki_error(PKI_EDATA, "'%s' is not a file", path);
	else if (git_blob_lookup(out, git, git_tree_entry_id(e)) < 0)
		rc = git_fail(PKI_EDATA, "cannot read '%s'", path);
	git_tree_entry_free(e);
	return rc;
}

static int blob_copy(git_blob *b, const char *path, size_t max, struct pki_buf *out)
{
	git_object_size_t size = git_blob_rawsize(b);

	if (size > max)
		return pki_error(PKI_EDATA, "'%s' is larger than %zu bytes", path, max);
	pki_buf_reset(out);
	return pki_buf_add(out, git_blob_rawcontent(b), (size_t)size);
}

static int with_tip_tree(struct pki_repo *r, git_commit **c, git_tree **t)
{
	int rc;

	*t = NULL;
	if ((rc = tip_commit(r->git, c)) < 0)
		return rc;
	if (*c != NULL && git_commit_tree(t, *c) < 0)
		return git_fail(PKI_EDATA, "cannot read the tree of %s", PKI_BRANCH);
	return 0;
}

int pki_repo_read(struct pki_repo *r, const char *path, size_t max, struct pki_buf *out)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_blob *b = NULL;
	int rc;

	if ((rc = with_tip_tree(r, &c, &t)) == 0 &&
	    (rc = tree_blob(r->git, t, path, &b)) == 0)
		rc = blob_copy(b, path, max, out);
	git_blob_free(b);
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

bool pki_repo_exists(struct pki_repo *r, const char *path)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	bool found = false;

	if (with_tip_tree(r, &c, &t) == 0 && t != NULL &&
	    git_tree_entry_bypath(&e, t, path) == 0)
		found = true;
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return found;
}

void pki_strv_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static int strv_push(char ***v, size_t *n, const char *s)
{
	char **grown;

	if ((grown = realloc(*v, (*n + 2) * sizeof(**v))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "list");
	*v = grown;
	if ((grown[*n] = strdup(s)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "list");
	grown[++*n] = NULL;
	return 0;
}

static int tree_list(git_repository *git, git_tree *root, const char *dir,
		     char ***names, size_t *n)
{
	git_tree_entry *e = NULL;
	git_tree *sub = NULL;
	size_t i;
	int rc = 0;

	if (root == NULL)
		return 0;
	if (dir == NULL || *dir == '\0') {
		sub = root;
	} else {
		if (git_tree_entry_bypath(&e, root, dir) < 0 ||
		    git_tree_entry_type(e) != GIT_OBJECT_TREE)
			goto out;	/* no such directory: empty */
		if (git_tree_lookup(&sub, git, git_tree_entry_id(e)) < 0) {
			rc = git_fail(PKI_EDATA, "cannot read '%s'", dir);
			goto out;
		}
	}
	for (i = 0; i < git_tree_entrycount(sub) && rc == 0; i++)
		rc = strv_push(names, n, git_tree_entry_name(git_tree_entry_byindex(sub, i)));
out:
	if (sub != root)
		git_tree_free(sub);
	git_tree_entry_free(e);
	return rc;
}

int pki_repo_list(struct pki_repo *r, const char *dir, char ***names, size_t *n)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	int rc;

	*names = NULL;
	*n = 0;
	if ((rc = with_tip_tree(r, &c, &t)) == 0)
		rc = tree_list(r->git, t, dir, names, n);
	if (rc == 0 && *names == NULL && (*names = calloc(1, sizeof(**names))) == NULL)
		rc = pki_error_errno(PKI_EINTERNAL, "list");
	if (rc < 0) {
		pki_strv_free(*names);
		*names = NULL;
		*n = 0;
	}
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

static int blob_to_sink(git_blob *b, struct pki_sink *out)
{
	const char *p = git_blob_rawcontent(b);
	git_object_size_t left = git_blob_rawsize(b);
	size_t chunk;
	int rc;

	while (left > 0) {
		chunk = left > 65536 ? 65536 : (size_t)left;
		if ((rc = out->write(out->ctx, p, chunk)) < 0)
			return rc;
		p += chunk;
		left -= chunk;
	}
	return 0;
}

/* The ID of the file at path in tree; -PKI_ENOINPUT when absent. */
static int tree_file_id(git_tree *tree, const char *path, git_oid *out)
{
	git_tree_entry *e = NULL;
	int rc = 0;

	if (tree == NULL || git_tree_entry_bypath(&e, tree, path) < 0)
		return pki_error(PKI_ENOINPUT, "'%s' does not exist", path);
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		rc = pki_error(PKI_EDATA, "'%s' is not a file", path);
	else
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return rc;
}

/*
 * A blob to a sink.  A loose object is inflated as it is read
 * (git_odb_open_rstream), so the heap does not grow with its size (the
 * compressed file is mapped, in reclaimable pages); libgit2 cannot stream
 * a packed object, which is read whole.
 */
static int id_to_sink(git_repository *git, const git_oid *id, const char *path,
		      struct pki_sink *out)
{
	git_odb *odb = NULL;
	git_odb_stream *st = NULL;
	git_blob *b = NULL;
	git_object_t type = GIT_OBJECT_INVALID;
	size_t len;
	char buf[65536];
	int n = 0, rc = 0;

	if (git_repository_odb(&odb, git) < 0)
		return git_fail(PKI_EINTERNAL, "cannot open the object store");
	if (git_odb_open_rstream(&st, &len, &type, odb, id) == 0 && type == GIT_OBJECT_BLOB) {
		while (rc == 0 && (n = git_odb_stream_read(st, buf, sizeof(buf))) > 0)
			rc = out->write(out->ctx, buf, (size_t)n);
		if (n < 0 && rc == 0)
			rc = git_fail(PKI_EIO, "cannot read '%s'", path);
	} else {
		git_error_clear();
		if (git_blob_lookup(&b, git, id) < 0)
			rc = git_fail(PKI_EDATA, "cannot read '%s'", path);
		else
			rc = blob_to_sink(b, out);
	}
	git_blob_free(b);
	if (st != NULL)
		git_odb_stream_free(st);
	git_odb_free(odb);
	return rc;
}

int pki_repo_stream(struct pki_repo *r, const char *path, struct pki_sink *out)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_oid id;
	int rc;

	if ((rc = with_tip_tree(r, &c, &t)) == 0 &&
	    (rc = tree_file_id(t, path, &id)) == 0)
		rc = id_to_sink(r->git, &id, path, out);
	git_tree_free(t);
	git_commit_free(c);
	return rc;
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

/* Lock files git leaves when killed mid-write: only a pki process holding
 * the repository lock could have made them, and it is gone. */
static void remove_stale_locks(const char *gitdir)
{
	static const char *const names[] = { "refs/heads/main.lock", "index.lock", "HEAD.lock" };
	char path[4096];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", gitdir, names[i]);
		(void)unlink(path);
	}
}

#define SHADOW_PREFIX "pki-shadow."

/* Shadow copies a killed process left in the git directory. */
static void remove_stale_shadows(const char *gitdir)
{
	DIR *d = opendir(gitdir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, SHADOW_PREFIX, strlen(SHADOW_PREFIX)) == 0)
			(void)unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}

static int lock_take(struct pki_repo *r, int *fdp)
{
	char path[4096];
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	long waited = 0, limit = lock_timeout_ms();
	int fd;

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
			close(fd);
			return pki_error(PKI_EBUSY, "repository busy: another pki command holds '%s'; try again", path);
		}
		nanosleep(&nap, NULL);
		waited += 20;
	}
	remove_stale_locks(pki_repo_gitdir(r));
	remove_stale_shadows(pki_repo_gitdir(r));
	*fdp = fd;
	return 0;
}

/* --- the work tree ---
 *
 * After the branch has moved, the touched files are written into the work
 * tree and their index entries set from what was written.  Each file is
 * streamed from the object store into a new file beside it and renamed
 * over the old one, so memory does not grow with a product's size, and
 * no directory or file on the way is followed if it is a symbolic link.
 */

/*
 * Open the directory holding path inside the work tree, component by
 * component with O_NOFOLLOW, creating missing ones when create is set.
 * *dirfd is -1 (and 0 returned) when a directory is missing and not
 * created.  *name points at the last component of path.
 */
static int open_parent(const char *workdir, const char *path, bool create,
		       int *dirfd, const char **name)
{
	char comp[256];
	const char *p = path, *slash;
	int fd, next;

	*dirfd = -1;
	if ((fd = open(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return pki_error_errno(PKI_EIO, "cannot open the work tree '%s'", workdir);
	while ((slash = strchr(p, '/')) != NULL) {
		if ((size_t)(slash - p) >= sizeof(comp) || slash == p) {
			close(fd);
			return pki_error(PKI_EDATA, "bad path '%s'", path);
		}
		memcpy(comp, p, (size_t)(slash - p));
		comp[slash - p] = '\0';
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create &&
		    (mkdirat(fd, comp, 0777) == 0 || errno == EEXIST))
			next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			int missing = errno == ENOENT && !create;

			close(fd);
			if (missing)
				return 0;
			return pki_error_errno(PKI_EDATA, "'%.*s' in the work tree is not a "
					       "directory pki can use", (int)(slash - path), path);
		}
		close(fd);
		fd = next;
		p = slash + 1;
	}
	*dirfd = fd;
	*name = p;
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
		if ((rc = open_parent(workdir, t->v[i].path, false, &dirfd, &name)) < 0)
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

static void index_entry_from_stat(git_index_entry *e, const struct stat *st,
				  const git_oid *id, const char *path)
{
	memset(e, 0, sizeof(*e));
	e->ctime.seconds = (int32_t)st->st_ctim.tv_sec;
	e->ctime.nanoseconds = (uint32_t)st->st_ctim.tv_nsec;
	e->mtime.seconds = (int32_t)st->st_mtim.tv_sec;
	e->mtime.nanoseconds = (uint32_t)st->st_mtim.tv_nsec;
	e->dev = (uint32_t)st->st_dev;
	e->ino = (uint32_t)st->st_ino;
	e->mode = GIT_FILEMODE_BLOB;
	e->uid = (uint32_t)st->st_uid;
	e->gid = (uint32_t)st->st_gid;
	e->file_size = (uint32_t)st->st_size;
	git_oid_cpy(&e->id, id);
	e->path = path;
}

static int write_file(struct pki_repo *r, const char *path, const git_oid *id,
		      char **shadow, git_index *index)
{
	const char *name;
	char tmp[300];
	struct stat st;
	git_index_entry e;
	int dirfd = -1, fd = -1, rc;

	if ((rc = open_parent(pki_repo_workdir(r), path, true, &dirfd, &name)) < 0)
		return rc;
	/* The shadow copy, when there is one, is moved into place whole. */
	if (shadow != NULL && *shadow != NULL) {
		if (renameat(AT_FDCWD, *shadow, dirfd, name) == 0) {
			free(*shadow);
			*shadow = NULL;
			goto stat;
		}
		if (errno != EXDEV) {
			rc = pki_error_errno(PKI_EIO, "cannot write '%s'", path);
			goto out;
		}
	}
	snprintf(tmp, sizeof(tmp), ".%.200s.pki-%ld", name, (long)getpid());
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0) {
		rc = pki_error_errno(PKI_EIO, "cannot write '%s'", path);
		goto out;
	}
	{
		struct pki_sink to_file = { pki_sink_fd, &fd };

		rc = id_to_sink(r->git, id, path, &to_file);
	}
	if (close(fd) < 0 && rc == 0)
		rc = pki_error_errno(PKI_EIO, "cannot write '%s'", path);
	fd = -1;
	if (rc == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		rc = pki_error_errno(PKI_EIO, "cannot write '%s'", path);
	if (rc < 0) {
		(void)unlinkat(dirfd, tmp, 0);
		goto out;
	}
stat:
	/* The stat data after the rename, which may have changed ctime. */
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		rc = pki_error_errno(PKI_EIO, "cannot stat '%s'", path);
		goto out;
	}
	index_entry_from_stat(&e, &st, id, path);
	if (git_index_add(index, &e) < 0)
		rc = git_fail(PKI_EIO, "cannot update the index for '%s'", path);
out:
	if (dirfd >= 0)
		close(dirfd);
	return rc;
}

static int remove_file(struct pki_repo *r, const char *path, git_index *index)
{
	const char *name;
	int dirfd, rc;

	if ((rc = open_parent(pki_repo_workdir(r), path, false, &dirfd, &name)) < 0)
		return rc;
	if (dirfd >= 0) {
		if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
			rc = pki_error_errno(PKI_EIO, "cannot remove '%s'", path);
		close(dirfd);
	}
	if (rc == 0 && git_index_remove(index, path, 0) < 0 &&
	    git_error_last() != NULL)
		git_error_clear();	/* not in the index: nothing to do */
	return rc;
}

/* --- interrupted updates ---
 *
 * The branch moves first and the work tree follows.  A process killed in
 * between leaves the branch right and some files stale; the paths it was
 * updating are written to .git/pki-updating before the branch moves, and
 * the next lock holder checks them out again from the tip.
 */

static int marker_path(struct pki_repo *r, struct pki_buf *out)
{
	pki_buf_reset(out);
	return pki_buf_printf(out, "%spki-updating", pki_repo_gitdir(r));
}

static int marker_write(struct pki_txn *t)
{
	struct pki_buf path = PKI_BUF_INIT, body = PKI_BUF_INIT;
	int fd = -1, rc;
	size_t i;

	if ((rc = marker_path(t->r, &path)) < 0)
		goto out;
	for (i = 0; i < t->n; i++)
		if ((rc = pki_buf_printf(&body, "%s\n", t->v[i].path)) < 0)
			goto out;
	fd = open(path.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = pki_error_errno(PKI_EIO, "cannot write '%s'", path.ptr);
		goto out;
	}
	{
		struct pki_sink sink = { pki_sink_fd, &fd };

		rc = sink.write(sink.ctx, body.ptr, body.len);
	}
out:
	if (fd >= 0 && close(fd) < 0 && rc == 0)
		rc = pki_error_errno(PKI_EIO, "cannot write '%s'", path.ptr);
	pki_buf_release(&body);
	pki_buf_release(&path);
	return rc;
}

static void marker_remove(struct pki_repo *r)
{
	struct pki_buf path = PKI_BUF_INIT;

	if (marker_path(r, &path) == 0)
		(void)unlink(path.ptr);
	pki_buf_release(&path);
}

/* Write the listed paths again from the tip, overwriting what a killed
 * update left behind.  Only paths pki itself was writing are touched. */
static int recover_paths(struct pki_repo *r, char *list)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_index *index = NULL;
	char *line, *save = NULL;
	git_oid id;
	int rc;

	if ((rc = with_tip_tree(r, &c, &tree)) < 0)
		goto out;
	if (git_repository_index(&index, r->git) < 0 || git_index_read(index, 0) < 0) {
		rc = git_fail(PKI_EIO, "cannot read the index");
		goto out;
	}
	for (line = strtok_r(list, "\n", &save); line != NULL && rc == 0;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '/' || strstr(line, "..") != NULL)
			continue;
		if (tree_file_id(tree, line, &id) == 0)
			rc = write_file(r, line, &id, NULL, index);
		else
			rc = remove_file(r, line, index);
	}
	if (rc == 0 && git_index_write(index) < 0)
		rc = git_fail(PKI_EIO, "cannot write the index");
out:
	if (rc < 0)
		pki_error_wrap(-rc, "cannot finish the interrupted update of the work tree");
	git_index_free(index);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

static int marker_recover(struct pki_repo *r)
{
	struct pki_buf path = PKI_BUF_INIT, body = PKI_BUF_INIT;
	int fd, rc;

	if ((rc = marker_path(r, &path)) < 0)
		return rc;
	if ((fd = open(path.ptr, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		pki_buf_release(&path);
		return 0;	/* nothing was interrupted */
	}
	rc = pki_read_fd(fd, 16 * 1024 * 1024, &body);
	close(fd);
	if (rc == 0 && body.len > 0)
		rc = recover_paths(r, body.ptr);
	if (rc == 0)
		(void)unlink(path.ptr);
	pki_buf_release(&body);
	pki_buf_release(&path);
	return rc;
}

/* --- transactions --- */

static int head_on_branch(git_repository *git)
{
	git_reference *head = NULL;
	int rc = 0;

	if (git_reference_lookup(&head, git, "HEAD") < 0)
		return git_fail(PKI_ECONFIG, "cannot read HEAD");
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC ||
	    strcmp(git_reference_symbolic_target(head), PKI_BRANCH) != 0)
		rc = pki_error(PKI_ECONFIG, "HEAD is not on %s: check out main first", PKI_BRANCH);
	git_reference_free(head);
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
	if ((rc = lock_take(r, &t->lockfd)) < 0 ||
	    (rc = marker_recover(r)) < 0 ||
	    (rc = with_tip_tree(r, &t->tip, &t->tree)) < 0) {
		pki_txn_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void pki_txn_free(struct pki_txn *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->v[i].path);
		drop_shadow(&t->v[i].shadow);
	}
	free(t->v);
	git_tree_free(t->tree);
	git_commit_free(t->tip);
	if (t->lockfd >= 0)
		close(t->lockfd);	/* releases the flock */
	free(t);
}

static struct staged *staged_find(struct pki_txn *t, const char *path)
{
	size_t i;

	for (i = t->n; i-- > 0;)
		if (strcmp(t->v[i].path, path) == 0)
			return &t->v[i];
	return NULL;
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
		s = &t->v[t->n];
		s->shadow = NULL;
		if ((s->path = strdup(path)) == NULL)
			return pki_error_errno(PKI_EINTERNAL, "transaction");
		t->n++;
	}
	if (oid != NULL)
		git_oid_cpy(&s->oid, oid);
	s->removed = removed;
	drop_shadow(&s->shadow);
	return 0;
}

/* The blob at path as of the transaction. */
static int txn_blob(struct pki_txn *t, const char *path, git_blob **out)
{
	struct staged *s = staged_find(t, path);

	*out = NULL;
	if (s == NULL)
		return tree_blob(t->r->git, t->tree, path, out);
	if (s->removed)
		return pki_error(PKI_ENOINPUT, "'%s' does not exist", path);
	if (git_blob_lookup(out, t->r->git, &s->oid) < 0)
		return git_fail(PKI_EINTERNAL, "cannot read staged '%s'", path);
	return 0;
}

int pki_txn_read(struct pki_txn *t, const char *path, size_t max, struct pki_buf *out)
{
	git_blob *b = NULL;
	int rc;

	if ((rc = txn_blob(t, path, &b)) == 0)
		rc = blob_copy(b, path, max, out);
	git_blob_free(b);
	return rc;
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

int pki_txn_list(struct pki_txn *t, const char *dir, char ***names, size_t *n)
{
	size_t i, dlen = strlen(dir), j;
	int rc;

	*names = NULL;
	*n = 0;
	if ((rc = tree_list(t->r->git, t->tree, dir, names, n)) < 0)
		goto fail;
	/* Files staged directly in dir join the listing. */
	for (i = 0; i < t->n; i++) {
		const char *p = t->v[i].path, *name;
		bool seen = false;

		if (t->v[i].removed || strncmp(p, dir, dlen) != 0 || p[dlen] != '/')
			continue;
		name = p + dlen + 1;
		if (strchr(name, '/') != NULL)
			continue;
		for (j = 0; j < *n && !seen; j++)
			seen = strcmp((*names)[j], name) == 0;
		if (!seen && (rc = strv_push(names, n, name)) < 0)
			goto fail;
	}
	if (*names == NULL && (*names = calloc(1, sizeof(**names))) == NULL) {
		rc = pki_error_errno(PKI_EINTERNAL, "list");
		goto fail;
	}
	return 0;
fail:
	pki_strv_free(*names);
	*names = NULL;
	*n = 0;
	return rc;
}

int pki_txn_put(struct pki_txn *t, const char *path, const void *data, size_t len)
{
	git_oid oid;

	if (git_blob_create_from_buffer(&oid, t->r->git, data, len) < 0)
		return git_fail(PKI_EIO, "cannot store '%s'", path);
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
		return git_fail(PKI_EIO, "cannot write to the object store");
	return pki_sink_fd(&w->fd, data, len);
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

int pki_txn_blob_begin(struct pki_txn *t, struct pki_blobw **w, struct pki_sink *sink)
{
	struct pki_buf path = PKI_BUF_INIT;
	struct pki_blobw *bw;
	int rc;

	*w = NULL;
	if ((bw = calloc(1, sizeof(*bw))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "blob");
	bw->fd = -1;
	if ((rc = pki_buf_printf(&path, "%s%s%ld.%u", pki_repo_gitdir(t->r), SHADOW_PREFIX,
				 (long)getpid(), t->nshadow++)) < 0)
		goto fail;
	bw->shadow = pki_buf_detach(&path, NULL);
	bw->fd = open(bw->shadow, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (bw->fd < 0) {
		rc = pki_error_errno(PKI_EIO, "cannot create '%s'", bw->shadow);
		goto fail;
	}
	if (git_blob_create_from_stream(&bw->stream, t->r->git, NULL) < 0) {
		rc = git_fail(PKI_EIO, "cannot write to the object store");
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

int pki_txn_blob_finish(struct pki_txn *t, struct pki_blobw *w, const char *path)
{
	struct staged *s;
	git_oid oid;
	int rc = 0;

	if (path == NULL) {	/* abandon */
		blobw_free(w);
		return 0;
	}
	if (close(w->fd) < 0)
		rc = pki_error_errno(PKI_EIO, "cannot write '%s'", w->shadow);
	w->fd = -1;
	if (rc == 0 && git_blob_create_from_stream_commit(&oid, w->stream) < 0)
		rc = git_fail(PKI_EIO, "cannot store '%s'", path);
	w->stream = NULL;	/* freed by the commit, done or not */
	if (rc == 0 && (rc = stage(t, path, &oid, false)) == 0 &&
	    (s = staged_find(t, path)) != NULL) {
		s->shadow = w->shadow;
		w->shadow = NULL;
	}
	blobw_free(w);
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
		return git_fail(PKI_EINTERNAL, "no blob %.40s for '%s'", hex, path);
	return stage(t, path, &oid, false);
}

int pki_txn_stream(struct pki_txn *t, const char *path, struct pki_sink *out)
{
	struct staged *s = staged_find(t, path);
	git_oid id;
	int rc;

	if (s != NULL && s->removed)
		return pki_error(PKI_ENOINPUT, "'%s' does not exist", path);
	if (s != NULL)
		git_oid_cpy(&id, &s->oid);
	else if ((rc = tree_file_id(t->tree, path, &id)) < 0)
		return rc;
	return id_to_sink(t->r->git, &id, path, out);
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

	if (rd->stream != NULL) {
		if (len > INT_MAX)
			len = INT_MAX;
		if ((got = git_odb_stream_read(rd->stream, data, len)) < 0)
			return git_fail(PKI_EIO, "cannot read a blob");
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
	struct staged *s = staged_find(t, path);
	struct pki_blobr *r;
	git_object_t type = GIT_OBJECT_INVALID;
	git_oid id;
	size_t len;
	int rc;

	*rd = NULL;
	if (s != NULL && s->removed)
		return pki_error(PKI_ENOINPUT, "'%s' does not exist", path);
	if (s != NULL)
		git_oid_cpy(&id, &s->oid);
	else if ((rc = tree_file_id(t->tree, path, &id)) < 0)
		return rc;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "blob");
	if (git_repository_odb(&r->odb, t->r->git) < 0) {
		free(r);
		return git_fail(PKI_EINTERNAL, "cannot open the object store");
	}
	if (git_odb_open_rstream(&r->stream, &len, &type, r->odb, &id) < 0 ||
	    type != GIT_OBJECT_BLOB) {
		if (r->stream != NULL)
			git_odb_stream_free(r->stream);
		r->stream = NULL;
		git_error_clear();
		if (git_blob_lookup(&r->blob, t->r->git, &id) < 0) {
			rc = git_fail(PKI_EDATA, "cannot read '%s'", path);
			pki_blobr_free(r);
			return rc;
		}
	}
	src->read = blobr_read;
	src->ctx = r;
	*rd = r;
	return 0;
}

void pki_blobr_free(struct pki_blobr *rd)
{
	if (rd == NULL)
		return;
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
	const unsigned int dirty = GIT_STATUS_INDEX_NEW | GIT_STATUS_INDEX_MODIFIED |
		GIT_STATUS_INDEX_DELETED | GIT_STATUS_INDEX_RENAMED |
		GIT_STATUS_INDEX_TYPECHANGE | GIT_STATUS_WT_NEW | GIT_STATUS_WT_MODIFIED |
		GIT_STATUS_WT_DELETED | GIT_STATUS_WT_TYPECHANGE | GIT_STATUS_WT_RENAMED |
		GIT_STATUS_CONFLICTED;
	unsigned int flags;
	size_t i;
	int err;

	for (i = 0; i < t->n; i++) {
		err = git_status_file(&flags, t->r->git, t->v[i].path);
		if (err == GIT_ENOTFOUND)
			continue;
		if (err < 0)
			return git_fail(PKI_EIO, "cannot check '%s'", t->v[i].path);
		if (flags & dirty)
			return pki_error(PKI_EDATA, "'%s' has uncommitted changes in the work tree: "
					 "commit or discard them first", t->v[i].path);
	}
	return 0;
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
		rc = git_fail(PKI_EIO, "cannot build the new tree");
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
	const git_commit *parents[1];
	int rc = 0;

	parents[0] = t->tip;
	if (git_signature_new(&sig, who->name, who->email, (git_time_t)who->when, 0) < 0) {
		rc = git_fail(PKI_EDATA, "cannot make the commit signature from the key's user ID");
		goto out;
	}
	if (git_tree_lookup(&tree, t->r->git, tree_id) < 0 ||
	    git_commit_create_buffer(&buf, t->r->git, sig, sig, NULL, message, tree,
				     t->tip != NULL ? 1 : 0, parents) < 0) {
		rc = git_fail(PKI_EIO, "cannot make the commit");
		goto out;
	}
	if ((rc = pki_gpg_sign(g, who->fpr, buf.ptr, buf.size, &armor)) < 0)
		goto out;
	if (git_commit_create_with_signature(out, t->r->git, buf.ptr, armor.ptr, "gpgsig") < 0)
		rc = git_fail(PKI_EIO, "cannot write the signed commit");
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
		return git_fail(PKI_EIO, "cannot update %s", PKI_BRANCH);
	return 0;
}

/* Bring the index and the touched files of the work tree to the commit. */
static int update_worktree(struct pki_txn *t)
{
	git_index *index = NULL;
	size_t i;
	int rc = 0;

	if (git_repository_index(&index, t->r->git) < 0 || git_index_read(index, 0) < 0)
		return git_fail(PKI_EIO, "cannot read the index");
	for (i = 0; i < t->n && rc == 0; i++)
		rc = t->v[i].removed ? remove_file(t->r, t->v[i].path, index) :
				       write_file(t->r, t->v[i].path, &t->v[i].oid,
						  &t->v[i].shadow, index);
	if (rc == 0 && git_index_write(index) < 0)
		rc = git_fail(PKI_EIO, "cannot write the index");
	git_index_free(index);
	if (rc < 0)
		pki_error_wrap(-rc, "committed, but the work tree was not updated "
			       "(the next pki command finishes it)");
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

	if ((rc = check_clean(t)) < 0 ||
	    (rc = check_writable(t)) < 0 ||
	    (rc = build_tree(t, &tree_id)) < 0 ||
	    (rc = write_commit(t, g, who, message, &tree_id, &commit_id)) < 0)
		return rc;
	first_line(message, subject, sizeof(subject));
	if ((rc = marker_write(t)) < 0)
		return rc;
	if ((rc = swap_branch(t, &commit_id, subject)) < 0) {
		marker_remove(t->r);
		return rc;
	}
	git_oid_tostr(t->commit_hex, sizeof(t->commit_hex), &commit_id);
	if ((rc = update_worktree(t)) == 0)
		marker_remove(t->r);
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

void pki_commit_release(struct pki_commit *c)
{
	if (c == NULL)
		return;
	free(c->parents);
	free(c->message);
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
		rc = git_fail(PKI_EDATA, "cannot read commit %s", hex);
	git_commit_free(c);
	return rc;
}

static void file_id(const git_diff_file *f, char hex[41])
{
	hex[0] = '\0';
	if ((f->flags & GIT_DIFF_FLAG_EXISTS) && f->mode != GIT_FILEMODE_COMMIT &&
	    f->mode != GIT_FILEMODE_TREE)
		git_oid_tostr(hex, 41, &f->id);
}

static int tree_deltas(git_repository *git, git_tree *a, git_tree *b,
		       struct pki_delta **out, size_t *n)
{
	git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
	git_diff *diff = NULL;
	struct pki_delta *v = NULL;
	size_t i, count;
	int rc = 0;

	*out = NULL;
	*n = 0;
	/* Paths and IDs only: no content is read. */
	opts.flags = GIT_DIFF_SKIP_BINARY_CHECK | GIT_DIFF_IGNORE_SUBMODULES;
	if (git_diff_tree_to_tree(&diff, git, a, b, &opts) < 0)
		return git_fail(PKI_EDATA, "cannot compare trees");
	count = git_diff_num_deltas(diff);
	if (count > 0 && (v = calloc(count, sizeof(*v))) == NULL) {
		rc = pki_error_errno(PKI_EINTERNAL, "diff");
		goto out;
	}
	for (i = 0; i < count; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if ((v[i].path = strdup(d->new_file.path != NULL ? d->new_file.path :
					d->old_file.path)) == NULL) {
			rc = pki_error_errno(PKI_EINTERNAL, "diff");
			pki_deltas_free(v, i);
			v = NULL;
			goto out;
		}
		file_id(&d->old_file, v[i].old_id);
		file_id(&d->new_file, v[i].new_id);
	}
	*out = v;
	*n = count;
out:
	git_diff_free(diff);
	return rc;
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
		return git_fail(PKI_EINTERNAL, "libgit2");
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "history");
	w->r = r;
	if (git_revwalk_new(&w->rw, r->git) < 0 ||
	    git_revwalk_sorting(w->rw, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push_ref(w->rw, PKI_BRANCH) < 0) {
		rc = git_fail(PKI_EDATA, "cannot walk %s", PKI_BRANCH);
		goto out;
	}
	if (since != NULL) {
		if (git_revparse_single(&obj, r->git, since) < 0 ||
		    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
			rc = pki_error(PKI_EUSAGE, "'%.64s' names no commit", since);
			goto out;
		}
		if (git_revwalk_hide(w->rw, git_object_id(peeled)) < 0) {
			rc = git_fail(PKI_EDATA, "cannot walk %s", PKI_BRANCH);
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
		return git_fail(PKI_EDATA, "cannot read the signature of %s", c->id);
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
	    (c->message = strdup(git_commit_message(gc) != NULL ? git_commit_message(gc) : "")) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "history");
	for (i = 0; i < c->nparents; i++)
		git_oid_tostr(c->parents[i], 41, git_commit_parent_id(gc, (unsigned int)i));
	if ((rc = commit_signature(w->r->git, &id, c)) < 0)
		return rc;
	if (git_commit_tree(&tree, gc) < 0 ||
	    (c->nparents > 0 && (git_commit_parent(&parent, gc, 0) < 0 ||
				 git_commit_tree(&ptree, parent) < 0))) {
		rc = git_fail(PKI_EDATA, "cannot read commit %s", c->id);
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
		return git_fail(PKI_EDATA, "cannot walk %s", PKI_BRANCH);
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
		rc = git_fail(PKI_EDATA, "cannot read '%s' at %.12s", dir, commit);
	else
		rc = entries_of(sub, out, n);
out:
	git_tree_free(sub);
	git_tree_entry_free(e);
	git_tree_free(root);
	return rc;
}

static int blob_by_id(struct pki_repo *r, const char *hex, git_blob **out)
{
	git_oid id;
	int rc;

	*out = NULL;
	if ((rc = oid_parse(&id, hex)) < 0)
		return rc;
	if (git_blob_lookup(out, r->git, &id) < 0)
		return git_fail(PKI_EDATA, "cannot read blob %s", hex);
	return 0;
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
	git_blob *b = NULL;
	git_object_size_t size;
	int rc;

	pki_buf_reset(out);
	if (head) {
		/* A large product's head, without reading the whole of it. */
		rc = max > 0 ? pki_repo_blob_stream(r, id, &sink) : 0;
		return rc < 0 && h.full ? 0 : rc;
	}
	if ((rc = blob_by_id(r, id, &b)) < 0)
		return rc;
	size = git_blob_rawsize(b);
	if (size > max)
		rc = pki_error(PKI_EDATA, "blob %s is larger than %zu bytes", id, max);
	else
		rc = pki_buf_add(out, git_blob_rawcontent(b), (size_t)size);
	git_blob_free(b);
	return rc;
}

int pki_repo_blob_stream(struct pki_repo *r, const char *id, struct pki_sink *out)
{
	git_oid oid;
	int rc;

	if ((rc = oid_parse(&oid, id)) < 0)
		return rc;
	return id_to_sink(r->git, &oid, id, out);
}
