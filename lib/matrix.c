/* matrix.c: the access matrix (pki-files(5)); delegation.c has the delegations.
 *
 * Pure data.  Every row is checked with the vocabulary's checkers, both
 * when it is read and when a command puts one, so that what is written
 * always reads back.
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "error.h"
#include "matrix.h"
#include "rows.h"

static const char *const mhead[] = {
	"principal", "fingerprint", "entity", "type", "role", "clearance",
	"areas", "valid_from", "valid_until",
};
enum { M_NAME, M_FPR, M_ENTITY, M_TYPE, M_ROLE, M_LEVEL, M_AREAS, M_FROM, M_UNTIL, M_N };

static const char *str(const char *s)
{
	return s != NULL ? s : "";
}

/* A fingerprint, or none: a principal without a key receives only on
 * paper, orally or on a display (pki-share --medium, policy 24). */
static int check_fpr(char *fpr)
{
	return fpr[0] == '\0' ? 0 : pki_check_fingerprint("fingerprint", fpr);
}

static int check_principal(const struct pki_principal *p)
{
	char fpr[sizeof(p->fpr)];
	int rc;

	memcpy(fpr, p->fpr, sizeof(fpr));
	fpr[sizeof(fpr) - 1] = '\0';
	if ((rc = pki_check_principal("principal", str(p->name))) < 0 ||
	    (rc = check_fpr(fpr)) < 0 ||
	    (rc = pki_check_code("entity", str(p->entity))) < 0 ||
	    (rc = pki_check_areas("areas", str(p->areas))) < 0 ||
	    (rc = pki_row_check_window(p->from, p->until)) < 0)
		return rc;
	if ((unsigned)p->type > PKI_TYPE_SECURITY_FORCE || (unsigned)p->role > PKI_ROLE_EXTERNAL ||
	    (unsigned)p->clearance > PKI_LEVEL_STRICTLY_CONFIDENTIAL)
		return pki_error(PKI_EINTERNAL, "principal '%s': bad type, role or clearance",
				 p->name);
	return 0;
}

static void principal_free(struct pki_principal *p)
{
	free(p->name);
	free(p->entity);
	free(p->areas);
	free(p->from_text);
	free(p->until_text);
	memset(p, 0, sizeof(*p));
}

/* A deep copy of a checked principal; times without text get one. */
static int principal_copy(struct pki_principal *dst, const struct pki_principal *src)
{
	char from[PKI_TIME_LEN], until[PKI_TIME_LEN];
	struct pki_principal p = *src;
	int rc;

	p.name = p.entity = p.areas = p.from_text = p.until_text = NULL;
	if ((rc = pki_row_strdup(&p.name, src->name)) < 0 ||
	    (rc = pki_row_strdup(&p.entity, src->entity)) < 0 ||
	    (rc = pki_row_strdup(&p.areas, src->areas)) < 0 ||
	    (rc = pki_row_strdup(&p.from_text,
				 pki_row_time_text(src->from_text, src->from, false, from))) < 0 ||
	    (rc = pki_row_strdup(&p.until_text, src->until == 0 ? "" :
				 pki_row_time_text(src->until_text, src->until, true, until))) < 0 ||
	    (rc = check_fpr(p.fpr)) < 0) {
		principal_free(&p);
		return rc;
	}
	*dst = p;
	return 0;
}

/* Read row r into *p: a view into the table, checked, then copied. */
static int principal_row(struct pki_principal *p, struct pki_table *t, size_t r)
{
	char **c = &t->cells[r * t->ncols];
	struct pki_principal v = { 0 };
	int rc;

	if ((rc = pki_check_principal("principal", c[M_NAME])) < 0 ||
	    (rc = check_fpr(c[M_FPR])) < 0 ||
	    (rc = pki_type_parse(c[M_TYPE], &v.type)) < 0 ||
	    (rc = pki_role_parse(c[M_ROLE], &v.role)) < 0 ||
	    (rc = pki_level_parse(c[M_LEVEL], &v.clearance)) < 0 ||
	    (rc = pki_row_window(c[M_FROM], c[M_UNTIL], &v.from, &v.until)) < 0)
		return rc;
	memcpy(v.fpr, c[M_FPR], sizeof(v.fpr));
	v.name = c[M_NAME];
	v.entity = c[M_ENTITY];
	v.areas = c[M_AREAS];
	v.from_text = c[M_FROM];
	v.until_text = c[M_UNTIL];
	if ((rc = check_principal(&v)) < 0)
		return rc;
	return principal_copy(p, &v);
}

static int matrix_unique(const struct pki_matrix *m)
{
	struct pki_row_key *k = NULL;
	size_t i, n;
	int rc = 0;

	if (m->n < 2)
		return 0;
	if ((k = calloc(m->n, sizeof(*k))) == NULL)
		return pki_error(PKI_EINTERNAL, "out of memory");
	for (i = 0; i < m->n; i++)
		k[i] = (struct pki_row_key){ m->v[i].name, PKI_ROW_LINE(i) };
	if ((rc = pki_row_dups(PKI_MATRIX_FILE, "principal", k, m->n)) < 0)
		goto out;
	for (i = n = 0; i < m->n; i++)
		if (m->v[i].fpr[0] != '\0')	/* keyless rows share no key */
			k[n++] = (struct pki_row_key){ m->v[i].fpr, PKI_ROW_LINE(i) };
	rc = pki_row_dups(PKI_MATRIX_FILE, "fingerprint", k, n);
out:
	free(k);
	return rc;
}

int pki_matrix_parse(struct pki_matrix *out, const char *data, size_t len)
{
	struct pki_table *t = NULL;
	struct pki_matrix m = { 0 };
	size_t r;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pki_table_parse(&t, PKI_MATRIX_FILE, data, len, mhead, M_N)) < 0)
		goto out;
	if (t->nrows > 0 && (m.v = calloc(t->nrows, sizeof(*m.v))) == NULL) {
		rc = pki_error(PKI_EINTERNAL, "out of memory");
		goto out;
	}
	m.cap = t->nrows;
	for (r = 0; r < t->nrows; r++, m.n++)
		if ((rc = principal_row(&m.v[r], t, r)) < 0) {
			rc = pki_error_wrap(PKI_EDATA, "%s: line %zu", PKI_MATRIX_FILE, PKI_ROW_LINE(r));
			goto out;
		}
	if ((rc = matrix_unique(&m)) < 0)
		goto out;
	*out = m;
	m = (struct pki_matrix){ 0 };
out:
	pki_matrix_release(&m);
	pki_table_free(t);
	return rc;
}

int pki_matrix_merge3(struct pki_matrix *out, const struct pki_merge3 *in, size_t *conflicts,
		      char first[PKI_MERGE_KEY_MAX])
{
	struct pki_buf merged = PKI_BUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pki_table_merge3(&merged, PKI_MATRIX_FILE, mhead, M_N, in, conflicts, first)) == 0)
		rc = pki_matrix_parse(out, merged.ptr, merged.len);
	pki_buf_release(&merged);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	const struct pki_principal *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static int principal_format(struct pki_buf *out, const struct pki_principal *p)
{
	char from[PKI_TIME_LEN], until[PKI_TIME_LEN];
	const char *f[M_N] = {
		p->name, p->fpr, p->entity, pki_type_name(p->type), pki_role_name(p->role),
		pki_level_name(p->clearance), str(p->areas),
		pki_row_time_text(p->from_text, p->from, false, from),
		p->until == 0 ? "" : pki_row_time_text(p->until_text, p->until, true, until),
	};

	return pki_csv_row(out, f, M_N);
}

int pki_matrix_format(const struct pki_matrix *m, struct pki_buf *out)
{
	const struct pki_principal **v = NULL;
	size_t i;
	int rc;

	if ((rc = pki_csv_row(out, mhead, M_N)) < 0)
		return rc;
	if (m->n == 0)
		return 0;
	if ((v = calloc(m->n, sizeof(*v))) == NULL)
		return pki_error(PKI_EINTERNAL, "out of memory");
	for (i = 0; i < m->n; i++)
		v[i] = &m->v[i];
	qsort(v, m->n, sizeof(*v), by_name);
	for (i = 0; i < m->n && rc == 0; i++)
		rc = principal_format(out, v[i]);
	free(v);
	return rc;
}

void pki_matrix_release(struct pki_matrix *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		principal_free(&m->v[i]);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

struct pki_principal *pki_matrix_find(const struct pki_matrix *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].name, name) == 0)
			return &m->v[i];
	return NULL;
}

/* Fingerprints are kept in upper case; the caller's may be in either. */
struct pki_principal *pki_matrix_find_fpr(const struct pki_matrix *m, const char *fpr)
{
	size_t i;

	if (fpr[0] == '\0')
		return NULL;	/* no key is nobody's */
	for (i = 0; i < m->n; i++)
		if (strcasecmp(m->v[i].fpr, fpr) == 0)
			return &m->v[i];
	return NULL;
}

bool pki_principal_valid(const struct pki_principal *p, time_t at)
{
	return p->from <= at && (p->until == 0 || at < p->until);
}

/* The copy is made first: p may be an element of m. */
int pki_matrix_put(struct pki_matrix *m, const struct pki_principal *p)
{
	struct pki_principal copy, *old, *owner, *v;
	int rc;

	if ((rc = check_principal(p)) < 0)
		return rc;
	owner = pki_matrix_find_fpr(m, p->fpr);
	if (owner != NULL && strcmp(owner->name, p->name) != 0)
		return pki_error(PKI_EUSAGE, "fingerprint %s is already the key of '%s'",
				 owner->fpr, owner->name);
	if ((rc = principal_copy(&copy, p)) < 0)
		return rc;
	if ((old = pki_matrix_find(m, copy.name)) != NULL) {
		principal_free(old);
		*old = copy;
		return 0;
	}
	if ((v = pki_row_grow(m->v, m->n, &m->cap, sizeof(*m->v))) == NULL) {
		principal_free(&copy);
		return pki_error(PKI_EINTERNAL, "out of memory");
	}
	m->v = v;
	m->v[m->n++] = copy;
	return 0;
}

/*
 * Ending never extends: a principal that already ends at or before `at`
 * keeps its end, and one cannot end before it starts.
 */
int pki_principal_end(struct pki_principal *p, time_t at)
{
	char buf[PKI_TIME_LEN];
	char *text = NULL;
	int rc;

	if (p->until != 0 && p->until <= at)
		return 0;
	if (at <= p->from)
		return pki_error(PKI_EUSAGE, "principal '%s' cannot end before it is "
				 "valid from %s", p->name, str(p->from_text));
	pki_time_format(at, buf);
	if ((rc = pki_row_strdup(&text, buf)) < 0)
		return rc;
	free(p->until_text);
	p->until_text = text;
	p->until = at;
	return 0;
}

int pki_principal_copy(struct pki_principal *dst, const struct pki_principal *src)
{
	return principal_copy(dst, src);
}

void pki_principal_release(struct pki_principal *p)
{
	principal_free(p);
}
