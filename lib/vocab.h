/* vocab.h: the words of the policy (pki(7)) and their parsing, in one place. */
#ifndef PKI_VOCAB_H
#define PKI_VOCAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum pki_level {
	PKI_LEVEL_UNCLASSIFIED,
	PKI_LEVEL_CONFIDENTIAL,
	PKI_LEVEL_STRICTLY_CONFIDENTIAL,
};

enum pki_type { PKI_TYPE_MISSION, PKI_TYPE_UN, PKI_TYPE_NON_UN, PKI_TYPE_SECURITY_FORCE };

enum pki_role {
	PKI_ROLE_HOM, PKI_ROLE_CHAIR, PKI_ROLE_MEMBER, PKI_ROLE_UNDSS,
	PKI_ROLE_ARCHIVES, PKI_ROLE_AUDITOR, PKI_ROLE_EXTERNAL,
};

enum pki_power {
	PKI_POWER_SHARE_EXTERNAL, PKI_POWER_DISSEMINATE, PKI_POWER_DECLASSIFY,
	PKI_POWER_SUCCESSOR,	/* successor in function: pki-matrix succeed (policy 19) */
	PKI_POWER_DIRECT,	/* setting intelligence requirements: pki-ir (policy 10.2) */
};

enum pki_action {
	PKI_ACTION_RECEIVE, PKI_ACTION_CLASSIFY, PKI_ACTION_RECLASSIFY,
	PKI_ACTION_SHARE, PKI_ACTION_EXPORT, PKI_ACTION_REVOKE, PKI_ACTION_ARCHIVE,
	PKI_ACTION_REVIEW,	/* a classification reviewed, its level kept (policy 11.2.1) */
	PKI_ACTION_ARCHIVE_ACK,	/* the UN Archives' receipt of a transfer (policy 11.5.1) */
	PKI_ACTION_DISPOSE,	/* a material destroyed after its retention (policy 12.6.9) */
	PKI_ACTION_RELABEL,	/* areas, safety or IR references corrected, level kept */
};

/* What a labelled record is (policy 11.5.1: products, plans and requirements
 * are permanent; materials have a retention and may be disposed of). */
enum pki_kind { PKI_KIND_PRODUCT, PKI_KIND_PLAN, PKI_KIND_IR, PKI_KIND_MATERIAL };

/*
 * The fields of a confidentiality label (pki-files(5)), one bit each: which
 * differ between two versions of a label (pki_label_diff), which an
 * action may change (pki_policy_label_owns).  The policy identifier has
 * no bit: label.xsd allows it one value.
 */
enum pki_label_field {
	PKI_LF_ID = 1 << 0,
	PKI_LF_LEVEL = 1 << 1,
	PKI_LF_CRITERION = 1 << 2,
	PKI_LF_ORIGINATOR = 1 << 3,	/* the name, and whether it is external */
	PKI_LF_REGISTRAR = 1 << 4,
	PKI_LF_CREATED = 1 << 5,
	PKI_LF_REVIEW = 1 << 6,
	PKI_LF_AREAS = 1 << 7,
	PKI_LF_ORIGINATOR_CONTROL = 1 << 8,
	PKI_LF_RELEASABLE = 1 << 9,
	PKI_LF_SAFETY = 1 << 10,
	PKI_LF_IR = 1 << 11,
	PKI_LF_DISTRIBUTION = 1 << 12,
	PKI_LF_BINDING = 1 << 13,
	PKI_LF_KIND = 1 << 14,
	PKI_LF_RETENTION = 1 << 15,
	PKI_LF_DISPOSED = 1 << 16,
	PKI_LF_SOURCE = 1 << 17,	/* the imports it came through */
};
#define PKI_LF_ALL ((1u << 18) - 1)

/*
 * name <-> value.  The parsers return 0, or -PKI_EUSAGE with a message that
 * lists the accepted words ("unknown level 'secret' (unclassified,
 * confidential, strictly-confidential)").
 */
const char *pki_level_name(enum pki_level);
int pki_level_parse(const char *s, enum pki_level *out);
const char *pki_type_name(enum pki_type);
int pki_type_parse(const char *s, enum pki_type *out);
const char *pki_role_name(enum pki_role);
int pki_role_parse(const char *s, enum pki_role *out);
const char *pki_power_name(enum pki_power);
int pki_power_parse(const char *s, enum pki_power *out);
const char *pki_action_name(enum pki_action);
int pki_action_parse(const char *s, enum pki_action *out);
const char *pki_kind_name(enum pki_kind);
int pki_kind_parse(const char *s, enum pki_kind *out);
/* A field's element in label.xsd ("originator-control"), for one bit. */
const char *pki_label_field_name(enum pki_label_field f);

/* Criterion codes a..g of ST/SGB/2007/6 §1.2 (share/pki/criteria.csv). */
int pki_criterion_parse(const char *s, char *out);
const char *pki_criterion_name(char code);	/* "third-party-confidence" */

/*
 * Names, checked in one place, so that what one command accepts every
 * other does too.  Each returns 0 or -PKI_EUSAGE with a message naming `what`.
 *   principal: [a-z0-9][a-z0-9._-]{0,63}, no "..": also a file-name part
 *   entity, mission code: [A-Z0-9]{1,16}
 *   product ID: MISSION-ENTITY-YYYY-NNNNNN or MISSION-ENTITY-SITE-YYYY-NNNNNN
 *   areas: area(;area)*, area [a-z0-9][a-z0-9-]{0,47}, or "*"; at most 64
 *   reference, free text: valid UTF-8, no control characters, <= max bytes
 *   fingerprint: 40 hex digits (normalised to upper case in place)
 */
int pki_check_principal(const char *what, const char *s);
int pki_check_code(const char *what, const char *s);
int pki_check_product_id(const char *s);
/* A product ID taken apart, by the one parser of their grammar; site is ""
 * for an ID without one.  out may be NULL (then it is pki_check_product_id). */
#define PKI_CODE_MAX 17	/* [A-Z0-9]{1,16} + NUL */
struct pki_product_id {
	char mission[PKI_CODE_MAX], entity[PKI_CODE_MAX], site[PKI_CODE_MAX];
	int year;	/* YYYY, >= 1970 */
	long serial;	/* NNNNNN */
};
int pki_product_id_parse(const char *s, struct pki_product_id *out);
int pki_check_areas(const char *what, const char *s);
int pki_check_text(const char *what, const char *s, size_t max);
/* Free text an actor types (a justification, a reference, an origin, a
 * reason ...): pki_check_text, and first -PKI_EDATA when it begins with
 * = + - @ TAB or CR, which a spreadsheet would run as a formula: the
 * registry stores text exactly, so such text is refused, not altered. */
int pki_check_free_text(const char *what, const char *s, size_t max);
bool pki_text_is_formula(const char *s);
/* The length of the UTF-8 sequence at s with its code point, 0 when it is
 * invalid (overlong, a surrogate, past U+10FFFF: RFC 3629). */
size_t pki_utf8_len(const unsigned char *s, uint32_t *cp);
int pki_check_fingerprint(const char *what, char *s);
/* The same, as a question: no message, s untouched. */
bool pki_is_fingerprint(const char *s);

/* A delegation's scope: a product ID, one area, or "*" (pki-files(5)). */
int pki_check_scope(const char *what, const char *s);

/*
 * The registry's authority column (pki-files(5)) holds a word -- originator,
 * hom, undss-rule, custodian, successor, matrix -- or the ID of a delegation.  One list of
 * the words, so that the audit, the delegation IDs and the commands agree.
 */
bool pki_authority_is_word(const char *s);
/* Not empty and not a word: the ID of a delegation. */
bool pki_authority_is_delegation(const char *s);

/* Does the ';'-separated area list a meet b ("*" meets everything)? */
bool pki_areas_meet(const char *a, const char *b);

/*
 * Time.  Everything is UTC.  Dates are "YYYY-MM-DD" or
 * "YYYY-MM-DDTHH:MM:SSZ" (an explicit "+00:00" is accepted too).
 * pki_now() is $PKI_DATE when set (same syntax), else time(NULL).
 */
int pki_time_parse(const char *what, const char *s, time_t *out);
int pki_now(time_t *out);
#define PKI_TIME_LEN 21	/* "2026-11-26T11:05:00Z" + NUL */
#define PKI_DATE_LEN 11	/* "2026-11-26" + NUL */
void pki_time_format(time_t t, char out[PKI_TIME_LEN]);
void pki_date_format(time_t t, char out[PKI_DATE_LEN]);
/* The end of validity a date names: a bare date means to the end of that
 * day (the next midnight); a full time means that instant. */
int pki_time_parse_until(const char *what, const char *s, time_t *out);
/* What a --since or --until of a listing names: [*from, *until).  Besides
 * a date (that day) and a full time (that instant: *until == *from),
 * "YYYY-MM" is that month and "YYYY" that year.  --since D takes *from,
 * --until D takes *until: "--until 2026-03" includes all of March. */
int pki_time_span(const char *what, const char *s, time_t *from, time_t *until);

#endif
