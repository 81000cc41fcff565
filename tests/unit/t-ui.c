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
#include <unistd.h>

#include "tap.h"

#define T_ROWS	24
#define T_COLS	80

static struct buf		 t_out, t_err;
static struct ui_screen_record	*t_screen;
static int			 t_rows = T_ROWS;
static char			 t_dir[] = "/tmp/t-ui.XXXXXX";

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

/* Store a customer's message (and a bot's answer) in conversation conv. */
static void
t_ingest(struct store *st, const char *conv, const char *name, int64_t date,
    const char *text)
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
	if (store_ingest(st, m, &cause) != STORE_OK)
		diag("store_ingest: %s", cause);
	free(cause);
	msg_free(m);
}

/* The store of the data dir, read-write, or NULL. */
static struct store *
t_store_open(void)
{
	struct store_options	 opts;
	struct store		*st;
	char			*cause = NULL;

	memset(&opts, 0, sizeof opts);
	opts.data_dir = t_dir;
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
 * 100 ms and for 10 s at most: no fixed sleep.
 */
static int
t_step_until(struct ui *ui, const char *text)
{
	int	i;

	for (i = 0; i < 100; i++) {
		if (t_row_of(text) != -1)
			return 1;
		if (ui_step(ui, 100) != 0)
			break;
	}
	t_screen_dump();
	return 0;
}

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

	/* Sending: a child queues the reply in the outbox; the loop reads
	 * the thread again when the database changed. */
	ui_keys(ui, "\x13");
	ok(t_step_until(ui, "[queued]") && t_row_of("Hello Bruno") > 0 &&
	    t_row_of("C-s send") == -1,
	    "C-s sends: the composer closes, the reply shows queued");
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
}

static void
t_cleanup(void)
{
	char	cmd[64];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t_dir);
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
	ok(cmd_run_string(&ctx, "bind -T list x select-down") == CMD_NORMAL,
	    "a key can be bound to a console command");
	ok(cmd_run_string(&ctx, "select-down") == CMD_ERROR &&
	    t_err.data != NULL && strstr(t_err.data, "only in the console") != NULL,
	    "a console command run where no console runs is refused, saying so");
	buf_free(&t_out);
	buf_free(&t_err);

	t_console();
	t_cleanup();
	done_testing();
	return exit_status();
}
