/* cli.c: the options and habits every pki command shares. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <signal.h>
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

static const struct pki_cli_opt shared[] = {
	{ "-C DIR", "run as if started in DIR, as git -C" },
	{ "-u KEY", "the acting key: a fingerprint, key ID or user ID (else $PKI_KEY, "
		    "else git's user.signingkey)" },
	{ "-h, --help", "print this help and exit" },
	{ "    --version", "print the version and exit" },
	{ NULL, NULL },
};

/* "  NAME  text", the text in a column when the name leaves room. */
static void print_row(FILE *f, const struct pki_cli_opt *v, int width)
{
	if ((int)strlen(v->name) < width)
		fprintf(f, "  %-*s %s\n", width, v->name, v->text);
	else
		fprintf(f, "  %s\n  %-*s %s\n", v->name, width, "", v->text);
}

static void print_table(FILE *f, const struct pki_cli_opt *v, int width)
{
	for (; v != NULL && v->name != NULL; v++)
		print_row(f, v, width);
}

/* The usage, each option described, the values the options take. */
static void print_help(const struct pki_cli *cli, FILE *f)
{
	const struct pki_cli_opt *v;

	print_usage(cli, f);
	fprintf(f, "\nOptions:\n");
	print_table(f, cli->opts, 24);
	/* -u only where the usage takes it: a tool that only reads needs no key. */
	for (v = shared; v->name != NULL; v++)
		if (v->name[1] != 'u' || strstr(cli->usage, "-u KEY") != NULL)
			print_row(f, v, 24);
	if (cli->values != NULL && cli->values->name != NULL) {
		fprintf(f, "\nValues:\n");
		print_table(f, cli->values, 12);
	}
}

int pki_cli_common(struct pki_cli *cli, int opt, const char *arg)
{
	switch (opt) {
	case 'h':
		print_help(cli, stdout);
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
		/* pki_cli_getopt has said what was wrong, on one line. */
		exit(PKI_EUSAGE);
	default:
		return 0;
	}
}

int pki_cli_getopt(const struct pki_cli *cli, int argc, char *const argv[],
		   const char *shortopts, const struct option *longopts)
{
	const char *arg;
	int opt, len;

	/* getopt's own messages name the program by its path and quote what
	 * was typed raw: say it here, through pki_cli_usage_error. */
	opterr = 0;
	if ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != '?')
		return opt;
	arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	if (strncmp(arg, "--", 2) == 0) {
		len = (int)strcspn(arg, "=");
		if (optopt == 0)
			pki_cli_usage_error(cli, "unknown option '%.*s'", len > 64 ? 64 : len, arg);
		if (arg[len] == '=')
			pki_cli_usage_error(cli, "option '%.*s' takes no value", len > 64 ? 64 : len, arg);
		pki_cli_usage_error(cli, "option '%.*s' needs a value", len > 64 ? 64 : len, arg);
	}
	if (optopt > 0 && optopt != ':' && strchr(shortopts, optopt) != NULL)
		pki_cli_usage_error(cli, "option '-%c' needs a value", optopt);
	pki_cli_usage_error(cli, "unknown option '-%c'", optopt > 0 ? optopt : '?');
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

void pki_cli_warn_unheld(const struct pki_cli *cli, const char *id, const char *unheld)
{
	if (unheld == NULL || unheld[0] == '\0')
		return;
	fprintf(stderr, "%s: warning: no valid principal holds %s '%s' of %s (see pki-matrix "
		"list); a typo is corrected with pki-classify --change %s -a AREAS\n", cli->prog,
		strchr(unheld, ';') != NULL ? "the areas" : "the area", unheld, id, id);
}

/* As git: a reader that has gone (`pki-register | head -1`) ends the
 * command quietly, by the SIGPIPE that GPGME has us ignore. */
static void die_of_sigpipe(void)
{
	signal(SIGPIPE, SIG_DFL);
	raise(SIGPIPE);
	_exit(128 + SIGPIPE);
}

static void draw_progress(void *arg, const char *what, uint64_t done, uint64_t total)
{
	struct pki_cli *cli = arg;
	bool end = total != 0 && done >= total;
	time_t now = time(NULL);
	int pct = total == 0 ? 0 : (int)(done >= total ? 100 : done * 100 / total);

	if (total != 0 ? pct + 1 == cli->shown && !end : now == cli->drawn)
		return;
	if (total != 0)
		fprintf(stderr, "\r%s: %s: %3d%% (%" PRIu64 "/%" PRIu64 ")%s",
			cli->prog, what, pct, done, total, end ? "\n" : "");
	else
		fprintf(stderr, "\r%s: %s: %" PRIu64, cli->prog, what, done);
	cli->shown = end ? 0 : pct + 1;
	cli->drawn = now;
}

struct pki_progress pki_cli_progress(struct pki_cli *cli)
{
	struct pki_progress p = { NULL, NULL };

	if (isatty(STDERR_FILENO)) {
		p.report = draw_progress;
		p.arg = cli;
	}
	return p;
}

int pki_cli_exit(const struct pki_cli *cli, int status)
{
	/* A full disk or a closed pipe must not pass for success. */
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (errno == EPIPE || pki_stdout_gone())
			die_of_sigpipe();
		fprintf(stderr, "%s: cannot write to standard output: %s\n",
			cli->prog, strerror(errno));
		return status != 0 ? status : PKI_EIO;
	}
	return status;
}
