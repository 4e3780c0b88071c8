/* paths.c: where things live: the repository's paths, the installed data. */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/*
 * ../share/pki beside the directory of the running binary, when it is
 * there: a tree installed to one prefix and moved to another (DESTDIR, a
 * copied /opt tree) still finds its data.
 */
static bool beside_binary(char dir[PATH_MAX])
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;
	struct stat st;

	if (n <= 0)
		return false;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return false;
	*slash = '\0';
	if ((slash = strrchr(self, '/')) == NULL || strcmp(slash, "/bin") != 0)
		return false;
	*slash = '\0';
	n = snprintf(dir, PATH_MAX, "%s/share/pki", self);
	return n > 0 && n < PATH_MAX && stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

int pki_share_path(const char *name, struct pki_buf *out)
{
	const char *dir = getenv("PKI_SHAREDIR");
	char near[PATH_MAX];

	if (dir == NULL || *dir == '\0')
		dir = beside_binary(near) ? near : PKI_SHAREDIR;
	pki_buf_reset(out);
	return pki_buf_printf(out, "%s/%s", dir, name);
}
