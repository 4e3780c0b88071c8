/* xml-audit.c: the audit's findings as XML (share/pki/audit.xsd), for
 * pki-audit --format xml, through the shared writer of xml-write.c.
 * audit.c has already made every object and message valid UTF-8 without
 * control characters, so the document is always well-formed.
 */
#include "audit.h"
#include "error.h"
#include "vocab.h"
#include "xml-write.h"

static int attr_count(xmlTextWriterPtr w, const char *name, size_t n)
{
	return xmlTextWriterWriteFormatAttribute(w, BAD_CAST name, "%zu", n);
}

/* The root's attributes: what was audited, and how it went. */
static int write_summary(xmlTextWriterPtr w, const void *arg)
{
	const struct pki_audit *a = arg;
	char at[PKI_TIME_LEN];

	pki_time_format(a->at, at);
	if (xmlTextWriterWriteAttribute(w, BAD_CAST "tip", BAD_CAST a->tip) < 0 ||
	    (a->since[0] != '\0' &&
	     xmlTextWriterWriteAttribute(w, BAD_CAST "since", BAD_CAST a->since) < 0) ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "at", BAD_CAST at) < 0 ||
	    attr_count(w, "commits", a->commits) < 0 ||
	    attr_count(w, "products", a->products) < 0 ||
	    attr_count(w, "rows", a->rows) < 0 ||
	    attr_count(w, "errors", a->count[PKI_SEV_ERROR]) < 0 ||
	    attr_count(w, "warnings", a->count[PKI_SEV_WARNING]) < 0 ||
	    attr_count(w, "infos", a->count[PKI_SEV_INFO]) < 0)
		return -1;
	return 0;
}

static int write_finding(xmlTextWriterPtr w, const void *arg)
{
	const struct pki_finding *f = arg;

	if (xmlTextWriterStartElement(w, BAD_CAST "finding") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "severity",
		BAD_CAST pki_severity_name(pki_audit_severity(f->check))) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "code", BAD_CAST pki_audit_code(f->check)) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST pki_audit_name(f->check)) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "object", BAD_CAST f->object) < 0 ||
	    xmlTextWriterWriteString(w, BAD_CAST f->message) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

int pki_audit_xml(const struct pki_audit *a, struct pki_buf *out)
{
	struct pki_sink sink = { pki_sink_buf, out };
	struct pki_xml_out x;
	size_t i;
	int rc;

	if ((rc = pki_xml_out_begin(&x, &sink, "audit", "audit", PKI_AUDIT_NS)) == 0 &&
	    (rc = pki_xml_out_write(&x, write_summary, a)) == 0) {
		for (i = 0; i < a->n && rc == 0; i++)
			rc = pki_xml_out_write(&x, write_finding, &a->v[i]);
		if (rc == 0)
			rc = pki_xml_out_end(&x);
	}
	pki_xml_out_release(&x);
	return rc;
}
