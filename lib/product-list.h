/* product-list.h: the products at the tip, from their labels (pki-list).
 *
 * Read-only and without a key: only labels are read, nothing decrypted,
 * and a bare repository will do.
 */
#ifndef PKI_PRODUCT_LIST_H
#define PKI_PRODUCT_LIST_H

#include <stdbool.h>

#include "vocab.h"

struct pki_repo;

/* The columns of a listing, in order (pki-list(1)). */
#define PKI_PRODUCT_LIST_NCOLS 10
extern const char *const pki_product_list_header[PKI_PRODUCT_LIST_NCOLS];

/* Which labels to list: all, or those of one kind and/or one level. */
struct pki_product_filter {
	bool by_kind, by_level;
	enum pki_kind kind;
	enum pki_level level;
};

/*
 * Call row() with the fields of each label at the tip that f lets
 * through (f NULL: every one), in the order of their paths: id, level,
 * criterion (a letter, or ""), kind, areas, originator, created (UTC,
 * to the second), review (a date, or ""), safety ("yes" or "no") and the
 * distribution list (';'-separated).  A label that does not parse is
 * -PKI_EDATA naming its path; row()'s non-zero return stops the walk and
 * is returned.
 */
int pki_product_list(struct pki_repo *r, const struct pki_product_filter *f,
		     int (*row)(void *arg, const char *const *fields), void *arg);

#endif
