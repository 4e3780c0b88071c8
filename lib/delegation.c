/* delegation.c: written delegations of authority (pki-files(5), policy §9.8,
 * §11.4.1).  Pure data, like matrix.c. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "error.h"
#include "matrix.h"
#include "rows.h"

#define ID_MAX 64
#define REFERENCE_MAX 256

static const char *const dhead[] = {
	"delegation", "grantor", "grantee", "power", "scope",
	"valid_from", "valid_until", "reference",
};
enum { D_ID, D_GRANTOR, D_GRANTEE, D_POWER, D_SCOPE, D_FROM, D_UNTIL, D_REF, D_N };

static const char *str(const char *s)
{
	return s != NULL ? s : "";
}

/*
 * An ID is 1 to 64 of A-Z a-z 0-9 . _ -, starting with a letter or digit.
 * The registry's authority column holds a word or a delegation ID (pki-files(5)
 * §3.3), so the words are not IDs.  pki_check_text first: what is echoed
 * holds no control characters.
 */
static int check_id(const char *s)
{
	size_t n;
	int rc;

	if ((rc = pki_check_text("delegation ID", s, ID_MAX)) < 0)
		return rc;
	n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");
	if (pki_authority_is_word(s))
		n = 0;
	if (n == 0 || s[n] != '\0' || strchr("._-", s[0]) != NULL || strstr(s, "..") != NULL)
		return pki_error(PKI_EUSAGE, "invalid delegation ID '%s' (expected 1 to 64 of "
				 "A-Z a-z 0-9 . _ -, starting with a letter or digit, and not "
				 "originator, hom, undss-rule or custodian)", s);
	return 0;
}

static int check_delegation(const struct pki_delegation *x)
{
	int rc;

	if ((rc = check_id(str(x->id))) < 0 ||
	    (rc = pki_check_principal("grantor", str(x->grantor))) < 0 ||
	    (rc = pki_check_principal("grantee", str(x->grantee))) < 0 ||
	    (rc = pki_check_scope("scope", str(x->scope))) < 0 ||
	    (rc = pki_row_check_window(x->from, x->until)) < 0 ||
	    (rc = pki_check_text("reference", str(x->reference), REFERENCE_MAX)) < 0)
		return rc;
	if ((unsigned)x->power > PKI_POWER_DIRECT)
		return pki_error(PKI_EINTERNAL, "delegation '%s': bad power", x->id);
	return 0;
}

static void delegation_free(struct pki_delegation *x)
{
	free(x->id);
	free(x->grantor);
	free(x->grantee);
	free(x->scope);
	free(x->from_text);
	free(x->until_text);
	free(x->reference);
	memset(x, 0, sizeof(*x));
}

/* A deep copy of a checked delegation; times without text get one. */
static int delegation_copy(struct pki_delegation *dst, const struct pki_delegation *src)
{
	char from[PKI_TIME_LEN], until[PKI_TIME_LEN];
	struct pki_delegation x = *src;
	int rc;

	x.id = x.grantor = x.grantee = x.scope = x.from_text = x.until_text = NULL;
	x.reference = NULL;
	if ((rc = pki_row_strdup(&x.id, src->id)) < 0 ||
	    (rc = pki_row_strdup(&x.grantor, src->grantor)) < 0 ||
	    (rc = pki_row_strdup(&x.grantee, src->grantee)) < 0 ||
	    (rc = pki_row_strdup(&x.scope, src->scope)) < 0 ||
	    (rc = pki_row_strdup(&x.from_text,
				 pki_row_time_text(src->from_text, src->from, false, from))) < 0 ||
	    (rc = pki_row_strdup(&x.until_text, src->until == 0 ? "" :
				 pki_row_time_text(src->until_text, src->until, true, until))) < 0 ||
	    (rc = pki_row_strdup(&x.reference, src->reference)) < 0) {
		delegation_free(&x);
		return rc;
	}
	*dst = x;
	return 0;
}

/* Read row r into *x: a view into the table, checked, then copied. */
static int delegation_row(struct pki_delegation *x, const struct pki_table *t, size_t r)
{
	char *const *c = &t->cells[r * t->ncols];
	struct pki_delegation v = { 0 };
	int rc;

	if ((rc = pki_power_parse(c[D_POWER], &v.power)) < 0 ||
	    (rc = pki_row_window(c[D_FROM], c[D_UNTIL], &v.from, &v.until)) < 0)
		return rc;
	v.id = c[D_ID];
	v.grantor = c[D_GRANTOR];
	v.grantee = c[D_GRANTEE];
	v.scope = c[D_SCOPE];
	v.from_text = c[D_FROM];
	v.until_text = c[D_UNTIL];
	v.reference = c[D_REF];
	if ((rc = check_delegation(&v)) < 0)
		return rc;
	return delegation_copy(x, &v);
}

static int delegations_unique(const struct pki_delegations *d)
{
	struct pki_row_key *k = NULL;
	size_t i;
	int rc;

	if (d->n < 2)
		return 0;
	if ((k = calloc(d->n, sizeof(*k))) == NULL)
		return pki_error(PKI_EINTERNAL, "out of memory");
	for (i = 0; i < d->n; i++)
		k[i] = (struct pki_row_key){ d->v[i].id, PKI_ROW_LINE(i) };
	rc = pki_row_dups(PKI_DELEGATIONS_FILE, "delegation", k, d->n);
	free(k);
	return rc;
}

int pki_delegations_merge3(struct pki_delegations *out, const struct pki_merge3 *in,
			   size_t *conflicts, char first[PKI_MERGE_KEY_MAX])
{
	struct pki_buf merged = PKI_BUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pki_table_merge3(&merged, PKI_DELEGATIONS_FILE, dhead, D_N, in, conflicts,
				   first)) == 0)
		rc = pki_delegations_parse(out, merged.ptr, merged.len);
	pki_buf_release(&merged);
	return rc;
}

int pki_delegations_parse(struct pki_delegations *out, const char *data, size_t len)
{
	struct pki_table *t = NULL;
	struct pki_delegations d = { 0 };
	size_t r;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pki_table_parse(&t, PKI_DELEGATIONS_FILE, data, len, dhead, D_N)) < 0)
		goto out;
	if (t->nrows > 0 && (d.v = calloc(t->nrows, sizeof(*d.v))) == NULL) {
		rc = pki_error(PKI_EINTERNAL, "out of memory");
		goto out;
	}
	d.cap = t->nrows;
	for (r = 0; r < t->nrows; r++, d.n++)
		if ((rc = delegation_row(&d.v[r], t, r)) < 0) {
			rc = pki_error_wrap(PKI_EDATA, "%s: line %zu", PKI_DELEGATIONS_FILE,
					    PKI_ROW_LINE(r));
			goto out;
		}
	if ((rc = delegations_unique(&d)) < 0)
		goto out;
	*out = d;
	d = (struct pki_delegations){ 0 };
out:
	pki_delegations_release(&d);
	pki_table_free(t);
	return rc;
}

static int delegation_format(struct pki_buf *out, const struct pki_delegation *x)
{
	char from[PKI_TIME_LEN], until[PKI_TIME_LEN];
	const char *f[D_N] = {
		x->id, x->grantor, x->grantee, pki_power_name(x->power), x->scope,
		pki_row_time_text(x->from_text, x->from, false, from),
		x->until == 0 ? "" : pki_row_time_text(x->until_text, x->until, true, until),
		str(x->reference),
	};

	return pki_csv_row(out, f, D_N);
}

/* In insertion order: the file reads as the record of what was granted. */
int pki_delegations_format(const struct pki_delegations *d, struct pki_buf *out)
{
	size_t i;
	int rc;

	if ((rc = pki_csv_row(out, dhead, D_N)) < 0)
		return rc;
	for (i = 0; i < d->n && rc == 0; i++)
		rc = delegation_format(out, &d->v[i]);
	return rc;
}

void pki_delegations_release(struct pki_delegations *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		delegation_free(&d->v[i]);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

int pki_delegations_add(struct pki_delegations *d, const struct pki_delegation *x)
{
	struct pki_delegation copy, *v;
	int rc;

	if ((rc = check_delegation(x)) < 0)
		return rc;
	if (pki_delegations_find(d, x->id) != NULL)
		return pki_error(PKI_EUSAGE, "delegation '%s' already exists", x->id);
	if ((rc = delegation_copy(&copy, x)) < 0)
		return rc;
	if ((v = pki_row_grow(d->v, d->n, &d->cap, sizeof(*d->v))) == NULL) {
		delegation_free(&copy);
		return pki_error(PKI_EINTERNAL, "out of memory");
	}
	d->v = v;
	d->v[d->n++] = copy;
	return 0;
}

struct pki_delegation *pki_delegations_find(const struct pki_delegations *d, const char *id)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->v[i].id, id) == 0)
			return &d->v[i];
	return NULL;
}

bool pki_delegation_same(const struct pki_delegation *a, const struct pki_delegation *b)
{
	return strcmp(a->grantor, b->grantor) == 0 && strcmp(a->grantee, b->grantee) == 0 &&
	       a->power == b->power && strcmp(a->scope, b->scope) == 0 && a->from == b->from &&
	       a->until == b->until && strcmp(a->reference, b->reference) == 0;
}

bool pki_delegation_valid(const struct pki_delegation *x, time_t at)
{
	return x->from <= at && (x->until == 0 || at < x->until);
}
