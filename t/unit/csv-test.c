/* csv-test.c: strict reading and injection-safe writing of CSV. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "error.h"
#include "tap.h"

static const char *const head[] = { "id", "name", "note" };

static struct pki_table *parse(const char *data, int *rc)
{
	struct pki_table *t = NULL;

	*rc = pki_table_parse(&t, "t.csv", data, strlen(data), head, 3);
	return t;
}

/* Parse data, expect a refusal whose message contains msg. */
static void refused(const char *data, size_t len, const char *msg, const char *name)
{
	struct pki_table *t = (struct pki_table *)1;
	int rc = pki_table_parse(&t, "t.csv", data, len, head, 3);

	is_int(rc, -PKI_EDATA, "refused: %s", name);
	ok(t == NULL, "no table: %s", name);
	ok(strstr(pki_error_last(), msg) != NULL, "message has '%s': %s", msg,
	   pki_error_last());
}

static void test_read(void)
{
	struct pki_table *t;
	size_t i;
	int rc;

	t = parse("id,name,note\n1,fc,\n2,\"a, \"\"b\"\"\",\" x \"\n", &rc);
	is_int(rc, 0, "parse");
	if (t == NULL)
		return;
	is_int(t->nrows, 2, "two rows");
	is_int(t->ncols, 3, "three columns");
	is_str(pki_table_get(t, 0, 1), "fc", "a field");
	is_str(pki_table_get(t, 0, 2), "", "an empty field is \"\"");
	is_str(pki_table_get(t, 1, 1), "a, \"b\"", "quotes and commas");
	is_str(pki_table_get(t, 1, 2), " x ", "spaces kept inside quotes");
	for (i = 0; i < t->nrows * t->ncols; i++)
		if (t->cells[i] < t->store || t->cells[i] > t->store + 64)
			break;
	is_int(i, 6, "every cell lies in the one store");
	pki_table_free(t);

	t = parse("\"id\",\"name\",\"note\"\r\n\"1\",\"fc\",\"\"\r\n 2 , b ,c", &rc);
	is_int(rc, 0, "CRLF, quoted header, no final line end");
	if (t != NULL) {
		is_int(t->nrows, 2, "two rows");
		is_str(pki_table_get(t, 1, 0), " 2 ", "spaces around unquoted fields kept");
		is_str(pki_table_get(t, 1, 2), "c", "last field without line end");
	}
	pki_table_free(t);

	t = parse("id,name,note\n1,a,b\r\n2,c,d\n", &rc);
	ok(rc == 0 && t != NULL && t->nrows == 2, "mixed LF and CRLF");
	pki_table_free(t);
	t = parse("", &rc);
	ok(rc == 0 && t != NULL && t->nrows == 0 && t->ncols == 3, "empty input: empty table");
	pki_table_free(t);
	t = parse("id,name,note\n", &rc);
	ok(rc == 0 && t != NULL && t->nrows == 0, "header only: no rows");
	pki_table_free(t);
	t = parse("id,name,note\n1,é — ü,\"日本\"\n", &rc);
	ok(rc == 0 && t != NULL && strcmp(pki_table_get(t, 0, 2), "日本") == 0, "UTF-8");
	pki_table_free(t);
}

static void test_refusals(void)
{
	char *big;
	size_t n;

	refused("id,name\n1,2\n", 12, "t.csv: line 1: expected the header 'id,name,note'",
		"a missing column");
	refused("id,name,note,x\n", 15, "line 1: expected the header", "an extra column");
	refused("id,nom,note\n", 12, "line 1: expected the header", "a wrong name");
	refused("ID,name,note\n", 13, "line 1: expected the header", "case matters");
	refused("\xef\xbb\xbfid,name,note\n", 16, "line 1: expected the header", "a BOM");
	refused("id,name,note\n1,2\n", 17, "t.csv: line 2: expected 3 fields, found 2",
		"a short row");
	refused("id,name,note\n1,2,3\n1,2,3,4\n", 25, "line 3: expected 3 fields, found 4",
		"a long row");
	refused("id,name,note\n1,2,\"3\n", 20, "line 2: unterminated quoted field",
		"an unterminated quote");
	refused("id,name,note\n1,2,\"3\n4\"\n", 23, "line 2: unterminated",
		"a field across lines");
	refused("id,name,note\n1,a\"b,3\n", 21, "line 2: misplaced quote", "a quote inside");
	refused("id,name,note\n1,\"a\"b,3\n", 22, "line 2: misplaced quote",
		"text after a closing quote");
	refused("id,name,note\n1,\"a\" ,3\n", 22, "line 2: misplaced quote",
		"a space after a closing quote");
	refused("id,name,note\n1,a\0b,3\n", 21, "line 2: NUL byte", "a NUL byte");
	refused("id,name,note\n1,\xc3\x28,3\n", 21, "line 2: name is not valid UTF-8",
		"invalid UTF-8");
	refused("id,name,note\n1,\xc0\xaf,3\n", 21, "line 2: name is not valid UTF-8",
		"an overlong sequence");
	refused("id,name,note\n1,a\tb,3\n", 21, "line 2: name contains a control character",
		"a TAB");
	refused("id,name,note\n1,\"a\tb\",3\n", 23, "line 2: name contains a control",
		"a quoted TAB");
	refused("id,name,note\n1,a\rb,3\n", 21, "line 2: carriage return", "a stray CR");
	refused("id,name,note\r\r\n", 15, "line 1: carriage return", "CR CR LF");
	refused("id,name,note\n\n1,2,3\n", 20, "line 2: empty line", "a blank line");
	refused("id,name,note\n1,2,3\n\n", 20, "line 3: empty line", "a final blank line");
	refused("id,name,note\n1,2,3\n\r\n", 21, "line 3: empty line", "a blank CRLF line");

	n = 13 + 4 + PKI_CSV_MAX_FIELD + 3;
	if ((big = malloc(n + 2)) == NULL)
		return;
	memcpy(big, "id,name,note\n1,", 15);
	memset(big + 15, 'x', PKI_CSV_MAX_FIELD);
	memcpy(big + 15 + PKI_CSV_MAX_FIELD, ",3\n", 4);
	{
		struct pki_table *t = NULL;

		is_int(pki_table_parse(&t, "t.csv", big, strlen(big), head, 3), 0,
		       "a field of PKI_CSV_MAX_FIELD bytes");
		pki_table_free(t);
	}
	memcpy(big + 15 + PKI_CSV_MAX_FIELD, "x,3\n", 5);
	refused(big, strlen(big), "line 2: name is longer than 4096 bytes", "a field too long");
	free(big);

	n = 13 + 3 * 2 * (2 * PKI_CSV_MAX_FIELD + 4);
	if ((big = malloc(n + 1)) == NULL)
		return;
	memcpy(big, "id,name,note\n", 13);
	memset(big + 13, '"', n - 13);
	big[n] = '\0';
	refused(big, n, "line 2: the line is longer than", "a line too long");
	free(big);
}

static void test_rows_limit(void)
{
	static const char *const one[] = { "x" };
	struct pki_table *t = NULL;
	size_t n = 2 + 2 * (PKI_CSV_MAX_ROWS + 1), i;
	char *data;
	int rc;

	if ((data = malloc(n)) == NULL)
		return;
	memcpy(data, "x\n", 2);
	for (i = 2; i < n; i += 2)
		memcpy(data + i, "1\n", 2);
	rc = pki_table_parse(&t, "big.csv", data, n - 2, one, 1);
	ok(rc == 0 && t != NULL && t->nrows == PKI_CSV_MAX_ROWS, "PKI_CSV_MAX_ROWS rows");
	pki_table_free(t);
	rc = pki_table_parse(&t, "big.csv", data, n, one, 1);
	is_int(rc, -PKI_EDATA, "one row more refused");
	is_str(pki_error_last(), "big.csv: more than 1000000 rows", "message");
	free(data);
}

/* What the reader would refuse is not written: a file always reads back. */
static void test_write_refusals(struct pki_buf *b)
{
	const char *f[2] = { "ok", NULL };
	struct pki_table *t = NULL;
	static const char *const h2[] = { "a", "b" };
	char *big, *longer;
	size_t len = b->len;

	f[1] = "two\nlines";
	is_int(pki_csv_row(b, f, 2), -PKI_EUSAGE, "a line break is not written");
	is_str(pki_error_last(), "cannot write a CSV row: field 2 contains a control "
	       "character (U+000A at byte 4)", "message");
	is_int(b->len, len, "no half row is left behind");
	f[1] = "\xc3(";
	is_int(pki_csv_row(b, f, 2), -PKI_EUSAGE, "invalid UTF-8 is not written");
	if ((big = malloc(PKI_CSV_MAX_FIELD + 1)) == NULL)
		return;
	memset(big, 'x', PKI_CSV_MAX_FIELD);
	big[0] = '=';
	big[PKI_CSV_MAX_FIELD] = '\0';
	f[1] = big;
	pki_buf_reset(b);
	pki_csv_row(b, h2, 2);
	is_int(pki_csv_row(b, f, 2), 0, "a field of PKI_CSV_MAX_FIELD bytes");
	ok(pki_table_parse(&t, "w.csv", b->ptr, b->len, h2, 2) == 0 && t != NULL &&
	   strcmp(t->cells[1], big) == 0, "reads back whole");
	if ((longer = realloc(big, PKI_CSV_MAX_FIELD + 2)) != NULL) {
		big = longer;
		strcpy(big + PKI_CSV_MAX_FIELD, "x");
		f[1] = big;
		is_int(pki_csv_row(b, f, 2), -PKI_EUSAGE, "a field too long is not written");
	}
	pki_table_free(t);
	free(big);
}

static void test_write(void)
{
	static const char *const f[] = {
		"plain", "a,b", "say \"hi\"", "", " padded", "trailing ", "+ARR/2026",
		"'quoted", "日本", "UNMISS-JMAC-2026-000001",
	};
	static const char *const g[] = { "export", "hoststate", "fc;undss" };
	struct pki_buf b = PKI_BUF_INIT, again = PKI_BUF_INIT;
	struct pki_table *t = NULL;
	static const char *const h10[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j" };
	static const char *const one[] = { "a" };
	const char *empty[] = { "" };
	const char *old = "\"a\",\"b\",\"c\"\r\n"
			  "\"'=1\",\"'+ARR/2026\",\"''y\"\r\n"
			  "\"'-3\",\"'@x\",\"'x\"\r\n"
			  "'=1,'+2,''y\n";
	const char *cut = "\"a\",\"b\",\"c\"\r\n\"'=1\",\"x\",\"y\"";
	size_t i;
	int rc;

	is_int(pki_csv_row(&b, h10, 10), 0, "header row");
	is_int(pki_csv_row(&b, f, 10), 0, "row");
	is_str(b.ptr, "a,b,c,d,e,f,g,h,i,j\n"
	       "plain,\"a,b\",\"say \"\"hi\"\"\",,\" padded\",\"trailing \",+ARR/2026,"
	       "'quoted,日本,UNMISS-JMAC-2026-000001\n",
	       "quoted only for a comma, a quote or an outer space; values exact; LF");
	rc = pki_table_parse(&t, "w.csv", b.ptr, b.len, h10, 10);
	is_int(rc, 0, "what is written reads back");
	if (t != NULL) {
		for (i = 0; i < 10; i++)
			is_str(t->cells[i], f[i], "field %zu reads back as it was", i);
		pki_csv_row(&again, h10, 10);
		pki_csv_row(&again, (const char *const *)t->cells, 10);
		is_str(again.ptr, b.ptr, "writing what was read changes nothing");
	}
	pki_table_free(t);

	pki_buf_reset(&b);
	pki_buf_adds(&b, "keep\r\n");
	is_int(pki_csv_row(&b, g, 3), 0, "appends");
	is_str(b.ptr, "keep\r\nexport,hoststate,fc;undss\n",
	       "appended after what was there, which is untouched");

	pki_buf_reset(&b);
	pki_csv_row(&b, one, 1);
	is_int(pki_csv_row(&b, empty, 1), 0, "the empty only field of a row");
	is_str(b.ptr, "a\n\"\"\n", "is quoted: a row is never a blank line");
	t = NULL;
	ok(pki_table_parse(&t, "one.csv", b.ptr, b.len, one, 1) == 0 && t != NULL &&
	   t->nrows == 1 && strcmp(t->cells[0], "") == 0, "and reads back");
	pki_table_free(t);

	/* Rows the old writer wrote: CRLF, every field quoted, formulas and
	 * leading quotes marked with one more quote. */
	t = NULL;
	rc = pki_table_parse(&t, "old.csv", old, strlen(old), h10, 3);
	ok(rc == 0 && t != NULL && t->nrows == 3, "old rows and new rows in one file");
	if (t != NULL && t->nrows == 3) {
		is_str(t->cells[0], "=1", "old: the mark before = is taken off");
		is_str(t->cells[1], "+ARR/2026", "old: the mark before + is taken off");
		is_str(t->cells[2], "'y", "old: a doubled leading quote is one");
		is_str(t->cells[3], "-3", "old: the mark before - is taken off");
		is_str(t->cells[4], "@x", "old: the mark before @ is taken off");
		is_str(t->cells[5], "'x", "old: a quote the old writer never marked stays");
		is_str(t->cells[6], "'=1", "LF: a field reads as it stands");
		is_str(t->cells[7], "'+2", "LF: a leading quote is data");
		is_str(t->cells[8], "''y", "LF: two leading quotes are data");
	}
	pki_table_free(t);
	t = NULL;
	rc = pki_table_parse(&t, "cut.csv", cut, strlen(cut), h10, 3);
	ok(rc == 0 && t != NULL && strcmp(t->cells[0], "=1") == 0,
	   "an old file's last line without its CRLF is still old");
	pki_table_free(t);
	test_write_refusals(&b);
	pki_buf_release(&again);
	pki_buf_release(&b);
}

static void test_tsv(void)
{
	struct pki_buf b = PKI_BUF_INIT;
	const char *f[3] = { "a \"b\", c", "=1+2", "" };

	is_int(pki_tsv_row(&b, f, 3), 0, "tsv: a row");
	is_str(b.ptr, "a \"b\", c\t=1+2\t\n", "tsv: as they are, by tab, LF-ended");
	f[1] = "a\tb";
	is_int(pki_tsv_row(&b, f, 3), -PKI_EUSAGE, "tsv: a tab is not written");
	is_str(pki_error_last(), "cannot write a TSV row: field 2 contains a control "
	       "character (U+0009 at byte 2)", "tsv: message");
	f[1] = "two\nlines";
	is_int(pki_tsv_row(&b, f, 3), -PKI_EUSAGE, "tsv: a line break is not written");
	is_str(b.ptr, "a \"b\", c\t=1+2\t\n", "tsv: no half row is left behind");
	pki_buf_release(&b);
}

int main(void)
{
	test_read();
	test_refusals();
	test_rows_limit();
	test_write();
	test_tsv();
	return done_testing();
}
