/* sync.h: bringing a clone and another repository together (pki-sync).
 *
 * Fetch the other side's main; when only one side moved, fast-forward
 * (or just push); when both did, one merge commit signed by the acting
 * principal whose tree is the semantic merge of the two (registry rows
 * united, tables merged row by row, distribution lists merged and the
 * products re-encrypted to them); then push, fetching and merging again
 * while the other side keeps moving.  A true conflict changes nothing.
 */
#ifndef PKI_SYNC_H
#define PKI_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"

struct pki_session;
struct pki_progress;
struct pki_repo;

#define PKI_SYNC_ROUNDS 4	/* fetch-merge-push rounds before giving up (75) */

struct pki_sync_req {
	const char *remote;	/* a remote's name, a URL or a path; NULL: the upstream, else origin */
	bool no_push;
	const struct pki_progress *progress;
};

enum pki_sync_done {
	PKI_SYNC_NOTHING,	/* the two were the same */
	PKI_SYNC_FORWARD,	/* fast-forwarded to the other side */
	PKI_SYNC_MERGED,	/* a merge commit made */
	PKI_SYNC_AHEAD,		/* only this clone had moved */
};

struct pki_sync_result {
	enum pki_sync_done done;
	bool pushed;
	char tip[41];		/* main after */
	size_t reencrypted;	/* products re-encrypted by the merge */
};

/*
 * Sync as the session's acting key.  -PKI_EDATA for a true conflict,
 * named (nothing changed); -PKI_EUNAVAIL when the other side cannot be
 * reached or a product to re-encrypt cannot be decrypted by the acting
 * key; -PKI_EBUSY when the other side kept moving.
 */
int pki_sync_run(struct pki_session *s, const struct pki_sync_req *r,
		 struct pki_sync_result *out);

#endif
