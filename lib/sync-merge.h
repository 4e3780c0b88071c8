/* sync-merge.h: the semantic merge of two clones' changes, as pure
 * functions over lists and labels (tables: table-merge.h).
 *
 * pki-sync computes a merge with them, and the audit computes it again to
 * judge a merge commit: the same functions, so that what one makes the
 * other accepts.
 */
#ifndef PKI_SYNC_MERGE_H
#define PKI_SYNC_MERGE_H

#include <stddef.h>
#include "label.h"
#include "policy.h"

/*
 * The three-way merge of a distribution list: a name on both sides
 * stays, a name one side added since base comes in, a name one side took
 * off since base goes (a share and a revoke do not conflict: each side's
 * change is kept).  out (empty on entry, names borrowed from the lists)
 * holds ours' names in ours' order, then theirs' additions in theirs'.
 */
int pki_list_merge3(struct pki_names *out, char *const *base, size_t nbase,
		    char *const *ours, size_t nours, char *const *theirs, size_t ntheirs);

/*
 * The three-way merge of a product's label, field by field, into ours:
 * a field only theirs changed since base is taken from theirs (moved, so
 * theirs is left with ours' old value: release both after); a field both
 * changed, differently, is a conflict, its PKI_LF_* bit set in the
 * returned mask (0: none).  The distribution list and the binding are
 * left alone: the list is merged by pki_list_merge3, and a merged
 * product is bound to the ciphertext made for it.
 */
unsigned pki_label_merge3(struct pki_label *ours, const struct pki_label *base,
			  struct pki_label *theirs);

/* How a path both sides changed is merged: registry shards as a union
 * of rows, root tables row by row, products by label and list; any other
 * file only when both sides agree. */
enum pki_merge_kind {
	PKI_MERGE_REGISTRY,
	PKI_MERGE_TABLE,
	PKI_MERGE_PRODUCT,
	PKI_MERGE_OTHER,
};
enum pki_merge_kind pki_merge_kind_of(const char *path);

/* The product ID of products/<bucket>/<ID>.{gpg,xml} into id (size
 * bytes); 0 when path is not a product's file. */
int pki_merge_product_id(const char *path, char *id, size_t size);

#endif
