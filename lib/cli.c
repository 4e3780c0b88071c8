/* cli.c: the options and habits every pki command shares. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"

static void print_usage(const struct pki_cli *cli, FILE *f)
{
	const char *line = cli->usage, *end;
	const char *lead = "usage: ";

	/* One line per mode, as in the man page SYNOPSIS. */
	while (*line != '\0') {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		fprintf(f, "%s%.*s\n", lead, (int)(end - line), line);
		lead = "   or: ";
		line = *end != '\0' ? end + 1 : end;
	}
}

int pki_cli_common(struct pki_cli *cli, int opt, const char *arg)
{
	switch (opt) {
	case 'h':
		print_usage(cli, stdout);
		exit(pki_cli_exit(cli, 0));
	case PKI_OPT_VERSION:
		printf("%s %s\n", cli->prog, PKI_VERSION);
		exit(pki_cli_exit(cli, 0));
	case 'C':
		/* As git -C: everything after runs as if started there. */
		if (chdir(arg) < 0) {
			fprintf(stderr, "%s: cannot change to '%s': %s\n", cli->prog, arg,
				strerror(errno));
			exit(PKI_ENOINPUT);
		}
		cli->dir = arg;
		return 1;
	case 'u':
		cli->key = arg;
		return 1;
	case '?':
		/* getopt has said what was wrong, on one line. */
		exit(PKI_EUSAGE);
	default:
		return 0;
	}
}

void pki_cli_usage_error(const struct pki_cli *cli, const char *why, ...)
{
	char msg[1024];
	va_list ap;

	/* One line: what was wrong, and where to look. */
	if (why == NULL) {
		print_usage(cli, stderr);
		exit(PKI_EUSAGE);
	}
	va_start(ap, why);
	vsnprintf(msg, sizeof(msg), why, ap);
	va_end(ap);
	/* Through the error slot, which takes out control characters: the
	 * message may quote what was typed. */
	pki_error(PKI_EUSAGE, "%s", msg);
	fprintf(stderr, "%s: %s (see '%s --help')\n", cli->prog, pki_error_last(), cli->prog);
	exit(PKI_EUSAGE);
}

int pki_cli_exit(const struct pki_cli *cli, int status)
{
	/* A full disk or a closed pipe must not pass for success. */
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (errno != EPIPE)
			fprintf(stderr, "%s: cannot write to standard output: %s\n",
				cli->prog, strerror(errno));
		return status != 0 ? status : PKI_EIO;
	}
	return status;
}
