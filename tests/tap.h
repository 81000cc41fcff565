/*
 * tap.h: a tiny Test Anything Protocol (version 13) library.
 *
 * Header only: each test program is one translation unit that includes it,
 * so everything is static and the counters are per program. Output goes to
 * stdout, flushed line by line, so a crash shows the last test that ran:
 *
 *	TAP version 13
 *	1..3			(from plan(), or last from done_testing())
 *	ok 1 - name
 *	not ok 2 - name
 *	# got: 'a'
 *	# expected: 'b'
 *
 * Strings in diagnostics are quoted, with bytes outside printable ASCII
 * shown as \xNN, so testing a terminal sanitiser cannot drive the terminal.
 */
#ifndef OMBRE_TAP_H
#define OMBRE_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define TAP_UNUSED __attribute__((unused))
#define TAP_PRINTF(f, a) __attribute__((format(printf, f, a)))

static int	tap_run;
static int	tap_failed;
static int	tap_planned = -1;
static int	tap_started;

/* Print the version line once, before anything else. */
TAP_UNUSED static void
tap_start(void)
{
	if (!tap_started) {
		tap_started = 1;
		printf("TAP version 13\n");
	}
}

/* Announce n tests up front. */
TAP_UNUSED static void
plan(int n)
{
	tap_start();
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

/* Announce, at the end, that the tests run so far were all of them. */
TAP_UNUSED static void
done_testing(void)
{
	tap_start();
	if (tap_planned < 0) {
		tap_planned = tap_run;
		printf("1..%d\n", tap_run);
	}
	fflush(stdout);
}

/* Print a diagnostic line ("# text"). */
TAP_UNUSED TAP_PRINTF(1, 2) static void
diag(const char *fmt, ...)
{
	va_list	ap;

	tap_start();
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* Record one result; the name is a printf format. Return cond. */
TAP_UNUSED TAP_PRINTF(2, 3) static int
ok(int cond, const char *fmt, ...)
{
	va_list	ap;

	tap_start();
	tap_run++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

/* Print "# label: 'string'" with unprintable bytes escaped. */
TAP_UNUSED static void
tap_diag_str(const char *label, const char *s)
{
	const unsigned char	*p;

	printf("# %s: ", label);
	if (s == NULL)
		printf("NULL");
	else {
		putchar('\'');
		for (p = (const unsigned char *)s; *p != '\0'; p++) {
			if (*p < 0x20 || *p >= 0x7f || *p == '\\')
				printf("\\x%02x", *p);
			else
				putchar(*p);
		}
		putchar('\'');
	}
	putchar('\n');
}

/* Compare two integers. Return 1 if equal. */
TAP_UNUSED static int
is_int(long long got, long long expected, const char *name)
{
	if (ok(got == expected, "%s", name))
		return 1;
	printf("# got: %lld\n# expected: %lld\n", got, expected);
	fflush(stdout);
	return 0;
}

/* Compare two strings, either of which may be NULL. Return 1 if equal. */
TAP_UNUSED static int
is_str(const char *got, const char *expected, const char *name)
{
	int	same;

	if (got == NULL || expected == NULL)
		same = got == expected;
	else
		same = strcmp(got, expected) == 0;
	if (ok(same, "%s", name))
		return 1;
	tap_diag_str("got", got);
	tap_diag_str("expected", expected);
	fflush(stdout);
	return 0;
}

/*
 * Return the exit status for main: 0 when every test passed and, if a
 * plan was given, as many ran as were planned; 1 otherwise. Without a
 * plan so far, print one as done_testing() would.
 */
TAP_UNUSED static int
exit_status(void)
{
	if (tap_planned < 0)
		done_testing();
	if (tap_planned >= 0 && tap_planned != tap_run) {
		diag("planned %d tests but ran %d", tap_planned, tap_run);
		return 1;
	}
	if (tap_failed != 0) {
		diag("failed %d of %d tests", tap_failed, tap_run);
		return 1;
	}
	return 0;
}

#endif
