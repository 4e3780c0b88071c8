/* recipients.c: the OpenPGP packet reader that judges a product's
 * ciphertext for the audit (lib/pgp-packets.c), fed whole and then in
 * pieces of 1, 2, 3, ... bytes, as the audit streams it: the verdict must
 * not depend on where the pieces are cut. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pgp-packets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pki_pgp_msg whole, cut;
	size_t i, k;

	if (pki_pgp_read(&whole, data, size) < 0)
		return 0;
	pki_pgp_msg_init(&cut);
	for (i = 0, k = 1; i < size && !cut.done; i += k, k++)
		(void)pki_pgp_feed(&cut, data + i, size - i < k ? size - i : k);
	pki_pgp_finish(&cut);
	if (whole.malformed != cut.malformed || whole.nextra != cut.nextra ||
	    whole.npkesk != cut.npkesk || strcmp(whole.why, cut.why) != 0)
		abort();
	pki_pgp_msg_release(&whole);
	pki_pgp_msg_release(&cut);
	return 0;
}
