/* registry.c: the registry of receipt and dissemination (pki-files(5)).
 *
 * Appending reads and rewrites one month's shard, so its cost does not
 * grow with the age of the mission.  Reading takes the shards of the
 * months asked for, nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "csv.h"
#include "error.h"
#include "label.h"
#include "paths.h"
#include "registry.h"
#include "repo.h"

#define ROW_TEXT_MAX PKI_CSV_MAX_FIELD

const char *const pki_registry_header[PKI_REGISTRY_NCOLS] = {
	"event", "time", "action", "product", "level", "actor", "recipient",
	"authority", "justification", "hrddp", "arrangement", "reference", "medium",
};

/* A shard's first line, as written before the medium column. */
static bool header_v1(const char *data, size_t len)
{
	struct pki_buf h = PKI_BUF_INIT;
	size_t n = 0;
	bool same;

	while (n < len && data[n] != '\n')
		n++;
	if (pki_csv_row(&h, pki_registry_header, PKI_REGISTRY_NCOLS_V1) < 0)
		return false;
	/* The header as pki writes it, or as a hand wrote it: compare fields. */
	same = h.len >= 2 && n + 1 == h.len && memcmp(data, h.ptr, n) == 0;
	if (!same) {
		struct pki_table *t = NULL;

		same = pki_table_parse(&t, "registry", data, n < len ? n + 1 : len,
				       pki_registry_header, PKI_REGISTRY_NCOLS_V1) == 0;
		pki_table_free(t);
		pki_error_clear();
	}
	pki_buf_release(&h);
	return same;
}

/* A table of the old width given an empty medium on every row. */
static int widen(struct pki_table *t)
{
	static char empty[] = "";
	char **cells;
	size_t r, k;

	if ((cells = calloc(t->nrows * PKI_REGISTRY_NCOLS + 1, sizeof(*cells))) == NULL)
		return pki_error(PKI_EINTERNAL, "registry: out of memory");
	for (r = 0; r < t->nrows; r++) {
		for (k = 0; k < PKI_REGISTRY_NCOLS_V1; k++)
			cells[r * PKI_REGISTRY_NCOLS + k] = t->cells[r * t->ncols + k];
		cells[r * PKI_REGISTRY_NCOLS + PKI_COL_MEDIUM] = empty;
	}
	free(t->cells);
	t->cells = cells;
	t->ncols = PKI_REGISTRY_NCOLS;
	return 0;
}

int pki_registry_parse(struct pki_table **out, const char *path, const char *data, size_t len,
		       bool *v1)
{
	bool old = len > 0 && header_v1(data, len);
	int rc;

	if (v1 != NULL)
		*v1 = old;
	if ((rc = pki_table_parse(out, path, data, len, pki_registry_header,
				  old ? PKI_REGISTRY_NCOLS_V1 : PKI_REGISTRY_NCOLS)) < 0 || !old)
		return rc;
	if ((rc = widen(*out)) < 0) {
		pki_table_free(*out);
		*out = NULL;
	}
	return rc;
}

int pki_event_id(char out[PKI_EVENT_LEN])
{
	unsigned char r[16];
	size_t i, n = 0;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return pki_error_errno(PKI_EINTERNAL, "getrandom");
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);	/* version 4 */
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);	/* the RFC's variant */
	for (i = 0; i < sizeof(r); i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[n++] = '-';
		snprintf(out + n, 3, "%02x", r[i]);
		n += 2;
	}
	out[n] = '\0';
	return 0;
}

void pki_registry_shard(time_t when, char out[32])
{
	struct tm tm;

	if (gmtime_r(&when, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	/* Four-digit years, as pki_time_format writes them. */
	snprintf(out, 32, PKI_REGISTRY_DIR "/%04u-%02u.csv",
		 (unsigned)(tm.tm_year + 1900) % 10000, (unsigned)(tm.tm_mon + 1) % 100);
}

/* --- appending --- */

/* One row with its event and time filled, every field checked; ncols
 * wide (a shard of the old width gets rows of its width). */
static int add_row(struct pki_buf *out, const struct pki_row *row, const char *now, size_t ncols)
{
	const char *f[PKI_REGISTRY_NCOLS];
	char event[PKI_EVENT_LEN];
	size_t i;
	int rc;

	for (i = 0; i < PKI_REGISTRY_NCOLS; i++) {
		f[i] = row->f[i] != NULL ? row->f[i] : "";
		if (pki_check_free_text(pki_registry_header[i], f[i], ROW_TEXT_MAX) < 0)
			return pki_error_wrap(PKI_EDATA, "registry row");
	}
	if (row->f[PKI_COL_EVENT] == NULL) {
		if ((rc = pki_event_id(event)) < 0)
			return rc;
		f[PKI_COL_EVENT] = event;
	}
	if (row->f[PKI_COL_TIME] == NULL)
		f[PKI_COL_TIME] = now;
	return pki_csv_row(out, f, ncols);
}

/* Rows are not appended to a shard that does not parse: they would bury
 * the damage (a broken quote would swallow them) instead of refusing it. */
static int shard_check(const char *path, const struct pki_buf *shard, bool *v1)
{
	struct pki_table *tb = NULL;
	int rc;

	rc = pki_registry_parse(&tb, path, shard->ptr, shard->len, v1);
	pki_table_free(tb);
	return rc;
}

/*
 * A shard of the old width takes a row with a medium only once it has the
 * column: its header gains "medium" and each of its rows an empty field
 * (every record is one line, csv.c).  Each row reads as it did: the audit
 * compares rows by their fields.  Otherwise the shard keeps its width, so
 * that clones of older pki that append to it still merge as a union.
 */
static int upgrade(struct pki_buf *shard)
{
	struct pki_buf nw = PKI_BUF_INIT;
	const char *p = shard->ptr, *end = shard->ptr + shard->len, *nl;
	size_t n;
	int rc;

	if ((rc = pki_csv_row(&nw, pki_registry_header, PKI_REGISTRY_NCOLS)) < 0)
		goto out;
	if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
		p = end;
	else
		p = nl + 1;
	for (; p < end && rc == 0; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end - 1;	/* shard_open: the last line ends */
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if ((rc = pki_buf_add(&nw, p, n)) < 0 || (rc = pki_buf_add(&nw, ",", 1)) < 0 ||
		    (rc = pki_buf_add(&nw, p + n, (size_t)(nl - p) + 1 - n)) < 0)
			break;
	}
	if (rc == 0) {
		pki_buf_release(shard);
		*shard = nw;
		memset(&nw, 0, sizeof(nw));
	}
out:
	pki_buf_release(&nw);
	return rc;
}

/* The shard of when, as the transaction has it (a header alone when it is
 * new), checked, its last line ended; *v1 when it has the old width. */
static int shard_open(struct pki_txn *t, time_t when, char path[32], struct pki_buf *shard,
		      bool *v1)
{
	size_t head;
	int rc;

	*v1 = false;
	pki_registry_shard(when, path);
	rc = pki_txn_read(t, path, PKI_SHARD_MAX, shard);
	if (rc == -PKI_ENOINPUT) {
		pki_buf_reset(shard);
		rc = pki_csv_row(shard, pki_registry_header, PKI_REGISTRY_NCOLS);
	} else if (rc == 0 && (rc = shard_check(path, shard, v1)) == 0 &&
		   shard->len > 0 && shard->ptr[shard->len - 1] != '\n') {
		/* Someone's editor dropped the last line break: put back the
		 * one the file's header ends with (CRLF in old shards). */
		head = strcspn(shard->ptr, "\n");
		rc = head > 0 && head < shard->len && shard->ptr[head - 1] == '\r' ?
		     pki_buf_add(shard, "\r\n", 2) : pki_buf_add(shard, "\n", 1);
	}
	return rc;
}

int pki_registry_rows_csv(struct pki_buf *out, time_t when, struct pki_row *rows, size_t n)
{
	char now[PKI_TIME_LEN];
	size_t i;
	int rc = 0;

	pki_time_format(when, now);
	for (i = 0; i < n && rc == 0; i++)
		rc = add_row(out, &rows[i], now, PKI_REGISTRY_NCOLS);
	return rc;
}

/* Rows made by pki_registry_rows_csv are of the full width: a shard of
 * the old width is brought to it first. */
int pki_registry_append_csv(struct pki_txn *t, time_t when, const char *csv, size_t len)
{
	struct pki_buf shard = PKI_BUF_INIT;
	char path[32];
	bool v1;
	int rc;

	if ((rc = shard_open(t, when, path, &shard, &v1)) == 0 && v1)
		rc = upgrade(&shard);
	if (rc == 0 && shard.len + len > PKI_SHARD_MAX)
		rc = pki_error(PKI_EDATA, "%s: would grow over %d bytes", path, PKI_SHARD_MAX);
	if (rc == 0)
		rc = pki_buf_add(&shard, csv, len);
	if (rc == 0)
		rc = pki_txn_put(t, path, shard.ptr, shard.len);
	pki_buf_release(&shard);
	return rc;
}

int pki_registry_append(struct pki_txn *t, time_t when, struct pki_row *rows, size_t n)
{
	struct pki_buf shard = PKI_BUF_INIT;
	char path[32], now[PKI_TIME_LEN];
	size_t i, ncols = PKI_REGISTRY_NCOLS;
	bool v1 = false, medium = false;
	int rc;

	pki_time_format(when, now);
	for (i = 0; i < n; i++)
		medium |= rows[i].f[PKI_COL_MEDIUM] != NULL && rows[i].f[PKI_COL_MEDIUM][0] != '\0';
	rc = shard_open(t, when, path, &shard, &v1);
	if (rc == 0 && v1 && medium)
		rc = upgrade(&shard);
	else if (v1)
		ncols = PKI_REGISTRY_NCOLS_V1;
	for (i = 0; i < n && rc == 0; i++)
		rc = add_row(&shard, &rows[i], now, ncols);
	if (rc == 0)
		rc = pki_txn_put(t, path, shard.ptr, shard.len);
	pki_buf_release(&shard);
	return rc;
}

/* --- reading --- */

/* "2026-03.csv": the month it holds, [*start, *end). */
static bool shard_month(const char *name, time_t *start, time_t *end)
{
	struct tm tm = { 0 };
	int y, m, len = 0;

	if (sscanf(name, "%4d-%2d.csv%n", &y, &m, &len) != 2 || len != 11 ||
	    name[len] != '\0' || name[4] != '-' || y < 1970 || m < 1 || m > 12)
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = 1;
	*start = timegm(&tm);
	tm.tm_mon++;
	*end = timegm(&tm);
	return true;
}

static bool shard_wanted(const struct pki_registry_filter *f, time_t start, time_t end)
{
	time_t first = 0;
	struct pki_product_id id;
	struct tm tm = { 0 };

	if (f->product != NULL && pki_product_id_parse(f->product, &id) == 0) {
		/* An ID of YYYY: nothing of it before YYYY. */
		tm.tm_year = id.year - 1900;
		tm.tm_mday = 1;
		first = timegm(&tm);
	}
	if (end <= first || (f->since != 0 && end <= f->since))
		return false;
	return f->until == 0 || start < f->until;
}

struct entry {
	const char *time;
	size_t row;
};

/* By time, then by position: a stable sort with qsort. */
static int by_time(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->time, y->time);

	if (c != 0)
		return c;
	return x->row < y->row ? -1 : x->row > y->row;
}

static int row_matches(const struct pki_registry_filter *f, const char *path,
		       const struct pki_table *tb, size_t row, bool *match)
{
	const char *time = pki_table_get(tb, row, PKI_COL_TIME);
	time_t at;

	*match = false;
	if (pki_time_parse("time", time, &at) < 0)
		return pki_error_wrap(PKI_EDATA, "%s: line %zu", path, row + 2);
	if ((f->product != NULL && strcmp(f->product, pki_table_get(tb, row, PKI_COL_PRODUCT)) != 0) ||
	    (f->action != NULL && strcmp(f->action, pki_table_get(tb, row, PKI_COL_ACTION)) != 0) ||
	    (f->since != 0 && at < f->since) || (f->until != 0 && at >= f->until))
		return 0;
	*match = true;
	return 0;
}

static int scan_table(const struct pki_registry_filter *f, const char *path,
		      const struct pki_table *tb, pki_registry_fn fn, void *arg)
{
	struct entry *order;
	size_t i;
	bool match;
	int rc = 0;

	if ((order = calloc(tb->nrows ? tb->nrows : 1, sizeof(*order))) == NULL)
		return pki_error(PKI_EINTERNAL, "registry: out of memory");
	for (i = 0; i < tb->nrows; i++) {
		order[i].time = pki_table_get(tb, i, PKI_COL_TIME);
		order[i].row = i;
	}
	qsort(order, tb->nrows, sizeof(*order), by_time);
	for (i = 0; i < tb->nrows && rc == 0; i++) {
		if ((rc = row_matches(f, path, tb, order[i].row, &match)) == 0 && match)
			rc = fn(arg, (const char *const *)&tb->cells[order[i].row * tb->ncols]);
	}
	free(order);
	return rc;
}

static int scan_shard(struct pki_repo *r, const struct pki_registry_filter *f,
		      const char *name, pki_registry_fn fn, void *arg)
{
	struct pki_buf data = PKI_BUF_INIT, path = PKI_BUF_INIT;
	struct pki_table *tb = NULL;
	int rc;

	if ((rc = pki_buf_printf(&path, PKI_REGISTRY_DIR "/%s", name)) == 0 &&
	    (rc = pki_repo_read(r, path.ptr, PKI_SHARD_MAX, &data)) == 0 &&
	    (rc = pki_registry_parse(&tb, path.ptr, data.ptr, data.len, NULL)) == 0)
		rc = scan_table(f, path.ptr, tb, fn, arg);
	pki_table_free(tb);
	pki_buf_release(&data);
	pki_buf_release(&path);
	return rc;
}

int pki_registry_scan(struct pki_repo *r, const struct pki_registry_filter *f,
		      pki_registry_fn fn, void *arg)
{
	char **names = NULL;
	time_t start, end;
	size_t n, i;
	int rc;

	/* Git sorts the names, so the shards come in month order. */
	if ((rc = pki_repo_list(r, PKI_REGISTRY_DIR, &names, &n)) < 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++)
		if (shard_month(names[i], &start, &end) && shard_wanted(f, start, end))
			rc = scan_shard(r, f, names[i], fn, arg);
	pki_strv_free(names);
	return rc;
}

static int seen(void *arg, const char *const *fields)
{
	*(bool *)arg = true;
	return 1;	/* one is enough */
}

int pki_registry_known(struct pki_repo *r, const char *id)
{
	struct pki_registry_filter f = { id, NULL, 0, 0 };
	char path[PKI_PRODUCT_PATH_MAX];
	struct pki_buf label = PKI_BUF_INIT;
	bool found = false;
	int rc;

	if ((rc = pki_registry_scan(r, &f, seen, &found)) < 0)
		return rc;
	if (found)
		return 0;
	/* Every filing records a row; a label alone still names a product. */
	if ((rc = pki_product_path(id, "xml", path)) == 0 &&
	    (rc = pki_repo_read(r, path, PKI_LABEL_MAX, &label)) == -PKI_ENOINPUT)
		rc = pki_error(PKI_ENOINPUT, "no product '%s'", id);
	pki_buf_release(&label);
	return rc;
}
