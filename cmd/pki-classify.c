/* pki-classify: label, encrypt and file a product; re- or declassify one;
 * correct its areas, safety flag and IR references; record a review that
 * keeps its level. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "cli.h"
#include "error.h"
#include "product.h"
#include "registry.h"
#include "relabel.h"
#include "requirements.h"
#include "session.h"

static const char usage[] =
	"pki-classify [-C DIR] [-u KEY] [-l LEVEL] [-c CRIT] [-a AREAS] [--ir IR[;IR...]] [--safety] [--review DATE] [--kind KIND] [--retention DURATION] [-e ENTITY] [-s SITE] [FILE|-]\n"
	"pki-classify [-C DIR] [-u KEY] [-e ENTITY] [-s SITE] --batch MANIFEST.csv\n"
	"pki-classify [-C DIR] [-u KEY] --change ID -l LEVEL [-c CRIT] [--review DATE] [--authority DELEGATION]\n"
	"pki-classify [-C DIR] [-u KEY] --change ID [-a AREAS] [--safety] [--ir IR] [--authority DELEGATION]\n"
	"pki-classify [-C DIR] [-u KEY] --reviewed ID [--next DATE] [--authority DELEGATION]\n"
	"pki-classify [-C DIR] [-u KEY] [-e ENTITY] [-s SITE] --batch MANIFEST.csv";

/* --help: every option, and the values they take. */
static const struct pki_cli_opt opts[] = {
	{ "-l, --level LEVEL", "the level of the product, or the new level with --change" },
	{ "-c, --criterion CRIT", "why it is classified (required above unclassified)" },
	{ "-a, --areas AREAS", "its need-to-know areas; with --change, the corrected areas" },
	{ "    --ir IR[;IR...]", "the open intelligence requirements it answers (up to 64)" },
	{ "    --safety", "it may bear on the safety of UN personnel: UNDSS is on its list" },
	{ "    --review DATE", "when its classification is to be reviewed" },
	{ "    --kind KIND", "what is filed (default product)" },
	{ "    --retention DURATION", "with --kind material: how long it is kept, e.g. P5Y" },
	{ "-e, --entity ENTITY", "the registering entity in the ID (else pki.entity, else the actor's)" },
	{ "-s, --site SITE", "the site in the ID (else this clone's pki.site)" },
	{ "    --batch MANIFEST", "file every product a CSV manifest lists, in one commit" },
	{ "    --change ID", "re- or declassify product ID, or correct its areas, safety or IRs" },
	{ "    --reviewed ID", "record a review of product ID that keeps its level" },
	{ "    --next DATE", "with --reviewed: the next review date (default: a year on)" },
	{ "    --authority DELEGATION", "the declassify delegation the actor acts under" },
	{ "FILE|-", "the plaintext (standard input for - or none), never written to disk" },
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
	{ "KIND", "product, plan, material (raw material, disposed of after its retention)" },
	{ "DURATION", "ISO 8601 years, months, days: P5Y, P18M, P2Y6M" },
	{ NULL, NULL },
};

#define IR_MAX PKI_IR_CITED_MAX
#define TEXT_MAX 256

enum {
	OPT_IR = PKI_OPT_FIRST_FREE, OPT_SAFETY, OPT_REVIEW, OPT_CHANGE, OPT_AUTHORITY,
	OPT_REVIEWED, OPT_NEXT, OPT_KIND, OPT_RETENTION, OPT_BATCH,
};

struct args {
	const char *level, *crit, *areas, *review, *entity, *site, *change, *authority;
	const char *reviewed, *next, *kind, *retention, *batch;
	char *ir[IR_MAX];
	size_t nir;
	bool safety;
};

/* What --change and --reviewed do, judged under the lock. */
struct change {
	const char *id, *authority;
	enum pki_level level;
	char criterion;		/* 0: keep the product's (when classified) */
	time_t review;		/* the next review date; 0: --change keeps the label's */
};

/* --- a new product --- */

/* On the tip before the product is encrypted, and again under the lock. */
static int judge_classify(const struct pki_state *st, const struct pki_filing *f,
			  const char *fpr)
{
	int rc;

	if ((rc = pki_state_need_actor(st, fpr)) < 0 ||
	    (rc = pki_policy_may_classify(st->actor, f->label.level)) < 0)
		return rc;
	return pki_policy_criterion(f->label.level, f->label.criterion);
}

static int build_classify(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			  struct pki_buf *msg, void *arg)
{
	struct pki_filing *f = arg;
	int rc;

	if ((rc = judge_classify(st, f, s->key.fpr)) < 0)
		return rc;
	return pki_filing_build(s, t, st, msg, f);
}

static int classify(const struct pki_cli *cli, struct pki_session *s, const struct args *g,
		    struct pki_filing *f, const char *file)
{
	char why[64];
	int rc, rc2;

	f->action = PKI_ACTION_CLASSIFY;
	f->authority = "originator";
	f->judge = judge_classify;
	if (f->label.criterion != 0) {
		/* The registry says why, in the bulletin's terms. */
		snprintf(why, sizeof(why), "ST/SGB/2007/6 1.2(%c) %s", f->label.criterion,
			 pki_criterion_name(f->label.criterion));
		f->justification = why;
	}
	rc = pki_filing_run(s, f, g->entity, g->site, file, build_classify);
	/* A refusal of the acting key comes first, as if it had been checked
	 * before anything else (its listing ran beside the work). */
	if ((rc2 = pki_session_key(s)) < 0)
		rc = rc2;
	if (rc == 0) {
		printf("%s\n", f->id);
		pki_cli_warn_unheld(cli, f->id, f->unheld.ptr);
	}
	pki_buf_release(&f->unheld);
	return rc;
}

/* Many products, one commit (batch.h). */
static int batch(const struct pki_cli *cli, struct pki_session *s, const struct args *g)
{
	struct pki_batch b = { PKI_ACTION_CLASSIFY, g->batch, g->entity, g->site, 0, NULL, NULL };
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

/* --- re- and declassification --- */

/* The reclassify or review row: the whole list, as the label has it. */
static int change_row(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		      enum pki_action action, const struct pki_label *l, const char *granted,
		      const char *why_text)
{
	struct pki_names list = { 0 };
	struct pki_buf all = PKI_BUF_INIT, why = PKI_BUF_INIT;
	struct pki_row row = { 0 };
	size_t i;
	int rc = 0;

	for (i = 0; i < l->nrecipients && rc == 0; i++)
		rc = pki_names_add(&list, l->recipients[i]);
	if (rc == 0 && (rc = pki_names_join(&list, &all)) == 0 &&
	    (rc = pki_buf_printf(&why, "%s", why_text)) == 0) {
		row.f[PKI_COL_ACTION] = pki_action_name(action);
		row.f[PKI_COL_PRODUCT] = l->id;
		row.f[PKI_COL_LEVEL] = pki_level_name(l->level);
		row.f[PKI_COL_ACTOR] = st->actor->name;
		row.f[PKI_COL_RECIPIENT] = all.ptr;
		row.f[PKI_COL_AUTHORITY] = granted;
		row.f[PKI_COL_JUSTIFICATION] = why.ptr;
		rc = pki_registry_append(t, s->now, &row, 1);
	}
	pki_buf_release(&why);
	pki_buf_release(&all);
	pki_names_release(&list);
	return rc;
}

static int change_message(struct pki_session *s, struct pki_state *st, enum pki_action a,
			  const struct pki_label *l, const char *granted, struct pki_buf *msg)
{
	return pki_msg_label_change(msg, s->prog, a, l->id, l->level, granted, st->actor->name);
}

/* A next review date is a day to come (64 otherwise): the label keeps
 * the date only. */
static int next_review(const struct pki_session *s, time_t *review)
{
	char date[PKI_DATE_LEN];

	*review -= *review % 86400;
	if (*review > s->now)
		return 0;
	pki_date_format(*review, date);
	return pki_error(PKI_EUSAGE, "the next review date %s is not in the future", date);
}

/* The level and criterion asked for; nothing to do is a usage error. */
static int new_marking(const struct change *c, struct pki_label *l)
{
	char criterion = c->criterion;

	if (criterion == 0 && c->level != PKI_LEVEL_UNCLASSIFIED)
		criterion = l->criterion;
	if (c->level == l->level && criterion == l->criterion)
		return pki_error(PKI_EUSAGE, "%s is already %s", l->id, pki_level_name(l->level));
	if (pki_policy_criterion(c->level, criterion) < 0)
		return -PKI_EPOLICY;
	l->level = c->level;
	l->criterion = criterion;
	return 0;
}

static int build_change(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			struct pki_buf *msg, void *arg)
{
	const struct change *c = arg;
	struct pki_label l = { 0 };
	struct pki_product p;
	struct pki_names list = { 0 };
	const char *granted;
	char was[64];
	time_t review = c->review;
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (review != 0 && (rc = next_review(s, &review)) < 0) ||
	    (rc = pki_product_label(t, c->id, &l)) < 0)
		goto out;
	pki_product_of_label(&l, &p);
	snprintf(was, sizeof(was), "was %s", pki_level_name(l.level));
	if ((rc = pki_policy_may_reclassify(&st->delegations, &st->matrix, st->actor, &p,
					    c->authority, s->now, &granted)) < 0 ||
	    (rc = new_marking(c, &l)) < 0 ||
	    (rc = pki_policy_reclassified_list(&st->matrix, &p, l.recipients, l.nrecipients,
					       l.level, s->now, &list)) < 0)
		goto out;
	if (review != 0)
		l.review = review;
	if ((rc = pki_product_reencrypt(t, s->gpg, &st->matrix, &l, &list)) < 0 ||
	    (rc = change_row(s, t, st, PKI_ACTION_RECLASSIFY, &l, granted, was)) < 0)
		goto out;
	rc = change_message(s, st, PKI_ACTION_RECLASSIFY, &l, granted, msg);
out:
	pki_names_release(&list);
	pki_label_release(&l);
	return rc;
}

static int change(struct pki_session *s, const struct args *g, const struct pki_filing *f)
{
	struct change c = { g->change, g->authority, f->label.level, f->label.criterion,
			    f->label.review };
	int rc;

	if ((rc = pki_session_change(s, build_change, &c)) == 0)
		printf("%s\n", c.id);
	return rc;
}

/* --- a correction of areas, safety flag and IR references (relabel.h) --- */

static bool relabelling(const struct args *g)
{
	return g->change != NULL && (g->areas != NULL || g->safety || g->nir > 0);
}

static int relabel(const struct pki_cli *cli, struct pki_session *s, const struct args *g)
{
	struct pki_relabel r = { g->change, g->authority, g->areas, g->safety, g->ir, g->nir,
				 PKI_BUF_INIT };
	int rc;

	if ((rc = pki_relabel_run(s, &r)) == 0) {
		printf("%s\n", r.id);
		pki_cli_warn_unheld(cli, r.id, r.unheld.ptr);
	}
	pki_buf_release(&r.unheld);
	return rc;
}

/* --- a review that keeps the level --- */

/*
 * The same actors as a reclassification (policy 9.8, 11.2.1); the label's
 * review date moves, nothing else: the ciphertext and the binding stay as
 * they are.  The row records the level kept and the list unchanged.
 */
static int build_review(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			struct pki_buf *msg, void *arg)
{
	const struct change *c = arg;
	struct pki_label l = { 0 };
	struct pki_product p;
	const char *granted;
	char date[PKI_DATE_LEN], why[64];
	time_t review = c->review;
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = next_review(s, &review)) < 0 ||
	    (rc = pki_product_label(t, c->id, &l)) < 0)
		goto out;
	pki_product_of_label(&l, &p);
	if ((rc = pki_policy_may_reclassify(&st->delegations, &st->matrix, st->actor, &p,
					    c->authority, s->now, &granted)) < 0)
		goto out;
	l.review = review;
	pki_date_format(review, date);
	snprintf(why, sizeof(why), "kept %s; next review %s", pki_level_name(l.level), date);
	if ((rc = pki_product_put_label(t, &l)) < 0 ||
	    (rc = change_row(s, t, st, PKI_ACTION_REVIEW, &l, granted, why)) < 0)
		goto out;
	rc = change_message(s, st, PKI_ACTION_REVIEW, &l, granted, msg);
out:
	pki_label_release(&l);
	return rc;
}

/* One year after now, the same day of the month (29 February: 1 March). */
static time_t a_year_on(time_t now)
{
	struct tm tm;

	gmtime_r(&now, &tm);
	tm.tm_year++;
	return timegm(&tm);
}

static int review(struct pki_session *s, const struct args *g, const struct pki_filing *f)
{
	struct change c = { g->reviewed, g->authority, PKI_LEVEL_UNCLASSIFIED, 0,
			    f->label.review };
	int rc;

	if (c.review == 0)
		c.review = a_year_on(s->now);
	if ((rc = pki_session_change(s, build_review, &c)) == 0)
		printf("%s\n", c.id);
	return rc;
}

/* --- options --- */

static const struct option longopts[] = {
	PKI_CLI_LONG,
	{ "level", required_argument, NULL, 'l' },
	{ "criterion", required_argument, NULL, 'c' },
	{ "areas", required_argument, NULL, 'a' },
	{ "entity", required_argument, NULL, 'e' },
	{ "site", required_argument, NULL, 's' },
	{ "ir", required_argument, NULL, OPT_IR },
	{ "safety", no_argument, NULL, OPT_SAFETY },
	{ "review", required_argument, NULL, OPT_REVIEW },
	{ "change", required_argument, NULL, OPT_CHANGE },
	{ "authority", required_argument, NULL, OPT_AUTHORITY },
	{ "reviewed", required_argument, NULL, OPT_REVIEWED },
	{ "next", required_argument, NULL, OPT_NEXT },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "retention", required_argument, NULL, OPT_RETENTION },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ NULL, 0, NULL, 0 },
};

static void parse_options(struct pki_cli *cli, struct args *g, int argc, char **argv)
{
	int opt;

	while ((opt = pki_cli_getopt(cli, argc, argv, PKI_CLI_SHORT "l:c:a:e:s:",
				     longopts)) != -1) {
		if (pki_cli_common(cli, opt, optarg))
			continue;
		switch (opt) {
		case 'l': g->level = optarg; break;
		case 'c': g->crit = optarg; break;
		case 'a': g->areas = optarg; break;
		case 'e': g->entity = optarg; break;
		case 's': g->site = optarg; break;
		case OPT_SAFETY: g->safety = true; break;
		case OPT_REVIEW: g->review = optarg; break;
		case OPT_CHANGE: g->change = optarg; break;
		case OPT_AUTHORITY: g->authority = optarg; break;
		case OPT_REVIEWED: g->reviewed = optarg; break;
		case OPT_NEXT: g->next = optarg; break;
		case OPT_KIND: g->kind = optarg; break;
		case OPT_RETENTION: g->retention = optarg; break;
		case OPT_BATCH: g->batch = optarg; break;
		case OPT_IR:
			/* IR[;IR...], checked against requirements.csv under the lock */
			if (pki_requirements_split(optarg, g->ir, &g->nir, IR_MAX) < 0)
				pki_cli_usage_error(cli, "%s", pki_error_last());
			break;
		}
	}
}

/* Which options go with which mode; anything else is a usage error. */
static const char *stray_option(const struct args *g, int argc)
{
	if (g->batch != NULL) {
		if (g->change || g->reviewed || g->level || g->crit || g->areas || g->nir ||
		    g->safety || g->review || g->kind || g->retention || g->next || g->authority)
			return "--batch takes only -e and -s: the manifest gives the rest";
		return argc > 0 ? "--batch takes no FILE" : NULL;
	}
	if (g->next != NULL && g->reviewed == NULL)
		return "--next goes with --reviewed";
	if (g->reviewed != NULL) {
		if (g->change || g->level || g->crit || g->areas || g->nir || g->safety ||
		    g->review || g->entity || g->site || g->kind)
			return "--reviewed takes only --next and --authority";
		return argc > 0 ? "--reviewed takes no FILE" : NULL;
	}
	if (g->change == NULL) {
		if (g->authority != NULL)
			return "--authority goes with --change or --reviewed";
		return argc > 1 ? "one FILE at most" : NULL;
	}
	if (g->entity || g->site || g->kind)
		return "--kind, -e and -s go with a new product, not --change";
	if (argc > 0)
		return "--change takes no FILE";
	if (relabelling(g) && (g->level || g->crit || g->review))
		return "-a, --safety and --ir correct a label with --change, without -l, -c "
		       "and --review: a reclassification is a change of its own";
	if (!relabelling(g) && g->level == NULL)
		return "--change needs -l LEVEL, or -a, --safety or --ir";
	return NULL;
}

/* The IR references (--ir), for a new product and a relabel alike: the
 * one place they are judged. */
static int check_ir(char *const *ir, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = pki_check_free_text("--ir", ir[i], TEXT_MAX)) < 0)
			return rc;
		else if (ir[i][0] == '\0')
			return pki_error(PKI_EUSAGE, "--ir is empty");
	return 0;
}

/* The words of the options into the label; usage errors are 64. */
static int check_args(const struct args *g, struct pki_label *l)
{
	int rc;

	if ((g->level && (rc = pki_level_parse(g->level, &l->level)) < 0) ||
	    (g->crit && (rc = pki_criterion_parse(g->crit, &l->criterion)) < 0) ||
	    (g->areas && (rc = pki_check_areas("-a", g->areas)) < 0) ||
	    (g->review && (rc = pki_time_parse("--review", g->review, &l->review)) < 0) ||
	    (g->entity && (rc = pki_check_code("entity", g->entity)) < 0) ||
	    (g->site && (rc = pki_check_code("site", g->site)) < 0) ||
	    (g->next && (rc = pki_time_parse("--next", g->next, &l->review)) < 0) ||
	    (g->kind && (rc = pki_kind_parse(g->kind, &l->kind)) < 0) ||
	    (g->change && (rc = pki_check_product_id(g->change)) < 0) ||
	    (g->reviewed && (rc = pki_check_product_id(g->reviewed)) < 0) ||
	    (g->authority && (rc = pki_check_free_text("--authority", g->authority, TEXT_MAX)) < 0) ||
	    (rc = check_ir(g->ir, g->nir)) < 0)
		return rc;
	if (l->kind == PKI_KIND_IR)
		return pki_error(PKI_EUSAGE, "requirement wordings are filed by pki-ir add");
	if ((rc = pki_filing_retention(l, g->retention)) < 0)
		return rc;
	if (l->criterion != 0 && l->level == PKI_LEVEL_UNCLASSIFIED)
		return pki_error(PKI_EUSAGE, "-c goes with confidential and strictly-confidential");
	l->areas = (char *)(g->areas != NULL ? g->areas : "");
	l->safety = g->safety;
	l->ir = (char **)g->ir;
	l->nir = g->nir;
	return 0;
}

int main(int argc, char **argv)
{
	struct pki_cli cli = { "pki-classify", usage, NULL, NULL, 0, 0, opts, values };
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
	if ((rc = check_args(&g, &f.label)) == -PKI_EDATA)
		return pki_cli_exit(&cli, pki_report(cli.prog, rc));
	if (rc < 0)
		pki_cli_usage_error(&cli, "%s", pki_error_last());
	/* A new product: the acting key is listed while the product is
	 * encrypted (pki_session_key). */
	rc = pki_session_open(&s, cli.prog, NULL, cli.key, PKI_SESSION_KEY |
			      (g.batch == NULL && g.reviewed == NULL && g.change == NULL &&
			       !relabelling(&g) ? PKI_SESSION_KEY_LATE : 0));
	s.progress = &progress;
	if (rc == 0)
		rc = g.batch != NULL ? batch(&cli, &s, &g) :
		     g.reviewed != NULL ? review(&s, &g, &f) :
		     relabelling(&g) ? relabel(&cli, &s, &g) :
		     g.change != NULL ? change(&s, &g, &f) : classify(&cli, &s, &g, &f, argv[0]);
	rc = pki_report(cli.prog, rc);
	pki_session_close(&s);
	return pki_cli_exit(&cli, rc);
}
