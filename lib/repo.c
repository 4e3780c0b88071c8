/* repo.c: the mission repository: opening it, its configuration, and
 * reading the tip of main.  libgit2 is used here, in repo-txn.c (changes)
 * and in repo-history.c (the audit's walk), and nowhere else.
 */
#include <errno.h>
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "error.h"
#include "repo.h"
#include "repo-int.h"

/* Our message, then libgit2's own. */
int repo_fail(int code, const char *fmt, ...)
{
	const git_error *e = git_error_last();
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e != NULL && e->message != NULL)
		return pki_error(code, "%s: %s", msg, e->message);
	return pki_error(code, "%s", msg);
}

/* --- opening --- */

/*
 * pki speaks to no network but in pki-sync, yet Debian's libgit2 1.5.1 (built with
 * mbedTLS) parses the whole CA bundle into memory in git_libgit2_init:
 * 56 M instructions, 4.5-6.5 ms, the largest single cost of a classify
 * (bench/README).  No option or variable turns it off.  These two
 * definitions take the place of mbedTLS's loaders for the libgit2 this
 * program is linked with (the executable comes first in symbol lookup),
 * so that it loads no trust anchors: an HTTPS connection libgit2 might
 * ever attempt would fail verification.  Fail closed, and 5 ms sooner.
 * With a libgit2 built on another TLS library they are never called.
 */
struct mbedtls_x509_crt;
int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path);
int mbedtls_x509_crt_parse_path(struct mbedtls_x509_crt *chain, const char *path);

#define MBEDTLS_ERR_X509_FILE_IO_ERROR (-0x2900)

/* pki-sync speaks to other repositories, over https too: it asks for the
 * trust anchors (pki_repo_trust_system_ca), and these hand its requests
 * on to mbedTLS's own loaders. */
static bool trust_ca;

typedef int crt_loader(struct mbedtls_x509_crt *chain, const char *path);

static int crt_load(const char *name, struct mbedtls_x509_crt *chain, const char *path)
{
	crt_loader *real = NULL;

	if (!trust_ca)
		return MBEDTLS_ERR_X509_FILE_IO_ERROR;
	*(void **)&real = dlsym(RTLD_NEXT, name);
	return real != NULL ? real(chain, path) : MBEDTLS_ERR_X509_FILE_IO_ERROR;
}

int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path)
{
	return crt_load("mbedtls_x509_crt_parse_file", chain, path);
}

int mbedtls_x509_crt_parse_path(struct mbedtls_x509_crt *chain, const char *path)
{
	return crt_load("mbedtls_x509_crt_parse_path", chain, path);
}

void pki_repo_trust_system_ca(void)
{
	trust_ca = true;
}

#define CA_FILE "/etc/ssl/certs/ca-certificates.crt"
#define CA_DIR "/etc/ssl/certs"

/* The system's trust anchors, where OpenSSL's variables or Debian put them. */
static int load_trust(void)
{
	const char *file = getenv("SSL_CERT_FILE"), *dir = getenv("SSL_CERT_DIR");

	if (file == NULL && dir == NULL) {
		if (access(CA_FILE, R_OK) == 0)
			file = CA_FILE;
		else
			dir = CA_DIR;
	}
	if (git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, dir) < 0)
		return repo_fail(PKI_ECONFIG, "cannot load the trust anchors from '%s'",
				 file != NULL ? file : dir);
	return 0;
}

static bool durable(void)
{
	const char *s = getenv("PKI_FSYNC");

	return s != NULL && strcmp(s, "1") == 0;
}

static int repo_new(struct pki_repo **out)
{
	struct pki_repo *r;

	if (git_libgit2_init() < 0)
		return repo_fail(PKI_EINTERNAL, "libgit2");
	/* Packs are mapped in windows of 32 MiB, not libgit2's 1 GiB: a pack
	 * holding a large product is otherwise mapped whole to read a commit
	 * (address space, not memory, but what ulimit -v counts). */
	if (git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)(32 * 1024 * 1024)) < 0) {
		git_libgit2_shutdown();
		return repo_fail(PKI_EINTERNAL, "libgit2");
	}
	/* Durable writes on request: objects, refs and index fsync'd. */
	if (durable() && git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1) < 0) {
		git_libgit2_shutdown();
		return repo_fail(PKI_EINTERNAL, "libgit2");
	}
	if (trust_ca && load_trust() < 0) {
		git_libgit2_shutdown();
		return -PKI_ECONFIG;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		git_libgit2_shutdown();
		return pki_error_errno(PKI_EINTERNAL, "repository");
	}
	*out = r;
	return 0;
}

void pki_repo_free(struct pki_repo *r)
{
	if (r == NULL)
		return;
	git_repository_free(r->git);
	free(r);
	git_libgit2_shutdown();
}

int pki_repo_open(struct pki_repo **out, const char *dir, int flags)
{
	struct pki_repo *r = NULL;
	int rc;

	*out = NULL;
	if ((rc = repo_new(&r)) < 0)
		return rc;
	if (git_repository_open_ext(&r->git, dir != NULL ? dir : ".", 0, NULL) < 0) {
		rc = pki_error(PKI_ENOINPUT, "'%s' is not in a pki repository (no git repository found)",
			       dir != NULL ? dir : ".");
		goto fail;
	}
	(void)flags;	/* every command works in a bare repository too */
	if (!pki_repo_exists(r, PKI_CONF_FILE)) {
		rc = pki_error(PKI_ECONFIG, "'%s' is not a pki repository (no %s on main)",
			       git_repository_is_bare(r->git) ? git_repository_path(r->git) :
			       git_repository_workdir(r->git), PKI_CONF_FILE);
		goto fail;
	}
	*out = r;
	return 0;
fail:
	pki_repo_free(r);
	return rc;
}

int pki_repo_create(struct pki_repo **out, const char *dir)
{
	git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
	git_repository *existing = NULL;
	struct pki_repo *r = NULL;
	int rc;

	*out = NULL;
	if ((rc = repo_new(&r)) < 0)
		return rc;
	if (git_repository_open_ext(&existing, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0) {
		git_repository_free(existing);
		rc = pki_error(PKI_EUSAGE, "'%s' is already a git repository", dir);
		goto fail;
	}
	opts.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	opts.mode = GIT_REPOSITORY_INIT_SHARED_UMASK;
	opts.initial_head = "main";
	if (git_repository_init_ext(&r->git, dir, &opts) < 0) {
		rc = repo_fail(PKI_EIO, "cannot create a repository in '%s'", dir);
		goto fail;
	}
	*out = r;
	return 0;
fail:
	pki_repo_free(r);
	return rc;
}

const char *pki_repo_workdir(const struct pki_repo *r)
{
	return git_repository_workdir(r->git);
}

const char *pki_repo_gitdir(const struct pki_repo *r)
{
	return git_repository_path(r->git);
}

/* --- configuration --- */

static int config_get(git_config *cfg, const char *key, char **out)
{
	git_buf value = GIT_BUF_INIT;
	int err;

	*out = NULL;
	err = git_config_get_string_buf(&value, cfg, key);
	if (err == GIT_ENOTFOUND)
		return 0;
	if (err < 0)
		return repo_fail(PKI_ECONFIG, "cannot read '%s'", key);
	*out = strdup(value.ptr);
	git_buf_dispose(&value);
	return *out != NULL ? 0 : pki_error_errno(PKI_EINTERNAL, "config");
}

/*
 * A bare repository has no pki.conf on disk, and libgit2 parses config only
 * from files: the tip's copy goes to a private file in the git directory,
 * named in path, for as long as it is read.  Mission settings, not
 * product content.
 */
static int conf_from_tip(struct pki_repo *r, struct pki_buf *path)
{
	struct pki_buf conf = PKI_BUF_INIT;
	int fd = -1, rc;

	if ((rc = pki_repo_read(r, PKI_CONF_FILE, PKI_CONF_MAX, &conf)) < 0 ||
	    (rc = pki_buf_printf(path, "%spki-conf.XXXXXX", pki_repo_gitdir(r))) < 0)
		goto out;
	if ((fd = mkstemp(path->ptr)) < 0) {
		rc = pki_error_errno(PKI_EIO, "cannot create '%s'", path->ptr);
		goto out;
	}
	if (write(fd, conf.ptr, conf.len) != (ssize_t)conf.len)
		rc = pki_error_errno(PKI_EIO, "cannot write '%s'", path->ptr);
	if (close(fd) < 0 && rc == 0)
		rc = pki_error_errno(PKI_EIO, "cannot write '%s'", path->ptr);
	if (rc < 0)
		unlink(path->ptr);
out:
	pki_buf_release(&conf);
	return rc;
}

int pki_repo_conf_get(struct pki_repo *r, const char *key, char **out)
{
	struct pki_buf path = PKI_BUF_INIT;
	git_config *cfg = NULL;
	bool bare = git_repository_is_bare(r->git);
	int rc;

	/* The work tree matches the tip for the files pki owns (commits
	 * refuse otherwise), and libgit2 parses config only from files. */
	rc = bare ? conf_from_tip(r, &path) :
		    pki_buf_printf(&path, "%s%s", pki_repo_workdir(r), PKI_CONF_FILE);
	if (rc < 0) {
		pki_buf_release(&path);
		return rc;
	}
	if (git_config_open_ondisk(&cfg, path.ptr) < 0)
		rc = repo_fail(PKI_ECONFIG, "cannot read '%s'", path.ptr);
	else
		rc = config_get(cfg, key, out);
	git_config_free(cfg);
	if (bare)
		unlink(path.ptr);
	pki_buf_release(&path);
	return rc;
}

int pki_repo_local_get(struct pki_repo *r, const char *key, char **out)
{
	git_config *cfg = NULL, *snap = NULL;
	int rc;

	/* Without a repository (pki-init): the global and system files. */
	if (r == NULL && git_libgit2_init() < 0)
		return repo_fail(PKI_EINTERNAL, "libgit2");
	if ((r != NULL ? git_repository_config(&cfg, r->git) : git_config_open_default(&cfg)) < 0 ||
	    git_config_snapshot(&snap, cfg) < 0)
		rc = repo_fail(PKI_ECONFIG, "cannot read git configuration for '%s'", key);
	else
		rc = config_get(snap, key, out);
	git_config_free(snap);
	git_config_free(cfg);
	if (r == NULL)
		git_libgit2_shutdown();
	return rc;
}

int pki_repo_local_set(struct pki_repo *r, const char *key, const char *value)
{
	git_config *cfg = NULL, *local = NULL;
	int rc = 0;

	if (git_repository_config(&cfg, r->git) < 0 ||
	    git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0 ||
	    git_config_set_string(local, key, value) < 0)
		rc = repo_fail(PKI_EIO, "cannot set '%s'", key);
	git_config_free(local);
	git_config_free(cfg);
	return rc;
}

int pki_repo_conf_format(struct pki_repo *r, const char *const *kv, size_t n,
			 struct pki_buf *out)
{
	struct pki_buf path = PKI_BUF_INIT;
	git_config *cfg = NULL;
	size_t i;
	int fd = -1, rc;

	/* Let libgit2 write the git-config syntax into a scratch file in
	 * the git directory (no secrets: mission settings), then read it. */
	if ((rc = pki_buf_printf(&path, "%spki.conf.new", pki_repo_gitdir(r))) < 0)
		return rc;
	(void)unlink(path.ptr);
	if (git_config_open_ondisk(&cfg, path.ptr) < 0) {
		rc = repo_fail(PKI_EIO, "cannot write '%s'", path.ptr);
		goto out;
	}
	for (i = 0; i + 1 < 2 * n; i += 2)
		if (git_config_set_string(cfg, kv[i], kv[i + 1]) < 0) {
			rc = repo_fail(PKI_EIO, "cannot set '%s'", kv[i]);
			goto out;
		}
	if ((fd = open(path.ptr, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		rc = pki_error_errno(PKI_EIO, "cannot read '%s'", path.ptr);
		goto out;
	}
	pki_buf_reset(out);
	rc = pki_read_fd(fd, 64 * 1024, out);
out:
	if (fd >= 0)
		close(fd);
	git_config_free(cfg);
	(void)unlink(path.ptr);
	pki_buf_release(&path);
	return rc;
}

/* --- reading the tip --- */

int repo_tip_commit(git_repository *git, git_commit **out)
{
	git_oid id;
	int err;

	*out = NULL;
	err = git_reference_name_to_id(&id, git, PKI_BRANCH);
	if (err == GIT_ENOTFOUND)
		return 0;
	if (err < 0 || git_commit_lookup(out, git, &id) < 0)
		return repo_fail(PKI_EDATA, "cannot read %s", PKI_BRANCH);
	return 0;
}

int pki_repo_tip(struct pki_repo *r, char hex[41])
{
	git_commit *c = NULL;
	int rc;

	hex[0] = '\0';
	if ((rc = repo_tip_commit(r->git, &c)) < 0)
		return rc;
	if (c != NULL)
		git_oid_tostr(hex, 41, git_commit_id(c));
	git_commit_free(c);
	return 0;
}

/*
 * Blob id (found at path, for messages) into out, refused unread when it
 * is larger than max: its size comes from the object's header first, so
 * a large blob where a small file belongs (a ciphertext at a label's
 * path) costs no memory.  libgit2 would map or inflate it whole.
 */
int repo_blob_read(git_repository *git, const git_oid *id, const char *path, size_t max,
		   struct pki_buf *out)
{
	git_odb *odb = NULL;
	git_blob *b = NULL;
	git_object_t type = GIT_OBJECT_INVALID;
	size_t size = 0;
	int rc = 0;

	if (git_repository_odb(&odb, git) < 0)
		return repo_fail(PKI_EINTERNAL, "cannot open the object store");
	if (git_odb_read_header(&size, &type, odb, id) < 0 || type != GIT_OBJECT_BLOB)
		rc = repo_fail(PKI_EDATA, "cannot read '%s'", path);
	else if (size > max)
		rc = pki_error(PKI_EDATA, "'%s' is larger than %zu bytes", path, max);
	else if (git_blob_lookup(&b, git, id) < 0)
		rc = repo_fail(PKI_EDATA, "cannot read '%s'", path);
	else {
		pki_buf_reset(out);
		rc = pki_buf_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	}
	git_blob_free(b);
	git_odb_free(odb);
	return rc;
}

int repo_with_tip_tree(struct pki_repo *r, git_commit **c, git_tree **t)
{
	int rc;

	*t = NULL;
	if ((rc = repo_tip_commit(r->git, c)) < 0)
		return rc;
	if (*c != NULL && git_commit_tree(t, *c) < 0)
		return repo_fail(PKI_EDATA, "cannot read the tree of %s", PKI_BRANCH);
	return 0;
}

int pki_repo_read(struct pki_repo *r, const char *path, size_t max, struct pki_buf *out)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_oid id;
	int rc;

	if ((rc = repo_with_tip_tree(r, &c, &t)) == 0 &&
	    (rc = repo_tree_file_id(t, path, &id)) == 0)
		rc = repo_blob_read(r->git, &id, path, max, out);
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

bool pki_repo_exists(struct pki_repo *r, const char *path)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	bool found = false;

	if (repo_with_tip_tree(r, &c, &t) == 0 && t != NULL &&
	    git_tree_entry_bypath(&e, t, path) == 0)
		found = true;
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return found;
}

void pki_strv_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

int repo_strv_push(char ***v, size_t *n, const char *s)
{
	char **grown;

	if ((grown = realloc(*v, (*n + 2) * sizeof(**v))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "list");
	*v = grown;
	if ((grown[*n] = strdup(s)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "list");
	grown[++*n] = NULL;
	return 0;
}

int repo_tree_list(git_repository *git, git_tree *root, const char *dir,
		     char ***names, size_t *n)
{
	git_tree_entry *e = NULL;
	git_tree *sub = NULL;
	size_t i;
	int rc = 0;

	if (root == NULL)
		return 0;
	if (dir == NULL || *dir == '\0') {
		sub = root;
	} else {
		if (git_tree_entry_bypath(&e, root, dir) < 0 ||
		    git_tree_entry_type(e) != GIT_OBJECT_TREE)
			goto out;	/* no such directory: empty */
		if (git_tree_lookup(&sub, git, git_tree_entry_id(e)) < 0) {
			rc = repo_fail(PKI_EDATA, "cannot read '%s'", dir);
			goto out;
		}
	}
	for (i = 0; i < git_tree_entrycount(sub) && rc == 0; i++)
		rc = repo_strv_push(names, n, git_tree_entry_name(git_tree_entry_byindex(sub, i)));
out:
	if (sub != root)
		git_tree_free(sub);
	git_tree_entry_free(e);
	return rc;
}

int pki_repo_list(struct pki_repo *r, const char *dir, char ***names, size_t *n)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	int rc;

	*names = NULL;
	*n = 0;
	if ((rc = repo_with_tip_tree(r, &c, &t)) == 0)
		rc = repo_tree_list(r->git, t, dir, names, n);
	if (rc == 0 && *names == NULL && (*names = calloc(1, sizeof(**names))) == NULL)
		rc = pki_error_errno(PKI_EINTERNAL, "list");
	if (rc < 0) {
		pki_strv_free(*names);
		*names = NULL;
		*n = 0;
	}
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

int repo_blob_to_sink(git_blob *b, struct pki_sink *out)
{
	const char *p = git_blob_rawcontent(b);
	git_object_size_t left = git_blob_rawsize(b);
	size_t chunk;
	int rc;

	while (left > 0) {
		chunk = left > 65536 ? 65536 : (size_t)left;
		if ((rc = out->write(out->ctx, p, chunk)) < 0)
			return rc;
		p += chunk;
		left -= chunk;
	}
	return 0;
}

/* The ID of the file at path in tree; -PKI_ENOINPUT when absent. */
int repo_tree_file_id(git_tree *tree, const char *path, git_oid *out)
{
	git_tree_entry *e = NULL;
	int rc = 0;

	if (tree == NULL || git_tree_entry_bypath(&e, tree, path) < 0)
		return pki_error(PKI_ENOINPUT, "'%s' does not exist", path);
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		rc = pki_error(PKI_EDATA, "'%s' is not a file", path);
	else
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return rc;
}

/*
 * A blob to a sink.  A loose object is inflated as it is read
 * (git_odb_open_rstream), so the heap does not grow with its size (the
 * compressed file is mapped, in reclaimable pages); libgit2 cannot stream
 * a packed object, which is read whole.
 */
int repo_id_to_sink(git_repository *git, const git_oid *id, const char *path,
		      struct pki_sink *out)
{
	git_odb *odb = NULL;
	git_odb_stream *st = NULL;
	git_blob *b = NULL;
	git_object_t type = GIT_OBJECT_INVALID;
	size_t len;
	char buf[65536];
	int n = 0, rc = 0;

	if (git_repository_odb(&odb, git) < 0)
		return repo_fail(PKI_EINTERNAL, "cannot open the object store");
	if (git_odb_open_rstream(&st, &len, &type, odb, id) == 0 && type == GIT_OBJECT_BLOB) {
		while (rc == 0 && (n = git_odb_stream_read(st, buf, sizeof(buf))) > 0)
			rc = out->write(out->ctx, buf, (size_t)n);
		if (n < 0 && rc == 0)
			rc = repo_fail(PKI_EIO, "cannot read '%s'", path);
	} else {
		git_error_clear();
		if (git_blob_lookup(&b, git, id) < 0)
			rc = repo_fail(PKI_EDATA, "cannot read '%s'", path);
		else
			rc = repo_blob_to_sink(b, out);
	}
	git_blob_free(b);
	if (st != NULL)
		git_odb_stream_free(st);
	git_odb_free(odb);
	return rc;
}

int pki_repo_stream(struct pki_repo *r, const char *path, struct pki_sink *out)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_oid id;
	int rc;

	if ((rc = repo_with_tip_tree(r, &c, &t)) == 0 &&
	    (rc = repo_tree_file_id(t, path, &id)) == 0)
		rc = repo_id_to_sink(r->git, &id, path, out);
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

