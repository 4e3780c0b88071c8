/* relabel.h: correcting a product's label once it is filed (action
 * relabel; pki-classify(1) --change ID with -a, --safety or --ir).
 *
 * A typo in a product's areas ("force-protecton") leaves it reaching no
 * one by its areas; a product found to bear on safety after it was filed
 * must still reach UNDSS (policy 11.3.2); an intelligence requirement it
 * answers may be named later.  A relabel corrects these fields of the
 * originator's marking, and nothing else: the level, criterion and the
 * rest stay.  Its actors are those of a reclassification (policy 9.8).
 *
 * One signed commit: the label rewritten; when the safety flag is set,
 * the ciphertext re-encrypted to the list with every undss principal
 * added, each with a share row of authority undss-rule, as at
 * classification; and a relabel row whose recipient column holds the
 * whole list and whose justification says what changed
 * ("areas force-protecton -> force-protection").
 */
#ifndef PKI_RELABEL_H
#define PKI_RELABEL_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"

struct pki_session;

struct pki_relabel {
	const char *id;		/* the product */
	const char *authority;	/* --authority: a declassify delegation; NULL: none */
	const char *areas;	/* the corrected areas; NULL: kept */
	bool safety;		/* set the safety flag */
	char *const *ir;	/* IR references to add (those already there are kept) */
	size_t nir;
	/* After a relabel that gave areas: those no valid principal holds
	 * (pki_policy_unheld_areas), "" when all are; the caller releases it. */
	struct pki_buf unheld;
};

/*
 * Relabel r->id as one change.  Refused (-PKI_EPOLICY) for an actor who
 * may not reclassify the product, for areas that would leave a current
 * recipient without need to know (pki_policy_relabel_keeps), and for a
 * safety flag no valid undss principal can receive; -PKI_EUSAGE when
 * nothing would change; -PKI_ENOINPUT for no such product.
 */
int pki_relabel_run(struct pki_session *s, struct pki_relabel *r);

#endif
