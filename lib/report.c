/* report.c: pki-report's sections and items, and the order of the
 * passes: the labels and the matrix (report-rows.c), the optional tables
 * (report-tables.c), the registry (report-rows.c), the products, the
 * requirements and overdue work (report-products.c), then the audit,
 * run in-process.  Nothing is decrypted (policy 14.3, 27, 13.1.2).
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
#include "ir.h"
#include "product.h"
#include "repo.h"
#include "report-int.h"
#include "rows.h"
#include "vocab.h"

/* The sections, in the order every format writes them (pki-report(1)). */
static const struct {
	const char *name, *title;
} sections[PKI_RS_N] = {
	[PKI_RS_SOURCES] = { "sources", "What was read" },
	[PKI_RS_PRODUCTS] = { "products", "Products" },
	[PKI_RS_LEVEL] = { "products-by-level", "Products by level" },
	[PKI_RS_CRITERION] = { "products-by-criterion", "Classified products by criterion" },
	[PKI_RS_KIND] = { "products-by-kind", "Products by kind" },
	[PKI_RS_ENTITY] = { "products-by-entity", "Products by entity" },
	[PKI_RS_MONTH] = { "products-by-month", "Products by month" },
	[PKI_RS_RECEIPTS] = { "receipts-by-origin", "Receipts by origin" },
	[PKI_RS_ACTIONS] = { "rows-by-action", "Registry rows by action" },
	[PKI_RS_DISS] = { "disseminations", "Disseminations" },
	[PKI_RS_DISS_TYPE] = { "disseminations-by-recipient-type", "Disseminations by recipient type" },
	[PKI_RS_DISS_MEDIUM] = { "disseminations-by-medium", "Disseminations by medium" },
	[PKI_RS_DISS_AUTHORITY] = { "disseminations-by-authority", "Disseminations by authority" },
	[PKI_RS_DISS_MONTH] = { "disseminations-by-month", "Disseminations by month" },
	[PKI_RS_EXPORTS] = { "exports", "Exports outside the mission" },
	[PKI_RS_EXP_RECIPIENT] = { "exports-by-recipient", "Exports by recipient" },
	[PKI_RS_EXP_ARRANGEMENT] = { "exports-by-arrangement", "Exports by arrangement" },
	[PKI_RS_EXP_HRDDP] = { "exports-by-hrddp", "Exports by HRDDP risk assessment" },
	[PKI_RS_CONSENTS] = { "consents", "Originator-control consents" },
	[PKI_RS_CONSENT_REF] = { "consents-by-reference", "Exports by consent" },
	[PKI_RS_SAFETY] = { "safety", "Safety products" },
	[PKI_RS_SAFETY_UNDSS] = { "safety-to-undss", "Hours from filing to UNDSS" },
	[PKI_RS_REQ] = { "requirements", "Requirements" },
	[PKI_RS_REQ_UNCOVERED] = { "requirements-uncovered",
				   "Open requirements nothing answered (priority)" },
	[PKI_RS_OVERDUE] = { "overdue", "Overdue work" },
	[PKI_RS_OVERDUE_XFER] = { "overdue-transfers", "Products not transferred, by half-year" },
	[PKI_RS_AUDIT] = { "audit", "Audit" },
	[PKI_RS_AUDIT_CODE] = { "audit-by-code", "Audit findings by code" },
};

struct pki_report_section *pki_rsec(struct pki_rctx *c, enum pki_rsec s)
{
	return &c->rep->s[s];
}

/* --- items --- */

struct pki_report_item *pki_report_append(struct pki_report_section *s, const char *key,
					  const char *label)
{
	struct pki_report_item *it, *grown;

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
	s->n++;
	return it;
oom:
	pki_error_errno(PKI_EINTERNAL, "report");
	return NULL;
}

struct pki_report_item *pki_report_count(struct pki_report_section *s, const char *key,
					 const char *label, long long add)
{
	struct pki_report_item *it;
	size_t i;

	for (i = s->n; i-- > 0;)
		if (strcmp(s->v[i].key, key) == 0) {
			s->v[i].n += add;
			return &s->v[i];
		}
	if ((it = pki_report_append(s, key, label)) != NULL)
		it->n = add;
	return it;
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

int pki_rcount(struct pki_rctx *c, enum pki_rsec s, const char *key, const char *label,
	       long long add)
{
	return pki_report_count(pki_rsec(c, s), key, label, add) != NULL ? 0 : -PKI_EINTERNAL;
}

/* Keys every report shows, counted or not: zeros say "none" plainly. */
int pki_rseed(struct pki_rctx *c, enum pki_rsec s, const char *const *keys)
{
	int rc = 0;

	for (; *keys != NULL && rc == 0; keys++)
		rc = pki_rcount(c, s, *keys, NULL, 0);
	return rc;
}

int pki_rdecimal(struct pki_rctx *c, enum pki_rsec s, const char *key, double v)
{
	char text[32];

	snprintf(text, sizeof(text), "%.1f", v);
	return pki_report_text_item(pki_rsec(c, s), key, NULL, text);
}

bool pki_rin_window(const struct pki_rctx *c, time_t t)
{
	return t >= c->o->since && (c->o->until == 0 || t < c->o->until);
}

void pki_rmonth(time_t t, char out[8])
{
	char date[PKI_DATE_LEN];

	pki_date_format(t, date);
	snprintf(out, 8, "%.7s", date);
}

/* --- the audit --- */

static int audit(struct pki_rctx *c, struct pki_gpg *g)
{
	static const char *const keys[] = { "run", "errors", "warnings", "infos", "commits", NULL };
	struct pki_audit_opts ao = { .at = c->o->at };	/* the whole history */
	struct pki_audit a = { 0 };
	size_t i;
	int rc;

	if ((rc = pki_rseed(c, PKI_RS_AUDIT, keys)) < 0 || !c->o->audit)
		return rc;
	if ((rc = pki_audit_run(&a, c->r, g, &ao)) < 0)
		goto out;
	c->rep->audited = true;
	if ((rc = pki_rcount(c, PKI_RS_AUDIT, "run", NULL, 1)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_AUDIT, "errors", NULL, (long long)a.count[PKI_SEV_ERROR])) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_AUDIT, "warnings", NULL,
			     (long long)a.count[PKI_SEV_WARNING])) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_AUDIT, "infos", NULL, (long long)a.count[PKI_SEV_INFO])) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_AUDIT, "commits", NULL, (long long)a.commits)) < 0)
		goto out;
	for (i = 0; i < a.n && rc == 0; i++)
		rc = pki_rcount(c, PKI_RS_AUDIT_CODE, pki_audit_code(a.v[i].check),
			   pki_audit_name(a.v[i].check), 1);
	pki_report_sort(pki_rsec(c, PKI_RS_AUDIT_CODE));
out:
	pki_audit_release(&a);
	return rc;
}

/* --- the report --- */

static int seed_all(struct pki_rctx *c)
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
		if ((rc = pki_rcount(c, PKI_RS_ACTIONS, action, NULL, 0)) < 0)
			return rc;
	}
	if ((rc = pki_rseed(c, PKI_RS_DISS, diss)) < 0 ||
	    (rc = pki_rseed(c, PKI_RS_DISS_TYPE, types)) < 0 ||
	    (rc = pki_rseed(c, PKI_RS_DISS_MEDIUM, media)) < 0 ||
	    (rc = pki_rseed(c, PKI_RS_EXPORTS, exports)) < 0)
		return rc;
	return pki_rseed(c, PKI_RS_CONSENTS, consents);
}

/*
 * The mission's code and name, from pki.conf, which libgit2 reads from
 * the work tree; a bare repository has none, and then the code comes
 * from the product IDs, which all begin with it.
 */
static int mission(struct pki_rctx *c)
{
	struct pki_report *rep = c->rep;
	struct pki_product_id id;
	int rc;

	if (pki_repo_workdir(c->r) != NULL &&
	    ((rc = pki_repo_conf_get(c->r, "mission.code", &rep->mission)) < 0 ||
	     (rc = pki_repo_conf_get(c->r, "mission.name", &rep->mission_name)) < 0))
		return rc;
	if (rep->mission == NULL && c->np > 0 && pki_product_id_parse(c->p[0].l.id, &id) == 0 &&
	    (rep->mission = strdup(id.mission)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "report");
	if (rep->mission == NULL)
		return pki_error(PKI_ECONFIG, "pki.conf names no mission.code");
	return 0;
}

static int run(struct pki_rctx *c, struct pki_gpg *g)
{
	int rc;

	if ((rc = pki_report_read_labels(c)) < 0 || (rc = mission(c)) < 0 ||
	    (rc = pki_report_read_matrix(c)) < 0 ||
	    (rc = pki_report_arrangements(&c->arr, c->r)) < 0 ||
	    (rc = pki_ir_load_repo(c->r, &c->req, &c->req_present)) < 0 ||
	    (rc = pki_rcount(c, PKI_RS_SOURCES, "arrangements", c->arr.present ? NULL : "no table",
			(long long)pki_rtable_rows(&c->arr))) < 0 ||
	    (rc = seed_all(c)) < 0 || (rc = pki_report_read_registry(c)) < 0 ||
	    (rc = pki_report_products(c)) < 0 ||
	    (rc = pki_report_coverage(c)) < 0 || (rc = pki_report_overdue(c)) < 0)
		return rc;
	pki_report_sort(pki_rsec(c, PKI_RS_RECEIPTS));
	pki_report_sort(pki_rsec(c, PKI_RS_ACTIONS));
	pki_report_sort(pki_rsec(c, PKI_RS_DISS_AUTHORITY));
	pki_report_sort(pki_rsec(c, PKI_RS_DISS_MONTH));
	pki_report_sort(pki_rsec(c, PKI_RS_EXP_RECIPIENT));
	pki_report_sort(pki_rsec(c, PKI_RS_EXP_ARRANGEMENT));
	pki_report_sort(pki_rsec(c, PKI_RS_EXP_HRDDP));
	pki_report_sort(pki_rsec(c, PKI_RS_CONSENT_REF));
	return audit(c, g);
}

int pki_report_run(struct pki_report *rep, struct pki_repo *r, struct pki_gpg *g,
		   const struct pki_report_opts *o)
{
	struct pki_rctx c;
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
	if ((rep->s = calloc(PKI_RS_N, sizeof(*rep->s))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "report");
	rep->ns = PKI_RS_N;
	for (i = 0; i < PKI_RS_N; i++) {
		rep->s[i].name = sections[i].name;
		rep->s[i].title = sections[i].title;
	}
	if ((rc = pki_repo_tip(r, rep->tip)) == 0)
		rc = run(&c, g);
	for (i = 0; i < c.np; i++)
		pki_label_release(&c.p[i].l);
	free(c.p);
	pki_matrix_release(&c.m);
	pki_rtable_release(&c.arr);
	pki_requirements_release(&c.req);
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
