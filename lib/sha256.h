/* sha256.h: SHA-256 (FIPS 180-4), streaming.
 *
 * Used to bind a label to its ciphertext (pki-files(5)) and for the payload
 * manifests of archive transfers (pki-archive(1)), where products may be of any
 * size: feed the bytes as they stream past, never hold them all.
 */
#ifndef PKI_SHA256_H
#define PKI_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define PKI_SHA256_LEN 32

struct pki_sha256 {
	uint32_t h[8];		/* the chaining state */
	uint64_t len;		/* bytes hashed so far */
	unsigned char block[64];	/* a partial block waiting for more */
	size_t fill;		/* bytes used in block */
};

void pki_sha256_init(struct pki_sha256 *c);
void pki_sha256_update(struct pki_sha256 *c, const void *data, size_t len);
/* Pad, write the digest, and wipe the context. */
void pki_sha256_final(struct pki_sha256 *c, unsigned char out[PKI_SHA256_LEN]);

/* Lowercase hex, NUL-terminated. */
void pki_sha256_hex(const unsigned char d[PKI_SHA256_LEN], char out[65]);

/* A struct pki_sink write function; ctx is a struct pki_sha256 *. */
int pki_sink_sha256(void *ctx, const void *data, size_t len);

#endif
