/*
 * ui.c: the console: one poll() loop watching the terminal, signals and a
 * timer on the database revision; draws once per iteration when something
 * changed.
 *
 * It reads the store read-only and re-reads it when the revision changes
 * (another console, `ombre ingest`, `notmuch tag`), keeping the cursor on
 * the same conversation. It never opens the database read-write.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How often the revision is compared; the list follows within this. */
#define UI_WATCH_MS	500
/* How many conversations the list holds (a page of a large store). */
#define UI_PAGE		500

struct ui {
	const struct ui_options	*opts;
	struct ev_loop		*loop;
	struct ui_input		*input;
	struct ev_timer		*escape_timer;
	struct store		*store;
	struct ui_list		*list;
	struct ui_thread	*thread;	/* open conversation, or NULL */
	char			*message;	/* status line message */
	int			 message_error;
	int			 redraw;
	int			 resized;
	int			 quit;
};

/*
 * The default key bindings, per view. Each is a console action for now;
 * they move to `bind` and the command language with the rest of the
 * console.
 */
enum ui_action {
	UI_SELECT_DOWN,
	UI_SELECT_UP,
	UI_SELECT_FIRST,
	UI_SELECT_LAST,
	UI_PAGE_DOWN,
	UI_PAGE_UP,
	UI_OPEN,
	UI_BACK,
	UI_REDRAW,
	UI_QUIT
};
#define UI_IN_LIST	0x1
#define UI_IN_THREAD	0x2
static const struct {
	int		 views;
	const char	*key;
	enum ui_action	 action;
} ui_keys[] = {
	{ UI_IN_LIST | UI_IN_THREAD, "j", UI_SELECT_DOWN },
	{ UI_IN_LIST | UI_IN_THREAD, "Down", UI_SELECT_DOWN },
	{ UI_IN_LIST | UI_IN_THREAD, "k", UI_SELECT_UP },
	{ UI_IN_LIST | UI_IN_THREAD, "Up", UI_SELECT_UP },
	{ UI_IN_LIST | UI_IN_THREAD, "g", UI_SELECT_FIRST },
	{ UI_IN_LIST | UI_IN_THREAD, "Home", UI_SELECT_FIRST },
	{ UI_IN_LIST | UI_IN_THREAD, "G", UI_SELECT_LAST },
	{ UI_IN_LIST | UI_IN_THREAD, "End", UI_SELECT_LAST },
	{ UI_IN_LIST | UI_IN_THREAD, "PageDown", UI_PAGE_DOWN },
	{ UI_IN_LIST | UI_IN_THREAD, "C-f", UI_PAGE_DOWN },
	{ UI_IN_LIST | UI_IN_THREAD, "PageUp", UI_PAGE_UP },
	{ UI_IN_LIST | UI_IN_THREAD, "C-b", UI_PAGE_UP },
	{ UI_IN_LIST, "Enter", UI_OPEN },
	{ UI_IN_THREAD, "Escape", UI_BACK },
	{ UI_IN_LIST | UI_IN_THREAD, "C-l", UI_REDRAW },
	{ UI_IN_LIST | UI_IN_THREAD, "q", UI_QUIT },
};

static void
ui_set_message(struct ui *ui, int error, const char *fmt, ...)
    OMBRE_PRINTF(3, 4);

static void
ui_set_message(struct ui *ui, int error, const char *fmt, ...)
{
	va_list	ap;

	free(ui->message);
	va_start(ap, fmt);
	ui->message = xvasprintf(fmt, ap);
	va_end(ap);
	ui->message_error = error;
	ui->redraw = 1;
}

/* Read the first page of the view again. */
static void
ui_load(struct ui *ui)
{
	struct store_conv	**convs;
	size_t			  n;
	char			 *cause;

	if (store_query_convs(ui->store, ui->opts->query, 0, UI_PAGE, &convs,
	    &n, &cause) != STORE_OK) {
		ui_set_message(ui, 1, "%s", cause);
		free(cause);
		return;
	}
	ui_list_set(ui->list, convs, n);
	ui->redraw = 1;
}

static void
ui_draw(struct ui *ui)
{
	char	status[256];
	int	rows, cols;

	if (ui->resized) {
		ui_screen_resize();
		ui->resized = 0;
	}
	ui_screen_size(&rows, &cols);
	ui_screen_erase();
	if (ui->thread != NULL)
		ui_thread_draw(ui->thread, 0, rows - 1, cols);
	else
		ui_list_draw(ui->list, 0, rows - 1, cols, util_now());
	if (ui->thread != NULL)
		snprintf(status, sizeof status, " %s > conversation  Esc back%s%s",
		    ui->opts->view_name, ui->message != NULL ? "  " : "",
		    ui->message != NULL ? ui->message : "");
	else
		snprintf(status, sizeof status, " %s  %zu conversation%s%s%s",
		    ui->opts->view_name, ui_list_count(ui->list),
		    ui_list_count(ui->list) == 1 ? "" : "s",
		    ui->message != NULL ? "  " : "",
		    ui->message != NULL ? ui->message : "");
	ui_screen_text(rows - 1, 0, cols, ui->message_error ? UI_ROLE_ERROR :
	    UI_ROLE_STATUS, status);
	ui_screen_flush();
	ui->redraw = 0;
}

/* Open the conversation under the cursor in the thread view. */
static void
ui_open(struct ui *ui)
{
	const struct store_conv	 *c = ui_list_selected(ui->list);
	struct msg		**msgs;
	size_t			  n;
	char			 *cause, *title;
	int			  rows, cols;

	if (c == NULL)
		return;
	if (store_thread_messages(ui->store, c->thread_id, &msgs, &n,
	    &cause) != STORE_OK) {
		ui_set_message(ui, 1, "%s", cause);
		free(cause);
		return;
	}
	title = xasprintf("%s  %s (%s)", c->customer_name, c->title,
	    c->channel);
	ui->thread = ui_thread_new(msgs, n, title);
	free(title);
	ui_screen_size(&rows, &cols);
	ui_thread_scroll_end(ui->thread, rows - 2, cols);
}

static void
ui_do(struct ui *ui, enum ui_action action)
{
	int	rows, cols, page;

	ui_screen_size(&rows, &cols);
	page = rows > 3 ? rows - 3 : 1;
	if (ui->thread != NULL) {
		switch (action) {
		case UI_SELECT_DOWN:
			ui_thread_scroll(ui->thread, 1, rows - 2);
			break;
		case UI_SELECT_UP:
			ui_thread_scroll(ui->thread, -1, rows - 2);
			break;
		case UI_SELECT_FIRST:
			ui_thread_scroll(ui->thread, -1000000, rows - 2);
			break;
		case UI_SELECT_LAST:
			ui_thread_scroll(ui->thread, 1000000, rows - 2);
			break;
		case UI_PAGE_DOWN:
			ui_thread_scroll(ui->thread, page, rows - 2);
			break;
		case UI_PAGE_UP:
			ui_thread_scroll(ui->thread, -page, rows - 2);
			break;
		case UI_BACK:
			ui_thread_free(ui->thread);
			ui->thread = NULL;
			break;
		default:
			break;
		}
	} else {
		switch (action) {
		case UI_SELECT_DOWN:
			ui_list_move(ui->list, 1);
			break;
		case UI_SELECT_UP:
			ui_list_move(ui->list, -1);
			break;
		case UI_SELECT_FIRST:
			ui_list_move_to(ui->list, 0);
			break;
		case UI_SELECT_LAST:
			ui_list_move_to(ui->list,
			    (long)ui_list_count(ui->list) - 1);
			break;
		case UI_PAGE_DOWN:
			ui_list_move(ui->list, rows > 2 ? rows - 2 : 1);
			break;
		case UI_PAGE_UP:
			ui_list_move(ui->list, -(rows > 2 ? rows - 2 : 1));
			break;
		case UI_OPEN:
			ui_open(ui);
			break;
		default:
			break;
		}
	}
	if (action == UI_REDRAW)
		ui->resized = 1;
	if (action == UI_QUIT)
		ui->quit = 1;
	ui->redraw = 1;
}

static void
ui_key(const char *key, void *data)
{
	struct ui	*ui = data;
	size_t		 i;

	int		 view = ui->thread != NULL ? UI_IN_THREAD : UI_IN_LIST;

	for (i = 0; i < nitems(ui_keys); i++) {
		if ((ui_keys[i].views & view) && strcmp(ui_keys[i].key, key) == 0) {
			ui_do(ui, ui_keys[i].action);
			return;
		}
	}
	ui_set_message(ui, 0, "%s is not bound", key);
}

static void
ui_escape_due(void *data)
{
	struct ui	*ui = data;

	ui->escape_timer = NULL;
	ui_input_flush(ui->input, ui_key, ui);
}

static void
ui_input_ready(int fd, short revents, void *data)
{
	struct ui	*ui = data;
	int		 wait;

	(void)fd;
	if (revents & (POLLHUP | POLLERR)) {
		ui->quit = 1;	/* the terminal went away (ssh dropped) */
		return;
	}
	ev_timer_del(ui->escape_timer);
	ui->escape_timer = NULL;
	wait = ui_input_read(ui->input, ui_key, ui);
	if (wait >= 0)
		ui->escape_timer = ev_timer_add(ui->loop, wait, ui_escape_due,
		    ui);
}

static void
ui_watch(void *data)
{
	struct ui	*ui = data;

	if (store_refresh(ui->store) == 1)
		ui_load(ui);
	ev_timer_add(ui->loop, UI_WATCH_MS, ui_watch, ui);
}

static void
ui_signal(int signo, void *data)
{
	struct ui	*ui = data;

	if (signo == SIGWINCH) {
		ui->resized = 1;
		ui->redraw = 1;
	} else
		ui->quit = 1;	/* SIGTERM, SIGHUP, SIGINT */
}

int
ui_run(const struct ui_options *opts)
{
	struct ui	 ui;
	char		*cause;
	int		 rc = 0;

	memset(&ui, 0, sizeof ui);
	ui.opts = opts;
	if (store_open(&opts->store, STORE_READ_ONLY, &ui.store, &cause) !=
	    STORE_OK) {
		log_warn("%s", cause);
		free(cause);
		return 1;
	}
	if (ui_screen_init() != 0) {
		log_warn("the console needs a terminal (try `ombre list`)");
		store_close(ui.store);
		return 1;
	}
	log_set_restore(ui_screen_end);
	ui.input = ui_input_new(STDIN_FILENO);
	if (ui.input == NULL) {
		ui_screen_end();
		log_warn("cannot read keys from this terminal");
		store_close(ui.store);
		return 1;
	}
	ui.loop = ev_loop_new();
	ui.list = ui_list_new();
	ev_fd_add(ui.loop, ui_input_fd(ui.input), POLLIN, ui_input_ready, &ui);
	ev_signal_add(ui.loop, SIGWINCH, ui_signal, &ui);
	ev_signal_add(ui.loop, SIGTERM, ui_signal, &ui);
	ev_signal_add(ui.loop, SIGHUP, ui_signal, &ui);
	ev_signal_add(ui.loop, SIGINT, ui_signal, &ui);
	ev_timer_add(ui.loop, UI_WATCH_MS, ui_watch, &ui);
	ui_load(&ui);
	ui_draw(&ui);
	while (!ui.quit) {
		if (ev_run_once(ui.loop, -1) != 0) {
			rc = 1;
			break;
		}
		if (ui.redraw && !ui.quit)
			ui_draw(&ui);
	}
	ui_input_free(ui.input);
	ui_screen_end();
	log_set_restore(NULL);
	ev_loop_free(ui.loop);
	ui_list_free(ui.list);
	ui_thread_free(ui.thread);
	free(ui.message);
	store_close(ui.store);
	return rc;
}
