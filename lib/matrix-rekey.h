/* matrix-rekey.h: replacing a principal's key (pki-matrix rekey; policy
 * 12.10, 11.3.3). */
#ifndef PKI_MATRIX_REKEY_H
#define PKI_MATRIX_REKEY_H

#include <stddef.h>

struct pki_session;

/*
 * Give principal `name` the key of key (a key file, or a fingerprint in
 * the keyring, read and checked as pki-matrix add reads it), by a hom or
 * a chair, in one signed commit: the matrix row's fingerprint changes,
 * keys/<NEW>.asc is stored beside keys/<OLD>.asc (kept: history verifies
 * with it), and every product whose list holds the principal is
 * re-encrypted to the same list with the new key (the actor must be able
 * to decrypt each: -PKI_EUNAVAIL naming it).  No registry row: nobody
 * joins or leaves a list; the trailer Pki-Rekeyed counts the products.
 * *count (when not NULL): how many.
 */
int pki_matrix_change_rekey(struct pki_session *s, const char *name, const char *key,
			    size_t *count);

#endif
