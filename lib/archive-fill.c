/* archive-fill.c: the payload of a transfer to the UN Archives.
 *
 * Every record goes in as its ciphertext and label, streamed from the
 * object store into the bag and hashed on the way; a product the archives
 * cannot read is first re-encrypted to include them (policy 11.5.1), which
 * the registry records as a share by the custodian.  Then the registry
 * shards of the window, the access matrix, delegations and requirements
 * as they stand, the principals' public keys, and the transfer list,
 * written as the records pass.  Everything is in a fixed order, and nothing depends on
 * the clock but the transfer's date: the same inputs give the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "error.h"
#include "registry.h"
#include "requirements.h"
#include "repo.h"
#include "rows.h"
#include "session.h"
#include "transfer.h"

#define KEYS_DIR "keys"

struct pki_row *pki_xfer_job_row(struct pki_xfer_job *j)
{
	struct pki_row *v;

	if ((v = pki_row_grow(j->rows, j->nrows, &j->caprows, sizeof(*v))) == NULL)
		return NULL;
	j->rows = v;
	v = &j->rows[j->nrows++];
	memset(v, 0, sizeof(*v));
	return v;
}

/* A file as of the transaction into the bag, at the same path under data/. */
static int copy_blob(struct pki_bag *bag, struct pki_txn *t, const char *path, char hex[65])
{
	struct pki_bagf *f;
	struct pki_sink sink;
	int rc, rc2;

	if ((rc = pki_bag_file_begin(bag, path, &f, &sink)) < 0)
		return rc;
	rc = pki_txn_stream(t, path, &sink);
	rc2 = pki_bag_file_end(f, hex);
	return rc < 0 ? rc : rc2;
}

/* The share rows of a re-encryption for the archives, by the custodian;
 * id is the record's, which lives as long as the job (the label's does not). */
static int share_rows(struct pki_xfer_job *j, const struct pki_state *st,
		      const struct pki_label *l, const char *id)
{
	struct pki_row *row;
	size_t i, k;
	bool had;

	for (i = 0; i < j->archives.n; i++) {
		for (had = false, k = 0; k < l->nrecipients && !had; k++)
			had = strcmp(l->recipients[k], j->archives.v[i]) == 0;
		if (had)
			continue;
		if ((row = pki_xfer_job_row(j)) == NULL)
			return pki_error(PKI_EINTERNAL, "archive: out of memory");
		row->f[PKI_COL_ACTION] = "share";
		row->f[PKI_COL_PRODUCT] = id;
		row->f[PKI_COL_LEVEL] = pki_level_name(l->level);
		row->f[PKI_COL_ACTOR] = st->actor->name;
		row->f[PKI_COL_RECIPIENT] = j->archives.v[i];
		row->f[PKI_COL_AUTHORITY] = "custodian";
		row->f[PKI_COL_JUSTIFICATION] = "transfer to the UN Archives (policy 11.5.1)";
		row->f[PKI_COL_REFERENCE] = j->id;
	}
	return 0;
}

/*
 * Have the archives on the product's distribution list: re-encrypt it
 * when they are not.  Only a principal who is on the list may, as itself
 * (the custodian's keyring may hold more than its own key).
 */
static int for_archives(struct pki_xfer_job *j, struct pki_session *s, struct pki_txn *t,
			const struct pki_state *st, struct pki_xrec *rec, struct pki_label *l)
{
	struct pki_names list = { 0 };
	size_t i;
	int rc = 0;

	for (i = 0; i < l->nrecipients && rc == 0; i++)
		rc = pki_names_add(&list, l->recipients[i]);
	if (rc < 0)
		goto out;
	for (i = 0; i < j->archives.n; i++)
		if (!pki_names_has(&list, j->archives.v[i]))
			break;
	if (i == j->archives.n)
		goto out;	/* already readable by the archives */
	if (!pki_names_has(&list, st->actor->name)) {
		rc = pki_error(PKI_EUNAVAIL, "product %s is not encrypted to the archives, and "
			       "'%s' is not on its distribution list to re-encrypt it: run "
			       "pki-archive as a principal who is (policy 11.5.1)", rec->id,
			       st->actor->name);
		goto out;
	}
	for (i = 0; i < j->archives.n && rc == 0; i++)
		rc = pki_names_add(&list, j->archives.v[i]);
	/* The share rows compare with the list as it was. */
	if (rc == 0 && (rc = share_rows(j, st, l, rec->id)) == 0 &&
	    (rc = pki_product_reencrypt(t, s->gpg, &st->matrix, l, &list)) == 0)
		j->reencrypted++;
out:
	pki_names_release(&list);
	return rc;
}

/* A material disposed of: its label goes in, marked, and no ciphertext
 * (it left the tree; the transfer that included it before has it). */
static int fill_disposed(struct pki_xfer_job *j, struct pki_txn *t, struct pki_xfer *x,
			 const struct pki_xrec *rec, const struct pki_label *l)
{
	char lp[PKI_PRODUCT_PATH_MAX], lhex[65], lpath[PKI_PRODUCT_PATH_MAX + 8];
	struct pki_xfer_record r;
	int rc;

	if ((rc = pki_product_path(rec->id, "xml", lp)) < 0 ||
	    (rc = copy_blob(j->bag, t, lp, lhex)) < 0)
		return rc;
	snprintf(lpath, sizeof(lpath), "data/%s", lp);
	r = (struct pki_xfer_record){
		.id = rec->id, .kind = l->kind, .level = l->level, .criterion = l->criterion,
		.originator = l->originator, .external = l->received, .created = l->created,
		.last_action = rec->last, .last_time = rec->last_time,
		.retention = l->retention, .disposed = l->disposed,
		.label = lpath, .label_sha256 = lhex,
	};
	return pki_xfer_record(x, &r);
}

static int fill_record(struct pki_xfer_job *j, struct pki_session *s, struct pki_txn *t,
		       const struct pki_state *st, struct pki_xfer *x, struct pki_xrec *rec)
{
	char ct[PKI_PRODUCT_PATH_MAX], lp[PKI_PRODUCT_PATH_MAX];
	char cthex[65], lhex[65], ctpath[PKI_PRODUCT_PATH_MAX + 8], lpath[PKI_PRODUCT_PATH_MAX + 8];
	struct pki_xfer_record r;
	struct pki_label l;
	int rc;

	if ((rc = pki_product_label(t, rec->id, &l)) < 0)
		return rc;
	rec->level = l.level;
	if (l.disposed != 0) {
		rc = fill_disposed(j, t, x, rec, &l);
		goto out;
	}
	if ((rc = for_archives(j, s, t, st, rec, &l)) < 0 ||
	    (rc = pki_product_path(rec->id, "gpg", ct)) < 0 ||
	    (rc = pki_product_path(rec->id, "xml", lp)) < 0 ||
	    (rc = copy_blob(j->bag, t, ct, cthex)) < 0 ||
	    (rc = copy_blob(j->bag, t, lp, lhex)) < 0)
		goto out;
	if (strcmp(cthex, l.sha256) != 0) {
		rc = pki_error(PKI_EDATA, "product %s: the label does not bind the ciphertext "
			       "(run pki-audit)", rec->id);
		goto out;
	}
	snprintf(ctpath, sizeof(ctpath), "data/%s", ct);
	snprintf(lpath, sizeof(lpath), "data/%s", lp);
	r = (struct pki_xfer_record){
		.id = rec->id, .kind = l.kind, .level = l.level, .criterion = l.criterion,
		.retention = l.retention,
		.originator = l.originator, .external = l.received, .created = l.created,
		.last_action = rec->last, .last_time = rec->last_time,
		.ciphertext = ctpath, .label = lpath, .ct_sha256 = cthex, .label_sha256 = lhex,
	};
	rc = pki_xfer_record(x, &r);
out:
	pki_label_release(&l);
	return rc;
}

static int fill_doc(struct pki_xfer_job *j, struct pki_txn *t, struct pki_xfer *x,
		    const char *kind, const char *path)
{
	char hex[65], bagpath[256 + 8];
	struct pki_xfer_doc d = { kind, bagpath, hex };
	int rc;

	snprintf(bagpath, sizeof(bagpath), "data/%s", path);
	if ((rc = copy_blob(j->bag, t, path, hex)) < 0)
		return rc;
	return pki_xfer_doc(x, &d);
}

/* Every file of dir whose name ends in suffix, in git's order. */
static int fill_dir(struct pki_xfer_job *j, struct pki_txn *t, struct pki_xfer *x,
		    const char *kind, const char *dir, const char *suffix)
{
	char **names = NULL, path[256];
	size_t n, i, len, slen = strlen(suffix);
	int rc;

	if ((rc = pki_txn_list(t, dir, &names, &n)) < 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++) {
		len = strlen(names[i]);
		if (len <= slen || strcmp(names[i] + len - slen, suffix) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		rc = fill_doc(j, t, x, kind, path);
	}
	pki_strv_free(names);
	return rc;
}

/* The registry shards of the window's months: all of them for a final
 * transfer, the period's six (those that exist) otherwise. */
static int fill_registry(struct pki_xfer_job *j, struct pki_txn *t, struct pki_xfer *x)
{
	char path[48];
	struct tm tm;
	int m, rc = 0;

	if (j->o->mode == PKI_ARCHIVE_FINAL)
		return fill_dir(j, t, x, "registry", PKI_REGISTRY_DIR, ".csv");
	if (gmtime_r(&j->from, &tm) == NULL)
		return pki_error(PKI_EINTERNAL, "archive: time out of range");
	for (m = 0; m < 6 && rc == 0; m++) {
		snprintf(path, sizeof(path), PKI_REGISTRY_DIR "/%04d-%02d.csv",
			 (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1 + m) % 100);
		if (pki_txn_exists(t, path))
			rc = fill_doc(j, t, x, "registry", path);
	}
	return rc;
}

static int fill_docs(struct pki_xfer_job *j, struct pki_txn *t, struct pki_xfer *x)
{
	int rc;

	if ((rc = fill_registry(j, t, x)) < 0 ||
	    (rc = fill_doc(j, t, x, "access-matrix", PKI_MATRIX_FILE)) < 0)
		return rc;
	if (pki_txn_exists(t, PKI_DELEGATIONS_FILE) &&
	    (rc = fill_doc(j, t, x, "delegations", PKI_DELEGATIONS_FILE)) < 0)
		return rc;
	/* The requirements the collection answered; their wordings are
	 * records of kind ir, transferred with the products (policy 11.5.1). */
	if (pki_txn_exists(t, PKI_REQUIREMENTS_FILE) &&
	    (rc = fill_doc(j, t, x, "requirements", PKI_REQUIREMENTS_FILE)) < 0)
		return rc;
	return fill_dir(j, t, x, "key", KEYS_DIR, ".asc");
}

static void xfer_head(const struct pki_xfer_job *j, const struct pki_session *s,
		      const struct pki_state *st, struct pki_xfer_head *h, char *period)
{
	memset(h, 0, sizeof(*h));
	h->id = j->id;
	h->mission = j->mission;
	h->mission_name = j->mission_name;
	if (j->o->mode != PKI_ARCHIVE_FINAL) {
		pki_period_format(&j->period, period);
		h->period = period;
	}
	h->from = j->from;
	h->until = j->until;
	h->date = s->now;
	h->actor = st->actor->name;
	h->archives = j->archives_list;
	h->nrecords = j->scan.n;
}

/* The transfer list, written while the records and documents go in. */
static int fill_payload(struct pki_xfer_job *j, struct pki_session *s, struct pki_txn *t,
			const struct pki_state *st)
{
	struct pki_xfer_head h;
	struct pki_xfer *x = NULL;
	struct pki_bagf *f = NULL;
	struct pki_sink sink;
	char period[PKI_PERIOD_LEN];
	size_t i;
	int rc, rc2;

	xfer_head(j, s, st, &h, period);
	if ((rc = pki_bag_file_begin(j->bag, "transfer-list.xml", &f, &sink)) < 0)
		return rc;
	if ((rc = pki_xfer_begin(&x, &sink, &h)) < 0)
		goto out;
	for (i = 0; i < j->scan.n && rc == 0; i++)
		if ((rc = fill_record(j, s, t, st, x, &j->scan.v[i])) == 0)
			pki_progress_report(s->progress, "Writing records", i + 1, j->scan.n);
	if (rc == 0 && (rc = fill_docs(j, t, x)) == 0)
		rc = pki_xfer_end(x);
out:
	pki_xfer_free(x);
	rc2 = pki_bag_file_end(f, NULL);
	return rc < 0 ? rc : rc2;
}

/* bag-info.txt: one line of printable text per value. */
static bool printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static int bag_info(const struct pki_xfer_job *j, const struct pki_session *s,
		    char lines[][384], size_t *n)
{
	char date[PKI_DATE_LEN], period[PKI_PERIOD_LEN];
	const char *name = j->mission_name != NULL ? j->mission_name : j->mission;

	pki_date_format(s->now, date);
	*n = 0;
	snprintf(lines[(*n)++], 384, "Source-Organization: %s (%s)", name, j->mission);
	if (s->key.name != NULL && s->key.name[0] != '\0' && printable(s->key.name))
		snprintf(lines[(*n)++], 384, "Contact-Name: %s", s->key.name);
	if (s->key.email != NULL && s->key.email[0] != '\0' && printable(s->key.email))
		snprintf(lines[(*n)++], 384, "Contact-Email: %s", s->key.email);
	if (j->o->mode == PKI_ARCHIVE_FINAL) {
		snprintf(lines[(*n)++], 384, "External-Description: Peacekeeping-intelligence "
			 "records of %s at the closure of the mission: products, labels, "
			 "registry, access matrix and delegations (policy 11.5.1)", j->mission);
	} else {
		pki_period_format(&j->period, period);
		snprintf(lines[(*n)++], 384, "External-Description: Peacekeeping-intelligence "
			 "records of %s for the half-year %s: products, labels, registry, "
			 "access matrix and delegations (policy 11.5.1)", j->mission, period);
	}
	snprintf(lines[(*n)++], 384, "Bagging-Date: %s", date);
	snprintf(lines[(*n)++], 384, "External-Identifier: %s", j->id);
	snprintf(lines[(*n)++], 384, "Bag-Group-Identifier: %s", j->mission);
	return 0;
}

int pki_xfer_fill(struct pki_xfer_job *j, struct pki_session *s, struct pki_txn *t,
		  struct pki_state *st)
{
	char lines[8][384];
	const char *info[8];
	size_t n, i;
	int rc;

	if ((rc = fill_payload(j, s, t, st)) < 0 || (rc = bag_info(j, s, lines, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		info[i] = lines[i];
	return pki_bag_finish(j->bag, info, n, j->manifest, j->oxum);
}
