/*
 * fuzz-sanitize.c: libFuzzer target for sanitize(), the one filter between
 * untrusted text and a terminal.
 *
 * Every input goes through both modes at several widths; the output must
 * hold what base.h promises whatever the input: valid UTF-8, no control a
 * terminal would act on (C0 but TAB and, in SANITIZE_BODY, LF; DEL; C1;
 * bidi controls and U+FEFF), and no line wider than the cap. Any breach
 * aborts, which libFuzzer and replay.c both report as a crash.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "base/base.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The caps tried on every input: none, the ones where the ellipsis and a
 * wide character compete for the last columns, and one the first byte
 * picks, so the fuzzer explores the others (every cap tried on every
 * input would run at a tenth of the speed).
 */
static const size_t fuzz_widths[] = { 0, 1, 2, 3 };

/* Report a broken promise with the mode and cap, and crash. */
static void
fuzz_fail(const char *why, enum sanitize_mode mode, size_t width)
{
	fprintf(stderr, "sanitize: %s (mode %s, max_width %zu)\n", why,
	    mode == SANITIZE_LINE ? "LINE" : "BODY", width);
	abort();
}

/* Return 1 for the code points sanitize() must never let through. */
static int
fuzz_forbidden(uint32_t cp, enum sanitize_mode mode)
{
	if (cp == '\t')
		return mode == SANITIZE_LINE;
	if (cp == '\n')
		return mode == SANITIZE_LINE;
	return (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0xfeff);
}

/*
 * Check one output of sanitize() and return its width as sanitize_buf()
 * counts it: the whole line in SANITIZE_LINE mode, the widest line with
 * tab stops every 8 columns in SANITIZE_BODY mode.
 */
static size_t
fuzz_check(const char *out, size_t len, enum sanitize_mode mode,
    size_t width)
{
	size_t		i, n, line = 0, widest = 0;
	uint32_t	cp;

	if (strlen(out) != len)
		fuzz_fail("NUL in output", mode, width);
	if (!utf8_valid(out, len, NULL))
		fuzz_fail("invalid UTF-8 in output", mode, width);
	if (mode == SANITIZE_LINE && width != 0 && utf8_width(out, len) > width)
		fuzz_fail("output wider than the cap", mode, width);

	for (i = 0; i < len; i += n) {
		n = utf8_decode(out + i, len - i, &cp);
		if (fuzz_forbidden(cp, mode))
			fuzz_fail("control character in output", mode, width);
		if (cp == '\n') {
			line = 0;
			continue;
		}
		if (cp == '\t')
			line += 8 - line % 8;
		else
			line += utf8_cpwidth(cp);
		if (width != 0 && line > width)
			fuzz_fail("line wider than the cap", mode, width);
		if (line > widest)
			widest = line;
	}
	return widest;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum sanitize_mode	 modes[] = {
		SANITIZE_LINE, SANITIZE_BODY
	};
	const char			*s = (const char *)data;
	struct buf			 b;
	char				*out, *again;
	size_t				 i, j, width, got, shown;

	for (i = 0; i < nitems(modes); i++) {
		for (j = 0; j <= nitems(fuzz_widths); j++) {
			if (j < nitems(fuzz_widths))
				width = fuzz_widths[j];
			else
				width = size > 0 ? 4 + data[0] % 80 : 80;
			out = sanitize(s, size, modes[i], width);
			shown = fuzz_check(out, strlen(out), modes[i], width);

			/* sanitize_buf() after other text: same bytes, and
			 * the width it returns is the one measured. */
			buf_init(&b);
			buf_add_str(&b, "> ");
			got = sanitize_buf(&b, s, size, modes[i], width);
			if (strcmp(b.data + 2, out) != 0)
				fuzz_fail("sanitize_buf differs after a prefix",
				    modes[i], width);
			if (got != shown)
				fuzz_fail("returned width is not the width shown",
				    modes[i], width);
			buf_free(&b);

			/* What is already safe stays as it is. */
			if (width == 0) {
				again = sanitize(out, strlen(out), modes[i], 0);
				if (strcmp(again, out) != 0)
					fuzz_fail("not idempotent", modes[i], 0);
				free(again);
			}
			free(out);
		}
	}
	return 0;
}
