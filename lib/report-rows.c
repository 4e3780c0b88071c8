/* report-rows.c: what pki-report reads besides the optional tables: the
 * labels at the tip (one product each), the access matrix (recipient
 * types, UNDSS principals), and every registry row once, counted when
 * its time is in the window and followed for its product whatever its
 * time (filing, the first row that reached UNDSS, reviews, transfers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "paths.h"
#include "product.h"
#include "registry.h"
#include "repo.h"
#include "report-int.h"
#include "rows.h"
#include "vocab.h"

#define MATRIX_MAX (16 * 1024 * 1024)

/* --- the labels at the tip --- */

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct pki_rprod *)a)->l.id, ((const struct pki_rprod *)b)->l.id);
}

static struct pki_rprod *product_find(struct pki_rctx *c, const char *id)
{
	struct pki_rprod key;

	key.l.id = (char *)id;
	return c->np > 0 ? bsearch(&key, c->p, c->np, sizeof(*c->p), by_id) : NULL;
}

/* A label that does not read is counted, not fatal: the audit names it. */
static int read_label(struct pki_rctx *c, const char *id, size_t *bad)
{
	struct pki_rprod *grown;
	int rc;

	if ((grown = pki_row_grow(c->p, c->np, &c->capp, sizeof(*grown))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "report");
	c->p = grown;
	memset(&grown[c->np], 0, sizeof(*grown));
	if ((rc = pki_product_label_repo(c->r, id, &grown[c->np].l)) == -PKI_EDATA) {
		pki_error_clear();
		++*bad;
		return 0;
	}
	if (rc < 0)
		return rc;
	c->np++;
	return 0;
}

static int read_bucket(struct pki_rctx *c, const char *bucket, size_t *bad)
{
	struct pki_buf dir = PKI_BUF_INIT;
	char **names = NULL, id[PKI_ID_MAX];
	size_t i, n = 0, len;
	int rc;

	if ((rc = pki_buf_printf(&dir, "%s/%s", PKI_PRODUCTS_DIR, bucket)) < 0 ||
	    (rc = pki_repo_list(c->r, dir.ptr, &names, &n)) < 0)
		goto out;
	for (i = 0; i < n && rc == 0; i++) {
		len = strlen(names[i]);
		if (len < 5 || len - 4 >= sizeof(id) || strcmp(names[i] + len - 4, ".xml") != 0)
			continue;
		snprintf(id, sizeof(id), "%.*s", (int)(len - 4), names[i]);
		if (pki_check_product_id(id) < 0) {
			pki_error_clear();
			++*bad;
			continue;
		}
		rc = read_label(c, id, bad);
	}
out:
	pki_strv_free(names);
	pki_buf_release(&dir);
	return rc;
}

int pki_report_read_labels(struct pki_rctx *c)
{
	char **buckets = NULL;
	size_t i, n = 0, bad = 0;
	int rc;

	if ((rc = pki_repo_list(c->r, PKI_PRODUCTS_DIR, &buckets, &n)) < 0)
		goto out;
	for (i = 0; i < n && rc == 0; i++) {
		rc = read_bucket(c, buckets[i], &bad);
		pki_progress_report(c->o->progress, "Reading labels", i + 1, n);
	}
	if (rc == 0 && c->np > 1)
		qsort(c->p, c->np, sizeof(*c->p), by_id);
	if (rc == 0 && (rc = pki_rcount(c, PKI_RS_SOURCES, "labels", NULL, (long long)c->np)) == 0)
		rc = pki_rcount(c, PKI_RS_SOURCES, "labels-unreadable", NULL, (long long)bad);
out:
	pki_strv_free(buckets);
	return rc;
}

/* --- the access matrix at the tip --- */

int pki_report_read_matrix(struct pki_rctx *c)
{
	struct pki_buf b = PKI_BUF_INIT;
	int rc;

	if ((rc = pki_repo_read(c->r, PKI_MATRIX_FILE, MATRIX_MAX, &b)) == 0)
		rc = pki_matrix_parse(&c->m, b.ptr, b.len);
	pki_buf_release(&b);
	if (rc == 0)
		rc = pki_rcount(c, PKI_RS_SOURCES, "principals", NULL, (long long)c->m.n);
	return rc;
}

static bool is_undss(const struct pki_rctx *c, const char *name)
{
	const struct pki_principal *p = pki_matrix_find(&c->m, name);

	return p != NULL && p->role == PKI_ROLE_UNDSS;
}

/* Does a ';'-separated list name a undss principal? */
static bool list_has_undss(const struct pki_rctx *c, const char *list)
{
	char name[128];
	size_t len;

	while (*list != '\0') {
		len = strcspn(list, ";");
		if (len < sizeof(name)) {
			memcpy(name, list, len);
			name[len] = '\0';
			if (is_undss(c, name))
				return true;
		}
		list += len;
		if (*list == ';')
			list++;
	}
	return false;
}

static const char *recipient_type(const struct pki_rctx *c, const char *name)
{
	const struct pki_principal *p = pki_matrix_find(&c->m, name);

	return p != NULL ? pki_type_name(p->type) : "unknown";
}

/* --- the registry --- */

/* "delegation" for the ID of one, else the word (pki-files(5)). */
static const char *authority_key(const char *a)
{
	if (a[0] == '\0')
		return "none";
	return pki_authority_is_delegation(a) ? "delegation" : a;
}

/* An arrangement's kind and partner, from arrangements.csv when it has
 * the ID; NULL otherwise. */
static const char *arrangement_label(struct pki_rctx *c, const char *id, char *buf, size_t size)
{
	long row = pki_rtable_find(&c->arr, id);

	if (row < 0)
		return NULL;
	snprintf(buf, size, "%s %s", pki_rtable_get(&c->arr, (size_t)row, PKI_ARR_KIND),
		 pki_rtable_get(&c->arr, (size_t)row, PKI_ARR_PARTNER));
	return buf;
}

static int export_row(struct pki_rctx *c, const char *const *f, const struct pki_rprod *p)
{
	const char *arr = f[PKI_COL_ARRANGEMENT], *hrddp = f[PKI_COL_HRDDP];
	const char *consent = f[PKI_COL_REFERENCE], *type = recipient_type(c, f[PKI_COL_RECIPIENT]);
	bool sf = strcmp(type, "security-force") == 0;
	char buf[256];
	int rc;

	if ((rc = pki_rcount(c, PKI_RS_EXPORTS, "total", NULL, 1)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_EXPORTS, "with-arrangement", NULL, arr[0] != '\0')) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_EXPORTS, "with-hrddp", NULL, hrddp[0] != '\0')) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_EXPORTS, "to-security-force", NULL, sf)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_EXPORTS, "security-force-without-hrddp", NULL,
			sf && hrddp[0] == '\0')) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_EXP_RECIPIENT, f[PKI_COL_RECIPIENT], type, 1)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_EXP_ARRANGEMENT, arr[0] != '\0' ? arr : "none",
			arr[0] != '\0' ? arrangement_label(c, arr, buf, sizeof(buf)) : NULL, 1)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_EXP_HRDDP, hrddp[0] != '\0' ? hrddp : "none",
			hrddp[0] != '\0' ? arrangement_label(c, hrddp, buf, sizeof(buf)) : NULL,
			1)) < 0)
		return rc;
	/* Originator control: the consent travels in the reference column. */
	if (p == NULL || !p->l.originator_control)
		return 0;
	if ((rc = pki_rcount(c, PKI_RS_CONSENTS, "originator-control-exports", NULL, 1)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_CONSENTS, "with-consent", NULL, consent[0] != '\0')) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_CONSENTS, "without-consent", NULL, consent[0] == '\0')) < 0)
		return rc;
	if (consent[0] == '\0')
		return 0;
	return pki_rcount(c, PKI_RS_CONSENT_REF, consent,
			  arrangement_label(c, consent, buf, sizeof(buf)), 1);
}

static int dissemination(struct pki_rctx *c, const char *const *f, const char *action, time_t t)
{
	char month[8];
	int rc;

	pki_rmonth(t, month);
	if ((rc = pki_rcount(c, PKI_RS_DISS, "total", NULL, 1)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_DISS, strcmp(action, "share") == 0 ? "inside" : "outside",
			NULL, 1)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_DISS_TYPE, recipient_type(c, f[PKI_COL_RECIPIENT]), NULL, 1)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_DISS_MEDIUM, pki_report_medium(f), NULL, 1)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_DISS_AUTHORITY, authority_key(f[PKI_COL_AUTHORITY]), NULL, 1)) < 0)
		return rc;
	return pki_rcount(c, PKI_RS_DISS_MONTH, month, NULL, 1);
}

/* What a row says of its product, whatever its time. */
static void follow(struct pki_rctx *c, struct pki_rprod *p, const char *const *f,
		   const char *action, time_t t)
{
	bool origin = strcmp(action, "classify") == 0 || strcmp(action, "receive") == 0;

	if (origin && p->origin == 0)
		p->origin = t;
	if ((origin || strcmp(action, "reclassify") == 0 || strcmp(action, "review") == 0 ||
	     strcmp(action, "relabel") == 0 || strcmp(action, "share") == 0) && p->undss == 0 &&
	    (strcmp(action, "share") == 0 ? is_undss(c, f[PKI_COL_RECIPIENT])
					   : list_has_undss(c, f[PKI_COL_RECIPIENT])))
		p->undss = t;
	if ((strcmp(action, "review") == 0 || strcmp(action, "reclassify") == 0) &&
	    t > p->reviewed)
		p->reviewed = t;
	if (strcmp(action, "archive") == 0)
		p->archived = true;
}

static int on_row(void *arg, const char *const *f)
{
	struct pki_rctx *c = arg;
	struct pki_rprod *p = product_find(c, f[PKI_COL_PRODUCT]);
	const char *action = f[PKI_COL_ACTION];
	time_t t;
	int rc = 0;

	c->rows++;
	if (pki_time_parse("time", f[PKI_COL_TIME], &t) < 0) {
		pki_error_clear();
		return 0;	/* the audit names it */
	}
	if (p != NULL)
		follow(c, p, f, action, t);
	if (!pki_rin_window(c, t))
		return 0;
	c->rows_in++;
	if ((rc = pki_rcount(c, PKI_RS_ACTIONS, action, NULL, 1)) < 0)
		return rc;
	if (strcmp(action, "receive") == 0)
		rc = pki_rcount(c, PKI_RS_RECEIPTS, p != NULL && p->l.received ? p->l.originator : "unknown",
			   NULL, 1);
	else if (strcmp(action, "share") == 0)
		rc = dissemination(c, f, action, t);
	else if (strcmp(action, "export") == 0 && (rc = dissemination(c, f, action, t)) == 0)
		rc = export_row(c, f, p);
	else if (strcmp(action, "revoke") == 0)
		rc = pki_rcount(c, PKI_RS_DISS, "revocations", NULL, 1);
	return rc;
}

int pki_report_read_registry(struct pki_rctx *c)
{
	struct pki_registry_filter all = { NULL, NULL, 0, 0 };
	int rc;

	if ((rc = pki_registry_scan(c->r, &all, on_row, c)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_SOURCES, "registry-rows", NULL, (long long)c->rows)) < 0)
		return rc;
	return pki_rcount(c, PKI_RS_SOURCES, "registry-rows-in-period", NULL, (long long)c->rows_in);
}
