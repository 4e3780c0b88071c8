/* policy-int.h: what the files of the rule book share (policy.h is the
 * rule book itself).  Internal to libpki. */
#ifndef PKI_POLICY_INT_H
#define PKI_POLICY_INT_H

#include <stdbool.h>
#include <time.h>
#include "matrix.h"

struct pki_product;

/* Is there a principal of role in m, valid at `at`? */
bool pki_policy_has_valid(const struct pki_matrix *m, enum pki_role role, time_t at);
/* Does a delegation's scope (a product ID, an area, "*") cover p? */
bool pki_policy_scope_covers(const char *scope, const struct pki_product *p);
/* share-external and direct come from a hom (policy 11.4.1, 10.2); the
 * other powers from an originator, who may be anyone inside the mission. */
bool pki_policy_granted_by_role(const struct pki_matrix *m, const struct pki_delegation *x);

#endif
