/*
 * ui-screen.c: the only ncurses code, for output only (keys come from
 * libtermkey in ui-input.c; getch is never called).
 *
 * Every string drawn here goes through the sanitiser first, so control
 * characters, escape sequences and bidi overrides from names and messages
 * reach the terminal as visible placeholders, never as what they encode.
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

/* The default theme; themes/ and `set theme` come with the theme work. */
static const struct {
	short	fg;
	short	bg;
	attr_t	attr;
	attr_t	mono;		/* without colour */
} ui_screen_styles[UI_ROLE_COUNT] = {
	[UI_ROLE_NORMAL] =		{ -1, -1, 0, 0 },
	[UI_ROLE_LIST_UNREAD] =		{ -1, -1, A_BOLD, A_BOLD },
	[UI_ROLE_LIST_CURSOR] =		{ COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[UI_ROLE_MARKER_HANDOFF] =	{ COLOR_RED, -1, A_BOLD, A_BOLD },
	[UI_ROLE_MARKER_BOT] =		{ COLOR_BLUE, -1, 0, 0 },
	[UI_ROLE_WAIT_MEDIUM] =		{ COLOR_YELLOW, -1, 0, A_BOLD },
	[UI_ROLE_WAIT_LONG] =		{ COLOR_RED, -1, A_BOLD, A_BOLD | A_REVERSE },
	[UI_ROLE_STATUS] =		{ COLOR_BLACK, COLOR_WHITE, 0, A_REVERSE },
	[UI_ROLE_THREAD_TITLE] =	{ -1, -1, A_BOLD | A_UNDERLINE, A_BOLD },
	[UI_ROLE_THREAD_DAY] =		{ COLOR_YELLOW, -1, 0, A_DIM },
	[UI_ROLE_THREAD_CUSTOMER] =	{ COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[UI_ROLE_THREAD_BOT] =		{ COLOR_BLUE, -1, A_BOLD, A_DIM },
	[UI_ROLE_THREAD_AGENT] =	{ COLOR_CYAN, -1, A_BOLD, A_UNDERLINE },
	[UI_ROLE_THREAD_NOTE] =		{ COLOR_MAGENTA, -1, 0, A_REVERSE },
	[UI_ROLE_THREAD_ATTACHMENT] =	{ COLOR_YELLOW, -1, 0, 0 },
	[UI_ROLE_ERROR] =		{ COLOR_RED, -1, A_BOLD, A_BOLD },
};

int
ui_screen_init(void)
{
	int	i;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	/* ncursesw writes characters in the locale's encoding and ombre's
	 * text is UTF-8: without a UTF-8 locale, take C.UTF-8. */
	if (setlocale(LC_CTYPE, "") == NULL ||
	    strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
	ui_screen = newterm(NULL, stdout, stdin);
	if (ui_screen == NULL)
		return -1;
	set_term(ui_screen);
	/* Input is libtermkey's: curses only needs to leave it alone. */
	raw();
	noecho();
	nonl();
	curs_set(0);
	if (has_colors() && start_color() == OK) {
		use_default_colors();
		ui_screen_colours = COLORS >= 8;
		for (i = 1; i < UI_ROLE_COUNT; i++)
			init_pair((short)i, ui_screen_styles[i].fg,
			    ui_screen_styles[i].bg);
	}
	return 0;
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

void
ui_screen_resize(void)
{
	struct winsize	ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}

void
ui_screen_size(int *rows, int *cols)
{
	*rows = LINES;
	*cols = COLS;
}

void
ui_screen_erase(void)
{
	erase();
}

void
ui_screen_text(int row, int col, int width, enum ui_role role,
    const char *text)
{
	char	*clean;
	size_t	 used;
	attr_t	 attr;

	if (width <= 0 || row < 0 || row >= LINES || col >= COLS)
		return;
	if (col + width > COLS)
		width = COLS - col;
	clean = sanitize(text, strlen(text), SANITIZE_LINE, (size_t)width);
	used = utf8_width(clean, strlen(clean));
	if (ui_screen_colours) {
		attr = ui_screen_styles[role].attr;
		attrset(attr | (role != UI_ROLE_NORMAL ? COLOR_PAIR(role) : 0));
	} else
		attrset(ui_screen_styles[role].mono);
	mvaddstr(row, col, clean);
	for (; (int)used < width; used++)
		addch(' ');
	attrset(A_NORMAL);
	free(clean);
}

void
ui_screen_flush(void)
{
	refresh();
}

void
ui_screen_suspend(void)
{
	if (ui_screen == NULL)
		return;
	curs_set(1);
	endwin();
	fflush(stdout);
}

void
ui_screen_resume(void)
{
	if (ui_screen == NULL)
		return;
	reset_prog_mode();
	curs_set(0);
	ui_screen_resize();
	refresh();
}
