/* matrix-arrange.h: keeping the register of written arrangements
 * (pki-matrix arrange, unarrange; policy 11.4.3, 11.4.4, 12.6.10). */
#ifndef PKI_MATRIX_ARRANGE_H
#define PKI_MATRIX_ARRANGE_H

#include <stdbool.h>
#include "arrangement.h"

struct pki_session;
struct pki_txn;

/* pki-matrix arrange, as given (NULL: not given). */
struct pki_arrangement_req {
	const char *kind, *partner, *reference, *until, *review;
};

/* A new arrangement ID, random (getrandom): "ARR-" and ten hex digits,
 * unique across clones without coordination, as a delegation's. */
int pki_arrangement_new_id(char out[PKI_ARRANGEMENT_ID_LEN]);

/* Record an arrangement, valid from today, by a hom or chair
 * (pki_policy_may_arrange), whose partner the matrix knows
 * (pki_policy_arrangement_ok); id: its new ID. */
int pki_matrix_change_arrange(struct pki_session *s, const struct pki_arrangement_req *r,
			      char id[PKI_ARRANGEMENT_ID_LEN]);

/* End arrangement id now (its valid_until becomes the time of the
 * change), by a hom or chair.  -PKI_ENOINPUT for no such arrangement,
 * -PKI_EDATA for one that has already ended or not begun. */
int pki_matrix_change_unarrange(struct pki_session *s, const char *id);

/* arrangements.csv as the transaction sees it: *present false (and out
 * empty) when there is no such file. */
int pki_arrangements_load(struct pki_txn *t, struct pki_arrangements *out, bool *present);

#endif
