/*
 * ui-sync.c: the console and the one syncing process.
 *
 * The console never talks to a channel (design.md). When the config
 * declares channels to sync and no process holds the sync lock, it starts
 * the syncer as its child; it stops it when it quits, and another console
 * then takes over within UI_SYNC_MS. What the syncer writes to its status
 * file (each channel's state) is shown on the status line, and after it
 * what the webhook receiver's says when it needs the agent: not running
 * while webhook channels are declared, or bad signatures in the hour.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"
#include "sync/sync.h"

#include <sys/stat.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Our child syncer (NULL when another process syncs), the channels'
 * states as the status line says them (NULL: nothing to say) and the
 * time of the status file they were read from. */
static struct job	*ui_sync_child;
static char		*ui_sync_said;	/* the syncer's last line */
static char		*ui_sync_line;
static int64_t		 ui_sync_mtime;
/* The webhook receiver's phrase, and both as the status line shows them. */
static char		*ui_webhook_line;
static char		*ui_sync_both;

static int
ui_syncer_child(void *arg)
{
	struct ui	*ui = arg;

	/* Killed with the console (even by SIGKILL): the lock frees and
	 * another console takes over. */
	util_die_with_parent(0);
	return ui->opts->run_syncer(ui->opts->syncer_arg);
}

/*
 * A line the syncer child wrote (a hook that failed, a channel refusing
 * a reply, a retry): into this console's log, which :messages lists,
 * since nobody reads the child's stderr.
 */
static void
ui_syncer_line(struct job *job, const char *line, void *data)
{
	(void)job;
	(void)data;
	if (*line == '\0')
		return;
	log_warn("syncer: %s", line);
	free(ui_sync_said);
	ui_sync_said = xstrdup(line);
}

static void
ui_syncer_done(struct job *job, int status, const char *output, void *data)
{
	struct ui	*ui = data;
	char		 lead[64];

	if (status == JOB_CANCELLED || ui_sync_child != job) {
		free(ui_sync_said);
		ui_sync_said = NULL;
		return;
	}
	ui_sync_child = NULL;
	if (*output == '\0' && ui_sync_said != NULL)
		output = ui_sync_said;	/* its last line came as a line */
	/* 75: another process took the lock first; it syncs. */
	if (status != 0 && status != 75 && status != 128 + SIGTERM) {
		snprintf(lead, sizeof lead, _("the syncer stopped (status %d)"),
		    status);
		ui_job_failed(ui, lead, output, NULL);
	}
	free(ui_sync_said);
	ui_sync_said = NULL;
}

/*
 * The channels' states, one phrase each, from the status file: the
 * connected ones counted, the others said in the user's language, then
 * the quarantine, the index and the hooks as sync --status says them.
 */
static void
ui_sync_read(struct ui *ui)
{
	struct stat			 sb;
	struct sync_state		 st;
	const struct sync_state_channel *c, *first = NULL;
	char				*path, *phrase;
	struct buf			 b, notes;
	int64_t				 now = (int64_t)time(NULL);
	int				 connected = 0;
	size_t				 i;

	path = xasprintf("%s/sync/status", ui->opts->store.data_dir);
	if (stat(path, &sb) != 0 || (int64_t)sb.st_mtime * 1000000000 +
	    sb.st_mtim.tv_nsec == ui_sync_mtime) {
		free(path);
		return;
	}
	free(path);
	ui_sync_mtime = (int64_t)sb.st_mtime * 1000000000 + sb.st_mtim.tv_nsec;
	sync_state_read(ui->opts->store.data_dir, &st);
	buf_init(&b);
	for (i = 0; i < st.n; i++) {
		c = &st.channels[i];
		/* A connected channel is the normal case: counted, only
		 * the others named (the line has 80 columns). The state
		 * is compared as sync.c stores it, in C. */
		if (strcmp(c->state, "connected") == 0) {
			if (connected++ == 0)
				first = c;
			continue;
		}
		/* "until 10:00:00" today, the date too otherwise. */
		phrase = sync_state_channel_phrase(c, now);
		buf_add_str(&b, b.len > 0 ? "; " : _("sync: "));
		buf_add_str(&b, phrase);
		free(phrase);
	}
	buf_init(&notes);
	if (sync_state_notes(&st, &notes, "; ") > 0) {
		buf_add_str(&b, b.len > 0 ? "; " : _("sync: "));
		buf_add(&b, notes.data, notes.len);
	}
	buf_free(&notes);
	if (connected == 1 && b.len == 0) {
		phrase = sync_state_channel_phrase(first, now);
		buf_add_printf(&b, _("sync: %s"), phrase);
		free(phrase);
	} else if (connected > 0 && b.len == 0)
		buf_add_printf(&b, ngettext("sync: %d channel connected",
		    "sync: %d channels connected", connected), connected);
	else if (connected > 0)
		buf_add_printf(&b, ngettext("; %d more connected",
		    "; %d more connected", connected), connected);
	sync_state_free(&st);
	free(ui_sync_line);
	ui_sync_line = b.len > 0 ? buf_steal(&b) : NULL;
	buf_free(&b);
	ui->react |= UI_REDRAW;
}

/* The webhook receiver's phrase: its status file is small and the
 * liveness of its pid changes without it, so it is read each time. */
static void
ui_webhook_read(struct ui *ui)
{
	struct sync_webhook	 ws;
	char			*phrase;

	sync_webhook_read(ui->opts->store.data_dir, &ws);
	phrase = sync_webhook_phrase(&ws, 1, util_now());
	sync_webhook_free(&ws);
	if ((phrase == NULL) != (ui_webhook_line == NULL) || (phrase != NULL &&
	    strcmp(phrase, ui_webhook_line) != 0))
		ui->react |= UI_REDRAW;
	free(ui_webhook_line);
	ui_webhook_line = phrase;
}

void
ui_sync_check(void *data)
{
	struct ui	*ui = data;

	if (ui->opts->run_syncer == NULL && !ui->opts->watch_webhook)
		return;
	if (ui->opts->run_syncer != NULL) {
		if (ui_sync_child == NULL &&
		    sync_lock_holder(ui->opts->store.data_dir) == 0) {
			ui_sync_child = job_run(ui->loop, ui_syncer_child, ui,
			    ui_syncer_done, ui);
			job_set_line_cb(ui_sync_child, ui_syncer_line);
		}
		ui_sync_read(ui);
	}
	if (ui->opts->watch_webhook)
		ui_webhook_read(ui);
	free(ui_sync_both);
	ui_sync_both = ui_sync_join(ui_sync_line, ui_webhook_line);
	ev_timer_add(ui->loop, UI_SYNC_MS, ui_sync_check, ui);
}

void
ui_sync_stop(struct ui *ui)
{
	(void)ui;
	if (ui_sync_child != NULL)
		kill(job_pid(ui_sync_child), SIGTERM);
	free(ui_sync_line);
	ui_sync_line = NULL;
	free(ui_webhook_line);
	ui_webhook_line = NULL;
	free(ui_sync_both);
	ui_sync_both = NULL;
}

const char *
ui_sync_text(void)
{
	return ui_sync_both;
}

char *
ui_sync_join(const char *sync, const char *webhook)
{
	if (sync == NULL && webhook == NULL)
		return NULL;
	if (sync == NULL || webhook == NULL)
		return xstrdup(sync != NULL ? sync : webhook);
	return xasprintf("%s  %s", sync, webhook);
}
