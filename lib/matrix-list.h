/* matrix-list.h: the access matrix as pki-matrix list shows it. */
#ifndef PKI_MATRIX_LIST_H
#define PKI_MATRIX_LIST_H

#include <stdbool.h>
#include "buf.h"

struct pki_session;

/*
 * The principals valid at `at` (NULL: now; all, every one) appended to
 * out: as CSV, exactly access-matrix.csv's format, or as a table for a
 * terminal with a NOTE column ("ended", "succeeded by NEW").  format is
 * "csv" (NULL) or "text"; anything else is -PKI_EUSAGE.
 */
int pki_matrix_list(struct pki_session *s, const char *format, const char *at, bool all,
		    struct pki_buf *out);

#endif
