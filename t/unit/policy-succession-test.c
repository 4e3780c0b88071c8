/* policy-succession-test.c: succession in function (pki-matrix succeed,
 * policy 19, 12.10): who stands for an originator along a chain of
 * successor delegations, and so shares, revokes and reclassifies as
 * originator; who names a successor, and the rows of a succession.
 * Matrices and delegations are built in memory: no git, no gpg. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "matrix.h"
#include "policy.h"
#include "tap.h"

#define JAN1 1767225600		/* 2026-01-01T00:00:00Z */
#define DAY 86400
#define NOW (JAN1 + 60 * DAY)
#define GONE (JAN1 + 30 * DAY)

#define M PKI_TYPE_MISSION
#define SC PKI_LEVEL_STRICTLY_CONFIDENTIAL
#define CO PKI_LEVEL_CONFIDENTIAL
#define SUCC PKI_POWER_SUCCESSOR

static const struct {
	const char *name;
	enum pki_type type;
	enum pki_role role;
	enum pki_level clearance;
	time_t from, until;
} people[] = {
	{ "hom", M, PKI_ROLE_HOM, SC, JAN1, 0 },
	{ "chair", M, PKI_ROLE_CHAIR, SC, JAN1, 0 },
	{ "old", M, PKI_ROLE_MEMBER, SC, JAN1, GONE },	/* left: succeeded by mid */
	{ "mid", M, PKI_ROLE_MEMBER, SC, JAN1, 0 },	/* succeeded by nw, kept */
	{ "nw", M, PKI_ROLE_MEMBER, SC, JAN1, 0 },
	{ "low", M, PKI_ROLE_MEMBER, CO, JAN1, 0 },
	{ "jmac", M, PKI_ROLE_MEMBER, SC, JAN1, 0 },
	{ "temp", M, PKI_ROLE_MEMBER, SC, JAN1, 0 },
	{ "later", M, PKI_ROLE_MEMBER, SC, JAN1 + 100 * DAY, 0 },
	{ "unct", PKI_TYPE_UN, PKI_ROLE_EXTERNAL, CO, JAN1, 0 },
};

static const struct {
	const char *id, *grantor, *grantee;
	enum pki_power power;
	time_t from, until;
} grants[] = {
	{ "DLG-s1", "old", "mid", SUCC, JAN1 + 20 * DAY, 0 },
	{ "DLG-s2", "mid", "nw", SUCC, JAN1 + 40 * DAY, 0 },
	{ "DLG-s3", "jmac", "temp", SUCC, JAN1, JAN1 + 5 * DAY },	/* withdrawn */
	{ "DLG-d1", "jmac", "low", PKI_POWER_DISSEMINATE, JAN1, 0 },	/* no succession */
	{ "DLG-d2", "nw", "low", PKI_POWER_DISSEMINATE, JAN1 + 50 * DAY, 0 },	/* as successor */
	{ "DLG-d3", "nw", "jmac", PKI_POWER_DECLASSIFY, JAN1 + 50 * DAY, 0 },
};

static struct pki_matrix matrix;
static struct pki_delegations delegations;

static void setup(void)
{
	struct pki_principal p;
	struct pki_delegation x;
	size_t i;

	for (i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
		memset(&p, 0, sizeof(p));
		p.name = (char *)people[i].name;
		snprintf(p.fpr, sizeof(p.fpr), "%040zX", i + 1);
		p.entity = (char *)"X";
		p.type = people[i].type;
		p.role = people[i].role;
		p.clearance = people[i].clearance;
		p.areas = (char *)"*";
		p.from = people[i].from;
		p.until = people[i].until;
		p.from_text = p.until_text = (char *)"";
		if (pki_matrix_put(&matrix, &p) < 0)
			goto fail;
	}
	for (i = 0; i < sizeof(grants) / sizeof(grants[0]); i++) {
		memset(&x, 0, sizeof(x));
		x.id = (char *)grants[i].id;
		x.grantor = (char *)grants[i].grantor;
		x.grantee = (char *)grants[i].grantee;
		x.power = grants[i].power;
		x.scope = (char *)"*";
		x.from = grants[i].from;
		x.until = grants[i].until;
		x.reference = (char *)"memo";
		if (pki_delegations_add(&delegations, &x) < 0)
			goto fail;
	}
	return;
fail:
	printf("Bail out! %s\n", pki_error_last());
	exit(1);
}

static const struct pki_principal *who(const char *name)
{
	return pki_matrix_find(&matrix, name);
}

static void stands_for(void)
{
	static const struct {
		const char *originator, *who;
		time_t at;
		bool want;
		const char *why;
	} table[] = {
		{ "old", "old", NOW, true, "the originator itself" },
		{ "old", "mid", NOW, true, "its successor" },
		{ "old", "nw", NOW, true, "a chain: old to mid to nw" },
		{ "mid", "nw", NOW, true, "a successor kept beside its predecessor" },
		{ "old", "nw", JAN1 + 30 * DAY, false, "before the second succession" },
		{ "old", "mid", JAN1 + 10 * DAY, false, "before the first" },
		{ "nw", "old", NOW, false, "never backwards" },
		{ "mid", "old", NOW, false, "a predecessor does not stand for its successor" },
		{ "old", "jmac", NOW, false, "a stranger" },
		{ "jmac", "temp", NOW, false, "a withdrawn succession" },
		{ "jmac", "temp", JAN1 + DAY, true, "...while it held" },
		{ "jmac", "low", NOW, false, "a disseminate delegation is no succession" },
	};
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		ok(pki_policy_stands_for(&delegations, table[i].originator, table[i].who,
					 table[i].at) == table[i].want,
		   "%s %s for %s: %s", table[i].who, table[i].want ? "stands" : "does not stand",
		   table[i].originator, table[i].why);
	ok(!pki_policy_stands_for(NULL, "old", "mid", NOW), "no delegations: no successor");
	ok(pki_policy_stands_for(NULL, "old", "old", NOW), "no delegations: the originator");
}

/* The successor as originator: share, revoke, reclassify (policy 19). */
static void as_originator(void)
{
	static const struct pki_product p = {
		"UNMISS-JMAC-2026-000001", CO, "old", "poc", false, false
	};
	struct pki_share_ctx c;
	const char *auth = NULL;

	memset(&c, 0, sizeof(c));
	c.product = &p;
	c.matrix = &matrix;
	c.delegations = &delegations;
	c.at = NOW;
	c.recipient_key = true;

	c.actor = who("nw"), c.recipient_name = "low", c.recipient = who("low");
	is_int(pki_policy_may_share(&auth, &c), 0, "nw shares old's product inside the mission");
	is_str(auth, "originator", "  recorded as originator");
	c.actor = who("jmac");
	is_int(pki_policy_may_share(&auth, &c), -PKI_EPOLICY, "jmac, a stranger, may not");
	c.actor = who("low"), c.recipient_name = "jmac", c.recipient = who("jmac");
	is_int(pki_policy_may_share(&auth, &c), 0, "low holds a disseminate delegation from nw");
	is_str(auth, "DLG-d2", "  recorded as the delegation");
	c.authority = "DLG-d2";
	is_int(pki_policy_may_share(&auth, &c), 0, "  invoked by name too");
	c.authority = NULL;

	c.actor = who("nw"), c.recipient_name = "jmac", c.recipient = who("jmac");
	is_int(pki_policy_may_revoke(&auth, &c), 0, "nw revokes from old's product");
	is_str(auth, "originator", "  recorded as originator");
	c.actor = who("chair"), c.recipient_name = "nw", c.recipient = who("nw");
	is_int(pki_policy_may_revoke(&auth, &c), -PKI_EPOLICY, "the successor stays on the list");
	ok(strstr(pki_error_last(), "'nw' stands for the originator") != NULL, "  says so: %s",
	   pki_error_last());

	is_int(pki_policy_may_reclassify(&delegations, &matrix, who("nw"), &p, NULL, NOW, &auth), 0,
	       "nw reclassifies old's product");
	is_str(auth, "originator", "  recorded as originator");
	is_int(pki_policy_may_reclassify(&delegations, &matrix, who("mid"), &p, NULL, NOW, &auth), 0,
	       "so does mid, kept");
	is_int(pki_policy_may_reclassify(&delegations, &matrix, who("jmac"), &p, NULL, NOW, &auth),
	       0, "jmac, holding a declassify delegation from nw, may");
	is_str(auth, "DLG-d3", "  recorded as the delegation");
	is_int(pki_policy_may_reclassify(&delegations, &matrix, who("low"), &p, NULL, NOW, &auth),
	       -PKI_EPOLICY, "low, holding none, may not");
}

static void may_succeed(void)
{
	is_int(pki_policy_may_succeed(who("hom"), "nw", who("nw"), NOW), 0, "the hom names nw");
	is_int(pki_policy_may_succeed(who("chair"), "nw", who("nw"), NOW), 0, "so does the chair");
	is_int(pki_policy_may_succeed(who("jmac"), "nw", who("nw"), NOW), -PKI_EPOLICY,
	       "a member may not");
	ok(strstr(pki_error_last(), "(policy 12.10)") != NULL, "  cites 12.10: %s", pki_error_last());
	is_int(pki_policy_may_succeed(who("hom"), "nobody", NULL, NOW), -PKI_EPOLICY, "no such successor");
	ok(strstr(pki_error_last(), "'nobody' is not a principal of the access matrix: a successor "
		  "is added first (policy 19, 12.10)") != NULL, "  says so: %s", pki_error_last());
	is_int(pki_policy_may_succeed(who("hom"), "old", who("old"), NOW), -PKI_EPOLICY,
	       "a successor who has left");
	ok(strstr(pki_error_last(), "'old' is not a valid principal at 2026-03-02T00:00:00Z") != NULL,
	   "  says so: %s", pki_error_last());
	is_int(pki_policy_may_succeed(who("hom"), "later", who("later"), NOW), -PKI_EPOLICY,
	       "a successor not yet valid");
	is_int(pki_policy_may_succeed(who("hom"), "unct", who("unct"), NOW), -PKI_EPOLICY,
	       "a successor outside the mission");
	ok(strstr(pki_error_last(), "outside the mission") != NULL, "  says so: %s", pki_error_last());

	is_int(pki_policy_succession_clearance(who("low"), 0), 0, "cleared for everything");
	is_int(pki_policy_succession_clearance(who("low"), 1), -PKI_EPOLICY, "one product above");
	ok(strstr(pki_error_last(), "1 product is above the clearance of 'low' (confidential)") != NULL,
	   "  says so: %s", pki_error_last());
	is_int(pki_policy_succession_clearance(who("low"), 3), -PKI_EPOLICY, "three above");
	ok(strstr(pki_error_last(), "3 products are above the clearance") != NULL, "  says so: %s",
	   pki_error_last());
}

static void successor_delegation(void)
{
	static const struct {
		const char *grantor, *grantee, *scope;
		int rc;
		const char *msg;
	} table[] = {
		{ "old", "nw", "*", 0, NULL },	/* the predecessor has left */
		{ "mid", "nw", "*", 0, NULL },
		{ "nobody", "nw", "*", -PKI_EPOLICY, "names 'nobody' as predecessor" },
		{ "old", "nw", "poc", -PKI_EPOLICY, "its scope is '*' (policy 19)" },
		{ "nw", "nw", "*", -PKI_EPOLICY, "'nw' cannot succeed itself" },
		{ "old", "unct", "*", -PKI_EPOLICY, "outside the mission" },
		{ "old", "later", "*", -PKI_EPOLICY, "'later' is not a valid principal" },
	};
	struct pki_delegation x;
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		memset(&x, 0, sizeof(x));
		x.id = (char *)"DLG-0000000001";
		x.grantor = (char *)table[i].grantor;
		x.grantee = (char *)table[i].grantee;
		x.power = SUCC;
		x.scope = (char *)table[i].scope;
		x.reference = (char *)"memo";
		x.from = JAN1;
		is_int(pki_policy_delegation_ok(&x, &matrix, NOW), table[i].rc,
		       "successor delegation %s to %s over '%s'", x.grantor, x.grantee, x.scope);
		if (table[i].msg != NULL)
			ok(strstr(pki_error_last(), table[i].msg) != NULL, "  says '%s': %s",
			   table[i].msg, pki_error_last());
	}
	is_int(pki_policy_may_delegate(who("hom"), SUCC), -PKI_EPOLICY,
	       "not even the hom delegates it");
	ok(strstr(pki_error_last(), "pki-matrix succeed") != NULL, "  says what does: %s",
	   pki_error_last());
}

static void succession_rows(void)
{
	struct pki_delegation x = { (char *)"DLG-s9", (char *)"old", (char *)"nw", SUCC,
		(char *)"*", JAN1, 0, NULL, NULL, (char *)"memo" };

	is_int(pki_policy_succession_row(who("chair"), PKI_ACTION_SHARE, "nw", who("nw"), SC, &x,
					 NOW), 0, "a share to the successor by the chair");
	is_int(pki_policy_succession_row(who("hom"), PKI_ACTION_REVOKE, "old", who("old"), SC, &x,
					 NOW), 0, "a revoke of the predecessor by the hom");
	is_int(pki_policy_succession_row(who("jmac"), PKI_ACTION_SHARE, "nw", who("nw"), SC, &x,
					 NOW), -PKI_EPOLICY, "by a member");
	ok(strstr(pki_error_last(), "a succession is made by the Head of Mission or the Chair: "
		  "'jmac' is member") != NULL, "  says so: %s", pki_error_last());
	is_int(pki_policy_succession_row(who("hom"), PKI_ACTION_SHARE, "nw", who("nw"), SC, NULL,
					 NOW), -PKI_EPOLICY, "without its delegation");
	ok(strstr(pki_error_last(), "records no successor delegation to 'nw' (policy 19)") != NULL,
	   "  says so: %s", pki_error_last());
	is_int(pki_policy_succession_row(who("hom"), PKI_ACTION_REVOKE, "old", who("old"), SC, NULL,
					 NOW), -PKI_EPOLICY, "a revoke without its delegation");
	ok(strstr(pki_error_last(), "no successor delegation from 'old'") != NULL, "  says so: %s",
	   pki_error_last());
	is_int(pki_policy_succession_row(who("hom"), PKI_ACTION_SHARE, "low", who("low"), SC, &x,
					 NOW), -PKI_EPOLICY, "to a successor not cleared");
	is_int(pki_policy_succession_row(who("hom"), PKI_ACTION_SHARE, "later", who("later"), CO,
					 &x, NOW), -PKI_EPOLICY, "to a successor not valid");
	is_int(pki_policy_succession_row(who("hom"), PKI_ACTION_RECLASSIFY, "nw", who("nw"), SC, &x,
					 NOW), -PKI_EPOLICY, "on a reclassification");
}

int main(void)
{
	setup();
	stands_for();
	as_originator();
	may_succeed();
	successor_delegation();
	succession_rows();
	pki_matrix_release(&matrix);
	pki_delegations_release(&delegations);
	return done_testing();
}
