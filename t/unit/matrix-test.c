/* matrix-test.c: the access matrix and the delegations. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "matrix.h"
#include "tap.h"

#define HEAD "principal,fingerprint,entity,type,role,clearance,areas,valid_from,valid_until\n"
#define DHEAD "delegation,grantor,grantee,power,scope,valid_from,valid_until,reference\n"
#define FPR_HOM "E866F00D79D3DE3C26D23B6F46DCA7C915A31381"
#define FPR_FC  "A8B7558AD4485AEC3C2698C619871CD8E7F308D3"
#define FPR_UNDSS "89A5BA2A8432BCCFED7BFCC21514F2CE52DDBB5A"
#define JAN1 1767225600		/* 2026-01-01T00:00:00Z */
#define DAY 86400

static const char good[] = HEAD
	"hom," FPR_HOM ",UNMISS,mission,hom,strictly-confidential,*,2026-01-01,\n"
	"fc,a8b7558ad4485aec3c2698c619871cd8e7f308d3,FORCE,mission,member,"
	"strictly-confidential,force-protection;poc,2026-01-01,2026-06-30\n"
	"\"undss\",\"" FPR_UNDSS "\",\"UNDSS\",\"mission\",\"undss\",\"confidential\","
	"\"\",\"2026-01-01T08:00:00Z\",\"2026-12-31T17:00:00Z\"\r\n";

static int matrix(struct pki_matrix *m, const char *data)
{
	return pki_matrix_parse(m, data, strlen(data));
}

static void test_parse(void)
{
	struct pki_matrix m;
	struct pki_principal *p;

	is_int(matrix(&m, good), 0, "parse");
	is_int(m.n, 3, "three principals");
	p = pki_matrix_find(&m, "fc");
	if (!ok(p != NULL, "find by name"))
		return;
	is_str(p->fpr, FPR_FC, "fingerprint upper-cased");
	is_str(p->entity, "FORCE", "entity");
	is_int(p->type, PKI_TYPE_MISSION, "type");
	is_int(p->role, PKI_ROLE_MEMBER, "role");
	is_int(p->clearance, PKI_LEVEL_STRICTLY_CONFIDENTIAL, "clearance");
	is_str(p->areas, "force-protection;poc", "areas");
	is_int(p->from, JAN1, "valid_from: a date is its midnight");
	is_int(p->until, JAN1 + 181 * DAY, "valid_until: a date is the end of that day");
	is_str(p->until_text, "2026-06-30", "the text is kept");
	ok(pki_matrix_find_fpr(&m, "a8b7558ad4485aec3c2698c619871cd8e7f308d3") == p,
	   "find by fingerprint, any case");
	ok(pki_matrix_find(&m, "nobody") == NULL, "absent name");
	ok(pki_matrix_find_fpr(&m, FPR_FC "0") == NULL, "absent fingerprint");
	p = pki_matrix_find(&m, "hom");
	ok(p != NULL && p->until == 0 && strcmp(p->until_text, "") == 0, "open-ended");
	p = pki_matrix_find(&m, "undss");
	ok(p != NULL && p->from == JAN1 + 8 * 3600, "a full time is that instant");
	ok(p != NULL && strcmp(p->areas, "") == 0, "no areas");
	pki_matrix_release(&m);
	ok(m.v == NULL && m.n == 0, "release empties");

	is_int(matrix(&m, ""), 0, "empty file");
	is_int(m.n, 0, "no principals");
	pki_matrix_release(&m);
	is_int(matrix(&m, HEAD), 0, "header only");
	pki_matrix_release(&m);
}

static void test_validity(void)
{
	struct pki_matrix m;
	struct pki_principal *p;

	if (matrix(&m, good) < 0)
		return;
	p = pki_matrix_find(&m, "fc");
	ok(!pki_principal_valid(p, JAN1 - 1), "not valid before valid_from");
	ok(pki_principal_valid(p, JAN1), "valid from valid_from");
	ok(pki_principal_valid(p, JAN1 + 181 * DAY - 1), "valid on the last second of until");
	ok(!pki_principal_valid(p, JAN1 + 181 * DAY), "not valid from the next midnight");
	p = pki_matrix_find(&m, "hom");
	ok(pki_principal_valid(p, (time_t)253402300799), "open-ended: valid in 9999");
	p = pki_matrix_find(&m, "undss");
	ok(!pki_principal_valid(p, JAN1 + 8 * 3600 - 1), "a time: not a second before");
	pki_matrix_release(&m);
}

/* Expect a refusal whose message contains msg. */
static void matrix_refused(const char *rows, const char *msg, const char *name)
{
	struct pki_matrix m;
	char *data;

	if ((data = malloc(strlen(HEAD) + strlen(rows) + 1)) == NULL)
		return;
	strcpy(data, HEAD);
	strcat(data, rows);
	is_int(matrix(&m, data), -PKI_EDATA, "refused: %s", name);
	ok(m.n == 0 && m.v == NULL, "left empty: %s", name);
	ok(strstr(pki_error_last(), msg) != NULL, "message has '%s': %s", msg,
	   pki_error_last());
	free(data);
}

#define ROW(name, fpr, rest) name "," fpr "," rest "\n"
#define FC_REST "FORCE,mission,member,confidential,poc,2026-01-01,"

static void test_refusals(void)
{
	matrix_refused(ROW("hom", FPR_HOM, FC_REST) ROW("FC", FPR_FC, FC_REST),
		       "access-matrix.csv: line 3: invalid principal 'FC'", "upper-case name");
	matrix_refused(ROW("f/c", FPR_FC, FC_REST), "line 2: invalid principal", "a slash");
	matrix_refused(ROW("f..c", FPR_FC, FC_REST), "line 2: invalid principal", "..");
	matrix_refused(ROW("", FPR_FC, FC_REST), "line 2: invalid principal", "empty name");
	matrix_refused(ROW("fc", "A8B7", FC_REST), "line 2: invalid fingerprint", "short fpr");
	matrix_refused(ROW("fc", FPR_FC, "force,mission,member,confidential,poc,2026-01-01,"),
		       "line 2: invalid entity 'force'", "lower-case entity");
	matrix_refused(ROW("fc", FPR_FC, "FORCE,army,member,confidential,poc,2026-01-01,"),
		       "line 2: unknown entity type 'army'", "unknown type");
	matrix_refused(ROW("fc", FPR_FC, "FORCE,mission,boss,confidential,poc,2026-01-01,"),
		       "line 2: unknown role 'boss'", "unknown role");
	matrix_refused(ROW("fc", FPR_FC, "FORCE,mission,member,secret,poc,2026-01-01,"),
		       "line 2: unknown level 'secret'", "unknown clearance");
	matrix_refused(ROW("fc", FPR_FC, "FORCE,mission,member,confidential,Poc,2026-01-01,"),
		       "line 2: invalid areas 'Poc'", "bad areas");
	matrix_refused(ROW("fc", FPR_FC, "FORCE,mission,member,confidential,poc,,"),
		       "line 2: invalid date '' for valid_from", "no valid_from");
	matrix_refused(ROW("fc", FPR_FC, "FORCE,mission,member,confidential,poc,2025-02-29,"),
		       "line 2: invalid date '2025-02-29' for valid_from", "Feb 29, 2025");
	matrix_refused(ROW("fc", FPR_FC, "FORCE,mission,member,confidential,poc,"
			   "2026-01-01,2026-1-2"), "invalid date '2026-1-2' for valid_until",
		       "bad valid_until");
	matrix_refused(ROW("fc", FPR_FC, "FORCE,mission,member,confidential,poc,"
			   "2026-02-01,2026-01-01"),
		       "line 2: valid_until '2026-01-01' is not after valid_from '2026-02-01'",
		       "until before from");
	matrix_refused(ROW("fc", FPR_FC, "FORCE,mission,member,confidential,poc,"
			   "2026-01-01T00:00:00Z,2026-01-01T00:00:00Z"), "is not after",
		       "until equal to from");
	matrix_refused(ROW("fc", FPR_FC, FC_REST) ROW("hom", FPR_HOM, FC_REST)
		       ROW("fc", FPR_UNDSS, FC_REST),
		       "access-matrix.csv: line 4: duplicate principal 'fc' (first on line 2)",
		       "a duplicate name");
	matrix_refused(ROW("fc", FPR_FC, FC_REST) ROW("hom", FPR_HOM, FC_REST)
		       ROW("fc2", "a8b7558ad4485aec3c2698c619871cd8e7f308d3", FC_REST),
		       "line 4: duplicate fingerprint '" FPR_FC "' (first on line 2)",
		       "a duplicate fingerprint, in another case");
	matrix_refused(ROW("fc", FPR_FC, FC_REST ",x"), "line 2: expected 9 fields, found 10",
		       "a ragged row");
	matrix_refused(ROW("fc", FPR_FC, "FORCE,mission,member,confidential,poc,2026-01-01,")
		       "\n", "line 3: empty line", "a blank line");
}

static void test_format(void)
{
	struct pki_matrix m, again;
	struct pki_buf b = PKI_BUF_INIT, c = PKI_BUF_INIT;

	if (matrix(&m, good) < 0)
		return;
	is_int(pki_matrix_format(&m, &b), 0, "format");
	is_str(b.ptr, "principal,fingerprint,entity,type,role,"
	       "clearance,areas,valid_from,valid_until\n"
	       "fc," FPR_FC ",FORCE,mission,member,strictly-confidential,"
	       "force-protection;poc,2026-01-01,2026-06-30\n"
	       "hom," FPR_HOM ",UNMISS,mission,hom,strictly-confidential,"
	       "*,2026-01-01,\n"
	       "undss," FPR_UNDSS ",UNDSS,mission,undss,confidential,"
	       ",2026-01-01T08:00:00Z,2026-12-31T17:00:00Z\n",
	       "sorted by name, dates as written");
	is_int(pki_matrix_parse(&again, b.ptr, b.len), 0, "what is written reads back");
	pki_matrix_format(&again, &c);
	is_str(c.ptr, b.ptr, "and writes the same");
	pki_matrix_release(&again);
	pki_matrix_release(&m);
	pki_buf_release(&b);
	pki_buf_release(&c);
}

static void test_put_end(void)
{
	struct pki_matrix m;
	struct pki_principal p = { 0 }, *q;
	char name[] = "police", entity[] = "UNPOL", areas[] = "crime";
	struct pki_buf b = PKI_BUF_INIT;

	if (matrix(&m, good) < 0)
		return;
	p.name = name;
	memcpy(p.fpr, "0123456789abcdef0123456789abcdef01234567", 41);
	p.entity = entity;
	p.type = PKI_TYPE_MISSION;
	p.role = PKI_ROLE_MEMBER;
	p.clearance = PKI_LEVEL_CONFIDENTIAL;
	p.areas = areas;
	p.from = JAN1 + 10 * DAY;
	is_int(pki_matrix_put(&m, &p), 0, "put a new principal");
	memset(name, 'x', 3);
	q = pki_matrix_find(&m, "police");
	ok(q != NULL && q->name != name && m.n == 4, "appended, a deep copy");
	ok(q != NULL && strcmp(q->fpr, "0123456789ABCDEF0123456789ABCDEF01234567") == 0,
	   "fingerprint normalised");
	ok(q != NULL && strcmp(q->from_text, "2026-01-11T00:00:00Z") == 0 &&
	   strcmp(q->until_text, "") == 0, "texts made for times without one");
	strcpy(name, "police");

	p.clearance = PKI_LEVEL_STRICTLY_CONFIDENTIAL;
	is_int(pki_matrix_put(&m, &p), 0, "put again replaces");
	q = pki_matrix_find(&m, "police");
	ok(m.n == 4 && q != NULL && q->clearance == PKI_LEVEL_STRICTLY_CONFIDENTIAL, "replaced");
	is_int(pki_matrix_put(&m, q), 0, "put of an element of the matrix itself");
	memcpy(p.fpr, FPR_FC, 41);
	is_int(pki_matrix_put(&m, &p), -PKI_EUSAGE, "another's key refused");
	ok(strstr(pki_error_last(), "already the key of 'fc'") != NULL, "message: %s",
	   pki_error_last());
	memcpy(p.fpr, "0123456789abcdef0123456789abcdef01234567", 41);
	p.areas = (char *)"poc;;x";
	is_int(pki_matrix_put(&m, &p), -PKI_EUSAGE, "bad areas refused");
	p.areas = areas;
	p.until = p.from;
	is_int(pki_matrix_put(&m, &p), -PKI_EUSAGE, "empty window refused");
	p.until = 0;
	p.name = (char *)"../police";
	is_int(pki_matrix_put(&m, &p), -PKI_EUSAGE, "bad name refused");
	is_int(m.n, 4, "refusals change nothing");

	q = pki_matrix_find(&m, "hom");
	is_int(pki_principal_end(q, JAN1 + 40 * DAY + 3600), 0, "end an open-ended principal");
	ok(q->until == JAN1 + 40 * DAY + 3600 &&
	   strcmp(q->until_text, "2026-02-10T01:00:00Z") == 0, "until and its text set");
	is_int(pki_principal_end(q, JAN1 + 50 * DAY), 0, "ending later");
	is_int(q->until, JAN1 + 40 * DAY + 3600, "never extends");
	is_int(pki_principal_end(q, JAN1 + 30 * DAY), 0, "ending earlier");
	is_int(q->until, JAN1 + 30 * DAY, "moves the end back");
	is_int(pki_principal_end(q, JAN1), -PKI_EUSAGE, "cannot end when it starts");
	is_int(pki_principal_end(q, JAN1 - 1), -PKI_EUSAGE, "nor before");
	q->until = JAN1 + 20 * DAY;	/* changed without its text: the value is written */
	pki_matrix_format(&m, &b);
	ok(strstr(b.ptr, ",2026-01-21T00:00:00Z\n") != NULL, "a stale text is not written");
	pki_buf_release(&b);
	pki_matrix_release(&m);
}

static const char dgood[] = DHEAD
	"D-2026-001,hom,fc,share-external,UNMISS-JMAC-2026-000042,2026-01-01,,"
	"\"UNMISS/HOM/2026/17, §3\"\n"
	"D-2026-003,jmac,fc,disseminate,poc,2026-01-01,2026-03-31,memo 3\n"
	"D-2026-002,jmac,undss,declassify,*,2026-01-01T00:00:00Z,2027-01-01,\n";

static void deleg_refused(const char *rows, const char *msg, const char *name)
{
	struct pki_delegations d;
	char *data;

	if ((data = malloc(strlen(DHEAD) + strlen(rows) + 1)) == NULL)
		return;
	strcpy(data, DHEAD);
	strcat(data, rows);
	is_int(pki_delegations_parse(&d, data, strlen(data)), -PKI_EDATA, "refused: %s", name);
	ok(d.n == 0 && d.v == NULL, "left empty: %s", name);
	ok(strstr(pki_error_last(), msg) != NULL, "message has '%s': %s", msg,
	   pki_error_last());
	free(data);
}

static void test_delegations(void)
{
	struct pki_delegations d, again;
	struct pki_delegation x = { 0 }, *y;
	struct pki_buf b = PKI_BUF_INIT, c = PKI_BUF_INIT;
	char ref[300];

	is_int(pki_delegations_parse(&d, dgood, strlen(dgood)), 0, "parse delegations");
	is_int(d.n, 3, "three");
	y = pki_delegations_find(&d, "D-2026-003");
	ok(y != NULL && y->power == PKI_POWER_DISSEMINATE && strcmp(y->scope, "poc") == 0 &&
	   strcmp(y->grantor, "jmac") == 0 && strcmp(y->reference, "memo 3") == 0, "fields");
	ok(y != NULL && pki_delegation_valid(y, JAN1 + 89 * DAY) &&
	   !pki_delegation_valid(y, JAN1 + 90 * DAY) && !pki_delegation_valid(y, JAN1 - 1),
	   "validity window");
	ok(pki_delegations_find(&d, "D-9") == NULL, "absent");
	is_int(pki_delegations_format(&d, &b), 0, "format");
	ok(strstr(b.ptr, "\nD-2026-001,") < strstr(b.ptr, "\nD-2026-003,") &&
	   strstr(b.ptr, "\nD-2026-003,") < strstr(b.ptr, "\nD-2026-002,"),
	   "in insertion order");
	ok(strstr(b.ptr, "\"UNMISS/HOM/2026/17, §3\"") != NULL, "reference kept");
	is_int(pki_delegations_parse(&again, b.ptr, b.len), 0, "reads back");
	pki_delegations_format(&again, &c);
	is_str(c.ptr, b.ptr, "and writes the same");
	pki_delegations_release(&again);

	x.id = (char *)"D-2026-004";
	x.grantor = (char *)"hom";
	x.grantee = (char *)"unct";
	x.power = PKI_POWER_SHARE_EXTERNAL;
	x.scope = (char *)"crime";
	x.from = JAN1;
	x.reference = (char *)"letter";
	is_int(pki_delegations_add(&d, &x), 0, "add");
	y = pki_delegations_find(&d, "D-2026-004");
	ok(y != NULL && y->id != x.id && strcmp(y->from_text, "2026-01-01T00:00:00Z") == 0,
	   "a deep copy, with a text for its time");
	is_int(pki_delegations_add(&d, &x), -PKI_EUSAGE, "the same ID twice refused");
	x.id = (char *)"D-2026-005";
	x.reference = (char *)"=HYPERLINK(\"http://x\")";
	/* The door (pki_check_free_text in pki-matrix) refuses it; the
	 * table itself holds text exactly. */
	is_int(pki_delegations_add(&d, &x), 0, "a reference a spreadsheet would run");
	pki_buf_reset(&b);
	pki_delegations_format(&d, &b);
	ok(strstr(b.ptr, ",\"=HYPERLINK(\"\"http://x\"\")\"\n") != NULL, "is written exactly");
	is_int(pki_delegations_parse(&again, b.ptr, b.len), 0, "and reads back");
	y = pki_delegations_find(&again, "D-2026-005");
	is_str(y != NULL ? y->reference : NULL, x.reference, "as it was");
	pki_delegations_release(&again);
	x.id = (char *)"D-5";
	x.scope = (char *)"poc;crime";
	is_int(pki_delegations_add(&d, &x), -PKI_EUSAGE, "a list is not a scope");
	x.scope = (char *)"*";
	memset(ref, 'r', sizeof(ref) - 1);
	ref[sizeof(ref) - 1] = '\0';
	x.reference = ref;
	is_int(pki_delegations_add(&d, &x), -PKI_EUSAGE, "a reference over 256 bytes");
	is_int(d.n, 5, "refusals change nothing");
	pki_delegations_release(&d);
	pki_buf_release(&b);
	pki_buf_release(&c);

	is_int(pki_delegations_parse(&d, "", 0), 0, "empty delegations");
	pki_delegations_release(&d);

	deleg_refused("D1,hom,fc,share-external,poc;crime,2026-01-01,,x\n",
		      "delegations.csv: line 2: invalid scope 'poc;crime'", "a list scope");
	deleg_refused("D1,hom,fc,share-external,UNMISS,2026-01-01,,x\n",
		      "line 2: invalid scope", "a mission code scope");
	deleg_refused("D1,hom,fc,share-external,,2026-01-01,,x\n", "invalid scope", "empty scope");
	deleg_refused("D1,hom,fc,share,*,2026-01-01,,x\n", "line 2: unknown power 'share'",
		      "unknown power");
	deleg_refused("hom,hom,fc,share-external,*,2026-01-01,,x\n",
		      "line 2: invalid delegation ID 'hom'", "an authority word as ID");
	deleg_refused("../D1,hom,fc,share-external,*,2026-01-01,,x\n",
		      "invalid delegation ID", "a path as ID");
	deleg_refused("D1,HOM,fc,share-external,*,2026-01-01,,x\n", "line 2: invalid grantor",
		      "bad grantor");
	deleg_refused("D1,hom,f/c,share-external,*,2026-01-01,,x\n", "line 2: invalid grantee",
		      "bad grantee");
	deleg_refused("D1,hom,fc,share-external,*,2026-01-01,,\"a\tb\"\n",
		      "line 2: reference contains a control character", "a TAB in reference");
	deleg_refused("D1,hom,fc,share-external,*,2026-02-30,,x\n",
		      "invalid date '2026-02-30' for valid_from", "Feb 30");
	deleg_refused("D1,hom,fc,share-external,*,2026-01-01,,x\n"
		      "D2,hom,fc,share-external,*,2026-01-01,,x\n"
		      "D1,hom,fc,disseminate,*,2026-01-01,,x\n",
		      "line 4: duplicate delegation 'D1' (first on line 2)", "a duplicate ID");
}

int main(void)
{
	test_parse();
	test_validity();
	test_refusals();
	test_format();
	test_put_end();
	test_delegations();
	return done_testing();
}
