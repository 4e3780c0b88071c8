/* product.h: products in the repository (pki-files(5)).
 *
 *   products/<bucket>/<ID>.gpg   the ciphertext, encrypted to the distribution list
 *   products/<bucket>/<ID>.xml   its label, bound to the ciphertext by SHA-256
 *
 * IDs are MISSION-ENTITY-YYYY-NNNNNN, or MISSION-ENTITY-SITE-YYYY-NNNNNN
 * from a clone with a site (pki.site), their paths made by paths.h.
 * Serials are allocated under the repository lock from the highest one on
 * the tip, per entity, site and year.
 *
 * The label also carries the distribution list (principal names), the one
 * place it is kept besides the registry, so that a share or a revoke knows
 * the current list without reading history.
 */
#ifndef PKI_PRODUCT_H
#define PKI_PRODUCT_H

#include <stddef.h>
#include <time.h>
#include "buf.h"
#include "label.h"
#include "matrix.h"
#include "paths.h"
#include "policy.h"
#include "session.h"
#include "vocab.h"

struct pki_gpg;
struct pki_progress;
struct pki_txn;
struct pki_repo;
struct pki_session;
struct pki_state;

#define PKI_ID_MAX 64	/* 3 codes of 16, YYYY, NNNNNN, 4 dashes, NUL */

/* The next free ID for mission, entity, site (NULL or "": none) and the
 * year of `when`. */
int pki_product_next_id(struct pki_txn *t, const char *mission, const char *entity,
			const char *site, time_t when, char out[PKI_ID_MAX]);

/* Read and validate a product's label (-PKI_ENOINPUT: no such product). */
int pki_product_label(struct pki_txn *t, const char *id, struct pki_label *out);
int pki_product_label_repo(struct pki_repo *r, const char *id, struct pki_label *out);

/* What the rules need, borrowed from the label. */
void pki_product_of_label(const struct pki_label *l, struct pki_product *out);

/* Set the label's distribution list to (a copy of) list. */
int pki_product_set_list(struct pki_label *l, const struct pki_names *list);

/* Stage the label at products/<bucket>/<ID>.xml. */
int pki_product_put_label(struct pki_txn *t, const struct pki_label *l);

/*
 * The fingerprints of the principals on list (borrowed from m; free the
 * array); -PKI_EDATA for a name not in the matrix.
 */
int pki_product_fprs(const struct pki_matrix *m, const struct pki_names *list,
		     const char ***fprs);

/* Have every key in the keyring, importing the missing ones from
 * keys/<FPR>.asc as of the transaction. */
int pki_product_keys(struct pki_txn *t, struct pki_gpg *g, const char *const *fprs, size_t n);

/*
 * Encrypt the plaintext from src to the principals on list, streaming the
 * ciphertext into products/<bucket>/<id>.gpg, and give its SHA-256 for the
 * label.  Keys missing from the keyring are imported first.  An empty
 * source is -PKI_ENOINPUT.
 */
int pki_product_encrypt(struct pki_txn *t, struct pki_gpg *g, const struct pki_matrix *m,
			const struct pki_names *list, struct pki_source *src, const char *id,
			char sha256[PKI_SHA256_HEX]);

/*
 * A new product encrypted before the lock is taken (pki_filing_run), so
 * that a large one keeps no other command waiting: the ciphertext is in
 * r's object store as blob, with its SHA-256 and a shadow copy for the
 * work tree; pki_txn_put_blob stages it under the lock.  Keys are read at
 * the tip.  Release removes the shadow copy.
 */
struct pki_sealed {
	char blob[41];
	char sha256[PKI_SHA256_HEX];
	char *shadow;
};
int pki_product_seal(struct pki_repo *r, struct pki_gpg *g, const struct pki_matrix *m,
		     const struct pki_names *list, struct pki_source *src,
		     const struct pki_progress *progress, struct pki_sealed *out);
void pki_sealed_release(struct pki_sealed *s);

/*
 * Re-encrypt product l->id to list (the acting key must be able to
 * decrypt it), after checking that the label binds the old ciphertext;
 * then give the label the new list and binding and stage it.
 */
int pki_product_reencrypt(struct pki_txn *t, struct pki_gpg *g, const struct pki_matrix *m,
			  struct pki_label *l, const struct pki_names *list);

/* Call fn with the ID of every product labelled in the transaction's
 * tree, bucket by bucket, until it returns non-zero (removal.c). */
int pki_product_each(struct pki_txn *t, int (*fn)(void *arg, const char *id), void *arg);

/*
 * Take principal `name` off every distribution list it is on (pki-matrix
 * remove): re-encrypt each such product to the rest of its list and
 * append a revoke row for it, with actor, authority and justification
 * from tmpl.  Reads every label: removals are rare.  *count: products.
 */
struct pki_row;
int pki_product_revoke_all(struct pki_txn *t, struct pki_gpg *g, const struct pki_matrix *m,
			   const char *name, const struct pki_row *tmpl, time_t when,
			   size_t *count);

/*
 * The same, for the products on whose list `name` is and for which off
 * (called with the label and arg) says true: each is streamed as
 * revoke_all does, one at a time (pki-matrix add narrowing a principal).
 */
typedef bool pki_revoke_pred(const struct pki_label *l, void *arg);
int pki_product_revoke_if(struct pki_txn *t, struct pki_gpg *g, const struct pki_matrix *m,
			  const char *name, pki_revoke_pred *off, void *arg,
			  const struct pki_row *tmpl, time_t when, size_t *count);

/*
 * Re-encrypt every product whose list holds `name` to the same list, its
 * key now the one m gives it (pki-matrix rekey), streaming each as
 * pki_product_revoke_all does; no registry row.  *count: products.
 */
int pki_product_rekey_all(struct pki_txn *t, struct pki_gpg *g, const struct pki_matrix *m,
			  const char *name, size_t *count);

/* --- filing a new product (pki-classify, pki-register --receive) --- */

/* The justification of the share rows that bring a safety product to
 * UNDSS (authority undss-rule), at filing and at a relabel. */
#define PKI_UNDSS_JUSTIFICATION \
	"may bear on the safety and security of UN personnel (policy 11.3.2)"

struct pki_filing {
	/* The label as the caller wants it: everything but id, created,
	 * recipients and sha256.  Its strings are borrowed.  For a mission
	 * product originator NULL stands for the acting principal. */
	struct pki_label label;
	const char *mission;	/* mission.code */
	const char *entity;	/* NULL: the acting principal's entity */
	const char *site;	/* NULL: none */
	enum pki_action action;	/* classify or receive */
	const char *authority, *justification, *reference;	/* of the row */
	const char *owner;	/* kind ir: the requirement's owner (pki-ir(1)) */
	struct pki_source *src;	/* the plaintext, read once */
	/* The build's judgement of the actor, run on the tip before the
	 * product is encrypted there: what it would refuse is not encrypted
	 * before the lock (NULL: none; the build judges under the lock). */
	int (*judge)(const struct pki_state *st, const struct pki_filing *f, const char *fpr);
	/* Kept between tries of the change. */
	char id[PKI_ID_MAX];
	char blob[41];
	char sha256[PKI_SHA256_HEX];
	char **names;		/* the list the blob is encrypted to */
	size_t nnames;
	/* After: the product's areas no valid principal holds
	 * (pki_policy_unheld_areas), "" when all are: a warning for the
	 * caller to give.  Kept by pki_filing_release; the caller releases it. */
	struct pki_buf unheld;
	/* NULL: the registry rows are appended to the shard; else formatted
	 * into it, for the caller to append once (a batch, batch.c). */
	struct pki_buf *rows;
	struct pki_sealed sealed;	/* encrypted before the lock */
	int fd;			/* the plaintext's, rewound to encrypt again */
};

/*
 * The build step of a change that files a new product: allocate the ID,
 * work out the initial distribution list (pki-classify(1)), encrypt the
 * plaintext to it, and stage ciphertext, label and registry rows (the
 * classify or receive row, and for a safety product a share to each undss
 * principal with authority undss-rule, policy 11.3.2), then write the
 * commit message.  The label's IR references must name open requirements
 * (pki_ir_cited); a requirement's wording (kind ir) goes to the list
 * pki_policy_ir_list gives with f->owner.  The caller has judged the actor.  The product was
 * encrypted before the lock (pki_filing_run) to the list the tip implied;
 * when the list has changed meanwhile, a file is encrypted again, and
 * standard input, which cannot be read twice, gives up (-PKI_EBUSY).  A
 * retried change files the same ciphertext again.
 */
int pki_filing_build(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		     struct pki_buf *msg, struct pki_filing *f);

/*
 * The retention given with the label's kind (--retention; NULL: none): a
 * material needs one, and nothing else has one (products and plans are
 * permanent, policy 11.5.1, 12.6.9); a valid ISO 8601 duration
 * (retention.h), borrowed into l->retention.  -PKI_EUSAGE otherwise.
 */
int pki_filing_retention(struct pki_label *l, const char *retention);
void pki_filing_release(struct pki_filing *f);

/*
 * File a product: the mission code from pki.conf, the entity given, else
 * this clone's pki.entity, else the acting principal's; the site given,
 * else this clone's pki.site, else none; the plaintext
 * streamed from file (standard input for NULL or "-") and encrypted
 * before the repository lock is taken, to the list the tip implies, with
 * progress on s->progress; then build (judging the actor, then calling
 * pki_filing_build) run as one change, under the lock only to stage, sign
 * and commit.  f->id holds the new ID after.  Releases what f kept
 * between tries.
 */
int pki_filing_run(struct pki_session *s, struct pki_filing *f, const char *entity,
		   const char *site, const char *file, pki_build_fn build);
/* The same with the plaintext from src (pki-register --import: a copy
 * decrypted into memory), read once. */
int pki_filing_run_source(struct pki_session *s, struct pki_filing *f, const char *entity,
			  const char *site, struct pki_source *src, pki_build_fn build);

/*
 * The parts of pki_filing_run, for many products in one change (batch.c):
 * where (mission.code; entity and site as pki_filing_run finds them, NULL
 * for the actor's and none; free them), and the encryption of f->src
 * before the lock to the list st implies (nothing when st has no actor or
 * no list can be made: the build then encrypts, or refuses).  The caller
 * releases f->sealed and f's list (pki_filing_release).
 */
int pki_filing_where(struct pki_repo *r, const char *entity, const char *site,
		     char **mission, char **entity_out, char **site_out);
int pki_filing_seal(struct pki_session *s, struct pki_state *st, struct pki_filing *f);

#endif
