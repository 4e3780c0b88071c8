/* xml-write.h: a libxml2 text writer streaming into a pki sink, for the
 * files that write XML documents (xml-*.c; libxml2 is used only in xml-*.c
 * and label.c).  libxml2's error handlers are displaced around every call
 * (xml-read.h's guard): the library never prints, and a failure is a pki
 * error. */
#ifndef PKI_XML_WRITE_H
#define PKI_XML_WRITE_H

#include <stdbool.h>
#include <libxml/xmlwriter.h>

#include "buf.h"

struct pki_xml_out {
	xmlTextWriterPtr w;
	struct pki_sink *sink;
	const char *what;	/* "transfer list": the subject of messages */
	int sink_rc;		/* the sink's own error, kept for the report */
	bool closing;		/* being freed: the sink may be gone */
};

/*
 * Start an indented UTF-8 document whose root element is root in
 * namespace ns.  The struct must stay where it is until released: the
 * writer's output callback points at it.
 */
int pki_xml_out_begin(struct pki_xml_out *x, struct pki_sink *sink, const char *what,
		      const char *root, const char *ns);

/* Run fn on the writer, silenced; its failure (< 0) becomes a pki error. */
typedef int (*pki_xml_fn)(xmlTextWriterPtr w, const void *arg);
int pki_xml_out_write(struct pki_xml_out *x, pki_xml_fn fn, const void *arg);

/* Close every open element and flush into the sink. */
int pki_xml_out_end(struct pki_xml_out *x);
void pki_xml_out_release(struct pki_xml_out *x);

/* <name>value</name> and <name attr="value">text</name>: < 0 on failure. */
int pki_xml_element(xmlTextWriterPtr w, const char *name, const char *value);
int pki_xml_element_attr(xmlTextWriterPtr w, const char *name, const char *attr,
			 const char *value, const char *text);

#endif
