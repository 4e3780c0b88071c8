/* batch.h: many products filed in one change (pki-classify --batch,
 * pki-register --receive --batch), a mission migrating its records.
 *
 * The manifest is CSV with a header row naming its columns, in any order:
 *
 *   classify  file,level,criterion,areas [,ir,review,kind,safety,retention]
 *   receive   file,from,via,ref,level,criterion,areas [,originator_control,ir,review]
 *
 * A relative file is relative to the manifest's directory.  Every row is
 * checked first -- its words by the parsers of the single-product
 * options, its file (a non-empty regular file), the rules for the actor
 * at the tip (the level, the criterion, open requirements) -- and one bad
 * row refuses the whole batch (-PKI_EDATA, "MANIFEST: line N: ...")
 * before anything is encrypted or filed.  Then each product is encrypted
 * before the lock, one at a time, and all are filed in one change: one
 * signed commit, their registry rows appended to the shard at once.
 */
#ifndef PKI_BATCH_H
#define PKI_BATCH_H

#include <stddef.h>
#include "product.h"

#define PKI_BATCH_MAX_ROWS 100000
#define PKI_BATCH_MAX_BYTES (64 * 1024 * 1024)	/* of the manifest */

struct pki_batch {
	enum pki_action action;		/* classify or receive */
	const char *manifest;		/* its path */
	const char *entity, *site;	/* -e, -s; NULL as for one product */
	/* After: the IDs in manifest order, and for each the areas no valid
	 * principal holds ("" when all are), for the caller to warn of. */
	size_t n;
	char (*ids)[PKI_ID_MAX];
	char **unheld;
};

int pki_batch_run(struct pki_session *s, struct pki_batch *b);
void pki_batch_release(struct pki_batch *b);

#endif
