/* registry.h: the registry of receipt and dissemination (SPEC §3.3).
 *
 * One shard per month, registry/YYYY-MM.csv, append-only.  Rows are
 * written in the same transaction as the change they record.
 *
 * The recipient column: for classify, receive and reclassify rows it holds
 * the whole distribution list the product is (re-)encrypted to, as
 * principal names separated by ';'; for share and revoke rows the one
 * principal added or removed; for export rows the external recipient; for
 * archive rows the archives principal.  So the registry alone implies each
 * product's distribution list (audit check 4).
 */
#ifndef PKI_REGISTRY_H
#define PKI_REGISTRY_H

#include <stddef.h>
#include <time.h>
#include "buf.h"
#include "vocab.h"

struct pki_txn;
struct pki_repo;

#define PKI_REGISTRY_NCOLS 12
extern const char *const pki_registry_header[PKI_REGISTRY_NCOLS];

enum pki_registry_col {
	PKI_COL_EVENT, PKI_COL_TIME, PKI_COL_ACTION, PKI_COL_PRODUCT, PKI_COL_LEVEL,
	PKI_COL_ACTOR, PKI_COL_RECIPIENT, PKI_COL_AUTHORITY, PKI_COL_JUSTIFICATION,
	PKI_COL_HRDDP, PKI_COL_ARRANGEMENT, PKI_COL_REFERENCE,
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

#endif
