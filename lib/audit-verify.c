/* audit-verify.c: signatures verified in small helper processes.
 *
 * GPGME runs one gpg per verification, by fork and exec, and a fork
 * copies the page tables of the process that forks.  The audit holds a
 * whole history in memory by the time it verifies (150 MiB for 10,000
 * commits), where one fork costs about ten times what it costs a process
 * of 15 MiB (bench/README).  So the verifying is done by helpers forked
 * before the history is read: each takes (signature, payload) pairs on a
 * socket and answers with the signer's fingerprint or the reason it has
 * none, and whether the signing key is revoked now (a flag of its own:
 * only a signature that verifies can carry it).  When a helper cannot be had, the caller verifies itself.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit-int.h"
#include "error.h"

#define SIG_MAX (64 * 1024)
#define PAYLOAD_MAX (16 * 1024 * 1024)
#define ANSWER_MAX 1024

struct pki_verifier {
	pid_t pid;
	int fd;
};

/* All of len, or -1 (EOF counts as an error). */
static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* No SIGPIPE when the other side is gone: an error instead. */
static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* --- the helper --- */

static int answer(int fd, int32_t rc, uint32_t revoked, const char *text)
{
	uint32_t len = (uint32_t)strnlen(text, ANSWER_MAX);

	if (write_all(fd, &rc, sizeof(rc)) < 0 || write_all(fd, &revoked, sizeof(revoked)) < 0 ||
	    write_all(fd, &len, sizeof(len)) < 0)
		return -1;
	return write_all(fd, text, len);
}

/* One request: the lengths, the signature, the payload. */
static int serve_one(int fd, struct pki_gpg *g, struct pki_buf *sig, struct pki_buf *pay)
{
	uint32_t len[2];
	char signer[41];
	bool revoked;
	int rc;

	if (read_all(fd, len, sizeof(len)) < 0 || len[0] > SIG_MAX || len[1] > PAYLOAD_MAX)
		return -1;
	pki_buf_reset(sig);
	pki_buf_reset(pay);
	if (pki_buf_grow(sig, len[0] + 1) < 0 || pki_buf_grow(pay, len[1] + 1) < 0 ||
	    read_all(fd, sig->ptr, len[0]) < 0 || read_all(fd, pay->ptr, len[1]) < 0)
		return -1;
	rc = pki_gpg_verify(g, sig->ptr, len[0], pay->ptr, len[1], signer, &revoked);
	return answer(fd, rc, rc == 0 && revoked, rc == 0 ? signer : pki_error_last());
}

static void serve(int fd)
{
	struct pki_buf sig = PKI_BUF_INIT, pay = PKI_BUF_INIT;
	struct pki_gpg *g = NULL;

	if (pki_gpg_new(&g) == 0)
		while (serve_one(fd, g, &sig, &pay) == 0)
			;
	_exit(0);	/* nothing of the parent's to flush or free */
}

/* --- the audit's side --- */

int pki_verifier_start(struct pki_verifier **out)
{
	struct pki_verifier *v;
	int sv[2];

	*out = NULL;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "verifier");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		free(v);
		return pki_error_errno(PKI_EINTERNAL, "verifier: socketpair");
	}
	if ((v->pid = fork()) < 0) {
		close(sv[0]);
		close(sv[1]);
		free(v);
		return pki_error_errno(PKI_EINTERNAL, "verifier: fork");
	}
	if (v->pid == 0) {
		close(sv[0]);
		serve(sv[1]);
	}
	close(sv[1]);
	v->fd = sv[0];
	*out = v;
	return 0;
}

static int remote_verify(struct pki_verifier *v, const struct pki_buf *sig,
			 const struct pki_buf *payload, char signer[41], bool *revoked)
{
	uint32_t len[2] = { (uint32_t)sig->len, (uint32_t)payload->len }, n, rev;
	char text[ANSWER_MAX + 1];
	int32_t rc;

	signer[0] = '\0';
	*revoked = false;
	if (sig->len > SIG_MAX || payload->len > PAYLOAD_MAX)
		return 1;	/* the helper would refuse it: verify it here */
	if (write_all(v->fd, len, sizeof(len)) < 0 || write_all(v->fd, sig->ptr, sig->len) < 0 ||
	    write_all(v->fd, payload->ptr, payload->len) < 0 ||
	    read_all(v->fd, &rc, sizeof(rc)) < 0 || read_all(v->fd, &rev, sizeof(rev)) < 0 ||
	    read_all(v->fd, &n, sizeof(n)) < 0 || n > ANSWER_MAX || read_all(v->fd, text, n) < 0 ||
	    (rc == 0 && n > 40) || rev > 1 || (rev == 1 && rc != 0))
		return 1;	/* the helper is gone, or not making sense */
	text[n] = '\0';
	if (rc == 0) {
		memcpy(signer, text, n + 1);
		*revoked = rev == 1;
		return 0;
	}
	return pki_error(rc < 0 ? -rc : PKI_EDATA, "%s", text);
}

int pki_audit_verify(struct pki_verifier **helper, struct pki_gpg *g,
		     const struct pki_commit *c, char signer[41], bool *revoked)
{
	int rc;

	if (*helper != NULL) {
		if ((rc = remote_verify(*helper, &c->signature, &c->payload, signer, revoked)) <= 0)
			return rc;
		*helper = NULL;	/* gone: this thread verifies from now on */
	}
	return pki_gpg_verify(g, c->signature.ptr, c->signature.len, c->payload.ptr,
			      c->payload.len, signer, revoked);
}

void pki_verifier_stop(struct pki_verifier *v)
{
	if (v == NULL)
		return;
	close(v->fd);	/* the helper reads EOF and exits */
	while (waitpid(v->pid, NULL, 0) < 0 && errno == EINTR)
		;
	free(v);
}
