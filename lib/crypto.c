/* crypto.c: OpenPGP through GPGME.  The only file that includes gpgme.h.
 *
 * Every operation is one gpg process (GPGME runs gpg); nothing here asks gpg
 * for more than the operation needs.  Trust decisions are not gpg's:
 * encryption is always-trust and callers check fingerprints against the
 * access matrix.
 */
#include <ctype.h>
#include <errno.h>
#include <gpgme.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "crypto.h"
#include "error.h"
#include "rows.h"

struct listing;

struct pki_gpg {
	gpgme_ctx_t ctx;
	gpgme_key_t signer;	/* cached signing key */
	char (*seen)[41];	/* primary fingerprints a listing has shown */
	size_t nseen, capseen;
	struct listing *listing;	/* pki_gpg_signer_and_start's, until finished */
};

static void listing_drop(struct pki_gpg *g);
static void settle(struct pki_gpg *g);

static int gpg_fail(int code, const char *what, gpgme_error_t err)
{
	return pki_error(code, "%s: %s", what, gpgme_strerror(err));
}

static bool gpgme_ready;

/*
 * GPGME asks gpgconf three times, gpgsm and gpgconf again for versions
 * and paths before its first context: five processes pki does not need.
 * Without gpgconf it runs gpg from PATH and leaves the home to gpg
 * ($GNUPGHOME), probing only `gpg --version`.  The flag must be set
 * before the first gpgme_check_version, which initialises GPGME.
 */
static void gpgme_start(void)
{
	gpgme_ready = gpgme_set_global_flag("disable-gpgconf", "1") == 0 &&
		      gpgme_check_version(GPGME_VERSION) != NULL;
}

int pki_gpg_new(struct pki_gpg **out)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct pki_gpg *g = NULL;
	gpgme_error_t err;

	*out = NULL;
	if ((errno = pthread_once(&once, gpgme_start)) != 0)
		return pki_error_errno(PKI_EINTERNAL, "gpgme");
	if (!gpgme_ready)
		return pki_error(PKI_EUNAVAIL, "gpgme is older than " GPGME_VERSION);
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "gpg context");
	if ((err = gpgme_new(&g->ctx)) != 0) {
		free(g);
		return gpg_fail(PKI_EUNAVAIL, "gpgme", err);
	}
	if ((err = gpgme_set_protocol(g->ctx, GPGME_PROTOCOL_OpenPGP)) != 0) {
		pki_gpg_free(g);
		return gpg_fail(PKI_EUNAVAIL, "gpgme", err);
	}
	gpgme_set_armor(g->ctx, 0);
	gpgme_set_offline(g->ctx, 1);
	*out = g;
	return 0;
}

void pki_gpg_free(struct pki_gpg *g)
{
	if (g == NULL)
		return;
	listing_drop(g);
	if (g->signer != NULL)
		gpgme_key_unref(g->signer);
	gpgme_release(g->ctx);
	free(g->seen);
	free(g);
}

/* --- keys --- */

void pki_key_release(struct pki_key *k)
{
	size_t i;

	if (k == NULL)
		return;
	free(k->name);
	free(k->email);
	for (i = 0; i < k->nemails; i++)
		free(k->emails[i]);
	free(k->emails);
	free(k->keyids);
	free(k->algos);
	free(k->subrevoked);
	memset(k, 0, sizeof(*k));
}

int pki_key_copy(struct pki_key *out, const struct pki_key *k)
{
	size_t i;

	*out = *k;
	out->name = out->email = NULL;
	out->emails = NULL;
	out->keyids = NULL;
	out->algos = NULL;
	out->subrevoked = NULL;
	out->nemails = out->nsubkeys = 0;
	if ((out->name = strdup(k->name)) == NULL || (out->email = strdup(k->email)) == NULL ||
	    (k->nemails > 0 && (out->emails = calloc(k->nemails, sizeof(*out->emails))) == NULL) ||
	    (k->nsubkeys > 0 &&
	     ((out->keyids = calloc(k->nsubkeys, sizeof(*out->keyids))) == NULL ||
	      (out->algos = calloc(k->nsubkeys, sizeof(*out->algos))) == NULL ||
	      (out->subrevoked = calloc(k->nsubkeys, sizeof(*out->subrevoked))) == NULL)))
		goto fail;
	for (i = 0; i < k->nemails; i++, out->nemails++)
		if ((out->emails[i] = strdup(k->emails[i])) == NULL)
			goto fail;
	if (k->nsubkeys > 0) {
		memcpy(out->keyids, k->keyids, k->nsubkeys * sizeof(*out->keyids));
		memcpy(out->algos, k->algos, k->nsubkeys * sizeof(*out->algos));
		memcpy(out->subrevoked, k->subrevoked, k->nsubkeys * sizeof(*out->subrevoked));
	}
	out->nsubkeys = k->nsubkeys;
	return 0;
fail:
	pki_key_release(out);
	return pki_error_errno(PKI_EINTERNAL, "key");
}

bool pki_key_has(const struct pki_key *k, const char *fpr)
{
	size_t len = strlen(fpr), i;

	if (len == 40 && strcasecmp(fpr, k->fpr) == 0)
		return true;
	if (len < 16)
		return false;
	/* A subkey fingerprint ends with its key ID. */
	for (i = 0; i < k->nsubkeys; i++)
		if (strcasecmp(fpr + len - 16, k->keyids[i]) == 0)
			return true;
	return false;
}

bool pki_key_revoked(const struct pki_key *k, const char *fpr)
{
	size_t len = strlen(fpr), i;

	if (k->revoked)
		return true;
	for (i = 0; i < k->nsubkeys && len >= 16; i++)
		if (strcasecmp(fpr + len - 16, k->keyids[i]) == 0)
			return k->subrevoked[i];
	return false;
}

#define UID_MAX 1024

int pki_uid_parse(const char *uid, char **email)
{
	const char *lt, *gt, *at, *p;

	*email = NULL;
	for (p = uid; *p != '\0' && p - uid < UID_MAX; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			goto bad;
	if (*p != '\0')
		goto bad;
	/* One '<', one '>' closing the user ID, a space or nothing before. */
	if ((lt = strchr(uid, '<')) == NULL || strchr(lt + 1, '<') != NULL ||
	    (gt = strchr(uid, '>')) == NULL || gt < lt || gt[1] != '\0' ||
	    (lt > uid && lt[-1] != ' '))
		goto bad;
	at = memchr(lt + 1, '@', (size_t)(gt - lt - 1));
	if (at == NULL || at == lt + 1 || at + 1 == gt ||
	    memchr(at + 1, '@', (size_t)(gt - at - 1)) != NULL ||
	    strcspn(lt + 1, " >") != (size_t)(gt - lt - 1))
		goto bad;
	if ((*email = strndup(lt + 1, (size_t)(gt - lt - 1))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "user ID");
	return 0;
bad:
	return pki_error(PKI_EDATA, "user ID '%.*s' is not one 'Name <address>'",
			 (int)strcspn(uid, "\n\r"), uid);
}

/* The address of every user ID that names one identity; uid_ok for the first. */
static int key_uids(struct pki_key *out, gpgme_key_t key)
{
	gpgme_user_id_t u;
	char *email;
	size_t n = 0;
	int rc;

	for (u = key->uids; u != NULL; u = u->next)
		n++;
	if (n > 0 && (out->emails = calloc(n, sizeof(*out->emails))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "key");
	for (u = key->uids; u != NULL; u = u->next) {
		if (u->uid == NULL || (rc = pki_uid_parse(u->uid, &email)) == -PKI_EDATA)
			continue;
		if (rc < 0)
			return rc;
		if (u == key->uids) {
			out->uid_ok = true;
			/* The identity commits are authored with. */
			free(out->email);
			if ((out->email = strdup(email)) == NULL) {
				free(email);
				return pki_error_errno(PKI_EINTERNAL, "key");
			}
		}
		out->emails[out->nemails++] = email;
	}
	pki_error_clear();
	return 0;
}

static bool subkey_usable(gpgme_subkey_t sk)
{
	return !sk->expired && !sk->revoked && !sk->disabled && !sk->invalid;
}

/* GPGME's number for an algorithm, as OpenPGP numbers it (RFC 4880 9.1,
 * RFC 6637 5, RFC 9580 9.1): GPGME gives elliptic curves numbers of its
 * own. */
static int openpgp_algo(gpgme_pubkey_algo_t a)
{
	switch (a) {
	case GPGME_PK_ECDH:
		return 18;
	case GPGME_PK_ECDSA:
		return 19;
	case GPGME_PK_EDDSA:
		return 22;
	default:
		return (int)a;
	}
}

static int key_fill(struct pki_key *out, gpgme_key_t key)
{
	gpgme_subkey_t sk;
	size_t n = 0, i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (key->subkeys == NULL || key->subkeys->fpr == NULL ||
	    strlen(key->subkeys->fpr) != 40)
		return pki_error(PKI_EDATA, "key has no version 4 fingerprint");
	for (i = 0; i < 40; i++)
		out->fpr[i] = (char)toupper((unsigned char)key->subkeys->fpr[i]);
	for (sk = key->subkeys; sk != NULL; sk = sk->next)
		n++;
	out->keyids = calloc(n, sizeof(*out->keyids));
	out->algos = calloc(n, sizeof(*out->algos));
	out->subrevoked = calloc(n, sizeof(*out->subrevoked));
	out->name = strdup(key->uids != NULL && key->uids->name != NULL ? key->uids->name : "");
	out->email = strdup(key->uids != NULL && key->uids->email != NULL ? key->uids->email : "");
	if (out->keyids == NULL || out->algos == NULL || out->subrevoked == NULL ||
	    out->name == NULL || out->email == NULL) {
		pki_key_release(out);
		return pki_error_errno(PKI_EINTERNAL, "key");
	}
	if ((rc = key_uids(out, key)) < 0) {
		pki_key_release(out);
		return rc;
	}
	for (sk = key->subkeys, i = 0; sk != NULL; sk = sk->next, i++) {
		snprintf(out->keyids[i], PKI_KEYID_LEN, "%.16s", sk->keyid != NULL ? sk->keyid : "");
		out->algos[i] = openpgp_algo(sk->pubkey_algo);
		out->subrevoked[i] = sk->revoked;
		if (sk->can_encrypt && subkey_usable(sk))
			out->can_encrypt = true;
		if (sk->can_sign && subkey_usable(sk))
			out->can_sign = true;
		if (sk->secret)
			out->secret = true;
	}
	out->nsubkeys = n;
	out->expired = key->expired;
	out->revoked = key->revoked;
	out->disabled = key->disabled;
	out->invalid = key->invalid;
	out->secret = out->secret || key->secret;
	return 0;
}

/* Finish a key listing: exactly one key, or say why not. */
static int keylist_one(struct pki_gpg *g, const char *what, gpgme_key_t *out)
{
	gpgme_key_t key = NULL, extra = NULL;
	gpgme_error_t err;
	int rc = 0;

	*out = NULL;
	err = gpgme_op_keylist_next(g->ctx, &key);
	if (gpg_err_code(err) == GPG_ERR_EOF) {
		rc = pki_error(PKI_EUNAVAIL, "%s: no such key", what);
		goto out;
	}
	if (err != 0) {
		rc = gpg_fail(PKI_EUNAVAIL, what, err);
		goto out;
	}
	err = gpgme_op_keylist_next(g->ctx, &extra);
	if (err == 0) {
		rc = pki_error(PKI_EUSAGE, "%s: more than one key matches", what);
		goto out;
	}
	*out = key;
	key = NULL;
out:
	/* Read the listing to its end: GPGME 1.18 leaks the queue entries of
	 * keys still pending when a listing is ended early. */
	while (extra != NULL) {
		gpgme_key_unref(extra);
		extra = NULL;
		if (gpgme_op_keylist_next(g->ctx, &extra) != 0)
			extra = NULL;
	}
	gpgme_op_keylist_end(g->ctx);
	if (key != NULL)
		gpgme_key_unref(key);
	return rc;
}

static int key_lookup(struct pki_gpg *g, const char *spec, bool secret, gpgme_key_t *out)
{
	gpgme_error_t err;

	gpgme_set_keylist_mode(g->ctx, GPGME_KEYLIST_MODE_LOCAL);
	if ((err = gpgme_op_keylist_start(g->ctx, spec, secret)) != 0)
		return gpg_fail(PKI_EUNAVAIL, spec, err);
	return keylist_one(g, secret ? "secret key" : "key", out);
}

int pki_gpg_key(struct pki_gpg *g, const char *spec, bool secret, struct pki_key *out)
{
	gpgme_key_t key = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	settle(g);
	if ((rc = key_lookup(g, spec, secret, &key)) < 0)
		return pki_error_wrap(-rc, "'%s'", spec);
	rc = key_fill(out, key);
	if (rc == 0 && secret) {
		/* Keep it: the next signature will want it. */
		if (g->signer != NULL)
			gpgme_key_unref(g->signer);
		g->signer = key;
		key = NULL;
	}
	if (key != NULL)
		gpgme_key_unref(key);
	return rc;
}

int pki_gpg_inspect(struct pki_gpg *g, const void *data, size_t len, struct pki_key *out)
{
	gpgme_data_t d = NULL;
	gpgme_key_t key = NULL;
	gpgme_error_t err;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((err = gpgme_data_new_from_mem(&d, data, len, 0)) != 0)
		return gpg_fail(PKI_EINTERNAL, "key data", err);
	if ((err = gpgme_op_keylist_from_data_start(g->ctx, d, 0)) != 0) {
		rc = gpg_fail(PKI_EDATA, "key data", err);
		goto out;
	}
	if ((rc = keylist_one(g, "key data", &key)) < 0) {
		/* "no such key" here means the data holds none. */
		rc = pki_error(PKI_EDATA, "%s", rc == -PKI_EUNAVAIL ?
			       "no OpenPGP public key in the key data" :
			       "the key data holds more than one key");
		goto out;
	}
	rc = key_fill(out, key);
out:
	if (key != NULL)
		gpgme_key_unref(key);
	gpgme_data_release(d);
	return rc;
}

int pki_gpg_import(struct pki_gpg *g, const void *data, size_t len, struct pki_key *out)
{
	struct pki_key seen = { 0 };
	gpgme_data_t d = NULL;
	gpgme_import_result_t res;
	gpgme_error_t err;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pki_gpg_inspect(g, data, len, &seen)) < 0)
		return rc;
	if ((err = gpgme_data_new_from_mem(&d, data, len, 0)) != 0) {
		rc = gpg_fail(PKI_EINTERNAL, "key data", err);
		goto out;
	}
	if ((err = gpgme_op_import(g->ctx, d)) != 0) {
		rc = gpg_fail(PKI_EDATA, "key import", err);
		goto out;
	}
	res = gpgme_op_import_result(g->ctx);
	if (res == NULL || res->considered != 1 || res->not_imported != 0) {
		rc = pki_error(PKI_EDATA, "key import: gpg did not take the key");
		goto out;
	}
	rc = pki_gpg_key(g, seen.fpr, false, out);
out:
	pki_key_release(&seen);
	gpgme_data_release(d);
	return rc;
}

/* --- the keys a listing has shown, so that none is asked for twice --- */

static bool seen_has(const struct pki_gpg *g, const char *fpr)
{
	size_t i;

	for (i = 0; i < g->nseen; i++)
		if (strcasecmp(g->seen[i], fpr) == 0)
			return true;
	return false;
}

/* A cache: when memory runs out it just remembers less. */
static void seen_add_fpr(struct pki_gpg *g, const char *fpr)
{
	char (*v)[41];

	if (fpr == NULL || strlen(fpr) != 40 || seen_has(g, fpr) || g->nseen >= 65536)
		return;
	if ((v = pki_row_grow(g->seen, g->nseen, &g->capseen, sizeof(*v))) == NULL)
		return;
	g->seen = v;
	snprintf(g->seen[g->nseen++], 41, "%s", fpr);
}

static void seen_add(struct pki_gpg *g, gpgme_key_t key)
{
	seen_add_fpr(g, key->subkeys != NULL ? key->subkeys->fpr : NULL);
}

int pki_gpg_missing(struct pki_gpg *g, const char *const *fprs, size_t n, bool *missing)
{
	const char **pattern = NULL;
	gpgme_key_t key = NULL;
	gpgme_error_t err;
	size_t i, nask = 0;
	int rc = 0;

	settle(g);
	for (i = 0; i < n; i++)
		if ((missing[i] = !seen_has(g, fprs[i])))
			nask++;
	if (nask == 0)
		return 0;
	if ((pattern = calloc(nask + 1, sizeof(*pattern))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "key list");
	for (i = 0, nask = 0; i < n; i++)
		if (missing[i])
			pattern[nask++] = fprs[i];
	gpgme_set_keylist_mode(g->ctx, GPGME_KEYLIST_MODE_LOCAL);
	/* One gpg process for the whole set. */
	if ((err = gpgme_op_keylist_ext_start(g->ctx, pattern, 0, 0)) != 0) {
		rc = gpg_fail(PKI_EUNAVAIL, "key list", err);
		goto out;
	}
	while ((err = gpgme_op_keylist_next(g->ctx, &key)) == 0) {
		seen_add(g, key);
		gpgme_key_unref(key);
	}
	if (gpg_err_code(err) != GPG_ERR_EOF)
		rc = gpg_fail(PKI_EUNAVAIL, "key list", err);
	gpgme_op_keylist_end(g->ctx);
	for (i = 0; i < n; i++)
		missing[i] = !seen_has(g, fprs[i]);
out:
	free(pattern);
	return rc;
}

/* Is fpr the fingerprint of key or of one of its subkeys? */
static bool key_is(gpgme_key_t key, const char *fpr)
{
	gpgme_subkey_t sk;

	for (sk = key->subkeys; sk != NULL; sk = sk->next)
		if (sk->fpr != NULL && strcasecmp(sk->fpr, fpr) == 0)
			return true;
	return false;
}

/*
 * Two gpg processes on one keyring must not start together: every gpg
 * takes the keyring's lock for a moment as it starts, and one that finds
 * it taken sleeps 50 ms or more (GnuPG's dotlock), ten times what running
 * them side by side gains.  The second waits at a gate that the first
 * opens with its first status line (it holds the lock no more) or when it
 * is over.
 */
struct gate {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool open;
};

static void gate_init(struct gate *gt)
{
	pthread_mutex_init(&gt->mu, NULL);
	pthread_cond_init(&gt->cv, NULL);
	gt->open = false;
}

static void gate_destroy(struct gate *gt)
{
	pthread_cond_destroy(&gt->cv);
	pthread_mutex_destroy(&gt->mu);
}

static void gate_open(struct gate *gt)
{
	pthread_mutex_lock(&gt->mu);
	gt->open = true;
	pthread_cond_broadcast(&gt->cv);
	pthread_mutex_unlock(&gt->mu);
}

/* Wait until the gate opens, or ms milliseconds (0: for ever). */
static void gate_wait(struct gate *gt, long ms)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&gt->mu);
	while (!gt->open)
		if (ms == 0)
			pthread_cond_wait(&gt->cv, &gt->mu);
		else if (pthread_cond_timedwait(&gt->cv, &gt->mu, &until) != 0)
			break;
	pthread_mutex_unlock(&gt->mu);
}

static gpgme_error_t gate_status(void *arg, const char *keyword, const char *args)
{
	gate_open(arg);
	return 0;
}

/* An operation on ctx opens gt when its gpg speaks (watch), and in any
 * case when it is over (unwatch). */
static void gate_watch(gpgme_ctx_t ctx, struct gate *gt)
{
	if (gpgme_set_ctx_flag(ctx, "full-status", "1") == 0)
		gpgme_set_status_cb(ctx, gate_status, gt);
}

static void gate_unwatch(gpgme_ctx_t ctx, struct gate *gt)
{
	gpgme_set_status_cb(ctx, NULL, NULL);
	gpgme_set_ctx_flag(ctx, "full-status", "0");
	gate_open(gt);
}

/*
 * pki_gpg_signer_and_start's listing runs on a thread of its own and a
 * GPGME context of its own (GPGME contexts are not shared between
 * threads): the caller meanwhile reads the repository and encrypts, which
 * needs no key listed.  What it found joins g (settle) before anything
 * reads g's keys: a key look-up, a missing-key check, a signature,
 * pki_gpg_signer_and_finish.
 *
 * Its gpg starts once an encryption's gpg has said its first word (the
 * gate above).
 */
struct listing {
	pthread_t tid;
	bool threaded, joined;
	struct gate go;		/* the listing's gpg may start */
	struct pki_gpg *g;	/* its context, and the keys it has seen */
	char **pattern;		/* the acting key first; NULL-terminated */
	char fpr[41];		/* the acting key */
	gpgme_key_t mine;	/* the acting key as listed (first found) */
	bool twice;		/* listed more than once: ambiguous */
};

static void list_keys(struct listing *l)
{
	gpgme_ctx_t ctx = l->g->ctx;
	gpgme_key_t key = NULL;

	gpgme_set_keylist_mode(ctx, GPGME_KEYLIST_MODE_LOCAL | GPGME_KEYLIST_MODE_WITH_SECRET);
	if (gpgme_op_keylist_ext_start(ctx, (const char **)l->pattern, 0, 0) == 0) {
		while (gpgme_op_keylist_next(ctx, &key) == 0) {
			seen_add(l->g, key);
			if (key_is(key, l->fpr) && l->mine != NULL)
				l->twice = true;
			if (key_is(key, l->fpr) && l->mine == NULL)
				l->mine = key;
			else
				gpgme_key_unref(key);
		}
		gpgme_op_keylist_end(ctx);
	}
	gpgme_set_keylist_mode(ctx, GPGME_KEYLIST_MODE_LOCAL);
}

static void *list_run(void *arg)
{
	struct listing *l = arg;

	gate_wait(&l->go, 0);
	list_keys(l);
	return NULL;
}

/* Around an operation on g's context: a listing waiting starts when the
 * operation's gpg speaks, or when it is over. */
static void listing_watch(struct pki_gpg *g)
{
	if (g->listing != NULL && !g->listing->joined && g->listing->threaded)
		gate_watch(g->ctx, &g->listing->go);
}

static void listing_unwatch(struct pki_gpg *g)
{
	if (g->listing != NULL && !g->listing->joined && g->listing->threaded)
		gate_unwatch(g->ctx, &g->listing->go);
}

/* Wait for the listing and take the keys it has seen. */
static void settle(struct pki_gpg *g)
{
	struct listing *l = g->listing;
	size_t i;

	if (l == NULL || l->joined)
		return;
	if (l->threaded) {
		gate_open(&l->go);
		pthread_join(l->tid, NULL);
	}
	l->joined = true;
	for (i = 0; i < l->g->nseen; i++)
		seen_add_fpr(g, l->g->seen[i]);
}

static void listing_drop(struct pki_gpg *g)
{
	struct listing *l = g->listing;
	size_t i;

	if (l == NULL)
		return;
	settle(g);
	g->listing = NULL;
	if (l->mine != NULL)
		gpgme_key_unref(l->mine);
	for (i = 0; l->pattern != NULL && l->pattern[i] != NULL; i++)
		free(l->pattern[i]);
	free(l->pattern);
	pki_gpg_free(l->g);
	gate_destroy(&l->go);
	free(l);
}

/* The listing of fpr and also into g->listing, on a thread or here. */
static int listing_begin(struct pki_gpg *g, const char *fpr, const char *const *also, size_t n,
			 bool thread)
{
	struct listing *l = NULL;
	size_t i;
	int rc;

	listing_drop(g);
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "key list");
	gate_init(&l->go);
	if ((l->pattern = calloc(n + 2, sizeof(*l->pattern))) == NULL) {
		rc = pki_error_errno(PKI_EINTERNAL, "key list");
		goto fail;
	}
	snprintf(l->fpr, sizeof(l->fpr), "%s", fpr);
	for (i = 0; i <= n; i++)
		if ((l->pattern[i] = strdup(i == 0 ? fpr : also[i - 1])) == NULL) {
			rc = pki_error_errno(PKI_EINTERNAL, "key list");
			goto fail;
		}
	if ((rc = pki_gpg_new(&l->g)) < 0)
		goto fail;
	g->listing = l;
	/* No thread: the listing runs here, and only the overlap is lost. */
	if (thread && pthread_create(&l->tid, NULL, list_run, l) == 0)
		l->threaded = true;
	else
		list_keys(l);
	return 0;
fail:
	g->listing = l;
	listing_drop(g);
	return rc;
}

int pki_gpg_signer_and_start(struct pki_gpg *g, const char *fpr, const char *const *also,
			     size_t n)
{
	return listing_begin(g, fpr, also, n, true);
}

int pki_gpg_signer_and_finish(struct pki_gpg *g, struct pki_key *out)
{
	struct listing *l = g->listing;
	char fpr[41];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (l == NULL)
		return pki_error(PKI_EINTERNAL, "no key listing was started");
	settle(g);
	snprintf(fpr, sizeof(fpr), "%s", l->fpr);
	/* The acting key, found once and with its secret part: keep it for
	 * the signature.  Anything else is for pki_gpg_key to explain. */
	if (l->mine != NULL && !l->twice && l->mine->secret && (rc = key_fill(out, l->mine)) == 0) {
		if (g->signer != NULL)
			gpgme_key_unref(g->signer);
		g->signer = l->mine;
		l->mine = NULL;
	}
	listing_drop(g);
	return rc == 0 ? 0 : pki_gpg_key(g, fpr, true, out);
}

int pki_gpg_signer_and(struct pki_gpg *g, const char *fpr, const char *const *also,
		       size_t n, struct pki_key *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = listing_begin(g, fpr, also, n, false)) < 0)
		return rc;
	return pki_gpg_signer_and_finish(g, out);
}

int pki_gpg_export(struct pki_gpg *g, const char *fpr, struct pki_buf *out)
{
	gpgme_data_t d = NULL;
	gpgme_error_t err;
	char *mem = NULL;
	size_t len = 0;
	int rc;

	if ((err = gpgme_data_new(&d)) != 0)
		return gpg_fail(PKI_EINTERNAL, "export", err);
	gpgme_set_armor(g->ctx, 1);
	err = gpgme_op_export(g->ctx, fpr, GPGME_EXPORT_MODE_MINIMAL, d);
	gpgme_set_armor(g->ctx, 0);
	mem = gpgme_data_release_and_get_mem(d, &len);
	if (err != 0)
		rc = gpg_fail(PKI_EUNAVAIL, fpr, err);
	else if (len == 0)
		rc = pki_error(PKI_EUNAVAIL, "key %s is not in the keyring", fpr);
	else {
		pki_buf_reset(out);
		rc = pki_buf_add(out, mem, len);
	}
	gpgme_free(mem);
	return rc;
}

/* --- signatures --- */

bool pki_gpg_no_pinentry(unsigned code)
{
	switch (code) {
	case GPG_ERR_ENOTTY:		/* pinentry-curses with no terminal (cron) */
	case GPG_ERR_NO_PIN_ENTRY:	/* no pinentry program at all */
	case GPG_ERR_PIN_ENTRY:
	case GPG_ERR_NO_PASSPHRASE:
		return true;
	default:
		return false;
	}
}

/*
 * A key with a passphrase and nobody to type it (a cron job, a shell
 * without a terminal): gpg says only "Inappropriate ioctl for device".
 * Say what it means and what to do, on one line.
 */
static int sign_fail(const char *fpr, gpgme_error_t err)
{
	if (!pki_gpg_no_pinentry(gpgme_err_code(err)))
		return gpg_fail(PKI_EUNAVAIL, "signing", err);
	return pki_error(PKI_EUNAVAIL, "signing: key %s has a passphrase and there is no terminal "
			 "to ask for it (%s): preset it in gpg-agent (gpg-preset-passphrase), or "
			 "sign with a passphrase-less signing subkey kept for unattended work; see "
			 "pki(7), UNATTENDED WORK", fpr, gpgme_strerror(err));
}

int pki_gpg_sign(struct pki_gpg *g, const char *fpr, const void *data, size_t len,
		 struct pki_buf *sig)
{
	gpgme_data_t in = NULL, out = NULL;
	gpgme_error_t err;
	char *mem = NULL;
	size_t mlen = 0;
	int rc = 0;

	settle(g);
	if (g->signer == NULL || strcasecmp(g->signer->subkeys->fpr, fpr) != 0) {
		struct pki_key k;

		if ((rc = pki_gpg_key(g, fpr, true, &k)) < 0)
			return rc;
		pki_key_release(&k);
	}
	gpgme_signers_clear(g->ctx);
	if ((err = gpgme_signers_add(g->ctx, g->signer)) != 0)
		return gpg_fail(PKI_EUNAVAIL, "signing key", err);
	if ((err = gpgme_data_new_from_mem(&in, data, len, 0)) != 0 ||
	    (err = gpgme_data_new(&out)) != 0) {
		rc = gpg_fail(PKI_EINTERNAL, "sign", err);
		goto done;
	}
	gpgme_set_armor(g->ctx, 1);
	err = gpgme_op_sign(g->ctx, in, out, GPGME_SIG_MODE_DETACH);
	gpgme_set_armor(g->ctx, 0);
	if (err != 0) {
		rc = sign_fail(fpr, err);
		goto done;
	}
	mem = gpgme_data_release_and_get_mem(out, &mlen);
	out = NULL;
	/* git writes the gpgsig header without a trailing newline. */
	while (mlen > 0 && (mem[mlen - 1] == '\n' || mem[mlen - 1] == '\r'))
		mlen--;
	pki_buf_reset(sig);
	rc = pki_buf_add(sig, mem, mlen);
done:
	gpgme_signers_clear(g->ctx);
	gpgme_free(mem);
	gpgme_data_release(in);
	gpgme_data_release(out);
	return rc;
}

int pki_gpg_verify(struct pki_gpg *g, const void *sig, size_t siglen,
		   const void *data, size_t len, char signer[41], bool *revoked)
{
	gpgme_data_t s = NULL, d = NULL;
	gpgme_verify_result_t res;
	gpgme_signature_t sg;
	gpgme_error_t err;
	int rc = 0;

	signer[0] = '\0';
	*revoked = false;
	if ((err = gpgme_data_new_from_mem(&s, sig, siglen, 0)) != 0 ||
	    (err = gpgme_data_new_from_mem(&d, data, len, 0)) != 0) {
		rc = gpg_fail(PKI_EINTERNAL, "verify", err);
		goto out;
	}
	if ((err = gpgme_op_verify(g->ctx, s, d, NULL)) != 0) {
		rc = gpg_fail(PKI_EDATA, "signature", err);
		goto out;
	}
	res = gpgme_op_verify_result(g->ctx);
	if (res == NULL || (sg = res->signatures) == NULL) {
		rc = pki_error(PKI_EDATA, "no signature");
		goto out;
	}
	if (sg->next != NULL) {
		rc = pki_error(PKI_EDATA, "more than one signature");
		goto out;
	}
	if (sg->fpr == NULL || strlen(sg->fpr) > 40) {
		rc = pki_error(PKI_EDATA, "signature without a key fingerprint");
		goto out;
	}
	/* Good means cryptographically good; trust is the matrix's business.
	 * GPGME reports gpg's REVKEYSIG, and nothing else, as CERT_REVOKED:
	 * a signature that verifies, by a key revoked since (BADSIG is
	 * BAD_SIGNATURE, ERRSIG another code). */
	if (gpg_err_code(sg->status) != GPG_ERR_NO_ERROR &&
	    gpg_err_code(sg->status) != GPG_ERR_KEY_EXPIRED &&
	    gpg_err_code(sg->status) != GPG_ERR_SIG_EXPIRED &&
	    gpg_err_code(sg->status) != GPG_ERR_CERT_REVOKED) {
		rc = pki_error(PKI_EDATA, "signature by %s: %s", sg->fpr,
			       gpgme_strerror(sg->status));
		goto out;
	}
	*revoked = gpg_err_code(sg->status) == GPG_ERR_CERT_REVOKED;
	snprintf(signer, 41, "%s", sg->fpr);
out:
	gpgme_data_release(s);
	gpgme_data_release(d);
	return rc;
}

int pki_gpg_verifier(struct pki_gpg *g)
{
	gpgme_error_t err;

	if ((err = gpgme_set_ctx_flag(g->ctx, "trust-model", "always")) != 0)
		return gpg_fail(PKI_EUNAVAIL, "gpgme", err);
	return 0;
}

/* --- streaming data --- */

static ssize_t cb_read(void *handle, void *buf, size_t size)
{
	struct pki_source *src = handle;
	long n = src->read(src->ctx, buf, size);

	if (n < 0) {
		errno = EIO;
		return -1;
	}
	return n;
}

static ssize_t cb_write(void *handle, const void *buf, size_t size)
{
	struct pki_sink *sink = handle;

	if (sink->write(sink->ctx, buf, size) < 0) {
		errno = EIO;
		return -1;
	}
	return (ssize_t)size;
}

static struct gpgme_data_cbs source_cbs = { cb_read, NULL, NULL, NULL };
static struct gpgme_data_cbs sink_cbs = { NULL, cb_write, NULL, NULL };

static int recipients_string(const char *const *fprs, size_t n, struct pki_buf *out)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = pki_buf_printf(out, "%s\n", fprs[i])) < 0)
			return rc;
	return 0;
}

/* The sink's own error, when it failed, says more than gpg's EIO. */
static int data_fail(const char *what, gpgme_error_t err, const char *saved)
{
	if (gpg_err_code(err) == GPG_ERR_EIO && saved[0] != '\0')
		return pki_error(PKI_EIO, "%s", saved);
	if (gpg_err_code(err) == GPG_ERR_NO_SECKEY)
		return pki_error(PKI_EUNAVAIL, "%s: no secret key here can decrypt it", what);
	if (gpg_err_code(err) == GPG_ERR_UNUSABLE_PUBKEY)
		return pki_error(PKI_EUNAVAIL, "%s: a recipient's key is missing or unusable", what);
	return gpg_fail(PKI_EUNAVAIL, what, err);
}

/* The signing key of signer (a fingerprint) as g's only signer. */
static int use_signer(struct pki_gpg *g, const char *signer)
{
	gpgme_error_t err;
	int rc;

	settle(g);
	if (g->signer == NULL || strcasecmp(g->signer->subkeys->fpr, signer) != 0) {
		struct pki_key k;

		if ((rc = pki_gpg_key(g, signer, true, &k)) < 0)
			return rc;
		pki_key_release(&k);
	}
	gpgme_signers_clear(g->ctx);
	if ((err = gpgme_signers_add(g->ctx, g->signer)) != 0)
		return gpg_fail(PKI_EUNAVAIL, "signing key", err);
	return 0;
}

/* Encrypt in to fprs; signed by signer too, unless it is NULL. */
static int encrypt_data(struct pki_gpg *g, const char *const *fprs, size_t n,
			const char *signer, gpgme_data_t in, gpgme_data_t out)
{
	struct pki_buf recp = PKI_BUF_INIT;
	gpgme_encrypt_flags_t flags = GPGME_ENCRYPT_ALWAYS_TRUST | GPGME_ENCRYPT_NO_ENCRYPT_TO |
				      GPGME_ENCRYPT_NO_COMPRESS;
	gpgme_error_t err;
	int rc;

	pki_error_clear();
	if ((rc = recipients_string(fprs, n, &recp)) < 0)
		return rc;
	if (signer != NULL && (rc = use_signer(g, signer)) < 0) {
		pki_buf_release(&recp);
		return rc;
	}
	/* Fingerprint strings skip the key look-ups; no gpg.conf encrypt-to. */
	listing_watch(g);
	err = signer != NULL ?
	      gpgme_op_encrypt_sign_ext(g->ctx, NULL, recp.ptr, flags, in, out) :
	      gpgme_op_encrypt_ext(g->ctx, NULL, recp.ptr, flags, in, out);
	listing_unwatch(g);
	if (signer != NULL)
		gpgme_signers_clear(g->ctx);
	pki_buf_release(&recp);
	if (err != 0 && signer != NULL && pki_gpg_no_pinentry(gpgme_err_code(err)))
		return sign_fail(signer, err);
	if (err != 0)
		return data_fail("encrypt", err, pki_error_last());
	return 0;
}

int pki_gpg_encrypt(struct pki_gpg *g, const char *const *fprs, size_t n,
		    struct pki_source *in, struct pki_sink *out, bool armor)
{
	gpgme_data_t din = NULL, dout = NULL;
	gpgme_error_t err;
	int rc;

	if (n == 0)
		return pki_error(PKI_EINTERNAL, "encrypt: no recipients");
	if ((err = gpgme_data_new_from_cbs(&din, &source_cbs, in)) != 0 ||
	    (err = gpgme_data_new_from_cbs(&dout, &sink_cbs, out)) != 0) {
		rc = gpg_fail(PKI_EINTERNAL, "encrypt", err);
		goto out;
	}
	gpgme_set_armor(g->ctx, armor);
	rc = encrypt_data(g, fprs, n, NULL, din, dout);
	gpgme_set_armor(g->ctx, 0);
out:
	gpgme_data_release(din);
	gpgme_data_release(dout);
	return rc;
}

int pki_gpg_decrypt(struct pki_gpg *g, struct pki_source *in, struct pki_sink *out)
{
	gpgme_data_t din = NULL, dout = NULL;
	gpgme_error_t err;
	int rc = 0;

	pki_error_clear();
	if ((err = gpgme_data_new_from_cbs(&din, &source_cbs, in)) != 0 ||
	    (err = gpgme_data_new_from_cbs(&dout, &sink_cbs, out)) != 0) {
		rc = gpg_fail(PKI_EINTERNAL, "decrypt", err);
		goto out;
	}
	if ((err = gpgme_op_decrypt(g->ctx, din, dout)) != 0)
		rc = data_fail("decrypt", err, pki_error_last());
out:
	gpgme_data_release(din);
	gpgme_data_release(dout);
	return rc;
}

/* What the decryption result says the copy was encrypted to. */
static void opened_recipients(struct pki_gpg *g, struct pki_opened *o)
{
	gpgme_decrypt_result_t dr = gpgme_op_decrypt_result(g->ctx);
	gpgme_recipient_t r;

	o->nkeyids = 0;
	for (r = dr != NULL ? dr->recipients : NULL; r != NULL; r = r->next)
		if (r->keyid != NULL && o->nkeyids < PKI_OPENED_KEYIDS_MAX)
			snprintf(o->keyids[o->nkeyids++], PKI_KEYID_LEN, "%s", r->keyid);
}

/* One good signature, else why not in o->why. */
static void opened_signature(struct pki_gpg *g, struct pki_opened *o)
{
	gpgme_verify_result_t vr = gpgme_op_verify_result(g->ctx);
	gpgme_signature_t sg = vr != NULL ? vr->signatures : NULL;

	o->signed_ok = false;
	if (sg == NULL) {
		snprintf(o->why, sizeof(o->why), "the copy is not signed");
		return;
	}
	if (sg->next != NULL) {
		snprintf(o->why, sizeof(o->why), "the copy has more than one signature");
		return;
	}
	if (gpg_err_code(sg->status) == GPG_ERR_NO_PUBKEY) {
		snprintf(o->why, sizeof(o->why), "the copy is signed by key %.40s, which this "
			 "keyring does not hold", sg->fpr != NULL ? sg->fpr : "?");
		return;
	}
	if (gpg_err_code(sg->status) != GPG_ERR_NO_ERROR || sg->fpr == NULL ||
	    strlen(sg->fpr) > 40) {
		snprintf(o->why, sizeof(o->why), "the copy's signature by %.40s is not good: %s",
			 sg->fpr != NULL ? sg->fpr : "?", gpgme_strerror(sg->status));
		return;
	}
	snprintf(o->signer, sizeof(o->signer), "%s", sg->fpr);
	o->signed_at = (time_t)sg->timestamp;
	o->signed_ok = true;
}

int pki_gpg_open(struct pki_gpg *g, struct pki_source *in, struct pki_sink *out,
		 struct pki_opened *o)
{
	gpgme_data_t din = NULL, dout = NULL;
	gpgme_error_t err;
	int rc = 0;

	memset(o, 0, sizeof(*o));
	pki_error_clear();
	if ((err = gpgme_data_new_from_cbs(&din, &source_cbs, in)) != 0 ||
	    (err = gpgme_data_new_from_cbs(&dout, &sink_cbs, out)) != 0) {
		rc = gpg_fail(PKI_EINTERNAL, "decrypt", err);
		goto out;
	}
	err = gpgme_op_decrypt_verify(g->ctx, din, dout);
	opened_recipients(g, o);
	if (err != 0) {
		rc = data_fail("decrypt", err, pki_error_last());
		goto out;
	}
	opened_signature(g, o);
out:
	gpgme_data_release(din);
	gpgme_data_release(dout);
	return rc;
}

/*
 * Re-encryption without holding the plaintext: one gpg decrypts into a
 * pipe while another encrypts from it, each driven from its own thread
 * and GPGME context.  The plaintext crosses only the kernel's pipe buffer,
 * never a file, and memory does not grow with the product's size.
 */
struct decrypt_job {
	struct pki_gpg *g;
	struct pki_source *in;
	int fd;			/* the pipe's write end; closed when done */
	int rc;
	bool cut;		/* stopped by the reader closing the pipe */
	char msg[512];
	struct gate started;	/* its gpg has the keyring's lock behind it */
};

/* How long the encryption waits for the decryption's gpg to speak. */
#define GATE_MS 200

static void *decrypt_to_fd(void *arg)
{
	struct decrypt_job *job = arg;
	gpgme_data_t din = NULL, dout = NULL;
	gpgme_error_t err;

	job->rc = 0;
	if ((err = gpgme_data_new_from_cbs(&din, &source_cbs, job->in)) != 0 ||
	    (err = gpgme_data_new_from_fd(&dout, job->fd)) != 0)
		job->rc = gpg_fail(PKI_EINTERNAL, "decrypt", err);
	else {
		gate_watch(job->g->ctx, &job->started);
		err = gpgme_op_decrypt(job->g->ctx, din, dout);
		gate_unwatch(job->g->ctx, &job->started);
		if (err != 0) {
			job->cut = gpg_err_code(err) == GPG_ERR_EPIPE;
			job->rc = data_fail("decrypt", err, "");
		}
	}
	gate_open(&job->started);
	if (job->rc < 0)
		snprintf(job->msg, sizeof(job->msg), "%s", pki_error_last());
	gpgme_data_release(din);
	gpgme_data_release(dout);
	close(job->fd);
	return NULL;
}

int pki_gpg_reencrypt(struct pki_gpg *g, const char *const *fprs, size_t n,
		      struct pki_source *in, struct pki_sink *out, bool armor)
{
	return pki_gpg_reencrypt_signed(g, fprs, n, NULL, in, out, armor);
}

int pki_gpg_reencrypt_signed(struct pki_gpg *g, const char *const *fprs, size_t n,
			     const char *signer, struct pki_source *in, struct pki_sink *out,
			     bool armor)
{
	struct decrypt_job job = { NULL, in, -1, 0, false, "" };
	gpgme_data_t din = NULL, dout = NULL;
	gpgme_error_t err;
	pthread_t tid;
	int pfd[2] = { -1, -1 }, rc;

	if ((rc = pki_gpg_new(&job.g)) < 0)
		return rc;
	gate_init(&job.started);
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		rc = pki_error_errno(PKI_EINTERNAL, "re-encrypt: pipe");
		goto out;
	}
	job.fd = pfd[1];
	if ((errno = pthread_create(&tid, NULL, decrypt_to_fd, &job)) != 0) {
		close(pfd[1]);
		rc = pki_error_errno(PKI_EINTERNAL, "re-encrypt: thread");
		goto out;
	}
	if ((err = gpgme_data_new_from_fd(&din, pfd[0])) != 0 ||
	    (err = gpgme_data_new_from_cbs(&dout, &sink_cbs, out)) != 0) {
		rc = gpg_fail(PKI_EINTERNAL, "re-encrypt", err);
	} else {
		gate_wait(&job.started, GATE_MS);
		gpgme_set_armor(g->ctx, armor);
		rc = encrypt_data(g, fprs, n, signer, din, dout);
		gpgme_set_armor(g->ctx, 0);
	}
	/* Closing the read end stops a decryption nobody reads any more. */
	close(pfd[0]);
	pfd[0] = -1;
	pthread_join(tid, NULL);
	/* What the decryption said explains an encryption of nothing; a
	 * decryption cut off because the encryption failed first does not. */
	if (job.rc < 0 && !(job.cut && rc < 0))
		rc = pki_error(-job.rc, "%s", job.msg);
out:
	if (pfd[0] >= 0)
		close(pfd[0]);
	gpgme_data_release(din);
	gpgme_data_release(dout);
	pki_gpg_free(job.g);
	gate_destroy(&job.started);
	return rc;
}
