/* sync-check.h: what pki-sync refuses before it merges (sync-check.c). */
#ifndef PKI_SYNC_CHECK_H
#define PKI_SYNC_CHECK_H

#include <stddef.h>
#include <time.h>

struct pki_repo;
struct pki_delta;

/* The two sides of a merge: commits (hex) and what each changed since base. */
struct pki_sync_sides {
	struct pki_repo *repo;
	const char *base, *ours, *theirs;
	const struct pki_delta *dours;
	size_t nours;
	const struct pki_delta *dtheirs;
	size_t ntheirs;
	const char *remote;	/* the other side's name, for messages */
	time_t now;		/* the merge's time */
};

/*
 * Each side's new shares and exports, judged by the other side's access
 * matrix: -PKI_EPOLICY, naming the product and the principal, for one to
 * a principal valid by the common ancestor's matrix and no longer by the
 * other side's (removed there meanwhile).
 */
int pki_sync_check_shares(const struct pki_sync_sides *m);

#endif
