/* product-show.c: a product's ciphertext or label as stored (product-show.h). */
#include <stdbool.h>
#include <unistd.h>

#include "error.h"
#include "paths.h"
#include "product-show.h"
#include "repo.h"
#include "vocab.h"

/* A sink to fd that refuses binary bytes for a terminal: checked at the
 * first piece, so that a missing product is said as such first. */
struct show_out {
	int fd;
	bool binary;
	bool started;
};

static int show_write(void *ctx, const void *data, size_t len)
{
	struct show_out *o = ctx;

	if (!o->started) {
		o->started = true;
		if (o->binary && isatty(o->fd))
			return pki_error(PKI_EUSAGE, "not writing a binary copy to a terminal: "
					 "pipe it (pki cat ID | gpg -d) or redirect it to a file");
	}
	return pki_sink_fd(&o->fd, data, len);
}

int pki_product_show(struct pki_repo *r, const char *id, bool label, int fd)
{
	struct show_out o = { fd, !label, false };
	struct pki_sink sink = { show_write, &o };
	char path[PKI_PRODUCT_PATH_MAX];
	int rc;

	if ((rc = pki_check_product_id(id)) < 0 ||
	    (rc = pki_product_path(id, label ? "xml" : "gpg", path)) < 0)
		return rc;
	rc = pki_repo_stream(r, path, &sink);
	if (rc == -PKI_ENOINPUT && !o.started)
		return pki_error(PKI_ENOINPUT, "no product %s", id);
	return rc;
}
