/* matrix-list.c: the access matrix as pki-matrix list shows it. */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "matrix-list.h"
#include "matrix.h"
#include "session.h"

#define ROW_FORMAT "%-12s %-8s %-14s %-8s %-21s %-24s %-10s %-40s %s\n"

/* The grantee of a successor delegation from name (pki-matrix succeed);
 * NULL when none. */
static const char *successor_of(const struct pki_delegations *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->v[i].grantor, name) == 0 && d->v[i].power == PKI_POWER_SUCCESSOR)
			return d->v[i].grantee;
	return NULL;
}

/* NOTE: "ended" for a principal whose validity has ended at `at`, and
 * "succeeded by NEW" for one with a successor; "-" otherwise. */
static int list_text(const struct pki_matrix *m, const struct pki_delegations *d, time_t at,
		     bool all, struct pki_buf *out)
{
	const char *next;
	char note[128];
	size_t i;
	int rc;

	rc = pki_buf_printf(out, ROW_FORMAT, "PRINCIPAL", "ENTITY", "TYPE", "ROLE", "CLEARANCE",
			    "AREAS", "UNTIL", "FINGERPRINT", "NOTE");
	for (i = 0; i < m->n && rc == 0; i++) {
		const struct pki_principal *p = &m->v[i];
		bool ended = p->until != 0 && p->until <= at;

		if (!all && !pki_principal_valid(p, at))
			continue;
		next = successor_of(d, p->name);
		snprintf(note, sizeof(note), "%s%s%s%s", ended ? "ended" : "",
			 ended && next != NULL ? ", " : "", next != NULL ? "succeeded by " : "",
			 next != NULL ? next : "");
		rc = pki_buf_printf(out, ROW_FORMAT, p->name, p->entity, pki_type_name(p->type),
				    pki_role_name(p->role), pki_level_name(p->clearance),
				    *p->areas ? p->areas : "-",
				    *p->until_text ? p->until_text : "-", p->fpr, *note ? note : "-");
	}
	return rc;
}

static int list_csv(const struct pki_matrix *m, time_t at, bool all, struct pki_buf *out)
{
	struct pki_matrix shown = { 0 };
	size_t i;
	int rc = 0;

	for (i = 0; i < m->n && rc == 0; i++)
		if (all || pki_principal_valid(&m->v[i], at))
			rc = pki_matrix_put(&shown, &m->v[i]);
	if (rc == 0)
		rc = pki_matrix_format(&shown, out);
	pki_matrix_release(&shown);
	return rc;
}

int pki_matrix_list(struct pki_session *s, const char *format, const char *at_text, bool all,
		    struct pki_buf *out)
{
	struct pki_state st = { 0 };
	time_t at = s->now;
	bool text = format != NULL && strcmp(format, "text") == 0;
	int rc;

	if (format != NULL && !text && strcmp(format, "csv") != 0)
		return pki_error(PKI_EUSAGE, "unknown format '%s' (csv, text)", format);
	if (at_text != NULL && (rc = pki_time_parse("--at", at_text, &at)) < 0)
		return rc;
	if ((rc = pki_state_load_repo(&st, s->repo, NULL, at)) < 0)
		return rc;
	rc = text ? list_text(&st.matrix, &st.delegations, at, all, out) :
		    list_csv(&st.matrix, at, all, out);
	pki_state_release(&st);
	return rc;
}
