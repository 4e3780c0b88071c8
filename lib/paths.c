/* paths.c: where things live: the repository's paths, the installed data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "paths.h"
#include "vocab.h"

#ifndef PKI_SHAREDIR
#define PKI_SHAREDIR "/usr/local/share/pki"
#endif

void pki_key_path(const char *fpr, char out[PKI_KEY_PATH_MAX])
{
	snprintf(out, PKI_KEY_PATH_MAX, PKI_KEYS_DIR "/%.40s.asc", fpr);
}

int pki_product_path(const char *id, const char *ext, char out[PKI_PRODUCT_PATH_MAX])
{
	const char *entity, *year;
	int serial, n;

	if (pki_check_product_id(id) < 0)
		return -PKI_EUSAGE;
	/* MISSION-ENTITY-YYYY-NNNNNN, checked: split at the dashes. */
	entity = strchr(id, '-') + 1;
	year = id + strlen(id) - 11;
	serial = atoi(year + 5);
	n = snprintf(out, PKI_PRODUCT_PATH_MAX, PKI_PRODUCTS_DIR "/%.*s-%03d/%s.%s",
		     (int)(year + 4 - entity), entity, serial / PKI_BUCKET_SIZE, id, ext);
	if (n < 0 || n >= PKI_PRODUCT_PATH_MAX)
		return pki_error(PKI_EUSAGE, "product path for '%s' too long", id);
	return 0;
}

int pki_share_path(const char *name, struct pki_buf *out)
{
	const char *dir = getenv("PKI_SHAREDIR");

	if (dir == NULL || *dir == '\0')
		dir = PKI_SHAREDIR;
	pki_buf_reset(out);
	return pki_buf_printf(out, "%s/%s", dir, name);
}
