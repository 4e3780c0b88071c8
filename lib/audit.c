/* audit.c: the findings, the order of the checks, text and CSV reports.
 *
 * The checks run in passes over what the walk collected: the walk itself
 * (what each commit changed; rows only ever appended), the shape of the
 * history (one pinned root, time forward), the signatures and who made
 * each change, each dissemination against the rules of its time, each
 * commit a merge brings in judged again at the merge, and the state at
 * the tip.  Findings are kept in
 * that order, which does not depend on how threads were scheduled, so
 * two audits of one repository print the same bytes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-int.h"
#include "csv.h"
#include "error.h"
#include "rows.h"
#include "vocab.h"

static const struct {
	const char *code, *name;
	enum pki_severity sev;
} checks[PKI_A_N] = {
	[PKI_A_KEY_IMPORTED] = { "A001", "key-imported", PKI_SEV_INFO },
	[PKI_A_KEY_UNAVAILABLE] = { "A002", "key-unavailable", PKI_SEV_WARNING },
	[PKI_A_ROOT_UNPINNED] = { "A003", "root-unpinned", PKI_SEV_INFO },
	[PKI_A_KEY_REVOKED_LATER] = { "A004", "key-revoked-later", PKI_SEV_INFO },
	[PKI_A_UNSIGNED] = { "A101", "unsigned-commit", PKI_SEV_ERROR },
	[PKI_A_BAD_SIGNATURE] = { "A102", "bad-signature", PKI_SEV_ERROR },
	[PKI_A_NOT_PRINCIPAL] = { "A103", "signer-not-principal", PKI_SEV_ERROR },
	[PKI_A_ROLE] = { "A104", "signer-role", PKI_SEV_ERROR },
	[PKI_A_KEY_FILE] = { "A105", "key-file-mismatch", PKI_SEV_ERROR },
	[PKI_A_UNEXPECTED_PATH] = { "A106", "unexpected-path", PKI_SEV_ERROR },
	[PKI_A_TIME_BACKWARDS] = { "A107", "time-goes-backwards", PKI_SEV_ERROR },
	[PKI_A_TABLE_INVALID] = { "A108", "table-invalid", PKI_SEV_ERROR },
	[PKI_A_SECOND_ROOT] = { "A109", "second-root", PKI_SEV_ERROR },
	[PKI_A_ROOT_MISMATCH] = { "A110", "root-not-pinned", PKI_SEV_ERROR },
	[PKI_A_AUTHOR] = { "A111", "author-not-signer", PKI_SEV_ERROR },
	[PKI_A_KEY_REMOVED] = { "A112", "key-file-removed", PKI_SEV_ERROR },
	[PKI_A_SINCE_LOST] = { "A113", "since-not-ancestor", PKI_SEV_ERROR },
	[PKI_A_KEEPER] = { "A114", "keeper-missing", PKI_SEV_ERROR },
	[PKI_A_ROLE_TYPE] = { "A115", "role-type", PKI_SEV_ERROR },
	[PKI_A_DELEGATION_INVALID] = { "A116", "delegation-invalid", PKI_SEV_ERROR },
	[PKI_A_ARRANGEMENT_REMOVED] = { "A117", "arrangement-removed", PKI_SEV_ERROR },
	[PKI_A_ARRANGEMENT_INVALID] = { "A118", "arrangement-invalid", PKI_SEV_ERROR },
	[PKI_A_REQUIREMENTS_ACTOR] = { "A119", "requirements-actor", PKI_SEV_ERROR },
	[PKI_A_REQUIREMENT_REMOVED] = { "A120", "requirement-removed", PKI_SEV_ERROR },
	[PKI_A_MERGE_ROWS] = { "A121", "merge-registry", PKI_SEV_ERROR },
	[PKI_A_MERGE_TABLE] = { "A122", "merge-file", PKI_SEV_ERROR },
	[PKI_A_MERGE_PRODUCT] = { "A123", "merge-product", PKI_SEV_ERROR },
	[PKI_A_ROW_REMOVED] = { "A201", "registry-row-removed", PKI_SEV_ERROR },
	[PKI_A_ROW_CHANGED] = { "A202", "registry-row-changed", PKI_SEV_ERROR },
	[PKI_A_ROW_ACTOR] = { "A203", "row-actor-not-signer", PKI_SEV_ERROR },
	[PKI_A_ROW_NO_CHANGE] = { "A204", "row-without-change", PKI_SEV_ERROR },
	[PKI_A_CHANGE_NO_ROW] = { "A205", "change-without-row", PKI_SEV_ERROR },
	[PKI_A_REGISTRY_INVALID] = { "A206", "registry-invalid", PKI_SEV_ERROR },
	[PKI_A_ROW_TIME] = { "A207", "row-time-mismatch", PKI_SEV_WARNING },
	[PKI_A_DUPLICATE_EVENT] = { "A208", "duplicate-event", PKI_SEV_ERROR },
	[PKI_A_ROW_SHARD] = { "A209", "row-in-wrong-shard", PKI_SEV_ERROR },
	[PKI_A_MEDIUM_INVALID] = { "A210", "medium-invalid", PKI_SEV_ERROR },
	[PKI_A_MEDIUM_CHANGE] = { "A211", "medium-changes-product", PKI_SEV_ERROR },
	[PKI_A_LABEL_MISSING] = { "A301", "label-missing", PKI_SEV_ERROR },
	[PKI_A_BINDING] = { "A302", "binding-mismatch", PKI_SEV_ERROR },
	[PKI_A_NO_ORIGIN_ROW] = { "A303", "no-origin-row", PKI_SEV_ERROR },
	[PKI_A_ROW_NO_PRODUCT] = { "A304", "row-names-missing-product", PKI_SEV_ERROR },
	[PKI_A_LABEL_INVALID] = { "A305", "label-invalid", PKI_SEV_ERROR },
	[PKI_A_CIPHERTEXT_MISSING] = { "A306", "ciphertext-missing", PKI_SEV_ERROR },
	[PKI_A_LABEL_REGISTRY] = { "A307", "label-registry-mismatch", PKI_SEV_ERROR },
	[PKI_A_LABEL_FIELD] = { "A308", "label-field-changed", PKI_SEV_ERROR },
	[PKI_A_DISPOSED_CIPHERTEXT] = { "A309", "disposed-with-ciphertext", PKI_SEV_ERROR },
	[PKI_A_DISPOSAL_MISMATCH] = { "A310", "disposal-mismatch", PKI_SEV_ERROR },
	[PKI_A_AREA_UNHELD] = { "A311", "area-unheld", PKI_SEV_WARNING },
	[PKI_A_IR_UNKNOWN] = { "A312", "ir-unknown", PKI_SEV_ERROR },
	[PKI_A_RECIPIENTS] = { "A401", "recipients-mismatch", PKI_SEV_ERROR },
	[PKI_A_LIST_MISMATCH] = { "A402", "list-mismatch", PKI_SEV_ERROR },
	[PKI_A_CIPHERTEXT_INVALID] = { "A403", "ciphertext-invalid", PKI_SEV_ERROR },
	[PKI_A_CIPHERTEXT_EXTRA] = { "A404", "ciphertext-extra-access", PKI_SEV_ERROR },
	[PKI_A_LIST_NO_KEEPER] = { "A405", "list-without-keeper", PKI_SEV_WARNING },
	[PKI_A_ENDED_ON_LISTS] = { "A406", "ended-principal-on-lists", PKI_SEV_WARNING },
	[PKI_A_RULE] = { "A501", "rule-violation", PKI_SEV_ERROR },
	[PKI_A_EXPIRED_DELEGATION] = { "A502", "expired-delegation", PKI_SEV_ERROR },
	[PKI_A_AUTHORITY] = { "A503", "authority-mismatch", PKI_SEV_WARNING },
	[PKI_A_SUCCESSOR] = { "A504", "successor-without-delegation", PKI_SEV_ERROR },
	[PKI_A_ARRANGEMENT_RULE] = { "A505", "arrangement-not-holding", PKI_SEV_ERROR },
	[PKI_A_KEYLESS_ON_LIST] = { "A506", "keyless-on-list", PKI_SEV_ERROR },
	[PKI_A_DISPOSE] = { "A507", "dispose-not-allowed", PKI_SEV_ERROR },
	[PKI_A_RELABEL_UNDSS] = { "A508", "relabel-safety-without-undss", PKI_SEV_ERROR },
	[PKI_A_SAFETY] = { "A601", "safety-not-undss", PKI_SEV_ERROR },
	[PKI_A_TRANSFER_OVERDUE] = { "A701", "transfer-overdue", PKI_SEV_WARNING },
	[PKI_A_REVIEW_OVERDUE] = { "A702", "review-overdue", PKI_SEV_WARNING },
	[PKI_A_TRANSFER_UNACKED] = { "A703", "transfer-unacknowledged", PKI_SEV_WARNING },
	[PKI_A_RETENTION_ENDED] = { "A704", "retention-ended", PKI_SEV_INFO },
	[PKI_A_REQUIREMENT_REVIEW] = { "A705", "requirement-review-overdue", PKI_SEV_WARNING },
};

static const char *const severities[PKI_SEV_N] = { "error", "warning", "info" };

const char *pki_audit_code(enum pki_audit_check c)
{
	return checks[c].code;
}

const char *pki_audit_name(enum pki_audit_check c)
{
	return checks[c].name;
}

enum pki_severity pki_audit_severity(enum pki_audit_check c)
{
	return checks[c].sev;
}

const char *pki_severity_name(enum pki_severity s)
{
	return severities[s];
}

/* --- findings --- */

#define FINDING_TEXT_MAX 1024

/* A copy safe for a terminal, a CSV cell and an XML attribute. */
static char *clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out, *o;
	uint32_t c;
	size_t n;

	if ((out = malloc(FINDING_TEXT_MAX + 4)) == NULL)
		return NULL;
	for (o = out; *p != '\0' && (size_t)(o - out) < FINDING_TEXT_MAX;) {
		/* C0, DEL and C1 (U+009B is a terminal's CSI) are controls. */
		n = pki_utf8_len(p, &c);
		if (n == 0 || c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
			*o++ = '?';
			p += n > 0 ? n : 1;
			continue;
		}
		memcpy(o, p, n);
		o += n;
		p += n;
	}
	*o = '\0';
	return out;
}

int pki_audit_add(struct pki_audit *a, enum pki_audit_check c, const char *object,
		  const char *fmt, ...)
{
	char msg[FINDING_TEXT_MAX];
	struct pki_finding *f, *grown;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((grown = pki_row_grow(a->v, a->n, &a->cap, sizeof(*grown))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "findings");
	a->v = grown;
	f = &a->v[a->n];
	f->check = c;
	f->object = clean(object != NULL ? object : "");
	f->message = clean(msg);
	if (f->object == NULL || f->message == NULL) {
		free(f->object);
		free(f->message);
		return pki_error_errno(PKI_EINTERNAL, "findings");
	}
	a->n++;
	a->count[checks[c].sev]++;
	return 0;
}

void pki_audit_release(struct pki_audit *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free(a->v[i].object);
		free(a->v[i].message);
	}
	free(a->v);
	memset(a, 0, sizeof(*a));
}

int pki_audit_status(const struct pki_audit *a, bool strict)
{
	if (a->count[PKI_SEV_ERROR] > 0 || (strict && a->count[PKI_SEV_WARNING] > 0))
		return PKI_FINDINGS;
	return 0;
}

int pki_audit_text(const struct pki_audit *a, struct pki_buf *out)
{
	size_t i;
	int rc;

	for (i = 0; i < a->n; i++) {
		const struct pki_finding *f = &a->v[i];

		if ((rc = pki_buf_printf(out, "%s %s %s: %s\n", severities[checks[f->check].sev],
					 checks[f->check].code, f->object, f->message)) < 0)
			return rc;
	}
	return 0;
}

/*
 * A finding may quote what a forger wrote, which no door checked: an
 * object or message that a spreadsheet would run as a formula is written
 * after a single quote, a spreadsheet's own text marker (pki-audit(1)).
 */
static int csv_defused(struct pki_buf *tmp, const char *s, const char **out)
{
	int rc;

	*out = s;
	if (!pki_text_is_formula(s))
		return 0;
	pki_buf_reset(tmp);
	if ((rc = pki_buf_add(tmp, "'", 1)) < 0 || (rc = pki_buf_adds(tmp, s)) < 0)
		return rc;
	*out = tmp->ptr;
	return 0;
}

int pki_audit_csv(const struct pki_audit *a, struct pki_buf *out)
{
	static const char *const header[] = { "severity", "code", "object", "message" };
	struct pki_buf object = PKI_BUF_INIT, message = PKI_BUF_INIT;
	const char *row[4];
	size_t i;
	int rc;

	if ((rc = pki_csv_row(out, header, 4)) < 0)
		goto out;
	for (i = 0; i < a->n; i++) {
		row[0] = severities[checks[a->v[i].check].sev];
		row[1] = checks[a->v[i].check].code;
		if ((rc = csv_defused(&object, a->v[i].object, &row[2])) < 0 ||
		    (rc = csv_defused(&message, a->v[i].message, &row[3])) < 0 ||
		    (rc = pki_csv_row(out, row, 4)) < 0)
			goto out;
	}
out:
	pki_buf_release(&object);
	pki_buf_release(&message);
	return rc;
}

/* --- the run --- */

static void auditor_free(struct pki_auditor *au)
{
	size_t i;

	pki_audit_verifiers_stop(au);
	for (i = 0; i < au->nc; i++) {
		pki_commit_release(&au->cv[i].c);
		free(au->cv[i].touch);
		free(au->cv[i].bad);
	}
	free(au->cv);
	free(au->byid);
	while (au->nhelpers > 0)
		pki_verifier_stop(au->helpers[--au->nhelpers]);
	pki_audit_rows_free(au->rows, au->nrows);
	for (i = 0; i < PKI_SHARD_CACHE; i++)
		pki_buf_release(&au->shards[i].data);
	pki_audit_tables_free(au);
	pki_audit_requirements_free(au);
}

int pki_audit_run(struct pki_audit *a, struct pki_repo *r, struct pki_gpg *g,
		  const struct pki_audit_opts *o)
{
	struct pki_auditor au;
	int rc;

	memset(&au, 0, sizeof(au));
	au.a = a;
	au.repo = r;
	au.gpg = g;
	au.o = o;
	a->at = o->at;
	if ((rc = pki_repo_tip(r, au.tip)) < 0)
		return rc;
	if (au.tip[0] == '\0')
		return pki_error(PKI_ENOINPUT, "%s has no commits", PKI_BRANCH);
	memcpy(a->tip, au.tip, sizeof(a->tip));
	/* Before the history fills the memory: see audit-verify.c.  Without
	 * helpers, the threads verify themselves. */
	while (au.nhelpers < pki_audit_threads(&au) &&
	       pki_verifier_start(&au.helpers[au.nhelpers]) == 0)
		au.nhelpers++;
	pki_error_clear();
	/* They verify what the walk reads as it reads (audit-verify.c). */
	if ((rc = pki_audit_verifiers_start(&au)) < 0) {
		auditor_free(&au);
		return rc;
	}
	if ((rc = pki_audit_walk(&au)) == 0 &&
	    (rc = pki_audit_graph(&au)) == 0 &&
	    (rc = pki_audit_sign(&au)) == 0 &&
	    (rc = pki_audit_rules(&au)) == 0 &&
	    (rc = pki_audit_merges(&au)) == 0)
		rc = pki_audit_state(&au);
	a->commits = au.nc;
	auditor_free(&au);
	return rc;
}
