/* report-products.c: pki-report's figures on the products of the window
 * (level, criterion, kind, entity, month, the classified share, policy
 * 11.2.1), their way to UNDSS (11.3.2), the requirements they answer
 * (requirements.csv), and the work overdue as of now: reviews
 * (11.2.1), transfers (11.5.1), requirements' and arrangements' reviews.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "error.h"
#include "ir.h"
#include "label.h"
#include "matrix.h"
#include "report-int.h"
#include "vocab.h"

static int product(struct pki_rctx *c, const struct pki_rprod *p)
{
	const struct pki_label *l = &p->l;
	const struct pki_principal *who;
	struct pki_product_id id;
	char month[8], code[2] = { l->criterion, '\0' };
	int rc;

	pki_rmonth(l->created, month);
	if ((rc = pki_rcount(c, PKI_RS_PRODUCTS, "total", NULL, 1)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_PRODUCTS, "classified", NULL,
			l->level != PKI_LEVEL_UNCLASSIFIED)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_PRODUCTS, "originated", NULL, !l->received)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_PRODUCTS, "received", NULL, l->received)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_PRODUCTS, "safety", NULL, l->safety)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_PRODUCTS, "originator-control", NULL, l->originator_control)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_PRODUCTS, "disposed", NULL, l->disposed != 0)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_LEVEL, pki_level_name(l->level), NULL, 1)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_KIND, pki_kind_name(l->kind), NULL, 1)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_MONTH, month, NULL, 1)) < 0)
		return rc;
	if (l->criterion != 0 &&
	    (rc = pki_rcount(c, PKI_RS_CRITERION, code, pki_criterion_name(l->criterion), 1)) < 0)
		return rc;
	/* The entity of its originator, or of who registered it (the
	 * matrix at the tip), else the one its ID names. */
	if ((who = pki_matrix_find(&c->m, l->received ? l->registrar : l->originator)) != NULL)
		return pki_rcount(c, PKI_RS_ENTITY, who->entity, NULL, 1);
	if (pki_product_id_parse(l->id, &id) < 0) {
		pki_error_clear();
		return pki_rcount(c, PKI_RS_ENTITY, "unknown", NULL, 1);
	}
	return pki_rcount(c, PKI_RS_ENTITY, id.entity, NULL, 1);
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One product's hours to UNDSS: "" when none has it yet. */
static int hours_item(struct pki_rctx *c, const char *id, const char *text)
{
	struct pki_report_item *it;

	if ((it = pki_report_append(pki_rsec(c, PKI_RS_SAFETY_UNDSS), id, NULL)) == NULL)
		return -PKI_EINTERNAL;
	if ((it->text = strdup(text)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "report");
	return 0;
}

/* Safety products of the window and the hours each took to reach a
 * undss principal (policy 11.3.2): from its filing to the first row that
 * put one on its list. */
static int safety(struct pki_rctx *c)
{
	double *hours, h;
	char text[32];
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
			rc = hours_item(c, c->p[i].l.id, "");
			continue;
		}
		h = c->p[i].undss > from ? (double)(c->p[i].undss - from) / 3600.0 : 0.0;
		hours[n++] = h;
		snprintf(text, sizeof(text), "%.1f", h);
		rc = hours_item(c, c->p[i].l.id, text);
	}
	if (rc == 0 && n > 0)
		qsort(hours, n, sizeof(*hours), by_double);
	if (rc == 0 && (rc = pki_rcount(c, PKI_RS_SAFETY, "products", NULL, (long long)total)) == 0 &&
	    (rc = pki_rcount(c, PKI_RS_SAFETY, "reached-undss", NULL, (long long)n)) == 0 &&
	    (rc = pki_rcount(c, PKI_RS_SAFETY, "not-reached", NULL, (long long)(total - n))) == 0 &&
	    (rc = pki_rdecimal(c, PKI_RS_SAFETY, "median-hours",
			  n == 0 ? 0.0 : n % 2 ? hours[n / 2]
				 : (hours[n / 2 - 1] + hours[n / 2]) / 2)) == 0)
		rc = pki_rdecimal(c, PKI_RS_SAFETY, "longest-hours", n == 0 ? 0.0 : hours[n - 1]);
	free(hours);
	return rc;
}

int pki_report_products(struct pki_rctx *c)
{
	static const char *const levels[] = {
		"unclassified", "confidential", "strictly-confidential", NULL
	};
	static const char *const kinds[] = { "product", "plan", "ir", "material", NULL };
	static const char *const keys[] = {
		"total", "classified", "classified-percent", "originated", "received",
		"safety", "originator-control", "disposed", NULL
	};
	const struct pki_report_item *total, *classified;
	size_t i;
	int rc;

	if ((rc = pki_rseed(c, PKI_RS_PRODUCTS, keys)) < 0 ||
	    (rc = pki_rseed(c, PKI_RS_LEVEL, levels)) < 0 ||
	    (rc = pki_rseed(c, PKI_RS_KIND, kinds)) < 0)
		return rc;
	for (i = 0; i < c->np && rc == 0; i++) {
		c->p[i].in = pki_rin_window(c, c->p[i].l.created);
		if (c->p[i].in)
			rc = product(c, &c->p[i]);
	}
	if (rc < 0)
		return rc;
	/* Classification is the exception (policy 11.2.1): its share. */
	total = pki_report_count(pki_rsec(c, PKI_RS_PRODUCTS), "total", NULL, 0);
	classified = pki_report_count(pki_rsec(c, PKI_RS_PRODUCTS), "classified", NULL, 0);
	if (total == NULL || classified == NULL)
		return -PKI_EINTERNAL;
	if ((rc = pki_rdecimal(c, PKI_RS_PRODUCTS, "classified-percent",
			  total->n == 0 ? 0.0 : 100.0 * (double)classified->n / (double)total->n)) < 0)
		return rc;
	pki_report_sort(pki_rsec(c, PKI_RS_CRITERION));
	pki_report_sort(pki_rsec(c, PKI_RS_ENTITY));
	pki_report_sort(pki_rsec(c, PKI_RS_MONTH));
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
int pki_report_coverage(struct pki_rctx *c)
{
	static const char *const keys[] = {
		"total", "open", "closed", "covered", "uncovered", NULL
	};
	const char *ir;
	size_t i, k;
	bool covered;
	int rc;

	if ((rc = pki_rseed(c, PKI_RS_REQ, keys)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_SOURCES, "requirements", c->req_present ? NULL : "no table",
			     (long long)c->req.n)) < 0)
		return rc;
	for (i = 0; i < c->req.n && rc == 0; i++) {
		ir = c->req.v[i].ir;
		if ((rc = pki_rcount(c, PKI_RS_REQ, "total", NULL, 1)) < 0)
			break;
		if (!c->req.v[i].open) {
			rc = pki_rcount(c, PKI_RS_REQ, "closed", NULL, 1);
			continue;
		}
		for (k = 0, covered = false; k < c->np && !covered; k++)
			covered = c->p[k].in && c->p[k].l.kind != PKI_KIND_IR &&
				  answers(&c->p[k].l, ir);
		if ((rc = pki_rcount(c, PKI_RS_REQ, "open", NULL, 1)) < 0 ||
		    (rc = pki_rcount(c, PKI_RS_REQ, covered ? "covered" : "uncovered", NULL, 1)) < 0)
			break;
		if (!covered) {
			struct pki_report_item *it;

			if ((it = pki_report_append(pki_rsec(c, PKI_RS_REQ_UNCOVERED), ir, NULL)) == NULL)
				return -PKI_EINTERNAL;
			it->n = c->req.v[i].priority;
		}
	}
	if (rc == 0)
		pki_report_sort(pki_rsec(c, PKI_RS_REQ_UNCOVERED));
	return rc;
}

/* --- overdue work, as of the report's time --- */

/* Half-years ended by then whose products are not all transferred
 * (policy 11.5.1), and products past their review date neither reviewed
 * nor reclassified since (policy 11.2.1), as pki-audit's A701 and A702
 * judge them; open requirements and arrangements past their review. */
int pki_report_overdue(struct pki_rctx *c)
{
	static const char *const keys[] = {
		"reviews", "transfer-periods", "transfer-products", "requirement-reviews",
		"arrangement-reviews", NULL
	};
	const struct pki_report_section *x = pki_rsec(c, PKI_RS_OVERDUE_XFER);
	struct pki_period per;
	char name[PKI_PERIOD_LEN];
	time_t at = c->o->at, start, end, due, until;
	size_t i;
	int rc;

	if ((rc = pki_rseed(c, PKI_RS_OVERDUE, keys)) < 0)
		return rc;
	for (i = 0; i < c->np && rc == 0; i++) {
		const struct pki_rprod *p = &c->p[i];

		if (p->l.review != 0 && p->l.review <= at &&
		    !(p->reviewed >= p->l.review && p->reviewed <= at) &&
		    (rc = pki_rcount(c, PKI_RS_OVERDUE, "reviews", NULL, 1)) < 0)
			break;
		if (p->origin == 0 || p->archived)
			continue;
		pki_period_of(p->origin, &per);
		pki_period_bounds(&per, &start, &end);
		if (end > at)
			continue;
		pki_period_format(&per, name);
		if ((rc = pki_rcount(c, PKI_RS_OVERDUE, "transfer-products", NULL, 1)) == 0)
			rc = pki_rcount(c, PKI_RS_OVERDUE_XFER, name, NULL, 1);
	}
	if (rc < 0)
		return rc;
	pki_report_sort(pki_rsec(c, PKI_RS_OVERDUE_XFER));
	if ((rc = pki_rcount(c, PKI_RS_OVERDUE, "transfer-periods", NULL, (long long)x->n)) < 0)
		return rc;
	/* The audit's A705 judgement (pki-ir(1)). */
	for (i = 0; i < c->req.n && rc == 0; i++)
		if (pki_ir_due(&c->req.v[i], at))
			rc = pki_rcount(c, PKI_RS_OVERDUE, "requirement-reviews", NULL, 1);
	for (i = 0; i < pki_rtable_rows(&c->arr) && rc == 0; i++) {
		due = pki_report_date(pki_rtable_get(&c->arr, i, PKI_ARR_REVIEW));
		until = pki_report_date(pki_rtable_get(&c->arr, i, PKI_ARR_UNTIL));
		if (due != 0 && due <= at && (until == 0 || until > at))
			rc = pki_rcount(c, PKI_RS_OVERDUE, "arrangement-reviews", NULL, 1);
	}
	return rc;
}
