/*
 * ui-pager.c: a title and lines of text to scroll: the help screen, the
 * output of a ':' command, :messages, :report. The lines are sanitised
 * when drawn, like everything else.
 *
 * Every pager screen is searchable as less and neomutt's pager are: '/'
 * asks for words (the prompt is ui-cmd-prompt.c's), the first line at or
 * after the top that has them comes to the top with the words marked, n
 * and N go to the next and previous one. Words are matched folded (case
 * and accents), as the handoff rules match.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

struct ui_pager {
	char	 *title;
	char	**lines;
	size_t	  n;
	size_t	  top;
	char	 *search;	/* folded words searched, or NULL */
	long	  match;	/* the line found, or -1 */
};

/* The pager's own keys, for the help screen. */
const struct ui_key_help ui_pager_keys_help[] = {
	{ "j k Up Down", N_("scroll a line") },
	{ "PageDown PageUp", N_("scroll a page (C-f, C-b)") },
	{ "g G", N_("the first line, the last") },
	{ "/", N_("search the text (case and accents ignored)") },
	{ "n N", N_("next match, previous match") },
	{ "Escape", N_("close") },
	{ NULL, NULL }
};

struct ui_pager *
ui_pager_new(const char *title, char **lines, size_t n)
{
	struct ui_pager	*pg;

	pg = xcalloc(1, sizeof *pg);
	pg->title = xstrdup(title);
	pg->lines = lines;
	pg->n = n;
	pg->match = -1;
	return pg;
}

void
ui_pager_free(struct ui_pager *pg)
{
	size_t	i;

	if (pg == NULL)
		return;
	for (i = 0; i < pg->n; i++)
		free(pg->lines[i]);
	free(pg->lines);
	free(pg->title);
	free(pg->search);
	free(pg);
}

void
ui_pager_scroll(struct ui_pager *pg, long delta, int rows)
{
	long	top = (long)pg->top + delta, max = (long)pg->n - rows;

	if (top > max)
		top = max;
	if (top < 0)
		top = 0;
	pg->top = (size_t)top;
}

void
ui_pager_draw(struct ui_pager *pg, int top, int rows, int cols)
{
	size_t	i;
	int	r;

	if (rows <= 0)
		return;
	ui_surface_text(top, 0, cols, UI_ROLE_THREAD_TITLE, pg->title);
	for (r = 1; r < rows; r++) {
		i = pg->top + (size_t)r - 1;
		/* The line found stands out as the list's cursor does. */
		ui_surface_text(top + r, 0, cols, pg->match >= 0 &&
		    (size_t)pg->match == i ? UI_ROLE_LIST_CURSOR :
		    UI_ROLE_NORMAL, i < pg->n ? pg->lines[i] : "");
	}
}

static int
ui_pager_line_has(struct ui_pager *pg, size_t i)
{
	char	*folded;
	int	 found;

	folded = text_fold(pg->lines[i], strlen(pg->lines[i]));
	found = strstr(folded, pg->search) != NULL;
	free(folded);
	return found;
}

/*
 * Search for words (NULL: those searched last) from the line after the
 * match (dir 1) or before it (-1), wrapping around; a new search starts at
 * the top line shown. The line found is brought to the top. Return 0, or
 * -1 when no line has them (or nothing was searched yet).
 */
int
ui_pager_search(struct ui_pager *pg, const char *words, int dir, int rows)
{
	size_t	i, start, k;

	if (words != NULL) {
		if (*words == '\0')
			return -1;
		free(pg->search);
		pg->search = text_fold(words, strlen(words));
		start = pg->top;
		dir = 1;
	} else if (pg->search == NULL)
		return -1;
	else if (pg->match < 0)
		start = pg->top;
	else
		start = (size_t)pg->match + pg->n + (size_t)dir;
	if (pg->n == 0)
		return -1;
	for (k = 0; k < pg->n; k++) {
		i = (start + pg->n + (dir > 0 ? k : pg->n - k)) % pg->n;
		if (ui_pager_line_has(pg, i)) {
			pg->match = (long)i;
			pg->top = i;
			ui_pager_scroll(pg, 0, rows);	/* not past the end */
			return 0;
		}
	}
	pg->match = -1;
	return -1;
}

const char *
ui_pager_title(struct ui_pager *pg)
{
	return pg->title;
}

/*
 * Cut text into lines of at most width cells, at a space when one is in
 * the line's second half; a word wider than the line is cut. Return the
 * lines (allocated, *n of them), for a pager or the status line's two.
 */
char **
ui_pager_wrap(const char *text, int width, size_t *n)
{
	char		**lines = NULL;
	size_t		  len = strlen(text), at = 0, end, cut, next;
	int		  w;

	*n = 0;
	if (width < 1)
		width = 1;
	while (at < len || *n == 0) {
		end = at;
		cut = 0;
		w = 0;
		while (end < len && text[end] != '\n') {
			next = utf8_next(text, len, end);
			w += (int)utf8_width(text + end, next - end);
			if (w > width)
				break;
			if (text[end] == ' ' && w > width / 2)
				cut = end;
			end = next;
		}
		if (end < len && text[end] != '\n' && cut > at)
			end = cut;
		if (end == at && at < len && text[end] != '\n')
			end = utf8_next(text, len, at);	/* one wide character */
		lines = xreallocarray(lines, *n + 1, sizeof *lines);
		lines[(*n)++] = xstrndup(text + at, end - at);
		at = end;
		if (at < len && (text[at] == ' ' || text[at] == '\n'))
			at++;
	}
	return lines;
}
