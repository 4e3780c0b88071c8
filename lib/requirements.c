/* requirements.c: requirements.csv, read, checked and written (pki-files(5),
 * policy 10.2, 12.9).  Pure data, like matrix.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "error.h"
#include "requirements.h"
#include "rows.h"
#include "vocab.h"

static const char *const rhead[] = {
	"ir", "kind", "parent", "priority", "owner", "status",
	"created", "deadline", "review_due", "product",
};
enum {
	R_IR, R_KIND, R_PARENT, R_PRIORITY, R_OWNER, R_STATUS,
	R_CREATED, R_DEADLINE, R_REVIEW, R_PRODUCT, R_N
};

static const char *const kinds[] = { "pir", "sir", "eei" };

const char *pki_ir_kind_name(enum pki_ir_kind k)
{
	return (unsigned)k < 3 ? kinds[k] : "(invalid)";
}

int pki_ir_kind_parse(const char *s, enum pki_ir_kind *out)
{
	size_t i;

	for (i = 0; i < 3; i++)
		if (strcmp(s, kinds[i]) == 0) {
			*out = (enum pki_ir_kind)i;
			return 0;
		}
	if (pki_check_text("kind", s, 32) < 0)
		s = "?";
	return pki_error(PKI_EUSAGE, "unknown requirement kind '%s' (pir, sir, eei)", s);
}

int pki_check_ir_id(const char *what, const char *s)
{
	const char *dash = strstr(s, "-IR-");
	char mission[PKI_CODE_MAX];
	size_t len, digits;

	if (pki_check_text(what, s, PKI_IR_ID_MAX - 1) < 0)
		return pki_error(PKI_EUSAGE, "%s: not a requirement ID (MISSION-IR-NNNN)", what);
	if (dash == NULL || (len = (size_t)(dash - s)) == 0 || len >= PKI_CODE_MAX)
		goto bad;
	memcpy(mission, s, len);
	mission[len] = '\0';
	digits = strspn(dash + 4, "0123456789");
	if (pki_check_code("mission", mission) < 0 || digits < 4 || digits > 9 ||
	    dash[4 + digits] != '\0')
		goto bad;
	return 0;
bad:
	return pki_error(PKI_EUSAGE, "%s '%s' is not a requirement ID (MISSION-IR-NNNN)", what,
			 s);
}

static long serial_of(const char *ir)
{
	const char *dash = strstr(ir, "-IR-");

	return dash != NULL ? strtol(dash + 4, NULL, 10) : 0;
}

/* A date column: YYYY-MM-DD, as its midnight. */
static int date_cell(const char *what, const char *s, bool optional, time_t *out)
{
	*out = 0;
	if (s[0] == '\0' && optional)
		return 0;
	if (strlen(s) != 10)
		return pki_error(PKI_EUSAGE, "%s: '%s' is not a date (YYYY-MM-DD)", what, s);
	return pki_time_parse(what, s, out);
}

static void requirement_free(struct pki_requirement *x)
{
	free(x->ir);
	free(x->parent);
	free(x->owner);
	free(x->product);
	memset(x, 0, sizeof(*x));
}

static int requirement_copy(struct pki_requirement *dst, const struct pki_requirement *src)
{
	struct pki_requirement x = *src;
	int rc;

	x.ir = x.parent = x.owner = x.product = NULL;
	if ((rc = pki_row_strdup(&x.ir, src->ir)) < 0 ||
	    (rc = pki_row_strdup(&x.parent, src->parent)) < 0 ||
	    (rc = pki_row_strdup(&x.owner, src->owner)) < 0 ||
	    (rc = pki_row_strdup(&x.product, src->product)) < 0) {
		requirement_free(&x);
		return rc;
	}
	*dst = x;
	return 0;
}

static int check_requirement(const struct pki_requirement *x)
{
	int rc;

	if ((rc = pki_check_ir_id("ir", x->ir)) < 0 ||
	    (x->parent[0] != '\0' && (rc = pki_check_ir_id("parent", x->parent)) < 0) ||
	    (rc = pki_check_principal("owner", x->owner)) < 0 ||
	    (rc = pki_check_product_id(x->product)) < 0)
		return rc;
	if ((unsigned)x->kind > PKI_IR_EEI)
		return pki_error(PKI_EINTERNAL, "requirement '%s': bad kind", x->ir);
	if (x->priority < 1 || x->priority > 3)
		return pki_error(PKI_EUSAGE, "requirement '%s': priority %d is not 1, 2 or 3",
				 x->ir, x->priority);
	if (x->review_due < x->created)
		return pki_error(PKI_EUSAGE, "requirement '%s': review_due is before created",
				 x->ir);
	return 0;
}

static int requirement_row(struct pki_requirement *x, const struct pki_table *t, size_t r)
{
	char *const *c = &t->cells[r * t->ncols];
	struct pki_requirement v = { 0 };
	int rc;

	if ((rc = pki_ir_kind_parse(c[R_KIND], &v.kind)) < 0 ||
	    (rc = date_cell("created", c[R_CREATED], false, &v.created)) < 0 ||
	    (rc = date_cell("deadline", c[R_DEADLINE], true, &v.deadline)) < 0 ||
	    (rc = date_cell("review_due", c[R_REVIEW], false, &v.review_due)) < 0)
		return rc;
	if (strcmp(c[R_STATUS], "open") == 0)
		v.open = true;
	else if (strcmp(c[R_STATUS], "closed") != 0)
		return pki_error(PKI_EUSAGE, "status is open or closed");
	if (strlen(c[R_PRIORITY]) != 1 || c[R_PRIORITY][0] < '1' || c[R_PRIORITY][0] > '3')
		return pki_error(PKI_EUSAGE, "priority is 1, 2 or 3");
	v.priority = c[R_PRIORITY][0] - '0';
	v.ir = c[R_IR];
	v.parent = c[R_PARENT];
	v.owner = c[R_OWNER];
	v.product = c[R_PRODUCT];
	if ((rc = check_requirement(&v)) < 0)
		return rc;
	return requirement_copy(x, &v);
}

static int requirements_unique(const struct pki_requirements *r)
{
	struct pki_row_key *k = NULL;
	size_t i;
	int rc;

	if (r->n < 2)
		return 0;
	if ((k = calloc(r->n, sizeof(*k))) == NULL)
		return pki_error(PKI_EINTERNAL, "out of memory");
	for (i = 0; i < r->n; i++)
		k[i] = (struct pki_row_key){ r->v[i].ir, PKI_ROW_LINE(i) };
	rc = pki_row_dups(PKI_REQUIREMENTS_FILE, "requirement", k, r->n);
	free(k);
	return rc;
}

int pki_requirements_parse(struct pki_requirements *out, const char *data, size_t len)
{
	struct pki_table *t = NULL;
	struct pki_requirements r = { 0 };
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pki_table_parse(&t, PKI_REQUIREMENTS_FILE, data, len, rhead, R_N)) < 0)
		goto out;
	if (t->nrows > 0 && (r.v = calloc(t->nrows, sizeof(*r.v))) == NULL) {
		rc = pki_error(PKI_EINTERNAL, "out of memory");
		goto out;
	}
	r.cap = t->nrows;
	for (i = 0; i < t->nrows; i++, r.n++)
		if ((rc = requirement_row(&r.v[i], t, i)) < 0) {
			rc = pki_error_wrap(PKI_EDATA, "%s: line %zu", PKI_REQUIREMENTS_FILE,
					    PKI_ROW_LINE(i));
			goto out;
		}
	if ((rc = requirements_unique(&r)) < 0)
		goto out;
	for (i = 0; i < r.n; i++)
		if ((rc = pki_requirements_parent(&r, r.v[i].kind, r.v[i].parent, false)) < 0) {
			rc = pki_error_wrap(PKI_EDATA, "%s: line %zu", PKI_REQUIREMENTS_FILE,
					    PKI_ROW_LINE(i));
			goto out;
		}
	*out = r;
	r = (struct pki_requirements){ 0 };
out:
	pki_requirements_release(&r);
	pki_table_free(t);
	return rc;
}

static int requirement_format(struct pki_buf *out, const struct pki_requirement *x)
{
	char created[PKI_DATE_LEN], deadline[PKI_DATE_LEN] = "", review[PKI_DATE_LEN];
	char priority[2] = { (char)('0' + x->priority), '\0' };
	const char *f[R_N] = {
		x->ir, pki_ir_kind_name(x->kind), x->parent, priority, x->owner,
		x->open ? "open" : "closed", created, deadline, review, x->product,
	};

	pki_date_format(x->created, created);
	if (x->deadline != 0)
		pki_date_format(x->deadline, deadline);
	pki_date_format(x->review_due, review);
	return pki_csv_row(out, f, R_N);
}

int pki_requirements_format(const struct pki_requirements *r, struct pki_buf *out)
{
	size_t i;
	int rc;

	if ((rc = pki_csv_row(out, rhead, R_N)) < 0)
		return rc;
	for (i = 0; i < r->n && rc == 0; i++)
		rc = requirement_format(out, &r->v[i]);
	return rc;
}

void pki_requirements_release(struct pki_requirements *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		requirement_free(&r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

int pki_requirements_add(struct pki_requirements *r, const struct pki_requirement *x)
{
	struct pki_requirement copy, *v;
	int rc;

	if ((rc = check_requirement(x)) < 0)
		return rc;
	if (pki_requirements_find(r, x->ir) != NULL)
		return pki_error(PKI_EDATA, "requirement '%s' already exists", x->ir);
	if ((rc = requirement_copy(&copy, x)) < 0)
		return rc;
	if ((v = pki_row_grow(r->v, r->n, &r->cap, sizeof(*r->v))) == NULL) {
		requirement_free(&copy);
		return pki_error(PKI_EINTERNAL, "out of memory");
	}
	r->v = v;
	r->v[r->n++] = copy;
	return 0;
}

struct pki_requirement *pki_requirements_find(const struct pki_requirements *r, const char *ir)
{
	size_t i;

	for (i = 0; r != NULL && i < r->n; i++)
		if (strcmp(r->v[i].ir, ir) == 0)
			return &r->v[i];
	return NULL;
}

int pki_requirements_next_id(const struct pki_requirements *r, const char *mission,
			     char out[PKI_IR_ID_MAX])
{
	size_t i, len = strlen(mission);
	long top = 0, n;

	for (i = 0; i < r->n; i++) {
		if (strncmp(r->v[i].ir, mission, len) != 0 || strncmp(r->v[i].ir + len, "-IR-", 4))
			continue;
		if ((n = serial_of(r->v[i].ir)) > top)
			top = n;
	}
	if (top >= 999999999L)
		return pki_error(PKI_EDATA, "no requirement ID left for %s", mission);
	if (snprintf(out, PKI_IR_ID_MAX, "%s-IR-%04ld", mission, top + 1) >= PKI_IR_ID_MAX)
		return pki_error(PKI_EUSAGE, "mission code '%s' is too long", mission);
	return 0;
}

int pki_requirements_parent(const struct pki_requirements *r, enum pki_ir_kind kind,
			    const char *parent, bool open_parent)
{
	const struct pki_requirement *p;

	if (kind == PKI_IR_PIR) {
		if (parent[0] == '\0')
			return 0;
		return pki_error(PKI_EDATA, "a pir has no parent, '%s' was given (policy 10.2)",
				 parent);
	}
	if (parent[0] == '\0')
		return pki_error(PKI_EDATA, "%s %s needs a parent %s (policy 10.2)",
				 kind == PKI_IR_EEI ? "an" : "a", pki_ir_kind_name(kind),
				 kind == PKI_IR_SIR ? "pir" : "sir");
	if ((p = pki_requirements_find(r, parent)) == NULL)
		return pki_error(PKI_EDATA, "parent '%s' is no requirement of %s", parent,
				 PKI_REQUIREMENTS_FILE);
	if ((unsigned)p->kind + 1 != (unsigned)kind)
		return pki_error(PKI_EDATA, "%s %s goes under a %s, '%s' is a %s (policy 10.2)",
				 kind == PKI_IR_EEI ? "an" : "a", pki_ir_kind_name(kind),
				 kind == PKI_IR_SIR ? "pir" : "sir", parent,
				 pki_ir_kind_name(p->kind));
	if (open_parent && !p->open)
		return pki_error(PKI_EDATA, "parent '%s' is closed", parent);
	return 0;
}

int pki_requirements_cite(const struct pki_requirements *r, char *const *ir, size_t n)
{
	const struct pki_requirement *x;
	size_t i;

	for (i = 0; i < n; i++) {
		if (pki_check_ir_id("--ir", ir[i]) < 0)
			return pki_error(PKI_EDATA, "'%s' is not a requirement ID: --ir names an "
					 "open requirement of %s (policy 10.2)",
					 pki_check_text("", ir[i], 64) == 0 ? ir[i] : "?",
					 PKI_REQUIREMENTS_FILE);
		if ((x = pki_requirements_find(r, ir[i])) == NULL)
			return pki_error(PKI_EDATA, "no requirement '%s' in %s (policy 10.2)", ir[i],
					 PKI_REQUIREMENTS_FILE);
		if (!x->open)
			return pki_error(PKI_EDATA, "requirement '%s' is closed (policy 10.2)",
					 ir[i]);
	}
	return 0;
}

int pki_requirements_split(char *s, char **out, size_t *n, size_t max)
{
	char *part = s, *semi;

	for (;;) {
		if ((semi = strchr(part, ';')) != NULL)
			*semi = '\0';
		if (part[0] == '\0')
			return pki_error(PKI_EUSAGE, "--ir has an empty requirement");
		if (*n >= max)
			return pki_error(PKI_EUSAGE, "at most %zu requirements", max);
		out[(*n)++] = part;
		if (semi == NULL)
			return 0;
		part = semi + 1;
	}
}
