/*
 * cli-insights.c: ombre insights [--since DURATION] [--limit N]
 * [--json | --csv]: what customers wrote in a window (store-insights.c,
 * core's insights.c): topics, phrases, links, watched terms, channels,
 * hours and the bot's share, as sections of 80 columns with text bars,
 * one JSON object, or CSV rows section,key,count,share. ombre(1),
 * INSIGHTS, defines each figure.
 *
 * What customers wrote is untrusted: every key is sanitised for the
 * terminal (text and CSV), or written as ASCII JSON with \u escapes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_INSIGHTS_USAGE \
	N_("usage: ombre insights [--since DURATION] [--limit N] " \
	    "[--json | --csv]")

#define CLI_INSIGHTS_SINCE	(30 * 86400)
#define CLI_INSIGHTS_SINCE_MAX	(366 * 86400)
#define CLI_INSIGHTS_LIMIT	10
#define CLI_INSIGHTS_LIMIT_MAX	10000
/* The text's columns: a key, its count, its share, its bar. */
#define CLI_INSIGHTS_KEY	28
#define CLI_INSIGHTS_BAR	36

/* The sections of lists, in the order shown. */
static const struct {
	enum insights_list	 list;
	const char		*csv;	/* CSV's section and JSON's key */
	const char		*title;
} cli_insights_lists[] = {
	{ INSIGHTS_TOPICS, "topic", N_("Topics: the words customers use most") },
	{ INSIGHTS_PHRASES, "phrase", N_("Phrases: two words together") },
	{ INSIGHTS_DOMAINS, "domain", N_("Links: the sites customers share") },
	{ INSIGHTS_LINKS, "link", N_("Links: the addresses") },
};

/* A share as a percentage, "<1%" when not zero but below 1 %. */
static void
cli_insights_pct(char *out, size_t size, long n, long of)
{
	if (of <= 0)
		snprintf(out, size, "-");
	else if (n > 0 && n * 100 < of)
		snprintf(out, size, "<1%%");
	else
		snprintf(out, size, "%ld%%", n * 100 / of);
}

/* A bar of n against max, at most width columns, one at least for n > 0. */
static void
cli_insights_bar(struct buf *b, long n, long max, size_t width)
{
	size_t	cols, i;

	if (n <= 0 || max <= 0)
		return;
	cols = (size_t)((double)n * width / max + 0.5);
	if (cols == 0)
		cols = 1;
	for (i = 0; i < cols; i++)
		buf_add_str(b, "█");
}

/* One ranked row: key, count, share of messages, bar. */
static void
cli_insights_row(struct buf *b, const char *key, long n, long of, long max)
{
	char	pct[16];

	cli_insights_pct(pct, sizeof pct, n, of);
	buf_add_str(b, "  ");
	cli_add_cell(b, key, CLI_INSIGHTS_KEY);
	buf_add_printf(b, " %7ld %4s", n, pct);
	if (n > 0)
		buf_add_char(b, ' ');
	cli_insights_bar(b, n, max, CLI_INSIGHTS_BAR);
	buf_add_char(b, '\n');
}

static void
cli_insights_text(struct buf *b, struct store_insights *si, size_t limit)
{
	struct insights		*ins = si->counts;
	struct insights_item	*items;
	long			 messages = insights_messages(ins), max, m, c;
	char			 from[64], to[64], pct[16], hour[8];
	size_t			 i, j, n;

	util_format_rfc3339(si->since, 0, from, sizeof from);
	util_format_rfc3339(si->until, 0, to, sizeof to);
	buf_add_printf(b, _("What customers wrote from %s to %s\n"), from, to);
	buf_add_printf(b, ngettext("%ld customer message", "%ld customer messages",
	    (unsigned long)messages), messages);
	buf_add_printf(b, ngettext(" in %ld conversation\n",
	    " in %ld conversations\n",
	    (unsigned long)insights_conversations(ins)),
	    insights_conversations(ins));
	for (j = 0; j < nitems(cli_insights_lists); j++) {
		items = insights_top(ins, cli_insights_lists[j].list, limit, &n);
		buf_add_printf(b, "\n%s\n", _(cli_insights_lists[j].title));
		if (n == 0)
			buf_add_str(b, _("  (none)\n"));
		max = n > 0 ? items[0].count : 0;
		for (i = 0; i < n; i++) {
			if (cli_insights_lists[j].list != INSIGHTS_LINKS) {
				cli_insights_row(b, items[i].key,
				    items[i].count, messages, max);
				continue;
			}
			/* An address is long: its count first, it after. */
			cli_insights_pct(pct, sizeof pct, items[i].count,
			    messages);
			buf_add_printf(b, "  %7ld %4s  ", items[i].count, pct);
			sanitize_buf(b, items[i].key, strlen(items[i].key),
			    SANITIZE_LINE, 80 - 16);
			buf_add_char(b, '\n');
		}
		free(items);
	}

	buf_add_str(b, _("\nWatched terms                  messages  share  "
	    "conversations\n"));
	if (insights_watch_count(ins) == 0)
		buf_add_str(b, _("  (none: see watch in ombre.conf(5))\n"));
	for (i = 0; i < insights_watch_count(ins); i++) {
		insights_watch(ins, i, &m, &c);
		cli_insights_pct(pct, sizeof pct, m, messages);
		buf_add_str(b, "  ");
		cli_add_cell(b, watch_term(i), CLI_INSIGHTS_KEY);
		buf_add_printf(b, " %8ld %6s %14ld\n", m, pct, c);
	}

	buf_add_str(b, _("\nChannels: customer messages\n"));
	items = insights_top(ins, INSIGHTS_CHANNELS, 0, &n);
	if (n == 0)
		buf_add_str(b, _("  (none)\n"));
	for (i = 0; i < n; i++)
		cli_insights_row(b, items[i].key, items[i].count, messages,
		    items[0].count);
	free(items);

	buf_add_str(b, _("\nHours of the day: customer messages\n"));
	for (max = 0, i = 0; i < 24; i++) {
		if (insights_hour(ins, (int)i) > max)
			max = insights_hour(ins, (int)i);
	}
	for (i = 0; i < 24; i++) {
		snprintf(hour, sizeof hour, "%02zuh", i);
		cli_insights_row(b, hour, insights_hour(ins, (int)i), messages,
		    max);
	}

	buf_add_str(b, _("\nResolved by the bot alone\n"));
	cli_insights_pct(pct, sizeof pct, si->bot_only, si->closed);
	buf_add_printf(b, _("  %ld of %ld closes (%s) had no agent reply\n"),
	    si->bot_only, si->closed, pct);
	if (insights_pruned(ins))
		buf_add_str(b, _("\n(so many distinct words that the rarest "
		    "were forgotten: their counts are low)\n"));
}

/* A share as a JSON number (4 decimals), or null. */
static void
cli_insights_json_share(struct buf *b, long n, long of)
{
	if (of > 0)
		buf_add_printf(b, "%.4f", (double)n / of);
	else
		buf_add_str(b, "null");
}

static void
cli_insights_json_items(struct buf *b, const char *key,
    struct insights_item *items, size_t n, long messages)
{
	size_t	i;

	buf_add_printf(b, ",\"%s\":[", key);
	for (i = 0; i < n; i++) {
		buf_add_str(b, i > 0 ? ",{\"key\":" : "{\"key\":");
		cli_json_str(b, items[i].key);
		buf_add_printf(b, ",\"count\":%ld,\"share\":", items[i].count);
		cli_insights_json_share(b, items[i].count, messages);
		buf_add_char(b, '}');
	}
	buf_add_char(b, ']');
}

static void
cli_insights_json(struct buf *b, struct store_insights *si, size_t limit)
{
	struct insights		*ins = si->counts;
	struct insights_item	*items;
	long			 messages = insights_messages(ins), m, c;
	char			 date[64], key[32];
	size_t			 i, n;

	util_format_rfc3339(si->since, 0, date, sizeof date);
	buf_add_str(b, "{\"since\":");
	cli_json_str(b, date);
	util_format_rfc3339(si->until, 0, date, sizeof date);
	buf_add_str(b, ",\"until\":");
	cli_json_str(b, date);
	buf_add_printf(b, ",\"messages\":%ld,\"conversations\":%ld,"
	    "\"pruned\":%s", messages, insights_conversations(ins),
	    insights_pruned(ins) ? "true" : "false");
	for (i = 0; i < nitems(cli_insights_lists); i++) {
		items = insights_top(ins, cli_insights_lists[i].list, limit,
		    &n);
		/* topic: "topics" */
		snprintf(key, sizeof key, "%ss", cli_insights_lists[i].csv);
		cli_insights_json_items(b, key, items, n, messages);
		free(items);
	}
	buf_add_str(b, ",\"watch\":[");
	for (i = 0; i < insights_watch_count(ins); i++) {
		insights_watch(ins, i, &m, &c);
		buf_add_str(b, i > 0 ? ",{\"term\":" : "{\"term\":");
		cli_json_str(b, watch_term(i));
		buf_add_printf(b, ",\"messages\":%ld,\"conversations\":%ld,"
		    "\"share\":", m, c);
		cli_insights_json_share(b, m, messages);
		buf_add_char(b, '}');
	}
	buf_add_char(b, ']');
	items = insights_top(ins, INSIGHTS_CHANNELS, 0, &n);
	cli_insights_json_items(b, "channels", items, n, messages);
	free(items);
	buf_add_str(b, ",\"hours\":[");
	for (i = 0; i < 24; i++)
		buf_add_printf(b, "%s%ld", i > 0 ? "," : "",
		    insights_hour(ins, (int)i));
	buf_add_printf(b, "],\"bot\":{\"closed\":%ld,\"bot_only\":%ld,"
	    "\"share\":", si->closed, si->bot_only);
	cli_insights_json_share(b, si->bot_only, si->closed);
	buf_add_str(b, "}}\n");
}

/* A CSV cell (RFC 4180), sanitised: quoted when it holds a comma, a
 * quote or a break. */
static void
cli_insights_csv_cell(struct buf *b, const char *s)
{
	char	*clean, *p;

	clean = sanitize(s, strlen(s), SANITIZE_LINE, 0);
	if (strpbrk(clean, ",\"\r\n") == NULL)
		buf_add_str(b, clean);
	else {
		buf_add_char(b, '"');
		for (p = clean; *p != '\0'; p++) {
			if (*p == '"')
				buf_add_char(b, '"');
			buf_add_char(b, *p);
		}
		buf_add_char(b, '"');
	}
	free(clean);
}

static void
cli_insights_csv_row(struct buf *b, const char *section, const char *key,
    long n, long of)
{
	buf_add_printf(b, "%s,", section);
	cli_insights_csv_cell(b, key);
	buf_add_printf(b, ",%ld,", n);
	if (of > 0)
		buf_add_printf(b, "%.4f", (double)n / of);
	buf_add_char(b, '\n');
}

static void
cli_insights_csv(struct buf *b, struct store_insights *si, size_t limit)
{
	struct insights		*ins = si->counts;
	struct insights_item	*items;
	long			 messages = insights_messages(ins), m, c;
	char			 hour[8];
	size_t			 i, j, n;

	buf_add_str(b, "section,key,count,share\n");
	buf_add_printf(b, "total,messages,%ld,\n", messages);
	buf_add_printf(b, "total,conversations,%ld,\n",
	    insights_conversations(ins));
	for (j = 0; j < nitems(cli_insights_lists); j++) {
		items = insights_top(ins, cli_insights_lists[j].list, limit, &n);
		for (i = 0; i < n; i++)
			cli_insights_csv_row(b, cli_insights_lists[j].csv,
			    items[i].key, items[i].count, messages);
		free(items);
	}
	for (i = 0; i < insights_watch_count(ins); i++) {
		insights_watch(ins, i, &m, &c);
		cli_insights_csv_row(b, "watch", watch_term(i), m, messages);
		cli_insights_csv_row(b, "watch-conversations", watch_term(i),
		    c, insights_conversations(ins));
	}
	items = insights_top(ins, INSIGHTS_CHANNELS, 0, &n);
	for (i = 0; i < n; i++)
		cli_insights_csv_row(b, "channel", items[i].key,
		    items[i].count, messages);
	free(items);
	for (i = 0; i < 24; i++) {
		snprintf(hour, sizeof hour, "%02zu", i);
		cli_insights_csv_row(b, "hour", hour,
		    insights_hour(ins, (int)i), messages);
	}
	cli_insights_csv_row(b, "bot", "closed", si->closed, 0);
	cli_insights_csv_row(b, "bot", "bot_only", si->bot_only, si->closed);
}

int
cli_insights(struct cli *cli, int argc, char **argv)
{
	struct store		*st;
	struct store_insights	*si = NULL;
	struct buf		 out;
	const char		*since = NULL, *limit_arg = NULL;
	char			**rest, *cause = NULL;
	int			 json = 0, csv = 0, n_rest, rc;
	int64_t			 seconds = CLI_INSIGHTS_SINCE, now;
	long long		 limit = CLI_INSIGHTS_LIMIT;
	const struct cli_opt	 opts[] = {
		{ "since", 0, 1, &since, NULL },
		{ "limit", 0, 1, &limit_arg, NULL },
		{ "json", 0, 0, NULL, &json },
		{ "csv", 0, 0, NULL, &csv },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("insights", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	free(rest);
	if (n_rest != 0 || (json && csv)) {
		log_warn("%s", _(CLI_INSIGHTS_USAGE));
		return EXIT_USAGE;
	}
	if (since != NULL && (util_parse_duration(since, CLI_INSIGHTS_SINCE_MAX,
	    &seconds) != 0 || seconds == 0)) {
		log_warn(_("insights: bad duration '%s' (90m, 8h, 7d, 4w; at "
		    "most 366d)"), since);
		return EXIT_USAGE;
	}
	if (limit_arg != NULL && ((limit = cli_number(limit_arg)) < 1 ||
	    limit > CLI_INSIGHTS_LIMIT_MAX)) {
		log_warn(_("insights: --limit takes 1 to %d"),
		    CLI_INSIGHTS_LIMIT_MAX);
		return EXIT_USAGE;
	}
	if ((rc = cli_open(cli, STORE_READ_ONLY, &st)) != 0)
		return rc;
	now = util_now();
	if (store_insights_build(st, now - seconds, now, &si, &cause) !=
	    STORE_OK) {
		log_warn("insights: %s", cause);
		free(cause);
		store_close(st);
		return 1;
	}
	buf_init(&out);
	if (json)
		cli_insights_json(&out, si, (size_t)limit);
	else if (csv)
		cli_insights_csv(&out, si, (size_t)limit);
	else
		cli_insights_text(&out, si, (size_t)limit);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	rc = fflush(stdout) == 0 ? 0 : 1;
	store_insights_free(si);
	store_close(st);
	return rc;
}
