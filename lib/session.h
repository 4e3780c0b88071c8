/* session.h: what every command does first and last.
 *
 * Open the repository (-C DIR), set up GPGME, resolve the acting key (-u,
 * then $PKI_KEY, then git's user.signingkey), fix "now" ($PKI_DATE), and
 * run changes as transactions that load the matrix and delegations from
 * the tip, let the command stage its change, and commit it signed.
 */
#ifndef PKI_SESSION_H
#define PKI_SESSION_H

#include <stdbool.h>
#include <time.h>
#include "buf.h"
#include "crypto.h"
#include "matrix.h"
#include "progress.h"
#include "repo.h"

struct pki_session {
	const char *prog;	/* "pki-share", for commit subjects */
	struct pki_repo *repo;
	struct pki_gpg *gpg;
	bool have_key;
	struct pki_key key;	/* the acting key, when have_key */
	/* PKI_SESSION_KEY_LATE: the acting key's fingerprint while its
	 * listing runs (key.fpr holds it, upper-case, meanwhile). */
	char key_pending[41];
	time_t now;
	/* Long work reports here (a command sets it from pki_cli_progress);
	 * NULL: no progress. */
	const struct pki_progress *progress;
};

enum {
	PKI_SESSION_KEY = 1,	/* an acting key is required */
	PKI_SESSION_NOREPO = 2,	/* do not open a repository (pki-init) */
	PKI_SESSION_BARE_OK = 4,	/* a bare repository will do: reading the history only */
	/* With PKI_SESSION_KEY: an acting key given by fingerprint is listed
	 * while the command goes on; until pki_session_key, only key.fpr is
	 * set and have_key is false. */
	PKI_SESSION_KEY_LATE = 8,
};

/* keyspec may be NULL (then $PKI_KEY, then user.signingkey). */
int pki_session_open(struct pki_session *s, const char *prog, const char *dir,
		     const char *keyspec, int flags);
void pki_session_close(struct pki_session *s);

/*
 * Wait for the acting key's listing (PKI_SESSION_KEY_LATE) and check the
 * key as pki_session_open would have: its refusal (69) is the one to
 * report, before any other the command met meanwhile.  0 when nothing is
 * pending; pki_session_change calls it first.
 */
int pki_session_key(struct pki_session *s);

/* The state a change is judged against: the tip as the lock holder sees it. */
struct pki_state {
	struct pki_matrix matrix;
	struct pki_delegations delegations;
	const struct pki_principal *actor;	/* the acting key's valid row, or NULL */
	struct pki_principal actor_row;	/* a copy: the matrix may change under it */
};

int pki_state_load(struct pki_state *st, struct pki_txn *t, const char *actor_fpr, time_t at);
int pki_state_load_repo(struct pki_state *st, struct pki_repo *r, const char *actor_fpr, time_t at);
void pki_state_release(struct pki_state *st);

/*
 * -PKI_EPOLICY unless the acting key is a valid principal now:
 * "key 0123... is not a valid principal of the access matrix (policy 12.10)".
 */
int pki_state_need_actor(const struct pki_state *st, const char *fpr);

/*
 * A change: build stages files (and registry rows) into t, judged
 * against st, and writes the commit message into msg.  Run under the
 * lock; retried from the new tip (up to 3 times) when another writer
 * moved the branch meanwhile; build must then be able to run again.
 */
typedef int (*pki_build_fn)(struct pki_session *s, struct pki_txn *t,
			    struct pki_state *st, struct pki_buf *msg, void *arg);
int pki_session_change(struct pki_session *s, pki_build_fn build, void *arg);

/*
 * Commit messages: "<prog>: <action> <object>", a blank line, then
 * trailers an auditor can grep ("Pki-Action: share").
 */
int pki_msg_subject(struct pki_buf *msg, const char *prog, const char *action,
		    const char *object);
int pki_msg_trailer(struct pki_buf *msg, const char *key, const char *value);
/* The message of a change to one product's label (reclassify, review,
 * relabel): the subject and the Action, Product, Level, Authority and
 * Actor trailers. */
int pki_msg_label_change(struct pki_buf *msg, const char *prog, enum pki_action action,
			 const char *id, enum pki_level level, const char *authority,
			 const char *actor);

#endif
