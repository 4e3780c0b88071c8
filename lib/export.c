/* export.c: the copy of a product that leaves the mission (SPEC 5.3.3). */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "error.h"
#include "export.h"
#include "policy.h"
#include "product.h"
#include "repo.h"
#include "sha256.h"

/* The copy is made from a ciphertext its label binds, or not at all:
 * hashed before anything is written, since the copy may go to a pipe. */
static int check_binding(struct pki_txn *t, const struct pki_label *l, const char *path)
{
	struct pki_sha256 sha;
	struct pki_sink sink = { pki_sink_sha256, &sha };
	unsigned char d[PKI_SHA256_LEN];
	char hex[PKI_SHA256_HEX];
	int rc;

	pki_sha256_init(&sha);
	rc = pki_txn_stream(t, path, &sink);
	pki_sha256_final(&sha, d);
	if (rc == -PKI_ENOINPUT)
		return pki_error(PKI_EDATA, "product %s: no ciphertext at %s", l->id, path);
	if (rc < 0)
		return rc;
	pki_sha256_hex(d, hex);
	if (strcmp(hex, l->sha256) != 0)
		return pki_error(PKI_EDATA, "product %s: the label does not bind the ciphertext "
				 "(sha256 %s, the label says %s)", l->id, hex, l->sha256);
	return 0;
}

int pki_export_copy(struct pki_txn *t, struct pki_gpg *g, const struct pki_label *l,
		    const char *fpr, bool armor, struct pki_sink *out)
{
	char path[PKI_PRODUCT_PATH_MAX];
	const char *fprs[1] = { fpr };
	struct pki_blobr *rd = NULL;
	struct pki_source in;
	int rc;

	if ((rc = pki_product_path(l->id, "gpg", path)) < 0 ||
	    (rc = check_binding(t, l, path)) < 0 ||
	    (rc = pki_product_keys(t, g, fprs, 1)) < 0 ||
	    (rc = pki_txn_blob_reader(t, path, &rd, &in)) < 0)
		goto out;
	if ((rc = pki_gpg_reencrypt(g, fprs, 1, &in, out, armor)) < 0)
		rc = pki_error_wrap(-rc, "cannot make a copy of %s", l->id);
out:
	pki_blobr_free(rd);
	return rc;
}

int pki_export_label(struct pki_label *l, const char *recipient,
		     const char sha256[PKI_SHA256_HEX])
{
	struct pki_names alone = { 0 };
	char *releasable;
	size_t i;
	int rc;

	if ((releasable = strdup(recipient)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "label");
	if ((rc = pki_names_add(&alone, recipient)) < 0 ||
	    (rc = pki_product_set_list(l, &alone)) < 0) {
		free(releasable);
		goto out;
	}
	free(l->releasable);
	l->releasable = releasable;
	l->originator_control = true;
	for (i = 0; i < l->nir; i++)
		free(l->ir[i]);
	free(l->ir);
	l->ir = NULL;
	l->nir = 0;
	memcpy(l->sha256, sha256, PKI_SHA256_HEX);
out:
	pki_names_release(&alone);
	return rc;
}
