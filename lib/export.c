/* export.c: the copy of a product that leaves the mission,
 * and the files it is written to. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "error.h"
#include "export.h"
#include "policy.h"
#include "product.h"
#include "repo.h"
#include "sha256.h"
#include "xml-read.h"

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
		    const char *fpr, const char *signer, bool armor, struct pki_sink *out)
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
	if ((rc = pki_gpg_reencrypt_signed(g, fprs, 1, signer, &in, out, armor)) < 0)
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

/* --- the copy's files --- */

struct tee {
	int fd;
	struct pki_sha256 sha;
};

static int tee_write(void *ctx, const void *data, size_t len)
{
	struct tee *t = ctx;

	pki_sha256_update(&t->sha, data, len);
	return pki_sink_fd(&t->fd, data, len);
}

/* Flush a file made here to the disk and close it, before the commit
 * that records it. */
static int finish(int *fd, const char *path)
{
	int rc = 0;

	if (*fd < 0 || *fd == STDOUT_FILENO)
		return 0;
	if (fsync(*fd) < 0)
		rc = pki_error_errno(PKI_EIO, "%s", path);
	if (close(*fd) < 0 && rc == 0)
		rc = pki_error_errno(PKI_EIO, "%s", path);
	*fd = -1;
	return rc;
}

int pki_export_write(struct pki_export_out *o, struct pki_txn *t, struct pki_gpg *g,
		     struct pki_label *l, const char *recipient, const char *fpr,
		     const char *signer, bool armor)
{
	struct tee tee = { o->fd, { { 0 } } };
	struct pki_sink sink = { tee_write, &tee };
	struct pki_buf xml = PKI_BUF_INIT;
	unsigned char d[PKI_SHA256_LEN];
	int rc;

	if (o->fd == STDOUT_FILENO && !armor && isatty(STDOUT_FILENO))
		return pki_error(PKI_EUSAGE, "not writing a binary copy to a terminal: "
				 "use -o FILE or -a");
	pki_sha256_init(&tee.sha);
	rc = pki_export_copy(t, g, l, fpr, signer, armor, &sink);
	pki_sha256_final(&tee.sha, d);
	if (rc < 0 || (rc = finish(&o->fd, o->path)) < 0)
		goto out;
	pki_sha256_hex(d, o->sha256);
	if ((rc = pki_export_label(l, recipient, o->sha256)) < 0 ||
	    (rc = pki_label_format(l, &xml)) < 0 ||
	    (rc = pki_xml_validate("label.xsd", xml.ptr, xml.len)) < 0)
		goto out;
	if (o->label_fd >= 0 && (rc = pki_sink_fd(&o->label_fd, xml.ptr, xml.len)) < 0) {
		rc = pki_error_wrap(-rc, "%s", o->label_path);
		goto out;
	}
	if ((rc = finish(&o->label_fd, o->label_path)) < 0)
		goto out;
	o->made = true;
out:
	pki_buf_release(&xml);
	return rc;
}

static int create(const char *path, int *fd)
{
	*fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (*fd < 0)
		return pki_error_errno(PKI_EIO, "cannot create '%s'", path);
	return 0;
}

int pki_export_open(struct pki_export_out *o, const char *path, const char *label)
{
	size_t n;
	int rc;

	memset(o, 0, sizeof(*o));
	o->path = path;
	o->fd = STDOUT_FILENO;
	o->label_fd = -1;
	if (label != NULL) {
		if ((o->label_path = strdup(label)) == NULL)
			return pki_error_errno(PKI_EINTERNAL, "label");
	} else if (path != NULL) {
		n = strlen(path) + 5;
		if ((o->label_path = malloc(n)) == NULL)
			return pki_error_errno(PKI_EINTERNAL, "label");
		snprintf(o->label_path, n, "%s.xml", path);
	}
	if (path != NULL && (rc = create(path, &o->fd)) < 0)
		return rc;
	o->made_fd = path != NULL;
	if (o->label_path != NULL && (rc = create(o->label_path, &o->label_fd)) < 0)
		return rc;
	o->made_label = o->label_path != NULL;
	return 0;
}

int pki_export_close(struct pki_export_out *o, int rc)
{
	if (o->fd >= 0 && o->fd != STDOUT_FILENO)
		close(o->fd);
	if (o->label_fd >= 0)
		close(o->label_fd);
	if (rc < 0 && o->made_fd)
		unlink(o->path);
	if (rc < 0 && o->made_label)
		unlink(o->label_path);
	free(o->label_path);
	o->label_path = NULL;
	o->fd = o->label_fd = -1;
	return rc;
}
