/* matrix.c: access-matrix.csv (lib/matrix.c), as any clone may hold it. */
#include <time.h>

#include "fuzz.h"
#include "matrix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pki_matrix m = { 0 }, again = { 0 };
	struct pki_buf out = PKI_BUF_INIT;
	size_t i;

	if (pki_matrix_parse(&m, (const char *)data, size) == 0) {
		for (i = 0; i < m.n; i++)
			(void)pki_principal_valid(&m.v[i], (time_t)1772442000);
		/* A matrix that parses is written back as one that parses. */
		if (pki_matrix_format(&m, &out) < 0 ||
		    pki_matrix_parse(&again, out.ptr, out.len) < 0 || again.n != m.n)
			__builtin_trap();
	}
	pki_matrix_release(&again);
	pki_matrix_release(&m);
	pki_buf_release(&out);
	return 0;
}
