/* xml-xslt.c: XSLT, in-process (libxslt only here): pki-report's HTML
 * page is its XML through share/pki/report.xsl, byte for byte what
 * `xsltproc report.xsl report.xml` writes.  libxslt's messages are
 * silenced like libxml2's (xml-read.h's guard): the first becomes the
 * pki error.  The stylesheet is pki's own; the security preferences
 * still forbid it every file and the network.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include "error.h"
#include "paths.h"
#include "xml-read.h"
#include "xml-xslt.h"

struct said {
	char msg[256];
};

/* libxslt's messages arrive in pieces: keep the first line. */
__attribute__((format(printf, 2, 3)))
static void on_xslt(void *ctx, const char *fmt, ...)
{
	struct said *s = ctx;
	size_t len;
	va_list ap;

	if (s->msg[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
	len = strcspn(s->msg, "\n");
	s->msg[len] = '\0';
}

static xsltSecurityPrefsPtr forbid_all(void)
{
	static const xsltSecurityOption opts[] = {
		XSLT_SECPREF_READ_FILE, XSLT_SECPREF_WRITE_FILE, XSLT_SECPREF_CREATE_DIRECTORY,
		XSLT_SECPREF_READ_NETWORK, XSLT_SECPREF_WRITE_NETWORK,
	};
	xsltSecurityPrefsPtr sec = xsltNewSecurityPrefs();
	size_t i;

	for (i = 0; sec != NULL && i < sizeof(opts) / sizeof(opts[0]); i++)
		if (xsltSetSecurityPrefs(sec, opts[i], xsltSecurityForbid) < 0) {
			xsltFreeSecurityPrefs(sec);
			return NULL;
		}
	return sec;
}

static int load_sheet(xsltStylesheetPtr *out, const char *sheet, struct pki_xml_guard *g)
{
	struct pki_buf path = PKI_BUF_INIT;
	xmlDocPtr sdoc = NULL;
	int rc;

	*out = NULL;
	if ((rc = pki_share_path(sheet, &path)) < 0)
		goto out;
	if ((sdoc = xmlReadFile(path.ptr, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA)) == NULL) {
		rc = pki_xml_guard_fail(g, PKI_ECONFIG, "cannot read the stylesheet");
		goto out;
	}
	/* The stylesheet owns its document from here. */
	if ((*out = xsltParseStylesheetDoc(sdoc)) == NULL) {
		xmlFreeDoc(sdoc);
		rc = pki_error(PKI_ECONFIG, "stylesheet '%s' does not compile", path.ptr);
	}
out:
	pki_buf_release(&path);
	return rc;
}

int pki_xslt_apply(const char *sheet, const char *schema, const char *data, size_t len,
		   struct pki_buf *out)
{
	struct pki_xml_guard g;
	struct said said = { "" };
	xsltStylesheetPtr style = NULL;
	xsltTransformContextPtr ctxt = NULL;
	xsltSecurityPrefsPtr sec = NULL;
	xmlDocPtr doc = NULL, res = NULL;
	xmlChar *mem = NULL;
	int size = 0, rc;

	if ((rc = pki_xml_read(&doc, schema, schema, data, len)) < 0)
		return rc;
	pki_xml_guard_begin(&g, sheet);
	xsltSetGenericErrorFunc(&said, on_xslt);
	if ((rc = load_sheet(&style, sheet, &g)) < 0)
		goto out;
	if ((ctxt = xsltNewTransformContext(style, doc)) == NULL || (sec = forbid_all()) == NULL ||
	    xsltSetCtxtSecurityPrefs(sec, ctxt) < 0) {
		rc = pki_error(PKI_EINTERNAL, "%s: out of memory", sheet);
		goto out;
	}
	xsltSetTransformErrorFunc(ctxt, &said, on_xslt);
	res = xsltApplyStylesheetUser(style, doc, NULL, NULL, NULL, ctxt);
	if (res == NULL || ctxt->state != XSLT_STATE_OK) {
		rc = pki_error(PKI_EINTERNAL, "%s: %s", sheet,
			       said.msg[0] ? said.msg : "the transformation failed");
		goto out;
	}
	if (xsltSaveResultToString(&mem, &size, res, style) < 0 || size < 0) {
		rc = pki_error(PKI_EINTERNAL, "%s: cannot serialise the result", sheet);
		goto out;
	}
	rc = pki_buf_add(out, mem, (size_t)size);
out:
	xmlFree(mem);
	xmlFreeDoc(res);
	xsltFreeTransformContext(ctxt);
	xsltFreeSecurityPrefs(sec);
	xsltFreeStylesheet(style);
	xmlFreeDoc(doc);
	xsltSetGenericErrorFunc(NULL, NULL);
	pki_xml_guard_end(&g);
	return rc;
}
