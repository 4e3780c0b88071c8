/* matrix.h: the access matrix and the delegations (pki-files(5)).
 * Pure data: parsing, validation, look-ups, formatting.  No I/O. */
#ifndef PKI_MATRIX_H
#define PKI_MATRIX_H

#include <stdbool.h>
#include <time.h>
#include "buf.h"
#include "table-merge.h"
#include "vocab.h"

#define PKI_MATRIX_FILE "access-matrix.csv"
#define PKI_DELEGATIONS_FILE "delegations.csv"

struct pki_principal {
	char *name;
	char fpr[41];
	char *entity;
	enum pki_type type;
	enum pki_role role;
	enum pki_level clearance;
	char *areas;		/* "" for none, "*" for all */
	time_t from;		/* valid from this instant */
	time_t until;		/* valid before this instant; 0: open-ended */
	char *from_text, *until_text;	/* as written, kept for round-trips */
};

struct pki_matrix {
	struct pki_principal *v;
	size_t n, cap;
};

struct pki_delegation {
	char *id;
	char *grantor, *grantee;
	enum pki_power power;
	char *scope;		/* a product ID, an area, or "*" */
	time_t from, until;	/* until 0: open-ended */
	char *from_text, *until_text;
	char *reference;
};

struct pki_delegations {
	struct pki_delegation *v;
	size_t n, cap;
};

/* Parse and validate (names, fingerprints, words, dates, duplicates).
 * len 0 gives an empty set.  Errors: -PKI_EDATA naming file and row. */
int pki_matrix_parse(struct pki_matrix *out, const char *data, size_t len);
int pki_matrix_format(const struct pki_matrix *m, struct pki_buf *out);
void pki_matrix_release(struct pki_matrix *m);

int pki_delegations_parse(struct pki_delegations *out, const char *data, size_t len);
int pki_delegations_format(const struct pki_delegations *d, struct pki_buf *out);
void pki_delegations_release(struct pki_delegations *d);

/* Three versions of the file merged row by row (pki_table_merge3), then
 * parsed: -PKI_EDATA when a version or the merge does not parse. */
int pki_matrix_merge3(struct pki_matrix *out, const struct pki_merge3 *in, size_t *conflicts,
		      char first[PKI_MERGE_KEY_MAX]);
int pki_delegations_merge3(struct pki_delegations *out, const struct pki_merge3 *in,
			   size_t *conflicts, char first[PKI_MERGE_KEY_MAX]);

/* Look-ups; NULL when absent.  by_fpr compares the primary fingerprint. */
struct pki_principal *pki_matrix_find(const struct pki_matrix *m, const char *name);
struct pki_principal *pki_matrix_find_fpr(const struct pki_matrix *m, const char *fpr);
bool pki_principal_valid(const struct pki_principal *p, time_t at);

/* Insert or replace by name (deep copy). */
int pki_matrix_put(struct pki_matrix *m, const struct pki_principal *p);
int pki_delegations_add(struct pki_delegations *d, const struct pki_delegation *x);
struct pki_delegation *pki_delegations_find(const struct pki_delegations *d, const char *id);
bool pki_delegation_valid(const struct pki_delegation *x, time_t at);
/* The same grant: grantor, grantee, power, scope, window and reference. */
bool pki_delegation_same(const struct pki_delegation *a, const struct pki_delegation *b);

/* A deep copy, released with pki_principal_release. */
int pki_principal_copy(struct pki_principal *dst, const struct pki_principal *src);
void pki_principal_release(struct pki_principal *p);

/* Set p->until (and until_text) to `at`. */
int pki_principal_end(struct pki_principal *p, time_t at);

#endif
