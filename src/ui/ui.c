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

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* How often the revision is compared; the list follows within this. */
#define UI_WATCH_MS	500
/* How often snoozed conversations are checked for their time. */
#define UI_WAKE_MS	30000
/* The sidebar shows from this width, this wide. */
#define UI_SIDEBAR_FROM	100
#define UI_SIDEBAR_WIDTH	24
/* Counts are recounted (in a child) at most this often when the database
 * changes: a count walks every match, which takes seconds at 1M. */
#define UI_COUNTS_MS	30000
/* How many conversations the list holds (a page of a large store). */
/* Conversations read at a time: the first paint reads one page, the
 * next come as the cursor nears the end. */
#define UI_PAGE		200

/* A triage action as it can be undone: its target and the operations
 * that put the tags back. */
struct ui_undo {
	char	 *target;
	char	**ops;
	int	  n_ops;
	char	 *what;
};
#define UI_UNDO_MAX	50

/* A write handed to a child: `tag` on a set of conversations. */
struct ui_write {
	struct store_options	 store;
	enum {
		UI_WRITE_TAG,
		UI_WRITE_SNOOZE,
		UI_WRITE_WAKE
	}			 kind;
	int64_t			 until;		/* snooze */
	char			*target;
	char			**ops;
	int			 n_ops;
	char			*what;
	struct ui		*ui;
};

struct ui {
	const struct ui_options	*opts;
	struct ev_loop		*loop;
	struct ui_input		*input;
	struct ev_timer		*escape_timer;
	struct store		*store;
	struct ui_list		*list;
	struct ui_thread	*thread;	/* open conversation, or NULL */
	struct ui_pager		*pager;		/* the help screen, or NULL */
	struct ui_prompt	*prompt;
	int			 prompting;	/* the prompt has the keys */
	int			 waking;	/* a wake-up job runs */
	int			 more;		/* the view may have more than loaded */
	int			 in_macro;	/* macros running (they nest) */
	char			*recording;	/* the macro being recorded */
	struct buf		 recorded;	/* its commands so far */
#define UI_PROMPTING_SNOOZE	3	/* 's' */
#define UI_PROMPTING_LABEL	4	/* 'l' */
#define UI_PROMPTING_ASSIGN	5	/* 'A' */
#define UI_PROMPTING_COMMAND	1	/* ':' */
#define UI_PROMPTING_SEARCH	2	/* '/' */
	struct strset		 marked;	/* thread ids of the marked set */
	struct ui_undo		*undo;		/* the last triage actions */
	size_t			 n_undo;
	int			 jobs;		/* writes still running */
	int			 waiting;	/* one waits for the lock */
	struct cmd_ctx		 ctx;		/* commands run by keys */
	struct cmd_host		 host;
	long			*view_total;	/* per view, -1 not known yet */
	long			*view_unread;
	size_t			 n_view_counts;
	int			 counting;	/* a count job runs */
	int			 counts_stale;	/* the database changed since */
	int64_t			 counts_started;
	struct ev_timer		*counts_timer;
	char			*view_name;	/* the view shown */
	char			*query;		/* its query, #{agent} resolved */
	char			*message;	/* status line message */
	int			 message_error;
	int			 redraw;
	int			 resized;
	int			 quit;
};

/* What the console's commands do (see keys.c for the keys bound to them). */
enum ui_action {
	UI_SELECT_DOWN,
	UI_SELECT_UP,
	UI_SELECT_FIRST,
	UI_SELECT_LAST,
	UI_PAGE_DOWN,
	UI_PAGE_UP,
	UI_OPEN,
	UI_BACK,
	UI_DONE,
	UI_TOGGLE_UNREAD,
	UI_CYCLE_PRIORITY,
	UI_ASSIGN_ME,
	UI_TAKE_OVER,
	UI_HAND_BACK,
	UI_MARK,
	UI_UNDO,
	UI_VIEW,
	UI_REDRAW,
	UI_PROMPT,
	UI_HELP,
	UI_SUSPEND,
	UI_SEARCH_PROMPT,
	UI_SNOOZE_PROMPT,
	UI_LABEL_PROMPT,
	UI_ASSIGN_PROMPT,
	UI_SNOOZE,
	UI_LABEL,
	UI_ASSIGN,
	UI_MACRO_RECORD,
	UI_MACRO_STOP,
	UI_MACRO_RUN,
	UI_SEARCH,
	UI_SEARCH_NEXT,
	UI_SEARCH_PREVIOUS,
	UI_QUIT
};
/* What each prompt shows before the line. */
static const char *const ui_prompt_leads[] = {
	"", ":", "/",
	"snooze until (1: 1h, 2: 4h, 3: tomorrow 9:00, 4: next week, or a "
	    "time): ",
	"label: ",
	"assign to: "
};

static void	ui_open(struct ui *);
static void	ui_search(struct ui *, const char *);
static void	ui_wake_now(struct ui *);
static void	ui_run_command(struct ui *, const char *);
static int	ui_macro(struct ui *, int, int, char **, char **);
static void	ui_sidebar_draw(struct ui *, int);
static void	ui_counts_start(struct ui *);
static void	ui_counts_first(void *);
static void	ui_set_message(struct ui *, int, const char *, ...)
		    OMBRE_PRINTF(3, 4);

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
	{ "hand-back", UI_HAND_BACK },
	{ "help", UI_HELP },
	{ "label", UI_LABEL },
	{ "label-prompt", UI_LABEL_PROMPT },
	{ "macro-record", UI_MACRO_RECORD },
	{ "macro-run", UI_MACRO_RUN },
	{ "macro-stop", UI_MACRO_STOP },
	{ "mark", UI_MARK },
	{ "open", UI_OPEN },
	{ "page-down", UI_PAGE_DOWN },
	{ "page-up", UI_PAGE_UP },
	{ "quit", UI_QUIT },
	{ "redraw", UI_REDRAW },
	{ "search", UI_SEARCH },
	{ "search-next", UI_SEARCH_NEXT },
	{ "search-previous", UI_SEARCH_PREVIOUS },
	{ "search-prompt", UI_SEARCH_PROMPT },
	{ "select-down", UI_SELECT_DOWN },
	{ "select-first", UI_SELECT_FIRST },
	{ "select-last", UI_SELECT_LAST },
	{ "select-up", UI_SELECT_UP },
	{ "show-view", UI_VIEW },
	{ "snooze", UI_SNOOZE },
	{ "snooze-prompt", UI_SNOOZE_PROMPT },
	{ "suspend", UI_SUSPEND },
	{ "take-over", UI_TAKE_OVER },
	{ "toggle-unread", UI_TOGGLE_UNREAD },
	{ "undo", UI_UNDO },
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

static void
ui_load(struct ui *ui)
{
	size_t	want;

	/* As many as were loaded (the user may have scrolled far). */
	want = ui_list_count(ui->list);
	want = want < UI_PAGE ? UI_PAGE : (want + UI_PAGE - 1) / UI_PAGE * UI_PAGE;
	ui_load_limit(ui, want);
}

/* After the first paint: the rest of the first page. */
static void
ui_load_rest(void *data)
{
	struct ui	*ui = data;

	if (ui->more)
		ui_load(ui);
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
	char	status[512], marked[32] = "";
	int	rows, cols;

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
	else if (ui->thread != NULL)
		ui_thread_draw(ui->thread, 0, rows - 1, cols);
	else if (cols >= UI_SIDEBAR_FROM) {
		ui_sidebar_draw(ui, rows - 1);
		ui_list_draw(ui->list, 0, UI_SIDEBAR_WIDTH, rows - 1,
		    cols - UI_SIDEBAR_WIDTH, util_now());
	} else
		ui_list_draw(ui->list, 0, 0, rows - 1, cols, util_now());
	if (ui->pager != NULL)
		snprintf(status, sizeof status, " Help  Esc back%s%s",
		    ui->message != NULL ? "  " : "",
		    ui->message != NULL ? ui->message : "");
	else if (ui->thread != NULL)
		snprintf(status, sizeof status, " %s > conversation  Esc back%s%s",
		    ui->view_name, ui->message != NULL ? "  " : "",
		    ui->message != NULL ? ui->message : "");
	else
		snprintf(status, sizeof status, " %s  %zu%s conversation%s%s%s%s%s",
		    ui->view_name, ui_list_count(ui->list), ui->more ? "+" : "",
		    ui_list_count(ui->list) == 1 && !ui->more ? "" : "s",
		    marked, ui->waiting ? "  waiting for database" : "",
		    ui->message != NULL ? "  " : "",
		    ui->message != NULL ? ui->message : "");
	if (ui->prompting)
		ui_prompt_draw(ui->prompt, rows - 1, cols,
		    ui_prompt_leads[ui->prompting]);
	else
		ui_screen_text(rows - 1, 0, cols, ui->message_error ?
		    UI_ROLE_ERROR : UI_ROLE_STATUS, status);
	ui_screen_flush();
	ui->redraw = 0;
}

/* The child's side of a write: open read-write (waiting for the lock up
 * to the ceiling), tag, close. Errors go to stderr, which the console
 * shows. */
static int
ui_write_child(void *arg)
{
	struct ui_write		*w = arg;
	struct store		*st;
	enum store_status	 rc;
	char			*cause;
	long			 changed;

	rc = store_open(&w->store, STORE_READ_WRITE, &st, &cause);
	if (rc == STORE_OK) {
		if (w->kind == UI_WRITE_SNOOZE)
			rc = store_snooze(st, w->target, w->until, &changed,
			    &cause);
		else if (w->kind == UI_WRITE_WAKE)
			rc = store_wake(st, util_now(), &changed, &cause);
		else
			rc = store_tag(st, w->target, w->ops, w->n_ops,
			    &changed, &cause);
		if (store_close(st) != STORE_OK && rc == STORE_OK) {
			cause = xstrdup("closing the database failed");
			rc = STORE_DB_ERROR;
		}
	}
	if (rc != STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		return rc == STORE_LOCKED ? 75 : 1;
	}
	return 0;
}

static void
ui_write_free(struct ui_write *w)
{
	int	i;

	for (i = 0; i < w->n_ops; i++)
		free(w->ops[i]);
	free(w->ops);
	free(w->target);
	free(w->what);
	free(w);
}

static void
ui_write_done(struct job *job, int status, const char *output, void *data)
{
	struct ui_write	*w = data;
	struct ui	*ui = w->ui;
	char		*line;

	(void)job;
	ui->jobs--;
	if (status == 0)
		ui_set_message(ui, 0, "%s", w->what);
	else {
		line = xstrndup(output, strcspn(output, "\n"));
		ui_set_message(ui, 1, "%s failed: %s", w->what,
		    *line != '\0' ? line : "the database could not be written");
		free(line);
	}
	ui_write_free(w);
	/* Show the result now rather than at the next revision check. */
	if (store_refresh(ui->store) == 1)
		ui_load(ui);
}

/* Hand a write to a child job. */
static void
ui_write_kind(struct ui *ui, int kind, int64_t until, const char *target,
    char **ops, int n_ops, const char *what)
{
	struct ui_write	*w;
	int		 i;

	w = xcalloc(1, sizeof *w);
	w->store = ui->opts->store;
	w->kind = kind;
	w->until = until;
	w->target = xstrdup(target);
	w->ops = xcalloc((size_t)n_ops + 1, sizeof *w->ops);
	for (i = 0; i < n_ops; i++)
		w->ops[i] = xstrdup(ops[i]);
	w->n_ops = n_ops;
	w->what = xstrdup(what);
	w->ui = ui;
	if (job_run(ui->loop, ui_write_child, w, ui_write_done, w) == NULL) {
		ui_set_message(ui, 1, "%s failed: cannot start a process", what);
		ui_write_free(w);
		return;
	}
	ui->jobs++;
}

static void
ui_write(struct ui *ui, const char *target, char **ops, int n_ops,
    const char *what)
{
	ui_write_kind(ui, UI_WRITE_TAG, 0, target, ops, n_ops, what);
}

/* `tag` from a key binding: the write goes to a child like the others. */
static int
ui_host_tag(void *data, const char *target, char **ops, int n_ops,
    char **cause)
{
	(void)cause;
	ui_write(data, target, ops, n_ops, "tagged");
	return 0;
}

static int
ui_conv_has_tag(const struct store_conv *c, const char *tag)
{
	size_t	i;

	for (i = 0; i < c->n_tags; i++) {
		if (strcmp(c->tags[i], tag) == 0)
			return 1;
	}
	return 0;
}

static void
ui_undo_free(struct ui_undo *u)
{
	int	i;

	for (i = 0; i < u->n_ops; i++)
		free(u->ops[i]);
	free(u->ops);
	free(u->target);
	free(u->what);
}

/* Remember an action to undo (taken over), forgetting the oldest. */
static void
ui_undo_push(struct ui *ui, struct ui_undo *undo)
{
	if (ui->n_undo == UI_UNDO_MAX) {
		ui_undo_free(&ui->undo[0]);
		memmove(ui->undo, ui->undo + 1,
		    (UI_UNDO_MAX - 1) * sizeof *ui->undo);
		ui->n_undo--;
	}
	ui->undo = xreallocarray(ui->undo, ui->n_undo + 1, sizeof *ui->undo);
	ui->undo[ui->n_undo++] = *undo;
}

/*
 * Apply tag operations to the marked set (or the conversation under the
 * cursor), remembering for each conversation the operations that undo
 * what actually changed.
 */
static void
ui_triage(struct ui *ui, char **ops, int n_ops, const char *what)
{
	const struct store_conv	**convs, *c;
	struct ui_undo		  undo;
	struct buf		  target;
	struct strset		  inverse = { NULL, 0, NULL, 0 };
	size_t			  n = 0, i, k;
	int			  j, has;
	char			 *label, *op;

	convs = xcalloc(ui_list_count(ui->list) + 1, sizeof *convs);
	if (ui->marked.n > 0) {
		for (i = 0; i < ui_list_count(ui->list); i++) {
			c = ui_list_at(ui->list, i);
			for (k = 0; k < ui->marked.n; k++) {
				if (strcmp(ui->marked.items[k], c->thread_id) == 0)
					convs[n++] = c;
			}
		}
	} else if ((c = ui_list_selected(ui->list)) != NULL)
		convs[n++] = c;
	if (n == 0) {
		free(convs);
		ui_set_message(ui, 1, "no conversation to %s", what);
		return;
	}
	buf_init(&target);
	for (i = 0; i < n; i++) {
		buf_add_printf(&target, "%sthread:%s", i > 0 ? " or " : "",
		    convs[i]->thread_id);
		for (j = 0; j < n_ops; j++) {
			has = ui_conv_has_tag(convs[i], ops[j] + 1);
			if (ops[j][0] == '+' && !has) {
				op = xasprintf("-%s", ops[j] + 1);
				strset_add(&inverse, op);
				free(op);
			} else if (ops[j][0] == '-' && has) {
				op = xasprintf("+%s", ops[j] + 1);
				strset_add(&inverse, op);
				free(op);
			}
		}
	}
	label = n == 1 ? xstrdup(what) : xasprintf("%s (%zu conversations)",
	    what, n);
	ui_write(ui, target.data, ops, n_ops, label);
	/* Undo puts back, on all of them, what changed on any of them. */
	if (inverse.n > 0) {
		undo.target = xstrdup(target.data);
		undo.ops = inverse.items;
		undo.n_ops = (int)inverse.n;
		undo.what = xasprintf("undo %s", label);
		inverse.items = NULL;
		inverse.n = 0;
		ui_undo_push(ui, &undo);
	}
	strset_free(&inverse);
	if (ui->in_macro == 0)		/* a macro acts on the whole set */
		strset_free(&ui->marked);
	free(label);
	buf_free(&target);
	free(convs);
}

static void
ui_undo_last(struct ui *ui)
{
	struct ui_undo	*u;

	if (ui->n_undo == 0) {
		ui_set_message(ui, 0, "nothing to undo");
		return;
	}
	u = &ui->undo[--ui->n_undo];
	ui_write(ui, u->target, u->ops, u->n_ops, u->what);
	ui_undo_free(u);
}

/* Run a triage key on the selection. */
static void
ui_triage_key(struct ui *ui, enum ui_action action)
{
	const struct store_conv	*c = ui_list_selected(ui->list);
	const char		*me = core_agent_name();
	char			*ops[8], *assigned;
	int			 n = 0, i;
	size_t			 t;

	if (c == NULL) {
		ui_set_message(ui, 1, "no conversation here");
		return;
	}
	assigned = xasprintf("+ombre/assigned/%s", me);
	switch (action) {
	case UI_DONE:
		ops[n++] = xstrdup("-inbox");
		ops[n++] = xstrdup("+ombre/done");
		ui_triage(ui, ops, n, "done");
		break;
	case UI_TOGGLE_UNREAD:
		ops[n++] = xstrdup(c->unread > 0 ? "-unread" : "+unread");
		ui_triage(ui, ops, n, c->unread > 0 ? "marked read" :
		    "marked unread");
		break;
	case UI_CYCLE_PRIORITY:
		/* none -> high -> low -> none */
		if (ui_conv_has_tag(c, "ombre/prio/high")) {
			ops[n++] = xstrdup("-ombre/prio/high");
			ops[n++] = xstrdup("+ombre/prio/low");
			ui_triage(ui, ops, n, "priority low");
		} else if (ui_conv_has_tag(c, "ombre/prio/low")) {
			ops[n++] = xstrdup("-ombre/prio/low");
			ui_triage(ui, ops, n, "priority normal");
		} else {
			ops[n++] = xstrdup("+ombre/prio/high");
			ui_triage(ui, ops, n, "priority high");
		}
		break;
	case UI_ASSIGN_ME:
	case UI_TAKE_OVER:
		for (t = 0; t < c->n_tags && n < 5; t++) {
			if (strncmp(c->tags[t], "ombre/assigned/", 15) == 0 &&
			    strcmp(c->tags[t] + 15, me) != 0)
				ops[n++] = xasprintf("-%s", c->tags[t]);
		}
		ops[n++] = xstrdup(assigned);
		if (action == UI_TAKE_OVER) {
			ops[n++] = xstrdup("-ombre/bot");
			ops[n++] = xstrdup("-ombre/handoff");
		}
		ui_triage(ui, ops, n, action == UI_TAKE_OVER ?
		    "taken over from the bot" : "assigned to you");
		break;
	case UI_HAND_BACK:
		for (t = 0; t < c->n_tags && n < 6; t++) {
			if (strncmp(c->tags[t], "ombre/assigned/", 15) == 0)
				ops[n++] = xasprintf("-%s", c->tags[t]);
		}
		ops[n++] = xstrdup("+ombre/bot");
		ops[n++] = xstrdup("-ombre/handoff");
		ui_triage(ui, ops, n, "handed back to the bot");
		break;
	default:
		break;
	}
	for (i = 0; i < n; i++)
		free(ops[i]);
	free(assigned);
}

/* Mark or unmark the conversation under the cursor, and move on. */
static void
ui_mark(struct ui *ui)
{
	const struct store_conv	*c = ui_list_selected(ui->list);
	struct strset		 kept = { NULL, 0, NULL, 0 };
	size_t			 i;

	if (c == NULL)
		return;
	if (strset_add(&ui->marked, c->thread_id) == 0) {
		for (i = 0; i < ui->marked.n; i++) {
			if (strcmp(ui->marked.items[i], c->thread_id) != 0)
				strset_add(&kept, ui->marked.items[i]);
		}
		strset_free(&ui->marked);
		ui->marked = kept;
	}
	ui_list_move(ui->list, 1);
}

/* While writes run, say whether one waits for the database lock. */
static void
ui_watch_lock(void *data)
{
	struct ui	*ui = data;
	int		 waiting;

	waiting = ui->jobs > 0 && store_is_locked(ui->opts->store.data_dir,
	    ui->opts->store.database);
	if (waiting != ui->waiting) {
		ui->waiting = waiting;
		ui->redraw = 1;
	}
	ev_timer_add(ui->loop, 200, ui_watch_lock, ui);
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

/* The selection as a target: marked conversations, else the cursor's. */
static char *
ui_selection_target(struct ui *ui, size_t *count)
{
	const struct store_conv	*c;
	struct buf		 target;
	size_t			 i, k;

	*count = 0;
	buf_init(&target);
	for (i = 0; ui->marked.n > 0 && i < ui_list_count(ui->list); i++) {
		c = ui_list_at(ui->list, i);
		for (k = 0; k < ui->marked.n; k++) {
			if (strcmp(ui->marked.items[k], c->thread_id) == 0) {
				buf_add_printf(&target, "%sthread:%s",
				    *count > 0 ? " or " : "", c->thread_id);
				(*count)++;
			}
		}
	}
	if (*count == 0 && (c = ui_list_selected(ui->list)) != NULL) {
		buf_add_printf(&target, "thread:%s", c->thread_id);
		*count = 1;
	}
	if (*count == 0) {
		buf_free(&target);
		return NULL;
	}
	return buf_steal(&target);
}

/* snooze WHEN: the selection leaves the Inbox until then. */
static int
ui_snooze(struct ui *ui, const char *text, char **cause)
{
	struct ui_undo	 undo;
	char		*target, *what, when_text[64];
	int64_t		 when;
	size_t		 n;
	struct tm	 tm;
	time_t		 t;

	if (util_parse_when(text, util_now(), &when) != 0) {
		*cause = xstrdup("say when: 1h, 4h, tomorrow, next week, 17:30, "
		    "2026-12-01 9:00");
		return -1;
	}
	if ((target = ui_selection_target(ui, &n)) == NULL) {
		*cause = xstrdup("no conversation here");
		return -1;
	}
	t = (time_t)when;
	localtime_r(&t, &tm);
	strftime(when_text, sizeof when_text, "%a %d %b %H:%M", &tm);
	what = xasprintf("snoozed until %s%s", when_text, n > 1 ?
	    " (several conversations)" : "");
	ui_write_kind(ui, UI_WRITE_SNOOZE, when, target, NULL, 0, what);
	/* Undo brings them back. */
	undo.target = target;
	undo.ops = xcalloc(3, sizeof *undo.ops);
	undo.ops[0] = xstrdup("+inbox");
	undo.ops[1] = xstrdup("-ombre/snoozed");
	undo.n_ops = 2;
	undo.what = xasprintf("undo %s", what);
	ui_undo_push(ui, &undo);
	if (ui->in_macro == 0)
		strset_free(&ui->marked);
	free(what);
	return 0;
}

/*
 * View counts, for the sidebar: a child counts every view (total and
 * unread conversations) and prints "INDEX TOTAL UNREAD" lines. They come
 * after the first paint and never delay a key.
 */
struct ui_counts {
	struct store_options	 store;
	struct ui		*ui;
};

static int
ui_counts_child(void *arg)
{
	struct ui_counts	*c = arg;
	const struct view	*views;
	struct store		*st;
	char			*cause, *query;
	long			 total, unread;
	size_t			 n, i;

	if (store_open(&c->store, STORE_READ_ONLY, &st, &cause) != STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	views = view_all(&n);
	for (i = 0; i < n; i++) {
		query = view_expand_query(&views[i]);
		if (store_count_convs(st, query, &total, &unread, &cause) ==
		    STORE_OK)
			printf("%zu %ld %ld\n", i, total, unread);
		else
			free(cause);
		free(query);
		fflush(stdout);
	}
	store_close(st);
	return 0;
}

static void
ui_counts_done(struct job *job, int status, const char *output, void *data)
{
	struct ui_counts	*c = data;
	struct ui		*ui = c->ui;
	const char		*line;
	unsigned long		 i;
	long			 total, unread;

	(void)job;
	(void)status;
	for (line = output; *line != '\0'; line = strchr(line, '\n') + 1) {
		if (sscanf(line, "%lu %ld %ld", &i, &total, &unread) == 3 &&
		    i < ui->n_view_counts) {
			ui->view_total[i] = total;
			ui->view_unread[i] = unread;
		}
		if (strchr(line, '\n') == NULL)
			break;
	}
	free(c);
	ui->counting = 0;
	ui->redraw = 1;
	if (ui->counts_stale)
		ui_counts_start(ui);
}

static void
ui_counts_due(void *data)
{
	struct ui	*ui = data;

	ui->counts_timer = NULL;
	ui_counts_start(ui);
}

/* Count again, unless a count runs or ran less than UI_COUNTS_MS ago. */
static void
ui_counts_start(struct ui *ui)
{
	struct ui_counts	*c;
	const struct view	*views;
	size_t			 n, i;
	int64_t			 wait;

	views = view_all(&n);
	(void)views;
	if (n != ui->n_view_counts) {
		ui->view_total = xreallocarray(ui->view_total, n + 1,
		    sizeof *ui->view_total);
		ui->view_unread = xreallocarray(ui->view_unread, n + 1,
		    sizeof *ui->view_unread);
		for (i = ui->n_view_counts; i < n; i++)
			ui->view_total[i] = ui->view_unread[i] = -1;
		ui->n_view_counts = n;
	}
	ui->counts_stale = 1;
	if (ui->counting || ui->counts_timer != NULL)
		return;
	wait = ui->counts_started + UI_COUNTS_MS - ev_now_ms();
	if (ui->counts_started != 0 && wait > 0) {
		ui->counts_timer = ev_timer_add(ui->loop, wait, ui_counts_due,
		    ui);
		return;
	}
	c = xcalloc(1, sizeof *c);
	c->store = ui->opts->store;
	c->ui = ui;
	if (job_run(ui->loop, ui_counts_child, c, ui_counts_done, c) == NULL) {
		free(c);
		return;
	}
	ui->counting = 1;
	ui->counts_stale = 0;
	ui->counts_started = ev_now_ms();
}

static void
ui_counts_first(void *data)
{
	ui_counts_start(data);
}

/* The sidebar: every view with its unread and total conversations. */
static void
ui_sidebar_draw(struct ui *ui, int rows)
{
	const struct view	*views;
	size_t			 n, i;
	char			 count[32], cell[48];
	int			 r = 0, name_w = UI_SIDEBAR_WIDTH - 12;

	views = view_all(&n);
	for (i = 0; i < n && r < rows; i++, r++) {
		if (i < ui->n_view_counts && ui->view_total[i] >= 0)
			snprintf(count, sizeof count, "%ld/%ld",
			    ui->view_unread[i], ui->view_total[i]);
		else
			snprintf(count, sizeof count, "...");
		snprintf(cell, sizeof cell, "%10s ", count);
		ui_screen_text(r, 0, name_w, strcmp(views[i].name,
		    ui->view_name) == 0 ? UI_ROLE_LIST_CURSOR : UI_ROLE_NORMAL,
		    views[i].name);
		ui_screen_text(r, name_w, 11, i < ui->n_view_counts &&
		    ui->view_unread[i] > 0 ? UI_ROLE_LIST_UNREAD :
		    UI_ROLE_NORMAL, cell);
		ui_screen_text(r, UI_SIDEBAR_WIDTH - 1, 1, UI_ROLE_NORMAL, "|");
	}
	for (; r < rows; r++) {
		ui_screen_text(r, 0, UI_SIDEBAR_WIDTH - 1, UI_ROLE_NORMAL, "");
		ui_screen_text(r, UI_SIDEBAR_WIDTH - 1, 1, UI_ROLE_NORMAL, "|");
	}
}

/* A wake-up: snoozed conversations whose time has come go back. */
static void
ui_wake_done(struct job *job, int status, const char *output, void *data)
{
	struct ui_write	*w = data;

	w->ui->waking = 0;
	ui_write_done(job, status, output, data);
}

static void
ui_wake_now(struct ui *ui)
{
	struct ui_write	*w;

	if (!ui->waking && store_snooze_due_count(ui->store, util_now()) > 0) {
		w = xcalloc(1, sizeof *w);
		w->store = ui->opts->store;
		w->kind = UI_WRITE_WAKE;
		w->target = xstrdup("");
		w->ops = xcalloc(1, sizeof *w->ops);
		w->what = xstrdup("a snoozed conversation is back");
		w->ui = ui;
		if (job_run(ui->loop, ui_write_child, w, ui_wake_done, w) ==
		    NULL)
			ui_write_free(w);
		else {
			ui->jobs++;
			ui->waking = 1;
		}
	}
}

static void
ui_wake_check(void *data)
{
	struct ui	*ui = data;

	ui_wake_now(ui);
	ev_timer_add(ui->loop, UI_WAKE_MS, ui_wake_check, ui);
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
	ui_thread_free(ui->thread);
	ui->thread = NULL;
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
	if (reopen) {
		ui_thread_free(ui->thread);
		ui->thread = NULL;
	}
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
	switch (action) {
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
	char		*ops[8], *text;
	const struct store_conv *c;
	int		 i, n = 0, rc = 0;
	size_t		 t;

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
	} else if (action == UI_LABEL) {
		ops[n++] = xasprintf("+%s", text);
		ui_triage(ui, ops, n, "labelled");
	} else if ((c = ui_list_selected(ui->list)) != NULL) {
		for (t = 0; t < c->n_tags && n < 6; t++) {
			if (strncmp(c->tags[t], "ombre/assigned/", 15) == 0 &&
			    strcmp(c->tags[t] + 15, text) != 0)
				ops[n++] = xasprintf("-%s", c->tags[t]);
		}
		ops[n++] = xasprintf("+ombre/assigned/%s", text);
		ui_triage(ui, ops, n, "assigned");
	}
	for (i = 0; i < n; i++)
		free(ops[i]);
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
		/* Someone may have snoozed something that is due. */
		ui_wake_now(ui);
		ui_counts_start(ui);
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
	/* After the first paint: the counts never delay it. */
	ev_timer_add(ui.loop, 0, ui_counts_first, &ui);
	/* The first paint reads what fills the screen, then the page. */
	ui_screen_size(&rows, &cols);
	ui_load_limit(&ui, rows > 1 ? (size_t)rows - 1 : 1);
	ui_draw(&ui);
	ev_timer_add(ui.loop, 0, ui_load_rest, &ui);
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
	ui_pager_free(ui.pager);
	ui_prompt_free(ui.prompt);
	strset_free(&ui.marked);
	while (ui.n_undo > 0)
		ui_undo_free(&ui.undo[--ui.n_undo]);
	free(ui.undo);
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
