/* bench/forkcost.c: what one fork, exec and wait costs a process that
 * holds MIB mebibytes of its own memory (bench/README, lib/audit-verify.c).
 *
 *   cc -O2 -o build/bench/forkcost bench/forkcost.c
 *   build/bench/forkcost 1 30 100 300
 *
 * GPGME starts every gpg by fork and exec, and a fork copies the page
 * tables of the process that forks: the cost grows with what it holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNS 200

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int spawn_true(void)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	return waitpid(pid, &status, 0) == pid && status == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	char *mem;
	double t0;
	size_t mib;
	int i, a;

	for (a = 1; a < argc; a++) {
		mib = strtoul(argv[a], NULL, 10);
		if ((mem = malloc(mib << 20 | 1)) == NULL) {
			perror("forkcost");
			return 1;
		}
		memset(mem, 1, mib << 20);	/* touched: resident */
		t0 = now_ms();
		for (i = 0; i < RUNS; i++)
			if (spawn_true() < 0) {
				perror("forkcost");
				return 1;
			}
		printf("%5zu MiB: %.2f ms per fork, exec and wait\n", mib, (now_ms() - t0) / RUNS);
		free(mem);
	}
	return 0;
}
