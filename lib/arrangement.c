/* arrangement.c: the register of written arrangements (pki-files(5),
 * policy 11.4.3, 11.4.4, 12.6.10).  Pure data, like delegation.c. */
#include <stdlib.h>
#include <string.h>

#include "arrangement.h"
#include "csv.h"
#include "error.h"
#include "rows.h"
#include "vocab.h"

#define ID_MAX 64
#define REFERENCE_MAX 256

static const char *const ahead[] = {
	"arrangement", "kind", "partner", "reference", "valid_from", "valid_until",
	"review_due",
};
enum { A_ID, A_KIND, A_PARTNER, A_REF, A_FROM, A_UNTIL, A_REVIEW, A_N };

static const char *const kinds[] = { "orcon", "hrddp", "legal", "consent" };

const char *pki_arrangement_kind_name(enum pki_arrangement_kind k)
{
	return (unsigned)k < sizeof(kinds) / sizeof(kinds[0]) ? kinds[k] : "?";
}

int pki_arrangement_kind_parse(const char *s, enum pki_arrangement_kind *out)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(s, kinds[i]) == 0) {
			*out = (enum pki_arrangement_kind)i;
			return 0;
		}
	return pki_error(PKI_EUSAGE, "invalid arrangement kind '%.64s' (expected orcon, hrddp, "
			 "legal or consent)", s);
}

static const char *str(const char *s)
{
	return s != NULL ? s : "";
}

/* An ID as a delegation's: 1 to 64 of A-Z a-z 0-9 . _ -, starting with a
 * letter or digit. */
static int check_id(const char *s)
{
	size_t n;
	int rc;

	if ((rc = pki_check_text("arrangement ID", s, ID_MAX)) < 0)
		return rc;
	n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");
	if (n == 0 || s[n] != '\0' || strchr("._-", s[0]) != NULL || strstr(s, "..") != NULL)
		return pki_error(PKI_EUSAGE, "invalid arrangement ID '%s' (expected 1 to 64 of "
				 "A-Z a-z 0-9 . _ -, starting with a letter or digit)", s);
	return 0;
}

/* A partner is a principal's name (lower case) or an entity's code (upper case). */
static int check_partner(const char *s)
{
	if (pki_check_principal("partner", s) == 0 || pki_check_code("partner", s) == 0) {
		pki_error_clear();
		return 0;
	}
	return pki_error(PKI_EUSAGE, "invalid partner '%.64s' (expected a principal's name or "
			 "an entity's code)", s);
}

static int check_arrangement(const struct pki_arrangement *x)
{
	int rc;

	if ((rc = check_id(str(x->id))) < 0 || (rc = check_partner(str(x->partner))) < 0 ||
	    (rc = pki_row_check_window(x->from, x->until)) < 0 ||
	    (rc = pki_check_text("reference", str(x->reference), REFERENCE_MAX)) < 0)
		return rc;
	if (str(x->reference)[0] == '\0')
		return pki_error(PKI_EUSAGE, "arrangement '%s' names no written instrument "
				 "(reference)", x->id);
	if ((unsigned)x->kind > PKI_ARR_CONSENT)
		return pki_error(PKI_EINTERNAL, "arrangement '%s': bad kind", x->id);
	return 0;
}

static void arrangement_free(struct pki_arrangement *x)
{
	free(x->id);
	free(x->partner);
	free(x->reference);
	free(x->from_text);
	free(x->until_text);
	free(x->review_text);
	memset(x, 0, sizeof(*x));
}

static int arrangement_copy(struct pki_arrangement *dst, const struct pki_arrangement *src)
{
	char from[PKI_TIME_LEN], until[PKI_TIME_LEN], review[PKI_TIME_LEN];
	struct pki_arrangement x = *src;
	int rc;

	x.id = x.partner = x.reference = x.from_text = x.until_text = x.review_text = NULL;
	if ((rc = pki_row_strdup(&x.id, src->id)) < 0 ||
	    (rc = pki_row_strdup(&x.partner, src->partner)) < 0 ||
	    (rc = pki_row_strdup(&x.reference, src->reference)) < 0 ||
	    (rc = pki_row_strdup(&x.from_text,
				 pki_row_time_text(src->from_text, src->from, false, from))) < 0 ||
	    (rc = pki_row_strdup(&x.until_text, src->until == 0 ? "" :
				 pki_row_time_text(src->until_text, src->until, true, until))) < 0 ||
	    (rc = pki_row_strdup(&x.review_text, src->review == 0 ? "" :
				 pki_row_time_text(src->review_text, src->review, true, review))) < 0) {
		arrangement_free(&x);
		return rc;
	}
	*dst = x;
	return 0;
}

static int arrangement_row(struct pki_arrangement *x, const struct pki_table *t, size_t r)
{
	char *const *c = &t->cells[r * t->ncols];
	struct pki_arrangement v = { 0 };
	int rc;

	if ((rc = pki_arrangement_kind_parse(c[A_KIND], &v.kind)) < 0 ||
	    (rc = pki_row_window(c[A_FROM], c[A_UNTIL], &v.from, &v.until)) < 0 ||
	    (c[A_REVIEW][0] != '\0' &&
	     (rc = pki_time_parse_until("review_due", c[A_REVIEW], &v.review)) < 0))
		return rc;
	v.id = c[A_ID];
	v.partner = c[A_PARTNER];
	v.reference = c[A_REF];
	v.from_text = c[A_FROM];
	v.until_text = c[A_UNTIL];
	v.review_text = c[A_REVIEW];
	if ((rc = check_arrangement(&v)) < 0)
		return rc;
	return arrangement_copy(x, &v);
}

static int arrangements_unique(const struct pki_arrangements *a)
{
	struct pki_row_key *k = NULL;
	size_t i;
	int rc;

	if (a->n < 2)
		return 0;
	if ((k = calloc(a->n, sizeof(*k))) == NULL)
		return pki_error(PKI_EINTERNAL, "out of memory");
	for (i = 0; i < a->n; i++)
		k[i] = (struct pki_row_key){ a->v[i].id, PKI_ROW_LINE(i) };
	rc = pki_row_dups(PKI_ARRANGEMENTS_FILE, "arrangement", k, a->n);
	free(k);
	return rc;
}

int pki_arrangements_parse(struct pki_arrangements *out, const char *data, size_t len)
{
	struct pki_table *t = NULL;
	struct pki_arrangements a = { 0 };
	size_t r;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pki_table_parse(&t, PKI_ARRANGEMENTS_FILE, data, len, ahead, A_N)) < 0)
		goto out;
	if (t->nrows > 0 && (a.v = calloc(t->nrows, sizeof(*a.v))) == NULL) {
		rc = pki_error(PKI_EINTERNAL, "out of memory");
		goto out;
	}
	a.cap = t->nrows;
	for (r = 0; r < t->nrows; r++, a.n++)
		if ((rc = arrangement_row(&a.v[r], t, r)) < 0) {
			rc = pki_error_wrap(PKI_EDATA, "%s: line %zu", PKI_ARRANGEMENTS_FILE,
					    PKI_ROW_LINE(r));
			goto out;
		}
	if ((rc = arrangements_unique(&a)) < 0)
		goto out;
	*out = a;
	a = (struct pki_arrangements){ 0 };
out:
	pki_arrangements_release(&a);
	pki_table_free(t);
	return rc;
}

int pki_arrangements_merge3(struct pki_arrangements *out, const struct pki_merge3 *in,
			    size_t *conflicts, char first[PKI_MERGE_KEY_MAX])
{
	struct pki_buf merged = PKI_BUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pki_table_merge3(&merged, PKI_ARRANGEMENTS_FILE, ahead, A_N, in, conflicts,
				   first)) == 0)
		rc = pki_arrangements_parse(out, merged.ptr, merged.len);
	pki_buf_release(&merged);
	return rc;
}

static int arrangement_format(struct pki_buf *out, const struct pki_arrangement *x)
{
	char from[PKI_TIME_LEN], until[PKI_TIME_LEN], review[PKI_TIME_LEN];
	const char *f[A_N] = {
		x->id, pki_arrangement_kind_name(x->kind), x->partner, str(x->reference),
		pki_row_time_text(x->from_text, x->from, false, from),
		x->until == 0 ? "" : pki_row_time_text(x->until_text, x->until, true, until),
		x->review == 0 ? "" : pki_row_time_text(x->review_text, x->review, true, review),
	};

	return pki_csv_row(out, f, A_N);
}

/* In insertion order: the file reads as the record of what was agreed. */
int pki_arrangements_format(const struct pki_arrangements *a, struct pki_buf *out)
{
	size_t i;
	int rc;

	if ((rc = pki_csv_row(out, ahead, A_N)) < 0)
		return rc;
	for (i = 0; i < a->n && rc == 0; i++)
		rc = arrangement_format(out, &a->v[i]);
	return rc;
}

void pki_arrangements_release(struct pki_arrangements *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		arrangement_free(&a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

int pki_arrangements_add(struct pki_arrangements *a, const struct pki_arrangement *x)
{
	struct pki_arrangement copy, *v;
	int rc;

	if ((rc = check_arrangement(x)) < 0)
		return rc;
	if (pki_arrangements_find(a, x->id) != NULL)
		return pki_error(PKI_EUSAGE, "arrangement '%s' already exists", x->id);
	if ((rc = arrangement_copy(&copy, x)) < 0)
		return rc;
	if ((v = pki_row_grow(a->v, a->n, &a->cap, sizeof(*a->v))) == NULL) {
		arrangement_free(&copy);
		return pki_error(PKI_EINTERNAL, "out of memory");
	}
	a->v = v;
	a->v[a->n++] = copy;
	return 0;
}

struct pki_arrangement *pki_arrangements_find(const struct pki_arrangements *a, const char *id)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].id, id) == 0)
			return &a->v[i];
	return NULL;
}

bool pki_arrangement_valid(const struct pki_arrangement *x, time_t at)
{
	return x->from <= at && (x->until == 0 || at < x->until);
}

bool pki_arrangement_same(const struct pki_arrangement *a, const struct pki_arrangement *b)
{
	return a->kind == b->kind && strcmp(a->partner, b->partner) == 0 &&
	       strcmp(a->reference, b->reference) == 0 && a->from == b->from &&
	       a->until == b->until && a->review == b->review;
}

int pki_arrangement_end(struct pki_arrangement *x, time_t at)
{
	char when[PKI_TIME_LEN];
	char *text = NULL;
	int rc;

	pki_time_format(at, when);
	if ((rc = pki_row_strdup(&text, when)) < 0)
		return rc;
	free(x->until_text);
	x->until_text = text;
	x->until = at;
	return 0;
}
