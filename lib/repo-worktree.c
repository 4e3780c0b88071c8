/* repo-worktree.c: the work tree and the index, kept in step with main.
 *
 * What repo-txn.c needs of them: files written from the object store and
 * renamed into place, never through a symbolic link; index entries made
 * from what was written; the record of an update in progress and its
 * recovery; whether a path is as the tip has it, judged as git judges it;
 * and the work-tree copy of a large blob when the index vouches for it.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "repo.h"
#include "repo-int.h"

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
int repo_open_parent(const char *workdir, const char *path, bool create,
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

int repo_write_file(struct pki_repo *r, const char *path, const git_oid *id,
		    char **shadow, git_index *index)
{
	const char *name;
	char tmp[300];
	struct stat st;
	git_index_entry e;
	int dirfd = -1, fd = -1, rc;

	if ((rc = repo_open_parent(pki_repo_workdir(r), path, true, &dirfd, &name)) < 0)
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

		rc = repo_id_to_sink(r->git, id, path, &to_file);
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
		rc = repo_fail(PKI_EIO, "cannot update the index for '%s'", path);
out:
	if (dirfd >= 0)
		close(dirfd);
	return rc;
}

int repo_remove_file(struct pki_repo *r, const char *path, git_index *index)
{
	const char *name;
	int dirfd, rc;

	if ((rc = repo_open_parent(pki_repo_workdir(r), path, false, &dirfd, &name)) < 0)
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

/*
 * Every index pki writes is version 4, whose path compression makes it
 * about half the size: libgit2 reads, checksums and writes the whole
 * index with every commit, and with 10,000 products that is most of a
 * commit's cost (bench/README).  It is what git's feature.manyFiles sets.
 */
int repo_index_write(git_index *index)
{
	if (git_index_version(index) != 4 && git_index_set_version(index, 4) < 0)
		return repo_fail(PKI_EIO, "cannot write the index");
	if (git_index_write(index) < 0)
		return repo_fail(PKI_EIO, "cannot write the index");
	return 0;
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

int repo_marker_write(struct pki_repo *r, const struct pki_buf *paths)
{
	struct pki_buf path = PKI_BUF_INIT;
	int fd = -1, rc;

	if ((rc = marker_path(r, &path)) < 0)
		goto out;
	fd = open(path.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = pki_error_errno(PKI_EIO, "cannot write '%s'", path.ptr);
		goto out;
	}
	rc = pki_sink_fd(&fd, paths->ptr, paths->len);
out:
	if (fd >= 0 && close(fd) < 0 && rc == 0)
		rc = pki_error_errno(PKI_EIO, "cannot write '%s'", path.ptr);
	pki_buf_release(&path);
	return rc;
}

void repo_marker_remove(struct pki_repo *r)
{
	struct pki_buf path = PKI_BUF_INIT;

	if (marker_path(r, &path) == 0)
		(void)unlink(path.ptr);
	pki_buf_release(&path);
}

/* The ".NAME.pki-PID" files a killed writer of path left beside it. */
static void remove_temp_files(struct pki_repo *r, const char *path)
{
	const char *name;
	char prefix[300];
	struct dirent *e;
	DIR *d;
	int dirfd;

	if (repo_open_parent(pki_repo_workdir(r), path, false, &dirfd, &name) < 0 || dirfd < 0)
		return;
	snprintf(prefix, sizeof(prefix), ".%.200s.pki-", name);
	if ((d = fdopendir(dirfd)) == NULL) {
		close(dirfd);
		return;
	}
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			(void)unlinkat(dirfd, e->d_name, 0);
	closedir(d);
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

	if ((rc = repo_with_tip_tree(r, &c, &tree)) < 0)
		goto out;
	if (git_repository_index(&index, r->git) < 0 || git_index_read(index, 0) < 0) {
		rc = repo_fail(PKI_EIO, "cannot read the index");
		goto out;
	}
	for (line = strtok_r(list, "\n", &save); line != NULL && rc == 0;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '/' || strstr(line, "..") != NULL)
			continue;
		remove_temp_files(r, line);
		if (repo_tree_file_id(tree, line, &id) == 0)
			rc = repo_write_file(r, line, &id, NULL, index);
		else
			rc = repo_remove_file(r, line, index);
	}
	if (rc == 0)
		rc = repo_index_write(index);
out:
	if (rc < 0)
		pki_error_wrap(-rc, "cannot finish the interrupted update of the work tree");
	git_index_free(index);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

int repo_marker_recover(struct pki_repo *r)
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

/*
 * Whether stat data proves the work-tree file unchanged since the index
 * entry e was made, as git decides it: same size, times, inode, and the
 * entry older than the index file (an entry written in the same instant
 * as the index is racily clean, and its stat data proves nothing).
 * ctime changes with every write to a file and cannot be set back.
 */
static bool stat_vouches(const git_index_entry *e, const struct stat *st,
			 const struct timespec *imtime)
{
	return S_ISREG(st->st_mode) &&
	       (uint32_t)st->st_size == e->file_size &&
	       (uint32_t)st->st_mtim.tv_sec == (uint32_t)e->mtime.seconds &&
	       (uint32_t)st->st_mtim.tv_nsec == e->mtime.nanoseconds &&
	       (uint32_t)st->st_ctim.tv_sec == (uint32_t)e->ctime.seconds &&
	       (uint32_t)st->st_ctim.tv_nsec == e->ctime.nanoseconds &&
	       (uint32_t)st->st_ino == e->ino &&
	       (e->mtime.seconds < (int32_t)imtime->tv_sec ||
		(e->mtime.seconds == (int32_t)imtime->tv_sec &&
		 e->mtime.nanoseconds < (uint32_t)imtime->tv_nsec));
}

/* The modification time of the index file; zero when there is none. */
int repo_index_mtime(struct pki_repo *r, struct timespec *out)
{
	struct pki_buf path = PKI_BUF_INIT;
	struct stat st;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pki_buf_printf(&path, "%sindex", pki_repo_gitdir(r))) == 0) {
		if (stat(path.ptr, &st) == 0)
			*out = st.st_mtim;
		else if (errno != ENOENT)
			rc = pki_error_errno(PKI_EIO, "cannot stat '%s'", path.ptr);
	}
	pki_buf_release(&path);
	return rc;
}

/*
 * Large blobs are read from the work tree when the index vouches for the
 * copy there: libgit2 maps a whole loose object to inflate it and reads
 * a packed one whole into the heap, so memory would grow with the
 * product; a file read in pieces does not.  Re-encryption and the audit
 * check what they read against the label's SHA-256 besides.
 */

/* A descriptor on the work-tree copy of blob id (size bytes) at path,
 * or -1 (and 0 returned) when the object store must be read instead. */
int repo_worktree_blob_fd(struct pki_repo *r, git_index *index, const char *path,
			  const git_oid *id, size_t size, int *fd)
{
	const git_index_entry *e;
	struct timespec imtime;
	struct stat st;
	const char *name;
	int dirfd = -1, rc = 0;

	*fd = -1;
	if ((e = git_index_get_bypath(index, path, 0)) == NULL ||
	    !git_oid_equal(&e->id, id) || e->file_size != (uint32_t)size)
		goto out;
	if ((rc = repo_index_mtime(r, &imtime)) < 0 ||
	    (rc = repo_open_parent(pki_repo_workdir(r), path, false, &dirfd, &name)) < 0 ||
	    dirfd < 0)
		goto out;
	*fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	/* The descriptor's own stat data: the file read is the file checked. */
	if (*fd >= 0 && (fstat(*fd, &st) < 0 || (size_t)st.st_size != size ||
			 !stat_vouches(e, &st, &imtime))) {
		close(*fd);
		*fd = -1;
	}
out:
	git_error_clear();
	if (dirfd >= 0)
		close(dirfd);
	return rc;
}

/*
 * The same for a reader outside a transaction (the audit), with the
 * repository's own index.  Small blobs, and every blob of a bare
 * repository, come from the object store; so does any blob when the
 * index cannot be read: the work tree only spares memory.
 */
int repo_worktree_fd(struct pki_repo *r, const char *path, const git_oid *id, int *fd)
{
	git_index *index = NULL;
	git_odb *odb = NULL;
	git_object_t type = GIT_OBJECT_INVALID;
	size_t size = 0;
	int rc = 0;

	*fd = -1;
	if (pki_repo_workdir(r) != NULL && git_repository_odb(&odb, r->git) == 0 &&
	    git_odb_read_header(&size, &type, odb, id) == 0 && type == GIT_OBJECT_BLOB &&
	    size >= REPO_WORKTREE_READ_MIN &&
	    git_repository_index(&index, r->git) == 0 && git_index_read(index, 0) == 0)
		rc = repo_worktree_blob_fd(r, index, path, id, size, fd);
	git_error_clear();
	git_index_free(index);
	git_odb_free(odb);
	return rc;
}

int repo_fd_to_sink(int fd, struct pki_sink *out)
{
	char buf[65536];
	long n;
	int rc = 0;

	while (rc == 0 && (n = pki_source_fd(&fd, buf, sizeof(buf))) != 0)
		rc = n < 0 ? (int)n : out->write(out->ctx, buf, (size_t)n);
	return rc;
}

/*
 * Whether the work-tree file e describes (st its lstat) still holds e's
 * blob: by stat data when it vouches, so that a clean file costs no read,
 * else by hashing the content.
 */
static int file_matches(struct pki_repo *r, const git_index_entry *e, const struct stat *st,
			const struct timespec *imtime, bool *same)
{
	struct pki_buf full = PKI_BUF_INIT;
	git_oid id;
	int rc;

	*same = false;
	if ((uint32_t)st->st_size != e->file_size)
		return 0;
	if (stat_vouches(e, st, imtime)) {
		*same = true;
		return 0;
	}
	if ((rc = pki_buf_printf(&full, "%s%s", pki_repo_workdir(r), e->path)) == 0 &&
	    git_odb_hashfile(&id, full.ptr, GIT_OBJECT_BLOB) < 0)
		rc = repo_fail(PKI_EIO, "cannot read '%s'", e->path);
	if (rc == 0)
		*same = git_oid_equal(&id, &e->id);
	pki_buf_release(&full);
	return rc;
}

/* The lstat of path in the work tree; *present false when it is not there. */
static int worktree_stat(struct pki_repo *r, const char *path, struct stat *st, bool *present)
{
	const char *name;
	int dirfd, rc;

	*present = false;
	if ((rc = repo_open_parent(pki_repo_workdir(r), path, false, &dirfd, &name)) < 0 ||
	    dirfd < 0)
		return rc;
	if (fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW) == 0)
		*present = true;
	else if (errno != ENOENT)
		rc = pki_error_errno(PKI_EIO, "cannot stat '%s'", path);
	close(dirfd);
	return rc;
}

/*
 * Clean: the tip, the index and the work tree agree on path (or none of
 * them has it).  What git_status_file decides, without its diff of the
 * whole tip against the index for every path.
 */
int repo_path_clean(struct pki_repo *r, git_tree *tip, git_index *index, const char *path,
		    const struct timespec *imtime, bool *clean)
{
	const git_index_entry *e, *anc, *ours, *theirs;
	git_tree_entry *te = NULL;
	struct stat st;
	bool in_tip, on_disk;
	int rc;

	*clean = false;
	if (git_index_conflict_get(&anc, &ours, &theirs, index, path) == 0)
		return 0;
	git_error_clear();
	in_tip = tip != NULL && git_tree_entry_bypath(&te, tip, path) == 0;
	e = git_index_get_bypath(index, path, 0);
	if ((rc = worktree_stat(r, path, &st, &on_disk)) < 0)
		goto out;
	if (!in_tip && e == NULL && !on_disk) {
		*clean = true;
		goto out;
	}
	if (!in_tip || e == NULL || !on_disk || !S_ISREG(st.st_mode) ||
	    e->mode != GIT_FILEMODE_BLOB || git_tree_entry_filemode(te) != GIT_FILEMODE_BLOB ||
	    !git_oid_equal(&e->id, git_tree_entry_id(te)))
		goto out;
	rc = file_matches(r, e, &st, imtime, clean);
out:
	git_tree_entry_free(te);
	return rc;
}

