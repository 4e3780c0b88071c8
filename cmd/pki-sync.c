/* pki-sync: bring this clone and another repository together, merging
 * concurrent work without a person (pki-sync(1)). */
#include <stdbool.h>

#include "cli.h"
#include "error.h"
#include "repo.h"
#include "session.h"
#include "sync.h"

static const char usage[] = "pki-sync [-C DIR] [-u KEY] [--no-push] [REMOTE]";

/* --help: every option. */
static const struct pki_cli_opt opts[] = {
	{ "REMOTE", "the other side: a remote's name or any URL git takes (default origin)" },
	{ "    --no-push", "stop after the fetch and the merge: the other side is left alone" },
	{ NULL, NULL },
};

enum { OPT_NO_PUSH = PKI_OPT_FIRST_FREE };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		PKI_CLI_LONG,
		{ "no-push", no_argument, NULL, OPT_NO_PUSH },
		{ NULL, 0, NULL, 0 },
	};
	struct pki_cli cli = { "pki-sync", usage, NULL, NULL, 0, 0, opts, NULL };
	struct pki_sync_req r = { 0 };
	struct pki_sync_result res;
	struct pki_progress progress;
	struct pki_session s;
	int opt, rc;

	while ((opt = pki_cli_getopt(&cli, argc, argv, PKI_CLI_SHORT, longopts)) != -1) {
		if (pki_cli_common(&cli, opt, optarg))
			continue;
		if (opt == OPT_NO_PUSH)
			r.no_push = true;
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		pki_cli_usage_error(&cli, "one remote at a time ('%s')", argv[1]);
	r.remote = argc == 1 ? argv[0] : NULL;
	progress = pki_cli_progress(&cli);
	r.progress = &progress;
	/* The one tool that speaks to other machines: https is verified. */
	pki_repo_trust_system_ca();
	rc = pki_session_open(&s, cli.prog, NULL, cli.key, PKI_SESSION_KEY);
	if (rc == 0)
		rc = pki_sync_run(&s, &r, &res);
	rc = pki_report(cli.prog, rc);
	pki_session_close(&s);
	return pki_cli_exit(&cli, rc);
}
