/* uid-test.c: user IDs that name one identity, and the author rule. */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "error.h"
#include "policy.h"
#include "tap.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void test_uid(void)
{
	static const struct { const char *uid, *email; } good[] = {
		{ "Ada Okafor <hom@mission.example>", "hom@mission.example" },
		{ "<hom@mission.example>", "hom@mission.example" },
		{ "Ada (HoM) <hom@mission.example>", "hom@mission.example" },
		{ "Tom\xc3\xa1s <fc@mission.example>", "fc@mission.example" },
	};
	static const char *const bad[] = {
		"Eve <eve@mission.example> <hom@mission.example>",
		"Eve <eve@mission.example><hom@mission.example>",
		"hom@mission.example",
		"Eve <hom@mission.example",
		"Eve <hom@mission.example> trailer",
		"Eve<hom@mission.example>",
		"Eve > <hom@mission.example>",
		"Eve <hom@mission.example>>",
		"Eve <hom@@mission.example>",
		"Eve <a@b@mission.example>",
		"Eve <hom mission@example>",
		"Eve <@mission.example>",
		"Eve <hom@>",
		"Eve <>",
		"Eve\n <hom@mission.example>",
		"Eve\x1b[2J <hom@mission.example>",
		"",
	};
	char *email;
	size_t i;

	for (i = 0; i < NELEM(good); i++) {
		is_int(pki_uid_parse(good[i].uid, &email), 0, "parses: %s", good[i].uid);
		is_str(email, good[i].email, "its address");
		free(email);
	}
	for (i = 0; i < NELEM(bad); i++) {
		is_int(pki_uid_parse(bad[i], &email), -PKI_EDATA, "refused: bad user ID %zu", i);
		ok(email == NULL, "no address");
	}
	is_str(pki_error_last(), "user ID '' is not one 'Name <address>'", "message");
}

static void test_author(void)
{
	struct pki_principal fc = { 0 };
	char a[] = "fc@mission.example", b[] = "tomas@example.org";
	char *emails[] = { a, b };

	fc.name = (char *)"fc";
	is_int(pki_policy_author(&fc, "fc@mission.example", emails, 2), 0, "the key's address");
	is_int(pki_policy_author(&fc, "Tomas@Example.org", emails, 2), 0, "any, in any case");
	is_int(pki_policy_author(&fc, "hom@mission.example", emails, 2), -PKI_EPOLICY,
	       "another's address refused");
	is_str(pki_error_last(), "'hom@mission.example' is no address of the key of 'fc', who "
	       "signed: changes are made in the signer's name (policy 12.10)", "message");
	is_int(pki_policy_author(&fc, "", emails, 2), -PKI_EPOLICY, "no address refused");
	is_int(pki_policy_author(&fc, "fc@mission.example", emails, 0), -PKI_EPOLICY,
	       "a key with no user ID that names one identity authors nothing");
}

int main(void)
{
	test_uid();
	test_author();
	return done_testing();
}
