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
#include "ui/ui-private.h"
#include "chan/chan.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* What each prompt shows before the line. */
static const char *const ui_prompt_leads[] = {
	"", ":", "/",
	"snooze until (1: 1h, 2: 4h, 3: tomorrow 9:00, 4: next week, or a "
	    "time): ",
	"label: ",
	"assign to: "
};


static void	ui_open(struct ui *);
static void	ui_close_thread(struct ui *);
static void	ui_search(struct ui *, const char *);
static void	ui_run_command(struct ui *, const char *);
static int	ui_macro(struct ui *, int, int, char **, char **);

static const struct {
	const char	*command;
	enum ui_action	 action;
} ui_commands[] = {
	{ "assign", UI_ASSIGN },
	{ "assign-me", UI_ASSIGN_ME },
	{ "assign-prompt", UI_ASSIGN_PROMPT },
	{ "back", UI_BACK },
	{ "command-prompt", UI_PROMPT },
	{ "cycle-priority", UI_CYCLE_PRIORITY },
	{ "done", UI_DONE },
	{ "fetch-attachments", UI_FETCH },
	{ "hand-back", UI_HAND_BACK },
	{ "help", UI_HELP },
	{ "label", UI_LABEL },
	{ "label-prompt", UI_LABEL_PROMPT },
	{ "macro-record", UI_MACRO_RECORD },
	{ "macro-run", UI_MACRO_RUN },
	{ "macro-stop", UI_MACRO_STOP },
	{ "mark", UI_MARK },
	{ "note", UI_NOTE },
	{ "outbox-discard", UI_OUTBOX_DISCARD },
	{ "outbox-mark-sent", UI_OUTBOX_MARK_SENT },
	{ "outbox-resend", UI_OUTBOX_RESEND },
	{ "next-pane", UI_NEXT_PANE },
	{ "open", UI_OPEN },
	{ "page-down", UI_PAGE_DOWN },
	{ "page-up", UI_PAGE_UP },
	{ "quit", UI_QUIT },
	{ "redraw", UI_REDRAW },
	{ "reply", UI_REPLY },
	{ "reply-editor", UI_REPLY_EDITOR },
	{ "search", UI_SEARCH },
	{ "search-next", UI_SEARCH_NEXT },
	{ "search-previous", UI_SEARCH_PREVIOUS },
	{ "search-prompt", UI_SEARCH_PROMPT },
	{ "select-down", UI_SELECT_DOWN },
	{ "select-first", UI_SELECT_FIRST },
	{ "select-last", UI_SELECT_LAST },
	{ "select-next-unread", UI_NEXT_UNREAD },
	{ "select-previous-unread", UI_PREVIOUS_UNREAD },
	{ "select-up", UI_SELECT_UP },
	{ "show-view", UI_VIEW },
	{ "snooze", UI_SNOOZE },
	{ "snooze-prompt", UI_SNOOZE_PROMPT },
	{ "suspend", UI_SUSPEND },
	{ "take-over", UI_TAKE_OVER },
	{ "template", UI_TEMPLATE },
	{ "toggle-unread", UI_TOGGLE_UNREAD },
	{ "undo", UI_UNDO },
};

void
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
ui_load_limit(struct ui *ui, size_t want)
{
	struct store_conv	**convs;
	size_t			  n;
	char			 *cause;

	if (store_query_convs(ui->store, ui->query, 0, (long)want, &convs,
	    &n, &cause) != STORE_OK) {
		ui_set_message(ui, 1, "%s", cause);
		free(cause);
		return;
	}
	ui_list_set(ui->list, convs, n);
	ui->more = n == want;
	ui->redraw = 1;
}

void
ui_load(struct ui *ui)
{
	size_t	want;

	/* As many as were loaded (the user may have scrolled far). */
	want = ui_list_count(ui->list);
	want = want < UI_PAGE ? UI_PAGE : (want + UI_PAGE - 1) / UI_PAGE * UI_PAGE;
	ui_load_limit(ui, want);
}

/*
 * After the first paint: the rest of the first page, a slice at a time,
 * each from the loop, so that a key pressed meanwhile is answered between
 * two slices instead of after the whole page.
 */
static void
ui_load_rest(void *data)
{
	struct ui		 *ui = data;
	struct store_conv	**convs;
	size_t			  n, have = ui_list_count(ui->list), want;
	char			 *cause;

	if (!ui->more || have >= UI_PAGE) {
		/* The first page is in: the counts may start. */
		ui_counts_first(ui);
		return;
	}
	want = UI_PAGE - have < UI_SLICE ? UI_PAGE - have : UI_SLICE;
	if (store_query_convs(ui->store, ui->query, (long)have, (long)want,
	    &convs, &n, &cause) != STORE_OK) {
		ui_set_message(ui, 1, "%s", cause);
		free(cause);
		ui_counts_first(ui);	/* the counts come all the same */
		return;
	}
	ui_list_append(ui->list, convs, n);
	ui->more = n == want;
	ui->redraw = 1;
	if (ui->more && have + n < UI_PAGE)
		ev_timer_add(ui->loop, 0, ui_load_rest, ui);
	else
		ui_counts_first(ui);
}

/* Read the next page of the view, if it has one. */
static void
ui_load_more(struct ui *ui)
{
	struct store_conv	**convs;
	size_t			  n;
	char			 *cause;

	if (!ui->more)
		return;
	if (store_query_convs(ui->store, ui->query,
	    (long)ui_list_count(ui->list), UI_PAGE, &convs, &n, &cause) !=
	    STORE_OK) {
		ui_set_message(ui, 1, "%s", cause);
		free(cause);
		ui->more = 0;
		return;
	}
	ui_list_append(ui->list, convs, n);
	ui->more = n == UI_PAGE;
}

static void
ui_draw(struct ui *ui)
{
	char	status[512], marked[32] = "", *here;
	int	rows, cols, compose;

	if (ui->marked.n > 0)
		snprintf(marked, sizeof marked, "  %zu marked", ui->marked.n);
	if (ui->resized) {
		ui_screen_resize();
		ui->resized = 0;
	}
	ui_screen_size(&rows, &cols);
	ui_screen_erase();
	if (ui->pager != NULL)
		ui_pager_draw(ui->pager, 0, rows - 1, cols);
	else if (ui->thread != NULL) {
		compose = ui_reply_rows(ui, rows - 1, cols);
		ui_thread_draw(ui->thread, 0, rows - 1 - compose, cols);
		if (compose > 0)
			ui_reply_draw(ui, rows - 1 - compose, compose, cols);
	} else if (cols >= UI_SIDEBAR_FROM) {
		ui_sidebar_draw(ui, rows - 1);
		ui_list_draw(ui->list, 0, UI_SIDEBAR_WIDTH, rows - 1,
		    cols - UI_SIDEBAR_WIDTH, util_now());
	} else
		ui_list_draw(ui->list, 0, 0, rows - 1, cols, util_now());
	if (ui->pager != NULL)
		snprintf(status, sizeof status, " Help  Esc back%s%s",
		    ui->message != NULL ? "  " : "",
		    ui->message != NULL ? ui->message : "");
	else if (ui->thread != NULL) {
		here = ui_presence_here(ui);
		snprintf(status, sizeof status, " %s > conversation  Esc back%s%s%s%s",
		    ui->view_name, here != NULL ? "  " : "",
		    here != NULL ? here : "", ui->message != NULL ? "  " : "",
		    ui->message != NULL ? ui->message : "");
		free(here);
	}
	else
		snprintf(status, sizeof status, " %s  %zu%s conversation%s%s%s%s%s%s%s",
		    ui->view_name, ui_list_count(ui->list), ui->more ? "+" : "",
		    ui_list_count(ui->list) == 1 && !ui->more ? "" : "s",
		    marked, ui->waiting ? "  waiting for database" : "",
		    ui->message != NULL ? "  " : "",
		    ui->message != NULL ? ui->message : "",
		    ui->sync_text != NULL ? "  " : "",
		    ui->sync_text != NULL ? ui->sync_text : "");
	if (ui->prompting)
		ui_prompt_draw(ui->prompt, rows - 1, cols,
		    ui_prompt_leads[ui->prompting]);
	else
		ui_screen_text(rows - 1, 0, cols, ui->message_error ?
		    UI_ROLE_ERROR : UI_ROLE_STATUS, status);
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
	ui_close_thread(ui);
	title = xasprintf("%s  %s (%s)", c->customer_name, c->title,
	    c->channel);
	ui->thread = ui_thread_new(msgs, n, title);
	ui->thread_id = xstrdup(c->thread_id);
	ui->thread_key = msgid_thread(c->channel, c->account, c->conv_id);
	ui->thread_who = xstrdup(c->customer_name != NULL ?
	    c->customer_name : c->title != NULL ? c->title : "");
	free(title);
	ui_screen_size(&rows, &cols);
	ui_thread_scroll_end(ui->thread, rows - 2, cols);
}

void
ui_open_selected(struct ui *ui)
{
	ui_open(ui);
}

/* Close the open conversation, and its composer (the draft is saved). */
static void
ui_close_thread(struct ui *ui)
{
	if (ui->reply != NULL)
		ui_reply_close(ui);
	ui_thread_free(ui->thread);
	ui->thread = NULL;
	free(ui->thread_id);
	free(ui->thread_key);
	free(ui->thread_who);
	ui->thread_id = ui->thread_key = ui->thread_who = NULL;
}

/* The open conversation read again, at its end if it was there. */
void
ui_thread_reload(struct ui *ui)
{
	struct msg	**msgs;
	size_t		  n;
	char		 *cause, *title;
	int		  rows, cols, at_end;

	if (ui->thread == NULL || ui->thread_id == NULL)
		return;
	if (store_thread_messages(ui->store, ui->thread_id, &msgs, &n,
	    &cause) != STORE_OK) {
		free(cause);
		return;
	}
	ui_reply_refresh(ui, msgs, n);	/* before the thread takes them */
	ui_screen_size(&rows, &cols);
	at_end = ui_thread_at_end(ui->thread, rows - 2);
	title = xstrdup(ui_thread_title(ui->thread));
	ui_thread_free(ui->thread);
	ui->thread = ui_thread_new(msgs, n, title);
	free(title);
	if (at_end)
		ui_thread_scroll_end(ui->thread, rows - 2, cols);
	ui->redraw = 1;
}

/*
 * C-z. libtermkey turns the terminal's suspend character off, so this is
 * a command: give the terminal back, stop with SIGTSTP's default action,
 * and when the shell continues us (SIGCONT) take it again and redraw.
 */
static void
ui_suspend(struct ui *ui)
{
	struct sigaction	sa, old;

	ui_input_stop(ui->input);
	ui_screen_suspend();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, &old);
	raise(SIGTSTP);
	/* Continued. */
	sigaction(SIGTSTP, &old, NULL);
	ui_input_start(ui->input);
	ui_screen_resume();
	ui->resized = 1;
	ui->redraw = 1;
}

/* Snooze presets, by the digit typed at the snooze prompt. */
static const char *const ui_snooze_presets[] = {
	"1h", "4h", "tomorrow", "next week"
};

/* Run what a prompt was for with the line typed. */
static void
ui_prompt_done(struct ui *ui, int kind, const char *line)
{
	char	*command, *word;

	switch (kind) {
	case UI_PROMPTING_SEARCH:
		ui_search(ui, line);
		return;
	case UI_PROMPTING_COMMAND:
		ui_run_command(ui, line);
		return;
	default:
		break;
	}
	while (*line == ' ')
		line++;
	if (*line == '\0')
		return;
	if (kind == UI_PROMPTING_SNOOZE && line[0] >= '1' && line[0] <= '4' &&
	    line[1] == '\0')
		line = ui_snooze_presets[line[0] - '1'];
	/* The typed words become one quoted argument of the command. */
	word = xstrdup(line);
	command = xasprintf("%s '%s'", kind == UI_PROMPTING_SNOOZE ? "snooze" :
	    kind == UI_PROMPTING_LABEL ? "label" : "assign",
	    strchr(word, '\'') == NULL ? word : "");
	if (strchr(word, '\'') != NULL)
		ui_set_message(ui, 1, "no quote here, please");
	else
		ui_run_command(ui, command);
	free(command);
	free(word);
}

/*
 * Show the conversations a notmuch query matches, over every view: the
 * list becomes the view "/QUERY" (1..9 go back to a saved view).
 */
static void
ui_search(struct ui *ui, const char *query)
{
	while (*query == ' ')
		query++;
	if (*query == '\0')
		return;
	ui_close_thread(ui);
	free(ui->view_name);
	free(ui->query);
	ui->view_name = xasprintf("/%s", query);
	ui->query = xstrdup(query);
	strset_free(&ui->marked);
	ui_list_set(ui->list, NULL, 0);
	ui_load(ui);
	ui_list_move_to(ui->list, 0);
	if (ui_list_count(ui->list) == 0 && !ui->message_error)
		ui_set_message(ui, 0, "no conversation matches");
}

/* n / N: the next or previous result; in an open conversation, open it. */
static void
ui_search_step(struct ui *ui, int step)
{
	int	reopen = ui->thread != NULL;

	if (ui->view_name[0] != '/') {
		ui_set_message(ui, 0, "no search: / starts one");
		return;
	}
	if (reopen)
		ui_close_thread(ui);
	ui_list_move(ui->list, step);
	if (reopen)
		ui_open(ui);
}

/* The help screen collects what list-keys prints. */
struct ui_help_lines {
	char	**lines;
	size_t	  n;
};

static void
ui_help_print(struct cmd_ctx *ctx, const char *text)
{
	struct ui_help_lines	*h = ctx->data;

	h->lines = xreallocarray(h->lines, h->n + 1, sizeof *h->lines);
	h->lines[h->n++] = xstrdup(text);
}

/* After the keys, what the badges of the list stand for. */
static void
ui_help_legend(struct ui_help_lines *h)
{
	const struct channel_info *const	*all = channel_info_all();
	struct buf				 b;
	size_t					 i;

	h->lines = xreallocarray(h->lines, h->n + 3, sizeof *h->lines);
	h->lines[h->n++] = xstrdup("");
	buf_init(&b);
	buf_add_str(&b, "Badges:");
	for (i = 0; all[i] != NULL; i++)
		buf_add_printf(&b, " %s %s%s", all[i]->badge, all[i]->name,
		    all[i + 1] != NULL ? "," : "");
	h->lines[h->n++] = buf_steal(&b);
}

/* The screen headed "Keys": every binding, as list-keys prints it. */
static void
ui_help(struct ui *ui)
{
	struct ui_help_lines	 h = { NULL, 0 };
	struct cmd_ctx		 ctx;

	memset(&ctx, 0, sizeof ctx);
	ctx.print = ui_help_print;
	ctx.error = ui_help_print;
	ctx.data = &h;
	cmd_run_string(&ctx, "list-keys");
	ui_help_legend(&h);
	ui_pager_free(ui->pager);
	ui->pager = ui_pager_new("Keys (each runs a command; see list-keys, "
	    "bind)", h.lines, h.n);
}

/* Show the view at this index of the view table (1..9 keys). */
static void
ui_view(struct ui *ui, int index)
{
	const struct view	*views;
	size_t			 n;

	views = view_all(&n);
	if (index < 0 || (size_t)index >= n)
		return;
	free(ui->view_name);
	free(ui->query);
	ui->view_name = xstrdup(views[index].name);
	ui->query = view_expand_query(&views[index]);
	strset_free(&ui->marked);
	ui_list_set(ui->list, NULL, 0);
	ui_load(ui);
	ui_list_move_to(ui->list, 0);
}

/*
 * J / K: the next or previous unread conversation of the view, loading
 * pages as the search goes down. Return 0, or -1 when there is none.
 */
static int
ui_unread_step(struct ui *ui, int step)
{
	const struct store_conv	*c;
	long			 i = (long)ui_list_cursor(ui->list);

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
			return 0;
		}
	}
	ui_set_message(ui, 0, "no %s unread conversation", step > 0 ?
	    "later" : "earlier");
	return -1;
}

/* Keys while the sidebar has the focus (Tab): move, Enter shows a view. */
static int
ui_sidebar_key(struct ui *ui, enum ui_action action)
{
	size_t	n;

	view_all(&n);
	switch (action) {
	case UI_SELECT_DOWN:
		if (ui->sidebar_cursor + 1 < n)
			ui->sidebar_cursor++;
		return 1;
	case UI_SELECT_UP:
		if (ui->sidebar_cursor > 0)
			ui->sidebar_cursor--;
		return 1;
	case UI_SELECT_FIRST:
		ui->sidebar_cursor = 0;
		return 1;
	case UI_SELECT_LAST:
		ui->sidebar_cursor = n > 0 ? n - 1 : 0;
		return 1;
	case UI_OPEN:
		ui->sidebar_focus = 0;
		ui_view(ui, (int)ui->sidebar_cursor);
		return 1;
	case UI_BACK:
	case UI_NEXT_PANE:
		ui->sidebar_focus = 0;
		return 1;
	default:
		return 0;
	}
}

/* A triage key on the selection: what it does is core's policy. */
static void
ui_triage_key(struct ui *ui, enum ui_action action)
{
	const struct store_conv	*c = ui_list_selected(ui->list);
	char			*what;

	if (c == NULL) {
		ui_set_message(ui, 1, "no conversation here");
		return;
	}
	switch (action) {
	case UI_DONE:
		ui_triage(ui, TRIAGE_DONE, NULL, "done");
		break;
	case UI_TOGGLE_UNREAD:
		if (c->unread > 0)
			ui_triage(ui, TRIAGE_READ, NULL, "marked read");
		else
			ui_triage(ui, TRIAGE_UNREAD, NULL, "marked unread");
		break;
	case UI_CYCLE_PRIORITY:
		what = xasprintf("priority %s",
		    triage_priority_next(c->tags, c->n_tags));
		ui_triage(ui, TRIAGE_CYCLE_PRIORITY, NULL, what);
		free(what);
		break;
	case UI_ASSIGN_ME:
		ui_triage(ui, TRIAGE_ASSIGN, core_agent_name(),
		    "assigned to you");
		break;
	case UI_TAKE_OVER:
		ui_triage(ui, TRIAGE_TAKE_OVER, core_agent_name(),
		    "taken over from the bot");
		break;
	case UI_HAND_BACK:
		ui_triage(ui, TRIAGE_HAND_BACK, NULL, "handed back to the bot");
		break;
	default:
		break;
	}
}

/* F: ask the syncer for the attachments of the conversation. */
static void
ui_fetch(struct ui *ui)
{
	const struct store_conv	 *c = ui_list_selected(ui->list);
	struct msg		**msgs = NULL;
	size_t			  n = 0;
	char			 *cause = NULL;
	int			  asked = 0;

	if (c == NULL)
		return;
	if (store_thread_messages(ui->store, c->thread_id, &msgs, &n,
	    &cause) != STORE_OK) {
		ui_set_message(ui, 1, "%s", cause);
		free(cause);
		return;
	}
	if (chan_fetch_messages(ui->opts->store.data_dir, msgs, n, &asked,
	    &cause) != 0) {
		ui_set_message(ui, 1, "%s", cause);
		free(cause);
		store_msgs_free(msgs, n);
		return;
	}
	store_msgs_free(msgs, n);
	if (asked > 0)
		ui_set_message(ui, 0, "%d attachment%s asked for: the syncer "
		    "fetches them into %s/attachments", asked, asked == 1 ?
		    "" : "s", ui->opts->store.data_dir);
	else
		ui_set_message(ui, 0, "no attachment to fetch");
}

static void
ui_do(struct ui *ui, enum ui_action action, int arg)
{
	int	rows, cols, page;

	ui_screen_size(&rows, &cols);
	page = rows > 3 ? rows - 3 : 1;
	switch (action) {
	case UI_PROMPT:
	case UI_SEARCH_PROMPT:
	case UI_SNOOZE_PROMPT:
	case UI_LABEL_PROMPT:
	case UI_ASSIGN_PROMPT:
		ui_prompt_open(ui->prompt);
		ui->prompting = action == UI_PROMPT ? UI_PROMPTING_COMMAND :
		    action == UI_SEARCH_PROMPT ? UI_PROMPTING_SEARCH :
		    action == UI_SNOOZE_PROMPT ? UI_PROMPTING_SNOOZE :
		    action == UI_LABEL_PROMPT ? UI_PROMPTING_LABEL :
		    UI_PROMPTING_ASSIGN;
		ui->redraw = 1;
		return;
	case UI_SEARCH_NEXT:
	case UI_SEARCH_PREVIOUS:
		ui_search_step(ui, action == UI_SEARCH_NEXT ? 1 : -1);
		ui->redraw = 1;
		return;
	case UI_HELP:
		ui_help(ui);
		ui->redraw = 1;
		return;
	case UI_QUIT:
		ui->quit = 1;
		return;
	case UI_SUSPEND:
		ui_suspend(ui);
		return;
	case UI_REDRAW:
		ui->resized = 1;
		ui->redraw = 1;
		return;
	default:
		break;
	}
	if (ui->pager != NULL) {
		switch (action) {
		case UI_SELECT_DOWN:
			ui_pager_scroll(ui->pager, 1, rows - 2);
			break;
		case UI_SELECT_UP:
			ui_pager_scroll(ui->pager, -1, rows - 2);
			break;
		case UI_PAGE_DOWN:
		case UI_SELECT_LAST:
			ui_pager_scroll(ui->pager, action == UI_PAGE_DOWN ?
			    page : 1000000, rows - 2);
			break;
		case UI_PAGE_UP:
		case UI_SELECT_FIRST:
			ui_pager_scroll(ui->pager, action == UI_PAGE_UP ?
			    -page : -1000000, rows - 2);
			break;
		case UI_BACK:
			ui_pager_free(ui->pager);
			ui->pager = NULL;
			break;
		default:
			ui_set_message(ui, 0, "Escape closes the help");
			break;
		}
		ui->redraw = 1;
		return;
	}
	if (ui->sidebar_focus && ui->thread == NULL) {
		if (cols < UI_SIDEBAR_FROM)
			ui->sidebar_focus = 0;	/* folded away by a resize */
		else if (ui_sidebar_key(ui, action)) {
			ui->redraw = 1;
			return;
		}
	}
	switch (action) {
	case UI_NEXT_PANE:
		/* The panes: the sidebar (from 100 columns), the list, the
		 * open conversation (Tab goes back to its list). */
		if (ui->thread != NULL) {
			ui_close_thread(ui);
		} else if (cols >= UI_SIDEBAR_FROM) {
			size_t		 n, i;
			const struct view *views = view_all(&n);

			ui->sidebar_focus = 1;
			ui->sidebar_cursor = 0;
			for (i = 0; i < n; i++)
				if (strcmp(views[i].name, ui->view_name) == 0)
					ui->sidebar_cursor = i;
		} else
			ui_set_message(ui, 0, "the sidebar shows from %d "
			    "columns", UI_SIDEBAR_FROM);
		ui->redraw = 1;
		return;
	case UI_FETCH:
		ui_fetch(ui);
		ui->redraw = 1;
		return;
	case UI_REPLY:
	case UI_NOTE:
	case UI_REPLY_EDITOR:
		ui->sidebar_focus = 0;
		if (ui_reply_open(ui, action == UI_NOTE) == 0 &&
		    action == UI_REPLY_EDITOR)
			ui_reply_editor(ui);
		ui->redraw = 1;
		return;
	case UI_OUTBOX_RESEND:
	case UI_OUTBOX_MARK_SENT:
	case UI_OUTBOX_DISCARD:
		if (ui->thread == NULL)
			ui_set_message(ui, 0, "open the conversation first");
		else
			ui_reply_decide(ui, action == UI_OUTBOX_RESEND ?
			    STORE_OUTBOX_RESEND : action == UI_OUTBOX_MARK_SENT ?
			    STORE_OUTBOX_MARK_SENT : STORE_OUTBOX_DISCARD);
		ui->redraw = 1;
		return;
	case UI_NEXT_UNREAD:
	case UI_PREVIOUS_UNREAD:
		/* In a conversation: open the next unread one. */
		if (ui_unread_step(ui, action == UI_NEXT_UNREAD ? 1 : -1) == 0 &&
		    ui->thread != NULL) {
			ui_close_thread(ui);
			ui_open(ui);
		}
		ui->redraw = 1;
		return;
	case UI_DONE:
	case UI_TOGGLE_UNREAD:
	case UI_CYCLE_PRIORITY:
	case UI_ASSIGN_ME:
	case UI_TAKE_OVER:
	case UI_HAND_BACK:
		ui_triage_key(ui, action);
		ui->redraw = 1;
		return;
	case UI_MARK:
		ui_mark(ui);
		ui->redraw = 1;
		return;
	case UI_UNDO:
		ui_undo_last(ui);
		ui->redraw = 1;
		return;
	case UI_VIEW:
		ui_view(ui, arg);
		ui->redraw = 1;
		return;
	default:
		break;
	}
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
			ui_close_thread(ui);
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
			while (ui->more)
				ui_load_more(ui);
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
		/* Near the end of what is loaded: the next page. */
		if (ui->more && ui_list_cursor(ui->list) + (size_t)rows >=
		    ui_list_count(ui->list)) {
			ui_load_more(ui);
			ui->redraw = 1;
		}
	}
	if (action == UI_REDRAW)
		ui->resized = 1;
	if (action == UI_QUIT)
		ui->quit = 1;
	ui->redraw = 1;
}

/* snooze WHEN, label NAME, assign NAME: their words joined. */
static int
ui_with_argument(struct ui *ui, enum ui_action action, int argc, char **argv,
    char **cause)
{
	struct buf	 b;
	char		*text;
	int		 i, rc = 0;

	buf_init(&b);
	for (i = 1; i < argc; i++) {
		if (i > 1)
			buf_add_char(&b, ' ');
		buf_add_str(&b, argv[i]);
	}
	text = buf_steal(&b);
	if (action == UI_SNOOZE)
		rc = ui_snooze(ui, text, cause);
	else if (!tag_valid(text) || strchr(text, ' ') != NULL) {
		*cause = xasprintf("not a %s name (letters, digits, . _ - /)",
		    action == UI_LABEL ? "label" : "agent");
		rc = -1;
	} else if (action == UI_LABEL)
		ui_triage(ui, TRIAGE_LABEL, text, "labelled");
	else if (ui_list_selected(ui->list) != NULL)
		ui_triage(ui, TRIAGE_ASSIGN, text, "assigned");
	free(text);
	return rc;
}

/*
 * Run commands from a key or a prompt; while a macro is being recorded,
 * keep them (not the prompts that ask for them, nor the recording's own).
 */
static void
ui_run_command(struct ui *ui, const char *command)
{
	struct cmd_list	*list;
	char		*cause;
	const char	*name;
	size_t		 len;
	int		 keep = 0, i;

	if (ui->recording != NULL &&
	    (list = cmd_parse(command, &cause)) != NULL) {
		for (i = 0; i < list->n; i++) {
			if (list->argc[i] == 0)
				continue;
			name = list->argv[i][0];
			len = strlen(name);
			if (strncmp(name, "macro-", 6) == 0 || (len > 7 &&
			    strcmp(name + len - 7, "-prompt") == 0) ||
			    strcmp(name, "help") == 0 ||
			    strcmp(name, "quit") == 0 ||
			    strcmp(name, "suspend") == 0 ||
			    strcmp(name, "redraw") == 0)
				continue;
			keep = 1;
		}
		cmd_list_free(list);
		if (keep) {
			if (ui->recorded.len > 0)
				buf_add_str(&ui->recorded, "; ");
			buf_add_str(&ui->recorded, command);
		}
	}
	cmd_run_string(&ui->ctx, command);
	/* A `view` or an `agent` may have changed what the sidebar counts. */
	if (ui->counter != NULL)
		ui_counts_start(ui);
}

/* macro-record NAME, macro-stop, macro-run NAME. */
static int
ui_macro(struct ui *ui, int action, int argc, char **argv, char **cause)
{
	const char	*commands;
	char		*copy, *path, *dir;
	struct buf	 b;
	FILE		*f;
	int		 kept, fd;

	(void)argc;
	if (action == UI_MACRO_RUN) {
		commands = macro_find(argv[1]);
		copy = xstrdup(commands);
		ui->in_macro++;
		cmd_run_string(&ui->ctx, copy);
		if (--ui->in_macro == 0)
			strset_free(&ui->marked);
		free(copy);
		ui->redraw = 1;
		return 0;
	}
	if (action == UI_MACRO_RECORD) {
		if (!macro_name_valid(argv[1])) {
			*cause = xstrdup("bad name (letters, digits, - _)");
			return -1;
		}
		free(ui->recording);
		ui->recording = xstrdup(argv[1]);
		buf_free(&ui->recorded);
		buf_init(&ui->recorded);
		ui_set_message(ui, 0, "recording macro %s (macro-stop ends it)",
		    argv[1]);
		return 0;
	}
	if (ui->recording == NULL) {
		*cause = xstrdup("no macro is being recorded");
		return -1;
	}
	if (ui->recorded.len == 0) {
		ui_set_message(ui, 0, "macro %s: nothing recorded",
		    ui->recording);
		free(ui->recording);
		ui->recording = NULL;
		return 0;
	}
	macro_define(ui->recording, ui->recorded.data);
	/* Kept for next time: a line of the macros file. */
	buf_init(&b);
	buf_add_printf(&b, "macro %s ", ui->recording);
	cmd_quote_word(&b, ui->recorded.data);
	buf_add_char(&b, '\n');
	path = config_macros_path();
	kept = 0;
	if (path != NULL) {
		dir = xstrdup(path);
		*strrchr(dir, '/') = '\0';
		util_mkdir_p(dir, 0700);
		free(dir);
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		    0600);
		if (fd != -1 && (f = fdopen(fd, "a")) == NULL)
			close(fd);
		else if (fd != -1) {
			kept = fputs(b.data, f) != EOF;
			if (fclose(f) != 0)
				kept = 0;
		}
	}
	if (kept)
		ui_set_message(ui, 0, "macro %s recorded, kept in %s",
		    ui->recording, path);
	else
		ui_set_message(ui, 1, "macro %s recorded, but not kept: %s",
		    ui->recording, path != NULL ? path : "no config directory");
	free(path);
	buf_free(&b);
	free(ui->recording);
	ui->recording = NULL;
	return 0;
}

/* A console command run from a key (or, later, the prompt). */
static int
ui_host_command(void *data, int argc, char **argv, char **cause)
{
	struct ui		*ui = data;
	const struct view	*views;
	size_t			 i, n;
	char			*end;
	long			 number;

	for (i = 0; i < nitems(ui_commands); i++) {
		if (strcmp(ui_commands[i].command, argv[0]) != 0)
			continue;
		if (ui_commands[i].action == UI_MACRO_RECORD ||
		    ui_commands[i].action == UI_MACRO_STOP ||
		    ui_commands[i].action == UI_MACRO_RUN)
			return ui_macro(ui, ui_commands[i].action, argc, argv,
			    cause);
		if (ui_commands[i].action == UI_SNOOZE ||
		    ui_commands[i].action == UI_LABEL ||
		    ui_commands[i].action == UI_ASSIGN)
			return ui_with_argument(ui, ui_commands[i].action,
			    argc, argv, cause);
		if (ui_commands[i].action == UI_TEMPLATE) {
			if (ui_reply_template(ui, argv[1], cause) != 0)
				return -1;
			ui->redraw = 1;
			return 0;
		}
		if (ui_commands[i].action == UI_SEARCH) {
			char *query = xstrdup("");
			int j;

			for (j = 1; j < argc; j++) {
				char *next = xasprintf("%s%s%s", query,
				    j > 1 ? " " : "", argv[j]);
				free(query);
				query = next;
			}
			ui_search(ui, query);
			free(query);
			return 0;
		}
		if (ui_commands[i].action != UI_VIEW) {
			ui_do(ui, ui_commands[i].action, 0);
			return 0;
		}
		/* show-view N|NAME */
		views = view_all(&n);
		number = strtol(argv[1], &end, 10);
		if (*end == '\0' && number >= 1 && (size_t)number <= n) {
			ui_do(ui, UI_VIEW, (int)number - 1);
			return 0;
		}
		for (i = 0; i < n; i++) {
			if (strcasecmp(views[i].name, argv[1]) == 0) {
				ui_do(ui, UI_VIEW, (int)i);
				return 0;
			}
		}
		*cause = xasprintf("no view %s", argc > 1 ? argv[1] : "");
		return -1;
	}
	*cause = xstrdup("not a console command");
	return -1;
}

static void
ui_cmd_print(struct cmd_ctx *ctx, const char *text)
{
	ui_set_message(ctx->data, 0, "%s", text);
}

static void
ui_cmd_error(struct cmd_ctx *ctx, const char *text)
{
	ui_set_message(ctx->data, 1, "%s", text);
}

/* A key: run what it is bound to in the table of the view shown. */
static void
ui_key(const char *key, const char *text, void *data)
{
	struct ui	*ui = data;
	const char	*command;
	char		*copy, *line;

	if (ui->prompting) {
		switch (ui_prompt_key(ui->prompt, key, text, &line)) {
		case UI_PROMPT_DONE:
			free(ui->message);
			ui->message = NULL;
			ui->message_error = 0;
			ui_prompt_done(ui, ui->prompting, line);
			ui->prompting = 0;
			free(line);
			break;
		case UI_PROMPT_CANCEL:
			ui->prompting = 0;
			break;
		case UI_PROMPT_EDITING:
			break;
		}
		ui->redraw = 1;
		return;
	}
	if (ui->reply != NULL && ui->thread != NULL && ui->pager == NULL &&
	    ui_reply_key(ui, key, text))
		return;
	command = keys_lookup(ui->thread != NULL || ui->pager != NULL ?
	    "thread" : "list", key);
	if (command == NULL) {
		ui_set_message(ui, 0, "%s is not bound", key);
		return;
	}
	copy = xstrdup(command);	/* a command may rebind this key */
	ui_run_command(ui, copy);
	free(copy);
	ui->redraw = 1;
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

	if (store_refresh(ui->store) == 1) {
		ui_load(ui);
		ui_thread_reload(ui);
		/* Someone may have snoozed something that is due. */
		ui_wake_now(ui);
	}
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
	int		 rc = 0, rows, cols;

	memset(&ui, 0, sizeof ui);
	ui.opts = opts;
	ui.view_name = xstrdup(opts->view_name);
	ui.host.ui = ui_host_command;
	ui.host.tag = ui_host_tag;
	ui.host.data = &ui;
	ui.ctx.host = &ui.host;
	ui.ctx.print = ui_cmd_print;
	ui.ctx.error = ui_cmd_error;
	ui.ctx.data = &ui;
	ui.query = xstrdup(opts->query);
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
	ui.prompt = ui_prompt_new();
	ui_list_set_marked(ui.list, &ui.marked);
	ev_fd_add(ui.loop, ui_input_fd(ui.input), POLLIN, ui_input_ready, &ui);
	ev_signal_add(ui.loop, SIGWINCH, ui_signal, &ui);
	ev_signal_add(ui.loop, SIGTERM, ui_signal, &ui);
	ev_signal_add(ui.loop, SIGHUP, ui_signal, &ui);
	ev_signal_add(ui.loop, SIGINT, ui_signal, &ui);
	ev_timer_add(ui.loop, UI_WATCH_MS, ui_watch, &ui);
	ev_timer_add(ui.loop, 200, ui_watch_lock, &ui);
	ev_timer_add(ui.loop, 1000, ui_wake_check, &ui);
	/* After the first paint (and the rest of the first page, see
	 * ui_load_rest): the counts and the syncer never delay it. */
	ev_timer_add(ui.loop, 0, ui_sync_check, &ui);
	/* The first paint reads what fills the screen, then the page. */
	ui_screen_size(&rows, &cols);
	ui_load_limit(&ui, rows > 1 ? (size_t)rows - 1 : 1);
	ui_draw(&ui);
	ev_timer_add(ui.loop, 0, ui_load_rest, &ui);
	ui_reply_recover(&ui);
	ev_timer_add(ui.loop, 0, ui_reply_tick, &ui);
	while (!ui.quit) {
		if (ev_run_once(ui.loop, -1) != 0) {
			rc = 1;
			break;
		}
		if (ui.redraw && !ui.quit)
			ui_draw(&ui);
	}
	/* What is typed is on disk before anything else (SIGHUP: the ssh
	 * connection dropped; SIGTERM). */
	ui_close_thread(&ui);
	store_presence_leave(opts->store.data_dir);
	store_presences_free(ui.presence, ui.n_presence);
	free(ui.presence_conv);
	ui_input_free(ui.input);
	ui_screen_end();
	/* Drafts the disk would not take: their text on stderr, the last
	 * place left for it. */
	if (ui_reply_unsaved_report(&ui, stderr) > 0)
		rc = 1;
	ui_counts_stop(&ui);
	ui_sync_stop(&ui);
	job_detach_all(ui.loop);	/* writes still running finish alone */
	log_set_restore(NULL);
	ev_loop_free(ui.loop);
	ui_list_free(ui.list);
	ui_pager_free(ui.pager);
	ui_prompt_free(ui.prompt);
	strset_free(&ui.marked);
	ui_undo_free_all();
	free(ui.view_name);
	free(ui.query);
	free(ui.view_total);
	free(ui.view_unread);
	free(ui.recording);
	buf_free(&ui.recorded);
	free(ui.message);
	store_close(ui.store);
	return rc;
}
