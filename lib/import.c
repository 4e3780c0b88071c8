/* import.c: filing a copy exported by another pki repository. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "error.h"
#include "import.h"
#include "matrix.h"
#include "policy.h"
#include "session.h"
#include "sha256.h"

#define COPY_PATH_MAX 4096
/* The plaintext is held in memory while it is encrypted again: a bound
 * on what a copy may make this process hold. */
#define PLAIN_MAX ((size_t)1 << 30)

struct importing {
	struct pki_filing f;		/* first: the judge is given &f */
	struct pki_import *im;
	struct pki_label src;		/* the copy's label */
	struct pki_opened opened;
	char signer[41];		/* the signing key's primary fingerprint */
	char mission[32];		/* the source ID's mission code */
	char why[300];			/* the justification */
	struct pki_buf plain;		/* the plaintext, in memory only */
	size_t at;			/* read so far from plain */
	bool sourced;			/* the new <source> is on the label */
};

/* The plaintext into memory, up to PLAIN_MAX. */
static int plain_write(void *ctx, const void *data, size_t len)
{
	struct importing *x = ctx;

	if (len > PLAIN_MAX - x->plain.len)
		return pki_error(PKI_EDATA, "the copy holds more than %zu bytes", PLAIN_MAX);
	return pki_buf_add(&x->plain, data, len);
}

/* The plaintext from memory, for the filing. */
static long plain_read(void *ctx, void *data, size_t len)
{
	struct importing *x = ctx;
	size_t n = x->plain.len - x->at;

	if (n > len)
		n = len;
	if (n > 0)
		memcpy(data, x->plain.ptr + x->at, n);
	x->at += n;
	return (long)n;
}

static int read_label(const char *path, struct pki_label *l)
{
	struct pki_buf b = PKI_BUF_INIT;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return pki_error_errno(PKI_ENOINPUT, "cannot open '%s'", path);
	rc = pki_read_fd(fd, PKI_LABEL_MAX + 1, &b);
	close(fd);
	if (rc < 0)
		goto out;
	if ((rc = pki_label_parse(l, b.ptr, b.len)) < 0)
		rc = pki_error_wrap(PKI_EDATA, "%s", path);
out:
	pki_buf_release(&b);
	return rc;
}

/* The label binds the copy: its SHA-256, streamed. */
static int check_binding(int fd, const char *path, const struct pki_label *l)
{
	struct pki_sha256 sha;
	unsigned char d[PKI_SHA256_LEN], chunk[65536];
	char hex[PKI_SHA256_HEX];
	ssize_t n;

	pki_sha256_init(&sha);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		pki_sha256_update(&sha, chunk, (size_t)n);
	pki_sha256_final(&sha, d);
	if (n < 0)
		return pki_error_errno(PKI_EIO, "%s", path);
	pki_sha256_hex(d, hex);
	if (strcmp(hex, l->sha256) != 0)
		return pki_error(PKI_EDATA, "%s: its label does not bind it (sha256 %s, the label "
				 "says %s)", path, hex, l->sha256);
	if (lseek(fd, 0, SEEK_SET) != 0)
		return pki_error_errno(PKI_EIO, "%s", path);
	return 0;
}

static bool for_me(const struct pki_key *me, const struct pki_opened *o)
{
	size_t i;

	for (i = 0; i < o->nkeyids; i++)
		if (pki_key_has(me, o->keyids[i]))
			return true;
	return false;
}

/* Decrypt into memory and verify: for the actor, signed well. */
static int open_copy(struct pki_session *s, struct importing *x, int fd, const char *path)
{
	struct pki_source in = { pki_source_fd, &fd, 0 };
	struct pki_sink out = { plain_write, x };
	struct pki_key k;
	int rc;

	rc = pki_gpg_open(s->gpg, &in, &out, &x->opened);
	if (rc == -PKI_EUNAVAIL || (rc == 0 && !for_me(&s->key, &x->opened)))
		return pki_error(PKI_EPOLICY, "%s is not encrypted to you (%s)", path,
				 s->key.fpr);
	if (rc < 0)
		return rc;
	if (!x->opened.signed_ok)
		return pki_error(PKI_EPOLICY, "%s: %s", path, x->opened.why);
	if ((rc = pki_gpg_key(s->gpg, x->opened.signer, false, &k)) < 0)
		return pki_error(PKI_EPOLICY, "%s: the copy's signer %s: %s", path,
				 x->opened.signer, pki_error_last());
	memcpy(x->signer, k.fpr, sizeof(x->signer));
	pki_key_release(&k);
	return 0;
}

/* The handling of the copy's label, carried over (policy 11.4.3). */
static int carry_over(struct importing *x)
{
	const struct pki_label *src = &x->src;
	struct pki_label *l = &x->f.label;
	size_t n = strcspn(src->id, "-");

	if (n == 0 || n >= sizeof(x->mission))
		return pki_error(PKI_EDATA, "label: no mission in ID '%s'", src->id);
	if (src->kind == PKI_KIND_IR)
		return pki_error(PKI_EDATA, "label: requirement wordings are not imported");
	memcpy(x->mission, src->id, n);
	x->mission[n] = '\0';
	l->kind = src->kind;
	l->retention = src->retention;
	l->level = src->level;
	l->criterion = src->criterion;
	l->areas = src->areas != NULL ? src->areas : (char *)"";
	l->originator_control = src->originator_control;
	l->releasable = src->releasable;
	l->safety = src->safety;
	l->review = src->review;
	l->received = true;
	l->originator = src->received ? src->originator : x->mission;
	snprintf(x->why, sizeof(x->why), "received from %s via import", x->mission);
	return 0;
}

/* Under the lock: the actor, and the signer a principal here. */
static int judge_import(const struct pki_state *st, const struct pki_filing *f,
			const char *fpr)
{
	const struct importing *x = (const struct importing *)f;
	const struct pki_principal *p;
	int rc;

	if ((rc = pki_state_need_actor(st, fpr)) < 0 ||
	    (rc = pki_policy_may_receive(st->actor)) < 0 ||
	    (rc = pki_policy_criterion(f->label.level, f->label.criterion)) < 0)
		return rc;
	p = pki_matrix_find_fpr(&st->matrix, x->signer);
	if (p == NULL)
		return pki_error(PKI_EPOLICY, "%s: signed by %s, who is no principal here",
				 x->im->copy, x->signer);
	/* The signer was a principal here when the copy was signed. */
	if (!pki_principal_valid(p, x->opened.signed_at))
		return pki_error(PKI_EPOLICY, "%s: signed by '%s', who was no valid principal "
				 "here when it was signed", x->im->copy, p->name);
	return 0;
}

static int build_import(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			struct pki_buf *msg, void *arg)
{
	struct importing *x = arg;
	const struct pki_principal *p;
	struct pki_label *l = &x->f.label;
	size_t i;
	int rc;

	if ((rc = judge_import(st, &x->f, s->key.fpr)) < 0)
		return rc;
	p = pki_matrix_find_fpr(&st->matrix, x->signer);
	if (!x->sourced) {
		for (i = 0; i < x->src.nsources; i++)
			if ((rc = pki_label_add_source(l, x->src.sources[i].id,
						       x->src.sources[i].mission,
						       x->src.sources[i].exporter,
						       x->src.sources[i].exported)) < 0)
				return rc;
		if ((rc = pki_label_add_source(l, x->src.id, x->mission, p->name,
					       x->opened.signed_at)) < 0)
			return rc;
		x->sourced = true;
	}
	x->f.authority = st->actor->role == PKI_ROLE_CHAIR ? "custodian" : "originator";
	return pki_filing_build(s, t, st, msg, &x->f);
}

static void release_sources(struct pki_label *l)
{
	size_t i;

	for (i = 0; i < l->nsources; i++) {
		free(l->sources[i].id);
		free(l->sources[i].mission);
		free(l->sources[i].exporter);
	}
	free(l->sources);
	l->sources = NULL;
	l->nsources = 0;
}

int pki_import_run(struct pki_session *s, struct pki_import *im)
{
	struct importing *x;
	struct pki_source src;
	char label[COPY_PATH_MAX];
	int fd = -1, rc;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		return pki_error(PKI_EINTERNAL, "import: out of memory");
	x->im = im;
	if (im->label == NULL && (size_t)snprintf(label, sizeof(label), "%s.xml", im->copy) >=
	    sizeof(label)) {
		rc = pki_error(PKI_EUSAGE, "the copy's name is too long");
		goto out;
	}
	if ((rc = read_label(im->label != NULL ? im->label : label, &x->src)) < 0)
		goto out;
	if ((fd = open(im->copy, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		rc = pki_error_errno(PKI_ENOINPUT, "cannot open '%s'", im->copy);
		goto out;
	}
	if ((rc = check_binding(fd, im->copy, &x->src)) < 0 ||
	    (rc = open_copy(s, x, fd, im->copy)) < 0 ||
	    (rc = carry_over(x)) < 0)
		goto out;
	src = (struct pki_source){ plain_read, x, x->plain.len };
	x->f.action = PKI_ACTION_RECEIVE;
	x->f.judge = judge_import;
	x->f.justification = x->why;
	x->f.reference = x->src.id;
	if ((rc = pki_filing_run_source(s, &x->f, im->entity, im->site, &src,
					build_import)) == 0) {
		memcpy(im->id, x->f.id, sizeof(im->id));
		rc = pki_buf_adds(&im->unheld, x->f.unheld.ptr != NULL ? x->f.unheld.ptr : "");
	}
out:
	if (fd >= 0)
		close(fd);
	pki_buf_release(&x->f.unheld);
	release_sources(&x->f.label);
	pki_buf_wipe(&x->plain);
	pki_label_release(&x->src);
	free(x);
	return rc;
}

void pki_import_release(struct pki_import *im)
{
	pki_buf_release(&im->unheld);
}
