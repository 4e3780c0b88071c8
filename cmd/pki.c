/* pki: run a pki tool, as git runs its commands ("pki share ..." runs pki-share);
 * pki cat and pki show write a product as stored, as git show writes a blob. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "product-show.h"
#include "session.h"

static const char usage[] =
	"pki [--version] [-h | --help] [-C DIR] COMMAND [ARGS...]\n"
	"   or: pki [-C DIR] cat ID\n"
	"   or: pki [-C DIR] show ID\n"
	"   or: pki help [TOOL]";

static const char *const tools[][2] = {
	{ "init", "make a mission repository" },
	{ "ir", "set intelligence requirements; review, close, list; coverage" },
	{ "matrix", "keep the access matrix and the delegations" },
	{ "classify", "label, encrypt and file a product; re- or declassify it" },
	{ "register", "record receipt of a product; read the registry" },
	{ "list", "list the products: level, kind, areas, originator, list" },
	{ "share", "disseminate a product inside or outside the mission; revoke" },
	{ "audit", "check the whole repository against the rules" },
	{ "archive", "build and record a transfer to the UN Archives" },
	{ "report", "the statistics of the records, for the Head of Mission and HQ" },
	{ "sync", "bring this clone and another repository together" },
};

static void help(void)
{
	size_t i;

	printf("usage: %s\n\nThe tools:\n", usage);
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		printf("   %-10s %s\n", tools[i][0], tools[i][1]);
	printf("\nAnd pki's own:\n"
	       "   %-10s %s\n   %-10s %s\n   %-10s %s\n", "cat", "write a product's ciphertext, as stored",
	       "show", "write a product's label (XML)", "help TOOL", "the tool's --help");
	printf("\nOptions:\n"
	       "  %-24s %s\n  %-24s %s\n  %-24s %s\n",
	       "-C DIR", "run as if started in DIR, as git -C (before COMMAND)",
	       "-h, --help", "print this help and exit",
	       "    --version", "print the version and exit");
	printf("\n'pki help TOOL' and 'man pki-TOOL' tell more; 'man 7 pki' tells the story.\n");
}

static int valid_name(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
	return i > 0 && i < 32;
}

/* The tools live beside this binary (like git's exec-path); else PATH. */
static void run(const char *name, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 64], tool[64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	snprintf(tool, sizeof(tool), "pki-%s", name);
	argv[0] = tool;
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/%s", self, tool);
			if (access(path, X_OK) == 0)
				execv(path, argv);
		}
	}
	execvp(tool, argv);
}

/* Run the tool name with args; returns the exit status when it cannot. */
static int run_tool(const struct pki_cli *cli, const char *name, char **args)
{
	if (!valid_name(name))
		pki_cli_usage_error(cli, "'%.32s' is not a pki command", name);
	run(name, args);
	if (errno == ENOENT) {
		fprintf(stderr, "pki: '%s' is not a pki command; 'pki --help' lists them\n", name);
		return PKI_EUSAGE;
	}
	fprintf(stderr, "pki: cannot run pki-%s: %s\n", name, strerror(errno));
	return PKI_EUNAVAIL;
}

/* pki cat ID, pki show ID: read-only, no key, a bare repository will do. */
static int show(const struct pki_cli *cli, int argc, char **argv, bool label)
{
	struct pki_session s;
	int rc;

	if (argc != 2)
		pki_cli_usage_error(cli, "%s takes one product ID", argv[0]);
	if ((rc = pki_session_open(&s, cli->prog, NULL, NULL, PKI_SESSION_BARE_OK)) == 0)
		rc = pki_product_show(s.repo, argv[1], label, STDOUT_FILENO);
	rc = pki_report(cli->prog, rc);
	pki_session_close(&s);
	return pki_cli_exit(cli, rc);
}

int main(int argc, char **argv)
{
	struct pki_cli cli = { "pki", usage, NULL, NULL };
	char *help_args[3] = { NULL, (char *)"--help", NULL };
	const char *name;
	int i = 1;

	/* pki's own options, before the command; -C as git's: chdir, so
	 * that relative paths in ARGS are relative to DIR too. */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			help();
			return pki_cli_exit(&cli, 0);
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("pki %s\n", PKI_VERSION);
			return pki_cli_exit(&cli, 0);
		}
		if (strcmp(argv[i], "-C") != 0)
			pki_cli_usage_error(&cli, "unknown option '%.32s'", argv[i]);
		if (++i == argc)
			pki_cli_usage_error(&cli, "option '-C' needs a value");
		if (chdir(argv[i]) != 0) {
			fprintf(stderr, "pki: cannot change to '%s': %s\n", argv[i], strerror(errno));
			return PKI_ENOINPUT;
		}
	}
	if (i == argc)
		pki_cli_usage_error(&cli, "a command is required");
	name = argv[i];
	if (strcmp(name, "help") == 0) {
		if (i + 1 == argc) {
			help();
			return pki_cli_exit(&cli, 0);
		}
		if (i + 2 < argc)
			pki_cli_usage_error(&cli, "help takes one tool");
		return run_tool(&cli, argv[i + 1], help_args);
	}
	if (strcmp(name, "cat") == 0 || strcmp(name, "show") == 0)
		return show(&cli, argc - i, argv + i, name[0] == 's');
	return run_tool(&cli, name, argv + i);	/* run() points argv[i] at its own buffer */
}
