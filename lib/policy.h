/* policy.h: the rules of SPEC.md §5 as pure functions.
 *
 * Each rule returns 0 (allowed) or -PKI_EPOLICY with a message that names
 * the rule and the policy paragraph, e.g.
 *   "'fc' is cleared to confidential, the product is strictly-confidential (policy 9.8)".
 * No I/O: everything a rule needs is passed in, so that pki-audit can
 * judge a past action with the matrix and delegations of its time.
 */
#ifndef PKI_POLICY_H
#define PKI_POLICY_H

#include <stdbool.h>
#include <time.h>
#include "matrix.h"
#include "vocab.h"

/* What the rules need to know of a product (from its label). */
struct pki_product {
	const char *id;
	enum pki_level level;
	const char *originator;	/* the principal standing for the originator:
				 * the registrar of a received product */
	const char *areas;
	bool safety;
	bool originator_control;
};

/* --- the access matrix (SPEC §3.1, policy 11.3.3, 12.10) --- */

/* Only hom and chair principals change the matrix. */
int pki_policy_may_change_matrix(const struct pki_principal *actor);

/* share-external by hom (policy 11.4.1); disseminate and declassify by an
 * originator (any mission member, for its own products; policy 9.8). */
int pki_policy_may_delegate(const struct pki_principal *actor, enum pki_power power);

/*
 * Is there a delegation from grantor (NULL: any grantor with the power's
 * role) to grantee of power, valid at `at`, whose scope covers the product
 * (its ID, one of its areas, or "*")?  Returns it or NULL.
 * id (when non-NULL) names the delegation the actor invoked (--authority).
 */
const struct pki_delegation *pki_policy_delegation(const struct pki_delegations *d,
	const struct pki_matrix *m, const char *id, const char *grantor,
	const char *grantee, enum pki_power power, const struct pki_product *p, time_t at);

#endif
