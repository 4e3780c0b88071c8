/* table-merge-test.c: the three-way merge of a keyed table. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "table-merge.h"
#include "tap.h"

static const char *const head[] = { "key", "value" };

#define H "key,value\n"

/* Merge texts; the result as plain "k=v;" pairs, for comparing. */
static char *merge(const char *base, const char *ours, const char *theirs, size_t *conflicts,
		   char first[PKI_MERGE_KEY_MAX])
{
	struct pki_merge3 in = { base, ours, theirs, strlen(base), strlen(ours), strlen(theirs) };
	struct pki_buf out = PKI_BUF_INIT;
	char *s = NULL, *p, *q;

	if (pki_table_merge3(&out, "t.csv", head, 2, &in, conflicts, first) < 0)
		return NULL;
	if (pki_buf_add(&out, "", 1) < 0 || (s = calloc(1, out.len + 1)) == NULL)
		goto out;
	/* "\"key\",\"value\"\r\n\"a\",\"1\"\r\n" -> "a=1;" */
	for (p = strchr(out.ptr, '\n') + 1, q = s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\r')
			continue;
		*q++ = *p == ',' ? '=' : *p == '\n' ? ';' : *p;
	}
out:
	pki_buf_release(&out);
	return s;
}

static void check(const char *name, const char *base, const char *ours, const char *theirs,
		  const char *want, size_t want_conflicts, const char *want_first)
{
	char first[PKI_MERGE_KEY_MAX];
	size_t conflicts = 99;
	char *got = merge(base, ours, theirs, &conflicts, first);

	is_str(got, want, "%s: rows", name);
	is_int((int)conflicts, (int)want_conflicts, "%s: conflicts", name);
	if (want_first != NULL)
		is_str(first, want_first, "%s: the first conflict named", name);
	free(got);
}

int main(void)
{
	char first[PKI_MERGE_KEY_MAX];
	size_t conflicts;

	check("nothing changed", H "a,1\nb,2\n", H "a,1\nb,2\n", H "a,1\nb,2\n", "a=1;b=2;", 0, NULL);
	check("only theirs changed a row", H "a,1\nb,2\n", H "a,1\nb,2\n", H "a,1\nb,3\n",
	      "a=1;b=3;", 0, NULL);
	check("only ours changed a row", H "a,1\nb,2\n", H "a,9\nb,2\n", H "a,1\nb,2\n",
	      "a=9;b=2;", 0, NULL);
	check("each side changed another row", H "a,1\nb,2\n", H "a,9\nb,2\n", H "a,1\nb,3\n",
	      "a=9;b=3;", 0, NULL);
	check("both made the same change", H "a,1\n", H "a,2\n", H "a,2\n", "a=2;", 0, NULL);
	check("each side added a row: ours first, then theirs", H "a,1\n", H "a,1\nc,3\n",
	      H "a,1\nb,2\n", "a=1;c=3;b=2;", 0, NULL);
	check("theirs removed a row ours kept", H "a,1\nb,2\n", H "a,1\nb,2\n", H "a,1\n",
	      "a=1;", 0, NULL);
	check("ours removed a row theirs kept", H "a,1\nb,2\n", H "a,1\n", H "a,1\nb,2\n",
	      "a=1;", 0, NULL);
	check("both changed a row differently: ours kept", H "a,1\nb,2\n", H "a,1\nb,5\n",
	      H "a,1\nb,6\n", "a=1;b=5;", 1, "b");
	check("ours changed what theirs removed", H "a,1\nb,2\n", H "a,1\nb,5\n", H "a,1\n",
	      "a=1;b=5;", 1, "b");
	check("ours removed what theirs changed", H "a,1\nb,2\n", H "a,1\n", H "a,1\nb,6\n",
	      "a=1;", 1, "b");
	check("both added one key differently", "", H "x,1\n", H "x,2\n", "x=1;", 1, "x");
	check("no file anywhere", "", "", "", "", 0, NULL);
	{
		static const char ours[] = H "a,1\n", theirs[] = "key\n";
		struct pki_merge3 in = { "", ours, theirs, 0, strlen(ours), strlen(theirs) };
		struct pki_buf out = PKI_BUF_INIT;

		ok(pki_table_merge3(&out, "t.csv", head, 2, &in, &conflicts, first) == -PKI_EDATA,
		   "a side that does not parse is refused");
		pki_buf_release(&out);
	}
	return done_testing();
}
