/*
 * ui-shift.c: the console's shift commands (issue 15), what ombre shift
 * start and end do, from the keyboard:
 *
 *   :shift-start        the summary of what changed since my last shift
 *                       in the pager (one screen at 80x24, it scrolls
 *                       when longer); a child records the shift-start
 *                       and makes me available
 *   :shift-end          my open conversations in the pager, with how to
 *                       hand them over
 *   :shift-end TARGET [NOTE...]
 *                       hand them over (NAME, team:NAME, queue, keep)
 *                       with the note: the marked ones only when some
 *                       are marked (one at a time, the rest stay mine),
 *                       else all of them, and then I am away
 *
 * The summary is read on the console's own read-only store; the writes
 * go to a child job, as every write of the console does (ui-triage.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	ui_shift_start_exec(void *, int, char **, char **);
static int	ui_shift_end_exec(void *, int, char **, char **);

const struct cmd_entry ui_shift_entries[] = {
	{ .name = "shift-end",
	  .args_min = 0,
	  .args_max = -1,
	  .usage = N_("shift-end [NAME|team:NAME|queue|keep [NOTE...]]"),
	  .help = N_("console: my open conversations; with a target, the marked "
	      "ones (else all) handed over with the note, then I am away"),
	  .host_exec = ui_shift_end_exec },
	{ .name = "shift-start",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "shift-start",
	  .help = N_("console: what changed since my last shift on one screen; "
	      "I am available"),
	  .host_exec = ui_shift_start_exec },
	{ .name = NULL }
};

/* A shift's write in a child. */
struct ui_shift_job {
	struct store_options	 store;
	struct ui		*ui;
	char			*agent;
	int			 end;		/* else the start */
	enum shift_target	 kind;
	char			*name;
	char			*note;
	char			**only;	/* thread ids; NULL: all */
	size_t			 n_only;
	char			*what;		/* said when done */
};

static void
ui_shift_job_free(struct ui_shift_job *j)
{
	size_t	i;

	for (i = 0; i < j->n_only; i++)
		free(j->only[i]);
	free(j->only);
	free(j->agent);
	free(j->name);
	free(j->note);
	free(j->what);
	free(j);
}

/* The end in the child: the conversations handed over, then away when
 * none of mine is left. */
static enum store_status
ui_shift_end_child(struct store *st, struct ui_shift_job *j, int64_t now,
    char **cause)
{
	struct store_conv	**convs, **take;
	enum store_status	  rc;
	size_t			  n, n_take = 0, i, k;

	if ((rc = store_shift_mine(st, j->agent, &convs, &n, cause)) !=
	    STORE_OK)
		return rc;
	take = xcalloc(n + 1, sizeof *take);
	for (i = 0; i < n; i++) {
		for (k = 0; j->only != NULL && k < j->n_only; k++) {
			if (strcmp(j->only[k], convs[i]->thread_id) == 0)
				break;
		}
		if (j->only == NULL || k < j->n_only)
			take[n_take++] = convs[i];
	}
	rc = n_take > 0 ? store_shift_handover(st, j->agent, take, n_take,
	    j->kind, j->name, j->note, 0, now, cause) : STORE_OK;
	if (rc == STORE_OK && (j->only == NULL || n_take == n))
		rc = store_shift_end(st, j->agent, now, cause);
	else if (rc == STORE_OK)
		printf(_("%zu handed over, %zu still yours\n"), n_take,
		    n - n_take);
	free(take);
	store_convs_free(convs, n);
	return rc;
}

static int
ui_shift_child(void *arg)
{
	struct ui_shift_job	*j = arg;
	struct store		*st;
	enum store_status	 rc;
	size_t			 n_events;
	char			*cause = NULL;
	int64_t			 now = util_now();

	rc = store_open(&j->store, STORE_READ_WRITE, &st, &cause);
	if (rc != STORE_OK)
		return ui_child_exit(NULL, rc, cause);
	if (j->end)
		rc = ui_shift_end_child(st, j, now, &cause);
	else
		rc = store_shift_start(st, j->agent, now, &n_events, &cause);
	return ui_child_exit(st, rc, cause);
}

static void
ui_shift_done(struct job *job, int status, const char *output, void *data)
{
	struct ui_shift_job	*j = data;
	struct ui		*ui = j->ui;
	char			*lead;

	(void)job;
	ui->jobs--;
	if (status == JOB_CANCELLED) {
		ui_shift_job_free(j);
		return;
	}
	if (status != 0) {
		lead = xasprintf(_("%s failed"), j->end ? "shift-end" :
		    "shift-start");
		ui_job_failed(ui, lead, output,
		    _("the database could not be written"));
		free(lead);
	} else if (output != NULL && *output != '\0')	/* some left */
		ui_set_message(ui, 0, "%.*s", (int)strcspn(output, "\n"),
		    output);
	else
		ui_set_message(ui, 0, "%s", j->what);
	ui_shift_job_free(j);
	ui_refresh(ui);
}

static int
ui_shift_run(struct ui *ui, struct ui_shift_job *j, char **cause)
{
	j->store = ui->opts->store;
	j->ui = ui;
	if (job_run(ui->loop, ui_shift_child, j, ui_shift_done, j) == NULL) {
		*cause = xstrdup(_("cannot start a process"));
		ui_shift_job_free(j);
		return -1;
	}
	ui->jobs++;
	return 0;
}

static int
ui_shift_start_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui		 *ui = data;
	struct ui_shift_job	 *j;
	struct shift_avail	  a;
	struct shift_row	 *rows;
	const char		 *agent = core_agent_name(), *what;
	char			**lines, when[64];
	size_t			  n, n_lines;
	int64_t			  now = util_now(), since = 0, event = 0;

	(void)argc;
	(void)argv;
	/* Since my latest shift end, else start, else a day (as ombre
	 * shift start). */
	store_agent_read(ui->opts->store.data_dir, agent, &a);
	if (a.ended > 0) {
		since = a.ended;
		what = _("your last shift end");
	} else {
		if (store_report_shift_start(ui->store, agent, &event,
		    cause) != STORE_OK)
			return -1;
		since = a.started > event ? a.started : event;
		what = _("your last shift start");
		if (since == 0) {
			since = now - 24 * 3600;
			what = _("no shift before: the last 24 hours");
		}
	}
	if (store_shift_summary(ui->store, agent, since, now, &rows, &n,
	    cause) != STORE_OK)
		return -1;
	shift_summary_lines(agent, since, what, rows, n, now, &lines,
	    &n_lines);
	store_shift_rows_free(rows, n);
	ui_pager_free(ui->pager);
	ui->pager = ui_pager_new(_("Shift start (Escape closes)"), lines,
	    n_lines);
	j = xcalloc(1, sizeof *j);
	j->agent = xstrdup(agent);
	shift_format_when(now, now, when, sizeof when);
	j->what = xasprintf(_("%s is available since %s"), agent, when);
	if (ui_shift_run(ui, j, cause) != 0)
		return -1;
	return UI_REDRAW;
}

/* :shift-end alone: my open conversations and what to type. */
static int
ui_shift_end_list(struct ui *ui, const char *agent, char **cause)
{
	struct store_conv	**convs;
	struct buf		  b;
	char			**lines = NULL, badge[3];
	size_t			  n, n_lines = 0, i;

	if (store_shift_mine(ui->store, agent, &convs, &n, cause) != STORE_OK)
		return -1;
	buf_init(&b);
	lines = xcalloc(n + 6, sizeof *lines);
	lines[n_lines++] = xasprintf(_("Open conversations: %zu"), n);
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		channel_badge(convs[i]->channel != NULL ? convs[i]->channel :
		    "", badge);
		buf_add_printf(&b, "  %6s %s ", convs[i]->short_id, badge);
		sanitize_buf(&b, convs[i]->customer_name != NULL ?
		    convs[i]->customer_name : "", convs[i]->customer_name !=
		    NULL ? strlen(convs[i]->customer_name) : 0,
		    SANITIZE_LINE, 18);
		buf_add_str(&b, "  ");
		if (convs[i]->snippet != NULL)
			sanitize_buf(&b, convs[i]->snippet,
			    strlen(convs[i]->snippet), SANITIZE_LINE, 40);
		lines[n_lines++] = xstrdup(b.data != NULL ? b.data : "");
	}
	buf_free(&b);
	store_convs_free(convs, n);
	lines[n_lines++] = xstrdup("");
	lines[n_lines++] = xstrdup(_("Hand them over: :shift-end "
	    "NAME|team:NAME|queue|keep [NOTE]"));
	lines[n_lines++] = xstrdup(_("The marked ones only when some are "
	    "marked; then away."));
	ui_pager_free(ui->pager);
	ui->pager = ui_pager_new(_("Shift end (Escape closes)"), lines,
	    n_lines);
	return UI_REDRAW;
}

static int
ui_shift_end_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui		*ui = data;
	struct ui_shift_job	*j;
	struct buf		 note;
	const char		*agent = core_agent_name(), *name;
	enum shift_target	 kind;
	size_t			 i;

	if (argc < 2)
		return ui_shift_end_list(ui, agent, cause);
	if (shift_parse_target(argv[1], &kind, &name) != 0) {
		*cause = xstrdup(_("shift-end takes NAME, team:NAME, queue or "
		    "keep"));
		return -1;
	}
	j = xcalloc(1, sizeof *j);
	j->end = 1;
	j->agent = xstrdup(agent);
	j->kind = kind;
	j->name = name != NULL ? xstrdup(name) : NULL;
	buf_init(&note);
	buf_add_words(&note, argv + 2, (size_t)(argc - 2));
	j->note = note.len > 0 ? xstrdup(note.data) : NULL;
	buf_free(&note);
	if (ui->marked.n > 0) {
		j->only = xcalloc(ui->marked.n, sizeof *j->only);
		for (i = 0; i < ui->marked.n; i++)
			j->only[j->n_only++] = xstrdup(ui->marked.items[i]);
	}
	j->what = shift_away_text(agent, util_now(), util_now());
	return ui_shift_run(ui, j, cause) == 0 ? UI_REDRAW : -1;
}
