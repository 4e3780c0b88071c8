/* audit-int.h: what the files of the audit share (audit.h lists them).
 * Internal to libpki. */
#ifndef PKI_AUDIT_INT_H
#define PKI_AUDIT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "arrangement.h"
#include "audit.h"
#include "crypto.h"
#include "label.h"
#include "matrix.h"
#include "pgp-packets.h"
#include "product.h"
#include "registry.h"
#include "repo.h"
#include "requirements.h"

/* What a commit changed, for who may change it (check 1). */
enum {
	PKI_CH_MATRIX = 1 << 0,		/* access-matrix.csv */
	PKI_CH_DELEGATIONS = 1 << 1,	/* delegations.csv */
	PKI_CH_KEYS = 1 << 2,		/* keys/<FPR>.asc */
	PKI_CH_SETTINGS = 1 << 3,	/* pki.conf, .gitattributes */
	PKI_CH_PRODUCTS = 1 << 4,	/* products/<bucket>/<ID>.{gpg,xml} */
	PKI_CH_REGISTRY = 1 << 5,	/* registry/<YYYY>-<MM>.csv */
	PKI_CH_REQUIREMENTS = 1 << 6,	/* requirements.csv */
	PKI_CH_ARRANGEMENTS = 1 << 7,	/* arrangements.csv */
};

#define PKI_NO_COMMIT SIZE_MAX	/* a row read at the tip, not added by a walked commit */

/* One registry row as the audit read it. */
struct pki_arow {
	const char *f[PKI_REGISTRY_NCOLS];	/* into store */
	char *store;
	char shard[32];
	size_t line;
	size_t commit;		/* the walked commit that added it, or PKI_NO_COMMIT */
	bool flagged;		/* its own judgement found it at fault */
};

/* A product whose files a commit changed: 'A'dded, 'M'odified, 'D'eleted, or 0. */
struct pki_atouch {
	char id[PKI_ID_MAX];
	char gpg, xml;
};

/*
 * What a commit is judged by: the tables of a state, at a time.  On its
 * own, a commit is judged by its parent's tables (a root by its own, a
 * merge by its parents' merged) at its own time; a commit that a merge
 * brings in is judged again by the tables of the merge's other side,
 * merged with its own side's changes, at the merge's time (audit-graph.c).
 */
struct pki_ajudge {
	const struct pki_matrix *m;		/* NULL: none to judge by */
	const struct pki_delegations *d;	/* NULL: none that can be read */
	/* arrangements.csv; NULL when there is none (the references are
	 * free text then) or it cannot be read (A108) */
	const struct pki_arrangements *a;
	time_t at;
	const char *merge;			/* the merge judging it; NULL: its own */
};

struct pki_acommit {
	struct pki_commit c;
	struct pki_ajudge own;		/* its own judgement's tables and time */
	bool flagged;			/* its signer was at fault on its own */
	unsigned changes;		/* PKI_CH_* */
	char matrix_id[41];		/* the tables it is judged by: its parent's */
	char deleg_id[41];		/* (a root's own); "" when absent */
	char deleg_new_id[41];		/* delegations.csv after it */
	char req_old_id[41];		/* requirements.csv before and after it, */
	char req_new_id[41];		/* when it changes it ("" absent) */
	char arr_id[41];		/* arrangements.csv it is judged by; "" none */
	struct pki_atouch *touch;
	size_t ntouch, captouch;
	size_t row0, nrows;		/* the rows it added, in rows[] */
	char signer[41];		/* a good signature's key; "" otherwise */
	bool revoked;			/* ...which the verifying keyring holds revoked */
	char *bad;			/* why the signature is not good */
	bool verified;			/* the three above are known (audit-verify.c) */
	unsigned keys;			/* ...with the keys of this import */
	const struct pki_principal *who;	/* the signer's row, when a valid principal */
};

/* The matrix, the delegations or the arrangements of one blob, parsed once. */
enum pki_atable_kind { PKI_AT_DELEGATIONS, PKI_AT_MATRIX, PKI_AT_ARRANGEMENTS };
struct pki_atable {
	char id[3 * 41];	/* a blob's ID; merged: base, ours and theirs' */
	enum pki_atable_kind kind;
	bool ok;
	struct pki_matrix m;
	struct pki_delegations d;
	struct pki_arrangements a;
};

/* A key file seen in history, and the key once looked up. */
struct pki_akey {
	char fpr[41];
	char blob[41];		/* the latest keys/<FPR>.asc; "" when never stored */
	bool looked, have;
	struct pki_key key;
};

/* One version of a key file a walked commit stored (or one read to
 * judge a signature by), each judged once. */
struct pki_akeyver {
	char fpr[41];		/* of the file's name */
	char blob[41];
	char commit[41];	/* the first walked commit that stored it; "" none */
	/* A file to check once the missing keys are imported: its bytes,
	 * and what gpg saw in them (or why not). */
	bool inspect;
	struct pki_buf data;
	struct pki_key seen;
	char *why;
};

/* A label blob, parsed and validated once. */
struct pki_alabel {
	char id[41];
	bool ok;
	struct pki_label l;
	char *why;		/* when not ok */
};

/* The last version of a shard the walk read: the next commit's parent
 * version, so that each commit reads one version, not two. */
#define PKI_SHARD_CACHE 4
struct pki_ashard {
	char path[32];
	char id[41];
	struct pki_buf data;
	size_t lines;
};

#define PKI_AUDIT_THREADS_MAX 8

struct pki_verifier;
struct pki_averifiers;
struct pki_areqs;

struct pki_auditor {
	struct pki_verifier *helpers[PKI_AUDIT_THREADS_MAX];
	unsigned nhelpers;
	struct pki_averifiers *verifiers;	/* the threads that use them */
	unsigned imported;			/* keys imported into the keyring */
	struct pki_audit *a;
	struct pki_repo *repo;
	struct pki_gpg *gpg;
	const struct pki_audit_opts *o;
	char tip[41];
	struct pki_acommit *cv;
	size_t nc, capc;
	struct pki_acommit **byid;	/* cv sorted by commit ID (audit-graph.c) */
	struct pki_arow *rows;		/* added by the walked commits, in order */
	size_t nrows, caprows;
	struct pki_atable **tables;
	size_t ntables, captables;
	struct pki_akey *keys;
	size_t nkeys, capkeys;
	struct pki_akeyver *kvers;	/* every version of every key file */
	size_t nkvers, capkvers;
	size_t last_table;		/* where the last look-up hit */
	struct pki_ashard shards[PKI_SHARD_CACHE];
	unsigned next_shard;
	struct pki_alabel *labels;	/* found through lslots: index + 1, 0 empty */
	size_t nlabels, caplabels;
	size_t *lslots;
	size_t nlslots;
	struct pki_areqs *reqs;		/* requirements.csv by blob (audit-requirements.c) */
	size_t nreqs, capreqs;
};

/* audit-verify.c: helper processes that verify commit signatures,
 * forked while the audit is small (a fork costs what the forking process
 * holds), and the threads that hand them the commits while the walk
 * reads on.  pki_audit_verifiers_start, before the walk (held when the
 * tip has a key the keyring lacks); the walk grows au->cv between _lock
 * and _unlock and hands over the first n commits read (walked: all);
 * _keyed once the missing keys are imported (imported: some were);
 * pki_audit_verified waits for commit i's signer, revoked and bad, in
 * history order (it verifies again what failed before an import);
 * _stop joins the threads, also after an error. */
int pki_verifier_start(struct pki_verifier **out);
void pki_verifier_stop(struct pki_verifier *v);
int pki_audit_verifiers_start(struct pki_auditor *au);
void pki_audit_verifiers_lock(struct pki_auditor *au);
void pki_audit_verifiers_unlock(struct pki_auditor *au);
void pki_audit_verifiers_hand(struct pki_auditor *au, size_t n, bool walked);
void pki_audit_verifiers_keyed(struct pki_auditor *au, bool imported);
int pki_audit_verified(struct pki_auditor *au, size_t i);
void pki_audit_verifiers_stop(struct pki_auditor *au);
/* audit-sign.c: how many verifiers (threads, helpers) run at once. */
unsigned pki_audit_threads(const struct pki_auditor *au);

/*
 * audit-graph.c: trust in nothing a signer chose about the shape of the
 * history.  pki_audit_since: --since REV, or the whole history (A113)
 * when REV is not on it.  pki_audit_graph, after the walk: one root, the
 * pinned one (A003, A109, A110); time never goes back along a parent
 * edge (A107); the walked commits by ID.  pki_audit_own: the tables each
 * commit is judged by on its own.  pki_audit_merges, after the rules:
 * each commit a merge brings in, judged again at the merge.
 */
int pki_audit_since(struct pki_auditor *au, const char **since);
int pki_audit_graph(struct pki_auditor *au);
int pki_audit_own(struct pki_auditor *au, struct pki_acommit *ac);
int pki_audit_merges(struct pki_auditor *au);
size_t pki_audit_find(const struct pki_auditor *au, const char *id);	/* SIZE_MAX: not walked */

/* audit-walk.c: walk the history and record what each commit changed
 * and the rows it added (checks 1 and 2). */
int pki_audit_walk(struct pki_auditor *au);
bool pki_audit_is_shard(const char *path);

/* audit-rows.c and audit-registry.c: the registry only grows (check 2).
 * Parse a shard's rows (data holds the header line), numbering from line. */
int pki_audit_rows_parse(const char *shard, const char *data, size_t len, size_t line,
			 size_t commit, struct pki_arow **rows, size_t *n, size_t *cap);
void pki_audit_rows_free(struct pki_arow *rows, size_t n);
/* The same, line by line when the whole does not parse: then 1, with the
 * first error in why. */
int pki_audit_rows_read(const char *shard, const char *data, size_t len, size_t commit,
			struct pki_arow **rows, size_t *n, size_t *cap, char why[256]);
/* Rows by event: the same row (-1) or the first column that differs;
 * pointers to rows sorted by event (NULL: out of memory); the first of
 * those with event (n when none). */
int pki_audit_same_row(const struct pki_arow *a, const struct pki_arow *b);
const struct pki_arow **pki_audit_by_events(const struct pki_arow *v, size_t n);
size_t pki_audit_first_event(const struct pki_arow *const *ix, size_t n, const char *event);
/* Compare a shard between a parent's version (old_id) and commit ci's
 * (new_id): rows lost or edited are findings; with collect, the rows the
 * commit added go to au->rows. */
int pki_audit_shard(struct pki_auditor *au, size_t ci, const char *path,
		    const char *old_id, const char *new_id, bool collect);
/* A merge: nothing lost from any parent; its rows are those no parent had. */
int pki_audit_merge_rows(struct pki_auditor *au, size_t ci);
/*
 * audit-merge.c: a two-parent merge's tree against the semantic merge of
 * its parents since their common ancestor (sync-merge.h, table-merge.h):
 * a path no side changed, or not merged as its kind is, is a finding.
 * The paths both sides changed and the merge merged right are taken off
 * the merge's own deltas: they are no change of its signer's.
 */
int pki_audit_merge_tree(struct pki_auditor *au, size_t ci);
/* No event twice among the rows at the tip. */
int pki_audit_duplicates(struct pki_auditor *au, const struct pki_arow *rows, size_t n);

/* audit-tables.c: the tables and keys the checks share.  The matrix or
 * delegations of a blob ID: NULL when it does not parse (reported once,
 * A108, at where); delegations "" (no file) are none. */
const struct pki_matrix *pki_audit_matrix(struct pki_auditor *au, const char *id,
					 const char *where);
const struct pki_delegations *pki_audit_delegations(struct pki_auditor *au, const char *id,
						     const char *where);
/* The arrangements of a blob ID: NULL for "" (no register) and when it
 * does not parse (A108 at where); merged as the matrix is. */
const struct pki_arrangements *pki_audit_arrangements(struct pki_auditor *au, const char *id,
						      const char *where);
const struct pki_arrangements *pki_audit_arrangements_merged(struct pki_auditor *au,
	const char *base, const char *ours, const char *theirs, const char *where);
/* The blob ID of a table (path) at a commit: "" when the commit (or
 * commit "") has none, and 0; < 0, with "", when it cannot be read. */
int pki_audit_table_id(struct pki_auditor *au, const char *commit, const char *path,
		       char id[41]);
/* The tables of three blobs (base, ours, theirs; "" for none) merged row
 * by row (pki_table_merge3), parsed once: NULL when they cannot be. */
const struct pki_matrix *pki_audit_matrix_merged(struct pki_auditor *au, const char *base,
						const char *ours, const char *theirs,
						const char *where);
const struct pki_delegations *pki_audit_delegations_merged(struct pki_auditor *au,
	const char *base, const char *ours, const char *theirs, const char *where);
/* The key of a fingerprint, from the keyring (NULL when unavailable). */
const struct pki_key *pki_audit_key(struct pki_auditor *au, const char *fpr);
struct pki_akey *pki_audit_akey(struct pki_auditor *au, const char *fpr, bool add);
/* The label in blob id: *out NULL when it is no valid label (*why says
 * why); < 0 only when the audit cannot go on. */
int pki_audit_label(struct pki_auditor *au, const char *id, const struct pki_label **out,
		    const char **why);
/* A key file commit ci changed (d): a version to judge, or a removal,
 * which is an error while a principal's row (valid or not, before or
 * after the commit) names the key: history needs it (A112). */
int pki_audit_key_file(struct pki_auditor *au, size_t ci, const char *fpr,
		       const struct pki_delta *d);
/* Import the keys the keyring lacks from their latest files (checked
 * first); every version the walk saw is marked to inspect, then judged
 * by pki_audit_keys_judge once inspected (A105).  Before the walk,
 * pki_audit_tip_keys_missing: does the keyring lack a key of the tip's? */
int pki_audit_tip_keys_missing(struct pki_auditor *au, bool *any);
int pki_audit_import_keys(struct pki_auditor *au);
int pki_audit_keys_judge(struct pki_auditor *au);
/* Did keys/<fpr>.asc at commit show signer (the key or a subkey)
 * revoked?  *shown 1 revoked, 0 not, -1 no such file there. */
int pki_audit_key_revoked_at(struct pki_auditor *au, const char *commit, const char *fpr,
			     const char *signer, int *shown);
/* Does a version of keys/<fpr>.asc read so far show signer revoked? */
bool pki_audit_key_revoked_ever(const struct pki_auditor *au, const char *fpr,
				const char *signer);
/* Free the tables, labels and keys. */
void pki_audit_tables_free(struct pki_auditor *au);

/* audit-sign.c: verify every signature, judge each signer and the rows
 * and files of its commit (checks 1 and 2). */
int pki_audit_sign(struct pki_auditor *au);
/* A commit with a good signature, by jc: the signer a valid principal in
 * its tables at its time, with a role that may make the commit's changes
 * (*who: the signer's row, NULL when it is none). */
int pki_audit_judge_signer(struct pki_auditor *au, struct pki_acommit *ac,
			   const struct pki_ajudge *jc, const struct pki_principal **who);
/* " (judged at merge M)" for findings made at a merge, else "". */
const char *pki_audit_at_merge(const struct pki_ajudge *jc, char buf[64]);

/* audit-book.c: a commit that changes access-matrix.csv or
 * delegations.csv, judged on the tables after it by lib/policy.c: the
 * keeper rule (A114), role fits type (A115), new or edited delegations
 * (A116). */
int pki_audit_table_rules(struct pki_auditor *au, struct pki_acommit *ac);

/* audit-labels.c: each label field a commit changed is owned by an
 * action it records for the product (A308). */
int pki_audit_label_fields(struct pki_auditor *au, const struct pki_acommit *ac);

/* audit-rules.c: each row against the rules of its time (check 5); the
 * rows of commit ci by jc, its signer being who. */
int pki_audit_rules(struct pki_auditor *au);
int pki_audit_rules_at(struct pki_auditor *au, size_t ci, const struct pki_ajudge *jc,
		       const struct pki_principal *who);

/* audit-succession.c: a row with authority successor (pki-matrix
 * succeed) stands beside the successor delegation its commit adds, made
 * by a hom or chair (A504); called by audit-rules.c for such a row. */
int pki_audit_succession(struct pki_auditor *au, const struct pki_acommit *ac,
			 const struct pki_ajudge *jc, const struct pki_principal *actor,
			 const struct pki_arow *r, enum pki_action action);

/* audit-dispose.c: a dispose row judged by pki_policy_dispose with the
 * label before it (A507), the label after it marked at the row's time
 * (A310); a commit whose tree holds a ciphertext beside a label marked
 * disposed (A309); a transferred material whose retention has ended (A704,
 * by --at).  pki_audit_dispose_row is called by audit-rules.c. */
int pki_audit_dispose_row(struct pki_auditor *au, const struct pki_acommit *ac,
			  const struct pki_ajudge *jc, const struct pki_principal *actor,
			  const struct pki_arow *r, const struct pki_label *before);
int pki_audit_disposed_files(struct pki_auditor *au, const struct pki_acommit *ac);
struct pki_aproduct;
int pki_audit_retention(struct pki_auditor *au, const struct pki_aproduct *p);

/* A product at the tip, as the state checks see it. */
struct pki_aproduct {
	const char *id;
	const struct pki_arow *const *rows;	/* its rows at the tip, in time order */
	size_t nrows;
	char gpg[41], xml[41];			/* blob IDs at the tip, "" when absent */
	const struct pki_label *label;
	bool labelled;				/* the label parsed */
	bool origin;				/* a classify or receive row */
	struct pki_pgp_msg *ct;			/* its packets, read with the binding */
};

/* Names split out of the rows' recipient column, kept while one product
 * is checked (pki_names borrows them). */
struct pki_apool {
	char **v;
	size_t n, cap;
};
void pki_apool_clear(struct pki_apool *pool);

/* audit-state.c: the products at the tip (checks 3 to 7). */
int pki_audit_state(struct pki_auditor *au);
/* A product's label at a commit (-PKI_ENOINPUT: none there, -PKI_EDATA: invalid). */
int pki_audit_label_at(struct pki_auditor *au, const char *commit, const char *id,
		       const struct pki_label **out);

/* audit-lists.c: label, registry and ciphertext agree on the list (check
 * 4); a safety product reached UNDSS (check 6).  m: the tip's matrix. */
int pki_audit_lists(struct pki_auditor *au, const struct pki_matrix *m,
		    const struct pki_aproduct *p, struct pki_apool *pool);
int pki_audit_safety(struct pki_auditor *au, const struct pki_matrix *m,
		     const struct pki_aproduct *p, struct pki_apool *pool);
/* Warnings on who is on the lists: a classified product's list without a
 * valid hom, chair or archives (A405); principals ended as of the audit's
 * time still on lists -- counted per product into counts (one per row of
 * m), then reported one finding per principal (A406). */
int pki_audit_keepers(struct pki_auditor *au, const struct pki_matrix *m,
		      const struct pki_aproduct *p);
void pki_audit_ended_count(const struct pki_auditor *au, const struct pki_matrix *m,
			   const struct pki_aproduct *p, size_t *counts);
int pki_audit_ended(struct pki_auditor *au, const struct pki_matrix *m, const size_t *counts);
/* A311: an area of the product that no principal of m holds or held
 * (pki_policy_unheld_areas). */
int pki_audit_unheld(struct pki_auditor *au, const struct pki_matrix *m,
		     const struct pki_aproduct *p);

/* audit-overdue.c: half-years not transferred to the archives, over the
 * rows at the tip; a product past its review date (check 7). */
int pki_audit_transfers(struct pki_auditor *au, const struct pki_arow *rows, size_t n);
/* Transfers whose receipt the UN Archives did not record within 90 days
 * of --at (A703, audit-overdue.c). */
int pki_audit_acks(struct pki_auditor *au, const struct pki_arow *rows, size_t n);
int pki_audit_review(struct pki_auditor *au, const struct pki_aproduct *p);

/* audit-requirements.c: requirements.csv (policy 10.2, 12.9).  The table
 * of a blob ID, parsed once (NULL when it does not: A108 once, at where;
 * "" is an empty table); a commit changing it, by jc (A119; A120 for rows
 * removed or their identity changed); the IR references a commit newly
 * writes on labels, against the table it leaves (A312; none judged before
 * the table existed); the owner of a requirement whose wording is
 * product, in the table at commit (NULL: none); open requirements past
 * review at the tip (A705). */
const struct pki_requirements *pki_audit_requirements(struct pki_auditor *au, const char *id,
						      const char *where);
int pki_audit_requirements_change(struct pki_auditor *au, const struct pki_acommit *ac,
				  const struct pki_principal *who, const struct pki_ajudge *jc);
int pki_audit_ir_cited(struct pki_auditor *au, const struct pki_acommit *ac);
const char *pki_audit_ir_owner(struct pki_auditor *au, const char *commit, const char *product);
int pki_audit_requirements_due(struct pki_auditor *au);
void pki_audit_requirements_free(struct pki_auditor *au);

#endif
