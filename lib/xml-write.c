/* xml-write.c: a libxml2 text writer streaming into a pki sink. */
#include <string.h>

#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>

#include "error.h"
#include "xml-read.h"
#include "xml-write.h"

/* libxml2's error handlers are displaced around every call into it
 * (xml-read.h's guard): the library never prints. */

static int fail(const struct pki_xml_out *x)
{
	if (x->sink_rc < 0)
		return x->sink_rc;
	return pki_error(PKI_EINTERNAL, "%s: cannot write XML", x->what);
}

/* libxml2's output callbacks: the bytes go to the sink. */
static int to_sink(void *ctx, const char *data, int len)
{
	struct pki_xml_out *x = ctx;

	if (x->closing)
		return len;
	if ((x->sink_rc = x->sink->write(x->sink->ctx, data, (size_t)len)) < 0)
		return -1;
	return len;
}

static int no_close(void *ctx)
{
	return 0;
}

struct head {
	const char *root, *ns;
};

static int write_head(xmlTextWriterPtr w, const void *arg)
{
	const struct head *h = arg;

	if (xmlTextWriterSetIndent(w, 1) < 0 ||
	    xmlTextWriterSetIndentString(w, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElementNS(w, NULL, BAD_CAST h->root, BAD_CAST h->ns) < 0)
		return -1;
	return 0;
}

int pki_xml_out_begin(struct pki_xml_out *x, struct pki_sink *sink, const char *what,
		      const char *root, const char *ns)
{
	struct head h = { root, ns };
	xmlOutputBufferPtr ob;
	struct pki_xml_guard g;

	memset(x, 0, sizeof(*x));
	x->sink = sink;
	x->what = what;
	pki_xml_guard_begin(&g, what);
	/* A writer that was made owns the buffer; one that was not, not. */
	ob = xmlOutputBufferCreateIO(to_sink, no_close, x, NULL);
	if (ob != NULL && (x->w = xmlNewTextWriter(ob)) == NULL)
		xmlOutputBufferClose(ob);
	pki_xml_guard_end(&g);
	if (x->w == NULL)
		return pki_error(PKI_EINTERNAL, "%s: out of memory", what);
	return pki_xml_out_write(x, write_head, &h);
}

int pki_xml_out_write(struct pki_xml_out *x, pki_xml_fn fn, const void *arg)
{
	struct pki_xml_guard g;
	int rc;

	pki_xml_guard_begin(&g, x->what);
	rc = fn(x->w, arg);
	pki_xml_guard_end(&g);
	return rc < 0 ? fail(x) : 0;
}

static int write_end(xmlTextWriterPtr w, const void *arg)
{
	if (xmlTextWriterEndDocument(w) < 0 || xmlTextWriterFlush(w) < 0)
		return -1;
	return 0;
}

int pki_xml_out_end(struct pki_xml_out *x)
{
	return pki_xml_out_write(x, write_end, NULL);
}

void pki_xml_out_release(struct pki_xml_out *x)
{
	struct pki_xml_guard g;

	x->closing = true;
	pki_xml_guard_begin(&g, x->what);
	if (x->w != NULL)
		xmlFreeTextWriter(x->w);	/* closes the output buffer */
	pki_xml_guard_end(&g);
	x->w = NULL;
}

int pki_xml_element(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST value);
}

int pki_xml_element_attr(xmlTextWriterPtr w, const char *name, const char *attr,
			 const char *value, const char *text)
{
	if (xmlTextWriterStartElement(w, BAD_CAST name) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST attr, BAD_CAST value) < 0 ||
	    xmlTextWriterWriteString(w, BAD_CAST text) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}
