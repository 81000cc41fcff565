/*
 * sanitize.c: the one filter between untrusted text and a terminal.
 *
 * Everything a customer, a server or a file name can put on the screen
 * passes through here (reliability.md 1.3). Control characters could move
 * the cursor, rewrite the clipboard (OSC 52), plant links (OSC 8) or query
 * the terminal; bidi controls could reorder what the agent reads; a flood
 * of combining marks or wide characters could push the layout around. None
 * of them is silently dropped: each shows as a visible placeholder, so an
 * attempt is seen for what it is.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "base/base.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* What is put where the text was cut: U+2026 HORIZONTAL ELLIPSIS. */
#define SANITIZE_ELLIPSIS	"\xe2\x80\xa6"
#define SANITIZE_ELLIPSIS_WIDTH	1

/* Terminals put tab stops every eight columns. */
#define SANITIZE_TAB_WIDTH	8

/* One piece of output for one input code point. */
struct sanitize_piece {
	char	text[16];
	size_t	len;
	size_t	width;
};

/* Where the current line stands. */
struct sanitize_line {
	size_t		width;		/* columns so far */
	size_t		mark;		/* out->len at the last safe cut point */
	size_t		mark_width;	/* width at mark */
	unsigned	combining;	/* marks since the last base character */
	int		cut;		/* line was cut; skip to its end */
};

/* Return 1 for the bidi controls and U+FEFF, shown as <U+XXXX>. */
static int
sanitize_is_format_control(uint32_t cp)
{
	return (cp == 0x061c ||
	    cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0xfeff);
}

/*
 * Fill p with the bytes and the width shown for cp; column is the width of
 * the line so far, for tab stops. The caller applies the combining and
 * width limits.
 */
static void
sanitize_piece(uint32_t cp, enum sanitize_mode mode, size_t column,
    struct sanitize_piece *p)
{
	int	n;

	if (cp == '\t') {
		if (mode == SANITIZE_LINE) {
			p->text[0] = ' ';
			p->len = p->width = 1;
		} else {
			p->text[0] = '\t';
			p->len = 1;
			p->width = SANITIZE_TAB_WIDTH -
			    column % SANITIZE_TAB_WIDTH;
		}
		return;
	}
	if (cp < 0x20 || cp == 0x7f) {
		/* Caret notation: ^@ for NUL, ^[ for ESC, ^? for DEL. */
		p->text[0] = '^';
		p->text[1] = (char)(cp ^ 0x40);
		p->len = p->width = 2;
		return;
	}
	if ((cp >= 0x80 && cp <= 0x9f) || sanitize_is_format_control(cp)) {
		n = snprintf(p->text, sizeof p->text, "<U+%04X>",
		    (unsigned int)cp);
		p->len = p->width = n;
		return;
	}
	p->len = utf8_encode(cp, p->text);
	p->width = utf8_cpwidth(cp);
}

/* Drop what was appended after position len. */
static void
sanitize_truncate(struct buf *out, size_t len)
{
	if (out->len > len) {
		out->len = len;
		out->data[len] = '\0';
	}
}

/* Start a new line at the end of out. */
static void
sanitize_line_start(struct sanitize_line *line, const struct buf *out)
{
	memset(line, 0, sizeof *line);
	line->mark = out->len;
}

/*
 * Append the sanitised form of s[0..len) to out (see base.h for what is
 * replaced) and return the columns appended: in SANITIZE_BODY mode, the
 * width of the widest line.
 *
 * With max_width > 0, each line (the whole text in SANITIZE_LINE mode)
 * stops before it would exceed max_width columns. The cut goes back to the
 * last point where one more column remained, so the ellipsis fits and the
 * line, ellipsis included, is at most max_width wide. A wide character
 * that straddles the limit is left out whole, never split.
 *
 * Combining marks are counted per base character: any code point of width
 * 0 (after the placeholders above) is a mark; any of width > 0, including
 * a placeholder or a tab, is a base. Marks beyond SANITIZE_MAX_COMBINING
 * are dropped. TAB in SANITIZE_BODY mode counts to the next tab stop, the
 * stops being every 8 columns from the start of the appended text.
 */
size_t
sanitize_buf(struct buf *out, const char *s, size_t len,
    enum sanitize_mode mode, size_t max_width)
{
	struct sanitize_line	line;
	struct sanitize_piece	piece;
	size_t			i, next, widest = 0;
	uint32_t		cp;

	sanitize_line_start(&line, out);
	for (i = 0; i < len; i = next) {
		next = i + utf8_decode(s + i, len - i, &cp);

		if (cp == '\n' && mode == SANITIZE_BODY) {
			if (line.width > widest)
				widest = line.width;
			buf_add_char(out, '\n');
			sanitize_line_start(&line, out);
			continue;
		}
		if (line.cut) {
			if (mode == SANITIZE_LINE)
				break;
			continue;
		}
		/*
		 * Variation selectors 15 and 16 and the zero-width joiner
		 * build emoji sequences whose width terminals, tmux and
		 * wcwidth() disagree on, which shifts the rest of the row.
		 * Without them the parts show, with widths all agree on.
		 */
		if (cp == 0xfe0e || cp == 0xfe0f || cp == 0x200d)
			continue;
		if (cp == '\r' && mode == SANITIZE_BODY && next < len &&
		    s[next] == '\n')
			continue;	/* CRLF reads as LF */

		sanitize_piece(cp, mode, line.width, &piece);
		if (piece.width == 0) {
			if (line.combining >= SANITIZE_MAX_COMBINING)
				continue;
			line.combining++;
		} else
			line.combining = 0;

		if (max_width != 0 && line.width + piece.width > max_width) {
			sanitize_truncate(out, line.mark);
			buf_add_str(out, SANITIZE_ELLIPSIS);
			line.width = line.mark_width + SANITIZE_ELLIPSIS_WIDTH;
			line.cut = 1;
			continue;
		}
		buf_add(out, piece.text, piece.len);
		line.width += piece.width;
		if (max_width == 0 ||
		    line.width + SANITIZE_ELLIPSIS_WIDTH <= max_width) {
			line.mark = out->len;
			line.mark_width = line.width;
		}
	}
	if (line.width > widest)
		widest = line.width;
	return widest;
}

/*
 * Return the sanitised form of s[0..len) as a new string (possibly ""),
 * which the caller frees.
 */
char *
sanitize(const char *s, size_t len, enum sanitize_mode mode, size_t max_width)
{
	struct buf	b;

	buf_init(&b);
	sanitize_buf(&b, s, len, mode, max_width);
	return buf_steal(&b);
}
