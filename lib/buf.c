/* buf.c: a growable byte buffer, and sinks and sources over it and over fds.
 *
 * A buffer may hold plaintext, so no byte of it is ever left behind in
 * freed memory: growth copies into a new block and wipes the old one
 * (realloc() could move the data and leave the old copy in the heap).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"

#define BUF_MIN 64
#define READ_CHUNK 65536

int pki_buf_grow(struct pki_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	/* len + extra + 1 (the NUL), without wrapping around. */
	if (extra > SIZE_MAX - 1 - b->len)
		return pki_error(PKI_EINTERNAL, "buffer size overflow");
	need = b->len + extra + 1;
	if (b->ptr != NULL && need <= b->cap)
		return 0;
	cap = b->cap < BUF_MIN ? BUF_MIN : b->cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if ((p = malloc(cap)) == NULL)
		return pki_error(PKI_EINTERNAL, "out of memory (%zu bytes)", cap);
	if (b->ptr != NULL) {
		memcpy(p, b->ptr, b->len);
		explicit_bzero(b->ptr, b->cap);
		free(b->ptr);
	}
	p[b->len] = '\0';
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int pki_buf_add(struct pki_buf *b, const void *data, size_t len)
{
	int rc;

	if ((rc = pki_buf_grow(b, len)) < 0)
		return rc;
	if (len > 0)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int pki_buf_adds(struct pki_buf *b, const char *s)
{
	return pki_buf_add(b, s, strlen(s));
}

int pki_buf_printf(struct pki_buf *b, const char *fmt, ...)
{
	va_list ap, aq;
	int n, rc;

	va_start(ap, fmt);
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		rc = pki_error(PKI_EINTERNAL, "cannot format '%s'", fmt);
		goto out;
	}
	if ((rc = pki_buf_grow(b, (size_t)n)) < 0)
		goto out;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, aq);
	b->len += (size_t)n;
out:
	va_end(aq);
	return rc;
}

/* Wipe the whole capacity: a caller may have written past len directly. */
void pki_buf_reset(struct pki_buf *b)
{
	if (b->ptr == NULL)
		return;
	explicit_bzero(b->ptr, b->cap);
	b->len = 0;
}

void pki_buf_truncate(struct pki_buf *b, size_t len)
{
	if (b->ptr == NULL || len >= b->len)
		return;
	b->len = len;
	b->ptr[len] = '\0';
}

void pki_buf_release(struct pki_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

void pki_buf_wipe(struct pki_buf *b)
{
	if (b->ptr != NULL)
		explicit_bzero(b->ptr, b->cap);
	pki_buf_release(b);
}

/* NULL only when even one byte cannot be allocated (the message is set). */
char *pki_buf_detach(struct pki_buf *b, size_t *len)
{
	char *p;

	if (pki_buf_grow(b, 0) < 0)
		return NULL;
	p = b->ptr;
	if (len != NULL)
		*len = b->len;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

int pki_sink_buf(void *buf, const void *data, size_t len)
{
	return pki_buf_add(buf, data, len);
}

int pki_sink_fd(void *fdp, const void *data, size_t len)
{
	int fd = *(int *)fdp;
	const char *p = data;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len > SSIZE_MAX ? SSIZE_MAX : len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return pki_error_errno(PKI_EIO, "cannot write");
		if (n == 0)
			return pki_error(PKI_EIO, "cannot write: no progress");
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

long pki_source_fd(void *fdp, void *data, size_t len)
{
	int fd = *(int *)fdp;
	ssize_t n;

	if (len > LONG_MAX)
		len = LONG_MAX;
	do
		n = read(fd, data, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return pki_error_errno(PKI_EIO, "cannot read");
	return (long)n;
}

/*
 * Append the whole of fd to b.  One byte more than max is asked for, so a
 * file of exactly max bytes is accepted without a further read.  On failure
 * what was appended is wiped and b is left as it was.
 */
int pki_read_fd(int fd, size_t max, struct pki_buf *b)
{
	size_t start = b->len, total = 0, want;
	long n;
	int rc;

	for (;;) {
		want = max - total < READ_CHUNK ? max - total + 1 : READ_CHUNK;
		if ((rc = pki_buf_grow(b, want)) < 0)
			goto out;
		if ((n = pki_source_fd(&fd, b->ptr + b->len, want)) < 0) {
			rc = (int)n;
			goto out;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		total += (size_t)n;
		b->ptr[b->len] = '\0';
		if (total > max) {
			rc = pki_error(PKI_EDATA, "input is larger than %zu bytes", max);
			goto out;
		}
	}
	rc = 0;
out:
	if (rc < 0 && b->ptr != NULL) {
		explicit_bzero(b->ptr + start, b->cap - start);
		b->len = start;
	}
	return rc;
}
