/* recipients-test: the key IDs of a ciphertext's PKESK packets (RFC 4880
 * 5.1), read without a secret key for the audit, whatever follows them:
 * gpg frames a large product's encrypted data with partial body lengths
 * (4.2.2.4), and the audit reads only the head of a large ciphertext. */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "tap.h"

/* A v3 PKESK packet (new format, tag 1) to key ID 0102030405060708. */
static const unsigned char pkesk[] = {
	0xc1, 12, 3, 1, 2, 3, 4, 5, 6, 7, 8, 18, 0xaa, 0xbb,
};

/* n bytes: the PKESK, then an encrypted data packet (tag 18) whose
 * header is hdr (hlen bytes), then filler. */
static unsigned char *message(const unsigned char *hdr, size_t hlen, size_t n)
{
	unsigned char *m = calloc(1, n);

	if (m == NULL)
		return NULL;
	memcpy(m, pkesk, sizeof(pkesk));
	memcpy(m + sizeof(pkesk), hdr, hlen);
	return m;
}

static void one(const char *what, const unsigned char *hdr, size_t hlen, size_t n)
{
	char (*ids)[PKI_KEYID_LEN] = NULL;
	unsigned char *m = message(hdr, hlen, n);
	size_t count = 0;
	int rc;

	if (m == NULL) {
		ok(0, "%s: out of memory", what);
		return;
	}
	rc = pki_gpg_recipients(NULL, m, n, &ids, &count);
	is_int(rc, 0, "%s: the message is read", what);
	is_int(count, 1, "%s: one recipient", what);
	if (rc == 0 && count == 1)
		is_str(ids[0], "0102030405060708", "%s: its key ID", what);
	free(ids);
	free(m);
}

int main(void)
{
	/* Definite length, all of it there. */
	static const unsigned char whole[] = { 0xd2, 20, 1 };
	/* Partial body length (2^13 bytes first): what gpg writes when it
	 * streams a product larger than its buffer. */
	static const unsigned char partial[] = { 0xd2, 0xed, 1 };
	/* A definite length of 1,000,000 bytes, only the head of it read. */
	static const unsigned char head[] = { 0xd2, 0xff, 0x00, 0x0f, 0x42, 0x40, 1 };
	/* The same in the old packet format, tag 9 (old symmetric data). */
	static const unsigned char old[] = { 0xa6, 0x00, 0x0f, 0x42, 0x40, 1 };
	char (*ids)[PKI_KEYID_LEN] = NULL;
	size_t count = 0;

	one("definite length", whole, sizeof(whole), sizeof(pkesk) + 2 + 20);
	one("partial body length", partial, sizeof(partial), sizeof(pkesk) + 64);
	one("the head of a long packet", head, sizeof(head), sizeof(pkesk) + 64);
	one("an old-format packet after it", old, sizeof(old), sizeof(pkesk) + 64);
	ok(pki_gpg_recipients(NULL, "not openpgp", 11, &ids, &count) < 0,
	   "no packets: refused");
	ok(pki_gpg_recipients(NULL, pkesk, 5, &ids, &count) < 0,
	   "a PKESK cut short: refused");
	free(ids);
	return done_testing();
}
