/* policy-share-test.c: the dissemination rules (pki-share(1)) as a decision
 * table.  The matrix and the delegations are built in memory: no git, no
 * gpg.  Each row is one branch: who shares what with whom, given which
 * references, and the verdict (the authority recorded, or the refusal). */
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

#define P_FC	"UNMISS-FORCE-2026-000001"
#define P_SC	"UNMISS-JMAC-2026-000002"
#define P_SAFE	"UNMISS-FORCE-2026-000003"
#define P_OC	"UNMISS-JMAC-2026-000004"
#define P_UNCL	"UNMISS-FORCE-2026-000005"
#define P_BARE	"UNMISS-FORCE-2026-000006"
#define P_SAFESC "UNMISS-FORCE-2026-000007"

static const struct pki_product products[] = {
	{ P_FC, PKI_LEVEL_CONFIDENTIAL, "fc", "force-protection", false, false },
	{ P_SC, PKI_LEVEL_STRICTLY_CONFIDENTIAL, "jmac", "crime", false, false },
	{ P_SAFE, PKI_LEVEL_CONFIDENTIAL, "fc", "force-protection", true, false },
	/* received: the registrar stands for the originator */
	{ P_OC, PKI_LEVEL_CONFIDENTIAL, "jmac", "poc", false, true },
	{ P_UNCL, PKI_LEVEL_UNCLASSIFIED, "fc", "poc", false, false },
	{ P_BARE, PKI_LEVEL_CONFIDENTIAL, "fc", "", false, false },
	{ P_SAFESC, PKI_LEVEL_STRICTLY_CONFIDENTIAL, "fc", "force-protection", true, false },
};

struct who {
	const char *name;
	enum pki_type type;
	enum pki_role role;
	enum pki_level clearance;
	const char *areas;
	time_t from, until;
};

#define M PKI_TYPE_MISSION
#define SC PKI_LEVEL_STRICTLY_CONFIDENTIAL
#define CO PKI_LEVEL_CONFIDENTIAL

static const struct who people[] = {
	{ "hom", M, PKI_ROLE_HOM, SC, "*", JAN1, 0 },
	{ "chair", M, PKI_ROLE_CHAIR, SC, "*", JAN1, 0 },
	{ "jmac", M, PKI_ROLE_MEMBER, SC, "poc;force-protection;crime", JAN1, 0 },
	{ "fc", M, PKI_ROLE_MEMBER, SC, "force-protection;poc", JAN1, 0 },
	{ "u2", M, PKI_ROLE_MEMBER, SC, "force-protection", JAN1, 0 },
	{ "clerk", M, PKI_ROLE_MEMBER, SC, "", JAN1, 0 },
	{ "police", M, PKI_ROLE_MEMBER, CO, "crime", JAN1, 0 },
	{ "undss", M, PKI_ROLE_UNDSS, SC, "safety;force-protection", JAN1, 0 },
	{ "undss2", M, PKI_ROLE_UNDSS, CO, "safety", JAN1, 0 },
	{ "gone", M, PKI_ROLE_MEMBER, SC, "*", JAN1, JAN1 + 10 * DAY },
	{ "oldhom", M, PKI_ROLE_HOM, SC, "*", JAN1, JAN1 + 10 * DAY },
	{ "later", M, PKI_ROLE_MEMBER, SC, "*", JAN1 + 100 * DAY, 0 },
	{ "nokey", M, PKI_ROLE_MEMBER, SC, "*", JAN1, 0 },
	{ "archives", PKI_TYPE_UN, PKI_ROLE_ARCHIVES, SC, "*", JAN1, 0 },
	{ "unct", PKI_TYPE_UN, PKI_ROLE_EXTERNAL, CO, "", JAN1, 0 },
	{ "hoststate", PKI_TYPE_NON_UN, PKI_ROLE_EXTERNAL, CO, "", JAN1, 0 },
	{ "fama", PKI_TYPE_SECURITY_FORCE, PKI_ROLE_EXTERNAL, CO, "", JAN1, 0 },
};

struct grant {
	const char *id, *grantor, *grantee;
	enum pki_power power;
	const char *scope;
	time_t from, until;
};

#define DIS PKI_POWER_DISSEMINATE
#define EXT PKI_POWER_SHARE_EXTERNAL

static const struct grant grants[] = {
	{ "DLG-d1", "fc", "jmac", DIS, "force-protection", JAN1, 0 },
	{ "DLG-d2", "fc", "jmac", DIS, P_UNCL, JAN1, 0 },
	{ "DLG-d3", "police", "jmac", DIS, "*", JAN1, 0 },
	{ "DLG-d4", "fc", "jmac", DIS, "*", JAN1, JAN1 + 5 * DAY },
	{ "DLG-d5", "hom", "jmac", EXT, "*", JAN1, 0 },
	{ "DLG-d6", "fc", "police", EXT, "*", JAN1, 0 },
	{ "DLG-d7", "fc", "jmac", PKI_POWER_DECLASSIFY, "*", JAN1, 0 },
	{ "DLG-d8", "hom", "u2", EXT, "*", JAN1, JAN1 + 5 * DAY },
	{ "DLG-d9", "fc", "police", DIS, "poc", JAN1, 0 },
	{ "DLG-d10", "hom", "fc", EXT, "*", JAN1 + 200 * DAY, 0 },
	{ "DLG-d11", "fc", "police", DIS, "*", JAN1 + 200 * DAY, 0 },
	{ "DLG-d12", "hom", "u2", EXT, "force-protection", JAN1, 0 },
};

/* One row of the table: "ok:AUTHORITY" or "no:MESSAGE" (a substring). */
struct row {
	const char *actor, *recipient, *product;
	const char *authority, *j, *hrddp, *arrangement, *consent;
	const char *want;
};

#define J "mandate: protection of civilians (S/RES/2677 para 3)"

static const struct row shares[] = {
	/* 5.3.1: the recipient */
	{ "fc", "nobody", P_FC, 0, 0, 0, 0, 0,
	  "no:'nobody' is not a principal of the access matrix (policy 11.3.3)" },
	{ "fc", "gone", P_FC, 0, 0, 0, 0, 0,
	  "no:'gone' is not a valid principal at 2026-03-02T00:00:00Z (policy 11.3.3)" },
	{ "fc", "later", P_FC, 0, 0, 0, 0, 0, "no:'later' is not a valid principal at" },
	{ "fc", "nokey", P_FC, 0, 0, 0, 0, 0,
	  "no:'nokey' has no key in the repository (policy 9.8)" },
	{ "jmac", "police", P_SC, 0, 0, 0, 0, 0,
	  "no:'police' is cleared to confidential, the product is strictly-confidential (policy 9.8)" },
	{ "fc", "undss2", P_SAFESC, 0, 0, 0, 0, 0,
	  "no:'undss2' is cleared to confidential, the product is strictly-confidential (policy 9.8)" },
	{ "hom", "unct", P_SC, 0, J, 0, 0, 0,
	  "no:'unct' is cleared to confidential, the product is strictly-confidential (policy 9.8)" },
	/* 5.3.2: who disseminates inside the mission */
	{ "fc", "jmac", P_FC, 0, 0, 0, 0, 0, "ok:originator" },
	{ "hom", "jmac", P_FC, 0, 0, 0, 0, 0, "ok:hom" },
	{ "hom", "u2", P_SC, 0, 0, 0, 0, 0, "no:'u2' has no need to know" },
	{ "jmac", "u2", P_FC, 0, 0, 0, 0, 0, "ok:DLG-d1" },
	{ "jmac", "u2", P_FC, "DLG-d1", 0, 0, 0, 0, "ok:DLG-d1" },
	{ "jmac", "police", P_UNCL, 0, 0, 0, 0, 0, "ok:DLG-d2" },
	{ "hom", "u2", P_FC, "DLG-d1", 0, 0, 0, 0,
	  "no:delegation 'DLG-d1' is granted to 'jmac', not to 'hom' (policy 9.8)" },
	{ "jmac", "u2", P_FC, "DLG-nope", 0, 0, 0, 0, "no:no delegation 'DLG-nope' (policy 9.8)" },
	{ "police", "u2", P_FC, "DLG-d1", 0, 0, 0, 0,
	  "no:delegation 'DLG-d1' is granted to 'jmac', not to 'police' (policy 9.8)" },
	{ "jmac", "u2", P_FC, "DLG-d7", 0, 0, 0, 0,
	  "no:delegation 'DLG-d7' grants declassify, not disseminate (policy 9.8)" },
	{ "jmac", "u2", P_FC, "DLG-d5", 0, 0, 0, 0,
	  "no:delegation 'DLG-d5' grants share-external, not disseminate (policy 9.8)" },
	{ "jmac", "u2", P_FC, "DLG-d3", 0, 0, 0, 0,
	  "no:delegation 'DLG-d3' was granted by 'police', not by the originator 'fc' (policy 9.8)" },
	{ "jmac", "u2", P_FC, "DLG-d4", 0, 0, 0, 0,
	  "no:delegation 'DLG-d4' expired at 2026-01-06T00:00:00Z (policy 9.8)" },
	{ "police", "u2", P_FC, "DLG-d11", 0, 0, 0, 0,
	  "no:delegation 'DLG-d11' is valid only from 2026-07-20T00:00:00Z (policy 9.8)" },
	{ "police", "u2", P_FC, "DLG-d9", 0, 0, 0, 0,
	  "no:delegation 'DLG-d9' covers 'poc', not '" P_FC "' (policy 9.8)" },
	{ "police", "u2", P_FC, 0, 0, 0, 0, 0,
	  "no:'police' is neither the originator of '" P_FC "' ('fc') nor the Head of Mission, "
	  "and holds no disseminate delegation from the originator covering it (policy 9.8, 10.7)" },
	{ "chair", "u2", P_FC, 0, 0, 0, 0, 0, "no:'chair' is neither the originator" },
	{ "jmac", "u2", P_BARE, 0, 0, 0, 0, 0, "no:'jmac' is neither the originator" },
	/* need to know */
	{ "fc", "police", P_FC, 0, 0, 0, 0, 0,
	  "no:'police' has no need to know: its areas (crime) do not meet the product's "
	  "(force-protection) (policy 9.8)" },
	{ "fc", "clerk", P_FC, 0, 0, 0, 0, 0,
	  "no:'clerk' has no need to know: its areas (none) do not meet the product's "
	  "(force-protection) (policy 9.8)" },
	{ "fc", "police", P_UNCL, 0, 0, 0, 0, 0, "ok:originator" },
	{ "fc", "clerk", P_BARE, 0, 0, 0, 0, 0, "ok:originator" },
	{ "fc", "chair", P_FC, 0, 0, 0, 0, 0, "ok:originator" },
	/* the UNDSS safety rule (11.3.2) */
	{ "police", "undss", P_SAFE, 0, 0, 0, 0, 0, "ok:undss-rule" },
	{ "police", "undss", P_SAFE, "DLG-nope", 0, 0, 0, 0, "ok:undss-rule" },
	{ "fc", "undss2", P_SAFE, 0, 0, 0, 0, 0, "ok:undss-rule" },
	{ "fc", "undss", P_FC, 0, 0, 0, 0, 0, "ok:originator" },
	{ "police", "undss", P_FC, 0, 0, 0, 0, 0, "no:'police' is neither the originator" },
	{ "police", "u2", P_SAFE, 0, 0, 0, 0, 0, "no:'police' is neither the originator" },
	/* a received product: the registrar stands for the originator */
	{ "jmac", "fc", P_OC, 0, 0, 0, 0, 0, "ok:originator" },
	{ "fc", "hom", P_OC, 0, 0, 0, 0, 0, "no:'fc' is neither the originator of '" P_OC "' ('jmac')" },
	/* 5.3.3: outside the mission */
	{ "fc", "unct", P_FC, 0, J, 0, 0, 0,
	  "no:'fc' is member: only the Head of Mission or the holder of a share-external "
	  "delegation from the Head of Mission shares outside the mission (policy 11.4.1)" },
	{ "hom", "unct", P_FC, 0, J, 0, 0, 0, "ok:hom" },
	{ "hom", "archives", P_FC, 0, J, 0, 0, 0, "ok:hom" },
	{ "hom", "unct", P_FC, 0, 0, 0, 0, 0,
	  "no:sharing '" P_FC "' with 'unct' outside the mission needs a justification in terms "
	  "of the mandate (-j, policy 11.4.3)" },
	{ "hom", "unct", P_FC, 0, "", 0, 0, 0, "no:needs a justification" },
	{ "hom", "hoststate", P_FC, 0, J, 0, 0, 0,
	  "no:'hoststate' is a non-UN entity: a written originator-control arrangement is "
	  "required (--arrangement, policy 11.4.3)" },
	{ "hom", "hoststate", P_FC, 0, J, 0, "MoU HS-7", 0, "ok:hom" },
	{ "hom", "fama", P_FC, 0, J, 0, "MoU F-2", 0,
	  "no:'fama' is a non-UN security force: an HRDDP risk assessment is required "
	  "(--hrddp, policy 11.4.4)" },
	{ "hom", "fama", P_FC, 0, J, "HRDDP-RA-2026-11", 0, 0,
	  "no:'fama' is a non-UN security force: a written originator-control arrangement is "
	  "required (--arrangement, policy 11.4.3)" },
	{ "hom", "fama", P_FC, 0, J, "HRDDP-RA-2026-11", "MoU F-2", 0, "ok:hom" },
	{ "hom", "unct", P_OC, 0, J, 0, 0, 0,
	  "no:'" P_OC "' is under originator control: its originator's consent is required "
	  "(--consent, policy 11.4.3)" },
	{ "hom", "unct", P_OC, 0, J, 0, 0, "note verbale 2026/88", "ok:hom" },
	{ "jmac", "unct", P_OC, 0, J, 0, 0, "note verbale 2026/88", "ok:DLG-d5" },
	{ "jmac", "unct", P_FC, 0, J, 0, 0, 0, "ok:DLG-d5" },
	{ "jmac", "unct", P_FC, "DLG-d5", J, 0, 0, 0, "ok:DLG-d5" },
	{ "u2", "unct", P_FC, "DLG-d12", J, 0, 0, 0, "ok:DLG-d12" },
	{ "u2", "unct", P_UNCL, 0, J, 0, 0, 0, "no:'u2' is member: only the Head of Mission" },
	{ "u2", "unct", P_FC, "DLG-d8", J, 0, 0, 0,
	  "no:delegation 'DLG-d8' expired at 2026-01-06T00:00:00Z (policy 11.4.1)" },
	{ "u2", "unct", P_UNCL, "DLG-d12", J, 0, 0, 0,
	  "no:delegation 'DLG-d12' covers 'force-protection', not '" P_UNCL "' (policy 11.4.1)" },
	{ "fc", "unct", P_FC, "DLG-d10", J, 0, 0, 0,
	  "no:delegation 'DLG-d10' is valid only from 2026-07-20T00:00:00Z (policy 11.4.1)" },
	{ "police", "unct", P_FC, "DLG-d6", J, 0, 0, 0,
	  "no:delegation 'DLG-d6' was granted by 'fc', who is not the Head of Mission (policy 11.4.1)" },
	{ "police", "unct", P_FC, 0, J, 0, 0, 0, "no:'police' is member: only the Head of Mission" },
	{ "jmac", "unct", P_FC, "DLG-d1", J, 0, 0, 0,
	  "no:delegation 'DLG-d1' grants disseminate, not share-external (policy 11.4.1)" },
	{ "hom", "unct", P_FC, "DLG-d5", J, 0, 0, 0,
	  "no:delegation 'DLG-d5' is granted to 'jmac', not to 'hom' (policy 11.4.1)" },
	/* no safety rule outside, no need to know outside */
	{ "police", "unct", P_SAFE, 0, J, 0, 0, 0, "no:'police' is member: only the Head of Mission" },
	{ "hom", "unct", P_SC, 0, J, 0, 0, 0, "no:'unct' is cleared to confidential" },
};

static const struct row revokes[] = {
	{ "fc", "jmac", P_FC, 0, 0, 0, 0, 0, "ok:originator" },
	{ "hom", "jmac", P_FC, 0, 0, 0, 0, 0, "ok:hom" },
	{ "chair", "jmac", P_FC, 0, 0, 0, 0, 0, "ok:custodian" },
	{ "jmac", "police", P_FC, 0, 0, 0, 0, 0,
	  "no:'jmac' may not revoke '" P_FC "': only its originator ('fc'), the Head of Mission "
	  "or the Chair keep its distribution list (policy 10.7, 12.6.9)" },
	{ "undss", "jmac", P_SAFE, 0, 0, 0, 0, 0, "no:'undss' may not revoke" },
	{ "hom", "fc", P_FC, 0, 0, 0, 0, 0,
	  "no:'fc' stands for the originator of '" P_FC "' and stays on its distribution list (policy 9.8)" },
	{ "chair", "jmac", P_OC, 0, 0, 0, 0, 0, "no:'jmac' stands for the originator of '" P_OC "'" },
	{ "fc", "hom", P_FC, 0, 0, 0, 0, 0,
	  "no:'hom' is the Head of Mission, who decides on all dissemination and stays on every "
	  "distribution list (policy 10.7)" },
	{ "fc", "chair", P_FC, 0, 0, 0, 0, 0,
	  "no:'chair' is the Chair, custodian of the distribution lists, and stays on every one "
	  "(policy 12.6.9)" },
	{ "hom", "archives", P_FC, 0, 0, 0, 0, 0,
	  "no:'archives' receives every product for transfer to the UN Archives (policy 11.5.1)" },
	{ "fc", "undss", P_SAFE, 0, 0, 0, 0, 0,
	  "no:'undss' must receive '" P_SAFE "', which bears on the safety of UN personnel (policy 11.3.2)" },
	{ "fc", "undss", P_FC, 0, 0, 0, 0, 0, "ok:originator" },
	{ "fc", "oldhom", P_FC, 0, 0, 0, 0, 0, "ok:originator" },
	{ "fc", "gone", P_FC, 0, 0, 0, 0, 0, "ok:originator" },
	{ "fc", "nobody", P_FC, 0, 0, 0, 0, 0, "ok:originator" },
	{ "jmac", "fc", P_OC, 0, 0, 0, 0, 0, "ok:originator" },
	{ "fc", "unct", P_FC, 0, 0, 0, 0, 0, "ok:originator" },
};

static struct pki_matrix matrix;
static struct pki_delegations delegations;

static int setup(void)
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
		p.areas = (char *)people[i].areas;
		p.from = people[i].from;
		p.until = people[i].until;
		p.from_text = (char *)"";
		p.until_text = (char *)"";
		if (pki_matrix_put(&matrix, &p) < 0)
			return -1;
	}
	for (i = 0; i < sizeof(grants) / sizeof(grants[0]); i++) {
		memset(&x, 0, sizeof(x));
		x.id = (char *)grants[i].id;
		x.grantor = (char *)grants[i].grantor;
		x.grantee = (char *)grants[i].grantee;
		x.power = grants[i].power;
		x.scope = (char *)grants[i].scope;
		x.from = grants[i].from;
		x.until = grants[i].until;
		x.reference = (char *)"memo";
		if (pki_delegations_add(&delegations, &x) < 0)
			return -1;
	}
	return 0;
}

static const struct pki_product *product(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(products) / sizeof(products[0]); i++)
		if (strcmp(products[i].id, id) == 0)
			return &products[i];
	return NULL;
}

/* A refusal names its rule's paragraph at the end of its one line. */
static bool cites_policy(const char *msg)
{
	const char *p = strstr(msg, "policy ");
	size_t n = strlen(msg);

	return p != NULL && p[7] >= '1' && p[7] <= '9' && n > 0 && msg[n - 1] == ')' &&
	       strchr(msg, '\n') == NULL;
}

static void judge(const struct row *r, int revoke)
{
	struct pki_share_ctx c = { 0 };
	const char *auth = NULL, *want = r->want + 3;
	int rc;

	c.actor = pki_matrix_find(&matrix, r->actor);
	c.product = product(r->product);
	c.recipient_name = r->recipient;
	c.recipient = pki_matrix_find(&matrix, r->recipient);
	c.recipient_key = strcmp(r->recipient, "nokey") != 0;
	c.matrix = &matrix;
	c.delegations = &delegations;
	c.at = NOW;
	c.authority = r->authority;
	c.justification = r->j;
	c.hrddp = r->hrddp;
	c.arrangement = r->arrangement;
	c.consent = r->consent;
	pki_error_clear();
	rc = revoke ? pki_policy_may_revoke(&auth, &c) : pki_policy_may_share(&auth, &c);
	if (strncmp(r->want, "ok:", 3) == 0) {
		if (!is_int(rc, 0, "%s %s %s %s: allowed", r->actor, revoke ? "revokes" : "gives",
			    r->recipient, r->product))
			diag(pki_error_last());
		is_str(auth, want, "  recorded authority %s", want);
		return;
	}
	is_int(rc, -PKI_EPOLICY, "%s %s %s %s: refused", r->actor, revoke ? "revokes" : "gives",
	       r->recipient, r->product);
	if (!ok(strstr(pki_error_last(), want) != NULL, "  says: %.60s", want))
		diag(pki_error_last());
	ok(cites_policy(pki_error_last()), "  names the policy paragraph");
}

static void test_outside(void)
{
	ok(!pki_policy_outside(pki_matrix_find(&matrix, "undss")), "undss is inside the mission");
	ok(pki_policy_outside(pki_matrix_find(&matrix, "unct")), "un is outside");
	ok(pki_policy_outside(pki_matrix_find(&matrix, "hoststate")), "non-un is outside");
	ok(pki_policy_outside(pki_matrix_find(&matrix, "fama")), "security-force is outside");
	ok(pki_policy_channel(pki_matrix_find(&matrix, "unct"), true) == 0, "unct: by export");
	ok(pki_policy_channel(pki_matrix_find(&matrix, "unct"), false) == -PKI_EPOLICY &&
	   strstr(pki_error_last(), "a copy leaves it by export") != NULL, "unct: not by share");
	ok(pki_policy_channel(pki_matrix_find(&matrix, "undss"), false) == 0, "undss: by share");
	ok(pki_policy_channel(pki_matrix_find(&matrix, "undss"), true) == -PKI_EPOLICY &&
	   strstr(pki_error_last(), "(policy 10.7)") != NULL, "undss: not by export");
}

static void test_delegation_lookup(void)
{
	const struct pki_product *p = product(P_FC);

	ok(pki_policy_delegation(&delegations, &matrix, NULL, NULL, "jmac", EXT, p, NOW) != NULL,
	   "share-external from a hom is found with any grantor");
	ok(pki_policy_delegation(&delegations, &matrix, NULL, NULL, "police", EXT, p, NOW) == NULL,
	   "share-external from a member is not");
	ok(pki_policy_delegation(&delegations, &matrix, NULL, "fc", "police", EXT, p, NOW) != NULL,
	   "unless the grantor is named");
}

int main(void)
{
	size_t i;

	if (!ok(setup() == 0, "matrix and delegations in memory")) {
		diag(pki_error_last());
		return done_testing();
	}
	test_outside();
	test_delegation_lookup();
	for (i = 0; i < sizeof(shares) / sizeof(shares[0]); i++)
		judge(&shares[i], 0);
	for (i = 0; i < sizeof(revokes) / sizeof(revokes[0]); i++)
		judge(&revokes[i], 1);
	pki_matrix_release(&matrix);
	pki_delegations_release(&delegations);
	return done_testing();
}
