/* paths.h: where things live, in a mission repository and on the system.
 *
 *   keys/<FPR>.asc               a principal's public key (pki-files(5))
 *   products/<bucket>/<ID>.gpg   a product's ciphertext, and .xml its label
 *   share/pki/<name>             installed data: schemas, stylesheets
 *
 * Every path of the repository is formatted here and nowhere else.  IDs
 * are MISSION-ENTITY-YYYY-NNNNNN, or MISSION-ENTITY-SITE-YYYY-NNNNNN for
 * a clone with a site; the bucket is ENTITY-YYYY-NNN, or ENTITY-SITE-YYYY-NNN,
 * with NNN = serial / 500, so no directory holds more than a thousand files
 * and a change rewrites small trees only.
 */
#ifndef PKI_PATHS_H
#define PKI_PATHS_H

#include "buf.h"

#define PKI_KEYS_DIR "keys"
#define PKI_PRODUCTS_DIR "products"
#define PKI_KEY_PATH_MAX 64
#define PKI_PRODUCT_PATH_MAX 128
#define PKI_BUCKET_SIZE 500

/* keys/<FPR>.asc; fpr is 40 hex digits, as the access matrix holds them. */
void pki_key_path(const char *fpr, char out[PKI_KEY_PATH_MAX]);

/* products/<bucket>/<ID>.<ext>; -PKI_EUSAGE for an invalid ID. */
int pki_product_path(const char *id, const char *ext, char out[PKI_PRODUCT_PATH_MAX]);

/*
 * Installed data: share/pki/<name>: $PKI_SHAREDIR (tests run from the
 * build tree), else ../share/pki beside the binary's bin/ when it is
 * there (an installed tree moved elsewhere), else the compiled-in
 * PKI_SHAREDIR.
 */
int pki_share_path(const char *name, struct pki_buf *out);

#endif
