/* repo-int.h: what repo.c, repo-txn.c, repo-worktree.c and repo-history.c share.
 * Internal to libpki: the only header besides them that names libgit2. */
#ifndef PKI_REPO_INT_H
#define PKI_REPO_INT_H

#include <git2.h>
#include <stdbool.h>
#include <time.h>
#include "buf.h"

struct pki_repo {
	git_repository *git;
};

/* Set our message with libgit2's appended; returns -code. */
int repo_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The tip of main (*out NULL on an unborn branch) and its tree. */
int repo_tip_commit(git_repository *git, git_commit **out);
int repo_with_tip_tree(struct pki_repo *r, git_commit **c, git_tree **t);

/* The ID of the file at path in tree; -PKI_ENOINPUT when absent. */
int repo_tree_file_id(git_tree *tree, const char *path, git_oid *out);
/* Blob id (at path, for messages) into out; over max bytes: refused unread. */
int repo_blob_read(git_repository *git, const git_oid *id, const char *path, size_t max,
		   struct pki_buf *out);

/* Stream a blob to a sink: loose objects inflated as read. */
int repo_blob_to_sink(git_blob *b, struct pki_sink *out);
int repo_id_to_sink(git_repository *git, const git_oid *id, const char *path,
		    struct pki_sink *out);

/* Names in dir of a tree, appended to a NULL-terminated vector. */
int repo_tree_list(git_repository *git, git_tree *root, const char *dir,
		   char ***names, size_t *n);
int repo_strv_push(char ***v, size_t *n, const char *s);

/*
 * repo-worktree.c: the work tree and the index, for repo-txn.c.
 *
 * repo_open_parent opens the directory holding path in the work tree,
 * component by component with O_NOFOLLOW (creating missing ones when
 * create is set); *dirfd -1 and 0 returned when one is missing.
 */
int repo_open_parent(const char *workdir, const char *path, bool create,
		     int *dirfd, const char **name);
/* A file from the object store into place (or the shadow copy renamed),
 * its index entry from what was written; a file and its entry removed. */
int repo_write_file(struct pki_repo *r, const char *path, const git_oid *id,
		    char **shadow, git_index *index);
int repo_remove_file(struct pki_repo *r, const char *path, git_index *index);
int repo_index_write(git_index *index);		/* as version 4 */
/* .git/pki-updating: the paths of an update in progress, one a line. */
int repo_marker_write(struct pki_repo *r, const struct pki_buf *paths);
void repo_marker_remove(struct pki_repo *r);
int repo_marker_recover(struct pki_repo *r);	/* finish what a kill left */
/* Whether tip, index and work tree agree on path, as git decides it. */
int repo_index_mtime(struct pki_repo *r, struct timespec *out);
int repo_path_clean(struct pki_repo *r, git_tree *tip, git_index *index, const char *path,
		    const struct timespec *imtime, bool *clean);
/* The work-tree copy of a large blob (REPO_WORKTREE_READ_MIN bytes or
 * more, the caller's to decide), when index vouches for it; *fd -1 (and
 * 0 returned) when the object store must be read. */
#define REPO_WORKTREE_READ_MIN (1024 * 1024)
int repo_worktree_blob_fd(struct pki_repo *r, git_index *index, const char *path,
			  const git_oid *id, size_t size, int *fd);
/* The same outside a transaction, for the audit: blob id at path, when
 * large and vouched for by the repository's index; *fd -1 otherwise. */
int repo_worktree_fd(struct pki_repo *r, const char *path, const git_oid *id, int *fd);
/* A file to a sink, in pieces. */
int repo_fd_to_sink(int fd, struct pki_sink *out);

#endif
