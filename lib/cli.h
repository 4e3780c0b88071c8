/* cli.h: the options and habits every pki command shares.
 *
 * -h/--help (usage on stdout, exit 0), --version, -C DIR, -u KEY; usage
 * errors to stderr with exit 64; stdout checked and closed at exit.
 */
#ifndef PKI_CLI_H
#define PKI_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <time.h>

#include "progress.h"

/* One option as --help describes it, on one line. */
struct pki_cli_opt {
	const char *name;	/* as typed: "-l, --level LEVEL" */
	const char *text;	/* what it does: "the level of the product" */
};

struct pki_cli {
	const char *prog;	/* "pki-share" */
	const char *usage;	/* the SYNOPSIS lines, without "usage: " */
	const char *dir;	/* -C */
	const char *key;	/* -u */
	/* The progress line being drawn (pki_cli_progress). */
	int shown;		/* last percentage drawn plus one; 0: none yet */
	time_t drawn;		/* when last drawn, for counts without a total */
	/* What --help says after the usage: the command's own options, one
	 * line each (ended by { NULL }; the shared -C, -u, -h and --version
	 * follow them), then the value sets, one "WORD  values" a line. */
	const struct pki_cli_opt *opts;
	const struct pki_cli_opt *values;
};

/* getopt_long values for the shared long-only options. */
enum { PKI_OPT_VERSION = 0x100, PKI_OPT_FIRST_FREE = 0x110 };

#define PKI_CLI_SHORT "hC:u:"
#define PKI_CLI_LONG \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, PKI_OPT_VERSION }

/*
 * Handle a shared option: returns 1 when handled, 0 when it is not one.
 * -h and --version print and exit 0 (-h: the usage, then cli->opts and
 * the shared options described, then cli->values); '?' exits 64.
 */
int pki_cli_common(struct pki_cli *cli, int opt, const char *arg);

/*
 * getopt_long, saying what was wrong itself: "unknown option '--x'" or
 * "option '-l' needs a value", one line through pki_cli_usage_error
 * (control characters shown as '?'), and exit 64.
 */
int pki_cli_getopt(const struct pki_cli *cli, int argc, char *const argv[],
		   const char *shortopts, const struct option *longopts);

/* Say "prog: why (see 'prog --help')" on stderr, one line, and exit 64;
 * with why NULL, print the usage instead. */
__attribute__((noreturn)) void pki_cli_usage_error(const struct pki_cli *cli, const char *why, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A reporter for the library's long work: on a terminal, one line on
 * stderr redrawn in place ("pki-share: Encrypting: 42% (420/1000)") when
 * the percentage changes, ended by a newline when done == total; nothing
 * when stderr is not a terminal.
 */
struct pki_progress pki_cli_progress(struct pki_cli *cli);

/*
 * Warn on stderr, one line, of a product's areas that no valid principal
 * holds (unheld: a ';'-list from pki_policy_unheld_areas; nothing when
 * empty or NULL), naming the correction.  The command still succeeds.
 */
void pki_cli_warn_unheld(const struct pki_cli *cli, const char *id, const char *unheld);

/* Flush and close stdout; 74 when that fails, else status.  When its
 * reader has gone (EPIPE), die of SIGPIPE, silently, as git does. */
int pki_cli_exit(const struct pki_cli *cli, int status);

#endif
