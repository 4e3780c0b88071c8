/* report-out.c: pki-report as text for a terminal and as one CSV table
 * (section,key,value,label) for mlr and spreadsheets (pki-report(1)). */
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "error.h"
#include "report.h"
#include "vocab.h"
#include "xml-xslt.h"

#define KEY_WIDTH 32

static const char *value_of(const struct pki_report_item *it, char buf[32])
{
	if (it->text != NULL)
		return it->text;
	snprintf(buf, 32, "%lld", it->n);
	return buf;
}

/* The window as dates, both days included; "" for an open end. */
static void window(const struct pki_report *rep, char from[PKI_DATE_LEN],
		   char until[PKI_DATE_LEN])
{
	from[0] = until[0] = '\0';
	if (rep->since != 0)
		pki_date_format(rep->since, from);
	if (rep->until != 0)
		pki_date_format(rep->until - 1, until);
}

static int text_head(const struct pki_report *rep, struct pki_buf *out)
{
	char at[PKI_TIME_LEN], from[PKI_DATE_LEN], until[PKI_DATE_LEN];
	int rc;

	pki_time_format(rep->at, at);
	window(rep, from, until);
	if ((rc = pki_buf_printf(out, "%s%s%s%s: report", rep->mission,
				 rep->mission_name ? " (" : "",
				 rep->mission_name ? rep->mission_name : "",
				 rep->mission_name ? ")" : "")) < 0 ||
	    (rep->period[0] && (rc = pki_buf_printf(out, " for %s", rep->period)) < 0) ||
	    (rc = pki_buf_printf(out, ", %s to %s\n", from[0] ? from : "the beginning",
				 until[0] ? until : "now")) < 0)
		return rc;
	return pki_buf_printf(out, "made %s from commit %.12s%s\n", at,
			      rep->tip[0] ? rep->tip : "(none)",
			      rep->audited ? ", audited" : ", not audited");
}

int pki_report_text(const struct pki_report *rep, struct pki_buf *out)
{
	const struct pki_report_section *s;
	const struct pki_report_item *it;
	char buf[32];
	size_t i, k, w, len;
	int rc;

	if ((rc = text_head(rep, out)) < 0)
		return rc;
	/* One column of values down the page; a longer key pushes its own
	 * value right. */
	for (i = 0, w = 0; i < rep->ns; i++)
		for (k = 0; k < rep->s[i].n; k++)
			if ((len = strlen(rep->s[i].v[k].key)) > w)
				w = len;
	if (w > KEY_WIDTH)
		w = KEY_WIDTH;
	for (i = 0; i < rep->ns; i++) {
		s = &rep->s[i];
		if ((rc = pki_buf_printf(out, "\n%s\n", s->title)) < 0)
			return rc;
		if (s->n == 0 && (rc = pki_buf_adds(out, "  (none)\n")) < 0)
			return rc;
		for (k = 0; k < s->n; k++) {
			it = &s->v[k];
			if ((rc = pki_buf_printf(out, "  %-*s  %8s", (int)w, it->key,
						 it->text != NULL && it->text[0] == '\0' ? "-"
						 : value_of(it, buf))) < 0 ||
			    (it->label && (rc = pki_buf_printf(out, "  %s", it->label)) < 0) ||
			    (rc = pki_buf_adds(out, "\n")) < 0)
				return rc;
		}
	}
	return 0;
}

static int csv_line(struct pki_buf *out, const char *section, const char *key,
		    const char *value, const char *label)
{
	const char *f[4] = { section, key, value, label != NULL ? label : "" };

	return pki_csv_row(out, f, 4);
}

int pki_report_csv(const struct pki_report *rep, struct pki_buf *out)
{
	char at[PKI_TIME_LEN], from[PKI_TIME_LEN] = "", until[PKI_TIME_LEN] = "", buf[32];
	const struct pki_report_section *s;
	size_t i, k;
	int rc;

	pki_time_format(rep->at, at);
	if (rep->since != 0)
		pki_time_format(rep->since, from);
	if (rep->until != 0)
		pki_time_format(rep->until, until);
	if ((rc = csv_line(out, "section", "key", "value", "label")) < 0 ||
	    (rc = csv_line(out, "report", "mission", rep->mission, rep->mission_name)) < 0 ||
	    (rc = csv_line(out, "report", "made", at, NULL)) < 0 ||
	    (rc = csv_line(out, "report", "tip", rep->tip, NULL)) < 0 ||
	    (rc = csv_line(out, "report", "period", rep->period, NULL)) < 0 ||
	    (rc = csv_line(out, "report", "from", from, NULL)) < 0 ||
	    (rc = csv_line(out, "report", "until", until, NULL)) < 0)
		return rc;
	for (i = 0; i < rep->ns; i++) {
		s = &rep->s[i];
		for (k = 0; k < s->n; k++)
			if ((rc = csv_line(out, s->name, s->v[k].key, value_of(&s->v[k], buf),
					   s->v[k].label)) < 0)
				return rc;
	}
	return 0;
}

/* The XML through share/pki/report.xsl, checked against report.xsd on
 * the way: what xsltproc makes of pki-report --format xml. */
int pki_report_html(const struct pki_report *rep, struct pki_buf *out)
{
	struct pki_buf xml = PKI_BUF_INIT;
	int rc;

	if ((rc = pki_report_xml(rep, &xml)) == 0)
		rc = pki_xslt_apply("report.xsl", "report.xsd", xml.ptr, xml.len, out);
	pki_buf_release(&xml);
	return rc;
}
