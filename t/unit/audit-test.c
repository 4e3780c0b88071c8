/* audit-test.c: findings, their codes and the three reports. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "error.h"
#include "label.h"
#include "tap.h"
#include "xml-read.h"

/* Every code is A and three digits, once; every name once; families in order. */
static void test_codes(void)
{
	size_t i, k;
	int unique = 1, shaped = 1, ordered = 1;

	for (i = 0; i < PKI_A_N; i++) {
		const char *c = pki_audit_code(i), *n = pki_audit_name(i);

		if (strlen(c) != 4 || c[0] != 'A' || strspn(c + 1, "0123456789") != 3 ||
		    strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(n))
			shaped = 0;
		if (i > 0 && strcmp(pki_audit_code(i - 1), c) >= 0)
			ordered = 0;
		for (k = 0; k < i; k++)
			if (strcmp(pki_audit_code(k), c) == 0 || strcmp(pki_audit_name(k), n) == 0)
				unique = 0;
	}
	ok(shaped, "codes are A000 to A999, names lower-case words");
	ok(ordered, "codes in increasing order");
	ok(unique, "no code or name twice");
	is_str(pki_audit_code(PKI_A_UNSIGNED), "A101", "A101");
	is_str(pki_audit_name(PKI_A_UNSIGNED), "unsigned-commit", "unsigned-commit");
	is_str(pki_severity_name(pki_audit_severity(PKI_A_TRANSFER_OVERDUE)), "warning",
	       "overdue transfers warn");
}

static void test_clean(void)
{
	struct pki_audit a = { 0 };
	struct pki_buf out = PKI_BUF_INIT;

	is_int(pki_audit_add(&a, PKI_A_ROW_ACTOR, "registry/2026-03.csv:4",
			     "names '%s'", "x\x1b[31mred\n\xff\xc2\x9b"), 0, "add");
	/* ESC, LF, a stray byte, and U+009B (a terminal's CSI) in two bytes. */
	is_str(a.v[0].message, "names 'x?[31mred?" "?" "?'", "controls and bad UTF-8 become ?");
	is_int(pki_audit_add(&a, PKI_A_KEY_IMPORTED, "keys/A.asc", "caf\xc3\xa9 %d", 1), 0, "add");
	is_str(a.v[1].message, "caf\xc3\xa9 1", "valid UTF-8 is kept");
	is_int(a.count[PKI_SEV_ERROR], 1, "one error");
	is_int(a.count[PKI_SEV_INFO], 1, "one info");
	is_int(pki_audit_status(&a, false), 1, "errors: status 1");
	is_int(pki_audit_text(&a, &out), 0, "text");
	is_str(out.ptr, "error A203 registry/2026-03.csv:4: names 'x?[31mred?" "?" "?'\n"
	       "info A001 keys/A.asc: caf\xc3\xa9 1\n", "text lines");
	pki_buf_release(&out);
	pki_audit_release(&a);
}

static void test_status(void)
{
	struct pki_audit a = { 0 };

	is_int(pki_audit_status(&a, true), 0, "nothing: 0 even when strict");
	pki_audit_add(&a, PKI_A_REVIEW_OVERDUE, "UNMISS-JMAC-2026-000001", "late");
	is_int(pki_audit_status(&a, false), 0, "a warning: 0");
	is_int(pki_audit_status(&a, true), 1, "a warning, strict: 1");
	pki_audit_release(&a);
}

static void test_csv_xml(void)
{
	struct pki_audit a = { 0 };
	struct pki_buf out = PKI_BUF_INIT;

	memset(a.tip, 'a', 40);
	a.at = 1772442000;
	pki_audit_add(&a, PKI_A_RULE, "registry/2026-03.csv:9", "=cmd|' /C calc'!A0 \"quoted\" <b>&");
	is_int(pki_audit_csv(&a, &out), 0, "csv");
	is_str(out.ptr, "severity,code,object,message\n"
	       "error,A501,registry/2026-03.csv:9,\"'=cmd|' /C calc'!A0 \"\"quoted\"\" <b>&\"\n",
	       "csv: quoted where needed, a forger's formula defused");
	pki_buf_reset(&out);
	is_int(pki_audit_xml(&a, &out), 0, "xml");
	ok(strstr(out.ptr, "&lt;b&gt;&amp;") != NULL, "xml escapes");
	is_int(pki_xml_validate("audit.xsd", out.ptr, out.len), 0, "valid against audit.xsd: %s",
	       pki_error_last());
	pki_buf_reset(&out);
	pki_audit_release(&a);
	memset(&a, 0, sizeof(a));
	memset(a.tip, 'b', 40);
	is_int(pki_audit_xml(&a, &out), 0, "xml without findings");
	is_int(pki_xml_validate("audit.xsd", out.ptr, out.len), 0, "valid too");
	pki_buf_release(&out);
}

int main(void)
{
	test_codes();
	test_clean();
	test_status();
	test_csv_xml();
	return done_testing();
}
