/* product.c: products in the repository: IDs, paths and labels.
 * Their ciphertexts: product-crypt.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "product.h"
#include "repo.h"

#define PRODUCTS PKI_PRODUCTS_DIR
#define SERIAL_MAX 999999

/* --- IDs --- */

/* The number after prefix when name is prefix + digits (+ suffix), else -1. */
static long number_after(const char *name, const char *prefix, size_t ndigits,
			 const char *suffix)
{
	size_t plen = strlen(prefix), i;
	const char *p;

	if (strncmp(name, prefix, plen) != 0)
		return -1;
	p = name + plen;
	for (i = 0; p[i] >= '0' && p[i] <= '9'; i++)
		;
	if (i == 0 || (ndigits != 0 && i != ndigits) || i > 6 || strcmp(p + i, suffix) != 0)
		return -1;
	return strtol(p, NULL, 10);
}

/* The highest number over the names in dir; -1 when none matches. */
static int highest(struct pki_txn *t, const char *dir, const char *prefix,
		   size_t ndigits, const char *const *suffixes, long *max)
{
	char **names = NULL;
	size_t n, i, j;
	long v;
	int rc;

	*max = -1;
	if ((rc = pki_txn_list(t, dir, &names, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		for (j = 0; suffixes[j] != NULL; j++)
			if ((v = number_after(names[i], prefix, ndigits, suffixes[j])) > *max)
				*max = v;
	pki_strv_free(names);
	return 0;
}

int pki_product_next_id(struct pki_txn *t, const char *mission, const char *entity,
			const char *site, time_t when, char out[PKI_ID_MAX])
{
	static const char *const bucket_sfx[] = { "", NULL };
	static const char *const file_sfx[] = { ".gpg", ".xml", NULL };
	char prefix[PKI_ID_MAX], dir[PKI_PRODUCT_PATH_MAX], codes[2 * PKI_CODE_MAX];
	long bucket, serial;
	struct tm tm;
	int rc, year;

	if (gmtime_r(&when, &tm) == NULL)
		return pki_error(PKI_EINTERNAL, "time out of range");
	year = tm.tm_year + 1900;
	/* ENTITY or ENTITY-SITE: each office of an entity counts its own. */
	if (site != NULL && *site != '\0')
		snprintf(codes, sizeof(codes), "%.16s-%.16s", entity, site);
	else
		snprintf(codes, sizeof(codes), "%.16s", entity);
	/* The highest bucket of the entity's (and site's) year, then its
	 * highest file: two small listings, however many products there are. */
	snprintf(prefix, sizeof(prefix), "%s-%04d-", codes, year);
	if ((rc = highest(t, PRODUCTS, prefix, 0, bucket_sfx, &bucket)) < 0)
		return rc;
	serial = 0;
	if (bucket >= 0) {
		snprintf(dir, sizeof(dir), PRODUCTS "/%s%03ld", prefix, bucket);
		snprintf(prefix, sizeof(prefix), "%.16s-%s-%04d-", mission, codes, year);
		if ((rc = highest(t, dir, prefix, 6, file_sfx, &serial)) < 0)
			return rc;
		if (serial < bucket * PKI_BUCKET_SIZE)
			serial = bucket * PKI_BUCKET_SIZE;
	}
	if (++serial > SERIAL_MAX)
		return pki_error(PKI_EDATA, "no serial left for %s in %d", codes, year);
	rc = snprintf(out, PKI_ID_MAX, "%.16s-%s-%04d-%06ld", mission, codes, year, serial);
	if (rc < 0 || rc >= PKI_ID_MAX)
		return pki_error(PKI_EINTERNAL, "product ID too long");
	return pki_check_product_id(out);
}

/* --- labels --- */

static int label_from(struct pki_label *out, const char *id, const struct pki_buf *b)
{
	int rc;

	if ((rc = pki_label_parse(out, b->ptr, b->len)) < 0)
		return pki_error_wrap(-rc, "product %s", id);
	if (strcmp(out->id, id) != 0) {
		pki_label_release(out);
		return pki_error(PKI_EDATA, "product %s: its label names %s", id, out->id);
	}
	return 0;
}

static int no_product(int rc, const char *id)
{
	if (rc == -PKI_ENOINPUT)
		return pki_error(PKI_ENOINPUT, "no product %s", id);
	return rc;
}

int pki_product_label(struct pki_txn *t, const char *id, struct pki_label *out)
{
	struct pki_buf b = PKI_BUF_INIT;
	char path[PKI_PRODUCT_PATH_MAX];
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pki_product_path(id, "xml", path)) == 0 &&
	    (rc = no_product(pki_txn_read(t, path, PKI_LABEL_MAX, &b), id)) == 0)
		rc = label_from(out, id, &b);
	pki_buf_release(&b);
	return rc;
}

int pki_product_label_repo(struct pki_repo *r, const char *id, struct pki_label *out)
{
	struct pki_buf b = PKI_BUF_INIT;
	char path[PKI_PRODUCT_PATH_MAX];
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pki_product_path(id, "xml", path)) == 0 &&
	    (rc = no_product(pki_repo_read(r, path, PKI_LABEL_MAX, &b), id)) == 0)
		rc = label_from(out, id, &b);
	pki_buf_release(&b);
	return rc;
}

void pki_product_of_label(const struct pki_label *l, struct pki_product *out)
{
	out->id = l->id;
	out->level = l->level;
	out->originator = l->received ? l->registrar : l->originator;
	out->areas = l->areas != NULL ? l->areas : "";
	out->safety = l->safety;
	out->originator_control = l->originator_control;
}

int pki_product_set_list(struct pki_label *l, const struct pki_names *list)
{
	char **v;
	size_t i;

	if ((v = calloc(list->n ? list->n : 1, sizeof(*v))) == NULL)
		return pki_error(PKI_EINTERNAL, "distribution list: out of memory");
	for (i = 0; i < list->n; i++)
		if ((v[i] = strdup(list->v[i])) == NULL) {
			while (i-- > 0)
				free(v[i]);
			free(v);
			return pki_error(PKI_EINTERNAL, "distribution list: out of memory");
		}
	for (i = 0; i < l->nrecipients; i++)
		free(l->recipients[i]);
	free(l->recipients);
	l->recipients = v;
	l->nrecipients = list->n;
	return 0;
}

int pki_product_put_label(struct pki_txn *t, const struct pki_label *l)
{
	struct pki_buf b = PKI_BUF_INIT;
	char path[PKI_PRODUCT_PATH_MAX];
	int rc;

	if ((rc = pki_product_path(l->id, "xml", path)) == 0 &&
	    (rc = pki_label_format(l, &b)) == 0)
		rc = pki_txn_put(t, path, b.ptr, b.len);
	pki_buf_release(&b);
	return rc;
}
