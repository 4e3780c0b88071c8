/* session.c: what every command does first and last. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "error.h"
#include "session.h"

#define TABLE_MAX (16 * 1024 * 1024)	/* matrix and delegations, bytes */

/* -u, then $PKI_KEY, then git's user.signingkey. */
static int acting_keyspec(struct pki_session *s, const char *keyspec, char **out)
{
	const char *env = getenv("PKI_KEY");

	*out = NULL;
	if (keyspec != NULL && *keyspec != '\0')
		*out = strdup(keyspec);
	else if (env != NULL && *env != '\0')
		*out = strdup(env);
	else
		return pki_repo_local_get(s->repo, "user.signingkey", out);
	return *out != NULL ? 0 : pki_error_errno(PKI_EINTERNAL, "key");
}

/*
 * The acting key given by fingerprint is listed with the keys of every
 * principal in the tip's matrix, in one gpg process: a change needs its
 * recipients' keys next, and would list them in a second.  The matrix is
 * only a hint here (the change reads it again under the lock), so a
 * repository without one, or with a broken one, just lists the key alone.
 * A late key (PKI_SESSION_KEY_LATE) is listed alone, on a thread, while
 * the command reads, judges and encrypts.
 */
struct acting {
	char *spec;		/* -u, $PKI_KEY or user.signingkey */
	struct pki_matrix matrix;
	const char **fprs;	/* the other principals' fingerprints */
	size_t n;
};

static void acting_release(struct acting *a)
{
	free(a->spec);
	free(a->fprs);
	pki_matrix_release(&a->matrix);
	memset(a, 0, sizeof(*a));
}

static int acting_prepare(struct pki_session *s, const char *keyspec, bool late,
			  struct acting *a)
{
	struct pki_buf m = PKI_BUF_INIT;
	size_t i;
	int rc;

	if ((rc = acting_keyspec(s, keyspec, &a->spec)) < 0)
		return rc;
	if (a->spec == NULL)
		return pki_error(PKI_EUSAGE, "no acting key: use -u KEY, set PKI_KEY, "
				 "or git config user.signingkey");
	/* Late, the listing needs no recipients: they are not asked about
	 * before an encryption (pki_product_seal). */
	if (!pki_is_fingerprint(a->spec) || s->repo == NULL || late)
		return 0;
	if (pki_repo_read(s->repo, PKI_MATRIX_FILE, TABLE_MAX, &m) == 0 &&
	    pki_matrix_parse(&a->matrix, m.ptr, m.len) == 0 && a->matrix.n > 0 &&
	    (a->fprs = calloc(a->matrix.n, sizeof(*a->fprs))) != NULL)
		for (i = 0; i < a->matrix.n; i++)
			if (strcasecmp(a->matrix.v[i].fpr, a->spec) != 0)
				a->fprs[a->n++] = a->matrix.v[i].fpr;
	pki_buf_release(&m);
	return 0;
}

/* What the listing of the acting key spec found (rc), checked. */
static int check_key(struct pki_session *s, const char *spec, int rc)
{
	if (rc == 0 && !s->key.can_sign)
		rc = pki_error(PKI_EUNAVAIL, "key '%s' cannot sign (expired, revoked or no "
			       "signing key)", spec);
	/* Its user ID authors every commit: it must name one identity. */
	if (rc == 0 && !s->key.uid_ok)
		rc = pki_error(PKI_EUNAVAIL, "key '%s' cannot author commits: its first user ID "
			       "is not one 'Name <address>'", spec);
	if (rc == 0)
		s->have_key = true;
	return rc;
}

static int resolve_key(struct pki_session *s, const struct acting *a, bool late)
{
	size_t i;
	int rc;

	if (!pki_is_fingerprint(a->spec))
		return check_key(s, a->spec, pki_gpg_key(s->gpg, a->spec, true, &s->key));
	if (!late)
		return check_key(s, a->spec,
				 pki_gpg_signer_and(s->gpg, a->spec, a->fprs, a->n, &s->key));
	/* The listing (a gpg process) runs beside the command's own work,
	 * for the acting key alone; the fingerprint is all that work needs
	 * of the key before a change. */
	if ((rc = pki_gpg_signer_and_start(s->gpg, a->spec, a->fprs, a->n)) < 0)
		return rc;
	snprintf(s->key_pending, sizeof(s->key_pending), "%s", a->spec);
	for (i = 0; i < 40 && a->spec[i] != '\0'; i++)
		s->key.fpr[i] = (char)toupper((unsigned char)a->spec[i]);
	s->key.fpr[i] = '\0';
	return 0;
}

int pki_session_key(struct pki_session *s)
{
	char spec[41], saved[1024];
	int rc;

	if (s->key_pending[0] == '\0')
		return 0;
	memcpy(spec, s->key_pending, sizeof(spec));
	s->key_pending[0] = '\0';
	/* A good key leaves the message of whatever failed meanwhile. */
	snprintf(saved, sizeof(saved), "%s", pki_error_last());
	if ((rc = check_key(s, spec, pki_gpg_signer_and_finish(s->gpg, &s->key))) == 0 &&
	    saved[0] != '\0')
		pki_error(PKI_EINTERNAL, "%s", saved);
	return rc;
}

/*
 * GPGME's start-up runs `gpg --version`: on a thread of its own it
 * overlaps libgit2's and the repository's, on the second core.  The
 * thread's error message is its own (error.c keeps one a thread), so it
 * is carried over to the session's.
 */
struct gpg_start {
	pthread_t tid;
	struct pki_gpg *gpg;
	int rc;
	char msg[512];
};

static void *gpg_start_run(void *arg)
{
	struct gpg_start *gs = arg;

	if ((gs->rc = pki_gpg_new(&gs->gpg)) < 0)
		snprintf(gs->msg, sizeof(gs->msg), "%s", pki_error_last());
	return NULL;
}

static int gpg_start_join(struct pki_session *s, struct gpg_start *gs)
{
	if ((errno = pthread_join(gs->tid, NULL)) != 0)
		return pki_error_errno(PKI_EINTERNAL, "cannot join a thread");
	s->gpg = gs->gpg;
	return gs->rc < 0 ? pki_error(-gs->rc, "%s", gs->msg) : 0;
}

int pki_session_open(struct pki_session *s, const char *prog, const char *dir,
		     const char *keyspec, int flags)
{
	static const struct rlimit no_core = { 0, 0 };
	struct gpg_start gs = { 0 };
	struct acting a = { 0 };
	int rc, rc2;

	memset(s, 0, sizeof(*s));
	s->prog = prog;
	/* Nothing pki writes is for anyone but its owner, and a crash must
	 * not write plaintext held in memory to a core file. */
	umask(077);
	if (setrlimit(RLIMIT_CORE, &no_core) < 0)
		return pki_error_errno(PKI_EINTERNAL, "cannot disable core dumps");
#ifdef PR_SET_DUMPABLE
	/* RLIMIT_CORE does not bind a core_pattern that pipes dumps to a
	 * program (systemd-coredump, apport); not dumpable does, and keeps
	 * other processes of this user from reading this one's memory. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return pki_error_errno(PKI_EINTERNAL, "cannot disable core dumps");
#endif
	if ((rc = pki_now(&s->now)) < 0)
		return rc;
	if ((errno = pthread_create(&gs.tid, NULL, gpg_start_run, &gs)) != 0)
		return pki_error_errno(PKI_EINTERNAL, "cannot start a thread");
	if (!(flags & PKI_SESSION_NOREPO))
		rc = pki_repo_open(&s->repo, dir,
				   (flags & PKI_SESSION_BARE_OK) ? PKI_REPO_BARE_OK : 0);
	if (rc == 0 && (flags & PKI_SESSION_KEY))
		rc = acting_prepare(s, keyspec, (flags & PKI_SESSION_KEY_LATE) != 0, &a);
	/* Joined on every path: the first error is the one to report. */
	rc2 = gpg_start_join(s, &gs);
	if (rc == 0)
		rc = rc2;
	if (rc == 0 && (flags & PKI_SESSION_KEY))
		rc = resolve_key(s, &a, (flags & PKI_SESSION_KEY_LATE) != 0);
	acting_release(&a);
	return rc;
}

void pki_session_close(struct pki_session *s)
{
	pki_key_release(&s->key);
	pki_gpg_free(s->gpg);
	pki_repo_free(s->repo);
	memset(s, 0, sizeof(*s));
}

/* --- state --- */

static int load_tables(struct pki_state *st, struct pki_buf *m, struct pki_buf *d,
		       const char *actor_fpr, time_t at)
{
	int rc;

	if ((rc = pki_matrix_parse(&st->matrix, m->ptr, m->len)) < 0 ||
	    (rc = pki_delegations_parse(&st->delegations, d->ptr, d->len)) < 0)
		return rc;
	st->actor = NULL;
	if (actor_fpr != NULL) {
		const struct pki_principal *p = pki_matrix_find_fpr(&st->matrix, actor_fpr);

		if (p != NULL && pki_principal_valid(p, at)) {
			if ((rc = pki_principal_copy(&st->actor_row, p)) < 0)
				return rc;
			st->actor = &st->actor_row;
		}
	}
	return 0;
}

/* An absent file is an empty table. */
static int read_or_empty(int rc, struct pki_buf *b)
{
	if (rc == -PKI_ENOINPUT) {
		pki_buf_reset(b);
		return 0;
	}
	return rc;
}

int pki_state_load(struct pki_state *st, struct pki_txn *t, const char *actor_fpr, time_t at)
{
	struct pki_buf m = PKI_BUF_INIT, d = PKI_BUF_INIT;
	int rc;

	memset(st, 0, sizeof(*st));
	if ((rc = read_or_empty(pki_txn_read(t, PKI_MATRIX_FILE, TABLE_MAX, &m), &m)) == 0 &&
	    (rc = read_or_empty(pki_txn_read(t, PKI_DELEGATIONS_FILE, TABLE_MAX, &d), &d)) == 0)
		rc = load_tables(st, &m, &d, actor_fpr, at);
	pki_buf_release(&m);
	pki_buf_release(&d);
	return rc;
}

int pki_state_load_repo(struct pki_state *st, struct pki_repo *r, const char *actor_fpr, time_t at)
{
	struct pki_buf m = PKI_BUF_INIT, d = PKI_BUF_INIT;
	int rc;

	memset(st, 0, sizeof(*st));
	if ((rc = read_or_empty(pki_repo_read(r, PKI_MATRIX_FILE, TABLE_MAX, &m), &m)) == 0 &&
	    (rc = read_or_empty(pki_repo_read(r, PKI_DELEGATIONS_FILE, TABLE_MAX, &d), &d)) == 0)
		rc = load_tables(st, &m, &d, actor_fpr, at);
	pki_buf_release(&m);
	pki_buf_release(&d);
	return rc;
}

void pki_state_release(struct pki_state *st)
{
	pki_matrix_release(&st->matrix);
	pki_delegations_release(&st->delegations);
	pki_principal_release(&st->actor_row);
	st->actor = NULL;
}

int pki_state_need_actor(const struct pki_state *st, const char *fpr)
{
	const struct pki_principal *p;

	if (st->actor != NULL)
		return 0;
	p = pki_matrix_find_fpr(&st->matrix, fpr);
	if (p == NULL)
		return pki_error(PKI_EPOLICY, "key %s is not a principal of the access matrix "
				 "(policy 12.10)", fpr);
	return pki_error(PKI_EPOLICY, "principal '%s' is not valid now (policy 12.10)", p->name);
}

/* --- changes --- */

#define CHANGE_TRIES 3

/* A commit is never dated before its parent (the audit's A107): a clock
 * behind the tip's (another office's, or a wrong one) waits, or is fixed. */
static int clock_forward(const struct pki_session *s, const struct pki_txn *t)
{
	char now[PKI_TIME_LEN], tip[PKI_TIME_LEN];
	time_t when = pki_txn_tip_time(t);

	if (s->now >= when)
		return 0;
	pki_time_format(s->now, now);
	pki_time_format(when, tip);
	return pki_error(PKI_EBUSY, "the tip of main is dated %s, after this clock's %s: time never goes "
			 "back along the history; try again then, or set the clock right",
			 tip, now);
}

/*
 * The state under the lock for the acting key.  A key still being listed
 * (PKI_SESSION_KEY_LATE) is known by the fingerprint it was given, which
 * may be a subkey's: when that names no principal, the listing is waited
 * for and the primary's tried.
 */
static int change_state(struct pki_session *s, struct pki_txn *t, struct pki_state *st)
{
	int rc;

	if ((rc = pki_state_load(st, t, s->key.fpr, s->now)) < 0 || st->actor != NULL ||
	    s->key_pending[0] == '\0')
		return rc;
	pki_state_release(st);
	if ((rc = pki_session_key(s)) < 0)
		return rc;
	return pki_state_load(st, t, s->key.fpr, s->now);
}

/* The commit, once the acting key's listing is in: it signs and authors it. */
static int change_commit(struct pki_session *s, struct pki_txn *t, const char *msg)
{
	struct pki_ident who;
	int rc;

	if ((rc = pki_session_key(s)) < 0)
		return rc;
	if (!s->have_key)
		return pki_error(PKI_EINTERNAL, "a change needs an acting key");
	who.fpr = s->key.fpr;
	who.name = s->key.name[0] != '\0' ? s->key.name : s->key.email;
	who.email = s->key.email;
	who.when = s->now;
	return pki_txn_commit(t, s->gpg, &who, msg);
}

int pki_session_change(struct pki_session *s, pki_build_fn build, void *arg)
{
	struct pki_buf msg = PKI_BUF_INIT;
	struct pki_state st;
	struct pki_txn *t = NULL;
	int rc = 0, rc2, try;

	if (!s->have_key && s->key_pending[0] == '\0')
		return pki_error(PKI_EINTERNAL, "a change needs an acting key");
	for (try = 0; try < CHANGE_TRIES; try++) {
		memset(&st, 0, sizeof(st));
		pki_buf_reset(&msg);
		if ((rc = pki_txn_begin(&t, s->repo)) < 0 || (rc = clock_forward(s, t)) < 0)
			break;
		pki_txn_set_progress(t, s->progress);
		if ((rc = change_state(s, t, &st)) == 0 &&
		    (rc = build(s, t, &st, &msg, arg)) == 0)
			rc = change_commit(s, t, msg.ptr);
		/* Lost the race to a writer outside pki: start again from its tip. */
		if (rc == -PKI_EBUSY && !pki_txn_committed(t)) {
			pki_state_release(&st);
			pki_txn_free(t);
			t = NULL;
			continue;
		}
		break;
	}
	pki_state_release(&st);
	pki_txn_free(t);
	pki_buf_release(&msg);
	/* The acting key's refusal comes first, as if it had been checked
	 * when the session opened. */
	if (rc < 0 && (rc2 = pki_session_key(s)) < 0)
		rc = rc2;
	return rc;
}

int pki_msg_subject(struct pki_buf *msg, const char *prog, const char *action,
		    const char *object)
{
	pki_buf_reset(msg);
	return pki_buf_printf(msg, "%s: %s%s%s\n\n", prog, action,
			      object != NULL ? " " : "", object != NULL ? object : "");
}

int pki_msg_trailer(struct pki_buf *msg, const char *key, const char *value)
{
	if (value == NULL || *value == '\0')
		return 0;
	return pki_buf_printf(msg, "%s: %s\n", key, value);
}

int pki_msg_label_change(struct pki_buf *msg, const char *prog, enum pki_action action,
			 const char *id, enum pki_level level, const char *authority,
			 const char *actor)
{
	const char *name = pki_action_name(action);
	int rc;

	if ((rc = pki_msg_subject(msg, prog, name, id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", name)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Product", id)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Level", pki_level_name(level))) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Authority", authority)) < 0)
		return rc;
	return pki_msg_trailer(msg, "Pki-Actor", actor);
}
