/* registry.c: a registry shard, as pki-register reads it (the table and
 * each row's time) and as the audit reads it, row by row. */
#include <time.h>

#include "audit-int.h"
#include "csv.h"
#include "fuzz.h"
#include "registry.h"

static void as_listed(const char *data, size_t size)
{
	struct pki_table *t = NULL;
	time_t at;
	size_t r;

	/* Either width: shards written before the medium column too. */
	if (pki_registry_parse(&t, "registry/2026-03.csv", data, size, NULL) == 0)
		for (r = 0; r < t->nrows; r++)
			(void)pki_time_parse("time", pki_table_get(t, r, PKI_COL_TIME), &at);
	pki_table_free(t);
}

static void as_audited(const char *data, size_t size)
{
	struct pki_arow *rows = NULL;
	size_t n = 0, cap = 0;
	char why[256];

	(void)pki_audit_rows_read("registry/2026-03.csv", data, size, 0, &rows, &n, &cap, why);
	pki_audit_rows_free(rows, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	as_listed((const char *)data, size);
	as_audited((const char *)data, size);
	return 0;
}
