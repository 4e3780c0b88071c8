/* policy.h: the rules the tools enforce and the audit judges, as pure functions.
 *
 * Each rule returns 0 (allowed) or -PKI_EPOLICY with a message that names
 * the rule and the policy paragraph, e.g.
 *   "'fc' is cleared to confidential, the product is strictly-confidential (policy 9.8)".
 * (pki_policy_role_fits alone says -PKI_EUSAGE: words that cannot go
 * together are a usage error, whoever gives them.)
 * No I/O: everything a rule needs is passed in, so that pki-audit can
 * judge a past action with the matrix and delegations of its time.
 *
 * The rule book is six files: policy.c (the matrix, the delegations,
 * succession), policy-share.c (dissemination, narrowing, media),
 * policy-arrange.c (the register of written arrangements),
 * policy-classify.c (a product's filing, classification, transfer and
 * label), policy-relabel.c (areas, and the correction of a label) and
 * policy-ir.c (direction: requirements); each section below names its file.
 */
#ifndef PKI_POLICY_H
#define PKI_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "buf.h"
#include "matrix.h"
#include "vocab.h"

/* What the rules need to know of a product (from its label). */
struct pki_product {
	const char *id;
	enum pki_level level;
	const char *originator;	/* the principal standing for the originator:
				 * the registrar of a received product */
	const char *areas;
	bool safety;
	bool originator_control;
};

/* --- the access matrix (policy.c; pki-files(5), policy 11.3.3, 12.10) --- */

/* Only hom and chair principals change the matrix. */
int pki_policy_may_change_matrix(const struct pki_principal *actor);

/*
 * The keeper rule (policy 12.10): someone must always be able to keep
 * the matrix and the registry.  A change keeps a valid hom and a valid
 * chair -- each that the matrix had before it, both judged at `at`.  So
 * a repository pki-init made with a hom alone stays valid, gains its
 * chair when one is added, and from then on never loses either: a new
 * Head of Mission or Chair is added before the old one is removed.
 * before NULL (the first commit): nothing to keep.
 */
int pki_policy_keepers(const struct pki_matrix *before, const struct pki_matrix *after,
		       time_t at);

/*
 * The role fits the type (policy 21, 11.4, 11.5.1): hom, chair,
 * member and undss are of the mission; an external principal is outside
 * it; archives is the UN Archives, a non-mission UN entity (type un),
 * cleared to strictly-confidential with areas "*", since every product
 * of every area reaches it on transfer (11.5.1) and the matrix records
 * what each principal receives (11.3.3).  auditor: any type.
 */
int pki_policy_role_fits(const struct pki_principal *p);

/*
 * A change is made in its signer's name (policy 12.10): the author's
 * address is one of the addresses of the signer's key (emails, each from
 * a user ID that names one identity).
 */
int pki_policy_author(const struct pki_principal *signer, const char *author_email,
		      char *const *emails, size_t nemails);

/* share-external and direct by hom (policy 11.4.1, 10.2); disseminate and
 * declassify by an originator (any mission member, for its own products;
 * policy 9.8); successor by no one: pki-matrix succeed records it (policy 19). */
int pki_policy_may_delegate(const struct pki_principal *actor, enum pki_power power);

/*
 * A delegation as recorded (policy 9.8, 11.4.1), judged with
 * the matrix m at `at`: its grantor a valid principal allowed to delegate
 * the power (pki_policy_may_delegate); its grantee a valid principal
 * inside the mission -- authority is delegated within it (9.8); a written
 * instrument named in its reference; a scope that is a product ID, one
 * area or "*" (pki_check_scope).  A successor delegation names as grantor
 * the predecessor, a principal of m, valid or not (it has usually left),
 * another principal as grantee, and scope "*" (policy 19); who records it
 * is judged by pki_policy_may_succeed.
 */
int pki_policy_delegation_ok(const struct pki_delegation *x, const struct pki_matrix *m,
			     time_t at);

/*
 * Is there a delegation from grantor or its successor in function
 * (pki_policy_stands_for; NULL: any grantor with the power's role) to
 * grantee of power, valid at `at`, whose scope covers the product
 * (its ID, one of its areas, or "*")?  Returns it or NULL.
 * id (when non-NULL) names the delegation the actor invoked (--authority).
 */
const struct pki_delegation *pki_policy_delegation(const struct pki_delegations *d,
	const struct pki_matrix *m, const char *id, const char *grantor,
	const char *grantee, enum pki_power power, const struct pki_product *p, time_t at);

/*
 * May the actor make delegation old into nw (pki-matrix undelegate)?  A
 * valid hom or chair edits any delegation (policy 12.10); its grantor
 * only withdraws its own: nw is old but for a valid_until moved earlier,
 * into the day of `at` (policy 9.8, 11.4.1).  pki_policy_is_withdrawal
 * says whether nw is such a withdrawal of old, whoever made it.
 */
bool pki_policy_is_withdrawal(const struct pki_delegation *old, const struct pki_delegation *nw,
			      time_t at);
int pki_policy_may_withdraw(const struct pki_principal *actor, const struct pki_delegation *old,
			    const struct pki_delegation *nw, time_t at);

/*
 * A rekey (pki-matrix rekey): the one principal whose fingerprint differs
 * between the matrices before and after a change, when exactly one does
 * (rows matched by name); NULL otherwise.  Borrowed from after.
 */
const char *pki_policy_rekeyed(const struct pki_matrix *before, const struct pki_matrix *after);

struct pki_names;

/*
 * May a change rewrite a product with no registry row?  Only a rekey of
 * a principal on its list (rekeyed: pki_policy_rekeyed, NULL for none),
 * which re-encrypts it to the same list and rewrites nothing of its
 * label but the binding (changed: PKI_LF_* bits; policy 11.3.3).
 */
int pki_policy_rekey_rewrite(const char *rekeyed, const struct pki_names *list,
			     unsigned changed);

/* --- disseminating (policy-share.c; pki-share(1)) --- */

/*
 * What a share, an export or a revoke is judged on.  The caller looks the
 * recipient up in the matrix of the time (NULL when there is no such
 * principal) and says whether its public key is at hand; the references
 * are the options given (NULL or "" when not given).
 */
struct pki_share_ctx {
	const struct pki_principal *actor;	/* valid at `at`: pki_state_need_actor */
	const struct pki_product *product;
	const char *recipient_name;		/* as given, for messages */
	const struct pki_principal *recipient;	/* NULL: not in the matrix */
	bool recipient_key;			/* keys/<FPR>.asc is there */
	const struct pki_matrix *matrix;
	const struct pki_delegations *delegations;
	time_t at;
	const char *authority;			/* --authority: a delegation ID */
	const char *justification;		/* -j */
	const char *hrddp, *arrangement, *consent;
	/* arrangements.csv of the time; NULL while there is none: then the
	 * three references above are free text, judged given or not, as
	 * before the register existed (pki-share(1)). */
	const struct pki_arrangements *arrangements;
	const char *medium;			/* --medium; NULL or "": an encrypted file */
};

/* Is p outside the mission (un, non-un, security-force)? */
bool pki_policy_outside(const struct pki_principal *p);

/* The channel fits the recipient: a principal outside the mission gets an
 * exported copy (policy 11.4.3), one inside it joins the distribution
 * list by a share (10.7).  export: the dissemination is an export. */
int pki_policy_channel(const struct pki_principal *recipient, bool export);

/*
 * May the actor give the recipient the product (pki-share(1))?
 *   1. the recipient is a valid principal with a key (but for a
 *      dissemination on another medium), cleared to the level (policy 9.8,
 *      11.3.3, 24);
 *   2. inside the mission: a safety product always reaches a undss
 *      principal (11.3.2); otherwise the actor is the originator, the hom,
 *      or holds a valid disseminate delegation from the originator
 *      covering the product (9.8, 10.7), and a classified product's areas
 *      meet the recipient's (9.8; an unclassified product, or one without
 *      areas, is not compartmented: 11.2.1);
 *   3. outside: the actor is hom or holds a valid share-external
 *      delegation granted by a hom (11.4.1), with a justification (11.4.3),
 *      an HRDDP risk assessment for a security force (11.4.4), a written
 *      arrangement for non-un and security-force recipients (11.4.3), and
 *      the originator's consent for an originator-control product (11.4.3);
 *      with a register of arrangements (c->arrangements), each reference
 *      names a row of it that holds (pki_policy_share_arrangements).
 * On success *authority (when not NULL) is what the registry records:
 * "originator", "hom", "undss-rule", or the delegation's ID (borrowed from
 * c->delegations).  A given --authority must itself hold, and is recorded.
 */
int pki_policy_may_share(const char **authority, const struct pki_share_ctx *c);

/*
 * May the actor take the recipient off the product's distribution list?
 * Only the originator, the hom, or the chair as custodian of the
 * distribution lists (policy 10.7, 12.6.9); never the originator itself,
 * a valid hom, chair or archives principal (10.7, 12.6.9, 11.5.1), nor a
 * valid undss principal from a safety product (11.3.2).  *authority:
 * "originator", "hom" or "custodian".  Only actor, product, recipient_name,
 * recipient, delegations and at are read: a successor in function stands
 * for the originator (pki_policy_stands_for).
 */
int pki_policy_may_revoke(const char **authority, const struct pki_share_ctx *c);

/* The media of a dissemination that is not an encrypted file (policy
 * 11.3.3 "all instances", 24): paper, oral, display.  NULL or "": none,
 * 0; anything else -PKI_EUSAGE. */
int pki_policy_medium(const char *medium);

/* --- arrangements (policy-arrange.c; pki-matrix(1) arrange, unarrange) --- */

struct pki_arrangement;
struct pki_arrangements;

/* Only hom and chair keep the register of arrangements, as they keep the
 * matrix (policy 11.4.3, 11.4.4, 12.6.10, 12.10). */
int pki_policy_may_arrange(const struct pki_principal *actor);

/* A row as recorded: its partner names a principal of m or the entity of
 * one (valid or not: the arrangement may outlive a row), so that a share
 * can be matched to it (policy 11.4.3). */
int pki_policy_arrangement_ok(const struct pki_arrangement *x, const struct pki_matrix *m);

/* A row edited from old into nw: only its end, moved earlier (pki-matrix
 * unarrange); the instrument, partner, kind, start and review stay as
 * written (policy 11.4.3, 12.10). */
int pki_policy_arrangement_edit(const struct pki_arrangement *old,
				const struct pki_arrangement *nw);

/*
 * The references a share outside the mission gives name rows of
 * c->arrangements that hold at c->at: --arrangement an orcon row (policy
 * 11.4.3), --hrddp an hrddp row not past its review_due (11.4.4),
 * --consent a consent row (11.4.3); each with the recipient, or the
 * recipient's entity, as partner, and valid.  c->arrangements NULL: no
 * register, nothing to check.
 */
int pki_policy_share_arrangements(const struct pki_share_ctx *c);

/* --- narrowing a principal (policy-share.c; pki-matrix(1) add on an existing one) --- */

/*
 * Does the new row `after` narrow what the principal may receive, judged
 * at `at`: a lower clearance, an area of before's that after lacks, or
 * valid before and not after (an --until now or earlier)?  An --until in
 * the future narrows nothing yet: the principal holds its products until
 * then, and pki-audit warns once it has ended (A406).
 */
bool pki_policy_narrows(const struct pki_principal *before, const struct pki_principal *after,
			time_t at);

/*
 * May principal p (its row) still hold product x at `at`?  The tests
 * pki_policy_may_share applies to a recipient: valid (policy 11.3.3),
 * cleared to the level (9.8), and inside the mission a classified
 * product's areas meet its own (9.8) -- except for those on every list by
 * role (hom, chair, archives; undss for a safety product: 10.7, 12.6.9,
 * 11.5.1, 11.3.2).  The originator (or registrar) keeps its own products
 * whatever its row says (9.8).
 */
int pki_policy_may_hold(const struct pki_principal *p, const struct pki_product *x, time_t at);

/*
 * A revoke on the matrix's authority (authority "matrix", pki-files(5)):
 * the actor keeps the matrix, the same change narrows name's row from
 * before to after (pki_policy_narrows), and name may no longer hold x
 * (pki_policy_may_hold).  before, after: NULL when not in the matrix.
 */
int pki_policy_narrowed_off(const struct pki_principal *actor, const struct pki_principal *before,
			    const struct pki_principal *after, const char *name,
			    const struct pki_product *x, time_t at);

/*
 * A classified product's list holds a valid hom, a valid chair and a
 * valid archives principal -- each the matrix m has at `at` -- who keep
 * every product (policy 10.7, 12.6.9, 11.5.1); -PKI_EPOLICY naming the
 * missing.  A list without them is what a handover made without
 * pki-matrix succeed leaves.
 */
int pki_policy_list_keepers(const struct pki_matrix *m, enum pki_level level,
			    char *const *list, size_t n, time_t at);

/* --- succession in function (policy.c; pki-matrix succeed, policy 19) --- */

/*
 * Does `who` stand for the originator (or the registrar of a received
 * product) of a product, "or its successor in function" (policy 19)?  It
 * does when it is the originator, or when a chain of successor
 * delegations valid at `at` leads from the originator to it (A to B, B to
 * C: C stands for A).  Wherever a rule asks for the originator -- sharing
 * inside the mission, revoking, reclassifying -- a successor acts as
 * such, and the registry records authority "originator" for what it
 * does; the authority "successor" is the succession's own rows
 * (pki_policy_succession_row).  d NULL: no delegations.
 */
bool pki_policy_stands_for(const struct pki_delegations *d, const char *originator,
			   const char *who, time_t at);

/*
 * May the actor name nw (as given: new_name; NULL when no such principal)
 * successor in function of a principal (pki-matrix(1) succeed)?  The
 * actor keeps the matrix (hom or chair, policy 12.10); nw is a principal
 * of the mission valid at `at`, with a key: it joins lists (policy 19, 24).
 */
int pki_policy_may_succeed(const struct pki_principal *actor, const char *new_name,
			   const struct pki_principal *nw, time_t at);

/* A successor is cleared for every product it inherits: refused when
 * `above` of them are above nw's clearance, saying how many (policy 9.8). */
int pki_policy_succession_clearance(const struct pki_principal *nw, size_t above);

/*
 * A registry row with authority "successor": a share of a product to the
 * successor, or a revoke of the predecessor, made by a hom or chair in
 * the commit that records the successor delegation (x: the one that
 * commit adds with the recipient as grantee for a share, as grantor for
 * a revoke; NULL when there is none).  A share's recipient r is valid at
 * `at` and cleared to the product's level (policy 19, 12.10, 9.8).
 */
int pki_policy_succession_row(const struct pki_principal *actor, enum pki_action action,
			      const char *recipient, const struct pki_principal *r,
			      enum pki_level level, const struct pki_delegation *x, time_t at);

/* --- classifying (policy-classify.c; pki-classify(1)) --- */

/*
 * A distribution list: principal names, kept sorted and without
 * duplicates, so that two lists compare and print the same way
 * everywhere.  The names are borrowed (from a matrix or a label);
 * release frees the array only.
 */
struct pki_names {
	const char **v;
	size_t n, cap;
};

int pki_names_add(struct pki_names *s, const char *name);
void pki_names_remove(struct pki_names *s, const char *name);
/* The names of a recipient field ("a;b;c"), split in place: field must
 * outlive out, which borrows its pieces. */
int pki_names_split(char *field, struct pki_names *out);
bool pki_names_has(const struct pki_names *s, const char *name);
bool pki_names_equal(const struct pki_names *a, const struct pki_names *b);
void pki_names_release(struct pki_names *s);
/* "a;b;c", the registry's recipient column (pki-files(5)), appended to out. */
int pki_names_join(const struct pki_names *s, struct pki_buf *out);

/* Only mission personnel originate products, up to their clearance
 * (policy 11.2.1, 11.3.3). */
int pki_policy_may_classify(const struct pki_principal *actor, enum pki_level level);

/* Above unclassified a criterion of ST/SGB/2007/6 1.2 is required
 * (criterion 0: none given; policy 11.2.1). */
int pki_policy_criterion(enum pki_level level, char criterion);

/*
 * The initial distribution list of a product at `level` (pki-classify(1)):
 * the originator, every valid hom and chair, the archives principal(s);
 * for an unclassified product every valid mission principal; for a
 * safety product the undss principal(s) -- refused when there is none
 * (policy 11.3.2).  Only principals valid at `at`, cleared to the level
 * and with a key are on it: one without a key receives only on another
 * medium (policy 24).  Names are borrowed from m; out is added to.
 */
int pki_policy_initial_list(const struct pki_matrix *m, const char *originator,
			    enum pki_level level, bool safety, time_t at,
			    struct pki_names *out);

/*
 * Who re- or declassifies (pki-classify(1), policy 9.8): the originator, the
 * Head of Mission, or the holder of a valid declassify delegation from
 * the originator covering the product (authority, when non-NULL, names
 * the one invoked).  *granted says which: "originator", "hom" or the
 * delegation ID (borrowed).
 */
int pki_policy_may_reclassify(const struct pki_delegations *d, const struct pki_matrix *m,
			      const struct pki_principal *actor, const struct pki_product *p,
			      const char *authority, time_t at, const char **granted);

/*
 * The list a new level implies: the initial list for that level, with
 * every current recipient still valid, with a key and cleared to it.
 */
int pki_policy_reclassified_list(const struct pki_matrix *m, const struct pki_product *p,
				 char *const *current, size_t ncurrent, enum pki_level level,
				 time_t at, struct pki_names *out);

/* Who registers a receipt: a chair or a member (pki-register(1), policy 12.6.9). */
int pki_policy_may_receive(const struct pki_principal *actor);

/* Who transfers records to the UN Archives: the chair, custodian of the
 * registry, or the hom (pki-archive(1), policy 11.5.1, 12.6.9). */
int pki_policy_may_archive(const struct pki_principal *actor);

/* Who records the receipt of a transfer (an archive-ack row): the UN
 * Archives, an archives principal (pki-archive(1) --ack, policy 11.5.1). */
int pki_policy_may_acknowledge(const struct pki_principal *actor);

/*
 * Who receives a product on its transfer to the UN Archives (policy
 * 11.5.1): the recipient of the custodian's re-encryption for a transfer
 * (r: its row, NULL when name is in no row) is an archives principal,
 * valid at `at`, with its key in the repository (has_key), that fits its
 * role (pki_policy_role_fits).
 */
int pki_policy_archives_recipient(const struct pki_principal *r, const char *name,
				  bool has_key, time_t at);

/* --- materials and their disposal (policy-classify.c; pki-archive(1) --dispose) --- */

/* What a disposal is judged on: the material's label as it stood before,
 * whether an archive row recorded its transfer before `at`, and the
 * reference of the certificate of destruction. */
struct pki_disposal {
	const struct pki_principal *actor;	/* valid at `at` */
	const char *id;
	enum pki_kind kind;
	const char *retention;	/* the label's ISO 8601 duration; NULL: none */
	time_t created;
	time_t disposed;	/* 0: not disposed of yet */
	bool transferred;
	const char *certificate;	/* NULL or "": none */
	time_t at;
};

/*
 * May the material be disposed of (its ciphertext taken out of the tree)?
 * Only by the Chair, who implements the retention schedules and oversees
 * the destruction of materials (policy 12.6.9); never a product, a plan or
 * a requirement's wording, which are permanent records (11.5.1); once; only
 * when created + retention <= at (12.6.9), after a transfer to the UN
 * Archives included it (11.5.1), and with a certificate of destruction
 * named (12.6.9).
 */
int pki_policy_dispose(const struct pki_disposal *d);

/* --- areas and relabelling (policy-relabel.c; pki-classify(1)) --- */

/*
 * The areas of a product (a ';'-list) that no principal valid at *at
 * names in its own areas, appended to out as a ';'-list; nothing when
 * every one is held.  at NULL: no row of the matrix, valid or not, names
 * them -- no one ever held them (a matrix row outlives its validity).
 * "*" on a principal names no area: it holds them all, and so says
 * nothing of a misspelt one.  Not a refusal: a product may wait for the
 * principal who needs it, but an area no one holds is most often a
 * typo, and the product then reaches no one by its areas (policy 9.8).
 * pki-classify and pki-register --receive warn of what no valid
 * principal holds; pki-audit of what no principal ever held (A311).
 */
int pki_policy_unheld_areas(const struct pki_matrix *m, const char *areas, const time_t *at,
			    struct pki_buf *out);

/*
 * A relabel (pki-classify --change ID -a/--safety/--ir) corrects the
 * originator's marking: its actors are those of a reclassification
 * (pki_policy_may_reclassify, policy 9.8).  It may not leave a current
 * recipient without need to know: refused, naming each principal on the
 * list that may hold the product as it was (before) and not as it
 * becomes (after; pki_policy_may_hold), who must be revoked first
 * (policy 9.8).
 */
int pki_policy_relabel_keeps(const struct pki_matrix *m, const struct pki_product *before,
			     const struct pki_product *after, char *const *list, size_t n,
			     time_t at);

/*
 * The list after a relabel: the current one and, when the safety flag
 * is set by it, every undss principal valid at `at` and cleared to the
 * level -- refused when there is none (policy 11.3.2).  Names are
 * borrowed from current and m; out is added to.
 */
int pki_policy_relabeled_list(const struct pki_matrix *m, const struct pki_product *before,
			      const struct pki_product *after, char *const *current,
			      size_t ncurrent, time_t at, struct pki_names *out);

/* A relabel that sets the safety flag has every valid undss principal
 * cleared to the level on its list (policy 11.3.2). */
int pki_policy_relabel_undss(const struct pki_matrix *m, const struct pki_product *before,
			     const struct pki_product *after, const struct pki_names *list,
			     time_t at);

/* --- the label (policy-classify.c; pki-files(5)) --- */

/*
 * The label fields (PKI_LF_* bits, vocab.h) a commit may change with the
 * actions it records for a product (a set of 1u << enum pki_action):
 * classify and receive write the whole label but its ID; reclassify the
 * level, criterion, review date, distribution list and binding; review
 * the review date only; share and revoke the list and binding; export,
 * archive and archive-ack nothing (policy 11.2.1, 11.4.3).
 */
unsigned pki_policy_label_owns(unsigned actions);

/* Does each changed field belong to one of the actions?  -PKI_EPOLICY
 * naming the fields that do not, and the actions. */
int pki_policy_label_change(unsigned actions, unsigned changed);

/* --- direction (policy-ir.c; pki-ir(1)) --- */

/*
 * Who sets, reviews and closes intelligence requirements (policy 10.2,
 * 12.9): the Head of Mission, the Chair of the Coordination Mechanism, or
 * the holder of a valid direct delegation from a hom (scope "*").
 * *granted: "hom", "chair" or the delegation's ID (borrowed from d).
 */
int pki_policy_may_direct(const struct pki_delegations *d, const struct pki_matrix *m,
			  const struct pki_principal *actor, time_t at, const char **granted);

/*
 * The distribution list of a requirement's wording (a product of kind
 * ir): its originator, every valid hom, chair and archives principal,
 * and the owner, who answers it -- each valid at `at` and cleared to the
 * level; not every mission principal, even unclassified (policy 10.2,
 * 11.5.1).  The owner must be a valid mission principal cleared to the
 * level.  Names are borrowed from m; out is added to.
 */
int pki_policy_ir_list(const struct pki_matrix *m, const char *originator, const char *owner,
		       enum pki_level level, time_t at, struct pki_names *out);

#endif
