/* audit-verify.c: signatures verified beside the walk, in small helper
 * processes.
 *
 * GPGME runs one gpg per verification, by fork and exec, and a fork
 * copies the page tables of the process that forks.  The audit holds a
 * whole history in memory by the time it verifies (150 MiB for 10,000
 * commits), where one fork costs about ten times what it costs a process
 * of 15 MiB (bench/README).  So the verifying is done by helpers forked
 * before the history is read: each takes (signature, payload) pairs on a
 * socket and answers with the signer's fingerprint or the reason it has
 * none, and whether the signing key is revoked now (a flag of its own:
 * only a signature that verifies can carry it).  When a helper cannot be
 * had, the caller verifies itself.
 *
 * The verifiers are threads, one per helper, started before the walk:
 * the walk hands each commit over as soon as it has read it, and the
 * threads verify while it goes on reading, and while the tables, the
 * shape of the history and the key files are checked.  Nothing is judged
 * meanwhile: the judging waits, commit by commit in history order, for
 * each one's verification (pki_audit_verified).  A key the keyring lacks
 * is imported only after the walk (audit-tables.c): when the tip holds
 * one, the threads wait for that import before they begin; when the
 * import adds one they could not wait for, a commit whose verification
 * failed before it is verified again.
 */
#include <errno.h>
#include <pthread.h>
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

	if (pki_gpg_new(&g) == 0 && pki_gpg_verifier(g) == 0)
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
		/* The helper's copy of v is the parent's business. */
		free(v);
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

/* As pki_gpg_verify does: by *helper, or with g when there is none (or
 * it has gone: then *helper is NULLed). */
static int verify_one(struct pki_verifier **helper, struct pki_gpg *g,
		      const struct pki_buf *sig, const struct pki_buf *payload, char signer[41],
		      bool *revoked)
{
	int rc;

	if (*helper != NULL) {
		if ((rc = remote_verify(*helper, sig, payload, signer, revoked)) <= 0)
			return rc;
		*helper = NULL;	/* gone: this thread verifies from now on */
	}
	return pki_gpg_verify(g, sig->ptr, sig->len, payload->ptr, payload->len, signer, revoked);
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

/* --- the threads --- */

struct worker {
	struct pki_auditor *au;
	struct pki_gpg *g;
	struct pki_verifier *helper;	/* NULL: verify here */
};

struct pki_averifiers {
	pthread_mutex_t lock;
	pthread_cond_t more;		/* a commit handed over, the hold lifted, or the end */
	pthread_cond_t done;		/* a commit verified, or a thread failed */
	struct worker w[PKI_AUDIT_THREADS_MAX];
	pthread_t tid[PKI_AUDIT_THREADS_MAX];
	unsigned n, started;
	size_t handed, next;		/* commits handed over; the next to take */
	size_t verified;
	unsigned keys;			/* bumped by an import: older failures are stale */
	bool held, walked, stopping, shown;
	int rc;				/* a thread's own failure (out of memory) */
};

/* Commit i, by worker w; the lock is held on entry and on return. */
static void verify_commit(struct pki_averifiers *vs, struct worker *w, size_t i)
{
	struct pki_auditor *au = w->au;
	struct pki_buf sig = au->cv[i].c.signature, payload = au->cv[i].c.payload;
	unsigned keys = vs->keys;
	char signer[41] = "", *bad = NULL;
	bool revoked = false;
	int rc = 0;

	/* The buffers stay where they are while the walk grows cv. */
	if (sig.len > 0) {
		pthread_mutex_unlock(&vs->lock);
		if (verify_one(&w->helper, w->g, &sig, &payload, signer, &revoked) < 0 &&
		    (bad = strdup(pki_error_last())) == NULL)	/* this thread's own slot */
			rc = pki_error_errno(PKI_EINTERNAL, "verify");
		pthread_mutex_lock(&vs->lock);
	}
	memcpy(au->cv[i].signer, signer, sizeof(signer));
	if (bad != NULL)
		au->cv[i].signer[0] = '\0';
	au->cv[i].revoked = bad == NULL && revoked;
	au->cv[i].bad = bad;
	au->cv[i].keys = keys;
	au->cv[i].verified = true;
	vs->verified++;
	if (rc < 0 && vs->rc == 0) {
		vs->rc = rc;
		vs->stopping = true;
		pthread_cond_broadcast(&vs->more);
	}
	pthread_cond_broadcast(&vs->done);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct pki_averifiers *vs = w->au->verifiers;

	pthread_mutex_lock(&vs->lock);
	for (;;) {
		if (vs->stopping || (vs->walked && vs->next == vs->handed))
			break;
		if (vs->held || vs->next == vs->handed) {
			pthread_cond_wait(&vs->more, &vs->lock);
			continue;
		}
		verify_commit(vs, w, vs->next++);
	}
	pthread_mutex_unlock(&vs->lock);
	return NULL;
}

int pki_audit_verifiers_start(struct pki_auditor *au)
{
	struct pki_averifiers *vs;
	bool held;
	unsigned i;
	int rc;

	/* A key of the tip's missing here: verify nothing before its import. */
	if ((rc = pki_audit_tip_keys_missing(au, &held)) < 0)
		return rc;
	if ((vs = calloc(1, sizeof(*vs))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "verifiers");
	if ((errno = pthread_mutex_init(&vs->lock, NULL)) != 0) {
		free(vs);
		return pki_error_errno(PKI_EINTERNAL, "verifiers");
	}
	if ((errno = pthread_cond_init(&vs->more, NULL)) != 0 ||
	    (errno = pthread_cond_init(&vs->done, NULL)) != 0) {
		pthread_cond_destroy(&vs->more);
		pthread_mutex_destroy(&vs->lock);
		free(vs);
		return pki_error_errno(PKI_EINTERNAL, "verifiers");
	}
	vs->held = held;
	au->verifiers = vs;
	/* Contexts are made here, before the threads run; a thread without
	 * a helper verifies itself. */
	for (vs->n = 0; vs->n < pki_audit_threads(au); vs->n++) {
		vs->w[vs->n].au = au;
		vs->w[vs->n].helper = vs->n < au->nhelpers ? au->helpers[vs->n] : NULL;
		if ((rc = pki_gpg_new(&vs->w[vs->n].g)) < 0 ||
		    (rc = pki_gpg_verifier(vs->w[vs->n].g)) < 0)
			return rc;
	}
	for (i = 0; i < vs->n; i++) {
		if (pthread_create(&vs->tid[i], NULL, work, &vs->w[i]) != 0)
			break;	/* fewer threads; none: the judging verifies */
		vs->started++;
	}
	return 0;
}

void pki_audit_verifiers_lock(struct pki_auditor *au)
{
	if (au->verifiers != NULL)
		pthread_mutex_lock(&au->verifiers->lock);
}

void pki_audit_verifiers_unlock(struct pki_auditor *au)
{
	if (au->verifiers != NULL)
		pthread_mutex_unlock(&au->verifiers->lock);
}

void pki_audit_verifiers_hand(struct pki_auditor *au, size_t n, bool walked)
{
	struct pki_averifiers *vs = au->verifiers;

	if (vs == NULL)
		return;
	pthread_mutex_lock(&vs->lock);
	vs->handed = n;
	vs->walked = walked;
	pthread_cond_broadcast(&vs->more);
	pthread_mutex_unlock(&vs->lock);
}

void pki_audit_verifiers_keyed(struct pki_auditor *au, bool imported)
{
	struct pki_averifiers *vs = au->verifiers;

	if (vs == NULL)
		return;
	pthread_mutex_lock(&vs->lock);
	if (imported)
		vs->keys++;
	vs->held = false;
	pthread_cond_broadcast(&vs->more);
	pthread_mutex_unlock(&vs->lock);
}

/* 1 once every commit is verified, else 0; < 0 when a thread failed. */
int pki_audit_verified(struct pki_auditor *au, size_t i)
{
	struct pki_averifiers *vs = au->verifiers;
	struct pki_acommit *ac = &au->cv[i];
	struct worker self = { au, au->gpg, NULL };
	bool stale;
	int rc;

	if (vs == NULL)
		return pki_error(PKI_EINTERNAL, "no verifiers");
	pthread_mutex_lock(&vs->lock);
	if (vs->started == 0 && !ac->verified)
		verify_commit(vs, &self, i);
	while (!ac->verified && vs->rc == 0) {
		pki_progress_report(au->o->progress, "Verifying signatures", vs->verified, au->nc);
		pthread_cond_wait(&vs->done, &vs->lock);
	}
	rc = vs->rc;
	stale = ac->bad != NULL && ac->keys != vs->keys;
	if (rc == 0 && stale) {
		/* Verified before a key it may need was imported: again. */
		free(ac->bad);
		ac->bad = NULL;
		vs->verified--;
		verify_commit(vs, &self, i);
		rc = vs->rc;
	}
	/* Judged from here on by its signer alone: the bytes can go (a
	 * history of 100,000 commits holds 50 MiB of them). */
	if (rc == 0)
		pki_buf_release(&ac->c.payload);
	if (!vs->shown && vs->verified == au->nc) {
		pki_progress_report(au->o->progress, "Verifying signatures", au->nc, au->nc);
		vs->shown = true;
	}
	pthread_mutex_unlock(&vs->lock);
	return rc < 0 ? rc : vs->shown;
}

void pki_audit_verifiers_stop(struct pki_auditor *au)
{
	struct pki_averifiers *vs = au->verifiers;
	unsigned i;

	if (vs == NULL)
		return;
	pthread_mutex_lock(&vs->lock);
	vs->stopping = true;
	pthread_cond_broadcast(&vs->more);
	pthread_mutex_unlock(&vs->lock);
	for (i = 0; i < vs->started; i++)
		pthread_join(vs->tid[i], NULL);
	for (i = 0; i < PKI_AUDIT_THREADS_MAX; i++)
		pki_gpg_free(vs->w[i].g);	/* one made when its start failed, too */
	pthread_cond_destroy(&vs->done);
	pthread_cond_destroy(&vs->more);
	pthread_mutex_destroy(&vs->lock);
	free(vs);
	au->verifiers = NULL;
}
