/*
 * ui-sync.c: the console and the one syncing process.
 *
 * The console never talks to a channel (design.md). When the config
 * declares channels to sync and no process holds the sync lock, it starts
 * the syncer as its child; it stops it when it quits, and another console
 * then takes over within UI_SYNC_MS. What the syncer writes to its status
 * file (each channel's state) is shown on the status line.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"
#include "chan/chan.h"

#include <sys/stat.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int
ui_syncer_child(void *arg)
{
	/* Killed with the console (even by SIGKILL): the lock frees and
	 * another console takes over. */
	util_die_with_parent(0);
	return sync_run(arg);
}

static void
ui_syncer_done(struct job *job, int status, const char *output, void *data)
{
	struct ui	*ui = data;
	char		*line;

	if (status == JOB_CANCELLED || ui->syncer != job)
		return;
	ui->syncer = NULL;
	/* 75: another process took the lock first; it syncs. */
	if (status != 0 && status != 75 && status != 128 + SIGTERM) {
		line = sanitize(output, strcspn(output, "\n"), SANITIZE_LINE, 120);
		ui_set_message(ui, 1, "the syncer stopped (status %d)%s%s",
		    status, *line != '\0' ? ": " : "", line);
		free(line);
	}
}

/* The channels' states, one phrase each, from the status file. */
static void
ui_sync_read(struct ui *ui)
{
	struct stat	 sb;
	char		*path, *text = NULL, *line, *next, *at;
	char		 today[32];
	size_t		 len = 0;
	FILE		*mem;
	struct buf	 b;
	struct tm	 tm;
	time_t		 now = time(NULL);

	path = xasprintf("%s/sync/status", ui->opts->store.data_dir);
	if (stat(path, &sb) != 0 || (int64_t)sb.st_mtime * 1000000000 +
	    sb.st_mtim.tv_nsec == ui->sync_mtime) {
		free(path);
		return;
	}
	free(path);
	ui->sync_mtime = (int64_t)sb.st_mtime * 1000000000 + sb.st_mtim.tv_nsec;
	if ((mem = open_memstream(&text, &len)) == NULL)
		return;
	sync_status_print(ui->opts->store.data_dir, mem);
	fclose(mem);
	buf_init(&b);
	for (line = text; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (strncmp(line, "syncer:", 7) == 0)
			continue;
		buf_add_str(&b, b.len > 0 ? "; " : "sync: ");
		/* "until 2026-11-20 10:00:00": the time alone, today. */
		if (localtime_r(&now, &tm) != NULL &&
		    strftime(today, sizeof today, " until %Y-%m-%d ", &tm) > 0 &&
		    (at = strstr(line, today)) != NULL) {
			buf_add(&b, line, (size_t)(at - line));
			buf_add_str(&b, " until ");
			line = at + strlen(today);
		}
		buf_add_str(&b, line);
	}
	free(text);
	free(ui->sync_text);
	ui->sync_text = b.len > 0 ? buf_steal(&b) : NULL;
	buf_free(&b);
	ui->react |= UI_REDRAW;
}

void
ui_sync_check(void *data)
{
	struct ui	*ui = data;

	if (ui->opts->sync == NULL)
		return;
	if (ui->syncer == NULL &&
	    sync_lock_holder(ui->opts->store.data_dir) == 0) {
		ui->syncer = job_run(ui->loop, ui_syncer_child,
		    ui->opts->sync, ui_syncer_done, ui);
	}
	ui_sync_read(ui);
	ev_timer_add(ui->loop, UI_SYNC_MS, ui_sync_check, ui);
}

void
ui_sync_stop(struct ui *ui)
{
	if (ui->syncer != NULL)
		kill(job_pid(ui->syncer), SIGTERM);
	free(ui->sync_text);
	ui->sync_text = NULL;
}
