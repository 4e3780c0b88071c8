/* pki-audit: check the whole repository against the rules (pki-audit(1)). */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "cli.h"
#include "error.h"
#include "session.h"

static const char usage[] =
	"pki-audit [-C DIR] [--since REV] [--root REV] [--at DATE] [--format text|csv|xml] [--strict]";

/* --help: every option, and the values they take. */
static const struct pki_cli_opt opts[] = {
	{ "    --since REV", "audit only the commits after REV (a commit, a tag, a ref)" },
	{ "    --root REV", "trust REV as the mission's root for this run, not pki.root" },
	{ "    --at DATE", "judge overdue work as of DATE (default: now)" },
	{ "    --format FORMAT", "text (the default), csv or xml" },
	{ "    --strict", "warnings count as findings for the exit status" },
	{ NULL, NULL },
};

static const struct pki_cli_opt values[] = {
	{ "DATE", "YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ" },
	{ "FORMAT", "text: SEVERITY CODE OBJECT: message; csv; xml (share/pki/audit.xsd)" },
	{ NULL, NULL },
};

enum { OPT_SINCE = PKI_OPT_FIRST_FREE, OPT_AT, OPT_FORMAT, OPT_STRICT, OPT_ROOT };

static int report(const struct pki_audit *a, const char *format)
{
	struct pki_buf out = PKI_BUF_INIT;
	int rc;

	if (strcmp(format, "csv") == 0)
		rc = pki_audit_csv(a, &out);
	else if (strcmp(format, "xml") == 0)
		rc = pki_audit_xml(a, &out);
	else
		rc = pki_audit_text(a, &out);
	if (rc == 0 && out.len > 0 && fwrite(out.ptr, 1, out.len, stdout) != out.len)
		rc = pki_error_errno(PKI_EIO, "cannot write the findings");
	pki_buf_release(&out);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		PKI_CLI_LONG,
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "at", required_argument, NULL, OPT_AT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ NULL, 0, NULL, 0 },
	};
	struct pki_cli cli = { "pki-audit", usage, NULL, NULL, 0, 0, opts, values };
	struct pki_progress progress = pki_cli_progress(&cli);
	struct pki_audit_opts o = { 0 };
	struct pki_audit a = { 0 };
	struct pki_session s;
	const char *format = "text", *at = NULL;
	bool strict = false;
	int opt, rc;


	while ((opt = pki_cli_getopt(&cli, argc, argv, PKI_CLI_SHORT,
				     longopts)) != -1) {
		if (pki_cli_common(&cli, opt, optarg))
			continue;
		switch (opt) {
		case OPT_SINCE: o.since = optarg; break;
		case OPT_AT: at = optarg; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_STRICT: strict = true; break;
		case OPT_ROOT: o.root = optarg; break;
		}
	}
	if (optind != argc)
		pki_cli_usage_error(&cli, "no arguments are taken ('%s')", argv[optind]);
	if (strcmp(format, "text") != 0 && strcmp(format, "csv") != 0 && strcmp(format, "xml") != 0)
		pki_cli_usage_error(&cli, "unknown format '%s' (text, csv, xml)", format);
	if (at != NULL && pki_time_parse("--at", at, &o.at) < 0)
		pki_cli_usage_error(&cli, "%s", pki_error_last());
	/* Reading needs no key. */
	if ((rc = pki_session_open(&s, cli.prog, NULL, NULL, PKI_SESSION_BARE_OK)) == 0) {
		if (at == NULL)
			o.at = s.now;
		o.progress = &progress;
		if ((rc = pki_audit_run(&a, s.repo, s.gpg, &o)) == 0)
			rc = report(&a, format);
	}
	rc = rc < 0 ? pki_report(cli.prog, rc) : pki_audit_status(&a, strict);
	pki_audit_release(&a);
	pki_session_close(&s);
	return pki_cli_exit(&cli, rc);
}
