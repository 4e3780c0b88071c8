/* buf-test.c: the growable buffer, sinks and sources, bounded reads. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "tap.h"

static int all_zero(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

static void test_add(void)
{
	struct pki_buf b = PKI_BUF_INIT;
	size_t i, len;
	char *s;

	is_int(pki_buf_add(&b, "ab", 2), 0, "add");
	is_int(pki_buf_adds(&b, "cd"), 0, "adds");
	is_int(pki_buf_printf(&b, "-%d-%s", 42, "x"), 0, "printf");
	is_str(b.ptr, "abcd-42-x", "contents, NUL-terminated");
	is_int(b.len, 9, "len");
	for (i = 0; i < 100000; i++)
		if (pki_buf_add(&b, "0123456789", i % 11) < 0)
			break;
	is_int(i, 100000, "many adds");
	ok(b.ptr[b.len] == '\0' && b.cap > b.len, "still NUL-terminated after growth");
	ok(memcmp(b.ptr, "abcd-42-x0", 10) == 0, "growth keeps the contents");
	pki_buf_reset(&b);
	ok(b.len == 0 && b.cap > 0 && b.ptr != NULL, "reset keeps the memory");
	ok(all_zero(b.ptr, b.cap), "reset wipes the whole capacity");
	pki_buf_wipe(&b);
	ok(b.ptr == NULL && b.len == 0 && b.cap == 0, "wipe frees and resets");

	s = pki_buf_detach(&b, &len);
	ok(s != NULL && s[0] == '\0' && len == 0, "detach of an empty buffer gives \"\"");
	free(s);
	is_int(pki_buf_adds(&b, "secret"), 0, "adds again");
	s = pki_buf_detach(&b, &len);
	ok(s != NULL && strcmp(s, "secret") == 0 && len == 6, "detach hands the memory over");
	ok(b.ptr == NULL && b.len == 0 && b.cap == 0, "detach leaves an empty buffer");
	free(s);
	pki_buf_release(&b);
}

static void test_overflow(void)
{
	struct pki_buf b = PKI_BUF_INIT;

	is_int(pki_buf_adds(&b, "x"), 0, "one byte");
	is_int(pki_buf_grow(&b, SIZE_MAX), -PKI_EINTERNAL, "grow by SIZE_MAX refused");
	is_int(pki_buf_grow(&b, SIZE_MAX - 1), -PKI_EINTERNAL, "len + extra + 1 overflow refused");
	is_str(b.ptr, "x", "buffer untouched after refused growth");
	pki_buf_release(&b);
}

/* A pipe holding data (small enough not to block), read end returned. */
static int pipe_with(const char *data, size_t len)
{
	int fd[2];

	if (pipe(fd) < 0)
		return -1;
	if (write(fd[1], data, len) != (ssize_t)len) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	close(fd[1]);
	return fd[0];
}

static void test_read_fd(void)
{
	struct pki_buf b = PKI_BUF_INIT;
	int fd;

	pki_buf_adds(&b, "keep:");
	fd = pipe_with("0123456789", 10);
	is_int(pki_read_fd(fd, 10, &b), 0, "read exactly max bytes");
	is_str(b.ptr, "keep:0123456789", "read appends");
	close(fd);

	fd = pipe_with("0123456789", 10);
	is_int(pki_read_fd(fd, 9, &b), -PKI_EDATA, "one byte over max refused");
	is_str(pki_error_last(), "input is larger than 9 bytes", "message");
	is_str(b.ptr, "keep:0123456789", "a refused read leaves the buffer as it was");
	ok(all_zero(b.ptr + b.len, b.cap - b.len), "and wipes what it had read");
	close(fd);

	fd = pipe_with("", 0);
	is_int(pki_read_fd(fd, 0, &b), 0, "empty input, max 0");
	close(fd);
	is_int(pki_read_fd(-1, 10, &b), -PKI_EIO, "bad descriptor is an I/O error");
	pki_buf_wipe(&b);

	fd = open("/dev/zero", O_RDONLY);
	is_int(pki_read_fd(fd, 300000, &b), -PKI_EDATA, "endless input stops past max");
	is_int(b.len, 0, "nothing kept");
	close(fd);
	pki_buf_wipe(&b);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A slow reader and a ticking timer: writes are cut short and interrupted.
 * The tick is slow enough that each write still makes progress, even
 * under valgrind.
 */
static void test_sink_fd(void)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 5000 }, { 0, 5000 } }, off = { { 0, 0 }, { 0, 0 } };
	static char data[1 << 20];
	int fd[2], status = -1, rc;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: write() sees EINTR */
	sigaction(SIGALRM, &sa, NULL);
	memset(data, 'x', sizeof(data));
	data[sizeof(data) - 1] = 'y';
	if (pipe(fd) < 0 || (pid = fork()) < 0) {
		ok(0, "pipe and fork");
		return;
	}
	if (pid == 0) {
		char c[4096], last = 0;
		size_t total = 0;
		ssize_t n;

		close(fd[1]);
		usleep(30000);	/* the pipe fills: the first write is cut short, then EINTR */
		while ((n = read(fd[0], c, sizeof(c))) > 0) {
			total += (size_t)n;
			last = c[n - 1];
			if (total % (64 << 10) == 0)
				usleep(5000);
		}
		_exit(total == sizeof(data) && last == 'y' ? 0 : 1);
	}
	close(fd[0]);
	setitimer(ITIMER_REAL, &it, NULL);
	rc = pki_sink_fd(&fd[1], data, sizeof(data));
	setitimer(ITIMER_REAL, &off, NULL);
	close(fd[1]);
	waitpid(pid, &status, 0);
	is_int(rc, 0, "sink_fd writes everything despite signals");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "reader got every byte, in order");

	signal(SIGPIPE, SIG_IGN);
	if (pipe(fd) == 0) {
		close(fd[0]);
		is_int(pki_sink_fd(&fd[1], "x", 1), -PKI_EIO, "write to a closed pipe fails");
		ok(strstr(pki_error_last(), "cannot write") != NULL, "message: %s",
		   pki_error_last());
		close(fd[1]);
	}
}

static void test_sources(void)
{
	struct pki_buf b = PKI_BUF_INIT;
	struct pki_sink sink = { pki_sink_buf, &b };
	char c[8];
	long n;
	int fd;

	is_int(sink.write(sink.ctx, "abc", 3), 0, "buffer sink");
	is_str(b.ptr, "abc", "buffer sink contents");
	pki_buf_release(&b);

	fd = pipe_with("hello", 5);
	n = pki_source_fd(&fd, c, sizeof(c));
	ok(n == 5 && memcmp(c, "hello", 5) == 0, "fd source reads");
	is_int(pki_source_fd(&fd, c, sizeof(c)), 0, "fd source end");
	close(fd);
	fd = -1;
	is_int(pki_source_fd(&fd, c, sizeof(c)), -PKI_EIO, "fd source error");
}

int main(void)
{
	test_add();
	test_overflow();
	test_read_fd();
	test_sink_fd();
	test_sources();
	return done_testing();
}
