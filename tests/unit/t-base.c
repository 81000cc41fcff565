/*
 * t-base.c: unit tests of src/base (xmalloc, log, buf, utf8, sanitize,
 * util). Prints TAP; links only libbase.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "base/base.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/utf8-width.h"
#include "tap.h"

/* Strings of code points used over and over. */
#define U_FFFD		"\xef\xbf\xbd"
#define U_ACUTE		"\xcc\x81"		/* U+0301 COMBINING ACUTE */
#define U_ELLIPSIS	"\xe2\x80\xa6"
#define U_NIHONGO	"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"	/* 日本語 */
#define U_NI		"\xe6\x97\xa5"				/* 日 */
#define U_HON		"\xe6\x9c\xac"				/* 本 */
#define U_GRIN		"\xf0\x9f\x98\x80"			/* 😀 */

/* ------------------------------------------------------------ helpers */

/* What a child process wrote on stderr and how it ended. */
struct child_result {
	char	err[4096];
	int	status;
};

/*
 * Run fn in a child with stderr on a pipe; collect what it wrote and its
 * wait status. The child's own exit path is fn's business; if fn returns,
 * the child exits 0.
 */
static void
run_child(void (*fn)(void), struct child_result *r)
{
	int	fds[2];
	pid_t	pid;
	size_t	have = 0;
	ssize_t	n;

	memset(r, 0, sizeof *r);
	if (pipe(fds) != 0) {
		perror("pipe");
		exit(1);
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == -1) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		close(fds[1]);
		fn();
		_exit(0);
	}
	close(fds[1]);
	while (have < sizeof r->err - 1) {
		n = read(fds[0], r->err + have, sizeof r->err - 1 - have);
		if (n <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			break;
		}
		have += n;
	}
	r->err[have] = '\0';
	close(fds[0]);
	while (waitpid(pid, &r->status, 0) == -1 && errno == EINTR)
		;
}

/* Return 1 when the child exited normally with code. */
static int
exited_with(const struct child_result *r, int code)
{
	return WIFEXITED(r->status) && WEXITSTATUS(r->status) == code;
}

/* Remove a directory tree made by the tests (no symlinks in it). */
static void
remove_tree(const char *path)
{
	struct stat	 sb;
	struct dirent	*de;
	DIR		*d;
	char		*child;

	if (lstat(path, &sb) != 0)
		return;
	if (!S_ISDIR(sb.st_mode)) {
		unlink(path);
		return;
	}
	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			child = xasprintf("%s/%s", path, de->d_name);
			remove_tree(child);
			free(child);
		}
		closedir(d);
	}
	rmdir(path);
}

/* ------------------------------------------------------------ xmalloc */

static void
child_overflow(void)
{
	xreallocarray(NULL, SIZE_MAX / 2, 4);
}

static void
test_xmalloc(void)
{
	struct child_result	 r;
	char			*s, *p;
	int			*v;
	size_t			 i;

	s = xmalloc(0);
	ok(s != NULL, "xmalloc(0) returns a pointer");
	free(s);

	v = xcalloc(16, sizeof *v);
	for (i = 0; i < 16 && v[i] == 0; i++)
		;
	is_int(i, 16, "xcalloc zeroes");
	v = xreallocarray(v, 1024, sizeof *v);
	v[1023] = 7;
	is_int(v[1023], 7, "xreallocarray grows");
	free(v);

	s = xstrdup("hello");
	is_str(s, "hello", "xstrdup");
	free(s);
	s = xstrndup("hello", 3);
	is_str(s, "hel", "xstrndup cuts at n");
	free(s);
	s = xstrndup("hi", 10);
	is_str(s, "hi", "xstrndup stops at NUL");
	free(s);
	s = xstrndup("hi", 0);
	is_str(s, "", "xstrndup of 0 bytes");
	free(s);

	s = xasprintf("%s-%d-%zu", "a", -3, (size_t)42);
	is_str(s, "a--3-42", "xasprintf");
	free(s);
	p = xmalloc(5000);
	memset(p, 'x', 4999);
	p[4999] = '\0';
	s = xasprintf("<%s>", p);
	is_int(strlen(s), 5001, "xasprintf of a long string");
	ok(s[0] == '<' && s[5000] == '>', "xasprintf long string content");
	free(s);
	free(p);
	s = xasprintf("%s", "");
	is_str(s, "", "xasprintf empty");
	free(s);

	run_child(child_overflow, &r);
	ok(exited_with(&r, 70), "xreallocarray overflow exits 70");
	ok(strstr(r.err, "ombre: xreallocarray: ") == r.err &&
	    strstr(r.err, "overflows\n") != NULL,
	    "xreallocarray overflow message");
}

/* ---------------------------------------------------------------- log */

static int	restore_calls;

static void
restore_hook(void)
{
	restore_calls++;
	fprintf(stderr, "[restored %d]", restore_calls);
}

static void
restore_hook_fatal(void)
{
	restore_calls++;
	fprintf(stderr, "[restored %d]", restore_calls);
	fatalx("restore failed");
}

static void
child_warn(void)
{
	log_set_progname(NULL);
	log_warn("plain %d %s", 1, "two");
	log_set_progname("other");
	log_warn("renamed");
	log_set_progname("ombre");
	log_set_verbose(0);
	log_debug("hidden");
	log_set_verbose(2);
	log_debug("shown %d", log_get_verbose());
}

static void
child_fatal(void)
{
	log_set_restore(restore_hook);
	errno = ENOENT;
	fatal("open %s", "x");
}

static void
child_fatalx(void)
{
	log_set_restore(restore_hook);
	fatalx("broken %d", 3);
}

static void
child_fatal_recursive(void)
{
	log_set_restore(restore_hook_fatal);
	fatalx("first");
}

static void
child_fatal_no_hook(void)
{
	fatalx("no hook");
}

static void
test_log(void)
{
	struct child_result	 r;
	char			*want;

	log_set_verbose(3);
	is_int(log_get_verbose(), 3, "log_get_verbose returns the level");
	log_set_verbose(0);
	is_int(log_get_verbose(), 0, "log_set_verbose 0");

	run_child(child_warn, &r);
	ok(exited_with(&r, 0), "log_warn child exits 0");
	is_str(r.err, "ombre: plain 1 two\nother: renamed\nombre: shown 2\n",
	    "log_warn and log_debug lines");

	run_child(child_fatal, &r);
	ok(exited_with(&r, 70), "fatal exits 70");
	want = xasprintf("[restored 1]ombre: open x: %s\n", strerror(ENOENT));
	is_str(r.err, want, "fatal restores then appends strerror(errno)");
	free(want);

	run_child(child_fatalx, &r);
	ok(exited_with(&r, 70), "fatalx exits 70");
	is_str(r.err, "[restored 1]ombre: broken 3\n",
	    "fatalx restores then prints");

	run_child(child_fatal_recursive, &r);
	ok(exited_with(&r, 70), "fatal from the restore hook exits 70");
	is_str(r.err, "[restored 1]ombre: restore failed\n",
	    "restore hook runs once when it fails itself");

	run_child(child_fatal_no_hook, &r);
	ok(exited_with(&r, 70), "fatalx without a hook exits 70");
	is_str(r.err, "ombre: no hook\n", "fatalx without a hook prints");
}

/* The ring behind :messages: every line with its level, quiet lines kept
 * off stderr, the oldest dropped past LOG_RING_LINES, a long line cut on
 * a UTF-8 boundary. */
static void
child_quiet(void)
{
	log_set_quiet(1);
	log_warn("kept off the terminal");
	log_set_quiet(0);
	log_info("ring only");
	log_warn("back on stderr");
}

static void
test_log_ring(void)
{
	struct child_result	 r;
	enum log_level		 level;
	int64_t			 when;
	char			 long_line[LOG_LINE_MAX * 2];
	const char		*text;
	size_t			 i;

	log_ring_clear();
	log_set_quiet(1);
	log_warn("config:%d: unknown command: %s", 3, "bnid");
	log_info("reply sent");
	log_warn("second error");
	log_set_quiet(0);
	is_int((long)log_ring_count(), 3, "three lines kept");
	is_int((long)log_ring_total(LOG_WARN), 2, "two of them warnings");
	text = log_ring_get(0, &when, &level);
	is_str(text, "config:3: unknown command: bnid", "oldest first");
	ok(level == LOG_WARN && when > 0, "with its level and time");
	text = log_ring_get(1, NULL, &level);
	ok(level == LOG_INFO && strcmp(text, "reply sent") == 0,
	    "log_info kept as info");
	ok(log_ring_get(3, NULL, NULL) == NULL, "NULL past the end");

	run_child(child_quiet, &r);
	is_str(r.err, "ombre: back on stderr\n",
	    "quiet and info lines never reach stderr");

	log_set_quiet(1);
	for (i = 0; i < LOG_RING_LINES + 5; i++)
		log_warn("line %zu", i);
	is_int((long)log_ring_count(), LOG_RING_LINES, "the ring is bounded");
	is_str(log_ring_get(0, NULL, NULL), "line 5", "the oldest dropped");
	is_str(log_ring_get(LOG_RING_LINES - 1, NULL, NULL), "line 1004",
	    "the newest last");

	/* "é" is two bytes: the cut falls inside one of them. */
	memset(long_line, 'a', sizeof long_line);
	for (i = 0; i + 1 < sizeof long_line; i += 2) {
		long_line[i] = (char)0xc3;
		long_line[i + 1] = (char)0xa9;
	}
	long_line[sizeof long_line - 1] = '\0';
	log_warn("%s", long_line);
	text = log_ring_get(LOG_RING_LINES - 1, NULL, NULL);
	ok(strlen(text) < LOG_LINE_MAX && utf8_valid(text, strlen(text),
	    NULL), "a long line cut on a character boundary");
	log_set_quiet(0);
	log_ring_clear();
}

/* ---------------------------------------------------------------- buf */

static void
test_buf(void)
{
	struct buf	 b, z;
	char		 chunk[1000], *s;
	size_t		 i, total = 1024 * 1024, bad;

	buf_init(&b);
	ok(b.data != NULL && b.data[0] == '\0' && b.len == 0,
	    "buf_init gives an empty string");
	s = buf_steal(&b);
	is_str(s, "", "buf_steal of an empty buffer gives \"\"");
	free(s);

	memset(&z, 0, sizeof z);
	buf_add_str(&z, "abc");
	buf_add_char(&z, 'd');
	buf_add(&z, "efgh", 2);
	buf_add(&z, NULL, 0);
	is_str(z.data, "abcdef", "buf_add* from a zeroed struct");
	is_int(z.len, 6, "length from a zeroed struct");
	buf_free(&z);
	ok(z.data != NULL && z.len == 0 && z.size == 0, "buf_free resets");

	memset(&z, 0, sizeof z);
	buf_reset(&z);
	ok(z.data != NULL && z.data[0] == '\0', "buf_reset of a zeroed struct");
	buf_free(&z);
	memset(&z, 0, sizeof z);
	buf_add_printf(&z, "%s", "");
	ok(z.data != NULL && z.data[0] == '\0' && z.len == 0,
	    "buf_add_printf of nothing on a zeroed struct");
	buf_free(&z);
	memset(&z, 0, sizeof z);
	s = buf_steal(&z);
	is_str(s, "", "buf_steal of a zeroed struct");
	free(s);

	buf_init(&b);
	buf_add_printf(&b, "%d-%s", 42, "x");
	is_str(b.data, "42-x", "buf_add_printf short");
	buf_add_printf(&b, "%0200d", 7);
	is_int(b.len, 204, "buf_add_printf past the allocation");
	ok(b.data[204] == '\0' && b.data[203] == '7' && b.data[4] == '0',
	    "buf_add_printf long content");
	buf_reset(&b);
	ok(b.len == 0 && b.data[0] == '\0' && b.size != 0,
	    "buf_reset keeps memory");
	buf_add_str(&b, "again");
	is_str(b.data, "again", "buf usable after reset");
	s = buf_steal(&b);
	is_str(s, "again", "buf_steal hands the data over");
	ok(b.len == 0 && b.size == 0 && b.data[0] == '\0',
	    "buf_steal leaves the buffer empty");
	free(s);

	/* Words joined with single spaces. */
	{
		char	 w0[] = "tag:inbox", w1[] = "and", w2[] = "", w3[] = "Zoë";
		char	*words[] = { w0, w1, w2, w3 };

		buf_init(&b);
		buf_add_words(&b, words, 0);
		is_str(b.data, "", "buf_add_words of no word adds nothing");
		buf_add_words(&b, words, 1);
		is_str(b.data, "tag:inbox", "one word, no space");
		buf_reset(&b);
		buf_add_words(&b, words, nitems(words));
		is_str(b.data, "tag:inbox and  Zoë",
		    "words joined by one space each, an empty one kept");
		buf_add_str(&b, " |");
		buf_add_words(&b, words + 1, 1);
		is_str(b.data, "tag:inbox and  Zoë |and",
		    "appended to what the buffer holds");
		buf_free(&b);
	}

	/* 1 MB in 1000-byte chunks, each byte known from its offset. */
	buf_init(&b);
	for (i = 0; i < total; i += sizeof chunk) {
		size_t	n = total - i < sizeof chunk ? total - i : sizeof chunk;
		size_t	j;

		for (j = 0; j < n; j++)
			chunk[j] = (char)('a' + (i + j) % 26);
		buf_add(&b, chunk, n);
	}
	is_int(b.len, total, "1 MB appended");
	ok(b.size > b.len && b.data[b.len] == '\0', "1 MB NUL-terminated");
	for (bad = 0; bad < total; bad++) {
		if (b.data[bad] != (char)('a' + bad % 26))
			break;
	}
	is_int(bad, total, "1 MB content intact across growth");
	buf_add_printf(&b, "%s", "tail");
	ok(strcmp(b.data + total, "tail") == 0, "printf after 1 MB");
	buf_free(&b);
}

/* --------------------------------------------------------------- utf8 */

/* Decode s fully and return 1 if it gives exactly the code points want. */
static int
decodes_to(const char *s, size_t len, const uint32_t *want, size_t n)
{
	size_t		i = 0, k = 0;
	uint32_t	cp;

	while (i < len) {
		i += utf8_decode(s + i, len - i, &cp);
		if (k >= n || cp != want[k])
			return 0;
		k++;
	}
	return k == n;
}

/* Check a generated table is sorted, disjoint and well formed. */
static int
table_sorted(const struct utf8_width_range *t, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (t[i].first > t[i].last || t[i].last > 0x10ffff)
			return 0;
		if (i > 0 && t[i].first <= t[i - 1].last)
			return 0;
	}
	return 1;
}

static void
test_utf8_steps(void)
{
	const char	*s = "a\xc3\xa9\xf0\x9f\x98\x80" "b";	/* a é 😀 b */
	size_t		 len = strlen(s);

	ok(utf8_next(s, len, 0) == 1 && utf8_next(s, len, 1) == 3 &&
	    utf8_next(s, len, 3) == 7 && utf8_next(s, len, 7) == 8 &&
	    utf8_next(s, len, 8) == 8, "utf8: next steps over whole characters");
	ok(utf8_prev(s, 8) == 7 && utf8_prev(s, 7) == 3 && utf8_prev(s, 3) == 1 &&
	    utf8_prev(s, 1) == 0 && utf8_prev(s, 0) == 0,
	    "utf8: prev steps back over whole characters");
}

static void
test_utf8(void)
{
	static const uint32_t	 samples[] = {
		0, 0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xfff, 0xd7ff, 0xe000,
		0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff
	};
	static const uint32_t	 fffd2[] = { 0xfffd, 0xfffd };
	static const uint32_t	 fffd3[] = { 0xfffd, 0xfffd, 0xfffd };
	static const uint32_t	 fffd4[] = { 0xfffd, 0xfffd, 0xfffd, 0xfffd };
	static const uint32_t	 trunc_a[] = { 0xfffd, 0xfffd, 0x61 };
	static const uint32_t	 mixed[] = { 0x61, 0xe9, 0x65e5, 0x1f600 };
	char			 out[4];
	uint32_t		 cp;
	size_t			 i, n, off, bad_rt = 0;
	size_t			 i2, j;

	/* Every scalar value survives encode then decode. */
	for (cp = 0; cp <= 0x10ffff; cp++) {
		uint32_t	back;

		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		n = utf8_encode(cp, out);
		if (utf8_decode(out, n, &back) != n || back != cp)
			bad_rt++;
		if (n != (cp < 0x80 ? 1u : cp < 0x800 ? 2u :
		    cp < 0x10000 ? 3u : 4u))
			bad_rt++;
	}
	is_int(bad_rt, 0, "encode/decode round trip of all scalar values");
	for (i = 0; i < nitems(samples); i++) {
		n = utf8_encode(samples[i], out);
		ok(utf8_valid(out, n, NULL), "encoded U+%04X is valid",
		    (unsigned int)samples[i]);
	}
	n = utf8_encode(0xd800, out);
	ok(n == 3 && memcmp(out, U_FFFD, 3) == 0, "encode surrogate -> U+FFFD");
	n = utf8_encode(0x110000, out);
	ok(n == 3 && memcmp(out, U_FFFD, 3) == 0, "encode > U+10FFFF -> U+FFFD");

	ok(decodes_to("a\xc3\xa9" U_NI U_GRIN, 10, mixed, 4),
	    "decode 1, 2, 3 and 4 byte sequences");
	is_int(utf8_decode("", 0, &cp), 0, "decode of nothing consumes 0");
	is_int(cp, 0xfffd, "decode of nothing yields U+FFFD");
	is_int(utf8_decode("\x80", 1, &cp), 1, "lone continuation consumes 1");
	is_int(cp, 0xfffd, "lone continuation yields U+FFFD");
	ok(decodes_to("\xc0\xaf", 2, fffd2, 2), "overlong 2 bytes (C0 AF)");
	ok(decodes_to("\xc1\xbf", 2, fffd2, 2), "overlong 2 bytes (C1 BF)");
	ok(decodes_to("\xc0\x80", 2, fffd2, 2), "overlong NUL is not NUL");
	ok(decodes_to("\xe0\x80\xaf", 3, fffd3, 3), "overlong 3 bytes");
	ok(decodes_to("\xe0\x9f\xbf", 3, fffd3, 3), "overlong 3 bytes, max");
	ok(decodes_to("\xf0\x80\x80\xaf", 4, fffd4, 4), "overlong 4 bytes");
	ok(decodes_to("\xf0\x8f\xbf\xbf", 4, fffd4, 4), "overlong 4, max");
	ok(decodes_to("\xed\xa0\x80", 3, fffd3, 3), "surrogate D800");
	ok(decodes_to("\xed\xbf\xbf", 3, fffd3, 3), "surrogate DFFF");
	ok(decodes_to("\xf4\x90\x80\x80", 4, fffd4, 4), "U+110000");
	ok(decodes_to("\xf5\x80\x80\x80", 4, fffd4, 4), "F5 lead byte");
	ok(decodes_to("\xfe\xff", 2, fffd2, 2), "FE FF bytes");
	ok(decodes_to("\xe6\x97", 2, fffd2, 2), "truncated 3-byte sequence");
	ok(decodes_to("\xe6\x97" "a", 3, trunc_a, 3),
	    "truncated sequence then ASCII resynchronises");
	ok(decodes_to("\xe6\x97\xa5", 2, fffd2, 2),
	    "sequence cut by len is truncated");
	ok(decodes_to("\xf0\x9f\x98", 3, fffd3, 3), "truncated 4-byte");
	ok(decodes_to("\xe6\x41\xa5", 3, (const uint32_t[]){ 0xfffd, 0x41,
	    0xfffd }, 3), "bad continuation byte");

	ok(utf8_valid("", 0, NULL), "empty string is valid");
	ok(utf8_valid("plain " U_NIHONGO " " U_GRIN U_FFFD,
	    strlen("plain " U_NIHONGO " " U_GRIN U_FFFD), NULL),
	    "mixed valid text (with a literal U+FFFD)");
	off = 99;
	ok(!utf8_valid("abc\xff", 4, &off) && off == 3, "bad byte at 3");
	off = 99;
	ok(!utf8_valid(U_NI "\xe6\x97", 5, &off) && off == 3,
	    "truncated at the end, offset 3");
	off = 99;
	ok(!utf8_valid("\xed\xa0\x80" "abc", 6, &off) && off == 0,
	    "surrogate at 0");
	ok(!utf8_valid("a\0\xc0\x80", 4, &off) && off == 2,
	    "NUL is valid, overlong NUL is not");

	/* Widths. */
	is_int(utf8_cpwidth('a'), 1, "width of a");
	is_int(utf8_cpwidth(0x07), 1, "width of BEL (controls are 1)");
	is_int(utf8_cpwidth(0x9b), 1, "width of CSI (controls are 1)");
	is_int(utf8_cpwidth(0xad), 1, "width of soft hyphen");
	is_int(utf8_cpwidth(0xe9), 1, "width of e acute");
	is_int(utf8_cpwidth(0x301), 0, "width of combining acute");
	is_int(utf8_cpwidth(0x20dd), 0, "width of enclosing circle (Me)");
	is_int(utf8_cpwidth(0x200b), 0, "width of zero width space");
	is_int(utf8_cpwidth(0x200d), 0, "width of ZWJ (Cf)");
	is_int(utf8_cpwidth(0xfe0f), 0, "width of VS16");
	is_int(utf8_cpwidth(0x1160), 0, "width of Hangul jungseong filler");
	is_int(utf8_cpwidth(0x11ff), 0, "width of last Hangul jongseong");
	is_int(utf8_cpwidth(0x1100), 2, "width of Hangul choseong");
	is_int(utf8_cpwidth(0xac00), 2, "width of Hangul syllable");
	is_int(utf8_cpwidth(0x65e5), 2, "width of CJK ideograph");
	is_int(utf8_cpwidth(0x3000), 2, "width of ideographic space (F)");
	is_int(utf8_cpwidth(0xff21), 2, "width of fullwidth A (F)");
	is_int(utf8_cpwidth(0xff61), 1, "width of halfwidth stop (H)");
	is_int(utf8_cpwidth(0x3099), 0, "combining mark beats wide");
	is_int(utf8_cpwidth(0x1f600), 2, "width of grinning face");
	is_int(utf8_cpwidth(0x1f44d), 2, "width of thumbs up");
	is_int(utf8_cpwidth(0x2615), 2, "width of hot beverage (W)");
	is_int(utf8_cpwidth(0x2764), 1, "width of heavy heart (text default)");
	is_int(utf8_cpwidth(0x2026), 1, "width of ellipsis");
	is_int(utf8_cpwidth(0x9fff), 2, "width of U+9FFF");
	is_int(utf8_cpwidth(0x2fffd), 2, "width of unassigned plane 2");
	is_int(utf8_cpwidth(0xe000), 1, "width of private use");
	is_int(utf8_cpwidth(0x10ffff), 1, "width of U+10FFFF");
	is_int(utf8_cpwidth(0xe0001), 0, "width of language tag (Cf)");

	is_int(utf8_width(U_NIHONGO, strlen(U_NIHONGO)), 6, "width of 日本語");
	is_int(utf8_width(U_GRIN, 4), 2, "width of 😀");
	is_int(utf8_width("\xc3\xa9", 2), 1, "width of composed é");
	is_int(utf8_width("e" U_ACUTE, 3), 1, "width of decomposed é");
	is_int(utf8_width("\xff\xfe", 2), 2, "invalid bytes count 1 each");
	is_int(utf8_width("", 0), 0, "width of nothing");
	is_int(utf8_width("abc", 3), 3, "width of ASCII");

	ok(table_sorted(utf8_zero_width, nitems(utf8_zero_width)),
	    "zero width table sorted and disjoint");
	ok(table_sorted(utf8_double_width, nitems(utf8_double_width)),
	    "double width table sorted and disjoint");
	n = 0;
	for (i2 = 0; i2 < nitems(utf8_zero_width); i2++) {
		for (j = 0; j < nitems(utf8_double_width); j++) {
			if (utf8_zero_width[i2].first <=
			    utf8_double_width[j].last &&
			    utf8_double_width[j].first <=
			    utf8_zero_width[i2].last)
				n++;
		}
	}
	is_int(n, 0, "zero and double width tables do not overlap");
	ok(strlen(UTF8_WIDTH_UNICODE_VERSION) >= 5, "tables name a version (%s)",
	    UTF8_WIDTH_UNICODE_VERSION);
}

/* ----------------------------------------------------------- sanitize */

/* Return 1 when cp must never appear in sanitised output. */
static int
forbidden_cp(uint32_t cp, enum sanitize_mode mode)
{
	if (cp == '\n')
		return mode == SANITIZE_LINE;
	if (cp == '\t')
		return mode == SANITIZE_LINE;
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
		return 1;
	return (cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0xfeff);
}

/*
 * Check the promises of sanitize_buf on its output: valid UTF-8, nothing
 * forbidden, at most SANITIZE_MAX_COMBINING marks in a row, every line
 * within max_width (TAB to the next multiple of 8), and the returned width
 * equal to the widest line. Return NULL or what was broken.
 */
static const char *
check_sanitized(const char *s, enum sanitize_mode mode, size_t max_width,
    size_t returned)
{
	size_t		i = 0, len = strlen(s), width = 0, widest = 0, n;
	unsigned	marks = 0;
	uint32_t	cp;
	int		w;

	if (!utf8_valid(s, len, NULL))
		return "invalid UTF-8";
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		i += n;
		if (forbidden_cp(cp, mode))
			return "forbidden code point";
		if (cp == '\r')
			return "CR";
		if (cp == '\n') {
			if (width > widest)
				widest = width;
			width = 0;
			marks = 0;
			continue;
		}
		if (cp == '\t') {
			width += 8 - width % 8;
			marks = 0;
			continue;
		}
		w = utf8_cpwidth(cp);
		if (w == 0) {
			if (++marks > SANITIZE_MAX_COMBINING)
				return "too many combining marks";
		} else
			marks = 0;
		width += w;
		if (max_width != 0 && width > max_width)
			return "line wider than max_width";
	}
	if (width > widest)
		widest = width;
	if (widest != returned)
		return "returned width is not the widest line";
	return NULL;
}

/*
 * Sanitise len bytes of in and compare with want; check the invariants
 * and that sanitising again changes nothing.
 */
static void
check_san(const char *in, size_t len, enum sanitize_mode mode,
    size_t max_width, const char *want, const char *name)
{
	struct buf	 b;
	const char	*broken;
	char		*again;
	size_t		 width;

	buf_init(&b);
	width = sanitize_buf(&b, in, len, mode, max_width);
	is_str(b.data, want, name);
	broken = check_sanitized(b.data, mode, max_width, width);
	if (broken != NULL)
		ok(0, "%s: %s", name, broken);
	again = sanitize(b.data, b.len, mode, max_width);
	if (strcmp(again, b.data) != 0)
		is_str(again, b.data, "sanitising again changes nothing");
	free(again);
	buf_free(&b);
}

/* Shorthands for NUL-terminated input. */
static void
san_line(const char *in, size_t max_width, const char *want, const char *name)
{
	check_san(in, strlen(in), SANITIZE_LINE, max_width, want, name);
}

static void
san_body(const char *in, size_t max_width, const char *want, const char *name)
{
	check_san(in, strlen(in), SANITIZE_BODY, max_width, want, name);
}

static void
test_sanitize_controls(void)
{
	static const uint32_t	 bidi[] = {
		0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d,
		0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff
	};
	char			 in[16], want[32];
	uint32_t		 c;
	size_t			 i, n;
	int			 all_ok;

	san_line("hello, world", 0, "hello, world", "plain ASCII unchanged");
	san_line("", 0, "", "empty line");
	san_line(U_NIHONGO " " U_GRIN " caf\xc3\xa9", 0,
	    U_NIHONGO " " U_GRIN " caf\xc3\xa9", "valid UTF-8 unchanged");

	/* Every C0 control but TAB and LF, in both modes. */
	all_ok = 1;
	for (c = 0; c < 0x20; c++) {
		char	*got_line, *got_body;

		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		in[0] = 'a';
		in[1] = (char)c;
		in[2] = 'b';
		snprintf(want, sizeof want, "a^%cb", (char)(c + 0x40));
		got_line = sanitize(in, 3, SANITIZE_LINE, 0);
		got_body = sanitize(in, 3, SANITIZE_BODY, 0);
		if (strcmp(got_line, want) != 0 ||
		    strcmp(got_body, want) != 0) {
			diag("C0 0x%02x: got '%s' and '%s'", (unsigned int)c,
			    got_line, got_body);
			all_ok = 0;
		}
		free(got_line);
		free(got_body);
	}
	ok(all_ok, "every C0 control becomes ^X in both modes");
	check_san("a\0b", 3, SANITIZE_LINE, 0, "a^@b", "NUL becomes ^@");
	san_line("\x1b", 0, "^[", "ESC becomes ^[");
	san_line("a\x7f", 0, "a^?", "DEL becomes ^?");
	san_body("a\x7f", 0, "a^?", "DEL becomes ^? in a body");

	/* TAB, LF and CR. */
	san_line("a\tb", 0, "a b", "TAB is a space in a line");
	san_body("a\tb", 0, "a\tb", "TAB kept in a body");
	san_line("a\nb", 0, "a^Jb", "LF is ^J in a line");
	san_body("a\nb\n", 0, "a\nb\n", "LF kept in a body");
	san_line("a\rb", 0, "a^Mb", "CR is ^M in a line");
	san_line("a\r\nb", 0, "a^M^Jb", "CRLF is ^M^J in a line");
	san_body("a\r\nb\r\n", 0, "a\nb\n", "CRLF reads as LF in a body");
	san_body("a\rb", 0, "a^Mb", "lone CR is ^M in a body");
	san_body("a\r", 0, "a^M", "CR at the end is ^M in a body");
	san_body("a\r\r\nb", 0, "a^M\nb", "CR CR LF in a body");

	/* Escape sequences: the ESC goes, the rest is shown as text. */
	san_line("\x1b[31mred\x1b[0m", 0, "^[[31mred^[[0m", "SGR colour");
	san_line("\x1b[2J\x1b[H", 0, "^[[2J^[[H", "clear screen");
	san_line("\x1b]52;c;SGVsbG8=\x07", 0, "^[]52;c;SGVsbG8=^G",
	    "OSC 52 clipboard with BEL");
	san_line("\x1b]52;c;SGVsbG8=\x1b\\", 0, "^[]52;c;SGVsbG8=^[\\",
	    "OSC 52 clipboard with ST");
	san_line("\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", 0,
	    "^[]8;;https://evil.example/^[\\click^[]8;;^[\\",
	    "OSC 8 hyperlink");
	san_line("\x1b]0;owned\x07", 0, "^[]0;owned^G", "OSC 0 title");
	san_line("\x1b[6n\x1bP$qm\x1b\\", 0, "^[[6n^[P$qm^[\\",
	    "CSI 6n and DECRQSS queries");
	san_line("\xc2\x9b" "31m", 0, "<U+009B>31m", "C1 CSI as UTF-8");
	san_line("\xc2\x9d" "52;c;x\xc2\x9c", 0, "<U+009D>52;c;x<U+009C>",
	    "C1 OSC and ST as UTF-8");
	san_line("\x9b" "31m", 0, U_FFFD "31m", "raw 8-bit CSI is invalid");

	/* Every C1 control. */
	all_ok = 1;
	for (c = 0x80; c <= 0x9f; c++) {
		char	*got;

		n = utf8_encode(c, in);
		snprintf(want, sizeof want, "<U+%04X>", (unsigned int)c);
		got = sanitize(in, n, SANITIZE_BODY, 0);
		if (strcmp(got, want) != 0)
			all_ok = 0;
		free(got);
	}
	ok(all_ok, "every C1 control becomes <U+00XX>");

	/* Every bidi control and the BOM. */
	all_ok = 1;
	for (i = 0; i < nitems(bidi); i++) {
		char	*got;

		n = utf8_encode(bidi[i], in);
		snprintf(want, sizeof want, "<U+%04X>", (unsigned int)bidi[i]);
		got = sanitize(in, n, SANITIZE_LINE, 0);
		if (strcmp(got, want) != 0) {
			diag("U+%04X: got '%s'", (unsigned int)bidi[i], got);
			all_ok = 0;
		}
		free(got);
	}
	ok(all_ok, "every bidi control and U+FEFF become <U+XXXX>");
	san_line("invoice_\xe2\x80\xae" "exe.pdf", 0, "invoice_<U+202E>exe.pdf",
	    "right-to-left override in a file name");
	san_line("\xef\xbb\xbfhello", 0, "<U+FEFF>hello", "BOM at the start");
	san_line("a\xe2\x80\x8b" "b", 0, "a\xe2\x80\x8b" "b",
	    "zero width space kept (not a bidi control)");
	san_line("a\xe2\x80\xa8" "b", 0, "a\xe2\x80\xa8" "b",
	    "line separator U+2028 kept");

	/* Invalid UTF-8. */
	san_line("a\xff" "b", 0, "a" U_FFFD "b", "invalid byte");
	san_line("\xc0\xaf", 0, U_FFFD U_FFFD, "overlong slash");
	san_line("\xc0\x80", 0, U_FFFD U_FFFD, "overlong NUL");
	san_line("\xe0\x80\x9b", 0, U_FFFD U_FFFD U_FFFD, "overlong CSI");
	san_line("\xed\xa0\x80", 0, U_FFFD U_FFFD U_FFFD, "surrogate");
	san_line("\xf4\x90\x80\x80", 0, U_FFFD U_FFFD U_FFFD U_FFFD,
	    "beyond U+10FFFF");
	san_line("ab\xe6\x97", 0, "ab" U_FFFD U_FFFD, "truncated at the end");
	san_line("\xf0\x9f\x98" "x", 0, U_FFFD U_FFFD U_FFFD "x",
	    "truncated emoji then ASCII");
	san_body("\xe6\x97\n\xe6", 0, U_FFFD U_FFFD "\n" U_FFFD,
	    "truncated sequences around a newline");
}

static void
test_sanitize_combining(void)
{
	struct buf	b;
	size_t		i, width;

	/* e followed by 50 combining acute accents. */
	buf_init(&b);
	buf_add_char(&b, 'e');
	for (i = 0; i < 50; i++)
		buf_add_str(&b, U_ACUTE);
	buf_add_str(&b, "x");
	for (i = 0; i < 50; i++)
		buf_add_str(&b, U_ACUTE);
	check_san(b.data, b.len, SANITIZE_LINE, 0,
	    "e" U_ACUTE U_ACUTE "x" U_ACUTE U_ACUTE,
	    "combining flood capped per base character");
	check_san(b.data, b.len, SANITIZE_BODY, 0,
	    "e" U_ACUTE U_ACUTE "x" U_ACUTE U_ACUTE,
	    "combining flood capped in a body");
	buf_free(&b);

	san_line("e" U_ACUTE, 0, "e" U_ACUTE, "one mark kept");
	san_line("e" U_ACUTE "\xcc\x88", 0, "e" U_ACUTE "\xcc\x88",
	    "two different marks kept");
	san_line(U_ACUTE U_ACUTE U_ACUTE "a", 0, U_ACUTE U_ACUTE "a",
	    "leading marks capped too");
	san_line("a" U_ACUTE U_ACUTE U_ACUTE "\x1b" U_ACUTE U_ACUTE U_ACUTE, 0,
	    "a" U_ACUTE U_ACUTE "^[" U_ACUTE U_ACUTE,
	    "a placeholder is a base character");
	san_body("a" U_ACUTE U_ACUTE U_ACUTE "\n" U_ACUTE U_ACUTE U_ACUTE, 0,
	    "a" U_ACUTE U_ACUTE "\n" U_ACUTE U_ACUTE, "a newline resets");
	san_line("a" U_ACUTE "\xe2\x80\xae" U_ACUTE, 0,
	    "a" U_ACUTE "<U+202E>" U_ACUTE,
	    "bidi controls are shown, not counted as marks");

	/* The counts do not leak between calls on one buffer. */
	buf_init(&b);
	width = sanitize_buf(&b, "e" U_ACUTE U_ACUTE, 5, SANITIZE_LINE, 0);
	width += sanitize_buf(&b, U_ACUTE, 2, SANITIZE_LINE, 0);
	is_str(b.data, "e" U_ACUTE U_ACUTE U_ACUTE,
	    "each call starts a fresh count");
	is_int(width, 1, "marks add no width");
	buf_free(&b);
}

static void
test_sanitize_width(void)
{
	struct buf	 b;
	size_t		 w;
	char		*s;

	san_line("hello", 5, "hello", "exact fit is not cut");
	san_line("hello world", 5, "hell" U_ELLIPSIS, "cut with ellipsis");
	san_line("hello world", 1, U_ELLIPSIS, "width 1 is the ellipsis");
	san_line("ab", 2, "ab", "two in two");
	san_line("abc", 2, "a" U_ELLIPSIS, "three in two");
	san_line(U_NIHONGO, 6, U_NIHONGO, "日本語 fits in 6");
	san_line(U_NIHONGO, 5, U_NI U_HON U_ELLIPSIS, "日本語 in 5");
	san_line(U_NIHONGO, 4, U_NI U_ELLIPSIS, "日本語 in 4");
	san_line(U_NIHONGO, 3, U_NI U_ELLIPSIS, "日本語 in 3");
	san_line(U_NIHONGO, 2, U_ELLIPSIS, "日本語 in 2");
	san_line(U_NIHONGO, 1, U_ELLIPSIS, "日本語 in 1");
	san_line("a" U_NIHONGO, 4, "a" U_NI U_ELLIPSIS, "a日本語 in 4");
	san_line("a" U_NIHONGO, 3, "a" U_ELLIPSIS, "a日本語 in 3");
	san_line(U_GRIN U_GRIN U_GRIN, 5, U_GRIN U_GRIN U_ELLIPSIS,
	    "emoji in 5");
	san_line(U_GRIN U_GRIN U_GRIN, 6, U_GRIN U_GRIN U_GRIN, "emoji in 6");
	san_line("e" U_ACUTE "e" U_ACUTE "e" U_ACUTE, 2,
	    "e" U_ACUTE U_ELLIPSIS, "marks stay with their base when cut");
	san_line("e" U_ACUTE "e" U_ACUTE, 2, "e" U_ACUTE "e" U_ACUTE,
	    "trailing mark does not cut");
	san_line("ab\x1b", 3, "ab" U_ELLIPSIS, "placeholder counts its width");
	san_line("\xe2\x80\xae" "abc", 4, U_ELLIPSIS,
	    "a placeholder wider than the limit is left out whole");
	san_line("a\nb", 2, "a" U_ELLIPSIS, "^J counts 2 columns");
	san_line("a\tb", 3, "a b", "TAB in a line is one column");

	/* Bodies: the limit is per line. */
	san_body("abcdef\nxy\nlonger line", 4,
	    "abc" U_ELLIPSIS "\nxy\nlon" U_ELLIPSIS, "body cut per line");
	san_body("abcdef\r\nxy", 4, "abc" U_ELLIPSIS "\nxy",
	    "CRLF after a cut line");
	san_body("\tx", 9, "\tx", "TAB to column 8 then x fits in 9");
	san_body("\tx", 8, U_ELLIPSIS, "TAB counts to the tab stop");
	san_body("a\tbcdefghij", 10, "a\tb" U_ELLIPSIS, "cut after a TAB");
	san_body("abc\tx", 9, "abc\tx", "TAB after text reaches column 8");

	/* Widths returned. */
	buf_init(&b);
	w = sanitize_buf(&b, U_NIHONGO, strlen(U_NIHONGO), SANITIZE_LINE, 0);
	is_int(w, 6, "width of 日本語 returned");
	buf_reset(&b);
	w = sanitize_buf(&b, U_NIHONGO, strlen(U_NIHONGO), SANITIZE_LINE, 5);
	is_int(w, 5, "width after a cut includes the ellipsis");
	buf_reset(&b);
	w = sanitize_buf(&b, U_NIHONGO, strlen(U_NIHONGO), SANITIZE_LINE, 4);
	is_int(w, 3, "cut before a wide character may leave less");
	buf_reset(&b);
	w = sanitize_buf(&b, "a\x1b\xc2\x85", 4, SANITIZE_LINE, 0);
	is_int(w, 11, "placeholder widths: a ^[ <U+0085>");
	buf_reset(&b);
	w = sanitize_buf(&b, "ab\nabcdef\nx", 11, SANITIZE_BODY, 0);
	is_int(w, 6, "body returns the widest line");
	buf_reset(&b);
	w = sanitize_buf(&b, "a\tb", 3, SANITIZE_BODY, 0);
	is_int(w, 9, "body TAB width to the next stop");
	buf_free(&b);

	/* Appending after existing text, which the cut never touches. */
	buf_init(&b);
	buf_add_str(&b, "name: ");
	w = sanitize_buf(&b, "abcdef", 6, SANITIZE_LINE, 3);
	is_str(b.data, "name: ab" U_ELLIPSIS, "cut keeps earlier contents");
	is_int(w, 3, "width counts only the appended text");
	buf_reset(&b);
	buf_add_str(&b, "x");
	w = sanitize_buf(&b, "\xe2\x80\xae", 3, SANITIZE_LINE, 2);
	is_str(b.data, "x" U_ELLIPSIS, "cut at the very start of the append");
	is_int(w, 1, "width of an ellipsis alone");
	buf_free(&b);
	memset(&b, 0, sizeof b);
	w = sanitize_buf(&b, "\x1b", 1, SANITIZE_LINE, 1);
	is_str(b.data, U_ELLIPSIS, "cut into a zeroed buffer");
	buf_free(&b);
	memset(&b, 0, sizeof b);
	w = sanitize_buf(&b, "", 0, SANITIZE_BODY, 0);
	ok(w == 0 && b.len == 0, "nothing into a zeroed buffer");
	buf_free(&b);

	s = sanitize("", 0, SANITIZE_LINE, 10);
	is_str(s, "", "sanitize of nothing is an allocated \"\"");
	free(s);
	s = sanitize("abc\x1b", 2, SANITIZE_LINE, 0);
	is_str(s, "ab", "sanitize honours len");
	free(s);
}

/*
 * Random input from an alphabet of troublesome pieces, through every
 * mode and a range of widths: the invariants must always hold.
 */
static void
test_sanitize_random(void)
{
	static const char	*pieces[] = {
		"a", "Z", " ", "\t", "\n", "\r", "\r\n", "\x1b", "[", "]",
		"\x07", "\x7f", "\0", "\xc2\x9b", "\xc2\x85", "\x9b", "\xff",
		"\xc0\x80", "\xed\xa0\x80", "\xe6\x97", "\xf0\x9f\x98",
		U_NI, U_GRIN, U_ACUTE, "\xe2\x80\xae", "\xe2\x81\xa6",
		"\xef\xbb\xbf", "\xd8\x9c", "\xe2\x80\x8b", "\xe2\x80\x8d",
		"\xe1\x85\xa0", "\xc2\xad", "\xef\xbc\xa1", "\xef\xbf\xbd",
		U_ELLIPSIS
	};
	static const size_t	 lengths[] = {
		1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 2, 3, 2, 3,
		3, 4, 2, 3, 3, 3, 2, 3, 3, 3, 2, 3, 3, 3
	};
	struct buf		 in, out;
	uint32_t		 seed = 12345;
	const char		*broken = NULL;
	char			*again;
	size_t			 round, k, count, max_width, w, bad = 0;
	enum sanitize_mode	 mode;

	if (nitems(pieces) != nitems(lengths)) {
		ok(0, "random alphabet tables match");
		return;
	}
	buf_init(&in);
	buf_init(&out);
	for (round = 0; round < 20000 && bad == 0; round++) {
		buf_reset(&in);
		seed = seed * 1103515245 + 12345;
		count = (seed >> 16) % 24;
		for (k = 0; k < count; k++) {
			seed = seed * 1103515245 + 12345;
			w = (seed >> 16) % nitems(pieces);
			buf_add(&in, pieces[w], lengths[w]);
		}
		mode = round % 2 ? SANITIZE_BODY : SANITIZE_LINE;
		max_width = (round / 2) % 12;

		buf_reset(&out);
		w = sanitize_buf(&out, in.data, in.len, mode, max_width);
		if (strlen(out.data) != out.len)
			broken = "NUL in output";
		else
			broken = check_sanitized(out.data, mode, max_width, w);
		if (broken == NULL) {
			again = sanitize(out.data, out.len, mode, max_width);
			if (strcmp(again, out.data) != 0)
				broken = "not idempotent";
			free(again);
		}
		if (broken != NULL) {
			diag("round %zu (mode %d, width %zu): %s", round,
			    (int)mode, max_width, broken);
			bad++;
		}
	}
	is_int(bad, 0, "20000 random inputs keep every invariant");
	buf_free(&in);
	buf_free(&out);
}

/* --------------------------------------------------------------- util */

static void
parse_ok(const char *s, int64_t want_t, int want_offset)
{
	int64_t	t = -12345;
	int	offset = -1;
	int	rc;

	rc = util_parse_rfc3339(s, &t, &offset);
	ok(rc == 0 && t == want_t && offset == want_offset, "parse %s", s);
	if (rc != 0 || t != want_t || offset != want_offset) {
		diag("rc %d t %lld offset %d", rc, (long long)t, offset);
	}
}

static void
parse_bad(const char *s)
{
	int64_t	t = 0;

	ok(util_parse_rfc3339(s, &t, NULL) == -1, "reject '%s'", s);
}

static void
format_is(int64_t t, int offset, const char *want)
{
	char	out[64];

	util_format_rfc3339(t, offset, out, sizeof out);
	is_str(out, want, want);
}

static void
test_rfc3339(void)
{
	static const char	*round_trips[] = {
		"1970-01-01T00:00:00Z", "2024-02-29T12:34:56Z",
		"2024-02-29T12:34:56+02:00", "1999-12-31T23:59:59-05:30",
		"2000-03-01T00:00:00+14:00", "0000-01-01T00:00:00Z",
		"9999-12-31T23:59:59Z", "1969-07-20T20:17:40-00:01",
		"1900-03-01T00:00:00Z", "2100-02-28T23:59:59+23:59"
	};
	static const int	 offsets[] = { 0, 3600, -18000, 19800, -34200 };
	char			 out[64], want[64];
	int64_t			 t, back;
	size_t			 i, bad = 0, bad_gm = 0;
	int			 offset;
	struct tm		 tm;
	time_t			 tt;

	parse_ok("1970-01-01T00:00:00Z", 0, 0);
	parse_ok("1969-12-31T23:59:59Z", -1, 0);
	parse_ok("2024-02-29T12:34:56Z", 1709210096, 0);
	parse_ok("2024-02-29T14:34:56+02:00", 1709210096, 7200);
	parse_ok("2024-02-29T07:04:56-05:30", 1709210096, -19800);
	parse_ok("2024-02-29t12:34:56z", 1709210096, 0);
	parse_ok("2024-02-29 12:34:56Z", 1709210096, 0);
	parse_ok("2024-02-29T12:34:56.999999999Z", 1709210096, 0);
	parse_ok("2024-02-29T12:34:56.5+00:00", 1709210096, 0);
	parse_ok("2024-02-29T12:34:56-00:00", 1709210096, 0);
	parse_ok("2000-02-29T00:00:00Z", 951782400, 0);
	parse_ok("2016-12-31T23:59:60Z", 1483228800, 0);
	parse_ok("0000-01-01T00:00:00Z", INT64_C(-62167219200), 0);
	parse_ok("0001-01-01T00:00:00Z", INT64_C(-62135596800), 0);
	parse_ok("9999-12-31T23:59:59Z", INT64_C(253402300799), 0);
	parse_ok("2024-01-01T00:00:00+23:59", 1704067200 - 86340, 86340);
	ok(util_parse_rfc3339("2024-01-01T00:00:00Z", NULL, NULL) == 0,
	    "parse with NULL outputs");

	parse_bad("");
	parse_bad("2024-01-01");
	parse_bad("2024-01-01T00:00:00");
	parse_bad("2024-01-01T00:00Z");
	parse_bad("2024-01-01T00:00:00Zjunk");
	parse_bad(" 2024-01-01T00:00:00Z");
	parse_bad("2024-01-01T00:00:00 Z");
	parse_bad("2024-01-01X00:00:00Z");
	parse_bad("24-01-01T00:00:00Z");
	parse_bad("2024-1-01T00:00:00Z");
	parse_bad("2024-01-1T00:00:00Z");
	parse_bad("+2024-01-01T00:00:00Z");
	parse_bad("2024-00-01T00:00:00Z");
	parse_bad("2024-13-01T00:00:00Z");
	parse_bad("2024-01-00T00:00:00Z");
	parse_bad("2024-01-32T00:00:00Z");
	parse_bad("2024-04-31T00:00:00Z");
	parse_bad("2023-02-29T00:00:00Z");
	parse_bad("1900-02-29T00:00:00Z");
	parse_bad("2024-02-30T00:00:00Z");
	parse_bad("2024-01-01T24:00:00Z");
	parse_bad("2024-01-01T23:60:00Z");
	parse_bad("2024-01-01T23:59:61Z");
	parse_bad("2024-01-01T00:00:00.Z");
	parse_bad("2024-01-01T00:00:00,5Z");
	parse_bad("2024-01-01T00:00:00+24:00");
	parse_bad("2024-01-01T00:00:00+05:60");
	parse_bad("2024-01-01T00:00:00+0500");
	parse_bad("2024-01-01T00:00:00+05");
	parse_bad("2024-01-01T00:00:00+5:00");
	parse_bad("2024-01-01T0a:00:00Z");
	parse_bad("2024-01-01T00:00:00\xef\xbc\xba");

	format_is(0, 0, "1970-01-01T00:00:00Z");
	format_is(-1, 0, "1969-12-31T23:59:59Z");
	format_is(0, -18000, "1969-12-31T19:00:00-05:00");
	format_is(1709210096, 7200, "2024-02-29T14:34:56+02:00");
	format_is(1709210096, -19800, "2024-02-29T07:04:56-05:30");
	format_is(1709210096, 90000, "2024-02-29T12:34:56Z");
	format_is(1709210096, 7230, "2024-02-29T14:34:56+02:00");
	util_format_rfc3339(0, 0, out, 11);
	is_str(out, "1970-01-01", "format truncates to the buffer");

	for (i = 0; i < nitems(round_trips); i++) {
		if (util_parse_rfc3339(round_trips[i], &t, &offset) != 0) {
			ok(0, "round trip %s parses", round_trips[i]);
			continue;
		}
		util_format_rfc3339(t, offset, out, sizeof out);
		is_str(out, round_trips[i], "round trip of a string");
	}

	/* Times from -4000 to +4000 years around 1970, in odd steps. */
	for (t = INT64_C(-126230400000); t < INT64_C(126230400000);
	    t += INT64_C(98765432)) {
		for (i = 0; i < nitems(offsets); i++) {
			util_format_rfc3339(t, offsets[i], out, sizeof out);
			if (t + offsets[i] >= INT64_C(-62167219200) &&
			    t + offsets[i] <= INT64_C(253402300799) &&
			    (util_parse_rfc3339(out, &back, &offset) != 0 ||
			    back != t || offset != offsets[i])) {
				if (bad++ == 0)
					diag("round trip of %lld: %s",
					    (long long)t, out);
			}
		}
		/* The C library agrees on the calendar (gmtime, no TZ). */
		tt = (time_t)t;
		if ((int64_t)tt == t && t >= 0 && gmtime_r(&tt, &tm) != NULL) {
			strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
			util_format_rfc3339(t, 0, out, sizeof out);
			if (strcmp(out, want) != 0 && bad_gm++ == 0)
				diag("gmtime %s, ours %s", want, out);
		}
	}
	is_int(bad, 0, "format then parse gives the time back");
	is_int(bad_gm, 0, "calendar agrees with gmtime_r");
}

static void
age_is(int64_t seconds, const char *want)
{
	char	out[16];
	char	name[64];

	util_format_age(seconds, out, sizeof out);
	snprintf(name, sizeof name, "age of %lld is %s", (long long)seconds,
	    want);
	is_str(out, want, name);
}

static void
count_is(long n, const char *want)
{
	char	out[16];
	char	name[64];

	util_format_count(n, out, sizeof out);
	snprintf(name, sizeof name, "count %ld is %s", n, want);
	is_str(out, want, name);
}

/* The sidebar's counts: at most 4 columns, never more than there is. */
static void
test_format_count(void)
{
	count_is(-1, "0");
	count_is(0, "0");
	count_is(999, "999");
	count_is(1000, "1k");
	count_is(1049, "1k");
	count_is(1250, "1.2k");
	count_is(9999, "9.9k");
	count_is(10000, "10k");
	count_is(25248, "25k");
	count_is(475012, "475k");
	count_is(999999, "999k");
	count_is(1000000, "1M");
	count_is(1200000, "1.2M");
	count_is(3000000, "3M");
	count_is(12345678, "12M");
	count_is(999999999, "999M");
	count_is(1500000000L, "1.5G");
}

static void
test_util(void)
{
	struct stat	 sb;
	const char	*tmpdir;
	char		*base, *p, *q, out[4];
	int		 fd;
	pid_t		 pid;
	int64_t		 now;
	mode_t		 old_umask;

	age_is(-5, "0s");
	age_is(0, "0s");
	age_is(45, "45s");
	age_is(59, "59s");
	age_is(60, "1m");
	age_is(12 * 60 + 59, "12m");
	age_is(3599, "59m");
	age_is(3600, "1h");
	age_is(3 * 3600 + 1, "3h");
	age_is(86399, "23h");
	age_is(86400, "1d");
	age_is(5 * 86400 + 7, "5d");
	age_is(14 * 86400 - 1, "13d");
	age_is(14 * 86400, "2w");
	age_is(56 * 86400, "8w");
	age_is(INT64_C(520) * 7 * 86400, "520w");
	util_format_age(45, out, 2);
	is_str(out, "4", "age truncates to the buffer");

	/* util_now and OMBRE_NOW. */
	setenv("OMBRE_NOW", "1700000000", 1);
	is_int(util_now(), 1700000000, "OMBRE_NOW as seconds");
	setenv("OMBRE_NOW", "-5", 1);
	is_int(util_now(), -5, "OMBRE_NOW negative seconds");
	setenv("OMBRE_NOW", "2024-01-01T00:00:00Z", 1);
	is_int(util_now(), 1704067200, "OMBRE_NOW as RFC 3339");
	setenv("OMBRE_NOW", "2024-01-01T02:00:00+02:00", 1);
	is_int(util_now(), 1704067200, "OMBRE_NOW with an offset");
	setenv("OMBRE_NOW", "soon", 1);
	now = util_now();
	ok(now >= (int64_t)time(NULL) - 2 && now <= (int64_t)time(NULL),
	    "bad OMBRE_NOW falls back to the clock");
	setenv("OMBRE_NOW", "12abc", 1);
	now = util_now();
	ok(now >= (int64_t)time(NULL) - 2, "OMBRE_NOW with junk ignored");
	unsetenv("OMBRE_NOW");
	now = util_now();
	ok(now >= (int64_t)time(NULL) - 2 && now <= (int64_t)time(NULL),
	    "util_now without OMBRE_NOW is the clock");

	/* util_mkdir_p and util_fsync_dir, in a fresh directory. */
	if ((tmpdir = getenv("TMPDIR")) == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	base = xasprintf("%s/t-base.XXXXXX", tmpdir);
	if (mkdtemp(base) == NULL) {
		ok(0, "mkdtemp: %s", strerror(errno));
		free(base);
		return;
	}
	old_umask = umask(022);
	p = xasprintf("%s/a/b/c", base);
	is_int(util_mkdir_p(p, 0700), 0, "mkdir_p three levels");
	ok(stat(p, &sb) == 0 && S_ISDIR(sb.st_mode), "the directory exists");
	ok((sb.st_mode & 07777) == 0700, "with its mode");
	is_int(util_mkdir_p(p, 0700), 0, "mkdir_p of an existing directory");
	free(p);
	p = xasprintf("%s/m", base);
	is_int(util_mkdir_p(p, 0777), 0, "mkdir_p mode 0777");
	ok(stat(p, &sb) == 0 && (sb.st_mode & 07777) == 0755,
	    "umask applies");
	free(p);
	p = xasprintf("%s/x/y/", base);
	is_int(util_mkdir_p(p, 0700), 0, "mkdir_p with a trailing slash");
	free(p);
	p = xasprintf("%s//d//e", base);
	is_int(util_mkdir_p(p, 0700), 0, "mkdir_p with doubled slashes");
	free(p);
	p = xasprintf("%s/d/e", base);
	ok(stat(p, &sb) == 0 && S_ISDIR(sb.st_mode), "doubled slashes made d/e");
	free(p);
	p = xasprintf("%s/ro/sub", base);
	is_int(util_mkdir_p(p, 0500), 0, "parents of a read-only dir usable");
	free(p);

	p = xasprintf("%s/file", base);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ok(fd != -1, "create a plain file");
	if (fd != -1)
		close(fd);
	errno = 0;
	ok(util_mkdir_p(p, 0700) == -1 && errno == ENOTDIR,
	    "mkdir_p over a file fails with ENOTDIR");
	q = xasprintf("%s/sub", p);
	errno = 0;
	ok(util_mkdir_p(q, 0700) == -1 && errno == ENOTDIR,
	    "mkdir_p under a file fails with ENOTDIR");
	errno = 0;
	ok(util_fsync_dir(p) == -1 && errno == ENOTDIR,
	    "fsync_dir of a file fails with ENOTDIR");
	free(q);
	free(p);
	errno = 0;
	ok(util_mkdir_p("", 0700) == -1 && errno == ENOENT,
	    "mkdir_p of \"\" fails with ENOENT");

	is_int(util_fsync_dir(base), 0, "fsync_dir of a directory");
	p = xasprintf("%s/missing", base);
	errno = 0;
	ok(util_fsync_dir(p) == -1 && errno == ENOENT,
	    "fsync_dir of a missing path fails with ENOENT");
	free(p);
	umask(old_umask);
	remove_tree(base);
	ok(stat(base, &sb) == -1, "test directory removed");
	free(base);

	/* util_pid_alive. */
	is_int(util_pid_alive(getpid()), 1, "own pid is alive");
	is_int(util_pid_alive(1), 1, "pid 1 is alive (EPERM or not)");
	is_int(util_pid_alive(0), 0, "pid 0 is not a process");
	is_int(util_pid_alive(-1), 0, "pid -1 is not a process");
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		is_int(util_pid_alive(pid), 0, "a reaped child is not alive");
	} else
		ok(0, "fork: %s", strerror(errno));
}

/* ev: a readable pipe, timers in order, a signal through the loop. */
static int	ev_test_read, ev_test_signal;
static int	ev_test_order[3], ev_test_n;

static void
ev_test_fd(int fd, short revents, void *data)
{
	char	c;

	(void)revents;
	(void)data;
	if (read(fd, &c, 1) == 1)
		ev_test_read = c;
}

static void
ev_test_timer(void *data)
{
	if (ev_test_n < 3)
		ev_test_order[ev_test_n++] = *(int *)data;
}

static void
ev_test_sig(int signo, void *data)
{
	(void)data;
	ev_test_signal = signo;
}

static void
test_ev(void)
{
	struct ev_loop	*loop = ev_loop_new();
	struct ev_timer	*gone;
	int		 p[2], one = 1, two = 2, three = 3, i;
	int64_t		 t0;

	if (pipe(p) != 0) {
		ok(0, "ev: pipe: %s", strerror(errno));
		return;
	}
	ev_fd_add(loop, p[0], POLLIN, ev_test_fd, NULL);
	(void)write(p[1], "x", 1);
	ev_run_once(loop, 1000);
	is_int(ev_test_read, 'x', "ev: a readable fd calls its callback");

	t0 = util_clock_ms();	/* before the timers: their time counts from here */
	ev_timer_add(loop, 30, ev_test_timer, &two);
	ev_timer_add(loop, 10, ev_test_timer, &one);
	gone = ev_timer_add(loop, 20, ev_test_timer, &three);
	ev_timer_del(gone);
	for (i = 0; i < 20 && ev_test_n < 2; i++)
		ev_run_once(loop, 1000);
	ok(util_clock_ms() - t0 >= 30, "ev: the loop waited for the timers");
	is_int(ev_test_n, 2, "ev: a deleted timer never fires");
	ok(ev_test_order[0] == 1 && ev_test_order[1] == 2,
	    "ev: timers fire in the order of their time");
	/* An overdue timer is due now, whatever later timer there is. */
	ev_test_n = 0;
	ev_timer_add(loop, 0, ev_test_timer, &one);
	usleep(5000);
	gone = ev_timer_add(loop, 1000, ev_test_timer, &two);
	t0 = util_clock_ms();
	ev_run_once(loop, -1);
	ok(ev_test_n == 1 && util_clock_ms() - t0 < 500,
	    "ev: an overdue timer fires at once, not with a later one");
	ev_timer_del(gone);

	/* A loop that comes late (a loaded machine) finds both overdue: they
	 * still fire in the order of their time, not of their adding. */
	ev_test_n = 0;
	ev_timer_add(loop, 20, ev_test_timer, &two);
	ev_timer_add(loop, 10, ev_test_timer, &one);
	usleep(40000);
	ev_run_once(loop, 0);
	ok(ev_test_n == 2 && ev_test_order[0] == 1 && ev_test_order[1] == 2,
	    "ev: overdue timers fire in the order of their time");

	ev_signal_add(loop, SIGUSR1, ev_test_sig, NULL);
	kill(getpid(), SIGUSR1);
	for (i = 0; i < 10 && ev_test_signal == 0; i++)
		ev_run_once(loop, 100);
	is_int(ev_test_signal, SIGUSR1, "ev: a signal reaches its callback");

	/* A forked child with a loop of its own never takes the parent's
	 * signals (a console's SIGWINCH read by its syncer child). */
	{
		struct ev_loop	*child_loop;
		pid_t		 pid;
		int		 status;

		ev_test_signal = 0;
		pid = fork();
		if (pid == 0) {
			child_loop = ev_loop_new();
			ev_signal_add(child_loop, SIGUSR2, ev_test_sig, NULL);
			t0 = util_clock_ms();
			while (util_clock_ms() - t0 < 400)
				ev_run_once(child_loop, 50);
			_exit(ev_test_signal == SIGUSR1 ? 1 : 0);
		}
		usleep(100000);		/* the child is in its loop */
		kill(getpid(), SIGUSR1);
		usleep(100000);		/* and could read the byte */
		for (i = 0; i < 10 && ev_test_signal == 0; i++)
			ev_run_once(loop, 100);
		is_int(ev_test_signal, SIGUSR1,
		    "ev: a child's loop leaves the parent's signals alone");
		waitpid(pid, &status, 0);
		ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "ev: and never sees them");
	}
	ev_loop_free(loop);
	close(p[0]);
	close(p[1]);
}

/* job: a child's exit status and output reach the loop. */
static int	job_test_status = -1, job_test_done;
static char	job_test_output[256];

static int
job_test_fn(void *arg)
{
	printf("out %s\n", (const char *)arg);
	fprintf(stderr, "err line\n");
	return 3;
}

static int
job_test_slow(void *arg)
{
	(void)arg;
	usleep(200000);
	return 0;
}

static int
job_test_killed(void *arg)
{
	(void)arg;
	raise(SIGKILL);
	return 0;
}

static void
job_test_cb(struct job *job, int status, const char *output, void *data)
{
	(void)job;
	(void)data;
	job_test_status = status;
	snprintf(job_test_output, sizeof job_test_output, "%s", output);
	job_test_done = 1;
}

/* A long child reporting as it goes: the first line arrives while it
 * still runs. */
static int	job_test_lines, job_test_early;
static char	job_test_first[64];

static int
job_test_reporter(void *arg)
{
	(void)arg;
	printf("first\n");
	fflush(stdout);
	usleep(300000);
	printf("second\nthird\ntail");
	return 0;
}

static void
job_test_line(struct job *job, const char *line, void *data)
{
	(void)job;
	(void)data;
	if (job_test_lines++ == 0) {
		snprintf(job_test_first, sizeof job_test_first, "%s", line);
		job_test_early = !job_test_done;
	}
}

static void
test_job(void)
{
	struct job	*reporter;
	struct ev_loop	*loop = ev_loop_new();
	char		 hello[] = "hello";
	int		 i;

	ok(job_run(loop, job_test_fn, hello, job_test_cb, NULL) != NULL,
	    "job: a job starts");
	for (i = 0; i < 100 && !job_test_done; i++)
		ev_run_once(loop, 100);
	is_int(job_test_status, 3, "job: its exit status comes back");
	ok(strstr(job_test_output, "out hello\n") != NULL &&
	    strstr(job_test_output, "err line\n") != NULL,
	    "job: with what it wrote on stdout and stderr");
	job_test_done = 0;
	job_run(loop, job_test_killed, NULL, job_test_cb, NULL);
	for (i = 0; i < 100 && !job_test_done; i++)
		ev_run_once(loop, 100);
	is_int(job_test_status, 128 + SIGKILL, "job: killed by a signal: 128+N");
	/* A loop that ends lets its jobs finish alone. */
	job_test_done = 0;
	job_test_status = 0;
	job_run(loop, job_test_slow, NULL, job_test_cb, NULL);
	job_detach_all(loop);
	is_int(job_test_status, JOB_CANCELLED, "job: detached, done says so");

	job_test_done = 0;
	reporter = job_run(loop, job_test_reporter, NULL, job_test_cb, NULL);
	job_set_line_cb(reporter, job_test_line);
	for (i = 0; i < 100 && !job_test_done; i++)
		ev_run_once(loop, 100);
	is_str(job_test_first, "first", "job: lines come one by one, newline "
	    "removed");
	ok(job_test_early, "job: the first line comes while the child runs");
	is_int(job_test_lines, 3, "job: every complete line comes");
	is_str(job_test_output, "tail", "job: done gets what followed the "
	    "last newline");
	ev_loop_free(loop);
}

/* Emoji sequences are shown as their parts, whose widths agree. */
static void
test_sanitize_emoji_sequences(void)
{
	char	*out;

	/* U+1F3F3 U+FE0F U+200D U+1F308, the rainbow flag. */
	out = sanitize("\xf0\x9f\x8f\xb3\xef\xb8\x8f\xe2\x80\x8d"
	    "\xf0\x9f\x8c\x88!", 15, SANITIZE_LINE, 0);
	is_str(out, "\xf0\x9f\x8f\xb3\xf0\x9f\x8c\x88!",
	    "sanitize: VS16 and ZWJ are left out of an emoji sequence");
	is_int((int)utf8_width(out, strlen(out)), 4,
	    "sanitize: and the width is that of the parts");
	free(out);
	out = sanitize("\xe2\x9c\x8c\xef\xb8\x8e", 6, SANITIZE_LINE, 0);
	is_str(out, "\xe2\x9c\x8c", "sanitize: VS15 is left out too");
	free(out);
}

/* util_parse_when: the snooze presets and typed times. */
static void
test_parse_when(void)
{
	int64_t	now, when;

	setenv("TZ", "UTC", 1);
	tzset();
	/* Friday 2026-11-20 10:00 UTC. */
	util_parse_rfc3339("2026-11-20T10:00:00Z", &now, NULL);
	ok(util_parse_when("1h", now, &when) == 0 && when == now + 3600,
	    "when: 1h");
	ok(util_parse_when("30m", now, &when) == 0 && when == now + 1800,
	    "when: 30m");
	ok(util_parse_when("2d", now, &when) == 0 && when == now + 2 * 86400,
	    "when: 2d");
	ok(util_parse_when("tomorrow", now, &when) == 0 &&
	    when == now + 86400 - 3600, "when: tomorrow is 9:00 the next day");
	ok(util_parse_when("next week", now, &when) == 0 &&
	    when == now + 3 * 86400 - 3600, "when: next week is Monday 9:00");
	ok(util_parse_when("17:30", now, &when) == 0 &&
	    when == now + 7 * 3600 + 1800, "when: 17:30 today");
	ok(util_parse_when("08:00", now, &when) == 0 &&
	    when == now + 22 * 3600, "when: 08:00 has passed: tomorrow");
	ok(util_parse_when("2026-12-01", now, &when) == 0 &&
	    when == now + 11 * 86400 - 3600, "when: a date is 9:00 that day");
	ok(util_parse_when("2026-12-01 14:15", now, &when) == 0,
	    "when: a date and a time");
	is_int(util_parse_when("2025-01-01", now, &when), -1,
	    "when: a time past is refused");
	is_int(util_parse_when("soon", now, &when), -1, "when: nonsense is refused");
	is_int(util_parse_when("25:00", now, &when), -1, "when: 25:00 is refused");
	is_int(util_parse_when("0h", now, &when), -1, "when: 0h is refused");
}

/* strset: each string once, in the order first added, at any size. */
static void
test_strset(void)
{
	struct strset	set = { NULL, 0, NULL, 0 };
	char		key[32];
	int		i, fresh = 0, again = 0, order = 1;

	is_int(strset_add(&set, "b"), 1, "strset: a new string is added");
	is_int(strset_add(&set, "a"), 1, "strset: another one too");
	is_int(strset_add(&set, "b"), 0, "strset: a string already there is not");
	is_int((int)set.n, 2, "strset: two strings");
	ok(strset_has(&set, "a") && strset_has(&set, "b") &&
	    !strset_has(&set, "c"), "strset: has what was added, only that");
	is_str(set.items[0], "b", "strset: the first added comes first");
	is_str(set.items[1], "a", "strset: then the second");
	strset_free(&set);
	is_int((int)set.n, 0, "strset: empty after strset_free");
	/* Enough to grow the table several times. */
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "%016x", (unsigned)(i * 2654435761u));
		fresh += strset_add(&set, key);
	}
	for (i = 4999; i >= 0; i--) {
		snprintf(key, sizeof key, "%016x", (unsigned)(i * 2654435761u));
		again += strset_add(&set, key);
		if (strcmp(set.items[i], key) != 0)
			order = 0;
	}
	is_int(fresh, 5000, "strset: 5000 distinct strings are all new");
	is_int(again, 0, "strset: none of them is new the second time");
	is_int((int)set.n, 5000, "strset: 5000 strings held");
	ok(order, "strset: the order of insertion is kept through growth");
	strset_free(&set);
}

/*
 * Words quoted for /bin/sh come back as they were, whatever they hold;
 * a shell command's output, error output, input and exit status.
 */
/* Whether process pid is gone (or a zombie left to init), within 5 s:
 * a killed process's parent reaps it when it gets to it. */
static int
util_run_gone(pid_t pid)
{
	char	path[64], stat[256], *p;
	int	i, fd;
	ssize_t	n;

	if (pid <= 1)
		return 0;
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	for (i = 0; i < 500; i++) {
		if ((fd = open(path, O_RDONLY)) == -1)
			return errno == ENOENT;
		n = read(fd, stat, sizeof stat - 1);
		close(fd);
		/* "PID (COMM) STATE ...": a zombie is Z */
		if (n > 0) {
			stat[n] = '\0';
			if ((p = strrchr(stat, ')')) != NULL && p[1] == ' ' &&
			    p[2] == 'Z')
				return 1;
		}
		poll(NULL, 0, 10);
	}
	return 0;
}

static void
test_run_shell(void)
{
	const char	*words[] = { "plain", "it's", "a b\tc", "$HOME `id`",
	    "\"q\" \\ ;|&", "", "é\n" };
	struct buf	 cmd, out, err;
	size_t		 i;
	int		 rc;

	buf_init(&cmd);
	buf_add_str(&cmd, "printf '<%s>' ");
	for (i = 0; i < nitems(words); i++) {
		buf_add_char(&cmd, ' ');
		buf_add_shell_word(&cmd, words[i]);
	}
	buf_init(&out);
	buf_init(&err);
	rc = util_run_shell(cmd.data, NULL, 0, &out, &err, 10);
	is_int(rc, 0, "util_run_shell: exit 0");
	is_str(out.data, "<plain><it's><a b\tc><$HOME `id`><\"q\" \\ ;|&><>"
	    "<é\n>", "buf_add_shell_word: every word back as it was, none "
	    "expanded");
	buf_reset(&out);
	rc = util_run_shell("tr a-z A-Z; echo oops >&2; exit 3", "hello\n",
	    6, &out, &err, 10);
	is_int(rc, 3, "its exit status");
	is_str(out.data, "HELLO\n", "the input on its stdin, its stdout");
	is_str(err.data, "oops\n", "its stderr apart");
	buf_reset(&out);
	rc = util_run_shell("exit 0", "ignored", 7, &out, &err, 10);
	is_int(rc, 0, "a command that never reads its input: no SIGPIPE");
	rc = util_run_shell("kill -TERM $$", NULL, 0, &out, &err, 10);
	is_int(rc, 128 + 15, "killed by a signal: 128 + N");
	buf_reset(&out);
	/* A child that does not hold the output open (the one that does
	 * kept util_run_shell waiting for it, 30 s) is killed too. */
	rc = util_run_shell("(exec >/dev/null 2>&1; exec sleep 30) & echo $!; "
	    "wait", NULL, 0, &out, &err, 1);
	ok(rc == 128 + 15 || rc == 128 + 9, "past its timeout it is killed");
	ok(util_run_gone((pid_t)strtol(out.data, NULL, 10)),
	    "with its children (its whole process group)");
	buf_free(&cmd);
	buf_free(&out);
	buf_free(&err);
}

/* Query and form components decoded alike for the webhook receiver and
 * Twilio's forms. */
static void
test_form_unescape(void)
{
	char	*got;

	is_int(util_hex_value('7') + util_hex_value('b') + util_hex_value('F'),
	    7 + 11 + 15, "hexadecimal digits, either case");
	is_int(util_hex_value('g'), -1, "a letter past f is none");
	got = util_form_unescape("a+b%3D%c3%a9%zz%4", 17, 0, NULL);
	is_str(got, "a b=\xc3\xa9%zz%4", "'+' a space, %XX a byte, a "
	    "malformed escape kept as written");
	free(got);
	got = util_form_unescape("x%00y", 5, 0, "\xef\xbf\xbd");
	is_str(got, "x\xef\xbf\xbdy", "a NUL written as asked");
	free(got);
	got = util_form_unescape("x%00y", 5, 0, NULL);
	is_str(got, "x", "or kept, ending the string");
	free(got);
	got = util_form_unescape("abcdef", 6, 3, NULL);
	is_str(got, "abc", "at most max bytes");
	free(got);
}

int
main(void)
{
	test_xmalloc();
	test_log();
	test_log_ring();
	test_buf();
	test_strset();
	test_parse_when();
	test_ev();
	test_job();
	test_utf8_steps();
	test_utf8();
	test_sanitize_controls();
	test_sanitize_combining();
	test_sanitize_width();
	test_sanitize_emoji_sequences();
	test_sanitize_random();
	test_rfc3339();
	test_util();
	test_format_count();
	test_run_shell();
	test_form_unescape();
	done_testing();
	return exit_status();
}
