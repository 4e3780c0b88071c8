/* xml-xslt.h: an XSLT stylesheet of share/pki applied in-process
 * (libxslt only here), as xsltproc(1) applies it. */
#ifndef PKI_XML_XSLT_H
#define PKI_XML_XSLT_H

#include <stddef.h>
#include "buf.h"

/*
 * Validate data against share/pki/<schema>, transform it by
 * share/pki/<sheet> and append the result, serialised as the
 * stylesheet's xsl:output says, to out.  The stylesheet may read no file
 * and reach no network.  -PKI_EDATA for a document the schema refuses,
 * -PKI_ECONFIG when the stylesheet cannot be loaded, -PKI_EINTERNAL when
 * the transformation fails.
 */
int pki_xslt_apply(const char *sheet, const char *schema, const char *data, size_t len,
		   struct pki_buf *out);

#endif
