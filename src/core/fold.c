/*
 * fold.c: text folded for matching, so that a rule written "parler à
 * quelqu'un" matches a customer who typed "PARLER A QUELQU’UN" on a phone
 * keyboard: lower case, the accents of Latin letters removed (Latin-1
 * Supplement and Latin Extended-A, ligatures spelt out), combining marks
 * dropped (text in NFD), typographic apostrophes and quotes made ASCII.
 * Other scripts pass through unchanged: their case is the locale's
 * business and a rule on them is rare enough to be written as typed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

/* U+00C0 to U+00FF; NULL keeps the character (× and ÷). */
static const char *const fold_latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c",	/* À Á Â Ã Ä Å Æ Ç */
	"e", "e", "e", "e", "i", "i", "i", "i",		/* È É Ê Ë Ì Í Î Ï */
	"d", "n", "o", "o", "o", "o", "o", NULL,	/* Ð Ñ Ò Ó Ô Õ Ö × */
	"o", "u", "u", "u", "u", "y", "th", "ss",	/* Ø Ù Ú Û Ü Ý Þ ß */
	"a", "a", "a", "a", "a", "a", "ae", "c",	/* à á â ã ä å æ ç */
	"e", "e", "e", "e", "i", "i", "i", "i",		/* è é ê ë ì í î ï */
	"d", "n", "o", "o", "o", "o", "o", NULL,	/* ð ñ ò ó ô õ ö ÷ */
	"o", "u", "u", "u", "u", "y", "th", "y"		/* ø ù ú û ü ý þ ÿ */
};

/*
 * U+0100 to U+017F, one letter each in Unicode's order (upper then
 * lower case of each letter), but for the ligatures: '1' is "ij" (U+0132,
 * U+0133) and '2' is "oe" (U+0152, U+0153).
 */
static const char fold_latin_a[] =
	"aaaaaaccccccccdd"	/* U+0100 Ā ... Ď ď */
	"ddeeeeeeeeeegggg"	/* U+0110 Đ ... ğ */
	"gggghhhhiiiiiiii"	/* U+0120 Ġ ... į */
	"ii11jjkkklllllll"	/* U+0130 İ ı Ĳ ĳ ... Ŀ */
	"lllnnnnnnnnnoooo"	/* U+0140 ŀ ... ŏ */
	"oo22rrrrrrssssss"	/* U+0150 Ő ő Œ œ ... ş */
	"ssttttttuuuuuuuu"	/* U+0160 Š ... ů */
	"uuuuwwyyyzzzzzzs";	/* U+0170 Ű ... ž ſ */

/* Append the folded form of one code point. */
static void
fold_cp(struct buf *b, uint32_t cp, int keep_ascii)
{
	char	enc[4];
	char	c;

	if (cp < 0x80) {
		c = (char)cp;
		if (!keep_ascii && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		buf_add_char(b, c);
		return;
	}
	if (cp >= 0xC0 && cp <= 0xFF && fold_latin1[cp - 0xC0] != NULL) {
		buf_add_str(b, fold_latin1[cp - 0xC0]);
		return;
	}
	if (cp >= 0x100 && cp <= 0x17F) {
		c = fold_latin_a[cp - 0x100];
		if (c == '1')
			buf_add_str(b, "ij");
		else if (c == '2')
			buf_add_str(b, "oe");
		else
			buf_add_char(b, c);
		return;
	}
	/* Combining diacritical marks: "e" + U+0301 is "é" in NFD. */
	if (cp >= 0x300 && cp <= 0x36F)
		return;
	switch (cp) {
	case 0x2018:		/* ‘ */
	case 0x2019:		/* ’ the apostrophe of phones and word processors */
	case 0x201B:		/* ‛ */
	case 0x02BC:		/* ʼ modifier letter apostrophe */
		buf_add_char(b, '\'');
		return;
	case 0x201C:		/* “ */
	case 0x201D:		/* ” */
		buf_add_char(b, '"');
		return;
	case 0x1E9E:		/* ẞ capital sharp s */
		buf_add_str(b, "ss");
		return;
	case 0x00A0:		/* no-break spaces, before French ? ! : ; */
	case 0x202F:
		buf_add_char(b, ' ');
		return;
	}
	buf_add(b, enc, utf8_encode(cp, enc));
}

/*
 * Fold text[0..len) into b. keep_ascii leaves ASCII as it is: a regex
 * folded for compiling keeps its escapes (\W is not \w) and REG_ICASE does
 * the case of ASCII anyway.
 */
static void
fold_into(struct buf *b, const char *text, size_t len, int keep_ascii)
{
	size_t		off = 0, n;
	uint32_t	cp;

	while (off < len) {
		n = utf8_decode(text + off, len - off, &cp);
		/*
		 * A real U+FFFD takes three bytes; one byte is a bad one. A
		 * NUL would end the folded string for regexec().
		 */
		if ((cp == UTF8_REPLACEMENT && n == 1) || cp == 0)
			buf_add_char(b, '?');
		else
			fold_cp(b, cp, keep_ascii);
		off += n;
	}
}

char *
text_fold(const char *text, size_t len)
{
	struct buf	b;

	buf_init(&b);
	fold_into(&b, text, len, 0);
	return buf_steal(&b);
}

/*
 * Compile a rule's regex folded like the text it is matched against:
 * 0, or -1 with *cause naming the regex and regerror's text.
 */
int
text_fold_regcomp(regex_t *re, const char *pattern, char **cause)
{
	struct buf	 b;
	char		 err[256];
	int		 rc;

	buf_init(&b);
	fold_into(&b, pattern, strlen(pattern), 1);
	rc = regcomp(re, b.len != 0 ? b.data : "", REG_EXTENDED | REG_ICASE |
	    REG_NOSUB);
	buf_free(&b);
	if (rc != 0) {
		regerror(rc, re, err, sizeof err);
		*cause = xasprintf(_("bad regex '%s': %s"), pattern, err);
		return -1;
	}
	return 0;
}

/* Does a compiled rule match text[0..len), folded? */
int
text_fold_match(const regex_t *re, const char *text, size_t len)
{
	char	*folded;
	int	 match;

	folded = text_fold(text, len);
	match = regexec(re, folded, 0, NULL, 0) == 0;
	free(folded);
	return match;
}
