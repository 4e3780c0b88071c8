/* transfer.h: what the parts of a transfer share (archive*.c).  Internal
 * to libpki; the interface is archive.h. */
#ifndef PKI_TRANSFER_H
#define PKI_TRANSFER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "archive.h"
#include "product.h"

struct pki_repo;
struct pki_txn;
struct pki_session;
struct pki_state;
struct pki_row;

/* A record of the transfer: a product classified or received in it, and
 * the last registry action on it within the transferred window. */
struct pki_xrec {
	char id[PKI_ID_MAX];
	char last[16];
	time_t last_time;
	enum pki_level level;	/* from the label, once read */
};

/*
 * What the registry says, from the rows of [since, until) (until 0: to
 * the end): the references of every archive row, and the products
 * classified or received in [pfrom, puntil) with their last action
 * before puntil.
 */
struct pki_xscan {
	time_t pfrom, puntil;
	struct pki_xrec *v;
	size_t n, cap;
	size_t *slot;		/* open addressing over v: index + 1, 0 empty */
	size_t nslot;
	char **refs;		/* distinct archive references */
	size_t nrefs, caprefs;
};

int pki_xscan_run(struct pki_xscan *sc, struct pki_repo *r, time_t since, time_t until);
bool pki_xscan_transferred(const struct pki_xscan *sc, const char *ref);
/* Forget the products (keep the references), for the next window. */
void pki_xscan_reset(struct pki_xscan *sc, time_t pfrom, time_t puntil);
/* Sort the records by ID (the lookup table is dropped). */
void pki_xscan_sort(struct pki_xscan *sc);
void pki_xscan_release(struct pki_xscan *sc);
/* The first month with a registry shard; 0 when there is none. */
int pki_xscan_first_month(struct pki_repo *r, time_t *first);

/* One transfer as it is being built. */
struct pki_xfer_job {
	const struct pki_archive_opts *o;
	char *mission, *mission_name;
	char id[64];			/* the transfer ID */
	struct pki_period period;	/* not for a final transfer */
	time_t from, until;		/* the window of its records */
	struct pki_xscan scan;
	struct pki_names archives;	/* the archives principals (borrowed) */
	char archives_list[512];	/* their names, ';'-separated */
	struct pki_bag *bag;
	char manifest[65], oxum[PKI_OXUM_LEN];
	struct pki_row *rows;		/* share rows, then archive rows */
	size_t nrows, caprows;
	size_t reencrypted;
};

/* Room for one more row, zeroed; NULL when out of memory. */
struct pki_row *pki_xfer_job_row(struct pki_xfer_job *j);

/*
 * Fill the bag: each record (re-encrypted for the archives when needed,
 * with its share row), the registry shards of the window, the matrix,
 * delegations and keys, the transfer list, the tag files.
 */
int pki_xfer_fill(struct pki_xfer_job *j, struct pki_session *s, struct pki_txn *t,
		  struct pki_state *st);

#endif
