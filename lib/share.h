/* share.h: disseminating a product (policy 9.8, 10.7, 11.4).
 *
 * Inside the mission a share re-encrypts the product to add recipients
 * and a revoke re-encrypts it to take them off; outside it the product
 * stays as it is and the recipient gets a copy of its own (export.h).
 * Every recipient is judged by lib/policy.c before anything changes: all
 * are allowed or none.  One signed commit: the product's new ciphertext
 * and label (or the copy's digest), one registry row per recipient,
 * the trailers an auditor greps.
 *
 * On another medium (--medium: a printed copy, a briefing, a screen) the
 * same rules judge every recipient, the rows record the medium, and
 * nothing else changes: no re-encryption, no copy, the label as it was.
 */
#ifndef PKI_SHARE_H
#define PKI_SHARE_H

#include <stdbool.h>
#include <stddef.h>

struct pki_session;

#define PKI_SHARE_RECIPIENTS_MAX 64	/* per call */

/* What pki-share was asked, as given (NULL: not given). */
struct pki_share_req {
	const char *id;
	char **names;		/* the recipients */
	size_t n;
	const char *j;		/* justification */
	const char *authority, *hrddp, *arrangement, *consent;
	const char *medium;	/* --medium: paper, oral, display; NULL: an encrypted file */
	const char *out;	/* -o FILE; NULL: standard output */
	const char *label;	/* --label FILE */
	bool armor, revoke;
};

/* Check everything given before the repository is touched: the ID, each
 * recipient once, the references' text (-PKI_EUSAGE). */
int pki_share_check(const struct pki_share_req *r);

/*
 * Share, export or revoke as the session's acting key, as one change.
 * An export writes the copy to r->out (or standard output) and its label
 * beside it (FILE.xml, or r->label), created new; a refusal or a failure
 * takes back the files it made.
 */
int pki_share_run(struct pki_session *s, const struct pki_share_req *r);

#endif
