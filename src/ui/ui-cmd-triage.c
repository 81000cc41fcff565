/*
 * ui-cmd-triage.c: the console's triage commands. What each does to a
 * conversation is core's policy (core/triage.c); they pick the action and
 * the words the status line says, and ui-triage.c writes it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"
#include "sync/sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	ui_cmd_assign_exec(void *, int, char **, char **);
static int	ui_cmd_claim_exec(void *, int, char **, char **);
static int	ui_cmd_assign_me_exec(void *, int, char **, char **);
static int	ui_cmd_cycle_priority_exec(void *, int, char **, char **);
static int	ui_cmd_done_exec(void *, int, char **, char **);
static int	ui_cmd_hand_back_exec(void *, int, char **, char **);
static int	ui_cmd_label_exec(void *, int, char **, char **);
static int	ui_cmd_mark_exec(void *, int, char **, char **);
static int	ui_cmd_snooze_exec(void *, int, char **, char **);
static int	ui_cmd_take_over_exec(void *, int, char **, char **);
static int	ui_cmd_toggle_unread_exec(void *, int, char **, char **);
static int	ui_cmd_undo_exec(void *, int, char **, char **);

const struct cmd_entry ui_cmd_triage_entries[] = {
	{ .name = "assign",
	  .args_min = 1,
	  .args_max = 1,
	  .usage = N_("assign NAME"),
	  .help = N_("console: assign the selection to an agent or a team "
	      "(team:NAME)"),
	  .host_exec = ui_cmd_assign_exec },
	{ .name = "claim",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "claim",
	  .help = N_("console: take the conversation if nobody has it, else "
	      "say who took it"),
	  .host_exec = ui_cmd_claim_exec },
	{ .name = "assign-me",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "assign-me",
	  .help = N_("console: assign the selection to me"),
	  .host_exec = ui_cmd_assign_me_exec },
	{ .name = "cycle-priority",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "cycle-priority",
	  .help = N_("console: priority high, low, normal in turn"),
	  .host_exec = ui_cmd_cycle_priority_exec },
	{ .name = "done",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "done",
	  .help = N_("console: close the selection (-inbox +ombre/done)"),
	  .host_exec = ui_cmd_done_exec },
	{ .name = "hand-back",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "hand-back",
	  .help = N_("console: hand the selection back to the bot"),
	  .host_exec = ui_cmd_hand_back_exec },
	{ .name = "label",
	  .args_min = 1,
	  .args_max = 1,
	  .usage = N_("label NAME"),
	  .help = N_("console: put a label (a tag) on the selection"),
	  .host_exec = ui_cmd_label_exec },
	{ .name = "mark",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "mark",
	  .help = N_("console: mark or unmark the conversation, move on"),
	  .host_exec = ui_cmd_mark_exec },
	{ .name = "snooze",
	  .args_min = 1,
	  .args_max = -1,
	  .usage = N_("snooze WHEN..."),
	  .help = N_("console: out of the Inbox until WHEN (4h, tomorrow, next week, 17:30)"),
	  .host_exec = ui_cmd_snooze_exec },
	{ .name = "take-over",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "take-over",
	  .help = N_("console: take the selection over from the bot"),
	  .host_exec = ui_cmd_take_over_exec },
	{ .name = "toggle-unread",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "toggle-unread",
	  .help = N_("console: mark read, or unread again"),
	  .host_exec = ui_cmd_toggle_unread_exec },
	{ .name = "undo",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "undo",
	  .help = N_("console: undo the last triage action"),
	  .host_exec = ui_cmd_undo_exec },
	{ .name = NULL }
};

/*
 * A triage key on the selection; the conversation under the cursor says
 * which way a toggle goes. Return what the screen must do.
 */
static int
ui_cmd_triage(struct ui *ui, enum triage_action action, const char *what)
{
	const struct store_conv	*c = ui_list_selected(ui->list);
	char			*text;

	if (ui->pager != NULL)
		return ui_cmd_screen_in_help(ui);
	if (c == NULL) {
		ui_set_message(ui, 1, _("no conversation here"));
		return UI_REDRAW;
	}
	switch (action) {
	case TRIAGE_READ:
	case TRIAGE_UNREAD:
		if (c->unread > 0)
			ui_triage(ui, TRIAGE_READ, NULL, _("marked read"));
		else
			ui_triage(ui, TRIAGE_UNREAD, NULL, _("marked unread"));
		break;
	case TRIAGE_CYCLE_PRIORITY:
		text = xasprintf(_("priority %s"),
		    triage_priority_next(c->tags, c->n_tags));
		ui_triage(ui, action, NULL, text);
		free(text);
		break;
	case TRIAGE_ASSIGN:
	case TRIAGE_TAKE_OVER:
		ui_triage(ui, action, core_agent_name(), what);
		break;
	default:
		ui_triage(ui, action, NULL, what);
		break;
	}
	return UI_REDRAW;
}

static int
ui_cmd_done_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_triage(data, TRIAGE_DONE, _("done"));
}

static int
ui_cmd_toggle_unread_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_triage(data, TRIAGE_READ, NULL);
}

static int
ui_cmd_cycle_priority_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_triage(data, TRIAGE_CYCLE_PRIORITY, NULL);
}

static int
ui_cmd_assign_me_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_triage(data, TRIAGE_ASSIGN, _("assigned to you"));
}

static int
ui_cmd_take_over_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_triage(data, TRIAGE_TAKE_OVER,
	    _("taken over from the bot"));
}

static int
ui_cmd_hand_back_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_triage(data, TRIAGE_HAND_BACK,
	    _("handed back to the bot"));
}

/* A label or an agent's name: one tag name, no space. */
static int
ui_cmd_name_valid(const char *name, const char *what, char **cause)
{
	if (tag_valid(name) && strchr(name, ' ') == NULL)
		return 1;
	*cause = xasprintf(_("not %s (letters, digits, . _ - /)"), what);
	return 0;
}

static int
ui_cmd_label_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	if (!ui_cmd_name_valid(argv[1], _("a label name"), cause))
		return -1;
	ui_triage(data, TRIAGE_LABEL, argv[1], _("labelled"));
	return UI_REDRAW;
}

char **
ui_known_targets(struct ui *ui)
{
	char	**seen = NULL, **known, *why = NULL;
	size_t	  n_seen = 0;

	if (ui->store == NULL || store_assignees(ui->store, &seen, &n_seen,
	    &why) != STORE_OK) {
		free(why);
		seen = NULL;
		n_seen = 0;
	}
	known = team_known_targets(seen, n_seen);
	triage_tags_free(seen);
	return known;
}

/* assign NAME: a known agent, or a team (team:NAME); a typo is refused
 * with the names known (team.c). */
static int
ui_cmd_assign_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui	*ui = data;
	char		**seen = NULL, *agent = NULL, *team = NULL, *why = NULL;
	size_t		  n_seen = 0;
	int		  rc;

	(void)argc;
	if (strncmp(argv[1], "team:", 5) != 0 &&
	    !ui_cmd_name_valid(argv[1], _("an agent name"), cause))
		return -1;
	if (ui->store != NULL && store_assignees(ui->store, &seen, &n_seen,
	    &why) != STORE_OK) {
		free(why);
		seen = NULL;
		n_seen = 0;
	}
	rc = team_target(argv[1], seen, n_seen, &agent, &team, cause);
	triage_tags_free(seen);
	if (rc != 0)
		return -1;
	if (ui_list_selected(ui->list) != NULL) {
		if (team != NULL) {
			char *what = xasprintf(_("assigned to team %s"), team);

			ui_triage(ui, TRIAGE_ASSIGN_TEAM, team, what);
			free(what);
		} else
			ui_triage(ui, TRIAGE_ASSIGN, agent, _("assigned"));
	}
	free(agent);
	free(team);
	return UI_REDRAW;
}

/* A claim in a child: compare-and-set under the database's write lock,
 * in a batch with the other claims of the moment (store_claim_queued), as
 * `ombre claim` does. */
struct ui_claim {
	struct ui		*ui;
	struct store_options	 store;
	char			*thread_id;
	char			*agent;
};

static int
ui_claim_child(void *arg)
{
	struct ui_claim		*cl = arg;
	struct store		*st;
	struct store_claim	 claim;
	enum store_status	 rc;
	char			*cause = NULL;
	int64_t			 ago;

	/* On a replica the compare-and-set is the central server's: its
	 * answer (its exit status and line) is ours. */
	if (authority_active()) {
		struct buf	out, err;
		int		status;

		buf_init(&out);
		buf_init(&err);
		/* not translated: a query */
		cause = xasprintf("thread:%s", cl->thread_id);
		status = sync_authority_run(&cl->store, "claim", cause, NULL,
		    cl->agent, NULL, 0, &out, &err);
		free(cause);
		if (status == SYNC_AUTHORITY_UNREACHABLE) {
			fprintf(stderr, _("the central server could not be "
			    "reached (store.authority)\n"));
			status = 3;
		} else if (status == 0 || status == 1)
			fputs(out.len > 0 ? out.data : err.data, stdout);
		else
			fputs(err.data, stderr);
		fflush(stdout);
		buf_free(&out);
		buf_free(&err);
		return status;
	}
	memset(&claim, 0, sizeof claim);
	rc = store_open(&cl->store, STORE_READ_ONLY, &st, &cause);
	if (rc == STORE_OK) {
		rc = store_claim_queued(st, cl->thread_id, cl->agent, &claim,
		    &cause);
		if (store_close(st) != STORE_OK && rc == STORE_OK) {
			cause = xstrdup(_("closing the database failed"));
			rc = STORE_DB_ERROR;
		}
	}
	if (rc != STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		return rc == STORE_LOCKED ? 75 : 3;
	}
	if (claim.outcome == STORE_CLAIM_CLAIMED)
		printf(_("claimed\n"));
	else if (claim.outcome == STORE_CLAIM_MINE)
		printf(_("already yours\n"));
	else if (claim.since > 0) {
		ago = util_now() - claim.since;
		/* not translated: the units, the same in French */
		printf(_("%s took it %lld %s ago\n"), claim.by,
		    (long long)(ago < 120 ? ago : ago < 7200 ? ago / 60 :
		    ago / 3600), ago < 120 ? "s" : ago < 7200 ? "min" : "h");
	} else
		printf(_("%s has it\n"), claim.by);
	fflush(stdout);
	store_claim_clear(&claim);
	return claim.outcome == STORE_CLAIM_TAKEN ? 1 : 0;
}

static void
ui_claim_done(struct job *job, int status, const char *output, void *data)
{
	struct ui_claim	*cl = data;
	struct ui	*ui = cl->ui;
	char		*line;

	(void)job;
	ui->jobs--;
	if (status != JOB_CANCELLED) {
		line = sanitize(output, strcspn(output, "\n"), SANITIZE_LINE,
		    200);
		if (status == 0 || status == 1)
			ui_set_message(ui, status == 1, "%s", line);
		else
			ui_job_failed(ui, _("claim failed"), output,
			    _("the database could not be written"));
		free(line);
		ui_refresh(ui);
	}
	free(cl->thread_id);
	free(cl->agent);
	free(cl);
}

static int
ui_cmd_claim_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui		*ui = data;
	const struct store_conv	*c;
	struct ui_claim		*cl;

	(void)argc;
	(void)argv;
	(void)cause;
	if (ui->pager != NULL)
		return ui_cmd_screen_in_help(ui);
	if ((c = ui_list_selected(ui->list)) == NULL) {
		ui_set_message(ui, 1, _("no conversation here"));
		return UI_REDRAW;
	}
	cl = xcalloc(1, sizeof *cl);
	cl->ui = ui;
	cl->store = ui->opts->store;
	cl->thread_id = xstrdup(c->thread_id);
	cl->agent = xstrdup(core_agent_name());
	if (job_run(ui->loop, ui_claim_child, cl, ui_claim_done, cl) == NULL) {
		ui_set_message(ui, 1, _("claim failed: cannot start a process"));
		free(cl->thread_id);
		free(cl->agent);
		free(cl);
		return UI_REDRAW;
	}
	ui->jobs++;
	return UI_REDRAW;
}

/* snooze WHEN...: the words are one time ("next week"). */
static int
ui_cmd_snooze_exec(void *data, int argc, char **argv, char **cause)
{
	struct buf	 b;
	char		*when;
	int		 rc;

	buf_init(&b);
	buf_add_words(&b, argv + 1, (size_t)argc - 1);
	when = buf_steal(&b);
	rc = ui_snooze(data, when, cause);
	free(when);
	return rc == 0 ? UI_REDRAW : -1;
}

static int
ui_cmd_mark_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui	*ui = data;

	(void)argc;
	(void)argv;
	(void)cause;
	if (ui->pager != NULL)
		return ui_cmd_screen_in_help(ui);
	ui_mark(ui);
	return UI_REDRAW;
}

static int
ui_cmd_undo_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui	*ui = data;

	(void)argc;
	(void)argv;
	(void)cause;
	if (ui->pager != NULL)
		return ui_cmd_screen_in_help(ui);
	ui_undo_last(ui);
	return UI_REDRAW;
}
