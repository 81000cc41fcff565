/*
 * ui-compose.c: the composer's editor: multi-line UTF-8 text with a
 * cursor, soft-wrapped to the pane's width. What the text is for (a reply
 * or a note), its draft and its sending are ui-reply.c's.
 *
 * Keys: characters typed or pasted are inserted as they come (a pasted
 * line break arrives as Enter); Enter and C-j start a new line; Left,
 * Right, Up, Down (C-b, C-f, C-p, C-n), Home, End (C-a, C-e) move;
 * Backspace, Delete (C-d), C-w (a word back), C-u (to the line's start)
 * and C-k (to its end, or the line break) delete. C-s and M-Enter send,
 * M-e and C-o hand the text to $EDITOR, C-t opens the templates' picker
 * (what it inserts goes at the cursor), Tab after ;SHORTCUT expands that
 * template in its place (ui-reply.c), Escape and C-g close the pane.
 * Ctrl and Alt keys both pass through ssh and tmux; libtermkey turns the
 * terminal's flow control off, so C-s reaches us.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

/* The composer's keys, for the help screen (its own, never bound). */
const struct ui_key_help ui_compose_keys_help[] = {
	{ "C-s M-Enter", N_("send the reply (add the note)") },
	{ "Escape C-g", N_("close the composer; the draft is kept "
	    "(r continues it)") },
	{ "M-e C-o", N_("edit the text in $EDITOR") },
	{ "C-t", N_("insert a template (Tab completes its name)") },
	{ "Enter C-j", N_("a new line") },
	{ "Left Right Up Down", N_("move (C-b, C-f, C-p, C-n)") },
	{ "Home End", N_("the line's start, its end (C-a, C-e)") },
	{ "Backspace Delete", N_("delete before, under the cursor (C-h, C-d)") },
	{ "C-w", N_("delete the word before the cursor") },
	{ "C-u C-k", N_("delete to the line's start, to its end") },
	{ NULL, NULL }
};

struct ui_compose {
	struct buf	 text;
	size_t		 cursor;	/* byte offset, on a character boundary */
	size_t		 top;		/* first display row shown */
	unsigned long	 generation;	/* moves at each change of the text */
};

struct ui_compose *
ui_compose_new(const char *text, size_t len)
{
	struct ui_compose	*c;

	c = xcalloc(1, sizeof *c);
	buf_init(&c->text);
	buf_add(&c->text, text != NULL ? text : "", text != NULL ? len : 0);
	c->cursor = c->text.len;
	return c;
}

void
ui_compose_free(struct ui_compose *c)
{
	if (c == NULL)
		return;
	buf_free(&c->text);
	free(c);
}

const char *
ui_compose_text(struct ui_compose *c, size_t *len)
{
	*len = c->text.len;
	return c->text.data != NULL ? c->text.data : "";
}

void
ui_compose_set_text(struct ui_compose *c, const char *text, size_t len)
{
	buf_reset(&c->text);
	buf_add(&c->text, text, len);
	c->cursor = c->text.len;
	c->generation++;
}

size_t
ui_compose_cursor(struct ui_compose *c)
{
	return c->cursor;
}

unsigned long
ui_compose_generation(struct ui_compose *c)
{
	return c->generation;
}

static size_t
compose_prev(struct ui_compose *c, size_t at)
{
	return utf8_prev(c->text.data, at);
}

static size_t
compose_next(struct ui_compose *c, size_t at)
{
	return utf8_next(c->text.data, c->text.len, at);
}

static size_t
compose_line_start(struct ui_compose *c, size_t at)
{
	while (at > 0 && c->text.data[at - 1] != '\n')
		at--;
	return at;
}

static size_t
compose_line_end(struct ui_compose *c, size_t at)
{
	while (at < c->text.len && c->text.data[at] != '\n')
		at++;
	return at;
}

static void
compose_insert(struct ui_compose *c, const char *s, size_t len)
{
	size_t	tail = c->text.len - c->cursor;

	buf_add(&c->text, s, len);	/* grow, then move the tail */
	memmove(c->text.data + c->cursor + len, c->text.data + c->cursor,
	    tail);
	memcpy(c->text.data + c->cursor, s, len);
	c->cursor += len;
	c->generation++;
}

static void
compose_delete(struct ui_compose *c, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(c->text.data + from, c->text.data + to, c->text.len - to);
	c->text.len -= to - from;
	c->text.data[c->text.len] = '\0';
	if (c->cursor >= to)
		c->cursor -= to - from;
	else if (c->cursor > from)
		c->cursor = from;
	c->generation++;
}

void
ui_compose_replace(struct ui_compose *c, size_t from, size_t to,
    const char *text, size_t len)
{
	if (to > c->text.len)
		to = c->text.len;
	if (from > to)
		from = to;
	compose_delete(c, from, to);
	c->cursor = from;
	compose_insert(c, text, len);
}

/* Up or Down: the same character column on the line before or after. */
static void
compose_vertical(struct ui_compose *c, int down)
{
	size_t	start = compose_line_start(c, c->cursor), col = 0, at, end;

	for (at = start; at < c->cursor; at = compose_next(c, at))
		col++;
	if (down) {
		end = compose_line_end(c, c->cursor);
		if (end >= c->text.len)
			return;
		start = end + 1;
	} else {
		if (start == 0)
			return;
		start = compose_line_start(c, start - 1);
	}
	end = compose_line_end(c, start);
	for (at = start; col > 0 && at < end; col--)
		at = compose_next(c, at);
	c->cursor = at;
}

enum ui_compose_result
ui_compose_key(struct ui_compose *c, const char *key, const char *text)
{
	size_t	at;

	if (text != NULL) {
		compose_insert(c, text, strlen(text));
		return UI_COMPOSE_EDITING;
	}
	if (strcmp(key, "C-s") == 0 || strcmp(key, "M-Enter") == 0)
		return UI_COMPOSE_SEND;
	if (strcmp(key, "Escape") == 0 || strcmp(key, "C-g") == 0)
		return UI_COMPOSE_CLOSE;
	if (strcmp(key, "M-e") == 0 || strcmp(key, "C-o") == 0)
		return UI_COMPOSE_EDITOR;
	if (strcmp(key, "C-t") == 0)
		return UI_COMPOSE_TEMPLATE;
	if (strcmp(key, "Space") == 0)
		compose_insert(c, " ", 1);
	else if (strcmp(key, "Enter") == 0 || strcmp(key, "C-j") == 0)
		compose_insert(c, "\n", 1);
	else if (strcmp(key, "Backspace") == 0 || strcmp(key, "C-h") == 0)
		compose_delete(c, compose_prev(c, c->cursor), c->cursor);
	else if (strcmp(key, "Delete") == 0 || strcmp(key, "C-d") == 0)
		compose_delete(c, c->cursor, compose_next(c, c->cursor));
	else if (strcmp(key, "Left") == 0 || strcmp(key, "C-b") == 0)
		c->cursor = compose_prev(c, c->cursor);
	else if (strcmp(key, "Right") == 0 || strcmp(key, "C-f") == 0)
		c->cursor = compose_next(c, c->cursor);
	else if (strcmp(key, "Up") == 0 || strcmp(key, "C-p") == 0)
		compose_vertical(c, 0);
	else if (strcmp(key, "Down") == 0 || strcmp(key, "C-n") == 0)
		compose_vertical(c, 1);
	else if (strcmp(key, "Home") == 0 || strcmp(key, "C-a") == 0)
		c->cursor = compose_line_start(c, c->cursor);
	else if (strcmp(key, "End") == 0 || strcmp(key, "C-e") == 0)
		c->cursor = compose_line_end(c, c->cursor);
	else if (strcmp(key, "C-u") == 0)
		compose_delete(c, compose_line_start(c, c->cursor), c->cursor);
	else if (strcmp(key, "C-k") == 0) {
		at = compose_line_end(c, c->cursor);
		compose_delete(c, c->cursor, at > c->cursor ? at :
		    compose_next(c, c->cursor));
	} else if (strcmp(key, "C-w") == 0 || strcmp(key, "M-Backspace") == 0) {
		at = c->cursor;
		while (at > 0 && (c->text.data[at - 1] == ' ' ||
		    c->text.data[at - 1] == '\n'))
			at--;
		while (at > 0 && c->text.data[at - 1] != ' ' &&
		    c->text.data[at - 1] != '\n')
			at--;
		compose_delete(c, at, c->cursor);
	}
	return UI_COMPOSE_EDITING;
}

/* One display row: bytes [start, end) of the text. */
struct compose_row {
	size_t	start;
	size_t	end;
};

/*
 * Soft-wrap the text to width cells, after the last space that fits (or
 * anywhere in a word wider than the pane); the row and column of the
 * cursor. A row's characters are scanned again after a break, so the
 * cursor found last is where it shows.
 */
static struct compose_row *
compose_layout(struct ui_compose *c, int width, size_t *n_rows,
    size_t *cursor_row, int *cursor_col)
{
	struct compose_row	*rows = NULL;
	size_t			 n = 0, at = 0, start = 0, next, space = 0;
	uint32_t		 cp;
	int			 used = 0, w;

	*cursor_row = 0;
	*cursor_col = 0;
	if (width < 2)
		width = 2;
	for (;;) {
		if (at == c->cursor) {
			*cursor_row = n;
			*cursor_col = used;
		}
		if (at >= c->text.len || c->text.data[at] == '\n') {
			rows = xreallocarray(rows, n + 1, sizeof *rows);
			rows[n].start = start;
			rows[n++].end = at;
			if (at >= c->text.len)
				break;
			start = ++at;
			space = 0;
			used = 0;
			continue;
		}
		next = compose_next(c, at);
		utf8_decode(c->text.data + at, next - at, &cp);
		w = utf8_cpwidth(cp);
		if (used + w > width - 1 && used > 0) {
			/* Wrap, keeping the last cell for the cursor: after
			 * the row's last space, else here. */
			if (space > start)
				at = space;
			rows = xreallocarray(rows, n + 1, sizeof *rows);
			rows[n].start = start;
			rows[n++].end = at;
			start = at;
			space = 0;
			used = 0;
			continue;	/* the carried part is scanned again */
		}
		used += w > 0 ? w : 0;
		at = next;
		if (cp == ' ')
			space = at;
	}
	*n_rows = n;
	return rows;
}

int
ui_compose_rows(struct ui_compose *c, int cols)
{
	struct compose_row	*rows;
	size_t			 n, cr;
	int			 cc;

	rows = compose_layout(c, cols, &n, &cr, &cc);
	free(rows);
	return (int)n;
}

void
ui_compose_draw(struct ui_compose *c, int top, int rows, int cols)
{
	struct compose_row	*layout;
	size_t			 n, cursor_row, r, i, next;
	char			*line, *at;
	int			 cursor_col, w;

	if (rows <= 0)
		return;
	layout = compose_layout(c, cols, &n, &cursor_row, &cursor_col);
	/* Grown (a resize, more rows): as much of the text as fits. */
	if (c->top + (size_t)rows > n)
		c->top = n > (size_t)rows ? n - (size_t)rows : 0;
	if (cursor_row < c->top)
		c->top = cursor_row;
	if (cursor_row >= c->top + (size_t)rows)
		c->top = cursor_row - (size_t)rows + 1;
	for (r = 0; r < (size_t)rows; r++) {
		i = c->top + r;
		if (i >= n) {
			ui_surface_text(top + (int)r, 0, cols, UI_ROLE_NORMAL,
			    "");
			continue;
		}
		line = xstrndup(c->text.data + layout[i].start,
		    layout[i].end - layout[i].start);
		ui_surface_text(top + (int)r, 0, cols, UI_ROLE_NORMAL, line);
		free(line);
		if (i == cursor_row) {
			next = c->cursor < layout[i].end ?
			    compose_next(c, c->cursor) : c->cursor;
			at = next > c->cursor ? xstrndup(c->text.data +
			    c->cursor, next - c->cursor) : xstrdup(" ");
			w = (int)utf8_width(at, strlen(at));
			ui_surface_text(top + (int)r, cursor_col, w > 0 ? w : 1,
			    UI_ROLE_LIST_CURSOR, at);
			free(at);
		}
	}
	free(layout);
}
