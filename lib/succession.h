/* succession.h: pki-matrix succeed, a successor in function (policy 19,
 * 12.10; pki-matrix(1)).
 *
 * One signed commit by a hom or chair: the successor joins the
 * distribution list of every product whose list holds its predecessor
 * (a share row each, authority successor), a successor delegation
 * predecessor -> successor lets it act as originator of what the
 * predecessor originated or registered (pki_policy_stands_for), and
 * unless kept, the predecessor's row ends and it leaves every list (a
 * revoke row each, authority successor).  Each product is re-encrypted
 * once, streaming, as pki-matrix remove does.
 */
#ifndef PKI_SUCCESSION_H
#define PKI_SUCCESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "matrix-change.h"

struct pki_session;

/* pki-matrix succeed, as given. */
struct pki_succession_req {
	const char *old, *nw;	/* predecessor and successor */
	const char *reference;	/* --ref: the written instrument */
	bool keep;		/* --keep: the predecessor stays */
};

/* Name nw successor of old; id: the successor delegation's ID.  Products
 * re-encrypted are counted on s->progress. */
int pki_succession_make(struct pki_session *s, const struct pki_succession_req *r,
			char id[PKI_DELEGATION_ID_LEN]);

#endif
