/* rows.h: helpers shared by the readers of the row files, the access
 * matrix and the delegations (matrix.c, delegation.c; pki-files(5)).
 * Internal to libpki. */
#ifndef PKI_ROWS_H
#define PKI_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "vocab.h"

/* Data row r of a table is on line r + 2: csv.c reads one record a line. */
#define PKI_ROW_LINE(r) ((r) + 2)

/* *out = a copy of s (NULL copies as ""). */
int pki_row_strdup(char **out, const char *s);

/* valid_from is required; valid_until is empty (0, open-ended) or after it. */
int pki_row_window(const char *from_s, const char *until_s, time_t *from, time_t *until);
int pki_row_check_window(time_t from, time_t until);

/* text when it still names t (as a start, or as an end), else t formatted in buf. */
const char *pki_row_time_text(const char *text, time_t t, bool until, char buf[PKI_TIME_LEN]);

/* Refuse the first (in file order) of keys that occur twice; sorts k. */
struct pki_row_key {
	const char *s;
	size_t line;
};
int pki_row_dups(const char *file, const char *kind, struct pki_row_key *k, size_t n);

/* v, with room for at least n + 1 elements of size sz; NULL when out of memory. */
void *pki_row_grow(void *v, size_t n, size_t *cap, size_t sz);

#endif
