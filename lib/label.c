/* label.c: confidentiality labels, read and written with libxml2.
 *
 * A label comes from any clone that was ever pushed to, so it is read as
 * hostile (xml-read.c: bounded, no DTD, no network, then the schema),
 * then held to the rules the schema cannot say.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "error.h"
#include "label.h"
#include "retention.h"
#include "session.h"
#include "xml-read.h"

/* Bytes of free text (the schema allows 256 characters). */
#define LABEL_TEXT_MAX 1024
/* IR references on one label, as label.xsd allows. */
#define LABEL_IR_MAX 64

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
		 * (pki-share(1)), so a received product always names one. */
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

/* A material has a retention and only a material (policy 11.5.1,
 * 12.6.9); only a material is ever disposed of. */
static int check_kind(const struct pki_label *l)
{
	if (l->kind != PKI_KIND_MATERIAL && l->retention != NULL)
		return pki_error(PKI_EDATA, "label: a %s has no retention: it is kept "
				 "permanently", pki_kind_name(l->kind));
	if (l->kind != PKI_KIND_MATERIAL && l->disposed != 0)
		return pki_error(PKI_EDATA, "label: a %s is never disposed of",
				 pki_kind_name(l->kind));
	if (l->kind != PKI_KIND_MATERIAL)
		return 0;
	if (l->retention == NULL)
		return pki_error(PKI_EDATA, "label: a material has no retention");
	if (pki_retention_parse("retention", l->retention, NULL) < 0)
		return pki_error_wrap(PKI_EDATA, "label");
	return l->disposed != 0 ? check_time("disposal time", l->disposed) : 0;
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
	if ((rc = check_recipients(l)) < 0 || (rc = check_kind(l)) < 0)
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

static int read_kind(enum pki_kind *out, xmlNode *n)
{
	char *s;
	int rc;

	if ((rc = text(&s, n, false)) < 0)
		return rc;
	if ((rc = pki_kind_parse(s, out)) < 0)
		rc = pki_error_wrap(PKI_EDATA, "label");
	free(s);
	return rc;
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

static int read_source(struct pki_label *l, xmlNode *n)
{
	char *id = NULL, *mission = NULL, *exporter = NULL;
	time_t exported = 0;
	int rc = 0;

	for (n = n->children; n != NULL && rc == 0; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)n->name, "id") == 0 && id == NULL)
			rc = text(&id, n, false);
		else if (strcmp((const char *)n->name, "mission") == 0 && mission == NULL)
			rc = text(&mission, n, false);
		else if (strcmp((const char *)n->name, "exporter") == 0 && exporter == NULL)
			rc = text(&exporter, n, false);
		else if (strcmp((const char *)n->name, "exported") == 0)
			rc = read_time(&exported, n);
	}
	if (rc == 0 && (id == NULL || mission == NULL || exporter == NULL))
		rc = pki_error(PKI_EDATA, "label: a source without its id, mission or exporter");
	if (rc == 0)
		rc = pki_label_add_source(l, id, mission, exporter, exported);
	free(id);
	free(mission);
	free(exporter);
	return rc;
}

int pki_label_add_source(struct pki_label *l, const char *id, const char *mission,
			 const char *exporter, time_t exported)
{
	struct pki_label_source *v, *e;

	if (l->nsources >= PKI_LABEL_SOURCES_MAX)
		return pki_error(PKI_EDATA, "label: more than %d sources", PKI_LABEL_SOURCES_MAX);
	if ((v = realloc(l->sources, (l->nsources + 1) * sizeof(*v))) == NULL)
		return oom();
	l->sources = v;
	e = &v[l->nsources];
	memset(e, 0, sizeof(*e));
	e->id = strdup(id);
	e->mission = strdup(mission);
	e->exporter = strdup(exporter);
	e->exported = exported;
	l->nsources++;
	if (e->id == NULL || e->mission == NULL || e->exporter == NULL)
		return oom();
	return 0;
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
	if (strcmp(name, "kind") == 0)
		return read_kind(&l->kind, n);
	if (strcmp(name, "retention") == 0)
		return text(&l->retention, n, false);
	if (strcmp(name, "disposed") == 0)
		return read_time(&l->disposed, n);
	if (strcmp(name, "source") == 0)
		return read_source(l, n);
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

static int parse(struct pki_label *out, const char *schema, const char *data, size_t len)
{
	struct pki_label l;
	xmlDoc *doc = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&l, 0, sizeof(l));
	if (len > PKI_LABEL_MAX)
		return pki_error(PKI_EDATA, "label: larger than %d bytes", PKI_LABEL_MAX);
	if ((rc = pki_xml_read(&doc, "label", schema, data, len)) < 0 ||
	    (rc = read_label(&l, doc)) < 0 ||
	    (rc = check_label(&l)) < 0)
		goto out;
	*out = l;
	memset(&l, 0, sizeof(l));
out:
	pki_label_release(&l);
	xmlFreeDoc(doc);
	return rc;
}

int pki_label_parse(struct pki_label *out, const char *data, size_t len)
{
	return parse(out, "label.xsd", data, len);
}

int pki_label_scan(struct pki_label *out, const char *data, size_t len)
{
	return parse(out, NULL, data, len);
}

void pki_label_release(struct pki_label *l)
{
	size_t i;

	free(l->id);
	free(l->originator);
	free(l->registrar);
	free(l->areas);
	free(l->releasable);
	free(l->retention);
	for (i = 0; i < l->nir; i++)
		free(l->ir[i]);
	free(l->ir);
	for (i = 0; i < l->nrecipients; i++)
		free(l->recipients[i]);
	free(l->recipients);
	for (i = 0; i < l->nsources; i++) {
		free(l->sources[i].id);
		free(l->sources[i].mission);
		free(l->sources[i].exporter);
	}
	free(l->sources);
	memset(l, 0, sizeof(*l));
}

/* Comparing two labels, field by field. */

/* NULL and "" both say none (no areas, no registrar, no caveat). */
static bool same_text(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

static bool same_list(char *const *a, size_t na, char *const *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

static bool same_sources(const struct pki_label *a, const struct pki_label *b)
{
	size_t i;

	if (a->nsources != b->nsources)
		return false;
	for (i = 0; i < a->nsources; i++)
		if (!same_text(a->sources[i].id, b->sources[i].id) ||
		    !same_text(a->sources[i].mission, b->sources[i].mission) ||
		    !same_text(a->sources[i].exporter, b->sources[i].exporter) ||
		    a->sources[i].exported != b->sources[i].exported)
			return false;
	return true;
}

unsigned pki_label_diff(const struct pki_label *a, const struct pki_label *b)
{
	unsigned d = 0;

	if (!same_text(a->id, b->id))
		d |= PKI_LF_ID;
	if (a->level != b->level)
		d |= PKI_LF_LEVEL;
	if (a->criterion != b->criterion)
		d |= PKI_LF_CRITERION;
	if (!same_text(a->originator, b->originator) || a->received != b->received)
		d |= PKI_LF_ORIGINATOR;
	if (!same_text(a->registrar, b->registrar))
		d |= PKI_LF_REGISTRAR;
	if (a->created != b->created)
		d |= PKI_LF_CREATED;
	if (a->review != b->review)
		d |= PKI_LF_REVIEW;
	if (!same_text(a->areas, b->areas))
		d |= PKI_LF_AREAS;
	if (a->originator_control != b->originator_control)
		d |= PKI_LF_ORIGINATOR_CONTROL;
	if ((a->releasable == NULL) != (b->releasable == NULL) ||
	    !same_text(a->releasable, b->releasable))
		d |= PKI_LF_RELEASABLE;
	if (a->safety != b->safety)
		d |= PKI_LF_SAFETY;
	if (!same_list(a->ir, a->nir, b->ir, b->nir))
		d |= PKI_LF_IR;
	if (!same_list(a->recipients, a->nrecipients, b->recipients, b->nrecipients))
		d |= PKI_LF_DISTRIBUTION;
	if (strcmp(a->sha256, b->sha256) != 0)
		d |= PKI_LF_BINDING;
	if (a->kind != b->kind)
		d |= PKI_LF_KIND;
	if ((a->retention == NULL) != (b->retention == NULL) ||
	    !same_text(a->retention, b->retention))
		d |= PKI_LF_RETENTION;
	if (a->disposed != b->disposed)
		d |= PKI_LF_DISPOSED;
	if (!same_sources(a, b))
		d |= PKI_LF_SOURCE;
	return d;
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

static int write_sources(xmlTextWriterPtr w, const struct pki_label *l)
{
	char when[PKI_TIME_LEN];
	size_t i;

	for (i = 0; i < l->nsources; i++) {
		pki_time_format(l->sources[i].exported, when);
		if (xmlTextWriterStartElement(w, BAD_CAST "source") < 0 ||
		    element(w, "id", l->sources[i].id) < 0 ||
		    element(w, "mission", l->sources[i].mission) < 0 ||
		    element(w, "exporter", l->sources[i].exporter) < 0 ||
		    element(w, "exported", when) < 0 ||
		    xmlTextWriterEndElement(w) < 0)
			return -1;
	}
	return 0;
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
	if (l->disposed != 0) {
		char disposed[PKI_TIME_LEN];

		pki_time_format(l->disposed, disposed);
		if (element(w, "disposed", disposed) < 0)
			return -1;
	}
	return write_sources(w, l);
}

/* The kind is written only when it is not a product, so that a product's
 * label reads as it did before kinds existed. */
static int write_kind(xmlTextWriterPtr w, const struct pki_label *l)
{
	if (l->kind != PKI_KIND_PRODUCT &&
	    element(w, "kind", pki_kind_name(l->kind)) < 0)
		return -1;
	if (l->retention != NULL)
		return element(w, "retention", l->retention);
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
	    write_kind(w, l) < 0 ||
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
	struct pki_xml_guard g;
	xmlBufferPtr xb = NULL;
	xmlTextWriterPtr w = NULL;
	int rc;

	if ((rc = check_label(l)) < 0)
		return rc;
	pki_xml_guard_begin(&g, "label");
	if ((xb = xmlBufferCreate()) == NULL ||
	    (w = xmlNewTextWriterMemory(xb, 0)) == NULL) {
		rc = oom();
		goto out;
	}
	if (write_label(w, l) < 0) {
		rc = pki_xml_guard_fail(&g, PKI_EINTERNAL, "cannot write XML");
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
	pki_xml_guard_end(&g);
	return rc;
}
