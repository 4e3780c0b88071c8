/* pki-share: disseminate a product inside the mission, hand a copy outside
 * it, or take recipients off its distribution list (pki-share(1)). */
#include <string.h>

#include "cli.h"
#include "error.h"
#include "session.h"
#include "share.h"

static const char usage[] =
	"pki-share [-C DIR] [-u KEY] ID RECIPIENT... [-j TEXT] [--authority DELEGATION] [--hrddp REF] [--arrangement REF] [--consent REF] [-o FILE|DIR] [--label FILE] [-a]\n"
	"pki-share [-C DIR] [-u KEY] --medium paper|oral|display ID RECIPIENT... [-j TEXT] [--authority DELEGATION] [--hrddp REF] [--arrangement REF] [--consent REF]\n"
	"pki-share [-C DIR] [-u KEY] --revoke ID RECIPIENT... [-j TEXT]";

/* --help: every option, and the values they take. */
static const struct pki_cli_opt opts[] = {
	{ "ID RECIPIENT...", "the product, and the principals to give it to (or take it from)" },
	{ "-j TEXT", "the justification: in terms of the mandate, required for an export" },
	{ "    --authority DELEGATION", "the disseminate or share-external delegation acted under" },
	{ "    --hrddp REF", "the HRDDP risk assessment (security-force recipients)" },
	{ "    --arrangement REF", "the written originator-control arrangement (non-un, security-force)" },
	{ "    --consent REF", "the originator's consent (an originator-control product)" },
	{ "-o FILE|DIR", "an export: write the copy encrypted to the recipient to FILE; to DIR, one per recipient" },
	{ "    --label FILE", "an export: write the copy's label to FILE" },
	{ "-a, --armor", "an export: ASCII-armour the copy" },
	{ "    --revoke", "take the recipients off the product's distribution list" },
	{ "    --medium MEDIUM", "record a dissemination on paper, orally or on a display: no file" },
	{ NULL, NULL },
};

static const struct pki_cli_opt values[] = {
	{ "MEDIUM", "paper, oral, display" },
	{ "RECIPIENT", "a principal of the access matrix: inside the mission (type mission) a share, re-encrypting the product; outside it (un, non-un, security-force) an export" },
	{ NULL, NULL },
};

enum {
	OPT_AUTHORITY = PKI_OPT_FIRST_FREE, OPT_HRDDP, OPT_ARRANGEMENT, OPT_CONSENT,
	OPT_LABEL, OPT_REVOKE, OPT_MEDIUM,
};

static const struct option longopts[] = {
	PKI_CLI_LONG,
	{ "authority", required_argument, NULL, OPT_AUTHORITY },
	{ "hrddp", required_argument, NULL, OPT_HRDDP },
	{ "arrangement", required_argument, NULL, OPT_ARRANGEMENT },
	{ "consent", required_argument, NULL, OPT_CONSENT },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "revoke", no_argument, NULL, OPT_REVOKE },
	{ "medium", required_argument, NULL, OPT_MEDIUM },
	{ "armor", no_argument, NULL, 'a' },
	{ "output", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

static void parse_options(struct pki_cli *cli, struct pki_share_req *g, int argc, char **argv)
{
	int opt;

	while ((opt = pki_cli_getopt(cli, argc, argv, PKI_CLI_SHORT "j:o:a",
				     longopts)) != -1) {
		if (pki_cli_common(cli, opt, optarg))
			continue;
		switch (opt) {
		case 'j': g->j = optarg; break;
		case 'o': g->out = optarg; break;
		case 'a': g->armor = true; break;
		case OPT_AUTHORITY: g->authority = optarg; break;
		case OPT_HRDDP: g->hrddp = optarg; break;
		case OPT_ARRANGEMENT: g->arrangement = optarg; break;
		case OPT_CONSENT: g->consent = optarg; break;
		case OPT_LABEL: g->label = optarg; break;
		case OPT_REVOKE: g->revoke = true; break;
		case OPT_MEDIUM: g->medium = optarg; break;
		default: break;
		}
	}
}

int main(int argc, char **argv)
{
	struct pki_cli cli = { "pki-share", usage, NULL, NULL, 0, 0, opts, values };
	struct pki_progress progress = pki_cli_progress(&cli);
	struct pki_share_req g = { 0 };
	struct pki_session s;
	int rc;


	parse_options(&cli, &g, argc, argv);
	argc -= optind;
	argv += optind;
	if (argc < 2)
		pki_cli_usage_error(&cli, "a product ID and at least one recipient are required");
	if (argc - 1 > PKI_SHARE_RECIPIENTS_MAX)
		pki_cli_usage_error(&cli, "at most %d recipients in one call",
				    PKI_SHARE_RECIPIENTS_MAX);
	if (g.revoke && (g.authority || g.hrddp || g.arrangement || g.consent || g.out ||
			 g.label || g.armor || g.medium))
		pki_cli_usage_error(&cli, "--revoke takes recipients and -j only");
	if (g.medium && (g.out || g.label || g.armor))
		pki_cli_usage_error(&cli, "--medium records no file: it takes no -o, --label or -a");
	if (g.out != NULL && strcmp(g.out, "-") == 0)
		g.out = NULL;	/* -o -: standard output */
	g.id = argv[0];
	g.names = argv + 1;
	g.n = (size_t)(argc - 1);
	if ((rc = pki_share_check(&g)) < 0)
		return pki_cli_exit(&cli, pki_report(cli.prog, rc));
	rc = pki_session_open(&s, cli.prog, NULL, cli.key, PKI_SESSION_KEY);
	s.progress = &progress;
	if (rc == 0)
		rc = pki_share_run(&s, &g);
	rc = pki_report(cli.prog, rc);
	pki_session_close(&s);
	return pki_cli_exit(&cli, rc);
}
