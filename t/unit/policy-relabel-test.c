/* policy-relabel-test.c: the rules of areas and relabels as a decision
 * table: the areas no one holds (now, or ever), a correction that would
 * leave a recipient without need to know, and the list after a relabel
 * that sets the safety flag. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "matrix.h"
#include "policy.h"
#include "tap.h"

#define HEAD "principal,fingerprint,entity,type,role,clearance,areas,valid_from,valid_until\n"
#define FPR(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c
#define S(lit) ((char *)(lit))
#define NOW 1772442000		/* 2026-03-02T09:00:00Z */
#define ID "UNMISS-JMAC-2026-000001"

static const char matrix_csv[] = HEAD
	"hom," FPR("A") ",OSRSG,mission,hom,strictly-confidential,*,2026-01-01,\n"
	"chair," FPR("B") ",CMPIC,mission,chair,strictly-confidential,*,2026-01-01,\n"
	"jmac," FPR("C") ",JMAC,mission,member,strictly-confidential,poc;crime,2026-01-01,\n"
	"fc," FPR("D") ",FORCE,mission,member,strictly-confidential,force-protection,2026-01-01,\n"
	"police," FPR("E") ",POLICE,mission,member,confidential,crime,2026-01-01,\n"
	"undss," FPR("F") ",UNDSS,mission,undss,confidential,safety,2026-01-01,\n"
	"archives," FPR("1") ",ARMS,un,archives,strictly-confidential,*,2026-01-01,\n"
	"unct," FPR("3") ",UNCT,un,external,confidential,logistics,2026-01-01,\n"
	"gone," FPR("4") ",JMAC,mission,member,strictly-confidential,poc;elections,2026-01-01,2026-02-01\n";

static struct pki_matrix m;

static void unheld(const char *areas, bool ever, const char *want, const char *name)
{
	struct pki_buf b = PKI_BUF_INIT;
	time_t now = NOW;
	int rc = pki_policy_unheld_areas(&m, areas, ever ? NULL : &now, &b);

	is_int(rc, 0, "unheld: %s: no error", name);
	is_str(b.ptr != NULL ? b.ptr : "", want, "  %s", name);
	pki_buf_release(&b);
}

static void test_unheld(void)
{
	unheld("force-protection;poc", false, "", "areas principals hold");
	unheld("force-protecton", false, "force-protecton", "a typo");
	unheld("poc;logistcs;crme", false, "logistcs;crme", "two typos among held areas");
	unheld("", false, "", "no areas");
	unheld("*", false, "", "every area");
	unheld("logistics", false, "", "held by a principal outside the mission too");
	unheld("elections", false, "elections", "held only by a principal no longer valid");
	unheld("elections", true, "", "ever: a row ended still names it");
	unheld("force-protecton", true, "force-protecton", "ever: a typo no row names");
	unheld("pocx;po", false, "pocx;po", "a prefix or extension of an area is not it");
}

/* A confidential product of jmac's, with areas and safety as given. */
static struct pki_product product(const char *areas, bool safety)
{
	return (struct pki_product){ ID, PKI_LEVEL_CONFIDENTIAL, "jmac", areas, safety, false };
}

static void keeps(const char *from, const char *to, char **list, size_t n, const char *says,
		  const char *name)
{
	struct pki_product a = product(from, false), b = product(to, false);
	int rc = pki_policy_relabel_keeps(&m, &a, &b, list, n, NOW);

	if (says == NULL) {
		is_int(rc, 0, "keeps: %s: allowed", name);
		return;
	}
	is_int(rc, -PKI_EPOLICY, "keeps: %s: refused", name);
	if (!ok(strstr(pki_error_last(), says) != NULL, "  says '%s'", says))
		printf("# got '%s'\n", pki_error_last());
}

static void test_keeps(void)
{
	char *list[] = { S("archives"), S("chair"), S("fc"), S("hom"), S("jmac"), S("police"),
			 S("gone"), S("nobody") };

	keeps("force-protection", "force-protection;poc", list, 8, NULL, "areas widened");
	keeps("force-protecton", "force-protection", list, 3, NULL,
	      "a typo corrected: those on every list by role keep it");
	keeps("force-protection;crime", "crime", list, 8,
	      "the areas crime would leave 'fc' on the list of " ID " without need to know; "
	      "take it off first (pki-share --revoke " ID " ...) (policy 9.8)",
	      "fc loses its need to know");
	keeps("force-protection;crime", "poc", list, 8, "would leave 'fc', 'police' on the list",
	      "two lose it, both named");
	keeps("force-protection", "poc", list + 3, 2, NULL, "the originator keeps its own");
}

static void relisted(bool before, bool after, enum pki_level level, const char *want,
		     const char *name)
{
	char *current[] = { S("archives"), S("chair"), S("hom"), S("jmac") };
	struct pki_product a = product("poc", before), b = product("poc", after);
	struct pki_names l = { 0 };
	struct pki_buf s = PKI_BUF_INIT;
	int rc;

	a.level = b.level = level;
	rc = pki_policy_relabeled_list(&m, &a, &b, current, 4, NOW, &l);
	if (rc < 0)
		pki_buf_printf(&s, "refused %d: %s", -rc, pki_error_last());
	else
		pki_names_join(&l, &s);
	if (!ok(s.ptr != NULL && strncmp(s.ptr, want, strlen(want)) == 0, "list: %s", name))
		printf("# got '%s'\n", s.ptr);
	if (rc == 0)
		is_int(pki_policy_relabel_undss(&m, &a, &b, &l, NOW), 0, "  reaches UNDSS as it must");
	pki_buf_release(&s);
	pki_names_release(&l);
}

static void test_list(void)
{
	struct pki_product a = product("poc", false), b = product("poc", true);
	struct pki_names l = { 0 };

	relisted(false, false, PKI_LEVEL_CONFIDENTIAL, "archives;chair;hom;jmac",
		 "areas or IR only: the list stays");
	relisted(false, true, PKI_LEVEL_CONFIDENTIAL, "archives;chair;hom;jmac;undss",
		 "the safety flag set: undss joins (policy 11.3.2)");
	relisted(true, true, PKI_LEVEL_CONFIDENTIAL, "archives;chair;hom;jmac",
		 "already a safety product: nothing added");
	relisted(false, true, PKI_LEVEL_STRICTLY_CONFIDENTIAL,
		 "refused 77: a safety product must reach the senior UNDSS representative",
		 "no undss cleared to the level: refused");
	pki_names_add(&l, "jmac");
	pki_names_add(&l, "hom");
	is_int(pki_policy_relabel_undss(&m, &a, &b, &l, NOW), -PKI_EPOLICY,
	       "undss: a list without it, the flag set, is refused");
	ok(strstr(pki_error_last(), "does not reach 'undss'") != NULL &&
	   strstr(pki_error_last(), "(policy 11.3.2)") != NULL, "  naming it and the paragraph");
	is_int(pki_policy_relabel_undss(&m, &a, &a, &l, NOW), 0,
	       "undss: no flag set, nothing asked");
	pki_names_release(&l);
}

int main(void)
{
	if (pki_matrix_parse(&m, matrix_csv, strlen(matrix_csv)) < 0) {
		printf("# fixtures: %s\n", pki_error_last());
		return 1;
	}
	test_unheld();
	test_keeps();
	test_list();
	pki_matrix_release(&m);
	return done_testing();
}
