/* error.c: the per-thread last-error slot and the exit-status mapping. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "vocab.h"

#define MSG_MAX 1024

static _Thread_local char last[MSG_MAX];
static _Thread_local int last_errno;	/* errno of pki_error_errno, else 0 */

/*
 * Messages quote what they were given (a revision, a path, a field, a
 * library's own words): no control character of it, C1 and invalid UTF-8
 * included, reaches a terminal, and a message stays on one line.
 */
static void scrub(char *s)
{
	unsigned char *p = (unsigned char *)s;
	uint32_t c;
	size_t n;

	while (*p != '\0') {
		n = pki_utf8_len(p, &c);
		if (n == 0)
			n = 1, c = 0;
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
			memset(p, '?', n);
		p += n;
	}
}

__attribute__((format(printf, 2, 0)))
static int set(int code, const char *fmt, va_list ap)
{
	vsnprintf(last, sizeof(last), fmt, ap);
	scrub(last);
	return -code;
}

int pki_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set(code, fmt, ap);
	va_end(ap);
	last_errno = 0;
	return -code;
}

int pki_error_errno(int code, const char *fmt, ...)
{
	int saved = errno;
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	set(code, fmt, ap);
	va_end(ap);
	len = strlen(last);
	snprintf(last + len, sizeof(last) - len, ": %s", strerror(saved));
	last_errno = saved;
	return -code;
}

int pki_error_wrap(int code, const char *fmt, ...)
{
	char inner[MSG_MAX];
	size_t len;
	va_list ap;

	memcpy(inner, last, sizeof(inner));
	va_start(ap, fmt);
	set(code, fmt, ap);
	va_end(ap);
	len = strlen(last);
	if (inner[0] != '\0')
		snprintf(last + len, sizeof(last) - len, ": %s", inner);
	return -code;
}

const char *pki_error_last(void)
{
	return last;
}

void pki_error_clear(void)
{
	last[0] = '\0';
	last_errno = 0;
}

int pki_exit_status(int rc)
{
	if (rc >= 0)
		return rc == PKI_FINDINGS ? PKI_FINDINGS : 0;
	rc = -rc;
	switch (rc) {
	case PKI_FINDINGS: case PKI_EUSAGE: case PKI_EDATA: case PKI_ENOINPUT:
	case PKI_EUNAVAIL: case PKI_EINTERNAL: case PKI_EIO: case PKI_EBUSY:
	case PKI_EPOLICY: case PKI_ECONFIG:
		return rc;
	default:
		return PKI_EINTERNAL;
	}
}

bool pki_stdout_gone(void)
{
	struct pollfd p = { 1, POLLOUT, 0 };

	/* A pipe whose reader has gone polls as an error. */
	return poll(&p, 1, 0) == 1 && (p.revents & POLLERR) != 0;
}

int pki_report(const char *prog, int rc)
{
	int status = pki_exit_status(rc);

	/* The reader has gone (`| head -1`): nothing to say, and
	 * pki_cli_exit ends the command as SIGPIPE would. */
	if (rc < 0 && last_errno == EPIPE && pki_stdout_gone())
		return status;
	if (rc < 0)
		fprintf(stderr, "%s: %s%s\n", prog,
			status == PKI_EPOLICY ? "refused: " : "",
			last[0] != '\0' ? last : "unknown error");
	return status;
}
