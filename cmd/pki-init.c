/* pki-init: make a mission repository. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "matrix.h"
#include "paths.h"
#include "session.h"

static const char usage[] =
	"pki-init -m CODE [-n NAME] [-e ENTITY] [-s SITE] [-p PRINCIPAL] [--role ROLE] [-C DIR] [-u KEY] [DIR]";

/* --help: every option, and the values they take. */
static const struct pki_cli_opt opts[] = {
	{ "-m, --mission CODE", "the mission code, e.g. UNMISS (required)" },
	{ "-n, --name NAME", "the mission's full name" },
	{ "-e, --entity ENTITY", "the registering entity of this clone, e.g. JMAC" },
	{ "-s, --site SITE", "the site of this clone, e.g. BOR" },
	{ "-p, --principal PRINCIPAL", "the first principal's name, holder of the acting key" },
	{ "    --role ROLE", "its role: hom (the default) or chair" },
	{ "DIR", "where to make the repository (default: here)" },
	{ NULL, NULL },
};

static const struct pki_cli_opt values[] = {
	{ "CODE", "1 to 16 of A-Z and 0-9; ENTITY and SITE likewise" },
	{ "PRINCIPAL", "a lower-case letter or digit, then up to 63 of a-z, 0-9, '-' and '_'" },
	{ NULL, NULL },
};

struct init {
	const char *code, *name, *entity, *site, *principal;
	enum pki_role role;
	char *default_principal;
};

/* The local part of the key's e-mail, made a valid principal name. */
static int principal_from_key(const struct pki_key *k, char **out)
{
	size_t n = strcspn(k->email, "@"), i;
	char *p;

	if (n == 0 || n > 64)
		return pki_error(PKI_EUSAGE, "cannot name the principal from the key's e-mail '%s': use -p", k->email);
	if ((p = strndup(k->email, n)) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "principal");
	for (i = 0; i < n; i++)
		if (p[i] >= 'A' && p[i] <= 'Z')
			p[i] = (char)(p[i] - 'A' + 'a');
	*out = p;
	return pki_check_principal("principal (from the key's e-mail; use -p)", p);
}

static int first_principal(struct pki_session *s, const struct init *in, struct pki_buf *out)
{
	struct pki_matrix m = { 0 };
	struct pki_principal p = { 0 };
	char date[PKI_DATE_LEN];
	int rc;

	pki_date_format(s->now, date);
	p.name = (char *)in->principal;
	memcpy(p.fpr, s->key.fpr, sizeof(p.fpr));
	p.entity = (char *)(in->entity != NULL ? in->entity : "HQ");
	p.type = PKI_TYPE_MISSION;
	p.role = in->role;
	p.clearance = PKI_LEVEL_STRICTLY_CONFIDENTIAL;
	p.areas = (char *)"*";
	p.from = s->now - s->now % 86400;	/* from the start of today */
	p.from_text = date;
	p.until_text = (char *)"";
	if ((rc = pki_matrix_put(&m, &p)) == 0)
		rc = pki_matrix_format(&m, out);
	pki_matrix_release(&m);
	return rc;
}

static int stage_files(struct pki_session *s, struct pki_txn *t, const struct init *in)
{
	const char *kv[] = { "mission.code", in->code, "mission.name", in->name };
	struct pki_delegations none = { 0 };
	struct pki_buf b = PKI_BUF_INIT;
	char keypath[PKI_KEY_PATH_MAX];
	int rc;

	pki_key_path(s->key.fpr, keypath);
	if ((rc = pki_repo_conf_format(s->repo, kv, in->name != NULL ? 2 : 1, &b)) < 0 ||
	    (rc = pki_txn_put(t, PKI_CONF_FILE, b.ptr, b.len)) < 0)
		goto out;
	pki_buf_reset(&b);
	if ((rc = first_principal(s, in, &b)) < 0 ||
	    (rc = pki_txn_put(t, PKI_MATRIX_FILE, b.ptr, b.len)) < 0)
		goto out;
	pki_buf_reset(&b);
	if ((rc = pki_delegations_format(&none, &b)) < 0 ||
	    (rc = pki_txn_put(t, PKI_DELEGATIONS_FILE, b.ptr, b.len)) < 0 ||
	    (rc = pki_gpg_export(s->gpg, s->key.fpr, &b)) < 0 ||
	    (rc = pki_txn_put(t, keypath, b.ptr, b.len)) < 0 ||
	    (rc = pki_txn_put(t, PKI_ATTRIBUTES_FILE, PKI_ATTRIBUTES, strlen(PKI_ATTRIBUTES))) < 0)
		goto out;
out:
	pki_buf_release(&b);
	return rc;
}

static int message(struct pki_session *s, const struct init *in, struct pki_buf *msg)
{
	int rc;

	if ((rc = pki_msg_subject(msg, s->prog, "init", in->code)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", "init")) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Mission", in->code)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Actor", in->principal)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Role", pki_role_name(in->role))) < 0)
		return rc;
	return 0;
}

/* A mission starts in a new or empty directory: not in one whose files
 * would lie untracked (or planted) in its work tree. */
static int new_or_empty(const char *dir)
{
	struct dirent *e;
	bool git = false, other = false;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : pki_error_errno(PKI_EUSAGE, "cannot use '%s'", dir);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".git") == 0)
			git = true;	/* pki_repo_create says so */
		else if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			other = true;
	}
	closedir(d);
	if (other && !git)
		return pki_error(PKI_EUSAGE, "'%s' is not empty: a mission repository "
				 "starts in a new or empty directory", dir);
	return 0;
}

static int init(struct pki_session *s, struct init *in, const char *dir)
{
	struct pki_buf msg = PKI_BUF_INIT;
	struct pki_txn *t = NULL;
	struct pki_ident who;
	int rc;

	if (in->principal == NULL) {
		if ((rc = principal_from_key(&s->key, &in->default_principal)) < 0)
			return rc;
		in->principal = in->default_principal;
	}
	if (!s->key.can_encrypt)
		return pki_error(PKI_EUNAVAIL, "key %s has no usable encryption subkey: "
				 "a principal must be able to receive products", s->key.fpr);
	if ((rc = new_or_empty(dir)) < 0 || (rc = pki_repo_create(&s->repo, dir)) < 0)
		return rc;
	who.fpr = s->key.fpr;
	who.name = s->key.name[0] != '\0' ? s->key.name : s->key.email;
	who.email = s->key.email;
	who.when = s->now;
	if ((rc = pki_txn_begin(&t, s->repo)) == 0 &&
	    (rc = stage_files(s, t, in)) == 0 &&
	    (rc = message(s, in, &msg)) == 0 &&
	    (rc = pki_txn_commit(t, s->gpg, &who, msg.ptr)) == 0 &&
	    (rc = pki_repo_local_set(s->repo, "user.signingkey", s->key.fpr)) == 0 &&
	    /* The root the audit trusts, pinned where the mission began. */
	    (rc = pki_repo_local_set(s->repo, "pki.root", pki_txn_commit_id(t))) == 0 &&
	    (in->entity == NULL ||
	     (rc = pki_repo_local_set(s->repo, "pki.entity", in->entity)) == 0) &&
	    in->site != NULL)
		rc = pki_repo_local_set(s->repo, "pki.site", in->site);
	pki_txn_free(t);
	pki_buf_release(&msg);
	return rc;
}

int main(int argc, char **argv)
{
	enum { OPT_ROLE = PKI_OPT_FIRST_FREE };
	static const struct option longopts[] = {
		PKI_CLI_LONG,
		{ "mission", required_argument, NULL, 'm' },
		{ "name", required_argument, NULL, 'n' },
		{ "entity", required_argument, NULL, 'e' },
		{ "site", required_argument, NULL, 's' },
		{ "principal", required_argument, NULL, 'p' },
		{ "role", required_argument, NULL, OPT_ROLE },
		{ NULL, 0, NULL, 0 },
	};
	struct pki_cli cli = { "pki-init", usage, NULL, NULL, 0, 0, opts, values };
	struct init in = { .role = PKI_ROLE_HOM };
	struct pki_session s;
	const char *dir;
	int opt, rc = 0;


	while ((opt = pki_cli_getopt(&cli, argc, argv, PKI_CLI_SHORT "m:n:e:s:p:",
				     longopts)) != -1) {
		if (pki_cli_common(&cli, opt, optarg))
			continue;
		switch (opt) {
		case 'm': in.code = optarg; break;
		case 'n': in.name = optarg; break;
		case 'e': in.entity = optarg; break;
		case 's': in.site = optarg; break;
		case 'p': in.principal = optarg; break;
		case OPT_ROLE:
			if (pki_role_parse(optarg, &in.role) < 0)
				pki_cli_usage_error(&cli, "%s", pki_error_last());
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (in.code == NULL)
		pki_cli_usage_error(&cli, "a mission code is required (-m CODE)");
	if (argc > 1)
		pki_cli_usage_error(&cli, "one directory at most");
	if (in.name != NULL && (rc = pki_check_free_text("mission name", in.name, 200)) == -PKI_EDATA)
		return pki_cli_exit(&cli, pki_report(cli.prog, rc));
	if (pki_check_code("mission code", in.code) < 0 ||
	    (in.name != NULL && rc < 0) ||
	    (in.entity != NULL && pki_check_code("entity", in.entity) < 0) ||
	    (in.site != NULL && pki_check_code("site", in.site) < 0) ||
	    (in.principal != NULL && pki_check_principal("principal", in.principal) < 0))
		pki_cli_usage_error(&cli, "%s", pki_error_last());
	if (in.role != PKI_ROLE_HOM && in.role != PKI_ROLE_CHAIR)
		pki_cli_usage_error(&cli, "the first principal keeps the matrix: its role is hom or chair");
	dir = argc == 1 ? argv[0] : ".";
	if ((rc = pki_session_open(&s, cli.prog, NULL, cli.key,
				   PKI_SESSION_KEY | PKI_SESSION_NOREPO)) == 0)
		rc = init(&s, &in, dir);
	rc = pki_report(cli.prog, rc);
	pki_session_close(&s);
	free(in.default_principal);
	return pki_cli_exit(&cli, rc);
}
