/* repo-int.h: what repo.c, repo-txn.c and repo-history.c share.
 * Internal to libpki: the only header besides them that names libgit2. */
#ifndef PKI_REPO_INT_H
#define PKI_REPO_INT_H

#include <git2.h>
#include "buf.h"

struct pki_repo {
	git_repository *git;
};

/* Set our message with libgit2's appended; returns -code. */
int repo_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The tip of main (*out NULL on an unborn branch) and its tree. */
int repo_tip_commit(git_repository *git, git_commit **out);
int repo_with_tip_tree(struct pki_repo *r, git_commit **c, git_tree **t);

/* The blob (or its ID) at path in tree; -PKI_ENOINPUT when absent. */
int repo_tree_blob(git_repository *git, git_tree *tree, const char *path, git_blob **out);
int repo_tree_file_id(git_tree *tree, const char *path, git_oid *out);
int repo_blob_copy(git_blob *b, const char *path, size_t max, struct pki_buf *out);

/* Stream a blob to a sink: loose objects inflated as read. */
int repo_blob_to_sink(git_blob *b, struct pki_sink *out);
int repo_id_to_sink(git_repository *git, const git_oid *id, const char *path,
		    struct pki_sink *out);

/* Names in dir of a tree, appended to a NULL-terminated vector. */
int repo_tree_list(git_repository *git, git_tree *root, const char *dir,
		   char ***names, size_t *n);
int repo_strv_push(char ***v, size_t *n, const char *s);

#endif
