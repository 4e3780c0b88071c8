/* csv.c: the strict RFC 4180 reader (lib/csv.c), behind every table. */
#include "csv.h"
#include "fuzz.h"

static const char *const header[] = { "a", "b", "c" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pki_table *t = NULL;
	struct pki_buf out = PKI_BUF_INIT;
	size_t r;

	if (pki_table_parse(&t, "fuzz.csv", (const char *)data, size, header, 3) == 0) {
		/* What was read writes back, and reads back the same. */
		if (pki_csv_row(&out, header, 3) < 0)
			__builtin_trap();
		for (r = 0; r < t->nrows; r++)
			if (pki_csv_row(&out, (const char *const *)&t->cells[r * 3], 3) < 0)
				__builtin_trap();
		pki_table_free(t);
		t = NULL;
		if (pki_table_parse(&t, "again.csv", out.ptr, out.len, header, 3) < 0 ||
		    t->nrows != r)
			__builtin_trap();
	}
	pki_table_free(t);
	pki_buf_release(&out);
	return 0;
}
