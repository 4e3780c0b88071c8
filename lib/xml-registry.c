/* xml-registry.c: the registry as XML (share/pki/registry.xsd), for
 * pki-register --format xml, written row by row into a sink through the
 * shared writer of xml-write.c. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "registry.h"
#include "xml-write.h"

struct pki_regxml {
	struct pki_xml_out out;
};

int pki_regxml_begin(struct pki_regxml **out, struct pki_sink *sink)
{
	struct pki_regxml *x;
	int rc;

	*out = NULL;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return pki_error(PKI_EINTERNAL, "registry: out of memory");
	if ((rc = pki_xml_out_begin(&x->out, sink, "registry", "registry",
				    PKI_REGISTRY_NS)) < 0) {
		pki_regxml_free(x);
		return rc;
	}
	*out = x;
	return 0;
}

/* A distribution list, "a;b;c": one <recipient> per principal. */
static int write_list(xmlTextWriterPtr w, const char *name, const char *list)
{
	const char *p;
	size_t n;

	for (p = list;; p += n + 1) {
		n = strcspn(p, ";");
		if (xmlTextWriterStartElement(w, BAD_CAST name) < 0 ||
		    xmlTextWriterWriteFormatString(w, "%.*s", (int)n, p) < 0 ||
		    xmlTextWriterEndElement(w) < 0)
			return -1;
		if (p[n] == '\0')
			return 0;
	}
}

/* <event id="..."> with a child per column that has a value. */
static int write_event(xmlTextWriterPtr w, const void *arg)
{
	const char *const *f = arg;
	const char *name;
	size_t i;
	int rc;

	if (xmlTextWriterStartElement(w, BAD_CAST "event") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST f[PKI_COL_EVENT]) < 0)
		return -1;
	for (i = PKI_COL_TIME; i < PKI_REGISTRY_NCOLS; i++) {
		name = pki_registry_header[i];
		if (f[i][0] == '\0')
			continue;
		rc = i == PKI_COL_RECIPIENT ? write_list(w, name, f[i]) :
			pki_xml_element(w, name, f[i]);
		if (rc < 0)
			return -1;
	}
	return xmlTextWriterEndElement(w);
}

int pki_regxml_row(struct pki_regxml *x, const char *const *fields)
{
	return pki_xml_out_write(&x->out, write_event, fields);
}

int pki_regxml_end(struct pki_regxml *x)
{
	return pki_xml_out_end(&x->out);
}

void pki_regxml_free(struct pki_regxml *x)
{
	if (x == NULL)
		return;
	pki_xml_out_release(&x->out);
	free(x);
}
