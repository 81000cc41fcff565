/*
 * cli-report.c: ombre report [--since DURATION | --shift] [--agent NAME]
 * [--team NAME] [--json | --csv]: the figures of store-report.c as a
 * table of 80 columns, one JSON object, or CSV with a header. ombre(1),
 * REPORT, defines each figure and field.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_REPORT_USAGE \
	N_("usage: ombre report [--since DURATION | --shift] [--agent NAME]\n" \
	"                    [--team NAME] [--json | --csv]")

/* --shift without a shift-start event: the last 8 hours. */
#define CLI_REPORT_SHIFT	(8 * 3600)

/* One row of the table. */
static void
cli_report_row(struct buf *b, struct store_report_row *row)
{
	char	fm[32], fp[32], rm[32], rp[32], wm[32], bot[32], csat[64];

	store_report_format(fm, sizeof fm,
	    store_report_percentile(&row->first_response, 50));
	store_report_format(fp, sizeof fp,
	    store_report_percentile(&row->first_response, 90));
	store_report_format(rm, sizeof rm,
	    store_report_percentile(&row->resolution, 50));
	store_report_format(rp, sizeof rp,
	    store_report_percentile(&row->resolution, 90));
	store_report_format(wm, sizeof wm,
	    store_report_percentile(&row->handoff_wait, 50));
	if (row->closed > 0)
		snprintf(bot, sizeof bot, "%ld%%", row->bot_only * 100 /
		    row->closed);
	else
		snprintf(bot, sizeof bot, "-");
	if (row->csat_n > 0 && row->surveys > 0)
		snprintf(csat, sizeof csat, "%.1f %ld%%", (double)row->csat_sum /
		    row->csat_n, row->csat_n * 100 / row->surveys);
	else if (row->csat_n > 0)
		snprintf(csat, sizeof csat, "%.1f", (double)row->csat_sum /
		    row->csat_n);
	else if (row->surveys > 0)
		snprintf(csat, sizeof csat, "- 0%%");
	else
		snprintf(csat, sizeof csat, "-");
	cli_add_cell(b, row->name, 10);
	buf_add_printf(b, " %7ld %6ld %4s %6s %6s %6s %6s %3ld %6s %8s\n",
	    row->handled, row->closed, bot, fm, fp, rm, rp, row->handoffs, wm,
	    csat);
}

static void
cli_report_text(struct buf *b, struct store_report *r)
{
	char	from[64], to[64];
	size_t	i;

	util_format_rfc3339(r->until, 0, to, sizeof to);
	if (r->since != 0) {
		util_format_rfc3339(r->since, 0, from, sizeof from);
		buf_add_printf(b, _("Report from %s to %s\n"), from, to);
	} else
		buf_add_printf(b, _("Report of everything to %s\n"), to);
	buf_add_str(b, _("\n                                 first response"
	    "    resolution     handoff\n"));
	buf_add_str(b, _("           HANDLED CLOSED BOT% MEDIAN    P90 MEDIAN"
	    "    P90  HO   WAIT     CSAT\n"));
	cli_report_row(b, &r->total);
	if (r->n_channels > 0)
		buf_add_str(b, _("by channel\n"));
	for (i = 0; i < r->n_channels; i++)
		cli_report_row(b, &r->channels[i]);
	if (r->n_agents > 0)
		buf_add_str(b, _("by agent\n"));
	for (i = 0; i < r->n_agents; i++)
		cli_report_row(b, &r->agents[i]);
	buf_add_printf(b, _("\nhandoffs still waiting for a human: %ld\n"),
	    r->total.handoffs_waiting);
}

static void
cli_report_json_sample(struct buf *b, const char *key,
    struct store_report_durations *d)
{
	int64_t	med = store_report_percentile(d, 50);
	int64_t	p90 = store_report_percentile(d, 90);

	buf_add_printf(b, "\"%s\":{\"n\":%zu,", key, d->n);
	if (d->n == 0)
		buf_add_str(b, "\"median\":null,\"p90\":null}");
	else
		buf_add_printf(b, "\"median\":%lld,\"p90\":%lld}",
		    (long long)med, (long long)p90);
}

static void
cli_report_json_row(struct buf *b, struct store_report_row *row)
{
	buf_add_printf(b, "{\"handled\":%ld,\"closed\":%ld,\"bot_only\":%ld,",
	    row->handled, row->closed, row->bot_only);
	if (row->closed > 0)
		buf_add_printf(b, "\"bot_share\":%.4f,", (double)row->bot_only /
		    row->closed);
	else
		buf_add_str(b, "\"bot_share\":null,");
	cli_report_json_sample(b, "first_response", &row->first_response);
	buf_add_char(b, ',');
	cli_report_json_sample(b, "resolution", &row->resolution);
	buf_add_printf(b, ",\"handoffs\":%ld,\"handoffs_waiting\":%ld,",
	    row->handoffs, row->handoffs_waiting);
	cli_report_json_sample(b, "handoff_wait", &row->handoff_wait);
	buf_add_printf(b, ",\"csat\":{\"surveys\":%ld,\"answers\":%ld,",
	    row->surveys, row->csat_n);
	if (row->surveys > 0)
		buf_add_printf(b, "\"response_rate\":%.4f,",
		    (double)row->csat_n / row->surveys);
	else
		buf_add_str(b, "\"response_rate\":null,");
	if (row->csat_n > 0)
		buf_add_printf(b, "\"mean\":%.2f}}", (double)row->csat_sum /
		    row->csat_n);
	else
		buf_add_str(b, "\"mean\":null}}");
}

static void
cli_report_json_rows(struct buf *b, const char *key,
    struct store_report_row *rows, size_t n)
{
	size_t	i;

	buf_add_printf(b, ",\"%s\":{", key);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_add_char(b, ',');
		cli_json_str(b, rows[i].name);
		buf_add_char(b, ':');
		cli_report_json_row(b, &rows[i]);
	}
	buf_add_char(b, '}');
}

static void
cli_report_json(struct buf *b, struct store_report *r)
{
	char	date[64];
	size_t	i;

	buf_add_str(b, "{\"since\":");
	if (r->since != 0) {
		util_format_rfc3339(r->since, 0, date, sizeof date);
		cli_json_str(b, date);
	} else
		buf_add_str(b, "null");
	util_format_rfc3339(r->until, 0, date, sizeof date);
	buf_add_str(b, ",\"until\":");
	cli_json_str(b, date);
	buf_add_printf(b, ",\"messages\":%ld,\"total\":", r->messages);
	cli_report_json_row(b, &r->total);
	cli_report_json_rows(b, "channels", r->channels, r->n_channels);
	cli_report_json_rows(b, "agents", r->agents, r->n_agents);
	buf_add_str(b, ",\"hours\":[");
	for (i = 0; i < STORE_REPORT_HOURS; i++)
		buf_add_printf(b, "%s%ld", i > 0 ? "," : "", r->hours[i]);
	buf_add_str(b, "]}\n");
}

/* A CSV cell (RFC 4180): quoted when it holds a comma, quote or break. */
static void
cli_report_csv_cell(struct buf *b, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_add_str(b, s);
		return;
	}
	buf_add_char(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_add_char(b, '"');
		buf_add_char(b, *s);
	}
	buf_add_char(b, '"');
}

static void
cli_report_csv_num(struct buf *b, int64_t v)
{
	if (v >= 0)
		buf_add_printf(b, ",%lld", (long long)v);
	else
		buf_add_char(b, ',');
}

static void
cli_report_csv_row(struct buf *b, const char *scope,
    struct store_report_row *row)
{
	buf_add_printf(b, "%s,", scope);
	cli_report_csv_cell(b, row->name);
	buf_add_printf(b, ",%ld,%ld,%ld", row->handled, row->closed,
	    row->bot_only);
	buf_add_printf(b, ",%zu", row->first_response.n);
	cli_report_csv_num(b, store_report_percentile(&row->first_response,
	    50));
	cli_report_csv_num(b, store_report_percentile(&row->first_response,
	    90));
	buf_add_printf(b, ",%zu", row->resolution.n);
	cli_report_csv_num(b, store_report_percentile(&row->resolution, 50));
	cli_report_csv_num(b, store_report_percentile(&row->resolution, 90));
	buf_add_printf(b, ",%ld,%ld", row->handoffs, row->handoffs_waiting);
	cli_report_csv_num(b, store_report_percentile(&row->handoff_wait, 50));
	cli_report_csv_num(b, store_report_percentile(&row->handoff_wait, 90));
	buf_add_printf(b, ",%ld,%ld,", row->surveys, row->csat_n);
	if (row->csat_n > 0)
		buf_add_printf(b, "%.2f", (double)row->csat_sum / row->csat_n);
	buf_add_char(b, '\n');
}

static void
cli_report_csv(struct buf *b, struct store_report *r)
{
	size_t	i;

	buf_add_str(b, "scope,name,handled,closed,bot_only,"
	    "first_response_n,first_response_median,first_response_p90,"
	    "resolution_n,resolution_median,resolution_p90,"
	    "handoffs,handoffs_waiting,handoff_wait_median,handoff_wait_p90,"
	    "surveys,csat_answers,csat_mean\n");
	cli_report_csv_row(b, "total", &r->total);
	for (i = 0; i < r->n_channels; i++)
		cli_report_csv_row(b, "channel", &r->channels[i]);
	for (i = 0; i < r->n_agents; i++)
		cli_report_csv_row(b, "agent", &r->agents[i]);
}

/* A team's name: what a tag may hold, nothing to quote. */
static int
cli_report_name_valid(const char *s)
{
	if (*s == '\0' || strlen(s) > 64)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-_.@") == strlen(s);
}

static int
cli_report_window(struct store *st, const char *since, int shift,
    const char *agent, int64_t *from, char **cause)
{
	int64_t	seconds, now = util_now();

	*from = 0;
	*cause = NULL;
	if (shift) {
		if (store_report_shift_start(st, agent, from, cause) !=
		    STORE_OK)
			return -1;
		if (*from == 0)
			*from = now - CLI_REPORT_SHIFT;
		return 0;
	}
	if (since == NULL)
		return 0;
	if (rules_parse_duration(since, &seconds) != 0 || seconds <= 0) {
		*cause = xasprintf(_("bad duration '%s' (90s, 10m, 8h, 7d; at "
		    "most 30d)"), since);
		return -1;
	}
	*from = now - seconds;
	return 0;
}

int
cli_report(struct cli *cli, int argc, char **argv)
{
	struct store			*st;
	struct store_report		*r = NULL;
	struct store_report_filter	 f;
	struct buf			 out;
	const char			*since = NULL, *agent = NULL, *team = NULL;
	char				**rest, *cause = NULL;
	int				 json = 0, csv = 0, shift = 0;
	int				 n_rest, rc;
	const struct cli_opt		 opts[] = {
		{ "since", 0, 1, &since, NULL },
		{ "shift", 0, 0, NULL, &shift },
		{ "agent", 0, 1, &agent, NULL },
		{ "team", 0, 1, &team, NULL },
		{ "json", 0, 0, NULL, &json },
		{ "csv", 0, 0, NULL, &csv },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("report", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	free(rest);
	if (n_rest != 0 || (json && csv) || (shift && since != NULL)) {
		log_warn("%s", _(CLI_REPORT_USAGE));
		return EXIT_USAGE;
	}
	/* An agent is matched against the names of who wrote, a team
	 * goes into a query: a tag's characters only. */
	if (agent != NULL && *agent == '\0') {
		log_warn(_("report: an empty agent name"));
		return EXIT_USAGE;
	}
	if (team != NULL && !cli_report_name_valid(team)) {
		log_warn(_("report: bad team name (letters, digits, - _ . @)"));
		return EXIT_USAGE;
	}
	if ((rc = cli_open(cli, STORE_READ_ONLY, &st)) != 0)
		return rc;
	memset(&f, 0, sizeof f);
	f.agent = agent;
	f.team = team;
	if (cli_report_window(st, since, shift, agent != NULL ? agent :
	    core_agent_name(), &f.since, &cause) != 0) {
		log_warn("report: %s", cause);
		free(cause);
		store_close(st);
		return since != NULL ? EXIT_USAGE : 1;
	}
	if (store_report_build(st, &f, &r, &cause) != STORE_OK) {
		log_warn("report: %s", cause);
		free(cause);
		store_close(st);
		return 1;
	}
	buf_init(&out);
	if (json)
		cli_report_json(&out, r);
	else if (csv)
		cli_report_csv(&out, r);
	else
		cli_report_text(&out, r);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	rc = fflush(stdout) == 0 ? 0 : 1;
	store_report_free(r);
	store_close(st);
	return rc;
}
