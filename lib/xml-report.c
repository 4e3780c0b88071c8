/* xml-report.c: pki-report as XML (share/pki/report.xsd), through the
 * shared writer of xml-write.c: the root says what the report covers,
 * then one <section> per section and one <item> per item.  Keys and
 * labels come from tables the readers checked (valid UTF-8, no control
 * characters), so the document is always well-formed.
 */
#include <stdio.h>

#include "error.h"
#include "report.h"
#include "vocab.h"
#include "xml-write.h"

static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST value);
}

static int write_head(xmlTextWriterPtr w, const void *arg)
{
	const struct pki_report *rep = arg;
	char at[PKI_TIME_LEN], from[PKI_TIME_LEN], until[PKI_TIME_LEN];

	pki_time_format(rep->at, at);
	pki_time_format(rep->since, from);
	pki_time_format(rep->until, until);
	if (attr(w, "mission", rep->mission) < 0 ||
	    (rep->mission_name && attr(w, "mission-name", rep->mission_name) < 0) ||
	    attr(w, "made", at) < 0 ||
	    (rep->tip[0] && attr(w, "tip", rep->tip) < 0) ||
	    (rep->period[0] && attr(w, "period", rep->period) < 0) ||
	    (rep->since != 0 && attr(w, "from", from) < 0) ||
	    (rep->until != 0 && attr(w, "until", until) < 0) ||
	    attr(w, "audited", rep->audited ? "true" : "false") < 0)
		return -1;
	return 0;
}

static int write_section(xmlTextWriterPtr w, const void *arg)
{
	const struct pki_report_section *s = arg;
	const struct pki_report_item *it;
	size_t k;

	if (xmlTextWriterStartElement(w, BAD_CAST "section") < 0 ||
	    attr(w, "name", s->name) < 0 || attr(w, "title", s->title) < 0)
		return -1;
	for (k = 0; k < s->n; k++) {
		it = &s->v[k];
		if (xmlTextWriterStartElement(w, BAD_CAST "item") < 0 ||
		    attr(w, "key", it->key) < 0 ||
		    (it->label && attr(w, "label", it->label) < 0) ||
		    (it->text != NULL ? xmlTextWriterWriteString(w, BAD_CAST it->text)
				      : xmlTextWriterWriteFormatString(w, "%lld", it->n)) < 0 ||
		    xmlTextWriterEndElement(w) < 0)
			return -1;
	}
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

int pki_report_xml(const struct pki_report *rep, struct pki_buf *out)
{
	struct pki_sink sink = { pki_sink_buf, out };
	struct pki_xml_out x;
	size_t i;
	int rc;

	if ((rc = pki_xml_out_begin(&x, &sink, "report", "report", PKI_REPORT_NS)) == 0 &&
	    (rc = pki_xml_out_write(&x, write_head, rep)) == 0) {
		for (i = 0; i < rep->ns && rc == 0; i++)
			rc = pki_xml_out_write(&x, write_section, &rep->s[i]);
		if (rc == 0)
			rc = pki_xml_out_end(&x);
	}
	pki_xml_out_release(&x);
	return rc;
}
