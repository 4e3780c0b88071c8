/* pki-register: record the receipt of a product from outside the mission;
 * read the registry. */
#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "cli.h"
#include "csv.h"
#include "error.h"
#include "import.h"
#include "product.h"
#include "registry.h"
#include "requirements.h"
#include "session.h"

static const char usage[] =
	"pki-register [-C DIR] [-u KEY] --receive --from ORIGIN [--via CHANNEL] [--ref REF] -l LEVEL [-c CRIT] [-a AREAS] [--originator-control|--no-originator-control] [--safety] [--ir IR[;IR...]] [--review DATE] [--kind KIND] [--retention DURATION] [-e ENTITY] [-s SITE] [FILE|-]\n"
	"pki-register [-C DIR] [-u KEY] --receive [-e ENTITY] [-s SITE] --batch MANIFEST.csv\n"
	"pki-register [-C DIR] [-u KEY] --import COPY [--label LABEL] [-e ENTITY] [-s SITE]\n"
	"pki-register [-C DIR] [--product ID] [--action A] [--since D] [--until D] [--format csv|tsv|xml] [--no-header]";

/* --help: every option, and the values they take. */
static const struct pki_cli_opt opts[] = {
	{ "    --receive", "record receipt of a product from outside the mission" },
	{ "    --from ORIGIN", "where it came from, e.g. 'Member State A' (required)" },
	{ "    --via CHANNEL", "how it came, e.g. PICT" },
	{ "    --ref REF", "the sender's reference" },
	{ "-l, --level LEVEL", "the level it was received at (required)" },
	{ "-c, --criterion CRIT", "the criterion (required above unclassified)" },
	{ "-a, --areas AREAS", "its need-to-know areas" },
	{ "    --originator-control", "the originator-control caveat applies (the default)" },
	{ "    --no-originator-control", "it does not" },
	{ "    --safety", "it may bear on the safety of UN personnel" },
	{ "    --ir IR[;IR...]", "the open intelligence requirements it answers" },
	{ "    --review DATE", "when its classification is to be reviewed" },
	{ "    --kind KIND", "what is received: product (the default), plan or material" },
	{ "    --retention DURATION", "with --kind material: how long it is kept, e.g. P5Y" },
	{ "-e, --entity ENTITY", "the registering entity in the ID" },
	{ "-s, --site SITE", "the site in the ID (else this clone's pki.site)" },
	{ "    --batch MANIFEST", "with --receive: every product a CSV manifest lists, in one commit" },
	{ "FILE|-", "the product received (standard input for - or none)" },
	{ "    --import COPY", "file a copy another pki repository exported to you" },
	{ "    --label LABEL", "with --import: the copy's label (default COPY.xml)" },
	{ "    --product ID", "list only the rows of product ID" },
	{ "    --action A", "list only the rows of action A" },
	{ "    --since D", "list only rows at or after D (a date, YYYY-MM or YYYY)" },
	{ "    --until D", "list only rows before the end of D" },
	{ "    --format FORMAT", "csv (the default), tsv or xml" },
	{ "    --no-header", "no header line in csv or tsv" },
	{ NULL, NULL },
};

static const struct pki_cli_opt values[] = {
	{ "LEVEL", "unclassified (the default for a new product), confidential, strictly-confidential" },
	{ "CRIT", "an ST/SGB/2007/6 1.2 criterion, needed above unclassified:" },
	{ "  a", "third-party-confidence: received from or sent to third parties in confidence" },
	{ "  b", "personal-safety: may endanger an individual, violate rights or privacy" },
	{ "  c", "operations-security: may endanger Member States or a UN operation" },
	{ "  d", "legal-privilege: covered by legal privilege, or internal investigations" },
	{ "  e", "deliberative: internal documents and drafts, free decision-making" },
	{ "  f", "commercial: may harm financial interests" },
	{ "  g", "other: confidential by content or circumstances" },
	{ "AREAS", "need-to-know areas separated by ';', e.g. 'poc;force-protection'" },
	{ "DATE", "YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ" },
	{ "DURATION", "ISO 8601 years, months, days: P5Y, P18M, P2Y6M" },
	{ "A", "receive, classify, reclassify, review, share, export, revoke, archive, archive-ack, dispose, relabel" },
	{ NULL, NULL },
};

#define TEXT_MAX 256

enum {
	OPT_RECEIVE = PKI_OPT_FIRST_FREE, OPT_FROM, OPT_VIA, OPT_REF, OPT_ORCON, OPT_NO_ORCON,
	OPT_SAFETY, OPT_PRODUCT, OPT_ACTION, OPT_SINCE, OPT_UNTIL, OPT_FORMAT, OPT_REVIEW, OPT_NO_HEADER,
	OPT_IR, OPT_KIND, OPT_RETENTION, OPT_BATCH, OPT_IMPORT, OPT_LABEL,
};

struct args {
	bool receive, safety, no_header;
	int orcon;		/* -1: the default (on), 0 off, 1 on */
	const char *from, *via, *ref, *level, *crit, *areas, *entity, *site, *review;
	const char *product, *action, *since, *until, *format, *kind, *retention, *batch;
	const char *import, *label;
	char *ir[PKI_IR_CITED_MAX];
	size_t nir;
};

/* --- receiving --- */

/* On the tip before the product is encrypted, and again under the lock. */
static int judge_receive(const struct pki_state *st, const struct pki_filing *f,
			 const char *fpr)
{
	int rc;

	if ((rc = pki_state_need_actor(st, fpr)) < 0 ||
	    (rc = pki_policy_may_receive(st->actor)) < 0)
		return rc;
	return pki_policy_criterion(f->label.level, f->label.criterion);
}

static int build_receive(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			 struct pki_buf *msg, void *arg)
{
	struct pki_filing *f = arg;
	int rc;

	if ((rc = judge_receive(st, f, s->key.fpr)) < 0)
		return rc;
	/* The Chair keeps the registry; a member stands for the originator. */
	f->authority = st->actor->role == PKI_ROLE_CHAIR ? "custodian" : "originator";
	return pki_filing_build(s, t, st, msg, f);
}

static int receive(const struct pki_cli *cli, struct pki_session *s, const struct args *g,
		   struct pki_filing *f, const char *file)
{
	struct pki_buf why = PKI_BUF_INIT;
	int rc;

	/* Origin and channel in the justification, the sender's reference in
	 * the reference column (pki-files(5)). */
	if ((rc = pki_buf_printf(&why, "received from %s%s%s", g->from,
				 g->via != NULL ? " via " : "", g->via != NULL ? g->via : "")) < 0)
		return rc;
	f->action = PKI_ACTION_RECEIVE;
	f->judge = judge_receive;
	f->justification = why.ptr;
	f->reference = g->ref;
	if ((rc = pki_filing_run(s, f, g->entity, g->site, file, build_receive)) == 0) {
		printf("%s\n", f->id);
		pki_cli_warn_unheld(cli, f->id, f->unheld.ptr);
	}
	pki_buf_release(&f->unheld);
	pki_buf_release(&why);
	return rc;
}

/* Many products, one commit (batch.h). */
static int receive_batch(const struct pki_cli *cli, struct pki_session *s, const struct args *g)
{
	struct pki_batch b = { PKI_ACTION_RECEIVE, g->batch, g->entity, g->site, 0, NULL, NULL };
	size_t i;
	int rc;

	if ((rc = pki_batch_run(s, &b)) == 0)
		for (i = 0; i < b.n; i++) {
			printf("%s\n", b.ids[i]);
			pki_cli_warn_unheld(cli, b.ids[i], b.unheld[i]);
		}
	pki_batch_release(&b);
	return rc;
}

/* A copy from another pki repository (import.h). */
static int import(const struct pki_cli *cli, struct pki_session *s, const struct args *g)
{
	struct pki_import im = { g->import, g->label, g->entity, g->site, "", PKI_BUF_INIT };
	int rc;

	if ((rc = pki_import_run(s, &im)) == 0) {
		printf("%s\n", im.id);
		pki_cli_warn_unheld(cli, im.id, im.unheld.ptr);
	}
	pki_import_release(&im);
	return rc;
}

/* --- listing --- */

struct listing {
	struct pki_regxml *xml;	/* NULL: CSV or TSV */
	bool tsv;
	struct pki_buf line;
};

static int stdout_write(void *ctx, const void *data, size_t len)
{
	if (fwrite(data, 1, len, stdout) != len)
		return pki_error_errno(PKI_EIO, "cannot write to standard output");
	return 0;
}

static int print_row(void *arg, const char *const *fields)
{
	struct listing *l = arg;
	int rc;

	if (l->xml != NULL)
		return pki_regxml_row(l->xml, fields);
	pki_buf_reset(&l->line);
	if ((rc = (l->tsv ? pki_tsv_row : pki_csv_row)(&l->line, fields,
						       PKI_REGISTRY_NCOLS)) < 0)
		return rc;
	return stdout_write(NULL, l->line.ptr, l->line.len);
}

static int list(struct pki_session *s, const struct args *g)
{
	struct pki_registry_filter f = { g->product, g->action, 0, 0 };
	struct pki_sink out = { stdout_write, NULL };
	struct listing l = { NULL, false, PKI_BUF_INIT };
	bool xml = g->format != NULL && strcmp(g->format, "xml") == 0;
	time_t unused;
	int rc = 0;

	if ((g->since && (rc = pki_time_span("--since", g->since, &f.since, &unused)) < 0) ||
	    (g->until && (rc = pki_time_span("--until", g->until, &unused, &f.until)) < 0))
		return rc;
	/* An ID nothing knows is a mistake, not an empty listing. */
	if (g->product && (rc = pki_registry_known(s->repo, g->product)) < 0)
		return rc;
	l.tsv = g->format != NULL && strcmp(g->format, "tsv") == 0;
	if (xml)
		rc = pki_regxml_begin(&l.xml, &out);
	else if (!g->no_header)
		rc = print_row(&l, pki_registry_header);
	if (rc == 0)
		rc = pki_registry_scan(s->repo, &f, print_row, &l);
	if (rc == 0 && xml)
		rc = pki_regxml_end(l.xml);
	pki_regxml_free(l.xml);
	pki_buf_release(&l.line);
	return rc;
}

/* --- options --- */

static const struct option longopts[] = {
	PKI_CLI_LONG,
	{ "receive", no_argument, NULL, OPT_RECEIVE },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "via", required_argument, NULL, OPT_VIA },
	{ "ref", required_argument, NULL, OPT_REF },
	{ "level", required_argument, NULL, 'l' },
	{ "criterion", required_argument, NULL, 'c' },
	{ "areas", required_argument, NULL, 'a' },
	{ "entity", required_argument, NULL, 'e' },
	{ "site", required_argument, NULL, 's' },
	{ "originator-control", no_argument, NULL, OPT_ORCON },
	{ "no-originator-control", no_argument, NULL, OPT_NO_ORCON },
	{ "safety", no_argument, NULL, OPT_SAFETY },
	{ "review", required_argument, NULL, OPT_REVIEW },
	{ "ir", required_argument, NULL, OPT_IR },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "import", required_argument, NULL, OPT_IMPORT },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "product", required_argument, NULL, OPT_PRODUCT },
	{ "action", required_argument, NULL, OPT_ACTION },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "no-header", no_argument, NULL, OPT_NO_HEADER },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "retention", required_argument, NULL, OPT_RETENTION },
	{ NULL, 0, NULL, 0 },
};

static void parse_options(struct pki_cli *cli, struct args *g, int argc, char **argv)
{
	int opt;

	g->orcon = -1;
	while ((opt = pki_cli_getopt(cli, argc, argv, PKI_CLI_SHORT "l:c:a:e:s:",
				     longopts)) != -1) {
		if (pki_cli_common(cli, opt, optarg))
			continue;
		switch (opt) {
		case OPT_RECEIVE: g->receive = true; break;
		case OPT_FROM: g->from = optarg; break;
		case OPT_VIA: g->via = optarg; break;
		case OPT_REF: g->ref = optarg; break;
		case 'l': g->level = optarg; break;
		case 'c': g->crit = optarg; break;
		case 'a': g->areas = optarg; break;
		case 'e': g->entity = optarg; break;
		case 's': g->site = optarg; break;
		case OPT_ORCON: g->orcon = 1; break;
		case OPT_NO_ORCON: g->orcon = 0; break;
		case OPT_SAFETY: g->safety = true; break;
		case OPT_REVIEW: g->review = optarg; break;
		case OPT_PRODUCT: g->product = optarg; break;
		case OPT_ACTION: g->action = optarg; break;
		case OPT_SINCE: g->since = optarg; break;
		case OPT_UNTIL: g->until = optarg; break;
		case OPT_FORMAT: g->format = optarg; break;
		case OPT_NO_HEADER: g->no_header = true; break;
		case OPT_KIND: g->kind = optarg; break;
		case OPT_RETENTION: g->retention = optarg; break;
		case OPT_BATCH: g->batch = optarg; break;
		case OPT_IMPORT: g->import = optarg; break;
		case OPT_LABEL: g->label = optarg; break;
		case OPT_IR:
			/* IR[;IR...], checked against requirements.csv under the lock */
			if (pki_requirements_split(optarg, g->ir, &g->nir, PKI_IR_CITED_MAX) < 0)
				pki_cli_usage_error(cli, "%s", pki_error_last());
			break;
		}
	}
}

static const char *stray_option(const struct args *g, int argc)
{
	if (g->import != NULL) {
		if (g->receive || g->batch || g->from || g->via || g->ref || g->level || g->crit ||
		    g->areas || g->orcon >= 0 || g->safety || g->review || g->nir || g->kind ||
		    g->retention || g->product || g->action || g->since || g->until ||
		    g->format || g->no_header)
			return "--import takes only --label, -e and -s: the copy's label gives the rest";
		if (g->import[0] == '\0' || (g->label != NULL && g->label[0] == '\0'))
			return "--import and --label need a file";
		return argc > 0 ? "--import takes no FILE" : NULL;
	}
	if (g->label != NULL)
		return "--label goes with --import";
	if (!g->receive) {
		if (g->batch)
			return "--batch goes with --receive";
		if (g->from || g->via || g->ref || g->level || g->crit || g->areas ||
		    g->entity || g->site || g->orcon >= 0 || g->safety || g->review || g->nir ||
		    g->kind || g->retention)
			return "--from, --via, --ref, -l, -c, -a, -e, -s, --safety, --ir, --review, "
			       "--kind, --retention and --[no-]originator-control go with --receive";
		return argc > 0 ? "listing takes no arguments" : NULL;
	}
	if (g->product || g->action || g->since || g->until || g->format || g->no_header)
		return "--product, --action, --since, --until, --format and --no-header "
		       "are for listing";
	if (g->batch != NULL) {
		if (g->from || g->via || g->ref || g->level || g->crit || g->areas ||
		    g->orcon >= 0 || g->safety || g->review || g->nir)
			return "--batch takes only -e and -s: the manifest gives the rest";
		return argc > 0 ? "--batch takes no FILE" : NULL;
	}
	if (g->from == NULL)
		return "--receive needs --from ORIGIN";
	if (g->level == NULL)
		return "--receive needs -l LEVEL";
	return argc > 1 ? "one FILE at most" : NULL;
}

static int check_receive(const struct args *g, struct pki_label *l)
{
	size_t i;
	int rc;

	if ((rc = pki_check_free_text("--from", g->from, TEXT_MAX)) < 0 ||
	    (g->via && (rc = pki_check_free_text("--via", g->via, TEXT_MAX)) < 0) ||
	    (g->ref && (rc = pki_check_free_text("--ref", g->ref, TEXT_MAX)) < 0) ||
	    (rc = pki_level_parse(g->level, &l->level)) < 0 ||
	    (g->crit && (rc = pki_criterion_parse(g->crit, &l->criterion)) < 0) ||
	    (g->areas && (rc = pki_check_areas("-a", g->areas)) < 0) ||
	    (g->review && (rc = pki_time_parse("--review", g->review, &l->review)) < 0) ||
	    (g->entity && (rc = pki_check_code("entity", g->entity)) < 0) ||
	    (g->site && (rc = pki_check_code("site", g->site)) < 0) ||
	    (g->kind && (rc = pki_kind_parse(g->kind, &l->kind)) < 0))
		return rc;
	if (l->kind == PKI_KIND_IR)
		return pki_error(PKI_EUSAGE, "requirement wordings are filed by pki-ir add");
	if ((rc = pki_filing_retention(l, g->retention)) < 0)
		return rc;
	for (i = 0; i < g->nir; i++)
		if ((rc = pki_check_free_text("--ir", g->ir[i], TEXT_MAX)) < 0)
			return rc;
	if (g->from[0] == '\0' || (g->via && g->via[0] == '\0') || (g->ref && g->ref[0] == '\0'))
		return pki_error(PKI_EUSAGE, "--from, --via and --ref may not be empty");
	if (l->criterion != 0 && l->level == PKI_LEVEL_UNCLASSIFIED)
		return pki_error(PKI_EUSAGE, "-c goes with confidential and strictly-confidential");
	l->originator = (char *)g->from;
	l->received = true;
	l->areas = (char *)(g->areas != NULL ? g->areas : "");
	/* From Member States and other entities outside: ORCON unless told
	 * otherwise (pki-register(1), policy 11.4.3). */
	l->originator_control = g->orcon != 0;
	l->safety = g->safety;
	l->ir = (char **)g->ir;
	l->nir = g->nir;
	return 0;
}

static int check_list(const struct args *g)
{
	enum pki_action a;
	time_t t;
	int rc;

	if ((g->product && (rc = pki_check_product_id(g->product)) < 0) ||
	    (g->action && (rc = pki_action_parse(g->action, &a)) < 0) ||
	    (g->since && (rc = pki_time_span("--since", g->since, &t, &t)) < 0) ||
	    (g->until && (rc = pki_time_span("--until", g->until, &t, &t)) < 0))
		return rc;
	if (g->format && strcmp(g->format, "csv") != 0 && strcmp(g->format, "tsv") != 0 &&
	    strcmp(g->format, "xml") != 0)
		return pki_error(PKI_EUSAGE, "unknown format '%.32s' (csv, tsv, xml)", g->format);
	if (g->no_header && g->format && strcmp(g->format, "xml") == 0)
		return pki_error(PKI_EUSAGE, "--no-header goes with csv and tsv");
	return 0;
}

int main(int argc, char **argv)
{
	struct pki_cli cli = { "pki-register", usage, NULL, NULL, 0, 0, opts, values };
	struct pki_progress progress = pki_cli_progress(&cli);
	struct args g = { 0 };
	struct pki_filing f = { 0 };
	struct pki_session s;
	const char *stray;
	int rc;


	parse_options(&cli, &g, argc, argv);
	argc -= optind;
	argv += optind;
	if ((stray = stray_option(&g, argc)) != NULL)
		pki_cli_usage_error(&cli, "%s", stray);
	/* Free text a spreadsheet would run is bad data (65), not a bad
	 * command line (64). */
	if (g.batch != NULL || g.import != NULL)
		rc = g.entity != NULL && pki_check_code("entity", g.entity) < 0 ? -PKI_EUSAGE :
		     g.site != NULL && pki_check_code("site", g.site) < 0 ? -PKI_EUSAGE : 0;
	else if ((rc = (g.receive ? check_receive(&g, &f.label) : check_list(&g))) == -PKI_EDATA)
		return pki_cli_exit(&cli, pki_report(cli.prog, rc));
	if (rc < 0)
		pki_cli_usage_error(&cli, "%s", pki_error_last());
	/* Reading the registry needs no key. */
	rc = pki_session_open(&s, cli.prog, NULL, cli.key,
			      g.receive || g.import ? PKI_SESSION_KEY : 0);
	s.progress = &progress;
	if (rc == 0)
		rc = g.import != NULL ? import(&cli, &s, &g) :
		     g.batch != NULL ? receive_batch(&cli, &s, &g) :
		     g.receive ? receive(&cli, &s, &g, &f, argv[0]) : list(&s, &g);
	rc = pki_report(cli.prog, rc);
	pki_session_close(&s);
	return pki_cli_exit(&cli, rc);
}
