/* policy-arrange-test.c: the register of written arrangements
 * (arrangements.csv) and its rules, as pki-matrix arrange and pki-share
 * judge them: built from CSV in memory, no git, no gpg. */
#include <stdio.h>
#include <string.h>

#include "arrangement.h"
#include "error.h"
#include "matrix.h"
#include "policy.h"
#include "tap.h"

#define MAR1 1772323200		/* 2026-03-01T00:00:00Z */
#define DAY 86400

static const char matrix_csv[] =
	"principal,fingerprint,entity,type,role,clearance,areas,valid_from,valid_until\n"
	"hom,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,OSRSG,mission,hom,strictly-confidential,*,2026-01-01,\n"
	"jmac,BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB,JMAC,mission,member,strictly-confidential,poc,2026-01-01,\n"
	"hoststate,CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC,HOST,non-un,external,confidential,,2026-01-01,\n"
	"fama,DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD,FAMA,security-force,external,confidential,,2026-01-01,\n"
	"elder,,COMMUNITY,non-un,external,confidential,,2026-01-01,\n";

static const char register_csv[] =
	"arrangement,kind,partner,reference,valid_from,valid_until,review_due\n"
	"ARR-01,orcon,HOST,MoU 1,2026-03-01,,\n"
	"ARR-02,hrddp,fama,RA 1,2026-03-01,,2026-03-20\n"
	"ARR-03,consent,hoststate,letter,2026-03-01,,\n"
	"ARR-04,orcon,FAMA,MoU 2,2026-03-01,2026-03-10,\n"
	"ARR-05,legal,HOST,advice,2026-03-01,,\n"
	"ARR-06,orcon,FAMA,MoU 3,2026-04-01,,\n";

static struct pki_matrix m;
static struct pki_arrangements reg;

/* Share p with recipient under the given references at `at`: 0 or the refusal. */
static int share(const char *recipient, const char *orcon, const char *hrddp,
		 const char *consent, time_t at)
{
	struct pki_share_ctx c = { 0 };

	c.recipient_name = recipient;
	c.recipient = pki_matrix_find(&m, recipient);
	c.arrangements = &reg;
	c.arrangement = orcon;
	c.hrddp = hrddp;
	c.consent = consent;
	c.at = at;
	return pki_policy_share_arrangements(&c);
}

static int refused(int rc, const char *needle)
{
	return rc == -PKI_EPOLICY && strstr(pki_error_last(), needle) != NULL;
}

static void test_register(void)
{
	static const char bad_kind[] = "arrangement,kind,partner,reference,valid_from,"
		"valid_until,review_due\nA,treaty,HOST,x,2026-03-01,,\n";
	static const char no_ref[] = "arrangement,kind,partner,reference,valid_from,"
		"valid_until,review_due\nA,orcon,HOST,,2026-03-01,,\n";
	struct pki_buf out = PKI_BUF_INIT;
	struct pki_arrangements again = { 0 };

	is_int(pki_arrangements_parse(&reg, register_csv, strlen(register_csv)), 0, "parse");
	is_int((long long)reg.n, 6, "six rows");
	is_int(pki_arrangements_find(&reg, "ARR-02")->review, MAR1 + 20 * DAY,
	       "review_due: the end of its day");
	is_int(pki_arrangements_format(&reg, &out), 0, "format");
	is_int(pki_arrangements_parse(&again, out.ptr, out.len), 0, "what it writes reads back");
	ok(again.n == reg.n && pki_arrangement_same(&again.v[1], &reg.v[1]), "the same rows");
	pki_arrangements_release(&again);
	pki_buf_release(&out);
	ok(pki_arrangements_parse(&again, bad_kind, strlen(bad_kind)) == -PKI_EDATA &&
	   strstr(pki_error_last(), "invalid arrangement kind 'treaty'") != NULL,
	   "an unknown kind is bad data");
	ok(pki_arrangements_parse(&again, no_ref, strlen(no_ref)) == -PKI_EDATA &&
	   strstr(pki_error_last(), "names no written instrument") != NULL,
	   "an empty reference is bad data");
}

static void test_keepers(void)
{
	struct pki_arrangement x = *pki_arrangements_find(&reg, "ARR-01");

	is_int(pki_policy_may_arrange(pki_matrix_find(&m, "hom")), 0, "hom keeps the register");
	ok(refused(pki_policy_may_arrange(pki_matrix_find(&m, "jmac")), "(policy 11.4.3, 12.10)"),
	   "a member does not");
	is_int(pki_policy_arrangement_ok(&x, &m), 0, "an entity of the matrix as partner");
	x.partner = (char *)"hoststate";
	is_int(pki_policy_arrangement_ok(&x, &m), 0, "a principal as partner");
	x.partner = (char *)"NOBODY";
	ok(refused(pki_policy_arrangement_ok(&x, &m), "neither a principal nor the entity"),
	   "an unknown partner");
}

static void test_edits(void)
{
	const struct pki_arrangement *old = pki_arrangements_find(&reg, "ARR-01");
	const struct pki_arrangement *ended = pki_arrangements_find(&reg, "ARR-04");
	struct pki_arrangement nw = *old;

	nw.until = MAR1 + 5 * DAY;
	is_int(pki_policy_arrangement_edit(old, &nw), 0, "ended: allowed");
	nw.partner = (char *)"FAMA";
	ok(refused(pki_policy_arrangement_edit(old, &nw), "is rewritten"), "another partner");
	nw = *ended;
	nw.until = 0;
	ok(refused(pki_policy_arrangement_edit(ended, &nw), "extended or reopened"), "reopened");
	nw.until = ended->until + DAY;
	ok(refused(pki_policy_arrangement_edit(ended, &nw), "extended or reopened"), "extended");
}

static void test_share(void)
{
	time_t now = MAR1 + 2 * DAY;

	is_int(share("hoststate", "ARR-01", NULL, NULL, now), 0, "orcon with the entity");
	is_int(share("fama", "ARR-04", "ARR-02", NULL, now), 0, "orcon and hrddp with fama");
	is_int(share("hoststate", "ARR-01", NULL, "ARR-03", now), 0, "consent by name");
	ok(refused(share("hoststate", "MoU in a drawer", NULL, NULL, now),
		   "names no arrangement of the register"), "free text once the register exists");
	ok(refused(share("hoststate", "ARR-05", NULL, NULL, now), "is legal, not orcon"),
	   "the wrong kind");
	ok(refused(share("fama", "ARR-04", "ARR-04", NULL, now), "(--hrddp, policy 11.4.4)"),
	   "an orcon row given as HRDDP");
	ok(refused(share("fama", "ARR-01", "ARR-02", NULL, now),
		   "is with 'HOST', not with 'fama' or its entity 'FAMA'"), "another partner");
	ok(refused(share("fama", "ARR-04", "ARR-02", NULL, MAR1 + 10 * DAY), "ended at"),
	   "ended");
	ok(refused(share("fama", "ARR-06", "ARR-02", NULL, now), "valid only from"),
	   "not begun");
	ok(refused(share("fama", "ARR-06", "ARR-02", NULL, MAR1 + 40 * DAY),
		   "was due for review by"), "an HRDDP assessment past review");
	is_int(share("fama", "ARR-04", "ARR-02", NULL, MAR1 + 8 * DAY), 0,
	       "the review is due at the end of its day, not before");
}

static void test_free_text(void)
{
	struct pki_share_ctx c = { 0 };

	c.recipient_name = "hoststate";
	c.recipient = pki_matrix_find(&m, "hoststate");
	c.arrangement = "MoU in a drawer";
	c.at = MAR1;
	is_int(pki_policy_share_arrangements(&c), 0, "no register: free text");
	is_int(pki_policy_medium("oral"), 0, "oral is a medium");
	is_int(pki_policy_medium(NULL), 0, "none is an encrypted file");
	is_int(pki_policy_medium("smoke"), -PKI_EUSAGE, "smoke is not");
}

int main(void)
{
	is_int(pki_matrix_parse(&m, matrix_csv, strlen(matrix_csv)), 0,
	       "a matrix with a principal without a key");
	is_str(pki_matrix_find(&m, "elder")->fpr, "", "its fingerprint is empty");
	ok(pki_matrix_find_fpr(&m, "") == NULL, "no key is nobody's");
	test_register();
	test_keepers();
	test_edits();
	test_share();
	test_free_text();
	pki_arrangements_release(&reg);
	pki_matrix_release(&m);
	return done_testing();
}
