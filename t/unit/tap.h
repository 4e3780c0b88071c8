/* tap.h: a tiny Test Anything Protocol helper for the C unit tests.
 *
 *	ok(cond, "name %d", i);
 *	is_int(got, want, "name");
 *	is_str(got, want, "name");	(NULL is a value: it equals only NULL)
 *	return done_testing();		prints 1..N; non-zero if any failed
 *
 * The counters are file-scope statics: one test program, one TAP stream.
 */
#ifndef PKI_TAP_H
#define PKI_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Not every program uses every helper. */
#define TAP_FN static __attribute__((unused))

static int tap_run, tap_failed;

__attribute__((format(printf, 4, 0)))
TAP_FN void tap_vreport(int pass, const char *file, int line, const char *fmt, va_list ap)
{
	tap_run++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_run);
	vprintf(fmt, ap);
	printf("\n");
	if (!pass)
		printf("#   Failed test at %s line %d.\n", file, line);
	fflush(stdout);
}

__attribute__((format(printf, 4, 5)))
TAP_FN int tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vreport(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

__attribute__((format(printf, 5, 6)))
TAP_FN int tap_is_int(long long got, long long want, const char *file, int line,
		      const char *fmt, ...)
{
	va_list ap;
	int pass = got == want;

	va_start(ap, fmt);
	tap_vreport(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#          got: %lld\n#     expected: %lld\n", got, want);
	return pass;
}

__attribute__((format(printf, 5, 6)))
TAP_FN int tap_is_str(const char *got, const char *want, const char *file, int line,
		      const char *fmt, ...)
{
	va_list ap;
	int pass = got == NULL || want == NULL ? got == want : strcmp(got, want) == 0;

	va_start(ap, fmt);
	tap_vreport(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#          got: '%s'\n#     expected: '%s'\n",
		       got != NULL ? got : "(null)", want != NULL ? want : "(null)");
	return pass;
}

TAP_FN void tap_diag(const char *s)
{
	printf("# %s\n", s);
}

TAP_FN int done_testing(void)
{
	printf("1..%d\n", tap_run);
	if (tap_failed > 0)
		printf("# Looks like you failed %d test%s of %d.\n", tap_failed,
		       tap_failed == 1 ? "" : "s", tap_run);
	return tap_failed > 0 || tap_run == 0;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) \
	tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)
#define diag(s) tap_diag(s)

#endif
