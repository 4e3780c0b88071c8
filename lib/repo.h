/* repo.h: the mission repository (libgit2 only here).
 *
 * Reads come from the tip of refs/heads/main.  Every change is a
 * transaction: take the repository lock, stage blobs against the tip tree
 * in memory, sign the commit, compare-and-swap the branch, and only then
 * bring the index and the work tree along.  A transaction freed without a
 * commit changes nothing (loose objects it wrote are unreachable garbage).
 */
#ifndef PKI_REPO_H
#define PKI_REPO_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "buf.h"

struct pki_gpg;
struct pki_repo;
struct pki_txn;

#define PKI_BRANCH "refs/heads/main"
#define PKI_CONF_FILE "pki.conf"
#define PKI_CONF_MAX (64 * 1024)	/* bytes of pki.conf read from a bare repository */
#define PKI_ATTRIBUTES_FILE ".gitattributes"
/* What pki-init writes there, and all the audit accepts. */
#define PKI_ATTRIBUTES \
	"# The registry is append-only: concurrent appends from clones merge as a union.\n" \
	"registry/*.csv merge=union\n"

/*
 * Open the repository containing dir (NULL: the current directory), with
 * a work tree or bare (a central store: commits then touch neither index
 * nor work tree).  -PKI_ENOINPUT when there is none, -PKI_ECONFIG when it
 * is a git repository without pki.conf on main.  PKI_REPO_BARE_OK is
 * accepted and ignored: every command works in a bare repository.
 */
enum { PKI_REPO_BARE_OK = 1 };
int pki_repo_open(struct pki_repo **out, const char *dir, int flags);
/* Create a new repository in dir (which may exist, empty); refuses an
 * existing git repository. */
int pki_repo_create(struct pki_repo **out, const char *dir);
void pki_repo_free(struct pki_repo *r);
const char *pki_repo_workdir(const struct pki_repo *r);
const char *pki_repo_gitdir(const struct pki_repo *r);

/* pki.conf on the tip (git-config syntax).  *out malloc'd, NULL when unset. */
int pki_repo_conf_get(struct pki_repo *r, const char *key, char **out);
/* This clone's git configuration (e.g. pki.entity, user.signingkey);
 * r NULL: the global and system files only. */
int pki_repo_local_get(struct pki_repo *r, const char *key, char **out);
int pki_repo_local_set(struct pki_repo *r, const char *key, const char *value);
/* Write kv (n key/value pairs, flattened) as git-config text into out,
 * through libgit2's config writer. */
int pki_repo_conf_format(struct pki_repo *r, const char *const *kv, size_t n,
			 struct pki_buf *out);

/*
 * Read path at the tip into out (replacing its contents), refusing files
 * over max bytes.  -PKI_ENOINPUT when absent.
 */
int pki_repo_read(struct pki_repo *r, const char *path, size_t max, struct pki_buf *out);
bool pki_repo_exists(struct pki_repo *r, const char *path);
/* The tip's commit ID (hex), "" on an unborn branch. */
int pki_repo_tip(struct pki_repo *r, char hex[41]);

/*
 * Names in directory dir at the tip (sorted, as git sorts them); *names is
 * a NULL-terminated malloc'd array, freed with pki_strv_free.
 */
int pki_repo_list(struct pki_repo *r, const char *dir, char ***names, size_t *n);
void pki_strv_free(char **v);

/* --- transactions --- */

/*
 * Take the repository lock (waiting up to $PKI_LOCK_TIMEOUT seconds, 10 by
 * default; -PKI_EBUSY after, naming the holder: the lock file says
 * "PID COMMAND SINCE" while held) and start from the tip.  Stale git lock files
 * left by a killed process are removed under the lock.
 */
int pki_txn_begin(struct pki_txn **out, struct pki_repo *r);
void pki_txn_free(struct pki_txn *t);	/* release the lock */

/* Reads as of the transaction: the tip plus what was staged. */
int pki_txn_read(struct pki_txn *t, const char *path, size_t max, struct pki_buf *out);
bool pki_txn_exists(struct pki_txn *t, const char *path);
int pki_txn_list(struct pki_txn *t, const char *dir, char ***names, size_t *n);

int pki_txn_put(struct pki_txn *t, const char *path, const void *data, size_t len);
int pki_txn_remove(struct pki_txn *t, const char *path);

/*
 * Stream a large blob: begin gives a sink to write into; finish stages it
 * at path.  A writer not finished is discarded by pki_txn_free.
 */
struct pki_blobw;
int pki_txn_blob_begin(struct pki_txn *t, struct pki_blobw **w, struct pki_sink *sink);
int pki_txn_blob_finish(struct pki_txn *t, struct pki_blobw *w, const char *path);

/*
 * The blob ID (hex) of a file as of the transaction, and staging a blob
 * already in the object store by its ID: a retried change stages again
 * what an earlier try streamed (standard input is read once).
 */
int pki_txn_blob_id(struct pki_txn *t, const char *path, char hex[41]);
int pki_txn_put_id(struct pki_txn *t, const char *path, const char *hex);

/*
 * A blob streamed before the lock is taken (a large product encrypted
 * while other commands work): pki_repo_blob_begin needs no transaction;
 * pki_blobw_end gives its ID and the path of its shadow copy in the git
 * directory (hex NULL: discard), which the caller removes with
 * pki_shadow_drop when done (gone already when a commit moved it into
 * the work tree); pki_txn_put_blob stages the blob at path, borrowing the
 * shadow copy for the work tree.
 */
int pki_repo_blob_begin(struct pki_repo *r, struct pki_blobw **w, struct pki_sink *sink);
int pki_blobw_end(struct pki_blobw *w, char hex[41], char **shadow);
int pki_txn_put_blob(struct pki_txn *t, const char *path, const char *hex, const char *shadow);
void pki_shadow_drop(char **shadow);

/*
 * Stream a file at the tip (or staged) to a sink, without holding it all
 * in memory.
 */
int pki_txn_stream(struct pki_txn *t, const char *path, struct pki_sink *out);
int pki_repo_stream(struct pki_repo *r, const char *path, struct pki_sink *out);
/* A source reading a file at the tip or staged: for re-encryption. */
struct pki_blobr;
int pki_txn_blob_reader(struct pki_txn *t, const char *path, struct pki_blobr **rd,
			struct pki_source *src);
void pki_blobr_free(struct pki_blobr *rd);

/* Who signs: the acting key, whose user ID authors the commit. */
struct pki_ident {
	const char *fpr;	/* signing key */
	const char *name;	/* from the key's user ID */
	const char *email;
	time_t when;
};

/*
 * Sign and commit what was staged, with message (subject, blank line,
 * body with "Pki-*:" trailers), then compare-and-swap the branch.  On a
 * lost race (another writer moved the branch) returns -PKI_EBUSY and
 * nothing changed.  Then refuses nothing further: the index and the
 * touched work-tree files are brought to the new commit.
 * Before committing, refuses (-PKI_EDATA) when a touched path has
 * uncommitted edits in the work tree or index.
 */
int pki_txn_commit(struct pki_txn *t, struct pki_gpg *g, const struct pki_ident *who,
		   const char *message);

/*
 * A merge: the commit pki_txn_commit makes has the tip and commit hex
 * (in the object store: fetched) as its parents, in that order.
 */
int pki_txn_merge_parent(struct pki_txn *t, const char *hex);

/*
 * Move the branch to commit hex, which descends from the tip, as a
 * commit does (compare-and-swap, then the index and the work-tree files
 * that differ), nothing staged before: a fast-forward.  -PKI_EBUSY on a
 * lost race, -PKI_EDATA when a file to change has uncommitted edits.
 */
int pki_txn_fast_forward(struct pki_txn *t, const char *hex);

/* The progress reporter of long work in the transaction (NULL: none). */
struct pki_progress;
void pki_txn_set_progress(struct pki_txn *t, const struct pki_progress *p);
const struct pki_progress *pki_txn_progress(const struct pki_txn *t);

/* The size in bytes of the blob at path as of the transaction. */
int pki_txn_blob_size(struct pki_txn *t, const char *path, uint64_t *size);

/* The new commit's ID after a successful commit. */
const char *pki_txn_commit_id(const struct pki_txn *t);
bool pki_txn_committed(const struct pki_txn *t);
/* The author time of the tip the transaction started from (0: no tip). */
time_t pki_txn_tip_time(const struct pki_txn *t);

/* --- other repositories, for pki-sync (repo-remote.c) --- */

struct pki_progress;

/*
 * Load the system's trust anchors for https ($SSL_CERT_FILE and
 * $SSL_CERT_DIR, else /etc/ssl/certs), which the tools that never speak
 * to a network leave unloaded.  Call before the first pki_repo_open.
 */
void pki_repo_trust_system_ca(void);

/*
 * Fetch main from spec: a configured remote's name, a URL (ssh, https)
 * or a path; NULL: the remote main's upstream names, else origin.  A
 * named remote's tracking branches are updated.  theirs: the commit its
 * main is at, "" when it has none.  -PKI_EUNAVAIL when the other side
 * cannot be reached or read; -PKI_ENOINPUT when spec names nothing.
 */
int pki_repo_fetch(struct pki_repo *r, const char *spec, const struct pki_progress *p,
		   char theirs[41]);

/* Push main to spec's main; -PKI_EBUSY when it moved meanwhile (the
 * push is not a fast-forward there). */
int pki_repo_push(struct pki_repo *r, const char *spec, const struct pki_progress *p);

/* --- history, for the audit --- */

/*
 * One path that differs between two trees.  IDs are hex blob IDs, "" on
 * the side where the path is absent (or is not a file).
 */
struct pki_delta {
	char *path;
	char old_id[41];
	char new_id[41];
};
void pki_deltas_free(struct pki_delta *v, size_t n);
/* The delta of path in v (sorted by path, as pki_repo_diff gives it), or NULL. */
const struct pki_delta *pki_delta_find(const struct pki_delta *v, size_t n, const char *path);

/* One commit of main, as the history walk gives it. */
struct pki_commit {
	char id[41];
	char (*parents)[41];
	size_t nparents;
	time_t when;			/* author time */
	char *author_name;		/* as git records them */
	char *author_email;
	char *message;
	struct pki_buf payload;		/* the bytes the signature covers */
	struct pki_buf signature;	/* the gpgsig header, armored; len 0: unsigned */
	struct pki_delta *deltas;	/* against the first parent (a root: everything) */
	size_t ndeltas;
};
void pki_commit_release(struct pki_commit *c);

/*
 * The commits of main, parents before children (oldest first): all of
 * them, or with since (a revision) only those not reachable from it, as
 * `git rev-list since..main`.  -PKI_EUSAGE when since names no commit.
 */
struct pki_walk;
int pki_walk_begin(struct pki_walk **out, struct pki_repo *r, const char *since);
/* 1 with *c filled (release it), 0 after the last commit. */
int pki_walk_next(struct pki_walk *w, struct pki_commit *c);
/* The commit since named (hex), "" for the whole history. */
const char *pki_walk_since(const struct pki_walk *w);
void pki_walk_free(struct pki_walk *w);

/* Files that differ between commits from (NULL: nothing) and to, sorted by path. */
int pki_repo_diff(struct pki_repo *r, const char *from, const char *to,
		  struct pki_delta **out, size_t *n);

/*
 * At a commit (hex ID): a path's blob ID, its content (refusing more than
 * max bytes), a directory's entries (sorted; id "" for subdirectories).
 * -PKI_ENOINPUT when the path is absent.
 */
int pki_repo_id_at(struct pki_repo *r, const char *commit, const char *path, char id[41]);
int pki_repo_read_at(struct pki_repo *r, const char *commit, const char *path,
		     size_t max, struct pki_buf *out);
struct pki_entry {
	const char *name;
	char id[41];
};
/* *out is one allocation, names included: free() it. */
int pki_repo_list_at(struct pki_repo *r, const char *commit, const char *dir,
		     struct pki_entry **out, size_t *n);

/*
 * A blob by hex ID into out; larger than max: refused before it is read,
 * or with head its first max bytes (read no further).  The stream form
 * hands it to a sink in pieces, a loose object without holding it whole.
 */
int pki_repo_blob(struct pki_repo *r, const char *id, size_t max, bool head,
		  struct pki_buf *out);
int pki_repo_blob_stream(struct pki_repo *r, const char *id, struct pki_sink *out);
/*
 * The same for blob id at path in the tip: a large one (1 MiB or more)
 * read from the work-tree copy when the index vouches for it by stat
 * data, so that memory stays flat whether the object is loose or packed;
 * else from the object store.  The caller must check what it read (the
 * audit: the label's SHA-256 of a ciphertext).
 */
int pki_repo_blob_stream_path(struct pki_repo *r, const char *id, const char *path,
			      struct pki_sink *out);

/*
 * The shape of the history, for the audit's judging of merges.  A
 * commit's author time; the best common ancestor of a and b ("" when
 * they share none); whether tip is ancestor or descends from it; the
 * commits reachable from one of tips but not from hide (`git rev-list
 * TIPS ^HIDE`), newest first, in *out (free() it).
 */
int pki_repo_commit_time(struct pki_repo *r, const char *hex, time_t *when);
/* The commit a revision names, as hex (-PKI_EUSAGE when none). */
int pki_repo_resolve(struct pki_repo *r, const char *rev, char hex[41]);
int pki_repo_merge_base(struct pki_repo *r, const char *a, const char *b, char out[41]);
int pki_repo_descends(struct pki_repo *r, const char *tip, const char *ancestor, bool *yes);
int pki_repo_only_in(struct pki_repo *r, const char (*tips)[41], size_t ntips,
		     const char *hide, char (**out)[41], size_t *n);

#endif
