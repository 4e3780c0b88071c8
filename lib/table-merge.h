/* table-merge.h: the three-way merge of a keyed table (the access matrix,
 * the delegations): rows keyed by their first column. */
#ifndef PKI_TABLE_MERGE_H
#define PKI_TABLE_MERGE_H

#include <stddef.h>
#include "buf.h"

#define PKI_MERGE_KEY_MAX 64

/* The three versions of one table: texts as stored (len 0: no file). */
struct pki_merge3 {
	const char *base, *ours, *theirs;
	size_t nbase, nours, ntheirs;
};

/*
 * Merge theirs into ours since base, row by row: a row changed, added or
 * removed on one side only takes that side's change; a row both sides
 * changed differently (or one changed and the other removed) is a
 * conflict, and keeps ours.  The merged table goes to out (reset first):
 * the header, ours' rows in ours' order, then the rows only theirs added,
 * in theirs' order.  *conflicts counts the conflicting keys, the first of
 * them copied to first.  -PKI_EDATA when a version does not parse.
 */
int pki_table_merge3(struct pki_buf *out, const char *what, const char *const *header,
		     size_t ncols, const struct pki_merge3 *in, size_t *conflicts,
		     char first[PKI_MERGE_KEY_MAX]);

#endif
