/* table-merge.h: the three-way merge of a keyed table (the access matrix,
 * the delegations): rows keyed by their first column. */
#ifndef PKI_TABLE_MERGE_H
#define PKI_TABLE_MERGE_H

#include <stdbool.h>
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

#define PKI_MERGE_COLS_MAX 64

/*
 * The same for a table whose header is its own: the header is read from
 * the first line of ours (else theirs, else base), and every version
 * present must carry it (-PKI_EDATA otherwise).  For the root tables a
 * clone may hold that pki does not know by name.
 */
int pki_table_merge3_any(struct pki_buf *out, const char *what, const struct pki_merge3 *in,
			 size_t *conflicts, char first[PKI_MERGE_KEY_MAX]);

/*
 * The union of two versions of an append-only table (a registry shard),
 * rows keyed by their first column (the event): ours' rows in ours'
 * order, then the rows only theirs has, in theirs' order; nothing lost,
 * nothing doubled.  A key both hold with different rows is a conflict
 * (counted as pki_table_merge3 does; ours kept).  Base is not needed:
 * rows are never changed or removed.
 */
int pki_table_union(struct pki_buf *out, const char *what, const struct pki_merge3 *in,
		    size_t *conflicts, char first[PKI_MERGE_KEY_MAX]);

/* The column names of a table's first line, into names (n of them). */
int pki_table_header(const char *what, const char *data, size_t len,
		     char names[PKI_MERGE_COLS_MAX][PKI_MERGE_KEY_MAX], size_t *n);
/* The index of column name among names, or -1. */
long pki_table_column(char names[PKI_MERGE_COLS_MAX][PKI_MERGE_KEY_MAX], size_t n,
		      const char *name);

/*
 * Whether two versions of a table hold the same rows (each row the same
 * number of times), whatever their order or quoting: how the audit tells
 * a merge's table from the one it should be.  -PKI_EDATA when one does
 * not parse.
 */
int pki_table_same_rows(const char *what, const char *a, size_t na, const char *b, size_t nb,
			bool *same);

#endif
