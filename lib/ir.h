/* ir.h: pki-ir(1), intelligence requirements and what answers them
 * (policy 10.2, 12.6.1-2, 12.9).
 *
 * requirements.csv (requirements.h) holds the tree; each requirement's
 * wording is a product of kind ir, filed as pki-classify files a product
 * (filing.c), encrypted to the hom, chair and archives principals, its
 * originator and its owner.  The wording is never written anywhere else:
 * not in the table, a commit message or a registry row.
 *
 * IDs MISSION-IR-NNNN are allocated under the repository lock, one past
 * the highest in the table at the tip.  Requirements are set where the
 * Head of Mission and the Chair work, the mission's central repository;
 * two clones that each add one offline allocate the same ID, and pki-sync
 * refuses that as a true conflict (the same row key, two rows): one side
 * adds its requirement again after syncing.
 */
#ifndef PKI_IR_H
#define PKI_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "requirements.h"
#include "vocab.h"

struct pki_repo;
struct pki_session;
struct pki_txn;

#define PKI_REQUIREMENTS_MAX (16 * 1024 * 1024)	/* bytes of requirements.csv read */

/* requirements.csv as of the transaction, or at the tip; absent: an
 * empty table (and *exists false, when exists is not NULL). */
int pki_ir_load(struct pki_txn *t, struct pki_requirements *out, bool *exists);
int pki_ir_load_repo(struct pki_repo *r, struct pki_requirements *out, bool *exists);

/*
 * The check of --ir (pki-classify, pki-register --receive, and any
 * command that writes IR references on a label): each of ir[0..n) is an
 * open requirement of requirements.csv as of the transaction
 * (pki_requirements_cite); -PKI_EDATA (65) naming the first that is not.
 * n 0: nothing to check.
 */
int pki_ir_cited(struct pki_txn *t, char *const *ir, size_t n);

/* pki-ir add. */
struct pki_ir_new {
	enum pki_ir_kind kind;
	const char *parent;	/* NULL or "" for a pir */
	int priority;		/* 1..3 */
	const char *owner;
	time_t deadline;	/* 0: none */
	time_t review;		/* 0: a year after creation */
	enum pki_level level;	/* of the wording */
	char criterion;
	const char *file;	/* the wording: NULL or "-" for standard input */
	char id[PKI_IR_ID_MAX];	/* out: the new requirement */
	char product[64];	/* out: its wording's product ID */
};

/*
 * Record a requirement in one commit: its wording filed as a product of
 * kind ir (a classify row), its row in requirements.csv.  The actor is
 * judged by pki_policy_may_direct (77); a bad hierarchy -- a sir not
 * under a pir, an eei not under a sir, a parent unknown or closed -- is
 * -PKI_EDATA (65).
 */
int pki_ir_add(struct pki_session *s, struct pki_ir_new *n);

/* An annual review (policy 12.9): review_due becomes next (0: a year from
 * now).  A closure: status closed, the reason in the commit message
 * (Pki-Reason), where no wording belongs.  Same actors as add. */
int pki_ir_review(struct pki_session *s, const char *ir, time_t next);
int pki_ir_close(struct pki_session *s, const char *ir, const char *reason);

/* Is r open and past its review date at `at` (the end of review_due's day)? */
bool pki_ir_due(const struct pki_requirement *r, time_t at);

/* What answers one open requirement (pki-ir coverage). */
#define PKI_IR_ENTITIES_MAX 16
struct pki_ir_cover {
	const struct pki_requirement *req;	/* borrowed from the table */
	size_t products, receipts;	/* labels citing it: classified in the mission, received */
	time_t latest;			/* the newest of their creation times; 0: none */
	char *entities[PKI_IR_ENTITIES_MAX];	/* originating entities, sorted, distinct */
	size_t nentities;
	bool more;			/* more entities than kept */
};

/*
 * For each open requirement of reqs, in table order, the labels at the
 * tip that cite it, created at or after since (0: all): counted, the
 * latest, the originating entities (a mission product's originator's
 * entity, a received product's origin).  Reads labels only: nothing is
 * decrypted.  *out: one per open requirement; free with
 * pki_ir_coverage_free.
 */
int pki_ir_coverage(struct pki_repo *r, const struct pki_requirements *reqs, time_t since,
		    struct pki_ir_cover **out, size_t *n);
void pki_ir_coverage_free(struct pki_ir_cover *v, size_t n);

#endif
