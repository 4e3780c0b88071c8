/* archive-test: half-years, and the BagIt writer on a scratch directory. */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "error.h"
#include "policy.h"
#include "vocab.h"
#include "tap.h"

static time_t t_of(const char *s)
{
	time_t t = 0;

	if (pki_time_parse("t", s, &t) < 0)
		abort();
	return t;
}

static void test_parse(void)
{
	static const char *const bad[] = {
		"", "2026", "2026H", "2026H0", "2026H3", "2026h1", "26H1", "2026H1 ",
		" 2026H1", "2026H12", "1969H2", "0000H1", "+026H1", "2026-H1",
	};
	struct pki_period p;
	char s[PKI_PERIOD_LEN];
	size_t i;

	ok(pki_period_parse("2026H1", &p) == 0 && p.year == 2026 && p.half == 1, "2026H1");
	ok(pki_period_parse("1999H2", &p) == 0 && p.year == 1999 && p.half == 2, "1999H2");
	ok(pki_period_parse("9999H2", &p) == 0, "9999H2, the last");
	pki_period_format(&p, s);
	is_str(s, "9999H2", "formats back");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(pki_period_parse(bad[i], &p), -PKI_EUSAGE, "refused '%s'", bad[i]);
	ok(strstr(pki_error_last(), "expected YYYYH1") != NULL, "the message says what is expected");
}

static void test_bounds(void)
{
	struct pki_period p = { 2026, 1 }, q;
	time_t start, end;

	pki_period_bounds(&p, &start, &end);
	ok(start == t_of("2026-01-01T00:00:00Z") && end == t_of("2026-07-01T00:00:00Z"),
	   "H1 is January to June");
	p.half = 2;
	pki_period_bounds(&p, &start, &end);
	ok(start == t_of("2026-07-01T00:00:00Z") && end == t_of("2027-01-01T00:00:00Z"),
	   "H2 is July to December, ending at the new year");
	pki_period_of(t_of("2026-06-30T23:59:59Z"), &q);
	ok(q.year == 2026 && q.half == 1, "the last second of June is H1");
	pki_period_of(t_of("2026-07-01T00:00:00Z"), &q);
	ok(q.year == 2026 && q.half == 2, "the first second of July is H2");
	pki_period_last_complete(t_of("2026-07-01T00:00:00Z"), &q);
	ok(q.year == 2026 && q.half == 1, "at midnight on 1 July, H1 is complete");
	pki_period_last_complete(t_of("2026-06-30T23:59:59Z"), &q);
	ok(q.year == 2025 && q.half == 2, "a second before, 2025H2 is the last complete");
	pki_period_last_complete(t_of("2027-03-04T00:00:00Z"), &q);
	ok(q.year == 2026 && q.half == 2, "in March 2027, 2026H2");
	pki_period_prev(&q);
	ok(q.year == 2026 && q.half == 1, "before 2026H2: 2026H1");
	pki_period_prev(&q);
	ok(q.year == 2025 && q.half == 2, "before 2026H1: 2025H2");
	p = (struct pki_period){ 2025, 2 };
	ok(pki_period_cmp(&p, &q) == 0, "compare: equal");
	p.year = 2026;
	ok(pki_period_cmp(&q, &p) < 0 && pki_period_cmp(&p, &q) > 0, "compare: order");
}

static int slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static void test_bag(const char *dir)
{
	static const char *const info[] = { "Source-Organization: Test (T)",
					     "External-Identifier: T-2026H1" };
	struct pki_bag *b = NULL;
	struct pki_bagf *f1 = NULL, *f2 = NULL;
	struct pki_sink s1, s2;
	char hex[65], digest[65], oxum[PKI_OXUM_LEN], path[512], text[4096];
	struct stat st;

	ok(pki_bag_create(&b, dir, "T-2026H1") == 0, "a bag");
	snprintf(path, sizeof(path), "%s/.T-2026H1.tmp/data", dir);
	ok(stat(path, &st) == 0 && S_ISDIR(st.st_mode), "built aside, in .T-2026H1.tmp");
	ok(pki_bag_add(b, "b/two.txt", "two\n", 4, hex) == 0, "a file");
	is_str(hex, "27dd8ed44a83ff94d557f9fd0412ed5a8cbca69ea04922d88c01184a07300a5a", "its sha256");
	ok(pki_bag_file_begin(b, "a/one.txt", &f1, &s1) == 0 &&
	   pki_bag_file_begin(b, "a/three.txt", &f2, &s2) == 0, "two files open at once");
	ok(s1.write(s1.ctx, "on", 2) == 0 && s2.write(s2.ctx, "three\n", 6) == 0 &&
	   s1.write(s1.ctx, "e\n", 2) == 0, "written in turns");
	ok(pki_bag_finish(b, info, 2, digest, oxum) < 0, "not finished with files open");
	ok(pki_bag_file_end(f1, NULL) == 0 && pki_bag_file_end(f2, NULL) == 0, "ended");
	ok(pki_bag_add(b, "a/one.txt", "x", 1, NULL) < 0, "a file is never written twice");
	ok(pki_bag_add(b, "../escape", "x", 1, NULL) < 0 && pki_bag_add(b, "a/.hidden", "x", 1, NULL) < 0 &&
	   pki_bag_add(b, "a//b", "x", 1, NULL) < 0 && pki_bag_add(b, "a\nb", "x", 1, NULL) < 0,
	   "bad paths are refused");
	ok(pki_bag_finish(b, info, 2, digest, oxum) == 0, "finished");
	is_str(oxum, "14.3", "Payload-Oxum: 14 octets, 3 files");
	snprintf(path, sizeof(path), "%s/.T-2026H1.tmp/manifest-sha256.txt", dir);
	ok(slurp(path, text, sizeof(text)) == 0 && strcmp(text,
	   "2c8b08da5ce60398e1f19af0e5dccc744df274b826abe585eaba68c525434806  data/a/one.txt\n"
	   "f6936912184481f5edd4c304ce27c5a1a827804fc7f329f43d273b8621870776  data/a/three.txt\n"
	   "27dd8ed44a83ff94d557f9fd0412ed5a8cbca69ea04922d88c01184a07300a5a  data/b/two.txt\n") == 0,
	   "the manifest: every payload file, sorted by path");
	is_int(strlen(digest), 64, "its digest is given");
	snprintf(path, sizeof(path), "%s/.T-2026H1.tmp/bag-info.txt", dir);
	ok(slurp(path, text, sizeof(text)) == 0 && strcmp(text,
	   "Source-Organization: Test (T)\nExternal-Identifier: T-2026H1\nPayload-Oxum: 14.3\n") == 0,
	   "bag-info.txt: the lines given, then Payload-Oxum");
	snprintf(path, sizeof(path), "%s/T-2026H1", dir);
	ok(stat(path, &st) < 0, "nothing under the final name before publishing");
	ok(pki_bag_publish(b) == 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode), "published");
	pki_bag_free(b);
	ok(stat(path, &st) == 0, "a published bag stays");

	b = NULL;
	ok(pki_bag_create(&b, dir, "T-2026H1") == -PKI_EIO, "refused: the bag exists");
	ok(pki_bag_create(&b, dir, "T-2026H2") == 0 && pki_bag_add(b, "x/y/z", "z", 1, NULL) == 0,
	   "another bag, some files");
	pki_bag_free(b);
	snprintf(path, sizeof(path), "%s/.T-2026H2.tmp", dir);
	ok(lstat(path, &st) < 0, "an unpublished bag is removed whole");

	snprintf(path, sizeof(path), "%s/.T-2027H1.tmp", dir);
	ok(symlink("/", path) == 0, "a symlink planted at the build path");
	b = NULL;
	ok(pki_bag_create(&b, dir, "T-2027H1") == -PKI_EIO && b == NULL, "refused, not followed");
	ok(lstat(path, &st) == 0 && S_ISLNK(st.st_mode), "and left alone");
	unlink(path);
	ok(pki_bag_create(&b, "/nonexistent/dir", "T-2026H1") == -PKI_ENOINPUT, "no directory: 66");
}

static void test_policy(void)
{
	static const struct {
		enum pki_type type;
		enum pki_role role;
		bool may;
	} v[] = {
		{ PKI_TYPE_MISSION, PKI_ROLE_CHAIR, true },
		{ PKI_TYPE_MISSION, PKI_ROLE_HOM, true },
		{ PKI_TYPE_MISSION, PKI_ROLE_MEMBER, false },
		{ PKI_TYPE_MISSION, PKI_ROLE_UNDSS, false },
		{ PKI_TYPE_UN, PKI_ROLE_ARCHIVES, false },
		{ PKI_TYPE_UN, PKI_ROLE_AUDITOR, false },
		{ PKI_TYPE_NON_UN, PKI_ROLE_EXTERNAL, false },
		{ PKI_TYPE_UN, PKI_ROLE_CHAIR, false },	/* not of the mission */
	};
	struct pki_principal p;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memset(&p, 0, sizeof(p));
		p.name = (char *)"x";
		p.type = v[i].type;
		p.role = v[i].role;
		is_int(pki_policy_may_archive(&p), v[i].may ? 0 : -PKI_EPOLICY,
		       "a %s %s %s transfer", pki_type_name(v[i].type), pki_role_name(v[i].role),
		       v[i].may ? "may" : "may not");
	}
	ok(strstr(pki_error_last(), "(policy 11.5.1, 12.6.9)") != NULL, "the refusal cites the policy");
}

/* Who records the receipt of a transfer: the archives alone. */
static void test_may_acknowledge(void)
{
	static const enum pki_role roles[] = {
		PKI_ROLE_HOM, PKI_ROLE_CHAIR, PKI_ROLE_MEMBER, PKI_ROLE_UNDSS,
		PKI_ROLE_ARCHIVES, PKI_ROLE_AUDITOR, PKI_ROLE_EXTERNAL,
	};
	struct pki_principal p;
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		memset(&p, 0, sizeof(p));
		p.name = (char *)"x";
		p.type = PKI_TYPE_UN;
		p.role = roles[i];
		is_int(pki_policy_may_acknowledge(&p),
		       roles[i] == PKI_ROLE_ARCHIVES ? 0 : -PKI_EPOLICY,
		       "a %s acknowledges: %s", pki_role_name(roles[i]),
		       roles[i] == PKI_ROLE_ARCHIVES ? "yes" : "no");
	}
	ok(strstr(pki_error_last(), "(policy 11.5.1)") != NULL, "the refusal cites the policy");
}

static int rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

int main(void)
{
	char dir[] = "/tmp/pki-archive-test.XXXXXX";

	umask(077);
	test_parse();
	test_bounds();
	test_policy();
	test_may_acknowledge();
	if (mkdtemp(dir) == NULL)
		return 1;
	test_bag(dir);
	nftw(dir, rm, 16, FTW_DEPTH | FTW_PHYS);
	return done_testing();
}
