/* xml-transfer.c: the transfer list of a transfer to the UN Archives
 * (share/pki/transfer.xsd), written record by record as the bag fills,
 * straight into a bag file: no copy of the whole list is ever held.
 */
#include <stdlib.h>

#include "archive.h"
#include "error.h"
#include "xml-write.h"

#define POLICY_AUTHORITY "DPO Policy on Peacekeeping-Intelligence (2019), paragraph 11.5.1"

struct pki_xfer {
	struct pki_xml_out out;
	bool in_documents;	/* the records are closed */
};

static int element_time(xmlTextWriterPtr w, const char *name, time_t t)
{
	char s[PKI_TIME_LEN];

	pki_time_format(t, s);
	return pki_xml_element(w, name, s);
}

static int write_head(xmlTextWriterPtr w, const void *arg)
{
	const struct pki_xfer_head *h = arg;

	if (pki_xml_element(w, "id", h->id) < 0 ||
	    pki_xml_element_attr(w, "mission", "code", h->mission,
				 h->mission_name != NULL ? h->mission_name : h->mission) < 0)
		return -1;
	if (h->period != NULL ? pki_xml_element(w, "period", h->period) < 0 :
	    (xmlTextWriterStartElement(w, BAD_CAST "final") < 0 ||
	     xmlTextWriterEndElement(w) < 0))
		return -1;
	if (element_time(w, "from", h->from) < 0 ||
	    element_time(w, "until", h->until) < 0 ||
	    element_time(w, "date", h->date) < 0 ||
	    pki_xml_element(w, "transferred-by", h->actor) < 0 ||
	    pki_xml_element(w, "recipient", h->archives) < 0 ||
	    pki_xml_element(w, "authority", POLICY_AUTHORITY) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "records") < 0 ||
	    xmlTextWriterWriteFormatAttribute(w, BAD_CAST "count", "%zu", h->nrecords) < 0)
		return -1;
	return 0;
}

int pki_xfer_begin(struct pki_xfer **out, struct pki_sink *sink,
		   const struct pki_xfer_head *h)
{
	struct pki_xfer *x;
	int rc;

	*out = NULL;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return pki_error_errno(PKI_EINTERNAL, "transfer list");
	if ((rc = pki_xml_out_begin(&x->out, sink, "transfer list", "transfer",
				    PKI_TRANSFER_NS)) < 0 ||
	    (rc = pki_xml_out_write(&x->out, write_head, h)) < 0) {
		pki_xfer_free(x);
		return rc;
	}
	*out = x;
	return 0;
}

static int write_record(xmlTextWriterPtr w, const void *arg)
{
	const struct pki_xfer_record *r = arg;
	char criterion[2] = { r->criterion, '\0' };
	char last[PKI_TIME_LEN];

	pki_time_format(r->last_time, last);
	if (xmlTextWriterStartElement(w, BAD_CAST "record") < 0 ||
	    pki_xml_element(w, "id", r->id) < 0 ||
	    pki_xml_element(w, "kind", pki_kind_name(r->kind)) < 0 ||
	    pki_xml_element(w, "classification", pki_level_name(r->level)) < 0 ||
	    (r->criterion != 0 && pki_xml_element(w, "criterion", criterion) < 0) ||
	    pki_xml_element_attr(w, "originator", "type", r->external ? "external" : "principal",
				 r->originator) < 0 ||
	    element_time(w, "created", r->created) < 0 ||
	    pki_xml_element_attr(w, "last-action", "time", last, r->last_action) < 0 ||
	    pki_xml_element(w, "retention", r->retention != NULL ? r->retention : "permanent") < 0 ||
	    (r->disposed != 0 && element_time(w, "disposed", r->disposed) < 0) ||
	    (r->ciphertext != NULL &&
	     pki_xml_element_attr(w, "ciphertext", "sha256", r->ct_sha256, r->ciphertext) < 0) ||
	    pki_xml_element_attr(w, "label", "sha256", r->label_sha256, r->label) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

int pki_xfer_record(struct pki_xfer *x, const struct pki_xfer_record *r)
{
	if (x->in_documents)
		return pki_error(PKI_EINTERNAL, "transfer list: a record after the documents");
	return pki_xml_out_write(&x->out, write_record, r);
}

/* After the records, the documents. */
static int write_documents(xmlTextWriterPtr w, const void *arg)
{
	if (xmlTextWriterEndElement(w) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "documents") < 0)
		return -1;
	return 0;
}

static int write_doc(xmlTextWriterPtr w, const void *arg)
{
	const struct pki_xfer_doc *d = arg;

	if (xmlTextWriterStartElement(w, BAD_CAST "document") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "kind", BAD_CAST d->kind) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "retention", BAD_CAST "permanent") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "sha256", BAD_CAST d->sha256) < 0 ||
	    xmlTextWriterWriteString(w, BAD_CAST d->path) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

static int documents(struct pki_xfer *x)
{
	int rc;

	if (x->in_documents)
		return 0;
	if ((rc = pki_xml_out_write(&x->out, write_documents, NULL)) == 0)
		x->in_documents = true;
	return rc;
}

int pki_xfer_doc(struct pki_xfer *x, const struct pki_xfer_doc *d)
{
	int rc;

	if ((rc = documents(x)) < 0)
		return rc;
	return pki_xml_out_write(&x->out, write_doc, d);
}

int pki_xfer_end(struct pki_xfer *x)
{
	int rc;

	if ((rc = documents(x)) < 0)
		return rc;
	return pki_xml_out_end(&x->out);
}

void pki_xfer_free(struct pki_xfer *x)
{
	if (x == NULL)
		return;
	pki_xml_out_release(&x->out);
	free(x);
}
