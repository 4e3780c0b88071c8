/* repo-remote.c: fetching from and pushing to another repository, for
 * pki-sync (libgit2's transports: a local path, ssh, https).
 *
 * Over https the server's certificate is verified against the system's
 * trust anchors, which only a program that asked for them
 * (pki_repo_trust_system_ca, before opening the repository) has loaded:
 * the other tools load none (repo.c).  Over ssh the key comes from the
 * ssh agent.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "progress.h"
#include "repo.h"
#include "repo-int.h"

#define MAIN_HEAD "refs/heads/main"
#define CRED_TRIES 2

struct remote_ctx {
	const struct pki_progress *progress;
	int creds;		/* credential requests so far */
	char rejected[256];	/* a push refused by the other side, and why */
};

static int credentials(git_credential **out, const char *url, const char *user,
		       unsigned int allowed, void *payload)
{
	struct remote_ctx *c = payload;

	(void)url;
	if (!(allowed & GIT_CREDENTIAL_SSH_KEY) || c->creds++ >= CRED_TRIES)
		return GIT_PASSTHROUGH;	/* libgit2 fails with its own message */
	return git_credential_ssh_key_from_agent(out, user != NULL ? user : "git");
}

static int fetch_progress(const git_indexer_progress *s, void *payload)
{
	struct remote_ctx *c = payload;

	pki_progress_report(c->progress, "Receiving objects", s->received_objects,
			    s->total_objects);
	return 0;
}

static int push_progress(unsigned int current, unsigned int total, size_t bytes, void *payload)
{
	struct remote_ctx *c = payload;

	(void)bytes;
	pki_progress_report(c->progress, "Writing objects", current, total);
	return 0;
}

static int push_status(const char *ref, const char *status, void *payload)
{
	struct remote_ctx *c = payload;

	if (status != NULL)
		snprintf(c->rejected, sizeof(c->rejected), "%s: %s", ref, status);
	return 0;
}

static void callbacks(git_remote_callbacks *cb, struct remote_ctx *c)
{
	git_remote_init_callbacks(cb, GIT_REMOTE_CALLBACKS_VERSION);
	cb->credentials = credentials;
	cb->transfer_progress = fetch_progress;
	cb->push_transfer_progress = push_progress;
	cb->push_update_reference = push_status;
	cb->payload = c;
}

/* The remote main's upstream names, else origin. */
static int default_remote(git_repository *git, char **out)
{
	git_config *cfg = NULL, *snap = NULL;
	git_buf b = GIT_BUF_INIT;
	int rc = 0;

	if (git_repository_config(&cfg, git) < 0 || git_config_snapshot(&snap, cfg) < 0)
		rc = repo_fail(PKI_ECONFIG, "cannot read git configuration");
	else if (git_config_get_string_buf(&b, snap, "branch.main.remote") == 0 && b.size > 0)
		*out = strdup(b.ptr);
	else
		*out = strdup("origin");
	if (rc == 0 && *out == NULL)
		rc = pki_error_errno(PKI_EINTERNAL, "remote");
	git_buf_dispose(&b);
	git_config_free(snap);
	git_config_free(cfg);
	return rc;
}

/* A configured remote's URL (push: its pushurl first); NULL when there is
 * no such remote.  Read from the configuration directly: libgit2 1.5's
 * git_remote_lookup leaks a regular expression's match data (fixed in
 * libgit2 by pull request 6382). */
static int remote_url(git_repository *git, const char *name, bool push, char **url)
{
	git_config *cfg = NULL, *snap = NULL;
	git_buf b = GIT_BUF_INIT;
	char key[256];
	int rc = 0, err = GIT_ENOTFOUND, valid = 0;

	*url = NULL;
	if (git_remote_name_is_valid(&valid, name) < 0 || !valid)
		return 0;
	if (git_repository_config(&cfg, git) < 0 || git_config_snapshot(&snap, cfg) < 0) {
		rc = repo_fail(PKI_ECONFIG, "cannot read git configuration");
		goto out;
	}
	if (push) {
		snprintf(key, sizeof(key), "remote.%s.pushurl", name);
		err = git_config_get_string_buf(&b, snap, key);
	}
	if (err == GIT_ENOTFOUND) {
		snprintf(key, sizeof(key), "remote.%s.url", name);
		err = git_config_get_string_buf(&b, snap, key);
	}
	if (err == 0 && (*url = strdup(b.ptr)) == NULL)
		rc = pki_error_errno(PKI_EINTERNAL, "remote");
out:
	git_buf_dispose(&b);
	git_config_free(snap);
	git_config_free(cfg);
	return rc;
}

/*
 * A configured remote by name (*tracking: its remote-tracking branch for
 * main, which the caller frees), else a URL or a path (made absolute).
 */
static int remote_open(git_remote **out, struct pki_repo *r, const char *spec, bool push,
		       char **tracking)
{
	git_remote_create_options o = GIT_REMOTE_CREATE_OPTIONS_INIT;
	char *name = NULL, *url = NULL, abs[PATH_MAX];
	struct stat st;
	int rc = 0;

	*tracking = NULL;
	if (spec == NULL && (rc = default_remote(r->git, &name)) < 0)
		return rc;
	if (spec == NULL)
		spec = name;
	if ((rc = remote_url(r->git, spec, push, &url)) < 0)
		goto out;
	if (url != NULL) {
		if (strlen(spec) > 200 || asprintf(tracking, "refs/remotes/%s/main", spec) < 0) {
			*tracking = NULL;
			rc = pki_error(PKI_EINTERNAL, "remote '%.64s'", spec);
			goto out;
		}
		spec = url;
	} else if (stat(spec, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (realpath(spec, abs) == NULL) {
			rc = pki_error_errno(PKI_ENOINPUT, "'%s'", spec);
			goto out;
		}
		spec = abs;
	} else if (strchr(spec, ':') == NULL) {
		rc = pki_error(PKI_ENOINPUT, "'%s' is neither a remote nor a repository", spec);
		goto out;
	}
	/* Without url.*.insteadOf: libgit2 1.5 leaks its regular expression's
	 * match data for every configuration entry it reads for them. */
	o.repository = r->git;
	o.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
	if (git_remote_create_with_opts(out, spec, &o) < 0)
		rc = repo_fail(PKI_ENOINPUT, "cannot use '%s' as a remote", spec);
out:
	if (rc < 0) {
		free(*tracking);
		*tracking = NULL;
	}
	free(url);
	free(name);
	return rc;
}

/*
 * A pki-sync killed while it moved a tracking branch leaves the branch's
 * lock file, and git and libgit2 then refuse to move it ever again.  The
 * marker .git/pki-tracking holds the pid of the pki-sync moving one: a
 * lock file beside a marker whose process is gone is that leftover, and
 * goes.  Any other lock file is a living command's (75, as git says).
 */
static void drop_stale_track_lock(const char *gitdir, const char *tracking)
{
	char marker[PATH_MAX], lock[PATH_MAX], buf[32];
	ssize_t n;
	long pid;
	int fd;

	snprintf(marker, sizeof(marker), "%spki-tracking", gitdir);
	if ((fd = open(marker, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	pid = strtol(buf, NULL, 10);
	if (pid <= 0 || (kill((pid_t)pid, 0) < 0 && errno == ESRCH)) {
		snprintf(lock, sizeof(lock), "%s%s.lock", gitdir, tracking);
		(void)unlink(lock);
		(void)unlink(marker);
	}
}

/* A named remote's tracking branch follows what was fetched or pushed. */
static int track(struct pki_repo *r, const char *tracking, const git_oid *id)
{
	git_reference *ref = NULL;
	const char *gitdir = git_repository_path(r->git);
	char marker[PATH_MAX];
	int fd, err, rc = 0;

	if (tracking == NULL)
		return 0;
	drop_stale_track_lock(gitdir, tracking);
	snprintf(marker, sizeof(marker), "%spki-tracking", gitdir);
	fd = open(marker, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0) {
		dprintf(fd, "%ld\n", (long)getpid());
		close(fd);
	}
	err = git_reference_create(&ref, r->git, tracking, id, 1, "pki-sync");
	if (err == GIT_ELOCKED)
		rc = pki_error(PKI_EBUSY, "'%s' is locked: a git command is at work here "
			       "(if none is, remove '%s.lock'); try again", tracking, tracking);
	else if (err < 0)
		rc = repo_fail(PKI_EIO, "cannot update %s", tracking);
	if (fd >= 0)
		(void)unlink(marker);
	git_reference_free(ref);
	return rc;
}

/* What failed talking to the other side: a network or server error is
 * one to try again later. */
static int remote_fail(const char *what, const char *spec)
{
	return repo_fail(PKI_EUNAVAIL, "cannot %s '%s'", what, spec != NULL ? spec : "origin");
}

int pki_repo_fetch(struct pki_repo *r, const char *spec, const struct pki_progress *p,
		   char theirs[41])
{
	struct remote_ctx c = { .progress = p };
	git_remote_callbacks cb;
	git_fetch_options fo = GIT_FETCH_OPTIONS_INIT;
	git_remote *remote = NULL;
	const git_remote_head **heads;
	char main_ref[] = MAIN_HEAD, *refv[] = { main_ref }, *tracking = NULL;
	git_strarray specs = { refv, 1 };
	git_oid id;
	size_t n, i;
	int rc;

	theirs[0] = '\0';
	if ((rc = remote_open(&remote, r, spec, false, &tracking)) < 0)
		return rc;
	callbacks(&cb, &c);
	fo.callbacks = cb;
	if (git_remote_connect(remote, GIT_DIRECTION_FETCH, &cb, NULL, NULL) < 0 ||
	    git_remote_ls(&heads, &n, remote) < 0) {
		rc = remote_fail("fetch from", spec);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (strcmp(heads[i]->name, MAIN_HEAD) == 0) {
			git_oid_cpy(&id, &heads[i]->oid);
			git_oid_tostr(theirs, 41, &id);
		}
	if (theirs[0] == '\0')
		goto out;	/* nothing there yet: a push will make it */
	if (git_remote_download(remote, &specs, &fo) < 0)
		rc = remote_fail("fetch from", spec);
	else
		rc = track(r, tracking, &id);
out:
	if (remote != NULL)
		(void)git_remote_disconnect(remote);
	git_remote_free(remote);
	free(tracking);
	return rc;
}

int pki_repo_push(struct pki_repo *r, const char *spec, const struct pki_progress *p)
{
	struct remote_ctx c = { .progress = p };
	git_push_options po = GIT_PUSH_OPTIONS_INIT;
	git_remote *remote = NULL;
	char refspec[] = MAIN_HEAD ":" MAIN_HEAD, *refv[] = { refspec }, *tracking = NULL;
	git_strarray specs = { refv, 1 };
	git_oid id;
	int rc, err;

	if ((rc = remote_open(&remote, r, spec, true, &tracking)) < 0)
		return rc;
	callbacks(&po.callbacks, &c);
	err = git_remote_push(remote, &specs, &po);
	if (err == GIT_ENONFASTFORWARD ||
	    (err == GIT_ERROR && c.rejected[0] == '\0' && git_error_last() != NULL &&
	     strstr(git_error_last()->message, "not present locally") != NULL))
		rc = pki_error(PKI_EBUSY, "'%s' moved meanwhile", spec != NULL ? spec : "origin");
	else if (err < 0)
		rc = remote_fail("push to", spec);
	else if (c.rejected[0] != '\0')
		rc = pki_error(strstr(c.rejected, "fast-forward") != NULL ||
				       strstr(c.rejected, "fetch first") != NULL ? PKI_EBUSY :
									   PKI_EUNAVAIL,
			       "'%s' refused %s", spec != NULL ? spec : "origin", c.rejected);
	else if (git_reference_name_to_id(&id, r->git, MAIN_HEAD) == 0)
		rc = track(r, tracking, &id);
	git_remote_free(remote);
	free(tracking);
	return rc;
}
