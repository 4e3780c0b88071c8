/* report.c: pki-report's sections, computed from the tip without
 * decrypting anything (policy 14.3, 27, 13.1.2): the labels (level,
 * criterion, kind, safety), the registry (receipts, disseminations,
 * exports, the first share to UNDSS, reviews, transfers), the access
 * matrix (recipient types, UNDSS principals), the optional tables of
 * report-tables.c, and the audit's findings.
 *
 * Products are counted when their label says they were created in the
 * window, rows when their time is in it; overdue work is judged over
 * everything, as of the report's time, as the audit judges it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "error.h"
#include "label.h"
#include "matrix.h"
#include "paths.h"
#include "product.h"
#include "registry.h"
#include "repo.h"
#include "report-int.h"
#include "rows.h"
#include "vocab.h"
#include "archive.h"

#define MATRIX_MAX (16 * 1024 * 1024)

enum sec {
	S_SOURCES, S_PRODUCTS, S_LEVEL, S_CRITERION, S_KIND, S_ENTITY, S_MONTH,
	S_RECEIPTS, S_ACTIONS, S_DISS, S_DISS_TYPE, S_DISS_MEDIUM, S_DISS_AUTHORITY,
	S_DISS_MONTH, S_EXPORTS, S_EXP_RECIPIENT, S_EXP_ARRANGEMENT, S_EXP_HRDDP,
	S_CONSENTS, S_CONSENT_REF, S_SAFETY, S_SAFETY_UNDSS, S_REQ, S_REQ_UNCOVERED,
	S_OVERDUE, S_OVERDUE_XFER, S_AUDIT, S_AUDIT_CODE, S_N
};

/* The sections, in the order every format writes them (pki-report(1)). */
static const struct {
	const char *name, *title;
} sections[S_N] = {
	[S_SOURCES] = { "sources", "What was read" },
	[S_PRODUCTS] = { "products", "Products" },
	[S_LEVEL] = { "products-by-level", "Products by level" },
	[S_CRITERION] = { "products-by-criterion", "Classified products by criterion" },
	[S_KIND] = { "products-by-kind", "Products by kind" },
	[S_ENTITY] = { "products-by-entity", "Products by entity" },
	[S_MONTH] = { "products-by-month", "Products by month" },
	[S_RECEIPTS] = { "receipts-by-origin", "Receipts by origin" },
	[S_ACTIONS] = { "rows-by-action", "Registry rows by action" },
	[S_DISS] = { "disseminations", "Disseminations" },
	[S_DISS_TYPE] = { "disseminations-by-recipient-type", "Disseminations by recipient type" },
	[S_DISS_MEDIUM] = { "disseminations-by-medium", "Disseminations by medium" },
	[S_DISS_AUTHORITY] = { "disseminations-by-authority", "Disseminations by authority" },
	[S_DISS_MONTH] = { "disseminations-by-month", "Disseminations by month" },
	[S_EXPORTS] = { "exports", "Exports outside the mission" },
	[S_EXP_RECIPIENT] = { "exports-by-recipient", "Exports by recipient" },
	[S_EXP_ARRANGEMENT] = { "exports-by-arrangement", "Exports by arrangement" },
	[S_EXP_HRDDP] = { "exports-by-hrddp", "Exports by HRDDP risk assessment" },
	[S_CONSENTS] = { "consents", "Originator-control consents" },
	[S_CONSENT_REF] = { "consents-by-reference", "Exports by consent" },
	[S_SAFETY] = { "safety", "Safety products" },
	[S_SAFETY_UNDSS] = { "safety-to-undss", "Hours from filing to UNDSS" },
	[S_REQ] = { "requirements", "Requirements" },
	[S_REQ_UNCOVERED] = { "requirements-uncovered", "Open requirements nothing answered (priority)" },
	[S_OVERDUE] = { "overdue", "Overdue work" },
	[S_OVERDUE_XFER] = { "overdue-transfers", "Products not transferred, by half-year" },
	[S_AUDIT] = { "audit", "Audit" },
	[S_AUDIT_CODE] = { "audit-by-code", "Audit findings by code" },
};

/* A product at the tip, with what the registry says of it. */
struct rprod {
	struct pki_label l;
	time_t origin;		/* its classify or receive row; 0: none */
	time_t undss;		/* first reached a undss principal; 0: never */
	time_t reviewed;	/* its latest review or reclassify row */
	bool archived;
	bool in;		/* created in the window */
};

struct ctx {
	struct pki_repo *r;
	struct pki_report *rep;
	const struct pki_report_opts *o;
	struct rprod *p;
	size_t np, capp;
	struct pki_matrix m;
	struct pki_rtable arr, req;
	size_t rows, rows_in;
};

static struct pki_report_section *sec(struct ctx *c, enum sec s)
{
	return &c->rep->s[s];
}

/* --- items --- */

struct pki_report_item *pki_report_count(struct pki_report_section *s, const char *key,
					 const char *label, long long add)
{
	struct pki_report_item *it, *grown;
	size_t i;

	for (i = s->n; i-- > 0;)
		if (strcmp(s->v[i].key, key) == 0) {
			s->v[i].n += add;
			return &s->v[i];
		}
	if ((grown = pki_row_grow(s->v, s->n, &s->cap, sizeof(*grown))) == NULL)
		goto oom;
	s->v = grown;
	it = &grown[s->n];
	memset(it, 0, sizeof(*it));
	if ((it->key = strdup(key)) == NULL ||
	    (label != NULL && (it->label = strdup(label)) == NULL)) {
		free(it->key);
		goto oom;
	}
	it->n = add;
	s->n++;
	return it;
oom:
	pki_error_errno(PKI_EINTERNAL, "report");
	return NULL;
}

int pki_report_text_item(struct pki_report_section *s, const char *key, const char *label,
			 const char *text)
{
	struct pki_report_item *it;

	if ((it = pki_report_count(s, key, label, 0)) == NULL)
		return -PKI_EINTERNAL;
	free(it->text);
	if ((it->text = strdup(text)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "report");
	return 0;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct pki_report_item *)a)->key,
		      ((const struct pki_report_item *)b)->key);
}

void pki_report_sort(struct pki_report_section *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), by_key);
}

static int count(struct ctx *c, enum sec s, const char *key, const char *label, long long add)
{
	return pki_report_count(sec(c, s), key, label, add) != NULL ? 0 : -PKI_EINTERNAL;
}

/* Keys every report shows, counted or not: zeros say "none" plainly. */
static int seed(struct ctx *c, enum sec s, const char *const *keys)
{
	int rc = 0;

	for (; *keys != NULL && rc == 0; keys++)
		rc = count(c, s, *keys, NULL, 0);
	return rc;
}

static int decimal(struct ctx *c, enum sec s, const char *key, double v)
{
	char text[32];

	snprintf(text, sizeof(text), "%.1f", v);
	return pki_report_text_item(sec(c, s), key, NULL, text);
}

static bool in_window(const struct ctx *c, time_t t)
{
	return t >= c->o->since && (c->o->until == 0 || t < c->o->until);
}

static void month_of(time_t t, char out[8])
{
	char date[PKI_DATE_LEN];

	pki_date_format(t, date);
	snprintf(out, 8, "%.7s", date);
}

/* --- the products: the labels at the tip --- */

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct rprod *)a)->l.id, ((const struct rprod *)b)->l.id);
}

static struct rprod *product_find(struct ctx *c, const char *id)
{
	struct rprod key;

	key.l.id = (char *)id;
	return c->np > 0 ? bsearch(&key, c->p, c->np, sizeof(*c->p), by_id) : NULL;
}

/* A label that does not read is counted, not fatal: the audit names it. */
static int read_label(struct ctx *c, const char *id, size_t *bad)
{
	struct rprod *grown;
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

static int read_bucket(struct ctx *c, const char *bucket, size_t *bad)
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

static int read_labels(struct ctx *c)
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
	if (rc == 0 && (rc = count(c, S_SOURCES, "labels", NULL, (long long)c->np)) == 0)
		rc = count(c, S_SOURCES, "labels-unreadable", NULL, (long long)bad);
out:
	pki_strv_free(buckets);
	return rc;
}

/* --- the access matrix at the tip --- */

static int read_matrix(struct ctx *c)
{
	struct pki_buf b = PKI_BUF_INIT;
	int rc;

	if ((rc = pki_repo_read(c->r, PKI_MATRIX_FILE, MATRIX_MAX, &b)) == 0)
		rc = pki_matrix_parse(&c->m, b.ptr, b.len);
	pki_buf_release(&b);
	if (rc == 0)
		rc = count(c, S_SOURCES, "principals", NULL, (long long)c->m.n);
	return rc;
}

static bool is_undss(const struct ctx *c, const char *name)
{
	const struct pki_principal *p = pki_matrix_find(&c->m, name);

	return p != NULL && p->role == PKI_ROLE_UNDSS;
}

/* Does a ';'-separated list name a undss principal? */
static bool list_has_undss(const struct ctx *c, const char *list)
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

static const char *recipient_type(const struct ctx *c, const char *name)
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
static const char *arrangement_label(struct ctx *c, const char *id, char *buf, size_t size)
{
	long row = pki_rtable_find(&c->arr, id);

	if (row < 0)
		return NULL;
	snprintf(buf, size, "%s %s", pki_rtable_get(&c->arr, (size_t)row, PKI_ARR_KIND),
		 pki_rtable_get(&c->arr, (size_t)row, PKI_ARR_PARTNER));
	return buf;
}

static int export_row(struct ctx *c, const char *const *f, const struct rprod *p)
{
	const char *arr = f[PKI_COL_ARRANGEMENT], *hrddp = f[PKI_COL_HRDDP];
	const char *consent = f[PKI_COL_REFERENCE], *type = recipient_type(c, f[PKI_COL_RECIPIENT]);
	bool sf = strcmp(type, "security-force") == 0;
	char buf[256];
	int rc;

	if ((rc = count(c, S_EXPORTS, "total", NULL, 1)) < 0 ||
	    (rc = count(c, S_EXPORTS, "with-arrangement", NULL, arr[0] != '\0')) < 0 ||
	    (rc = count(c, S_EXPORTS, "with-hrddp", NULL, hrddp[0] != '\0')) < 0 ||
	    (rc = count(c, S_EXPORTS, "to-security-force", NULL, sf)) < 0 ||
	    (rc = count(c, S_EXPORTS, "security-force-without-hrddp", NULL,
			sf && hrddp[0] == '\0')) < 0 ||
	    (rc = count(c, S_EXP_RECIPIENT, f[PKI_COL_RECIPIENT], type, 1)) < 0 ||
	    (rc = count(c, S_EXP_ARRANGEMENT, arr[0] != '\0' ? arr : "none",
			arr[0] != '\0' ? arrangement_label(c, arr, buf, sizeof(buf)) : NULL, 1)) < 0 ||
	    (rc = count(c, S_EXP_HRDDP, hrddp[0] != '\0' ? hrddp : "none",
			hrddp[0] != '\0' ? arrangement_label(c, hrddp, buf, sizeof(buf)) : NULL,
			1)) < 0)
		return rc;
	/* Originator control: the consent travels in the reference column. */
	if (p == NULL || !p->l.originator_control)
		return 0;
	if ((rc = count(c, S_CONSENTS, "originator-control-exports", NULL, 1)) < 0 ||
	    (rc = count(c, S_CONSENTS, "with-consent", NULL, consent[0] != '\0')) < 0 ||
	    (rc = count(c, S_CONSENTS, "without-consent", NULL, consent[0] == '\0')) < 0)
		return rc;
	if (consent[0] == '\0')
		return 0;
	return count(c, S_CONSENT_REF, consent, arrangement_label(c, consent, buf, sizeof(buf)), 1);
}

static int dissemination(struct ctx *c, const char *const *f, const char *action, time_t t)
{
	char month[8];
	int rc;

	month_of(t, month);
	if ((rc = count(c, S_DISS, "total", NULL, 1)) < 0 ||
	    (rc = count(c, S_DISS, strcmp(action, "share") == 0 ? "inside" : "outside",
			NULL, 1)) < 0 ||
	    (rc = count(c, S_DISS_TYPE, recipient_type(c, f[PKI_COL_RECIPIENT]), NULL, 1)) < 0 ||
	    (rc = count(c, S_DISS_MEDIUM, pki_report_medium(f), NULL, 1)) < 0 ||
	    (rc = count(c, S_DISS_AUTHORITY, authority_key(f[PKI_COL_AUTHORITY]), NULL, 1)) < 0)
		return rc;
	return count(c, S_DISS_MONTH, month, NULL, 1);
}

/* What a row says of its product, whatever its time. */
static void follow(struct ctx *c, struct rprod *p, const char *const *f, const char *action,
		   time_t t)
{
	bool origin = strcmp(action, "classify") == 0 || strcmp(action, "receive") == 0;

	if (origin && p->origin == 0)
		p->origin = t;
	if ((origin || strcmp(action, "reclassify") == 0 || strcmp(action, "review") == 0 ||
	     strcmp(action, "share") == 0) && p->undss == 0 &&
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
	struct ctx *c = arg;
	struct rprod *p = product_find(c, f[PKI_COL_PRODUCT]);
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
	if (!in_window(c, t))
		return 0;
	c->rows_in++;
	if ((rc = count(c, S_ACTIONS, action, NULL, 1)) < 0)
		return rc;
	if (strcmp(action, "receive") == 0)
		rc = count(c, S_RECEIPTS, p != NULL && p->l.received ? p->l.originator : "unknown",
			   NULL, 1);
	else if (strcmp(action, "share") == 0)
		rc = dissemination(c, f, action, t);
	else if (strcmp(action, "export") == 0 && (rc = dissemination(c, f, action, t)) == 0)
		rc = export_row(c, f, p);
	else if (strcmp(action, "revoke") == 0)
		rc = count(c, S_DISS, "revocations", NULL, 1);
	return rc;
}

static int read_registry(struct ctx *c)
{
	struct pki_registry_filter all = { NULL, NULL, 0, 0 };
	int rc;

	if ((rc = pki_registry_scan(c->r, &all, on_row, c)) < 0 ||
	    (rc = count(c, S_SOURCES, "registry-rows", NULL, (long long)c->rows)) < 0)
		return rc;
	return count(c, S_SOURCES, "registry-rows-in-period", NULL, (long long)c->rows_in);
}

/* --- products --- */

static int product(struct ctx *c, const struct rprod *p)
{
	const struct pki_label *l = &p->l;
	const struct pki_principal *who;
	struct pki_product_id id;
	char month[8], code[2] = { l->criterion, '\0' };
	int rc;

	month_of(l->created, month);
	if ((rc = count(c, S_PRODUCTS, "total", NULL, 1)) < 0 ||
	    (rc = count(c, S_PRODUCTS, "classified", NULL,
			l->level != PKI_LEVEL_UNCLASSIFIED)) < 0 ||
	    (rc = count(c, S_PRODUCTS, "originated", NULL, !l->received)) < 0 ||
	    (rc = count(c, S_PRODUCTS, "received", NULL, l->received)) < 0 ||
	    (rc = count(c, S_PRODUCTS, "safety", NULL, l->safety)) < 0 ||
	    (rc = count(c, S_PRODUCTS, "originator-control", NULL, l->originator_control)) < 0 ||
	    (rc = count(c, S_LEVEL, pki_level_name(l->level), NULL, 1)) < 0 ||
	    (rc = count(c, S_KIND, pki_kind_name(l->kind), NULL, 1)) < 0 ||
	    (rc = count(c, S_MONTH, month, NULL, 1)) < 0)
		return rc;
	if (l->criterion != 0 &&
	    (rc = count(c, S_CRITERION, code, pki_criterion_name(l->criterion), 1)) < 0)
		return rc;
	/* The entity of its originator, or of who registered it (the
	 * matrix at the tip), else the one its ID names. */
	if ((who = pki_matrix_find(&c->m, l->received ? l->registrar : l->originator)) != NULL)
		return count(c, S_ENTITY, who->entity, NULL, 1);
	if (pki_product_id_parse(l->id, &id) < 0) {
		pki_error_clear();
		return count(c, S_ENTITY, "unknown", NULL, 1);
	}
	return count(c, S_ENTITY, id.entity, NULL, 1);
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Safety products of the window and the hours each took to reach a
 * undss principal (policy 11.3.2): from its filing to the first row that
 * put one on its list. */
static int safety(struct ctx *c)
{
	double *hours, h;
	size_t i, n = 0, total = 0;
	time_t from;
	int rc = 0;

	if ((hours = calloc(c->np + 1, sizeof(*hours))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "report");
	for (i = 0; i < c->np && rc == 0; i++) {
		if (!c->p[i].in || !c->p[i].l.safety)
			continue;
		total++;
		from = c->p[i].origin != 0 ? c->p[i].origin : c->p[i].l.created;
		if (c->p[i].undss == 0) {
			rc = pki_report_text_item(sec(c, S_SAFETY_UNDSS), c->p[i].l.id, NULL, "");
			continue;
		}
		h = c->p[i].undss > from ? (double)(c->p[i].undss - from) / 3600.0 : 0.0;
		hours[n++] = h;
		rc = decimal(c, S_SAFETY_UNDSS, c->p[i].l.id, h);
	}
	if (rc == 0 && n > 0)
		qsort(hours, n, sizeof(*hours), by_double);
	if (rc == 0 && (rc = count(c, S_SAFETY, "products", NULL, (long long)total)) == 0 &&
	    (rc = count(c, S_SAFETY, "reached-undss", NULL, (long long)n)) == 0 &&
	    (rc = count(c, S_SAFETY, "not-reached", NULL, (long long)(total - n))) == 0 &&
	    (rc = decimal(c, S_SAFETY, "median-hours",
			  n == 0 ? 0.0 : n % 2 ? hours[n / 2]
				 : (hours[n / 2 - 1] + hours[n / 2]) / 2)) == 0)
		rc = decimal(c, S_SAFETY, "longest-hours", n == 0 ? 0.0 : hours[n - 1]);
	free(hours);
	return rc;
}

static int products(struct ctx *c)
{
	static const char *const levels[] = {
		"unclassified", "confidential", "strictly-confidential", NULL
	};
	static const char *const kinds[] = { "product", "plan", "ir", "material", NULL };
	static const char *const keys[] = {
		"total", "classified", "classified-percent", "originated", "received",
		"safety", "originator-control", NULL
	};
	const struct pki_report_item *total, *classified;
	size_t i;
	int rc;

	if ((rc = seed(c, S_PRODUCTS, keys)) < 0 || (rc = seed(c, S_LEVEL, levels)) < 0 ||
	    (rc = seed(c, S_KIND, kinds)) < 0)
		return rc;
	for (i = 0; i < c->np && rc == 0; i++) {
		c->p[i].in = in_window(c, c->p[i].l.created);
		if (c->p[i].in)
			rc = product(c, &c->p[i]);
	}
	if (rc < 0)
		return rc;
	/* Classification is the exception (policy 11.2.1): its share. */
	total = pki_report_count(sec(c, S_PRODUCTS), "total", NULL, 0);
	classified = pki_report_count(sec(c, S_PRODUCTS), "classified", NULL, 0);
	if (total == NULL || classified == NULL)
		return -PKI_EINTERNAL;
	if ((rc = decimal(c, S_PRODUCTS, "classified-percent",
			  total->n == 0 ? 0.0 : 100.0 * (double)classified->n / (double)total->n)) < 0)
		return rc;
	pki_report_sort(sec(c, S_CRITERION));
	pki_report_sort(sec(c, S_ENTITY));
	pki_report_sort(sec(c, S_MONTH));
	return safety(c);
}

/* --- requirements (requirements.csv, pki-ir) --- */

static bool answers(const struct pki_label *l, const char *ir)
{
	size_t i;

	for (i = 0; i < l->nir; i++)
		if (strcmp(l->ir[i], ir) == 0)
			return true;
	return false;
}

/* An open requirement is covered when a product of the window, other
 * than a requirement's own wording, cites it. */
static int requirements(struct ctx *c)
{
	static const char *const keys[] = {
		"total", "open", "closed", "covered", "uncovered", NULL
	};
	const char *ir, *status;
	size_t i, k;
	bool covered;
	int rc;

	if ((rc = seed(c, S_REQ, keys)) < 0 ||
	    (rc = count(c, S_SOURCES, "requirements", c->req.present ? NULL : "no table",
			(long long)pki_rtable_rows(&c->req))) < 0)
		return rc;
	for (i = 0; i < pki_rtable_rows(&c->req) && rc == 0; i++) {
		ir = pki_rtable_get(&c->req, i, PKI_IR_ID);
		status = pki_rtable_get(&c->req, i, PKI_IR_STATUS);
		if ((rc = count(c, S_REQ, "total", NULL, 1)) < 0)
			break;
		if (strcmp(status, "open") != 0) {
			rc = count(c, S_REQ, "closed", NULL, 1);
			continue;
		}
		for (k = 0, covered = false; k < c->np && !covered; k++)
			covered = c->p[k].in && c->p[k].l.kind != PKI_KIND_IR &&
				  answers(&c->p[k].l, ir);
		if ((rc = count(c, S_REQ, "open", NULL, 1)) < 0 ||
		    (rc = count(c, S_REQ, covered ? "covered" : "uncovered", NULL, 1)) < 0)
			break;
		if (!covered) {
			const char *prio = pki_rtable_get(&c->req, i, PKI_IR_PRIORITY);
			struct pki_report_item *it;

			if ((it = pki_report_count(sec(c, S_REQ_UNCOVERED), ir, NULL, 0)) == NULL)
				return -PKI_EINTERNAL;
			it->n = strtoll(prio, NULL, 10);
		}
	}
	if (rc == 0)
		pki_report_sort(sec(c, S_REQ_UNCOVERED));
	return rc;
}

/* --- overdue work, as of the report's time --- */

/* Half-years ended by then whose products are not all transferred
 * (policy 11.5.1), and products past their review date neither reviewed
 * nor reclassified since (policy 11.2.1), as pki-audit's A701 and A702
 * judge them; open requirements and arrangements past their review. */
static int overdue(struct ctx *c)
{
	static const char *const keys[] = {
		"reviews", "transfer-periods", "transfer-products", "requirement-reviews",
		"arrangement-reviews", NULL
	};
	const struct pki_report_section *x = sec(c, S_OVERDUE_XFER);
	struct pki_period per;
	char name[PKI_PERIOD_LEN];
	time_t at = c->o->at, start, end, due, until;
	size_t i;
	int rc;

	if ((rc = seed(c, S_OVERDUE, keys)) < 0)
		return rc;
	for (i = 0; i < c->np && rc == 0; i++) {
		const struct rprod *p = &c->p[i];

		if (p->l.review != 0 && p->l.review <= at &&
		    !(p->reviewed >= p->l.review && p->reviewed <= at) &&
		    (rc = count(c, S_OVERDUE, "reviews", NULL, 1)) < 0)
			break;
		if (p->origin == 0 || p->archived)
			continue;
		pki_period_of(p->origin, &per);
		pki_period_bounds(&per, &start, &end);
		if (end > at)
			continue;
		pki_period_format(&per, name);
		if ((rc = count(c, S_OVERDUE, "transfer-products", NULL, 1)) == 0)
			rc = count(c, S_OVERDUE_XFER, name, NULL, 1);
	}
	if (rc < 0)
		return rc;
	pki_report_sort(sec(c, S_OVERDUE_XFER));
	if ((rc = count(c, S_OVERDUE, "transfer-periods", NULL, (long long)x->n)) < 0)
		return rc;
	for (i = 0; i < pki_rtable_rows(&c->req) && rc == 0; i++) {
		due = pki_report_date(pki_rtable_get(&c->req, i, PKI_IR_REVIEW));
		if (strcmp(pki_rtable_get(&c->req, i, PKI_IR_STATUS), "open") == 0 &&
		    due != 0 && due <= at)
			rc = count(c, S_OVERDUE, "requirement-reviews", NULL, 1);
	}
	for (i = 0; i < pki_rtable_rows(&c->arr) && rc == 0; i++) {
		due = pki_report_date(pki_rtable_get(&c->arr, i, PKI_ARR_REVIEW));
		until = pki_report_date(pki_rtable_get(&c->arr, i, PKI_ARR_UNTIL));
		if (due != 0 && due <= at && (until == 0 || until > at))
			rc = count(c, S_OVERDUE, "arrangement-reviews", NULL, 1);
	}
	return rc;
}

/* --- the audit --- */

static int audit(struct ctx *c, struct pki_gpg *g)
{
	static const char *const keys[] = { "run", "errors", "warnings", "infos", "commits", NULL };
	struct pki_audit_opts ao = { NULL, NULL, c->o->at, 0 };
	struct pki_audit a = { 0 };
	size_t i;
	int rc;

	if ((rc = seed(c, S_AUDIT, keys)) < 0 || !c->o->audit)
		return rc;
	if ((rc = pki_audit_run(&a, c->r, g, &ao)) < 0)
		goto out;
	c->rep->audited = true;
	if ((rc = count(c, S_AUDIT, "run", NULL, 1)) < 0 ||
	    (rc = count(c, S_AUDIT, "errors", NULL, (long long)a.count[PKI_SEV_ERROR])) < 0 ||
	    (rc = count(c, S_AUDIT, "warnings", NULL, (long long)a.count[PKI_SEV_WARNING])) < 0 ||
	    (rc = count(c, S_AUDIT, "infos", NULL, (long long)a.count[PKI_SEV_INFO])) < 0 ||
	    (rc = count(c, S_AUDIT, "commits", NULL, (long long)a.commits)) < 0)
		goto out;
	for (i = 0; i < a.n && rc == 0; i++)
		rc = count(c, S_AUDIT_CODE, pki_audit_code(a.v[i].check),
			   pki_audit_name(a.v[i].check), 1);
	pki_report_sort(sec(c, S_AUDIT_CODE));
out:
	pki_audit_release(&a);
	return rc;
}

/* --- the report --- */

static int seed_all(struct ctx *c)
{
	static const char *const types[] = { "mission", "un", "non-un", "security-force", NULL };
	static const char *const media[] = { "file", "paper", "oral", "display", NULL };
	static const char *const diss[] = { "total", "inside", "outside", "revocations", NULL };
	static const char *const exports[] = {
		"total", "with-arrangement", "with-hrddp", "to-security-force",
		"security-force-without-hrddp", NULL
	};
	static const char *const consents[] = {
		"originator-control-exports", "with-consent", "without-consent", NULL
	};
	const char *action;
	int i, rc;

	/* Every action there is, so that "none" reads as 0. */
	for (i = 0; i < 64; i++) {
		action = pki_action_name((enum pki_action)i);
		if (action[0] == '(')
			break;
		if ((rc = count(c, S_ACTIONS, action, NULL, 0)) < 0)
			return rc;
	}
	if ((rc = seed(c, S_DISS, diss)) < 0 || (rc = seed(c, S_DISS_TYPE, types)) < 0 ||
	    (rc = seed(c, S_DISS_MEDIUM, media)) < 0 || (rc = seed(c, S_EXPORTS, exports)) < 0)
		return rc;
	return seed(c, S_CONSENTS, consents);
}

static int run(struct ctx *c, struct pki_gpg *g)
{
	int rc;

	if ((rc = read_labels(c)) < 0 || (rc = read_matrix(c)) < 0 ||
	    (rc = pki_report_arrangements(&c->arr, c->r)) < 0 ||
	    (rc = pki_report_requirements(&c->req, c->r)) < 0 ||
	    (rc = count(c, S_SOURCES, "arrangements", c->arr.present ? NULL : "no table",
			(long long)pki_rtable_rows(&c->arr))) < 0 ||
	    (rc = seed_all(c)) < 0 || (rc = read_registry(c)) < 0 || (rc = products(c)) < 0 ||
	    (rc = requirements(c)) < 0 || (rc = overdue(c)) < 0)
		return rc;
	pki_report_sort(sec(c, S_RECEIPTS));
	pki_report_sort(sec(c, S_ACTIONS));
	pki_report_sort(sec(c, S_DISS_AUTHORITY));
	pki_report_sort(sec(c, S_DISS_MONTH));
	pki_report_sort(sec(c, S_EXP_RECIPIENT));
	pki_report_sort(sec(c, S_EXP_ARRANGEMENT));
	pki_report_sort(sec(c, S_EXP_HRDDP));
	pki_report_sort(sec(c, S_CONSENT_REF));
	return audit(c, g);
}

int pki_report_run(struct pki_report *rep, struct pki_repo *r, struct pki_gpg *g,
		   const struct pki_report_opts *o)
{
	struct ctx c;
	size_t i;
	int rc;

	memset(rep, 0, sizeof(*rep));
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.rep = rep;
	c.o = o;
	rep->at = o->at;
	rep->since = o->since;
	rep->until = o->until;
	if (o->period != NULL)
		snprintf(rep->period, sizeof(rep->period), "%s", o->period);
	if ((rep->s = calloc(S_N, sizeof(*rep->s))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "report");
	rep->ns = S_N;
	for (i = 0; i < S_N; i++) {
		rep->s[i].name = sections[i].name;
		rep->s[i].title = sections[i].title;
	}
	if ((rc = pki_repo_conf_get(r, "mission.code", &rep->mission)) < 0 ||
	    (rc = pki_repo_conf_get(r, "mission.name", &rep->mission_name)) < 0 ||
	    (rc = pki_repo_tip(r, rep->tip)) < 0)
		goto out;
	if (rep->mission == NULL) {
		rc = pki_error(PKI_ECONFIG, "pki.conf names no mission.code");
		goto out;
	}
	rc = run(&c, g);
out:
	for (i = 0; i < c.np; i++)
		pki_label_release(&c.p[i].l);
	free(c.p);
	pki_matrix_release(&c.m);
	pki_rtable_release(&c.arr);
	pki_rtable_release(&c.req);
	return rc;
}

void pki_report_release(struct pki_report *rep)
{
	size_t i, k;

	for (i = 0; i < rep->ns; i++) {
		for (k = 0; k < rep->s[i].n; k++) {
			free(rep->s[i].v[k].key);
			free(rep->s[i].v[k].label);
			free(rep->s[i].v[k].text);
		}
		free(rep->s[i].v);
	}
	free(rep->s);
	free(rep->mission);
	free(rep->mission_name);
	memset(rep, 0, sizeof(*rep));
}

const struct pki_report_section *pki_report_section(const struct pki_report *rep,
						     const char *name)
{
	size_t i;

	for (i = 0; i < rep->ns; i++)
		if (strcmp(rep->s[i].name, name) == 0)
			return &rep->s[i];
	return NULL;
}
