/* import.h: filing a copy exported by another pki repository
 * (pki-register --import; policy 13.1.3, 11.4.3).
 *
 * A mission receiving from Headquarters' PICT, PICT receiving from a
 * mission: the copy must be encrypted to the acting principal, bound by
 * its label, and signed by a principal of this repository's matrix.  The
 * handling carries over, the provenance accumulates in <source>, and the
 * product is filed as a receipt (reference: the source ID; "via import").
 */
#ifndef PKI_IMPORT_H
#define PKI_IMPORT_H

#include "product.h"

struct pki_session;

struct pki_import {
	const char *copy;	/* the copy's file */
	const char *label;	/* its label; NULL: COPY.xml */
	const char *entity, *site;	/* of the new ID, as for --receive */
	char id[PKI_ID_MAX];	/* after: the new product's ID */
	struct pki_buf unheld;	/* after: areas nobody here holds ("" none) */
};

/*
 * Check and file the copy.  -PKI_ENOINPUT: no copy or label;
 * -PKI_EDATA: the label is invalid or does not bind the copy;
 * -PKI_EPOLICY: the copy is not for the acting principal, not signed, or
 * not by a principal here, or the actor may not register a receipt.  The
 * plaintext is held only in memory, and wiped.  Release with
 * pki_import_release.
 */
int pki_import_run(struct pki_session *s, struct pki_import *im);
void pki_import_release(struct pki_import *im);

#endif
