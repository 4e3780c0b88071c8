/* xml-read.c: XML from outside, read as hostile (libxml2).
 *
 * Labels, transfer lists and audit reports come from any clone that was
 * ever pushed to: bounded size, no network, no DTD at all (a DOCTYPE is
 * refused as soon as it is seen, before any entity can be declared, let
 * alone expanded), bounded depth, then the schema.  libxml2 never prints:
 * its errors are caught for the duration of each call and the first one
 * becomes the pki error message.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "error.h"
#include "paths.h"
#include "xml-read.h"

/* Our documents are a few levels deep; anything deeper is an attack. */
#define XML_DEPTH_MAX 16

/* The structured error callback takes a non-const error in 2.9 (const from 2.12). */
#if LIBXML_VERSION >= 21200
typedef const xmlError xml_error;
#else
typedef xmlError xml_error;
#endif

/* Does a sentence start at p ("Element 'id': The value")? */
static bool sentence(const char *start, const char *p)
{
	return isupper((unsigned char)p[0]) && islower((unsigned char)p[1]) &&
	       (p == start || (p - start >= 2 && p[-1] == ' ' &&
			       (p[-2] == ':' || p[-2] == ']')));
}

/* Copy a libxml2 message as a pki one: one line, lowercase, no full stop,
 * and "'{urn:x-pki:label:1}id'" shortened to "'id'". */
static void tidy(char *dst, size_t size, const char *src)
{
	const char *start = src, *end;
	size_t n = 0;

	while (*src != '\0' && n + 1 < size) {
		if (src[0] == '\'' && src[1] == '{' &&
		    (end = strchr(src, '}')) != NULL) {
			dst[n++] = '\'';
			src = end + 1;
			continue;
		}
		/* Values from the document are echoed: no C0 or C1 control
		 * (U+009B is a terminal CSI) reaches the user's terminal. */
		if ((unsigned char)src[0] == 0xc2 && (unsigned char)src[1] >= 0x80 &&
		    (unsigned char)src[1] <= 0x9f) {
			dst[n++] = '?';
			src += 2;
			continue;
		}
		if (sentence(start, src))
			dst[n++] = (char)tolower((unsigned char)*src);
		else
			dst[n++] = iscntrl((unsigned char)*src) ? ' ' : *src;
		src++;
	}
	/* Cut short: never end inside a UTF-8 sequence. */
	if (*src != '\0') {
		while (n > 0 && ((unsigned char)dst[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0 && (unsigned char)dst[n - 1] >= 0xc0)
			n--;
	}
	while (n > 0 && (dst[n - 1] == ' ' || dst[n - 1] == '.'))
		n--;
	dst[n] = '\0';
}

static void note(struct pki_xml_guard *g, int line, const char *msg)
{
	if (g->msg[0] != '\0')
		return;
	g->line = line;
	tidy(g->msg, sizeof(g->msg), msg);
}

static void on_error(void *ctx, xml_error *e)
{
	if (e->level >= XML_ERR_ERROR)
		note(ctx, e->line, e->message != NULL ? e->message : "error");
}

/* Unstructured messages arrive in pieces; the structured one says it. */
static void on_generic(void *ctx, const char *fmt, ...)
{
}

void pki_xml_guard_begin(struct pki_xml_guard *g, const char *what)
{
	memset(g, 0, sizeof(*g));
	g->what = what;
	xmlInitParser();
	g->old_serror = xmlStructuredError;
	g->old_sctx = xmlStructuredErrorContext;
	g->old_gerror = xmlGenericError;
	g->old_gctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(g, on_error);
	xmlSetGenericErrorFunc(g, on_generic);
}

void pki_xml_guard_end(struct pki_xml_guard *g)
{
	xmlSetStructuredErrorFunc(g->old_sctx, g->old_serror);
	xmlSetGenericErrorFunc(g->old_gctx, g->old_gerror);
}

int pki_xml_guard_fail(const struct pki_xml_guard *g, int code, const char *fallback)
{
	if (g->msg[0] == '\0')
		return pki_error(code, "%s: %s", g->what, fallback);
	if (g->line > 0)
		return pki_error(code, "%s: line %d: %s", g->what, g->line, g->msg);
	return pki_error(code, "%s: %s", g->what, g->msg);
}

/* SAX hooks: refuse a DOCTYPE before its declarations are read, and stop
 * at the depth bound while parsing rather than after. */
static void refuse_doctype(void *ctx, const xmlChar *name,
			   const xmlChar *external, const xmlChar *system)
{
	xmlParserCtxtPtr p = ctx;

	note(p->_private, p->input != NULL ? p->input->line : 0,
	     "a DOCTYPE is not allowed");
	xmlStopParser(p);
}

static void bounded_start(void *ctx, const xmlChar *name, const xmlChar *prefix,
			  const xmlChar *uri, int nns, const xmlChar **ns,
			  int nattr, int ndefaulted, const xmlChar **attr)
{
	xmlParserCtxtPtr p = ctx;

	/* nameNr counts the open ancestors of this element. */
	if (p->nameNr >= XML_DEPTH_MAX) {
		note(p->_private, p->input != NULL ? p->input->line : 0,
		     "elements nested too deep");
		xmlStopParser(p);
		return;
	}
	xmlSAX2StartElementNs(ctx, name, prefix, uri, nns, ns, nattr,
			      ndefaulted, attr);
}

static int read_doc(xmlDoc **out, struct pki_xml_guard *g, const char *data,
		    size_t len)
{
	xmlParserCtxtPtr p;
	xmlDoc *doc;

	*out = NULL;
	if (len > INT_MAX)
		return pki_error(PKI_EDATA, "%s: document too large", g->what);
	/* libxml2 would take a NUL for the end and ignore what follows. */
	if (memchr(data, '\0', len) != NULL)
		return pki_error(PKI_EDATA, "%s: contains a NUL byte", g->what);
	if ((p = xmlNewParserCtxt()) == NULL)
		return pki_error(PKI_EINTERNAL, "%s: out of memory", g->what);
	p->_private = g;
	p->sax->internalSubset = refuse_doctype;
	p->sax->startElementNs = bounded_start;
	/* Never XML_PARSE_NOENT, DTDLOAD or HUGE: no entities, no fetching,
	 * libxml2's own limits stay on. */
	doc = xmlCtxtReadMemory(p, data, (int)len, NULL, NULL, XML_PARSE_NONET);
	if (doc == NULL || !p->wellFormed || g->msg[0] != '\0') {
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(p);
		return pki_xml_guard_fail(g, PKI_EDATA, "not well-formed XML");
	}
	xmlFreeParserCtxt(p);
	*out = doc;
	return 0;
}

/*
 * Each thread keeps the schemas it parsed, by path: parsing label.xsd
 * was three quarters of validating a label (callgrind: 1.2 M of 1.6 M
 * instructions), which an audit of 10,000 commits did 10,000 times.  Per
 * thread, so that no state is shared between threads; a parsed schema
 * is only read by validation.  A schema that fails to parse is not kept.
 */
#define SCHEMA_CACHE 4
static _Thread_local struct {
	char *path;
	xmlSchemaPtr s;
} schemas[SCHEMA_CACHE];

static int schema_load(struct pki_xml_guard *g, const char *schema, xmlSchemaPtr *out)
{
	struct pki_buf path = PKI_BUF_INIT;
	xmlSchemaParserCtxtPtr pc = NULL;
	xmlSchemaPtr s = NULL;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = pki_share_path(schema, &path)) < 0)
		goto out;
	for (i = 0; i < SCHEMA_CACHE && schemas[i].path != NULL; i++)
		if (strcmp(schemas[i].path, path.ptr) == 0) {
			*out = schemas[i].s;
			goto out;
		}
	if ((pc = xmlSchemaNewParserCtxt(path.ptr)) == NULL) {
		rc = pki_error(PKI_EINTERNAL, "%s: out of memory", g->what);
		goto out;
	}
	xmlSchemaSetParserStructuredErrors(pc, on_error, g);
	if ((s = xmlSchemaParse(pc)) == NULL) {
		rc = pki_error(PKI_ECONFIG, "cannot load schema '%s': %s",
			       path.ptr, g->msg[0] != '\0' ? g->msg : "unknown error");
		goto out;
	}
	*out = s;
	/* Kept when there is room; else freed by validate. */
	if (i < SCHEMA_CACHE && (schemas[i].path = strdup(path.ptr)) != NULL) {
		schemas[i].s = s;
		s = NULL;
	}
out:
	xmlSchemaFreeParserCtxt(pc);
	pki_buf_release(&path);
	return rc < 0 ? rc : s != NULL;
}

static int validate(struct pki_xml_guard *g, const char *schema, xmlDoc *doc)
{
	xmlSchemaPtr s = NULL;
	xmlSchemaValidCtxtPtr vc = NULL;
	int rc, own;

	if ((rc = own = schema_load(g, schema, &s)) < 0)
		return rc;
	rc = 0;
	if ((vc = xmlSchemaNewValidCtxt(s)) == NULL) {
		rc = pki_error(PKI_EINTERNAL, "%s: out of memory", g->what);
		goto out;
	}
	xmlSchemaSetValidStructuredErrors(vc, on_error, g);
	/* Invalid is a positive code (not 1), an internal error -1. */
	if (xmlSchemaValidateDoc(vc, doc) != 0)
		rc = pki_xml_guard_fail(g, PKI_EDATA, "not valid");
out:
	xmlSchemaFreeValidCtxt(vc);
	if (own)
		xmlSchemaFree(s);
	return rc;
}

int pki_xml_validate(const char *schema, const char *data, size_t len)
{
	struct pki_xml_guard g;
	char what[64];
	xmlDoc *doc = NULL;
	int rc;

	/* "transfer.xsd" speaks as "transfer". */
	snprintf(what, sizeof(what), "%.*s", (int)strcspn(schema, "."), schema);
	pki_xml_guard_begin(&g, what);
	if ((rc = read_doc(&doc, &g, data, len)) == 0)
		rc = validate(&g, schema, doc);
	xmlFreeDoc(doc);
	pki_xml_guard_end(&g);
	return rc;
}

int pki_xml_read(xmlDoc **out, const char *what, const char *schema, const char *data,
		 size_t len)
{
	struct pki_xml_guard g;
	xmlDoc *doc = NULL;
	int rc;

	*out = NULL;
	pki_xml_guard_begin(&g, what);
	if ((rc = read_doc(&doc, &g, data, len)) == 0 &&
	    (schema == NULL || (rc = validate(&g, schema, doc)) == 0)) {
		*out = doc;
		doc = NULL;
	}
	xmlFreeDoc(doc);
	pki_xml_guard_end(&g);
	return rc;
}
