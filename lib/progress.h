/* progress.h: how long work tells its caller how far it has gone.
 *
 * The library never prints: work that may run long (a large product, many
 * re-encryptions, an audit of thousands of commits, a sync, a transfer)
 * takes a struct pki_progress and reports through it; a command passes
 * pki_cli_progress(), which draws on stderr when stderr is a terminal and
 * does nothing otherwise, as git does.  NULL, or report NULL: no progress.
 */
#ifndef PKI_PROGRESS_H
#define PKI_PROGRESS_H

#include <stdint.h>

struct pki_progress {
	/* what: "Encrypting", "Checking commits"; total 0 when unknown.
	 * The last call of a phase has done == total. */
	void (*report)(void *arg, const char *what, uint64_t done, uint64_t total);
	void *arg;
};

static inline void pki_progress_report(const struct pki_progress *p, const char *what,
				       uint64_t done, uint64_t total)
{
	if (p != NULL && p->report != NULL)
		p->report(p->arg, what, done, total);
}

#endif
