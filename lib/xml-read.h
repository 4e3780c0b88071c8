/* xml-read.h: XML from outside, read as hostile, checked against a schema. */
#ifndef PKI_XML_READ_H
#define PKI_XML_READ_H

#include <stddef.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

/*
 * Parse data and validate it against share/pki/<schema> ("label.xsd",
 * "transfer.xsd", "audit.xsd", "registry.xsd"; see pki_share_path): no
 * DTD, no network, no entity expansion, bounded depth.  -PKI_EDATA with
 * the first reason, prefixed by what ("label"); -PKI_ECONFIG when the
 * schema cannot be loaded.  The document is the caller's to xmlFreeDoc.
 * schema NULL: well-formed and bounded only, for a reader of thousands of
 * documents that a validating reader (pki-audit) judges anyway.
 */
int pki_xml_read(xmlDoc **out, const char *what, const char *schema, const char *data,
		 size_t len);

/*
 * The errors of one libxml2 call, and the handlers it displaced (libxml2
 * keeps them per thread; _end puts them back): between _begin and _end
 * libxml2 prints nothing, and _fail makes its first error, prefixed by
 * what, the pki error (fallback when it said nothing).
 */
struct pki_xml_guard {
	const char *what;
	int line;
	char msg[256];
	xmlStructuredErrorFunc old_serror;
	void *old_sctx;
	xmlGenericErrorFunc old_gerror;
	void *old_gctx;
};
void pki_xml_guard_begin(struct pki_xml_guard *g, const char *what);
void pki_xml_guard_end(struct pki_xml_guard *g);
int pki_xml_guard_fail(const struct pki_xml_guard *g, int code, const char *fallback);

/* The same, for a yes or no; messages speak as the schema's name. */
int pki_xml_validate(const char *schema, const char *data, size_t len);

#endif
