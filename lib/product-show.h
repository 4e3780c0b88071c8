/* product-show.h: a product as stored, for pki cat and pki show.
 *
 * Read-only: the tip's ciphertext (products/<bucket>/<ID>.gpg) or label
 * (.xml), streamed unchanged, as git show writes a blob.  No key is
 * needed and a bare repository will do.
 */
#ifndef PKI_PRODUCT_SHOW_H
#define PKI_PRODUCT_SHOW_H

#include <stdbool.h>

struct pki_repo;

/*
 * Stream product id's label (label true) or ciphertext as of the tip to
 * fd, in pieces: memory stays flat whatever the product's size.
 * -PKI_EUSAGE for an invalid ID, or for ciphertext to a terminal
 * (refused before the first byte); -PKI_ENOINPUT for no such product.
 */
int pki_product_show(struct pki_repo *r, const char *id, bool label, int fd);

#endif
