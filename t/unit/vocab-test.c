/* vocab-test.c: the words, the name checkers, areas and time. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "paths.h"
#include "tap.h"
#include "vocab.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void test_words(void)
{
	enum pki_level l;
	enum pki_type t;
	enum pki_role r;
	enum pki_power p;
	enum pki_action a;
	char c;

	is_int(pki_level_parse("strictly-confidential", &l), 0, "level parses");
	is_int(l, PKI_LEVEL_STRICTLY_CONFIDENTIAL, "level value");
	ok(PKI_LEVEL_UNCLASSIFIED < PKI_LEVEL_CONFIDENTIAL &&
	   PKI_LEVEL_CONFIDENTIAL < PKI_LEVEL_STRICTLY_CONFIDENTIAL, "levels are ordered");
	is_str(pki_level_name(PKI_LEVEL_CONFIDENTIAL), "confidential", "level name");
	is_int(pki_level_parse("secret", &l), -PKI_EUSAGE, "unknown level refused");
	is_str(pki_error_last(), "unknown level 'secret' (unclassified, confidential, "
	       "strictly-confidential)", "message lists the words");
	is_int(pki_level_parse("Confidential", &l), -PKI_EUSAGE, "words are case-sensitive");
	is_int(pki_level_parse("", &l), -PKI_EUSAGE, "empty word refused");

	is_int(pki_type_parse("security-force", &t), 0, "type parses");
	is_int(t, PKI_TYPE_SECURITY_FORCE, "type value");
	is_str(pki_type_name(PKI_TYPE_NON_UN), "non-un", "type name");
	is_int(pki_role_parse("undss", &r), 0, "role parses");
	is_int(r, PKI_ROLE_UNDSS, "role value");
	is_str(pki_role_name(PKI_ROLE_EXTERNAL), "external", "role name");
	is_int(pki_role_parse("admin", &r), -PKI_EUSAGE, "unknown role refused");
	is_int(pki_power_parse("share-external", &p), 0, "power parses");
	is_int(p, PKI_POWER_SHARE_EXTERNAL, "power value");
	is_str(pki_power_name(PKI_POWER_DECLASSIFY), "declassify", "power name");
	is_int(pki_power_parse("successor", &p), 0, "successor parses");
	is_int(p, PKI_POWER_SUCCESSOR, "successor value");
	is_str(pki_power_name(PKI_POWER_SUCCESSOR), "successor", "successor name");
	is_int(pki_power_parse("direct", &p), 0, "direct parses");
	is_int(p, PKI_POWER_DIRECT, "direct value");
	is_int(pki_action_parse("archive", &a), 0, "action parses");
	is_int(a, PKI_ACTION_ARCHIVE, "action value");
	is_str(pki_action_name(PKI_ACTION_RECLASSIFY), "reclassify", "action name");
	is_int(pki_action_parse("review", &a), 0, "review parses");
	is_int(a, PKI_ACTION_REVIEW, "review value");
	is_int(pki_action_parse("archive-ack", &a), 0, "archive-ack parses");
	is_int(a, PKI_ACTION_ARCHIVE_ACK, "archive-ack value");
	is_str(pki_action_name(PKI_ACTION_ARCHIVE_ACK), "archive-ack", "archive-ack name");
	is_int(pki_action_parse("delete", &a), -PKI_EUSAGE, "unknown action refused");
	is_str(pki_level_name((enum pki_level)7), "(invalid)", "out-of-range value named safely");

	is_int(pki_criterion_parse("b", &c), 0, "criterion code");
	is_int(c, 'b', "criterion value");
	is_int(pki_criterion_parse("operations-security", &c), 0, "criterion by name");
	is_int(c, 'c', "criterion name value");
	is_int(pki_criterion_parse("h", &c), -PKI_EUSAGE, "criterion h refused");
	is_int(pki_criterion_parse("ab", &c), -PKI_EUSAGE, "criterion ab refused");
	is_int(pki_criterion_parse("", &c), -PKI_EUSAGE, "empty criterion refused");
	is_str(pki_criterion_name('a'), "third-party-confidence", "criterion a");
	is_str(pki_criterion_name('g'), "other", "criterion g");
	is_str(pki_criterion_name('h'), NULL, "no criterion h");
}

static void test_names(void)
{
	static const char *const good[] = { "fc", "0", "j.mac_2-x", "a123456789012345678901234567890123456789012345678901234567890123" };
	static const char *const bad[] = {
		"", "FC", "fc/x", "../x", "a..b", ".fc", "-fc", "_fc", "f c", "fc\n",
		"fé", "a1234567890123456789012345678901234567890123456789012345678901234",
	};
	char fpr[64];
	size_t i;

	for (i = 0; i < NELEM(good); i++)
		is_int(pki_check_principal("principal", good[i]), 0, "principal '%s'", good[i]);
	for (i = 0; i < NELEM(bad); i++)
		is_int(pki_check_principal("principal", bad[i]), -PKI_EUSAGE,
		       "principal #%zu refused", i);
	pki_check_principal("recipient", "a\x1b[31mb");
	ok(strchr(pki_error_last(), '\x1b') == NULL, "no control byte echoed: %s",
	   pki_error_last());
	ok(strstr(pki_error_last(), "recipient") != NULL, "message names what");

	is_int(pki_check_code("mission code", "UNMISS"), 0, "code");
	is_int(pki_check_code("mission code", "A234567890123456"), 0, "code of 16");
	is_int(pki_check_code("mission code", "A2345678901234567"), -PKI_EUSAGE, "code of 17");
	is_int(pki_check_code("mission code", "unmiss"), -PKI_EUSAGE, "lower-case code");
	is_int(pki_check_code("mission code", ""), -PKI_EUSAGE, "empty code");
	is_int(pki_check_code("mission code", "UN-MISS"), -PKI_EUSAGE, "code with -");

	is_int(pki_check_product_id("UNMISS-JMAC-2026-000042"), 0, "product ID");
	is_int(pki_check_product_id("A-B-1970-000000"), 0, "short product ID");
	is_int(pki_check_product_id("UNMISS-JMAC-2026-00042"), -PKI_EUSAGE, "5-digit serial");
	is_int(pki_check_product_id("UNMISS-JMAC-2026-0000420"), -PKI_EUSAGE, "7-digit serial");
	is_int(pki_check_product_id("UNMISS-JMAC-26-000042"), -PKI_EUSAGE, "2-digit year");
	is_int(pki_check_product_id("UNMISS-JMAC-1969-000042"), -PKI_EUSAGE, "year before 1970");
	is_int(pki_check_product_id("unmiss-JMAC-2026-000042"), -PKI_EUSAGE, "lower-case mission");
	is_int(pki_check_product_id("UNMISS--2026-000042"), -PKI_EUSAGE, "empty entity");
	is_int(pki_check_product_id("UNMISS-JMAC-2026-000042/../x"), -PKI_EUSAGE, "path");
	is_int(pki_check_product_id("UNMISS-JMAC-X-2026-000042"), 0, "five parts: a site");
	is_int(pki_check_product_id("UNMISS-JMAC-X-Y-2026-000042"), -PKI_EUSAGE, "six parts");
	is_int(pki_check_product_id("UNMISS-JMAC-2026-00004a"), -PKI_EUSAGE, "letter in serial");

	strcpy(fpr, "0123456789abcdef0123456789ABCDEF01234567");
	is_int(pki_check_fingerprint("fingerprint", fpr), 0, "fingerprint");
	is_str(fpr, "0123456789ABCDEF0123456789ABCDEF01234567", "upper-cased in place");
	strcpy(fpr, "0123456789ABCDEF0123456789ABCDEF0123456");
	is_int(pki_check_fingerprint("fingerprint", fpr), -PKI_EUSAGE, "39 digits");
	strcpy(fpr, "0123456789ABCDEF0123456789ABCDEF012345678");
	is_int(pki_check_fingerprint("fingerprint", fpr), -PKI_EUSAGE, "41 digits");
	strcpy(fpr, "0123456789ABCDEF0123456789ABCDEF0123456G");
	is_int(pki_check_fingerprint("fingerprint", fpr), -PKI_EUSAGE, "not hex");
	strcpy(fpr, "0123456789abcdef0123456789ABCDEF0123456G");
	pki_check_fingerprint("fingerprint", fpr);
	is_str(fpr, "0123456789abcdef0123456789ABCDEF0123456G", "refused, left alone");
}

static void test_areas(void)
{
	char many[512] = "", one[60];
	int i;

	is_int(pki_check_areas("areas", ""), 0, "no areas");
	is_int(pki_check_areas("areas", "*"), 0, "all areas");
	is_int(pki_check_areas("areas", "poc;force-protection;crime"), 0, "a list");
	is_int(pki_check_areas("areas", "poc;"), -PKI_EUSAGE, "trailing ;");
	is_int(pki_check_areas("areas", ";poc"), -PKI_EUSAGE, "leading ;");
	is_int(pki_check_areas("areas", "poc;;crime"), -PKI_EUSAGE, "empty area");
	is_int(pki_check_areas("areas", "POC"), -PKI_EUSAGE, "upper case");
	is_int(pki_check_areas("areas", "-poc"), -PKI_EUSAGE, "leading -");
	is_int(pki_check_areas("areas", "poc;*"), -PKI_EUSAGE, "* in a list");
	is_int(pki_check_areas("areas", "po c"), -PKI_EUSAGE, "space");
	for (i = 0; i < 64; i++)
		sprintf(many + strlen(many), "%sa%d", i > 0 ? ";" : "", i);
	is_int(pki_check_areas("areas", many), 0, "64 areas");
	strcat(many, ";z");
	is_int(pki_check_areas("areas", many), -PKI_EUSAGE, "65 areas");
	memset(one, 'a', 48);
	one[48] = '\0';
	is_int(pki_check_areas("areas", one), 0, "area of 48");
	strcat(one, "a");
	is_int(pki_check_areas("areas", one), -PKI_EUSAGE, "area of 49");

	ok(pki_areas_meet("poc;crime", "crime"), "lists that share an area meet");
	ok(pki_areas_meet("a;b;c", "x;y;c"), "meet on the last area");
	ok(!pki_areas_meet("poc;crime", "force-protection"), "disjoint lists do not");
	ok(!pki_areas_meet("poc", "po"), "a prefix is not an area");
	ok(!pki_areas_meet("po", "poc;x"), "nor the other way");
	ok(pki_areas_meet("*", "crime"), "* meets a list");
	ok(pki_areas_meet("crime", "*"), "a list meets *");
	ok(pki_areas_meet("*", "*"), "* meets *");
	ok(!pki_areas_meet("*", ""), "* does not meet nothing");
	ok(!pki_areas_meet("", "*"), "nothing does not meet *");
	ok(!pki_areas_meet("", ""), "nothing meets nothing not");
}

static void test_text(void)
{
	char big[300];

	is_int(pki_check_text("reference", "UNMISS/HOM/2026/17 — décision", 256), 0, "UTF-8 text");
	is_int(pki_check_text("reference", "", 256), 0, "empty text");
	is_int(pki_check_text("reference", "\xf0\x9f\x98\x80", 4), 0, "4-byte sequence, at max");
	is_int(pki_check_text("reference", "\xf0\x9f\x98\x80", 3), -PKI_EUSAGE,
	       "a sequence that ends past max");
	is_int(pki_check_text("reference", "ab\xc3\xa9", 3), -PKI_EUSAGE,
	       "a 2-byte sequence that ends past max");
	is_int(pki_check_text("reference", "a\tb", 256), -PKI_EUSAGE, "TAB refused");
	is_int(pki_check_text("reference", "a\nb", 256), -PKI_EUSAGE, "newline refused");
	is_int(pki_check_text("reference", "a\x7f", 256), -PKI_EUSAGE, "DEL refused");
	is_int(pki_check_text("reference", "a\xc2\x9b", 256), -PKI_EUSAGE, "C1 CSI refused");
	is_int(pki_check_text("reference", "\xc0\xaf", 256), -PKI_EUSAGE, "overlong / refused");
	is_int(pki_check_text("reference", "\xe0\x80\xaf", 256), -PKI_EUSAGE, "overlong 3-byte");
	is_int(pki_check_text("reference", "\xf0\x80\x80\xaf", 256), -PKI_EUSAGE, "overlong 4-byte");
	is_int(pki_check_text("reference", "\xed\xa0\x80", 256), -PKI_EUSAGE, "surrogate refused");
	is_int(pki_check_text("reference", "\xf4\x90\x80\x80", 256), -PKI_EUSAGE, "past U+10FFFF");
	is_int(pki_check_text("reference", "\xe2\x82", 256), -PKI_EUSAGE, "truncated sequence");
	is_int(pki_check_text("reference", "\x80", 256), -PKI_EUSAGE, "lone continuation");
	is_int(pki_check_text("reference", "\xff", 256), -PKI_EUSAGE, "0xff");
	ok(strstr(pki_error_last(), "reference is not valid UTF-8") != NULL, "message: %s",
	   pki_error_last());
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[256] = '\0';
	is_int(pki_check_text("reference", big, 256), 0, "256 bytes");
	big[256] = 'x';
	is_int(pki_check_text("reference", big, 256), -PKI_EUSAGE, "257 bytes");
	is_str(pki_error_last(), "reference is longer than 256 bytes", "message");
}

static void test_time(void)
{
	char buf[PKI_TIME_LEN], date[PKI_DATE_LEN];
	time_t t, u;
	static const char *const bad_span[] = {
		"", "202", "20266", "1969", "1969-12", "2026-13", "2026-00", "2026-1",
		"2026-001", "2026/12", " 2026", "2026 ", "+2026", "2026-12-", "2026-01-01x",
	};
	static const char *const bad[] = {
		"", "2026", "2026-1-01", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32",
		"2026-04-31", "2026-02-29", "1900-02-29", "2100-02-29", "1969-12-31",
		"2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z",
		"2026-01-01T00:00:00", "2026-01-01t00:00:00Z", "2026-01-01T00:00:00z",
		"2026-01-01T00:00:00+01:00", "2026-01-01 00:00:00Z", "2026-01-01x",
		"2026-01-01T00:00:00Zx", " 2026-01-01", "+026-01-01", "2026-01-01T0:00:00Z",
	};
	size_t i;

	is_int(pki_time_parse("--date", "2026-01-01", &t), 0, "date");
	is_int(t, 1767225600, "midnight UTC");
	is_int(pki_time_parse("--date", "2026-01-01T11:05:00Z", &t), 0, "time");
	is_int(t, 1767225600 + 11 * 3600 + 5 * 60, "time value");
	is_int(pki_time_parse("--date", "2026-01-01T11:05:00+00:00", &t), 0, "+00:00");
	is_int(t, 1767225600 + 11 * 3600 + 5 * 60, "+00:00 value");
	is_int(pki_time_parse("--date", "2024-02-29", &t), 0, "Feb 29 of a leap year");
	is_int(pki_time_parse("--date", "2000-02-29", &t), 0, "Feb 29 of 2000");
	is_int(pki_time_parse("--date", "1970-01-01T00:00:00Z", &t), 0, "the epoch");
	is_int(t, 0, "epoch value");
	is_int(pki_time_parse("--date", "9999-12-31T23:59:59Z", &t), 0, "the last second");
	for (i = 0; i < NELEM(bad); i++)
		is_int(pki_time_parse("--date", bad[i], &t), -PKI_EUSAGE, "refused: '%s'", bad[i]);
	pki_time_parse("--until", "2026-13-01", &t);
	is_str(pki_error_last(), "invalid date '2026-13-01' for --until (expected "
	       "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)", "message");
	pki_time_parse("--until", "2026-01-01AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &t);
	ok(strlen(pki_error_last()) < 160 && strstr(pki_error_last(), "...") != NULL,
	   "an overlong value is echoed cut short");

	is_int(pki_time_parse_until("--until", "2026-01-01", &t), 0, "until a date");
	is_int(t, 1767225600 + 86400, "means the next midnight");
	is_int(pki_time_parse_until("--until", "2026-01-01T12:00:00Z", &t), 0, "until a time");
	is_int(t, 1767225600 + 12 * 3600, "means that instant");
	is_int(pki_time_parse_until("--until", "2026-02-29", &t), -PKI_EUSAGE, "until refuses too");

	is_int(pki_time_span("--since", "2026-12", &t, &u), 0, "span: a month");
	is_int(t, 1796083200, "from its first second");
	is_int(u, 1798761600, "to the next year's first");
	is_int(pki_time_span("--until", "2024-02", &t, &u), 0, "span: February of a leap year");
	is_int(u - t, 29 * 86400, "29 days");
	is_int(pki_time_span("--since", "2026", &t, &u), 0, "span: a year");
	is_int(t, 1767225600, "from New Year");
	is_int(u, 1798761600, "to the next");
	is_int(pki_time_span("--since", "2026-01-01", &t, &u), 0, "span: a day");
	is_int(u - t, 86400, "one day");
	is_int(pki_time_span("--since", "2026-01-01T11:05:00Z", &t, &u), 0, "span: an instant");
	ok(t == u && t == 1767225600 + 11 * 3600 + 5 * 60, "begins and ends there");
	is_int(pki_time_span("--since", "9999-12", &t, &u), 0, "span: the last month");
	for (i = 0; i < NELEM(bad_span); i++)
		is_int(pki_time_span("--since", bad_span[i], &t, &u), -PKI_EUSAGE,
		       "span refused: '%s'", bad_span[i]);
	is_str(pki_error_last(), "invalid date '2026-01-01x' for --since (expected YYYY, "
	       "YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)", "span message");

	pki_time_format(1767225600 + 11 * 3600 + 5 * 60 + 7, buf);
	is_str(buf, "2026-01-01T11:05:07Z", "time format");
	pki_date_format(1767225600 + 86399, date);
	is_str(date, "2026-01-01", "date format");
	pki_time_format((time_t)-1, buf);
	is_str(buf, "0000-00-00T00:00:00Z", "out of range formats safely");

	setenv("PKI_DATE", "2026-11-26T11:05:00Z", 1);
	is_int(pki_now(&t), 0, "PKI_DATE");
	pki_time_format(t, buf);
	is_str(buf, "2026-11-26T11:05:00Z", "PKI_DATE value");
	setenv("PKI_DATE", "yesterday", 1);
	is_int(pki_now(&t), -PKI_EUSAGE, "bad PKI_DATE refused");
	ok(strstr(pki_error_last(), "PKI_DATE") != NULL, "message names PKI_DATE");
	unsetenv("PKI_DATE");
	is_int(pki_now(&t), 0, "the clock");
	ok(t > 1767225600, "the clock is after 2026");
}

/* A delegation's scope, and the words of the authority column. */
static void test_scope(void)
{
	is_int(pki_check_scope("scope", "*"), 0, "scope *");
	is_int(pki_check_scope("scope", "poc"), 0, "scope: one area");
	is_int(pki_check_scope("scope", "UNMISS-JMAC-2026-000042"), 0, "scope: a product ID");
	is_int(pki_check_scope("scope", "poc;crime"), -PKI_EUSAGE, "scope: two areas");
	is_int(pki_check_scope("--scope", ""), -PKI_EUSAGE, "scope: empty");
	ok(strstr(pki_error_last(), "invalid --scope ''") != NULL, "names the option: %s",
	   pki_error_last());
	is_int(pki_check_scope("scope", "../x"), -PKI_EUSAGE, "scope: a path");
	ok(pki_authority_is_word("custodian"), "custodian is a word");
	ok(!pki_authority_is_delegation("hom"), "hom is no delegation");
	ok(!pki_authority_is_delegation(""), "nothing is no delegation");
	ok(pki_authority_is_delegation("DLG-0123456789"), "an ID is a delegation");
}

/* The one parser of product IDs, both forms, and the buckets it gives. */
static void test_product_id(void)
{
	struct pki_product_id p;
	char path[PKI_PRODUCT_PATH_MAX], longid[300];
	static const char *const bad[] = {
		"UNMISS-JMAC-bor-2026-000007",		/* lower-case site */
		"UNMISS-JMAC-B0R1234567890ABCD-2026-000007",	/* site of 17 */
		"UNMISS-JMAC--2026-000007",		/* empty site */
		"UNMISS-JMAC-BOR-2026-000007-",		/* trailing dash */
		"-UNMISS-JMAC-2026-000007",
		"UNMISS-JMAC-BOR-X-2026-000007",	/* six parts */
		"UNMISS-JMAC-BOR-26-000007",
		"UNMISS-JMAC-BOR-1969-000007",
		"UNMISS-JMAC-BOR-2026-0000007",
		"UNMISS-JMAC-BOR-2026",
		"UNMISS-2026-000007",			/* no entity */
		"UNMISS-JM_C-2026-000007",
		"",
	};
	size_t i;

	is_int(pki_product_id_parse("UNMISS-JMAC-2026-000042", &p), 0, "ID without a site");
	is_str(p.mission, "UNMISS", "its mission");
	is_str(p.entity, "JMAC", "its entity");
	is_str(p.site, "", "no site");
	is_int(p.year, 2026, "its year");
	is_int((int)p.serial, 42, "its serial");
	is_int(pki_product_id_parse("UNMISS-JMAC-BOR-2026-000007", &p), 0, "ID with a site");
	is_str(p.mission, "UNMISS", "its mission");
	is_str(p.entity, "JMAC", "its entity");
	is_str(p.site, "BOR", "its site");
	is_int(p.year, 2026, "its year");
	is_int((int)p.serial, 7, "its serial");
	/* A site of four digits is told from a year by the count of parts. */
	is_int(pki_product_id_parse("UNMISS-JMAC-2025-2026-999999", &p), 0, "site like a year");
	is_str(p.site, "2025", "the site");
	is_int(p.year, 2026, "the year");
	is_int((int)p.serial, 999999, "the highest serial");
	is_int(pki_product_id_parse("A234567890123456-B234567890123456-C234567890123456-2026-000001",
				    &p), 0, "codes of 16");
	is_str(p.site, "C234567890123456", "a site of 16");
	for (i = 0; i < NELEM(bad); i++)
		is_int(pki_product_id_parse(bad[i], &p), -PKI_EUSAGE, "refused: %s", bad[i]);
	ok(strstr(pki_error_last(), "MISSION-ENTITY[-SITE]-YYYY-NNNNNN") != NULL,
	   "the message gives both forms");
	memset(longid, 'A', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	is_int(pki_product_id_parse(longid, &p), -PKI_EUSAGE, "a long word refused");
	memcpy(longid + sizeof(longid) - 13, "-2026-000001", 13);
	is_int(pki_product_id_parse(longid, &p), -PKI_EUSAGE, "a long ID refused");

	is_int(pki_product_path("UNMISS-JMAC-2026-000042", "gpg", path), 0, "path");
	is_str(path, "products/JMAC-2026-000/UNMISS-JMAC-2026-000042.gpg", "bucket ENTITY-YYYY-NNN");
	is_int(pki_product_path("UNMISS-JMAC-BOR-2026-000500", "xml", path), 0, "site path");
	is_str(path, "products/JMAC-BOR-2026-001/UNMISS-JMAC-BOR-2026-000500.xml",
	       "bucket ENTITY-SITE-YYYY-NNN, 500 a bucket");
	is_int(pki_product_path("A234567890123456-B234567890123456-C234567890123456-2026-999999",
				"gpg", path), 0, "the longest path fits");
	is_str(path, "products/B234567890123456-C234567890123456-2026-1999/"
	       "A234567890123456-B234567890123456-C234567890123456-2026-999999.gpg",
	       "the longest path");
	is_int(pki_product_path("UNMISS-JMAC-bor-2026-000001", "gpg", path), -PKI_EUSAGE,
	       "no path for a bad ID");
}

int main(void)
{
	test_words();
	test_names();
	test_areas();
	test_text();
	test_time();
	test_scope();
	test_product_id();
	return done_testing();
}
