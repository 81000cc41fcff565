/*
 * ui-screen-record.c: a surface in memory for tests: a grid of cells,
 * each a character and its role, drawn as ui-screen.c draws the terminal
 * and read back as text. What is drawn goes to a back grid; a flush
 * copies it to the front grid the tests read, as refresh() shows a frame.
 * The bell and notifications are counted, the last one's bytes kept.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

/* A character and the marks that combine with it. */
#define UI_SCREEN_RECORD_CELL	16

struct ui_screen_record_cell {
	char		text[UI_SCREEN_RECORD_CELL];	/* "": right half of a wide one */
	enum ui_role	role;
};

struct ui_screen_record {
	struct ui_surface		 surface;
	int				 rows;
	int				 cols;
	int				 want_rows;	/* after the next resize */
	int				 want_cols;
	struct ui_screen_record_cell	*back;		/* being drawn */
	struct ui_screen_record_cell	*front;		/* last flushed */
	unsigned			 frames;
	unsigned			 bells;
	unsigned			 notifications;
	struct buf			 notified;	/* the last */
	struct buf			 line;
};

static void
ui_screen_record_blank(struct ui_screen_record_cell *cell, enum ui_role role)
{
	cell->text[0] = ' ';
	cell->text[1] = '\0';
	cell->role = role;
}

static void
ui_screen_record_clear(struct ui_screen_record_cell *cells, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		ui_screen_record_blank(&cells[i], UI_ROLE_NORMAL);
}

/* Grids of the wanted size, blank. */
static void
ui_screen_record_alloc(struct ui_screen_record *r)
{
	size_t	n;

	free(r->back);
	free(r->front);
	r->rows = r->want_rows;
	r->cols = r->want_cols;
	n = (size_t)r->rows * (size_t)r->cols;
	r->back = xcalloc(n, sizeof *r->back);
	r->front = xcalloc(n, sizeof *r->front);
	ui_screen_record_clear(r->back, n);
	ui_screen_record_clear(r->front, n);
}

static void
ui_screen_record_size(void *data, int *rows, int *cols)
{
	struct ui_screen_record	*r = data;

	*rows = r->rows;
	*cols = r->cols;
}

static void
ui_screen_record_erase(void *data)
{
	struct ui_screen_record	*r = data;

	ui_screen_record_clear(r->back, (size_t)r->rows * (size_t)r->cols);
}

/* Put each character in its cell (a wide one takes two), then blanks. */
static void
ui_screen_record_text(void *data, int row, int col, int width,
    enum ui_role role, const char *text)
{
	struct ui_screen_record		*r = data;
	struct ui_screen_record_cell	*cell = NULL, *line;
	size_t				 len = strlen(text), at, next, used;
	uint32_t			 cp;
	int				 w, x = col;

	line = r->back + (size_t)row * (size_t)r->cols;
	for (at = 0; at < len; at = next) {
		next = utf8_next(text, len, at);
		w = utf8_decode(text + at, len - at, &cp) > 0 ?
		    utf8_cpwidth(cp) : 1;
		if (w == 0 && cell != NULL) {
			/* A combining mark joins the character before. */
			used = strlen(cell->text);
			if (used + (next - at) < sizeof cell->text) {
				memcpy(cell->text + used, text + at, next - at);
				cell->text[used + (next - at)] = '\0';
			}
			continue;
		}
		if (w <= 0 || x + w > col + width || x + w > r->cols)
			break;
		cell = &line[x];
		memcpy(cell->text, text + at, next - at);
		cell->text[next - at] = '\0';
		cell->role = role;
		if (w == 2) {
			line[x + 1].text[0] = '\0';
			line[x + 1].role = role;
		}
		x += w;
	}
	for (; x < col + width && x < r->cols; x++)
		ui_screen_record_blank(&line[x], role);
}

static void
ui_screen_record_flush(void *data)
{
	struct ui_screen_record	*r = data;

	memcpy(r->front, r->back, (size_t)r->rows * (size_t)r->cols *
	    sizeof *r->front);
	r->frames++;
}

static void
ui_screen_record_resize(void *data)
{
	struct ui_screen_record	*r = data;

	if (r->want_rows != r->rows || r->want_cols != r->cols)
		ui_screen_record_alloc(r);
}

/* Suspending and ending give back no terminal here. */
static void
ui_screen_record_none(void *data)
{
	(void)data;
}

static void
ui_screen_record_bell(void *data)
{
	struct ui_screen_record	*r = data;

	r->bells++;
}

static void
ui_screen_record_notify(void *data, const char *seq, size_t len)
{
	struct ui_screen_record	*r = data;

	r->notifications++;
	buf_reset(&r->notified);
	buf_add(&r->notified, seq, len);
}

struct ui_screen_record *
ui_screen_record_new(int rows, int cols)
{
	struct ui_screen_record	*r;

	r = xcalloc(1, sizeof *r);
	r->surface.size = ui_screen_record_size;
	r->surface.erase = ui_screen_record_erase;
	r->surface.text = ui_screen_record_text;
	r->surface.flush = ui_screen_record_flush;
	r->surface.resize = ui_screen_record_resize;
	r->surface.suspend = ui_screen_record_none;
	r->surface.resume = ui_screen_record_resize;
	r->surface.end = ui_screen_record_none;
	r->surface.bell = ui_screen_record_bell;
	r->surface.notify = ui_screen_record_notify;
	r->surface.data = r;
	r->want_rows = rows;
	r->want_cols = cols;
	ui_screen_record_alloc(r);
	buf_init(&r->line);
	buf_init(&r->notified);
	return r;
}

void
ui_screen_record_free(struct ui_screen_record *r)
{
	if (r == NULL)
		return;
	free(r->back);
	free(r->front);
	buf_free(&r->line);
	buf_free(&r->notified);
	free(r);
}

const struct ui_surface *
ui_screen_record_surface(struct ui_screen_record *r)
{
	return &r->surface;
}

void
ui_screen_record_set_size(struct ui_screen_record *r, int rows, int cols)
{
	r->want_rows = rows;
	r->want_cols = cols;
}

const char *
ui_screen_record_line(struct ui_screen_record *r, int row)
{
	struct ui_screen_record_cell	*line;
	int				 x;

	buf_reset(&r->line);
	if (row < 0 || row >= r->rows)
		return "";
	line = r->front + (size_t)row * (size_t)r->cols;
	for (x = 0; x < r->cols; x++)
		buf_add_str(&r->line, line[x].text);
	while (r->line.len > 0 && r->line.data[r->line.len - 1] == ' ')
		r->line.data[--r->line.len] = '\0';
	return r->line.data != NULL ? r->line.data : "";
}

enum ui_role
ui_screen_record_role(struct ui_screen_record *r, int row, int col)
{
	if (row < 0 || row >= r->rows || col < 0 || col >= r->cols)
		return UI_ROLE_NORMAL;
	return r->front[(size_t)row * (size_t)r->cols + (size_t)col].role;
}

unsigned
ui_screen_record_frames(struct ui_screen_record *r)
{
	return r->frames;
}

unsigned
ui_screen_record_bells(struct ui_screen_record *r)
{
	return r->bells;
}

unsigned
ui_screen_record_notifications(struct ui_screen_record *r)
{
	return r->notifications;
}

const char *
ui_screen_record_last_notify(struct ui_screen_record *r, size_t *len)
{
	*len = r->notified.len;
	return r->notifications > 0 ? r->notified.data : NULL;
}
