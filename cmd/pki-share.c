/* pki-share: disseminate a product inside the mission, hand a copy outside
 * it, or take recipients off its distribution list (SPEC 5.3). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "export.h"
#include "policy.h"
#include "product.h"
#include "registry.h"
#include "session.h"
#include "sha256.h"
#include "xml-read.h"

static const char usage[] =
	"pki-share [-C DIR] [-u KEY] ID RECIPIENT... [-j TEXT] [--authority DELEGATION] [--hrddp REF] [--arrangement REF] [--consent REF] [-o FILE] [--label FILE] [-a]\n"
	"pki-share [-C DIR] [-u KEY] --revoke ID RECIPIENT... [-j TEXT]";

#define RECIPIENTS_MAX 64	/* per call */
#define JUSTIFICATION_MAX 1024
#define REF_MAX 256

enum {
	OPT_AUTHORITY = PKI_OPT_FIRST_FREE, OPT_HRDDP, OPT_ARRANGEMENT, OPT_CONSENT,
	OPT_LABEL, OPT_REVOKE,
};

struct args {
	const char *j, *authority, *hrddp, *arrangement, *consent, *out, *label;
	int armor, revoke;
	const char *id;
	char **names;
	size_t n;
};

/* An export's output, made on the first try of the change and kept. */
struct output {
	int fd, label_fd;	/* -1 once closed */
	char *label_path;
	bool made_fd, made_label;	/* created by us: removed on failure */
	bool made;		/* the copy and its label are written and closed */
	char sha256[PKI_SHA256_HEX];
};

struct share {
	const struct args *g;
	struct output out;
};

/* --- judging --- */

/* What a rule judges a recipient on, as of the transaction and `at`. */
static void context(struct pki_share_ctx *c, const struct args *g, struct pki_txn *t,
		    const struct pki_state *st, const struct pki_product *p, const char *name,
		    time_t at)
{
	char keypath[64];

	memset(c, 0, sizeof(*c));
	c->actor = st->actor;
	c->product = p;
	c->recipient_name = name;
	c->recipient = pki_matrix_find(&st->matrix, name);
	if (c->recipient != NULL) {
		snprintf(keypath, sizeof(keypath), "keys/%s.asc", c->recipient->fpr);
		c->recipient_key = pki_txn_exists(t, keypath);
	}
	c->matrix = &st->matrix;
	c->delegations = &st->delegations;
	c->at = at;
	c->authority = g->authority;
	c->justification = g->j;
	c->hrddp = g->hrddp;
	c->arrangement = g->arrangement;
	c->consent = g->consent;
}

static bool on_list(const struct pki_label *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->nrecipients; i++)
		if (strcmp(l->recipients[i], name) == 0)
			return true;
	return false;
}

/*
 * Inside or outside the mission: every recipient on one side.  Unknown
 * recipients are judged (and refused) first, by the rule that names them.
 */
static int which_side(bool *outside, const struct args *g, struct pki_txn *t,
		      const struct pki_state *st, const struct pki_product *p, time_t now)
{
	struct pki_share_ctx c;
	size_t i, nout = 0;
	int rc;

	for (i = 0; i < g->n; i++) {
		context(&c, g, t, st, p, g->names[i], now);
		if (c.recipient == NULL && (rc = pki_policy_may_share(NULL, &c)) < 0)
			return rc;
		nout += pki_policy_outside(c.recipient);
	}
	*outside = nout > 0;
	if (nout > 0 && nout < g->n)
		return pki_error(PKI_EUSAGE, "recipients inside and outside the mission: "
				 "share with each side in its own call");
	if (nout > 1)
		return pki_error(PKI_EUSAGE, "a copy leaves the mission for one recipient at a time");
	if (nout == 0 && (g->hrddp || g->arrangement || g->consent || g->out || g->label || g->armor))
		return pki_error(PKI_EUSAGE, "--hrddp, --arrangement, --consent, -o, --label and -a "
				 "go with a share outside the mission");
	return 0;
}

/* Judge every recipient before anything changes: all are allowed or none. */
static int judge_all(const char **auth, const struct args *g, struct pki_txn *t,
		     const struct pki_state *st, const struct pki_label *l, time_t now)
{
	struct pki_share_ctx c;
	struct pki_product p;
	size_t i;
	int rc;

	pki_product_of_label(l, &p);
	for (i = 0; i < g->n; i++) {
		context(&c, g, t, st, &p, g->names[i], now);
		if (g->revoke) {
			if (!on_list(l, g->names[i]))
				return pki_error(PKI_EDATA, "'%s' is not on the distribution list "
						 "of %s", g->names[i], l->id);
			rc = pki_policy_may_revoke(&auth[i], &c);
		} else {
			rc = pki_policy_may_share(&auth[i], &c);
			if (rc == 0 && !pki_policy_outside(c.recipient) && on_list(l, g->names[i]))
				rc = pki_error(PKI_EDATA, "'%s' already receives %s", g->names[i], l->id);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* --- recording --- */

static int record(struct pki_txn *t, const struct args *g, const struct pki_state *st,
		  const struct pki_label *l, const char *const *auth, enum pki_action action,
		  time_t now)
{
	struct pki_row rows[RECIPIENTS_MAX];
	size_t i;

	memset(rows, 0, sizeof(rows));
	for (i = 0; i < g->n; i++) {
		struct pki_row *r = &rows[i];

		r->f[PKI_COL_ACTION] = pki_action_name(action);
		r->f[PKI_COL_PRODUCT] = l->id;
		r->f[PKI_COL_LEVEL] = pki_level_name(l->level);
		r->f[PKI_COL_ACTOR] = st->actor->name;
		r->f[PKI_COL_RECIPIENT] = g->names[i];
		r->f[PKI_COL_AUTHORITY] = auth[i];
		r->f[PKI_COL_JUSTIFICATION] = g->j;
		if (action == PKI_ACTION_EXPORT) {
			r->f[PKI_COL_HRDDP] = g->hrddp;
			r->f[PKI_COL_ARRANGEMENT] = g->arrangement;
			r->f[PKI_COL_REFERENCE] = g->consent;
		}
	}
	return pki_registry_append(t, now, rows, g->n);
}

static int message(struct pki_buf *msg, struct pki_session *s, const struct args *g,
		   const struct pki_state *st, enum pki_action action, const char *copy)
{
	const char *name = pki_action_name(action);
	struct pki_buf object = PKI_BUF_INIT;
	size_t i;
	int rc;

	/* "share ID with jmac, undss": git log --oneline tells the story. */
	rc = pki_buf_printf(&object, "%s %s", g->id, g->revoke ? "from" : "with");
	for (i = 0; i < g->n && rc == 0; i++)
		rc = pki_buf_printf(&object, "%s %s", i > 0 ? "," : "", g->names[i]);
	if (rc == 0)
		rc = pki_msg_subject(msg, s->prog, name, object.ptr);
	pki_buf_release(&object);
	if (rc < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", name)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Product", g->id)) < 0)
		return rc;
	for (i = 0; i < g->n; i++)
		if ((rc = pki_msg_trailer(msg, "Pki-Recipient", g->names[i])) < 0)
			return rc;
	if ((rc = pki_msg_trailer(msg, "Pki-Copy-Sha256", copy)) < 0)
		return rc;
	return pki_msg_trailer(msg, "Pki-Actor", st->actor->name);
}

/* --- inside the mission: share and revoke --- */

/* The label's list, with the recipients added (share) or taken off (revoke). */
static int new_list(struct pki_names *list, const struct pki_label *l, const struct args *g)
{
	size_t i, k;
	int rc;

	for (i = 0; i < l->nrecipients; i++) {
		for (k = 0; g->revoke && k < g->n; k++)
			if (strcmp(l->recipients[i], g->names[k]) == 0)
				break;
		if (g->revoke && k < g->n)
			continue;
		if ((rc = pki_names_add(list, l->recipients[i])) < 0)
			return rc;
	}
	for (k = 0; !g->revoke && k < g->n; k++)
		if ((rc = pki_names_add(list, g->names[k])) < 0)
			return rc;
	return 0;
}

static int build_list(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		      struct pki_buf *msg, const struct args *g, struct pki_label *l)
{
	const char *auth[RECIPIENTS_MAX];
	struct pki_names list = { 0 };
	enum pki_action action = g->revoke ? PKI_ACTION_REVOKE : PKI_ACTION_SHARE;
	int rc;

	if ((rc = judge_all(auth, g, t, st, l, s->now)) < 0 ||
	    (rc = new_list(&list, l, g)) < 0)
		goto out;
	/* The registry rows and the message name the recipients as given,
	 * not the list, which the re-encryption hands over to the label. */
	if ((rc = record(t, g, st, l, auth, action, s->now)) < 0 ||
	    (rc = message(msg, s, g, st, action, NULL)) < 0 ||
	    (rc = pki_product_reencrypt(t, s->gpg, &st->matrix, l, &list)) < 0)
		goto out;
out:
	pki_names_release(&list);
	return rc;
}

/* --- outside the mission: export --- */

struct tee {
	int fd;
	struct pki_sha256 sha;
};

static int tee_write(void *ctx, const void *data, size_t len)
{
	struct tee *t = ctx;

	pki_sha256_update(&t->sha, data, len);
	return pki_sink_fd(&t->fd, data, len);
}

/* Flush a file made here to the disk and close it, before the commit
 * that records it. */
static int finish(int *fd, const char *path)
{
	int rc = 0;

	if (*fd < 0 || *fd == STDOUT_FILENO)
		return 0;
	if (fsync(*fd) < 0)
		rc = pki_error_errno(PKI_EIO, "%s", path);
	if (close(*fd) < 0 && rc == 0)
		rc = pki_error_errno(PKI_EIO, "%s", path);
	*fd = -1;
	return rc;
}

/* The copy to its file (or standard output), then its label. */
static int make_copy(struct pki_session *s, struct pki_txn *t, const struct args *g,
		     struct output *o, struct pki_label *l, const struct pki_principal *r)
{
	struct tee tee = { o->fd, { { 0 } } };
	struct pki_sink sink = { tee_write, &tee };
	struct pki_buf xml = PKI_BUF_INIT;
	unsigned char d[PKI_SHA256_LEN];
	int rc;

	if (o->fd == STDOUT_FILENO && !g->armor && isatty(STDOUT_FILENO))
		return pki_error(PKI_EUSAGE, "not writing a binary copy to a terminal: "
				 "use -o FILE or -a");
	pki_sha256_init(&tee.sha);
	rc = pki_export_copy(t, s->gpg, l, r->fpr, g->armor, &sink);
	pki_sha256_final(&tee.sha, d);
	if (rc < 0 || (rc = finish(&o->fd, g->out)) < 0)
		goto out;
	pki_sha256_hex(d, o->sha256);
	if ((rc = pki_export_label(l, r->name, o->sha256)) < 0 ||
	    (rc = pki_label_format(l, &xml)) < 0 ||
	    (rc = pki_xml_validate("label.xsd", xml.ptr, xml.len)) < 0)
		goto out;
	if (o->label_fd >= 0 && (rc = pki_sink_fd(&o->label_fd, xml.ptr, xml.len)) < 0) {
		rc = pki_error_wrap(-rc, "%s", o->label_path);
		goto out;
	}
	if ((rc = finish(&o->label_fd, o->label_path)) < 0)
		goto out;
	o->made = true;
out:
	pki_buf_release(&xml);
	return rc;
}

static int build_export(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			struct pki_buf *msg, struct share *sh, struct pki_label *l)
{
	const struct args *g = sh->g;
	const char *auth[1];
	int rc;

	if ((rc = judge_all(auth, g, t, st, l, s->now)) < 0)
		return rc;
	/* A retried change records the copy the first try made. */
	if (!sh->out.made &&
	    (rc = make_copy(s, t, g, &sh->out, l, pki_matrix_find(&st->matrix, g->names[0]))) < 0)
		return rc;
	if ((rc = record(t, g, st, l, auth, PKI_ACTION_EXPORT, s->now)) < 0)
		return rc;
	return message(msg, s, g, st, PKI_ACTION_EXPORT, sh->out.sha256);
}

static int build(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		 struct pki_buf *msg, void *arg)
{
	struct share *sh = arg;
	const struct args *g = sh->g;
	struct pki_label l;
	struct pki_product p;
	bool outside = false;
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_product_label(t, g->id, &l)) < 0)
		return rc;
	pki_product_of_label(&l, &p);
	if (!g->revoke && (rc = which_side(&outside, g, t, st, &p, s->now)) < 0)
		goto out;
	if (outside)
		rc = build_export(s, t, st, msg, sh, &l);
	else
		rc = build_list(s, t, st, msg, g, &l);
out:
	pki_label_release(&l);
	return rc;
}

/* --- the export's files --- */

static int create(const char *path, int *fd)
{
	*fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (*fd < 0)
		return pki_error_errno(PKI_EIO, "cannot create '%s'", path);
	return 0;
}

/*
 * -o FILE: the copy to FILE and its label to FILE.xml (or --label);
 * otherwise the copy to standard output and the label to --label, if
 * given.  Created new, never over an existing file or through a link.
 */
static int open_output(struct output *o, const struct args *g)
{
	size_t n;
	int rc;

	o->fd = STDOUT_FILENO;
	o->label_fd = -1;
	if (g->label != NULL) {
		if ((o->label_path = strdup(g->label)) == NULL)
			return pki_error_errno(PKI_EINTERNAL, "label");
	} else if (g->out != NULL) {
		n = strlen(g->out) + 5;
		if ((o->label_path = malloc(n)) == NULL)
			return pki_error_errno(PKI_EINTERNAL, "label");
		snprintf(o->label_path, n, "%s.xml", g->out);
	}
	if (g->out != NULL && (rc = create(g->out, &o->fd)) < 0)
		return rc;
	o->made_fd = g->out != NULL;
	if (o->label_path != NULL && (rc = create(o->label_path, &o->label_fd)) < 0)
		return rc;
	o->made_label = o->label_path != NULL;
	return 0;
}

/* After the change: on failure, take back the files made (the copy was
 * never recorded); they were closed before a successful commit. */
static int close_output(struct output *o, const struct args *g, int rc)
{
	if (o->fd >= 0 && o->fd != STDOUT_FILENO)
		close(o->fd);
	if (o->label_fd >= 0)
		close(o->label_fd);
	if (rc < 0 && o->made_fd)
		unlink(g->out);
	if (rc < 0 && o->made_label)
		unlink(o->label_path);
	free(o->label_path);
	return rc;
}

static int run(struct pki_session *s, const struct args *g)
{
	struct share sh = { .g = g, .out = { .fd = -1, .label_fd = -1 } };
	bool files = g->out != NULL || g->label != NULL;
	int rc;

	/* The files are made before the lock, so that a bad path is refused
	 * before anything is judged; a refusal takes them back. */
	if (files && (rc = open_output(&sh.out, g)) < 0)
		return close_output(&sh.out, g, rc);
	if (!files)
		sh.out.fd = STDOUT_FILENO;
	rc = pki_session_change(s, build, &sh);
	if (files)
		rc = close_output(&sh.out, g, rc);
	return rc;
}

/* --- main --- */

static const struct option longopts[] = {
	PKI_CLI_LONG,
	{ "authority", required_argument, NULL, OPT_AUTHORITY },
	{ "hrddp", required_argument, NULL, OPT_HRDDP },
	{ "arrangement", required_argument, NULL, OPT_ARRANGEMENT },
	{ "consent", required_argument, NULL, OPT_CONSENT },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "revoke", no_argument, NULL, OPT_REVOKE },
	{ "armor", no_argument, NULL, 'a' },
	{ "output", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

static void parse_options(struct pki_cli *cli, struct args *g, int argc, char **argv)
{
	int opt;

	while ((opt = pki_cli_getopt(cli, argc, argv, PKI_CLI_SHORT "j:o:a",
				     longopts)) != -1) {
		if (pki_cli_common(cli, opt, optarg))
			continue;
		switch (opt) {
		case 'j': g->j = optarg; break;
		case 'o': g->out = optarg; break;
		case 'a': g->armor = 1; break;
		case OPT_AUTHORITY: g->authority = optarg; break;
		case OPT_HRDDP: g->hrddp = optarg; break;
		case OPT_ARRANGEMENT: g->arrangement = optarg; break;
		case OPT_CONSENT: g->consent = optarg; break;
		case OPT_LABEL: g->label = optarg; break;
		case OPT_REVOKE: g->revoke = 1; break;
		default: break;
		}
	}
}

/* Everything given is checked before the repository is touched. */
static int check_args(const struct args *g)
{
	size_t i, k;
	int rc;

	if ((rc = pki_check_product_id(g->id)) < 0)
		return rc;
	for (i = 0; i < g->n; i++) {
		if ((rc = pki_check_principal("recipient", g->names[i])) < 0)
			return rc;
		for (k = 0; k < i; k++)
			if (strcmp(g->names[k], g->names[i]) == 0)
				return pki_error(PKI_EUSAGE, "recipient '%s' given twice", g->names[i]);
	}
	if ((g->j && (rc = pki_check_text("-j", g->j, JUSTIFICATION_MAX)) < 0) ||
	    (g->authority && (rc = pki_check_text("--authority", g->authority, 64)) < 0) ||
	    (g->hrddp && (rc = pki_check_text("--hrddp", g->hrddp, REF_MAX)) < 0) ||
	    (g->arrangement && (rc = pki_check_text("--arrangement", g->arrangement, REF_MAX)) < 0) ||
	    (g->consent && (rc = pki_check_text("--consent", g->consent, REF_MAX)) < 0))
		return rc;
	return 0;
}

int main(int argc, char **argv)
{
	struct pki_cli cli = { "pki-share", usage, NULL, NULL };
	struct args g = { 0 };
	struct pki_session s;
	int rc;

	parse_options(&cli, &g, argc, argv);
	argc -= optind;
	argv += optind;
	if (argc < 2)
		pki_cli_usage_error(&cli, "a product ID and at least one recipient are required");
	if (argc - 1 > RECIPIENTS_MAX)
		pki_cli_usage_error(&cli, "at most %d recipients in one call", RECIPIENTS_MAX);
	if (g.revoke && (g.authority || g.hrddp || g.arrangement || g.consent || g.out ||
			 g.label || g.armor))
		pki_cli_usage_error(&cli, "--revoke takes recipients and -j only");
	if (g.out != NULL && strcmp(g.out, "-") == 0)
		g.out = NULL;	/* -o -: standard output */
	g.id = argv[0];
	g.names = argv + 1;
	g.n = (size_t)(argc - 1);
	if ((rc = check_args(&g)) < 0)
		return pki_cli_exit(&cli, pki_report(cli.prog, rc));
	rc = pki_session_open(&s, cli.prog, NULL, cli.key, PKI_SESSION_KEY);
	if (rc == 0)
		rc = run(&s, &g);
	rc = pki_report(cli.prog, rc);
	pki_session_close(&s);
	return pki_cli_exit(&cli, rc);
}
