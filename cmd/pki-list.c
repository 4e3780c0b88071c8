/* pki-list: the products at the tip, from their labels, one a line. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "error.h"
#include "product-list.h"
#include "session.h"

static const char usage[] =
	"pki-list [-C DIR] [--kind KIND] [--level LEVEL] [--format csv|tsv|text] [--no-header]";

/* --help: every option, and the values they take. */
static const struct pki_cli_opt opts[] = {
	{ "    --kind KIND", "only the labels of that kind" },
	{ "    --level LEVEL", "only the products at that level" },
	{ "    --format FORMAT", "csv (the default), tsv or text" },
	{ "    --no-header", "no header line" },
	{ NULL, NULL },
};

static const struct pki_cli_opt values[] = {
	{ "KIND", "product, plan, ir, material" },
	{ "LEVEL", "unclassified, confidential, strictly-confidential" },
	{ NULL, NULL },
};

enum { OPT_KIND = PKI_OPT_FIRST_FREE, OPT_LEVEL, OPT_FORMAT, OPT_NO_HEADER };

enum format { FORMAT_CSV, FORMAT_TSV, FORMAT_TEXT };

/* The text table: fixed columns for the short fields, the rest after. */
#define TEXT_ROW "%-28s %-21s %-9s %-8s %-20s %-10s %-10s %-6s %-20s %s\n"

struct listing {
	enum format format;
	struct pki_buf line;
};

static int print_row(void *arg, const char *const *f)
{
	struct listing *l = arg;
	int rc = 0;

	pki_buf_reset(&l->line);
	if (l->format == FORMAT_TEXT)
		rc = pki_buf_printf(&l->line, TEXT_ROW, f[0], f[1], *f[2] ? f[2] : "-", f[3],
				    f[6], *f[7] ? f[7] : "-", f[8], *f[5] ? f[5] : "-",
				    *f[4] ? f[4] : "-", *f[9] ? f[9] : "-");
	else
		rc = (l->format == FORMAT_TSV ? pki_tsv_row : pki_csv_row)(&l->line, f,
									     PKI_PRODUCT_LIST_NCOLS);
	if (rc < 0)
		return rc;
	if (fwrite(l->line.ptr, 1, l->line.len, stdout) != l->line.len)
		return pki_error_errno(PKI_EIO, "cannot write to standard output");
	return 0;
}

static int list(struct pki_session *s, const struct pki_product_filter *f, enum format format,
		bool header)
{
	static const char *const text_header[PKI_PRODUCT_LIST_NCOLS] = {
		"ID", "LEVEL", "CRITERION", "KIND", "AREAS", "ORIGINATOR", "CREATED", "REVIEW",
		"SAFETY", "RECIPIENTS",
	};
	struct listing l = { format, PKI_BUF_INIT };
	int rc = 0;

	if (header)
		rc = print_row(&l, format == FORMAT_TEXT ? text_header : pki_product_list_header);
	if (rc == 0)
		rc = pki_product_list(s->repo, f, print_row, &l);
	pki_buf_release(&l.line);
	return rc;
}

static const struct option longopts[] = {
	PKI_CLI_LONG,
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "level", required_argument, NULL, OPT_LEVEL },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "no-header", no_argument, NULL, OPT_NO_HEADER },
	{ NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	struct pki_cli cli = { "pki-list", usage, NULL, NULL, 0, 0, opts, values };
	struct pki_product_filter f = { 0 };
	enum format format = FORMAT_CSV;
	struct pki_session s;
	bool header = true;
	int opt, rc;

	while ((opt = pki_cli_getopt(&cli, argc, argv, PKI_CLI_SHORT, longopts)) != -1) {
		if (pki_cli_common(&cli, opt, optarg))
			continue;
		switch (opt) {
		case OPT_KIND:
			if (pki_kind_parse(optarg, &f.kind) < 0)
				pki_cli_usage_error(&cli, "%s", pki_error_last());
			f.by_kind = true;
			break;
		case OPT_LEVEL:
			if (pki_level_parse(optarg, &f.level) < 0)
				pki_cli_usage_error(&cli, "%s", pki_error_last());
			f.by_level = true;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") == 0)
				format = FORMAT_CSV;
			else if (strcmp(optarg, "tsv") == 0)
				format = FORMAT_TSV;
			else if (strcmp(optarg, "text") == 0)
				format = FORMAT_TEXT;
			else
				pki_cli_usage_error(&cli, "unknown format '%.32s' (csv, tsv, text)",
						    optarg);
			break;
		case OPT_NO_HEADER: header = false; break;
		}
	}
	argc -= optind;
	if (argc > 0)
		pki_cli_usage_error(&cli, "pki-list takes no arguments");
	/* Labels are plaintext: no key, and a bare repository will do. */
	rc = pki_session_open(&s, cli.prog, NULL, cli.key, PKI_SESSION_BARE_OK);
	if (rc == 0)
		rc = list(&s, &f, format, header);
	rc = pki_report(cli.prog, rc);
	pki_session_close(&s);
	return pki_cli_exit(&cli, rc);
}
