/*
 * ui-counts.c: the sidebar: every view with its unread and total
 * conversations, kept by a child from the first paint on; and the lane of
 * the status line, "3 need a human, oldest 12m": the Needs human view's
 * count and its longest wait, which the same child reads.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"

#include <sys/resource.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * View counts, for the sidebar. One child keeps them for the console's
 * life: it walks every view once after the first paint, then follows the
 * database's revision and takes each change in as a lastmod: delta
 * (store-counts.c), printing "INDEX TOTAL UNREAD" for the views whose
 * counts moved. Its table of conversations never weighs on the console,
 * and a count never delays a key. When the views themselves change
 * (`view`, `agent`), a new child starts from the new queries.
 */
struct ui_counter {
	struct store_options	 store;
	char			**queries;	/* #{agent} resolved */
	size_t			  n;
	int			  lane;		/* the lane's view, or -1 */
	pid_t			  parent;
	struct job		 *job;
	struct ui		 *ui;		/* NULL once replaced */
};

/* The child keeping the counts (NULL when none runs) and, per view, its
 * last counts (-1: not known yet). */
static struct ui_counter	*ui_counter;
static long			*ui_view_total;
static long			*ui_view_unread;
static size_t			 ui_n_view_counts;
/* The lane's view and since when its longest waiting customer waits (0:
 * nobody waits, -1: not known yet). */
static int			 ui_lane_index = -1;
static int64_t			 ui_lane_oldest = -1;
/* The lane's conversation nearest its service level's target, as the
 * child read it, evaluated again at each paint (the clock runs): since
 * when it waits (0: none), for a first response or not, its channel and
 * team ("" none). */
static int64_t			 ui_sla_since;
static int			 ui_sla_first;
static char			 ui_sla_channel[64];
static char			 ui_sla_team[80];

/* The lane's conversations read for the service level nearest its
 * target: the lane is few (Needs human); past this, the oldest. */
#define UI_COUNTS_LANE_MAX	200

static void	ui_counts_stop_child(void);

static void
ui_counter_free(struct ui_counter *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		free(c->queries[i]);
	free(c->queries);
	free(c);
}

static void
ui_counter_print(struct store_counts *sc, size_t i, int all)
{
	long	total, unread;
	int	changed;

	changed = store_counts_get(sc, i, &total, &unread);
	if (changed == -1)
		printf("%zu -1 -1\n", i);
	else if (changed == 1 || all)
		printf("%zu %ld %ld\n", i, total, unread);
}

static void
ui_counter_progress(struct store_counts *sc, size_t i, void *arg)
{
	(void)arg;
	ui_counter_print(sc, i, 1);
	fflush(stdout);
}

/*
 * The lane: since when the customer of the lane's view who waits longest
 * waits, "lane SECONDS" (0: nobody). Its conversations are few: they are
 * all read, in the order of waiting.
 */
static void
ui_counter_lane(struct store *st, struct ui_counter *c)
{
	struct store_conv	**convs, *best = NULL;
	struct sla_status	  sla;
	size_t			  n, i;
	int64_t			  now = util_now(), left = 0;
	char			 *cause;

	if (c->lane < 0)
		return;
	if (store_query_convs_sorted(st, c->queries[c->lane],
	    VIEW_SORT_WAITING, 0, UI_COUNTS_LANE_MAX, &convs, &n, &cause) !=
	    STORE_OK) {
		free(cause);
		return;
	}
	/* not translated: the line the console parses (ui_counter_line) */
	printf("lane %lld\n", n > 0 ? (long long)convs[0]->waiting_since : 0LL);
	/* The nearest its target is not always the oldest: targets differ
	 * by channel and team, and so do business hours. */
	for (i = 0; i < n && convs[i]->waiting_since > 0; i++) {
		sla_eval(convs[i]->channel, convs[i]->tags,
		    convs[i]->first_wait, convs[i]->waiting_since, now, &sla);
		if (sla.state != SLA_NONE && (best == NULL || sla.left < left)) {
			best = convs[i];
			left = sla.left;
		}
	}
	if (best != NULL)	/* not translated: the console parses it */
		printf("sla %d %lld %s %s\n", best->first_wait,
		    (long long)best->waiting_since, best->channel,
		    sla_team(best->tags) != NULL ? sla_team(best->tags) : "-");
	else	/* not translated: parsed */
		printf("sla 0 0 - -\n");
	store_convs_free(convs, n);
}

static int
ui_counter_child(void *arg)
{
	struct ui_counter	*c = arg;
	struct store_counts	*sc;
	struct store		*st;
	struct timespec		 ts = { UI_WATCH_MS / 1000,
				    (UI_WATCH_MS % 1000) * 1000000L };
	char			*cause;
	size_t			 i;

	/* The screen comes first: on a small machine the walks must not
	 * take the CPU a key needs. */
	(void)setpriority(PRIO_PROCESS, 0, UI_COUNTS_NICE);
	/* A walk at 1M takes minutes: never outlive the console. */
	util_die_with_parent(c->parent);
	if (store_open(&c->store, STORE_READ_ONLY, &st, &cause) != STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	sc = store_counts_new((const char *const *)c->queries, c->n);
	store_counts_build(st, sc, ui_counter_progress, NULL);
	ui_counter_lane(st, c);
	fflush(stdout);
	/* Until the console goes: its end of the pipe, or itself. */
	while (!ferror(stdout) && getppid() == c->parent) {
		nanosleep(&ts, NULL);
		if (store_refresh(st) != 1 ||
		    store_counts_update(st, sc) != STORE_OK)
			continue;
		for (i = 0; i < store_counts_size(sc); i++)
			ui_counter_print(sc, i, 0);
		ui_counter_lane(st, c);
		fflush(stdout);
	}
	store_counts_free(sc);
	store_close(st);
	return 0;
}

static void
ui_counter_line(struct job *job, const char *line, void *data)
{
	struct ui_counter	*c = data;
	struct ui		*ui = c->ui;
	unsigned long		 i;
	long			 total, unread;
	long long		 oldest;
	char			 channel[64], team[80];
	int			 first;

	(void)job;
	if (ui != NULL && sscanf(line, "sla %d %lld %63s %79s", &first,
	    &oldest, channel, team) == 4) {
		ui_sla_first = first;
		ui_sla_since = oldest;
		snprintf(ui_sla_channel, sizeof ui_sla_channel, "%s", channel);
		snprintf(ui_sla_team, sizeof ui_sla_team, "%s",
		    strcmp(team, "-") != 0 ? team : "");
		ui->react |= UI_REDRAW;
		return;
	}
	if (ui != NULL && sscanf(line, "lane %lld", &oldest) == 1) {
		if (oldest != ui_lane_oldest)
			ui->react |= UI_REDRAW;
		ui_lane_oldest = oldest;
		return;
	}
	if (ui == NULL || sscanf(line, "%lu %ld %ld", &i, &total,
	    &unread) != 3 || i >= ui_n_view_counts)
		return;
	ui_view_total[i] = total;
	ui_view_unread[i] = unread;
	ui->react |= UI_REDRAW;
}

static void
ui_counter_done(struct job *job, int status, const char *output, void *data)
{
	struct ui_counter	*c = data;
	char			 lead[64];

	(void)job;
	if (c->ui != NULL && ui_counter == c) {
		ui_counter = NULL;
		if (status != JOB_CANCELLED && status != 0) {
			snprintf(lead, sizeof lead, _("view counts stopped "
			    "(status %d)"), status);
			ui_job_failed(c->ui, lead, output, NULL);
		}
	}
	ui_counter_free(c);
}

/* Are the running child's queries those of the views now? */
static int
ui_counter_current(struct ui_counter *c, char **queries, size_t n)
{
	size_t	i;

	if (c == NULL || c->n != n)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(c->queries[i], queries[i]) != 0)
			return 0;
	return 1;
}

/* Start the child keeping the counts, unless one runs for the same views. */
static void
ui_counts_start(struct ui *ui)
{
	struct ui_counter	*c;
	const struct view	*views;
	char			**queries;
	size_t			  n, i;

	views = view_all(&n);
	if (n > STORE_COUNTS_MAX)
		n = STORE_COUNTS_MAX;	/* the sidebar shows "..." beyond */
	queries = xcalloc(n + 1, sizeof *queries);
	for (i = 0; i < n; i++)
		queries[i] = view_expand_query(&views[i]);
	if (ui_counter_current(ui_counter, queries, n)) {
		for (i = 0; i < n; i++)
			free(queries[i]);
		free(queries);
		return;
	}
	ui_counts_stop_child();
	ui_view_total = xreallocarray(ui_view_total, n + 1,
	    sizeof *ui_view_total);
	ui_view_unread = xreallocarray(ui_view_unread, n + 1,
	    sizeof *ui_view_unread);
	for (i = 0; i < n; i++)
		ui_view_total[i] = ui_view_unread[i] = -1;
	ui_n_view_counts = n;
	ui_lane_index = ui_counts_lane_view();
	ui_lane_oldest = -1;
	ui->react |= UI_REDRAW;

	c = xcalloc(1, sizeof *c);
	c->store = ui->opts->store;
	c->queries = queries;
	c->n = n;
	c->lane = ui_lane_index;
	c->parent = getpid();
	c->ui = ui;
	c->job = job_run(ui->loop, ui_counter_child, c, ui_counter_done, c);
	if (c->job == NULL) {
		ui_counter_free(c);
		return;
	}
	job_set_line_cb(c->job, ui_counter_line);
	ui_counter = c;
}

/* Stop the child (the views changed). */
static void
ui_counts_stop_child(void)
{
	struct ui_counter	*c = ui_counter;

	if (c == NULL)
		return;
	ui_counter = NULL;
	c->ui = NULL;	/* what it still prints goes nowhere */
	kill(job_pid(c->job), SIGTERM);
}

/* After a command: a `view` or an `agent` may have changed what is
 * counted. Nothing before the first count starts. */
void
ui_counts_again(struct ui *ui)
{
	if (ui_counter != NULL)
		ui_counts_start(ui);
}

/* The console ends: the child stops, the counts go. */
void
ui_counts_stop(void)
{
	ui_counts_stop_child();
	free(ui_view_total);
	free(ui_view_unread);
	ui_view_total = ui_view_unread = NULL;
	ui_n_view_counts = 0;
	ui_lane_index = -1;
	ui_lane_oldest = -1;
}

int
ui_counts_lane_view(void)
{
	const struct view	*views, *v;
	size_t			 n;

	views = view_all(&n);
	if ((v = view_find("Needs human")) == NULL ||
	    (size_t)(v - views) >= STORE_COUNTS_MAX)
		return -1;
	return (int)(v - views);
}

/* "3 need a human, oldest 12m" (short: "[3, 12m]"), from the counts the
 * child gave. */
int
ui_counts_lane(char *out, size_t size, int64_t now, int short_form)
{
	char	age[16];
	long	total;

	if (ui_lane_index < 0 || (size_t)ui_lane_index >= ui_n_view_counts)
		return 0;
	total = ui_view_total[ui_lane_index];
	if (total <= 0)
		return 0;
	if (ui_lane_oldest > 0)
		util_format_age(now - ui_lane_oldest, age, sizeof age);
	if (short_form && ui_lane_oldest > 0)
		snprintf(out, size, "[%ld, %s]", total, age);
	else if (short_form)
		snprintf(out, size, "[%ld]", total);
	else if (ui_lane_oldest > 0)
		snprintf(out, size, ngettext("%ld needs a human, oldest %s",
		    "%ld need a human, oldest %s", total), total, age);
	else
		snprintf(out, size, ngettext("%ld needs a human",
		    "%ld need a human", total), total);
	return 1;
}

/*
 * The service level of the lane's conversation nearest its target, at
 * now: "SLA 12m left" or "SLA breached 5m" (short: without "SLA") and
 * the role it is drawn in (the waits' colours at warn and breach); 0
 * when none waits.
 */
int
ui_counts_sla(char *out, size_t size, int64_t now, int short_form,
    enum ui_role *role)
{
	struct sla_status	 sla;
	char			 text[32], tag[96];
	char			*tags[2] = { NULL, NULL };

	if (ui_sla_since <= 0 || ui_lane_index < 0 ||
	    (size_t)ui_lane_index >= ui_n_view_counts ||
	    ui_view_total[ui_lane_index] <= 0)
		return 0;
	if (*ui_sla_team != '\0') {
		snprintf(tag, sizeof tag, "ombre/team/%s", ui_sla_team);
		tags[0] = tag;
	}
	sla_eval(ui_sla_channel, tags, ui_sla_first, ui_sla_since, now, &sla);
	if (sla.state == SLA_NONE)
		return 0;
	sla_format(&sla, 1, text, sizeof text);
	snprintf(out, size, "%s%s", short_form ? "" : "SLA ", text);
	*role = sla.state == SLA_BREACH ? UI_ROLE_WAIT_LONG :
	    sla.state == SLA_WARN ? UI_ROLE_WAIT_MEDIUM : UI_ROLE_STATUS;
	return 1;
}

/* Once, when the first page is in. */
void
ui_counts_first(void *data)
{
	struct ui	*ui = data;

	if (ui_counter == NULL && ui_n_view_counts == 0)
		ui_counts_start(ui);
}

/*
 * A view's "unread/total" in the sidebar's cell of UI_COUNT_W columns:
 * exact when it fits, else each count compact ("25k/475k"), so that it
 * always fits. "counting…" until the child's first count of the view
 * (a walk at 1M takes half a minute); "..." beyond the views counted.
 */
#define UI_COUNT_W	10

static void
ui_sidebar_count(size_t i, char *out, size_t size)
{
	char	unread[16], total[16];

	if (i >= STORE_COUNTS_MAX) {
		snprintf(out, size, "...");
		return;
	}
	if (i >= ui_n_view_counts || ui_view_total[i] < 0) {
		/* No child counts any more: say so, not "counting". */
		snprintf(out, size, "%s", ui_counter == NULL &&
		    ui_n_view_counts > 0 ? "-" : _("counting…"));
		return;
	}
	snprintf(out, size, "%ld/%ld", ui_view_unread[i], ui_view_total[i]);
	if (strlen(out) <= UI_COUNT_W)
		return;
	util_format_count(ui_view_unread[i], unread, sizeof unread);
	util_format_count(ui_view_total[i], total, sizeof total);
	snprintf(out, size, "%s/%s", unread, total);
}

/*
 * The sidebar: every view with its unread and total conversations. The
 * cursor is the view shown, or where Tab put the keys; the pane without
 * the keys draws its cursor in a role of its own.
 */
void
ui_sidebar_draw(struct ui *ui, int rows)
{
	const struct view	*views;
	size_t			 n, i, w;
	char			 count[32], cell[48];
	enum ui_role		 role;
	int			 r = 0, name_w = UI_SIDEBAR_WIDTH - 12;

	views = view_all(&n);
	for (i = 0; i < n && r < rows; i++, r++) {
		ui_sidebar_count(i, count, sizeof count);
		w = utf8_width(count, strlen(count));
		snprintf(cell, sizeof cell, "%*s%s ", w < UI_COUNT_W ?
		    (int)(UI_COUNT_W - w) : 0, "", count);
		if (ui->sidebar_focus)
			role = i == ui->sidebar_cursor ? UI_ROLE_LIST_CURSOR :
			    UI_ROLE_NORMAL;
		else
			role = strcmp(views[i].name, ui->view_name) == 0 ?
			    UI_ROLE_LIST_CURSOR_UNFOCUSED : UI_ROLE_NORMAL;
		ui_surface_text(r, 0, name_w, role, views[i].name);
		ui_surface_text(r, name_w, UI_COUNT_W + 1, i <
		    ui_n_view_counts && ui_view_unread[i] > 0 ?
		    UI_ROLE_LIST_UNREAD : UI_ROLE_NORMAL, cell);
		ui_surface_text(r, UI_SIDEBAR_WIDTH - 1, 1, UI_ROLE_NORMAL,
		    "|");
	}
	for (; r < rows; r++) {
		ui_surface_text(r, 0, UI_SIDEBAR_WIDTH - 1, UI_ROLE_NORMAL, "");
		ui_surface_text(r, UI_SIDEBAR_WIDTH - 1, 1, UI_ROLE_NORMAL,
		    "|");
	}
}
