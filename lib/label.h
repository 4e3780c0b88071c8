/* label.h: confidentiality labels and other XML (libxml2 only here).
 * The label schema is share/pki/label.xsd; pki-files(5). */
#ifndef PKI_LABEL_H
#define PKI_LABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "buf.h"
#include "vocab.h"

#define PKI_LABEL_NS "urn:x-pki:label:1"
#define PKI_POLICY_ID "ST/SGB/2007/6"
#define PKI_LABEL_MAX (64 * 1024)	/* bytes read from outside */
#define PKI_SHA256_HEX 65
#define PKI_LABEL_RECIPIENTS_MAX 1000	/* principals on one distribution list */

#define PKI_LABEL_SOURCES_MAX 16

/* One import of the product from another pki repository (<source>). */
struct pki_label_source {
	char *id;		/* its ID there */
	char *mission;		/* that repository's mission code */
	char *exporter;		/* the signer, as this repository's matrix names it */
	time_t exported;	/* when the copy was signed */
};

struct pki_label {
	char *id;
	enum pki_level level;
	char criterion;		/* 'a'..'g', 0 when unclassified */
	char *originator;	/* principal name, or the external origin */
	bool received;		/* originator is outside the mission */
	char *registrar;	/* received: the principal who registered it */
	time_t created;
	time_t review;		/* 0: no review date */
	char *areas;		/* "" for none */
	bool originator_control;
	char *releasable;	/* releasability caveat, e.g. "mission", or NULL */
	bool safety;
	char **ir;		/* information-requirement references */
	size_t nir;
	char **recipients;	/* the distribution list: principal names */
	size_t nrecipients;
	char sha256[PKI_SHA256_HEX];	/* of the ciphertext this label binds */
	enum pki_kind kind;	/* product unless told: labels before kinds are products */
	char *retention;	/* a material's retention, ISO 8601 duration ("P5Y"), or NULL */
	time_t disposed;	/* when a material was disposed of; 0: it was not */
	struct pki_label_source *sources;	/* imports, the first hop first */
	size_t nsources;
};

/* Append a <source> (strings copied). */
int pki_label_add_source(struct pki_label *l, const char *id, const char *mission,
			 const char *exporter, time_t exported);

void pki_label_release(struct pki_label *l);

/* Write the label as XML (UTF-8, indented, trailing newline). */
int pki_label_format(const struct pki_label *l, struct pki_buf *out);

/*
 * Parse and validate against label.xsd (found under the share directory,
 * see pki_share_path).  No network, no entity expansion, bounded size and
 * depth.  -PKI_EDATA with the reason for anything invalid.
 */
int pki_label_parse(struct pki_label *out, const char *data, size_t len);

/*
 * The same without the schema, for a listing that reads every label of
 * the repository (pki-ir coverage): well-formed, bounded, its fields
 * read and checked as pki_label_parse does; what label.xsd alone would
 * refuse goes unseen here, and pki-audit reports it (A305).  The schema
 * is most of the cost of a parse.
 */
int pki_label_scan(struct pki_label *out, const char *data, size_t len);

/*
 * The fields (PKI_LF_* bits, vocab.h) in which two labels differ; 0 when
 * they say the same.  The distribution list and the IR references differ
 * when their order does.  Pure: what is compared was parsed before.
 */
unsigned pki_label_diff(const struct pki_label *a, const struct pki_label *b);

/* pki_xml_validate, for any of pki's documents, is in xml-read.h. */

#endif
