/* label.c: confidentiality labels and schema validation (libxml2 only here).
 *
 * A label comes from any clone that was ever pushed to, so it is read as
 * hostile: bounded size, no network, no DTD at all (a DOCTYPE is refused
 * as soon as it is seen, before any entity can be declared, let alone
 * expanded), bounded depth, then the schema, then the rules the schema
 * cannot say.  libxml2 never prints: its errors are caught for the
 * duration of each call and the first one becomes the pki error message.
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
#include <libxml/xmlwriter.h>

#include "error.h"
#include "label.h"
#include "session.h"

/* Our documents are a few levels deep; anything deeper is an attack. */
#define XML_DEPTH_MAX 16
/* Bytes of free text (the schema allows 256 characters). */
#define LABEL_TEXT_MAX 1024
/* IR references on one label, as label.xsd allows. */
#define LABEL_IR_MAX 64

/* The structured error callback lost its const in 2.9 (NOTES.md). */
#if LIBXML_VERSION >= 21200
typedef const xmlError xml_error;
#else
typedef xmlError xml_error;
#endif

/*
 * The errors of one call, and the handlers it displaced.  libxml2 keeps
 * its error handlers per thread; they are put back before returning.
 */
struct xml_guard {
	const char *what;	/* "label": the prefix of every message */
	int line;
	char msg[256];		/* the first error; "" while there is none */
	xmlStructuredErrorFunc old_serror;
	void *old_sctx;
	xmlGenericErrorFunc old_gerror;
	void *old_gctx;
};

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

static void note(struct xml_guard *g, int line, const char *msg)
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

static void guard_begin(struct xml_guard *g, const char *what)
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

static void guard_end(struct xml_guard *g)
{
	xmlSetStructuredErrorFunc(g->old_sctx, g->old_serror);
	xmlSetGenericErrorFunc(g->old_gctx, g->old_gerror);
}

static int guard_fail(const struct xml_guard *g, int code, const char *fallback)
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

static int read_doc(xmlDoc **out, struct xml_guard *g, const char *data,
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
		return guard_fail(g, PKI_EDATA, "not well-formed XML");
	}
	xmlFreeParserCtxt(p);
	*out = doc;
	return 0;
}

/*
 * The schema is parsed on every call.  A whole pki_label_parse, schema
 * included, measured 0.13 ms, against 5 to 8 ms for each gpg call a
 * command makes; a cache would be global state shared between threads.
 */
static int validate(struct xml_guard *g, const char *schema, xmlDoc *doc)
{
	struct pki_buf path = PKI_BUF_INIT;
	xmlSchemaParserCtxtPtr pc = NULL;
	xmlSchemaPtr s = NULL;
	xmlSchemaValidCtxtPtr vc = NULL;
	int rc;

	if ((rc = pki_share_path(schema, &path)) < 0)
		goto out;
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
	if ((vc = xmlSchemaNewValidCtxt(s)) == NULL) {
		rc = pki_error(PKI_EINTERNAL, "%s: out of memory", g->what);
		goto out;
	}
	xmlSchemaSetValidStructuredErrors(vc, on_error, g);
	/* Invalid is a positive code, an internal error -1 (NOTES.md). */
	if (xmlSchemaValidateDoc(vc, doc) != 0)
		rc = guard_fail(g, PKI_EDATA, "not valid");
out:
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(s);
	xmlSchemaFreeParserCtxt(pc);
	pki_buf_release(&path);
	return rc;
}

int pki_xml_validate(const char *schema, const char *data, size_t len)
{
	struct xml_guard g;
	char what[64];
	xmlDoc *doc = NULL;
	int rc;

	/* "transfer.xsd" speaks as "transfer". */
	snprintf(what, sizeof(what), "%.*s", (int)strcspn(schema, "."), schema);
	guard_begin(&g, what);
	if ((rc = read_doc(&doc, &g, data, len)) == 0)
		rc = validate(&g, schema, doc);
	xmlFreeDoc(doc);
	guard_end(&g);
	return rc;
}

/* The rules of a label the schema cannot say, for reading and writing. */

static bool is_sha256_hex(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return s[64] == '\0';
}

/* Free text: non-empty, one line of valid UTF-8, bounded. */
static int check_text(const char *what, const char *s)
{
	if (s[0] == '\0')
		return pki_error(PKI_EDATA, "label: %s is empty", what);
	if (pki_check_text(what, s, LABEL_TEXT_MAX) < 0)
		return pki_error_wrap(PKI_EDATA, "label");
	return 0;
}

static int check_originator(const struct pki_label *l)
{
	int rc;

	if (l->originator == NULL)
		return pki_error(PKI_EDATA, "label: no originator");
	if (l->received) {
		if ((rc = check_text("originator", l->originator)) < 0)
			return rc;
		/* The registrar stands for the originator inside the mission
		 * (SPEC 5.3.2), so a received product always names one. */
		if (l->registrar == NULL)
			return pki_error(PKI_EDATA, "label: a received product needs a registrar");
		if (pki_check_principal("registrar", l->registrar) < 0)
			return pki_error_wrap(PKI_EDATA, "label");
		return 0;
	}
	if (pki_check_principal("originator", l->originator) < 0)
		return pki_error_wrap(PKI_EDATA, "label");
	if (l->registrar != NULL)
		return pki_error(PKI_EDATA, "label: a registrar is only for received products");
	return 0;
}

static int check_classification(const struct pki_label *l)
{
	char code[2] = { l->criterion, '\0' }, c;

	if (pki_level_name(l->level) == NULL)
		return pki_error(PKI_EDATA, "label: unknown level");
	if (l->level == PKI_LEVEL_UNCLASSIFIED) {
		if (l->criterion != 0)
			return pki_error(PKI_EDATA, "label: an unclassified product has no criterion");
		return 0;
	}
	if (l->criterion == 0)
		return pki_error(PKI_EDATA, "label: a %s product needs a criterion "
				 "(ST/SGB/2007/6 section 1.2)", pki_level_name(l->level));
	if (pki_criterion_parse(code, &c) < 0)
		return pki_error_wrap(PKI_EDATA, "label");
	return 0;
}

/* pki_time_format writes zeroes for what xs:dateTime cannot hold. */
static int check_time(const char *what, time_t t)
{
	char s[PKI_TIME_LEN];

	pki_time_format(t, s);
	if (strncmp(s, "0000", 4) == 0)
		return pki_error(PKI_EDATA, "label: %s out of range", what);
	return 0;
}

/* The distribution list: one to PKI_LABEL_RECIPIENTS_MAX principals, each once. */
static int check_recipients(const struct pki_label *l)
{
	size_t i, j;

	if (l->nrecipients == 0)
		return pki_error(PKI_EDATA, "label: the distribution list is empty");
	if (l->nrecipients > PKI_LABEL_RECIPIENTS_MAX)
		return pki_error(PKI_EDATA, "label: more than %d principals on the distribution list",
				 PKI_LABEL_RECIPIENTS_MAX);
	for (i = 0; i < l->nrecipients; i++) {
		if (pki_check_principal("principal on the distribution list", l->recipients[i]) < 0)
			return pki_error_wrap(PKI_EDATA, "label");
		for (j = 0; j < i; j++)
			if (strcmp(l->recipients[i], l->recipients[j]) == 0)
				return pki_error(PKI_EDATA, "label: '%s' is twice on the distribution list",
						 l->recipients[i]);
	}
	return 0;
}

static int check_label(const struct pki_label *l)
{
	size_t i;
	int rc;

	if (l->id == NULL)
		return pki_error(PKI_EDATA, "label: no product id");
	if (pki_check_product_id(l->id) < 0)
		return pki_error_wrap(PKI_EDATA, "label");
	if ((rc = check_classification(l)) < 0 || (rc = check_originator(l)) < 0 ||
	    (rc = check_time("created time", l->created)) < 0 ||
	    (l->review != 0 && (rc = check_time("review date", l->review)) < 0))
		return rc;
	if (l->areas != NULL && pki_check_areas("areas", l->areas) < 0)
		return pki_error_wrap(PKI_EDATA, "label");
	if (l->releasable != NULL && (rc = check_text("releasable-to", l->releasable)) < 0)
		return rc;
	if (l->nir > LABEL_IR_MAX)
		return pki_error(PKI_EDATA, "label: more than %d IR references", LABEL_IR_MAX);
	for (i = 0; i < l->nir; i++)
		if ((rc = check_text("ir", l->ir[i])) < 0)
			return rc;
	if ((rc = check_recipients(l)) < 0)
		return rc;
	if (!is_sha256_hex(l->sha256))
		return pki_error(PKI_EDATA, "label: the binding is not a sha256 in lowercase hex");
	return 0;
}

/* Reading a document the schema has accepted; check_label follows. */

static int oom(void)
{
	return pki_error(PKI_EINTERNAL, "label: out of memory");
}

/* An element's text, malloc'd; surrounding blanks dropped when the
 * schema type collapses them (dates, booleans). */
static int text(char **out, xmlNode *n, bool trim)
{
	xmlChar *c = xmlNodeGetContent(n);
	char *s, *end;

	if (c == NULL)
		return oom();
	s = (char *)c;
	if (trim) {
		s += strspn(s, " \t\r\n");
		for (end = s + strlen(s); end > s && strchr(" \t\r\n", end[-1]); end--)
			;
		*end = '\0';
	}
	*out = strdup(s);
	xmlFree(c);
	return *out != NULL ? 0 : oom();
}

static int attr_is(bool *out, xmlNode *n, const char *name, const char *value)
{
	xmlChar *a = xmlGetNoNsProp(n, BAD_CAST name);

	if (a == NULL)
		return pki_error(PKI_EDATA, "label: element '%s' has no attribute '%s'",
				 (const char *)n->name, name);
	*out = strcmp((const char *)a, value) == 0;
	xmlFree(a);
	return 0;
}

static int read_time(time_t *out, xmlNode *n)
{
	char *s;
	int rc;

	if ((rc = text(&s, n, true)) < 0)
		return rc;
	if ((rc = pki_time_parse((const char *)n->name, s, out)) < 0)
		rc = pki_error_wrap(PKI_EDATA, "label");
	free(s);
	return rc;
}

static int read_level(struct pki_label *l, xmlNode *n)
{
	char *s;
	int rc;

	if ((rc = text(&s, n, false)) < 0)
		return rc;
	if (strcmp((const char *)n->name, "classification") == 0)
		rc = pki_level_parse(s, &l->level);
	else
		rc = pki_criterion_parse(s, &l->criterion);
	if (rc < 0)
		rc = pki_error_wrap(PKI_EDATA, "label");
	free(s);
	return rc;
}

static int read_safety(bool *out, xmlNode *n)
{
	char *s;
	int rc;

	if ((rc = text(&s, n, true)) < 0)
		return rc;
	*out = strcmp(s, "true") == 0 || strcmp(s, "1") == 0;
	free(s);
	return 0;
}

static int read_ir(struct pki_label *l, xmlNode *n)
{
	char **ir = reallocarray(l->ir, l->nir + 1, sizeof(*ir));
	int rc;

	if (ir == NULL)
		return oom();
	l->ir = ir;
	if ((rc = text(&ir[l->nir], n, false)) < 0)
		return rc;
	l->nir++;
	return 0;
}

static int read_distribution(struct pki_label *l, xmlNode *n)
{
	char **v;
	int rc;

	for (n = n->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if ((v = reallocarray(l->recipients, l->nrecipients + 1, sizeof(*v))) == NULL)
			return oom();
		l->recipients = v;
		if ((rc = text(&v[l->nrecipients], n, false)) < 0)
			return rc;
		l->nrecipients++;
	}
	return 0;
}

static int read_binding(struct pki_label *l, xmlNode *n)
{
	bool sha256;
	char *s;
	int rc;

	if ((rc = attr_is(&sha256, n, "algorithm", "sha256")) < 0)
		return rc;
	if (!sha256)
		return pki_error(PKI_EDATA, "label: the binding is not sha256");
	if ((rc = text(&s, n, false)) < 0)
		return rc;
	if (strlen(s) < sizeof(l->sha256))
		memcpy(l->sha256, s, strlen(s) + 1);
	free(s);
	return 0;
}

static int read_caveats(struct pki_label *l, xmlNode *n)
{
	int rc = 0;

	for (n = n->children; n != NULL && rc == 0; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)n->name, "originator-control") == 0)
			l->originator_control = true;
		else if (strcmp((const char *)n->name, "releasable-to") == 0)
			rc = text(&l->releasable, n, false);
	}
	return rc;
}

static int read_field(struct pki_label *l, xmlNode *n)
{
	const char *name = (const char *)n->name;

	if (strcmp(name, "id") == 0)
		return text(&l->id, n, false);
	if (strcmp(name, "classification") == 0 || strcmp(name, "criterion") == 0)
		return read_level(l, n);
	if (strcmp(name, "originator") == 0) {
		int rc = attr_is(&l->received, n, "type", "external");

		return rc < 0 ? rc : text(&l->originator, n, false);
	}
	if (strcmp(name, "registrar") == 0)
		return text(&l->registrar, n, false);
	if (strcmp(name, "created") == 0)
		return read_time(&l->created, n);
	if (strcmp(name, "review") == 0)
		return read_time(&l->review, n);
	if (strcmp(name, "areas") == 0)
		return text(&l->areas, n, false);
	if (strcmp(name, "caveats") == 0)
		return read_caveats(l, n);
	if (strcmp(name, "safety") == 0)
		return read_safety(&l->safety, n);
	if (strcmp(name, "ir") == 0)
		return read_ir(l, n);
	if (strcmp(name, "distribution") == 0)
		return read_distribution(l, n);
	if (strcmp(name, "binding") == 0)
		return read_binding(l, n);
	return 0;	/* policy: fixed by the schema */
}

static int read_label(struct pki_label *l, xmlDoc *doc)
{
	xmlNode *n = xmlDocGetRootElement(doc);
	int rc = 0;

	for (n = n->children; n != NULL && rc == 0; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			rc = read_field(l, n);
	return rc;
}

int pki_label_parse(struct pki_label *out, const char *data, size_t len)
{
	struct pki_label l;
	struct xml_guard g;
	xmlDoc *doc = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&l, 0, sizeof(l));
	if (len > PKI_LABEL_MAX)
		return pki_error(PKI_EDATA, "label: larger than %d bytes", PKI_LABEL_MAX);
	guard_begin(&g, "label");
	if ((rc = read_doc(&doc, &g, data, len)) < 0 ||
	    (rc = validate(&g, "label.xsd", doc)) < 0 ||
	    (rc = read_label(&l, doc)) < 0 ||
	    (rc = check_label(&l)) < 0)
		goto out;
	*out = l;
	memset(&l, 0, sizeof(l));
out:
	pki_label_release(&l);
	xmlFreeDoc(doc);
	guard_end(&g);
	return rc;
}

void pki_label_release(struct pki_label *l)
{
	size_t i;

	free(l->id);
	free(l->originator);
	free(l->registrar);
	free(l->areas);
	free(l->releasable);
	for (i = 0; i < l->nir; i++)
		free(l->ir[i]);
	free(l->ir);
	for (i = 0; i < l->nrecipients; i++)
		free(l->recipients[i]);
	free(l->recipients);
	memset(l, 0, sizeof(*l));
}

/* Writing.  Each helper returns < 0 when the writer failed. */

static int element(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST value);
}

static int write_originator(xmlTextWriterPtr w, const struct pki_label *l)
{
	if (xmlTextWriterStartElement(w, BAD_CAST "originator") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "type",
		BAD_CAST (l->received ? "external" : "principal")) < 0 ||
	    xmlTextWriterWriteString(w, BAD_CAST l->originator) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	if (l->registrar != NULL)
		return element(w, "registrar", l->registrar);
	return 0;
}

static int write_times(xmlTextWriterPtr w, const struct pki_label *l)
{
	char created[PKI_TIME_LEN], review[PKI_DATE_LEN];

	pki_time_format(l->created, created);
	if (element(w, "created", created) < 0)
		return -1;
	if (l->review == 0)
		return 0;
	pki_date_format(l->review, review);
	return element(w, "review", review);
}

static int write_caveats(xmlTextWriterPtr w, const struct pki_label *l)
{
	if (xmlTextWriterStartElement(w, BAD_CAST "caveats") < 0)
		return -1;
	if (l->originator_control &&
	    (xmlTextWriterStartElement(w, BAD_CAST "originator-control") < 0 ||
	     xmlTextWriterEndElement(w) < 0))
		return -1;
	if (l->releasable != NULL && element(w, "releasable-to", l->releasable) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}

static int write_tail(xmlTextWriterPtr w, const struct pki_label *l)
{
	size_t i;

	if (element(w, "safety", l->safety ? "true" : "false") < 0)
		return -1;
	for (i = 0; i < l->nir; i++)
		if (element(w, "ir", l->ir[i]) < 0)
			return -1;
	if (xmlTextWriterStartElement(w, BAD_CAST "distribution") < 0)
		return -1;
	for (i = 0; i < l->nrecipients; i++)
		if (element(w, "principal", l->recipients[i]) < 0)
			return -1;
	if (xmlTextWriterEndElement(w) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "binding") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "algorithm", BAD_CAST "sha256") < 0 ||
	    xmlTextWriterWriteString(w, BAD_CAST l->sha256) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

/* In the order of label.xsd. */
static int write_label(xmlTextWriterPtr w, const struct pki_label *l)
{
	char criterion[2] = { l->criterion, '\0' };

	if (xmlTextWriterSetIndent(w, 1) < 0 ||
	    xmlTextWriterSetIndentString(w, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElementNS(w, NULL, BAD_CAST "label",
					BAD_CAST PKI_LABEL_NS) < 0 ||
	    element(w, "id", l->id) < 0 ||
	    element(w, "policy", PKI_POLICY_ID) < 0 ||
	    element(w, "classification", pki_level_name(l->level)) < 0 ||
	    (l->criterion != 0 && element(w, "criterion", criterion) < 0) ||
	    write_originator(w, l) < 0 ||
	    write_times(w, l) < 0 ||
	    element(w, "areas", l->areas != NULL ? l->areas : "") < 0 ||
	    write_caveats(w, l) < 0 ||
	    write_tail(w, l) < 0 ||
	    xmlTextWriterEndElement(w) < 0 ||
	    xmlTextWriterEndDocument(w) < 0)
		return -1;
	return 0;
}

int pki_label_format(const struct pki_label *l, struct pki_buf *out)
{
	struct xml_guard g;
	xmlBufferPtr xb = NULL;
	xmlTextWriterPtr w = NULL;
	int rc;

	if ((rc = check_label(l)) < 0)
		return rc;
	guard_begin(&g, "label");
	if ((xb = xmlBufferCreate()) == NULL ||
	    (w = xmlNewTextWriterMemory(xb, 0)) == NULL) {
		rc = oom();
		goto out;
	}
	if (write_label(w, l) < 0) {
		rc = guard_fail(&g, PKI_EINTERNAL, "cannot write XML");
		goto out;
	}
	/* Freeing the writer flushes what it holds into xb. */
	xmlFreeTextWriter(w);
	w = NULL;
	rc = pki_buf_add(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
out:
	if (w != NULL)
		xmlFreeTextWriter(w);
	if (xb != NULL)
		xmlBufferFree(xb);
	guard_end(&g);
	return rc;
}
