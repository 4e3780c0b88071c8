/* mktree.h: a directory tree made under a directory descriptor, never
 * following a symlink, remembered so that it can be removed the same way.
 * Internal to libpki (the BagIt writer, bagit.c). */
#ifndef PKI_MKTREE_H
#define PKI_MKTREE_H

#include <stdbool.h>
#include <stddef.h>

struct pki_made;

struct pki_mktree {
	int rootfd;		/* the root, opened O_NOFOLLOW; -1 before */
	int parentfd;		/* where the root is (not owned) */
	char *root;		/* its name in parentfd */
	const char *show;	/* how messages name the root */
	struct pki_made *made;	/* what was made below, in order */
	size_t nmade, capmade;
};

/*
 * Make the directory `root` in parentfd, which must not exist (EEXIST is
 * refused: nothing in the way is used, or followed).  show names it in
 * messages and must outlive the tree.
 */
int pki_mktree_begin(struct pki_mktree *t, int parentfd, const char *root, const char *show);

/* Names: [A-Za-z0-9_-][A-Za-z0-9._-]*, at most 255 bytes, 8 deep. */
bool pki_mktree_name_ok(const char *s, size_t n);

/*
 * Create the file path ('/'-separated, relative to the root) with
 * O_CREAT|O_EXCL|O_NOFOLLOW, making the directories above it as needed,
 * each opened O_NOFOLLOW.  *fd is open for writing.
 */
int pki_mktree_create(struct pki_mktree *t, const char *path, int *fd);

/* Make the directory path (and those above it), O_NOFOLLOW all the way. */
int pki_mktree_mkdir(struct pki_mktree *t, const char *path);

/* Remove everything made, newest first, then the root; keep nothing. */
void pki_mktree_remove(struct pki_mktree *t);
/* Close and forget, keeping what was made. */
void pki_mktree_release(struct pki_mktree *t);

#endif
