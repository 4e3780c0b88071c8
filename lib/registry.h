/* registry.h: the registry of receipt and dissemination (pki-files(5)).
 *
 * One shard per month, registry/YYYY-MM.csv, append-only.  Rows are
 * written in the same transaction as the change they record.
 *
 * The recipient column: for classify, receive, reclassify, review and
 * relabel rows it holds the whole distribution list the product is
 * (re-)encrypted to (a review keeps it), as
 * principal names separated by ';'; for share and revoke rows the one
 * principal added or removed; for export rows the external recipient; for
 * archive rows the archives principal; archive-ack rows (the archives'
 * receipt of a transfer, one per product) and dispose rows (a material
 * destroyed, its reference the certificate) leave it empty.  So the
 * registry alone implies each
 * product's distribution list (audit check 4).  A share or an export
 * with a medium (paper, oral, display) was no encrypted file: its
 * recipient was briefed or handed a copy, and joins no list.
 */
#ifndef PKI_REGISTRY_H
#define PKI_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "buf.h"
#include "vocab.h"

struct pki_txn;
struct pki_repo;

#define PKI_REGISTRY_NCOLS 13
extern const char *const pki_registry_header[PKI_REGISTRY_NCOLS];
/* Shards written before the medium column: its first twelve columns. */
#define PKI_REGISTRY_NCOLS_V1 12

enum pki_registry_col {
	PKI_COL_EVENT, PKI_COL_TIME, PKI_COL_ACTION, PKI_COL_PRODUCT, PKI_COL_LEVEL,
	PKI_COL_ACTOR, PKI_COL_RECIPIENT, PKI_COL_AUTHORITY, PKI_COL_JUSTIFICATION,
	PKI_COL_HRDDP, PKI_COL_ARRANGEMENT, PKI_COL_REFERENCE, PKI_COL_MEDIUM,
};

/* One row; NULL fields are written empty.  event and time are filled by
 * pki_registry_append when NULL. */
struct pki_row {
	const char *f[PKI_REGISTRY_NCOLS];
};

#define PKI_EVENT_LEN 37	/* a UUID (RFC 9562 version 4) + NUL */
/* A new event identifier, unique across clones (random, from getrandom). */
int pki_event_id(char out[PKI_EVENT_LEN]);

/* "registry/2026-11.csv" for a time. */
void pki_registry_shard(time_t when, char out[32]);

/*
 * Append rows to the shard of `when` (creating it with its header),
 * inside the transaction.  Fills missing event and time fields.
 */
int pki_registry_append(struct pki_txn *t, time_t when, struct pki_row *rows, size_t n);

/* The same in two steps, for many products in one change (batch.c): rows
 * formatted into out, then appended to the shard of `when` at once. */
int pki_registry_rows_csv(struct pki_buf *out, time_t when, struct pki_row *rows, size_t n);
int pki_registry_append_csv(struct pki_txn *t, time_t when, const char *csv, size_t len);

/* --- reading (pki-register) --- */

#define PKI_REGISTRY_DIR "registry"
#define PKI_SHARD_MAX (64 * 1024 * 1024)	/* bytes of one shard read */

/* Which rows: NULL and 0 mean any. */
struct pki_registry_filter {
	const char *product;	/* a product ID */
	const char *action;	/* an action name */
	time_t since;		/* time >= since */
	time_t until;		/* time < until */
};

/*
 * Parse a shard: with the header of today, or with the old one (the
 * first twelve columns, *v1 true when not NULL), whose rows then read
 * with an empty medium.  Errors as pki_table_parse's.
 */
struct pki_table;
int pki_registry_parse(struct pki_table **out, const char *path, const char *data, size_t len,
		       bool *v1);

/* Called with the PKI_REGISTRY_NCOLS fields of each row; non-zero stops. */
typedef int (*pki_registry_fn)(void *arg, const char *const *fields);

/*
 * The rows of the shards at the tip that match, in time order: shards in
 * month order, each shard's rows stably sorted by time (a union merge of
 * two clones' appends may interleave them).  Only shards whose month
 * meets [since, until) are read, and none before a product's year.
 */
int pki_registry_scan(struct pki_repo *r, const struct pki_registry_filter *f,
		      pki_registry_fn fn, void *arg);

/*
 * Does the ID name a product: a row of the registry, in any month, or a
 * label at the tip?  0 if so, else -PKI_ENOINPUT ("no product 'ID'").
 */
int pki_registry_known(struct pki_repo *r, const char *id);

/*
 * The registry as XML (share/pki/registry.xsd), row by row into a sink:
 * an <event id="..."> per row, a child per non-empty column, and one
 * <recipient> per principal of a list.  libxml2: xml-registry.c.
 */
#define PKI_REGISTRY_NS "urn:x-pki:registry:1"
struct pki_regxml;
int pki_regxml_begin(struct pki_regxml **out, struct pki_sink *sink);
int pki_regxml_row(struct pki_regxml *x, const char *const *fields);
int pki_regxml_end(struct pki_regxml *x);
void pki_regxml_free(struct pki_regxml *x);

#endif
