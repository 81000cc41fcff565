/*
 * ui-pager.c: a title and lines of text to scroll: the help screen. The
 * lines are sanitised when drawn, like everything else.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui.h"

#include <stdlib.h>

struct ui_pager {
	char	 *title;
	char	**lines;
	size_t	  n;
	size_t	  top;
};

struct ui_pager *
ui_pager_new(const char *title, char **lines, size_t n)
{
	struct ui_pager	*pg;

	pg = xcalloc(1, sizeof *pg);
	pg->title = xstrdup(title);
	pg->lines = lines;
	pg->n = n;
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
	int	r;

	if (rows <= 0)
		return;
	ui_surface_text(top, 0, cols, UI_ROLE_THREAD_TITLE, pg->title);
	for (r = 1; r < rows; r++) {
		ui_surface_text(top + r, 0, cols, UI_ROLE_NORMAL,
		    pg->top + (size_t)r - 1 < pg->n ?
		    pg->lines[pg->top + r - 1] : "");
	}
}
