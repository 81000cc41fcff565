/*
 * ui-cmd-move.c: the console's commands that move: the cursor of the pane
 * that has the keys (the help, the sidebar, the open conversation or the
 * list), opening and leaving a conversation, the panes, the views, the
 * customer waiting longest for a human.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int	ui_cmd_back_exec(void *, int, char **, char **);
static int	ui_cmd_next_pane_exec(void *, int, char **, char **);
static int	ui_cmd_open_exec(void *, int, char **, char **);
static int	ui_cmd_page_down_exec(void *, int, char **, char **);
static int	ui_cmd_page_up_exec(void *, int, char **, char **);
static int	ui_cmd_select_down_exec(void *, int, char **, char **);
static int	ui_cmd_select_first_exec(void *, int, char **, char **);
static int	ui_cmd_select_last_exec(void *, int, char **, char **);
static int	ui_cmd_select_next_unread_exec(void *, int, char **, char **);
static int	ui_cmd_select_oldest_handoff_exec(void *, int, char **,
		    char **);
static int	ui_cmd_select_previous_unread_exec(void *, int, char **, char **);
static int	ui_cmd_select_up_exec(void *, int, char **, char **);
static int	ui_cmd_show_view_exec(void *, int, char **, char **);
static int	ui_cmd_toggle_quotes_exec(void *, int, char **, char **);

/* The sidebar's keys once Tab gave it them (the bound commands act on
 * it there), for the help screen. */
const struct ui_key_help ui_cmd_sidebar_keys_help[] = {
	{ "j k Up Down", N_("the next view, the previous") },
	{ "g G", N_("the first view, the last") },
	{ "Enter", N_("show the view under the cursor; the list has the keys") },
	{ "Escape Tab", N_("give the keys back to the list") },
	{ NULL, NULL }
};

const struct cmd_entry ui_cmd_move_entries[] = {
	{ .name = "back",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "back",
	  .help = N_("console: back from a conversation to the list"),
	  .host_exec = ui_cmd_back_exec },
	{ .name = "next-pane",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "next-pane",
	  .help = N_("console: the keys to the next pane (sidebar, list)"),
	  .host_exec = ui_cmd_next_pane_exec },
	{ .name = "open",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "open",
	  .help = N_("console: open the conversation under the cursor"),
	  .host_exec = ui_cmd_open_exec },
	{ .name = "page-down",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "page-down",
	  .help = N_("console: a screen down"),
	  .host_exec = ui_cmd_page_down_exec },
	{ .name = "page-up",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "page-up",
	  .help = N_("console: a screen up"),
	  .host_exec = ui_cmd_page_up_exec },
	{ .name = "select-down",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "select-down",
	  .help = N_("console: next conversation, or scroll down"),
	  .host_exec = ui_cmd_select_down_exec },
	{ .name = "select-first",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "select-first",
	  .help = N_("console: first conversation, or the top"),
	  .host_exec = ui_cmd_select_first_exec },
	{ .name = "select-last",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "select-last",
	  .help = N_("console: last conversation, or the end"),
	  .host_exec = ui_cmd_select_last_exec },
	{ .name = "select-next-unread",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "select-next-unread",
	  .help = N_("console: the next unread conversation (in one: open it)"),
	  .host_exec = ui_cmd_select_next_unread_exec },
	{ .name = "select-oldest-handoff",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "select-oldest-handoff",
	  .help = N_("console: the Needs human view, on the customer waiting "
	      "longest"),
	  .host_exec = ui_cmd_select_oldest_handoff_exec },
	{ .name = "select-previous-unread",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "select-previous-unread",
	  .help = N_("console: the previous unread conversation (in one: open it)"),
	  .host_exec = ui_cmd_select_previous_unread_exec },
	{ .name = "select-up",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "select-up",
	  .help = N_("console: previous conversation, or scroll up"),
	  .host_exec = ui_cmd_select_up_exec },
	{ .name = "show-view",
	  .args_min = 1,
	  .args_max = 1,
	  .usage = N_("show-view N|NAME"),
	  .help = N_("console: show a view, by its number or name"),
	  .host_exec = ui_cmd_show_view_exec },
	{ .name = "toggle-quotes",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "toggle-quotes",
	  .help = N_("console: show the long quotes of the open conversation, "
	      "or fold them again into one line"),
	  .host_exec = ui_cmd_toggle_quotes_exec },
	{ .name = NULL }
};

/* How far a move goes: a line, a page, or to an end. */
enum ui_cmd_move {
	UI_CMD_MOVE_LINE,
	UI_CMD_MOVE_PAGE,
	UI_CMD_MOVE_END
};

/* Whether the sidebar has the keys (Tab); a resize that folded it away
 * gives them back to the list. */
static int
ui_cmd_sidebar_focused(struct ui *ui)
{
	int	rows, cols;

	if (!ui->sidebar_focus || ui->thread != NULL)
		return 0;
	ui_surface_size(&rows, &cols);
	if (cols < UI_SIDEBAR_FROM) {
		ui->sidebar_focus = 0;
		return 0;
	}
	return 1;
}

/*
 * Move the cursor of the pane that has the keys, down (sign 1) or up
 * (-1). The sidebar moves by lines and to its ends; a page moves the list
 * under it.
 */
static int
ui_cmd_move(struct ui *ui, enum ui_cmd_move how, int sign)
{
	size_t	n;
	long	lines;
	int	rows, cols, page;

	ui_surface_size(&rows, &cols);
	page = rows > 3 ? rows - 3 : 1;
	lines = how == UI_CMD_MOVE_LINE ? 1 : how == UI_CMD_MOVE_PAGE ? page :
	    1000000;
	if (ui->pager != NULL) {
		ui_pager_scroll(ui->pager, sign * lines, rows - 2);
		return UI_REDRAW;
	}
	if (how != UI_CMD_MOVE_PAGE && ui_cmd_sidebar_focused(ui)) {
		view_all(&n);
		if (how == UI_CMD_MOVE_END)
			ui->sidebar_cursor = sign < 0 || n == 0 ? 0 : n - 1;
		else if (sign > 0 && ui->sidebar_cursor + 1 < n)
			ui->sidebar_cursor++;
		else if (sign < 0 && ui->sidebar_cursor > 0)
			ui->sidebar_cursor--;
		return UI_REDRAW;
	}
	if (ui->thread != NULL) {
		/* The rows the composer leaves it. */
		ui_thread_scroll(ui->thread, sign * lines, rows - 2 -
		    ui_reply_rows(ui, rows - 1, cols));
		return UI_REDRAW;
	}
	if (how == UI_CMD_MOVE_LINE)
		ui_list_move(ui->list, sign);
	else if (how == UI_CMD_MOVE_PAGE)
		ui_list_move(ui->list, sign * (rows > 2 ? rows - 2 : 1));
	else if (sign < 0)
		ui_list_move_to(ui->list, 0);
	else {
		while (ui->more)
			ui_load_more(ui);
		ui_list_move_to(ui->list, (long)ui_list_count(ui->list) - 1);
	}
	ui_load_near(ui);
	return UI_REDRAW;
}

static int
ui_cmd_select_down_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_move(data, UI_CMD_MOVE_LINE, 1);
}

static int
ui_cmd_select_up_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_move(data, UI_CMD_MOVE_LINE, -1);
}

static int
ui_cmd_page_down_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_move(data, UI_CMD_MOVE_PAGE, 1);
}

static int
ui_cmd_page_up_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_move(data, UI_CMD_MOVE_PAGE, -1);
}

static int
ui_cmd_select_first_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_move(data, UI_CMD_MOVE_END, -1);
}

static int
ui_cmd_select_last_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_move(data, UI_CMD_MOVE_END, 1);
}

/* Enter: in the sidebar, show its view; in the list, open the
 * conversation. */
static int
ui_cmd_open_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui	*ui = data;

	(void)argc;
	(void)argv;
	(void)cause;
	if (ui->pager != NULL)
		return ui_cmd_screen_in_help(ui);
	if (ui_cmd_sidebar_focused(ui)) {
		ui->sidebar_focus = 0;
		ui_view(ui, (int)ui->sidebar_cursor);
	} else if (ui->thread == NULL) {
		ui_open(ui);
		ui_load_near(ui);
	}
	return UI_REDRAW;
}

/* Escape: close the help, leave the sidebar, or the conversation. */
static int
ui_cmd_back_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui	*ui = data;

	(void)argc;
	(void)argv;
	(void)cause;
	if (ui->pager != NULL) {
		ui_pager_free(ui->pager);
		ui->pager = NULL;
	} else if (ui_cmd_sidebar_focused(ui))
		ui->sidebar_focus = 0;
	else if (ui->thread != NULL)
		ui_close_thread(ui);
	return UI_REDRAW;
}

/*
 * Tab: the panes in turn, the sidebar (from UI_SIDEBAR_FROM columns), the
 * list, the open conversation (Tab goes back to its list).
 */
static int
ui_cmd_next_pane_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui		*ui = data;
	const struct view	*views;
	size_t			 n, i;
	int			 rows, cols;

	(void)argc;
	(void)argv;
	(void)cause;
	if (ui->pager != NULL)
		return ui_cmd_screen_in_help(ui);
	ui_surface_size(&rows, &cols);
	if (ui_cmd_sidebar_focused(ui))
		ui->sidebar_focus = 0;
	else if (ui->thread != NULL)
		ui_close_thread(ui);
	else if (cols >= UI_SIDEBAR_FROM) {
		views = view_all(&n);
		ui->sidebar_focus = 1;
		ui->sidebar_cursor = 0;
		for (i = 0; i < n; i++) {
			if (strcmp(views[i].name, ui->view_name) == 0)
				ui->sidebar_cursor = i;
		}
	} else
		ui_set_message(ui, 0, _("the sidebar shows from %d columns"),
		    UI_SIDEBAR_FROM);
	return UI_REDRAW;
}

/*
 * The next or previous unread conversation of the view, loading pages as
 * the search goes down; in a conversation, open it. Return 0, or -1 when
 * there is none.
 */
static int
ui_cmd_unread(struct ui *ui, int step)
{
	const struct store_conv	*c;
	long			 i = (long)ui_list_cursor(ui->list);

	if (ui->pager != NULL)
		return ui_cmd_screen_in_help(ui);
	for (i += step; i >= 0; i += step) {
		if ((size_t)i >= ui_list_count(ui->list)) {
			if (step < 0 || !ui->more)
				break;
			ui_load_more(ui);
			if ((size_t)i >= ui_list_count(ui->list))
				break;
		}
		c = ui_list_at(ui->list, (size_t)i);
		if (c != NULL && c->unread > 0) {
			ui_list_move_to(ui->list, i);
			if (ui->thread != NULL) {
				ui_close_thread(ui);
				ui_open(ui);
			}
			return UI_REDRAW;
		}
	}
	ui_set_message(ui, 0, "%s", step > 0 ?
	    _("no later unread conversation") :
	    _("no earlier unread conversation"));
	return UI_REDRAW;
}

static int
ui_cmd_select_next_unread_exec(void *data, int argc, char **argv,
    char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_unread(data, 1);
}

static int
ui_cmd_select_previous_unread_exec(void *data, int argc, char **argv,
    char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_unread(data, -1);
}

/* show-view N|NAME: a view by its number (1 is the first) or its name. */
static int
ui_cmd_show_view_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui		*ui = data;
	const struct view	*views;
	size_t			 i, n;
	char			*end;
	long			 number;

	(void)argc;
	views = view_all(&n);
	number = strtol(argv[1], &end, 10);
	if (*end == '\0' && number >= 1 && (size_t)number <= n)
		i = (size_t)number - 1;
	else {
		for (i = 0; i < n; i++) {
			if (strcasecmp(views[i].name, argv[1]) == 0)
				break;
		}
		if (i == n) {
			*cause = xasprintf(_("no view %s"), argv[1]);
			return -1;
		}
	}
	if (ui->pager != NULL)
		return ui_cmd_screen_in_help(ui);
	ui_view(ui, (int)i);
	return UI_REDRAW;
}

/*
 * H: the Needs human view (the status line's lane), the cursor on the
 * customer who has waited longest: its first row when it is sorted by
 * waiting (the built-in is), else the longest wait of what is loaded.
 */
static int
ui_cmd_select_oldest_handoff_exec(void *data, int argc, char **argv,
    char **cause)
{
	struct ui		*ui = data;
	const struct store_conv	*c;
	int			 index;
	size_t			 i, best = 0;
	int64_t			 oldest = 0;

	(void)argc;
	(void)argv;
	if ((index = ui_counts_lane_view()) == -1) {
		*cause = xstrdup(_("no view is called Needs human"));
		return -1;
	}
	if (ui->pager != NULL) {
		ui_pager_free(ui->pager);
		ui->pager = NULL;
	}
	ui->sidebar_focus = 0;
	ui_close_thread(ui);
	ui_view(ui, index);
	for (i = 0; i < ui_list_count(ui->list); i++) {
		c = ui_list_at(ui->list, i);
		if (c->waiting_since > 0 && (oldest == 0 ||
		    c->waiting_since < oldest)) {
			oldest = c->waiting_since;
			best = i;
		}
	}
	ui_list_move_to(ui->list, (long)best);
	if (ui_list_count(ui->list) == 0)
		ui_set_message(ui, 0, _("nobody needs a human"));
	return UI_REDRAW;
}

/* z: an e-mail's long quotes shown, or folded again (ui-thread.c). */
static int
ui_cmd_toggle_quotes_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui	*ui = data;

	(void)argc;
	(void)argv;
	(void)cause;
	if (ui->pager != NULL)
		return ui_cmd_screen_in_help(ui);
	if (ui->thread == NULL) {
		ui_set_message(ui, 1, _("toggle-quotes: no conversation open"));
		return UI_REDRAW;
	}
	ui_set_message(ui, 0, "%s", ui_thread_toggle_quotes(ui->thread) ?
	    _("quotes shown") : _("quotes folded"));
	return UI_REDRAW;
}
