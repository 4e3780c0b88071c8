/* rows.c: helpers shared by the readers of the matrix and the delegations. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "rows.h"

int pki_row_strdup(char **out, const char *s)
{
	if ((*out = strdup(s != NULL ? s : "")) == NULL)
		return pki_error(PKI_EINTERNAL, "out of memory");
	return 0;
}

int pki_row_window(const char *from_s, const char *until_s, time_t *from, time_t *until)
{
	int rc;

	if ((rc = pki_time_parse("valid_from", from_s, from)) < 0)
		return rc;
	*until = 0;
	if (until_s[0] == '\0')
		return 0;
	if ((rc = pki_time_parse_until("valid_until", until_s, until)) < 0)
		return rc;
	if (*until <= *from)
		return pki_error(PKI_EUSAGE, "valid_until '%s' is not after valid_from '%s'",
				 until_s, from_s);
	return 0;
}

int pki_row_check_window(time_t from, time_t until)
{
	if (until != 0 && until <= from)
		return pki_error(PKI_EUSAGE, "valid_until is not after valid_from");
	return 0;
}

/*
 * The text as written is kept for round trips, but only while it still
 * names the time: a caller who changed the value alone gets the value.
 */
const char *pki_row_time_text(const char *text, time_t t, bool until, char buf[PKI_TIME_LEN])
{
	time_t parsed;
	int rc;

	if (text != NULL && text[0] != '\0') {
		rc = until ? pki_time_parse_until("time", text, &parsed) :
			     pki_time_parse("time", text, &parsed);
		if (rc == 0 && parsed == t)
			return text;
	}
	pki_time_format(t, buf);
	return buf;
}

static int key_cmp(const void *a, const void *b)
{
	const struct pki_row_key *x = a, *y = b;
	int c = strcmp(x->s, y->s);

	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

/* Sorting makes this n log n: the row files may hold many rows. */
int pki_row_dups(const char *file, const char *kind, struct pki_row_key *k, size_t n)
{
	size_t i, at = 0;

	if (n < 2)
		return 0;
	qsort(k, n, sizeof(*k), key_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(k[i - 1].s, k[i].s) == 0 && (at == 0 || k[i].line < k[at].line))
			at = i;
	if (at == 0)
		return 0;
	return pki_error(PKI_EDATA, "%s: line %zu: duplicate %s '%s' (first on line %zu)",
			 file, k[at].line, kind, k[at].s, k[at - 1].line);
}

void *pki_row_grow(void *v, size_t n, size_t *cap, size_t sz)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return v;
	/* Small first: the audit keeps a few such arrays for every commit
	 * of a history (its deltas, the products it touches), most of them
	 * of one to three rows. */
	ncap = *cap < 4 ? 4 : *cap * 2;
	if (ncap < *cap || (p = reallocarray(v, ncap, sz)) == NULL)
		return NULL;
	*cap = ncap;
	return p;
}
