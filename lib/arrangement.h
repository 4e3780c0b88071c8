/* arrangement.h: the register of written arrangements, arrangements.csv
 * (pki-files(5); policy 11.4.3, 11.4.4, 12.6.10).
 *
 * One row a written instrument the mission holds with a partner outside
 * it: an originator-control arrangement (orcon), an HRDDP risk assessment
 * (hrddp, "regularly reviewed"), legal advice (legal), or an originator's
 * consent (consent).  pki-share --arrangement, --hrddp and --consent name
 * rows of it by ID.  Pure data, like delegation.c: parsing, validation,
 * look-ups, formatting.  No I/O.
 */
#ifndef PKI_ARRANGEMENT_H
#define PKI_ARRANGEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "buf.h"
#include "table-merge.h"

#define PKI_ARRANGEMENTS_FILE "arrangements.csv"
#define PKI_ARRANGEMENT_ID_LEN 15	/* "ARR-" and ten hex digits, NUL */

enum pki_arrangement_kind {
	PKI_ARR_ORCON, PKI_ARR_HRDDP, PKI_ARR_LEGAL, PKI_ARR_CONSENT,
};

const char *pki_arrangement_kind_name(enum pki_arrangement_kind k);
int pki_arrangement_kind_parse(const char *s, enum pki_arrangement_kind *out);

struct pki_arrangement {
	char *id;
	enum pki_arrangement_kind kind;
	char *partner;		/* a principal's name, or an entity's code */
	char *reference;	/* the written instrument */
	time_t from, until;	/* until 0: open-ended */
	time_t review;		/* review_due: the end of that day; 0: none */
	char *from_text, *until_text, *review_text;
};

struct pki_arrangements {
	struct pki_arrangement *v;
	size_t n, cap;
};

/* Parse and validate (IDs, kinds, partners, dates, duplicates).  len 0
 * gives an empty register.  Errors: -PKI_EDATA naming file and row. */
int pki_arrangements_parse(struct pki_arrangements *out, const char *data, size_t len);
int pki_arrangements_format(const struct pki_arrangements *a, struct pki_buf *out);
void pki_arrangements_release(struct pki_arrangements *a);
/* Three versions merged row by row (pki_table_merge3), then parsed. */
int pki_arrangements_merge3(struct pki_arrangements *out, const struct pki_merge3 *in,
			    size_t *conflicts, char first[PKI_MERGE_KEY_MAX]);

/* Add a checked deep copy (-PKI_EUSAGE for a bad row or an ID taken). */
int pki_arrangements_add(struct pki_arrangements *a, const struct pki_arrangement *x);
struct pki_arrangement *pki_arrangements_find(const struct pki_arrangements *a, const char *id);
bool pki_arrangement_valid(const struct pki_arrangement *x, time_t at);
/* The same row: kind, partner, reference and all three dates. */
bool pki_arrangement_same(const struct pki_arrangement *a, const struct pki_arrangement *b);
/* Set x->until (and its text) to `at`. */
int pki_arrangement_end(struct pki_arrangement *x, time_t at);

#endif
