/* replay.c: run files through a fuzz target without libFuzzer, as
 * `make check` does with fuzz/corpus/<target>/: seeds, and every input
 * that once crashed a reader.  Prints one TAP line per file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fuzz.h"

#define INPUT_MAX (16 * 1024 * 1024)

static int replay(const char *path)
{
	struct pki_buf b = PKI_BUF_INIT;
	uint8_t *copy = NULL;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = pki_read_fd(fd, INPUT_MAX, &b);
	close(fd);
	/* As libFuzzer does: exactly the bytes, no NUL after them, so that
	 * a reader that reads past its length is caught (under ASan). */
	if (rc == 0 && (copy = malloc(b.len ? b.len : 1)) == NULL)
		rc = -1;
	if (rc == 0) {
		memcpy(copy, b.ptr != NULL ? b.ptr : "", b.len);
		LLVMFuzzerTestOneInput(copy, b.len);
	}
	free(copy);
	pki_buf_release(&b);
	return rc;
}

int main(int argc, char **argv)
{
	int i, failed = 0;

	if (LLVMFuzzerInitialize(&argc, &argv) != 0)
		return 70;
	for (i = 1; i < argc; i++) {
		int rc = replay(argv[i]);

		if (rc < 0)
			failed++;
		printf("%sok %d - %s\n", rc < 0 ? "not " : "", i, argv[i]);
	}
	printf("1..%d\n", argc - 1);
	return failed ? 1 : 0;
}
