/* audit.h: pki-audit(1), the oversight the policy asks for (policy 9.7, 11.3.3,
 * 12.10, 27).
 *
 * The audit reads the history of main and the state at its tip, and
 * reports what departs from the rules as findings: a stable code, a
 * severity, the object (a commit ID, a product ID, a registry row as
 * "registry/YYYY-MM.csv:LINE", a key file, a half-year) and a message.
 * It needs no secret key: signatures are verified and ciphertexts'
 * recipients read with public keys only, imported from keys/ when the
 * auditor's keyring lacks them.
 *
 *   audit.c           findings, the order of the checks, text and CSV output
 *   audit-walk.c      the walk: what each commit changed (checks 1, 2)
 *   audit-graph.c     one pinned root, time forward, merges judged twice (1, 5)
 *   audit-merge.c     a merge's tree is the semantic merge of its parents (1, 2)
 *   audit-registry.c  rows only ever appended, merges included (check 2)
 *   audit-rows.c      registry rows; events recorded twice (check 2)
 *   audit-tables.c    matrices, delegations, labels and keys, read once
 *   audit-sign.c      signatures (on every core) and who may change what (1, 2)
 *   audit-book.c      the tables each commit leaves: keepers, roles, delegations
 *   audit-labels.c    each label field changed only by the action owning it (3)
 *   audit-rules.c     each row against lib/policy.c as of its time (check 5)
 *   audit-succession.c  the rows of a succession beside their delegation (5)
 *   audit-dispose.c   a material's disposal: its row, its files (3, 5)
 *   audit-state.c     products at the tip: label, binding, origin (check 3)
 *   audit-lists.c     distribution lists and recipients, safety, areas no one
 *                     holds (checks 4, 6)
 *   audit-overdue.c   transfers and reviews overdue (check 7)
 *   audit-requirements.c  requirements.csv: who changes it, rows kept,
 *                     what labels cite, reviews overdue
 *   xml-audit.c       XML output (share/pki/audit.xsd)
 */
#ifndef PKI_AUDIT_H
#define PKI_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "buf.h"
#include "progress.h"

struct pki_gpg;
struct pki_repo;

enum pki_severity { PKI_SEV_ERROR, PKI_SEV_WARNING, PKI_SEV_INFO, PKI_SEV_N };

/* Every finding there is; the table in audit.c gives code, name, severity.
 * Codes are stable: new findings get new codes, none is ever reused. */
enum pki_audit_check {
	PKI_A_KEY_IMPORTED,	/* A001 */
	PKI_A_KEY_UNAVAILABLE,	/* A002 */
	PKI_A_ROOT_UNPINNED,	/* A003 */
	PKI_A_KEY_REVOKED_LATER,	/* A004 */
	PKI_A_UNSIGNED,		/* A101 */
	PKI_A_BAD_SIGNATURE,	/* A102 */
	PKI_A_NOT_PRINCIPAL,	/* A103 */
	PKI_A_ROLE,		/* A104 */
	PKI_A_KEY_FILE,		/* A105 */
	PKI_A_UNEXPECTED_PATH,	/* A106 */
	PKI_A_TIME_BACKWARDS,	/* A107 */
	PKI_A_TABLE_INVALID,	/* A108 */
	PKI_A_SECOND_ROOT,	/* A109 */
	PKI_A_ROOT_MISMATCH,	/* A110 */
	PKI_A_AUTHOR,		/* A111 */
	PKI_A_KEY_REMOVED,	/* A112 */
	PKI_A_SINCE_LOST,	/* A113 */
	PKI_A_KEEPER,		/* A114 */
	PKI_A_ROLE_TYPE,	/* A115 */
	PKI_A_DELEGATION_INVALID,	/* A116 */
	PKI_A_ARRANGEMENT_REMOVED,	/* A117 */
	PKI_A_ARRANGEMENT_INVALID,	/* A118 */
	PKI_A_REQUIREMENTS_ACTOR,	/* A119 */
	PKI_A_REQUIREMENT_REMOVED,	/* A120 */
	PKI_A_MERGE_ROWS,	/* A121 */
	PKI_A_MERGE_TABLE,	/* A122 */
	PKI_A_MERGE_PRODUCT,	/* A123 */
	PKI_A_ROW_REMOVED,	/* A201 */
	PKI_A_ROW_CHANGED,	/* A202 */
	PKI_A_ROW_ACTOR,	/* A203 */
	PKI_A_ROW_NO_CHANGE,	/* A204 */
	PKI_A_CHANGE_NO_ROW,	/* A205 */
	PKI_A_REGISTRY_INVALID,	/* A206 */
	PKI_A_ROW_TIME,		/* A207 */
	PKI_A_DUPLICATE_EVENT,	/* A208 */
	PKI_A_ROW_SHARD,	/* A209 */
	PKI_A_MEDIUM_INVALID,	/* A210 */
	PKI_A_MEDIUM_CHANGE,	/* A211 */
	PKI_A_LABEL_MISSING,	/* A301 */
	PKI_A_BINDING,		/* A302 */
	PKI_A_NO_ORIGIN_ROW,	/* A303 */
	PKI_A_ROW_NO_PRODUCT,	/* A304 */
	PKI_A_LABEL_INVALID,	/* A305 */
	PKI_A_CIPHERTEXT_MISSING,	/* A306 */
	PKI_A_LABEL_REGISTRY,	/* A307 */
	PKI_A_LABEL_FIELD,	/* A308 */
	PKI_A_DISPOSED_CIPHERTEXT,	/* A309 */
	PKI_A_DISPOSAL_MISMATCH,	/* A310 */
	PKI_A_AREA_UNHELD,	/* A311 */
	PKI_A_IR_UNKNOWN,	/* A312 */
	PKI_A_RECIPIENTS,	/* A401 */
	PKI_A_LIST_MISMATCH,	/* A402 */
	PKI_A_CIPHERTEXT_INVALID,	/* A403 */
	PKI_A_CIPHERTEXT_EXTRA,	/* A404 */
	PKI_A_LIST_NO_KEEPER,	/* A405 */
	PKI_A_ENDED_ON_LISTS,	/* A406 */
	PKI_A_RULE,		/* A501 */
	PKI_A_EXPIRED_DELEGATION,	/* A502 */
	PKI_A_AUTHORITY,	/* A503 */
	PKI_A_SUCCESSOR,	/* A504 */
	PKI_A_ARRANGEMENT_RULE,	/* A505 */
	PKI_A_KEYLESS_ON_LIST,	/* A506 */
	PKI_A_DISPOSE,		/* A507 */
	PKI_A_RELABEL_UNDSS,	/* A508 */
	PKI_A_SAFETY,		/* A601 */
	PKI_A_TRANSFER_OVERDUE,	/* A701 */
	PKI_A_REVIEW_OVERDUE,	/* A702 */
	PKI_A_TRANSFER_UNACKED,	/* A703 */
	PKI_A_RETENTION_ENDED,	/* A704 */
	PKI_A_REQUIREMENT_REVIEW,	/* A705 */
	PKI_A_N
};

const char *pki_audit_code(enum pki_audit_check c);	/* "A101" */
const char *pki_audit_name(enum pki_audit_check c);	/* "unsigned-commit" */
enum pki_severity pki_audit_severity(enum pki_audit_check c);
const char *pki_severity_name(enum pki_severity s);	/* "error" */

struct pki_finding {
	enum pki_audit_check check;
	char *object;
	char *message;
};

struct pki_audit {
	struct pki_finding *v;
	size_t n, cap;
	size_t count[PKI_SEV_N];	/* findings by severity */
	/* What was audited, for the reports. */
	char tip[41];
	char since[41];		/* the commit --since named, "" for a full audit */
	time_t at;
	size_t commits, products, rows;
};

struct pki_audit_opts {
	const char *since;	/* a revision, or NULL for the whole history */
	const char *root;	/* the pinned root (a revision); NULL: pki.root */
	time_t at;		/* overdue work is judged as of this time */
	unsigned threads;	/* signature verifiers; 0: one per core, and one more */
	const struct pki_progress *progress;	/* commits read and checked; NULL: none */
};

/*
 * Audit the repository into a (zeroed by the caller, released with
 * pki_audit_release).  Returns 0 when the audit ran, whatever it found,
 * or a negative code when it could not (-PKI_EUSAGE for an unknown
 * --since revision).
 */
int pki_audit_run(struct pki_audit *a, struct pki_repo *r, struct pki_gpg *g,
		  const struct pki_audit_opts *o);
void pki_audit_release(struct pki_audit *a);

/*
 * Record a finding.  Object and message are copied with control
 * characters and invalid UTF-8 replaced by '?', so that what a hostile
 * repository holds cannot reach a terminal or break a report.
 */
int pki_audit_add(struct pki_audit *a, enum pki_audit_check c, const char *object,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* 1 with errors (with strict, warnings too), else 0. */
int pki_audit_status(const struct pki_audit *a, bool strict);

/*
 * Reports.  Text: "SEVERITY CODE OBJECT: message", one a line.  CSV:
 * RFC 4180 with the header severity,code,object,message.  XML: valid
 * against share/pki/audit.xsd (written by xml.c).
 */
int pki_audit_text(const struct pki_audit *a, struct pki_buf *out);
int pki_audit_csv(const struct pki_audit *a, struct pki_buf *out);
int pki_audit_xml(const struct pki_audit *a, struct pki_buf *out);

#define PKI_AUDIT_NS "urn:x-pki:audit:1"

#endif
