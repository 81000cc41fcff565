/*
 * ui-crisis.c: crisis mode in the console (issue 16). DATA/crisis looked
 * at on the feed's timer (one stat; read only when it changed, whoever
 * changed it): while a crisis is on, the status line begins with "CRISIS:
 * TOPIC (since 14:02)" and the sidebar lists its view, Crisis, on the
 * topic's query. `crisis on|off` at the prompt writes the file at once
 * (a small file, no database lock: the screen does not wait) and records
 * its events in a child, like every write of the console.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* DATA/crisis as last seen (store_crisis_changed), the crisis then. */
static int64_t		 ui_crisis_stamp;
static struct crisis	*ui_crisis;
static char		*ui_crisis_line;	/* sanitised, or NULL */

/* A crisis's events, in a child. */
struct ui_crisis_write {
	struct store_options	 store;
	struct crisis		*crisis;
	int			 on;
	struct ui		*ui;
};

static void
ui_crisis_write_free(struct ui_crisis_write *w)
{
	crisis_free(w->crisis);
	free(w);
}

static int
ui_crisis_child(void *arg)
{
	struct ui_crisis_write	*w = arg;
	struct store		*st;
	enum store_status	 rc;
	size_t			 n;
	char			*cause = NULL;

	rc = store_open(&w->store, STORE_READ_WRITE, &st, &cause);
	if (rc != STORE_OK)
		return ui_child_exit(NULL, rc, cause);
	rc = store_crisis_events(st, w->crisis, w->on, &n, &cause);
	return ui_child_exit(st, rc, cause);
}

static void
ui_crisis_done(struct job *job, int status, const char *output, void *data)
{
	struct ui_crisis_write	*w = data;
	struct ui		*ui = w->ui;

	(void)job;
	ui->jobs--;
	if (status != 0 && status != JOB_CANCELLED)
		ui_job_failed(ui, _("recording the crisis's events failed"),
		    output, _("the database could not be written"));
	ui_crisis_write_free(w);
	if (status != JOB_CANCELLED)
		ui_refresh(ui);
}

int
ui_host_crisis(void *data, int set, const struct crisis *c,
    struct crisis **in_force, char **cause)
{
	struct ui		*ui = data;
	struct ui_crisis_write	*w;
	const char		*dir = ui->opts->store.data_dir;
	struct crisis		*before = NULL;

	*in_force = NULL;
	if (set && (c != NULL || (before = store_crisis_read(dir)) != NULL)) {
		if (store_crisis_write(dir, c, cause) != STORE_OK) {
			crisis_free(before);
			return -1;
		}
		w = xcalloc(1, sizeof *w);
		w->store = ui->opts->store;
		w->crisis = c != NULL ? crisis_copy(c) : before;
		w->on = c != NULL;
		w->ui = ui;
		if (job_run(ui->loop, ui_crisis_child, w, ui_crisis_done,
		    w) == NULL) {
			ui_crisis_write_free(w);
			*cause = xstrdup(_("the crisis's events: cannot start "
			    "a process"));
			return -1;
		}
		ui->jobs++;
		ui_crisis_check(ui);
	}
	*in_force = store_crisis_read(dir);
	return 0;
}

/*
 * Follow DATA/crisis: when it changed, the status line's words and the
 * Crisis view made again (or gone), the sidebar's counts restarted for
 * the views now. Return 1 when something changed.
 */
int
ui_crisis_check(struct ui *ui)
{
	struct crisis	*c;
	char		*text;

	if (!store_crisis_changed(ui->opts->store.data_dir, &ui_crisis_stamp))
		return 0;
	c = store_crisis_read(ui->opts->store.data_dir);
	crisis_free(ui_crisis);
	ui_crisis = c;
	free(ui_crisis_line);
	ui_crisis_line = NULL;
	crisis_view_set(c);
	if (c != NULL) {
		/* The topic is whoever typed it: never raw on the screen. */
		text = crisis_status_text(c, util_now());
		ui_crisis_line = sanitize(text, strlen(text), SANITIZE_LINE,
		    80);
		free(text);
	}
	ui_counts_again(ui);
	ui->react |= UI_REDRAW;
	return 1;
}

const char *
ui_crisis_text(void)
{
	return ui_crisis_line;
}

int
ui_crisis_on(void)
{
	return ui_crisis != NULL;
}

void
ui_crisis_stop(void)
{
	crisis_free(ui_crisis);
	ui_crisis = NULL;
	free(ui_crisis_line);
	ui_crisis_line = NULL;
	ui_crisis_stamp = 0;
}
