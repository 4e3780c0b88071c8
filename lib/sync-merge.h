/* sync-merge.h: the semantic merge of two clones' changes, as pure
 * functions over registry rows and labels (tables: table-merge.h).
 *
 * pki-sync computes a merge with them, and the audit computes it again to
 * judge a merge commit: the same functions, so that what one makes the
 * other accepts.
 */
#ifndef PKI_SYNC_MERGE_H
#define PKI_SYNC_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include "label.h"
#include "policy.h"

/*
 * A product's distribution list as the registry implies it, the one
 * account of it both sides of a merge share: its rows in time order (then
 * by shard and line, as pki-audit reads them), a classify, receive,
 * reclassify or review row giving the whole list, a share adding to it,
 * a revoke taking off it.  A share on one side and a revoke on the other
 * are both kept, in the order they were made.
 */
struct pki_list_row {
	const char *time, *shard;
	size_t line;
	const char *product, *action, *recipient;
};

struct pki_table;

struct pki_list_rows {
	struct pki_list_row *v;
	size_t n, cap;
	/* What the rows point into: the parsed shards, copied strings. */
	struct pki_table **tables;
	size_t ntables, captables;
	char **strs;
	size_t nstrs, capstrs;
};

/* Add the rows of one shard (its text as stored) that name one of ids. */
int pki_list_rows_add(struct pki_list_rows *r, const char *shard, const char *text, size_t len,
		      char *const *ids, size_t nids);
void pki_list_rows_release(struct pki_list_rows *r);

/* The list the rows imply for product id (out empty on entry; its names
 * borrowed from r).  *any: whether a row gives the whole list. */
int pki_list_implied(struct pki_names *out, struct pki_list_rows *r, const char *id, bool *any);

/*
 * The three-way merge of a product's label, field by field, into ours:
 * a field only theirs changed since base is taken from theirs (moved, so
 * theirs is left with ours' old value: release both after); a field both
 * changed, differently, is a conflict, its PKI_LF_* bit set in the
 * returned mask (0: none).  The distribution list and the binding are
 * left alone: the list is the registry's (pki_list_implied), and a merged
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
