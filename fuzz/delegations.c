/* delegations.c: delegations.csv (lib/delegation.c). */
#include <time.h>

#include "fuzz.h"
#include "matrix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pki_delegations d = { 0 }, again = { 0 };
	struct pki_buf out = PKI_BUF_INIT;
	size_t i;

	if (pki_delegations_parse(&d, (const char *)data, size) == 0) {
		for (i = 0; i < d.n; i++)
			(void)pki_delegation_valid(&d.v[i], (time_t)1772442000);
		if (pki_delegations_format(&d, &out) < 0 ||
		    pki_delegations_parse(&again, out.ptr, out.len) < 0 || again.n != d.n)
			__builtin_trap();
	}
	pki_delegations_release(&again);
	pki_delegations_release(&d);
	pki_buf_release(&out);
	return 0;
}
