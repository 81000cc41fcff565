/*
 * ui-screen.c: the only ncurses code, for output only (keys come from
 * libtermkey in ui-input.c; getch is never called): the terminal as the
 * console's surface, its bell and notifications. ui-surface.c sanitised
 * what it is given.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui.h"

#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <ncurses.h>

static SCREEN	*ui_screen;
static int	 ui_screen_colours;

static unsigned	 ui_screen_styles_seen = (unsigned)-1;	/* generation applied */
static attr_t	 ui_screen_attrs[UI_ROLE_COUNT];

/* A colour the terminal can show: 256 colours fold to the basic 8. */
static short
ui_screen_colour(int colour)
{
	int	r, g, b;

	if (colour < 0 || colour < COLORS)
		return (short)colour;
	if (colour < 16)
		return (short)(colour - 8);
	if (colour >= 232)		/* the grey ramp */
		return colour < 244 ? COLOR_BLACK : COLOR_WHITE;
	colour -= 16;			/* the 6x6x6 cube */
	r = colour / 36 >= 3;
	g = (colour / 6) % 6 >= 3;
	b = colour % 6 >= 3;
	return (short)(r | g << 1 | b << 2);
}

/* Make the colour pairs and attributes of the current styles. */
static void
ui_screen_apply_styles(void)
{
	const struct style	*st;
	attr_t			 attr;
	int			 i;

	if (ui_screen_styles_seen == style_generation())
		return;
	ui_screen_styles_seen = style_generation();
	for (i = 0; i < UI_ROLE_COUNT; i++) {
		st = style_get((enum style_role)i);
		attr = 0;
		if (st->attrs & STYLE_BOLD)
			attr |= A_BOLD;
		if (st->attrs & STYLE_DIM)
			attr |= A_DIM;
		if (st->attrs & STYLE_UNDERLINE)
			attr |= A_UNDERLINE;
		if (st->attrs & STYLE_REVERSE)
			attr |= A_REVERSE;
		if (ui_screen_colours && i > 0 && (st->fg >= 0 || st->bg >= 0)) {
			init_pair((short)i, ui_screen_colour(st->fg),
			    ui_screen_colour(st->bg));
			attr |= COLOR_PAIR(i);
		} else if (!ui_screen_colours && (st->fg >= 0 || st->bg >= 0) &&
		    (st->attrs & ~STYLE_DIM) == 0) {
			/* Colour was all it had: keep it visible. */
			attr |= st->bg >= 0 ? A_REVERSE : A_BOLD;
		}
		ui_screen_attrs[i] = attr;
	}
}

static void
ui_screen_size(void *data, int *rows, int *cols)
{
	(void)data;
	*rows = LINES;
	*cols = COLS;
}

static void
ui_screen_erase(void *data)
{
	(void)data;
	erase();
}

static void
ui_screen_text(void *data, int row, int col, int width, enum ui_role role,
    const char *text)
{
	size_t	used;

	(void)data;
	used = utf8_width(text, strlen(text));
	ui_screen_apply_styles();
	attrset(ui_screen_attrs[role]);
	mvaddstr(row, col, text);
	for (; (int)used < width; used++)
		addch(' ');
	attrset(A_NORMAL);
}

static void
ui_screen_flush(void *data)
{
	(void)data;
	refresh();
}

static void
ui_screen_resize(void *data)
{
	struct winsize	ws;

	(void)data;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}

static void
ui_screen_suspend(void *data)
{
	(void)data;
	if (ui_screen == NULL)
		return;
	curs_set(1);
	endwin();
	fflush(stdout);
}

static void
ui_screen_resume(void *data)
{
	if (ui_screen == NULL)
		return;
	reset_prog_mode();
	curs_set(0);
	ui_screen_resize(data);
	refresh();
}

static void
ui_screen_end_surface(void *data)
{
	(void)data;
	ui_screen_end();
}

/* The bell: ncurses writes the terminal's bel at once (flash when it
 * has none). */
static void
ui_screen_bell(void *data)
{
	(void)data;
	if (ui_screen != NULL)
		beep();
}

/*
 * A notification's bytes (built and sanitised by ui-surface.c) straight
 * to the terminal, after what ncurses has written: an OSC moves no
 * cursor and draws nothing, so the screen ncurses knows stays true.
 */
static void
ui_screen_notify(void *data, const char *seq, size_t len)
{
	ssize_t	n;

	(void)data;
	if (ui_screen == NULL)
		return;
	fflush(stdout);
	while (len > 0) {
		n = write(STDOUT_FILENO, seq, len);
		if (n <= 0)
			break;
		seq += n;
		len -= (size_t)n;
	}
}

static const struct ui_surface ui_screen_surface = {
	ui_screen_size,
	ui_screen_erase,
	ui_screen_text,
	ui_screen_flush,
	ui_screen_resize,
	ui_screen_suspend,
	ui_screen_resume,
	ui_screen_end_surface,
	ui_screen_bell,
	ui_screen_notify,
	NULL
};

const struct ui_surface *
ui_screen_init(void)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return NULL;
	/* ncursesw writes characters in the locale's encoding and ombre's
	 * text is UTF-8: without a UTF-8 locale, take C.UTF-8. */
	if (setlocale(LC_CTYPE, "") == NULL ||
	    strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
	ui_screen = newterm(NULL, stdout, stdin);
	if (ui_screen == NULL)
		return NULL;
	set_term(ui_screen);
	/* Input is libtermkey's: curses only needs to leave it alone. */
	raw();
	noecho();
	nonl();
	curs_set(0);
	if (has_colors() && start_color() == OK) {
		use_default_colors();
		ui_screen_colours = COLORS >= 8;
	}
	ui_screen_styles_seen = (unsigned)-1;
	ui_screen_apply_styles();
	return &ui_screen_surface;
}

void
ui_screen_end(void)
{
	if (ui_screen == NULL)
		return;
	curs_set(1);
	endwin();
	delscreen(ui_screen);
	ui_screen = NULL;
	fflush(stdout);
}
