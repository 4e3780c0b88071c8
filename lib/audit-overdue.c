/* audit-overdue.c: overdue work, as warnings (audit check 7): half-years
 * whose products were not all transferred to the UN Archives (policy
 * 11.5.1), and products past their review date that were neither
 * reviewed nor reclassified since (policy 11.2.1), and transfers whose
 * receipt the UN Archives did not record within 90 days (policy 11.5.1).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "audit-int.h"
#include "error.h"
#include "rows.h"

/* A review or reclassify row made on or after the review date, by --at
 * (policy 11.2.1). */
static bool reviewed_since(const struct pki_aproduct *p, time_t review, time_t at)
{
	const char *a;
	time_t t;
	size_t i;

	for (i = 0; i < p->nrows; i++) {
		a = p->rows[i]->f[PKI_COL_ACTION];
		if ((strcmp(a, "review") == 0 || strcmp(a, "reclassify") == 0) &&
		    pki_time_parse("time", p->rows[i]->f[PKI_COL_TIME], &t) == 0 &&
		    t >= review && t <= at)
			return true;
	}
	return false;
}

/* Past its review date, neither reviewed nor reclassified since. */
int pki_audit_review(struct pki_auditor *au, const struct pki_aproduct *p)
{
	char date[PKI_DATE_LEN];

	if (p->label->review == 0 || p->label->review > au->a->at ||
	    reviewed_since(p, p->label->review, au->a->at))
		return 0;
	pki_date_format(p->label->review, date);
	return pki_audit_add(au->a, PKI_A_REVIEW_OVERDUE, p->id,
			     "its review date %s has passed", date);
}

struct due {
	struct pki_period p;
	size_t count;
};

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int by_period(const void *a, const void *b)
{
	return pki_period_cmp(&((const struct due *)a)->p, &((const struct due *)b)->p);
}

static int count_due(struct due **v, size_t *n, size_t *cap, const struct pki_period *p)
{
	struct due *grown;
	size_t i;

	for (i = 0; i < *n; i++)
		if (pki_period_cmp(&(*v)[i].p, p) == 0) {
			(*v)[i].count++;
			return 0;
		}
	if ((grown = pki_row_grow(*v, *n, cap, sizeof(*grown))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "transfers");
	*v = grown;
	grown[*n].p = *p;
	grown[(*n)++].count = 1;
	return 0;
}

/* Products classified or received in a half-year that ended by --at,
 * without an archive row: one warning for each such half-year. */
int pki_audit_transfers(struct pki_auditor *au, const struct pki_arow *rows, size_t n)
{
	const char **archived;
	const char *a, *id;
	struct due *due = NULL;
	struct pki_period p;
	char name[PKI_PERIOD_LEN];
	size_t i, na = 0, nd = 0, capd = 0;
	time_t t, start, end;
	int rc = 0;

	if ((archived = calloc(n + 1, sizeof(*archived))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "transfers");
	for (i = 0; i < n; i++)
		if (strcmp(rows[i].f[PKI_COL_ACTION], "archive") == 0)
			archived[na++] = rows[i].f[PKI_COL_PRODUCT];
	qsort(archived, na, sizeof(*archived), by_string);
	for (i = 0; i < n && rc == 0; i++) {
		a = rows[i].f[PKI_COL_ACTION];
		id = rows[i].f[PKI_COL_PRODUCT];
		if ((strcmp(a, "classify") != 0 && strcmp(a, "receive") != 0) ||
		    pki_time_parse("time", rows[i].f[PKI_COL_TIME], &t) < 0)
			continue;
		pki_period_of(t, &p);
		pki_period_bounds(&p, &start, &end);
		if (end > au->a->at || bsearch(&id, archived, na, sizeof(*archived), by_string))
			continue;
		rc = count_due(&due, &nd, &capd, &p);
	}
	if (nd > 0)
		qsort(due, nd, sizeof(*due), by_period);
	for (i = 0; i < nd && rc == 0; i++) {
		pki_period_format(&due[i].p, name);
		rc = pki_audit_add(au->a, PKI_A_TRANSFER_OVERDUE, name,
				   "%zu product%s filed in %s %s not transferred to the UN Archives "
				   "(policy 11.5.1)", due[i].count, due[i].count == 1 ? "" : "s",
				   name, due[i].count == 1 ? "was" : "were");
	}
	free(due);
	free(archived);
	return rc;
}

/* A product's latest archive-ack row, by --at. */
struct acked {
	const char *id;
	time_t t;
};

/* A transfer: its archive rows' reference and the time of the last. */
struct xfer {
	const char *ref;
	time_t t;
	bool acked;
};

#define ACK_DAYS 90

static int by_acked(const void *a, const void *b)
{
	return strcmp(((const struct acked *)a)->id, ((const struct acked *)b)->id);
}

/* A half-yearly transfer, MISSION-2026H1: the one pki-archive --ack
 * acknowledges (a final one, at the closure of the mission, is not). */
static bool half_yearly(const char *ref)
{
	const char *dash = strrchr(ref, '-');
	struct pki_period p;

	return dash != NULL && pki_period_parse(dash + 1, &p) == 0;
}

static struct xfer *xfer_find(struct xfer *v, size_t n, const char *ref)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].ref, ref) == 0)
			return &v[i];
	return NULL;
}

/* The archive rows of a transfer and its time; acks, each product's
 * latest, sorted by product. */
static int collect(struct pki_auditor *au, const struct pki_arow *rows, size_t n,
		   struct acked *acks, size_t *nacks, struct xfer **xv, size_t *nx)
{
	struct xfer *x, *grown;
	size_t i, k, cap = 0;
	time_t t;

	*nacks = 0;
	for (i = 0; i < n; i++) {
		if (pki_time_parse("time", rows[i].f[PKI_COL_TIME], &t) < 0 || t > au->a->at)
			continue;
		if (strcmp(rows[i].f[PKI_COL_ACTION], "archive-ack") == 0) {
			acks[*nacks].id = rows[i].f[PKI_COL_PRODUCT];
			acks[(*nacks)++].t = t;
		}
		if (strcmp(rows[i].f[PKI_COL_ACTION], "archive") != 0 ||
		    !half_yearly(rows[i].f[PKI_COL_REFERENCE]))
			continue;
		if ((x = xfer_find(*xv, *nx, rows[i].f[PKI_COL_REFERENCE])) == NULL) {
			if ((grown = pki_row_grow(*xv, *nx, &cap, sizeof(*grown))) == NULL)
				return pki_error_errno(PKI_EINTERNAL, "transfers");
			*xv = grown;
			x = &grown[(*nx)++];
			x->ref = rows[i].f[PKI_COL_REFERENCE];
			x->t = t;
			x->acked = false;
		}
		if (t > x->t)
			x->t = t;
	}
	if (*nacks > 0)
		qsort(acks, *nacks, sizeof(*acks), by_acked);
	/* Keep each product's latest. */
	for (i = 0, k = 0; i < *nacks; i++) {
		if (k > 0 && strcmp(acks[k - 1].id, acks[i].id) == 0) {
			if (acks[i].t > acks[k - 1].t)
				acks[k - 1].t = acks[i].t;
			continue;
		}
		acks[k++] = acks[i];
	}
	*nacks = k;
	return 0;
}

/* Half-yearly transfers made by --at whose receipt the UN Archives have
 * not recorded (archive-ack rows for its products after its last archive
 * row) within 90 days: one warning each (policy 11.5.1). */
int pki_audit_acks(struct pki_auditor *au, const struct pki_arow *rows, size_t n)
{
	struct acked *acks, key, *hit;
	struct xfer *xv = NULL, *x;
	char when[PKI_DATE_LEN];
	size_t i, nacks, nx = 0;
	int rc;

	if ((acks = calloc(n + 1, sizeof(*acks))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "transfers");
	if ((rc = collect(au, rows, n, acks, &nacks, &xv, &nx)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (strcmp(rows[i].f[PKI_COL_ACTION], "archive") != 0 ||
		    (x = xfer_find(xv, nx, rows[i].f[PKI_COL_REFERENCE])) == NULL)
			continue;
		key.id = rows[i].f[PKI_COL_PRODUCT];
		hit = bsearch(&key, acks, nacks, sizeof(*acks), by_acked);
		if (hit != NULL && hit->t >= x->t)
			x->acked = true;
	}
	for (i = 0; i < nx && rc == 0; i++) {
		if (xv[i].acked || xv[i].t > au->a->at - (time_t)ACK_DAYS * 86400)
			continue;
		pki_date_format(xv[i].t, when);
		rc = pki_audit_add(au->a, PKI_A_TRANSFER_UNACKED, xv[i].ref,
				   "transferred to the UN Archives on %s, its receipt is not "
				   "recorded after %d days (policy 11.5.1)", when, ACK_DAYS);
	}
out:
	free(xv);
	free(acks);
	return rc;
}
