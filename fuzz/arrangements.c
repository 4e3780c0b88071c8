/* arrangements.c: arrangements.csv (lib/arrangement.c). */
#include <time.h>

#include "arrangement.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pki_arrangements a = { 0 }, again = { 0 };
	struct pki_buf out = PKI_BUF_INIT;
	size_t i;

	if (pki_arrangements_parse(&a, (const char *)data, size) == 0) {
		for (i = 0; i < a.n; i++)
			(void)pki_arrangement_valid(&a.v[i], (time_t)1772442000);
		if (pki_arrangements_format(&a, &out) < 0 ||
		    pki_arrangements_parse(&again, out.ptr, out.len) < 0 || again.n != a.n)
			__builtin_trap();
		for (i = 0; i < a.n; i++)
			if (!pki_arrangement_same(&a.v[i], &again.v[i]))
				__builtin_trap();
	}
	pki_arrangements_release(&again);
	pki_arrangements_release(&a);
	pki_buf_release(&out);
	return 0;
}
