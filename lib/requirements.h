/* requirements.h: the intelligence requirements, requirements.csv
 * (pki-files(5), pki-ir(1); policy 10.2, 12.9).  Pure data, like matrix.h.
 *
 *   ir,kind,parent,priority,owner,status,created,deadline,review_due,product
 *
 * IDs are MISSION-IR-NNNN.  A pir has no parent, a sir's parent is a pir,
 * an eei's a sir.  The wording of each requirement is never in the table:
 * it is the product of kind ir the product column names.
 */
#ifndef PKI_REQUIREMENTS_H
#define PKI_REQUIREMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "buf.h"

#define PKI_REQUIREMENTS_FILE "requirements.csv"
#define PKI_IR_ID_MAX 32	/* a mission code of 16, "-IR-", NNNN (up to 9 digits), NUL */
#define PKI_IR_CITED_MAX 64	/* requirements one label cites (label.xsd) */

enum pki_ir_kind { PKI_IR_PIR, PKI_IR_SIR, PKI_IR_EEI };

const char *pki_ir_kind_name(enum pki_ir_kind k);
int pki_ir_kind_parse(const char *s, enum pki_ir_kind *out);

struct pki_requirement {
	char *ir;
	enum pki_ir_kind kind;
	char *parent;		/* "" for a pir */
	int priority;		/* 1 (highest) to 3 */
	char *owner;		/* the principal who answers it */
	bool open;		/* status open, else closed */
	time_t created;		/* dates, each its day's midnight UTC */
	time_t deadline;	/* 0: none */
	time_t review_due;
	char *product;		/* the wording: a product of kind ir */
};

struct pki_requirements {
	struct pki_requirement *v;
	size_t n, cap;
};

/* An ID MISSION-IR-NNNN (four digits or more); -PKI_EUSAGE otherwise. */
int pki_check_ir_id(const char *what, const char *s);

/*
 * Parse requirements.csv (an empty input is an empty table).  Each row is
 * checked: its ID, kind, priority, owner's name, status, dates and
 * product ID; IDs unique; every parent a requirement of the table of the
 * kind above (pki_requirements_parent).  -PKI_EDATA naming the line.
 */
int pki_requirements_parse(struct pki_requirements *out, const char *data, size_t len);
/* The table in the order rows were added, header first. */
int pki_requirements_format(const struct pki_requirements *r, struct pki_buf *out);
void pki_requirements_release(struct pki_requirements *r);
/* Add a copy of x (its ID must be new). */
int pki_requirements_add(struct pki_requirements *r, const struct pki_requirement *x);
struct pki_requirement *pki_requirements_find(const struct pki_requirements *r,
					      const char *ir);

/* The next free ID of mission: one past the highest serial in r. */
int pki_requirements_next_id(const struct pki_requirements *r, const char *mission,
			     char out[PKI_IR_ID_MAX]);

/*
 * The hierarchy (policy 10.2): a pir has no parent; a sir's parent is a
 * pir of r, an eei's a sir.  With open_parent, the parent must also be
 * open (a new requirement is never filed under a closed one).
 * -PKI_EDATA naming what is wrong.
 */
int pki_requirements_parent(const struct pki_requirements *r, enum pki_ir_kind kind,
			    const char *parent, bool open_parent);

/*
 * What a product's --ir may cite (pki-classify(1), pki-register(1)): each
 * of ir[0..n) an open requirement of r (r NULL: there is no
 * requirements.csv, so none is).  -PKI_EDATA naming the first that is
 * unknown or closed.  The one check: every command that writes IR
 * references on a label calls it, and the audit judges them by it (A312).
 */
int pki_requirements_cite(const struct pki_requirements *r, char *const *ir, size_t n);

/*
 * Split a --ir argument, "IR[;IR...]", into out (pointers into s, which
 * is cut at each ';'), after the *n already there, at most max in all.
 * -PKI_EUSAGE for an empty part or too many.
 */
int pki_requirements_split(char *s, char **out, size_t *n, size_t max);

#endif
