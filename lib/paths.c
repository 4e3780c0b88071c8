/* paths.c: where the installed data lives. */
#include <stdlib.h>

#include "error.h"
#include "session.h"

#ifndef PKI_SHAREDIR
#define PKI_SHAREDIR "/usr/local/share/pki"
#endif

int pki_share_path(const char *name, struct pki_buf *out)
{
	const char *dir = getenv("PKI_SHAREDIR");

	if (dir == NULL || *dir == '\0')
		dir = PKI_SHAREDIR;
	pki_buf_reset(out);
	return pki_buf_printf(out, "%s/%s", dir, name);
}
