/* pki-report: the statistics of the mission's records, for the Head of
 * Mission and Headquarters (pki-report(1)). */
#include <stdio.h>
#include <string.h>

#include "archive.h"
#include "cli.h"
#include "error.h"
#include "report.h"
#include "session.h"

static const char usage[] =
	"pki-report [-C DIR] [--period YYYYH1|YYYYH2 | --since D --until D] [--format text|csv|xml|html] [--no-audit]";

/* --help: every option, and the values they take. */
static const struct pki_cli_opt opts[] = {
	{ "    --period YYYYH1|YYYYH2", "the half-year to report on" },
	{ "    --since D", "from the beginning of D" },
	{ "    --until D", "to the end of the day, month or year D" },
	{ "    --format FORMAT", "text (the default), csv, xml or html" },
	{ "    --no-audit", "do not run the audit in-process (its section stays empty)" },
	{ NULL, NULL },
};

static const struct pki_cli_opt values[] = {
	{ "YYYYH1", "January to June of YYYY; YYYYH2: July to December" },
	{ "D", "YYYY-MM-DD, YYYY-MM or YYYY" },
	{ NULL, NULL },
};

enum { OPT_PERIOD = PKI_OPT_FIRST_FREE, OPT_SINCE, OPT_UNTIL, OPT_FORMAT, OPT_NO_AUDIT };

struct args {
	const char *period, *since, *until, *format;
	bool no_audit;
};

static int write_out(const struct pki_report *rep, const char *format)
{
	struct pki_buf out = PKI_BUF_INIT;
	int rc;

	if (strcmp(format, "csv") == 0)
		rc = pki_report_csv(rep, &out);
	else if (strcmp(format, "xml") == 0)
		rc = pki_report_xml(rep, &out);
	else if (strcmp(format, "html") == 0)
		rc = pki_report_html(rep, &out);
	else
		rc = pki_report_text(rep, &out);
	if (rc == 0 && out.len > 0 && fwrite(out.ptr, 1, out.len, stdout) != out.len)
		rc = pki_error_errno(PKI_EIO, "cannot write to standard output");
	pki_buf_release(&out);
	return rc;
}

/* The window: a half-year, or --since and --until (dates, months, years;
 * either may be left open), or everything. */
static int window(const struct args *g, struct pki_report_opts *o)
{
	struct pki_period p;
	time_t unused;
	int rc;

	if (g->period != NULL) {
		if ((rc = pki_period_parse(g->period, &p)) < 0)
			return rc;
		pki_period_bounds(&p, &o->since, &o->until);
		o->period = g->period;
		return 0;
	}
	if ((g->since && (rc = pki_time_span("--since", g->since, &o->since, &unused)) < 0) ||
	    (g->until && (rc = pki_time_span("--until", g->until, &unused, &o->until)) < 0))
		return rc;
	if (o->until != 0 && o->until <= o->since)
		return pki_error(PKI_EUSAGE, "--until %.32s is not after --since %.32s",
				 g->until, g->since);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		PKI_CLI_LONG,
		{ "period", required_argument, NULL, OPT_PERIOD },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "no-audit", no_argument, NULL, OPT_NO_AUDIT },
		{ NULL, 0, NULL, 0 },
	};
	struct pki_cli cli = { "pki-report", usage, NULL, NULL, 0, 0, opts, values };
	struct pki_report_opts o = { 0 };
	struct pki_report rep = { 0 };
	struct pki_session s;
	struct pki_progress progress;
	struct args g = { NULL, NULL, NULL, "text", false };
	int opt, rc;

	while ((opt = pki_cli_getopt(&cli, argc, argv, PKI_CLI_SHORT, longopts)) != -1) {
		if (pki_cli_common(&cli, opt, optarg))
			continue;
		switch (opt) {
		case OPT_PERIOD: g.period = optarg; break;
		case OPT_SINCE: g.since = optarg; break;
		case OPT_UNTIL: g.until = optarg; break;
		case OPT_FORMAT: g.format = optarg; break;
		case OPT_NO_AUDIT: g.no_audit = true; break;
		}
	}
	if (optind != argc)
		pki_cli_usage_error(&cli, "no arguments are taken ('%s')", argv[optind]);
	if (g.period && (g.since || g.until))
		pki_cli_usage_error(&cli, "--period goes without --since and --until");
	if (strcmp(g.format, "text") != 0 && strcmp(g.format, "csv") != 0 &&
	    strcmp(g.format, "xml") != 0 && strcmp(g.format, "html") != 0)
		pki_cli_usage_error(&cli, "unknown format '%.32s' (text, csv, xml, html)", g.format);
	if (window(&g, &o) < 0)
		pki_cli_usage_error(&cli, "%s", pki_error_last());
	o.audit = !g.no_audit;
	progress = pki_cli_progress(&cli);
	o.progress = &progress;
	/* Reading needs no key. */
	if ((rc = pki_session_open(&s, cli.prog, NULL, NULL, PKI_SESSION_BARE_OK)) == 0) {
		o.at = s.now;
		if ((rc = pki_report_run(&rep, s.repo, s.gpg, &o)) == 0)
			rc = write_out(&rep, g.format);
	}
	rc = pki_report(cli.prog, rc);
	pki_report_release(&rep);
	pki_session_close(&s);
	return pki_cli_exit(&cli, rc);
}
