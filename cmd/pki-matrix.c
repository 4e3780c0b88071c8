/* pki-matrix: keep the access matrix and the delegations. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "matrix.h"
#include "policy.h"
#include "product.h"
#include "registry.h"
#include "session.h"

static const char usage[] =
	"pki-matrix [-C DIR] [-u KEY] add NAME --key FILE|FPR --entity E --type T --role R --clearance L [--areas A] [--from D] [--until D]\n"
	"pki-matrix [-C DIR] [-u KEY] remove NAME\n"
	"pki-matrix [-C DIR] [-u KEY] delegate GRANTEE --power P [--scope S] [--until D] --ref REF\n"
	"pki-matrix [-C DIR] list [--format csv|text] [--at DATE] [--all]";

#define KEY_MAX (1024 * 1024)

enum {
	OPT_KEY = PKI_OPT_FIRST_FREE, OPT_ENTITY, OPT_TYPE, OPT_ROLE, OPT_CLEARANCE,
	OPT_AREAS, OPT_FROM, OPT_UNTIL, OPT_POWER, OPT_SCOPE, OPT_REF, OPT_FORMAT,
	OPT_AT, OPT_ALL,
};

/* Everything the subcommands take, as given. */
struct args {
	const char *key, *entity, *type, *role, *clearance, *areas, *from, *until;
	const char *power, *scope, *ref, *format, *at;
	int all;
};

struct add {
	struct pki_principal p;	/* the new row, borrowed strings */
	bool has[5];		/* entity, type, role, clearance, areas given */
	struct pki_buf keydata;	/* armored public key */
	time_t now;
	char today[PKI_DATE_LEN];
};

static const char *const add_needs[] = { "--entity", "--type", "--role", "--clearance" };

/* "pki-matrix: <action> <object>" and who did it. */
static int msg_subject_actor(struct pki_buf *msg, struct pki_session *s, const char *action,
			     const char *object, const struct pki_state *st)
{
	char trailer[32];
	int rc;

	snprintf(trailer, sizeof(trailer), "matrix-%s", action);
	if ((rc = pki_msg_subject(msg, s->prog, action, object)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", trailer)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Principal", object)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Actor", st->actor->name)) < 0)
		return rc;
	return 0;
}

/* A delegation's scope: a product ID, an area, or "*". */
static int check_scope(const char *scope)
{
	if (strcmp(scope, "*") == 0 || pki_check_product_id(scope) == 0)
		return 0;
	if (strchr(scope, ';') == NULL && pki_check_areas("--scope", scope) == 0)
		return 0;
	return pki_error(PKI_EUSAGE, "invalid --scope '%.64s' (a product ID, an area, or *)", scope);
}

/* --- add --- */

static int check_key(const struct pki_key *k)
{
	if (k->revoked)
		return pki_error(PKI_EDATA, "key %s is revoked", k->fpr);
	if (k->expired)
		return pki_error(PKI_EDATA, "key %s has expired", k->fpr);
	if (k->disabled || k->invalid)
		return pki_error(PKI_EDATA, "key %s is disabled or invalid", k->fpr);
	if (!k->can_encrypt)
		return pki_error(PKI_EDATA, "key %s has no usable encryption subkey", k->fpr);
	if (!k->uid_ok)
		return pki_error(PKI_EDATA, "key %s: its first user ID is not one 'Name <address>'",
				 k->fpr);
	return 0;
}

static int read_key(struct pki_session *s, const char *arg, struct pki_key *k,
		    struct pki_buf *armored)
{
	struct pki_buf raw = PKI_BUF_INIT;
	char fpr[41];
	int fd, rc;

	snprintf(fpr, sizeof(fpr), "%s", arg);
	if (access(arg, F_OK) < 0 && strlen(arg) == 40 && pki_check_fingerprint("key", fpr) == 0) {
		/* A fingerprint: the key comes from the keyring. */
		if ((rc = pki_gpg_key(s->gpg, fpr, false, k)) < 0)
			return rc;
		return pki_gpg_export(s->gpg, k->fpr, armored);
	}
	if ((fd = open(arg, O_RDONLY | O_CLOEXEC)) < 0)
		return pki_error_errno(PKI_ENOINPUT, "cannot open key file '%s'", arg);
	rc = pki_read_fd(fd, KEY_MAX, &raw);
	close(fd);
	if (rc < 0 || (rc = pki_gpg_inspect(s->gpg, raw.ptr, raw.len, k)) < 0) {
		pki_error_wrap(PKI_EDATA, "key file '%s'", arg);
		rc = -PKI_EDATA;
		goto out;
	}
	if ((rc = check_key(k)) < 0)
		goto out;
	/* Validated first, imported after: encrypting to it needs it here. */
	pki_key_release(k);
	if ((rc = pki_gpg_import(s->gpg, raw.ptr, raw.len, k)) == 0)
		rc = pki_gpg_export(s->gpg, k->fpr, armored);
out:
	pki_buf_release(&raw);
	return rc;
}

/* A role that keeps or receives inside the mission must be of the mission. */
static int check_role_type(const struct pki_principal *p)
{
	bool inside = p->type == PKI_TYPE_MISSION;

	if (p->role == PKI_ROLE_EXTERNAL && inside)
		return pki_error(PKI_EUSAGE, "an external principal's type is un, non-un or security-force");
	if ((p->role == PKI_ROLE_HOM || p->role == PKI_ROLE_CHAIR ||
	     p->role == PKI_ROLE_MEMBER || p->role == PKI_ROLE_UNDSS) && !inside)
		return pki_error(PKI_EUSAGE, "a %s principal's type is mission", pki_role_name(p->role));
	return 0;
}

/* Fill the fields not given from the existing row, when updating. */
static int merge_row(struct add *a, struct pki_principal *p, const struct pki_principal *old)
{
	size_t i;

	if (old == NULL) {
		for (i = 0; i < 4; i++)
			if (!a->has[i])
				return pki_error(PKI_EUSAGE, "a new principal needs %s", add_needs[i]);
		if (p->fpr[0] == '\0')
			return pki_error(PKI_EUSAGE, "a new principal needs --key");
		if (p->from_text == NULL) {
			/* From today, unless told. */
			pki_date_format(a->now, a->today);
			p->from = a->now - a->now % 86400;
			p->from_text = a->today;
		}
		if (p->until_text == NULL)
			p->until_text = (char *)"";
		return 0;
	}
	if (!a->has[0]) p->entity = old->entity;
	if (!a->has[1]) p->type = old->type;
	if (!a->has[2]) p->role = old->role;
	if (!a->has[3]) p->clearance = old->clearance;
	if (!a->has[4]) p->areas = old->areas;
	if (p->fpr[0] == '\0')
		memcpy(p->fpr, old->fpr, sizeof(p->fpr));
	if (p->from_text == NULL)
		p->from = old->from, p->from_text = old->from_text;
	if (p->until_text == NULL)
		p->until = old->until, p->until_text = old->until_text;
	return 0;
}

static int build_add(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		     struct pki_buf *msg, void *arg)
{
	struct add *a = arg;
	struct pki_principal row = a->p;	/* fresh on every try */
	const struct pki_principal *old, *owner;
	struct pki_buf out = PKI_BUF_INIT;
	char keypath[64];
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_policy_may_change_matrix(st->actor)) < 0)
		return rc;
	old = pki_matrix_find(&st->matrix, row.name);
	if ((rc = merge_row(a, &row, old)) < 0 || (rc = check_role_type(&row)) < 0)
		return rc;
	owner = pki_matrix_find_fpr(&st->matrix, row.fpr);
	if (owner != NULL && strcmp(owner->name, row.name) != 0)
		return pki_error(PKI_EDATA, "key %s already belongs to principal '%s'", row.fpr, owner->name);
	snprintf(keypath, sizeof(keypath), "keys/%s.asc", row.fpr);
	if ((rc = pki_matrix_put(&st->matrix, &row)) < 0 ||
	    (rc = pki_matrix_format(&st->matrix, &out)) < 0 ||
	    (rc = pki_txn_put(t, PKI_MATRIX_FILE, out.ptr, out.len)) < 0)
		goto out;
	if (a->keydata.len > 0 && (rc = pki_txn_put(t, keypath, a->keydata.ptr, a->keydata.len)) < 0)
		goto out;
	if ((rc = pki_msg_subject(msg, s->prog, old != NULL ? "update" : "add", row.name)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Action", old != NULL ? "matrix-update" : "matrix-add")) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Principal", row.name)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Role", pki_role_name(row.role))) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Clearance", pki_level_name(row.clearance))) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Fingerprint", row.fpr)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Actor", st->actor->name)) < 0)
		goto out;
out:
	pki_buf_release(&out);
	return rc;
}

static int parse_add(struct add *a, const char *name, const struct args *g)
{
	int rc = 0;

	a->p.name = (char *)name;
	a->has[0] = g->entity != NULL;
	a->has[1] = g->type != NULL;
	a->has[2] = g->role != NULL;
	a->has[3] = g->clearance != NULL;
	a->has[4] = g->areas != NULL;
	if ((rc = pki_check_principal("principal", name)) < 0 ||
	    (g->entity && (rc = pki_check_code("entity", g->entity)) < 0) ||
	    (g->type && (rc = pki_type_parse(g->type, &a->p.type)) < 0) ||
	    (g->role && (rc = pki_role_parse(g->role, &a->p.role)) < 0) ||
	    (g->clearance && (rc = pki_level_parse(g->clearance, &a->p.clearance)) < 0) ||
	    (g->areas && (rc = pki_check_areas("--areas", g->areas)) < 0) ||
	    (g->from && (rc = pki_time_parse("--from", g->from, &a->p.from)) < 0) ||
	    (g->until && (rc = pki_time_parse_until("--until", g->until, &a->p.until)) < 0))
		return rc;
	if (g->from != NULL && g->until != NULL && a->p.until <= a->p.from)
		return pki_error(PKI_EUSAGE, "--until must come after --from");
	a->p.entity = (char *)g->entity;
	a->p.areas = (char *)(g->areas != NULL ? g->areas : "");
	a->p.from_text = (char *)g->from;
	a->p.until_text = (char *)g->until;
	return 0;
}

static int cmd_add(struct pki_session *s, const char *name, const struct args *g)
{
	struct add a = { 0 };
	struct pki_key k = { 0 };
	int rc;

	if ((rc = parse_add(&a, name, g)) < 0)
		return rc;
	if (g->key != NULL) {
		if ((rc = read_key(s, g->key, &k, &a.keydata)) < 0 || (rc = check_key(&k)) < 0)
			goto out;
		memcpy(a.p.fpr, k.fpr, sizeof(a.p.fpr));
	}
	a.now = s->now;
	rc = pki_session_change(s, build_add, &a);
out:
	pki_key_release(&k);
	pki_buf_release(&a.keydata);
	return rc;
}

/* --- remove --- */

/* After the removal, someone must still be able to keep the matrix. */
static int keeps_a_keeper(const struct pki_matrix *m, time_t at)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (pki_principal_valid(&m->v[i], at) &&
		    (m->v[i].role == PKI_ROLE_HOM || m->v[i].role == PKI_ROLE_CHAIR))
			return 0;
	return pki_error(PKI_EPOLICY, "the access matrix must keep a valid Head of Mission "
			 "or Chair (policy 12.10)");
}

/* Every product the principal could read, re-encrypted without its key. */
static int unlist(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
		  const char *name, struct pki_buf *msg)
{
	struct pki_row tmpl = { 0 };
	char count[24];
	size_t n;
	int rc;

	tmpl.f[PKI_COL_ACTOR] = st->actor->name;
	tmpl.f[PKI_COL_AUTHORITY] = st->actor->role == PKI_ROLE_HOM ? "hom" : "custodian";
	tmpl.f[PKI_COL_JUSTIFICATION] = "principal removed from the access matrix";
	if ((rc = pki_product_revoke_all(t, s->gpg, &st->matrix, name, &tmpl, s->now, &n)) < 0)
		return rc;
	snprintf(count, sizeof(count), "%zu", n);
	return n > 0 ? pki_msg_trailer(msg, "Pki-Revoked", count) : 0;
}

static int build_remove(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			struct pki_buf *msg, void *arg)
{
	const char *name = arg;
	struct pki_principal *p;
	struct pki_buf out = PKI_BUF_INIT;
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_policy_may_change_matrix(st->actor)) < 0)
		return rc;
	if ((p = pki_matrix_find(&st->matrix, name)) == NULL)
		return pki_error(PKI_ENOINPUT, "no principal '%s' in the access matrix", name);
	if (!pki_principal_valid(p, s->now))
		return pki_error(PKI_EDATA, "principal '%s' is not valid now: nothing to remove", name);
	if ((rc = msg_subject_actor(msg, s, "remove", name, st)) < 0 ||
	    (rc = pki_principal_end(p, s->now)) < 0 ||
	    (rc = keeps_a_keeper(&st->matrix, s->now)) < 0 ||
	    (rc = pki_matrix_format(&st->matrix, &out)) < 0 ||
	    (rc = pki_txn_put(t, PKI_MATRIX_FILE, out.ptr, out.len)) < 0 ||
	    (rc = unlist(s, t, st, name, msg)) < 0)
		goto out;
out:
	pki_buf_release(&out);
	return rc;
}

/* --- delegate --- */

struct delegate {
	struct pki_delegation x;
	char id[16];
	char today[PKI_DATE_LEN];
};

static int new_delegation_id(char out[16])
{
	unsigned char r[5];
	size_t i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return pki_error_errno(PKI_EINTERNAL, "getrandom");
	memcpy(out, "DLG-", 4);
	for (i = 0; i < sizeof(r); i++)
		snprintf(out + 4 + 2 * i, 3, "%02x", r[i]);
	return 0;
}

static int build_delegate(struct pki_session *s, struct pki_txn *t, struct pki_state *st,
			  struct pki_buf *msg, void *arg)
{
	struct delegate *d = arg;
	const struct pki_principal *grantee;
	struct pki_buf out = PKI_BUF_INIT;
	int rc;

	if ((rc = pki_state_need_actor(st, s->key.fpr)) < 0 ||
	    (rc = pki_policy_may_delegate(st->actor, d->x.power)) < 0)
		return rc;
	grantee = pki_matrix_find(&st->matrix, d->x.grantee);
	if (grantee == NULL || !pki_principal_valid(grantee, s->now))
		return pki_error(PKI_EPOLICY, "'%s' is not a valid principal of the access matrix "
				 "(policy 9.8)", d->x.grantee);
	if (grantee->type != PKI_TYPE_MISSION)
		return pki_error(PKI_EPOLICY, "'%s' is outside the mission: authority is delegated "
				 "within it (policy 9.8)", d->x.grantee);
	if ((rc = new_delegation_id(d->id)) < 0)
		return rc;
	d->x.id = d->id;
	d->x.grantor = st->actor->name;
	if ((rc = pki_delegations_add(&st->delegations, &d->x)) < 0 ||
	    (rc = pki_delegations_format(&st->delegations, &out)) < 0 ||
	    (rc = pki_txn_put(t, PKI_DELEGATIONS_FILE, out.ptr, out.len)) < 0 ||
	    (rc = msg_subject_actor(msg, s, "delegate", d->id, st)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Grantee", d->x.grantee)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Power", pki_power_name(d->x.power))) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Scope", d->x.scope)) < 0 ||
	    (rc = pki_msg_trailer(msg, "Pki-Reference", d->x.reference)) < 0)
		goto out;
out:
	pki_buf_release(&out);
	return rc;
}

static int cmd_delegate(struct pki_session *s, const char *grantee, const struct args *g)
{
	struct delegate d = { 0 };
	int rc;

	if (g->power == NULL)
		return pki_error(PKI_EUSAGE, "a delegation needs --power");
	if (g->ref == NULL)
		return pki_error(PKI_EUSAGE, "a delegation needs --ref, the written instrument (policy 9.8)");
	d.x.grantee = (char *)grantee;
	d.x.scope = (char *)(g->scope != NULL ? g->scope : "*");
	d.x.reference = (char *)g->ref;
	if ((rc = pki_check_principal("grantee", grantee)) < 0 ||
	    (rc = pki_power_parse(g->power, &d.x.power)) < 0 ||
	    (rc = check_scope(d.x.scope)) < 0 ||
	    (rc = pki_check_text("--ref", g->ref, 256)) < 0 ||
	    (g->until != NULL && (rc = pki_time_parse_until("--until", g->until, &d.x.until)) < 0))
		return rc;
	if (*g->ref == '\0')
		return pki_error(PKI_EUSAGE, "--ref must name the written instrument");
	pki_date_format(s->now, d.today);
	d.x.from = s->now - s->now % 86400;
	d.x.from_text = d.today;
	d.x.until_text = (char *)(g->until != NULL ? g->until : "");
	if (d.x.until != 0 && d.x.until <= s->now)
		return pki_error(PKI_EUSAGE, "--until must be in the future");
	if ((rc = pki_session_change(s, build_delegate, &d)) == 0)
		printf("%s\n", d.id);
	return rc;
}

/* --- list --- */

static void list_text(const struct pki_matrix *m, time_t at, int all)
{
	size_t i;

	printf("%-12s %-8s %-14s %-8s %-21s %-24s %-10s %s\n", "PRINCIPAL", "ENTITY",
	       "TYPE", "ROLE", "CLEARANCE", "AREAS", "UNTIL", "FINGERPRINT");
	for (i = 0; i < m->n; i++) {
		const struct pki_principal *p = &m->v[i];

		if (!all && !pki_principal_valid(p, at))
			continue;
		printf("%-12s %-8s %-14s %-8s %-21s %-24s %-10s %s\n", p->name, p->entity,
		       pki_type_name(p->type), pki_role_name(p->role),
		       pki_level_name(p->clearance), *p->areas ? p->areas : "-",
		       *p->until_text ? p->until_text : "-", p->fpr);
	}
}

static int cmd_list(struct pki_session *s, const struct args *g)
{
	struct pki_state st = { 0 };
	struct pki_matrix shown = { 0 };
	struct pki_buf out = PKI_BUF_INIT;
	time_t at = s->now;
	size_t i;
	int rc, text = 0;

	if (g->format != NULL && strcmp(g->format, "text") == 0)
		text = 1;
	else if (g->format != NULL && strcmp(g->format, "csv") != 0)
		return pki_error(PKI_EUSAGE, "unknown format '%s' (csv, text)", g->format);
	if (g->at != NULL && (rc = pki_time_parse("--at", g->at, &at)) < 0)
		return rc;
	if ((rc = pki_state_load_repo(&st, s->repo, NULL, at)) < 0)
		return rc;
	if (text) {
		list_text(&st.matrix, at, g->all);
		goto out;
	}
	for (i = 0; i < st.matrix.n && rc == 0; i++)
		if (g->all || pki_principal_valid(&st.matrix.v[i], at))
			rc = pki_matrix_put(&shown, &st.matrix.v[i]);
	if (rc == 0 && (rc = pki_matrix_format(&shown, &out)) == 0)
		fwrite(out.ptr, 1, out.len, stdout);
out:
	pki_buf_release(&out);
	pki_matrix_release(&shown);
	pki_state_release(&st);
	return rc;
}

/* --- main --- */

static const struct option longopts[] = {
	PKI_CLI_LONG,
	{ "key", required_argument, NULL, OPT_KEY },
	{ "entity", required_argument, NULL, OPT_ENTITY },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "role", required_argument, NULL, OPT_ROLE },
	{ "clearance", required_argument, NULL, OPT_CLEARANCE },
	{ "areas", required_argument, NULL, OPT_AREAS },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "power", required_argument, NULL, OPT_POWER },
	{ "scope", required_argument, NULL, OPT_SCOPE },
	{ "ref", required_argument, NULL, OPT_REF },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "at", required_argument, NULL, OPT_AT },
	{ "all", no_argument, NULL, OPT_ALL },
	{ NULL, 0, NULL, 0 },
};

static void parse_options(struct pki_cli *cli, struct args *g, int argc, char **argv)
{
	const char **slot[] = {
		[OPT_KEY - OPT_KEY] = &g->key, [OPT_ENTITY - OPT_KEY] = &g->entity,
		[OPT_TYPE - OPT_KEY] = &g->type, [OPT_ROLE - OPT_KEY] = &g->role,
		[OPT_CLEARANCE - OPT_KEY] = &g->clearance, [OPT_AREAS - OPT_KEY] = &g->areas,
		[OPT_FROM - OPT_KEY] = &g->from, [OPT_UNTIL - OPT_KEY] = &g->until,
		[OPT_POWER - OPT_KEY] = &g->power, [OPT_SCOPE - OPT_KEY] = &g->scope,
		[OPT_REF - OPT_KEY] = &g->ref, [OPT_FORMAT - OPT_KEY] = &g->format,
		[OPT_AT - OPT_KEY] = &g->at,
	};
	int opt;

	while ((opt = pki_cli_getopt(cli, argc, argv, PKI_CLI_SHORT,
				     longopts)) != -1) {
		if (pki_cli_common(cli, opt, optarg))
			continue;
		if (opt == OPT_ALL)
			g->all = 1;
		else if (opt >= OPT_KEY && opt < OPT_ALL)
			*slot[opt - OPT_KEY] = optarg;
	}
}

/* Which options each subcommand takes; anything else is a usage error. */
static const char *stray_option(const char *cmd, const struct args *g)
{
	bool add = strcmp(cmd, "add") == 0, del = strcmp(cmd, "delegate") == 0;
	bool list = strcmp(cmd, "list") == 0;

	if (!add && (g->key || g->entity || g->type || g->role || g->clearance || g->areas || g->from))
		return "--key, --entity, --type, --role, --clearance, --areas and --from go with add";
	if (!add && !del && g->until)
		return "--until goes with add and delegate";
	if (!del && (g->power || g->scope || g->ref))
		return "--power, --scope and --ref go with delegate";
	if (!list && (g->format || g->at || g->all))
		return "--format, --at and --all go with list";
	return NULL;
}

int main(int argc, char **argv)
{
	struct pki_cli cli = { "pki-matrix", usage, NULL, NULL };
	struct args g = { 0 };
	struct pki_session s;
	const char *cmd, *stray;
	int rc, nargs, flags = PKI_SESSION_KEY;

	parse_options(&cli, &g, argc, argv);
	argc -= optind;
	argv += optind;
	if (argc < 1)
		pki_cli_usage_error(&cli, "a subcommand is required (add, remove, delegate, list)");
	cmd = argv[0];
	nargs = strcmp(cmd, "list") == 0 ? 1 : 2;
	if (strcmp(cmd, "add") != 0 && strcmp(cmd, "remove") != 0 &&
	    strcmp(cmd, "delegate") != 0 && strcmp(cmd, "list") != 0)
		pki_cli_usage_error(&cli, "unknown subcommand '%s'", cmd);
	if (argc != nargs)
		pki_cli_usage_error(&cli, nargs == 1 ? "list takes no arguments" :
				    "%s takes one name", cmd);
	if ((stray = stray_option(cmd, &g)) != NULL)
		pki_cli_usage_error(&cli, "%s", stray);
	if (strcmp(cmd, "list") == 0)
		flags = 0;	/* reading needs no key */
	rc = pki_session_open(&s, cli.prog, NULL, cli.key, flags);
	if (rc == 0) {
		if (strcmp(cmd, "add") == 0)
			rc = cmd_add(&s, argv[1], &g);
		else if (strcmp(cmd, "remove") == 0)
			rc = pki_check_principal("principal", argv[1]) < 0 ? -PKI_EUSAGE :
			     pki_session_change(&s, build_remove, argv[1]);
		else if (strcmp(cmd, "delegate") == 0)
			rc = cmd_delegate(&s, argv[1], &g);
		else
			rc = cmd_list(&s, &g);
	}
	rc = pki_report(cli.prog, rc);
	pki_session_close(&s);
	return pki_cli_exit(&cli, rc);
}
