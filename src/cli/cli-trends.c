/*
 * cli-trends.c: ombre trends [--since DURATION] [--json]: the channels
 * (new conversations) and watched terms (customer messages naming them)
 * rising and falling, the last period against the one before it, each
 * with a sparkline of its counts; JSON for scripts. The counts are
 * store-trends.c's, closed hours from its cache.
 *
 * Periods are whole hours ending with the hour the last second is in
 * (counted up to now: at 10:00 the last is 09:00-10:00, at 10:20 it is
 * 10:00-10:20). A series is rising when it grew by at least a fifth and by two,
 * falling when it shrank as much, else steady: a count of 3 against 2 is
 * noise, not news. The sparkline has one bar an hour for a day or less,
 * else one a day (several days a bar past 24 days), at most 24 bars, so a
 * row fits 80 columns.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli/cli.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_TRENDS_USAGE \
	N_("usage: ombre trends [--since DURATION] [--json]")

#define CLI_TRENDS_DEFAULT	(7 * 86400)
#define CLI_TRENDS_MAX		(90 * 86400)
#define CLI_TRENDS_BARS		24

struct cli_trend {
	const struct store_trend	*t;
	unsigned long			 now;
	unsigned long			 before;
	int				 dir;	/* 1 rising, -1 falling, 0 */
	double				 change;	/* (now - before) / before */
	unsigned long			*bars;
	size_t				 n_bars;
};

static const char *
cli_trends_dir(int dir)
{
	return dir > 0 ? N_("rising") : dir < 0 ? N_("falling") :
	    N_("steady");
}

/* Rising first (most first), then steady, then falling (most last). */
static int
cli_trends_cmp(const void *a, const void *b)
{
	const struct cli_trend	*x = a, *y = b;
	long			 dx, dy;

	if (x->dir != y->dir)
		return y->dir - x->dir;
	dx = (long)x->now - (long)x->before;
	dy = (long)y->now - (long)y->before;
	if (dx != dy)
		return dy > dx ? 1 : -1;
	if (x->t->kind != y->t->kind)
		return x->t->kind == SPIKE_TERM ? -1 : 1;
	return strcmp(x->t->name, y->t->name);
}

/* Is standard output's locale UTF-8? The bars are ASCII if not. */
static int
cli_trends_utf8(void)
{
	char	*old;
	int	 utf8;

	old = xstrdup(setlocale(LC_CTYPE, NULL));
	utf8 = setlocale(LC_CTYPE, "") != NULL &&
	    strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	setlocale(LC_CTYPE, old);
	free(old);
	return utf8;
}

static void
cli_trends_json(struct buf *b, const struct cli_trend *rows, size_t n,
    int64_t since, int64_t until, size_t period, size_t bar_hours)
{
	char	date[64];
	size_t	i, j;

	util_format_rfc3339(since, 0, date, sizeof date);
	buf_add_str(b, "{\"since\":");
	cli_json_str(b, date);
	util_format_rfc3339(until, 0, date, sizeof date);
	buf_add_str(b, ",\"until\":");
	cli_json_str(b, date);
	buf_add_printf(b, ",\"period_hours\":%zu,\"bar_hours\":%zu,"
	    "\"series\":[", period, bar_hours);
	for (i = 0; i < n; i++) {
		/* JSON's words: not translated. */
		buf_add_printf(b, "%s{\"kind\":\"%s\",\"name\":", i > 0 ? "," : "",
		    rows[i].t->kind == SPIKE_TERM ? "term" : "channel");
		cli_json_str(b, rows[i].t->name);
		buf_add_printf(b, ",\"count\":%lu,\"previous\":%lu,"
		    "\"trend\":\"%s\",\"change\":", rows[i].now, rows[i].before,
		    cli_trends_dir(rows[i].dir));
		if (rows[i].before > 0)
			buf_add_printf(b, "%.4f", rows[i].change);
		else
			buf_add_str(b, "null");
		buf_add_str(b, ",\"counts\":[");
		for (j = 0; j < rows[i].n_bars; j++)
			buf_add_printf(b, "%s%lu", j > 0 ? "," : "",
			    rows[i].bars[j]);
		buf_add_str(b, "]}");
	}
	buf_add_str(b, "]}\n");
}

static void
cli_trends_text(struct buf *b, const struct cli_trend *rows, size_t n,
    const char *since, size_t bar_hours)
{
	char	change[32], *line;
	size_t	i;
	int	utf8 = cli_trends_utf8();

	buf_add_printf(b, _("Trends over the last %s against the %s before "
	    "(bars: one %s)\n"), since, since, bar_hours == 1 ? _("an hour") :
	    bar_hours == 24 ? _("a day") : _("several days"));
	buf_add_str(b, _("TREND   KIND    NAME                NOW  BEFORE  "
	    "CHANGE  COUNTS\n"));
	for (i = 0; i < n; i++) {
		if (rows[i].before == 0 && rows[i].now > 0)
			snprintf(change, sizeof change, "%s", _("new"));
		else if (rows[i].before == 0)
			snprintf(change, sizeof change, "-");
		else
			snprintf(change, sizeof change, "%+.0f%%",
			    rows[i].change * 100);
		buf_add_printf(b, "%-7s %-7s ", _(cli_trends_dir(rows[i].dir)),
		    rows[i].t->kind == SPIKE_TERM ? _("term") : _("channel"));
		cli_add_cell(b, rows[i].t->name, 16);
		buf_add_printf(b, " %6lu %7lu %7s  ", rows[i].now,
		    rows[i].before, change);
		line = spike_sparkline(rows[i].bars, rows[i].n_bars, utf8);
		buf_add_str(b, line);
		free(line);
		buf_add_char(b, '\n');
	}
	if (n == 0)
		buf_add_str(b, _("(nothing counted: no message in either "
		    "period)\n"));
}

int
cli_trends(struct cli *cli, int argc, char **argv)
{
	struct store		*st;
	struct store_trends	*tr = NULL;
	struct cli_trend	*rows;
	struct buf		 out;
	const char		*since = NULL;
	char			**rest, *cause = NULL;
	int			 json = 0, n_rest, rc;
	int64_t			 seconds = CLI_TRENDS_DEFAULT, now, hour;
	size_t			 period, bar_hours, i, j, h, n = 0;
	const struct store_trend *t;
	const struct cli_opt	 opts[] = {
		{ "since", 0, 1, &since, NULL },
		{ "json", 0, 0, NULL, &json },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("trends", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	free(rest);
	if (n_rest != 0) {
		log_warn("%s", _(CLI_TRENDS_USAGE));
		return EXIT_USAGE;
	}
	if (since != NULL && (util_parse_duration(since, CLI_TRENDS_MAX, &seconds) != 0 ||
	    seconds < 3600 || seconds > CLI_TRENDS_MAX)) {
		log_warn(_("trends: bad duration '%s' (1h to 90d: 24h, 7d)"),
		    since);
		return EXIT_USAGE;
	}
	if ((rc = cli_open(cli, STORE_READ_ONLY, &st)) != 0)
		return rc;

	/* The hours: the period's, the hour now is in its last. */
	now = util_now();
	hour = (now - 1) - (now - 1) % 3600;
	period = (size_t)((seconds + 3599) / 3600);
	if (store_trends_get(st, hour - (int64_t)(2 * period - 1) * 3600,
	    2 * period, now, &tr, &cause) != STORE_OK) {
		log_warn("trends: %s", cause);
		free(cause);
		store_close(st);
		return 1;
	}
	if (period <= CLI_TRENDS_BARS)
		bar_hours = 1;
	else if (period <= 24 * CLI_TRENDS_BARS)
		bar_hours = 24;
	else
		bar_hours = 24 * ((period + 24 * CLI_TRENDS_BARS - 1) /
		    (24 * CLI_TRENDS_BARS));

	rows = xcalloc(tr->n + 1, sizeof *rows);
	for (i = 0; i < tr->n; i++) {
		t = &tr->series[i];
		rows[n].t = t;
		for (h = 0; h < period; h++) {
			rows[n].before += t->counts[h];
			rows[n].now += t->counts[period + h];
		}
		/* A channel never used in either period is left out. */
		if (t->kind == SPIKE_CHANNEL && rows[n].now == 0 &&
		    rows[n].before == 0)
			continue;
		if (rows[n].before > 0)
			rows[n].change = ((double)rows[n].now -
			    (double)rows[n].before) / (double)rows[n].before;
		if (rows[n].now >= rows[n].before + 2 &&
		    (double)rows[n].now >= 1.2 * (double)rows[n].before)
			rows[n].dir = 1;
		else if (rows[n].before >= rows[n].now + 2 &&
		    (double)rows[n].before >= 1.2 * (double)rows[n].now)
			rows[n].dir = -1;
		/* Bars aligned on the end: the last one ends now. */
		rows[n].n_bars = (period + bar_hours - 1) / bar_hours;
		rows[n].bars = xcalloc(rows[n].n_bars, sizeof *rows[n].bars);
		for (h = 0; h < period; h++) {
			j = rows[n].n_bars - 1 - (period - 1 - h) / bar_hours;
			rows[n].bars[j] += t->counts[period + h];
		}
		n++;
	}
	qsort(rows, n, sizeof *rows, cli_trends_cmp);

	buf_init(&out);
	if (json)
		cli_trends_json(&out, rows, n, hour - (int64_t)(period - 1) *
		    3600, now, period, bar_hours);
	else
		cli_trends_text(&out, rows, n, since != NULL ? since : "7d",
		    bar_hours);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	log_debug("trends: %zu hours counted from the database",
	    tr->counted);
	for (i = 0; i < n; i++)
		free(rows[i].bars);
	free(rows);
	store_trends_free(tr);
	store_close(st);
	return 0;
}
