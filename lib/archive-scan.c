/* archive-scan.c: what the registry says of transfers to the archives.
 *
 * One pass over the shards of a window: the references of the archive
 * rows (which transfers were made), and the products classified or
 * received in the period with the last action on each.  Rows come in time
 * order (pki_registry_scan), so a product is known before any later row
 * about it.  Memory grows with the products of one period, not with the
 * registry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "registry.h"
#include "repo.h"
#include "rows.h"
#include "transfer.h"

static size_t hash(const char *s)
{
	size_t h = 14695981039346656037ULL;	/* FNV-1a */

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static struct pki_xrec *find(const struct pki_xscan *sc, const char *id)
{
	size_t i;

	if (sc->nslot == 0)
		return NULL;
	for (i = hash(id) & (sc->nslot - 1); sc->slot[i] != 0; i = (i + 1) & (sc->nslot - 1))
		if (strcmp(sc->v[sc->slot[i] - 1].id, id) == 0)
			return &sc->v[sc->slot[i] - 1];
	return NULL;
}

static void place(struct pki_xscan *sc, size_t index)
{
	size_t i = hash(sc->v[index].id) & (sc->nslot - 1);

	while (sc->slot[i] != 0)
		i = (i + 1) & (sc->nslot - 1);
	sc->slot[i] = index + 1;
}

/* Keep the table at most half full. */
static int rehash(struct pki_xscan *sc)
{
	size_t n = sc->nslot ? 2 * sc->nslot : 64, i;
	size_t *slot;

	if (2 * (sc->n + 1) <= sc->nslot)
		return 0;
	if ((slot = calloc(n, sizeof(*slot))) == NULL)
		return pki_error(PKI_EINTERNAL, "archive: out of memory");
	free(sc->slot);
	sc->slot = slot;
	sc->nslot = n;
	for (i = 0; i < sc->n; i++)
		place(sc, i);
	return 0;
}

static int add_record(struct pki_xscan *sc, const char *id, const char *action, time_t at)
{
	struct pki_xrec *v;
	int rc;

	if (pki_check_product_id(id) < 0)
		return pki_error_wrap(PKI_EDATA, "registry");
	if ((rc = rehash(sc)) < 0)
		return rc;
	if ((v = pki_row_grow(sc->v, sc->n, &sc->cap, sizeof(*v))) == NULL)
		return pki_error(PKI_EINTERNAL, "archive: out of memory");
	sc->v = v;
	v = &sc->v[sc->n];
	snprintf(v->id, sizeof(v->id), "%s", id);
	snprintf(v->last, sizeof(v->last), "%s", action);
	v->last_time = at;
	place(sc, sc->n++);
	return 0;
}

static int add_ref(struct pki_xscan *sc, const char *ref)
{
	char **v;

	if (*ref == '\0' || pki_xscan_transferred(sc, ref))
		return 0;
	if ((v = pki_row_grow(sc->refs, sc->nrefs, &sc->caprefs, sizeof(*v))) == NULL)
		return pki_error(PKI_EINTERNAL, "archive: out of memory");
	sc->refs = v;
	if ((sc->refs[sc->nrefs] = strdup(ref)) == NULL)
		return pki_error(PKI_EINTERNAL, "archive: out of memory");
	sc->nrefs++;
	return 0;
}

static int on_row(void *arg, const char *const *f)
{
	struct pki_xscan *sc = arg;
	const char *action = f[PKI_COL_ACTION], *id = f[PKI_COL_PRODUCT];
	struct pki_xrec *x;
	time_t at;
	int rc;

	if (strcmp(action, "archive") == 0 && (rc = add_ref(sc, f[PKI_COL_REFERENCE])) < 0)
		return rc;
	/* pki_registry_scan has parsed the time already. */
	if (pki_time_parse("time", f[PKI_COL_TIME], &at) < 0 ||
	    at < sc->pfrom || at >= sc->puntil)
		return 0;
	if ((x = find(sc, id)) != NULL) {
		snprintf(x->last, sizeof(x->last), "%s", action);
		x->last_time = at;
		return 0;
	}
	if (strcmp(action, "classify") == 0 || strcmp(action, "receive") == 0)
		return add_record(sc, id, action, at);
	return 0;
}

int pki_xscan_run(struct pki_xscan *sc, struct pki_repo *r, time_t since, time_t until)
{
	struct pki_registry_filter f = { NULL, NULL, since, until };

	return pki_registry_scan(r, &f, on_row, sc);
}

bool pki_xscan_transferred(const struct pki_xscan *sc, const char *ref)
{
	size_t i;

	for (i = 0; i < sc->nrefs; i++)
		if (strcmp(sc->refs[i], ref) == 0)
			return true;
	return false;
}

void pki_xscan_reset(struct pki_xscan *sc, time_t pfrom, time_t puntil)
{
	sc->n = 0;
	if (sc->slot != NULL)
		memset(sc->slot, 0, sc->nslot * sizeof(*sc->slot));
	sc->pfrom = pfrom;
	sc->puntil = puntil;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct pki_xrec *)a)->id, ((const struct pki_xrec *)b)->id);
}

void pki_xscan_sort(struct pki_xscan *sc)
{
	free(sc->slot);
	sc->slot = NULL;
	sc->nslot = 0;
	if (sc->n > 0)
		qsort(sc->v, sc->n, sizeof(*sc->v), by_id);
}

void pki_xscan_release(struct pki_xscan *sc)
{
	size_t i;

	for (i = 0; i < sc->nrefs; i++)
		free(sc->refs[i]);
	free(sc->refs);
	free(sc->v);
	free(sc->slot);
	memset(sc, 0, sizeof(*sc));
}

int pki_xscan_first_month(struct pki_repo *r, time_t *first)
{
	char **names = NULL;
	struct tm tm;
	size_t n, i;
	int y, m, len, rc;

	*first = 0;
	if ((rc = pki_repo_list(r, PKI_REGISTRY_DIR, &names, &n)) < 0)
		return rc;
	/* Sorted as git sorts them: the first well-named one is the oldest. */
	for (i = 0; i < n && *first == 0; i++) {
		len = 0;
		if (sscanf(names[i], "%4d-%2d.csv%n", &y, &m, &len) != 2 || len != 11 ||
		    names[i][len] != '\0' || y < 1970 || m < 1 || m > 12)
			continue;
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = y - 1900;
		tm.tm_mon = m - 1;
		tm.tm_mday = 1;
		*first = timegm(&tm);
	}
	pki_strv_free(names);
	return 0;
}
