/* archive.h: transfers to the UN Archives (pki-archive(1), policy 11.5.1, 12.6.9).
 *
 * A transfer is a BagIt bag (RFC 8493) holding the products of a
 * half-year (ciphertext readable by the archives principal, and labels),
 * the registry shards of its months, the access matrix, the delegations,
 * the principals' keys and a transfer list (share/pki/transfer.xsd).  It
 * is recorded by one `archive` registry row per product, in one signed
 * commit whose trailers carry the digest of the bag's payload manifest.
 *
 *   period.c        half-years: parse, format, bounds, the last complete one
 *   bagit.c         the bag writer: built aside, renamed into place
 *   mktree.c        its directory tree: O_EXCL, O_NOFOLLOW, removable
 *   archive-scan.c  what the registry says of transfers and records
 *   archive.c       a transfer: judge, choose, record, publish
 *   archive-fill.c  its payload: records (re-encrypted if need be), documents
 *   archive-ack.c   the Archives' receipt of a transfer (archive-ack rows)
 *   archive-dispose.c  a material disposed of after its retention (dispose rows)
 *   xml-transfer.c  the transfer list (libxml2, through xml-write.c)
 */
#ifndef PKI_ARCHIVE_H
#define PKI_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "buf.h"
#include "vocab.h"

struct pki_session;

/* --- periods --- */

/* A half-year: half 1 is January to June, half 2 July to December. */
struct pki_period {
	int year;
	int half;
};

#define PKI_PERIOD_LEN 7	/* "2026H1" + NUL */

/* "2026H1": -PKI_EUSAGE for anything else (years 1970 to 9999). */
int pki_period_parse(const char *s, struct pki_period *out);
void pki_period_format(const struct pki_period *p, char out[PKI_PERIOD_LEN]);
/* [*start, *end): the first instant of the half-year and of the next. */
void pki_period_bounds(const struct pki_period *p, time_t *start, time_t *end);
/* The half-year holding t. */
void pki_period_of(time_t t, struct pki_period *out);
/* The latest half-year wholly before t (ended at or before t). */
void pki_period_last_complete(time_t t, struct pki_period *out);
void pki_period_prev(struct pki_period *p);
int pki_period_cmp(const struct pki_period *a, const struct pki_period *b);

/* --- BagIt bags (RFC 8493) --- */

/*
 * A bag is written into DIR/.NAME.tmp and renamed to DIR/NAME by
 * pki_bag_publish, so that a bag under its final name is always whole.
 * Every file and directory is created with O_EXCL and O_NOFOLLOW under
 * directories opened with O_NOFOLLOW: nothing planted in the way is
 * followed or overwritten.  A bag freed unpublished is removed.
 */
struct pki_bag;

/* -PKI_EIO when DIR/NAME or DIR/.NAME.tmp exists, -PKI_ENOINPUT without DIR. */
int pki_bag_create(struct pki_bag **out, const char *dir, const char *name);
void pki_bag_free(struct pki_bag *b);

/*
 * A payload file, data/<path> (path relative, '/'-separated, no "..").
 * begin gives a sink that writes the file and hashes it; end closes and
 * frees it (every begun file must be ended, even after a failure) and
 * gives its SHA-256 in hex when hex is not NULL.  Several may be open.
 */
struct pki_bagf;
int pki_bag_file_begin(struct pki_bag *b, const char *path, struct pki_bagf **f,
		       struct pki_sink *sink);
int pki_bag_file_end(struct pki_bagf *f, char hex[65]);
int pki_bag_add(struct pki_bag *b, const char *path, const void *data, size_t len,
		char hex[65]);

/*
 * Write manifest-sha256.txt (sorted), bagit.txt, bag-info.txt (the n
 * "Label: value" lines of info in order, then Payload-Oxum) and
 * tagmanifest-sha256.txt.  manifest: the SHA-256 of manifest-sha256.txt,
 * hex.  oxum: the Payload-Oxum written ("octets.count").
 */
#define PKI_OXUM_LEN 48
int pki_bag_finish(struct pki_bag *b, const char *const *info, size_t n,
		   char manifest[65], char oxum[PKI_OXUM_LEN]);
/* Rename into place (never replacing anything).  After it the bag is
 * kept, renamed or not. */
int pki_bag_publish(struct pki_bag *b);
/* DIR/NAME. */
const char *pki_bag_path(const struct pki_bag *b);

/* --- the transfer list (share/pki/transfer.xsd) --- */

#define PKI_TRANSFER_NS "urn:x-pki:transfer:1"

struct pki_xfer_head {
	const char *id;		/* UNMISS-2026H1 */
	const char *mission;	/* code */
	const char *mission_name;	/* may be NULL */
	const char *period;	/* "2026H1", or NULL for a final transfer */
	time_t from, until;	/* [from, until) covered */
	time_t date;		/* of the transfer */
	const char *actor;	/* the principal who made it */
	const char *archives;	/* the archives principal(s), ';'-separated */
	size_t nrecords;
};

struct pki_xfer_record {
	const char *id;
	enum pki_kind kind;	/* product, plan, ir, material */
	enum pki_level level;
	char criterion;		/* 0 when none */
	const char *originator;
	bool external;		/* originator outside the mission */
	time_t created;
	const char *last_action;	/* within the transferred registry */
	time_t last_time;
	const char *retention;	/* a material's ISO 8601 duration; NULL: permanent */
	time_t disposed;	/* a material disposed of: 0 when not */
	const char *ciphertext, *label;	/* payload paths; ciphertext NULL once disposed of */
	const char *ct_sha256, *label_sha256;
};

struct pki_xfer_doc {
	const char *kind;	/* registry, access-matrix, delegations, key */
	const char *path;
	const char *sha256;
};

/* The list is written as it goes, to a sink (a bag file). */
struct pki_xfer;
int pki_xfer_begin(struct pki_xfer **out, struct pki_sink *sink,
		   const struct pki_xfer_head *h);
int pki_xfer_record(struct pki_xfer *x, const struct pki_xfer_record *r);
/* After the records, the other documents of the bag. */
int pki_xfer_doc(struct pki_xfer *x, const struct pki_xfer_doc *d);
int pki_xfer_end(struct pki_xfer *x);
void pki_xfer_free(struct pki_xfer *x);

/* --- transfers --- */

enum pki_archive_mode { PKI_ARCHIVE_PERIOD, PKI_ARCHIVE_DUE, PKI_ARCHIVE_FINAL };

struct pki_archive_opts {
	enum pki_archive_mode mode;
	struct pki_period period;	/* PKI_ARCHIVE_PERIOD */
	const char *outdir;
	bool force;		/* transfer again what was transferred */
};

/*
 * Build, record and publish a transfer as the session's acting key.
 * *path (malloc'd) is the bag's path; NULL when --due found nothing due.
 */
int pki_archive_run(struct pki_session *s, const struct pki_archive_opts *o, char **path);

/*
 * Record, as the session's acting key (an archives principal), the UN
 * Archives' receipt of the transfer of a half-year under their accession
 * reference ref (archive-ack.c): one archive-ack row per product of the
 * transfer.  -PKI_EDATA for a half-year never transferred or already
 * acknowledged, -PKI_EUSAGE for an empty or bad ref, -PKI_EPOLICY for
 * another actor.
 */
int pki_archive_ack(struct pki_session *s, const struct pki_period *period, const char *ref);

/*
 * Dispose of material id, as the session's acting key (the Chair), under
 * the certificate of destruction named by certificate (archive-dispose.c,
 * pki_policy_dispose): its ciphertext leaves the tree, its label is
 * marked disposed, a dispose row records it, in one signed commit.
 * -PKI_EPOLICY for what the rule refuses, -PKI_ENOINPUT for no such
 * product, -PKI_EUSAGE for an empty or bad certificate.
 */
int pki_archive_dispose(struct pki_session *s, const char *id, const char *certificate);

#endif
