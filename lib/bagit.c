/* bagit.c: BagIt bags (RFC 8493), written so that nothing planted in the
 * way is followed and no half bag ever carries the final name.
 *
 * The bag is built in DIR/.NAME.tmp, under a directory descriptor held
 * open from the start (mktree.c: every directory below made with mkdirat
 * and opened O_NOFOLLOW, every file created O_CREAT|O_EXCL|O_NOFOLLOW).  Files
 * are hashed as they are written, so a payload of any size costs one
 * pass and a fixed amount of memory.  The finished bag is renamed to
 * DIR/NAME with RENAME_NOREPLACE.  What was made is remembered, so that
 * an unpublished bag is removed file by file, the same careful way.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "error.h"
#include "mktree.h"
#include "rows.h"
#include "sha256.h"

struct bag_file {
	char *path;		/* relative to the bag: "data/..." or a tag file */
	char hex[65];
};

struct pki_bag {
	int dirfd;		/* DIR */
	struct pki_mktree tree;	/* DIR/.NAME.tmp and what is in it */
	char *tmpname, *name, *path;
	bool published;
	struct bag_file *files;	/* the payload */
	size_t nfiles, capfiles;
	uint64_t octets;
	size_t nopen;		/* payload files begun and not ended */
};

/* A file being written: its descriptor, its running hash. */
struct pki_bagf {
	struct pki_bag *b;
	int fd;
	size_t index;		/* in b->files; (size_t)-1 for a tag file */
	struct pki_sha256 sha;
};

static int sink_write(void *ctx, const void *data, size_t len)
{
	struct pki_bagf *f = ctx;

	if (pki_sink_fd(&f->fd, data, len) < 0)
		return pki_error_wrap(PKI_EIO, "'%s'", f->b->tmpname);
	pki_sha256_update(&f->sha, data, len);
	return 0;
}

static int file_open(struct pki_bag *b, const char *path, size_t index, struct pki_bagf **out)
{
	struct pki_bagf *f;
	int rc;

	*out = NULL;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "bag");
	if ((rc = pki_mktree_create(&b->tree, path, &f->fd)) < 0) {
		free(f);
		return rc;
	}
	f->b = b;
	f->index = index;
	pki_sha256_init(&f->sha);
	*out = f;
	return 0;
}

/* Close the file and free it; its digest in hex.  (The bag is flushed to
 * disk once, whole, by pki_bag_finish.) */
static int file_close(struct pki_bagf *f, char hex[65])
{
	unsigned char d[PKI_SHA256_LEN];
	int rc = 0;

	if (close(f->fd) < 0)
		rc = pki_error_errno(PKI_EIO, "bag: cannot close a file in '%s'", f->b->tmpname);
	pki_sha256_final(&f->sha, d);
	pki_sha256_hex(d, hex);
	free(f);
	return rc;
}

int pki_bag_file_begin(struct pki_bag *b, const char *path, struct pki_bagf **out,
		       struct pki_sink *sink)
{
	struct bag_file *v;
	char *full;
	int rc;

	*out = NULL;
	if ((v = pki_row_grow(b->files, b->nfiles, &b->capfiles, sizeof(*v))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "bag");
	b->files = v;
	if (asprintf(&full, "data/%s", path) < 0)
		return pki_error_errno(PKI_EINTERNAL, "bag");
	if ((rc = file_open(b, full, b->nfiles, out)) < 0) {
		free(full);
		return rc;
	}
	v[b->nfiles].path = full;
	v[b->nfiles].hex[0] = '\0';
	b->nfiles++;
	b->nopen++;
	sink->write = sink_write;
	sink->ctx = *out;
	return 0;
}

int pki_bag_file_end(struct pki_bagf *f, char hex[65])
{
	struct pki_bag *b;
	struct bag_file *e;
	int rc;

	if (f == NULL)
		return 0;
	b = f->b;
	e = &b->files[f->index];
	b->octets += f->sha.len;
	b->nopen--;
	if ((rc = file_close(f, e->hex)) == 0 && hex != NULL)
		memcpy(hex, e->hex, 65);
	return rc;
}

int pki_bag_add(struct pki_bag *b, const char *path, const void *data, size_t len,
		char hex[65])
{
	struct pki_bagf *f;
	struct pki_sink sink;
	int rc, rc2;

	if ((rc = pki_bag_file_begin(b, path, &f, &sink)) < 0)
		return rc;
	rc = sink.write(sink.ctx, data, len);
	rc2 = pki_bag_file_end(f, hex);
	return rc < 0 ? rc : rc2;
}

/* A tag file at the top of the bag, its digest in hex. */
static int tag_file(struct pki_bag *b, const char *name, const struct pki_buf *text,
		    char hex[65])
{
	struct pki_bagf *f;
	int rc, rc2;

	if ((rc = file_open(b, name, (size_t)-1, &f)) < 0)
		return rc;
	rc = sink_write(f, text->ptr, text->len);
	rc2 = file_close(f, hex);
	return rc < 0 ? rc : rc2;
}

static int by_path(const void *x, const void *y)
{
	return strcmp(((const struct bag_file *)x)->path, ((const struct bag_file *)y)->path);
}

static int manifest(struct pki_buf *out, struct bag_file *f, size_t n)
{
	size_t i;
	int rc = 0;

	qsort(f, n, sizeof(*f), by_path);
	for (i = 0; i < n && rc == 0; i++)
		rc = pki_buf_printf(out, "%s  %s\n", f[i].hex, f[i].path);
	return rc;
}

/* "Label: value", one line of printable UTF-8 (RFC 8493 2.2.2). */
static int info_lines(struct pki_buf *out, const char *const *info, size_t n)
{
	const unsigned char *p;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (strstr(info[i], ": ") == NULL || info[i][0] == ' ')
			return pki_error(PKI_EINTERNAL, "bag: bad bag-info line '%.64s'", info[i]);
		for (p = (const unsigned char *)info[i]; *p != '\0'; p++)
			if (*p < 0x20 || *p == 0x7f)
				return pki_error(PKI_EINTERNAL, "bag: control character in bag-info");
		if ((rc = pki_buf_printf(out, "%s\n", info[i])) < 0)
			return rc;
	}
	return 0;
}

int pki_bag_finish(struct pki_bag *b, const char *const *info, size_t n,
		   char digest[65], char oxum[PKI_OXUM_LEN])
{
	static const char bagit[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	struct pki_buf text = PKI_BUF_INIT;
	struct bag_file tags[3] = {
		{ (char *)"bagit.txt", "" }, { (char *)"bag-info.txt", "" },
		{ (char *)"manifest-sha256.txt", "" },
	};
	char scratch[65];
	int rc;

	if (b->nopen != 0)
		return pki_error(PKI_EINTERNAL, "bag: %zu files still open", b->nopen);
	snprintf(oxum, PKI_OXUM_LEN, "%" PRIu64 ".%zu", b->octets, b->nfiles);
	if ((rc = manifest(&text, b->files, b->nfiles)) < 0 ||
	    (rc = tag_file(b, tags[2].path, &text, tags[2].hex)) < 0)
		goto out;
	memcpy(digest, tags[2].hex, 65);
	pki_buf_reset(&text);
	if ((rc = pki_buf_adds(&text, bagit)) < 0 ||
	    (rc = tag_file(b, tags[0].path, &text, tags[0].hex)) < 0)
		goto out;
	pki_buf_reset(&text);
	if ((rc = info_lines(&text, info, n)) < 0 ||
	    (rc = pki_buf_printf(&text, "Payload-Oxum: %s\n", oxum)) < 0 ||
	    (rc = tag_file(b, tags[1].path, &text, tags[1].hex)) < 0)
		goto out;
	pki_buf_reset(&text);
	if ((rc = manifest(&text, tags, 3)) < 0 ||
	    (rc = tag_file(b, "tagmanifest-sha256.txt", &text, scratch)) < 0)
		goto out;
	/* One flush of the file system for every file, rather than one each:
	 * the bag is on disk before it can be renamed into place. */
	if (syncfs(b->tree.rootfd) < 0)
		rc = pki_error_errno(PKI_EIO, "bag: cannot sync '%s'", b->tmpname);
out:
	pki_buf_release(&text);
	return rc;
}

int pki_bag_create(struct pki_bag **out, const char *dir, const char *name)
{
	struct pki_bag *b;
	struct stat st;
	int rc = 0;

	*out = NULL;
	if (!pki_mktree_name_ok(name, strlen(name)))
		return pki_error(PKI_EINTERNAL, "bag: invalid name '%.64s'", name);
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "bag");
	b->dirfd = b->tree.rootfd = -1;
	if (asprintf(&b->tmpname, "%s/.%s.tmp", dir, name) < 0 ||
	    asprintf(&b->path, "%s/%s", dir, name) < 0 || (b->name = strdup(name)) == NULL) {
		rc = pki_error_errno(PKI_EINTERNAL, "bag");
		goto fail;
	}
	if ((b->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		rc = pki_error_errno(PKI_ENOINPUT, "cannot open output directory '%s'", dir);
		goto fail;
	}
	if (fstatat(b->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		rc = pki_error(PKI_EIO, "'%s' exists: a transfer is never written over", b->path);
		goto fail;
	}
	if (errno != ENOENT) {
		rc = pki_error_errno(PKI_EIO, "cannot look at '%s'", b->path);
		goto fail;
	}
	if ((rc = pki_mktree_begin(&b->tree, b->dirfd, strrchr(b->tmpname, '/') + 1,
				   b->tmpname)) < 0 ||
	    (rc = pki_mktree_mkdir(&b->tree, "data")) < 0)
		goto fail;
	*out = b;
	return 0;
fail:
	pki_bag_free(b);
	return rc;
}

/* Where RENAME_NOREPLACE is not supported: look, then leap. */
static int rename_checked(struct pki_bag *b, const char *tmp)
{
	struct stat st;

	if (fstatat(b->dirfd, b->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		errno = EEXIST;
		return -1;
	}
	return renameat(b->dirfd, tmp, b->dirfd, b->name);
}

int pki_bag_publish(struct pki_bag *b)
{
	const char *tmp = b->tree.root;

	if (b->nopen != 0)
		return pki_error(PKI_EINTERNAL, "bag: %zu files still open", b->nopen);
	/* Whatever happens now, the bag is kept. */
	b->published = true;
	if (renameat2(b->dirfd, tmp, b->dirfd, b->name, RENAME_NOREPLACE) < 0 &&
	    !((errno == EINVAL || errno == ENOSYS) && rename_checked(b, tmp) == 0))
		return pki_error_errno(PKI_EIO, "the transfer is recorded, but '%s' cannot be "
				       "renamed to '%s'", b->tmpname, b->path);
	if (fsync(b->dirfd) < 0 && errno != EINVAL)
		return pki_error_errno(PKI_EIO, "cannot sync the directory of '%s'", b->path);
	return 0;
}

const char *pki_bag_path(const struct pki_bag *b)
{
	return b->path;
}

void pki_bag_free(struct pki_bag *b)
{
	size_t i;

	if (b == NULL)
		return;
	if (b->tree.rootfd >= 0) {
		if (b->published)
			pki_mktree_release(&b->tree);
		else
			pki_mktree_remove(&b->tree);
	}
	if (b->dirfd >= 0)
		close(b->dirfd);
	for (i = 0; i < b->nfiles; i++)
		free(b->files[i].path);
	free(b->files);
	free(b->tmpname);
	free(b->name);
	free(b->path);
	free(b);
}
