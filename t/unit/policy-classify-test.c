/* policy-classify-test.c: the rules of pki-classify(1) and pki-register(1) as a decision
 * table: who classifies, the criterion, the initial distribution list,
 * who re- and declassifies and the list a new level implies, who
 * registers a receipt; a material's retention and its disposal
 * (pki-archive(1) --dispose). */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "matrix.h"
#include "policy.h"
#include "retention.h"
#include "tap.h"

#define HEAD "principal,fingerprint,entity,type,role,clearance,areas,valid_from,valid_until\n"
#define DHEAD "delegation,grantor,grantee,power,scope,valid_from,valid_until,reference\n"
#define FPR(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c
#define S(lit) ((char *)(lit))
#define NOW 1772442000		/* 2026-03-02T09:00:00Z */

static const char matrix_csv[] = HEAD
	"hom," FPR("A") ",OSRSG,mission,hom,strictly-confidential,*,2026-01-01,\n"
	"chair," FPR("B") ",CMPIC,mission,chair,strictly-confidential,*,2026-01-01,\n"
	"jmac," FPR("C") ",JMAC,mission,member,strictly-confidential,poc;crime,2026-01-01,\n"
	"fc," FPR("D") ",FORCE,mission,member,strictly-confidential,force-protection,2026-01-01,\n"
	"police," FPR("E") ",POLICE,mission,member,confidential,crime,2026-01-01,\n"
	"undss," FPR("F") ",UNDSS,mission,undss,confidential,safety,2026-01-01,\n"
	"archives," FPR("1") ",ARMS,un,archives,strictly-confidential,*,2026-01-01,\n"
	"auditor," FPR("2") ",OIOS,un,auditor,unclassified,,2026-01-01,\n"
	"unct," FPR("3") ",UNCT,un,external,confidential,,2026-01-01,\n"
	"gone," FPR("4") ",JMAC,mission,member,strictly-confidential,poc,2026-01-01,2026-02-01\n"
	"later," FPR("5") ",JMAC,mission,chair,strictly-confidential,*,2026-04-01,\n";

static const char delegations_csv[] = DHEAD
	"DLG-01,jmac,fc,declassify,UNMISS-JMAC-2026-000001,2026-01-01,,memo 1\n"
	"DLG-02,jmac,police,declassify,poc,2026-01-01,2026-02-01,memo 2\n"
	"DLG-03,jmac,police,disseminate,*,2026-01-01,,memo 3\n"
	"DLG-04,fc,police,declassify,*,2026-01-01,,memo 4\n";

static struct pki_matrix m;
static struct pki_delegations d;

static const struct pki_principal *who(const char *name)
{
	const struct pki_principal *p = pki_matrix_find(&m, name);

	if (p == NULL) {
		printf("# no principal '%s'\n", name);
		exit(1);
	}
	return p;
}

/* The list as "a;b;c", or "refused: <message>". */
static char *listed(int rc, const struct pki_names *l)
{
	struct pki_buf b = PKI_BUF_INIT;

	if (rc < 0)
		pki_buf_printf(&b, "refused %d: %s", -rc, pki_error_last());
	else
		pki_names_join(l, &b);
	return pki_buf_detach(&b, NULL);
}

static void initial(const char *originator, enum pki_level level, bool safety,
		    const char *want, const char *name)
{
	struct pki_names l = { 0 };
	char *got = listed(pki_policy_initial_list(&m, originator, level, safety, NOW, &l), &l);

	if (strncmp(want, "refused", 7) != 0)
		is_str(got, want, "%s", name);
	else if (!ok(strncmp(got, want, strlen(want)) == 0, "%s", name))
		printf("# got '%s'\n", got);
	free(got);
	pki_names_release(&l);
}

static void test_names(void)
{
	struct pki_names a = { 0 }, b = { 0 };
	struct pki_buf s = PKI_BUF_INIT;

	pki_names_add(&a, "jmac");
	pki_names_add(&a, "chair");
	pki_names_add(&a, "jmac");
	pki_names_add(&a, "archives");
	pki_names_join(&a, &s);
	is_str(s.ptr, "archives;chair;jmac", "a list is sorted, each name once");
	pki_names_add(&b, "archives");
	pki_names_add(&b, "jmac");
	ok(!pki_names_equal(&a, &b), "lists of other names differ");
	pki_names_add(&b, "chair");
	ok(pki_names_equal(&a, &b), "the same names, added in any order, are equal");
	ok(pki_names_has(&a, "chair") && !pki_names_has(&a, "fc"), "has");
	pki_buf_release(&s);
	pki_names_join(&(struct pki_names){ 0 }, &s);
	ok(s.ptr == NULL || s.len == 0, "an empty list joins to nothing");
	pki_buf_release(&s);
	pki_names_release(&a);
	pki_names_release(&b);
}

static void test_may_classify(void)
{
	static const struct {
		const char *who;
		enum pki_level level;
		int rc;
		const char *says;
	} t[] = {
		{ "jmac", PKI_LEVEL_STRICTLY_CONFIDENTIAL, 0, NULL },
		{ "hom", PKI_LEVEL_CONFIDENTIAL, 0, NULL },
		{ "chair", PKI_LEVEL_UNCLASSIFIED, 0, NULL },
		{ "undss", PKI_LEVEL_CONFIDENTIAL, 0, NULL },
		{ "police", PKI_LEVEL_CONFIDENTIAL, 0, NULL },
		{ "police", PKI_LEVEL_STRICTLY_CONFIDENTIAL, -PKI_EPOLICY,
		  "'police' is cleared to confidential and cannot label a product strictly-confidential (policy 11.3.3)" },
		{ "archives", PKI_LEVEL_UNCLASSIFIED, -PKI_EPOLICY,
		  "'archives' is archives: only mission personnel originate and label products (policy 11.2.1)" },
		{ "auditor", PKI_LEVEL_UNCLASSIFIED, -PKI_EPOLICY, "(policy 11.2.1)" },
		{ "unct", PKI_LEVEL_UNCLASSIFIED, -PKI_EPOLICY, "(policy 11.2.1)" },
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rc = pki_policy_may_classify(who(t[i].who), t[i].level);
		is_int(rc, t[i].rc, "5.1: %s classifies %s: %s", t[i].who,
		       pki_level_name(t[i].level), rc == 0 ? "allowed" : "refused");
		if (t[i].says != NULL)
			if (!ok(strstr(pki_error_last(), t[i].says) != NULL, "  says '%s'", t[i].says))
				printf("# got '%s'\n", pki_error_last());
	}
}

static void test_criterion(void)
{
	is_int(pki_policy_criterion(PKI_LEVEL_UNCLASSIFIED, 0), 0,
	       "5.1.2: unclassified needs no criterion");
	is_int(pki_policy_criterion(PKI_LEVEL_CONFIDENTIAL, 'c'), 0,
	       "5.1.2: confidential with a criterion");
	is_int(pki_policy_criterion(PKI_LEVEL_CONFIDENTIAL, 0), -PKI_EPOLICY,
	       "5.1.2: confidential without one is refused");
	ok(strstr(pki_error_last(), "needs a criterion") != NULL &&
	   strstr(pki_error_last(), "(policy 11.2.1)") != NULL, "  naming the rule and paragraph");
	is_int(pki_policy_criterion(PKI_LEVEL_STRICTLY_CONFIDENTIAL, 0), -PKI_EPOLICY,
	       "5.1.2: strictly-confidential without one is refused");
}

static void test_initial(void)
{
	initial("jmac", PKI_LEVEL_CONFIDENTIAL, false, "archives;chair;hom;jmac",
		"5.1.3: originator, hom, chair, archives");
	initial("jmac", PKI_LEVEL_STRICTLY_CONFIDENTIAL, false, "archives;chair;hom;jmac",
		"5.1.3: the same at strictly-confidential");
	initial("jmac", PKI_LEVEL_UNCLASSIFIED, false,
		"archives;chair;fc;hom;jmac;police;undss",
		"5.1.3: unclassified: every valid mission principal, and the archives");
	initial("police", PKI_LEVEL_CONFIDENTIAL, true, "archives;chair;hom;police;undss",
		"5.1.3: safety adds the undss principal (policy 11.3.2)");
	initial("fc", PKI_LEVEL_STRICTLY_CONFIDENTIAL, true,
		"refused 77: a safety product must reach the senior UNDSS representative",
		"5.1.3: safety refused when no undss principal is cleared to the level");
	initial("hom", PKI_LEVEL_CONFIDENTIAL, false, "archives;chair;hom",
		"5.1.3: the Head of Mission's own product");
	initial("gone", PKI_LEVEL_CONFIDENTIAL, false, "archives;chair;hom",
		"5.1.3: principals not valid now are never on it");
}

static void reclass(const char *actor, const char *id, const char *originator,
		    const char *areas, const char *authority, const char *want,
		    const char *name)
{
	struct pki_product p = { id, PKI_LEVEL_CONFIDENTIAL, originator, areas, false, false };
	const char *granted = NULL;
	int rc = pki_policy_may_reclassify(&d, &m, who(actor), &p, authority, NOW, &granted);

	if (want == NULL) {
		is_int(rc, -PKI_EPOLICY, "5.1.4: %s refused", name);
		if (!ok(strstr(pki_error_last(), "(policy 9.8)") != NULL, "  names policy 9.8"))
			printf("# got '%s'\n", pki_error_last());
		ok(granted == NULL, "  grants nothing");
		return;
	}
	is_int(rc, 0, "5.1.4: %s allowed", name);
	is_str(granted, want, "  by authority %s", want);
}

static void test_reclassify(void)
{
	const char *id = "UNMISS-JMAC-2026-000001", *other = "UNMISS-JMAC-2026-000002";

	reclass("jmac", id, "jmac", "poc", NULL, "originator", "the originator");
	reclass("hom", id, "jmac", "poc", NULL, "hom", "the Head of Mission");
	reclass("fc", id, "jmac", "poc", NULL, "DLG-01", "a declassify delegation for the product");
	reclass("fc", id, "jmac", "poc", "DLG-01", "DLG-01", "the delegation named");
	reclass("fc", other, "jmac", "poc", NULL, NULL, "a delegation for another product");
	reclass("police", id, "jmac", "poc", NULL, NULL, "an expired delegation");
	reclass("police", id, "jmac", "poc", "DLG-03", NULL, "a disseminate delegation");
	reclass("police", id, "jmac", "poc", "DLG-04", NULL,
		"a delegation from someone not the originator");
	reclass("police", id, "fc", "poc", "DLG-04", "DLG-04", "a delegation from the originator");
	reclass("chair", id, "jmac", "poc", NULL, NULL, "the Chair");
	reclass("jmac", id, "jmac", "poc", "DLG-99", NULL, "an unknown delegation named");
}

static void newlist(enum pki_level level, char **current, size_t n, const char *want,
		    const char *name)
{
	struct pki_product p = { "UNMISS-JMAC-2026-000001", PKI_LEVEL_CONFIDENTIAL, "jmac",
				 "poc", false, false };
	struct pki_names l = { 0 };
	char *got = listed(pki_policy_reclassified_list(&m, &p, current, n, level, NOW, &l), &l);

	is_str(got, want, "5.1.4: %s", name);
	free(got);
	pki_names_release(&l);
}

static void test_new_list(void)
{
	/* As a label holds them: non-const strings, never written. */
	char *current[] = { S("archives"), S("chair"), S("hom"), S("jmac"), S("police"),
			    S("gone"), S("nobody") };

	newlist(PKI_LEVEL_UNCLASSIFIED, current, 7, "archives;chair;fc;hom;jmac;police;undss",
		"declassified: every valid mission principal");
	newlist(PKI_LEVEL_STRICTLY_CONFIDENTIAL, current, 7, "archives;chair;hom;jmac",
		"raised: recipients not cleared to the new level drop off");
	newlist(PKI_LEVEL_CONFIDENTIAL, current, 7, "archives;chair;hom;jmac;police",
		"kept: current recipients still valid and cleared stay");
}

static void test_receive(void)
{
	static const struct {
		const char *who;
		int rc;
	} t[] = {
		{ "chair", 0 }, { "jmac", 0 }, { "police", 0 },
		{ "hom", -PKI_EPOLICY }, { "undss", -PKI_EPOLICY }, { "archives", -PKI_EPOLICY },
		{ "auditor", -PKI_EPOLICY }, { "unct", -PKI_EPOLICY },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		is_int(pki_policy_may_receive(who(t[i].who)), t[i].rc, "5.2.2: %s registers a receipt: %s",
		       t[i].who, t[i].rc == 0 ? "allowed" : "refused");
	pki_policy_may_receive(who("hom"));
	ok(strstr(pki_error_last(), "'hom' is hom: receipts are registered by the Chair or a "
		  "member of a participating mission entity (policy 12.6.9)") != NULL,
	   "  the refusal names the rule and paragraph");
}

/* --- retention and disposal --- */

static void test_retention_parse(void)
{
	static const char *const good[] = {
		"P5Y", "P18M", "P2Y6M", "P90D", "P0Y6M", "P1Y0M1D", "P999Y", "P9999M", "P99999D",
	};
	static const char *const bad[] = {
		"", "P", "5Y", "P5W", "PT5H", "P1YT1H", "P1Y2D3M", "P0D", "P0Y0M0D", "P1.5Y",
		"-P5Y", "P-5Y", "P5y", "p5Y", "P5Y ", " P5Y", "P1Y1Y", "P1234Y", "P12345M",
		"P123456D", "P+5Y",
	};
	struct pki_retention r;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		is_int(pki_retention_parse("--retention", good[i], NULL), 0, "retention %s", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(pki_retention_parse("--retention", bad[i], NULL), -PKI_EUSAGE,
		       "retention '%s' refused", bad[i]);
	is_int(pki_retention_parse("--retention", "P2Y6M", &r), 0, "P2Y6M parses");
	ok(r.years == 2 && r.months == 6 && r.days == 0, "  as 2 years, 6 months, 0 days");
	pki_retention_parse("--retention", "P5W", NULL);
	ok(strstr(pki_error_last(), "--retention: invalid retention 'P5W' (an ISO 8601 duration "
		  "of years, months and days, e.g. P5Y, P18M, P2Y6M, P90D)") != NULL,
	   "  the message says what is expected");
}

/* The end of a retention from a date, as "YYYY-MM-DD". */
static void ends(const char *from, const char *retention, const char *want)
{
	struct pki_retention r;
	char got[PKI_TIME_LEN];
	time_t t;

	if (pki_time_parse("from", from, &t) < 0 || pki_retention_parse("r", retention, &r) < 0) {
		ok(0, "%s + %s: %s", from, retention, pki_error_last());
		return;
	}
	pki_time_format(pki_retention_end(t, &r), got);
	is_str(got, want, "%s + %s = %s", from, retention, want);
}

static void test_retention_end(void)
{
	ends("2026-03-02T09:00:00Z", "P90D", "2026-05-31T09:00:00Z");
	ends("2026-03-02T09:00:00Z", "P2Y", "2028-03-02T09:00:00Z");
	ends("2026-01-31T00:00:00Z", "P1M", "2026-02-28T00:00:00Z");
	ends("2026-01-31T00:00:00Z", "P1M1D", "2026-03-01T00:00:00Z");
	ends("2024-02-29T12:00:00Z", "P1Y", "2025-02-28T12:00:00Z");
	ends("2024-02-29T12:00:00Z", "P4Y", "2028-02-29T12:00:00Z");
	ends("2026-08-31T00:00:00Z", "P18M", "2028-02-29T00:00:00Z");
	ends("2026-12-15T00:00:00Z", "P1M", "2027-01-15T00:00:00Z");
	ends("2026-03-02T00:00:00Z", "P1Y13M", "2028-04-02T00:00:00Z");
}

#define DAY 86400
#define END_P90D (NOW + 90 * DAY)	/* 2026-05-31T09:00:00Z */

static void dispose(const char *actor, enum pki_kind kind, const char *retention,
		    time_t disposed, bool transferred, const char *cert, time_t at,
		    const char *want)
{
	struct pki_disposal x = {
		who(actor), "UNMISS-JMAC-2026-000009", kind, retention, NOW, disposed,
		transferred, cert, at,
	};
	int rc = pki_policy_dispose(&x);
	const char *got = rc == 0 ? "allowed" : pki_error_last();

	ok(strstr(got, want) != NULL && (rc == 0) == (strcmp(want, "allowed") == 0) &&
	   (rc == 0 || rc == -PKI_EPOLICY), "12.6.9: %s disposes of a %s (%s): %s", actor,
	   pki_kind_name(kind), retention != NULL ? retention : "no retention", want);
	if (strstr(got, want) == NULL)
		printf("#   got: %s\n", got);
}

static void test_dispose(void)
{
	const char *perm = "products, plans and requirements are "
		"permanent records, transferred to the UN Archives and never disposed of "
		"(policy 11.5.1)";

	dispose("chair", PKI_KIND_MATERIAL, "P90D", 0, true, "DC-1", END_P90D, "allowed");
	dispose("chair", PKI_KIND_MATERIAL, "P90D", 0, true, "DC-1", END_P90D + DAY, "allowed");
	dispose("chair", PKI_KIND_MATERIAL, "P90D", 0, true, "DC-1", END_P90D - 1,
		"the retention of UNMISS-JMAC-2026-000009 (P90D) runs until 2026-05-31: a "
		"material is destroyed only after its retention (policy 12.6.9)");
	dispose("hom", PKI_KIND_MATERIAL, "P90D", 0, true, "DC-1", END_P90D,
		"'hom' is hom: materials are destroyed by the Chair, who implements the "
		"retention schedules (policy 12.6.9)");
	dispose("jmac", PKI_KIND_MATERIAL, "P90D", 0, true, "DC-1", END_P90D,
		"'jmac' is member: materials are destroyed by the Chair");
	dispose("archives", PKI_KIND_MATERIAL, "P90D", 0, true, "DC-1", END_P90D,
		"'archives' is archives: materials are destroyed by the Chair");
	dispose("chair", PKI_KIND_PRODUCT, NULL, 0, true, "DC-1", END_P90D,
		"UNMISS-JMAC-2026-000009 is a product: ");
	dispose("chair", PKI_KIND_PRODUCT, NULL, 0, true, "DC-1", END_P90D, perm);
	dispose("chair", PKI_KIND_PLAN, NULL, 0, true, "DC-1", END_P90D, "is a plan: ");
	dispose("chair", PKI_KIND_IR, NULL, 0, true, "DC-1", END_P90D, "is the wording of a requirement: ");
	dispose("chair", PKI_KIND_MATERIAL, "P90D", END_P90D, true, "DC-1", END_P90D + DAY,
		"UNMISS-JMAC-2026-000009 was disposed of on 2026-05-31 already (policy 12.6.9)");
	dispose("chair", PKI_KIND_MATERIAL, NULL, 0, true, "DC-1", END_P90D,
		"has no valid retention");
	dispose("chair", PKI_KIND_MATERIAL, "P90D", 0, false, "DC-1", END_P90D,
		"UNMISS-JMAC-2026-000009 was never transferred to the UN Archives: records are "
		"transferred before materials are destroyed (policy 11.5.1, 12.6.9)");
	dispose("chair", PKI_KIND_MATERIAL, "P90D", 0, true, "", END_P90D,
		"names no certificate of destruction (policy 12.6.9)");
	dispose("chair", PKI_KIND_MATERIAL, "P90D", 0, true, NULL, END_P90D,
		"names no certificate of destruction (policy 12.6.9)");
}

int main(void)
{
	if (pki_matrix_parse(&m, matrix_csv, strlen(matrix_csv)) < 0 ||
	    pki_delegations_parse(&d, delegations_csv, strlen(delegations_csv)) < 0) {
		printf("# fixtures: %s\n", pki_error_last());
		return 1;
	}
	test_names();
	test_may_classify();
	test_criterion();
	test_initial();
	test_reclassify();
	test_new_list();
	test_receive();
	test_retention_parse();
	test_retention_end();
	test_dispose();
	pki_delegations_release(&d);
	pki_matrix_release(&m);
	return done_testing();
}
