/*
 * ui-counts.c: the sidebar: every view with its unread and total
 * conversations, counted by a child after the first paint.
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
	if (status == JOB_CANCELLED) {
		free(c);
		return;
	}
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
void
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
	wait = ui->counts_started + UI_COUNTS_MS - util_clock_ms();
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
	ui->counts_started = util_clock_ms();
}

void
ui_counts_first(void *data)
{
	ui_counts_start(data);
}

/* The sidebar: every view with its unread and total conversations. */
void
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
