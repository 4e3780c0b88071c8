/* matrix-undelegate.h: withdrawing a delegation before its end
 * (pki-matrix undelegate; policy 9.8, 11.4.1). */
#ifndef PKI_MATRIX_UNDELEGATE_H
#define PKI_MATRIX_UNDELEGATE_H

struct pki_session;

/*
 * End delegation id now (its valid_until becomes the time of the change),
 * by its grantor, a hom or a chair (pki_policy_may_withdraw), in one signed
 * commit whose Pki-Reference trailer is reference, the written instrument
 * of the withdrawal; the delegation's own reference, which names the
 * grant, is kept.  -PKI_ENOINPUT for no such delegation, -PKI_EDATA for
 * one that has already ended or has not begun.
 */
int pki_matrix_change_undelegate(struct pki_session *s, const char *id, const char *reference);

#endif
