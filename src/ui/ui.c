/*
 * ui.c: the console: one poll() loop watching the terminal, signals and a
 * timer on the database revision; draws once per iteration when something
 * changed.
 *
 * It reads the store read-only and re-reads it when the revision changes
 * (another console, `ombre ingest`, `notmuch tag`), keeping the cursor on
 * the same conversation. It never opens the database read-write.
 *
 * A key runs the commands bound to it. The console's own commands are
 * rows of the ui-cmd-*.c files (and ui-search.c, ui-macro.c), registered
 * with core; each returns what the screen must do (UI_REDRAW...), which
 * the loop does once per iteration.
 *
 * Each console follows DATA/feed and rings the bell (and, when asked,
 * notifies through the terminal) when a conversation needs a human
 * (ui-alert.c); the status line keeps their lane (ui-counts.c).
 *
 * The loop draws on whatever surface and reads whatever input it is
 * started with: ui_run gives it the terminal's, a test a recording grid
 * and an abstract libtermkey, and calls ui_keys instead of waiting.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui.h"
#include "ui/ui-private.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The status line's message. An error also goes to the log, so that
 * :messages lists it after the status line moved on. A message longer
 * than the status line's two rows (ui_draw wraps it on a second) opens in
 * the pager whole: its reason is never cut.
 */
void
ui_set_message(struct ui *ui, int error, const char *fmt, ...)
{
	va_list	  ap;
	char	**lines;
	size_t	  n;
	int	  rows, cols;

	free(ui->message);
	va_start(ap, fmt);
	ui->message = xvasprintf(fmt, ap);
	va_end(ap);
	ui->message_error = error;
	ui->react |= UI_REDRAW;
	if (error)
		log_warn("%s", ui->message);
	/* Room for what leads the status line (the view, its count, "Esc
	 * back") on the two rows. */
	ui_surface_size(&rows, &cols);
	if (cols > 48 && utf8_width(ui->message, strlen(ui->message)) >
	    (size_t)(2 * cols - 48)) {
		lines = ui_pager_wrap(ui->message, cols, &n);
		ui_show_lines(ui, error ? _("Error (Escape closes)") :
		    _("Message (Escape closes)"), lines, n);
		free(ui->message);
		ui->message = xstrdup(error ? _("the error above, whole") :
		    _("the message above, whole"));
	}
}

void
ui_show_lines(struct ui *ui, const char *title, char **lines, size_t n)
{
	ui_pager_free(ui->pager);
	ui->pager = ui_pager_new(title, lines, n);
	ui->react |= UI_REDRAW;
}

void
ui_job_failed(struct ui *ui, const char *lead, const char *output,
    const char *fallback)
{
	char	*line;

	/* What a child printed is outside text: never raw to the screen. */
	line = sanitize(output, strcspn(output, "\n"), SANITIZE_LINE, 200);
	if (*line == '\0' && fallback != NULL) {
		free(line);
		line = xstrdup(fallback);
	}
	if (lead == NULL)
		ui_set_message(ui, 1, "%s", line);
	else
		ui_set_message(ui, 1, "%s%s%s", lead, *line != '\0' ? ": " : "",
		    line);
	free(line);
}

int
ui_child_exit(struct store *st, enum store_status rc, char *cause)
{
	if (st != NULL && store_close(st) != STORE_OK && rc == STORE_OK) {
		free(cause);
		cause = xstrdup(_("closing the database failed"));
		rc = STORE_DB_ERROR;
	}
	if (rc != STORE_OK) {
		fprintf(stderr, "%s\n", cause != NULL ? cause :
		    store_status_str(rc));
		free(cause);
		return rc == STORE_LOCKED ? 75 : 1;
	}
	free(cause);
	fflush(stdout);
	return 0;
}

enum store_status
ui_query(struct ui *ui, long offset, long limit, struct store_conv ***out,
    size_t *n, char **cause)
{
	enum store_status	rc;

	rc = store_query_convs_sorted(ui->store, ui->query, ui->sort, offset,
	    limit, out, n, cause);
	/* A search runs inside the thread:"{...}" that sorts it by activity
	 * (ui-search.c): a bad one is named as typed, after its '/'. */
	if (rc == STORE_BAD_INPUT && ui->view_name[0] == '/') {
		free(*cause);
		*cause = xasprintf(_("bad query '%s'"), ui->view_name + 1);
	}
	return rc;
}

/*
 * An empty store says what to do in the list pane; an empty view of a
 * store with conversations says nothing more than its count.
 */
static void
ui_empty_hint(struct ui *ui)
{
	struct store_conv	**convs;
	size_t			  n;
	char			 *cause = NULL;
	int			  empty = 0;

	if (ui_list_count(ui->list) == 0 && store_query_convs(ui->store, "*",
	    0, 1, &convs, &n, &cause) == STORE_OK) {
		empty = n == 0;
		store_convs_free(convs, n);
	}
	free(cause);
	/* The page's section and the command in it (T533 checks both). */
	ui_list_set_hint(ui->list, empty ? _("No conversations yet: declare "
	    "a channel (man ombre.conf, COMMANDS: channel), or try ombre "
	    "--demo") : NULL);
}

/* Read the first page of the view again: 0, or -1 (said). */
static int
ui_load_limit(struct ui *ui, size_t want)
{
	struct store_conv	**convs;
	size_t			  n;
	char			 *cause;

	if (ui_query(ui, 0, (long)want, &convs, &n, &cause) != STORE_OK) {
		ui_set_message(ui, 1, "%s", cause);
		free(cause);
		return -1;
	}
	ui_list_set(ui->list, convs, n);
	ui->more = n == want;
	ui_empty_hint(ui);
	ui->react |= UI_REDRAW;
	return 0;
}

int
ui_load(struct ui *ui)
{
	size_t	want;

	/* As many as were loaded (the user may have scrolled far). */
	want = ui_list_count(ui->list);
	want = want < UI_PAGE ? UI_PAGE : (want + UI_PAGE - 1) / UI_PAGE * UI_PAGE;
	return ui_load_limit(ui, want);
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
	if (ui_query(ui, (long)have, (long)want, &convs, &n, &cause) !=
	    STORE_OK) {
		ui_set_message(ui, 1, "%s", cause);
		free(cause);
		ui_counts_first(ui);	/* the counts come all the same */
		return;
	}
	ui_list_append(ui->list, convs, n);
	ui->more = n == want;
	ui->react |= UI_REDRAW;
	if (ui->more && have + n < UI_PAGE)
		ev_timer_add(ui->loop, 0, ui_load_rest, ui);
	else
		ui_counts_first(ui);
}

void
ui_load_more(struct ui *ui)
{
	struct store_conv	**convs;
	size_t			  n;
	char			 *cause;

	if (!ui->more)
		return;
	if (ui_query(ui, (long)ui_list_count(ui->list), UI_PAGE, &convs, &n,
	    &cause) != STORE_OK) {
		ui_set_message(ui, 1, "%s", cause);
		free(cause);
		ui->more = 0;
		return;
	}
	ui_list_append(ui->list, convs, n);
	ui->more = n == UI_PAGE;
}

void
ui_load_near(struct ui *ui)
{
	int	rows, cols;

	ui_surface_size(&rows, &cols);
	if (ui->more && ui_list_cursor(ui->list) + (size_t)rows >=
	    ui_list_count(ui->list)) {
		ui_load_more(ui);
		ui->react |= UI_REDRAW;
	}
}

/* The status line on two rows: the row above the last takes its first
 * part, cut at a space; what is longer still opened in the pager. */
static void
ui_draw_status_wrapped(struct ui *ui, int rows, int cols, const char *crisis,
    int crisis_w, const char *status)
{
	enum ui_role	  role = ui->message_error ? UI_ROLE_ERROR :
			      UI_ROLE_STATUS;
	char		**lines, *rest;
	size_t		  n, i, len;

	lines = ui_pager_wrap(status, cols - crisis_w, &n);
	if (crisis_w > 0)
		ui_surface_text(rows - 2, 0, crisis_w, UI_ROLE_ERROR, crisis);
	ui_surface_text(rows - 2, crisis_w, cols - crisis_w, role, lines[0]);
	len = strlen(lines[0]);
	rest = xstrdup(status + len + (status[len] == ' ' ? 1 : 0));
	ui_surface_text(rows - 1, 0, cols, role, rest);
	free(rest);
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static void
ui_draw(struct ui *ui)
{
	const struct store_conv	*sel;
	char			 status[512], marked[32] = "", lane[80] = "";
	char			 sla[48] = "";
	enum ui_role		 sla_role = UI_ROLE_STATUS;
	char			*here, *why, crisis[128] = "";
	int			 rows, cols, compose, lane_w = 0, text_w, i;
	int			 crisis_w, wrap;
	int			 sla_w = 0;

	if (ui->marked.n > 0)
		snprintf(marked, sizeof marked, ngettext("  %zu marked",
		    "  %zu marked", ui->marked.n), ui->marked.n);
	if (ui->react & UI_RELAYOUT)
		ui_surface_resize();
	ui_surface_size(&rows, &cols);
	ui_surface_erase();
	/* A crisis leads every status line while it lasts. */
	if (ui_crisis_text() != NULL)
		snprintf(crisis, sizeof crisis, " %s ", ui_crisis_text());
	if (ui->pager != NULL)
		snprintf(status, sizeof status, _(" Help  Esc back%s%s"),
		    ui->message != NULL ? "  " : "",
		    ui->message != NULL ? ui->message : "");
	else if (ui->thread != NULL) {
		here = ui_presence_here(ui);
		snprintf(status, sizeof status, _(" %s > conversation  Esc back%s%s%s%s"),
		    ui->view_name, here != NULL ? "  " : "",
		    here != NULL ? here : "", ui->message != NULL ? "  " : "",
		    ui->message != NULL ? ui->message : "");
		free(here);
	}
	else {
		/* Why the conversation under the cursor waits for a human,
		 * when nothing else is said. */
		sel = ui_list_selected(ui->list);
		why = NULL;
		if (ui->message == NULL && sel != NULL &&
		    sel->handoff_reason != NULL && triage_mode(sel->tags,
		    sel->n_tags) == TRIAGE_MODE_HANDOFF)
			why = xasprintf(_("needs a human: %s"),
			    sel->handoff_reason);
		snprintf(status, sizeof status, " %s  %zu%s %s%s%s%s%s%s%s",
		    ui->view_name, ui_list_count(ui->list), ui->more ? "+" : "",
		    ngettext("conversation", "conversations", ui->more ? 2 :
		    ui_list_count(ui->list)),
		    marked, ui->waiting ? _("  waiting for database") : "",
		    ui->message != NULL || why != NULL ? "  " : "",
		    ui->message != NULL ? ui->message : why != NULL ? why : "",
		    ui_sync_text() != NULL ? "  " : "",
		    ui_sync_text() != NULL ? ui_sync_text() : "");
		free(why);
	}
	/* The lane of those who need a human, on the right of the list's
	 * status line: it stays while messages come and go, short when
	 * the message needs the room, left out when even that does not
	 * fit (the message is never cut for it). */
	crisis_w = (int)utf8_width(crisis, strlen(crisis));
	if (crisis_w > cols)
		crisis_w = cols;
	if (ui->pager == NULL && ui->thread == NULL) {
		text_w = crisis_w + (int)utf8_width(status, strlen(status));
		/* Full, then short; each with the service level nearest
		 * its target (in the waits' colours), then without. */
		for (i = 0; i < 4 && lane_w == 0; i++) {
			if (!ui_counts_lane(lane, sizeof lane - 1, util_now(),
			    i / 2))
				break;
			strcat(lane, " ");
			lane_w = (int)utf8_width(lane, strlen(lane));
			sla_w = 0;
			if (i % 2 == 0 && ui_counts_sla(sla, sizeof sla - 1,
			    util_now(), i / 2, &sla_role)) {
				strcat(sla, " ");
				sla_w = (int)utf8_width(sla, strlen(sla));
			}
			if (text_w + 2 + lane_w + sla_w > cols)
				lane_w = sla_w = 0;
		}
	}
	/* The panes above the status line, one row shorter while a long
	 * message takes two. */
	text_w = crisis_w + (int)utf8_width(status, strlen(status));
	wrap = ui->message != NULL && text_w > cols && rows > 2 && cols > 20 &&
	    !ui_cmd_prompt_is_open();
	rows -= wrap;
	if (ui->pager != NULL)
		ui_pager_draw(ui->pager, 0, rows - 1, cols);
	else if (ui->thread != NULL) {
		compose = ui_reply_rows(ui, rows - 1, cols);
		ui_thread_draw(ui->thread, 0, rows - 1 - compose, cols);
		if (compose > 0)
			ui_reply_draw(ui, rows - 1 - compose, compose, cols);
	} else if (cols >= UI_SIDEBAR_FROM) {
		ui_sidebar_draw(ui, rows - 1);
		ui_list_set_focus(ui->list, !ui->sidebar_focus);
		ui_list_draw(ui->list, 0, UI_SIDEBAR_WIDTH, rows - 1,
		    cols - UI_SIDEBAR_WIDTH, util_now());
	} else {
		ui_list_set_focus(ui->list, 1);
		ui_list_draw(ui->list, 0, 0, rows - 1, cols, util_now());
	}
	ui_picker_draw(ui);	/* C-t's, over the conversation */
	rows += wrap;
	if (wrap) {
		/* A message too long for the status line goes on over the
		 * row above it rather than lose its end (its reason). */
		ui_draw_status_wrapped(ui, rows, cols, crisis, crisis_w,
		    status);
	} else if (!ui_cmd_prompt_draw(rows - 1, cols)) {
		if (crisis_w > 0)
			ui_surface_text(rows - 1, 0, crisis_w, UI_ROLE_ERROR,
			    crisis);
		if (cols - lane_w - crisis_w > 0)
			ui_surface_text(rows - 1, crisis_w,
			    cols - lane_w - crisis_w, ui->message_error ?
			    UI_ROLE_ERROR : UI_ROLE_STATUS, status);
		if (lane_w > 0)
			ui_surface_text(rows - 1, cols - lane_w - sla_w,
			    lane_w, UI_ROLE_STATUS, lane);
		if (sla_w > 0)
			ui_surface_text(rows - 1, cols - sla_w, sla_w,
			    sla_role, sla);
	}
	ui_surface_flush();
	ui->react &= ~(UI_REDRAW | UI_RELAYOUT);
}

void
ui_open(struct ui *ui)
{
	ui_open_conv(ui, ui_list_selected(ui->list));
}

void
ui_open_conv(struct ui *ui, const struct store_conv *c)
{
	struct msg		**msgs;
	struct risk		  risk;
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
	/* The public risk's parts under the title: why this one is urgent. */
	store_conv_risk(c, util_now(), &risk);
	if (*risk.why != '\0') {
		free(title);
		title = xasprintf(_("risk %d: %s"), risk.score, risk.shown);
		ui_thread_set_risk(ui->thread, title);
	}
	risk_free(&risk);
	ui->thread_id = xstrdup(c->thread_id);
	ui->thread_key = msgid_thread(c->channel, c->account, c->conv_id);
	ui->thread_who = xstrdup(c->customer_name != NULL ?
	    c->customer_name : c->title != NULL ? c->title : "");
	free(title);
	ui_contact_header(ui);
	ui_surface_size(&rows, &cols);
	ui_thread_scroll_end(ui->thread, rows - 2, cols);
	/* What the agent sees is read, as in every mail client: the unread
	 * messages of the list's row, so one that came since stays unread. */
	if (options_get_flag("thread.mark-read") && c->unread_ids != NULL &&
	    c->unread_ids[0] != NULL)
		ui_mark_read_shown(ui, c->unread_ids);
}

void
ui_close_thread(struct ui *ui)
{
	ui_reply_close(ui);
	ui_thread_free(ui->thread);
	ui->thread = NULL;
	free(ui->thread_id);
	free(ui->thread_key);
	free(ui->thread_who);
	ui->thread_id = ui->thread_key = ui->thread_who = NULL;
}

/* The open conversation read again, at its end if it was there. */
int
ui_thread_reload(struct ui *ui)
{
	struct msg	**msgs;
	size_t		  n;
	char		 *cause, *title, *risk;
	int		  rows, cols, at_end, quotes;

	if (ui->thread == NULL || ui->thread_id == NULL)
		return 0;
	if (store_thread_messages(ui->store, ui->thread_id, &msgs, &n,
	    &cause) != STORE_OK) {
		free(cause);
		return -1;
	}
	ui_reply_refresh(ui, msgs, n);	/* before the thread takes them */
	ui_surface_size(&rows, &cols);
	at_end = ui_thread_at_end(ui->thread, rows - 2);
	title = xstrdup(ui_thread_title(ui->thread));
	risk = ui_thread_risk(ui->thread) != NULL ?
	    xstrdup(ui_thread_risk(ui->thread)) : NULL;
	quotes = ui_thread_quotes_open(ui->thread);
	ui_thread_free(ui->thread);
	ui->thread = ui_thread_new(msgs, n, title);
	ui_thread_set_quotes(ui->thread, quotes);
	ui_thread_set_risk(ui->thread, risk);
	free(risk);
	free(title);
	ui_contact_header(ui);
	if (at_end)
		ui_thread_scroll_end(ui->thread, rows - 2, cols);
	ui->react |= UI_REDRAW;
	return 0;
}

void
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
	ui->sort = views[index].sort;
	strset_free(&ui->marked);
	ui_list_set(ui->list, NULL, 0);
	ui_load(ui);
	ui_list_move_to(ui->list, 0);
}

/* A `view` or an `agent` may change what the sidebar counts: the
 * counts start again after every command. */
void
ui_run_command(struct ui *ui, const char *command)
{
	ui_macro_record(command);
	cmd_run_string(&ui->ctx, command);
	ui_counts_again(ui);
}

/* What a console command returned: done by the loop. */
static void
ui_react(void *data, int reaction)
{
	struct ui	*ui = data;

	ui->react |= reaction;
}

static void
ui_cmd_print(struct cmd_ctx *ctx, const char *text)
{
	struct ui	*ui = ctx->data;

	if (ui->collecting) {
		ui->out = xreallocarray(ui->out, ui->n_out + 1,
		    sizeof *ui->out);
		ui->out[ui->n_out++] = xstrdup(text);
		return;
	}
	ui_set_message(ui, 0, "%s", text);
}

void
ui_run_command_shown(struct ui *ui, const char *command)
{
	char	*title;
	size_t	 i;

	ui->collecting = 1;
	ui_run_command(ui, command);
	ui->collecting = 0;
	if (ui->n_out == 1)
		ui_set_message(ui, 0, "%s", ui->out[0]);
	else if (ui->n_out > 1) {
		title = xasprintf(_(":%s  (%zu lines; / searches, Escape "
		    "closes)"), command, ui->n_out);
		ui_show_lines(ui, title, ui->out, ui->n_out);
		free(title);
		ui->out = NULL;
		ui->n_out = 0;
	}
	for (i = 0; i < ui->n_out; i++)
		free(ui->out[i]);
	free(ui->out);
	ui->out = NULL;
	ui->n_out = 0;
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
	char		*copy;

	if (ui_picker_key(ui, key, text))
		return;
	if (ui_cmd_prompt_key(ui, key, text))
		return;
	if (ui_cmd_screen_pager_key(ui, key))
		return;
	if (ui->thread != NULL && ui->pager == NULL &&
	    ui_reply_key(ui, key, text))
		return;
	command = keys_lookup(ui->thread != NULL || ui->pager != NULL ?
	    "thread" : "list", key);
	if (command == NULL) {
		ui_set_message(ui, 0, _("%s is not bound"), key);
		return;
	}
	copy = xstrdup(command);	/* a command may rebind this key */
	ui_run_command(ui, copy);
	free(copy);
	/* Core's commands (set theme, view, tag) say nothing of the screen
	 * but may change what it shows. */
	ui->react |= UI_REDRAW;
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
		ui->react |= UI_QUIT;	/* the terminal went away (ssh dropped) */
		return;
	}
	ev_timer_del(ui->escape_timer);
	ui->escape_timer = NULL;
	wait = ui_input_read(ui->input, ui_key, ui);
	if (wait >= 0)
		ui->escape_timer = ev_timer_add(ui->loop, wait, ui_escape_due,
		    ui);
}

/*
 * The revision compared is the console's own, not the one store_refresh
 * keeps: store_refresh answers "moved since my last call" to whoever calls
 * it, and the end of each write job called it and read the list again,
 * but not the open conversation. When another process had committed just
 * before such a job ended (a mark-read child slowed down by a loaded
 * machine), the change was taken and the thread, its header included,
 * stayed as it was until the next change: t-ui failed now and then with
 * the header missing "[thread: ...]" or a reply missing "[read 14:05]".
 * Now every caller comes here, and the revision counts as shown only once
 * what shows it was read: a read that fails is tried at the next watch.
 */
int
ui_refresh(struct ui *ui)
{
	uint64_t	revision;

	if (store_refresh(ui->store) == -1)
		return -1;
	revision = store_revision(ui->store);
	if (revision == ui->revision)
		return 0;
	if (ui_load(ui) == 0 && ui_thread_reload(ui) == 0)
		ui->revision = revision;
	/* Someone may have snoozed something that is due. */
	ui_wake_now(ui);
	return 0;
}

/* Read the database again if its revision moved, then ring for what
 * the feed's lines collected so far ask. */
static void
ui_watch_now(struct ui *ui)
{
	int	rc = ui_refresh(ui);

	/* One failure happens when a writer commits at that instant; a
	 * few in a row mean the screen shows an old state: say so. */
	if (rc == -1 && ++ui->refresh_failed == 4)
		ui_set_message(ui, 1, _("the database cannot be read again: the "
		    "screen may be out of date (retrying)"));
	if (rc != -1)
		ui->refresh_failed = 0;
	ui_alert_ring(ui);
}

static void
ui_watch(void *data)
{
	struct ui	*ui = data;

	/* The feed's lines first: what they name is committed, so the
	 * database read next has it. */
	ui_alert_collect(ui);
	ui_watch_now(ui);
	ev_timer_add(ui->loop, UI_WATCH_MS, ui_watch, ui);
}

/*
 * DATA/feed, read more often than the revision is compared: a line
 * asking for a human rings the bell (and shows its conversation) within
 * UI_FEED_MS rather than UI_WATCH_MS. Reading it costs a read and a stat.
 */
static void
ui_watch_feed(void *data)
{
	struct ui	*ui = data;

	if (ui_alert_collect(ui) > 0)
		ui_watch_now(ui);
	/* A crisis going on or off shows as soon as a handoff would. */
	ui_crisis_check(ui);
	ev_timer_add(ui->loop, UI_FEED_MS, ui_watch_feed, ui);
}

static void
ui_signal(int signo, void *data)
{
	struct ui	*ui = data;

	if (signo == SIGWINCH)
		ui->react |= UI_RELAYOUT | UI_REDRAW;
	else
		ui->react |= UI_QUIT;	/* SIGTERM, SIGHUP, SIGINT */
}

void
ui_commands_register(void)
{
	cmd_register(ui_cmd_move_entries);
	cmd_register(ui_cmd_triage_entries);
	cmd_register(ui_cmd_reply_entries);
	cmd_register(ui_cmd_prompt_entries);
	cmd_register(ui_cmd_screen_entries);
	cmd_register(ui_search_entries);
	cmd_register(ui_macro_entries);
	cmd_register(ui_report_entries);
	cmd_register(ui_shift_entries);
	cmd_register(ui_contact_entries);
}

/*
 * bot-scenario at the prompt, from a key or a macro: the data dir's, which
 * the syncer's indexer answers with. A small file written whole, no
 * database lock: the screen does not wait.
 */
static int
ui_host_scenario(void *data, const char *name, char **in_force, char **cause)
{
	struct ui	*ui = data;
	const char	*dir = ui->opts->store.data_dir;

	*in_force = NULL;
	if (name != NULL &&
	    store_bot_scenario_write(dir, name, cause) != STORE_OK)
		return -1;
	*in_force = store_bot_scenario_read(dir);
	return 0;
}

static int	ui_started;	/* a console started in this process */

/*
 * Start a console on a store opened read-only, a surface (set as the one
 * drawn on) and an input, all taken over until ui_finish: read and draw
 * the first screen and arm the loop's timers.
 */
struct ui *
ui_start(const struct ui_options *opts, struct store *store,
    const struct ui_surface *surface, struct ui_input *input)
{
	struct ui		*ui;
	const struct view	*v;
	size_t			 errors;
	int			 rows, cols;

	ui = xcalloc(1, sizeof *ui);
	ui->opts = opts;
	ui->view_name = xstrdup(opts->view_name);
	v = view_find(opts->view_name);
	ui->sort = v != NULL ? v->sort : VIEW_SORT_NEWEST;
	ui->host.tag = ui_host_tag;
	ui->host.react = ui_react;
	ui->host.macro_end = ui_macro_end;
	ui->host.scenario = ui_host_scenario;
	ui->host.crisis = ui_host_crisis;
	ui->host.data = ui;
	ui->ctx.host = &ui->host;
	ui->ctx.print = ui_cmd_print;
	ui->ctx.error = ui_cmd_error;
	ui->ctx.data = ui;
	ui->query = xstrdup(opts->query);
	ui->store = store;
	ui_surface_set(surface);
	ui->input = input;
	ui->loop = ev_loop_new();
	ui->list = ui_list_new();
	ui_list_set_marked(ui->list, &ui->marked);
	/* An abstract input (tests) has its keys given by ui_keys. */
	if (ui_input_fd(input) != -1)
		ev_fd_add(ui->loop, ui_input_fd(input), POLLIN,
		    ui_input_ready, ui);
	ev_signal_add(ui->loop, SIGWINCH, ui_signal, ui);
	ev_signal_add(ui->loop, SIGTERM, ui_signal, ui);
	ev_signal_add(ui->loop, SIGHUP, ui_signal, ui);
	ev_signal_add(ui->loop, SIGINT, ui_signal, ui);
	ui_alert_start(ui);
	ev_timer_add(ui->loop, UI_WATCH_MS, ui_watch, ui);
	ev_timer_add(ui->loop, UI_FEED_MS, ui_watch_feed, ui);
	ev_timer_add(ui->loop, 200, ui_watch_lock, ui);
	ev_timer_add(ui->loop, 1000, ui_wake_check, ui);
	/* After the first paint (and the rest of the first page, see
	 * ui_load_rest): the counts and the syncer never delay it. */
	ev_timer_add(ui->loop, 0, ui_sync_check, ui);
	/* The first paint reads what fills the screen, then the page. */
	ui_crisis_check(ui);
	ui_surface_size(&rows, &cols);
	/* Read before the first page: a change meanwhile is shown again. */
	ui->revision = store_revision(store);
	ui_load_limit(ui, rows > 1 ? (size_t)rows - 1 : 1);
	/* What went wrong before the screen: the config file's errors went
	 * to the log, which :messages lists. Those of the process's first
	 * console only: later ones (tests) would count its own errors. */
	if (!ui_started && ui->message == NULL &&
	    (errors = log_ring_total(LOG_WARN)) > 0) {
		ui->message = xasprintf(ngettext("%zu error in config: see "
		    ":messages", "%zu errors in config: see :messages", errors),
		    errors);
		ui->message_error = 1;
	}
	ui_started = 1;
	ui_draw(ui);
	ev_timer_add(ui->loop, 0, ui_load_rest, ui);
	ui_reply_recover(ui);
	ev_timer_add(ui->loop, 0, ui_reply_tick, ui);
	return ui;
}

/*
 * One iteration of the loop: wait at most timeout milliseconds (-1: no
 * limit) for something to do, do it, and draw when it changed the screen.
 * Return 1 when the console is to quit, -1 when the loop failed.
 */
int
ui_step(struct ui *ui, int timeout)
{
	if (ev_run_once(ui->loop, timeout) != 0)
		return -1;
	if ((ui->react & (UI_REDRAW | UI_QUIT)) == UI_REDRAW)
		ui_draw(ui);
	return (ui->react & UI_QUIT) != 0;
}

/*
 * Bytes as the terminal sends them, given to an abstract input (tests):
 * run the keys they make, a lone Escape included, and draw as the loop
 * does. Return 1 when the console is to quit.
 */
int
ui_keys(struct ui *ui, const char *bytes)
{
	ui_input_push(ui->input, bytes, strlen(bytes));
	if (ui_input_read(ui->input, ui_key, ui) >= 0)
		ui_input_flush(ui->input, ui_key, ui);
	if ((ui->react & (UI_REDRAW | UI_QUIT)) == UI_REDRAW)
		ui_draw(ui);
	return (ui->react & UI_QUIT) != 0;
}

/*
 * Close the console started by ui_start: save what is typed, end the
 * surface, free the input and everything else. Return the exit status.
 */
int
ui_finish(struct ui *ui)
{
	int	rc = 0;

	/* What is typed is on disk before anything else (SIGHUP: the ssh
	 * connection dropped; SIGTERM). */
	ui_close_thread(ui);
	ui_presence_leave(ui);
	ui_input_free(ui->input);
	ui_surface_end();
	/* Drafts the disk would not take: their text on stderr, the last
	 * place left for it. */
	if (ui_reply_unsaved_report(ui, stderr) > 0)
		rc = 1;
	ui_counts_stop();
	ui_crisis_stop();
	ui_alert_stop(ui);
	ui_sync_stop(ui);
	job_detach_all(ui->loop);	/* writes still running finish alone */
	ev_loop_free(ui->loop);
	ui_list_free(ui->list);
	ui_pager_free(ui->pager);
	ui_cmd_prompt_free();
	strset_free(&ui->marked);
	ui_undo_free_all();
	free(ui->view_name);
	free(ui->query);
	ui_macro_free();
	free(ui->message);
	store_close(ui->store);
	ui_surface_set(NULL);
	free(ui);
	return rc;
}

int
ui_run(const struct ui_options *opts)
{
	const struct ui_surface	*screen;
	struct ui_input		*input;
	struct store		*store;
	struct ui		*ui;
	char			*cause;
	int			 rc, step;

	if (store_open(&opts->store, STORE_READ_ONLY, &store, &cause) !=
	    STORE_OK) {
		log_warn("%s", cause);
		free(cause);
		return 1;
	}
	if ((screen = ui_screen_init()) == NULL) {
		log_warn(_("the console needs a terminal (try `ombre list`)"));
		store_close(store);
		return 1;
	}
	log_set_restore(ui_screen_end);
	/* The terminal is ncurses' now: lines go to :messages only. */
	log_set_quiet(1);
	if ((input = ui_input_new(STDIN_FILENO)) == NULL) {
		log_set_quiet(0);
		ui_screen_end();
		log_warn(_("cannot read keys from this terminal"));
		store_close(store);
		return 1;
	}
	ui = ui_start(opts, store, screen, input);
	while ((step = ui_step(ui, -1)) == 0)
		;
	rc = ui_finish(ui);
	log_set_quiet(0);
	log_set_restore(NULL);
	return step == -1 ? 1 : rc;
}

int
ui_writes_pending(const struct ui *ui)
{
	return ui->jobs;
}
