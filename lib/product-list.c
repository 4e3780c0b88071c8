/* product-list.c: the products at the tip, from their labels (pki-list). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "label.h"
#include "paths.h"
#include "product-list.h"
#include "repo.h"

const char *const pki_product_list_header[PKI_PRODUCT_LIST_NCOLS] = {
	"id", "level", "criterion", "kind", "areas", "originator", "created", "review",
	"safety", "recipients",
};

static bool wanted(const struct pki_product_filter *f, const struct pki_label *l)
{
	return f == NULL || ((!f->by_kind || l->kind == f->kind) &&
			     (!f->by_level || l->level == f->level));
}

/* One label's fields; list holds the distribution list's text. */
static int emit(const struct pki_label *l, struct pki_buf *list,
		int (*row)(void *arg, const char *const *fields), void *arg)
{
	char crit[2] = { l->criterion, '\0' }, created[PKI_TIME_LEN], review[PKI_DATE_LEN] = "";
	const char *f[PKI_PRODUCT_LIST_NCOLS];
	size_t i;
	int rc;

	pki_buf_reset(list);
	for (i = 0; i < l->nrecipients; i++)
		if ((rc = pki_buf_printf(list, "%s%s", i > 0 ? ";" : "", l->recipients[i])) < 0)
			return rc;
	pki_time_format(l->created, created);
	if (l->review != 0)
		pki_date_format(l->review, review);
	f[0] = l->id;
	f[1] = pki_level_name(l->level);
	f[2] = crit;
	f[3] = pki_kind_name(l->kind);
	f[4] = l->areas != NULL ? l->areas : "";
	f[5] = l->originator != NULL ? l->originator : "";
	f[6] = created;
	f[7] = review;
	f[8] = l->safety ? "yes" : "no";
	f[9] = list->ptr != NULL ? list->ptr : "";
	return row(arg, f);
}

/* The labels of one bucket, products/<bucket>/<ID>.xml. */
static int list_bucket(struct pki_repo *r, const char *bucket, const struct pki_product_filter *f,
		       int (*row)(void *arg, const char *const *fields), void *arg)
{
	struct pki_buf dir = PKI_BUF_INIT, path = PKI_BUF_INIT, data = PKI_BUF_INIT,
		       list = PKI_BUF_INIT;
	struct pki_label l;
	char **names = NULL;
	size_t i, n = 0, len;
	int rc;

	if ((rc = pki_buf_printf(&dir, PKI_PRODUCTS_DIR "/%s", bucket)) < 0 ||
	    (rc = pki_repo_list(r, dir.ptr, &names, &n)) < 0)
		goto out;
	for (i = 0; i < n && rc == 0; i++) {
		len = strlen(names[i]);
		if (len < 5 || strcmp(names[i] + len - 4, ".xml") != 0)
			continue;
		pki_buf_reset(&path);
		memset(&l, 0, sizeof(l));
		if ((rc = pki_buf_printf(&path, "%s/%s", dir.ptr, names[i])) < 0 ||
		    (rc = pki_repo_read(r, path.ptr, PKI_LABEL_MAX, &data)) < 0)
			break;
		if ((rc = pki_label_parse(&l, data.ptr, data.len)) < 0)
			rc = pki_error_wrap(-rc, "%s", path.ptr);
		else if (wanted(f, &l))
			rc = emit(&l, &list, row, arg);
		pki_label_release(&l);
	}
out:
	pki_strv_free(names);
	pki_buf_release(&list);
	pki_buf_release(&data);
	pki_buf_release(&path);
	pki_buf_release(&dir);
	return rc;
}

int pki_product_list(struct pki_repo *r, const struct pki_product_filter *f,
		     int (*row)(void *arg, const char *const *fields), void *arg)
{
	char **buckets = NULL;
	size_t i, n = 0;
	int rc;

	if ((rc = pki_repo_list(r, PKI_PRODUCTS_DIR, &buckets, &n)) == -PKI_ENOINPUT)
		return 0;	/* nothing filed yet */
	for (i = 0; i < n && rc == 0; i++)
		rc = list_bucket(r, buckets[i], f, row, arg);
	pki_strv_free(buckets);
	return rc;
}
