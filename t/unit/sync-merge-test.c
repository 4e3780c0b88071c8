/* sync-merge-test.c: the semantic merge's pure parts: tables with their
 * own header, registry shards as unions, rows compared as sets,
 * distribution lists and labels merged three ways. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "label.h"
#include "policy.h"
#include "sync-merge.h"
#include "table-merge.h"
#include "tap.h"

#define R "event,action\n"

static struct pki_merge3 texts(const char *b, const char *o, const char *t)
{
	return (struct pki_merge3){ b, o, t, strlen(b), strlen(o), strlen(t) };
}

/* The keys of a merged table's rows, "k1;k2;" (unquoted). */
static char *keys(const struct pki_buf *out)
{
	char *s = calloc(1, out->len + 2), *q = s;
	const char *p = out->len > 0 ? memchr(out->ptr, '\n', out->len) : NULL;
	bool key = true;

	if (s == NULL || p == NULL)
		return s;
	for (p++; p < out->ptr + out->len; p++) {
		if (*p == '\n') {
			*q++ = ';';
			key = true;
		} else if (*p == ',') {
			key = false;
		} else if (key && *p != '"' && *p != '\r') {
			*q++ = *p;
		}
	}
	return s;
}

static void union_check(const char *name, const char *o, const char *t, const char *want,
			size_t want_conflicts)
{
	struct pki_merge3 in = texts("", o, t);
	struct pki_buf out = PKI_BUF_INIT;
	char first[PKI_MERGE_KEY_MAX], *got;
	size_t conflicts = 99;

	ok(pki_table_union(&out, "registry/2026-03.csv", &in, &conflicts, first) == 0,
	   "%s: merged", name);
	got = keys(&out);
	is_str(got, want, "%s: rows", name);
	is_int((int)conflicts, (int)want_conflicts, "%s: conflicts", name);
	free(got);
	pki_buf_release(&out);
}

static int same_rows(const char *a, const char *b, bool *same)
{
	return pki_table_same_rows("r.csv", a, strlen(a), b, strlen(b), same);
}

static void tables(void)
{
	struct pki_buf out = PKI_BUF_INIT;
	struct pki_merge3 in;
	char first[PKI_MERGE_KEY_MAX], names[PKI_MERGE_COLS_MAX][PKI_MERGE_KEY_MAX], *got;
	size_t conflicts, n;
	bool same;

	ok(pki_table_header("t.csv", "\"ir\",\"kind\",\"owner\"\r\nx", 23, names, &n) == 0 &&
	   n == 3 && strcmp(names[2], "owner") == 0, "a quoted header read");
	in = texts("ir,kind\nA,pir\nB,sir\n", "ir,kind\nA,pir\nB,eei\n",
		   "ir,kind\nA,sir\nB,sir\nC,pir\n");
	ok(pki_table_merge3_any(&out, "requirements.csv", &in, &conflicts, first) == 0 &&
	   conflicts == 0, "a table pki does not know by name merges row by row");
	got = keys(&out);
	is_str(got, "A;B;C;", "its rows: ours, then theirs' new one");
	free(got);
	ok(strstr(out.ptr, "A,sir") != NULL || strstr(out.ptr, "\"A\",\"sir\"") != NULL,
	   "theirs' change to A taken");
	in = texts("ir,kind\nA,pir\n", "ir,kind\nA,sir\n", "ir,kind\nA,eei\n");
	ok(pki_table_merge3_any(&out, "requirements.csv", &in, &conflicts, first) == 0 &&
	   conflicts == 1 && strcmp(first, "A") == 0, "one row changed differently: a conflict");
	in = texts("", "ir,kind\nA,pir\n", "ir,owner\nA,pir\n");
	ok(pki_table_merge3_any(&out, "requirements.csv", &in, &conflicts, first) == -PKI_EDATA,
	   "two headers: refused");
	pki_error_clear();

	union_check("both appended", R "e1,classify\ne2,share\n", R "e1,classify\ne3,share\n",
		    "e1;e2;e3;", 0);
	union_check("theirs is behind", R "e1,classify\ne2,share\n", R "e1,classify\n",
		    "e1;e2;", 0);
	union_check("a new shard on both sides", R "e2,share\n", R "e3,revoke\n", "e2;e3;", 0);
	union_check("one event, two rows", R "e1,classify\n", R "e1,share\n", "e1;", 1);

	ok(same_rows(R "e1,a\ne2,b\n", R "\"e2\",\"b\"\n\"e1\",\"a\"\n", &same) == 0 && same,
	   "the same rows, another order and quoting");
	ok(same_rows(R "e1,a\ne2,b\n", R "e1,a\n", &same) == 0 && !same, "a row dropped");
	ok(same_rows(R "e1,a\n", R "e1,a\ne1,a\n", &same) == 0 && !same, "a row doubled");
	pki_buf_release(&out);
}

static char *join(const struct pki_names *l)
{
	struct pki_buf b = PKI_BUF_INIT;
	size_t i;

	for (i = 0; i < l->n; i++)
		(void)pki_buf_printf(&b, "%s;", l->v[i]);
	(void)pki_buf_add(&b, "", 1);
	return b.ptr;
}

#define S "event,time,action,product,recipient\n"

static void list_check(const char *name, const char *march, const char *april,
		       const char *want)
{
	static char p1[] = "P1";
	char *ids[] = { p1 }, *got;
	struct pki_list_rows rows = { 0 };
	struct pki_names out = { 0 };
	bool any = false;

	ok(pki_list_rows_add(&rows, "registry/2026-04.csv", april, strlen(april), ids, 1) == 0 &&
	   pki_list_rows_add(&rows, "registry/2026-03.csv", march, strlen(march), ids, 1) == 0 &&
	   pki_list_implied(&out, &rows, "P1", &any) == 0, "%s: read", name);
	got = any ? join(&out) : NULL;
	is_str(got, want, "%s", name);
	free(got);
	pki_names_release(&out);
	pki_list_rows_release(&rows);
}

static void lists(void)
{
	list_check("classify, then a share on each side (rows in file order)",
		   S "e1,2026-03-01T09:00:00Z,classify,P1,hom;jmac\n"
		     "e3,2026-03-01T09:02:00Z,share,P1,police\n"
		     "e2,2026-03-01T09:01:00Z,share,P1,fc\n"
		     "e9,2026-03-01T09:03:00Z,share,P2,undss\n", S,
		   "fc;hom;jmac;police;");
	list_check("a revoke after a share, whatever the file order",
		   S "e1,2026-03-01T09:00:00Z,classify,P1,hom;jmac\n"
		     "e3,2026-03-01T09:05:00Z,revoke,P1,fc\n"
		     "e2,2026-03-01T09:01:00Z,share,P1,fc\n", S,
		   "hom;jmac;");
	list_check("a share after a revoke: on the list",
		   S "e1,2026-03-01T09:00:00Z,classify,P1,hom;jmac;fc\n"
		     "e3,2026-03-01T09:05:00Z,share,P1,fc\n"
		     "e2,2026-03-01T09:01:00Z,revoke,P1,fc\n", S,
		   "fc;hom;jmac;");
	list_check("a reclassification gives the whole list; shards in time order",
		   S "e1,2026-03-01T09:00:00Z,classify,P1,hom;jmac\n"
		     "e2,2026-03-01T09:01:00Z,share,P1,fc\n",
		   S "e4,2026-04-01T09:00:00Z,share,P1,police\n"
		     "e3,2026-04-01T08:00:00Z,reclassify,P1,hom;jmac;chair\n",
		   "chair;hom;jmac;police;");
	list_check("no row gives the list", S "e2,2026-03-01T09:01:00Z,share,P1,fc\n", S, NULL);
}

static void labels(void)
{
	struct pki_label b = { 0 }, o = { 0 }, t = { 0 };
	static char hom[] = "hom", fc[] = "fc", police[] = "police";
	char *rb[] = { hom }, *ro[] = { hom, fc }, *rt[] = { hom, police };

	b.level = o.level = t.level = PKI_LEVEL_CONFIDENTIAL;
	b.review = o.review = 100;
	t.review = 200;	/* theirs reviewed */
	b.recipients = rb;
	b.nrecipients = 1;
	o.recipients = ro;
	o.nrecipients = 2;
	t.recipients = rt;
	t.nrecipients = 2;
	is_int((int)pki_label_merge3(&o, &b, &t), 0, "a review there, a share here: no conflict");
	ok(o.review == 200 && t.review == 100, "theirs' review taken into ours");
	ok(o.nrecipients == 2 && strcmp(o.recipients[1], "fc") == 0, "the list left alone");
	o.level = PKI_LEVEL_STRICTLY_CONFIDENTIAL;
	t.level = PKI_LEVEL_UNCLASSIFIED;
	is_int((int)pki_label_merge3(&o, &b, &t), PKI_LF_LEVEL,
	       "reclassified here, declassified there: a conflict on the level");
	t.level = PKI_LEVEL_STRICTLY_CONFIDENTIAL;
	is_int((int)pki_label_merge3(&o, &b, &t), 0, "the same reclassification on both sides");
}

static void kinds(void)
{
	char id[64];

	ok(pki_merge_kind_of("registry/2026-03.csv") == PKI_MERGE_REGISTRY, "a shard");
	ok(pki_merge_kind_of("access-matrix.csv") == PKI_MERGE_TABLE, "a root table");
	ok(pki_merge_kind_of("requirements.csv") == PKI_MERGE_TABLE, "another root table");
	ok(pki_merge_kind_of("products/JMAC-2026-000/UNMISS-JMAC-2026-000001.gpg") ==
	   PKI_MERGE_PRODUCT, "a ciphertext");
	ok(pki_merge_product_id("products/JMAC-BOR-2026-000/UNMISS-JMAC-BOR-2026-000001.xml",
				id, sizeof(id)) &&
	   strcmp(id, "UNMISS-JMAC-BOR-2026-000001") == 0, "a label's product ID");
	ok(pki_merge_kind_of("keys/ABC.asc") == PKI_MERGE_OTHER, "a key: only when both agree");
	ok(pki_merge_kind_of("registry/x/2026-03.csv") == PKI_MERGE_OTHER, "not a shard");
}

int main(void)
{
	tables();
	lists();
	labels();
	kinds();
	return done_testing();
}
