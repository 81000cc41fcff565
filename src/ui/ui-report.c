/*
 * ui-report.c: the console's :report [DURATION|shift]: the figures of
 * ombre report (store-report.c) as one screen of the pager, with bar
 * charts drawn in text: customer messages per hour of the day, and the
 * conversations handled per channel and per agent. Made for 80x24: no
 * line is wider than 78 columns, the figures and the hours fit in the
 * first 24 rows, the rest scrolls.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	ui_report_exec(void *, int, char **, char **);

const struct cmd_entry ui_report_entries[] = {
	{ .name = "report",
	  .args_min = 0,
	  .args_max = 1,
	  .usage = N_("report [DURATION|shift]"),
	  .help = N_("console: the figures of ombre report over DURATION (default: "
	      "everything), or since my shift started, with bar charts"),
	  .host_exec = ui_report_exec },
	{ .name = NULL }
};

/* The height of the per-hour chart, in rows. */
#define UI_REPORT_CHART_ROWS	5
/* The longest horizontal bar. */
#define UI_REPORT_BAR		40
/* --shift without a shift-start event: the last 8 hours. */
#define UI_REPORT_SHIFT		(8 * 3600)

struct ui_report_lines {
	char	**lines;
	size_t	  n;
};

static void
ui_report_add(struct ui_report_lines *l, struct buf *b)
{
	l->lines = xreallocarray(l->lines, l->n + 1, sizeof *l->lines);
	l->lines[l->n++] = xstrdup(b->data != NULL ? b->data : "");
	buf_reset(b);
}

/* "median 4m  p90 12m" of a sample, or "-". */
static void
ui_report_sample(struct buf *b, struct store_report_durations *d)
{
	char	med[32], p90[32];

	if (d->n == 0) {
		buf_add_str(b, "-");
		return;
	}
	store_report_format(med, sizeof med, store_report_percentile(d, 50));
	store_report_format(p90, sizeof p90, store_report_percentile(d, 90));
	buf_add_printf(b, _("median %s  p90 %s"), med, p90);
}

/* Customer messages per hour of the day, as columns of blocks. */
static void
ui_report_hours(struct ui_report_lines *l, struct buf *b,
    const struct store_report *r)
{
	long	max = 0;
	int	row, h;

	for (h = 0; h < STORE_REPORT_HOURS; h++) {
		if (r->hours[h] > max)
			max = r->hours[h];
	}
	buf_add_printf(b, _("Customer messages per hour (most: %ld)"), max);
	ui_report_add(l, b);
	for (row = UI_REPORT_CHART_ROWS; row > 0; row--) {
		buf_add_str(b, "  ");
		for (h = 0; h < STORE_REPORT_HOURS; h++) {
			/* A column shows when its height reaches the row;
			 * any message at all shows one block. */
			if (max > 0 && r->hours[h] > 0 &&
			    (r->hours[h] * UI_REPORT_CHART_ROWS + max - 1) /
			    max >= row)
				buf_add_str(b, " ██");
			else
				buf_add_str(b, "   ");
		}
		ui_report_add(l, b);
	}
	buf_add_str(b, "  ");
	for (h = 0; h < STORE_REPORT_HOURS; h++)
		buf_add_printf(b, " %02d", h);
	ui_report_add(l, b);
}

/* Rows as horizontal bars of their handled conversations. */
static void
ui_report_bars(struct ui_report_lines *l, struct buf *b, const char *title,
    const struct store_report_row *rows, size_t n)
{
	long		max = 0;
	size_t		i, w;

	for (i = 0; i < n; i++) {
		if (rows[i].handled > max)
			max = rows[i].handled;
	}
	buf_add_str(b, title);
	ui_report_add(l, b);
	for (i = 0; i < n; i++) {
		/* A name (from the store: untrusted) in 10 columns. */
		buf_add_str(b, "  ");
		w = sanitize_buf(b, rows[i].name, strlen(rows[i].name),
		    SANITIZE_LINE, 10);
		for (; w < 11; w++)
			buf_add_char(b, ' ');
		w = max > 0 ? (size_t)((rows[i].handled * UI_REPORT_BAR +
		    max - 1) / max) : 0;
		while (w-- > 0)
			buf_add_str(b, "█");
		buf_add_printf(b, _(" %ld handled, %ld closed"),
		    rows[i].handled, rows[i].closed);
		ui_report_add(l, b);
	}
}

/* The screen's lines for r. */
static void
ui_report_lines(struct ui_report_lines *l, struct store_report *r)
{
	struct store_report_row	*t = &r->total;
	struct buf		 b;

	buf_init(&b);
	buf_add_printf(&b, _("handled %ld  closed %ld  bot-only %ld"),
	    t->handled, t->closed, t->bot_only);
	if (t->closed > 0)
		buf_add_printf(&b, " (%ld%%)", t->bot_only * 100 / t->closed);
	buf_add_printf(&b, _("  handoffs %ld (%ld waiting)"), t->handoffs,
	    t->handoffs_waiting);
	ui_report_add(l, &b);
	/* TRANSLATORS: the labels of these four lines are 16 columns. */
	buf_add_str(&b, _("first response  "));
	ui_report_sample(&b, &t->first_response);
	ui_report_add(l, &b);
	buf_add_str(&b, _("resolution      "));
	ui_report_sample(&b, &t->resolution);
	ui_report_add(l, &b);
	buf_add_str(&b, _("handoff wait    "));
	ui_report_sample(&b, &t->handoff_wait);
	ui_report_add(l, &b);
	if (t->csat_n > 0) {
		buf_add_str(&b, _("csat            "));
		buf_add_printf(&b, ngettext("mean %.1f, %ld answer",
		    "mean %.1f, %ld answers", t->csat_n),
		    (double)t->csat_sum / t->csat_n, t->csat_n);
		buf_add_printf(&b, ngettext(" to %ld survey",
		    " to %ld surveys", t->surveys), t->surveys);
	} else {
		buf_add_str(&b, _("csat            "));
		buf_add_printf(&b, ngettext("no answer to %ld survey",
		    "no answer to %ld surveys", t->surveys), t->surveys);
	}
	ui_report_add(l, &b);
	ui_report_add(l, &b);
	ui_report_hours(l, &b, r);
	ui_report_add(l, &b);
	ui_report_bars(l, &b, _("Conversations per channel"), r->channels,
	    r->n_channels);
	ui_report_add(l, &b);
	ui_report_bars(l, &b, _("Conversations per agent"), r->agents,
	    r->n_agents);
	buf_free(&b);
}

static int
ui_report_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui			*ui = data;
	struct store_report		*r;
	struct store_report_filter	 f;
	struct ui_report_lines		 l = { NULL, 0 };
	int64_t				 seconds, now = util_now();
	char				 from[64], to[64], *title;

	memset(&f, 0, sizeof f);
	if (argc > 1 && strcmp(argv[1], "shift") == 0) {
		if (store_report_shift_start(ui->store, core_agent_name(),
		    &f.since, cause) != STORE_OK)
			return -1;
		if (f.since == 0)
			f.since = now - UI_REPORT_SHIFT;
	} else if (argc > 1) {
		if (rules_parse_duration(argv[1], &seconds) != 0 ||
		    seconds <= 0) {
			*cause = xasprintf(_("bad duration '%s'"), argv[1]);
			return -1;
		}
		f.since = now - seconds;
	}
	f.until = now;
	if (store_report_build(ui->store, &f, &r, cause) != STORE_OK)
		return -1;
	ui_report_lines(&l, r);
	util_format_rfc3339(now, 0, to, sizeof to);
	if (f.since != 0) {
		util_format_rfc3339(f.since, 0, from, sizeof from);
		title = xasprintf(_("Report %s to %s (Escape closes)"), from,
		    to);
	} else
		title = xasprintf(_("Report to %s (Escape closes)"), to);
	store_report_free(r);
	ui_pager_free(ui->pager);
	ui->pager = ui_pager_new(title, l.lines, l.n);
	free(title);
	return UI_REDRAW;
}
