/* matrix-change.h: changing the access matrix and the delegations
 * (pki-matrix add, remove, delegate; policy 9.8, 11.4.1, 12.10).
 *
 * Each is one signed commit by a principal the rules allow, judged by
 * lib/policy.c under the lock: who may change the matrix, the keeper
 * rule, role fits type, a delegation's grantor, grantee, reference and
 * scope.  A removal re-encrypts, in the same commit, every product the
 * removed principal could read (removal.c).
 */
#ifndef PKI_MATRIX_CHANGE_H
#define PKI_MATRIX_CHANGE_H

struct pki_session;
struct pki_key;
struct pki_buf;

/* pki-matrix add, as given (NULL: not given). */
struct pki_principal_req {
	const char *name;
	const char *key;	/* a key file, or a fingerprint in the keyring */
	const char *entity, *type, *role, *clearance, *areas, *from, *until;
};

/* Add a principal, or update the fields given of an existing one, with
 * its public key stored at keys/<FPR>.asc. */
int pki_matrix_change_add(struct pki_session *s, const struct pki_principal_req *r);

/* End a principal's validity now and take it off every distribution
 * list, each with a revoke row. */
int pki_matrix_change_remove(struct pki_session *s, const char *name);

/* pki-matrix delegate, as given (NULL: not given). */
struct pki_delegation_req {
	const char *grantee, *power, *scope, *until, *reference;
};

#define PKI_DELEGATION_ID_LEN 16	/* "DLG-" and ten hex digits, NUL */

/* A new delegation ID, random (getrandom). */
int pki_delegation_new_id(char out[PKI_DELEGATION_ID_LEN]);

/* Record a delegation from the acting principal; id: its new ID.  A
 * successor delegation is refused: pki-matrix succeed makes it. */
int pki_matrix_change_delegate(struct pki_session *s, const struct pki_delegation_req *r,
			       char id[PKI_DELEGATION_ID_LEN]);

/* narrow.c: after the change of name's row in st->matrix has narrowed
 * it (pki_policy_narrows), take name off every list of a product it may
 * no longer hold, each with a revoke row (authority matrix), and say how
 * many in msg.  Called by add's build step. */
struct pki_txn;
struct pki_state;
struct pki_buf;
int pki_matrix_narrow(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		      const char *name, struct pki_buf *msg);

/* A principal's key as add --key reads it (a key file, or a fingerprint
 * in the keyring), checked usable; *k and its armored export are the
 * caller's to release (pki-matrix rekey). */
int pki_matrix_read_key(struct pki_session *s, const char *arg, struct pki_key *k,
			struct pki_buf *armored);

#endif
