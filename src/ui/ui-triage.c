/*
 * ui-triage.c: what the console changes, always through a short child
 * process (the screen never waits for the database): triage on the marked
 * set or the conversation under the cursor, each conversation changed as
 * core's policy says from its own tags; undo, snooze and the wake-up of
 * snoozed conversations.
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

/* Tag operations on some conversations: one store_tag each. */
struct ui_tag_group {
	char	 *target;	/* "thread:ID or thread:ID..." */
	char	**ops;		/* NULL-terminated */
};

/* A write handed to a child: tags, a snooze or the wake-up. */
struct ui_write {
	struct store_options	 store;
	enum {
		UI_WRITE_TAG,
		UI_WRITE_SNOOZE,
		UI_WRITE_WAKE
	}			 kind;
	int64_t			 until;		/* snooze */
	struct ui_tag_group	*groups;	/* tag; snooze: the one target */
	size_t			 n_groups;
	char			*what;
	struct ui		*ui;
};

/* A triage action as it can be undone: for each conversation, the
 * operations that put its own tags back. */
struct ui_undo {
	struct ui_tag_group	*groups;
	size_t			 n_groups;
	char			*what;
};
#define UI_UNDO_MAX	50

/* What this console wrote and may undo, oldest first; whether a wake-up
 * runs. */
static struct ui_undo	*ui_undo;
static size_t		 ui_n_undo;
static int		 ui_waking;

static void
ui_groups_free(struct ui_tag_group *groups, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(groups[i].target);
		triage_tags_free(groups[i].ops);
	}
	free(groups);
}

static int
ui_ops_equal(char *const *a, char *const *b)
{
	for (; *a != NULL && *b != NULL; a++, b++) {
		if (strcmp(*a, *b) != 0)
			return 0;
	}
	return *a == NULL && *b == NULL;
}

/*
 * Add a conversation with its operations (taken over) to the group with
 * the same operations, or to a new one: conversations in the same state
 * change in one transaction.
 */
static void
ui_groups_add(struct ui_tag_group **groups, size_t *n, const char *thread_id,
    char **ops)
{
	struct ui_tag_group	*g;
	char			*target;
	size_t			 i;

	for (i = 0; i < *n; i++) {
		g = &(*groups)[i];
		if (ui_ops_equal(g->ops, ops)) {
			target = xasprintf("%s or thread:%s", g->target,
			    thread_id);
			free(g->target);
			g->target = target;
			triage_tags_free(ops);
			return;
		}
	}
	*groups = xreallocarray(*groups, *n + 1, sizeof **groups);
	(*groups)[*n].target = xasprintf("thread:%s", thread_id);
	(*groups)[*n].ops = ops;
	(*n)++;
}

static int
ui_ops_count(char *const *ops)
{
	int	n;

	for (n = 0; ops[n] != NULL; n++)
		;
	return n;
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
	size_t			 i;

	rc = store_open(&w->store, STORE_READ_WRITE, &st, &cause);
	if (rc == STORE_OK) {
		if (w->kind == UI_WRITE_SNOOZE)
			rc = store_snooze(st, w->groups[0].target, w->until,
			    &changed, &cause);
		else if (w->kind == UI_WRITE_WAKE)
			rc = store_wake(st, util_now(), &changed, &cause);
		for (i = 0; w->kind == UI_WRITE_TAG && i < w->n_groups &&
		    rc == STORE_OK; i++)
			rc = store_tag(st, w->groups[i].target, w->groups[i].ops,
			    ui_ops_count(w->groups[i].ops), &changed, &cause);
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
	ui_groups_free(w->groups, w->n_groups);
	free(w->what);
	free(w);
}

static void
ui_write_done(struct job *job, int status, const char *output, void *data)
{
	struct ui_write	*w = data;
	struct ui	*ui = w->ui;
	char		*lead;

	(void)job;
	ui->jobs--;
	if (status == JOB_CANCELLED) {
		ui_write_free(w);
		return;
	}
	if (status == 0)
		ui_set_message(ui, 0, "%s", w->what);
	else {
		lead = xasprintf("%s failed", w->what);
		ui_job_failed(ui, lead, output,
		    "the database could not be written");
		free(lead);
	}
	ui_write_free(w);
	/* Show the result now rather than at the next revision check. */
	if (store_refresh(ui->store) == 1)
		ui_load(ui);
}

/* Hand a write to a child job; it takes the groups over. */
static void
ui_write_kind(struct ui *ui, int kind, int64_t until,
    struct ui_tag_group *groups, size_t n_groups, const char *what)
{
	struct ui_write	*w;

	w = xcalloc(1, sizeof *w);
	w->store = ui->opts->store;
	w->kind = kind;
	w->until = until;
	w->groups = groups;
	w->n_groups = n_groups;
	w->what = xstrdup(what);
	w->ui = ui;
	if (job_run(ui->loop, ui_write_child, w, ui_write_done, w) == NULL) {
		ui_set_message(ui, 1, "%s failed: cannot start a process", what);
		ui_write_free(w);
		return;
	}
	ui->jobs++;
}

/* `tag` from a key binding: the write goes to a child like the others. */
int
ui_host_tag(void *data, const char *target, char **ops, int n_ops,
    char **cause)
{
	struct ui_tag_group	*g;
	int			 i;

	(void)cause;
	g = xcalloc(1, sizeof *g);
	g->target = xstrdup(target);
	g->ops = xcalloc((size_t)n_ops + 1, sizeof *g->ops);
	for (i = 0; i < n_ops; i++)
		g->ops[i] = xstrdup(ops[i]);
	ui_write_kind(data, UI_WRITE_TAG, 0, g, 1, "tagged");
	return 0;
}

/* Remember what undoes an action (groups taken over; those with nothing
 * to undo are dropped), forgetting the oldest. */
static void
ui_undo_push(struct ui_tag_group *groups, size_t n_groups, const char *what)
{
	struct ui_undo	*u;
	size_t		 i, kept = 0;

	for (i = 0; i < n_groups; i++) {
		if (groups[i].ops[0] == NULL) {
			free(groups[i].target);
			triage_tags_free(groups[i].ops);
		} else
			groups[kept++] = groups[i];
	}
	if (kept == 0) {
		free(groups);
		return;
	}
	if (ui_n_undo == UI_UNDO_MAX) {
		ui_groups_free(ui_undo[0].groups, ui_undo[0].n_groups);
		free(ui_undo[0].what);
		memmove(ui_undo, ui_undo + 1,
		    (UI_UNDO_MAX - 1) * sizeof *ui_undo);
		ui_n_undo--;
	}
	ui_undo = xreallocarray(ui_undo, ui_n_undo + 1, sizeof *ui_undo);
	u = &ui_undo[ui_n_undo++];
	u->groups = groups;
	u->n_groups = kept;
	u->what = xasprintf("undo %s", what);
}

void
ui_undo_free_all(void)
{
	while (ui_n_undo > 0) {
		ui_n_undo--;
		ui_groups_free(ui_undo[ui_n_undo].groups,
		    ui_undo[ui_n_undo].n_groups);
		free(ui_undo[ui_n_undo].what);
	}
	free(ui_undo);
	ui_undo = NULL;
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
 * Apply a triage action to the marked set (or the conversation under the
 * cursor): each conversation gets the operations its own tags call for
 * (core's policy), and undo puts back what changed on each. The step of
 * cycle-priority is the cursor's, for the whole selection.
 */
void
ui_triage(struct ui *ui, enum triage_action action, const char *arg,
    const char *what)
{
	const struct store_conv	**convs, *c, *basis;
	struct ui_tag_group	 *groups = NULL, *undo = NULL;
	size_t			  n, i, n_groups = 0, n_undo = 0;
	char			**ops, *label;

	convs = ui_selection(ui, &n);
	if (n == 0) {
		free(convs);
		ui_set_message(ui, 1, "no conversation to %s", what);
		return;
	}
	for (i = 0; i < n; i++) {
		c = convs[i];
		basis = c;
		if (action == TRIAGE_CYCLE_PRIORITY &&
		    ui_list_selected(ui->list) != NULL)
			basis = ui_list_selected(ui->list);
		ops = triage_ops(action, arg, basis->tags, basis->n_tags);
		ui_groups_add(&undo, &n_undo, c->thread_id,
		    triage_undo_ops(ops, c->tags, c->n_tags));
		ui_groups_add(&groups, &n_groups, c->thread_id, ops);
	}
	label = n == 1 ? xstrdup(what) : xasprintf("%s (%zu conversations)",
	    what, n);
	ui_write_kind(ui, UI_WRITE_TAG, 0, groups, n_groups, label);
	ui_undo_push(undo, n_undo, label);
	if (ui->ctx.macro_depth == 0)	/* a macro acts on the whole set */
		strset_free(&ui->marked);
	free(label);
	free(convs);
}

void
ui_undo_last(struct ui *ui)
{
	struct ui_undo	*u;

	if (ui_n_undo == 0) {
		ui_set_message(ui, 0, "nothing to undo");
		return;
	}
	u = &ui_undo[--ui_n_undo];
	ui_write_kind(ui, UI_WRITE_TAG, 0, u->groups, u->n_groups, u->what);
	free(u->what);
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
		ui->react |= UI_REDRAW;
	}
	ev_timer_add(ui->loop, 200, ui_watch_lock, ui);
}

/* snooze WHEN: the selection (the marked conversations, else the
 * cursor's, also when none of the marked is in the list any more) leaves
 * the Inbox until then. */
int
ui_snooze(struct ui *ui, const char *text, char **cause)
{
	const struct store_conv	**convs, *c;
	struct ui_tag_group	 *target, *undo = NULL;
	struct buf		  b;
	char			 *what, when_text[64], **ops;
	int64_t			  when;
	size_t			  n, i, n_undo = 0;
	struct tm		  tm;
	time_t			  t;

	if (util_parse_when(text, util_now(), &when) != 0) {
		*cause = xstrdup("say when: 1h, 4h, tomorrow, next week, 17:30, "
		    "2026-12-01 9:00");
		return -1;
	}
	convs = ui_selection(ui, &n);
	if (n == 0 && (c = ui_list_selected(ui->list)) != NULL)
		convs[n++] = c;
	if (n == 0) {
		free(convs);
		*cause = xstrdup("no conversation here");
		return -1;
	}
	buf_init(&b);
	for (i = 0; i < n; i++) {
		ops = triage_ops(TRIAGE_SNOOZE, NULL, convs[i]->tags,
		    convs[i]->n_tags);
		ui_groups_add(&undo, &n_undo, convs[i]->thread_id,
		    triage_undo_ops(ops, convs[i]->tags, convs[i]->n_tags));
		triage_tags_free(ops);
		buf_add_printf(&b, "%sthread:%s", i > 0 ? " or " : "",
		    convs[i]->thread_id);
	}
	/* The store snoozes (tags and time) in one go: no operations. */
	target = xcalloc(1, sizeof *target);
	target->target = buf_steal(&b);
	target->ops = xcalloc(1, sizeof *target->ops);
	t = (time_t)when;
	localtime_r(&t, &tm);
	strftime(when_text, sizeof when_text, "%a %d %b %H:%M", &tm);
	what = xasprintf("snoozed until %s%s", when_text, n > 1 ?
	    " (several conversations)" : "");
	ui_write_kind(ui, UI_WRITE_SNOOZE, when, target, 1, what);
	ui_undo_push(undo, n_undo, what);
	if (ui->ctx.macro_depth == 0)
		strset_free(&ui->marked);
	free(what);
	free(convs);
	return 0;
}

/* A wake-up: snoozed conversations whose time has come go back. */
static void
ui_wake_done(struct job *job, int status, const char *output, void *data)
{
	ui_waking = 0;
	ui_write_done(job, status, output, data);
}

void
ui_wake_now(struct ui *ui)
{
	struct ui_write	*w;

	if (!ui_waking && store_snooze_due_count(ui->store, util_now()) > 0) {
		w = xcalloc(1, sizeof *w);
		w->store = ui->opts->store;
		w->kind = UI_WRITE_WAKE;
		w->what = xstrdup("a snoozed conversation is back");
		w->ui = ui;
		if (job_run(ui->loop, ui_write_child, w, ui_wake_done, w) ==
		    NULL)
			ui_write_free(w);
		else {
			ui->jobs++;
			ui_waking = 1;
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
