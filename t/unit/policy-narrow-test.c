/* policy-narrow-test.c: narrowing a principal (pki-matrix add on an
 * existing one) and who a list keeps (pki-audit A405), as decision
 * tables.  Rows built in memory: no git, no gpg. */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "matrix.h"
#include "policy.h"
#include "tap.h"

#define JAN1 1767225600		/* 2026-01-01T00:00:00Z */
#define DAY 86400
#define NOW (JAN1 + 60 * DAY)

#define M PKI_TYPE_MISSION
#define SC PKI_LEVEL_STRICTLY_CONFIDENTIAL
#define CO PKI_LEVEL_CONFIDENTIAL
#define UN PKI_LEVEL_UNCLASSIFIED

static struct pki_principal row(const char *name, enum pki_type type, enum pki_role role,
				enum pki_level clearance, const char *areas, time_t until)
{
	struct pki_principal p;

	memset(&p, 0, sizeof(p));
	p.name = (char *)name;
	p.entity = (char *)"X";
	p.type = type;
	p.role = role;
	p.clearance = clearance;
	p.areas = (char *)areas;
	p.from = JAN1;
	p.until = until;
	p.from_text = (char *)"2026-01-01";
	p.until_text = (char *)"";
	return p;
}

static const struct pki_product sc_poc = { "P-SC", SC, "jmac", "poc", false, false };
static const struct pki_product co_poc = { "P-CO", CO, "jmac", "poc", false, false };
static const struct pki_product co_fp = { "P-FP", CO, "jmac", "force-protection", false, false };
static const struct pki_product co_bare = { "P-BARE", CO, "jmac", "", false, false };
static const struct pki_product un_poc = { "P-UN", UN, "jmac", "poc", false, false };
static const struct pki_product own = { "P-OWN", SC, "fc", "crime", false, false };
static const struct pki_product safe = { "P-SAFE", CO, "jmac", "poc", true, false };

static void hold(const struct pki_principal *p, const struct pki_product *x, time_t at,
		 const char *want)
{
	int rc = pki_policy_may_hold(p, x, at);

	if (want == NULL)
		ok(rc == 0, "%s may hold %s", p->name, x->id);
	else
		ok(rc == -PKI_EPOLICY && strstr(pki_error_last(), want) != NULL,
		   "%s may not hold %s: %s", p->name, x->id, rc < 0 ? pki_error_last() : "allowed");
}

static void test_may_hold(void)
{
	struct pki_principal fc = row("fc", M, PKI_ROLE_MEMBER, CO, "force-protection", 0);
	struct pki_principal ended = row("fc", M, PKI_ROLE_MEMBER, SC, "*", JAN1 + DAY);
	struct pki_principal chair = row("chair", M, PKI_ROLE_CHAIR, SC, "crime", 0);
	struct pki_principal undss = row("undss", M, PKI_ROLE_UNDSS, SC, "safety", 0);
	struct pki_principal unct = row("unct", PKI_TYPE_UN, PKI_ROLE_EXTERNAL, CO, "", 0);

	hold(&fc, &sc_poc, NOW, "cleared to confidential");
	hold(&fc, &co_poc, NOW, "no need to know");
	hold(&fc, &co_fp, NOW, NULL);
	hold(&fc, &co_bare, NOW, NULL);		/* no areas: not compartmented */
	hold(&fc, &un_poc, NOW, NULL);		/* unclassified: not compartmented */
	hold(&fc, &own, NOW, NULL);		/* its own, whatever its row */
	hold(&ended, &own, NOW, NULL);
	hold(&ended, &co_fp, NOW, "not a valid principal");
	hold(&ended, &co_fp, JAN1 + 1, NULL);
	hold(&chair, &co_poc, NOW, NULL);	/* on every list by role */
	hold(&undss, &safe, NOW, NULL);		/* a safety product reaches UNDSS */
	hold(&undss, &co_poc, NOW, "no need to know");
	hold(&unct, &co_poc, NOW, NULL);	/* outside: judged on clearance */
	hold(&unct, &sc_poc, NOW, "cleared to confidential");
}

static void test_narrows(void)
{
	struct pki_principal a = row("fc", M, PKI_ROLE_MEMBER, SC, "force-protection;poc", 0);
	struct pki_principal b;

	b = a, b.clearance = CO;
	ok(pki_policy_narrows(&a, &b, NOW), "a lower clearance narrows");
	b = a, b.areas = (char *)"poc";
	ok(pki_policy_narrows(&a, &b, NOW), "an area fewer narrows");
	b = a, b.areas = (char *)"";
	ok(pki_policy_narrows(&a, &b, NOW), "no areas narrows");
	b = a, b.areas = (char *)"poc;force-protection;crime";
	ok(!pki_policy_narrows(&a, &b, NOW), "more areas do not narrow");
	b = a, b.areas = (char *)"*";
	ok(!pki_policy_narrows(&a, &b, NOW), "every area does not narrow");
	b = a, b.until = NOW + DAY;
	ok(!pki_policy_narrows(&a, &b, NOW), "an --until in the future does not narrow now");
	b = a, b.until = NOW;
	ok(pki_policy_narrows(&a, &b, NOW), "an --until now narrows");
	b = a, b.clearance = UN, a.clearance = CO;
	ok(pki_policy_narrows(&a, &b, NOW), "confidential to unclassified narrows");
	ok(!pki_policy_narrows(&b, &a, NOW), "a higher clearance does not");
}

static void test_narrowed_off(void)
{
	struct pki_principal hom = row("hom", M, PKI_ROLE_HOM, SC, "*", 0);
	struct pki_principal jmac = row("jmac", M, PKI_ROLE_MEMBER, SC, "*", 0);
	struct pki_principal a = row("fc", M, PKI_ROLE_MEMBER, SC, "poc", 0);
	struct pki_principal b = row("fc", M, PKI_ROLE_MEMBER, CO, "poc", 0);

	ok(pki_policy_narrowed_off(&hom, &a, &b, "fc", &sc_poc, NOW) == 0,
	   "the hom narrows fc off a product above its new clearance");
	ok(pki_policy_narrowed_off(&jmac, &a, &b, "fc", &sc_poc, NOW) == -PKI_EPOLICY,
	   "a member keeps no matrix");
	ok(pki_policy_narrowed_off(&hom, &a, &a, "fc", &sc_poc, NOW) == -PKI_EPOLICY &&
	   strstr(pki_error_last(), "does not narrow") != NULL, "no narrowing: refused");
	ok(pki_policy_narrowed_off(&hom, &a, &b, "fc", &co_poc, NOW) == -PKI_EPOLICY &&
	   strstr(pki_error_last(), "may still hold") != NULL, "a product it may still hold: refused");
	ok(pki_policy_narrowed_off(&hom, NULL, &b, "fc", &sc_poc, NOW) == -PKI_EPOLICY,
	   "a principal new in the change: refused");
}

static void test_list_keepers(void)
{
	struct pki_principal v[3];
	struct pki_matrix m = { v, 2, 3 };
	char *full[] = { (char *)"chair", (char *)"hom" };
	char *handed[] = { (char *)"hom", (char *)"oldchair" };

	v[0] = row("hom", M, PKI_ROLE_HOM, SC, "*", 0);
	v[1] = row("oldchair", M, PKI_ROLE_CHAIR, SC, "*", JAN1 + DAY);
	v[2] = row("chair", M, PKI_ROLE_CHAIR, SC, "*", 0);
	ok(pki_policy_list_keepers(&m, CO, handed, 2, NOW) == 0,
	   "no valid chair in the matrix: not the list's fault");
	m.n = 3;
	ok(pki_policy_list_keepers(&m, CO, handed, 2, NOW) == -PKI_EPOLICY &&
	   strstr(pki_error_last(), "lacks a valid chair") != NULL, "the old chair's list lacks the new");
	ok(pki_policy_list_keepers(&m, UN, handed, 2, NOW) == 0, "unclassified: no keeper needed");
	ok(pki_policy_list_keepers(&m, SC, full, 2, NOW) == 0, "a full list");
}

int main(void)
{
	test_may_hold();
	test_narrows();
	test_narrowed_off();
	test_list_keepers();
	return done_testing();
}
