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
	struct pki_product_id p;
	int n;

	if (pki_product_id_parse(id, &p) < 0)
		return -PKI_EUSAGE;
	n = snprintf(out, PKI_PRODUCT_PATH_MAX, PKI_PRODUCTS_DIR "/%s%s%s-%04d-%03ld/%s.%s",
		     p.entity, p.site[0] != '\0' ? "-" : "", p.site, p.year,
		     p.serial / PKI_BUCKET_SIZE, id, ext);
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
