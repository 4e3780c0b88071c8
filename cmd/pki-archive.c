/* pki-archive: transfer a half-year, or everything at closure, to the UN
 * Archives as a BagIt bag, and record the transfer; record the Archives'
 * receipt of one; dispose of a material after its retention. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "cli.h"
#include "error.h"
#include "session.h"

static const char usage[] =
	"pki-archive [-C DIR] [-u KEY] --period YYYYH1|YYYYH2 -o DIR [--force]\n"
	"pki-archive [-C DIR] [-u KEY] --due -o DIR\n"
	"pki-archive [-C DIR] [-u KEY] --final -o DIR [--force]\n"
	"pki-archive [-C DIR] [-u KEY] --ack YYYYH1|YYYYH2 --accession REF\n"
	"pki-archive [-C DIR] [-u KEY] --dispose ID --certificate REF";

/* --help: every option, and the values they take. */
static const struct pki_cli_opt opts[] = {
	{ "    --period YYYYH1|YYYYH2", "transfer that half-year, which must be over" },
	{ "    --due", "transfer the latest complete half-year not yet transferred, or nothing" },
	{ "    --final", "transfer everything, at the closure of the mission" },
	{ "-o, --output DIR", "the existing directory to write the bag in" },
	{ "    --force", "transfer a period (or a final transfer on a day) again" },
	{ "    --ack YYYYH1|YYYYH2", "record the UN Archives' receipt of that half-year's transfer" },
	{ "    --accession REF", "with --ack: the Archives' accession reference" },
	{ "    --dispose ID", "dispose of the material ID, its retention over (the Chair)" },
	{ "    --certificate REF", "with --dispose: the certificate of destruction" },
	{ NULL, NULL },
};

static const struct pki_cli_opt values[] = {
	{ "YYYYH1", "January to June of YYYY; YYYYH2: July to December" },
	{ NULL, NULL },
};

enum {
	OPT_PERIOD = PKI_OPT_FIRST_FREE, OPT_DUE, OPT_FINAL, OPT_FORCE, OPT_ACK, OPT_ACCESSION,
	OPT_DISPOSE, OPT_CERTIFICATE,
};

static const struct option longopts[] = {
	PKI_CLI_LONG,
	{ "period", required_argument, NULL, OPT_PERIOD },
	{ "due", no_argument, NULL, OPT_DUE },
	{ "final", no_argument, NULL, OPT_FINAL },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "ack", required_argument, NULL, OPT_ACK },
	{ "accession", required_argument, NULL, OPT_ACCESSION },
	{ "dispose", required_argument, NULL, OPT_DISPOSE },
	{ "certificate", required_argument, NULL, OPT_CERTIFICATE },
	{ "output", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

/* --ack PERIOD --accession REF: the Archives' receipt of a transfer;
 * --dispose ID --certificate REF: a material disposed of. */
struct ack_opts {
	bool on;
	struct pki_period period;
	const char *accession;
	const char *dispose, *certificate;
};

static void parse_options(struct pki_cli *cli, struct pki_archive_opts *o,
			  struct ack_opts *a, int argc, char **argv)
{
	const char *period = NULL;
	int opt, modes = 0;

	while ((opt = pki_cli_getopt(cli, argc, argv, PKI_CLI_SHORT "o:",
				     longopts)) != -1) {
		if (pki_cli_common(cli, opt, optarg))
			continue;
		switch (opt) {
		case OPT_PERIOD:
		case OPT_ACK:
			period = optarg;
			o->mode = PKI_ARCHIVE_PERIOD;
			a->on = opt == OPT_ACK;
			modes++;
			break;
		case OPT_DUE:
			o->mode = PKI_ARCHIVE_DUE;
			modes++;
			break;
		case OPT_FINAL:
			o->mode = PKI_ARCHIVE_FINAL;
			modes++;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_ACCESSION:
			a->accession = optarg;
			break;
		case OPT_DISPOSE:
			a->dispose = optarg;
			modes++;
			break;
		case OPT_CERTIFICATE:
			a->certificate = optarg;
			break;
		case 'o':
			o->outdir = optarg;
			break;
		}
	}
	if (optind < argc)
		pki_cli_usage_error(cli, "unexpected argument '%s'", argv[optind]);
	if (modes != 1)
		pki_cli_usage_error(cli, "give one of --period, --due, --final, --ack and --dispose");
	if (a->dispose == NULL && a->certificate != NULL)
		pki_cli_usage_error(cli, "--certificate goes with --dispose");
	if (a->dispose != NULL) {
		if (o->outdir != NULL || o->force || a->accession != NULL)
			pki_cli_usage_error(cli, "--dispose takes only --certificate");
		if (a->certificate == NULL || *a->certificate == '\0')
			pki_cli_usage_error(cli, "--certificate REF is required with --dispose: the "
					    "certificate of destruction");
		if (pki_check_product_id(a->dispose) < 0 ||
		    pki_check_text("--certificate", a->certificate, 256) < 0)
			pki_cli_usage_error(cli, "%s", pki_error_last());
		return;
	}
	if (a->on && (o->outdir != NULL || o->force))
		pki_cli_usage_error(cli, "--ack takes no -o and no --force");
	if (a->on && (a->accession == NULL || *a->accession == '\0'))
		pki_cli_usage_error(cli, "--accession REF is required with --ack: the "
				    "Archives' accession number");
	if (!a->on && a->accession != NULL)
		pki_cli_usage_error(cli, "--accession goes with --ack");
	if (!a->on && (o->outdir == NULL || *o->outdir == '\0'))
		pki_cli_usage_error(cli, "-o DIR is required: the directory to write the transfer in");
	if (o->force && o->mode == PKI_ARCHIVE_DUE)
		pki_cli_usage_error(cli, "--force goes with --period and --final");
	if (period != NULL && pki_period_parse(period, a->on ? &a->period : &o->period) < 0)
		pki_cli_usage_error(cli, "%s", pki_error_last());
}

int main(int argc, char **argv)
{
	struct pki_cli cli = { "pki-archive", usage, NULL, NULL, 0, 0, opts, values };
	struct pki_progress progress = pki_cli_progress(&cli);
	struct pki_archive_opts o = { 0 };
	struct ack_opts a = { 0 };
	struct pki_session s;
	char *path = NULL;
	int rc;


	parse_options(&cli, &o, &a, argc, argv);
	rc = pki_session_open(&s, cli.prog, NULL, cli.key, PKI_SESSION_KEY);
	s.progress = &progress;
	if (rc == 0 && a.dispose != NULL)
		rc = pki_archive_dispose(&s, a.dispose, a.certificate);
	else if (rc == 0 && a.on)
		rc = pki_archive_ack(&s, &a.period, a.accession);
	else if (rc == 0 && (rc = pki_archive_run(&s, &o, &path)) == 0 && path != NULL)
		printf("%s\n", path);
	rc = pki_report(cli.prog, rc);
	pki_session_close(&s);
	free(path);
	return pki_cli_exit(&cli, rc);
}
