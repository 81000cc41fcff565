/*
 * t-ui.c: the link test of src/ui. It is linked with libui and the layers
 * under it only (sync's client side, chan, store, demo, core, base; no
 * libcurl), so a call from the console to a layer above it fails here at
 * link time. It also checks what the console adds to the command
 * language without a terminal: its rows are known to list-commands and
 * to bindings, and refused where no console runs.
 *
 * Then the console itself, with no terminal and no tmux: on a store of
 * three conversations, drawn on a recording surface, keys pushed as bytes
 * through an abstract libtermkey. Each key is run and drawn before
 * ui_keys returns, so nothing sleeps: the list, moving in it, a thread,
 * the composer, the prompt and the dispatch of keys are read back from
 * the grid. The loop itself runs (ui_step) only to follow a write by
 * another process, bounded by a ceiling.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define T_ROWS	24
#define T_COLS	80

static struct buf		 t_out, t_err;
static struct ui_screen_record	*t_screen;
static int			 t_rows = T_ROWS;
static char			 t_dir[] = "/tmp/t-ui.XXXXXX";
static char			 t_dir2[] = "/tmp/t-ui-alerts.XXXXXX";
static char			 t_dir3[] = "/tmp/t-ui-loop.XXXXXX";
static char			*t_data = t_dir;	/* the store t_store_open opens */

/* Every row of the last frame, for the log of a failed check. */
static void
t_screen_dump(void)
{
	int	r;

	for (r = 0; r < t_rows; r++)
		diag("%2d|%s", r, ui_screen_record_line(t_screen, r));
}

/* Is text on row r of the last frame? Dumps the frame when not. */
static int
t_row_has(int r, const char *text)
{
	if (strstr(ui_screen_record_line(t_screen, r), text) != NULL)
		return 1;
	t_screen_dump();
	return 0;
}

/* Is text on the status line, which a long message wraps over the row
 * above it? Dumps the frame when not. */
static int
t_status_has(const char *text)
{
	char	*above, *both;
	int	 found;

	/* Each line is valid until the next call: the first one copied. */
	above = xstrdup(ui_screen_record_line(t_screen, t_rows - 2));
	both = xasprintf("%s %s", above, ui_screen_record_line(t_screen,
	    t_rows - 1));
	free(above);
	found = strstr(both, text) != NULL;
	free(both);
	if (!found)
		t_screen_dump();
	return found;
}

/* The first row holding text, or -1. */
static int
t_row_of(const char *text)
{
	int	r;

	for (r = 0; r < t_rows; r++) {
		if (strstr(ui_screen_record_line(t_screen, r), text) != NULL)
			return r;
	}
	return -1;
}

/* Is there an escape character anywhere in the last frame? */
static int
t_screen_has_escape(void)
{
	int	r;

	for (r = 0; r < t_rows; r++) {
		if (strchr(ui_screen_record_line(t_screen, r), '\033') != NULL)
			return 1;
	}
	return 0;
}

/* Store a customer's message in conversation conv, with tag operations
 * (+ombre/handoff) or none. */
static void
t_ingest_tagged(struct store *st, const char *conv, const char *name,
    int64_t date, const char *text, const char *op)
{
	struct msg	*m = msg_new();
	char		*cause = NULL;

	m->channel = xstrdup("telegram");
	m->account = xstrdup("7012345678");
	m->conv_id = xstrdup(conv);
	m->conv_title = xstrdup(name);
	m->id = xasprintf("%s-1", conv);
	m->date = date;
	m->from_id = xstrdup(conv);
	m->from_name = xstrdup(name);
	m->kind = MSG_CUSTOMER;
	m->text = xstrdup(text);
	m->text_len = strlen(text);
	if (op != NULL)
		msg_add_tag(m, op);
	if (store_ingest(st, m, &cause) != STORE_OK)
		diag("store_ingest: %s", cause);
	free(cause);
	msg_free(m);
}

static void
t_ingest(struct store *st, const char *conv, const char *name, int64_t date,
    const char *text)
{
	t_ingest_tagged(st, conv, name, date, text, NULL);
}

/* The store of the data dir, read-write, or NULL. */
static struct store *
t_store_open(void)
{
	struct store_options	 opts;
	struct store		*st;
	char			*cause = NULL;

	memset(&opts, 0, sizeof opts);
	opts.data_dir = t_data;
	opts.lock_timeout = 10;
	opts.batch_messages = 100;
	opts.batch_ms = 10000;
	if (store_open(&opts, STORE_READ_WRITE, &st, &cause) != STORE_OK) {
		diag("store_open: %s", cause);
		free(cause);
		return NULL;
	}
	return st;
}

/* Write what was ingested and close. */
static int
t_store_close(struct store *st)
{
	char	*cause = NULL;

	if (store_flush(st, &cause) != STORE_OK) {
		diag("store_flush: %s", cause);
		free(cause);
	}
	return store_close(st) == STORE_OK ? 0 : -1;
}

/* A data dir with three conversations, Chloé's the newest. */
static int
t_store_make(void)
{
	struct store	*st;
	int64_t		 now = util_now();

	if ((st = t_store_open()) == NULL)
		return -1;
	t_ingest(st, "101", "Alice \033]0;pwned\007Durand", now - 3600,
	    "my parcel is late");
	t_ingest(st, "102", "Bruno Keller", now - 1800, "wrong size shipped");
	t_ingest(st, "103", "Chloé Martin", now - 60, "where is my refund?");
	return t_store_close(st);
}

/* The row the list's cursor is on, or -1. */
static int
t_cursor_row(void)
{
	int	r;

	for (r = 0; r < t_rows; r++) {
		if (ui_screen_record_role(t_screen, r, 0) == UI_ROLE_LIST_CURSOR)
			return r;
	}
	return -1;
}

/*
 * Run the console's loop until a row shows text, in turns of at most
 * 100 ms and for 10 s at most by the clock: no fixed sleep. (Counting
 * turns instead let a loop woken at once by a busy fd give up in a few
 * milliseconds, before the revision check ever ran: a flake in CI.)
 */
static int
t_step_until(struct ui *ui, const char *text)
{
	int64_t	start = util_clock_ms();
	int	turns = 0, rc = 0;

	while (util_clock_ms() - start < 10000) {
		if (t_row_of(text) != -1)
			return 1;
		turns++;
		if ((rc = ui_step(ui, 100)) != 0)
			break;
	}
	if (t_row_of(text) != -1)
		return 1;
	diag("\"%s\" not shown after %d turns in %lld ms (ui_step %d)",
	    text, turns, (long long)(util_clock_ms() - start), rc);
	t_screen_dump();
	return 0;
}

static struct cmd_ctx	t_ctx;

/* Is the outbox empty (failed replies included)? */
static int
outbox_empty(struct store *st)
{
	struct store_outgoing	**out = NULL;
	size_t			  n = 0;
	char			 *cause = NULL;
	int			  empty;

	empty = store_outbox_list(st, 1, &out, &n, &cause) == STORE_OK &&
	    n == 0;
	while (n > 0)
		store_outgoing_free(out[--n]);
	free(out);
	free(cause);
	return empty;
}

/*
 * The one reply of the outbox sent as remote, then read by the customer
 * at 14:05 local time of its day (store_outbox_status).
 */
static void
t_reply_read(struct store *st, const char *remote)
{
	struct store_outgoing	**out = NULL;
	struct tm		  tm;
	time_t			  t;
	size_t			  n = 0;
	char			 *cause = NULL;

	if (store_outbox_list(st, 0, &out, &n, &cause) != STORE_OK || n != 1) {
		diag("the outbox holds %zu replies", n);
		goto out;
	}
	t = (time_t)out[0]->date;
	localtime_r(&t, &tm);
	tm.tm_hour = 14;
	tm.tm_min = 5;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (store_outbox_set(st, out[0]->msgid, "sent", remote, NULL,
	    &cause) != STORE_OK || store_outbox_status(st, out[0]->channel,
	    out[0]->account, remote, "read", (int64_t)t, NULL, &cause) !=
	    STORE_OK)
		diag("%s", cause);
out:
	while (n > 0)
		store_outgoing_free(out[--n]);
	free(out);
	free(cause);
}

static int	t_thread_event(const char *, const char *, const char *);

/* The console on the store, its list, a thread, the composer, keys. */
static void
t_console(void)
{
	struct ui_options	 opts;
	struct ui_input		*in;
	struct store		*st;
	struct ui		*ui;
	const char		*bar;
	char			*cause = NULL;
	int			 row, quit;

	if (mkdtemp(t_dir) == NULL || t_store_make() != 0) {
		ok(0, "a store of three conversations is made");
		return;
	}
	memset(&opts, 0, sizeof opts);
	opts.store.data_dir = t_dir;
	/* Opening a conversation marks it read in a child while the
	 * composer's child may send: writers wait for each other. */
	opts.store.lock_timeout = 10;
	opts.view_name = "Inbox";
	opts.query = "tag:inbox";
	if (store_open(&opts.store, STORE_READ_ONLY, &st, &cause) !=
	    STORE_OK) {
		diag("store_open: %s", cause);
		free(cause);
		ok(0, "the store opens read-only");
		return;
	}
	t_screen = ui_screen_record_new(T_ROWS, T_COLS);
	in = ui_input_new_abstract("xterm");
	ok(in != NULL && ui_input_fd(in) == -1,
	    "an abstract input has no file descriptor");
	ui = ui_start(&opts, st, ui_screen_record_surface(t_screen), in);

	/* The first screen: newest first, the cursor on the first row. */
	ok(ui_screen_record_frames(t_screen) == 1,
	    "the first screen is drawn once, before the loop runs");
	ok(t_row_has(0, "Chloé Martin") && t_row_has(1, "Bruno Keller") &&
	    t_row_has(2, "Alice ^[]0;pwne"),
	    "the list shows the conversations, newest first");
	ok(!t_screen_has_escape(),
	    "a name's escape sequence reaches the surface as placeholders");
	ok(t_row_has(T_ROWS - 1, " Inbox  3 conversations"),
	    "the status line names the view and counts its conversations");
	ok(ui_screen_record_role(t_screen, 0, 0) == UI_ROLE_LIST_CURSOR &&
	    ui_screen_record_role(t_screen, 1, 0) != UI_ROLE_LIST_CURSOR,
	    "the cursor is on the first row");

	/* Moving. */
	ui_keys(ui, "j");
	ok(ui_screen_record_role(t_screen, 1, 0) == UI_ROLE_LIST_CURSOR &&
	    ui_screen_record_role(t_screen, 0, 0) != UI_ROLE_LIST_CURSOR,
	    "j moves the cursor down a row");
	ui_keys(ui, "jjj");
	ok(ui_screen_record_role(t_screen, 2, 0) == UI_ROLE_LIST_CURSOR,
	    "the cursor stops on the last conversation");
	ui_keys(ui, "k");
	ok(ui_screen_record_role(t_screen, 1, 0) == UI_ROLE_LIST_CURSOR,
	    "k moves it up");

	/* Keys the view does not bind, and a command from the prompt. */
	ui_keys(ui, "Z");
	ok(t_row_has(T_ROWS - 1, "Z is not bound"),
	    "a key bound to nothing says so on the status line");
	ui_keys(ui, ":select-up");
	ok(t_row_has(T_ROWS - 1, ":select-up"),
	    "':' opens the prompt, which shows what is typed");
	ui_keys(ui, "\r");
	ok(ui_screen_record_role(t_screen, 0, 0) == UI_ROLE_LIST_CURSOR &&
	    t_row_of(":select-up") == -1,
	    "Enter runs the prompt's command: the cursor is back on top");
	ui_keys(ui, ":bind -T list Z select-last\rZ");
	ok(ui_screen_record_role(t_screen, 2, 0) == UI_ROLE_LIST_CURSOR,
	    "a key bound at the prompt runs its command at once");
	/* From the prompt: x was bound to select-down above. */
	ui_keys(ui, ":mark\r");
	ok(t_row_has(T_ROWS - 1, "3 conversations  1 marked"),
	    "mark marks the conversation, the status line counts it");
	ui_keys(ui, ":mark\rg");
	ok(t_row_of("marked") == -1 &&
	    ui_screen_record_role(t_screen, 0, 0) == UI_ROLE_LIST_CURSOR,
	    "mark again unmarks it, g goes to the first row");
	/* The space bar, bound to mark in the list (keys.c: Space). */
	ui_keys(ui, " ");
	ok(t_row_has(T_ROWS - 1, "3 conversations  1 marked") &&
	    ui_screen_record_role(t_screen, 1, 0) == UI_ROLE_LIST_CURSOR,
	    "the space bar marks the conversation and goes to the next");
	ui_keys(ui, "k g");
	ok(t_row_of("marked") == -1 &&
	    ui_screen_record_role(t_screen, 0, 0) == UI_ROLE_LIST_CURSOR,
	    "on it again, the space bar unmarks it");
	ui_keys(ui, ":no-such-command\r");
	ok(t_row_has(T_ROWS - 1, "no-such-command") &&
	    ui_screen_record_role(t_screen, T_ROWS - 1, 0) == UI_ROLE_ERROR,
	    "an unknown command is an error on the status line");

	/* The help screen, over the list. */
	ui_keys(ui, "?");
	ok(t_row_has(0, "Keys") && t_row_of("select-down") > 0 &&
	    t_row_has(T_ROWS - 1, " Help  Esc back"),
	    "? shows the help screen: the keys and their commands");
	ui_keys(ui, "\x1b");
	ok(t_row_has(0, "Chloé Martin") &&
	    ui_screen_record_role(t_screen, 0, 0) == UI_ROLE_LIST_CURSOR,
	    "Escape closes it, back on the list");

	/* A wider terminal: the sidebar from 100 columns. */
	ui_screen_record_set_size(t_screen, 30, 120);
	t_rows = 30;
	ui_keys(ui, "\x0c");
	bar = strchr(ui_screen_record_line(t_screen, 0), '|');
	ok(bar != NULL && strstr(bar, "Chloé Martin") != NULL &&
	    t_row_has(29, " Inbox  3 conversations"),
	    "C-l after a resize lays out again: 30 rows, the sidebar left of "
	    "the list");
	/* Nothing has run the loop yet: the counter child has not answered,
	 * and the sidebar says so instead of a count or an ellipsis. */
	ok(strstr(ui_screen_record_line(t_screen, 0), "counting\u2026 |") !=
	    NULL, "the sidebar says counting\u2026 until the first count");
	t_step_until(ui, "/3 |");
	ok(t_row_has(0, "Inbox") && t_row_has(0, "3/3 |"),
	    "then the child's first answer: unread/total");
	/* The pane with the keys has the cursor; the other's is drawn in a
	 * role of its own. */
	ok(ui_screen_record_role(t_screen, 0, 24) == UI_ROLE_LIST_CURSOR &&
	    ui_screen_record_role(t_screen, 0, 0) ==
	    UI_ROLE_LIST_CURSOR_UNFOCUSED,
	    "the list has the keys: the sidebar's view is unfocused");
	ui_keys(ui, "\t");
	ok(ui_screen_record_role(t_screen, 0, 0) == UI_ROLE_LIST_CURSOR &&
	    ui_screen_record_role(t_screen, 0, 24) ==
	    UI_ROLE_LIST_CURSOR_UNFOCUSED,
	    "Tab gives the sidebar the keys: the list's cursor is unfocused");
	ui_keys(ui, "\x1b");
	ui_keys(ui, "j");
	ok(ui_screen_record_role(t_screen, 1, 24) == UI_ROLE_LIST_CURSOR &&
	    ui_screen_record_role(t_screen, 0, 0) ==
	    UI_ROLE_LIST_CURSOR_UNFOCUSED,
	    "Escape gives the keys back to the list: j moves its cursor");
	ui_keys(ui, "k");
	ui_screen_record_set_size(t_screen, T_ROWS, T_COLS);
	t_rows = T_ROWS;
	ui_keys(ui, "\x0c");
	ok(t_row_has(T_ROWS - 1, " Inbox  3 conversations") &&
	    ui_screen_record_role(t_screen, 0, 0) == UI_ROLE_LIST_CURSOR,
	    "and back to 80x24 without it");

	/* A thread. */
	ui_keys(ui, "j\r");
	ok(t_row_has(0, "Bruno Keller") &&
	    ui_screen_record_role(t_screen, 0, 0) == UI_ROLE_THREAD_TITLE,
	    "Enter opens the conversation under the cursor, its title on top");
	ok(t_row_of("wrong size shipped") > 0,
	    "the thread shows the customer's message");
	ok(t_row_has(T_ROWS - 1, "Inbox > conversation  Esc back"),
	    "the status line says where the console is");

	/* The composer: typed text is drawn, Escape keeps it as a draft. */
	ui_keys(ui, "r");
	ui_keys(ui, "Hello Brunx\x7fo");
	row = t_row_of("Hello Bruno");
	ok(row > 0 && row < T_ROWS - 1,
	    "r opens the composer, which shows what is typed (Backspace "
	    "included)");
	if (row <= 0)
		t_screen_dump();
	ui_keys(ui, "\x1b");
	ok(t_row_of("Hello Bruno") == -1 && t_row_has(0, "Bruno Keller"),
	    "Escape closes the composer, the thread stays");
	ui_keys(ui, "r");
	ok(t_row_of("Hello Bruno") > 0,
	    "opening it again brings the draft back");

	/* No channel declared sends on Bruno's Telegram bot: refused at
	 * once, the composer kept open with the text. */
	ui_keys(ui, "\x13");
	ok(t_status_has("not sent: no channel sends on telegram "
	    "account") && t_status_has("declare one with `channel`") &&
	    ui_screen_record_role(t_screen, T_ROWS - 1, 0) == UI_ROLE_ERROR &&
	    t_row_of("Hello Bruno") > 0,
	    "C-s with no channel to send it: refused on the status line, "
	    "the text kept");
	if ((st = t_store_open()) != NULL) {
		ok(outbox_empty(st), "nothing is stored");
		t_store_close(st);
	}
	ok(t_row_of("NO CHANNEL SENDS IT") >= 0,
	    "the composer's header says no channel sends it");
	ok(cmd_run_string(&t_ctx, "channel tg telegram account=7012345678") ==
	    CMD_NORMAL, "a Telegram channel declared for the bot");
	ui_keys(ui, "!");
	ui_keys(ui, "\x7f");
	ok(t_row_of("  via tg  C-s send") >= 0,
	    "then names the channel that sends it (no syncer: no state)");

	/* Sending: a child queues the reply in the outbox; the loop reads
	 * the thread again when the database changed. */
	ui_keys(ui, "\x13");
	ok(t_step_until(ui, "[queued]") && t_row_of("Hello Bruno") > 0 &&
	    t_row_of("C-s send") == -1,
	    "C-s sends: the composer closes, the reply shows queued");
	/* What the channel says later shows on the reply's line. */
	if ((st = t_store_open()) != NULL) {
		t_reply_read(st, "wamid.bruno");
		t_store_close(st);
	}
	ok(t_step_until(ui, "(agent)  [read 14:05]"),
	    "read by the customer: [read 14:05] on the reply's header line, "
	    "in local time, within 80 columns");
	/* Messenger's thread control, as a handover event says it. Right
	 * after it, one of the console's own write jobs ends (a tag matching
	 * nothing, quick, as a mark-read child slowed down by a loaded
	 * machine would): its re-read once read the list again and took the
	 * change from the open thread, whose header stayed as it was. */
	ok(t_thread_event("102", "messenger",
	    "the thread was passed to the Page Inbox") == 0 &&
	    ui_keys(ui, ":tag tag:t-none -t-none\r") == 0 &&
	    t_step_until(ui, "[thread: the Page Inbox]") &&
	    t_row_has(0, "[thread: the Page Inbox]"),
	    "who has the thread shows in the thread's header");
	ui_keys(ui, "\x1b");
	row = t_cursor_row();
	ok(row >= 0 && t_row_has(row, "Bruno Keller") &&
	    t_row_has(T_ROWS - 1, " Inbox  3 conversations"),
	    "Escape in the thread goes back to the list, on the same "
	    "conversation");

	/* Another process writes: the loop's watch on the revision reads
	 * the view again. */
	if ((st = t_store_open()) != NULL) {
		t_ingest(st, "104", "Dmitri Ivanov", util_now(),
		    "is anyone there?");
		t_store_close(st);
	}
	ok(t_step_until(ui, "Dmitri Ivanov") &&
	    t_row_has(T_ROWS - 1, " Inbox  4 conversations"),
	    "a conversation stored by another process shows in the list");

	/* Quitting. */
	quit = ui_keys(ui, "q");
	ok(quit == 1, "q asks the loop to quit");
	ok(ui_finish(ui) == 0, "the console finishes with status 0");
	ui_screen_record_free(t_screen);
	/* The next tests' conversations start on no declared channel. */
	channel_config_reset();
}

/* The thread id of conversation conv_id in the store st, or NULL. */
static char *
t_thread_of(struct store *st, const char *conv_id)
{
	struct store_conv	**convs;
	size_t			  n, i;
	char			 *cause = NULL, *id = NULL;

	if (store_query_convs(st, "*", 0, 100, &convs, &n, &cause) !=
	    STORE_OK) {
		diag("store_query_convs: %s", cause);
		free(cause);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(convs[i]->conv_id, conv_id) == 0)
			id = xstrdup(convs[i]->thread_id);
	}
	store_convs_free(convs, n);
	return id;
}

/* An event by agent in conversation conv_id that changes nothing but
 * its history (a Messenger handover seen after the fact). */
static int
t_thread_event(const char *conv_id, const char *agent, const char *reason)
{
	struct store		*st;
	struct store_event	 ev;
	char			*ops[1] = { NULL };
	char			*cause = NULL, *id;
	int			 rc = -1;

	if ((st = t_store_open()) == NULL)
		return -1;
	if ((id = t_thread_of(st, conv_id)) != NULL) {
		memset(&ev, 0, sizeof ev);
		ev.thread_id = id;
		ev.type = "handoff";
		ev.agent = agent;
		ev.reason = reason;
		ev.ops = ops;
		if (store_events(st, &ev, 1, &cause) == STORE_OK)
			rc = 0;
		else
			diag("store_events: %s", cause);
		free(cause);
		free(id);
	}
	if (t_store_close(st) != 0)
		rc = -1;
	return rc;
}

/* Another process hands conversation conv_id off, as the bot does: an
 * event, whose indexing writes "handoff" to DATA/feed. */
static int
t_handoff(const char *conv_id, const char *reason)
{
	struct store		*st;
	struct store_event	 ev;
	char			**ops = triage_handoff_ops(0);
	char			*cause = NULL, *id;
	int			 rc = -1;

	if ((st = t_store_open()) == NULL) {
		triage_tags_free(ops);
		return -1;
	}
	if ((id = t_thread_of(st, conv_id)) != NULL) {
		memset(&ev, 0, sizeof ev);
		ev.thread_id = id;
		ev.type = "handoff";
		ev.agent = "bot";
		ev.reason = reason;
		ev.ops = ops;
		if (store_events(st, &ev, 1, &cause) == STORE_OK)
			rc = 0;
		else
			diag("store_events: %s", cause);
		free(cause);
		free(id);
	}
	if (t_store_close(st) != 0)
		rc = -1;
	triage_tags_free(ops);
	return rc;
}

/* Run the loop until the bell rang n times in all (10 s at most). */
static int
t_step_bells(struct ui *ui, unsigned n)
{
	int64_t	start = util_clock_ms();

	while (util_clock_ms() - start < 10000) {
		if (ui_screen_record_bells(t_screen) >= n)
			return 1;
		if (ui_step(ui, 100) != 0)
			break;
	}
	return ui_screen_record_bells(t_screen) >= n;
}

/* Run the loop for ms milliseconds: the watch runs every UI_WATCH_MS. */
static void
t_step_for(struct ui *ui, int ms)
{
	struct timespec	start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		ui_step(ui, 50);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while ((now.tv_sec - start.tv_sec) * 1000 +
	    (now.tv_nsec - start.tv_nsec) / 1000000 < ms);
}

/* The cursor on the row showing name (from the top); 1 when it is. */
static int
t_select(struct ui *ui, const char *name)
{
	int	i, row;

	ui_keys(ui, "g");
	for (i = 0; i < 10; i++) {
		row = t_cursor_row();
		if (row >= 0 && strstr(ui_screen_record_line(t_screen, row),
		    name) != NULL)
			return 1;
		ui_keys(ui, "j");
	}
	t_screen_dump();
	return 0;
}

/* Does text occur in the bytes [p, p+len)? */
static int
t_bytes_have(const char *p, size_t len, const char *text)
{
	size_t	n = strlen(text), i;

	for (i = 0; i + n <= len; i++) {
		if (memcmp(p + i, text, n) == 0)
			return 1;
	}
	return 0;
}

/* The role of the waiting column (80 columns: 8 + 16 + 1 + 12 + 7). */
#define T_WAIT_COL	44

/*
 * Alerts, the lane, the order of Needs human, the service level's
 * colours, reading on open and event lines: a console on a store of four
 * conversations, Eve's and Frank's handed off, the others handed off by
 * another process while it runs.
 */
static void
t_alerts(void)
{
	static const char	 hostile[] = "Gina \033]0;x\007; evil\xc2\x9b"
	    "\xe2\x80\xae";
	struct ui_options	 opts;
	struct ui_input		*in;
	struct store		*st;
	struct ui		*ui;
	const char		*seq;
	char			*cause = NULL, *built, *feed;
	unsigned		 bells, notes;
	size_t			 len, i;
	int64_t			 now = util_now(), start;
	int			 row, semis, escs, bels;
	FILE			*f;

	if (mkdtemp(t_dir2) == NULL) {
		ok(0, "a second data dir is made");
		return;
	}
	t_data = t_dir2;
	if ((st = t_store_open()) == NULL)
		return;
	t_ingest_tagged(st, "201", "Eve Adams", now - 7200,
	    "I want a person", "+ombre/handoff");
	t_ingest_tagged(st, "202", "Frank Bauer", now - 600,
	    "agent please", "+ombre/handoff");
	t_ingest(st, "203", hostile, now - 120, "hello?");
	t_ingest(st, "204", "Hugo Costa", now - 60, "quick question");
	t_store_close(st);

	memset(&opts, 0, sizeof opts);
	opts.store.data_dir = t_dir2;
	opts.store.lock_timeout = 10;
	opts.view_name = "Inbox";
	opts.query = "tag:inbox";
	if (store_open(&opts.store, STORE_READ_ONLY, &st, &cause) !=
	    STORE_OK) {
		diag("store_open: %s", cause);
		free(cause);
		ok(0, "the second store opens read-only");
		return;
	}
	t_screen = ui_screen_record_new(T_ROWS, T_COLS);
	in = ui_input_new_abstract("xterm");
	ui = ui_start(&opts, st, ui_screen_record_surface(t_screen), in);

	/* The lane, from the counting child. */
	ok(t_step_until(ui, "2 need a human, oldest 2h") &&
	    t_row_has(T_ROWS - 1, " Inbox  4 conversations ") &&
	    strcmp(ui_screen_record_line(t_screen, T_ROWS - 1) + T_COLS -
	    strlen("2 need a human, oldest 2h SLA breached 1h "),
	    "2 need a human, oldest 2h SLA breached 1h") == 0,
	    "the status line keeps the lane on its right: how many need a "
	    "human, the longest wait, the service level nearest its target");
	ok(ui_screen_record_role(t_screen, T_ROWS - 1, T_COLS - 3) ==
	    UI_ROLE_WAIT_LONG && ui_screen_record_role(t_screen, T_ROWS - 1,
	    T_COLS - 20) == UI_ROLE_STATUS,
	    "the service level in the breach's colour, the lane not");
	ok(t_row_has(t_row_of("Eve Adams"), " 1h over ") &&
	    t_row_has(t_row_of("Frank Bauer"), "m left "),
	    "each row says the time left, or how far past the target");
	ui_keys(ui, "Y");
	ok(t_row_has(T_ROWS - 1, "Y is not bound") &&
	    t_row_has(T_ROWS - 1, "2 need a human"),
	    "a message shows beside it");
	ok(ui_screen_record_bells(t_screen) == 0,
	    "handoffs from before the console started ring no bell");

	/* The service level's colours follow the options. */
	row = t_row_of("Eve Adams");
	ok(row > 0 && ui_screen_record_role(t_screen, row, T_WAIT_COL) ==
	    UI_ROLE_WAIT_LONG && ui_screen_record_role(t_screen,
	    t_row_of("Frank Bauer"), T_WAIT_COL) == UI_ROLE_LIST_UNREAD,
	    "by default 2h waiting is past the breach (1h), 10m is not late");
	ui_keys(ui, ":set sla.handoff-warn 5m\r");
	ok(ui_screen_record_role(t_screen, t_row_of("Frank Bauer"),
	    T_WAIT_COL) == UI_ROLE_WAIT_MEDIUM,
	    "set sla.handoff-warn 5m: 10m waiting takes the warning's colour");
	ui_keys(ui, ":set sla.handoff-breach 3h\r");
	ok(ui_screen_record_role(t_screen, t_row_of("Eve Adams"),
	    T_WAIT_COL) == UI_ROLE_WAIT_MEDIUM,
	    "set sla.handoff-breach 3h: 2h waiting is only a warning");
	ui_keys(ui, ":set sla.handoff-breach 2h30m\r");
	ok(t_status_has("not a duration (10s, 2m, 1h, 1d): 2h30m") &&
	    ui_screen_record_role(t_screen, T_ROWS - 1, 0) == UI_ROLE_ERROR,
	    "a duration that does not parse is refused");
	ui_keys(ui, ":set sla.handoff-breach 1h; set sla.handoff-warn 15m\r");

	/* Needs human, oldest first; H to the oldest from anywhere. */
	ui_keys(ui, "2");
	ok(t_row_has(0, "Eve Adams") && t_row_has(1, "Frank Bauer") &&
	    t_row_has(T_ROWS - 1, " Needs human  2 conversations"),
	    "Needs human lists the longest waiting first (Eve's older "
	    "message, although Frank's is newer)");
	ui_keys(ui, "1");
	ok(t_row_has(T_ROWS - 1, " Inbox"), "1 goes back to the Inbox");
	ui_keys(ui, "H");
	ok(t_row_has(T_ROWS - 1, " Needs human") &&
	    ui_screen_record_role(t_screen, 0, 0) == UI_ROLE_LIST_CURSOR &&
	    t_row_has(0, "Eve Adams"),
	    "H shows Needs human with the cursor on the oldest handoff");
	ui_keys(ui, "jH");
	ok(ui_screen_record_role(t_screen, 0, 0) == UI_ROLE_LIST_CURSOR,
	    "H again from another row: back on the oldest");
	ui_keys(ui, "1");

	/* The bell and a notification for a handoff while it runs. */
	unsetenv("TMUX");
	ui_keys(ui, ":set alert.notify osc777\r");
	bells = ui_screen_record_bells(t_screen);
	notes = ui_screen_record_notifications(t_screen);
	ok(t_handoff("203", "asked for \033[2Ja; manager\007\xc2\x85"
	    "\xe2\x80\x8f") == 0, "another process hands Gina off");
	ok(t_step_bells(ui, bells + 1),
	    "the console rings the bell when the handoff shows in the feed");
	seq = ui_screen_record_last_notify(t_screen, &len);
	ok(ui_screen_record_notifications(t_screen) == notes + 1 &&
	    seq != NULL && len > 16 && memcmp(seq, "\033]777;notify;", 13) ==
	    0 && seq[len - 1] == '\007',
	    "alert.notify osc777 writes ESC ] 777 ; notify ; TITLE ; BODY BEL");
	semis = escs = bels = 0;
	for (i = 0; seq != NULL && i < len; i++) {
		semis += seq[i] == ';';
		escs += seq[i] == '\033';
		bels += seq[i] == '\007';
		if ((unsigned char)seq[i] < 0x20 && seq[i] != '\033' &&
		    seq[i] != '\007')
			escs += 100;
		if (seq[i] == 0x7f)
			escs += 100;
	}
	ok(semis == 3 && escs == 1 && bels == 1,
	    "its hostile name and reason bring no ESC, BEL, control or ';' of "
	    "their own (3 separators, one ESC, one BEL)");
	ok(seq != NULL && !t_bytes_have(seq, len, "\xc2\x9b") &&
	    !t_bytes_have(seq, len, "\xc2\x85") &&
	    !t_bytes_have(seq, len, "\xe2\x80\xae") &&
	    !t_bytes_have(seq, len, "\xe2\x80\x8f"),
	    "no C1 control, no bidi control");
	ok(seq != NULL && t_bytes_have(seq, len, "Gina") &&
	    t_bytes_have(seq, len, "needs a human;") &&
	    t_bytes_have(seq, len, "manager"),
	    "it names the customer and the reason");
	if (seq != NULL && !(semis == 3 && escs == 1 && bels == 1)) {
		built = sanitize(seq, len, SANITIZE_LINE, 0);
		diag("notified: %s", built);
		free(built);
	}
	built = ui_surface_notify_seq("osc777", "a;b", "c\033d", 1, &len);
	ok(built != NULL && len > 20 &&
	    memcmp(built, "\033Ptmux;\033\033]777;notify;a,b;c^[d\007\033\\",
	    len) == 0,
	    "inside tmux the sequence is wrapped in a DCS passthrough, its "
	    "ESC doubled");
	free(built);
	built = ui_surface_notify_seq("osc9", "Gina needs a human",
	    "asked; \007", 0, &len);
	ok(built != NULL && strcmp(built, "\033]9;Gina needs a human: "
	    "asked, ^G\007") == 0, "osc9 writes ESC ] 9 ; TEXT BEL");
	free(built);
	ok(ui_surface_notify_seq("off", "a", "b", 0, &len) == NULL,
	    "off writes nothing");

	/* alert.bell off: no bell (the lane still counts). */
	ui_keys(ui, ":set alert.bell off; set alert.notify off\r");
	bells = ui_screen_record_bells(t_screen);
	t_handoff("204", "no reason");
	ok(t_step_until(ui, "4 need a human"), "Hugo is handed off too");
	t_step_for(ui, 1200);
	ok(ui_screen_record_bells(t_screen) == bells,
	    "with alert.bell off the console rings no bell");

	/* An "alert" line rings like a handoff. */
	ui_keys(ui, ":set alert.bell on\r");
	feed = xasprintf("%s/feed", t_dir2);
	if ((f = fopen(feed, "a")) != NULL) {
		fprintf(f, "alert 0000000000000001 rule.1@ombre\n");
		fclose(f);
	}
	free(feed);
	ok(t_step_bells(ui, bells + 1), "an alert line in the feed rings too");

	/* Opening marks read what it shows; thread.mark-read off does not. */
	ui_keys(ui, ":set thread.mark-read off\r");
	if (t_select(ui, "Hugo Costa")) {
		ui_keys(ui, "\r\x1b");
		t_step_for(ui, 1200);
		row = t_row_of("Hugo Costa");
		ok(row >= 0 && t_row_has(row, "1 new"),
		    "with thread.mark-read off, opening leaves it unread");
	} else
		ok(0, "the cursor goes to Hugo");
	ui_keys(ui, ":set thread.mark-read on\r");
	if (t_select(ui, "Frank Bauer")) {
		ok(t_row_has(t_cursor_row(), "1 new"), "Frank's is unread");
		ui_keys(ui, "\r\x1b");
		start = util_clock_ms();
		while (util_clock_ms() - start < 10000) {
			row = t_row_of("Frank Bauer");
			if (row >= 0 && strstr(ui_screen_record_line(t_screen,
			    row), " new") == NULL)
				break;
			ui_step(ui, 100);
		}
		ok(row >= 0 && strstr(ui_screen_record_line(t_screen, row),
		    " new") == NULL, "opening it marked it read");
	} else
		ok(0, "the cursor goes to Frank");

	/* The events, one dim line each. */
	if (t_select(ui, "Gina")) {
		ui_keys(ui, "\r");
		row = t_row_of("handed off by the bot: asked for");
		ok(row > 0 && ui_screen_record_role(t_screen, row, 0) ==
		    UI_ROLE_THREAD_DAY && ui_screen_record_line(t_screen,
		    row)[2] == ':' && t_row_of("(event)") == -1,
		    "a handoff shows as one dim line with its time, no sender");
		ok(!t_screen_has_escape() && t_row_of("^[[2Ja") > 0,
		    "its reason sanitised");
		ui_keys(ui, "\x1b");
	} else
		ok(0, "the cursor goes to Gina");

	ui_keys(ui, "q");
	ok(ui_finish(ui) == 0, "the second console finishes");
	ui_screen_record_free(t_screen);
	t_data = t_dir;
}

/* A message of conversation conv with the id conv-N, stored by another
 * process. */
static void
t_ingest_nth(const char *conv, int nth, const char *name, const char *text)
{
	struct store	*st;
	struct msg	*m;
	char		*cause = NULL;

	if ((st = t_store_open()) == NULL)
		return;
	m = msg_new();
	m->channel = xstrdup("telegram");
	m->account = xstrdup("7012345678");
	m->conv_id = xstrdup(conv);
	m->conv_title = xstrdup(name);
	m->id = xasprintf("%s-%d", conv, nth);
	m->date = util_now();
	m->from_id = xstrdup(conv);
	m->from_name = xstrdup(name);
	m->kind = MSG_CUSTOMER;
	m->text = xstrdup(text);
	m->text_len = strlen(text);
	if (store_ingest(st, m, &cause) != STORE_OK)
		diag("store_ingest: %s", cause);
	free(cause);
	msg_free(m);
	t_store_close(st);
}

/*
 * Does every message of conversation conv have tag (has 1) or none of
 * them (has 0)? Read by a store of its own, as another process would.
 */
static int
t_conv_tag(const char *conv, const char *tag, int has)
{
	struct store_options	  opts;
	struct store		 *st;
	struct msg		**msgs;
	size_t			  n, i, j;
	char			 *cause = NULL, *id;
	int			  all = 1, found;

	memset(&opts, 0, sizeof opts);
	opts.data_dir = t_data;
	if (store_open(&opts, STORE_READ_ONLY, &st, &cause) != STORE_OK) {
		diag("store_open: %s", cause);
		free(cause);
		return 0;
	}
	if ((id = t_thread_of(st, conv)) == NULL ||
	    store_thread_messages(st, id, &msgs, &n, &cause) != STORE_OK) {
		diag("no conversation %s", conv);
		free(cause);
		free(id);
		store_close(st);
		return 0;
	}
	for (i = 0; i < n; i++) {
		found = 0;
		for (j = 0; msgs[i]->tags != NULL && msgs[i]->tags[j] != NULL;
		    j++)
			found |= strcmp(msgs[i]->tags[j], tag) == 0;
		if (found != has) {
			diag("%s: message %zu (%s) %s %s", conv, i,
			    msg_kind_name(msgs[i]->kind), found ? "has" :
			    "lacks", tag);
			all = 0;
		}
	}
	store_msgs_free(msgs, n);
	free(id);
	store_close(st);
	return all && n > 0;
}

/* Does the message with native id id (conversation: its first three
 * characters) have tag (has 1) or not (has 0)? */
static int
t_msg_tag(const char *id, const char *tag, int has)
{
	struct store_options	  opts;
	struct store		 *st;
	struct msg		**msgs;
	char			 *cause = NULL, *tid, conv[8];
	size_t			  n, i, j;
	int			  found = -1;

	memset(&opts, 0, sizeof opts);
	opts.data_dir = t_data;
	if (store_open(&opts, STORE_READ_ONLY, &st, &cause) != STORE_OK) {
		diag("store_open: %s", cause);
		free(cause);
		return 0;
	}
	snprintf(conv, sizeof conv, "%.3s", id);
	if ((tid = t_thread_of(st, conv)) != NULL &&
	    store_thread_messages(st, tid, &msgs, &n, &cause) == STORE_OK) {
		for (i = 0; i < n; i++) {
			if (strcmp(msgs[i]->id, id) != 0)
				continue;
			found = 0;
			for (j = 0; msgs[i]->tags != NULL &&
			    msgs[i]->tags[j] != NULL; j++)
				found |= strcmp(msgs[i]->tags[j], tag) == 0;
		}
		store_msgs_free(msgs, n);
	}
	free(cause);
	free(tid);
	store_close(st);
	if (found != has)
		diag("message %s: %s %s", id, found == 1 ? "has" : found == 0 ?
		    "lacks" : "not found:", tag);
	return found == has;
}

/* Run the loop until the console's writes are done (10 s at most). */
static void
t_step_writes(struct ui *ui)
{
	int64_t	start = util_clock_ms();

	while (util_clock_ms() - start < 10000 && ui_writes_pending(ui) > 0)
		ui_step(ui, 100);
	ui_step(ui, 100);
}

/*
 * The loop of a conversation: a close names what the agent saw (a
 * message that came since keeps it open), undo on a mixed set gives each
 * its own state back, a reply takes a bot conversation over (and not
 * with reply.takes-over off), and the list's status line says why the
 * conversation under the cursor waits for a human.
 */
static void
t_loop(void)
{
	struct ui_options	 opts;
	struct ui_input		*in;
	struct store		*st;
	struct ui		*ui;
	char			*cause = NULL;
	int64_t			 now = util_now();

	if (mkdtemp(t_dir3) == NULL) {
		ok(0, "a third data dir is made");
		return;
	}
	t_data = t_dir3;
	if ((st = t_store_open()) == NULL)
		return;
	t_ingest_tagged(st, "301", "Zoé Roux", now - 60, "ma commande ?",
	    "+ombre/bot");
	t_ingest_tagged(st, "302", "Paul Henry", now - 120, "toujours rien",
	    "+ombre/prio/high");
	t_ingest_tagged(st, "303", "Rita Sousa", now - 180, "bonjour",
	    "+ombre/bot");
	t_ingest_tagged(st, "304", "Sam Lee", now - 240, "hello",
	    "+ombre/bot");
	t_store_close(st);
	if (t_handoff("304", "the customer asked for a person") != 0)
		ok(0, "Sam's conversation is handed off");
	if (options_set("agent", "ana", &cause) != 0) {
		diag("%s", cause);
		free(cause);
	}

	memset(&opts, 0, sizeof opts);
	opts.store.data_dir = t_dir3;
	opts.store.lock_timeout = 10;
	opts.view_name = "Inbox";
	opts.query = "tag:inbox";
	if (store_open(&opts.store, STORE_READ_ONLY, &st, &cause) !=
	    STORE_OK) {
		diag("store_open: %s", cause);
		free(cause);
		ok(0, "the third store opens read-only");
		return;
	}
	t_screen = ui_screen_record_new(T_ROWS, T_COLS);
	in = ui_input_new_abstract("xterm");
	ui = ui_start(&opts, st, ui_screen_record_surface(t_screen), in);
	ok(t_step_until(ui, "Sam Lee"), "the console shows the four");

	/* The reason of a handoff, on the status line. */
	ok(t_select(ui, "Sam Lee") && t_step_until(ui,
	    "needs a human: the customer asked for a person"),
	    "on a handed-off conversation the status line says why");

	/* The stable query: Zoé writes again after the list was read and
	 * before e; her conversation stays in the Inbox. */
	ok(t_select(ui, "Zoé Roux"), "the cursor on Zoé");
	t_ingest_nth("301", 2, "Zoé Roux", "vous êtes là ?");
	ui_keys(ui, "e");
	t_step_writes(ui);
	ok(t_conv_tag("301", "inbox", 1) && t_conv_tag("301", "ombre/done", 0),
	    "e closes what the agent saw: a message that came since keeps "
	    "the conversation in the Inbox, on every message");
	ok(t_step_until(ui, "vous êtes là"),
	    "and the list shows it with the new message");

	/* u marks read what the agent saw: Zoé's third message, come
	 * after the list was read, stays unread. */
	ok(t_select(ui, "Zoé Roux"), "the cursor on Zoé again");
	t_ingest_nth("301", 3, "Zoé Roux", "allô ?");
	ui_keys(ui, "u");
	t_step_writes(ui);
	ok(t_msg_tag("301-3", "unread", 1) && t_msg_tag("301-2", "unread", 0),
	    "u marks read the messages shown, never one that came since");

	/* Undo on a mixed set: Paul high, Rita not; ! from Rita's basis
	 * makes both high; U gives each its own back. */
	ui_keys(ui, ":bind -T list x mark\r");
	ok(t_select(ui, "Paul Henry"), "the cursor on Paul");
	ui_keys(ui, "x");
	ok(t_select(ui, "Rita Sousa"), "then on Rita");
	ui_keys(ui, "x");
	ok(t_select(ui, "Rita Sousa"), "the cursor back on Rita");
	ui_keys(ui, "!");
	t_step_writes(ui);
	ok(t_conv_tag("302", "ombre/prio/high", 1) &&
	    t_conv_tag("303", "ombre/prio/high", 1),
	    "! on the marked set: both high (the cursor's step)");
	ui_keys(ui, "U");
	t_step_writes(ui);
	ok(t_conv_tag("302", "ombre/prio/high", 1) &&
	    t_conv_tag("303", "ombre/prio/high", 0),
	    "U gives each its own: Paul stays high, Rita is not");

	/* Take-over and its undo on a mixed set: Rita in bot mode, Sam
	 * handed off; U puts each mode back. */
	ok(t_select(ui, "Rita Sousa"), "the cursor on Rita");
	ui_keys(ui, "x");
	ok(t_select(ui, "Sam Lee"), "then on Sam");
	ui_keys(ui, "x");
	ui_keys(ui, "T");
	t_step_writes(ui);
	ok(t_conv_tag("303", "ombre/assigned/ana", 1) &&
	    t_conv_tag("304", "ombre/assigned/ana", 1) &&
	    t_conv_tag("303", "ombre/bot", 0) &&
	    t_conv_tag("304", "ombre/handoff", 0),
	    "T takes both over, on every message");
	ui_keys(ui, "U");
	t_step_writes(ui);
	ok(t_conv_tag("303", "ombre/bot", 1) &&
	    t_conv_tag("303", "ombre/handoff", 0) &&
	    t_conv_tag("304", "ombre/handoff", 1) &&
	    t_conv_tag("304", "ombre/bot", 0) &&
	    t_conv_tag("303", "ombre/assigned/ana", 0) &&
	    t_conv_tag("304", "ombre/assigned/ana", 0),
	    "U puts each one's mode back: Rita with the bot, Sam waiting "
	    "for a human");

	/* A completes the declared agents and teams (Tab) and refuses a
	 * typo, listing the known ones. */
	ok(cmd_run_string(&t_ctx, "team support ana bob") == CMD_NORMAL,
	    "a team declared");
	ok(t_select(ui, "Rita Sousa"), "the cursor on Rita");
	ui_keys(ui, "A");
	ui_keys(ui, "b\t");
	ok(t_step_until(ui, "assign to: bob"), "Tab completes bob");
	ui_keys(ui, "\x15");
	ui_keys(ui, "bbo\r");
	ok(t_step_until(ui, "unknown agent bbo: ana, bob, team:support"),
	    "an unknown agent is refused with the known ones listed");
	t_step_writes(ui);
	ok(t_conv_tag("303", "ombre/assigned/bbo", 0),
	    "and nobody called bbo has it");
	ui_keys(ui, "A");
	ui_keys(ui, "team:s\t\r");
	t_step_writes(ui);
	ok(t_conv_tag("303", "ombre/team/support", 1),
	    "A team:support (completed) puts it in the team's queue");
	ui_keys(ui, "U");
	t_step_writes(ui);
	ok(t_conv_tag("303", "ombre/team/support", 0), "U takes it back");
	ok(cmd_run_string(&t_ctx, "team support -") == CMD_NORMAL,
	    "the team removed");

	/* A reply takes a bot conversation over. */
	/* Declared now: the conversations began with no channel, hence no
	 * bot, but a reply needs one to send it. */
	ok(cmd_run_string(&t_ctx, "channel tg telegram account=7012345678") ==
	    CMD_NORMAL, "a Telegram channel declared to send the replies");
	ok(t_select(ui, "Rita Sousa"), "the cursor on Rita");
	ui_keys(ui, "\r");
	ui_keys(ui, "r");
	ui_keys(ui, "Je m'en occupe");
	ui_keys(ui, "\x13");
	ok(t_step_until(ui, "[queued]"), "the reply is queued");
	t_step_writes(ui);
	ok(t_conv_tag("303", "ombre/assigned/ana", 1) &&
	    t_conv_tag("303", "ombre/bot", 0),
	    "replying took the conversation over from the bot");
	ok(t_step_until(ui, "taken over by ana"),
	    "the thread shows the take-over");
	ui_keys(ui, "\x1b");

	/* reply.takes-over off: the mode stays. */
	ui_keys(ui, ":set reply.takes-over off\r");
	ok(t_select(ui, "Sam Lee"), "the cursor on Sam");
	ui_keys(ui, "\r");
	ui_keys(ui, "r");
	ui_keys(ui, "Un instant");
	ui_keys(ui, "\x13");
	ok(t_step_until(ui, "[queued]"), "Sam's reply is queued");
	t_step_writes(ui);
	ok(t_conv_tag("304", "ombre/handoff", 1) &&
	    t_conv_tag("304", "ombre/assigned/ana", 0),
	    "with reply.takes-over off a reply leaves the mode as it is");
	ui_keys(ui, "\x1b");
	ui_keys(ui, ":set reply.takes-over on\r");
	/* c claims: Sam's handoff is nobody's, so mine; Rita, whom ana's
	 * reply took over, is refused to zoe, saying who took it when. */
	ok(t_select(ui, "Sam Lee"), "the cursor on Sam");
	ui_keys(ui, "c");
	t_step_writes(ui);
	ok(t_conv_tag("304", "ombre/assigned/ana", 1) &&
	    t_conv_tag("304", "ombre/handoff", 0), "c claims Sam's for me");
	ok(t_step_until(ui, "claimed"), "the status line says so");
	ui_keys(ui, ":set agent zoe\r");
	ok(t_select(ui, "Rita Sousa"), "the cursor on Rita");
	ui_keys(ui, "c");
	t_step_writes(ui);
	ok(t_step_until(ui, "ana took it ") &&
	    t_conv_tag("303", "ombre/assigned/ana", 1) &&
	    t_conv_tag("303", "ombre/assigned/zoe", 0),
	    "c on ana's: refused, nothing changed, the status line says who");
	ui_keys(ui, ":set agent ana\r");

	ui_keys(ui, ":bind -T list x select-down\r");

	ui_keys(ui, "q");
	ok(ui_finish(ui) == 0, "the console finishes");
	ui_screen_record_free(t_screen);
	t_data = t_dir;
}

/* The composer's editor: a template at the cursor, a ;shortcut replaced
 * (issue 17). */
static void
t_compose_replace(void)
{
	struct ui_compose	*c;
	const char		*text;
	size_t			 len;
	unsigned long		 gen;

	c = ui_compose_new("Merci. À bientôt", strlen("Merci. À bientôt"));
	ui_compose_key(c, "Home", NULL);
	ui_compose_key(c, "Right", NULL);
	ui_compose_key(c, "Right", NULL);
	ui_compose_key(c, "Right", NULL);
	ui_compose_key(c, "Right", NULL);
	ui_compose_key(c, "Right", NULL);
	ui_compose_key(c, "Right", NULL);
	ui_compose_key(c, "Right", NULL);
	gen = ui_compose_generation(c);
	ui_compose_replace(c, ui_compose_cursor(c), ui_compose_cursor(c),
	    "Hello! ", 7);
	text = ui_compose_text(c, &len);
	ok(len == strlen("Merci. Hello! À bientôt") &&
	    strcmp(text, "Merci. Hello! À bientôt") == 0 &&
	    ui_compose_cursor(c) == strlen("Merci. Hello! "),
	    "inserted at the cursor, which follows it; the rest stays");
	ok(ui_compose_generation(c) != gen, "... a change the draft saves");
	ui_compose_key(c, NULL, ";rf");
	ui_compose_replace(c, strlen("Merci. Hello! "),
	    ui_compose_cursor(c), "Refund OK. ", 11);
	text = ui_compose_text(c, &len);
	ok(strcmp(text, "Merci. Hello! Refund OK. À bientôt") == 0 &&
	    ui_compose_cursor(c) == strlen("Merci. Hello! Refund OK. "),
	    "a ;shortcut replaced in place, the cursor after it");
	ui_compose_replace(c, 1000, 2000, "!", 1);
	text = ui_compose_text(c, &len);
	ok(strcmp(text, "Merci. Hello! Refund OK. À bientôt!") == 0,
	    "a range past the end is the end");
	ui_compose_free(c);
}

static void
t_cleanup(void)
{
	char	cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' '%s'", t_dir, t_dir2,
	    t_dir3);
	if (system(cmd) != 0)
		diag("%s failed", cmd);
}

static void
t_print(struct cmd_ctx *ctx, const char *text)
{
	(void)ctx;
	buf_add_str(&t_out, text);
	buf_add_char(&t_out, '\n');
}

static void
t_error(struct cmd_ctx *ctx, const char *text)
{
	(void)ctx;
	buf_add_str(&t_err, text);
	buf_add_char(&t_err, '\n');
}

int
main(void)
{
	struct cmd_ctx	ctx;

	buf_init(&t_out);
	buf_init(&t_err);
	memset(&ctx, 0, sizeof ctx);
	ctx.print = t_print;
	ctx.error = t_error;

	ok(cmd_run_string(&ctx, "list-commands") == CMD_NORMAL &&
	    strstr(t_out.data != NULL ? t_out.data : "", "select-down") == NULL,
	    "before the console registers its commands, core has none of them");

	ui_commands_register();
	buf_free(&t_out);
	buf_init(&t_out);
	ok(cmd_run_string(&ctx, "list-commands") == CMD_NORMAL,
	    "list-commands runs");
	ok(t_out.data != NULL && strstr(t_out.data, "select-down") != NULL &&
	    strstr(t_out.data, "take-over") != NULL &&
	    strstr(t_out.data, "\nset ") != NULL,
	    "then list-commands has the console's rows beside core's");
	/* The help screen shows each key's command's help: every row of
	 * every table, core's and the console's, has one. */
	{
		const struct cmd_entry	*ce;
		const char		*bare = NULL;

		for (ce = cmd_table(); ce->name != NULL; ce++) {
			if (ce->help == NULL || *ce->help == '\0' ||
			    strcmp(ce->help, "console: ") == 0)
				bare = ce->name;
		}
		ok(bare == NULL, "every command's row has a one-line help (%s)",
		    bare != NULL ? bare : "all");
	}
	ok(cmd_run_string(&ctx, "bind -T list x select-down") == CMD_NORMAL,
	    "a key can be bound to a console command");
	ok(cmd_run_string(&ctx, "select-down") == CMD_ERROR &&
	    t_err.data != NULL && strstr(t_err.data, "only in the console") != NULL,
	    "a console command run where no console runs is refused, saying so");
	buf_free(&t_out);
	buf_free(&t_err);

	t_ctx = ctx;
	t_compose_replace();
	t_console();
	t_alerts();
	t_loop();
	t_cleanup();
	done_testing();
	return exit_status();
}
