/*
 * ui-triage.c: what the console changes, always through a short child
 * process (the screen never waits for the database): triage on the marked
 * set or the conversation under the cursor, undo, snooze and the wake-up
 * of snoozed conversations.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
	if (status == JOB_CANCELLED) {
		ui_write_free(w);
		return;
	}
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

void
ui_write(struct ui *ui, const char *target, char **ops, int n_ops,
    const char *what)
{
	ui_write_kind(ui, UI_WRITE_TAG, 0, target, ops, n_ops, what);
}

/* `tag` from a key binding: the write goes to a child like the others. */
int
ui_host_tag(void *data, const char *target, char **ops, int n_ops,
    char **cause)
{
	(void)cause;
	ui_write(data, target, ops, n_ops, "tagged");
	return 0;
}

void
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
 * The conversations an action applies to: the marked ones in the list,
 * else the one under the cursor. An array of *n (allocated, room for one
 * more); the conversations are the list's.
 */
static const struct store_conv **
ui_selection(struct ui *ui, size_t *n)
{
	const struct store_conv	**convs, *c;
	size_t			  i;

	*n = 0;
	convs = xcalloc(ui_list_count(ui->list) + 1, sizeof *convs);
	if (ui->marked.n > 0) {
		for (i = 0; i < ui_list_count(ui->list); i++) {
			c = ui_list_at(ui->list, i);
			if (strset_has(&ui->marked, c->thread_id))
				convs[(*n)++] = c;
		}
	} else if ((c = ui_list_selected(ui->list)) != NULL)
		convs[(*n)++] = c;
	return convs;
}

/*
 * Apply tag operations to the marked set (or the conversation under the
 * cursor), remembering for each conversation the operations that undo
 * what actually changed.
 */
void
ui_triage(struct ui *ui, char **ops, int n_ops, const char *what)
{
	const struct store_conv	**convs;
	struct ui_undo		  undo;
	struct buf		  target;
	struct strset		  inverse = { NULL, 0, NULL, 0 };
	size_t			  n, i;
	int			  j, has;
	char			 *label, *op;

	convs = ui_selection(ui, &n);
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
			has = store_conv_has_tag(convs[i], ops[j] + 1);
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

void
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
void
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
		if (store_conv_has_tag(c, "ombre/prio/high")) {
			ops[n++] = xstrdup("-ombre/prio/high");
			ops[n++] = xstrdup("+ombre/prio/low");
			ui_triage(ui, ops, n, "priority low");
		} else if (store_conv_has_tag(c, "ombre/prio/low")) {
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
void
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
void
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

/* The selection as a target: marked conversations, else the cursor's
 * (also when none of the marked is in the list any more). */
static char *
ui_selection_target(struct ui *ui, size_t *count)
{
	const struct store_conv	**convs, *c;
	struct buf		  target;
	size_t			  i;

	convs = ui_selection(ui, count);
	if (*count == 0 && (c = ui_list_selected(ui->list)) != NULL) {
		convs[0] = c;
		*count = 1;
	}
	if (*count == 0) {
		free(convs);
		return NULL;
	}
	buf_init(&target);
	for (i = 0; i < *count; i++)
		buf_add_printf(&target, "%sthread:%s", i > 0 ? " or " : "",
		    convs[i]->thread_id);
	free(convs);
	return buf_steal(&target);
}

/* snooze WHEN: the selection leaves the Inbox until then. */
int
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

/* A wake-up: snoozed conversations whose time has come go back. */
static void
ui_wake_done(struct job *job, int status, const char *output, void *data)
{
	struct ui_write	*w = data;

	w->ui->waking = 0;
	ui_write_done(job, status, output, data);
}

void
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

void
ui_wake_check(void *data)
{
	struct ui	*ui = data;

	ui_wake_now(ui);
	ev_timer_add(ui->loop, UI_WAKE_MS, ui_wake_check, ui);
}
