/* product-crypt.c: a product's ciphertext: the keys of its distribution
 * list, encrypting a new product, re-encrypting one to a new list.
 *
 * The ciphertext streams from gpg straight into the object store, hashed
 * on the way for the label's binding: nothing here holds a whole product,
 * and the plaintext of a new one only passes through gpg's pipes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "progress.h"
#include "error.h"
#include "product.h"
#include "repo.h"
#include "sha256.h"

#define KEY_MAX (1024 * 1024)

/* --- keys --- */

int pki_product_fprs(const struct pki_matrix *m, const struct pki_names *list,
		     const char ***fprs)
{
	const struct pki_principal *p;
	size_t i;

	if ((*fprs = calloc(list->n ? list->n : 1, sizeof(**fprs))) == NULL)
		return pki_error(PKI_EINTERNAL, "distribution list: out of memory");
	for (i = 0; i < list->n; i++) {
		if ((p = pki_matrix_find(m, list->v[i])) == NULL) {
			free(*fprs);
			*fprs = NULL;
			return pki_error(PKI_EDATA, "'%s' is on the distribution list but not in "
					 "the access matrix", list->v[i]);
		}
		(*fprs)[i] = p->fpr;
	}
	return 0;
}

/* The key file as of the transaction t, else at r's tip. */
static int import_key(struct pki_txn *t, struct pki_repo *r, struct pki_gpg *g, const char *fpr)
{
	struct pki_buf b = PKI_BUF_INIT;
	struct pki_key k = { 0 };
	char path[PKI_KEY_PATH_MAX];
	int rc;

	pki_key_path(fpr, path);
	rc = t != NULL ? pki_txn_read(t, path, KEY_MAX, &b) : pki_repo_read(r, path, KEY_MAX, &b);
	if (rc == -PKI_ENOINPUT)
		rc = pki_error(PKI_EUNAVAIL, "key %s is neither in the keyring nor at %s", fpr, path);
	if (rc == 0 && (rc = pki_gpg_import(g, b.ptr, b.len, &k)) < 0)
		rc = pki_error_wrap(-rc, "%s", path);
	if (rc == 0 && strcmp(k.fpr, fpr) != 0)
		rc = pki_error(PKI_EDATA, "%s holds key %s", path, k.fpr);
	pki_key_release(&k);
	pki_buf_release(&b);
	return rc;
}

/* Every key of fprs in the keyring, importing those that are not; how
 * many were imported into *imported, when not NULL. */
static int have_keys(struct pki_txn *t, struct pki_repo *r, struct pki_gpg *g,
		     const char *const *fprs, size_t n, size_t *imported)
{
	bool *missing;
	size_t i;
	int rc;

	if (imported != NULL)
		*imported = 0;
	if ((missing = calloc(n ? n : 1, sizeof(*missing))) == NULL)
		return pki_error(PKI_EINTERNAL, "keys: out of memory");
	rc = pki_gpg_missing(g, fprs, n, missing);
	for (i = 0; i < n && rc == 0; i++)
		if (missing[i] && (rc = import_key(t, r, g, fprs[i])) == 0 && imported != NULL)
			(*imported)++;
	free(missing);
	return rc;
}

int pki_product_keys(struct pki_txn *t, struct pki_gpg *g, const char *const *fprs, size_t n)
{
	return have_keys(t, NULL, g, fprs, n, NULL);
}

/* --- ciphertexts --- */

/* The ciphertext goes to the object store and through the hash. */
struct tee {
	struct pki_sink blob;
	struct pki_sha256 sha;
};

static int tee_write(void *ctx, const void *data, size_t len)
{
	struct tee *t = ctx;
	int rc;

	if ((rc = t->blob.write(t->blob.ctx, data, len)) < 0)
		return rc;
	pki_sha256_update(&t->sha, data, len);
	return 0;
}

#define PROGRESS_BYTES (8u << 20)

/* Counts what a source gives, to refuse an empty product and to tell
 * how far a large one has gone (total: 0 when unknown). */
struct counted {
	struct pki_source *in;
	unsigned long long n;
	const struct pki_progress *progress;
	const char *what;
	uint64_t total;
};

static long counted_read(void *ctx, void *data, size_t len)
{
	struct counted *c = ctx;
	long n = c->in->read(c->in->ctx, data, len);

	if (n > 0)
		c->n += (unsigned long long)n;
	/* Only for a large product: a small one is done before a reader
	 * could look, and a loop over many counts products instead. */
	if (n >= 0 && c->progress != NULL &&
	    (c->total >= PROGRESS_BYTES || (c->total == 0 && c->n >= PROGRESS_BYTES)))
		pki_progress_report(c->progress, c->what, c->n,
				    n == 0 && c->total == 0 ? c->n : c->total);
	return n;
}

struct crypt {
	const char *const *fprs;
	size_t n;
	struct pki_source *in;	/* plaintext, or the old ciphertext */
	bool reencrypt;
};

/* Run gpg from c->in into the blob being written to blob; the
 * ciphertext's hash out. */
static int crypt_into(struct pki_gpg *g, const struct crypt *c, struct pki_sink *blob,
		      char sha256[PKI_SHA256_HEX])
{
	struct tee tee;
	struct pki_sink sink = { tee_write, &tee };
	unsigned char d[PKI_SHA256_LEN];
	int rc;

	tee.blob = *blob;
	pki_sha256_init(&tee.sha);
	if (c->reencrypt)
		rc = pki_gpg_reencrypt(g, c->fprs, c->n, c->in, &sink, false);
	else
		rc = pki_gpg_encrypt(g, c->fprs, c->n, c->in, &sink, false);
	pki_sha256_final(&tee.sha, d);
	if (rc == 0)
		pki_sha256_hex(d, sha256);
	return rc;
}

/* Run gpg from c->in into a new blob at path; the ciphertext's hash out. */
static int crypt_to_blob(struct pki_txn *t, struct pki_gpg *g, const struct crypt *c,
			 const char *path, char sha256[PKI_SHA256_HEX])
{
	struct pki_blobw *w = NULL;
	struct pki_sink blob;
	int rc;

	if ((rc = pki_txn_blob_begin(t, &w, &blob)) < 0)
		return rc;
	if ((rc = crypt_into(g, c, &blob, sha256)) < 0) {
		pki_txn_blob_finish(t, w, NULL);
		return rc;
	}
	return pki_txn_blob_finish(t, w, path);
}

/*
 * gpg says only that some recipient's key is unusable: after such a
 * failure (never before: it costs a look-up per recipient), name the
 * principal, so that its key can be renewed or the principal removed.
 */
static int name_unusable(struct pki_gpg *g, const struct pki_names *list,
			 const char *const *fprs, int rc)
{
	struct pki_key k;
	char saved[512];
	bool usable;
	size_t i;

	if (rc != -PKI_EUNAVAIL)
		return rc;
	snprintf(saved, sizeof(saved), "%s", pki_error_last());
	for (i = 0; i < list->n; i++) {
		if (pki_gpg_key(g, fprs[i], false, &k) < 0)
			continue;
		usable = k.can_encrypt;
		pki_key_release(&k);
		if (!usable)
			return pki_error(PKI_EUNAVAIL, "the key of '%s' (%s) cannot encrypt: it is "
					 "expired, revoked or has no encryption subkey", list->v[i],
					 fprs[i]);
	}
	return pki_error(PKI_EUNAVAIL, "%s", saved);
}

/* Resolve the list to keys, and have every one of them here. */
static int recipients(struct pki_txn *t, struct pki_repo *r, struct pki_gpg *g,
		      const struct pki_matrix *m, const struct pki_names *list, const char ***fprs)
{
	int rc;

	if (list->n == 0)
		return pki_error(PKI_EINTERNAL, "an empty distribution list");
	if ((rc = pki_product_fprs(m, list, fprs)) < 0)
		return rc;
	if ((rc = have_keys(t, r, g, *fprs, list->n, NULL)) < 0) {
		free(*fprs);
		*fprs = NULL;
	}
	return rc;
}

int pki_product_encrypt(struct pki_txn *t, struct pki_gpg *g, const struct pki_matrix *m,
			const struct pki_names *list, struct pki_source *src, const char *id,
			char sha256[PKI_SHA256_HEX])
{
	char path[PKI_PRODUCT_PATH_MAX];
	const char **fprs = NULL;
	struct counted count = { src, 0, pki_txn_progress(t), "Encrypting", src->size };
	struct pki_source in = { counted_read, &count };
	struct crypt c;
	int rc;

	if ((rc = pki_product_path(id, "gpg", path)) < 0 ||
	    (rc = recipients(t, NULL, g, m, list, &fprs)) < 0)
		return rc;
	c = (struct crypt){ fprs, list->n, &in, false };
	rc = name_unusable(g, list, fprs, crypt_to_blob(t, g, &c, path, sha256));
	if (rc == 0 && count.n == 0)
		rc = pki_error(PKI_ENOINPUT, "the product is empty");
	free(fprs);
	return rc;
}

/*
 * A small product is read into memory first (wiped after), so that it can
 * be encrypted twice: once at once, without asking gpg whether every
 * recipient's key is here (a key listing is a gpg process of its own, and
 * gpg's success says so), and again, only when gpg refused a recipient and
 * the keyring turns out to lack a key the repository holds.
 */
#define SMALL_MAX (64 * 1024)

/* The plaintext in memory, then whatever the source still gives. */
struct replay {
	struct pki_buf *b;
	size_t pos;
	struct pki_source *rest;	/* NULL: the whole product is in b */
};

static long replay_read(void *ctx, void *data, size_t len)
{
	struct replay *p = ctx;

	if (p->pos < p->b->len) {
		if (len > p->b->len - p->pos)
			len = p->b->len - p->pos;
		memcpy(data, p->b->ptr + p->pos, len);
		p->pos += len;
		return (long)len;
	}
	return p->rest != NULL ? p->rest->read(p->rest->ctx, data, len) : 0;
}

/* Read up to SMALL_MAX bytes of in into p->b; p->rest stays in when more follow. */
static int replay_fill(struct replay *p, struct pki_source *in)
{
	char chunk[4096];
	long n;
	int rc;

	p->rest = in;
	while (p->b->len <= SMALL_MAX) {
		if ((n = in->read(in->ctx, chunk, sizeof(chunk))) < 0) {
			explicit_bzero(chunk, sizeof(chunk));
			return (int)n;
		}
		if (n == 0) {
			p->rest = NULL;
			break;
		}
		rc = pki_buf_add(p->b, chunk, (size_t)n);
		explicit_bzero(chunk, (size_t)n);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* One ciphertext of in to fprs, a new blob in r. */
static int seal_blob(struct pki_repo *r, struct pki_gpg *g, const struct crypt *c,
		     struct pki_sealed *out)
{
	struct pki_blobw *w = NULL;
	struct pki_sink blob;
	int rc;

	if ((rc = pki_repo_blob_begin(r, &w, &blob)) < 0)
		return rc;
	if ((rc = crypt_into(g, c, &blob, out->sha256)) < 0)
		pki_blobw_end(w, NULL, NULL);
	else if ((rc = pki_blobw_end(w, out->blob, &out->shadow)) < 0)
		out->blob[0] = '\0';
	return rc;
}

int pki_product_seal(struct pki_repo *r, struct pki_gpg *g, const struct pki_matrix *m,
		     const struct pki_names *list, struct pki_source *src,
		     const struct pki_progress *progress, struct pki_sealed *out)
{
	const char **fprs = NULL;
	struct counted count = { src, 0, progress, "Encrypting", src->size };
	struct pki_source in = { counted_read, &count, src->size };
	struct pki_buf plain = PKI_BUF_INIT;
	struct replay p = { &plain, 0, &in };
	struct pki_source from = { replay_read, &p, src->size };
	struct crypt c;
	char saved[512];
	size_t imported = 0;
	int rc;

	out->blob[0] = '\0';
	out->shadow = NULL;
	if (src->size > 0 && src->size <= SMALL_MAX && (rc = replay_fill(&p, &in)) < 0)
		goto out;
	/* Not all of it in memory: the keys first, as for a large product. */
	if ((rc = p.rest != NULL ? recipients(NULL, r, g, m, list, &fprs) :
		  pki_product_fprs(m, list, &fprs)) < 0)
		goto out;
	c = (struct crypt){ fprs, list->n, &from, false };
	rc = seal_blob(r, g, &c, out);
	/* gpg refused a recipient: a key missing here is imported (a failed
	 * import is the refusal, as when the keys come first), and the
	 * product encrypted again. */
	if (rc == -PKI_EUNAVAIL && p.rest == NULL) {
		snprintf(saved, sizeof(saved), "%s", pki_error_last());
		if ((rc = have_keys(NULL, r, g, fprs, list->n, &imported)) < 0)
			goto out;
		p.pos = 0;
		rc = imported > 0 ? seal_blob(r, g, &c, out) : pki_error(PKI_EUNAVAIL, "%s", saved);
	}
	rc = name_unusable(g, list, fprs, rc);
	if (rc == 0 && count.n == 0)
		rc = pki_error(PKI_ENOINPUT, "the product is empty");
out:
	pki_buf_wipe(&plain);
	free(fprs);
	return rc;
}

void pki_sealed_release(struct pki_sealed *s)
{
	pki_shadow_drop(&s->shadow);
	s->blob[0] = '\0';
}

/* Hashes the old ciphertext as gpg reads it: a label that does not bind
 * it is a finding, not something to carry forward. */
struct hashed {
	struct pki_source in;
	struct pki_sha256 sha;
};

static long hashed_read(void *ctx, void *data, size_t len)
{
	struct hashed *h = ctx;
	long n = h->in.read(h->in.ctx, data, len);

	if (n > 0)
		pki_sha256_update(&h->sha, data, (size_t)n);
	return n;
}

static int check_binding(struct hashed *h, const struct pki_label *l)
{
	unsigned char d[PKI_SHA256_LEN];
	char hex[PKI_SHA256_HEX];

	pki_sha256_final(&h->sha, d);
	pki_sha256_hex(d, hex);
	if (strcmp(hex, l->sha256) != 0)
		return pki_error(PKI_EDATA, "product %s: the label does not bind the ciphertext "
				 "(sha256 %s, the label says %s)", l->id, hex, l->sha256);
	return 0;
}

int pki_product_reencrypt(struct pki_txn *t, struct pki_gpg *g, const struct pki_matrix *m,
			  struct pki_label *l, const struct pki_names *list)
{
	char path[PKI_PRODUCT_PATH_MAX], sha256[PKI_SHA256_HEX];
	const char **fprs = NULL;
	struct pki_blobr *rd = NULL;
	struct hashed h;
	struct pki_source in = { hashed_read, &h };
	struct crypt c;
	int rc;

	struct counted count = { &in, 0, NULL, "Re-encrypting", 0 };
	struct pki_source counted = { counted_read, &count };

	pki_sha256_init(&h.sha);
	if (l->disposed != 0) {
		pki_date_format(l->disposed, sha256);
		return pki_error(PKI_EPOLICY, "%s was disposed of on %s: its ciphertext has left "
				 "the repository (policy 12.6.9)", l->id, sha256);
	}
	if ((rc = pki_product_path(l->id, "gpg", path)) < 0 ||
	    (rc = recipients(t, NULL, g, m, list, &fprs)) < 0)
		return rc;
	if ((rc = pki_txn_blob_reader(t, path, &rd, &h.in)) < 0) {
		if (rc == -PKI_ENOINPUT)
			rc = pki_error(PKI_ENOINPUT, "product %s has no ciphertext", l->id);
		goto out;
	}
	/* A large product tells how far it has gone (pki-share, a
	 * reclassification); in a loop, the loop counts products. */
	if (pki_txn_blob_size(t, path, &count.total) == 0 && count.total >= PROGRESS_BYTES)
		count.progress = pki_txn_progress(t);
	c = (struct crypt){ fprs, list->n, count.progress != NULL ? &counted : &in, true };
	if ((rc = crypt_to_blob(t, g, &c, path, sha256)) < 0) {
		rc = name_unusable(g, list, fprs, rc);
		rc = pki_error_wrap(-rc, "cannot re-encrypt %s", l->id);
		goto out;
	}
	if ((rc = check_binding(&h, l)) < 0 || (rc = pki_product_set_list(l, list)) < 0)
		goto out;
	memcpy(l->sha256, sha256, sizeof(l->sha256));
	rc = pki_product_put_label(t, l);
out:
	pki_blobr_free(rd);
	free(fprs);
	return rc;
}
