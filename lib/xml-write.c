/* xml-write.c: a libxml2 text writer streaming into a pki sink. */
#include <string.h>

#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>

#include "error.h"
#include "xml-write.h"

/* The structured error callback lost its const in 2.9 (NOTES.md). */
#if LIBXML_VERSION >= 21200
typedef const xmlError xml_error;
#else
typedef xmlError xml_error;
#endif

/* The handlers displaced for one call (libxml2 keeps them per thread). */
struct quiet {
	xmlStructuredErrorFunc serror;
	void *sctx;
	xmlGenericErrorFunc gerror;
	void *gctx;
};

static void ignore_structured(void *ctx, xml_error *e)
{
}

static void ignore_generic(void *ctx, const char *fmt, ...)
{
}

static void quiet_begin(struct quiet *q)
{
	xmlInitParser();
	q->serror = xmlStructuredError;
	q->sctx = xmlStructuredErrorContext;
	q->gerror = xmlGenericError;
	q->gctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(NULL, ignore_structured);
	xmlSetGenericErrorFunc(NULL, ignore_generic);
}

static void quiet_end(const struct quiet *q)
{
	xmlSetStructuredErrorFunc(q->sctx, q->serror);
	xmlSetGenericErrorFunc(q->gctx, q->gerror);
}

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
	struct quiet q;

	memset(x, 0, sizeof(*x));
	x->sink = sink;
	x->what = what;
	quiet_begin(&q);
	/* A writer that was made owns the buffer; one that was not, not. */
	ob = xmlOutputBufferCreateIO(to_sink, no_close, x, NULL);
	if (ob != NULL && (x->w = xmlNewTextWriter(ob)) == NULL)
		xmlOutputBufferClose(ob);
	quiet_end(&q);
	if (x->w == NULL)
		return pki_error(PKI_EINTERNAL, "%s: out of memory", what);
	return pki_xml_out_write(x, write_head, &h);
}

int pki_xml_out_write(struct pki_xml_out *x, pki_xml_fn fn, const void *arg)
{
	struct quiet q;
	int rc;

	quiet_begin(&q);
	rc = fn(x->w, arg);
	quiet_end(&q);
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
	struct quiet q;

	x->closing = true;
	quiet_begin(&q);
	if (x->w != NULL)
		xmlFreeTextWriter(x->w);	/* closes the output buffer */
	quiet_end(&q);
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
