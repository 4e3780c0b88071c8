/* share.c: the schemas the label reader validates against, from the
 * source tree (FUZZ_SHAREDIR) unless $PKI_SHAREDIR says otherwise. */
#include <stdlib.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return setenv("PKI_SHAREDIR", FUZZ_SHAREDIR, 0);
}
