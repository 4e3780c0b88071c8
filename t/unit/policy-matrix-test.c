/* policy-matrix-test.c: the rules of the tables (policy 9.8, 11.5.1,
 * 12.10): the keeper rule, role fits type, a delegation as recorded, and
 * who receives a product on transfer to the UN Archives.  Matrices are
 * built in memory: no git, no gpg. */
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

#define M PKI_TYPE_MISSION
#define UN PKI_TYPE_UN
#define SC PKI_LEVEL_STRICTLY_CONFIDENTIAL
#define CO PKI_LEVEL_CONFIDENTIAL

struct who {
	const char *name;
	enum pki_type type;
	enum pki_role role;
	enum pki_level clearance;
	const char *areas;
	time_t until;
};

static void principal(struct pki_principal *p, const struct who *w, unsigned serial)
{
	memset(p, 0, sizeof(*p));
	p->name = (char *)w->name;
	snprintf(p->fpr, sizeof(p->fpr), "%040u", serial);
	p->entity = (char *)"X";
	p->type = w->type;
	p->role = w->role;
	p->clearance = w->clearance;
	p->areas = (char *)w->areas;
	p->from = JAN1;
	p->until = w->until;
	p->from_text = (char *)"2026-01-01";
	p->until_text = (char *)"";
}

static void build(struct pki_matrix *m, const struct who *w, size_t n)
{
	struct pki_principal p;
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++) {
		principal(&p, &w[i], (unsigned)i + 1);
		if (pki_matrix_put(m, &p) < 0) {
			printf("Bail out! %s\n", pki_error_last());
			exit(1);
		}
	}
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define GONE (JAN1 + 10 * DAY)

static const struct who both[] = {
	{ "hom", M, PKI_ROLE_HOM, SC, "*", 0 },
	{ "chair", M, PKI_ROLE_CHAIR, SC, "*", 0 },
	{ "jmac", M, PKI_ROLE_MEMBER, SC, "poc", 0 },
};
static const struct who hom_only[] = {
	{ "hom", M, PKI_ROLE_HOM, SC, "*", 0 },
	{ "jmac", M, PKI_ROLE_MEMBER, SC, "poc", 0 },
};
static const struct who chair_gone[] = {
	{ "hom", M, PKI_ROLE_HOM, SC, "*", 0 },
	{ "chair", M, PKI_ROLE_CHAIR, SC, "*", GONE },
	{ "jmac", M, PKI_ROLE_MEMBER, SC, "poc", 0 },
};
static const struct who hom_gone[] = {
	{ "hom", M, PKI_ROLE_HOM, SC, "*", GONE },
	{ "chair", M, PKI_ROLE_CHAIR, SC, "*", 0 },
};
static const struct who new_chair[] = {
	{ "hom", M, PKI_ROLE_HOM, SC, "*", 0 },
	{ "chair", M, PKI_ROLE_CHAIR, SC, "*", GONE },
	{ "chair2", M, PKI_ROLE_CHAIR, SC, "*", 0 },
};
static const struct who chair_demoted[] = {
	{ "hom", M, PKI_ROLE_HOM, SC, "*", 0 },
	{ "chair", M, PKI_ROLE_MEMBER, SC, "*", 0 },
};

static void keepers(void)
{
	struct pki_matrix a, b, c, d, e, f;

	build(&a, both, NELEM(both));
	build(&b, hom_only, NELEM(hom_only));
	build(&c, chair_gone, NELEM(chair_gone));
	build(&d, hom_gone, NELEM(hom_gone));
	build(&e, new_chair, NELEM(new_chair));
	build(&f, chair_demoted, NELEM(chair_demoted));

	is_int(pki_policy_keepers(NULL, &b, NOW), 0, "the first commit keeps nothing");
	is_int(pki_policy_keepers(&b, &a, NOW), 0, "a hom alone gains a chair");
	is_int(pki_policy_keepers(&b, &b, NOW), 0, "a hom alone stays valid without a chair");
	is_int(pki_policy_keepers(&a, &a, NOW), 0, "nothing lost");
	is_int(pki_policy_keepers(&a, &c, NOW), -PKI_EPOLICY, "the last chair removed");
	ok(strstr(pki_error_last(), "must keep a valid Chair") != NULL &&
	   strstr(pki_error_last(), "(policy 12.10)") != NULL, "names the Chair and 12.10: %s",
	   pki_error_last());
	is_int(pki_policy_keepers(&a, &d, NOW), -PKI_EPOLICY, "the last hom removed");
	ok(strstr(pki_error_last(), "Head of Mission") != NULL, "names the Head of Mission");
	is_int(pki_policy_keepers(&a, &f, NOW), -PKI_EPOLICY, "the last chair made a member");
	is_int(pki_policy_keepers(&a, &e, NOW), 0, "a new chair before the old one leaves");
	is_int(pki_policy_keepers(&c, &c, NOW), 0, "a chair who left before is not missed");
	is_int(pki_policy_keepers(&c, &c, JAN1 + DAY), 0, "judged at one time for both");
	is_int(pki_policy_keepers(&b, &d, NOW), -PKI_EPOLICY, "a chair does not stand for the hom");
	pki_matrix_release(&a);
	pki_matrix_release(&b);
	pki_matrix_release(&c);
	pki_matrix_release(&d);
	pki_matrix_release(&e);
	pki_matrix_release(&f);
}

static void role_fits(void)
{
	static const struct {
		struct who w;
		int rc;
		const char *msg;
	} table[] = {
		{ { "hom", M, PKI_ROLE_HOM, SC, "*", 0 }, 0, NULL },
		{ { "hom", UN, PKI_ROLE_HOM, SC, "*", 0 }, -PKI_EUSAGE, "hom principal's type is mission" },
		{ { "m", PKI_TYPE_NON_UN, PKI_ROLE_MEMBER, SC, "", 0 }, -PKI_EUSAGE, "type is mission" },
		{ { "u", PKI_TYPE_SECURITY_FORCE, PKI_ROLE_UNDSS, SC, "", 0 }, -PKI_EUSAGE, "type is mission" },
		{ { "x", M, PKI_ROLE_EXTERNAL, CO, "", 0 }, -PKI_EUSAGE, "external principal's type" },
		{ { "x", UN, PKI_ROLE_EXTERNAL, CO, "", 0 }, 0, NULL },
		{ { "a", UN, PKI_ROLE_ARCHIVES, SC, "*", 0 }, 0, NULL },
		{ { "a", M, PKI_ROLE_ARCHIVES, SC, "*", 0 }, -PKI_EUSAGE, "its type is un (policy 11.5.1)" },
		{ { "a", PKI_TYPE_NON_UN, PKI_ROLE_ARCHIVES, SC, "*", 0 }, -PKI_EUSAGE, "its type is un" },
		{ { "a", UN, PKI_ROLE_ARCHIVES, CO, "*", 0 }, -PKI_EUSAGE,
		  "its clearance is strictly-confidential (policy 11.5.1)" },
		{ { "a", UN, PKI_ROLE_ARCHIVES, SC, "poc", 0 }, -PKI_EUSAGE, "its areas are '*'" },
		{ { "a", UN, PKI_ROLE_ARCHIVES, SC, "", 0 }, -PKI_EUSAGE, "its areas are '*'" },
		{ { "o", UN, PKI_ROLE_AUDITOR, PKI_LEVEL_UNCLASSIFIED, "", 0 }, 0, NULL },
		{ { "o", M, PKI_ROLE_AUDITOR, CO, "", 0 }, 0, NULL },
	};
	struct pki_principal p;
	size_t i;
	int rc;

	for (i = 0; i < NELEM(table); i++) {
		principal(&p, &table[i].w, 1);
		rc = pki_policy_role_fits(&p);
		is_int(rc, table[i].rc, "role %s, type %s, %s, areas '%s'",
		       pki_role_name(p.role), pki_type_name(p.type), pki_level_name(p.clearance),
		       p.areas);
		if (table[i].msg != NULL)
			ok(strstr(pki_error_last(), table[i].msg) != NULL, "  says '%s': %s",
			   table[i].msg, pki_error_last());
	}
}

static const struct who people[] = {
	{ "hom", M, PKI_ROLE_HOM, SC, "*", 0 },
	{ "chair", M, PKI_ROLE_CHAIR, SC, "*", 0 },
	{ "fc", M, PKI_ROLE_MEMBER, SC, "poc", 0 },
	{ "gone", M, PKI_ROLE_MEMBER, SC, "poc", GONE },
	{ "unct", UN, PKI_ROLE_EXTERNAL, CO, "", 0 },
	{ "auditor", UN, PKI_ROLE_AUDITOR, PKI_LEVEL_UNCLASSIFIED, "", 0 },
	{ "archives", UN, PKI_ROLE_ARCHIVES, SC, "*", 0 },
	{ "archgone", UN, PKI_ROLE_ARCHIVES, SC, "*", GONE },
	{ "archmis", M, PKI_ROLE_ARCHIVES, SC, "*", 0 },
	{ "archlow", UN, PKI_ROLE_ARCHIVES, CO, "*", 0 },
};

static void delegations(void)
{
	static const struct {
		const char *grantor, *grantee;
		enum pki_power power;
		const char *scope, *ref;
		int rc;
		const char *msg;
	} table[] = {
		{ "hom", "fc", PKI_POWER_SHARE_EXTERNAL, "*", "HoM memo 14", 0, NULL },
		{ "fc", "chair", PKI_POWER_DISSEMINATE, "poc", "FC note 3", 0, NULL },
		{ "fc", "chair", PKI_POWER_DECLASSIFY, "UNMISS-FORCE-2026-000001", "n", 0, NULL },
		{ "fc", "chair", PKI_POWER_SHARE_EXTERNAL, "*", "x", -PKI_EPOLICY,
		  "only the Head of Mission delegates authority to share outside the mission (policy 11.4.1)" },
		{ "auditor", "fc", PKI_POWER_DISSEMINATE, "*", "x", -PKI_EPOLICY,
		  "only an originator inside the mission" },
		{ "nobody", "fc", PKI_POWER_DISSEMINATE, "*", "x", -PKI_EPOLICY,
		  "granted by 'nobody', who is not a valid principal" },
		{ "gone", "fc", PKI_POWER_DISSEMINATE, "*", "x", -PKI_EPOLICY,
		  "granted by 'gone', who is not a valid principal" },
		{ "hom", "nobody", PKI_POWER_DISSEMINATE, "*", "x", -PKI_EPOLICY,
		  "'nobody' is not a valid principal of the access matrix (policy 9.8)" },
		{ "hom", "gone", PKI_POWER_DISSEMINATE, "*", "x", -PKI_EPOLICY,
		  "'gone' is not a valid principal" },
		{ "hom", "unct", PKI_POWER_SHARE_EXTERNAL, "*", "x", -PKI_EPOLICY,
		  "'unct' is outside the mission: authority is delegated within it (policy 9.8)" },
		{ "hom", "archives", PKI_POWER_DISSEMINATE, "*", "x", -PKI_EPOLICY, "outside the mission" },
		{ "hom", "fc", PKI_POWER_DISSEMINATE, "*", "", -PKI_EPOLICY,
		  "names no written instrument (policy 9.8)" },
		{ "hom", "fc", PKI_POWER_DISSEMINATE, "*", NULL, -PKI_EPOLICY, "no written instrument" },
		{ "hom", "fc", PKI_POWER_DISSEMINATE, "poc;crime", "x", -PKI_EPOLICY, "invalid scope 'poc;crime'" },
		{ "hom", "fc", PKI_POWER_DISSEMINATE, "", "x", -PKI_EPOLICY, "invalid scope" },
		{ "hom", "fc", PKI_POWER_DISSEMINATE, "UNMISS", "x", -PKI_EPOLICY, "invalid scope" },
	};
	struct pki_matrix m;
	struct pki_delegation x;
	size_t i;
	int rc;

	build(&m, people, NELEM(people));
	for (i = 0; i < NELEM(table); i++) {
		memset(&x, 0, sizeof(x));
		x.id = (char *)"DLG-0000000001";
		x.grantor = (char *)table[i].grantor;
		x.grantee = (char *)table[i].grantee;
		x.power = table[i].power;
		x.scope = (char *)table[i].scope;
		x.reference = (char *)table[i].ref;
		x.from = JAN1;
		rc = pki_policy_delegation_ok(&x, &m, NOW);
		is_int(rc, table[i].rc, "%s grants %s %s over '%s'", x.grantor, x.grantee,
		       pki_power_name(x.power), x.scope);
		if (table[i].msg != NULL)
			ok(strstr(pki_error_last(), table[i].msg) != NULL, "  says '%s': %s",
			   table[i].msg, pki_error_last());
	}
	pki_matrix_release(&m);
}

static void same_grant(void)
{
	struct pki_delegation a = { (char *)"D1", (char *)"hom", (char *)"fc",
		PKI_POWER_DISSEMINATE, (char *)"poc", JAN1, 0, NULL, NULL, (char *)"memo" };
	struct pki_delegation b = a;

	ok(pki_delegation_same(&a, &b), "a grant is the same as its copy");
	b.reference = (char *)"another memo";
	ok(!pki_delegation_same(&a, &b), "another reference is another grant");
	b = a;
	b.until = NOW;
	ok(!pki_delegation_same(&a, &b), "another window is another grant");
}

static void archives(void)
{
	static const struct {
		const char *name;
		bool key;
		int rc;
		const char *msg;
	} table[] = {
		{ "archives", true, 0, NULL },
		{ "archives", false, -PKI_EPOLICY, "has no key in the repository (policy 11.5.1)" },
		{ "nobody", true, -PKI_EPOLICY, "'nobody' is not a principal of the access matrix" },
		{ "fc", true, -PKI_EPOLICY, "'fc' is member, not the UN Archives" },
		{ "unct", true, -PKI_EPOLICY, "'unct' is external, not the UN Archives" },
		{ "archgone", true, -PKI_EPOLICY, "'archgone' is not a valid principal at" },
		{ "archmis", true, -PKI_EPOLICY, "'archmis': an archives principal is the UN Archives" },
		{ "archlow", true, -PKI_EPOLICY, "its clearance is strictly-confidential" },
	};
	struct pki_matrix m;
	size_t i;
	int rc;

	build(&m, people, NELEM(people));
	for (i = 0; i < NELEM(table); i++) {
		rc = pki_policy_archives_recipient(pki_matrix_find(&m, table[i].name), table[i].name,
						   table[i].key, NOW);
		is_int(rc, table[i].rc, "an archive share to %s%s", table[i].name,
		       table[i].key ? "" : " without a key");
		if (table[i].msg != NULL)
			ok(strstr(pki_error_last(), table[i].msg) != NULL, "  says '%s': %s",
			   table[i].msg, pki_error_last());
	}
	pki_matrix_release(&m);
}

static void withdraw(void)
{
	struct pki_delegation a = { (char *)"D1", (char *)"fc", (char *)"gone",
		PKI_POWER_DISSEMINATE, (char *)"poc", JAN1, 0, NULL, NULL, (char *)"memo" };
	struct pki_delegation b = a;
	struct pki_matrix m;
	const struct pki_principal *fc, *auditor, *hom;

	build(&m, people, NELEM(people));
	fc = pki_matrix_find(&m, "fc");
	auditor = pki_matrix_find(&m, "auditor");
	hom = pki_matrix_find(&m, "hom");
	b.until = NOW;
	ok(pki_policy_is_withdrawal(&a, &b, NOW), "ending an open delegation now withdraws it");
	is_int(pki_policy_may_withdraw(fc, &a, &b, NOW), 0, "its grantor withdraws it");
	is_int(pki_policy_may_withdraw(hom, &a, &b, NOW), 0, "the Head of Mission withdraws it");
	is_int(pki_policy_may_withdraw(auditor, &a, &b, NOW), -PKI_EPOLICY, "another does not");
	ok(strstr(pki_error_last(), "only its grantor, the Head of Mission and the Chair "
		  "withdraw it (policy 9.8, 11.4.1)") != NULL, "  says so: %s", pki_error_last());
	b.until = NOW + 3 * DAY;
	ok(!pki_policy_is_withdrawal(&a, &b, NOW), "ending it another day is no withdrawal");
	is_int(pki_policy_may_withdraw(fc, &a, &b, NOW), -PKI_EPOLICY, "  its grantor may not");
	is_int(pki_policy_may_withdraw(hom, &a, &b, NOW), 0, "  the Head of Mission may");
	b = a;
	b.until = NOW;
	b.scope = (char *)"crime";
	ok(!pki_policy_is_withdrawal(&a, &b, NOW), "another scope is no withdrawal");
	a.until = NOW - DAY / 2;
	b = a;
	b.until = NOW;
	ok(!pki_policy_is_withdrawal(&a, &b, NOW), "moving an end later is no withdrawal");
	pki_matrix_release(&m);
}

static void rekeyed(void)
{
	struct pki_matrix before, after;
	struct pki_principal *p;
	struct pki_names list = { 0 };

	build(&before, people, NELEM(people));
	build(&after, people, NELEM(people));
	ok(pki_policy_rekeyed(&before, &after) == NULL, "no fingerprint changed: no rekey");
	p = pki_matrix_find(&after, "chair");
	memset(p->fpr, 'F', 40);
	is_str(pki_policy_rekeyed(&before, &after), "chair", "one fingerprint changed: a rekey");
	pki_names_add(&list, "hom");
	is_int(pki_policy_rekey_rewrite("chair", &list, PKI_LF_BINDING), -PKI_EPOLICY,
	       "a product not on its list is no rekey's");
	pki_names_add(&list, "chair");
	is_int(pki_policy_rekey_rewrite("chair", &list, PKI_LF_BINDING), 0,
	       "a product on its list, its binding rewritten");
	is_int(pki_policy_rekey_rewrite("chair", &list, PKI_LF_BINDING | PKI_LF_DISTRIBUTION),
	       -PKI_EPOLICY, "  but not its list");
	is_int(pki_policy_rekey_rewrite(NULL, &list, PKI_LF_BINDING), -PKI_EPOLICY,
	       "no rekey, no rewrite without a row");
	p = pki_matrix_find(&after, "fc");
	memset(p->fpr, 'E', 40);
	ok(pki_policy_rekeyed(&before, &after) == NULL, "two fingerprints changed: no rekey");
	pki_names_release(&list);
	pki_matrix_release(&before);
	pki_matrix_release(&after);
}

int main(void)
{
	keepers();
	role_fits();
	delegations();
	same_grant();
	archives();
	withdraw();
	rekeyed();
	return done_testing();
}
