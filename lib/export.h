/* export.h: the copy of a product that leaves the mission (pki-share(1)).
 *
 * A product shared outside the mission is not re-encrypted in the
 * repository: the recipient gets a copy encrypted to its key alone, with
 * a label of its own bound to that copy, carrying the originator-control
 * caveat and releasable to that recipient only (policy 11.4.3).
 */
#ifndef PKI_EXPORT_H
#define PKI_EXPORT_H

#include <stdbool.h>
#include "buf.h"
#include "label.h"
#include "sha256.h"

struct pki_gpg;
struct pki_txn;

/*
 * Check that product l->id's label binds its ciphertext, then re-encrypt
 * that ciphertext to fpr alone, signed by signer (the exporting
 * principal's key), streaming the copy (armored when asked)
 * to out.  The key is imported from keys/<FPR>.asc when the keyring lacks
 * it; the acting key must be able to decrypt the product.
 */
int pki_export_copy(struct pki_txn *t, struct pki_gpg *g, const struct pki_label *l,
		    const char *fpr, const char *signer, bool armor, struct pki_sink *out);

/*
 * Make l (the product's label, parsed) the copy's: originator-control,
 * releasable to recipient, the recipient alone on the list, bound to the
 * copy's SHA-256.  Information-requirement references are the mission's
 * own tasking and do not leave it.
 */
int pki_export_label(struct pki_label *l, const char *recipient,
		     const char sha256[PKI_SHA256_HEX]);

/*
 * The copy's files (pki-share -o FILE, --label FILE): the copy to FILE
 * and its label to FILE.xml (or the label file given); without -o the
 * copy to standard output and the label to the label file, if given.
 * Made before the change is judged, so that a bad path is refused before
 * anything else; written on its first try and kept for the next.
 */
struct pki_export_out {
	const char *path;	/* the copy's file, NULL: standard output */
	int fd, label_fd;	/* -1 once closed */
	char *label_path;
	bool made_fd, made_label;	/* created here: removed on failure */
	bool made;		/* the copy and its label are written and closed */
	char sha256[PKI_SHA256_HEX];
};

/* Create the files new, never over an existing file or through a link. */
int pki_export_open(struct pki_export_out *o, const char *path, const char *label);

/*
 * Write the copy of l's product for recipient (its key fpr), then the
 * copy's label, valid against label.xsd, to its file; each flushed to
 * the disk and closed.  A binary copy is not written to a terminal.
 */
int pki_export_write(struct pki_export_out *o, struct pki_txn *t, struct pki_gpg *g,
		     struct pki_label *l, const char *recipient, const char *fpr,
		     const char *signer, bool armor);

/* After the change (rc its result): on failure the files made are taken
 * back, the copy never having been recorded.  Returns rc. */
int pki_export_close(struct pki_export_out *o, int rc);

#endif
