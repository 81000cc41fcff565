/*
 * ui-surface.c: what the views draw with. They call these functions on
 * the surface the loop set: the terminal (ui-screen.c) or a grid in
 * memory (ui-screen-record.c), so the views are the same in both.
 *
 * Every string drawn goes through the sanitiser here, so control
 * characters, escape sequences and bidi overrides from names and messages
 * reach a surface as visible placeholders, never as what they encode.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

static const struct ui_surface	*ui_surface;

void
ui_surface_set(const struct ui_surface *s)
{
	ui_surface = s;
}

void
ui_surface_size(int *rows, int *cols)
{
	*rows = *cols = 0;
	if (ui_surface != NULL)
		ui_surface->size(ui_surface->data, rows, cols);
}

void
ui_surface_erase(void)
{
	if (ui_surface != NULL)
		ui_surface->erase(ui_surface->data);
}

/* Sanitise and cut to the cells the surface has; nothing off it. */
void
ui_surface_text(int row, int col, int width, enum ui_role role,
    const char *text)
{
	char	*clean;
	int	 rows, cols;

	ui_surface_size(&rows, &cols);
	if (width <= 0 || row < 0 || row >= rows || col >= cols)
		return;
	if (col + width > cols)
		width = cols - col;
	clean = sanitize(text, strlen(text), SANITIZE_LINE, (size_t)width);
	ui_surface->text(ui_surface->data, row, col, width, role, clean);
	free(clean);
}

void
ui_surface_flush(void)
{
	if (ui_surface != NULL)
		ui_surface->flush(ui_surface->data);
}

void
ui_surface_resize(void)
{
	if (ui_surface != NULL)
		ui_surface->resize(ui_surface->data);
}

void
ui_surface_suspend(void)
{
	if (ui_surface != NULL)
		ui_surface->suspend(ui_surface->data);
}

void
ui_surface_resume(void)
{
	if (ui_surface != NULL)
		ui_surface->resume(ui_surface->data);
}

void
ui_surface_end(void)
{
	if (ui_surface != NULL)
		ui_surface->end(ui_surface->data);
}
