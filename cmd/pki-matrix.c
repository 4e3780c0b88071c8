/* pki-matrix: keep the access matrix and the delegations. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "matrix-arrange.h"
#include "error.h"
#include "matrix-change.h"
#include "matrix-list.h"
#include "matrix-rekey.h"
#include "matrix-undelegate.h"
#include "matrix.h"
#include "session.h"
#include "succession.h"

static const char usage[] =
	"pki-matrix [-C DIR] [-u KEY] add NAME [--key FILE|FPR] --entity E --type T --role R --clearance L [--areas A] [--from D] [--until D]\n"
	"pki-matrix [-C DIR] [-u KEY] remove NAME\n"
	"pki-matrix [-C DIR] [-u KEY] delegate GRANTEE --power P [--scope S] [--until D] --ref REF\n"
	"pki-matrix [-C DIR] [-u KEY] undelegate DLG --ref REF\n"
	"pki-matrix [-C DIR] [-u KEY] arrange KIND PARTNER --ref REF [--until D] [--review D]\n"
	"pki-matrix [-C DIR] [-u KEY] unarrange ARR\n"
	"pki-matrix [-C DIR] [-u KEY] rekey NAME --key FILE|FPR\n"
	"pki-matrix [-C DIR] [-u KEY] succeed OLD NEW [--keep] --ref REF\n"
	"pki-matrix [-C DIR] list [--format csv|text] [--at DATE] [--all]";

/* --help: every option, and the values they take. */
static const struct pki_cli_opt opts[] = {
	{ "add NAME", "add principal NAME, or change its row (narrowing re-encrypts)" },
	{ "remove NAME", "end NAME's validity and take it off every list" },
	{ "delegate GRANTEE", "grant a delegation; its ID on standard output" },
	{ "undelegate DLG", "withdraw delegation DLG now" },
	{ "arrange KIND PARTNER", "record a written arrangement with PARTNER; its ID on standard output" },
	{ "unarrange ARR", "end arrangement ARR now" },
	{ "rekey NAME", "replace NAME's key, re-encrypting its products" },
	{ "succeed OLD NEW", "NEW takes OLD's place in function (policy 19)" },
	{ "list", "the access matrix, valid rows" },
	{ "    --key FILE|FPR", "the principal's public key: a key file, or a fingerprint in the keyring" },
	{ "    --entity E", "the principal's entity, e.g. JMAC" },
	{ "    --type T", "its type" },
	{ "    --role R", "its role" },
	{ "    --clearance L", "the highest level it may receive" },
	{ "    --areas A", "its need-to-know areas separated by ';', '*' for all" },
	{ "    --from D", "the first day of validity (default: today)" },
	{ "    --until D", "the end of validity (a date: the end of that day); none by default" },
	{ "    --power P", "what a delegation allows" },
	{ "    --scope S", "what it covers: a product ID, an area or '*' (the default)" },
	{ "    --ref REF", "the written instrument, e.g. HoM-Memo-2026-014" },
	{ "    --review D", "with arrange: the arrangement's review date" },
	{ "    --keep", "with succeed: OLD stays valid and on its lists" },
	{ "    --format FORMAT", "with list: csv (the default) or text" },
	{ "    --at DATE", "with list: the rows valid at DATE" },
	{ "    --all", "with list: every row, valid or not" },
	{ NULL, NULL },
};

static const struct pki_cli_opt values[] = {
	{ "KIND", "of an arrangement: orcon, hrddp, legal, consent" },
	{ "T", "mission, un, non-un, security-force" },
	{ "R", "hom, chair, member, undss, archives, auditor, external" },
	{ "L", "unclassified, confidential, strictly-confidential" },
	{ "P", "share-external, disseminate, declassify, successor, direct" },
	{ "D, DATE", "YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ" },
	{ NULL, NULL },
};

enum {
	OPT_KEY = PKI_OPT_FIRST_FREE, OPT_ENTITY, OPT_TYPE, OPT_ROLE, OPT_CLEARANCE,
	OPT_AREAS, OPT_FROM, OPT_UNTIL, OPT_POWER, OPT_SCOPE, OPT_REF, OPT_FORMAT,
	OPT_AT, OPT_REVIEW, OPT_ALL, OPT_KEEP,
};

/* Everything the subcommands take, as given. */
struct args {
	const char *key, *entity, *type, *role, *clearance, *areas, *from, *until;
	const char *power, *scope, *ref, *format, *at, *review;
	int all, keep;
};

static int cmd_add(struct pki_session *s, const char *name, const struct args *g)
{
	struct pki_principal_req r = {
		name, g->key, g->entity, g->type, g->role, g->clearance, g->areas, g->from, g->until,
	};

	return pki_matrix_change_add(s, &r);
}

static int cmd_delegate(struct pki_session *s, const char *grantee, const struct args *g)
{
	struct pki_delegation_req r = { grantee, g->power, g->scope, g->until, g->ref };
	char id[PKI_DELEGATION_ID_LEN];
	int rc;

	if ((rc = pki_matrix_change_delegate(s, &r, id)) == 0)
		printf("%s\n", id);
	return rc;
}

static int cmd_arrange(struct pki_session *s, char **words, const struct args *g)
{
	struct pki_arrangement_req r = { words[0], words[1], g->ref, g->until, g->review };
	char id[PKI_ARRANGEMENT_ID_LEN];
	int rc;

	if ((rc = pki_matrix_change_arrange(s, &r, id)) == 0)
		printf("%s\n", id);
	return rc;
}

static int cmd_succeed(struct pki_session *s, char **names, const struct args *g)
{
	struct pki_succession_req r = { names[0], names[1], g->ref, g->keep != 0 };
	char id[PKI_DELEGATION_ID_LEN];
	int rc;

	if ((rc = pki_succession_make(s, &r, id)) == 0)
		printf("%s\n", id);
	return rc;
}

static int cmd_list(struct pki_session *s, const struct args *g)
{
	struct pki_buf out = PKI_BUF_INIT;
	int rc;

	if ((rc = pki_matrix_list(s, g->format, g->at, g->all != 0, &out)) == 0 && out.len > 0 &&
	    fwrite(out.ptr, 1, out.len, stdout) != out.len)
		rc = pki_error_errno(PKI_EIO, "cannot write the matrix");
	pki_buf_release(&out);
	return rc;
}

/* --- main --- */

static const struct option longopts[] = {
	PKI_CLI_LONG,
	{ "key", required_argument, NULL, OPT_KEY },
	{ "entity", required_argument, NULL, OPT_ENTITY },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "role", required_argument, NULL, OPT_ROLE },
	{ "clearance", required_argument, NULL, OPT_CLEARANCE },
	{ "areas", required_argument, NULL, OPT_AREAS },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "power", required_argument, NULL, OPT_POWER },
	{ "scope", required_argument, NULL, OPT_SCOPE },
	{ "ref", required_argument, NULL, OPT_REF },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "at", required_argument, NULL, OPT_AT },
	{ "review", required_argument, NULL, OPT_REVIEW },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "keep", no_argument, NULL, OPT_KEEP },
	{ NULL, 0, NULL, 0 },
};

static void parse_options(struct pki_cli *cli, struct args *g, int argc, char **argv)
{
	const char **slot[] = {
		[OPT_KEY - OPT_KEY] = &g->key, [OPT_ENTITY - OPT_KEY] = &g->entity,
		[OPT_TYPE - OPT_KEY] = &g->type, [OPT_ROLE - OPT_KEY] = &g->role,
		[OPT_CLEARANCE - OPT_KEY] = &g->clearance, [OPT_AREAS - OPT_KEY] = &g->areas,
		[OPT_FROM - OPT_KEY] = &g->from, [OPT_UNTIL - OPT_KEY] = &g->until,
		[OPT_POWER - OPT_KEY] = &g->power, [OPT_SCOPE - OPT_KEY] = &g->scope,
		[OPT_REF - OPT_KEY] = &g->ref, [OPT_FORMAT - OPT_KEY] = &g->format,
		[OPT_AT - OPT_KEY] = &g->at, [OPT_REVIEW - OPT_KEY] = &g->review,
	};
	int opt;

	while ((opt = pki_cli_getopt(cli, argc, argv, PKI_CLI_SHORT,
				     longopts)) != -1) {
		if (pki_cli_common(cli, opt, optarg))
			continue;
		if (opt == OPT_ALL)
			g->all = 1;
		else if (opt == OPT_KEEP)
			g->keep = 1;
		else if (opt >= OPT_KEY && opt < OPT_ALL)
			*slot[opt - OPT_KEY] = optarg;
	}
}

/* Which options each subcommand takes; anything else is a usage error. */
static const char *stray_option(const char *cmd, const struct args *g)
{
	bool add = strcmp(cmd, "add") == 0, del = strcmp(cmd, "delegate") == 0;
	bool list = strcmp(cmd, "list") == 0, undel = strcmp(cmd, "undelegate") == 0;
	bool rekey = strcmp(cmd, "rekey") == 0, succeed = strcmp(cmd, "succeed") == 0;
	bool arr = strcmp(cmd, "arrange") == 0;

	if (!add && !rekey && g->key)
		return "--key goes with add and rekey";
	if (!add && (g->entity || g->type || g->role || g->clearance || g->areas || g->from))
		return "--entity, --type, --role, --clearance, --areas and --from go with add";
	if (!add && !del && !arr && g->until)
		return "--until goes with add, delegate and arrange";
	if (!arr && g->review)
		return "--review goes with arrange";
	if (!del && (g->power || g->scope))
		return "--power and --scope go with delegate";
	if (!del && !undel && !succeed && !arr && g->ref)
		return "--ref goes with delegate, undelegate, succeed and arrange";
	if (!succeed && g->keep)
		return "--keep goes with succeed";
	if (!list && (g->format || g->at || g->all))
		return "--format, --at and --all go with list";
	return NULL;
}

int main(int argc, char **argv)
{
	struct pki_cli cli = { "pki-matrix", usage, NULL, NULL, 0, 0, opts, values };
	struct pki_progress progress = pki_cli_progress(&cli);
	struct args g = { 0 };
	struct pki_session s;
	const char *cmd, *stray;
	int rc, nargs, flags = PKI_SESSION_KEY;


	parse_options(&cli, &g, argc, argv);
	argc -= optind;
	argv += optind;
	if (argc < 1)
		pki_cli_usage_error(&cli, "a subcommand is required (add, remove, delegate, "
				    "undelegate, arrange, unarrange, rekey, succeed, list)");
	cmd = argv[0];
	nargs = strcmp(cmd, "list") == 0 ? 1 :
		strcmp(cmd, "succeed") == 0 || strcmp(cmd, "arrange") == 0 ? 3 : 2;
	if (strcmp(cmd, "add") != 0 && strcmp(cmd, "remove") != 0 &&
	    strcmp(cmd, "delegate") != 0 && strcmp(cmd, "list") != 0 &&
	    strcmp(cmd, "undelegate") != 0 && strcmp(cmd, "rekey") != 0 &&
	    strcmp(cmd, "succeed") != 0 && strcmp(cmd, "arrange") != 0 &&
	    strcmp(cmd, "unarrange") != 0)
		pki_cli_usage_error(&cli, "unknown subcommand '%s'", cmd);
	if (argc != nargs)
		pki_cli_usage_error(&cli, nargs == 1 ? "list takes no arguments" :
				    nargs == 3 && strcmp(cmd, "arrange") == 0 ?
				    "arrange takes a KIND and a PARTNER" :
				    nargs == 3 ? "succeed takes two names, OLD and NEW" :
				    "%s takes one name", cmd);
	if (strcmp(cmd, "succeed") == 0 && strcmp(argv[1], argv[2]) == 0)
		pki_cli_usage_error(&cli, "'%s' cannot succeed itself", argv[1]);
	if ((stray = stray_option(cmd, &g)) != NULL)
		pki_cli_usage_error(&cli, "%s", stray);
	if (strcmp(cmd, "list") == 0)
		flags = 0;	/* reading needs no key */
	rc = pki_session_open(&s, cli.prog, NULL, cli.key, flags);
	s.progress = &progress;
	if (rc == 0) {
		if (strcmp(cmd, "add") == 0)
			rc = cmd_add(&s, argv[1], &g);
		else if (strcmp(cmd, "remove") == 0)
			rc = pki_matrix_change_remove(&s, argv[1]);
		else if (strcmp(cmd, "delegate") == 0)
			rc = cmd_delegate(&s, argv[1], &g);
		else if (strcmp(cmd, "undelegate") == 0)
			rc = pki_matrix_change_undelegate(&s, argv[1], g.ref);
		else if (strcmp(cmd, "rekey") == 0)
			rc = pki_matrix_change_rekey(&s, argv[1], g.key, NULL);
		else if (strcmp(cmd, "succeed") == 0)
			rc = cmd_succeed(&s, argv + 1, &g);
		else if (strcmp(cmd, "arrange") == 0)
			rc = cmd_arrange(&s, argv + 1, &g);
		else if (strcmp(cmd, "unarrange") == 0)
			rc = pki_matrix_change_unarrange(&s, argv[1]);
		else
			rc = cmd_list(&s, &g);
	}
	rc = pki_report(cli.prog, rc);
	pki_session_close(&s);
	return pki_cli_exit(&cli, rc);
}
