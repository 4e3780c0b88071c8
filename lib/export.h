/* export.h: the copy of a product that leaves the mission (SPEC 5.3.3).
 *
 * A product shared outside the mission is not re-encrypted in the
 * repository: the recipient gets a copy encrypted to its key alone, with
 * a label of its own bound to that copy, carrying the originator-control
 * caveat and releasable to that recipient only (policy 11.4.3).
 */
#ifndef PKI_EXPORT_H
#define PKI_EXPORT_H

#include <stdbool.h>
#include "buf.h"
#include "label.h"

struct pki_gpg;
struct pki_txn;

/*
 * Check that product l->id's label binds its ciphertext, then re-encrypt
 * that ciphertext to fpr alone, streaming the copy (armored when asked)
 * to out.  The key is imported from keys/<FPR>.asc when the keyring lacks
 * it; the acting key must be able to decrypt the product.
 */
int pki_export_copy(struct pki_txn *t, struct pki_gpg *g, const struct pki_label *l,
		    const char *fpr, bool armor, struct pki_sink *out);

/*
 * Make l (the product's label, parsed) the copy's: originator-control,
 * releasable to recipient, the recipient alone on the list, bound to the
 * copy's SHA-256.  Information-requirement references are the mission's
 * own tasking and do not leave it.
 */
int pki_export_label(struct pki_label *l, const char *recipient,
		     const char sha256[PKI_SHA256_HEX]);

#endif
