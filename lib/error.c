/* error.c: the per-thread last-error slot and the exit-status mapping. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

#define MSG_MAX 1024

static _Thread_local char last[MSG_MAX];

static int set(int code, const char *fmt, va_list ap)
{
	vsnprintf(last, sizeof(last), fmt, ap);
	return -code;
}

int pki_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set(code, fmt, ap);
	va_end(ap);
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

int pki_report(const char *prog, int rc)
{
	int status = pki_exit_status(rc);

	if (rc < 0)
		fprintf(stderr, "%s: %s%s\n", prog,
			status == PKI_EPOLICY ? "refused: " : "",
			last[0] != '\0' ? last : "unknown error");
	return status;
}
