/* pki-ir: intelligence requirements -- add, review, close, list, coverage. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "error.h"
#include "ir.h"
#include "session.h"

static const char usage[] =
	"pki-ir [-C DIR] [-u KEY] add -k pir|sir|eei [--parent IR] [-p 1-3] --owner P [--deadline D] [--review D] [-l LEVEL -c CRIT] [FILE|-]\n"
	"pki-ir [-C DIR] [-u KEY] review IR [--next D]\n"
	"pki-ir [-C DIR] [-u KEY] close IR --reason TEXT\n"
	"pki-ir [-C DIR] list [--open] [--due] [--format csv|text]\n"
	"pki-ir [-C DIR] coverage [--since D] [--format csv|text]";

/* --help: every option, and the values they take. */
static const struct pki_cli_opt opts[] = {
	{ "add", "set a requirement; its ID on standard output" },
	{ "review IR", "record a review of requirement IR" },
	{ "close IR", "close requirement IR" },
	{ "list", "the requirements" },
	{ "coverage", "what answers each requirement" },
	{ "-k, --kind KIND", "the kind of requirement" },
	{ "    --parent IR", "the requirement a sir or an eei refines" },
	{ "-p, --priority 1-3", "its priority, 1 the highest (default 2)" },
	{ "    --owner P", "the principal who answers it; it can read the wording" },
	{ "    --deadline D", "when the answer is needed" },
	{ "    --review D", "the first review date (default: a year after creation)" },
	{ "-l LEVEL", "the classification of the wording" },
	{ "-c CRIT", "its criterion, as for pki-classify" },
	{ "FILE|-", "the wording (standard input for - or none)" },
	{ "    --next D", "with review: the next review date" },
	{ "    --reason TEXT", "with close: why, up to 256 bytes" },
	{ "    --open", "with list: open requirements only" },
	{ "    --due", "with list: open requirements past their review date" },
	{ "    --since D", "with coverage: count only what was created from D" },
	{ "    --format FORMAT", "csv (the default) or text" },
	{ NULL, NULL },
};

static const struct pki_cli_opt values[] = {
	{ "KIND", "pir, sir, eei" },
	{ "LEVEL", "unclassified, confidential, strictly-confidential" },
	{ "D", "YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ" },
	{ NULL, NULL },
};

enum {
	OPT_PARENT = PKI_OPT_FIRST_FREE, OPT_OWNER, OPT_DEADLINE, OPT_REVIEW, OPT_NEXT,
	OPT_REASON, OPT_OPEN, OPT_DUE, OPT_FORMAT, OPT_SINCE,
};

struct args {
	const char *kind, *parent, *priority, *owner, *deadline, *review, *level, *crit;
	const char *next, *reason, *format, *since;
	bool open, due;
};

static const struct option longopts[] = {
	PKI_CLI_LONG,
	{ "kind", required_argument, NULL, 'k' },
	{ "priority", required_argument, NULL, 'p' },
	{ "level", required_argument, NULL, 'l' },
	{ "criterion", required_argument, NULL, 'c' },
	{ "parent", required_argument, NULL, OPT_PARENT },
	{ "owner", required_argument, NULL, OPT_OWNER },
	{ "deadline", required_argument, NULL, OPT_DEADLINE },
	{ "review", required_argument, NULL, OPT_REVIEW },
	{ "next", required_argument, NULL, OPT_NEXT },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "open", no_argument, NULL, OPT_OPEN },
	{ "due", no_argument, NULL, OPT_DUE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ NULL, 0, NULL, 0 },
};

static void parse_options(struct pki_cli *cli, struct args *g, int argc, char **argv)
{
	int opt;

	while ((opt = pki_cli_getopt(cli, argc, argv, PKI_CLI_SHORT "k:p:l:c:", longopts)) != -1) {
		if (pki_cli_common(cli, opt, optarg))
			continue;
		switch (opt) {
		case 'k': g->kind = optarg; break;
		case 'p': g->priority = optarg; break;
		case 'l': g->level = optarg; break;
		case 'c': g->crit = optarg; break;
		case OPT_PARENT: g->parent = optarg; break;
		case OPT_OWNER: g->owner = optarg; break;
		case OPT_DEADLINE: g->deadline = optarg; break;
		case OPT_REVIEW: g->review = optarg; break;
		case OPT_NEXT: g->next = optarg; break;
		case OPT_REASON: g->reason = optarg; break;
		case OPT_OPEN: g->open = true; break;
		case OPT_DUE: g->due = true; break;
		case OPT_FORMAT: g->format = optarg; break;
		case OPT_SINCE: g->since = optarg; break;
		}
	}
}

/* Which options go with which subcommand; anything else is a usage error. */
static const char *stray_option(const char *cmd, const struct args *g, int nargs)
{
	bool add = strcmp(cmd, "add") == 0, review = strcmp(cmd, "review") == 0;
	bool close = strcmp(cmd, "close") == 0, list = strcmp(cmd, "list") == 0;
	bool cov = strcmp(cmd, "coverage") == 0;

	if (!add && !review && !close && !list && !cov)
		return "unknown subcommand (add, review, close, list, coverage)";
	if (!add && (g->kind || g->parent || g->priority || g->owner || g->deadline ||
		     g->review || g->level || g->crit))
		return "-k, --parent, -p, --owner, --deadline, --review, -l and -c go with add";
	if (!review && g->next)
		return "--next goes with review";
	if (!close && g->reason)
		return "--reason goes with close";
	if (!list && (g->open || g->due))
		return "--open and --due go with list";
	if (!list && !cov && g->format)
		return "--format goes with list and coverage";
	if (!cov && g->since)
		return "--since goes with coverage";
	if (add && (g->kind == NULL || g->owner == NULL))
		return "add needs -k KIND and --owner P";
	if (add && nargs > 1)
		return "add takes one FILE at most";
	if ((review || close) && nargs != 1)
		return "review and close take one requirement ID";
	if (close && g->reason == NULL)
		return "close needs --reason TEXT";
	if ((list || cov) && nargs != 0)
		return "list and coverage take no arguments";
	if (g->format && strcmp(g->format, "csv") != 0 && strcmp(g->format, "text") != 0)
		return "--format is csv or text";
	return NULL;
}

/* --- add, review, close --- */

static int cmd_add(struct pki_session *s, const struct args *g, const char *file)
{
	struct pki_ir_new n = { 0 };
	int rc;

	n.priority = 2;
	if ((rc = pki_ir_kind_parse(g->kind, &n.kind)) < 0 ||
	    (g->level && (rc = pki_level_parse(g->level, &n.level)) < 0) ||
	    (g->crit && (rc = pki_criterion_parse(g->crit, &n.criterion)) < 0) ||
	    (g->deadline && (rc = pki_time_parse("--deadline", g->deadline, &n.deadline)) < 0) ||
	    (g->review && (rc = pki_time_parse("--review", g->review, &n.review)) < 0))
		return rc;
	if (g->priority != NULL) {
		if (strlen(g->priority) != 1 || g->priority[0] < '1' || g->priority[0] > '3')
			return pki_error(PKI_EUSAGE, "-p is 1, 2 or 3");
		n.priority = g->priority[0] - '0';
	}
	if (n.criterion != 0 && n.level == PKI_LEVEL_UNCLASSIFIED)
		return pki_error(PKI_EUSAGE, "-c goes with confidential and strictly-confidential");
	n.parent = g->parent;
	n.owner = g->owner;
	n.file = file;
	if ((rc = pki_ir_add(s, &n)) == 0)
		printf("%s\n", n.id);
	return rc;
}

static int cmd_review(struct pki_session *s, const struct args *g, const char *ir)
{
	time_t next = 0;
	int rc;

	if (g->next && (rc = pki_time_parse("--next", g->next, &next)) < 0)
		return rc;
	return pki_ir_review(s, ir, next);
}

/* --- list, coverage --- */

static const char *date_or(time_t t, char buf[PKI_DATE_LEN], const char *none)
{
	if (t == 0)
		return none;
	pki_date_format(t, buf);
	return buf;
}

static int put_csv(struct pki_buf *line, const char *const *f, size_t n)
{
	int rc;

	pki_buf_reset(line);
	if ((rc = pki_csv_row(line, f, n)) < 0)
		return rc;
	if (fwrite(line->ptr, 1, line->len, stdout) != line->len)
		return pki_error_errno(PKI_EIO, "cannot write to standard output");
	return 0;
}

static int cmd_list(struct pki_session *s, const struct args *g)
{
	static const char *const head[] = {
		"ir", "kind", "parent", "priority", "owner", "status",
		"created", "deadline", "review_due", "product",
	};
	bool text = g->format != NULL && strcmp(g->format, "text") == 0;
	struct pki_requirements reqs;
	struct pki_buf line = PKI_BUF_INIT;
	char created[PKI_DATE_LEN], deadline[PKI_DATE_LEN], review[PKI_DATE_LEN], pri[2];
	size_t i;
	int rc;

	if ((rc = pki_ir_load_repo(s->repo, &reqs, NULL)) < 0)
		return rc;
	if (!text)
		rc = put_csv(&line, head, 10);
	for (i = 0; i < reqs.n && rc == 0; i++) {
		const struct pki_requirement *x = &reqs.v[i];
		const char *f[10] = {
			x->ir, pki_ir_kind_name(x->kind), x->parent, pri, x->owner,
			x->open ? "open" : "closed", date_or(x->created, created, ""),
			date_or(x->deadline, deadline, ""), date_or(x->review_due, review, ""),
			x->product,
		};

		if ((g->open && !x->open) || (g->due && !pki_ir_due(x, s->now)))
			continue;
		pri[0] = (char)('0' + x->priority);
		pri[1] = '\0';
		if (!text)
			rc = put_csv(&line, f, 10);
		else if (printf("%-16s %-3s %-16s p%d %-12s %-6s review %s%s%s\n", x->ir, f[1],
				x->parent[0] != '\0' ? x->parent : "-", x->priority, x->owner, f[5],
				review, x->deadline != 0 ? " deadline " : "",
				x->deadline != 0 ? deadline : "") < 0)
			rc = pki_error_errno(PKI_EIO, "cannot write to standard output");
	}
	pki_buf_release(&line);
	pki_requirements_release(&reqs);
	return rc;
}

static int print_cover(const struct pki_ir_cover *c, bool text, struct pki_buf *line)
{
	const struct pki_requirement *x = c->req;
	struct pki_buf ents = PKI_BUF_INIT;
	char counts[2][24], pri[2] = { (char)('0' + x->priority), '\0' };
	char latest[PKI_TIME_LEN] = "";
	size_t i;
	int rc = 0;

	for (i = 0; i < c->nentities && rc == 0; i++)
		rc = pki_buf_printf(&ents, "%s%s", i > 0 ? ";" : "", c->entities[i]);
	if (rc == 0 && c->more)
		rc = pki_buf_printf(&ents, ";...");
	if (rc < 0)
		goto out;
	if (c->latest != 0)
		pki_time_format(c->latest, latest);
	snprintf(counts[0], sizeof(counts[0]), "%zu", c->products);
	snprintf(counts[1], sizeof(counts[1]), "%zu", c->receipts);
	if (!text) {
		const char *f[] = {
			x->ir, pki_ir_kind_name(x->kind), x->parent, pri, x->owner,
			counts[0], counts[1], latest, ents.ptr != NULL ? ents.ptr : "",
		};

		rc = put_csv(line, f, 9);
	} else if (c->products + c->receipts == 0) {
		if (printf("%-16s %-3s p%s %-12s unanswered\n", x->ir, pki_ir_kind_name(x->kind),
			   pri, x->owner) < 0)
			rc = pki_error_errno(PKI_EIO, "cannot write to standard output");
	} else if (printf("%-16s %-3s p%s %-12s %zu products, %zu receipts, latest %.10s, "
			  "from %s\n", x->ir, pki_ir_kind_name(x->kind), pri, x->owner,
			  c->products, c->receipts, latest, ents.ptr) < 0) {
		rc = pki_error_errno(PKI_EIO, "cannot write to standard output");
	}
out:
	pki_buf_release(&ents);
	return rc;
}

static int cmd_coverage(struct pki_session *s, const struct args *g)
{
	static const char *const head[] = {
		"ir", "kind", "parent", "priority", "owner", "products", "receipts", "latest",
		"entities",
	};
	bool text = g->format != NULL && strcmp(g->format, "text") == 0;
	struct pki_requirements reqs = { 0 };
	struct pki_ir_cover *v = NULL;
	struct pki_buf line = PKI_BUF_INIT;
	time_t since = 0, unused;
	size_t n = 0, i;
	int rc;

	if ((g->since && (rc = pki_time_span("--since", g->since, &since, &unused)) < 0) ||
	    (rc = pki_ir_load_repo(s->repo, &reqs, NULL)) < 0 ||
	    (rc = pki_ir_coverage(s->repo, &reqs, since, &v, &n)) < 0)
		goto out;
	if (!text)
		rc = put_csv(&line, head, 9);
	for (i = 0; i < n && rc == 0; i++)
		rc = print_cover(&v[i], text, &line);
out:
	pki_ir_coverage_free(v, n);
	pki_requirements_release(&reqs);
	pki_buf_release(&line);
	return rc;
}

int main(int argc, char **argv)
{
	struct pki_cli cli = { "pki-ir", usage, NULL, NULL, 0, 0, opts, values };
	struct args g = { 0 };
	struct pki_session s;
	const char *cmd, *stray;
	bool reading;
	int rc;


	parse_options(&cli, &g, argc, argv);
	argc -= optind;
	argv += optind;
	if (argc < 1)
		pki_cli_usage_error(&cli, "a subcommand is required (add, review, close, list, "
				    "coverage)");
	cmd = argv[0];
	if ((stray = stray_option(cmd, &g, argc - 1)) != NULL)
		pki_cli_usage_error(&cli, "%s", stray);
	reading = strcmp(cmd, "list") == 0 || strcmp(cmd, "coverage") == 0;
	rc = pki_session_open(&s, cli.prog, NULL, cli.key,
			      reading ? PKI_SESSION_BARE_OK : PKI_SESSION_KEY);
	if (rc == 0) {
		if (strcmp(cmd, "add") == 0)
			rc = cmd_add(&s, &g, argv[1]);
		else if (strcmp(cmd, "review") == 0)
			rc = cmd_review(&s, &g, argv[1]);
		else if (strcmp(cmd, "close") == 0)
			rc = pki_ir_close(&s, argv[1], g.reason);
		else if (strcmp(cmd, "list") == 0)
			rc = cmd_list(&s, &g);
		else
			rc = cmd_coverage(&s, &g);
	}
	rc = pki_report(cli.prog, rc);
	pki_session_close(&s);
	return pki_cli_exit(&cli, rc);
}
