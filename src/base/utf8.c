/*
 * utf8.c: strict UTF-8 decoding and locale-independent display width.
 *
 * wcwidth() answers from the C library's idea of the current locale, which
 * differs between systems and is "-1" for everything under LC_ALL=C; a
 * console whose column arithmetic changes with the environment breaks its
 * own layout. The widths here come from tables generated from the Unicode
 * data files (utf8-width.h, tools/gen-width.py) and are the same everywhere.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "base/base.h"

#include <stdint.h>

#include "base/utf8-width.h"

/*
 * Decode one code point, following the well-formed byte sequences of
 * Unicode table 3-7: the second byte's range depends on the first, which
 * is what rules out overlong forms (E0 80..9F, F0 80..8F), surrogates
 * (ED A0..BF) and values above U+10FFFF (F4 90..BF, F5..FF). On any error
 * exactly one byte is consumed, so the caller resynchronises on the next
 * byte and every bad byte shows as one U+FFFD.
 */
size_t
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned char		 lo = 0x80, hi = 0xbf;
	uint32_t		 value;
	size_t			 need, i;

	*cp = UTF8_REPLACEMENT;
	if (len == 0)
		return 0;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 1;
		value = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 2;
		value = p[0] & 0x0f;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 3;
		value = p[0] & 0x07;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else
		return 1;	/* continuation byte, C0, C1 or F5..FF */

	if (len <= need)
		return 1;
	if (p[1] < lo || p[1] > hi)
		return 1;
	for (i = 1; i <= need; i++) {
		if (i > 1 && (p[i] < 0x80 || p[i] > 0xbf))
			return 1;
		value = (value << 6) | (p[i] & 0x3f);
	}
	*cp = value;
	return need + 1;
}

/*
 * Encode cp into out, which has room for four bytes. A surrogate or a
 * value above U+10FFFF is not a character: it is written as U+FFFD, so the
 * output is always valid UTF-8. Return the number of bytes written.
 */
size_t
utf8_encode(uint32_t cp, char *out)
{
	unsigned char	*p = (unsigned char *)out;

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = UTF8_REPLACEMENT;
	if (cp < 0x80) {
		p[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = 0xc0 | (cp >> 6);
		p[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		p[0] = 0xe0 | (cp >> 12);
		p[1] = 0x80 | ((cp >> 6) & 0x3f);
		p[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	p[0] = 0xf0 | (cp >> 18);
	p[1] = 0x80 | ((cp >> 12) & 0x3f);
	p[2] = 0x80 | ((cp >> 6) & 0x3f);
	p[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/*
 * Check s[0..len) is well-formed UTF-8. Return 1 if so; otherwise 0, with
 * *bad_offset (when not NULL) the offset of the first byte that starts an
 * ill-formed sequence. A literal U+FFFD in the input is valid.
 */
int
utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
	size_t		i = 0, n;
	uint32_t	cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == UTF8_REPLACEMENT && n == 1) {
			if (bad_offset != NULL)
				*bad_offset = i;
			return 0;
		}
		i += n;
	}
	return 1;
}

/*
 * Return 1 when cp lies in one of the n sorted ranges. The bounds check
 * first makes ASCII and Latin-1, below both tables, cost two comparisons.
 */
static int
utf8_in_table(uint32_t cp, const struct utf8_width_range *table, size_t n)
{
	size_t	lo = 0, hi = n, mid;

	if (n == 0 || cp < table[0].first || cp > table[n - 1].last)
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp < table[mid].first)
			hi = mid;
		else if (cp > table[mid].last)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/*
 * Return the columns cp takes: 0, 1 or 2, from the generated tables.
 *
 * Controls (C0, DEL, C1) are given 1: they have no width of their own and
 * must never reach a terminal raw; sanitize() replaces them by placeholders
 * and counts the placeholder's width instead. Unassigned and private-use
 * code points are 1, as terminals draw them.
 */
int
utf8_cpwidth(uint32_t cp)
{
	if (utf8_in_table(cp, utf8_zero_width, nitems(utf8_zero_width)))
		return 0;
	if (utf8_in_table(cp, utf8_double_width, nitems(utf8_double_width)))
		return 2;
	return 1;
}

/*
 * Return the display width of s[0..len): the sum of utf8_cpwidth() over
 * its code points, each invalid byte counting as one U+FFFD of width 1.
 */
size_t
utf8_width(const char *s, size_t len)
{
	size_t		i = 0, width = 0;
	uint32_t	cp;

	while (i < len) {
		i += utf8_decode(s + i, len - i, &cp);
		width += utf8_cpwidth(cp);
	}
	return width;
}

size_t
utf8_prev(const char *s, size_t at)
{
	while (at > 0 && ((unsigned char)s[--at] & 0xc0) == 0x80)
		;
	return at;
}

size_t
utf8_next(const char *s, size_t len, size_t at)
{
	if (at < len)
		at++;
	while (at < len && ((unsigned char)s[at] & 0xc0) == 0x80)
		at++;
	return at;
}
