/* policy-ir-test.c: direction (policy 10.2, 12.9): who sets requirements,
 * who reads their wordings, the hierarchy of requirements.csv and what
 * --ir may cite.  Tables are built in memory: no git, no gpg. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "matrix.h"
#include "policy.h"
#include "requirements.h"
#include "tap.h"

#define JAN1 1767225600		/* 2026-01-01T00:00:00Z */
#define DAY 86400
#define NOW (JAN1 + 60 * DAY)

#define M PKI_TYPE_MISSION
#define SC PKI_LEVEL_STRICTLY_CONFIDENTIAL
#define CO PKI_LEVEL_CONFIDENTIAL
#define UC PKI_LEVEL_UNCLASSIFIED
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct who {
	const char *name;
	enum pki_type type;
	enum pki_role role;
	enum pki_level clearance;
};

static const struct who people[] = {
	{ "hom", M, PKI_ROLE_HOM, SC },
	{ "chair", M, PKI_ROLE_CHAIR, SC },
	{ "jmac", M, PKI_ROLE_MEMBER, SC },
	{ "fc", M, PKI_ROLE_MEMBER, SC },
	{ "police", M, PKI_ROLE_MEMBER, CO },
	{ "undss", M, PKI_ROLE_UNDSS, SC },
	{ "archives", PKI_TYPE_UN, PKI_ROLE_ARCHIVES, SC },
	{ "unct", PKI_TYPE_UN, PKI_ROLE_EXTERNAL, CO },
};

static void build(struct pki_matrix *m)
{
	struct pki_principal p;
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < NELEM(people); i++) {
		memset(&p, 0, sizeof(p));
		p.name = (char *)people[i].name;
		snprintf(p.fpr, sizeof(p.fpr), "%040zu", i + 1);
		p.entity = (char *)"X";
		p.type = people[i].type;
		p.role = people[i].role;
		p.clearance = people[i].clearance;
		p.areas = (char *)"*";
		p.from = JAN1;
		p.from_text = (char *)"2026-01-01";
		p.until_text = (char *)"";
		if (pki_matrix_put(m, &p) < 0) {
			printf("Bail out! %s\n", pki_error_last());
			exit(1);
		}
	}
}

static void delegate(struct pki_delegations *d, const char *id, const char *grantor,
		     const char *grantee, enum pki_power power, const char *scope, time_t until)
{
	struct pki_delegation x = {
		(char *)id, (char *)grantor, (char *)grantee, power, (char *)scope, JAN1, until,
		(char *)"2026-01-01", (char *)"", (char *)"memo",
	};

	if (pki_delegations_add(d, &x) < 0) {
		printf("Bail out! %s\n", pki_error_last());
		exit(1);
	}
}

static void test_direct(const struct pki_matrix *m)
{
	struct pki_delegations d = { 0 };
	const char *granted;
	static const struct {
		const char *actor;
		const char *granted;	/* NULL: refused */
	} cases[] = {
		{ "hom", "hom" }, { "chair", "chair" }, { "jmac", "DLG-dir1" },
		{ "fc", NULL },		/* by the chair: not a hom's */
		{ "police", NULL },	/* expired */
		{ "undss", NULL },	/* scope is an area, not "*" */
		{ "archives", NULL },
	};
	size_t i;
	int rc;

	delegate(&d, "DLG-dir1", "hom", "jmac", PKI_POWER_DIRECT, "*", 0);
	delegate(&d, "DLG-dir2", "chair", "fc", PKI_POWER_DIRECT, "*", 0);
	delegate(&d, "DLG-dir3", "hom", "police", PKI_POWER_DIRECT, "*", JAN1 + DAY);
	delegate(&d, "DLG-dir4", "hom", "undss", PKI_POWER_DIRECT, "poc", 0);
	for (i = 0; i < NELEM(cases); i++) {
		rc = pki_policy_may_direct(&d, m, pki_matrix_find(m, cases[i].actor), NOW,
					   &granted);
		if (cases[i].granted != NULL) {
			is_int(rc, 0, "%s directs", cases[i].actor);
			is_str(granted, cases[i].granted, "%s: granted by", cases[i].actor);
		} else {
			is_int(rc, -PKI_EPOLICY, "%s does not direct", cases[i].actor);
			ok(strstr(pki_error_last(), "(policy 10.2, 12.9)") != NULL,
			   "the refusal cites 10.2 and 12.9: %s", pki_error_last());
		}
	}
	is_int(pki_policy_may_delegate(pki_matrix_find(m, "hom"), PKI_POWER_DIRECT), 0,
	       "hom delegates direct");
	is_int(pki_policy_may_delegate(pki_matrix_find(m, "chair"), PKI_POWER_DIRECT),
	       -PKI_EPOLICY, "chair does not");
	pki_delegations_release(&d);
}

static void test_list(const struct pki_matrix *m)
{
	struct pki_names out = { 0 };
	struct pki_buf b = PKI_BUF_INIT;

	is_int(pki_policy_ir_list(m, "chair", "fc", UC, NOW, &out), 0, "an unclassified wording");
	pki_names_join(&out, &b);
	is_str(b.ptr, "archives;chair;fc;hom", "is not for every mission principal");
	pki_names_release(&out);
	pki_buf_reset(&b);
	is_int(pki_policy_ir_list(m, "jmac", "police", CO, NOW, &out), 0, "a confidential one");
	pki_names_join(&out, &b);
	is_str(b.ptr, "archives;chair;hom;jmac;police", "originator, keepers and owner");
	pki_names_release(&out);
	is_int(pki_policy_ir_list(m, "hom", "police", SC, NOW, &out), -PKI_EPOLICY,
	       "an owner not cleared to the level");
	pki_names_release(&out);
	is_int(pki_policy_ir_list(m, "hom", "unct", UC, NOW, &out), -PKI_EPOLICY,
	       "an owner outside the mission");
	pki_names_release(&out);
	is_int(pki_policy_ir_list(m, "hom", "nobody", UC, NOW, &out), -PKI_EPOLICY,
	       "an owner in no row");
	pki_names_release(&out);
	pki_buf_release(&b);
}

static const char table[] =
	"ir,kind,parent,priority,owner,status,created,deadline,review_due,product\n"
	"UNMISS-IR-0001,pir,,1,jmac,open,2026-03-02,,2027-03-02,UNMISS-OSRSG-2026-000001\n"
	"UNMISS-IR-0002,sir,UNMISS-IR-0001,2,fc,open,2026-03-02,2026-06-30,2027-03-02,UNMISS-OSRSG-2026-000002\n"
	"UNMISS-IR-0003,sir,UNMISS-IR-0001,3,fc,closed,2026-03-02,,2027-03-02,UNMISS-OSRSG-2026-000003\n"
	"UNMISS-IR-0004,eei,UNMISS-IR-0002,2,police,open,2026-03-02,,2026-09-01,UNMISS-OSRSG-2026-000004\n";

static void test_table(void)
{
	struct pki_requirements r;
	struct pki_buf b = PKI_BUF_INIT;
	char id[PKI_IR_ID_MAX], *cite[2];
	char line[512];
	static const char *const bad[] = {
		/* an eei under a pir */
		"UNMISS-IR-0005,eei,UNMISS-IR-0001,2,fc,open,2026-03-02,,2027-03-02,UNMISS-OSRSG-2026-000005",
		/* a parent that is no row */
		"UNMISS-IR-0005,sir,UNMISS-IR-0099,2,fc,open,2026-03-02,,2027-03-02,UNMISS-OSRSG-2026-000005",
		/* a pir with a parent */
		"UNMISS-IR-0005,pir,UNMISS-IR-0001,2,fc,open,2026-03-02,,2027-03-02,UNMISS-OSRSG-2026-000005",
		/* priority 4, status done, a bad ID, a bad date, a second 0001 */
		"UNMISS-IR-0005,pir,,4,fc,open,2026-03-02,,2027-03-02,UNMISS-OSRSG-2026-000005",
		"UNMISS-IR-0005,pir,,1,fc,done,2026-03-02,,2027-03-02,UNMISS-OSRSG-2026-000005",
		"UNMISS-IR-05,pir,,1,fc,open,2026-03-02,,2027-03-02,UNMISS-OSRSG-2026-000005",
		"UNMISS-IR-0005,pir,,1,fc,open,2026-03-02T10:00:00Z,,2027-03-02,UNMISS-OSRSG-2026-000005",
		"UNMISS-IR-0001,pir,,1,fc,open,2026-03-02,,2027-03-02,UNMISS-OSRSG-2026-000005",
	};
	size_t i;

	is_int(pki_requirements_parse(&r, table, strlen(table)), 0, "the table parses");
	is_int((long long)r.n, 4, "four requirements");
	is_int(pki_requirements_next_id(&r, "UNMISS", id), 0, "a next ID");
	is_str(id, "UNMISS-IR-0005", "one past the highest");
	is_int(pki_requirements_parent(&r, PKI_IR_SIR, "UNMISS-IR-0001", true), 0,
	       "a sir under an open pir");
	is_int(pki_requirements_parent(&r, PKI_IR_EEI, "UNMISS-IR-0003", true), -PKI_EDATA,
	       "an eei under a closed sir");
	is_int(pki_requirements_parent(&r, PKI_IR_EEI, "UNMISS-IR-0003", false), 0,
	       "...which the table itself allows");
	cite[0] = (char *)"UNMISS-IR-0002";
	cite[1] = (char *)"UNMISS-IR-0004";
	is_int(pki_requirements_cite(&r, cite, 2), 0, "open requirements are cited");
	cite[1] = (char *)"UNMISS-IR-0003";
	is_int(pki_requirements_cite(&r, cite, 2), -PKI_EDATA, "a closed one is not");
	cite[1] = (char *)"UNMISS-IR-0009";
	is_int(pki_requirements_cite(&r, cite, 2), -PKI_EDATA, "nor an unknown one");
	cite[1] = (char *)"PIR-3";
	is_int(pki_requirements_cite(&r, cite, 2), -PKI_EDATA, "nor free text");
	is_int(pki_requirements_cite(NULL, cite, 1), -PKI_EDATA, "nothing without a table");
	is_int(pki_requirements_format(&r, &b), 0, "the table formats");
	pki_requirements_release(&r);
	is_int(pki_requirements_parse(&r, b.ptr, b.len), 0, "and reads back");
	is_int((long long)r.n, 4, "whole");
	pki_requirements_release(&r);
	for (i = 0; i < NELEM(bad); i++) {
		snprintf(line, sizeof(line), "%s%s\n", table, bad[i]);
		is_int(pki_requirements_parse(&r, line, strlen(line)), -PKI_EDATA,
		       "refused: %s", pki_error_last());
	}
	pki_buf_release(&b);
}

static void test_split(void)
{
	char arg[] = "UNMISS-IR-0001;UNMISS-IR-0002", empty[] = "UNMISS-IR-0001;";
	char *out[2];
	size_t n = 0;

	is_int(pki_requirements_split(arg, out, &n, 2), 0, "IR;IR splits");
	is_int((long long)n, 2, "in two");
	is_str(out[1], "UNMISS-IR-0002", "the second");
	n = 0;
	is_int(pki_requirements_split(empty, out, &n, 2), -PKI_EUSAGE, "an empty part is refused");
	n = 2;
	is_int(pki_requirements_split(arg, out, &n, 2), -PKI_EUSAGE, "more than the maximum");
}

int main(void)
{
	struct pki_matrix m;

	build(&m);
	test_direct(&m);
	test_list(&m);
	test_table();
	test_split();
	pki_matrix_release(&m);
	return done_testing();
}
