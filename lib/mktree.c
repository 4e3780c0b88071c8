/* mktree.c: a directory tree made under a directory descriptor.
 *
 * Every directory is made with mkdirat and opened O_NOFOLLOW|O_DIRECTORY
 * from its parent's descriptor, every file created O_EXCL|O_NOFOLLOW: a
 * symlink or a file planted anywhere in the way makes the call fail, and
 * is never followed or written over.  What was made is remembered, so
 * that removal touches nothing else, walking the same careful way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "mktree.h"
#include "rows.h"

#define NAME_MAX_LEN 255
#define DEPTH_MAX 8

struct pki_made {
	char *path;		/* relative to the root */
	bool dir;
};

bool pki_mktree_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > NAME_MAX_LEN || s[0] == '.')
		return false;
	for (i = 0; i < n; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') && !(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '.' && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

static int check_path(const struct pki_mktree *t, const char *path)
{
	const char *p = path, *slash;
	int depth = 0;

	for (;; p = slash + 1) {
		slash = strchr(p, '/');
		if (!pki_mktree_name_ok(p, slash != NULL ? (size_t)(slash - p) : strlen(p)) ||
		    ++depth > DEPTH_MAX)
			return pki_error(PKI_EINTERNAL, "'%s': invalid path '%.128s'", t->show, path);
		if (slash == NULL)
			return 0;
	}
}

static int remember(struct pki_mktree *t, const char *path, size_t len, bool dir)
{
	struct pki_made *m;

	if ((m = pki_row_grow(t->made, t->nmade, &t->capmade, sizeof(*m))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "'%s'", t->show);
	t->made = m;
	if ((m[t->nmade].path = strndup(path, len)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "'%s'", t->show);
	m[t->nmade++].dir = dir;
	return 0;
}

static void close_dir(const struct pki_mktree *t, int fd)
{
	if (fd != t->rootfd)
		close(fd);
}

/*
 * Open the directory that holds path, component by component; with
 * create, make the missing ones.  *base is path's last component.  -1
 * with errno, and no message: removal uses it too, and must not replace
 * the message of the failure it cleans up after.
 */
static int open_parent(struct pki_mktree *t, const char *path, bool create, int *out,
		       const char **base)
{
	const char *p = path, *slash;
	char comp[NAME_MAX_LEN + 1];
	int fd = t->rootfd, next, e;

	while ((slash = strchr(p, '/')) != NULL) {
		snprintf(comp, sizeof(comp), "%.*s", (int)(slash - p), p);
		if (create && mkdirat(fd, comp, 0777) == 0) {
			if (remember(t, path, (size_t)(slash - path), true) < 0)
				goto fail;
		} else if (create && errno != EEXIST) {
			goto fail;
		}
		if ((next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			goto fail;
		close_dir(t, fd);
		fd = next;
		p = slash + 1;
	}
	*out = fd;
	*base = p;
	return 0;
fail:
	e = errno;
	close_dir(t, fd);
	errno = e;
	return -1;
}

int pki_mktree_create(struct pki_mktree *t, const char *path, int *fd)
{
	const char *base;
	int dir, rc;

	*fd = -1;
	if ((rc = check_path(t, path)) < 0)
		return rc;
	if (open_parent(t, path, true, &dir, &base) < 0)
		return pki_error_errno(PKI_EIO, "cannot make the directories of '%s/%s'",
				       t->show, path);
	*fd = openat(dir, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (*fd < 0)
		rc = pki_error_errno(PKI_EIO, "cannot create '%s/%s'", t->show, path);
	else
		rc = remember(t, path, strlen(path), false);
	close_dir(t, dir);
	return rc;
}

int pki_mktree_mkdir(struct pki_mktree *t, const char *path)
{
	struct pki_buf p = PKI_BUF_INIT;
	const char *base;
	int dir, rc;

	/* "path/." names the directory itself as a last component would. */
	if ((rc = check_path(t, path)) < 0 || (rc = pki_buf_printf(&p, "%s/.", path)) < 0)
		goto out;
	if (open_parent(t, p.ptr, true, &dir, &base) < 0)
		rc = pki_error_errno(PKI_EIO, "cannot make '%s/%s'", t->show, path);
	else
		close_dir(t, dir);
out:
	pki_buf_release(&p);
	return rc;
}

int pki_mktree_begin(struct pki_mktree *t, int parentfd, const char *root, const char *show)
{
	memset(t, 0, sizeof(*t));
	t->rootfd = -1;
	t->parentfd = parentfd;
	t->show = show;
	if ((t->root = strdup(root)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "'%s'", show);
	if (mkdirat(parentfd, root, 0777) < 0) {
		free(t->root);
		t->root = NULL;
		return pki_error_errno(PKI_EIO, errno == EEXIST ? "cannot make '%s' (another "
				       "transfer is being built, or one was interrupted: remove "
				       "it)" : "cannot make '%s'", show);
	}
	t->rootfd = openat(parentfd, root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (t->rootfd < 0) {
		pki_error_errno(PKI_EIO, "cannot open '%s'", show);
		pki_mktree_remove(t);
		return -PKI_EIO;
	}
	return 0;
}

void pki_mktree_remove(struct pki_mktree *t)
{
	const char *base;
	size_t i;
	int dir;

	for (i = t->nmade; t->rootfd >= 0 && i-- > 0;)
		if (open_parent(t, t->made[i].path, false, &dir, &base) == 0) {
			unlinkat(dir, base, t->made[i].dir ? AT_REMOVEDIR : 0);
			close_dir(t, dir);
		}
	if (t->root != NULL)
		unlinkat(t->parentfd, t->root, AT_REMOVEDIR);
	pki_mktree_release(t);
}

void pki_mktree_release(struct pki_mktree *t)
{
	size_t i;

	if (t->rootfd >= 0)
		close(t->rootfd);
	for (i = 0; i < t->nmade; i++)
		free(t->made[i].path);
	free(t->made);
	free(t->root);
	memset(t, 0, sizeof(*t));
	t->rootfd = -1;
}
