/* label.c: a confidentiality label (lib/label.c): XML from any clone,
 * parsed, schema-validated, checked; a valid one written back. */
#include "fuzz.h"
#include "label.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pki_label l = { 0 }, again = { 0 };
	struct pki_buf out = PKI_BUF_INIT;

	if (pki_label_parse(&l, (const char *)data, size) == 0) {
		if (pki_label_format(&l, &out) < 0 ||
		    pki_label_parse(&again, out.ptr, out.len) < 0)
			__builtin_trap();
	}
	pki_label_release(&again);
	pki_label_release(&l);
	pki_buf_release(&out);
	return 0;
}
