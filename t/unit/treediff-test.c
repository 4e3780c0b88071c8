/* treediff-test: pki_repo_diff, which walks only the subtrees that
 * differ, against stock `git diff-tree -r` on a history with every kind
 * of change a tree can see (modified, added, deleted, a file becoming a
 * directory and back, a mode change, a symbolic link, deep additions). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "repo.h"
#include "tap.h"

static const char history[] =
	"set -e; cd \"$0\"; exec >/dev/null 2>&1\n"
	"git init -q -b main .\n"
	"git config user.name t; git config user.email t@t.invalid\n"
	"git config commit.gpgsign false\n"
	"printf '[mission]\\n\\tcode = T\\n' >pki.conf\n"
	"mkdir -p a/b c; echo 1 >a/b/f; echo 2 >a/g; echo 3 >c/h; echo 4 >top\n"
	"git add -A; git commit -qm 1\n"
	"echo 5 >a/b/f; rm c/h; mkdir c/h; echo 6 >c/h/i; chmod +x a/g\n"
	"git add -A; git commit -qm 2\n"
	"rm -r a; echo 7 >a; echo 9 >a-z; git add -A; git commit -qm 3\n"
	"mkdir -p d/e/f; echo 8 >d/e/f/g; echo 8 >d/e/f/h; ln -s top link\n"
	"git add -A; git commit -qm 4\n"
	"rm -r d link; echo 10 >top; git add -A; git commit -qm 5\n";

/* What git says, one "path old new" line a file, IDs "" when absent. */
static int git_says(const char *dir, const char *parent, const char *commit,
		    struct pki_buf *out)
{
	char cmd[512], line[1024], old[41], new[41], path[512];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "git -C '%s' diff-tree -r --no-renames --no-commit-id "
		 "--raw --abbrev=40 %s %s %s", dir, parent ? "" : "--root",
		 parent ? parent : "", commit);
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), p) != NULL)
		if (sscanf(line, ":%*o %*o %40s %40s %*s %511[^\n]", old, new, path) == 3)
			pki_buf_printf(out, "%s %s %s\n", path,
				       strspn(old, "0") == 40 ? "" : old,
				       strspn(new, "0") == 40 ? "" : new);
	return pclose(p) == 0 ? 0 : -1;
}

static int pki_says(struct pki_repo *r, const char *parent, const char *commit,
		    struct pki_buf *out)
{
	struct pki_delta *d = NULL;
	size_t n = 0, i;

	if (pki_repo_diff(r, parent, commit, &d, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		pki_buf_printf(out, "%s %s %s\n", d[i].path, d[i].old_id, d[i].new_id);
	pki_deltas_free(d, n);
	return 0;
}

int main(void)
{
	char dir[] = "/tmp/pki-treediff.XXXXXX", cmd[256], ids[8][41];
	struct pki_repo *r = NULL;
	FILE *p;
	int n = 0, i;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return done_testing();
	}
	/* sh -c SCRIPT DIR: the script runs with $0 = DIR. */
	snprintf(cmd, sizeof(cmd), "sh -c \"$PKI_TREEDIFF\" '%s'", dir);
	if (setenv("PKI_TREEDIFF", history, 1) < 0) {
		ok(0, "setenv");
		return done_testing();
	}
	ok(system(cmd) == 0, "a history built with stock git");
	snprintf(cmd, sizeof(cmd), "git -C '%s' rev-list --reverse main", dir);
	if ((p = popen(cmd, "r")) != NULL) {
		while (n < 8 && fscanf(p, "%40s", ids[n]) == 1)
			n++;
		pclose(p);
	}
	is_int(n, 5, "five commits");
	ok(pki_repo_open(&r, dir, 0) == 0, "opened");
	for (i = 0; r != NULL && i < n; i++) {
		struct pki_buf want = PKI_BUF_INIT, got = PKI_BUF_INIT;
		const char *parent = i > 0 ? ids[i - 1] : NULL;

		ok(git_says(dir, parent, ids[i], &want) == 0, "git diff-tree of commit %d", i + 1);
		ok(pki_says(r, parent, ids[i], &got) == 0, "pki_repo_diff of commit %d", i + 1);
		is_str(got.ptr ? got.ptr : "", want.ptr ? want.ptr : "",
		       "commit %d: the same files, in the same order", i + 1);
		pki_buf_release(&want);
		pki_buf_release(&got);
	}
	pki_repo_free(r);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ok(system(cmd) == 0, "cleaned up");
	return done_testing();
}
