/* buf.h: a growable byte buffer, always NUL-terminated.
 *
 * Buffers that may hold plaintext are released with pki_buf_wipe(), which
 * clears every byte ever written before freeing (explicit_bzero).
 */
#ifndef PKI_BUF_H
#define PKI_BUF_H

#include <stddef.h>
#include <stdint.h>

struct pki_buf {
	char *ptr;
	size_t len;
	size_t cap;
};

#define PKI_BUF_INIT { NULL, 0, 0 }

int pki_buf_grow(struct pki_buf *b, size_t extra);
int pki_buf_add(struct pki_buf *b, const void *data, size_t len);
int pki_buf_adds(struct pki_buf *b, const char *s);
int pki_buf_printf(struct pki_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pki_buf_reset(struct pki_buf *b);	/* len = 0, keep memory (wiped) */
void pki_buf_truncate(struct pki_buf *b, size_t len);	/* len = min(len, b->len) */
void pki_buf_release(struct pki_buf *b);	/* free */
void pki_buf_wipe(struct pki_buf *b);	/* explicit_bzero the capacity, then free */
/* Hand the memory to the caller (NUL-terminated; never NULL). */
char *pki_buf_detach(struct pki_buf *b, size_t *len);

/*
 * A sink takes bytes as they stream (ciphertext to a blob, a copy to a
 * file descriptor, a hash).  write returns 0 or a negative PKI_E* code.
 */
struct pki_sink {
	int (*write)(void *ctx, const void *data, size_t len);
	void *ctx;
};

/* A source yields bytes: read returns the count, 0 at end, or -PKI_E*. */
struct pki_source {
	long (*read)(void *ctx, void *data, size_t len);
	void *ctx;
	uint64_t size;		/* the bytes it will give, when known (progress); 0: unknown */
};

/* Sinks and sources over a struct pki_buf and a file descriptor. */
int pki_sink_buf(void *buf, const void *data, size_t len);
int pki_sink_fd(void *fdp, const void *data, size_t len);	/* ctx: int * */
long pki_source_fd(void *fdp, void *data, size_t len);		/* ctx: int * */

/* Read a whole (small) file descriptor into b, at most max bytes. */
int pki_read_fd(int fd, size_t max, struct pki_buf *b);

#endif
