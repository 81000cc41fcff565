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
#include "sync/sync.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * Tag operations on some conversations: one store_tag each; or, with
 * event, one conversation's change recorded as an event (store_events);
 * or, with msgids, message-level operations on the messages the agent saw
 * (store_tag_messages).
 */
struct ui_tag_group {
	char	 *target;	/* "thread:ID or thread:ID..."; event: the ID */
	char	**ops;		/* NULL-terminated */
	char	 *event;	/* closed, take-over, ... or NULL */
	char	**seen;		/* event: the Message-Ids shown, or NULL */
	char	**msgids;	/* message-level: these messages only */
	int64_t	  until;	/* event snoozed: until when */
	int	  remote;	/* done by the central server (a replica) */
};

/* A write handed to a child: tags and events, or the wake-up. */
struct ui_write {
	struct store_options	 store;
	enum {
		UI_WRITE_TAG,
		UI_WRITE_WAKE
	}			 kind;
	struct ui_tag_group	*groups;	/* tag; snooze: the one target */
	size_t			 n_groups;
	char			*what;
	int			 quiet;		/* says only a failure */
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
ui_group_clear(struct ui_tag_group *g)
{
	free(g->target);
	triage_tags_free(g->ops);
	free(g->event);
	triage_tags_free(g->seen);
	triage_tags_free(g->msgids);
}

static void
ui_groups_free(struct ui_tag_group *groups, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		ui_group_clear(&groups[i]);
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
		if (g->event == NULL && g->msgids == NULL &&
		    ui_ops_equal(g->ops, ops)) {
			target = xasprintf("%s or thread:%s", g->target,
			    thread_id);
			free(g->target);
			g->target = target;
			triage_tags_free(ops);
			return;
		}
	}
	*groups = xreallocarray(*groups, *n + 1, sizeof **groups);
	memset(&(*groups)[*n], 0, sizeof **groups);
	(*groups)[*n].target = xasprintf("thread:%s", thread_id);
	(*groups)[*n].ops = ops;
	(*n)++;
}

/* Add one conversation's change as an event (ops taken over). */
static void
ui_groups_add_event(struct ui_tag_group **groups, size_t *n,
    const char *thread_id, const char *event, char **ops, char *const *seen)
{
	struct ui_tag_group	*g;

	*groups = xreallocarray(*groups, *n + 1, sizeof **groups);
	g = &(*groups)[(*n)++];
	memset(g, 0, sizeof *g);
	g->target = xstrdup(thread_id);
	g->ops = ops;
	g->event = xstrdup(event);
	g->seen = triage_tags_copy(seen);
}

/* Add message-level operations (taken over) on some messages. */
static void
ui_groups_add_messages(struct ui_tag_group **groups, size_t *n,
    char *const *msgids, char **ops)
{
	struct ui_tag_group	*g;

	*groups = xreallocarray(*groups, *n + 1, sizeof **groups);
	g = &(*groups)[(*n)++];
	memset(g, 0, sizeof *g);
	g->target = xstrdup("");
	g->ops = ops;
	g->msgids = triage_tags_copy(msgids);
}

static int
ui_ops_count(char *const *ops)
{
	int	n;

	for (n = 0; ops[n] != NULL; n++)
		;
	return n;
}

/* Write the groups: the events of a change in one transaction, then the
 * plain operations. */
static enum store_status
ui_write_groups(struct store *st, struct ui_tag_group *groups, size_t n,
    char **cause)
{
	struct store_event	*evs;
	enum store_status	 rc = STORE_OK;
	long			 changed;
	size_t			 i, n_evs = 0;

	evs = xcalloc(n + 1, sizeof *evs);
	for (i = 0; i < n; i++) {
		if (groups[i].event == NULL || groups[i].remote)
			continue;
		evs[n_evs].thread_id = groups[i].target;
		evs[n_evs].type = groups[i].event;
		evs[n_evs].ops = groups[i].ops;
		evs[n_evs].seen = groups[i].seen;
		evs[n_evs].until = groups[i].until;
		n_evs++;
	}
	if (n_evs > 0)
		rc = store_events(st, evs, n_evs, cause);
	free(evs);
	for (i = 0; i < n && rc == STORE_OK; i++) {
		if (groups[i].event != NULL)
			continue;
		if (groups[i].msgids != NULL) {
			for (n_evs = 0; groups[i].msgids[n_evs] != NULL; n_evs++)
				;
			rc = store_tag_messages(st, groups[i].msgids, n_evs,
			    groups[i].ops, &changed, cause);
		} else
			rc = store_tag(st, groups[i].target, groups[i].ops,
			    ui_ops_count(groups[i].ops), &changed, cause);
	}
	return rc;
}

/*
 * On a replica, who takes a conversation is decided on the central
 * server (its compare-and-set): a take-over or an assignment runs there,
 * the rest of the groups here (the replication engine carries them).
 * Return 0, or the exit status to give with what the server said.
 */
static int
ui_write_remote(struct ui_write *w)
{
	struct buf	 out, err;
	const char	*who, *command;
	const char	*args[2] = { NULL, NULL };
	char		*conv;
	size_t		 i, j;
	int		 rc;

	for (i = 0; i < w->n_groups; i++) {
		if (w->groups[i].event == NULL ||
		    (strcmp(w->groups[i].event, "take-over") != 0 &&
		    strcmp(w->groups[i].event, "assigned") != 0))
			continue;
		who = NULL;
		for (j = 0; w->groups[i].ops[j] != NULL; j++) {
			if (w->groups[i].ops[j][0] == '+' &&
			    triage_tag_assignee(w->groups[i].ops[j] + 1) != NULL)
				who = triage_tag_assignee(w->groups[i].ops[j] +
				    1);
		}
		command = strcmp(w->groups[i].event, "take-over") == 0 ?
		    "take-over" : "assign";
		args[0] = strcmp(command, "assign") == 0 ? who : NULL;
		if (strcmp(command, "assign") == 0 && who == NULL)
			continue;
		buf_init(&out);
		buf_init(&err);
		conv = xasprintf("thread:%s", w->groups[i].target);
		rc = sync_authority_run(&w->store, command, conv, args, NULL,
		    NULL, 0, &out, &err);
		free(conv);
		if (rc == SYNC_AUTHORITY_UNREACHABLE)
			fprintf(stderr, _("the central server could not be "
			    "reached (store.authority)\n"));
		else if (rc != 0)
			fputs(err.len > 0 ? err.data : _("refused by the "
			    "central server\n"), stderr);
		buf_free(&out);
		buf_free(&err);
		if (rc != 0)
			return rc == SYNC_AUTHORITY_UNREACHABLE ? 1 : rc;
		/* Done there: not again here. */
		w->groups[i].remote = 1;
	}
	return 0;
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
	char			*cause = NULL;
	long			 changed;
	int			 status;

	if (w->kind == UI_WRITE_TAG && authority_active() &&
	    (status = ui_write_remote(w)) != 0)
		return status;
	rc = store_open(&w->store, STORE_READ_WRITE, &st, &cause);
	if (rc != STORE_OK)
		return ui_child_exit(NULL, rc, cause);
	if (w->kind == UI_WRITE_WAKE)
		rc = store_wake(st, util_now(), &changed, &cause);
	if (w->kind == UI_WRITE_TAG && rc == STORE_OK)
		rc = ui_write_groups(st, w->groups, w->n_groups, &cause);
	return ui_child_exit(st, rc, cause);
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
	if (status == 0) {
		if (!w->quiet)
			ui_set_message(ui, 0, "%s", w->what);
	} else {
		lead = xasprintf(_("%s failed"), w->what);
		ui_job_failed(ui, lead, output,
		    _("the database could not be written"));
		free(lead);
	}
	ui_write_free(w);
	/* Show the result now rather than at the next revision check. */
	ui_refresh(ui);
}

/* Hand a write to a child job; it takes the groups over. */
static struct ui_write *
ui_write_kind(struct ui *ui, int kind,
    struct ui_tag_group *groups, size_t n_groups, const char *what)
{
	struct ui_write	*w;

	w = xcalloc(1, sizeof *w);
	w->store = ui->opts->store;
	w->kind = kind;
	w->groups = groups;
	w->n_groups = n_groups;
	w->what = xstrdup(what);
	w->ui = ui;
	if (job_run(ui->loop, ui_write_child, w, ui_write_done, w) == NULL) {
		ui_set_message(ui, 1, _("%s failed: cannot start a process"),
		    what);
		ui_write_free(w);
		return NULL;
	}
	ui->jobs++;
	return w;
}

/*
 * Opening a conversation reads what it shows: its unread messages as
 * the list loaded them (a message that came since stays unread), in a
 * child like every write; nothing to undo (u marks it unread again), and
 * nothing said unless it fails.
 */
void
ui_mark_read_shown(struct ui *ui, char *const *msgids)
{
	struct ui_tag_group	*groups = NULL;
	struct ui_write		*w;
	size_t			 n_groups = 0;
	char			**ops;

	ops = xcalloc(2, sizeof *ops);
	ops[0] = xstrdup("-unread");
	ui_groups_add_messages(&groups, &n_groups, msgids, ops);
	/* The child has its copy: quiet is read only when it is done. */
	if ((w = ui_write_kind(ui, UI_WRITE_TAG, groups, n_groups,
	    _("marking read"))) != NULL)
		w->quiet = 1;
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
	ui_write_kind(data, UI_WRITE_TAG, g, 1, _("tagged"));
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
		if (groups[i].ops[0] == NULL)
			ui_group_clear(&groups[i]);
		else
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
	u->what = xasprintf(_("undo %s"), what);
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
 * Add one conversation's change (ops, taken over) and what undoes it to
 * the groups. An action that is an event (closing, a change of mode or
 * assignee) is recorded as one in the conversation, naming the messages
 * shown (a customer message that came since keeps it open); reading
 * touches only the unread messages shown; the rest are plain operations.
 */
static void
ui_triage_add(struct ui_tag_group **groups, size_t *n_groups,
    struct ui_tag_group **undo, size_t *n_undo, enum triage_action action,
    const struct store_conv *c, char **ops)
{
	const char	*event = triage_action_event(action);
	char		**back;

	back = triage_undo_ops(ops, c->tags, c->n_tags);
	if (event != NULL) {
		ui_groups_add_event(undo, n_undo, c->thread_id,
		    action == TRIAGE_DONE || action == TRIAGE_SNOOZE ?
		    "reopened" : "undo", back, NULL);
		ui_groups_add_event(groups, n_groups, c->thread_id, event, ops,
		    c->msg_ids);
	} else if (action == TRIAGE_READ || action == TRIAGE_UNREAD) {
		/* Read: the unread messages shown; unread: the newest. */
		if (action == TRIAGE_READ && c->unread_ids != NULL &&
		    c->unread_ids[0] != NULL) {
			ui_groups_add_messages(undo, n_undo, c->unread_ids, back);
			ui_groups_add_messages(groups, n_groups, c->unread_ids,
			    ops);
		} else if (action == TRIAGE_UNREAD && c->msg_ids != NULL &&
		    c->total > 0 && c->unread == 0) {
			char *newest[2] = { c->msg_ids[c->total - 1], NULL };

			ui_groups_add_messages(undo, n_undo, newest, back);
			ui_groups_add_messages(groups, n_groups, newest, ops);
		} else {
			triage_tags_free(back);
			triage_tags_free(ops);
		}
	} else {
		ui_groups_add(undo, n_undo, c->thread_id, back);
		ui_groups_add(groups, n_groups, c->thread_id, ops);
	}
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
		ui_set_message(ui, 1, _("no conversation to %s"), what);
		return;
	}
	for (i = 0; i < n; i++) {
		c = convs[i];
		basis = c;
		if (action == TRIAGE_CYCLE_PRIORITY &&
		    ui_list_selected(ui->list) != NULL)
			basis = ui_list_selected(ui->list);
		ops = triage_ops(action, arg, basis->tags, basis->n_tags);
		ui_triage_add(&groups, &n_groups, &undo, &n_undo, action, c,
		    ops);
	}
	label = n == 1 ? xstrdup(what) : xasprintf(ngettext("%s (%zu "
	    "conversation)", "%s (%zu conversations)", n), what, n);
	ui_write_kind(ui, UI_WRITE_TAG, groups, n_groups, label);
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
		ui_set_message(ui, 0, _("nothing to undo"));
		return;
	}
	u = &ui_undo[--ui_n_undo];
	ui_write_kind(ui, UI_WRITE_TAG, u->groups, u->n_groups, u->what);
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
	struct ui_tag_group	 *groups = NULL, *undo = NULL;
	char			 *what, when_text[64], **ops;
	int64_t			  when;
	size_t			  n, i, n_groups = 0, n_undo = 0;
	struct tm		  tm;
	time_t			  t;

	if (util_parse_when(text, util_now(), &when) != 0) {
		*cause = xstrdup(_("say when: 1h, 4h, tomorrow, next week, "
		    "17:30, 2026-12-01 9:00"));
		return -1;
	}
	convs = ui_selection(ui, &n);
	if (n == 0 && (c = ui_list_selected(ui->list)) != NULL)
		convs[n++] = c;
	if (n == 0) {
		free(convs);
		*cause = xstrdup(_("no conversation here"));
		return -1;
	}
	for (i = 0; i < n; i++) {
		ops = triage_ops(TRIAGE_SNOOZE, NULL, convs[i]->tags,
		    convs[i]->n_tags);
		ui_triage_add(&groups, &n_groups, &undo, &n_undo, TRIAGE_SNOOZE,
		    convs[i], ops);
		groups[n_groups - 1].until = when;
	}
	t = (time_t)when;
	localtime_r(&t, &tm);
	strftime(when_text, sizeof when_text, "%a %d %b %H:%M", &tm);
	what = xasprintf(_("snoozed until %s%s"), when_text, n > 1 ?
	    _(" (several conversations)") : "");
	ui_write_kind(ui, UI_WRITE_TAG, groups, n_groups, what);
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
		w->what = xstrdup(_("a snoozed conversation is back"));
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
