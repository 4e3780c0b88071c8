/* fuzz.h: what the libFuzzer targets share.
 *
 * Each target is one file, fuzz/<name>.c, defining LLVMFuzzerTestOneInput
 * over one reader of data from outside the process.  `make fuzz` links
 * them with libFuzzer (clang -fsanitize=fuzzer,address,undefined) and
 * runs each for $(FUZZ_SECONDS) from the seeds in fuzz/corpus/<name>/;
 * `make check` replays every file of fuzz/corpus/<name>/ through the same
 * function with fuzz/replay.c, so that an input that once crashed a
 * reader (saved there as crash-*) stays a regression test.
 */
#ifndef PKI_FUZZ_H
#define PKI_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
