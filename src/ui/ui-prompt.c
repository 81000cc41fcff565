/*
 * ui-prompt.c: the ':' prompt: a one-line editor for commands, with
 * history (Up, Down) and completion (Tab) of command names and, after
 * `set` or `show-options`, of option names, after `show-view` of views;
 * or, when the prompt is given its words (the agents and teams of A's
 * prompt, the store's labels of l's, the templates of C-t's), of those.
 *
 * The line is UTF-8; the cursor is a byte offset always on a character
 * boundary. Keys: Left, Right, C-a, C-e (Home, End), Backspace, C-d
 * (Delete), C-w (word), C-u (to the start), C-k (to the end), Enter,
 * Escape; any other character typed as itself is inserted (q included).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

#define UI_PROMPT_HISTORY	100

/* The prompts' keys, for the help screen. */
const struct ui_key_help ui_prompt_keys_help[] = {
	{ "Enter", N_("run what is typed") },
	{ "Escape C-g C-c", N_("close the prompt") },
	{ "Tab", N_("complete: a command, an option, a view, an agent, a label") },
	{ "Up Down", N_("the lines typed before (C-p, C-n)") },
	{ "Left Right Home End", N_("move (C-b, C-f, C-a, C-e)") },
	{ "Backspace Delete", N_("delete (C-h, C-d); Backspace on nothing closes") },
	{ "C-w C-u C-k", N_("delete a word, to the start, to the end") },
	{ NULL, NULL }
};

struct ui_prompt {
	struct buf	 line;
	size_t		 cursor;
	char		*history[UI_PROMPT_HISTORY];
	size_t		 n_history;
	size_t		 browsing;	/* n_history when on the new line */
	char		**words;	/* what Tab completes, or NULL */
};

struct ui_prompt *
ui_prompt_new(void)
{
	struct ui_prompt	*p;

	p = xcalloc(1, sizeof *p);
	buf_init(&p->line);
	return p;
}

void
ui_prompt_free(struct ui_prompt *p)
{
	size_t	i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n_history; i++)
		free(p->history[i]);
	buf_free(&p->line);
	ui_prompt_set_words(p, NULL);
	free(p);
}

void
ui_prompt_set_words(struct ui_prompt *p, char **words)
{
	size_t	i;

	for (i = 0; p->words != NULL && p->words[i] != NULL; i++)
		free(p->words[i]);
	free(p->words);
	p->words = words;
}

void
ui_prompt_open(struct ui_prompt *p)
{
	ui_prompt_set_words(p, NULL);
	buf_reset(&p->line);
	p->cursor = 0;
	p->browsing = p->n_history;
}

static void
ui_prompt_set(struct ui_prompt *p, const char *text)
{
	buf_reset(&p->line);
	buf_add_str(&p->line, text);
	p->cursor = p->line.len;
}

void
ui_prompt_open_with(struct ui_prompt *p, const char *text)
{
	ui_prompt_open(p);
	ui_prompt_set(p, text);
}

/* The start of the character before / after the cursor. */
static size_t
ui_prompt_prev(struct ui_prompt *p, size_t at)
{
	return utf8_prev(p->line.data, at);
}

static size_t
ui_prompt_next(struct ui_prompt *p, size_t at)
{
	return utf8_next(p->line.data, p->line.len, at);
}

static void
ui_prompt_delete(struct ui_prompt *p, size_t from, size_t to)
{
	memmove(p->line.data + from, p->line.data + to, p->line.len - to + 1);
	p->line.len -= to - from;
	if (p->cursor > to)
		p->cursor -= to - from;
	else if (p->cursor > from)
		p->cursor = from;
}

static void
ui_prompt_insert(struct ui_prompt *p, const char *text)
{
	size_t	len = strlen(text), tail = p->line.len - p->cursor;
	char	*save;

	save = xstrndup(p->line.data + p->cursor, tail);
	p->line.len = p->cursor;
	buf_add(&p->line, text, len);
	buf_add(&p->line, save, tail);
	free(save);
	p->cursor += len;
}

/* Count a name starting with word and narrow the prefix all share. */
static void
ui_prompt_candidate(const char *name, const char *word, size_t wlen,
    size_t *n, const char **first, size_t *common)
{
	size_t	i;

	if (strncmp(name, word, wlen) != 0)
		return;
	if ((*n)++ == 0) {
		*first = name;
		*common = strlen(name);
	}
	for (i = 0; i < *common && name[i] == (*first)[i]; i++)
		;
	*common = i;
}

/*
 * Complete the word before the cursor: a command name when it is the
 * first word of a command, an option name after `set` or `show-options`,
 * a view's name after `show-view`.
 * One match is completed (with a space after it), several to their
 * common prefix.
 */
static void
ui_prompt_complete(struct ui_prompt *p)
{
	const struct cmd_entry	 *ce;
	const struct option_entry *oe;
	size_t			  start, n = 0, common = 0, wlen, i;
	const char		 *first = NULL, *cmd_start;
	const struct view	 *views;
	char			  prev[32] = "", *quoted;
	int			  options = 0;
	size_t			  n_views;

	if (p->words != NULL) {
		/* The line is one name: complete it from the words. */
		for (i = 0; p->words[i] != NULL; i++)
			ui_prompt_candidate(p->words[i], p->line.data,
			    p->cursor, &n, &first, &common);
		wlen = p->cursor;
		if (n == 0 || common < wlen)
			return;
		{
			char	*add = xstrndup(first + wlen, common - wlen);

			ui_prompt_insert(p, add);
			free(add);
		}
		return;
	}
	start = p->cursor;
	while (start > 0 && p->line.data[start - 1] != ' ' &&
	    p->line.data[start - 1] != ';')
		start--;
	/* The word before this one, if any, in the same command. */
	cmd_start = p->line.data;
	for (i = start; i > 0; i--) {
		if (p->line.data[i - 1] == ';') {
			cmd_start = p->line.data + i;
			break;
		}
	}
	while (*cmd_start == ' ')
		cmd_start++;
	if (cmd_start < p->line.data + start) {
		wlen = strcspn(cmd_start, " ;");
		if (wlen < sizeof prev)
			memcpy(prev, cmd_start, wlen);
		prev[wlen < sizeof prev ? wlen : 0] = '\0';
		if (strcmp(prev, "show-view") == 0)
			options = 2;
		else if (strcmp(prev, "set") != 0 &&
		    strcmp(prev, "show-options") != 0 &&
		    strcmp(prev, "show") != 0)
			return;
		else
			options = 1;
	}
	wlen = p->cursor - start;
	if (options == 2) {
		/* A view's name, quoted when it has a space (Needs human). */
		views = view_all(&n_views);
		for (i = 0; i < n_views; i++)
			ui_prompt_candidate(views[i].name, p->line.data + start,
			    wlen, &n, &first, &common);
		if (n == 1 && strchr(first, ' ') != NULL) {
			quoted = xasprintf("'%s' ", first);
			ui_prompt_delete(p, start, p->cursor);
			ui_prompt_insert(p, quoted);
			free(quoted);
			return;
		}
		if (n == 0 || common < wlen ||
		    memchr(first + wlen, ' ', common - wlen) != NULL)
			return;
	} else if (options) {
		for (oe = options_table(); oe->name != NULL; oe++)
			ui_prompt_candidate(oe->name, p->line.data + start, wlen,
			    &n, &first, &common);
	} else {
		for (ce = cmd_table(); ce->name != NULL; ce++)
			ui_prompt_candidate(ce->name, p->line.data + start, wlen,
			    &n, &first, &common);
	}
	if (n == 0 || common < wlen)
		return;
	{
		char	*add = xstrndup(first + wlen, common - wlen);

		ui_prompt_insert(p, add);
		free(add);
	}
	if (n == 1)
		ui_prompt_insert(p, " ");
}

static void
ui_prompt_remember(struct ui_prompt *p, const char *line)
{
	if (*line == '\0' || (p->n_history > 0 &&
	    strcmp(p->history[p->n_history - 1], line) == 0))
		return;
	if (p->n_history == UI_PROMPT_HISTORY) {
		free(p->history[0]);
		memmove(p->history, p->history + 1,
		    (UI_PROMPT_HISTORY - 1) * sizeof *p->history);
		p->n_history--;
	}
	p->history[p->n_history++] = xstrdup(line);
}

enum ui_prompt_result
ui_prompt_key(struct ui_prompt *p, const char *key, const char *text,
    char **line)
{
	size_t	at;

	*line = NULL;
	if (text != NULL) {
		ui_prompt_insert(p, text);
		return UI_PROMPT_EDITING;
	}
	if (strcmp(key, "Space") == 0)
		ui_prompt_insert(p, " ");
	else if (strcmp(key, "Enter") == 0) {
		*line = xstrdup(p->line.data);
		ui_prompt_remember(p, *line);
		return UI_PROMPT_DONE;
	} else if (strcmp(key, "Escape") == 0 || strcmp(key, "C-c") == 0 ||
	    strcmp(key, "C-g") == 0)
		return UI_PROMPT_CANCEL;
	else if (strcmp(key, "Backspace") == 0 || strcmp(key, "C-h") == 0) {
		if (p->line.len == 0)
			return UI_PROMPT_CANCEL;
		ui_prompt_delete(p, ui_prompt_prev(p, p->cursor), p->cursor);
	} else if (strcmp(key, "Delete") == 0 || strcmp(key, "C-d") == 0)
		ui_prompt_delete(p, p->cursor, ui_prompt_next(p, p->cursor));
	else if (strcmp(key, "Left") == 0 || strcmp(key, "C-b") == 0)
		p->cursor = ui_prompt_prev(p, p->cursor);
	else if (strcmp(key, "Right") == 0 || strcmp(key, "C-f") == 0)
		p->cursor = ui_prompt_next(p, p->cursor);
	else if (strcmp(key, "Home") == 0 || strcmp(key, "C-a") == 0)
		p->cursor = 0;
	else if (strcmp(key, "End") == 0 || strcmp(key, "C-e") == 0)
		p->cursor = p->line.len;
	else if (strcmp(key, "C-u") == 0)
		ui_prompt_delete(p, 0, p->cursor);
	else if (strcmp(key, "C-k") == 0)
		ui_prompt_delete(p, p->cursor, p->line.len);
	else if (strcmp(key, "C-w") == 0) {
		at = p->cursor;
		while (at > 0 && p->line.data[at - 1] == ' ')
			at--;
		while (at > 0 && p->line.data[at - 1] != ' ')
			at--;
		ui_prompt_delete(p, at, p->cursor);
	} else if (strcmp(key, "Tab") == 0)
		ui_prompt_complete(p);
	else if (strcmp(key, "Up") == 0 || strcmp(key, "C-p") == 0) {
		if (p->browsing > 0)
			ui_prompt_set(p, p->history[--p->browsing]);
	} else if (strcmp(key, "Down") == 0 || strcmp(key, "C-n") == 0) {
		if (p->browsing < p->n_history) {
			p->browsing++;
			ui_prompt_set(p, p->browsing < p->n_history ?
			    p->history[p->browsing] : "");
		}
	}
	return UI_PROMPT_EDITING;
}

/* The line after ':', scrolled so the cursor shows; the cursor is drawn
 * as a reversed cell. */
void
ui_prompt_draw(struct ui_prompt *p, int row, int cols, const char *lead)
{
	const char	*start = p->line.data;
	size_t		 before;
	char		*shown, *at_cursor;
	int		 w, lw, row_start;

	/* Keep the cursor on screen: drop characters from the left. */
	lw = (int)utf8_width(lead, strlen(lead));
	if (lw > cols / 2)
		lw = cols / 2;
	while ((before = utf8_width(start, (size_t)(p->line.data +
	    p->cursor - start))) + 2 + (size_t)lw > (size_t)(cols > 2 ? cols : 2))
		start += ui_prompt_next(p, (size_t)(start - p->line.data)) -
		    (size_t)(start - p->line.data);
	shown = xstrndup(start, (size_t)(p->line.data + p->cursor - start));
	ui_surface_text(row, 0, lw, UI_ROLE_NORMAL, lead);
	row_start = lw;
	cols -= lw;
	ui_surface_text(row, row_start, (int)before, UI_ROLE_NORMAL, shown);
	at_cursor = p->cursor < p->line.len ? xstrndup(p->line.data + p->cursor,
	    ui_prompt_next(p, p->cursor) - p->cursor) : xstrdup(" ");
	w = (int)utf8_width(at_cursor, strlen(at_cursor));
	if (w < 1)
		w = 1;
	ui_surface_text(row, row_start + (int)before, w, UI_ROLE_LIST_CURSOR,
	    at_cursor);
	ui_surface_text(row, row_start + w + (int)before,
	    cols - w - (int)before, UI_ROLE_NORMAL, p->cursor < p->line.len ?
	    p->line.data + ui_prompt_next(p, p->cursor) : "");
	free(at_cursor);
	free(shown);
}
