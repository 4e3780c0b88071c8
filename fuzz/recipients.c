/* recipients.c: the OpenPGP packet headers read to list a ciphertext's
 * recipients without a secret key (lib/crypto.c), for the audit. */
#include <stdlib.h>

#include "crypto.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char (*ids)[PKI_KEYID_LEN] = NULL;
	size_t n = 0;

	(void)pki_gpg_recipients(NULL, data, size, &ids, &n);
	free(ids);
	return 0;
}
