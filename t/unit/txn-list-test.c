/* txn-list-test: pki_txn_list reports what a transaction staged below a
 * directory, not only beside it: a bucket directory made by a staged
 * product is listed, so that pki_product_next_id allocates distinct IDs
 * for several products staged in one transaction (a batch). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "product.h"
#include "repo.h"
#include "tap.h"

static const char history[] =
	"set -e; cd \"$0\"; exec >/dev/null 2>&1\n"
	"git init -q -b main .\n"
	"git config user.name t; git config user.email t@t.invalid\n"
	"git config commit.gpgsign false\n"
	"printf '[mission]\\n\\tcode = T\\n' >pki.conf\n"
	"mkdir -p products/E-2026-000; echo x >products/E-2026-000/T-E-2026-000001.xml\n"
	"git add -A; git commit -qm 1\n";

/* The names of dir, sorted, joined by spaces. */
static int listing(struct pki_txn *t, const char *dir, char *out, size_t size)
{
	char **names = NULL, *tmp;
	size_t n, i, j;

	if (pki_txn_list(t, dir, &names, &n) < 0)
		return -1;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			tmp = names[j - 1];
			names[j - 1] = names[j];
			names[j] = tmp;
		}
	out[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? " " : "", names[i]);
	pki_strv_free(names);
	return 0;
}

int main(void)
{
	char dir[] = "/tmp/pki-txnlist.XXXXXX", cmd[256], got[512], id[PKI_ID_MAX];
	char path[PKI_PRODUCT_PATH_MAX];
	struct pki_repo *r = NULL;
	struct pki_txn *t = NULL;
	time_t when = 1775000000;	/* 2026 */
	int i;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return done_testing();
	}
	snprintf(cmd, sizeof(cmd), "sh -c \"$PKI_TXNLIST\" '%s'", dir);
	if (setenv("PKI_TXNLIST", history, 1) < 0) {
		ok(0, "setenv");
		return done_testing();
	}
	ok(system(cmd) == 0, "a repository built with stock git");
	ok(pki_repo_open(&r, dir, 0) == 0, "opened");
	ok(r != NULL && pki_txn_begin(&t, r) == 0, "a transaction");
	if (t == NULL)
		return done_testing();
	ok(pki_txn_put(t, "products/F-2026-000/T-F-2026-000001.xml", "y", 1) == 0 &&
	   pki_txn_put(t, "products/E-2026-000/T-E-2026-000002.gpg", "z", 1) == 0 &&
	   pki_txn_put(t, "top", "t", 1) == 0, "staged below products and beside it");
	ok(listing(t, "products", got, sizeof(got)) == 0, "listed products");
	is_str(got, "E-2026-000 F-2026-000", "a staged bucket is listed, once each");
	ok(listing(t, "products/E-2026-000", got, sizeof(got)) == 0, "listed a bucket");
	is_str(got, "T-E-2026-000001.xml T-E-2026-000002.gpg", "tip and staged files");
	/* Three IDs in a new bucket of one transaction: distinct. */
	for (i = 1; i <= 3; i++) {
		ok(pki_product_next_id(t, "T", "G", NULL, when, id) == 0, "ID %d", i);
		snprintf(got, sizeof(got), "T-G-2026-%06d", i);
		is_str(id, got, "serial %d", i);
		ok(pki_product_path(id, "xml", path) == 0 && pki_txn_put(t, path, "l", 1) == 0,
		   "staged %s", id);
	}
	pki_txn_free(t);
	pki_repo_free(r);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ok(system(cmd) == 0, "cleaned up");
	return done_testing();
}
