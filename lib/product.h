/* product.h: products in the repository (SPEC §3, §3.4).
 *
 *   products/<bucket>/<ID>.gpg   the ciphertext, encrypted to the distribution list
 *   products/<bucket>/<ID>.xml   its label, bound to the ciphertext by SHA-256
 *
 * IDs are MISSION-ENTITY-YYYY-NNNNNN; the bucket is ENTITY-YYYY-NNN with
 * NNN = serial / 500, so no directory holds more than a thousand files and
 * a change rewrites small trees only.  Serials are allocated under the
 * repository lock from the highest one on the tip, per entity and year.
 *
 * The label also carries the distribution list (principal names), the one
 * place it is kept besides the registry, so that a share or a revoke knows
 * the current list without reading history.
 */
#ifndef PKI_PRODUCT_H
#define PKI_PRODUCT_H

#include <stddef.h>
#include <time.h>
#include "buf.h"
#include "label.h"
#include "matrix.h"
#include "policy.h"

struct pki_txn;
struct pki_repo;
struct pki_session;
struct pki_state;

#define PKI_ID_MAX 48
#define PKI_PRODUCT_PATH_MAX 96
#define PKI_BUCKET_SIZE 500

/* products/<bucket>/<ID>.<ext>; -PKI_EUSAGE for an invalid ID. */
int pki_product_path(const char *id, const char *ext, char out[PKI_PRODUCT_PATH_MAX]);

/* The next free ID for mission, entity and the year of `when`. */
int pki_product_next_id(struct pki_txn *t, const char *mission, const char *entity,
			time_t when, char out[PKI_ID_MAX]);

/* Read and validate a product's label (-PKI_ENOINPUT: no such product). */
int pki_product_label(struct pki_txn *t, const char *id, struct pki_label *out);
int pki_product_label_repo(struct pki_repo *r, const char *id, struct pki_label *out);

/* What the rules need, borrowed from the label. */
void pki_product_of_label(const struct pki_label *l, struct pki_product *out);

#endif
