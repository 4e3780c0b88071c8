/* error.h: error codes and the last-error message.
 *
 * Library functions return 0 on success or a negative PKI_E* code, and leave
 * a one-line message (no program name, no trailing newline) in a per-thread
 * slot.  The code is the exit status the command should end with, negated,
 * so that the mapping to sysexits(3) lives in one place.
 */
#ifndef PKI_ERROR_H
#define PKI_ERROR_H

#include <stdbool.h>

enum pki_status {
	PKI_OK       = 0,
	PKI_FINDINGS = 1,	/* audit findings */
	PKI_EUSAGE   = 64,	/* EX_USAGE */
	PKI_EDATA    = 65,	/* EX_DATAERR: bad data */
	PKI_ENOINPUT = 66,	/* EX_NOINPUT: no such product, file, repository */
	PKI_EUNAVAIL = 69,	/* EX_UNAVAILABLE: key or service unavailable */
	PKI_EINTERNAL= 70,	/* EX_SOFTWARE */
	PKI_EIO      = 74,	/* EX_IOERR */
	PKI_EBUSY    = 75,	/* EX_TEMPFAIL: repository busy, try again */
	PKI_EPOLICY  = 77,	/* EX_NOPERM: refused by policy */
	PKI_ECONFIG  = 78,	/* EX_CONFIG */
};

/* Set the message and return -code: `return pki_error(PKI_EDATA, "...")`. */
int pki_error(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Like pki_error(), appending ": " and strerror(errno). */
int pki_error_errno(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefix the current message with "context: " and return -code. */
int pki_error_wrap(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The last message of this thread ("" when none). */
const char *pki_error_last(void);
void pki_error_clear(void);

/* Map a negative library return (or 0) to an exit status. */
int pki_exit_status(int rc);

/* Is standard output a pipe whose reader has gone? */
bool pki_stdout_gone(void);

/*
 * For commands: print "prog: msg" or, for a policy refusal,
 * "prog: refused: msg" on stderr, and return the exit status for rc.  Nothing is printed for a write
 * that failed because standard output's reader has gone (EPIPE).
 */
int pki_report(const char *prog, int rc);

#endif
