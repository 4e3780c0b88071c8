/* vocab.c: the words of the policy (pki(7)), the name checkers and UTC time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "vocab.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Values from outside are echoed in messages, but never whole when long
 * and only as printable ASCII: anything else could drive the terminal.
 */
#define ECHO_MAX 64
struct echo { char s[ECHO_MAX + 4]; };

static const char *echo(struct echo *e, const char *s)
{
	size_t i;

	for (i = 0; i < ECHO_MAX && s[i] != '\0'; i++)
		e->s[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	snprintf(e->s + i, sizeof(e->s) - i, "%s", s[i] != '\0' ? "..." : "");
	return e->s;
}

/* The words, in enum order. */
static const char *const levels[] = { "unclassified", "confidential", "strictly-confidential" };
static const char *const types[] = { "mission", "un", "non-un", "security-force" };
static const char *const roles[] = {
	"hom", "chair", "member", "undss", "archives", "auditor", "external",
};
static const char *const powers[] = {
	"share-external", "disseminate", "declassify", "successor", "direct",
};
static const char *const actions[] = {
	"receive", "classify", "reclassify", "share", "export", "revoke", "archive",
	"review", "archive-ack", "dispose", "relabel",
};
static const char *const kinds[] = { "product", "plan", "ir", "material" };

/* Label fields by bit, named as label.xsd names their elements. */
static const char *const label_fields[] = {
	"id", "classification", "criterion", "originator", "registrar", "created", "review",
	"areas", "originator-control", "releasable-to", "safety", "ir", "distribution",
	"binding", "kind", "retention", "disposed", "source",
};
_Static_assert(1u << NELEM(label_fields) == PKI_LF_ALL + 1, "a name for every label field");

/* ST/SGB/2007/6 §1.2, share/pki/criteria.csv: codes a.. in order. */
static const char *const criteria[] = {
	"third-party-confidence", "personal-safety", "operations-security",
	"legal-privilege", "deliberative", "commercial", "other",
};

static const char *word_name(const char *const *w, size_t n, int v)
{
	return v >= 0 && (size_t)v < n ? w[v] : "(invalid)";
}

static int word_parse(const char *kind, const char *const *w, size_t n,
		      const char *s, int *out)
{
	struct echo e;
	char list[256] = "";
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, w[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, w[i], sizeof(list) - strlen(list) - 1);
	}
	return pki_error(PKI_EUSAGE, "unknown %s '%s' (%s)", kind, echo(&e, s), list);
}

#define WORDS(fn, kind, enumt, table) \
const char *pki_##fn##_name(enum enumt v) \
{ \
	return word_name(table, NELEM(table), (int)v); \
} \
int pki_##fn##_parse(const char *s, enum enumt *out) \
{ \
	int v, rc; \
	if ((rc = word_parse(kind, table, NELEM(table), s, &v)) < 0) \
		return rc; \
	*out = (enum enumt)v; \
	return 0; \
}

WORDS(level, "level", pki_level, levels)
WORDS(type, "entity type", pki_type, types)
WORDS(role, "role", pki_role, roles)
WORDS(power, "power", pki_power, powers)
WORDS(action, "action", pki_action, actions)
WORDS(kind, "kind", pki_kind, kinds)

const char *pki_label_field_name(enum pki_label_field f)
{
	size_t i;

	for (i = 0; i < NELEM(label_fields); i++)
		if ((unsigned)f == 1u << i)
			return label_fields[i];
	return "(invalid)";
}

/* A code ("b") or its short name ("personal-safety"). */
int pki_criterion_parse(const char *s, char *out)
{
	struct echo e;
	size_t i;

	if (s[0] >= 'a' && (size_t)(s[0] - 'a') < NELEM(criteria) && s[1] == '\0') {
		*out = s[0];
		return 0;
	}
	for (i = 0; i < NELEM(criteria); i++)
		if (strcmp(s, criteria[i]) == 0) {
			*out = (char)('a' + i);
			return 0;
		}
	return pki_error(PKI_EUSAGE, "unknown criterion '%s' (a third-party-confidence, "
			 "b personal-safety, c operations-security, d legal-privilege, "
			 "e deliberative, f commercial, g other)", echo(&e, s));
}

const char *pki_criterion_name(char code)
{
	if (code < 'a' || (size_t)(code - 'a') >= NELEM(criteria))
		return NULL;
	return criteria[code - 'a'];
}

static int is_lower_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int is_upper_alnum(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int pki_check_principal(const char *what, const char *s)
{
	struct echo e;
	size_t i;

	if (!is_lower_alnum(s[0]))
		goto bad;
	for (i = 1; s[i] != '\0'; i++)
		if (i >= 64 || !(is_lower_alnum(s[i]) || strchr("._-", s[i])))
			goto bad;
	/* Names become parts of file names: no way out of a directory. */
	if (strstr(s, "..") != NULL)
		goto bad;
	return 0;
bad:
	return pki_error(PKI_EUSAGE, "invalid %s '%s' (expected 1 to 64 of "
			 "a-z 0-9 . _ -, starting with a letter or digit, no '..')",
			 what, echo(&e, s));
}

/* Length of the [A-Z0-9] run at s, when it ends at stop and is 1..16 long. */
static size_t code_len(const char *s, int stop)
{
	size_t i;

	for (i = 0; is_upper_alnum(s[i]); i++)
		if (i == 16)
			return 0;
	return s[i] == stop ? i : 0;
}

int pki_check_code(const char *what, const char *s)
{
	struct echo e;

	if (code_len(s, '\0') == 0)
		return pki_error(PKI_EUSAGE, "invalid %s '%s' (expected 1 to 16 of A-Z 0-9)",
				 what, echo(&e, s));
	return 0;
}

static int digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int num(const char *s, size_t n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

/* The one grammar of product IDs (pki-files(5)): MISSION-ENTITY-YYYY-NNNNNN,
 * or with a site MISSION-ENTITY-SITE-YYYY-NNNNNN.  The count of dashes
 * tells the two forms apart, so a site of four digits is no year. */
int pki_product_id_parse(const char *s, struct pki_product_id *out)
{
	struct pki_product_id id = { 0 };
	char *codes[3] = { id.mission, id.entity, id.site };
	struct echo e;
	const char *p;
	size_t n, k, dashes = 0, ncodes;

	/* Three codes of 16, YYYY, NNNNNN and four dashes: 62 at most. */
	for (p = s; *p != '\0' && p - s <= 62; p++)
		if (*p == '-')
			dashes++;
	if (*p != '\0' || (dashes != 3 && dashes != 4))
		goto bad;
	ncodes = dashes - 1;	/* the parts before YYYY */
	for (p = s, k = 0; k < ncodes; k++, p += n + 1) {
		if ((n = code_len(p, '-')) == 0)
			goto bad;
		memcpy(codes[k], p, n);
	}
	if (!digits(p, 4) || p[4] != '-' || !digits(p + 5, 6) || p[11] != '\0')
		goto bad;
	if ((id.year = num(p, 4)) < 1970)
		goto bad;
	id.serial = num(p + 5, 6);
	if (out != NULL)
		*out = id;
	return 0;
bad:
	return pki_error(PKI_EUSAGE, "invalid product ID '%s' (expected "
			 "MISSION-ENTITY[-SITE]-YYYY-NNNNNN, e.g. UNMISS-JMAC-2026-000042)",
			 echo(&e, s));
}

int pki_check_product_id(const char *s)
{
	return pki_product_id_parse(s, NULL);
}

int pki_check_areas(const char *what, const char *s)
{
	struct echo e;
	size_t i, len = 0, count = 0;

	if (s[0] == '\0' || strcmp(s, "*") == 0)
		return 0;
	for (i = 0;; i++) {
		if (s[i] == ';' || s[i] == '\0') {
			if (len == 0 || ++count > 64)
				goto bad;
			if (s[i] == '\0')
				return 0;
			len = 0;
		} else if (len == 0 ? !is_lower_alnum(s[i]) :
			   !(is_lower_alnum(s[i]) || s[i] == '-') || len >= 48) {
			goto bad;
		} else {
			len++;
		}
	}
bad:
	return pki_error(PKI_EUSAGE, "invalid %s '%s' (expected '*' or up to 64 "
			 "areas separated by ';', each 1 to 48 of a-z 0-9 -)",
			 what, echo(&e, s));
}

/* A product ID, one area, or "*": what a delegation covers (pki-files(5)). */
#define SCOPE_MAX 64
int pki_check_scope(const char *what, const char *s)
{
	struct echo e;
	int rc;

	if ((rc = pki_check_text(what, s, SCOPE_MAX)) < 0)
		return rc;
	if (strcmp(s, "*") == 0 || pki_check_product_id(s) == 0 ||
	    (s[0] != '\0' && strchr(s, ';') == NULL && pki_check_areas(what, s) == 0))
		return 0;
	return pki_error(PKI_EUSAGE, "invalid %s '%s' (expected a product ID, an area "
			 "or '*')", what, echo(&e, s));
}

/* The words the registry's authority column holds besides delegation IDs
 * (pki-files(5)): the one list, so that no delegation is named like one. */
static const char *const authority_words[] = {
	"originator", "hom", "undss-rule", "custodian", "successor", "matrix",
};

bool pki_authority_is_word(const char *s)
{
	size_t i;

	for (i = 0; i < NELEM(authority_words); i++)
		if (strcmp(s, authority_words[i]) == 0)
			return true;
	return false;
}

bool pki_authority_is_delegation(const char *s)
{
	return s[0] != '\0' && !pki_authority_is_word(s);
}

/*
 * Length of the UTF-8 sequence at s, 0 when it is invalid: overlong forms,
 * surrogates and code points past U+10FFFF are refused (RFC 3629).
 */
size_t pki_utf8_len(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* C1 controls (U+0080..U+009F) are refused too: U+009B is a terminal CSI. */
int pki_check_text(const char *what, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, n;
	uint32_t c;

	for (i = 0; p[i] != '\0'; i += n) {
		if ((n = pki_utf8_len(p + i, &c)) == 0)
			return pki_error(PKI_EUSAGE, "%s is not valid UTF-8 (at byte %zu)",
					 what, i + 1);
		if (n > max || i > max - n)
			return pki_error(PKI_EUSAGE, "%s is longer than %zu bytes", what, max);
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
			return pki_error(PKI_EUSAGE, "%s contains a control character "
					 "(U+%04X at byte %zu)", what, (unsigned)c, i + 1);
	}
	return 0;
}

/* The first characters by which a spreadsheet takes a cell for a formula
 * (OWASP's CSV injection list). */
static const char formula_start[] = "=+-@\t\r";

bool pki_text_is_formula(const char *s)
{
	return s[0] != '\0' && strchr(formula_start, s[0]) != NULL;
}

/*
 * Free text is stored exactly as typed, so what would run as a formula in
 * a spreadsheet cannot come in: a data error (65), told apart from text
 * that is not text at all (64, pki_check_text).
 */
int pki_check_free_text(const char *what, const char *s, size_t max)
{
	/* What to call each, in formula_start's order. */
	static const char *const said[][2] = {
		{ "'='", "'='" }, { "'+'", "sign" }, { "'-'", "sign" },
		{ "'@'", "'@'" }, { "a tab", "tab" }, { "a carriage return", "carriage return" },
	};
	size_t k;

	if (!pki_text_is_formula(s))
		return pki_check_text(what, s, max);
	k = (size_t)(strchr(formula_start, s[0]) - formula_start);
	return pki_error(PKI_EDATA, "%s begins with %s, which a spreadsheet runs as a formula; "
			 "write it without the %s or begin with a letter or digit",
			 what, said[k][0], said[k][1]);
}

static int is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool pki_is_fingerprint(const char *s)
{
	size_t i;

	for (i = 0; i < 40 && is_hex(s[i]); i++)
		;
	return i == 40 && s[40] == '\0';
}

int pki_check_fingerprint(const char *what, char *s)
{
	struct echo e;
	size_t i;

	if (!pki_is_fingerprint(s))
		return pki_error(PKI_EUSAGE, "invalid %s '%s' (expected 40 hexadecimal digits)",
				 what, echo(&e, s));
	for (i = 0; i < 40; i++)
		if (s[i] >= 'a' && s[i] <= 'f')
			s[i] -= 'a' - 'A';
	return 0;
}

/* Is the area [a, a+n) one of the ';'-list b? */
static bool area_in(const char *a, size_t n, const char *b)
{
	size_t m;

	for (;;) {
		m = strcspn(b, ";");
		if (m == n && memcmp(a, b, n) == 0)
			return true;
		if (b[m] == '\0')
			return false;
		b += m + 1;
	}
}

bool pki_areas_meet(const char *a, const char *b)
{
	size_t n;

	if (a[0] == '\0' || b[0] == '\0')
		return false;
	if (strcmp(a, "*") == 0 || strcmp(b, "*") == 0)
		return true;
	for (;;) {
		n = strcspn(a, ";");
		if (n > 0 && area_in(a, n, b))
			return true;
		if (a[n] == '\0')
			return false;
		a += n + 1;
	}
}

/* Time. */

static int days_in(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* Parse s strictly; *bare says whether it was a date without a time. */
static int parse(const char *s, time_t *out, bool *bare)
{
	struct tm tm = { 0 };
	size_t len = strnlen(s, 26);

	if (len < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2))
		return -1;
	tm.tm_year = num(s, 4) - 1900;
	tm.tm_mon = num(s + 5, 2) - 1;
	tm.tm_mday = num(s + 8, 2);
	*bare = len == 10;
	if (!*bare) {
		if ((len != 20 || s[19] != 'Z') &&
		    (len != 25 || strcmp(s + 19, "+00:00") != 0))
			return -1;
		if (s[10] != 'T' || !digits(s + 11, 2) || s[13] != ':' ||
		    !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
			return -1;
		tm.tm_hour = num(s + 11, 2);
		tm.tm_min = num(s + 14, 2);
		tm.tm_sec = num(s + 17, 2);
	}
	if (tm.tm_year < 70 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > days_in(tm.tm_year + 1900, tm.tm_mon + 1) ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
		return -1;
	if ((*out = timegm(&tm)) == (time_t)-1)
		return -1;
	return 0;
}

static int bad_time(const char *what, const char *s)
{
	struct echo e;

	return pki_error(PKI_EUSAGE, "invalid date '%s' for %s "
			 "(expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)", echo(&e, s), what);
}

int pki_time_parse(const char *what, const char *s, time_t *out)
{
	bool bare;

	if (parse(s, out, &bare) < 0)
		return bad_time(what, s);
	return 0;
}

int pki_time_parse_until(const char *what, const char *s, time_t *out)
{
	bool bare;

	if (parse(s, out, &bare) < 0)
		return bad_time(what, s);
	if (bare)
		*out += 24 * 60 * 60;
	return 0;
}

int pki_time_span(const char *what, const char *s, time_t *from, time_t *until)
{
	struct tm tm = { 0 };
	size_t len = strnlen(s, 8);
	struct echo e;
	bool bare;

	if ((len == 4 && digits(s, 4)) ||
	    (len == 7 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2))) {
		/* A year or a month: from its first second to the next one's. */
		tm.tm_year = num(s, 4) - 1900;
		tm.tm_mon = len == 7 ? num(s + 5, 2) - 1 : 0;
		tm.tm_mday = 1;
		if (tm.tm_year < 70 || tm.tm_mon < 0 || tm.tm_mon > 11 ||
		    (*from = timegm(&tm)) == (time_t)-1)
			goto bad;
		if (len == 7)
			tm.tm_mon++;
		else
			tm.tm_year++;
		if ((*until = timegm(&tm)) == (time_t)-1)
			goto bad;
		return 0;
	}
	if (parse(s, from, &bare) < 0)
		goto bad;
	*until = *from + (bare ? 24 * 60 * 60 : 0);
	return 0;
bad:
	return pki_error(PKI_EUSAGE, "invalid date '%s' for %s (expected YYYY, YYYY-MM, "
			 "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)", echo(&e, s), what);
}

/* $PKI_DATE fixes the clock, for tests and for reproducing a decision. */
int pki_now(time_t *out)
{
	const char *s = getenv("PKI_DATE");

	if (s != NULL && *s != '\0')
		return pki_time_parse("PKI_DATE", s, out);
	if ((*out = time(NULL)) == (time_t)-1)
		return pki_error_errno(PKI_EINTERNAL, "cannot read the clock");
	return 0;
}

/* Times outside 1970..9999 (never produced by parse) format as zeroes. */
static bool to_tm(time_t t, struct tm *tm)
{
	return gmtime_r(&t, tm) != NULL && tm->tm_year >= 70 && tm->tm_year <= 9999 - 1900;
}

void pki_time_format(time_t t, char out[PKI_TIME_LEN])
{
	struct tm tm;

	if (!to_tm(t, &tm) || strftime(out, PKI_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, PKI_TIME_LEN, "%s", "0000-00-00T00:00:00Z");
}

void pki_date_format(time_t t, char out[PKI_DATE_LEN])
{
	struct tm tm;

	if (!to_tm(t, &tm) || strftime(out, PKI_DATE_LEN, "%Y-%m-%d", &tm) == 0)
		snprintf(out, PKI_DATE_LEN, "%s", "0000-00-00");
}
