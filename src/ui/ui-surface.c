/*
 * ui-surface.c: what the views draw with. They call these functions on
 * the surface the loop set: the terminal (ui-screen.c) or a grid in
 * memory (ui-screen-record.c), so the views are the same in both.
 *
 * Every string drawn goes through the sanitiser here, so control
 * characters, escape sequences and bidi overrides from names and messages
 * reach a surface as visible placeholders, never as what they encode.
 * The same holds for the text of a notification (ui_surface_notify),
 * which goes to the terminal around ncurses.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

/* What a notification's title and body may take, in columns. */
#define UI_SURFACE_TITLE_MAX	64
#define UI_SURFACE_BODY_MAX	200

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

void
ui_surface_bell(void)
{
	if (ui_surface != NULL && ui_surface->bell != NULL)
		ui_surface->bell(ui_surface->data);
}

/*
 * A field of a notification: sanitised (controls and bidi controls as
 * placeholders, so no ESC, BEL, C1 or DEL is left), capped, and ';' (the
 * separator of OSC 777's fields, and of ConEmu's OSC 9 commands) made a
 * ','.
 */
static void
ui_surface_notify_field(struct buf *b, const char *text, size_t max)
{
	size_t	start = b->len, i;

	sanitize_buf(b, text, strlen(text), SANITIZE_LINE, max);
	for (i = start; i < b->len; i++) {
		if (b->data[i] == ';')
			b->data[i] = ',';
	}
}

/*
 * OSC 777 (urxvt, foot, kitty, Ghostty, WezTerm: ESC ] 777 ; notify ;
 * TITLE ; BODY BEL) or OSC 9 (iTerm2, Windows Terminal, kitty: ESC ] 9 ;
 * BODY BEL). tmux swallows an OSC it does not know unless it comes in a
 * DCS passthrough, ESC P tmux; SEQ ESC \ with every ESC of SEQ doubled,
 * and the pane allows it (set -g allow-passthrough on).
 */
char *
ui_surface_notify_seq(const char *mode, const char *title, const char *body,
    int tmux, size_t *len)
{
	struct buf	seq, out;
	size_t		i;

	*len = 0;
	buf_init(&seq);
	if (strcmp(mode, "osc777") == 0) {
		/* not translated: the terminal's escape sequence */
		buf_add_str(&seq, "\033]777;notify;");
		ui_surface_notify_field(&seq, title, UI_SURFACE_TITLE_MAX);
		buf_add_char(&seq, ';');
		ui_surface_notify_field(&seq, body, UI_SURFACE_BODY_MAX);
	} else if (strcmp(mode, "osc9") == 0) {
		buf_add_str(&seq, "\033]9;");
		ui_surface_notify_field(&seq, title, UI_SURFACE_TITLE_MAX);
		if (*body != '\0') {
			buf_add_str(&seq, ": ");
			ui_surface_notify_field(&seq, body, UI_SURFACE_BODY_MAX);
		}
	} else {
		buf_free(&seq);
		return NULL;
	}
	buf_add_char(&seq, '\007');
	if (!tmux) {
		*len = seq.len;
		return buf_steal(&seq);
	}
	buf_init(&out);
	buf_add_str(&out, "\033Ptmux;");	/* not translated: tmux's */
	for (i = 0; i < seq.len; i++) {
		if (seq.data[i] == '\033')
			buf_add_char(&out, '\033');
		buf_add_char(&out, seq.data[i]);
	}
	buf_add_str(&out, "\033\\");
	buf_free(&seq);
	*len = out.len;
	return buf_steal(&out);
}

void
ui_surface_notify(const char *title, const char *body)
{
	const char	*mode = options_get("alert.notify");
	const char	*tmux = getenv("TMUX");
	char		*seq;
	size_t		 len;

	if (ui_surface == NULL || ui_surface->notify == NULL || mode == NULL)
		return;
	seq = ui_surface_notify_seq(mode, title, body, tmux != NULL &&
	    *tmux != '\0', &len);
	if (seq != NULL)
		ui_surface->notify(ui_surface->data, seq, len);
	free(seq);
}
