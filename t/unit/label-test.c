/* label-test: labels round-trip, and hostile or invalid XML is refused
 * with one clear message and nothing on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "label.h"
#include "tap.h"
#include "xml-read.h"

#define SHA_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

/* The label holds non-const strings; these are never written. */
#define S(lit) ((char *)(lit))

static char *ir_list[] = { S("PIR-3"), S("IR 2026/7") };
static char *dist[] = { S("archives"), S("chair"), S("hom"), S("jmac-analyst"), S("undss") };
static char *dist_received[] = { S("chair"), S("hom") };
static char *dist_twice[] = { S("chair"), S("hom"), S("chair") };
static char *dist_bad[] = { S("chair"), S("../hom") };

/* A confidential product originated in the mission. */
static void sample(struct pki_label *l)
{
	memset(l, 0, sizeof(*l));
	l->id = S("UNMISS-JMAC-2026-000042");
	l->level = PKI_LEVEL_CONFIDENTIAL;
	l->criterion = 'c';
	l->originator = S("jmac-analyst");
	l->created = 1795691100;	/* 2026-11-26T11:05:00Z */
	l->review = 1811548800;		/* 2027-05-29 */
	l->areas = S("poc;force-protection");
	l->safety = true;
	l->ir = ir_list;
	l->nir = 2;
	l->recipients = dist;
	l->nrecipients = 5;
	memcpy(l->sha256, SHA_ABC, sizeof(l->sha256));
}

/* A received one: external origin, registrar, caveats, markup to escape. */
static void sample_received(struct pki_label *l)
{
	memset(l, 0, sizeof(*l));
	l->id = S("UNMISS-CHAIR-2026-000007");
	l->level = PKI_LEVEL_STRICTLY_CONFIDENTIAL;
	l->criterion = 'a';
	l->originator = S("Member State <X> & \"partners\"");
	l->received = true;
	l->registrar = S("chair");
	l->created = 1795691100;
	l->areas = S("");
	l->originator_control = true;
	l->releasable = S("mission");
	l->recipients = dist_received;
	l->nrecipients = 2;
	memcpy(l->sha256, SHA_ABC, sizeof(l->sha256));
}

static char *format(const struct pki_label *l)
{
	struct pki_buf b = PKI_BUF_INIT;

	if (pki_label_format(l, &b) < 0) {
		printf("# format: %s\n", pki_error_last());
		pki_buf_release(&b);
		return NULL;
	}
	return pki_buf_detach(&b, NULL);
}

/* doc with the first `from` replaced by `to`; caller frees. */
static char *replace(const char *doc, const char *from, const char *to)
{
	const char *at = strstr(doc, from);
	struct pki_buf b = PKI_BUF_INIT;

	if (at == NULL) {
		printf("# '%s' not in the document\n", from);
		exit(1);
	}
	if (pki_buf_add(&b, doc, (size_t)(at - doc)) < 0 || pki_buf_adds(&b, to) < 0 ||
	    pki_buf_adds(&b, at + strlen(from)) < 0)
		exit(1);
	return pki_buf_detach(&b, NULL);
}

static void refused_len(const char *doc, size_t len, const char *want, const char *name)
{
	struct pki_label l;
	int rc = pki_label_parse(&l, doc, len);

	if (!ok(rc == -PKI_EDATA && strstr(pki_error_last(), want) != NULL, "%s", name))
		printf("# rc %d, message '%s', wanted '%s'\n", rc, pki_error_last(), want);
	ok(l.id == NULL && l.ir == NULL, "%s: nothing handed back", name);
	pki_label_release(&l);
}

static void refused(const char *doc, const char *want, const char *name)
{
	refused_len(doc, strlen(doc), want, name);
}

/* Parse base with one replacement, expecting a refusal naming `want`. */
static void mutant(const char *base, const char *from, const char *to,
		   const char *want, const char *name)
{
	char *doc = replace(base, from, to);

	refused(doc, want, name);
	free(doc);
}

static void same_label(const struct pki_label *a, const struct pki_label *b,
		       const char *name)
{
	size_t i;
	int same = strcmp(a->id, b->id) == 0 && a->level == b->level &&
		a->criterion == b->criterion &&
		strcmp(a->originator, b->originator) == 0 &&
		a->received == b->received &&
		(a->registrar == NULL) == (b->registrar == NULL) &&
		(a->registrar == NULL || strcmp(a->registrar, b->registrar) == 0) &&
		a->created == b->created && a->review == b->review &&
		strcmp(a->areas, b->areas) == 0 &&
		a->originator_control == b->originator_control &&
		(a->releasable == NULL) == (b->releasable == NULL) &&
		(a->releasable == NULL || strcmp(a->releasable, b->releasable) == 0) &&
		a->safety == b->safety && a->nir == b->nir &&
		a->nrecipients == b->nrecipients &&
		strcmp(a->sha256, b->sha256) == 0 && a->kind == b->kind &&
		(a->retention == NULL) == (b->retention == NULL) &&
		(a->retention == NULL || strcmp(a->retention, b->retention) == 0) &&
		a->disposed == b->disposed;

	for (i = 0; same && i < a->nir; i++)
		same = strcmp(a->ir[i], b->ir[i]) == 0;
	for (i = 0; same && i < a->nrecipients; i++)
		same = strcmp(a->recipients[i], b->recipients[i]) == 0;
	ok(same, "%s: every field survives", name);
}

static void round_trip(const struct pki_label *in, const char *name)
{
	struct pki_label out;
	char *doc, *again = NULL;
	int rc;

	if (!ok((doc = format(in)) != NULL, "%s: formats", name))
		return;
	rc = pki_label_parse(&out, doc, strlen(doc));
	if (!is_int(rc, 0, "%s: parses back", name))
		printf("# %s\n", pki_error_last());
	if (rc == 0) {
		same_label(in, &out, name);
		again = format(&out);
		ok(again != NULL && strcmp(doc, again) == 0, "%s: formats to the same bytes", name);
	}
	ok(pki_xml_validate("label.xsd", doc, strlen(doc)) == 0,
	   "%s: pki_xml_validate accepts it", name);
	free(again);
	free(doc);
	pki_label_release(&out);
}

static void test_format(void)
{
	struct pki_label l;
	char *doc;

	sample(&l);
	if (!ok((doc = format(&l)) != NULL, "format a label"))
		return;
	ok(strncmp(doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) == 0,
	   "XML declaration with UTF-8");
	ok(strstr(doc, "<label xmlns=\"" PKI_LABEL_NS "\">") != NULL, "default namespace");
	ok(strstr(doc, "\n  <id>UNMISS-JMAC-2026-000042</id>\n") != NULL, "indented");
	ok(strstr(doc, "<created>2026-11-26T11:05:00Z</created>") != NULL, "created in UTC");
	ok(strstr(doc, "<review>2027-05-29</review>") != NULL, "review date");
	ok(strstr(doc, "<binding algorithm=\"sha256\">" SHA_ABC "</binding>") != NULL, "binding");
	ok(strstr(doc, "  <distribution>\n    <principal>archives</principal>\n") != NULL &&
	   strstr(doc, "<principal>undss</principal>\n  </distribution>\n  <binding") != NULL,
	   "the distribution list, before the binding");
	ok(doc[strlen(doc) - 1] == '\n', "trailing newline");
	free(doc);

	sample_received(&l);
	if ((doc = format(&l)) != NULL)
		ok(strstr(doc, "Member State &lt;X&gt; &amp; &quot;partners&quot;") != NULL,
		   "markup in free text is escaped");
	free(doc);
}

static void format_refused(struct pki_label *l, const char *want, const char *name)
{
	struct pki_buf b = PKI_BUF_INIT;
	int rc = pki_label_format(l, &b);

	if (!ok(rc == -PKI_EDATA && strstr(pki_error_last(), want) != NULL, "format refuses %s", name))
		printf("# rc %d: %s\n", rc, pki_error_last());
	ok(b.len == 0, "format wrote nothing for %s", name);
	pki_buf_release(&b);
}

static void test_format_refusals(void)
{
	struct pki_label l;

	sample(&l);
	l.criterion = 0;
	format_refused(&l, "needs a criterion", "confidential without a criterion");
	sample(&l);
	l.level = PKI_LEVEL_UNCLASSIFIED;
	format_refused(&l, "has no criterion", "a criterion on unclassified");
	sample(&l);
	l.criterion = 'h';
	format_refused(&l, "criterion", "criterion h");
	sample(&l);
	l.id = S("../x");
	format_refused(&l, "product ID", "id ../x");
	sample(&l);
	l.sha256[0] = 'E';
	format_refused(&l, "binding", "an upper-case sha256");
	sample(&l);
	l.sha256[63] = '\0';
	format_refused(&l, "binding", "a short sha256");
	sample(&l);
	l.originator = S("../fc");
	format_refused(&l, "originator", "a bad principal");
	sample(&l);
	l.registrar = S("chair");
	format_refused(&l, "registrar", "a registrar for a mission product");
	sample_received(&l);
	l.registrar = NULL;
	format_refused(&l, "registrar", "a received product without registrar");
	sample_received(&l);
	l.releasable = S("line\nbreak");
	format_refused(&l, "control character", "a control character");
	sample_received(&l);
	l.originator = S("");
	format_refused(&l, "empty", "an empty origin");
	sample(&l);
	l.areas = S("poc;;crime");
	format_refused(&l, "areas", "bad areas");
	sample(&l);
	l.created = -1;
	format_refused(&l, "created", "a time before 1970");
	sample(&l);
	l.nrecipients = 0;
	format_refused(&l, "distribution list is empty", "an empty distribution list");
	sample(&l);
	l.recipients = dist_twice;
	l.nrecipients = 3;
	format_refused(&l, "'chair' is twice", "a principal twice on the list");
	sample(&l);
	l.recipients = dist_bad;
	l.nrecipients = 2;
	format_refused(&l, "principal on the distribution list", "a bad name on the list");
	sample(&l);
	l.kind = PKI_KIND_MATERIAL;
	format_refused(&l, "a material has no retention", "a material without retention");
	l.retention = S("P5W");
	format_refused(&l, "invalid retention 'P5W'", "a retention in weeks");
	sample(&l);
	l.retention = S("P5Y");
	format_refused(&l, "a product has no retention", "a product with a retention");
	sample(&l);
	l.kind = PKI_KIND_PLAN;
	l.disposed = 1811548800;
	format_refused(&l, "a plan is never disposed of", "a plan disposed of");
}

static void test_round_trips(void)
{
	struct pki_label l;

	sample(&l);
	round_trip(&l, "confidential");
	sample_received(&l);
	round_trip(&l, "received");
	sample(&l);
	l.level = PKI_LEVEL_UNCLASSIFIED;
	l.criterion = 0;
	l.review = 0;
	l.areas = S("");
	l.safety = false;
	l.nir = 0;
	l.ir = NULL;
	round_trip(&l, "unclassified, bare");
	sample(&l);
	l.areas = S("*");
	round_trip(&l, "all areas");
	sample(&l);
	l.kind = PKI_KIND_MATERIAL;
	l.retention = S("P2Y6M");
	round_trip(&l, "a material");
	l.disposed = 1811548800;
	round_trip(&l, "a material disposed of");
	sample(&l);
	l.kind = PKI_KIND_PLAN;
	round_trip(&l, "a plan");
}

static const char billion_laughs[] =
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE label [\n"
	" <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
	" <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
	" <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
	" <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
	" <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
	" <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
	" <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
	" <!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
	" <!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">\n"
	"]>\n"
	"<label xmlns=\"urn:x-pki:label:1\"><id>&i;</id></label>\n";

static const char xxe[] =
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE label [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
	"<label xmlns=\"urn:x-pki:label:1\"><id>&x;</id></label>\n";

static const char external_dtd[] =
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE label SYSTEM \"http://example.org/label.dtd\">\n"
	"<label xmlns=\"urn:x-pki:label:1\"/>\n";

static void test_hostile(const char *good)
{
	struct pki_buf b = PKI_BUF_INIT;
	char *doc;
	int i;

	refused(billion_laughs, "DOCTYPE", "billion laughs refused");
	refused(xxe, "DOCTYPE", "external entity refused");
	refused(external_dtd, "DOCTYPE", "external DTD refused");

	/* Deep nesting, well under the size cap. */
	for (i = 0; i < 5000; i++)
		if (pki_buf_adds(&b, "<x>") < 0)
			exit(1);
	for (i = 0; i < 5000; i++)
		if (pki_buf_adds(&b, "</x>") < 0)
			exit(1);
	doc = replace(good, "<areas>", b.ptr);
	refused(doc, "nested too deep", "deep nesting refused");
	free(doc);

	/* Oversize: a valid label padded with a comment past the cap. */
	pki_buf_reset(&b);
	if (pki_buf_adds(&b, "<!--") < 0)
		exit(1);
	while (b.len < PKI_LABEL_MAX)
		if (pki_buf_adds(&b, "padding padding ") < 0)
			exit(1);
	if (pki_buf_adds(&b, "-->\n") < 0 || pki_buf_adds(&b, good) < 0)
		exit(1);
	refused(b.ptr, "larger than", "oversize refused");
	pki_buf_release(&b);

	refused_len(good, strlen(good) + 1, "NUL", "a NUL byte refused");
	refused("", "label", "empty input refused");
	refused("<label", "label: line 1", "truncated XML refused");
	mutant(good, "Z</created>", "\xff</created>", "label", "invalid UTF-8 refused");
}

static void test_invalid(const char *good, const char *received)
{
	mutant(good, ">confidential<", ">secret<",
	       "label: line 5: element 'classification': [facet 'enumeration'] the value", "invalid level refused");
	mutant(good, "  <criterion>c</criterion>\n", "",
	       "needs a criterion", "confidential without a criterion refused");
	mutant(good, ">confidential</classification>",
	       ">unclassified</classification>", "has no criterion",
	       "criterion on unclassified refused");
	mutant(good, "<criterion>c<", "<criterion>h<", "element 'criterion'",
	       "criterion h refused");
	mutant(good, "UNMISS-JMAC-2026-000042", "../x", "element 'id'", "id ../x refused");
	mutant(good, SHA_ABC, "BA7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	       "element 'binding'", "upper-case sha256 refused");
	mutant(good, SHA_ABC, "ba7816bf", "element 'binding'", "short sha256 refused");
	mutant(good, "algorithm=\"sha256\"", "algorithm=\"sha1\"", "algorithm",
	       "sha1 binding refused");
	mutant(good, PKI_LABEL_NS, "urn:x-pki:label:2", "no matching global declaration",
	       "wrong namespace refused");
	mutant(good, " xmlns=\"" PKI_LABEL_NS "\"", "", "no matching global declaration",
	       "no namespace refused");
	mutant(good, "ST/SGB/2007/6", "ST/SGB/2099/1", "element 'policy'",
	       "another policy refused");
	mutant(good, "<policy>ST/SGB/2007/6</policy>", "<policy/>", "element 'policy'",
	       "an empty policy refused");
	mutant(good, "11:05:00Z", "11:05:00+01:00", "element 'created'",
	       "a local time refused");
	mutant(good, "2026-11-26T", "2026-02-30T", "element 'created'",
	       "30 February refused");
	mutant(good, "<safety>true", "<safety>maybe", "element 'safety'",
	       "a bad boolean refused");
	mutant(good, "<id>", "<title>secret</title><id>", "title",
	       "an unknown element refused");
	mutant(good, "type=\"principal\"", "type=\"external\"", "registrar",
	       "external origin without registrar refused");
	mutant(good, "jmac-analyst", "fc/../x", "invalid originator",
	       "bad principal refused");
	mutant(received, "<registrar>chair</registrar>", "<registrar>Chair</registrar>",
	       "element 'registrar'", "bad registrar refused");
	mutant(good, "<principal>chair</principal>", "<principal>hom</principal>",
	       "duplicate key-sequence", "a principal twice on the list refused");
	mutant(good, "<principal>chair</principal>", "<principal>Chair</principal>",
	       "element 'principal'", "a bad name on the list refused");
	mutant(received, "<principal>chair</principal>\n    <principal>hom</principal>", "",
	       "element 'distribution'", "an empty list refused");
	mutant(good, "<distribution>", "<distribution-list>", "distribution-list",
	       "a label without a distribution list refused");
}

/* Whitespace the schema collapses (xs:boolean, xs:date) is accepted. */
static void test_whitespace(const char *good)
{
	struct pki_label l;
	char *doc = replace(good, "<safety>true</safety>", "<safety>\n 1 \n</safety>");
	int rc = pki_label_parse(&l, doc, strlen(doc));

	ok(rc == 0 && l.safety, "xs:boolean '1' with blanks is true");
	pki_label_release(&l);
	free(doc);
}

static void test_validate(const char *good)
{
	ok(pki_xml_validate("label.xsd", good, strlen(good)) == 0, "validate a label");
	ok(pki_xml_validate("label.xsd", billion_laughs, strlen(billion_laughs)) == -PKI_EDATA,
	   "validate refuses a DOCTYPE");
	ok(pki_xml_validate("nosuch.xsd", good, strlen(good)) == -PKI_ECONFIG &&
	   strstr(pki_error_last(), "cannot load schema") != NULL,
	   "a missing schema is a configuration error");
}

/* Run fn with stderr sent to a file; say whether anything was written. */
static int quiet(void (*fn)(const char *, const char *), const char *a, const char *b)
{
	FILE *f = tmpfile();
	int saved, n;

	if (f == NULL || fflush(stderr) != 0 || (saved = dup(2)) < 0 ||
	    dup2(fileno(f), 2) < 0)
		exit(1);
	fn(a, b);
	if (fflush(stderr) != 0 || dup2(saved, 2) < 0 || close(saved) < 0)
		exit(1);
	n = (int)ftell(f);
	fclose(f);
	return n;
}

static void hostile_and_invalid(const char *good, const char *received)
{
	test_hostile(good);
	test_invalid(good, received);
}

int main(void)
{
	struct pki_label l;
	char *good, *received;

	/* Tests run from the top of the tree unless told otherwise. */
	if (setenv("PKI_SHAREDIR", "share/pki", 0) < 0)
		return 1;
	test_format();
	test_format_refusals();
	test_round_trips();
	sample(&l);
	good = format(&l);
	sample_received(&l);
	received = format(&l);
	if (good == NULL || received == NULL)
		return 1;
	is_int(quiet(hostile_and_invalid, good, received), 0,
	       "libxml2 wrote nothing on stderr");
	test_whitespace(good);
	test_validate(good);
	free(good);
	free(received);
	return done_testing();
}
